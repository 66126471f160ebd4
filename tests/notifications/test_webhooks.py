"""Webhooks: which organisation is told what, the signed payload, and the
delivery log (docs/notifications.md). Deliveries go over real HTTP to a local
receiver; Celery runs its tasks eagerly here (casework.test_settings) and
after the commit, as `transaction.on_commit` runs them."""

import json
import os
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from casework import deadlines, services
from casework.models import CaseParty, Party
from notifications import delivery, events
from notifications.models import Delivery, Message, Webhook
from permissions.models import DataClass
from tests.case_types import lod_intention_sent

from .base import NotificationTestCase
from .receiver import verify

# What a payload may hold at all (notifications.events.FIELDS and the ids).
ALLOWED_KEYS = {
    "event", "event_id", "occurred_at", "delivery_id", "object", "reference",
    "case_type", "status", "previous_status", "step", "role", "due_on",
    "api_path",
}  # fmt: skip


class SignedDeliveryTests(NotificationTestCase):
    def test_a_status_change_is_delivered_signed_once(self):
        receiver = self.receiver()
        self.webhook(self.gemeente, receiver, events=[events.CASE_STATUS_CHANGED])
        case = self.open_case()
        with self.captureOnCommitCallbacks(execute=True):
            self.transition(case, "start_assessment")
        self.assertEqual(len(receiver.received), 1)
        got = receiver.received[0]
        self.assertTrue(got.verified)
        self.assertEqual(got.headers["Content-Type"], "application/json")
        self.assertEqual(got.headers["X-Casework-Event"], "case.status_changed")
        data = got.json
        self.assertEqual(data["event"], "case.status_changed")
        self.assertEqual(data["reference"], case.reference)
        self.assertEqual(data["case_type"], "LOD")
        self.assertEqual(data["status"], "A10")
        self.assertEqual(data["previous_status"], "A00")
        self.assertEqual(data["api_path"], f"/api/v1/cases/{case.reference}/")
        self.assertEqual(data["delivery_id"], got.headers["X-Casework-Delivery"])
        message = Message.objects.get()
        self.assertEqual(str(message.pk), data["delivery_id"])
        self.assertEqual(message.state, Message.State.DELIVERED)
        self.assertEqual(message.body.encode(), got.body)
        log = Delivery.objects.get()
        self.assertEqual(
            (log.attempt, log.status_code, log.outcome, log.error),
            (1, 200, Delivery.Outcome.DELIVERED, ""),
        )
        self.assertIsNone(log.next_retry_at)

    def test_the_signature_fails_with_another_secret_or_a_changed_body(self):
        receiver = self.receiver()
        self.webhook(self.gemeente, receiver, events=[events.CASE_OPENED])
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        got = receiver.received[0]
        self.assertTrue(verify(receiver.secret, got.headers, got.body))
        self.assertFalse(verify("another secret", got.headers, got.body))
        tampered = got.body.replace(b'"LOD"', b'"BIB"')
        self.assertNotEqual(tampered, got.body)
        self.assertFalse(verify(receiver.secret, got.headers, tampered))
        stale = {**got.headers, "X-Casework-Timestamp": "1000000000"}
        self.assertFalse(verify(receiver.secret, stale, got.body))

    def test_a_secret_from_the_environment_signs_and_is_not_stored(self):
        receiver = self.receiver(secret="from-the-environment")
        hook = self.webhook(self.gemeente, receiver, events=[events.CASE_OPENED])
        Webhook.objects.filter(pk=hook.pk).update(secret="", secret_env="HOOK_SECRET")
        with mock.patch.dict(os.environ, {"HOOK_SECRET": "from-the-environment"}):
            with self.captureOnCommitCallbacks(execute=True):
                self.open_case()
        self.assertTrue(receiver.received[0].verified)
        self.assertEqual(Webhook.objects.get(pk=hook.pk).secret, "")

    def test_nothing_is_sent_when_the_transaction_rolls_back(self):
        receiver = self.receiver()
        self.webhook(self.gemeente, receiver)
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with self.assertRaises(RuntimeError), transaction.atomic():
                self.open_case()
                raise RuntimeError("the step fails after the history row")
        self.assertEqual(callbacks, [])
        self.assertEqual(receiver.received, [])
        self.assertFalse(Message.objects.exists())


