"""Coordinates: the WGS84 → RD approximation against published points, the
RD bounds of a location, points in polygons, and the demo's addresses
inside their areas."""

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase

from casework.models import Location
from hotspots import demo, geo
from lookups.clients import Address
from lookups.services import store_coordinates
from tests.hotspots.base import HotspotWorld


class ConversionTests(SimpleTestCase):
    def test_amersfoort_is_the_origin(self):
        self.assertEqual(geo.wgs84_to_rd(5.38720621, 52.15517440), (155000.0, 463000.0))

    def test_westertoren_within_a_metre(self):
        # The Westertoren, Amsterdam: RD (120700.723, 487525.501), the
        # reference point of the approximation's publication.
        x, y = geo.wgs84_to_rd(4.88352559, 52.37453253)
        self.assertAlmostEqual(x, 120700.723, delta=1.0)
        self.assertAlmostEqual(y, 487525.501, delta=1.0)

    def test_bounds(self):
        self.assertTrue(geo.in_rd_bounds(209500, 376000))
        self.assertFalse(geo.in_rd_bounds(209500, 100000))
        self.assertTrue(geo.in_wgs84_bounds(6.17, 51.37))
        self.assertFalse(geo.in_wgs84_bounds(2.35, 48.85))


class PolygonTests(SimpleTestCase):
    square = [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ]

    def test_inside_outside_and_the_hole(self):
        self.assertTrue(geo.contains([self.square], 2, 2))
        self.assertFalse(geo.contains([self.square], 5, 5))
        self.assertFalse(geo.contains([self.square], 12, 2))
        self.assertEqual(geo.bounds([self.square]), (0, 0, 10, 10))

    def test_demo_points_lie_in_their_area(self):
        for area in demo.AREAS:
            for seed in range(20):
                x, y = demo.point_in(area, seed)
                self.assertTrue(geo.contains([[demo.AREAS[area]]], x, y), (area, seed))
                self.assertTrue(206000 <= x <= 212000 and 372000 <= y <= 379000)

    def test_demo_areas_do_not_overlap(self):
        for area in demo.AREAS:
            for other in demo.AREAS:
                if other != area:
                    x, y = demo.point_in(area, 1)
                    self.assertFalse(geo.contains([[demo.AREAS[other]]], x, y))


class LocationCoordinateTests(TestCase):
    def location(self, **kwargs):
        return Location(postcode="5912 AB", house_number=1, city="Venlo", **kwargs)

    def test_rd_bounds_validated(self):
        self.location(x=209500.5, y=376000.25).full_clean()
        self.location().full_clean()  # coordinates are optional
        for x, y in (
            (-8000, 376000),
            (301000, 376000),
            (209500, 288000),
            (209500, 630000),
        ):
            with self.subTest(x=x, y=y), self.assertRaises(ValidationError):
                self.location(x=x, y=y).full_clean()

    def test_demo_places_addresses(self):
        inside = Location.objects.create(
            postcode="5931 HK", house_number=3, city="Tegelen", area="Tegelen"
        )
        elsewhere = Location.objects.create(
            postcode="1012 AB", house_number=3, city="Amsterdam", area="Centrum"
        )
        self.assertEqual(demo.place_addresses(), 1)
        inside.refresh_from_db()
        elsewhere.refresh_from_db()
        self.assertTrue(geo.contains([[demo.AREAS["Tegelen"]]], inside.x, inside.y))
        self.assertIsNone(elsewhere.x)


class LookupCoordinateTests(HotspotWorld):
    def test_a_bag_lookup_stores_the_point_on_the_cases_address(self):
        world = self
        location = world.location("Vleesstraat", 14, "5912 AB", "Q4")
        other = world.location("Vleesstraat", 14, "5912 AB", "Q4")
        case = world.case("LOD", "D2", location)
        found = Address(
            "Vleesstraat", 14, "", "", "5912 AB", "Venlo", "1", "0983010000000014",
            x=209650.0, y=376410.0,
        )  # fmt: skip
        self.assertEqual(store_coordinates(case=case, address=found), 1)
        location.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual((location.x, location.y), (209650.0, 376410.0))
        self.assertIsNone(other.x)  # not this case's
        outside = Address("Vleesstraat", 14, "", "", "5912 AB", "Venlo", "1", "",
                          x=1e6, y=1e6)  # fmt: skip
        self.assertEqual(store_coordinates(case=case, address=outside), 0)
