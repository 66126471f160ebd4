from celery import shared_task

from . import deadlines


@shared_task(name="casework.tasks.deadlines_sweep")
def deadlines_sweep() -> dict[str, int]:
    """Celery beat entry point for `casework.deadlines.deadlines_sweep`."""
    return deadlines.deadlines_sweep()
