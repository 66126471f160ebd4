"""The permit handler ("vergunningverlener", Role.VERGUNNING): named on a
Bibob case by its coordinator, it sees the decision once taken and whether
the decision term is suspended (art 31, Awb 4:15) — on a page of its own,
never the status, the dossier, a document or the history. Every Bibob page
of the case answers 404 to it."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from casework.idempotency import new_token
from permissions.models import CaseAccess, Role
from permissions.policy import OUTCOME_ONLY_ROLES
from permissions.services import team_add
from workflows.bibob.models import BibobPermitHandler
from workflows.bibob.selectors import outcome_for_permit_handler
from workflows.bibob.services import bibob_permit_handler_add

from .test_bibob_states import (
    ADVICE_REQUESTED,
    MINDERE_MATE_WITH_CONDITIONS,
    SCREENED,
    BibobTestCase,
)


class PermitHandlerTests(BibobTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.vergunning = cls.make_user("vergunning", Role.VERGUNNING, cls.gemeente)
        cls.other_handler = cls.make_user("vergunning2", Role.VERGUNNING, cls.gemeente)

    def name_handler(self, case=None):
        return bibob_permit_handler_add(
            case=case or self.case, user=self.bibob, handler=self.vergunning
        )

    def outcome_url(self):
        return f"/cases/{self.case.reference}/bibob/outcome/"

    def test_the_role_sees_outcomes_only_and_cannot_join_a_bibob_team(self):
        self.assertIn(Role.VERGUNNING, OUTCOME_ONLY_ROLES)
        with self.assertRaises(ValidationError):
            team_add(
                case=self.case, user=self.vergunning,
                team_role=CaseAccess.TeamRole.MEMBER,
            )  # fmt: skip

    def test_only_the_coordinator_names_and_only_a_permit_handler(self):
        with self.assertRaises(PermissionDenied):
            bibob_permit_handler_add(
                case=self.case, user=self.burgemeester, handler=self.vergunning
            )
        with self.assertRaises(ValidationError):
            bibob_permit_handler_add(
                case=self.case, user=self.bibob, handler=self.owner
            )
        self.name_handler()
        self.assertEqual(
            list(BibobPermitHandler.objects.values_list("user__username", flat=True)),
            ["vergunning"],
        )

    def test_the_coordinator_names_the_handler_on_the_dossier_page(self):
        self.login(self.bibob)
        url = f"/cases/{self.case.reference}/bibob/permit-handler/"
        response = self.client.post(
            url, {"handler": self.vergunning.pk, "form_token": new_token()}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(BibobPermitHandler.objects.filter(user=self.vergunning))
        self.login(self.burgemeester)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_while_the_advice_is_pending_the_term_is_suspended_until_the_cap(self):
        self.go(ADVICE_REQUESTED)  # advice requested on 9 March 2026
        self.name_handler()
        found = outcome_for_permit_handler(self.vergunning, self.case.reference)
        self.assertEqual(found.decision, "")
        self.assertIs(found.suspended, True)
        self.assertEqual(found.suspended_since, date(2026, 3, 9))
        self.assertEqual(found.suspended_basis, "Wet Bibob art 31")
        # 8 weeks from the request day, that day included: 9 March + 55 days.
        self.assertEqual(found.suspended_until, date(2026, 5, 3))

    def test_the_repair_period_suspends_the_term_too(self):
        self.go(
            [
                *SCREENED,
                ("report_incomplete", "bibob", "B21",
                 {"sent_on": date(2026, 2, 16), "term_length": 2,
                  "term_unit": "weeks"}),
            ]
        )  # fmt: skip
        self.name_handler()
        found = outcome_for_permit_handler(self.vergunning, self.case.reference)
        self.assertEqual(
            (found.suspended, found.suspended_since, found.suspended_basis),
            (True, date(2026, 2, 17), "Awb 4:15 lid 1 a"),
        )
        self.assertEqual(found.suspended_until, date(2026, 3, 2))

    def test_the_decision_is_shown_once_taken_also_after_closing(self):
        self.go(MINDERE_MATE_WITH_CONDITIONS)
        self.name_handler()
        found = outcome_for_permit_handler(self.vergunning, self.case.reference)
        self.assertEqual(found.decision, "granted_with_conditions")
        self.assertIs(found.suspended, False)

    def test_the_outcome_page_is_for_the_named_handler_only(self):
        self.go(ADVICE_REQUESTED)
        self.name_handler()
        self.login(self.vergunning)
        response = self.client.get(self.outcome_url())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Wet Bibob art 31")
        self.assertContains(response, "3 mei 2026")
        # Not the status: "LBB advice requested" would say why.
        self.assertNotContains(response, "B40")
        self.assertNotContains(response, "Twee registraties")
        listing = self.client.get("/bibob/outcomes/")
        self.assertContains(listing, self.case.reference)
        for user in (self.other_handler, self.bibob, self.burgemeester, self.owner):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.outcome_url()).status_code, 404)
        self.login(self.other_handler)
        self.assertNotContains(self.client.get("/bibob/outcomes/"), self.case.reference)
