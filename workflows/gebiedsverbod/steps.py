"""The steps of a gebiedsverbod case that carry data: their forms, the guards
that compare the step's dates with the facts they depend on, and what each
step sets in motion (deadlines, the record of the besluit, the legal
protection on bekendmaking) in the same transaction as the status change.

The law's conditions on a step's inputs are `Step.checks`: each answers with
a `casework.rules.Refusal` that names the rule and the date it turns on, and
`casework.steps.step_run` runs them before the transition, so a refused step
changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework import deadlines as deadline_engine
from casework.forms import DATE_WIDGET, TEXT_LENGTH, DateField
from casework.models import Case, Deadline
from casework.rules import refuse
from casework.steps import (
    IntentionTermForm,
    NotificationForm,
    Step,
    StepForm,
    ViewsForm,
    close_deadlines,
    not_future,
    views_term_create,
)
from workflows.legal_protection.machine import DecisionKind, LegalProtection, Outcome

from .machine import (
    MAX_MONTHS,
    MEASURE_BASIS,
    ZIENSWIJZE_BASIS,
    extensions_decided,
    measure_of,
)
from .measures import (
    ApvPolicy,
    Basis,
    Extension,
    Ground,
    Intention,
    Measure,
    Urgency,
    ViolationReport,
    Warning,
    period_end,
)


def _day(value: date) -> str:
    return date_format(value, "j F Y")


# --- Refusal messages (each names its rule) ----------------------------------

BEFORE_VIEWS_RECEIVED = _(
    "The order cannot be dated %(day)s, before the views were received on "
    "%(views)s (Awb 4:8)."
)
BEFORE_VIEWS_TERM_ENDED = _(
    "The order cannot be dated %(day)s: the period for views ran until %(end)s "
    "inclusive and no views were received (Awb 4:8)."
)
NO_INTENTION = _(
    "Without an intention and views, record the urgency with reasons (Awb 4:8, 4:11)."
)
URGENCY_REQUIRED = _(
    "An order without an intention needs the ground of Awb 4:11 and the reasons "
    "for skipping the views."
)
VIEWS_BEFORE_INTENTION = _(
    "The views cannot be dated %(day)s, before the intention was sent on "
    "%(sent)s (Awb 4:8)."
)
NO_KIND = _(
    "Choose the measure: gebiedsverbod, groepsverbod and/or meldplicht "
    "(Gemw 172a lid 1 a–c)."
)
MAP_REQUIRED = _(
    "A gebiedsverbod or groepsverbod needs the area and the map reference: map "
    "id, version and hash (Gemw 172a lid 1 a/b)."
)
REPORTING_REQUIRED = _(
    "A meldplicht needs the reporting times and place (Gemw 172a lid 1 c)."
)
LID5_REQUIRED = _(
    "Confirm that the public prosecutor gave no gedragsaanwijzing for the same "
    "area (Gemw 172a lid 5)."
)
GROUND_MISMATCH = _("The ground %(ground)s does not fit the legal basis %(basis)s.")
REPEATED_NEEDS_TWO = _(
    "A repeated disturbance needs at least two recorded incidents "
    "(Gemw 172a lid 1: herhaaldelijk)."
)
FEAR_REQUIRED = _(
    "Give the reasons for the serious fear of further disturbance (Gemw 172a lid 1)."
)
START_BEFORE_DECISION = _(
    "The measure cannot start on %(start)s, before the order of %(day)s (Awb 3:40)."
)
END_BEFORE_START = _("The end %(end)s lies before the start %(start)s.")
TOO_LONG_172A = _(
    "A measure from %(start)s may last at most three months, until %(max)s "
    "inclusive, not until %(end)s (Gemw 172a lid 6 a)."
)
NO_APV_POLICY = _(
    "No APV policy on the verblijfsontzegging is in force on %(day)s; record it "
    "in the administration first (APV, municipal)."
)
TOO_LONG_APV = _(
    "%(policy)s allows at most %(days)s days, until %(max)s inclusive, not until "
    "%(end)s (APV, municipal)."
)
KNOWN_BEFORE_DECISION = _(
    "The order cannot be made known on %(day)s, before it was taken on "
    "%(decided)s (Awb 3:40, 3:41)."
)
START_BEFORE_KNOWN = _(
    "The measure starts on %(start)s, before it is made known on %(day)s; an "
    "order takes effect only once it is made known (Awb 3:40). Withdraw it and "
    "take a new order with a later start."
)
EXTENSION_AFTER_END = _(
    "The measure ended on %(end)s; an extension on %(day)s comes too late: only "
    "an order that still runs can be extended (Gemw 172a lid 6 a)."
)
EXTENSION_BEFORE_KNOWN = _(
    "An extension cannot be decided on %(day)s, before the order was made known "
    "on %(known)s (Gemw 172a lid 6 a)."
)
EXTENSION_NOT_LATER = _("The new end %(new)s must lie after the current end %(end)s.")
EXTENSION_TOO_LONG = _(
    "An extension runs from %(start)s for at most three months, until %(max)s "
    "inclusive, not until %(new)s (Gemw 172a lid 6 a)."
)
EXTENSION_TOO_LONG_APV = _(
    "%(policy)s allows an extension of at most %(days)s days, until %(max)s "
    "inclusive, not until %(new)s (APV, municipal)."
)
EXTENSION_VIEWS = _(
    "Record the views on the intended extension or the urgency with reasons "
    "(Awb 4:8, 4:11)."
)
EXTENSION_VIEWS_LATE = _(
    "Views received on %(views)s, after the extension of %(day)s, cannot have "
    "been weighed (Awb 4:8)."
)
EXTENSION_KNOWN_BEFORE_DECISION = _(
    "The extension cannot be made known on %(day)s, before it was decided on "
    "%(decided)s (Awb 3:40, 3:41)."
)
EXTENSION_KNOWN_TOO_LATE = _(
    "The extension is made known on %(day)s, after the measure ended on %(end)s: "
    "it can no longer extend it (Gemw 172a lid 6 a)."
)
NO_PENDING_EXTENSION = _("There is no extension waiting to be made known.")
WITHDRAWN_BEFORE_DECISION = _(
    "The order cannot be withdrawn on %(day)s, before it was taken on %(decided)s."
)
NOT_REVOKED = _(
    "No objection or appeal against the order was upheld; withdraw it under "
    "Gemw 172a lid 9 (no longer needed) instead."
)


# --- Forms -------------------------------------------------------------------


class ReasonsForm(StepForm):
    note = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LENGTH,
    )


class WarningForm(StepForm):
    given_on = DateField(
        label=_("Warning given on"), widget=DATE_WIDGET, validators=[not_future]
    )


class IntentionForm(IntentionTermForm):
    """A shorter views period than the LOD's, in days by default: a public-order
    measure is often urgent (Awb 4:8; docs/domain.md §10.4)."""

    sent_on = DateField(
        label=_("Intention sent or handed over on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The views period starts the day after."),
    )
    term_length = forms.IntegerField(
        label=_("Period for views"), min_value=1, max_value=42, initial=7
    )
    term_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[
            (Deadline.Unit.DAYS, Deadline.Unit.DAYS.label),
            (Deadline.Unit.WEEKS, Deadline.Unit.WEEKS.label),
        ],
        initial=Deadline.Unit.DAYS,
    )


class OrderForm(StepForm):
    """The content of the besluit (docs/domain.md §10.5); see `order_problems`."""

    decided_on = DateField(
        label=_("Signed on"), widget=DATE_WIDGET, validators=[not_future]
    )
    basis = forms.ChoiceField(label=_("Legal basis"), choices=Basis.choices)
    ground = forms.ChoiceField(label=_("Ground"), choices=Ground.choices)
    area_ban = forms.BooleanField(label=_("Gebiedsverbod"), required=False)
    group_ban = forms.BooleanField(label=_("Groepsverbod"), required=False)
    reporting_duty = forms.BooleanField(label=_("Meldplicht"), required=False)
    area_description = forms.CharField(
        label=pgettext_lazy("area of a measure", "Area"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LENGTH,
    )
    map_id = forms.CharField(label=_("Map id"), required=False, max_length=60)
    map_version = forms.CharField(label=_("Map version"), required=False, max_length=20)
    map_hash = forms.CharField(label=_("Map hash"), required=False, max_length=128)
    reporting_times = forms.CharField(
        label=_("Reporting times and place"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LENGTH,
    )
    conditions = forms.CharField(
        label=_("Conditions and exceptions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the route to home, work or school; visits to a lawyer."),
        max_length=TEXT_LENGTH,
    )
    fear_reasons = forms.CharField(
        label=_("Serious fear of further disturbance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LENGTH,
    )
    lid5_checked = forms.BooleanField(
        label=_("No OM gedragsaanwijzing for the same area (Gemw 172a lid 5)"),
        required=False,
    )
    start_date = DateField(label=_("Start"), widget=DATE_WIDGET)
    end_date = DateField(
        label=_("End (inclusive)"),
        widget=DATE_WIDGET,
        help_text=_("At most three months (Gemw 172a lid 6 a)."),
    )


class UrgentOrderForm(OrderForm):
    urgency = forms.ChoiceField(
        label=_("Why no intention (Awb 4:11)"),
        choices=[("", "—"), *Urgency.choices],
        required=False,
    )
    urgency_reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LENGTH,
    )


class ExtensionForm(StepForm):
    decided_on = DateField(
        label=_("Signed on"), widget=DATE_WIDGET, validators=[not_future]
    )
    new_end_date = DateField(
        label=_("New end (inclusive)"),
        widget=DATE_WIDGET,
        help_text=_("At most three months after the current end (Gemw 172a lid 6 a)."),
    )
    reasons = forms.CharField(
        label=_("Continuing serious fear"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A reported violation may be the reason."),
        max_length=TEXT_LENGTH,
    )
    views_on = DateField(
        label=_("Views received on"), required=False, widget=DATE_WIDGET
    )
    urgency_reasons = forms.CharField(
        label=_("Or: reasons for skipping the views (Awb 4:11)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LENGTH,
    )


class WithdrawForm(StepForm):
    LID9 = "lid9"
    REVOKED = "revoked"
    withdrawn_on = DateField(
        label=_("Withdrawn on"), widget=DATE_WIDGET, validators=[not_future]
    )
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[
            (LID9, _("No longer needed (Gemw 172a lid 9)")),
            (REVOKED, _("Revoked in objection or appeal")),
        ],
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LENGTH,
    )


# --- Checks on the step data (casework.steps.Step.checks) ------------------------
#
# Each check compares a date or an input the step asks for with the facts it
# depends on and answers with a `casework.rules.Refusal` naming the rule, or
# None. `step_run` runs them before the transition: a refused step changes
# nothing.

RULE_GROUND = "Gemw 172a lid 1"
RULE_GROUNDS = "Gemw 172a lid 1, lid 2; APV"
RULE_LID5 = "Gemw 172a lid 5"
RULE_DURATION = "Gemw 172a lid 6 a"
RULE_WITHDRAW = "Gemw 172a lid 9"
RULE_VIEWS = "Awb 4:8"
RULE_URGENCY = "Awb 4:11"
RULE_VIEWS_OR_URGENCY = "Awb 4:8, 4:11"
RULE_EFFECT = "Awb 3:40"
RULE_NOTIFICATION = "Awb 3:40, 3:41"
RULE_APV = "APV (gemeentelijk)"
RULE_REVOKED = "Gemw 172a lid 9; Awb 7:11, 8:72"

WARNING_BEFORE_INCIDENT = _(
    "The warning cannot be dated %(day)s, before the first recorded incident "
    "of %(incident)s (Gemw 172a lid 1)."
)
INTENTION_BEFORE_INCIDENT = _(
    "The intention cannot be dated %(day)s, before the first incident it rests "
    "on, of %(incident)s (Awb 4:8; Gemw 172a lid 1)."
)
ORDER_BEFORE_INCIDENT = _(
    "The order cannot be dated %(day)s, before the incident of %(incident)s it "
    "rests on (Gemw 172a lid 1)."
)


def _intention(case):
    return Intention.objects.filter(case=case).first()


def _first_incident(case):
    return case.gebiedsverbod_incidents.order_by("occurred_on", "pk").first()


def _views_term(case):
    return (
        case.deadlines.filter(legal_basis=ZIENSWIJZE_BASIS)
        .order_by("-event_date", "-pk")
        .first()
    )


def warning_after_incident(case, data):
    """172a lid 1: a warning documents an incident that happened first."""
    first = _first_incident(case)
    if first is not None and data["given_on"] < first.occurred_on:
        return refuse(
            RULE_GROUND,
            WARNING_BEFORE_INCIDENT,
            on=first.occurred_on,
            day=data["given_on"],
            incident=first.occurred_on,
        )
    return None


def intention_after_incident(case, data):
    """Awb 4:8: the voornemen states facts that happened before it."""
    first = _first_incident(case)
    if first is not None and data["sent_on"] < first.occurred_on:
        return refuse(
            RULE_GROUND,
            INTENTION_BEFORE_INCIDENT,
            on=first.occurred_on,
            day=data["sent_on"],
            incident=first.occurred_on,
        )
    return None


def views_after_intention(case, data):
    """Awb 4:8: views answer the intention, so they come after it."""
    intention = _intention(case)
    if intention is not None and data["received_on"] < intention.sent_on:
        return refuse(
            RULE_VIEWS,
            VIEWS_BEFORE_INTENTION,
            on=intention.sent_on,
            day=data["received_on"],
            sent=intention.sent_on,
        )
    return None


def order_after_views(case, data):
    """Awb 4:8: the order is taken after the views were received, or after
    the last day of the views term when none came."""
    decided = data["decided_on"]
    intention = _intention(case)
    if intention is None:
        return refuse(RULE_VIEWS_OR_URGENCY, NO_INTENTION)
    if intention.views_on is not None:
        if decided < intention.views_on:
            return refuse(
                RULE_VIEWS,
                BEFORE_VIEWS_RECEIVED,
                on=intention.views_on,
                day=decided,
                views=intention.views_on,
            )
        return None
    term = _views_term(case)
    if term is not None and decided <= term.end_date:
        return refuse(
            RULE_VIEWS,
            BEFORE_VIEWS_TERM_ENDED,
            on=term.end_date,
            day=decided,
            end=term.end_date,
        )
    return None


def urgency_given(case, data):
    """Awb 4:11: an order without an intention names the ground and reasons."""
    if not data.get("urgency") or not (data.get("urgency_reasons") or "").strip():
        return refuse(RULE_URGENCY, URGENCY_REQUIRED)
    return None


def order_after_incident(case, data):
    """172a lid 1: the order rests on an incident that happened on or before
    the day it is taken."""
    first = _first_incident(case)
    if first is not None and data["decided_on"] < first.occurred_on:
        return refuse(
            RULE_GROUND,
            ORDER_BEFORE_INCIDENT,
            on=first.occurred_on,
            day=data["decided_on"],
            incident=first.occurred_on,
        )
    return None


GROUNDS_FOR = {
    Basis.GEMW_172A_1: {Ground.SERIOUS, Ground.REPEATED},
    Basis.GEMW_172A_2: {Ground.PRIVATE_SANCTION},
    Basis.APV: {Ground.APV_ACT},
}


def ground_fits_basis(case, data):
    """172a lid 1 (serious or repeated), lid 2 (private sanction), APV (an
    act in a designated area)."""
    basis, ground = data["basis"], data["ground"]
    if ground not in GROUNDS_FOR[basis]:
        return refuse(
            RULE_GROUNDS,
            GROUND_MISMATCH,
            ground=Ground(ground).label,
            basis=Basis(basis).label,
        )
    return None


def repeated_has_two_incidents(case, data):
    """172a lid 1 "herhaaldelijk": two incidents, both before the order."""
    if data["ground"] != Ground.REPEATED:
        return None
    before = case.gebiedsverbod_incidents.filter(occurred_on__lte=data["decided_on"])
    if before.count() < 2:
        return refuse(RULE_GROUND, REPEATED_NEEDS_TWO)
    return None


def fear_motivated(case, data):
    """172a lid 1: the serious fear of further disturbance, with reasons."""
    if not (data.get("fear_reasons") or "").strip():
        return refuse(RULE_GROUND, FEAR_REQUIRED)
    return None


def kind_chosen(case, data):
    """172a lid 1 a–c: at least one kind of measure (APV: the ban itself)."""
    if data["basis"] != Basis.APV and not (
        data.get("area_ban") or data.get("group_ban") or data.get("reporting_duty")
    ):
        return refuse(RULE_GROUND, NO_KIND)
    return None


def area_and_map(case, data):
    """172a lid 1 a/b: a gebiedsverbod or groepsverbod names its area, with
    the map that was signed (an APV verblijfsontzegging is an area ban)."""
    area_ban = data.get("area_ban") or data["basis"] == Basis.APV
    if (area_ban or data.get("group_ban")) and not all(
        (data.get(key) or "").strip()
        for key in ("area_description", "map_id", "map_version", "map_hash")
    ):
        return refuse(RULE_GROUND, MAP_REQUIRED)
    return None


def reporting_described(case, data):
    """172a lid 1 c: a meldplicht names the times and the place."""
    if data.get("reporting_duty") and not (data.get("reporting_times") or "").strip():
        return refuse(RULE_GROUND, REPORTING_REQUIRED)
    return None


def no_gedragsaanwijzing(case, data):
    """172a lid 5: no order a or b for an area the OvJ covered with a
    gedragsaanwijzing (Sv 509hh)."""
    if (
        data["basis"] != Basis.APV
        and (data.get("area_ban") or data.get("group_ban"))
        and not data.get("lid5_checked")
    ):
        return refuse(RULE_LID5, LID5_REQUIRED)
    return None


def start_not_before_order(case, data):
    """Awb 3:40: a measure cannot start before the order that imposes it."""
    start, decided = data["start_date"], data["decided_on"]
    if start < decided:
        return refuse(
            RULE_EFFECT, START_BEFORE_DECISION, on=decided, start=start, day=decided
        )
    return None


def _duration_problems(basis: str, start: date, end: date, on: date):
    """(refusal or None, policy): the duration within the maximum of the
    basis: 172a lid 6 a three months (`period_end`), the APV the `max_days`
    of the policy in force on the besluit date."""
    if end < start:
        refusal = refuse(
            RULE_DURATION, END_BEFORE_START, on=start, end=end, start=start
        )
        return refusal, None
    if basis == Basis.APV:
        policy = ApvPolicy.in_force(on)
        if policy is None:
            return refuse(RULE_APV, NO_APV_POLICY, on=on, day=on), None
        latest = start + timedelta(days=policy.max_days - 1)
        if end > latest:
            return refuse(
                RULE_APV,
                TOO_LONG_APV,
                on=latest,
                policy=str(policy),
                days=policy.max_days,
                max=latest,
                end=end,
            ), policy
        return None, policy
    latest = period_end(start, MAX_MONTHS)
    if end > latest:
        return refuse(
            RULE_DURATION, TOO_LONG_172A, on=latest, start=start, max=latest, end=end
        ), None
    return None, None


def duration_within_maximum(case, data):
    """172a lid 6 a (≤ three months) or the APV's maximum."""
    refusal, _policy = _duration_problems(
        data["basis"], data["start_date"], data["end_date"], data["decided_on"]
    )
    return refusal


