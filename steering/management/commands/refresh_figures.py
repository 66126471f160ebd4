"""Recompute the steering facts (docs/steering.md): the current and the
previous month, or every month with --full, or from a month on with --since."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from steering import facts


class Command(BaseCommand):
    help = "Recompute the steering figures (facts) from the case tables."

    def add_arguments(self, parser):
        parser.add_argument(
            "--full", action="store_true", help="every month, not only the last two"
        )
        parser.add_argument(
            "--since", help="from this month on (YYYY-MM), instead of the last two"
        )

    def handle(self, *args, full=False, since=None, **options):
        if full and since:
            raise CommandError("Give --full or --since, not both.")
        if since:
            try:
                year, month = (int(part) for part in since.split("-"))
                start = date(year, month, 1)
            except ValueError:
                raise CommandError("--since takes a month as YYYY-MM.") from None
            written = facts.refresh(start)
        elif full:
            written = facts.refresh()
        else:
            written = facts.refresh_recent()
        at = facts.refreshed_at()
        self.stdout.write(f"{written} facts written; figures as of {at:%Y-%m-%d %H:%M}")
