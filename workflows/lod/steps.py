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
from decimal import Decimal

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import deadlines as deadline_engine
from casework.forms import DATE_WIDGET, TEXT_LENGTH, DateField
from casework.letters import money
from casework.models import Case, Deadline
from casework.rules import RULE_ORDER, refuse
from casework.steps import (
    IntentionTermForm,
    NotificationForm,
    Step,
    StepForm,
    ViewsForm,
    close_deadlines,
    not_future,
    nothing,
    views_term_create,
)
from workflows.legal_protection.machine import DecisionKind, LegalProtection
from workflows.lod.handhavingsmatrix import (
    AmountBasis,
    LodDecision,
    Measure,
    proposal_for,
)
from workflows.lod.machine import (
    BEGUNSTIGING_BASIS,
    RULE_GRACE_CLOSURE,
    RULE_GRACE_DWANGSOM,
    ZIENSWIJZE_BASIS,
    lod_decision,
    views_received,
)

AANMANING_BASIS = "Awb 4:112"
PAYMENT_BASIS = "Awb 5:33"


# The checks of the money steps (A61 → A70, A71–A75) on the dates entered;
# the rules themselves live with the ledger (workflows/lod/ledger.py).


def forfeiture_check(case, data):
    """Awb 3:40, 5:32a lid 2, 5:33: no forfeiture before the order took
    effect, inside the begunstigingstermijn, or in the future."""
    from workflows.lod.handhavingsmatrix import LodDecision as Decision
    from workflows.lod.penalties import forfeiture_dates, forfeiture_refusal

    decision = Decision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        return None
    days = forfeiture_dates(decision, data["forfeited_on"], data.get("units") or 1)
    return forfeiture_refusal(case, days[0], days[-1])


def collection_decided_check(case, data):
    """Awb 4:8: the invorderingsbeschikking after the views period."""
    from workflows.lod.ledger import collection_views_refusal

    return collection_views_refusal(case, data["made_known_on"])


def reminder_check(case, data):
    """Awb 4:112 lid 1: the aanmaning after payment was due."""
    from workflows.lod.ledger import reminder_refusal

    return reminder_refusal(case, data["sent_on"])


def writ_check(case, data):
    """Awb 4:117 lid 1, 4:114: the dwangbevel after the aanmaning's term."""
    from workflows.lod.ledger import writ_refusal

    return writ_refusal(case, data.get("issued_on") or timezone.localdate())


