"""Dwangsom accounting (workflows/lod/penalties.py) measured against the text of
the Awb in force (BWBR0005537 @2024-09-01, the version docs/domain.md §0 uses):

- 5:35 lid 1: the claim is time-barred one year after the day of forfeiture;
- 5:35 lid 2: "Indien op de dag waarop de rechtsvordering verjaart, bezwaar,
  beroep of hoger beroep openstaat of aanhangig is tegen de last onder
  dwangsom, wordt de verjaringstermijn verlengd tot onherroepelijk op het
  bezwaar, beroep of hoger beroep is beslist." An extension happens only when
  a remedy against the order is open or pending *on that day*, and it runs to
  the final decision; it is not a count of the days a remedy was pending;
- 5:37a lid 1: the invorderingsbeschikking interrupts (stuit) the verjaring;
  4:110: a new term starts the next day, as long as the original (one year).

The defects a review pinned here as `expectedFailure` tests are fixed; their
tests now run as ordinary tests (docs/dwangsom.md).
Every date is computed by hand in the comment beside it.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError

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
from workflows.lod.penalties import (
    Forfeiture,
    dwangsom_account,
    forfeiture_book,
    forfeiture_record,
    payment_record,
)

from .base import WorkflowTestCase

FORFEITED = date(2026, 3, 24)  # a Tuesday


class AccountTestCase(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_example_policy()

    def order(self, **values):
        data = {
            "measure": Measure.DWANGSOM,
            "amount": Decimal("5000"),
            "amount_basis": "per_violation",
            "maximum": Decimal("15000"),
            "preventive": True,
            "on": date(2026, 3, 1),
            **values,
        }
        return lod_decision_record(case=self.case, user=self.burgemeester, **data)

    def forfeit(self, day=FORFEITED, units=1):
        return forfeiture_record(
            case=self.case, user=self.toezicht, forfeited_on=day, units=units
        )

    def objection(self, *, received, decided):
        """A bezwaar against the order, dismissed on `decided`."""
        protection = legal_protection_open(
            case=self.case, user=self.owner, decision_title="Last onder dwangsom",
            decision_kind=DecisionKind.ORDER, decided_on=date(2026, 3, 2),
        )  # fmt: skip
        protection = legal_protection_transition(
            protection=protection, name="receive_objection", user=self.owner,
            on=received,
        )  # fmt: skip
        return legal_protection_transition(
            protection=protection, name="decide_objection", user=self.owner,
            outcome=Outcome.DISMISSED, on=decided,
        )  # fmt: skip

    def collection(self, made_known_on, title="Invorderingsbeschikking"):
        legal_protection_open(
            case=self.case, user=self.owner, decision_title=title,
            decision_kind=DecisionKind.COLLECTION, decided_on=made_known_on,
        )  # fmt: skip

    def line(self, today, index=0):
        return dwangsom_account(self.case, today=today).lines[index]


class VerjaringTests(AccountTestCase):
    # Was a defect: the implementation adds the days a remedy was pending (here 42)
    # and, for a protection marked final from R30 without an appeal, a second
    # "appeal" interval from the day the appeal term was closed to the day the
    # R90 step was *recorded* (wall clock). 5:35 lid 2 extends only when a
    # remedy is open or pending on the day of verjaring.
    def test_an_objection_decided_long_before_the_verjaring_day_does_not_extend(
        self,
    ):
        self.order()
        self.forfeit()
        protection = self.objection(
            received=date(2026, 4, 1), decided=date(2026, 5, 12)
        )
        # Beroepstermijn: from Wed 13-05-2026, 6 weeks → Tue 23-06-2026
        # (a working day). Unused; marked final on 24-06-2026.
        legal_protection_transition(
            protection=protection, name="become_final", user=self.owner,
            on=date(2026, 6, 24),
        )  # fmt: skip
        # 24-03-2026 + 1 year = 24-03-2027; nothing open or pending on that
        # day, so no extension (5:35 lid 2 does not apply).
        self.assertEqual(self.line(date(2027, 4, 1)).time_barred_after,
                         date(2027, 3, 24))  # fmt: skip

    # Was a defect: pending days before the interruption are added to the new term.
    def test_the_interruption_starts_a_fresh_year(self):
        self.order()
        self.forfeit()
        self.objection(received=date(2026, 4, 1), decided=date(2026, 5, 12))
        self.collection(date(2026, 6, 10))
        # Stuiting on 10-06-2026 (5:37a lid 1): a new year from the next day,
        # 11-06-2026 (4:110 lid 1–2), so time-barred after 10-06-2027. The
        # objection of April–May lay in the interrupted term; nothing is open
        # or pending on 10-06-2027. (The implementation says 22-07-2027:
        # 10-06-2027 + 42 days.)
        self.assertEqual(self.line(date(2026, 7, 1)).time_barred_after,
                         date(2027, 6, 10))  # fmt: skip

    # Was a defect: an interruption after the one-year date is ignored even when the
    # term was still running because an appeal against the order was pending.
    def test_an_interruption_during_the_extension_counts(self):
        self.order()
        self.forfeit()
        protection = self.objection(
            received=date(2026, 4, 1), decided=date(2026, 5, 12)
        )
        legal_protection_transition(
            protection=protection, name="receive_appeal", user=self.owner,
            on=date(2026, 6, 10),
        )  # fmt: skip
        # 24-03-2027: the appeal is pending (R40), so the term runs on until
        # the final ruling (5:35 lid 2). The invorderingsbeschikking made known
        # on Tue 20-04-2027 interrupts it: a new year from 21-04-2027, to
        # 20-04-2028 (4:110).
        self.collection(date(2027, 4, 20))
        line = self.line(date(2027, 5, 1))
        self.assertIs(line.time_barred, False)
        self.assertEqual(line.time_barred_after, date(2028, 4, 20))

    # Was a defect: only the case's first invorderingsbeschikking is read.
    def test_a_later_collection_decision_interrupts_a_later_forfeiture(self):
        self.order()
        self.forfeit(FORFEITED)
        self.collection(date(2026, 6, 10))
        self.forfeit(date(2026, 7, 1))
        self.collection(date(2026, 9, 1), title="Invorderingsbeschikking 2")
        # Second forfeiture 01-07-2026; the second beschikking, made known
        # 01-09-2026, interrupts it: a new year from 02-09-2026, to 01-09-2027.
        # (The implementation gives 01-07-2027: 01-07-2026 + 1 year.)
        self.assertEqual(self.line(date(2026, 9, 2), index=1).time_barred_after,
                         date(2027, 9, 1))  # fmt: skip

    def test_a_pending_appeal_on_the_verjaring_day_keeps_the_claim_alive(self):
        self.order()
        self.forfeit()
        protection = self.objection(
            received=date(2026, 4, 1), decided=date(2026, 5, 12)
        )
        legal_protection_transition(
            protection=protection, name="receive_appeal", user=self.owner,
            on=date(2026, 6, 10),
        )  # fmt: skip
        # 24-03-2026 + 1 year = 24-03-2027, but the appeal against the order
        # is still pending on 01-04-2027 (R40): not time-barred (5:35 lid 2).
        self.assertIs(self.line(date(2027, 4, 1)).time_barred, False)

    def test_without_remedies_or_interruption_one_year_and_no_atw(self):
        self.order(on=date(2026, 2, 2))  # in force before the forfeiture
        self.forfeit(date(2026, 2, 28))
        # Sat 28-02-2026 + 1 year = Sun 28-02-2027; years: no Atw (art 4 a).
        line = self.line(date(2027, 2, 28))
        self.assertEqual(line.time_barred_after, date(2027, 2, 28))
        self.assertIs(line.time_barred, False)
        self.assertIs(self.line(date(2027, 3, 1)).time_barred, True)


class ForfeitureTests(AccountTestCase):
    def test_per_week_books_each_week_on_its_own_date_and_caps_at_the_maximum(self):
        """Awb 5:32b lid 1–2, 5:33: a dwangsom per week of € 2.500 with a
        maximum of € 10.000. Three weeks from Tue 07-04-2026 are three
        entries: 07-04, 14-04, 21-04 (3 × 2.500 = 7.500). Three more from
        28-04: only 28-04 fits (10.000 − 7.500 = 2.500); 05-05 and 12-05 are
        not forfeited, so the 28-04 entry is marked capped. Each week pays
        six weeks after its own date: 07-04 + 6 weeks = Tue 19-05-2026;
        14-04 → Tue 26-05; 21-04 → Tue 02-06 (working days, no Atw shift)."""
        self.order(amount_basis="per_week", amount=Decimal("2500"),
                   maximum=Decimal("10000"), deviation_reason="Per week")  # fmt: skip
        first = forfeiture_book(case=self.case, user=self.toezicht,
                                forfeited_on=date(2026, 4, 7), units=3)  # fmt: skip
        second = forfeiture_book(case=self.case, user=self.toezicht,
                                 forfeited_on=date(2026, 4, 28), units=3)  # fmt: skip
        self.assertEqual(
            [(f.forfeited_on, f.amount, f.capped) for f in (*first, *second)],
            [(date(2026, 4, 7), Decimal("2500"), False),
             (date(2026, 4, 14), Decimal("2500"), False),
             (date(2026, 4, 21), Decimal("2500"), False),
             (date(2026, 4, 28), Decimal("2500"), True)],
        )  # fmt: skip
        account = dwangsom_account(self.case, today=date(2026, 5, 1))
        self.assertEqual(
            (account.total, account.remaining, account.maximum_reached),
            (Decimal("10000"), Decimal("0"), True),
        )
        self.assertEqual(
            [line.payment_due for line in account.lines[:3]],
            [date(2026, 5, 19), date(2026, 5, 26), date(2026, 6, 2)],
        )

    def test_payments_reduce_what_is_outstanding(self):
        self.order()
        self.forfeit()
        self.forfeit(date(2026, 4, 21))
        payment_record(case=self.case, user=self.invordering,
                       paid_on=date(2026, 5, 1), amount=Decimal("6000"))  # fmt: skip
        account = dwangsom_account(self.case, today=date(2026, 5, 2))
        self.assertEqual(
            (account.total, account.paid, account.outstanding),
            (Decimal("10000"), Decimal("6000"), Decimal("4000")),
        )

    def test_refused_inputs_and_users_store_nothing(self):
        self.order()
        for amount in (Decimal("0"), Decimal("-10")):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                payment_record(case=self.case, user=self.invordering,
                               paid_on=date(2026, 5, 1), amount=amount)  # fmt: skip
        for user in (self.politie_user, self.outsider, self.burgemeester):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                forfeiture_record(case=self.case, user=user, forfeited_on=FORFEITED)
        self.assertFalse(Forfeiture.objects.exists())
        self.assertEqual(self.case.payments.count(), 0)

    # Defect: nothing checks the forfeiture date against the order; a penalty
    # cannot be forfeited before the order exists (let alone before its
    # bekendmaking and the end of the begunstigingstermijn).
    def test_no_forfeiture_before_the_order(self):
        self.order()
        with self.assertRaises(ValidationError):
            self.forfeit(date(2020, 1, 1))
