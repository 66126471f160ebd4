"""The beheerder's webhooks and delivery log in the admin: the secret shown
once, the log read-only; nobody else gets in."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from notifications import demo
from notifications.models import Delivery, Message, Webhook
from permissions.models import Role

from .base import NotificationTestCase


class AdminTests(NotificationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.beheerder = cls.user("beheerder", Role.BEHEERDER, cls.gemeente)
        cls.beheerder.is_staff = True
        cls.beheerder.save()
        cls.beheerder.user_permissions.set(
            Permission.objects.filter(codename__in=demo.ADMIN)
        )

    def add(self, **extra):
        data = {
            "organisation": self.politie.pk,
            "name": "Bedrijfsprocessensysteem",
            "url": "https://webhooks.politie.example/casework",
            "secret_env": "",
            "events": ["case.status_changed", "signal.received"],
            "active": "on",
            **extra,
        }
        return self.client.post(reverse("admin:notifications_webhook_add"), data)

    def test_a_new_webhooks_secret_is_shown_once(self):
        self.client.force_login(self.beheerder)
        response = self.add()
        self.assertEqual(response.status_code, 200)
        hook = Webhook.objects.get()
        self.assertEqual(len(hook.secret), 43)
        self.assertContains(response, hook.secret)
        self.assertContains(response, "niet opnieuw getoond")
        self.assertEqual(hook.events, ["case.status_changed", "signal.received"])
        page = self.client.get(
            reverse("admin:notifications_webhook_change", args=[hook.pk])
        )
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, hook.secret)
        self.assertContains(page, "eenmaal getoond")

    def test_a_new_secret_replaces_the_old_one_and_is_shown_once(self):
        self.client.force_login(self.beheerder)
        self.add()
        hook = Webhook.objects.get()
        old = hook.secret
        response = self.client.post(
            reverse("admin:notifications_webhook_changelist"),
            {"action": "rotate_secret", "_selected_action": [hook.pk]},
        )
        hook.refresh_from_db()
        self.assertNotEqual(hook.secret, old)
        self.assertContains(response, hook.secret)
        self.assertNotContains(response, old)

    def test_a_secret_from_the_environment_is_not_stored(self):
        self.client.force_login(self.beheerder)
        response = self.add(secret_env="POLITIE_WEBHOOK_SECRET")
        self.assertEqual(response.status_code, 302)
        hook = Webhook.objects.get()
        self.assertEqual((hook.secret, hook.secret_env), ("", "POLITIE_WEBHOOK_SECRET"))

    def test_plain_http_is_refused_in_the_form(self):
        self.client.force_login(self.beheerder)
        response = self.add(url="http://webhooks.politie.example/casework")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "https://")
        self.assertFalse(Webhook.objects.exists())

    def test_the_delivery_log_is_read_only(self):
        receiver = self.receiver(status=500)
        self.webhook(self.gemeente, receiver, events=["case.opened"])
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        message, attempt = Message.objects.get(), Delivery.objects.get()
        self.client.force_login(self.beheerder)
        for name, args, shows in (
            ("admin:notifications_message_changelist", [], message.reference),
            ("admin:notifications_message_change", [message.pk], "HTTP 500"),
            ("admin:notifications_delivery_changelist", [], "HTTP 500"),
            ("admin:notifications_delivery_change", [attempt.pk], "HTTP 500"),
        ):
            with self.subTest(name=name):
                response = self.client.get(reverse(name, args=args))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, shows)
                self.assertNotContains(response, 'type="submit" value="Opslaan"')
        for name in (
            "admin:notifications_message_add",
            "admin:notifications_delivery_add",
        ):
            self.assertEqual(self.client.get(reverse(name)).status_code, 403)
        response = self.client.post(
            reverse("admin:notifications_message_delete", args=[message.pk]),
            {"post": "yes"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Message.objects.filter(pk=message.pk).exists())

    def test_other_users_do_not_get_in(self):
        for user in (self.owner, self.politie_user):
            self.client.force_login(user)
            response = self.client.get(
                reverse("admin:notifications_webhook_changelist")
            )
            self.assertEqual(response.status_code, 302)
            self.assertIn("login", response["Location"])