CONTENT_CHECKS = (
    order_after_incident,
    ground_fits_basis,
    repeated_has_two_incidents,
    fear_motivated,
    kind_chosen,
    area_and_map,
    reporting_described,
    no_gedragsaanwijzing,
    start_not_before_order,
    duration_within_maximum,
)
ORDER_CHECKS = (order_after_views, *CONTENT_CHECKS)
URGENT_ORDER_CHECKS = (urgency_given, *CONTENT_CHECKS)


def order_problems(case: Case, data: dict, *, urgent: bool) -> list:
    """Everything the besluit must satisfy before it is signed (docs/domain.md
    §10.3 E35 → E40 and E10 → E40, §10.5), as refusals."""
    from casework.rules import run_checks

    return run_checks(URGENT_ORDER_CHECKS if urgent else ORDER_CHECKS, case, data)


def _order(*, urgent: bool):
    def after(case, user, data, *, source: str = "") -> None:
        basis = data["basis"]
        _refusal, policy = _duration_problems(
            basis, data["start_date"], data["end_date"], data["decided_on"]
        )
        Measure.objects.create(
            case=case,
            basis=basis,
            ground=data["ground"],
            area_ban=bool(data.get("area_ban")) or basis == Basis.APV,
            group_ban=bool(data.get("group_ban")) and basis != Basis.APV,
            reporting_duty=bool(data.get("reporting_duty")) and basis != Basis.APV,
            area_description=data.get("area_description", ""),
            map_id=data.get("map_id", ""),
            map_version=data.get("map_version", ""),
            map_hash=data.get("map_hash", ""),
            reporting_times=data.get("reporting_times", ""),
            conditions=data.get("conditions", ""),
            fear_reasons=data.get("fear_reasons", ""),
            apv_policy=policy,
            decided_on=data["decided_on"],
            decided_by=user,
            urgency=data.get("urgency", "") if urgent else "",
            urgency_reasons=data.get("urgency_reasons", "") if urgent else "",
            start_date=data["start_date"],
            original_end_date=data["end_date"],
            end_date=data["end_date"],
        )
        close_deadlines(case, user, ZIENSWIJZE_BASIS, data["decided_on"])

    return after


