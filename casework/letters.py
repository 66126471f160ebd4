"""The versioned letter templates: the Dutch text of every document Casework makes.

Each LetterTemplate names the inputs it needs, ties every required input to the
article that demands it, and builds its body as a list of plain blocks (Para,
Heading, Facts, Grid, Notice, Bullets). casework.pdf lays the blocks out, so this
module holds the legal text and nothing about fonts or pages.

Bump a template's version whenever its text or its required inputs change: the
version is stored with every generated document, so a document can always be
traced to the exact text it was made with.

The letter text is Dutch legal text and is written here, not translated. Only
the validation messages go through gettext. Every input is escaped with esc()
before it goes into a block, because blocks carry reportlab paragraph markup.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# --- Formatting -------------------------------------------------------------

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
CENT = Decimal("0.01")


def parse_date(value: Any) -> date:
    """Read a date input: a date, or an ISO string "YYYY-MM-DD" (as stored in JSON)."""
    if isinstance(value, date):
        return (
            value if type(value) is date else date(value.year, value.month, value.day)
        )
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return date.fromisoformat(value.strip())
    raise ValueError(f"not an ISO date: {value!r}")


def format_date(value: Any) -> str:
    """Dutch long date: "2026-11-28" -> "28 november 2026"."""
    d = parse_date(value)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def parse_amount(value: Any) -> Decimal:
    """Read an amount input: int, Decimal, float or a plain number string ("5000.00").

    Dutch-formatted strings ("5.000,00") are refused: "5.000" would be ambiguous.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, int | Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
        amount = Decimal(value.strip())
    else:
        raise ValueError(f"not an amount: {value!r}")
    if not amount.is_finite():
        raise ValueError(f"not a finite amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: Any) -> str:
    """Dutch notation: 5000 -> "€ 5.000,00"."""
    amount = parse_amount(value)
    sign = "-" if amount < 0 else ""
    euros, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while euros:
        groups.insert(0, euros[-3:])
        euros = euros[:-3]
    return f"€ {sign}{'.'.join(groups)},{cents}"


def money(value: Any) -> str:
    """format_amount for running text: a no-break space keeps "€" with the number."""
    return format_amount(value).replace(" ", "\u00a0")


def esc(value: Any) -> str:
    """Escape an input for paragraph markup; line breaks in the input are kept."""
    text = escape(str(value).strip())
    return "<br/>".join(line.strip() for line in text.splitlines())


def lines(value: Any) -> list[str]:
    """An address or other multi-line input as a list of non-empty lines."""
    if isinstance(value, str):
        value = value.splitlines()
    return [str(line).strip() for line in value if str(line).strip()]


# --- Blocks: the body of a letter, as data ----------------------------------
# Text in blocks is paragraph markup: escape inputs with esc().


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Facts:
    """Label/value pairs in two columns."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Grid:
    """A table with a header row; widths are fractions of the text width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    total: tuple[str, ...] = ()
    right: tuple[int, ...] = ()  # indexes of right-aligned columns (amounts)


@dataclass(frozen=True)
class Notice:
    """A boxed warning that must stand out, such as the Bibob secrecy warning."""

    title: str
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


Block = Para | Heading | Facts | Grid | Notice | Bullets


# --- Fields and validation ----------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason a document cannot be made, as a Dutch phrase for the message."""

    key: str
    text: str
    missing: bool = False


@dataclass(frozen=True)
class Field:
    """A required input, with the label and the legal basis used in messages.

    kind is one of: text, date, amount, count (a whole number of at least 1),
    bool, lines (a list of lines or a multi-line string), names (a list of
    strings), choice, choices (a list of options) and records (a list of dicts
    whose keys are described by columns).

    Two switches make a requirement depend on a yes/no input: a required field
    with waived_by is not required when that input is yes (the grace period of
    an urgent closure, Awb 5:31); an optional field with required_by becomes
    required when that input is yes (the reasons for the urgency).
    """

    key: str
    label: str  # Dutch, with article: "het maximumbedrag"
    basis: str = ""  # "Awb 5:32b lid 2"; empty when no article requires it
    kind: str = "text"
    plural: bool = False
    options: tuple[str, ...] = ()
    columns: tuple["Field", ...] = ()
    waived_by: str = ""
    required_by: str = ""

    def is_required(self, inputs: Mapping[str, Any], *, optional: bool) -> bool:
        """Whether this input must be given, for a field of `fields` or of
        `optional` (optional=True)."""
        if optional:
            return bool(self.required_by) and inputs.get(self.required_by) is True
        return not (self.waived_by and inputs.get(self.waived_by) is True)

    def check(self, value: Any, *, required: bool = True) -> Problem | None:
        """The problem with this input, if any; an empty optional input is fine."""
        if _is_empty(value):
            if not required:
                return None
            if self.plural:
                text = _("%(label)s are missing") % {"label": self.label}
            else:
                text = _("%(label)s is missing") % {"label": self.label}
            return Problem(self.key, self._with_basis(text), missing=True)
        reason = self._invalid_reason(value)
        if reason is None:
            return None
        if self.plural:
            text = _("%(label)s are invalid: %(reason)s")
        else:
            text = _("%(label)s is invalid: %(reason)s")
        return Problem(
            self.key, self._with_basis(text % {"label": self.label, "reason": reason})
        )

    def _with_basis(self, text: str) -> str:
        if not self.basis:
            return text
        return _("%(problem)s (%(basis)s)") % {"problem": text, "basis": self.basis}

    def _invalid_reason(self, value: Any) -> str | None:
        kind = self.kind
        if kind == "text":
            return None if isinstance(value, str) else _("expected text")
        if kind == "date":
            try:
                parse_date(value)
            except ValueError:
                return _("expected a date such as 2026-11-28")
            return None
        if kind == "amount":
            try:
                ok = parse_amount(value) > 0
            except ValueError:
                ok = False
            return None if ok else _("expected an amount greater than zero")
        if kind == "count":
            whole = isinstance(value, int) and not isinstance(value, bool)
            if isinstance(value, str) and value.strip().isdigit():
                value, whole = int(value), True
            return None if whole and value >= 1 else _("expected a whole number")
        if kind == "bool":
            return None if isinstance(value, bool) else _("expected yes or no")
        if kind == "choice":
            return None if value in self.options else self._options_reason()
        if isinstance(value, str):
            if kind == "lines":
                return None
            return _("expected a list")
        if not isinstance(value, Sequence):
            return _("expected a list")
        if kind in ("lines", "names"):
            texts = all(isinstance(item, str) for item in value)
            # An address may contain a blank line; a list of names may not.
            if texts and (kind == "lines" or all(item.strip() for item in value)):
                return None
            return _("expected a list of text")
        if kind == "choices":
            if all(item in self.options for item in value) and len(set(value)) == len(
                value
            ):
                return None
            return self._options_reason()
        if kind == "records":
            return self._records_reason(value)
        raise ValueError(f"unknown field kind {kind!r}")

    def _options_reason(self) -> str:
        return _("choose from: %(options)s") % {"options": ", ".join(self.options)}

    def _records_reason(self, rows: Sequence[Any]) -> str | None:
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, Mapping):
                return _("line %(row)d is not a record") % {"row": number}
            for column in self.columns:
                problem = column.check(row.get(column.key))
                if problem:
                    return _("line %(row)d: %(problem)s") % {
                        "row": number,
                        "problem": problem.text,
                    }
        return None


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Sequence | Mapping):
        if not value:
            return True
        return all(isinstance(item, str) and not item.strip() for item in value)
    return False


