"""The page layout of the governance reports: the kernel's PDF conventions
(`casework.pdf`: DejaVu Sans embedded, A4, the footer with "Pagina x van y"
and a watermark naming the reader, reportlab's invariant mode) applied to a
report of headings, paragraphs and tables.

Everything here takes plain values (strings, rows of strings) and returns
flowables or bytes; the collecting is done by `quarterly` and `feedback`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from casework.letters import esc
from casework.pdf import (
    BODY,
    BOTTOM,
    CELL,
    CELL_HEAD,
    CELL_HEAD_RIGHT,
    CELL_RIGHT,
    FONT,
    FONT_BOLD,
    LABEL,
    LEFT,
    RIGHT,
    RULE,
    TEXT_WIDTH,
    TITLE,
    TOP,
    _cell,
    _FooterCanvas,
    _paragraphs,
    _register_fonts,
)

__all__ = [
    "BODY",
    "PageBreak",
    "Spacer",
    "cover",
    "fit",
    "grid",
    "heading",
    "note",
    "paragraph",
    "paragraphs",
    "ready",
    "render",
    "subheading",
]

H1 = ParagraphStyle(
    "report-h1",
    parent=BODY,
    fontName=FONT_BOLD,
    fontSize=13,
    leading=17,
    spaceBefore=10,
    spaceAfter=6,
    keepWithNext=1,
)
H2 = ParagraphStyle(
    "report-h2",
    parent=BODY,
    fontName=FONT_BOLD,
    fontSize=10.5,
    leading=14,
    spaceBefore=6,
    spaceAfter=3,
    keepWithNext=1,
)
NOTE = ParagraphStyle("report-note", parent=BODY, fontSize=8.5, textColor=RULE)
COVER_TITLE = ParagraphStyle(
    "report-cover", parent=TITLE, fontSize=20, leading=25, spaceAfter=14
)
COVER_SUB = ParagraphStyle(
    "report-cover-sub", parent=BODY, fontSize=13, leading=17, spaceAfter=4
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


def ready() -> None:
    """Register the fonts: a Paragraph needs them when it is made, before
    `render`."""
    _register_fonts()


# The frame inside the margins (platypus pads it by 6 points on each side),
# less room for a heading above a drawing.
FRAME_WIDTH = TEXT_WIDTH - 12
FRAME_HEIGHT = A4[1] - TOP - BOTTOM - 12 - 40


def fit(drawing):
    """A chart or map scaled down to fit the frame (a tall area's map is
    higher than a page): never larger than drawn."""
    factor = min(1.0, FRAME_WIDTH / drawing.width, FRAME_HEIGHT / drawing.height)
    if factor < 1.0:
        drawing.scale(factor, factor)
        drawing.width *= factor
        drawing.height *= factor
    return drawing


def heading(text: str) -> Paragraph:
    return Paragraph(esc(text), H1)


def subheading(text: str) -> Paragraph:
    return Paragraph(esc(text), H2)


def paragraph(text: str) -> Paragraph:
    return Paragraph(esc(text), BODY)


def paragraphs(text: str) -> list[Paragraph]:
    """Text of any length (a decision typed in the form, a filing reason):
    set in pieces, as the kernel's letters are, so that the work stays
    linear in the length (`casework.pdf._paragraphs`)."""
    return _paragraphs(esc(text), BODY)


def note(text: str) -> Paragraph:
    return Paragraph(esc(text), NOTE)


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float],
    right: Sequence[int] = (),
    total: Sequence[str] | None = None,
) -> Table:
    """A table with a header row; `widths` as fractions of the text width,
    `right` the indexes of right-aligned (number) columns; `total` a last row
    set in bold."""
    right_set = set(right)

    def cells(values, head=False):
        return [
            _cell(
                esc(value),
                (CELL_HEAD_RIGHT if n in right_set else CELL_HEAD)
                if head
                else (CELL_RIGHT if n in right_set else CELL),
            )
            for n, value in enumerate(values)
        ]

    data = [cells(header, head=True), *(cells(row) for row in rows)]
    if total is not None:
        data.append(cells(total, head=True))
    table = Table(
        data,
        colWidths=[TEXT_WIDTH * w for w in widths],
        repeatRows=1,
        spaceAfter=8,
        splitInRow=1,
    )
    table.setStyle(_GRID)
    return table


def cover(title: str, subtitle: str, facts: Sequence[tuple[str, str]]) -> list:
    """The first page: title, subtitle and a column of facts."""
    table = Table(
        [
            [Paragraph(esc(label), LABEL), Paragraph(esc(value), CELL)]
            for label, value in facts
        ],
        colWidths=(45 * mm, TEXT_WIDTH - 45 * mm),
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [
        Spacer(1, 40 * mm),
        Paragraph(esc(title), COVER_TITLE),
        Paragraph(esc(subtitle), COVER_SUB),
        Spacer(1, 12 * mm),
        table,
        PageBreak(),
    ]


def render(
    story: list[Flowable], *, title: str, author: str, footer: str, watermark: str
) -> bytes:
    """The story as PDF bytes, with the kernel's footer on every page."""
    _register_fonts()
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
        title=title,
        author=author,
        creator="Casework",
        lang="nl-NL",
    )
    doc.build(
        story,
        canvasmaker=functools.partial(
            _FooterCanvas, footer=footer, watermark=" ".join(watermark.split())
        ),
    )
    return buffer.getvalue()
