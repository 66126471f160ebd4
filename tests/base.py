"""The fixed cast every access test walks (docs/style.md "Tests").

One LOD case (D0) opened by `owner` through `services.case_open`, with a team
of owner, colleague, burgemeester and a politie contributor. Around it: users
who must not see it (an outsider of the same gemeente, a Belastingdienst
liaison) and the FG, who sees logs and no case content.
"""

from django.test import TestCase

from casework import services
from permissions.models import CaseAccess, Organisation, Role
from tests.case_types import CaseType

from .factories import OrganisationFactory, UserFactory


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        cls.om = OrganisationFactory(
            name="Openbaar Ministerie Limburg", kind=Organisation.Kind.OM
        )
        cls.belastingdienst = OrganisationFactory(
            name="Belastingdienst Zuid", kind=Organisation.Kind.BELASTINGDIENST
        )

        cls.owner = cls.make_user("owner", Role.JURIST, cls.gemeente)
        cls.colleague = cls.make_user("colleague", Role.JURIST, cls.gemeente)
        cls.burgemeester = cls.make_user(
            "burgemeester", Role.BURGEMEESTER, cls.gemeente
        )
        cls.politie_user = cls.make_user("politie", Role.PARTNER, cls.politie)
        cls.belastingdienst_user = cls.make_user(
            "belastingdienst", Role.PARTNER, cls.belastingdienst
        )
        cls.outsider = cls.make_user("outsider", Role.JURIST, cls.gemeente)
        cls.fg = cls.make_user("fg", Role.FG, cls.gemeente)

        cls.case = services.case_open(
            user=cls.owner,
            case_type=CaseType.LOD,
            title="Drugshandel Kloosterstraat 12",
        )
        for member, team_role in (
            (cls.colleague, CaseAccess.TeamRole.MEMBER),
            (cls.burgemeester, CaseAccess.TeamRole.MEMBER),
            (cls.politie_user, CaseAccess.TeamRole.CONTRIBUTOR),
        ):
            services.case_team_add(
                case=cls.case, user=cls.owner, member=member, team_role=team_role
            )

    @staticmethod
    def make_user(username, role, organisation):
        return UserFactory(username=username, role=role, organisation=organisation)

    def login(self, user) -> None:
        self.client.force_login(user)
