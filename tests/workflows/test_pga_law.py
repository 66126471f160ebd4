"""Issue 14 for the PGA (docs/domain.md §5.3; WGS paragraaf 2.4): every
refusal names its rule (`casework.rules.Refusal`) — no participants or
health data before acceptance (2.31 lid 2-4), no intervention started before
the plan (lid 5), evaluations after the start and after each other and the
closure after the last evaluation (lid 6) — and the letters are offered only
at their step, to the casusregisseur.

Dates: the steps run on fixed days with time-machine: execution starts on
Wednesday 11 March 2026."""

from datetime import date

import time_machine

from casework import documents
from casework.rules import StepRefused, why_not
from permissions.models import CaseAccess
from permissions.services import team_add
from workflows.pga import services as svc
from workflows.pga.models import HealthItem, Intervention

from .test_pga_states import (
    D20,
    D30,
    D40_READY,
    D50,
    D60,
    D65,
    PgaTestCase,
    participants,
)

START = date(2026, 3, 11)


class AcceptanceTests(PgaTestCase):
    def test_no_participant_before_acceptance_wgs_2_31_lid_2_to_4(self):
        """D00 and D20: selecting the police is refused; after acceptance
        (D30) it is accepted."""
        case = self.open_referral()
        for path in ([], D20):
            case = self.go(path, case)
            with self.subTest(status=self.status(case)):
                with self.assertRaises(StepRefused) as raised:
                    participants(self, case)
                [refusal] = raised.exception.refusals
                self.assertEqual(refusal.rule, "WGS art. 2.31 lid 2-4")
                self.assertFalse(case.pga_participants.exists())
        self.go(["accept"], case)
        participants(self, case)
        self.assertEqual(case.pga_participants.count(), 3)

    def test_no_health_data_before_acceptance_wgs_2_31_lid_3(self):
        """A care partner on the team (added directly) records no health data
        while the referral is in triage (D20)."""
        case = self.go(D20, self.open_referral())
        team_add(
            case=case, user=self.zorg_user, team_role=CaseAccess.TeamRole.CONTRIBUTOR
        )
        with self.assertRaises(StepRefused) as raised:
            svc.health_item_add(
                case=case, user=self.zorg_user, text="Opname 2025.",
                basis=HealthItem.Basis.NONE,
            )  # fmt: skip
        self.assertEqual(raised.exception.refusals[0].rule, "WGS art. 2.31 lid 2-4")
        self.assertFalse(HealthItem.objects.filter(case=case).exists())

    def test_sharing_without_ground_is_refused_wgs_2_29(self):
        """Without consent or another ground nobody else reads the item."""
        case = self.go([*D30, participants], self.open_referral())
        with self.assertRaises(StepRefused) as raised:
            svc.health_item_add(
                case=case, user=self.zorg_user, text="Opname 2025.",
                basis=HealthItem.Basis.NONE, shared_with=[self.gemeente],
            )  # fmt: skip
        self.assertEqual(raised.exception.refusals[0].rule, "WGS art. 2.29; AVG art. 9")


class PlanTests(PgaTestCase):
    def test_no_intervention_started_before_the_plan_wgs_2_31_lid_5(self):
        """At D40 the police may not report their intervention running; once
        the plan is adopted (D50) they may. Planned or stopped stays allowed."""
        case = self.go(D40_READY, self.open_referral())
        police = Intervention.objects.get(case=case, organisation=self.politie)
        for status in (Intervention.Status.RUNNING, Intervention.Status.DONE):
            with self.subTest(status=status):
                with self.assertRaises(StepRefused) as raised:
                    svc.intervention_update(
                        intervention=police, user=self.politie_user,
                        status=status, progress="Gestart.",
                    )  # fmt: skip
                self.assertEqual(
                    raised.exception.refusals[0].rule, "WGS art. 2.31 lid 5"
                )
        police.refresh_from_db()
        self.assertEqual(police.status, Intervention.Status.PLANNED)
        self.go(["adopt_plan"], case)
        svc.intervention_update(
            intervention=police, user=self.politie_user,
            status=Intervention.Status.RUNNING, progress="Verbod uitgereikt.",
        )  # fmt: skip
        police.refresh_from_db()
        self.assertEqual(police.status, Intervention.Status.RUNNING)

    def test_guards_name_their_rule(self):
        """assign_director without participants (2.31 lid 4); adopt_plan
        without held conference (lid 5)."""
        case = self.go(D30, self.open_referral())
        rules = [r.rule for r in why_not(case, "assign_director", self.cr)]
        self.assertEqual(rules, ["WGS art. 2.31 lid 4", "WGS art. 2.31 lid 4"])


