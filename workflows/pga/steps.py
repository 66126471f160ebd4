"""The PGA steps that carry data (workflows/lod/steps.py does the same for the
LOD): the triage report on acceptance, the advice and minimisation on
rejection, the review cycle deadlines from policy data, after-care, and the
closure that writes the afsluitingsverslag and shields the file. Each runs in
the transaction of its transition (`casework.steps.step_run`).

Registered for `CODE` at import; `workflows/lod/steps.py` imports this
module once at its end.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import deadlines as deadline_engine
from casework.models import Deadline
from casework.steps import Step, StepForm, nothing
from workflows.pga import services as pga_services
from workflows.pga.models import PgaPolicy, PgaReferral


def _report_form(label):
    """A step whose note is its report, so the note is required."""

    class ReportForm(StepForm):
        note = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 5}))

    return ReportForm


class AcceptForm(StepForm):
    triage_report = forms.CharField(
        label=_("Triage report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why the case fits the purpose of WGS art. 2.25 and the criteria "
            "for complex cases."
        ),
    )


class RejectForm(StepForm):
    note = None  # the advice is the reason of this terminal step
    advice = forms.CharField(
        label=_("Advice or referral to the reporter"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "After this step the person's data is deleted from the referral; "
            "only the date, the reporter and this advice are kept."
        ),
    )

    def clean(self):
        data = super().clean()
        data["note"] = data.get("advice", "")
        return data


class ReviewForm(StepForm):
    note = forms.CharField(
        label=_("Evaluation report"), widget=forms.Textarea(attrs={"rows": 6})
    )
    next_weeks = forms.IntegerField(
        label=_("Next review in (weeks)"), min_value=1, max_value=26
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = PgaPolicy.on(timezone.localdate())
        self.fields["next_weeks"].initial = policy.review_weeks


class AftercareForm(StepForm):
    months = forms.IntegerField(
        label=_("After-care in months"), min_value=1, max_value=24
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = PgaPolicy.on(timezone.localdate())
        self.fields["months"].initial = policy.aftercare_months


class ClosureForm(StepForm):
    note = None  # the closure report is the reason of this terminal step
    closure_report = forms.CharField(
        label=_("Closure report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "After closing, the file is shielded: you and the other "
            "participants lose access (WGS art. 2.31 lid 8)."
        ),
    )

    def clean(self):
        data = super().clean()
        data["note"] = data.get("closure_report", "")
        return data


def _review_deadline(case, user, weeks: int, start=None) -> Deadline:
    return deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(gettext("Review of the action plan")),
        legal_basis=pga_services.REVIEW_BASIS,
        event_date=start or timezone.localdate(),
        length=weeks,
        unit=Deadline.Unit.WEEKS,
        atw_applies=False,
        authorised=True,
        obligation=Deadline.Obligation.ORGAN,
    )


def _close_reviews(case, user) -> None:
    for deadline in pga_services.open_review_deadlines(case):
        deadline_engine.deadline_mark_met(
            deadline=deadline, user=user, on=timezone.localdate(), authorised=True
        )


def _after_accept(case, user, data, *, source: str = "") -> None:
    PgaReferral.objects.filter(case=case).update(triage_report=data["triage_report"])


def _after_reject(case, user, data, *, source: str = "") -> None:
    pga_services.referral_minimise(case=case, user=user, advice=data["advice"])


def _after_start_execution(case, user, data, *, source: str = "") -> None:
    policy = PgaPolicy.on(timezone.localdate())
    _review_deadline(case, user, policy.review_weeks)


def _after_review(case, user, data, *, source: str = "") -> None:
    _close_reviews(case, user)
    _review_deadline(case, user, data["next_weeks"])


def _after_aftercare(case, user, data, *, source: str = "") -> None:
    _close_reviews(case, user)
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(gettext("End of after-care")),
        legal_basis=pga_services.AFTERCARE_BASIS,
        event_date=timezone.localdate(),
        length=data["months"],
        unit=Deadline.Unit.MONTHS,
        atw_applies=False,
        authorised=True,
        obligation=Deadline.Obligation.ORGAN,
    )


def closure_inputs(case, report: str) -> dict:
    """The afsluitingsverslag's inputs, read before the file is shielded."""
    referral = PgaReferral.objects.filter(case=case).first()
    person = pga_services.person_of(case)
    from workflows.pga.letters import LIFE_DOMAINS

    # Letter text is Dutch whatever the interface language (decision 0003).
    goals = [
        f"{LIFE_DOMAINS.get(goal.life_domain, goal.life_domain)}: {goal.description} "
        + ("(bereikt)" if goal.achieved else "(niet bereikt)")
        for goal in case.pga_goals.order_by("life_domain", "id")
    ]
    today = timezone.localdate()
    return {
        "reference": case.reference,
        "date": today.isoformat(),
        "person_name": person.name if person else "",
        "closed_on": today.isoformat(),
        "closure_report": report,
        "goals": "\n".join(goals),
        "retention_until": (
            referral.retention_until if referral else today
        ).isoformat(),
    }


def _after_close(case, user, data, *, source: str = "") -> None:
    from casework import documents, pdf

    _close_reviews(case, user)
    if "afsluiting_pga" in pdf.TEMPLATES:
        documents.document_generate(
            case=case,
            user=user,
            template_key="afsluiting_pga",
            inputs=closure_inputs(case, data["closure_report"]),
            data_class="D10",
        )
    pga_services.shield(case=case, user=user)


PGA_STEPS: dict[str, Step] = {
    "accept": Step(AcceptForm, _after_accept),
    "reject": Step(RejectForm, _after_reject, letter="afwijzing_pga"),
    "return_incomplete": Step(
        _report_form(_("What is missing from the referral")), nothing
    ),
    "plan_conference": Step(None, nothing, letter="uitnodiging_casusoverleg"),
    "adopt_plan": Step(None, nothing, letter="plan_van_aanpak"),
    "start_execution": Step(None, _after_start_execution),
    "finish_review": Step(ReviewForm, _after_review),
    "escalate": Step(_report_form(_("Escalation note")), nothing),
    "breakthrough": Step(
        _report_form(_("Decisions of the administrative consultation")), nothing
    ),
    "de_escalate": Step(_report_form(_("De-escalation report")), nothing),
    "start_aftercare": Step(AftercareForm, _after_aftercare),
    "close": Step(ClosureForm, _after_close),
}
