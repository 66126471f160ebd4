"""The Bibob letters (workflows/bibob/letters.py) read back from the PDF, their
legal checks, the prefill from a Bibob case, the step that calls for each,
and the D5 letters behind the wall."""

from datetime import date

from django.test import SimpleTestCase

from casework import documents, pdf
from casework.idempotency import new_token
from casework.letter_forms import initial_for
from casework.models import Document
from tests.casework.test_pdf import INPUTS, render, text_of
from tests.workflows.test_bibob_states import (
    ADVICE_REQUESTED,
    SCREENED,
    BibobTestCase,
)
from workflows.bibob.letters import BIBOB_TEMPLATES, D5_LETTERS, LETTER_CLASSES
from workflows.bibob.steps import BIBOB_STEPS

KEYS = (
    "lbb_adviesaanvraag", "kennisgeving_art32", "voornemen_bibob",
    "voornemen_bibob_derde", "ontvangstbevestiging_bibob", "vragenformulier_bibob",
    "herstelverzuim_bibob",
    "buiten_behandeling_bibob", "besluit_bibob_verlening",
    "besluit_bibob_voorschriften", "besluit_bibob_weigering",
    "besluit_bibob_intrekking", "verstrekking_bibob",
)  # fmt: skip
# Generated from the body the case names (here the burgemeester).
CLAUSE = (
    "Dan kunt u bezwaar maken bij de burgemeester van Venlo. Dat moet binnen zes weken."
)


