"""`manage.py termijn`: the end date alone on the first line, then the reasons."""

import os
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.test import SimpleTestCase, TestCase, override_settings
from django.utils import translation

from casework.models import EquatedHoliday

ROOT = Path(__file__).resolve().parents[2]


def termijn(*args: str) -> list[str]:
    out = StringIO()
    call_command("termijn", *args, stdout=out)
    return out.getvalue().splitlines()


@override_settings(LANGUAGE_CODE="en")
class TermijnCommandTests(TestCase):
    def test_first_line_is_the_date_alone_then_the_explanation(self):
        # Fri 2026-03-20 + 2 weeks = Goede Vrijdag 04-03 -> Tue 04-07.
        lines = termijn("2026-03-20", "--weeks", "2")
        self.assertEqual(lines[0], "2026-04-07")
        self.assertIn("starts on 2026-03-21", lines[1])
        self.assertTrue(lines[2].startswith("Atw art 1: 2026-04-03 is Goede Vrijdag"))
        self.assertEqual(len(lines), 3)

    def test_days_and_months(self):
        self.assertEqual(termijn("2026-01-09", "--days", "3")[0], "2026-01-13")
        self.assertEqual(termijn("2026-01-31", "--months", "1")[0], "2026-03-02")

    def test_no_atw_keeps_the_end_on_a_holiday(self):
        lines = termijn("2026-03-20", "--weeks", "2", "--no-atw")
        self.assertEqual(lines[0], "2026-04-03")
        self.assertIn("not applied", lines[-1])

    def test_suspensions_and_extension_move_the_end(self):
        # Mon 2026-01-05 + 8 weeks = Mon 03-02; 01-10..01-19 and 01-15..01-22
        # cover 01-10..01-22 = 13 days -> Sun 03-15; + 3 days -> Wed 03-18.
        lines = termijn(
            "2026-01-05", "--weeks", "8",
            "--suspend", "2026-01-10:2026-01-19",
            "--suspend", "2026-01-15:2026-01-22",
            "--extend-days", "3",
        )  # fmt: skip
        self.assertEqual(lines[0], "2026-03-18")
        self.assertIn("13 suspended days", lines[4])
        self.assertIn("Extended by 3 days", lines[5])

    def test_an_equated_day_in_the_database_changes_the_end(self):
        # Fri 2026-04-03 + 6 weeks = Fri 05-15: a working day, unless a Royal
        # Decree equates it to a holiday; then Sat, Sun -> Mon 05-18.
        self.assertEqual(termijn("2026-04-03", "--weeks", "6")[0], "2026-05-15")
        EquatedHoliday.objects.create(
            day="2026-05-15",
            name="vrijdag na Hemelvaartsdag",
            source="Stcrt. 2025, 12345",
        )
        lines = termijn("2026-04-03", "--weeks", "6")
        self.assertEqual(lines[0], "2026-05-18")
        self.assertIn("2026-05-15 is vrijdag na Hemelvaartsdag", lines[-1])

    def test_without_the_equated_day_table_there_are_no_extra_days(self):
        with mock.patch.object(
            EquatedHoliday.objects,
            "values_list",
            side_effect=OperationalError("no such table: casework_equatedholiday"),
        ):
            self.assertEqual(termijn("2026-04-03", "--weeks", "6")[0], "2026-05-15")

    @override_settings(LANGUAGE_CODE="nl")
    def test_output_is_in_the_site_language_and_leaves_the_caller_alone(self):
        from casework.management.commands import termijn as command

        seen = []

        def compute_term(*args, **kwargs):
            seen.append(translation.get_language())
            return real_compute_term(*args, **kwargs)

        real_compute_term = command.compute_term
        with (
            translation.override("de"),
            mock.patch.object(command, "compute_term", compute_term),
        ):
            termijn("2026-01-05", "--weeks", "6")
            self.assertEqual(translation.get_language(), "de")
        self.assertEqual(seen, ["nl"])


