"""LOD / sluiting state machine (workflows/lod/machine.py, docs/domain.md §2.3) as
scenarios through `casework.services.case_transition` with the real
permission checks: lists of steps that must succeed, and the ones that must
fail."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import time_machine

from casework import services
from casework.models import Case
from casework.registry import proxy_for
from casework.steps import available_transitions
from permissions.models import CaseAccess, Role
from tests.case_types import CaseType
from tests.factories import UserFactory
from workflows.legal_protection.machine import DecisionKind, Outcome
from workflows.legal_protection.services import (
    legal_protection_open,
    legal_protection_transition,
)
from workflows.lod.machine import LodCase, LodStatus, no_open_child_case

from .base import WorkflowTestCase

J, BGM, TH, INV = Role.JURIST, Role.BURGEMEESTER, Role.TOEZICHT, Role.INVORDERING

# Who may run each transition (docs/domain.md §2.3 actors, written out by hand).
ROLES = {
    "start_assessment": {J},
    "close_without_action": {J},
    "send_warning": {J, BGM},
    "close_after_warning": {J},
    "send_intention": {J},
    "impose_urgent_closure": {BGM},
    "receive_views": {J},
    "views_term_expired": {J},
    "process_views": {J},
    "impose_penalty_order": {BGM},
    "impose_closure_order": {BGM},
    "refrain_after_views": {J, BGM},
    "notify_decision": {J},
    "start_grace_period": {J},
    "start_monitoring": {J},
    "start_reinspection": {TH},
    "review_new_report": {TH, J},
    "record_compliance": {TH, J},
    "establish_breach": {TH, J},
    "continue_monitoring": {J},
    "reach_maximum": {J},
    "propose_collection": {J},
    "decide_collection": {J, BGM},
    "waive_collection": {BGM},
    "send_reminder": {INV},
    "issue_writ": {INV},
    "record_payment": {INV},
    "execute_closure": {TH},
    "start_closure_period": {TH},
    "reopen": {TH},
    "recover_costs": {J, INV},
    "receive_lift_request": {J},
    "lift_order": {BGM},
    "refuse_lifting": {BGM},
    "revoke_after_objection": {J},
    "close": {J},
}

# (transition, user attribute, status afterwards)
ASSESS = [("start_assessment", "owner", "A10")]
WARNING_ONLY = [
    *ASSESS,
    ("send_warning", "burgemeester", "A15"),
    ("close_after_warning", "owner", "A99"),
]
PENALTY_ORDER_COMPLIED_WITH = [
    *ASSESS,
    ("send_intention", "owner", "A20"),
    ("receive_views", "owner", "A25"),
    ("process_views", "colleague", "A30"),
    ("impose_penalty_order", "burgemeester", "A40"),
    ("notify_decision", "owner", "A45"),
    ("start_grace_period", "owner", "A50"),
    ("start_reinspection", "toezicht", "A61"),
    ("record_compliance", "toezicht", "A60"),
]
FORFEITED = [
    *PENALTY_ORDER_COMPLIED_WITH,
    ("review_new_report", "toezicht", "A61"),
    ("establish_breach", "toezicht", "A70"),
]
FORFEITED_TWICE_AND_COLLECTED = [
    *FORFEITED,
    ("continue_monitoring", "owner", "A60"),
    ("review_new_report", "owner", "A61"),
    ("establish_breach", "owner", "A70"),
    ("propose_collection", "owner", "A71"),
    ("decide_collection", "burgemeester", "A72"),
    ("send_reminder", "invordering", "A73"),
    ("issue_writ", "invordering", "A74"),
    ("record_payment", "invordering", "A75"),
    ("close", "owner", "A99"),
]
CLOSURE_ORDER = [
    *ASSESS,
    ("send_intention", "owner", "A20"),
    ("views_term_expired", "owner", "A30"),
    ("impose_closure_order", "burgemeester", "A41"),
    ("notify_decision", "owner", "A45"),
    ("start_grace_period", "owner", "A50"),
]
CLOSURE_EXECUTED_AND_COSTS_RECOVERED = [
    *CLOSURE_ORDER,
    ("start_reinspection", "toezicht", "A61"),
    ("execute_closure", "toezicht", "A81"),
    ("start_closure_period", "toezicht", "A82"),
    ("reopen", "toezicht", "A83"),
    ("recover_costs", "invordering", "A84"),
    ("record_payment", "invordering", "A75"),
    ("close", "owner", "A99"),
]
URGENT_CLOSURE = [
    *ASSESS,
    ("impose_urgent_closure", "burgemeester", "A41"),
    ("execute_closure", "toezicht", "A81"),
    ("start_closure_period", "toezicht", "A82"),
    ("reopen", "toezicht", "A83"),
    ("close", "owner", "A99"),
]
PREVENTIVE_ORDER = [
    *ASSESS,
    ("send_intention", "owner", "A20"),
    ("views_term_expired", "owner", "A30"),
    ("impose_penalty_order", "burgemeester", "A40"),
    ("notify_decision", "owner", "A45"),
    ("start_monitoring", "owner", "A60"),
]


def permission_of(name):
    field = LodCase._meta.get_field("status")
    return next(
        t for t in field.get_all_transitions(LodCase) if t.name == name
    ).permission


class LodScenarioTests(WorkflowTestCase):
    def test_warning_only(self):
        case = self.walk(WARNING_ONLY)
        self.assertIsNotNone(case.closed_at)

    def test_penalty_order_complied_with_stays_in_monitoring(self):
        case = self.walk(PENALTY_ORDER_COMPLIED_WITH)
        self.assertIs(case.is_open, True)

    def test_forfeited_twice_and_collected(self):
        case = self.walk(FORFEITED_TWICE_AND_COLLECTED)
        self.assertIsNotNone(case.closed_at)

    def test_maximum_reached_escalates_in_a_child_case(self):
        self.walk([*FORFEITED, ("reach_maximum", "owner", "A80")])
        child = services.case_open(
            user=self.owner, case_type=CaseType.LOD, title="Sluiting", parent=self.case
        )
        self.walk(
            [
                ("propose_collection", "owner", "A71"),
                ("decide_collection", "owner", "A72"),
                ("record_payment", "invordering", "A75"),
            ]
        )
        events = self.events()
        with self.assertRaisesMessage(
            ValidationError, str(services.TRANSITION_NOT_AVAILABLE)
        ):
            self.step("close", self.owner)
        self.assertEqual(self.status(), "A75")
        self.assertEqual(self.events(), events)
        self.walk(
            [
                ("start_assessment", "owner", "A10"),
                ("close_without_action", "owner", "A99"),
            ],
            case=child,
        )
        self.walk([("close", "owner", "A99")])

    def test_closure_executed_reopened_and_costs_recovered(self):
        self.walk(CLOSURE_EXECUTED_AND_COSTS_RECOVERED)

    def test_closure_executed_when_the_grace_period_lapses(self):
        self.walk([*CLOSURE_ORDER, ("execute_closure", "toezicht", "A81")])

    def test_unpaid_costs_are_collected_like_a_penalty(self):
        self.walk(
            [
                *CLOSURE_EXECUTED_AND_COSTS_RECOVERED[:-2],
                ("send_reminder", "invordering", "A73"),
                ("issue_writ", "invordering", "A74"),
                ("record_payment", "invordering", "A75"),
            ]
        )

    def test_urgent_closure_skips_the_intention(self):
        self.walk(URGENT_CLOSURE)

    def test_collection_waived_or_time_barred(self):
        self.walk(
            [
                *FORFEITED,
                ("propose_collection", "owner", "A71"),
                ("waive_collection", "burgemeester", "A76"),
                ("close", "owner", "A99"),
            ]
        )

    def test_refrain_from_enforcement_after_the_views(self):
        self.walk(
            [
                *ASSESS,
                ("send_intention", "owner", "A20"),
                ("receive_views", "owner", "A25"),
                ("process_views", "owner", "A30"),
                ("refrain_after_views", "burgemeester", "A99"),
            ]
        )

    def test_request_to_lift_refused_then_granted(self):
        self.walk(
            [
                *PREVENTIVE_ORDER,
                ("receive_lift_request", "owner", "A90"),
                ("refuse_lifting", "burgemeester", "A60"),
                ("receive_lift_request", "colleague", "A90"),
                ("lift_order", "burgemeester", "A95"),
                ("close", "owner", "A99"),
            ]
        )

    def test_upheld_objection_revokes_the_order(self):
        self.walk(PREVENTIVE_ORDER)
        protection = legal_protection_open(
            case=self.case,
            user=self.owner,
            decision_title="Besluit last onder dwangsom",
            decided_on=date(2026, 3, 2),
        )
        for name, user, outcome in (
            ("receive_objection", self.owner, ""),
            ("schedule_hearing", self.owner, ""),
            ("receive_committee_advice", self.owner, ""),
        ):
            protection = legal_protection_transition(
                protection=protection, name=name, user=user, outcome=outcome
            )
        # Not yet decided: nothing to revoke.
        with self.assertRaises(ValidationError):
            self.step("revoke_after_objection", self.owner)
        legal_protection_transition(
            protection=protection,
            name="decide_objection",
            user=self.burgemeester,
            outcome=Outcome.UPHELD,
        )
        self.walk([("revoke_after_objection", "owner", "A95")])
        # The beroepstermijn against the beslissing op bezwaar (Awb 6:7, six
        # weeks from the day after it was made known, today) still runs: the
        # case is not closed yet (machine.no_remedy_open). Eight weeks on,
        # past any Atw extension, it is.
        with self.assertRaises(ValidationError):
            self.step("close", self.owner)
        later = timezone.now() + timedelta(weeks=8)
        with time_machine.travel(later, tick=False):
            self.walk([("close", "owner", "A99")])

    def test_upheld_objection_against_collection_leaves_the_order(self):
        """Only a remedy against the order itself ends it (A95); revoking the
        invorderingsbeschikking does not."""
        self.walk(PREVENTIVE_ORDER)
        protection = legal_protection_open(
            case=self.case,
            user=self.owner,
            decision_title="Invorderingsbeschikking",
            decision_kind=DecisionKind.COLLECTION,
            decided_on=date(2026, 3, 2),
        )
        protection = legal_protection_transition(
            protection=protection, name="receive_objection", user=self.owner
        )
        legal_protection_transition(
            protection=protection,
            name="decide_objection",
            user=self.burgemeester,
            outcome=Outcome.UPHELD,
        )
        with self.assertRaisesMessage(
            ValidationError, str(services.TRANSITION_NOT_AVAILABLE)
        ):
            self.step("revoke_after_objection", self.owner)
        self.assertEqual(self.status(), "A60")

    def test_a_dismissed_objection_revokes_nothing(self):
        self.walk(PREVENTIVE_ORDER)
        protection = legal_protection_open(
            case=self.case,
            user=self.owner,
            decision_title="Besluit last onder dwangsom",
            decided_on=date(2026, 3, 2),
        )
        protection = legal_protection_transition(
            protection=protection, name="receive_objection", user=self.owner
        )
        legal_protection_transition(
            protection=protection,
            name="decide_objection",
            user=self.owner,
            outcome=Outcome.DISMISSED,
        )
        with self.assertRaisesMessage(
            ValidationError, str(services.TRANSITION_NOT_AVAILABLE)
        ):
            self.step("revoke_after_objection", self.owner)
        self.assertEqual(self.status(), "A60")


class LodRefusalTests(WorkflowTestCase):
    def names(self, user) -> set[str]:
        """The steps `user` is offered now (what the case page lists)."""
        return {name for name, _label in available_transitions(self.fresh(), user)}

    def assert_refused(self, exception, name, user, message=None):
        status, events = self.status(), self.events()
        with self.assertRaisesMessage(exception, str(message or "")):
            self.step(name, user)
        self.assertEqual(self.status(), status)
        self.assertEqual(self.events(), events)

    def test_a_step_from_a_wrong_state_is_refused_and_writes_no_event(self):
        cases = [
            ([], "impose_penalty_order", self.burgemeester),
            ([], "close", self.owner),
            (ASSESS, "notify_decision", self.owner),
            (ASSESS, "impose_penalty_order", self.burgemeester),
            (PREVENTIVE_ORDER[:-1], "establish_breach", self.toezicht),
            (PREVENTIVE_ORDER, "record_payment", self.invordering),
            (FORFEITED, "close", self.owner),
            (WARNING_ONLY, "start_assessment", self.owner),
        ]
        for steps, name, user in cases:
            with self.subTest(name=name, after=steps[-1][0] if steps else None):
                case = self.new_case()
                self.walk(steps, case=case)
                status, events = self.status(case), self.events(case)
                with self.assertRaisesMessage(
                    ValidationError, str(services.TRANSITION_NOT_AVAILABLE)
                ):
                    self.step(name, user, case=case)
                self.assertEqual(self.status(case), status)
                self.assertEqual(self.events(case), events)

    def test_a_penalty_order_is_not_executed_as_a_closure(self):
        self.walk([*PENALTY_ORDER_COMPLIED_WITH, ("review_new_report", "owner", "A61")])
        self.assert_refused(
            ValidationError,
            "execute_closure",
            self.toezicht,
            services.TRANSITION_NOT_AVAILABLE,
        )
        self.assertNotIn("execute_closure", self.names(self.toezicht))

    def test_a_closure_order_forfeits_no_penalty(self):
        self.walk([*CLOSURE_ORDER, ("start_reinspection", "toezicht", "A61")])
        self.assert_refused(ValidationError, "establish_breach", self.toezicht)
        self.assertEqual(
            self.names(self.toezicht),
            {"record_compliance", "execute_closure"},
        )

    def test_the_refusals_name_their_rule_in_dutch(self):
        """The three conditions that were plain booleans until the
        seventeenth session printed the first line of their English
        docstring on the case page ("§2.3 "R30/R40 outcome": a beslissing op
        bezwaar or a court ruling on the"); each now refuses with its rule
        and a Dutch message."""
        from django.utils import translation

        from casework.rules import RULE_ORDER, why_not

        def refused(case, name):
            with translation.override("nl"):
                return [
                    (r.rule, str(r))
                    for r in why_not(Case.objects.get(pk=case.pk), name)
                ]

        self.walk([*CLOSURE_ORDER, ("start_reinspection", "toezicht", "A61")])
        self.assertEqual(
            refused(self.case, "establish_breach"),
            [("Awb 5:33", "Het besluit in deze zaak is geen last onder dwangsom: "
              "er kan geen dwangsom worden verbeurd. (Awb 5:33)")],
        )  # fmt: skip
        self.assertEqual(
            refused(self.case, "revoke_after_objection"),
            [("Awb 7:11; 8:72", "Geen bezwaar of beroep tegen de last in deze "
              "zaak is gegrond verklaard. (Awb 7:11; 8:72)")],
        )  # fmt: skip
        other = self.new_case()
        self.step("start_assessment", self.owner, case=other)
        child = services.case_open(
            user=self.owner, case_type=CaseType.LOD, title="Kind", parent=other
        )
        self.assertEqual(
            refused(other, "close_without_action"),
            [(RULE_ORDER, f"De vervolgzaak {child.reference} van deze zaak loopt "
              "nog: deze zaak kan pas worden afgesloten als die zaak is "
              f"afgesloten. ({RULE_ORDER})")],
        )  # fmt: skip
        child.closed_at = timezone.now()
        child.save(update_fields=["closed_at"])
        self.assertEqual(refused(other, "close_without_action"), [])

    def test_toezicht_may_not_decide_a_besluit(self):
        self.walk(PREVENTIVE_ORDER[:3])
        for name in ("impose_penalty_order", "impose_closure_order"):
            with self.subTest(name=name):
                self.assert_refused(
                    PermissionDenied, name, self.toezicht, services.NOT_ALLOWED_TO_EDIT
                )

    def test_the_jurist_prepares_the_besluit_and_the_burgemeester_signs_it(self):
        self.walk(PREVENTIVE_ORDER[:3])
        self.assert_refused(PermissionDenied, "impose_penalty_order", self.owner)
        self.assertEqual(
            self.names(self.owner),
            {"refrain_after_views"},
        )
        self.assertEqual(
            self.names(self.burgemeester),
            {"impose_penalty_order", "impose_closure_order", "refrain_after_views"},
        )

    def test_the_burgemeester_signs_but_does_not_run_the_case(self):
        for name in ("start_assessment", "send_intention"):
            with self.subTest(name=name):
                self.assert_refused(PermissionDenied, name, self.burgemeester)
                self.step(name, self.owner)

    def test_collection_steps_belong_to_invordering(self):
        self.walk(
            [
                *FORFEITED,
                ("propose_collection", "owner", "A71"),
                ("decide_collection", "burgemeester", "A72"),
            ]
        )
        for user in (self.owner, self.burgemeester, self.toezicht):
            with self.subTest(user=user.username):
                self.assert_refused(PermissionDenied, "record_payment", user)
        self.step("record_payment", self.invordering)

    def test_the_politie_partner_may_run_no_step(self):
        # At every state of two long scenarios, every step possible there is
        # refused to the politie contributor, the outsider and the FG.
        for scenario in (
            FORFEITED_TWICE_AND_COLLECTED,
            CLOSURE_EXECUTED_AND_COSTS_RECOVERED,
        ):
            case = self.new_case(contributors=[self.politie_user])
            for step in scenario:
                proxy = proxy_for(Case.objects.get(pk=case.pk))
                for t in proxy.get_available_status_transitions():
                    for user in (self.politie_user, self.outsider, self.fg):
                        with self.subTest(status=proxy.status, name=t.name, user=user):
                            with self.assertRaises(PermissionDenied):
                                self.step(t.name, user, case=case)
                self.walk([step], case=case)

    def test_a_burgemeester_signs_only_as_a_team_member(self):
        mayor = UserFactory(role=Role.BURGEMEESTER, organisation=self.gemeente)
        case = proxy_for(self.new_case())
        sign = permission_of("impose_penalty_order")
        self.assertIs(sign(case, mayor), False)  # off the team
        for team_role, allowed in (
            (CaseAccess.TeamRole.CONTRIBUTOR, False),
            (CaseAccess.TeamRole.MEMBER, True),
        ):
            with self.subTest(team_role=team_role):
                services.case_team_add(
                    case=case, user=self.owner, member=mayor, team_role=team_role
                )
                self.assertIs(sign(case, mayor), allowed)

    def test_only_the_declared_roles_may_run_each_step(self):
        # The permission does not depend on the status: ask it for every
        # transition and every member of the cast.
        case = proxy_for(Case.objects.get(pk=self.case.pk))
        cast = {
            self.owner: J,
            self.colleague: J,
            self.burgemeester: BGM,
            self.toezicht: TH,
            self.invordering: INV,
            self.politie_user: None,  # contributor
            self.belastingdienst_user: None,  # not on the team
            self.outsider: None,  # a jurist off the team
            self.fg: None,
        }
        field = LodCase._meta.get_field("status")
        declared = {t.name: t for t in field.get_all_transitions(LodCase)}
        self.assertEqual(set(declared), set(ROLES))
        for name, t in declared.items():
            self.assertEqual(set(t.permission.roles), ROLES[name], msg=name)
            for user, role in cast.items():
                with self.subTest(name=name, user=user.username):
                    self.assertIs(t.has_perm(case, user), role in ROLES[name])


class LodTableTests(WorkflowTestCase):
    def transitions(self):
        return list(LodCase._meta.get_field("status").get_all_transitions(LodCase))

    def test_every_state_is_reachable_and_only_a99_ends_the_case(self):
        edges = {}
        for t in self.transitions():
            edges.setdefault(t.source, set()).add(t.target)
        seen, todo = {LodStatus.A00}, [LodStatus.A00]
        while todo:
            for target in edges.get(todo.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        self.assertEqual(seen, set(LodStatus.values))
        self.assertEqual(set(LodStatus.values) - set(edges), {"A99"})
        self.assertEqual(LodCase.TERMINAL, {"A99"})

    def test_every_transition_has_a_label_a_docstring_and_a_role(self):
        for t in self.transitions():
            with self.subTest(name=t.name):
                self.assertTrue(str(t.custom["label"]))
                self.assertTrue(t.method.__doc__)
                self.assertTrue(t.permission.roles)

    def test_every_step_into_a99_waits_for_child_cases(self):
        into_closed = [t for t in self.transitions() if t.target == "A99"]
        self.assertEqual(
            {t.name for t in into_closed},
            {
                "close",
                "close_without_action",
                "close_after_warning",
                "refrain_after_views",
            },
        )
        for t in into_closed:
            self.assertIn(no_open_child_case, t.conditions, msg=t.name)

    def test_a_child_case_blocks_closing_without_action(self):
        self.step("start_assessment", self.owner)
        child = services.case_open(
            user=self.owner, case_type=CaseType.LOD, title="Kind", parent=self.case
        )
        with self.assertRaises(ValidationError):
            self.step("close_without_action", self.owner, note="Geen grondslag.")
        self.assertIsNone(Case.objects.get(pk=self.case.pk).closed_at)
        self.walk(
            [
                ("start_assessment", "owner", "A10"),
                ("close_without_action", "owner", "A99"),
            ],
            case=child,
        )
        self.walk([("close_without_action", "owner", "A99")])
