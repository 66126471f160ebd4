"""The reports' answers for the URL × role table
(`tests/permissions/url_roles.py`, between the reports' anchors)."""

import uuid

from permissions.figures import feedback_organisations
from reports.models import ReportJob
from reports.services import may_request

OWN_JOB = "reports: the requester's own job (reports.selectors.job_for)"


def requests_reports(user, s) -> bool:
    return any(may_request(user, kind) for kind in ReportJob.Kind.values)


def reads_feedback(user, s) -> bool:
    return feedback_organisations(user) is not None


def owns_job(user, s) -> bool:
    return ReportJob.objects.filter(pk=s.kwargs["pk"], requested_by=user).exists()


def owns_done_job(user, s) -> bool:
    return ReportJob.objects.filter(
        pk=s.kwargs["pk"], requested_by=user, status=ReportJob.Status.DONE
    ).exists()


def body_request(s, users) -> dict:
    return {"form_token": uuid.uuid4().hex, "kind": "quarterly", "quarter": "2026-K3"}
