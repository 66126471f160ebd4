"""The work on a case as a viewflow flow: who must do what next.

Two layers, one truth (docs/architecture.md): the legal status is the case type's
django-fsm field; the flow is derived from it. Each *phase* groups the states
in which one role holds the case (the jurist assesses, the burgemeester
decides, toezicht monitors, ...) and is a human task (`flow.View`) offered to
that role. After each phase an exclusive gateway (`flow.Switch`) routes to
the phase of the case's new status. The gateways' branches are computed from
the FSM's own transitions, so the picture cannot drift from the law's table.

The flow never changes a status itself. `casework.services.case_transition`
runs the FSM transition and then calls `flow_advance`, in the same
transaction and under the case row lock: a transition that leaves the phase
completes its task and the gateway activates the next one; a transition inside
the phase (A60 → A61 → A60) leaves the task open.

viewflow's own pages are not mounted (docs/decisions/0005): the task inbox is
Casework's query (`casework.assignment.work_groups`), the picture is drawn
here with viewflow's chart layout.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from itertools import groupby

from django.db.models import QuerySet
from django.template.loader import render_to_string

from viewflow import this
from viewflow.workflow import chart, flow, lock
from viewflow.workflow.fields import get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.compiled import Compiled
from casework.models import Case, CaseProcess
from casework.registry import registry
from permissions.models import Role

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


@dataclass(frozen=True)
class Phase:
    name: str
    label: str
    role: str
    statuses: tuple[str, ...]

    @property
    def role_label(self) -> str:
        return Role(self.role).label


def _no_view(request, *args, **kwargs):  # pragma: no cover - never mounted
    """viewflow's View node needs a view; its pages are not mounted (0005).
    The task is worked on from the case page."""
    raise NotImplementedError


def _current_phase(flow_class, process) -> str | None:
    status = (
        Case.objects.filter(pk=process.caseprocess.case_id)
        .values_list("status", flat=True)
        .get()
    )
    return flow_class.phase_of.get(status)


def _branch(phase_name: str):
    def condition(activation) -> bool:
        flow_class = activation.flow_class
        return _current_phase(flow_class, activation.process) == phase_name

    return condition


def _is_terminal(activation) -> bool:
    return _current_phase(activation.flow_class, activation.process) is None


def _start(activation, case: Case):
    activation.process.case = case
    return activation.process


def build_flow(
    name: str, proxy: type[Case], phases: list[Phase], doc: str, *, module: str
):
    """A viewflow Flow class for a case type: start → first phase; each phase
    → its gateway → the phases its FSM transitions lead to, or the end."""
    phase_of = {status: phase.name for phase in phases for status in phase.statuses}
    missing = [
        s for s in proxy.Status.values if s not in phase_of and s not in proxy.TERMINAL
    ]
    if missing:
        raise ValueError(f"{name}: states without a phase: {missing}")
    successors: dict[str, set[str | None]] = {p.name: set() for p in phases}
    field = proxy._meta.get_field("status")
    for transition in field.get_all_transitions(proxy):
        src, dst = phase_of.get(transition.source), phase_of.get(transition.target)
        if src is not None and src != dst:
            successors[src].add(dst)
    order = [p.name for p in phases]

    attrs = {
        "__module__": module,
        "__doc__": doc,
        "process_class": CaseProcess,
        "lock_impl": lock.select_for_update_lock,
        "phases": phases,
        "phase_of": phase_of,
        "proxy": proxy,
        "start": flow.StartHandle(_start).Next(getattr(this, phases[0].name)),
        "end": flow.End(),
    }
    for phase in phases:
        attrs[phase.name] = (
            flow.View(_no_view)
            .Annotation(title=phase.label)
            .Next(getattr(this, f"after_{phase.name}"))
        )
        gateway = flow.Switch()
        for target in sorted(
            successors[phase.name], key=lambda n: order.index(n) if n else len(order)
        ):
            if target is None:
                gateway.Case(this.end, _is_terminal)
            else:
                gateway.Case(getattr(this, target), _branch(target))
        attrs[f"after_{phase.name}"] = gateway
    cls = type(name, (flow.Flow,), attrs)
    setattr(sys.modules[module], name, cls)
    return cls


def flow_for(case: Case):
    """The flow class the case type registered, or None."""
    return registry.flow(case.case_type)


def flow_start(case: Case) -> CaseProcess | None:
    """Start the case's flow (inside the transaction that opened the case)."""
    flow_class = flow_for(case)
    if flow_class is None:
        return None
    process = flow_class.start.run(case=case)
    record_step(case)
    return process


def open_tasks(case: Case):
    return Task.objects.filter(process__caseprocess__case=case, status__in=OPEN)


def flow_advance(case: Case, user) -> None:
    """Bring the flow in line with the case's status after a transition; the
    caller holds the case row lock. The user who ran the transition completes
    the open task when the status left its phase."""
    flow_class = flow_for(case)
    if flow_class is None:
        return
    phase = flow_class.phase_of.get(case.status)
    tasks = list(open_tasks(case).select_related("process"))
    for task in tasks:
        node = task.flow_task
        if node is None or node.name == phase:
            continue
        with flow_class.lock(task.process_id):
            activation = node.activation_class(task)
            if task.status == STATUS.NEW:
                activation.assign(user)
            if task.status == STATUS.ASSIGNED:
                if task.owner_id != user.pk:
                    activation.reassign(user)
                activation.start(None)
            activation.execute()
    record_step(case)


