"""The five PGA letters (workflows/pga/letters.py) read back from the PDF: what
Wgs paragraaf 2.4 asks of each, the Dutch validation problems, the afwijzing
without the person, the prefill from a case built through the PGA services,
and the afsluitingsverslag the close step makes (workflows/pga/steps.py)."""

from datetime import timedelta
from io import BytesIO

from django.test import SimpleTestCase
from django.utils import timezone

from pypdf import PdfReader

from casework import documents, pdf, services
from casework.letter_forms import LetterForm, initial_for
from casework.letters import DATA_CLASS_OF
from casework.models import Document
from tests.case_types import CaseType
from tests.casework.test_pdf import LETTERHEAD, text_of
from tests.workflows.test_pga_states import (
    D25,
    D40_READY,
    D50,
    D60,
    D60_EVALUATED,
    PgaTestCase,
    today,
)
from workflows.pga.letters import PGA_TEMPLATES, initials

KEYS = ("aanmeldbevestiging_pga", "afwijzing_pga", "uitnodiging_casusoverleg",
        "plan_van_aanpak", "afsluiting_pga")  # fmt: skip
TO_POLITIE = {
    "reference": "2026-PGA-0004",
    "date": "2026-11-28",
    "recipient_name": "Politie Eenheid Limburg",
    "recipient_address": ["Postbus 1150", "6201 BD Maastricht"],
}
INPUTS = {
    "aanmeldbevestiging_pga": {**TO_POLITIE, "received_on": "2026-11-23"},
    "afwijzing_pga": {
        **TO_POLITIE,
        "received_on": "2026-11-23",
        "advice": "Meld de casus aan bij het sociaal wijkteam Venlo-Oost.",
    },
    "uitnodiging_casusoverleg": {
        **TO_POLITIE,
        "conference_date": "2026-12-08",
        "conference_time": "14:30",
        "place": "Zorg- en Veiligheidshuis Venlo, Spoorstraat 2",
        "agenda": ["Kennismaking", "Informatie per partner", "Afspraken"],
        "person_initials": "J.d.V.",
    },
    "plan_van_aanpak": {
        "reference": "2026-PGA-0004",
        "person_name": "Jan de Vries",
        "date": "2026-12-08",
        "goals": [
            {"domain": "Wonen", "goal": "Stabiele huisvesting"},
            {"domain": "Middelengebruik", "goal": "Stopt met dealen"},
        ],
        "interventions": [
            {
                "partner": "Reclassering",
                "description": "Meldplicht",
                "kind": "drang",
                "owner": "A. Bakker",
                "legal_basis": "Bijzondere voorwaarde (Sr art. 14c)",
                "due_date": "2027-01-31",
            },
            {
                "partner": "Gemeente Venlo",
                "description": "Woonbegeleiding",
                "kind": "zorg",
                "owner": "B. Smit",
                "legal_basis": "Wmo 2015 art. 2.3.5",
                "due_date": "2027-02-15",
            },
        ],
        "next_evaluation": "2027-01-19",
    },
    # Exactly the inputs the close step passes (workflows/pga/steps.py).
    "afsluiting_pga": {
        "reference": "2026-PGA-0004",
        "date": "2027-06-30",
        "person_name": "Jan de Vries",
        "closed_on": "2027-06-30",
        "closure_report": "Doelen gehaald; de wijkcoach neemt de begeleiding over.",
        "goals": "Wonen: Stabiele huisvesting (bereikt)\n"
        "Middelengebruik: Stopt met dealen (niet bereikt)",
        "retention_until": "2031-11-23",
    },
}
CONTRACT = {"reference", "date", "person_name", "closed_on", "closure_report",
            "goals", "retention_until"}  # fmt: skip


def render(key, **overrides):
    return pdf.render_letter(key, {**INPUTS[key], **overrides}, letterhead=LETTERHEAD)


def problems_of(key, inputs):
    try:
        pdf.validate(key, inputs)
    except pdf.LetterValidationError as exc:
        return exc
    raise AssertionError(f"{key} accepted {inputs!r}")


