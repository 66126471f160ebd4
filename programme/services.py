"""Writes on a programme. Every service asks the decision point first
(`permissions.figures.programme_access`: edit, and budget for money), then
the programme's own rules (`programme/rules.py`), under the row lock of what
the rule sums over, so two entries at once cannot together pass a limit that
each passes alone.

A refused write raises `casework.rules.StepRefused` (a ValidationError whose
messages name the rule) and changes nothing; a user who may not edit gets
`Http404` from `selectors.programme_for`/`project_for` before any of this,
and `PermissionDenied` here if a service is called directly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy

from casework.rules import StepRefused

from . import rules
from .models import (
    BudgetEntry,
    BudgetLine,
    Goal,
    GoalMeasurement,
    GovernanceBody,
    Method,
    Milestone,
    Programme,
    Project,
    ProjectMethod,
)
from .selectors import access_for

NOT_EDITOR = gettext_lazy("You may not change this programme.")
NOT_BUDGET = gettext_lazy("You may not change the budget of this programme.")


def _refuse(*refusals) -> None:
    found = [r for r in refusals if r is not None]
    if found:
        raise StepRefused(found)


def _require_edit(user, programme: Programme, *, budget: bool = False) -> None:
    access = access_for(user, programme)
    if not access.edit:
        raise PermissionDenied(NOT_EDITOR)
    if budget and not access.budget:
        raise PermissionDenied(NOT_BUDGET)


def _locked_programme(programme_id: int) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme_id)


# --- Programme and its parts (the demo and the pages use the same) ---------------


@transaction.atomic
def programme_create(
    *,
    name: str,
    starts_on: date,
    ends_on: date,
    organisation,
    total_budget: Decimal,
    funding_source: str = "",
    partners=(),
) -> Programme:
    """A new programme of an organisation; set up by the demo and by a data
    migration of a real work plan (there is no page to create one: the
    college adopts the plan, the monitor follows it)."""
    _refuse(rules.period_ordered(starts_on, ends_on))
    programme = Programme(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        organisation=organisation,
        total_budget=Decimal(total_budget),
        funding_source=funding_source,
    )
    programme.full_clean()
    programme.save()
    programme.partners.set(partners)
    return programme


@transaction.atomic
def project_create(
    *,
    programme: Programme,
    name: str,
    area: str,
    methods: list[str],
    owner,
    description: str = "",
    status: str = Project.Status.RUNNING,
    position: int = 0,
) -> Project:
    unknown = set(methods) - set(Method.values)
    if unknown or not methods:
        raise ValueError(f"unknown or no methods: {sorted(unknown)}")
    project = Project(
        programme=programme,
        name=name,
        area=area,
        owner=owner,
        description=description,
        status=status,
        position=position,
    )
    project.full_clean()
    project.save()
    ProjectMethod.objects.bulk_create(
        ProjectMethod(project=project, method=m) for m in dict.fromkeys(methods)
    )
    return project


@transaction.atomic
def goal_create(
    *,
    project: Project,
    description: str,
    unit: str,
    target_value: Decimal,
    target_date: date,
) -> Goal:
    goal = Goal(
        project=project,
        description=description,
        unit=unit,
        target_value=Decimal(target_value),
        target_date=target_date,
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def milestone_create(*, project: Project, title: str, due_on: date) -> Milestone:
    milestone = Milestone(project=project, title=title, due_on=due_on)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def governance_body_create(*, programme: Programme, **fields) -> GovernanceBody:
    body = GovernanceBody(programme=programme, **fields)
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def budget_line_create(
    *,
    programme: Programme,
    name: str,
    amount: Decimal,
    project: Project | None = None,
    period_note: str = "",
    position: int = 0,
) -> BudgetLine:
    """A line of the budget. Refused when the lines would add up to more
    than the programme's total (`rules.RULE_LINES_WITHIN_TOTAL`)."""
    programme = _locked_programme(programme.pk)
    amount = Decimal(amount)
    if project is not None and project.programme_id != programme.pk:
        raise ValueError("the project belongs to another programme")
    allocated = programme.budget_lines.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    _refuse(
        rules.amount_positive(amount),
        rules.lines_within_total(programme, allocated, amount),
    )
    line = BudgetLine(
        programme=programme,
        project=project,
        name=name,
        amount=amount,
        period_note=period_note,
        position=position,
    )
    line.full_clean()
    line.save()
    return line


# --- What the pages record -------------------------------------------------------


@transaction.atomic
def budget_entry_record(
    *,
    line: BudgetLine,
    user,
    kind: str,
    amount: Decimal,
    booked_on: date,
    description: str,
) -> BudgetEntry:
    """A commitment or a spending on a line.

    Refused: an amount that is not positive, a date outside the programme's
    period, and a total of commitments or of spending beyond the line's
    amount (`rules.within_line`). There is no override: spending more than a
    line holds needs a change of the budget itself (a new line or a larger
    one, within the programme's total), which the college decides, not the
    monitor.
    """
    # The line's row lock serialises entries on one line: the sums below
    # cannot change before this entry is written.
    line = (
        BudgetLine.objects.select_for_update()
        .select_related("programme")
        .get(pk=line.pk)
    )
    programme = line.programme
    _require_edit(user, programme, budget=True)
    if kind not in BudgetEntry.Kind.values:
        raise ValueError(f"unknown entry kind {kind!r}")
    amount = Decimal(amount)
    refusals = [
        rules.amount_positive(amount),
        rules.date_in_period(programme, booked_on),
    ]
    if refusals[0] is None:
        total = line.entries.filter(kind=kind).aggregate(s=Sum("amount"))["s"]
        refusals.append(rules.within_line(line, kind, total or Decimal(0), amount))
    _refuse(*refusals)
    entry = BudgetEntry(
        line=line,
        kind=kind,
        amount=amount,
        booked_on=booked_on,
        description=description,
        recorded_by=user,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def measurement_record(
    *,
    goal: Goal,
    user,
    measured_on: date,
    value: Decimal,
    note: str = "",
) -> GoalMeasurement:
    """The value a goal stands at on a date. Refused before the programme's
    start (`rules.RULE_MEASUREMENT_AFTER_START`) and below zero."""
    goal = Goal.objects.select_related("project__programme").get(pk=goal.pk)
    programme = goal.project.programme
    _require_edit(user, programme)
    value = Decimal(value)
    _refuse(
        rules.value_not_negative(value),
        rules.measured_after_start(programme, measured_on),
    )
    measurement = GoalMeasurement(
        goal=goal, measured_on=measured_on, value=value, note=note, recorded_by=user
    )
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def milestone_mark_done(*, milestone: Milestone, user, done_on: date) -> Milestone:
    """Marks a milestone done on a date that is not in the future
    (`rules.RULE_DONE_NOT_FUTURE`). Marking it again moves the date."""
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("project__programme")
        .get(pk=milestone.pk)
    )
    _require_edit(user, milestone.project.programme)
    _refuse(rules.done_not_in_future(done_on))
    milestone.done_on = done_on
    milestone.full_clean()
    milestone.save(update_fields=["done_on"])
    return milestone