def _no_check(inputs: Mapping[str, Any]) -> list[Problem]:
    return []


def _addressed_to(inputs: Mapping[str, Any]) -> list[str]:
    return [str(inputs["recipient_name"]).strip(), *lines(inputs["recipient_address"])]


@dataclass(frozen=True)
class LetterTemplate:
    """One versioned document type.

    fields lists the required inputs in the order they are reported when missing;
    optional lists the other inputs the template reads, checked only when given.
    body builds the blocks. layout "letter" adds the recipient block, the
    Datum/Ons kenmerk/Onderwerp lines, the salutation and the signature; layout
    "report" prints the title instead. check adds rules across inputs; it only
    runs once every field is present and well-formed.
    """

    key: str
    version: str
    title: str
    document: str  # subject of the error message: "Het besluit"
    fields: tuple[Field, ...]
    body: Callable[[Mapping[str, Any]], list[Block]]
    optional: tuple[Field, ...] = ()
    layout: str = "letter"
    subject: Callable[[Mapping[str, Any]], str] | None = None
    recipient: Callable[[Mapping[str, Any]], list[str]] = _addressed_to
    check: Callable[[Mapping[str, Any]], list[Problem]] = _no_check
    banner: str = ""  # confidentiality marking printed above the body
    # False for a letter to another authority (the LBB): only letters to the
    # person concerned are kept free of police text (casework.documents).
    to_the_party: bool = True

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(field.key for field in self.fields)

    @property
    def addressed_to_the_party(self) -> bool:
        """A letter to the overtreder, applicant or other person concerned."""
        return self.layout == "letter" and self.to_the_party


