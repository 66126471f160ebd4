"""Tests for casework.pdf: the letter templates, their validation and the PDF output.

The PDFs are read back with pypdf, so the assertions are about what a reader of
the letter actually sees.
"""

import hashlib
from io import BytesIO

from django.test import SimpleTestCase

from pypdf import PdfReader

from casework.pdf import (
    TEMPLATES,
    Letterhead,
    LetterValidationError,
    format_amount,
    format_date,
    get_template,
    render_letter,
    validate,
)
from workflows.bibob.letters import BIBOB_SECRECY_WARNING, BIBOB_TEMPLATES

LETTERHEAD = Letterhead(
    organisation="Gemeente Venlo",
    department="Openbare Orde en Veiligheid",
    address_lines=("Postbus 3434", "5902 RK Venlo"),
    signer_title="De burgemeester van Venlo",
)
# The bezwaar clause is generated from the competence (casework/competence.py,
# demo settings: the burgemeester of Venlo, rechtbank Limburg).
CLAUSE = (
    "Bezwaar maken Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken "
    "bij de burgemeester van Venlo. Dat moet binnen zes weken. Die termijn begint "
    "op de dag na de dag waarop dit besluit aan u is toegezonden of uitgereikt "
    "(artikel 6:7 en 6:8 van de Algemene wet bestuursrecht, hierna: Awb). Stuur "
    "uw bezwaarschrift naar: De burgemeester van Venlo Postbus 3434 5902 RK Venlo"
)
VOORLOPIGE_VOORZIENING = (
    "kunt u de voorzieningenrechter van de rechtbank Limburg vragen een voorlopige "
    "voorziening te treffen (artikel 8:81 Awb)"
)
ADDRESSED = {
    "reference": "2026-LOD-0001",
    "date": "2026-11-28",
    "recipient_name": "Pietje IJsselmuiden-Vrĳdag",
    "recipient_address": ["Kerkstraat 1", "5911 AB Venlo"],
}
LOD = {
    **ADDRESSED,
    "premises_address": "Kerkstraat 1, 5911 AB Venlo",
    "violation": "Op 3 november 2026 is in de woning 42 gram cocaïne aangetroffen.",
    "legal_basis": "artikel 13b, eerste lid, Opiumwet",
    "measure_description": "In de woning mogen geen harddrugs aanwezig zijn.",
    "amount_per_violation": 5000,
    "maximum_amount": "15000.00",
    "amount_basis": "per_violation",
}
SLUITING = {
    **{k: v for k, v in LOD.items() if k not in ("amount_per_violation",
                                                 "maximum_amount", "amount_basis")},
    "measure_description": "Het pand blijft gesloten en verzegeld.",
    "premises_kind": "woning",
    "closure_months": 3,
    "begunstigingstermijn": "twee weken na de dag van bekendmaking",
}  # fmt: skip
FORFEITED = {
    "forfeitures": [
        {"date": "2027-01-05", "description": "Drugs aangetroffen", "amount": 5000},
        {"date": "2027-02-10", "description": "Opnieuw drugs", "amount": "2500.50"},
    ],
    "total_amount": "7500.50",
}
# A Bibob letter is made for the body the case names (registry.Letter.competence).
BIBOB = {**ADDRESSED, "reference": "2026-BIB-0007", "bestuursorgaan": "burgemeester"}
BIBOB_DECISION = {
    **BIBOB,
    "permit": "exploitatievergunning horeca, Markt 1 Venlo",
    "application_date": "2026-10-01",
}
INPUTS = {
    "voornemen_lod": {**LOD, "zienswijze_deadline": "2026-12-14"},
    "terugkoppeling_controle": {
        **ADDRESSED,
        "premises_address": "Industrieweg 7, 5928 AA Venlo",
        "visit_date": "2026-11-12",
        "outcome": "Er zijn overtredingen van de brandveiligheid vastgesteld.",
        "follow_up": "De brandweer neemt contact met u op.",
    },
    "waarschuwing_lod": {
        **ADDRESSED,
        "premises_address": "Kerkstraat 1, 5911 AB Venlo",
        "violation": "Op 3 november 2026 is in de woning 20 gram hennep aangetroffen.",
        "legal_basis": "artikel 13b, eerste lid, Opiumwet",
        "beleidsregel": "Damoclesbeleid Venlo 2025, versie 2",
        "next_measure": "een last onder dwangsom van € 5.000 per overtreding",
    },
    "voornemen_sluiting": {**SLUITING, "zienswijze_deadline": "2026-12-14"},
    "afzien_handhaving": {
        **ADDRESSED,
        "premises_address": "Kerkstraat 1, 5911 AB Venlo",
        "violation": "Op 3 november 2026 is in de woning 42 gram cocaïne aangetroffen.",
        "reasons": "De bewoner heeft aangetoond dat een logé de drugs bezat en dat "
        "deze de woning heeft verlaten.",
    },
    "besluit_sluiting": {
        **SLUITING,
        "violated_provision": "artikel 2, onder C, Opiumwet",
        "copy_to": ["Woningstichting Venlo (eigenaar)"],
        "beleidsregel": "Damoclesbeleid Venlo 2025, versie 2",
        "proportionality": "Er is eerder een last onder dwangsom opgelegd; "
        "een lichtere maatregel volstaat niet.",
    },
    "voornemen_invordering": {
        **ADDRESSED,
        "date": "2027-02-20",
        **FORFEITED,
        "zienswijze_deadline": "2027-03-08",
    },
    "aanmaning": {
        **ADDRESSED,
        "date": "2027-04-20",
        "collection_decision_date": "2027-03-01",
        "collection_decision_reference": "2026-LOD-0001",
        "original_due_date": "2027-04-12",
        "amount_due": "7500.50",
        "reminder_costs": "19.00",
        "payment_deadline": "2027-05-04",
    },
    "besluit_lod": {
        **LOD,
        "herstelmaatregel": "Verwijder alle drugs uit de woning en houd deze vrij.",
        "violated_provision": "artikel 2, onder C, Opiumwet",
        "proportionality": "Een lichtere maatregel dan een preventieve last "
        "voorkomt herhaling niet.",
        "begunstigingstermijn": "geen (preventieve last)",
        "preventive": True,
        "beleidsregel": "Damoclesbeleid Venlo 2025, versie 2",
    },
    "invorderingsbeschikking": {
        **ADDRESSED,
        "date": "2027-03-01",
        "forfeitures": [
            {"date": "2027-01-05", "description": "Drugs aangetroffen", "amount": 5000},
            {"date": "2027-02-10", "description": "Opnieuw drugs", "amount": "2500.50"},
        ],
        "total_amount": "7500.50",
        "payment_deadline": "2027-04-12",
        "besluit_date": "2026-11-02",
        "besluit_reference": "2026-LOD-0001",
        "bank_account": "NL00 BNGH 0123 4567 89 t.n.v. Gemeente Voorbeeld",
    },
    "lbb_adviesaanvraag": {
        "reference": "2026-BIB-0007",
        "date": "2026-11-28",
        "applicant_name": "Café De Kroon B.V.",
        "application_type": "exploitatievergunning horeca",
        "application_date": "2026-10-01",
        "findings_summary": "De financiering van € 250.000 is niet verklaard.",
        "requesting_body": "De burgemeester van Venlo",
    },
    "kennisgeving_art32": {
        **ADDRESSED,
        "reference": "2026-BIB-0007",
        "application_type": "exploitatievergunning horeca",
        "application_date": "2026-10-01",
        "request_date": "2026-11-27",
    },
    "voornemen_bibob": {
        **ADDRESSED,
        "reference": "2026-BIB-0007",
        "intended_decision": "weigering",
        "grounds": ["b"],
        "degree_of_danger": "ernstig",
        "advice_date": "2026-11-20",
        "zienswijze_deadline": "2026-12-14",
    },
    "voornemen_bibob_derde": {
        **ADDRESSED,
        "reference": "2026-BIB-0007",
        "betrokkene_name": "Horeca Exploitatie Venlo B.V.",
        "intended_decision": "weigering",
        "voornemen_date": "2026-11-27",
        "own_data": "U wordt genoemd als vermogensverschaffer van de aanvrager.",
        "zienswijze_deadline": "2026-12-14",
    },
    # The further Bibob letters (workflows/bibob/letters.py).
    "ontvangstbevestiging_bibob": {
        **BIBOB,
        "application_type": "exploitatievergunning horeca",
        "application_date": "2026-10-01",
        "decision_deadline": "2026-11-26",
    },
    "vragenformulier_bibob": {
        **BIBOB,
        "inquiry": "aanvraag",
        "application_type": "exploitatievergunning horeca",
        "return_deadline": "2026-12-14",
    },
    "herstelverzuim_bibob": {
        **BIBOB,
        "application_type": "exploitatievergunning horeca",
        "application_date": "2026-10-01",
        "missing": ["Jaarrekening 2025", "Financieringsovereenkomst"],
        "completion_deadline": "2026-12-14",
    },
    "buiten_behandeling_bibob": {
        **BIBOB,
        "application_type": "exploitatievergunning horeca",
        "application_date": "2026-10-01",
        "herstel_date": "2026-10-20",
        "completion_deadline": "2026-11-03",
    },
    "besluit_bibob_verlening": {
        **BIBOB_DECISION,
    },
    "besluit_bibob_voorschriften": {
        **BIBOB_DECISION,
        "grounds": ["a"],
        "degree_of_danger": "mindere_mate",
        "proportionality": "Voorschriften nemen het gevaar voldoende weg.",
        "voorschriften": ["Jaarlijks een accountantsverklaring overleggen"],
    },
    "besluit_bibob_weigering": {
        **BIBOB_DECISION,
        "grounds": ["a", "b"],
        "degree_of_danger": "ernstig",
        "proportionality": "Een lichtere maatregel neemt het gevaar niet weg.",
    },
    "besluit_bibob_intrekking": {
        **BIBOB_DECISION,
        "permit": "de exploitatievergunning van 3 maart 2024",
        "grounds": ["b"],
        "proportionality": "Een lichtere maatregel neemt het gevaar niet weg.",
    },
    "verstrekking_bibob": {
        "reference": "2026-BIB-0007",
        "date": "2026-11-28",
        "recipient_name": "Bezwaarschriftencommissie gemeente Venlo",
        "recipient_code": "28.2.e",
        "purpose": "Behandeling van het bezwaar tegen de weigering.",
        "shared_data": "Conclusie: ernstig gevaar (a-grond).",
    },
    "bezoekrapport": {
        "reference": "2026-IC-0003",
        "visit_date": "2026-11-20",
        "addresses": ["Industrieweg 5, 5928 AA Venlo", "Industrieweg 7, Venlo"],
        "partners": ["Gemeente Venlo", "Politie Limburg", "Enexis"],
        "findings": [
            {"partner": "Gemeente Venlo", "text": "Geen exploitatievergunning."},
            {"partner": "Enexis", "text": "Illegale aansluiting op het net."},
        ],
    },
    "aanmeldbevestiging_pga": {
        "reference": "2026-PGA-0002",
        "date": "2026-11-28",
        "recipient_name": "Politie Eenheid Limburg",
        "received_on": "2026-11-23",
    },
    "afwijzing_pga": {
        "reference": "2026-PGA-0002",
        "date": "2026-11-28",
        "recipient_name": "Politie Eenheid Limburg",
        "received_on": "2026-11-23",
        "advice": "Meld de casus aan bij het sociaal wijkteam.",
    },
    "uitnodiging_casusoverleg": {
        "reference": "2026-PGA-0002",
        "date": "2026-11-28",
        "recipient_name": "Politie Eenheid Limburg",
        "conference_date": "2026-12-08",
        "conference_time": "14.30",
        "place": "Zorg- en Veiligheidshuis Venlo",
        "agenda": ["Kennismaking", "Afspraken per partner"],
        "person_initials": "J.J.",
    },
    "afsluiting_pga": {
        "reference": "2026-PGA-0002",
        "date": "2027-06-30",
        "person_name": "Jan Jansen",
        "closed_on": "2027-06-30",
        "closure_report": "Doelen gehaald.",
        "goals": "Wonen: Stabiele huisvesting (bereikt)",
        "retention_until": "2031-11-23",
    },
    "plan_van_aanpak": {
        "reference": "2026-PGA-0002",
        "person_name": "Jan Jansen",
        "date": "2026-11-28",
        "goals": [{"domain": "Wonen", "goal": "Stabiele huisvesting"}],
        "interventions": [
            {
                "partner": "Reclassering",
                "description": "Meldplicht",
                "kind": "drang",
                "owner": "Reclasseringswerker",
                "legal_basis": "Bijzondere voorwaarde",
                "due_date": "2027-01-31",
            }
        ],
    },
}

