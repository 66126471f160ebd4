"""Rebuild the hotspot figures and ranks now (docs/hotspots.md)."""

from django.core.management.base import BaseCommand

from hotspots import rebuild


class Command(BaseCommand):
    help = "Rebuild the hotspot figures and each role's ranking."

    def handle(self, *args, **options):
        record = rebuild.refresh()
        self.stdout.write(
            f"{record.figures} figures, {record.ranks} ranks in {record.seconds} s."
        )
