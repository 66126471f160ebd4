"""Who sees what of a gebiedsverbod case (docs/domain.md §10.6): the case page as
owner (jurist) and team member (burgemeester), the outcome page for the
police, 404 for another partner and an outsider; the violation reports of
one police unit hidden from another, shared with the OM they went to; and
the package's pages answering 404 to anyone not entitled."""

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casework.models import Case
from permissions.decision import WRITE, decide
from permissions.models import AccessLog
from workflows.gebiedsverbod.machine import GebiedsverbodCase
from workflows.gebiedsverbod.services import (
    NOT_IN_FORCE,
    VIOLATIONS,
    may_report_violation,
)

from .test_gebiedsverbod_states import GebiedsverbodTestCase


class AccessTests(GebiedsverbodTestCase):
    def setUp(self):
        self.case = self.reach("E50")
        self.own = self.violation(
            self.case,
            place="Nolensplein, ingang station",
            pv_number="PL-1",
            forwarded_to_om_on=date(2026, 3, 16),
            om=self.om,
        )
        self.other = self.violation(
            self.case,
            user=self.kmar_user,
            day=date(2026, 3, 20),
            place="Perron 2, Marechaussee-controle",
        )

    def get(self, user, name="casework:case_detail"):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=[self.case.reference]))

    def test_owner_and_burgemeester_see_the_full_case_with_the_panel(self):
        for user in (self.owner, self.burgemeester):
            with self.subTest(user=user.username):
                response = self.get(user)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Maatregel (Gemw 172a / APV)")
                self.assertContains(response, "Twee incidenten met bedreiging")
                self.assertContains(response, "Nolensplein, ingang station")
                self.assertContains(response, "Perron 2, Marechaussee-controle")

    def test_politie_sees_the_outcome_page_only(self):
        response = self.get(self.politie_user)
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "casework/case_outcome.html")
        self.assertNotContains(response, "Twee incidenten met bedreiging")
        self.assertContains(
            response,
            reverse("casework:gebiedsverbod_measure", args=[self.case.reference]),
        )

    def test_politie_sees_the_measure_and_only_its_own_reports(self):
        response = self.get(self.politie_user, "casework:gebiedsverbod_measure")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "gebiedsverbod")
        self.assertContains(response, "KAART-Q4")
        self.assertContains(response, "8 juni 2026")
        self.assertContains(response, "Uitgezonderd de route naar het werk.")
        self.assertContains(response, "Nolensplein, ingang station")
        self.assertNotContains(response, "Perron 2")
        # Not the weighing.
        self.assertNotContains(response, "Twee incidenten met bedreiging")
        kmar = self.get(self.kmar_user, "casework:gebiedsverbod_measure")
        self.assertContains(kmar, "Perron 2")
        self.assertNotContains(kmar, "Nolensplein, ingang station")

    def test_the_om_reads_the_report_sent_to_it(self):
        response = self.get(self.om_user, "casework:gebiedsverbod_measure")
        self.assertContains(response, "Nolensplein, ingang station")
        self.assertContains(response, "PL-1")
        self.assertNotContains(response, "Perron 2")

    def test_reads_of_violation_reports_are_logged(self):
        before = AccessLog.objects.filter(data_class="D3").count()
        self.get(self.politie_user, "casework:gebiedsverbod_measure")
        self.assertEqual(AccessLog.objects.filter(data_class="D3").count(), before + 1)

    def test_other_partner_and_outsider_get_404_everywhere(self):
        names = (
            "casework:case_detail",
            "casework:gebiedsverbod_measure",
            "casework:gebiedsverbod_violation_new",
            "casework:gebiedsverbod_incident_new",
        )
        for user in (self.belastingdienst_user, self.outsider, self.fg):
            for name in names:
                with self.subTest(user=user.username, page=name):
                    self.assertEqual(self.get(user, name).status_code, 404)

    def test_only_a_partner_on_the_team_reports_a_violation(self):
        self.assertEqual(
            self.get(
                self.politie_user, "casework:gebiedsverbod_violation_new"
            ).status_code,
            200,
        )
        for user in (self.owner, self.burgemeester):
            with self.subTest(user=user.username):
                self.assertEqual(
                    self.get(user, "casework:gebiedsverbod_violation_new").status_code,
                    404,
                )
                with self.assertRaises(PermissionDenied):
                    self.violation(self.case, user=user)
        with self.assertRaises(PermissionDenied):
            self.violation(self.case, user=self.belastingdienst_user)

    def test_politie_reports_a_violation_through_the_page(self):
        self.client.force_login(self.politie_user)
        url = reverse(
            "casework:gebiedsverbod_violation_new", args=[self.case.reference]
        )
        form = self.client.get(url).context["form"]
        response = self.client.post(
            url,
            {
                "form_token": form.initial["form_token"],
                "occurred_on": "2026-06-09",
                "place": "Vleesstraat",
                "description": "Aangetroffen.",
            },
        )
        self.assertContains(response, "buiten de looptijd")
        form = self.client.get(url).context["form"]
        response = self.client.post(
            url,
            {
                "form_token": form.initial["form_token"],
                "occurred_on": "2026-06-08",
                "place": "Vleesstraat",
                "description": "Aangetroffen.",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.case.gebiedsverbod_violations.count(), 3)

    def test_the_jurist_records_an_incident_and_the_case_page_names_blocked_steps(self):
        case = self.new_case()
        self.step(case, "start_assessment", "owner")
        response = self.get(self.owner)  # self.case: E50
        self.assertEqual(response.status_code, 200)
        self.client.force_login(self.owner)
        page = self.client.get(reverse("casework:case_detail", args=[case.reference]))
        self.assertContains(page, "Stappen die nog niet kunnen")
        self.assertContains(page, "Gemw 172a lid 1")
        url = reverse("casework:gebiedsverbod_incident_new", args=[case.reference])
        form = self.client.get(url).context["form"]
        response = self.client.post(
            url,
            {
                "form_token": form.initial["form_token"],
                "occurred_on": "2026-02-10",
                "place": "Nolensplein",
                "description": "Vernieling.",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(case.gebiedsverbod_incidents.count(), 1)
        self.assertEqual(
            self.get(
                self.burgemeester, "casework:gebiedsverbod_incident_new"
            ).status_code,
            404,
        )

    def test_the_step_pages_refuse_with_the_rule(self):
        case = self.reach("E40")
        self.client.force_login(self.owner)
        url = reverse("casework:case_step", args=[case.reference, "make_known"])
        form = self.client.get(url).context["form"]
        response = self.client.post(
            url,
            {
                "form_token": form.initial["form_token"],
                "made_known_on": "2026-03-04",
                "manner": "handed",
                "note": "",
            },
        )
        self.assertContains(response, "Awb 3:40, 3:41")
        self.assertEqual(Case.objects.get(pk=case.pk).status, "E40")

    def test_the_step_forms_render_for_their_actor(self):
        for state, name, user in (
            ("E10", "send_intention", self.owner),
            ("E10", "give_warning", self.burgemeester),
            ("E10", "impose_urgent_order", self.burgemeester),
            ("E35", "impose_order", self.burgemeester),
            ("E50", "extend", self.burgemeester),
            ("E50", "withdraw", self.burgemeester),
        ):
            case = self.reach(state)
            self.client.force_login(user)
            url = reverse("casework:case_step", args=[case.reference, name])
            with self.subTest(name=name):
                self.assertEqual(self.client.get(url).status_code, 200)
                self.client.force_login(self.om_user)
                self.assertEqual(self.client.get(url).status_code, 404)


class ViolationReportDecisionTests(GebiedsverbodTestCase):
    """Issue 13: the decision point answers who files a violation report (a
    partner on the team, "own" on D3, for its own organisation), before the
    state; a refusal is 404 and records nothing."""

    def post(self, user, case, day="2026-03-14"):
        self.client.force_login(user)
        url = reverse("casework:gebiedsverbod_violation_new", args=[case.reference])
        return self.client.post(
            url,
            {
                "form_token": uuid.uuid4().hex,
                "occurred_on": day,
                "place": "Vleesstraat",
                "description": "Aangetroffen.",
            },
        )

    def test_the_section_allows_the_partners_own_reports_only(self):
        case = self.reach("E50")

        def may(user, organisation):
            return decide(
                user, WRITE, VIOLATIONS, case=case, organisation_id=organisation.pk
            )

        self.assertTrue(may(self.politie_user, self.politie))
        self.assertTrue(may(self.kmar_user, self.kmar))
        self.assertFalse(may(self.politie_user, self.kmar))
        for user in (self.owner, self.burgemeester, self.outsider):
            with self.subTest(user=user.username):
                self.assertFalse(may(user, self.gemeente))
                self.assertFalse(may_report_violation(user, case))
        self.assertTrue(may_report_violation(self.politie_user, case))
        # A proxy instance of the case is the case.
        self.assertIsInstance(case, GebiedsverbodCase)
        self.assertTrue(may_report_violation(self.kmar_user, case))

    def test_the_police_file_a_report_on_their_case_in_force(self):
        case = self.reach("E50")
        response = self.post(self.politie_user, case)
        self.assertRedirects(
            response,
            reverse("casework:gebiedsverbod_measure", args=[case.reference]),
            fetch_redirect_response=False,
        )
        report = case.gebiedsverbod_violations.get()
        self.assertEqual(report.organisation_id, self.politie.pk)
        self.assertEqual(report.reported_by, self.politie_user)

    def test_refused_users_get_404_in_every_state_and_nothing_is_recorded(self):
        for state in ("E10", "E50"):
            case = self.reach(state)
            for user in (self.owner, self.burgemeester, self.belastingdienst_user,
                         self.outsider):  # fmt: skip
                with self.subTest(user=user.username, state=state):
                    self.assertEqual(self.post(user, case).status_code, 404)
            self.assertFalse(case.gebiedsverbod_violations.exists())

    def test_the_police_get_the_state_error_when_the_order_is_not_in_force(self):
        case = self.reach("E10")
        response = self.post(self.politie_user, case)
        self.assertEqual(response.status_code, 200)
        # The refusal names its rule after the message (casework.rules).
        errors = " ".join(response.context["form"].non_field_errors())
        self.assertIn(str(NOT_IN_FORCE), errors)
        self.assertIn("(Sr 184; Gemw 172a)", errors)
        self.assertFalse(case.gebiedsverbod_violations.exists())
        self.client.force_login(self.politie_user)
        page = self.client.get(
            reverse("casework:gebiedsverbod_measure", args=[case.reference])
        )
        self.assertFalse(page.context["may_report"])