def known_not_before_order(case, data):
    """Awb 3:40, 3:41: an order is made known after it is taken."""
    measure = measure_of(case)
    day = data["made_known_on"]
    if measure is not None and day < measure.decided_on:
        return refuse(
            RULE_NOTIFICATION,
            KNOWN_BEFORE_DECISION,
            on=measure.decided_on,
            day=day,
            decided=measure.decided_on,
        )
    return None


def start_not_before_known(case, data):
    """Awb 3:40: the order takes effect only once made known, so its start
    cannot lie before the bekendmaking."""
    measure = measure_of(case)
    day = data["made_known_on"]
    if measure is not None and measure.start_date < day:
        return refuse(
            RULE_EFFECT,
            START_BEFORE_KNOWN,
            on=measure.start_date,
            start=measure.start_date,
            day=day,
        )
    return None


def notification_problems(case, made_known_on: date) -> list:
    data = {"made_known_on": made_known_on}
    checks = (known_not_before_order, start_not_before_known)
    return [r for r in (check(case, data) for check in checks) if r is not None]


def _measure_deadline(case, user, measure: Measure) -> None:
    """The end of the measure as a deadline of the municipality: decide on an
    extension, or record the expiry (a duration: the Atw never moves it)."""
    close_deadlines(case, user, MEASURE_BASIS, timezone.localdate())
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(_("End of the measure")),
        legal_basis=MEASURE_BASIS,
        event_date=measure.start_date - timedelta(days=1),
        length=(measure.end_date - measure.start_date).days + 1,
        unit=Deadline.Unit.DAYS,
        atw_applies=False,
        authorised=True,
    )


