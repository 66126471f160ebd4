"""The tables' own rules refuse, naming the rule (tafels/rules.py), and
a refused step changes nothing; writes are the chair's or a partner's."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework.models import Deadline
from casework.rules import StepRefused
from permissions.models import DataClass
from tafels import rules, services
from tafels.models import ActionPoint, Decision, Meeting, Subject

from .base import TafelTestCase


class RefusalTests(TafelTestCase):
    def assertRefused(self, rule, call):  # noqa: N802
        with self.assertRaises(StepRefused) as caught:
            call()
        self.assertEqual([r.rule for r in caught.exception.refusals], [rule])
        self.assertIn(rule, caught.exception.messages[0])

    def test_no_meeting_dated_before_the_table_was_set_up(self):
        founded = timezone.localdate(self.table.created_at)
        self.assertRefused(
            rules.RULE_DATE,
            lambda: services.meeting_plan(
                table=self.table, user=self.chair, day=founded - timedelta(days=1)
            ),
        )
        meeting = services.meeting_plan(table=self.table, user=self.chair, day=founded)
        self.assertEqual(meeting.status, Meeting.Status.PLANNED)

    def test_no_meeting_held_before_its_date(self):
        later = services.meeting_plan(
            table=self.table, user=self.chair, day=self.today + timedelta(days=1)
        )
        self.assertRefused(rules.RULE_DAY, lambda: self.hold(later))
        later.refresh_from_db()
        self.assertEqual(later.status, Meeting.Status.PLANNED)

    def test_no_decision_or_action_point_before_the_meeting_is_held(self):
        subject = self.put_address(12)
        self.assertRefused(
            rules.RULE_HELD, lambda: self.decide_for(subject, self.politie, "Toezicht.")
        )
        self.assertRefused(
            rules.RULE_HELD,
            lambda: services.action_point_add(
                subject=subject, user=self.chair, organisation=self.gemeente,
                description="Controle.", due_on=self.today + timedelta(days=7),
                outcome=ActionPoint.Outcome.CASE, case_type="IC",
            ),
        )  # fmt: skip
        self.assertFalse(Decision.objects.exists())
        self.hold()
        self.decide_for(subject, self.politie, "Toezicht.")
        self.assertEqual(Decision.objects.get().organisation, self.politie)

    def test_no_minutes_before_the_meeting_is_held(self):
        self.assertRefused(
            rules.RULE_CLOSE,
            lambda: services.meeting_close(meeting=self.meeting, user=self.chair),
        )
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, Meeting.Status.PLANNED)

    def test_a_closed_meeting_takes_no_subject_and_no_decision(self):
        subject = self.put_address(12)
        self.hold()
        services.meeting_close(meeting=self.meeting, user=self.chair)
        self.assertRefused(rules.RULE_OPEN, lambda: self.put_address(14))
        self.assertRefused(
            rules.RULE_OPEN,
            lambda: self.decide_for(subject, self.politie, "Te laat."),
        )
        self.assertEqual(Subject.objects.count(), 1)
        self.assertFalse(Decision.objects.exists())
        self.assertEqual(self.meeting.minutes.made_by, self.chair)

    def test_a_subject_is_on_the_agenda_once(self):
        self.put_case(self.inspection)
        self.assertRefused(rules.RULE_TWICE, lambda: self.put_case(self.inspection))
        self.put_address(12)
        self.assertRefused(rules.RULE_TWICE, lambda: self.put_address(12))

    def test_a_task_needs_a_case_and_a_due_date_after_the_meeting(self):
        subject = self.put_address(12)
        self.hold()
        point = {
            "subject": subject, "user": self.chair, "organisation": self.gemeente,
            "description": "Controle.", "outcome": ActionPoint.Outcome.TASK,
        }  # fmt: skip
        self.assertRefused(
            rules.RULE_SUBJECT_CASE,
            lambda: services.action_point_add(
                due_on=self.today + timedelta(days=7), **point
            ),
        )
        self.assertRefused(
            rules.RULE_DAY,
            lambda: services.action_point_add(due_on=self.meeting.date, **point),
        )
        self.assertFalse(ActionPoint.objects.exists())


class WhoWritesTests(TafelTestCase):
    def test_only_participants_put_subjects(self):
        for user in (self.riec_user, self.fg, self.stranger):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.put_person("Iemand", DataClass.D1, user)
        self.assertFalse(Subject.objects.exists())

    def test_a_case_the_partner_may_not_open_is_refused_as_unknown(self):
        with self.assertRaisesMessage(ValidationError, str(services.CASE_NOT_VISIBLE)):
            self.put_case(self.lod, user=self.om_user)
        with self.assertRaisesMessage(ValidationError, str(services.CASE_NOT_VISIBLE)):
            self.put_case(self.lod, user=self.chair)

    def test_a_partner_records_only_the_classes_its_role_records(self):
        # A partner writes its own police data, not identification (D1: R).
        self.put_person("Ricardo Vossen", DataClass.D3, self.politie_user)
        with self.assertRaises(PermissionDenied):
            self.put_person("Iemand", DataClass.D1, self.politie_user)

    def test_only_the_chair_records_decisions_and_holds_the_meeting(self):
        subject = self.put_address(12)
        with self.assertRaisesMessage(PermissionDenied, str(services.NOT_CHAIR)):
            services.meeting_hold(meeting=self.meeting, user=self.politie_user)
        self.hold()
        with self.assertRaisesMessage(PermissionDenied, str(services.NOT_CHAIR)):
            services.decision_record(
                subject=subject, user=self.politie_user,
                organisation=self.politie, text="Zelf besloten.",
            )  # fmt: skip
        self.assertFalse(Decision.objects.exists())

    def test_a_decision_is_for_an_organisation_at_the_table(self):
        subject = self.put_address(12)
        self.hold()
        with self.assertRaisesMessage(ValidationError, "RIEC Limburg"):
            self.decide_for(subject, self.riec, "Niet aan tafel.")


class ActionPointTests(TafelTestCase):
    def test_a_task_is_a_deadline_on_the_subjects_case(self):
        subject = self.put_case(self.inspection)
        self.hold()
        due = self.meeting.date + timedelta(days=14)
        point = services.action_point_add(
            subject=subject, user=self.chair, organisation=self.gemeente,
            description="Hercontrole plannen\nmet politie en brandweer.",
            due_on=due, outcome=ActionPoint.Outcome.TASK,
        )  # fmt: skip
        deadline = Deadline.objects.get(case=self.inspection)
        self.assertEqual(point.deadline, deadline)
        self.assertEqual(point.case, self.inspection)
        self.assertEqual(
            (deadline.title, deadline.end_date, deadline.event_date, deadline.owner),
            ("Hercontrole plannen", due, self.meeting.date, self.chair),
        )
        self.assertEqual(
            deadline.legal_basis,
            f"Afspraak Ondermijningstafel {self.meeting.date:%d-%m-%Y}",
        )
        self.assertEqual(deadline.obligation, Deadline.Obligation.ORGAN)
        self.assertEqual(deadline.state, Deadline.State.OPEN)

    def test_a_task_on_a_case_the_chair_does_not_keep_is_refused(self):
        subject = self.put_case(self.lod, user=self.jurist)
        self.hold()
        with self.assertRaises(PermissionDenied):
            services.action_point_add(
                subject=subject, user=self.chair, organisation=self.gemeente,
                description="Termijn.", due_on=self.today + timedelta(days=7),
                outcome=ActionPoint.Outcome.TASK,
            )  # fmt: skip
        self.assertFalse(Deadline.objects.filter(case=self.lod).exists())
        self.assertFalse(ActionPoint.objects.exists())

    def test_a_new_case_is_opened_with_the_subjects_person(self):
        subject = self.put_person("Ricardo Vossen", DataClass.D3, self.politie_user)
        self.hold()
        point = services.action_point_add(
            subject=subject, user=self.chair, organisation=self.gemeente,
            description="Last onder dwangsom voorbereiden", due_on=self.today
            + timedelta(days=30), outcome=ActionPoint.Outcome.CASE, case_type="LOD",
        )  # fmt: skip
        case = point.case
        self.assertEqual(
            (case.case_type, case.title, case.created_by, case.status),
            ("LOD", "Last onder dwangsom voorbereiden", self.chair, "A00"),
        )
        self.assertEqual(
            list(case.parties.values_list("party__name", "role")),
            [("Ricardo Vossen", "betrokkene")],
        )
        self.assertIsNone(point.deadline)
        self.assertIn("Ondermijningstafel", case.events.get(kind="created").note)

    def test_a_new_case_of_the_address_and_of_a_case(self):
        address = self.put_address(12)
        inspection = self.put_case(self.inspection)
        self.hold()
        common = {
            "user": self.chair, "organisation": self.gemeente,
            "due_on": self.today + timedelta(days=30),
            "outcome": ActionPoint.Outcome.CASE, "case_type": "IC",
        }  # fmt: skip
        first = services.action_point_add(
            subject=address, description="Controle pand", **common
        ).case
        self.assertEqual(
            [str(cl.location) for cl in first.locations.all()],
            ["Kaldenkerkerweg 12, 5913 AG Venlo"],
        )
        second = services.action_point_add(
            subject=inspection, description="Vervolgcontrole", **common
        ).case
        self.assertTrue(
            second.links_out.filter(to_case=self.inspection).exists()
            or second.links_in.filter(from_case=self.inspection).exists()
        )

    def test_a_case_type_the_chair_may_not_open_changes_nothing(self):
        subject = self.put_address(12)
        self.hold()
        with self.assertRaises(PermissionDenied):
            services.action_point_add(
                subject=subject, user=self.chair, organisation=self.gemeente,
                description="Bibob-toets", due_on=self.today + timedelta(days=30),
                outcome=ActionPoint.Outcome.CASE, case_type="BIB",
            )  # fmt: skip
        self.assertFalse(ActionPoint.objects.exists())
