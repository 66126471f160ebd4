"""Charts of the steering figures, drawn with reportlab graphics (issue 18
item 2): the same `Drawing` goes into a PDF (the reports app) or, through
`svg`, into a page as inline SVG markup.

The page's Content-Security-Policy allows no inline styles, so `svg` turns
reportlab's `style="…"` attributes into SVG presentation attributes
(`fill="…"`), which a CSP does not govern; the markup has no script.
"""

from __future__ import annotations

import re
import uuid
from xml.etree import ElementTree as ET

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

SVG_NS = "http://www.w3.org/2000/svg"
# Colour-blind safe (Okabe–Ito), dark enough for white gaps between bars.
PALETTE = [
    colors.HexColor(c)
    for c in (
        "#0072B2",
        "#E69F00",
        "#009E73",
        "#CC79A7",
        "#56B4E9",
        "#D55E00",
        "#F0E442",
        "#000000",
        "#999999",
        "#882255",
        "#117733",
    )
]
WIDTH = 520
PLOT_HEIGHT = 150
LEGEND_ROW = 16


def bar_chart(
    labels: list[str], series: list[tuple[str, list[int | None]]], title: str = ""
) -> Drawing:
    """Grouped bars: one group per label (a period), one bar per series (an
    indicator). A value None (a hidden small number) draws no bar; the
    numbers beside the chart say "< 5" there."""
    legend_height = LEGEND_ROW * max(len(series), 1) + 8
    top = 24 if title else 8
    height = PLOT_HEIGHT + 40 + legend_height + top
    drawing = Drawing(WIDTH, height)
    if title:
        drawing.add(
            String(10, height - 16, str(title), fontName="Helvetica-Bold", fontSize=13)
        )
    chart = VerticalBarChart()
    chart.x = 40
    chart.y = legend_height + 30
    chart.width = WIDTH - 60
    chart.height = PLOT_HEIGHT
    data = [[0 if v is None else v for v in values] for _name, values in series]
    chart.data = data or [[0] * len(labels)]
    chart.categoryAxis.categoryNames = [str(label) for label in labels]
    chart.categoryAxis.labels.fontSize = 11
    chart.valueAxis.valueMin = 0
    peak = max((v for values in data for v in values), default=0)
    chart.valueAxis.valueMax = max(peak, 4)
    chart.valueAxis.valueStep = _step(max(peak, 4))
    chart.valueAxis.labels.fontSize = 11
    chart.valueAxis.labelTextFormat = "%d"
    chart.groupSpacing = 6
    chart.barSpacing = 1
    chart.bars.strokeColor = None
    for n in range(len(chart.data)):
        chart.bars[n].fillColor = PALETTE[n % len(PALETTE)]
    drawing.add(chart)
    if series:
        legend = Legend()
        legend.x = 40
        legend.y = legend_height
        legend.alignment = "right"
        legend.fontSize = 11
        legend.dx = legend.dy = 9
        legend.deltay = LEGEND_ROW
        legend.columnMaximum = len(series)
        legend.colorNamePairs = [
            (PALETTE[n % len(PALETTE)], str(name))
            for n, (name, _values) in enumerate(series)
        ]
        drawing.add(legend)
    return drawing


def _step(peak: int) -> int:
    """A round step for about five gridlines."""
    raw = max(peak / 5, 1)
    magnitude = 10 ** (len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def svg(drawing: Drawing, *, title: str = "") -> str:
    """The drawing as an `<svg>` element for inline use: no XML prolog, no
    inline styles (presentation attributes instead), `role="img"` with the
    title as its accessible name."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(renderSVG.drawToString(drawing).encode("utf-8"))
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if not style:
            continue
        for declaration in style.split(";"):
            name, _sep, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name and value and re.fullmatch(r"[a-z-]+", name):
                element.set(name, value)
    # Several charts share a page: their ids (the clip path) must not clash.
    prefix = f"c{uuid.uuid4().hex[:8]}-"
    for element in root.iter():
        if "id" in element.attrib:
            element.set("id", prefix + element.get("id"))
        for name, value in list(element.attrib.items()):
            if "url(#" in value:
                element.set(name, value.replace("url(#", f"url(#{prefix}"))
        family = element.get("font-family")
        if family:
            if family.endswith("-Bold"):
                element.set("font-weight", "bold")
            element.set("font-family", "Helvetica, Arial, sans-serif")
    for child in list(root):
        if child.tag in (f"{{{SVG_NS}}}title", f"{{{SVG_NS}}}desc"):
            root.remove(child)
    root.set("role", "img")
    if title:
        label = ET.Element(f"{{{SVG_NS}}}title")
        label.text = str(title)
        root.insert(0, label)
        root.set("aria-label", str(title))
    # Scales with the page; the viewBox keeps the proportions.
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("class", "chart")
    return ET.tostring(root, encoding="unicode")
