"""The reports' pages: request a report and follow its job, download it,
and the RIEC feedback overview as a page and a CSV (docs/reports.md).

Who may request which report is the decision point's
(`permissions.figures.may_request_report`, `feedback_organisations`); a job
is its requester's only (`selectors.job_for`: 404 for anyone else).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.idempotency import run_once
from permissions.figures import feedback_organisations
from permissions.models import Organisation

from . import feedback, selectors, services
from .forms import FeedbackFilter, RequestForm
from .models import ReportJob
from .steps import label


def _may_request_any(user) -> bool:
    return any(services.may_request(user, kind) for kind in ReportJob.Kind.values)


@require_http_methods(["GET", "POST"])
def request_report(request):
    user = request.user
    if not _may_request_any(user):
        raise Http404
    form = RequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            url = run_once(
                token=data["form_token"],
                user=user,
                action=lambda: services.job_request(
                    user=user, kind=data["kind"], parameters=form.parameters()
                ),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        return redirect(url)
    return render(
        request,
        "reports/request.html",
        {"form": form, "jobs": selectors.jobs_for(user)},
    )


@require_GET
def job_detail(request, pk: int):
    job = selectors.job_for(request.user, pk)
    return render(
        request,
        "reports/job_detail.html",
        {
            "job": job,
            "step": label(job.step),
            "params": _parameters(job),
            # WCAG 2.2.1: the reader may stop the timed refresh.
            "refresh": request.GET.get("refresh") != "off",
        },
    )


def _parameters(job: ReportJob) -> list[tuple[str, str]]:
    p = job.parameters or {}
    if job.kind == ReportJob.Kind.FEEDBACK:
        return [(_("Year"), str(p.get("year", "")))]
    rows = [
        (_("Quarter"), p.get("quarter", "")),
        (_("Area"), p.get("area") or _("Whole municipality")),
    ]
    if p.get("decisions"):
        rows.append((_("Decisions needed"), p["decisions"]))
    return rows


@require_GET
def job_download(request, pk: int):
    job = selectors.job_for(request.user, pk, with_result=True)
    if job.status != ReportJob.Status.DONE or not job.result:
        raise Http404
    response = HttpResponse(bytes(job.result), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def job_repeat(request, pk: int):
    job = selectors.job_for(request.user, pk)
    try:
        again = services.job_repeat(user=request.user, job=job)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect(again)


def _feedback_filter(request):
    allowed = feedback_organisations(request.user)
    if allowed is None:
        raise Http404
    organisations = list(
        Organisation.objects.filter(pk__in=allowed)
        .exclude(kind=Organisation.Kind.RIEC)
        .order_by("name")
        .values_list("pk", "name")
    )
    form = FeedbackFilter(request.GET or None, organisations=organisations)
    if not form.is_bound:
        return form, (timezone.localdate().year, None)
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["year"], form.cleaned_data.get("organisation"))


@require_GET
def feedback_page(request):
    """The counts per recipient and outcome; the results of one recipient
    (the one chosen, or the only one), a page at a time
    (`feedback.results_page`). The CSV and the PDF hold every result."""
    form, chosen = _feedback_filter(request)
    data = page = None
    if chosen is not None:
        year, organisation = chosen
        data = feedback.summary(request.user, year, organisation_id=organisation)
        if len(data.recipients) == 1:
            page = feedback.results_page(
                request.user,
                year,
                data.recipients[0],
                after=request.GET.get("after"),
                before=request.GET.get("before"),
            )
            feedback.log_read(request.user, page, page="riec_feedback", request=request)
    query = request.GET.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    return render(
        request,
        "reports/feedback.html",
        {
            "form": form,
            "data": data,
            "page": page,
            "query": query.urlencode(),
            "request_form": RequestForm(user=request.user),
        },
    )


@require_GET
def feedback_csv(request):
    form, chosen = _feedback_filter(request)
    if chosen is None:
        # The page says what is wrong with the filter.
        return redirect(f"{reverse('reports:feedback')}?{request.GET.urlencode()}")
    year, organisation = chosen
    data = feedback.overview(request.user, year, organisation_id=organisation)
    feedback.log_read(request.user, data, page="riec_feedback_csv", request=request)
    response = HttpResponse(
        "\ufeff" + feedback.csv_text(data), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="terugkoppeling-riec-{year}.csv"'
    )
    return response
