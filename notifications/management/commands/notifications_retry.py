from django.core.management.base import BaseCommand

from notifications import delivery


class Command(BaseCommand):
    help = (
        "Queue webhook messages whose attempt is overdue (without a broker: "
        "send them now). Celery beat runs the same every five minutes."
    )

    def handle(self, *args, **options):
        count = delivery.retry_due()
        self.stdout.write(f"{count} message(s) queued.")
