"""The access policy: the role × data class matrix, team membership, and the
two stores of a case team (CaseAccess rows and guardian grants)."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from casework import services
from casework.models import Case, CaseEvent
from permissions import services as permissions
from permissions.models import CaseAccess, CaseUserObjectPermission, DataClass, Role
from permissions.policy import MATRIX, READ, SHARE, WRITE, role_permits
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import CaseFactory, UserFactory

CLASSES = ["D0", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9", "D10"]

# docs/domain.md §6.4 as permissions/policy.py MATRIX states it, copied by hand.
# R read, W write, S share, o = own items only (supplied by the user's own
# organisation), - = nothing.
EXPECTED = {
    #                     D0  D1  D2  D3  D4  D5  D6  D7  D8  D9  D10
    Role.BURGEMEESTER:   "R   R   RW  R   R   R   -   -   R   -   R",
    Role.JURIST:         "RW  RW  RW  R   R   -   -   -   R   -   R",
    Role.BIBOB:          "RW  RW  RW  R   R   RWS R   -   -   -   R",
    Role.COORDINATOR:    "RW  RW  RW  R   R   -   R   -   -   -   R",
    Role.CASUSREGISSEUR: "RW  RW  R   R   R   -   -   R   -   -   RW",
    Role.TOEZICHT:       "RW  R   RW  -   -   -   -   -   -   -   -",
    Role.INVORDERING:    "R   R   R   -   -   -   -   -   RW  -   -",
    Role.PARTNER:        "R   R   o   o   o   -   o   o   -   -   R",
    Role.VERGUNNING:     "R   R   -   -   -   -   -   -   -   -   -",
    Role.FG:             "-   -   -   -   -   -   -   -   -   R   -",
    Role.BEHEERDER:      "-   -   -   -   -   -   -   -   -   -   -",
}  # fmt: skip


def grantees(case, codename):
    return set(
        CaseUserObjectPermission.objects.filter(
            content_object=case, permission__codename=codename
        ).values_list("user_id", flat=True)
    )


class MatrixTests(BaseTestCase):
    def test_every_role_has_a_row_in_the_matrix(self):
        self.assertEqual(set(MATRIX), set(Role.values))
        self.assertEqual(set(EXPECTED), set(Role.values))

    def test_role_permits_answers_as_the_matrix_says(self):
        for role, row in EXPECTED.items():
            for data_class, cell in zip(CLASSES, row.split(), strict=True):
                for action, letter in ((READ, "R"), (WRITE, "W"), (SHARE, "S")):
                    expected = cell != "o" and letter in cell
                    with self.subTest(role=role, data_class=data_class, action=action):
                        self.assertIs(role_permits(role, action, data_class), expected)

    def test_own_item_cells_allow_read_and_write_only_on_own_items(self):
        for role, row in EXPECTED.items():
            for data_class, cell in zip(CLASSES, row.split(), strict=True):
                with self.subTest(role=role, data_class=data_class):
                    own_read = role_permits(role, READ, data_class, own_item=True)
                    own_write = role_permits(role, WRITE, data_class, own_item=True)
                    own_share = role_permits(role, SHARE, data_class, own_item=True)
                    if cell == "o":
                        self.assertIs(role_permits(role, READ, data_class), False)
                        self.assertIs(own_read, True)
                        self.assertIs(own_write, True)
                        self.assertIs(own_share, False)
                    else:
                        # own_item changes nothing outside "o" cells.
                        self.assertIs(own_read, "R" in cell)
                        self.assertIs(own_write, "W" in cell)
                        self.assertIs(own_share, "S" in cell)

    def test_an_unknown_role_may_do_nothing(self):
        for data_class in CLASSES:
            self.assertIs(role_permits("", READ, data_class), False)
            self.assertIs(role_permits("hacker", READ, data_class), False)


class UserCanTests(BaseTestCase):
    """user_can = role permits (action, case class) ∧ user on the case team."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bibob = UserFactory(
            username="bibob", role=Role.BIBOB, organisation=cls.gemeente
        )
        cls.regisseur = UserFactory(
            username="regisseur", role=Role.CASUSREGISSEUR, organisation=cls.gemeente
        )
        # D3: a case reclassified as police data after the owner opened it
        # (case_open refuses a class the opener cannot write). The jurist role
        # reads D3 but may not write it, not even as owner, so the team row is
        # written directly.
        cls.d3 = services.case_open(
            user=cls.owner, case_type=CaseType.LOD, title="Politie"
        )
        Case.objects.filter(pk=cls.d3.pk).update(data_class="D3")
        CaseAccess.objects.filter(case=cls.d3).update(data_class="D3")
        cls.d3.refresh_from_db()
        permissions.team_add(case=cls.d3, user=cls.burgemeester, team_role="member")
        cls.d5 = CaseFactory(bibob=True, owner=cls.bibob)
        services.case_team_add(
            case=cls.d5, user=cls.bibob, member=cls.burgemeester, team_role="member"
        )
        cls.d10 = CaseFactory(pga=True, owner=cls.regisseur)
        # A PGA team is chosen in its case file (participants), so the team
        # rows are written directly; the policy is what is tested here.
        for member, team_role in ((cls.colleague, "member"),
                                  (cls.politie_user, "contributor")):  # fmt: skip
            permissions.team_add(case=cls.d10, user=member, team_role=team_role)

    def test_user_can_per_team_role_and_data_class(self):
        # (user, case, may read, may write), written out by hand.
        table = [
            # D0 case: team owner, colleague, burgemeester, politie contributor.
            ("owner", "d0", True, True),
            ("colleague", "d0", True, True),
            ("burgemeester", "d0", True, False),  # on team, D0 is R only
            ("politie", "d0", True, False),  # contributor, D0 is R only
            ("outsider", "d0", False, False),  # jurist may write D0, not on team
            ("belastingdienst", "d0", False, False),  # partner reads D0, not on team
            ("fg", "d0", False, False),
            # D3 case: team owner, burgemeester.
            ("owner", "d3", True, False),  # on team, D3 is R only for jurists
            ("burgemeester", "d3", True, False),
            ("colleague", "d3", False, False),  # jurist reads D3, not on team
            ("politie", "d3", False, False),  # partner: own D3 items only
            # D5 Bibob case: team bibob, burgemeester.
            ("bibob", "d5", True, True),
            ("burgemeester", "d5", True, False),
            ("owner", "d5", False, False),  # jurist may not read D5 at all
            # D10 PGA case: team regisseur, colleague, politie contributor.
            ("regisseur", "d10", True, True),
            ("colleague", "d10", True, False),
            ("politie", "d10", True, False),
            ("burgemeester", "d10", False, False),  # reads D10, not on team
            ("bibob", "d10", False, False),
        ]
        users = {
            "owner": self.owner,
            "colleague": self.colleague,
            "burgemeester": self.burgemeester,
            "politie": self.politie_user,
            "outsider": self.outsider,
            "belastingdienst": self.belastingdienst_user,
            "fg": self.fg,
            "bibob": self.bibob,
            "regisseur": self.regisseur,
        }
        cases = {"d0": self.case, "d3": self.d3, "d5": self.d5, "d10": self.d10}
        for username, case_key, may_read, may_write in table:
            user, case = users[username], cases[case_key]
            with self.subTest(user=username, case=case_key):
                self.assertIs(permissions.user_can(user, READ, case), may_read)
                self.assertIs(permissions.user_can(user, WRITE, case), may_write)
                visible = Case.objects.for_user(user).filter(pk=case.pk).exists()
                self.assertIs(visible, may_read)

    def test_user_can_reads_the_cases_current_class(self):
        # A team row stays behind when a case is reclassified; the role check
        # on the live class still closes the case to the politie contributor.
        Case.objects.filter(pk=self.case.pk).update(data_class=DataClass.D5)
        case = Case.objects.get(pk=self.case.pk)
        self.assertTrue(CaseAccess.objects.filter(case=case, user=self.politie_user))
        self.assertIs(permissions.user_can(self.politie_user, READ, case), False)
        self.assertFalse(Case.objects.for_user(self.politie_user).filter(pk=case.pk))

    def test_an_anonymous_or_roleless_user_can_do_nothing(self):
        nobody = UserFactory(membership=None)
        for user in (AnonymousUser(), nobody):
            self.assertIs(permissions.user_can(user, READ, self.case), False)
            self.assertFalse(Case.objects.for_user(user).exists())


class TeamTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bibob = UserFactory(role=Role.BIBOB, organisation=cls.gemeente)
        cls.bibob_case = CaseFactory(bibob=True, owner=cls.bibob)

    def test_team_add_refuses_a_role_that_cannot_read_the_case_and_writes_nothing(self):
        events = CaseEvent.objects.filter(case=self.bibob_case).count()
        for user in (self.politie_user, self.owner, self.fg):
            with self.subTest(user=user.username):
                message = str(permissions.TEAM_ROLE_NOT_ALLOWED) % {
                    "user": user.username,
                    "data_class": "D5",
                }
                with self.assertRaisesMessage(ValidationError, message):
                    services.case_team_add(
                        case=self.bibob_case,
                        user=self.bibob,
                        member=user,
                        team_role=CaseAccess.TeamRole.CONTRIBUTOR,
                    )
                self.assertFalse(
                    CaseAccess.objects.filter(case=self.bibob_case, user=user).exists()
                )
                self.assertFalse(
                    CaseUserObjectPermission.objects.filter(
                        content_object=self.bibob_case, user=user
                    ).exists()
                )
        self.assertEqual(CaseEvent.objects.filter(case=self.bibob_case).count(), events)

    def test_team_add_refuses_a_user_without_membership(self):
        nobody = UserFactory(username="nobody", membership=None)
        with self.assertRaisesMessage(
            ValidationError, str(permissions.NO_MEMBERSHIP) % {"user": "nobody"}
        ):
            permissions.team_add(case=self.case, user=nobody, team_role="member")
        self.assertFalse(CaseAccess.objects.filter(user=nobody).exists())

    def test_team_add_writes_the_list_row_with_the_cases_sort_key_and_class(self):
        access = CaseAccess.objects.get(case=self.case, user=self.politie_user)
        self.assertEqual(access.team_role, CaseAccess.TeamRole.CONTRIBUTOR)
        self.assertEqual(access.organisation, self.politie)
        self.assertEqual(access.sort_key, self.case.opened_at)
        self.assertEqual(access.data_class, self.case.data_class)
        self.assertEqual(access.case_type, self.case.case_type)

    def test_team_add_twice_keeps_one_row(self):
        permissions.team_add(case=self.case, user=self.colleague, team_role="member")
        self.assertEqual(
            CaseAccess.objects.filter(case=self.case, user=self.colleague).count(), 1
        )

    def test_team_add_writes_a_team_event(self):
        services.case_team_add(
            case=self.case, user=self.owner, member=self.outsider, team_role="member"
        )
        event = CaseEvent.objects.filter(
            case=self.case, kind=CaseEvent.Kind.TEAM
        ).latest("id")
        self.assertIn("outsider", event.note)
        self.assertEqual(event.actor, self.owner)

    def test_only_writers_may_change_the_team(self):
        for user in (self.burgemeester, self.politie_user, self.outsider):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    services.case_team_add(
                        case=self.case,
                        user=user,
                        member=self.belastingdienst_user,
                        team_role="contributor",
                    )
        self.assertFalse(
            CaseAccess.objects.filter(user=self.belastingdienst_user).exists()
        )

    def test_team_remove_removes_the_row_and_both_grants(self):
        permissions.team_remove(case=self.case, user=self.colleague)
        self.assertFalse(
            CaseAccess.objects.filter(case=self.case, user=self.colleague).exists()
        )
        self.assertFalse(
            CaseUserObjectPermission.objects.filter(
                content_object=self.case, user=self.colleague
            ).exists()
        )
        self.assertIs(permissions.user_can(self.colleague, READ, self.case), False)
        self.assertFalse(Case.objects.for_user(self.colleague).exists())
        # The others keep theirs.
        self.assertIs(permissions.user_can(self.owner, WRITE, self.case), True)

    def test_rows_and_grants_agree(self):
        for case in (self.case, self.bibob_case):
            with self.subTest(case=case.reference):
                rows = CaseAccess.objects.filter(case=case)
                team = set(rows.values_list("user_id", flat=True))
                writers = set(
                    rows.exclude(team_role=CaseAccess.TeamRole.CONTRIBUTOR).values_list(
                        "user_id", flat=True
                    )
                )
                self.assertEqual(grantees(case, "view_case"), team)
                self.assertEqual(grantees(case, "change_case"), writers)
        self.assertEqual(
            grantees(self.case, "view_case"),
            {
                self.owner.pk,
                self.colleague.pk,
                self.burgemeester.pk,
                self.politie_user.pk,
            },
        )
        self.assertEqual(
            grantees(self.case, "change_case"),
            {self.owner.pk, self.colleague.pk, self.burgemeester.pk},
        )

    def test_team_grants_primed_in_bulk_are_guardians(self):
        # Members, a contributor and users on neither team: every pair gets
        # guardian's answer from one query, and asking again costs none.
        from guardian.core import ObjectPermissionChecker

        from permissions.services import _case_grants

        users = [
            self.owner,
            self.colleague,
            self.burgemeester,
            self.politie_user,
            self.outsider,
            self.belastingdienst_user,
        ]
        cases = [Case.objects.get(pk=c.pk) for c in (self.case, self.bibob_case)]
        with self.assertNumQueries(1):
            permissions.prime_team_grants(users, cases)
        with self.assertNumQueries(0):
            primed = {(u.pk, c.pk): _case_grants(u, c) for u in users for c in cases}
        for user in users:
            for case in cases:
                with self.subTest(user=user.username, case=case.reference):
                    self.assertEqual(
                        primed[user.pk, case.pk],
                        set(ObjectPermissionChecker(user).get_perms(case)),
                    )
        self.assertEqual(primed[self.politie_user.pk, self.case.pk], {"view_case"})
        self.assertEqual(primed[self.outsider.pk, self.case.pk], set())

    def test_bulk_priming_leaves_superusers_and_inactive_users_to_guardian(self):
        from permissions.services import _case_grants

        superuser = UserFactory(is_superuser=True)
        inactive = self.colleague
        inactive.is_active = False
        case = Case.objects.get(pk=self.case.pk)
        permissions.prime_team_grants([superuser, inactive], [case])
        known = case.__dict__.get("_casework_grants", {})
        self.assertNotIn(superuser.pk, known)
        self.assertNotIn(inactive.pk, known)
        self.assertEqual(_case_grants(inactive, case), set())  # guardian: nothing
        self.assertIn("change_case", _case_grants(superuser, case))

    def test_actors_primed_in_bulk_are_actor_fors(self):
        from permissions.policy import actor_for, prime_actors

        stranger = UserFactory(membership=None)
        users = [self.owner, self.politie_user, self.belastingdienst_user, stranger]
        fresh = [type(u).objects.get(pk=u.pk) for u in users]
        with self.assertNumQueries(1):
            prime_actors(fresh)
        with self.assertNumQueries(0):
            primed = [actor_for(u) for u in fresh]
        expected = [actor_for(type(u).objects.get(pk=u.pk)) for u in users]
        self.assertEqual(primed, expected)
        self.assertIsNone(primed[-1].organisation_id)
        with self.assertNumQueries(0):  # all known: nothing to read
            prime_actors(fresh)

    def test_changing_the_team_role_moves_the_change_grant(self):
        permissions.team_add(
            case=self.case, user=self.colleague, team_role="contributor"
        )
        self.assertNotIn(self.colleague.pk, grantees(self.case, "change_case"))
        self.assertIs(permissions.user_can(self.colleague, WRITE, self.case), False)
        self.assertIs(permissions.user_can(self.colleague, READ, self.case), True)
        permissions.team_add(case=self.case, user=self.colleague, team_role="member")
        self.assertIn(self.colleague.pk, grantees(self.case, "change_case"))
        self.assertEqual(
            CaseAccess.objects.get(case=self.case, user=self.colleague).team_role,
            "member",
        )