# Letter types stored under another data class than D2 (besluiten and
# correspondence): a Bibob letter with advice data is D5, a PGA case product
# D10. Modules of letters add their own; `documents.document_generate` reads it,
# so a letter is stored under its class whichever page makes it.
DATA_CLASS_OF: dict[str, str] = {}


# --- Fields shared by several templates --------------------------------------

REFERENCE = Field("reference", gettext_lazy("the case reference"))
# Optional inputs every addressed letter understands (see casework.pdf).
LETTER_OPTIONAL = (
    Field("subject", gettext_lazy("the subject")),
    Field("salutation", gettext_lazy("the salutation")),
    Field("contact", gettext_lazy("the contact person")),
    Field(
        "signatory", gettext_lazy("the signatory on behalf of the administrative body")
    ),
)
VIOLATED_PROVISION = Field(
    "violated_provision", gettext_lazy("the provision violated"), "Awb 5:9"
)
LETTER_DATE = Field("date", gettext_lazy("the date of the letter"), kind="date")


def _recipient(basis: str) -> tuple[Field, Field]:
    return (
        Field("recipient_name", gettext_lazy("the name of the addressee"), basis),
        Field(
            "recipient_address",
            gettext_lazy("the address of the addressee"),
            basis,
            kind="lines",
        ),
    )


_LOD_FACTS = (
    Field("premises_address", gettext_lazy("the address of the premises"), "Awb 5:9"),
    Field("violation", gettext_lazy("the description of the violation"), "Awb 5:9"),
    Field("legal_basis", gettext_lazy("the legal basis"), "Awb 5:9"),
    Field(
        "measure_description",
        gettext_lazy("the description of the order"),
        "Awb 5:32a lid 1",
    ),
)
_LOD_AMOUNTS = (
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
_REMEDIES = Field(
    "rechtsmiddelenclausule", gettext_lazy("the legal remedies clause"), "Awb 3:45"
)


def _deadline_after_letter(
    inputs: Mapping[str, Any], key: str, text: Any
) -> list[Problem]:
    """text is a lazy message: translated only when the check fails."""
    if parse_date(inputs[key]) > parse_date(inputs["date"]):
        return []
    return [Problem(key, str(text))]


def _maximum_not_below_amount(inputs: Mapping[str, Any]) -> list[Problem]:
    if parse_amount(inputs["maximum_amount"]) >= parse_amount(
        inputs["amount_per_violation"]
    ):
        return []
    text = _(
        "the maximum amount is lower than the amount per violation (Awb 5:32b lid 2)"
    )
    return [Problem("maximum_amount", text)]


def _optional_para(inputs: Mapping[str, Any], key: str, template: str) -> list[Block]:
    value = inputs.get(key)
    if _is_empty(value):
        return []
    return [Para(template.format(esc(value)))]


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
        *_optional_para(i, "violated_provision", "Dit is in strijd met {}."),
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
                ("Dwangsom per overtreding", money(i["amount_per_violation"])),
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
    return _maximum_not_below_amount(inputs) + _deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter (Awb 4:8)"
        ),
    )


