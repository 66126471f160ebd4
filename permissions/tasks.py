"""Celery entry points of the permissions app (beat: casework/celery.py)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from celery import shared_task

from .models import Role
from .services import verify_access_log as verify

logger = logging.getLogger(__name__)


@shared_task(name="permissions.tasks.verify_access_log")
def verify_access_log() -> dict:
    """The nightly check of the access log. The outcome is recorded (the FG
    sees the newest on /audit/, a failure as an alert); a failure is also
    logged as an error and mailed to the active FG users with an address."""
    report = verify(record=True, checkpoint=True)
    first = report.first_problem
    if not report.ok:
        logger.error("access log verification failed: %s", report.summary())
        recipients = list(
            get_user_model()
            .objects.filter(is_active=True, membership__role=Role.FG)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if recipients:
            body = "\n".join(
                [report.summary(), ""] + [f"- {p}" for p in report.problems[:50]]
            )
            send_mail(
                "Casework: toegangslog gewijzigd / access log tampered with",
                body,
                getattr(settings, "DEFAULT_FROM_EMAIL", None),
                recipients,
            )
    return {
        "ok": report.ok,
        "rows_checked": report.rows_checked,
        "shards": report.shards,
        "problems": len(report.problems),
        "first_problem": str(first) if first else "",
    }
