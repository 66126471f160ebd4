"""The gebiedsverbod letters read back from the PDF (pypdf), their refusals of
missing or wrong inputs, the prefill from the case, and the demo."""

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from casework import pdf
from casework.letter_forms import initial_for
from casework.models import Case
from tests.casework.test_pdf import (
    ADDRESSED,
    INPUTS,
    LETTERHEAD,
    render_letter,
    text_of,
)
from workflows.gebiedsverbod.machine import CODE

from .test_gebiedsverbod_states import GebiedsverbodTestCase

# The sample inputs live with every other letter's in tests/casework/test_pdf.py.
BASE = {**ADDRESSED, "reference": "2026-GBV-0001", "date": "2026-03-05"}
VOORNEMEN = INPUTS["voornemen_gebiedsverbod"]
BESLUIT = INPUTS["besluit_gebiedsverbod"]
CLAUSE = BESLUIT["rechtsmiddelenclausule"]


def render(key, inputs):
    return text_of(render_letter(key, inputs, letterhead=LETTERHEAD))


class LetterTests(SimpleTestCase):
    def test_voornemen_renders(self):
        text = render("voornemen_gebiedsverbod", VOORNEMEN)
        for sentence in (
            "Onderwerp Voornemen maatregel openbare orde",
            "artikel 4:8 van de Algemene wet bestuursrecht",
            "tot en met 2 maart 2026",
            "kaart KAART-Q4, versie 3, hash 9f2c1e7a",
            "Dit voornemen is nog geen besluit.",
        ):
            self.assertIn(sentence, text)

    def test_besluit_renders(self):
        text = render("besluit_gebiedsverbod", BESLUIT)
        for sentence in (
            "Ik leg u een gebiedsverbod op.",
            "9 maart 2026",
            "8 juni 2026",
            "artikel 184 van het Wetboek van Strafrecht",
            "artikel 172a, negende lid, Gemeentewet",
            "binnen zes weken",
            "kaart KAART-Q4",
        ):
            self.assertIn(sentence, text)

    def test_missing_inputs_are_refused_with_the_article(self):
        inputs = {k: v for k, v in BESLUIT.items() if k not in ("fear_reasons",)}
        inputs["area_map"] = ""
        with self.assertRaises(pdf.LetterValidationError) as raised:
            pdf.validate("besluit_gebiedsverbod", inputs)
        self.assertEqual(set(raised.exception.missing), {"fear_reasons", "area_map"})
        self.assertIn("Gemw 172a lid 1", str(raised.exception))
        with self.assertRaises(pdf.LetterValidationError):
            pdf.validate(
                "voornemen_gebiedsverbod",
                {**VOORNEMEN, "zienswijze_deadline": "2026-02-23"},
            )

    def test_besluit_longer_than_three_months_is_refused(self):
        with self.assertRaises(pdf.LetterValidationError) as raised:
            pdf.validate("besluit_gebiedsverbod", {**BESLUIT, "end_date": "2026-06-09"})
        self.assertIn("172a lid 6 a", str(raised.exception))
        pdf.validate(
            "besluit_gebiedsverbod", {**BESLUIT, "end_date": "2026-06-09", "apv": True}
        )

    def test_templates_are_registered_for_the_case_type(self):
        from casework.registry import registry

        keys = {letter.key for letter in registry.letters_for(CODE)}
        self.assertTrue({"voornemen_gebiedsverbod", "besluit_gebiedsverbod"} <= keys)


class PrefillTests(GebiedsverbodTestCase):
    def test_the_besluit_is_prefilled_from_the_case_and_renders(self):
        case = self.reach("E50")
        initial = initial_for(case, "besluit_gebiedsverbod")
        self.assertEqual(
            initial["legal_basis"], "artikel 172a, eerste lid, Gemeentewet"
        )
        self.assertEqual(str(initial["end_date"]), "2026-06-08")
        self.assertIn("kaart KAART-Q4", initial["area_map"])
        inputs = {
            **initial,
            "recipient_name": "J. Jansen",
            "recipient_address": "Kerkstraat 1\n5911 AB Venlo",
        }
        inputs = {
            k: v.isoformat() if hasattr(v, "isoformat") else v
            for k, v in inputs.items()
        }
        text = render("besluit_gebiedsverbod", inputs)
        self.assertIn("8 juni 2026", text)


class DemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)

    def test_the_demo_seeds_cases_in_several_states(self):
        statuses = set(
            Case.objects.filter(case_type=CODE).values_list("status", flat=True)
        )
        self.assertTrue({"E10", "E30", "E60", "E70", "E80", "E95"} <= statuses)

    def test_the_police_see_the_outcome_of_the_demo_cases(self):
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        self.client.force_login(get_user_model().objects.get(username="politie"))
        for case in Case.objects.filter(case_type=CODE):
            response = self.client.get(
                reverse("casework:gebiedsverbod_measure", args=[case.reference])
            )
            self.assertEqual(response.status_code, 200, case.reference)
