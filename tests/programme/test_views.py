"""The monitor's pages as every kind of user: the owner's editors (mayor,
coordinator), a reader of the owner (jurist), the partners that take part
(police, OM: no budget), a partner that does not (Belastingdienst), a
private organisation, roles outside the steering figures (inspector, FG,
administrator), and another municipality: 404 for all who may not read."""

from datetime import date
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from casework.idempotency import new_token
from programme.models import BudgetEntry, GoalMeasurement, Milestone, Project

from .base import ProgrammeTestCase

EDITORS = ("burgemeester", "coordinator")
OWN_READERS = ("jurist", "bibob", "casusregisseur")
PARTNERS = ("politie", "om")
OUTSIDERS = (
    "belastingdienst", "zorg", "toezicht", "invordering", "vergunning", "fg",
    "beheerder",
)  # fmt: skip


class PageAccessTests(ProgrammeTestCase):
    def setUp(self):
        self.project = Project.objects.get(name="Uitbreiding Jonge Helden")
        self.urls = {
            "programme": reverse(
                "programme:programme_detail", args=[self.programme.pk]
            ),
            "project": reverse("programme:project_detail", args=[self.project.pk]),
        }

    def get(self, username, url):
        self.client.force_login(self.users.get(username) or self.roermond_coordinator)
        return self.client.get(url)

    def test_the_owner_reads_everything_with_the_budget(self):
        for name in EDITORS + OWN_READERS:
            with self.subTest(name):
                page = self.get(name, self.urls["programme"])
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "€ 335.500,00")
                self.assertContains(page, "Begroting")
                self.assertContains(page, "3 van 5 sessies")
                self.assertContains(page, "versterkingsmiddelen Ondermijningsfonds")
                project = self.get(name, self.urls["project"])
                self.assertContains(project, "€ 12.500,00")

    def test_only_the_editors_get_the_forms(self):
        for name in EDITORS:
            with self.subTest(name):
                self.assertContains(
                    self.get(name, self.urls["programme"]), 'name="amount"'
                )
                project = self.get(name, self.urls["project"])
                self.assertContains(project, 'name="measured_on"')
                self.assertContains(project, 'name="done_on"')
        for name in OWN_READERS + PARTNERS:
            with self.subTest(name):
                self.assertNotContains(
                    self.get(name, self.urls["programme"]), 'name="amount"'
                )
                self.assertNotContains(
                    self.get(name, self.urls["project"]), 'name="action"'
                )

    def test_partners_read_projects_goals_and_milestones_not_money(self):
        for name in PARTNERS:
            with self.subTest(name):
                page = self.get(name, self.urls["programme"])
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "Uitbreiding Jonge Helden")
                self.assertContains(page, "3 van 5 sessies")
                self.assertContains(page, "Kwaliteitskring Q4 geformeerd")
                self.assertNotContains(page, "€")
                self.assertNotContains(page, "Begroting")
                self.assertNotContains(page, "Ondermijningsfonds")
                project = self.get(name, self.urls["project"])
                self.assertEqual(project.status_code, 200)
                self.assertNotContains(project, "€")
                listing = self.get(name, reverse("programme:programme_list"))
                self.assertContains(listing, self.programme.name)
                self.assertNotContains(listing, "€")

    def test_everyone_else_gets_404(self):
        for name in OUTSIDERS + ("roermond",):
            with self.subTest(name):
                for url in self.urls.values():
                    self.assertEqual(self.get(name, url).status_code, 404)
                listing = self.get(name, reverse("programme:programme_list"))
                if name in ("roermond", "belastingdienst"):
                    # Steering viewers whose organisation takes no part.
                    self.assertNotContains(listing, self.programme.name)
                else:
                    self.assertEqual(listing.status_code, 404)

    def test_another_organisations_programme_is_404(self):
        url = reverse("programme:programme_detail", args=[self.other.pk])
        for name in EDITORS + OWN_READERS + PARTNERS:
            with self.subTest(name):
                self.assertEqual(self.get(name, url).status_code, 404)
        self.assertEqual(self.get("roermond", url).status_code, 200)

    def test_a_missing_programme_is_the_same_404(self):
        missing = reverse("programme:programme_detail", args=[999999])
        self.assertEqual(self.get("coordinator", missing).status_code, 404)
        missing = reverse("programme:project_detail", args=[999999])
        self.assertEqual(self.get("coordinator", missing).status_code, 404)


