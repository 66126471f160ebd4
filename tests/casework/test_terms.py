"""Term calculation (casework.terms): Awb 6:8 conventions and the Atw.

Every expected date below was worked out by hand from a calendar; the comment
on each row gives the reasoning. Holidays used (Atw art 3):
2024: Kerst Wed 25 + Thu 26 Dec.
2025: Nieuwjaar Wed 1 Jan, Goede Vrijdag 18 Apr, 2e Paas Mon 21 Apr,
      Koningsdag Sat 26 Apr (27 Apr is a Sunday), 5 mei Mon, Hemelvaart Thu 29 May,
      2e Pinkster Mon 9 Jun, Kerst Thu 25 + Fri 26 Dec.
2026: Nieuwjaar Thu 1 Jan, Goede Vrijdag 3 Apr, 2e Paas Mon 6 Apr, Koningsdag
      Mon 27 Apr, 5 mei Tue, Hemelvaart Thu 14 May, 2e Pinkster Mon 25 May,
      Kerst Fri 25 + Sat 26 Dec.
2027: Nieuwjaar Fri 1 Jan, Goede Vrijdag 26 Mar, 2e Paas Mon 29 Mar,
      Koningsdag Tue 27 Apr, 5 mei Wed, Hemelvaart Thu 6 May, 2e Pinkster
      Mon 17 May, Kerst Sat 25 + Sun 26 Dec.
2028: Nieuwjaar Sat 1 Jan, 5 mei Fri.
2031: Koningsdag Sat 26 Apr (27 Apr is a Sunday).
"""

from datetime import date
from unittest import mock

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from casework import terms
from casework.terms import (
    NEGATIVE_DAYS,
    NEGATIVE_EXTENSION,
    NEGATIVE_LENGTH,
    ONE_LENGTH,
    Suspension,
    atw_holidays,
    compute_term,
    easter,
    is_rest_day,
)
from workflows.bibob.terms import bibob_art31_cap

D = date.fromisoformat
KB_FRIDAY = {D("2026-05-15"): "vrijdag na Hemelvaartsdag (KB)"}


def susp(first: str, last: str) -> Suspension:
    return Suspension(D(first), D(last), "Awb 4:15 lid 1 a: aanvulling gevraagd")


def case(event, length, atw, expected, comment, **extra):
    unit = {"d": "days", "w": "weeks", "m": "months"}[length[-1]]
    return D(event), {unit: int(length[:-1])}, atw, D(expected), comment, extra


