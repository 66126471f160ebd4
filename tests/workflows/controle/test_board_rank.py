"""The selection board reads precomputed ranks (issue 16 item 7, docs/
controle.md "Selection board"): `BoardRank` per organisation, board role,
address and source equals the live count of the signals the decision point
lets that organisation and role see; a change reaches the board after commit;
the full rebuild, its command and nightly task; and the page's queries do not
grow with the number of signals."""

from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import services
from casework.models import Case, CaseLocation, Location, Signal
from permissions.models import CaseAccess, DataClass, Role
from permissions.policy import actor_for
from tests.case_types import CaseType
from tests.casework.test_signal_import import ImportTestCase, csv_bytes, row
from workflows.controle import ranks
from workflows.controle.models import (
    BOARD_WINDOW_DAYS,
    BoardRank,
    BoardScope,
    Dismissal,
    board_areas,
    board_candidates,
    board_dismiss,
    board_signals,
)

from ..test_controle import ControleTestCase

MMA = Signal.Source.MMA
REPORT = Signal.Source.BESTUURLIJKE_RAPPORTAGE
TOEZICHT = Signal.Source.TOEZICHT
# (area, source) of the board's filter, compared in every test.
FILTERS = [
    ("", ""), ("Centrum", ""), ("", MMA), ("Blerick", MMA), ("", TOEZICHT),
    ("Nergens", ""),
]  # fmt: skip


def live(user, *, area="", source=""):
    """The board as the live query counted it before the ranks (the
    aggregate over `board_signals`): (address, count, latest) in order."""
    visible = board_signals(user, source=source)
    locations = Location.objects.filter(signals__in=visible)
    if area:
        locations = locations.filter(area=area)
    rows = (
        locations.annotate(
            signal_count=Count("signals", distinct=True),
            latest=Max("signals__received_on"),
            dismissed_on=Max(
                "dismissals__dismissed_on",
                filter=Q(dismissals__organisation_id=actor_for(user).organisation_id),
            ),
        )
        .filter(Q(dismissed_on__isnull=True) | Q(latest__gt=F("dismissed_on")))
        .order_by("-signal_count", "-latest", "id")
    )
    return [(row.pk, row.signal_count, row.latest) for row in rows[:50]]


def live_areas(user):
    return sorted(
        set(
            Location.objects.filter(signals__in=board_signals(user))
            .exclude(area="")
            .values_list("area", flat=True)
        )
    )


def shown(user, **filters):
    return [
        (row.pk, row.signal_count, row.latest)
        for row in board_candidates(user, **filters)
    ]


