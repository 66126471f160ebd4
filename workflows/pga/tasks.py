from dataclasses import asdict

from celery import shared_task

from workflows.pga import services as pga_services


@shared_task(name="workflows.pga.tasks.retention_sweep")
def retention_sweep() -> dict[str, list[str]]:
    """Celery beat entry point for `pga_services.retention_sweep`."""
    return asdict(pga_services.retention_sweep())
