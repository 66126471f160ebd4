"""The further letters of the last onder dwangsom / sluiting case type
(domain.md §2.5): waarschuwing, voornemen and besluit sluiting, voornemen tot
invordering and aanmaning. Same engine and conventions as casework/letters.py
(decision 0003: Dutch letter text lives in the template; required fields name
the article that requires them)."""

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .letters import (
    _LOD_FACTS,
    _REMEDIES,
    LETTER_DATE,
    LETTER_OPTIONAL,
    REFERENCE,
    VIOLATED_PROVISION,
    Block,
    Facts,
    Field,
    Grid,
    Heading,
    LetterTemplate,
    Para,
    Problem,
    _deadline_after_letter,
    _is_empty,
    _optional_para,
    _recipient,
    esc,
    format_amount,
    format_date,
    money,
    parse_amount,
    parse_date,
)

_FORFEITURES = Field(
    "forfeitures",
    gettext_lazy("the forfeited penalties"),
    "Awb 5:37 lid 1",
    kind="records",
    plural=True,
    columns=(
        Field("date", gettext_lazy("the date"), kind="date"),
        Field("description", gettext_lazy("the description")),
        Field("amount", gettext_lazy("the amount"), kind="amount"),
    ),
)
_TOTAL = Field(
    "total_amount", gettext_lazy("the total amount"), "Awb 5:37 lid 1", kind="amount"
)


def _forfeiture_grid(i: Mapping[str, Any]) -> Grid:
    rows = tuple(
        (format_date(row["date"]), esc(row["description"]), money(row["amount"]))
        for row in i["forfeitures"]
    )
    return Grid(
        ("Datum", "Omschrijving", "Bedrag"),
        rows,
        (0.2, 0.58, 0.22),
        total=("", "<b>Totaal</b>", f"<b>{money(i['total_amount'])}</b>"),
        right=(2,),
    )


def _total_is_the_sum(inputs: Mapping[str, Any]) -> list[Problem]:
    total = parse_amount(inputs["total_amount"])
    summed = sum(
        (parse_amount(row["amount"]) for row in inputs["forfeitures"]), Decimal("0.00")
    )
    if total == summed:
        return []
    text = _(
        "the total amount (%(total)s) does not equal the sum of the "
        "forfeited penalties (%(sum)s) (Awb 5:37 lid 1)"
    ) % {"total": format_amount(total), "sum": format_amount(summed)}
    return [Problem("total_amount", text)]


# --- Bestuurlijke waarschuwing --------------------------------------------------


def _waarschuwing(i: Mapping[str, Any]) -> list[Block]:
    return [
        Para(
            "Uit informatie waarover ik beschik, blijkt dat in of bij het pand "
            f"{esc(i['premises_address'])} de Opiumwet is overtreden."
        ),
        Heading("Wat is er vastgesteld?"),
        Para(esc(i["violation"])),
        *_optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Waarschuwing"),
        Para(
            "Ik ben bevoegd hiertegen op te treden op grond van "
            f"{esc(i['legal_basis'])}. "
            f"Volgens de {esc(i['beleidsregel'])} volsta ik deze keer met een "
            "waarschuwing."
        ),
        Para(
            "Ik waarschuw u dat ik bij een volgende overtreding zal optreden. Dan "
            f"ben ik van plan het volgende op te leggen: {esc(i['next_measure'])}."
        ),
        Para(
            "Deze brief is geen besluit in de zin van de Algemene wet bestuursrecht. "
            "U kunt er geen bezwaar tegen maken."
        ),
    ]


WAARSCHUWING_LOD = LetterTemplate(
    key="waarschuwing_lod",
    version="2026.1",
    title="Bestuurlijke waarschuwing artikel 13b Opiumwet",
    document=gettext_lazy("The warning"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient(""),
        Field("premises_address", gettext_lazy("the address of the premises")),
        Field("violation", gettext_lazy("the description of the violation")),
        Field("legal_basis", gettext_lazy("the legal basis")),
        Field("beleidsregel", gettext_lazy("the policy rule applied")),
        Field(
            "next_measure",
            gettext_lazy("the measure on a next violation per the policy"),
        ),
    ),
    body=_waarschuwing,
    optional=(VIOLATED_PROVISION, *LETTER_OPTIONAL),
    subject=lambda i: f"Waarschuwing, {i['premises_address']}",
)


