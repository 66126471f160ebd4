"""Writes at the tables. Every service asks the decision point first (the
chair's CHAIR, a partner's CONTRIBUTE; docs/tafels.md), then the table's own
rules (tafels/rules.py), and changes the meeting under its row lock, so a
decision cannot slip in while the minutes are established.

Action points become the kernel's work: a deadline on the subject's case
(`casework.deadlines.deadline_create`, which asks CHANGE_TERM) or a new case
(`casework.services.case_open`), in the same transaction as the point.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from django_fsm import can_proceed

from casework import deadlines
from casework.models import Case, CaseLocation, CaseParty, Deadline, Location, Party
from casework.rules import RULE_ORDER, Refusal, StepRefused, refusal_of, refuse
from casework.services import (
    case_add_location,
    case_add_party,
    case_link,
    case_open,
    location_get_or_create,
)
from permissions.decision import CHAIR, decide
from permissions.models import Organisation
from permissions.policy import WRITE, actor_for, role_permits
from permissions.services import user_can

from . import rules
from .minutes import MINUTES
from .models import ActionPoint, Decision, Meeting, Minutes, Subject, Table
from .selectors import may_chair, may_contribute, seated

NOT_CHAIR = gettext_lazy("Only the chair of this table may do this.")
NOT_SEATED = gettext_lazy("Your organisation does not take part in this table.")
NOT_A_PARTNER = gettext_lazy("%(organisation)s does not take part in this table.")
CASE_NOT_VISIBLE = gettext_lazy(
    "There is no case with this reference that you may see."
)
CLASS_NOT_ALLOWED = gettext_lazy(
    "Your role may not record data of class %(data_class)s."
)
DUE_AFTER_MEETING = gettext_lazy(
    "The due date of an action point lies after the meeting of %(date)s."
)
CASE_TYPE_REQUIRED = gettext_lazy("Choose the type of the new case.")
NOT_NOW = gettext_lazy("This step is not possible in the current status.")


def _refuse(refusal) -> None:
    if refusal is not None:
        raise StepRefused([refusal])


def _require_chair(user, table: Table) -> None:
    if not may_chair(user, table):
        raise PermissionDenied(NOT_CHAIR)


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update().select_related("table").get(pk=meeting.pk)
    )


def _require_partner(table: Table, organisation: Organisation) -> None:
    if not seated(table, organisation.pk):
        raise ValidationError(NOT_A_PARTNER % {"organisation": organisation.name})


@transaction.atomic
def table_create(
    *, user, kind: str, name: str, participants=(), created_at=None
) -> Table:
    """A table chaired by the user's organisation, seating `participants`."""
    actor = actor_for(user)
    if not decide(user, CHAIR, "tafel_chair", organisation_id=actor.organisation_id):
        raise PermissionDenied(NOT_CHAIR)
    table = Table(
        kind=kind,
        name=name,
        chair_id=actor.organisation_id,
        created_by=user,
        created_at=created_at or timezone.now(),
    )
    table.full_clean()
    table.save()
    table.participants.set([o for o in participants if o.pk != table.chair_id])
    return table


@transaction.atomic
def meeting_plan(*, table: Table, user, day: date, place: str = "") -> Meeting:
    _require_chair(user, table)
    _refuse(rules.meeting_date_allowed(table, day))
    meeting = Meeting(table=table, date=day, place=place, created_by=user)
    meeting.full_clean(exclude=["status"])
    meeting.save()
    return meeting


def _transition(meeting: Meeting, name: str) -> None:
    """Run a transition of the meeting's machine; a guard that refuses
    gives its `Refusal`."""
    method = getattr(meeting, name)
    if not can_proceed(method):
        transition = method._django_fsm.get_transition(meeting.status)
        found = [
            refusal
            for condition in (transition.conditions if transition else [])
            if (refusal := refusal_of(condition, meeting)) is not None
        ]
        raise StepRefused(found or [refuse(RULE_ORDER, NOT_NOW)])
    method()
    meeting.save()


@transaction.atomic
def meeting_hold(*, meeting: Meeting, user) -> Meeting:
    """The meeting took place: decisions and action points may be recorded."""
    meeting = _locked(meeting)
    _require_chair(user, meeting.table)
    _refuse(rules.agenda_open(meeting))
    _transition(meeting, "hold")
    return meeting


@transaction.atomic
def meeting_close(*, meeting: Meeting, user) -> Meeting:
    """Establish the minutes: the meeting is closed and changes no more; each
    reader gets its own rendering (tafels/minutes.py)."""
    meeting = _locked(meeting)
    _require_chair(user, meeting.table)
    _refuse(rules.may_close(meeting))
    meeting.closed_at = timezone.now()
    meeting.closed_by = user
    _transition(meeting, "close")
    Minutes.objects.create(
        meeting=meeting, template_version=MINUTES.version, made_by=user
    )
    return meeting


def _duplicate(meeting: Meeting, **facts) -> Refusal | None:
    if Subject.objects.filter(meeting=meeting, **facts).exists():
        return refuse(
            rules.RULE_TWICE,
            _("This subject is already on the agenda of this meeting."),
        )
    return None