def _open_protection(case, user, *, title, day: date, kind=DecisionKind.ORDER):
    from workflows.legal_protection.services import legal_protection_open

    legal_protection_open(
        case=case,
        user=user,
        decision_title=f"{title} {day:%d-%m-%Y}",
        decision_kind=kind,
        decided_on=day,
        authorised=True,
    )


def _after_warning(case, user, data, *, source: str = "") -> None:
    Warning.objects.update_or_create(case=case, defaults={"given_on": data["given_on"]})


def _after_intention(case, user, data, *, source: str = "") -> None:
    Intention.objects.update_or_create(
        case=case, defaults={"sent_on": data["sent_on"], "views_on": None}
    )
    views_term_create(
        case,
        user,
        data,
        title=_("Period for views on the intention"),
        basis=ZIENSWIJZE_BASIS,
    )


def _after_views(case, user, data, *, source: str = "") -> None:
    Intention.objects.filter(case=case).update(
        views_on=data["received_on"], views_oral=data.get("manner") == ViewsForm.ORAL
    )
    close_deadlines(case, user, ZIENSWIJZE_BASIS, data["received_on"])


def _after_views_expired(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, ZIENSWIJZE_BASIS, timezone.localdate())


def _after_not_imposed(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, ZIENSWIJZE_BASIS, timezone.localdate())