# --- Voornemen en besluit sluiting (last onder bestuursdwang) -----------------

_CLOSURE = (
    Field(
        "closure_months",
        gettext_lazy("the duration of the closure in months"),
        "art. 13b Opiumwet; Awb 5:24",
        kind="amount",
    ),
    Field(
        "begunstigingstermijn",
        gettext_lazy("the grace period"),
        "Awb 5:24 lid 2",
    ),
)


def _months(i: Mapping[str, Any]) -> str:
    n = int(parse_amount(i["closure_months"]))
    return f"{n} maand" if n == 1 else f"{n} maanden"


def _voornemen_sluiting(i: Mapping[str, Any]) -> list[Block]:
    return [
        Para(
            "Ik ben van plan het pand "
            f"{esc(i['premises_address'])} voor de duur van {_months(i)} te sluiten "
            "(last onder bestuursdwang). Voordat ik daarover een besluit neem, krijgt "
            "u de gelegenheid uw zienswijze te geven (artikel 4:8 van de Algemene "
            "wet bestuursrecht, hierna: Awb)."
        ),
        Heading("Wat is er vastgesteld?"),
        Para(esc(i["violation"])),
        *_optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Waarop baseer ik dit voornemen?"),
        Para(
            f"Ik baseer mij op {esc(i['legal_basis'])}. Ik ben bevoegd een last onder "
            "bestuursdwang op te leggen als in een woning of lokaal of op een "
            "daarbij behorend erf drugs worden verkocht, afgeleverd of verstrekt "
            "dan wel daartoe aanwezig zijn."
        ),
        Heading("Welke maatregel wil ik opleggen?"),
        Para(esc(i["measure_description"])),
        Facts(
            (
                ("Duur van de sluiting", _months(i)),
                ("Begunstigingstermijn", esc(i["begunstigingstermijn"])),
            )
        ),
        Para(
            "Voert u de last niet binnen de begunstigingstermijn uit, dan sluit ik "
            "het pand zelf. De kosten daarvan kan ik bij u in rekening brengen "
            "(artikel 5:25 Awb)."
        ),
        Heading("Uw zienswijze"),
        Para(
            "U kunt uw zienswijze tot en met "
            f"{format_date(i['zienswijze_deadline'])} geven, schriftelijk of "
            "mondeling (artikel 4:9 Awb). Vermeld daarbij het kenmerk "
            f"{esc(i['reference'])}. Van een mondelinge zienswijze maken wij een "
            "verslag. Ik betrek ook de belangen van bewoners en van de eigenaar of "
            "verhuurder bij mijn afweging; noem die in uw zienswijze."
        ),
        Para("Dit voornemen is nog geen besluit. U kunt er geen bezwaar tegen maken."),
    ]


def _check_voornemen_sluiting(inputs: Mapping[str, Any]) -> list[Problem]:
    return _deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter (Awb 4:8)"
        ),
    )


VOORNEMEN_SLUITING = LetterTemplate(
    key="voornemen_sluiting",
    version="2026.1",
    title="Voornemen last onder bestuursdwang (sluiting)",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Awb 4:8"),
        *_LOD_FACTS,
        *_CLOSURE,
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Awb 4:8",
            kind="date",
        ),
    ),
    body=_voornemen_sluiting,
    optional=(VIOLATED_PROVISION, *LETTER_OPTIONAL),
    subject=lambda i: f"Voornemen sluiting, {i['premises_address']}",
    check=_check_voornemen_sluiting,
)


