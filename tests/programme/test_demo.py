"""The demo is the work plan "Focus op Urgentie april 2020 – april 2021"
(`/work/shared/seed`, sections 5 to 7). The expected values below are typed
from the plan by hand, not read from programme/demo.py."""

from datetime import date
from decimal import Decimal

from casework.registry import registry
from programme import selectors
from programme.models import BudgetLine, GovernanceBody, Project

from .base import ProgrammeTestCase

# Section 6, "Begroting", line by line.
PLAN_LINES = [
    ("Procesmanager Ondermijning", Decimal("33000")),
    ("P.G.A.-specialist Jeugd van VKMP", Decimal("90000")),
    ("Versterken Bibobcapaciteit", Decimal("40000")),
    ("Data-analyse", Decimal("15000")),
    ("Extra camera's Blerick", Decimal("15000")),
    ("Intensiveren controles en interventies", Decimal("50000")),
    ("Samen Creëren Q4", Decimal("20000")),
    ("Communicatie/ vergroting impact", Decimal("10000")),
    ("Uitbreiding Jonge Helden", Decimal("12500")),
    ("Integrale regie projecten en doelgroepen Blerick", Decimal("50000")),
]

# Section 5, "Projecten en inzetten": area, methods.
PLAN_PROJECTS = [
    ("Data-analyse", "Gehele gemeente", ["informatiegestuurd"]),
    ("Extra camera's Blerick", "Vastenavondkamp/Blerick", ["informatiegestuurd"]),
    ("Analyse/ criminaliteitsbeeld", "Q4", ["informatiegestuurd"]),
    ("Versterkte Bibobcapaciteit", "Gehele gemeente", ["bestuurlijk"]),
    ("Intensiveren controles en interventies", "Gehele gemeente", ["bestuurlijk"]),
    ("Last onder dwangsom", "Gehele gemeente", ["bestuurlijk"]),
    ("Integrale regie doelgroepen en projecten Blerick", "Vastenavondkamp/Blerick",
     ["systeemgericht"]),
    ("Uitbreiding Jonge Helden", "Vastenavondkamp/Blerick",
     ["systeemgericht", "sociale_herovering"]),
    ("Samen Creëren Q4", "Q4", ["samen_creeren"]),
    ("Vergroten impact", "Vastenavondkamp/Blerick",
     ["communicatie", "sociale_herovering"]),
]  # fmt: skip


