"""Sign-in through an organisation's identity provider (docs/sso.md).

mozilla-django-oidc's views serve the one provider of the settings; these
take the provider from the URL (`/accounts/login/oidc/<slug>/`, under the
login page's public prefix) and give each its own redirect URI, so a code
or a state can only come back to the provider that was asked. The state
entry in the session names its provider; the code flow uses PKCE (S256) and
a nonce. Every refusal is logged and shown as a Dutch page.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render, resolve_url
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.views.generic import View

import requests
from mozilla_django_oidc.utils import (
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    get_next_url,
)

from .backends import BACKEND, ProviderBackend, Refused
from .discovery import endpoints
from .models import IdentityProvider

logger = logging.getLogger(__name__)

# What the person is told, by reason (templates/sso/refused.html), and the
# status of the answer.
STATUS = {
    "unmapped": 403,
    "ambiguous": 403,
    "organisation": 403,
    "inactive": 403,
    "acr": 403,
    "state": 400,
    "token": 400,
    "provider": 400,
    "unavailable": 503,
}
SESSION_PROVIDER = "sso_provider"
FAILURES = (
    SuspiciousOperation,
    ImproperlyConfigured,
    requests.RequestException,
    ValueError,
    KeyError,
)


def active_provider(slug: str) -> IdentityProvider:
    """An unknown or switched-off provider is a 404, also for a sign-in
    that started before it was switched off."""
    return get_object_or_404(IdentityProvider, slug=slug, active=True)


def callback_url(request, provider) -> str:
    return request.build_absolute_uri(reverse("sso_callback", args=[provider.slug]))


def refused(request, provider, reason: str):
    if request.user.is_authenticated:
        auth.logout(request)
    context = {"provider": provider, "reason": reason}
    return render(request, "sso/refused.html", context, status=STATUS[reason])


class ProviderLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint."""

    def __init__(self, **kwargs):
        # Not mozilla's: it reads a single provider from the settings here.
        View.__init__(self, **kwargs)

    def get(self, request, slug):
        provider = active_provider(slug)
        try:
            authorization_endpoint = endpoints(provider).authorization_endpoint
        except (ImproperlyConfigured, requests.RequestException, ValueError):
            logger.exception("Single sign-on: provider %s unreachable", provider.slug)
            return refused(request, provider, "unavailable")
        if not provider.client_secret():
            logger.error(
                "Single sign-on: %s is not set for provider %s",
                provider.secret_variable,
                provider.slug,
            )
            return refused(request, provider, "unavailable")
        state = get_random_string(32)
        verifier = get_random_string(64)
        params = {
            "response_type": "code",
            "scope": provider.scopes,
            "client_id": provider.client_id,
            "redirect_uri": callback_url(request, provider),
            "state": state,
            "nonce": get_random_string(32),
            "code_challenge": generate_code_challenge(verifier, "S256"),
            "code_challenge_method": "S256",
        }
        add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
        request.session["oidc_states"][state]["provider"] = provider.slug
        request.session["oidc_login_next"] = get_next_url(request, "next")
        request.session.modified = True
        separator = "&" if "?" in authorization_endpoint else "?"
        return HttpResponseRedirect(
            authorization_endpoint + separator + urlencode(params)
        )


class ProviderCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: the state must be one this session started
    with this provider (used once), then the backend exchanges the code and
    verifies the tokens."""

    def get(self, request, slug):
        provider = active_provider(slug)
        state = request.GET.get("state", "")
        entry = (request.session.get("oidc_states") or {}).pop(state, None)
        request.session.modified = True
        if entry is None or entry.get("provider") != provider.slug:
            logger.warning("Single sign-on refused (state): provider %s", slug)
            return refused(request, provider, "state")
        if request.GET.get("error") or not request.GET.get("code"):
            logger.warning(
                "Single sign-on refused (provider error %s): provider %s",
                request.GET.get("error", "no code")[:100],
                slug,
            )
            return refused(request, provider, "provider")
        try:
            user = ProviderBackend().authenticate(
                request,
                provider=provider,
                nonce=entry.get("nonce"),
                code_verifier=entry.get("code_verifier"),
                redirect_uri=callback_url(request, provider),
            )
        except Refused as exc:
            return refused(request, provider, exc.reason)
        except FAILURES as exc:
            logger.warning("Single sign-on refused (token): provider %s: %s", slug, exc)
            return refused(request, provider, "token")
        if not user.is_active:
            logger.warning(
                "Single sign-on refused (inactive): %s via %s", user.username, slug
            )
            return refused(request, provider, "inactive")
        user.backend = BACKEND
        self.user = user
        response = self.login_success()
        request.session[SESSION_PROVIDER] = provider.slug
        return response


def provider_logout_url(request) -> str:
    """Where the logout sends a provider's session: the provider's
    end-session endpoint (RP-initiated logout) when it has one, so the
    person is signed out there too; else the login page
    (OIDC_OP_LOGOUT_URL_METHOD)."""
    after = resolve_url(settings.LOGOUT_REDIRECT_URL)
    slug = request.session.get(SESSION_PROVIDER)
    provider = IdentityProvider.objects.filter(slug=slug).first() if slug else None
    if provider is None:
        return after
    try:
        end_session = endpoints(provider).end_session_endpoint
    except (ImproperlyConfigured, requests.RequestException, ValueError):
        return after
    if not end_session:
        return after
    params = {
        "client_id": provider.client_id,
        "post_logout_redirect_uri": request.build_absolute_uri(after),
    }
    if request.session.get("oidc_id_token"):
        params["id_token_hint"] = request.session["oidc_id_token"]
    separator = "&" if "?" in end_session else "?"
    return end_session + separator + urlencode(params)
