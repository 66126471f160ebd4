"""Where the quarterly report's figures come from: the steering indicators,
the hotspots and the programme monitor, each asked as the requester (every
figure passes `permissions.figures` there, so the report never shows more
than the requester's own pages do).

A source that is not installed answers None, and the report says so in its
section ("niet beschikbaar") instead of failing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

from django.http import Http404
from django.utils.translation import gettext as _

from casework.pdf import TEXT_WIDTH
from permissions.figures import figure_scope


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and name.startswith(exc.name):
            return None
        raise


def areas(user) -> list[str]:
    """The areas the requester may choose (the steering indicators' areas)."""
    scope = figure_scope(user)
    indicators = _module("steering.indicators")
    if scope is None or indicators is None or not hasattr(indicators, "areas"):
        return []
    return [_area_name(a) for a in indicators.areas(scope)]


def _area_name(area) -> str:
    if isinstance(area, str):
        return area
    if isinstance(area, tuple | list):
        return str(area[0])
    return str(getattr(area, "name", area))


def programmes(user) -> list[tuple[int, str]]:
    """The programmes the requester reads (the programme monitor's rule)."""
    selectors = _module("programme.selectors")
    if selectors is None or not hasattr(selectors, "programmes_for"):
        return []
    return [(p.pk, str(p)) for p in selectors.programmes_for(user)]


def number(value) -> str:
    formatting = _module("programme.formatting")
    if formatting is None:
        return str(value)
    return formatting.number(value)


def programme_summary(user, programme_id, quarter):
    """The programme monitor's summary of the chosen programme as the user
    sees it (budget only with budget access), or None: none chosen, none
    the user reads, or no monitor installed."""
    selectors = _module("programme.selectors")
    if selectors is None or not programme_id:
        return None
    try:
        programme, _access = selectors.programme_for(user, programme_id)
    except Http404:
        return None
    return selectors.summary(user, programme, quarter=(quarter.year, quarter.number))


def refreshed_at():
    """When the steering facts were last brought up to date, or None."""
    facts = _module("steering.facts")
    if facts is None or not hasattr(facts, "refreshed_at"):
        return None
    return facts.refreshed_at()


AREAS_PER_TABLE = 5


@dataclass
class Block:
    """A table of plain strings for the PDF."""

    title: str
    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    right: list[int] = field(default_factory=list)
    total: list[str] | None = None
    empty: str = ""


def indicator_data(scope, quarter, area):
    """The steering indicators of `quarter` and the three quarters before
    it (`steering.indicators.indicator_table`), or None when not installed."""
    indicators = _module("steering.indicators")
    if indicators is None:
        return None
    first = quarter.with_previous(3)[0]
    return indicators.indicator_table(
        scope, start=first.start, end=quarter.end, area=area, grain="quarter"
    )


def indicator_tables(data) -> list[Block]:
    """One table per family: indicators × quarters with the row totals and a
    total row, every number the cell's text as the requester sees it."""
    if data is None:
        return None
    columns = [str(p.label) for p in data.periods] + [_("Total")]
    n = len(columns)
    return [
        Block(
            title=str(label),
            header=[_("Indicator"), *columns],
            rows=[
                [str(row.label), *(c.text for c in row.cells), row.total.text]
                for row in table.rows
            ],
            widths=[0.36] + [0.64 / n] * n,
            right=list(range(1, n + 1)),
            total=[
                _("Total"),
                *(c.text for c in table.column_totals),
                table.grand_total.text if table.grand_total else "",
            ],
        )
        for _code, label, table in data.families
        if table.rows
    ]


def charts(data) -> list | None:
    """A grouped bar chart per family with figures in the period (a hidden
    small number draws no bar; the table beside it says "< 5")."""
    module = _module("steering.charts")
    if data is None or module is None:
        return None
    labels = [str(p.label) for p in data.periods]
    drawings = []
    for _code, label, table in data.families:
        series = [(str(row.label), [c.value for c in row.cells]) for row in table.rows]
        if not any(v for _name, values in series for v in values if v):
            continue
        drawings.append(module.bar_chart(labels, series, title=str(label)))
    return drawings


def hotspots(scope, area: str):
    """(top ten addresses, figures per area, the map drawing) as the
    requester sees them, or None when the hotspots are not installed."""
    selectors = _module("hotspots.selectors")
    if selectors is None:
        return None
    families = selectors.address_families(scope)
    labels = {f: selectors.family_label(f) for f in families}
    top = selectors.top_addresses(scope, area=area, limit=10)
    # The families as one column ("Signalen: 3 · Integrale controle: < 5"):
    # their labels are too long for a column each.
    top_block = Block(
        title=_("Top 10 addresses"),
        header=[_("Address"), _("Area"), _("Score"), _("Of which")],
        rows=[
            [
                r.address,
                r.area,
                str(r.score),
                " · ".join(
                    f"{labels[f]}: {r.cells[f].text}"
                    for f in families
                    if f in r.cells and r.cells[f].value != 0
                ),
            ]
            for r in top
        ],
        widths=[0.3, 0.14, 0.08, 0.48],
        right=[2],
        empty=_("No addresses with figures you may see."),
    )
    area_families = selectors.area_families(scope)
    area_rows = [r for r in selectors.area_rows(scope) if any(
        c.value != 0 for c in r.cells.values())]  # fmt: skip
    if area:
        area_rows = [r for r in area_rows if r.area == area]
    # Families as rows, areas as columns, at most AREAS_PER_TABLE per table.
    blocks = []
    for n in range(0, max(len(area_rows), 1), AREAS_PER_TABLE):
        chunk = area_rows[n : n + AREAS_PER_TABLE]
        k = len(chunk)
        blocks.append(
            Block(
                title=_("Per area") if n == 0 else "",
                header=["", *(r.area or _("No area") for r in chunk)],
                rows=[
                    [selectors.family_label(f), *(r.cells[f].text for r in chunk)]
                    for f in area_families
                ]
                if chunk
                else [],
                widths=[0.3] + [0.7 / max(k, 1)] * k,
                right=list(range(1, k + 1)),
                empty=_("No figures per area."),
            )
        )
    drawing = None
    hotspot_map = _module("hotspots.map")
    if hotspot_map is not None and top:
        drawing = hotspot_map.drawing(scope, area=area, limit=10, width=TEXT_WIDTH)
    return top_block, blocks, drawing