class WhoIsToldTests(NotificationTestCase):
    def test_only_organisations_on_the_team_are_told(self):
        gemeente, politie, belasting = (
            self.receiver(), self.receiver(), self.receiver()
        )  # fmt: skip
        self.webhook(self.gemeente, gemeente)
        self.webhook(self.politie, politie)
        self.webhook(self.belastingdienst, belasting)
        case = self.open_case()
        with self.captureOnCommitCallbacks(execute=True):
            lod_intention_sent(case, self.owner)
        # The Belastingdienst has no team row on the case: never called.
        self.assertEqual(belasting.received, [])
        self.assertFalse(self.messages_for(self.belastingdienst).exists())
        # The police (contributor, outcome only) hear of status changes, not
        # of the case's tasks or deadlines (partners do not read them).
        police_events = {r.json["event"] for r in politie.received}
        self.assertEqual(police_events, {"case.status_changed"})
        gemeente_events = [r.json["event"] for r in gemeente.received]
        self.assertIn("task.created", gemeente_events)
        self.assertIn("case.status_changed", gemeente_events)
        self.assertTrue(all(r.verified for r in gemeente.received + politie.received))

    def test_an_inactive_webhook_is_not_called(self):
        receiver = self.receiver()
        self.webhook(self.gemeente, receiver, active=False)
        with self.captureOnCommitCallbacks(execute=True):
            case = self.open_case()
            self.transition(case, "start_assessment")
        self.assertEqual(receiver.received, [])
        self.assertFalse(Message.objects.exists())

    def test_a_webhook_gets_only_the_events_it_subscribed_to(self):
        receiver = self.receiver()
        self.webhook(self.gemeente, receiver, events=[events.TASK_CREATED])
        case = self.open_case()
        with self.captureOnCommitCallbacks(execute=True):
            self.transition(case, "start_assessment")  # within the phase
        self.assertEqual(receiver.received, [])
        with self.captureOnCommitCallbacks(execute=True):
            self.send_intention(case)
        data = [r.json for r in receiver.received]
        self.assertEqual([d["event"] for d in data], ["task.created"])
        self.assertEqual((data[0]["step"], data[0]["role"]), ("views", "jurist"))
        self.assertEqual(data[0]["status"], "A20")

    def test_a_signal_is_told_to_its_supplier_and_the_organisations_shared_with(self):
        gemeente, politie, belasting = (
            self.receiver(), self.receiver(), self.receiver()
        )  # fmt: skip
        self.webhook(self.gemeente, gemeente)
        self.webhook(self.politie, politie)
        self.webhook(self.belastingdienst, belasting)
        with self.captureOnCommitCallbacks(execute=True):
            signal = services.signal_register(
                user=self.politie_user,
                source="bestuurlijke_rapportage",
                received_on=timezone.localdate(),
                summary="Hennepkwekerij op zolder bij Jansen.",
                data_class=DataClass.D3,
                legal_basis="Wpg 16 lid 1 b",
                shared_with=[self.gemeente],
            )
        with self.captureOnCommitCallbacks(execute=True):
            services.signal_start_triage(signal=signal, user=self.owner)
        for receiver in (gemeente, politie):
            self.assertEqual(
                [(r.json["event"], r.json["status"]) for r in receiver.received],
                [("signal.received", "new"), ("signal.status_changed", "triage")],
            )
            self.assertEqual(
                receiver.received[0].json["api_path"],
                f"/api/v1/signals/{signal.reference}/",
            )
            self.assertNotIn(b"Hennep", receiver.received[0].body)
        self.assertEqual(belasting.received, [])


