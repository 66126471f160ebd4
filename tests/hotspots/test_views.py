"""The hotspot pages as each role: who gets them (404 for the rest), what
each sees per address (BIB and PGA only for their roles, small numbers
hidden), the access log for police data, the map with and without a base
layer, and query counts that do not grow with the rows."""

from django.test import override_settings
from django.urls import reverse

from hotspots import map as hotspot_map
from hotspots import rebuild, selectors
from permissions.figures import figure_scope
from permissions.models import AccessLog
from tests.hotspots.base import TODAY, HotspotWorld

FIGURE_PAGES = ("hotspots:list", "hotspots:areas", "hotspots:map")
VIEWERS = (
    "coordinator",
    "burgemeester",
    "bibob",
    "casusregisseur",
    "jurist",
    "politie",
)
OUTSIDERS = ("toezicht", "fg", "beheerder", "invordering", "vergunning")


class PageAccessTests(HotspotWorld):
    def test_viewers_get_the_pages_and_the_rest_404(self):
        for username in VIEWERS:
            self.client.force_login(self.users[username])
            for name in FIGURE_PAGES:
                with self.subTest(username=username, page=name):
                    self.assertEqual(self.client.get(reverse(name)).status_code, 200)
        for username in OUTSIDERS:
            self.client.force_login(self.users[username])
            for name in FIGURE_PAGES:
                with self.subTest(username=username, page=name):
                    self.assertEqual(self.client.get(reverse(name)).status_code, 404)
            response = self.client.get(reverse("hotspots:address", args=[self.a.pk]))
            self.assertEqual(response.status_code, 404)

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("hotspots:list"))
        self.assertEqual(response.status_code, 302)

    def test_post_is_refused(self):
        self.client.force_login(self.users["coordinator"])
        self.assertEqual(self.client.post(reverse("hotspots:list")).status_code, 405)


class AddressPageTests(HotspotWorld):
    def page(self, username, location):
        self.client.force_login(self.users[username])
        return self.client.get(reverse("hotspots:address", args=[location.pk]))

    def test_bibob_figures_only_for_its_roles(self):
        for username, shown in (
            ("coordinator", False), ("burgemeester", True), ("bibob", True),
            ("casusregisseur", False),
        ):  # fmt: skip
            with self.subTest(username=username):
                body = self.page(username, self.a).content.decode()
                self.assertIs("Bibob-toets" in body, shown)

    def test_pga_figures_only_for_the_casusregisseur(self):
        for username, shown in (
            ("coordinator", False), ("burgemeester", False), ("bibob", False),
            ("casusregisseur", True),
        ):  # fmt: skip
            with self.subTest(username=username):
                body = self.page(username, self.a).content.decode()
                self.assertIs("Persoonsgerichte aanpak" in body, shown)

    def test_small_numbers_hidden_where_the_role_does_not_work_them(self):
        scope = figure_scope(self.users["burgemeester"])
        sections, _classes = selectors.address_sections(scope, self.a.pk)
        kadaster = next(s for s in sections if "Kadaster" in s.title)
        self.assertEqual(kadaster.table.rows[0].cells[0].text, "< 5")
        scope = figure_scope(self.users["coordinator"])
        sections, _classes = selectors.address_sections(scope, self.a.pk)
        kadaster = next(s for s in sections if "Kadaster" in s.title)
        self.assertEqual(kadaster.table.rows[0].cells[0].text, "3")

    def test_an_address_with_nothing_visible_is_404(self):
        # The partner sees no number at these addresses (all hidden).
        self.assertEqual(self.page("politie", self.a).status_code, 404)
        # Only a Bibob case: the coordinator does not count the family.
        only_bibob = self.location("Grotestraat", 9, "5931 HK", "Tegelen")
        self.case("BIB", "D5", only_bibob)
        rebuild.refresh(today=TODAY)
        self.assertEqual(self.page("coordinator", only_bibob).status_code, 404)
        self.assertEqual(self.page("bibob", only_bibob).status_code, 200)
        self.assertEqual(self.page("coordinator", self.a).status_code, 200)
        self.assertEqual(
            self.page("coordinator", type(self.a)(pk=999999)).status_code, 404
        )

    def test_police_data_is_a_logged_read(self):
        before = AccessLog.objects.count()
        self.assertEqual(self.page("coordinator", self.a).status_code, 200)
        row = AccessLog.objects.order_by("-pk").first()
        self.assertEqual(AccessLog.objects.count(), before + 1)
        self.assertEqual(
            (row.username, row.object_type, row.object_id, row.data_class),
            # Police data (D3) is the highest class the coordinator sees
            # there (no PGA per address).
            ("coordinator", "location", str(self.a.pk), "D3"),
        )

    def test_no_log_without_sensitive_numbers(self):
        before = AccessLog.objects.count()
        self.assertEqual(self.page("coordinator", self.b).status_code, 200)
        self.assertEqual(AccessLog.objects.count(), before)


