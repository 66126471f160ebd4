"""PDF letters: validate the inputs of a letter template and render it with reportlab.

render_letter() is a pure function: plain inputs in, PDF bytes out. It touches no
models and no database, so the caller decides where the bytes go (a FileResponse,
a stored Document). The legal text lives in casework.letters; this module does the
checks and the layout.

The same inputs give the same bytes (reportlab's invariant mode), so tests and
stored documents can be compared by SHA-256. Text is set in DejaVu Sans, embedded
as a subset, because the base-14 Helvetica is never embedded and has no "ĳ".
"""

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from casework import competence as competence_config
from casework.competence import BODY_INPUT, REMEDIES, Body, Competence, declared
from casework.letters import (
    TEMPLATES,
    Block,
    Bullets,
    Facts,
    Grid,
    Heading,
    LetterTemplate,
    Notice,
    Para,
    Problem,
    esc,
    format_amount,
    format_date,
    remedies_clause,
)

__all__ = [
    "TEMPLATES",
    "Letterhead",
    "LetterTemplate",
    "LetterValidationError",
    "format_amount",
    "format_date",
    "get_template",
    "render_letter",
    "validate",
]

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 20 * mm, 18 * mm, 28 * mm
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
SALUTATION = "Geachte heer/mevrouw,"
CLOSING = "Hoogachtend,"


@dataclass(frozen=True)
class Letterhead:
    organisation: str  # "Gemeente Venlo"
    department: str = ""  # "Openbare Orde en Veiligheid"
    address_lines: tuple[str, ...] = ()
    # Above the signature of a template that declares no competence only; a
    # template that declares it is signed by its body.
    signer_title: str = "De burgemeester van Venlo"
    # The bodies and the court (casework/competence.py); None: the settings.
    competence: Competence | None = None


class LetterValidationError(ValueError):
    """The inputs lack something the law requires, so the document cannot be made.

    missing lists the input keys that are absent or empty, invalid the keys that
    are present but wrong. str() is a Dutch sentence naming each problem and the
    article behind it.
    """

    def __init__(self, template: LetterTemplate, problems: list[Problem]):
        self.template = template
        self.problems = problems
        self.missing = [p.key for p in problems if p.missing]
        self.invalid = [p.key for p in problems if not p.missing]
        message = _("%(document)s cannot be made: %(problems)s.") % {
            "document": template.document,
            "problems": "; ".join(p.text for p in problems),
        }
        super().__init__(message)


def get_template(key: str | LetterTemplate) -> LetterTemplate:
    """The template of the index with this key; a template outside the index
    (the tafels' minutes, which no case's letter page offers) is its own."""
    if isinstance(key, LetterTemplate):
        return key
    try:
        return TEMPLATES[key]
    except KeyError:
        known = ", ".join(sorted(TEMPLATES))
        raise KeyError(
            f"Unknown letter template {key!r}; known templates: {known}"
        ) from None


def letter_body(
    template: LetterTemplate, inputs: Mapping[str, Any], competence: Competence
) -> tuple[Body | None, str, list[Problem]]:
    """The body that takes the letter's besluit or sends it, the remedy the
    besluit is open to, and what stops the letter: no body, an unknown body,
    a remedy from a body that is no bestuursorgaan, a signatory without
    function (Awb 10:10)."""
    problems: list[Problem] = []
    remedy = declared(template.remedy, inputs) if template.remedy else ""
    if remedy and remedy not in REMEDIES:
        raise ValueError(f"{template.key}: unknown remedy {remedy!r}")
    key = declared(template.competence, inputs) if template.competence else ""
    if not template.competence:
        return None, remedy, problems
    body = None
    if not key:
        problems.append(
            Problem(
                BODY_INPUT,
                _("the administrative body that decides is missing (%(basis)s)")
                % {"basis": "Awb 3:45, 10:10"},
                missing=True,
            )
        )
    else:
        try:
            body = competence.body(key)
        except LookupError:
            problems.append(
                Problem(
                    BODY_INPUT,
                    _("the body %(body)s is not configured (CASEWORK_BODIES)")
                    % {"body": key},
                )
            )
    if body is not None and remedy and not body.authority:
        problems.append(
            Problem(
                BODY_INPUT,
                _(
                    "%(body)s is not an administrative body: its letter is no "
                    "besluit open to objection (Awb 1:1, 8:1)"
                )
                % {"body": body.name},
            )
        )
    signatory = str(inputs.get("signatory") or "").strip()
    function = str(inputs.get("signatory_function") or "").strip()
    if body is not None and signatory and not (function or body.mandate):
        problems.append(
            Problem(
                "signatory_function",
                _("the function of the signatory is missing (%(basis)s)")
                % {"basis": "Awb 10:10"},
                missing=True,
            )
        )
    return body, remedy, problems