VOORNEMEN_LOD = LetterTemplate(
    key="voornemen_lod",
    version="2026.1",
    title="Voornemen last onder dwangsom",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Awb 4:8"),
        *_LOD_FACTS,
        *_LOD_AMOUNTS,
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Awb 4:8",
            kind="date",
        ),
    ),
    body=_voornemen_lod,
    optional=(VIOLATED_PROVISION, *LETTER_OPTIONAL),
    subject=lambda i: f"Voornemen last onder dwangsom, {i['premises_address']}",
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
    if not _is_empty(i.get("voornemen_date")):
        blocks.append(
            Para(
                f"Bij brief van {format_date(i['voornemen_date'])} heb ik u laten "
                "weten dat ik van plan was u een last onder dwangsom op te leggen, en "
                "heb ik u de gelegenheid gegeven uw zienswijze te geven."
            )
        )
    if not _is_empty(i.get("zienswijze")):
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
        *_optional_para(i, "violated_provision", "Dit is in strijd met {}."),
        Heading("Wettelijke grondslag en beleid"),
        Para(
            f"Ik baseer dit besluit op {esc(i['legal_basis'])} in samenhang met "
            "artikel 5:32, eerste lid, van de Algemene wet bestuursrecht (hierna: "
            "Awb)."
        ),
        Para(f"Bij dit besluit pas ik de beleidsregel {esc(i['beleidsregel'])} toe."),
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
        forfeit = (
            f"Voor elke overtreding van de last verbeurt u van rechtswege een "
            f"dwangsom van {amount}"
        )
    else:
        blocks.append(
            Para(
                "<b>Begunstigingstermijn</b> (artikel 5:32a, tweede lid, Awb): "
                f"{esc(i['begunstigingstermijn'])}. Voert u de last binnen deze "
                "termijn uit, dan verbeurt u geen dwangsom."
            )
        )
        forfeit = (
            "Voor elke overtreding van de last na afloop van de begunstigingstermijn "
            f"verbeurt u van rechtswege een dwangsom van {amount}"
        )
    blocks += [
        Heading("De dwangsom"),
        Facts((("Dwangsom per overtreding", amount), ("Maximumbedrag", maximum))),
        Para(
            f"{forfeit}, tot een maximum van {maximum} (artikel 5:32b, eerste en "
            "tweede lid, Awb). Een verbeurde dwangsom moet worden betaald binnen "
            "zes weken nadat zij is verbeurd (artikel 5:33 Awb). Voordat ik een "
            "verbeurde dwangsom invorder, beslis ik daarover bij afzonderlijke "
            "beschikking (artikel 5:37 Awb)."
        ),
        Heading("Bezwaar maken"),
        Para(esc(i["rechtsmiddelenclausule"])),
    ]
    return blocks


