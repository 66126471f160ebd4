"""Steps that carry data: the form a step asks for and what it sets in motion.

Most transitions need only a note. The steps registered in `STEPS` ask for a
date or a term and, in the same transaction as the status change, set the
deadlines of docs/domain.md §2.4 through the deadline engine, close the ones the
step answers, and open the legal protection against a besluit on its
bekendmaking. `step_run` is the one entry point; the case page sends these
steps to their own page (`casework.views.case_step`).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import deadlines as deadline_engine
from casework.forms import DATE_WIDGET
from casework.letters import money
from casework.models import Case, Deadline
from casework.steps import (
    IntentionTermForm,
    NotificationForm,
    Step,
    StepForm,
    ViewsForm,
    close_deadlines,
    not_future,
    nothing,
)
from workflows.legal_protection.machine import DecisionKind, LegalProtection
from workflows.lod.handhavingsmatrix import (
    AmountBasis,
    LodDecision,
    Measure,
    proposal_for,
)
from workflows.lod.machine import BEGUNSTIGING_BASIS, ZIENSWIJZE_BASIS

AANMANING_BASIS = "Awb 4:112"
PAYMENT_BASIS = "Awb 5:33"


class IntentionForm(IntentionTermForm):
    measure = forms.ChoiceField(
        label=_("Intended measure"),
        choices=[
            ("dwangsom", _("Last onder dwangsom")),
            ("sluiting", _("Last onder bestuursdwang (sluiting)")),
        ],
        initial="dwangsom",
    )

    field_order = ["measure", "sent_on", "term_length", "term_unit", "atw_applies"]


class DecisionMadeKnownForm(StepForm):
    made_known_on = forms.DateField(
        label=_("Made known on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_(
            "The day the decision was sent or handed over; the objection period "
            "against it starts the day after (Awb 6:7, 6:8)."
        ),
    )


class GracePeriodForm(StepForm):
    term_length = forms.IntegerField(
        label=_("Grace period"), min_value=1, max_value=365, initial=2
    )
    term_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[
            (Deadline.Unit.WEEKS, Deadline.Unit.WEEKS.label),
            (Deadline.Unit.DAYS, Deadline.Unit.DAYS.label),
            (Deadline.Unit.MONTHS, Deadline.Unit.MONTHS.label),
        ],
        initial=Deadline.Unit.WEEKS,
    )


class DecisionForm(StepForm):
    """The content of the besluit (Awb 5:9, 5:32a, 5:32b), prefilled from the
    policy rule's proposal."""

    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, decimal_places=2
    )
    amount_basis = forms.ChoiceField(
        label=_("Amount per"),
        required=False,
        choices=[("", "—"), *AmountBasis.choices],
    )
    maximum = forms.DecimalField(
        label=_("Maximum"), required=False, min_value=0, decimal_places=2
    )
    preventive = forms.BooleanField(
        label=_("Preventive order (prevents repetition; no grace period)"),
        required=False,
    )
    grace_days = forms.IntegerField(
        label=_("Grace period (days)"), min_value=0, max_value=365, initial=0
    )
    closure_months = forms.IntegerField(
        label=_("Closure (months)"), required=False, min_value=1, max_value=60
    )
    deviation_reason = forms.CharField(
        label=_("Reason for departing from the policy rule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BreachForm(StepForm):
    forfeited_on = forms.DateField(
        label=_("Violation established on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The penalty is forfeited by operation of law (Awb 5:33)."),
    )
    units = forms.IntegerField(
        label=_("Violations (or weeks)"), min_value=1, max_value=520, initial=1
    )


class PaymentForm(StepForm):
    paid_on = forms.DateField(
        label=_("Paid on"), widget=DATE_WIDGET, validators=[not_future]
    )
    amount = forms.DecimalField(label=_("Amount"), min_value=0, decimal_places=2)


class ClosureForm(StepForm):
    closed_on = forms.DateField(
        label=_("Premises closed and sealed on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The closure period of the decision runs from this day."),
    )


class ReminderForm(StepForm):
    sent_on = forms.DateField(
        label=_("Reminder sent on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The two-week payment period starts the day after (Awb 4:112)."),
    )


def _after_intention(case, user, data, *, source: str = "") -> None:
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(_("Period for views on the intention")),
        legal_basis=ZIENSWIJZE_BASIS,
        event_date=data["sent_on"],
        length=data["term_length"],
        unit=data["term_unit"],
        atw_applies=data["atw_applies"],
        authorised=True,
    )


def _after_views(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, ZIENSWIJZE_BASIS, data["received_on"])


def _after_views_expired(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, ZIENSWIJZE_BASIS, timezone.localdate())


DECISION_TITLES = {
    "A40": _("Besluit last onder dwangsom"),
    "A41": _("Besluit last onder bestuursdwang (sluiting)"),
}


def _after_notification(case, user, data, *, source: str = "") -> None:
    from workflows.legal_protection.services import legal_protection_open

    legal_protection_open(
        case=case,
        user=user,
        decision_title=str(DECISION_TITLES[source]),
        decision_kind=DecisionKind.ORDER,
        decided_on=data["made_known_on"],
    )


def _open_protection(case, user, data, *, kind, title) -> None:
    from workflows.legal_protection.services import legal_protection_open

    day = data["made_known_on"]
    legal_protection_open(
        case=case,
        user=user,
        decision_title=f"{title} {day:%d-%m-%Y}",
        decision_kind=kind,
        decided_on=day,
        authorised=True,
    )


def _after_collection_decision(case, user, data, *, source: str = "") -> None:
    """The invorderingsbeschikking is a besluit with its own legal protection
    (docs/domain.md §2.2: the R-region attaches to it)."""
    _open_protection(
        case,
        user,
        data,
        kind=DecisionKind.COLLECTION,
        title=_("Invorderingsbeschikking"),
    )


def _after_cost_decision(case, user, data, *, source: str = "") -> None:
    _open_protection(
        case, user, data, kind=DecisionKind.COSTS, title=_("Kostenbeschikking")
    )


def _after_maximum(case, user, data, *, source: str = "") -> None:
    """Maximum reached (A80): the next sanction is a new besluit in a child
    case (Awb 5:6: no parallel herstelsanction); the team comes along."""
    from casework.services import case_open, case_team_copy

    child = case_open(
        user=user,
        case_type=case.case_type,
        title=str(_("Escalation after maximum: %(title)s") % {"title": case.title}),
        responsible_organisation=case.responsible_organisation,
        data_class=case.data_class,
        parent=case,
        note=str(_("Maximum of the penalty order of %(ref)s reached"))
        % {"ref": case.reference},
    )
    case_team_copy(source=case, target=child, user=user)


def made_known_on(case: Case) -> date | None:
    """The bekendmaking of the case's order, as recorded on notification."""
    return (
        LegalProtection.objects.filter(case=case, decision_kind=DecisionKind.ORDER)
        .order_by("-decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )


def _after_grace_period(case, user, data, *, source: str = "") -> None:
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(_("Grace period (begunstigingstermijn)")),
        legal_basis=BEGUNSTIGING_BASIS,
        event_date=made_known_on(case) or timezone.localdate(),
        length=data["term_length"],
        unit=data["term_unit"],
        atw_applies=False,
        authorised=True,
    )


def _after_reinspection(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, BEGUNSTIGING_BASIS, timezone.localdate())


def _after_reminder(case, user, data, *, source: str = "") -> None:
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(_("Payment period of the reminder")),
        legal_basis=AANMANING_BASIS,
        event_date=data["sent_on"],
        length=2,
        unit=Deadline.Unit.WEEKS,
        atw_applies=True,
        authorised=True,
    )


def _after_payment(case, user, data, *, source: str = "") -> None:
    from workflows.lod.penalties import dwangsom_account, payment_record

    paid_on = data.get("paid_on") or timezone.localdate()
    if data.get("amount"):
        payment_record(
            case=case,
            user=user,
            paid_on=paid_on,
            amount=data["amount"],
            authorised=True,
        )
    close_deadlines(case, user, AANMANING_BASIS, paid_on)
    account = dwangsom_account(case)
    if account is None or account.outstanding <= 0:
        close_deadlines(case, user, PAYMENT_BASIS, paid_on)


def _intention_letter(data: dict) -> str:
    if data.get("measure") == "sluiting":
        return "voornemen_sluiting"
    return "voornemen_lod"


def _decision(measure):
    def after(case, user, data, *, source: str = "") -> None:
        from workflows.lod.handhavingsmatrix import lod_decision_record

        lod_decision_record(
            case=case,
            user=user,
            measure=measure,
            amount=data.get("amount") if measure == Measure.DWANGSOM else None,
            amount_basis=data.get("amount_basis", "")
            if measure == Measure.DWANGSOM
            else "",
            maximum=data.get("maximum") if measure == Measure.DWANGSOM else None,
            grace_days=data.get("grace_days") or 0,
            closure_months=data.get("closure_months")
            if measure == Measure.SLUITING
            else None,
            deviation_reason=data.get("deviation_reason", ""),
            preventive=bool(data.get("preventive")),
            authorised=True,
        )

    return after


def _urgent_closure(case, user, data, *, source: str = "") -> None:
    """Spoed (Awb 4:11 a, 5:31): a closure without grace period."""
    from workflows.lod.handhavingsmatrix import lod_decision_record

    lod_decision_record(
        case=case,
        user=user,
        measure=Measure.SLUITING,
        closure_months=data.get("closure_months"),
        grace_days=0,
        deviation_reason=data.get("deviation_reason", ""),
        urgent=True,
        authorised=True,
    )


def _case_owner(case):
    """The jurist who owns the case follows the terms a colleague's step sets
    (toezicht establishes the breach; the owner sees the payment term)."""
    from permissions.models import CaseAccess

    owner = (
        CaseAccess.objects.filter(case=case, team_role=CaseAccess.TeamRole.OWNER)
        .select_related("user")
        .first()
    )
    return owner.user if owner else case.created_by


def _after_breach(case, user, data, *, source: str = "") -> None:
    from workflows.lod.penalties import forfeiture_record

    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        return
    forfeiture = forfeiture_record(
        case=case,
        user=user,
        forfeited_on=data["forfeited_on"],
        units=data.get("units") or 1,
        authorised=True,
    )
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(
            _("Payment of the forfeited penalty of %(amount)s")
            % {"amount": money(forfeiture.amount)}
        ),
        legal_basis=PAYMENT_BASIS,
        owner=_case_owner(case),
        event_date=forfeiture.forfeited_on,
        length=6,
        unit=Deadline.Unit.WEEKS,
        atw_applies=True,
        authorised=True,
    )


