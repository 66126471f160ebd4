"""Who sees and changes what inside a PGA case (issue 7 items 2, 4–6;
docs/domain.md §6.4): a partner only its own interventions and action points,
health items by their consent flags with every read logged, the network view
without the cases the user may not see, and the Top X list."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Case, Party
from permissions.models import AccessLog, CaseAccess, DataClass, Organisation, Role
from tests.case_types import CaseType
from tests.factories import OrganisationFactory
from workflows.pga import services as svc
from workflows.pga.models import HealthItem, Intervention, Relation, TopXCriterion

from .test_pga_states import (
    D05,
    D30,
    D40,
    D60,
    PgaTestCase,
    conference,
    conference_held,
    months_after,
    participants,
    plan,
    today,
)


class InterventionAccessTests(PgaTestCase):
    def setUp(self):
        # The plan adopted: partners carry out interventions only from then on
        # (WGS 2.31 lid 5).
        self.case = self.go(
            [*D40, conference_held, plan, "adopt_plan"], self.open_referral()
        )
        self.police = Intervention.objects.get(
            case=self.case, organisation=self.politie
        )
        self.care = Intervention.objects.get(case=self.case, organisation=self.zorg)
        meeting = self.case.pga_conferences.get()
        self.police_point = svc.action_point_add(
            conference=meeting,
            user=self.cr,
            description="Bestuurlijke rapportage aanleveren",
            organisation=self.politie,
            due_on=today() + timedelta(days=7),
        )
        self.care_point = svc.action_point_add(
            conference=meeting,
            user=self.cr,
            description="Intake plannen",
            organisation=self.zorg,
            due_on=today() + timedelta(days=14),
        )

    def test_the_casusregisseur_sees_every_intervention_and_action_point(self):
        self.assertEqual(
            set(svc.interventions_for(self.cr, self.case)), {self.police, self.care}
        )
        self.assertEqual(
            set(svc.action_points_for(self.cr, self.case)),
            {self.police_point, self.care_point},
        )

    def test_a_partner_sees_only_its_own_organisations_rows(self):
        self.assertEqual(
            list(svc.interventions_for(self.politie_user, self.case)), [self.police]
        )
        self.assertEqual(
            list(svc.interventions_for(self.zorg_user, self.case)), [self.care]
        )
        self.assertEqual(
            list(svc.action_points_for(self.politie_user, self.case)),
            [self.police_point],
        )
        self.assertEqual(
            list(svc.action_points_for(self.zorg_user, self.case)), [self.care_point]
        )

    def test_users_off_the_team_see_none(self):
        for user in (self.om_user, self.cr2, self.fg):
            with self.subTest(user=user.username):
                self.assertFalse(svc.interventions_for(user, self.case).exists())
                self.assertFalse(svc.action_points_for(user, self.case).exists())

    def test_a_partner_updates_its_own_intervention_and_no_other(self):
        svc.intervention_update(
            intervention=self.police,
            user=self.politie_user,
            status=Intervention.Status.RUNNING,
            progress="Gebiedsverbod uitgereikt.",
        )
        self.police.refresh_from_db()
        self.assertEqual(
            (self.police.status, self.police.updated_by),
            (Intervention.Status.RUNNING, self.politie_user),
        )
        for user, intervention in (
            (self.politie_user, self.care),
            (self.zorg_user, self.police),
            (self.om_user, self.police),
            (self.cr2, self.care),
        ):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    svc.intervention_update(
                        intervention=intervention,
                        user=user,
                        status=Intervention.Status.STOPPED,
                        progress="Niet van mij.",
                    )
        self.care.refresh_from_db()
        self.assertEqual(self.care.status, Intervention.Status.PLANNED)

    def test_the_casusregisseur_updates_any_intervention(self):
        svc.intervention_update(
            intervention=self.care,
            user=self.cr,
            status=Intervention.Status.DONE,
            progress="Afgerond volgens de zorgaanbieder.",
        )
        self.care.refresh_from_db()
        self.assertEqual(self.care.status, Intervention.Status.DONE)

    def test_a_partner_marks_only_its_own_action_points_done(self):
        svc.action_point_done(
            point=self.police_point, user=self.politie_user, done_on=today()
        )
        self.police_point.refresh_from_db()
        self.assertEqual(self.police_point.done_on, today())
        for user in (self.politie_user, self.om_user):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    svc.action_point_done(
                        point=self.care_point, user=user, done_on=today()
                    )
        self.care_point.refresh_from_db()
        self.assertIsNone(self.care_point.done_on)
        svc.action_point_done(point=self.care_point, user=self.cr, done_on=today())

    def test_only_the_casusregisseur_adds_to_the_plan(self):
        for user in (self.politie_user, self.jurist, self.cr2):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    svc.intervention_add(
                        case=self.case,
                        user=user,
                        organisation=self.politie,
                        owner=self.politie_user,
                        kind="drang",
                        description="Eigen interventie",
                        legal_basis="Politiewet 2012 art. 3",
                        due_on=today(),
                    )

    def test_an_intervention_is_for_a_selected_participant_and_its_own_user(self):
        with self.assertRaises(ValidationError):  # OM was not selected
            svc.intervention_add(
                case=self.case,
                user=self.cr,
                organisation=self.om,
                owner=self.om_user,
                kind="dwang_straf",
                description="Strafzaak",
                legal_basis="Sv art. 167",
                due_on=today(),
            )
        with self.assertRaises(ValidationError):  # owner works elsewhere
            svc.intervention_add(
                case=self.case,
                user=self.cr,
                organisation=self.politie,
                owner=self.zorg_user,
                kind="drang",
                description="Huisbezoek",
                legal_basis="Politiewet 2012 art. 3",
                due_on=today(),
            )


class HealthItemTests(PgaTestCase):
    def setUp(self):
        # Participants are selected once the case is accepted (WGS 2.31 lid 2-4).
        self.case = self.go([*D30, participants], self.open_referral())

    def add(self, **kwargs) -> HealthItem:
        values = {
            "case": self.case,
            "user": self.zorg_user,
            "text": "Opname in 2025 wegens psychose.",
            "basis": HealthItem.Basis.NONE,
        }
        return svc.health_item_add(**{**values, **kwargs})

    def reads(self, user) -> list[HealthItem]:
        return svc.health_items_for(user, self.case)

    def logged_reads(self, user):
        return AccessLog.objects.filter(
            case_id=self.case.pk,
            user_id=user.pk,
            action=AccessLog.Action.READ,
            object_type="healthitem",
        )

    def test_without_a_ground_only_the_supplier_reads_it(self):
        item = self.add()
        self.assertEqual(self.reads(self.zorg_user), [item])
        for user in (self.cr, self.politie_user, self.jurist, self.om_user, self.fg):
            with self.subTest(user=user.username):
                self.assertEqual(self.reads(user), [])

    def test_with_consent_the_organisations_shared_with_read_it_if_their_role_may(
        self,
    ):
        item = self.add(
            basis=HealthItem.Basis.CONSENT,
            consent_on=today(),
            shared_with=[self.gemeente],
        )
        self.assertEqual(self.reads(self.cr), [item])
        self.assertEqual(self.reads(self.zorg_user), [item])
        self.assertEqual(self.reads(self.politie_user), [])
        # Shared with politie too: a partner still reads only what its own
        # organisation supplied (PARTNER has own-item rights on D7, §6.4).
        item.shared_with.add(self.politie)
        self.assertEqual(self.reads(self.politie_user), [])
        # A casusregisseur off the team reads nothing.
        self.assertEqual(self.reads(self.cr2), [])

    def test_every_read_is_logged_as_d7(self):
        first = self.add(
            basis=HealthItem.Basis.CONSENT,
            consent_on=today(),
            shared_with=[self.gemeente],
        )
        second = self.add(basis=HealthItem.Basis.CARE, shared_with=[self.gemeente])
        self.reads(self.cr)
        self.reads(self.cr)
        rows = self.logged_reads(self.cr)
        self.assertEqual(rows.count(), 4)
        self.assertEqual(
            {(r.object_id, r.data_class, r.case_reference) for r in rows},
            {
                (str(first.pk), DataClass.D7, self.case.reference),
                (str(second.pk), DataClass.D7, self.case.reference),
            },
        )
        self.reads(self.politie_user)
        self.assertFalse(self.logged_reads(self.politie_user).exists())
        created = AccessLog.objects.filter(
            case_id=self.case.pk, action=AccessLog.Action.CREATE
        )
        self.assertEqual(
            {(r.username, r.data_class) for r in created}, {("zorg", DataClass.D7)}
        )

    def test_the_casusregisseur_may_not_record_health_data(self):
        with self.assertRaises(PermissionDenied):
            self.add(user=self.cr)
        for user in (self.om_user, self.fg):  # off the team
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    self.add(user=user)
        self.assertFalse(HealthItem.objects.exists())

    def test_consent_needs_its_date(self):
        with self.assertRaises(ValidationError):
            self.add(basis=HealthItem.Basis.CONSENT, shared_with=[self.gemeente])
        with self.assertRaises(ValidationError):
            self.add(
                basis=HealthItem.Basis.CONSENT,
                consent_on=today() + timedelta(days=1),
            )
        self.assertFalse(HealthItem.objects.exists())

    def test_without_a_ground_nobody_else_may_be_named_and_readers_are_participants(
        self,
    ):
        with self.assertRaises(ValidationError):
            self.add(shared_with=[self.gemeente])
        with self.assertRaises(ValidationError):  # OM is not a participant
            self.add(
                basis=HealthItem.Basis.CONSENT,
                consent_on=today(),
                shared_with=[self.om],
            )
        self.assertFalse(HealthItem.objects.exists())


class NetworkViewTests(PgaTestCase):
    def relate(self, case, name, n, kind=Relation.Kind.FAMILY) -> Party:
        svc.relation_add(
            case=case,
            user=self.cr,
            other=self.person(name, n),
            kind=kind,
        )
        return Relation.objects.get(case=case, other__name=name).other

    def test_a_relations_case_the_user_cannot_see_is_absent(self):
        case = self.open_referral()
        brother = self.relate(case, "Piet Peters", 2)
        friend = self.relate(case, "Kees Hendriks", 3, Relation.Kind.CO_SUSPECT)
        visible = self.open_referral(person=brother)
        hidden = self.open_referral(person=friend, user=self.cr2)
        # The person's own other case, run by the other casusregisseur.
        person = svc.person_of(case)
        hidden_own = self.open_referral(person=person, user=self.cr2)

        centre, nodes = svc.network_for(self.cr, case)
        self.assertEqual(centre.party, person)
        self.assertEqual(centre.cases, [])
        by_name = {node.party.name: node for node in nodes}
        self.assertEqual(set(by_name), {"Piet Peters", "Kees Hendriks"})
        self.assertEqual(by_name["Piet Peters"].cases, [visible])
        self.assertEqual(by_name["Kees Hendriks"].cases, [])

        # The other casusregisseur, who runs those cases, sees them and not
        # this one (it is not on its team).
        _centre, nodes = svc.network_for(self.cr2, case)
        by_name = {node.party.name: node for node in nodes}
        self.assertEqual(by_name["Kees Hendriks"].cases, [hidden])
        self.assertEqual(by_name["Piet Peters"].cases, [])
        self.assertEqual(_centre.cases, [hidden_own])

    def test_a_partner_sees_only_the_cases_it_is_on(self):
        case = self.open_referral()
        brother = self.relate(case, "Piet Peters", 2)
        self.open_referral(person=brother)  # politie_user joins its team too
        other = self.open_referral(person=brother, user=self.cr2)
        _centre, nodes = svc.network_for(self.politie_user, case)
        self.assertEqual(len(nodes[0].cases), 1)
        self.assertNotIn(other, nodes[0].cases)
        _centre, nodes = svc.network_for(self.om_user, case)
        self.assertEqual(nodes[0].cases, [])

    def test_the_query_count_does_not_grow_with_the_relations(self):
        small, large = (
            self.open_referral(),
            self.open_referral(person=self.person("Ali B", 9)),
        )
        for case, names in ((small, ["Piet"]), (large, ["Piet", "Kees", "Ria"])):
            for i, name in enumerate(names):
                other = self.relate(case, f"{name} {case.pk}", 20 + 10 * case.pk + i)
                self.open_referral(person=other)
        svc.network_for(self.cr, small)  # the user's role, read once per user
        with CaptureQueriesContext(connection) as one:
            _centre, nodes = svc.network_for(self.cr, small)
        self.assertEqual(len(nodes), 1)
        with self.assertNumQueries(len(one.captured_queries)):
            _centre, nodes = svc.network_for(self.cr, large)
            self.assertEqual([len(n.cases) for n in nodes], [1, 1, 1])


class TopXTests(PgaTestCase):
    def setUp(self):
        self.case = self.go(D05, self.open_referral())

    def place(self, case=None, *, criteria=None, reason="Veelpleger HIC.", user=None):
        return svc.top_x_place(
            case=case or self.case,
            user=user or self.cr,
            criteria=[self.criterion] if criteria is None else criteria,
            reason=reason,
        )

    def test_placement_only_from_d05(self):
        for path in ([], ["start_screening"], D60):
            with self.subTest(path=path):
                case = self.go(path, self.open_referral())
                with self.assertRaises(ValidationError):
                    self.place(case)
        self.assertEqual(self.place().placed_on, today())

    def test_placement_only_on_published_criteria_in_force(self):
        future = TopXCriterion.objects.create(
            code="HIC-2",
            text="Nog niet gepubliceerd.",
            published_on=today() + timedelta(1),
        )
        withdrawn = TopXCriterion.objects.create(
            code="HIC-3",
            text="Ingetrokken.",
            published_on=date(2024, 1, 1),
            withdrawn_on=today(),
        )
        to_be_withdrawn = TopXCriterion.objects.create(
            code="HIC-4",
            text="Wordt ingetrokken.",
            published_on=date(2024, 1, 1),
            withdrawn_on=today() + timedelta(days=1),
        )
        for criteria in ([], [future], [withdrawn], [self.criterion, withdrawn]):
            with self.subTest(criteria=[c.code for c in criteria]):
                with self.assertRaises(ValidationError):
                    self.place(criteria=criteria)
        self.assertFalse(self.case.top_x_entries.exists())
        entry = self.place(criteria=[to_be_withdrawn, self.criterion])
        self.assertEqual(set(entry.criteria.all()), {to_be_withdrawn, self.criterion})

    def test_placement_needs_a_reason_and_the_casusregisseur(self):
        with self.assertRaises(ValidationError):
            self.place(reason="  ")
        for user in (self.politie_user, self.jurist, self.cr2):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    self.place(user=user)
        self.assertFalse(self.case.top_x_entries.exists())

    def test_one_open_placement_per_case_and_removal_ends_it(self):
        entry = self.place()
        with self.assertRaises(ValidationError):
            self.place()
        with self.assertRaises(ValidationError):
            svc.top_x_remove(entry=entry, user=self.cr, reason="")
        with self.assertRaises(PermissionDenied):
            svc.top_x_remove(entry=entry, user=self.politie_user, reason="Klaar.")
        svc.top_x_remove(entry=entry, user=self.cr, reason="Niet langer nodig.")
        entry.refresh_from_db()
        self.assertEqual(
            (entry.removed_on, entry.removed_by, entry.removal_reason),
            (today(), self.cr, "Niet langer nodig."),
        )
        again = self.place()
        self.assertEqual(self.case.top_x_entries.count(), 2)
        self.assertIsNone(again.removed_on)

    def test_closing_the_case_removes_an_open_placement(self):
        entry = self.place()
        self.go(["accept_from_list", *D60[len(D30) :]], self.case)
        self.assertIsNone(self.case.top_x_entries.get().removed_on)
        # Evaluated once before closing (WGS 2.31 lid 6).
        self.go(["start_review", "finish_review", "close"], self.case)
        entry.refresh_from_db()
        self.assertEqual((entry.removed_on, entry.removed_by), (today(), self.cr))

    def test_the_list_shows_only_placements_on_cases_the_user_may_see(self):
        mine = self.place()
        other_case = self.go(D05, self.open_referral(user=self.cr2), user=self.cr2)
        theirs = self.place(other_case, user=self.cr2)
        self.assertEqual(list(svc.top_x_list(self.cr)), [mine])
        self.assertEqual(list(svc.top_x_list(self.cr2)), [theirs])
        # Placements are for the casusregisseur of the case only: a
        # participant on the team no longer sees them (issue 13; this test
        # used to expect the police liaison to).
        for user in (self.politie_user, self.om_user, self.fg, self.zorg_user):
            with self.subTest(user=user.username):
                self.assertEqual(list(svc.top_x_list(user)), [])
        self.assertEqual(other_case.case_type, CaseType.PGA)


class ParticipantTests(PgaTestCase):
    """2.31 lid 4: only the participants selected for the case, and their
    named users, gain access; a third party joins only incidentally (lid 9)."""

    def setUp(self):
        # Participants are selected once the case is accepted (WGS 2.31 lid 2-4).
        self.case = self.go([*D30, participants], self.open_referral())

    def test_only_the_named_users_of_a_participant_join_the_team(self):
        colleague = self.make_user("politie2", Role.PARTNER, self.politie)
        self.assertIn(self.case, Case.objects.for_user(self.politie_user))
        self.assertNotIn(self.case, Case.objects.for_user(colleague))
        svc.participant_add(
            case=self.case,
            user=self.cr,
            organisation=self.om,
            legal_basis="Wjsg art. 39fa",
            members=[self.om_user],
        )
        access = CaseAccess.objects.get(case=self.case, user=self.om_user)
        self.assertEqual(access.team_role, CaseAccess.TeamRole.CONTRIBUTOR)
        self.assertIn(self.case, Case.objects.for_user(self.om_user))

    def test_the_members_memberships_are_read_once(self):
        # Each member's organisation and role are checked, but read in one
        # query for all of them; `team_add` reads each member's own as it
        # writes the team row.
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        others = [self.make_user(f"om{n}", Role.PARTNER, self.om) for n in (2, 3)]
        members = [
            get_user_model().objects.get(pk=u.pk) for u in (self.om_user, *others)
        ]
        with CaptureQueriesContext(connection) as ctx:
            svc.participant_add(
                case=self.case,
                user=self.cr,
                organisation=self.om,
                legal_basis="Wjsg art. 39fa",
                members=members,
            )
        memberships = [
            q for q in ctx.captured_queries
            if 'FROM "permissions_membership"' in q["sql"]
        ]  # fmt: skip
        self.assertEqual(len(memberships), 1 + len(members))
        for member in members:
            self.assertIn(self.case, Case.objects.for_user(member))

    def test_a_member_must_work_for_the_participant(self):
        with self.assertRaises(ValidationError):
            svc.participant_add(
                case=self.case,
                user=self.cr,
                organisation=self.om,
                legal_basis="Wjsg art. 39fa",
                members=[self.politie_user],
            )
        self.assertFalse(self.case.pga_participants.filter(organisation=self.om))

    def test_a_non_participant_joins_only_incidentally(self):
        corporatie = OrganisationFactory(
            name="Woonwenz", kind=Organisation.Kind.WONINGCORPORATIE
        )
        with self.assertRaises(ValidationError):
            svc.participant_add(
                case=self.case,
                user=self.cr,
                organisation=corporatie,
                legal_basis="Huurovereenkomst",
            )
        joined = svc.participant_add(
            case=self.case,
            user=self.cr,
            organisation=corporatie,
            legal_basis="WGS art. 2.31 lid 9",
            incidental=True,
        )
        self.assertIs(joined.incidental, True)

    def test_only_the_casusregisseur_on_the_team_selects_participants(self):
        for user in (self.politie_user, self.jurist, self.cr2):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    svc.participant_add(
                        case=self.case,
                        user=user,
                        organisation=self.om,
                        legal_basis="Wjsg art. 39fa",
                    )

    def test_removing_a_participant_ends_its_users_access(self):
        plan_case = self.case
        svc.participant_remove(
            participant=plan_case.pga_participants.get(organisation=self.politie),
            user=self.cr,
        )
        self.assertFalse(
            CaseAccess.objects.filter(case=plan_case, user=self.politie_user)
        )
        self.assertNotIn(plan_case, Case.objects.for_user(self.politie_user))
        self.assertFalse(svc.interventions_for(self.politie_user, plan_case).exists())
        # Removing the gemeente leaves its owner, the casusregisseur, in place.
        svc.participant_remove(
            participant=plan_case.pga_participants.get(organisation=self.gemeente),
            user=self.cr,
        )
        self.assertIn(plan_case, Case.objects.for_user(self.cr))
        self.assertNotIn(plan_case, Case.objects.for_user(self.jurist))

    def test_the_case_director_must_be_on_the_team(self):
        with self.assertRaises(ValidationError):
            svc.directors_assign(case=self.case, user=self.cr, case_director=self.cr2)
        referral = svc.directors_assign(
            case=self.case, user=self.cr, case_director=self.cr
        )
        self.assertEqual(referral.case_director, self.cr)


class ReferralTests(PgaTestCase):
    def register(self, **kwargs):
        values = {
            "user": self.cr,
            "person": self.person(),
            "reporter": self.politie,
            "received_on": today(),
            "reason": "Overlast",
            "goal": "Rust in de straat",
            "informed": True,
        }
        return svc.referral_register(**{**values, **kwargs})

    def test_a_referral_opens_a_d00_case_with_the_person_concerned(self):
        case = self.register(informed=False, not_informed_reason="Lopend onderzoek")
        self.assertEqual((case.case_type, case.status), (CaseType.PGA, "D00"))
        self.assertEqual(svc.person_of(case).name, "Jan Peters")
        referral = svc.referral_of(case)
        self.assertEqual(referral.retention_until, months_after(today(), 60))
        self.assertEqual(referral.not_informed_reason, "Lopend onderzoek")

    def test_refused_referrals(self):
        corporatie = OrganisationFactory(
            name="Woonwenz", kind=Organisation.Kind.WONINGCORPORATIE
        )
        for kwargs in (
            {"reporter": corporatie},
            {"informed": False},
            {"received_on": today() + timedelta(days=1)},
        ):
            with self.subTest(kwargs=kwargs):
                with self.assertRaises(ValidationError):
                    self.register(**kwargs)
        with self.assertRaises(PermissionDenied):
            self.register(user=self.politie_user)
        self.assertFalse(Case.objects.filter(case_type=CaseType.PGA).exists())

    def test_a_conference_cannot_be_recorded_as_held_in_the_future(self):
        case = self.go([*D30, participants, conference], self.open_referral())
        with self.assertRaises(ValidationError):
            svc.conference_record(
                conference=case.pga_conferences.get(),
                user=self.cr,
                held_on=today() + timedelta(days=1),
                minutes="",
                decisions="",
            )
