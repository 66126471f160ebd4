"""The competence of a letter (casework/competence.py): the body named above the
signature and in the remedies clause, the mandate line (Awb 10:10), and the
clause itself (Awb 3:45: bezwaar 6:4, 6:5, 6:7, 6:8, 6:16, 8:81; beroep 8:1,
8:7, 8:41), read back from the PDF for the burgemeester, the college, the raad
and a body that is no bestuursorgaan (a Zorg- en Veiligheidshuis).

The letters here are small test templates, so the expected text does not move
when a case type's own letter changes; the settings are the demo defaults of
casework/settings.py (Gemeente Venlo, rechtbank Limburg).
"""

import os
import re
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from casework import competence
from casework.letters import (
    LETTER_DATE,
    LETTER_OPTIONAL,
    REFERENCE,
    TEMPLATES,
    LetterTemplate,
    Para,
    recipient,
)
from casework.pdf import Letterhead, LetterValidationError, render_letter, validate
from casework.settings import envbody
from tests.casework.test_pdf import page_texts

FOOTER = re.compile(
    r" ?Gemeente Venlo · Ons kenmerk \S+ · \S+ test Pagina \d+ van \d+$"
)
LETTERHEAD = Letterhead("Gemeente Venlo", "Openbare Orde en Veiligheid")
INPUTS = {
    "reference": "2026-LOD-0001",
    "date": "2026-11-28",
    "recipient_name": "J. Jansen",
    "recipient_address": ["Kerkstraat 1", "5911 AB Venlo"],
}


def template(key, **declaration):
    return LetterTemplate(
        key=key,
        version="test",
        title="Testbrief",
        document="De brief",
        fields=(REFERENCE, LETTER_DATE, *recipient("Awb 3:41")),
        body=lambda i: [Para("Ik besluit.")],
        optional=LETTER_OPTIONAL,
        **declaration,
    )


TEST_TEMPLATES = {
    t.key: t
    for t in (
        template("t_burgemeester", competence="burgemeester", remedy="bezwaar"),
        template("t_college", competence="college", remedy="bezwaar"),
        template("t_raad", competence="raad", remedy="bezwaar"),
        template("t_zvh", competence="zvh"),
        template("t_zvh_besluit", competence="zvh", remedy="bezwaar"),
        template("t_bob", competence="burgemeester", remedy="beroep"),
        template("t_from_case", competence=competence.from_case(), remedy="bezwaar"),
        template("t_no_besluit", competence="burgemeester"),
    )
}

# Awb 6:4 lid 1, 6:7, 6:8, 6:5, 6:16, 8:81, with the demo court (Awb 8:7).
BURGEMEESTER_CLAUSE = (
    "Bezwaar maken Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken "
    "bij de burgemeester van Venlo. Dat moet binnen zes weken. Die termijn begint "
    "op de dag na de dag waarop dit besluit aan u is toegezonden of uitgereikt "
    "(artikel 6:7 en 6:8 van de Algemene wet bestuursrecht, hierna: Awb). Stuur uw "
    "bezwaarschrift naar: De burgemeester van Venlo Postbus 3434 5902 RK Venlo "
    "Het bezwaarschrift moet ondertekend zijn en ten minste bevatten (artikel 6:5 "
    "Awb): • uw naam en adres; • de datum; • een omschrijving van het besluit "
    "waartegen het is gericht, bijvoorbeeld met het kenmerk 2026-LOD-0001; • de "
    "redenen waarom u het er niet mee eens bent (de gronden). Stuur zo mogelijk "
    "een kopie van dit besluit mee. Voorlopige voorziening Een bezwaarschrift "
    "schorst de werking van dit besluit niet (artikel 6:16 Awb). Heeft u bezwaar "
    "gemaakt en kunt u de beslissing op uw bezwaar niet afwachten omdat de zaak "
    "spoed heeft, dan kunt u de voorzieningenrechter van de rechtbank Limburg "
    "vragen een voorlopige voorziening te treffen (artikel 8:81 Awb). Het adres "
    "is: Rechtbank Limburg Postbus 950 6040 AZ Roermond U kunt het verzoek ook "
    "digitaal indienen via www.rechtspraak.nl. Voor een verzoek om een voorlopige "
    "voorziening betaalt u griffierecht."
)


