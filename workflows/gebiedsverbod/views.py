"""The package's pages: the measure and its violation reports (for the case
team and, outcome only, for the police and the OM), the form on which the
police report a violation and the one on which the jurist records an
incident. Every page obtains its case through the kernel's
`case_for_user`, which answers 404 to anyone not entitled."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casework.idempotency import run_once
from casework.selectors import case_for_user
from permissions.models import DataClass
from permissions.policy import READ, WRITE, actor_for, role_permits
from permissions.services import user_can

from . import services
from .forms import IncidentForm, ViolationForm
from .machine import CODE
from .selectors import measure_outcome, violations_for_user


def _case(request, reference):
    case = case_for_user(request.user, reference)
    if case.case_type != CODE:
        raise Http404
    return case


@require_GET
def measure_page(request, reference):
    case = _case(request, reference)
    actor = actor_for(request.user)
    context = {
        "case": case,
        "outcome": measure_outcome(case),
        "violations": violations_for_user(request.user, case, request=request),
        "may_report": services.may_report_violation(request.user, case)
        and case.status in services.IN_FORCE_STATES,
        # The municipality reads the besluit (D2) in full on the case page.
        "full_case": role_permits(actor.role, READ, DataClass.D2),
    }
    return render(request, "gebiedsverbod/measure.html", context)


def _form_page(request, case, form, heading, action, done, *, back_to_case=False):
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("form_token")
        try:
            run_once(token=token, user=request.user, action=lambda: action(data))
        except PermissionDenied as exc:
            # Refused by the decision point: 404, as before the form.
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, done)
            if back_to_case:
                # The jurist records incidents from the case page, where its
                # panel lists them.
                return redirect(case)
            return redirect("casework:gebiedsverbod_measure", reference=case.reference)
    context = {"case": case, "form": form, "heading": heading}
    return render(request, "casework/case_form.html", context)


@require_http_methods(["GET", "POST"])
def violation_new(request, reference):
    """The police's own violation report: 404 to anyone the decision point
    does not let write one, before the state is looked at; a reporter at the
    wrong state gets the state's error on the form."""
    case = _case(request, reference)
    if not services.may_report_violation(request.user, case):
        raise Http404

    def action(data):
        services.violation_report_create(case=case, user=request.user, **data)
        return case

    return _form_page(
        request,
        case,
        ViolationForm(request.POST or None),
        _("Report a violation of the measure"),
        action,
        _("Violation reported."),
    )


@require_http_methods(["GET", "POST"])
def incident_new(request, reference):
    case = _case(request, reference)
    if not user_can(request.user, WRITE, case):
        raise Http404

    def action(data):
        services.incident_record(case=case, user=request.user, **data)
        return case

    return _form_page(
        request,
        case,
        IncidentForm(request.POST or None),
        _("Record an incident"),
        action,
        _("Incident recorded."),
        back_to_case=True,
    )
