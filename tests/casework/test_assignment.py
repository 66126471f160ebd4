"""Who holds a case (issue 16 item 4, docs/assignment.md): claim, release,
hand over and distribute, walked by the fixed cast and a coordinator; the
rules of the decision point refused by name; the history rows; Mijn werk's
three groups; query counts that do not grow with the number of cases."""

from unittest import mock

from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from viewflow.workflow.status import STATUS

from casework import assignment, idempotency, selectors, services
from casework.flows import open_tasks
from casework.models import Assignment, Case, CaseEvent, FormSubmission
from casework.rules import StepRefused
from permissions.decision import (
    ASSIGN,
    ASSIGN_HOLDER,
    HOLD,
    HOLD_OPEN_STEP,
    HOLD_STEP_ROLE,
    HOLD_TEAM,
    decide,
)
from permissions.models import CaseAccess, Role
from permissions.policy import actor_for
from permissions.services import team_remove
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import CaseFactory, OrganisationFactory
from tests.indexes import plan as explain

MEMBER = CaseAccess.TeamRole.MEMBER
DISTRIBUTE = "/work/distribute/"


def fresh(user):
    """The user as a new request sees it: no cached actor or membership."""
    return get_user_model().objects.get(pk=user.pk)


def dutch(message, **values) -> str:
    with translation.override("nl"):
        text = translation.gettext(message)
    return text % values if values else text


