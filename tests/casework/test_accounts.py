"""Local accounts (issue 15 item 3, docs/security.md): lock-out, password
rules, the password reset, sessions and the second factor."""

import re
import smtplib
from datetime import timedelta
from io import StringIO

from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import timezone

import time_machine
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework import demo
from permissions.models import AccessLog, Organisation, Role
from tests.factories import OrganisationFactory, UserFactory

PASSWORD = "drie paarden op de dijk"
NEW_PASSWORD = "vier ezels in de wei"
OTP_ON = override_settings(
    CASEWORK_OTP_REQUIRED_ROLES=frozenset({Role.PARTNER, Role.FG, Role.BEHEERDER})
)


def make_user(username, role=Role.JURIST, organisation=None, **kwargs):
    user = UserFactory(
        username=username,
        role=role,
        organisation=organisation or OrganisationFactory(),
        email=f"{username}@example.nl",
        **kwargs,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def totp_code(device, at=None) -> str:
    """The code the user's app shows now (or at `at`)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    generator.time = (at or timezone.now()).timestamp()
    return str(generator.token()).zfill(device.digits)


class LockOutTests(TestCase):
    """django-axes with AXES_FAILURE_LIMIT failures per account and per address."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("anna")
        cls.other = make_user("bert")

    def post_login(self, username, password, address="10.0.0.1", client=None):
        return (client or self.client).post(
            "/accounts/login/",
            {"username": username, "password": password},
            REMOTE_ADDR=address,
        )

    def assertLoggedIn(self, client, yes: bool):
        self.assertIs("_auth_user_id" in client.session, yes)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_right_password_is_refused_once_the_account_is_locked(self):
        for _ in range(2):
            response = self.post_login("anna", "wrong password!")
            self.assertContains(response, "komen niet overeen")
        # The third failure locks: it is answered with the lock-out page.
        response = self.post_login("anna", "wrong password!")
        self.assertEqual(response.status_code, 429)
        response = self.post_login("anna", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "tijdelijk geblokkeerd", status_code=429)
        self.assertContains(response, "30 minuten", status_code=429)
        self.assertLoggedIn(self.client, False)

    def test_an_over_long_username_is_refused_by_the_form(self):
        """A username longer than the column (150) is a form error: it never
        reaches authenticate, so no failed-attempt row is written (django-
        axes' own column is 255 long: on PostgreSQL that write was a 500)."""
        from axes.models import AccessAttempt

        response = self.post_login("x" * 100_000, "Proef")
        self.assertContains(response, "komen niet overeen")
        self.assertIn("username", response.context["form"].errors)
        self.assertFalse(AccessAttempt.objects.exists())
        self.assertLoggedIn(self.client, False)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_failures_below_the_limit_do_not_lock(self):
        for _ in range(2):
            self.post_login("anna", "wrong password!")
        response = self.post_login("anna", PASSWORD)
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertLoggedIn(self.client, True)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_the_account_stays_locked_from_another_address(self):
        for n in range(3):
            self.post_login("anna", "wrong password!", address=f"10.0.1.{n}")
        response = self.post_login("anna", PASSWORD, address="10.0.2.9")
        self.assertEqual(response.status_code, 429)
        # Another account is not locked by anna's failures from other addresses.
        response = self.post_login("bert", PASSWORD, address="10.0.2.9")
        self.assertEqual(response.status_code, 302)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_an_address_that_tries_many_accounts_is_locked(self):
        for username in ("anna", "carla", "dirk"):
            self.post_login(username, "wrong password!", address="10.0.3.3")
        response = self.post_login("bert", PASSWORD, address="10.0.3.3")
        self.assertEqual(response.status_code, 429)
        self.assertLoggedIn(self.client, False)
        # The same account from another address logs in.
        response = self.post_login("bert", PASSWORD, address="10.0.3.4")
        self.assertEqual(response.status_code, 302)

    @override_settings(AXES_FAILURE_LIMIT=3)
    def test_the_lock_ends_after_the_cool_off(self):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            for _ in range(3):
                self.post_login("anna", "wrong password!")
            self.assertEqual(self.post_login("anna", PASSWORD).status_code, 429)
        with time_machine.travel(start + timedelta(minutes=29), tick=False):
            self.assertEqual(self.post_login("anna", PASSWORD).status_code, 429)
        # A refused attempt during the lock restarts it: 30 minutes after that.
        with time_machine.travel(start + timedelta(minutes=60), tick=False):
            response = self.post_login("anna", PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.assertLoggedIn(self.client, True)

    def test_the_demo_password_still_logs_in(self):
        demo.organisations_and_users()
        for username in ("jurist", "politie", "beheerder"):
            client = Client()
            response = self.post_login(username, demo.PASSWORD, client=client)
            self.assertEqual(response.status_code, 302, username)
            self.assertLoggedIn(client, True)


class PasswordRuleTests(TestCase):
    def assertRefused(self, password, message):
        with self.assertRaises(ValidationError) as caught:
            validate_password(password)
        self.assertIn(message, " ".join(caught.exception.messages))

    def test_short_passwords_are_refused(self):
        self.assertRefused("Kort-1-x", "minimaal 12 tekens")

    def test_all_digit_passwords_are_refused(self):
        self.assertRefused("902183746519", "alleen cijfers")

    def test_common_passwords_are_refused(self):
        self.assertRefused("qwerasdfzxcv", "te algemeen")

    def test_a_long_sentence_is_accepted(self):
        self.assertIsNone(validate_password(PASSWORD))


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("mail server gone")


class PasswordResetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("anna")

    def ask_reset(self, email="anna@example.nl"):
        return self.client.post("/accounts/password_reset/", {"email": email})

    def reset_link(self) -> str:
        self.assertEqual(len(mail.outbox), 1)
        found = re.search(
            r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body
        )
        self.assertIsNotNone(found, mail.outbox[0].body)
        return found.group(1)

    def test_the_reset_page_needs_no_login(self):
        response = self.client.get("/accounts/password_reset/")
        self.assertContains(response, "Wachtwoord vergeten?")

    def test_reset_end_to_end(self):
        other_session = Client()
        other_session.force_login(self.user)
        response = self.ask_reset()
        self.assertRedirects(response, "/accounts/password_reset/done/")
        message = mail.outbox[0]
        self.assertEqual(message.to, ["anna@example.nl"])
        self.assertEqual(message.subject, "Nieuw wachtwoord voor Casework")
        self.assertIn("Open deze link om een nieuw wachtwoord te kiezen", message.body)
        self.assertIn("anna", message.body)

        response = self.client.get(self.reset_link())
        set_url = response.url
        self.assertTrue(set_url.endswith("/set-password/"), set_url)
        # The rules apply here: an all-digit password is refused.
        weak = "902183746519"
        response = self.client.post(
            set_url, {"new_password1": weak, "new_password2": weak}
        )
        self.assertContains(response, "alleen cijfers")
        self.user.refresh_from_db()
        self.assertIs(self.user.check_password(PASSWORD), True)

        response = self.client.post(
            set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertRedirects(response, "/accounts/reset/done/")
        self.user.refresh_from_db()
        self.assertIs(self.user.check_password(NEW_PASSWORD), True)
        # The link works once, and the session opened before the reset ended.
        response = self.client.get(set_url)
        self.assertContains(response, "Deze link werkt niet meer")
        self.assertRedirects(
            other_session.get("/"), "/accounts/login/?next=/", target_status_code=200
        )
        login = self.client.post(
            "/accounts/login/", {"username": "anna", "password": NEW_PASSWORD}
        )
        self.assertEqual(login.status_code, 302)

    def test_an_unknown_address_gets_the_same_answer_and_no_mail(self):
        response = self.ask_reset("nobody@example.nl")
        self.assertRedirects(response, "/accounts/password_reset/done/")
        self.assertEqual(mail.outbox, [])

    @override_settings(EMAIL_BACKEND="tests.casework.test_accounts.FailingBackend")
    def test_a_mail_that_cannot_be_sent_is_told_and_logged(self):
        with self.assertLogs("casework.accounts", "ERROR") as logs:
            response = self.ask_reset()
        self.assertContains(
            response, "De e-mail kon niet worden verzonden", status_code=503
        )
        self.assertIn("mail server gone", "\n".join(logs.output))


class SessionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("anna")

    def test_a_password_change_ends_the_other_sessions_only(self):
        other = Client()
        other.force_login(self.user)
        self.client.force_login(self.user)
        self.assertEqual(other.get("/").status_code, 200)
        response = self.client.post(
            "/accounts/password_change/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        self.assertRedirects(response, "/accounts/password_change/done/")
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertRedirects(
            other.get("/"), "/accounts/login/?next=/", target_status_code=200
        )

    def test_a_refused_password_change_keeps_every_session(self):
        other = Client()
        other.force_login(self.user)
        self.client.force_login(self.user)
        response = self.client.post(
            "/accounts/password_change/",
            {
                "old_password": PASSWORD,
                "new_password1": "123456789012",
                "new_password2": "123456789012",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(other.get("/").status_code, 200)

    def login(self):
        return self.client.post(
            "/accounts/login/", {"username": "anna", "password": PASSWORD}
        )

    @override_settings(SESSION_COOKIE_AGE=3600)
    def test_the_session_cookie_lasts_the_configured_age(self):
        cookie = self.login().cookies["sessionid"]
        self.assertEqual(cookie["max-age"], 3600)

    @override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True)
    def test_the_session_can_end_at_browser_close(self):
        cookie = self.login().cookies["sessionid"]
        self.assertEqual(cookie["max-age"], "")
        self.assertEqual(cookie["expires"], "")


@OTP_ON
class SecondFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.politie = OrganisationFactory(
            name="Politie", kind=Organisation.Kind.POLITIE
        )
        cls.partner = make_user("peter", Role.PARTNER, cls.politie)
        cls.jurist = make_user("jolien", Role.JURIST)

    def enrolled(self):
        return TOTPDevice.objects.create(user=self.partner, name="app", confirmed=True)

    def password_login(self, user):
        response = self.client.post(
            "/accounts/login/", {"username": user.username, "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)

    def test_a_jurist_needs_no_second_factor(self):
        self.password_login(self.jurist)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_a_partner_enrols_before_any_page(self):
        self.password_login(self.partner)
        for path in ("/", "/cases/", "/signals/", "/search/"):
            response = self.client.get(path)
            self.assertRedirects(
                response,
                f"/accounts/otp/setup/?next={path}",
                fetch_redirect_response=False,
            )
        page = self.client.get("/accounts/otp/setup/?next=/cases/")
        self.assertContains(page, "<svg")
        self.assertContains(page, "Tweede factor instellen")
        device = TOTPDevice.objects.get(user=self.partner)
        self.assertIs(device.confirmed, False)

        wrong = self.client.post(
            "/accounts/otp/setup/", {"otp_token": "000000", "next": "/cases/"}
        )
        self.assertContains(wrong, "Deze code klopt niet", status_code=400)
        device.refresh_from_db()
        self.assertIs(device.confirmed, False)

        with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
            right = self.client.post(
                "/accounts/otp/setup/",
                {"otp_token": totp_code(device), "next": "/cases/"},
            )
            self.assertRedirects(right, "/cases/", fetch_redirect_response=False)
            self.assertEqual(self.client.get("/cases/").status_code, 200)
        device.refresh_from_db()
        self.assertIs(device.confirmed, True)

    def test_an_enrolled_partner_verifies_after_the_password(self):
        device = self.enrolled()
        self.password_login(self.partner)
        self.assertRedirects(
            self.client.get("/"),
            "/accounts/otp/verify/?next=/",
            fetch_redirect_response=False,
        )
        response = self.client.post(
            "/accounts/otp/verify/", {"otp_token": totp_code(device), "next": "/"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/").status_code, 200)
        # A new login asks again.
        self.client.post("/accounts/logout/")
        self.password_login(self.partner)
        self.assertEqual(self.client.get("/").status_code, 302)

    def test_a_wrong_or_reused_code_is_refused(self):
        device = self.enrolled()
        self.password_login(self.partner)
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            code = totp_code(device)
            wrong = "000000" if code != "000000" else "111111"
            response = self.client.post("/accounts/otp/verify/", {"otp_token": wrong})
            self.assertContains(response, "Deze code klopt niet", status_code=400)
            # Throttled: right after a wrong code even the right one is refused.
            response = self.client.post("/accounts/otp/verify/", {"otp_token": code})
            self.assertEqual(response.status_code, 400)
            self.assertEqual(self.client.get("/").status_code, 302)
        with time_machine.travel(now + timedelta(seconds=5), tick=False):
            code = totp_code(device)
            response = self.client.post("/accounts/otp/verify/", {"otp_token": code})
            self.assertEqual(response.status_code, 302)
            # The same code does not open a second session.
            second = Client()
            second.post("/accounts/login/", {"username": "peter", "password": PASSWORD})
            response = second.post("/accounts/otp/verify/", {"otp_token": code})
            self.assertEqual(response.status_code, 400)

    def test_an_enrolled_account_cannot_enrol_another_device(self):
        self.enrolled()
        self.password_login(self.partner)
        response = self.client.get("/accounts/otp/setup/")
        self.assertRedirects(
            response, "/accounts/otp/verify/", fetch_redirect_response=False
        )
        self.assertEqual(TOTPDevice.objects.filter(user=self.partner).count(), 1)

    def test_an_exempt_backend_skips_the_second_factor(self):
        backend = "django.contrib.auth.backends.ModelBackend"
        self.client.force_login(self.partner, backend=backend)
        self.assertEqual(self.client.get("/").status_code, 302)
        with override_settings(CASEWORK_OTP_EXEMPT_BACKENDS=(backend,)):
            self.assertEqual(self.client.get("/").status_code, 200)

    @override_settings(CASEWORK_OTP_REQUIRED_ROLES=frozenset())
    def test_the_demo_says_when_the_second_factor_is_off(self):
        with override_settings(DEBUG=True):
            response = self.client.get("/accounts/login/")
        self.assertContains(response, "tweede factor")
        response = self.client.get("/accounts/login/")
        self.assertNotContains(response, "tweede factor")


class SecondFactorResetTests(TestCase):
    """Only the operator removes a second factor; the beheerder cannot."""

    @classmethod
    def setUpTestData(cls):
        gemeente = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
        cls.beheerder = make_user("ben", Role.BEHEERDER, gemeente, is_staff=True)
        cls.partner = make_user("peter", Role.PARTNER)
        cls.device = TOTPDevice.objects.create(
            user=cls.partner, name="app", confirmed=True
        )

    def test_the_admin_has_no_device_pages(self):
        self.client.force_login(self.beheerder)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        for path in (
            "/admin/otp_totp/totpdevice/",
            f"/admin/otp_totp/totpdevice/{self.device.pk}/delete/",
        ):
            self.assertEqual(self.client.get(path).status_code, 404, path)
        self.assertNotContains(self.client.get("/admin/"), "otp_totp")

    def test_the_operator_command_removes_it_and_logs(self):
        out = StringIO()
        call_command("reset_second_factor", "peter", stdout=out)
        self.assertFalse(TOTPDevice.objects.filter(user=self.partner).exists())
        entry = AccessLog.objects.get(object_type="second-factor")
        self.assertEqual(entry.recipient, "peter")
        self.assertEqual(entry.action, AccessLog.Action.DELETE)
        self.assertIn(f"Access log entry {entry.pk}", out.getvalue())