class NoContentTests(NotificationTestCase):
    def test_the_payloads_of_a_d3_case_hold_no_content(self):
        receiver = self.receiver()
        self.webhook(self.gemeente, receiver)
        title = "Hennepkwekerij zolder Jansen Kloosterstraat 12"
        # Everything happens in one transaction, at the end of which the case
        # is D3: the events go out after the commit, about a D3 case.
        with self.captureOnCommitCallbacks(execute=True):
            case = self.open_case(title)
            services.case_add_party(
                case=case,
                user=self.owner,
                party=Party(kind=Party.Kind.PERSON, name="Piet Jansen"),
                role=CaseParty.Role.OVERTREDER,
            )
            lod_intention_sent(case, self.owner)
            self.raise_class(case, DataClass.D3)
        with self.captureOnCommitCallbacks(execute=True):
            deadlines.deadlines_sweep(today=timezone.localdate() + timedelta(days=10))
        kinds = {r.json["event"] for r in receiver.received}
        self.assertTrue(
            {"case.opened", "case.status_changed", "task.created", "deadline.due"}
            <= kinds,
            kinds,
        )
        for got in receiver.received:
            self.assertTrue(got.verified)
            self.assertLessEqual(set(got.json), ALLOWED_KEYS)
            self.assertEqual(got.json["reference"], case.reference)
            text = got.body.decode()
            for word in ("Hennep", "Jansen", "Kloosterstraat", "Piet", "Voornemen"):
                self.assertNotIn(word, text)
            self.assertNotIn("D3", text)


class DeliveryLogTests(NotificationTestCase):
    def test_a_4xx_is_recorded_and_not_retried(self):
        receiver = self.receiver(status=410)
        self.webhook(self.gemeente, receiver, events=[events.CASE_OPENED])
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        self.assertEqual(len(receiver.received), 1)
        log = Delivery.objects.get()
        self.assertEqual(
            (log.attempt, log.status_code, log.outcome, log.error),
            (1, 410, Delivery.Outcome.FAILED, "HTTP 410"),
        )
        message = Message.objects.get()
        self.assertEqual((message.state, message.attempts), ("failed", 1))
        self.assertIsNone(message.next_attempt_at)

    def test_a_5xx_is_recorded_with_its_next_retry(self):
        receiver = self.receiver(status=503)
        self.webhook(self.gemeente, receiver, events=[events.CASE_OPENED])
        before = timezone.now()
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        log = Delivery.objects.get()
        self.assertEqual((log.status_code, log.outcome), (503, Delivery.Outcome.RETRY))
        wait = (log.next_retry_at - log.at).total_seconds()
        self.assertTrue(4.5 <= wait <= 5.5, wait)  # 5 s ± 10 %
        message = Message.objects.get()
        self.assertEqual(message.state, Message.State.PENDING)
        self.assertEqual(message.next_attempt_at, log.next_retry_at)
        self.assertGreater(message.next_attempt_at, before)
        # Not due yet: a second task for it sends nothing.
        self.assertEqual(delivery.attempt(message.pk), "skipped")
        self.assertEqual(len(receiver.received), 1)
        # Due: the next attempt goes out with the same delivery id and body.
        receiver.status = 200
        Message.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() - timedelta(seconds=1)
        )
        self.assertEqual(delivery.attempt(message.pk), "delivered")
        first, second = receiver.received
        self.assertEqual(first.body, second.body)
        self.assertEqual(
            first.headers["X-Casework-Delivery"], second.headers["X-Casework-Delivery"]
        )
        self.assertTrue(second.verified)
        self.assertEqual(
            list(
                Delivery.objects.order_by("attempt").values_list("attempt", "outcome")
            ),
            [(1, "retry"), (2, "delivered")],
        )
        # Delivered: never sent again.
        self.assertEqual(delivery.attempt(message.pk), "skipped")

    def test_a_receiver_that_is_down_is_recorded_as_an_error(self):
        receiver = self.receiver()
        hook = self.webhook(self.gemeente, receiver, events=[events.CASE_OPENED])
        receiver.stop()
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        log = Delivery.objects.get(message__webhook=hook)
        self.assertIsNone(log.status_code)
        self.assertIn("ConnectionError", log.error)
        self.assertEqual(log.outcome, Delivery.Outcome.RETRY)

    @override_settings(NOTIFICATIONS_RETRY_MAX_ATTEMPTS=2)
    def test_the_last_attempt_gives_up(self):
        receiver = self.receiver(status=500)
        self.webhook(self.gemeente, receiver, events=[events.CASE_OPENED])
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        message = Message.objects.get()
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        self.assertEqual(delivery.attempt(message.pk), "failed")
        message.refresh_from_db()
        self.assertEqual((message.state, message.attempts), ("failed", 2))

    def test_the_sweep_queues_overdue_messages_again(self):
        receiver = self.receiver(status=503)
        self.webhook(self.gemeente, receiver, events=[events.CASE_OPENED])
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        self.assertEqual(delivery.retry_due(), 0)  # its retry is not overdue
        receiver.status = 204
        Message.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=2))
        self.assertEqual(delivery.retry_due(), 1)
        self.assertEqual(Message.objects.get().state, Message.State.DELIVERED)