class CompetenceTestCase(SimpleTestCase):
    def setUp(self):
        TEMPLATES.update(TEST_TEMPLATES)
        self.addCleanup(lambda: [TEMPLATES.pop(key) for key in TEST_TEMPLATES])

    def text(self, key, **overrides):
        """The letter's text without the page footers."""
        pdf = render_letter(key, {**INPUTS, **overrides}, letterhead=LETTERHEAD)
        return " ".join(FOOTER.sub("", page) for page in page_texts(pdf))

    def after(self, text, start):
        return text[text.index(start) :]


class ClauseTests(CompetenceTestCase):
    def test_burgemeester_bezwaar_clause_awb_3_45_6_7_8_81(self):
        """Bezwaar at the burgemeester, its address, six weeks from the day
        after sending (Awb 6:7, 6:8), the contents (6:5), no suspension (6:16)
        and the voorzieningenrechter of rechtbank Limburg (8:81)."""
        text = self.text("t_burgemeester")
        self.assertEqual(
            self.after(text, "Bezwaar maken"),
            f"{BURGEMEESTER_CLAUSE} Hoogachtend, De burgemeester van Venlo,",
        )

    def test_college_clause_and_signature_gemw_59a(self):
        """The college receives the bezwaar (Awb 6:4 lid 1) and signs through
        its secretaris and the burgemeester (Gemeentewet 59a)."""
        text = self.text("t_college")
        self.assertIn(
            "Dan kunt u bezwaar maken bij het college van burgemeester en "
            "wethouders van Venlo. Dat moet binnen zes weken.",
            text,
        )
        self.assertIn(
            "Stuur uw bezwaarschrift naar: Het college van burgemeester en "
            "wethouders van Venlo Postbus 3434 5902 RK Venlo",
            text,
        )
        self.assertEqual(
            self.after(text, "Hoogachtend"),
            "Hoogachtend, Burgemeester en wethouders van Venlo, de secretaris, "
            "de burgemeester,",
        )
        self.assertNotIn("bij de burgemeester van Venlo", text)

    def test_raad_clause_and_signature_gemw_32a(self):
        """A third body: the raad receives the bezwaar and signs through its
        griffier and voorzitter (Gemeentewet 32a)."""
        text = self.text("t_raad")
        self.assertIn(
            "Dan kunt u bezwaar maken bij de raad van de gemeente Venlo.", text
        )
        self.assertIn(
            "Stuur uw bezwaarschrift naar: De raad van de gemeente Venlo Postbus "
            "3434 5902 RK Venlo",
            text,
        )
        self.assertEqual(
            self.after(text, "Hoogachtend"),
            "Hoogachtend, De raad van de gemeente Venlo, de griffier, de voorzitter,",
        )

    def test_beslissing_op_bezwaar_gives_beroep_at_the_rechtbank_awb_8_1_8_7(self):
        """After a beslissing op bezwaar: beroep at rechtbank Limburg (Awb 8:1,
        8:7) within six weeks (6:7, 6:8), griffierecht (8:41), 8:81."""
        text = self.text("t_bob")
        self.assertEqual(
            self.after(text, "Beroep instellen"),
            "Beroep instellen Bent u het niet eens met deze beslissing op uw "
            "bezwaar? Dan kunt u beroep instellen bij de rechtbank Limburg (artikel "
            "8:1 en 8:7 van de Algemene wet bestuursrecht, hierna: Awb). Dat moet "
            "binnen zes weken. Die termijn begint op de dag na de dag waarop deze "
            "beslissing aan u is toegezonden of uitgereikt (artikel 6:7 en 6:8 "
            "Awb). Stuur uw beroepschrift naar: Rechtbank Limburg Postbus 950 6040 "
            "AZ Roermond U kunt ook digitaal beroep instellen via "
            "www.rechtspraak.nl. Het beroepschrift moet ondertekend zijn en ten "
            "minste bevatten (artikel 6:5 Awb): • uw naam en adres; • de datum; • "
            "een omschrijving van de beslissing waartegen het is gericht, "
            "bijvoorbeeld met het kenmerk 2026-LOD-0001; • de redenen waarom u het "
            "er niet mee eens bent (de gronden). Stuur zo mogelijk een kopie van "
            "deze beslissing mee. Voor de behandeling van het beroep betaalt u "
            "griffierecht (artikel 8:41 Awb); de rechtbank laat u weten hoeveel. "
            "Voorlopige voorziening Een beroepschrift schorst de werking van het "
            "besluit niet (artikel 6:16 Awb). Heeft u beroep ingesteld en kunt u "
            "de uitspraak niet afwachten omdat de zaak spoed heeft, dan kunt u de "
            "voorzieningenrechter van de rechtbank Limburg vragen een voorlopige "
            "voorziening te treffen (artikel 8:81 Awb). Hoogachtend, De "
            "burgemeester van Venlo,",
        )
        self.assertNotIn("Bezwaar maken", text)

    def test_a_letter_that_is_no_besluit_has_no_clause(self):
        text = self.text("t_no_besluit")
        for absent in ("Bezwaar maken", "bezwaarschrift", "Beroep", "8:81"):
            self.assertNotIn(absent, text)
        self.assertIn("Ik besluit. Hoogachtend, De burgemeester van Venlo,", text)

    def test_the_body_of_the_case_decides_awb_6_4(self):
        """A body that follows from the case (registry.Letter.competence)."""
        text = self.text("t_from_case", bestuursorgaan="college")
        self.assertIn("bezwaar maken bij het college van burgemeester", text)
        with self.assertRaisesMessage(
            LetterValidationError,
            "De brief kan niet worden gemaakt: het bestuursorgaan dat beslist "
            "ontbreekt (Awb 3:45, 10:10).",
        ) as caught:
            validate("t_from_case", INPUTS)
        self.assertEqual(caught.exception.missing, ["bestuursorgaan"])

    def test_an_unknown_body_is_refused(self):
        with self.assertRaises(LetterValidationError) as caught:
            validate("t_from_case", {**INPUTS, "bestuursorgaan": "provincie"})
        self.assertEqual(caught.exception.invalid, ["bestuursorgaan"])
        self.assertIn("het orgaan provincie is niet ingesteld", str(caught.exception))


