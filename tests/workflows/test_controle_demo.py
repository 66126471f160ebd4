"""Issue 14, integrale controle: the demo's inspections obey the rules the
machine now checks (docs/domain.md §4.3) — built as `seed_demo` builds them
(the demo's organisations and users, one `casework.demo.Demo`, the package's
registered seeder) — and their prefilled bezoekrapport passes its own
validation."""

import random

from django.test import TestCase
from django.utils import timezone

from casework.assignment import inbox
from casework.demo import Demo, organisations_and_users
from casework.documents import document_generate, may_make
from casework.letter_forms import LetterForm, initial_for
from casework.models import Case
from casework.registry import registry
from tests.case_types import CaseType
from workflows.controle.models import ORGANISATION_KIND_OF_SLOT, current_visit


class ControleDemoTests(TestCase):
    SEED = 2026

    @classmethod
    def setUpTestData(cls):
        orgs, users = organisations_and_users()
        cls.users = users
        demo = Demo(
            rng=random.Random(cls.SEED), today=timezone.localdate(), users=users,
            orgs=orgs,
        )  # fmt: skip
        seeder = next(
            s for s in registry.demo if s.path.startswith("workflows.controle")
        )
        seeder.seed(demo)
        cls.inspections = Case.objects.filter(case_type=CaseType.CONTROLE)

    def test_the_worked_examples_reach_their_states(self):
        statuses = set(self.inspections.values_list("status", flat=True))
        self.assertLessEqual({"C30", "C50", "C60"}, statuses)

    def test_every_slot_is_taken_by_an_organisation_of_its_discipline(self):
        for case in self.inspections.exclude(visits=None):
            for slot in current_visit(case).slots.select_related("organisation"):
                with self.subTest(case=case.reference, slot=slot.kind):
                    self.assertEqual(
                        slot.organisation.kind, ORGANISATION_KIND_OF_SLOT[slot.kind]
                    )
                    self.assertIs(slot.confirmed, True)

    def test_the_visit_days_are_in_order_and_in_the_past(self):
        """Opened ≤ planned date = briefing = start = finish ≤ today for the
        visited inspections; the one in C30 is still to come."""
        today = timezone.localdate()
        for case in self.inspections.filter(status__in=["C50", "C60"]):
            visit = current_visit(case)
            planned_on = timezone.localdate(visit.planned_at)
            with self.subTest(case=case.reference):
                self.assertLess(timezone.localdate(case.opened_at), planned_on)
                self.assertEqual(
                    (visit.briefing_on, visit.started_on, visit.finished_on),
                    (planned_on, planned_on, planned_on),
                )
                self.assertLess(visit.finished_on, today)
        scheduled = current_visit(self.inspections.get(status="C30"))
        self.assertGreater(scheduled.planned_at, timezone.now())

    def test_the_prefilled_bezoekrapport_passes_its_own_validation(self):
        coordinator = self.users["coordinator"]
        for case in self.inspections.filter(status__in=["C50", "C60"]):
            with self.subTest(case=case.reference):
                self.assertIs(may_make(coordinator, case, "bezoekrapport"), True)
                initial = initial_for(case, "bezoekrapport")
                data = {
                    key: value.isoformat() if hasattr(value, "isoformat") else value
                    for key, value in initial.items()
                }
                form = LetterForm(
                    data={**data, "form_token": "t"}, template_key="bezoekrapport"
                )
                self.assertTrue(form.is_valid(), form.errors)
                document = document_generate(
                    case=case, user=coordinator, template_key="bezoekrapport",
                    inputs=form.inputs(),
                )  # fmt: skip
                # Only the toezicht's shareable finding; the police's and the
                # Belastingdienst's stay in their compartments.
                self.assertEqual(
                    document.inputs["findings"],
                    [{"partner": "Gemeente Venlo",
                      "text": "Illegale bewoning boven de bedrijfsruimte."}],
                )  # fmt: skip
                self.assertEqual(
                    document.inputs["partners"],
                    [
                        "Gemeente Venlo",
                        "Politie Eenheid Limburg",
                        "Belastingdienst Zuid",
                    ],
                )
        # Before the visit the report is not offered.
        scheduled = self.inspections.get(status="C30")
        self.assertIs(may_make(coordinator, scheduled, "bezoekrapport"), False)

    def test_the_follow_up_lod_case_has_its_jurist_and_no_belastingdienst(self):
        child = self.inspections.get(status="C60").children.get()
        team = {a.user.username for a in child.access.select_related("user")}
        self.assertEqual(child.case_type, CaseType.LOD)
        self.assertLessEqual({"coordinator", "jurist", "toezicht", "politie"}, team)
        self.assertNotIn("belastingdienst", team)
        self.assertIn(
            child.reference,
            [t["reference"] for t in inbox(self.users["jurist"], limit=20)],
        )
