"""Dwangsom money and collection through `manage.py replay` (docs/dwangsom.md):
the ledger's balance after each step and every refusal of the collection steps,
each scenario under tests/replay/lod/money_*.json, every figure by hand below.

Common prefix (a preventive last onder dwangsom of € 5.000 per violation,
maximum € 15.000, unless the test says otherwise): assessment 06-01-2026,
voornemen 07-01 (views to 21-01), besluit 26-01, bekendmaking 27-01,
monitoring 28-01, new report 02-03, breach established 03-03-2026. Payment
of a forfeiture is due six weeks after it (Awb 5:33, with the Atw): Tue
03-03-2026 + 6 weeks = Tue 14-04-2026.
"""

from workflows.lod.handhavingsmatrix import seed_example_policy

from .base import ReplayTestCase


class LodMoneyReplayTests(ReplayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The besluit needs the municipality's handhavingsmatrix in force.
        seed_example_policy()

    def test_a_partial_payment_is_not_paid_awb_4_92(self):
        """€ 1.000 of € 5.000 does not make the case paid: "record_payment"
        with € 1.000 is refused (open would stay 5.000 − 1.000 = € 4.000);
        booked as a partial payment ("pay") the ledger shows € 4.000 open;
        € 4.000 more on 24-04 settles it: A75, open € 0, and the Awb 5:33
        payment term is closed."""
        self.assert_scenario("lod/money_partial_payment.json")

    def test_an_overpayment_is_a_refund_due(self):
        """€ 7.000 paid on € 5.000: paid (A75), open € 0,00 — never
        "openstaand € −2.000,00" — and € 2.000 refund due. A refund of
        € 2.500 is refused (more than the € 2.000 due); € 2.000 is booked and
        nothing remains due."""
        self.assert_scenario("lod/money_overpayment_refund.json")

    def test_no_forfeiture_before_the_order_or_inside_the_grace_period(self):
        """Awb 3:40 and 5:32a lid 2. A last with a begunstigingstermijn of 14
        days, made known 27-01-2026: the term ends 27-01 + 14 = 10-02-2026. A
        breach dated 20-01 (before the order took effect on 27-01) is refused
        under Awb 3:40, one dated 10-02 (the last day of the term) under
        5:32a lid 2; 11-02 is forfeited, payable Wed 11-02 + 6 weeks =
        Wed 25-03-2026 (5:33)."""
        self.assert_scenario("lod/money_forfeiture_dates.json")

    def test_no_collection_decision_while_the_views_period_runs_awb_4_8(self):
        """Voornemen tot invordering sent Wed 04-03-2026 with two weeks for
        views: the period ends Wed 18-03-2026 (Awb 4:8). The
        invorderingsbeschikking is refused on 18-03 and taken on 19-03; the
        views period is then closed. The voornemen letter is offered at A71
        only, the beschikking from A72 only, to the jurist; the collection
        officer may not make it."""
        self.assert_scenario("lod/money_collection_views_term.json")

    def test_no_aanmaning_before_payment_was_due_awb_4_112(self):
        """Payment of the forfeiture of 03-03-2026 is due until 14-04-2026
        (Awb 5:33): an aanmaning on 14-04 is refused (Awb 4:112 lid 1: only a
        debtor in default), so the case never claims an aanmaning that could
        not lawfully be sent. On 15-04 it is sent: two weeks from 16-04 end
        Wed 29-04-2026; the aanmaningsvergoeding for a debt of € 5.000 (≥
        € 500) on that day is € 19 (Awb 4:113 lid 1), open 5.000 + 19 =
        € 5.019."""
        self.assert_scenario("lod/money_aanmaning_before_due.json")

    def test_no_dwangbevel_before_the_aanmaning_term_passed_awb_4_117(self):
        """Aanmaning sent 15-04-2026, its term ends 29-04-2026 (4:112 lid 1).
        A dwangbevel on the day of the aanmaning (15-04) and on the last day
        of its term (29-04) is refused (Awb 4:117 lid 1, 4:114); on 30-04 it
        is issued (A74). € 5.019 paid on 04-05 (costs € 19 first, Awb 4:92
        lid 1, then € 5.000) settles the ledger: A75."""
        self.assert_scenario("lod/money_dwangbevel_after_aanmaning.json")

    def test_a_dwangsom_per_week_is_booked_and_time_barred_week_by_week(self):
        """€ 2.500 per week, maximum € 10.000. On 17-03-2026 three weeks from
        17-03 are refused: the last would fall on 31-03, not yet begun (5:33).
        Three weeks from 03-03 are booked as three entries, 03-03, 10-03 and
        17-03, payable 14-04, 21-04 and 28-04-2026 (each + 6 weeks). On
        12-03-2027 the first two are time-barred (after 03-03-2027 and
        10-03-2027, Awb 5:35 lid 1: 2 × 2.500 = € 5.000); € 2.500 can still
        be collected, so the voornemen tot invordering is accepted."""
        self.assert_scenario("lod/money_per_week_verjaring.json")

    def test_no_collection_once_everything_is_time_barred_awb_5_35(self):
        """Forfeited 03-03-2026, time-barred after 03-03-2027 (5:35 lid 1; no
        remedy against the order open that day, nothing interrupted it). The
        voornemen tot invordering on 04-03-2027 is refused: € 5.000 is
        time-barred, nothing is open."""
        self.assert_scenario("lod/money_all_time_barred.json")
