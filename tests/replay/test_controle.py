"""Issue 14, integrale controle through `manage.py replay`: hand-worked
scenarios in tests/replay/controle/ (docs/domain.md §4.3, §4.5; WGS 1.5 lid 4
and 1.7 lid 6 for the follow-up's partners). Every date is in the scenario's
notes; the visit is planned for Tuesday 10 March 2026 at 09:00 unless a
scenario says otherwise."""

from tests.replay.base import ReplayTestCase


class ControleReplayTests(ReplayTestCase):
    def test_walk_from_triage_to_feedback_domain_4_3(self):
        """§4.3 C00 → C70: the plan is refused before a partner confirmed
        (C25 → C30), then fixed on 4 March for 10 March; briefing, start and
        finish on 10 March; the bezoekrapport is offered from C50, the
        terugkoppelingsbrief from C70."""
        self.assert_scenario("controle/walk_to_follow_up.json")

    def test_slots_by_discipline_domain_4_3_c25_c30(self):
        """§4.3 C25 → C30 "partners confirmed; each names its legal basis":
        the police place refuses the Belastingdienst, one place per
        discipline, a changed place is confirmed again, and the last
        confirmed partner of a fixed plan stays."""
        self.assert_scenario("controle/slots_by_discipline.json")

    def test_briefing_not_before_the_planned_date_domain_4_3_c30_c35(self):
        """§4.3 C30 → C35: planned for 10 March; held 9 March refused (the
        refusal's date is 10 March); 11 March is in the future on 10 March;
        10 March accepted."""
        lines = self.assert_scenario("controle/briefing_not_before_planned_date.json")
        refused = next(line for line in lines if line["why"])
        self.assertEqual(refused["why"][0]["date"], "2026-03-10")

    def test_start_and_finish_in_order_domain_4_3_c35_c50(self):
        """§4.3 C35 → C40 → C50: briefing 11 March; start 9 March refused
        twice (planned 10 March, briefing 11 March), start 10 March refused
        (briefing 11 March), start 11 March accepted; finish 10 March refused
        (start 11 March), finish 11 March accepted."""
        lines = self.assert_scenario("controle/start_and_finish_in_order.json")
        self.assertEqual(
            [w["date"] for w in lines[9]["why"]], ["2026-03-10", "2026-03-11"]
        )
        self.assertEqual([w["date"] for w in lines[12]["why"]], ["2026-03-11"])

    def test_slots_are_fixed_once_the_visit_started_domain_4_3_c40(self):
        """§4.3 C40 → C50: from the start on 10 March the partner list is a
        fact of the visit; add, edit and remove are refused with that date."""
        lines = self.assert_scenario("controle/slots_fixed_after_the_visit.json")
        self.assertEqual(
            {w["date"] for line in lines[-3:] for w in line["why"]}, {"2026-03-10"}
        )

    def test_follow_up_needs_a_jurist_wgs_1_7_lid_6(self):
        """§4.3 C60 → C61: only in C60; without a jurist on the team the LOD
        case's first task would be orphaned; a named handler must be a
        jurist; partners only from the team and only by choice (WGS 1.5 lid
        4, 1.7 lid 6)."""
        self.assert_scenario("controle/follow_up_needs_a_jurist.json")

    def test_letters_at_their_step_and_role_domain_4_5(self):
        """§4.5: no bezoekrapport before the visit (C50); no
        terugkoppelingsbrief before the feedback step (C70), and not by the
        inspector."""
        self.assert_scenario("controle/letters_at_their_step.json")

    def test_abort_and_a_new_visit_domain_4_3_c40_c45(self):
        """§4.3 C40 → C45 → C75 → C30: the abort needs its reason and comes
        after the start (10 March); the aborted visit cannot be fixed again,
        a new visit on 17 March can, and its briefing is refused on 16
        March."""
        self.assert_scenario("controle/abort_and_a_new_visit.json")
