"""Reads at the tables, each answer the decision point's
(`permissions.decision.decide`; docs/tafels.md "Need-to-know").

The facts passed are the rows' own: a table's chair and whether the reader's
organisation takes part in it; a subject's class and the partner who put it;
a decision's or action point's partner and whether the reader's organisation
chairs the table. A case on the agenda is read as the case: the set of cases
the reader may open comes from `Case.objects.for_user`, one query for the
whole agenda, so the meeting page costs the same number of queries however
long its agenda is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from casework.compiled import Compiled
from casework.models import Case
from permissions.decision import CHAIR, CONTRIBUTE, READ, decide
from permissions.models import DataClass, Organisation
from permissions.policy import actor_for

from .models import ActionPoint, Decision, Meeting, Subject, Table

# Fiscal data never reaches private partners (WGS 1.5 lid 4, 1.7 lid 6).
FLAGGED_CLASSES = frozenset({DataClass.D6})


@Compiled
def _participants(table_id):
    return Organisation.objects.filter(tables=table_id)


def participants_of(table: Table) -> list[Organisation]:
    """The organisations seated at the table, as `table.participants.all()`:
    prefetched on lists (`tables_for`), else read once per table instance
    (the meeting page, the minutes)."""
    prefetched = getattr(table, "_prefetched_objects_cache", {}).get("participants")
    if prefetched is not None:
        return list(prefetched)
    if "_tafel_seated" not in table.__dict__:
        table.__dict__["_tafel_seated"] = _participants(table.pk)
    return table.__dict__["_tafel_seated"]


def partners_of(table: Table) -> list[Organisation]:
    """The organisations that take part, the chair included, by name."""
    seated = {o.pk: o for o in participants_of(table)}
    seated.setdefault(table.chair_id, table.chair)
    return sorted(seated.values(), key=lambda o: (o.name, o.pk))


def partner_ids(table: Table) -> frozenset[int]:
    """The organisations that take part, the chair included."""
    cached = table.__dict__.get("_tafel_participants")
    if cached is None:
        ids = {o.pk for o in participants_of(table)}
        cached = table.__dict__["_tafel_participants"] = frozenset(
            ids | {table.chair_id}
        )
    return cached


def seated(table: Table, organisation_id: int | None) -> bool:
    """Whether the organisation takes part in the table (or chairs it)."""
    return organisation_id in partner_ids(table)


def _table_facts(user, table: Table) -> dict:
    return {
        "organisation_id": table.chair_id,
        "shared": seated(table, actor_for(user).organisation_id),
    }


def may_read(user, table: Table) -> bool:
    return decide(user, READ, "tafel", **_table_facts(user, table))


def may_contribute(user, table: Table) -> bool:
    return decide(user, CONTRIBUTE, "tafel", **_table_facts(user, table))


def may_chair(user, table: Table) -> bool:
    return decide(user, CHAIR, "tafel_chair", organisation_id=table.chair_id)


def tables_for(user) -> list[Table]:
    """The tables the user's organisation chairs or takes part in, when its
    role sits at tables."""
    organisation_id = actor_for(user).organisation_id
    if organisation_id is None:
        return []
    rows = (
        Table.objects.filter(participants=organisation_id)
        | Table.objects.filter(chair=organisation_id)
    ).distinct()
    rows = rows.select_related("chair").prefetch_related("participants")
    return [table for table in rows if may_read(user, table)]


def table_for(user, pk: int) -> Table:
    table = Table.objects.select_related("chair").filter(pk=pk).first()
    if table is None or not may_read(user, table):
        raise Http404
    return table


@Compiled
def _meeting(pk):
    return Meeting.objects.select_related("table", "table__chair").filter(pk=pk)[:1]


def meeting_for(user, pk: int) -> Meeting:
    meeting = next(iter(_meeting(pk)), None)
    if meeting is None or not may_read(user, meeting.table):
        raise Http404
    return meeting


# --- A table's meetings ----------------------------------------------------------


def current_meetings(table: Table) -> list[Meeting]:
    """The meetings not yet closed (planned, or held and awaiting their
    minutes), oldest first: what the table works on now."""
    return list(
        table.meetings.exclude(status=Meeting.Status.CLOSED).order_by("date", "id")
    )


def closed_meetings(table: Table, asked: str | None):
    """The years in which the table has closed meetings (newest first), the
    year shown and its closed meetings, newest first. A table meets weekly
    for years: its page shows one year at a time, not every meeting since
    it was set up. The year shown is the one asked for (a number; anything
    else is ignored), else the newest with closed meetings; a year without
    them shows none."""
    years = [
        day.year
        for day in table.meetings.filter(status=Meeting.Status.CLOSED).dates(
            "date", "year", order="DESC"
        )
    ]
    year = int(asked) if asked and asked.isascii() and asked.isdigit() else None
    if year is None or not 1 <= year <= 9999:
        year = years[0] if years else None
    if year is None:
        return years, None, []
    closed = list(
        table.meetings.filter(status=Meeting.Status.CLOSED, date__year=year).order_by(
            "-date", "-id"
        )
    )
    return years, year, closed


# --- The agenda as one reader sees it -------------------------------------------


@dataclass
class Item:
    """A subject the reader may see, with the decisions and action points of
    it the reader may see."""

    subject: Subject
    decisions: list = field(default_factory=list)
    action_points: list = field(default_factory=list)

    @property
    def label(self) -> str:
        subject = self.subject
        if subject.kind == Subject.Kind.CASE:
            return f"{subject.case.reference} {subject.case.title}"
        if subject.kind == Subject.Kind.PERSON:
            return str(subject.party)
        return str(subject.location)

    @property
    def log_key(self) -> str:
        """The name the access log gives the subject: its case's reference,
        or the meeting and the subject's number."""
        subject = self.subject
        if subject.case_id is not None:
            return subject.case.reference
        return f"TAFEL-{subject.meeting_id}-{subject.pk}"


