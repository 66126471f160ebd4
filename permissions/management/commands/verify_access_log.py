"""Check the whole access log: every shard's keyed chain, its head and the
checkpoints (docs/access.md "The access log").

    python manage.py verify_access_log

Exit 0 with a summary (Dutch / English) when the log is intact; exit 1 naming
the first bad row on any edit, deletion, truncation or reordering. An intact
log gets a checkpoint per shard; every run is recorded for the FG's /audit/.
"""

from django.core.management.base import BaseCommand, CommandError

from permissions.services import verify_access_log


class Command(BaseCommand):
    help = "Verify the access log's hash chains against their heads and checkpoints."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="Neither record the outcome nor write checkpoints (read only).",
        )

    def handle(self, *args, **options):
        record = not options["no_record"]
        report = verify_access_log(record=record, checkpoint=record)
        if not report.ok:
            lines = [report.summary()]
            lines += [f"  - {problem}" for problem in report.problems[:20]]
            raise CommandError("\n".join(lines), returncode=1)
        self.stdout.write(report.summary())