def _besluit_sluiting(i: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    if not _is_empty(i.get("voornemen_date")):
        blocks.append(
            Para(
                f"Bij brief van {format_date(i['voornemen_date'])} heb ik u laten "
                "weten dat ik van plan was het pand te sluiten, en heb ik u de "
                "gelegenheid gegeven uw zienswijze te geven."
            )
        )
    if not _is_empty(i.get("zienswijze")):
        blocks += [Heading("Uw zienswijze en mijn reactie"), Para(esc(i["zienswijze"]))]
    blocks += [
        Heading("Besluit"),
        Para(
            "Ik leg u een last onder bestuursdwang op: het pand "
            f"{esc(i['premises_address'])} wordt gesloten voor de duur van "
            f"{_months(i)}."
        ),
        Heading("De overtreding"),
        Para(esc(i["violation"])),
        *_optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Wettelijke grondslag en beleid"),
        Para(
            f"Ik baseer dit besluit op {esc(i['legal_basis'])} en artikel 5:21 en "
            "verder van de Algemene wet bestuursrecht (hierna: Awb)."
        ),
        Para(f"Bij dit besluit pas ik de beleidsregel {esc(i['beleidsregel'])} toe."),
        Heading("Evenredigheid"),
        Para(esc(i["proportionality"])),
        Heading("De last"),
        Para(esc(i["measure_description"])),
        Para(
            "<b>Begunstigingstermijn</b> (artikel 5:24, tweede lid, Awb): "
            f"{esc(i['begunstigingstermijn'])}. Sluit u het pand niet zelf binnen "
            "deze termijn, dan sluit ik het en verzegel ik het (artikel 5:28 Awb)."
        ),
        Heading("Kosten"),
        Para(
            "De kosten van de bestuursdwang komen voor uw rekening (artikel 5:25 "
            "Awb). Ik stel die kosten bij afzonderlijke beschikking vast."
        ),
        Heading("Bezwaar maken"),
        Para(esc(i["rechtsmiddelenclausule"])),
        Para(
            "Een bezwaarschrift schort de werking van dit besluit niet op (artikel "
            "6:16 Awb). Wilt u dat het besluit niet wordt uitgevoerd zolang op uw "
            "bezwaar niet is beslist, dan kunt u de voorzieningenrechter van de "
            "rechtbank om een voorlopige voorziening vragen (artikel 8:81 Awb)."
        ),
    ]
    return blocks


BESLUIT_SLUITING = LetterTemplate(
    key="besluit_sluiting",
    version="2026.1",
    title="Besluit last onder bestuursdwang (sluiting)",
    document=gettext_lazy("The decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Awb 3:41"),
        *_LOD_FACTS,
        *_CLOSURE,
        Field("beleidsregel", gettext_lazy("the policy rule applied")),
        Field(
            "proportionality",
            gettext_lazy("the weighing of proportionality"),
            "Awb 3:4 lid 2",
        ),
        _REMEDIES,
    ),
    body=_besluit_sluiting,
    optional=(
        Field("voornemen_date", gettext_lazy("the date of the intention"), kind="date"),
        Field("zienswijze", gettext_lazy("the views and the reply")),
        VIOLATED_PROVISION,
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"Sluiting, {i['premises_address']}",
)


# --- Voornemen tot invordering ------------------------------------------------


def _voornemen_invordering(i: Mapping[str, Any]) -> list[Block]:
    total = money(i["total_amount"])
    return [
        Para(
            "Ik heb u een last onder dwangsom opgelegd. U heeft de last niet "
            "nageleefd. Daardoor heeft u van rechtswege de volgende dwangsommen "
            "verbeurd (artikel 5:33 van de Algemene wet bestuursrecht, hierna: Awb):"
        ),
        _forfeiture_grid(i),
        Heading("Mijn voornemen"),
        Para(
            f"Ik ben van plan de verbeurde dwangsommen, in totaal {total}, bij u in te "
            "vorderen. Daarover neem ik een afzonderlijke beschikking "
            "(invorderingsbeschikking, artikel 5:37, eerste lid, Awb)."
        ),
        Heading("Uw zienswijze"),
        Para(
            "Voordat ik besluit, kunt u uw zienswijze geven, tot en met "
            f"{format_date(i['zienswijze_deadline'])}. Noem daarbij bijzondere "
            "omstandigheden die ertoe zouden moeten leiden dat ik geheel of "
            "gedeeltelijk afzie van invordering. Vermeld het kenmerk "
            f"{esc(i['reference'])}."
        ),
        Para("Dit voornemen is nog geen besluit. U kunt er geen bezwaar tegen maken."),
    ]


def _check_voornemen_invordering(inputs: Mapping[str, Any]) -> list[Problem]:
    return _total_is_the_sum(inputs) + _deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter (Awb 4:8)"
        ),
    )


