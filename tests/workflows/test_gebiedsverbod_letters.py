"""The gebiedsverbod letters read back from the PDF (pypdf), their refusals of
missing or wrong inputs, the prefill from the case, and the demo."""

from datetime import date
from io import BytesIO

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from pypdf import PdfReader

from casework import pdf
from casework.letter_forms import initial_for
from casework.models import Case
from tests.casework.test_pdf import (
    INPUTS,
    LETTERHEAD,
    render_letter,
    text_of,
)
from workflows.gebiedsverbod.letters import APV_ACT, SERIOUS
from workflows.gebiedsverbod.machine import CODE
from workflows.gebiedsverbod.measures import ApvPolicy

from .test_gebiedsverbod_states import ORDER, URGENT, GebiedsverbodTestCase

# The sample inputs live with every other letter's in tests/casework/test_pdf.py.
VOORNEMEN = INPUTS["voornemen_gebiedsverbod"]
BESLUIT = INPUTS["besluit_gebiedsverbod"]
# Generated from the burgemeester's competence (casework/competence.py).
CLAUSE = (
    "Dan kunt u bezwaar maken bij de burgemeester van Venlo. Dat moet binnen zes weken."
)
APV = {
    "apv": True,
    "ground": APV_ACT,
    "legal_basis": "artikel 2:79 APV Venlo (versie 2)",
    "measure_description": "U mag zich niet bevinden in het stationsgebied.",
}
URGENT_INPUTS = {
    **{k: v for k, v in BESLUIT.items() if k not in ("voornemen_date", "zienswijze")},
    "urgent": True,
    "urgency_ground": "4:11a",
    "urgency_reasons": "Voor zaterdag zijn rellen aangekondigd.",
}
MELDPLICHT = {
    "reporting_duty": True,
    "reporting_times": "Elke zaterdag om 15.00 uur, politiebureau Venlo.",
}


def render(key, inputs):
    return text_of(render_letter(key, inputs, letterhead=LETTERHEAD))


def refused(key, inputs):
    """The LetterValidationError for these inputs (the test fails without one)."""
    try:
        pdf.validate(key, inputs)
    except pdf.LetterValidationError as error:
        return error
    raise AssertionError(f"{key} was not refused")