@override_settings(LANGUAGE_CODE="en")
class TermijnCommandErrorTests(SimpleTestCase):
    """Own validation: CommandError with exit status 2 and a one-line message."""

    def assert_usage_error(self, *args: str, message: str) -> None:
        with (
            mock.patch(
                "casework.management.commands.termijn.Command.equated_holidays",
                return_value={},
            ),
            self.assertRaisesMessage(CommandError, message) as caught,
        ):
            termijn(*args)
        self.assertEqual(caught.exception.returncode, 2)
        self.assertNotIn("\n", str(caught.exception))

    def test_bad_start_date(self):
        self.assert_usage_error(
            "2026-02-30", "--weeks", "6", message="START must be a date as YYYY-MM-DD"
        )

    def test_zero_or_negative_length(self):
        self.assert_usage_error("2026-01-05", "--days", "0", message="--days must be")
        self.assert_usage_error("2026-01-05", "--weeks", "-1", message="--weeks must")

    def test_bad_suspension(self):
        self.assert_usage_error(
            "2026-01-05", "--weeks", "6", "--suspend", "2026-01-10",
            message="--suspend takes FIRST:LAST",
        )  # fmt: skip
        self.assert_usage_error(
            "2026-01-05", "--weeks", "6", "--suspend", "2026-01-10:gisteren",
            message="--suspend must be a date",
        )  # fmt: skip
        self.assert_usage_error(
            "2026-01-05", "--weeks", "6", "--suspend", "2026-01-19:2026-01-10",
            message="cannot end (2026-01-10) before it starts (2026-01-19)",
        )  # fmt: skip

    def test_negative_extension(self):
        self.assert_usage_error(
            "2026-01-05", "--weeks", "6", "--extend-days", "-2",
            message="--extend-days cannot be negative",
        )  # fmt: skip

    def test_a_term_past_the_longest_of_the_law_is_refused(self):
        """A length that would run past year 9999 is refused before any date
        arithmetic: no term of the law covered is longer than five years
        (Awb 4:104; casework.terms.MAX_LENGTH)."""
        self.assert_usage_error("2026-01-05", "--days", "99999999", message="1830")

    def test_length_options_are_exclusive_and_required(self):
        for args in (("2026-01-05",), ("2026-01-05", "--days", "3", "--weeks", "1")):
            with self.subTest(args=args), self.assertRaises(CommandError):
                termijn(*args)


class TermijnEndToEndTests(SimpleTestCase):
    """The real command line: exit status and streams, in a fresh process on an
    empty database (the EquatedHoliday table does not exist there)."""

    def run_termijn(
        self, *args: str, secret_key: str | None
    ) -> subprocess.CompletedProcess:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG"}
        }
        if secret_key is not None:
            env["SECRET_KEY"] = secret_key
        env["DJANGO_SETTINGS_MODULE"] = "casework.settings"
        with tempfile.TemporaryDirectory() as tmp:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/empty.sqlite3"
            return subprocess.run(
                [sys.executable, "manage.py", "termijn", *args],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )

    def test_success_prints_the_date_first_even_without_a_secret_key(self):
        # Fri 2026-12-18 + 2 weeks = Nieuwjaarsdag 2027, Sat, Sun -> Mon 01-04.
        done = self.run_termijn("2026-12-18", "--weeks", "2", secret_key=None)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.splitlines()[0], "2027-01-04")
        self.assertGreater(len(done.stdout.splitlines()), 1)

    def test_invalid_input_exits_with_status_2(self):
        bad_date = self.run_termijn("2026-13-01", "--weeks", "2", secret_key="x")
        self.assertEqual(bad_date.returncode, 2)
        self.assertEqual(bad_date.stdout, "")
        self.assertEqual(len(bad_date.stderr.strip().splitlines()), 1)
        self.assertIn("2026-13-01", bad_date.stderr)

        two_lengths = self.run_termijn(
            "2026-03-20", "--weeks", "2", "--days", "3", secret_key="x"
        )
        self.assertEqual(two_lengths.returncode, 2)
        self.assertIn("not allowed with argument", two_lengths.stderr)

        no_length = self.run_termijn("2026-03-20", secret_key="x")
        self.assertEqual(no_length.returncode, 2)
        self.assertIn("one of the arguments --days --weeks --months", no_length.stderr)