class WorkPlanTests(ProgrammeTestCase):
    def test_the_demo_is_registered(self):
        self.assertIn("programme.demo.seed", [d.path for d in registry.demo])

    def test_the_programme_and_its_partners(self):
        p = self.programme
        self.assertEqual(p.name, "Focus op Urgentie april 2020 – april 2021")
        self.assertEqual(
            (p.starts_on, p.ends_on), (date(2020, 4, 1), date(2021, 3, 31))
        )
        self.assertEqual(p.organisation.name, "Gemeente Venlo")
        self.assertEqual(
            sorted(p.partners.values_list("name", flat=True)),
            ["Openbaar Ministerie Limburg", "Politie Eenheid Limburg"],
        )
        self.assertEqual(p.funding_source, "versterkingsmiddelen Ondermijningsfonds")
        self.assertEqual(p.total_budget, Decimal("335500.00"))

    def test_the_ten_budget_lines_with_their_amounts(self):
        lines = BudgetLine.objects.filter(programme=self.programme).order_by("position")
        self.assertEqual([(line.name, line.amount) for line in lines], PLAN_LINES)
        # 33.000 + 90.000 + 40.000 + 15.000 + 15.000 + 50.000 + 20.000
        # + 10.000 + 12.500 + 50.000 = 335.500
        self.assertEqual(sum(a for _, a in PLAN_LINES), Decimal("335500"))

    def test_lines_are_linked_to_the_project_they_fund(self):
        linked = dict(
            BudgetLine.objects.filter(programme=self.programme).values_list(
                "name", "project__name"
            )
        )
        self.assertIsNone(linked["Procesmanager Ondermijning"])
        self.assertIsNone(linked["P.G.A.-specialist Jeugd van VKMP"])
        self.assertEqual(
            linked["Versterken Bibobcapaciteit"], "Versterkte Bibobcapaciteit"
        )
        self.assertEqual(linked["Communicatie/ vergroting impact"], "Vergroten impact")
        self.assertEqual(
            linked["Integrale regie projecten en doelgroepen Blerick"],
            "Integrale regie doelgroepen en projecten Blerick",
        )
        self.assertEqual(sum(1 for v in linked.values() if v), 8)

    def test_the_ten_projects_with_area_and_methods(self):
        found = [
            (p.name, p.area, p.methods)
            for p in selectors.summary(
                self.users["coordinator"], self.programme
            ).projects
        ]
        self.assertEqual([(n, a, list(m)) for n, a, m in found], PLAN_PROJECTS)
        self.assertEqual(Project.objects.filter(programme=self.programme).count(), 10)

    def test_the_budget_totals_on_the_monitor(self):
        budget = selectors.summary(self.users["coordinator"], self.programme).budget
        self.assertEqual(budget.total, Decimal("335500.00"))
        self.assertEqual(budget.allocated, Decimal("335500.00"))
        self.assertEqual(budget.unallocated, Decimal("0.00"))
        # The demo's entries, summed by hand: commitments 33.000 + 90.000
        # + 12.400 + 7.500 + 20.000 = 162.900; spending 16.500 + 52.500
        # + 20.000 + 12.400 + 18.250 + 8.000 + 3.750 + 7.500 = 138.900.
        self.assertEqual(budget.committed, Decimal("162900.00"))
        self.assertEqual(budget.spent, Decimal("138900.00"))
        # Per line the larger of the two is given away: 33.000 + 90.000
        # + 20.000 + 7.500 + 12.400 + 18.250 + 20.000 + 3.750 + 7.500 + 0
        # = 212.400; free 335.500 - 212.400 = 123.100.
        self.assertEqual(budget.free, Decimal("123100.00"))
        self.assertEqual(budget.remaining, Decimal("123100.00"))
        bibob = next(x for x in budget.lines if x.name == "Versterken Bibobcapaciteit")
        self.assertEqual(
            (bibob.committed, bibob.spent, bibob.remaining),
            (Decimal("0"), Decimal("20000"), Decimal("20000")),
        )

    def test_the_goals_of_the_text(self):
        goals = {
            g.description: g
            for p in selectors.summary(
                self.users["coordinator"], self.programme
            ).projects
            for g in p.goals
        }
        sessions = goals["Sessies Jonge Helden"]
        self.assertEqual((sessions.target, sessions.unit), (Decimal("5"), "sessies"))
        self.assertEqual(sessions.progress_text, "3 van 5 sessies")
        self.assertEqual(sessions.percent, 60)
        children = goals["Kinderen die meededen (15 per sessie)"]
        self.assertEqual(children.target, Decimal("75"))  # 5 sessions × 15
        bibob = goals["Extra Bibob-capaciteit ingezet"]
        self.assertEqual(bibob.progress_text, "0,5 van 0,5 FTE")
        cameras = goals["Flexibele camera's geplaatst"]
        self.assertEqual(
            (cameras.target, cameras.measured), (Decimal("2"), Decimal("2"))
        )

    def test_the_governance_bodies_of_section_7(self):
        bodies = list(
            GovernanceBody.objects.filter(programme=self.programme).values_list(
                "kind", "area"
            )
        )
        self.assertEqual(
            bodies,
            [
                ("stuurgroep", "Vastenavondkamp"),
                ("regiegroep", "Vastenavondkamp"),
                ("kwaliteitskring", "Vastenavondkamp"),
                ("stuurgroep", "Q4"),
                ("regiegroep", "Q4"),
                ("kwaliteitskring", "Q4"),
                ("ondermijningstafel", "Gehele gemeente"),
            ],
        )

    def test_overdue_milestones_are_the_open_ones_past_their_date(self):
        s = selectors.summary(
            self.users["coordinator"], self.programme, today=date(2021, 1, 10)
        )
        self.assertEqual(
            [m.title for m in s.milestones_overdue], ["Kwaliteitskring Q4 geformeerd"]
        )
        self.assertEqual(
            [m.title for m in s.milestones_due(2021, 1)],
            ["Analyse besproken aan de ondermijningstafel", "Vijfde sessie gehouden"],
        )
        self.assertEqual(s.quarter, (2021, 1))
        self.assertEqual(
            [m.title for m in s.milestones_in_quarter],
            ["Analyse besproken aan de ondermijningstafel", "Vijfde sessie gehouden"],
        )
