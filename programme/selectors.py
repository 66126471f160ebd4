"""Reads of the programme monitor, every one through the decision point
(`permissions.figures.programme_access`: read, edit, budget).

The interface the governance reports use (docs/programme.md "For the
reports"):

- `programmes_for(user) -> list[Programme]`: the programmes the user reads;
- `summary(user, programme, *, today=None, quarter=None) -> ProgrammeSummary`:
  everything a page or a report shows, as plain values. Without budget
  access `budget_visible` is False, `budget` is None and no amount appears
  anywhere in it (nor the funding source). `Http404` for a programme the
  user does not read.

A summary costs the same fixed number of queries however many projects,
goals, measurements, entries and milestones the programme has: the goals
carry their newest reading as a subquery, the lines their sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions.figures import ProgrammeAccess, figure_scope, programme_access

from .formatting import number
from .models import (
    MONEY,
    BudgetEntry,
    BudgetLine,
    Goal,
    GoalMeasurement,
    GovernanceBody,
    Method,
    Milestone,
    Programme,
    Project,
)

ZERO = Decimal("0.00")


# --- Access ----------------------------------------------------------------------


def partner_ids(programme: Programme) -> frozenset[int]:
    """The organisations that take part; read once per instance (prefetched
    on lists)."""
    cached = programme.__dict__.get("_partner_ids")
    if cached is None:
        cached = frozenset(o.pk for o in programme.partners.all())
        programme.__dict__["_partner_ids"] = cached
    return cached


def access_for(user, programme: Programme) -> ProgrammeAccess:
    return programme_access(
        user,
        organisation_id=programme.organisation_id,
        partner_ids=partner_ids(programme),
    )


def may_list(user) -> bool:
    """Whether the list of programmes is a page for the user at all: the
    steering viewers, the only users `programme_access` can let read a
    programme (it answers nothing to anyone without a figure scope). For
    everyone else the list is a 404, as every programme page is."""
    return figure_scope(user) is not None


def programmes_for(user) -> list[Programme]:
    """The programmes the user reads, newest first; each carries its
    `access` (read, edit, budget)."""
    found = []
    rows = Programme.objects.select_related("organisation").prefetch_related("partners")
    for programme in rows:
        access = access_for(user, programme)
        if access.read:
            programme.access = access
            found.append(programme)
    return found


def programme_for(user, pk) -> tuple[Programme, ProgrammeAccess]:
    """The programme and the user's access, or 404 (also for a programme
    that does not exist: the same answer)."""
    programme = (
        Programme.objects.select_related("organisation")
        .prefetch_related("partners")
        .filter(pk=pk)
        .first()
    )
    if programme is None:
        raise Http404
    access = access_for(user, programme)
    if not access.read:
        raise Http404
    return programme, access


def project_for(user, pk) -> tuple[Project, ProgrammeAccess]:
    project = (
        Project.objects.select_related("programme__organisation", "owner")
        .prefetch_related("programme__partners")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    access = access_for(user, project.programme)
    if not access.read:
        raise Http404
    return project, access


# --- The summary -----------------------------------------------------------------


@dataclass(frozen=True)
class GoalView:
    id: int
    description: str
    unit: str
    target: Decimal
    target_date: date
    measured: Decimal | None  # the newest reading, None before the first
    measured_on: date | None
    percent: int  # measured / target, rounded down, 0 before the first reading

    @property
    def progress_text(self) -> str:
        """ "3 van 5 sessies"."""
        return _("%(measured)s of %(target)s %(unit)s") % {
            "measured": number(self.measured if self.measured is not None else 0),
            "target": number(self.target),
            "unit": self.unit,
        }

    @property
    def bar(self) -> int:
        """The value of a <progress max="100">: at most full."""
        return min(self.percent, 100)


@dataclass(frozen=True)
class MilestoneView:
    id: int
    title: str
    due_on: date
    done_on: date | None
    overdue: bool
    project_id: int
    project_name: str


@dataclass(frozen=True)
class ProjectView:
    id: int
    name: str
    area: str
    methods: tuple[str, ...]  # Method values, in the plan's order
    method_labels: tuple[str, ...]
    owner_name: str
    status: str
    status_label: str
    description: str
    goals: tuple[GoalView, ...]
    milestones: tuple[MilestoneView, ...]


@dataclass(frozen=True)
class BudgetLineView:
    id: int
    name: str
    project_id: int | None
    project_name: str
    period_note: str
    amount: Decimal
    committed: Decimal
    spent: Decimal

    @property
    def claimed(self) -> Decimal:
        """Spending settles commitments first: what the line has given away
        is the larger of the two."""
        return max(self.committed, self.spent)

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.claimed

    @property
    def open_commitments(self) -> Decimal:
        """Committed and not yet paid."""
        return max(self.committed - self.spent, ZERO)


@dataclass(frozen=True)
class BudgetView:
    lines: tuple[BudgetLineView, ...]
    total: Decimal  # the programme's total budget
    allocated: Decimal  # the lines' amounts together
    committed: Decimal
    spent: Decimal
    remaining: Decimal  # the lines' remainders together

    @property
    def unallocated(self) -> Decimal:
        return self.total - self.allocated

    @property
    def free(self) -> Decimal:
        """What the programme has not given away: its total minus what the
        lines claimed."""
        return self.total - sum((line.claimed for line in self.lines), ZERO)


@dataclass(frozen=True)
class GovernanceView:
    kind: str
    kind_label: str
    name: str
    area: str
    members: str
    meeting_frequency: str
    note: str


@dataclass(frozen=True)
class ProgrammeSummary:
    id: int
    name: str
    starts_on: date
    ends_on: date
    organisation_name: str
    partner_names: tuple[str, ...]
    funding_source: str  # "" without budget access
    access: ProgrammeAccess
    projects: tuple[ProjectView, ...]
    by_area: tuple[tuple[str, tuple[ProjectView, ...]], ...]
    by_method: tuple[tuple[str, str, tuple[ProjectView, ...]], ...]
    budget_visible: bool
    budget: BudgetView | None
    today: date
    quarter: tuple[int, int]  # (year, 1..4)
    milestones_in_quarter: tuple[MilestoneView, ...]
    milestones_overdue: tuple[MilestoneView, ...]
    governance: tuple[GovernanceView, ...]

    def milestones_due(self, year: int, quarter: int) -> tuple[MilestoneView, ...]:
        start, end = quarter_bounds(year, quarter)
        return _by_date(
            m for p in self.projects for m in p.milestones if start <= m.due_on <= end
        )


def _by_date(milestones) -> tuple[MilestoneView, ...]:
    return tuple(sorted(milestones, key=lambda m: (m.due_on, m.id)))


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"no quarter {quarter}")
    first = date(year, 3 * quarter - 2, 1)
    last = (
        date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    ).toordinal() - 1
    return first, date.fromordinal(last)


def _percent(measured: Decimal | None, target: Decimal) -> int:
    if measured is None or not target:
        return 0
    return int((measured * 100 / target).to_integral_value(rounding=ROUND_DOWN))


def _goals_with_reading():
    newest = GoalMeasurement.objects.filter(goal=OuterRef("pk")).order_by(
        "-measured_on", "-id"
    )
    return Goal.objects.annotate(
        latest_value=Subquery(newest.values("value")[:1]),
        latest_on=Subquery(newest.values("measured_on")[:1]),
    ).order_by("id")


def _projects(
    programme: Programme, today: date, *, project_id: int | None = None
) -> tuple[ProjectView, ...]:
    rows = Project.objects.filter(programme=programme)
    if project_id is not None:
        rows = rows.filter(pk=project_id)
    rows = (
        rows.select_related("owner")
        .prefetch_related(
            "methods",
            Prefetch("goals", queryset=_goals_with_reading()),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
        )
        .order_by("position", "id")
    )
    order = {value: i for i, value in enumerate(Method.values)}
    views = []
    for p in rows:
        methods = sorted((m.method for m in p.methods.all()), key=order.__getitem__)
        goals = tuple(
            GoalView(
                id=g.pk,
                description=g.description,
                unit=g.unit,
                target=g.target_value,
                target_date=g.target_date,
                measured=g.latest_value,
                measured_on=g.latest_on,
                percent=_percent(g.latest_value, g.target_value),
            )
            for g in p.goals.all()
        )
        milestones = tuple(
            MilestoneView(
                id=m.pk,
                title=m.title,
                due_on=m.due_on,
                done_on=m.done_on,
                overdue=m.done_on is None and m.due_on < today,
                project_id=p.pk,
                project_name=p.name,
            )
            for m in p.milestones.all()
        )
        views.append(
            ProjectView(
                id=p.pk,
                name=p.name,
                area=p.area,
                methods=tuple(methods),
                method_labels=tuple(str(Method(m).label) for m in methods),
                owner_name=p.owner.get_full_name() or p.owner.get_username(),
                status=p.status,
                status_label=str(Project.Status(p.status).label),
                description=p.description,
                goals=goals,
                milestones=milestones,
            )
        )
    return tuple(views)


def _budget(programme: Programme, *, project_id: int | None = None) -> BudgetView:
    money = DecimalField(**MONEY)

    def total(kind):
        return Coalesce(
            Sum("entries__amount", filter=Q(entries__kind=kind)),
            ZERO,
            output_field=money,
        )

    rows = BudgetLine.objects.filter(programme=programme)
    if project_id is not None:
        rows = rows.filter(project_id=project_id)
    rows = (
        rows.select_related("project")
        .annotate(
            committed=total(BudgetEntry.Kind.COMMITMENT),
            spent=total(BudgetEntry.Kind.SPENDING),
        )
        .order_by("position", "id")
    )
    lines = tuple(
        BudgetLineView(
            id=line.pk,
            name=line.name,
            project_id=line.project_id,
            project_name=line.project.name if line.project else "",
            period_note=line.period_note,
            amount=line.amount,
            committed=Decimal(line.committed),
            spent=Decimal(line.spent),
        )
        for line in rows
    )
    return BudgetView(
        lines=lines,
        total=programme.total_budget,
        allocated=sum((line.amount for line in lines), ZERO),
        committed=sum((line.committed for line in lines), ZERO),
        spent=sum((line.spent for line in lines), ZERO),
        remaining=sum((line.remaining for line in lines), ZERO),
    )


def _governance(programme: Programme) -> tuple[GovernanceView, ...]:
    return tuple(
        GovernanceView(
            kind=b.kind,
            kind_label=str(GovernanceBody.Kind(b.kind).label),
            name=b.name,
            area=b.area,
            members=b.members,
            meeting_frequency=b.meeting_frequency,
            note=b.note,
        )
        for b in GovernanceBody.objects.filter(programme=programme).order_by(
            "position", "id"
        )
    )


def summary(
    user,
    programme: Programme,
    *,
    today: date | None = None,
    quarter: tuple[int, int] | None = None,
) -> ProgrammeSummary:
    """The programme as the user may see it (module docstring)."""
    access = access_for(user, programme)
    if not access.read:
        raise Http404
    today = today or timezone.localdate()
    quarter = quarter or quarter_of(today)
    projects = _projects(programme, today)

    by_area: dict[str, list[ProjectView]] = {}
    for p in projects:
        by_area.setdefault(p.area, []).append(p)
    by_method = tuple(
        (value, str(label), tuple(p for p in projects if value in p.methods))
        for value, label in Method.choices
    )
    start, end = quarter_bounds(*quarter)
    milestones = [m for p in projects for m in p.milestones]
    return ProgrammeSummary(
        id=programme.pk,
        name=programme.name,
        starts_on=programme.starts_on,
        ends_on=programme.ends_on,
        organisation_name=programme.organisation.name,
        partner_names=tuple(sorted(o.name for o in programme.partners.all())),
        funding_source=programme.funding_source if access.budget else "",
        access=access,
        projects=projects,
        by_area=tuple((area, tuple(rows)) for area, rows in by_area.items()),
        by_method=tuple(row for row in by_method if row[2]),
        budget_visible=access.budget,
        budget=_budget(programme) if access.budget else None,
        today=today,
        quarter=quarter,
        milestones_in_quarter=_by_date(
            m for m in milestones if start <= m.due_on <= end
        ),
        milestones_overdue=_by_date(m for m in milestones if m.overdue),
        governance=_governance(programme),
    )


# --- The project page ------------------------------------------------------------


@dataclass(frozen=True)
class MeasurementView:
    goal_id: int
    measured_on: date
    value: Decimal
    note: str
    recorded_by: str


@dataclass(frozen=True)
class EntryView:
    line_id: int
    kind: str
    kind_label: str
    amount: Decimal
    booked_on: date
    description: str
    recorded_by: str


@dataclass(frozen=True)
class ProjectPage:
    project: ProjectView
    programme_id: int
    programme_name: str
    access: ProgrammeAccess
    measurements: tuple[MeasurementView, ...]  # newest first
    budget_visible: bool
    budget: BudgetView | None  # the lines that fund this project
    entries: tuple[EntryView, ...]  # on those lines, newest first


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def project_page(user, project: Project, *, today: date | None = None) -> ProjectPage:
    """One project as the user may see it: its goals with their readings,
    milestones, and (with budget access) the lines that fund it and their
    entries."""
    programme = project.programme
    access = access_for(user, programme)
    if not access.read:
        raise Http404
    today = today or timezone.localdate()
    (view,) = _projects(programme, today, project_id=project.pk)
    measurements = tuple(
        MeasurementView(
            goal_id=m.goal_id,
            measured_on=m.measured_on,
            value=m.value,
            note=m.note,
            recorded_by=_name(m.recorded_by),
        )
        for m in GoalMeasurement.objects.filter(goal__project=project)
        .select_related("recorded_by")
        .order_by("-measured_on", "-id")
    )
    budget = entries = None
    if access.budget:
        budget = _budget(programme, project_id=project.pk)
        entries = tuple(
            EntryView(
                line_id=e.line_id,
                kind=e.kind,
                kind_label=str(BudgetEntry.Kind(e.kind).label),
                amount=e.amount,
                booked_on=e.booked_on,
                description=e.description,
                recorded_by=_name(e.recorded_by),
            )
            for e in BudgetEntry.objects.filter(line__project=project)
            .select_related("recorded_by")
            .order_by("-booked_on", "-id")
        )
    return ProjectPage(
        project=view,
        programme_id=programme.pk,
        programme_name=programme.name,
        access=access,
        measurements=measurements,
        budget_visible=access.budget,
        budget=budget,
        entries=entries or (),
    )
