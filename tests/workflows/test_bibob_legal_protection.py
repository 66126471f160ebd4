"""Behind the secrecy wall the Bibob coordinator keeps the legal protection
of a Bibob besluit: a jurist cannot join a D5 team."""

from datetime import date

from django.core.exceptions import PermissionDenied

from workflows.legal_protection.machine import DecisionKind, Outcome
from workflows.legal_protection.services import (
    legal_protection_open,
    legal_protection_transition,
)

from .test_bibob_states import BibobTestCase


class BibobLegalProtectionTests(BibobTestCase):
    def test_the_coordinator_records_objection_and_decision_the_burgemeester_decides(
        self,
    ):
        protection = legal_protection_open(
            case=self.case, user=self.bibob, decision_title="Weigering vergunning",
            decision_kind=DecisionKind.OTHER, decided_on=date(2026, 3, 2),
        )  # fmt: skip
        protection = legal_protection_transition(
            protection=protection, name="receive_objection", user=self.bibob2,
            on=date(2026, 3, 20),
        )  # fmt: skip
        protection = legal_protection_transition(
            protection=protection, name="decide_objection", user=self.burgemeester,
            outcome=Outcome.DISMISSED, on=date(2026, 4, 20),
        )  # fmt: skip
        self.assertEqual((protection.status, protection.outcome), ("R30", "dismissed"))

    def test_nobody_outside_the_wall_opens_it(self):
        for user in (self.owner, self.politie_user, self.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                legal_protection_open(
                    case=self.case, user=user, decision_title="Weigering",
                    decided_on=date(2026, 3, 2),
                )  # fmt: skip