class VoornemenTests(SimpleTestCase):
    def test_the_voornemen_names_measure_ground_fear_period_and_views(self):
        text = render("voornemen_gebiedsverbod", VOORNEMEN)
        for sentence in (
            "Onderwerp Voornemen bevel artikel 172a Gemeentewet",
            "Ik ben van plan u op grond van artikel 172a, eerste lid, Gemeentewet "
            "een bevel te geven om verdere verstoring van de openbare orde te "
            "voorkomen.",
            "artikel 4:8 van de Algemene wet bestuursrecht, hierna: Awb",
            "Op 10 februari 2026 vernielde u winkelruiten",
            "Naar mijn oordeel heeft u de openbare orde herhaaldelijk verstoord "
            "(artikel 172a, eerste lid, Gemeentewet).",
            "als er ernstige vrees bestaat voor verdere verstoring van de openbare "
            "orde (artikel 172a, eerste lid, Gemeentewet)",
            "U kondigde aan terug te komen.",
            "Welk bevel wil ik u geven?",
            "gebiedsverbod, artikel 172a, eerste lid, onder a, Gemeentewet",
            "Het stationsgebied: Stationsplein, Keulsepoort en Q4.",
            "Het gebied is aangegeven op de kaart bij deze brief (kaart KAART-Q4, "
            "versie 3, hash 9f2c1e7a).",
            "Ik ben van plan het bevel te laten gelden voor drie maanden",
            "ten hoogste drie maanden (artikel 172a, zesde lid, onder a, Gemeentewet)",
            "Uitgezonderd de kortste route naar uw werk",
            "U kunt tot en met 2 maart 2026 uw zienswijze geven, schriftelijk of "
            "mondeling (artikel 4:9 Awb).",
            "kenmerk 2026-GBV-0001",
            "een advocaat of een andere gemachtigde",
            "Dit voornemen is nog geen besluit. U kunt er daarom geen bezwaar tegen "
            "maken.",
            "De burgemeester van Venlo",
        ):
            self.assertIn(sentence, text)
        # The order of the letter: facts, fear, measure, duration, views.
        positions = [
            text.index(heading)
            for heading in (
                "Wat is er gebeurd?",
                "Vrees voor verdere verstoring",
                "Welk bevel wil ik u geven?",
                "Hoe lang?",
                "Voorwaarden en uitzonderingen",
                "Uw zienswijze",
                "Dit voornemen is nog geen besluit",
                "Hoogachtend",
            )
        ]
        self.assertEqual(positions, sorted(positions))

    def test_an_apv_voornemen_speaks_of_a_verblijfsontzegging(self):
        text = render("voornemen_gebiedsverbod", {**VOORNEMEN, **APV})
        for sentence in (
            "Onderwerp Voornemen verblijfsontzegging",
            "een verblijfsontzegging op te leggen",
            "Welke verblijfsontzegging wil ik u opleggen?",
            "Ik ben van plan de verblijfsontzegging te laten gelden",
            "waarvoor ik op grond van artikel 2:79 APV Venlo (versie 2) een "
            "verblijfsontzegging kan geven",
        ):
            self.assertIn(sentence, text)
        self.assertNotIn("zesde lid", text)

    def test_the_version_is_in_the_metadata(self):
        info = PdfReader(
            BytesIO(
                render_letter(
                    "voornemen_gebiedsverbod", VOORNEMEN, letterhead=LETTERHEAD
                )
            )
        ).metadata
        self.assertEqual(info["/Keywords"], "voornemen_gebiedsverbod 2026.2")

    def test_missing_inputs_are_refused_with_the_article(self):
        inputs = {
            k: v
            for k, v in VOORNEMEN.items()
            if k not in ("fear_reasons", "conditions", "ground")
        }
        error = refused("voornemen_gebiedsverbod", inputs)
        self.assertEqual(set(error.missing), {"fear_reasons", "conditions", "ground"})
        self.assertIn("Gemw 172a lid 1", str(error))
        self.assertIn("Gemw 172a lid 1 en 2", str(error))

    def test_the_views_period_must_end_after_the_letter(self):
        error = refused(
            "voornemen_gebiedsverbod",
            {**VOORNEMEN, "zienswijze_deadline": "2026-02-23"},
        )
        self.assertEqual(error.invalid, ["zienswijze_deadline"])
        self.assertIn("Awb 4:8", str(error))

    def test_a_ground_that_does_not_fit_the_basis_is_refused(self):
        error = refused("voornemen_gebiedsverbod", {**VOORNEMEN, "ground": APV_ACT})
        self.assertEqual(error.invalid, ["ground"])
        error = refused(
            "voornemen_gebiedsverbod", {**VOORNEMEN, **APV, "ground": SERIOUS}
        )
        self.assertEqual(error.invalid, ["ground"])


