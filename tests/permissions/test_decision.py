"""The decision point (issue 13 items 1, 2 and 7): each leak the testers found,
tried as owner, team member, another partner and outsider, through the real
views and services on the real database. Every refusal leaves the data as it
was."""

import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Q
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from casework import deadlines, services
from casework.models import Case, Deadline, DeadlineAdjustment, Document
from permissions.decision import (
    CHANGE_TERM,
    MANAGE_TEAM,
    READ,
    READ_OUTCOME,
    TRIAGE,
    WRITE,
    UnknownPolicyQuestion,
    decide,
    row_filter,
)
from permissions.models import AccessLog, CaseAccess, Organisation, Role
from permissions.services import team_add
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, SignalFactory


class DecisionTestCase(BaseTestCase):
    """The base cast (LOD case: owner, colleague, burgemeester, politie
    contributor; outsider and Belastingdienst off the team) plus a BOA
    member, and the Belastingdienst once added to a team."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.toezicht = cls.make_user("toezicht", Role.TOEZICHT, cls.gemeente)
        services.case_team_add(
            case=cls.case,
            user=cls.owner,
            member=cls.toezicht,
            team_role=CaseAccess.TeamRole.MEMBER,
        )
        cls.deadline = deadlines.deadline_create(
            case=cls.case,
            user=cls.owner,
            title="Begunstigingstermijn",
            legal_basis="Awb 5:32a",
            event_date=cls.case.opened_at.date(),
            length=4,
            unit="weeks",
            atw_applies=True,
        )

    def get(self, user, url):
        self.client.force_login(user)
        return self.client.get(url)

    def post(self, user, url, data):
        self.client.force_login(user)
        return self.client.post(url, data)


class UnknownQuestionTests(DecisionTestCase):
    def test_an_unknown_action_or_kind_fails_loudly_in_tests(self):
        with self.assertRaises(UnknownPolicyQuestion):
            decide(self.owner, "delete-everything", "case", case=self.case)
        with self.assertRaises(UnknownPolicyQuestion):
            decide(self.owner, READ, "no-such-kind", case=self.case)

    @override_settings(CASEWORK_STRICT_POLICY=False)
    def test_and_is_refused_in_production(self):
        self.assertFalse(decide(self.owner, "delete-everything", self.case))
        self.assertFalse(decide(self.owner, READ, "no-such-kind", case=self.case))


class DeadlinePageTests(DecisionTestCase):
    """Partners may see only the outcome: no deadline pages (LOD, PGA, the
    Belastingdienst once on a team)."""

    def url(self, case=None, deadline=None):
        case = case or self.case
        deadline = deadline or self.deadline
        return f"/cases/{case.reference}/deadlines/{deadline.pk}/"

    def test_owner_and_member_read_partners_and_outsiders_get_404(self):
        services.case_team_add(
            case=self.case, user=self.owner, member=self.belastingdienst_user,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip
        for user, status in (
            (self.owner, 200),
            (self.colleague, 200),
            (self.politie_user, 404),
            (self.belastingdienst_user, 404),
            (self.outsider, 404),
        ):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, self.url()).status_code, status)

    def test_an_unknown_deadline_answers_as_a_refused_one(self):
        missing = f"/cases/{self.case.reference}/deadlines/{self.deadline.pk + 999}/"
        self.assertEqual(self.get(self.politie_user, missing).status_code, 404)
        self.assertEqual(self.get(self.owner, missing).status_code, 404)

    def test_a_partner_on_a_pga_case_reads_no_deadline(self):
        regisseur = self.make_user("regisseur", Role.CASUSREGISSEUR, self.gemeente)
        zorg = OrganisationFactory(name="Zorg", kind=Organisation.Kind.ZORG)
        zorg_user = self.make_user("zorg", Role.PARTNER, zorg)
        pga = services.case_open(user=regisseur, case_type=CaseType.PGA, title="PGA")
        for member in (self.politie_user, zorg_user):
            team_add(case=pga, user=member, team_role=CaseAccess.TeamRole.CONTRIBUTOR)
        deadline = deadlines.deadline_create(
            case=pga, user=regisseur, title="Termijn", legal_basis="Wgs 2.31",
            event_date=pga.opened_at.date(), length=2, unit="weeks",
            atw_applies=False,
        )  # fmt: skip
        url = self.url(pga, deadline)
        self.assertEqual(self.get(regisseur, url).status_code, 200)
        for user in (self.politie_user, zorg_user, self.owner):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, url).status_code, 404)


class TermAndTeamTests(DecisionTestCase):
    """The BOA neither manages the team nor changes a legal deadline."""

    def test_the_boa_cannot_suspend_or_extend_a_begunstigingstermijn(self):
        base = self.url = f"/cases/{self.case.reference}/deadlines/{self.deadline.pk}"
        end = self.deadline.end_date
        for user in (self.toezicht, self.politie_user, self.outsider):
            for action, data in (
                ("extend", {"days": 300, "legal_basis": "Awb", "reason": "x"}),
                (
                    "suspend",
                    {"start": "2026-01-10", "legal_basis": "Awb", "reason": "x"},
                ),  # fmt: skip
            ):
                with self.subTest(user=user.username, action=action):
                    response = self.post(user, f"{base}/{action}/", data)
                    self.assertEqual(response.status_code, 404)
        self.assertFalse(DeadlineAdjustment.objects.exists())
        self.assertEqual(Deadline.objects.get(pk=self.deadline.pk).end_date, end)
        with self.assertRaises(PermissionDenied):
            deadlines.deadline_extend(
                deadline=self.deadline, user=self.toezicht, days=300,
                legal_basis="Awb 4:14", reason="x",
            )  # fmt: skip
        self.assertEqual(self.get(self.toezicht, f"{base}/").status_code, 200)
        self.assertEqual(
            self.get(
                self.toezicht, f"/cases/{self.case.reference}/deadlines/add/"
            ).status_code,
            404,
        )

    def test_the_owner_and_a_jurist_member_change_the_term(self):
        base = f"/cases/{self.case.reference}/deadlines/{self.deadline.pk}"
        for user in (self.owner, self.colleague):
            self.post(
                user, f"{base}/extend/",
                {"days": 3, "legal_basis": "Awb 4:14", "reason": "verdaging"},
            )  # fmt: skip
        self.assertEqual(DeadlineAdjustment.objects.count(), 2)
        self.assertTrue(decide(self.owner, CHANGE_TERM, "deadline", case=self.case))
        self.assertFalse(decide(self.toezicht, CHANGE_TERM, "deadline", case=self.case))

    def test_the_boa_cannot_add_the_belastingdienst_to_the_team(self):
        url = f"/cases/{self.case.reference}/team/add/"
        for user in (self.toezicht, self.politie_user, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, url).status_code, 404)
                response = self.post(
                    user, url, {"member": self.belastingdienst_user.pk,
                                "team_role": "contributor"},
                )  # fmt: skip
                self.assertEqual(response.status_code, 404)
        self.assertFalse(
            CaseAccess.objects.filter(user=self.belastingdienst_user).exists()
        )
        with self.assertRaises(PermissionDenied):
            services.case_team_add(
                case=self.case, user=self.toezicht, member=self.belastingdienst_user,
                team_role=CaseAccess.TeamRole.CONTRIBUTOR,
            )  # fmt: skip
        self.assertTrue(decide(self.owner, MANAGE_TEAM, "team", case=self.case))
        self.assertTrue(decide(self.colleague, MANAGE_TEAM, "team", case=self.case))
        self.assertEqual(self.get(self.owner, url).status_code, 200)

    def test_the_case_page_offers_the_boa_neither_link(self):
        response = self.get(self.toezicht, self.case.get_absolute_url())
        self.assertNotContains(response, f"/cases/{self.case.reference}/team/add/")
        self.assertNotContains(response, "/deadlines/add/")
        response = self.get(self.owner, self.case.get_absolute_url())
        self.assertContains(response, f"/cases/{self.case.reference}/team/add/")


class LetterTests(DecisionTestCase):
    """The letter page offers the case type's letters the role may make."""

    def url(self):
        return f"/cases/{self.case.reference}/documents/new/"

    def test_only_the_case_types_letters_and_only_those_the_role_makes(self):
        # A letter is offered once the step it records exists (the voornemen;
        # workflows/lod/letters.py PROCEDURE_LETTERS): no besluit letter yet.
        for name in ("start_assessment", "send_intention"):
            services.case_transition(case=self.case, name=name, user=self.owner)
        offered = {t.key for t in self.get(self.owner, self.url()).context["templates"]}
        self.assertIn("voornemen_lod", offered)
        self.assertNotIn("besluit_lod", offered)
        self.assertNotIn("voornemen_bibob", offered)
        self.assertNotIn("plan_van_aanpak", offered)
        boa = {t.key for t in self.get(self.toezicht, self.url()).context["templates"]}
        self.assertNotIn("besluit_lod", boa)
        self.assertFalse(boa & {"voornemen_lod", "waarschuwing_lod"})
        for user in (self.politie_user, self.outsider, self.burgemeester):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, self.url()).status_code, 404)

    def test_a_crafted_post_for_another_letter_is_refused(self):
        for user, key in (
            (self.toezicht, "besluit_lod"),
            (self.owner, "voornemen_bibob"),
            (self.owner, "plan_van_aanpak"),
            (self.owner, "no_such_letter"),
            (self.outsider, "besluit_lod"),
        ):
            with self.subTest(user=user.username, key=key):
                response = self.post(user, self.url(), {"template": key})
                self.assertEqual(response.status_code, 404)
                self.assertEqual(
                    self.get(user, f"{self.url()}?template={key}").status_code, 404
                )
        self.assertFalse(Document.objects.exists())