def payment_check(case, data):
    """Paid (A75) only when the ledger's open balance is zero."""
    from workflows.lod.ledger import _has_ledger, settled_refusal

    if not _has_ledger(case):
        return None
    paid_on = data.get("paid_on") or timezone.localdate()
    return settled_refusal(case, paid_on, data.get("amount") or 0)


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
    made_known_on = DateField(
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
    policy rule's proposal, and the day it was taken."""

    decided_on = DateField(
        label=_("Besluit taken on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_(
            "The date of the besluit: not before the intention, and after the "
            "period for views unless views were given (Awb 4:8)."
        ),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    amount_basis = forms.ChoiceField(
        label=_("Amount per"),
        required=False,
        choices=[("", "—"), *AmountBasis.choices],
    )
    maximum = forms.DecimalField(
        label=_("Maximum"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
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
        max_length=TEXT_LENGTH,
    )


class BreachForm(StepForm):
    forfeited_on = DateField(
        label=_("Violation established on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_(
            "The penalty is forfeited by operation of law (Awb 5:33). Per week: "
            "the day the first week was forfeited; each further week seven days "
            "later, each on its own date."
        ),
    )
    units = forms.IntegerField(
        label=_("Violations (or weeks)"), min_value=1, max_value=520, initial=1
    )


class PaymentForm(StepForm):
    paid_on = DateField(label=_("Paid on"), widget=DATE_WIDGET, validators=[not_future])
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty when the payments booked already settle the account."),
    )


class ClosureForm(StepForm):
    closed_on = DateField(
        label=_("Premises closed and sealed on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The closure period of the decision runs from this day."),
    )


class ReminderForm(StepForm):
    sent_on = DateField(
        label=_("Reminder sent on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The two-week payment period starts the day after (Awb 4:112)."),
    )
    charge_fee = forms.BooleanField(
        label=_("Charge the reminder fee (Awb 4:113)"), required=False, initial=True
    )


class WritForm(StepForm):
    issued_on = DateField(
        label=_("Writ of execution issued on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_(
            "Only after the reminder's payment period passed (Awb 4:117 lid 1)."
        ),
    )


class CollectionIntentionForm(IntentionTermForm):
    """The voornemen tot invordering with its period for views (Awb 4:8;
    ECLI:NL:RVS:2018:2956)."""


def _after_intention(case, user, data, *, source: str = "") -> None:
    views_term_create(
        case,
        user,
        data,
        title=_("Period for views on the intention"),
        basis=ZIENSWIJZE_BASIS,
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
    from workflows.lod.ledger import COLLECTION_VIEWS_BASIS

    # The views period on the voornemen has passed (the step's guard): done.
    close_deadlines(case, user, COLLECTION_VIEWS_BASIS, data["made_known_on"])


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
    """The aanmaning: its two weeks (Awb 4:112 lid 1, with the Atw), the act
    that interrupts the verjaring of what it demands (4:105, 4:106) and the
    fee valid on its day (4:113 lid 1; ledger.AANMANING_FEES)."""
    from workflows.lod import ledger

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
    if not ledger._has_ledger(case):
        return
    day = data["sent_on"]
    ledger.collection_act_record(
        case=case, user=user, kind=ledger.CollectionAct.Kind.AANMANING, on=day
    )
    due = ledger.ledger_for(case, today=day).due_on(day)
    if data.get("charge_fee") and due > 0:
        row = ledger.aanmaning_fee_row(day)
        ledger.charge_record(
            case=case, user=user, kind=ledger.Charge.Kind.AANMANING, charged_on=day,
            amount=ledger.aanmaning_fee(due, day), source=row[4], authorised=True,
        )  # fmt: skip


def _after_writ(case, user, data, *, source: str = "") -> None:
    """The dwangbevel interrupts the verjaring too (Awb 4:106)."""
    from workflows.lod import ledger

    if ledger._has_ledger(case):
        ledger.collection_act_record(
            case=case,
            user=user,
            kind=ledger.CollectionAct.Kind.DWANGBEVEL,
            on=data.get("issued_on") or timezone.localdate(),
        )


def _after_collection_intention(case, user, data, *, source: str = "") -> None:
    from workflows.lod.ledger import COLLECTION_VIEWS_BASIS

    views_term_create(
        case,
        user,
        data,
        title=_("Period for views on the intention to collect"),
        basis=COLLECTION_VIEWS_BASIS,
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
            on=data.get("decided_on"),
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
        on=data.get("decided_on"),
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
    """Book the forfeitures, one per period on its own date, each with its
    own payment term (Awb 5:33: six weeks after it was forfeited)."""
    from workflows.lod.penalties import forfeiture_book

    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        return
    booked = forfeiture_book(
        case=case,
        user=user,
        forfeited_on=data["forfeited_on"],
        units=data.get("units") or 1,
        authorised=True,
    )
    for forfeiture in booked:
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


# --- The law on the dates of the procedure (A00–A61, A80–A99) ----------------
# Each check is `check(case, data) -> Refusal | None` on the step's cleaned
# form data (`casework.steps.Step.checks`); the transition's own guards are in
# machine.py. A date may not lie before the step it depends on.

LIFT_BASIS = "Awb 4:13"
LIFT_DECISION_WEEKS = 8  # Awb 4:13 lid 2: no term set by law, so eight weeks

INTENTION_BEFORE_FINDING = _(
    "The intention cannot be dated before the finding it rests on, of %(date)s."
)
VIEWS_BEFORE_INTENTION = _(
    "Views cannot be received before the intention was sent on %(date)s (Awb 4:8)."
)
BESLUIT_BEFORE_INTENTION = _(
    "The besluit cannot be dated before the intention of %(date)s (Awb 4:8)."
)
BESLUIT_BEFORE_VIEWS = _(
    "The besluit cannot be dated before the views it weighs, received on "
    "%(date)s (Awb 4:8)."
)
BESLUIT_IN_VIEWS_PERIOD = _(
    "The period for views ran until %(date)s inclusive and no views were "
    "received: the besluit can be dated from the day after (Awb 4:8)."
)
BESLUIT_BEFORE_FINDING = _(
    "The besluit cannot be dated before the finding it rests on, of %(date)s."
)
NOTIFIED_BEFORE_BESLUIT = _(
    "The besluit was taken on %(date)s: it cannot be made known before that "
    "day (Awb 3:40, 3:41)."
)
GRACE_PERIOD_NOT_AS_DECIDED = _(
    "The besluit sets a grace period of %(days)s days; this step records "
    "%(given)s. The grace period is the one in the besluit."
)
CLOSED_IN_GRACE_PERIOD = _(
    "The grace period ran until %(date)s inclusive: the premises can be closed "
    "by bestuursdwang from the day after."
)
REQUEST_BEFORE_ORDER = _(
    "The order was made known on %(date)s: a request to lift or change it "
    "cannot be received before that day (Awb 3:40, 5:34)."
)
NO_ORDER_MADE_KNOWN = _(
    "The order has not been made known: there is no order in force to lift or "
    "change (Awb 3:40, 5:34)."
)
LIFT_BEFORE_REQUEST = _(
    "The request was received on %(date)s: it cannot be decided before that "
    "day (Awb 4:13)."
)
LIFT_5_34_ONLY_DWANGSOM = _(
    "Awb 5:34 concerns a last onder dwangsom; this case's besluit is a closure "
    "order. Choose the other ground."
)
LIFT_YEAR_NOT_OVER = _(
    "Under Awb 5:34 lid 2 the order can be lifted once it has been in force "
    "for a year without a forfeiture; that year ends on %(date)s inclusive."
)


class LiftGround(models.TextChoices):
    IMPOSSIBLE = (
        "5:34-1",
        _("Compliance impossible, permanently or for a time (Awb 5:34 lid 1)"),
    )
    YEAR_WITHOUT_FORFEITURE = (
        "5:34-2",
        _("In force for a year without forfeiture (Awb 5:34 lid 2)"),
    )
    OTHER = "other", _("Other ground (revocation, change of circumstances)")


class LiftRequestForm(StepForm):
    received_on = DateField(
        label=_("Request received on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_(
            "The decision period of Awb 4:13 (eight weeks) runs from this day."
        ),
    )


class LiftDecisionForm(StepForm):
    decided_on = DateField(
        label=_("Decided on"), widget=DATE_WIDGET, validators=[not_future]
    )


class LiftOrderForm(LiftDecisionForm):
    ground = forms.ChoiceField(label=_("Ground"), choices=LiftGround.choices)


def _day(value) -> date:
    return timezone.localtime(value).date()


def finding_of(case: Case) -> date | None:
    """The date of the finding (police report, inspection) the jurist
    assessed: the first fact the procedure rests on."""
    from workflows.lod.handhavingsmatrix import latest_assessment

    assessment = latest_assessment(case)
    return assessment.found_on if assessment else None


def _views_term(case: Case) -> Deadline | None:
    return (
        Deadline.objects.filter(case=case, legal_basis=ZIENSWIJZE_BASIS)
        .order_by("-event_date", "-id")
        .first()
    )


def intention_sent_on(case: Case) -> date | None:
    term = _views_term(case)
    return term.event_date if term else None


def besluit_taken_on(case: Case) -> date | None:
    decision = lod_decision(case)
    return _day(decision.decided_at) if decision else None


def _lift_term(case: Case) -> Deadline | None:
    return (
        Deadline.objects.filter(case=case, legal_basis=LIFT_BASIS)
        .order_by("-event_date", "-id")
        .first()
    )


def _today_or(value) -> date:
    return value or timezone.localdate()


def intention_after_finding(case, data):
    found = finding_of(case)
    if found and _today_or(data.get("sent_on")) < found:
        return refuse(RULE_ORDER, INTENTION_BEFORE_FINDING, on=found)
    return None


def views_after_intention(case, data):
    sent = intention_sent_on(case)
    if sent and _today_or(data.get("received_on")) < sent:
        return refuse("Awb 4:8", VIEWS_BEFORE_INTENTION, on=sent)
    return None


def besluit_after_views(case, data):
    """Awb 4:8: the besluit comes after the intention, and after the views
    received or, without views, after the last day of the views period."""
    decided = _today_or(data.get("decided_on"))
    term = _views_term(case)
    if term is None:
        return None
    if decided < term.event_date:
        return refuse("Awb 4:8", BESLUIT_BEFORE_INTENTION, on=term.event_date)
    if views_received(case):
        if term.met_on and decided < term.met_on:
            return refuse("Awb 4:8", BESLUIT_BEFORE_VIEWS, on=term.met_on)
        return None
    if decided <= term.end_date:
        return refuse("Awb 4:8", BESLUIT_IN_VIEWS_PERIOD, on=term.end_date)
    return None


def besluit_after_finding(case, data):
    found = finding_of(case)
    if found and _today_or(data.get("decided_on")) < found:
        return refuse(RULE_ORDER, BESLUIT_BEFORE_FINDING, on=found)
    return None


def notified_after_besluit(case, data):
    taken = besluit_taken_on(case)
    if taken and _today_or(data.get("made_known_on")) < taken:
        return refuse("Awb 3:40, 3:41", NOTIFIED_BEFORE_BESLUIT, on=taken)
    return None


def _term_days(data) -> int | None:
    length, unit = data.get("term_length"), data.get("term_unit")
    if length is None:
        return None
    if unit == Deadline.Unit.DAYS:
        return length
    if unit == Deadline.Unit.WEEKS:
        return length * 7
    return None  # months: not a number of days


def grace_period_as_decided(case, data):
    """The begunstigingstermijn is the besluit's (Awb 5:32a lid 2, 5:24 lid
    2): the step starts it, it does not set another."""
    decision = lod_decision(case)
    if decision is None or not decision.grace_days:
        return None
    if _term_days(data) != decision.grace_days:
        rule = (
            RULE_GRACE_CLOSURE
            if decision.measure == Measure.SLUITING
            else RULE_GRACE_DWANGSOM
        )
        unit = data.get("term_unit")
        label = Deadline.Unit(unit).label if unit in Deadline.Unit.values else unit
        given = f"{data.get('term_length')} {label}"
        return refuse(
            rule, GRACE_PERIOD_NOT_AS_DECIDED, days=decision.grace_days, given=given
        )
    return None


def closed_after_grace_period(case, data):
    """Awb 5:24 lid 2: bestuursdwang only after the begunstigingstermijn (an
    urgent closure has none, 5:31)."""
    term = (
        Deadline.objects.filter(case=case, legal_basis=BEGUNSTIGING_BASIS)
        .order_by("-end_date")
        .first()
    )
    closed = _today_or(data.get("closed_on"))
    if term is not None and closed <= term.end_date:
        return refuse(RULE_GRACE_CLOSURE, CLOSED_IN_GRACE_PERIOD, on=term.end_date)
    return None


def request_after_order(case, data):
    known = made_known_on(case)
    if known is None:
        return refuse("Awb 3:40, 5:34", NO_ORDER_MADE_KNOWN)
    if _today_or(data.get("received_on")) < known:
        return refuse("Awb 3:40, 5:34", REQUEST_BEFORE_ORDER, on=known)
    return None


def lift_after_request(case, data):
    term = _lift_term(case)
    if term is not None and _today_or(data.get("decided_on")) < term.event_date:
        return refuse(LIFT_BASIS, LIFT_BEFORE_REQUEST, on=term.event_date)
    return None


def _one_year_after(day: date) -> date:
    from casework.terms import add_months

    return add_months(day, 12)


def lift_on_a_5_34_ground(case, data):
    """Awb 5:34 is for a last onder dwangsom; lid 2 asks a year in force
    (from the day after bekendmaking, Awb 3:40) without a forfeiture: the
    year counts from the later of the bekendmaking and the last forfeiture."""
    ground = data.get("ground")
    if ground not in (LiftGround.IMPOSSIBLE, LiftGround.YEAR_WITHOUT_FORFEITURE):
        return None
    decision = lod_decision(case)
    if decision is not None and decision.measure != Measure.DWANGSOM:
        return refuse("Awb 5:34", LIFT_5_34_ONLY_DWANGSOM)
    if ground != LiftGround.YEAR_WITHOUT_FORFEITURE:
        return None
    anchor = made_known_on(case)
    if anchor is None:
        return refuse("Awb 5:34 lid 2", NO_ORDER_MADE_KNOWN)
    from workflows.lod.penalties import Forfeiture

    last = (
        Forfeiture.objects.filter(case=case)
        .order_by("-forfeited_on")
        .values_list("forfeited_on", flat=True)
        .first()
    )
    if last is not None and last > anchor:
        anchor = last
    year_ends = _one_year_after(anchor)
    if _today_or(data.get("decided_on")) <= year_ends:
        return refuse("Awb 5:34 lid 2", LIFT_YEAR_NOT_OVER, on=year_ends)
    return None


def _after_closure_executed(case, user, data, *, source: str = "") -> None:
    """Bestuursdwang applied (A81): the begunstigingstermijn it waited for is
    over (Awb 5:24 lid 2)."""
    close_deadlines(case, user, BEGUNSTIGING_BASIS, timezone.localdate())


def _after_lift_request(case, user, data, *, source: str = "") -> None:
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(_("Decision on the request to lift or change the order")),
        legal_basis=LIFT_BASIS,
        event_date=data.get("received_on") or timezone.localdate(),
        length=LIFT_DECISION_WEEKS,
        unit=Deadline.Unit.WEEKS,
        atw_applies=True,
        authorised=True,
    )


def _after_lift_decision(case, user, data, *, source: str = "") -> None:
    close_deadlines(
        case, user, LIFT_BASIS, data.get("decided_on") or timezone.localdate()
    )


LOD_STEPS: dict[str, Step] = {
    "send_warning": Step(None, nothing, letter="waarschuwing_lod"),
    "impose_penalty_order": Step(
        DecisionForm,
        _decision(Measure.DWANGSOM),
        letter="besluit_lod",
        checks=(besluit_after_views,),
    ),
    "impose_closure_order": Step(
        DecisionForm,
        _decision(Measure.SLUITING),
        letter="besluit_sluiting",
        checks=(besluit_after_views,),
    ),
    "impose_urgent_closure": Step(
        DecisionForm,
        _urgent_closure,
        letter="besluit_sluiting",
        checks=(besluit_after_finding,),
    ),
    "establish_breach": Step(BreachForm, _after_breach, checks=(forfeiture_check,)),
    "start_closure_period": Step(
        ClosureForm, _after_closure_start, checks=(closed_after_grace_period,)
    ),
    "reopen": Step(None, _after_reopen),
    "propose_collection": Step(
        CollectionIntentionForm,
        _after_collection_intention,
        letter="voornemen_invordering",
    ),
    "send_intention": Step(
        IntentionForm,
        _after_intention,
        letter=_intention_letter,
        checks=(intention_after_finding,),
    ),
    "receive_views": Step(ViewsForm, _after_views, checks=(views_after_intention,)),
    "views_term_expired": Step(None, _after_views_expired),
    "notify_decision": Step(
        NotificationForm, _after_notification, checks=(notified_after_besluit,)
    ),
    "start_grace_period": Step(
        GracePeriodForm, _after_grace_period, checks=(grace_period_as_decided,)
    ),
    "execute_closure": Step(None, _after_closure_executed),
    "receive_lift_request": Step(
        LiftRequestForm, _after_lift_request, checks=(request_after_order,)
    ),
    "lift_order": Step(
        LiftOrderForm,
        _after_lift_decision,
        checks=(lift_after_request, lift_on_a_5_34_ground),
    ),
    "refuse_lifting": Step(
        LiftDecisionForm, _after_lift_decision, checks=(lift_after_request,)
    ),
    "start_reinspection": Step(None, _after_reinspection),
    "reach_maximum": Step(None, _after_maximum),
    "decide_collection": Step(
        DecisionMadeKnownForm,
        _after_collection_decision,
        letter="invorderingsbeschikking",
        checks=(collection_decided_check,),
    ),
    "recover_costs": Step(DecisionMadeKnownForm, _after_cost_decision),
    "send_reminder": Step(
        ReminderForm, _after_reminder, letter="aanmaning", checks=(reminder_check,)
    ),
    "issue_writ": Step(WritForm, _after_writ, checks=(writ_check,)),
    "record_payment": Step(PaymentForm, _after_payment, checks=(payment_check,)),
}


def step_initial(name: str, case: Case) -> dict:
    """For the besluit the policy rule's proposal; the grace period the
    decision set; the outstanding amount for a payment."""
    initial: dict = {}
    if name.startswith("impose_"):
        initial["decided_on"] = timezone.localdate()
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
    if name in ("lift_order", "refuse_lifting"):
        initial["decided_on"] = timezone.localdate()
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


# --- Steps of the procedure that are not transitions (manage.py replay) -------


def _record_assessment(case, user, data) -> None:
    """The jurist records the facts of the finding (the page
    `lod_assessment` calls the same service)."""
    from workflows.lod.handhavingsmatrix import lod_assessment_record

    lod_assessment_record(case=case, user=user, **data)


def procedure_actions() -> dict:
    from casework.registry import Action
    from workflows.lod.views import AssessmentForm

    return {
        "record_assessment": Action(
            AssessmentForm, _record_assessment, _("Record the assessment")
        ),
    }


def scenario_facts(case, user, facts: dict) -> None:
    """The facts a replay scenario gives an LOD case (docs/replay.md): the
    example Damocles policy of the demo when the database has no policy rule
    for the finding's date, and the assessment (`assessment`: the fields of
    the assessment page) when given."""
    from workflows.lod.handhavingsmatrix import (
        Beleidsregel,
        lod_assessment_record,
        seed_example_policy,
    )

    if not Beleidsregel.objects.exists():
        seed_example_policy()
    assessment = facts.get("assessment")
    if assessment:
        data = dict(assessment)
        data["found_on"] = date.fromisoformat(str(data["found_on"]))
        data["grams"] = Decimal(str(data["grams"]))
        lod_assessment_record(case=case, user=user, **data)
