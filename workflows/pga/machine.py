"""Persoonsgerichte aanpak (PGA): docs/domain.md §5, WGS paragraaf 2.4.

Every state of §5.2 and every edge of §5.3, one transition per edge. "ZVH",
"CR" and "triage"/"casusoverleg" in §5.3 are recorded by the casusregisseur,
who keeps the case file for the participants; the Top X placement (D-TX) is
not a state but a `TopXEntry` row that starts and ends on its own (2.32 lid
3–4), and D90 → D95 is taken by the retention sweep only
(`pga_services.retention_sweep`). Edges §5.3 lacks are marked "Not in §5.3".
The guards read the plan, the participants and the conferences in
`pga_models` (docs/decisions/0011-pga.md).
"""

import copy

from django.db import models
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.models import Case
from casework.rules import guard, refusal_of, refuse
from permissions.models import Role
from permissions.transitions import allowed_roles

# The code stored on Case.case_type and used in references (2026-PGA-0001).
CODE = "PGA"


class PgaStatus(models.TextChoices):
    D00 = "D00", _("Referral received")
    D05 = "D05", _("Top X candidate")
    D10 = "D10", _("Screening")
    D20 = "D20", _("Triage")
    D25 = "D25", _("Not accepted – advice/referral")
    D30 = "D30", _("Accepted – information enrichment")
    D35 = "D35", _("Case director assigned")
    D40 = "D40", _("Case conference")
    D50 = "D50", _("Action plan adopted")
    D60 = "D60", _("Execution & monitoring")
    D65 = "D65", _("Evaluation / adjustment")
    D70 = "D70", _("Escalated")
    D80 = "D80", _("De-escalation")
    D85 = "D85", _("After-care monitoring")
    D90 = "D90", _("Closed – data shielded")
    D95 = "D95", _("Deleted / anonymised")


S = PgaStatus
CR = allowed_roles(Role.CASUSREGISSEUR)


def nobody(instance, user) -> bool:
    """D90 → D95 belongs to the retention sweep, never to a user."""
    return False


nobody.roles = ()
nobody.writes = None


# The rules the guards name (casework.rules.Refusal.rule).
RULE_PARTICIPANTS = "WGS art. 2.31 lid 4"
RULE_CONFERENCE = "WGS art. 2.31 lid 5"
RULE_EVALUATION = "WGS art. 2.31 lid 6"
RULE_TOP_X = "WGS art. 2.32 lid 3"
RULE_PLAN = "WGS art. 2.31 lid 5"

# The messages are the hints the case file shows ("Voor de volgende stap").
SELECT_PARTICIPANT = _("Select at least one participant.")
ASSIGN_DIRECTOR = _("Assign the case director.")
PLAN_CONFERENCE = _("Plan a case conference.")
RECORD_CONFERENCE = _("Record the minutes of the case conference.")
COMPLETE_PLAN = _(
    "Add interventions, each with an owner, a legal basis and a due date."
)
PLACE_ON_LIST = _("Place the person on the Top X list.")
NOT_EVALUATED = _(
    "Evaluate the action plan at least once before closing the file: the "
    "participants carry out, evaluate and adjust the agreements and then "
    "discuss closing (WGS art. 2.31 lid 6)."
)


@guard
def has_participants(case):
    """2.31 lid 4: the public participants decided who takes part."""
    if not case.pga_participants.exists():
        return refuse(RULE_PARTICIPANTS, SELECT_PARTICIPANT)
    return None


@guard
def has_case_director(case):
    """§5.3 D30 → D35: procesregie and casusregie assigned."""
    from workflows.pga.models import PgaReferral

    if not PgaReferral.objects.filter(case=case, case_director__isnull=False).exists():
        return refuse(RULE_PARTICIPANTS, ASSIGN_DIRECTOR)
    return None


@guard
def has_conference(case):
    """2.31 lid 5: a casusoverleg is planned."""
    if not case.pga_conferences.exists():
        return refuse(RULE_CONFERENCE, PLAN_CONFERENCE)
    return None


@guard
def conference_held(case):
    """2.31 lid 5: the agreements are made in a casusoverleg with minutes."""
    if not case.pga_conferences.filter(held_on__isnull=False).exists():
        return refuse(RULE_CONFERENCE, RECORD_CONFERENCE)
    return None


