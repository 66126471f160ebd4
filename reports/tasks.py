"""Celery tasks of the reports: build one job, and the nightly pruning of
old jobs (docs/reports.md)."""

from celery import shared_task

from . import services


@shared_task(name="reports.tasks.build_report", ignore_result=True)
def build_report(job_id: int) -> str:
    """Build a queued report job (`services.job_run`)."""
    return services.job_run(job_id)


@shared_task(name="reports.tasks.prune_jobs")
def prune_jobs() -> int:
    """Beat: delete old report jobs (`services.jobs_prune`)."""
    return services.jobs_prune()
