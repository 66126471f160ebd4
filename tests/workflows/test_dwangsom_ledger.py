"""The dwangsom ledger (workflows/lod/ledger.py), with figures computed by
hand in each docstring: forfeitures per period on their own dates (Awb 5:33),
partial payments and overpayments, costs before the principal (Awb 4:92 lid 1),
the dated aanmaningsvergoeding (Awb 4:113 lid 1, 11:2), verjaring per
forfeiture with stuiting (5:37a, 4:105, 4:106, 4:110) and the 5:35 lid 2
extension that survives the final ruling, and the refusals of the collection
steps (Awb 3:40, 5:32a lid 2, 4:8, 4:112, 4:117)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

import time_machine

from casework.letter_forms import initial_for
from casework.rules import StepRefused
from casework.steps import step_run
from workflows.legal_protection.machine import DecisionKind, Outcome
from workflows.legal_protection.services import (
    legal_protection_open,
    legal_protection_transition,
)
from workflows.lod.handhavingsmatrix import (
    Measure,
    lod_decision_record,
    seed_example_policy,
)
from workflows.lod.ledger import (
    Charge,
    CollectionAct,
    aanmaning_fee,
    balance,
    charge_record,
    collection_act_record,
    ledger_for,
    refund_record,
    reminder_refusal,
    settled_refusal,
    writ_refusal,
)
from workflows.lod.penalties import (
    Forfeiture,
    forfeiture_book,
    forfeiture_record,
    payment_record,
)

from .base import WorkflowTestCase
from .test_lod_states import PREVENTIVE_ORDER

AMS = ZoneInfo("Europe/Amsterdam")


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=AMS))


class LedgerTestCase(WorkflowTestCase):
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

    def forfeit(self, day, units=1, case=None):
        return forfeiture_record(
            case=case or self.case, user=self.toezicht, forfeited_on=day, units=units
        )

    def pay(self, day, amount, case=None):
        return payment_record(
            case=case or self.case, user=self.invordering, paid_on=day,
            amount=Decimal(amount),
        )  # fmt: skip

    def balance_on(self, day, case=None):
        return ledger_for(case or self.case, today=day).balance()


class PaymentTests(LedgerTestCase):
    def test_a_partial_payment_leaves_the_rest_open_and_is_not_paid(self):
        """€ 1.000 paid of € 5.000 forfeited on 24-03-2026: open 5.000 −
        1.000 = € 4.000; recording "paid" (A75) is refused (the ledger is not
        zero) and a further € 4.000 would settle it."""
        self.order()
        self.forfeit(date(2026, 3, 24))
        self.pay(date(2026, 4, 20), "1000")
        self.assertEqual(
            self.balance_on(date(2026, 4, 21)),
            {"forfeited": "5000.00", "paid": "1000.00", "costs": "0.00",
             "open": "4000.00", "refund_due": "0.00", "time_barred": "0.00",
             "refunded": "0.00"},
        )  # fmt: skip
        refusal = settled_refusal(self.case, date(2026, 4, 21), Decimal("0"))
        self.assertIn("4.000,00", refusal.message)
        self.assertIsNone(
            settled_refusal(self.case, date(2026, 4, 21), Decimal("4000"))
        )

    def test_the_paid_step_is_refused_while_anything_is_open(self):
        """A72 → A75 with € 1.000 of € 5.000: refused, nothing booked, the
        status stays A72; with € 5.000 the case is paid (A75)."""
        case = self.new_case()
        self.walk([*PREVENTIVE_ORDER, ("review_new_report", "toezicht", "A61")],
                  case=case)  # fmt: skip
        self.order(case=case)
        step_run(case=case, name="establish_breach", user=self.toezicht,
                 data={"forfeited_on": date(2026, 3, 24), "units": 1})  # fmt: skip
        self.walk([("propose_collection", "owner", "A71"),
                   ("decide_collection", "owner", "A72")], case=case)  # fmt: skip
        with self.assertRaises(StepRefused) as refused:
            step_run(case=case, name="record_payment", user=self.invordering,
                     data={"paid_on": date(2026, 4, 20),
                           "amount": Decimal("1000")})  # fmt: skip
        self.assertEqual(refused.exception.refusals[0].rule,
                         "Awb 4:92; grootboek: saldo nul")  # fmt: skip
        self.assertEqual(self.status(case), "A72")
        self.assertEqual(case.payments.count(), 0)
        step_run(
            case=case,
            name="record_payment",
            user=self.invordering,
            data={"paid_on": date(2026, 4, 20), "amount": Decimal("5000")},
        )
        self.assertEqual(self.status(case), "A75")

    def test_an_overpayment_is_a_refund_due_never_a_negative_balance(self):
        """€ 7.000 paid on € 5.000: open 0 (not −2.000), refund due 7.000 −
        5.000 = € 2.000. A refund of € 2.500 is refused (more than is due);
        € 2.000 is booked and nothing more is due."""
        self.order()
        self.forfeit(date(2026, 3, 24))
        self.pay(date(2026, 4, 20), "7000")
        got = self.balance_on(date(2026, 4, 21))
        self.assertEqual((got["open"], got["refund_due"]), ("0.00", "2000.00"))
        with self.assertRaises(StepRefused):
            refund_record(
                case=self.case,
                user=self.invordering,
                refunded_on=date(2026, 4, 22),
                amount=Decimal("2500"),
            )
        refund_record(
            case=self.case,
            user=self.invordering,
            refunded_on=date(2026, 4, 22),
            amount=Decimal("2000"),
        )
        got = self.balance_on(date(2026, 4, 23))
        self.assertEqual(
            (got["paid"], got["refunded"], got["refund_due"], got["open"]),
            ("7000.00", "2000.00", "0.00", "0.00"),
        )

    def test_costs_are_paid_before_the_forfeiture_awb_4_92(self):
        """Awb 4:92 lid 1: a payment goes first to the costs. € 5.000
        forfeited; aanmaningsvergoeding € 19 charged 20-05-2026; € 5.000 paid
        25-05-2026: 19 to the costs, 4.981 to the forfeiture, so € 19 stays
        open (5.000 − 4.981)."""
        self.order()
        self.forfeit(date(2026, 3, 24))
        charge_record(case=self.case, user=self.invordering,
                      kind=Charge.Kind.AANMANING, charged_on=date(2026, 5, 20),
                      amount=Decimal("19"))  # fmt: skip
        self.pay(date(2026, 5, 25), "5000")
        ledger = ledger_for(self.case, today=date(2026, 5, 26))
        self.assertEqual(
            (ledger.costs_open, ledger.entries[0].paid, ledger.open),
            (Decimal("0"), Decimal("4981"), Decimal("19")),
        )

    def test_no_balance_without_a_penalty_order(self):
        self.assertIsNone(balance(self.case))


class FeeTests(LedgerTestCase):
    def test_the_aanmaning_fee_is_the_one_valid_on_the_day_awb_4_113(self):
        """Dated rows (ledger.AANMANING_FEES): from 1-1-2015 the threshold is
        € 500 with € 7 / € 15; from 1-9-2024 € 8 / € 19. A debt of € 454 on
        1-6-2014 (threshold € 454 then) costs € 15, on 1-6-2015 € 7; on
        5-1-2026 € 499,99 costs € 8 and € 500 costs € 19."""
        self.assertEqual(aanmaning_fee("454", date(2014, 6, 1)), Decimal("15.00"))
        self.assertEqual(aanmaning_fee("454", date(2015, 6, 1)), Decimal("7.00"))
        self.assertEqual(aanmaning_fee("499.99", date(2026, 1, 5)), Decimal("8.00"))
        self.assertEqual(aanmaning_fee("500", date(2026, 1, 5)), Decimal("19.00"))
        with self.assertRaises(ValidationError):
            aanmaning_fee("100", date(2009, 6, 30))  # before Awb 4:113 existed


class VerjaringTests(LedgerTestCase):
    def test_each_week_runs_its_own_verjaring_and_only_collectible_is_prefilled(
        self,
    ):
        """A dwangsom of € 2.500 per week, three weeks from Tue 06-01-2026:
        entries 06-01, 13-01, 20-01 (Awb 5:33). Each is time-barred one year
        after its own date (5:35 lid 1): after 06-01-2027, 13-01-2027 and
        20-01-2027. On 14-01-2027 the first two are time-barred (€ 5.000),
        € 2.500 is open, and the invorderingsbeschikking is prefilled with the
        third week only (total € 2.500, not € 7.500)."""
        self.order(amount_basis="per_week", amount=Decimal("2500"),
                   maximum=Decimal("10000"), on=date(2026, 1, 2),
                   deviation_reason="Per week")  # fmt: skip
        forfeiture_book(case=self.case, user=self.toezicht,
                        forfeited_on=date(2026, 1, 6), units=3)  # fmt: skip
        ledger = ledger_for(self.case, today=date(2027, 1, 14))
        self.assertEqual(
            [(e.forfeiture.forfeited_on, e.time_barred_after, e.time_barred)
             for e in ledger.entries],
            [(date(2026, 1, 6), date(2027, 1, 6), True),
             (date(2026, 1, 13), date(2027, 1, 13), True),
             (date(2026, 1, 20), date(2027, 1, 20), False)],
        )  # fmt: skip
        self.assertEqual(
            (ledger.time_barred, ledger.open), (Decimal("5000"), Decimal("2500"))
        )
        with at(date(2027, 1, 14)):
            initial = initial_for(self.case, "invorderingsbeschikking")
        self.assertEqual(initial["total_amount"], Decimal("2500"))
        self.assertEqual(initial["forfeitures"].count("\n"), 0)
        self.assertIn("2026-01-20 |", initial["forfeitures"])

    def test_an_aanmaning_and_a_dwangbevel_interrupt_the_verjaring(self):
        """Forfeited 24-03-2026, payment due 06-05-2026 (5:33; 05-05 is
        Bevrijdingsdag). An aanmaning sent 01-06-2026 interrupts (4:105,
        4:106): a new year from 02-06-2026, time-barred after 01-06-2027
        (4:110). A dwangbevel issued 20-07-2026 interrupts again: after
        20-07-2027. An aanmaning dated before the payment date could not
        demand the forfeiture and does not count."""
        self.order()
        self.forfeit(date(2026, 3, 24))
        collection_act_record(
            case=self.case,
            user=self.invordering,
            kind=CollectionAct.Kind.AANMANING,
            on=date(2026, 4, 1),
        )
        line = ledger_for(self.case, today=date(2026, 4, 2)).entries[0]
        self.assertEqual(line.time_barred_after, date(2027, 3, 24))
        collection_act_record(
            case=self.case,
            user=self.invordering,
            kind=CollectionAct.Kind.AANMANING,
            on=date(2026, 6, 1),
        )
        line = ledger_for(self.case, today=date(2026, 6, 2)).entries[0]
        self.assertEqual(line.time_barred_after, date(2027, 6, 1))
        collection_act_record(
            case=self.case,
            user=self.invordering,
            kind=CollectionAct.Kind.DWANGBEVEL,
            on=date(2026, 7, 20),
        )
        line = ledger_for(self.case, today=date(2026, 7, 21)).entries[0]
        self.assertEqual(line.time_barred_after, date(2027, 7, 20))
        self.assertIn("4:106", line.why[-1])

    def test_the_5_35_lid_2_extension_survives_the_final_ruling(self):
        """Forfeited 24-03-2026; bezwaar against the order received
        01-04-2026, dismissed 12-05-2026; beroep lodged 10-06-2026 and still
        pending on 24-03-2027, the day of verjaring: extended until the
        ruling is final (5:35 lid 2). The final ruling, recorded 03-05-2027,
        ends the extension that day: not time-barred on 03-05-2027,
        time-barred from 04-05-2027 — not, as before, back to 24-03-2027."""
        self.order()
        self.forfeit(date(2026, 3, 24))
        protection = legal_protection_open(
            case=self.case, user=self.owner, decision_title="Last onder dwangsom",
            decision_kind=DecisionKind.ORDER, decided_on=date(2026, 3, 2),
        )  # fmt: skip
        for name, on, outcome in (
            ("receive_objection", date(2026, 4, 1), ""),
            ("decide_objection", date(2026, 5, 12), Outcome.DISMISSED),
            ("receive_appeal", date(2026, 6, 10), ""),
        ):
            with at(on):
                protection = legal_protection_transition(
                    protection=protection, name=name, user=self.owner,
                    outcome=outcome, on=on,
                )  # fmt: skip
        self.assertIs(
            ledger_for(self.case, today=date(2027, 4, 1)).entries[0].time_barred,
            False,
        )
        with at(date(2027, 5, 3)):
            legal_protection_transition(
                protection=protection, name="record_final_ruling", user=self.owner,
                outcome=Outcome.DISMISSED, on=date(2027, 5, 3),
            )  # fmt: skip
        line = ledger_for(self.case, today=date(2027, 5, 3)).entries[0]
        self.assertEqual((line.time_barred_after, line.time_barred),
                         (date(2027, 5, 3), False))  # fmt: skip
        self.assertIs(
            ledger_for(self.case, today=date(2027, 5, 4)).entries[0].time_barred,
            True,
        )


class RefusalTests(LedgerTestCase):
    def test_no_forfeiture_before_the_besluit_or_inside_the_grace_period(self):
        """Besluit 01-03-2026 with a begunstigingstermijn of 14 days, made
        known 02-03-2026: the term ends 02-03 + 14 = 16-03-2026 (Awb 5:32a
        lid 2). A forfeiture on 27-02 is before the besluit (Awb 3:40), on
        16-03 inside the term: both refused; 17-03 is the first lawful day."""
        self.order(preventive=False, grace_days=14, deviation_reason="Termijn")
        legal_protection_open(
            case=self.case, user=self.owner, decision_title="Last onder dwangsom",
            decision_kind=DecisionKind.ORDER, decided_on=date(2026, 3, 2),
        )  # fmt: skip
        with self.assertRaises(StepRefused) as refused:
            self.forfeit(date(2026, 2, 27))
        self.assertEqual(refused.exception.refusals[0].rule, "Awb 3:40")
        with self.assertRaises(StepRefused) as refused:
            self.forfeit(date(2026, 3, 16))
        self.assertEqual(
            (refused.exception.refusals[0].rule, refused.exception.refusals[0].on),
            ("Awb 5:32a lid 2", date(2026, 3, 16)),
        )
        self.assertFalse(Forfeiture.objects.exists())
        self.assertEqual(self.forfeit(date(2026, 3, 17)).amount, Decimal("5000"))

    def test_aanmaning_only_after_payment_was_due_and_writ_after_its_term(self):
        """Forfeited 24-03-2026: payment due Wed 06-05-2026 (5:33, Atw). An
        aanmaning on 06-05 is refused (Awb 4:112 lid 1), on 07-05 it is sent,
        with the € 19 fee (debt € 5.000 ≥ € 500). Its two weeks end Thu
        21-05-2026: a dwangbevel on 21-05 is refused (Awb 4:117 lid 1), on
        22-05 it may be issued."""
        case = self.new_case()
        self.walk([*PREVENTIVE_ORDER, ("review_new_report", "toezicht", "A61")],
                  case=case)  # fmt: skip
        self.order(case=case)
        step_run(case=case, name="establish_breach", user=self.toezicht,
                 data={"forfeited_on": date(2026, 3, 24), "units": 1})  # fmt: skip
        self.walk([("propose_collection", "owner", "A71"),
                   ("decide_collection", "owner", "A72")], case=case)  # fmt: skip
        refusal = reminder_refusal(case, date(2026, 5, 6))
        self.assertEqual((refusal.rule, refusal.on),
                         ("Awb 4:112 lid 1", date(2026, 5, 6)))  # fmt: skip
        with self.assertRaises(StepRefused):
            step_run(
                case=case,
                name="send_reminder",
                user=self.invordering,
                data={"sent_on": date(2026, 5, 6), "charge_fee": True},
            )
        self.assertEqual(self.status(case), "A72")
        step_run(case=case, name="send_reminder", user=self.invordering,
                 data={"sent_on": date(2026, 5, 7), "charge_fee": True})  # fmt: skip
        self.assertEqual(self.status(case), "A73")
        self.assertEqual(case.charges.get().amount, Decimal("19.00"))
        refusal = writ_refusal(case, date(2026, 5, 21))
        self.assertEqual((refusal.rule, refusal.on),
                         ("Awb 4:117 lid 1; 4:114", date(2026, 5, 21)))  # fmt: skip
        self.assertIsNone(writ_refusal(case, date(2026, 5, 22)))
        with self.assertRaises(StepRefused):
            step_run(case=case, name="issue_writ", user=self.invordering,
                     data={"issued_on": date(2026, 5, 21)})  # fmt: skip
        step_run(case=case, name="issue_writ", user=self.invordering,
                 data={"issued_on": date(2026, 5, 22)})  # fmt: skip
        self.assertEqual(self.status(case), "A74")
