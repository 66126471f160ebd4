"""Celery tasks of the notifications: one delivery attempt, one e-mail, and
the beat entry that queues overdue messages again (docs/notifications.md)."""

from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail as django_send_mail

from celery import shared_task

from . import delivery


@shared_task(name="notifications.tasks.deliver", ignore_result=True)
def deliver(message_id: str) -> str:
    """One attempt to deliver a webhook message (`delivery.attempt`); it
    schedules the next one itself when this one fails."""
    return delivery.attempt(message_id)


@shared_task(
    name="notifications.tasks.send_mail",
    ignore_result=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=True,
    max_retries=5,
)
def send_mail(to: str, subject: str, body: str) -> None:
    """One notification e-mail (its text holds no case content, `mail.py`)."""
    django_send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@shared_task(name="notifications.tasks.retry_due")
def retry_due() -> int:
    """Beat: queue the messages whose attempt is overdue again."""
    return delivery.retry_due()
