"""Partner tasks through the API (docs/api.md "Tasks"): confirming the
organisation's slot on a planned visit and recording its findings, by the
integrale controle's own services, so its rules refuse as on the pages."""

import base64

from api.services import client_create
from permissions.models import CaseAccess, Organisation, Role
from permissions.services import team_add
from tests.factories import OrganisationFactory
from tests.workflows.test_controle import ControleTestCase
from workflows.controle.models import Finding, PartnerSlot

SCOPES = ["cases:read", "tasks:read", "tasks:write"]
PROBLEM = "application/problem+json"
JSON = "application/json"


class ApiTaskTests(ControleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.om_org = OrganisationFactory(name="OM", kind=Organisation.Kind.OM)
        cls.police, cls.police_secret = client_create(
            name="politie", organisation=cls.politie, role=Role.PARTNER, scopes=SCOPES
        )
        cls.tax, cls.tax_secret = client_create(
            name="belasting", organisation=cls.belastingdienst, role=Role.PARTNER,
            scopes=SCOPES,
        )  # fmt: skip
        cls.om, cls.om_secret = client_create(
            name="om", organisation=cls.om_org, role=Role.PARTNER, scopes=SCOPES
        )

    def bearer(self, client, secret) -> dict:
        auth = base64.b64encode(f"{client.application.client_id}:{secret}".encode())
        response = self.client.post(
            "/api/oauth/token/", {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=f"Basic {auth.decode()}",
        )  # fmt: skip
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}

    def planned_case(self):
        case = self.new_case()
        for name in ("start_triage", "select", "check_entry"):
            case = self.step(case, name, self.coordinator)
        self.plan(case, confirm=False)
        return case

    def test_the_slot_to_confirm_is_a_task_and_the_controles_rule_decides(self):
        case = self.planned_case()
        headers = self.bearer(self.tax, self.tax_secret)
        tasks = self.client.get("/api/v1/tasks/", **headers).json()
        self.assertEqual([t["kind"] for t in tasks], ["confirm_slot"])
        self.assertEqual(tasks[0]["case"], case.reference)
        # The police have no slot on this visit: no task, and the slot's
        # address refuses them (slot_confirm: own organisation only).
        police = self.bearer(self.police, self.police_secret)
        self.assertEqual(self.client.get("/api/v1/tasks/", **police).json(), [])
        response = self.client.post(tasks[0]["url"], content_type=JSON, **police)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["Content-Type"], PROBLEM)
        # slot_confirm asks the decision point whether the caller is on the
        # team: the client is, through its organisation's team row
        # (ORGANISATION_TEAM), without an account of its own on the team.
        self.assertFalse(case.access.filter(user=self.tax.user).exists())
        response = self.client.post(tasks[0]["url"], content_type=JSON, **headers)
        self.assertEqual(response.status_code, 200, response.content)
        self.assertTrue(response.json()["confirmed"])
        self.assertTrue(PartnerSlot.objects.get(pk=response.json()["id"]).confirmed)
        self.assertEqual(self.client.get("/api/v1/tasks/", **headers).json(), [])
        # An organisation with nobody on the team does not see the case: 404.
        om = self.bearer(self.om, self.om_secret)
        self.assertEqual(
            self.client.post(tasks[0]["url"], content_type=JSON, **om).status_code, 404
        )

    def test_findings_are_recorded_in_the_organisations_compartment(self):
        case = self.planned_case()
        police = self.bearer(self.police, self.police_secret)
        url = f"/api/v1/cases/{case.reference}/findings/"
        early = self.client.post(
            url, {"text": "Te vroeg"}, content_type="application/json", **police
        )
        self.assertEqual(early.status_code, 422, early.content)
        self.assertEqual(early["Content-Type"], PROBLEM)
        slot = PartnerSlot.objects.get(visit__case=case)
        team_add(
            case=case, user=self.tax.user, team_role=CaseAccess.TeamRole.CONTRIBUTOR
        )
        from workflows.controle.models import slot_confirm

        slot_confirm(slot=slot, user=self.belastingdienst_user)
        for name, user in (("fix_plan", self.coordinator),
                           ("hold_briefing", self.toezicht),
                           ("start_visit", self.toezicht)):  # fmt: skip
            case = self.step(case, name, user)
        tasks = self.client.get("/api/v1/tasks/", **police).json()
        self.assertEqual([t["kind"] for t in tasks], ["record_findings"])
        response = self.client.post(
            tasks[0]["url"], {"text": "Hennep op zolder.", "shareable": True},
            content_type="application/json", **police,
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)
        finding = Finding.objects.get(pk=response.json()["id"])
        self.assertEqual(
            (finding.organisation, finding.data_class, finding.author),
            (self.politie, "D3", self.police.user),
        )
        blank = self.client.post(
            url, {"text": " "}, content_type="application/json", **police
        )
        self.assertEqual(blank.status_code, 400)
        om = self.bearer(self.om, self.om_secret)
        refused = self.client.post(
            url, {"text": "x"}, content_type="application/json", **om
        )
        self.assertEqual(refused.status_code, 404)
