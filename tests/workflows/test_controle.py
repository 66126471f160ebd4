"""Integrale controle (issue 6, first part): the states of docs/domain.md §4.2
with the edges of §4.3, the flow, the planning guard, and the coordinator's
selection board with its compartments."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework import services
from casework.models import Case, Location, Signal
from permissions.models import CaseAccess, DataClass, Role
from tests.base import BaseTestCase
from tests.case_types import CaseType
from workflows.controle.flow import ControleFlow
from workflows.controle.models import (
    NOT_NOW,
    Dismissal,
    Finding,
    PartnerSlot,
    board_candidates,
    board_dismiss,
    board_select,
    briefing_read,
    briefing_save,
    finding_record,
    findings_for,
    follow_up_open,
    referral_record,
    slot_add,
    slot_confirm,
    visit_plan,
)


class ControleTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coordinator = cls.make_user("coordinator", Role.COORDINATOR, cls.gemeente)
        cls.toezicht = cls.make_user("toezicht", Role.TOEZICHT, cls.gemeente)

    def new_case(self):
        case = services.case_open(
            user=self.coordinator, case_type=CaseType.CONTROLE, title="Loods 7"
        )
        for member, role in (
            (self.toezicht, CaseAccess.TeamRole.MEMBER),
            # The jurist who takes a follow-up last onder dwangsom.
            (self.colleague, CaseAccess.TeamRole.MEMBER),
            (self.politie_user, CaseAccess.TeamRole.CONTRIBUTOR),
            (self.belastingdienst_user, CaseAccess.TeamRole.CONTRIBUTOR),
        ):
            services.case_team_add(
                case=case, user=self.coordinator, member=member, team_role=role
            )
        return case

    def step(self, case, name, user, note="Met redenen"):
        if name == "hold_briefing" and not hasattr(case, "briefing"):
            # The C30 → C35 guard: a briefing must be prepared first.
            briefing_save(case=case, user=self.coordinator, risk_flags="Hond",
                          powers="Awb 5:15")  # fmt: skip
        return services.case_transition(case=case, name=name, user=user, note=note)

    def to_the_visit(self):
        """A new inspection, planned and walked up to its visit (C40)."""
        case = self.new_case()
        self.plan(case)
        for name, user in (
            ("start_triage", self.coordinator), ("select", self.coordinator),
            ("check_entry", self.coordinator), ("fix_plan", self.coordinator),
            ("hold_briefing", self.toezicht), ("start_visit", self.toezicht),
        ):  # fmt: skip
            case = self.step(case, name, user)
        return case

    def plan(self, case, *, confirm=True):
        visit = visit_plan(
            case=case,
            user=self.coordinator,
            planned_at=timezone.now() + timedelta(days=7),
            lead=self.toezicht,
        )
        slot = slot_add(
            visit=visit, user=self.coordinator, kind=PartnerSlot.Kind.BELASTINGDIENST,
            legal_basis="AWR 49", organisation=self.belastingdienst,
        )  # fmt: skip
        if confirm:
            slot_confirm(slot=slot, user=self.belastingdienst_user)
        return visit


class ControleStateTests(ControleTestCase):
    def walk(self, case, steps):
        for name, user, expected in steps:
            case = self.step(case, name, getattr(self, user))
            self.assertEqual(case.status, expected, msg=name)
        return case

    def test_selected_visited_followed_up_and_closed(self):
        case = self.new_case()
        case = self.walk(case, [
            ("start_triage", "coordinator", "C10"),
            ("select", "coordinator", "C20"),
            ("check_entry", "coordinator", "C25"),
        ])  # fmt: skip
        with self.assertRaises(ValidationError):
            self.step(case, "fix_plan", self.coordinator)  # no confirmed plan yet
        self.plan(case)
        case = self.walk(case, [
            ("fix_plan", "coordinator", "C30"),
            ("hold_briefing", "toezicht", "C35"),
            ("start_visit", "toezicht", "C40"),
            ("finish_visit", "toezicht", "C50"),
            ("decide_follow_up", "coordinator", "C60"),
            ("give_feedback", "coordinator", "C70"),
            ("close", "coordinator", "C99"),
        ])  # fmt: skip
        self.assertIsNotNone(Case.objects.get(pk=case.pk).closed_at)
        self.assertFalse(
            Task.objects.filter(
                process__caseprocess__case=case,
                status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
            ).exists()
        )

    def test_an_aborted_visit_is_planned_again_or_closed(self):
        case = self.new_case()
        case = self.walk(case, [
            ("start_triage", "coordinator", "C10"),
            ("select", "coordinator", "C20"),
            ("check_entry", "coordinator", "C25"),
        ])  # fmt: skip
        self.plan(case)
        case = self.walk(case, [
            ("fix_plan", "coordinator", "C30"),
            ("hold_briefing", "toezicht", "C35"),
            ("start_visit", "toezicht", "C40"),
            ("abort", "toezicht", "C45"),
            ("replan", "coordinator", "C75"),
            ("fix_plan", "coordinator", "C30"),
            ("hold_briefing", "toezicht", "C35"),
            ("start_visit", "toezicht", "C40"),
            ("abort", "toezicht", "C45"),
            ("close", "coordinator", "C99"),
        ])  # fmt: skip

    def test_a_re_inspection_goes_back_to_planning(self):
        case = self.new_case()
        self.plan(case)
        self.walk(case, [
            ("start_triage", "coordinator", "C10"),
            ("select", "coordinator", "C20"),
            ("check_entry", "coordinator", "C25"),
            ("fix_plan", "coordinator", "C30"),
            ("hold_briefing", "toezicht", "C35"),
            ("start_visit", "toezicht", "C40"),
            ("finish_visit", "toezicht", "C50"),
            ("decide_follow_up", "coordinator", "C60"),
            ("give_feedback", "coordinator", "C70"),
            ("schedule_reinspection", "coordinator", "C75"),
            ("fix_plan", "coordinator", "C30"),
        ])  # fmt: skip

    def test_refused_steps(self):
        case = self.new_case()
        for user in (self.politie_user, self.belastingdienst_user, self.toezicht,
                     self.outsider):  # fmt: skip
            with self.subTest(user=user.username):
                with self.assertRaises((PermissionDenied, ValidationError)):
                    self.step(case, "start_triage", user)
        self.assertEqual(Case.objects.get(pk=case.pk).status, "C00")
        with self.assertRaises(ValidationError):
            self.step(case, "finish_visit", self.toezicht)  # wrong state

    def test_the_flow_follows_the_phases(self):
        case = self.new_case()
        self.assertEqual(
            [t.flow_task.name for t in Task.objects.filter(
                process__caseprocess__case=case, status=STATUS.NEW)],
            ["triage"],
        )  # fmt: skip
        self.assertIs(ControleFlow.phase_of["C40"], "visit")


class PlanningTests(ControleTestCase):
    def test_a_partner_confirms_only_its_own_slot_on_a_team_it_is_on(self):
        case = self.new_case()
        visit = self.plan(case, confirm=False)
        slot = visit.slots.get()
        with self.assertRaises(PermissionDenied):
            slot_confirm(slot=slot, user=self.politie_user)  # another partner
        with self.assertRaises(PermissionDenied):
            slot_confirm(slot=slot, user=self.outsider)
        slot_confirm(slot=slot, user=self.belastingdienst_user)
        slot.refresh_from_db()
        self.assertEqual(
            (slot.confirmed, slot.confirmed_by), (True, self.belastingdienst_user)
        )

    def test_a_visit_is_planned_by_the_coordinator_in_the_future(self):
        case = self.new_case()
        with self.assertRaises(ValidationError):
            visit_plan(case=case, user=self.coordinator, lead=self.toezicht,
                       planned_at=timezone.now() - timedelta(hours=1))  # fmt: skip
        with self.assertRaises(PermissionDenied):
            visit_plan(case=case, user=self.politie_user, lead=self.toezicht,
                       planned_at=timezone.now() + timedelta(days=1))  # fmt: skip


class SelectionBoardTests(ControleTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()

        numbers = {"Loodsweg": 7, "Markt": 12, "Geheimstraat": 3}

        def report(street, days_ago, *, shared=True, source=Signal.Source.MMA):
            return services.signal_register(
                user=cls.politie_user, source=source,
                received_on=today - timedelta(days=days_ago),
                summary=f"Signaal over {street}", data_class=DataClass.D3,
                legal_basis="Wpg 19",
                shared_with=[cls.gemeente] if shared else [],
                parties=[],
                locations=[Location(street=street, postcode="5911 AB",
                                    house_number=numbers[street], city="Venlo",
                                    area="Q4")],
            )  # fmt: skip

        cls.loods = [report("Loodsweg", d) for d in (30, 20, 10)]
        cls.loods.append(
            report("Loodsweg", 5, source=Signal.Source.BESTUURLIJKE_RAPPORTAGE)
        )
        cls.markt = [report("Markt", 2)]
        cls.hidden = [report("Geheimstraat", 1, shared=False)]
        cls.loodsweg = cls.loods[0].locations.get()
        cls.marktplein = cls.markt[0].locations.get()

    def test_addresses_ranked_by_signal_count_then_recency_without_unshared(self):
        rows = board_candidates(self.coordinator)
        self.assertEqual(
            [row.pk for row in rows], [self.loodsweg.pk, self.marktplein.pk]
        )
        self.assertEqual((rows[0].signal_count, rows[1].signal_count), (4, 1))
        self.assertEqual(len(rows[0].sources), 2)

    def test_only_signals_of_the_window_count(self):
        """The board ranks by the signals of the last BOARD_WINDOW_DAYS days:
        a signal one day older counts for nothing; on the last day it does."""
        from workflows.controle.models import BOARD_WINDOW_DAYS

        today = timezone.localdate()

        def report(number, days_ago):
            return services.signal_register(
                user=self.politie_user, source=Signal.Source.MMA,
                received_on=today - timedelta(days=days_ago),
                summary="Oud signaal", data_class=DataClass.D3,
                legal_basis="Wpg 19", shared_with=[self.gemeente], parties=[],
                locations=[Location(street="Oudeweg", postcode="5911 AB",
                                    house_number=number, city="Venlo",
                                    area="Q4")],
            )  # fmt: skip

        old = report(1, BOARD_WINDOW_DAYS + 1).locations.get()
        edge = report(2, BOARD_WINDOW_DAYS).locations.get()
        rows = {row.pk: row for row in board_candidates(self.coordinator)}
        self.assertNotIn(old.pk, rows)
        self.assertEqual(rows[edge.pk].signal_count, 1)
        self.client.force_login(self.coordinator)
        response = self.client.get("/controle/selection/")
        self.assertContains(response, f"van de afgelopen {BOARD_WINDOW_DAYS} dagen")

    def test_filter_by_source_and_area(self):
        rows = board_candidates(
            self.coordinator, source=Signal.Source.BESTUURLIJKE_RAPPORTAGE
        )
        self.assertEqual(
            [(r.pk, r.signal_count) for r in rows], [(self.loodsweg.pk, 1)]
        )
        self.assertEqual(board_candidates(self.coordinator, area="Blerick"), [])

    def test_a_dismissed_address_returns_with_a_newer_signal(self):
        board_dismiss(user=self.coordinator, location=self.marktplein,
                      reason="Reguliere handhaving")  # fmt: skip
        self.assertNotIn(
            self.marktplein.pk, [r.pk for r in board_candidates(self.coordinator)]
        )
        with self.assertRaises(ValidationError):
            board_dismiss(user=self.coordinator, location=self.loodsweg, reason=" ")
        Dismissal.objects.update(dismissed_on=timezone.localdate() - timedelta(days=3))
        self.assertIn(
            self.marktplein.pk, [r.pk for r in board_candidates(self.coordinator)]
        )

    def test_selecting_opens_the_inspection_with_its_signals(self):
        case = board_select(user=self.coordinator, location=self.loodsweg)
        self.assertEqual((case.case_type, case.status), (CaseType.CONTROLE, "C20"))
        self.assertEqual(set(case.signals.all()), set(self.loods))
        self.assertEqual(case.locations.get().location, self.loodsweg)
        self.assertEqual(
            [t.flow_task.name for t in Task.objects.filter(
                process__caseprocess__case=case, status=STATUS.NEW)],
            ["prepare"],
        )  # fmt: skip
        # The open case is counted on the board.
        row = next(
            r for r in board_candidates(self.coordinator) if r.pk == self.loodsweg.pk
        )
        self.assertEqual(row.open_cases, 1)

    def test_who_sees_the_board(self):
        expected = {
            self.coordinator: 200,
            self.owner: 200,  # jurist
            self.toezicht: 404,
            self.burgemeester: 404,
            self.politie_user: 404,
            self.belastingdienst_user: 404,
            self.fg: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(
                    self.client.get("/controle/selection/").status_code, status
                )
        self.client.logout()
        self.assertEqual(self.client.get("/controle/selection/").status_code, 302)

    def test_select_and_dismiss_by_post_only_for_the_board_and_visible_addresses(self):
        hidden = self.hidden[0].locations.get()
        self.login(self.coordinator)
        self.assertEqual(
            self.client.post(f"/controle/selection/{hidden.pk}/select/").status_code,
            404,
        )
        self.assertEqual(
            self.client.get(
                f"/controle/selection/{self.loodsweg.pk}/select/"
            ).status_code,
            405,
        )
        # Without its form token the select is refused (a double click
        # would open two inspections): nothing opened.
        url = f"/controle/selection/{self.loodsweg.pk}/select/"
        self.assertRedirects(
            self.client.post(url), "/controle/selection/", fetch_redirect_response=False
        )
        self.assertFalse(Case.objects.filter(case_type=CaseType.CONTROLE).exists())
        response = self.client.post(url, {"form_token": "select-loodsweg"})
        case = Case.objects.get(case_type=CaseType.CONTROLE)
        self.assertRedirects(response, case.get_absolute_url())
        self.login(self.politie_user)
        self.assertEqual(
            self.client.post(
                f"/controle/selection/{self.marktplein.pk}/dismiss/", {"reason": "x"}
            ).status_code,
            404,
        )
        self.assertFalse(Dismissal.objects.exists())


class PlanningPageTests(ControleTestCase):
    def setUp(self):
        self.inspection = self.new_case()
        self.url = f"/cases/{self.inspection.reference}/planning/"

    def test_who_sees_the_planning(self):
        expected = {
            self.coordinator: 200,
            self.toezicht: 200,
            self.belastingdienst_user: 200,  # participant: confirms its own slot
            self.politie_user: 200,
            self.owner: 404,  # jurist, not on this team
            self.outsider: 404,
            self.fg: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url).status_code, status)
        self.login(self.owner)
        lod = f"/cases/{self.case.reference}/planning/"
        self.assertEqual(self.client.get(lod).status_code, 404)

    def test_the_coordinator_plans_and_the_partner_confirms_in_the_browser_forms(self):
        when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        self.login(self.belastingdienst_user)
        response = self.client.post(
            self.url, {"plan": "1", "planned_at": when, "lead": self.toezicht.pk}
        )
        self.assertEqual(response.status_code, 404)
        self.login(self.coordinator)
        self.client.post(
            self.url, {"plan": "1", "planned_at": when, "lead": self.toezicht.pk}
        )
        visit = self.inspection.visits.get()
        self.assertEqual(visit.lead, self.toezicht)
        self.client.post(
            self.url,
            {"slot": "1", "visit": visit.pk, "kind": "belastingdienst",
             "organisation": self.belastingdienst.pk, "legal_basis": "AWR 49"},
        )  # fmt: skip
        slot = visit.slots.get()
        self.login(self.politie_user)
        self.assertEqual(
            self.client.post(self.url, {"confirm": slot.pk}).status_code, 404
        )
        self.login(self.belastingdienst_user)
        self.client.post(self.url, {"confirm": slot.pk})
        slot.refresh_from_db()
        self.assertTrue(slot.confirmed)

    def test_a_date_in_the_past_is_refused_with_the_input_kept(self):
        self.login(self.coordinator)
        response = self.client.post(
            self.url, {"plan": "1", "planned_at": "2020-01-01T10:00",
                       "lead": self.toezicht.pk},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "2020-01-01T10:00")
        self.assertFalse(self.inspection.visits.exists())


class FindingsAndFollowUpTests(ControleTestCase):
    """Issue 6's scenario: signals on one address → selected → visit with
    three partners → findings by each → a last onder dwangsom spawned."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from permissions.models import Organisation
        from tests.factories import OrganisationFactory

        cls.corporatie = OrganisationFactory(
            name="Woonstichting", kind=Organisation.Kind.WONINGCORPORATIE
        )
        cls.corporatie_user = cls.make_user("corporatie", Role.PARTNER, cls.corporatie)

    def visited_case(self):
        case = self.new_case()
        services.case_team_add(
            case=case, user=self.coordinator, member=self.corporatie_user,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip
        visit = self.plan(case)
        for kind, org, basis in (
            (PartnerSlot.Kind.POLITIE, self.politie, "Politiewet 3"),
            (PartnerSlot.Kind.WONINGCORPORATIE, self.corporatie, "Huurovereenkomst"),
        ):
            slot_add(visit=visit, user=self.coordinator, kind=kind, legal_basis=basis,
                     organisation=org)  # fmt: skip
        for name, user in (
            ("start_triage", self.coordinator),
            ("select", self.coordinator),
            ("check_entry", self.coordinator),
            ("fix_plan", self.coordinator),
            ("hold_briefing", self.toezicht),
            ("start_visit", self.toezicht),
        ):
            case = self.step(case, name, user)
        return case

    def test_each_partner_records_in_its_own_compartment(self):
        case = self.visited_case()

        def record(user, text, **flags):
            return finding_record(case=case, user=user, text=text, **flags)

        police = record(self.politie_user, "Hennepkwekerij op zolder, 400 planten.")
        fiscal = record(self.belastingdienst_user, "Omzet niet aangegeven.",
                        shareable=True)  # fmt: skip
        own = record(self.toezicht, "Illegale bewoning boven de loods.", shareable=True)
        # A private partner (a housing corporation) writes no class of its own
        # in the matrix (partners: "own" on D2-D4, D6, D7; its findings would
        # be D0, which it only reads): the decision point refuses it.
        with self.assertRaises(PermissionDenied):
            record(self.corporatie_user, "Huurder is niet de bewoner.", shareable=True)
        self.assertEqual(
            (police.data_class, fiscal.data_class, fiscal.fiscal, own.data_class),
            ("D3", "D6", True, "D0"),
        )
        seen = {
            user.username: set(findings_for(user, case))
            for user in (self.coordinator, self.belastingdienst_user,
                         self.corporatie_user, self.politie_user, self.toezicht,
                         self.outsider)
        }  # fmt: skip
        self.assertEqual(seen["coordinator"], {police, fiscal, own})
        # The Belastingdienst never reads police findings.
        self.assertNotIn(police, seen["belastingdienst"])
        # The housing corporation never sees fiscal findings, shareable or not.
        self.assertEqual(seen["corporatie"], {own})
        self.assertEqual(seen["politie"], {police, own})
        self.assertEqual(seen["outsider"], set())

    def test_findings_only_during_or_after_the_visit(self):
        case = self.new_case()
        with self.assertRaises(ValidationError):
            finding_record(case=case, user=self.politie_user, text="Te vroeg")
        case = self.visited_case()
        with self.assertRaises(PermissionDenied):
            finding_record(case=case, user=self.outsider, text="Niet in het team")

    def test_a_follow_up_lod_case_is_spawned_and_linked(self):
        case = self.visited_case()
        for name in ("finish_visit", "decide_follow_up"):
            case = self.step(case, name, self.coordinator if name != "finish_visit"
                             else self.toezicht)  # fmt: skip
        self.login(self.coordinator)
        response = self.client.post(
            f"/cases/{case.reference}/findings/",
            {"follow_up": "1", "case_type": CaseType.LOD,
             "title": "Hennepkwekerij Loodsweg 7", "partners": [self.politie_user.pk]},
        )  # fmt: skip
        child = Case.objects.get(parent=case)
        self.assertRedirects(response, child.get_absolute_url())
        self.assertEqual((child.case_type, child.status), (CaseType.LOD, "A00"))
        # The municipality's team carries on in the track with the jurist who
        # takes its first task; of the partners only the one chosen (the
        # Belastingdienst stays out: fiscal data is need-to-know, WGS 1.5
        # lid 4).
        self.assertEqual(
            {a.user for a in child.access.select_related("user")},
            {self.coordinator, self.toezicht, self.colleague, self.politie_user},
        )
        page = self.client.get(case.get_absolute_url())
        self.assertIn(
            child.reference, [row.reference for row in page.context["linked"]]
        )

    def test_the_visit_report_starts_from_the_shareable_findings_only(self):
        from casework.letter_forms import initial_for

        case = self.visited_case()
        finding_record(case=case, user=self.politie_user, text="Hennep op zolder.")
        finding_record(case=case, user=self.toezicht, text="Illegale | bewoning.",
                       shareable=True)  # fmt: skip
        initial = initial_for(case, "bezoekrapport")
        self.assertEqual(initial["findings"], "Gemeente Venlo | Illegale / bewoning.")
        self.assertNotIn("Hennep", str(initial))
        self.assertEqual(
            initial["visit_date"],
            timezone.localdate(case.visits.get().planned_at),
        )
        self.assertIn("Belastingdienst", initial["partners"])

    def test_the_findings_page_per_user_and_its_read_log(self):
        from permissions.models import AccessLog

        case = self.visited_case()
        finding_record(case=case, user=self.politie_user, text="Hennep op zolder.")
        url = f"/cases/{case.reference}/findings/"
        for user, status in ((self.coordinator, 200), (self.corporatie_user, 200),
                             (self.outsider, 404), (self.owner, 404)):  # fmt: skip
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)
        self.login(self.corporatie_user)
        self.assertNotContains(self.client.get(url), "Hennep op zolder")
        before = AccessLog.objects.filter(data_class="D3").count()
        self.login(self.coordinator)
        self.assertContains(self.client.get(url), "Hennep op zolder")
        self.assertEqual(AccessLog.objects.filter(data_class="D3").count(), before + 1)


