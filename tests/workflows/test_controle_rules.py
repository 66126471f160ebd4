"""Issue 14, integrale controle: the rules each step checks (docs/domain.md
§4.3), tested directly on the services and steps — every refusal with its
rule and its date, and the happy path next to it.

Dates are fixed with time-machine. The visit is planned for Tuesday
10 March 2026 at 09:00 (Europe/Amsterdam); "the visit day" is that date.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

import time_machine

from casework import services
from casework.models import Case, CaseEvent, CaseLocation, Location
from casework.rules import StepRefused, why_not
from casework.steps import NOT_IN_FUTURE, step_run
from permissions.models import CaseAccess, Organisation, Role
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import OrganisationFactory
from workflows.controle import machine
from workflows.controle.models import (
    RULE_FOLLOW_UP_HANDLER,
    RULE_NEED_TO_KNOW,
    RULE_SLOT_AFTER_VISIT,
    RULE_SLOT_DISCIPLINE,
    RULE_SLOT_ONCE,
    RULE_SLOT_PLAN_FIXED,
    RULE_VISIT_DATE,
    PartnerSlot,
    briefing_save,
    current_visit,
    follow_up_open,
    slot_add,
    slot_confirm,
    slot_edit,
    slot_remove,
    visit_plan,
)
from workflows.controle.steps import (
    RULE_VISIT_DAY,
    RULE_VISIT_ORDER,
    BriefingHeldForm,
    VisitAbortForm,
)

TZ = ZoneInfo("Europe/Amsterdam")
VISIT_DAY = date(2026, 3, 10)  # a Tuesday
PLANNED_AT = datetime.combine(VISIT_DAY, time(9, 0), tzinfo=TZ)


def at(day: date, hour: int = 10):
    return time_machine.travel(
        datetime.combine(day, time(hour, 0), tzinfo=TZ), tick=False
    )


class ControleRulesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coordinator = cls.make_user("coordinator", Role.COORDINATOR, cls.gemeente)
        cls.toezicht = cls.make_user("toezicht", Role.TOEZICHT, cls.gemeente)
        cls.brandweer = OrganisationFactory(
            name="Brandweer Limburg-Noord", kind=Organisation.Kind.BRANDWEER
        )

    def new_case(self, *, jurist=True):
        """An inspection in C25 (entry checked), opened on 2 March 2026, with
        the toezicht, (the jurist,) the police and the Belastingdienst on its
        team."""
        with at(date(2026, 3, 2)):
            case = services.case_open(
                user=self.coordinator, case_type=CaseType.CONTROLE, title="Loods 7"
            )
            team = [
                (self.toezicht, CaseAccess.TeamRole.MEMBER),
                (self.politie_user, CaseAccess.TeamRole.CONTRIBUTOR),
                (self.belastingdienst_user, CaseAccess.TeamRole.CONTRIBUTOR),
            ]
            if jurist:
                team.append((self.colleague, CaseAccess.TeamRole.MEMBER))
            for member, role in team:
                services.case_team_add(
                    case=case, user=self.coordinator, member=member, team_role=role
                )
            services.case_add_location(
                case=case, user=self.coordinator, role=CaseLocation.Role.PREMISES,
                location=Location(street="Loodsweg", house_number=7,
                                  postcode="5928 AA", city="Venlo"),
            )  # fmt: skip
            for name in ("start_triage", "select", "check_entry"):
                case = step_run(case=case, name=name, user=self.coordinator)
        return case

    def planned(self, *, fix=True):
        """new_case, then on 3 March a visit for 10 March 09:00 with a police
        slot confirmed by the police, and (fix) the plan fixed (C30)."""
        case = self.new_case()
        with at(date(2026, 3, 3)):
            visit = visit_plan(case=case, user=self.coordinator,
                               planned_at=PLANNED_AT, lead=self.toezicht)  # fmt: skip
            slot = slot_add(visit=visit, user=self.coordinator, kind="politie",
                            legal_basis="Politiewet 3",
                            organisation=self.politie)  # fmt: skip
            slot_confirm(slot=slot, user=self.politie_user)
            briefing_save(case=case, user=self.coordinator, risk_flags="Hond",
                          powers="Awb 5:15")  # fmt: skip
            if fix:
                case = step_run(case=case, name="fix_plan", user=self.coordinator)
        return case

    def run_step(self, case, name, day, user=None, note="", **data):
        with at(day):
            return step_run(
                case=Case.objects.get(pk=case.pk), name=name,
                user=user or self.toezicht, note=note, data=data,
            )  # fmt: skip

    def visited(self, *, start=VISIT_DAY, finish=VISIT_DAY):
        case = self.planned()
        case = self.run_step(case, "hold_briefing", VISIT_DAY, held_on=VISIT_DAY)
        case = self.run_step(case, "start_visit", start, started_on=start)
        return self.run_step(case, "finish_visit", finish, finished_on=finish)

    def assert_refused(self, ctx, rule, on=None):
        refusals = ctx.exception.refusals
        self.assertEqual([r.rule for r in refusals], [rule])
        self.assertEqual(refusals[0].on, on)
        return refusals[0]

    def status(self, case):
        return Case.objects.get(pk=case.pk).status


class SlotTests(ControleRulesTestCase):
    """§4.3 C25 → C30 "partners confirmed; each names its legal basis": a
    place per discipline, taken by an organisation of that discipline."""

    def test_a_police_slot_is_never_the_belastingdienst(self):
        case = self.new_case()
        with at(date(2026, 3, 3)):
            visit = visit_plan(case=case, user=self.coordinator,
                               planned_at=PLANNED_AT, lead=self.toezicht)  # fmt: skip
            with translation.override("nl"), self.assertRaises(StepRefused) as ctx:
                slot_add(visit=visit, user=self.coordinator, kind="politie",
                         legal_basis="Politiewet 3",
                         organisation=self.belastingdienst)  # fmt: skip
        refusal = self.assert_refused(ctx, RULE_SLOT_DISCIPLINE)
        self.assertEqual(
            refusal.message,
            "Een plaats voor Politie kan alleen worden ingenomen door een "
            "organisatie van die soort; Belastingdienst Zuid is een Belastingdienst.",
        )
        self.assertFalse(visit.slots.exists())
        slot = slot_add(visit=visit, user=self.coordinator, kind="politie",
                        legal_basis="Politiewet 3",
                            organisation=self.politie)  # fmt: skip
        self.assertEqual(slot.organisation, self.politie)

    def test_each_discipline_maps_to_its_organisation_kind(self):
        case = self.new_case()
        with at(date(2026, 3, 3)):
            visit = visit_plan(case=case, user=self.coordinator,
                               planned_at=PLANNED_AT, lead=self.toezicht)  # fmt: skip
        slot_add(visit=visit, user=self.coordinator, kind="brandweer",
                 legal_basis="Wvr 31", organisation=self.brandweer)  # fmt: skip
        slot_add(visit=visit, user=self.coordinator, kind="gemeente",
                 legal_basis="Awb 5:15", organisation=self.gemeente)  # fmt: skip
        for kind in ("belastingdienst", "arbeidsinspectie", "netbeheerder"):
            with self.subTest(kind=kind), self.assertRaises(StepRefused) as ctx:
                slot_add(visit=visit, user=self.coordinator, kind=kind,
                         legal_basis="x", organisation=self.politie)  # fmt: skip
            self.assert_refused(ctx, RULE_SLOT_DISCIPLINE)
        # Without an organisation the place is open, for any partner later.
        slot_add(visit=visit, user=self.coordinator, kind="netbeheerder",
                 legal_basis="Elektriciteitswet")  # fmt: skip
        self.assertEqual(
            sorted(visit.slots.values_list("kind", flat=True)),
            ["brandweer", "gemeente", "netbeheerder"],
        )

    def test_one_place_per_discipline_in_dutch(self):
        case = self.planned(fix=False)
        visit = current_visit(case)
        with translation.override("nl"), self.assertRaises(StepRefused) as ctx:
            slot_add(visit=visit, user=self.coordinator, kind="politie",
                     legal_basis="Wpg 16", organisation=self.politie)  # fmt: skip
        refusal = self.assert_refused(ctx, RULE_SLOT_ONCE)
        self.assertEqual(
            refusal.message, "Dit bezoek heeft al een plaats voor Politie."
        )

    def test_a_slot_is_edited_and_confirmed_again(self):
        case = self.planned(fix=False)
        slot = current_visit(case).slots.get()
        # The legal basis changes: the police confirm the changed place again.
        slot = slot_edit(slot=slot, user=self.coordinator, kind="politie",
                         legal_basis="Politiewet 3 en Opiumwet 8",
                         organisation=self.politie)  # fmt: skip
        slot.refresh_from_db()
        self.assertEqual(
            (slot.legal_basis, slot.confirmed, slot.confirmed_by),
            ("Politiewet 3 en Opiumwet 8", False, None),
        )
        self.assertTrue(
            CaseEvent.objects.filter(case=case, note__startswith="Partner").exists()
        )
        slot_confirm(slot=slot, user=self.politie_user)
        # Nothing changed: the confirmation stays.
        slot = slot_edit(slot=slot, user=self.coordinator, kind="politie",
                         legal_basis="Politiewet 3 en Opiumwet 8",
                         organisation=self.politie)  # fmt: skip
        self.assertIs(slot.confirmed, True)

    def test_an_edit_keeps_the_discipline_rules(self):
        case = self.planned(fix=False)
        visit = current_visit(case)
        slot = visit.slots.get()
        with self.assertRaises(StepRefused) as ctx:
            slot_edit(slot=slot, user=self.coordinator, kind="politie",
                      legal_basis="Politiewet 3",
                      organisation=self.belastingdienst)  # fmt: skip
        self.assert_refused(ctx, RULE_SLOT_DISCIPLINE)
        other = slot_add(visit=visit, user=self.coordinator, kind="belastingdienst",
                         legal_basis="AWR 49",
                         organisation=self.belastingdienst)  # fmt: skip
        with self.assertRaises(StepRefused) as ctx:
            slot_edit(slot=other, user=self.coordinator, kind="politie",
                      legal_basis="AWR 49")  # fmt: skip
        self.assert_refused(ctx, RULE_SLOT_ONCE)
        slot.refresh_from_db()
        self.assertEqual((slot.organisation, slot.confirmed), (self.politie, True))

    def test_a_slot_is_removed_before_the_visit(self):
        case = self.planned(fix=False)
        visit = current_visit(case)
        extra = slot_add(visit=visit, user=self.coordinator, kind="brandweer",
                         legal_basis="Wvr 31", organisation=self.brandweer)  # fmt: skip
        slot_remove(slot=extra, user=self.coordinator)
        self.assertEqual(list(visit.slots.values_list("kind", flat=True)), ["politie"])

    def test_only_the_coordinator_changes_slots(self):
        case = self.planned(fix=False)
        slot = current_visit(case).slots.get()
        for user in (self.politie_user, self.toezicht, self.outsider):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    slot_edit(slot=slot, user=user, kind="politie",
                              legal_basis="x", organisation=self.politie)  # fmt: skip
                with self.assertRaises(PermissionDenied):
                    slot_remove(slot=slot, user=user)
        self.assertTrue(PartnerSlot.objects.filter(pk=slot.pk).exists())

    def test_the_fixed_plan_keeps_a_confirmed_partner(self):
        """§4.3 C25 → C30: fixed with a confirmed partner; in C30 the last
        confirmed place is neither removed nor unconfirmed by an edit."""
        case = self.planned()
        self.assertEqual(self.status(case), "C30")
        visit = current_visit(case)
        slot = visit.slots.get()
        with self.assertRaises(StepRefused) as ctx:
            slot_remove(slot=slot, user=self.coordinator)
        self.assert_refused(ctx, RULE_SLOT_PLAN_FIXED, on=VISIT_DAY)
        with self.assertRaises(StepRefused) as ctx:
            slot_edit(slot=slot, user=self.coordinator, kind="politie",
                      legal_basis="Wpg 16", organisation=self.politie)  # fmt: skip
        self.assert_refused(ctx, RULE_SLOT_PLAN_FIXED, on=VISIT_DAY)
        other = slot_add(visit=visit, user=self.coordinator, kind="brandweer",
                         legal_basis="Wvr 31", organisation=self.brandweer)  # fmt: skip
        slot_confirm(slot=other, user=self.coordinator)
        slot_remove(slot=slot, user=self.coordinator)
        self.assertEqual(list(visit.slots.all()), [other])

    def test_slots_are_fixed_once_the_visit_started(self):
        """§4.3 C40 → C50: after the start (10 March) the list of partners is
        a fact of the visit: add, edit, remove and confirm are refused, with
        the day the visit started."""
        case = self.planned()
        case = self.run_step(case, "hold_briefing", VISIT_DAY, held_on=VISIT_DAY)
        case = self.run_step(case, "start_visit", VISIT_DAY, started_on=VISIT_DAY)
        visit = current_visit(case)
        slot = visit.slots.get()
        attempts = {
            "add": lambda: slot_add(visit=visit, user=self.coordinator,
                                    kind="brandweer", legal_basis="Wvr 31"),
            "edit": lambda: slot_edit(slot=slot, user=self.coordinator,
                                      kind="politie", legal_basis="Wpg 16",
                                      organisation=self.politie),
            "remove": lambda: slot_remove(slot=slot, user=self.coordinator),
            "confirm": lambda: slot_confirm(slot=slot, user=self.politie_user),
        }  # fmt: skip
        for name, attempt in attempts.items():
            with self.subTest(name), translation.override("nl"):
                with self.assertRaises(StepRefused) as ctx:
                    attempt()
                refusal = self.assert_refused(ctx, RULE_SLOT_AFTER_VISIT, VISIT_DAY)
                self.assertIn("10 maart 2026", refusal.message)
        slot.refresh_from_db()
        self.assertEqual((slot.legal_basis, visit.slots.count()), ("Politiewet 3", 1))


class PlanTests(ControleRulesTestCase):
    def test_a_visit_is_planned_for_a_moment_to_come(self):
        case = self.new_case()
        with at(date(2026, 3, 3)), self.assertRaises(StepRefused) as ctx:
            visit_plan(case=case, user=self.coordinator, lead=self.toezicht,
                       planned_at=datetime(2026, 3, 2, 9, tzinfo=TZ))  # fmt: skip
        self.assert_refused(ctx, RULE_VISIT_DATE, on=date(2026, 3, 3))
        self.assertFalse(case.visits.exists())

    def test_the_plan_is_fixed_only_with_a_confirmed_partner(self):
        case = self.planned(fix=False)
        slot = current_visit(case).slots.get()
        PartnerSlot.objects.filter(pk=slot.pk).update(confirmed=False)
        with at(date(2026, 3, 3)):
            refusals = why_not(case, "fix_plan", self.coordinator)
        self.assertEqual([r.rule for r in refusals], [machine.RULE_PLAN_CONFIRMED])
        slot_confirm(slot=slot, user=self.politie_user)
        with at(date(2026, 3, 3)):
            self.assertEqual(why_not(case, "fix_plan", self.coordinator), [])

    def test_the_plan_is_not_fixed_for_a_date_that_passed(self):
        """Planned for 10 March; fixing the plan on 11 March is refused with
        that date; on the visit day itself it is still possible."""
        case = self.planned(fix=False)
        with at(date(2026, 3, 11)):
            refusals = why_not(case, "fix_plan", self.coordinator)
        self.assertEqual(
            [(r.rule, r.on) for r in refusals], [(machine.RULE_PLAN_DATE, VISIT_DAY)]
        )
        case = self.run_step(case, "fix_plan", VISIT_DAY, user=self.coordinator)
        self.assertEqual(case.status, "C30")

    def test_after_an_abort_a_new_visit_is_planned(self):
        """C45 → C75 → C30: the aborted visit of 10 March cannot be fixed
        again; a new visit (17 March) can."""
        case = self.planned()
        case = self.run_step(case, "hold_briefing", VISIT_DAY, held_on=VISIT_DAY)
        case = self.run_step(case, "start_visit", VISIT_DAY, started_on=VISIT_DAY)
        case = self.run_step(case, "abort", VISIT_DAY, note="Pand gesloten.",
                             aborted_on=VISIT_DAY)  # fmt: skip
        case = self.run_step(case, "replan", date(2026, 3, 11), user=self.coordinator)
        self.assertEqual(current_visit(case).aborted_on, VISIT_DAY)
        with at(date(2026, 3, 11)):
            refusals = why_not(case, "fix_plan", self.coordinator)
            self.assertEqual([r.rule for r in refusals], [machine.RULE_PLAN_DATE])
            visit = visit_plan(case=case, user=self.coordinator, lead=self.toezicht,
                               planned_at=PLANNED_AT + timedelta(days=7))  # fmt: skip
            slot = slot_add(visit=visit, user=self.coordinator, kind="politie",
                            legal_basis="Politiewet 3",
                            organisation=self.politie)  # fmt: skip
            slot_confirm(slot=slot, user=self.politie_user)
        case = self.run_step(case, "fix_plan", date(2026, 3, 11), user=self.coordinator)
        self.assertEqual((case.status, current_visit(case)), ("C30", visit))


class VisitDayTests(ControleRulesTestCase):
    """§4.3 C30 → C35 → C40 → C50: briefing and start not before the planned
    date (10 March), the start not before the briefing, the end not before
    the start. Each refusal names the rule and the date; nothing changes."""

    def test_the_briefing_is_refused_before_the_planned_date(self):
        case = self.planned()
        with translation.override("nl"), self.assertRaises(StepRefused) as ctx:
            self.run_step(case, "hold_briefing", date(2026, 3, 9),
                          held_on=date(2026, 3, 9))  # fmt: skip
        refusal = self.assert_refused(ctx, RULE_VISIT_DAY, VISIT_DAY)
        self.assertIn("10 maart 2026", refusal.message)
        self.assertEqual(
            (self.status(case), current_visit(case).briefing_on), ("C30", None)
        )
        case = self.run_step(case, "hold_briefing", VISIT_DAY, held_on=VISIT_DAY)
        self.assertEqual(
            (case.status, current_visit(case).briefing_on), ("C35", VISIT_DAY)
        )

    def test_a_briefing_recorded_later_may_carry_the_visit_day(self):
        # Recorded on 12 March, held on 10 March: a fact in the past.
        case = self.planned()
        case = self.run_step(case, "hold_briefing", date(2026, 3, 12),
                             held_on=VISIT_DAY)  # fmt: skip
        self.assertEqual(current_visit(case).briefing_on, VISIT_DAY)

    def test_the_start_is_refused_before_the_planned_date_and_the_briefing(self):
        case = self.planned()
        case = self.run_step(case, "hold_briefing", date(2026, 3, 11),
                             held_on=date(2026, 3, 11))  # fmt: skip
        # Started 9 March: before the planned date (10 March) and before the
        # briefing (11 March): both rules refuse, each with its date.
        with self.assertRaises(StepRefused) as ctx:
            self.run_step(case, "start_visit", date(2026, 3, 11),
                          started_on=date(2026, 3, 9))  # fmt: skip
        self.assertEqual(
            [(r.rule, r.on) for r in ctx.exception.refusals],
            [(RULE_VISIT_DAY, VISIT_DAY), (RULE_VISIT_ORDER, date(2026, 3, 11))],
        )
        with self.assertRaises(StepRefused) as ctx:
            self.run_step(case, "start_visit", date(2026, 3, 11),
                          started_on=VISIT_DAY)  # fmt: skip
        self.assert_refused(ctx, RULE_VISIT_ORDER, date(2026, 3, 11))
        self.assertEqual(self.status(case), "C35")
        case = self.run_step(case, "start_visit", date(2026, 3, 11),
                             started_on=date(2026, 3, 11))  # fmt: skip
        self.assertEqual(
            (case.status, current_visit(case).started_on), ("C40", date(2026, 3, 11))
        )

    def test_the_finish_is_refused_before_the_start(self):
        case = self.planned()
        case = self.run_step(case, "hold_briefing", VISIT_DAY, held_on=VISIT_DAY)
        case = self.run_step(case, "start_visit", date(2026, 3, 11),
                             started_on=date(2026, 3, 11))  # fmt: skip
        with translation.override("nl"), self.assertRaises(StepRefused) as ctx:
            self.run_step(case, "finish_visit", date(2026, 3, 11),
                          finished_on=VISIT_DAY)  # fmt: skip
        refusal = self.assert_refused(ctx, RULE_VISIT_ORDER, date(2026, 3, 11))
        self.assertIn("11 maart 2026", refusal.message)
        self.assertEqual(self.status(case), "C40")
        # The same day as the start is fine.
        case = self.run_step(case, "finish_visit", date(2026, 3, 11),
                             finished_on=date(2026, 3, 11))  # fmt: skip
        self.assertEqual(
            (case.status, current_visit(case).finished_on), ("C50", date(2026, 3, 11))
        )

    def test_an_abort_needs_a_reason_and_comes_after_the_start(self):
        case = self.planned()
        case = self.run_step(case, "hold_briefing", VISIT_DAY, held_on=VISIT_DAY)
        case = self.run_step(case, "start_visit", VISIT_DAY, started_on=VISIT_DAY)
        with at(VISIT_DAY):
            form = VisitAbortForm(
                data={"form_token": "t", "aborted_on": "2026-03-10", "note": " "}
            )
            self.assertFalse(form.is_valid())
            self.assertIn("note", form.errors)
        with self.assertRaises(StepRefused) as ctx:
            self.run_step(case, "abort", VISIT_DAY, note="Gesloten",
                          aborted_on=date(2026, 3, 9))  # fmt: skip
        self.assert_refused(ctx, RULE_VISIT_ORDER, VISIT_DAY)
        case = self.run_step(case, "abort", VISIT_DAY, note="Pand gesloten.",
                             aborted_on=VISIT_DAY)  # fmt: skip
        self.assertEqual(case.status, "C45")

    def test_dates_that_record_facts_are_not_in_the_future(self):
        with at(VISIT_DAY):
            form = BriefingHeldForm(data={"form_token": "t", "held_on": "2026-03-11"})
            self.assertFalse(form.is_valid())
            self.assertEqual(form.errors["held_on"], [str(NOT_IN_FUTURE)])
            form = BriefingHeldForm(data={"form_token": "t", "held_on": "2026-03-10"})
            self.assertTrue(form.is_valid())

    def test_the_step_page_shows_the_refusal_with_the_input_kept(self):
        case = self.planned()
        self.login(self.toezicht)
        with at(date(2026, 3, 9)):
            response = self.client.post(
                f"/cases/{case.reference}/step/hold_briefing/",
                {"form_token": "page-1", "held_on": "2026-03-09"},
            )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "10 maart 2026")
        self.assertContains(response, RULE_VISIT_DAY)
        self.assertContains(response, 'value="2026-03-09"')
        self.assertEqual(self.status(case), "C30")


class FollowUpTests(ControleRulesTestCase):
    """§4.3 C60 → C61: the follow-up last onder dwangsom gets its jurist; the
    partners join only by choice (WGS 1.5 lid 4, 1.7 lid 6: fiscal data
    stays need-to-know)."""

    def follow_up_phase(self):
        case = self.visited()
        return self.run_step(case, "decide_follow_up", date(2026, 3, 12),
                             user=self.coordinator)  # fmt: skip

    def team(self, case):
        return {a.user for a in case.access.select_related("user")}

    def test_the_jurist_takes_the_task_and_the_belastingdienst_stays_out(self):
        from casework.assignment import inbox

        case = self.follow_up_phase()
        child = follow_up_open(case=case, user=self.coordinator, case_type="LOD",
                               title="Vervolg: Loods 7")  # fmt: skip
        self.assertEqual(
            self.team(child), {self.coordinator, self.toezicht, self.colleague}
        )
        self.assertNotIn(self.belastingdienst_user, self.team(child))
        # The first task (assess, the jurist's) is in the jurist's inbox.
        self.assertIn(child.reference, [t["reference"] for t in inbox(self.colleague)])
        # Nobody else's role takes it: the coordinator has no LOD phase.
        self.assertNotIn(
            child.reference, [t["reference"] for t in inbox(self.coordinator)]
        )

    def test_partners_join_by_choice(self):
        case = self.follow_up_phase()
        child = follow_up_open(case=case, user=self.coordinator, case_type="LOD",
                               title="Vervolg",
                               partners=[self.politie_user])  # fmt: skip
        self.assertIn(self.politie_user, self.team(child))
        self.assertNotIn(self.belastingdienst_user, self.team(child))

    def test_a_partner_off_the_team_is_refused(self):
        case = self.follow_up_phase()
        with self.assertRaises(StepRefused) as ctx:
            follow_up_open(case=case, user=self.coordinator, case_type="LOD",
                           title="Vervolg", partners=[self.outsider])  # fmt: skip
        self.assert_refused(ctx, RULE_NEED_TO_KNOW)
        self.assertFalse(Case.objects.filter(parent=case).exists())

    def test_without_a_jurist_the_follow_up_names_one(self):
        case = self.follow_up_phase()
        CaseAccess.objects.filter(case=case, user=self.colleague).delete()
        with translation.override("nl"), self.assertRaises(StepRefused) as ctx:
            follow_up_open(case=case, user=self.coordinator, case_type="LOD",
                           title="Vervolg")  # fmt: skip
        refusal = self.assert_refused(ctx, RULE_FOLLOW_UP_HANDLER)
        self.assertIn("Handhavingsjurist", refusal.message)
        with self.assertRaises(StepRefused) as ctx:
            follow_up_open(case=case, user=self.coordinator, case_type="LOD",
                           title="Vervolg", handler=self.toezicht)  # fmt: skip
        self.assert_refused(ctx, RULE_FOLLOW_UP_HANDLER)
        self.assertFalse(Case.objects.filter(parent=case).exists())
        child = follow_up_open(case=case, user=self.coordinator, case_type="LOD",
                               title="Vervolg", handler=self.owner)  # fmt: skip
        self.assertIn(self.owner, self.team(child))

    def test_only_in_the_follow_up_phase(self):
        case = self.visited()
        with self.assertRaises(ValidationError):
            follow_up_open(case=case, user=self.coordinator, case_type="LOD",
                           title="Vervolg")  # fmt: skip
        with self.assertRaises(PermissionDenied):
            follow_up_open(case=case, user=self.politie_user, case_type="LOD",
                           title="Vervolg")  # fmt: skip


class LetterTests(ControleRulesTestCase):
    """§4.5: the bezoekrapport exists once the visit was carried out, the
    terugkoppelingsbrief once the feedback step was taken, each for the
    roles that write it; the prefilled report passes its own validation."""

    def offered(self, user, case):
        from casework.documents import may_make

        return {
            key
            for key in ("bezoekrapport", "terugkoppeling_controle")
            if may_make(user, Case.objects.get(pk=case.pk), key)
        }

    def test_letters_only_at_their_step_and_to_their_role(self):
        case = self.planned()
        self.assertEqual(self.offered(self.coordinator, case), set())
        case = self.visited()
        for user, expected in (
            (self.coordinator, {"bezoekrapport"}),
            (self.toezicht, {"bezoekrapport"}),
            (self.colleague, {"bezoekrapport"}),
            (self.politie_user, set()),
        ):
            with self.subTest(user=user.username):
                self.assertEqual(self.offered(user, case), expected)
        for name in ("decide_follow_up", "give_feedback"):
            case = self.run_step(case, name, date(2026, 3, 12), user=self.coordinator)
        self.assertEqual(
            self.offered(self.coordinator, case),
            {"bezoekrapport", "terugkoppeling_controle"},
        )
        self.assertEqual(self.offered(self.toezicht, case), {"bezoekrapport"})

    def prefilled_report(self, case, user):
        """The letter page's form, bound with exactly what it proposes, and
        the document made from it."""
        from casework.documents import document_generate
        from casework.letter_forms import LetterForm, initial_for

        initial = initial_for(Case.objects.get(pk=case.pk), "bezoekrapport")
        data = {
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in initial.items()
        }
        form = LetterForm(data={**data, "form_token": "t"},
                          template_key="bezoekrapport")  # fmt: skip
        self.assertTrue(form.is_valid(), form.errors)
        document = document_generate(case=case, user=user,
                                     template_key="bezoekrapport",
                                     inputs=form.inputs())  # fmt: skip
        return initial, document

    def test_the_prefilled_report_passes_its_own_validation(self):
        from workflows.controle.models import finding_record

        case = self.planned()
        case = self.run_step(case, "hold_briefing", VISIT_DAY, held_on=VISIT_DAY)
        case = self.run_step(case, "start_visit", VISIT_DAY, started_on=VISIT_DAY)
        with at(VISIT_DAY, hour=12):
            finding_record(case=case, user=self.politie_user,
                           text="Hennep | 300 planten.", shareable=True)  # fmt: skip
            finding_record(case=case, user=self.toezicht,
                           text="Illegale bewoning.", shareable=True)  # fmt: skip
            finding_record(case=case, user=self.belastingdienst_user,
                           text="Omzet niet aangegeven.")  # fmt: skip
        case = self.run_step(case, "finish_visit", VISIT_DAY, finished_on=VISIT_DAY)
        initial, document = self.prefilled_report(case, self.coordinator)
        # The lead's organisation and the police slot's; the finders by the
        # same names; the fiscal finding stays out.
        self.assertEqual(initial["partners"], "Gemeente Venlo\nPolitie Eenheid Limburg")
        self.assertEqual(
            initial["findings"],
            "Politie Eenheid Limburg | Hennep / 300 planten.\n"
            "Gemeente Venlo | Illegale bewoning.",
        )
        self.assertEqual(initial["visit_date"], VISIT_DAY)
        self.assertEqual(
            document.inputs["findings"][0],
            {"partner": "Politie Eenheid Limburg", "text": "Hennep / 300 planten."},
        )

    def test_a_visit_without_shareable_findings_has_a_report_too(self):
        case = self.visited()
        initial, document = self.prefilled_report(case, self.toezicht)
        self.assertEqual(initial["findings"], "")
        self.assertNotIn("findings", document.inputs)
        self.assertEqual(document.template_version, "2026.2")


class PlanningPageTests(ControleRulesTestCase):
    """The planning page edits and removes slots through the same services;
    the refusals reach the user in Dutch (issue 14: never English)."""

    def post(self, user, case, data):
        self.login(user)
        with at(date(2026, 3, 4)):
            return self.client.post(f"/cases/{case.reference}/planning/", data)

    def test_the_coordinator_edits_and_removes_a_slot(self):
        case = self.planned(fix=False)
        visit = current_visit(case)
        slot = visit.slots.get()
        prefix = f"slot{slot.pk}"
        response = self.post(self.coordinator, case, {
            "edit": slot.pk, f"{prefix}-kind": "politie",
            f"{prefix}-organisation": self.belastingdienst.pk,
            f"{prefix}-legal_basis": "Politiewet 3",
        })  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertContains(
            response, "Een plaats voor Politie kan alleen worden ingenomen"
        )
        self.assertNotContains(response, "can only be taken")
        slot.refresh_from_db()
        self.assertEqual(slot.organisation, self.politie)
        response = self.post(self.coordinator, case, {
            "edit": slot.pk, f"{prefix}-kind": "politie",
            f"{prefix}-organisation": self.politie.pk,
            f"{prefix}-legal_basis": "Politiewet 3; Opiumwet 8",
        })  # fmt: skip
        self.assertRedirects(response, f"/cases/{case.reference}/planning/")
        slot.refresh_from_db()
        self.assertEqual(
            (slot.legal_basis, slot.confirmed), ("Politiewet 3; Opiumwet 8", False)
        )
        response = self.post(self.coordinator, case, {"remove": slot.pk})
        self.assertRedirects(response, f"/cases/{case.reference}/planning/")
        self.assertFalse(visit.slots.exists())

    def test_a_partner_may_not_edit_or_remove(self):
        case = self.planned(fix=False)
        slot = current_visit(case).slots.get()
        for data in ({"remove": slot.pk}, {"edit": slot.pk}):
            with self.subTest(data=data):
                self.assertEqual(
                    self.post(self.politie_user, case, data).status_code, 404
                )
        self.assertTrue(PartnerSlot.objects.filter(pk=slot.pk).exists())

    def test_after_the_visit_the_page_refuses_in_dutch(self):
        case = self.visited()
        slot = current_visit(case).slots.get()
        self.login(self.coordinator)
        with at(date(2026, 3, 11)):
            page = self.client.get(f"/cases/{case.reference}/planning/")
            self.assertNotContains(page, 'name="remove"')
            response = self.client.post(
                f"/cases/{case.reference}/planning/", {"remove": slot.pk}
            )
        self.assertContains(response, "heeft plaatsgevonden")
        self.assertContains(response, "10 maart 2026")
        self.assertTrue(PartnerSlot.objects.filter(pk=slot.pk).exists())