class PlanDocumentTests(BaseTestCase):
    """The plan van aanpak lists every partner's interventions: only the
    casusregisseur downloads it; outcome-only readers get no document."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.regisseur = cls.make_user("regisseur", Role.CASUSREGISSEUR, cls.gemeente)
        cls.pga = services.case_open(
            user=cls.regisseur, case_type=CaseType.PGA, title="PGA Jansen"
        )
        cls.om_user = cls.make_user("om", Role.PARTNER, cls.om)
        for member in (cls.politie_user, cls.om_user):
            team_add(
                case=cls.pga, user=member, team_role=CaseAccess.TeamRole.CONTRIBUTOR
            )

        def document(key):
            content = f"%PDF {key}".encode()
            return Document.objects.create(
                case=cls.pga, template_key=key, template_version="1",
                title=key, version=1, inputs={}, content=content,
                sha256=hashlib.sha256(content).hexdigest(), data_class="D10",
                author=cls.regisseur,
            )  # fmt: skip

        cls.plan = document("plan_van_aanpak")
        cls.invitation = document("uitnodiging_casusoverleg")

    def test_only_the_casusregisseur_downloads_the_plan(self):
        for document in (self.plan, self.invitation):
            url = f"/cases/{self.pga.reference}/documents/{document.pk}/"
            for user, status in (
                (self.regisseur, 200),
                (self.politie_user, 404),
                (self.om_user, 404),
                (self.outsider, 404),
            ):
                with self.subTest(user=user.username, key=document.template_key):
                    self.client.force_login(user)
                    self.assertEqual(self.client.get(url).status_code, status)

    def test_the_list_of_documents_follows_the_same_rule(self):
        from casework.documents import documents_for_user
        from casework.selectors import page_documents

        self.assertEqual(
            {d.pk for d in documents_for_user(self.regisseur, self.pga)},
            {self.plan.pk, self.invitation.pk},
        )
        self.assertEqual(
            {r.pk for r in page_documents(self.regisseur, self.pga)},
            {self.plan.pk, self.invitation.pk},
        )
        for user in (self.politie_user, self.om_user):
            self.assertFalse(documents_for_user(user, self.pga).exists())
            self.assertEqual(page_documents(user, self.pga), [])
        # A casusregisseur who joined as a contributor reads the invitation,
        # not the plan.
        other = self.make_user("regisseur2", Role.CASUSREGISSEUR, self.gemeente)
        team_add(case=self.pga, user=other, team_role=CaseAccess.TeamRole.CONTRIBUTOR)
        self.assertEqual(
            {r.pk for r in page_documents(other, self.pga)}, {self.invitation.pk}
        )


class FindingTests(BaseTestCase):
    """Findings per compartment: role × data class × own organisation /
    shareable; fiscal findings never to private parties."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from workflows.controle.models import Finding

        cls.coordinator = cls.make_user("coordinator", Role.COORDINATOR, cls.gemeente)
        cls.toezicht = cls.make_user("toezicht", Role.TOEZICHT, cls.gemeente)
        corporatie = OrganisationFactory(
            name="Woonstichting", kind=Organisation.Kind.WONINGCORPORATIE
        )
        cls.corporatie_user = cls.make_user("corporatie", Role.PARTNER, corporatie)
        cls.visit = services.case_open(
            user=cls.coordinator, case_type=CaseType.CONTROLE, title="Loodsweg 7"
        )
        for member, role in (
            (cls.owner, CaseAccess.TeamRole.MEMBER),
            (cls.toezicht, CaseAccess.TeamRole.MEMBER),
            (cls.politie_user, CaseAccess.TeamRole.CONTRIBUTOR),
            (cls.belastingdienst_user, CaseAccess.TeamRole.CONTRIBUTOR),
            (cls.corporatie_user, CaseAccess.TeamRole.CONTRIBUTOR),
        ):
            services.case_team_add(
                case=cls.visit, user=cls.coordinator, member=member, team_role=role
            )

        def finding(user, org, data_class, shareable, fiscal=False):
            return Finding.objects.create(
                case=cls.visit, organisation=org, author=user, text=data_class,
                data_class=data_class, shareable=shareable, fiscal=fiscal,
            )  # fmt: skip

        cls.police = finding(cls.politie_user, cls.politie, "D3", False)
        cls.police_shared = finding(cls.politie_user, cls.politie, "D3", True)
        cls.fiscal = finding(
            cls.belastingdienst_user, cls.belastingdienst, "D6", False, True
        )
        cls.fiscal_shared = finding(
            cls.belastingdienst_user, cls.belastingdienst, "D6", True, True
        )
        cls.gemeente_fiscal = finding(cls.toezicht, cls.gemeente, "D0", True, True)
        cls.boa = finding(cls.toezicht, cls.gemeente, "D0", True)

    def seen(self, user):
        from workflows.controle.models import findings_for

        return set(findings_for(user, self.visit))

    def test_each_reader_sees_what_its_role_and_organisation_allow(self):
        everything = {
            self.police, self.police_shared, self.fiscal, self.fiscal_shared,
            self.gemeente_fiscal, self.boa,
        }  # fmt: skip
        expected = {
            # The coordinator reads every compartment its classes allow.
            "coordinator": everything,
            # The jurist: no fiscal (D6) findings, shareable or not.
            "owner": {
                self.police,
                self.police_shared,
                self.gemeente_fiscal,
                self.boa,
            },  # fmt: skip
            # The BOA: no police or fiscal findings, even shareable ones.
            "toezicht": {self.gemeente_fiscal, self.boa},
            "politie": {
                self.police,
                self.police_shared,
                self.gemeente_fiscal,
                self.boa,
            },  # fmt: skip
            "belastingdienst": {
                self.fiscal,
                self.fiscal_shared,
                self.gemeente_fiscal,
                self.boa,
            },  # fmt: skip
            # Private parties never see fiscal findings.
            "corporatie": {self.boa},
            "outsider": set(),
        }
        for user in (
            self.coordinator, self.owner, self.toezicht, self.politie_user,
            self.belastingdienst_user, self.corporatie_user, self.outsider,
        ):  # fmt: skip
            with self.subTest(user=user.username):
                self.assertEqual(self.seen(user), expected[user.username])

    def test_the_sql_filter_and_the_object_answer_agree(self):
        from workflows.controle.models import Finding

        for user in (self.owner, self.toezicht, self.corporatie_user):
            condition = row_filter(
                user, "finding", organisation_field="organisation_id",
                shared=Q(shareable=True),
                flagged=Q(fiscal=True),
            )  # fmt: skip
            in_sql = set(Finding.objects.filter(condition, case=self.visit))
            by_object = {
                f
                for f in Finding.objects.filter(case=self.visit)
                if decide(
                    user,
                    READ,
                    "finding",
                    case=self.visit,
                    data_class=f.data_class,
                    organisation_id=f.organisation_id,
                    shared=f.shareable,
                    flagged=f.fiscal,
                )  # fmt: skip
            }
            self.assertEqual(in_sql, by_object, user.username)

    def test_the_findings_page_lists_only_follow_up_cases_the_reader_opens(self):
        child = services.case_open(
            user=self.coordinator, case_type=CaseType.LOD, title="Geheim vervolg",
            parent=self.visit,
        )  # fmt: skip
        url = f"/cases/{self.visit.reference}/findings/"
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get(url), "Geheim vervolg")
        self.client.force_login(self.toezicht)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Geheim vervolg")
        self.assertNotContains(response, child.reference)


class SignalAndTopXTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.regisseur = cls.make_user("regisseur", Role.CASUSREGISSEUR, cls.gemeente)
        cls.referral = SignalFactory(registered_by=cls.regisseur, data_class="D10")

    def test_a_pga_referral_signal_is_for_the_casusregisseur_only(self):
        from casework.models import Signal

        self.client.force_login(self.regisseur)
        self.assertEqual(
            self.client.get(self.referral.get_absolute_url()).status_code, 200
        )
        for user in (self.owner, self.burgemeester, self.outsider, self.politie_user):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get(self.referral.get_absolute_url())
                self.assertEqual(response.status_code, 404)
                self.assertFalse(Signal.objects.for_user(user).exists())

    def test_the_top_x_page_is_logged_and_for_the_casusregisseur_only(self):
        from workflows.pga import services as pga

        pga_case = services.case_open(
            user=self.regisseur, case_type=CaseType.PGA, title="PGA"
        )
        team_add(
            case=pga_case, user=self.politie_user,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip
        from workflows.pga.models import TopXEntry

        entry = TopXEntry.objects.create(
            case=pga_case, placed_by=self.regisseur, reason="Veelpleger"
        )
        self.assertEqual(list(pga.top_x_list(self.regisseur)), [entry])
        self.assertEqual(list(pga.top_x_list(self.politie_user)), [])
        self.client.force_login(self.politie_user)
        self.assertEqual(list(self.client.get("/pga/top-x/").context["entries"]), [])
        self.client.force_login(self.regisseur)
        before = AccessLog.objects.count()
        self.client.get("/pga/top-x/")
        row = AccessLog.objects.order_by("id")[before:].get()
        self.assertEqual(
            (row.object_type, row.data_class, row.case_id, row.result),
            ("topxentry", "D10", pga_case.pk, "ok"),
        )


@override_settings(CASEWORK_DENIED_LOG_PER_MINUTE=3)
class RefusalTests(DecisionTestCase):
    """Refusals tell nothing, and cannot flood the log."""

    def setUp(self):
        cache.clear()

    def test_the_same_work_whether_or_not_the_case_exists(self):
        bibob = self.make_user("bibob", Role.BIBOB, self.gemeente)
        secret = services.case_open(user=bibob, case_type=CaseType.BIBOB, title="X")
        self.client.force_login(self.outsider)
        # The session, and the log's head row made by its first writer.
        self.client.get("/cases/2026-BIB-9998/")
        counts = []
        for url in (secret.get_absolute_url(), "/cases/2026-BIB-9999/"):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 404)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(
            list(AccessLog.objects.values_list("result", flat=True)),
            ["denied", "denied", "denied"],
        )

    def test_denied_rows_are_capped_per_user_and_minute(self):
        for _ in range(6):
            self.get(self.outsider, self.case.get_absolute_url())
        self.get(self.belastingdienst_user, self.case.get_absolute_url())
        rows = AccessLog.objects.filter(result="denied")
        self.assertEqual(rows.filter(user_id=self.outsider.pk).count(), 3)
        self.assertEqual(rows.filter(user_id=self.belastingdienst_user.pk).count(), 1)

    def test_refusals_change_nothing(self):
        before = (
            Case.objects.values_list("status", "title").get(pk=self.case.pk),
            CaseAccess.objects.count(),
            Deadline.objects.values_list("end_date", flat=True).get(
                pk=self.deadline.pk
            ),
        )
        self.post(self.outsider, f"/cases/{self.case.reference}/team/add/",
                  {"member": self.outsider.pk, "team_role": "owner"})  # fmt: skip
        self.post(
            self.toezicht,
            f"/cases/{self.case.reference}/deadlines/{self.deadline.pk}/extend/",
            {"days": 300, "legal_basis": "x", "reason": "y"},
        )
        after = (
            Case.objects.values_list("status", "title").get(pk=self.case.pk),
            CaseAccess.objects.count(),
            Deadline.objects.values_list("end_date", flat=True).get(
                pk=self.deadline.pk
            ),
        )
        self.assertEqual(before, after)

    def test_a_partner_opens_the_outcome_not_the_file(self):
        self.assertTrue(decide(self.politie_user, READ_OUTCOME, self.case))
        self.assertFalse(decide(self.politie_user, READ, self.case))
        self.assertTrue(decide(self.owner, READ, self.case))
        self.assertFalse(decide(self.outsider, READ_OUTCOME, self.case))


