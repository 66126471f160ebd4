"""The order and the dates of the Bibob steps (docs/domain.md §3.4, §3.5):
checks on a step's form data (`casework.steps.Step.checks`), each naming the
statute and the date it turns on. `step_run` runs them before the
transition; a refusal changes nothing.

A dated step is refused when its date lies before the fact it depends on:
the invitation to complete before the application, the art 32 notice before
the advice request, the voornemen before the advice, a besluit before the
advice or while the period for views runs, the bekendmaking before the
besluit. A refusal ("weigeren", "intrekken") needs its motivation (Awb 3:46)
and an explicit confirmation.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.rules import refuse
from workflows.bibob.machine import (
    REPAIR_BASIS,
    ZIENSWIJZE_BASIS,
    S,
    conclusion_of,
)
from workflows.bibob.models import BibobDecision, BibobIntake
from workflows.bibob.terms import LBB_LID2_BASIS, art31_cap, lbb_term

RULE_CONFIRM = "proces: uitdrukkelijke bevestiging van de weigering"


def _day(data: dict, key: str) -> date:
    return data.get(key) or timezone.localdate()


def received_on(case) -> date | None:
    intake = BibobIntake.objects.filter(case=case).first()
    return intake.received_on if intake else None


def _latest(case, basis: str):
    return case.deadlines.filter(legal_basis=basis).order_by("-id").first()


def advice_requested_on(case) -> date | None:
    term = lbb_term(case)
    return term.event_date if term else None


def advice_received_on(case) -> date | None:
    term = lbb_term(case)
    return term.met_on if term else None


def intention_sent_on(case) -> date | None:
    views = _latest(case, ZIENSWIJZE_BASIS)
    return views.event_date if views else None


def decided_on(case) -> date | None:
    decision = BibobDecision.objects.filter(case=case).first()
    return decision.decided_on if decision else None


def _not_before(day, earlier, rule, message):
    if earlier is not None and day < earlier:
        return refuse(rule, message, on=earlier)
    return None


def not_before_receipt(key: str, rule: str = "Awb 4:5"):
    def check(case, data):
        return _not_before(
            _day(data, key),
            received_on(case),
            rule,
            _("This date lies before the application was received on %(date)s."),
        )

    check.__name__ = f"not_before_receipt_{key}"
    return check


def completion_after_invitation(case, data):
    """Awb 4:5: the application is completed after the invitation."""
    repair = _latest(case, REPAIR_BASIS)
    return _not_before(
        _day(data, "received_on"),
        repair.event_date if repair else None,
        "Awb 4:5 lid 1",
        _("The completion cannot lie before the invitation to complete of %(date)s."),
    )


def report_after_conclusion(case, data):
    """7a lid 7: the report follows the conclusion it reports."""
    c = conclusion_of(case)
    return _not_before(
        _day(data, "on"),
        c.concluded_on if c else None,
        "Wet Bibob art 7a lid 7",
        _("The report cannot lie before the conclusion of %(date)s."),
    )


def request_after_conclusion(case, data):
    """Art 9 with 7a lid 4: the request carries the conclusion of the own
    investigation, so it is not sent before it."""
    c = conclusion_of(case)
    return _not_before(
        _day(data, "on"),
        c.concluded_on if c else None,
        "Wet Bibob art 9; art 7a lid 4",
        _(
            "The advice cannot be requested before the own investigation was "
            "concluded on %(date)s."
        ),
    )


def after_request(rule: str, message):
    """A step of the advice procedure dated on or after the request."""

    def check(case, data):
        return _not_before(_day(data, "on"), advice_requested_on(case), rule, message)

    return check


def data_after_question(case, data):
    """Art 15 lid 2: the data is supplied after the LBB asked for it."""
    term = lbb_term(case)
    if term is None:
        return None
    asked = (
        term.adjustments.filter(legal_basis__startswith=LBB_LID2_BASIS)
        .order_by("-start")
        .values_list("start", flat=True)
        .first()
    )
    return _not_before(
        _day(data, "on"),
        asked,
        "Wet Bibob art 15 lid 2",
        _("The data cannot be supplied before the LBB asked for it on %(date)s."),
    )


def intention_after_advice(case, data):
    """Art 33 with Awb 3:9: the voornemen rests on the advice, so it is not
    sent before the advice arrived; nor before the conclusion it intends."""
    day = _day(data, "sent_on")
    refusal = _not_before(
        day,
        advice_received_on(case),
        "Wet Bibob art 33; Awb 3:9",
        _("The intention cannot lie before the LBB advice was received on %(date)s."),
    )
    if refusal is not None:
        return refusal
    c = conclusion_of(case)
    return _not_before(
        day,
        c.concluded_on if c else None,
        "Wet Bibob art 33 lid 1",
        _("The intention cannot lie before the conclusion of %(date)s."),
    )


def views_after_intention(case, data):
    """Awb 4:8 via art 33 lid 3: views answer the voornemen."""
    return _not_before(
        _day(data, "received_on"),
        intention_sent_on(case),
        "Wet Bibob art 33 lid 3; Awb 4:8",
        _("Views cannot be received before the intention was sent on %(date)s."),
    )


def decision_after_advice(case, data):
    """Art 31, Awb 3:9: no besluit before the LBB advice that was asked for
    arrived (the decision then rests on it), or, without it, before its term
    (the art 31 cap) was over."""
    requested = advice_requested_on(case)
    if requested is None:
        return None
    received = advice_received_on(case)
    day = _day(data, "decided_on")
    if received is None:
        # Without the advice only once its term is over (the art 31 cap).
        cap = art31_cap(case)
        if cap is not None and day > cap:
            return None
        return refuse(
            "Wet Bibob art 31; Awb 3:9",
            _(
                "The LBB advice requested on %(requested)s has not been received; "
                "its term runs until %(date)s."
            ),
            on=cap,
            requested=requested,
        )
    return _not_before(
        day,
        received,
        "Wet Bibob art 31; Awb 3:9",
        _("The decision cannot lie before the LBB advice was received on %(date)s."),
    )


def decision_after_views(case, data):
    """Art 33: the decision follows the voornemen, and, unless the views
    were received, the end of the period for views."""
    day = _day(data, "decided_on")
    sent = intention_sent_on(case)
    refusal = _not_before(
        day,
        sent,
        "Wet Bibob art 33",
        _("The decision cannot lie before the intention sent on %(date)s."),
    )
    if refusal is not None or sent is None:
        return refusal
    views = _latest(case, ZIENSWIJZE_BASIS)
    heard = views.state == views.State.MET and views.met_on is not None
    if views.end_date and not heard and day <= views.end_date:
        return refuse(
            "Wet Bibob art 33; Awb 4:8",
            _("The period for views on the intention runs until %(date)s."),
            on=views.end_date,
        )
    return None


def decision_after_receipt(case, data):
    return _not_before(
        _day(data, "decided_on"),
        received_on(case),
        "Awb 4:13",
        _("The decision cannot lie before the application was received on %(date)s."),
    )


def motivation_given(case, data):
    """Awb 3:46, 3:47: a refusal or revocation rests on a motivation stated
    with the besluit."""
    if str(data.get("motivation") or "").strip():
        return None
    return refuse("Awb 3:46", _("Give the motivation of the decision."))


def refusal_confirmed(case, data):
    """A refusal is not one click: the decision-maker confirms it
    explicitly, having read the motivation."""
    if data.get("confirm") is True:
        return None
    return refuse(
        RULE_CONFIRM,
        _("Confirm explicitly that you take this negative decision."),
    )


def notification_after_decision(case, data):
    """Awb 3:40, 3:41: a besluit is made known after it was taken."""
    return _not_before(
        _day(data, "made_known_on"),
        decided_on(case),
        "Awb 3:40; Awb 3:41",
        _("The besluit cannot be made known before it was taken on %(date)s."),
    )


# The outcomes a decision step records (BibobDecision.outcome).
DECISION_STEPS = {
    "grant_without_bibob": S.B70,
    "conclude_no_danger": S.B70,
    "grant": S.B70,
    "grant_with_conditions": S.B71,
    "refuse": S.B72,
    "revoke": S.B73,
}
