"""Issue 13 item 6: the access log cannot be changed unnoticed, not even with the
application's own database rights. Each test tampers the way such a user
could — triggers disabled (PostgreSQL: the application's role owns the table)
or dropped (SQLite: whoever has the file) — and `verify_access_log` must name
the first bad row; the management command and the nightly task report it."""

import importlib
import io
import json
import os
import tempfile
from contextlib import contextmanager
from unittest import skipIf, skipUnless

from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

import pytest

from permissions.models import (
    ZERO_HASH,
    AccessLog,
    AccessLogCheckpoint,
    AccessLogHead,
    AccessLogVerification,
    Role,
)
from permissions.services import log_access, verify_access_log, verify_chain
from tests.base import BaseTestCase
from tests.factories import UserFactory

TRIGGERS = importlib.import_module("permissions.migrations.0005_accesslog_triggers")
LOG = AccessLog._meta.db_table
HEAD = AccessLogHead._meta.db_table
CHECKPOINT = AccessLogCheckpoint._meta.db_table
PG = connection.vendor == "postgresql"


@contextmanager
def triggers_off(table=LOG):
    """What an attacker with the application's rights does first."""
    with connection.cursor() as cursor:
        if PG:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER {table}_no_{op}")
        try:
            yield cursor
        finally:
            if PG:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            else:
                guarded = TRIGGERS.sqlite_guarded(connection)
                for statement in TRIGGERS.sqlite_statements(table, guarded=guarded):
                    cursor.execute(statement)


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


class LogTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reader = UserFactory(
            username="reader", role=Role.BIBOB, organisation=cls.gemeente
        )
        for n in range(5):
            log_access(
                user=cls.reader,
                action=AccessLog.Action.READ,
                object_type="case",
                object_id=n,
                data_class="D5",
                case=cls.case,
                purpose_code="toets",
            )

    def rows(self):
        return list(AccessLog.objects.order_by("id"))

    def assert_broken_at(self, row_id, words=""):
        report = verify_access_log(record=False, checkpoint=False)
        self.assertFalse(report.ok, report.summary())
        first = report.first_problem
        self.assertEqual(first.row_id, row_id, str(first))
        self.assertIn(words, first.message)
        self.assertIs(verify_chain(), False)
        return report


class KeyedChainTests(LogTestCase):
    def test_an_untouched_log_verifies_and_rows_carry_shard_and_seq(self):
        report = verify_access_log(record=False, checkpoint=False)
        self.assertTrue(report.ok, report.summary())
        self.assertEqual(report.rows_checked, 5)
        rows = self.rows()
        self.assertEqual({r.shard for r in rows}, {rows[0].shard})
        self.assertEqual([r.seq for r in rows], [1, 2, 3, 4, 5])
        head = AccessLogHead.objects.get(shard=rows[0].shard)
        self.assertEqual((head.seq, head.last_hash), (5, rows[-1].hash_chain))

    def test_the_hash_is_keyed(self):
        row = self.rows()[0]
        with override_settings(ACCESS_LOG_KEY="another key"):
            self.assertNotEqual(row.content_digest(ZERO_HASH), row.hash_chain)
        self.assertEqual(row.content_digest(ZERO_HASH), row.hash_chain)

    def test_every_column_is_in_the_hash(self):
        row = self.rows()[2]
        previous = self.rows()[1].hash_chain
        changed = {
            "id": row.pk + 1000, "shard": row.shard + 1, "seq": 99,
            "case_reference": "2026-LOD-0000", "username": "x", "role": "fg",
            "organisation": "x", "action": "export", "object_type": "x",
            "object_id": "x", "data_class": "D0", "case_id": 0,
            "purpose_code": "x", "legal_basis_code": "x", "recipient": "x",
            "result": "denied", "client_ip": "x", "user_id": 0,
        }  # fmt: skip
        names = {f.attname for f in AccessLog._meta.concrete_fields}
        self.assertEqual(names - set(changed), {"timestamp", "hash_chain"})
        for name, value in changed.items():
            with self.subTest(column=name):
                copy = AccessLog(**{f: getattr(row, f) for f in names})
                setattr(copy, name, value)
                self.assertNotEqual(copy.content_digest(previous), row.hash_chain)
        copy = AccessLog(**{f: getattr(row, f) for f in names})
        copy.timestamp = row.timestamp.replace(microsecond=1)
        self.assertNotEqual(copy.content_digest(previous), row.hash_chain)


