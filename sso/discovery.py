"""A provider's endpoints: as configured, else from the issuer's discovery
document (OpenID Connect Discovery 1.0), kept in the cache for an hour."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

import requests

FIELDS = (
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)
REQUIRED = FIELDS[:4]
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Endpoints:
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def discover(issuer: str) -> dict:
    """The issuer's discovery document; its `issuer` must be the one asked
    for (Discovery §4.3), else a provider could speak for another."""
    key = "sso:discovery:" + issuer
    document = cache.get(key)
    if document is None:
        response = requests.get(
            discovery_url(issuer),
            timeout=settings.OIDC_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != issuer:
            raise ImproperlyConfigured(
                f"The discovery document of {issuer} names the issuer "
                f"{document.get('issuer')!r}."
            )
        cache.set(key, document, CACHE_SECONDS)
    return document


def endpoints(provider) -> Endpoints:
    configured = {name: getattr(provider, name) for name in FIELDS}
    if not all(configured[name] for name in REQUIRED):
        document = discover(provider.issuer)
        for name in FIELDS:
            configured[name] = configured[name] or document.get(name, "")
        missing = [name for name in REQUIRED if not configured[name]]
        if missing:
            raise ImproperlyConfigured(
                f"{provider.slug}: no {', '.join(missing)} configured or discovered."
            )
    return Endpoints(**configured)
