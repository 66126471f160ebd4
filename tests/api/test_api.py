"""The partner API (docs/api.md) through the real token endpoint and the
whole request stack: tokens and scopes, problem details, and every endpoint
as the owning organisation's client, another partner's client (404), a
client without the scope (403) and no token (401)."""

import base64
import hashlib
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from api.services import client_change, client_create
from casework import services
from casework.models import Signal
from permissions.decision import READ, READ_OUTCOME, WRITE, decide
from permissions.models import AccessLog, CaseAccess, Organisation, Role
from permissions.selectors import visible_case_keys
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, UserFactory

ALL = [
    "signals:write", "signals:read", "cases:read", "tasks:read", "tasks:write",
    "deadlines:read", "documents:read",
]  # fmt: skip
PROBLEM = "application/problem+json"


class ApiTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        cls.belasting = OrganisationFactory(
            name="Belastingdienst Zuid", kind=Organisation.Kind.BELASTINGDIENST
        )
        cls.jurist = UserFactory(
            username="jurist", role=Role.JURIST, organisation=cls.gemeente
        )
        cls.agent = UserFactory(
            username="agent", role=Role.PARTNER, organisation=cls.politie
        )
        cls.other_agent = UserFactory(
            username="agent2", role=Role.PARTNER, organisation=cls.politie
        )
        cls.police, cls.police_secret = client_create(
            name="Politie BVH", organisation=cls.politie, role=Role.PARTNER,
            scopes=ALL,
        )  # fmt: skip
        cls.tax, cls.tax_secret = client_create(
            name="Belastingdienst", organisation=cls.belasting, role=Role.PARTNER,
            scopes=ALL,
        )  # fmt: skip
        cls.narrow, cls.narrow_secret = client_create(
            name="Politie alleen zaken", organisation=cls.politie,
            role=Role.PARTNER, scopes=["cases:read"],
        )  # fmt: skip
        cls.municipal, cls.municipal_secret = client_create(
            name="Gemeente koppeling", organisation=cls.gemeente,
            role=Role.JURIST, scopes=ALL,
        )  # fmt: skip
        # A case the police follow: an officer (a person) is on its team.
        cls.case = services.case_open(
            user=cls.jurist, case_type=CaseType.LOD, title="Kloosterstraat 12"
        )
        services.case_team_add(
            case=cls.case, user=cls.jurist, member=cls.agent,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip
        cls.private = services.case_open(
            user=cls.jurist, case_type=CaseType.LOD, title="Alleen gemeente"
        )

    # --- helpers ---------------------------------------------------------------

    def token(self, client, secret, scope=None):
        data = {"grant_type": "client_credentials"}
        if scope:
            data["scope"] = scope
        auth = base64.b64encode(
            f"{client.application.client_id}:{secret}".encode()
        ).decode()
        return self.client.post(
            "/api/oauth/token/", data, HTTP_AUTHORIZATION=f"Basic {auth}"
        )

    def bearer(self, client, secret) -> dict:
        response = self.token(client, secret)
        self.assertEqual(response.status_code, 200, response.content)
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}

    def as_police(self):
        return self.bearer(self.police, self.police_secret)

    def as_tax(self):
        return self.bearer(self.tax, self.tax_secret)

    def assertProblem(self, response, status):  # noqa: N802
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], PROBLEM)
        body = response.json()
        for key in ("type", "title", "status", "detail"):
            self.assertIn(key, body)
        self.assertEqual(body["status"], status)
        return body

    def post_report(self, headers, **more):
        body = {
            "kind": "bestuurlijke_rapportage",
            "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "summary": "Bestuurlijke rapportage: hennepkwekerij aangetroffen.",
            "shared_with": [self.gemeente.pk],
            "locations": [
                {"street": "Kloosterstraat", "house_number": 12,
                 "postcode": "5921 AB", "city": "Venlo"}
            ],
            "attachments": [
                {"filename": "pv.pdf", "content_type": "application/pdf",
                 "content": base64.b64encode(b"%PDF-1.4 proces-verbaal").decode()}
            ],
            **more,
        }  # fmt: skip
        return self.client.post(
            "/api/v1/signals/", body, content_type="application/json", **headers
        )


