"""A day a letter or a step sets for the addressee is never a Saturday,
Sunday or holiday of the Algemene termijnenwet (issue 14, Deliver 1)."""

from datetime import date

from django.test import TestCase

from casework.letters import Field
from casework.models import Deadline, EquatedHoliday
from casework.steps import IntentionTermForm


class AddresseeDayFieldTests(TestCase):
    field = Field(
        "zienswijze_deadline",
        "de termijn voor de zienswijze",
        "Awb 4:8",
        kind="date",
        addressee_day=True,
    )

    def test_a_working_day_is_accepted(self):
        # Monday 14 December 2026.
        self.assertIsNone(self.field.check("2026-12-14"))

    def test_a_saturday_is_refused_naming_the_next_working_day(self):
        problem = self.field.check("2026-12-12")
        self.assertIn("12 december 2026", problem.text)
        self.assertIn("14 december 2026", problem.text)
        self.assertIn("Algemene termijnenwet", problem.text)

    def test_an_atw_holiday_is_refused(self):
        """Tweede Kerstdag 2026 is a Saturday; Eerste Kerstdag (Friday 25
        December 2026) is an Atw holiday: the next working day is Monday
        28 December 2026."""
        problem = self.field.check("2026-12-25")
        self.assertIn("28 december 2026", problem.text)

    def test_a_date_that_is_not_for_the_addressee_may_be_any_day(self):
        letter_date = Field("date", "de datum", kind="date")
        self.assertIsNone(letter_date.check("2026-12-12"))


class IntentionTermFormTests(TestCase):
    def form(self, **data):
        values = {
            "form_token": "t",
            "sent_on": "2026-11-28",
            "term_length": 2,
            "term_unit": Deadline.Unit.WEEKS,
        }
        values.update(data)
        return IntentionTermForm(data=values)

    def test_a_period_ending_on_a_saturday_needs_the_atw(self):
        """Sent Saturday 28 November 2026 (a date in the past, as the form
        requires): two weeks from the day after end on Saturday 12 December
        2026 — refused without the Atw, accepted with it."""
        form = self.form()
        self.assertFalse(form.is_valid())
        self.assertIn("12 december 2026", str(form.errors["atw_applies"]))
        self.assertTrue(self.form(atw_applies="on").is_valid())

    def test_a_period_ending_on_a_working_day_is_accepted(self):
        """Sent Monday 23 November 2026: two weeks end on Monday 7 December."""
        self.assertTrue(self.form(sent_on="2026-11-23").is_valid())

    def test_a_day_equated_by_royal_decree_counts_too(self):
        """Atw art 3 lid 3: a day equated with a holiday. Monday 7 December
        2026 equated (a fictional decree for the test): the period of the
        intention sent on 23 November then needs the Atw."""
        EquatedHoliday.objects.create(day=date(2026, 12, 7), name="Gelijkgesteld")
        form = self.form(sent_on="2026-11-23")
        self.assertFalse(form.is_valid())
        self.assertIn("7 december 2026", str(form.errors["atw_applies"]))
