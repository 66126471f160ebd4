"""Quarters as the governance writes them ("2026-K3")."""

from datetime import date

from django.test import SimpleTestCase

from reports.periods import Quarter, parse_quarter, parse_year


class QuarterTests(SimpleTestCase):
    def test_a_quarter_runs_from_its_first_to_its_last_day(self):
        q = parse_quarter("2026-K3")
        self.assertEqual((q.start, q.end), (date(2026, 7, 1), date(2026, 9, 30)))
        self.assertEqual(str(q), "2026-K3")
        self.assertEqual(parse_quarter("2024-K1").end, date(2024, 3, 31))
        self.assertEqual(parse_quarter("2026-K4").end, date(2026, 12, 31))

    def test_the_quarter_and_the_three_before_cross_the_year(self):
        quarters = parse_quarter("2026-K2").with_previous(3)
        self.assertEqual(
            [str(q) for q in quarters], ["2025-K3", "2025-K4", "2026-K1", "2026-K2"]
        )

    def test_spellings(self):
        for text in ("2026-K3", "2026 K3", "2026K3", "2026-q3", " 2026-Q3 "):
            self.assertEqual(parse_quarter(text), Quarter(2026, 3), text)
        for text in ("", "2026", "2026-K5", "2026-K0", "K3-2026", "1999-K1", "x"):
            self.assertIsNone(parse_quarter(text), text)
        self.assertEqual(Quarter.containing(date(2026, 12, 6)), Quarter(2026, 4))

    def test_years(self):
        self.assertEqual(parse_year("2026"), 2026)
        for text in ("", "26", "20x6", "1999", "2101"):
            self.assertIsNone(parse_year(text), text)
