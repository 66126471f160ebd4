"""Identity providers, the mapping from their claims to a membership, and the
link between a provider's subject and a Casework account (docs/sso.md).

A provider's connection (issuer, endpoints, client id) is the operator's:
`manage.py sso_provider` sets it, and its client secret never leaves the
environment (`SSO_<SLUG>_CLIENT_SECRET`). The beheerder names the provider,
switches it on and off, and maintains its claim mappings in the admin.
"""

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from permissions.models import Organisation, Role

# The operator's part of a provider (`manage.py sso_provider`), read-only
# in the admin: the client secret goes to the token endpoint.
CONNECTION_FIELDS = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
    "client_id",
    "scopes",
    "required_acr",
)


class IdentityProvider(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="identity_providers",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(
        _("slug"),
        unique=True,
        help_text=_("In the sign-in and redirect URLs; fixed once made."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_('Shown as "Log in with <name>".')
    )
    issuer = models.URLField(_("issuer"), max_length=300)
    # Blank endpoints are read from the issuer's discovery document.
    authorization_endpoint = models.URLField(
        _("authorization endpoint"), max_length=300, blank=True
    )
    token_endpoint = models.URLField(_("token endpoint"), max_length=300, blank=True)
    userinfo_endpoint = models.URLField(
        _("userinfo endpoint"), max_length=300, blank=True
    )
    jwks_uri = models.URLField(_("JWKS URI"), max_length=300, blank=True)
    end_session_endpoint = models.URLField(
        _("end-session endpoint"), max_length=300, blank=True
    )
    client_id = models.CharField(_("client id"), max_length=200)
    scopes = models.CharField(
        _("scopes"), max_length=200, default="openid email profile"
    )
    # The provider asks its own second factor (docs/sso.md): where it says so
    # in the ID token's `acr`, a token without this value is refused.
    required_acr = models.CharField(
        _("required acr"),
        max_length=200,
        blank=True,
        help_text=_("If set, an ID token must carry this acr value."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")

    def __str__(self) -> str:
        return self.name

    @property
    def secret_variable(self) -> str:
        """The environment variable of the client secret, derived from the
        slug so that no one can point it at another secret of the server."""
        return "SSO_" + re.sub(r"[^A-Z0-9]", "_", self.slug.upper()) + "_CLIENT_SECRET"

    def client_secret(self) -> str:
        """From the environment, or the file named by the variable + _FILE."""
        path = os.environ.get(self.secret_variable + "_FILE")
        if path:
            return Path(path).read_text().strip()
        return os.environ.get(self.secret_variable, "")


class ClaimMapping(models.Model):
    """One claim value that makes a member of an organisation with a role.

    A claim holding a list (`groups`) matches when the value is in it."""

    provider = models.ForeignKey(
        IdentityProvider,
        on_delete=models.CASCADE,
        related_name="mappings",
        verbose_name=_("identity provider"),
    )
    claim = models.CharField(_("claim"), max_length=100)
    value = models.CharField(_("value"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="claim_mappings",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["provider", "claim", "value"]
        verbose_name = _("claim mapping")
        verbose_name_plural = _("claim mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "claim", "value"], name="one_mapping_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim}={self.value} → {self.organisation}, {self.role}"

    def clean(self):
        from .mapping import MAPPABLE_ROLES

        if self.role and self.role not in MAPPABLE_ROLES:
            raise ValidationError(
                {"role": _("This role is granted only by the operator.")}
            )
        if (
            self.organisation_id
            and self.provider_id
            and self.organisation.kind != self.provider.organisation.kind
        ):
            raise ValidationError(
                {
                    "organisation": _(
                        "A provider signs in people of its own kind of "
                        "organisation only."
                    )
                }
            )


class ExternalIdentity(models.Model):
    """The account of one subject (`sub`) at one provider: accounts are found
    by this pair, never by e-mail address or username."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.PROTECT, related_name="identities"
    )
    subject = models.CharField(max_length=255)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identity",
    )
    last_sign_in = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="one_account_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider.slug}:{self.subject}"
