"""Several access-log rows of one request written together
(`permissions.services.log_access_many`, issue 16 item 7): every row is
written, as consecutive rows of one shard's chain, in one transaction with
one take of the shard's head; the chain verifies as if written one by one."""

from unittest import skipUnless

from django.db import DataError, connection, transaction
from django.db.transaction import TransactionManagementError
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from permissions.models import (
    ZERO_HASH,
    AccessLog,
    AccessLogCheckpoint,
    AccessLogHead,
    DataClass,
    Role,
)
from permissions.services import (
    log_access,
    log_access_many,
    log_sensitive_reads,
    verify_access_log,
)
from tests.factories import CaseFactory, UserFactory


def statements(ctx) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


class LogAccessManyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reader = UserFactory(role=Role.BIBOB)
        cls.case = CaseFactory(bibob=True, owner=cls.reader)

    def rows(self, n, **extra):
        return [
            {
                "action": AccessLog.Action.READ,
                "object_type": "bibobsource",
                "object_id": k,
                "data_class": DataClass.D5,
                "case": self.case,
                **extra,
            }
            for k in range(1, n + 1)
        ]

    def assert_chain_verifies(self):
        report = verify_access_log(record=False, checkpoint=False)
        self.assertTrue(report.ok, report.summary())
        return report

    def test_every_row_is_written_in_order_on_one_chain(self):
        first = log_access(
            user=self.reader, action="read", object_type="case",
            object_id=self.case.pk, data_class=DataClass.D5, case=self.case,
        )  # fmt: skip
        entries = log_access_many(user=self.reader, rows=self.rows(4))
        self.assertEqual(len(entries), 4)
        stored = list(AccessLog.objects.filter(pk__in=[e.pk for e in entries]))
        stored.sort(key=lambda row: row.seq)
        self.assertEqual([row.object_id for row in stored], ["1", "2", "3", "4"])
        self.assertEqual({row.shard for row in stored}, {entries[0].shard})
        seqs = [row.seq for row in stored]
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + 4)))
        ids = [row.pk for row in stored]
        self.assertEqual(ids, sorted(ids))
        # Each row is hashed on the one before it in its shard.
        previous = AccessLog.objects.filter(
            shard=stored[0].shard, seq=stored[0].seq - 1
        ).first()
        if stored[0].shard == first.shard:
            self.assertEqual(previous.pk, first.pk)
        chained_on = previous.hash_chain if previous else ZERO_HASH
        for row in stored:
            self.assertEqual(row.content_digest(chained_on), row.hash_chain)
            chained_on = row.hash_chain
        head = AccessLogHead.objects.get(shard=stored[0].shard)
        self.assertEqual((head.seq, head.last_hash), (seqs[-1], stored[-1].hash_chain))
        for row in stored:
            self.assertEqual(
                (row.username, row.role, row.case_id, row.case_reference),
                (self.reader.username, Role.BIBOB, self.case.pk, self.case.reference),
            )
        self.assert_chain_verifies()
        with self.assertRaises(PermissionError):  # stored rows, as save() leaves them
            entries[0].save()

    def test_single_writes_go_on_after_a_batch(self):
        log_access_many(user=self.reader, rows=self.rows(3))
        log_access(
            user=self.reader, action="read", object_type="case",
            object_id=self.case.pk, data_class=DataClass.D5, case=self.case,
        )  # fmt: skip
        log_access_many(user=self.reader, rows=self.rows(2))
        report = self.assert_chain_verifies()
        self.assertEqual(report.rows_checked, 6)

    def test_nothing_to_write_costs_no_statement(self):
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(log_access_many(user=self.reader, rows=[]), [])
        self.assertEqual(statements(ctx), [])

    @override_settings(ACCESS_LOG_CHECKPOINT_EVERY=3)
    def test_a_batch_across_a_checkpoint_writes_it(self):
        entries = log_access_many(user=self.reader, rows=self.rows(7))
        shard = entries[0].shard
        self.assertEqual([e.seq for e in entries], list(range(1, 8)))
        checkpoints = AccessLogCheckpoint.objects.filter(shard=shard).order_by("seq")
        self.assertEqual(
            [(c.seq, c.last_hash) for c in checkpoints],
            [(3, entries[2].hash_chain), (6, entries[5].hash_chain)],
        )
        self.assertEqual(self.assert_chain_verifies().checkpoints, 2)

    def test_sensitive_reads_skip_what_is_not_sensitive(self):
        d0 = CaseFactory(owner=self.reader)
        entries = log_sensitive_reads(
            user=self.reader,
            reads=[(self.case, DataClass.D5, self.case), (d0, DataClass.D0, d0),
                   (self.case, DataClass.D10, self.case)],
        )  # fmt: skip
        self.assertEqual([e.data_class for e in entries], ["D5", "D10"])
        self.assertEqual(AccessLog.objects.count(), 2)
        self.assertEqual({e.object_type for e in entries}, {"case"})
        self.assertEqual(log_sensitive_reads(user=self.reader, reads=[]), [])

    @skipUnless(connection.vendor == "postgresql", "a data-modifying CTE")
    def test_a_batch_is_two_statements_on_postgresql(self):
        log_access(
            user=self.reader, action="read", object_type="case",
            object_id=self.case.pk, data_class=DataClass.D5, case=self.case,
        )  # the first writer makes the shards' heads  # fmt: skip
        with CaptureQueriesContext(connection) as ctx:
            log_access_many(user=self.reader, rows=self.rows(5))
        sql = statements(ctx)
        self.assertEqual(len(sql), 2, sql)
        self.assertTrue(sql[0].startswith("UPDATE"), sql[0])
        self.assertTrue(sql[1].startswith("WITH logged AS (INSERT INTO"), sql[1])
        self.assert_chain_verifies()

    @skipUnless(connection.vendor == "postgresql", "column lengths enforced")
    def test_a_row_the_database_refuses_writes_none_of_the_batch(self):
        log_access_many(user=self.reader, rows=self.rows(1))
        heads = list(AccessLogHead.objects.values_list("shard", "seq", "last_hash"))
        rows = self.rows(3)
        rows[1]["object_id"] = "x" * 1001  # object_id holds 1,000 characters
        # The request's own transaction (the log opens no savepoint of its
        # own: the failed write ends the transaction it is part of).
        with self.assertRaises(DataError), transaction.atomic():
            log_access_many(user=self.reader, rows=rows)
        self.assertEqual(
            list(AccessLogHead.objects.values_list("shard", "seq", "last_hash")), heads
        )
        self.assertEqual(AccessLog.objects.count(), 1)
        self.assert_chain_verifies()

    def test_inside_a_transaction_the_log_opens_no_savepoint(self):
        """Written inside a caller's transaction (a service's, a test's), the
        rows join it: no savepoint per logged read. Thousands of released
        savepoints in one transaction make every later write of the shard's
        head check each version they left (docs/performance.md, "The access
        log in a long transaction")."""
        log_access_many(user=self.reader, rows=self.rows(1))  # the heads exist
        with CaptureQueriesContext(connection) as ctx, transaction.atomic():
            log_access_many(user=self.reader, rows=self.rows(2))
            log_access(
                user=self.reader, action="read", object_type="case",
                object_id=self.case.pk, data_class=DataClass.D5, case=self.case,
            )  # fmt: skip
        savepoints = [q["sql"] for q in ctx.captured_queries
                      if q["sql"].startswith("SAVEPOINT")]  # fmt: skip
        # The one of the block above, none of the log's.
        self.assertEqual(len(savepoints), 1, savepoints)
        self.assertEqual(AccessLog.objects.count(), 4)
        self.assert_chain_verifies()

    @skipUnless(connection.vendor == "postgresql", "column lengths enforced")
    def test_a_log_write_that_fails_ends_the_callers_transaction(self):
        """What a caller does in the transaction of a read it could not log
        is not kept: the transaction can only be rolled back."""
        rows = self.rows(1)
        rows[0]["object_id"] = "x" * 1001
        with transaction.atomic():
            CaseFactory(owner=self.reader)
            with self.assertRaises(DataError):
                log_access_many(user=self.reader, rows=rows)
            with self.assertRaises(TransactionManagementError):
                AccessLog.objects.count()
            self.assertTrue(transaction.get_rollback())
        self.assertEqual(AccessLog.objects.count(), 0)

    def test_an_unknown_column_is_refused_before_anything_is_written(self):
        with self.assertRaises(TypeError):
            log_access_many(user=self.reader, rows=self.rows(1, colour="red"))
        self.assertEqual(AccessLog.objects.count(), 0)
