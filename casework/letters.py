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

from casework.competence import (
    BEROEP,
    BEZWAAR,
    Body,
    BodyDeclaration,
    Court,
    RemedyDeclaration,
)

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


def _rest_day_reason(day: date) -> str | None:
    """Why a day set for the addressee is not allowed: it is a Saturday,
    Sunday or holiday of Atw art 3; None when it is a working day. (A letter
    is checked without the database: the days equated by Royal Decree are
    the step's check, where the period is set, `IntentionTermForm`.)"""
    from casework.terms import is_rest_day

    extra = None
    if not is_rest_day(day, extra):
        return None
    following = day
    while is_rest_day(following, extra):
        following = date.fromordinal(following.toordinal() + 1)
    return _(
        "%(day)s is a Saturday, Sunday or holiday (Algemene termijnenwet): give "
        "the next working day, %(next)s"
    ) % {"day": format_date(day), "next": format_date(following)}


@dataclass(frozen=True)
class Field:
    """A required input, with the label and the legal basis used in messages.

    kind is one of: text, date, amount, count (a whole number of at least 1),
    bool, lines (a list of lines or a multi-line string), names (a list of
    strings), choice, choices (a list of options) and records (a list of dicts
    whose keys are described by columns).

    `long` marks a text input that is a paragraph (facts, reasons): the letter
    form offers a text area for it.

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
    # A paragraph rather than a line: the letter form offers a text area.
    long: bool = False
    # A day the letter sets for the addressee (views before, pay before,
    # repair before): never a Saturday, Sunday or holiday of the Algemene
    # termijnenwet (art 1, 3), so the addressee always has the whole last
    # day and the letter never contradicts the term the case keeps.
    addressee_day: bool = False

    def is_required(self, inputs: Mapping[str, Any], *, optional: bool) -> bool:
        """Whether this input must be given, for a field of `fields` or of
        `optional` (optional=True)."""
        if optional:
            return bool(self.required_by) and inputs.get(self.required_by) is True
        return not (self.waived_by and inputs.get(self.waived_by) is True)

    def check(self, value: Any, *, required: bool = True) -> Problem | None:
        """The problem with this input, if any; an empty optional input is fine."""
        if is_empty(value):
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
                day = parse_date(value)
            except ValueError:
                return _("expected a date such as 2026-11-28")
            if self.addressee_day:
                return _rest_day_reason(day)
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


def is_empty(value: Any) -> bool:
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
    # The body that takes the besluit or sends the letter (casework/competence.py):
    # a key of settings.CASEWORK_BODIES ("burgemeester", "college", "raad", or
    # another configured body such as "zvh"), or a function of the inputs
    # (`competence.from_case()` when the case decides). It is named above the
    # signature and in the remedies clause. Every letter declares one; a report
    # has no signature and needs none.
    competence: BodyDeclaration = ""
    # What the letter's besluit is open to, generated after the body from the
    # competence (remedies_clause): "bezwaar" for a besluit, "beroep" for a
    # beslissing op bezwaar, "" for a letter that is no besluit (no clause);
    # or a function of the inputs.
    remedy: RemedyDeclaration = ""

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
    # An official who signs under mandate (Awb 10:10): the name, and the
    # function when it is not the body's usual mandated function (settings).
    Field(
        "signatory", gettext_lazy("the signatory on behalf of the administrative body")
    ),
    Field(
        "signatory_function",
        gettext_lazy("the function of the signatory"),
        "Awb 10:10",
    ),
)
VIOLATED_PROVISION = Field(
    "violated_provision", gettext_lazy("the provision violated"), "Awb 5:9"
)
LETTER_DATE = Field("date", gettext_lazy("the date of the letter"), kind="date")


def recipient(basis: str) -> tuple[Field, Field]:
    return (
        Field("recipient_name", gettext_lazy("the name of the addressee"), basis),
        Field(
            "recipient_address",
            gettext_lazy("the address of the addressee"),
            basis,
            kind="lines",
        ),
    )


# --- The remedies clause (Awb 3:45), generated from the competence -------------


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _address(name: str, address: Sequence[str]) -> Para:
    return Para("<br/>".join(esc(line) for line in (_capital(name), *address)))


def _contents(what: str, reference: str) -> Bullets:
    """What a bezwaar- or beroepschrift contains at least (Awb 6:5 lid 1)."""
    about = f"een omschrijving van {what} waartegen het is gericht"
    if reference:
        about += f", bijvoorbeeld met het kenmerk {esc(reference)}"
    return Bullets(
        (
            "uw naam en adres;",
            "de datum;",
            f"{about};",
            "de redenen waarom u het er niet mee eens bent (de gronden).",
        )
    )


def remedies_clause(
    remedy: str, body: Body, court: Court, *, reference: str = ""
) -> list[Block]:
    """The rechtsmiddelenclausule of Awb 3:45: for a besluit, bezwaar at the
    body that took it (6:4 lid 1, 7:1) at its address, within six weeks from
    the day after it was sent (6:7, 6:8), what the bezwaarschrift contains
    (6:5), and that bezwaar does not suspend (6:16) but the
    voorzieningenrechter of the competent court can be asked for a voorlopige
    voorziening (8:81); for a beslissing op bezwaar, beroep at the competent
    rechtbank (8:1, 8:7) within six weeks, griffierecht (8:41) and the same
    voorlopige voorziening."""
    court_name = esc(court.name)
    where = [_address(court.name, court.address)]
    if remedy == BEZWAAR:
        blocks: list[Block] = [
            Heading("Bezwaar maken"),
            Para(
                "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken bij "
                f"{esc(body.name)}. Dat moet binnen zes weken. Die termijn begint "
                "op de dag na de dag waarop dit besluit aan u is toegezonden of "
                "uitgereikt (artikel 6:7 en 6:8 van de Algemene wet "
                "bestuursrecht, hierna: Awb). Stuur uw bezwaarschrift naar:"
            ),
            _address(body.name, body.address),
            Para(
                "Het bezwaarschrift moet ondertekend zijn en ten minste bevatten "
                "(artikel 6:5 Awb):"
            ),
            _contents("het besluit", reference),
            Para("Stuur zo mogelijk een kopie van dit besluit mee."),
            Heading("Voorlopige voorziening"),
            Para(
                "Een bezwaarschrift schorst de werking van dit besluit niet "
                "(artikel 6:16 Awb). Heeft u bezwaar gemaakt en kunt u de "
                "beslissing op uw bezwaar niet afwachten omdat de zaak spoed "
                "heeft, dan kunt u de voorzieningenrechter van de "
                f"{court_name} vragen een voorlopige voorziening te treffen "
                "(artikel 8:81 Awb). Het adres is:"
            ),
            *where,
        ]
        tail = "Voor een verzoek om een voorlopige voorziening betaalt u griffierecht."
        if court.website:
            tail = (
                f"U kunt het verzoek ook digitaal indienen via {esc(court.website)}. "
                + tail
            )
        blocks.append(Para(tail))
        return blocks
    if remedy == BEROEP:
        online = (
            f" U kunt ook digitaal beroep instellen via {esc(court.website)}."
            if court.website
            else ""
        )
        return [
            Heading("Beroep instellen"),
            Para(
                "Bent u het niet eens met deze beslissing op uw bezwaar? Dan kunt u "
                f"beroep instellen bij de {court_name} (artikel 8:1 en 8:7 van de "
                "Algemene wet bestuursrecht, hierna: Awb). Dat moet binnen zes "
                "weken. Die termijn begint op de dag na de dag waarop deze "
                "beslissing aan u is toegezonden of uitgereikt (artikel 6:7 en 6:8 "
                "Awb). Stuur uw beroepschrift naar:"
            ),
            *where,
            *([Para(online.strip())] if online else []),
            Para(
                "Het beroepschrift moet ondertekend zijn en ten minste bevatten "
                "(artikel 6:5 Awb):"
            ),
            _contents("de beslissing", reference),
            Para(
                "Stuur zo mogelijk een kopie van deze beslissing mee. Voor de "
                "behandeling van het beroep betaalt u griffierecht (artikel 8:41 "
                "Awb); de rechtbank laat u weten hoeveel."
            ),
            Heading("Voorlopige voorziening"),
            Para(
                "Een beroepschrift schorst de werking van het besluit niet "
                "(artikel 6:16 Awb). Heeft u beroep ingesteld en kunt u de uitspraak "
                "niet afwachten omdat de zaak spoed heeft, dan kunt u de "
                f"voorzieningenrechter van de {court_name} vragen een voorlopige "
                "voorziening te treffen (artikel 8:81 Awb)."
            ),
        ]
    raise ValueError(f"unknown remedy {remedy!r}")


def deadline_after_letter(
    inputs: Mapping[str, Any], key: str, text: Any
) -> list[Problem]:
    """text is a lazy message: translated only when the check fails."""
    if parse_date(inputs[key]) > parse_date(inputs["date"]):
        return []
    return [Problem(key, str(text))]


def optional_para(inputs: Mapping[str, Any], key: str, template: str) -> list[Block]:
    value = inputs.get(key)
    if is_empty(value):
        return []
    return [Para(template.format(esc(value)))]


# The letter templates by key: filled while Django starts from the letters each
# case type registers (`casework.registry.add_letters`), with the data class
# of the documents made from each (`DATA_CLASS_OF`, D2 when not named).
TEMPLATES: dict[str, LetterTemplate] = {}