# (event, length, atw, expected end, hand computation, other arguments)
CASES = [
    # --- Holidays (Atw art 1 and art 3) -----------------------------------
    case("2025-12-18", "2w", True, "2026-01-02",
         "Thu 12-18 + 14 = Thu 2026-01-01 Nieuwjaarsdag -> Fri 01-02"),
    case("2026-12-18", "2w", True, "2027-01-04",
         "Fri 12-18 + 14 = Fri 2027-01-01 Nieuwjaarsdag, Sat, Sun -> Mon 01-04"),
    case("2026-03-20", "2w", True, "2026-04-07",
         "Fri 03-20 + 14 = Fri 04-03 Goede Vrijdag, Sat, Sun, Mon 2e Paasdag "
         "-> Tue 04-07"),
    case("2027-02-12", "6w", True, "2027-03-30",
         "Fri 02-12 + 42 = Fri 03-26 Goede Vrijdag, Sat, Sun, Mon 03-29 2e Paasdag "
         "-> Tue 03-30"),
    case("2025-03-10", "6w", True, "2025-04-22",
         "Mon 03-10 + 42 = Mon 04-21 2e Paasdag -> Tue 04-22"),
    case("2026-02-23", "6w", True, "2026-04-07",
         "Mon 02-23 + 42 = Mon 04-06 2e Paasdag -> Tue 04-07"),
    case("2026-03-16", "6w", True, "2026-04-28",
         "Mon 03-16 + 42 = Mon 04-27 Koningsdag -> Tue 04-28"),
    case("2027-03-30", "4w", True, "2027-04-28",
         "Tue 03-30 + 28 = Tue 04-27 Koningsdag -> Wed 04-28"),
    case("2025-04-16", "10d", True, "2025-04-28",
         "Wed 04-16 + 10 = Sat 04-26 Koningsdag (27 Apr 2025 is a Sunday), "
         "Sun 04-27 -> Mon 04-28"),
    case("2031-04-18", "8d", True, "2031-04-28",
         "Fri 04-18 + 8 = Sat 04-26 Koningsdag (27 Apr 2031 is a Sunday), "
         "Sun -> Mon 04-28"),
    case("2025-03-24", "6w", True, "2025-05-06",
         "Mon 03-24 + 42 = Mon 05-05 (lustrum year) -> Tue 05-06"),
    case("2026-03-24", "6w", True, "2026-05-06",
         "Tue 03-24 + 42 = Tue 05-05: 5 May counts in 2026 too -> Wed 05-06"),
    case("2027-03-24", "6w", True, "2027-05-07",
         "Wed 03-24 + 42 = Wed 05-05, then Thu 05-06 Hemelvaartsdag -> Fri 05-07"),
    case("2028-03-24", "6w", True, "2028-05-08",
         "Fri 03-24 + 42 = Fri 05-05, Sat, Sun -> Mon 05-08"),
    case("2025-04-17", "6w", True, "2025-05-30",
         "Thu 04-17 + 42 = Thu 05-29 Hemelvaartsdag -> Fri 05-30"),
    case("2026-04-02", "6w", True, "2026-05-15",
         "Thu 04-02 + 42 = Thu 05-14 Hemelvaartsdag -> Fri 05-15"),
    case("2025-04-28", "6w", True, "2025-06-10",
         "Mon 04-28 + 42 = Mon 06-09 2e Pinksterdag -> Tue 06-10"),
    case("2026-04-13", "6w", True, "2026-05-26",
         "Mon 04-13 + 42 = Mon 05-25 2e Pinksterdag -> Tue 05-26"),
    case("2027-04-05", "6w", True, "2027-05-18",
         "Mon 04-05 + 42 = Mon 05-17 2e Pinksterdag -> Tue 05-18"),
    case("2025-11-13", "6w", True, "2025-12-29",
         "Thu 11-13 + 42 = Thu 12-25, Fri 12-26 2e Kerstdag, Sat, Sun -> Mon 12-29"),
    case("2026-11-13", "6w", True, "2026-12-28",
         "Fri 11-13 + 42 = Fri 12-25, Sat 12-26 (2e Kerstdag), Sun -> Mon 12-28"),
    case("2024-11-14", "6w", True, "2024-12-27",
         "Thu 11-14 + 42 = Thu 12-26 2e Kerstdag -> Fri 12-27"),
    # --- Year boundaries and weekends -----------------------------------
    case("2025-12-17", "2w", True, "2025-12-31",
         "Wed 12-17 + 14 = Wed 12-31, a working day: no extension"),
    case("2027-12-18", "2w", True, "2028-01-03",
         "Sat 12-18 + 14 = Sat 2028-01-01 Nieuwjaarsdag, Sun -> Mon 01-03"),
    case("2026-01-03", "2w", True, "2026-01-19",
         "Sat 01-03 + 14 = Sat 01-17, Sun -> Mon 01-19"),
    case("2026-02-01", "7d", True, "2026-02-09",
         "Sun 02-01 + 7 = Sun 02-08 -> Mon 02-09"),
    case("2026-01-05", "6w", True, "2026-02-16",
         "Mon 01-05 + 42 = Mon 02-16, a working day: no extension"),
    # --- Atw art 2: at least two working days in a term of 3+ days --------
    case("2026-01-08", "3d", True, "2026-01-12",
         "Fri 01-09..Sun 01-11; art 1 -> Mon 01-12; Fri and Mon: two working days"),
    case("2026-01-09", "3d", True, "2026-01-13",
         "Sat 01-10..Mon 01-12: Mon is the only working day; art 2 -> Tue 01-13"),
    case("2026-01-09", "2d", True, "2026-01-12",
         "Sat 01-10..Sun 01-11; art 1 -> Mon 01-12; 2 days: art 2 does not apply"),
    case("2026-04-02", "3d", True, "2026-04-08",
         "Fri 04-03 Goede Vrijdag..Sun 04-05; art 1: Sun, Mon 2e Paasdag -> Tue "
         "04-07, the only working day; art 2 -> Wed 04-08"),
    case("2025-12-23", "4d", True, "2025-12-29",
         "Wed 12-24..Sat 12-27; art 1: Sat, Sun -> Mon 12-29; Wed 24 and Mon 29 "
         "are two working days"),
    case("2026-12-24", "4d", True, "2026-12-29",
         "Fri 12-25 Kerst..Mon 12-28: Mon is the only working day; art 2 -> Tue "
         "12-29"),
    case("2026-04-24", "3d", True, "2026-04-29",
         "Sat 04-25..Mon 04-27 Koningsdag; art 1 -> Tue 04-28, the only working "
         "day; art 2 -> Wed 04-29"),
    case("2026-05-22", "3d", True, "2026-05-27",
         "Sat 05-23..Mon 05-25 2e Pinksterdag; art 1 -> Tue 05-26, the only "
         "working day; art 2 -> Wed 05-27"),
    case("2026-01-09", "2d", True, "2026-01-13",
         "Sat 01-10..Sun 01-11 + 1 suspended day = Mon 01-12; now 3 days with "
         "only one working day; art 2 -> Tue 01-13",
         suspensions=[susp("2026-01-10", "2026-01-10")]),
    # --- Atw art 4: long terms are not extended ----------------------------
    case("2026-01-04", "12w", True, "2026-03-30",
         "Sun 01-04 + 84 = Sun 03-29; 12 weeks is covered -> Mon 03-30"),
    case("2026-01-04", "13w", True, "2026-04-05",
         "Sun 01-04 + 91 = Sun 04-05 (Easter); 13 weeks: art 4, no extension"),
    case("2026-01-04", "90d", True, "2026-04-07",
         "Sun 01-04 + 90 = Sat 04-04 (27 left in Jan, 28 Feb, 31 Mar, 4 Apr); "
         "Sat, Sun, Mon 2e Paasdag -> Tue 04-07"),
    case("2026-01-04", "91d", True, "2026-04-05",
         "Sun 01-04 + 91 = Sun 04-05; 91 days: art 4, no extension"),
    case("2026-03-07", "3m", True, "2026-06-08",
         "Sat 03-07 + 3 months = Sun 06-07; 3 months is covered -> Mon 06-08"),
    case("2026-02-07", "4m", True, "2026-06-07",
         "Sat 02-07 + 4 months = Sun 06-07; 4 months: art 4, no extension"),
    # --- Months -------------------------------------------------------------
    case("2026-01-31", "1m", True, "2026-03-02",
         "01-31 + 1 month: no 31 Feb -> Sat 02-28, Sun -> Mon 03-02"),
    case("2026-01-31", "1m", False, "2026-02-28",
         "01-31 + 1 month: no 31 Feb -> Sat 02-28; no Atw"),
    case("2028-01-31", "1m", True, "2028-02-29",
         "leap year: 01-31 + 1 month -> Tue 02-29"),
    case("2026-03-31", "1m", True, "2026-04-30",
         "03-31 + 1 month: no 31 Apr -> Thu 04-30"),
    case("2026-08-31", "3m", True, "2026-11-30",
         "08-31 + 3 months: no 31 Nov -> Mon 11-30"),
    case("2025-12-31", "2m", True, "2026-03-02",
         "2025-12-31 + 2 months: no 31 Feb -> Sat 02-28, Sun -> Mon 03-02"),
    case("2026-10-31", "2m", True, "2026-12-31",
         "10-31 + 2 months = Thu 12-31, a working day"),
    # --- Terms set by the organ: no Atw ------------------------------------
    case("2026-03-20", "2w", False, "2026-04-03",
         "Fri 03-20 + 14 = Fri 04-03 Goede Vrijdag, kept without the Atw"),
    case("2026-01-08", "3d", False, "2026-01-11",
         "Thu 01-08 + 3 = Sun 01-11, kept without the Atw"),
    case("2025-12-18", "2w", False, "2026-01-01",
         "Thu 12-18 + 14 = Nieuwjaarsdag 2026-01-01, kept without the Atw"),
    # --- Suspensions ----------------------------------------------------------
    case("2026-01-05", "8w", True, "2026-03-12",
         "Mon 03-02 + 10 suspended days (01-10..01-19) = Thu 03-12",
         suspensions=[susp("2026-01-10", "2026-01-19")]),
    case("2026-01-05", "6w", True, "2026-02-23",
         "Mon 02-16 + 5 (01-12..01-16) + 2 (01-26..01-27) = Mon 02-23",
         suspensions=[susp("2026-01-12", "2026-01-16"),
                      susp("2026-01-26", "2026-01-27")]),
    case("2026-01-05", "6w", True, "2026-03-02",
         "Mon 02-16; 01-12..01-20 and 01-18..01-25 overlap: 01-12..01-25 = 14 "
         "days -> Mon 03-02",
         suspensions=[susp("2026-01-18", "2026-01-25"),
                      susp("2026-01-12", "2026-01-20")]),
    case("2026-01-05", "6w", True, "2026-03-10",
         "Mon 02-16; 01-15..01-20 lies inside 01-10..01-31 = 22 days -> Tue 03-10",
         suspensions=[susp("2026-01-10", "2026-01-31"),
                      susp("2026-01-15", "2026-01-20")]),
    case("2026-01-05", "6w", True, "2026-02-23",
         "Mon 02-16; adjacent 01-12..01-14 (3) + 01-15..01-16 (2) = 5 -> Sat 02-21, "
         "Sun -> Mon 02-23",
         suspensions=[susp("2026-01-12", "2026-01-14"),
                      susp("2026-01-15", "2026-01-16")]),
    case("2026-02-09", "6w", True, "2026-04-07",
         "Mon 03-23 + 11 (02-10..02-20) = Fri 04-03 Goede Vrijdag -> Tue 04-07",
         suspensions=[susp("2026-02-10", "2026-02-20")]),
    # --- Extension (verdaging) ------------------------------------------------
    case("2026-01-05", "8w", True, "2026-03-16",
         "Mon 03-02 + 14 extension days = Mon 03-16", extension_days=14),
    case("2026-01-05", "6w", True, "2026-03-30",
         "bezwaar: Mon 02-16 + 6 weeks verdaging (42) = Mon 03-30",
         extension_days=42),
    case("2026-02-26", "6w", True, "2026-04-28",
         "Thu 04-09 + 18 = Mon 04-27 Koningsdag -> Tue 04-28", extension_days=18),
    case("2026-01-05", "8w", True, "2026-03-26",
         "Mon 03-02 + 10 suspended = Thu 03-12, + 14 extension = Thu 03-26",
         suspensions=[susp("2026-01-10", "2026-01-19")], extension_days=14),
    # --- Days equated by Royal Decree (art 3 lid 3) ---------------------------
    case("2026-04-02", "6w", True, "2026-05-18",
         "Thu 05-14 Hemelvaart, Fri 05-15 KB day, Sat, Sun -> Mon 05-18",
         extra_holidays=KB_FRIDAY),
    case("2026-04-03", "6w", True, "2026-05-18",
         "Fri 04-03 + 42 = Fri 05-15 KB day, Sat, Sun -> Mon 05-18",
         extra_holidays=KB_FRIDAY),
    case("2026-04-03", "6w", True, "2026-05-15",
         "the same term without the KB day ends on Fri 05-15"),
    case("2026-05-13", "3d", True, "2026-05-19",
         "Thu 05-14 Hemelvaart, Fri 05-15 KB, Sat 05-16; art 1 -> Mon 05-18, the "
         "only working day; art 2 -> Tue 05-19",
         extra_holidays=KB_FRIDAY),
    case("2026-05-13", "3d", True, "2026-05-18",
         "without the KB day: art 1 -> Mon 05-18; Fri 05-15 and Mon are two "
         "working days"),
    case("2026-02-12", "13w", True, "2026-05-14",
         "Thu 02-12 + 91 = Thu 05-14 Hemelvaart; 13 weeks: art 4, the KB day "
         "does not matter either",
         extra_holidays=KB_FRIDAY),
]  # fmt: skip