def _after_made_known(case, user, data, *, source: str = "") -> None:
    measure = measure_of(case)
    day = data["made_known_on"]
    measure.made_known_on = day
    measure.save(update_fields=["made_known_on"])
    title = (
        _("Besluit verblijfsontzegging")
        if measure.basis == Basis.APV
        else _("Besluit gebiedsverbod")
    )
    _open_protection(case, user, title=title, day=day)
    _measure_deadline(case, user, measure)


def _after_register_violation(case, user, data, *, source: str = "") -> None:
    ViolationReport.objects.filter(case=case, registered_at__isnull=True).update(
        registered_at=timezone.now()
    )


def _measure_checked(check):
    """A check of a step on the order: refused with the rule when the case
    has no order (the machine's guard says so too)."""

    def run(case, data):
        measure = measure_of(case)
        if measure is None:
            return None
        return check(case, measure, data)

    run.__name__ = check.__name__
    run.__doc__ = check.__doc__
    return run


@_measure_checked
def extension_after_known(case, measure, data):
    """172a lid 6 a: one extends an order that was made known."""
    decided = data["decided_on"]
    if measure.made_known_on is not None and decided < measure.made_known_on:
        return refuse(
            RULE_DURATION,
            EXTENSION_BEFORE_KNOWN,
            on=measure.made_known_on,
            day=decided,
            known=measure.made_known_on,
        )
    return None


