"""The indicators page and its CSV as every role: who gets 404, which
families each viewer counts, small numbers hidden for viewers who do not
work those cases, secondary suppression that no total undoes, and a page
whose queries do not grow with the number of cases."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from steering import facts
from steering.models import Fact

from .base import SteeringTestCase, local

QUERY = {"grain": "quarter", "start": "2026-01", "end": "2026-06", "area": ""}
Q1, Q2 = date(2026, 1, 1), date(2026, 4, 1)

# (indicator, family, month, data class) → value, all in Blerick.
FACTS = {
    ("LOD.imposed", "LOD", Q1, "D0"): 3,
    ("LOD.imposed", "LOD", Q1, "D2"): 10,
    ("LOD.imposed", "LOD", Q2, "D0"): 7,
    ("LOD.forfeited", "LOD", Q1, "D0"): 6,
    ("LOD.forfeited", "LOD", Q2, "D0"): 2,
    ("BIB.refused", "BIB", Q1, "D5"): 2,
    ("BIB.refused", "BIB", Q2, "D5"): 9,
    ("PGA.in", "PGA", Q1, "D10"): 1,
    ("PGA.in", "PGA", Q2, "D10"): 6,
    ("SIG.in.mma", "SIG", Q1, "D0"): 4,
    ("SIG.in.mma", "SIG", Q2, "D0"): 12,
    ("SIG.in.mma", "SIG", Q1, "D3"): 5,
}

VIEWERS = ("burgemeester", "jurist", "bibob", "coordinator", "casusregisseur")
REFUSED = ("toezicht", "fg", "beheerder", "invordering", "vergunning", "corporatie")


def cells(response, family, indicator) -> list[str]:
    """The texts of one row of the page: the periods, then the total."""
    for item in response.context["families"]:
        if item["code"] == family:
            for row in item["table"].rows:
                if row.code == indicator:
                    return [c.text for c in row.cells] + [row.total.text]
    raise AssertionError(f"{family}/{indicator} not shown")


def family_codes(response) -> list[str]:
    return [item["code"] for item in response.context["families"]]


class PageTests(SteeringTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        Fact.objects.bulk_create(
            Fact(
                indicator=indicator,
                family=family,
                month=month,
                area="Blerick",
                data_class=data_class,
                value=value,
            )
            for (indicator, family, month, data_class), value in FACTS.items()
        )

    def get(self, username, url="/steering/", **params):
        self.client.force_login(self.users[username])
        return self.client.get(url, {**QUERY, **params})

    def test_steering_viewers_open_the_page_and_others_get_404(self):
        for username in (*VIEWERS, "politie"):
            with self.subTest(username):
                self.assertEqual(self.get(username).status_code, 200)
                csv = self.get(username, "/steering/indicators.csv")
                self.assertEqual(csv.status_code, 200)
        for username in REFUSED:
            with self.subTest(username):
                self.assertEqual(self.get(username).status_code, 404)
                csv = self.get(username, "/steering/indicators.csv")
                self.assertEqual(csv.status_code, 404)

    def test_anonymous_users_go_to_the_login_page(self):
        for url in ("/steering/", "/steering/indicators.csv"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302)
            self.assertIn("/accounts/login/", response["Location"])

    def test_the_coordinator_sees_its_own_families_exactly(self):
        response = self.get("coordinator")
        self.assertNotIn("BIB", family_codes(response))  # no D5
        self.assertEqual(cells(response, "LOD", "LOD.imposed"), ["13", "7", "20"])
        self.assertEqual(cells(response, "SIG", "SIG.in.mma"), ["9", "12", "21"])
        # Not a casusregisseur: the PGA's 1 is hidden, and the 6 beside it,
        # else the row total 7 would give it away.
        self.assertEqual(cells(response, "PGA", "PGA.in"), ["< 5", "×", "7"])

    def test_the_mayor_sees_bibob_figures_exactly(self):
        response = self.get("burgemeester")
        self.assertEqual(cells(response, "BIB", "BIB.refused"), ["2", "9", "11"])
        self.assertEqual(cells(response, "LOD", "LOD.forfeited"), ["6", "2", "8"])

    def test_the_bibob_coordinator_sees_lod_figures_suppressed(self):
        response = self.get("bibob")
        self.assertEqual(cells(response, "BIB", "BIB.refused"), ["2", "9", "11"])
        self.assertEqual(cells(response, "LOD", "LOD.forfeited"), ["×", "< 5", "8"])

    def test_the_casusregisseur_and_the_jurist(self):
        response = self.get("casusregisseur")
        self.assertNotIn("BIB", family_codes(response))
        self.assertEqual(cells(response, "PGA", "PGA.in"), ["1", "6", "7"])
        self.assertEqual(cells(response, "LOD", "LOD.forfeited"), ["×", "< 5", "8"])
        response = self.get("jurist")
        self.assertNotIn("BIB", family_codes(response))
        self.assertEqual(cells(response, "LOD", "LOD.forfeited"), ["6", "2", "8"])
        self.assertEqual(cells(response, "PGA", "PGA.in"), ["< 5", "×", "7"])

    def test_the_partner_sees_no_bibob_and_no_small_number(self):
        response = self.get("politie")
        self.assertNotIn("BIB", family_codes(response))
        # Only D0 and D10 count: the D2 and D3 facts are not the partner's.
        self.assertEqual(cells(response, "LOD", "LOD.imposed"), ["< 5", "×", "10"])
        self.assertEqual(cells(response, "SIG", "SIG.in.mma"), ["< 5", "×", "16"])
        for item in response.context["families"]:
            table = item["table"]
            for row in table.rows:
                for cell in (*row.cells, row.total):
                    with self.subTest(item["code"], row=row.code):
                        self.assertFalse(cell.value is not None and 0 < cell.value < 5)
            for cell in (*table.column_totals, table.grand_total):
                self.assertFalse(cell.value is not None and 0 < cell.value < 5)
        self.assertNotContains(response, "Bibob")

    def test_no_hidden_cell_can_be_recomputed_from_a_total(self):
        for username in (*VIEWERS, "politie"):
            response = self.get(username)
            for item in response.context["families"]:
                table = item["table"]
                lines = [(row.cells, row.total) for row in table.rows]
                lines += [
                    ([row.cells[j] for row in table.rows], total)
                    for j, total in enumerate(table.column_totals)
                ]
                lines.append(([row.total for row in table.rows], table.grand_total))
                lines.append((table.column_totals, table.grand_total))
                for line, total in lines:
                    if total.suppressed:
                        continue
                    with self.subTest(username, family=item["code"]):
                        self.assertNotEqual(sum(c.suppressed for c in line), 1)

    def test_the_csv_holds_exactly_the_page(self):
        response = self.get("politie", "/steering/indicators.csv")
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        text = response.content.decode("utf-8")
        self.assertTrue(text.startswith("\ufeff"))
        lines = text[1:].split("\r\n")
        self.assertEqual(lines[0], "Wijk;Soort;Code;Indicator;K1 2026;K2 2026;Totaal")
        self.assertIn("Alle gebieden;", lines[1])
        imposed = next(line for line in lines if ";LOD.imposed;" in line)
        self.assertTrue(imposed.endswith(";< 5;×;10"), imposed)
        self.assertNotIn("BIB.", text)
        self.assertNotIn("Bibob", text)
        response = self.get("coordinator", "/steering/indicators.csv")
        imposed = next(
            line
            for line in response.content.decode().split("\r\n")
            if ";LOD.imposed;" in line
        )
        self.assertTrue(imposed.endswith(";13;7;20"), imposed)

    def test_an_area_filter_and_months(self):
        response = self.get("coordinator", grain="month", area="Blerick")
        self.assertEqual(len(response.context["table"].periods), 6)
        self.assertEqual(
            cells(response, "LOD", "LOD.imposed"), ["13", "0", "0", "7", "0", "0", "20"]
        )
        response = self.get("coordinator", area="Tegelen")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)  # not an area of facts

    def test_bad_filters_are_refused_in_dutch(self):
        response = self.get("coordinator", grain="month", start="2025-01")
        self.assertContains(response, "Kies ten hoogste 8 perioden")
        response = self.get("coordinator", start="2026-05", end="2026-01")
        self.assertContains(response, "De laatste maand ligt vóór de eerste")
        response = self.get("coordinator", start="2026-13")
        self.assertContains(response, "Geef een maand op")
        csv = self.get("coordinator", "/steering/indicators.csv", start="x")
        self.assertEqual(csv.status_code, 400)

    def test_the_default_is_the_last_four_quarters(self):
        self.client.force_login(self.users["coordinator"])
        response = self.client.get("/steering/")
        self.assertEqual(len(response.context["table"].periods), 4)
        self.assertContains(response, "Indicatoren")

    def test_charts_are_svg_images_without_styles_or_scripts(self):
        response = self.get("coordinator")
        self.assertContains(response, '<img src="/steering/chart.svg?')
        self.assertContains(response, "family=LOD")
        chart = self.get("coordinator", "/steering/chart.svg", family="LOD")
        self.assertEqual(chart.status_code, 200)
        self.assertEqual(chart["Content-Type"], "image/svg+xml; charset=utf-8")
        svg = chart.content.decode()
        self.assertTrue(svg.startswith("<svg"))
        self.assertNotIn("style=", svg)
        self.assertNotIn("<script", svg)
        self.assertIn("Lasten onder dwangsom opgelegd", svg)
        # Drawn once, then taken from the cache: the same markup.
        again = self.get("coordinator", "/steering/chart.svg", family="LOD")
        self.assertEqual(again.content, chart.content)

    def test_a_chart_of_a_family_the_viewer_does_not_count_is_404(self):
        for username in ("politie", "jurist", "coordinator"):
            chart = self.get(username, "/steering/chart.svg", family="BIB")
            self.assertEqual(chart.status_code, 404)
        self.assertEqual(
            self.get("bibob", "/steering/chart.svg", family="BIB").status_code, 200
        )
        self.assertEqual(
            self.get("bibob", "/steering/chart.svg", family="XYZ").status_code, 404
        )
        for username in REFUSED:
            chart = self.get(username, "/steering/chart.svg", family="LOD")
            self.assertEqual(chart.status_code, 404)

    def test_the_area_list_is_the_distinct_areas_the_viewer_counts(self):
        from permissions.figures import figure_scope
        from steering.indicators import areas, areas_orm

        Fact.objects.create(
            indicator="BIB.refused", family="BIB", month=Q1, area="Arcen",
            data_class="D5", value=1,
        )  # fmt: skip
        Fact.objects.create(
            indicator="LOD.imposed", family="LOD", month=Q1, area="Tegelen",
            data_class="D2", value=3,
        )  # fmt: skip
        expected = {
            "bibob": ["Arcen", "Blerick", "Tegelen"],
            "politie": ["Blerick"],
            "jurist": ["Blerick", "Tegelen"],
        }
        for username, found in expected.items():
            scope = figure_scope(self.users[username])
            with self.subTest(username):
                self.assertEqual(areas(scope), found)
                self.assertEqual(areas_orm(scope), found)

    def test_the_menu_offers_the_page_to_viewers_only(self):
        self.client.force_login(self.users["coordinator"])
        self.assertContains(self.client.get("/"), 'href="/steering/"')
        self.client.force_login(self.users["toezicht"])
        self.assertNotContains(self.client.get("/"), 'href="/steering/"')

    def test_stand_shows_when_the_figures_were_computed(self):
        response = self.get("coordinator")
        self.assertContains(response, "De cijfers zijn nog niet berekend")
        facts.refresh(date(2026, 11, 1))
        response = self.get("coordinator")
        self.assertContains(response, "Stand: ")


class QueryCountTests(SteeringTestCase):
    def page_queries(self) -> int:
        self.client.force_login(self.users["coordinator"])
        self.client.get("/steering/", QUERY)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/steering/", QUERY)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def add_cases(self, n):
        for i in range(n):
            case = self.case("LOD", area=f"Wijk {i % 3}")
            self.event(case, "A40", local(2026, 1 + i % 6, 10))
        facts.refresh()

    def test_the_page_reads_a_fixed_number_of_queries(self):
        self.add_cases(3)
        few = self.page_queries()
        self.add_cases(30)
        self.assertEqual(self.page_queries(), few)
        self.assertLessEqual(few, 10)


class HostileQueryTests(SteeringTestCase):
    """What tests/casework/test_hostile_input.py sends to every query
    parameter, here for the steering URLs: no crash, no NUL byte in a query,
    refusals in Dutch."""

    VALUES = ["a\x00b", "x" * 100_000, "9" * 40, "-5", "9999-12", "0000-00"]

    def test_every_parameter_with_hostile_values(self):
        self.client.force_login(self.users["coordinator"])
        for url in ("/steering/", "/steering/indicators.csv", "/steering/chart.svg"):
            for name in ("area", "grain", "start", "end", "family"):
                for value in self.VALUES:
                    with self.subTest(url=url, name=name, value=value[:12]):
                        with CaptureQueriesContext(connection) as queries:
                            response = self.client.get(url, {name: value})
                        self.assertIn(response.status_code, (200, 400, 404))
                        self.assertFalse(
                            any("\x00" in q["sql"] for q in queries.captured_queries)
                        )
                        text = response.content.decode("utf-8", "replace")
                        self.assertNotIn("Enter a valid", text)
                        self.assertNotIn("Select a valid choice", text)
