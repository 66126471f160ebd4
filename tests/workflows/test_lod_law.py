"""The law the LOD machine enforces in its procedure (A00–A61, A80–A99):
every guard of workflows/lod/machine.py and every step check of
workflows/lod/steps.py, refused with its rule and date, and the happy path
next to it. Steps run through `casework.steps.step_run` (what the step page
and `manage.py replay` call) on the dates given, with the clock set to that
day.

The calendar used throughout (2026): Mon 2 Feb finding; Wed 4 Feb intention
with two weeks for views, from Thu 5 Feb to Wed 18 Feb; besluit Thu 19 Feb;
bekendmaking Mon 23 Feb. Statutory terms are extended by the Algemene
termijnenwet (art 1: Saturday, Sunday or holiday → next working day; art 3:
2e Paasdag Mon 6 Apr, Koningsdag Mon 27 Apr 2026); a begunstigingstermijn or
a views period set in a letter is not.
"""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

import time_machine

from casework import documents, pdf
from casework.letter_forms import initial_for
from casework.models import Case, Deadline
from casework.rules import RULE_ORDER, StepRefused, why_not
from casework.steps import step_run
from tests.casework.test_pdf import INPUTS, render, text_of
from workflows.legal_protection.machine import LegalProtection
from workflows.legal_protection.services import legal_protection_transition
from workflows.lod import machine
from workflows.lod.handhavingsmatrix import lod_assessment_record, seed_example_policy
from workflows.lod.machine import BEGUNSTIGING_BASIS
from workflows.lod.penalties import Forfeiture
from workflows.lod.steps import LIFT_BASIS, DecisionForm

from .base import WorkflowTestCase

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

FINDING = date(2026, 2, 2)
INTENTION = date(2026, 2, 4)
VIEWS_END = date(2026, 2, 18)
DECIDED = date(2026, 2, 19)
MADE_KNOWN = date(2026, 2, 23)

PREVENTIVE = {
    "amount": Decimal("5000"),
    "amount_basis": "per_violation",
    "maximum": Decimal("15000"),
    "preventive": True,
    "grace_days": 0,
}
WITH_GRACE = {
    **PREVENTIVE,
    "preventive": False,
    "grace_days": 14,
    "deviation_reason": "Twee weken om de woning te ontruimen.",
}
CLOSURE = {"closure_months": 3, "grace_days": 14}


def at(day: date):
    return time_machine.travel(
        datetime.combine(day, time(10), tzinfo=AMSTERDAM), tick=False
    )


