"""The handhavingsmatrix as policy data: proposals from facts, versions by
validity date, and the content rules the decision must meet (Awb 5:32a,
5:32b, 5:6)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

from casework.idempotency import new_token
from workflows.lod.handhavingsmatrix import (
    Beleidsregel,
    LodAssessment,
    LodDecision,
    Measure,
    beleidsregel_in_force,
    lod_assessment_record,
    lod_decision_record,
    measure_propose,
    proposal_for,
    seed_example_policy,
)

from .base import WorkflowTestCase

ON = date(2026, 5, 1)


class ProposalTests(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.policy = seed_example_policy()

    def propose(self, premises, substance, grams, violation):
        return measure_propose(
            premises_kind=premises,
            substance=substance,
            grams=Decimal(grams),
            violation=violation,
            on=ON,
        )

    def test_the_ladder_of_the_example_policy(self):
        # (premises, substance, grams, violation) → measure, amount, max, months
        table = [
            ("woning", "hard", "0.4", 1, Measure.NONE, None, None, None),
            ("woning", "hard", "0.5", 1, Measure.NONE, None, None, None),
            ("woning", "hard", "0.6", 1, Measure.DWANGSOM, 5000, 15000, None),
            ("woning", "hard", "30", 2, Measure.SLUITING, None, None, 3),
            ("woning", "hard", "30", 3, Measure.SLUITING, None, None, 12),
            ("woning", "hard", "30", 7, Measure.SLUITING, None, None, 12),
            ("woning", "soft", "4", 1, Measure.NONE, None, None, None),
            ("woning", "soft", "20", 1, Measure.WARNING, None, None, None),
            ("woning", "soft", "600", 1, Measure.DWANGSOM, 5000, 15000, None),
            ("lokaal", "hard", "1", 1, Measure.SLUITING, None, None, 3),
            ("lokaal", "soft", "6", 2, Measure.SLUITING, None, None, 6),
        ]
        for premises, substance, grams, nth, measure, amount, maximum, months in table:
            with self.subTest(premises=premises, substance=substance, grams=grams,
                              violation=nth):  # fmt: skip
                proposal = self.propose(premises, substance, grams, nth)
                self.assertEqual(proposal.measure, measure)
                self.assertEqual(
                    (proposal.amount, proposal.maximum, proposal.closure_months),
                    (
                        Decimal(amount) if amount else None,
                        Decimal(maximum) if maximum else None,
                        months,
                    ),
                )
                self.assertEqual(proposal.beleidsregel, self.policy)

    def test_a_first_penalty_order_on_a_dwelling_is_preventive(self):
        proposal = self.propose("woning", "hard", "12.5", 1)
        self.assertTrue(proposal.preventive)
        self.assertEqual(proposal.amount_basis, "per_violation")

    def test_no_policy_valid_on_the_date_is_a_clear_error(self):
        with self.assertRaises(ValidationError) as ctx:
            beleidsregel_in_force(date(2025, 6, 1))
        self.assertIn("01-06-2025", ctx.exception.messages[0])

    def test_the_finding_date_selects_the_version(self):
        self.policy.valid_to = date(2026, 6, 30)
        self.policy.full_clean()
        self.policy.save()
        newer = Beleidsregel.objects.create(
            name=self.policy.name, version="2026.2", valid_from=date(2026, 7, 1)
        )
        self.assertEqual(beleidsregel_in_force(date(2026, 6, 30)), self.policy)
        self.assertEqual(beleidsregel_in_force(date(2026, 7, 1)), newer)

    def test_overlapping_versions_are_refused(self):
        overlapping = Beleidsregel(
            name=self.policy.name, version="2026.9", valid_from=date(2026, 3, 1)
        )
        with self.assertRaises(ValidationError):
            overlapping.full_clean()
        other_name = Beleidsregel(
            name="APV-beleid", version="1", valid_from=date(2026, 3, 1)
        )
        other_name.full_clean()  # another policy may run alongside


class DecisionRecordTests(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.policy = seed_example_policy()

    def setUp(self):
        lod_assessment_record(
            case=self.case,
            user=self.owner,
            found_on=date(2026, 4, 2),
            premises_kind="woning",
            substance="hard",
            grams=Decimal("12.5"),
            violation=1,
        )

    def decide(self, user=None, **values):
        data = {
            "measure": Measure.DWANGSOM,
            "amount": Decimal("5000"),
            "amount_basis": "per_violation",
            "maximum": Decimal("15000"),
            "preventive": True,
            **values,
        }
        return lod_decision_record(
            case=self.case, user=user or self.burgemeester, **data
        )

    def test_the_decision_records_the_policy_version_it_applied(self):
        decision = self.decide()
        self.assertEqual(decision.beleidsregel, self.policy)
        self.assertEqual(proposal_for(self.case).measure, Measure.DWANGSOM)

    def test_the_content_rules_of_the_awb(self):
        cases = {
            "amount": {"amount": None},
            "maximum": {"maximum": None},
            "amount_basis": {"amount_basis": ""},
            "grace_days": {"preventive": False, "grace_days": 0},
        }
        for field, values in cases.items():
            with self.subTest(field=field):
                with self.assertRaises(ValidationError) as ctx:
                    self.decide(**values)
                self.assertIn(field, ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            self.decide(maximum=Decimal("1000"), deviation_reason="lager")
        self.assertIn("maximum", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            self.decide(measure=Measure.SLUITING, grace_days=14,
                        deviation_reason="Ernstige overlast")  # fmt: skip
        self.assertIn("closure_months", ctx.exception.message_dict)
        self.assertFalse(LodDecision.objects.exists())

    def test_departing_from_the_proposal_needs_a_reason(self):
        with self.assertRaises(ValidationError) as ctx:
            self.decide(amount=Decimal("7500"))
        self.assertIn("deviation_reason", ctx.exception.message_dict)
        decision = self.decide(
            amount=Decimal("7500"),
            deviation_reason="Tweede woning van dezelfde eigenaar",
        )
        self.assertEqual(decision.amount, Decimal("7500"))

    def test_one_decision_per_case(self):
        self.decide()
        with self.assertRaises(ValidationError):
            self.decide()

    def test_only_the_burgemeester_decides(self):
        for user in (self.owner, self.politie_user, self.outsider, self.toezicht):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.decide(user=user)


class AssessmentTests(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_example_policy()

    def url(self):
        return f"/cases/{self.case.reference}/assessment/"

    def test_who_records_the_assessment(self):
        expected = {
            self.owner: 200,
            self.colleague: 200,
            self.burgemeester: 404,
            self.toezicht: 404,
            self.politie_user: 404,
            self.belastingdienst_user: 404,
            self.outsider: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, status)

    def test_the_assessment_page_records_the_facts_and_the_case_shows_the_proposal(
        self,
    ):
        self.login(self.owner)
        response = self.client.post(
            self.url(),
            {"form_token": new_token(), "found_on": "2026-04-02",
             "premises_kind": "woning", "substance": "hard", "grams": "12.5",
             "violation": "1", "facts": "Eigen woorden"},
        )  # fmt: skip
        self.assertRedirects(response, self.case.get_absolute_url())
        self.assertEqual(LodAssessment.objects.get().grams, Decimal("12.50"))
        page = self.client.get(self.case.get_absolute_url())
        self.assertEqual(page.context["lod"]["proposal"].measure, Measure.DWANGSOM)

    def test_a_finding_outside_any_policy_is_refused_with_nothing_stored(self):
        self.login(self.owner)
        response = self.client.post(
            self.url(),
            {"form_token": new_token(), "found_on": "2025-04-02",
             "premises_kind": "woning", "substance": "hard", "grams": "12.5",
             "violation": "1", "facts": "Mijn tekst"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Mijn tekst")
        self.assertFalse(LodAssessment.objects.exists())