@guard
def plan_complete(case):
    """§5.3 D40 → D50 "Each intervention has an owner and its own legal
    basis": at least one intervention, none without owner, basis or due date."""
    counts = case.pga_interventions.exclude(status="stopped").aggregate(
        planned=models.Count("pk"),
        incomplete=models.Count(
            "pk",
            filter=models.Q(owner__isnull=True)
            | models.Q(legal_basis="")
            | models.Q(due_on__isnull=True),
        ),
    )
    if not counts["planned"] or counts["incomplete"]:
        return refuse(RULE_PLAN, COMPLETE_PLAN)
    return None


@guard
def on_top_x_list(case):
    """2.32 lid 3: placement on the list makes it an accepted case."""
    if not case.top_x_entries.filter(removed_on__isnull=True).exists():
        return refuse(RULE_TOP_X, PLACE_ON_LIST)
    return None


def evaluations(case):
    """The evaluations of the plan (D65 → D60), oldest first."""
    return case.events.filter(
        kind="status", from_status=PgaStatus.D65, to_status=PgaStatus.D60
    ).order_by("at", "pk")


@guard
def evaluated_or_after_care(case):
    """2.31 lid 6: closing is discussed after the plan was carried out and
    evaluated. From after-care (D85) the de-escalation was that discussion;
    closing directly from execution (D60) needs at least one evaluation."""
    if case.status == PgaStatus.D60 and not evaluations(case).exists():
        return refuse(RULE_EVALUATION, NOT_EVALUATED)
    return None


# What the casusregisseur still has to do before a guarded step is offered.
# The guards' own messages (casework.rules.explain) are those hints.
GUARD_HINTS = {
    condition: condition.explain
    for condition in (
        has_participants,
        has_case_director,
        has_conference,
        conference_held,
        plan_complete,
        on_top_x_list,
        evaluated_or_after_care,
    )
}


def missing_for_next_steps(case) -> list[tuple[str, list[str]]]:
    """For each step from the current status that a guard still blocks: its
    label and what is missing (shown on the case file). Each guard is asked
    once (`refusal_of`), also when two steps share it; the case is read as
    the page has it."""
    proxy = case if isinstance(case, PgaCase) else _as_proxy(case)
    field = proxy._meta.get_field("status")
    refusals = {}
    blocked = []
    for edge in field.get_all_transitions(PgaCase):
        if edge.source != proxy.status or not edge.conditions:
            continue
        missing = []
        for condition in edge.conditions:
            if condition not in GUARD_HINTS:
                continue
            if condition not in refusals:
                refusals[condition] = refusal_of(condition, proxy)
            if refusals[condition] is not None:
                missing.append(str(refusals[condition].message))
        if missing:
            blocked.append((str(edge.custom.get("label", edge.name)), missing))
    return blocked


def _as_proxy(case) -> "PgaCase":
    """The same row as a `PgaCase`, without reading it again."""
    proxy = copy.copy(case)
    proxy.__class__ = PgaCase
    return proxy


