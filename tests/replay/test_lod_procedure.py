"""The LOD procedure (A00–A61, A80–A99) replayed: hand-computed scenarios in
tests/replay/lod/procedure_*.json, each step's expectation worked out below
and in the scenario's notes. Terms set by law are extended by the Algemene
termijnenwet (art 1: a Saturday, Sunday or holiday as last day moves to the
next working day; art 3 holidays in 2026: 2e Paasdag Mon 6 Apr, Koningsdag
Mon 27 Apr, 2e Pinksterdag Mon 25 May); a begunstigingstermijn and a views
period set in a letter are not."""

from pathlib import Path

from .base import ReplayTestCase


class LodProcedureReplayTests(ReplayTestCase):
    def test_awb_4_8_3_40_5_7_preventive_order(self):
        """Intention Wed 4 Feb 2026, two weeks from Thu 5 Feb: last day Wed 18
        Feb (no Atw). views_term_expired refused on 18 Feb, taken on 19 Feb; a
        besluit dated 18 Feb refused (Awb 4:8), dated 19 Feb taken. A
        bekendmaking dated 18 Feb, before the besluit, refused (Awb 3:40,
        3:41); made known Mon 23 Feb: bezwaar six weeks from Tue 24 Feb, last
        day Mon 6 Apr = 2e Paasdag → Tue 7 Apr 2026 (Awb 6:7, 6:8; Atw). The
        besluit has no begunstigingstermijn: start_grace_period refused
        (Awb 5:7; 5:32a lid 2), start_monitoring taken."""
        self.assert_scenario("lod/procedure_preventive.json")

    def test_awb_5_32a_grace_period_not_extended_by_the_atw(self):
        """Intention Wed 25 Mar, views to Wed 8 Apr 2026. Besluit Thu 9 Apr
        with 14 days' grace; made known Mon 13 Apr: bezwaar from Tue 14 Apr,
        six weeks → Mon 25 May = 2e Pinksterdag → Tue 26 May 2026. Monitoring
        refused (not preventive); a grace period of 3 weeks (21 days) refused;
        14 days from Tue 14 Apr end Mon 27 Apr = Koningsdag, not extended
        (Awb 5:32a lid 2 is a term the organ sets). Re-inspection refused on
        27 Apr, taken on Tue 28 Apr."""
        self.assert_scenario("lod/procedure_grace_period.json")

    def test_awb_4_8_4_9_views_received_before_the_period_ends(self):
        """Intention dated Wed 3 Jun on Tue 2 Jun (future) refused by the
        form; dated Fri 29 May, before the finding of Mon 1 Jun, refused.
        Sent Tue 2 Jun: views to Tue 16 Jun 2026. Views dated 1 Jun (before
        the intention) refused (Awb 4:8); oral views without a report refused
        (Awb 4:9); with a report taken on Mon 8 Jun, which closes the period.
        A besluit dated Fri 5 Jun, before the views, refused; dated Tue 9 Jun
        taken though the period would have run to 16 Jun. Toezicht may not
        make the besluit letter."""
        self.assert_scenario("lod/procedure_views_received.json")

    def test_awb_3_40_5_24_closure_after_the_grace_period(self):
        """Intention Wed 9 Sep, views to Wed 23 Sep 2026. Closure order Thu 24
        Sep (3 months, 14 days' grace): execution refused before bekendmaking
        (Awb 3:40; 5:24 lid 2). Made known Fri 25 Sep: bezwaar from Sat 26
        Sep six weeks → Fri 6 Nov 2026; grace 14 days from Sat 26 Sep → Fri 9
        Oct. Execution refused on 9 Oct, taken Mon 12 Oct (the grace deadline
        closes); closed_on 9 Oct refused (Awb 5:24 lid 2); closed Mon 12 Oct
        + 3 months = Tue 12 Jan 2027."""
        self.assert_scenario("lod/procedure_closure.json")

    def test_awb_5_31_urgent_closure_executed_at_once(self):
        """Finding Mon 5 Oct 2026: an urgent closure dated Sun 4 Oct refused;
        dated 5 Oct taken and executed the same day (no begunstigingstermijn,
        Awb 5:31 lid 1); closed 5 Oct + 3 months = Tue 5 Jan 2027."""
        self.assert_scenario("lod/procedure_urgent_closure.json")

    def test_awb_4_13_5_34_requests_to_lift_the_order(self):
        """Made known Mon 23 Feb 2026. A request received Fri 20 Feb refused
        (Awb 3:40, 5:34). Received Mon 2 Mar: eight weeks (Awb 4:13 lid 2) →
        Mon 27 Apr = Koningsdag → Tue 28 Apr 2026. Refusal dated 1 Mar
        refused (Awb 4:13); refused on 9 Mar: back to A60, the term met.
        Second request Mon 15 Feb 2027: eight weeks → Mon 12 Apr 2027 (a
        working day). Lifting on lid 2 (a year in force without forfeiture:
        from the bekendmaking, to Tue 23 Feb 2027 inclusive) refused on Mon
        22 Feb 2027, taken on Wed 24 Feb 2027; the bezwaar term long over,
        the case closes."""
        self.assert_scenario("lod/procedure_lift_request.json")

    def test_awb_6_7_not_closed_while_the_bezwaar_term_runs(self):
        """Made known Mon 23 Feb 2026: bezwaar six weeks from Tue 24 Feb →
        Mon 6 Apr = 2e Paasdag → Tue 7 Apr 2026 (Awb 6:7, 6:8; Atw art 1,
        3). Lifted on Tue 3 Mar (Awb 5:34 lid 1); closing refused on 3 Mar
        and on 7 Apr, the last day; taken on Wed 8 Apr 2026."""
        self.assert_scenario("lod/procedure_close_remedy_term.json")

    def test_letters_bound_to_the_warning_step(self):
        """Softdrugs 20 g in a woning: the policy's warning. The
        waarschuwing is offered only after send_warning, only to the jurist;
        no voornemen or besluit letter on this case."""
        self.assert_scenario("lod/procedure_warning.json")

    def test_the_worked_scenario_in_the_docs(self):
        """docs/scenarios/lod.json: the preventive scenario above with the
        voornemen and besluit letters made from the case (Awb 4:8, 3:40,
        5:9, 5:32b, 3:4 lid 2)."""
        path = Path(__file__).resolve().parents[2] / "docs" / "scenarios" / "lod.json"
        lines = self.assert_scenario(str(path))
        self.assertEqual(lines[-1]["status"], "A60")

    def test_awb_7_11_8_1_beslissing_op_bezwaar_letter_after_the_decision(self):
        """Made known Mon 23 Feb 2026: bezwaar from Tue 24 Feb, six weeks → Mon
        6 Apr = 2e Paasdag → Tue 7 Apr (Awb 6:7, 6:8; Atw). Objection received
        Fri 20 Mar: the beslistermijn runs six weeks from the day after 7 Apr
        → Tue 19 May 2026 (Awb 7:10 lid 1). The beslissing op bezwaar letter is
        not offered before the decision and refused on 14 Apr (Awb 7:11).
        Dismissed and made known Mon 4 May: beroep from Tue 5 May, six weeks →
        Mon 15 Jun 2026 (Awb 6:7, 8:1). Toezicht may not make the letter; the
        jurist makes it, bound to the recorded decision."""
        lines = self.assert_scenario("lod/procedure_beslissing_op_bezwaar.json")
        self.assertEqual(lines[-1]["document"], "beslissing_op_bezwaar v1")