class OtherBodyTests(CompetenceTestCase):
    def test_a_zvh_signs_its_own_letters_without_mandate_line(self):
        text = self.text("t_zvh")
        self.assertEqual(
            self.after(text, "Hoogachtend"),
            "Hoogachtend, Zorg- en Veiligheidshuis Limburg-Noord, de procesregisseur,",
        )
        self.assertNotIn("burgemeester", text)
        text = self.text(
            "t_zvh", signatory="P. Peters", signatory_function="casusregisseur"
        )
        self.assertEqual(
            self.after(text, "Hoogachtend"),
            "Hoogachtend, Zorg- en Veiligheidshuis Limburg-Noord, P. Peters "
            "casusregisseur",
        )

    def test_a_body_that_is_no_bestuursorgaan_takes_no_besluit_awb_1_1(self):
        with self.assertRaisesMessage(
            LetterValidationError,
            "het Zorg- en Veiligheidshuis Limburg-Noord is geen bestuursorgaan: de "
            "brief is geen besluit waartegen bezwaar openstaat (Awb 1:1, 8:1)",
        ):
            validate("t_zvh_besluit", INPUTS)


class MandateTests(CompetenceTestCase):
    def test_mandated_signature_for_the_burgemeester_awb_10_10(self):
        """Awb 10:10: on behalf of which body, with the official's function
        (the configured mandate function) and name."""
        text = self.text("t_burgemeester", signatory="mr. A. de Vries")
        self.assertEqual(
            self.after(text, "Hoogachtend"),
            "Hoogachtend, De burgemeester van Venlo, namens deze, mr. A. de Vries "
            "teamleider Openbare Orde en Veiligheid",
        )

    def test_mandated_signature_for_the_college_says_namens_dezen(self):
        text = self.text(
            "t_college",
            signatory="drs. B. Bakker",
            signatory_function="afdelingshoofd Vergunningen",
        )
        self.assertEqual(
            self.after(text, "Hoogachtend"),
            "Hoogachtend, Burgemeester en wethouders van Venlo, namens dezen, "
            "drs. B. Bakker afdelingshoofd Vergunningen",
        )
        self.assertNotIn("de secretaris", text)

    def test_a_signatory_without_function_is_refused_awb_10_10(self):
        """The raad has no configured mandate function: the letter must name it."""
        with self.assertRaisesMessage(
            LetterValidationError,
            "de functie van de ondertekenaar ontbreekt (Awb 10:10)",
        ) as caught:
            validate("t_raad", {**INPUTS, "signatory": "C. Claessen"})
        self.assertEqual(caught.exception.missing, ["signatory_function"])


