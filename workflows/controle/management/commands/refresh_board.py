"""Count the selection board's ranks again (docs/controle.md, "Selection
board"): after a bulk write that bypassed the model signals (an import by
SQL, the benchmark generator) or when the nightly task did not run."""

import time

from django.core.management.base import BaseCommand

from workflows.controle import ranks


class Command(BaseCommand):
    help = "Rebuild the selection board's ranks of every organisation and role."

    def handle(self, *args, **options):
        started = time.monotonic()
        rebuilt = ranks.rebuild()
        self.stdout.write(
            f"{rebuilt.rows} ranks of {rebuilt.scopes} scopes in "
            f"{time.monotonic() - started:.2f} s."
        )
