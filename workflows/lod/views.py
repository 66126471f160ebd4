"""The LOD case's assessment, proposal, decision and dwangsom account: one
panel on the case page and the page where the jurist records the facts."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from casework.forms import DATE_WIDGET, TEXT_LENGTH, DateField, TokenForm
from casework.idempotency import run_once
from casework.models import Case
from workflows.lod.handhavingsmatrix import (
    MAY_ASSESS,
    LodAssessment,
    LodDecision,
    lod_assessment_record,
    proposal_for,
)
from workflows.lod.penalties import dwangsom_account


def lod_context(case: Case, user) -> dict:
    """What the case page shows of the policy and the money, for an LOD case."""
    if case.case_type != "LOD":
        return {}
    # The case page's case query says whether there is an assessment or a
    # decision (`casework.selectors.case_for_page`); without those flags both
    # are read.
    sections = getattr(case, "sections", None) or {}
    assessment = (
        case.assessments.select_related("recorded_by").first()
        if sections.get("has_assessment", True)
        else None
    )
    try:
        proposal = proposal_for(case) if assessment else None
        proposal_error = ""
    except ValidationError as exc:
        proposal, proposal_error = None, " ".join(exc.messages)
    decision = (
        LodDecision.objects.filter(case=case).select_related("beleidsregel").first()
        if sections.get("has_decision", True)
        else None
    )
    return {
        "lod": {
            "assessment": assessment,
            "proposal": proposal,
            "proposal_error": proposal_error,
            "decision": decision,
            "account": dwangsom_account(case) if decision else None,
            "may_assess": MAY_ASSESS(case, user)
            and case.closed_at is None
            and decision is None,
        }
    }


class AssessmentForm(TokenForm):
    found_on = DateField(label=gettext_lazy("Date of the finding"), widget=DATE_WIDGET)
    premises_kind = forms.ChoiceField(
        label=gettext_lazy("Premises"),
        choices=LodAssessment._meta.get_field("premises_kind").choices,
    )
    substance = forms.ChoiceField(
        label=gettext_lazy("Substance"),
        choices=LodAssessment._meta.get_field("substance").choices,
    )
    grams = forms.DecimalField(
        label=gettext_lazy("Quantity (grams)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    violation = forms.IntegerField(
        label=gettext_lazy("Violation number"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=gettext_lazy("1 for a first violation at this address."),
    )
    facts = forms.CharField(
        label=gettext_lazy("Facts in your own words"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Do not copy the police report: it stays a police document (D3)."
        ),
        max_length=TEXT_LENGTH,
    )

    def clean_found_on(self):
        value = self.cleaned_data["found_on"]
        if value > timezone.localdate():
            raise ValidationError(_("This date cannot lie in the future."))
        return value


@require_http_methods(["GET", "POST"])
def lod_assessment(request, reference):
    from casework.views import case_form, case_or_404

    case = case_or_404(request, reference)
    if case.case_type != "LOD" or not MAY_ASSESS(case, request.user):
        raise Http404
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("form_token")
        try:
            url = run_once(
                token=token,
                user=request.user,
                action=lambda: (
                    lod_assessment_record(case=case, user=request.user, **data).case
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect(url)
    return case_form(request, case, form, _("Record the assessment"))
