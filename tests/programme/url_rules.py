"""The programme monitor's answers for the URL × role walk
(`tests/permissions/url_roles.py`, between the programme's anchors).

Every answer is `permissions.figures.programme_access` on the programme the
URL names (through `programme.selectors.access_for`): read for a GET, edit
(and budget, for the programme page's booking form) for a POST.

The URLs are filled by test_url_roles.py's `programme` sampler (every demo
programme and a missing pk) and `project` sampler (the first project and a
missing pk); the answer looks the programme or project up by that pk.
"""

from __future__ import annotations

import uuid
from datetime import date

from permissions.figures import figure_scope
from programme.models import Programme, Project
from programme.selectors import access_for

SAMPLE = "programme"
PROJECT_SAMPLE = "project"
SOURCE = "permissions.figures.programme_access (programme.selectors.access_for)"
LIST_SOURCE = "permissions.figures.figure_scope (programme.selectors.may_list)"


def _programme(s) -> Programme | None:
    return Programme.objects.filter(pk=s.kwargs.get("pk")).first()


def _project(s) -> Project | None:
    return (
        Project.objects.select_related("programme")
        .filter(pk=s.kwargs.get("pk"))
        .first()
    )


def lists_programmes(user, s) -> bool:
    """The list: the steering viewers (`figure_scope`), whom alone
    `programme_access` lets read any programme."""
    return figure_scope(user) is not None


def reads_programme(user, s) -> bool:
    programme = _programme(s)
    return programme is not None and access_for(user, programme).read


def books_on_programme(user, s) -> bool:
    programme = _programme(s)
    if programme is None:
        return False
    access = access_for(user, programme)
    return access.edit and access.budget


def reads_project(user, s) -> bool:
    project = _project(s)
    return project is not None and access_for(user, project.programme).read


def edits_project(user, s) -> bool:
    project = _project(s)
    return project is not None and access_for(user, project.programme).edit


def body_entry(s, users):
    programme = _programme(s) or Programme.objects.order_by("pk").first()
    line = programme.budget_lines.order_by("pk").first() if programme else None
    return {
        "form_token": uuid.uuid4().hex, "line": line.pk if line else "",
        "kind": "spending", "amount": "1", "booked_on": date(2020, 6, 1).isoformat(),
        "description": "probe",
    }  # fmt: skip


def body_measurement(s, users):
    project = _project(s)
    goal = project.goals.order_by("pk").first() if project else None
    return {
        "form_token": uuid.uuid4().hex, "action": "measurement",
        "goal": goal.pk if goal else "", "measured_on": date(2020, 6, 1).isoformat(),
        "value": "1", "note": "probe",
    }  # fmt: skip
