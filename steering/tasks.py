from celery import shared_task

from . import facts


@shared_task(name="steering.tasks.refresh_recent")
def refresh_recent() -> int:
    """Celery beat entry point: the facts of the current and the previous
    month (`steering.facts.refresh_recent`)."""
    return facts.refresh_recent()


@shared_task(name="steering.tasks.refresh_full")
def refresh_full() -> int:
    """Celery beat entry point: the facts of every month."""
    return facts.refresh()
