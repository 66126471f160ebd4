"""The deadlines the legal-protection region keeps
(workflows/legal_protection/services.py), against dates computed by hand.

Conventions (docs/deadlines.md): a term of N weeks starts the day after the
event (Awb 6:8) and ends on the same weekday N weeks later; suspended days are
added; then Atw art 1 moves an end on a Saturday, Sunday or holiday to the next
working day. Holidays used: 2026 Goede Vrijdag 3 Apr, tweede Paasdag 6 Apr,
Hemelvaartsdag 14 May, tweede Pinksterdag 25 May; 2027 5 mei (Wed) and
Hemelvaartsdag 6 May.
"""

from datetime import date

from django.core.exceptions import ValidationError

from casework import deadlines as deadline_services
from casework.models import CaseEvent, Deadline, DeadlineAdjustment
from workflows.legal_protection import selectors, services
from workflows.legal_protection.machine import Outcome

from .test_legal_protection import LegalProtectionTestCase

# Bekendmaking Mon 23 Feb 2026: the bezwaartermijn runs from Tue 24 Feb; 6 weeks
# after the event is Mon 6 Apr 2026, tweede Paasdag (Atw art 3), so it ends on
# Tue 7 Apr 2026 (Atw art 1).
MADE_KNOWN = date(2026, 2, 23)
OBJECTION_END = date(2026, 4, 7)
# The beslistermijn counts from the day after the bezwaartermijn ended
# (Awb 7:10 lid 1): event Tue 7 Apr + 6 weeks = Tue 19 May 2026, a working day.
DECISION_END = date(2026, 5, 19)
# With an advisory committee, 12 weeks (still within Atw art 4): 7 Apr + 84 days
# = Tue 30 Jun 2026.
DECISION_END_COMMITTEE = date(2026, 6, 30)


class RegionDeadlineTestCase(LegalProtectionTestCase):
    def open_on(self, made_known=MADE_KNOWN, title="Besluit last onder dwangsom"):
        return services.legal_protection_open(
            case=self.case,
            user=self.owner,
            decision_title=title,
            decided_on=made_known,
        )

    def step_on(self, protection, name, on, user=None, **kwargs):
        return services.legal_protection_transition(
            protection=protection, name=name, user=user or self.owner, on=on, **kwargs
        )

    def term(self, protection, basis) -> Deadline:
        return selectors.protection_deadline(protection, basis)

    def objection_term(self, protection):
        return self.term(protection, selectors.OBJECTION_TERM_BASIS)

    def decision_term(self, protection):
        return self.term(protection, selectors.DECISION_TERM_BASIS)

    def appeal_term(self, protection):
        return self.term(protection, selectors.APPEAL_TERM_BASIS)


class ObjectionTermTests(RegionDeadlineTestCase):
    def test_opening_sets_the_bezwaartermijn_past_tweede_paasdag(self):
        protection = self.open_on()
        term = self.objection_term(protection)
        self.assertEqual(
            (term.event_date, term.length, term.unit, term.atw_applies),
            (MADE_KNOWN, 6, "weeks", True),
        )
        self.assertEqual(term.legal_basis, "Awb 6:7, 6:8")
        self.assertEqual(term.computed_end, OBJECTION_END)
        self.assertEqual(term.end_date, OBJECTION_END)
        self.assertEqual(term.state, Deadline.State.OPEN)
        self.assertEqual(term.owner, self.owner)
        self.assertEqual(term.case, self.case)
        self.assertIn("Besluit last onder dwangsom", term.title)
        # The trail names the holiday that moved the end.
        self.assertIn("tweede Paasdag", " ".join(term.explanation))

    def test_the_term_is_linked_to_its_own_protection_only(self):
        first = self.open_on()
        second = self.open_on(date(2026, 3, 2), title="Invorderingsbeschikking")
        # 2 Mar 2026 + 6 weeks = Mon 13 Apr 2026, a working day.
        self.assertEqual(self.objection_term(second).end_date, date(2026, 4, 13))
        self.assertEqual(self.objection_term(first).end_date, OBJECTION_END)
        self.assertEqual(len(selectors.protection_deadlines(first)), 1)
        self.assertEqual(len(selectors.protection_deadlines(second)), 1)

    def test_a_second_protection_against_the_same_decision_is_refused(self):
        self.open_on()
        with self.assertRaisesMessage(
            ValidationError, str(services.DUPLICATE_DECISION)
        ):
            self.open_on(title="besluit LAST onder dwangsom ")
        self.assertEqual(self.case.legal_protections.count(), 1)
        self.assertEqual(Deadline.objects.filter(case=self.case).count(), 1)

    def test_a_term_that_lapsed_unused_is_closed_when_marked_final(self):
        protection = self.step_on(self.open_on(), "become_final", date(2026, 4, 8))
        term = self.objection_term(protection)
        self.assertEqual((term.state, term.met_on), ("met", date(2026, 4, 8)))


