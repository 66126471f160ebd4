"""The beheerder creates and changes API clients in the admin
(docs/api.md "Clients"): the secret is shown once and stored hashed; a role
the organisation's people do not have is refused at the field."""

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import TestCase

from api.models import ApiClient
from permissions.models import Membership, Organisation, Role
from tests.factories import OrganisationFactory, UserFactory


class ApiClientAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie = OrganisationFactory(
            name="Politie", kind=Organisation.Kind.POLITIE
        )
        cls.beheerder = UserFactory(
            username="beheerder", role=Role.BEHEERDER, organisation=cls.gemeente
        )
        cls.beheerder.is_staff = True
        cls.beheerder.save()
        cls.beheerder.user_permissions.set(
            Permission.objects.filter(
                codename__in=["view_apiclient", "add_apiclient", "change_apiclient"]
            )
        )

    def setUp(self):
        self.client.force_login(self.beheerder)

    def add(self, **data):
        body = {
            "name": "politie-bvh", "organisation": self.politie.pk,
            "role": Role.PARTNER, "scopes": ["signals:write", "cases:read"],
            "active": "on", **data,
        }  # fmt: skip
        return self.client.post("/admin/api/apiclient/add/", body, follow=True)

    def test_the_beheerder_creates_a_client_and_sees_its_secret_once(self):
        response = self.add()
        self.assertEqual(response.status_code, 200)
        client = ApiClient.objects.get()
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        secret_line = next(m for m in shown if client.application.client_id in m)
        secret = secret_line.split(": ")[2].split(".")[0]
        self.assertNotIn(secret, client.application.client_secret)  # hashed
        self.assertEqual(client.scopes, ["signals:write", "cases:read"])
        membership = Membership.objects.get(user=client.user)
        self.assertEqual((membership.organisation, membership.role),
                         (self.politie, Role.PARTNER))  # fmt: skip
        self.assertFalse(client.user.has_usable_password())
        page = self.client.get(f"/admin/api/apiclient/{client.pk}/change/")
        self.assertNotContains(page, secret)

    def test_a_role_of_another_kind_of_organisation_is_refused(self):
        response = self.add(role=Role.JURIST)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ApiClient.objects.exists())
        self.assertIn("role", response.context["adminform"].form.errors)

    def test_deactivating_turns_the_account_off(self):
        self.add()
        client = ApiClient.objects.get()
        self.client.post(
            f"/admin/api/apiclient/{client.pk}/change/",
            {"role": Role.PARTNER, "scopes": ["cases:read"]},
        )
        client.refresh_from_db()
        client.user.refresh_from_db()
        self.assertFalse(client.active)
        self.assertFalse(client.user.is_active)
        self.assertEqual(client.scopes, ["cases:read"])

    def test_the_schema_and_its_page_are_public(self):
        self.client.logout()
        schema = self.client.get("/api/schema/", HTTP_ACCEPT="application/json")
        self.assertEqual(schema.status_code, 200)
        self.assertIn("/api/v1/cases/", schema.json()["paths"])
        page = self.client.get("/api/docs/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "/api/v1/signals/")
        self.assertNotContains(page, "cdn.")
