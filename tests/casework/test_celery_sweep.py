"""The deadline sweep through a real Celery worker and the Redis broker, as a
deployment with CELERY_BROKER_URL runs it from beat."""

from datetime import timedelta

from django.test import TransactionTestCase, tag
from django.utils import timezone

from casework import deadlines, services
from casework.celery import app
from casework.models import Deadline, Notification
from tests.broker import RedisBroker
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, UserFactory


@tag("celery")
class CelerySweepTests(RedisBroker, TransactionTestCase):
    def test_beat_task_runs_the_sweep_in_a_worker(self):
        from celery.contrib.testing.worker import start_worker

        gemeente = OrganisationFactory()
        jurist = UserFactory(role="jurist", organisation=gemeente)
        case = services.case_open(user=jurist, case_type=CaseType.LOD, title="Zaak")
        today = timezone.localdate()
        deadline = deadlines.deadline_create(
            case=case, user=jurist, title="Beslistermijn", legal_basis="Awb 4:13",
            event_date=today - timedelta(days=30), length=1, unit="weeks",
            atw_applies=False,
        )  # fmt: skip
        with start_worker(app, perform_ping_check=False, pool="solo"):
            counts = app.send_task("casework.tasks.deadlines_sweep").get(timeout=20)
        deadline.refresh_from_db()
        self.assertEqual(counts["missed"], 1)
        self.assertEqual(deadline.state, Deadline.State.MISSED)
        self.assertEqual(Notification.objects.filter(kind="missed").count(), 1)
