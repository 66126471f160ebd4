"""Report jobs: request, build, repeat, prune (docs/reports.md).

A request is a row (`ReportJob`, queued) and, once that row is committed, a
Celery task (`tasks.build_report`) that builds the report as its requester
sees it and writes its progress at every section. Without a broker the task
runs eagerly after the request's commit (`CELERY_TASK_ALWAYS_EAGER`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permissions.figures import feedback_organisations, may_request_report
from permissions.policy import actor_for

from .models import ReportJob

logger = logging.getLogger(__name__)

NOT_ALLOWED = _("You may not request this report.")
# Old jobs: at most KEEP_PER_USER per requester, none older than KEEP_DAYS
# (the result holds figures of the moment it was made; a new one is cheap).
KEEP_PER_USER = 20
KEEP_DAYS = 30

Progress = Callable[[str, int], None]


def may_request(user, kind: str) -> bool:
    """The decision point's answer for a kind of report."""
    if kind == ReportJob.Kind.FEEDBACK:
        return feedback_organisations(user) is not None
    return may_request_report(user)


def job_request(*, user, kind: str, parameters: dict) -> ReportJob:
    """Queue a report; its build starts once this transaction commits."""
    if kind not in ReportJob.Kind.values or not may_request(user, kind):
        raise PermissionDenied(NOT_ALLOWED)
    job = ReportJob.objects.create(
        kind=kind,
        parameters=parameters,
        requested_by=user,
        organisation_id=actor_for(user).organisation_id,
        step="queued",
    )
    transaction.on_commit(lambda: _start(job.pk), robust=True)
    return job


def job_repeat(*, user, job: ReportJob) -> ReportJob:
    """The same request again (after a failure, or for fresh figures)."""
    return job_request(user=user, kind=job.kind, parameters=dict(job.parameters))


def _start(job_id: int) -> None:
    """Hand the job to a worker; when the broker cannot take it the job
    fails at once (the requester sees it and asks again) rather than
    waiting forever."""
    from .tasks import build_report

    try:
        build_report.delay(job_id)
    except Exception as exc:  # noqa: BLE001 - the broker's errors vary
        logger.exception("report job %s could not be queued", job_id)
        ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
            status=ReportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )


def _progress(job_id: int) -> Progress:
    def report(step: str, percent: int) -> None:
        ReportJob.objects.filter(pk=job_id).update(
            step=step, progress=max(0, min(100, int(percent)))
        )

    return report


def job_run(job_id: int) -> str:
    """Build the report of a queued job: running, then done with the PDF,
    or failed with the cause kept for the administrator. Each status change
    is its own statement, outside any transaction, so the status page sees
    the progress while the build runs."""
    claimed = ReportJob.objects.filter(
        pk=job_id, status=ReportJob.Status.QUEUED
    ).update(
        status=ReportJob.Status.RUNNING,
        started_at=timezone.now(),
        progress=0,
        step="cover",
    )
    if not claimed:
        # Already taken by another worker, or gone: nothing to do.
        return "skipped"
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        content, filename = build(job, _progress(job_id))
    except Exception as exc:  # noqa: BLE001 - every failure is the job's
        logger.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return "failed"
    ReportJob.objects.filter(pk=job_id).update(
        status=ReportJob.Status.DONE,
        progress=100,
        step="done",
        result=content,
        filename=filename,
        finished_at=timezone.now(),
    )
    return "done"


def build(job: ReportJob, progress: Progress) -> tuple[bytes, str]:
    """The report's bytes and file name, built as the requester sees it.
    The requester's rights are asked again: a role may have changed since
    the request."""
    from . import feedback, quarterly

    user = job.requested_by
    if not may_request(user, job.kind):
        raise PermissionDenied(NOT_ALLOWED)
    if job.kind == ReportJob.Kind.FEEDBACK:
        return feedback.build(user, job.parameters, progress)
    return quarterly.build(user, job.parameters, progress)


def jobs_prune(*, now=None) -> int:
    """Delete jobs older than KEEP_DAYS and all but the newest KEEP_PER_USER
    of each requester; running jobs are kept. Returns the number deleted."""
    now = now or timezone.now()
    old = ReportJob.objects.filter(created_at__lt=now - timedelta(days=KEEP_DAYS))
    deleted = old.exclude(status=ReportJob.Status.RUNNING).delete()[0]
    surplus = []
    users = (
        ReportJob.objects.values_list("requested_by_id", flat=True)
        .order_by()
        .distinct()
    )
    for user_id in users:
        surplus += list(
            ReportJob.objects.filter(requested_by_id=user_id)
            .exclude(status=ReportJob.Status.RUNNING)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)[KEEP_PER_USER:]
        )
    if surplus:
        deleted += ReportJob.objects.filter(pk__in=surplus).delete()[0]
    return deleted
