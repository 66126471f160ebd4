"""Gebiedsverbod / verblijfsontzegging (Gemeentewet art. 172a; APV):
docs/domain.md §10.

Every state of §10.2 and the edges of §10.3 (edges with several sources share
one transition). Actors map to roles as JUR → jurist, BGM → burgemeester; a
step of the system (SYS), the police (POL) or the person (BETR) is recorded by
the jurist, except the police's violation report, which the police file
themselves (services.violation_report_create) and the jurist registers.

Guards that depend only on the case's recorded facts are django-fsm
`conditions` made with `casework.rules.guard`: each answers with a `Refusal`
that names its rule and the date it turns on (`refusals()` lists the
messages of those that block a step, `casework.rules.why_not` the refusals).
Checks that compare a date the step asks for with the facts it depends on are
the steps' `Step.checks` (steps.py), run by `step_run` before the transition.
Changes of the order (lid 7, lid 9) and exemptions (lid 8) are not
modelled yet (docs/gebiedsverbod.md "Known limits").
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.models import Case, Deadline
from casework.rules import explain, guard, refuse
from permissions.models import DataClass, Role
from permissions.transitions import allowed_roles

# The code stored on Case.case_type and used in references (2026-GBV-0001).
CODE = "GBV"

# Legal bases that name the deadlines the steps set.
ZIENSWIJZE_BASIS = "Awb 4:8"
MEASURE_BASIS = "Gemw 172a lid 6"
MAX_MONTHS = 3
MAX_EXTENSIONS = 3


class GebiedsverbodStatus(models.TextChoices):
    E00 = "E00", _("Signal / police report received")
    E10 = "E10", _("Assessment")
    E20 = "E20", _("Warning given")
    E30 = "E30", _("Intention sent – views period open")
    E35 = "E35", _("Views received / term expired")
    E40 = "E40", _("Order adopted")
    E50 = "E50", _("Notified – measure in force")
    E60 = "E60", _("Violation reported")
    E70 = "E70", _("Extension decided")
    E80 = "E80", _("Expired")
    E90 = "E90", _("Withdrawn")
    E95 = "E95", _("Not imposed")
    E99 = "E99", _("Closed")


S = GebiedsverbodStatus


def _day(value) -> str:
    return date_format(value, "j F Y")


def measure_of(case):
    from .measures import Measure

    return Measure.objects.filter(case=case).first()


# The rules the guards name (casework.rules.Refusal.rule).
RULE_GROUND = "Gemw 172a lid 1"
RULE_DURATION = "Gemw 172a lid 6 a"
RULE_END = "Gemw 172a lid 6"
RULE_VIEWS = "Awb 4:8"
RULE_ORDER_EXISTS = "Gemw 172a; Awb 1:3"
RULE_VIOLATION = "Sr 184"
RULE_APV = "APV (gemeentelijk)"
RULE_REMEDY = "Awb 6:7, 7:10, 8:1"

NO_INCIDENT = _(
    "Record at least one dated incident first: the order rests on a serious "
    "or repeated disturbance of public order (Gemw 172a lid 1)."
)
NO_INCIDENT_AFTER_WARNING = _(
    "Only a new incident dated after the warning of %(day)s reopens the "
    "assessment (E20 → E10)."
)
VIEWS_TERM_RUNS = _(
    "The period for views runs until %(day)s inclusive; before then only "
    "views received end it (Awb 4:8)."
)
NO_MEASURE = _("There is no order on this case (Gemw 172a; Awb 1:3).")
NO_VIOLATION = _("There is no new violation report by the police to register (Sr 184).")
EXTENDED_THREE_TIMES = _(
    "The order was extended three times already; it may be extended at most "
    "three times (Gemw 172a lid 6 a)."
)
APV_NO_MORE_EXTENSIONS = _(
    "The APV policy applied allows %(n)s extension(s) and %(done)s were decided "
    "(APV, municipal)."
)
MEASURE_RUNS = _(
    "The measure runs until %(day)s inclusive; it expires only after that day "
    "(Gemw 172a lid 6)."
)
REMEDY_PENDING = _(
    "An objection or appeal against a besluit on this case is still pending "
    "(%(status)s); the case is closed once it is decided, so that its outcome "
    "can still be carried out (Awb 6:7, 7:10, 8:1)."
)


@guard
def has_incident(case):
    """172a lid 1: the order rests on a recorded, dated incident."""
    if not case.gebiedsverbod_incidents.exists():
        return refuse(RULE_GROUND, NO_INCIDENT)
    return None


def _warning_date(case):
    from .measures import Warning

    return Warning.objects.filter(case=case).values_list("given_on", flat=True).first()


@guard
def incident_after_warning(case):
    """E20 → E10: a new incident dated after the warning."""
    warned = _warning_date(case)
    if warned is None:
        return refuse(RULE_GROUND, NO_INCIDENT_AFTER_WARNING, day="—")
    if not case.gebiedsverbod_incidents.filter(occurred_on__gt=warned).exists():
        return refuse(RULE_GROUND, NO_INCIDENT_AFTER_WARNING, on=warned, day=warned)
    return None


def _views_term(case):
    return (
        Deadline.objects.filter(case=case, legal_basis=ZIENSWIJZE_BASIS)
        .order_by("-event_date", "-pk")
        .first()
    )


@guard
def views_term_over(case):
    """Awb 4:8: the views term ended (its last day passed) without views."""
    term = _views_term(case)
    if term is not None and term.end_date >= timezone.localdate():
        return refuse(RULE_VIEWS, VIEWS_TERM_RUNS, on=term.end_date, day=term.end_date)
    return None


@guard
def has_measure(case):
    """There is an order (the besluit) on the case."""
    if measure_of(case) is None:
        return refuse(RULE_ORDER_EXISTS, NO_MEASURE)
    return None


@guard
def unregistered_violation(case):
    """Sr 184: a police report of a violation waits to be registered."""
    if not case.gebiedsverbod_violations.filter(registered_at__isnull=True).exists():
        return refuse(RULE_VIOLATION, NO_VIOLATION)
    return None


def extensions_decided(case) -> int:
    from .measures import Extension

    return Extension.objects.filter(measure__case=case).count()


@guard
def may_be_extended(case):
    """172a lid 6 a: at most three extensions (APV: the policy's number)."""
    from .measures import Basis

    measure = measure_of(case)
    if measure is None:
        return refuse(RULE_ORDER_EXISTS, NO_MEASURE)
    done = extensions_decided(case)
    if measure.basis == Basis.APV:
        allowed = measure.apv_policy.max_extensions if measure.apv_policy else 0
        if done >= allowed:
            return refuse(RULE_APV, APV_NO_MORE_EXTENSIONS, n=allowed, done=done)
        return None
    if done >= MAX_EXTENSIONS:
        return refuse(RULE_DURATION, EXTENDED_THREE_TIMES)
    return None


@guard
def end_date_passed(case):
    """172a lid 6: expiry only after the last day of the measure."""
    measure = measure_of(case)
    if measure is None:
        return refuse(RULE_ORDER_EXISTS, NO_MEASURE)
    if measure.end_date >= timezone.localdate():
        return refuse(RULE_END, MEASURE_RUNS, on=measure.end_date, day=measure.end_date)
    return None


# Legal-protection states in which an objection or appeal is lodged and not
# yet decided (R00: only the term runs; R30: decided; R90: final).
PENDING_REMEDY = ("R10", "R15", "R20", "R25", "R40", "R45", "R50")


@guard
def no_remedy_pending(case):
    """docs/domain.md §10.3 E80/E90/E95 → E99: no objection or appeal still
    pending. A term that only runs stays open on the closed case (its
    R-region lives on); a lodged remedy may still revoke the order (E90)."""
    from workflows.legal_protection.machine import LegalProtection

    pending = (
        LegalProtection.objects.filter(case=case, status__in=PENDING_REMEDY)
        .order_by("pk")
        .first()
    )
    if pending is not None:
        return refuse(RULE_REMEDY, REMEDY_PENDING, status=pending.get_status_display())
    return None


JUR = allowed_roles(Role.JURIST)
# Gemw 177 lid 2 and 178 lid 2: only the burgemeester takes a 172a besluit
# (no police machtiging, no committee). He reads the case (D0) and signs (D2).
BGM = allowed_roles(Role.BURGEMEESTER, writes=DataClass.D2)
JUR_BGM = allowed_roles(Role.JURIST, Role.BURGEMEESTER, writes=DataClass.D2)

# The transitions only the burgemeester may take, with the article.
BURGEMEESTER_ONLY = frozenset(
    {"impose_order", "impose_urgent_order", "extend", "withdraw"}
)


class GebiedsverbodCase(Case):
    INITIAL = S.E00
    TERMINAL = frozenset({S.E99})
    Status = GebiedsverbodStatus

    class Meta:
        proxy = True

    # Intake and assessment

    @transition(
        field="status",
        source=S.E00,
        target=S.E10,
        permission=JUR,
        custom={"label": _("Start assessment")},
    )
    def start_assessment(self) -> None:
        """E00 → E10: ground, ernstige vrees, measure kind and area,
        proportionality, OM gedragsaanwijzing for the same area (lid 5)."""

    @transition(
        field="status",
        source=[S.E10, S.E30, S.E35],
        target=S.E95,
        permission=JUR_BGM,
        custom={"label": _("Do not impose a measure")},
    )
    def not_impose(self) -> None:
        """E10/E30/E35 → E95: no ground, not proportionate, or decided against
        after the views; reasons required; the outcome goes to the police."""

    @transition(
        field="status",
        source=S.E10,
        target=S.E20,
        permission=JUR_BGM,
        conditions=[has_incident],
        custom={"label": _("Give a warning")},
    )
    def give_warning(self) -> None:
        """E10 → E20: optional rung, not a besluit; documents the repetition."""

    @transition(
        field="status",
        source=S.E20,
        target=S.E10,
        permission=JUR,
        conditions=[incident_after_warning],
        custom={"label": _("Reassess after a new incident")},
    )
    def reassess(self) -> None:
        """E20 → E10: a new report dated after the warning."""

    @transition(
        field="status",
        source=S.E20,
        target=S.E99,
        permission=JUR,
        custom={"label": _("Close after the warning")},
    )
    def close_after_warning(self) -> None:
        """E20 → E99: no further incident in the monitoring period."""

    @transition(
        field="status",
        source=S.E10,
        target=S.E30,
        permission=JUR,
        conditions=[has_incident],
        custom={"label": _("Send intention")},
    )
    def send_intention(self) -> None:
        """E10 → E30: voornemen with the draft measure and area map (Awb 4:8);
        the zienswijze term starts."""

    @transition(
        field="status",
        source=S.E30,
        target=S.E35,
        permission=JUR,
        custom={"label": _("Record views")},
    )
    def receive_views(self) -> None:
        """E30 → E35: views given, written or oral (Awb 4:9)."""

    # SYS in §10.3: the jurist records that the term passed.
    @transition(
        field="status",
        source=S.E30,
        target=S.E35,
        permission=JUR,
        conditions=[views_term_over],
        custom={"label": _("Views term expired")},
    )
    def views_term_expired(self) -> None:
        """E30 → E35: the zienswijze term ended without views."""

    # The besluit (Gemw 172a; 177 lid 2 and 178 lid 2: the burgemeester only)

    @transition(
        field="status",
        source=S.E35,
        target=S.E40,
        permission=BGM,
        conditions=[has_incident],
        custom={"label": _("Sign the order")},
    )
    def impose_order(self) -> None:
        """E35 → E40: besluit gebiedsverbod / groepsverbod / meldplicht or
        verblijfsontzegging; content and dates checked by the step."""

    @transition(
        field="status",
        source=S.E10,
        target=S.E40,
        permission=BGM,
        conditions=[has_incident],
        custom={"label": _("Sign an urgent order (no intention)")},
    )
    def impose_urgent_order(self) -> None:
        """E10 → E40: spoedbesluit without voornemen; Awb 4:11 ground and
        reasons required by the step."""

    # JUR/POL/SYS in §10.3: the jurist records the proof.
    @transition(
        field="status",
        source=S.E40,
        target=S.E50,
        permission=JUR,
        conditions=[has_measure],
        custom={"label": _("Record notification")},
    )
    def make_known(self) -> None:
        """E40 → E50: handed over or sent (Awb 3:40, 3:41); R00 starts."""

    # During the measure

    @transition(
        field="status",
        source=S.E50,
        target=S.E60,
        permission=JUR,
        conditions=[unregistered_violation],
        custom={"label": _("Register violation report")},
    )
    def register_violation(self) -> None:
        """E50 → E60: the police reported a violation within the term; the
        proces-verbaal goes to the OM (Sr 184)."""

    @transition(
        field="status",
        source=S.E60,
        target=S.E50,
        permission=JUR,
        custom={"label": _("Measure continues")},
    )
    def continue_measure(self) -> None:
        """E60 → E50: the violation is registered; the measure continues."""

    @transition(
        field="status",
        source=[S.E50, S.E60],
        target=S.E70,
        permission=BGM,
        conditions=[has_measure, may_be_extended],
        custom={"label": _("Sign an extension")},
    )
    def extend(self) -> None:
        """E50/E60 → E70: besluit verlenging (172a lid 6 a), at most three
        months, at most three times, decided while the measure still runs."""

    @transition(
        field="status",
        source=S.E70,
        target=S.E50,
        permission=JUR,
        custom={"label": _("Record notification of the extension")},
    )
    def make_extension_known(self) -> None:
        """E70 → E50: made known before the current end; new end date."""

    # SYS in §10.3.
    @transition(
        field="status",
        source=[S.E50, S.E70],
        target=S.E80,
        permission=JUR,
        conditions=[has_measure, end_date_passed],
        custom={"label": _("Record expiry")},
    )
    def expire(self) -> None:
        """E50/E70 → E80: the end date passed without an extension made
        known; kennisgeving afloop to the police."""

    @transition(
        field="status",
        source=[S.E40, S.E50, S.E60, S.E70],
        target=S.E90,
        permission=BGM,
        conditions=[has_measure],
        custom={"label": _("Withdraw the order")},
    )
    def withdraw(self) -> None:
        """E40–E70 → E90: no longer needed (172a lid 9), or revoked in
        bezwaar or beroep; besluit intrekking, outcome to the police."""

    @transition(
        field="status",
        source=[S.E80, S.E90, S.E95],
        target=S.E99,
        permission=JUR,
        conditions=[no_remedy_pending],
        custom={"label": _("Close case")},
    )
    def close(self) -> None:
        """E80/E90/E95 → E99: afsluitnotitie. An objection or appeal that is
        still open stays open: closing ends the case's own deadlines only."""


def guard_refusals(case, name: str) -> list:
    """The `Refusal`s of the guards that block transition `name` from the
    case's status now (empty when it may run, or when it does not start
    there)."""
    method = getattr(GebiedsverbodCase, name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        return []
    found = meta.get_transition(case.status)
    if found is None:
        return []
    return [explain(check, case) for check in found.conditions if not check(case)]


def refusals(case, name: str) -> list[str]:
    """The messages of the guards that block transition `name` now."""
    return [refusal.message for refusal in guard_refusals(case, name)]


def transition_names() -> list[str]:
    """The machine's transitions in declaration order."""
    return [
        name
        for name, value in vars(GebiedsverbodCase).items()
        if hasattr(value, "_django_fsm")
    ]


def blocked_transitions(case) -> list[tuple[str, list[str]]]:
    """(label, messages) for each transition from the current status that a
    guard blocks: the case page says why a step is not offered."""
    blocked = []
    for name in transition_names():
        messages = refusals(case, name)
        if messages:
            found = getattr(GebiedsverbodCase, name)._django_fsm.get_transition(
                case.status
            )
            blocked.append((str(found.custom.get("label", name)), messages))
    return blocked
