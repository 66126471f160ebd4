"""Writes on the workflow rows that sit next to a case: legal protection.

Mirrors `casework.services.case_transition`: lock, check, transition, and the
history row on the case, all in one transaction. The region keeps its own
deadlines through `casework.deadlines` in the same transaction:

- opened (R00): the bezwaartermijn, 6 weeks from the day after bekendmaking
  (Awb 6:7, 6:8);
- objection recorded (R00 → R10): the bezwaartermijn is met and the beslistermijn
  starts: 6 weeks, 12 with an advisory committee (7:13), from the day after the
  bezwaartermijn ended (7:10 lid 1);
- verzuimherstel (R10 → R15 → R10/R20): the beslistermijn is suspended from the
  day after the request up to and including the day of repair (7:10 lid 2);
- beslissing op bezwaar (R30): the beslistermijn is met and the beroepstermijn
  starts, 6 weeks from the day after the beslissing is made known (6:7, 6:8);
- appeal recorded (R40): the beroepstermijn is met; marked final (R90) from R00
  or R30: the term that lapsed unused is closed.

Verdaging (7:10 lid 3) is an extension on the deadline's own page.
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from django_fsm import can_proceed

from casework import deadlines, terms
from casework.models import Case, CaseEvent, Deadline, DeadlineAdjustment
from casework.rules import StepRefused, refusal_of
from casework.services import NOT_ALLOWED_TO_EDIT, TRANSITION_NOT_AVAILABLE
from permissions.models import Role
from permissions.policy import WRITE
from permissions.services import user_can
from permissions.transitions import allowed_roles
from workflows.legal_protection.machine import (
    DecisionKind,
    LegalProtection,
    Outcome,
    term_lapsed,
)
from workflows.legal_protection.selectors import (
    APPEAL_TERM_BASIS,
    DECISION_TERM_BASIS,
    OBJECTION_TERM_BASIS,
    deadline_title,
    protection_deadline,
)

# The jurist registers the besluit that can be challenged, as it records the
# steps of the region.
MAY_OPEN = allowed_roles(Role.JURIST, Role.BIBOB)

OUTCOME_REQUIRED = _("Give the outcome of this decision.")
OUTCOME_NOT_EXPECTED = _("This step records no outcome.")
PROTECTION_OPENED = _("Legal protection opened: %(decision)s (made known %(date)s)")
PROTECTION_STEP = _("Legal protection, %(decision)s: %(step)s")
DUPLICATE_DECISION = _(
    "This case already has a legal protection against this decision."
)
COMMITTEE_NOT_EXPECTED = _(
    "Only the step that records the objection says whether an advisory committee "
    "handles it."
)
DATE_BEFORE_DECISION = _(
    "The date of a step cannot lie before the day the decision was made known."
)
REPAIR_WITHDRAWN = _(
    "Suspension of %(title)s withdrawn: the defect was repaired before the "
    "suspension began (Awb 7:10 lid 2)."
)

# Titles of the deadlines the region keeps; the decision title follows.
OBJECTION_TERM = _("Objection period")
DECISION_TERM = _("Decision period on the objection")
APPEAL_TERM = _("Appeal period")
REPAIR_REASON = _("Request to repair a defect (Awb 6:6)")
SUSPENSION_BASIS = "Awb 7:10 lid 2"

# The day each step records on the row, for the beslissing op bezwaar letter
# (`workflows.legal_protection.letters`): the bezwaarschrift received (Awb
# 6:4), the hearing (7:2), the committee's advice (7:13), the beslissing made
# known (7:12 lid 2).
RECORDED_DAY = {
    "receive_objection": "objection_on",
    "schedule_hearing": "hearing_on",
    "receive_committee_advice": "advice_on",
    "decide_objection": "objection_decided_on",
}

# Awb 6:7 (bezwaar and beroep) and 7:10 lid 1 (beslistermijn), in weeks.
OBJECTION_WEEKS = 6
DECISION_WEEKS = 6
DECISION_WEEKS_WITH_COMMITTEE = 12
APPEAL_WEEKS = 6


def _event(*, case, user, note, from_status="", to_status="") -> CaseEvent:
    # Kind NOTE, not STATUS: STATUS events trace the case's own status; the
    # R-codes in from/to tell the two apart in the history.
    return CaseEvent.objects.create(
        case=case,
        actor=user,
        kind=CaseEvent.Kind.NOTE,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


@transaction.atomic
def legal_protection_open(
    *,
    case: Case,
    user,
    decision_title: str,
    decided_on: date,
    decision_kind: str = DecisionKind.ORDER,
    authorised: bool = False,
) -> LegalProtection:
    """Start the legal protection against one besluit of the case, in R00, with
    its bezwaartermijn: 6 weeks from the day after `decided_on` (Awb 6:7, 6:8).

    The decision title is unique per case (case-insensitive): it is what ties
    the region's deadlines and history rows to this protection.

    `authorised`: opened by a case step whose own permission was checked
    (the burgemeester deciding the collection opens the remedy against it).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not authorised and not MAY_OPEN(case, user):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    protection = LegalProtection(
        case=case,
        decision_title=decision_title.strip(),
        decision_kind=decision_kind,
        decided_on=decided_on,
    )
    protection.full_clean(exclude=["status"])
    if LegalProtection.objects.filter(
        case=case, decision_title__iexact=protection.decision_title
    ).exists():
        raise ValidationError({"decision_title": DUPLICATE_DECISION})
    protection.save()
    _start_term(
        protection,
        user=user,
        title=OBJECTION_TERM,
        basis=OBJECTION_TERM_BASIS,
        event=decided_on,
        weeks=OBJECTION_WEEKS,
        authorised=authorised,
    )
    _event(
        case=case,
        user=user,
        to_status=protection.status,
        note=gettext(PROTECTION_OPENED)
        % {"decision": protection.decision_title, "date": f"{decided_on:%d-%m-%Y}"},
    )
    return protection