VOORNEMEN_INVORDERING = LetterTemplate(
    key="voornemen_invordering",
    version="2026.1",
    title="Voornemen tot invordering van verbeurde dwangsommen",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Awb 4:8"),
        _FORFEITURES,
        _TOTAL,
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Awb 4:8",
            kind="date",
        ),
    ),
    body=_voornemen_invordering,
    optional=LETTER_OPTIONAL,
    subject=lambda i: "Voornemen tot invordering verbeurde dwangsommen",
    check=_check_voornemen_invordering,
)


# --- Aanmaning ------------------------------------------------------------------


def _aanmaning(i: Mapping[str, Any]) -> list[Block]:
    amount = parse_amount(i["amount_due"])
    costs = (
        Decimal("0")
        if _is_empty(i.get("reminder_costs"))
        else parse_amount(i["reminder_costs"])
    )
    rows = [("Verschuldigd bedrag", money(amount))]
    if costs:
        rows.append(("Aanmaningskosten (artikel 4:113 Awb)", money(costs)))
    rows.append(("<b>Totaal te betalen</b>", f"<b>{money(amount + costs)}</b>"))
    return [
        Para(
            "Bij invorderingsbeschikking van "
            f"{format_date(i['collection_decision_date'])} heb ik besloten "
            f"{money(amount)} bij u in te vorderen. U had dit bedrag uiterlijk op "
            f"{format_date(i['original_due_date'])} moeten betalen. Ik heb uw "
            "betaling niet ontvangen."
        ),
        Heading("Aanmaning"),
        Facts(tuple(rows)),
        Para(
            "Ik maan u aan het totale bedrag te betalen binnen twee weken na de dag "
            "van verzending van deze aanmaning, dus uiterlijk op "
            f"{format_date(i['payment_deadline'])} (artikel 4:112 van de Algemene "
            "wet bestuursrecht, hierna: Awb). Vermeld het kenmerk "
            f"{esc(i['reference'])}."
        ),
        *_optional_para(i, "payment_instructions", "{}"),
        Para(
            "Betaalt u niet op tijd, dan kan ik het bedrag met de kosten invorderen "
            "bij dwangbevel (artikel 4:114 Awb). De kosten van de invordering bij "
            "dwangbevel komen dan voor uw rekening."
        ),
        Para("Deze aanmaning is geen besluit. U kunt er geen bezwaar tegen maken."),
    ]


def _check_aanmaning(inputs: Mapping[str, Any]) -> list[Problem]:
    letter = parse_date(inputs["date"])
    deadline = parse_date(inputs["payment_deadline"])
    if deadline >= letter + timedelta(days=14):
        return []
    text = _(
        "the payment period must end at least two weeks after the day of "
        "dispatch (Awb 4:112)"
    )
    return [Problem("payment_deadline", text)]


AANMANING = LetterTemplate(
    key="aanmaning",
    version="2026.1",
    title="Aanmaning",
    document=gettext_lazy("The reminder"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Awb 4:112"),
        Field(
            "collection_decision_date",
            gettext_lazy("the date of the collection decision"),
            "Awb 4:112",
            kind="date",
        ),
        Field(
            "original_due_date",
            gettext_lazy("the original due date"),
            "Awb 4:112",
            kind="date",
        ),
        Field("amount_due", gettext_lazy("the amount due"), "Awb 4:112", kind="amount"),
        Field(
            "payment_deadline",
            gettext_lazy("the payment period"),
            "Awb 4:112",
            kind="date",
        ),
    ),
    body=_aanmaning,
    optional=(
        Field(
            "reminder_costs",
            gettext_lazy("the reminder costs"),
            "Awb 4:113",
            kind="amount",
        ),
        Field("payment_instructions", gettext_lazy("the payment details")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: "Aanmaning",
    check=_check_aanmaning,
)


LOD_TEMPLATES = {
    template.key: template
    for template in (
        WAARSCHUWING_LOD,
        VOORNEMEN_SLUITING,
        BESLUIT_SLUITING,
        VOORNEMEN_INVORDERING,
        AANMANING,
    )
}
