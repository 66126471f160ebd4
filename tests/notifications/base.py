"""The cast of the notification tests: a gemeente with a case team, the
police as contributing partner, the Belastingdienst outside the case, each
organisation with a webhook on a real local receiver."""

from django.test import TestCase
from django.utils import timezone

from casework import services
from casework.steps import step_run
from notifications import events
from notifications.models import Message, Webhook
from permissions.models import CaseAccess, Organisation, Role
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, UserFactory

from .receiver import Receiver

ALL_EVENTS = list(events.EVENT_TYPES)


class NotificationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        cls.belastingdienst = OrganisationFactory(
            name="Belastingdienst Zuid", kind=Organisation.Kind.BELASTINGDIENST
        )
        cls.owner = cls.user("owner", Role.JURIST, cls.gemeente)
        cls.colleague = cls.user("colleague", Role.JURIST, cls.gemeente)
        cls.burgemeester = cls.user("burgemeester", Role.BURGEMEESTER, cls.gemeente)
        cls.outsider = cls.user("outsider", Role.JURIST, cls.gemeente)
        cls.politie_user = cls.user("politie", Role.PARTNER, cls.politie)
        cls.belasting_user = cls.user("belasting", Role.PARTNER, cls.belastingdienst)

    @staticmethod
    def user(username, role, organisation):
        return UserFactory(
            username=username,
            role=role,
            organisation=organisation,
            email=f"{username}@example.org",
        )

    def receiver(self, secret="s3cret-for-tests", status=200) -> Receiver:
        receiver = Receiver(secret, status=status).start()
        self.addCleanup(receiver.stop)
        return receiver

    def webhook(self, organisation, receiver, *, events=None, active=True):
        return Webhook.objects.create(
            organisation=organisation,
            name=f"{organisation.name} hook",
            url=receiver.url,
            secret=receiver.secret,
            events=ALL_EVENTS if events is None else events,
            active=active,
        )

    def open_case(self, title="Drugshandel Kloosterstraat 12"):
        """An LOD case of the owner with the colleague and the burgemeester as
        members and the police as contributor."""
        case = services.case_open(user=self.owner, case_type=CaseType.LOD, title=title)
        for member, team_role in (
            (self.colleague, CaseAccess.TeamRole.MEMBER),
            (self.burgemeester, CaseAccess.TeamRole.MEMBER),
            (self.politie_user, CaseAccess.TeamRole.CONTRIBUTOR),
        ):
            services.case_team_add(
                case=case, user=self.owner, member=member, team_role=team_role
            )
        return case

    def raise_class(self, case, data_class):
        """As test_policy does: the case's class raised (no role opens or
        works a D3 case through the steps: the jurist reads D3, writes none).
        The police liaison, which reads no D3 case, leaves the team."""
        type(case).objects.filter(pk=case.pk).update(data_class=data_class)
        CaseAccess.objects.filter(case=case).update(data_class=data_class)
        if data_class not in ("D0", "D1", "D2"):
            CaseAccess.objects.filter(case=case, user=self.politie_user).delete()
        case.refresh_from_db()
        return case

    def transition(self, case, name, user=None):
        return services.case_transition(
            case=case, name=name, user=user or self.owner, note="Test."
        )

    def send_intention(self, case):
        """From A10 to A20 (the jurist's "views" phase: a new task)."""
        return step_run(
            case=case,
            name="send_intention",
            user=self.owner,
            note="Voornemen verzonden.",
            data={
                "sent_on": timezone.localdate(),
                "term_length": 2,
                "term_unit": "weeks",
                "atw_applies": False,
                "measure": "dwangsom",
            },
        )

    def messages_for(self, organisation):
        return Message.objects.filter(webhook__organisation=organisation)
