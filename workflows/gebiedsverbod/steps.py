"""The steps of a gebiedsverbod case that carry data: their forms, the guards
that compare the step's dates with the facts they depend on, and what each
step sets in motion (deadlines, the record of the besluit, the legal
protection on bekendmaking) in the same transaction as the status change.

Every refusal is a `ValidationError` whose message names the rule; the whole
step (status change included) is then rolled back (`casework.steps.step_run`
is atomic).
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework import deadlines as deadline_engine
from casework.forms import DATE_WIDGET
from casework.models import Case, Deadline
from casework.steps import (
    IntentionTermForm,
    NotificationForm,
    Step,
    StepForm,
    ViewsForm,
    close_deadlines,
    not_future,
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


def _refuse(messages: list) -> None:
    if messages:
        raise ValidationError([str(m) for m in messages])


# --- Forms -------------------------------------------------------------------


class ReasonsForm(StepForm):
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class WarningForm(StepForm):
    given_on = forms.DateField(
        label=_("Warning given on"), widget=DATE_WIDGET, validators=[not_future]
    )


class IntentionForm(IntentionTermForm):
    """A shorter views period than the LOD's, in days by default: a public-order
    measure is often urgent (Awb 4:8; docs/domain.md §10.4)."""

    sent_on = forms.DateField(
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

    decided_on = forms.DateField(
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
    )
    map_id = forms.CharField(label=_("Map id"), required=False, max_length=60)
    map_version = forms.CharField(label=_("Map version"), required=False, max_length=20)
    map_hash = forms.CharField(label=_("Map hash"), required=False, max_length=128)
    reporting_times = forms.CharField(
        label=_("Reporting times and place"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conditions = forms.CharField(
        label=_("Conditions and exceptions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the route to home, work or school; visits to a lawyer."),
    )
    fear_reasons = forms.CharField(
        label=_("Serious fear of further disturbance"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lid5_checked = forms.BooleanField(
        label=_("No OM gedragsaanwijzing for the same area (Gemw 172a lid 5)"),
        required=False,
    )
    start_date = forms.DateField(label=_("Start"), widget=DATE_WIDGET)
    end_date = forms.DateField(
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
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtensionForm(StepForm):
    decided_on = forms.DateField(
        label=_("Signed on"), widget=DATE_WIDGET, validators=[not_future]
    )
    new_end_date = forms.DateField(
        label=_("New end (inclusive)"),
        widget=DATE_WIDGET,
        help_text=_("At most three months after the current end (Gemw 172a lid 6 a)."),
    )
    reasons = forms.CharField(
        label=_("Continuing serious fear"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A reported violation may be the reason."),
    )
    views_on = forms.DateField(
        label=_("Views received on"), required=False, widget=DATE_WIDGET
    )
    urgency_reasons = forms.CharField(
        label=_("Or: reasons for skipping the views (Awb 4:11)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(StepForm):
    LID9 = "lid9"
    REVOKED = "revoked"
    withdrawn_on = forms.DateField(
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
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3})
    )


# --- Guards on the step data ---------------------------------------------------


def views_problems(case: Case, received_on: date) -> list:
    intention = Intention.objects.filter(case=case).first()
    if intention is not None and received_on < intention.sent_on:
        return [
            VIEWS_BEFORE_INTENTION
            % {"day": _day(received_on), "sent": _day(intention.sent_on)}
        ]
    return []


def _duration_problems(basis: str, start: date, end: date, on: date):
    """(problems, policy): the duration within the maximum of the basis."""
    if end < start:
        return [END_BEFORE_START % {"end": _day(end), "start": _day(start)}], None
    if basis == Basis.APV:
        policy = ApvPolicy.in_force(on)
        if policy is None:
            return [NO_APV_POLICY % {"day": _day(on)}], None
        latest = start + timedelta(days=policy.max_days - 1)
        if end > latest:
            return [
                TOO_LONG_APV
                % {
                    "policy": policy,
                    "days": policy.max_days,
                    "max": _day(latest),
                    "end": _day(end),
                }
            ], policy
        return [], policy
    latest = period_end(start, MAX_MONTHS)
    if end > latest:
        return [
            TOO_LONG_172A
            % {"start": _day(start), "max": _day(latest), "end": _day(end)}
        ], None
    return [], None


def order_problems(case: Case, data: dict, *, urgent: bool) -> list:
    """Everything the besluit must satisfy before it is signed (docs/domain.md §10.3
    E35 → E40 and E10 → E40, §10.5)."""
    problems: list = []
    decided = data["decided_on"]
    basis, ground = data["basis"], data["ground"]
    intention = Intention.objects.filter(case=case).first()
    if urgent:
        if not data.get("urgency") or not (data.get("urgency_reasons") or "").strip():
            problems.append(URGENCY_REQUIRED)
    elif intention is None:
        problems.append(NO_INTENTION)
    elif intention.views_on is not None:
        if decided < intention.views_on:
            problems.append(
                BEFORE_VIEWS_RECEIVED
                % {"day": _day(decided), "views": _day(intention.views_on)}
            )
    else:
        term = (
            case.deadlines.filter(legal_basis=ZIENSWIJZE_BASIS)
            .order_by("-event_date", "-pk")
            .first()
        )
        if term is not None and decided <= term.end_date:
            problems.append(
                BEFORE_VIEWS_TERM_ENDED
                % {"day": _day(decided), "end": _day(term.end_date)}
            )
    fits = {
        Basis.GEMW_172A_1: {Ground.SERIOUS, Ground.REPEATED},
        Basis.GEMW_172A_2: {Ground.PRIVATE_SANCTION},
        Basis.APV: {Ground.APV_ACT},
    }
    if ground not in fits[basis]:
        problems.append(
            GROUND_MISMATCH
            % {"ground": Ground(ground).label, "basis": Basis(basis).label}
        )
    if ground == Ground.REPEATED and case.gebiedsverbod_incidents.count() < 2:
        problems.append(REPEATED_NEEDS_TWO)
    if not (data.get("fear_reasons") or "").strip():
        problems.append(FEAR_REQUIRED)
    area_ban = data.get("area_ban") or basis == Basis.APV
    if basis != Basis.APV and not (
        data.get("area_ban") or data.get("group_ban") or data.get("reporting_duty")
    ):
        problems.append(NO_KIND)
    if (area_ban or data.get("group_ban")) and not all(
        (data.get(key) or "").strip()
        for key in ("area_description", "map_id", "map_version", "map_hash")
    ):
        problems.append(MAP_REQUIRED)
    if data.get("reporting_duty") and not (data.get("reporting_times") or "").strip():
        problems.append(REPORTING_REQUIRED)
    if (
        basis != Basis.APV
        and (data.get("area_ban") or data.get("group_ban"))
        and not data.get("lid5_checked")
    ):
        problems.append(LID5_REQUIRED)
    start, end = data["start_date"], data["end_date"]
    if start < decided:
        problems.append(
            START_BEFORE_DECISION % {"start": _day(start), "day": _day(decided)}
        )
    duration, _policy = _duration_problems(basis, start, end, decided)
    return problems + duration


def _order(*, urgent: bool):
    def after(case, user, data, *, source: str = "") -> None:
        _refuse(order_problems(case, data, urgent=urgent))
        basis = data["basis"]
        _problems, policy = _duration_problems(
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


def notification_problems(measure: Measure, made_known_on: date) -> list:
    problems = []
    if made_known_on < measure.decided_on:
        problems.append(
            KNOWN_BEFORE_DECISION
            % {"day": _day(made_known_on), "decided": _day(measure.decided_on)}
        )
    if measure.start_date < made_known_on:
        problems.append(
            START_BEFORE_KNOWN
            % {"start": _day(measure.start_date), "day": _day(made_known_on)}
        )
    return problems


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
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(_("Period for views on the intention")),
        legal_basis=ZIENSWIJZE_BASIS,
        event_date=data["sent_on"],
        length=data["term_length"],
        unit=data["term_unit"],
        atw_applies=bool(data.get("atw_applies")),
        authorised=True,
    )


def _after_views(case, user, data, *, source: str = "") -> None:
    _refuse(views_problems(case, data["received_on"]))
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
    _refuse(notification_problems(measure, day))
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


def extension_problems(measure: Measure, data: dict) -> list:
    problems: list = []
    decided, new_end = data["decided_on"], data["new_end_date"]
    if measure.made_known_on is not None and decided < measure.made_known_on:
        problems.append(
            EXTENSION_BEFORE_KNOWN
            % {"day": _day(decided), "known": _day(measure.made_known_on)}
        )
    if decided > measure.end_date:
        problems.append(
            EXTENSION_AFTER_END % {"end": _day(measure.end_date), "day": _day(decided)}
        )
    start = measure.end_date + timedelta(days=1)
    if new_end <= measure.end_date:
        problems.append(
            EXTENSION_NOT_LATER % {"new": _day(new_end), "end": _day(measure.end_date)}
        )
    elif measure.basis == Basis.APV and measure.apv_policy is not None:
        policy = measure.apv_policy
        latest = start + timedelta(days=policy.max_days - 1)
        if new_end > latest:
            problems.append(
                EXTENSION_TOO_LONG_APV
                % {
                    "policy": policy,
                    "days": policy.max_days,
                    "max": _day(latest),
                    "new": _day(new_end),
                }
            )
    else:
        latest = period_end(start, MAX_MONTHS)
        if new_end > latest:
            problems.append(
                EXTENSION_TOO_LONG
                % {"start": _day(start), "max": _day(latest), "new": _day(new_end)}
            )
    views_on = data.get("views_on")
    if views_on is None and not (data.get("urgency_reasons") or "").strip():
        problems.append(EXTENSION_VIEWS)
    if views_on is not None and views_on > decided:
        problems.append(
            EXTENSION_VIEWS_LATE % {"views": _day(views_on), "day": _day(decided)}
        )
    return problems


def _after_extend(case, user, data, *, source: str = "") -> None:
    measure = measure_of(case)
    _refuse(extension_problems(measure, data))
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


def extension_known_problems(measure: Measure, extension, day: date) -> list:
    if extension is None:
        return [NO_PENDING_EXTENSION]
    problems = []
    if day < extension.decided_on:
        problems.append(
            EXTENSION_KNOWN_BEFORE_DECISION
            % {"day": _day(day), "decided": _day(extension.decided_on)}
        )
    if day > measure.end_date:
        problems.append(
            EXTENSION_KNOWN_TOO_LATE % {"day": _day(day), "end": _day(measure.end_date)}
        )
    return problems


def _after_extension_known(case, user, data, *, source: str = "") -> None:
    measure = measure_of(case)
    extension = pending_extension(case)
    day = data["made_known_on"]
    _refuse(extension_known_problems(measure, extension, day))
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


def withdraw_problems(case, measure: Measure, data: dict) -> list:
    problems = []
    if data["withdrawn_on"] < measure.decided_on:
        problems.append(
            WITHDRAWN_BEFORE_DECISION
            % {"day": _day(data["withdrawn_on"]), "decided": _day(measure.decided_on)}
        )
    if (
        data["ground"] == WithdrawForm.REVOKED
        and not LegalProtection.objects.filter(
            case=case,
            decision_kind=DecisionKind.ORDER,
            outcome__in=[Outcome.UPHELD, Outcome.PARTLY_UPHELD],
        ).exists()
    ):
        problems.append(NOT_REVOKED)
    return problems


def _after_withdraw(case, user, data, *, source: str = "") -> None:
    measure = measure_of(case)
    _refuse(withdraw_problems(case, measure, data))
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
    "give_warning": Step(WarningForm, _after_warning),
    "send_intention": Step(
        IntentionForm, _after_intention, letter="voornemen_gebiedsverbod"
    ),
    "receive_views": Step(ViewsForm, _after_views),
    "views_term_expired": Step(None, _after_views_expired),
    "impose_order": Step(OrderForm, _order(urgent=False), letter=_order_letter),
    "impose_urgent_order": Step(
        UrgentOrderForm, _order(urgent=True), letter=_order_letter
    ),
    "make_known": Step(NotificationForm, _after_made_known),
    "register_violation": Step(None, _after_register_violation),
    "extend": Step(ExtensionForm, _after_extend),
    "make_extension_known": Step(NotificationForm, _after_extension_known),
    "expire": Step(None, _after_expire),
    "withdraw": Step(WithdrawForm, _after_withdraw),
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
