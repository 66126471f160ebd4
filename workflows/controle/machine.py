"""Integrale controle by the bestuurlijk interventieteam: docs/domain.md §4.

Every state of §4.2 and every edge of §4.3, one transition per edge. JUR/RIEC
in §4.3 is the coordinator (or the jurist), "TH lead" the inspector who leads
the visit. The follow-up tracks C61–C64 are not states of the visit but the
child cases (or external referrals) it starts from C60; the visit waits in
C60 while they run (docs/decisions/0008-controle-states.md). Edges §4.3 lacks
are marked "Not in §4.3".
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.models import Case
from casework.rules import Refusal, guard, refuse
from permissions.models import Role
from permissions.transitions import allowed_roles

# The code stored on Case.case_type and used in references (2026-IC-0001).
CODE = "IC"


class ControleStatus(models.TextChoices):
    C00 = "C00", _("Signal received")
    C10 = "C10", _("Triage & prioritisation")
    C15 = "C15", _("Not selected / referred")
    C20 = "C20", _("Selected – preparation")
    C25 = "C25", _("Entry legal check")
    C30 = "C30", _("Scheduled")
    C35 = "C35", _("Briefing held")
    C40 = "C40", _("On-site execution")
    C45 = "C45", _("Aborted")
    C50 = "C50", _("Findings recorded")
    C60 = "C60", _("Follow-up")
    C70 = "C70", _("Feedback")
    C75 = "C75", _("Re-inspection scheduled")
    C99 = "C99", _("Closed")


S = ControleStatus
COORD = allowed_roles(Role.COORDINATOR, Role.JURIST)
LEAD = allowed_roles(Role.COORDINATOR, Role.TOEZICHT)


# The rules the controle's refusals name (docs/domain.md §4.3). The visit
# takes no besluit, so its rules are the process rules of §4.3, cited by edge.
RULE_PLAN_CONFIRMED = "§4.3 C25 → C30: partners bevestigd"
RULE_PLAN_DATE = "§4.3 C25 → C30: controle gepland in de toekomst"
RULE_BRIEFING = "§4.3 C30 → C35: briefing met need-to-know-gegevens"

PLAN_NOT_CONFIRMED = _(
    "The plan is fixed only with a planned visit and at least one partner who "
    "confirmed taking part."
)
PLAN_IN_THE_PAST = _(
    "The visit was planned for %(date)s, which has passed: plan a new visit "
    "before fixing the plan."
)
PLAN_ALREADY_CARRIED_OUT = _(
    "The last visit has been carried out or aborted: plan a new visit before "
    "fixing the plan."
)
NO_BRIEFING = _("Prepare the briefing before recording that it was held.")


@guard
def has_confirmed_plan(case) -> Refusal | None:
    """§4.3 C25 → C30 "Partners confirmed": the current visit (the one
    planned last) has a date that has not passed, has not yet been carried
    out or aborted, and at least one partner slot is confirmed. The same
    guard applies from C75: a re-inspection or an aborted visit needs a new
    visit."""
    from django.utils import timezone

    from workflows.controle.models import current_visit

    visit = current_visit(case)
    if visit is None or visit.planned_at is None:
        return refuse(RULE_PLAN_CONFIRMED, PLAN_NOT_CONFIRMED)
    if visit.started_on is not None or visit.aborted_on is not None:
        return refuse(RULE_PLAN_DATE, PLAN_ALREADY_CARRIED_OUT)
    planned_on = timezone.localdate(visit.planned_at)
    if planned_on < timezone.localdate():
        return refuse(RULE_PLAN_DATE, PLAN_IN_THE_PAST, on=planned_on)
    if not visit.slots.filter(confirmed=True).exists():
        return refuse(RULE_PLAN_CONFIRMED, PLAN_NOT_CONFIRMED)
    return None


@guard
def has_briefing(case) -> Refusal | None:
    """§4.3 C30 → C35 "Only need-to-know data": the briefing is prepared."""
    from workflows.controle.models import Briefing

    if Briefing.objects.filter(case=case).exists():
        return None
    return refuse(RULE_BRIEFING, NO_BRIEFING)


class ControleCase(Case):
    INITIAL = ControleStatus.C00
    TERMINAL = frozenset({ControleStatus.C15, ControleStatus.C99})
    # A visit aborted or carried out: the dashboard's quarters count them
    # (views.dashboard_outcomes; `Case.outcome_at`).
    OUTCOMES = frozenset({ControleStatus.C45, ControleStatus.C50})
    Status = ControleStatus

    class Meta:
        proxy = True

    @transition(
        field="status",
        source=S.C00,
        target=S.C10,
        permission=COORD,
        custom={"label": _("Start triage")},
    )
    def start_triage(self) -> None:
        """C00 → C10: weigh the signals (WGS 2.23 lid 3 criteria) and capacity."""

    @transition(
        field="status",
        source=S.C10,
        target=S.C15,
        permission=COORD,
        custom={"label": _("Do not select")},
    )
    def dismiss(self) -> None:
        """C10 → C15: not selected or referred; reason required."""

    @transition(
        field="status",
        source=S.C10,
        target=S.C20,
        permission=COORD,
        custom={"label": _("Select for a visit")},
    )
    def select(self) -> None:
        """C10 → C20: selected for a visit; preparation starts."""

    @transition(
        field="status",
        source=S.C20,
        target=S.C25,
        permission=COORD,
        custom={"label": _("Check the legal basis for entry")},
    )
    def check_entry(self) -> None:
        """C20 → C25: woning? Consent or a machtiging tot binnentreden (Awb
        5:15 lid 1, Awbi); sector powers (Ow 18.7, Alcoholwet 42)."""

    @transition(
        field="status",
        source=[S.C25, S.C75],
        target=S.C30,
        permission=COORD,
        conditions=[has_confirmed_plan],
        custom={"label": _("Fix the plan")},
    )
    def fix_plan(self) -> None:
        """C25/C75 → C30: date, addresses, lead and partners confirmed, each
        with its legal basis; the date is not shared outside the participants."""

    @transition(
        field="status",
        source=S.C30,
        target=S.C35,
        permission=LEAD,
        conditions=[has_briefing],
        custom={"label": _("Record the briefing")},
    )
    def hold_briefing(self) -> None:
        """C30 → C35: only need-to-know data shared; who saw it is logged."""

    @transition(
        field="status",
        source=S.C35,
        target=S.C40,
        permission=LEAD,
        custom={"label": _("Start the visit")},
    )
    def start_visit(self) -> None:
        """C35 → C40: the BOA explains the control; each partner uses its own
        powers."""

    @transition(
        field="status",
        source=S.C40,
        target=S.C45,
        permission=LEAD,
        custom={"label": _("Abort the visit")},
    )
    def abort(self) -> None:
        """C40 → C45: premises closed, safety, no access; reasons required."""

    @transition(
        field="status",
        source=S.C40,
        target=S.C50,
        permission=LEAD,
        custom={"label": _("Finish the visit")},
    )
    def finish_visit(self) -> None:
        """C40 → C50: each partner records its own findings; the consolidated
        bezoekrapport holds only shareable items."""

    # Not in §4.3, which gives C45 no way out: an aborted visit is planned
    # again or the case closes.
    @transition(
        field="status",
        source=S.C45,
        target=S.C75,
        permission=COORD,
        custom={"label": _("Plan the visit again")},
    )
    def replan(self) -> None:
        """C45 → C75: a new date; the plan is fixed again (C75 → C30)."""

    @transition(
        field="status",
        source=S.C50,
        target=S.C60,
        permission=COORD,
        custom={"label": _("Decide the follow-up")},
    )
    def decide_follow_up(self) -> None:
        """C50 → C60: each partner decides its own track (no joint decision on
        sanctions); child cases per track (C61–C64)."""

    @transition(
        field="status",
        source=S.C60,
        target=S.C70,
        permission=COORD,
        custom={"label": _("Give feedback")},
    )
    def give_feedback(self) -> None:
        """C60 → C70: terugkoppeling to the RIEC (WGS 1.7 lid 4), the partners,
        the melder (generic) and the entrepreneur."""

    @transition(
        field="status",
        source=S.C70,
        target=S.C75,
        permission=COORD,
        custom={"label": _("Schedule a re-inspection")},
    )
    def schedule_reinspection(self) -> None:
        """C70 → C75: a re-inspection is needed; back to planning."""

    @transition(
        field="status",
        source=[S.C70, S.C45],
        target=S.C99,
        permission=COORD,
        custom={"label": _("Close")},
    )
    def close(self) -> None:
        """C70/C45 → C99: closed; child cases may stay open (linked)."""