@transaction.atomic
def subject_put(
    *,
    meeting: Meeting,
    user,
    reason: str,
    case: Case | None = None,
    party: Party | None = None,
    location: Location | None = None,
    data_class: str = "",
) -> Subject:
    """A partner puts a case, a person or an address on the agenda. A case
    only when the partner may open it (and then in the case's class); a
    person or an address in a class the partner's role records."""
    meeting = _locked(meeting)
    if not may_contribute(user, meeting.table):
        raise PermissionDenied(NOT_SEATED)
    _refuse(rules.agenda_open(meeting))
    actor = actor_for(user)
    subject = Subject(
        meeting=meeting,
        reason=reason,
        organisation_id=actor.organisation_id,
        put_by=user,
    )
    if case is not None:
        if not Case.objects.for_user(user).filter(pk=case.pk).exists():
            raise ValidationError(CASE_NOT_VISIBLE)
        _refuse(_duplicate(meeting, case=case))
        subject.kind, subject.case, subject.data_class = (
            Subject.Kind.CASE,
            case,
            case.data_class,
        )
    else:
        if not role_permits(actor.role, WRITE, data_class, own_item=True):
            raise PermissionDenied(CLASS_NOT_ALLOWED % {"data_class": data_class})
        subject.data_class = data_class
        if party is not None:
            if party.pk is None:
                party.full_clean()
                party.save()
            subject.kind, subject.party = Subject.Kind.PERSON, party
        else:
            location = location_get_or_create(location)
            _refuse(_duplicate(meeting, location=location))
            subject.kind, subject.location = Subject.Kind.ADDRESS, location
    subject.full_clean()
    subject.save()
    return subject


def _open_for_decisions(subject: Subject, user) -> Meeting:
    meeting = _locked(subject.meeting)
    _require_chair(user, meeting.table)
    _refuse(rules.decisions_open(meeting))
    return meeting


@transaction.atomic
def decision_record(
    *, subject: Subject, user, organisation: Organisation, text: str
) -> Decision:
    """What one participating organisation decides or undertakes on the
    subject, recorded by the chair once the meeting was held."""
    _open_for_decisions(subject, user)
    _require_partner(subject.meeting.table, organisation)
    decision = Decision(
        subject=subject, organisation=organisation, text=text, recorded_by=user
    )
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def action_point_add(
    *,
    subject: Subject,
    user,
    organisation: Organisation,
    description: str,
    due_on: date,
    outcome: str,
    case_type: str = "",
) -> ActionPoint:
    """An action point that becomes a deadline on the subject's case
    (`TASK`: the chair must set terms on that case) or a new case (`CASE`:
    the chair opens it; the subject's person or address, or a link to the
    subject's case, goes with it)."""
    meeting = _open_for_decisions(subject, user)
    table = meeting.table
    _require_partner(table, organisation)
    if due_on <= meeting.date:
        raise StepRefused([refuse(rules.RULE_DAY, DUE_AFTER_MEETING, meeting.date)])
    label = f"{table.get_kind_display()} {meeting.date:%d-%m-%Y}"
    point = ActionPoint(
        subject=subject,
        organisation=organisation,
        description=description,
        due_on=due_on,
        outcome=outcome,
        created_by=user,
    )
    if outcome == ActionPoint.Outcome.TASK:
        if subject.case is None:
            raise StepRefused(
                [
                    refuse(
                        rules.RULE_SUBJECT_CASE,
                        _(
                            "A task is a deadline on a case: this subject is no "
                            "case. Make the action point a new case."
                        ),
                    )
                ]
            )
        point.case = subject.case
        point.deadline = deadlines.deadline_create(
            case=subject.case,
            user=user,
            title=_first_line(description),
            legal_basis=str(_("Agreement %(table)s") % {"table": label})[:100],
            event_date=meeting.date,
            length=(due_on - meeting.date).days,
            unit=Deadline.Unit.DAYS,
            atw_applies=False,
            obligation=Deadline.Obligation.ORGAN,
        )
    else:
        if not case_type:
            raise ValidationError(CASE_TYPE_REQUIRED)
        point.case = _case_from(subject, user, case_type, description, label)
    point.full_clean()
    point.save()
    return point


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0][:200]


def _case_from(subject: Subject, user, case_type: str, description: str, label):
    """A new case for the action point, with the subject's person or address,
    or linked to the subject's case when the chair may change it."""
    case = case_open(
        user=user,
        case_type=case_type,
        title=_first_line(description),
        note=str(_("Opened from an action point of %(table)s") % {"table": label}),
    )
    if subject.party_id is not None:
        case_add_party(
            case=case, user=user, party=subject.party, role=CaseParty.Role.BETROKKENE
        )
    elif subject.location_id is not None:
        case_add_location(
            case=case,
            user=user,
            location=subject.location,
            role=CaseLocation.Role.PREMISES,
        )
    elif user_can(user, WRITE, subject.case):
        case_link(case=case, other=subject.case, user=user, note=label)
    return case
