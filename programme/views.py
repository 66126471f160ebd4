"""The programme monitor's pages: the list of programmes, a programme with
its projects, goals, milestones, budget and governance, and a project.

Every page fetches its programme through `selectors` (404 for whoever the
decision point does not let read it, `permissions.figures.programme_access`);
the forms are there only for the editors (a POST by anyone else is a 404),
the budget only for readers of the budget. Every form carries a token: a
double click records once (`casework.idempotency.run_once`). A refused
write shows the rule on the same page with the input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casework.idempotency import run_once

from . import selectors
from . import services as svc
from .forms import BudgetEntryForm, MeasurementForm, MilestoneDoneForm
from .models import BudgetLine, Goal, Milestone


def _run(request, form, action) -> str | None:
    """Run one service once per form token; the URL to go to, or None
    with the refusal (its rule named) on the form."""
    try:
        url = run_once(
            token=form.cleaned_data["form_token"], user=request.user, action=action
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            form.add_error(None, message)
        return None
    messages.success(request, _("Saved."))
    return url


@require_GET
def programme_list(request):
    if not selectors.may_list(request.user):
        raise Http404
    programmes = selectors.programmes_for(request.user)
    return render(request, "programme/programme_list.html", {"programmes": programmes})


@require_http_methods(["GET", "POST"])
def programme_detail(request, pk):
    programme, access = selectors.programme_for(request.user, pk)
    may_book = access.edit and access.budget
    if request.method == "POST" and not may_book:
        raise Http404
    summary = selectors.summary(request.user, programme)
    form = None
    if may_book:
        lines = summary.budget.lines
        form = BudgetEntryForm(request.POST or None, lines=lines)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            line = BudgetLine.objects.get(pk=data["line"], programme=programme)

            def book():
                return svc.budget_entry_record(
                    line=line,
                    user=request.user,
                    kind=data["kind"],
                    amount=data["amount"],
                    booked_on=data["booked_on"],
                    description=data["description"],
                )

            url = _run(request, form, book)
            if url:
                return redirect(f"{url}#budget")
    return render(
        request,
        "programme/programme_detail.html",
        {"summary": summary, "form": form},
    )


@require_http_methods(["GET", "POST"])
def project_detail(request, pk):
    project, access = selectors.project_for(request.user, pk)
    if request.method == "POST" and not access.edit:
        raise Http404
    page = selectors.project_page(request.user, project)
    measurement_form = milestone_form = None
    if access.edit:
        goals, milestones = page.project.goals, page.project.milestones
        action = request.POST.get("action") if request.method == "POST" else None
        if request.method == "POST" and action not in ("measurement", "milestone"):
            raise Http404
        measurement_form = MeasurementForm(
            request.POST if action == "measurement" else None,
            goals=goals,
            auto_id="id_measurement_%s",
        )
        milestone_form = MilestoneDoneForm(
            request.POST if action == "milestone" else None,
            milestones=milestones,
            auto_id="id_milestone_%s",
        )
        form = measurement_form if action == "measurement" else milestone_form
        if action and form.is_valid():
            data = form.cleaned_data
            if action == "measurement":
                goal = Goal.objects.get(pk=data["goal"], project=project)

                def record():
                    return svc.measurement_record(
                        goal=goal,
                        user=request.user,
                        measured_on=data["measured_on"],
                        value=data["value"],
                        note=data["note"],
                    )

            else:
                milestone = Milestone.objects.get(pk=data["milestone"], project=project)

                def record():
                    return svc.milestone_mark_done(
                        milestone=milestone, user=request.user, done_on=data["done_on"]
                    )

            url = _run(request, form, record)
            if url:
                return redirect(url)
    return render(
        request,
        "programme/project_detail.html",
        {
            "page": page,
            "measurement_form": measurement_form,
            "milestone_form": milestone_form,
        },
    )