class BesluitTests(SimpleTestCase):
    def test_the_besluit_renders_every_required_part_in_order(self):
        text = render("besluit_gebiedsverbod", BESLUIT)
        for sentence in (
            "Onderwerp Besluit bevel artikel 172a Gemeentewet",
            "Met dit besluit geef ik u een bevel om verdere verstoring van de "
            "openbare orde te voorkomen.",
            "Bij brief van 23 februari 2026 heb ik u laten weten dat ik van plan was "
            "u dit bevel te geven",
            "U zei op 26 februari 2026 dat u het station nodig heeft.",
            "Ik geef u op grond van artikel 172a, eerste lid, Gemeentewet het "
            "volgende bevel: U mag zich niet bevinden",
            "gebiedsverbod, artikel 172a, eerste lid, onder a, Gemeentewet",
            "Het gebied is aangegeven op de kaart die als bijlage bij dit besluit "
            "is gevoegd en daarvan deel uitmaakt (kaart KAART-Q4, versie 3, hash "
            "9f2c1e7a).",
            "Het bevel geldt van 9 maart 2026 tot en met 8 juni 2026. Dat is niet "
            "langer dan drie maanden (artikel 172a, zesde lid, onder a, "
            "Gemeentewet).",
            "Met deze gedragingen heeft u de openbare orde herhaaldelijk verstoord",
            "Ik kan u dit bevel alleen geven als er ernstige vrees bestaat",
            "(artikel 3:4, tweede lid, Awb)",
            "Een waarschuwing van 12 januari 2026 hielp niet.",
            "Houdt u zich opzettelijk niet aan dit bevel, dan pleegt u een "
            "strafbaar feit (artikel 184 van het Wetboek van Strafrecht).",
            "proces-verbaal op en stuurt zij dat naar het Openbaar Ministerie",
            "het bevel te verlengen (artikel 172a, zesde lid, onder a, Gemeentewet)",
            "(artikel 172a, zevende lid, Gemeentewet)",
            "ontheffing te verlenen",
            "(artikel 172a, achtste lid, Gemeentewet)",
            "Ik trek het bevel in zodra het niet langer nodig is om verdere "
            "verstoring van de openbare orde te voorkomen (artikel 172a, negende "
            "lid, Gemeentewet).",
            CLAUSE,
            "voorlopige voorziening",
        ):
            self.assertIn(sentence, text)
        positions = [
            text.index(part)
            for part in (
                "Bij brief van 23 februari 2026",
                "Uw zienswijze en mijn reactie",
                "Besluit Ik geef u",
                "Het gebied",
                "Duur",
                "Voorwaarden en uitzonderingen",
                "Waarom geef ik u dit bevel?",
                "Vrees voor verdere verstoring",
                "Evenredigheid en subsidiariteit",
                "Wat gebeurt er als u zich niet aan dit bevel houdt?",
                "Ontheffing, wijziging en intrekking",
                "Bezwaar maken",
                "Hoogachtend, De burgemeester van Venlo",
            )
        ]
        self.assertEqual(positions, sorted(positions))
        self.assertNotIn("4:11", text)

    def test_an_urgent_besluit_gives_the_ground_and_reasons_of_4_11(self):
        text = render("besluit_gebiedsverbod", URGENT_INPUTS)
        for sentence in (
            "Ik heb u niet eerst in de gelegenheid gesteld uw zienswijze te geven "
            "(artikel 4:8 van de Algemene wet bestuursrecht, hierna: Awb), omdat de "
            "vereiste spoed zich daartegen verzette (artikel 4:11, aanhef en onder "
            "a, Awb).",
            "Voor zaterdag zijn rellen aangekondigd.",
            "U kunt uw standpunt alsnog naar voren brengen in een bezwaarschrift",
        ):
            self.assertIn(sentence, text)
        self.assertNotIn("Bij brief van", text)

    def test_each_4_11_ground_is_named_with_its_letter(self):
        for ground, words in (
            ("4:11b", "u al eerder in de gelegenheid bent gesteld"),
            ("4:11c", "alleen kon worden bereikt als u daarvan niet vooraf"),
        ):
            with self.subTest(ground=ground):
                text = render(
                    "besluit_gebiedsverbod",
                    {**URGENT_INPUTS, "urgency_ground": ground},
                )
                self.assertIn(words, text)
                self.assertIn(f"onder {ground[-1]}, Awb", text)

    def test_a_meldplicht_names_the_times_and_place(self):
        text = render("besluit_gebiedsverbod", {**BESLUIT, **MELDPLICHT})
        self.assertIn(
            "Tijdstippen en plaats van melding Elke zaterdag om 15.00 uur, "
            "politiebureau Venlo.",
            text,
        )

    def test_an_apv_besluit_is_a_verblijfsontzegging_without_172a_text(self):
        inputs = {**BESLUIT, **APV, "end_date": "2026-06-20"}
        text = render("besluit_gebiedsverbod", inputs)
        for sentence in (
            "Onderwerp Besluit verblijfsontzegging",
            "Met dit besluit leg ik u een verblijfsontzegging op",
            "Ik leg u op grond van artikel 2:79 APV Venlo (versie 2) de volgende "
            "verblijfsontzegging op:",
            "De verblijfsontzegging geldt van 9 maart 2026 tot en met 20 juni 2026.",
            "Waarom leg ik u deze verblijfsontzegging op?",
            "Deze verblijfsontzegging beperkt uw vrijheid",
            "Houdt u zich opzettelijk niet aan deze verblijfsontzegging",
        ):
            self.assertIn(sentence, text)
        for absent in ("zesde lid", "negende lid", "172a, eerste lid"):
            self.assertNotIn(absent, text)

    def test_the_version_is_in_the_metadata(self):
        info = PdfReader(
            BytesIO(
                render_letter("besluit_gebiedsverbod", BESLUIT, letterhead=LETTERHEAD)
            )
        ).metadata
        self.assertEqual(info["/Keywords"], "besluit_gebiedsverbod 2026.3")


