"""Issue 17 item 7: a webhook receiver that is down for 60 s still gets its
deliveries. A real Celery worker on the Redis broker, a real HTTP receiver
that does not listen for the first 60 s and then does; the default retry
schedule (5, 10, 20, 40, 80 s ± 10 %). Takes about 70-90 s."""

import threading
import time

from django.test import TransactionTestCase, tag

from casework import services
from casework.celery import app
from notifications import events
from notifications.models import Delivery, Message, Webhook
from permissions.models import CaseAccess, Organisation, Role
from tests.broker import RedisBroker
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, UserFactory

from .receiver import Receiver, free_port

DOWN_SECONDS = 60
# Enough for the attempt after 75 s (+10 % jitter) and some slack.
WAIT_SECONDS = 180


@tag("celery")
class ReceiverDownTests(RedisBroker, TransactionTestCase):
    def start_receiver_later(self, receiver: Receiver) -> threading.Event:
        """The receiver is down (nothing listens on its port) for
        DOWN_SECONDS, then up."""
        up = threading.Event()
        stop = threading.Event()

        def later():
            if not stop.wait(DOWN_SECONDS):
                receiver.start()
                up.set()

        threading.Thread(target=later, daemon=True).start()
        self.addCleanup(receiver.stop)
        self.addCleanup(stop.set)
        return up

    def test_a_receiver_down_for_60_seconds_gets_every_delivery_once(self):
        from celery.contrib.testing.worker import start_worker

        gemeente = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
        jurist = UserFactory(role=Role.JURIST, organisation=gemeente)
        colleague = UserFactory(role=Role.JURIST, organisation=gemeente)
        receiver = Receiver("secret-of-the-receiver", port=free_port())
        Webhook.objects.create(
            organisation=gemeente,
            name="Ontvanger",
            url=receiver.url,
            secret=receiver.secret,
            events=list(events.EVENT_TYPES),
        )
        up = self.start_receiver_later(receiver)
        started = time.monotonic()
        # Three events, each sent after its own commit: case.opened and
        # task.created, then case.status_changed. Their tasks wait in Redis.
        case = services.case_open(user=jurist, case_type=CaseType.LOD, title="Zaak")
        services.case_team_add(
            case=case, user=jurist, member=colleague,
            team_role=CaseAccess.TeamRole.MEMBER,
        )  # fmt: skip
        services.case_transition(
            case=case, name="start_assessment", user=jurist, note="Start."
        )
        expected = set(Message.objects.values_list("pk", flat=True))
        self.assertEqual(
            sorted(Message.objects.values_list("event", flat=True)),
            ["case.opened", "case.status_changed", "task.created"],
        )
        with start_worker(app, perform_ping_check=False, pool="solo"):
            deadline = started + WAIT_SECONDS
            while time.monotonic() < deadline:
                ids = {r.headers.get("X-Casework-Delivery") for r in receiver.received}
                if len(ids) >= len(expected):
                    break
                time.sleep(1)
            # The worker writes the last log rows after the receiver answered.
            time.sleep(2)
        self.assertTrue(up.is_set(), "the receiver never came up")
        received = receiver.received
        ids = [r.headers["X-Casework-Delivery"] for r in received]
        # Every delivery arrived, exactly once, signed.
        self.assertEqual(sorted(ids), sorted(str(pk) for pk in expected))
        self.assertTrue(all(r.verified for r in received))
        for r in received:
            self.assertEqual(r.json["delivery_id"], r.headers["X-Casework-Delivery"])
        self.assertEqual(
            set(Message.objects.values_list("state", flat=True)), {"delivered"}
        )
        # The log: attempts refused while the receiver was down, each with
        # its next retry, then one delivered attempt per message.
        for message in Message.objects.all():
            log = list(message.deliveries.order_by("attempt"))
            self.assertGreaterEqual(len(log), 2, [d.error for d in log])
            self.assertEqual([d.attempt for d in log], list(range(1, len(log) + 1)))
            *failed, last = log
            for row in failed:
                self.assertEqual(row.outcome, Delivery.Outcome.RETRY)
                self.assertIsNone(row.status_code)
                self.assertIn("ConnectionError", row.error)
                self.assertIsNotNone(row.next_retry_at)
            self.assertEqual(
                (last.outcome, last.status_code), (Delivery.Outcome.DELIVERED, 200)
            )
            self.assertEqual(message.attempts, len(log))