class BudgetEntryFormTests(ProgrammeTestCase):
    def setUp(self):
        self.url = reverse("programme:programme_detail", args=[self.programme.pk])
        self.helden = self.line("Uitbreiding Jonge Helden")

    def post(self, username, **data):
        self.client.force_login(self.users[username])
        body = {
            "form_token": new_token(),
            "line": self.helden.pk,
            "kind": "spending",
            "amount": "1.250,50",
            "booked_on": "2021-02-01",
            "description": "Vierde sessie",
        }
        body.update(data)
        return self.client.post(self.url, body)

    def test_the_coordinator_records_and_sees_the_remainder_change(self):
        before = self.client
        before.force_login(self.users["coordinator"])
        self.assertContains(before.get(self.url), "€ 5.000,00")  # 12.500 - 7.500
        response = self.post("coordinator")
        self.assertRedirects(
            response, self.url + "#budget", fetch_redirect_response=False
        )
        entry = BudgetEntry.objects.get(description="Vierde sessie")
        self.assertEqual(entry.amount, Decimal("1250.50"))
        self.assertEqual(entry.recorded_by, self.users["coordinator"])
        page = self.client.get(self.url)
        # 12.500 - (7.500 + 1.250,50) = 3.749,50; programme free 123.100 - 1.250,50
        self.assertContains(page, "€ 3.749,50")
        self.assertContains(page, "€ 121.849,50")

    def test_a_double_click_records_once(self):
        token = new_token()
        self.post("coordinator", form_token=token)
        self.post("coordinator", form_token=token)
        self.assertEqual(
            BudgetEntry.objects.filter(description="Vierde sessie").count(), 1
        )

    def test_a_refusal_re_renders_the_filled_form_with_the_rule(self):
        response = self.post("coordinator", amount="6000")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "programma: niet meer dan de begrotingsregel")
        self.assertContains(response, "nog € 5.000,00 beschikbaar")
        self.assertContains(response, 'value="6000"')
        self.assertContains(response, 'value="Vierde sessie"')
        self.assertFalse(
            BudgetEntry.objects.filter(description="Vierde sessie").exists()
        )

    def test_bad_input_is_answered_in_dutch(self):
        response = self.post("coordinator", amount="2.500")
        self.assertContains(response, "zonder duizendtalpunt")
        response = self.post("coordinator", amount="veel", booked_on="2020-03-01")
        self.assertContains(response, "Geef een getal")
        response = self.post("coordinator", amount="10", booked_on="2020-03-01")
        self.assertContains(response, "buiten de looptijd van het programma")
        self.assertFalse(
            BudgetEntry.objects.filter(description="Vierde sessie").exists()
        )

    def test_a_line_of_another_programme_is_not_offered(self):
        from programme import services

        alien = services.budget_line_create(
            programme=self.other, name="Roermond", amount=Decimal("100")
        )
        response = self.post("coordinator", line=alien.pk)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(alien.entries.exists())

    def test_readers_and_outsiders_post_404_and_nothing_changes(self):
        for name in ("jurist", "politie", "om", "toezicht", "fg", "beheerder"):
            with self.subTest(name):
                self.assertEqual(self.post(name).status_code, 404)
        self.assertFalse(
            BudgetEntry.objects.filter(description="Vierde sessie").exists()
        )

    def test_a_post_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.users["coordinator"])
        response = client.post(
            self.url,
            {"form_token": new_token(), "line": self.helden.pk, "kind": "spending",
             "amount": "10", "booked_on": "2021-02-01", "description": "Vierde sessie"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 403)
        self.assertFalse(
            BudgetEntry.objects.filter(description="Vierde sessie").exists()
        )


class ProjectFormTests(ProgrammeTestCase):
    def setUp(self):
        self.project = Project.objects.get(name="Uitbreiding Jonge Helden")
        self.url = reverse("programme:project_detail", args=[self.project.pk])
        self.goal = self.project.goals.get(description="Sessies Jonge Helden")
        self.milestone = self.project.milestones.get()

    def post(self, username, **data):
        self.client.force_login(self.users[username])
        return self.client.post(self.url, {"form_token": new_token(), **data})

    def measurement(self, username, **data):
        body = {
            "action": "measurement",
            "goal": self.goal.pk,
            "measured_on": "2021-02-20",
            "value": "4",
            "note": "Vierde sessie",
        }
        body.update(data)
        return self.post(username, **body)

    def test_a_measurement_moves_the_progress(self):
        response = self.measurement("burgemeester")
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.assertContains(self.client.get(self.url), "4 van 5 sessies")

    def test_a_measurement_before_the_start_is_refused_on_the_page(self):
        response = self.measurement("coordinator", measured_on="2020-01-01")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "programma: meting niet voor de start")
        self.assertContains(response, 'value="2020-01-01"')
        self.assertFalse(GoalMeasurement.objects.filter(note="Vierde sessie").exists())

    def test_a_milestone_marked_done(self):
        response = self.post(
            "coordinator", action="milestone", milestone=self.milestone.pk,
            done_on=self.today.isoformat(),
        )  # fmt: skip
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        self.milestone.refresh_from_db()
        self.assertEqual(self.milestone.done_on, self.today)

    def test_a_milestone_done_tomorrow_is_refused(self):
        tomorrow = date.fromordinal(self.today.toordinal() + 1)
        response = self.post(
            "coordinator", action="milestone", milestone=self.milestone.pk,
            done_on=tomorrow.isoformat(),
        )  # fmt: skip
        self.assertContains(response, "programma: mijlpaal niet in de toekomst gereed")
        self.assertIsNone(Milestone.objects.get(pk=self.milestone.pk).done_on)

    def test_an_unknown_action_is_404(self):
        self.assertEqual(self.post("coordinator", action="delete").status_code, 404)

    def test_readers_post_404(self):
        for name in ("jurist", "politie", "om", "toezicht", "fg"):
            with self.subTest(name):
                self.assertEqual(self.measurement(name).status_code, 404)
        self.assertFalse(GoalMeasurement.objects.filter(note="Vierde sessie").exists())

    def test_the_partner_sees_goals_and_milestones_without_money(self):
        self.client.force_login(self.users["om"])
        page = self.client.get(self.url)
        self.assertContains(page, "3 van 5 sessies")
        self.assertContains(page, "Vijfde sessie gehouden")
        self.assertNotContains(page, "€")
        self.assertNotContains(page, "Boekingen")
