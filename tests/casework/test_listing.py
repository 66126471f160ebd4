"""The case list's filters, sorts and keyset pages (issue 16 item 2;
casework/listing.py, docs/listing.md).

The cases are built by hand, each filter's answer written out as references,
and a colleague's cases that match every filter sit beside them: no filter,
sort, cursor or combination may show one of those."""

import itertools
import re
from datetime import date, datetime
from unittest import skipIf
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

import pytest

from casework import deadlines, listing, services
from casework.models import Case, CaseEvent, ListEntry, Location
from casework.selectors import COUNT_LIMIT
from permissions.decision import READ, decide
from permissions.models import CaseAccess, Role
from tests.base import BaseTestCase
from tests.factories import CaseFactory, UserFactory
from tests.indexes import covering

REFERENCE = re.compile(r'<a href="/cases/([^/"]+)/">')
TZ = ZoneInfo("Europe/Amsterdam")
NOT_APPLIED = "Filter niet toegepast"
BAD_CURSOR = "Die paginapositie is ongeldig; de eerste pagina wordt getoond."


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=TZ)


class ListingTestCase(BaseTestCase):
    """Eight cases of `viewer` (a jurist) and the same again for `stranger`,
    a jurist of the same gemeente who shares no team with the viewer."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.viewer = UserFactory(
            username="kijker", role=Role.JURIST, organisation=cls.gemeente
        )
        cls.stranger = UserFactory(
            username="vreemde", role=Role.JURIST, organisation=cls.gemeente
        )
        cls.mine = cls.build(cls.viewer)
        cls.theirs = cls.build(cls.stranger)
        # The viewer is a member (not owner) of one more case.
        cls.member_case = CaseFactory(owner=cls.stranger, opened_at=at(1))
        services.case_team_add(
            case=cls.member_case,
            user=cls.stranger,
            member=cls.viewer,
            team_role=CaseAccess.TeamRole.MEMBER,
        )

    @classmethod
    def build(cls, user) -> dict[str, Case]:
        """Cases named by what sets them apart."""
        cases = {
            "old": CaseFactory(owner=user, opened_at=at(2)),
            "assessing": CaseFactory(owner=user, assessing=True, opened_at=at(3)),
            "closed": CaseFactory(owner=user, closed=True, opened_at=at(4)),
            "controle": CaseFactory(owner=user, controle=True, opened_at=at(5)),
            "politie": CaseFactory(
                owner=user, opened_at=at(6), responsible_organisation=cls.politie
            ),
            "blerick": CaseFactory(owner=user, opened_at=at(7)),
            "due_soon": CaseFactory(owner=user, opened_at=at(8)),
            "due_later": CaseFactory(owner=user, assessing=True, opened_at=at(9)),
        }
        cls.locate(cases["blerick"], user, "5921 AB", "Blerick")
        cls.locate(cases["old"], user, "5911 AB", "Venlo-Centrum")
        for name, event in (("due_soon", date(2026, 4, 1)), ("due_later", None)):
            event = event or date(2026, 5, 1)
            deadlines.deadline_create(
                case=cases[name],
                user=user,
                title="Beslistermijn",
                legal_basis="Awb 4:13",
                event_date=event,
                length=2,
                unit="weeks",
                atw_applies=False,
            )
        Case.objects.filter(pk=cases["assessing"].pk).update(assignee=user)
        return {name: Case.objects.get(pk=case.pk) for name, case in cases.items()}

    @staticmethod
    def locate(case, user, postcode, area):
        services.case_add_location(
            case=case,
            user=user,
            location=Location(
                street="Kerkstraat",
                postcode=postcode,
                house_number=len(area),
                city="Venlo",
                area=area,
            ),
            role="premises",
        )

    def refs(self, *names) -> list[str]:
        return [self.mine[name].reference for name in names]

    def shown(self, query="", user=None):
        self.client.force_login(user or self.viewer)
        response = self.client.get(f"/cases/?{query}")
        self.assertEqual(response.status_code, 200)
        return REFERENCE.findall(response.content.decode()), response

    def assert_never_theirs(self, references):
        theirs = {case.reference for case in self.theirs.values()}
        self.assertFalse(theirs & set(references), "a case of another team")


class FilterTests(ListingTestCase):
    def test_every_case_newest_first_without_filters(self):
        shown, _response = self.shown()
        self.assertEqual(
            shown,
            [
                *self.refs(
                    "due_later",
                    "due_soon",
                    "blerick",
                    "politie",
                    "controle",
                    "closed",
                    "assessing",
                    "old",
                ),
                self.member_case.reference,
            ],
        )

    def test_each_filter_alone(self):
        politie = self.politie.pk
        cases = {
            "status=A10": ["due_later", "assessing"],
            "case_type=IC": ["controle"],
            f"organisation={politie}": ["politie"],
            "area=Blerick": ["blerick"],
            "area=Venlo-Centrum": ["old"],
            "state=closed": ["closed"],
            "due_from=2026-04-10&due_to=2026-04-20": ["due_soon"],
            "due_from=2026-05-01": ["due_later"],
            "due_to=2026-04-30": ["due_soon"],
            "assignee=me": ["assessing"],
            f"assignee={self.stranger.pk}": [],
        }
        for query, names in cases.items():
            with self.subTest(query):
                shown, response = self.shown(query)
                self.assertEqual(shown, self.refs(*names))
                self.assertNotContains(response, NOT_APPLIED)
        shown, _ = self.shown("team_role=member")
        self.assertEqual(shown, [self.member_case.reference])
        shown, _ = self.shown("state=open")
        self.assertEqual(len(shown), 8)
        self.assertNotIn(self.mine["closed"].reference, shown)
        shown, _ = self.shown("assignee=none")
        self.assertNotIn(self.mine["assessing"].reference, shown)
        self.assertEqual(len(shown), 8)

    def test_filters_combine(self):
        cases = {
            "status=A10&assignee=me": ["assessing"],
            "status=A10&due_from=2026-05-01": ["due_later"],
            "status=A10&state=closed": [],
            "case_type=LOD&area=Blerick&state=open": ["blerick"],
            f"organisation={self.politie.pk}&team_role=owner": ["politie"],
            f"organisation={self.gemeente.pk}&sort=due": ["due_soon", "due_later"],
            "area=Blerick&status=A10": [],
        }
        for query, names in cases.items():
            with self.subTest(query):
                shown, _response = self.shown(query)
                self.assertEqual(shown, self.refs(*names))

    def test_no_filter_shows_another_teams_case(self):
        politie, stranger = self.politie.pk, self.stranger.pk
        for query in (
            "",
            "status=A10",
            "state=closed",
            "area=Blerick",
            f"organisation={politie}",
            "sort=due",
            "sort=activity",
            f"assignee={stranger}",
            "due_from=2026-01-01&due_to=2026-12-31",
            f"case_type=LOD&status=A10&assignee={stranger}&sort=due",
        ):
            with self.subTest(query):
                shown, _response = self.shown(query)
                self.assert_never_theirs(shown)
        # The stranger's own list has them: the filters do find such cases.
        shown, _response = self.shown("area=Blerick", user=self.stranger)
        self.assertEqual(shown, [self.theirs["blerick"].reference])

    def test_bad_filter_values_are_named_and_ignored(self):
        for query in (
            "status=NOPE",
            "organisation=abc",
            "organisation=" + "9" * 40,
            "due_from=gisteren",
            "due_from=0001-01-01",
            "due_to=9999-12-31",
            "assignee=iedereen",
            "assignee=" + "9" * 30,
            "area=" + "x" * 200,
            "state=half",
            "sort=name",
            "due_from=%00",
        ):
            with self.subTest(query):
                shown, response = self.shown(query)
                self.assertContains(response, NOT_APPLIED)
                self.assertEqual(len(shown), 9)
        # A period that ends before it starts: its end is not applied.
        shown, response = self.shown("due_from=2026-05-01&due_to=2026-04-01")
        self.assertContains(response, NOT_APPLIED)
        self.assertEqual(shown, self.refs("due_later"))

    def test_a_known_assignee_id_of_a_hidden_case_finds_nothing(self):
        Case.objects.filter(pk=self.theirs["old"].pk).update(assignee=self.viewer)
        shown, _response = self.shown(f"assignee={self.viewer.pk}")
        self.assertEqual(shown, self.refs("assessing"))


class SortTests(ListingTestCase):
    def test_a_deadline_period_unsorted_is_soonest_first(self):
        period = "due_from=2026-01-01&due_to=2026-12-31"
        shown, _response = self.shown(period)
        self.assertEqual(shown, self.refs("due_soon", "due_later"))
        # Chosen explicitly, the opening date still rules: newest first.
        shown, _response = self.shown(period + "&sort=opened")
        self.assertEqual(shown, self.refs("due_later", "due_soon"))
        # Without a period the standard order is the opening date.
        shown, _response = self.shown("status=A10")
        self.assertEqual(shown, self.refs("due_later", "assessing"))

    def test_by_due_date_soonest_first_with_running_deadlines_only(self):
        shown, response = self.shown("sort=due")
        self.assertEqual(shown, self.refs("due_soon", "due_later"))
        self.assertContains(response, "alleen zaken met een lopende termijn")

    def test_by_last_activity(self):
        shown, _response = self.shown("sort=activity")
        # Every case's newest event is its last step: the order of creation,
        # newest first, except where later events were added.
        cases = [*self.mine.values(), Case.objects.get(pk=self.member_case.pk)]
        order = sorted(cases, key=lambda c: (c.last_activity_at, c.pk), reverse=True)
        self.assertEqual(shown, [c.reference for c in order])
        # Added to the team last: the member case's newest event.
        self.assertEqual(shown[0], self.member_case.reference)
        services.case_add_location(
            case=self.mine["old"],
            user=self.viewer,
            location=Location(
                street="Markt", postcode="5911 AA", house_number=1, city="Venlo"
            ),
            role="premises",
        )
        shown, _response = self.shown("sort=activity")
        self.assertEqual(shown[0], self.mine["old"].reference)

    def test_due_date_follows_the_deadline_service(self):
        case = self.mine["due_soon"]
        deadline = case.deadlines.get()
        self.assertEqual(case.next_due, deadline.end_date)
        deadlines.deadline_mark_met(deadline=deadline, user=self.viewer)
        case.refresh_from_db()
        self.assertIsNone(case.next_due)
        shown, _response = self.shown("sort=due")
        self.assertEqual(shown, self.refs("due_later"))
        deadlines.deadline_override(
            deadline=self.mine["due_later"].deadlines.get(),
            user=self.viewer,
            end=date(2026, 4, 2),
            reason="Afspraak met de aanvrager",
        )
        self.assertEqual(
            Case.objects.get(pk=self.mine["due_later"].pk).next_due, date(2026, 4, 2)
        )

    def test_a_stale_instance_does_not_undo_the_copies(self):
        stale = Case.objects.get(pk=self.mine["old"].pk)
        CaseEvent.objects.create(case=stale, actor=self.viewer, kind="note", note="x")
        deadlines.deadline_create(
            case=stale,
            user=self.viewer,
            title="Termijn",
            legal_basis="Awb 4:13",
            event_date=date(2026, 6, 1),
            length=1,
            unit="weeks",
            atw_applies=False,
        )
        fresh = Case.objects.get(pk=stale.pk)
        self.assertGreater(fresh.last_activity_at, stale.last_activity_at)
        stale.title = "Nieuwe titel"
        stale.save()
        after = Case.objects.get(pk=stale.pk)
        self.assertEqual(after.title, "Nieuwe titel")
        self.assertEqual(after.next_due, fresh.next_due)
        self.assertEqual(after.last_activity_at, fresh.last_activity_at)
        self.assertEqual(after.area, "Venlo-Centrum")


class KeysetTests(ListingTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Five more cases opened at the same moment: ties broken by id.
        cls.tied = [CaseFactory(owner=cls.viewer, opened_at=at(20)) for _ in range(5)]
        for case in cls.tied:
            Case.objects.filter(pk=case.pk).update(last_activity_at=at(21))

    def expected(self, sort="") -> list[int]:
        access = CaseAccess.objects.filter(user=self.viewer)
        cases = Case.objects.filter(pk__in=access.values("case_id"))
        if sort == "activity":
            return list(
                cases.order_by("-last_activity_at", "-id").values_list("id", flat=True)
            )
        return list(cases.order_by("-opened_at", "-id").values_list("id", flat=True))

    def walk(self, filters, per_page):
        """Every page forward by `next`, then back by `previous`."""
        pages, cursors = [], []
        result = listing.page(self.viewer, filters, per_page=per_page)
        while True:
            pages.append([row.reference for row in result.rows])
            cursors.append(result)
            if not result.next:
                break
            result = listing.page(
                self.viewer, filters, after=result.next, per_page=per_page
            )
        back = [pages[-1]]
        while result.previous:
            result = listing.page(
                self.viewer, filters, before=result.previous, per_page=per_page
            )
            back.append([row.reference for row in result.rows])
        return pages, back[::-1]

    def references(self, ids):
        by_id = dict(Case.objects.values_list("id", "reference"))
        return [by_id[i] for i in ids]

    def test_pages_forward_and_back_are_exact_at_every_size(self):
        for sort in ("", "activity"):
            expected = self.references(self.expected(sort))
            self.assertEqual(len(expected), 14)
            for per_page in (1, 2, 3, 4, 5, 7, 13, 14, 15):
                with self.subTest(sort=sort, per_page=per_page):
                    pages, back = self.walk({"sort": sort}, per_page)
                    self.assertEqual(sum(pages, []), expected)
                    self.assertTrue(all(len(p) == per_page for p in pages[:-1]))
                    self.assertEqual(back, pages)

    def test_with_a_case_filter_and_ties(self):
        filters = {"state": "open"}
        expected = [
            r
            for r in self.references(self.expected())
            if r != self.mine["closed"].reference
        ]
        pages, back = self.walk(filters, 2)
        self.assertEqual(sum(pages, []), expected)
        self.assertEqual(back, pages)

    def test_by_due_date_with_equal_dates(self):
        for case in self.tied:
            deadlines.deadline_create(
                case=case,
                user=self.viewer,
                title="Termijn",
                legal_basis="Awb 4:13",
                event_date=date(2026, 4, 1),
                length=2,
                unit="weeks",
                atw_applies=False,
            )
        due = Case.objects.filter(
            access__user=self.viewer, next_due__isnull=False
        ).order_by("next_due", "id")
        expected = [c.reference for c in due]
        self.assertEqual(len(expected), 7)
        pages, back = self.walk({"sort": "due"}, 2)
        self.assertEqual(sum(pages, []), expected)
        self.assertEqual(back, pages)

    def test_links_carry_the_cursor_and_the_filters(self):
        self.client.force_login(self.viewer)
        response = self.client.get("/cases/?state=open")
        next_url = response.context["next_url"]
        self.assertEqual(next_url, "")
        result = listing.page(self.viewer, {"state": "open"}, per_page=3)
        self.assertTrue(result.next.startswith("o"))
        response = self.client.get(f"/cases/?state=open&after={result.next}")
        shown = REFERENCE.findall(response.content.decode())
        expected = [
            r
            for r in self.references(self.expected())
            if r != self.mine["closed"].reference
        ]
        self.assertEqual(shown, expected[3:])
        self.assertEqual(response.context["next_url"], "")
        previous = response.context["previous_url"]
        self.assertTrue(previous.startswith("?state=open&before=o"), previous)
        response = self.client.get(f"/cases/{previous}")
        self.assertEqual(REFERENCE.findall(response.content.decode()), expected)

    def test_bad_cursors_show_the_first_page_with_a_message(self):
        first, _response = self.shown()
        for cursor in (
            "x",
            "o",
            "o12",
            "o12_",
            "d123_4",  # a cursor of another sort
            "o" + "9" * 18 + "_1",
            "o-" + "9" * 17 + "_1",
            "o1_" + "9" * 19,
            "%00",
            "o1_1%00",
            "o" + "1" * 100,
        ):
            for name in ("after", "before"):
                with self.subTest(cursor=cursor, name=name):
                    shown, response = self.shown(f"{name}={cursor}")
                    self.assertEqual(shown, first)
                    self.assertContains(response, BAD_CURSOR)
        # A due-date cursor beyond the calendar.
        shown, response = self.shown("sort=due&after=d99999999_1")
        self.assertContains(response, BAD_CURSOR)

    def test_a_cursor_at_a_hidden_case_shows_only_the_viewers_cases(self):
        hidden = self.theirs["politie"]
        cursor = listing.encode_cursor(
            listing.SORTS["opened"], hidden.opened_at, hidden.pk
        )
        shown, _response = self.shown(f"after={cursor}")
        self.assert_never_theirs(shown)
        older = Q(opened_at__lt=hidden.opened_at) | Q(
            opened_at=hidden.opened_at, pk__lt=hidden.pk
        )
        expected = [
            c.reference
            for c in Case.objects.filter(access__user=self.viewer)
            .filter(older)
            .order_by("-opened_at", "-id")
        ]
        self.assertEqual(shown, expected)


class QueryCountTests(ListingTestCase):
    def test_the_list_runs_the_same_queries_for_every_filter_and_page(self):
        """Session, user, membership; the options of organisation, area and
        assignee in one query; the bounded count and the page: six. With a
        filter on the case's columns or another sort the page reads the list
        entries and then their cases: seven. Nothing per row."""
        self.client.force_login(self.viewer)
        self.client.get("/cases/")
        result = listing.page(self.viewer, {}, per_page=2)
        filtered = listing.page(self.viewer, {"state": "open"}, per_page=2)
        expected = {
            "/cases/": 6,
            "/cases/?case_type=LOD": 6,
            f"/cases/?after={result.next}": 6,
            "/cases/?status=A10": 7,
            f"/cases/?status=A10&organisation={self.gemeente.pk}&area=Blerick"
            "&state=open&due_from=2026-01-01&due_to=2026-12-31&assignee=me"
            "&team_role=owner&case_type=LOD&sort=due": 6,  # no row: no cases read
            "/cases/?sort=activity": 7,
            f"/cases/?state=open&after={filtered.next}": 7,
        }
        for url, queries in expected.items():
            with self.subTest(url), self.assertNumQueries(queries):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_before_at_the_top_reads_the_first_page_once_more(self):
        result = listing.page(self.viewer, {}, per_page=3)
        second = listing.page(self.viewer, {}, after=result.next, per_page=3)
        with self.assertNumQueries(3):
            first = listing.page(self.viewer, {}, before=second.previous, per_page=3)
        self.assertEqual(first.rows, result.rows)
        self.assertEqual(first.previous, "")

    def test_the_count_is_bounded(self):
        total = listing.count(self.viewer, {}, limit=3)
        self.assertEqual(str(total), "3+")
        self.assertEqual(str(listing.count(self.viewer, {"state": "closed"})), "1")
        self.assertEqual(COUNT_LIMIT, 1000)


@pytest.mark.postgres
@skipIf(connection.vendor != "postgresql", "INCLUDE columns are PostgreSQL's")
class PairIndexTests(ListingTestCase):
    # One value of every filter of the case list, as the form cleans it.
    VALUES = {
        "status": "A10",
        "case_type": "LOD",
        "team_role": "owner",
        "organisation": None,  # the gemeente's id, below
        "area": "Blerick",
        "state": "open",
        "due_from": date(2026, 1, 1),
        "assignee": "me",
    }

    # The index of each filter.
    OWN = {
        "status": "list_status",
        "case_type": "list_type",
        "team_role": "list_team_role",
        "organisation": "list_organisation",
        "area": "list_area",
        "state": "list_closed",
        "due_from": "list_due",
        "assignee": "list_assignee",
    }

    @staticmethod
    def covering(count) -> list[str]:
        """The indexes of the list entries that hold every column the count
        `count()` runs reads: an index-only count."""
        with CaptureQueriesContext(connection) as captured:
            count()
        (query,) = captured.captured_queries
        return covering("casework_listentry", query["sql"])

    def test_any_two_filters_are_counted_from_one_index_alone(self):
        """Every filter's index carries the other filters' columns
        (`models.FILTERED`, migration 0019): a pair such as case type and team
        role, whose ranges are large, is counted without a heap row each."""
        values = {**self.VALUES, "organisation": self.gemeente.pk}
        pairs = list(itertools.combinations(values, 2))
        self.assertEqual(len(pairs), 28)
        for first, second in pairs:
            filters = {first: values[first], second: values[second]}
            with self.subTest(pair=(first, second)):
                found = self.covering(lambda f=filters: listing.count(self.viewer, f))
                # Each filter's index holds the other filter, but the status
                # (sixty values: its own range is short).
                expected = {
                    self.OWN[own]
                    for own, other in ((first, second), (second, first))
                    if other != "status"
                }
                self.assertTrue(expected)
                self.assertLessEqual(expected, set(found))

    def test_a_column_no_filter_index_carries_is_read_from_the_table(self):
        """The check above can fail: the open step's time is in no filter's
        index, so a count on it needs the table."""
        rows = listing.filtered(self.viewer, {"case_type": "LOD", "state": "open"})
        self.assertTrue(rows.entries)
        late = rows.rows.filter(step_at__gte=at(5))
        self.assertEqual(self.covering(lambda: late[: COUNT_LIMIT + 1].count()), [])

    def test_the_sort_by_activity_tests_every_filter_on_its_index(self):
        """Sorted by last activity, the page may be read down `list_activity`
        with the filters tested as it goes: that index carries every filter's
        column, the status too (migration 0022), so no combination reads a
        heap row per entry it passes."""
        values = {**self.VALUES, "organisation": self.gemeente.pk}
        values.pop("due_from")  # a period of deadlines sorts by its own index
        for size in (1, 2, len(values)):
            for chosen in itertools.combinations(values, size):
                filters = {k: values[k] for k in chosen} | {"sort": "activity"}
                with self.subTest(filters=chosen):
                    with CaptureQueriesContext(connection) as captured:
                        listing.page(self.viewer, filters)
                    reads = [
                        q["sql"] for q in captured.captured_queries
                        if "ORDER BY" in q["sql"]
                        and '"casework_listentry"' in q["sql"]
                    ]  # fmt: skip
                    self.assertEqual(len(reads), 1)
                    self.assertIn(
                        "list_activity", covering("casework_listentry", reads[0])
                    )


class AreaTests(ListingTestCase):
    def test_the_first_address_gives_the_area(self):
        case = self.mine["blerick"]
        self.locate(case, self.viewer, "5911 AB", "Venlo-Centrum")
        self.assertEqual(Case.objects.get(pk=case.pk).area, "Blerick")

    def test_the_area_options_are_the_areas_of_the_users_cases(self):
        self.assertEqual(
            listing.choices(self.viewer)["area"],
            [("Blerick", "Blerick"), ("Venlo-Centrum", "Venlo-Centrum")],
        )

    def test_assignee_options_are_colleagues_of_the_own_organisation(self):
        values = [value for value, _label in listing.choices(self.viewer)["assignee"]]
        self.assertEqual(values[:2], ["me", "none"])
        self.assertIn(str(self.stranger.pk), values)
        self.assertNotIn(str(self.politie_user.pk), values)
        self.assertNotIn(str(self.viewer.pk), values)


class ListEntryTests(ListingTestCase):
    """The list's index follows the team rows and the case, whoever writes
    them (database triggers, casework.listing.trigger_sql)."""

    def entries(self):
        return {
            e.access_id: (
                e.user_id,
                e.case_id,
                e.team_role,
                e.case_type,
                e.data_class,
                e.status,
                e.organisation_id,
                e.area,
                e.closed,
                e.next_due,
                e.assignee_id,
                e.opened_at,
                e.last_activity_at,
                e.step_role,
                e.step_at,
                e.parent_id,
            )
            for e in ListEntry.objects.all()
        }

    def expected(self):
        return {
            a.pk: (
                a.user_id,
                a.case_id,
                a.team_role,
                a.case_type,
                a.data_class,
                a.case.status,
                a.case.responsible_organisation_id,
                a.case.area,
                a.case.closed_at is not None,
                a.case.next_due,
                a.case.assignee_id,
                a.case.opened_at,
                a.case.last_activity_at,
                a.case.step_role,
                a.case.step_at,
                a.case.parent_id,
            )
            for a in CaseAccess.objects.select_related("case")
        }

    def test_entries_copy_the_team_rows_and_their_cases(self):
        self.assertEqual(self.entries(), self.expected())
        case = self.mine["old"]
        services.case_transition(case=case, name="start_assessment", user=self.viewer)
        Case.objects.filter(pk=case.pk).update(assignee=self.stranger)
        # A follow-up case: the entries copy its parent (the controle
        # dashboard's follow-ups, index list_children).
        Case.objects.filter(pk=case.pk).update(parent=self.mine["assessing"])
        self.assertEqual(
            set(ListEntry.objects.filter(case_id=case.pk).values_list("parent_id",
                                                                       flat=True)),
            {self.mine["assessing"].pk},
        )  # fmt: skip
        services.case_team_add(
            case=case,
            user=self.viewer,
            member=self.stranger,
            team_role=CaseAccess.TeamRole.MEMBER,
        )
        CaseAccess.objects.filter(case=case, user=self.stranger).update(
            team_role=CaseAccess.TeamRole.CONTRIBUTOR, data_class="D5"
        )
        CaseEvent.objects.create(case=case, actor=self.viewer, kind="note", note="x")
        self.assertEqual(self.entries(), self.expected())
        CaseAccess.objects.filter(case=case, user=self.stranger).delete()
        self.assertEqual(self.entries(), self.expected())
        shown, _response = self.shown("status=A10")
        self.assertIn(case.reference, shown)

    def test_a_class_change_of_the_case_moves_its_team_rows_and_entries(self):
        """The team rows copy the case's class and type (the decision point's
        rule reads the copy): whoever changes the case, the copies follow."""
        case = self.mine["old"]
        Case.objects.filter(pk=case.pk).update(data_class="D5")
        self.assertEqual(
            set(
                CaseAccess.objects.filter(case=case).values_list(
                    "data_class", flat=True
                )
            ),
            {"D5"},
        )
        self.assertEqual(self.entries(), self.expected())
        shown, _response = self.shown("state=open")
        self.assertNotIn(case.reference, shown)
        shown, _response = self.shown("")
        self.assertNotIn(case.reference, shown)

    def test_a_team_row_of_a_class_the_role_does_not_open_is_in_no_list(self):
        """The entry carries the team row's data class, and the list asks the
        decision point's rule of it: a jurist on the team of a D5 case (a
        class a jurist does not open) finds it under no filter or sort, and
        finds it again when the row's class is one the role opens."""
        case = self.mine["old"]
        original = case.data_class
        Case.objects.filter(pk=case.pk).update(data_class="D5")
        self.assertFalse(decide(self.viewer, READ, Case.objects.get(pk=case.pk)))
        queries = ("", "status=A00", "state=open", "sort=activity",
                   "area=Venlo-Centrum", "case_type=LOD", "case_type=LOD&state=open",
                   "team_role=owner")  # fmt: skip
        for query in queries:
            with self.subTest(query=query):
                shown, _response = self.shown(query)
                self.assertNotIn(case.reference, shown)
        Case.objects.filter(pk=case.pk).update(data_class=original)
        self.assertTrue(decide(self.viewer, READ, Case.objects.get(pk=case.pk)))
        for query in queries:
            with self.subTest(query=query, again=True):
                shown, _response = self.shown(query)
                self.assertIn(case.reference, shown)

    def test_the_open_step_follows_the_flow(self):
        """`Case.step`, `step_role` and `step_at` are the open task's phase,
        its role and its creation time after opening and after every
        transition, cleared when the flow ends, and the entries copy them
        (Mijn werk's groups)."""
        from casework.flows import current_task

        case = services.case_open(user=self.viewer, case_type="LOD", title="Stap")
        for name in ("start_assessment", "close_without_action"):
            case = Case.objects.get(pk=case.pk)
            current = current_task(case)
            self.assertEqual(
                (case.step, case.step_role, case.step_at),
                (current["phase"].name, current["phase"].role,
                 current["task"].created),
            )  # fmt: skip
            self.assertEqual((case.step, case.step_role), ("assess", "jurist"))
            self.assertEqual(self.entries(), self.expected())
            services.case_transition(
                case=case, name=name, user=self.viewer, note="Geen grond."
            )
        case = Case.objects.get(pk=case.pk)
        self.assertEqual(case.status, "A99")
        self.assertIsNone(current_task(case))
        self.assertEqual((case.step, case.step_role, case.step_at), ("", "", None))
        self.assertEqual(self.entries(), self.expected())
