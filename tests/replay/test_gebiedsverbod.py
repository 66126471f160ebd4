"""Issue 14, gebiedsverbod / verblijfsontzegging through `manage.py replay`:
hand-worked scenarios in tests/replay/gebiedsverbod/ (docs/domain.md §10.3,
§10.4; Gemeentewet art. 172a). Durations are computed as docs/domain.md §10.4
says: a period of N months from day D ends on the day before the same date N
months later; the Atw never moves the end of a measure, but it does move the
bezwaartermijn (Awb 6:7, 6:8). Every date is in the scenario's description."""

from pathlib import Path

from tests.replay.base import ReplayTestCase

DOCS = Path(__file__).resolve().parents[2] / "docs" / "scenarios"


class GebiedsverbodReplayTests(ReplayTestCase):
    def test_order_from_police_report_to_expiry_gemw_172a_lid_6(self):
        """172a lid 1 (repeated), Awb 4:8 views term 23 February + 7 days = 2
        March; only the burgemeester signs (Gemw 177 lid 2); made known 6
        March, from 9 March until 8 June (lid 6 a); bezwaar until 17 April;
        expiry refused on 8 June, accepted on 9 June."""
        lines = self.assert_scenario("gebiedsverbod/order_to_expiry.json")
        self.assertEqual(lines[9]["why"][0]["date"], "2026-06-08")

    def test_dates_of_the_besluit_and_its_bekendmaking_awb_4_8_and_3_40(self):
        """Awb 4:8 (no order before the views term ended, 2 March), Gemw 172a
        lid 6 a (9 June is past 8 June), Awb 3:40 (no start before the order,
        no start before the bekendmaking), Awb 3:41 (no bekendmaking before
        the order); the intention before the first incident is refused (172a
        lid 1)."""
        lines = self.assert_scenario("gebiedsverbod/besluit_dates.json")
        dates = [line["why"][0]["date"] for line in lines if line["why"]]
        self.assertEqual(
            dates,
            [
                "2026-02-18",
                "2026-03-02",
                "2026-03-02",
                "2026-06-08",
                "2026-03-03",
                "2026-03-03",
                "2026-03-09",
            ],
        )

    def test_three_extensions_at_most_gemw_172a_lid_6_a(self):
        """172a lid 6 a: 9 June + 3 months ends 8 September (9 September
        refused); views after the decision refused (Awb 4:8); an extension
        made known after the end refused; ends 8 December and 8 March 2027;
        bezwaar on the first extension until 14 July; the fourth refused."""
        self.assert_scenario("gebiedsverbod/extensions.json")

    def test_apv_verblijfsontzegging_as_urgent_order_awb_4_11(self):
        """APV 2:79 (14 days, no extension): 11 April + 13 days = 24 April
        (25 April refused); bezwaar from Saturday 11 April: 23 May, moved by
        Atw art. 1 past Sunday and tweede Pinksterdag to 26 May; a violation
        outside the term or after expiry is refused (Sr 184)."""
        self.assert_scenario("gebiedsverbod/apv_urgent.json")

    def test_the_worked_scenario_of_the_docs_runs_as_documented(self):
        """docs/scenarios/gebiedsverbod.json (the worked scenario of
        docs/gebiedsverbod.md): the same dates as the police-report-to-expiry
        scenario, every expectation met."""
        self.assert_scenario(str(DOCS / "gebiedsverbod.json"))
