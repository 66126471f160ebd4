"""After the commit: an event goes to the webhooks of the organisations that
may know of it, and by e-mail to the users who asked for it.

Which organisations may know is the decision point's answer
(`permissions.decision.organisations_informed`); which users, `mail.py` asks
`decide` per user. Each webhook gets its own `Message` (its delivery id) and a
Celery task per message (`tasks.deliver`).
"""

from __future__ import annotations

import logging

from casework.models import Case, Signal
from permissions.decision import organisations_informed

from . import events, mail
from .models import Message, Webhook

logger = logging.getLogger(__name__)


def _resolve(event: events.Event):
    """The case or signal of the event, read now (the event's own facts, the
    new status above all, were taken when it happened); None when it is gone."""
    if event.type in (events.SIGNAL_RECEIVED, events.SIGNAL_STATUS_CHANGED):
        return Signal.objects.filter(pk=event.signal_id).first()
    if event.process_id is not None:
        case = Case.objects.filter(process__pk=event.process_id).first()
    else:
        case = Case.objects.filter(pk=event.case_id).first()
    if case is None:
        return None
    event.case_id = case.pk
    event.reference = event.reference or case.reference
    event.case_type = event.case_type or case.case_type
    event.status = event.status or case.status
    return case


def informed(event: events.Event, target) -> frozenset[int]:
    """The organisations that may be told of the event."""
    if isinstance(target, Signal):
        return organisations_informed(
            "signal",
            data_class=target.data_class,
            organisation_id=target.source_organisation_id,
            shared_with=list(target.shared_with.values_list("pk", flat=True)),
        )
    return organisations_informed(events.KIND_OF[event.type], case=target)


def webhooks_for(event: events.Event, target) -> list[Webhook]:
    organisations = informed(event, target)
    if not organisations:
        return []
    hooks = Webhook.objects.filter(organisation_id__in=organisations, active=True)
    return [hook for hook in hooks if hook.wants(event.type)]


def _anyone_listens(event: events.Event) -> bool:
    """Whether an active webhook, or for a mailed event a user who asked for
    that mail, exists at all: one query, so that an event nobody listens to
    costs no more (every transition makes one)."""
    from django.db.models import Q

    from .models import EmailPreference

    mailed = {
        events.TASK_CREATED: Q(new_tasks=True),
        events.DEADLINE_DUE: Q(deadlines_due=True),
    }.get(event.type)
    if Webhook.objects.filter(active=True).exists():
        return True
    return mailed is not None and EmailPreference.objects.filter(mailed).exists()


def handle(event: events.Event) -> list[Message]:
    """Queue the event's messages and e-mails; returns the messages."""
    from .tasks import deliver

    if not _anyone_listens(event):
        return []
    target = _resolve(event)
    if target is None:
        return []
    messages = []
    for hook in webhooks_for(event, target):
        message = Message(webhook=hook, event_id=event.id, event=event.type)
        message.reference = event.reference
        message.body = events.body(event, message.pk)
        messages.append(message)
    Message.objects.bulk_create(messages)
    for message in messages:
        try:
            deliver.delay(str(message.pk))
        except Exception:  # the broker is away: the beat sweep queues it later
            logger.exception("webhook message %s not queued", message.pk)
    mail.notify(event, target)
    return messages