def validate(
    key: str | LetterTemplate,
    inputs: Mapping[str, Any],
    *,
    competence: Competence | None = None,
) -> None:
    """Raise LetterValidationError if a required input is missing or malformed."""
    template = get_template(key)
    competence = competence or competence_config.configured()
    problems = [
        problem
        for optional, fields in ((False, template.fields), (True, template.optional))
        for field in fields
        if (
            problem := field.check(
                inputs.get(field.key),
                required=field.is_required(inputs, optional=optional),
            )
        )
        is not None
    ]
    problems += letter_body(template, inputs, competence)[2]
    if not problems:
        # Rules across inputs (maximum >= amount, deadlines after the letter
        # date, ...) can only be checked once each input is well-formed.
        problems = template.check(inputs)
    if problems:
        raise LetterValidationError(template, problems)


def render_letter(
    key: str | LetterTemplate,
    inputs: Mapping[str, Any],
    *,
    letterhead: Letterhead,
    watermark: str = "",
) -> bytes:
    """Validate the inputs and return the letter as PDF bytes.

    watermark (for example "Vertrouwelijk – afgedrukt door jurist op 2026-11-28")
    is printed small in the footer of every page, next to the page number.
    """
    competence = letterhead.competence or competence_config.configured()
    validate(key, inputs, competence=competence)
    template = get_template(key)
    _register_fonts()
    reference = str(inputs.get("reference", "")).strip()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        invariant=1,
        initialFontName=FONT,
        title=template.title,
        # Only the reference, not the name: PDF metadata travels unnoticed.
        subject=reference,
        author=letterhead.organisation,
        creator="Casework",
        keywords=f"{template.key} {template.version}",
        lang="nl-NL",
    )
    footer = " · ".join(
        part
        for part in (
            letterhead.organisation,
            reference and f"Ons kenmerk {reference}",
            f"{template.key} {template.version}",
        )
        if part
    )
    doc.build(
        _story(template, inputs, letterhead, competence),
        canvasmaker=functools.partial(
            _FooterCanvas, footer=footer, watermark=" ".join(watermark.split())
        ),
    )
    return buffer.getvalue()


# --- Fonts and styles ---------------------------------------------------------