CLOSURE_BASIS = "art. 13b Opiumwet; besluit"


def _after_closure_start(case, user, data, *, source: str = "") -> None:
    """The closure lasts as long as the decision says; the deadline tells
    toezicht when to re-open (A82 → A83)."""
    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or not decision.closure_months:
        return
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(_("End of the closure")),
        legal_basis=CLOSURE_BASIS,
        event_date=data.get("closed_on") or timezone.localdate(),
        length=decision.closure_months,
        unit=Deadline.Unit.MONTHS,
        atw_applies=False,
        authorised=True,
    )


def _after_reopen(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, CLOSURE_BASIS, timezone.localdate())


LOD_STEPS: dict[str, Step] = {
    "send_warning": Step(None, nothing, letter="waarschuwing_lod"),
    "impose_penalty_order": Step(
        DecisionForm, _decision(Measure.DWANGSOM), letter="besluit_lod"
    ),
    "impose_closure_order": Step(
        DecisionForm, _decision(Measure.SLUITING), letter="besluit_sluiting"
    ),
    "impose_urgent_closure": Step(
        DecisionForm, _urgent_closure, letter="besluit_sluiting"
    ),
    "establish_breach": Step(BreachForm, _after_breach),
    "start_closure_period": Step(ClosureForm, _after_closure_start),
    "reopen": Step(None, _after_reopen),
    "propose_collection": Step(None, nothing, letter="voornemen_invordering"),
    "send_intention": Step(IntentionForm, _after_intention, letter=_intention_letter),
    "receive_views": Step(ViewsForm, _after_views),
    "views_term_expired": Step(None, _after_views_expired),
    "notify_decision": Step(NotificationForm, _after_notification),
    "start_grace_period": Step(GracePeriodForm, _after_grace_period),
    "start_reinspection": Step(None, _after_reinspection),
    "reach_maximum": Step(None, _after_maximum),
    "decide_collection": Step(
        DecisionMadeKnownForm,
        _after_collection_decision,
        letter="invorderingsbeschikking",
    ),
    "recover_costs": Step(DecisionMadeKnownForm, _after_cost_decision),
    "send_reminder": Step(ReminderForm, _after_reminder, letter="aanmaning"),
    "record_payment": Step(PaymentForm, _after_payment),
}


def step_initial(name: str, case: Case) -> dict:
    """For the besluit the policy rule's proposal; the grace period the
    decision set; the outstanding amount for a payment."""
    initial: dict = {}
    if name.startswith("impose_"):
        proposal = proposal_for(case)
        if proposal is not None:
            initial.update(
                amount=proposal.amount,
                amount_basis=proposal.amount_basis,
                maximum=proposal.maximum,
                grace_days=proposal.grace_days,
                closure_months=proposal.closure_months,
                preventive=proposal.preventive,
            )
    if name == "start_grace_period":
        decision = LodDecision.objects.filter(case=case).first()
        if decision is not None and decision.grace_days:
            initial.update(term_length=decision.grace_days, term_unit="days")
    if name == "record_payment":
        from .penalties import dwangsom_account

        account = dwangsom_account(case)
        if account is not None and account.outstanding > 0:
            initial["amount"] = account.outstanding
    return initial
