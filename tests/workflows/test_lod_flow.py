"""The LOD flow (casework/flows.py): the human tasks follow the legal status.

Every step runs through `casework.services.case_transition`, which moves the
flow in the same transaction; these tests read viewflow's own rows back.
"""

import threading
from unittest import skipUnless

from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TransactionTestCase

from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework import services
from casework.assignment import inbox as tasks_for_user
from casework.flows import current_task, process_chart
from casework.models import Case, CaseEvent, CaseProcess
from permissions.models import CaseAccess, Organisation, Role
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, UserFactory
from workflows.lod.flow import LodFlow
from workflows.lod.machine import LodCase

from .base import WorkflowTestCase
from .test_lod_states import ASSESS, PREVENTIVE_ORDER


def task_names(case, *statuses):
    tasks = Task.objects.filter(process__caseprocess__case=case).order_by("id")
    if statuses:
        tasks = tasks.filter(status__in=statuses)
    return [task.flow_task.name for task in tasks]


OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


class LodFlowShapeTests(WorkflowTestCase):
    def test_every_state_but_the_last_belongs_to_one_phase(self):
        seen = [s for p in LodFlow.phases for s in p.statuses]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(set(seen) | set(LodCase.TERMINAL), set(LodCase.Status.values))

    def test_every_transition_between_phases_is_an_edge_of_the_flow(self):
        field = LodCase._meta.get_field("status")
        for transition in field.get_all_transitions(LodCase):
            src = LodFlow.phase_of[transition.source]
            dst = LodFlow.phase_of.get(transition.target, "end")
            if src == dst:
                continue
            gateway = getattr(LodFlow.instance, f"after_{src}")
            targets = {edge.dst.name for edge in gateway._outgoing()}
            self.assertIn(dst, targets, msg=transition.name)


class LodFlowTests(WorkflowTestCase):
    def test_opening_a_case_starts_its_flow_at_the_assessment(self):
        case = self.new_case()
        process = CaseProcess.objects.get(case=case)
        self.assertEqual(process.flow_class, LodFlow)
        self.assertEqual(process.status, PROCESS.NEW)
        self.assertEqual(task_names(case, *OPEN), ["assess"])
        self.assertEqual(current_task(case)["phase"].role, Role.JURIST)

    def test_a_step_inside_the_phase_keeps_the_task(self):
        case = self.new_case()
        self.walk(ASSESS, case=case)  # A00 → A10, both "assess"
        self.assertEqual(task_names(case), ["start", "assess"])
        self.assertEqual(task_names(case, *OPEN), ["assess"])

    def test_the_user_who_leaves_the_phase_completes_its_task(self):
        case = self.new_case()
        self.walk([*ASSESS, ("send_intention", "colleague", "A20")], case=case)
        assess = Task.objects.get(
            process__caseprocess__case=case, flow_task=LodFlow.assess
        )
        self.assertEqual((assess.status, assess.owner), (STATUS.DONE, self.colleague))
        self.assertEqual(task_names(case, *OPEN), ["views"])

    def test_preventive_order_passes_decision_and_notification_to_monitoring(self):
        case = self.new_case()
        self.walk(PREVENTIVE_ORDER, case=case)
        self.assertEqual(
            task_names(case, STATUS.DONE),
            ["start", "assess", "after_assess", "views", "after_views", "decide",
             "after_decide", "notify", "after_notify"],
        )  # fmt: skip
        decide = Task.objects.get(
            process__caseprocess__case=case, flow_task=LodFlow.decide
        )
        self.assertEqual(decide.owner, self.burgemeester)
        self.assertEqual(task_names(case, *OPEN), ["monitor"])
        # Hercontrole and compliance stay inside the monitoring phase.
        self.walk(
            [
                ("review_new_report", "toezicht", "A61"),
                ("record_compliance", "toezicht", "A60"),
            ],
            case=case,
        )
        self.assertEqual(task_names(case, *OPEN), ["monitor"])

    def test_closing_the_case_ends_the_flow(self):
        case = self.new_case()
        self.walk([*ASSESS], case=case)
        services.case_transition(
            case=case, name="close_without_action", user=self.owner, note="Geen actie"
        )
        process = CaseProcess.objects.get(case=case)
        self.assertEqual(process.status, PROCESS.DONE)
        self.assertIsNotNone(process.finished)
        self.assertEqual(task_names(case, *OPEN), [])
        self.assertIsNone(current_task(case))

    def test_a_refused_step_leaves_the_flow_as_it_was(self):
        case = self.new_case()
        before = list(Task.objects.values_list("id", "status"))
        with self.assertRaises(ValidationError):
            services.case_transition(case=case, name="send_intention", user=self.owner)
        self.assertEqual(list(Task.objects.values_list("id", "status")), before)

    def test_forfeited_twice_then_collection_moves_to_the_collection_officer(self):
        case = self.new_case()
        self.walk(
            [
                *PREVENTIVE_ORDER,
                ("review_new_report", "toezicht", "A61"),
                ("establish_breach", "toezicht", "A70"),
                ("continue_monitoring", "owner", "A60"),
                ("review_new_report", "toezicht", "A61"),
                ("establish_breach", "toezicht", "A70"),
                ("propose_collection", "owner", "A71"),
                ("decide_collection", "owner", "A72"),
            ],
            case=case,
        )
        self.assertEqual(task_names(case, *OPEN), ["collect"])
        self.assertEqual(task_names(case).count("forfeited"), 2)
        self.assertEqual(task_names(case).count("monitor"), 2)


