"""Dwangsom accounting: forfeitures capped at the maximum, payment due six
weeks after forfeiture (Awb 5:33, with the Atw), verjaring after a year
(5:35 lid 1, no Atw), extended while bezwaar against the order is pending
(lid 2) and interrupted by the invorderingsbeschikking (5:37a). Every date is
computed by hand in the comment beside it."""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.models import Deadline
from casework.steps import step_run
from workflows.legal_protection.machine import DecisionKind, Outcome
from workflows.legal_protection.services import (
    legal_protection_open,
    legal_protection_transition,
)
from workflows.lod.handhavingsmatrix import (
    LodDecision,
    Measure,
    lod_decision_record,
    seed_example_policy,
)
from workflows.lod.penalties import (
    Forfeiture,
    dwangsom_account,
    forfeiture_record,
    payment_record,
    time_barred_after,
)

from .base import WorkflowTestCase
from .test_lod_states import PREVENTIVE_ORDER


class PenaltyTestCase(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_example_policy()

    def order(self, case=None, **values):
        data = {
            "measure": Measure.DWANGSOM,
            "amount": Decimal("5000"),
            "amount_basis": "per_violation",
            "maximum": Decimal("15000"),
            "preventive": True,
            "on": date(2026, 3, 1),
            **values,
        }
        return lod_decision_record(
            case=case or self.case, user=self.burgemeester, **data
        )

    def forfeit(self, day, units=1, user=None):
        return forfeiture_record(
            case=self.case, user=user or self.toezicht, forfeited_on=day, units=units
        )


class ForfeitureTests(PenaltyTestCase):
    def test_forfeitures_add_up_and_stop_at_the_maximum(self):
        self.order()
        first = self.forfeit(date(2026, 3, 23))
        second = self.forfeit(date(2026, 4, 20))
        third = self.forfeit(date(2026, 5, 18), units=2)  # 10,000 asked, 5,000 left
        self.assertEqual(
            [(f.amount, f.capped) for f in (first, second, third)],
            [(Decimal("5000"), False), (Decimal("5000"), False),
             (Decimal("5000"), True)],
        )  # fmt: skip
        with self.assertRaises(ValidationError):
            self.forfeit(date(2026, 6, 1))
        account = dwangsom_account(self.case, today=date(2026, 6, 1))
        self.assertEqual(
            (account.total, account.remaining, account.maximum_reached),
            (Decimal("15000"), Decimal("0"), True),
        )

    def test_a_lump_sum_is_forfeited_once(self):
        self.order(amount_basis="lump_sum", amount=Decimal("10000"),
                   maximum=Decimal("10000"), deviation_reason="Eenmalig")  # fmt: skip
        self.assertEqual(self.forfeit(date(2026, 3, 23), units=4).amount, 10000)

    def test_no_forfeiture_without_a_penalty_order(self):
        with self.assertRaises(ValidationError):
            self.forfeit(date(2026, 3, 23))
        self.order(measure=Measure.SLUITING, closure_months=3, grace_days=14,
                   amount=None, maximum=None, amount_basis="",
                   deviation_reason="Ernstig")  # fmt: skip
        with self.assertRaises(ValidationError):
            self.forfeit(date(2026, 3, 23))

    def test_who_records_forfeitures_and_payments(self):
        self.order()
        for user in (self.invordering, self.politie_user, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.forfeit(date(2026, 3, 23), user=user)
        self.forfeit(date(2026, 3, 23), user=self.owner)
        for user in (self.toezicht, self.politie_user, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                payment_record(case=self.case, user=user, paid_on=date(2026, 4, 1),
                               amount=Decimal("100"))  # fmt: skip
        payment_record(case=self.case, user=self.invordering,
                       paid_on=date(2026, 4, 1), amount=Decimal("5000"))  # fmt: skip
        self.assertEqual(dwangsom_account(self.case).outstanding, 0)


class DatesTests(PenaltyTestCase):
    def test_payment_is_due_six_weeks_after_forfeiture_with_the_atw(self):
        self.order()
        self.forfeit(date(2026, 3, 23))
        self.forfeit(date(2026, 3, 24))
        lines = dwangsom_account(self.case, today=date(2026, 4, 1)).lines
        # Mon 23-03-2026 + 6 weeks = Mon 04-05-2026, a working day.
        # Tue 24-03-2026 + 6 weeks = Tue 05-05-2026, Bevrijdingsdag (Atw art 3,
        # every year) → Wed 06-05-2026.
        self.assertEqual(
            [line.payment_due for line in lines],
            [date(2026, 5, 4), date(2026, 5, 6)],
        )

    def test_time_barred_one_year_after_forfeiture_without_the_atw(self):
        # Forfeited Sat 28-03-2026: a year later is Sun 28-03-2027; the Atw
        # does not apply to terms in years (art 4 a), so it stays a Sunday.
        end, held_open, lines = time_barred_after(date(2026, 3, 28))
        self.assertEqual((end, held_open), (date(2027, 3, 28), False))
        self.assertEqual(len(lines), 1)
        self.order()
        self.forfeit(date(2026, 3, 28))
        self.assertFalse(
            dwangsom_account(self.case, today=date(2027, 3, 28)).lines[0].time_barred
        )
        self.assertTrue(
            dwangsom_account(self.case, today=date(2027, 3, 29)).lines[0].time_barred
        )

    def test_only_a_remedy_open_on_the_last_day_holds_the_term_open(self):
        """Awb 5:35 lid 2: not the days a remedy was pending, but whether one
        is open or pending on the day of verjaring."""
        self.order()
        self.forfeit(date(2026, 3, 24))
        protection = legal_protection_open(
            case=self.case, user=self.owner, decision_title="Last onder dwangsom",
            decision_kind=DecisionKind.ORDER, decided_on=date(2026, 3, 2),
        )  # fmt: skip
        protection = legal_protection_transition(
            protection=protection, name="receive_objection", user=self.owner,
            on=date(2026, 4, 1),
        )  # fmt: skip
        legal_protection_transition(
            protection=protection, name="decide_objection", user=self.owner,
            outcome=Outcome.DISMISSED, on=date(2026, 5, 12),
        )  # fmt: skip
        # On 01-06-2026 the beroepstermijn (13-05 + 6 weeks = Tue 23-06-2026)
        # is still open: were that so on 24-03-2027, the term would run on.
        line = dwangsom_account(self.case, today=date(2026, 6, 1)).lines[0]
        self.assertEqual(line.time_barred_after, date(2027, 3, 24))
        # By 01-07-2026 the beroepstermijn passed unused: final on 23-06-2026,
        # long before 24-03-2027, so no extension: time-barred after
        # 24-03-2027 (24-03-2026 + 1 year).
        line = dwangsom_account(self.case, today=date(2027, 3, 25)).lines[0]
        self.assertEqual(line.time_barred_after, date(2027, 3, 24))
        self.assertIs(line.time_barred, True)

    def test_the_collection_decision_interrupts_the_term(self):
        self.order()
        self.forfeit(date(2026, 3, 24))
        legal_protection_open(
            case=self.case, user=self.owner, decision_title="Invorderingsbeschikking",
            decision_kind=DecisionKind.COLLECTION, decided_on=date(2026, 6, 10),
        )  # fmt: skip
        line = dwangsom_account(self.case, today=date(2026, 7, 1)).lines[0]
        # Interrupted on 10-06-2026: a new year to 10-06-2027.
        self.assertEqual(line.time_barred_after, date(2027, 6, 10))

    def test_no_collection_proposal_once_everything_is_time_barred(self):
        case = self.new_case()
        self.walk([*PREVENTIVE_ORDER, ("review_new_report", "toezicht", "A61")],
                  case=case)  # fmt: skip
        self.order(case=case)
        # A besluit of December 2024, entered now (no policy version of that
        # date exists in this test, so the date is set on the row).
        LodDecision.objects.filter(case=case).update(
            decided_at=timezone.make_aware(datetime(2024, 12, 2, 12))
        )
        # Forfeited long ago: 02-01-2025 + 1 year = 02-01-2026, past.
        step_run(case=case, name="establish_breach", user=self.toezicht,
                 data={"forfeited_on": date(2025, 1, 2), "units": 1})  # fmt: skip
        self.assertEqual(Forfeiture.objects.filter(case=case).count(), 1)
        with self.assertRaises(ValidationError):
            step_run(case=case, name="propose_collection", user=self.owner)
        self.assertEqual(self.status(case), "A70")


class BreachAndPaymentStepsTests(PenaltyTestCase):
    def test_breach_forfeits_and_sets_the_payment_term_payment_closes_it(self):
        case = self.new_case()
        self.walk([*PREVENTIVE_ORDER, ("review_new_report", "toezicht", "A61")],
                  case=case)  # fmt: skip
        self.order(case=case)
        step_run(case=case, name="establish_breach", user=self.toezicht,
                 data={"forfeited_on": date(2026, 3, 24), "units": 1})  # fmt: skip
        deadline = Deadline.objects.get(case=case, legal_basis="Awb 5:33")
        # As above: Tue 24-03-2026 + 6 weeks = 05-05 (Bevrijdingsdag) → 06-05.
        self.assertEqual(
            (deadline.end_date, deadline.obligation, deadline.owner),
            (date(2026, 5, 6), Deadline.Obligation.PARTY, self.owner),
        )
        self.walk(
            [("propose_collection", "owner", "A71"),
             ("decide_collection", "owner", "A72")],
            case=case,
        )  # fmt: skip
        paid = {"paid_on": date(2026, 4, 20), "amount": Decimal("5000")}
        step_run(case=case, name="record_payment", user=self.invordering, data=paid)
        self.assertEqual(self.status(case), "A75")
        deadline.refresh_from_db()
        self.assertEqual(
            (deadline.state, deadline.met_on), (Deadline.State.MET, date(2026, 4, 20))
        )
        self.assertEqual(dwangsom_account(case).outstanding, 0)