@_measure_checked
def extension_while_running(case, measure, data):
    """172a lid 6 a: only an order that still runs is extended."""
    decided = data["decided_on"]
    if decided > measure.end_date:
        return refuse(
            RULE_DURATION,
            EXTENSION_AFTER_END,
            on=measure.end_date,
            end=measure.end_date,
            day=decided,
        )
    return None


@_measure_checked
def extension_within_maximum(case, measure, data):
    """172a lid 6 a: the new end after the current end and at most three
    months from the day after it (APV: the policy's maximum days)."""
    new_end = data["new_end_date"]
    start = measure.end_date + timedelta(days=1)
    if new_end <= measure.end_date:
        return refuse(
            RULE_DURATION,
            EXTENSION_NOT_LATER,
            on=measure.end_date,
            new=new_end,
            end=measure.end_date,
        )
    if measure.basis == Basis.APV and measure.apv_policy is not None:
        policy = measure.apv_policy
        latest = start + timedelta(days=policy.max_days - 1)
        if new_end > latest:
            return refuse(
                RULE_APV,
                EXTENSION_TOO_LONG_APV,
                on=latest,
                policy=str(policy),
                days=policy.max_days,
                max=latest,
                new=new_end,
            )
        return None
    latest = period_end(start, MAX_MONTHS)
    if new_end > latest:
        return refuse(
            RULE_DURATION,
            EXTENSION_TOO_LONG,
            on=latest,
            start=start,
            max=latest,
            new=new_end,
        )
    return None