class TokenTests(ApiTestCase):
    def test_client_credentials_give_a_token_with_the_clients_scopes(self):
        response = self.token(self.narrow, self.narrow_secret)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["scope"], "cases:read")
        self.assertEqual(response.json()["token_type"], "Bearer")

    def test_a_wrong_secret_gets_no_token(self):
        response = self.token(self.police, "not-the-secret")
        self.assertEqual(response.status_code, 401)

    def test_a_scope_the_client_was_not_given_is_refused(self):
        response = self.token(self.narrow, self.narrow_secret, scope="signals:write")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error"], "invalid_scope")

    def test_the_secret_is_stored_hashed(self):
        self.police.application.refresh_from_db()
        self.assertNotIn(self.police_secret, self.police.application.client_secret)

    def test_no_token_is_401_in_problem_form_never_a_login_redirect(self):
        for url in ("/api/v1/cases/", "/api/v1/signals/", "/api/v1/tasks/",
                    f"/api/v1/cases/{self.case.reference}/"):  # fmt: skip
            response = self.client.get(url)
            self.assertProblem(response, 401)
            self.assertIn("Bearer", response["WWW-Authenticate"])

    def test_a_bad_token_is_401(self):
        response = self.client.get(
            "/api/v1/cases/", HTTP_AUTHORIZATION="Bearer nonsense"
        )
        self.assertProblem(response, 401)

    def test_a_session_is_not_enough(self):
        self.client.force_login(self.jurist)
        self.assertProblem(self.client.get("/api/v1/cases/"), 401)

    def test_a_missing_scope_is_403(self):
        headers = self.bearer(self.narrow, self.narrow_secret)
        self.assertEqual(self.client.get("/api/v1/cases/", **headers).status_code, 200)
        for url in ("/api/v1/signals/", "/api/v1/tasks/",
                    f"/api/v1/cases/{self.case.reference}/deadlines/",
                    f"/api/v1/cases/{self.case.reference}/documents/"):  # fmt: skip
            body = self.assertProblem(self.client.get(url, **headers), 403)
            self.assertIn("scope", body["detail"])
        self.assertProblem(self.post_report(headers), 403)

    def test_a_deactivated_client_loses_its_tokens_at_once(self):
        headers = self.as_police()
        client_change(self.police, role=Role.PARTNER, scopes=ALL, active=False)
        self.assertProblem(self.client.get("/api/v1/cases/", **headers), 401)
        self.assertEqual(self.token(self.police, self.police_secret).status_code, 401)

    def test_a_scope_taken_away_stops_working_with_old_tokens(self):
        headers = self.as_police()
        client_change(self.police, role=Role.PARTNER, scopes=["signals:read"],
                      active=True)  # fmt: skip
        self.assertProblem(self.client.get("/api/v1/cases/", **headers), 403)

    def test_the_service_account_cannot_log_in_to_the_pages(self):
        self.assertFalse(self.police.user.has_usable_password())
        self.client.post(
            "/accounts/login/",
            {"username": self.police.user.username, "password": "anything"},
        )
        self.assertNotIn("_auth_user_id", self.client.session)


class ProblemTests(ApiTestCase):
    def test_unknown_address_method_and_media_type(self):
        headers = self.as_police()
        self.assertProblem(self.client.get("/api/v1/nothing/", **headers), 404)
        self.assertProblem(self.client.delete("/api/v1/cases/", **headers), 405)
        response = self.client.post(
            "/api/v1/signals/", "x", content_type="text/plain", **headers
        )
        self.assertProblem(response, 415)

    def test_invalid_input_names_each_field(self):
        headers = self.as_police()
        response = self.post_report(
            headers, received_on="2999-01-01", shared_with=[], kind="x"
        )
        body = self.assertProblem(response, 400)
        self.assertEqual(set(body["errors"]), {"received_on", "shared_with", "kind"})

    def test_a_bad_cursor_is_400(self):
        headers = self.as_police()
        body = self.assertProblem(
            self.client.get("/api/v1/cases/?cursor=!!", **headers), 400
        )
        self.assertIn("cursor", body["errors"])


