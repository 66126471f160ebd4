"""Pages of the legal-protection region (bezwaar en beroep) of a case.

Included under the case URL (`/cases/<reference>/legal-protection/`). The case
comes through the case `for_user` lookup, so anyone not on its team gets 404;
the protection is a besluit's file (D2), so a team member whose role may not
read D2 (a partner's contributor) gets 404 as well. Steps are the transitions
the user may run now; the service checks them again.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.idempotency import run_once
from casework.views import case_or_404
from permissions.services import log_sensitive_read
from workflows.legal_protection import selectors, services
from workflows.legal_protection.forms import LegalProtectionOpenForm, StepForm
from workflows.legal_protection.machine import LegalProtection

STEP_FIELD = LegalProtection._meta.get_field("status")


def protection_url(protection) -> str:
    return reverse(
        "casework:legal_protection_detail",
        args=[protection.case.reference, protection.pk],
    )


def _readable_case_or_404(request, reference):
    case = case_or_404(request, reference)
    if not selectors.may_read_legal_protection(request.user, case):
        raise Http404
    return case


def _protection_or_404(request, reference, pk):
    case = _readable_case_or_404(request, reference)
    protection = selectors.protection_for_case(case, pk)
    if protection is None:
        raise Http404
    return protection


def _available_steps(protection, user) -> list:
    """The steps the user may run now, in the order of the model's table."""
    return sorted(
        protection.get_available_user_status_transitions(user),
        key=lambda t: t.method.__code__.co_firstlineno,
    )


def _declared_step(name: str):
    for step in STEP_FIELD.get_all_transitions(LegalProtection):
        if step.name == name:
            return step
    raise Http404


def _step_form(step, data=None) -> StepForm:
    return StepForm(
        data, name=step.name, needs_outcome=bool(step.custom.get("outcome"))
    )


def _detail(request, protection, *, bound: StepForm | None = None):
    available = _available_steps(protection, request.user)
    steps = [
        (
            step.name,
            step.custom.get("label", step.name),
            bound
            if bound is not None and bound.name == step.name
            else _step_form(step),
        )
        for step in available
    ]
    if bound is not None and bound.name not in {step.name for step in available}:
        # The step is no longer available (another user ran it first): keep
        # what was typed on the page, under the reason.
        label = _declared_step(bound.name).custom.get("label", bound.name)
        steps.insert(0, (bound.name, label, bound))
    deadlines = selectors.protection_deadlines(protection)
    context = {
        "case": protection.case,
        "protection": protection,
        "deadlines": deadlines,
        "next_deadline": selectors.next_deadline(deadlines),
        "history": selectors.protection_history(protection),
        "steps": steps,
    }
    return render(request, "legal_protection/detail.html", context)


@require_http_methods(["GET", "POST"])
def legal_protection_open(request, reference):
    """Register a besluit of the case against which bezwaar can be made."""
    case = _readable_case_or_404(request, reference)
    if not services.MAY_OPEN(case, request.user):
        raise Http404
    form = LegalProtectionOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def action():
            protection = services.legal_protection_open(
                case=case,
                user=request.user,
                decision_title=data["decision_title"],
                decision_kind=data["decision_kind"],
                decided_on=data["decided_on"],
            )
            url = protection_url(protection)
            return SimpleNamespace(get_absolute_url=lambda: url)

        try:
            url = run_once(token=data["form_token"], user=request.user, action=action)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Legal protection opened."))
            return redirect(url)
    context = {"case": case, "form": form, "heading": _("Register a decision")}
    return render(request, "legal_protection/form.html", context)


@require_GET
def legal_protection_detail(request, reference, pk):
    protection = _protection_or_404(request, reference, pk)
    log_sensitive_read(
        user=request.user,
        obj=protection,
        data_class=protection.case.data_class,
        case=protection.case,
        request=request,
    )
    return _detail(request, protection)


@require_POST
def legal_protection_step(request, reference, pk, name):
    """Run one step. 404 for a user who may run no step now, like the case
    transition view; a refused step shows its reason above the kept input."""
    protection = _protection_or_404(request, reference, pk)
    if not _available_steps(protection, request.user):
        raise Http404
    step = _declared_step(name)
    form = _step_form(step, request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def action():
            services.legal_protection_transition(
                protection=protection,
                name=name,
                user=request.user,
                note=data["note"],
                outcome=data.get("outcome", ""),
                on=data["on"],
                advisory_committee=data.get("advisory_committee", False),
            )
            url = protection_url(protection)
            return SimpleNamespace(get_absolute_url=lambda: url)

        try:
            url = run_once(token=data["form_token"], user=request.user, action=action)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Step recorded."))
            return redirect(url)
    return _detail(request, protection, bound=form)
