"""The further letters of the Wet Bibob toets (docs/domain.md §3.6): ontvangst-
bevestiging, the cover letter with the Bibob-vragenformulier, herstelverzuim
and the besluit buiten behandeling (Awb 4:5), the besluiten (verlening, met
voorschriften, weigering, intrekking) and the provision of dossier data to a
recipient of art 28 lid 2, with the LBB adviesaanvraag, the art 32 notice, the
voornemen and the third party's copy of it (art 33). Same engine and conventions
(decision 0003: Dutch letter text lives in the template; required fields name
the article that requires them).

`LETTER_CLASSES` gives the data class each Bibob letter is stored under: the
letters that carry advice data or findings of the own investigation are D5
(Wet Bibob art 28) and are made only through the Bibob letter page
(`workflows.bibob.views.letter_new`).
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.competence import Voice, from_case, voice_of
from casework.letters import (
    LETTER_DATE,
    LETTER_OPTIONAL,
    REFERENCE,
    Block,
    Bullets,
    Facts,
    Field,
    Heading,
    LetterTemplate,
    Notice,
    Para,
    Problem,
    deadline_after_letter,
    esc,
    format_date,
    is_empty,
    lines,
    parse_date,
    recipient,
)

# The body competent for the application (burgemeester or college) signs every
# Bibob letter and receives the bezwaar: `workflows.bibob.competent_body(case)`,
# passed to the registry (registration.py) and read here (casework/competence.py).
# The letters speak as that body: "ik" for the burgemeester, "wij" for the
# college (`voice_of`, `casework.competence.Voice`).
BIBOB_BODY = from_case()

# --- 4. Adviesaanvraag Landelijk Bureau Bibob and the art. 32 notice ------------

# The LBB's postal address (Justis, Landelijk Bureau Bibob). A setting
# (`BIBOB_LBB_ADDRESS`, lines separated by "|") so a change of address needs
# no release; never an input, so the request — with police and justice
# findings in it — cannot go to the applicant's address.
LBB_ADDRESS = "Landelijk Bureau Bibob|Postbus 20301|2500 EH Den Haag"


def lbb_address() -> list[str]:
    value = str(getattr(settings, "BIBOB_LBB_ADDRESS", "") or LBB_ADDRESS)
    return [line.strip() for line in value.split("|") if line.strip()]


# A vastgoedtransactie (Wet Bibob art 5a) is a private-law act: no besluit,
# no Awb decision term, no art 31 suspension, no bezwaar. The letters say so
# when the input `private_law` is yes (proposed from the case's intake).
PRIVATE_LAW = Field(
    "private_law",
    gettext_lazy("the choice that the act is a private-law act (art. 5a)"),
    kind="bool",
)


def bezwaar_unless_private_law(inputs: Mapping[str, Any]) -> str:
    """The remedy of a Bibob decision letter (casework/competence.py): bezwaar
    against a besluit (Awb 6:4, 7:1); none for a private-law act."""
    return "" if inputs.get("private_law") is True else "bezwaar"


def _remedies(i: Mapping[str, Any]) -> list[Block]:
    """A private-law decision says it is no besluit; the bezwaar clause of a
    besluit is printed by the kernel from the competence (`remedy`)."""
    if i.get("private_law") is True:
        return [Heading("Geen bezwaar mogelijk"), Para(NOT_A_BESLUIT)]
    return []


NOT_A_BESLUIT = (
    "Deze beslissing is geen besluit in de zin van de Algemene wet "
    "bestuursrecht: zij betreft een privaatrechtelijke rechtshandeling van de "
    "gemeente als contractpartij (artikel 5a Wet Bibob). U kunt er daarom geen "
    "bezwaar tegen maken of beroep tegen instellen bij de bestuursrechter; een "
    "geschil hierover kunt u voorleggen aan de burgerlijke rechter."
)

WET_BIBOB = "Wet bevordering integriteitsbeoordelingen door het openbaar bestuur"
BIBOB_FORMS = (
    "Bibob-vragenformulier met de gegevens en bescheiden van de betrokkene",
    "Formulier bevindingen eigen onderzoek",
)


def _lbb_adviesaanvraag(i: Mapping[str, Any]) -> list[Block]:
    attachments = i.get("attachments") or BIBOB_FORMS
    v = voice_of(i)
    informed = (
        f"{v.Ik} {v.verb('informeer', 'informeren')} de betrokkene dat {v.ik} u "
        f"om advies {v.verb('heb', 'hebben')} gevraagd (artikel 32 Wet Bibob)."
    )
    return [
        Para(
            f"Op grond van artikel 9 van de {WET_BIBOB} (hierna: Wet Bibob) "
            f"{v.verb('vraag ik', 'vragen wij')} u advies over de mate van gevaar als "
            "bedoeld in artikel 3, eerste lid, "
            "van die wet, in verband met de volgende aanvraag."
        ),
        Facts(
            (
                ("Bestuursorgaan", esc(i["requesting_body"])),
                ("Betrokkene", esc(i["applicant_name"])),
                ("Aangevraagde beschikking", esc(i["application_type"])),
                ("Datum aanvraag", format_date(i["application_date"])),
            )
        ),
        Heading("Bevindingen van het eigen onderzoek"),
        Para(esc(i["findings_summary"])),
        Para(
            "Op grond van artikel 7a, vierde lid, Wet Bibob "
            f"{v.verb('zend ik', 'zenden wij')} u de door de "
            "betrokkene verstrekte gegevens en bescheiden, samen met de bevindingen "
            "van het eigen onderzoek."
        ),
        Heading("Kennisgeving en beslistermijn"),
        Para(
            f"{informed} Het betreft een vastgoedtransactie (artikel 5a Wet Bibob), "
            "een privaatrechtelijke rechtshandeling: er loopt geen wettelijke "
            "beslistermijn die wordt opgeschort."
        )
        if i.get("private_law") is True
        else Para(
            f"{informed} De wettelijke termijn voor het geven van de beschikking is "
            "opgeschort vanaf de dag waarop het advies is aangevraagd tot de dag "
            f"waarop {v.ik} het {v.verb('ontvang', 'ontvangen')} (artikel 31 Wet "
            "Bibob)."
        ),
        Heading("Bijlagen"),
        Bullets(tuple(esc(item) for item in attachments)),
    ]


LBB_ADVIESAANVRAAG = LetterTemplate(
    key="lbb_adviesaanvraag",
    version="2026.3",
    title="Adviesaanvraag Landelijk Bureau Bibob",
    document=gettext_lazy("The request for advice"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        Field(
            "applicant_name",
            gettext_lazy("the name of the person concerned"),
            "Wet Bibob art. 7a lid 4",
        ),
        Field(
            "application_type",
            gettext_lazy("the decision applied for"),
            "Wet Bibob art. 9 lid 1",
        ),
        Field(
            "application_date",
            gettext_lazy("the date of the application"),
            "Wet Bibob art. 31",
            kind="date",
        ),
        Field(
            "findings_summary",
            gettext_lazy("the findings of the own investigation"),
            "Wet Bibob art. 7a lid 4",
            plural=True,
        ),
        Field(
            "requesting_body",
            gettext_lazy("the administrative body requesting advice"),
            "Wet Bibob art. 9 lid 1",
        ),
    ),
    body=_lbb_adviesaanvraag,
    optional=(
        Field(
            "attachments", gettext_lazy("the attachments"), kind="names", plural=True
        ),
        PRIVATE_LAW,
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"Adviesaanvraag Wet Bibob, {i['applicant_name']}",
    competence=BIBOB_BODY,
    # Always the LBB, from the setting: no input can redirect it (art 9).
    recipient=lambda i: lbb_address(),
    to_the_party=False,
    banner="Vertrouwelijk: gegevens uit een Bibob-onderzoek (artikel 28 en "
    "artikel 7a, zesde lid, Wet Bibob)",
)


def _kennisgeving_art32(i: Mapping[str, Any]) -> list[Block]:
    requested = format_date(i["request_date"])
    v = voice_of(i)
    laat = f"{v.verb('laat ik', 'laten wij')} u weten dat {v.ik} op {requested}"
    gevraagd = f"om advies {v.verb('heb', 'hebben')} gevraagd"
    verplicht = f"Dat {v.verb('ben ik', 'zijn wij')} verplicht u te melden"
    zodra = f"Zodra {v.ik} het advies {v.verb('heb', 'hebben')} ontvangen"
    van_plan = f"{v.verb('Ben ik', 'Zijn wij')} daarna van plan"
    if i.get("private_law") is True:
        return [
            Para(
                f"Op {format_date(i['application_date'])} heeft u zich tot de "
                f"gemeente gewend voor: {esc(i['application_type'])}. Met deze brief "
                f"{laat} het Landelijk Bureau Bibob {gevraagd} over deze "
                f"vastgoedtransactie. {verplicht} op grond van artikel 32 van de "
                f"{WET_BIBOB} (hierna: Wet Bibob)."
            ),
            Para(
                "Het Landelijk Bureau Bibob kan u om aanvullende gegevens vragen. "
                "Beantwoord zo'n verzoek zo snel mogelijk."
            ),
            Heading("Hoe gaat het verder?"),
            Para(
                f"{zodra}, {v.verb('beslis ik', 'beslissen wij')} of de gemeente de "
                f"vastgoedtransactie aangaat. {v.verb('Ben ik', 'Zijn wij')} van "
                "plan dat niet of onder voorwaarden te doen, dan krijgt u eerst de "
                "gelegenheid uw "
                "zienswijze te geven (artikel 33 Wet Bibob)."
            ),
        ]
    return [
        Para(
            f"Op {format_date(i['application_date'])} heeft u een aanvraag gedaan "
            f"voor: {esc(i['application_type'])}. Met deze brief {laat} het "
            f"Landelijk Bureau Bibob {gevraagd} over deze aanvraag. {verplicht} op "
            f"grond van artikel 32 van de {WET_BIBOB} (hierna: Wet Bibob)."
        ),
        Heading("Gevolgen voor de beslistermijn"),
        Para(
            f"Door de adviesaanvraag is de wettelijke termijn waarbinnen {v.ik} op "
            f"uw aanvraag {v.verb('moet', 'moeten')} beslissen, opgeschort "
            "(artikel 31 Wet Bibob). De "
            f"opschorting begint op {requested}, de dag waarop het advies is "
            f"aangevraagd, en eindigt op de dag waarop {v.ik} het advies "
            f"{v.verb('ontvang', 'ontvangen')}. Zij "
            "duurt niet langer dan de adviestermijn van acht weken (artikel 15, "
            "eerste lid, Wet Bibob), vermeerderd met de tijd waarin die termijn is "
            "opgeschort omdat gevraagde gegevens ontbreken (artikel 15, tweede lid) "
            "en met een eenmalige verlenging van ten hoogste vier weken (artikel 15, "
            "derde lid)."
        ),
        Para(
            "Het Landelijk Bureau Bibob kan u om aanvullende gegevens vragen. "
            "Beantwoord zo'n verzoek zo snel mogelijk: zolang de gevraagde gegevens "
            "ontbreken, loopt de adviestermijn niet door."
        ),
        Heading("Hoe gaat het verder?"),
        Para(
            f"{zodra}, {v.verb('beoordeel ik', 'beoordelen wij')} uw aanvraag "
            f"verder. {van_plan} uw aanvraag te weigeren of er voorschriften aan te "
            "verbinden, dan krijgt u eerst de gelegenheid uw zienswijze te geven "
            "(artikel 33 Wet Bibob)."
        ),
    ]


KENNISGEVING_ART32 = LetterTemplate(
    key="kennisgeving_art32",
    version="2026.3",
    title="Kennisgeving adviesaanvraag Wet Bibob",
    document=gettext_lazy("The notice"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Wet Bibob art. 32"),
        Field(
            "application_type",
            gettext_lazy("the decision applied for"),
            "Wet Bibob art. 32",
        ),
        Field(
            "application_date",
            gettext_lazy("the date of the application"),
            "Wet Bibob art. 31",
            kind="date",
        ),
        Field(
            "request_date",
            gettext_lazy("the date of the request for advice"),
            "Wet Bibob art. 31",
            kind="date",
        ),
    ),
    body=_kennisgeving_art32,
    optional=(PRIVATE_LAW, *LETTER_OPTIONAL),
    subject=lambda i: "Adviesaanvraag Landelijk Bureau Bibob over uw aanvraag",
    competence=BIBOB_BODY,
)


# --- 5. Voornemen weigering / intrekking / voorschriften (Wet Bibob) ----------

# Art. 28 lid 3 Wet Bibob: with the voornemen the betrokkene gets a copy of the
# advice and must be warned in writing of the secrecy duty of lid 1. Fixed text,
# never an input: it is printed on every voornemen_bibob.
BIBOB_SECRECY_TITLE = "Geheimhoudingsplicht (artikel 28 Wet Bibob)"


def secrecy_warning(v: Voice) -> str:
    """The warning of art 28 lid 3, in the voice of the body that sends it."""
    return (
        "Met deze brief ontvangt u gegevens uit het Bibob-onderzoek. Op grond van "
        "artikel 28, derde lid, van de Wet Bibob "
        f"{v.verb('wijs ik', 'wijzen wij')} u er schriftelijk op dat u " + _SECRECY
    )


_SECRECY = (
    "verplicht bent de gegevens over anderen dan uzelf geheim te houden (artikel 28, "
    "eerste lid, Wet Bibob). U mag die gegevens niet openbaar maken en niet aan "
    "anderen doorgeven. Alleen als u de beslissing in rechte aanvecht, mag u de "
    "gegevens aan de rechter bekendmaken (artikel 28, vierde lid, Wet Bibob). Het "
    "opzettelijk schenden van deze geheimhoudingsplicht is strafbaar (artikel 272 "
    "van het Wetboek van Strafrecht)."
)
# The burgemeester's warning; `secrecy_warning(voice)` for any body.
BIBOB_SECRECY_WARNING = secrecy_warning(Voice())
BIBOB_GROUNDS = {
    "a": "uit gepleegde strafbare feiten verkregen of te verkrijgen, op geld "
    "waardeerbare voordelen te benutten (artikel 3, eerste lid, onder a, Wet Bibob)",
    "b": "strafbare feiten te plegen (artikel 3, eerste lid, onder b, Wet Bibob)",
}
_DECISIONS = ("weigering", "intrekking", "voorschriften")
_DEGREES = ("ernstig", "mindere_mate")


def _voornemen_bibob(i: Mapping[str, Any]) -> list[Block]:
    decision = i["intended_decision"]
    permit = esc(i["permit"]) if not is_empty(i.get("permit")) else ""
    v = voice_of(i)
    ben = f"{v.Ik} {v.verb('ben', 'zijn')}"
    if decision == "weigering":
        intro = (
            f"{ben} van plan uw aanvraag{' voor ' + permit if permit else ''} te "
            "weigeren op grond van artikel 3, eerste lid, van de "
        )
    elif decision == "intrekking":
        intro = (
            f"{ben} van plan {permit or 'de aan u gegeven beschikking'} in te "
            "trekken op grond van artikel 3, eerste lid, van de "
        )
    else:
        intro = (
            f"{ben} van plan aan {permit or 'de beschikking'} voorschriften te "
            "verbinden op grond van artikel 3, zevende lid, van de "
        )
    grounds = Bullets(tuple(BIBOB_GROUNDS[g] for g in sorted(i["grounds"])))
    blocks: list[Block] = [
        Para(f"{intro}{WET_BIBOB} (hierna: Wet Bibob)."),
        Heading("Mate van gevaar"),
    ]
    if i["degree_of_danger"] == "ernstig":
        blocks += [
            Para(
                f"{ben} van oordeel dat ernstig gevaar bestaat dat de beschikking "
                "mede zal worden gebruikt om:"
            ),
            grounds,
        ]
        if decision == "voorschriften":
            blocks.append(
                Para(
                    "Gelet op de ernst van de strafbare feiten "
                    f"{v.verb('acht ik', 'achten wij')} weigering of intrekking "
                    f"niet gerechtvaardigd. Daarom {v.verb('wil ik', 'willen wij')} "
                    "voorschriften aan de beschikking verbinden die het gevaar "
                    "wegnemen of "
                    "beperken (artikel 3, zevende lid, Wet Bibob)."
                )
            )
        else:
            seriousness = (
                " en met de ernst van de strafbare feiten"
                if "b" in i["grounds"]
                else ""
            )
            blocks.append(
                Para(
                    f"De {decision} is naar {v.mijn} oordeel evenredig met de mate van "
                    f"het gevaar{seriousness} (artikel 3, vijfde lid, Wet Bibob)."
                )
            )
    else:
        blocks += [
            Para(
                f"{ben} van oordeel dat geen ernstig gevaar bestaat, maar wel een "
                "mindere mate van gevaar dat de beschikking mede zal worden gebruikt "
                "om:"
            ),
            grounds,
            Para(
                f"Daarom {v.verb('wil ik', 'willen wij')} voorschriften aan de "
                "beschikking verbinden die dit gevaar wegnemen of beperken "
                "(artikel 3, zevende lid, Wet Bibob)."
            ),
        ]
    if not is_empty(i.get("voorschriften")) and decision == "voorschriften":
        blocks += [
            Heading("Voorgenomen voorschriften"),
            Bullets(tuple(esc(item) for item in lines(i["voorschriften"]))),
        ]
    if not is_empty(i.get("motivation")):
        blocks += [Heading("Motivering"), Para(esc(i["motivation"]))]
    if not is_empty(i.get("advice_date")):
        blocks.append(
            Para(
                f"{v.mijn.capitalize()} voornemen is gebaseerd op het advies van het "
                "Landelijk Bureau "
                f"Bibob van {format_date(i['advice_date'])}. Een afschrift van het "
                "advies is bij deze brief gevoegd (artikel 28, derde lid, Wet Bibob)."
            )
        )
    else:
        blocks.append(
            Para(
                f"{v.mijn.capitalize()} voornemen is gebaseerd op de bevindingen van "
                "het eigen "
                "onderzoek (artikel 7a Wet Bibob)."
            )
        )
    blocks += [
        Notice(BIBOB_SECRECY_TITLE, secrecy_warning(v)),
        Heading("Uw zienswijze"),
        Para(
            f"Voordat {v.ik} een besluit {v.verb('neem', 'nemen')}, krijgt u de "
            "gelegenheid uw zienswijze te "
            "geven (artikel 33, eerste lid, Wet Bibob). Dat kan schriftelijk of "
            "mondeling (artikel 33, derde lid, Wet Bibob en artikel 4:9 Algemene wet "
            f"bestuursrecht), tot en met {format_date(i['zienswijze_deadline'])}. "
            f"Vermeld daarbij het kenmerk {esc(i['reference'])}."
        ),
        Para("Dit voornemen is nog geen besluit. U kunt er geen bezwaar tegen maken."),
    ]
    return blocks


def _check_voornemen_bibob(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter "
            "(Wet Bibob art. 33)"
        ),
    )
    if (
        inputs["intended_decision"] in ("weigering", "intrekking")
        and inputs["degree_of_danger"] != "ernstig"
    ):
        text = _(
            "refusal or revocation needs serious danger; a lesser "
            "degree of danger allows only conditions (Wet Bibob art. 3 "
            "lid 1 and lid 7)"
        )
        problems.append(Problem("degree_of_danger", text))
    return problems


_DECISION_NOUN = {
    "weigering": "Voornemen tot weigering",
    "intrekking": "Voornemen tot intrekking",
    "voorschriften": "Voornemen tot het verbinden van voorschriften",
}

VOORNEMEN_BIBOB = LetterTemplate(
    key="voornemen_bibob",
    version="2026.2",
    title="Voornemen Wet Bibob",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Wet Bibob art. 33 lid 1"),
        Field(
            "intended_decision",
            gettext_lazy("the intended decision"),
            "Wet Bibob art. 33 lid 1",
            kind="choice",
            options=_DECISIONS,
        ),
        Field(
            "grounds",
            gettext_lazy("the grounds"),
            "Wet Bibob art. 3 lid 1",
            kind="choices",
            plural=True,
            options=tuple(BIBOB_GROUNDS),
        ),
        Field(
            "degree_of_danger",
            gettext_lazy("the degree of danger"),
            "Wet Bibob art. 3 lid 1 en lid 7",
            kind="choice",
            options=_DEGREES,
        ),
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Wet Bibob art. 33",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_voornemen_bibob,
    optional=(
        Field("permit", gettext_lazy("the description of the decision")),
        Field(
            "voorschriften",
            gettext_lazy("the intended conditions"),
            kind="lines",
            plural=True,
        ),
        Field("motivation", gettext_lazy("the reasoning")),
        Field("advice_date", gettext_lazy("the date of the advice"), kind="date"),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"{_DECISION_NOUN[i['intended_decision']]} (Wet Bibob)",
    competence=BIBOB_BODY,
    check=_check_voornemen_bibob,
)


BANNER = "Vertrouwelijk: gegevens uit een Bibob-onderzoek (artikel 28 Wet Bibob)"


# --- Voornemen: copy for a third party named in it (art 33 lid 1) -------------


def _voornemen_derde(i: Mapping[str, Any]) -> list[Block]:
    decision = _DECISION_NOUN[i["intended_decision"]].lower()
    v = voice_of(i)
    return [
        Para(
            f"Bij brief van {format_date(i['voornemen_date'])} "
            f"{v.verb('heb ik', 'hebben wij')} {esc(i['betrokkene_name'])} laten "
            f"weten dat {v.ik} een {decision} {v.verb('overweeg', 'overwegen')} "
            "op grond van de {WET_BIBOB} (hierna: Wet Bibob). In dat "
            "voornemen wordt u genoemd."
        ),
        Para(
            "Op grond van artikel 33, eerste lid, Wet Bibob "
            f"{v.verb('stel ik', 'stellen wij')} u daarom in de gelegenheid uw "
            f"zienswijze te geven voordat {v.ik} een besluit "
            f"{v.verb('neem', 'nemen')}."
        ),
        Heading("De gegevens die u betreffen"),
        Para(
            "Hieronder staat het deel van het voornemen en van het advies dat op u "
            "betrekking heeft (artikel 28, tweede lid, onder b, Wet Bibob). Andere "
            "gegevens ontvangt u niet."
        ),
        Para(esc(i["own_data"])),
        Notice(BIBOB_SECRECY_TITLE, secrecy_warning(v)),
        Heading("Uw zienswijze"),
        Para(
            "U kunt uw zienswijze schriftelijk of mondeling naar voren brengen "
            "(artikel 33, derde lid, Wet Bibob en artikel 4:9 Algemene wet "
            f"bestuursrecht), tot en met {format_date(i['zienswijze_deadline'])}. "
            f"Vermeld daarbij het kenmerk {esc(i['reference'])}."
        ),
        Para("Deze brief is geen besluit. U kunt er geen bezwaar tegen maken."),
    ]


VOORNEMEN_DERDE = LetterTemplate(
    key="voornemen_bibob_derde",
    version="2026.2",
    title="Voornemen Wet Bibob: afschrift voor een derde (artikel 33)",
    document=gettext_lazy("The copy of the intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Wet Bibob art. 33 lid 1"),
        Field(
            "betrokkene_name",
            gettext_lazy("the name of the person concerned"),
            "Wet Bibob art. 33 lid 1",
        ),
        Field(
            "intended_decision",
            gettext_lazy("the intended decision"),
            "Wet Bibob art. 33 lid 1",
            kind="choice",
            options=_DECISIONS,
        ),
        Field(
            "voornemen_date",
            gettext_lazy("the date of the intention"),
            "Wet Bibob art. 33 lid 1",
            kind="date",
        ),
        Field(
            "own_data",
            gettext_lazy("the part of the advice about the third party"),
            "Wet Bibob art. 28 lid 2 b",
        ),
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Wet Bibob art. 33",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_voornemen_derde,
    optional=LETTER_OPTIONAL,
    subject=lambda i: "Uw zienswijze op een voornemen (artikel 33 Wet Bibob)",
    check=lambda inputs: deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter "
            "(Wet Bibob art. 33)"
        ),
    ),
    banner=BANNER,
    competence=BIBOB_BODY,
)
_APPLICATION_TYPE = Field(
    "application_type", gettext_lazy("the decision applied for"), "Awb 4:2"
)
_APPLICATION_DATE = Field(
    "application_date", gettext_lazy("the date of the application"), "Awb 4:13",
    kind="date",
)  # fmt: skip
_PERMIT = Field("permit", gettext_lazy("the description of the decision"), "Awb 3:46")
_GROUNDS = Field(
    "grounds", gettext_lazy("the grounds"), "Wet Bibob art. 3 lid 1",
    kind="choices", plural=True, options=tuple(BIBOB_GROUNDS),
)  # fmt: skip
_PROPORTIONALITY = Field(
    "proportionality",
    gettext_lazy("the weighing of proportionality"),
    "Wet Bibob art. 3 lid 5",
)
NOT_A_DECISION = "Deze brief is geen besluit. U kunt er geen bezwaar tegen maken."


def _after_letter(key: str, text) -> Any:
    def check(inputs: Mapping[str, Any]) -> list[Problem]:
        return deadline_after_letter(inputs, key, text)

    return check


# --- Ontvangstbevestiging -----------------------------------------------------


def _ontvangstbevestiging(i: Mapping[str, Any]) -> list[Block]:
    v = voice_of(i)
    return [
        Para(
            f"Op {format_date(i['application_date'])} "
            f"{v.verb('heb ik', 'hebben wij')} uw aanvraag ontvangen voor: "
            f"{esc(i['application_type'])}. Met deze brief "
            f"{v.verb('bevestig ik', 'bevestigen wij')} de ontvangst. Uw aanvraag is "
            "geregistreerd onder kenmerk "
            f"{esc(i['reference'])}; vermeld dit kenmerk als u ons schrijft."
        ),
        Heading(f"Wanneer {v.verb('beslis ik', 'beslissen wij')}?"),
        Para(
            f"{v.Ik} {v.verb('beslis', 'beslissen')} op uw aanvraag uiterlijk op "
            f"{format_date(i['decision_deadline'])} (de beslistermijn). Die termijn "
            f"staat stil zolang uw aanvraag onvolledig is, vanaf de dag na {v.mijn} "
            "verzoek om aanvulling (artikel 4:15, eerste lid, onder a, Algemene wet "
            f"bestuursrecht), en zolang {v.ik} het Landelijk Bureau Bibob om advies "
            f"{v.verb('heb', 'hebben')} gevraagd (artikel 31 van de {WET_BIBOB}, "
            f"hierna: Wet Bibob). In beide gevallen hoort u dat van {v.mij}."
        ),
        Heading("De Wet Bibob"),
        Para(
            f"Bij de beoordeling van uw aanvraag {v.verb('kan ik', 'kunnen wij')} "
            f"de Wet Bibob toepassen. {v.Ik} {v.verb('vraag', 'vragen')} u dan een "
            "vragenformulier in te vullen (artikel 7a, tweede lid, Wet Bibob) en "
            f"{v.verb('kan', 'kunnen')} zelf onderzoek doen."
        ),
        Para(NOT_A_DECISION),
    ]


def _decision_deadline_after_application(inputs: Mapping[str, Any]) -> list[Problem]:
    if parse_date(inputs["decision_deadline"]) > parse_date(inputs["application_date"]):
        return []
    text = gettext_lazy(
        "the decision term must end after the date of the application (Awb 4:13)"
    )
    return [Problem("decision_deadline", str(text))]


ONTVANGSTBEVESTIGING = LetterTemplate(
    key="ontvangstbevestiging_bibob",
    version="2026.2",
    title="Ontvangstbevestiging aanvraag",
    document=gettext_lazy("The acknowledgement of receipt"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient(""),
        _APPLICATION_TYPE,
        _APPLICATION_DATE,
        Field(
            "decision_deadline",
            gettext_lazy("the end of the decision term"),
            "Awb 4:13",
            kind="date",
        ),
    ),
    body=_ontvangstbevestiging,
    optional=LETTER_OPTIONAL,
    subject=lambda i: f"Ontvangstbevestiging aanvraag {i['application_type']}",
    competence=BIBOB_BODY,
    check=_decision_deadline_after_application,
)


# --- Begeleidende brief bij het Bibob-vragenformulier ---------------------------

INQUIRIES = ("aanvraag", "intrekking")


def _vragenformulier(i: Mapping[str, Any]) -> list[Block]:
    about = esc(i["application_type"])
    deadline = format_date(i["return_deadline"])
    v = voice_of(i)
    vraag = f"Daarom {v.verb('vraag ik', 'vragen wij')} u het"
    if i["inquiry"] == "aanvraag":
        intro = (
            f"U heeft een aanvraag gedaan voor: {about}. Bij de beoordeling daarvan "
            f"{v.verb('pas ik', 'passen wij')} de {WET_BIBOB} (hierna: Wet Bibob) "
            f"toe. {vraag} bijgevoegde Bibob-vragenformulier volledig in te vullen en "
            "met de "
            "gevraagde bescheiden terug te sturen (artikel 7a, tweede lid, Wet Bibob)."
        )
        consequence = [
            Para(
                "Stuurt u het formulier niet, niet volledig of niet op tijd terug, "
                f"dan is uw aanvraag onvolledig. {v.Ik} {v.verb('stel', 'stellen')} "
                "u dan in de gelegenheid haar aan te vullen. Doet u dat niet, dan "
                f"{v.verb('kan ik', 'kunnen wij')} besluiten uw aanvraag "
                "niet te behandelen (artikel 4:5 Algemene wet bestuursrecht). "
                "Zolang uw aanvraag onvolledig is, staat de beslistermijn stil "
                "(artikel 4:15 Algemene wet bestuursrecht)."
            )
        ]
    else:
        intro = (
            f"U bent houder van: {about}. {v.Ik} "
            f"{v.verb('onderzoek', 'onderzoeken')} of {v.ik} deze beschikking "
            f"{v.verb('moet', 'moeten')} intrekken op grond van de {WET_BIBOB} "
            f"(hierna: Wet Bibob). {vraag} bijgevoegde Bibob-vragenformulier volledig "
            "in te vullen "
            "en met de gevraagde bescheiden terug te sturen (artikel 7a, derde lid, "
            "Wet Bibob)."
        )
        consequence = [
            Para(
                "Vult u het formulier niet of niet volledig in, dan "
                f"{v.verb('kan ik', 'kunnen wij')} daaruit afleiden dat ernstig gevaar "
                "bestaat dat de beschikking mede zal "
                "worden gebruikt voor strafbare feiten (artikel 4, eerste lid, Wet "
                "Bibob). Dat kan leiden tot intrekking van de beschikking."
            )
        ]
    return [
        Para(intro),
        Heading("Het formulier"),
        Para(
            "Het vragenformulier is vastgesteld in de Regeling Bibob-formulieren "
            "2024. Het vraagt onder meer naar uw gegevens, uw vertegenwoordiger, "
            "de leidinggevenden, zeggenschaphebbenden en vermogensverschaffers, en "
            "de financiering (artikel 7a, tweede lid, Wet Bibob)."
        ),
        Facts((("Terugsturen uiterlijk op", f"<b>{deadline}</b>"),)),
        Para(f"Vermeld bij het terugsturen het kenmerk {esc(i['reference'])}."),
        Heading("Wat gebeurt er met uw gegevens?"),
        Para(
            f"{v.Ik} {v.verb('gebruik', 'gebruiken')} de gegevens voor het eigen "
            "onderzoek naar de mate van gevaar (artikel 3 en 7a Wet Bibob). "
            f"{v.Ik} {v.verb('kan', 'kunnen')} daarbij ook andere bronnen "
            "raadplegen en het Landelijk Bureau Bibob om advies vragen (artikel 9 "
            "Wet Bibob). Wie gegevens uit dit onderzoek ontvangt, moet ze geheim "
            "houden (artikel 28 Wet Bibob)."
        ),
        *consequence,
        Heading("Bijlage"),
        Bullets(("Bibob-vragenformulier (Regeling Bibob-formulieren 2024)",)),
        Para(NOT_A_DECISION),
    ]


VRAGENFORMULIER = LetterTemplate(
    key="vragenformulier_bibob",
    version="2026.2",
    title="Begeleidende brief Bibob-vragenformulier",
    document=gettext_lazy("The cover letter"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Wet Bibob art. 7a lid 2"),
        Field(
            "inquiry",
            gettext_lazy("the kind of inquiry (aanvraag or intrekking)"),
            "Wet Bibob art. 7a lid 2 en 3",
            kind="choice",
            options=INQUIRIES,
        ),
        _APPLICATION_TYPE,
        Field(
            "return_deadline",
            gettext_lazy("the date to return the form"),
            "Wet Bibob art. 7a lid 2",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_vragenformulier,
    optional=LETTER_OPTIONAL,
    subject=lambda i: "Bibob-vragenformulier",
    competence=BIBOB_BODY,
    check=_after_letter(
        "return_deadline",
        gettext_lazy("the form must be returned after the date of the letter"),
    ),
)


# --- Herstelverzuim (Awb 4:5) and the besluit buiten behandeling --------------


def _herstelverzuim(i: Mapping[str, Any]) -> list[Block]:
    v = voice_of(i)
    return [
        Para(
            f"Op {format_date(i['application_date'])} heeft u een aanvraag gedaan "
            f"voor: {esc(i['application_type'])}. Uw aanvraag is niet volledig. De "
            "volgende gegevens of bescheiden ontbreken:"
        ),
        Bullets(tuple(esc(item) for item in lines(i["missing"]))),
        Heading("Aanvullen"),
        Para(
            f"{v.Ik} {v.verb('geef', 'geven')} u de gelegenheid uw aanvraag aan te "
            "vullen tot en met "
            f"<b>{format_date(i['completion_deadline'])}</b> (artikel 4:5, eerste "
            "lid, van de Algemene wet bestuursrecht, hierna: Awb). Vermeld daarbij "
            f"het kenmerk {esc(i['reference'])}."
        ),
        Para(
            "Vult u uw aanvraag niet of niet volledig aan binnen deze termijn, dan "
            f"{v.verb('kan ik', 'kunnen wij')} besluiten haar niet te behandelen "
            "(artikel 4:5, eerste lid, Awb). Dat besluit "
            f"{v.verb('maak ik', 'maken wij')} binnen vier weken na afloop van de "
            "termijn "
            "aan u bekend (artikel 4:5, vierde lid, Awb)."
        ),
        Heading("De beslistermijn staat stil"),
        Para(
            f"De termijn waarbinnen {v.ik} op uw aanvraag "
            f"{v.verb('moet', 'moeten')} beslissen, is opgeschort "
            "vanaf de dag na de verzending van deze brief tot de dag waarop u uw "
            "aanvraag heeft aangevuld of de termijn voor aanvulling ongebruikt is "
            "verstreken (artikel 4:15, eerste lid, onder a, Awb)."
        ),
        Para(NOT_A_DECISION),
    ]


HERSTELVERZUIM = LetterTemplate(
    key="herstelverzuim_bibob",
    version="2026.2",
    title="Verzoek om aanvulling (herstelverzuim)",
    document=gettext_lazy("The request to complete"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 4:5 lid 1"),
        _APPLICATION_TYPE,
        _APPLICATION_DATE,
        Field(
            "missing",
            gettext_lazy("the missing data and documents"),
            "Awb 4:5 lid 1",
            kind="names",
            plural=True,
        ),
        Field(
            "completion_deadline",
            gettext_lazy("the period to complete the application"),
            "Awb 4:5 lid 1",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_herstelverzuim,
    optional=LETTER_OPTIONAL,
    subject=lambda i: f"Aanvulling van uw aanvraag {i['application_type']}",
    competence=BIBOB_BODY,
    check=_after_letter(
        "completion_deadline",
        gettext_lazy(
            "the period to complete must end after the date of the letter (Awb 4:5)"
        ),
    ),
)


def _buiten_behandeling(i: Mapping[str, Any]) -> list[Block]:
    v = voice_of(i)
    return [
        Para(
            f"Op {format_date(i['application_date'])} heeft u een aanvraag gedaan "
            f"voor: {esc(i['application_type'])}. Bij brief van "
            f"{format_date(i['herstel_date'])} {v.verb('heb ik', 'hebben wij')} u "
            "gevraagd uw aanvraag aan te "
            f"vullen tot en met {format_date(i['completion_deadline'])}. U heeft "
            "uw aanvraag niet binnen die termijn aangevuld."
        ),
        Heading("Besluit"),
        Para(
            f"{v.Ik} {v.verb('besluit', 'besluiten')} uw aanvraag niet te "
            "behandelen (artikel 4:5, eerste lid, "
            "Algemene wet bestuursrecht). U kunt altijd een nieuwe, volledige "
            "aanvraag indienen."
        ),
    ]


def _period_ended_before_decision(inputs: Mapping[str, Any]) -> list[Problem]:
    if parse_date(inputs["completion_deadline"]) < parse_date(inputs["date"]):
        return []
    text = gettext_lazy(
        "the period to complete must have ended before the decision (Awb 4:5)"
    )
    return [Problem("completion_deadline", str(text))]


BUITEN_BEHANDELING = LetterTemplate(
    key="buiten_behandeling_bibob",
    version="2026.3",
    title="Besluit buiten behandeling stellen aanvraag",
    document=gettext_lazy("The decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 3:41"),
        _APPLICATION_TYPE,
        _APPLICATION_DATE,
        Field(
            "herstel_date",
            gettext_lazy("the date of the request to complete"),
            "Awb 4:5 lid 1",
            kind="date",
            addressee_day=True,
        ),
        Field(
            "completion_deadline",
            gettext_lazy("the period to complete the application"),
            "Awb 4:5 lid 1",
            kind="date",
        ),
    ),
    body=_buiten_behandeling,
    optional=LETTER_OPTIONAL,
    subject=lambda i: f"Aanvraag {i['application_type']} niet behandeld",
    competence=BIBOB_BODY,
    remedy=bezwaar_unless_private_law,
    check=_period_ended_before_decision,
)


# --- Besluiten -------------------------------------------------------------------


def _history(i: Mapping[str, Any]) -> list[Block]:
    """What came before the besluit: the voornemen, the views, the advice."""
    blocks: list[Block] = []
    v = voice_of(i)
    if not is_empty(i.get("voornemen_date")):
        blocks.append(
            Para(
                f"Bij brief van {format_date(i['voornemen_date'])} "
                f"{v.verb('heb ik', 'hebben wij')} u laten weten wat {v.ik} van "
                f"plan {v.verb('was', 'waren')}, en {v.verb('heb ik', 'hebben wij')} "
                "u de gelegenheid gegeven uw zienswijze te geven (artikel 33 Wet "
                "Bibob)."
            )
        )
    if not is_empty(i.get("zienswijze")):
        blocks += [
            Heading(f"Uw zienswijze en {v.mijn_de} reactie"),
            Para(esc(i["zienswijze"])),
        ]
    if not is_empty(i.get("advice_date")):
        blocks.append(
            Para(
                f"{v.Ik} {v.verb('heb', 'hebben')} het advies van het Landelijk "
                f"Bureau Bibob van {format_date(i['advice_date'])} betrokken bij dit "
                f"besluit. {v.Ik} {v.verb('heb', 'hebben')} {v.mij} ervan vergewist "
                "dat het onderzoek zorgvuldig is verricht "
                "(artikel 3:9 Algemene wet bestuursrecht)."
            )
        )
    return blocks


def _motivation(i: Mapping[str, Any]) -> list[Block]:
    if is_empty(i.get("motivation")):
        return []
    v = voice_of(i)
    return [
        Heading("Motivering"),
        Para(esc(i["motivation"])),
        Para(
            f"In deze motivering {v.verb('gebruik ik', 'gebruiken wij')} gegevens "
            "uit het Bibob-onderzoek alleen "
            "voor zover dat nodig is om dit besluit te motiveren (artikel 28, "
            "tweede lid, onder a, Wet Bibob)."
        ),
    ]


def _grounds(i: Mapping[str, Any]) -> Bullets:
    return Bullets(tuple(BIBOB_GROUNDS[g] for g in sorted(i["grounds"])))


def _verlening(i: Mapping[str, Any]) -> list[Block]:
    v = voice_of(i)
    if i.get("private_law") is True:
        return [
            Para(
                f"Op {format_date(i['application_date'])} heeft u zich tot de "
                f"gemeente gewend voor: {esc(i['permit'])}."
            ),
            *_history(i),
            Heading("Beslissing"),
            Para(
                f"De gemeente is bereid de vastgoedtransactie aan te gaan: "
                f"{esc(i['permit'])}."
            ),
            Para(
                f"{v.Ik} {v.verb('heb', 'hebben')} de {WET_BIBOB} (hierna: Wet "
                "Bibob) toegepast (artikel 5a "
                "Wet Bibob). Daaruit is geen ernstig gevaar gebleken dat de "
                "vastgoedtransactie mede zal worden gebruikt om strafbare feiten te "
                "plegen of om voordeel uit strafbare feiten te benutten."
            ),
            *_motivation(i),
            *_remedies(i),
        ]
    return [
        Para(
            f"Op {format_date(i['application_date'])} heeft u een aanvraag gedaan "
            f"voor: {esc(i['permit'])}."
        ),
        *_history(i),
        Heading("Besluit"),
        Para(f"{v.Ik} {v.verb('verleen', 'verlenen')} u: {esc(i['permit'])}."),
        Para(
            f"Bij de beoordeling {v.verb('heb ik', 'hebben wij')} de {WET_BIBOB} "
            "(hierna: Wet Bibob) "
            "toegepast. Daaruit is geen gevaar gebleken dat de beschikking mede zal "
            "worden gebruikt om strafbare feiten te plegen of om voordeel uit "
            "strafbare feiten te benutten (artikel 3, eerste lid, Wet Bibob), of "
            "een weigering zou onevenredig zijn (artikel 3, vijfde lid, Wet Bibob)."
        ),
        *_motivation(i),
    ]


def _voorschriften(i: Mapping[str, Any]) -> list[Block]:
    v = voice_of(i)
    ben = f"{v.Ik} {v.verb('ben', 'zijn')}"
    verbind = f"Daarom {v.verb('verbind ik', 'verbinden wij')} voorschriften"
    if i["degree_of_danger"] == "ernstig":
        danger = (
            f"{ben} van oordeel dat ernstig gevaar bestaat dat de beschikking mede "
            "zal worden gebruikt om:"
        )
        why = (
            f"Een weigering {v.verb('acht ik', 'achten wij')} niet evenredig "
            f"(artikel 3, vijfde lid, Wet Bibob). {verbind} aan de beschikking die het "
            "gevaar wegnemen of beperken (artikel 3, zevende lid, Wet Bibob)."
        )
    else:
        danger = (
            f"{ben} van oordeel dat een mindere mate van gevaar bestaat dat de "
            "beschikking mede zal worden gebruikt om:"
        )
        why = (
            f"{verbind} aan de beschikking die dit gevaar "
            "wegnemen of beperken (artikel 3, zevende lid, Wet Bibob)."
        )
    return [
        Para(
            f"Op {format_date(i['application_date'])} heeft u een aanvraag gedaan "
            f"voor: {esc(i['permit'])}."
        ),
        *_history(i),
        Heading("Besluit"),
        Para(
            f"{v.Ik} {v.verb('verleen', 'verlenen')} u: {esc(i['permit'])}, onder "
            "de voorschriften hieronder "
            f"(artikel 3, zevende lid, van de {WET_BIBOB}, hierna: Wet Bibob)."
        ),
        Heading("Mate van gevaar"),
        Para(danger),
        _grounds(i),
        Para(why),
        Heading("Evenredigheid"),
        Para(esc(i["proportionality"])),
        Heading("Voorschriften"),
        Bullets(tuple(esc(item) for item in lines(i["voorschriften"]))),
        Para(
            "Handelt u in strijd met een voorschrift, dan "
            f"{v.verb('kan ik', 'kunnen wij')} de beschikking "
            "intrekken (artikel 3, zevende lid, Wet Bibob)."
        ),
        *_motivation(i),
        *_remedies(i),
    ]


# Art 3 lid 6: a ground for refusal of its own, without any degree of danger.
LID_6 = (
    "feiten en omstandigheden erop wijzen of redelijkerwijs doen vermoeden dat "
    "ter verkrijging van de aangevraagde beschikking strafbare feiten zijn "
    "gepleegd (artikel 3, zesde lid, Wet Bibob)"
)
REFUSAL_GROUNDS = (*BIBOB_GROUNDS, "6")
DEGREES_ALL = ("ernstig", "mindere_mate", "geen")


def _weigering(i: Mapping[str, Any]) -> list[Block]:
    """The refusal says what the conclusion says: "ernstig gevaar" only on
    the a- or b-ground of art 3 lid 1 with a serious degree; a refusal on a
    lesser degree rests on art 3 lid 6 alone and says so."""
    grounds = set(i["grounds"])
    lid1 = sorted(grounds & set(BIBOB_GROUNDS))
    private = i.get("private_law") is True
    v = voice_of(i)
    opening = Para(
        f"Op {format_date(i['application_date'])} heeft u "
        + ("zich tot de gemeente gewend" if private else "een aanvraag gedaan")
        + f" voor: {esc(i['permit'])}."
    )
    if private:
        decision = (
            "De gemeente gaat de vastgoedtransactie niet aan (artikel 5a, in "
            f"verbinding met artikel 3, van de {WET_BIBOB}, hierna: Wet Bibob)."
        )
    else:
        articles = " en ".join(
            part
            for part, on in (("eerste lid", lid1), ("zesde lid", "6" in grounds))
            if on
        )
        decision = (
            f"{v.Ik} {v.verb('weiger', 'weigeren')} uw aanvraag op grond van "
            f"artikel 3, {articles}, van de "
            f"{WET_BIBOB} (hierna: Wet Bibob)."
        )
    blocks: list[Block] = [opening, *_history(i), Heading("Besluit"), Para(decision)]
    if lid1:
        blocks += [
            Heading("Mate van gevaar"),
            Para(
                f"{v.Ik} {v.verb('ben', 'zijn')} van oordeel dat ernstig gevaar "
                "bestaat dat de "
                + ("vastgoedtransactie" if private else "beschikking")
                + " mede zal worden gebruikt om:"
            ),
            Bullets(tuple(BIBOB_GROUNDS[g] for g in lid1)),
        ]
    if "6" in grounds:
        blocks += [
            Heading("Strafbare feiten bij de aanvraag"),
            Para(f"{v.Ik} {v.verb('weiger', 'weigeren')} omdat {LID_6}."),
        ]
        if i["degree_of_danger"] == "mindere_mate":
            blocks.append(
                Para(
                    f"Voor het overige {v.verb('heb ik', 'hebben wij')} een mindere "
                    "mate van gevaar vastgesteld "
                    "(artikel 3, zevende lid, Wet Bibob); die alleen zou geen "
                    "weigering dragen."
                )
            )
    blocks += [
        Heading("Evenredigheid"),
        Para(
            "De weigering is evenredig met de mate van het gevaar en, bij de "
            "b-grond, met de ernst van de strafbare feiten (artikel 3, vijfde lid, "
            "Wet Bibob)."
            if lid1
            else "De weigering is evenredig met de ernst van de feiten (artikel 3, "
            "vijfde lid, Wet Bibob)."
        ),
        Para(esc(i["proportionality"])),
        *_motivation(i),
        *_remedies(i),
    ]
    return blocks


def _check_weigering(inputs: Mapping[str, Any]) -> list[Problem]:
    """Art 3 lid 1: the a- and b-ground carry a refusal only with ernstig
    gevaar; on a lesser degree only art 3 lid 6 does (lid 7: conditions)."""
    grounds = set(inputs["grounds"])
    if grounds & set(BIBOB_GROUNDS) and inputs["degree_of_danger"] != "ernstig":
        return [
            Problem(
                "degree_of_danger",
                _(
                    "a refusal on the a- or b-ground needs serious danger; with a "
                    "lesser degree only conditions are possible (Wet Bibob art. 3 "
                    "lid 1 and lid 7)"
                ),
            )
        ]
    return []


def _intrekking(i: Mapping[str, Any]) -> list[Block]:
    v = voice_of(i)
    blocks: list[Block] = [*_history(i), Heading("Besluit")]
    blocks.append(
        Para(
            f"{v.Ik} {v.verb('trek', 'trekken')} in: {esc(i['permit'])}, op grond van "
            f"de {WET_BIBOB} (hierna: "
            "Wet Bibob)."
        )
    )
    blocks.append(Heading("Mate van gevaar"))
    if i.get("form_refused") is True:
        blocks.append(
            Para(
                "U heeft het Bibob-vragenformulier niet of niet volledig ingevuld. "
                f"Daarom {v.verb('ga ik', 'gaan wij')} ervan uit dat ernstig gevaar "
                "bestaat dat de "
                "beschikking mede zal worden gebruikt voor strafbare feiten "
                "(artikel 4, eerste lid, Wet Bibob)."
            )
        )
    else:
        blocks += [
            Para(
                f"{v.Ik} {v.verb('ben', 'zijn')} van oordeel dat ernstig gevaar "
                "bestaat dat de beschikking mede zal worden gebruikt om (artikel "
                "3, eerste lid, Wet Bibob):"
            ),
            _grounds(i),
        ]
    blocks += [
        Heading("Evenredigheid"),
        Para(
            "De intrekking is evenredig met de mate van het gevaar (artikel 3, "
            "vijfde lid, Wet Bibob)."
        ),
        Para(esc(i["proportionality"])),
        *_motivation(i),
    ]
    return blocks


_DECISION_OPTIONAL = (
    PRIVATE_LAW,
    Field("voornemen_date", gettext_lazy("the date of the intention"), kind="date"),
    Field("zienswijze", gettext_lazy("the views and the response to them")),
    Field("advice_date", gettext_lazy("the date of the advice"), kind="date"),
    Field("motivation", gettext_lazy("the reasoning")),
    *LETTER_OPTIONAL,
)
_DECISION_FIELDS = (REFERENCE, LETTER_DATE, *recipient("Awb 3:41"), _PERMIT)

BESLUIT_VERLENING = LetterTemplate(
    key="besluit_bibob_verlening",
    version="2026.3",
    title="Besluit verlening (Wet Bibob)",
    document=gettext_lazy("The decision"),
    fields=(*_DECISION_FIELDS, _APPLICATION_DATE),
    body=_verlening,
    optional=_DECISION_OPTIONAL,
    subject=lambda i: f"Besluit op uw aanvraag: {i['permit']}",
    competence=BIBOB_BODY,
    remedy=bezwaar_unless_private_law,
)
BESLUIT_VOORSCHRIFTEN = LetterTemplate(
    key="besluit_bibob_voorschriften",
    version="2026.3",
    title="Besluit verlening met voorschriften (Wet Bibob)",
    document=gettext_lazy("The decision"),
    fields=(
        *_DECISION_FIELDS,
        _APPLICATION_DATE,
        _GROUNDS,
        Field(
            "degree_of_danger",
            gettext_lazy("the degree of danger"),
            "Wet Bibob art. 3 lid 7",
            kind="choice",
            options=("ernstig", "mindere_mate"),
        ),
        _PROPORTIONALITY,
        Field(
            "voorschriften",
            gettext_lazy("the conditions"),
            "Wet Bibob art. 3 lid 7",
            kind="names",
            plural=True,
        ),
    ),
    body=_voorschriften,
    optional=_DECISION_OPTIONAL,
    subject=lambda i: f"Besluit op uw aanvraag: {i['permit']}",
    competence=BIBOB_BODY,
    remedy=bezwaar_unless_private_law,
)
BESLUIT_WEIGERING = LetterTemplate(
    key="besluit_bibob_weigering",
    version="2026.3",
    title="Besluit weigering (Wet Bibob)",
    document=gettext_lazy("The decision"),
    fields=(
        *_DECISION_FIELDS,
        _APPLICATION_DATE,
        Field(
            "grounds",
            gettext_lazy("the grounds"),
            "Wet Bibob art. 3 lid 1 en lid 6",
            kind="choices",
            plural=True,
            options=REFUSAL_GROUNDS,
        ),
        Field(
            "degree_of_danger",
            gettext_lazy("the degree of danger"),
            "Wet Bibob art. 3 lid 1 en lid 7",
            kind="choice",
            options=DEGREES_ALL,
        ),
        _PROPORTIONALITY,
    ),
    body=_weigering,
    optional=_DECISION_OPTIONAL,
    check=_check_weigering,
    subject=lambda i: f"Weigering: {i['permit']}",
    competence=BIBOB_BODY,
    remedy=bezwaar_unless_private_law,
)
BESLUIT_INTREKKING = LetterTemplate(
    key="besluit_bibob_intrekking",
    version="2026.3",
    title="Besluit intrekking (Wet Bibob)",
    document=gettext_lazy("The decision"),
    fields=(
        *_DECISION_FIELDS,
        Field(
            "grounds",
            gettext_lazy("the grounds"),
            "Wet Bibob art. 3 lid 1",
            kind="choices",
            plural=True,
            options=tuple(BIBOB_GROUNDS),
            # Art 4 lid 1: a refused form is ernstig gevaar by fiction.
            waived_by="form_refused",
        ),
        _PROPORTIONALITY,
    ),
    body=_intrekking,
    optional=(
        Field(
            "form_refused",
            gettext_lazy("the choice that the form was refused (art. 4 lid 1)"),
            kind="bool",
        ),
        *_DECISION_OPTIONAL,
    ),
    subject=lambda i: f"Intrekking: {i['permit']}",
    competence=BIBOB_BODY,
    remedy=bezwaar_unless_private_law,
)


# --- Verstrekking onder artikel 28, tweede lid --------------------------------

# The recipients of art 28 lid 2 by reason code (workflows.bibob.models
# .ShareRecipient holds the same codes with their labels), as printed.
SHARE_GROUNDS = {
    # The conditions of lid 2 a–d as the Justis guidance on art 28 words them
    # ("uitsluitend voor zover ..."); each recipient gets nothing beyond them.
    "28.2.a": "de betrokkene, in de beschikking en uitsluitend voor zover nodig "
    "ter motivering daarvan",
    "28.2.b": "een derde die in de motivering van het advies voorkomt, uitsluitend "
    "voor zover de gegevens hem betreffen",
    "28.2.c": "de leden van het driehoeksoverleg (artikel 13 Politiewet 2012), "
    "uitsluitend voor zover noodzakelijk voor het ondersteunen van het "
    "bestuursorgaan bij de motivering van het besluit",
    "28.2.d": "de deelnemers aan een RIEC-samenwerkingsverband, uitsluitend voor "
    "zover noodzakelijk voor de ondersteuning van het bestuursorgaan bij de "
    "toepassing van de Wet Bibob",
    "28.2.e": "de bezwaarschriftencommissie",
    "28.2.f": "kwaliteitsbewaking en onderzoek",
    "28.2.g": "de rekenkamer",
    "28.2.h": "de Nationale ombudsman",
    "28.2.i": "de Autoriteit persoonsgegevens",
    "28.2.j": "de rechter",
    "28.2.k": "opsporingsambtenaren, op een vordering op grond van het Wetboek van "
    "Strafvordering",
    "28.2.l": "de AIVD of de MIVD",
    "28.2.m": "een ander bestuursorgaan, onder de voorwaarden van artikel 28, "
    "tweede lid, onder m",
    "28.2.n": "de omgevingsdienst",
    "28.2.o": "de Kamer van Koophandel",
}


# Art 28 lid 3, adapted for any recipient: printed on every provision.
def share_warning(v: Voice) -> str:
    """Art 28 lid 3 for any recipient, in the voice of the body."""
    return (
        "Met deze brief ontvangt u gegevens uit een Bibob-onderzoek. Op grond van "
        "artikel 28, derde lid, van de Wet Bibob "
        f"{v.verb('wijs ik', 'wijzen wij')} u er schriftelijk op dat op " + _SHARE
    )


_SHARE = (
    "deze gegevens de geheimhoudingsplicht van artikel 28, eerste lid, Wet Bibob "
    "rust. U mag de gegevens alleen gebruiken voor het doel waarvoor zij aan u "
    "zijn verstrekt. U mag ze niet openbaar maken en niet aan anderen doorgeven, "
    "behalve voor zover de Wet Bibob dat toestaat. Het opzettelijk schenden van "
    "deze geheimhoudingsplicht is strafbaar (artikel 272 van het Wetboek van "
    "Strafrecht)."
)
SHARE_WARNING = share_warning(Voice())


def _verstrekking(i: Mapping[str, Any]) -> list[Block]:
    code = i["recipient_code"]
    v = voice_of(i)
    secret = code in ("28.2.a", "28.2.b")
    warning = secrecy_warning(v) if secret else share_warning(v)
    return [
        Para(
            f"Hierbij {v.verb('verstrek ik', 'verstrekken wij')} u gegevens uit "
            f"het Bibob-onderzoek in de zaak met kenmerk {esc(i['reference'])}. "
            f"{v.Ik} {v.verb('doe', 'doen')} dat op grond van artikel 28, "
            f"tweede lid, onder {code[-1]}, van de {WET_BIBOB} (hierna: Wet Bibob): "
            f"verstrekking aan {SHARE_GROUNDS[code]}."
        ),
        Facts(
            (
                ("Grondslag", f"Wet Bibob art. 28 lid 2 onder {code[-1]}"),
                ("Redencode", esc(code)),
                ("Doel", esc(i["purpose"])),
            )
        ),
        Heading("Verstrekte gegevens"),
        Para(esc(i["shared_data"])),
        Notice(BIBOB_SECRECY_TITLE, warning),
    ]


VERSTREKKING = LetterTemplate(
    key="verstrekking_bibob",
    version="2026.3",
    title="Verstrekking van Bibob-gegevens (artikel 28 lid 2 Wet Bibob)",
    document=gettext_lazy("The provision of Bibob data"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        Field("recipient_name", gettext_lazy("the name of the recipient")),
        Field(
            "recipient_code",
            gettext_lazy("the recipient's ground (art. 28 lid 2)"),
            "Wet Bibob art. 28 lid 2",
            kind="choice",
            options=tuple(SHARE_GROUNDS),
        ),
        Field("purpose", gettext_lazy("the purpose"), "Wet Bibob art. 28 lid 2"),
        Field("shared_data", gettext_lazy("the data provided"), "Wet Bibob art. 28"),
    ),
    body=_verstrekking,
    optional=(
        Field(
            "recipient_address",
            gettext_lazy("the address of the recipient"),
            kind="lines",
        ),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: "Verstrekking gegevens Bibob-onderzoek",
    competence=BIBOB_BODY,
    recipient=lambda i: [
        str(i["recipient_name"]).strip(),
        *lines(i.get("recipient_address") or ()),
    ],
    banner=BANNER,
)


BIBOB_TEMPLATES = {
    template.key: template
    for template in (
        LBB_ADVIESAANVRAAG,
        KENNISGEVING_ART32,
        VOORNEMEN_BIBOB,
        VOORNEMEN_DERDE,
        ONTVANGSTBEVESTIGING,
        VRAGENFORMULIER,
        HERSTELVERZUIM,
        BUITEN_BEHANDELING,
        BESLUIT_VERLENING,
        BESLUIT_VOORSCHRIFTEN,
        BESLUIT_WEIGERING,
        BESLUIT_INTREKKING,
        VERSTREKKING,
    )
}

# Every Bibob letter with the
# data class it is stored under. D5: advice data or findings of the own
# investigation (Wet Bibob art 28); made only through the Bibob letter page.
LETTER_CLASSES = {
    "ontvangstbevestiging_bibob": "D2",
    "vragenformulier_bibob": "D2",
    "herstelverzuim_bibob": "D2",
    "buiten_behandeling_bibob": "D2",
    "lbb_adviesaanvraag": "D5",
    "kennisgeving_art32": "D2",
    "voornemen_bibob": "D5",
    "voornemen_bibob_derde": "D5",
    "besluit_bibob_verlening": "D2",
    "besluit_bibob_voorschriften": "D2",
    "besluit_bibob_weigering": "D2",
    "besluit_bibob_intrekking": "D2",
    "verstrekking_bibob": "D5",
}
D5_LETTERS = frozenset(key for key, cls in LETTER_CLASSES.items() if cls == "D5")