@transaction.atomic
def legal_protection_transition(
    *,
    protection: LegalProtection,
    name: str,
    user,
    note: str = "",
    outcome: str = "",
    on: date | None = None,
    advisory_committee: bool = False,
) -> LegalProtection:
    """Run transition `name` on the legal protection for `user`.

    Locks the row, checks that the step is possible now and that the user may
    run it, then records the change, its deadlines and its event on the case
    together. Steps that record a decision (`custom["outcome"]`) need an
    `Outcome`. `on` is the day the step happened (default today): the objection
    received, the repair asked or received, the beslissing op bezwaar made
    known. `advisory_committee` (only with `receive_objection`) gives the
    beslistermijn 12 weeks instead of 6 (Awb 7:10 lid 1, 7:13).
    """
    locked = LegalProtection.objects.select_for_update().get(pk=protection.pk)
    method = getattr(locked, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    step = method._django_fsm.get_transition(locked.status)
    if step is None:
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    # Who may take the step first: a refusal by the law names dates that
    # only the case's own team may read.
    if not step.has_perm(locked, user):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    if not can_proceed(method):
        # A guard of the law refuses with its rule and date; another
        # condition (the instance a relief returns to) is the machine's.
        refusals = [
            refusal
            for condition in step.conditions
            if hasattr(condition, "explain")
            and (refusal := refusal_of(condition, locked)) is not None
        ]
        if refusals:
            raise StepRefused(refusals)
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    kwargs = {}
    if step.custom.get("outcome"):
        if outcome not in Outcome.values:
            raise ValidationError(OUTCOME_REQUIRED)
        kwargs["outcome"] = outcome
    elif outcome:
        raise ValidationError(OUTCOME_NOT_EXPECTED)
    if advisory_committee and name != "receive_objection":
        raise ValidationError(COMMITTEE_NOT_EXPECTED)
    on = on or timezone.localdate()
    if on < locked.decided_on:
        raise ValidationError(DATE_BEFORE_DECISION)
    if name == "become_final":
        # Final on the day recorded, not only today (a late entry).
        refusal = term_lapsed(locked, on=on)
        if refusal is not None:
            raise StepRefused([refusal])
    if name == "receive_objection":
        locked.advisory_committee = advisory_committee
    source = locked.status
    method(**kwargs)
    if name in RECORDED_DAY:
        setattr(locked, RECORDED_DAY[name], on)
    locked.full_clean(exclude=["status"])
    locked.save()
    _keep_deadlines(
        locked,
        name=name,
        source=source,
        user=user,
        on=on,
        advisory_committee=advisory_committee,
    )
    text = gettext(PROTECTION_STEP) % {
        "decision": locked.decision_title,
        "step": step.custom.get("label", name),
    }
    if outcome:
        text = f"{text} ({Outcome(outcome).label})"
    if note.strip():
        text = f"{text}. {note.strip()}"
    _event(
        case=locked.case,
        user=user,
        from_status=source,
        to_status=locked.status,
        note=text,
    )
    return locked


# Deadlines of the region ----------------------------------------------------


def _keeper(user, case, deadline: Deadline | None = None):
    """Who records the deadline change: the user running the step, or, when the
    step is one the user may run without writing the case file (the
    burgemeester deciding the objection), the owner of the deadline concerned.
    The deadline services check write access on the case themselves."""
    if user_can(user, WRITE, case):
        return user
    if deadline is not None and user_can(deadline.owner, WRITE, case):
        return deadline.owner
    raise PermissionDenied(NOT_ALLOWED_TO_EDIT)


def _start_term(
    protection,
    *,
    user,
    title,
    basis: str,
    event: date,
    weeks: int,
    owner=None,
    authorised: bool = False,
) -> Deadline:
    return deadlines.deadline_create(
        case=protection.case,
        user=user,
        title=deadline_title(str(title), protection.decision_title),
        legal_basis=basis,
        event_date=event,
        length=weeks,
        unit=Deadline.Unit.WEEKS,
        atw_applies=True,
        owner=owner,
        authorised=authorised,
    )


def _close(deadline: Deadline | None, *, user, case, on: date) -> None:
    """Mark a running or ended party's term met; a term already met or missed
    keeps its state (a missed beslistermijn stays on record)."""
    if deadline is None or deadline.state not in (
        Deadline.State.OPEN,
        Deadline.State.SUSPENDED,
        Deadline.State.LAPSED,
    ):
        return
    deadlines.deadline_mark_met(
        deadline=deadline, user=_keeper(user, case, deadline), on=on
    )


def _objection_term_end(protection) -> date:
    """The last day of the bezwaartermijn: that of its deadline (with any
    override or ledger), or computed for a protection opened without one."""
    term = protection_deadline(protection, OBJECTION_TERM_BASIS)
    if term is not None:
        return term.end_date
    return terms.compute_term(
        protection.decided_on,
        weeks=OBJECTION_WEEKS,
        atw=True,
        extra_holidays=deadlines.equated_holidays(),
    ).end


def _end_repair(protection, *, user, on: date) -> None:
    """Leaving verzuimherstel: the suspension of the beslistermijn ends on the
    day of repair (or the day the repair term lapsed)."""
    term = protection_deadline(protection, DECISION_TERM_BASIS)
    if term is None:
        return
    running = term.adjustments.filter(
        kind=DeadlineAdjustment.Kind.SUSPENSION, end__isnull=True
    ).first()
    if running is None:
        return
    if on >= running.start:
        deadlines.deadline_resume(deadline=term, user=user, last_day=on)
        return
    # Repaired on the day of the request: the suspension, which starts the day
    # after, never ran. The ledger cannot hold a suspension of no days, so the
    # row goes and the end is computed again (deadline_override keeps a manual
    # end as it was).
    running.delete()
    deadlines.deadline_override(
        deadline=term,
        user=user,
        end=term.manual_override,
        reason=term.override_reason,
    )
    _event(
        case=protection.case,
        user=user,
        note=gettext(REPAIR_WITHDRAWN) % {"title": term.title},
    )


def _keep_deadlines(
    protection, *, name: str, source: str, user, on: date, advisory_committee: bool
) -> None:
    case = protection.case
    if name == "receive_objection":
        _close(
            protection_deadline(protection, OBJECTION_TERM_BASIS),
            user=user,
            case=case,
            on=on,
        )
        weeks = DECISION_WEEKS_WITH_COMMITTEE if advisory_committee else DECISION_WEEKS
        _start_term(
            protection,
            user=user,
            title=DECISION_TERM,
            basis=DECISION_TERM_BASIS,
            event=_objection_term_end(protection),
            weeks=weeks,
        )
    elif name == "request_repair":
        term = protection_deadline(protection, DECISION_TERM_BASIS, active_only=True)
        if term is not None:
            deadlines.deadline_suspend(
                deadline=term,
                user=user,
                start=on + timedelta(days=1),
                legal_basis=SUSPENSION_BASIS,
                reason=str(REPAIR_REASON),
            )
    elif source == "R15":
        _end_repair(protection, user=user, on=on)
    elif name == "decide_objection":
        term = protection_deadline(protection, DECISION_TERM_BASIS)
        _close(term, user=user, case=case, on=on)
        keeper = _keeper(user, case, term)
        _start_term(
            protection,
            user=keeper,
            title=APPEAL_TERM,
            basis=APPEAL_TERM_BASIS,
            event=on,
            weeks=APPEAL_WEEKS,
            owner=term.owner if term is not None else keeper,
        )
    elif name == "receive_appeal":
        _close(
            protection_deadline(protection, APPEAL_TERM_BASIS),
            user=user,
            case=case,
            on=on,
        )
    elif name == "become_final":
        basis = OBJECTION_TERM_BASIS if source == "R00" else APPEAL_TERM_BASIS
        _close(protection_deadline(protection, basis), user=user, case=case, on=on)