class DecisionTermTests(RegionDeadlineTestCase):
    def test_an_objection_meets_the_bezwaartermijn_and_starts_six_weeks(self):
        protection = self.step_on(self.open_on(), "receive_objection", date(2026, 4, 1))
        objection = self.objection_term(protection)
        self.assertEqual((objection.state, objection.met_on), ("met", date(2026, 4, 1)))
        term = self.decision_term(protection)
        self.assertEqual(
            (term.event_date, term.length, term.unit, term.atw_applies),
            (OBJECTION_END, 6, "weeks", True),
        )
        self.assertEqual(term.legal_basis, "Awb 7:10 lid 1")
        self.assertEqual(term.end_date, DECISION_END)
        self.assertEqual(term.state, Deadline.State.OPEN)

    def test_an_advisory_committee_gives_twelve_weeks(self):
        protection = self.step_on(
            self.open_on(),
            "receive_objection",
            date(2026, 4, 1),
            advisory_committee=True,
        )
        term = self.decision_term(protection)
        self.assertEqual((term.length, term.end_date), (12, DECISION_END_COMMITTEE))

    def test_a_late_objection_still_counts_from_the_end_of_the_bezwaartermijn(self):
        # Received after the term (posted in time, Awb 6:9): the beslistermijn
        # does not move.
        protection = self.step_on(
            self.open_on(), "receive_objection", date(2026, 4, 10)
        )
        self.assertEqual(self.decision_term(protection).end_date, DECISION_END)

    def test_the_beslistermijn_also_follows_the_atw(self):
        # Bekendmaking Thu 19 Feb 2026: the bezwaartermijn ends Thu 2 Apr 2026
        # (a working day, the day before Goede Vrijdag). Beslistermijn: 2 Apr +
        # 6 weeks = Thu 14 May 2026, Hemelvaartsdag, so Fri 15 May 2026.
        protection = self.open_on(date(2026, 2, 19))
        self.assertEqual(self.objection_term(protection).end_date, date(2026, 4, 2))
        protection = self.step_on(protection, "receive_objection", date(2026, 3, 20))
        self.assertEqual(self.decision_term(protection).end_date, date(2026, 5, 15))

    def test_a_moved_bezwaartermijn_moves_the_beslistermijn(self):
        protection = self.open_on()
        deadline_services.deadline_override(
            deadline=self.objection_term(protection),
            user=self.owner,
            end=date(2026, 4, 14),
            reason="Rechtsmiddelenclausule noemde een latere datum.",
        )
        protection = self.step_on(protection, "receive_objection", date(2026, 4, 1))
        # 14 Apr + 6 weeks = Tue 26 May 2026, the day after tweede Pinksterdag.
        self.assertEqual(self.decision_term(protection).end_date, date(2026, 5, 26))

    def test_the_committee_box_belongs_to_the_objection_only(self):
        protection = self.step_on(self.open_on(), "receive_objection", date(2026, 4, 1))
        with self.assertRaisesMessage(
            ValidationError, str(services.COMMITTEE_NOT_EXPECTED)
        ):
            self.step_on(protection, "schedule_hearing", date(2026, 4, 2),
                     advisory_committee=True)  # fmt: skip
        self.assertEqual(self.stored(protection).status, "R10")

    def test_a_step_dated_before_the_bekendmaking_is_refused(self):
        protection = self.open_on()
        events = self.events()
        with self.assertRaisesMessage(
            ValidationError, str(services.DATE_BEFORE_DECISION)
        ):
            self.step_on(protection, "receive_objection", date(2026, 2, 20))
        self.assertEqual(self.stored(protection).status, "R00")
        self.assertEqual(self.events(), events)
        self.assertIsNone(self.decision_term(protection))


