import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from casework.models import EquatedHoliday

ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> list[str]:
    out = StringIO()
    call_command("termijn", *args, stdout=out)
    return out.getvalue().splitlines()


class TermijnCommandTests(TestCase):
    def test_first_line_is_the_date_alone_then_the_explanation(self):
        lines = run("2026-03-20", "--weeks", "2")
        self.assertEqual(lines[0], "2026-04-07")
        self.assertGreater(len(lines), 2)
        self.assertTrue(any("Goede Vrijdag" in line for line in lines[1:]))

    def test_no_atw_keeps_the_rest_day(self):
        self.assertEqual(run("2026-03-20", "--weeks", "2", "--no-atw")[0], "2026-04-03")

    def test_suspension_and_extension_options(self):
        # Mon 03-02 + 10 suspended days = Thu 03-12; + 4 extension days = Mon 03-16.
        lines = run(
            "2026-01-05", "--weeks", "8", "--suspend", "2026-01-10:2026-01-19",
            "--extend-days", "4",
        )  # fmt: skip
        self.assertEqual(lines[0], "2026-03-16")

    def test_equated_holiday_from_the_database_counts(self):
        EquatedHoliday.objects.create(
            day=date(2026, 5, 15), name="Vrijdag na Hemelvaart", source="Stcrt. 1"
        )
        self.assertEqual(run("2026-05-01", "--weeks", "2")[0], "2026-05-18")

    def test_bad_input_is_a_clear_error_with_status_2(self):
        cases = [
            ("2026-13-01", "--weeks", "2"),
            ("2026-01-01", "--days", "0"),
            ("2026-01-01", "--weeks", "-3"),
            ("2026-01-01", "--days", "3", "--suspend", "2026-01-02"),
            ("2026-01-01", "--days", "3", "--suspend", "2026-01-05:2026-01-02"),
        ]
        for args in cases:
            with self.subTest(args=args), self.assertRaises(CommandError) as caught:
                run(*args)
            self.assertEqual(caught.exception.returncode, 2)


class TermijnProcessTests(SimpleTestCase):
    """The command as a lawyer runs it: a fresh process, no SECRET_KEY."""

    def termijn(self, *args):
        env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
        env["DATABASE_URL"] = "sqlite:////nonexistent-dir/none.sqlite3"
        return subprocess.run(
            [sys.executable, "manage.py", "termijn", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    def test_prints_the_date_and_exits_0(self):
        done = self.termijn("2026-12-18", "--weeks", "2")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.splitlines()[0], "2027-01-04")

    def test_missing_length_and_bad_date_exit_2(self):
        for args in (("2026-12-18",), ("18-12-2026", "--days", "3"),
                     ("2026-12-18", "--days", "3", "--weeks", "1")):  # fmt: skip
            with self.subTest(args=args):
                done = self.termijn(*args)
                self.assertEqual(done.returncode, 2)
                self.assertTrue(done.stderr.strip())
