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
from casework.forms import DATE_WIDGET, TEXT_LENGTH, DateField
from casework.models import Deadline
from casework.rules import refuse
from casework.steps import Step, StepForm, not_future, nothing
from workflows.pga import services as pga_services
from workflows.pga.machine import PgaStatus, evaluations
from workflows.pga.models import PgaPolicy, PgaReferral


def _report_form(label):
    """A step whose note is its report, so the note is required."""

    class ReportForm(StepForm):
        note = forms.CharField(
            label=label,
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=TEXT_LENGTH,
        )

    return ReportForm


class AcceptForm(StepForm):
    triage_report = forms.CharField(
        label=_("Triage report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Why the case fits the purpose of WGS art. 2.25 and the criteria "
            "for complex cases."
        ),
        max_length=TEXT_LENGTH,
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
        max_length=TEXT_LENGTH,
    )

    def clean(self):
        data = super().clean()
        data["note"] = data.get("advice", "")
        return data


class ReviewForm(StepForm):
    note = forms.CharField(
        label=_("Evaluation report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_LENGTH,
    )
    evaluated_on = DateField(
        label=_("Evaluated on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The day of the case conference that evaluated the plan."),
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
    closed_on = DateField(
        label=_("Closed on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The day the participants decided to close the case."),
    )
    closure_report = forms.CharField(
        label=_("Closure report"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "After closing, the file is shielded: you and the other "
            "participants lose access (WGS art. 2.31 lid 8)."
        ),
        max_length=TEXT_LENGTH,
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


def _close_reviews(case, user, on=None) -> None:
    for deadline in pga_services.open_review_deadlines(case):
        deadline_engine.deadline_mark_met(
            deadline=deadline,
            user=user,
            on=on or timezone.localdate(),
            authorised=True,
        )


def _after_accept(case, user, data, *, source: str = "") -> None:
    PgaReferral.objects.filter(case=case).update(triage_report=data["triage_report"])


def _after_reject(case, user, data, *, source: str = "") -> None:
    pga_services.referral_minimise(case=case, user=user, advice=data["advice"])


def _after_start_execution(case, user, data, *, source: str = "") -> None:
    policy = PgaPolicy.on(timezone.localdate())
    _review_deadline(case, user, policy.review_weeks)


def _after_review(case, user, data, *, source: str = "") -> None:
    day = data.get("evaluated_on") or timezone.localdate()
    _close_reviews(case, user, day)
    _review_deadline(case, user, data["next_weeks"], start=day)


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


def closure_inputs(case, report: str, closed_on=None) -> dict:
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
        "closed_on": (closed_on or today).isoformat(),
        "closure_report": report,
        "goals": "\n".join(goals),
        "retention_until": (
            referral.retention_until if referral else today
        ).isoformat(),
    }


def _after_close(case, user, data, *, source: str = "") -> None:
    from casework import documents, pdf

    closed_on = data.get("closed_on") or timezone.localdate()
    _close_reviews(case, user, closed_on)
    if "afsluiting_pga" in pdf.TEMPLATES:
        documents.document_generate(
            case=case,
            user=user,
            template_key="afsluiting_pga",
            inputs=closure_inputs(case, data["closure_report"], closed_on),
            data_class="D10",
        )
    pga_services.shield(case=case, user=user)


# --- Checks on the steps' dates (casework.steps.Step.checks) -----------------

RULE_EVALUATION = "WGS art. 2.31 lid 6"

EVALUATION_BEFORE_START = _(
    "The evaluation cannot be dated %(day)s, before the execution of the plan "
    "started on %(start)s: one evaluates what was carried out (WGS art. 2.31 "
    "lid 6)."
)
EVALUATION_BEFORE_LAST = _(
    "The evaluation cannot be dated %(day)s, before the previous evaluation of "
    "%(last)s (WGS art. 2.31 lid 6)."
)
CLOSED_BEFORE_EVALUATION = _(
    "The file cannot be closed on %(day)s, before the last evaluation of "
    "%(last)s: closing is discussed after the plan was evaluated (WGS art. 2.31 "
    "lid 6)."
)
CLOSED_BEFORE_START = _(
    "The file cannot be closed on %(day)s, before the execution of the plan "
    "started on %(start)s (WGS art. 2.31 lid 6)."
)


def execution_started_on(case):
    """The day the execution of the plan started (D50 → D60), or None."""
    event = (
        case.events.filter(
            kind="status", from_status=PgaStatus.D50, to_status=PgaStatus.D60
        )
        .order_by("-at", "-pk")
        .first()
    )
    return timezone.localdate(event.at) if event else None


def last_evaluated_on(case):
    """The date of the last evaluation: the event date of the review cycle
    it started (`_after_review`), or None before the first evaluation."""
    if not evaluations(case).exists():
        return None
    return (
        case.deadlines.filter(legal_basis=pga_services.REVIEW_BASIS)
        .order_by("-event_date", "-pk")
        .values_list("event_date", flat=True)
        .first()
    )


def evaluation_after_start(case, data):
    """2.31 lid 6: the plan is evaluated after its execution started."""
    day = data.get("evaluated_on")
    start = execution_started_on(case)
    if day is not None and start is not None and day < start:
        return refuse(
            RULE_EVALUATION, EVALUATION_BEFORE_START, on=start, day=day, start=start
        )
    return None


def evaluation_after_last(case, data):
    """2.31 lid 6: evaluations follow one another."""
    day = data.get("evaluated_on")
    last = last_evaluated_on(case)
    if day is not None and last is not None and day < last:
        return refuse(
            RULE_EVALUATION, EVALUATION_BEFORE_LAST, on=last, day=day, last=last
        )
    return None


def closure_after_evaluation(case, data):
    """2.31 lid 6: the file is closed after the last evaluation (and after
    the execution started)."""
    day = data.get("closed_on")
    if day is None:
        return None
    last = last_evaluated_on(case)
    if last is not None and day < last:
        return refuse(
            RULE_EVALUATION, CLOSED_BEFORE_EVALUATION, on=last, day=day, last=last
        )
    start = execution_started_on(case)
    if start is not None and day < start:
        return refuse(
            RULE_EVALUATION, CLOSED_BEFORE_START, on=start, day=day, start=start
        )
    return None


def step_initial(name: str, case) -> dict:
    """Today as the evaluation's date (the closure's is the kernel's
    `closed_on`)."""
    return {"evaluated_on": timezone.localdate()}


PGA_STEPS: dict[str, Step] = {
    "accept": Step(AcceptForm, _after_accept),
    "reject": Step(RejectForm, _after_reject, letter="afwijzing_pga"),
    "return_incomplete": Step(
        _report_form(_("What is missing from the referral")), nothing
    ),
    "plan_conference": Step(None, nothing, letter="uitnodiging_casusoverleg"),
    "adopt_plan": Step(None, nothing, letter="plan_van_aanpak"),
    "start_execution": Step(None, _after_start_execution),
    "finish_review": Step(
        ReviewForm,
        _after_review,
        initial=step_initial,
        checks=(evaluation_after_start, evaluation_after_last),
    ),
    "escalate": Step(_report_form(_("Escalation note")), nothing),
    "breakthrough": Step(
        _report_form(_("Decisions of the administrative consultation")), nothing
    ),
    "de_escalate": Step(_report_form(_("De-escalation report")), nothing),
    "start_aftercare": Step(AftercareForm, _after_aftercare),
    "close": Step(ClosureForm, _after_close, checks=(closure_after_evaluation,)),
}
