"""LOOKUP_PERSON at the decision point: who may consult the BRP on a case
(docs/access.md, docs/lookups.md)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import SimpleTestCase

from casework import services
from permissions.decision import LOOKUP_PERSON, decide
from permissions.models import CaseAccess, Role
from tests.base import BaseTestCase
from tests.casework.test_translations import untranslated

ROOT = Path(__file__).resolve().parents[2]


class LookupPersonTests(BaseTestCase):
    def test_per_role_on_the_team(self):
        expected = {
            Role.JURIST: True, Role.BIBOB: True, Role.COORDINATOR: True,
            Role.CASUSREGISSEUR: True, Role.TOEZICHT: False,
            Role.INVORDERING: False, Role.BURGEMEESTER: False,
            Role.VERGUNNING: False, Role.PARTNER: False, Role.FG: False,
            Role.BEHEERDER: False,
        }  # fmt: skip
        for role, may in expected.items():
            with self.subTest(role):
                user = self.make_user(f"u-{role}", role, self.gemeente)
                try:
                    services.case_team_add(
                        case=self.case, user=self.owner, member=user,
                        team_role=CaseAccess.TeamRole.MEMBER,
                    )  # fmt: skip
                except (ValidationError, PermissionDenied):
                    pass  # a role that does not read the case joins no team
                self.assertEqual(decide(user, LOOKUP_PERSON, self.case), may)

    def test_off_the_team_and_contributors(self):
        self.assertTrue(decide(self.owner, LOOKUP_PERSON, self.case))
        self.assertFalse(decide(self.outsider, LOOKUP_PERSON, self.case))
        self.assertFalse(decide(self.politie_user, LOOKUP_PERSON, self.case))
        self.assertFalse(decide(self.burgemeester, LOOKUP_PERSON, self.case))


class CatalogueTests(SimpleTestCase):
    def test_the_lookups_catalogue_is_complete(self):
        path = ROOT / "lookups" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
        self.assertEqual(untranslated(path), [])
