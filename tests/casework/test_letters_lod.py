"""The further LOD letters read back from the PDF, their legal checks, the
prefill from the case, and the rule that a police report never goes into a
letter to the person concerned."""

from datetime import date, timedelta
from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import timezone

from casework import documents, pdf, services
from casework.letter_forms import initial_for
from casework.models import Document, Signal
from permissions.models import DataClass
from tests.casework.test_pdf import INPUTS, render, text_of
from tests.workflows.base import WorkflowTestCase
from tests.workflows.test_lod_states import PREVENTIVE_ORDER
from workflows.handhavingsmatrix import (
    Measure,
    lod_assessment_record,
    lod_decision_record,
    seed_example_policy,
)
from workflows.steps import step_run

REPORT = (
    "Bij de doorzoeking van de woning aan de Kerkstraat trof de politie in de "
    "keukenkast een zak met 42 gram cocaine en een weegschaal aan"
)


class RenderTests(SimpleTestCase):
    def assert_text(self, key, *expected, **overrides):
        text = text_of(render(key, **overrides))
        for sentence in expected:
            with self.subTest(key=key, expected=sentence):
                self.assertIn(sentence, text)
        return text

    def test_waarschuwing_is_not_a_besluit(self):
        self.assert_text(
            "waarschuwing_lod",
            "volsta ik deze keer met een waarschuwing",
            "een last onder dwangsom van € 5.000 per overtreding",
            "Deze brief is geen besluit",
        )

    def test_voornemen_sluiting(self):
        self.assert_text(
            "voornemen_sluiting",
            "voor de duur van 3 maanden te sluiten",
            "tot en met 12 december 2026",
            "artikel 5:25 Awb",
            "Dit voornemen is nog geen besluit",
        )

    def test_besluit_sluiting_names_remedies_and_interim_relief(self):
        self.assert_text(
            "besluit_sluiting",
            "gesloten voor de duur van 3 maanden",
            "Evenredigheid",
            "een lichtere maatregel volstaat niet",
            "artikel 6:16 Awb",
            "om een voorlopige voorziening vragen (artikel 8:81 Awb)",
            "binnen zes weken",
        )

    def test_voornemen_invordering_lists_the_forfeitures(self):
        self.assert_text(
            "voornemen_invordering",
            "€ 5.000,00",
            "€ 2.500,50",
            "in totaal € 7.500,50",
            "afzie van invordering",
        )

    def test_aanmaning_adds_the_costs_and_the_two_weeks(self):
        self.assert_text(
            "aanmaning",
            "€ 7.500,50",
            "Aanmaningskosten (artikel 4:113 Awb) € 16,00",
            "€ 7.516,50",
            "uiterlijk op 4 mei 2027",
            "dwangbevel (artikel 4:114 Awb)",
            "geen besluit",
        )

    def test_an_aanmaning_without_costs_has_no_cost_line(self):
        text = self.assert_text("aanmaning", "€ 7.500,50", reminder_costs="")
        self.assertNotIn("Aanmaningskosten", text)

    def test_the_aanmaning_period_is_at_least_two_weeks(self):
        # Dated Tue 20-04-2027: two weeks later is Tue 04-05-2027; 03-05 is short.
        with self.assertRaises(pdf.LetterValidationError) as ctx:
            render("aanmaning", payment_deadline="2027-05-03")
        self.assertEqual(ctx.exception.invalid, ["payment_deadline"])

    def test_a_total_that_is_not_the_sum_is_refused(self):
        with self.assertRaises(pdf.LetterValidationError) as ctx:
            render("voornemen_invordering", total_amount="7000")
        self.assertEqual(ctx.exception.invalid, ["total_amount"])

    def test_a_closure_without_proportionality_is_refused(self):
        inputs = {**INPUTS["besluit_sluiting"], "proportionality": ""}
        with self.assertRaises(pdf.LetterValidationError) as ctx:
            pdf.validate("besluit_sluiting", inputs)
        self.assertEqual(ctx.exception.missing, ["proportionality"])


class PrefillAndPoliceReportTests(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_example_policy()
        cls.report = services.signal_register(
            user=cls.politie_user,
            source=Signal.Source.BESTUURLIJKE_RAPPORTAGE,
            received_on=date(2026, 3, 1),
            summary=REPORT,
            data_class=DataClass.D3,
            legal_basis="Wpg 16 lid 1 b",
            shared_with=[cls.gemeente],
            parties=[],
            locations=[],
        )
        cls.report.cases.add(cls.case)

    def test_the_letter_form_starts_from_the_decision_and_the_forfeitures(self):
        self.walk([*PREVENTIVE_ORDER, ("review_new_report", "toezicht", "A61")])
        lod_decision_record(
            case=self.case, user=self.burgemeester, measure=Measure.DWANGSOM,
            amount=Decimal("5000"), amount_basis="per_violation",
            maximum=Decimal("15000"), preventive=True, on=date(2026, 3, 1),
        )  # fmt: skip
        step_run(case=self.case, name="establish_breach", user=self.toezicht,
                 data={"forfeited_on": date(2026, 3, 24), "units": 1})  # fmt: skip
        initial = initial_for(self.case, "aanmaning")
        self.assertEqual(initial["amount_per_violation"], Decimal("5000"))
        self.assertEqual(initial["maximum_amount"], Decimal("15000"))
        self.assertEqual(initial["total_amount"], Decimal("5000"))
        self.assertIn("2026-03-24 |", initial["forfeitures"])
        # Payment due: Tue 24-03-2026 + 6 weeks = 05-05 (Bevrijdingsdag) → 06-05.
        self.assertEqual(initial["original_due_date"], date(2026, 5, 6))
        self.assertEqual(
            initial["payment_deadline"], timezone.localdate() + timedelta(days=14)
        )
        self.assertIn("beleidsregel", initial)
        for value in initial.values():
            self.assertNotIn("keukenkast", str(value))

    def inputs(self, violation):
        return {
            **INPUTS["waarschuwing_lod"],
            "reference": self.case.reference,
            "violation": violation,
        }

    def test_a_letter_quoting_the_police_report_is_refused_and_not_stored(self):
        copied = "Vastgesteld: " + REPORT[40:].upper() + "."
        with self.assertRaises(pdf.LetterValidationError) as ctx:
            documents.document_generate(
                case=self.case, user=self.owner, template_key="waarschuwing_lod",
                inputs=self.inputs(copied),
            )  # fmt: skip
        self.assertEqual(ctx.exception.invalid, ["violation"])
        self.assertIn("D3", str(ctx.exception))
        self.assertFalse(Document.objects.exists())

    def test_own_words_pass(self):
        own = (
            "Uit informatie van de politie blijkt dat in de woning harddrugs in een "
            "handelshoeveelheid aanwezig waren."
        )
        document = documents.document_generate(
            case=self.case, user=self.owner, template_key="waarschuwing_lod",
            inputs=self.inputs(own),
        )  # fmt: skip
        self.assertEqual(document.template_key, "waarschuwing_lod")

    def test_an_assessment_without_the_report_gives_its_proposal(self):
        lod_assessment_record(
            case=self.case, user=self.owner, found_on=date(2026, 3, 1),
            premises_kind="woning", substance="soft", grams=Decimal("20"),
            violation=1,
        )  # fmt: skip
        initial = initial_for(self.case, "waarschuwing_lod")
        self.assertIn("voorbeeld", initial["beleidsregel"])
        self.assertNotIn("amount_per_violation", initial)
