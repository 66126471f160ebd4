"""Issue 14, persoonsgerichte aanpak through `manage.py replay`: hand-worked
scenarios in tests/replay/pga/ (docs/domain.md §5.3; WGS paragraaf 2.4). A
referral by the police on Monday 2 March 2026 unless a scenario says
otherwise; review cycles and after-care are policy terms (`PgaPolicy`,
default six weeks and six months), never moved by the Algemene termijnenwet.
Every date is in the scenario's description."""

from pathlib import Path

from tests.replay.base import ReplayTestCase

DOCS = Path(__file__).resolve().parents[2] / "docs" / "scenarios"


class PgaReplayTests(ReplayTestCase):
    def test_no_participants_before_acceptance_wgs_2_31_lid_2_to_4(self):
        """WGS 2.31 lid 2-4: a participant selected in D00 or D20 is refused;
        the rejection (D20 → D25) offers only the afwijzing, and the
        minimised file takes no new data (lid 8)."""
        lines = self.assert_scenario("pga/intake_and_rejection.json")
        self.assertEqual(lines[-1]["why"][0]["rule"], "WGS art. 2.31 lid 8")

    def test_preparing_the_casusoverleg_wgs_2_31_lid_4_and_5(self):
        """WGS 2.31 lid 4 (participants and directors before D35) and lid 5
        (a planned conference before D40); the invitation is offered from the
        planned conference, to the casusregisseur and not to the police."""
        lines = self.assert_scenario("pga/preparing_the_conference.json")
        self.assertEqual(len(lines[3]["why"]), 2)

    def test_plan_before_interventions_wgs_2_31_lid_5(self):
        """WGS 2.31 lid 5: the plan is adopted in a held casusoverleg, with
        complete interventions of selected participants only; the police
        start their intervention only after adoption, and only their own; the
        plan letter is made after adoption."""
        self.assert_scenario("pga/plan_before_interventions.json")

    def test_evaluation_dates_wgs_2_31_lid_6(self):
        """WGS 2.31 lid 6: execution from 11 March 2026; first review 11 March
        + 42 days = 22 April. Evaluation dated 10 March refused (date 11
        March); 22 April + 4 weeks = 20 May; evaluation dated 21 April refused
        (date 22 April); 20 May + 8 weeks = 15 July."""
        lines = self.assert_scenario("pga/evaluation_dates.json")
        refused = [line["why"][0]["date"] for line in lines if line["why"]]
        self.assertEqual(refused, ["2026-03-11", "2026-04-22"])

    def test_closing_only_after_the_last_evaluation_wgs_2_31_lid_6_and_8(self):
        """WGS 2.31 lid 6 and 8: closing from execution without an evaluation
        is refused; closing dated 21 April, before the evaluation of 22 April,
        is refused with that date; closed 23 April the file is shielded and
        no letter is offered any more."""
        lines = self.assert_scenario("pga/closing_after_evaluation.json")
        self.assertEqual(lines[-2]["why"][0]["date"], "2026-04-22")
        self.assertEqual(lines[-1]["letters"], [])

    def test_top_x_placement_and_after_care_wgs_2_32(self):
        """WGS 2.32 lid 1 and 3: only a candidate, only on published criteria,
        and a placement makes an accepted case; after-care 4 May + 6 months
        = 4 November 2026; closed from after-care on 5 November."""
        self.assert_scenario("pga/top_x_and_aftercare.json")

    def test_walk_from_referral_to_the_shielded_file(self):
        """The worked scenario of docs/scenarios/pga.json (WGS 2.31 lid 1-8)."""
        self.assert_scenario(str(DOCS / "pga.json"))
