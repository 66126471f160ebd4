"""`manage.py termijn START (--days N | --weeks N | --months N) [--no-atw]
[--suspend FIRST:LAST ...] [--extend-days N]`

Prints the last day of the term as YYYY-MM-DD alone on the first line, then
one explanation line per rule applied. Invalid input exits with status 2.
See docs/deadlines.md.
"""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from casework.terms import Suspension, compute_term

USAGE_ERROR = 2


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(option)s must be a date as YYYY-MM-DD, not %(value)r.")
            % {"option": option, "value": value},
            returncode=USAGE_ERROR,
        ) from None


def _suspension(value: str) -> Suspension:
    first, colon, last = value.partition(":")
    if not colon:
        raise CommandError(
            _("--suspend takes FIRST:LAST (YYYY-MM-DD:YYYY-MM-DD), not %(value)r.")
            % {"value": value},
            returncode=USAGE_ERROR,
        )
    return Suspension(
        start=_date(first, "--suspend"),
        end=_date(last, "--suspend"),
        reason=_("given with --suspend"),
    )


class Command(BaseCommand):
    help = (
        "Compute the last day of a term from the date of the triggering event "
        "(Awb 6:8 and the Algemene termijnenwet)."
    )
    # Pure arithmetic: runs on a fresh checkout without SECRET_KEY.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("start", help="date of the triggering event, YYYY-MM-DD")
        length = parser.add_mutually_exclusive_group(required=True)
        length.add_argument("--days", type=int, help="term in days")
        length.add_argument("--weeks", type=int, help="term in weeks")
        length.add_argument("--months", type=int, help="term in months")
        parser.add_argument(
            "--no-atw",
            action="store_true",
            help="term set by the organ, not by law: no Atw extension",
        )
        parser.add_argument(
            "--suspend",
            action="append",
            default=[],
            metavar="FIRST:LAST",
            help="suspended days, both inclusive, YYYY-MM-DD:YYYY-MM-DD (repeatable)",
        )
        parser.add_argument(
            "--extend-days",
            type=int,
            default=0,
            metavar="N",
            help="extension (verdaging) in days",
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            lines = self.compute(options)
        self.stdout.write("\n".join(lines))

    def compute(self, options) -> list[str]:
        event = _date(options["start"], "START")
        unit = next(u for u in ("days", "weeks", "months") if options[u] is not None)
        if options[unit] <= 0:
            raise CommandError(
                _("--%(unit)s must be a whole number greater than zero.")
                % {"unit": unit},
                returncode=USAGE_ERROR,
            )
        if options["extend_days"] < 0:
            raise CommandError(
                _("--extend-days cannot be negative."), returncode=USAGE_ERROR
            )
        suspensions = [_suspension(value) for value in options["suspend"]]
        try:
            result = compute_term(
                event,
                **{unit: options[unit]},
                atw=not options["no_atw"],
                suspensions=suspensions,
                extension_days=options["extend_days"],
                extension_reason=_("given with --extend-days"),
                extra_holidays=self.equated_holidays(),
            )
        except (ValueError, OverflowError) as exc:  # OverflowError: past year 9999
            raise CommandError(str(exc), returncode=USAGE_ERROR) from None
        return [result.end.isoformat(), *result.lines]

    def equated_holidays(self) -> dict[date, str]:
        """Days equated to holidays by Royal Decree, entered in the database.
        Without a database, or before its migration has run, there are none."""
        from casework.models import EquatedHoliday

        try:
            return dict(EquatedHoliday.objects.values_list("day", "name"))
        except DatabaseError:
            # OperationalError (SQLite) and ProgrammingError (PostgreSQL) when
            # the table does not exist yet.
            return {}