class DatabaseRefusesChangesTests(LogTestCase):
    def test_update_and_delete_are_refused_by_the_database(self):
        if not PG and TRIGGERS.sqlite_guarded(connection):
            # The test database lets Django's flush DELETE between browser
            # tests (migration 0005); production has no such escape.
            sql(f"UPDATE {TRIGGERS.SQLITE_TEST_GUARD} SET refuse = 1")
        for table in (LOG, CHECKPOINT):
            for statement in (f"UPDATE {table} SET shard = shard",
                              f"DELETE FROM {table}"):  # fmt: skip
                with self.subTest(sql=statement):
                    if table == CHECKPOINT:
                        verify_access_log(record=False)  # at least one row
                    with self.assertRaisesMessage(DatabaseError, "append-only"):
                        with transaction.atomic():
                            sql(statement)
        self.assertEqual(AccessLog.objects.count(), 5)
        self.assertTrue(verify_chain())

    @skipUnless(PG, "TRUNCATE is PostgreSQL's")
    def test_truncate_is_refused_on_postgresql(self):
        # The test database lets Django's flush TRUNCATE between tests
        # (migration 0005); production has no such escape.
        sql("SET LOCAL casework.refuse_truncate = 'on'")
        for table in (LOG, CHECKPOINT):
            with self.subTest(table=table):
                with self.assertRaisesMessage(DatabaseError, "append-only"):
                    with transaction.atomic():
                        sql(f"TRUNCATE {table}")
        self.assertEqual(AccessLog.objects.count(), 5)


