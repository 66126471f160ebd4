"""Outgoing notifications (docs/notifications.md): webhooks per organisation,
the messages queued for them with one log row per delivery attempt, and the
e-mail each user asks for.

Nothing here holds case content: a message's body carries references, codes
and an API path (`events.payload`), never a title, a name or a summary.
"""

import os
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import events

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
TEST_SETTINGS = "casework.test_settings"


def plain_http_allowed() -> bool:
    """Plain http (to this machine only) in the demo and the tests; https
    everywhere else."""
    return settings.DEBUG or os.environ.get("DJANGO_SETTINGS_MODULE") == TEST_SETTINGS


def validate_webhook_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if (
        parts.scheme == "http"
        and parts.hostname in LOOPBACK_HOSTS
        and plain_http_allowed()
    ):
        return
    raise ValidationError(
        _("A webhook address must start with https://."), code="https_required"
    )


def validate_env_name(name: str) -> None:
    if name and not name.replace("_", "").isalnum():
        raise ValidationError(
            _("Give the name of an environment variable (letters, digits, _)."),
            code="env_name",
        )


class Webhook(models.Model):
    """One receiver of an organisation's notifications.

    The secret signs every delivery (HMAC-SHA256). It is either generated when
    the webhook is made and shown to the beheerder once (`secret`, stored so
    that deliveries can be signed: docs/notifications.md "The secret"), or read
    from the environment variable named in `secret_env` and never stored."""

    organisation = models.ForeignKey(
        "permissions.Organisation",
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("address (URL)"), max_length=500, validators=[validate_webhook_url]
    )
    secret = models.CharField(max_length=128, blank=True, editable=False)
    secret_env = models.CharField(
        _("secret from environment variable"),
        max_length=100,
        blank=True,
        validators=[validate_env_name],
        help_text=_(
            "Leave empty to have a secret generated and shown once. Otherwise "
            "the name of the environment variable that holds the secret on the "
            "server; it is then never stored."
        ),
    )
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"

    def clean(self) -> None:
        unknown = set(self.events or []) - set(events.EVENT_TYPES)
        if unknown:
            raise ValidationError({"events": _("Unknown event type.")})

    def signing_secret(self) -> str:
        """The secret deliveries are signed with; "" when none is configured
        (the delivery is then not sent, and the log says why)."""
        if self.secret_env:
            return os.environ.get(self.secret_env, "")
        return self.secret

    def wants(self, event_type: str) -> bool:
        return event_type in (self.events or [])


class Message(models.Model):
    """One event for one webhook: the body is fixed when the event happens and
    sent unchanged at every attempt; its id is the delivery id a receiver
    uses to recognise a repeat (`X-Casework-Delivery`)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("given up")

    id = models.UUIDField(_("delivery id"), primary_key=True, default=uuid.uuid4)
    event_id = models.UUIDField(_("event id"))
    webhook = models.ForeignKey(
        Webhook,
        on_delete=models.PROTECT,
        related_name="messages",
        verbose_name=_("webhook"),
    )
    event = models.CharField(_("event"), max_length=40)
    reference = models.CharField(_("reference"), max_length=30)
    body = models.TextField(_("body (JSON)"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Set while one worker sends it, so a task delivered twice by the broker
    # (Redis redelivers unacknowledged tasks) never sends it twice at once.
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook message")
        verbose_name_plural = _("webhook messages")
        # The log is read, never written, in the admin.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="message_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.reference} → {self.webhook_id}"


class Delivery(models.Model):
    """The log: one row per attempt to deliver a message."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("delivered")
        RETRY = "retry", _("failed, will retry")
        FAILED = "failed", _("failed, given up")

    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("message"),
    )
    attempt = models.PositiveIntegerField(_("attempt"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    next_retry_at = models.DateTimeField(_("next retry"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery log")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["message", "attempt"], name="one_delivery_per_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.attempt} {self.outcome}"


class EmailPreference(models.Model):
    """What a user asked to be mailed about (opt-in: no row, no mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    new_tasks = models.BooleanField(_("new tasks for my role"), default=False)
    deadlines_due = models.BooleanField(_("deadlines due"), default=False)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")

    def __str__(self) -> str:
        return str(self.user_id)
