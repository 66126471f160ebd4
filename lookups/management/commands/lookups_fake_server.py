"""Serve the fake BAG, KvK and BRP (lookups.fake) for the demo and for trying
the lookups without the real services (docs/lookups.md)."""

from django.core.management.base import BaseCommand

from lookups import fake


class Command(BaseCommand):
    help = (
        "Serve fictional BAG, KvK and BRP answers on a local port (not for production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--api-key", default="fake")

    def handle(self, *args, **options):
        fake.main(
            ["--host", options["host"], "--port", str(options["port"]),
             "--api-key", options["api_key"]]
        )  # fmt: skip