# The gebiedsverbod letters (workflows/gebiedsverbod/letters.py).
GBV_BASE = {**ADDRESSED, "reference": "2026-GBV-0001", "date": "2026-03-05"}
GBV_AREA = {
    "area_ban": True,
    "area_description": "Het stationsgebied: Stationsplein, Keulsepoort en Q4.",
    "area_map": "kaart KAART-Q4, versie 3, hash 9f2c1e7a",
}
GBV_MEASURE = (
    "U mag zich niet bevinden in het gebied dat hieronder is omschreven en op de "
    "kaart is aangegeven (gebiedsverbod, artikel 172a, eerste lid, onder a, "
    "Gemeentewet)."
)
INPUTS["voornemen_gebiedsverbod"] = {
    **GBV_BASE,
    **GBV_AREA,
    "date": "2026-02-23",
    "legal_basis": "artikel 172a, eerste lid, Gemeentewet",
    "ground": "herhaaldelijke verstoring",
    "facts": (
        "Op 10 februari 2026 vernielde u winkelruiten aan het Nolensplein. Op 20 "
        "februari 2026 bedreigde u een conducteur op het Stationsplein."
    ),
    "fear_reasons": "U kondigde aan terug te komen.",
    "measure_description": GBV_MEASURE,
    "proposed_period": "drie maanden",
    "conditions": "Uitgezonderd de kortste route naar uw werk aan de Keulsepoort.",
    "zienswijze_deadline": "2026-03-02",
}
INPUTS["besluit_gebiedsverbod"] = {
    **GBV_BASE,
    **GBV_AREA,
    "legal_basis": "artikel 172a, eerste lid, Gemeentewet",
    "ground": "herhaaldelijke verstoring",
    "facts": "Op 10 en 20 februari 2026 verstoorde u de openbare orde.",
    "fear_reasons": "U kondigde aan terug te komen.",
    "proportionality": "Een waarschuwing van 12 januari 2026 hielp niet.",
    "measure_description": GBV_MEASURE,
    "start_date": "2026-03-09",
    "end_date": "2026-06-08",
    "conditions": "Uitgezonderd de kortste route naar uw werk aan de Keulsepoort.",
    "voornemen_date": "2026-02-23",
    "zienswijze": "U zei op 26 februari 2026 dat u het station nodig heeft.",
}
# The beslissing op bezwaar (workflows/legal_protection/letters.py).
INPUTS["beslissing_op_bezwaar"] = {
    **ADDRESSED,
    "reference": "2026-LOD-0001",
    "date": "2026-05-04",
    "bestuursorgaan": "burgemeester",
    "decision_title": "Besluit last onder dwangsom",
    "decision_date": "2026-02-23",
    "objection_date": "2026-03-20",
    "outcome": "dismissed",
    "heard": True,
    "hearing_date": "2026-04-14",
    "considerations": "De gronden van het bezwaar slagen niet.",
}

