"""The cast of tests/base.py with the roles an LOD case needs on its team.

`BaseTestCase.case` (LOD, D0) gets an inspector and a collection officer as
members, next to the owner (jurist), the colleague, the burgemeester and the
politie contributor. Scenarios run through the services, so every step meets
the real permission check.
"""

from casework import services
from casework.models import Case, CaseEvent
from permissions.models import CaseAccess, Role
from tests.base import BaseTestCase
from tests.case_types import CaseType

NOTE = "Met redenen omkleed."


class WorkflowTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.toezicht = cls.make_user("toezicht", Role.TOEZICHT, cls.gemeente)
        cls.invordering = cls.make_user("invordering", Role.INVORDERING, cls.gemeente)
        for member in (cls.toezicht, cls.invordering):
            services.case_team_add(
                case=cls.case,
                user=cls.owner,
                member=member,
                team_role=CaseAccess.TeamRole.MEMBER,
            )

    def new_case(self, *, contributors=()) -> Case:
        """Another LOD case opened by the owner, with the same team."""
        case = services.case_open(user=self.owner, case_type=CaseType.LOD, title="Zaak")
        members = (self.colleague, self.burgemeester, self.toezicht, self.invordering)
        for member in members:
            services.case_team_add(
                case=case,
                user=self.owner,
                member=member,
                team_role=CaseAccess.TeamRole.MEMBER,
            )
        for member in contributors:
            services.case_team_add(
                case=case,
                user=self.owner,
                member=member,
                team_role=CaseAccess.TeamRole.CONTRIBUTOR,
            )
        return case

    def step(self, name, user, *, case=None, note=NOTE) -> Case:
        return services.case_transition(
            case=case or self.case, name=name, user=user, note=note
        )

    def walk(self, scenario, *, case=None) -> Case:
        """Run (transition, user attribute, expected status) steps in order;
        each must succeed and write its own status event."""
        case = case or self.case
        for name, who, expected in scenario:
            user = getattr(self, who)
            before = self.status(case)
            self.step(name, user, case=case)
            self.assertEqual(self.status(case), expected, msg=name)
            event = CaseEvent.objects.filter(case=case).latest("id")
            self.assertEqual(
                (event.kind, event.actor, event.from_status, event.to_status),
                (CaseEvent.Kind.STATUS, user, before, expected),
                msg=name,
            )
        return Case.objects.get(pk=case.pk)

    def fresh(self, case=None) -> Case:
        return Case.objects.get(pk=(case or self.case).pk)

    def status(self, case=None) -> str:
        return Case.objects.get(pk=(case or self.case).pk).status

    def events(self, case=None) -> int:
        return CaseEvent.objects.filter(case=case or self.case).count()
