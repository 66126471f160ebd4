"""Coordinates: RD New (EPSG:28992) bounds, WGS84 → RD, and points in
polygons. Pure functions, no database.

WGS84 → RD uses the approximation of F.H. Schreutelaar and G.L. Strang van
Hees ("Benaderingsformules voor de transformatie tussen RD- en
WGS84-kaartcoördinaten", 1997): a polynomial in the differences of latitude
and longitude from Amersfoort, accurate to about a metre inside the
Netherlands — enough to draw an area boundary, not to survey one. The
official transformation (RDNAPTRANS) needs the correction grids; a polygon
for a map does not.
"""

from __future__ import annotations

# The RD grid's validity area (metres), as the Location model validates.
RD_MIN_X, RD_MAX_X = -7000.0, 300000.0
RD_MIN_Y, RD_MAX_Y = 289000.0, 629000.0
# WGS84 around the Netherlands (degrees), for the check before converting.
WGS_MIN_LAT, WGS_MAX_LAT = 50.0, 54.0
WGS_MIN_LON, WGS_MAX_LON = 2.5, 7.6

_PHI0, _LAM0 = 52.15517440, 5.38720621
_X0, _Y0 = 155000.0, 463000.0
# (p, q) → coefficient: X = X0 + Σ R[p,q] dφ^p dλ^q, Y = Y0 + Σ S[p,q] dφ^p dλ^q
_R = {
    (0, 1): 190094.945, (1, 1): -11832.228, (2, 1): -114.221, (0, 3): -32.391,
    (1, 0): -0.705, (3, 1): -2.340, (1, 3): -0.608, (0, 2): -0.008,
    (2, 3): 0.148,
}  # fmt: skip
_S = {
    (1, 0): 309056.544, (0, 2): 3638.893, (2, 0): 73.077, (1, 2): -157.984,
    (3, 0): 59.788, (0, 1): 0.433, (2, 2): -6.439, (1, 1): -0.032,
    (0, 4): 0.092, (1, 4): -0.054,
}  # fmt: skip


def wgs84_to_rd(lon: float, lat: float) -> tuple[float, float]:
    """RD (x, y) in metres of a WGS84 position (GeoJSON order: longitude,
    latitude), by the Schreutelaar–Strang van Hees approximation."""
    d_phi = 0.36 * (lat - _PHI0)
    d_lam = 0.36 * (lon - _LAM0)
    x = _X0 + sum(c * d_phi**p * d_lam**q for (p, q), c in _R.items())
    y = _Y0 + sum(c * d_phi**p * d_lam**q for (p, q), c in _S.items())
    return x, y


def in_rd_bounds(x: float, y: float) -> bool:
    return RD_MIN_X <= x <= RD_MAX_X and RD_MIN_Y <= y <= RD_MAX_Y


def in_wgs84_bounds(lon: float, lat: float) -> bool:
    return WGS_MIN_LON <= lon <= WGS_MAX_LON and WGS_MIN_LAT <= lat <= WGS_MAX_LAT


def _in_ring(x: float, y: float, ring) -> bool:
    """Ray casting: whether the point is inside the closed ring."""
    inside = False
    count = len(ring)
    for i in range(count):
        x1, y1 = ring[i][0], ring[i][1]
        x2, y2 = ring[(i + 1) % count][0], ring[(i + 1) % count][1]
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


def contains(polygons, x: float, y: float) -> bool:
    """Whether the point lies in one of the polygons (outer ring in, no
    hole of it around the point)."""
    for rings in polygons:
        if rings and _in_ring(x, y, rings[0]):
            if not any(_in_ring(x, y, hole) for hole in rings[1:]):
                return True
    return False


def bounds(polygons) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of the polygons' outer rings."""
    xs = [p[0] for rings in polygons for p in rings[0]]
    ys = [p[1] for rings in polygons for p in rings[0]]
    return min(xs), min(ys), max(xs), max(ys)
