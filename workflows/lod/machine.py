"""Last onder dwangsom / sluiting (art. 13b Opiumwet, APV): docs/domain.md §2.

Every state of §2.2 and every edge of §2.3, one transition per edge (edges
with several sources share one). Actors map to roles as JUR → jurist, BGM →
burgemeester (or mandated official), TH → toezicht, INV → invordering; a step
of the system (SYS) or of someone outside Casework (BETR, POL, BZC, RB) is
recorded by the jurist. The few edges §2.3 lacks are marked "Not in §2.3";
docs/decisions/0006-lod-states.md lists them with the reasons.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.compiled import Compiled
from casework.models import Case, CaseEvent, Deadline
from casework.rules import RULE_ORDER, guard, refuse
from permissions.models import DataClass, Role
from permissions.transitions import allowed_roles
from workflows.legal_protection.machine import DecisionKind, LegalProtection, Outcome

# The code stored on Case.case_type and used in references (2026-LOD-0001).
CODE = "LOD"


class LodStatus(models.TextChoices):
    A00 = "A00", _("Signal received")
    A10 = "A10", _("Legal assessment")
    A15 = "A15", _("Administrative warning sent")
    A20 = "A20", _("Intention sent – views period open")
    A25 = "A25", _("Views received / heard")
    A30 = "A30", _("Decision being drafted")
    A40 = "A40", _("Penalty order adopted")
    A41 = "A41", _("Closure order adopted")
    A45 = "A45", _("Notified")
    A50 = "A50", _("Grace period running")
    A60 = "A60", _("Order in force – monitoring")
    A61 = "A61", _("Re-inspection / new report under review")
    A70 = "A70", _("Breach established – penalty forfeited")
    A71 = "A71", _("Intention to collect – views")
    A72 = "A72", _("Collection decision taken")
    A73 = "A73", _("Reminder sent")
    A74 = "A74", _("Writ of execution issued")
    A75 = "A75", _("Collected / paid")
    A76 = "A76", _("Time-barred / collection waived")
    A80 = "A80", _("Maximum reached – escalation")
    A81 = "A81", _("Closure executed")
    A82 = "A82", _("Premises closed")
    A83 = "A83", _("Re-opened")
    A84 = "A84", _("Cost recovery")
    A90 = "A90", _("Request to lift/change under review")
    A95 = "A95", _("Lifted / revoked / lapsed")
    A99 = "A99", _("Closed")


@guard
def no_open_child_case(case):
    """§2.3 "All child cases closed": an escalation (new LOD or sluiting) or a
    collection case must end before this one is archived."""
    child = (
        Case.objects.filter(parent=case, closed_at__isnull=True)
        .order_by("opened_at", "id")
        .values_list("reference", flat=True)
        .first()
    )
    if child is not None:
        return refuse(RULE_ORDER, OPEN_CHILD_CASE, reference=child)
    return None


# Legal bases that name the deadlines the steps set (workflows/lod/steps.py).
ZIENSWIJZE_BASIS = "Awb 4:8"
BEGUNSTIGING_BASIS = "Awb 5:32a lid 2"


def running_term(case, basis: str) -> Deadline | None:
    """The deadline of this basis that still runs today (open or suspended,
    its last day not yet past), the one that ends last; None when none."""
    return (
        Deadline.objects.filter(
            case=case,
            legal_basis=basis,
            state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED],
            end_date__gte=timezone.localdate(),
        )
        .order_by("-end_date")
        .first()
    )


def _term_running(case, basis: str) -> bool:
    return running_term(case, basis) is not None


# The refusals of the procedure (A00–A61, A80–A99), each naming its rule.
OPEN_CHILD_CASE = _(
    "The follow-up case %(reference)s of this case is still open: this case "
    "can be closed only once that case is closed."
)
NOT_A_PENALTY_ORDER = _(
    "The besluit of this case is not a penalty order (last onder dwangsom): "
    "no penalty can be forfeited."
)
NOT_REVOKED = _(
    "No objection or appeal against the order of this case has been upheld."
)
VIEWS_TERM_RUNS = _(
    "The period for views on the intention runs until %(date)s inclusive; "
    "before then only views received end it (Awb 4:8)."
)
GRACE_PERIOD_RUNS = _(
    "The grace period (begunstigingstermijn) of the besluit runs until "
    "%(date)s inclusive."
)
NO_GRACE_PERIOD_IN_BESLUIT = _(
    "The besluit sets no grace period (a preventive order or an urgent "
    "closure): it applies from its notification; start monitoring instead."
)
GRACE_PERIOD_IN_BESLUIT = _(
    "The besluit sets a grace period of %(days)s days: the order is not "
    "preventive and applies only after that period; start the grace period."
)
NOT_A_CLOSURE_ORDER = _(
    "The besluit of this case is not a closure order (last onder "
    "bestuursdwang): there is nothing to execute."
)
CLOSURE_NOT_YET_IN_FORCE = _(
    "The closure order sets a grace period of %(days)s days: it is executed "
    "only after its notification and once that period has ended; only an "
    "urgent closure is executed at once."
)
REMEDY_PENDING = _(
    "An objection or appeal against “%(decision)s” is still pending "
    "(%(status)s): the case is closed once it is decided."
)
REMEDY_TERM_RUNS = _(
    "The period to object or appeal against “%(decision)s” runs until "
    "%(date)s inclusive: the case is closed once it has lapsed."
)

RULE_VIEWS = "Awb 4:8"
RULE_PREVENTIVE = "Awb 5:7; 5:32a lid 2"
RULE_GRACE_DWANGSOM = "Awb 5:32a lid 2"
RULE_GRACE_CLOSURE = "Awb 5:24 lid 2"
RULE_CLOSURE = "Awb 5:21; art. 13b Opiumwet"
RULE_IN_FORCE = "Awb 3:40; 5:24 lid 2"
RULE_REMEDY_PENDING = "Awb 7:1; 8:1"
RULE_REMEDY_TERM = "Awb 6:7, 6:8"
RULE_FORFEITURE = "Awb 5:33"
RULE_REVOKED = "Awb 7:11; 8:72"


@Compiled
def _decision_of(case_id: int):
    from workflows.lod.handhavingsmatrix import LodDecision

    return LodDecision.objects.filter(case_id=case_id)


def lod_decision(case):
    """The besluit recorded on this case (LodDecision; one per case), or
    None. Read anew at each call — the guards ask it whenever a step is
    weighed — by a statement compiled once (`casework.compiled`): the case
    page's steps ask it up to twice, and the ORM built it in about 0.7 ms
    each time on the bench machine."""
    return next(iter(_decision_of(case.pk)), None)


def _grace_rule(case) -> str:
    decision = lod_decision(case)
    if decision is not None and decision.measure == "sluiting":
        return RULE_GRACE_CLOSURE
    return RULE_GRACE_DWANGSOM


def views_received(case) -> bool:
    """Views on the intention were recorded (A20 → A25, Awb 4:9)."""
    return _decided(case, LodStatus.A25)


@guard
def views_term_over(case):
    """§2.3 A20 → A30 "Deadline passed": not while the views period runs
    (Awb 4:8)."""
    term = running_term(case, ZIENSWIJZE_BASIS)
    if term is not None:
        return refuse(RULE_VIEWS, VIEWS_TERM_RUNS, on=term.end_date)
    return None


@guard
def views_heard_or_term_over(case):
    """A30 → A40/A41: the besluit follows the views or the end of the views
    period (Awb 4:8). A term still open means the views were not weighed."""
    if views_received(case):
        return None
    return views_term_over.explain(case)


@guard
def grace_period_over(case):
    """§2.3 A50 → A61 "Term ended": not while the begunstigingstermijn runs
    (Awb 5:32a lid 2; for a closure 5:24 lid 2)."""
    term = running_term(case, BEGUNSTIGING_BASIS)
    if term is not None:
        return refuse(_grace_rule(case), GRACE_PERIOD_RUNS, on=term.end_date)
    return None


@guard
def besluit_has_grace_period(case):
    """A45 → A50 only for a besluit with a begunstigingstermijn (Awb 5:32a
    lid 2, 5:24 lid 2). A besluit recorded without content (possible only
    outside the step pages) is not judged."""
    decision = lod_decision(case)
    if decision is not None and not decision.grace_days:
        return refuse(RULE_PREVENTIVE, NO_GRACE_PERIOD_IN_BESLUIT)
    return None


@guard
def besluit_is_preventive(case):
    """A45 → A60 only for a besluit without begunstigingstermijn: a
    preventive last (Awb 5:7) or an urgent closure (5:31)."""
    decision = lod_decision(case)
    if decision is not None and decision.grace_days:
        return refuse(
            RULE_PREVENTIVE, GRACE_PERIOD_IN_BESLUIT, days=decision.grace_days
        )
    return None


@guard
def closure_may_be_executed(case):
    """A41/A50/A61 → A81: the besluit is a closure order (Awb 5:21), in force
    (3:40: not before bekendmaking, so from A41 only an urgent closure, 5:31)
    and its begunstigingstermijn has ended (5:24 lid 2)."""
    if not _decided(case, LodStatus.A41):
        return refuse(RULE_CLOSURE, NOT_A_CLOSURE_ORDER)
    decision = lod_decision(case)
    if case.status == LodStatus.A41 and decision is not None and decision.grace_days:
        return refuse(RULE_IN_FORCE, CLOSURE_NOT_YET_IN_FORCE, days=decision.grace_days)
    term = running_term(case, BEGUNSTIGING_BASIS)
    if term is not None:
        return refuse(RULE_GRACE_CLOSURE, GRACE_PERIOD_RUNS, on=term.end_date)
    return None


# A remedy is pending from the objection until the beslissing op bezwaar, and
# from the appeal until the final ruling (legal_protection R-states).
_REMEDY_PENDING_STATES = ("R10", "R15", "R20", "R25", "R40", "R45", "R50")


@guard
def no_remedy_open(case):
    """Closing (→ A99) is the last, irreversible step: not while a bezwaar or
    beroep against a besluit of the case is pending (Awb 7:1, 8:1) nor while
    the term to lodge one runs (6:7, 6:8), so that its outcome can still be
    carried out on the case."""
    from workflows.legal_protection.selectors import (
        APPEAL_TERM_BASIS,
        OBJECTION_TERM_BASIS,
        belongs_to,
    )

    protections = list(LegalProtection.objects.filter(case=case).order_by("id"))
    for protection in protections:
        if protection.status in _REMEDY_PENDING_STATES:
            return refuse(
                RULE_REMEDY_PENDING,
                REMEDY_PENDING,
                decision=protection.decision_title,
                status=protection.get_status_display(),
            )
    running = Deadline.objects.filter(
        case=case,
        legal_basis__in=(OBJECTION_TERM_BASIS, APPEAL_TERM_BASIS),
        state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED],
        end_date__gte=timezone.localdate(),
    ).order_by("end_date", "id")
    for term in running:
        protection = next((p for p in protections if belongs_to(term, p)), None)
        if protection is not None and protection.status == "R90":
            continue
        title = protection.decision_title if protection else term.title
        return refuse(
            RULE_REMEDY_TERM, REMEDY_TERM_RUNS, on=term.end_date, decision=title
        )
    return None


@guard
def not_time_barred(case):
    """§2.3 A70 → A71 "Within the verjaring window (5:35)": something
    forfeited can still be collected (not time-barred, not paid). Cases
    without forfeitures (no decision data) are not blocked."""
    from workflows.lod.ledger import ledger_for

    ledger = ledger_for(case)
    if not ledger.entries or ledger.collectible_entries():
        return None
    barred = [e.time_barred_after for e in ledger.entries if e.time_barred]
    if barred:
        return refuse(
            "Awb 5:35",
            _("What is open is time-barred (the last after %(date)s): nothing "
              "can be collected."),
            on=max(barred),
        )  # fmt: skip
    return refuse("Awb 5:37", _("Everything forfeited is paid: nothing to collect."))


# Collection (A71–A75): the rules live with the ledger (workflows/lod/
# ledger.py); these guards ask them for today, the steps' checks for the
# dates entered.


@guard
def collection_views_term_over(case):
    """Awb 4:8: no invorderingsbeschikking while the period for views on the
    voornemen tot invordering runs (ECLI:NL:RVS:2018:2956)."""
    from workflows.lod.ledger import collection_views_refusal

    return collection_views_refusal(case, timezone.localdate())


@guard
def debtor_in_default(case):
    """Awb 4:112 lid 1: an aanmaning only to a debtor in default: payment of
    something collectible was due (Awb 5:33) before today."""
    from workflows.lod.ledger import reminder_refusal

    return reminder_refusal(case, timezone.localdate())


@guard
def reminder_term_passed(case):
    """Awb 4:117 lid 1, 4:114: a dwangbevel only once the aanmaning's two
    weeks passed without full payment."""
    from workflows.lod.ledger import writ_refusal

    return writ_refusal(case, timezone.localdate())


def _decided(case, status: str) -> bool:
    return CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.STATUS, to_status=status
    ).exists()


@guard
def is_penalty_order(case):
    """The besluit of this case is a last onder dwangsom (A40): only then can a
    dwangsom be forfeited (Awb 5:33). One besluit per case (Awb 5:6)."""
    if _decided(case, LodStatus.A40):
        return None
    return refuse(RULE_FORFEITURE, NOT_A_PENALTY_ORDER)


def is_closure_order(case) -> bool:
    """The besluit of this case is a last onder bestuursdwang (A41): only then
    can the closure be executed."""
    return _decided(case, LodStatus.A41)


@guard
def besluit_revoked(case):
    """§2.3 "R30/R40 outcome": a beslissing op bezwaar or a court ruling on the
    order of this case (not on its collection or cost decision) upheld the
    remedy: revoked in bezwaar (Awb 7:11) or annulled on appeal (8:72)."""
    if LegalProtection.objects.filter(
        case=case, decision_kind=DecisionKind.ORDER, outcome=Outcome.UPHELD
    ).exists():
        return None
    return refuse(RULE_REVOKED, NOT_REVOKED)


S = LodStatus

# Who signs a besluit: the burgemeester reads the case (D0) and signs (D2).
JUR = allowed_roles(Role.JURIST)
BGM = allowed_roles(Role.BURGEMEESTER, writes=DataClass.D2)
JUR_BGM = allowed_roles(Role.JURIST, Role.BURGEMEESTER, writes=DataClass.D2)
TH = allowed_roles(Role.TOEZICHT)
TH_JUR = allowed_roles(Role.TOEZICHT, Role.JURIST)
# The collection officer writes invordering data (D8) and reads the case.
INV = allowed_roles(Role.INVORDERING, writes=DataClass.D8)
JUR_INV = allowed_roles(Role.JURIST, Role.INVORDERING, writes=DataClass.D8)

# States in which a besluit exists that bezwaar or beroep can revoke: every
# state from the besluit on except A95 and A99 (after collection too: the
# forfeited amounts are then repaid).
AFTER_BESLUIT = [
    S.A40, S.A41, S.A45, S.A50, S.A60, S.A61, S.A70, S.A71, S.A72, S.A73,
    S.A74, S.A75, S.A76, S.A80, S.A81, S.A82, S.A83, S.A84, S.A90,
]  # fmt: skip


class LodCase(Case):
    INITIAL = LodStatus.A00
    TERMINAL = frozenset({LodStatus.A99})
    Status = LodStatus

    class Meta:
        proxy = True

    # Intake and assessment

    @transition(
        field="status",
        source=S.A00,
        target=S.A10,
        permission=JUR,
        custom={"label": _("Start legal assessment")},
    )
    def start_assessment(self) -> None:
        """A00 → A10: the jurist starts the legal assessment."""

    @transition(
        field="status",
        source=S.A10,
        target=S.A99,
        permission=JUR,
        conditions=[no_open_child_case],
        custom={"label": _("Close without action")},
    )
    def close_without_action(self) -> None:
        """A10 → A99: no basis or no action (policy "geen actie"); reasons
        required; the burgemeester is informed."""

    @transition(
        field="status",
        source=S.A10,
        target=S.A15,
        permission=JUR_BGM,
        custom={"label": _("Send administrative warning")},
    )
    def send_warning(self) -> None:
        """A10 → A15: the policy rung is a warning (beleidsregel: first
        violation, small quantity). A waarschuwingsbrief is not a besluit."""

    # Not in §2.3, which gives A15 no way out: a warning is the last step of
    # its case; a new violation comes in as a new signal.
    @transition(
        field="status",
        source=S.A15,
        target=S.A99,
        permission=JUR,
        conditions=[no_open_child_case],
        custom={"label": _("Close after warning")},
    )
    def close_after_warning(self) -> None:
        """A15 → A99: the warning was sent; nothing further in this case."""

    @transition(
        field="status",
        source=S.A10,
        target=S.A20,
        permission=JUR,
        custom={"label": _("Send intention")},
    )
    def send_intention(self) -> None:
        """A10 → A20: voornemen to impose a LOD or LOB (Awb 4:8); competence
        checked and rechthebbenden identified; the zienswijze term starts."""

    # Spoed: no voornemen (Awb 4:11 a), or bestuursdwang without a prior last
    # (5:31 lid 1); under 5:31 lid 2 the besluit follows the action.
    @transition(
        field="status",
        source=S.A10,
        target=S.A41,
        permission=BGM,
        custom={"label": _("Urgent closure order")},
    )
    def impose_urgent_closure(self) -> None:
        """A10 → A41: spoedbesluit last onder bestuursdwang (Awb 4:11 a, 5:31)."""

    # Views on the voornemen (Awb 4:8–4:12)

    @transition(
        field="status",
        source=S.A20,
        target=S.A25,
        permission=JUR,
        custom={"label": _("Record views")},
    )
    def receive_views(self) -> None:
        """A20 → A25: zienswijze received, written or oral (Awb 4:9); a hearing
        gets a report. The jurist records what the betrokkene submits."""

    # SYS in §2.3: the jurist records that the term passed.
    @transition(
        field="status",
        source=S.A20,
        target=S.A30,
        permission=JUR,
        conditions=[views_term_over],
        custom={"label": _("Views term expired")},
    )
    def views_term_expired(self) -> None:
        """A20 → A30: the zienswijze term passed without views."""

    @transition(
        field="status",
        source=S.A25,
        target=S.A30,
        permission=JUR,
        custom={"label": _("Process views")},
    )
    def process_views(self) -> None:
        """A25 → A30: the views are weighed (weighing memo)."""

    # The besluit

    @transition(
        field="status",
        source=S.A30,
        target=S.A40,
        permission=BGM,
        conditions=[views_heard_or_term_over],
        custom={"label": _("Impose penalty order")},
    )
    def impose_penalty_order(self) -> None:
        """A30 → A40: besluit last onder dwangsom (Awb 5:31d, 5:32, 5:32a,
        5:32b, 5:9): herstelmaatregel, begunstigingstermijn unless preventive,
        amount and maximum, rechtsmiddelenclausule."""

    @transition(
        field="status",
        source=S.A30,
        target=S.A41,
        permission=BGM,
        conditions=[views_heard_or_term_over],
        custom={"label": _("Impose closure order")},
    )
    def impose_closure_order(self) -> None:
        """A30 → A41: besluit last onder bestuursdwang / sluiting (art. 13b
        Opiumwet; Awb 5:21, 5:24, 5:25)."""

    @transition(
        field="status",
        source=S.A30,
        target=S.A99,
        permission=JUR_BGM,
        conditions=[no_open_child_case],
        custom={"label": _("Refrain from enforcement")},
    )
    def refrain_after_views(self) -> None:
        """A30 → A99: no sanction after the views; motivated letter "afzien van
        handhaving"."""

    # JUR/SYS in §2.3: the jurist records the proof of delivery.
    @transition(
        field="status",
        source=[S.A40, S.A41],
        target=S.A45,
        permission=JUR,
        custom={"label": _("Record notification")},
    )
    def notify_decision(self) -> None:
        """A40/A41 → A45: sent or handed over (Awb 3:41); the date is the
        bekendmaking, the bezwaar term (6:7, 6:8) and R00 start."""

    # SYS in §2.3, guarded there by the content of the besluit; here the
    # jurist picks the edge that matches the besluit.
    @transition(
        field="status",
        source=S.A45,
        target=S.A50,
        permission=JUR,
        conditions=[besluit_has_grace_period],
        custom={"label": _("Start grace period")},
    )
    def start_grace_period(self) -> None:
        """A45 → A50: the besluit has a begunstigingstermijn (Awb 5:32a lid 2);
        not extended by the Atw by law."""

    @transition(
        field="status",
        source=S.A45,
        target=S.A60,
        permission=JUR,
        conditions=[besluit_is_preventive],
        custom={"label": _("Start monitoring (preventive order)")},
    )
    def start_monitoring(self) -> None:
        """A45 → A60: a preventive last (Awb 5:7) without begunstigingstermijn
        is in force at once."""

    # Monitoring and breach

    # SYS → TH in §2.3: the term ended and the inspector re-inspects.
    @transition(
        field="status",
        source=S.A50,
        target=S.A61,
        permission=TH,
        conditions=[grace_period_over],
        custom={"label": _("Start re-inspection")},
    )
    def start_reinspection(self) -> None:
        """A50 → A61: the begunstigingstermijn ended; hercontrole."""

    # POL/TH → JUR in §2.3: a police report reaches the case as a signal.
    @transition(
        field="status",
        source=S.A60,
        target=S.A61,
        permission=TH_JUR,
        custom={"label": _("Review new report")},
    )
    def review_new_report(self) -> None:
        """A60 → A61: a new rapportage or constatering to assess."""

    @transition(
        field="status",
        source=S.A61,
        target=S.A60,
        permission=TH_JUR,
        custom={"label": _("Record compliance")},
    )
    def record_compliance(self) -> None:
        """A61 → A60: compliant; hercontrolerapport. The last stays in force."""

    @transition(
        field="status",
        source=S.A61,
        target=S.A70,
        permission=TH_JUR,
        conditions=[is_penalty_order],
        custom={"label": _("Establish breach")},
    )
    def establish_breach(self) -> None:
        """A61 → A70: breach within the scope of the last; the dwangsom is
        forfeited by operation of law (Awb 5:33). Constateringsrapport."""

    # Not in §2.3: a dwangsom per violation or per period can be forfeited
    # again before the maximum; the last stays in force meanwhile.
    @transition(
        field="status",
        source=S.A70,
        target=S.A60,
        permission=JUR,
        custom={"label": _("Continue monitoring")},
    )
    def continue_monitoring(self) -> None:
        """A70 → A60: forfeited below the maximum; monitoring goes on and the
        forfeited amounts are collected together later."""

    @transition(
        field="status",
        source=S.A70,
        target=S.A80,
        permission=JUR,
        custom={"label": _("Maximum reached: escalate")},
    )
    def reach_maximum(self) -> None:
        """A70 → A80: maximum reached and the violation continues. No parallel
        herstelsanctie (Awb 5:6): the new LOD or sluiting is a child case."""

    # Collection of forfeited dwangsommen (Awb 5:37, 4:112 ff.)

    # Not in §2.3 from A80: the amounts forfeited up to the maximum are still
    # collected.
    @transition(
        field="status",
        source=[S.A70, S.A80],
        target=S.A71,
        permission=JUR,
        conditions=[not_time_barred],
        custom={"label": _("Propose collection")},
    )
    def propose_collection(self) -> None:
        """A70/A80 → A71: voornemen tot invordering with a zienswijze
        (ECLI:NL:RVS:2018:2956), within the verjaring year (Awb 5:35)."""

    @transition(
        field="status",
        source=S.A71,
        target=S.A72,
        permission=JUR_BGM,
        conditions=[collection_views_term_over],
        custom={"label": _("Decide collection")},
    )
    def decide_collection(self) -> None:
        """A71 → A72: invorderingsbeschikking (Awb 5:37 lid 1); interrupts the
        verjaring (5:37a) and gets its own legal protection."""

    @transition(
        field="status",
        source=S.A71,
        target=S.A76,
        permission=BGM,
        custom={"label": _("Waive collection")},
    )
    def waive_collection(self) -> None:
        """A71 → A76: special circumstances justify waiving (part of) the
        collection; besluit afzien invordering."""

    # Not in §2.3 from A84: the kostenbeschikking is collected the same way
    # (Awb 5:10, 4:112 ff.).
    @transition(
        field="status",
        source=[S.A72, S.A84],
        target=S.A73,
        permission=INV,
        conditions=[debtor_in_default],
        custom={"label": _("Send reminder")},
    )
    def send_reminder(self) -> None:
        """A72/A84 → A73: not paid when due (Awb 4:97; 5:33: six weeks);
        aanmaning with a two-week term (4:112) and fee (4:113)."""

    @transition(
        field="status",
        source=S.A73,
        target=S.A74,
        permission=INV,
        conditions=[reminder_term_passed],
        custom={"label": _("Issue writ of execution")},
    )
    def issue_writ(self) -> None:
        """A73 → A74: unpaid after the aanmaning term (Awb 4:117 lid 1);
        dwangbevel (4:114; 5:10 lid 2), served by the bailiff (4:116)."""

    # Not in §2.3 from A84, as for send_reminder, nor from A73: a debtor who
    # pays within the aanmaning's term is paid. Only when the ledger's open
    # balance is zero (the step's check, workflows/lod/ledger.py
    # settled_refusal: the payment it books counts).
    @transition(
        field="status",
        source=[S.A72, S.A73, S.A74, S.A84],
        target=S.A75,
        permission=INV,
        custom={"label": _("Record payment")},
    )
    def record_payment(self) -> None:
        """A72/A73/A74/A84 → A75: paid, or recovered under the dwangbevel."""

    # Closure (bestuursdwang)

    # BGM → TH/contractor in §2.3: the besluit is the order; the inspector
    # records the sealing. Not in §2.3 from A50 and A61: §2.3 names A41 only,
    # which fits spoed (5:31 lid 2); after bekendmaking the case waits in A50
    # until the begunstigingstermijn lapses, or in A61 after a re-inspection.
    @transition(
        field="status",
        source=[S.A41, S.A50, S.A61],
        target=S.A81,
        permission=TH,
        conditions=[closure_may_be_executed],
        custom={"label": _("Record closure executed")},
    )
    def execute_closure(self) -> None:
        """A41/A50/A61 → A81: bestuursdwang applied: entry (Awb 5:27; a woning
        without consent needs a machtiging), sealing (5:28), goods taken away
        (5:29). Proces-verbaal."""

    # SYS/TH in §2.3.
    @transition(
        field="status",
        source=S.A81,
        target=S.A82,
        permission=TH,
        custom={"label": _("Start closure period")},
    )
    def start_closure_period(self) -> None:
        """A81 → A82: the premises stay closed for the period in the besluit."""

    @transition(
        field="status",
        source=S.A82,
        target=S.A83,
        permission=TH,
        custom={"label": _("Re-open premises")},
    )
    def reopen(self) -> None:
        """A82 → A83: the closure period ended; heropeningsbrief."""

    @transition(
        field="status",
        source=[S.A82, S.A83],
        target=S.A84,
        permission=JUR_INV,
        custom={"label": _("Recover costs")},
    )
    def recover_costs(self) -> None:
        """A82/A83 → A84: kostenbeschikking per the besluit (Awb 5:25 lid 2),
        within five years (5:25 lid 6); it gets its own legal protection."""

    # Lifting or changing the last (Awb 5:34)

    # BETR in §2.3: the jurist registers the request.
    @transition(
        field="status",
        source=S.A60,
        target=S.A90,
        permission=JUR,
        custom={"label": _("Register request to lift or change")},
    )
    def receive_lift_request(self) -> None:
        """A60 → A90: request to lift or change (Awb 5:34 lid 1: impossible to
        comply; lid 2: a year in force without forfeiture); an ordinary
        aanvraag with a beslistermijn (4:13)."""

    @transition(
        field="status",
        source=S.A90,
        target=S.A95,
        permission=BGM,
        custom={"label": _("Lift order")},
    )
    def lift_order(self) -> None:
        """A90 → A95: besluit opheffing or wijziging (Awb 5:34); a conflicting
        invorderingsbeschikking lapses (5:38)."""

    @transition(
        field="status",
        source=S.A90,
        target=S.A60,
        permission=BGM,
        custom={"label": _("Refuse to lift order")},
    )
    def refuse_lifting(self) -> None:
        """A90 → A60: the request is refused; the last stays in force."""

    # BZC/RB in §2.3, outside Casework: the jurist records the outcome of the
    # legal protection (workflows/legal_protection/machine.py) on the case.
    @transition(
        field="status",
        source=AFTER_BESLUIT,
        target=S.A95,
        permission=JUR,
        conditions=[besluit_revoked],
        custom={"label": _("Record revocation in objection or appeal")},
    )
    def revoke_after_objection(self) -> None:
        """Any state after the besluit → A95: the besluit was revoked in bezwaar
        or beroep (a legal protection of this case has the outcome "upheld")."""

    # Closing

    @transition(
        field="status",
        source=[S.A75, S.A76, S.A83, S.A95],
        target=S.A99,
        permission=JUR,
        conditions=[no_open_child_case, no_remedy_open],
        custom={"label": _("Close case")},
    )
    def close(self) -> None:
        """A75/A76/A83/A95 → A99: afsluitnotitie; archived per the Selectielijst."""
