"""`python manage.py replay SCENARIO.json`: run a dated sequence of steps on
one case and print one JSON line per step; nothing stays in the database
(docs/replay.md)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from casework.replay import ScenarioError, run


class Command(BaseCommand):
    help = (
        "Run a dated scenario of steps on one case inside a transaction that is "
        "rolled back, and print one JSON line per step (docs/replay.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="path to the scenario (JSON)")
        parser.add_argument(
            "--letters",
            metavar="DIR",
            help="write every letter a make_letter step makes to DIR as PDF",
        )

    def handle(self, *args, scenario, letters=None, **options):
        try:
            lines = run(scenario, letters_dir=Path(letters) if letters else None)
        except ScenarioError as exc:
            self.stderr.write(f"replay: {exc}")
            sys.exit(2)
        for line in lines:
            self.stdout.write(json.dumps(line, ensure_ascii=False))