def _check_besluit_lod(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = _maximum_not_below_amount(inputs)
    if _without_grace_period(inputs) and not _is_preventive(inputs):
        text = _(
            "the grace period is missing (Awb 5:32a lid 2); only a "
            "preventive order can do without a grace period"
        )
        problems.append(Problem("begunstigingstermijn", text, missing=True))
    return problems


BESLUIT_LOD = LetterTemplate(
    key="besluit_lod",
    version="2026.1",
    title="Besluit last onder dwangsom",
    document=gettext_lazy("The decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Awb 3:41"),
        *_LOD_FACTS,
        Field(
            "herstelmaatregel", gettext_lazy("the remedial measure"), "Awb 5:32a lid 1"
        ),
        Field(
            "begunstigingstermijn",
            gettext_lazy("the grace period"),
            "Awb 5:32a lid 2",
        ),
        *_LOD_AMOUNTS,
        Field(
            "beleidsregel",
            gettext_lazy("the policy rule applied (name and version)"),
            "Awb 3:46 en 4:84",
        ),
        _REMEDIES,
    ),
    body=_besluit_lod,
    optional=(
        Field(
            "preventive", gettext_lazy("the choice of a preventive order"), kind="bool"
        ),
        VIOLATED_PROVISION,
        Field("voornemen_date", gettext_lazy("the date of the intention"), kind="date"),
        Field("zienswijze", gettext_lazy("the views and the response to them")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"Besluit last onder dwangsom, {i['premises_address']}",
    check=_check_besluit_lod,
)


# --- 3. Invorderingsbeschikking ------------------------------------------------


def _invorderingsbeschikking(i: Mapping[str, Any]) -> list[Block]:
    total = money(i["total_amount"])
    if not _is_empty(i.get("besluit_date")):
        earlier = format_date(i["besluit_date"])
        if not _is_empty(i.get("besluit_reference")):
            earlier += f" (kenmerk {esc(i['besluit_reference'])})"
        intro = f"Bij besluit van {earlier} heb ik u een last onder dwangsom opgelegd."
    else:
        intro = "Ik heb u eerder een last onder dwangsom opgelegd."
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
            f"te betalen. Vermeld bij de betaling het kenmerk {esc(i['reference'])}."
        ),
        *_optional_para(i, "payment_instructions", "{}"),
        Para(
            "Betaalt u niet op tijd, dan ontvangt u een aanmaning (artikel 4:112 "
            "Awb). Betaalt u daarna nog steeds niet, dan kan ik het bedrag bij "
            "dwangbevel invorderen (artikel 4:114 Awb). De kosten daarvan kunnen bij "
            "u in rekening worden gebracht."
        ),
        Heading("Bezwaar maken"),
        Para(esc(i["rechtsmiddelenclausule"])),
    ]


