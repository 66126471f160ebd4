"""Delivering one webhook message: one attempt, its log row, and the retry.

`attempt(message_id)` is what the Celery task `notifications.tasks.deliver`
runs. It claims the message (one sender at a time, even when the broker hands
the same task out twice), posts the body signed with a fresh timestamp, writes
a `Delivery` row and either marks the message delivered (2xx), gives up (a
4xx the receiver means, an inactive webhook, the last attempt) or schedules
the next attempt after an exponential back-off with jitter
(docs/notifications.md "Retries").
"""

from __future__ import annotations

import logging
import random
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

import requests

from . import signing
from .models import Delivery, Message, validate_webhook_url

logger = logging.getLogger(__name__)

# A claim older than this is taken to be a worker that died mid-attempt.
CLAIM_TIMEOUT = timedelta(minutes=5)
# Answers in the 4xx range that a later attempt may well change.
TRANSIENT_4XX = frozenset({408, 409, 425, 429})
USER_AGENT = "Casework-Webhooks/1"


def nominal_delay(attempt: int) -> float:
    """Seconds to wait after failed attempt `attempt` (1-based), before
    jitter: base × 2^(attempt-1), at most the cap."""
    base = settings.NOTIFICATIONS_RETRY_BASE_SECONDS
    cap = settings.NOTIFICATIONS_RETRY_MAX_DELAY_SECONDS
    return float(min(cap, base * 2 ** (attempt - 1)))


def backoff(attempt: int) -> float:
    """`nominal_delay` with ± NOTIFICATIONS_RETRY_JITTER of it at random, so
    that messages that failed together do not all come back together."""
    jitter = settings.NOTIFICATIONS_RETRY_JITTER
    return nominal_delay(attempt) * random.uniform(1 - jitter, 1 + jitter)  # noqa: S311


def schedule() -> list[float]:
    """The nominal waits between attempts (for the docs and the admin)."""
    attempts = settings.NOTIFICATIONS_RETRY_MAX_ATTEMPTS
    return [nominal_delay(n) for n in range(1, attempts)]


def _claim(message_id, now) -> bool:
    return bool(
        Message.objects.filter(pk=message_id, state=Message.State.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .filter(
            Q(next_attempt_at__isnull=True)
            | Q(next_attempt_at__lte=now + timedelta(seconds=1))
        )
        .update(claimed_at=now)
    )


def _post(hook, message, secret: str) -> tuple[int | None, str]:
    body = message.body.encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: message.event,
        signing.DELIVERY_HEADER: str(message.pk),
        signing.TIMESTAMP_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.signature(secret, timestamp, body),
    }
    try:
        response = requests.post(
            hook.url,
            data=body,
            headers=headers,
            timeout=(
                settings.NOTIFICATIONS_CONNECT_TIMEOUT,
                settings.NOTIFICATIONS_READ_TIMEOUT,
            ),
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return None, f"{type(exc).__name__}: {exc}"[:500]
    response.close()
    return response.status_code, ""


def attempt(message_id) -> str:
    """One attempt to deliver the message; the outcome's name, or "skipped"
    when it is not due, already delivered, or being sent by another worker."""
    now = timezone.now()
    if not _claim(message_id, now):
        return "skipped"
    message = Message.objects.select_related("webhook").get(pk=message_id)
    hook = message.webhook
    number = message.attempts + 1
    status_code, error, permanent = None, "", False
    started = time.monotonic()
    secret = hook.signing_secret()
    try:
        validate_webhook_url(hook.url)
    except ValidationError:
        error, permanent = "refused: the address is not https", True
    if not error and not hook.active:
        error, permanent = "refused: the webhook is inactive", True
    if not error and not secret:
        error = "no secret: set the environment variable " + (hook.secret_env or "")
    if not error:
        status_code, error = _post(hook, message, secret)
    duration_ms = int((time.monotonic() - started) * 1000)
    delivered = status_code is not None and 200 <= status_code < 300
    if status_code is not None and not delivered:
        error = error or f"HTTP {status_code}"
        if 400 <= status_code < 500 and status_code not in TRANSIENT_4XX:
            permanent = True
    finished = timezone.now()
    wait, next_at = None, None
    if delivered:
        outcome, state = Delivery.Outcome.DELIVERED, Message.State.DELIVERED
    elif permanent or number >= settings.NOTIFICATIONS_RETRY_MAX_ATTEMPTS:
        outcome, state = Delivery.Outcome.FAILED, Message.State.FAILED
    else:
        outcome, state = Delivery.Outcome.RETRY, Message.State.PENDING
        wait = backoff(number)
        next_at = finished + timedelta(seconds=wait)
    with transaction.atomic():
        Delivery.objects.create(
            message=message,
            attempt=number,
            at=finished,
            status_code=status_code,
            error=error,
            duration_ms=duration_ms,
            outcome=outcome,
            next_retry_at=next_at,
        )
        Message.objects.filter(pk=message.pk).update(
            attempts=number,
            state=state,
            next_attempt_at=next_at,
            claimed_at=None,
            delivered_at=finished if delivered else None,
        )
    if wait is not None:
        _schedule(message.pk, wait)
    if not delivered:
        logger.warning(
            "webhook %s: delivery %s attempt %s %s (%s)",
            hook.pk, message.pk, number, outcome, error,
        )  # fmt: skip
    return outcome


def _schedule(message_id, wait: float) -> None:
    """The next attempt, through the broker after `wait` seconds. Without a
    broker (tasks run eagerly: the demo) a retry would run at once and block;
    the message then waits for `manage.py notifications_retry`."""
    from .tasks import deliver

    if deliver.app.conf.task_always_eager:
        return
    deliver.apply_async((str(message_id),), countdown=wait)


def due_messages(now=None):
    """Pending messages whose attempt is overdue by more than a minute (their
    task lost with a worker or a broker restart) or that were never queued."""
    now = now or timezone.now()
    late = now - timedelta(minutes=1)
    return Message.objects.filter(state=Message.State.PENDING).filter(
        Q(next_attempt_at__lte=late)
        | Q(next_attempt_at__isnull=True, created_at__lte=late)
    )


def retry_due() -> int:
    """Queue the overdue messages again (beat, every few minutes; and
    `manage.py notifications_retry`); returns how many."""
    from .tasks import deliver

    count = 0
    for message_id in due_messages().values_list("pk", flat=True):
        deliver.delay(str(message_id))
        count += 1
    return count