def record_step(case: Case) -> None:
    """Copy the case's open step onto its row: the phase, the role that takes
    it and when it opened (`Case.step`, `step_role`, `step_at`; "" and None
    once the flow has ended). The one writer of these columns, called after
    the flow started or moved; the list's trigger copies them to the case's
    entries, from which Mijn werk reads its groups (assignment.work_groups)."""
    flow_class = flow_for(case)
    step, role, at = "", "", None
    task = (
        open_tasks(case).order_by("-created").values_list("flow_task", "created")
    ).first()
    if flow_class is not None and task is not None and task[0] is not None:
        phase = next((p for p in flow_class.phases if p.name == task[0].name), None)
        if phase is not None:
            step, role, at = phase.name, phase.role, task[1]
    Case.objects.filter(pk=case.pk).update(step=step, step_role=role, step_at=at)
    case.step, case.step_role, case.step_at = step, role, at


def fill_steps_sql(connection) -> tuple[str, list]:
    """One UPDATE that writes every case's open step from the open tasks, as
    `record_step` does for one case: for a migration and for the generator,
    which write tasks without a transition."""
    qn = connection.ops.quote_name
    phases = [
        (get_task_ref(getattr(flow_class, p.name)), p.name, p.role)
        for flow_class in registry.flows()
        for p in flow_class.phases
    ]
    values = ", ".join(["(%s, %s, %s)"] * len(phases))
    marks = ", ".join(["%s"] * len(OPEN))
    sql = (
        f"WITH m(ref, step, role) AS (VALUES {values}), "
        "x AS (SELECT cp.case_id AS case_id, m.step AS step, m.role AS role, "
        "t.created AS created, ROW_NUMBER() OVER (PARTITION BY cp.case_id "
        "ORDER BY t.created DESC, t.id DESC) AS n "
        f"FROM {qn(Task._meta.db_table)} t "
        f"JOIN {qn(CaseProcess._meta.db_table)} cp "
        "ON cp.process_ptr_id = t.process_id "
        f"JOIN m ON m.ref = t.flow_task WHERE t.status IN ({marks})) "
        "UPDATE casework_case SET step = x.step, step_role = x.role, "
        "step_at = x.created FROM x WHERE x.n = 1 AND casework_case.id = x.case_id"
    )
    return sql, [value for row in phases for value in row] + list(OPEN)


@Compiled
def _newest_open_task(case_id: int):
    """The case's newest open task with its owner: compiled once per process
    (`casework.compiled`), as the case page asks it on every request (the
    ORM built it in about 1 ms at each request on the bench machine, the
    statement runs in 0.3). A plain QuerySet of Task: viewflow's own
    (`TaskQuerySet`) iterates the same way unless told to coerce, which
    this read does not ask."""
    return (
        QuerySet(model=Task)
        .filter(process__caseprocess__case_id=case_id, status__in=OPEN)
        .select_related("owner")
        .order_by("-created")[:1]
    )


def current_task(case: Case):
    """The open task of the case, with its phase; None once the flow ended."""
    task = next(iter(_newest_open_task(case.pk)), None)
    if task is None or task.flow_task is None:
        return None
    flow_class = flow_for(case)
    phase = next((p for p in flow_class.phases if p.name == task.flow_task.name), None)
    return {"task": task, "phase": phase}


@lru_cache(maxsize=256)
def phase_named(case_type: str, name: str) -> Phase | None:
    """The phase `name` of the case type's flow (`Case.step`), or None."""
    flow_class = registry.flow(case_type)
    if flow_class is None:
        return None
    return next((p for p in flow_class.phases if p.name == name), None)


@lru_cache(maxsize=32)
def phases_of_role(role: str) -> dict:
    """The phases a role takes, by the task reference viewflow stores
    (`Task.flow_task`); the flows are fixed at import."""
    return {
        get_task_ref(getattr(flow_class, p.name)): p
        for flow_class in registry.flows()
        for p in flow_class.phases
        if p.role == role
    }


def process_chart(case: Case) -> str | None:
    """The flow's diagram as SVG: viewflow's chart layout drawn with
    Casework's own template (viewflow's title-cases the labels), the phases
    done in green and the current one outlined in blue."""
    flow_class = flow_for(case)
    if flow_class is None:
        return None
    grid = chart.calc_layout_data(flow_class)
    tasks = (
        Task.objects.filter(process__caseprocess__case=case)
        .order_by("flow_task", "created")
        .values_list("flow_task", "status")
    )
    states: dict = {}
    for node, group in groupby(tasks, key=lambda row: row[0]):
        statuses = {status for _node, status in group}
        states[node] = "current" if statuses & set(OPEN) else "done"
    for cell in grid.cells:
        cell.status = states.get(cell.node)
    finished = CaseProcess.objects.filter(case=case, status=PROCESS.DONE).exists()
    if finished:
        grid[flow_class.instance.end].status = "done"
    return render_to_string(
        "casework/process.svg",
        {
            "grid": grid,
            "cells": grid.cells,
            "edges": grid.edges,
            "title": flow_class.process_title,
        },
    )


__all__ = [
    "Phase",
    "build_flow",
    "current_task",
    "flow_advance",
    "flow_start",
    "process_chart",
    "phase_named",
    "phases_of_role",
    "record_step",
]