class RepairSuspensionTests(RegionDeadlineTestCase):
    def objection(self):
        return self.step_on(self.open_on(), "receive_objection", date(2026, 4, 1))

    def test_verzuimherstel_suspends_the_beslistermijn_until_the_repair(self):
        # Request sent Fri 10 Apr 2026: suspended from Sat 11 Apr (7:10 lid 2,
        # "vanaf de dag na die waarop ... verzocht") up to and including the day
        # of repair, Mon 20 Apr: 10 days. 19 May + 10 days = Fri 29 May 2026.
        protection = self.step_on(self.objection(), "request_repair", date(2026, 4, 10))
        term = self.decision_term(protection)
        self.assertEqual(term.state, Deadline.State.SUSPENDED)
        suspension = term.adjustments.get()
        self.assertEqual(
            (suspension.kind, suspension.start, suspension.end, suspension.legal_basis),
            ("suspension", date(2026, 4, 11), None, "Awb 7:10 lid 2"),
        )
        protection = self.step_on(protection, "repair_received", date(2026, 4, 20))
        term = self.decision_term(protection)
        self.assertEqual(term.state, Deadline.State.OPEN)
        self.assertEqual(term.adjustments.get().end, date(2026, 4, 20))
        self.assertEqual(term.end_date, date(2026, 5, 29))

    def test_a_hearing_without_repair_ends_the_suspension_too(self):
        # The repair term lapsed unused on Mon 20 Apr and the hearing is
        # scheduled then: same 10 days, same end.
        protection = self.step_on(self.objection(), "request_repair", date(2026, 4, 10))
        protection = self.step_on(protection, "schedule_hearing", date(2026, 4, 20))
        term = self.decision_term(protection)
        self.assertEqual((term.state, term.end_date), ("open", date(2026, 5, 29)))

    def test_a_repair_on_the_day_of_the_request_suspends_nothing(self):
        protection = self.step_on(self.objection(), "request_repair", date(2026, 4, 10))
        protection = self.step_on(protection, "repair_received", date(2026, 4, 10))
        term = self.decision_term(protection)
        self.assertEqual((term.state, term.end_date), ("open", DECISION_END))
        self.assertFalse(DeadlineAdjustment.objects.filter(deadline=term).exists())
        self.assertTrue(
            CaseEvent.objects.filter(
                case=self.case, note__contains="Awb 7:10 lid 2"
            ).exists()
        )

    def test_verdaging_extends_the_beslistermijn_by_six_weeks(self):
        # 7:10 lid 3 through the deadline's own extension: 19 May + 42 days =
        # Tue 30 Jun 2026.
        protection = self.objection()
        deadline_services.deadline_extend(
            deadline=self.decision_term(protection),
            user=self.owner,
            days=42,
            legal_basis="Awb 7:10 lid 3",
            reason="Verdaging, brief van 12 mei.",
        )
        self.assertEqual(self.decision_term(protection).end_date, date(2026, 6, 30))


class AppealTermTests(RegionDeadlineTestCase):
    def decided(self, on, user=None):
        protection = self.step_on(self.open_on(), "receive_objection", date(2026, 4, 1))
        return self.step_on(
            protection, "decide_objection", on, user=user, outcome=Outcome.DISMISSED
        )

    def test_the_beslissing_meets_the_beslistermijn_and_starts_the_beroepstermijn(
        self,
    ):
        # Beslissing made known Tue 12 May 2026: beroep until Tue 23 Jun 2026.
        protection = self.decided(date(2026, 5, 12))
        decision = self.decision_term(protection)
        self.assertEqual((decision.state, decision.met_on), ("met", date(2026, 5, 12)))
        term = self.appeal_term(protection)
        self.assertEqual(
            (term.event_date, term.length, term.atw_applies, term.end_date),
            (date(2026, 5, 12), 6, True, date(2026, 6, 23)),
        )
        self.assertEqual(term.legal_basis, "Awb 6:7, 6:8 (beroep)")
        self.assertEqual(term.owner, self.owner)

    def test_a_beroepstermijn_ending_on_5_mei_and_hemelvaart(self):
        # Made known Wed 24 Mar 2027: + 6 weeks = Wed 5 May 2027 (5 mei, a
        # holiday every year under Atw art 3), then Thu 6 May 2027 is
        # Hemelvaartsdag: the term ends Fri 7 May 2027.
        protection = self.decided(date(2027, 3, 24))
        self.assertEqual(self.appeal_term(protection).end_date, date(2027, 5, 7))

    def test_the_burgemeester_decides_and_the_jurist_keeps_the_deadlines(self):
        protection = self.decided(date(2026, 5, 12), user=self.burgemeester)
        self.assertEqual(self.stored(protection).status, "R30")
        self.assertEqual(self.decision_term(protection).state, "met")
        term = self.appeal_term(protection)
        self.assertEqual((term.owner, term.end_date), (self.owner, date(2026, 6, 23)))
        step = CaseEvent.objects.filter(case=self.case).latest("id")
        self.assertEqual((step.actor, step.to_status), (self.burgemeester, "R30"))

    def test_an_appeal_meets_the_beroepstermijn(self):
        protection = self.decided(date(2026, 5, 12))
        protection = self.step_on(protection, "receive_appeal", date(2026, 6, 1))
        term = self.appeal_term(protection)
        self.assertEqual((term.state, term.met_on), ("met", date(2026, 6, 1)))

    def test_no_appeal_closes_the_beroepstermijn_when_marked_final(self):
        protection = self.decided(date(2026, 5, 12))
        protection = self.step_on(protection, "become_final", date(2026, 6, 24))
        self.assertEqual(self.appeal_term(protection).state, "met")
        self.assertEqual(
            [d.state for d in selectors.protection_deadlines(protection)],
            ["met", "met", "met"],
        )

    def test_a_missed_beslistermijn_stays_missed(self):
        protection = self.step_on(self.open_on(), "receive_objection", date(2026, 4, 1))
        deadline_services.deadlines_sweep(today=date(2026, 5, 20))
        self.assertEqual(self.decision_term(protection).state, "missed")
        protection = self.step_on(
            protection, "decide_objection", date(2026, 5, 22), outcome=Outcome.UPHELD
        )
        self.assertEqual(self.decision_term(protection).state, "missed")
        self.assertEqual(self.appeal_term(protection).end_date, date(2026, 7, 3))