class HandComputedTermTests(SimpleTestCase):
    def test_the_table_has_enough_cases(self):
        self.assertGreaterEqual(len(CASES), 45)

    def test_hand_computed_end_dates(self):
        for event, length, atw, expected, comment, extra in CASES:
            with self.subTest(event=event, length=length, atw=atw, why=comment):
                result = compute_term(event, **length, atw=atw, **extra)
                self.assertEqual(result.end, expected)


class HolidayTests(SimpleTestCase):
    # docs/domain.md §1.1, "Holiday dates for configuration", plus the fixed days.
    TABLE = {
        2025: {
            "2025-01-01": "Nieuwjaarsdag",
            "2025-04-18": "Goede Vrijdag",
            "2025-04-21": "tweede Paasdag",
            "2025-04-26": "Koningsdag",
            "2025-05-05": "5 mei (Bevrijdingsdag)",
            "2025-05-29": "Hemelvaartsdag",
            "2025-06-09": "tweede Pinksterdag",
            "2025-12-25": "eerste Kerstdag",
            "2025-12-26": "tweede Kerstdag",
        },
        2026: {
            "2026-01-01": "Nieuwjaarsdag",
            "2026-04-03": "Goede Vrijdag",
            "2026-04-06": "tweede Paasdag",
            "2026-04-27": "Koningsdag",
            "2026-05-05": "5 mei (Bevrijdingsdag)",
            "2026-05-14": "Hemelvaartsdag",
            "2026-05-25": "tweede Pinksterdag",
            "2026-12-25": "eerste Kerstdag",
            "2026-12-26": "tweede Kerstdag",
        },
        2027: {
            "2027-01-01": "Nieuwjaarsdag",
            "2027-03-26": "Goede Vrijdag",
            "2027-03-29": "tweede Paasdag",
            "2027-04-27": "Koningsdag",
            "2027-05-05": "5 mei (Bevrijdingsdag)",
            "2027-05-06": "Hemelvaartsdag",
            "2027-05-17": "tweede Pinksterdag",
            "2027-12-25": "eerste Kerstdag",
            "2027-12-26": "tweede Kerstdag",
        },
    }

    def test_holidays_match_the_domain_table(self):
        for year, expected in self.TABLE.items():
            with self.subTest(year=year):
                self.assertEqual(
                    atw_holidays(year), {D(day): name for day, name in expected.items()}
                )

    def test_weekdays_match_the_domain_table(self):
        # Koningsdag: Sat 2025, Mon 2026, Tue 2027; 5 mei: Mon, Tue, Wed.
        weekdays = {
            "2025-04-26": 5, "2026-04-27": 0, "2027-04-27": 1,
            "2025-05-05": 0, "2026-05-05": 1, "2027-05-05": 2,
        }  # fmt: skip
        for day, weekday in weekdays.items():
            with self.subTest(day=day):
                self.assertEqual(D(day).weekday(), weekday)

    def test_kings_day_moves_to_saturday_when_27_april_is_a_sunday(self):
        for year in (2025, 2031):
            with self.subTest(year=year):
                holidays = atw_holidays(year)
                self.assertEqual(holidays[date(year, 4, 26)], "Koningsdag")
                self.assertNotIn(date(year, 4, 27), holidays)

    def test_fifth_of_may_counts_every_year(self):
        for year in range(2024, 2036):
            with self.subTest(year=year):
                self.assertIn(date(year, 5, 5), atw_holidays(year))

    def test_easter_by_the_gregorian_algorithm(self):
        known = ["2008-03-23", "2024-03-31", "2030-04-21", "2038-04-25", "2285-03-22"]
        for day in known:
            with self.subTest(day=day):
                self.assertEqual(easter(D(day).year), D(day))

    def test_equated_days_are_merged_for_their_own_year_only(self):
        extra = {
            D("2026-05-15"): "vrijdag na Hemelvaartsdag (KB)",
            D("2027-05-07"): "vrijdag na Hemelvaartsdag (KB)",
            D("2026-12-25"): "KB that repeats a holiday",
        }
        holidays = atw_holidays(2026, extra)
        self.assertEqual(holidays[D("2026-05-15")], "vrijdag na Hemelvaartsdag (KB)")
        self.assertNotIn(D("2027-05-07"), holidays)
        self.assertEqual(holidays[D("2026-12-25")], "eerste Kerstdag")
        self.assertEqual(len(holidays), 10)

    def test_the_cached_holidays_cannot_be_changed_through_the_result(self):
        atw_holidays(2026)[D("2026-03-03")] = "not a holiday"
        self.assertIs(is_rest_day(D("2026-03-03")), False)

    def test_rest_days(self):
        self.assertIs(is_rest_day(D("2026-04-04")), True)  # Saturday
        self.assertIs(is_rest_day(D("2026-04-05")), True)  # Sunday
        self.assertIs(is_rest_day(D("2026-04-06")), True)  # tweede Paasdag
        self.assertIs(is_rest_day(D("2026-04-07")), False)  # Tuesday
        self.assertIs(is_rest_day(D("2026-05-15")), False)
        self.assertIs(is_rest_day(D("2026-05-15"), KB_FRIDAY), True)


