"""`manage.py termijn START (--days N | --weeks N | --months N) [--no-atw]`

Prints the last day of the term as YYYY-MM-DD alone on the first line, then
the explanation. For lawyers and integrators; see docs/deadlines.md.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation

from casework.terms import Suspension, compute_term


def parse_date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            f"{what} must be a date as YYYY-MM-DD, not {value!r}", returncode=2
        ) from exc


class Command(BaseCommand):
    # Pure arithmetic: runs on a fresh checkout without SECRET_KEY or database.
    requires_system_checks = []
    help = (
        "Compute the end of a term from the date of the triggering event "
        "(Awb 6:8 and the Algemene termijnenwet)."
    )

    def add_arguments(self, parser):
        parser.add_argument("start", help="date of the triggering event, YYYY-MM-DD")
        length = parser.add_mutually_exclusive_group(required=True)
        length.add_argument("--days", type=int)
        length.add_argument("--weeks", type=int)
        length.add_argument("--months", type=int)
        parser.add_argument(
            "--no-atw",
            action="store_true",
            help="term set by the organ (zienswijze, begunstiging): no Atw extension",
        )
        parser.add_argument(
            "--suspend",
            action="append",
            default=[],
            metavar="FIRST:LAST",
            help="suspended days, inclusive (repeatable)",
        )
        parser.add_argument("--extend-days", type=int, default=0)

    def handle(self, *args, **options):
        translation.activate(settings.LANGUAGE_CODE)
        event = parse_date(options["start"], "START")
        length = {
            unit: options[unit]
            for unit in ("days", "weeks", "months")
            if options[unit] is not None
        }
        if any(n <= 0 for n in length.values()):
            raise CommandError("the length must be a positive number", returncode=2)
        suspensions = []
        for value in options["suspend"]:
            first, sep, last = value.partition(":")
            if not sep:
                raise CommandError(
                    f"--suspend must be FIRST:LAST, not {value!r}", returncode=2
                )
            suspensions.append(
                Suspension(
                    start=parse_date(first, "--suspend"),
                    end=parse_date(last, "--suspend"),
                    reason="--suspend",
                )
            )
        if options["extend_days"] < 0:
            raise CommandError("--extend-days cannot be negative", returncode=2)
        try:
            result = compute_term(
                event,
                **length,
                atw=not options["no_atw"],
                suspensions=suspensions,
                extension_days=options["extend_days"],
                extra_holidays=self.equated_holidays(),
            )
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(result.end.isoformat())
        for line in result.lines:
            self.stdout.write(line)

    def equated_holidays(self) -> dict[date, str]:
        """Days equated by Royal Decree from the database; none without one."""
        from casework.models import EquatedHoliday

        try:
            return dict(EquatedHoliday.objects.values_list("day", "name"))
        except DatabaseError:
            return {}
