"""The rules that refuse (programme/rules.py), each on either side of its
limit, with its rule named; a refused write changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied

from casework.rules import StepRefused
from programme import rules, services
from programme.models import BudgetEntry, Goal, GoalMeasurement, Milestone

from .base import ProgrammeTestCase

SPEND, COMMIT = BudgetEntry.Kind.SPENDING, BudgetEntry.Kind.COMMITMENT


class BudgetLineRuleTests(ProgrammeTestCase):
    def test_lines_may_not_exceed_the_programme_total(self):
        # The ten lines already hold the whole € 335.500: one cent more is refused.
        with self.assertRaises(StepRefused) as caught:
            services.budget_line_create(
                programme=self.programme, name="Extra", amount=Decimal("0.01")
            )
        self.assertEqual(
            [r.rule for r in caught.exception.refusals], [rules.RULE_LINES_WITHIN_TOTAL]
        )
        self.assertIn("€ 335.500,01", str(caught.exception.refusals[0]))
        self.assertIn("€ 335.500,00", str(caught.exception.refusals[0]))
        self.assertEqual(self.programme.budget_lines.count(), 10)

    def test_a_line_up_to_the_total_is_accepted(self):
        # Roermond's programme: € 1.000 total, lines of 600 + 400 fit exactly.
        services.budget_line_create(
            programme=self.other, name="A", amount=Decimal("600.00")
        )
        services.budget_line_create(
            programme=self.other, name="B", amount=Decimal("400.00")
        )
        with self.assertRaises(StepRefused):
            services.budget_line_create(
                programme=self.other, name="C", amount=Decimal("0.01")
            )


class BudgetEntryRuleTests(ProgrammeTestCase):
    def record(self, line, amount, *, kind=SPEND, day=date(2020, 12, 1), user=None):
        return services.budget_entry_record(
            line=self.line(line),
            user=user or self.users["coordinator"],
            kind=kind,
            amount=Decimal(amount),
            booked_on=day,
            description="Test",
        )

    def refused(self, *args, **kwargs) -> list[str]:
        before = BudgetEntry.objects.count()
        with self.assertRaises(StepRefused) as caught:
            self.record(*args, **kwargs)
        self.assertEqual(BudgetEntry.objects.count(), before)
        return [r.rule for r in caught.exception.refusals]

    def test_the_amount_must_be_positive(self):
        self.assertEqual(
            self.refused("Data-analyse", "0"), [rules.RULE_AMOUNT_POSITIVE]
        )
        self.assertEqual(
            self.refused("Data-analyse", "-10"), [rules.RULE_AMOUNT_POSITIVE]
        )
        self.record("Data-analyse", "0.01")

    def test_the_date_lies_within_the_programme_period(self):
        # Period 1 April 2020 – 31 March 2021, both days included.
        for day in (date(2020, 3, 31), date(2021, 4, 1)):
            self.assertEqual(
                self.refused("Data-analyse", "10", day=day), [rules.RULE_DATE_IN_PERIOD]
            )
        self.record("Data-analyse", "10", day=date(2020, 4, 1))
        self.record("Data-analyse", "10", day=date(2021, 3, 31))

    def test_spending_beyond_the_line_is_refused(self):
        # Jonge Helden: € 12.500, € 7.500 spent, so € 5.000 more is the limit.
        self.assertEqual(
            self.refused("Uitbreiding Jonge Helden", "5000.01"),
            [rules.RULE_WITHIN_LINE],
        )
        self.record("Uitbreiding Jonge Helden", "5000.00")
        self.assertEqual(
            self.refused("Uitbreiding Jonge Helden", "0.01"), [rules.RULE_WITHIN_LINE]
        )

    def test_the_refusal_says_how_much_is_left(self):
        with self.assertRaises(StepRefused) as caught:
            self.record("Uitbreiding Jonge Helden", "6000")
        text = str(caught.exception.refusals[0])
        self.assertIn("€ 13.500,00", text)  # 7.500 + 6.000
        self.assertIn("€ 12.500,00", text)
        self.assertIn("€ 5.000,00", text)  # 12.500 - 7.500
        self.assertIn(rules.RULE_WITHIN_LINE, text)

    def test_commitments_beyond_the_line_are_refused_too(self):
        # Data-analyse: € 15.000, € 7.500 committed.
        self.assertEqual(
            self.refused("Data-analyse", "7500.01", kind=COMMIT),
            [rules.RULE_WITHIN_LINE],
        )
        self.record("Data-analyse", "7500.00", kind=COMMIT)

    def test_commitments_and_spending_are_limited_each_on_their_own(self):
        # Procesmanager: € 33.000 committed in full, € 16.500 spent: paying
        # the rest of the commitment is allowed, the line is not doubled.
        self.record("Procesmanager Ondermijning", "16500.00")
        self.assertEqual(
            self.refused("Procesmanager Ondermijning", "0.01"), [rules.RULE_WITHIN_LINE]
        )

    def test_several_refusals_at_once(self):
        self.assertEqual(
            self.refused("Data-analyse", "0", day=date(2019, 1, 1)),
            [rules.RULE_AMOUNT_POSITIVE, rules.RULE_DATE_IN_PERIOD],
        )

    def test_only_an_editor_of_the_owner_books(self):
        for name in ("jurist", "politie", "toezicht"):
            with self.subTest(name), self.assertRaises(PermissionDenied):
                self.record("Data-analyse", "10", user=self.users[name])
        self.record("Data-analyse", "10", user=self.users["burgemeester"])


class MeasurementRuleTests(ProgrammeTestCase):
    def setUp(self):
        self.goal = Goal.objects.get(description="Sessies Jonge Helden")

    def test_not_dated_before_the_programme_start(self):
        with self.assertRaises(StepRefused) as caught:
            services.measurement_record(
                goal=self.goal,
                user=self.users["coordinator"],
                measured_on=date(2020, 3, 31),
                value=Decimal("4"),
            )
        self.assertEqual(
            [r.rule for r in caught.exception.refusals],
            [rules.RULE_MEASUREMENT_AFTER_START],
        )
        self.assertIn("1 april 2020", str(caught.exception.refusals[0]))
        self.assertEqual(self.goal.measurements.count(), 2)
        services.measurement_record(
            goal=self.goal,
            user=self.users["coordinator"],
            measured_on=date(2020, 4, 1),
            value=Decimal("0"),
        )
        self.assertEqual(self.goal.measurements.count(), 3)

    def test_a_negative_value_is_refused(self):
        with self.assertRaises(StepRefused) as caught:
            services.measurement_record(
                goal=self.goal,
                user=self.users["coordinator"],
                measured_on=date(2021, 2, 1),
                value=Decimal("-1"),
            )
        self.assertEqual(
            [r.rule for r in caught.exception.refusals], [rules.RULE_VALUE_NOT_NEGATIVE]
        )

    def test_a_partner_records_nothing(self):
        with self.assertRaises(PermissionDenied):
            services.measurement_record(
                goal=self.goal,
                user=self.users["politie"],
                measured_on=date(2021, 2, 1),
                value=Decimal("4"),
            )
        self.assertFalse(
            GoalMeasurement.objects.filter(goal=self.goal, value=4).exists()
        )


class MilestoneRuleTests(ProgrammeTestCase):
    def setUp(self):
        self.milestone = Milestone.objects.get(title="Vijfde sessie gehouden")

    def test_done_not_in_the_future(self):
        tomorrow = self.today + timedelta(days=1)
        with self.assertRaises(StepRefused) as caught:
            services.milestone_mark_done(
                milestone=self.milestone,
                user=self.users["coordinator"],
                done_on=tomorrow,
            )
        self.assertEqual(
            [r.rule for r in caught.exception.refusals], [rules.RULE_DONE_NOT_FUTURE]
        )
        self.milestone.refresh_from_db()
        self.assertIsNone(self.milestone.done_on)
        services.milestone_mark_done(
            milestone=self.milestone, user=self.users["coordinator"], done_on=self.today
        )
        self.milestone.refresh_from_db()
        self.assertEqual(self.milestone.done_on, self.today)

    def test_the_jurist_reads_but_does_not_mark(self):
        with self.assertRaises(PermissionDenied):
            services.milestone_mark_done(
                milestone=self.milestone, user=self.users["jurist"], done_on=self.today
            )


class PeriodRuleTests(ProgrammeTestCase):
    def test_a_programme_ends_after_it_starts(self):
        with self.assertRaises(StepRefused) as caught:
            services.programme_create(
                name="Achterstevoren",
                starts_on=date(2021, 1, 1),
                ends_on=date(2020, 12, 31),
                organisation=self.roermond,
                total_budget=Decimal("1"),
            )
        self.assertEqual(
            [r.rule for r in caught.exception.refusals], [rules.RULE_PERIOD]
        )
