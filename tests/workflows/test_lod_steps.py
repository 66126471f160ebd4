"""Steps with their own form (workflows/lod/steps.py): the deadlines they set, the
deadlines they close, the legal protection they open, the guards on the
terms, and the step page against each kind of user. Dates are computed by
hand in the comments (Awb 6:8 start the day after; N weeks end on the same
weekday; Atw only where it applies)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.assignment import inbox as tasks_for_user
from casework.idempotency import new_token
from casework.models import CaseEvent, Deadline
from casework.steps import step_run
from permissions.models import CaseAccess
from workflows.legal_protection.machine import DecisionKind, LegalProtection
from workflows.lod.handhavingsmatrix import seed_example_policy
from workflows.lod.machine import BEGUNSTIGING_BASIS, ZIENSWIJZE_BASIS
from workflows.lod.steps import AANMANING_BASIS, CLOSURE_BASIS

from .base import WorkflowTestCase
from .test_lod_states import ASSESS, PREVENTIVE_ORDER


def iso(day: date) -> str:
    return day.isoformat()


class StepPageTests(WorkflowTestCase):
    def setUp(self):
        self.case = self.new_case(contributors=[self.politie_user])
        self.walk(ASSESS, case=self.case)

    def url(self, name="send_intention"):
        return f"/cases/{self.case.reference}/step/{name}/"

    def post_intention(self, user, **extra):
        self.login(user)
        data = {
            "form_token": new_token(),
            "measure": "dwangsom",
            "sent_on": "2026-11-20",
            "term_length": "2",
            "term_unit": "weeks",
            "note": "Voornemen verzonden",
            **extra,
        }
        return self.client.post(self.url(), data)

    def test_who_gets_the_step_page(self):
        expected = {
            self.owner: 200,
            self.colleague: 200,
            self.burgemeester: 404,  # not the burgemeester's step
            self.toezicht: 404,
            self.politie_user: 404,  # partner: outcome only, no steps
            self.belastingdienst_user: 404,  # not on the team
            self.outsider: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, status)

    def test_a_step_without_a_form_has_no_page(self):
        self.login(self.owner)
        response = self.client.get(self.url("close_without_action"))
        self.assertEqual(response.status_code, 404)

    def test_the_intention_sets_the_views_period_and_asks_for_the_letter(self):
        response = self.post_intention(self.owner)
        self.assertRedirects(
            response,
            f"/cases/{self.case.reference}/documents/new/?template=voornemen_lod",
            fetch_redirect_response=False,
        )
        self.assertEqual(self.status(self.case), "A20")
        deadline = Deadline.objects.get(case=self.case, legal_basis=ZIENSWIJZE_BASIS)
        # Sent Fri 20-11-2026; starts Sat 21-11; two weeks end Fri 04-12-2026.
        # Not extended by the Atw (a period set by the organ): no change anyway.
        self.assertEqual(
            (deadline.event_date, deadline.end_date, deadline.atw_applies),
            (date(2026, 11, 20), date(2026, 12, 4), False),
        )

    def test_the_views_period_in_days_with_the_atw_as_good_practice(self):
        # Sent Mon 15-12-2025, 11 days: 15 + 11 = Fri 26-12-2025 (2e Kerstdag);
        # with the Atw: Sat 27 and Sun 28 are rest days too → Mon 29-12-2025.
        self.post_intention(
            self.owner,
            sent_on="2025-12-15",
            term_length="11",
            term_unit="days",
            atw_applies="on",
        )
        deadline = Deadline.objects.get(case=self.case, legal_basis=ZIENSWIJZE_BASIS)
        self.assertEqual(deadline.end_date, date(2025, 12, 29))

    def test_a_date_in_the_future_is_refused_and_nothing_is_lost(self):
        future = timezone.localdate() + timedelta(days=3)
        response = self.post_intention(
            self.owner, sent_on=iso(future), note="Mijn tekst"
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Mijn tekst")
        self.assertTrue(response.context["form"].errors["sent_on"])
        self.assertEqual(self.status(self.case), "A10")
        self.assertFalse(Deadline.objects.filter(case=self.case).exists())

    def test_a_double_submit_runs_the_step_once(self):
        self.login(self.owner)
        data = {
            "form_token": new_token(),
            "measure": "dwangsom",
            "sent_on": "2026-11-20",
            "term_length": "2",
            "term_unit": "weeks",
        }
        self.client.post(self.url(), data)
        self.client.post(self.url(), data)
        self.assertEqual(
            CaseEvent.objects.filter(case=self.case, to_status="A20").count(), 1
        )
        self.assertEqual(Deadline.objects.filter(case=self.case).count(), 1)

    def test_the_generic_step_form_sends_a_step_with_a_form_to_its_page(self):
        self.login(self.owner)
        response = self.client.post(
            f"/cases/{self.case.reference}/transition/", {"name": "send_intention"}
        )
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        self.assertEqual(self.status(self.case), "A10")

    def test_oral_views_need_a_hearing_report(self):
        self.post_intention(self.owner)
        self.login(self.owner)
        url = self.url("receive_views")
        data = {
            "form_token": new_token(),
            "received_on": "2026-11-27",
            "manner": "oral",
            "note": "Gehoord op het stadhuis",
        }
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["hearing_report"])
        self.assertContains(response, "Gehoord op het stadhuis")
        self.assertEqual(self.status(self.case), "A20")

        data["hearing_report"] = "Betrokkene: de drugs waren van een ander."
        self.client.post(url, data)
        self.assertEqual(self.status(self.case), "A25")
        event = CaseEvent.objects.filter(case=self.case, to_status="A25").get()
        self.assertIn("drugs waren van een ander", event.note)
        deadline = Deadline.objects.get(case=self.case, legal_basis=ZIENSWIJZE_BASIS)
        self.assertEqual(
            (deadline.state, deadline.met_on),
            (Deadline.State.MET, date(2026, 11, 27)),
        )


class LetterAfterStepTests(WorkflowTestCase):
    def test_the_burgemeester_signs_and_the_owner_makes_the_letter(self):
        seed_example_policy()
        case = self.new_case()
        self.walk(
            [*ASSESS, ("send_intention", "owner", "A20"),
             ("views_term_expired", "owner", "A30")],
            case=case,
        )  # fmt: skip
        self.login(self.burgemeester)
        response = self.client.post(
            f"/cases/{case.reference}/step/impose_penalty_order/",
            {"form_token": new_token(), "amount": "5000",
             "amount_basis": "per_violation", "maximum": "15000",
             "grace_days": "14", "decided_on": iso(timezone.localdate())},
        )  # fmt: skip
        self.assertRedirects(
            response, case.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(self.status(case), "A40")
        self.assertEqual(case.decision.beleidsregel.version, "2026.1")

    def test_the_jurist_is_taken_to_the_letter_of_the_step(self):
        case = self.new_case()
        self.walk(
            [*ASSESS, ("send_intention", "owner", "A20"),
             ("views_term_expired", "owner", "A30")],
            case=case,
        )  # fmt: skip
        self.login(self.owner)
        response = self.client.post(
            f"/cases/{case.reference}/transition/", {"name": "refrain_after_views",
                                                     "note": "Geen handhaving"}
        )  # fmt: skip
        # A step without a letter returns to the case.
        self.assertRedirects(
            response, case.get_absolute_url(), fetch_redirect_response=False
        )


class TermGuardTests(WorkflowTestCase):
    def test_the_views_period_must_have_passed_before_deciding_without_views(self):
        case = self.new_case()
        self.walk(ASSESS, case=case)
        today = timezone.localdate()
        step_run(
            case=case,
            name="send_intention",
            user=self.owner,
            data={"sent_on": today, "term_length": 1, "term_unit": "weeks",
                  "atw_applies": False},
        )  # fmt: skip
        with self.assertRaises(ValidationError):
            step_run(case=case, name="views_term_expired", user=self.owner)
        self.assertEqual(self.status(case), "A20")

    def test_a_passed_views_period_lets_the_case_go_on_and_is_closed(self):
        case = self.new_case()
        self.walk(ASSESS, case=case)
        # Sent Mon 05-01-2026, one week: ended Mon 12-01-2026, long past.
        step_run(
            case=case,
            name="send_intention",
            user=self.owner,
            data={"sent_on": date(2026, 1, 5), "term_length": 1,
                  "term_unit": "weeks", "atw_applies": False},
        )  # fmt: skip
        step_run(case=case, name="views_term_expired", user=self.owner)
        self.assertEqual(self.status(case), "A30")
        deadline = Deadline.objects.get(case=case, legal_basis=ZIENSWIJZE_BASIS)
        self.assertEqual(deadline.end_date, date(2026, 1, 12))
        self.assertEqual(deadline.state, Deadline.State.MET)


class DecisionStepsTests(WorkflowTestCase):
    def walk_to_decision(self, case):
        self.walk(
            [
                *ASSESS,
                ("send_intention", "owner", "A20"),
                ("views_term_expired", "owner", "A30"),
                ("impose_penalty_order", "burgemeester", "A40"),
            ],
            case=case,
        )

    def test_notification_opens_the_legal_protection_against_the_order(self):
        case = self.new_case()
        self.walk_to_decision(case)
        step_run(
            case=case,
            name="notify_decision",
            user=self.owner,
            data={"made_known_on": date(2026, 11, 2), "manner": "post"},
        )
        protection = LegalProtection.objects.get(case=case)
        self.assertEqual(
            (protection.decision_kind, protection.decided_on, protection.status),
            (DecisionKind.ORDER, date(2026, 11, 2), "R00"),
        )

    def test_the_grace_period_runs_from_the_notification(self):
        case = self.new_case()
        self.walk_to_decision(case)
        step_run(
            case=case,
            name="notify_decision",
            user=self.owner,
            data={"made_known_on": date(2026, 11, 2), "manner": "handed"},
        )
        step_run(
            case=case,
            name="start_grace_period",
            user=self.owner,
            data={"term_length": 2, "term_unit": "weeks"},
        )
        self.assertEqual(self.status(case), "A50")
        deadline = Deadline.objects.get(case=case, legal_basis=BEGUNSTIGING_BASIS)
        # Made known Mon 02-11-2026; from Tue 03-11 two weeks: Mon 16-11-2026.
        self.assertEqual(
            (deadline.event_date, deadline.end_date, deadline.atw_applies),
            (date(2026, 11, 2), date(2026, 11, 16), False),
        )
        # Ended: the inspector may re-inspect, and the term is closed.
        step_run(case=case, name="start_reinspection", user=self.toezicht)
        self.assertEqual(self.status(case), "A61")
        deadline.refresh_from_db()
        self.assertEqual(deadline.state, Deadline.State.MET)

    def test_no_reinspection_while_the_grace_period_runs(self):
        case = self.new_case()
        self.walk_to_decision(case)
        step_run(
            case=case,
            name="notify_decision",
            user=self.owner,
            data={"made_known_on": timezone.localdate(), "manner": "post"},
        )
        step_run(
            case=case,
            name="start_grace_period",
            user=self.owner,
            data={"term_length": 2, "term_unit": "weeks"},
        )
        with self.assertRaises(ValidationError):
            step_run(case=case, name="start_reinspection", user=self.toezicht)
        self.assertEqual(self.status(case), "A50")


class CollectionStepsTests(WorkflowTestCase):
    def test_the_reminder_sets_two_weeks_extended_past_koningsdag(self):
        case = self.new_case()
        self.walk(
            [
                *PREVENTIVE_ORDER,
                ("review_new_report", "toezicht", "A61"),
                ("establish_breach", "toezicht", "A70"),
                ("propose_collection", "owner", "A71"),
                ("decide_collection", "owner", "A72"),
            ],
            case=case,
        )
        step_run(
            case=case,
            name="send_reminder",
            user=self.invordering,
            data={"sent_on": date(2026, 4, 13)},
        )
        self.assertEqual(self.status(case), "A73")
        deadline = Deadline.objects.get(case=case, legal_basis=AANMANING_BASIS)
        # Sent Mon 13-04-2026; from Tue 14-04 two weeks: Mon 27-04-2026, which
        # is Koningsdag (Atw art 3) → Tue 28-04-2026 (Atw art 1).
        self.assertEqual(deadline.end_date, date(2026, 4, 28))
        step_run(case=case, name="issue_writ", user=self.invordering)
        step_run(case=case, name="record_payment", user=self.invordering)
        deadline.refresh_from_db()
        self.assertEqual(deadline.state, Deadline.State.MET)


class EscalationAndCollectionTests(WorkflowTestCase):
    BREACH = [
        *PREVENTIVE_ORDER,
        ("review_new_report", "toezicht", "A61"),
        ("establish_breach", "toezicht", "A70"),
    ]

    def test_the_burgemeester_decides_collection_and_its_remedy_opens(self):
        case = self.new_case()
        self.walk([*self.BREACH, ("propose_collection", "owner", "A71")], case=case)
        step_run(
            case=case,
            name="decide_collection",
            user=self.burgemeester,
            data={"made_known_on": date(2026, 3, 2)},
        )
        self.assertEqual(self.status(case), "A72")
        protection = LegalProtection.objects.get(case=case)
        self.assertEqual(
            (protection.decision_kind, protection.decided_on),
            (DecisionKind.COLLECTION, date(2026, 3, 2)),
        )
        self.assertIn("02-03-2026", protection.decision_title)
        term = Deadline.objects.get(case=case, legal_basis="Awb 6:7, 6:8")
        # Made known Mon 02-03-2026; six weeks from Tue 03-03: Mon 13-04-2026
        # (2e Paasdag is 06-04, not the end day).
        self.assertEqual(term.end_date, date(2026, 4, 13))

    def test_maximum_reached_opens_a_child_case_with_the_team(self):
        case = self.new_case(contributors=[self.politie_user])
        self.walk(self.BREACH, case=case)
        step_run(case=case, name="reach_maximum", user=self.owner)
        self.assertEqual(self.status(case), "A80")
        child = case.children.get()
        self.assertEqual((child.case_type, child.status), ("LOD", "A00"))
        members = dict(
            CaseAccess.objects.filter(case=child).values_list("user", "team_role")
        )
        self.assertEqual(members[self.owner.pk], CaseAccess.TeamRole.OWNER)
        self.assertEqual(members[self.burgemeester.pk], CaseAccess.TeamRole.MEMBER)
        self.assertEqual(members[self.politie_user.pk], CaseAccess.TeamRole.CONTRIBUTOR)
        # The parent waits for its child before it can be closed.
        self.assertIn(
            "assess",
            [t["phase"].name for t in tasks_for_user(self.owner)
             if t["reference"] == child.reference],
        )  # fmt: skip


class ClosureStepsTests(WorkflowTestCase):
    def test_the_closure_runs_for_the_months_of_the_decision_and_ends_on_reopening(
        self,
    ):
        seed_example_policy()
        case = self.new_case()
        self.walk(
            [*ASSESS, ("send_intention", "owner", "A20"),
             ("views_term_expired", "owner", "A30")],
            case=case,
        )  # fmt: skip
        step_run(
            case=case, name="impose_closure_order", user=self.burgemeester,
            data={"closure_months": 3, "grace_days": 14,
                  "deviation_reason": "Tweede overtreding"},
        )  # fmt: skip
        self.walk(
            [("notify_decision", "owner", "A45"),
             ("start_grace_period", "owner", "A50"),
             ("execute_closure", "toezicht", "A81")],
            case=case,
        )  # fmt: skip
        step_run(case=case, name="start_closure_period", user=self.toezicht,
                 data={"closed_on": date(2026, 2, 28)})  # fmt: skip
        deadline = Deadline.objects.get(case=case, legal_basis=CLOSURE_BASIS)
        # Closed Sat 28-02-2026; three months later: Thu 28-05-2026 (no Atw).
        self.assertEqual(deadline.end_date, date(2026, 5, 28))
        self.assertEqual(deadline.obligation, Deadline.Obligation.ORGAN)
        step_run(case=case, name="reopen", user=self.toezicht)
        self.assertEqual(self.status(case), "A83")
        deadline.refresh_from_db()
        self.assertEqual(deadline.state, Deadline.State.MET)


class UrgentClosureTests(WorkflowTestCase):
    def test_an_urgent_closure_needs_no_grace_period_but_a_duration(self):
        seed_example_policy()
        case = self.new_case()
        self.walk(ASSESS, case=case)
        with self.assertRaises(ValidationError):
            step_run(case=case, name="impose_urgent_closure", user=self.burgemeester,
                     data={"closure_months": None})  # fmt: skip
        step_run(case=case, name="impose_urgent_closure", user=self.burgemeester,
                 data={"closure_months": 3})  # fmt: skip
        self.assertEqual(self.status(case), "A41")
        self.assertEqual(
            (case.decision.measure, case.decision.grace_days), ("sluiting", 0)
        )
