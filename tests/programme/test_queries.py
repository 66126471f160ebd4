"""The programme and project pages cost a fixed number of queries: more
entries, readings, milestones, goals or projects add rows, not queries."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme import services
from programme.models import BudgetEntry, Goal, GoalMeasurement, Milestone, Project

from .base import ProgrammeTestCase

# The session, the user and its membership, the programme with its partners,
# projects, methods, goals with their newest reading, milestones, the budget
# lines with their sums, the governance bodies, the menu.
BOUND = 16


class PageQueryTests(ProgrammeTestCase):
    def count(self, username, url) -> int:
        self.client.force_login(self.users[username])
        self.client.get(url)  # warm the caches that are per process
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def grow(self):
        """Many more rows of every kind the pages show."""
        coordinator = self.users["coordinator"]
        project = Project.objects.get(name="Uitbreiding Jonge Helden")
        goal = Goal.objects.get(description="Sessies Jonge Helden")
        for i in range(5):
            extra = services.project_create(
                programme=self.programme, name=f"Extra project {i}", area="Tegelen",
                methods=["informatiegestuurd", "communicatie"], owner=coordinator,
                position=20 + i,
            )  # fmt: skip
            g = services.goal_create(
                project=extra, description="Doel", unit="stuks",
                target_value=Decimal("3"), target_date=date(2021, 3, 31),
            )  # fmt: skip
            GoalMeasurement.objects.create(
                goal=g, measured_on=date(2020, 6, 1), value=1, recorded_by=coordinator
            )
            Milestone.objects.create(project=extra, title="M", due_on=date(2020, 9, 1))
        GoalMeasurement.objects.bulk_create(
            GoalMeasurement(goal=goal, measured_on=date(2020, 5, 1) + timedelta(days=i),
                            value=1, recorded_by=coordinator)
            for i in range(200)
        )  # fmt: skip
        Milestone.objects.bulk_create(
            Milestone(project=project, title=f"M{i}", due_on=date(2020, 6, 1))
            for i in range(50)
        )
        lines = list(self.programme.budget_lines.all())
        BudgetEntry.objects.bulk_create(
            BudgetEntry(line=lines[i % 10], kind="commitment", amount=Decimal("0.01"),
                        booked_on=date(2020, 6, 1), description="x",
                        recorded_by=coordinator)
            for i in range(500)
        )  # fmt: skip

    def test_the_programme_page_is_bounded_and_does_not_grow(self):
        url = reverse("programme:programme_detail", args=[self.programme.pk])
        before = {name: self.count(name, url) for name in ("coordinator", "politie")}
        self.assertLessEqual(before["coordinator"], BOUND)
        self.assertLessEqual(before["politie"], before["coordinator"])
        self.grow()
        after = {name: self.count(name, url) for name in ("coordinator", "politie")}
        self.assertEqual(after, before)

    def test_the_project_page_is_bounded_and_does_not_grow(self):
        project = Project.objects.get(name="Uitbreiding Jonge Helden")
        url = reverse("programme:project_detail", args=[project.pk])
        before = self.count("coordinator", url)
        self.assertLessEqual(before, BOUND)
        self.grow()
        self.assertEqual(self.count("coordinator", url), before)

    def test_the_list_is_bounded(self):
        url = reverse("programme:programme_list")
        before = self.count("coordinator", url)
        self.assertLessEqual(before, 8)
        for i in range(10):
            services.programme_create(
                name=f"Programma {i}",
                starts_on=date(2022, 1, 1),
                ends_on=date(2022, 12, 31),
                organisation=self.orgs["Gemeente Venlo"],
                total_budget=Decimal("10"),
                partners=[self.orgs["Politie Eenheid Limburg"]],
            )
        self.assertEqual(self.count("coordinator", url), before)