@dataclass
class Agenda:
    meeting: Meeting
    items: list[Item]
    chairs: bool
    # The cases the reader may open among those the agenda names.
    visible_cases: frozenset[int]

    def shown(self) -> list[tuple[str, str]]:
        """(name, data class) of every subject shown, for the access log's
        page read; its decisions and action points share its class."""
        return [(item.log_key, item.subject.data_class) for item in self.items]


@Compiled
def _subjects(meeting_id):
    return Subject.objects.filter(meeting_id=meeting_id).select_related(
        "case", "party", "location", "organisation"
    )


@Compiled
def _action_points(meeting_id):
    return ActionPoint.objects.filter(subject__meeting_id=meeting_id).select_related(
        "organisation", "case", "deadline"
    )


@Compiled
def _decisions(meeting_id):
    return Decision.objects.filter(subject__meeting_id=meeting_id).select_related(
        "organisation"
    )


def agenda_for(user, meeting: Meeting) -> Agenda:
    """The meeting's agenda as `user` may see it: four queries, each but the
    cases' compiled once (`casework.compiled`). The decisions and action
    points of the meeting are read together and kept only under a subject
    the reader sees, when the decision point lets it (`_for_partner`)."""
    table = meeting.table
    actor = actor_for(user)
    shared = seated(table, actor.organisation_id)
    chairs = actor.organisation_id == table.chair_id
    subjects = _subjects(meeting.pk)
    points = _action_points(meeting.pk)
    case_ids = {s.case_id for s in subjects if s.case_id} | {p.case_id for p in points}
    visible_cases = frozenset(
        Case.objects.for_user(user).filter(pk__in=case_ids).values_list("pk", flat=True)
        if case_ids
        else ()
    )
    items = {
        s.pk: Item(s)
        for s in subjects
        if _subject_visible(user, s, shared=shared, visible_cases=visible_cases)
    }
    if items:
        for decision in _decisions(meeting.pk):
            item = items.get(decision.subject_id)
            if item is not None and _for_partner(user, item, decision, chairs):
                item.decisions.append(decision)
    for point in points:
        item = items.get(point.subject_id)
        if item is not None and _for_partner(user, item, point, chairs):
            point.case_visible = point.case_id in visible_cases
            item.action_points.append(point)
    return Agenda(meeting, list(items.values()), chairs, visible_cases)


def _subject_visible(user, subject: Subject, *, shared: bool, visible_cases) -> bool:
    if subject.case_id is not None:
        return subject.case_id in visible_cases
    return decide(
        user,
        READ,
        "tafel_subject",
        data_class=subject.data_class,
        organisation_id=subject.organisation_id,
        shared=shared,
        flagged=subject.data_class in FLAGGED_CLASSES,
    )


def _for_partner(user, item: Item, row, chairs: bool) -> bool:
    """A decision or action point: its partner's and the chair's, in the
    class of its subject."""
    data_class = item.subject.data_class
    return decide(
        user,
        READ,
        "tafel_decision",
        data_class=data_class,
        organisation_id=row.organisation_id,
        shared=chairs,
        flagged=data_class in FLAGGED_CLASSES,
    )
