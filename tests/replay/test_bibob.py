"""Bibob scenarios through `manage.py replay` (docs/replay.md, docs/bibob.md),
each worked out by hand in the scenario's `note`s: the Awb 4:13 decision term
with the Atw, the art 31 suspension (8 weeks + art 15 lid 2 + at most 4), the
art 33 views periods, and the refusals the law gives with their rule."""

from tests.replay.base import ReplayTestCase


class BibobReplayTests(ReplayTestCase):
    def test_college_grants_with_conditions_after_a_third_party_was_heard_art_33(self):
        """Omgevingsvergunning (college, Ow 5.8): Ow 16.64 term 30 Mar 2026,
        suspended under art 31 from 20 Feb to 6 Apr (46 days) → 15 May 2026;
        the third party's period (art 33 lid 1) blocks the decision until
        22 Apr even after the betrokkene's views; bezwaar until 4 Jun."""
        self.assert_scenario("bibob/college_conditions_third_party.json")

    def test_weigeren_needs_motivation_and_confirmation_awb_3_46(self):
        """Exploitatievergunning (burgemeester): refusal refused during the
        views period (art 33), without motivation (Awb 3:46) or confirmation;
        after it no Besluit verlening can be made; bekendmaking not before
        the besluit (Awb 3:40); bezwaar until 13 May 2026 (Awb 6:7)."""
        self.assert_scenario("bibob/burgemeester_refusal_serious.json")

    def test_a_lesser_degree_allows_conditions_not_a_refusal_art_3_lid_7(self):
        """Alcoholwet licence (Awb 4:13: 8 weeks from 5 Jan = 2 Mar 2026):
        mindere mate → refuse refused (art 3 lid 1 en lid 7), conditions
        granted; bezwaar until 11 Mar 2026 (Awb 6:7, 6:8)."""
        self.assert_scenario("bibob/mindere_mate_conditions_not_refusal.json")

    def test_a_refusal_on_art_3_lid_6_with_a_lesser_degree(self):
        """Art 3 lid 6 carries a refusal without ernstig gevaar; the letter
        cannot then put the a-ground (art 3 lid 1) on a lesser degree."""
        self.assert_scenario("bibob/lid6_refusal_on_lesser_degree.json")

    def test_a_vastgoedtransactie_is_no_besluit_art_5a(self):
        """Art 5a: no Awb 4:13 term, no Awb 4:5, no art 31 suspension (LBB
        term alone: 16 Feb + 8 weeks = 13 Apr 2026), no bezwaartermijn."""
        self.assert_scenario("bibob/vastgoed_private_law.json")

    def test_the_art_31_suspension_ends_at_its_cap(self):
        """Art 31 with art 15: cap 19 Jan + (56 + 5 + 28) − 1 = 17 Apr 2026;
        Ow 16.64 term 2 Mar + 89 suspended days = Sat 30 May → Mon 1 Jun
        (Atw art 1); lid 2 data not before the LBB asked (art 15 lid 2)."""
        self.assert_scenario("bibob/art31_cap_lid2_and_extension.json")

    def test_herstelverzuim_suspends_the_term_awb_4_15(self):
        """Subsidie: Awb 4:13 term ends on Koningsdag → 28 Apr (Atw); 4:15
        lid 1 a suspends 10–16 Mar (7 days) → 4 May 2026; dates before the
        application or the invitation refused (Awb 4:5)."""
        self.assert_scenario("bibob/herstelverzuim_suspension.json")

    def test_no_decision_before_the_advice_or_the_views_art_31_art_33(self):
        """Art 31 / Awb 3:9: no voornemen or besluit dated before the advice;
        art 33: no views before the voornemen, no decision on the last day
        of the views period."""
        self.assert_scenario("bibob/decision_order_advice_and_views.json")

    def test_revocation_after_the_form_was_refused_art_4_lid_1(self):
        """Art 4 lid 1: revocation path; Awb 4:5 not in a revocation
        inquiry; revoke needs its motivation (Awb 3:46); bezwaar until
        5 Aug 2026."""
        self.assert_scenario("bibob/revocation_form_refused.json")

    def test_set_aside_only_after_the_repair_period_awb_4_5(self):
        """Awb 4:5: not on the period's last day; 4:5 lid 4 term 18 May."""
        self.assert_scenario("bibob/set_aside_after_repair_period.json")

    def test_without_an_advice_the_college_decides_after_the_art_31_cap(self):
        """Art 31: cap 12 Jan + 56 − 1 = 8 Mar 2026; not before it; Ow term
        2 Mar + 56 = 27 Apr (Koningsdag) → 28 Apr; the views period ending on
        tweede Paasdag (6 Apr) moves to 7 Apr (Atw art 1, 3)."""
        self.assert_scenario("bibob/no_advice_within_the_art31_cap.json")
