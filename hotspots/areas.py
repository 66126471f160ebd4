"""The import of area boundaries (docs/hotspots.md "Areas"): a GeoJSON
FeatureCollection whose features name an area (`properties.naam`, `name`
or `gebied`: the area text the addresses carry) and give its Polygon or
MultiPolygon, in RD New (a `crs` member naming EPSG:28992) or in WGS84 (no
`crs`, RFC 7946; converted by `hotspots.geo.wgs84_to_rd`). Every feature is
checked; nothing is stored while one has an error. An area already known is
replaced. Who imports: `permissions.figures.may_manage_areas`."""

from __future__ import annotations

import json
import math

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Location
from casework.signal_import import FileError

from . import geo
from .imports import Item, Parsed
from .models import Area, RegisterUpload

NOT_JSON = _("The file is not valid JSON (line %(line)s): %(error)s")
NOT_COLLECTION = _("The file is not a GeoJSON FeatureCollection.")
NO_FEATURES = _("The FeatureCollection has no features.")
TOO_MANY_FEATURES = _("The file has %(found)s features; at most %(limit)s.")
UNKNOWN_CRS = _(
    "Unknown coordinate system %(crs)s: give the coordinates in RD New "
    "(EPSG:28992) or WGS84."
)
TOO_MANY_POSITIONS = _("The boundaries have %(found)s positions; at most %(limit)s.")
NOT_FEATURE = _("This is not a GeoJSON Feature.")
NO_NAME = _("The feature has no name (property naam, name or gebied).")
LONG_NAME = _("The name is longer than 100 characters.")
DOUBLE_NAME = _("This name is also used by feature %(line)s.")
BAD_TYPE = _("The geometry is a %(type)s; give a Polygon or MultiPolygon.")
BAD_RING = _("Ring %(ring)s is not a closed list of at least four positions.")
BAD_POSITION = _("Position %(position)s of ring %(ring)s is not a pair of numbers.")
OUT_OF_RD = _(
    "Position %(position)s of ring %(ring)s lies outside the Netherlands "
    "(RD x %(x)s, y %(y)s)."
)
OUT_OF_WGS84 = _(
    "Position %(position)s of ring %(ring)s is not a WGS84 position in the "
    "Netherlands (longitude %(x)s, latitude %(y)s)."
)
UNUSED_AREA = _("No address carries this area yet.")
REPLACES = _("Replaces the boundary imported earlier.")

MAX_FEATURES = 200
MAX_POSITIONS = 20000
RD_NAMES = ("epsg:28992", "epsg::28992", "urn:ogc:def:crs:epsg::28992")
WGS_NAMES = (
    "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:epsg::4326", "epsg:4326",
    "crs84",
)  # fmt: skip
NAME_KEYS = ("naam", "name", "gebied")


def _crs(collection) -> str:
    """ "rd" or "wgs84" from the collection's `crs` member (none: WGS84)."""
    crs = collection.get("crs")
    if crs is None:
        return "wgs84"
    name = str(((crs or {}).get("properties") or {}).get("name", "")).lower()
    if name in RD_NAMES or name.endswith(":28992"):
        return "rd"
    if name in WGS_NAMES or name.endswith(":4326") or name.endswith("crs84"):
        return "wgs84"
    raise FileError(UNKNOWN_CRS % {"crs": name[:60] or "?"})


def _number(value) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _polygons(geometry, crs: str, item: Item) -> list:
    """The geometry as polygons of rings of [x, y] in RD, errors on the item."""
    kind = (geometry or {}).get("type") if isinstance(geometry, dict) else None
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        raw = [coordinates]
    elif kind == "MultiPolygon":
        raw = coordinates
    else:
        item.add_error("geometry", BAD_TYPE % {"type": kind or "?"})
        return []
    if not isinstance(raw, list) or not raw:
        item.add_error("geometry", BAD_RING % {"ring": 1})
        return []
    polygons, ring_number = [], 0
    for polygon in raw:
        rings = []
        for ring in polygon if isinstance(polygon, list) else [None]:
            ring_number += 1
            if (
                not isinstance(ring, list)
                or len(ring) < 4
                or not all(isinstance(p, list) for p in ring)
                or ring[0] != ring[-1]
            ):
                item.add_error("geometry", BAD_RING % {"ring": ring_number})
                continue
            points = []
            for position, point in enumerate(ring, start=1):
                where = {"position": position, "ring": ring_number}
                if len(point) < 2 or not (_number(point[0]) and _number(point[1])):
                    item.add_error("geometry", BAD_POSITION % where)
                    break
                a, b = float(point[0]), float(point[1])
                if crs == "wgs84":
                    if not geo.in_wgs84_bounds(a, b):
                        item.add_error(
                            "geometry", OUT_OF_WGS84 % {**where, "x": a, "y": b}
                        )
                        break
                    a, b = geo.wgs84_to_rd(a, b)
                if not geo.in_rd_bounds(a, b):
                    item.add_error(
                        "geometry", OUT_OF_RD % {**where, "x": round(a), "y": round(b)}
                    )
                    break
                points.append([round(a, 2), round(b, 2)])
            rings.append(points)
        if not rings:
            item.add_error("geometry", BAD_RING % {"ring": ring_number or 1})
        polygons.append(rings)
    return polygons