class TamperingTests(LogTestCase):
    def test_an_update_of_any_column_names_the_row(self):
        target = self.rows()[2]
        columns = {
            "case_reference": "'2026-XXX-0001'", "username": "'someone'",
            "timestamp": "timestamp", "role": "'fg'", "result": "'denied'",
            "client_ip": "'10.9.9.9'", "object_id": "'77'", "case_id": "NULL",
            "purpose_code": "''", "recipient": "'x'", "data_class": "'D0'",
        }  # fmt: skip
        for column, value in columns.items():
            with self.subTest(column=column), transaction.atomic():
                if column == "timestamp":
                    value = (
                        "timestamp + interval '1 second'"
                        if PG
                        else "datetime(timestamp, '+1 second')"
                    )
                with triggers_off() as cursor:
                    cursor.execute(
                        f"UPDATE {LOG} SET {column} = {value} WHERE id = %s",
                        [target.pk],
                    )
                self.assert_broken_at(target.pk, "changed")
                transaction.set_rollback(True)
        self.assertTrue(verify_chain())

    def test_a_chain_recomputed_without_the_key_is_found(self):
        """The attacker recomputes every hash after the edit, with the old
        plain SHA-256 or any key but ours, and moves the head."""
        rows = self.rows()
        previous = ZERO_HASH
        with triggers_off() as cursor, override_settings(ACCESS_LOG_KEY="guess"):
            for row in rows:
                if row.pk == rows[1].pk:
                    row.username = "someone"
                row.hash_chain = row.content_digest(previous)
                previous = row.hash_chain
                cursor.execute(
                    f"UPDATE {LOG} SET username = %s, hash_chain = %s WHERE id = %s",
                    [row.username, row.hash_chain, row.pk],
                )
            cursor.execute(
                f"UPDATE {HEAD} SET last_hash = %s WHERE shard = %s",
                [previous, rows[0].shard],
            )
        self.assert_broken_at(rows[0].pk, "changed")

    def test_a_deleted_row_in_the_middle_is_found(self):
        rows = self.rows()
        with triggers_off() as cursor:
            cursor.execute(f"DELETE FROM {LOG} WHERE id = %s", [rows[1].pk])
        self.assert_broken_at(rows[2].pk, "missing")

    def test_newest_rows_cut_with_the_head_moved_back_show_at_the_checkpoint(self):
        verify_access_log()  # the nightly run: a checkpoint at row 5
        rows = self.rows()
        with triggers_off() as cursor:
            cursor.execute(f"DELETE FROM {LOG} WHERE id >= %s", [rows[3].pk])
            cursor.execute(
                f"UPDATE {HEAD} SET seq = 3, last_hash = %s WHERE shard = %s",
                [rows[2].hash_chain, rows[2].shard],
            )
        report = verify_access_log(record=False, checkpoint=False)
        self.assertFalse(report.ok)
        self.assertEqual(report.first_problem.seq, 4)
        self.assertIn("rows 4..5 are gone", report.first_problem.message)

    def test_cut_rows_without_moving_the_head_are_found_without_a_checkpoint(self):
        rows = self.rows()
        with triggers_off() as cursor:
            cursor.execute(f"DELETE FROM {LOG} WHERE id = %s", [rows[-1].pk])
        report = verify_access_log(record=False, checkpoint=False)
        self.assertFalse(report.ok)
        self.assertIn("the head says 5 rows", report.first_problem.message)

    def test_a_truncated_log_is_found(self):
        verify_access_log()
        with triggers_off() as cursor:
            cursor.execute(f"DELETE FROM {LOG}")
            cursor.execute(f"DELETE FROM {HEAD}")
        report = verify_access_log(record=False, checkpoint=False)
        self.assertFalse(report.ok)
        self.assertIn("rows 1..5 are gone", report.first_problem.message)

    def test_reordered_rows_are_found(self):
        """Two rows swap places: contents exchanged with their hashes."""
        a, b = self.rows()[1:3]
        fields = [f.column for f in AccessLog._meta.concrete_fields if f.column != "id"]
        assignments = ", ".join(f"{c} = %s" for c in fields)
        with triggers_off() as cursor:
            cursor.execute(f"UPDATE {LOG} SET seq = -1 WHERE id = %s", [a.pk])
            for source, target in ((a, b), (b, a)):
                cursor.execute(
                    f"UPDATE {LOG} SET {assignments} WHERE id = %s",
                    [getattr(source, f.attname)
                     for f in AccessLog._meta.concrete_fields if f.column != "id"]
                    + [target.pk],
                )  # fmt: skip
        # Row 2 of the chain now sits under b's id: the id is in the hash.
        self.assert_broken_at(b.pk, "changed")

    def test_a_swap_of_ids_is_found(self):
        a, b = self.rows()[1:3]
        with triggers_off() as cursor:
            cursor.execute(f"UPDATE {LOG} SET id = -1 WHERE id = %s", [a.pk])
            cursor.execute(f"UPDATE {LOG} SET id = %s WHERE id = %s", [a.pk, b.pk])
            cursor.execute(f"UPDATE {LOG} SET id = %s WHERE id = -1", [b.pk])
        self.assert_broken_at(b.pk, "changed")
        self.assertEqual(verify_access_log(record=False).first_problem.seq, 2)

    def test_a_forged_checkpoint_is_found(self):
        rows = self.rows()
        AccessLogCheckpoint.objects.create(
            shard=rows[0].shard, seq=3, last_hash=rows[2].hash_chain,
            reason="verify", signature="0" * 64,
        )  # fmt: skip
        report = verify_access_log(record=False, checkpoint=False)
        self.assertFalse(report.ok)
        self.assertIn("checkpoint signature", report.first_problem.message)


