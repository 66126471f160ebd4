"""The demo's ondermijningstafel (tafels/demo.py) as the demo users see it."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from tafels import selectors
from tafels.models import Meeting, Table


class DemoTableTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)
        cls.users = {u.username: u for u in get_user_model().objects.all()}
        cls.table = Table.objects.get(name="Ondermijningstafel Venlo")
        cls.held = cls.table.meetings.get(status=Meeting.Status.HELD)

    def agenda(self, username):
        return selectors.agenda_for(self.users[username], self.held)

    def test_a_held_meeting_and_a_planned_one(self):
        self.assertEqual(
            sorted(self.table.meetings.values_list("status", flat=True)),
            ["held", "planned"],
        )
        self.assertEqual(self.held.subjects.count(), 3)

    def test_each_demo_user_sees_its_part(self):
        seen = {
            name: [item.subject.kind for item in self.agenda(name).items]
            for name in ("coordinator", "politie", "om", "belastingdienst")
        }
        self.assertEqual(seen["coordinator"], ["person", "address", "case"])
        self.assertEqual(seen["politie"], ["person", "address", "case"])
        # The inspection has the Belastingdienst on its team (the demo's
        # controle), not the OM; neither reads the police's person (D3).
        self.assertEqual(seen["om"], ["address"])
        self.assertEqual(seen["belastingdienst"], ["address", "case"])
        belastingdienst = self.agenda("belastingdienst").items[0]
        self.assertEqual(
            [d.organisation.name for d in belastingdienst.decisions],
            ["Belastingdienst Zuid"],
        )
        self.assertEqual(self.agenda("om").items[0].decisions, [])

    def test_the_action_point_is_a_deadline_on_the_inspection(self):
        case_item = self.agenda("coordinator").items[2]
        [point] = case_item.action_points
        self.assertEqual(point.deadline.case, case_item.subject.case)
        self.assertEqual(point.deadline.owner, self.users["coordinator"])

    def test_the_pages_open_for_the_demo_users_and_not_for_the_fg(self):
        url = f"/tafels/meetings/{self.held.pk}/"
        answers = {"coordinator": 200, "politie": 200, "om": 200, "zorg": 404,
                   "fg": 404, "vergunning": 404}  # fmt: skip
        for name, status in answers.items():
            self.client.force_login(self.users[name])
            with self.subTest(user=name):
                self.assertEqual(self.client.get(url).status_code, status)
