"""An event nobody listens to costs one query: every transition makes one."""

from django.test import TestCase
from django.utils import timezone

from notifications import dispatch, events
from notifications.models import EmailPreference, Webhook
from permissions.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory


class NobodyListensTests(TestCase):
    def event(self, kind):
        return events.Event(
            type=kind, occurred_at=timezone.now(), case_id=1,
            reference="2026-LOD-0001", case_type="LOD", status="A10",
        )  # fmt: skip

    def test_without_webhooks_or_opted_in_users_an_event_is_one_query(self):
        # The webhooks; for a mailed event also the preferences.
        for kind, queries in ((events.CASE_STATUS_CHANGED, 1),
                              (events.TASK_CREATED, 2)):  # fmt: skip
            with self.subTest(kind=kind), self.assertNumQueries(queries):
                self.assertEqual(dispatch.handle(self.event(kind)), [])

    def test_an_inactive_webhook_or_another_mail_is_nobody_listening(self):
        gemeente = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
        Webhook.objects.create(
            organisation=gemeente, name="uit", url="https://example.org/hook",
            active=False, events=[],
        )  # fmt: skip
        user = UserFactory(role=Role.JURIST, organisation=gemeente)
        EmailPreference.objects.create(user=user, deadlines_due=True)
        self.assertFalse(dispatch._anyone_listens(self.event(events.TASK_CREATED)))
        self.assertTrue(dispatch._anyone_listens(self.event(events.DEADLINE_DUE)))
        Webhook.objects.update(active=True)
        self.assertTrue(
            dispatch._anyone_listens(self.event(events.CASE_STATUS_CHANGED))
        )
