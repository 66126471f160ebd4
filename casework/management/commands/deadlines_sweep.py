from datetime import date

from django.core.management.base import BaseCommand, CommandError

from casework.deadlines import deadlines_sweep


class Command(BaseCommand):
    help = (
        "Mark passed deadlines missed, end suspensions at their legal cap and "
        "remind owners of deadlines due soon. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were YYYY-MM-DD.")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}") from exc
        counts = deadlines_sweep(today=day)
        self.stdout.write(
            "missed={missed} reminders={reminders} capped={capped}".format(**counts)
        )
