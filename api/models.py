"""The partner API's own tables (docs/api.md): its clients and the
attachments that come with the signals they submit."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permissions.models import Organisation, Role

# Scopes, one per action (docs/api.md "Scopes").
SCOPES = {
    "signals:write": _("Submit signals"),
    "signals:read": _("Read the status of the organisation's signals"),
    "cases:read": _("Read cases"),
    "tasks:read": _("Read the organisation's open tasks"),
    "tasks:write": _("Complete partner tasks"),
    "deadlines:read": _("Read deadlines"),
    "documents:read": _("Read and download documents"),
}

# The roles a client acts in, per kind of organisation: those its people
# have. Never the FG or the beheerder.
MUNICIPAL_ROLES = (
    Role.BURGEMEESTER, Role.JURIST, Role.BIBOB, Role.COORDINATOR,
    Role.CASUSREGISSEUR, Role.TOEZICHT, Role.INVORDERING, Role.VERGUNNING,
)  # fmt: skip
CLIENT_ROLES = {
    Organisation.Kind.GEMEENTE: MUNICIPAL_ROLES,
    Organisation.Kind.ZVH: (Role.CASUSREGISSEUR, Role.PARTNER),
    Organisation.Kind.RIEC: (Role.PARTNER, Role.CASUSREGISSEUR),
}


def client_roles(kind: str) -> tuple[str, ...]:
    """The roles a client of an organisation of this kind may act in."""
    return CLIENT_ROLES.get(kind, (Role.PARTNER,))


class ApiClient(models.Model):
    """A partner system that calls the API: an OAuth2 application (client
    credentials, confidential) and the service account it acts as, a user
    with a membership of its organisation in its role and no password."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    scopes = models.JSONField(_("scopes"), default=list)
    active = models.BooleanField(_("active"), default=True)
    application = models.OneToOneField(
        "oauth2_provider.Application",
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("OAuth2 application"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("service account"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_set(self) -> frozenset:
        return frozenset(self.scopes)


class SignalAttachment(models.Model):
    """A file that came with a signal submitted through the API, stored once
    and read by whoever reads the signal."""

    signal = models.ForeignKey(
        "casework.Signal", on_delete=models.CASCADE, related_name="api_attachments"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("content"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signal attachment")
        verbose_name_plural = _("signal attachments")
        ordering = ["signal", "id"]

    def __str__(self) -> str:
        return self.filename
