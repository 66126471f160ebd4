"""The hotspot map (docs/hotspots.md "Map"): the area boundaries and the
viewer's ranked addresses, in RD coordinates projected onto a viewBox.
`svg(...)` gives the SVG the map page shows (server-rendered, no
JavaScript); `drawing(...)` the same picture as a reportlab `Drawing` for a
PDF. An optional base layer (`HOTSPOTS_BASE_LAYER_URL`, a WMTS tile template
in the RD tile matrix set, such as PDOK's) is drawn under the vectors as
`<image>` tiles; without it the map is the vectors alone."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string

from . import selectors
from .models import Area

WIDTH = 800.0
DEFAULT_LIMIT = 100
PADDING = 0.05
# The Netherlands' RD tile matrix set (EPSG:28992, as PDOK's WMTS): the
# top-left corner, the metres per pixel at zoom 0, and the tile size.
TILE_ORIGIN_X, TILE_ORIGIN_Y = -285401.92, 903401.92
TILE_RESOLUTION_0 = 3440.640
TILE_SIZE = 256
MAX_ZOOM = 14
MAX_TILES = 16
# Point colours by the share of the highest score (low, middle, high).
COLOURS = ("#f6c344", "#e8772e", "#b2182b")
AREA_FILL = "#dde8f3"
AREA_STROKE = "#2c5d8f"


@dataclass
class Point:
    x: float
    y: float
    r: float
    colour: str
    title: str
    url: str
    score: int


@dataclass
class Shape:
    name: str
    points: str  # "x,y x,y …" of one ring in the viewBox
    hole: bool = False


@dataclass
class Tile:
    href: str
    x: float
    y: float
    size: float


@dataclass
class Picture:
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)
    labels: list[tuple[str, float, float]] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    tiles: list[Tile] = field(default_factory=list)
    empty: bool = False


class Projection:
    """RD metres → viewBox units: x to the right, y downwards."""

    def __init__(self, min_x, min_y, max_x, max_y):
        dx, dy = max(max_x - min_x, 1.0), max(max_y - min_y, 1.0)
        pad = PADDING * max(dx, dy)
        self.min_x, self.max_y = min_x - pad, max_y + pad
        self.scale = WIDTH / (dx + 2 * pad)
        self.width = WIDTH
        self.height = round((dy + 2 * pad) * self.scale, 1)

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return (
            round((x - self.min_x) * self.scale, 1),
            round((self.max_y - y) * self.scale, 1),
        )

    def rd(self, sx: float, sy: float) -> tuple[float, float]:
        return self.min_x + sx / self.scale, self.max_y - sy / self.scale


def _extent(areas, rows):
    xs, ys = [], []
    for area in areas:
        xs += [area.min_x, area.max_x]
        ys += [area.min_y, area.max_y]
    for row in rows:
        xs.append(row.x)
        ys.append(row.y)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _tiles(template: str, projection: Projection) -> list[Tile]:
    """The tiles covering the map at the finest zoom that needs at most
    MAX_TILES of them."""
    if not template:
        return []
    min_x, max_y = projection.min_x, projection.max_y
    max_x, min_y = projection.rd(projection.width, projection.height)
    for zoom in range(MAX_ZOOM, -1, -1):
        span = TILE_RESOLUTION_0 / 2**zoom * TILE_SIZE
        first_col = math.floor((min_x - TILE_ORIGIN_X) / span)
        last_col = math.floor((max_x - TILE_ORIGIN_X) / span)
        first_row = math.floor((TILE_ORIGIN_Y - max_y) / span)
        last_row = math.floor((TILE_ORIGIN_Y - min_y) / span)
        count = (last_col - first_col + 1) * (last_row - first_row + 1)
        if count <= MAX_TILES:
            break
    tiles = []
    for row in range(first_row, last_row + 1):
        for col in range(first_col, last_col + 1):
            x, y = projection(TILE_ORIGIN_X + col * span, TILE_ORIGIN_Y - row * span)
            href = (
                template.replace("{z}", str(zoom))
                .replace("{x}", str(col))
                .replace("{y}", str(row))
            )
            tiles.append(Tile(href, x, y, round(span * projection.scale, 1)))
    return tiles


def picture(
    scope, *, area: str = "", limit: int = DEFAULT_LIMIT, base_layer=None
) -> Picture:
    """What the map shows the viewer: the boundaries (of one area, or all)
    and the viewer's top `limit` addresses that have coordinates."""
    rows = [
        r for r in selectors.ranked(scope, area=area, limit=limit) if r.x is not None
    ]
    areas = list(Area.objects.filter(name=area) if area else Area.objects.all())
    extent = _extent(areas, rows)
    if extent is None:
        return Picture(WIDTH, WIDTH / 2, empty=True)
    project = Projection(*extent)
    result = Picture(project.width, project.height)
    for item in areas:
        for rings in item.boundary:
            for index, ring in enumerate(rings):
                points = " ".join("{},{}".format(*project(x, y)) for x, y in ring)
                result.shapes.append(Shape(item.name, points, hole=index > 0))
        cx, cy = project((item.min_x + item.max_x) / 2, (item.min_y + item.max_y) / 2)
        result.labels.append((item.name, cx, cy))
    top = max((r.score for r in rows), default=1) or 1
    # The lowest scores first, so that the highest are drawn on top.
    for row in sorted(rows, key=lambda r: (r.score, -r.location_id)):
        share = row.score / top
        sx, sy = project(row.x, row.y)
        result.points.append(
            Point(
                sx, sy, round(4 + 8 * math.sqrt(share), 1),
                COLOURS[min(2, int(share * 3))],
                f"{row.address} — score {row.score}", row.url, row.score,
            )
        )  # fmt: skip
    if base_layer is None:
        base_layer = getattr(settings, "HOTSPOTS_BASE_LAYER_URL", "")
    result.tiles = _tiles(base_layer, project)
    return result