class ValidationTests(SimpleTestCase):
    def test_exactly_one_length_is_required(self):
        for lengths in (
            {},
            {"days": 0},
            {"days": 3, "weeks": 1},
            {"weeks": 1, "months": 1},
        ):
            with self.subTest(lengths=lengths):
                with self.assertRaisesMessage(ValueError, str(ONE_LENGTH)):
                    compute_term(D("2026-01-05"), **lengths)

    def test_negative_lengths_are_refused(self):
        for lengths in ({"days": -1}, {"weeks": -6}, {"months": -1, "days": 3}):
            with self.subTest(lengths=lengths):
                with self.assertRaisesMessage(ValueError, str(NEGATIVE_LENGTH)):
                    compute_term(D("2026-01-05"), **lengths)

    def test_negative_extension_is_refused(self):
        with self.assertRaisesMessage(ValueError, str(NEGATIVE_EXTENSION)):
            compute_term(D("2026-01-05"), weeks=6, extension_days=-1)

    def test_a_suspension_that_ends_before_it_starts_is_refused(self):
        with self.assertRaisesMessage(ValueError, "2026-01-10"):
            compute_term(
                D("2026-01-05"), weeks=6, suspensions=[susp("2026-01-19", "2026-01-10")]
            )


class ExplanationTests(SimpleTestCase):
    """The lines say why: one per rule, in order, naming article and day.
    Checked in English, the source language, so a Dutch catalog can follow."""

    def compute(self, event, **kwargs):
        with translation.override("en"):
            return compute_term(D(event), **kwargs)

    def test_lines_name_the_start_and_each_skipped_rest_day(self):
        result = self.compute("2026-03-20", weeks=2)
        self.assertEqual(result.base_end, D("2026-04-03"))
        self.assertIs(result.atw_applied, True)
        self.assertEqual(len(result.lines), 2)
        start, art1 = result.lines
        self.assertIn("starts on 2026-03-21", start)
        self.assertIn("Awb 6:8", start)
        self.assertIn("on 2026-04-03", start)
        self.assertEqual(
            art1,
            "Atw art 1: 2026-04-03 is Goede Vrijdag, 2026-04-04 is a Saturday, "
            "2026-04-05 is a Sunday, 2026-04-06 is tweede Paasdag; the term runs "
            "on to and including 2026-04-07.",
        )

    def test_koningsdag_on_a_saturday_is_named(self):
        result = self.compute("2025-04-16", days=10)
        self.assertIn("2025-04-26 is Koningsdag", result.lines[1])

    def test_art_2_line_lists_the_rest_days_in_the_term(self):
        result = self.compute("2026-01-09", days=3)
        art2 = result.lines[-1]
        self.assertTrue(art2.startswith("Atw art 2:"), art2)
        self.assertIn("2026-01-10 is a Saturday, 2026-01-11 is a Sunday", art2)
        self.assertIn("to and including 2026-01-13", art2)

    def test_art_1_then_art_2_each_get_a_line(self):
        result = self.compute("2026-04-02", days=3)
        self.assertEqual(
            [line.split(":")[0] for line in result.lines[1:]],
            ["Atw art 1", "Atw art 2"],
        )

    def test_a_term_needing_no_extension_says_so(self):
        result = self.compute("2026-01-05", weeks=6)
        self.assertEqual(result.end, result.base_end)
        self.assertIn("Atw art 1 and 2: 2026-02-16 is not", result.lines[-1])

    def test_art_4_exclusion_is_explained(self):
        result = self.compute("2026-01-04", weeks=13)
        self.assertIs(result.atw_applied, False)
        self.assertTrue(result.lines[-1].startswith("Atw art 4 lid 1 a:"))

    def test_terms_without_atw_say_the_atw_is_not_applied(self):
        result = self.compute("2026-03-20", weeks=2, atw=False)
        self.assertIs(result.atw_applied, False)
        self.assertIn("not applied", result.lines[-1])
        self.assertNotIn("Atw art 1", " ".join(result.lines))

    def test_short_month_is_explained(self):
        result = self.compute("2026-01-31", months=1, atw=False)
        self.assertEqual(result.base_end, D("2026-02-28"))
        self.assertIn("2026-02 has no day 31", result.lines[1])

    def test_suspensions_and_extension_each_get_a_line(self):
        result = self.compute(
            "2026-01-05",
            weeks=6,
            suspensions=[
                susp("2026-01-12", "2026-01-20"),
                susp("2026-01-18", "2026-01-25"),
            ],
            extension_days=7,
            extension_reason="Awb 7:10 lid 3: verdaging",
        )
        self.assertEqual(result.base_end, D("2026-02-16"))
        self.assertEqual(result.end, D("2026-03-09"))  # 02-16 + 14 + 7
        self.assertIn("2026-01-12 up to and including 2026-01-20", result.lines[1])
        self.assertIn("aanvulling gevraagd", result.lines[1])
        self.assertIn("2026-01-18 up to and including 2026-01-25", result.lines[2])
        self.assertIn("14 suspended days", result.lines[3])
        self.assertIn("2026-03-02", result.lines[3])
        self.assertIn("Extended by 7 days (Awb 7:10 lid 3: verdaging)", result.lines[4])
        self.assertIn("2026-03-09", result.lines[4])

    def test_singular_lengths_read_naturally(self):
        result = self.compute("2026-01-05", days=1)
        self.assertIn("The term of 1 day starts on 2026-01-06", result.lines[0])
        self.assertEqual(result.end, D("2026-01-06"))

    def test_lines_follow_the_active_language(self):
        # The templates are cached per language: a fake catalog that tags each
        # template with the language shows no language gets another's text.
        def tagged(singular, plural, n):
            return f"[{translation.get_language()}] " + (singular if n == 1 else plural)

        with (
            mock.patch.dict(terms._translated, clear=True),
            mock.patch.object(terms, "ngettext", tagged),
        ):
            english = self.compute("2026-01-05", weeks=6).lines[0]
            with translation.override("nl"):
                dutch = compute_term(D("2026-01-05"), weeks=6).lines[0]
            english_again = self.compute("2026-01-05", weeks=6).lines[0]
        self.assertTrue(english.startswith("[en] The term of 6 weeks"), english)
        self.assertTrue(dutch.startswith("[nl] The term of 6 weeks"), dutch)
        self.assertEqual(english_again, english)

    def test_changing_the_language_settings_empties_the_template_cache(self):
        self.compute("2026-01-05", weeks=6)
        self.assertTrue(terms._translated)
        with override_settings(LOCALE_PATHS=[]):
            self.assertEqual(terms._translated, {})


