"""The terugkoppelingsbrief of an integrale controle (docs/domain.md §4.3 C60 →
C70, §4.5): the entrepreneur hears the outcome of the visit. Same engine and
conventions as casework/letters.py (decision 0003)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.letters import (
    LETTER_DATE,
    LETTER_OPTIONAL,
    REFERENCE,
    Block,
    Facts,
    Field,
    Grid,
    Heading,
    LetterTemplate,
    Para,
    Problem,
    esc,
    format_date,
    is_empty,
    lines,
    optional_para,
    recipient,
)

# --- 6. Bezoekrapport integrale controle --------------------------------------


def _bezoekrapport(i: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [
        Facts(
            (
                ("Kenmerk", esc(i["reference"])),
                ("Datum bezoek", format_date(i["visit_date"])),
                ("Adres", "<br/>".join(esc(a) for a in lines(i["addresses"]))),
                ("Partners", ", ".join(esc(p) for p in lines(i["partners"]))),
            )
        ),
        Para(
            "Dit rapport bevat alleen de bevindingen die de deelnemende partners met "
            "elkaar mogen delen. Bevindingen die voor één partner bestemd zijn, zoals "
            "een proces-verbaal, boeterapport of constateringsrapport, staan in de "
            "eigen rapportage van die partner."
        ),
        Heading("Bevindingen"),
    ]
    findings = [] if is_empty(i.get("findings")) else i["findings"]
    if findings:
        blocks.append(
            Grid(
                ("Partner", "Bevinding"),
                tuple((esc(f["partner"]), esc(f["text"])) for f in findings),
                (0.28, 0.72),
            )
        )
    else:
        # A visit may find nothing the partners may share: the report says
        # so rather than being refused.
        blocks.append(
            Para(
                "Bij dit bezoek zijn geen bevindingen vastgelegd die de "
                "deelnemende partners met elkaar mogen delen."
            )
        )
    blocks += optional_para(i, "author", "Opgesteld door: {}")
    return blocks


def _check_bezoekrapport(inputs: Mapping[str, Any]) -> list[Problem]:
    partners = {p.strip().casefold() for p in lines(inputs["partners"])}
    findings = [] if is_empty(inputs.get("findings")) else inputs["findings"]
    for number, finding in enumerate(findings, start=1):
        if str(finding["partner"]).strip().casefold() not in partners:
            text = _(
                "the finding on line %(row)d is by %(partner)s, who is "
                "not among the partners"
            ) % {"row": number, "partner": finding["partner"]}
            return [Problem("findings", text)]
    return []


BEZOEKRAPPORT = LetterTemplate(
    key="bezoekrapport",
    # 2026.2: a visit without shareable findings has a report too.
    version="2026.2",
    title="Bezoekrapport integrale controle",
    document=gettext_lazy("The visit report"),
    fields=(
        REFERENCE,
        Field("visit_date", gettext_lazy("the date of the visit"), kind="date"),
        Field("addresses", gettext_lazy("the addresses"), kind="names", plural=True),
        Field("partners", gettext_lazy("the partners"), kind="names", plural=True),
    ),
    body=_bezoekrapport,
    optional=(
        Field(
            "findings",
            gettext_lazy("the findings"),
            kind="records",
            plural=True,
            columns=(
                Field("partner", gettext_lazy("the partner")),
                Field("text", gettext_lazy("the finding")),
            ),
        ),
        Field("author", gettext_lazy("the author")),
    ),
    layout="report",
    check=_check_bezoekrapport,
)


def _terugkoppeling(i: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [
        Para(
            f"Op {format_date(i['visit_date'])} heeft het bestuurlijk "
            "interventieteam van de gemeente, samen met partnerorganisaties, een "
            f"integrale controle uitgevoerd bij {esc(i['premises_address'])}. Met "
            "deze brief laat ik u weten wat de uitkomst is."
        ),
        Heading("Uitkomst van de controle"),
        Para(esc(i["outcome"])),
    ]
    if not is_empty(i.get("follow_up")):
        blocks += [Heading("Wat gebeurt er nu?"), Para(esc(i["follow_up"]))]
    blocks += [
        Para(
            "Elke partner beslist zelf over het vervolg binnen zijn eigen "
            "bevoegdheden. Als een partner een maatregel overweegt, hoort u dat van "
            "die partner zelf, met de mogelijkheid uw zienswijze te geven."
        ),
        Para("Deze brief is geen besluit. U kunt er geen bezwaar tegen maken."),
    ]
    return blocks


TERUGKOPPELING = LetterTemplate(
    key="terugkoppeling_controle",
    version="2026.1",
    title="Terugkoppeling integrale controle",
    document=gettext_lazy("The feedback letter"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient(""),
        Field("premises_address", gettext_lazy("the address of the premises")),
        Field("visit_date", gettext_lazy("the date of the visit"), kind="date"),
        Field("outcome", gettext_lazy("the outcome of the visit")),
    ),
    body=_terugkoppeling,
    optional=(
        Field("follow_up", gettext_lazy("what happens next")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"Uitkomst integrale controle, {i['premises_address']}",
    competence="burgemeester",
)

CONTROLE_TEMPLATES = {
    template.key: template for template in (BEZOEKRAPPORT, TERUGKOPPELING)
}
