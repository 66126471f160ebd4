"""The letters of the gebiedsverbod / verblijfsontzegging (docs/domain.md §10.5):
the voornemen and the besluit. Same engine and conventions as
casework/letters.py (decision 0003: Dutch letter text lives in the template;
required fields name the article that requires them)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.letters import (
    LETTER_DATE,
    LETTER_OPTIONAL,
    REFERENCE,
    REMEDIES,
    Block,
    Facts,
    Field,
    Heading,
    LetterTemplate,
    Para,
    Problem,
    deadline_after_letter,
    esc,
    format_date,
    is_empty,
    optional_para,
    parse_date,
    recipient,
)

from .measures import period_end

LEGAL_BASIS = Field(
    "legal_basis",
    gettext_lazy("the legal basis (article and lid, or APV article and version)"),
    "Awb 3:46",
)
FACTS = Field(
    "facts",
    gettext_lazy("the dated incidents or the private sanction"),
    "Gemw 172a lid 1",
)
FEAR = Field(
    "fear_reasons",
    gettext_lazy("the reasons for the serious fear of further disturbance"),
    "Gemw 172a lid 1",
)
MEASURE = Field(
    "measure_description",
    gettext_lazy("the description of the measure"),
    "Gemw 172a lid 1",
)
AREA_BAN = Field(
    "area_ban", gettext_lazy("the choice of an area or group ban"), kind="bool"
)
AREA = Field(
    "area_description",
    gettext_lazy("the description of the area"),
    "Gemw 172a lid 1 a/b",
    required_by="area_ban",
)
AREA_MAP = Field(
    "area_map",
    gettext_lazy("the map reference (id, version, hash)"),
    "Gemw 172a lid 1 a/b",
    required_by="area_ban",
)
APV = Field("apv", gettext_lazy("the choice of the APV basis"), kind="bool")


def _area(i: Mapping[str, Any]) -> list[Block]:
    if is_empty(i.get("area_description")):
        return []
    return [
        Heading("Het gebied"),
        Para(esc(i["area_description"])),
        *optional_para(
            i, "area_map", "Het gebied is aangegeven op de kaart bij dit brief ({})."
        ),
    ]


# --- 1. Voornemen ---------------------------------------------------------------


def _voornemen(i: Mapping[str, Any]) -> list[Block]:
    return [
        Para(
            "Ik ben van plan u een maatregel op te leggen om verdere verstoring van "
            "de openbare orde te voorkomen. Voordat ik daarover een besluit neem, "
            "krijgt u de gelegenheid uw zienswijze te geven (artikel 4:8 van de "
            "Algemene wet bestuursrecht, hierna: Awb)."
        ),
        Heading("Wat is er gebeurd?"),
        Para(esc(i["facts"])),
        Heading("Welke maatregel wil ik opleggen?"),
        Para(esc(i["measure_description"])),
        *_area(i),
        Facts(
            (
                ("Wettelijke grondslag", esc(i["legal_basis"])),
                ("Voorgestelde duur", esc(i["proposed_period"])),
            )
        ),
        Heading("Uw zienswijze"),
        Para(
            "U kunt uw zienswijze tot en met "
            f"{format_date(i['zienswijze_deadline'])} geven, schriftelijk of "
            "mondeling (artikel 4:9 Awb). Vermeld daarbij het kenmerk "
            f"{esc(i['reference'])}. Van een mondelinge zienswijze maken wij een "
            "verslag."
        ),
        Para("Dit voornemen is nog geen besluit. U kunt er geen bezwaar tegen maken."),
    ]


def _check_voornemen(inputs: Mapping[str, Any]) -> list[Problem]:
    return deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter (Awb 4:8)"
        ),
    )


VOORNEMEN = LetterTemplate(
    key="voornemen_gebiedsverbod",
    version="2026.1",
    title="Voornemen gebiedsverbod / verblijfsontzegging",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 4:8"),
        FACTS,
        MEASURE,
        LEGAL_BASIS,
        Field(
            "proposed_period",
            gettext_lazy("the proposed duration"),
            "Gemw 172a lid 6",
        ),
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Awb 4:8",
            kind="date",
        ),
    ),
    body=_voornemen,
    optional=(AREA_BAN, AREA, AREA_MAP, *LETTER_OPTIONAL),
    subject=lambda i: "Voornemen maatregel openbare orde",
    check=_check_voornemen,
)


# --- 2. Besluit -----------------------------------------------------------------


def _besluit(i: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    if not is_empty(i.get("voornemen_date")):
        blocks.append(
            Para(
                f"Bij brief van {format_date(i['voornemen_date'])} heb ik u laten "
                "weten dat ik van plan was u deze maatregel op te leggen, en heb ik "
                "u de gelegenheid gegeven uw zienswijze te geven."
            )
        )
    if not is_empty(i.get("zienswijze")):
        blocks += [Heading("Uw zienswijze en mijn reactie"), Para(esc(i["zienswijze"]))]
    if not is_empty(i.get("urgency_reasons")):
        blocks += [
            Heading("Geen voornemen vooraf"),
            Para(
                "Ik heb u niet eerst om uw zienswijze gevraagd (artikel 4:11 Awb): "
                f"{esc(i['urgency_reasons'])}"
            ),
        ]
    blocks += [
        Heading("Besluit"),
        Para(esc(i["measure_description"])),
        *_area(i),
        Facts(
            (
                ("Wettelijke grondslag", esc(i["legal_basis"])),
                ("Ingangsdatum", format_date(i["start_date"])),
                ("Einddatum (tot en met)", format_date(i["end_date"])),
            )
        ),
        Heading("Voorwaarden en uitzonderingen"),
        Para(esc(i["conditions"])),
        Heading("Waarom neem ik dit besluit?"),
        Para(esc(i["facts"])),
        Para(esc(i["fear_reasons"])),
        Heading("Wat als u zich niet aan dit besluit houdt?"),
        Para(
            "Wie opzettelijk niet voldoet aan dit bevel, pleegt een strafbaar feit "
            "(artikel 184 van het Wetboek van Strafrecht). De politie ziet toe op "
            "de naleving en stuurt een proces-verbaal naar het Openbaar Ministerie. "
            "Een overtreding kan ook een reden zijn om de maatregel te verlengen."
        ),
        Para(
            "Ik trek dit besluit in zodra het niet langer nodig is om verdere "
            "verstoring van de openbare orde te voorkomen (artikel 172a, negende "
            "lid, Gemeentewet)."
        ),
        Heading("Bezwaar maken"),
        Para(esc(i["rechtsmiddelenclausule"])),
        Para(
            "Een bezwaarschrift schorst de werking van dit besluit niet. U kunt de "
            "voorzieningenrechter van de rechtbank vragen om een voorlopige "
            "voorziening (artikel 8:81 Awb)."
        ),
    ]
    return blocks


def _check_besluit(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = []
    start, end = parse_date(inputs["start_date"]), parse_date(inputs["end_date"])
    if start < parse_date(inputs["date"]):
        problems.append(
            Problem(
                "start_date",
                _("the measure cannot start before the date of the besluit (Awb 3:40)"),
            )
        )
    if end < start:
        problems.append(Problem("end_date", _("the end lies before the start")))
    elif inputs.get("apv") is not True and end > period_end(start, 3):
        problems.append(
            Problem(
                "end_date",
                _("the measure lasts longer than three months (Gemw 172a lid 6 a)"),
            )
        )
    return problems


BESLUIT = LetterTemplate(
    key="besluit_gebiedsverbod",
    version="2026.1",
    title="Besluit gebiedsverbod / verblijfsontzegging",
    document=gettext_lazy("The decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 3:41"),
        LEGAL_BASIS,
        FACTS,
        FEAR,
        MEASURE,
        Field(
            "start_date", gettext_lazy("the start date"), "Gemw 172a lid 6", kind="date"
        ),
        Field("end_date", gettext_lazy("the end date"), "Gemw 172a lid 6", kind="date"),
        Field(
            "conditions",
            gettext_lazy("the conditions and exceptions"),
            "Awb 3:46",
            plural=True,
        ),
        REMEDIES,
    ),
    body=_besluit,
    optional=(
        AREA_BAN,
        AREA,
        AREA_MAP,
        APV,
        Field("voornemen_date", gettext_lazy("the date of the intention"), kind="date"),
        Field("zienswijze", gettext_lazy("the views and the response to them")),
        Field("urgency_reasons", gettext_lazy("the reasons for skipping the views")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: "Besluit maatregel openbare orde",
    check=_check_besluit,
)

GEBIEDSVERBOD_TEMPLATES = {t.key: t for t in (VOORNEMEN, BESLUIT)}