class LodLawTestCase(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_example_policy()

    def setUp(self):
        self.case = self.new_case()

    def assess(self, *, violation=1):
        """The finding of Mon 2 Feb 2026: 42 g cocaine in a dwelling (policy
        row woning/hard: a preventive LOD; the second violation a closure)."""
        with at(date(2026, 2, 3)):
            lod_assessment_record(
                case=self.case, user=self.owner, found_on=FINDING,
                premises_kind="woning", substance="hard", grams=Decimal("42"),
                violation=violation, facts="42 gram cocaïne in de woning.",
            )  # fmt: skip
            self.run_step("start_assessment", self.owner, date(2026, 2, 3))

    def run_step(self, name, user, on, **data):
        with at(on):
            return step_run(
                case=Case.objects.get(pk=self.case.pk),
                name=name,
                user=user,
                note="Met redenen omkleed.",
                data=data,
            )

    def refusals(self, name, user, on, **data) -> list:
        """The refusal of a step by its input checks; nothing changed."""
        status = self.status()
        with self.assertRaises(StepRefused) as caught:
            self.run_step(name, user, on, **data)
        self.assertEqual(self.status(), status)
        return [(r.rule, r.on) for r in caught.exception.refusals]

    def guarded(self, name, user, on) -> list:
        """The refusal of a step by its transition's guards; nothing changed."""
        status = self.status()
        with at(on):
            why = why_not(Case.objects.get(pk=self.case.pk), name, user)
            with self.assertRaises(ValidationError):
                step_run(
                    case=Case.objects.get(pk=self.case.pk),
                    name=name,
                    user=user,
                    note="Met redenen omkleed.",
                )
        self.assertEqual(self.status(), status)
        return [(r.rule, r.on) for r in why]

    def intention(self):
        self.run_step(
            "send_intention", self.owner, INTENTION, sent_on=INTENTION,
            term_length=2, term_unit="weeks", atw_applies=False, measure="dwangsom",
        )  # fmt: skip

    def to_a30(self, *, violation=1):
        self.assess(violation=violation)
        self.intention()
        self.run_step("views_term_expired", self.owner, DECIDED)

    def decide(self, name="impose_penalty_order", data=PREVENTIVE, on=DECIDED):
        self.run_step(name, self.burgemeester, on, decided_on=on, **data)

    def notify(self, on=MADE_KNOWN):
        self.run_step(
            "notify_decision", self.owner, on, made_known_on=on, manner="post"
        )

    def deadline(self, basis) -> Deadline:
        return Deadline.objects.filter(case=self.case, legal_basis=basis).latest("id")


class ViewsTests(LodLawTestCase):
    def test_awb_4_8_no_views_term_expired_on_its_last_day(self):
        """Sent Wed 4 Feb, two weeks from Thu 5 Feb: the last day is Wed 18
        Feb 2026. On it the step is refused, naming that day; on Thu 19 Feb
        it is taken."""
        self.assess()
        self.intention()
        self.assertEqual(self.deadline("Awb 4:8").end_date, VIEWS_END)
        self.assertEqual(
            self.guarded("views_term_expired", self.owner, VIEWS_END),
            [("Awb 4:8", VIEWS_END)],
        )
        self.run_step("views_term_expired", self.owner, DECIDED)
        self.assertEqual(self.status(), "A30")

    def test_awb_4_8_views_cannot_come_before_the_intention(self):
        self.assess()
        self.intention()
        self.assertEqual(
            self.refusals(
                "receive_views", self.owner, date(2026, 2, 10),
                received_on=date(2026, 2, 3), manner="written",
            ),
            [("Awb 4:8", INTENTION)],
        )  # fmt: skip
        self.run_step(
            "receive_views", self.owner, date(2026, 2, 10),
            received_on=date(2026, 2, 10), manner="written",
        )  # fmt: skip
        self.assertEqual(self.status(), "A25")

    def test_the_intention_cannot_come_before_the_finding(self):
        self.assess()
        self.assertEqual(
            self.refusals(
                "send_intention", self.owner, date(2026, 2, 3),
                sent_on=date(2026, 2, 1), term_length=2, term_unit="weeks",
                atw_applies=False, measure="dwangsom",
            ),
            [(RULE_ORDER, FINDING)],
        )  # fmt: skip
        self.intention()
        self.assertEqual(self.status(), "A20")


class BesluitTests(LodLawTestCase):
    def test_awb_4_8_besluit_not_dated_before_the_intention(self):
        self.to_a30()
        refused = self.refusals(
            "impose_penalty_order", self.burgemeester, DECIDED,
            decided_on=date(2026, 2, 3), **PREVENTIVE,
        )  # fmt: skip
        self.assertEqual(refused, [("Awb 4:8", INTENTION)])
        self.assertFalse(hasattr(Case.objects.get(pk=self.case.pk), "decision"))

    def test_awb_4_8_besluit_not_dated_inside_the_views_period_without_views(self):
        """Recorded on Thu 19 Feb but dated Wed 18 Feb, the last day of the
        views period, without views: refused; dated 19 Feb: taken."""
        self.to_a30()
        refused = self.refusals(
            "impose_penalty_order", self.burgemeester, DECIDED,
            decided_on=VIEWS_END, **PREVENTIVE,
        )  # fmt: skip
        self.assertEqual(refused, [("Awb 4:8", VIEWS_END)])
        self.decide()
        self.assertEqual(self.status(), "A40")
        decision = Case.objects.get(pk=self.case.pk).decision
        self.assertEqual(decision.decided_at.astimezone(AMSTERDAM).date(), DECIDED)

    def test_awb_4_8_views_received_allow_a_besluit_before_the_term_ends(self):
        """Views received Tue 10 Feb: the besluit may follow from that day,
        though the period would have run to 18 Feb, but not before it."""
        self.assess()
        self.intention()
        self.run_step(
            "receive_views", self.owner, date(2026, 2, 10),
            received_on=date(2026, 2, 10), manner="written",
        )  # fmt: skip
        self.run_step("process_views", self.owner, date(2026, 2, 11))
        refused = self.refusals(
            "impose_penalty_order", self.burgemeester, date(2026, 2, 11),
            decided_on=date(2026, 2, 9), **PREVENTIVE,
        )  # fmt: skip
        self.assertEqual(refused, [("Awb 4:8", date(2026, 2, 10))])
        self.decide(on=date(2026, 2, 11))
        self.assertEqual(self.status(), "A40")

    def test_awb_4_8_guard_no_besluit_while_the_views_period_runs(self):
        """The guard on impose_*: a case in A30 with the views period still
        open (only by an import or a repair of the data) may not be decided
        until the period ends, unless views were received."""
        self.assess()
        self.intention()
        Case.objects.filter(pk=self.case.pk).update(status="A30")
        self.assertEqual(
            self.guarded("impose_penalty_order", self.burgemeester, VIEWS_END),
            [("Awb 4:8", VIEWS_END)],
        )
        with at(DECIDED):
            self.assertEqual(
                why_not(self.fresh(), "impose_penalty_order", self.burgemeester), []
            )

    def test_a_besluit_date_in_the_future_is_refused_by_the_form(self):
        with at(DECIDED):
            form = DecisionForm(
                data={"form_token": "t", "decided_on": "2026-02-20", "grace_days": 0}
            )
            self.assertFalse(form.is_valid())
            self.assertIn("decided_on", form.errors)

    def test_urgent_closure_not_dated_before_the_finding(self):
        self.assess(violation=2)
        refused = self.refusals(
            "impose_urgent_closure", self.burgemeester, date(2026, 2, 3),
            decided_on=date(2026, 2, 1), closure_months=3, grace_days=0,
        )  # fmt: skip
        self.assertEqual(refused, [(RULE_ORDER, FINDING)])
        self.run_step(
            "impose_urgent_closure", self.burgemeester, date(2026, 2, 3),
            decided_on=date(2026, 2, 3), closure_months=3, grace_days=0,
            deviation_reason="Spoed: dagelijkse handel.",
        )  # fmt: skip
        self.assertEqual(self.status(), "A41")


class NotificationTests(LodLawTestCase):
    def test_awb_3_40_no_bekendmaking_before_the_besluit(self):
        """Besluit Thu 19 Feb: a bekendmaking dated Wed 18 Feb is refused,
        one on the day itself is recorded and opens the bezwaar term."""
        self.to_a30()
        self.decide()
        self.assertEqual(
            self.refusals(
                "notify_decision", self.owner, DECIDED,
                made_known_on=VIEWS_END, manner="post",
            ),
            [("Awb 3:40, 3:41", DECIDED)],
        )  # fmt: skip
        self.assertFalse(LegalProtection.objects.filter(case=self.case).exists())
        self.notify(on=DECIDED)
        self.assertEqual(self.status(), "A45")
        self.assertEqual(
            LegalProtection.objects.get(case=self.case).decided_on, DECIDED
        )


class ContentOfTheBesluitTests(LodLawTestCase):
    def test_awb_5_7_a_preventive_order_is_monitored_not_given_a_grace_period(self):
        self.to_a30()
        self.decide()
        self.notify()
        self.assertEqual(
            self.guarded("start_grace_period", self.owner, MADE_KNOWN),
            [(machine.RULE_PREVENTIVE, None)],
        )
        self.run_step("start_monitoring", self.owner, MADE_KNOWN)
        self.assertEqual(self.status(), "A60")

    def test_awb_5_32a_an_order_with_a_grace_period_is_not_preventive(self):
        """Grace period 14 days from the bekendmaking of Mon 23 Feb: from Tue
        24 Feb, 14 days end Mon 9 Mar 2026 (no Atw for a begunstigingstermijn;
        a weekday anyway). Re-inspection refused on 9 Mar, taken on 10 Mar."""
        self.to_a30()
        self.decide(data=WITH_GRACE)
        self.notify()
        self.assertEqual(
            self.guarded("start_monitoring", self.owner, MADE_KNOWN),
            [(machine.RULE_PREVENTIVE, None)],
        )
        self.assertEqual(
            self.refusals(
                "start_grace_period", self.owner, MADE_KNOWN,
                term_length=3, term_unit="weeks",
            ),
            [("Awb 5:32a lid 2", None)],
        )  # fmt: skip
        self.run_step(
            "start_grace_period", self.owner, MADE_KNOWN,
            term_length=2, term_unit="weeks",
        )  # fmt: skip
        grace = self.deadline(BEGUNSTIGING_BASIS)
        self.assertEqual(
            (grace.event_date, grace.end_date, grace.atw_applies),
            (MADE_KNOWN, date(2026, 3, 9), False),
        )
        self.assertEqual(
            self.guarded("start_reinspection", self.toezicht, date(2026, 3, 9)),
            [("Awb 5:32a lid 2", date(2026, 3, 9))],
        )
        self.run_step("start_reinspection", self.toezicht, date(2026, 3, 10))
        self.assertEqual(self.status(), "A61")


class DecisionReadTests(LodLawTestCase):
    def test_the_guards_read_the_besluit_anew_each_time(self):
        """`machine.lod_decision`, which the besluit's guards ask, runs the
        statement the ORM builds (compiled once) and reads anew: none
        before the besluit, the recorded one after, on the same case object,
        and each case its own."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from workflows.lod.handhavingsmatrix import LodDecision

        case = Case.objects.get(pk=self.case.pk)
        other = self.new_case()
        self.assertIsNone(machine.lod_decision(case))
        self.to_a30()
        self.decide()
        self.assertEqual(
            machine.lod_decision(case), LodDecision.objects.get(case=self.case)
        )
        self.assertIsNone(machine.lod_decision(other))
        with CaptureQueriesContext(connection) as orm:
            list(LodDecision.objects.filter(case_id=case.pk))
        with CaptureQueriesContext(connection) as compiled:
            machine.lod_decision(case)
        self.assertEqual(
            [q["sql"] for q in compiled.captured_queries],
            [q["sql"] for q in orm.captured_queries],
        )


class ClosureTests(LodLawTestCase):
    def closure_order(self):
        self.to_a30(violation=2)
        self.decide("impose_closure_order", CLOSURE)

    def test_awb_3_40_a_closure_order_is_not_executed_before_its_bekendmaking(self):
        self.closure_order()
        self.assertEqual(
            self.guarded("execute_closure", self.toezicht, DECIDED),
            [(machine.RULE_IN_FORCE, None)],
        )

    def test_awb_5_24_no_bestuursdwang_while_the_grace_period_runs(self):
        """Made known Mon 23 Feb, 14 days from Tue 24 Feb: last day Mon 9 Mar
        2026. Executing and sealing on that day is refused; on Tue 10 Mar it
        is recorded."""
        self.closure_order()
        self.notify()
        self.run_step(
            "start_grace_period", self.owner, MADE_KNOWN,
            term_length=14, term_unit="days",
        )  # fmt: skip
        self.assertEqual(
            self.guarded("execute_closure", self.toezicht, date(2026, 3, 9)),
            [("Awb 5:24 lid 2", date(2026, 3, 9))],
        )
        self.run_step("execute_closure", self.toezicht, date(2026, 3, 10))
        self.assertEqual(
            self.refusals(
                "start_closure_period", self.toezicht, date(2026, 3, 10),
                closed_on=date(2026, 3, 9),
            ),
            [("Awb 5:24 lid 2", date(2026, 3, 9))],
        )  # fmt: skip
        self.run_step(
            "start_closure_period", self.toezicht, date(2026, 3, 10),
            closed_on=date(2026, 3, 10),
        )  # fmt: skip
        self.assertEqual(self.status(), "A82")

    def test_awb_5_31_an_urgent_closure_is_executed_at_once(self):
        self.assess(violation=2)
        self.run_step(
            "impose_urgent_closure", self.burgemeester, date(2026, 2, 3),
            decided_on=date(2026, 2, 3), closure_months=3, grace_days=0,
            deviation_reason="Spoed: dagelijkse handel.",
        )  # fmt: skip
        with at(date(2026, 2, 3)):
            self.assertEqual(
                why_not(self.fresh(), "execute_closure", self.toezicht), []
            )
        self.run_step("execute_closure", self.toezicht, date(2026, 2, 3))
        self.assertEqual(self.status(), "A81")

    def test_awb_5_21_a_penalty_order_is_not_executed_as_a_closure(self):
        self.to_a30()
        self.decide()
        self.notify()
        self.run_step("start_monitoring", self.owner, MADE_KNOWN)
        self.run_step("review_new_report", self.toezicht, date(2026, 3, 2))
        with at(date(2026, 3, 2)):
            rules = [
                r.rule for r in why_not(self.fresh(), "execute_closure", self.toezicht)
            ]
        self.assertEqual(rules, [machine.RULE_CLOSURE])


class LiftAndCloseTests(LodLawTestCase):
    def in_force(self, **decision):
        self.to_a30()
        self.decide(data=decision or PREVENTIVE)
        self.notify()
        self.run_step("start_monitoring", self.owner, MADE_KNOWN)

    def test_awb_4_13_the_request_has_a_decision_period_of_eight_weeks(self):
        """Received Mon 2 Mar 2026: eight weeks (Awb 4:13 lid 2) from Tue 3
        Mar end Mon 27 Apr, Koningsdag (Atw art 3) → Tue 28 Apr 2026 (art 1)."""
        self.in_force()
        self.assertEqual(
            self.refusals(
                "receive_lift_request", self.owner, date(2026, 3, 2),
                received_on=date(2026, 2, 20),
            ),
            [("Awb 3:40, 5:34", MADE_KNOWN)],
        )  # fmt: skip
        self.run_step(
            "receive_lift_request", self.owner, date(2026, 3, 2),
            received_on=date(2026, 3, 2),
        )  # fmt: skip
        term = self.deadline(LIFT_BASIS)
        self.assertEqual(
            (term.event_date, term.end_date, term.atw_applies),
            (date(2026, 3, 2), date(2026, 4, 28), True),
        )
        self.assertEqual(
            self.refusals(
                "refuse_lifting", self.burgemeester, date(2026, 3, 2),
                decided_on=date(2026, 3, 1),
            ),
            [("Awb 4:13", date(2026, 3, 2))],
        )  # fmt: skip
        self.run_step(
            "refuse_lifting", self.burgemeester, date(2026, 3, 9),
            decided_on=date(2026, 3, 9),
        )  # fmt: skip
        term.refresh_from_db()
        self.assertEqual((term.state, term.met_on), ("met", date(2026, 3, 9)))
        self.assertEqual(self.status(), "A60")

    def test_awb_5_34_lid_2_a_year_in_force_without_forfeiture(self):
        """Made known Mon 23 Feb 2026: the year ends Tue 23 Feb 2027; a
        forfeiture on Wed 1 Apr 2026 moves it to Thu 1 Apr 2027. Lifting on
        that day is refused, on Fri 2 Apr 2027 it is decided."""
        self.in_force()
        Forfeiture.objects.create(
            case=self.case, forfeited_on=date(2026, 4, 1), units=1,
            amount=Decimal("5000"), created_by=self.toezicht,
        )  # fmt: skip
        self.run_step(
            "receive_lift_request", self.owner, date(2027, 3, 15),
            received_on=date(2027, 3, 15),
        )  # fmt: skip
        self.assertEqual(
            self.refusals(
                "lift_order", self.burgemeester, date(2027, 4, 1),
                decided_on=date(2027, 4, 1), ground="5:34-2",
            ),
            [("Awb 5:34 lid 2", date(2027, 4, 1))],
        )  # fmt: skip
        self.run_step(
            "lift_order", self.burgemeester, date(2027, 4, 2),
            decided_on=date(2027, 4, 2), ground="5:34-2",
        )  # fmt: skip
        self.assertEqual(self.status(), "A95")

    def test_awb_5_34_is_not_a_ground_to_lift_a_closure(self):
        self.assess(violation=2)
        self.run_step(
            "impose_urgent_closure", self.burgemeester, date(2026, 2, 3),
            decided_on=date(2026, 2, 3), closure_months=3, grace_days=0,
            deviation_reason="Spoed: dagelijkse handel.",
        )  # fmt: skip
        self.notify(on=date(2026, 2, 4))
        self.run_step("start_monitoring", self.owner, date(2026, 2, 4))
        self.run_step(
            "receive_lift_request", self.owner, date(2026, 2, 5),
            received_on=date(2026, 2, 5),
        )  # fmt: skip
        self.assertEqual(
            self.refusals(
                "lift_order", self.burgemeester, date(2026, 2, 6),
                decided_on=date(2026, 2, 6), ground="5:34-1",
            ),
            [("Awb 5:34", None)],
        )  # fmt: skip
        self.run_step(
            "lift_order", self.burgemeester, date(2026, 2, 6),
            decided_on=date(2026, 2, 6), ground="other",
        )  # fmt: skip
        self.assertEqual(self.status(), "A95")

    def lifted(self):
        self.in_force()
        self.run_step(
            "receive_lift_request", self.owner, date(2026, 3, 2),
            received_on=date(2026, 3, 2),
        )  # fmt: skip
        self.run_step(
            "lift_order", self.burgemeester, date(2026, 3, 3),
            decided_on=date(2026, 3, 3), ground="5:34-1",
        )  # fmt: skip
        self.assertEqual(self.status(), "A95")

    def test_awb_6_7_not_closed_while_the_bezwaar_term_runs(self):
        """Made known Mon 23 Feb: six weeks from Tue 24 Feb end Mon 6 Apr,
        2e Paasdag (Atw art 3) → Tue 7 Apr 2026 (art 1). Closing is refused
        on 7 Apr, naming that day, and taken on Wed 8 Apr."""
        self.lifted()
        self.assertEqual(
            self.guarded("close", self.owner, date(2026, 4, 7)),
            [(machine.RULE_REMEDY_TERM, date(2026, 4, 7))],
        )
        self.run_step("close", self.owner, date(2026, 4, 8))
        self.assertEqual(self.status(), "A99")

    def test_awb_7_1_not_closed_while_a_bezwaar_is_pending(self):
        self.lifted()
        protection = LegalProtection.objects.get(case=self.case)
        with at(date(2026, 3, 20)):
            legal_protection_transition(
                protection=protection, name="receive_objection", user=self.owner,
                on=date(2026, 3, 20),
            )  # fmt: skip
        self.assertEqual(
            self.guarded("close", self.owner, date(2026, 6, 1)),
            [(machine.RULE_REMEDY_PENDING, None)],
        )


class LettersBoundToTheDecisionTests(LodLawTestCase):
    """Letters of the procedure: offered only once their step exists and
    only to the jurist (workflows/lod/letters.py PROCEDURE_LETTERS); their
    decisive content follows the recorded besluit."""

    def offered(self, key, user) -> bool:
        return documents.may_make(user, self.fresh(), key)

    def test_a_besluit_letter_only_after_the_besluit_and_only_for_the_jurist(self):
        self.to_a30()
        self.assertTrue(self.offered("voornemen_lod", self.owner))
        for key in ("besluit_lod", "besluit_sluiting"):
            self.assertFalse(self.offered(key, self.owner), key)
        self.decide()
        self.assertTrue(self.offered("besluit_lod", self.owner))
        # The besluit is a last onder dwangsom: no closure letter.
        self.assertFalse(self.offered("besluit_sluiting", self.owner))
        # Toezicht makes no besluit; the burgemeester signs through the step.
        for user in (self.toezicht, self.burgemeester, self.invordering):
            self.assertFalse(self.offered("besluit_lod", user), user.username)

    def test_no_warning_letter_without_the_warning_step(self):
        self.assess()
        self.assertFalse(self.offered("waarschuwing_lod", self.owner))
        self.assertFalse(self.offered("voornemen_lod", self.owner))
        self.run_step("send_warning", self.owner, date(2026, 2, 4))
        self.assertTrue(self.offered("waarschuwing_lod", self.owner))

    def test_awb_5_32b_the_wording_follows_what_the_amount_is_per(self):
        cases = {
            "per_violation": (
                "Dwangsom per overtreding",
                "Voor elke overtreding van de last verbeurt u van rechtswege een "
                "dwangsom van € 5.000,00, tot een maximum van € 15.000,00",
            ),
            "per_week": (
                "Dwangsom per week",
                "Voor elke week waarin u de last niet naleeft, verbeurt u van "
                "rechtswege een dwangsom van € 5.000,00, tot een maximum van "
                "€ 15.000,00",
            ),
        }
        for basis, (label, sentence) in cases.items():
            with self.subTest(basis=basis):
                text = text_of(render("besluit_lod", amount_basis=basis))
                self.assertIn(label, text)
                self.assertIn(sentence, text)
                if basis != "per_violation":
                    self.assertNotIn("per overtreding", text)
        text = text_of(
            render("besluit_lod", amount_basis="lump_sum", maximum_amount="5000")
        )
        self.assertIn("Dwangsom ineens € 5.000,00", text)
        self.assertIn(
            "Leeft u de last niet na, dan verbeurt u van rechtswege in één keer "
            "een dwangsom van € 5.000,00, dat is ook het maximum",
            text,
        )
        with self.assertRaises(pdf.LetterValidationError) as caught:
            pdf.validate(
                "besluit_lod", {**INPUTS["besluit_lod"], "amount_basis": "lump_sum"}
            )
        self.assertEqual(caught.exception.invalid, ["maximum_amount"])

    def test_awb_5_9_and_3_4_the_besluit_names_the_rule_and_its_weighing(self):
        for key, field, basis in (
            ("besluit_lod", "violated_provision", "(Awb 5:9)"),
            ("besluit_lod", "proportionality", "(Awb 3:4 lid 2)"),
            ("besluit_lod", "amount_basis", "(Awb 5:32b lid 1)"),
            ("besluit_sluiting", "violated_provision", "(Awb 5:9)"),
            ("besluit_sluiting", "copy_to", "(Awb 5:24 lid 3)"),
        ):
            with self.subTest(key=key, field=field):
                with self.assertRaises(pdf.LetterValidationError) as caught:
                    pdf.validate(key, {**INPUTS[key], field: ""})
                self.assertEqual(caught.exception.missing, [field])
                self.assertIn(basis, str(caught.exception))
        text = text_of(render("besluit_lod"))
        self.assertIn("Dit is in strijd met artikel 2, onder C, Opiumwet.", text)
        self.assertIn("Evenredigheid", text)
        text = text_of(render("besluit_sluiting"))
        self.assertIn(
            "rechthebbenden op het gebruik van het pand: Woningstichting Venlo "
            "(eigenaar) (artikel 5:24, derde lid, Awb)",
            text,
        )

    def test_the_besluit_prefill_carries_the_facts_of_the_voornemen(self):
        """The voornemen letter's facts and the recorded besluit (its date, Thu
        19 Feb 2026, and what the amount is per) fill the besluit letter."""
        self.assess()
        self.intention()
        voornemen = {
            **INPUTS["voornemen_lod"],
            "reference": self.case.reference,
            "date": "2026-02-04",
            "zienswijze_deadline": "2026-02-18",
            "violated_provision": "artikel 2, onder C, Opiumwet",
        }
        with at(INTENTION):
            documents.document_generate(
                case=self.fresh(), user=self.owner, template_key="voornemen_lod",
                inputs=voornemen,
            )  # fmt: skip
        self.run_step("views_term_expired", self.owner, DECIDED)
        self.decide(data={**PREVENTIVE, "amount_basis": "per_violation"})
        with at(date(2026, 2, 20)):
            initial = initial_for(self.fresh(), "besluit_lod")
        carried = (
            "premises_address",
            "violation",
            "legal_basis",
            "measure_description",
            "violated_provision",
            "recipient_name",
        )
        for key in carried:
            self.assertEqual(initial[key], voornemen[key], key)
        self.assertEqual(initial["amount_basis"], "per_violation")
        self.assertEqual(initial["date"], DECIDED)
        self.assertEqual(initial["voornemen_date"], INTENTION)

    def test_the_afzien_letter_only_after_refraining_with_its_reasons(self):
        """A30 → A99 (refrain_after_views): the party told of the voornemen
        is told, with the reasons, that no last follows."""
        self.to_a30()
        self.assertFalse(self.offered("afzien_handhaving", self.owner))
        self.run_step("refrain_after_views", self.burgemeester, DECIDED)
        self.assertEqual(self.status(), "A99")
        self.assertTrue(self.offered("afzien_handhaving", self.owner))
        self.assertFalse(self.offered("afzien_handhaving", self.toezicht))
        self.assertFalse(self.offered("besluit_lod", self.owner))
        with self.assertRaises(pdf.LetterValidationError) as caught:
            pdf.validate(
                "afzien_handhaving", {**INPUTS["afzien_handhaving"], "reasons": ""}
            )
        self.assertEqual(caught.exception.missing, ["reasons"])
        text = text_of(render("afzien_handhaving", voornemen_date="2026-11-10"))
        self.assertIn("Bij brief van 10 november 2026", text)
        self.assertIn("Ik zie ervan af u een last onder dwangsom", text)
        self.assertIn("een logé de drugs bezat", text)
