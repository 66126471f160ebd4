"""Who calls the API: OAuth2 client credentials (django-oauth-toolkit).

A token belongs to an `ApiClient`'s OAuth2 application; the request then acts
as the client's service account, a user with a membership of the client's
organisation and role, so every endpoint asks the decision point as the pages
do (docs/api.md, docs/access.md "Service accounts")."""

from django.utils.translation import gettext_lazy as _

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

SCOPE_MISSING = _("This client has no scope %(scope)s for this action.")


def client_of_application(application):
    """The active API client of an OAuth2 application, or None: one query,
    with its account and the account's membership and organisation."""
    from .models import ApiClient

    client = (
        ApiClient.objects.select_related("user__membership__organisation")
        .filter(application_id=application.pk)
        .first()
    )
    if client is None or not client.active or not client.user.is_active:
        return None
    return client


def prime_actor(client) -> None:
    """The service account's `Actor`, as `permissions.policy.actor_for` reads
    it (from its membership, a service account), from the rows just read, so
    the request asks nothing more about who it is."""
    from permissions.policy import Actor

    user = client.user
    membership = getattr(user, "membership", None)
    if membership is None:
        return
    user._casework_actor = Actor(
        user.pk,
        user.get_username(),
        membership.organisation_id,
        membership.organisation.name,
        membership.role,
        membership.organisation.kind,
        service_account=True,
    )


class ClientAuthentication(OAuth2Authentication):
    """A bearer token of an active client: the request acts as its service
    account. Sessions and passwords are never accepted here."""

    www_authenticate_realm = "casework"

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            return None
        _user, token = found
        application = token.application
        client = client_of_application(application) if application else None
        if client is None:
            request.oauth2_error = {"error": "invalid_token"}
            return None
        token.api_client = client
        prime_actor(client)
        return client.user, token


class HasScope(BasePermission):
    """The scope of the view's action (`required_scopes`: per HTTP method, or
    one for all), held by the token and still by the client (a beheerder may
    have taken it away since the token was issued)."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        client = getattr(token, "api_client", None)
        if client is None:
            return False
        scope = required_scope(view, request.method)
        if scope is None:
            return True
        if token.is_valid([scope]) and scope in client.scope_set:
            return True
        self.message = SCOPE_MISSING % {"scope": scope}
        return False


def required_scope(view, method: str) -> str | None:
    scopes = getattr(view, "required_scopes", None)
    if isinstance(scopes, dict):
        return scopes.get(method, scopes.get("*"))
    return scopes


class ClientThrottle(SimpleRateThrottle):
    """Requests per client (`API_RATE`, default 6000 a minute)."""

    scope = "client"

    def get_cache_key(self, request, view):
        client = getattr(request.auth, "api_client", None)
        if client is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}


class ClientScopes(BaseScopes):
    """A client is granted at most the scopes its beheerder gave it; without
    a scope in the token request, all of them."""

    def get_all_scopes(self):
        return oauth2_settings.SCOPES

    def _client_scopes(self, application):
        client = client_of_application(application) if application else None
        if client is None:
            return []
        return [s for s in client.scopes if s in oauth2_settings.SCOPES]

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return self._client_scopes(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        return self._client_scopes(application)


class ClientValidator(OAuth2Validator):
    """django-oauth-toolkit's validator, and an inactive client (or an
    application that is no client) gets no token: invalid_client."""

    def authenticate_client(self, request, *args, **kwargs):
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        return client_of_application(request.client) is not None
