"""Hand-computed terms (docs/domain.md §1). Each row: triggering event, length, Atw
applied?, expected last day, and the reasoning done with a calendar."""

from datetime import date

from django.test import SimpleTestCase

from casework.terms import Suspension, atw_holidays, compute_term
from workflows.bibob.terms import bibob_art31_cap

D = date
S = Suspension

# (event, unit, n, atw, expected, suspensions, extension_days, why)
TABLE = [
    (D(2026, 3, 20), "weeks", 2, True, D(2026, 4, 7), (), 0,
     "Fri+2w = Fri 04-03 Goede Vrijdag; Sat, Sun, Mon 2e Paasdag → Tue"),
    (D(2026, 3, 23), "weeks", 2, True, D(2026, 4, 7), (), 0,
     "Mon+2w = Mon 04-06 tweede Paasdag → Tue 04-07"),
    (D(2026, 4, 13), "weeks", 2, True, D(2026, 4, 28), (), 0,
     "Mon+2w = Mon 04-27 Koningsdag → Tue 04-28"),
    (D(2026, 4, 21), "weeks", 2, True, D(2026, 5, 6), (), 0,
     "Tue+2w = Tue 05-05: 5 mei counts in 2026 (not a lustrum year) → Wed"),
    (D(2027, 4, 21), "weeks", 2, True, D(2027, 5, 7), (), 0,
     "Wed+2w = Wed 2027-05-05 (5 mei), Thu 05-06 Hemelvaart 2027 → Fri 05-07"),
    (D(2026, 4, 30), "weeks", 2, True, D(2026, 5, 15), (), 0,
     "Thu+2w = Thu 05-14 Hemelvaartsdag → Fri 05-15"),
    (D(2026, 5, 11), "weeks", 2, True, D(2026, 5, 26), (), 0,
     "Mon+2w = Mon 05-25 tweede Pinksterdag → Tue 05-26"),
    (D(2026, 12, 11), "weeks", 2, True, D(2026, 12, 28), (), 0,
     "Fri+2w = Fri 12-25 Kerstdag; Sat 26 (2e Kerstdag), Sun 27 → Mon 12-28"),
    (D(2026, 12, 18), "weeks", 2, True, D(2027, 1, 4), (), 0,
     "Fri+2w = Fri 2027-01-01 Nieuwjaarsdag; Sat, Sun → Mon 2027-01-04"),
    (D(2025, 4, 12), "weeks", 2, True, D(2025, 4, 28), (), 0,
     "Sat+2w = Sat 2025-04-26 (Koningsdag moved from Sunday 27th); Sun → Mon"),
    (D(2025, 4, 7), "weeks", 2, True, D(2025, 4, 22), (), 0,
     "Mon+2w = Mon 2025-04-21 tweede Paasdag → Tue 04-22"),
    (D(2025, 4, 4), "weeks", 2, True, D(2025, 4, 22), (), 0,
     "Fri+2w = Fri 2025-04-18 Goede Vrijdag; Sat, Sun, Mon 2e Paasdag → Tue"),
    (D(2025, 4, 21), "weeks", 2, True, D(2025, 5, 6), (), 0,
     "Mon+2w = Mon 2025-05-05 (5 mei) → Tue 05-06"),
    (D(2027, 3, 12), "weeks", 2, True, D(2027, 3, 30), (), 0,
     "Fri+2w = Fri 2027-03-26 Goede Vrijdag; Sat, Sun, Mon 29 2e Paasdag → Tue"),
    (D(2027, 4, 13), "weeks", 2, True, D(2027, 4, 28), (), 0,
     "Tue+2w = Tue 2027-04-27 Koningsdag → Wed 04-28"),
    (D(2027, 5, 3), "weeks", 2, True, D(2027, 5, 18), (), 0,
     "Mon+2w = Mon 2027-05-17 tweede Pinksterdag → Tue 05-18"),
    (D(2028, 4, 21), "weeks", 2, True, D(2028, 5, 8), (), 0,
     "Fri+2w = Fri 2028-05-05 (5 mei, not a lustrum year either); Sat, Sun → Mon"),
    (D(2026, 1, 3), "weeks", 6, True, D(2026, 2, 16), (), 0,
     "Sat+6w = Sat 02-14; art 1 → Mon 02-16"),
    (D(2026, 1, 4), "weeks", 6, True, D(2026, 2, 16), (), 0,
     "Sun+6w = Sun 02-15; art 1 → Mon 02-16"),
    (D(2026, 1, 5), "weeks", 6, True, D(2026, 2, 16), (), 0,
     "Mon+6w = Mon 02-16, a working day: unchanged"),
    (D(2026, 1, 3), "weeks", 6, False, D(2026, 2, 14), (), 0,
     "organ-set term, Atw not applied: stays on Saturday 02-14"),
    (D(2026, 11, 26), "weeks", 6, True, D(2027, 1, 7), (), 0,
     "bezwaartermijn: Thu 2026-11-26 + 6w = Thu 2027-01-07, a working day"),
    (D(2026, 11, 14), "weeks", 6, True, D(2026, 12, 28), (), 0,
     "Sat+6w = Sat 12-26 (2e Kerstdag); Sun 27 → Mon 12-28"),
    (D(2026, 12, 28), "days", 4, True, D(2027, 1, 4), (), 0,
     "Mon+4d = Fri 2027-01-01 Nieuwjaarsdag; Sat, Sun → Mon 01-04"),
    (D(2026, 12, 24), "days", 3, True, D(2026, 12, 29), (), 0,
     "start Fri 25 (Kerst), end Sun 27 → art 1 Mon 28; only Mon 28 is a working "
     "day in the term → art 2 → Tue 12-29"),
    (D(2026, 4, 2), "days", 3, True, D(2026, 4, 8), (), 0,
     "start Fri 04-03 (Goede Vrijdag), end Sun 04-05 → art 1 Tue 04-07 (Mon is "
     "2e Paasdag); one working day → art 2 → Wed 04-08"),
    (D(2026, 4, 3), "days", 2, True, D(2026, 4, 7), (), 0,
     "a 2-day term: art 1 only (Sun 04-05 → Tue 04-07), art 2 needs 3 days"),
    (D(2026, 1, 8), "days", 3, True, D(2026, 1, 12), (), 0,
     "start Fri 01-09, end Sun 01-11 → Mon 01-12; Fri and Mon: two working days"),
    (D(2026, 5, 13), "days", 3, True, D(2026, 5, 18), (), 0,
     "start Thu 05-14 (Hemelvaart), end Sat 05-16 → Mon 05-18; Fri 15 + Mon 18"),
    (D(2026, 1, 10), "days", 1, True, D(2026, 1, 12), (), 0,
     "Sat+1d = Sun 01-11 → Mon 01-12"),
    (D(2026, 1, 3), "weeks", 12, True, D(2026, 3, 30), (), 0,
     "12 weeks is still covered (art 4): Sat 03-28 → Mon 03-30"),
    (D(2026, 1, 3), "weeks", 13, True, D(2026, 4, 4), (), 0,
     "13 weeks: art 4 lid 1 a excludes the Atw; ends on Saturday 04-04"),
    (D(2026, 1, 3), "months", 3, True, D(2026, 4, 7), (), 0,
     "3 months is still covered: Fri 04-03 Goede Vrijdag → Tue 04-07"),
    (D(2026, 1, 5), "months", 4, True, D(2026, 5, 5), (), 0,
     "4 months: art 4 excludes; ends on 5 mei itself"),
    (D(2026, 1, 5), "days", 90, True, D(2026, 4, 7), (), 0,
     "Jan 5 + 90 days = Sun 04-05 (Easter); Mon 2e Paasdag → Tue 04-07"),
    (D(2026, 1, 4), "days", 91, True, D(2026, 4, 5), (), 0,
     "91 days: art 4 excludes; ends on Easter Sunday 04-05"),
    (D(2026, 1, 31), "months", 1, True, D(2026, 3, 2), (), 0,
     "31 Jan + 1 month = 28 Feb (no 31st), a Saturday → Mon 03-02"),
    (D(2026, 1, 31), "months", 1, False, D(2026, 2, 28), (), 0,
     "same without the Atw: Saturday 02-28"),
    (D(2028, 1, 31), "months", 1, True, D(2028, 2, 29), (), 0,
     "leap year: 31 Jan 2028 + 1 month = Tue 29 Feb 2028"),
    (D(2026, 11, 30), "months", 1, True, D(2026, 12, 30), (), 0,
     "30 Nov + 1 month = Wed 12-30 (year end, a working day)"),
    (D(2026, 1, 5), "weeks", 8, True, D(2026, 3, 12),
     (S(D(2026, 1, 10), D(2026, 1, 19), "4:15"),), 0,
     "Mon 03-02 + 10 suspended days (01-10..01-19) = Thu 03-12"),
    (D(2026, 1, 5), "weeks", 8, True, D(2026, 3, 9),
     (S(D(2026, 1, 10), D(2026, 1, 12), "a"), S(D(2026, 2, 1), D(2026, 2, 2), "b")), 0,
     "Mon 03-02 + 3 + 2 days = Sat 03-07 → Mon 03-09"),
    (D(2026, 1, 5), "weeks", 8, False, D(2026, 3, 7),
     (S(D(2026, 1, 10), D(2026, 1, 12), "a"), S(D(2026, 2, 1), D(2026, 2, 2), "b")), 0,
     "same without the Atw: Sat 03-07"),
    (D(2026, 1, 5), "weeks", 8, True, D(2026, 3, 17),
     (S(D(2026, 1, 10), D(2026, 1, 19), "a"), S(D(2026, 1, 15), D(2026, 1, 24), "b")),
     0, "overlap counted once: 01-10..01-24 = 15 days; Mon 03-02 + 15 = Tue 03-17"),
    (D(2026, 1, 5), "weeks", 6, True, D(2026, 3, 30), (), 42,
     "7:10 verdaging by 6 weeks: Mon 02-16 + 42 days = Mon 03-30"),
    (D(2026, 1, 3), "weeks", 12, True, D(2026, 3, 30),
     (S(D(2026, 1, 10), D(2026, 1, 10), "one day"),), 0,
     "12 weeks + 1 day: Sat 03-28 + 1 = Sun 03-29 → Mon 03-30"),
]  # fmt: skip


