"""The events Casework tells others about, and the one payload they share.

An `Event` is made when something happens (a Django signal on a kernel model,
`receivers.py`) from what is at hand then, and handled after the transaction
commits (`dispatch.py`). Its payload is built here and nowhere else, from an
allow-list of fields: references, codes, dates and an API path. Titles,
names, summaries, notes and every other field of a case or signal never
enter it, whatever the data class (docs/notifications.md "What is never
sent").
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

CASE_OPENED = "case.opened"
CASE_STATUS_CHANGED = "case.status_changed"
TASK_CREATED = "task.created"
DEADLINE_DUE = "deadline.due"
SIGNAL_RECEIVED = "signal.received"
SIGNAL_STATUS_CHANGED = "signal.status_changed"

EVENT_TYPES = {
    CASE_OPENED: _("Case opened"),
    CASE_STATUS_CHANGED: _("Status of a case changed"),
    TASK_CREATED: _("New open task on a case"),
    DEADLINE_DUE: _("Deadline coming due"),
    SIGNAL_RECEIVED: _("Signal received"),
    SIGNAL_STATUS_CHANGED: _("Status of a signal changed"),
}

# The decision point's kind for each event: which organisations may know it
# (permissions.decision.organisations_informed).
KIND_OF = {
    CASE_OPENED: "case",
    CASE_STATUS_CHANGED: "case",
    TASK_CREATED: "task",
    DEADLINE_DUE: "deadline",
    SIGNAL_RECEIVED: "signal",
    SIGNAL_STATUS_CHANGED: "signal",
}

# The API's paths, as plain strings (the notifications do not depend on the
# API app; docs/api.md).
CASE_API_PATH = "/api/v1/cases/{reference}/"
SIGNAL_API_PATH = "/api/v1/signals/{reference}/"

# The only fields a payload may carry, besides `event`, `event_id` and
# `occurred_at`.
FIELDS = (
    "object",
    "reference",
    "case_type",
    "status",
    "previous_status",
    "step",
    "role",
    "due_on",
    "api_path",
)


@dataclass
class Event:
    """Something that happened, with the ids to find its object again."""

    type: str
    occurred_at: datetime
    case_id: int | None = None
    signal_id: int | None = None
    reference: str = ""
    case_type: str | None = None
    status: str = ""
    previous_status: str = ""
    step: str = ""
    role: str = ""
    due_on: str = ""
    # Resolved after the commit: the flow process of a new task, the
    # deadline of a reminder, and the user a reminder is for (e-mail).
    process_id: int | None = None
    deadline_id: int | None = None
    user_id: int | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def object(self) -> str:
        return "signal" if self.signal_id is not None else "case"

    @property
    def api_path(self) -> str:
        template = SIGNAL_API_PATH if self.object == "signal" else CASE_API_PATH
        return template.format(reference=self.reference)


def payload(event: Event) -> dict:
    """The JSON object sent for an event: `FIELDS` only, empty ones left out."""
    data = {
        "event": event.type,
        "event_id": str(event.id),
        "occurred_at": event.occurred_at.isoformat(),
    }
    for name in FIELDS:
        value = getattr(event, name)
        if value not in ("", None):
            data[name] = value
    return data


def body(event: Event, delivery_id) -> str:
    """The exact bytes (as text) sent and signed: the payload with the
    delivery id, compact, keys sorted."""
    data = {**payload(event), "delivery_id": str(delivery_id)}
    return json.dumps(data, separators=(",", ":"), sort_keys=True)
