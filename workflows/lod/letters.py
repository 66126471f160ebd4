"""The further letters of the last onder dwangsom / sluiting case type
(docs/domain.md §2.5): waarschuwing, voornemen and besluit sluiting, voornemen tot
invordering and aanmaning. Same engine and conventions as casework/letters.py
(decision 0003: Dutch letter text lives in the template; required fields name
the article that requires them)."""

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.letters import (
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
    deadline_after_letter,
    esc,
    format_amount,
    format_date,
    is_empty,
    lines,
    money,
    optional_para,
    parse_amount,
    parse_date,
    recipient,
)

LOD_FACTS = (
    Field("premises_address", gettext_lazy("the address of the premises"), "Awb 5:9"),
    Field("violation", gettext_lazy("the description of the violation"), "Awb 5:9"),
    Field("legal_basis", gettext_lazy("the legal basis"), "Awb 5:9"),
    Field(
        "measure_description",
        gettext_lazy("the description of the order"),
        "Awb 5:32a lid 1",
    ),
)
LOD_AMOUNTS = (
    Field(
        "amount_per_violation",
        gettext_lazy("the amount per violation"),
        "Awb 5:32b lid 1",
        kind="amount",
    ),
    Field(
        "maximum_amount",
        gettext_lazy("the maximum amount"),
        "Awb 5:32b lid 2",
        kind="amount",
    ),
)


def _maximum_not_below_amount(inputs: Mapping[str, Any]) -> list[Problem]:
    if parse_amount(inputs["maximum_amount"]) >= parse_amount(
        inputs["amount_per_violation"]
    ):
        return []
    text = _(
        "the maximum amount is lower than the amount per violation (Awb 5:32b lid 2)"
    )
    return [Problem("maximum_amount", text)]


# What the amount of the dwangsom is per (Awb 5:32b lid 1: "per tijdseenheid
# of per overtreding van de last, dan wel een bedrag ineens"): the recorded
# order's `amount_basis` (handhavingsmatrix.AmountBasis), never assumed.
AMOUNT_BASES = ("per_violation", "per_week", "lump_sum")
AMOUNT_BASIS = Field(
    "amount_basis",
    gettext_lazy("what the amount is per (per violation, per week or lump sum)"),
    "Awb 5:32b lid 1",
    kind="choice",
    options=AMOUNT_BASES,
)
_AMOUNT_LABEL = {
    "per_violation": "Dwangsom per overtreding",
    "per_week": "Dwangsom per week",
    "lump_sum": "Dwangsom ineens",
}
PROPORTIONALITY = Field(
    "proportionality",
    gettext_lazy("the weighing of proportionality"),
    "Awb 3:4 lid 2",
    long=True,
)


def _amount_label(i: Mapping[str, Any]) -> str:
    return _AMOUNT_LABEL[i["amount_basis"]]


def _forfeit_text(i: Mapping[str, Any], amount: str, *, after_grace: bool) -> str:
    """How the dwangsom is forfeited, in the words of the recorded order."""
    when = " na afloop van de begunstigingstermijn" if after_grace else ""
    if i["amount_basis"] == "per_week":
        return (
            f"Voor elke week waarin u de last{when} niet naleeft, verbeurt u van "
            f"rechtswege een dwangsom van {amount}"
        )
    if i["amount_basis"] == "lump_sum":
        return (
            f"Leeft u de last{when} niet na, dan verbeurt u van rechtswege in één "
            f"keer een dwangsom van {amount}"
        )
    return (
        f"Voor elke overtreding van de last{when} verbeurt u van rechtswege een "
        f"dwangsom van {amount}"
    )


def _lump_sum_is_its_own_maximum(inputs: Mapping[str, Any]) -> list[Problem]:
    if inputs["amount_basis"] != "lump_sum":
        return []
    if parse_amount(inputs["maximum_amount"]) == parse_amount(
        inputs["amount_per_violation"]
    ):
        return []
    text = _("a lump sum is forfeited once: its maximum is the amount (Awb 5:32b)")
    return [Problem("maximum_amount", text)]


# --- 1. Voornemen last onder dwangsom ----------------------------------------


def _voornemen_lod(i: Mapping[str, Any]) -> list[Block]:
    return [
        Para(
            "Ik ben van plan u een last onder dwangsom op te leggen voor het pand "
            f"{esc(i['premises_address'])}. Voordat ik daarover een besluit neem, "
            "krijgt u de gelegenheid uw zienswijze te geven (artikel 4:8 van de "
            "Algemene wet bestuursrecht, hierna: Awb)."
        ),
        Heading("Wat is er vastgesteld?"),
        Para(esc(i["violation"])),
        *optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Waarop baseer ik dit voornemen?"),
        Para(
            f"Ik baseer mij op {esc(i['legal_basis'])} in samenhang met artikel "
            "5:32, eerste lid, Awb. Een bestuursorgaan dat bevoegd is een last onder "
            "bestuursdwang op te leggen, kan in plaats daarvan een last onder "
            "dwangsom opleggen."
        ),
        Heading("Welke last wil ik opleggen?"),
        Para(esc(i["measure_description"])),
        Facts(
            (
                (_amount_label(i), money(i["amount_per_violation"])),
                ("Maximumbedrag", money(i["maximum_amount"])),
            )
        ),
        Para(
            "Boven het maximumbedrag verbeurt u geen dwangsom meer (artikel 5:32b, "
            "tweede lid, Awb)."
        ),
        Heading("Uw zienswijze"),
        Para(
            "U kunt uw zienswijze tot en met "
            f"{format_date(i['zienswijze_deadline'])} geven, schriftelijk of "
            "mondeling (artikel 4:9 Awb). Vermeld daarbij het kenmerk "
            f"{esc(i['reference'])}. Wilt u uw zienswijze mondeling geven, neem dan "
            "vóór die datum contact met ons op voor een afspraak. Van een mondelinge "
            "zienswijze maken wij een verslag."
        ),
        Para(
            "Ik betrek uw zienswijze bij mijn besluit. Geeft u geen zienswijze, dan "
            "neem ik na deze datum een besluit op basis van de gegevens die ik nu heb."
        ),
        Para("Dit voornemen is nog geen besluit. U kunt er geen bezwaar tegen maken."),
    ]