# Every Bibob letter is made for the body the case names (registry.Letter.
# competence, workflows.bibob.competent_body): here the burgemeester.
for _key in BIBOB_TEMPLATES:
    if _key in INPUTS:
        INPUTS[_key].setdefault("bestuursorgaan", "burgemeester")


def render(key, watermark="", **overrides):
    return render_letter(
        key, {**INPUTS[key], **overrides}, letterhead=LETTERHEAD, watermark=watermark
    )


def page_texts(pdf):
    """Text of each page, whitespace collapsed (line wraps become spaces)."""
    reader = PdfReader(BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def text_of(pdf):
    return " ".join(page_texts(pdf))


class TemplateRegistryTests(SimpleTestCase):
    def test_registry_holds_every_template_with_versions(self):
        self.assertEqual(set(TEMPLATES), set(INPUTS))
        for key, template in TEMPLATES.items():
            self.assertEqual(template.key, key)
            self.assertRegex(template.version, r"^2026\.\d+$")
            self.assertIn("reference", template.required)

    def test_optional_inputs_are_declared_once(self):
        for key, template in TEMPLATES.items():
            optional = [field.key for field in template.optional]
            with self.subTest(key=key):
                self.assertEqual(len(optional), len(set(optional)))
                self.assertFalse(set(optional) & set(template.required))

    def test_unknown_template_is_a_clear_key_error(self):
        with self.assertRaisesMessage(KeyError, "Unknown letter template 'lod'"):
            get_template("lod")

    def test_pdf_metadata_names_template_and_version_but_not_the_person(self):
        info = PdfReader(BytesIO(render("voornemen_lod"))).metadata
        self.assertEqual(info.title, "Voornemen last onder dwangsom")
        self.assertEqual(info["/Keywords"], "voornemen_lod 2026.2")
        self.assertNotIn("Pietje", str(dict(info)))


class FormatTests(SimpleTestCase):
    def test_dates_are_dutch_words(self):
        self.assertEqual(format_date("2026-11-28"), "28 november 2026")
        self.assertEqual(format_date("2027-03-01"), "1 maart 2027")

    def test_amounts_use_dutch_notation(self):
        self.assertEqual(format_amount(5000), "€ 5.000,00")
        self.assertEqual(format_amount("1234567.891"), "€ 1.234.567,89")
        self.assertEqual(format_amount(0.1 + 0.2), "€ 0,30")
        self.assertEqual(format_amount(999), "€ 999,00")

    def test_ambiguous_inputs_are_refused(self):
        with self.assertRaises(ValueError):
            format_amount("5.000,00")
        with self.assertRaises(ValueError):
            format_date("28-11-2026")


class RenderTests(SimpleTestCase):
    def test_voornemen_lod(self):
        text = text_of(render("voornemen_lod"))
        for expected in (
            "Gemeente Venlo",
            "Pietje IJsselmuiden-Vrĳdag",
            "Kerkstraat 1 5911 AB Venlo",
            "Ons kenmerk 2026-LOD-0001",
            "Datum 28 november 2026",
            "artikel 13b, eerste lid, Opiumwet",
            "€ 5.000,00",
            "€ 15.000,00",
            "tot en met 14 december 2026",
            "schriftelijk of mondeling",
            "artikel 4:8",
            "Hoogachtend, De burgemeester van Venlo",
        ):
            self.assertIn(expected, text)

    def test_besluit_lod_preventive(self):
        text = text_of(render("besluit_lod"))
        for expected in (
            "Besluit last onder dwangsom",
            "Ik leg u een last onder dwangsom op voor het pand Kerkstraat 1",
            "Herstelmaatregel (artikel 5:32a, eerste lid, Awb): Verwijder alle drugs",
            "geen (preventieve last)",
            "dwangsom van € 5.000,00, tot een maximum van € 15.000,00",
            "artikel 5:32b, eerste en tweede lid",
            "beleidsregel Damoclesbeleid Venlo 2025, versie 2",
            CLAUSE,
        ):
            self.assertIn(expected, text)

    def test_besluit_lod_with_grace_period(self):
        text = text_of(
            render(
                "besluit_lod",
                preventive=False,
                begunstigingstermijn="twee weken na de dag van bekendmaking",
            )
        )
        self.assertIn(
            "Begunstigingstermijn (artikel 5:32a, tweede lid, Awb): twee weken na "
            "de dag van bekendmaking",
            text,
        )
        self.assertIn("na afloop van de begunstigingstermijn", text)

    def test_besluit_lod_optional_inputs(self):
        text = text_of(
            render(
                "besluit_lod",
                voornemen_date="2026-11-01",
                zienswijze="U stelt dat de drugs van een logé waren.",
                violated_provision="artikel 2, onder C, Opiumwet",
                contact="mr. A. de Vries, telefoon 14 077",
                signatory="mr. A. de Vries",
                subject="Uw woning aan de Kerkstraat",
            )
        )
        for expected in (
            "Bij brief van 1 november 2026 heb ik u laten weten",
            "U stelt dat de drugs van een logé waren.",
            "Dit is in strijd met artikel 2, onder C, Opiumwet.",
            "contact op met mr. A. de Vries, telefoon 14 077.",
            # Awb 10:10: under mandate, the body and the official's function.
            "Hoogachtend, De burgemeester van Venlo, namens deze, mr. A. de Vries "
            "teamleider Openbare Orde en Veiligheid",
            "Onderwerp Uw woning aan de Kerkstraat",
        ):
            self.assertIn(expected, text)

    def test_invorderingsbeschikking(self):
        text = text_of(render("invorderingsbeschikking"))
        for expected in (
            "5 januari 2027 Drugs aangetroffen € 5.000,00",
            "10 februari 2027 Opnieuw drugs € 2.500,50",
            "Totaal € 7.500,50",
            "artikel 5:37, eerste lid",
            "uiterlijk op 12 april 2027",
            "Datum 1 maart 2027",
            CLAUSE,
        ):
            self.assertIn(expected, text)

    def test_lbb_adviesaanvraag(self):
        text = text_of(render("lbb_adviesaanvraag"))
        for expected in (
            "Landelijk Bureau Bibob",
            "Vertrouwelijk",
            "artikel 9 van de Wet bevordering integriteitsbeoordelingen",
            "Café De Kroon B.V.",
            "exploitatievergunning horeca",
            "Datum aanvraag 1 oktober 2026",
            "De financiering van € 250.000 is niet verklaard.",
            "artikel 7a, vierde lid",
        ):
            self.assertIn(expected, text)

    def test_kennisgeving_art32_mentions_art32_and_the_suspension(self):
        text = text_of(render("kennisgeving_art32"))
        for expected in (
            "artikel 32 van de Wet bevordering integriteitsbeoordelingen",
            "op 27 november 2026 het Landelijk Bureau Bibob om advies heb gevraagd",
            "opgeschort (artikel 31 Wet Bibob)",
            "De opschorting begint op 27 november 2026",
            "ten hoogste vier weken",
            "Op 1 oktober 2026 heeft u een aanvraag gedaan",
        ):
            self.assertIn(expected, text)

    def test_voornemen_bibob(self):
        text = text_of(render("voornemen_bibob"))
        for expected in (
            "uw aanvraag te weigeren op grond van artikel 3, eerste lid",
            "ernstig gevaar",
            "strafbare feiten te plegen (artikel 3, eerste lid, onder b",
            "advies van het Landelijk Bureau Bibob van 20 november 2026",
            "tot en met 14 december 2026",
            "artikel 33, eerste lid",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("onder a, Wet Bibob", text)

    def test_voornemen_bibob_always_prints_the_secrecy_warning(self):
        warning = " ".join(BIBOB_SECRECY_WARNING.split())
        variants = (
            {},
            {"intended_decision": "voorschriften", "degree_of_danger": "mindere_mate"},
            {"intended_decision": "intrekking", "advice_date": ""},
        )
        for overrides in variants:
            with self.subTest(**overrides):
                text = text_of(render("voornemen_bibob", **overrides))
                self.assertIn(warning, text)
                self.assertIn("artikel 28, derde lid", text)
                self.assertIn("artikel 272 van het Wetboek van Strafrecht", text)

    def test_voornemen_bibob_with_conditions(self):
        text = text_of(
            render(
                "voornemen_bibob",
                intended_decision="voorschriften",
                degree_of_danger="mindere_mate",
                grounds=["a"],
                permit="de exploitatievergunning voor Café De Kroon",
                voorschriften=["Geen contante betalingen boven € 3.000."],
            )
        )
        for expected in (
            "Ik ben van plan aan de exploitatievergunning voor Café De Kroon "
            "voorschriften te verbinden op grond van artikel 3, zevende lid",
            "geen ernstig gevaar bestaat, maar wel een mindere mate van gevaar",
            "op geld waardeerbare voordelen te benutten",
            "Geen contante betalingen boven € 3.000.",
        ):
            self.assertIn(expected, text)

    def test_bezoekrapport(self):
        text = text_of(render("bezoekrapport"))
        for expected in (
            "Bezoekrapport integrale controle",
            "Datum bezoek 20 november 2026",
            "Industrieweg 5, 5928 AA Venlo Industrieweg 7, Venlo",
            "Gemeente Venlo, Politie Limburg, Enexis",
            "Enexis Illegale aansluiting op het net.",
        ):
            self.assertIn(expected, text)

    def test_plan_van_aanpak(self):
        text = text_of(render("plan_van_aanpak"))
        for expected in (
            "Plan van aanpak",
            "Betrokkene Jan Jansen",
            "Wonen Stabiele huisvesting",
            "Reclassering Reclasseringswerker",
            "Meldplicht (drang)",
            "Bijzondere voorwaarde",
            "31 januari 2027",
            "artikel 1.11 Wet gegevensverwerking door samenwerkingsverbanden",
            "artikel 2.31, zesde lid, Wgs",
        ):
            self.assertIn(expected, text)


class UnicodeAndFontTests(SimpleTestCase):
    name = "Pietje IJsselmuiden-Vrĳdag van Café Zoë"

    def test_ij_accents_and_euro_round_trip(self):
        pdf = render("voornemen_lod", recipient_name=self.name)
        text = text_of(pdf)
        self.assertIn(self.name, text)
        self.assertIn("ĳ", text)
        self.assertIn("€ 15.000,00", text)

    def test_fonts_are_embedded_and_helvetica_is_not_used(self):
        for key in TEMPLATES:
            with self.subTest(key=key):
                reader = PdfReader(BytesIO(render(key, recipient_name=self.name)))
                fonts = {}
                for page in reader.pages:
                    for font in page["/Resources"]["/Font"].values():
                        font = font.get_object()
                        fonts[font["/BaseFont"]] = font
                self.assertTrue(fonts)
                for name, font in fonts.items():
                    self.assertIn("DejaVuSans", name)
                    self.assertNotIn("Helvetica", name)
                    self.assertIn("/FontFile2", font["/FontDescriptor"].get_object())


class ValidationTests(SimpleTestCase):
    def without(self, key, *fields, **overrides):
        inputs = {**INPUTS[key], **overrides}
        for field in fields:
            del inputs[field]
        return inputs

    def test_besluit_without_maximum(self):
        with self.assertRaises(LetterValidationError) as caught:
            validate("besluit_lod", self.without("besluit_lod", "maximum_amount"))
        self.assertEqual(caught.exception.missing, ["maximum_amount"])
        self.assertEqual(
            str(caught.exception),
            "Het besluit kan niet worden gemaakt: het maximumbedrag ontbreekt "
            "(Awb 5:32b lid 2).",
        )

    def test_a_besluit_always_carries_the_generated_clause_awb_3_45(self):
        """The clause is no longer typed: a typed one is ignored, the generated
        one is printed whatever the inputs say."""
        text = text_of(render("besluit_lod", rechtsmiddelenclausule="Geen bezwaar."))
        self.assertIn(CLAUSE, text)
        self.assertIn(VOORLOPIGE_VOORZIENING, text)
        self.assertNotIn("Geen bezwaar.", text)

    def test_a_bibob_letter_without_its_body_cannot_be_made(self):
        inputs = self.without("besluit_bibob_verlening", "bestuursorgaan")
        with self.assertRaisesMessage(
            LetterValidationError,
            "Het besluit kan niet worden gemaakt: het bestuursorgaan dat beslist "
            "ontbreekt (Awb 3:45, 10:10).",
        ) as caught:
            validate("besluit_bibob_verlening", inputs)
        self.assertEqual(caught.exception.missing, ["bestuursorgaan"])

    def test_empty_and_blank_values_count_as_missing(self):
        inputs = {
            **INPUTS["besluit_lod"],
            "maximum_amount": "",
            "herstelmaatregel": " ",
            "recipient_address": ["", " "],
        }
        with self.assertRaises(LetterValidationError) as caught:
            validate("besluit_lod", inputs)
        error = caught.exception
        self.assertEqual(
            error.missing,
            [
                "recipient_address",
                "herstelmaatregel",
                "maximum_amount",
            ],
        )
        for phrase in (
            "het adres van de geadresseerde ontbreekt (Awb 3:41)",
            "de herstelmaatregel ontbreekt (Awb 5:32a lid 1)",
            "het maximumbedrag ontbreekt (Awb 5:32b lid 2)",
        ):
            self.assertIn(phrase, str(error))

    def test_render_validates_first(self):
        with self.assertRaises(LetterValidationError):
            render("besluit_lod", maximum_amount="")

    def test_no_grace_period_only_for_a_preventive_last(self):
        with self.assertRaises(LetterValidationError) as caught:
            validate("besluit_lod", {**INPUTS["besluit_lod"], "preventive": False})
        self.assertEqual(caught.exception.missing, ["begunstigingstermijn"])
        self.assertIn("Awb 5:32a lid 2", str(caught.exception))

    def test_maximum_below_amount_per_violation(self):
        inputs = {**INPUTS["voornemen_lod"], "maximum_amount": 1000}
        with self.assertRaisesMessage(
            LetterValidationError,
            "het maximumbedrag is lager dan het bedrag per overtreding",
        ) as caught:
            validate("voornemen_lod", inputs)
        self.assertEqual(caught.exception.invalid, ["maximum_amount"])

    def test_malformed_values_are_invalid_not_missing(self):
        inputs = {
            **INPUTS["voornemen_lod"],
            "zienswijze_deadline": "12-12-2026",
            "amount_per_violation": "5.000,00",
        }
        with self.assertRaises(LetterValidationError) as caught:
            validate("voornemen_lod", inputs)
        error = caught.exception
        self.assertEqual(error.missing, [])
        self.assertEqual(error.invalid, ["amount_per_violation", "zienswijze_deadline"])
        self.assertIn("verwacht een datum als 2026-11-28", str(error))

    def test_optional_inputs_are_checked_when_given(self):
        inputs = {
            **INPUTS["besluit_lod"],
            "voornemen_date": "1-11-2026",
            "preventive": "ja",
            "contact": "",
        }
        with self.assertRaises(LetterValidationError) as caught:
            validate("besluit_lod", inputs)
        self.assertEqual(caught.exception.invalid, ["preventive", "voornemen_date"])
        self.assertEqual(caught.exception.missing, [])

    def test_deadline_must_follow_the_letter_date(self):
        inputs = {**INPUTS["voornemen_lod"], "zienswijze_deadline": "2026-11-28"}
        with self.assertRaisesMessage(LetterValidationError, "(Awb 4:8)"):
            validate("voornemen_lod", inputs)

    def test_invordering_total_must_match_the_forfeitures(self):
        inputs = {**INPUTS["invorderingsbeschikking"], "total_amount": 10000}
        with self.assertRaisesMessage(
            LetterValidationError,
            "het totaalbedrag (€ 10.000,00) is niet gelijk aan de som van de "
            "verbeurde dwangsommen (€ 7.500,50) (Awb 5:37 lid 1)",
        ):
            validate("invorderingsbeschikking", inputs)

    def test_forfeiture_rows_are_checked(self):
        inputs = {
            **INPUTS["invorderingsbeschikking"],
            "forfeitures": [{"date": "2027-01-05", "description": "Drugs"}],
        }
        with self.assertRaisesMessage(
            LetterValidationError, "regel 1: het bedrag ontbreekt"
        ):
            validate("invorderingsbeschikking", inputs)

    def test_bibob_refusal_needs_serious_danger(self):
        inputs = {**INPUTS["voornemen_bibob"], "degree_of_danger": "mindere_mate"}
        with self.assertRaises(LetterValidationError) as caught:
            validate("voornemen_bibob", inputs)
        self.assertEqual(caught.exception.invalid, ["degree_of_danger"])
        self.assertIn("Wet Bibob art. 3 lid 1 en lid 7", str(caught.exception))

    def test_bibob_grounds_are_a_or_b(self):
        inputs = {**INPUTS["voornemen_bibob"], "grounds": ["c"]}
        with self.assertRaisesMessage(LetterValidationError, "kies uit: a, b"):
            validate("voornemen_bibob", inputs)

    def test_every_intervention_needs_a_legal_basis(self):
        intervention = {**INPUTS["plan_van_aanpak"]["interventions"][0]}
        intervention["legal_basis"] = ""
        inputs = {**INPUTS["plan_van_aanpak"], "interventions": [intervention]}
        with self.assertRaisesMessage(
            LetterValidationError,
            "regel 1: de wettelijke grondslag ontbreekt (Wgs art. 2.31 lid 5)",
        ):
            validate("plan_van_aanpak", inputs)

    def test_findings_must_come_from_a_listed_partner(self):
        findings = [{"partner": "Belastingdienst", "text": "Niet gedeeld."}]
        inputs = {**INPUTS["bezoekrapport"], "findings": findings}
        with self.assertRaisesMessage(LetterValidationError, "Belastingdienst"):
            validate("bezoekrapport", inputs)


class EscapingTests(SimpleTestCase):
    def test_markup_in_inputs_prints_literally(self):
        pdf = render(
            "besluit_lod",
            recipient_name="Jansen & Zn <script>alert(1)</script>",
            violation='<b>niet vet</b> & </para> <font color="red">a < b</font>',
            herstelmaatregel="Regel één\nRegel twee",
        )
        text = text_of(pdf)
        self.assertIn("Jansen & Zn <script>alert(1)</script>", text)
        self.assertIn('<b>niet vet</b> & </para> <font color="red">a < b</font>', text)
        self.assertIn("Regel één Regel twee", text)


class DeterminismTests(SimpleTestCase):
    def test_same_inputs_give_the_same_bytes(self):
        for key in TEMPLATES:
            with self.subTest(key=key):
                first = hashlib.sha256(render(key, watermark="W")).hexdigest()
                second = hashlib.sha256(render(key, watermark="W")).hexdigest()
                self.assertEqual(first, second)

    def test_different_inputs_give_different_bytes(self):
        base = render("voornemen_lod")
        self.assertNotEqual(base, render("voornemen_lod", recipient_name="P. Jansen"))
        self.assertNotEqual(base, render("voornemen_lod", maximum_amount=20000))
        self.assertNotEqual(base, render("voornemen_lod", watermark="Kopie"))


class WatermarkTests(SimpleTestCase):
    watermark = "Vertrouwelijk – afgedrukt door jurist op 2026-11-28"

    def test_watermark_and_page_number_on_every_page(self):
        long_facts = "\n".join(
            f"Constatering {n}: in de woning zijn verdovende middelen aangetroffen."
            for n in range(60)
        )
        pages = page_texts(
            render("besluit_lod", watermark=self.watermark, violation=long_facts)
        )
        self.assertGreaterEqual(len(pages), 3)
        for number, text in enumerate(pages, start=1):
            with self.subTest(page=number):
                self.assertIn(self.watermark, text)
                self.assertIn(f"Pagina {number} van {len(pages)}", text)

    def test_no_watermark_when_none_is_given(self):
        text = text_of(render("voornemen_lod"))
        self.assertNotIn("afgedrukt door", text)
        self.assertIn("Pagina 1 van ", text)
