from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from casework.models import Case, Signal
from permissions.models import Membership
from tests.case_types import CaseType


class SeedDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)

    def test_it_creates_one_user_per_role_with_the_documented_usernames(self):
        people = Membership.objects.filter(user__api_client__isnull=True)
        usernames = set(people.values_list("user__username", flat=True))
        self.assertEqual(
            usernames,
            {
                "jurist", "burgemeester", "bibob", "coordinator", "casusregisseur",
                "toezicht", "invordering", "vergunning", "politie", "om",
                "belastingdienst", "zorg", "fg", "beheerder",
            },
        )  # fmt: skip
        # Beside them, the service accounts of the demo's API clients
        # (api/demo.py): no password, so nobody signs in as them.
        accounts = Membership.objects.filter(user__api_client__isnull=False)
        self.assertEqual(
            set(accounts.values_list("user__username", flat=True)),
            {"api-politie-bvh", "api-om-koppeling",
             "api-belastingdienst-koppeling", "api-riec-koppeling"},
        )  # fmt: skip
        self.assertFalse(any(m.user.has_usable_password() for m in accounts))

    def test_it_creates_about_fifty_signals_and_cases_of_every_type(self):
        self.assertGreaterEqual(Signal.objects.count() + Case.objects.count(), 50)
        types = set(Case.objects.values_list("case_type", flat=True))
        self.assertEqual(types, set(CaseType.values))

    def test_it_is_safe_to_run_twice(self):
        before = Case.objects.count()
        call_command("seed_demo", verbosity=0)
        self.assertEqual(Case.objects.count(), before)

    def test_politie_gets_404_for_every_bibob_case(self):
        self.client.force_login(get_user_model().objects.get(username="politie"))
        for case in Case.objects.filter(case_type=CaseType.BIBOB):
            response = self.client.get(case.get_absolute_url())
            self.assertEqual(response.status_code, 404, case.reference)

    def test_jurist_sees_own_lod_cases_in_the_list(self):
        self.client.force_login(get_user_model().objects.get(username="jurist"))
        response = self.client.get("/cases/")
        self.assertEqual(response.status_code, 200)
        for case in Case.objects.filter(case_type=CaseType.LOD):
            self.assertContains(response, case.reference)
        for case in Case.objects.filter(case_type=CaseType.BIBOB):
            self.assertNotContains(response, case.reference)

    # The LOD demo cases stand in each main state, reached through the real
    # steps: their flow tasks, deadlines and legal protection are coherent.
    # (One class: the demo is seeded once for both, 17 s on PostgreSQL.)

    def test_lod_cases_cover_the_main_states(self):
        statuses = set(
            Case.objects.filter(case_type=CaseType.LOD).values_list("status", flat=True)
        )
        self.assertEqual(
            statuses,
            {"A00", "A10", "A99", "A15", "A20", "A25", "A30", "A50", "A60", "A70",
             "A72", "A82"},
        )  # fmt: skip

    def test_every_open_lod_case_has_one_open_task_and_closed_ones_none(self):
        from viewflow.workflow.models import Task

        for case in Case.objects.filter(case_type=CaseType.LOD):
            open_tasks = Task.objects.filter(
                process__caseprocess__case=case,
                status__in=["NEW", "ASSIGNED", "STARTED"],
            ).count()
            self.assertEqual(open_tasks, 0 if case.closed_at else 1, case.reference)

    def test_the_burgemeester_and_the_collection_officer_have_tasks(self):
        for username, expected in (("burgemeester", "A30"), ("invordering", "A72")):
            self.client.force_login(get_user_model().objects.get(username=username))
            tasks = self.client.get("/").context["tasks"]
            statuses = {
                Case.objects.get(reference=t["reference"]).status for t in tasks
            }
            self.assertEqual(statuses, {expected}, username)

    def test_notified_orders_carry_their_legal_protection(self):
        from workflows.legal_protection.machine import LegalProtection

        for case in Case.objects.filter(
            case_type=CaseType.LOD, status__in=["A50", "A60", "A70", "A72", "A82"]
        ):
            self.assertTrue(
                LegalProtection.objects.filter(case=case).exists(), case.reference
            )

    def test_bibob_cases_cover_the_main_states_with_their_decision_term(self):
        cases = Case.objects.filter(case_type=CaseType.BIBOB)
        statuses = set(cases.values_list("status", flat=True))
        self.assertEqual(
            statuses, {"B00", "B10", "B20", "B21", "B35", "B40", "B45", "B80"}
        )
        for case in cases.exclude(status="B00"):
            self.assertTrue(case.deadlines.exists(), case.reference)

    def test_inspections_with_a_visit_findings_and_a_follow_up(self):
        inspections = Case.objects.filter(case_type=CaseType.CONTROLE)
        statuses = set(inspections.values_list("status", flat=True))
        self.assertLessEqual({"C30", "C50", "C60"}, statuses)
        c60 = inspections.get(status="C60")
        self.assertEqual(c60.children.get().case_type, CaseType.LOD)
        self.assertEqual(c60.findings.count(), 3)
        self.assertTrue(inspections.get(status="C30").visits.get().slots.exists())

    def test_the_selection_board_starts_with_the_demo_cluster(self):
        from workflows.controle.models import board_candidates

        coordinator = get_user_model().objects.get(username="coordinator")
        first = board_candidates(coordinator)[0]
        self.assertEqual((first.street, first.signal_count), ("Industrieweg", 4))
