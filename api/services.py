"""Making and changing API clients (the beheerder's admin, the demo, the
benchmark): the OAuth2 application, the service account and its membership
together, in one transaction."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from oauth2_provider.generators import generate_client_id, generate_client_secret
from oauth2_provider.models import get_application_model

from permissions.models import Membership

from .models import SCOPES, ApiClient, client_roles

ROLE_NOT_OF_KIND = _("A client of %(organisation)s cannot act as %(role)s.")
UNKNOWN_SCOPE = _("Unknown scope: %(scope)s.")


def check_client(organisation, role: str, scopes) -> None:
    """Refuse a role its organisation's people do not have, or an unknown
    scope (the admin form shows it at the field)."""
    if role not in client_roles(organisation.kind):
        raise ValidationError(
            {"role": ROLE_NOT_OF_KIND % {"organisation": organisation, "role": role}}
        )
    for scope in scopes:
        if scope not in SCOPES:
            raise ValidationError({"scopes": UNKNOWN_SCOPE % {"scope": scope}})


@transaction.atomic
def client_create(
    *, name: str, organisation, role: str, scopes, secret: str = ""
) -> tuple[ApiClient, str]:
    """A new client: (client, its secret). The secret is returned once and
    stored only hashed (django-oauth-toolkit); `secret` sets it (the demo
    from the environment), else it is drawn at random."""
    scopes = list(dict.fromkeys(scopes))
    check_client(organisation, role, scopes)
    User = get_user_model()  # noqa: N806
    user = User(username=f"api-{slugify(name)}"[:150], first_name=name[:150])
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role)
    secret = secret or generate_client_secret()
    application = get_application_model().objects.create(
        name=name,
        client_id=generate_client_id(),
        client_secret=secret,
        client_type="confidential",
        authorization_grant_type="client-credentials",
        hash_client_secret=True,
    )
    client = ApiClient.objects.create(
        name=name,
        organisation=organisation,
        role=role,
        scopes=scopes,
        application=application,
        user=user,
    )
    return client, secret


@transaction.atomic
def client_change(client: ApiClient, *, role: str, scopes, active: bool) -> ApiClient:
    """Change a client's role, scopes or active flag; its account follows
    (an inactive client's account is inactive too; its tokens stop working
    at once, api.auth)."""
    scopes = list(dict.fromkeys(scopes))
    check_client(client.organisation, role, scopes)
    client.role, client.scopes, client.active = role, scopes, active
    client.save(update_fields=["role", "scopes", "active"])
    Membership.objects.filter(user=client.user).update(role=role)
    client.user.is_active = active
    client.user.save(update_fields=["is_active"])
    return client