class PgaCase(Case):
    INITIAL = PgaStatus.D00
    TERMINAL = frozenset({PgaStatus.D25, PgaStatus.D90, PgaStatus.D95})
    Status = PgaStatus

    class Meta:
        proxy = True

    # --- Intake ---------------------------------------------------------------

    @transition(
        field="status",
        source=S.D00,
        target=S.D05,
        permission=CR,
        custom={"label": _("Treat as Top X candidate")},
    )
    def mark_top_x_candidate(self) -> None:
        """– → D05: the person matches the published Top X criteria (2.32)."""

    @transition(
        field="status",
        source=S.D05,
        target=S.D30,
        permission=CR,
        conditions=[on_top_x_list],
        custom={"label": _("Treat as accepted case (on the Top X list)")},
    )
    def accept_from_list(self) -> None:
        """D-TX → D30: a placement on the list is an accepted case (2.32 lid 3)."""

    @transition(
        field="status",
        source=S.D00,
        target=S.D10,
        permission=CR,
        custom={"label": _("Start screening")},
    )
    def start_screening(self) -> None:
        """D00 → D10: check completeness and the referral criteria."""

    @transition(
        field="status",
        source=S.D10,
        target=S.D00,
        permission=CR,
        custom={"label": _("Return to the reporter as incomplete")},
    )
    def return_incomplete(self) -> None:
        """D10 → D00 (§5.2 "Incomplete → back to the reporter")."""

    @transition(
        field="status",
        source=S.D10,
        target=S.D20,
        permission=CR,
        custom={"label": _("Send to triage")},
    )
    def to_triage(self) -> None:
        """D10 → D20: the public participants assess fit with WGS 2.25."""

    @transition(
        field="status",
        source=[S.D20, S.D05],
        target=S.D25,
        permission=CR,
        custom={"label": _("Reject referral")},
    )
    def reject(self) -> None:
        """D20 → D25: criteria not met; advice or referral to the reporter. The
        referral's data is minimised in the same step. (D05 → D25: a Top X
        candidate not placed; not in §5.3.)"""

    @transition(
        field="status",
        source=S.D20,
        target=S.D30,
        permission=CR,
        custom={"label": _("Accept referral")},
    )
    def accept(self) -> None:
        """D20 → D30: accepted; participants are selected per case (2.31 lid 4)."""

    # --- Preparing the casusoverleg -------------------------------------------

    @transition(
        field="status",
        source=S.D30,
        target=S.D35,
        permission=CR,
        conditions=[has_participants, has_case_director],
        custom={"label": _("Confirm process and case director")},
    )
    def assign_director(self) -> None:
        """D30 → D35: procesregie and casusregie assigned; only the selected
        participants have access (2.31 lid 4)."""

    @transition(
        field="status",
        source=S.D35,
        target=S.D40,
        permission=CR,
        conditions=[has_conference],
        custom={"label": _("Case conference planned")},
    )
    def plan_conference(self) -> None:
        """D35 → D40: the invitation goes to the participants."""

    @transition(
        field="status",
        source=S.D40,
        target=S.D50,
        permission=CR,
        conditions=[conference_held, plan_complete],
        custom={"label": _("Adopt the action plan")},
    )
    def adopt_plan(self) -> None:
        """D40 → D50: the agreements of the casusoverleg (2.31 lid 5)."""

    # --- Execution and review cycles ------------------------------------------

    @transition(
        field="status",
        source=S.D50,
        target=S.D60,
        permission=CR,
        custom={"label": _("Start execution")},
    )
    def start_execution(self) -> None:
        """D50 → D60: the partners carry out their interventions; the first
        review date is set (policy data, default 6 weeks)."""

    @transition(
        field="status",
        source=S.D60,
        target=S.D65,
        permission=CR,
        custom={"label": _("Start the review")},
    )
    def start_review(self) -> None:
        """D60 → D65: evaluate and adjust (2.31 lid 6)."""

    @transition(
        field="status",
        source=S.D65,
        target=S.D60,
        permission=CR,
        conditions=[plan_complete],
        custom={"label": _("Finish the review")},
    )
    def finish_review(self) -> None:
        """D65 → D60: the evaluation report is recorded, the next review date
        set."""

    @transition(
        field="status",
        source=S.D60,
        target=S.D70,
        permission=CR,
        custom={"label": _("Escalate")},
    )
    def escalate(self) -> None:
        """D60 → D70: stuck or a safety risk; bestuurlijk or ketenregie."""

    @transition(
        field="status",
        source=S.D70,
        target=S.D60,
        permission=CR,
        custom={"label": _("Record the breakthrough")},
    )
    def breakthrough(self) -> None:
        """D70 → D60: the bestuurlijk overleg's decisions are recorded."""

    @transition(
        field="status",
        source=S.D60,
        target=S.D80,
        permission=CR,
        custom={"label": _("De-escalate")},
    )
    def de_escalate(self) -> None:
        """D60 → D80: goals met or regular care possible; closure discussed."""

    @transition(
        field="status",
        source=S.D80,
        target=S.D85,
        permission=CR,
        custom={"label": _("Start after-care")},
    )
    def start_aftercare(self) -> None:
        """D80 → D85: monitoring for a period (typically 6–12 months)."""

    # --- Closure, shielding and deletion --------------------------------------

    @transition(
        field="status",
        source=[S.D85, S.D60],
        target=S.D90,
        permission=CR,
        conditions=[evaluated_or_after_care],
        custom={"label": _("Close and shield")},
    )
    def close(self) -> None:
        """D85 → D90 (after-care ended) and D60 → D90 (closed directly by the
        casusoverleg): the data is shielded until deletion (2.31 lid 8)."""

    @transition(
        field="status",
        source=[S.D90, S.D25],
        target=S.D95,
        permission=nobody,
        custom={"label": _("Delete / anonymise")},
    )
    def anonymise(self) -> None:
        """D90 → D95 (SYS): at the latest five years after first processing
        (1.8 lid 7). D25 → D95: a rejected referral's minimal record, the
        same sweep; not in §5.3."""
