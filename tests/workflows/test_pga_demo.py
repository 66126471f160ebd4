"""The PGA demo (issue 7 item 9): persons in each main state, a worked
example the partners can open, and aged files the retention sweep deletes."""

from datetime import timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from casework.models import Case
from tests.case_types import CaseType
from workflows.pga.machine import PgaStatus
from workflows.pga.models import DeletionLog, PgaReferral

User = get_user_model()


class PgaDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)

    def pga(self):
        return Case.objects.filter(case_type=CaseType.PGA)

    def test_every_main_state_has_a_person(self):
        states = set(self.pga().values_list("status", flat=True))
        main = {
            PgaStatus.D00, PgaStatus.D05, PgaStatus.D10, PgaStatus.D20,
            PgaStatus.D25, PgaStatus.D30, PgaStatus.D35, PgaStatus.D40,
            PgaStatus.D60, PgaStatus.D65, PgaStatus.D70, PgaStatus.D85,
            PgaStatus.D90,
        }  # fmt: skip
        self.assertLessEqual(main, states)

    def test_partners_open_the_worked_example_and_see_their_own_interventions(self):
        case = (
            self.pga()
            .filter(status=PgaStatus.D60, pga_relations__isnull=False)
            .distinct()
            .get()
        )
        url = reverse("casework:pga_dossier", args=[case.reference])
        for username, own, other in (
            ("politie", "Naleving gebiedsverbod", "Strafzaak met bijzondere"),
            ("om", "Strafzaak met bijzondere", "Naleving gebiedsverbod"),
        ):
            with self.subTest(username=username):
                self.client.force_login(User.objects.get(username=username))
                response = self.client.get(url)
                self.assertContains(response, own)
                self.assertNotContains(response, other)
        self.client.force_login(User.objects.get(username="casusregisseur"))
        response = self.client.get(url)
        self.assertContains(response, "Naleving gebiedsverbod")
        self.assertContains(response, "verslavingszorg")  # consented, shared
        self.assertNotContains(response, "psychische problematiek")  # no consent
        network = self.client.get(
            reverse("casework:pga_network", args=[case.reference])
        )
        self.assertContains(network, "medeverdachte")

    def test_the_sweep_deletes_the_aged_demo_files(self):
        aged = set(
            PgaReferral.objects.filter(
                case__status__in=[PgaStatus.D90, PgaStatus.D25],
                received_on__lte=timezone.localdate() - timedelta(days=365 * 5),
            ).values_list("case__reference", flat=True)
        )
        self.assertEqual(len(aged), 2)
        out = StringIO()
        call_command("pga_retention_sweep", stdout=out)
        self.assertIn("anonymised=2", out.getvalue())
        self.assertEqual(
            set(
                self.pga()
                .filter(status=PgaStatus.D95)
                .values_list("reference", flat=True)
            ),
            aged,
        )
        self.assertEqual(
            set(DeletionLog.objects.filter(action="anonymised").values_list(
                "case_reference", flat=True)),
            aged,
        )  # fmt: skip