class SignalTests(ApiTestCase):
    def test_the_police_report_is_followed_through_triage_and_conversion(self):
        headers = self.as_police()
        response = self.post_report(headers)
        self.assertEqual(response.status_code, 201, response.content)
        signal = response.json()
        self.assertEqual(response["Location"], signal["url"])
        self.assertEqual(signal["status"], "new")
        self.assertEqual(signal["data_class"], "D3")
        self.assertEqual(len(signal["attachments"]), 1)
        stored = Signal.objects.get(reference=signal["reference"])
        self.assertEqual(stored.source_organisation, self.politie)
        self.assertEqual(stored.registered_by, self.police.user)
        self.assertEqual(stored.legal_basis, "Wpg 16 lid 1 b")

        # The gemeente triages it on its own pages' services.
        services.signal_start_triage(signal=stored, user=self.jurist)
        followed = self.client.get(signal["url"], **headers).json()
        self.assertEqual(followed["status"], "triage")
        case = services.signal_convert(
            signal=stored, user=self.jurist, case_type=CaseType.LOD,
            title="Hennep Kloosterstraat",
        )  # fmt: skip
        followed = self.client.get(signal["url"], **headers).json()
        self.assertEqual(followed["status"], "converted")
        self.assertEqual([c["reference"] for c in followed["cases"]], [case.reference])
        detail = self.client.get(followed["cases"][0]["url"], **headers)
        self.assertEqual(detail.status_code, 200)
        self.assertTrue(detail.json()["outcome_only"])
        self.assertIn(signal["reference"], detail.json()["signals"])

        # The attachment comes back as it went in.
        file = self.client.get(signal["attachments"][0]["url"], **headers)
        self.assertEqual(file.status_code, 200)
        self.assertEqual(file.content, b"%PDF-1.4 proces-verbaal")
        self.assertEqual(
            file["X-Content-SHA256"],
            hashlib.sha256(b"%PDF-1.4 proces-verbaal").hexdigest(),
        )

        # Another partner reads none of it: 404, as the pages.
        other = self.as_tax()
        for url in (signal["url"], signal["attachments"][0]["url"],
                    followed["cases"][0]["url"]):  # fmt: skip
            self.assertProblem(self.client.get(url, **other), 404)
        listed = self.client.get("/api/v1/signals/", **other).json()["results"]
        self.assertNotIn(signal["reference"], [s["reference"] for s in listed])

    def test_reads_of_the_d3_report_are_logged_as_the_service_account(self):
        headers = self.as_police()
        url = self.post_report(headers).json()["url"]
        before = AccessLog.objects.filter(username=self.police.user.username).count()
        self.client.get(url, **headers)
        rows = AccessLog.objects.filter(
            username=self.police.user.username, object_type="signal", result="ok"
        )
        self.assertEqual(rows.count(), before + 1)
        self.assertEqual(rows.first().data_class, "D3")
        self.assertEqual(rows.first().organisation, self.politie.name)

    def test_a_refused_signal_lookup_is_a_denied_row(self):
        reference = self.post_report(self.as_police()).json()["reference"]
        self.client.get(f"/api/v1/signals/{reference}/", **self.as_tax())
        self.assertTrue(
            AccessLog.objects.filter(
                username=self.tax.user.username, result="denied",
                object_type="signal",
            ).exists()
        )  # fmt: skip

    def test_an_organisation_that_may_not_submit_the_kind_is_refused_naming_the_rule(
        self,
    ):
        response = self.post_report(self.as_tax())
        body = self.assertProblem(response, 403)
        self.assertIn("Wpg 16 lid 1 b", body["rule"])
        self.assertFalse(Signal.objects.exists())

    def test_a_filed_signal_says_so_without_the_internal_reason(self):
        headers = self.as_police()
        signal = self.post_report(headers).json()
        stored = Signal.objects.get(reference=signal["reference"])
        services.signal_file(
            signal=stored, user=self.jurist, reason="Intern: geen capaciteit."
        )
        followed = self.client.get(signal["url"], **headers).json()
        self.assertTrue(followed["filed"])
        self.assertIsNone(followed["filed_reason"])
        self.assertEqual(followed["cases"], [])

    def test_the_signal_list_pages_by_cursor(self):
        headers = self.as_police()
        made = [self.post_report(headers).json()["reference"] for _ in range(3)]
        first = self.client.get("/api/v1/signals/?limit=2", **headers).json()
        self.assertEqual(len(first["results"]), 2)
        second = self.client.get(
            f"/api/v1/signals/?limit=2&cursor={first['next']}", **headers
        ).json()
        seen = [s["reference"] for s in first["results"] + second["results"]]
        self.assertEqual(sorted(seen), sorted(made))
        self.assertIsNone(second["next"])