@functools.cache
def _register_fonts() -> None:
    """Register DejaVu Sans once per process; <b> in markup maps to the bold face."""
    pdfmetrics.registerFont(TTFont(FONT, FONT_DIR / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


BODY = ParagraphStyle(
    "body", fontName=FONT, bulletFontName=FONT, fontSize=10, leading=14, spaceAfter=6
)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10.5, spaceAfter=0)
LABEL = ParagraphStyle("label", parent=SMALL, textColor=GREY)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=9, leading=12, spaceAfter=0)
CELL_RIGHT = ParagraphStyle("cellright", parent=CELL, alignment=TA_RIGHT)
CELL_HEAD = ParagraphStyle("cellhead", parent=CELL, fontName=FONT_BOLD)
CELL_HEAD_RIGHT = ParagraphStyle("cellheadright", parent=CELL_HEAD, alignment=TA_RIGHT)
HEADING = ParagraphStyle(
    "heading",
    parent=BODY,
    fontName=FONT_BOLD,
    spaceBefore=6,
    spaceAfter=3,
    keepWithNext=1,  # never a heading alone at the bottom of a page
)
TITLE = ParagraphStyle(
    "title", parent=BODY, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=10
)
ORGANISATION = ParagraphStyle(
    "organisation",
    parent=BODY,
    fontName=FONT_BOLD,
    fontSize=14,
    leading=17,
    spaceAfter=1,
)
DEPARTMENT = ParagraphStyle("department", parent=BODY, spaceAfter=1)
BANNER = ParagraphStyle(
    "banner",
    parent=SMALL,
    fontName=FONT_BOLD,
    borderColor=colors.black,
    borderWidth=0.75,
    borderPadding=4,
    spaceBefore=4,
    spaceAfter=10,
)
NOTICE = ParagraphStyle("notice", parent=CELL, spaceAfter=0)
ADDRESS = ParagraphStyle("address", parent=BODY, spaceAfter=0)


# --- Layout -------------------------------------------------------------------

# Reportlab breaks a paragraph into lines again for every page it is split
# over (the rest of a split paragraph is wrapped anew), so one paragraph of n
# characters costs n²: a 120,000-character address took 12 s. Long text is
# therefore set as consecutive paragraphs of at most CHUNK characters, each
# shorter than a page, which keeps the work linear in the length.
CHUNK = 2000
# Where a chunk may end: after a line break, or at a space, outside any tag
# and entity (the markup of the letter templates: <b>, <i>, <br/>, &amp;).
_TOKEN = re.compile(r"<br/>|<[^>]*>|&[#a-zA-Z0-9]+;|\s+|[^<&\s]+|[<&]")


def _chunks(markup: str, limit: int = CHUNK) -> list[str]:
    """`markup` cut into pieces of about `limit` characters, each valid
    paragraph markup on its own: cut at a line break or a space outside any
    tag, or inside a word longer than `limit` (which the letter breaks over
    several lines anyway)."""
    if len(markup) <= limit:
        return [markup]
    pieces: list[str] = []
    current: list[str] = []
    size = depth = 0

    def cut() -> None:
        nonlocal current, size
        piece = "".join(current)
        if piece.strip():
            pieces.append(piece)
        current, size = [], 0

    for token in _TOKEN.findall(markup):
        if depth == 0 and token == "<br/>" and size >= limit // 2:
            cut()
            continue
        if depth == 0 and token.isspace() and size >= limit:
            cut()
            continue
        if token.startswith("<") and len(token) > 1 and token != "<br/>":
            if token.startswith("</"):
                depth -= 1
            elif not token.endswith("/>"):
                depth += 1
        if depth == 0 and len(token) > limit and token[0] not in "<&":
            for start in range(0, len(token), limit):
                current.append(token[start : start + limit])
                size += limit
                if size >= limit:
                    cut()
            continue
        current.append(token)
        size += len(token)
    cut()
    return pieces or [markup]


_CONTINUED: dict[str, ParagraphStyle] = {}


def _paragraphs(markup: str, style: ParagraphStyle) -> list[Paragraph]:
    """One paragraph, set as consecutive paragraphs of at most CHUNK
    characters that read as one: no space between them."""
    pieces = _chunks(markup)
    if len(pieces) == 1:
        return [Paragraph(markup, style)]
    if style.name not in _CONTINUED:
        _CONTINUED[style.name] = ParagraphStyle(
            f"{style.name}-continued", parent=style, spaceAfter=0
        )
    continued = _CONTINUED[style.name]
    return [
        Paragraph(piece, continued if n < len(pieces) - 1 else style)
        for n, piece in enumerate(pieces)
    ]


def _cell(markup: str, style: ParagraphStyle) -> Paragraph | list[Paragraph]:
    found = _paragraphs(markup, style)
    return found[0] if len(found) == 1 else found


