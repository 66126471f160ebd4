"""The Bibob flow (casework/flows.py `BibobFlow`): the human tasks follow
the legal status, phase by phase, for the coordinator and the burgemeester."""

from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casework.assignment import inbox as tasks_for_user
from casework.flows import current_task, process_chart
from casework.models import CaseProcess
from permissions.models import Role
from workflows.bibob.flow import BibobFlow
from workflows.bibob.machine import BibobCase

from .test_bibob_states import (
    ADVICE_VERIFIED,
    NO_DANGER,
    SERIOUS_DANGER_REFUSED,
    BibobTestCase,
)

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def task_names(case, *statuses):
    tasks = Task.objects.filter(process__caseprocess__case=case).order_by("id")
    if statuses:
        tasks = tasks.filter(status__in=statuses)
    return [task.flow_task.name for task in tasks]


class BibobFlowShapeTests(BibobTestCase):
    def test_every_state_but_the_terminal_ones_belongs_to_one_phase(self):
        seen = [s for p in BibobFlow.phases for s in p.statuses]
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(
            set(seen) | set(BibobCase.TERMINAL), set(BibobCase.Status.values)
        )

    def test_every_transition_between_phases_is_an_edge_of_the_flow(self):
        field = BibobCase._meta.get_field("status")
        for transition in field.get_all_transitions(BibobCase):
            src = BibobFlow.phase_of[transition.source]
            dst = BibobFlow.phase_of.get(transition.target, "end")
            if src == dst:
                continue
            gateway = getattr(BibobFlow.instance, f"after_{src}")
            targets = {edge.dst.name for edge in gateway._outgoing()}
            self.assertIn(dst, targets, msg=transition.name)

    def test_only_the_coordinator_and_the_burgemeester_hold_tasks(self):
        self.assertEqual(
            {p.role for p in BibobFlow.phases}, {Role.BIBOB, Role.BURGEMEESTER}
        )


class BibobFlowTests(BibobTestCase):
    def test_opening_a_case_starts_its_flow_at_the_intake(self):
        process = CaseProcess.objects.get(case=self.case)
        self.assertEqual(process.flow_class, BibobFlow)
        self.assertEqual(task_names(self.case, *OPEN), ["intake"])
        self.assertEqual(current_task(self.case)["phase"].role, Role.BIBOB)

    def test_the_decision_moves_to_the_burgemeester_and_back(self):
        self.go(ADVICE_VERIFIED)
        self.assertEqual(task_names(self.case, *OPEN), ["weigh"])
        inbox = tasks_for_user(self.burgemeester)
        self.assertEqual([t["reference"] for t in inbox], [self.case.reference])
        self.assertEqual([t["reference"] for t in tasks_for_user(self.bibob)], [])

    def test_refused_after_views_walks_every_phase_and_ends(self):
        self.go(SERIOUS_DANGER_REFUSED)
        self.assertEqual(
            [n for n in task_names(self.case, STATUS.DONE)
             if not n.startswith("after_") and n not in ("start", "end")],
            ["intake", "questionnaire", "investigate", "advice", "verify", "weigh",
             "views", "decide", "notify", "close"],
        )  # fmt: skip
        process = CaseProcess.objects.get(case=self.case)
        self.assertEqual(process.status, PROCESS.DONE)
        self.assertIsNone(current_task(self.case))

    def test_no_task_for_a_role_outside_the_wall(self):
        self.go(NO_DANGER[:4])
        for user in (self.owner, self.politie_user, self.fg, self.toezicht):
            with self.subTest(user=user.username):
                refs = [t["reference"] for t in tasks_for_user(user)]
                self.assertNotIn(self.case.reference, refs)

    def test_the_picture_marks_the_current_phase(self):
        self.go(ADVICE_VERIFIED)
        svg = process_chart(self.case)
        self.assertRegex(svg, r'<g id="weigh"[^>]*class="current"')
        self.assertRegex(svg, r'<g id="advice"[^>]*class="done"')