class BesluitRefusalTests(SimpleTestCase):
    key = "besluit_gebiedsverbod"

    def refused(self, **changes):
        inputs = {**BESLUIT, **changes}
        for key in [k for k, v in changes.items() if v is None]:
            del inputs[key]
        return refused(self.key, inputs)

    def test_missing_inputs_are_refused_with_the_article(self):
        error = self.refused(fear_reasons=None, proportionality=None, area_map="")
        self.assertEqual(
            set(error.missing), {"fear_reasons", "proportionality", "area_map"}
        )
        self.assertIn("Gemw 172a lid 1", str(error))
        self.assertIn("Awb 3:4 lid 2", str(error))

    def test_longer_than_three_months_is_refused_except_under_the_apv(self):
        error = self.refused(end_date="2026-06-09")
        self.assertEqual(error.invalid, ["end_date"])
        self.assertIn("172a lid 6 a", str(error))
        pdf.validate(self.key, {**BESLUIT, **APV, "end_date": "2026-06-09"})

    def test_end_before_start_is_refused(self):
        self.assertEqual(self.refused(end_date="2026-03-08").invalid, ["end_date"])

    def test_a_start_before_the_besluit_is_refused_the_same_day_is_not(self):
        error = self.refused(start_date="2026-03-04")
        self.assertIn("start_date", error.invalid)
        self.assertIn("Awb 3:40", str(error))
        pdf.validate(
            self.key, {**BESLUIT, "start_date": "2026-03-05", "end_date": "2026-06-04"}
        )

    def test_without_intention_or_urgency_the_besluit_is_refused(self):
        error = self.refused(voornemen_date=None, zienswijze=None)
        self.assertEqual(error.missing, ["voornemen_date"])
        self.assertIn("Awb 4:8, 4:11", str(error))

    def test_an_intention_on_or_after_the_besluit_is_refused(self):
        error = self.refused(voornemen_date="2026-03-05")
        self.assertEqual(error.invalid, ["voornemen_date"])
        self.assertIn("Awb 4:8", str(error))

    def test_after_an_intention_the_views_or_their_absence_are_required(self):
        error = self.refused(zienswijze=None)
        self.assertEqual(error.missing, ["zienswijze"])
        self.assertIn("Awb 4:8, 3:46", str(error))
        pdf.validate(
            self.key, {**BESLUIT, "zienswijze": "U heeft geen zienswijze gegeven."}
        )

    def test_an_urgent_besluit_without_ground_or_reasons_is_refused(self):
        inputs = {
            k: v
            for k, v in URGENT_INPUTS.items()
            if k not in ("urgency_ground", "urgency_reasons")
        }
        error = refused(self.key, inputs)
        self.assertEqual(set(error.missing), {"urgency_ground", "urgency_reasons"})
        self.assertIn("Awb 4:11", str(error))
        error = refused(self.key, {**URGENT_INPUTS, "urgency_ground": "spoed"})
        self.assertEqual(error.invalid, ["urgency_ground"])

    def test_an_urgent_besluit_cannot_refer_to_an_intention(self):
        for ground in ("4:11a", "4:11b", "4:11c"):
            with self.subTest(ground=ground):
                error = refused(
                    self.key, {**URGENT_INPUTS, **{
                        "urgency_ground": ground,
                        "voornemen_date": "2026-02-23",
                        "zienswijze": "U heeft geen zienswijze gegeven.",
                    }},
                )  # fmt: skip
                self.assertEqual(error.invalid, ["urgent"])

    def test_the_urgency_text_is_ignored_when_the_besluit_is_not_urgent(self):
        # The letter form always sends the first 4:11 option; without "urgent"
        # it is neither required nor printed.
        text = render(self.key, {**BESLUIT, "urgent": False, "urgency_ground": "4:11a"})
        self.assertNotIn("4:11", text)

    def test_a_meldplicht_without_times_is_refused(self):
        error = self.refused(reporting_duty=True)
        self.assertEqual(error.missing, ["reporting_times"])
        self.assertIn("Gemw 172a lid 1 c", str(error))

    def test_the_apv_basis_needs_an_area_and_no_meldplicht(self):
        error = self.refused(**APV, **MELDPLICHT)
        self.assertEqual(error.invalid, ["reporting_duty"])
        error = self.refused(**APV, area_ban=False, area_map="")
        self.assertEqual(error.missing, ["area_map"])

    def test_the_ground_must_fit_the_basis(self):
        self.assertEqual(self.refused(ground=APV_ACT).invalid, ["ground"])
        self.assertEqual(self.refused(**{**APV, "ground": SERIOUS}).invalid, ["ground"])

    def test_the_remedies_clause_is_generated_not_typed_awb_3_45(self):
        """Awb 3:45, 6:4 lid 1, 6:7 and 8:81: the clause names the burgemeester,
        six weeks and the voorlopige voorziening whatever is typed."""
        text = text_of(
            render_letter(
                self.key,
                {**BESLUIT, "rechtsmiddelenclausule": "binnen vier weken"},
                letterhead=LETTERHEAD,
            )
        )
        self.assertIn(CLAUSE, text)
        self.assertIn("voorzieningenrechter van de rechtbank Limburg", text)
        self.assertNotIn("vier weken", text)


