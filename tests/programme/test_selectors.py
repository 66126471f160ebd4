"""The interface the governance reports use (`programme.selectors`:
`programmes_for`, `summary`; docs/programme.md "For the reports"), and the
Dutch notation of numbers and amounts."""

from dataclasses import fields
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404

from programme.formatting import euro, number
from programme.forms import parse_number
from programme.selectors import programmes_for, quarter_bounds, summary

from .base import ProgrammeTestCase


class ProgrammesForTests(ProgrammeTestCase):
    def names(self, user):
        return [p.name for p in programmes_for(user)]

    def test_who_reads_which_programme(self):
        for name in ("burgemeester", "coordinator", "jurist", "politie", "om"):
            with self.subTest(name):
                self.assertEqual(self.names(self.users[name]), [self.programme.name])
        for name in ("belastingdienst", "zorg", "toezicht", "fg", "beheerder"):
            with self.subTest(name):
                self.assertEqual(self.names(self.users[name]), [])
        self.assertEqual(self.names(self.roermond_coordinator), [self.other.name])

    def test_each_carries_its_access(self):
        (mine,) = programmes_for(self.users["coordinator"])
        self.assertEqual((mine.access.edit, mine.access.budget), (True, True))
        (theirs,) = programmes_for(self.users["om"])
        self.assertEqual((theirs.access.edit, theirs.access.budget), (False, False))


class SummaryTests(ProgrammeTestCase):
    def test_a_partner_summary_holds_no_money(self):
        s = summary(self.users["politie"], self.programme)
        self.assertIs(s.budget_visible, False)
        self.assertIsNone(s.budget)
        self.assertEqual(s.funding_source, "")
        self.assertEqual(len(s.projects), 10)
        # No Decimal anywhere but in goals (targets and readings are not money).
        for project in s.projects:
            for f in fields(project):
                self.assertNotIsInstance(getattr(project, f.name), Decimal)

    def test_a_summary_of_a_programme_not_read_is_404(self):
        with self.assertRaises(Http404):
            summary(self.users["toezicht"], self.programme)
        with self.assertRaises(Http404):
            summary(self.users["coordinator"], self.other)

    def test_quarters(self):
        self.assertEqual(quarter_bounds(2020, 2), (date(2020, 4, 1), date(2020, 6, 30)))
        self.assertEqual(
            quarter_bounds(2020, 4), (date(2020, 10, 1), date(2020, 12, 31))
        )
        with self.assertRaises(ValueError):
            quarter_bounds(2020, 5)

    def test_milestones_of_a_quarter_passed_in(self):
        # Q3 2020 runs 1 July – 30 September: three milestones fall in it.
        s = summary(self.users["om"], self.programme, quarter=(2020, 3))
        expected = [
            "Onderzoek capaciteit integrale regie afgerond",  # 1 July
            "Top 10 met bewoners en ondernemers vastgesteld",  # 1 September
            "Beide camera's in gebruik",  # 30 September
        ]
        self.assertEqual([m.title for m in s.milestones_in_quarter], expected)
        self.assertEqual([m.title for m in s.milestones_due(2020, 3)], expected)
        self.assertEqual(
            [m.title for m in s.milestones_due(2020, 2)], ["Camera's besteld"]
        )


class NotationTests(ProgrammeTestCase):
    def test_amounts_and_numbers_in_dutch(self):
        self.assertEqual(euro(Decimal("335500")), "€ 335.500,00")
        self.assertEqual(euro(Decimal("3749.5")), "€ 3.749,50")
        self.assertEqual(number(Decimal("0.50")), "0,5")
        self.assertEqual(number(Decimal("5.00")), "5")
        self.assertEqual(number(Decimal("1250")), "1.250")

    def test_typed_numbers(self):
        cases = {
            "2500": "2500", "2500,50": "2500.50", "2.500,50": "2500.50",
            "€ 2.500,50": "2500.50", "0,5": "0.5", "12.5": "12.5", "-3": "-3",
        }  # fmt: skip
        for text, value in cases.items():
            with self.subTest(text):
                self.assertEqual(parse_number(text), Decimal(value))
        for text in ("2.500", "1.000.000", "twee", "2,500,00", "1e5", ""):
            with self.subTest(text), self.assertRaises(ValidationError):
                parse_number(text)