def svg(scope, *, area: str = "", limit: int = DEFAULT_LIMIT, base_layer=None) -> str:
    """The map as an SVG document fragment (an `<svg>` element)."""
    return render_to_string(
        "hotspots/map.svg",
        {
            "picture": picture(scope, area=area, limit=limit, base_layer=base_layer),
            "area_fill": AREA_FILL,
            "area_stroke": AREA_STROKE,
        },
    )


def drawing(scope, *, area: str = "", limit: int = DEFAULT_LIMIT, width: float = 480):
    """The map as a reportlab `Drawing` of `width` points (no base layer:
    a PDF carries no online tiles)."""
    from reportlab.graphics.shapes import Circle, Drawing, Polygon, String
    from reportlab.lib import colors

    shown = picture(scope, area=area, limit=limit, base_layer="")
    factor = width / shown.width
    result = Drawing(width, shown.height * factor)

    def flip(sx, sy):
        return sx * factor, (shown.height - sy) * factor

    for shape in shown.shapes:
        coordinates = []
        for pair in shape.points.split():
            sx, sy = (float(v) for v in pair.split(","))
            coordinates += flip(sx, sy)
        result.add(
            Polygon(
                coordinates,
                fillColor=colors.white if shape.hole else colors.HexColor(AREA_FILL),
                strokeColor=colors.HexColor(AREA_STROKE),
                strokeWidth=0.8,
            )
        )
    for name, sx, sy in shown.labels:
        x, y = flip(sx, sy)
        result.add(String(x, y, name, fontSize=7, textAnchor="middle"))
    for point in shown.points:
        x, y = flip(point.x, point.y)
        result.add(
            Circle(
                x, y, point.r * factor,
                fillColor=colors.HexColor(point.colour),
                strokeColor=colors.white, strokeWidth=0.5,
            )
        )  # fmt: skip
    return result