class FindingAndFollowUpRefusalTests(ControleTestCase):
    """Issue 13: the decision point answers who records a finding (a partner
    its own organisation's, "own" in the matrix) and who opens a follow-up
    (the coordinator), before the state; refusals are 404 and change
    nothing."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from permissions.models import Organisation
        from tests.factories import OrganisationFactory

        cls.corporatie = OrganisationFactory(
            name="Woonstichting", kind=Organisation.Kind.WONINGCORPORATIE
        )
        cls.corporatie_user = cls.make_user("corporatie", Role.PARTNER, cls.corporatie)

    visited_case = FindingsAndFollowUpTests.visited_case

    def url(self, case):
        return f"/cases/{case.reference}/findings/"

    def post_finding(self, user, case, text="Bevinding"):
        self.login(user)
        return self.client.post(
            self.url(case), {"finding": "1", "text": text, "shareable": "on"}
        )

    def post_follow_up(self, user, case):
        self.login(user)
        return self.client.post(
            self.url(case),
            {"follow_up": "1", "case_type": CaseType.LOD, "title": "Vervolg"},
        )

    def post_referral(self, user, case):
        self.login(user)
        return self.client.post(
            self.url(case),
            {"referral": "1", "track": "private", "recipient": self.corporatie.pk,
             "legal_basis": "Huurovereenkomst", "note": ""},
        )  # fmt: skip

    def test_the_decision_point_lets_each_partner_write_its_own_finding(self):
        from permissions.decision import WRITE, decide

        case = self.visited_case()

        def may(user, data_class, organisation):
            return decide(
                user, WRITE, "finding", case=case, data_class=data_class,
                organisation_id=organisation.pk,
            )  # fmt: skip

        self.assertTrue(may(self.politie_user, "D3", self.politie))
        self.assertTrue(may(self.belastingdienst_user, "D6", self.belastingdienst))
        self.assertTrue(may(self.toezicht, "D0", self.gemeente))
        self.assertTrue(may(self.coordinator, "D0", self.gemeente))
        # Not another organisation's item, not a class without "own".
        self.assertFalse(may(self.politie_user, "D3", self.belastingdienst))
        self.assertFalse(may(self.politie_user, "D0", self.politie))
        self.assertFalse(may(self.belastingdienst_user, "D5", self.belastingdienst))
        self.assertFalse(may(self.corporatie_user, "D0", self.corporatie))
        # Off the team: nothing.
        self.assertFalse(may(self.outsider, "D0", self.gemeente))
        # A contributor still writes nothing else on the case.
        self.assertFalse(decide(self.politie_user, WRITE, case))
        self.assertFalse(
            decide(
                self.politie_user,
                WRITE,
                "document",
                case=case,
                data_class="D3",
                organisation_id=self.politie.pk,
            )  # fmt: skip
        )

    def test_each_partner_records_its_own_finding_through_the_page(self):
        case = self.visited_case()
        for user, data_class in (
            (self.politie_user, "D3"),
            (self.belastingdienst_user, "D6"),
            (self.toezicht, "D0"),
        ):
            with self.subTest(user=user.username):
                response = self.post_finding(user, case, text=f"Van {user}")
                self.assertRedirects(
                    response, self.url(case), fetch_redirect_response=False
                )
                finding = Finding.objects.get(case=case, author=user)
                self.assertEqual(finding.data_class, data_class)
                self.assertEqual(
                    finding.organisation_id, user.membership.organisation_id
                )

    def test_a_refused_finding_is_404_in_every_state_and_records_nothing(self):
        early, visited = self.new_case(), self.visited_case()
        services.case_team_add(
            case=early, user=self.coordinator, member=self.corporatie_user,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip
        for case in (early, visited):
            for user in (self.corporatie_user, self.outsider, self.owner):
                with self.subTest(user=user.username, status=case.status):
                    response = self.post_finding(user, case)
                    self.assertEqual(response.status_code, 404)
        self.assertFalse(Finding.objects.exists())

    def test_a_partner_who_may_write_gets_the_state_error_outside_the_visit(self):
        case = self.new_case()
        for user in (self.politie_user, self.toezicht):
            with self.subTest(user=user.username):
                response = self.post_finding(user, case)
                self.assertEqual(response.status_code, 200)
                self.assertIn(str(NOT_NOW), response.context["form"].non_field_errors())
        self.assertFalse(Finding.objects.exists())

    def test_follow_up_and_referral_are_the_coordinators_before_the_state(self):
        case = self.visited_case()
        case = self.step(case, "finish_visit", self.toezicht)
        self.assertEqual(case.status, "C50")
        for user in (self.politie_user, self.belastingdienst_user, self.toezicht,
                     self.corporatie_user, self.outsider):  # fmt: skip
            for post in (self.post_follow_up, self.post_referral):
                with self.subTest(user=user.username, post=post.__name__):
                    self.assertEqual(post(user, case).status_code, 404)
        with self.assertRaises(PermissionDenied):
            follow_up_open(case=case, user=self.toezicht, case_type=CaseType.LOD,
                           title="Vervolg")  # fmt: skip
        # The coordinator, too early: the state's error on the form.
        response = self.post_follow_up(self.coordinator, case)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["follow_form"].non_field_errors())
        self.assertFalse(Case.objects.filter(parent=case).exists())
        self.assertFalse(case.referrals.exists())
        # In C60 the coordinator opens it; the others still get 404.
        case = self.step(case, "decide_follow_up", self.coordinator)
        self.assertEqual(self.post_follow_up(self.toezicht, case).status_code, 404)
        self.assertFalse(Case.objects.filter(parent=case).exists())
        response = self.post_follow_up(self.coordinator, case)
        child = Case.objects.get(parent=case)
        self.assertRedirects(
            response, child.get_absolute_url(), fetch_redirect_response=False
        )


class DashboardTests(ControleTestCase):
    def test_the_week_shows_only_the_visits_of_the_coordinators_teams(self):
        from workflows.controle.models import Visit

        case = self.new_case()
        other_coordinator = self.make_user("coordinator2", Role.COORDINATOR,
                                           self.gemeente)  # fmt: skip
        hidden = services.case_open(
            user=other_coordinator, case_type=CaseType.CONTROLE, title="Elders"
        )
        # Monday 4 January 2027 (ISO week 2027-W01), 09:00 and 14:00.
        monday = timezone.make_aware(timezone.datetime(2027, 1, 4, 9, 0))
        Visit.objects.create(case=case, planned_at=monday, lead=self.toezicht)
        Visit.objects.create(case=hidden, planned_at=monday, lead=other_coordinator)
        Visit.objects.create(case=case, planned_at=monday + timedelta(days=7),
                             lead=self.toezicht)  # fmt: skip
        self.login(self.coordinator)
        response = self.client.get("/controle/?week=2027-W01")
        visits = [v for day in response.context["days"] for v in day["visits"]]
        self.assertEqual([v["reference"] for v in visits], [case.reference])
        self.assertEqual(response.context["days"][0]["day"].isoformat(), "2027-01-04")
        self.assertEqual(response.context["following"], "2027-W02")
        self.assertNotContains(response, "Elders")

    def test_only_the_board_roles_see_it(self):
        for user, status in ((self.coordinator, 200), (self.owner, 200),
                             (self.toezicht, 404), (self.politie_user, 404),
                             (self.fg, 404)):  # fmt: skip
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get("/controle/").status_code, status)

    def test_outcomes_per_quarter_and_open_follow_ups(self):
        case = self.to_the_visit()
        case = self.step(case, "finish_visit", self.toezicht)
        case = self.step(case, "decide_follow_up", self.coordinator)
        from workflows.controle.models import follow_up_open

        child = follow_up_open(case=case, user=self.coordinator,
                               case_type=CaseType.LOD, title="Vervolg")  # fmt: skip
        self.login(self.coordinator)
        response = self.client.get("/controle/")
        today = timezone.localdate()
        key = (today.year, (today.month - 1) // 3 + 1)
        self.assertEqual(dict(response.context["quarters"])[key],
                         {"done": 1, "aborted": 0})  # fmt: skip
        self.assertEqual(
            [(r["reference"], r["url"], r["parent_url"])
             for r in response.context["follow_ups"]],
            [(child.reference, child.get_absolute_url(), case.get_absolute_url())],
        )  # fmt: skip


class BriefingAndReferralTests(ControleTestCase):
    def scheduled(self):
        case = self.new_case()
        self.plan(case)
        for name in ("start_triage", "select", "check_entry", "fix_plan"):
            case = services.case_transition(
                case=case, name=name, user=self.coordinator, note="x"
            )
        return case

    def test_no_briefing_no_briefing_held(self):
        case = self.scheduled()
        with self.assertRaises(ValidationError):
            services.case_transition(
                case=case, name="hold_briefing", user=self.toezicht
            )
        briefing_save(case=case, user=self.coordinator, risk_flags="Agressieve hond",
                      powers="Awb 5:15; geen woning")  # fmt: skip
        case = services.case_transition(case=case, name="hold_briefing",
                                        user=self.toezicht)  # fmt: skip
        self.assertEqual(case.status, "C35")

    def test_every_reading_of_the_briefing_is_logged_with_the_reader(self):
        from permissions.models import AccessLog

        case = self.scheduled()
        briefing_save(case=case, user=self.coordinator, risk_flags="Hond",
                      powers="Awb 5:15")  # fmt: skip
        url = f"/cases/{case.reference}/briefing/"
        for user, status in ((self.belastingdienst_user, 200), (self.toezicht, 200),
                             (self.outsider, 404)):  # fmt: skip
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)
        readers = set(
            AccessLog.objects.filter(object_type="briefing").values_list(
                "user_id", flat=True
            )
        )
        self.assertEqual(readers, {self.belastingdienst_user.pk, self.toezicht.pk})
        self.assertIsNone(briefing_read(case=case, user=self.outsider))

    def test_only_the_coordinator_prepares_it(self):
        case = self.scheduled()
        with self.assertRaises(PermissionDenied):
            briefing_save(case=case, user=self.politie_user, risk_flags="x", powers="y")
        self.login(self.politie_user)
        response = self.client.post(
            f"/cases/{case.reference}/briefing/", {"risk_flags": "x", "powers": "y"}
        )
        self.assertEqual(response.status_code, 404)

    def test_external_referrals_and_the_private_rule(self):
        from permissions.models import Organisation
        from tests.factories import OrganisationFactory

        case = self.scheduled()
        for name, user in (("hold_briefing", self.toezicht),
                           ("start_visit", self.toezicht),
                           ("finish_visit", self.toezicht),
                           ("decide_follow_up", self.coordinator)):  # fmt: skip
            case = self.step(case, name, user)
        netbeheer = OrganisationFactory(kind=Organisation.Kind.NETBEHEERDER)
        with self.assertRaises(ValidationError):
            referral_record(case=case, user=self.coordinator, track="fiscal",
                            recipient=netbeheer, legal_basis="x")  # fmt: skip
        referral = referral_record(
            case=case, user=self.coordinator, track="criminal", recipient=self.om,
            legal_basis="Sv 160", note="Energiediefstal",
        )  # fmt: skip
        private = referral_record(
            case=case, user=self.coordinator, track="private", recipient=netbeheer,
            legal_basis="WGS 1.7 lid 2", note="Aansluiting meten",
        )  # fmt: skip
        self.assertEqual([referral, private], list(case.referrals.all()))
        with self.assertRaises(PermissionDenied):
            referral_record(case=case, user=self.toezicht, track="criminal",
                            recipient=self.om, legal_basis="Sv 160")  # fmt: skip

    def test_feedback_leads_the_coordinator_to_the_feedback_letter(self):
        case = self.scheduled()
        for name, user in (("hold_briefing", self.toezicht),
                           ("start_visit", self.toezicht),
                           ("finish_visit", self.toezicht),
                           ("decide_follow_up", self.coordinator)):  # fmt: skip
            case = self.step(case, name, user)
        self.login(self.coordinator)
        response = self.client.post(
            f"/cases/{case.reference}/transition/", {"name": "give_feedback"}
        )
        self.assertRedirects(
            response,
            f"/cases/{case.reference}/documents/new/?template=terugkoppeling_controle",
            fetch_redirect_response=False,
        )
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            page.context["form"].initial["visit_date"],
            timezone.localdate(case.visits.get().planned_at),
        )
