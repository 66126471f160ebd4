from celery import shared_task

from . import rebuild


@shared_task(name="hotspots.tasks.refresh")
def refresh() -> dict:
    """Celery beat entry point for `hotspots.rebuild.refresh`."""
    record = rebuild.refresh()
    return {"figures": record.figures, "ranks": record.ranks, "seconds": record.seconds}