class AssignmentTestCase(BaseTestCase):
    """The fixed cast (tests/base.py) with a coordinator of the gemeente on
    the team, and one of another gemeente, also on it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coordinator = cls.make_user("coordinator", Role.COORDINATOR, cls.gemeente)
        other = OrganisationFactory(name="Gemeente Roermond")
        cls.other_coordinator = cls.make_user("roermond", Role.COORDINATOR, other)
        for member in (cls.coordinator, cls.other_coordinator):
            services.case_team_add(
                case=cls.case, user=cls.owner, member=member, team_role=MEMBER
            )

    def url(self, action, case=None):
        return f"/cases/{(case or self.case).reference}/assign/{action}/"

    def holder(self, case=None):
        return Case.objects.get(pk=(case or self.case).pk).assignee

    def task(self, case=None):
        return open_tasks(Case.objects.get(pk=(case or self.case).pk)).get()

    def history(self, case=None):
        return list(
            Assignment.objects.filter(case=case or self.case)
            .order_by("id")
            .values_list("kind", "actor__username", "from_user__username",
                         "to_user__username", "note")
        )  # fmt: skip

    def messages_of(self, response) -> list[str]:
        return [str(m) for m in get_messages(response.wsgi_request)]

    def post_as(self, user, url, data=None):
        # Messages left by an earlier request are not this one's.
        self.client.cookies.pop("messages", None)
        self.client.force_login(user)
        return self.client.post(url, data or {})

    def hand_over_body(self, to, note="Ik ben met verlof."):
        return {"to": to.pk, "note": note, idempotency.FIELD: idempotency.new_token()}


class ClaimTests(AssignmentTestCase):
    def test_a_member_whose_role_takes_the_step_claims_the_case_and_its_task(self):
        response = self.post_as(self.colleague, self.url("claim"))
        self.assertRedirects(response, self.case.get_absolute_url())
        self.assertEqual(self.holder(), self.colleague)
        task = self.task()
        self.assertEqual((task.owner, task.status), (self.colleague, STATUS.ASSIGNED))
        self.assertEqual(
            self.history(), [("claim", "colleague", None, "colleague", "")]
        )
        event = CaseEvent.objects.filter(case=self.case).latest("id")
        self.assertEqual(event.kind, CaseEvent.Kind.HOLDER)
        self.assertIn(self.colleague.get_full_name(), event.note)

    def test_a_role_that_does_not_take_the_step_is_refused_by_the_rules_name(self):
        response = self.post_as(self.burgemeester, self.url("claim"))
        self.assertRedirects(response, self.case.get_absolute_url())
        [message] = self.messages_of(response)
        self.assertIn(HOLD_STEP_ROLE, message)
        self.assertIn("Rapportage beoordelen", message)  # the step, in Dutch
        self.assertIsNone(self.holder())
        self.assertEqual(self.history(), [])
        self.assertIsNone(self.task().owner)

    def test_a_case_held_by_someone_else_is_not_claimed(self):
        assignment.case_claim(case=self.case, user=self.colleague)
        response = self.post_as(self.owner, self.url("claim"))
        [message] = self.messages_of(response)
        self.assertIn(assignment.RULE_HELD, message)
        self.assertIn(self.colleague.get_full_name(), message)
        self.assertEqual(self.holder(), self.colleague)
        self.assertEqual(len(self.history()), 1)

    def test_a_closed_case_has_no_step_to_hold(self):
        closed = CaseFactory(owner=self.owner, closed=True)
        with self.assertRaises(StepRefused) as refused:
            assignment.case_claim(case=closed, user=self.owner)
        self.assertEqual([r.rule for r in refused.exception.refusals], [HOLD_OPEN_STEP])

    def test_outsiders_and_partners_get_404_and_nothing_changes(self):
        # The police liaison is on the team as a contributor: it reads the
        # outcome, not the file. The others are not on the team.
        for user in (self.politie_user, self.belastingdienst_user, self.outsider,
                     self.fg):  # fmt: skip
            for action in ("claim", "release", "hand-over"):
                with self.subTest(user=user.username, action=action):
                    response = self.post_as(user, self.url(action))
                    self.assertEqual(response.status_code, 404)
            self.assertEqual(self.client.get(self.url("hand-over")).status_code, 404)
        self.assertIsNone(self.holder())
        self.assertEqual(self.history(), [])

    def test_an_unknown_case_is_404(self):
        self.client.force_login(self.owner)
        response = self.client.post("/cases/2026-LOD-9999/assign/claim/")
        self.assertEqual(response.status_code, 404)

    def test_get_is_not_allowed(self):
        self.client.force_login(self.owner)
        self.assertEqual(self.client.get(self.url("claim")).status_code, 405)


class ReleaseTests(AssignmentTestCase):
    def setUp(self):
        assignment.case_claim(case=self.case, user=self.colleague)

    def test_the_holder_releases_the_case_and_its_task(self):
        response = self.post_as(self.colleague, self.url("release"), {"note": "Ziek"})
        self.assertRedirects(response, self.case.get_absolute_url())
        self.assertIsNone(self.holder())
        task = self.task()
        self.assertEqual((task.owner, task.status), (None, STATUS.NEW))
        self.assertEqual(
            self.history(),
            [("claim", "colleague", None, "colleague", ""),
             ("release", "colleague", "colleague", None, "Ziek")],
        )  # fmt: skip

    def test_a_coordinator_of_the_organisation_releases_it(self):
        self.post_as(self.coordinator, self.url("release"))
        self.assertIsNone(self.holder())
        self.assertEqual(self.history()[-1][:4], ("release", "coordinator",
                                                  "colleague", None))  # fmt: skip

    def test_a_team_member_who_does_not_hold_it_is_refused_by_name(self):
        for user in (self.owner, self.other_coordinator):
            with self.subTest(user=user.username):
                response = self.post_as(user, self.url("release"))
                [message] = self.messages_of(response)
                self.assertIn(ASSIGN_HOLDER, message)
                self.assertEqual(self.holder(), self.colleague)
        self.assertEqual(len(self.history()), 1)

    def test_a_case_nobody_holds_is_not_released(self):
        assignment.case_release(case=self.case, user=self.colleague)
        with self.assertRaises(StepRefused) as refused:
            assignment.case_release(case=self.case, user=self.coordinator)
        self.assertEqual(
            [r.rule for r in refused.exception.refusals], [assignment.RULE_NOT_HELD]
        )


class HandOverTests(AssignmentTestCase):
    def setUp(self):
        assignment.case_claim(case=self.case, user=self.owner)

    def test_the_form_offers_only_members_who_may_hold_the_case(self):
        self.client.force_login(self.owner)
        response = self.client.get(self.url("hand-over"))
        self.assertEqual(response.status_code, 200)
        choices = [label for _v, label in response.context["form"].fields["to"].choices]
        # Not the holder, the burgemeester (another role), the coordinators
        # (another role) or the police contributor.
        self.assertEqual(choices, [self.colleague.get_full_name()])

    def test_the_holder_hands_over_with_a_note(self):
        response = self.post_as(self.owner, self.url("hand-over"),
                                self.hand_over_body(self.colleague))  # fmt: skip
        self.assertRedirects(response, self.case.get_absolute_url())
        self.assertEqual(self.holder(), self.colleague)
        self.assertEqual(self.task().owner, self.colleague)
        self.assertEqual(
            self.history()[-1],
            ("hand_over", "owner", "owner", "colleague", "Ik ben met verlof."),
        )
        page = self.client.get(self.case.get_absolute_url())
        self.assertContains(page, f"Behandeld door {self.colleague.get_full_name()}")
        self.assertContains(page, "Ik ben met verlof.")  # the history line

    def test_a_note_is_required(self):
        body = self.hand_over_body(self.colleague, note=" ")
        response = self.post_as(self.owner, self.url("hand-over"), body)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, dutch(assignment.NOTE_REQUIRED))
        self.assertEqual(self.holder(), self.owner)

    def test_a_person_who_may_not_hold_it_is_refused_by_the_rules_name(self):
        cases = (
            (self.burgemeester, HOLD_STEP_ROLE),
            (self.outsider, HOLD_TEAM),
            (self.politie_user, HOLD_TEAM),
            (self.owner, assignment.RULE_HELD),
        )
        for person, rule in cases:
            with self.subTest(person=person.username):
                with self.assertRaises(StepRefused) as refused:
                    assignment.case_hand_over(
                        case=self.case, user=self.owner, to=person, note="Overdracht"
                    )
                self.assertEqual([r.rule for r in refused.exception.refusals], [rule])
        # In the form such a person is no choice at all.
        response = self.post_as(self.owner, self.url("hand-over"),
                                self.hand_over_body(self.burgemeester))  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.holder(), self.owner)
        self.assertEqual(len(self.history()), 1)

    def test_a_member_who_does_not_hold_it_reads_the_rule_and_gets_no_form(self):
        self.client.force_login(self.colleague)
        for method in ("get", "post"):
            with self.subTest(method=method):
                response = getattr(self.client, method)(
                    self.url("hand-over"), self.hand_over_body(self.colleague)
                )
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, ASSIGN_HOLDER)
                self.assertNotIn("form", response.context)
        self.assertEqual(self.holder(), self.owner)
        self.assertEqual(len(self.history()), 1)

    def test_a_coordinator_hands_over_a_case_it_does_not_hold(self):
        response = self.post_as(self.coordinator, self.url("hand-over"),
                                self.hand_over_body(self.colleague))  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            self.history()[-1][:4], ("hand_over", "coordinator", "owner", "colleague")
        )

    def test_hostile_values_are_refused_in_dutch_and_change_nothing(self):
        # The demo holds no case, so the hostile-input sweep meets only the
        # refusal page: the form itself is swept here.
        hostile = {
            "to": ["a\x00b", "9" * 40, "-5", "tekst", ""],
            "note": ["a\x00b", "x" * 100_000, ""],
            idempotency.FIELD: ["a\x00b", "x" * 100_000],
        }
        self.client.force_login(self.owner)
        for field, values in hostile.items():
            for value in values:
                with self.subTest(field=field, value=value[:12]):
                    body = {**self.hand_over_body(self.colleague), field: value}
                    response = self.client.post(self.url("hand-over"), body)
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, 'class="errorlist')
                    for english in ("This field", "Select a valid", "Ensure"):
                        self.assertNotContains(response, english)
        self.assertEqual(self.holder(), self.owner)
        self.assertEqual(len(self.history()), 1)

    def test_a_double_submit_hands_over_once(self):
        body = self.hand_over_body(self.colleague)
        first = self.post_as(self.owner, self.url("hand-over"), body)
        second = self.client.post(self.url("hand-over"), body)
        self.assertEqual(first.status_code, 302)
        self.assertEqual((second.status_code, second.url), (302, first.url))
        self.assertEqual([row[0] for row in self.history()], ["claim", "hand_over"])


class StepTests(AssignmentTestCase):
    def test_the_holder_keeps_the_case_while_its_role_takes_the_steps(self):
        assignment.case_claim(case=self.case, user=self.owner)
        for name in ("start_assessment", "send_intention"):
            services.case_transition(case=self.case, name=name, user=self.owner)
        # The views phase is a new task, the jurist's too: it is the holder's.
        task = self.task()
        self.assertEqual((task.flow_task.name, task.owner), ("views", self.owner))
        self.assertEqual(self.holder(), self.owner)
        self.assertEqual(len(self.history()), 1)

    def test_a_step_of_another_role_gives_the_case_back_to_the_team(self):
        assignment.case_claim(case=self.case, user=self.owner)
        for name in ("start_assessment", "send_intention", "views_term_expired"):
            services.case_transition(case=self.case, name=name, user=self.owner)
        self.assertIsNone(self.holder())
        task = self.task()
        self.assertEqual((task.flow_task.name, task.owner), ("decide", None))
        kind, actor, from_user, to_user, note = self.history()[-1]
        self.assertEqual((kind, actor, from_user, to_user),
                         ("step", "owner", "owner", None))  # fmt: skip
        case = Case.objects.get(pk=self.case.pk)
        self.assertIn(HOLD_STEP_ROLE, note)
        self.assertEqual(note, str(assignment.hold_refusal(self.owner, case)))
        # The burgemeester may now take it up.
        assignment.case_claim(case=self.case, user=self.burgemeester)
        self.assertEqual(self.task().owner, self.burgemeester)


class DecisionPointTests(AssignmentTestCase):
    def test_hold_and_assign_as_the_cast(self):
        roles = assignment.step_roles(self.case)
        self.assertEqual(roles, frozenset({Role.JURIST}))
        holds = {
            user.username: decide(fresh(user), HOLD, self.case, step_roles=roles)
            for user in (self.owner, self.colleague, self.burgemeester,
                         self.politie_user, self.outsider, self.coordinator, self.fg)
        }  # fmt: skip
        self.assertEqual(
            holds,
            {"owner": True, "colleague": True, "burgemeester": False,
             "politie": False, "outsider": False, "coordinator": False, "fg": False},
        )  # fmt: skip
        org = self.case.responsible_organisation_id
        assigns = {
            user.username: decide(fresh(user), ASSIGN, self.case,
                                  organisation_id=org, holder_id=self.colleague.pk)
            for user in (self.owner, self.colleague, self.coordinator,
                         self.other_coordinator, self.politie_user, self.outsider)
        }  # fmt: skip
        self.assertEqual(
            assigns,
            {"owner": False, "colleague": True, "coordinator": True,
             "roermond": False, "politie": False, "outsider": False},
        )  # fmt: skip
        self.assertFalse(decide(self.owner, HOLD, self.case, step_roles=frozenset()))


class DistributeTests(AssignmentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.queue = [cls.case]
        for i in range(3):
            case = services.case_open(
                user=cls.owner, case_type=CaseType.LOD, title=f"Pand {i}"
            )
            for member in (cls.colleague, cls.burgemeester, cls.coordinator):
                services.case_team_add(
                    case=case, user=cls.owner, member=member, team_role=MEMBER
                )
            cls.queue.append(case)
        # A case of the coordinator's organisation not on its team, and one
        # of another organisation: neither is in its queue.
        cls.hidden = services.case_open(
            user=cls.colleague, case_type=CaseType.LOD, title="Niet van het team"
        )

    def body(self, cases, *, mode="round_robin", people=(), per_case=None):
        body = {
            "cases": [c.reference for c in cases],
            "mode": mode,
            "people": [p.pk for p in people],
            "note": "Verdeling week 49",
            idempotency.FIELD: idempotency.new_token(),
        }
        for case, person in (per_case or {}).items():
            body[f"person_{case.reference}"] = person.pk
        return body

    def test_only_a_coordinator_opens_the_page(self):
        for user in (self.owner, self.burgemeester, self.politie_user,
                     self.belastingdienst_user, self.fg):  # fmt: skip
            self.client.force_login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(DISTRIBUTE).status_code, 404)
                self.assertEqual(self.client.post(DISTRIBUTE, {}).status_code, 404)

    def test_the_queue_is_the_coordinators_unheld_cases_on_its_teams(self):
        assignment.case_claim(case=self.queue[3], user=self.colleague)
        self.client.force_login(self.coordinator)
        response = self.client.get(DISTRIBUTE)
        shown = list(response.context["form"].queue)
        self.assertEqual(shown, [c.reference for c in self.queue[:3]])
        self.assertNotContains(response, self.hidden.reference)
        people = [
            label for _v, label in response.context["form"].fields["people"].choices
        ]
        # The gemeente's jurists: the step of every case in the queue is theirs.
        self.assertEqual(
            sorted(people),
            sorted(u.get_full_name() for u in (self.owner, self.colleague,
                                               self.outsider)),
        )  # fmt: skip
        # Another organisation's coordinator has an empty queue.
        self.client.force_login(self.other_coordinator)
        self.assertEqual(self.client.get(DISTRIBUTE).context["form"].queue, {})

    def test_the_queue_is_the_case_querysets_answer(self):
        # Read from the list's entries, the queue is what the decision
        # point's queryset of cases answers: on the user's teams, open,
        # nobody holds it, of the user's organisation, oldest first.
        assignment.case_claim(case=self.queue[1], user=self.colleague)
        Case.objects.filter(pk=self.queue[2].pk).update(closed_at=timezone.now())
        for user in (self.coordinator, self.other_coordinator, self.owner):
            with self.subTest(user=user.username):
                user = fresh(user)
                expected = (
                    Case.objects.for_user(user)
                    .filter(
                        assignee__isnull=True,
                        closed_at__isnull=True,
                        responsible_organisation_id=actor_for(user).organisation_id,
                    )
                    .order_by("opened_at", "id")
                    .values_list("pk", flat=True)
                )
                self.assertEqual(list(assignment.queue_ids(user)), list(expected))
        coordinator = fresh(self.coordinator)
        self.assertEqual(
            list(assignment.queue_ids(coordinator)),
            [self.queue[0].pk, self.queue[3].pk],
        )
        self.assertEqual(
            list(assignment.queue_ids(coordinator, limit=1)), [self.queue[0].pk]
        )
        self.assertEqual(
            [c.reference for c in assignment.distribution_queue(coordinator)],
            [self.queue[0].reference, self.queue[3].reference],
        )

    def test_the_queue_is_one_range_of_the_users_entries(self):
        """PostgreSQL: the oldest of the user's own entries, from one index
        alone, never every case on the user's teams joined and sorted."""
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's planner")
        coordinator = fresh(self.coordinator)
        sql, params = assignment.queue_ids(coordinator).query.sql_with_params()
        plan = explain(sql, params, index_scans_only=True)
        self.assertIn("Index Only Scan", plan)
        self.assertIn(f"(user_id = {coordinator.pk})", plan)
        self.assertNotIn("Sort", plan)
        self.assertNotIn("casework_case", plan)

    def test_the_page_says_it_is_working_once_submitted(self):
        # Bulk work of seconds: the form shows its notice and disables its
        # button when submitted (casework.js, data-busy), in Dutch.
        self.client.force_login(self.coordinator)
        response = self.client.get(DISTRIBUTE)
        self.assertContains(response, 'data-busy="distribute-busy"')
        self.assertContains(
            response,
            "Bezig met verdelen: bij veel zaken duurt dit enkele seconden.",
        )
        self.assertContains(response, '<p id="distribute-busy" role="status" hidden>')

    def test_a_full_page_says_how_many_wait(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(DISTRIBUTE)
        self.assertContains(response, "<caption>De werkvoorraad</caption>")
        with mock.patch.object(assignment, "QUEUE_LIMIT", 3):
            response = self.client.get(DISTRIBUTE)
        self.assertEqual(len(response.context["form"].queue), 3)
        self.assertContains(
            response, "<caption>De werkvoorraad: de oudste 3 van 4</caption>"
        )
        # Counted as the case list counts: up to COUNT_LIMIT, then "+".
        with (
            mock.patch.object(assignment, "QUEUE_LIMIT", 1),
            mock.patch.object(selectors, "COUNT_LIMIT", 2),
        ):
            response = self.client.get(DISTRIBUTE)
        self.assertContains(
            response, "<caption>De werkvoorraad: de oudste 1 van 2+</caption>"
        )

    def test_round_robin_over_two_people(self):
        self.client.force_login(self.coordinator)
        response = self.client.post(
            DISTRIBUTE, self.body(self.queue, people=[self.owner, self.colleague])
        )
        self.assertRedirects(response, DISTRIBUTE)
        holders = [self.holder(case) for case in self.queue]
        self.assertEqual(holders, [self.owner, self.colleague] * 2)
        self.assertEqual([self.task(case).owner for case in self.queue], holders)
        rows = Assignment.objects.filter(kind="distribute").order_by("case_id")
        self.assertEqual(
            [(r.case_id, r.actor_id, r.from_user_id, r.to_user_id, r.note)
             for r in rows],
            [(c.pk, self.coordinator.pk, None, h.pk, "Verdeling week 49")
             for c, h in zip(self.queue, holders, strict=True)],
        )  # fmt: skip

    def test_in_turn_passes_over_whoever_may_not_hold_a_case(self):
        # The outsider (a jurist of the gemeente) is on none of these teams:
        # passed over for every case, the turn goes on between the others.
        self.client.force_login(self.coordinator)
        response = self.client.post(
            DISTRIBUTE,
            self.body(self.queue, people=[self.outsider, self.owner, self.colleague]),
        )
        self.assertRedirects(response, DISTRIBUTE)
        self.assertEqual(
            [self.holder(case) for case in self.queue],
            [self.owner, self.colleague, self.owner, self.colleague],
        )

    def test_in_turn_one_off_a_team_keeps_the_turn_for_the_next_case(self):
        # The colleague, first in turn, is not on the first case's team: that
        # case goes to the owner, and the colleague, passed over, takes the
        # second.
        team_remove(case=self.queue[0], user=self.colleague)
        plan = assignment.round_robin(
            self.queue, [fresh(self.colleague), fresh(self.owner)]
        )
        self.assertEqual(
            [person.pk for _case, person in plan],
            [p.pk for p in (self.owner, self.colleague, self.owner, self.colleague)],
        )
        assignment.queue_distribute(user=fresh(self.coordinator), plan=plan)
        self.assertEqual(
            [self.holder(case) for case in self.queue],
            [self.owner, self.colleague, self.owner, self.colleague],
        )

    def test_in_turn_with_nobody_who_may_hold_refuses_by_name(self):
        self.client.force_login(self.coordinator)
        response = self.client.post(
            DISTRIBUTE, self.body(self.queue[:2], people=[self.outsider])
        )
        self.assertEqual(response.status_code, 200)
        errors = " ".join(response.context["form"].non_field_errors())
        for case in self.queue[:2]:
            self.assertIn(f"{case.reference}: ", errors)
        self.assertIn(HOLD_TEAM, errors)
        self.assertEqual([self.holder(c) for c in self.queue], [None] * 4)

    def test_a_person_per_case(self):
        self.client.force_login(self.coordinator)
        plan = {self.queue[0]: self.colleague, self.queue[2]: self.owner}
        response = self.client.post(
            DISTRIBUTE, self.body(plan, mode="per_case", per_case=plan)
        )
        self.assertRedirects(response, DISTRIBUTE)
        self.assertEqual(
            [self.holder(c) for c in self.queue],
            [self.colleague, None, self.owner, None],
        )

    def test_one_bad_target_changes_nothing(self):
        self.client.force_login(self.coordinator)
        # The outsider is a jurist of the gemeente (a choice on the page),
        # but on none of these teams.
        plan = {self.queue[0]: self.colleague, self.queue[1]: self.colleague,
                self.queue[2]: self.outsider}  # fmt: skip
        response = self.client.post(
            DISTRIBUTE, self.body(plan, mode="per_case", per_case=plan)
        )
        self.assertEqual(response.status_code, 200)
        errors = " ".join(response.context["form"].non_field_errors())
        self.assertIn(f"{self.queue[2].reference}: ", errors)
        self.assertIn(HOLD_TEAM, errors)
        self.assertNotIn(self.queue[0].reference, errors)
        self.assertEqual([self.holder(c) for c in self.queue], [None] * 4)
        self.assertFalse(Assignment.objects.exists())
        self.assertFalse(FormSubmission.objects.exists())

    def test_a_role_that_does_not_take_the_step_refuses_the_whole_plan(self):
        with self.assertRaises(StepRefused) as refused:
            assignment.queue_distribute(
                user=self.coordinator,
                plan=[(self.queue[0], self.colleague),
                      (self.queue[1], self.burgemeester)],
            )  # fmt: skip
        self.assertEqual([r.rule for r in refused.exception.refusals], [HOLD_STEP_ROLE])
        self.assertEqual(self.holder(self.queue[0]), None)

    def test_the_checks_cost_the_same_for_two_cases_as_for_four(self):
        # Every pair is asked of the decision point, but its facts — the
        # people's roles and their team rows — are read once for the plan, not
        # per pair: no guardian query, one membership query, whatever the
        # number of cases and people. The writes are per case (the case row,
        # its task through viewflow, the Assignment and the history line).
        def distribute(cases, people):
            plan = assignment.round_robin(cases, [fresh(p) for p in people])
            coordinator = fresh(self.coordinator)
            with CaptureQueriesContext(connection) as ctx:
                assignment.queue_distribute(user=coordinator, plan=plan)
            return [q["sql"] for q in ctx.captured_queries]

        with transaction.atomic():
            two = distribute(self.queue[:2], [self.owner, self.colleague])
            transaction.set_rollback(True)
        four = distribute(self.queue, [self.owner, self.colleague])
        for sql in (two, four):
            self.assertFalse([q for q in sql if "objectpermission" in q])
            self.assertEqual(
                len([q for q in sql if 'FROM "permissions_membership"' in q]), 1
            )

        # Two more cases, two more cases' writes; the reads outside the flow
        # (viewflow reads each task it reassigns) stay: the cases locked, the
        # coordinator's membership, the team rows.
        def reads(sql):
            return [
                q for q in sql
                if q.startswith("SELECT") and '"viewflow_' not in q
                and '"casework_caseprocess"' not in q
            ]  # fmt: skip

        self.assertEqual(len(reads(two)), 3)
        self.assertEqual(len(reads(four)), 3)
        self.assertGreater(len(four), len(two))
        self.assertEqual(
            [self.holder(c) for c in self.queue],
            [self.owner, self.colleague, self.owner, self.colleague],
        )

    def test_a_non_coordinator_may_not_distribute_through_the_service(self):
        with self.assertRaises(StepRefused) as refused:
            assignment.queue_distribute(
                user=self.owner, plan=[(self.queue[0], self.colleague)]
            )
        self.assertEqual([r.rule for r in refused.exception.refusals], [ASSIGN_HOLDER])

    def test_a_double_submit_distributes_once(self):
        self.client.force_login(self.coordinator)
        body = self.body(self.queue[:2], people=[self.owner, self.colleague])
        first = self.client.post(DISTRIBUTE, body)
        second = self.client.post(DISTRIBUTE, body)
        self.assertRedirects(first, DISTRIBUTE)
        self.assertRedirects(second, DISTRIBUTE)
        self.assertEqual(Assignment.objects.filter(kind="distribute").count(), 2)

    def test_a_case_outside_the_queue_is_refused_in_dutch(self):
        self.client.force_login(self.coordinator)
        response = self.client.post(
            DISTRIBUTE, self.body([self.hidden], people=[self.owner])
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("cases", response.context["form"].errors)
        self.assertNotContains(response, "Select a valid choice")
        self.assertIsNone(self.holder(self.hidden))

    def test_the_page_reads_the_same_number_of_queries_for_more_cases(self):
        from django.db import connection

        self.client.force_login(self.coordinator)
        self.client.get(DISTRIBUTE)
        with CaptureQueriesContext(connection) as few:
            self.client.get(DISTRIBUTE)
        for i in range(5):
            services.case_open(
                user=self.coordinator, case_type=CaseType.CONTROLE, title=f"Meer {i}"
            )
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(DISTRIBUTE)
        self.assertEqual(len(response.context["form"].queue), 4 + 5)
        self.assertEqual(len(many), len(few))


class MyWorkTests(AssignmentTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.cases = [cls.case]
        for i in range(4):
            case = services.case_open(
                user=cls.owner, case_type=CaseType.LOD, title=f"Werk {i}"
            )
            services.case_team_add(
                case=case, user=cls.owner, member=cls.colleague, team_role=MEMBER
            )
            cls.cases.append(case)
        # Mine: 0 and 3; the colleague's: 1; nobody's: 2 and 4.
        for index, user in ((0, cls.owner), (1, cls.colleague), (3, cls.owner)):
            assignment.case_claim(case=cls.cases[index], user=user)
        # A case of another team, held by nobody: nowhere on the owner's page.
        cls.other = services.case_open(
            user=cls.outsider, case_type=CaseType.LOD, title="Ander team"
        )

    def groups(self, user):
        self.client.force_login(user)
        response = self.client.get("/")
        groups = response.context["work_groups"]
        return response, {
            name: ([row["reference"] for row in rows], str(count))
            for name, (rows, count) in groups.items()
        }

    def refs(self, *indexes):
        # Newest first, as the inbox.
        return [self.cases[i].reference for i in sorted(indexes, reverse=True)]

    def test_the_three_groups_are_exact(self):
        response, groups = self.groups(self.owner)
        self.assertEqual(
            groups,
            {"mine": (self.refs(0, 3), "2"), "team": (self.refs(1), "1"),
             "unassigned": (self.refs(2, 4), "2")},
        )  # fmt: skip
        self.assertContains(response, self.colleague.get_full_name())  # holder
        _response, colleague = self.groups(self.colleague)
        self.assertEqual(
            colleague,
            {"mine": (self.refs(1), "1"), "team": (self.refs(0, 3), "2"),
             "unassigned": (self.refs(2, 4), "2")},
        )  # fmt: skip
        # The burgemeester's role takes none of these steps; the outsider
        # is on none of these teams.
        for user in (self.burgemeester, self.politie_user):
            _response, groups = self.groups(user)
            self.assertEqual(
                groups, {name: ([], "0") for name in assignment.GROUPS}, user
            )
        _response, outsider = self.groups(self.outsider)
        self.assertEqual(outsider["unassigned"], ([self.other.reference], "1"))
        self.assertEqual(outsider["mine"], ([], "0"))

    def test_a_group_shows_ten_rows_and_counts_them_all(self):
        for i in range(12):
            CaseFactory(owner=self.colleague, title=f"Stapel {i}")
        _response, groups = self.groups(self.colleague)
        rows, count = groups["unassigned"]
        self.assertEqual((len(rows), count), (10, "14"))

    def test_the_count_is_bounded(self):
        with mock.patch.object(assignment, "WORK_COUNT_LIMIT", 1):
            groups = assignment.work_groups(fresh(self.owner))
        self.assertEqual(str(groups["unassigned"][1]), "1+")
        self.assertEqual(str(groups["team"][1]), "1")
        # Beyond the bound the group still shows its rows.
        self.assertEqual(len(groups["unassigned"][0]), 2)

    def test_a_group_beyond_the_bound_says_so_in_its_heading(self):
        # Mijn werk's bound (decision 0010, "Mijn werk's groups"), as the
        # page prints it.
        self.client.force_login(self.owner)
        with mock.patch.object(assignment, "WORK_COUNT_LIMIT", 1):
            home = self.client.get("/")
        self.assertEqual(str(home.context["work_groups"]["mine"][1]), "1+")
        self.assertContains(home, '<span class="count">(1+)</span>', html=False)

    def test_the_groups_are_one_query(self):
        user = fresh(self.owner)
        actor_for(user)  # the membership, read once per request anyway
        with self.assertNumQueries(1):
            assignment.work_groups(user)

    def test_my_work_reads_as_many_queries_for_many_cases_as_for_few(self):
        from django.db import connection

        self.client.force_login(self.owner)
        self.client.get("/")
        with CaptureQueriesContext(connection) as few:
            self.client.get("/")
        for i in range(15):
            case = CaseFactory(owner=self.owner, title=f"Nog {i}")
            if i % 2:
                assignment.case_claim(case=case, user=self.owner)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get("/")
        self.assertEqual(
            len(many), len(few), [q["sql"][:80] for q in many.captured_queries]
        )
        self.assertEqual(str(response.context["work_groups"]["mine"][1]), "9")

    def test_the_page_shows_the_groups_in_dutch(self):
        response, _groups = self.groups(self.owner)
        for text in ("Van mij", "Van mijn team", "Niet toegewezen"):
            self.assertContains(response, text)


class CasePageTests(AssignmentTestCase):
    def test_the_page_offers_what_the_user_may_do(self):
        offers = {
            self.owner: ("Oppakken",),
            self.burgemeester: (),
            self.coordinator: ("Overdragen aan",),
        }
        for user, shown in offers.items():
            with self.subTest(user=user.username):
                self.client.force_login(user)
                page = self.client.get(self.case.get_absolute_url())
                self.assertContains(page, "Niemand behandelt deze zaak")
                for text in ("Oppakken", "Vrijgeven", "Overdragen aan"):
                    if text in shown:
                        self.assertContains(page, text)
                    else:
                        self.assertNotContains(page, text)
        assignment.case_claim(case=self.case, user=self.owner)
        self.client.force_login(self.owner)
        page = self.client.get(self.case.get_absolute_url())
        self.assertContains(page, f"Behandeld door {self.owner.get_full_name()}")
        self.assertContains(page, "Vrijgeven")
        self.assertNotContains(page, "Oppakken")

    def test_the_page_reads_no_more_queries_when_nobody_holds_the_case(self):
        from django.db import connection

        other = services.case_open(user=self.owner, case_type=CaseType.LOD, title="X")
        self.client.force_login(self.owner)
        self.client.get(other.get_absolute_url())
        with CaptureQueriesContext(connection) as bare:
            self.client.get(other.get_absolute_url())
        assignment.case_claim(case=other, user=self.owner)
        with CaptureQueriesContext(connection) as held:
            self.client.get(other.get_absolute_url())
        # The holder's name comes with the open task (its owner).
        self.assertEqual(len(held), len(bare))