class RegistryTests(SimpleTestCase):
    def test_the_five_are_registered_versioned_and_stored_as_d10(self):
        self.assertEqual(tuple(PGA_TEMPLATES), KEYS)
        for key in KEYS:
            with self.subTest(key=key):
                self.assertIs(pdf.TEMPLATES[key], PGA_TEMPLATES[key])
                self.assertRegex(pdf.TEMPLATES[key].version, r"^2026\.\d+$")
                self.assertEqual(DATA_CLASS_OF[key], "D10")
        # Replaces the 2026.1 plan of casework/letters.py, with its inputs.
        self.assertEqual(pdf.TEMPLATES["plan_van_aanpak"].version, "2026.2")

    def test_letters_to_participants_are_not_letters_to_the_person(self):
        for key in KEYS[:3]:
            self.assertIs(PGA_TEMPLATES[key].addressed_to_the_party, False)

    def test_the_afsluiting_accepts_exactly_the_close_steps_inputs(self):
        template = PGA_TEMPLATES["afsluiting_pga"]
        declared = {f.key for f in (*template.fields, *template.optional)}
        self.assertEqual(declared, CONTRACT)
        self.assertEqual(set(template.required), CONTRACT - {"goals"})


class RenderTests(SimpleTestCase):
    def assert_text(self, key, *expected, **overrides):
        pdf_bytes = render(key, **overrides)
        text = text_of(pdf_bytes)
        for sentence in expected:
            with self.subTest(key=key, expected=sentence):
                self.assertIn(sentence, text)
        return text, pdf_bytes

    def test_aanmeldbevestiging(self):
        self.assert_text(
            "aanmeldbevestiging_pga",
            "Politie Eenheid Limburg Postbus 1150 6201 BD Maastricht",
            "Onderwerp Bevestiging van uw aanmelding van 23 november 2026",
            "Op 23 november 2026 heeft u een casus aangemeld bij het Zorg- en "
            "Veiligheidshuis (artikel 2.31, eerste lid",
            "De aanmelding heeft het kenmerk 2026-PGA-0004",
            "Screening.",
            "wekelijkse triageoverleg met de publieke deelnemers",
            "(artikel 2.31, tweede lid, en artikel 2.25 Wgs)",
            "Wij gaan ervan uit dat u de betrokkene vertelt dat u hem of haar heeft "
            "aangemeld",
            "Dat doet u niet als daar een goede reden voor is",
            "artikel 1.11 Wet gegevensverwerking door samenwerkingsverbanden",
        )

    def test_aanmeldbevestiging_optional_initials_and_triage_date(self):
        self.assert_text(
            "aanmeldbevestiging_pga",
            "een casus over de betrokkene met de initialen J.d.V. aangemeld",
            "in de triage van 1 december 2026",
            person_initials="J.d.V.",
            triage_date="2026-12-01",
        )

    def test_afwijzing_gives_the_advice_and_says_the_data_is_minimised(self):
        self.assert_text(
            "afwijzing_pga",
            "Onderwerp Uw aanmelding van 23 november 2026",
            "Op 23 november 2026 heeft u een casus aangemeld bij het Zorg- en "
            "Veiligheidshuis (kenmerk 2026-PGA-0004)",
            "dat wij de casus niet in behandeling nemen",
            "complexe casuïstiek (artikel 2.25 Wgs)",
            "problemen heeft op meer dan één leefgebied",
            "Meld de casus aan bij het sociaal wijkteam Venlo-Oost.",
            "hebben wij de persoonsgegevens uit de aanmelding verwijderd",
            "Daarom staat de naam van de betrokkene niet in deze brief.",
        )

    def test_afwijzing_has_no_input_for_the_person_and_prints_none(self):
        template = PGA_TEMPLATES["afwijzing_pga"]
        keys = {f.key for f in (*template.fields, *template.optional)}
        self.assertFalse(keys & {"person_name", "person_initials", "date_of_birth"})
        # Even when a caller passes them, nothing of the person is printed.
        text, pdf_bytes = self.assert_text(
            "afwijzing_pga",
            "niet in behandeling",
            person_name="Jan de Vries",
            person_initials="J.d.V.",
            date_of_birth="1994-06-03",
        )
        for trace in ("Jan", "Vries", "J.d.V.", "1994", "3 juni"):
            self.assertNotIn(trace, text)
        metadata = str(dict(PdfReader(BytesIO(pdf_bytes)).metadata))
        self.assertNotIn("Vries", metadata)

    def test_uitnodiging(self):
        text, _ = self.assert_text(
            "uitnodiging_casusoverleg",
            "Onderwerp Uitnodiging casusoverleg 8 december 2026",
            "Datum 8 december 2026",
            "Tijd 14.30 uur",
            "Plaats Zorg- en Veiligheidshuis Venlo, Spoorstraat 2",
            "Kenmerk 2026-PGA-0004",
            "Betrokkene (initialen) J.d.V.",
            "Kennismaking",
            "Informatie per partner",
            "alleen de deelnemers deel die voor deze casus zijn geselecteerd "
            "(artikel 2.31, vierde lid, Wgs)",
            "Geheimhoudingsplicht (artikel 1.11 Wgs)",
            "moet die gegevens geheimhouden (artikel 1.11 Wgs)",
            "(artikel 2.29, tweede lid, Wgs)",
        )
        self.assertNotIn("Vries", text)

    def test_uitnodiging_lists_the_selected_participants(self):
        self.assert_text(
            "uitnodiging_casusoverleg",
            "Politie Eenheid Limburg",
            "Verslavingszorg Noord",
            participants=["Politie Eenheid Limburg", "Verslavingszorg Noord"],
        )

    def test_plan_van_aanpak(self):
        text, _ = self.assert_text(
            "plan_van_aanpak",
            "Plan van aanpak",
            "Betrokkene Jan de Vries",
            "Vastgesteld op 8 december 2026",
            "Wonen Stabiele huisvesting",
            "Middelengebruik Stopt met dealen",
            "Reclassering A. Bakker",
            "Meldplicht (drang)",
            "Woonbegeleiding (zorg)",
            "Bijzondere voorwaarde (Sr art. 14c)",
            "31 januari 2027",
            "(artikel 2.31, vijfde lid, van de Wet gegevensverwerking door "
            "samenwerkingsverbanden, hierna: Wgs)",
            "drang is hulp met een stok achter de deur",
            "artikel 2.31, zesde lid, Wgs",
            "Volgende evaluatie: 19 januari 2027.",
        )
        # Per partner: the gemeente's row comes before the reclassering's.
        self.assertLess(text.index("Woonbegeleiding"), text.index("Meldplicht"))

    def test_plan_without_a_review_date_says_who_sets_it(self):
        self.assert_text(
            "plan_van_aanpak",
            "De datum van de volgende evaluatie wordt in het casusoverleg bepaald.",
            next_evaluation="",
        )

    def test_afsluiting(self):
        self.assert_text(
            "afsluiting_pga",
            "Afsluitingsverslag persoonsgerichte aanpak",
            "Betrokkene Jan de Vries",
            "Afgesloten op 30 juni 2027",
            "De casus is op 30 juni 2027 afgesloten.",
            "Doelen gehaald; de wijkcoach neemt de begeleiding over.",
            "Wonen: Stabiele huisvesting (bereikt)",
            "Middelengebruik: Stopt met dealen (niet bereikt)",
            "afgeschermd (artikel 2.31, achtste lid, Wgs)",
            "uiterlijk op 23 november 2031 verwijderd of geanonimiseerd: vijf jaar "
            "na de eerste verwerking (artikel 1.8, zevende lid, Wgs)",
        )

    def test_afsluiting_without_goals_or_with_retention_passed(self):
        self.assert_text(
            "afsluiting_pga",
            "In deze casus zijn geen doelen vastgelegd.",
            "is op 23 november 2026 verstreken",
            "zo snel mogelijk verwijderd of geanonimiseerd",
            goals="",
            retention_until="2026-11-23",
        )