class TaskInboxTests(WorkflowTestCase):
    def test_each_role_sees_the_tasks_of_its_phase_on_its_own_cases(self):
        case = self.new_case()
        self.assertEqual(
            [t["reference"] for t in tasks_for_user(self.owner)],
            [case.reference, self.case.reference],
        )
        self.assertEqual(tasks_for_user(self.burgemeester), [])
        self.walk(
            [*ASSESS, ("send_intention", "owner", "A20"),
             ("views_term_expired", "owner", "A30")],
            case=case,
        )  # fmt: skip
        inbox = tasks_for_user(self.burgemeester)
        self.assertEqual([t["reference"] for t in inbox], [case.reference])
        self.assertEqual(inbox[0]["phase"].name, "decide")
        self.assertEqual(
            [t["reference"] for t in tasks_for_user(self.owner)],
            [self.case.reference],
        )

    def test_no_task_of_a_case_outside_the_team(self):
        self.new_case()
        self.assertEqual(tasks_for_user(self.outsider), [])
        self.assertEqual(tasks_for_user(self.politie_user), [])
        self.assertEqual(tasks_for_user(self.fg), [])

    def test_the_inbox_costs_two_queries_whatever_the_number_of_tasks(self):
        for _ in range(5):
            self.new_case()
        tasks_for_user(self.owner)  # warm the actor cache
        with self.assertNumQueries(1):
            self.assertEqual(len(tasks_for_user(self.owner)), 6)


class ProcessChartTests(WorkflowTestCase):
    def test_the_picture_marks_done_and_current_phases(self):
        case = self.new_case()
        self.walk(PREVENTIVE_ORDER, case=case)
        svg = process_chart(case)
        self.assertIn('<g id="monitor"', svg)
        self.assertRegex(svg, r'<g id="monitor"[^>]*class="current"')
        self.assertRegex(svg, r'<g id="decide"[^>]*class="done"')
        self.assertNotRegex(svg, r'<g id="closure"[^>]*class=')

    def test_a_new_pga_case_starts_its_flow_at_the_intake_phase(self):
        case = services.case_open(
            user=self.coordinator_for_test(), case_type=CaseType.PGA, title="X"
        )
        self.assertTrue(CaseProcess.objects.filter(case=case).exists())
        self.assertRegex(process_chart(case), r'<g id="intake"[^>]*class="current"')

    def coordinator_for_test(self):
        return UserFactory(role=Role.CASUSREGISSEUR, organisation=self.gemeente)


@skipUnless(connection.vendor == "postgresql", "needs row locks (PostgreSQL)")
class SameTaskAtOnceTests(TransactionTestCase):
    """Two jurists complete the same task at the same moment: one wins, the
    other is told the step is no longer possible; one event, one done task,
    one next task."""

    def test_two_users_complete_the_assessment_at_once(self):
        gemeente = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
        first = UserFactory(role=Role.JURIST, organisation=gemeente)
        second = UserFactory(role=Role.JURIST, organisation=gemeente)
        case = services.case_open(user=first, case_type=CaseType.LOD, title="Zaak")
        services.case_team_add(
            case=case, user=first, member=second, team_role=CaseAccess.TeamRole.MEMBER
        )
        services.case_transition(case=case, name="start_assessment", user=first)

        barrier = threading.Barrier(2)
        outcomes, errors = [], []

        def run(user):
            try:
                barrier.wait(timeout=10)
                services.case_transition(
                    case=Case.objects.get(pk=case.pk),
                    name="send_intention",
                    user=user,
                    note=f"door {user.username}",
                )
                outcomes.append(("ok", user))
            except ValidationError:
                outcomes.append(("refused", user))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(u,)) for u in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(kind for kind, _ in outcomes), ["ok", "refused"])
        winner = next(user for kind, user in outcomes if kind == "ok")
        self.assertEqual(Case.objects.get(pk=case.pk).status, "A20")
        events = CaseEvent.objects.filter(
            case=case, kind=CaseEvent.Kind.STATUS, to_status="A20"
        )
        self.assertEqual(
            [(e.actor, e.note) for e in events],
            [(winner, f"door {winner.username}")],
        )
        assess = Task.objects.get(
            process__caseprocess__case=case, flow_task=LodFlow.assess
        )
        self.assertEqual((assess.status, assess.owner), (STATUS.DONE, winner))
        self.assertEqual(
            list(
                Task.objects.filter(
                    process__caseprocess__case=case, status__in=OPEN
                ).values_list("flow_task", flat=True)
            ),
            [LodFlow.views],
        )
