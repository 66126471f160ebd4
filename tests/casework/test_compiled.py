"""Querysets compiled once (`casework.compiled.Compiled`): the statement the
ORM would send, the instances it would make, and the refusals that keep a
stand-in from ever reaching the database. Both databases."""

from django.db import connection
from django.db.models import Count, F
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.compiled import STAND_IN, Compiled
from casework.models import Case, CaseEvent, CaseParty, Party
from permissions.models import Membership, Organisation
from tafels.models import Table
from tests.base import BaseTestCase
from tests.case_types import CaseType


def _parties(case_id):
    return (
        CaseParty.objects.filter(case_id=case_id)
        .select_related("party", "case__responsible_organisation")
        .order_by("id")
    )


def _events(case_id, *, kind):
    return CaseEvent.objects.filter(case_id=case_id, kind=kind).order_by("id")


class CompiledTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = services.case_open(
            user=cls.owner, case_type=CaseType.LOD, title="Hennepteelt Maasstraat 3"
        )
        for case, names in (
            (cls.case, ("Jansen", "De Vries")),
            (cls.other, ("Bakker",)),
        ):
            for name in names:
                services.case_add_party(
                    case=case,
                    user=cls.owner,
                    party=Party(kind=Party.Kind.PERSON, name=name),
                    role=CaseParty.Role.BETROKKENE,
                )

    def orm(self, queryset):
        """The ORM's own statement and instances for `queryset`."""
        with CaptureQueriesContext(connection) as ctx:
            rows = list(queryset)
        return ctx.captured_queries, rows

    def compiled(self, function, *values, **shape):
        with CaptureQueriesContext(connection) as ctx:
            rows = function(*values, **shape)
        return ctx.captured_queries, rows

    def test_the_statement_and_instances_are_the_orms(self):
        parties = Compiled(_parties)
        parties(self.other.pk)  # compiled for another case first
        expected_queries, expected = self.orm(_parties(self.case.pk))
        queries, rows = self.compiled(parties, self.case.pk)
        self.assertEqual([q["sql"] for q in queries], [expected_queries[0]["sql"]])
        self.assertEqual(
            [(r.pk, r.case_id, r.party_id, r.role) for r in rows],
            [(r.pk, r.case_id, r.party_id, r.role) for r in expected],
        )
        self.assertEqual(
            [r.party.name for r in rows], ["Jansen", "De Vries"]
        )  # fmt: skip
        # select_related two levels deep: no further query to read them.
        with self.assertNumQueries(0):
            self.assertEqual(
                [r.case.responsible_organisation.name for r in rows],
                [self.gemeente.name] * 2,
            )
            # The backend's converters: an aware datetime on SQLite too.
            self.assertEqual(
                [r.case.opened_at for r in rows], [e.case.opened_at for e in expected]
            )
        self.assertFalse(rows[0]._state.adding)
        self.assertEqual(rows[0]._state.db, "default")

    def test_each_call_runs_with_its_own_values(self):
        parties = Compiled(_parties)
        self.assertEqual([r.party.name for r in parties(self.other.pk)], ["Bakker"])
        self.assertEqual(len(parties(self.case.pk)), 2)
        self.assertEqual(parties(STAND_IN), [])
        self.assertEqual(parties(-1), [])

    def test_the_shape_is_part_of_the_key(self):
        events = Compiled(_events)
        opened = events(self.case.pk, kind=CaseEvent.Kind.STATUS)
        team = events(self.case.pk, kind=CaseEvent.Kind.TEAM)
        self.assertEqual(
            opened, list(_events(self.case.pk, kind=CaseEvent.Kind.STATUS))
        )
        self.assertEqual(team, list(_events(self.case.pk, kind=CaseEvent.Kind.TEAM)))
        self.assertTrue(team)
        self.assertTrue({e.kind for e in team} == {CaseEvent.Kind.TEAM})

    def test_annotations_come_back_as_attributes(self):
        counted = Compiled(
            lambda case_id: Case.objects.filter(pk=case_id).annotate(
                party_count=Count("parties"),
                organisation=F("responsible_organisation__name"),
            )
        )
        [case] = counted(self.case.pk)
        self.assertEqual((case.party_count, case.organisation), (2, self.gemeente.name))

    def test_prefetches_follow_as_in_the_orm(self):
        table = Table.objects.create(
            kind=Table.Kind.ONDERMIJNING,
            name="Ondermijningstafel Venlo",
            chair=self.gemeente,
            created_by=self.owner,
        )
        table.participants.set([self.politie, self.om])
        tables = Compiled(
            lambda pk: Table.objects.filter(pk=pk).prefetch_related("participants")
        )
        with self.assertNumQueries(2):
            [row] = tables(table.pk)
        with self.assertNumQueries(0):
            self.assertEqual(
                {o.pk for o in row.participants.all()}, {self.politie.pk, self.om.pk}
            )

    def test_a_statement_that_can_match_nothing_sends_nothing(self):
        nothing = Compiled(lambda case_id: Case.objects.filter(pk=case_id).none())
        with self.assertNumQueries(0):
            self.assertEqual(nothing(self.case.pk), [])
        empty_in = Compiled(lambda case_id: Case.objects.filter(pk=case_id, pk__in=[]))
        with self.assertNumQueries(0):
            self.assertEqual(empty_in(self.case.pk), [])

    def test_an_id_beyond_a_64_bit_integer_finds_nothing_as_in_the_orm(self):
        parties = Compiled(_parties)
        for value in (2**63, -(2**63) - 1, 10**30):
            with self.subTest(value=value), self.assertNumQueries(0):
                self.assertEqual(parties(value), [])
        self.assertEqual(list(Case.objects.filter(pk=2**63)), [])

    def test_refusals(self):
        parties = Compiled(_parties)
        for value in ("1", 1.0, True, None, self.case):
            with self.subTest(value=value), self.assertRaises(TypeError):
                parties(value)
        # A value the statement does not carry as it is: never run with
        # its stand-in in its place.
        unused = Compiled(lambda case_id, other_id: _parties(case_id))
        with self.assertRaisesMessage(ValueError, "value [1]"):
            unused(self.case.pk, self.other.pk)
        changed = Compiled(
            lambda case_id: Case.objects.filter(reference__startswith=str(case_id))
        )
        with self.assertRaises(ValueError):
            changed(self.case.pk)
        # Instances of the model only, and of its own manager: a related
        # manager's queryset would lose the instance it was read from.
        values = Compiled(lambda case_id: Case.objects.filter(pk=case_id).values())
        with self.assertRaises(TypeError):
            values(self.case.pk)
        related = Compiled(lambda _pk: self.case.parties.filter(pk=_pk))
        with self.assertRaises(TypeError):
            related(self.case.pk)

    def test_one_compile_per_shape(self):
        built = []

        def build(organisation_id):
            built.append(organisation_id)
            return Membership.objects.filter(organisation_id=organisation_id)

        memberships = Compiled(build)
        for organisation in (self.gemeente, self.politie, self.om, self.gemeente):
            rows = memberships(organisation.pk)
            self.assertEqual(
                sorted(m.pk for m in rows),
                sorted(
                    Membership.objects.filter(organisation=organisation).values_list(
                        "pk", flat=True
                    )
                ),
            )
        self.assertEqual(built, [STAND_IN])
        self.assertTrue(Organisation.objects.filter(pk=self.om.pk).exists())