class ValidationTests(SimpleTestCase):
    def test_every_required_input_is_reported_missing(self):
        for key in KEYS:
            with self.subTest(key=key):
                exc = problems_of(key, {})
                self.assertEqual(exc.missing, list(PGA_TEMPLATES[key].required))
                self.assertIn("kan niet worden gemaakt", str(exc))
                self.assertIn("het zaakkenmerk ontbreekt", str(exc))

    def test_afwijzing_needs_the_advice_and_the_referral_date(self):
        inputs = {**INPUTS["afwijzing_pga"], "advice": " ", "received_on": None}
        exc = problems_of("afwijzing_pga", inputs)
        self.assertEqual(exc.missing, ["received_on", "advice"])
        self.assertIn("ontbreekt (Wgs art. 2.31 lid 2)", str(exc))
        self.assertIn("ontbreekt (Wgs art. 2.31 lid 1)", str(exc))

    def test_afsluiting_needs_the_report_and_the_retention_date(self):
        inputs = {**INPUTS["afsluiting_pga"]}
        del inputs["closure_report"], inputs["retention_until"]
        exc = problems_of("afsluiting_pga", inputs)
        self.assertEqual(exc.missing, ["closure_report", "retention_until"])
        self.assertIn("ontbreekt (Wgs art. 1.8 lid 7)", str(exc))

    def test_invitation_takes_initials_not_the_name(self):
        for name in ("Jan de Vries", "J. de Vries", "IJsselmuiden"):
            with self.subTest(name=name):
                exc = problems_of(
                    "uitnodiging_casusoverleg",
                    {**INPUTS["uitnodiging_casusoverleg"], "person_initials": name},
                )
                self.assertEqual(exc.invalid, ["person_initials"])
                self.assertIn("Wgs art. 2.31 lid 4", str(exc))
        pdf.validate(
            "uitnodiging_casusoverleg",
            {**INPUTS["uitnodiging_casusoverleg"], "person_initials": "J. v. D."},
        )

    def test_invitation_time_must_be_a_time(self):
        exc = problems_of(
            "uitnodiging_casusoverleg",
            {**INPUTS["uitnodiging_casusoverleg"], "conference_time": "half drie"},
        )
        self.assertEqual(exc.invalid, ["conference_time"])

    def test_every_intervention_needs_an_owner_and_a_kind(self):
        intervention = {**INPUTS["plan_van_aanpak"]["interventions"][0]}
        intervention["owner"] = ""
        inputs = {**INPUTS["plan_van_aanpak"], "interventions": [intervention]}
        exc = problems_of("plan_van_aanpak", inputs)
        self.assertEqual(exc.invalid, ["interventions"])
        self.assertIn("regel 1", str(exc))
        intervention["owner"], intervention["kind"] = "A. Bakker", "dwang_straf"
        exc = problems_of("plan_van_aanpak", inputs)
        self.assertIn("zorg, drang, dwang", str(exc))

    def test_initials(self):
        self.assertEqual(initials("Jan de Vries"), "J.d.V.")
        self.assertEqual(initials("Jan Peters"), "J.P.")


