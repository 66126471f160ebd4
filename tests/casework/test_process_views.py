"""The case page's process section, the process picture, the task inbox on
Mijn werk, and the outcome-only page of partners (issue 4, items 2, 6, 7)."""

from casework import services
from tests.base import BaseTestCase

SECRET_NOTE = "Afweging: evenredigheid twijfelachtig, zie jurisprudentie."


class ProcessPictureTests(BaseTestCase):
    def url(self):
        return f"/cases/{self.case.reference}/process.svg"

    def test_who_sees_the_picture(self):
        expected = {
            self.owner: 200,
            self.colleague: 200,
            self.burgemeester: 200,
            self.politie_user: 404,  # partner: outcome only
            self.belastingdienst_user: 404,  # not on the team
            self.outsider: 404,
            self.fg: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get(self.url())
                self.assertEqual(response.status_code, status)
                if status == 200:
                    self.assertEqual(response["Content-Type"], "image/svg+xml")
                    self.assertIn(b'<g id="assess"', response.content)

    def test_login_required(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 302)


class CasePageTaskTests(BaseTestCase):
    def test_the_case_page_names_the_current_task_and_its_role(self):
        self.login(self.owner)
        response = self.client.get(self.case.get_absolute_url())
        task = response.context["current_task"]
        self.assertEqual(task["phase"].name, "assess")
        self.assertContains(response, str(task["phase"].label))
        self.assertContains(response, f"/cases/{self.case.reference}/process.svg")

    def test_my_work_lists_the_task_for_the_role_that_takes_it(self):
        services.case_transition(
            case=self.case, name="start_assessment", user=self.owner
        )
        services.case_transition(case=self.case, name="send_intention", user=self.owner)
        services.case_transition(
            case=self.case, name="views_term_expired", user=self.owner
        )
        self.login(self.burgemeester)
        response = self.client.get("/")
        self.assertEqual(
            [t["reference"] for t in response.context["tasks"]], [self.case.reference]
        )
        self.assertContains(response, f'href="/cases/{self.case.reference}/"')
        self.login(self.owner)
        self.assertEqual(self.client.get("/").context["tasks"], [])

    def test_my_work_lists_no_task_of_a_case_the_role_may_no_longer_open(self):
        """The inbox asks the decision point's rule for reading a case (its
        SQL form), not only the team table: a jurist left on the team of a
        case whose class became D5 (Bibob, which the jurist's role does not
        read) no longer sees its task."""
        from casework.models import Case
        from permissions.models import DataClass

        self.login(self.owner)
        self.assertEqual(
            [t["reference"] for t in self.client.get("/").context["tasks"]],
            [self.case.reference],
        )
        Case.objects.filter(pk=self.case.pk).update(data_class=DataClass.D5)
        self.assertEqual(self.client.get("/").context["tasks"], [])


class PartnerOutcomePageTests(BaseTestCase):
    def setUp(self):
        services.case_transition(
            case=self.case, name="start_assessment", user=self.owner, note=SECRET_NOTE
        )

    def test_the_partner_sees_the_status_but_not_the_deliberation(self):
        self.login(self.politie_user)
        response = self.client.get(self.case.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "casework/case_outcome.html")
        self.assertContains(response, self.case.reference)
        self.assertContains(response, "A10")
        self.assertNotContains(response, SECRET_NOTE)
        self.assertNotIn("timeline", response.context)
        self.assertNotIn("transitions", response.context)

    def test_the_team_sees_the_deliberation(self):
        self.login(self.colleague)
        response = self.client.get(self.case.get_absolute_url())
        self.assertTemplateUsed(response, "casework/case_detail.html")
        self.assertContains(response, SECRET_NOTE)
