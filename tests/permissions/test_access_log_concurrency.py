"""Issue 13 item 8: logged reads proceed in parallel on PostgreSQL (each takes
a free shard of the chain) and every shard stays a valid chain; each costs two
statements there."""

import threading
from unittest import skipUnless

from django.db import DataError, connection, connections, transaction
from django.test import TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext

import pytest

from permissions.models import ZERO_HASH, AccessLog, AccessLogHead, DataClass, Role
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


@pytest.mark.postgres
@skipUnless(connection.vendor == "postgresql", "a data-modifying CTE")
class StatementsPerRowTests(TestCase):
    """On PostgreSQL a logged read is two statements inside its transaction:
    take a shard's head, then insert the row and move the head in one
    `WITH … INSERT … UPDATE` (docs/performance.md). SQLite keeps three."""

    def log(self, reader, **kwargs):
        return log_access(
            user=reader, action="read", object_type="case_list",
            data_class=DataClass.D10, **{"object_id": "2026-PGA-1", **kwargs},
        )  # fmt: skip

    def test_a_logged_read_is_two_statements_and_extends_the_chain(self):
        reader = UserFactory(role=Role.CASUSREGISSEUR)
        first = self.log(reader)  # the first writer makes the shards' heads
        with CaptureQueriesContext(connection) as ctx:
            entry = self.log(reader, object_id="2026-PGA-2")
        statements = [
            q["sql"]
            for q in ctx.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        ]
        self.assertEqual(len(statements), 2, statements)
        self.assertTrue(statements[0].startswith("UPDATE"), statements[0])
        self.assertTrue(statements[1].startswith("WITH logged AS (INSERT INTO"))
        stored = AccessLog.objects.get(pk=entry.pk)
        self.assertEqual(stored.hash_chain, entry.hash_chain)
        self.assertEqual(stored.object_id, "2026-PGA-2")
        head = AccessLogHead.objects.get(shard=entry.shard)
        self.assertEqual((head.seq, head.last_hash), (entry.seq, entry.hash_chain))
        previous = AccessLog.objects.filter(shard=entry.shard, seq=entry.seq - 1)
        if entry.shard == first.shard:
            self.assertEqual(previous.get().pk, first.pk)
        chained_on = previous.get().hash_chain if previous else ZERO_HASH
        self.assertEqual(stored.content_digest(chained_on), stored.hash_chain)
        report = verify_access_log(record=False, checkpoint=False)
        self.assertTrue(report.ok, report.summary())
        with self.assertRaises(PermissionError):  # a stored row, as save() leaves it
            entry.save()

    def test_a_row_the_database_refuses_moves_no_head(self):
        reader = UserFactory(role=Role.CASUSREGISSEUR)
        self.log(reader)
        heads = list(AccessLogHead.objects.values_list("shard", "seq", "last_hash"))
        rows = AccessLog.objects.count()
        # object_id holds 1,000 characters; the request's own transaction
        # ends with the refused write (the log opens no savepoint of its own).
        with self.assertRaises(DataError), transaction.atomic():
            self.log(reader, object_id="x" * 1001)
        self.assertEqual(
            list(AccessLogHead.objects.values_list("shard", "seq", "last_hash")), heads
        )
        self.assertEqual(AccessLog.objects.count(), rows)
        report = verify_access_log(record=False, checkpoint=False)
        self.assertTrue(report.ok, report.summary())