class EvaluationTests(PgaTestCase):
    def walk(self):
        """Execution started Wednesday 11 March 2026, review started 22 April."""
        with time_machine.travel(date(2026, 3, 11), tick=False):
            case = self.go(D60, self.open_referral())
        with time_machine.travel(date(2026, 4, 22), tick=False):
            self.go(["start_review"], case)
        return case

    def review(self, case, on, evaluated_on, weeks=6):
        with time_machine.travel(on, tick=False):
            self.run_step(
                "finish_review", case,
                data={"evaluated_on": evaluated_on, "next_weeks": weeks},
            )  # fmt: skip

    def refused(self, case, name, on, data):
        with time_machine.travel(on, tick=False):
            with self.assertRaises(StepRefused) as raised:
                self.run_step(name, case, data=data)
        return raised.exception.refusals

    def test_evaluation_not_before_the_start_wgs_2_31_lid_6(self):
        """Dated 10 March, the day before the start of 11 March: refused with
        the date 11 March. Dated 11 March (the start): accepted; the next
        review is 11 March + 6 weeks = 22 April."""
        case = self.walk()
        [refusal] = self.refused(
            case, "finish_review", date(2026, 4, 22),
            {"evaluated_on": date(2026, 3, 10), "next_weeks": 6},
        )  # fmt: skip
        self.assertEqual((refusal.rule, refusal.on), ("WGS art. 2.31 lid 6", START))
        self.assertEqual(self.status(case), "D65")
        self.review(case, date(2026, 4, 22), START)
        review = case.deadlines.get(legal_basis=svc.REVIEW_BASIS, state="open")
        self.assertEqual(review.end_date, date(2026, 4, 22))

    def test_evaluation_not_before_the_previous_one(self):
        """Evaluated 22 April (next 4 weeks: 20 May); a second evaluation
        dated 21 April is refused with the date 22 April."""
        case = self.walk()
        self.review(case, date(2026, 4, 22), date(2026, 4, 22), weeks=4)
        review = case.deadlines.get(legal_basis=svc.REVIEW_BASIS, state="open")
        self.assertEqual(review.end_date, date(2026, 5, 20))
        with time_machine.travel(date(2026, 5, 20), tick=False):
            self.go(["start_review"], case)
        [refusal] = self.refused(
            case, "finish_review", date(2026, 5, 20),
            {"evaluated_on": date(2026, 4, 21), "next_weeks": 4},
        )  # fmt: skip
        self.assertEqual(refusal.on, date(2026, 4, 22))

    def test_closing_only_after_the_last_evaluation_wgs_2_31_lid_6(self):
        """From D60 without an evaluation closing is refused (guard); after
        the evaluation of 22 April a closure dated 21 April is refused with
        that date, 23 April is accepted and the file is shielded."""
        with time_machine.travel(date(2026, 3, 11), tick=False):
            case = self.go(D60, self.open_referral())
            [refusal] = why_not(case, "close", self.cr)
            self.assertEqual(refusal.rule, "WGS art. 2.31 lid 6")
        with time_machine.travel(date(2026, 4, 22), tick=False):
            self.go(["start_review"], case)
        self.review(case, date(2026, 4, 22), date(2026, 4, 22))
        [refusal] = self.refused(
            case, "close", date(2026, 4, 23),
            {"closure_report": "Klaar.", "closed_on": date(2026, 4, 21)},
        )  # fmt: skip
        self.assertEqual(refusal.on, date(2026, 4, 22))
        with time_machine.travel(date(2026, 4, 23), tick=False):
            self.run_step(
                "close", case,
                data={"closure_report": "Klaar.", "closed_on": date(2026, 4, 23)},
            )  # fmt: skip
        self.assertEqual(self.status(case), "D90")
        self.assertFalse(CaseAccess.objects.filter(case=case).exists())


class LetterOfferTests(PgaTestCase):
    """Each letter once its step exists, only to the casusregisseur: the ZVH
    sends them, not the burgemeester (the templates declare competence
    "zvh")."""

    def offered(self, case, user=None):
        return {
            t.key for t in documents.letters_offered(user or self.cr, self.fresh(case))
        }

    def test_letters_follow_the_steps(self):
        case = self.open_referral()
        self.assertEqual(self.offered(case), {"aanmeldbevestiging_pga"})
        case = self.go(D40_READY, case)
        self.assertEqual(
            self.offered(case), {"aanmeldbevestiging_pga", "uitnodiging_casusoverleg"}
        )
        case = self.go(D50[len(D40_READY) :], case)
        self.assertIn("plan_van_aanpak", self.offered(case))
        self.assertNotIn("afwijzing_pga", self.offered(case))
        self.assertNotIn("afsluiting_pga", self.offered(case))
        for user in (self.jurist, self.politie_user):
            with self.subTest(user=user.username):
                self.assertEqual(self.offered(case, user), set())

    def test_only_the_advice_letter_after_rejection(self):
        case = self.go([*D20, "reject"], self.open_referral())
        self.assertEqual(self.offered(case), {"afwijzing_pga"})

    def test_closing_from_review_state_is_not_offered(self):
        case = self.go(D65, self.open_referral())
        self.assertEqual(
            why_not(case, "close", self.cr)[0].rule, "proces: volgorde van stappen"
        )