class TemplateTests(SimpleTestCase):
    def test_templates_are_registered_for_the_case_type(self):
        from casework.registry import registry

        keys = {letter.key for letter in registry.letters_for(CODE)}
        self.assertTrue({"voornemen_gebiedsverbod", "besluit_gebiedsverbod"} <= keys)


def as_inputs(initial, **extra):
    inputs = {
        **initial,
        "recipient_name": "J. Jansen",
        "recipient_address": "Kerkstraat 1\n5911 AB Venlo",
        **extra,
    }
    return {
        k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in inputs.items()
    }


class PrefillTests(GebiedsverbodTestCase):
    def test_the_besluit_is_prefilled_from_the_case_and_renders(self):
        case = self.reach("E50")
        initial = initial_for(case, "besluit_gebiedsverbod")
        self.assertEqual(
            initial["legal_basis"], "artikel 172a, eerste lid, Gemeentewet"
        )
        self.assertEqual(initial["ground"], "herhaaldelijke verstoring")
        self.assertIn("onder a, Gemeentewet", initial["measure_description"])
        self.assertNotIn("groepsverbod", initial["measure_description"])
        self.assertEqual(str(initial["end_date"]), "2026-06-08")
        self.assertEqual(str(initial["voornemen_date"]), "2026-02-23")
        self.assertIn("kaart KAART-Q4", initial["area_map"])
        self.assertIs(initial["urgent"], False)
        # Views came in: the jurist summarises and answers them, and writes
        # the weighing; neither is recorded on the case.
        self.assertNotIn("zienswijze", initial)
        self.assertNotIn("proportionality", initial)
        with self.assertRaises(pdf.LetterValidationError) as raised:
            pdf.validate("besluit_gebiedsverbod", as_inputs(initial))
        self.assertEqual(set(raised.exception.missing), {"proportionality"})
        text = render(
            "besluit_gebiedsverbod",
            as_inputs(
                initial,
                proportionality="Een lichter middel volstaat niet.",
                zienswijze="U wees op uw werk; de uitzondering voorziet daarin.",
            ),
        )
        self.assertIn("8 juni 2026", text)
        self.assertIn("Bij brief van 23 februari 2026", text)

    def test_an_urgent_order_is_prefilled_with_its_4_11_ground(self):
        case = self.reach("E10")
        self.step(case, "impose_urgent_order", "burgemeester", **URGENT)
        initial = initial_for(case, "besluit_gebiedsverbod")
        self.assertIs(initial["urgent"], True)
        self.assertEqual(initial["urgency_ground"], "4:11a")
        self.assertNotIn("voornemen_date", initial)
        text = render(
            "besluit_gebiedsverbod",
            as_inputs(initial, proportionality="Een lichter middel volstaat niet."),
        )
        self.assertIn("onder a, Awb", text)
        self.assertIn("Dreigende rellen.", text)

    def test_an_apv_order_is_prefilled_as_a_verblijfsontzegging(self):
        ApvPolicy.objects.create(
            name="Verblijfsontzegging",
            article="APV art. 2:79",
            max_days=14,
            valid_from=date(2026, 1, 1),
        )
        case = self.reach("E35")
        self.step(
            case,
            "impose_order",
            "burgemeester",
            **{**ORDER, "basis": "APV", "ground": "apv_act",
               "end_date": date(2026, 3, 22)},
        )  # fmt: skip
        initial = initial_for(case, "besluit_gebiedsverbod")
        self.assertEqual(initial["legal_basis"], "APV art. 2:79 (versie 1)")
        self.assertIs(initial["apv"], True)
        self.assertEqual(initial["ground"], APV_ACT)
        text = render(
            "besluit_gebiedsverbod",
            as_inputs(
                initial,
                proportionality="Veertien dagen volstaan.",
                zienswijze="U heeft schriftelijk gereageerd; zie hieronder.",
            ),
        )
        self.assertIn("De verblijfsontzegging geldt van 9 maart 2026", text)

    def test_the_voornemen_prefill_takes_nothing_from_an_order(self):
        case = self.reach("E30")
        initial = initial_for(case, "voornemen_gebiedsverbod")
        self.assertEqual(initial["proposed_period"], "drie maanden")
        self.assertNotIn("voornemen_date", initial)
        self.assertNotIn("zienswijze", initial)


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