def extension_views(case, data):
    """Awb 4:8, 4:11: views on the intended extension, received before the
    decision, or the urgency with reasons."""
    views_on, decided = data.get("views_on"), data["decided_on"]
    if views_on is None and not (data.get("urgency_reasons") or "").strip():
        return refuse(RULE_VIEWS_OR_URGENCY, EXTENSION_VIEWS)
    if views_on is not None and views_on > decided:
        return refuse(
            RULE_VIEWS, EXTENSION_VIEWS_LATE, on=decided, views=views_on, day=decided
        )
    return None


EXTENSION_CHECKS = (
    extension_after_known,
    extension_while_running,
    extension_within_maximum,
    extension_views,
)


def extension_problems(case, data: dict) -> list:
    from casework.rules import run_checks

    return run_checks(EXTENSION_CHECKS, case, data)


def _after_extend(case, user, data, *, source: str = "") -> None:
    measure = measure_of(case)
    Extension.objects.create(
        measure=measure,
        number=extensions_decided(case) + 1,
        decided_on=data["decided_on"],
        decided_by=user,
        previous_end_date=measure.end_date,
        new_end_date=data["new_end_date"],
        reasons=data["reasons"],
        views_on=data.get("views_on"),
        urgency_reasons=data.get("urgency_reasons", ""),
    )


def pending_extension(case) -> Extension | None:
    return (
        Extension.objects.filter(measure__case=case, made_known_on__isnull=True)
        .order_by("-number")
        .first()
    )


@_measure_checked
def extension_known_in_time(case, measure, data):
    """Awb 3:40, 3:41 and 172a lid 6 a: the extension is made known after it
    was decided and before the measure it extends ended."""
    extension = pending_extension(case)
    day = data["made_known_on"]
    if extension is None:
        return refuse(RULE_DURATION, NO_PENDING_EXTENSION)
    if day < extension.decided_on:
        return refuse(
            RULE_NOTIFICATION,
            EXTENSION_KNOWN_BEFORE_DECISION,
            on=extension.decided_on,
            day=day,
            decided=extension.decided_on,
        )
    if day > measure.end_date:
        return refuse(
            RULE_DURATION,
            EXTENSION_KNOWN_TOO_LATE,
            on=measure.end_date,
            day=day,
            end=measure.end_date,
        )
    return None


def _after_extension_known(case, user, data, *, source: str = "") -> None:
    measure = measure_of(case)
    extension = pending_extension(case)
    day = data["made_known_on"]
    extension.made_known_on = day
    extension.save(update_fields=["made_known_on"])
    measure.end_date = extension.new_end_date
    measure.save(update_fields=["end_date"])
    _open_protection(
        case,
        user,
        title=_("Besluit verlenging %(n)s") % {"n": extension.number},
        day=day,
    )
    _measure_deadline(case, user, measure)