def form_inputs(case, key):
    """The letter form filled with the case's prefill, as a user would send it."""
    initial = initial_for(case, key)
    data = {k: v for k, v in initial.items() if v is not None}
    form = LetterForm({**data, "form_token": "t"}, template_key=key)
    form.is_valid()
    return initial, form


class PrefillTests(PgaTestCase):
    """Cases built through the PGA services (tests/workflows/test_pga_states.py)."""

    def make(self, key, case, **extra):
        initial, form = form_inputs(case, key)
        self.assertEqual(form.errors, {})
        inputs = {**form.inputs(), **extra}
        document = documents.document_generate(
            case=case, user=self.cr, template_key=key, inputs=inputs, data_class="D10"
        )
        return initial, document, text_of(bytes(document.content))

    def test_the_plan_letter_is_offered_only_once_the_plan_is_adopted(self):
        """A letter kind is offered only once the step it records exists: the
        plan van aanpak once the casusoverleg adopted it (WGS 2.31 lid 5), and
        only to the casusregisseur."""
        case = self.go(D40_READY, self.open_referral())
        self.assertIs(documents.may_make(self.cr, case, "plan_van_aanpak"), False)
        self.assertIs(
            documents.may_make(self.cr, case, "uitnodiging_casusoverleg"), True
        )
        self.assertIs(documents.may_make(self.cr, case, "afwijzing_pga"), False)
        case = self.go(["adopt_plan"], case)
        self.assertIs(documents.may_make(self.cr, case, "plan_van_aanpak"), True)
        self.assertIs(documents.may_make(self.jurist, case, "plan_van_aanpak"), False)

    def test_the_plan_and_invitation_come_from_the_case(self):
        case = self.go(D50, self.open_referral())
        initial = initial_for(case, "plan_van_aanpak")
        self.assertEqual(initial["person_name"], "Jan Peters")
        self.assertEqual(initial["recipient_name"], "Politie Eenheid Limburg")
        self.assertEqual(initial["recipient_address"], "")
        self.assertEqual(
            initial["goals"], "Middelengebruik | Stopt met dealen en gebruiken"
        )
        due = today() + timedelta(days=30)
        self.assertIn(
            f"Politie Eenheid Limburg | Gebiedsverbod handhaven | dwang | "
            f"{self.politie_user.get_full_name() or 'politie'} | Sv art. 38v | "
            f"{due.isoformat()}",
            initial["interventions"].splitlines(),
        )
        self.assertEqual(initial["next_evaluation"], today() + timedelta(weeks=6))

        _, document, text = self.make("plan_van_aanpak", case)
        self.assertEqual(document.data_class, "D10")
        self.assertEqual(document.template_version, "2026.2")
        for expected in (
            "Betrokkene Jan Peters",
            "Middelengebruik Stopt met dealen en gebruiken",
            "Gebiedsverbod handhaven (dwang)",
            "Traject verslavingszorg (zorg)",
            "Wmo 2015 art. 2.3.5",
        ):
            self.assertIn(expected, text)

        initial, document, text = self.make("uitnodiging_casusoverleg", case)
        conference = case.pga_conferences.first()
        planned = timezone.localtime(conference.planned_at)
        self.assertEqual(initial["conference_date"], planned.date())
        self.assertEqual(initial["conference_time"], f"{planned:%H.%M}")
        self.assertEqual(initial["person_initials"], "J.P.")
        self.assertEqual(
            set(initial["participants"].splitlines()),
            {"Gemeente Venlo", "Politie Eenheid Limburg", "Verslavingszorg Noord"},
        )
        self.assertIn("Betrokkene (initialen) J.P.", text)
        self.assertIn("Kennismaking; afspraken per partner", text)
        self.assertIn("Verslavingszorg Noord", text)
        self.assertNotIn("Peters", text)

    def test_the_general_letter_page_stores_them_as_d10(self):
        # The casusregisseur may write D10 but not D2 (permissions/policy.py).
        # The day fixed once: a run across midnight (Europe/Amsterdam) would
        # otherwise register on one day and expect the next.
        received = today() - timedelta(days=10)
        case = self.go(D40_READY, self.open_referral(received_on=received))
        _, form = form_inputs(case, "aanmeldbevestiging_pga")
        document = documents.document_generate(
            case=case,
            user=self.cr,
            template_key="aanmeldbevestiging_pga",
            inputs=form.inputs(),
        )
        self.assertEqual(document.data_class, "D10")
        text = text_of(bytes(document.content))
        self.assertIn(f"Op {pdf.format_date(received)}", text)
        self.assertNotIn("Peters", text)

    def test_the_afwijzing_after_rejection_carries_nothing_of_the_person(self):
        case = self.go(D25, self.open_referral())
        initial, document, text = self.make("afwijzing_pga", case)
        self.assertEqual(initial["person_name"], "")
        self.assertEqual(initial["advice"], "Aanmelden bij het sociaal wijkteam.")
        self.assertIn("Aanmelden bij het sociaal wijkteam.", text)
        self.assertIn("Politie Eenheid Limburg", text)
        for trace in ("Jan", "Peters", "J.P.", "1994", "3 juni", "Kloosterstraat"):
            self.assertNotIn(trace, text)
        self.assertEqual(document.data_class, "D10")

    def test_the_close_step_makes_the_afsluitingsverslag(self):
        # Closed directly from execution after one evaluation (WGS 2.31 lid 6).
        case = self.go([*D60_EVALUATED, "close"], self.open_referral())
        document = Document.objects.get(case=case, template_key="afsluiting_pga")
        self.assertEqual(document.data_class, "D10")
        self.assertEqual(set(document.inputs), CONTRACT)
        text = text_of(bytes(document.content))
        referral = case.pga_referral
        for expected in (
            "Betrokkene Jan Peters",
            f"De casus is op {pdf.format_date(today())} afgesloten.",
            "Doelen gehaald; regulier traject loopt.",
            "Stopt met dealen en gebruiken",
            "afgeschermd (artikel 2.31, achtste lid, Wgs)",
            f"uiterlijk op {pdf.format_date(referral.retention_until)}",
        ):
            self.assertIn(expected, text)

    def test_the_afsluiting_prefill_gives_each_goal_with_its_outcome(self):
        case = self.go(D60, self.open_referral())
        initial = initial_for(case, "afsluiting_pga")
        self.assertEqual(
            initial["goals"], "Middelengebruik: Stopt met dealen en gebruiken "
            "(niet bereikt)"
        )  # fmt: skip
        self.assertEqual(initial["closed_on"], today())
        self.assertEqual(initial["retention_until"], case.pga_referral.retention_until)

    def test_a_case_without_referral_still_opens_the_form(self):
        case = services.case_open(
            user=self.cr, case_type=CaseType.PGA, title="Aanmelding via signaal"
        )
        initial = initial_for(case, "aanmeldbevestiging_pga")
        self.assertEqual(initial["recipient_name"], "")
        self.assertNotIn("received_on", initial)
        self.assertEqual(initial["goals"], "")
        self.assertEqual(initial["reference"], case.reference)
