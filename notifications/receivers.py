"""Where the events come from: Django signals on the kernel's models,
connected in `NotificationsConfig.ready()` (the kernel does not know this
app). Each receiver only notes the event, from what the instance already
holds (no query), and hands it to `dispatch.handle` once the transaction
commits: a rolled-back step tells nobody, and no request waits inside its
transaction for a receiver.

- case.opened, case.status_changed: the history row
  `casework.services.record_event` writes (`CaseEvent`, kinds created and status);
- task.created: a new viewflow `Task` of a phase (an open step of the flow);
- deadline.due: the reminder the deadline sweep creates
  (`casework.Notification`, kind reminder);
- signal.received, signal.status_changed: a `Signal` saved new, or saved
  with another status than it was loaded with.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.utils import timezone

from viewflow.workflow.models import Task

from casework.models import CaseEvent, Notification, Signal

from . import events

logger = logging.getLogger(__name__)


def _on_commit(event: events.Event) -> None:
    from . import dispatch

    transaction.on_commit(partial(dispatch.handle, event), robust=True)


def case_event_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    if instance.kind == CaseEvent.Kind.CREATED:
        kind = events.CASE_OPENED
    elif instance.kind == CaseEvent.Kind.STATUS:
        kind = events.CASE_STATUS_CHANGED
    else:
        return
    case = instance.case
    _on_commit(
        events.Event(
            type=kind,
            occurred_at=instance.at,
            case_id=case.pk,
            reference=case.reference,
            case_type=case.case_type,
            status=instance.to_status,
            previous_status=instance.from_status,
        )
    )


def task_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """A new task of one of a flow's phases: an open step, for its role."""
    if not created or raw:
        return
    node = instance.flow_task
    flow_class = getattr(node, "flow_class", None)
    phase = next(
        (
            p
            for p in getattr(flow_class, "phases", ())
            if p.name == getattr(node, "name", None)
        ),
        None,
    )
    if phase is None:
        return
    _on_commit(
        events.Event(
            type=events.TASK_CREATED,
            occurred_at=instance.created or timezone.now(),
            process_id=instance.process_id,
            step=phase.name,
            role=phase.role,
        )
    )


def reminder_saved(sender, instance, created, raw=False, **kwargs) -> None:
    """The deadline sweep's reminder (one per deadline and owner)."""
    if not created or raw or instance.kind != Notification.Kind.REMINDER:
        return
    deadline = instance.deadline
    _on_commit(
        events.Event(
            type=events.DEADLINE_DUE,
            occurred_at=instance.created_at,
            case_id=deadline.case_id,
            deadline_id=deadline.pk,
            due_on=deadline.end_date.isoformat(),
            user_id=instance.user_id,
        )
    )


STATUS_SEEN = "_notifications_status"


def signal_loaded(sender, instance, **kwargs) -> None:
    # The status as loaded (never a query: a deferred status stays unknown).
    setattr(instance, STATUS_SEEN, instance.__dict__.get("status"))


def signal_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    status = instance.__dict__.get("status")
    before = getattr(instance, STATUS_SEEN, None)
    setattr(instance, STATUS_SEEN, status)
    if created:
        kind = events.SIGNAL_RECEIVED
    elif before is not None and status != before:
        kind = events.SIGNAL_STATUS_CHANGED
    else:
        return
    _on_commit(
        events.Event(
            type=kind,
            occurred_at=timezone.now(),
            signal_id=instance.pk,
            reference=instance.reference,
            status=status or "",
            previous_status="" if created else before,
        )
    )


def connect() -> None:
    uid = "notifications."
    post_save.connect(case_event_saved, sender=CaseEvent, dispatch_uid=uid + "case")
    post_save.connect(task_saved, sender=Task, dispatch_uid=uid + "task")
    post_save.connect(
        reminder_saved, sender=Notification, dispatch_uid=uid + "reminder"
    )
    post_init.connect(signal_loaded, sender=Signal, dispatch_uid=uid + "signal_init")
    post_save.connect(signal_saved, sender=Signal, dispatch_uid=uid + "signal")