class RenderTests(SimpleTestCase):
    def assert_text(self, key, *expected, **overrides):
        text = text_of(render(key, **overrides))
        for sentence in expected:
            with self.subTest(key=key, expected=sentence):
                self.assertIn(sentence, text)
        return text

    def test_the_keys_are_stable_and_each_letter_has_its_class(self):
        self.assertEqual(tuple(BIBOB_TEMPLATES), KEYS)
        for key in LETTER_CLASSES:
            self.assertIn(key, pdf.TEMPLATES)
        # The third party's copy carries the part of the advice about it
        # (art 28 lid 2 b): D5 like the voornemen.
        self.assertEqual(
            D5_LETTERS,
            {
                "lbb_adviesaanvraag",
                "voornemen_bibob",
                "voornemen_bibob_derde",
                "verstrekking_bibob",
            },
        )

    def test_ontvangstbevestiging_names_the_term_and_its_suspensions(self):
        text = self.assert_text(
            "ontvangstbevestiging_bibob",
            "Op 1 oktober 2026 heb ik uw aanvraag ontvangen voor: "
            "exploitatievergunning horeca",
            "uiterlijk op 26 november 2026",
            "artikel 4:15, eerste lid, onder a",
            "artikel 31 van de Wet bevordering integriteitsbeoordelingen",
            "Deze brief is geen besluit",
        )
        self.assertNotIn("bezwaarschrift", text)

    def test_the_cover_letter_gives_the_return_term_and_the_consequence(self):
        self.assert_text(
            "vragenformulier_bibob",
            "artikel 7a, tweede lid, Wet Bibob",
            "Terugsturen uiterlijk op 14 december 2026",
            "Regeling Bibob-formulieren 2024",
            "artikel 4:5 Algemene wet bestuursrecht",
        )
        self.assert_text(
            "vragenformulier_bibob",
            "artikel 7a, derde lid, Wet Bibob",
            "artikel 4, eerste lid, Wet Bibob",
            inquiry="intrekking",
        )

    def test_herstelverzuim_gives_the_term_to_complete_and_the_suspension(self):
        self.assert_text(
            "herstelverzuim_bibob",
            "Jaarrekening 2025",
            "Financieringsovereenkomst",
            "aan te vullen tot en met 14 december 2026 (artikel 4:5, eerste lid",
            "binnen vier weken na afloop van de termijn",
            "vanaf de dag na de verzending van deze brief",
            "artikel 4:15, eerste lid, onder a, Awb",
        )

    def test_buiten_behandeling_is_a_besluit_with_remedies(self):
        self.assert_text(
            "buiten_behandeling_bibob",
            "Bij brief van 20 oktober 2026",
            "tot en met 3 november 2026",
            "Ik besluit uw aanvraag niet te behandelen (artikel 4:5",
            CLAUSE,
        )

    def test_the_four_decisions_carry_the_remedies_clause(self):
        self.assert_text(
            "besluit_bibob_verlening",
            "Ik verleen u: exploitatievergunning horeca, Markt 1 Venlo.",
            CLAUSE,
        )
        self.assert_text(
            "besluit_bibob_voorschriften",
            "onder de voorschriften hieronder",
            "mindere mate van gevaar",
            "Jaarlijks een accountantsverklaring overleggen",
            "Handelt u in strijd met een voorschrift, dan kan ik de beschikking "
            "intrekken",
            CLAUSE,
        )
        self.assert_text(
            "besluit_bibob_weigering",
            "Ik weiger uw aanvraag op grond van artikel 3, eerste lid",
            "ernstig gevaar",
            "artikel 3, eerste lid, onder a, Wet Bibob",
            "artikel 3, eerste lid, onder b, Wet Bibob",
            "artikel 3, vijfde lid",
            CLAUSE,
        )
        self.assert_text(
            "besluit_bibob_intrekking",
            "Ik trek in: de exploitatievergunning van 3 maart 2024",
            "artikel 3, eerste lid, onder b, Wet Bibob",
            CLAUSE,
        )

    def test_a_refused_form_is_ernstig_gevaar_by_fiction_without_grounds(self):
        inputs = {**INPUTS["besluit_bibob_intrekking"], "grounds": [],
                  "form_refused": True}  # fmt: skip
        pdf.validate("besluit_bibob_intrekking", inputs)
        self.assert_text(
            "besluit_bibob_intrekking",
            "artikel 4, eerste lid, Wet Bibob",
            grounds=[],
            form_refused=True,
        )
        with self.assertRaises(pdf.LetterValidationError) as caught:
            pdf.validate("besluit_bibob_intrekking", {**inputs, "form_refused": False})
        self.assertEqual(caught.exception.missing, ["grounds"])

    def test_a_decision_of_the_college_names_the_college_awb_6_4(self):
        """Awb 6:4 lid 1 and 10:10: a college decision (omgevingsvergunning) is
        signed by and objected to at the college, never the burgemeester."""
        for key in KEYS[KEYS.index("buiten_behandeling_bibob") :][:5]:
            with self.subTest(key=key):
                text = text_of(render(key, bestuursorgaan="college"))
                self.assertIn(
                    "Dan kunt u bezwaar maken bij het college van burgemeester en "
                    "wethouders van Venlo.",
                    text,
                )
                self.assertIn(
                    "Hoogachtend, Burgemeester en wethouders van Venlo, de "
                    "secretaris, de burgemeester,",
                    text,
                )
                self.assertNotIn("bezwaar maken bij de burgemeester", text)

    def test_a_college_letter_speaks_as_wij_with_plural_verbs(self):
        """The letter speaks as its body (casework.competence.Voice): the
        college is collegial ("wij verlenen"), the burgemeester is not ("ik
        verleen"). Every Bibob letter, the same inputs, both bodies."""
        college = {
            "ontvangstbevestiging_bibob": (
                "Op 1 oktober 2026 hebben wij uw aanvraag ontvangen",
                "Wanneer beslissen wij?",
                "In beide gevallen hoort u dat van ons.",
            ),
            "kennisgeving_art32": ("laten wij u weten dat wij op",),
            "voornemen_bibob": (
                "Wij zijn van plan uw aanvraag te weigeren",
                "Ons voornemen is gebaseerd op",
                "wijzen wij u er schriftelijk op",
                "Voordat wij een besluit nemen,",
            ),
            "voornemen_bibob_derde": (
                "stellen wij u daarom in de gelegenheid",
                "voordat wij een besluit nemen.",
            ),
            "herstelverzuim_bibob": ("Wij geven u de gelegenheid",),
            "buiten_behandeling_bibob": ("Wij besluiten uw aanvraag niet te",),
            "besluit_bibob_verlening": (
                "Wij verlenen u: exploitatievergunning horeca, Markt 1 Venlo.",
            ),
            "besluit_bibob_voorschriften": (
                "Wij verlenen u:",
                "dan kunnen wij de beschikking intrekken",
            ),
            "besluit_bibob_weigering": (
                "Wij weigeren uw aanvraag op grond van artikel 3",
                "Wij zijn van oordeel dat ernstig gevaar",
            ),
            "besluit_bibob_intrekking": ("Wij trekken in:",),
            "verstrekking_bibob": (
                "Hierbij verstrekken wij u gegevens",
                "Wij doen dat op grond",
            ),
            "lbb_adviesaanvraag": ("vragen wij u advies", "zenden wij u"),
        }
        for key, sentences in college.items():
            with self.subTest(key=key):
                text = text_of(render(key, bestuursorgaan="college"))
                for sentence in sentences:
                    self.assertIn(sentence, text)
                # No first person singular left in the college's letter.
                for word in (" ik ", "Ik ", " mij ", " mijn ", "Mijn "):
                    self.assertNotIn(word, text)
                mayor = text_of(render(key, bestuursorgaan="burgemeester"))
                self.assertNotIn("Wij ", mayor)
                self.assertNotIn(" wij ", mayor)

    def test_the_burgemeester_still_speaks_as_ik(self):
        self.assert_text(
            "besluit_bibob_weigering",
            "Ik weiger uw aanvraag op grond van artikel 3",
            "Ik ben van oordeel dat ernstig gevaar",
            bestuursorgaan="burgemeester",
        )
        self.assert_text(
            "voornemen_bibob",
            "Ik ben van plan uw aanvraag te weigeren",
            "Mijn voornemen is gebaseerd op",
            "wijs ik u er schriftelijk op",
        )

    def test_terms_must_lie_after_the_letter(self):
        for key, field in (
            ("vragenformulier_bibob", "return_deadline"),
            ("herstelverzuim_bibob", "completion_deadline"),
        ):
            with self.subTest(key=key):
                with self.assertRaises(pdf.LetterValidationError) as caught:
                    pdf.validate(key, {**INPUTS[key], field: "2026-11-28"})
                self.assertEqual(caught.exception.invalid, [field])
        with self.assertRaises(pdf.LetterValidationError):
            pdf.validate(
                "buiten_behandeling_bibob",
                {
                    **INPUTS["buiten_behandeling_bibob"],
                    "completion_deadline": "2026-12-01",
                },
            )

    def test_the_provision_prints_the_warning_and_is_confidential(self):
        self.assert_text(
            "verstrekking_bibob",
            "Vertrouwelijk: gegevens uit een Bibob-onderzoek",
            "artikel 28, tweede lid, onder e",
            "Geheimhoudingsplicht (artikel 28 Wet Bibob)",
            "artikel 28, derde lid, van de Wet Bibob",
            "artikel 272 van het Wetboek van Strafrecht",
        )
        with self.assertRaises(pdf.LetterValidationError):
            pdf.validate(
                "verstrekking_bibob",
                {**INPUTS["verstrekking_bibob"], "recipient_code": "politie"},
            )

    def test_the_voornemen_carries_the_advice_copy_and_the_secrecy_warning(self):
        self.assert_text(
            "voornemen_bibob",
            "Een afschrift van het advies is bij deze brief gevoegd",
            "Geheimhoudingsplicht (artikel 28 Wet Bibob)",
        )


