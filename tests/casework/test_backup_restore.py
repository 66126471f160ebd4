"""Issue 15 item 8: a backup restores into a fresh database whose access log
still verifies (docs/deploy.md, "Backup and restore").

The procedure of docs/deploy.md, run for real: pg_dump of the test database
in the custom format, pg_restore into a new database, and
`manage.py verify_access_log` against the restored copy with the same key.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase

import pytest

from permissions.models import AccessLog, DataClass, Role
from permissions.services import log_access, verify_access_log
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
TOOLS = all(shutil.which(tool) for tool in ("pg_dump", "pg_restore", "psql"))


@pytest.mark.postgres
@skipUnless(connection.vendor == "postgresql", "needs PostgreSQL (pg_dump, pg_restore)")
@skipUnless(TOOLS, "pg_dump, pg_restore and psql (PostgreSQL client) are not installed")
class BackupRestoreTests(TransactionTestCase):
    def setUp(self):
        reader = UserFactory(role=Role.CASUSREGISSEUR)
        for n in range(30):
            log_access(
                user=reader, action="read", object_type="case",
                object_id=n, data_class=DataClass.D10,
            )  # fmt: skip
        report = verify_access_log()  # writes a checkpoint per shard, as nightly
        self.assertTrue(report.ok, report.summary())
        self.rows = AccessLog.objects.count()
        self.tmp = Path(tempfile.mkdtemp(prefix="casework-backup-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        self.restored = f"{connection.settings_dict['NAME']}_restored"
        self.drop_restored()
        self.addCleanup(self.drop_restored)

    def pg_env(self) -> dict:
        db = connection.settings_dict
        env = dict(os.environ)
        env.update(
            PGHOST=db["HOST"] or "", PGPORT=str(db["PORT"] or ""),
            PGUSER=db["USER"] or "", PGPASSWORD=db["PASSWORD"] or "",
        )  # fmt: skip
        return env

    def drop_restored(self):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.restored}" WITH (FORCE)')

    def run_ok(self, *command, env=None):
        result = subprocess.run(
            command, cwd=ROOT, env=env or self.pg_env(),
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def backup_and_restore(self):
        """docs/deploy.md: pg_dump -Fc, createdb, pg_restore --exit-on-error."""
        dump = self.tmp / "casework.dump"
        self.run_ok(
            "pg_dump", "--format=custom", "--file", str(dump),
            connection.settings_dict["NAME"],
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.restored}"')
        self.run_ok(
            "pg_restore", "--exit-on-error", "--no-owner", "--dbname", self.restored,
            str(dump),
        )  # fmt: skip

    def verify_restored(self, **env):
        """`manage.py verify_access_log` against the restored database, with
        the key of the test settings unless one is given."""
        db = connection.settings_dict
        process_env = self.pg_env()
        process_env.update(
            DJANGO_SETTINGS_MODULE="casework.test_settings",
            DATABASE_URL=(
                f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:"
                f"{db['PORT'] or 5432}/{self.restored}"
            ),
        )
        process_env.update(env)
        return subprocess.run(
            [sys.executable, "manage.py", "verify_access_log", "--no-record"],
            cwd=ROOT, env=process_env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    def test_the_restored_log_verifies_with_the_same_key_only(self):
        self.backup_and_restore()
        result = self.verify_restored()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"Access log intact: {self.rows} rows", result.stdout)
        # The key is not in the dump: keep it with the backups.
        result = self.verify_restored(ACCESS_LOG_KEY="another-key")
        self.assertEqual(result.returncode, 1)
        self.assertIn("TAMPERED", result.stderr)

    def test_a_row_changed_in_the_restored_copy_is_found(self):
        self.backup_and_restore()
        table = AccessLog._meta.db_table
        target = AccessLog.objects.order_by("id")[5]
        self.run_ok(
            "psql", "--no-psqlrc", "--set=ON_ERROR_STOP=1", "--dbname", self.restored,
            "--command", f"ALTER TABLE {table} DISABLE TRIGGER USER;"
            f" UPDATE {table} SET object_id = 'x' WHERE id = {target.pk};",
        )  # fmt: skip
        result = self.verify_restored()
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"row {target.pk}", result.stderr)