def _check_voornemen_lod(inputs: Mapping[str, Any]) -> list[Problem]:
    amounts = _maximum_not_below_amount(inputs) + _lump_sum_is_its_own_maximum(inputs)
    return amounts + deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter (Awb 4:8)"
        ),
    )


VOORNEMEN_LOD = LetterTemplate(
    key="voornemen_lod",
    version="2026.2",
    title="Voornemen last onder dwangsom",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 4:8"),
        *LOD_FACTS,
        *LOD_AMOUNTS,
        AMOUNT_BASIS,
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Awb 4:8",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_voornemen_lod,
    optional=(VIOLATED_PROVISION, *LETTER_OPTIONAL),
    subject=lambda i: f"Voornemen last onder dwangsom, {i['premises_address']}",
    competence="burgemeester",
    check=_check_voornemen_lod,
)


# --- 2. Besluit last onder dwangsom ------------------------------------------


def _is_preventive(inputs: Mapping[str, Any]) -> bool:
    return inputs.get("preventive") is True


def _without_grace_period(inputs: Mapping[str, Any]) -> bool:
    """True for "geen (preventieve last)" and other texts that say there is none."""
    term = " ".join(str(inputs["begunstigingstermijn"]).split()).casefold()
    return term.startswith("geen")


def _besluit_lod(i: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    if not is_empty(i.get("voornemen_date")):
        blocks.append(
            Para(
                f"Bij brief van {format_date(i['voornemen_date'])} heb ik u laten "
                "weten dat ik van plan was u een last onder dwangsom op te leggen, en "
                "heb ik u de gelegenheid gegeven uw zienswijze te geven."
            )
        )
    if not is_empty(i.get("zienswijze")):
        blocks += [Heading("Uw zienswijze en mijn reactie"), Para(esc(i["zienswijze"]))]
    # Validation guarantees that a last without grace period is preventive.
    without_grace_period = _without_grace_period(i)
    amount = money(i["amount_per_violation"])
    maximum = money(i["maximum_amount"])
    blocks += [
        Heading("Besluit"),
        Para(
            "Ik leg u een last onder dwangsom op voor het pand "
            f"{esc(i['premises_address'])}."
        ),
        Heading("De overtreding"),
        Para(esc(i["violation"])),
        *optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Wettelijke grondslag en beleid"),
        Para(
            f"Ik baseer dit besluit op {esc(i['legal_basis'])} in samenhang met "
            "artikel 5:32, eerste lid, van de Algemene wet bestuursrecht (hierna: "
            "Awb)."
        ),
        Para(f"Bij dit besluit pas ik de beleidsregel {esc(i['beleidsregel'])} toe."),
        Heading("Evenredigheid"),
        Para(
            "De gevolgen van de last mogen niet onevenredig zijn in verhouding tot "
            "de doelen die ermee worden gediend (artikel 3:4, tweede lid, Awb). "
            "Mijn afweging is als volgt."
        ),
        Para(esc(i["proportionality"])),
        Heading("De last"),
        Para(esc(i["measure_description"])),
        Para(
            "<b>Herstelmaatregel</b> (artikel 5:32a, eerste lid, Awb): "
            f"{esc(i['herstelmaatregel'])}"
        ),
    ]
    if without_grace_period:
        blocks.append(
            Para(
                "<b>Begunstigingstermijn</b>: "
                f"{esc(i['begunstigingstermijn'])}. Deze last strekt ertoe "
                "herhaling van de overtreding te voorkomen. Een termijn om de last "
                "uit te voeren is daarom niet nodig."
            )
        )
        forfeit = _forfeit_text(i, amount, after_grace=False)
    else:
        blocks.append(
            Para(
                "<b>Begunstigingstermijn</b> (artikel 5:32a, tweede lid, Awb): "
                f"{esc(i['begunstigingstermijn'])}. Voert u de last binnen deze "
                "termijn uit, dan verbeurt u geen dwangsom."
            )
        )
        forfeit = _forfeit_text(i, amount, after_grace=True)
    blocks += [
        Heading("De dwangsom"),
        Facts(((_amount_label(i), amount), ("Maximumbedrag", maximum))),
        Para(
            f"{forfeit}{_up_to(i, maximum)} (artikel 5:32b, eerste en "
            "tweede lid, Awb). Een verbeurde dwangsom moet worden betaald binnen "
            "zes weken nadat zij is verbeurd (artikel 5:33 Awb). Voordat ik een "
            "verbeurde dwangsom invorder, beslis ik daarover bij afzonderlijke "
            "beschikking (artikel 5:37 Awb)."
        ),
    ]
    return blocks


def _up_to(i: Mapping[str, Any], maximum: str) -> str:
    if i["amount_basis"] == "lump_sum":
        return ", dat is ook het maximum"
    return f", tot een maximum van {maximum}"


def _check_besluit_lod(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = _maximum_not_below_amount(inputs) + _lump_sum_is_its_own_maximum(inputs)
    if _without_grace_period(inputs) and not _is_preventive(inputs):
        text = _(
            "the grace period is missing (Awb 5:32a lid 2); only a "
            "preventive order can do without a grace period"
        )
        problems.append(Problem("begunstigingstermijn", text, missing=True))
    return problems


BESLUIT_LOD = LetterTemplate(
    key="besluit_lod",
    version="2026.2",
    title="Besluit last onder dwangsom",
    document=gettext_lazy("The decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 3:41"),
        *LOD_FACTS,
        Field(
            "herstelmaatregel", gettext_lazy("the remedial measure"), "Awb 5:32a lid 1"
        ),
        Field(
            "begunstigingstermijn",
            gettext_lazy("the grace period"),
            "Awb 5:32a lid 2",
        ),
        *LOD_AMOUNTS,
        AMOUNT_BASIS,
        Field(
            "beleidsregel",
            gettext_lazy("the policy rule applied (name and version)"),
            "Awb 3:46 en 4:84",
        ),
        VIOLATED_PROVISION,
        PROPORTIONALITY,
    ),
    body=_besluit_lod,
    optional=(
        Field(
            "preventive", gettext_lazy("the choice of a preventive order"), kind="bool"
        ),
        Field("voornemen_date", gettext_lazy("the date of the intention"), kind="date"),
        Field("zienswijze", gettext_lazy("the views and the response to them")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"Besluit last onder dwangsom, {i['premises_address']}",
    competence="burgemeester",
    remedy="bezwaar",
    check=_check_besluit_lod,
)


# --- 3. Invorderingsbeschikking ------------------------------------------------


def _invorderingsbeschikking(i: Mapping[str, Any]) -> list[Block]:
    total = money(i["total_amount"])
    # The besluit it collects, by date and reference (Awb 5:37 lid 1).
    earlier = (
        f"{format_date(i['besluit_date'])} (kenmerk {esc(i['besluit_reference'])})"
    )
    intro = f"Bij besluit van {earlier} heb ik u een last onder dwangsom opgelegd."
    rows = tuple(
        (
            format_date(row["date"]),
            esc(row["description"]),
            money(row["amount"]),
        )
        for row in i["forfeitures"]
    )
    return [
        Para(
            f"{intro} U heeft de last niet nageleefd. Daardoor heeft u van "
            "rechtswege de volgende dwangsommen verbeurd:"
        ),
        Grid(
            ("Datum", "Omschrijving", "Bedrag"),
            rows,
            (0.2, 0.58, 0.22),
            total=("", "<b>Totaal</b>", f"<b>{total}</b>"),
            right=(2,),
        ),
        Heading("Besluit"),
        Para(
            f"Ik besluit de verbeurde dwangsommen, in totaal {total}, bij u in te "
            "vorderen (artikel 5:37, eerste lid, van de Algemene wet bestuursrecht, "
            "hierna: Awb)."
        ),
        Heading("Betaling"),
        Para(
            f"Ik verzoek u {total} uiterlijk op {format_date(i['payment_deadline'])} "
            f"te betalen op rekening {esc(i['bank_account'])}. Vermeld bij de "
            f"betaling het kenmerk {esc(i['reference'])}."
        ),
        *optional_para(i, "payment_instructions", "{}"),
        Para(
            "Betaalt u niet op tijd, dan ontvangt u een aanmaning (artikel 4:112 "
            "Awb). Betaalt u daarna nog steeds niet, dan kan ik het bedrag bij "
            "dwangbevel invorderen (artikel 4:114 Awb). De kosten daarvan kunnen bij "
            "u in rekening worden gebracht."
        ),
    ]


def _check_invordering(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = deadline_after_letter(
        inputs,
        "payment_deadline",
        gettext_lazy("the payment period must end after the date of the decision"),
    )
    total = parse_amount(inputs["total_amount"])
    summed = sum(
        (parse_amount(row["amount"]) for row in inputs["forfeitures"]), Decimal("0.00")
    )
    if total != summed:
        text = _(
            "the total amount (%(total)s) does not equal the sum of the "
            "forfeited penalties (%(sum)s) (Awb 5:37 lid 1)"
        ) % {"total": format_amount(total), "sum": format_amount(summed)}
        problems.append(Problem("total_amount", text))
    return problems + _paid_not_before_5_33(inputs)


def _paid_not_before_5_33(inputs: Mapping[str, Any]) -> list[Problem]:
    """The payment date is never before the day the law makes the latest
    forfeiture payable: six weeks after it was forfeited (Awb 5:33, with the
    Algemene termijnenwet as the case's own deadline; days equated by KB are
    checked on the case, not here)."""
    from casework import terms

    days = [parse_date(row["date"]) for row in inputs["forfeitures"]]
    if not days:
        return []
    due = max(terms.compute_term(day, weeks=6, atw=True).end for day in days)
    if parse_date(inputs["payment_deadline"]) >= due:
        return []
    text = _(
        "the payment date lies before %(date)s, the day the last forfeited "
        "penalty falls due (Awb 5:33)"
    ) % {"date": format_date(due)}
    return [Problem("payment_deadline", text)]


INVORDERINGSBESCHIKKING = LetterTemplate(
    key="invorderingsbeschikking",
    version="2026.2",
    title="Invorderingsbeschikking",
    document=gettext_lazy("The collection decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 3:41"),
        Field(
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
        ),
        Field(
            "total_amount",
            gettext_lazy("the total amount"),
            "Awb 5:37 lid 1",
            kind="amount",
        ),
        Field(
            "payment_deadline",
            gettext_lazy("the payment period"),
            "Awb 5:33",
            kind="date",
            addressee_day=True,
        ),
        Field(
            "besluit_date",
            gettext_lazy("the date of the order"),
            "Awb 5:37 lid 1",
            kind="date",
        ),
        Field(
            "besluit_reference",
            gettext_lazy("the reference of the order"),
            "Awb 5:37 lid 1",
        ),
        Field(
            "bank_account",
            gettext_lazy("the bank account for payment"),
            "Awb 4:89",
        ),
    ),
    body=_invorderingsbeschikking,
    optional=(
        Field("payment_instructions", gettext_lazy("the payment details")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: "Invordering verbeurde dwangsommen",
    competence="burgemeester",
    remedy="bezwaar",
    check=_check_invordering,
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
# Not a besluit (no legal effect of its own): no rechtsmiddelenclausule. It
# counts as the first rung of the beleidsregel's ladder.


def _waarschuwing(i: Mapping[str, Any]) -> list[Block]:
    return [
        Para(
            "Uit informatie waarover ik beschik, blijkt dat in of bij het pand "
            f"{esc(i['premises_address'])} de Opiumwet is overtreden."
        ),
        Heading("Wat is er vastgesteld?"),
        Para(esc(i["violation"])),
        *optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Waarschuwing"),
        Para(
            "Ik ben bevoegd hiertegen op te treden op grond van "
            f"{esc(i['legal_basis'])}. Volgens de beleidsregel "
            f"{esc(i['beleidsregel'])} volsta ik deze keer met een waarschuwing."
        ),
        Para(
            "Stel ik opnieuw een overtreding vast, dan treed ik op zonder u eerst "
            "nog eens te waarschuwen. Volgens de beleidsregel is de maatregel bij "
            f"een volgende overtreding: {esc(i['next_measure'])}. Deze overtreding "
            "telt dan mee als eerdere overtreding."
        ),
        Para(
            "Deze brief is geen besluit in de zin van de Algemene wet bestuursrecht. "
            "U kunt er geen bezwaar tegen maken."
        ),
    ]


_BELEIDSREGEL = Field(
    "beleidsregel",
    gettext_lazy("the policy rule applied (name and version)"),
    "Awb 3:46 en 4:84",
)

WAARSCHUWING_LOD = LetterTemplate(
    key="waarschuwing_lod",
    version="2026.2",
    title="Bestuurlijke waarschuwing artikel 13b Opiumwet",
    document=gettext_lazy("The warning"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient(""),
        Field("premises_address", gettext_lazy("the address of the premises")),
        Field("violation", gettext_lazy("the description of the violation")),
        Field("legal_basis", gettext_lazy("the legal basis")),
        _BELEIDSREGEL,
        Field(
            "next_measure",
            gettext_lazy("the measure on a next violation per the policy"),
        ),
    ),
    body=_waarschuwing,
    optional=(VIOLATED_PROVISION, *LETTER_OPTIONAL),
    subject=lambda i: f"Waarschuwing, {i['premises_address']}",
    competence="burgemeester",
)


# --- Voornemen en besluit sluiting (last onder bestuursdwang) -----------------

PREMISES_KINDS = ("woning", "lokaal")
_PREMISES_NOUN = {"woning": "de woning", "lokaal": "het lokaal"}
_PREMISES_KIND = Field(
    "premises_kind",
    gettext_lazy("the kind of premises (woning or lokaal)"),
    "Opiumwet art. 13b lid 1",
    kind="choice",
    options=PREMISES_KINDS,
)
_CLOSURE_MONTHS = Field(
    "closure_months",
    gettext_lazy("the duration of the closure in months"),
    "Opiumwet art. 13b lid 1; Awb 5:24 lid 1",
    kind="count",
)
_GRACE_PERIOD = Field(
    "begunstigingstermijn",
    gettext_lazy("the grace period"),
    "Awb 5:24 lid 2",
    # An urgent closure (Awb 5:31 lid 1) is applied without a prior order, so
    # without a term to carry it out first.
    waived_by="spoed",
)
_PROPORTIONALITY = PROPORTIONALITY
# Awb 5:24 lid 3: a closure order is made known to the overtreder and to the
# holders of a right to use the premises (owner, landlord, tenants).
_RECHTHEBBENDEN = Field(
    "copy_to",
    gettext_lazy("the holders of a right to use the premises"),
    "Awb 5:24 lid 3",
    kind="names",
    plural=True,
)
OPIUMWET_13B = (
    "Op grond van artikel 13b, eerste lid, van de Opiumwet ben ik bevoegd een last "
    "onder bestuursdwang op te leggen als in een woning of lokaal of op een daarbij "
    "behorend erf een middel als bedoeld in lijst I of II van de Opiumwet wordt "
    "verkocht, afgeleverd of verstrekt dan wel daartoe aanwezig is (onder a), of "
    "als daar stoffen of voorwerpen aanwezig zijn die bestemd zijn voor het "
    "bereiden of telen van zulke middelen (onder b)."
)


def _months(i: Mapping[str, Any]) -> str:
    n = int(i["closure_months"])
    return f"{n} maand" if n == 1 else f"{n} maanden"


def _premises(i: Mapping[str, Any]) -> str:
    noun = _PREMISES_NOUN[i["premises_kind"]]
    return f"{noun} op het adres {esc(i['premises_address'])}"


def _is_urgent(i: Mapping[str, Any]) -> bool:
    return i.get("spoed") is True


def _costs(*, urgent: bool) -> Para:
    preparation = (
        ""
        if urgent
        else " Daartoe behoren ook de kosten van de voorbereiding die ik maak na "
        "afloop van de begunstigingstermijn, ook als u de last daarna alsnog zelf "
        "uitvoert (artikel 5:25, derde en vierde lid, Awb)."
    )
    return Para(
        "De kosten van de bestuursdwang komen volledig voor uw rekening (artikel "
        f"5:25, eerste en tweede lid, Awb).{preparation} Ik stel de hoogte van de "
        "kosten vast bij een afzonderlijke beschikking (artikel 5:25, zesde lid, "
        "Awb)."
    )


def _voornemen_sluiting(i: Mapping[str, Any]) -> list[Block]:
    return [
        Para(
            f"Ik ben van plan {_premises(i)} voor de duur van {_months(i)} te "
            "sluiten (last onder bestuursdwang). Voordat ik daarover een besluit "
            "neem, krijgt u de gelegenheid uw zienswijze te geven (artikel 4:8 van "
            "de Algemene wet bestuursrecht, hierna: Awb)."
        ),
        Heading("Wat is er vastgesteld?"),
        Para(esc(i["violation"])),
        *optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Waarop baseer ik dit voornemen?"),
        Para(f"Ik baseer mij op {esc(i['legal_basis'])}. {OPIUMWET_13B}"),
        Heading("Welke maatregel wil ik opleggen?"),
        Para(esc(i["measure_description"])),
        Facts(
            (
                ("Duur van de sluiting", _months(i)),
                ("Begunstigingstermijn", esc(i["begunstigingstermijn"])),
            )
        ),
        Para(
            "De sluiting gaat in op de dag waarop het pand wordt gesloten. Sluit u "
            "het pand niet zelf binnen de begunstigingstermijn, dan sluit ik het en "
            "verzegel ik het (artikel 5:28 Awb)."
        ),
        _costs(urgent=False),
        Heading("Uw zienswijze"),
        Para(
            "U kunt uw zienswijze tot en met "
            f"{format_date(i['zienswijze_deadline'])} geven, schriftelijk of "
            "mondeling (artikel 4:9 Awb). Vermeld daarbij het kenmerk "
            f"{esc(i['reference'])}. Van een mondelinge zienswijze maken wij een "
            "verslag."
        ),
        Para(
            "Een sluiting heeft grote gevolgen. Ik weeg daarom af of de sluiting "
            "noodzakelijk is en of de gevolgen niet onevenredig zijn in verhouding "
            "tot het doel ervan (artikel 3:4, tweede lid, Awb). Noem in uw "
            "zienswijze de omstandigheden die ik daarbij moet betrekken, zoals de "
            "belangen van bewoners, kinderen, de eigenaar of de verhuurder."
        ),
        Para("Dit voornemen is nog geen besluit. U kunt er geen bezwaar tegen maken."),
    ]


def _check_voornemen_sluiting(inputs: Mapping[str, Any]) -> list[Problem]:
    return deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter (Awb 4:8)"
        ),
    )


VOORNEMEN_SLUITING = LetterTemplate(
    key="voornemen_sluiting",
    version="2026.2",
    title="Voornemen last onder bestuursdwang (sluiting)",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 4:8"),
        *LOD_FACTS,
        _PREMISES_KIND,
        _CLOSURE_MONTHS,
        # A voornemen always names the grace period: urgency skips the voornemen.
        Field(
            "begunstigingstermijn", gettext_lazy("the grace period"), "Awb 5:24 lid 2"
        ),
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Awb 4:8",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_voornemen_sluiting,
    optional=(VIOLATED_PROVISION, *LETTER_OPTIONAL),
    subject=lambda i: f"Voornemen sluiting, {i['premises_address']}",
    competence="burgemeester",
    check=_check_voornemen_sluiting,
)


def _besluit_sluiting(i: Mapping[str, Any]) -> list[Block]:
    urgent = _is_urgent(i)
    blocks: list[Block] = []
    if not is_empty(i.get("voornemen_date")):
        blocks.append(
            Para(
                f"Bij brief van {format_date(i['voornemen_date'])} heb ik u laten "
                "weten dat ik van plan was het pand te sluiten, en heb ik u de "
                "gelegenheid gegeven uw zienswijze te geven."
            )
        )
    elif urgent:
        blocks.append(
            Para(
                "Vanwege de vereiste spoed heb ik u niet eerst in de gelegenheid "
                "gesteld uw zienswijze te geven (artikel 4:11, aanhef en onder a, "
                "Algemene wet bestuursrecht)."
            )
        )
    if not is_empty(i.get("zienswijze")):
        blocks += [Heading("Uw zienswijze en mijn reactie"), Para(esc(i["zienswijze"]))]
    if urgent:
        decision = (
            f"Ik besluit {_premises(i)} te sluiten voor de duur van {_months(i)}. "
            "Vanwege de spoedeisendheid pas ik bestuursdwang toe zonder u eerst "
            "een last met een termijn op te leggen (artikel 5:31, eerste lid, "
            "Algemene wet bestuursrecht)."
        )
    else:
        decision = (
            f"Ik leg u een last onder bestuursdwang op: {_premises(i)} wordt "
            f"gesloten voor de duur van {_months(i)}."
        )
    blocks += [
        Heading("Besluit"),
        Para(decision),
        Heading("De overtreding"),
        Para(esc(i["violation"])),
        *optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Wettelijke grondslag en beleid"),
        Para(
            f"Ik baseer dit besluit op {esc(i['legal_basis'])} en op artikel 5:21 en "
            "verder van de Algemene wet bestuursrecht (hierna: Awb). "
            f"{OPIUMWET_13B}"
        ),
        Para(f"Bij dit besluit pas ik de beleidsregel {esc(i['beleidsregel'])} toe."),
    ]
    if urgent:
        blocks += [Heading("Waarom spoed?"), Para(esc(i["spoed_reason"]))]
    blocks += [
        Heading("Evenredigheid"),
        Para(
            "De gevolgen van de sluiting mogen niet onevenredig zijn in verhouding "
            "tot de doelen die ermee worden gediend (artikel 3:4, tweede lid, Awb). "
            "Mijn afweging is als volgt."
        ),
        Para(esc(i["proportionality"])),
        Heading("De maatregel"),
        Para(esc(i["measure_description"])),
    ]
    if urgent:
        blocks.append(
            Para(
                "Ik laat het pand sluiten en verzegelen (artikel 5:28 Awb). De "
                f"sluiting duurt {_months(i)}, gerekend vanaf de dag waarop het pand "
                "is gesloten."
            )
        )
    else:
        blocks.append(
            Para(
                "<b>Begunstigingstermijn</b> (artikel 5:24, tweede lid, Awb): "
                f"{esc(i['begunstigingstermijn'])}. Sluit u het pand niet zelf "
                "binnen deze termijn, dan sluit ik het en verzegel ik het (artikel "
                f"5:28 Awb). De sluiting duurt {_months(i)}, gerekend vanaf de dag "
                "waarop het pand is gesloten."
            )
        )
    blocks += [Heading("Kosten"), _costs(urgent=urgent)]
    copies = lines(i.get("copy_to") or ())
    if copies:
        blocks.append(
            Para(
                "Ik maak dit besluit ook bekend aan de rechthebbenden op het gebruik "
                f"van het pand: {', '.join(esc(c) for c in copies)} (artikel 5:24, "
                "derde lid, Awb)."
            )
        )
    # The bezwaar clause follows from the competence (casework/competence.py).
    return blocks


BESLUIT_SLUITING = LetterTemplate(
    key="besluit_sluiting",
    version="2026.3",
    title="Besluit last onder bestuursdwang (sluiting)",
    document=gettext_lazy("The decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 3:41; Awb 5:24 lid 3"),
        *LOD_FACTS,
        _PREMISES_KIND,
        _CLOSURE_MONTHS,
        _GRACE_PERIOD,
        _BELEIDSREGEL,
        VIOLATED_PROVISION,
        _PROPORTIONALITY,
        _RECHTHEBBENDEN,
    ),
    body=_besluit_sluiting,
    optional=(
        Field("spoed", gettext_lazy("the choice of urgent closure"), kind="bool"),
        Field(
            "spoed_reason",
            gettext_lazy("the reasons for the urgency"),
            "Awb 5:31 lid 1",
            plural=True,
            required_by="spoed",
        ),
        Field("voornemen_date", gettext_lazy("the date of the intention"), kind="date"),
        Field("zienswijze", gettext_lazy("the views and the reply")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"Sluiting, {i['premises_address']}",
    competence="burgemeester",
    remedy="bezwaar",
)


# --- Voornemen tot invordering ------------------------------------------------


def _the_order(i: Mapping[str, Any]) -> str:
    """The opening that names the order: its date, reference and bekendmaking."""
    if is_empty(i.get("besluit_date")):
        return "Ik heb u een last onder dwangsom opgelegd."
    text = f"Bij besluit van {format_date(i['besluit_date'])}"
    if not is_empty(i.get("besluit_reference")):
        text += f" (kenmerk {esc(i['besluit_reference'])})"
    if not is_empty(i.get("made_known_on")):
        text += f", aan u bekendgemaakt op {format_date(i['made_known_on'])},"
    return f"{text} heb ik u een last onder dwangsom opgelegd."


def _voornemen_invordering(i: Mapping[str, Any]) -> list[Block]:
    total = money(i["total_amount"])
    blocks: list[Block] = [
        Para(
            f"{_the_order(i)} U heeft de last niet nageleefd. Daardoor heeft u van "
            "rechtswege de volgende dwangsommen verbeurd (artikel 5:33 van de "
            "Algemene wet bestuursrecht, hierna: Awb):"
        ),
        _forfeiture_grid(i),
    ]
    if not is_empty(i.get("maximum_amount")):
        blocks.append(
            Para(
                f"Het maximumbedrag van de last is {money(i['maximum_amount'])}. "
                "Boven dat bedrag verbeurt u geen dwangsom (artikel 5:32b, tweede "
                "lid, Awb)."
            )
        )
    blocks += [
        Heading("Mijn voornemen"),
        Para(
            f"Ik ben van plan de verbeurde dwangsommen, in totaal {total}, bij u in "
            "te vorderen. Daarover neem ik een afzonderlijke beschikking "
            "(invorderingsbeschikking, artikel 5:37, eerste lid, Awb)."
        ),
        Heading("Uw zienswijze"),
        Para(
            "Voordat ik besluit, krijgt u de gelegenheid uw zienswijze te geven "
            "(artikel 4:8 Awb; Afdeling bestuursrechtspraak van de Raad van State, "
            "ECLI:NL:RVS:2018:2956). Dat kan schriftelijk of mondeling, tot en met "
            f"{format_date(i['zienswijze_deadline'])}. Vermeld het kenmerk "
            f"{esc(i['reference'])}."
        ),
        Para(
            "Alleen in bijzondere omstandigheden kan ik geheel of gedeeltelijk "
            "afzien van invordering. Noem in uw zienswijze de omstandigheden die "
            "daartoe volgens u aanleiding geven, en stuur zo mogelijk stukken mee "
            "die ze onderbouwen."
        ),
        Para("Dit voornemen is nog geen besluit. U kunt er geen bezwaar tegen maken."),
    ]
    return blocks


def _total_within_maximum(inputs: Mapping[str, Any]) -> list[Problem]:
    if is_empty(inputs.get("maximum_amount")):
        return []
    if parse_amount(inputs["total_amount"]) <= parse_amount(inputs["maximum_amount"]):
        return []
    text = _(
        "the total amount is higher than the maximum amount of the order "
        "(Awb 5:32b lid 2)"
    )
    return [Problem("total_amount", text)]


def _check_voornemen_invordering(inputs: Mapping[str, Any]) -> list[Problem]:
    return (
        _total_is_the_sum(inputs)
        + _total_within_maximum(inputs)
        + deadline_after_letter(
            inputs,
            "zienswijze_deadline",
            gettext_lazy(
                "the period for views must end after the date of the letter (Awb 4:8)"
            ),
        )
    )


VOORNEMEN_INVORDERING = LetterTemplate(
    key="voornemen_invordering",
    version="2026.2",
    title="Voornemen tot invordering van verbeurde dwangsommen",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 4:8"),
        _FORFEITURES,
        _TOTAL,
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Awb 4:8",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_voornemen_invordering,
    optional=(
        Field("besluit_date", gettext_lazy("the date of the order"), kind="date"),
        Field("besluit_reference", gettext_lazy("the reference of the order")),
        Field(
            "made_known_on",
            gettext_lazy("the date the order was made known"),
            kind="date",
        ),
        Field(
            "maximum_amount",
            gettext_lazy("the maximum amount"),
            "Awb 5:32b lid 2",
            kind="amount",
        ),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: "Voornemen tot invordering verbeurde dwangsommen",
    competence="burgemeester",
    check=_check_voornemen_invordering,
)


# --- Aanmaning ------------------------------------------------------------------

# Awb 4:113 lid 1: the fee for an aanmaning is fixed by law and indexed every
# 1 January (Awb 11:2 lid 1); the dated table is in workflows/lod/ledger.py.


def reminder_fee(amount_due: Any, on: Any = None) -> Decimal:
    """The aanmaningsvergoeding for a debt of amount_due on the day `on`
    (default today; Awb 4:113 lid 1, amounts valid that day)."""
    from django.utils import timezone

    from workflows.lod.ledger import aanmaning_fee

    day = parse_date(on) if on not in (None, "") else timezone.localdate()
    return aanmaning_fee(parse_amount(amount_due), day)


def _aanmaning(i: Mapping[str, Any]) -> list[Block]:
    amount = parse_amount(i["amount_due"])
    costs = (
        Decimal("0")
        if is_empty(i.get("reminder_costs"))
        else parse_amount(i["reminder_costs"])
    )
    rows = [("Openstaand bedrag", money(amount))]
    if costs:
        rows.append(("Aanmaningsvergoeding (artikel 4:113 Awb)", money(costs)))
    rows.append(("<b>Totaal te betalen</b>", f"<b>{money(amount + costs)}</b>"))
    return [
        Para(
            "Bij invorderingsbeschikking van "
            f"{format_date(i['collection_decision_date'])} (kenmerk "
            f"{esc(i['collection_decision_reference'])}) heb ik besloten de door u "
            "verbeurde dwangsommen bij u in te vorderen. U had uiterlijk op "
            f"{format_date(i['original_due_date'])} moeten betalen. Dat heeft u niet "
            "(volledig) gedaan. Daarmee bent u in verzuim (artikel 4:97 van de "
            "Algemene wet bestuursrecht, hierna: Awb)."
        ),
        Heading("Aanmaning"),
        Facts(tuple(rows)),
        Para(
            "Ik maan u aan het totale bedrag te betalen binnen twee weken, gerekend "
            "vanaf de dag na die waarop deze aanmaning is verzonden, dus uiterlijk "
            f"op {format_date(i['payment_deadline'])} (artikel 4:112, eerste lid, "
            f"Awb). Vermeld bij de betaling het kenmerk {esc(i['reference'])}."
        ),
        *optional_para(i, "payment_instructions", "{}"),
        Heading("Wat gebeurt er als u niet op tijd betaalt?"),
        Para(
            "Betaalt u niet op tijd, dan kan ik de betaling afdwingen met "
            "invorderingsmaatregelen op uw kosten (artikel 4:112, derde lid, Awb). "
            "Ik kan dan een dwangbevel uitvaardigen (artikel 4:114 en artikel 5:10, "
            "tweede lid, Awb). Met het dwangbevel kan ik ook de "
            "aanmaningsvergoeding, de wettelijke rente en de kosten van het "
            "dwangbevel invorderen (artikel 4:119 Awb). Het dwangbevel wordt op uw "
            "kosten betekend en ten uitvoer gelegd (artikel 4:120 Awb)."
        ),
        Para("Deze aanmaning is geen besluit. U kunt er geen bezwaar tegen maken."),
    ]


def _check_aanmaning(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = []
    letter = parse_date(inputs["date"])
    if parse_date(inputs["original_due_date"]) >= letter:
        text = _(
            "the original due date must lie before the reminder: only a debtor "
            "in default is reminded (Awb 4:97 and 4:112 lid 1)"
        )
        problems.append(Problem("original_due_date", text))
    if parse_date(inputs["payment_deadline"]) < letter + timedelta(days=14):
        text = _(
            "the payment period must end at least two weeks after the day of "
            "dispatch (Awb 4:112)"
        )
        problems.append(Problem("payment_deadline", text))
    if not is_empty(inputs.get("reminder_costs")):
        fee = reminder_fee(inputs["amount_due"], inputs["date"])
        if parse_amount(inputs["reminder_costs"]) != fee:
            text = _("the reminder fee for this debt is %(fee)s (Awb 4:113 lid 1)") % {
                "fee": format_amount(fee)
            }
            problems.append(Problem("reminder_costs", text))
    return problems


AANMANING = LetterTemplate(
    key="aanmaning",
    version="2026.2",
    title="Aanmaning",
    document=gettext_lazy("The reminder"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 4:112 lid 1"),
        Field(
            "collection_decision_date",
            gettext_lazy("the date of the collection decision"),
            "Awb 5:37 lid 1",
            kind="date",
        ),
        Field(
            "collection_decision_reference",
            gettext_lazy("the reference of the collection decision"),
            "Awb 5:37 lid 1",
        ),
        Field(
            "original_due_date",
            gettext_lazy("the original due date"),
            "Awb 4:97",
            kind="date",
        ),
        Field(
            "amount_due",
            gettext_lazy("the amount due"),
            "Awb 4:112 lid 1",
            kind="amount",
        ),
        Field(
            "payment_deadline",
            gettext_lazy("the payment period"),
            "Awb 4:112 lid 1",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_aanmaning,
    optional=(
        Field(
            "reminder_costs",
            gettext_lazy("the reminder fee"),
            "Awb 4:113",
            kind="amount",
        ),
        Field("payment_instructions", gettext_lazy("the payment details")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: "Aanmaning",
    competence="burgemeester",
    check=_check_aanmaning,
)


# --- Afzien van handhaving (A30 → A99) -----------------------------------------
# After the voornemen and the views the burgemeester refrains from a sanction:
# the party who was told of the voornemen is told, with the reasons.


def _afzien_handhaving(i: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = []
    if not is_empty(i.get("voornemen_date")):
        blocks.append(
            Para(
                f"Bij brief van {format_date(i['voornemen_date'])} heb ik u laten "
                "weten dat ik van plan was handhavend op te treden tegen de "
                f"overtreding in of bij het pand {esc(i['premises_address'])}, en heb "
                "ik u de gelegenheid gegeven uw zienswijze te geven."
            )
        )
    blocks += [
        Heading("Wat was er vastgesteld?"),
        Para(esc(i["violation"])),
    ]
    if not is_empty(i.get("zienswijze")):
        blocks += [Heading("Uw zienswijze"), Para(esc(i["zienswijze"]))]
    blocks += [
        Heading("Mijn beslissing"),
        Para(
            "Ik zie ervan af u een last onder dwangsom of een last onder "
            f"bestuursdwang op te leggen voor het pand {esc(i['premises_address'])}."
        ),
        Heading("Waarom?"),
        Para(esc(i["reasons"])),
        Para(
            "Stel ik later opnieuw een overtreding vast, dan beoordeel ik die "
            "opnieuw en kan ik alsnog handhavend optreden."
        ),
    ]
    return blocks


AFZIEN_HANDHAVING = LetterTemplate(
    key="afzien_handhaving",
    version="2026.1",
    title="Afzien van handhaving",
    document=gettext_lazy("The letter refraining from enforcement"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient(""),
        Field("premises_address", gettext_lazy("the address of the premises")),
        Field("violation", gettext_lazy("the description of the violation")),
        Field(
            "reasons",
            gettext_lazy("the reasons for refraining from enforcement"),
            long=True,
        ),
    ),
    body=_afzien_handhaving,
    optional=(
        Field("voornemen_date", gettext_lazy("the date of the intention"), kind="date"),
        Field("zienswijze", gettext_lazy("the views and the reply")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"Afzien van handhaving, {i['premises_address']}",
    competence="burgemeester",
)


LOD_TEMPLATES = {
    template.key: template
    for template in (
        VOORNEMEN_LOD,
        BESLUIT_LOD,
        INVORDERINGSBESCHIKKING,
        WAARSCHUWING_LOD,
        VOORNEMEN_SLUITING,
        BESLUIT_SLUITING,
        VOORNEMEN_INVORDERING,
        AANMANING,
        AFZIEN_HANDHAVING,
    )
}


# --- When the procedure's letters are offered, and to whom --------------------
# A letter that records a step is offered only once that step exists, and only
# to the role that writes to the party: the jurist drafts (the burgemeester
# signs the besluit through the step; toezicht makes no besluit). The
# registration passes these to `casework.registry.Letter`; the collection
# letters have their own (workflows/lod/ledger.py).


def _reached(case, *codes: str) -> bool:
    from casework.models import CaseEvent

    return CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.STATUS, to_status__in=codes
    ).exists()


def _decided_as(measure: str):
    def offered(case) -> bool:
        from workflows.lod.handhavingsmatrix import LodDecision

        return LodDecision.objects.filter(case=case, measure=measure).exists()

    offered.__doc__ = f"A besluit with measure {measure} is recorded on the case."
    return offered


def intention_sent(case) -> bool:
    """The voornemen step (A10 → A20) was taken."""
    return _reached(case, "A20")


def warning_decided(case) -> bool:
    """The waarschuwing step (A10 → A15) was taken."""
    return _reached(case, "A15")


def refrained(case) -> bool:
    """The burgemeester refrained from enforcement after the views (A30 → A99)."""
    from casework.models import CaseEvent

    return CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.STATUS, from_status="A30", to_status="A99"
    ).exists()


penalty_order_decided = _decided_as("dwangsom")
closure_order_decided = _decided_as("sluiting")

PROCEDURE_LETTERS = {
    "voornemen_lod": intention_sent,
    "voornemen_sluiting": intention_sent,
    "besluit_lod": penalty_order_decided,
    "besluit_sluiting": closure_order_decided,
    "waarschuwing_lod": warning_decided,
    "afzien_handhaving": refrained,
}
PROCEDURE_LETTER_ROLES = frozenset({"jurist"})


def procedure_offer(key: str) -> dict:
    """The `Letter` keywords (roles, offered_when) of a procedure letter; {}
    for the others."""
    if key not in PROCEDURE_LETTERS:
        return {}
    return {"roles": PROCEDURE_LETTER_ROLES, "offered_when": PROCEDURE_LETTERS[key]}