class CaseLetterTests(BibobTestCase):
    def test_steps_call_for_their_letters(self):
        expected = {
            "apply_bibob": "vragenformulier_bibob",
            "report_incomplete": "herstelverzuim_bibob",
            "set_aside": "buiten_behandeling_bibob",
            "send_art32_notice": "kennisgeving_art32",
            "grant": "besluit_bibob_verlening",
            "grant_without_bibob": "besluit_bibob_verlening",
            "grant_with_conditions": "besluit_bibob_voorschriften",
            "refuse": "besluit_bibob_weigering",
            "revoke": "besluit_bibob_intrekking",
        }
        for name, key in expected.items():
            with self.subTest(step=name):
                self.assertEqual(BIBOB_STEPS[name].letter_for({}), key)
        intake = BIBOB_STEPS["start_regular_assessment"]
        self.assertEqual(
            intake.letter_for({"kind": "application"}), "ontvangstbevestiging_bibob"
        )
        self.assertEqual(intake.letter_for({"kind": "revocation"}), "")
        # D5 letters are not made on the general page (which stores D2).
        for name in ("request_advice", "send_intention"):
            self.assertEqual(BIBOB_STEPS[name].letter_for({}), "")

    def test_after_apply_bibob_the_cover_letter_form_opens_prefilled(self):
        self.go(SCREENED[:-1])
        self.login(self.bibob)
        response = self.client.post(
            f"/cases/{self.case.reference}/transition/",
            {"name": "apply_bibob", "note": "Indicatoren aanwezig."},
        )
        url = (
            f"/cases/{self.case.reference}/documents/new/"
            "?template=vragenformulier_bibob"
        )
        self.assertRedirects(response, url, fetch_redirect_response=False)
        initial = initial_for(self.fresh(), "vragenformulier_bibob")
        self.assertEqual(
            (initial["inquiry"], initial["application_type"]),
            ("aanvraag", "Omgevingsvergunning"),
        )

    def test_the_herstelverzuim_prefill_reads_the_repair_period(self):
        self.go(
            [
                *SCREENED,
                ("report_incomplete", "bibob", "B21",
                 {"sent_on": date(2026, 2, 16), "term_length": 2,
                  "term_unit": "weeks"}),
            ]
        )  # fmt: skip
        initial = initial_for(self.fresh(), "herstelverzuim_bibob")
        self.assertEqual(initial["completion_deadline"], date(2026, 3, 2))
        self.assertEqual(initial["application_date"], date(2026, 2, 2))
        self.assertIn("decision_deadline", initial)

    def test_a_d5_letter_is_made_on_the_bibob_page_and_stays_behind_the_wall(self):
        self.go(ADVICE_REQUESTED)
        self.login(self.bibob)
        dossier = self.client.get(f"/cases/{self.case.reference}/bibob/")
        self.assertContains(dossier, "?template=lbb_adviesaanvraag")
        url = f"/cases/{self.case.reference}/bibob/letters/new/"
        initial = initial_for(self.fresh(), "lbb_adviesaanvraag")
        self.assertIn("KvK Handelsregister", initial["findings_summary"])
        self.assertEqual(initial["application_date"], date(2026, 2, 2))
        response = self.client.post(
            f"{url}?template=lbb_adviesaanvraag",
            {
                "template": "lbb_adviesaanvraag", "form_token": new_token(),
                "reference": self.case.reference, "date": "2026-03-09",
                "applicant_name": "Café De Kroon B.V.",
                "application_type": "omgevingsvergunning",
                "application_date": "2026-02-02",
                "findings_summary": initial["findings_summary"],
                "requesting_body": "De burgemeester van Venlo",
            },
        )  # fmt: skip
        self.assertEqual(response.status_code, 302, response.content[:2000])
        letter = Document.objects.get(case=self.case)
        self.assertEqual(
            (letter.template_key, letter.data_class), ("lbb_adviesaanvraag", "D5")
        )
        self.assertIn("faillissementen", text_of(bytes(letter.content)))
        readable = documents.documents_for_user
        self.assertIn(letter, readable(self.burgemeester, self.case))
        for user in (self.owner, self.toezicht, self.invordering, self.politie_user):
            with self.subTest(user=user.username):
                self.assertNotIn(letter, readable(user, self.case))
        # The share letter is made only by the share action.
        response = self.client.get(f"{url}?template=verstrekking_bibob")
        self.assertNotContains(response, 'name="shared_data"')
        # The burgemeester reads the dossier but makes no letters there.
        self.login(self.burgemeester)
        self.assertEqual(self.client.get(url).status_code, 404)
