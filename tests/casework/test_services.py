"""The case kernel's services: opening, transitions, signal triage, links,
parties and locations."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import SimpleTestCase
from django.utils import timezone

from casework import selectors, services
from casework.models import (
    Case,
    CaseEvent,
    CaseLink,
    CaseLocation,
    CaseParty,
    Location,
    Party,
    ReferenceCounter,
    Signal,
)
from casework.registry import proxy_for
from permissions.models import (
    CaseAccess,
    CaseUserObjectPermission,
    DataClass,
    Role,
)
from permissions.policy import CASE_OPENER_ROLES
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import (
    OWNER_ROLE,
    CaseFactory,
    LocationFactory,
    PartyFactory,
    SignalFactory,
    UserFactory,
)
from workflows.bibob.machine import BibobCase
from workflows.controle.machine import ControleCase
from workflows.controle.models import (
    briefing_save,
    slot_add,
    slot_confirm,
    visit_plan,
)
from workflows.legal_protection.services import (
    legal_protection_open,
    legal_protection_transition,
)
from workflows.lod.machine import LodCase
from workflows.pga.machine import PgaCase

L, B, C, P = CaseType.LOD, CaseType.BIBOB, CaseType.CONTROLE, CaseType.PGA


def uphold(case, user) -> None:
    """A step for the table: a beslissing op bezwaar that upheld the objection
    (the guard of LOD `revoke_after_objection`)."""
    protection = legal_protection_open(
        case=case, user=user, decision_title="Besluit", decided_on=date(2026, 3, 2)
    )
    for name, outcome in (("receive_objection", ""), ("decide_objection", "upheld")):
        protection = legal_protection_transition(
            protection=protection, name=name, user=user, outcome=outcome
        )


# Steps that reach each LOD state (workflows/lod/machine.py).
A10 = ["start_assessment"]
A20 = [*A10, "send_intention"]
A30 = [*A20, "views_term_expired"]
A40 = [*A30, "impose_penalty_order"]
A41 = [*A30, "impose_closure_order"]
A45 = [*A40, "notify_decision"]
A50 = [*A45, "start_grace_period"]
A60 = [*A45, "start_monitoring"]
A61 = [*A60, "review_new_report"]
A70 = [*A61, "establish_breach"]
A71 = [*A70, "propose_collection"]
A72 = [*A71, "decide_collection"]
A73 = [*A72, "send_reminder"]
A74 = [*A73, "issue_writ"]
A75 = [*A72, "record_payment"]
A76 = [*A71, "waive_collection"]
A80 = [*A70, "reach_maximum"]
A41_45 = [*A41, "notify_decision"]
A41_50 = [*A41_45, "start_grace_period"]
A41_61 = [*A41_50, "start_reinspection"]
A81 = [*A41, "execute_closure"]
A82 = [*A81, "start_closure_period"]
A83 = [*A82, "reopen"]
A84 = [*A83, "recover_costs"]
A90 = [*A60, "receive_lift_request"]
A95 = [*A90, "lift_order"]
J, BG, TZ, IV = Role.JURIST, Role.BURGEMEESTER, Role.TOEZICHT, Role.INVORDERING


# Every edge declared in workflows/{lod,bibob,controle,pga}.py, written out by
# hand: (case type, role that runs it, steps to reach the source, transition,
# from, to). A new edge without a row here fails
# `test_every_declared_transition_is_in_the_table`. Each step is run by a team
# member holding the first role the step allows.
def plan_visit(case, opener) -> None:
    """A dated visit with one confirmed partner slot (the C25 → C30 guard)."""
    visit = visit_plan(
        case=case,
        user=opener,
        planned_at=timezone.now() + timedelta(days=7),
        lead=opener,
    )
    slot = slot_add(
        visit=visit, user=opener, kind="politie", legal_basis="Politiewet 3"
    )
    slot_confirm(slot=slot, user=opener)


def brief(case, opener) -> None:
    """The need-to-know briefing (the C30 → C35 guard)."""
    briefing_save(case=case, user=opener, risk_flags="Hond", powers="Awb 5:15")


IC20 = ["start_triage", "select"]
IC25 = [*IC20, "check_entry"]
IC30 = [*IC25, plan_visit, "fix_plan", brief]
IC35 = [*IC30, "hold_briefing"]
IC40 = [*IC35, "start_visit"]
IC45 = [*IC40, "abort"]
IC50 = [*IC40, "finish_visit"]
IC60 = [*IC50, "decide_follow_up"]
IC70 = [*IC60, "give_feedback"]
IC75 = [*IC70, "schedule_reinspection"]

TRANSITIONS = [
    (L, J, [], "start_assessment", "A00", "A10"),
    (L, J, A10, "close_without_action", "A10", "A99"),
    (L, BG, A10, "send_warning", "A10", "A15"),
    (L, J, A10, "send_warning", "A10", "A15"),
    (L, J, [*A10, "send_warning"], "close_after_warning", "A15", "A99"),
    (L, J, A10, "send_intention", "A10", "A20"),
    (L, BG, A10, "impose_urgent_closure", "A10", "A41"),
    (L, J, A20, "receive_views", "A20", "A25"),
    (L, J, A20, "views_term_expired", "A20", "A30"),
    (L, J, [*A20, "receive_views"], "process_views", "A25", "A30"),
    (L, BG, A30, "impose_penalty_order", "A30", "A40"),
    (L, BG, A30, "impose_closure_order", "A30", "A41"),
    (L, J, A30, "refrain_after_views", "A30", "A99"),
    (L, BG, A30, "refrain_after_views", "A30", "A99"),
    (L, J, A40, "notify_decision", "A40", "A45"),
    (L, J, A41, "notify_decision", "A41", "A45"),
    (L, J, A45, "start_grace_period", "A45", "A50"),
    (L, J, A45, "start_monitoring", "A45", "A60"),
    (L, TZ, A50, "start_reinspection", "A50", "A61"),
    (L, TZ, A60, "review_new_report", "A60", "A61"),
    (L, J, A60, "review_new_report", "A60", "A61"),
    (L, TZ, A61, "record_compliance", "A61", "A60"),
    (L, J, A61, "record_compliance", "A61", "A60"),
    (L, TZ, A61, "establish_breach", "A61", "A70"),
    (L, J, A61, "establish_breach", "A61", "A70"),
    (L, J, A70, "continue_monitoring", "A70", "A60"),
    (L, J, A70, "reach_maximum", "A70", "A80"),
    (L, J, A70, "propose_collection", "A70", "A71"),
    (L, J, A80, "propose_collection", "A80", "A71"),
    (L, J, A71, "decide_collection", "A71", "A72"),
    (L, BG, A71, "decide_collection", "A71", "A72"),
    (L, BG, A71, "waive_collection", "A71", "A76"),
    (L, IV, A72, "send_reminder", "A72", "A73"),
    (L, IV, A84, "send_reminder", "A84", "A73"),
    (L, IV, A73, "issue_writ", "A73", "A74"),
    (L, IV, A72, "record_payment", "A72", "A75"),
    (L, IV, A73, "record_payment", "A73", "A75"),
    (L, IV, A74, "record_payment", "A74", "A75"),
    (L, IV, A84, "record_payment", "A84", "A75"),
    (L, TZ, A41, "execute_closure", "A41", "A81"),
    (L, TZ, A41_50, "execute_closure", "A50", "A81"),
    (L, TZ, A41_61, "execute_closure", "A61", "A81"),
    (L, TZ, A81, "start_closure_period", "A81", "A82"),
    (L, TZ, A82, "reopen", "A82", "A83"),
    (L, J, A82, "recover_costs", "A82", "A84"),
    (L, IV, A83, "recover_costs", "A83", "A84"),
    (L, J, A60, "receive_lift_request", "A60", "A90"),
    (L, BG, A90, "lift_order", "A90", "A95"),
    (L, BG, A90, "refuse_lifting", "A90", "A60"),
    (L, J, [*A40, uphold], "revoke_after_objection", "A40", "A95"),
    (L, J, [*A41, uphold], "revoke_after_objection", "A41", "A95"),
    (L, J, [*A45, uphold], "revoke_after_objection", "A45", "A95"),
    (L, J, [*A50, uphold], "revoke_after_objection", "A50", "A95"),
    (L, J, [*A60, uphold], "revoke_after_objection", "A60", "A95"),
    (L, J, [*A61, uphold], "revoke_after_objection", "A61", "A95"),
    (L, J, [*A70, uphold], "revoke_after_objection", "A70", "A95"),
    (L, J, [*A71, uphold], "revoke_after_objection", "A71", "A95"),
    (L, J, [*A72, uphold], "revoke_after_objection", "A72", "A95"),
    (L, J, [*A73, uphold], "revoke_after_objection", "A73", "A95"),
    (L, J, [*A74, uphold], "revoke_after_objection", "A74", "A95"),
    (L, J, [*A75, uphold], "revoke_after_objection", "A75", "A95"),
    (L, J, [*A76, uphold], "revoke_after_objection", "A76", "A95"),
    (L, J, [*A80, uphold], "revoke_after_objection", "A80", "A95"),
    (L, J, [*A81, uphold], "revoke_after_objection", "A81", "A95"),
    (L, J, [*A82, uphold], "revoke_after_objection", "A82", "A95"),
    (L, J, [*A83, uphold], "revoke_after_objection", "A83", "A95"),
    (L, J, [*A84, uphold], "revoke_after_objection", "A84", "A95"),
    (L, J, [*A90, uphold], "revoke_after_objection", "A90", "A95"),
    (L, J, A75, "close", "A75", "A99"),
    (L, J, A76, "close", "A76", "A99"),
    (L, J, A83, "close", "A83", "A99"),
    (L, J, A95, "close", "A95", "A99"),
    (B, Role.BIBOB, [], "start_regular_assessment", "B00", "B05"),
    (B, Role.BIBOB, ["start_regular_assessment"], "start_screening", "B05", "B10"),
    (B, Role.BIBOB, [], "withdraw", "B00", "B80"),
    (B, Role.BIBOB, ["start_regular_assessment"], "withdraw", "B05", "B80"),
    (B, Role.BIBOB, ["start_regular_assessment", "start_screening"], "withdraw",
     "B10", "B80"),
    (C, Role.COORDINATOR, [], "start_triage", "C00", "C10"),
    (C, Role.JURIST, [], "start_triage", "C00", "C10"),
    (C, Role.COORDINATOR, ["start_triage"], "dismiss", "C10", "C15"),
    (C, Role.JURIST, ["start_triage"], "dismiss", "C10", "C15"),
    (C, Role.COORDINATOR, ["start_triage"], "select", "C10", "C20"),
    (C, Role.JURIST, ["start_triage"], "select", "C10", "C20"),
    (C, Role.COORDINATOR, IC20, "check_entry", "C20", "C25"),
    (C, Role.JURIST, IC20, "check_entry", "C20", "C25"),
    (C, Role.COORDINATOR, [*IC25, plan_visit], "fix_plan", "C25", "C30"),
    (C, Role.JURIST, [*IC25, plan_visit], "fix_plan", "C25", "C30"),
    (C, Role.COORDINATOR, IC75, "fix_plan", "C75", "C30"),
    (C, Role.JURIST, IC75, "fix_plan", "C75", "C30"),
    (C, Role.COORDINATOR, IC30, "hold_briefing", "C30", "C35"),
    (C, Role.TOEZICHT, IC30, "hold_briefing", "C30", "C35"),
    (C, Role.COORDINATOR, IC35, "start_visit", "C35", "C40"),
    (C, Role.TOEZICHT, IC35, "start_visit", "C35", "C40"),
    (C, Role.COORDINATOR, IC40, "abort", "C40", "C45"),
    (C, Role.TOEZICHT, IC40, "abort", "C40", "C45"),
    (C, Role.COORDINATOR, IC40, "finish_visit", "C40", "C50"),
    (C, Role.TOEZICHT, IC40, "finish_visit", "C40", "C50"),
    (C, Role.COORDINATOR, IC45, "replan", "C45", "C75"),
    (C, Role.JURIST, IC45, "replan", "C45", "C75"),
    (C, Role.COORDINATOR, IC45, "close", "C45", "C99"),
    (C, Role.JURIST, IC45, "close", "C45", "C99"),
    (C, Role.COORDINATOR, IC50, "decide_follow_up", "C50", "C60"),
    (C, Role.JURIST, IC50, "decide_follow_up", "C50", "C60"),
    (C, Role.COORDINATOR, IC60, "give_feedback", "C60", "C70"),
    (C, Role.JURIST, IC60, "give_feedback", "C60", "C70"),
    (C, Role.COORDINATOR, IC70, "schedule_reinspection", "C70", "C75"),
    (C, Role.JURIST, IC70, "schedule_reinspection", "C70", "C75"),
    (C, Role.COORDINATOR, IC70, "close", "C70", "C99"),
    (C, Role.JURIST, IC70, "close", "C70", "C99"),
    (P, Role.CASUSREGISSEUR, [], "start_screening", "D00", "D10"),
    (P, Role.CASUSREGISSEUR, ["start_screening"], "to_triage", "D10", "D20"),
    (P, Role.CASUSREGISSEUR, ["start_screening", "to_triage"], "reject", "D20", "D25"),
    (P, Role.CASUSREGISSEUR, ["start_screening", "to_triage"], "accept", "D20", "D30"),
]  # fmt: skip

# Statuses that close the case: a note is required and closed_at is set.
CLOSING = {"A99", "B80", "C15", "C99", "D25"}

# (case type, steps to reach a state, transition not possible from there)
WRONG_STATE = [
    (L, [], "close_without_action"),
    (L, ["start_assessment"], "start_assessment"),
    (L, ["start_assessment", "close_without_action"], "close_without_action"),
    (L, A30, "notify_decision"),
    (L, A45, "establish_breach"),
    # The guards: a penalty order is not executed as a closure, a closure
    # order forfeits nothing, and no revocation without an upheld objection.
    (L, [*A45, "start_grace_period"], "execute_closure"),
    (L, [*A41_45, "start_monitoring", "review_new_report"], "establish_breach"),
    (L, A60, "revoke_after_objection"),
    (B, [], "start_screening"),
    (B, ["withdraw"], "withdraw"),
    (B, ["withdraw"], "start_regular_assessment"),
    (C, [], "select"),
    (C, [], "dismiss"),
    (C, ["start_triage", "select"], "dismiss"),
    (P, [], "to_triage"),
    (P, ["start_screening"], "accept"),
    (P, ["start_screening", "to_triage", "accept"], "reject"),
]


class CaseOpenTests(BaseTestCase):
    def test_roles_that_open_cases_may_open_one(self):
        for role, case_type in (
            (Role.JURIST, L),
            (Role.BIBOB, B),
            (Role.COORDINATOR, C),
            (Role.CASUSREGISSEUR, P),
        ):
            with self.subTest(role=role):
                user = UserFactory(role=role, organisation=self.gemeente)
                case = services.case_open(user=user, case_type=case_type, title="Zaak")
                self.assertEqual(case.created_by, user)

    def test_a_partner_fg_or_other_role_may_not_open_a_case(self):
        refused = [self.politie_user, self.fg, self.burgemeester]
        refused += [
            UserFactory(role=role, organisation=self.gemeente)
            for role in (Role.TOEZICHT, Role.INVORDERING, Role.BEHEERDER)
        ]
        before = Case.objects.count()
        for user in refused:
            with self.subTest(user=user.username):
                with self.assertRaisesMessage(
                    PermissionDenied, str(services.NOT_ALLOWED_TO_OPEN)
                ):
                    services.case_open(user=user, case_type=L, title="Zaak")
        self.assertEqual(Case.objects.count(), before)

    def test_it_writes_owner_row_grants_and_created_event_together(self):
        case = services.case_open(user=self.owner, case_type=L, title="Zaak")
        access = CaseAccess.objects.get(case=case)
        self.assertEqual(access.user, self.owner)
        self.assertEqual(access.team_role, CaseAccess.TeamRole.OWNER)
        self.assertEqual(access.organisation, self.gemeente)
        self.assertEqual(access.sort_key, case.opened_at)
        self.assertEqual(access.case_type, L)
        self.assertEqual(access.data_class, DataClass.D0)
        grants = set(
            CaseUserObjectPermission.objects.filter(
                content_object=case, user=self.owner
            ).values_list("permission__codename", flat=True)
        )
        self.assertEqual(grants, {"view_case", "change_case"})
        event = CaseEvent.objects.get(case=case)
        self.assertEqual(event.kind, CaseEvent.Kind.CREATED)
        self.assertEqual(event.actor, self.owner)
        self.assertEqual(event.to_status, "A00")
        self.assertEqual(case.status, "A00")
        self.assertEqual(case.responsible_organisation, self.gemeente)

    def test_a_refused_owner_leaves_nothing_behind(self):
        # A jurist may open cases but may not write D5: the opening is refused
        # before anything is written; no case, number, grant or event remains.
        year = timezone.localdate().year
        cases, events = Case.objects.count(), CaseEvent.objects.count()
        with self.assertRaisesMessage(PermissionDenied, "D5"):
            services.case_open(user=self.owner, case_type=B, title="Horeca")
        self.assertEqual(Case.objects.count(), cases)
        self.assertEqual(CaseEvent.objects.count(), events)
        self.assertFalse(CaseAccess.objects.filter(case_type=B).exists())
        self.assertFalse(
            ReferenceCounter.objects.filter(series=B, year=year, last__gt=0).exists()
        )

    def test_each_case_type_gets_its_default_data_class(self):
        bibob = CaseFactory(bibob=True)
        pga = CaseFactory(pga=True)
        controle = CaseFactory(controle=True)
        self.assertEqual(bibob.data_class, DataClass.D5)
        self.assertEqual(pga.data_class, DataClass.D10)
        self.assertEqual(controle.data_class, DataClass.D0)
        self.assertEqual(self.case.data_class, DataClass.D0)

    def test_a_child_case_notes_itself_on_the_parent(self):
        child = services.case_open(
            user=self.owner, case_type=L, title="Vervolg", parent=self.case
        )
        self.assertEqual(child.parent, self.case)
        note = CaseEvent.objects.get(case=self.case, kind=CaseEvent.Kind.LINK).note
        self.assertIn(child.reference, note)


class CaseTransitionTests(BaseTestCase):
    def open_case(self, case_type, role, steps):
        """A case moved along `steps`, and a user of `role` on its team.

        A role that may open cases opens it; other roles (burgemeester,
        toezicht, invordering) join the team of a case opened by the case
        type's owner role. Each step is run by a member of the first role it
        allows; a callable step is called with the case and the opener.
        """
        opener_role = role if role in CASE_OPENER_ROLES else OWNER_ROLE[case_type]
        opener = UserFactory(role=opener_role, organisation=self.gemeente)
        case = services.case_open(user=opener, case_type=case_type, title="Zaak")
        members = {opener_role: opener}

        def member(member_role):
            if member_role not in members:
                members[member_role] = UserFactory(
                    role=member_role, organisation=self.gemeente
                )
                services.case_team_add(
                    case=case,
                    user=opener,
                    member=members[member_role],
                    team_role=CaseAccess.TeamRole.MEMBER,
                )
            return members[member_role]

        for step in steps:
            if callable(step):
                step(case, opener)
                continue
            proxy = proxy_for(Case.objects.get(pk=case.pk))
            allowed = getattr(proxy, step)._django_fsm.get_transition(proxy.status)
            services.case_transition(
                case=case,
                name=step,
                user=member(allowed.permission.roles[0]),
                note="Reden.",
            )
        return Case.objects.get(pk=case.pk), member(role)

    def test_every_declared_transition_is_in_the_table(self):
        declared = set()
        for case_type, proxy in ((L, LodCase), (B, BibobCase), (C, ControleCase),
                                 (P, PgaCase)):  # fmt: skip
            field = proxy._meta.get_field("status")
            for t in field.get_all_transitions(proxy):
                declared.add((case_type, t.name, t.source, t.target))
        tested = {(row[0], row[3], row[4], row[5]) for row in TRANSITIONS}
        # The Bibob and PGA machines have their own complete tables with their
        # guards (tests/workflows/test_bibob_states.py, test_pga_states.py); here
        # only their intake edges.
        own = {row for row in declared if row[0] in (B, P)}
        self.assertEqual(
            declared - own, {row for row in tested if row[0] not in (B, P)}
        )
        self.assertLessEqual({row for row in tested if row[0] in (B, P)}, own)

    def test_every_transition_succeeds_from_its_source_and_writes_a_status_event(self):
        for case_type, role, steps, name, source, target in TRANSITIONS:
            with self.subTest(case_type=case_type, role=role, name=name, source=source):
                case, owner = self.open_case(case_type, role, steps)
                self.assertEqual(case.status, source)
                result = services.case_transition(
                    case=case, name=name, user=owner, note="Met redenen omkleed."
                )
                self.assertEqual(result.status, target)
                stored = Case.objects.get(pk=case.pk)
                self.assertEqual(stored.status, target)
                event = CaseEvent.objects.filter(case=case).latest("id")
                self.assertEqual(event.kind, CaseEvent.Kind.STATUS)
                self.assertEqual((event.from_status, event.to_status), (source, target))
                self.assertEqual(event.actor, owner)
                self.assertEqual(event.note, "Met redenen omkleed.")
                self.assertIs(stored.closed_at is not None, target in CLOSING)

    def test_a_transition_from_a_wrong_state_is_refused_and_writes_nothing(self):
        for case_type, steps, name in WRONG_STATE:
            role = {L: Role.JURIST, B: Role.BIBOB, C: Role.COORDINATOR,
                    P: Role.CASUSREGISSEUR}[case_type]  # fmt: skip
            with self.subTest(case_type=case_type, steps=steps, name=name):
                case, owner = self.open_case(case_type, role, steps)
                events = CaseEvent.objects.filter(case=case).count()
                with self.assertRaisesMessage(
                    ValidationError, str(services.TRANSITION_NOT_AVAILABLE)
                ):
                    services.case_transition(
                        case=case, name=name, user=owner, note="Reden."
                    )
                self.assertEqual(Case.objects.get(pk=case.pk).status, case.status)
                self.assertEqual(CaseEvent.objects.filter(case=case).count(), events)

    def test_a_name_that_is_not_a_transition_is_refused(self):
        for name in ("save", "delete", "no_such_step", "__class__"):
            with self.subTest(name=name):
                with self.assertRaises(ValidationError):
                    services.case_transition(case=self.case, name=name, user=self.owner)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "A00")

    def test_a_role_without_the_permission_is_refused_and_writes_nothing(self):
        toezicht = UserFactory(role=Role.TOEZICHT, organisation=self.gemeente)
        services.case_team_add(
            case=self.case,
            user=self.owner,
            member=toezicht,
            team_role=CaseAccess.TeamRole.MEMBER,
        )
        events = CaseEvent.objects.filter(case=self.case).count()
        # toezicht may write D0 but is not a jurist; the burgemeester and the
        # politie contributor may only read; the outsider is a jurist off the team.
        for user in (toezicht, self.burgemeester, self.politie_user, self.outsider):
            with self.subTest(user=user.username):
                with self.assertRaisesMessage(
                    PermissionDenied, str(services.NOT_ALLOWED_TO_EDIT)
                ):
                    services.case_transition(
                        case=self.case, name="start_assessment", user=user
                    )
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "A00")
        self.assertEqual(CaseEvent.objects.filter(case=self.case).count(), events)

    def test_a_team_member_of_the_wrong_role_cannot_run_bibob_steps(self):
        case, _owner = self.open_case(B, Role.BIBOB, [])
        services.case_team_add(
            case=case,
            user=_owner,
            member=self.burgemeester,
            team_role=CaseAccess.TeamRole.MEMBER,
        )
        with self.assertRaises(PermissionDenied):
            services.case_transition(
                case=case, name="start_regular_assessment", user=self.burgemeester
            )
        self.assertEqual(Case.objects.get(pk=case.pk).status, "B00")

    def test_closing_requires_a_note(self):
        services.case_transition(
            case=self.case, name="start_assessment", user=self.owner
        )
        for note in ("", "   \n"):
            with self.subTest(note=note):
                with self.assertRaisesMessage(
                    ValidationError, str(services.CLOSE_REASON_REQUIRED)
                ):
                    services.case_transition(
                        case=self.case,
                        name="close_without_action",
                        user=self.owner,
                        note=note,
                    )
                stored = Case.objects.get(pk=self.case.pk)
                self.assertEqual(stored.status, "A10")
                self.assertIsNone(stored.closed_at)
                self.assertFalse(
                    CaseEvent.objects.filter(case=self.case, to_status="A99").exists()
                )

    def test_closing_with_a_note_sets_closed_at(self):
        services.case_transition(
            case=self.case, name="start_assessment", user=self.owner
        )
        before = timezone.now()
        case = services.case_transition(
            case=self.case,
            name="close_without_action",
            user=self.owner,
            note="Geen grondslag.",
        )
        self.assertGreaterEqual(case.closed_at, before)
        self.assertEqual(Case.objects.get(pk=case.pk).closed_at, case.closed_at)
        self.assertIs(Case.objects.get(pk=case.pk).is_open, False)

    def test_factory_traits_reach_their_states(self):
        self.assertEqual(CaseFactory(assessing=True).status, "A10")
        closed = CaseFactory(closed=True)
        self.assertEqual(closed.status, "A99")
        self.assertIsNotNone(closed.closed_at)


class SignalTriageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.person = PartyFactory(with_bsn=True)
        cls.address = LocationFactory(postcode="5911 AB", house_number=12)
        cls.signal = SignalFactory(
            police_report=True,
            registered_by=cls.politie_user,
            shared_with=[cls.gemeente],
            parties=[cls.person],
            locations=[cls.address],
        )

    def refresh(self):
        return Signal.objects.get(pk=self.signal.pk)

    def test_a_new_signal_goes_into_triage(self):
        self.assertEqual(self.signal.status, Signal.Status.NEW)
        services.signal_start_triage(signal=self.signal, user=self.owner)
        self.assertEqual(self.refresh().status, Signal.Status.TRIAGE)

    def test_triage_cannot_start_twice(self):
        services.signal_start_triage(signal=self.signal, user=self.owner)
        with self.assertRaises(ValidationError):
            services.signal_start_triage(signal=self.signal, user=self.owner)

    def test_converting_opens_a_case_with_the_signals_parties_and_locations(self):
        services.signal_start_triage(signal=self.signal, user=self.owner)
        case = services.signal_convert(
            signal=self.signal, user=self.owner, case_type=L, title="Drugshandel"
        )
        signal = self.refresh()
        self.assertEqual(signal.status, Signal.Status.CONVERTED)
        self.assertEqual(list(signal.cases.all()), [case])
        self.assertEqual(case.created_by, self.owner)
        self.assertTrue(
            CaseParty.objects.filter(
                case=case, party=self.person, role=CaseParty.Role.BETROKKENE
            ).exists()
        )
        self.assertTrue(
            CaseLocation.objects.filter(
                case=case, location=self.address, role=CaseLocation.Role.PREMISES
            ).exists()
        )
        kinds = list(
            CaseEvent.objects.filter(case=case)
            .order_by("id")
            .values_list("kind", "note")
        )
        self.assertEqual(kinds[0][0], CaseEvent.Kind.CREATED)
        self.assertIn(self.signal.reference, kinds[0][1])
        self.assertIn((CaseEvent.Kind.SIGNAL, self.signal.reference), kinds)

    def test_a_new_signal_may_be_converted_without_triage(self):
        services.signal_convert(
            signal=self.signal, user=self.owner, case_type=L, title="Drugshandel"
        )
        self.assertEqual(self.refresh().status, Signal.Status.CONVERTED)

    def test_a_converted_signal_can_give_a_second_case(self):
        first = services.signal_convert(
            signal=self.signal, user=self.owner, case_type=L, title="Sluiting"
        )
        second = services.signal_convert(
            signal=self.signal, user=self.owner, case_type=C, title="Controle"
        )
        signal = self.refresh()
        self.assertEqual(signal.status, Signal.Status.CONVERTED)
        self.assertEqual(set(signal.cases.all()), {first, second})
        self.assertNotEqual(first.reference, second.reference)

    def test_convert_adds_the_given_team(self):
        case = services.signal_convert(
            signal=self.signal,
            user=self.owner,
            case_type=L,
            title="Drugshandel",
            team=[self.colleague],
        )
        self.assertTrue(
            CaseAccess.objects.filter(
                case=case, user=self.colleague, team_role=CaseAccess.TeamRole.MEMBER
            ).exists()
        )

    def test_filing_requires_a_reason(self):
        for reason in ("", "  "):
            with self.subTest(reason=reason):
                with self.assertRaisesMessage(
                    ValidationError, str(services.FILE_REASON_REQUIRED)
                ):
                    services.signal_file(
                        signal=self.signal, user=self.owner, reason=reason
                    )
                self.assertEqual(self.refresh().status, Signal.Status.NEW)

    def test_filing_stores_the_reason(self):
        services.signal_start_triage(signal=self.signal, user=self.owner)
        services.signal_file(
            signal=self.signal, user=self.owner, reason="  Onvoldoende feiten.  "
        )
        signal = self.refresh()
        self.assertEqual(signal.status, Signal.Status.FILED)
        self.assertEqual(signal.filed_reason, "Onvoldoende feiten.")

    def test_a_filed_signal_cannot_be_converted(self):
        services.signal_file(signal=self.signal, user=self.owner, reason="Geen actie.")
        cases = Case.objects.count()
        with self.assertRaisesMessage(ValidationError, str(services.SIGNAL_NOT_OPEN)):
            services.signal_convert(
                signal=self.signal, user=self.owner, case_type=L, title="Toch"
            )
        self.assertEqual(Case.objects.count(), cases)
        self.assertEqual(self.refresh().status, Signal.Status.FILED)
        self.assertFalse(self.refresh().cases.exists())

    def test_a_filed_signal_cannot_go_back_into_triage_or_be_filed_again(self):
        services.signal_file(signal=self.signal, user=self.owner, reason="Geen actie.")
        with self.assertRaises(ValidationError):
            services.signal_start_triage(signal=self.signal, user=self.owner)
        with self.assertRaises(ValidationError):
            services.signal_file(signal=self.signal, user=self.owner, reason="Nogmaals")

    def test_a_converted_signal_cannot_be_filed(self):
        services.signal_convert(
            signal=self.signal, user=self.owner, case_type=L, title="Drugshandel"
        )
        with self.assertRaises(ValidationError):
            services.signal_file(
                signal=self.signal, user=self.owner, reason="Toch niet"
            )
        self.assertEqual(self.refresh().status, Signal.Status.CONVERTED)

    def test_roles_without_triage_may_not_triage(self):
        toezicht = UserFactory(role=Role.TOEZICHT, organisation=self.gemeente)
        for user in (self.burgemeester, self.politie_user, self.fg, toezicht):
            with self.subTest(user=user.username):
                with self.assertRaisesMessage(
                    PermissionDenied, str(services.NOT_ALLOWED_TO_TRIAGE)
                ):
                    services.signal_start_triage(signal=self.signal, user=user)
                with self.assertRaises(PermissionDenied):
                    services.signal_file(signal=self.signal, user=user, reason="x")
        self.assertEqual(self.refresh().status, Signal.Status.NEW)

    def test_a_jurist_may_not_triage_a_signal_not_shared_with_the_gemeente(self):
        private = SignalFactory(
            police_report=True, registered_by=self.politie_user, shared_with=[]
        )
        with self.assertRaises(PermissionDenied):
            services.signal_convert(
                signal=private, user=self.owner, case_type=L, title="Drugshandel"
            )
        self.assertEqual(Signal.objects.get(pk=private.pk).status, Signal.Status.NEW)


class SignalRegisterTests(BaseTestCase):
    def register(self, user, data_class, **kwargs):
        return services.signal_register(
            user=user,
            source=Signal.Source.TOEZICHT,
            received_on=date(2026, 3, 2),
            summary="Constatering BOA.",
            data_class=data_class,
            **kwargs,
        )

    def test_toezicht_may_not_register_police_data(self):
        toezicht = UserFactory(role=Role.TOEZICHT, organisation=self.gemeente)
        with self.assertRaisesMessage(
            PermissionDenied, str(services.NOT_ALLOWED_TO_REGISTER)
        ):
            self.register(toezicht, DataClass.D3)
        self.assertFalse(Signal.objects.exists())
        self.assertFalse(ReferenceCounter.objects.filter(series="SIG").exists())

    def test_toezicht_registers_its_own_findings_as_d0(self):
        toezicht = UserFactory(role=Role.TOEZICHT, organisation=self.gemeente)
        signal = self.register(toezicht, DataClass.D0)
        self.assertEqual(signal.source_organisation, self.gemeente)
        self.assertEqual(signal.registered_by, toezicht)
        self.assertEqual(signal.status, Signal.Status.NEW)

    def test_a_partner_registers_own_police_data(self):
        signal = self.register(
            self.politie_user, DataClass.D3, shared_with=[self.gemeente]
        )
        self.assertEqual(signal.source_organisation, self.politie)
        self.assertEqual(list(signal.shared_with.all()), [self.gemeente])

    def test_roles_without_write_on_the_class_are_refused(self):
        for user, data_class in (
            (self.fg, DataClass.D0),
            (self.burgemeester, DataClass.D0),
            (self.owner, DataClass.D5),
            (self.politie_user, DataClass.D5),
        ):
            with self.subTest(user=user.username, data_class=data_class):
                with self.assertRaises(PermissionDenied):
                    self.register(user, data_class)
        self.assertFalse(Signal.objects.exists())

    def test_a_user_without_membership_is_refused(self):
        nobody = UserFactory(membership=None)
        with self.assertRaises(PermissionDenied):
            self.register(nobody, DataClass.D0)

    def test_an_invalid_bsn_saves_nothing(self):
        with self.assertRaises(ValidationError):
            self.register(
                self.owner,
                DataClass.D0,
                parties=[Party(kind=Party.Kind.PERSON, name="X", bsn="111222334")],
            )
        self.assertFalse(Signal.objects.exists())
        self.assertFalse(Party.objects.exists())

    def test_a_known_address_is_reused(self):
        known = LocationFactory(postcode="5911 AB", house_number=12, addition="A")
        signal = self.register(
            self.owner,
            DataClass.D0,
            locations=[
                Location(
                    postcode="5911 AB", house_number=12, addition="A", city="Venlo"
                )
            ],
        )
        self.assertEqual(list(signal.locations.all()), [known])
        self.assertEqual(Location.objects.count(), 1)


class CaseLinkTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = services.case_open(user=cls.owner, case_type=L, title="Tweede")

    def test_a_link_shows_on_both_cases_with_an_event_on_each(self):
        services.case_link(case=self.case, other=self.other, user=self.owner, note="x")
        self.assertEqual(CaseLink.objects.count(), 1)
        self.assertEqual(selectors.linked_cases(self.owner, self.case), [self.other])
        self.assertEqual(selectors.linked_cases(self.owner, self.other), [self.case])
        self.assertEqual(
            CaseEvent.objects.get(case=self.case, kind=CaseEvent.Kind.LINK).note,
            self.other.reference,
        )
        self.assertEqual(
            CaseEvent.objects.get(case=self.other, kind=CaseEvent.Kind.LINK).note,
            self.case.reference,
        )

    def test_linking_the_other_way_round_adds_nothing(self):
        services.case_link(case=self.case, other=self.other, user=self.owner)
        services.case_link(case=self.other, other=self.case, user=self.owner)
        self.assertEqual(CaseLink.objects.count(), 1)
        self.assertEqual(CaseEvent.objects.filter(kind=CaseEvent.Kind.LINK).count(), 2)

    def test_a_case_cannot_be_linked_to_itself(self):
        with self.assertRaisesMessage(ValidationError, str(services.LINK_SELF)):
            services.case_link(case=self.case, other=self.case, user=self.owner)
        self.assertFalse(CaseLink.objects.exists())

    def test_linking_needs_write_access_on_both_cases(self):
        foreign = services.case_open(user=self.outsider, case_type=L, title="Ander")
        with self.assertRaises(PermissionDenied):
            services.case_link(case=self.case, other=foreign, user=self.owner)
        with self.assertRaises(PermissionDenied):
            services.case_link(case=self.case, other=self.other, user=self.burgemeester)
        self.assertFalse(CaseLink.objects.exists())


class CasePartyLocationTests(BaseTestCase):
    def test_adding_a_party_writes_the_link_and_an_event(self):
        party = Party(kind=Party.Kind.PERSON, name="Jan Verheggen", bsn="111222333")
        link = services.case_add_party(
            case=self.case, user=self.owner, party=party, role=CaseParty.Role.OVERTREDER
        )
        self.assertIsNotNone(party.pk)
        self.assertEqual(link.case, self.case)
        event = CaseEvent.objects.get(case=self.case, kind=CaseEvent.Kind.PARTY)
        self.assertIn("Jan Verheggen", event.note)

    def test_the_same_party_in_the_same_role_is_added_once(self):
        party = PartyFactory()
        for _ in range(2):
            services.case_add_party(
                case=self.case, user=self.owner, party=party, role=CaseParty.Role.DERDE
            )
        self.assertEqual(CaseParty.objects.filter(case=self.case).count(), 1)
        self.assertEqual(
            CaseEvent.objects.filter(case=self.case, kind=CaseEvent.Kind.PARTY).count(),
            1,
        )

    def test_a_party_with_an_invalid_bsn_is_refused(self):
        party = Party(kind=Party.Kind.PERSON, name="X", bsn="123456781")
        with self.assertRaises(ValidationError):
            services.case_add_party(
                case=self.case, user=self.owner, party=party, role=CaseParty.Role.DERDE
            )
        self.assertFalse(Party.objects.exists())

    def test_read_only_and_outside_users_may_not_add_parties(self):
        for user in (self.burgemeester, self.politie_user, self.outsider):
            with self.subTest(user=user.username):
                with self.assertRaisesMessage(
                    PermissionDenied, str(services.NOT_ALLOWED_TO_EDIT)
                ):
                    services.case_add_party(
                        case=self.case,
                        user=user,
                        party=Party(kind=Party.Kind.PERSON, name="X"),
                        role=CaseParty.Role.DERDE,
                    )
        self.assertFalse(Party.objects.exists())

    def test_a_location_is_reused_for_the_same_postcode_number_and_addition(self):
        other = services.case_open(user=self.owner, case_type=L, title="Tweede")

        def add(case, addition, role=CaseLocation.Role.PREMISES):
            return services.case_add_location(
                case=case,
                user=self.owner,
                location=Location(
                    street="Kloosterstraat",
                    postcode="5911 AB",
                    house_number=12,
                    addition=addition,
                    city="Venlo",
                ),
                role=role,
            )

        first = add(self.case, "A")
        second = add(other, "A", CaseLocation.Role.RESIDENCE)
        third = add(other, "")
        self.assertEqual(first.location, second.location)
        self.assertNotEqual(first.location, third.location)
        self.assertEqual(Location.objects.count(), 2)
        self.assertEqual(
            CaseEvent.objects.filter(kind=CaseEvent.Kind.LOCATION).count(), 3
        )

    def test_a_location_with_an_invalid_postcode_is_refused(self):
        with self.assertRaises(ValidationError):
            services.case_add_location(
                case=self.case,
                user=self.owner,
                location=Location(postcode="0123 AB", house_number=1, city="Venlo"),
                role=CaseLocation.Role.PREMISES,
            )
        self.assertFalse(Location.objects.exists())


class FactoryBuildTests(SimpleTestCase):
    """`.build()` needs no database (SimpleTestCase refuses every query)."""

    def test_cases_and_signals_build_without_the_database(self):
        case = CaseFactory.build(pga=True)
        self.assertIsNone(case.pk)
        self.assertEqual(case.case_type, P)
        self.assertEqual(case.created_by.membership.role, Role.CASUSREGISSEUR)
        signal = SignalFactory.build(police_report=True)
        self.assertEqual(signal.data_class, DataClass.D3)
        self.assertEqual(signal.registered_by.membership.role, Role.PARTNER)
        self.assertEqual(PartyFactory.build(company=True).kind, Party.Kind.COMPANY)