def _story(
    template: LetterTemplate,
    inputs: Mapping[str, Any],
    letterhead: Letterhead,
    competence: Competence,
) -> list[Flowable]:
    story = _letterhead(letterhead)
    if template.banner:
        story.append(Paragraph(esc(template.banner), BANNER))
    if template.layout == "report":
        story.append(Paragraph(esc(template.title), TITLE))
        story += [f for block in template.body(inputs) for f in _flowables(block)]
        return story
    story += [
        *[
            p
            for line in template.recipient(inputs)
            for p in _paragraphs(esc(line), ADDRESS)
        ],
        Spacer(1, 10 * mm),
        _meta_table(template, inputs),
        Spacer(1, 8 * mm),
        Paragraph(esc(inputs.get("salutation") or SALUTATION), BODY),
    ]
    decider, remedy, _problems = letter_body(template, inputs, competence)
    blocks = template.body(inputs)
    if remedy and decider is not None:
        blocks += remedies_clause(
            remedy,
            decider,
            competence.court,
            reference=str(inputs.get("reference") or "").strip(),
        )
    body = [f for block in blocks for f in _flowables(block)]
    if inputs.get("contact"):
        body.append(
            Paragraph(
                "Heeft u vragen over deze brief? Neem dan contact op met "
                f"{esc(inputs['contact'])}.",
                BODY,
            )
        )
    # The signature never stands alone on a page: it takes the last paragraph.
    story += body[:-1]
    story.append(KeepTogether([body[-1], *_signature(inputs, letterhead, decider)]))
    return story


def _letterhead(letterhead: Letterhead) -> list[Flowable]:
    flowables: list[Flowable] = [Paragraph(esc(letterhead.organisation), ORGANISATION)]
    if letterhead.department:
        flowables.append(Paragraph(esc(letterhead.department), DEPARTMENT))
    flowables += [Paragraph(esc(line), LABEL) for line in letterhead.address_lines]
    flowables.append(Spacer(1, 14 * mm))
    return flowables


def _meta_table(template: LetterTemplate, inputs: Mapping[str, Any]) -> Table:
    subject = inputs.get("subject") or (
        template.subject(inputs) if template.subject else template.title
    )
    rows = [
        ("Datum", format_date(inputs["date"])),
        ("Ons kenmerk", esc(inputs["reference"])),
        ("Onderwerp", esc(subject)),
    ]
    table = Table(
        [[Paragraph(label, LABEL), _cell(value, CELL)] for label, value in rows],
        colWidths=(30 * mm, TEXT_WIDTH - 30 * mm),
        splitInRow=1,
    )
    table.setStyle(_TIGHT)
    return table


def signature_lines(
    inputs: Mapping[str, Any], body: Body | None, *, signer: str = ""
) -> list[str]:
    """The lines under "Hoogachtend,", as markup; "" is the room for the
    handwritten signature.

    The body signs itself (the college through its secretaris and the
    burgemeester, Gemw 59a; the raad through its griffier and voorzitter, Gemw
    32a), or an official signs under mandate: then the letter says on behalf
    of which body (Awb 10:10, "namens deze" or, for a collegial body, "namens
    dezen") and names the official's function and name.
    """
    signatory = str(inputs.get("signatory") or "").strip()
    if body is None:
        # A template that declares no competence: the letterhead's signer.
        body = Body("", name=signer, signer=signer)
    function = str(inputs.get("signatory_function") or "").strip() or body.mandate
    if not signatory:
        return [f"{esc(body.signer)},", "", *(f"{esc(s)}," for s in body.signature)]
    under = [esc(signatory), *([esc(function)] if function else [])]
    if body.authority:
        return [f"{esc(body.signer)},", body.on_behalf, "", *under]
    return [f"{esc(body.signer)},", "", *under]


