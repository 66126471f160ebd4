"""The Bibob secrecy wall (Wet Bibob art 28; docs/domain.md §6.3 D5): every page,
document and history entry of a Bibob case answers 404 to every role but the
Bibob coordinator and the burgemeester on the team, also when a stale team
row names the user; the burgemeester reads; every read is logged."""

import hashlib

from django.core.exceptions import ValidationError

from casework.models import CaseEvent, Document
from permissions.models import AccessLog, CaseAccess, DataClass, Organisation, Role
from permissions.services import team_add
from tests.factories import OrganisationFactory
from workflows.bibob.services import bibob_permit_handler_add
from workflows.legal_protection.machine import LegalProtection

from .test_bibob_states import NO_DANGER, BibobTestCase

SECRET = "Registratie witwassen 2024 via de infodesk."


class BibobWallTests(BibobTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        om = OrganisationFactory(name="OM Limburg", kind=Organisation.Kind.OM)
        cls.others = {
            "jurist": cls.owner,
            "toezicht": cls.toezicht,
            "invordering": cls.invordering,
            "coordinator": cls.make_user("coordinator", Role.COORDINATOR, cls.gemeente),
            "casusregisseur": cls.make_user(
                "casusregisseur", Role.CASUSREGISSEUR, cls.gemeente
            ),
            "politie": cls.politie_user,
            "om": cls.make_user("om", Role.PARTNER, om),
            "belastingdienst": cls.belastingdienst_user,
            "fg": cls.fg,
            "beheerder": cls.make_user("beheerder", Role.BEHEERDER, cls.gemeente),
            # A gemeente jurist for permits, and the permit handler's own role.
            "vergunningen": cls.make_user("vergunningen", Role.JURIST, cls.gemeente),
            "vergunning": cls.make_user("vergunning", Role.VERGUNNING, cls.gemeente),
        }

    def setUp(self):
        self.go(NO_DANGER[:-1])  # granted and made known: B75, remedy open
        self.document = Document(
            case=self.case,
            template_key="voornemen_bibob",
            template_version="2026.1",
            title="Voornemen",
            version=1,
            inputs={"finding": SECRET},
            content=b"%PDF-1.4 " + SECRET.encode(),
            sha256=hashlib.sha256(SECRET.encode()).hexdigest(),
            data_class=DataClass.D5,
            author=self.bibob,
        )
        self.document.save()
        CaseEvent.objects.create(
            case=self.case, actor=self.bibob, kind=CaseEvent.Kind.NOTE, note=SECRET
        )

    def urls(self):
        ref = self.case.reference
        deadline = self.case.deadlines.first()
        protection = LegalProtection.objects.get(case=self.case)
        return [
            ("get", f"/cases/{ref}/"),
            ("get", f"/cases/{ref}/process.svg"),
            ("get", f"/cases/{ref}/step/withdraw/"),
            ("post", f"/cases/{ref}/transition/"),
            ("get", f"/cases/{ref}/deadlines/{deadline.pk}/"),
            ("post", f"/cases/{ref}/deadlines/{deadline.pk}/met/"),
            ("get", f"/cases/{ref}/documents/{self.document.pk}/"),
            ("get", f"/cases/{ref}/documents/new/"),
            ("get", f"/cases/{ref}/legal-protection/{protection.pk}/"),
            ("get", f"/cases/{ref}/bibob/"),
            ("get", f"/cases/{ref}/bibob/sources/add/"),
            ("get", f"/cases/{ref}/bibob/conclusion/"),
            ("get", f"/cases/{ref}/bibob/term/extend/"),
            ("get", f"/cases/{ref}/bibob/share/"),
            ("post", f"/cases/{ref}/bibob/share/"),
            ("get", f"/cases/{ref}/bibob/letters/new/"),
            ("get", f"/cases/{ref}/bibob/letters/new/?template=voornemen_bibob"),
            ("get", f"/cases/{ref}/bibob/permit-handler/"),
            ("get", f"/cases/{ref}/bibob/outcome/"),
        ]

    def assert_walled(self, user, *, allowed=()):
        self.login(user)
        for method, url in self.urls():
            if url in allowed:
                continue
            with self.subTest(user=user.username, url=url):
                response = getattr(self.client, method)(url, {"name": "close"})
                self.assertEqual(response.status_code, 404)
        for url in ("/cases/", "/"):
            with self.subTest(user=user.username, url=url):
                response = self.client.get(url)
                self.assertNotContains(response, self.case.reference)
                self.assertNotContains(response, SECRET)
        # The search form echoes the query; the results stay empty.
        response = self.client.get("/search/", {"q": self.case.reference})
        self.assertEqual(list(response.context["results"]), [])

    def test_the_named_permit_handler_is_walled_too(self):
        # Named on the case it sees its outcome page, and nothing else.
        handler = self.others["vergunning"]
        bibob_permit_handler_add(case=self.case, user=self.bibob, handler=handler)
        outcome = f"/cases/{self.case.reference}/bibob/outcome/"
        self.assert_walled(handler, allowed=[outcome])
        response = self.client.get(outcome)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, SECRET)
        self.assertNotContains(response, f"/documents/{self.document.pk}/")

    def test_no_other_role_can_join_the_team(self):
        for name, user in self.others.items():
            with self.subTest(role=name):
                with self.assertRaises(ValidationError):
                    team_add(
                        case=self.case, user=user, team_role=CaseAccess.TeamRole.MEMBER
                    )

    def test_every_page_answers_404_to_every_other_role(self):
        for user in self.others.values():
            self.assert_walled(user)

    def test_a_stale_team_row_opens_nothing(self):
        # A team row without the role's right to read D5 (say, written before
        # the case became a Bibob case): the policy still says no.
        for user in self.others.values():
            CaseAccess.objects.create(
                user=user,
                case=self.case,
                organisation=user.membership.organisation,
                team_role=CaseAccess.TeamRole.MEMBER,
                sort_key=self.case.opened_at,
                case_type=self.case.case_type,
                data_class=self.case.data_class,
            )
        for user in self.others.values():
            self.assert_walled(user)

    def test_refused_reads_of_the_case_are_logged_as_denied(self):
        before = AccessLog.objects.count()
        self.login(self.owner)
        self.client.get(f"/cases/{self.case.reference}/")
        row = AccessLog.objects.order_by("id")[before:].get()
        self.assertEqual(
            (row.username, row.case_reference, row.data_class, row.result),
            ("owner", self.case.reference, DataClass.D5, AccessLog.Result.DENIED),
        )

    def test_the_burgemeester_on_the_team_reads_and_every_read_is_logged(self):
        ref = self.case.reference
        self.login(self.burgemeester)
        before = AccessLog.objects.count()
        for url in (
            f"/cases/{ref}/",
            f"/cases/{ref}/bibob/",
            f"/cases/{ref}/documents/{self.document.pk}/",
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        rows = AccessLog.objects.order_by("id")[before:]
        self.assertEqual(
            {(r.object_type, r.data_class, r.result) for r in rows},
            {
                ("case", DataClass.D5, "ok"),
                ("bibobsource", DataClass.D5, "ok"),
                ("bibobconclusion", DataClass.D5, "ok"),
                ("document", DataClass.D5, "ok"),
            },
        )
        self.assertTrue(all(r.username == "burgemeester" for r in rows))

    def test_the_coordinator_sees_the_history(self):
        self.login(self.bibob)
        self.assertContains(self.client.get(f"/cases/{self.case.reference}/"), SECRET)
