"""What the single sign-on tests share: the provider process (tests/sso/oidc.py),
Casework's side of it — an organisation's provider with its mappings, its
client registered at the provider, its secret in the environment — and one
sign-in driven over real HTTP."""

import os
from unittest import mock
from urllib.parse import urlsplit

from permissions.models import Organisation, Role
from sso.models import ClaimMapping, IdentityProvider
from tests.factories import OrganisationFactory

from . import oidc

SECRET = "casework-gemeente-client-secret"
CLIENT_ID = "casework-gemeente"
POLITIE = "politie-limburg"
POLITIE_CLIENT_ID = "casework-politie-limburg"
POLITIE_SECRET = "casework-politie-limburg-client-secret"


def callback_uri(base: str, slug: str) -> str:
    return f"{base}/accounts/login/oidc/{slug}/callback/"


class ProviderMixin:
    """For a django TestCase (base "http://testserver") or a live server."""

    base_url = "http://testserver"

    @classmethod
    def setUpClass(cls):
        cls.provider = oidc.provider()
        super().setUpClass()

    @classmethod
    def make_organisations_and_provider(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        cls.belastingdienst = OrganisationFactory(
            name="Belastingdienst Zuid", kind=Organisation.Kind.BELASTINGDIENST
        )
        cls.idp = IdentityProvider.objects.create(
            organisation=cls.gemeente,
            slug="gemeente",
            name="Gemeente Venlo",
            issuer=cls.provider.issuer,
            client_id=CLIENT_ID,
        )
        # The police's own provider (the same test process, another client):
        # the municipality's may not sign in police officers (sso.mapping).
        cls.politie_idp = IdentityProvider.objects.create(
            organisation=cls.politie,
            slug=POLITIE,
            name="Politie Eenheid Limburg",
            issuer=cls.provider.issuer,
            client_id=POLITIE_CLIENT_ID,
        )
        for idp, claim, value, organisation, role in (
            (cls.idp, "role", "handhaving", cls.gemeente, Role.JURIST),
            (cls.idp, "role", "toezicht", cls.gemeente, Role.TOEZICHT),
            (cls.politie_idp, "groups", "politie-liaison", cls.politie, Role.PARTNER),
            (cls.idp, "groups", "bibob", cls.gemeente, Role.BIBOB),
        ):
            ClaimMapping.objects.create(
                provider=idp,
                claim=claim,
                value=value,
                organisation=organisation,
                role=role,
            )

    def setUp(self):
        super().setUp()
        self.provider.put_client(
            CLIENT_ID,
            SECRET,
            [callback_uri(self.base_url, "gemeente")],
            [self.base_url + "/accounts/login/"],
        )
        self.provider.put_client(
            POLITIE_CLIENT_ID, POLITIE_SECRET, [callback_uri(self.base_url, POLITIE)]
        )
        patcher = mock.patch.dict(
            os.environ,
            {
                "SSO_GEMEENTE_CLIENT_SECRET": SECRET,
                "SSO_POLITIE_LIMBURG_CLIENT_SECRET": POLITIE_SECRET,
            },
        )
        patcher.start()
        self.addCleanup(patcher.stop)

    # One sign-in, the test client playing the browser on Casework's side.

    def start(self, slug="gemeente", next_url=""):
        query = f"?next={next_url}" if next_url else ""
        response = self.client.get(f"/accounts/login/oidc/{slug}/{query}")
        self.assertEqual(response.status_code, 302, response.content[:500])
        return response["Location"]

    def back_from_provider(self, authorize_url, username):
        """The URL the provider sends the browser back to, as a local path."""
        back = urlsplit(self.provider.authorize(authorize_url, username))
        return f"{back.path}?{back.query}"

    def sign_in(self, username, claims, tamper=None, slug="gemeente"):
        self.provider.put_user(username, claims, tamper)
        return self.client.get(self.back_from_provider(self.start(slug), username))
