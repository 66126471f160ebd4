"""The coordinator's dashboard at scale (docs/performance.md, "Workflow pages
at scale"): its inspections are the user's own team rows, and the outcomes per
quarter are read for the quarters the page shows, not the whole history. Same
page for the same data; a fixed number of queries however many inspections,
visits and old outcomes there are."""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from casework import services
from casework.listing import outcome_fill_sql
from casework.models import Case, CaseEvent, ListEntry
from permissions.models import CaseAccess, Role
from permissions.selectors import case_access_for_user
from tests.case_types import CaseType
from tests.indexes import covering
from tests.indexes import plan as explain
from workflows.controle.models import Visit
from workflows.controle.views import (
    OUTCOME_STATUSES,
    QUARTERS,
    _quarters_start,
    dashboard_follow_ups,
    dashboard_outcomes,
    follow_up_ids,
)

from ..test_controle import ControleTestCase


def fill_outcomes():
    """The migration's fill of `Case.outcome_at` from the history."""
    with connection.cursor() as cursor:
        cursor.execute(*outcome_fill_sql("IC", OUTCOME_STATUSES))


def record_outcome(case, actor, status, at):
    """A visit's outcome in the history at `at`, written as any writer of the
    history would: the trigger keeps the case's latest outcome."""
    CaseEvent.objects.create(
        case=case, actor=actor, kind=CaseEvent.Kind.STATUS,
        from_status="C40", to_status=status, at=at,
    )  # fmt: skip


class QuarterWindowTests(ControleTestCase):
    def test_the_window_starts_with_the_oldest_quarter_shown(self):
        for today, first in (
            (date(2026, 12, 5), date(2025, 1, 1)),
            (date(2026, 1, 1), date(2024, 4, 1)),
            (date(2026, 3, 31), date(2024, 4, 1)),
            (date(2026, 4, 1), date(2024, 7, 1)),
        ):
            with self.subTest(today=today):
                start = _quarters_start(today)
                self.assertEqual(timezone.localtime(start).date(), first)
                self.assertEqual(timezone.localtime(start).hour, 0)
        self.assertEqual(QUARTERS, 8)