class SignalTriageTests(DecisionTestCase):
    """Triage, convert and file are the decision point's `TRIAGE`: the roles
    that open cases, on a signal they read. A reader outside them gets 404,
    a denied row, and nothing changes (issue 13)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A police report (D3) shared with the gemeente; a gemeente signal (D0).
        cls.report = SignalFactory(
            police_report=True,
            registered_by=cls.politie_user,
            shared_with=[cls.gemeente],
        )
        cls.own = SignalFactory(registered_by=cls.owner)

    POSTS = (
        ("triage/", {}),
        ("convert/", {"form_token": "c1", "case_type": "LOD", "title": "Probe"}),
        ("file/", {"reason": "Geen actie."}),
    )

    def facts(self, user, signal):
        from permissions.policy import actor_for

        shared = actor_for(user).organisation_id in {
            o.pk for o in signal.shared_with.all()
        }
        return {
            "data_class": signal.data_class,
            "organisation_id": signal.source_organisation_id,
            "shared": shared,
        }

    def test_the_decision_point_answers_triage(self):
        for user, signal, allowed in (
            (self.owner, self.report, True),
            (self.owner, self.own, True),
            (self.burgemeester, self.report, False),  # reads it, no triage role
            (self.toezicht, self.own, False),
            (self.politie_user, self.report, False),  # its own report
            (self.belastingdienst_user, self.report, False),  # reads nothing
        ):
            with self.subTest(user=user.username, signal=signal.reference):
                self.assertEqual(
                    decide(user, TRIAGE, "signal", **self.facts(user, signal)),
                    allowed,
                )
        with self.assertRaises(UnknownPolicyQuestion):
            decide(self.owner, TRIAGE, "deadline", case=self.case)

    def test_readers_outside_the_triage_roles_get_404_and_nothing_changes(self):
        from casework.models import Signal

        before = (
            list(Signal.objects.order_by("pk").values_list("pk", "status")),
            Case.objects.count(),
        )
        denied = AccessLog.objects.filter(result="denied").count()
        for user, signal in (
            (self.burgemeester, self.report),
            (self.politie_user, self.report),
            (self.toezicht, self.own),
        ):
            for suffix, data in self.POSTS:
                with self.subTest(user=user.username, post=suffix):
                    url = f"{signal.get_absolute_url()}{suffix}"
                    self.assertEqual(self.post(user, url, data).status_code, 404)
        after = (
            list(Signal.objects.order_by("pk").values_list("pk", "status")),
            Case.objects.count(),
        )
        self.assertEqual(before, after)
        self.assertEqual(AccessLog.objects.filter(result="denied").count(), denied + 9)

    def test_a_triage_role_still_triages_converts_and_files(self):
        from casework.models import Signal

        base = self.report.get_absolute_url()
        self.assertEqual(self.post(self.owner, f"{base}triage/", {}).status_code, 302)
        self.assertEqual(
            Signal.objects.get(pk=self.report.pk).status, Signal.Status.TRIAGE
        )
        response = self.post(self.owner, f"{base}convert/", self.POSTS[1][1])
        case = Signal.objects.get(pk=self.report.pk).cases.get()
        self.assertRedirects(
            response, case.get_absolute_url(), fetch_redirect_response=False
        )
        self.post(self.owner, f"{self.own.get_absolute_url()}file/", self.POSTS[2][1])
        self.assertEqual(Signal.objects.get(pk=self.own.pk).status, Signal.Status.FILED)


class ProxyInstanceTests(DecisionTestCase):
    """A case type's proxy instance (`registry.proxy_for` changes the class in
    place) is answered as its case, not as an unknown kind."""

    def test_a_proxy_case_is_the_case(self):
        from casework.registry import registry

        proxy = registry.proxy_for(Case.objects.get(pk=self.case.pk))
        self.assertIsNot(type(proxy), Case)
        self.assertTrue(proxy._meta.proxy)
        for user, action, allowed in (
            (self.owner, READ, True),
            (self.owner, WRITE, True),
            (self.owner, MANAGE_TEAM, True),
            (self.politie_user, READ_OUTCOME, True),
            (self.politie_user, READ, False),
            (self.politie_user, WRITE, False),
            (self.outsider, READ_OUTCOME, False),
        ):
            with self.subTest(user=user.username, action=action):
                self.assertEqual(decide(user, action, proxy), allowed)
                self.assertEqual(decide(user, action, self.case), allowed)


class PasswordResetTests(DecisionTestCase):
    """A user who forgot the password asks for the mail without logging in;
    the answer is the same whether or not the address is known."""

    def setUp(self):
        self.client.logout()

    def test_the_request_pages_open_without_a_login(self):
        for url in ("/accounts/password_reset/", "/accounts/password_reset/done/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        # The rest still needs a login.
        response = self.client.get("/cases/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/accounts/login/"))

    def test_the_answer_does_not_tell_whether_the_address_exists(self):
        from django.core import mail

        self.owner.email = "jurist@venlo.example"
        self.owner.save(update_fields=["email"])
        known = self.client.post(
            "/accounts/password_reset/", {"email": "jurist@venlo.example"}
        )
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["jurist@venlo.example"])
        unknown = self.client.post(
            "/accounts/password_reset/", {"email": "niemand@venlo.example"}
        )
        self.assertEqual(len(mail.outbox), 1)
        for response in (known, unknown):
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], "/accounts/password_reset/done/")
        done = [self.client.get(r["Location"]) for r in (known, unknown)]
        self.assertEqual(done[0].content, done[1].content)