def _signature(
    inputs: Mapping[str, Any], letterhead: Letterhead, body: Body | None
) -> list[Flowable]:
    flowables: list[Flowable] = [
        Spacer(1, 4 * mm),
        Paragraph(CLOSING, BODY),
        Spacer(1, 4 * mm),
    ]
    for line in signature_lines(inputs, body, signer=letterhead.signer_title):
        flowables.append(Spacer(1, 10 * mm) if not line else Paragraph(line, ADDRESS))
    return flowables


_TIGHT = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # Cells hold Paragraphs, but reportlab still selects the cell font
        # (Helvetica by default), which would add an unembedded font.
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)
_GRID = TableStyle(
    [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
)


def _flowables(block: Block) -> list[Flowable]:
    """A block as flowables: a long paragraph as several (`_paragraphs`)."""
    if isinstance(block, Para):
        return _paragraphs(block.text, BODY)
    return [_flowable(block)]


def _flowable(block: Block) -> Flowable:
    if isinstance(block, Para):
        return Paragraph(block.text, BODY)
    if isinstance(block, Heading):
        return Paragraph(block.text, HEADING)
    if isinstance(block, Facts):
        table = Table(
            [
                [Paragraph(label, LABEL), _cell(value, CELL)]
                for label, value in block.rows
            ],
            colWidths=(45 * mm, TEXT_WIDTH - 45 * mm),
            spaceAfter=6,
            # A row taller than a page (a long description) continues on
            # the next page instead of stopping the letter.
            splitInRow=1,
        )
        table.setStyle(_TIGHT)
        return table
    if isinstance(block, Grid):
        right = [n in block.right for n in range(len(block.widths))]
        rows = [
            [
                Paragraph(text, CELL_HEAD_RIGHT if r else CELL_HEAD)
                for text, r in zip(block.header, right, strict=True)
            ]
        ]
        rows += [
            [
                _cell(text, CELL_RIGHT if r else CELL)
                for text, r in zip(row, right, strict=True)
            ]
            for row in (*block.rows, *((block.total,) if block.total else ()))
        ]
        table = Table(
            rows,
            colWidths=[TEXT_WIDTH * w for w in block.widths],
            repeatRows=1,
            spaceAfter=8,
            splitInRow=1,
        )
        table.setStyle(_GRID)
        return table
    if isinstance(block, Notice):
        table = Table(
            [[Paragraph(block.title, CELL_HEAD)], [_cell(block.text, NOTICE)]],
            colWidths=(TEXT_WIDTH,),
            splitInRow=1,
            spaceBefore=4,
            spaceAfter=10,
        )
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("BOX", (0, 0), (-1, -1), 1, colors.black),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        return KeepTogether(table)
    if isinstance(block, Bullets):
        return ListFlowable(
            [ListItem(_cell(item, BODY), leftIndent=12) for item in block.items],
            bulletType="bullet",
            start="•",
            leftIndent=12,
            bulletFontName=FONT,
        )
    raise TypeError(f"Unknown block {block!r}")


class _FooterCanvas(Canvas):
    """Canvas that writes the footer once the page count is known.

    Pages are held back until save(), so each footer can say "Pagina 1 van 3".
    """

    def __init__(self, *args: Any, footer: str, watermark: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._watermark = watermark
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(LEFT, 20 * mm, PAGE_WIDTH - RIGHT, 20 * mm)
        self.setFillColor(GREY)
        self.setFont(FONT, 7.5)
        self.drawString(LEFT, 16 * mm, self._footer)
        self.drawRightString(
            PAGE_WIDTH - RIGHT, 16 * mm, f"Pagina {number} van {total}"
        )
        if self._watermark:
            size = 7.5
            while (
                size > 5
                and pdfmetrics.stringWidth(self._watermark, FONT, size) > TEXT_WIDTH
            ):
                size -= 0.5
            self.setFont(FONT, size)
            self.drawString(LEFT, 12 * mm, self._watermark)
        self.restoreState()