class MembershipReaderTests(BaseTestCase):
    """Every request's read of its user's membership (`actor_for`) runs the
    statement the ORM builds, compiled once (registered by the kernel)."""

    def test_the_kernel_registers_the_compiled_reader(self):
        from permissions import policy

        self.assertIsInstance(policy.MEMBERSHIP_READER[0], Compiled)

    def test_the_actor_is_the_one_the_orm_reads(self):
        from django.contrib.auth import get_user_model

        from permissions import policy

        for user in (self.owner, self.politie_user, self.fg):
            fresh = get_user_model().objects.get(pk=user.pk)
            with self.assertNumQueries(1):
                actor = policy.actor_for(fresh)
            membership = Membership.objects.select_related("organisation").get(
                user=user
            )
            self.assertEqual(
                (actor.organisation_id, actor.organisation_name, actor.role),
                (membership.organisation_id, membership.organisation.name,
                 membership.role),
            )  # fmt: skip
            self.assertFalse(actor.service_account)
            # The header's organisation comes with it, no query more.
            with self.assertNumQueries(0):
                self.assertEqual(fresh.membership.organisation, membership.organisation)
        lone = get_user_model().objects.create_user("zonder-lidmaatschap")
        with self.assertNumQueries(1):
            actor = policy.actor_for(lone)
        self.assertEqual((actor.organisation_id, actor.role), (None, ""))
        self.assertFalse(actor.is_known)


class CurrentTaskReaderTests(BaseTestCase):
    """The case page's open task (`flows.current_task`) is read by a
    compiled statement: the one viewflow's own queryset sends, the same task
    with its owner, for each case its own, and none once the flow ended."""

    def test_the_task_is_the_one_the_orm_reads(self):
        from viewflow.workflow.models import Task

        from casework import flows

        other = services.case_open(
            user=self.owner, case_type=CaseType.LOD, title="Loods Kade 1"
        )
        flows.current_task(other)  # compiled for another case first
        orm = (
            Task.objects.filter(
                process__caseprocess__case=self.case, status__in=flows.OPEN
            )
            .select_related("owner")
            .order_by("-created")[:1]
        )
        with CaptureQueriesContext(connection) as expected_queries:
            [expected] = list(orm)
        with CaptureQueriesContext(connection) as queries:
            current = flows.current_task(self.case)
        self.assertEqual(
            [q["sql"] for q in queries], [expected_queries[0]["sql"]]
        )  # fmt: skip
        task = current["task"]
        self.assertEqual(
            (task.pk, task.flow_task, task.owner_id, task.created),
            (expected.pk, expected.flow_task, expected.owner_id, expected.created),
        )
        self.assertEqual(current["phase"].name, expected.flow_task.name)
        self.assertNotEqual(flows.current_task(other)["task"].pk, task.pk)
        services.case_transition(
            case=self.case, name="start_assessment", user=self.owner, note=""
        )
        services.case_transition(
            case=self.case, name="close_without_action", user=self.owner,
            note="Geen grond.",
        )  # fmt: skip
        self.assertIsNone(flows.current_task(self.case))