def _after_expire(case, user, data, *, source: str = "") -> None:
    measure = measure_of(case)
    close_deadlines(case, user, MEASURE_BASIS, measure.end_date)


@_measure_checked
def withdrawal_after_order(case, measure, data):
    """172a lid 9: one withdraws an order that was taken."""
    if data["withdrawn_on"] < measure.decided_on:
        return refuse(
            RULE_WITHDRAW,
            WITHDRAWN_BEFORE_DECISION,
            on=measure.decided_on,
            day=data["withdrawn_on"],
            decided=measure.decided_on,
        )
    return None


def revoked_needs_upheld_remedy(case, data):
    """ "Revoked in bezwaar or beroep" only when a remedy against the order
    was upheld (Awb 7:11, 8:72); otherwise the ground is 172a lid 9."""
    if (
        data["ground"] == WithdrawForm.REVOKED
        and not LegalProtection.objects.filter(
            case=case,
            decision_kind=DecisionKind.ORDER,
            outcome__in=[Outcome.UPHELD, Outcome.PARTLY_UPHELD],
        ).exists()
    ):
        return refuse(RULE_REVOKED, NOT_REVOKED)
    return None


def _after_withdraw(case, user, data, *, source: str = "") -> None:
    measure = measure_of(case)
    measure.withdrawn_on = data["withdrawn_on"]
    measure.save(update_fields=["withdrawn_on"])
    close_deadlines(case, user, MEASURE_BASIS, data["withdrawn_on"])
    if data["ground"] == WithdrawForm.LID9:
        # A besluit of its own (docs/domain.md §10.1): it gets its own region.
        _open_protection(
            case,
            user,
            title=_("Besluit intrekking"),
            day=data["withdrawn_on"],
            kind=DecisionKind.OTHER,
        )


def _after_close(case, user, data, *, source: str = "") -> None:
    """The case's own deadlines end; the legal protection does not: a
    bezwaar or beroep term that still runs stays open (docs/domain.md §10.3)."""
    today = timezone.localdate()
    close_deadlines(case, user, ZIENSWIJZE_BASIS, today)
    close_deadlines(case, user, MEASURE_BASIS, today)


def _order_letter(data: dict) -> str:
    return "besluit_gebiedsverbod"


GEBIEDSVERBOD_STEPS: dict[str, Step] = {
    "not_impose": Step(ReasonsForm, _after_not_imposed),
    "give_warning": Step(WarningForm, _after_warning, checks=(warning_after_incident,)),
    "send_intention": Step(
        IntentionForm,
        _after_intention,
        letter="voornemen_gebiedsverbod",
        checks=(intention_after_incident,),
    ),
    "receive_views": Step(ViewsForm, _after_views, checks=(views_after_intention,)),
    "views_term_expired": Step(None, _after_views_expired),
    "impose_order": Step(
        OrderForm, _order(urgent=False), letter=_order_letter, checks=ORDER_CHECKS
    ),
    "impose_urgent_order": Step(
        UrgentOrderForm,
        _order(urgent=True),
        letter=_order_letter,
        checks=URGENT_ORDER_CHECKS,
    ),
    "make_known": Step(
        NotificationForm,
        _after_made_known,
        checks=(known_not_before_order, start_not_before_known),
    ),
    "register_violation": Step(None, _after_register_violation),
    "extend": Step(ExtensionForm, _after_extend, checks=EXTENSION_CHECKS),
    "make_extension_known": Step(
        NotificationForm, _after_extension_known, checks=(extension_known_in_time,)
    ),
    "expire": Step(None, _after_expire),
    "withdraw": Step(
        WithdrawForm,
        _after_withdraw,
        checks=(withdrawal_after_order, revoked_needs_upheld_remedy),
    ),
    "close": Step(None, _after_close),
}


def step_initial(name: str, case: Case) -> dict:
    """Proposals: today as the signing date; a start the day after; the
    longest end the law allows."""
    today = timezone.localdate()
    initial: dict = {"decided_on": today, "withdrawn_on": today, "given_on": today}
    if name in ("impose_order", "impose_urgent_order"):
        start = today + timedelta(days=1)
        initial.update(start_date=start, end_date=period_end(start, MAX_MONTHS))
    if name == "extend":
        measure = measure_of(case)
        if measure is not None:
            initial["new_end_date"] = period_end(
                measure.end_date + timedelta(days=1), MAX_MONTHS
            )
    return initial