class DashboardAtScaleTests(ControleTestCase):
    def outcome(self, case, status, at):
        record_outcome(case, self.coordinator, status, at)

    def page(self):
        self.login(self.coordinator)
        return self.client.get("/controle/?week=2027-W01")

    def test_outcomes_older_than_the_quarters_shown_are_not_read(self):
        case = self.new_case()
        now = timezone.now()
        self.outcome(case, "C50", now)
        self.outcome(case, "C45", now)
        self.outcome(case, "C50", _quarters_start(timezone.localdate()))
        # Before the window: not counted, not shown.
        self.outcome(case, "C50", _quarters_start(timezone.localdate())
                     - timedelta(seconds=1))  # fmt: skip
        response = self.page()
        quarters = dict(response.context["quarters"])
        today = timezone.localdate()
        self.assertEqual(
            quarters[(today.year, (today.month - 1) // 3 + 1)],
            {"done": 1, "aborted": 1},
        )
        oldest = timezone.localtime(_quarters_start(today)).date()
        self.assertEqual(
            quarters[(oldest.year, (oldest.month - 1) // 3 + 1)],
            {"done": 1, "aborted": 0},
        )
        self.assertEqual(len(quarters), 2)

    def test_another_teams_visits_and_outcomes_stay_off(self):
        other = self.make_user("coordinator2", Role.COORDINATOR, self.gemeente)
        hidden = services.case_open(
            user=other, case_type=CaseType.CONTROLE, title="Elders"
        )
        monday = timezone.make_aware(timezone.datetime(2027, 1, 4, 9, 0))
        Visit.objects.create(case=hidden, planned_at=monday, lead=other)
        self.outcome(hidden, "C50", timezone.now())
        response = self.page()
        self.assertEqual([v for d in response.context["days"] for v in d["visits"]], [])
        self.assertEqual(response.context["quarters"], [])
        self.assertEqual(list(response.context["follow_ups"]), [])

    def test_an_inspection_of_a_class_the_role_does_not_open_shows_nothing(self):
        """The week's visits and the follow-ups are kept by the user's team
        row of their inspection under the decision point's rule
        (`team_row_probe`): an inspection moved to a class a coordinator
        does not open (D5) takes its visit and its follow-up off the page,
        and they are back when its class is one the role opens."""
        inspection = self.new_case()
        monday = timezone.make_aware(timezone.datetime(2027, 1, 4, 9, 0))
        Visit.objects.create(case=inspection, planned_at=monday, lead=self.toezicht)
        child = services.case_open(
            user=self.coordinator, case_type=CaseType.LOD, title="Vervolg",
            parent=inspection,
        )  # fmt: skip

        def shown():
            response = self.page()
            visits = [v["reference"] for d in response.context["days"]
                      for v in d["visits"]]  # fmt: skip
            follow_ups = [row["reference"] for row in response.context["follow_ups"]]
            return visits, follow_ups

        self.assertEqual(shown(), ([inspection.reference], [child.reference]))
        original = inspection.data_class
        Case.objects.filter(pk=inspection.pk).update(data_class="D5")
        self.assertEqual(
            set(CaseAccess.objects.filter(case=inspection).values_list(
                "data_class", flat=True)),
            {"D5"},
        )  # fmt: skip
        self.assertEqual(shown(), ([], []))
        Case.objects.filter(pk=inspection.pk).update(data_class=original)
        self.assertEqual(shown(), ([inspection.reference], [child.reference]))

    def test_the_number_of_queries_does_not_grow_with_inspections(self):
        monday = timezone.make_aware(timezone.datetime(2027, 1, 4, 9, 0))
        first = self.new_case()
        Visit.objects.create(case=first, planned_at=monday, lead=self.toezicht)
        self.page()
        with CaptureQueriesContext(connection) as before:
            self.page()
        for k in range(5):
            case = self.new_case()
            Visit.objects.create(case=case, planned_at=monday + timedelta(hours=k),
                                 lead=self.toezicht)  # fmt: skip
            self.outcome(case, "C50", timezone.now() - timedelta(days=400 * k))
        with self.assertNumQueries(len(before.captured_queries)):
            response = self.page()
        visits = [v for d in response.context["days"] for v in d["visits"]]
        self.assertEqual(len(visits), 6)


@pytest.mark.postgres
class DashboardIndexTests(ControleTestCase):
    """The two reads can use their partial indexes (migration 0004, and the
    case list's `list_children`, casework migration 0018): the planner may
    take them at all (with sequential and bitmap scans off, a
    query whose conditions do not imply an index's predicate still could not
    use it)."""

    def plan(self, queryset) -> str:
        return explain(*queryset.query.sql_with_params(), index_scans_only=True)

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL's planner")

    def test_outcomes_read_an_outcome_index(self):
        """The user's inspections with an outcome since the oldest quarter
        shown, a range of the user's own list entries (`list_outcome`,
        casework migration 0024), joined to an outcome index: each one's
        outcomes (`controle_outcome_cases`) or the range of every outcome
        since then (`controle_outcome_events`), whichever is fewer."""
        plan = self.plan(dashboard_outcomes(self.coordinator, timezone.localdate()))
        self.assertIn("Index Only Scan using list_outcome", plan)
        self.assertRegex(plan, r"Index Only Scan using controle_outcome_(events|cases)")

    def test_a_user_on_a_few_inspections_probes_their_outcomes(self):
        """Among many outcomes of others: the user's inspections with an
        outcome in the quarters shown (a range of `list_outcome`), joined by
        case to their outcomes — not all of the user's team rows of the type
        hashed against every outcome since the oldest quarter (at 1M: 2.7 ms
        for a user on 7,079 inspections and 5,940 outcomes of all users)."""
        cases = [self.new_case() for _ in range(3)]
        record_outcome(cases[0], self.coordinator, "C50", timezone.now())
        other = self.make_user("coordinator2", Role.COORDINATOR, self.gemeente)
        hidden = services.case_open(
            user=other, case_type=CaseType.CONTROLE, title="Elders"
        )
        now = timezone.now()
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=hidden, actor=other, kind=CaseEvent.Kind.STATUS,
                from_status="C35", to_status="C40" if n % 10 else "C50",
                at=now - timedelta(hours=n),
            )
            for n in range(2000)
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE casework_caseevent")
            cursor.execute("ANALYZE casework_listentry")
            # A join by probes: on tables this small the planner might hash
            # either way; which index the probe reads is the question.
            cursor.execute("SET LOCAL enable_hashjoin = off")
            cursor.execute("SET LOCAL enable_mergejoin = off")
        query = dashboard_outcomes(self.coordinator, now.date()).query
        plan = explain(*query.sql_with_params(), index_scans_only=True)
        self.assertIn("Index Only Scan using list_outcome", plan)
        self.assertIn(f"Index Cond: ((user_id = {self.coordinator.pk})", plan)
        # Then each of those cases' events, by case (the outcome index or
        # the history's own on tables this small), never the range of every
        # outcome since the oldest quarter.
        self.assertRegex(plan, r"Index Cond: \(\(?case_id = u0\.case_id\)")
        self.assertNotIn("controle_outcome_events", plan)

    def test_the_planner_counts_each_users_team_rows(self):
        """Exact estimates of a user's team rows for up to a thousand users
        (permissions migration 0009): with the default 100 most common
        values, a user outside them counts as the average of the rest (3,228
        inspections for a user on 7 at 1M), and the quarters hash every
        outcome in the system."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attstattarget FROM pg_attribute WHERE attrelid = "
                "'permissions_caseaccess'::regclass AND attname = 'user_id'"
            )
            self.assertEqual(cursor.fetchone()[0], 1000)

    def test_follow_ups_are_a_range_of_the_users_own_entries(self):
        """The user's open child entries of the case list (casework migration
        0018), never every open child case in the system."""
        plan = self.plan(follow_up_ids(self.coordinator))
        self.assertIn("Index Only Scan using list_children", plan)
        self.assertIn(f"Index Cond: (user_id = {self.coordinator.pk})", plan)
        self.assertNotIn("casework_case", plan)

    def test_the_follow_ups_rows_are_their_cases_by_primary_key(self):
        """The shown follow-ups in one statement: the cases whose ids the
        user's entries give (the range of `list_children`, with its LIMIT),
        each read by primary key with its parent — not the case table
        scanned or hashed against the entries."""
        with CaptureQueriesContext(connection) as queries:
            dashboard_follow_ups(self.coordinator)
        # (The user's membership, read once, comes before.)
        [statement] = [q["sql"] for q in queries if "casework_case" in q["sql"]]
        plan = explain(statement, index_scans_only=True)
        self.assertIn("Index Only Scan using list_children", plan)
        self.assertIn(f"Index Cond: (user_id = {self.coordinator.pk})", plan)
        self.assertIn("Limit", plan)
        self.assertIn("casework_case_pkey", plan)
        self.assertNotIn("Hash Join", plan)
        self.assertNotIn("Seq Scan", plan)

    def test_visits_and_follow_ups_probe_one_team_row_each(self):
        """The week's visits and the user's child entries are few; the
        user's inspections may be thousands (7,079 for a bench user at 1M).
        Each visit and entry probes the user's team row of its inspection
        (at 1M by the unique (user, case) key); the user's inspections are
        not read to be joined."""
        self.login(self.coordinator)
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/controle/?week=2027-W01")
        # The week's visits (`week_visits`).
        visits = [q["sql"] for q in queries.captured_queries
                  if 'FROM "controle_visit"' in q["sql"]]  # fmt: skip
        self.assertEqual(len(visits), 1)
        plans = {
            "controle_visit.case_id": explain(visits[0], index_scans_only=True),
            "casework_listentry.parent_id": self.plan(follow_up_ids(self.coordinator)),
        }
        for outer, plan in plans.items():
            with self.subTest(outer):
                # A probe per outer row: the team row's key is the outer
                # row's case, inside a subplan; nothing is hashed or joined.
                self.assertIn("SubPlan 1", plan)
                probe = plan[plan.index("SubPlan 1") :]
                self.assertIn("permissions_caseaccess", probe)
                self.assertIn(f"case_id = {outer})", probe)
                self.assertNotIn("Hash", plan)
                self.assertNotIn("Join", plan)

    def test_the_users_inspections_are_read_from_one_index_alone(self):
        """The page's inspections (the decision point's team rows of the
        user, of this case type) are a range of `caseaccess_user_type_sort`,
        which carries the data class (permissions migration 0008): a user on
        7,000 inspections at 1M read 20,000 team rows for them before."""
        visible = (
            case_access_for_user(self.coordinator)
            .filter(case_type="IC")
            .values("case_id")
        )
        sql, _params = visible.query.sql_with_params()
        self.assertIn(
            "caseaccess_user_type_sort", covering("permissions_caseaccess", sql)
        )


class OutcomeAtTests(ControleTestCase):
    """`Case.outcome_at`, the inspection's latest outcome, which the
    dashboard's quarters read from the user's list entries: moved by a status
    event into C45 or C50 to that event's time (the history's trigger,
    whoever writes the event), never back, kept by any other step, and copied
    to every team member's entry, also one who joins later (casework
    migration 0024)."""

    def test_any_writer_of_the_history_moves_it_and_never_back(self):
        case = self.new_case()
        now = timezone.now()
        record_outcome(case, self.toezicht, "C45", now)
        self.assertEqual(Case.objects.get(pk=case.pk).outcome_at, now)
        # An older outcome written later (an import, a correction) leaves
        # the latest where it is; a newer one moves it.
        record_outcome(case, self.toezicht, "C50", now - timedelta(days=30))
        self.assertEqual(Case.objects.get(pk=case.pk).outcome_at, now)
        later = now + timedelta(minutes=5)
        record_outcome(case, self.toezicht, "C50", later)
        self.assertEqual(Case.objects.get(pk=case.pk).outcome_at, later)
        # Another status, or the same code on a case of another type, is no
        # outcome of an inspection.
        record_outcome(case, self.toezicht, "C60", later + timedelta(days=1))
        other = services.case_open(
            user=self.coordinator, case_type=CaseType.LOD, title="Pand"
        )
        record_outcome(other, self.coordinator, "C50", later)
        self.assertEqual(Case.objects.get(pk=case.pk).outcome_at, later)
        self.assertIsNone(Case.objects.get(pk=other.pk).outcome_at)

    def test_the_migrations_fill_is_the_triggers_value(self):
        cases = [self.new_case() for _ in range(3)]
        now = timezone.now()
        record_outcome(cases[0], self.toezicht, "C45", now - timedelta(days=40))
        record_outcome(cases[0], self.toezicht, "C50", now)
        record_outcome(cases[1], self.toezicht, "C45", now - timedelta(days=2))
        kept = {
            c.pk: c.outcome_at
            for c in Case.objects.filter(pk__in=[c.pk for c in cases])
        }
        entries = set(ListEntry.objects.values_list("case_id", "outcome_at"))
        Case.objects.filter(pk__in=kept).update(outcome_at=None)
        self.assertEqual(
            {e for e in ListEntry.objects.values_list("outcome_at", flat=True)}, {None}
        )
        fill_outcomes()
        self.assertEqual(
            {c.pk: c.outcome_at for c in Case.objects.filter(pk__in=kept)}, kept
        )
        self.assertEqual(kept[cases[0].pk], now)
        self.assertIsNone(kept[cases[2].pk])
        self.assertEqual(
            set(ListEntry.objects.values_list("case_id", "outcome_at")), entries
        )

    def outcome_event(self, case, status):
        return CaseEvent.objects.filter(
            case=case, kind=CaseEvent.Kind.STATUS, to_status=status
        ).latest("at", "id")

    def entries(self, case):
        return set(
            ListEntry.objects.filter(case_id=case.pk).values_list(
                "user_id", "outcome_at"
            )
        )

    def test_each_outcome_moves_it_and_nothing_else_does(self):
        case = self.to_the_visit()
        self.assertIsNone(Case.objects.get(pk=case.pk).outcome_at)
        self.assertEqual({at for _user, at in self.entries(case)}, {None})

        case = self.step(case, "abort", self.toezicht)
        aborted = self.outcome_event(case, "C45").at
        self.assertEqual(Case.objects.get(pk=case.pk).outcome_at, aborted)
        members = {row.user_id for row in CaseAccess.objects.filter(case=case)}
        self.assertEqual(self.entries(case), {(pk, aborted) for pk in members})

        # Planned again and visited: the newer outcome is the case's.
        for name, user in (
            ("replan", self.coordinator), ("fix_plan", self.coordinator),
            ("hold_briefing", self.toezicht), ("start_visit", self.toezicht),
        ):  # fmt: skip
            case = self.step(case, name, user)
        self.assertEqual(Case.objects.get(pk=case.pk).outcome_at, aborted)
        case = self.step(case, "finish_visit", self.toezicht)
        done = self.outcome_event(case, "C50").at
        self.assertGreater(done, aborted)
        case = self.step(case, "decide_follow_up", self.coordinator)
        self.assertEqual(Case.objects.get(pk=case.pk).outcome_at, done)

        # A member who joins after the outcomes has it on the entry too.
        joiner = self.make_user("toezicht2", Role.TOEZICHT, self.gemeente)
        services.case_team_add(
            case=case, user=self.coordinator, member=joiner,
            team_role=CaseAccess.TeamRole.MEMBER,
        )  # fmt: skip
        everyone = {*members, joiner.pk}
        self.assertEqual(self.entries(case), {(pk, done) for pk in everyone})

        # A full save of a case read before the outcome leaves it alone.
        stale = Case.objects.get(pk=case.pk)
        stale.outcome_at = None
        stale.title = "Loods 8"
        stale.save()
        self.assertEqual(Case.objects.get(pk=case.pk).outcome_at, done)

    def test_the_dashboard_counts_the_outcomes_of_real_transitions(self):
        case = self.step(self.to_the_visit(), "abort", self.toezicht)
        self.login(self.coordinator)
        today = timezone.localdate()
        key = (today.year, (today.month - 1) // 3 + 1)
        quarters = dict(self.client.get("/controle/").context["quarters"])
        self.assertEqual(quarters, {key: {"done": 0, "aborted": 1}})
        # The case moved to a class a coordinator does not open: its outcome
        # leaves the count with it (the decision point's rule on the entry).
        Case.objects.filter(pk=case.pk).update(data_class="D5")
        self.assertEqual(self.client.get("/controle/").context["quarters"], [])
        # A controle of which the coordinator is not on the team: not counted.
        Case.objects.filter(pk=case.pk).update(data_class="D0")
        CaseAccess.objects.filter(case=case, user=self.coordinator).delete()
        self.assertEqual(self.client.get("/controle/").context["quarters"], [])
