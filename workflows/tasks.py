from dataclasses import asdict

from celery import shared_task

from . import pga_services


@shared_task(name="workflows.tasks.pga_retention_sweep")
def pga_retention_sweep() -> dict[str, list[str]]:
    """Celery beat entry point for `pga_services.retention_sweep`."""
    return asdict(pga_services.retention_sweep())
