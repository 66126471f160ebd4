"""Issue 13 item 8: logged reads proceed in parallel on PostgreSQL (each takes
a free shard of the chain) and every shard stays a valid chain."""

import threading
from unittest import skipUnless

from django.db import connection, connections
from django.test import TransactionTestCase, override_settings

import pytest

from permissions.models import AccessLog, AccessLogHead, DataClass, Role
from permissions.services import log_access, verify_access_log
from tests.factories import UserFactory


@pytest.mark.postgres
@skipUnless(connection.vendor == "postgresql", "row locks and SKIP LOCKED")
class ConcurrentWritersTests(TransactionTestCase):
    def run_writers(self, threads=8, each=25):
        reader = UserFactory(role=Role.CASUSREGISSEUR)
        errors = []
        barrier = threading.Barrier(threads)

        def write(n):
            try:
                barrier.wait()
                for i in range(each):
                    log_access(
                        user=reader, action="read", object_type="case",
                        object_id=f"{n}-{i}", data_class=DataClass.D10,
                    )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.assertEqual(errors, [])
        self.assertEqual(AccessLog.objects.count(), threads * each)

    def test_eight_writers_keep_every_chain_valid(self):
        self.run_writers()
        report = verify_access_log(record=False, checkpoint=False)
        self.assertTrue(report.ok, report.summary())
        self.assertEqual(report.rows_checked, 200)
        self.assertGreater(report.shards, 1)  # the writers did not queue on one
        for head in AccessLogHead.objects.exclude(seq=0):
            rows = AccessLog.objects.filter(shard=head.shard).order_by("seq")
            self.assertEqual(
                list(rows.values_list("seq", flat=True)),
                list(range(1, head.seq + 1)),
            )
            self.assertEqual(rows.last().hash_chain, head.last_hash)

    @override_settings(ACCESS_LOG_SHARDS=2, ACCESS_LOG_CHECKPOINT_EVERY=10)
    def test_more_writers_than_shards_wait_and_checkpoint(self):
        self.run_writers(threads=6, each=10)
        report = verify_access_log(record=False, checkpoint=False)
        self.assertTrue(report.ok, report.summary())
        self.assertLessEqual(report.shards, 2)
        self.assertGreaterEqual(report.checkpoints, 4)