class ConfigurationTests(CompetenceTestCase):
    @override_settings(
        CASEWORK_BODIES={
            "burgemeester": {
                "name": "de burgemeester van Roermond",
                "signer": "De burgemeester van Roermond",
                "address": "Postbus 900|6040 AX Roermond",
            }
        },
        CASEWORK_COURT_NAME="rechtbank Limburg",
        CASEWORK_COURT_ADDRESS="Postbus 950|6040 AZ Roermond",
        CASEWORK_COURT_WEBSITE="",
    )
    def test_another_municipality_is_configuration_only(self):
        text = self.text("t_burgemeester")
        self.assertIn(
            "bezwaar maken bij de burgemeester van Roermond. Dat moet binnen zes "
            "weken.",
            text,
        )
        self.assertIn("De burgemeester van Roermond Postbus 900 6040 AX Roermond", text)
        self.assertIn(
            "Rechtbank Limburg Postbus 950 6040 AZ Roermond Voor een verzoek", text
        )
        self.assertNotIn("rechtspraak.nl", text)
        with self.assertRaises(LetterValidationError):
            validate("t_college", INPUTS)

    def test_a_body_needs_name_signer_and_address(self):
        with mock.patch.dict(os.environ, {"CASEWORK_BODY_GR_NAME": "het dagelijks"}):
            with self.assertRaisesMessage(
                ImproperlyConfigured, "CASEWORK_BODY_GR_SIGNER must be set"
            ):
                envbody("gr")
        with mock.patch.dict(
            os.environ,
            {
                "CASEWORK_BODY_GR_NAME": "het dagelijks bestuur van de GR",
                "CASEWORK_BODY_GR_SIGNER": "Het dagelijks bestuur van de GR",
                "CASEWORK_BODY_GR_ADDRESS": "Postbus 1|5900 AA Venlo",
                "CASEWORK_BODY_GR_COLLEGIAL": "true",
            },
        ):
            body = competence.body_from_setting("gr", envbody("gr"))
        self.assertEqual(body.address, ("Postbus 1", "5900 AA Venlo"))
        self.assertEqual(body.on_behalf, "namens dezen,")
        self.assertIs(body.authority, True)

    def test_every_registered_letter_declares_its_body(self):
        for key, registered in TEMPLATES.items():
            if registered.layout != "letter" or key in TEST_TEMPLATES:
                continue
            with self.subTest(key=key):
                self.assertTrue(registered.competence)
                self.assertNotIn(
                    "rechtsmiddelenclausule", [f.key for f in registered.fields]
                )


class VoiceTests(SimpleTestCase):
    """A letter speaks as its body (`Body.voice`, `voice_of`): "ik" for the
    burgemeester, "wij" with the plural verb for a collegial body."""

    def test_the_burgemeester_speaks_in_the_singular(self):
        voice = competence.voice_of({competence.BODY_INPUT: "burgemeester"})
        self.assertEqual(
            (voice.Ik, voice.ik, voice.mij, voice.mijn, voice.mijn_de),
            ("Ik", "ik", "mij", "mijn", "mijn"),
        )
        self.assertEqual(voice.verb("verleen", "verlenen"), "verleen")

    def test_the_college_and_the_raad_speak_as_wij(self):
        for key in ("college", "raad"):
            with self.subTest(key=key):
                voice = competence.voice_of({competence.BODY_INPUT: key})
                self.assertEqual(
                    (voice.Ik, voice.ik, voice.mij, voice.mijn, voice.mijn_de),
                    ("Wij", "wij", "ons", "ons", "onze"),
                )
                self.assertEqual(voice.verb("verleen", "verlenen"), "verlenen")

    def test_a_fixed_declaration_wins_and_an_unknown_body_is_singular(self):
        self.assertIs(competence.voice_of({}, "college").collegial, True)
        self.assertIs(
            competence.voice_of(
                {competence.BODY_INPUT: "college"}, "burgemeester"
            ).collegial,
            False,
        )
        # Refused by the letter's validation anyway (casework.pdf.letter_body).
        self.assertIs(
            competence.voice_of({competence.BODY_INPUT: "gr"}).collegial, False
        )
        self.assertIs(competence.voice_of({}).collegial, False)

    def test_a_configured_collegial_body_is_wij(self):
        with mock.patch.dict(
            os.environ,
            {
                "CASEWORK_BODY_GR_NAME": "het dagelijks bestuur van de GR",
                "CASEWORK_BODY_GR_SIGNER": "Het dagelijks bestuur van de GR",
                "CASEWORK_BODY_GR_ADDRESS": "Postbus 1|5900 AA Venlo",
                "CASEWORK_BODY_GR_COLLEGIAL": "true",
            },
        ):
            body = competence.body_from_setting("gr", envbody("gr"))
        self.assertEqual(body.voice.verb("besluit", "besluiten"), "besluiten")
