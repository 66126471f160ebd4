"""The beheerder's side of single sign-on: names, switches and maps a
provider in the admin, but cannot change where its client secret is sent nor
map anyone to a role it could not give in the user admin; the operator's
`sso_provider` command sets the connection."""

from io import StringIO

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse

from permissions.models import Organisation, Role
from sso.demo import BEHEERDER_PERMISSIONS
from sso.models import ClaimMapping, IdentityProvider
from tests.factories import OrganisationFactory, UserFactory


class BeheerderAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.beheerder = UserFactory(
            username="beheerder", role=Role.BEHEERDER, organisation=cls.gemeente
        )
        cls.beheerder.is_staff = True
        cls.beheerder.save()
        cls.beheerder.user_permissions.set(
            Permission.objects.filter(codename__in=BEHEERDER_PERMISSIONS)
        )
        cls.idp = IdentityProvider.objects.create(
            organisation=cls.gemeente,
            slug="gemeente",
            name="Gemeente Venlo",
            issuer="https://login.venlo.example/realms/medewerkers",
            client_id="casework",
        )

    def setUp(self):
        self.client.force_login(self.beheerder)

    def change(self, **data):
        body = {
            "name": self.idp.name,
            "active": "on",
            "mappings-TOTAL_FORMS": "1",
            "mappings-INITIAL_FORMS": "0",
            "mappings-MIN_NUM_FORMS": "0",
            "mappings-MAX_NUM_FORMS": "1000",
            "mappings-0-claim": "",
            "mappings-0-value": "",
            "mappings-0-organisation": "",
            "mappings-0-role": "",
        }
        body.update(data)
        url = reverse("admin:sso_identityprovider_change", args=[self.idp.pk])
        return self.client.post(url, body)

    def test_name_and_active_change_the_connection_does_not(self):
        response = self.change(
            name="Gemeente Venlo (medewerkers)",
            active="",
            issuer="https://evil.example",
            token_endpoint="https://evil.example/token",
            slug="andere",
        )
        self.assertEqual(response.status_code, 302)
        self.idp.refresh_from_db()
        self.assertEqual(self.idp.name, "Gemeente Venlo (medewerkers)")
        self.assertFalse(self.idp.active)
        self.assertEqual(
            self.idp.issuer, "https://login.venlo.example/realms/medewerkers"
        )
        self.assertEqual(self.idp.token_endpoint, "")
        self.assertEqual(self.idp.slug, "gemeente")

    def test_the_page_shows_redirect_uri_and_secret_variable(self):
        url = reverse("admin:sso_identityprovider_change", args=[self.idp.pk])
        response = self.client.get(url)
        self.assertContains(response, "/accounts/login/oidc/gemeente/callback/")
        self.assertContains(response, "SSO_GEMEENTE_CLIENT_SECRET")

    def test_no_provider_is_added_or_deleted_here(self):
        response = self.client.get(reverse("admin:sso_identityprovider_add"))
        self.assertEqual(response.status_code, 403)
        url = reverse("admin:sso_identityprovider_delete", args=[self.idp.pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(IdentityProvider.objects.filter(pk=self.idp.pk).exists())

    def test_a_mapping_is_added(self):
        response = self.change(
            **{
                "mappings-0-claim": "groups",
                "mappings-0-value": "handhaving",
                "mappings-0-organisation": str(self.gemeente.pk),
                "mappings-0-role": Role.JURIST,
            }
        )
        self.assertEqual(response.status_code, 302)
        mapping = ClaimMapping.objects.get()
        self.assertEqual((mapping.claim, mapping.role), ("groups", Role.JURIST))

    def test_no_mapping_to_a_privileged_role(self):
        for role in (Role.FG, Role.BEHEERDER):
            with self.subTest(role=role):
                response = self.change(
                    **{
                        "mappings-0-claim": "groups",
                        "mappings-0-value": "admins",
                        "mappings-0-organisation": str(self.gemeente.pk),
                        "mappings-0-role": role,
                    }
                )
                self.assertEqual(response.status_code, 200)  # the form again
                self.assertFalse(ClaimMapping.objects.exists())

    def test_the_model_refuses_a_privileged_role_too(self):
        mapping = ClaimMapping(
            provider=self.idp,
            claim="groups",
            value="x",
            organisation=self.gemeente,
            role=Role.FG,
        )
        with self.assertRaises(ValidationError):
            mapping.full_clean()

    def test_no_mapping_to_another_kind_of_organisation(self):
        politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        response = self.change(
            **{
                "mappings-0-claim": "groups",
                "mappings-0-value": "politie-liaison",
                "mappings-0-organisation": str(politie.pk),
                "mappings-0-role": Role.PARTNER,
            }
        )
        self.assertContains(response, "eigen soort organisatie")
        self.assertFalse(ClaimMapping.objects.exists())


class ProviderCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(name="Gemeente Venlo")

    def run_command(self, *args):
        out = StringIO()
        call_command("sso_provider", *args, stdout=out)
        return out.getvalue()

    def test_creates_then_changes_a_provider(self):
        out = self.run_command(
            "gemeente-venlo",
            "--organisation", "Gemeente Venlo",
            "--name", "Gemeente Venlo",
            "--issuer", "https://login.venlo.example",
            "--client-id", "casework",
        )  # fmt: skip
        self.assertIn("SSO_GEMEENTE_VENLO_CLIENT_SECRET", out)
        provider = IdentityProvider.objects.get(slug="gemeente-venlo")
        self.assertEqual(provider.organisation, self.gemeente)
        self.assertTrue(provider.active)
        self.run_command("gemeente-venlo", "--no-active", "--required-acr", "mfa")
        provider.refresh_from_db()
        self.assertFalse(provider.active)
        self.assertEqual(provider.required_acr, "mfa")
        self.assertEqual(provider.client_id, "casework")

    def test_bad_input_changes_nothing(self):
        for args in (
            ("x", "--organisation", "Nergens", "--name", "X"),
            ("x", "--organisation", "Gemeente Venlo", "--issuer", "geen-url"),
        ):
            with self.subTest(args=args), self.assertRaises(CommandError) as caught:
                self.run_command(*args)
            self.assertEqual(caught.exception.returncode, 2)
        self.assertFalse(IdentityProvider.objects.exists())
