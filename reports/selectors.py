"""Reads of the report jobs: only the requester's own."""

from __future__ import annotations

from django.http import Http404

from .models import ReportJob

# The columns of the job lists and status page: never the PDF itself.
LIST_FIELDS = (
    "pk", "kind", "parameters", "status", "progress", "step", "filename",
    "error", "created_at", "started_at", "finished_at", "requested_by_id",
    "organisation_id",
)  # fmt: skip


def jobs_for(user, *, limit: int = 20) -> list[ReportJob]:
    """The requester's newest jobs, without their results."""
    return list(
        ReportJob.objects.filter(requested_by=user)
        .only(*LIST_FIELDS)
        .order_by("-created_at", "-pk")[:limit]
    )


def job_for(user, pk: int, *, with_result: bool = False) -> ReportJob:
    """The job if the user requested it, else 404 (whether or not it exists)."""
    jobs = ReportJob.objects.filter(pk=pk, requested_by=user)
    if not with_result:
        jobs = jobs.only(*LIST_FIELDS)
    job = jobs.first()
    if job is None:
        raise Http404
    return job