def _check_invordering(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = _deadline_after_letter(
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
    return problems


INVORDERINGSBESCHIKKING = LetterTemplate(
    key="invorderingsbeschikking",
    version="2026.1",
    title="Invorderingsbeschikking",
    document=gettext_lazy("The collection decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Awb 3:41"),
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
            "Awb 4:112",
            kind="date",
        ),
        _REMEDIES,
    ),
    body=_invorderingsbeschikking,
    optional=(
        Field("besluit_date", gettext_lazy("the date of the order"), kind="date"),
        Field("besluit_reference", gettext_lazy("the reference of the order")),
        Field("payment_instructions", gettext_lazy("the payment details")),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: "Invordering verbeurde dwangsommen",
    check=_check_invordering,
)


# --- 4. Adviesaanvraag Landelijk Bureau Bibob and the art. 32 notice ------------

WET_BIBOB = "Wet bevordering integriteitsbeoordelingen door het openbaar bestuur"
BIBOB_FORMS = (
    "Bibob-vragenformulier met de gegevens en bescheiden van de betrokkene",
    "Formulier bevindingen eigen onderzoek",
)


def _lbb_adviesaanvraag(i: Mapping[str, Any]) -> list[Block]:
    attachments = i.get("attachments") or BIBOB_FORMS
    return [
        Para(
            f"Op grond van artikel 9 van de {WET_BIBOB} (hierna: Wet Bibob) vraag ik "
            "u advies over de mate van gevaar als bedoeld in artikel 3, eerste lid, "
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
            "Op grond van artikel 7a, vierde lid, Wet Bibob zend ik u de door de "
            "betrokkene verstrekte gegevens en bescheiden, samen met de bevindingen "
            "van het eigen onderzoek."
        ),
        Heading("Kennisgeving en beslistermijn"),
        Para(
            "Ik informeer de betrokkene dat ik u om advies heb gevraagd (artikel 32 "
            "Wet Bibob). De wettelijke termijn voor het geven van de beschikking is "
            "opgeschort vanaf de dag waarop het advies is aangevraagd tot de dag "
            "waarop ik het ontvang (artikel 31 Wet Bibob)."
        ),
        Heading("Bijlagen"),
        Bullets(tuple(esc(item) for item in attachments)),
    ]


LBB_ADVIESAANVRAAG = LetterTemplate(
    key="lbb_adviesaanvraag",
    version="2026.1",
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
            "recipient_address",
            gettext_lazy("the address of the Landelijk Bureau Bibob"),
            kind="lines",
        ),
        Field(
            "attachments", gettext_lazy("the attachments"), kind="names", plural=True
        ),
        *LETTER_OPTIONAL,
    ),
    subject=lambda i: f"Adviesaanvraag Wet Bibob, {i['applicant_name']}",
    recipient=lambda i: [
        "Landelijk Bureau Bibob",
        *lines(i.get("recipient_address") or ()),
    ],
    to_the_party=False,
    banner="Vertrouwelijk: gegevens uit een Bibob-onderzoek (artikel 28 en "
    "artikel 7a, zesde lid, Wet Bibob)",
)


def _kennisgeving_art32(i: Mapping[str, Any]) -> list[Block]:
    requested = format_date(i["request_date"])
    return [
        Para(
            f"Op {format_date(i['application_date'])} heeft u een aanvraag gedaan "
            f"voor: {esc(i['application_type'])}. Met deze brief laat ik u weten dat "
            f"ik op {requested} het Landelijk Bureau Bibob om advies heb gevraagd "
            f"over deze aanvraag. Dat ben ik verplicht u te melden op grond van "
            f"artikel 32 van de {WET_BIBOB} (hierna: Wet Bibob)."
        ),
        Heading("Gevolgen voor de beslistermijn"),
        Para(
            "Door de adviesaanvraag is de wettelijke termijn waarbinnen ik op uw "
            "aanvraag moet beslissen, opgeschort (artikel 31 Wet Bibob). De "
            f"opschorting begint op {requested}, de dag waarop het advies is "
            "aangevraagd, en eindigt op de dag waarop ik het advies ontvang. Zij "
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
            "Zodra ik het advies heb ontvangen, beoordeel ik uw aanvraag verder. Ben "
            "ik daarna van plan uw aanvraag te weigeren of er voorschriften aan te "
            "verbinden, dan krijgt u eerst de gelegenheid uw zienswijze te geven "
            "(artikel 33 Wet Bibob)."
        ),
    ]