class AreaImporter:
    kind = RegisterUpload.Kind.AREAS
    columns = ("naam", "geometry")

    def read(self, text: str) -> Parsed:
        try:
            collection = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileError(NOT_JSON % {"line": exc.lineno, "error": exc.msg}) from exc
        if not isinstance(collection, dict) or (
            collection.get("type") != "FeatureCollection"
        ):
            raise FileError(NOT_COLLECTION)
        features = collection.get("features")
        if not isinstance(features, list):
            raise FileError(NOT_COLLECTION)
        if not features:
            raise FileError(NO_FEATURES)
        if len(features) > MAX_FEATURES:
            raise FileError(
                TOO_MANY_FEATURES % {"found": len(features), "limit": MAX_FEATURES}
            )
        crs = _crs(collection)
        items = []
        for number, feature in enumerate(features, start=1):
            item = Item(number, {"naam": "", "geometry": ""})
            items.append(item)
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                item.add_error("", NOT_FEATURE)
                continue
            properties = feature.get("properties") or {}
            name = ""
            if isinstance(properties, dict):
                name = next(
                    (
                        str(properties[k]).strip()
                        for k in NAME_KEYS
                        if properties.get(k)
                    ),
                    "",
                )
            item.values["naam"] = name
            if not name:
                item.add_error("naam", NO_NAME)
            elif len(name) > 100:
                item.add_error("naam", LONG_NAME)
            polygons = _polygons(feature.get("geometry"), crs, item)
            positions = sum(len(r) for p in polygons for r in p)
            item.values["geometry"] = f"{len(polygons)} × {positions}"
            if item.ok:
                item.cleaned = {"name": name, "polygons": polygons}
        positions = sum(
            len(r) for i in items for p in i.cleaned.get("polygons", []) for r in p
        )
        if positions > MAX_POSITIONS:
            raise FileError(
                TOO_MANY_POSITIONS % {"found": positions, "limit": MAX_POSITIONS}
            )
        return Parsed(list(self.columns), items)

    def check(self, parsed: Parsed) -> Parsed:
        seen: dict[str, int] = {}
        for item in parsed.items:
            name = item.values.get("naam", "")
            if name and name in seen:
                item.add_error("naam", DOUBLE_NAME % {"line": seen[name]})
            elif name:
                seen[name] = item.line
        known = set(Area.objects.filter(name__in=seen).values_list("name", flat=True))
        used = dict(
            Location.objects.filter(area__in=seen)
            .values("area")
            .annotate(n=Count("pk"))
            .values_list("area", "n")
        )
        for item in parsed.items:
            name = item.values.get("naam", "")
            if name in known:
                item.notes.append(str(REPLACES))
            if name and name not in used:
                item.notes.append(str(UNUSED_AREA))
        return parsed

    def shown(self, item: Item, column: str) -> str:
        return item.values.get(column, "")

    def store(self, parsed: Parsed, *, upload, user) -> int:
        now = timezone.now()
        for item in parsed.items:
            polygons = item.cleaned["polygons"]
            min_x, min_y, max_x, max_y = geo.bounds(polygons)
            Area.objects.update_or_create(
                name=item.cleaned["name"],
                defaults={
                    "boundary": polygons,
                    "min_x": min_x, "min_y": min_y, "max_x": max_x, "max_y": max_y,
                    "imported_at": now, "imported_by": user,
                },
            )  # fmt: skip
        return len(parsed.items)