class BoardRankTestCase(ControleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A board role in another organisation: its own scope.
        cls.politie_coordinator = cls.make_user(
            "politie_coordinator", Role.COORDINATOR, cls.politie
        )
        cls.today = timezone.localdate()
        cls.places = {
            name: Location.objects.create(
                street=name, postcode="5911 AB", house_number=number,
                city="Venlo", area=area,
            )
            for number, (name, area) in enumerate(
                [("Markt", "Centrum"), ("Loods", "Blerick"), ("Kluis", "Centrum"),
                 ("Oud", ""), ("Hoek", "Blerick"), ("Laan", "Tegelen")],
                start=1,
            )
        }  # fmt: skip
        p, g = cls.politie, cls.gemeente
        signal = cls.signal
        # Markt: three police reports shared with the gemeente, one of its own.
        signal(p, "D3", 30, ["Markt"], shared=[g])
        signal(p, "D3", 20, ["Markt"], shared=[g], source=REPORT)
        signal(p, "D3", 3, ["Markt", "Hoek"], shared=[g])
        signal(g, "D0", 12, ["Markt"], source=TOEZICHT)
        # Loods: the police's own, shared with nobody.
        signal(p, "D3", 5, ["Loods"])
        signal(p, "D3", 6, ["Loods"])
        # Kluis: fiscal (the coordinator reads D6, the jurist not) and a
        # D8 (the jurist reads it, the coordinator not).
        signal(g, "D6", 8, ["Kluis"])
        signal(g, "D6", 9, ["Kluis"])
        signal(g, "D8", 2, ["Kluis"])
        # Oud: filed, older than the window, and on its last day.
        filed = signal(g, "D0", 1, ["Oud"])
        Signal.objects.filter(pk=filed.pk).update(status=Signal.Status.FILED)
        signal(g, "D0", BOARD_WINDOW_DAYS + 1, ["Oud"])
        signal(g, "D0", BOARD_WINDOW_DAYS, ["Oud"])
        # Laan: a D2 of the police shared with the gemeente; the police's
        # partners read D2 only of their own organisation (own_only).
        signal(p, "D2", 15, ["Laan"], shared=[g])
        signal(g, "D2", 16, ["Laan"], shared=[p])

    @classmethod
    def signal(cls, organisation, data_class, days_ago, places, *, shared=(),
               source=MMA):  # fmt: skip
        counter = Signal.objects.count() + 1
        signal = Signal.objects.create(
            reference=f"SIG-T-{counter:04d}", source=source,
            received_on=timezone.localdate() - timedelta(days=days_ago),
            summary="Signaal", data_class=data_class,
            source_organisation=organisation, registered_by=cls.owner,
        )  # fmt: skip
        signal.shared_with.set(shared)
        signal.locations.set(
            [p if isinstance(p, Location) else cls.places[p] for p in places]
        )
        return signal

    def users(self):
        return [self.coordinator, self.owner, self.politie_coordinator]

    def assert_board_is_live(self, users=None):
        for user in users or self.users():
            for area, source in FILTERS:
                with self.subTest(user=user.username, area=area, source=source):
                    self.assertEqual(
                        shown(user, area=area, source=source),
                        live(user, area=area, source=source),
                    )
            with self.subTest(user=user.username, what="areas"):
                self.assertEqual(board_areas(user), live_areas(user))

    def pk(self, name):
        return self.places[name].pk


class RankEqualsLiveTests(BoardRankTestCase):
    def test_the_ranks_equal_the_live_count_for_each_organisation_and_role(self):
        self.assert_board_is_live()
        # The scopes were built on demand, one per organisation and role.
        self.assertEqual(
            set(BoardScope.objects.values_list("organisation_id", "role")),
            {(self.gemeente.pk, Role.COORDINATOR), (self.gemeente.pk, Role.JURIST),
             (self.politie.pk, Role.COORDINATOR)},
        )  # fmt: skip
        coordinator = dict((pk, n) for pk, n, _ in shown(self.coordinator))
        jurist = dict((pk, n) for pk, n, _ in shown(self.owner))
        police = dict((pk, n) for pk, n, _ in shown(self.politie_coordinator))
        self.assertEqual(coordinator[self.pk("Markt")], 4)
        self.assertEqual(
            (coordinator[self.pk("Kluis")], jurist[self.pk("Kluis")]), (2, 1)
        )
        self.assertNotIn(self.pk("Loods"), coordinator)  # not shared
        self.assertEqual(police[self.pk("Loods")], 2)
        self.assertEqual(coordinator[self.pk("Oud")], 1)  # filed, too old
        # The rows per source and every source.
        self.assertEqual(
            set(BoardRank.objects.filter(
                organisation=self.gemeente, role=Role.COORDINATOR,
                location=self.places["Markt"]).values_list("source", "signals")),
            {("", 4), (MMA, 2), (REPORT, 1), (TOEZICHT, 1)},
        )  # fmt: skip

    def test_the_sources_and_open_cases_of_the_rows_shown(self):
        row = next(
            r for r in board_candidates(self.coordinator) if r.pk == self.pk("Markt")
        )
        self.assertEqual(len(row.sources), 3)
        self.assertEqual(row.open_cases, 0)
        row = board_candidates(self.coordinator, source=MMA)[0]
        self.assertEqual(row.sources, [str(Signal.Source.MMA.label)])

    def test_open_cases_are_those_the_user_may_read(self):
        """A row's open cases: open, on the user's team, of a class the
        role reads (the decision point's rule, probed per case row)."""
        markt = self.places["Markt"]

        def at_markt(*, team=(), **kwargs):
            case = services.case_open(
                user=self.owner, case_type=CaseType.LOD, title="Markt", **kwargs
            )
            services.case_add_location(
                case=case, user=self.owner, location=markt,
                role=CaseLocation.Role.PREMISES,
            )  # fmt: skip
            for member in team:
                services.case_team_add(
                    case=case, user=self.owner, member=member,
                    team_role=CaseAccess.TeamRole.MEMBER,
                )  # fmt: skip
            return case

        at_markt(team=[self.coordinator])  # counted for both
        at_markt()  # not on the coordinator's team
        closed = at_markt(team=[self.coordinator])
        Case.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
        # A D8 case (the jurist reads the class, the coordinator not), its
        # team rows carrying the class as every writer of the class keeps it.
        d8 = at_markt(team=[self.coordinator])
        Case.objects.filter(pk=d8.pk).update(data_class=DataClass.D8)
        CaseAccess.objects.filter(case=d8).update(data_class=DataClass.D8)

        def open_cases(user) -> int:
            return next(
                r.open_cases for r in board_candidates(user) if r.pk == markt.pk
            )

        self.assertEqual(open_cases(self.coordinator), 1)
        self.assertEqual(open_cases(self.owner), 3)

    def test_own_only_classes_count_only_for_the_own_organisation(self):
        """A scope of any role counts what `Signal.objects.for_user` shows
        its members: a partner reads D2 only of its own organisation."""
        ranks.ensure_scope(self.politie.pk, Role.PARTNER)
        counted = dict(
            BoardRank.objects.filter(
                organisation=self.politie, role=Role.PARTNER, source=""
            ).values_list("location_id", "signals")
        )
        expected = dict(
            Location.objects.filter(signals__in=board_signals(self.politie_user))
            .annotate(n=Count("signals", distinct=True))
            .values_list("pk", "n")
        )
        self.assertEqual(counted, expected)
        self.assertEqual(counted[self.pk("Laan")], 1)  # its own D2, not the gemeente's

    def test_a_dismissal_hides_the_address_until_a_newer_signal(self):
        board_dismiss(user=self.coordinator, location=self.places["Markt"],
                      reason="Reguliere handhaving")  # fmt: skip
        self.assertNotIn(self.pk("Markt"), [pk for pk, *_ in shown(self.coordinator)])
        # Another organisation's board keeps it.
        self.assertIn(
            self.pk("Hoek"), [pk for pk, *_ in shown(self.politie_coordinator)]
        )
        self.assert_board_is_live()
        Dismissal.objects.update(dismissed_on=self.today - timedelta(days=2))
        self.assertNotIn(self.pk("Markt"), [pk for pk, *_ in shown(self.coordinator)])
        with self.captureOnCommitCallbacks(execute=True):
            self.signal(self.gemeente, "D0", 1, ["Markt"], source=TOEZICHT)
        self.assertIn(self.pk("Markt"), [pk for pk, *_ in shown(self.coordinator)])
        self.assert_board_is_live()

    def test_a_user_without_a_board_role_has_no_board(self):
        self.assertEqual(board_candidates(self.toezicht), [])
        self.assertEqual(board_areas(self.politie_user), [])
        self.assertFalse(BoardScope.objects.exists())


class AfterCommitTests(BoardRankTestCase):
    def setUp(self):
        self.assert_board_is_live()  # every scope built

    def counts(self, user=None):
        return {pk: n for pk, n, _ in shown(user or self.coordinator)}

    def test_a_new_signal_reaches_the_board_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            services.signal_register(
                user=self.politie_user, source=MMA, received_on=self.today,
                summary="Nieuw", data_class=DataClass.D3, legal_basis="Wpg 19",
                shared_with=[self.gemeente], parties=[],
                locations=[self.places["Loods"],
                           Location(street="Nieuw", postcode="5912 AA",
                                    house_number=1, city="Venlo", area="Venlo-Oost")],
            )  # fmt: skip
            # Not before the commit.
            self.assertNotIn(self.pk("Loods"), self.counts())
        self.assertTrue(callbacks)
        new = Location.objects.get(street="Nieuw")
        self.assertEqual(
            (self.counts()[self.pk("Loods")], self.counts()[new.pk]), (1, 1)
        )
        self.assertIn("Venlo-Oost", board_areas(self.coordinator))
        self.assert_board_is_live()

    def test_a_share_a_filing_and_an_address_link_change_the_board(self):
        police = list(
            Signal.objects.filter(locations=self.places["Loods"]).order_by("pk")
        )
        with self.captureOnCommitCallbacks(execute=True):
            police[0].shared_with.add(self.gemeente)
        self.assertEqual(self.counts()[self.pk("Loods")], 1)
        self.assert_board_is_live()
        # A share taken back, from the organisation's side.
        with self.captureOnCommitCallbacks(execute=True):
            self.gemeente.signals_received.remove(police[0])
        self.assertNotIn(self.pk("Loods"), self.counts())
        # Filed through triage.
        markt = Signal.objects.filter(locations=self.places["Markt"], source=TOEZICHT)
        with self.captureOnCommitCallbacks(execute=True):
            services.signal_file(signal=markt.get(), user=self.coordinator,
                                 reason="Geen aanknopingspunten")  # fmt: skip
        self.assertEqual(self.counts()[self.pk("Markt")], 3)
        self.assert_board_is_live()
        # An address linked, unlinked, from either side, and cleared.
        kluis = (
            Signal.objects.filter(locations=self.places["Kluis"], data_class="D6")
            .order_by("pk")
            .first()
        )
        self.assertEqual(self.counts()[self.pk("Laan")], 2)
        with self.captureOnCommitCallbacks(execute=True):
            kluis.locations.add(self.places["Laan"])
        self.assertEqual(self.counts()[self.pk("Laan")], 3)
        with self.captureOnCommitCallbacks(execute=True):
            self.places["Laan"].signals.remove(kluis)
        self.assertEqual(self.counts()[self.pk("Laan")], 2)
        with self.captureOnCommitCallbacks(execute=True):
            kluis.locations.clear()
        self.assertEqual(self.counts()[self.pk("Kluis")], 1)
        self.assert_board_is_live()

    def test_a_deleted_signal_an_older_date_and_a_new_area(self):
        with self.captureOnCommitCallbacks(execute=True):
            Signal.objects.filter(locations=self.places["Hoek"]).get().delete()
        self.assertNotIn(self.pk("Hoek"), self.counts())
        self.assertEqual(self.counts()[self.pk("Markt")], 3)
        oud = Signal.objects.get(
            locations=self.places["Oud"],
            received_on=self.today - timedelta(days=BOARD_WINDOW_DAYS),
        )
        oud.received_on = self.today - timedelta(days=BOARD_WINDOW_DAYS + 3)
        with self.captureOnCommitCallbacks(execute=True):
            oud.save()
        self.assertNotIn(self.pk("Oud"), self.counts())
        laan = self.places["Laan"]
        laan.area = "Venlo-Zuid"
        with self.captureOnCommitCallbacks(execute=True):
            laan.save()
        self.assertEqual(
            [pk for pk, *_ in shown(self.coordinator, area="Venlo-Zuid")], [laan.pk]
        )
        self.assertNotIn("Tegelen", board_areas(self.coordinator))
        self.assert_board_is_live()

    def test_one_refresh_per_transaction(self):
        with CaptureQueriesContext(connection) as queries:
            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                for days in (1, 2, 3):
                    self.signal(self.politie, "D3", days, ["Loods", "Laan"],
                                shared=[self.gemeente])  # fmt: skip
        self.assertGreaterEqual(len(callbacks), 3)
        inserts = [
            q for q in queries if "INSERT INTO" in q["sql"] and "boardrank" in q["sql"]
        ]
        self.assertEqual(len(inserts), 2)  # per source, then every source
        self.assertEqual(self.counts()[self.pk("Loods")], 3)
        self.assert_board_is_live()


class RebuildTests(BoardRankTestCase):
    def test_bulk_writes_need_the_rebuild_and_the_command_does_it(self):
        self.assert_board_is_live()
        # A queryset update bypasses the model signals: the board is stale …
        Signal.objects.filter(locations=self.places["Kluis"]).update(
            status=Signal.Status.FILED
        )
        self.assertIn(self.pk("Kluis"), [pk for pk, *_ in shown(self.coordinator)])
        # … until the rebuild.
        call_command("refresh_board", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertNotIn(self.pk("Kluis"), [pk for pk, *_ in shown(self.coordinator)])
        self.assert_board_is_live()

    def test_the_rebuild_builds_the_scopes_of_the_board_roles_members(self):
        BoardScope.objects.create(
            organisation=self.om, role=Role.JURIST, window_from=self.today,
            built_at=timezone.now(),
        )  # fmt: skip
        rebuilt = ranks.rebuild()
        self.assertEqual(
            set(BoardScope.objects.values_list("organisation_id", "role")),
            {(self.gemeente.pk, Role.COORDINATOR), (self.gemeente.pk, Role.JURIST),
             (self.politie.pk, Role.COORDINATOR)},
        )  # fmt: skip
        self.assertEqual(rebuilt.scopes, 3)
        self.assertEqual(rebuilt.rows, BoardRank.objects.count())
        with self.assertNumQueries(1):  # built: the page only checks it
            ranks.ensure_scope(self.gemeente.pk, Role.COORDINATOR)
        self.assert_board_is_live()

    def test_ranks_of_an_earlier_window_are_counted_again_on_demand(self):
        self.assert_board_is_live()
        # Yesterday's build; since then a signal left the window.
        BoardScope.objects.update(window_from=ranks.window_from() - timedelta(days=1))
        Signal.objects.filter(locations=self.places["Oud"]).update(
            received_on=self.today - timedelta(days=BOARD_WINDOW_DAYS + 1)
        )
        self.assertNotIn(self.pk("Oud"), [pk for pk, *_ in shown(self.coordinator)])
        self.assertEqual(
            BoardScope.objects.get(
                organisation=self.gemeente, role=Role.COORDINATOR
            ).window_from,
            ranks.window_from(),
        )

    def test_the_nightly_task_is_registered_and_rebuilds(self):
        from casework.registry import registry
        from workflows.controle.tasks import refresh_board

        self.assertIn(
            "workflows.controle.tasks.refresh_board",
            [t.task for t in registry.periodic],
        )
        result = refresh_board()
        self.assertEqual(result["scopes"], 3)
        self.assertEqual(result["rows"], BoardRank.objects.count())


class BoardPageQueryTests(BoardRankTestCase):
    def page_queries(self, query=""):
        self.login(self.coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"/controle/selection/{query}")
        self.assertEqual(response.status_code, 200)
        return len(queries), response

    def test_the_page_reads_the_ranks_in_a_fixed_number_of_queries(self):
        self.page_queries()  # builds the scope
        few, _ = self.page_queries()
        few_area, _ = self.page_queries("?area=Centrum&source=mma")
        # 80 more addresses with 3 signals each: more than the page shows.
        for number in range(80):
            place = Location.objects.create(
                street="Breed", postcode="5912 AB", house_number=100 + number,
                city="Venlo", area="Centrum",
            )  # fmt: skip
            for days in (1, 2, 3):
                self.signal(self.gemeente, "D0", days, [place])
        ranks.rebuild()
        many, response = self.page_queries()
        many_area, _ = self.page_queries("?area=Centrum&source=mma")
        self.assertEqual(len(response.context["candidates"]), 50)
        self.assertEqual((few, few_area), (many, many_area))
        self.assertEqual(many, 9)
        self.assert_board_is_live()


class ImportTests(ImportTestCase):
    """The CSV import registers each row through `services.signal_register`:
    the model signals count its addresses, once, after the import commits."""

    def test_an_imported_file_reaches_the_board_after_commit(self):
        self.assertEqual(board_candidates(self.coordinator), [])  # scope built
        data = csv_bytes([row("MMA-1"), row("MMA-2"), row("MMA-3", huisnummer="14")])
        _response, kept = self.preview(data)
        with CaptureQueriesContext(connection) as queries:
            with self.captureOnCommitCallbacks(execute=True):
                self.confirm(kept)
        self.assertEqual(Signal.objects.count(), 3)
        rank_inserts = [
            q for q in queries if q["sql"].startswith('INSERT INTO "controle_boardrank')
        ]
        self.assertEqual(len(rank_inserts), 2)  # one refresh for the file
        self.assertEqual(
            [(row.house_number, row.signal_count) for row in
             board_candidates(self.coordinator)],
            [(12, 2), (14, 1)],
        )  # fmt: skip
        self.assertEqual(shown(self.coordinator), live(self.coordinator))