KENNISGEVING_ART32 = LetterTemplate(
    key="kennisgeving_art32",
    version="2026.1",
    title="Kennisgeving adviesaanvraag Wet Bibob",
    document=gettext_lazy("The notice"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Wet Bibob art. 32"),
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
    optional=LETTER_OPTIONAL,
    subject=lambda i: "Adviesaanvraag Landelijk Bureau Bibob over uw aanvraag",
)


# --- 5. Voornemen weigering / intrekking / voorschriften (Wet Bibob) ----------

# Art. 28 lid 3 Wet Bibob: with the voornemen the betrokkene gets a copy of the
# advice and must be warned in writing of the secrecy duty of lid 1. Fixed text,
# never an input: it is printed on every voornemen_bibob.
BIBOB_SECRECY_TITLE = "Geheimhoudingsplicht (artikel 28 Wet Bibob)"
BIBOB_SECRECY_WARNING = (
    "Met deze brief ontvangt u gegevens uit het Bibob-onderzoek. Op grond van "
    "artikel 28, derde lid, van de Wet Bibob wijs ik u er schriftelijk op dat u "
    "verplicht bent de gegevens over anderen dan uzelf geheim te houden (artikel 28, "
    "eerste lid, Wet Bibob). U mag die gegevens niet openbaar maken en niet aan "
    "anderen doorgeven. Alleen als u de beslissing in rechte aanvecht, mag u de "
    "gegevens aan de rechter bekendmaken (artikel 28, vierde lid, Wet Bibob). Het "
    "opzettelijk schenden van deze geheimhoudingsplicht is strafbaar (artikel 272 "
    "van het Wetboek van Strafrecht)."
)
BIBOB_GROUNDS = {
    "a": "uit gepleegde strafbare feiten verkregen of te verkrijgen, op geld "
    "waardeerbare voordelen te benutten (artikel 3, eerste lid, onder a, Wet Bibob)",
    "b": "strafbare feiten te plegen (artikel 3, eerste lid, onder b, Wet Bibob)",
}
_DECISIONS = ("weigering", "intrekking", "voorschriften")
_DEGREES = ("ernstig", "mindere_mate")


def _voornemen_bibob(i: Mapping[str, Any]) -> list[Block]:
    decision = i["intended_decision"]
    permit = esc(i["permit"]) if not _is_empty(i.get("permit")) else ""
    if decision == "weigering":
        intro = (
            f"Ik ben van plan uw aanvraag{' voor ' + permit if permit else ''} te "
            "weigeren op grond van artikel 3, eerste lid, van de "
        )
    elif decision == "intrekking":
        intro = (
            f"Ik ben van plan {permit or 'de aan u gegeven beschikking'} in te "
            "trekken op grond van artikel 3, eerste lid, van de "
        )
    else:
        intro = (
            f"Ik ben van plan aan {permit or 'de beschikking'} voorschriften te "
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
                "Ik ben van oordeel dat ernstig gevaar bestaat dat de beschikking "
                "mede zal worden gebruikt om:"
            ),
            grounds,
        ]
        if decision == "voorschriften":
            blocks.append(
                Para(
                    "Gelet op de ernst van de strafbare feiten acht ik weigering of "
                    "intrekking niet gerechtvaardigd. Daarom wil ik voorschriften "
                    "aan de beschikking verbinden die het gevaar wegnemen of "
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
                    f"De {decision} is naar mijn oordeel evenredig met de mate van "
                    f"het gevaar{seriousness} (artikel 3, vijfde lid, Wet Bibob)."
                )
            )
    else:
        blocks += [
            Para(
                "Ik ben van oordeel dat geen ernstig gevaar bestaat, maar wel een "
                "mindere mate van gevaar dat de beschikking mede zal worden gebruikt "
                "om:"
            ),
            grounds,
            Para(
                "Daarom wil ik voorschriften aan de beschikking verbinden die dit "
                "gevaar wegnemen of beperken (artikel 3, zevende lid, Wet Bibob)."
            ),
        ]
    if not _is_empty(i.get("voorschriften")) and decision == "voorschriften":
        blocks += [
            Heading("Voorgenomen voorschriften"),
            Bullets(tuple(esc(item) for item in lines(i["voorschriften"]))),
        ]
    if not _is_empty(i.get("motivation")):
        blocks += [Heading("Motivering"), Para(esc(i["motivation"]))]
    if not _is_empty(i.get("advice_date")):
        blocks.append(
            Para(
                "Mijn voornemen is gebaseerd op het advies van het Landelijk Bureau "
                f"Bibob van {format_date(i['advice_date'])}. Een afschrift van het "
                "advies is bij deze brief gevoegd (artikel 28, derde lid, Wet Bibob)."
            )
        )
    else:
        blocks.append(
            Para(
                "Mijn voornemen is gebaseerd op de bevindingen van het eigen "
                "onderzoek (artikel 7a Wet Bibob)."
            )
        )
    blocks += [
        Notice(BIBOB_SECRECY_TITLE, BIBOB_SECRECY_WARNING),
        Heading("Uw zienswijze"),
        Para(
            "Voordat ik een besluit neem, krijgt u de gelegenheid uw zienswijze te "
            "geven (artikel 33, eerste lid, Wet Bibob). Dat kan schriftelijk of "
            "mondeling (artikel 33, derde lid, Wet Bibob en artikel 4:9 Algemene wet "
            f"bestuursrecht), tot en met {format_date(i['zienswijze_deadline'])}. "
            f"Vermeld daarbij het kenmerk {esc(i['reference'])}."
        ),
        Para("Dit voornemen is nog geen besluit. U kunt er geen bezwaar tegen maken."),
    ]
    return blocks


