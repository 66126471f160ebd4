"""The authentication backend of single sign-on (docs/sso.md).

mozilla-django-oidc's backend reads one provider from the settings; this one
is handed the provider the sign-in started with, reads its connection from
the model and its secret from the environment, and keeps mozilla's token
exchange, JWKS lookup and nonce check. What it adds:

* the ID token is RS256 only, and its issuer, audience, expiry and subject
  are verified (mozilla checks the signature and nonce, not `iss` or `aud`);
* the account is found by (provider, `sub`), never by e-mail address, so a
  provider cannot take over a local account or another provider's;
* organisation and role come from the beheerder's mapping on every sign-in:
  a subject whose claims map to nothing loses the membership it had, and is
  refused.
"""

import logging
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import (
    PermissionDenied,
    SuspiciousOperation,
    ValidationError,
)
from django.db import transaction
from django.utils import timezone

import jwt
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from permissions.models import Membership, Organisation
from permissions.services import membership_set

from .discovery import endpoints
from .mapping import claim_values, resolve
from .models import ExternalIdentity

logger = logging.getLogger(__name__)

BACKEND = "sso.backends.ProviderBackend"
SIGN_ALGO = "RS256"
# Seconds of clock difference allowed between the provider and this server.
LEEWAY = 60


class Refused(Exception):
    """A sign-in refused for a reason the person is told (sso/views.py)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ProviderAccountGuard:
    """Before Django's ModelBackend: an account made by a provider signs in
    only through it. Were it given a password (the beheerder's reset link
    gives one), it would outlive the person's account at the provider.

    Only `authenticate`: without `get_user` it is never a session's backend
    (Django's `force_login` takes the first backend that has one)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if (
            username
            and ExternalIdentity.objects.filter(user__username=username).exists()
        ):
            raise PermissionDenied
        return None


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Not mozilla's: it reads a single provider from the settings here.
        self.UserModel = get_user_model()

    # mozilla's returns inactive users too; Django's refuses them.
    get_user = ModelBackend.get_user

    def authenticate(
        self,
        request,
        provider=None,
        nonce=None,
        code_verifier=None,
        redirect_uri="",
        **kwargs,
    ):
        """The code flow's second half, for `provider` only: every other
        login (the password form) passes no provider and gets None."""
        code = request.GET.get("code") if request is not None else None
        if provider is None or not code:
            return None
        self.request = request
        self.configure(provider)
        token_info = self.get_token(
            {
                "client_id": self.OIDC_RP_CLIENT_ID,
                "client_secret": self.OIDC_RP_CLIENT_SECRET,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            }
        )
        id_token = token_info.get("id_token")
        if not id_token:
            raise SuspiciousOperation("The token response has no ID token.")
        payload = self.verify_token(id_token, nonce=nonce)
        self.store_tokens(token_info.get("access_token"), id_token)
        return self.get_or_create_user(
            token_info.get("access_token"), id_token, payload
        )

    def configure(self, provider) -> None:
        """The attributes mozilla's methods read, from the provider's row."""
        found = endpoints(provider)
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = found.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = found.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret()
        self.OIDC_RP_SIGN_ALGO = SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def _verify_jws(self, payload, key):
        """Signature (with the key the provider's JWKS names), issuer,
        audience, expiry; mozilla's leaves out the audience and issuer."""
        try:
            if jwt.get_unverified_header(payload).get("alg") != SIGN_ALGO:
                raise SuspiciousOperation(f"The token is not signed with {SIGN_ALGO}.")
            claims = jwt.decode(
                payload,
                key,
                algorithms=[SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=LEEWAY,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"The token is refused: {exc}") from exc
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1:
            if claims.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise SuspiciousOperation("The token was issued to another party.")
        return claims

    def verify_token(self, token, **kwargs):
        claims = super().verify_token(token, **kwargs)
        required = self.provider.required_acr
        if required and claims.get("acr") != required:
            logger.warning(
                "Single sign-on refused (acr %r, not %r): provider %s, subject %s",
                claims.get("acr"),
                required,
                self.provider.slug,
                claims.get("sub"),
            )
            raise Refused("acr")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if str(userinfo.get("sub")) != str(payload["sub"]):
            raise SuspiciousOperation("The userinfo is about another subject.")
        # The signed ID token wins where both name a claim.
        return sign_in(self.provider, {**userinfo, **payload})


def sign_in(provider, claims: dict):
    """The account of this subject, with the one membership the mapping
    gives, made or brought up to date; else the membership it had is
    removed and the sign-in refused."""
    subject = str(claims["sub"])
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    grants = resolve(provider, claims)
    if len(grants) != 1:
        reason = "unmapped" if not grants else "ambiguous"
        if identity is not None:
            Membership.objects.filter(user=identity.user).delete()
        logger.warning(
            "Single sign-on refused (%s): provider %s, subject %s, account %s, "
            "mapped claims %s",
            reason,
            provider.slug,
            subject,
            identity.user.get_username() if identity else "none",
            mapped_claims(provider, claims),
        )
        raise Refused(reason)
    (grant,) = grants
    organisation = Organisation.objects.get(pk=grant.organisation_id)
    try:
        with transaction.atomic():
            user = (
                identity.user if identity else create_account(provider, subject, claims)
            )
            user.first_name = str(claims.get("given_name") or user.first_name)[:150]
            user.last_name = str(claims.get("family_name") or user.last_name)[:150]
            user.email = str(claims.get("email") or user.email)[:254]
            user.save(update_fields=["first_name", "last_name", "email"])
            membership_set(user=user, organisation=organisation, role=grant.role)
            ExternalIdentity.objects.filter(provider=provider, subject=subject).update(
                last_sign_in=timezone.now()
            )
    except ValidationError as exc:
        if exc.code != "organisation_with_teams":
            raise
        # The mapping now gives another organisation than the account's case
        # teams name (permissions.services.membership_refusal): the account
        # keeps its membership and its teams; nothing of this sign-in stays.
        logger.warning(
            "Single sign-on refused (organisation): provider %s, subject %s, "
            "account %s is on case teams for another organisation than the "
            "mapped one (%s)",
            provider.slug,
            subject,
            identity.user.get_username() if identity else "none",
            organisation.name,
        )
        raise Refused("organisation") from exc
    logger.info(
        "Single sign-on: %s via %s as %s",
        user.get_username(),
        provider.slug,
        grant.role,
    )
    return user


def mapped_claims(provider, claims: dict) -> dict:
    """The values of the claims the mappings look at: what the beheerder
    needs to see why a person matched nothing."""
    names = provider.mappings.values_list("claim", flat=True).distinct()
    return {name: sorted(claim_values(claims, name)) for name in sorted(names)}


def create_account(provider, subject: str, claims: dict):
    """A new account without a password: it signs in only through its
    provider. Its username is the provider's slug and the person's
    preferred username (or subject), made unique."""
    User = get_user_model()
    local = str(claims.get("preferred_username") or subject)
    base = (provider.slug + "." + re.sub(r"[^\w.@+-]", "", local))[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    user = User.objects.create_user(username)
    ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
    return user