class ScheduleTests(NotificationTestCase):
    def test_the_default_schedule_doubles_from_5_s_for_about_an_hour(self):
        waits = delivery.schedule()
        self.assertEqual(waits[:5], [5, 10, 20, 40, 80])
        self.assertEqual(len(waits), 10)  # 11 attempts
        self.assertTrue(3000 <= sum(waits) <= 4500, sum(waits))
        for attempt in range(1, 11):
            nominal = delivery.nominal_delay(attempt)
            for _ in range(20):
                wait = delivery.backoff(attempt)
                self.assertTrue(0.9 * nominal <= wait <= 1.1 * nominal)

    def test_https_is_required_outside_the_demo_and_the_tests(self):
        hook = Webhook(
            organisation=self.gemeente, name="x", url="http://127.0.0.1:9/hook",
            events=["case.opened"],
        )  # fmt: skip
        hook.full_clean()  # the tests: http to this machine
        hook.url = "http://receiver.example/hook"
        with self.assertRaises(ValidationError):
            hook.full_clean()
        hook.url = "http://127.0.0.1:9/hook"
        production = {"DJANGO_SETTINGS_MODULE": "casework.settings"}
        with mock.patch.dict(os.environ, production), override_settings(DEBUG=False):
            with self.assertRaises(ValidationError):
                hook.full_clean()
            hook.url = "https://receiver.example/hook"
            hook.full_clean()

    def test_beat_queues_the_overdue_messages(self):
        from casework.celery import app
        from notifications import tasks

        app.finalize()
        entry = app.conf.beat_schedule["notifications-retry-due"]
        self.assertEqual(entry["task"], tasks.retry_due.name)

    def test_the_command_sends_the_overdue_messages(self):
        receiver = self.receiver(status=502)
        self.webhook(self.gemeente, receiver, events=[events.CASE_OPENED])
        with self.captureOnCommitCallbacks(execute=True):
            self.open_case()
        receiver.status = 200
        Message.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=5))
        out = StringIO()
        call_command("notifications_retry", stdout=out)
        self.assertIn("1 message(s)", out.getvalue())
        self.assertEqual(Message.objects.get().state, Message.State.DELIVERED)
        self.assertEqual(len(receiver.received), 2)

    def test_an_unknown_event_type_is_refused(self):
        hook = Webhook(
            organisation=self.gemeente, name="x", url="https://receiver.example/",
            events=["case.title_changed"],
        )  # fmt: skip
        with self.assertRaises(ValidationError):
            hook.full_clean()

    def test_a_body_is_compact_sorted_json_of_the_allowed_fields(self):
        event = events.Event(
            type=events.CASE_OPENED,
            occurred_at=timezone.now(),
            case_id=1,
            reference="2026-LOD-0001",
            case_type="LOD",
            status="A00",
        )
        body = events.body(event, "d-1")
        data = json.loads(body)
        self.assertEqual(body, json.dumps(data, separators=(",", ":"), sort_keys=True))
        self.assertLessEqual(set(data), ALLOWED_KEYS)
