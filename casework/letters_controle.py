"""The terugkoppelingsbrief of an integrale controle (domain.md §4.3 C60 →
C70, §4.5): the entrepreneur hears the outcome of the visit. Same engine and
conventions as casework/letters.py (decision 0003)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from .letters import (
    LETTER_DATE,
    LETTER_OPTIONAL,
    REFERENCE,
    Block,
    Field,
    Heading,
    LetterTemplate,
    Para,
    _is_empty,
    _recipient,
    esc,
    format_date,
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
    if not _is_empty(i.get("follow_up")):
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
        *_recipient(""),
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
)

CONTROLE_TEMPLATES = {TERUGKOPPELING.key: TERUGKOPPELING}
