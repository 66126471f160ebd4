from datetime import date

from django.core.management.base import BaseCommand, CommandError

from workflows.pga.services import retention_sweep


class Command(BaseCommand):
    help = (
        "Delete or anonymise PGA case files at the latest five years after "
        "first processing (WGS art. 1.8 lid 7): closed and rejected files are "
        "anonymised and logged; open files past the limit and files on hold "
        "are listed for a decision. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were YYYY-MM-DD.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be anonymised; change nothing.",
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}") from exc
        result = retention_sweep(today=day, dry_run=dry_run)
        verb = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(
            f"{verb}={len(result.anonymised)} "
            f"overdue={len(result.overdue)} held={len(result.held)} "
            f"failed={len(result.failed)}"
        )
        for label, refs in (
            (verb, result.anonymised),
            ("overdue (still open, decide now)", result.overdue),
            ("held (legal rule or claim)", result.held),
            ("FAILED (see the log; run again)", result.failed),
        ):
            for reference in refs:
                self.stdout.write(f"  {label}: {reference}")
