"""E-mail to users who opted in: new tasks for their role, deadlines due; the
text holds no case content. Django's locmem mail backend (the test runner's:
real Django mail, kept in `mail.outbox`)."""

from datetime import timedelta

from django.core import mail
from django.test import Client
from django.urls import reverse

from casework import deadlines
from notifications.models import EmailPreference
from permissions.models import DataClass
from tests.case_types import lod_intention_sent

from .base import NotificationTestCase


class TaskMailTests(NotificationTestCase):
    def opt_in(self, *users, new_tasks=True, deadlines_due=False):
        for user in users:
            EmailPreference.objects.update_or_create(
                user=user,
                defaults={"new_tasks": new_tasks, "deadlines_due": deadlines_due},
            )

    def recipients(self):
        return sorted(address for m in mail.outbox for address in m.to)

    def test_a_new_task_goes_to_the_opted_in_members_of_its_role(self):
        self.opt_in(
            self.owner, self.colleague, self.burgemeester, self.politie_user,
            self.outsider,
        )  # fmt: skip
        with self.captureOnCommitCallbacks(execute=True):
            case = self.open_case()
        # The first step ("assess") is the jurist's: the two jurists on the
        # team; not the burgemeester (another role), not the police liaison
        # (a contributor), not the jurist outside the team.
        self.assertEqual(
            self.recipients(), ["colleague@example.org", "owner@example.org"]
        )
        message = mail.outbox[0]
        self.assertIn(case.reference, message.subject)
        self.assertIn("Nieuwe taak", message.subject)
        self.assertIn(case.reference, message.body)
        self.assertIn(f"/cases/{case.reference}/", message.body)
        self.assertIn("/notifications/", message.body)
        self.assertNotIn("Kloosterstraat", message.body + message.subject)

    def test_nobody_is_mailed_without_opting_in(self):
        self.opt_in(self.colleague, new_tasks=False, deadlines_due=True)
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        self.assertEqual(mail.outbox, [])

    def test_a_user_without_an_address_is_skipped(self):
        self.opt_in(self.colleague)
        type(self.colleague).objects.filter(pk=self.colleague.pk).update(email="")
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        self.assertEqual(mail.outbox, [])

    def test_the_mail_of_a_d3_case_holds_no_title_or_content(self):
        self.opt_in(self.colleague, deadlines_due=True)
        title = "Hennepkwekerij zolder Jansen Kloosterstraat 12"
        with self.captureOnCommitCallbacks(execute=True):
            case = self.open_case(title)
            lod_intention_sent(case, self.owner)
            self.raise_class(case, DataClass.D3)
        self.assertEqual(len(mail.outbox), 2)  # "assess" and "views"
        for message in mail.outbox:
            text = message.subject + message.body
            self.assertIn(case.reference, text)
            for word in ("Hennep", "Jansen", "Kloosterstraat", "D3", "Voornemen"):
                self.assertNotIn(word, text)


class DeadlineMailTests(NotificationTestCase):
    def test_the_owner_who_asked_is_mailed_when_a_deadline_comes_due(self):
        EmailPreference.objects.create(user=self.owner, deadlines_due=True)
        EmailPreference.objects.create(user=self.colleague, deadlines_due=True)
        title = "Hennepkwekerij zolder Jansen Kloosterstraat 12"
        case = self.open_case(title)
        lod_intention_sent(case, self.owner)
        self.raise_class(case, DataClass.D3)
        deadline = case.deadlines.get()
        today = deadline.end_date - timedelta(days=1)
        with self.captureOnCommitCallbacks(execute=True):
            counts = deadlines.deadlines_sweep(today=today)
        self.assertEqual(counts["reminders"], 1)
        self.assertEqual([m.to for m in mail.outbox], [["owner@example.org"]])
        message = mail.outbox[0]
        self.assertIn("Termijn", message.subject)
        self.assertIn(case.reference, message.body)
        for word in ("Hennep", "Jansen", "Kloosterstraat", deadline.title):
            self.assertNotIn(word, message.subject + message.body)
        # The sweep again the same day: no second reminder, no second mail.
        with self.captureOnCommitCallbacks(execute=True):
            deadlines.deadlines_sweep(today=today)
        self.assertEqual(len(mail.outbox), 1)

    def test_no_mail_for_an_owner_who_no_longer_reads_the_case(self):
        EmailPreference.objects.create(user=self.owner, deadlines_due=True)
        case = self.open_case()
        lod_intention_sent(case, self.owner)
        case.access.filter(user=self.owner).delete()
        from permissions.models import CaseUserObjectPermission

        CaseUserObjectPermission.objects.filter(
            user=self.owner, content_object=case
        ).delete()
        deadline = case.deadlines.get()
        with self.captureOnCommitCallbacks(execute=True):
            deadlines.deadlines_sweep(today=deadline.end_date - timedelta(days=1))
        self.assertEqual(mail.outbox, [])


class PreferencePageTests(NotificationTestCase):
    url = reverse("notifications:preferences")

    def test_the_page_is_dutch_and_saves_the_users_own_choice(self):
        self.client.force_login(self.colleague)
        response = self.client.get(self.url)
        self.assertContains(response, "E-mailmeldingen")
        self.assertContains(response, "Nieuwe taken voor mijn rol")
        self.assertContains(response, "Termijnen die aflopen")
        response = self.client.post(self.url, {"deadlines_due": "on"}, follow=True)
        self.assertContains(response, "opgeslagen")
        pref = EmailPreference.objects.get(user=self.colleague)
        self.assertEqual((pref.new_tasks, pref.deadlines_due), (False, True))
        self.client.post(self.url, {"new_tasks": "on"})
        pref.refresh_from_db()
        self.assertEqual((pref.new_tasks, pref.deadlines_due), (True, False))
        self.assertEqual(EmailPreference.objects.count(), 1)

    def test_a_user_without_an_address_is_told(self):
        type(self.colleague).objects.filter(pk=self.colleague.pk).update(email="")
        self.client.force_login(self.colleague)
        self.assertContains(self.client.get(self.url), "geen e-mailadres")

    def test_a_post_without_the_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.colleague)
        response = client.post(self.url, {"new_tasks": "on"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(EmailPreference.objects.exists())

    def test_anonymous_users_are_sent_to_the_login(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])
        self.client.post(self.url, {"new_tasks": "on"})
        self.assertFalse(EmailPreference.objects.exists())

    def test_the_menu_links_to_the_page(self):
        self.client.force_login(self.politie_user)
        self.assertContains(self.client.get(reverse("casework:home")), self.url)