def _check_voornemen_bibob(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = _deadline_after_letter(
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
    version="2026.1",
    title="Voornemen Wet Bibob",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *_recipient("Wet Bibob art. 33 lid 1"),
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
    check=_check_voornemen_bibob,
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
        Grid(
            ("Partner", "Bevinding"),
            tuple((esc(f["partner"]), esc(f["text"])) for f in i["findings"]),
            (0.28, 0.72),
        ),
    ]
    blocks += _optional_para(i, "author", "Opgesteld door: {}")
    return blocks


def _check_bezoekrapport(inputs: Mapping[str, Any]) -> list[Problem]:
    partners = {p.casefold() for p in lines(inputs["partners"])}
    for number, finding in enumerate(inputs["findings"], start=1):
        if str(finding["partner"]).strip().casefold() not in partners:
            text = _(
                "the finding on line %(row)d is by %(partner)s, who is "
                "not among the partners"
            ) % {"row": number, "partner": finding["partner"]}
            return [Problem("findings", text)]
    return []


BEZOEKRAPPORT = LetterTemplate(
    key="bezoekrapport",
    version="2026.1",
    title="Bezoekrapport integrale controle",
    document=gettext_lazy("The visit report"),
    fields=(
        REFERENCE,
        Field("visit_date", gettext_lazy("the date of the visit"), kind="date"),
        Field("addresses", gettext_lazy("the addresses"), kind="names", plural=True),
        Field("partners", gettext_lazy("the partners"), kind="names", plural=True),
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
    ),
    body=_bezoekrapport,
    optional=(Field("author", gettext_lazy("the author")),),
    layout="report",
    check=_check_bezoekrapport,
)


# --- 7. Plan van aanpak (persoonsgerichte aanpak) -----------------------------

INTERVENTION_KINDS = ("zorg", "drang", "dwang")


TEMPLATES: dict[str, LetterTemplate] = {
    template.key: template
    for template in (
        VOORNEMEN_LOD,
        BESLUIT_LOD,
        INVORDERINGSBESCHIKKING,
        LBB_ADVIESAANVRAAG,
        KENNISGEVING_ART32,
        VOORNEMEN_BIBOB,
        BEZOEKRAPPORT,
    )
}

# The further letters of the LOD case type live in their own module.
from .letters_lod import LOD_TEMPLATES  # noqa: E402

TEMPLATES.update(LOD_TEMPLATES)

# The feedback letter of the integrale controle.
from .letters_controle import CONTROLE_TEMPLATES  # noqa: E402

TEMPLATES.update(CONTROLE_TEMPLATES)

# The further letters of the Wet Bibob toets.
from .letters_bibob import BIBOB_TEMPLATES  # noqa: E402

TEMPLATES.update(BIBOB_TEMPLATES)

# The letters of the persoonsgerichte aanpak (plan van aanpak 2026.2 and the
# letters around it).
from .letters_pga import PGA_TEMPLATES  # noqa: E402

TEMPLATES.update(PGA_TEMPLATES)
