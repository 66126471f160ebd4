"""The hotspots' demo data (`make demo`): boundaries for the demo's five
areas around Venlo, RD coordinates for every demo address inside its area,
a building that changed owner three times in two years, a growth of shisha
lounges and belwinkels in the KvK extract, and the figures rebuilt. All
fictional; the polygons only roughly follow the real districts."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction

from casework.models import Location

from . import geo, rebuild
from .models import Area, BranchRegistration, OwnershipChange

# RD New (EPSG:28992) outer rings, closed.
AREAS: dict[str, list[list[float]]] = {
    "Blerick": [
        [206100, 375900], [208400, 375800], [208700, 377200], [208300, 378600],
        [206600, 378400], [206100, 375900],
    ],
    "Vastenavondkamp": [
        [206100, 374300], [208100, 374200], [208400, 375700], [206100, 375800],
        [206100, 374300],
    ],
    "Q4": [
        [209000, 375700], [210200, 375600], [210300, 376900], [209200, 377000],
        [209000, 375700],
    ],
    "Venlo-Oost": [
        [210400, 375500], [211900, 375600], [211900, 377900], [210500, 378000],
        [210400, 375500],
    ],
    "Tegelen": [
        [207000, 372100], [210400, 372000], [210500, 374000], [208600, 374300],
        [207100, 374100], [207000, 372100],
    ],
}  # fmt: skip

# SBI codes of the KvK extract (SBI 2008).
SHISHA = ("56302", "Shishalounge / café")
BELWINKEL = ("47421", "Winkels in telecommunicatieapparatuur (belwinkel)")
KAPPER = ("96021", "Haarverzorging")


def point_in(area: str, seed: int) -> tuple[float, float] | None:
    """A point inside the area's polygon, the same for the same seed."""
    ring = AREAS.get(area)
    if ring is None:
        return None
    polygons = [[ring]]
    min_x, min_y, max_x, max_y = geo.bounds(polygons)
    rng = random.Random(seed)
    for _attempt in range(200):
        x = round(rng.uniform(min_x, max_x), 1)
        y = round(rng.uniform(min_y, max_y), 1)
        if geo.contains(polygons, x, y):
            return x, y
    return None


def place_addresses() -> int:
    """Coordinates for the demo addresses without them (each inside its
    area). Returns how many were placed."""
    placed = []
    for location in Location.objects.filter(x__isnull=True, area__in=list(AREAS)):
        point = point_in(location.area, location.pk)
        if point is not None:
            location.x, location.y = point
            placed.append(location)
    Location.objects.bulk_update(placed, ["x", "y"], batch_size=1000)
    return len(placed)


def seed(demo) -> None:
    for name, ring in AREAS.items():
        polygons = [[ring]]
        min_x, min_y, max_x, max_y = geo.bounds(polygons)
        Area.objects.update_or_create(
            name=name,
            defaults={
                "boundary": polygons, "min_x": min_x, "min_y": min_y,
                "max_x": max_x, "max_y": max_y, "imported_by": demo.users["beheerder"],
            },
        )  # fmt: skip
    place_addresses()
    today = demo.today
    locations = list(Location.objects.filter(area__in=list(AREAS)).order_by("pk"))
    by_area: dict[str, list[Location]] = {}
    for location in locations:
        by_area.setdefault(location.area, []).append(location)
    # One building sold three times within two years: first to a person,
    # then to two companies (the pattern of a straw-man chain).
    if by_area.get("Q4"):
        building = by_area["Q4"][0]
        for days_ago, kind, kvk in (
            (700, OwnershipChange.BuyerKind.NATURAL, ""),
            (400, OwnershipChange.BuyerKind.LEGAL, "90000002"),
            (90, OwnershipChange.BuyerKind.LEGAL, "90000004"),
        ):
            OwnershipChange.objects.create(
                postcode=building.postcode, house_number=building.house_number,
                addition=building.addition, location=building,
                transferred_on=today - timedelta(days=days_ago),
                buyer_kind=kind, buyer_kvk=kvk,
            )  # fmt: skip
    # A few ordinary transfers elsewhere.
    for area, days_ago in (("Blerick", 300), ("Tegelen", 800), ("Venlo-Oost", 1500)):
        if by_area.get(area):
            place = by_area[area][-1]
            OwnershipChange.objects.create(
                postcode=place.postcode, house_number=place.house_number,
                addition=place.addition, location=place,
                transferred_on=today - timedelta(days=days_ago),
                buyer_kind=OwnershipChange.BuyerKind.NATURAL,
            )  # fmt: skip
    # Shisha lounges and belwinkels: a growth in the last two years.
    number = 100000000001
    for index, location in enumerate(locations[: min(len(locations), 18)]):
        sbi, label = (SHISHA, BELWINKEL, KAPPER)[index % 3]
        days_ago = 60 + index * 55  # the oldest about 2.7 years ago
        BranchRegistration.objects.create(
            kvk_number=f"{90000010 + index}", establishment_number=str(number + index),
            sbi_code=sbi, branch_label=label,
            registered_on=today - timedelta(days=days_ago),
            deregistered_on=(
                today - timedelta(days=days_ago - 200) if index % 5 == 4 else None
            ),
            street=location.street, postcode=location.postcode,
            house_number=location.house_number, addition=location.addition,
            city=location.city, location=location,
        )  # fmt: skip
    # The kernel's cluster of signals about a business premises (registered
    # after this seeder, on the same address): bought by a company half a year
    # ago, and a transport company registered there since.
    loods, _created = Location.objects.get_or_create(
        postcode="5928 AA", house_number=7, addition="",
        defaults={"street": "Industrieweg", "city": "Venlo", "area": "Venlo-Oost"},
    )  # fmt: skip
    place_addresses()
    OwnershipChange.objects.create(
        postcode=loods.postcode, house_number=loods.house_number, location=loods,
        transferred_on=today - timedelta(days=180),
        buyer_kind=OwnershipChange.BuyerKind.LEGAL, buyer_kvk="90000007",
    )  # fmt: skip
    BranchRegistration.objects.create(
        kvk_number="90000007", establishment_number="100000000099",
        sbi_code="49410", branch_label="Goederenvervoer over de weg",
        registered_on=today - timedelta(days=150), street=loods.street,
        postcode=loods.postcode, house_number=loods.house_number,
        city=loods.city, location=loods,
    )  # fmt: skip
    rebuild.refresh(today=today)
    # The kernel registers its own demo signals after every package's seeder;
    # place and count them too once the demo is committed.
    transaction.on_commit(_after_demo)


def _after_demo() -> None:
    place_addresses()
    rebuild.refresh()