class OrganisationTeamRuleTests(ApiTestCase):
    """ORGANISATION_TEAM (permissions.decision, docs/access.md)."""

    def test_the_client_reads_the_cases_its_organisations_people_are_on(self):
        user = self.police.user
        self.assertTrue(decide(user, READ_OUTCOME, "case", case=self.case))
        self.assertFalse(decide(user, READ_OUTCOME, "case", case=self.private))
        # As a contributor: no case file for a partner, no writing.
        self.assertFalse(decide(user, READ, self.case))
        self.assertFalse(decide(user, WRITE, "case", case=self.case))
        keys = [case_id for _key, case_id in visible_case_keys(user)]
        self.assertEqual(keys, [self.case.pk])

    def test_the_hand_written_sql_reads_the_same_rule(self):
        from django.http import Http404

        from casework.models import Case
        from casework.selectors import case_for_page

        page = case_for_page(self.police.user, self.case.reference)
        self.assertEqual(page.pk, self.case.pk)
        for user, reference in ((self.police.user, self.private.reference),
                                (self.tax.user, self.case.reference)):  # fmt: skip
            with self.assertRaises(Http404):
                case_for_page(user, reference)
        self.assertEqual(list(Case.objects.for_user(self.police.user)), [self.case])

    def test_a_persons_own_visibility_is_unchanged(self):
        # agent2 works for the police too but is on no team.
        self.assertFalse(decide(self.other_agent, READ_OUTCOME, "case", case=self.case))
        self.assertEqual(list(visible_case_keys(self.other_agent)), [])
        self.assertTrue(decide(self.agent, READ_OUTCOME, "case", case=self.case))

    def test_a_case_with_two_officers_is_listed_once(self):
        services.case_team_add(
            case=self.case, user=self.jurist, member=self.other_agent,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip
        body = self.client.get("/api/v1/cases/", **self.as_police()).json()
        self.assertEqual(
            [c["reference"] for c in body["results"]], [self.case.reference]
        )

    def test_a_municipal_client_reads_as_a_contributor_of_its_role(self):
        user = self.municipal.user
        self.assertTrue(decide(user, READ, self.case))
        self.assertFalse(decide(user, WRITE, "case", case=self.case))


class CaseTests(ApiTestCase):
    def test_list_and_detail_as_owner_other_partner_and_without_scope(self):
        police = self.as_police()
        body = self.client.get("/api/v1/cases/", **police).json()
        self.assertEqual(
            [c["reference"] for c in body["results"]], [self.case.reference]
        )
        detail = self.client.get(f"/api/v1/cases/{self.case.reference}/", **police)
        self.assertEqual(detail.status_code, 200)
        self.assertTrue(detail.json()["outcome_only"])
        self.assertIsNone(detail.json()["deadlines_url"])
        self.assertIsNone(detail.json()["documents_url"])
        tax = self.as_tax()
        self.assertEqual(self.client.get("/api/v1/cases/", **tax).json()["results"], [])
        self.assertProblem(
            self.client.get(f"/api/v1/cases/{self.case.reference}/", **tax), 404
        )
        self.assertProblem(
            self.client.get(f"/api/v1/cases/{self.private.reference}/", **police), 404
        )
        self.assertProblem(
            self.client.get("/api/v1/cases/2026-LOD-9999/", **police), 404
        )

    def test_keyset_pages_and_filters(self):
        made = []
        for index in range(5):
            case = services.case_open(
                user=self.jurist, case_type=CaseType.LOD, title=f"Zaak {index}"
            )
            services.case_team_add(
                case=case, user=self.jurist, member=self.other_agent,
                team_role=CaseAccess.TeamRole.CONTRIBUTOR,
            )  # fmt: skip
            made.append(case.reference)
        headers = self.as_police()
        seen, url = [], "/api/v1/cases/?limit=2"
        while url:
            page = self.client.get(url, **headers).json()
            seen += [c["reference"] for c in page["results"]]
            url = page["next"] and f"/api/v1/cases/?limit=2&cursor={page['next']}"
        self.assertEqual(sorted(seen), sorted([*made, self.case.reference]))
        self.assertEqual(len(seen), len(set(seen)))
        typed = self.client.get("/api/v1/cases/?type=BIB", **headers).json()
        self.assertEqual(typed["results"], [])
        status = self.case.status
        filtered = self.client.get(f"/api/v1/cases/?status={status}", **headers).json()
        self.assertEqual(len(filtered["results"]), 6)

    def test_a_list_row_is_the_detail_s_row(self):
        """The list builds its rows from plain columns (`selectors.case_rows`),
        the detail from the case: the same fields, the same values, in
        Dutch as in English."""
        headers = self.as_police()
        for language in ("nl", "en"):
            with self.subTest(language=language):
                rows = self.client.get(
                    "/api/v1/cases/", HTTP_ACCEPT_LANGUAGE=language, **headers
                ).json()["results"]
                self.assertTrue(rows)
                for row in rows:
                    detail = self.client.get(
                        row["url"], HTTP_ACCEPT_LANGUAGE=language, **headers
                    ).json()
                    self.assertEqual(row, {key: detail[key] for key in row})

    def test_the_list_is_four_queries_whatever_the_number_of_cases(self):
        headers = self.as_police()
        # The token, the client with its account, the keyset of the team
        # rows, the page's cases.
        with self.assertNumQueries(4):
            self.client.get("/api/v1/cases/", **headers)
        for index in range(8):
            case = services.case_open(
                user=self.jurist, case_type=CaseType.LOD, title=f"Zaak {index}"
            )
            services.case_team_add(
                case=case, user=self.jurist, member=self.agent,
                team_role=CaseAccess.TeamRole.CONTRIBUTOR,
            )  # fmt: skip
        with self.assertNumQueries(4):
            body = self.client.get("/api/v1/cases/?limit=5", **headers).json()
        self.assertEqual(len(body["results"]), 5)

    def test_deadlines_and_documents_where_the_decision_point_allows(self):
        municipal = self.bearer(self.municipal, self.municipal_secret)
        ref = self.case.reference
        response = self.client.get(f"/api/v1/cases/{ref}/deadlines/", **municipal)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), [])
        response = self.client.get(f"/api/v1/cases/{ref}/documents/", **municipal)
        self.assertEqual(response.status_code, 200)
        self.assertProblem(
            self.client.get(f"/api/v1/cases/{ref}/documents/1/", **municipal), 404
        )
        # Outcome-only (the police) and another partner: 404.
        for headers in (self.as_police(), self.as_tax()):
            for tail in ("deadlines/", "documents/"):
                self.assertProblem(
                    self.client.get(f"/api/v1/cases/{ref}/{tail}", **headers), 404
                )

    def test_the_tasks_of_a_partner_without_visits_are_none(self):
        response = self.client.get("/api/v1/tasks/", **self.as_police())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), [])
        self.assertProblem(
            self.client.post(
                f"/api/v1/cases/{self.case.reference}/findings/",
                {"text": "x"}, content_type="application/json", **self.as_police(),
            ),
            404,
        )  # fmt: skip