class ListTests(HotspotWorld):
    def test_ranked_for_the_coordinator(self):
        scope = figure_scope(self.users["coordinator"])
        rows = selectors.top_addresses(scope)
        self.assertEqual(
            [(r.location_id, r.score) for r in rows],
            [(self.a.pk, 16), (self.b.pk, 4), (self.c.pk, 1)],
        )
        self.assertEqual(rows[0].cells["SIG"].text, "6")
        self.assertEqual(rows[0].cells["LOD"].text, "2")
        self.assertNotIn("BIB", rows[0].cells)
        self.assertNotIn("PGA", rows[0].cells)
        self.assertEqual(rows[0].address, str(self.a))
        self.assertEqual(selectors.top_addresses(scope, area="Blerick")[0].score, 1)

    def test_filters_and_keyset(self):
        self.client.force_login(self.users["coordinator"])
        url = reverse("hotspots:list")
        body = self.client.get(url, {"area": "Q4"}).content.decode()
        self.assertIn("Nolensplein", body)
        self.assertNotIn("Antoniuslaan", body)
        body = self.client.get(url, {"source": "mma"}).content.decode()
        self.assertIn("Antoniuslaan", body)
        self.assertNotIn("Vleesstraat", body)
        body = self.client.get(url, {"min_score": 5}).content.decode()
        self.assertNotIn("Vleesstraat", body)
        body = self.client.get(url, {"after": f"16:{self.a.pk}"}).content.decode()
        self.assertNotIn("Nolensplein", body)
        self.assertIn("Vleesstraat", body)
        response = self.client.get(url, {"family": "SIG", "source": "mma"})
        self.assertContains(response, "niet op beide")
        self.assertEqual(self.client.get(url, {"after": "x"}).status_code, 200)

    def test_queries_do_not_grow_with_rows(self):
        self.client.force_login(self.users["coordinator"])
        url = reverse("hotspots:list")
        self.client.get(url)
        with self.assertNumQueries(8) as first:
            self.client.get(url)
        for n in range(30):
            where = self.location("Stalberg", 100 + n, "5914 EG", "Venlo-Oost")
            self.signal("burger", "D0", TODAY, where)
        rebuild.refresh(today=TODAY)
        with self.assertNumQueries(len(first.captured_queries)):
            response = self.client.get(url)
        self.assertContains(response, "Volgende adressen")

    def test_areas_page_and_rows(self):
        scope = figure_scope(self.users["politie"])
        rows = {r.area: r for r in selectors.area_rows(scope)}
        # The partner counts the D0 signals in Q4 (3 + 2), not the police's
        # (it reads D3 only as its own items), and hides ownership changes.
        self.assertEqual(rows["Q4"].cells["SIG"].text, "5")
        self.assertEqual(rows["Blerick"].cells["SIG"].text, "0")
        self.assertEqual(rows["Q4"].cells["KAD"].text, "< 5")
        scope = figure_scope(self.users["coordinator"])
        rows = {r.area: r for r in selectors.area_rows(scope)}
        self.assertEqual(rows["Q4"].cells["SIG"].text, "8")
        # PGA per area for the coordinator: aggregate, 1 < 5, not exact.
        self.assertEqual(rows["Q4"].cells["PGA"].text, "< 5")
        self.client.force_login(self.users["coordinator"])
        with self.assertNumQueries(7):
            self.client.get(reverse("hotspots:areas"))