class BibobArt31Tests(SimpleTestCase):
    def test_eight_weeks_from_the_request_day_inclusive(self):
        # Requested Mon 2026-01-05: day 1 of the suspension; 56 days end on
        # 01-05 + 55 = Sun 2026-03-01 (26 days to 01-31, 28 to 02-28, 1).
        self.assertEqual(bibob_art31_cap(D("2026-01-05"), 0, 0), D("2026-03-01"))

    def test_lid_2_days_and_the_extension_are_added(self):
        self.assertEqual(bibob_art31_cap(D("2026-01-05"), 10, 0), D("2026-03-11"))
        # 8 + 4 weeks: the "at most 12 weeks" of Justis: 01-05 + 83 = 03-29.
        self.assertEqual(bibob_art31_cap(D("2026-01-05"), 0, 28), D("2026-03-29"))
        self.assertEqual(bibob_art31_cap(D("2026-01-05"), 10, 28), D("2026-04-08"))

    def test_the_cap_as_a_suspension_counts_the_maximum_days(self):
        cap = bibob_art31_cap(D("2026-01-05"), 3, 14)
        result = compute_term(
            D("2026-01-04"), weeks=8, atw=False,
            suspensions=[Suspension(D("2026-01-05"), cap, "Wet Bibob art 31")],
        )  # fmt: skip
        self.assertEqual((result.end - result.base_end).days, 56 + 3 + 14)

    def test_an_extension_over_four_weeks_is_refused(self):
        with self.assertRaisesMessage(ValueError, "29"):
            bibob_art31_cap(D("2026-01-05"), 0, 29)

    def test_negative_days_are_refused(self):
        for lid2, extension in ((-1, 0), (0, -1)):
            with self.subTest(lid2=lid2, extension=extension):
                with self.assertRaisesMessage(ValueError, str(NEGATIVE_DAYS)):
                    bibob_art31_cap(D("2026-01-05"), lid2, extension)