class TermTableTests(SimpleTestCase):
    def test_table_has_at_least_forty_rows(self):
        self.assertGreaterEqual(len(TABLE), 40)

    def test_hand_computed_terms(self):
        for event, unit, n, atw, expected, suspensions, extension, why in TABLE:
            with self.subTest(event=event, unit=unit, n=n, atw=atw, why=why):
                result = compute_term(
                    event,
                    **{unit: n},
                    atw=atw,
                    suspensions=suspensions,
                    extension_days=extension,
                )
                self.assertEqual(result.end, expected)

    def test_day_equated_by_royal_decree_extends_the_term(self):
        # Friday after Hemelvaart 2026 equated: Fri 05-01 + 2w = Fri 05-15 →
        # Sat, Sun → Mon 05-18.
        extra = {D(2026, 5, 15): "vrijdag na Hemelvaart (KB)"}
        result = compute_term(D(2026, 5, 1), weeks=2, extra_holidays=extra)
        self.assertEqual(result.end, D(2026, 5, 18))
        self.assertIn("vrijdag na Hemelvaart (KB)", " ".join(result.lines))
        self.assertEqual(compute_term(D(2026, 5, 1), weeks=2).end, D(2026, 5, 15))


class HolidayTests(SimpleTestCase):
    def test_holidays_match_domain_table(self):
        # docs/domain.md §1.1 holiday table.
        expected = {
            2025: [D(2025, 4, 18), D(2025, 4, 21), D(2025, 4, 26), D(2025, 5, 5),
                   D(2025, 5, 29), D(2025, 6, 9)],
            2026: [D(2026, 4, 3), D(2026, 4, 6), D(2026, 4, 27), D(2026, 5, 5),
                   D(2026, 5, 14), D(2026, 5, 25)],
            2027: [D(2027, 3, 26), D(2027, 3, 29), D(2027, 4, 27), D(2027, 5, 5),
                   D(2027, 5, 6), D(2027, 5, 17)],
        }  # fmt: skip
        for year, days in expected.items():
            holidays = atw_holidays(year)
            with self.subTest(year=year):
                for day in days:
                    self.assertIn(day, holidays)
                for fixed in (D(year, 1, 1), D(year, 12, 25), D(year, 12, 26)):
                    self.assertIn(fixed, holidays)
                self.assertEqual(len(holidays), 9)

    def test_explanation_names_the_rule_and_the_holiday(self):
        result = compute_term(D(2026, 3, 20), weeks=2)
        text = "\n".join(result.lines)
        self.assertIn("2026-03-21", text)  # start: the day after
        self.assertIn("Goede Vrijdag", text)
        self.assertIn("Atw art 1", text)

    def test_bad_lengths_are_refused(self):
        for kwargs in ({}, {"days": 0}, {"weeks": -1}, {"days": 2, "weeks": 1}):
            with self.subTest(kwargs=kwargs), self.assertRaises(ValueError):
                compute_term(D(2026, 1, 1), **kwargs)


class BibobCapTests(SimpleTestCase):
    def test_eight_weeks_from_the_request(self):
        # Request Mon 2026-03-02: 56 days including that day → last day 04-26.
        self.assertEqual(bibob_art31_cap(D(2026, 3, 2), 0, 0), D(2026, 4, 26))

    def test_lid2_days_and_extension_move_the_cap(self):
        # 56 + 10 + 28 = 94 days from 03-02 inclusive → 2026-06-03.
        self.assertEqual(bibob_art31_cap(D(2026, 3, 2), 10, 28), D(2026, 6, 3))

    def test_extension_over_four_weeks_is_refused(self):
        with self.assertRaises(ValueError):
            bibob_art31_cap(D(2026, 3, 2), 0, 29)
