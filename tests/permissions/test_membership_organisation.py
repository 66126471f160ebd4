"""An account keeps its organisation while it is on a case team
(`permissions.services.membership_refusal`, docs/access.md "Organisations,
roles, memberships"): each team row names the organisation it was added for,
and the decision point would read the old organisation's cases with the new
organisation's role. The one check for the beheerder's form, `grant_role`,
`membership_set` (single sign-on: tests/sso/test_sign_in.py)."""

from io import StringIO

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from casework import services
from permissions.models import AccessLog, CaseAccess, Membership, Organisation, Role
from permissions.services import membership_refusal, membership_set, team_remove
from tests.base import BaseTestCase
from tests.factories import CaseFactory, OrganisationFactory, UserFactory

from .test_admin_privilege import AdminPrivilegeTestCase


class MovedAccountTestCase(BaseTestCase):
    """The police liaison (`agent`) on the teams of two cases: the fixed cast's
    and one more."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.roermond = OrganisationFactory(
            name="Gemeente Roermond", kind=Organisation.Kind.GEMEENTE
        )
        cls.agent = cls.politie_user
        cls.cases = [cls.case, CaseFactory(owner=cls.owner)]
        services.case_team_add(
            case=cls.cases[1], user=cls.owner, member=cls.agent,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip

    def membership(self, user):
        membership = Membership.objects.get(user=user)
        return membership.organisation, membership.role


class ServiceTests(MovedAccountTestCase):
    def test_another_organisation_is_refused_while_on_a_team(self):
        with translation.override("nl"), self.assertRaises(ValidationError) as caught:
            membership_set(user=self.agent, organisation=self.roermond, role="jurist")
        self.assertEqual(caught.exception.code, "organisation_with_teams")
        self.assertEqual(
            caught.exception.messages,
            [
                "politie staat in de teams van 2 zaken namens Politie Eenheid "
                "Limburg en houdt die organisatie zolang dat zo is. Wie naar een "
                "andere organisatie gaat, krijgt een nieuw account; de "
                "zaakeigenaren halen dit account eerst uit hun teams."
            ],
        )
        self.assertEqual(self.membership(self.agent), (self.politie, Role.PARTNER))

    def test_one_case_is_named_in_the_singular(self):
        team_remove(case=self.cases[0], user=self.agent)
        with translation.override("nl"):
            refusal = membership_refusal(self.agent, self.roermond)
        self.assertTrue(
            refusal.startswith("politie staat in het team van 1 zaak namens")
        )

    def test_the_same_organisation_and_another_role_is_allowed(self):
        membership_set(user=self.agent, organisation=self.politie, role=Role.JURIST)
        self.assertEqual(self.membership(self.agent), (self.politie, Role.JURIST))
        self.assertIsNone(membership_refusal(self.agent, self.politie))

    def test_off_every_team_the_account_may_move(self):
        for case in self.cases:
            team_remove(case=case, user=self.agent)
        membership_set(user=self.agent, organisation=self.roermond, role=Role.JURIST)
        self.assertEqual(self.membership(self.agent), (self.roermond, Role.JURIST))

    def test_an_account_without_membership_is_checked_against_its_team_rows(self):
        # A single sign-on that mapped to nothing removes the membership; the
        # team rows stay and still name the police.
        Membership.objects.filter(user=self.agent).delete()
        with self.assertRaises(ValidationError):
            membership_set(user=self.agent, organisation=self.roermond, role="jurist")
        self.assertFalse(Membership.objects.filter(user=self.agent).exists())
        membership_set(user=self.agent, organisation=self.politie, role="partner")
        self.assertEqual(self.membership(self.agent), (self.politie, Role.PARTNER))

    def test_a_new_account_is_not_asked(self):
        self.assertIsNone(
            membership_refusal(UserFactory.build(username="nieuw"), self.roermond)
        )


class AdminTests(AdminPrivilegeTestCase):
    """The beheerder's user form shows the refusal at the organisation and
    changes nothing."""

    def setUp(self):
        super().setUp()
        self.politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        case = CaseFactory(owner=self.jurist)
        self.case = case

    def test_the_form_refuses_another_organisation_while_on_a_team(self):
        with translation.override("nl"):
            response = self.user_post(
                self.jurist, **{"membership-0-organisation": self.politie.pk}
            )
        self.assertEqual(response.status_code, 200)
        inline = response.context["inline_admin_formsets"][0].formset
        self.assertEqual(
            inline.errors[0]["organisation"],
            [
                "jurist staat in het team van 1 zaak namens Gemeente Venlo en houdt "
                "die organisatie zolang dat zo is. Wie naar een andere organisatie "
                "gaat, krijgt een nieuw account; de zaakeigenaren halen dit account "
                "eerst uit hun teams."
            ],
        )
        membership = Membership.objects.get(user=self.jurist)
        self.assertEqual(membership.organisation, self.gemeente)
        # The role alone may change; off the team, the organisation too.
        response = self.user_post(self.jurist, **{"membership-0-role": Role.BIBOB})
        self.assertEqual(response.status_code, 302)
        team_remove(case=self.case, user=self.jurist)
        response = self.user_post(
            self.jurist, **{"membership-0-organisation": self.politie.pk}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Membership.objects.get(user=self.jurist).organisation, self.politie
        )


class GrantRoleTests(MovedAccountTestCase):
    def grant(self, *args):
        out = StringIO()
        call_command("grant_role", *args, stdout=out)
        return out.getvalue()

    def test_grant_role_refuses_another_organisation_while_on_a_team(self):
        with self.assertRaises(CommandError) as caught:
            self.grant("politie", "jurist", "--organisation", "Gemeente Roermond")
        self.assertEqual(caught.exception.returncode, 2)
        self.assertIn("2", str(caught.exception))
        self.assertIn("Politie Eenheid Limburg", str(caught.exception))
        self.assertEqual(self.membership(self.agent), (self.politie, Role.PARTNER))
        self.assertFalse(AccessLog.objects.filter(object_type="user-rights").exists())
        # Its own organisation again, another role: allowed and logged.
        out = self.grant(
            "politie", "jurist", "--organisation", "Politie Eenheid Limburg"
        )
        self.assertIn("role partner → jurist", out)
        for case in self.cases:
            team_remove(case=case, user=self.agent)
        out = self.grant("politie", "--organisation", "Gemeente Roermond")
        self.assertIn("Politie Eenheid Limburg → Gemeente Roermond", out)
        self.assertEqual(self.membership(self.agent), (self.roermond, Role.JURIST))
