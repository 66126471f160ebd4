"""The facts against counts worked out by hand from the rows each test
writes: months in Amsterdam time, areas, data classes, each kind of count;
a refresh that is idempotent and a partial one that leaves older months."""

from datetime import date
from io import StringIO

from django.core.management import call_command

from casework.models import CaseEvent
from steering import facts
from steering.models import Fact
from workflows.legal_protection.machine import LegalProtection

from .base import SteeringTestCase, local


def figures(**filters) -> dict:
    """(indicator, family, month, area, data class) → value."""
    return {
        (f.indicator, f.family, f.month, f.area, f.data_class): f.value
        for f in Fact.objects.filter(**filters)
    }


class StatusEventTests(SteeringTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        noord = cls.case("LOD", area="Venlo-Noord")
        zuid = cls.case("LOD", area="Blerick")
        other = cls.case("LOD", area="Blerick")
        # 31 March 23:30 in Amsterdam is 21:30 UTC: March, Q1.
        cls.event(noord, "A40", local(2026, 3, 31, 23, 30))
        # 1 April 00:30 in Amsterdam is still 31 March in UTC (22:30): April.
        cls.event(zuid, "A40", local(2026, 4, 1, 0, 30))
        cls.event(other, "A40", local(2026, 4, 15))
        cls.event(other, "A70", local(2026, 5, 2))
        # Not counted: an event into a status no indicator names, a note
        # whose to_status happens to be A40, an event of another type.
        cls.event(noord, "A45", local(2026, 4, 2))
        cls.event(noord, "A40", local(2026, 4, 2), kind=CaseEvent.Kind.NOTE)
        bibob = cls.case("BIB", area="Blerick", data_class="D5", status="B00")
        cls.event(bibob, "B72", local(2026, 4, 3))
        cls.event(bibob, "A40", local(2026, 4, 3))  # not a Bibob status
        facts.refresh()

    def test_each_event_is_counted_in_its_local_month_area_and_class(self):
        self.assertEqual(
            figures(family="LOD", indicator__startswith="LOD."),
            {
                ("LOD.imposed", "LOD", date(2026, 3, 1), "Venlo-Noord", "D0"): 1,
                ("LOD.imposed", "LOD", date(2026, 4, 1), "Blerick", "D0"): 2,
                ("LOD.forfeited", "LOD", date(2026, 5, 1), "Blerick", "D0"): 1,
            },
        )

    def test_a_case_type_counts_only_its_own_statuses(self):
        self.assertEqual(
            figures(family="BIB"),
            {("BIB.refused", "BIB", date(2026, 4, 1), "Blerick", "D5"): 1},
        )

    def test_the_refresh_is_recorded(self):
        self.assertIsNotNone(facts.refreshed_at())
        self.assertEqual(facts.last_refresh().full_at, facts.refreshed_at())


class KernelCountTests(SteeringTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.signal("mma", date(2026, 2, 3), areas=["Blerick", "Venlo-Noord"])
        cls.signal("mma", date(2026, 2, 28), areas=["Blerick"], status="converted")
        cls.signal("burger", date(2026, 3, 1), status="filed")
        cls.signal("mma", date(2026, 3, 31), areas=["Tegelen"], data_class="D3")
        lod = cls.case("LOD", area="Tegelen")
        controle = cls.case("IC", area="Tegelen", status="C00")
        for outcome, day in (("upheld", 10), ("partly_upheld", 11), ("dismissed", 12)):
            LegalProtection.objects.create(
                case=lod,
                decision_title="Besluit last onder dwangsom",
                decided_on=date(2026, 1, 5),
                status="R30",
                outcome=outcome,
                objection_outcome=outcome,
                objection_decided_on=date(2026, 3, day),
            )
        # A court ruling: R40 → R90 in April, the protection records it.
        LegalProtection.objects.create(
            case=controle,
            decision_title="Besluit",
            decided_on=date(2026, 1, 5),
            status="R90",
            outcome="inadmissible",
            objection_outcome="dismissed",
            objection_decided_on=date(2026, 2, 20),
        )
        cls.event(
            controle, "R90", local(2026, 4, 9), kind=CaseEvent.Kind.NOTE, source="R40"
        )
        # Terms: met in time (March), met late (April), missed (end in May),
        # a party's period that lapsed (not counted), an open one.
        cls.deadline(lod, end=date(2026, 3, 20), state="met", met_on=date(2026, 3, 19))
        cls.deadline(lod, end=date(2026, 3, 20), state="met", met_on=date(2026, 4, 2))
        cls.deadline(lod, end=date(2026, 5, 31), state="missed")
        cls.deadline(lod, end=date(2026, 5, 31), state="lapsed", obligation="party")
        cls.deadline(lod, end=date(2026, 6, 30), state="open")
        facts.refresh()

    def test_signals_in_by_source_in_the_area_of_their_first_location(self):
        self.assertEqual(
            figures(family="SIG", indicator__startswith="SIG.in."),
            {
                ("SIG.in.mma", "SIG", date(2026, 2, 1), "Blerick", "D0"): 2,
                ("SIG.in.burger", "SIG", date(2026, 3, 1), "", "D0"): 1,
                ("SIG.in.mma", "SIG", date(2026, 3, 1), "Tegelen", "D3"): 1,
            },
        )

    def test_handled_signals_in_the_month_they_came_in(self):
        self.assertEqual(
            figures(indicator__in=["SIG.converted", "SIG.filed"]),
            {
                ("SIG.converted", "SIG", date(2026, 2, 1), "Blerick", "D0"): 1,
                ("SIG.filed", "SIG", date(2026, 3, 1), "", "D0"): 1,
            },
        )

    def test_objections_and_appeals_in_the_family_of_their_case(self):
        self.assertEqual(
            figures(indicator__startswith="objection."),
            {
                ("objection.upheld", "LOD", date(2026, 3, 1), "Tegelen", "D0"): 2,
                ("objection.rejected", "LOD", date(2026, 3, 1), "Tegelen", "D0"): 1,
                ("objection.rejected", "IC", date(2026, 2, 1), "Tegelen", "D0"): 1,
            },
        )
        self.assertEqual(
            figures(indicator__startswith="appeal."),
            {("appeal.rejected", "IC", date(2026, 4, 1), "Tegelen", "D0"): 1},
        )

    def test_terms_met_and_exceeded_are_the_municipalitys_own(self):
        self.assertEqual(
            figures(indicator__startswith="term."),
            {
                ("term.met", "LOD", date(2026, 3, 1), "Tegelen", "D0"): 1,
                ("term.exceeded", "LOD", date(2026, 4, 1), "Tegelen", "D0"): 1,
                ("term.exceeded", "LOD", date(2026, 5, 1), "Tegelen", "D0"): 1,
            },
        )


class RefreshTests(SteeringTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lod = cls.case("LOD", area="Blerick")
        cls.event(cls.lod, "A40", local(2026, 1, 10))
        cls.event(cls.lod, "A40", local(2026, 3, 10))

    def test_a_refresh_is_idempotent(self):
        facts.refresh()
        first = figures()
        facts.refresh()
        self.assertEqual(figures(), first)
        self.assertEqual(sum(first.values()), 2)

    def test_a_partial_refresh_leaves_older_months_alone(self):
        facts.refresh()
        # Written after the refresh: one in January (older), one in March.
        self.event(self.lod, "A40", local(2026, 1, 20))
        self.event(self.lod, "A40", local(2026, 3, 20))
        facts.refresh_recent(today=date(2026, 3, 25))  # February and March
        self.assertEqual(
            figures(),
            {
                ("LOD.imposed", "LOD", date(2026, 1, 1), "Blerick", "D0"): 1,
                ("LOD.imposed", "LOD", date(2026, 3, 1), "Blerick", "D0"): 2,
            },
        )
        self.assertEqual(facts.last_refresh().since, date(2026, 2, 1))
        facts.refresh()
        self.assertEqual(
            figures()[("LOD.imposed", "LOD", date(2026, 1, 1), "Blerick", "D0")], 2
        )

    def test_the_command_refreshes(self):
        out = StringIO()
        call_command("refresh_figures", "--full", stdout=out)
        self.assertIn("2 facts written", out.getvalue())
        call_command("refresh_figures", "--since", "2026-03", stdout=out)
        self.assertEqual(sum(figures().values()), 2)

    def test_the_celery_tasks_are_registered_and_scheduled(self):
        from casework.celery import app

        app.loader.import_default_modules()
        app.finalize()
        schedule = app.conf.beat_schedule
        self.assertEqual(
            schedule["steering-refresh-recent"]["task"],
            "steering.tasks.refresh_recent",
        )
        self.assertEqual(
            schedule["steering-refresh-full"]["task"], "steering.tasks.refresh_full"
        )
        self.assertIn("steering.tasks.refresh_recent", app.tasks)
        self.assertIn("steering.tasks.refresh_full", app.tasks)
        self.assertEqual(app.tasks["steering.tasks.refresh_full"].run(), 2)

    def test_the_demo_refreshes_after_every_other_package(self):
        from casework.registry import registry

        self.assertEqual(registry.demo[-1].path, "steering.demo.seed")


class DeclarationTests(SteeringTestCase):
    def test_every_status_indicator_names_statuses_of_its_case_type(self):
        from casework.registry import STATUS_EVENTS, registry

        for indicator in registry.indicators:
            if indicator.counter != STATUS_EVENTS:
                continue
            with self.subTest(indicator.code):
                known = set(registry.case_type(indicator.family).proxy.Status.values)
                self.assertLessEqual(set(indicator.statuses), known)

    def test_every_counter_is_known_and_every_case_type_has_a_family(self):
        from casework.registry import registry

        self.assertLessEqual(
            {i.counter for i in registry.indicators}, set(facts.COUNTERS)
        )
        self.assertLessEqual(set(registry.case_types), set(registry.families))
        self.assertEqual(facts.families_in_order()[0], "SIG")