class MapTests(HotspotWorld):
    def setUp(self):
        from hotspots.models import Area

        Area.objects.create(
            name="Q4", boundary=[[[[209000, 375700], [210200, 375600], [210300, 376900],
                                    [209000, 375700]]]],
            min_x=209000, min_y=375600, max_x=210300, max_y=376900,
        )  # fmt: skip

    def test_svg_has_points_and_polygons(self):
        scope = figure_scope(self.users["coordinator"])
        svg = hotspot_map.svg(scope, base_layer="")
        self.assertEqual(svg.count("<circle"), 3)
        self.assertEqual(svg.count("<polygon"), 1)
        self.assertIn(f'href="/hotspots/address/{self.a.pk}/"', svg)
        self.assertIn(f"<title>{self.a} — score 16</title>", svg)
        self.assertNotIn("<image", svg)

    def test_base_layer_tiles_under_the_vectors(self):
        scope = figure_scope(self.users["coordinator"])
        template = "https://tiles.example/{z}/{x}/{y}.png"
        svg = hotspot_map.svg(scope, base_layer=template)
        self.assertIn('href="https://tiles.example/', svg)
        self.assertLess(svg.index("<image"), svg.index("<polygon"))
        self.assertLessEqual(svg.count("<image"), hotspot_map.MAX_TILES)

    @override_settings(HOTSPOTS_BASE_LAYER_URL="https://tiles.example/{z}/{x}/{y}.png")
    def test_page_uses_the_setting(self):
        self.client.force_login(self.users["coordinator"])
        response = self.client.get(reverse("hotspots:map"))
        self.assertContains(response, "https://tiles.example/")
        self.assertContains(response, "PDOK")

    def test_page_without_base_layer(self):
        self.client.force_login(self.users["burgemeester"])
        response = self.client.get(reverse("hotspots:map"))
        self.assertContains(response, "<svg")
        self.assertNotContains(response, "<image")
        self.assertContains(response, "<circle", count=3)

    def test_partner_map_has_no_points(self):
        scope = figure_scope(self.users["politie"])
        self.assertEqual(hotspot_map.svg(scope).count("<circle"), 0)

    def test_reportlab_drawing(self):
        from reportlab.graphics.shapes import Circle, Polygon

        scope = figure_scope(self.users["coordinator"])
        drawing = hotspot_map.drawing(scope)
        kinds = [type(c) for c in drawing.contents]
        self.assertEqual(kinds.count(Circle), 3)
        self.assertEqual(kinds.count(Polygon), 1)


class HostileInputTests(HotspotWorld):
    def test_odd_parameters_are_ignored_not_crashed(self):
        self.client.force_login(self.users["coordinator"])
        for query in (
            {"area": "\x00"}, {"area": "x" * 5000}, {"min_score": "-1"},
            {"min_score": "9" * 40}, {"after": "99999999999:1"}, {"after": "1:\x00"},
            {"family": "<script>"}, {"source": "'; DROP TABLE x"},
        ):  # fmt: skip
            for name in ("hotspots:list", "hotspots:map"):
                with self.subTest(query=query, page=name):
                    response = self.client.get(reverse(name), query)
                    self.assertEqual(response.status_code, 200)
        for upload in ("\x00", "x" * 100, "00000000-0000-0000-0000-000000000000"):
            response = self.client.get(
                reverse("hotspots:register_import"), {"upload": upload}
            )
            self.assertEqual(response.status_code, 404)
        response = self.client.post(
            reverse("hotspots:register_import_confirm"), {"upload": "\x00"}
        )
        self.assertEqual(response.status_code, 404)