class CheckpointTests(LogTestCase):
    @override_settings(ACCESS_LOG_CHECKPOINT_EVERY=2)
    def test_every_n_rows_of_a_shard_write_a_checkpoint(self):
        before = AccessLogCheckpoint.objects.count()
        for n in range(4):
            log_access(user=self.reader, action="read", object_type="case",
                       object_id=n, data_class="D5")  # fmt: skip
        new = AccessLogCheckpoint.objects.order_by("id")[before:]
        self.assertEqual([c.seq for c in new], [6, 8])
        self.assertEqual({c.reason for c in new}, {"rows"})
        self.assertTrue(verify_chain())

    def test_the_checkpoint_file_is_written_and_checked(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "checkpoints.jsonl")
            with override_settings(ACCESS_LOG_CHECKPOINT_FILE=path):
                self.assertTrue(verify_access_log().ok)
                with open(path) as handle:
                    line = json.loads(handle.readline())
                self.assertEqual(line["seq"], 5)
                # The table loses its checkpoints; the file still has one.
                with triggers_off(CHECKPOINT) as cursor:
                    cursor.execute(f"DELETE FROM {CHECKPOINT}")
                rows = self.rows()
                with triggers_off() as cursor:
                    cursor.execute(f"DELETE FROM {LOG} WHERE id = %s", [rows[-1].pk])
                    cursor.execute(
                        f"UPDATE {HEAD} SET seq = 4, last_hash = %s WHERE shard = %s",
                        [rows[-2].hash_chain, rows[-2].shard],
                    )
                report = verify_access_log(record=False, checkpoint=False)
                self.assertFalse(report.ok)
                self.assertIn("rows 5..5 are gone", report.first_problem.message)


class CommandTests(LogTestCase):
    def test_an_intact_log_exits_0_with_a_summary(self):
        out = io.StringIO()
        call_command("verify_access_log", stdout=out)
        self.assertIn("Toegangslog intact: 5 rijen", out.getvalue())
        self.assertIn("Access log intact: 5 rows", out.getvalue())
        self.assertTrue(AccessLogVerification.objects.get().ok)
        self.assertTrue(AccessLogCheckpoint.objects.filter(reason="verify").exists())

    def test_a_changed_log_exits_non_zero_naming_the_row(self):
        target = self.rows()[3]
        with triggers_off() as cursor:
            cursor.execute(
                f"UPDATE {LOG} SET case_reference = 'x' WHERE id = %s", [target.pk]
            )
        with self.assertRaises(CommandError) as raised:
            call_command("verify_access_log", stdout=io.StringIO())
        self.assertEqual(raised.exception.returncode, 1)
        self.assertIn(f"rij {target.pk}", str(raised.exception))
        self.assertIn("GEWIJZIGD", str(raised.exception))
        check = AccessLogVerification.objects.get()
        self.assertFalse(check.ok)
        self.assertIn(f"row {target.pk}", check.first_problem)


class NightlyTaskTests(LogTestCase):
    def test_the_task_verifies_and_tells_the_fg(self):
        from permissions.tasks import verify_access_log as task

        self.fg.email = "fg@venlo.example"
        self.fg.save()
        result = task()  # the body; the beat entry is tested below
        self.assertTrue(result["ok"])
        self.assertEqual(len(mail.outbox), 0)
        target = self.rows()[0]
        with triggers_off() as cursor:
            cursor.execute(f"UPDATE {LOG} SET role = 'fg' WHERE id = %s", [target.pk])
        result = task()  # the body; the beat entry is tested below
        self.assertFalse(result["ok"])
        self.assertIn(f"rij {target.pk}", result["first_problem"])
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["fg@venlo.example"])
        self.assertIn(f"row {target.pk}", mail.outbox[0].body)
        # …and the FG sees it on /audit/.
        self.login(self.fg)
        response = self.client.get("/audit/")
        self.assertContains(response, 'id="access-log-alert"')
        self.assertContains(response, f"rij {target.pk}")

    def test_the_beat_runs_it_nightly(self):
        from casework.celery import app

        entry = app.conf.beat_schedule["access-log-verify"]
        self.assertEqual(entry["task"], "permissions.tasks.verify_access_log")


@pytest.mark.postgres
@skipIf(not PG, "PostgreSQL's TRUNCATE trigger")
class TruncateWithTriggersOffTests(LogTestCase):
    def test_truncate_with_triggers_disabled_is_found(self):
        verify_access_log()
        with triggers_off() as cursor:
            cursor.execute(f"TRUNCATE {LOG}")
        self.assertFalse(verify_chain())
