"""PGA state machine (workflows/pga/machine.py, docs/domain.md §5.2–5.3) through
`casework.steps.step_run` with the real permission checks and guards: the
complete transition table, the guards that refuse, the roles that are refused,
and the main scenario of issue 7 from acceptance to the shielded file.

`PgaTestCase` is the cast the other PGA test modules (test_pga_access.py,
test_pga_retention.py) use too.
"""

import calendar
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseEvent, Deadline, Party
from casework.steps import available_transitions, step_run
from permissions.models import AccessLog, CaseAccess, Organisation, Role
from permissions.services import team_add
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, UserFactory, valid_bsn
from workflows.pga import services as svc
from workflows.pga.machine import PgaCase, PgaStatus
from workflows.pga.models import (
    Intervention,
    InterventionKind,
    LifeDomain,
    PgaPolicy,
    PgaReferral,
    TopXCriterion,
)

NOTE = "Met redenen omkleed."

# The form data of the steps that carry data (workflows/pga/steps.py).
STEP_DATA = {
    "accept": {"triage_report": "Meervoudige problematiek; drang en dwang nodig."},
    "reject": {"advice": "Aanmelden bij het sociaal wijkteam."},
    "finish_review": {"next_weeks": 6},
    "start_aftercare": {"months": 6},
    "close": {"closure_report": "Doelen gehaald; regulier traject loopt."},
}


def today() -> date:
    return timezone.localdate()


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter
    (written out here rather than borrowed from casework.terms)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Records a path makes between steps (all through the services) ----------


def participants(t, case) -> None:
    """2.31 lid 4: politie, the care provider and the gemeente take part."""
    for organisation, members, basis in (
        (t.politie, [t.politie_user], "Politiewet 2012 art. 3"),
        (t.zorg, [t.zorg_user], "Wmo 2015 art. 2.3.5"),
        (t.gemeente, [], "Gemeentewet art. 172"),
    ):
        svc.participant_add(
            case=case,
            user=t.cr,
            organisation=organisation,
            legal_basis=basis,
            members=members,
        )


def director(t, case) -> None:
    svc.directors_assign(case=case, user=t.cr, case_director=t.cr)


def conference(t, case) -> None:
    svc.conference_plan(
        case=case,
        user=t.cr,
        planned_at=timezone.now() + timedelta(days=2),
        agenda="Kennismaking; afspraken per partner",
        place="Zorg- en Veiligheidshuis",
    )


def conference_held(t, case) -> None:
    svc.conference_record(
        conference=case.pga_conferences.first(),
        user=t.cr,
        held_on=today(),
        minutes="Alle partners aanwezig.",
        decisions="Plan van aanpak vastgesteld.",
    )


def plan(t, case) -> None:
    """A goal and one intervention per partner, each complete."""
    goal = svc.goal_add(
        case=case,
        user=t.cr,
        life_domain=LifeDomain.ADDICTION,
        description="Stopt met dealen en gebruiken",
    )
    svc.intervention_add(
        case=case,
        user=t.cr,
        organisation=t.politie,
        owner=t.politie_user,
        kind=InterventionKind.DWANG_STRAF,
        description="Gebiedsverbod handhaven",
        legal_basis="Sv art. 38v",
        due_on=today() + timedelta(days=30),
        goal=goal,
    )
    svc.intervention_add(
        case=case,
        user=t.cr,
        organisation=t.zorg,
        owner=t.zorg_user,
        kind=InterventionKind.ZORG,
        description="Traject verslavingszorg",
        legal_basis="Wmo 2015 art. 2.3.5",
        due_on=today() + timedelta(days=60),
        goal=goal,
    )


def place(t, case) -> None:
    svc.top_x_place(
        case=case,
        user=t.cr,
        criteria=[t.criterion],
        reason="Veelpleger high impact crime; drie delicten in 2026.",
    )


# --- Paths to each state (transition names run by the casusregisseur) -------

D05 = ["mark_top_x_candidate"]
D05_PLACED = [*D05, place]
D10 = ["start_screening"]
D20 = [*D10, "to_triage"]
D25 = [*D20, "reject"]
D30 = [*D20, "accept"]
D30_READY = [*D30, participants, director]
D35 = [*D30_READY, "assign_director"]
D35_PLANNED = [*D35, conference]
D40 = [*D35_PLANNED, "plan_conference"]
D40_READY = [*D40, conference_held, plan]
D50 = [*D40_READY, "adopt_plan"]
D60 = [*D50, "start_execution"]
D65 = [*D60, "start_review"]
# Evaluated once: closing directly from execution follows an evaluation
# (WGS 2.31 lid 6).
D60_EVALUATED = [*D65, "finish_review"]
D70 = [*D60, "escalate"]
D80 = [*D60, "de_escalate"]
D85 = [*D80, "start_aftercare"]
D90 = [*D85, "close"]

S = PgaStatus

# Every edge of workflows/pga/machine.py a user runs, written out by hand:
# (path to the source with the guard met, transition, from, to).
TRANSITIONS = [
    ([], "mark_top_x_candidate", S.D00, S.D05),
    (D05_PLACED, "accept_from_list", S.D05, S.D30),
    ([], "start_screening", S.D00, S.D10),
    (D10, "return_incomplete", S.D10, S.D00),
    (D10, "to_triage", S.D10, S.D20),
    (D20, "reject", S.D20, S.D25),
    (D05, "reject", S.D05, S.D25),
    (D20, "accept", S.D20, S.D30),
    (D30_READY, "assign_director", S.D30, S.D35),
    (D35_PLANNED, "plan_conference", S.D35, S.D40),
    (D40_READY, "adopt_plan", S.D40, S.D50),
    (D50, "start_execution", S.D50, S.D60),
    (D60, "start_review", S.D60, S.D65),
    (D65, "finish_review", S.D65, S.D60),
    (D60, "escalate", S.D60, S.D70),
    (D70, "breakthrough", S.D70, S.D60),
    (D60, "de_escalate", S.D60, S.D80),
    (D80, "start_aftercare", S.D80, S.D85),
    (D85, "close", S.D85, S.D90),
    (D60_EVALUATED, "close", S.D60, S.D90),
]
# The sweep's own edge: no user may run it (tested below and in
# test_pga_retention.py).
SWEEP_ONLY = [
    (D90, "anonymise", S.D90, S.D95),
    (D25, "anonymise", S.D25, S.D95),
]


class PgaTestCase(TestCase):
    """The PGA cast: a gemeente with two casusregisseurs (`cr` runs the cases,
    `cr2` is on none of them), a jurist and the FG; politie, OM and a care
    provider each with a partner user. `open_referral` registers a person
    reported by politie, with the jurist (another role, team member) and the
    politie user (partner contributor) on the team from the start."""

    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        cls.om = OrganisationFactory(
            name="Openbaar Ministerie Limburg", kind=Organisation.Kind.OM
        )
        cls.zorg = OrganisationFactory(
            name="Verslavingszorg Noord", kind=Organisation.Kind.ZORG
        )
        cls.cr = cls.make_user("regisseur", Role.CASUSREGISSEUR, cls.gemeente)
        cls.cr2 = cls.make_user("regisseur2", Role.CASUSREGISSEUR, cls.gemeente)
        cls.jurist = cls.make_user("jurist", Role.JURIST, cls.gemeente)
        cls.fg = cls.make_user("fg", Role.FG, cls.gemeente)
        cls.politie_user = cls.make_user("politie", Role.PARTNER, cls.politie)
        cls.om_user = cls.make_user("om", Role.PARTNER, cls.om)
        cls.zorg_user = cls.make_user("zorg", Role.PARTNER, cls.zorg)
        cls.criterion = TopXCriterion.objects.create(
            code="HIC-1",
            text="Drie of meer high impact crimes in twee jaar.",
            published_on=date(2025, 1, 6),
        )

    @staticmethod
    def make_user(username, role, organisation):
        return UserFactory(username=username, role=role, organisation=organisation)

    def person(self, name="Jan Peters", n=1) -> Party:
        return Party(
            kind=Party.Kind.PERSON,
            name=name,
            bsn=valid_bsn(n),
            date_of_birth=date(1994, 6, 3),
        )

    def open_referral(self, *, person=None, received_on=None, user=None) -> Case:
        user = user or self.cr
        case = svc.referral_register(
            user=user,
            person=person or self.person(),
            reporter=self.politie,
            received_on=received_on or today() - timedelta(days=10),
            reason="Overlast en drugshandel vanuit de woning Kloosterstraat 12",
            goal="Stabiliseren; stoppen met dealen",
            informed=True,
        )
        if user == self.cr:
            # Team rows written directly: the case file selects participants
            # (and refuses a jurist); these users test the role checks of
            # someone who is on the team all the same.
            for member, team_role in (
                (self.jurist, CaseAccess.TeamRole.MEMBER),
                (self.politie_user, CaseAccess.TeamRole.CONTRIBUTOR),
            ):
                team_add(case=case, user=member, team_role=team_role)
        return case

    def go(self, path, case, *, user=None) -> Case:
        """Run the path: steps by the casusregisseur (or `user`) through
        `step_run` (each must succeed and write its status event) and the
        records between."""
        for item in path:
            if callable(item):
                item(self, case)
                continue
            self.run_step(item, case, user=user)
        return self.fresh(case)

    def run_step(self, name, case, *, user=None, data=None):
        user = user or self.cr
        before = self.status(case)
        step_run(
            case=case,
            name=name,
            user=user,
            note=NOTE,
            data=STEP_DATA.get(name, {}) if data is None else data,
        )
        event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS).latest(
            "id"
        )
        self.assertEqual(
            (event.actor, event.from_status, event.to_status),
            (user, before, self.status(case)),
            msg=name,
        )

    def assert_refused(self, exception, name, case, user, *, data=None):
        status, events = self.status(case), self.events(case)
        with self.assertRaises(exception, msg=f"{name} by {user.username}"):
            step_run(
                case=case,
                name=name,
                user=user,
                note=NOTE,
                data=STEP_DATA.get(name, {}) if data is None else data,
            )
        self.assertEqual(self.status(case), status)
        self.assertEqual(self.events(case), events)

    def fresh(self, case) -> Case:
        return Case.objects.get(pk=case.pk)

    def status(self, case) -> str:
        return Case.objects.values_list("status", flat=True).get(pk=case.pk)

    def events(self, case) -> int:
        return CaseEvent.objects.filter(case=case).count()


class PgaTableTests(PgaTestCase):
    def test_every_declared_transition_is_in_the_table(self):
        field = PgaCase._meta.get_field("status")
        declared = {
            (t.name, t.source, t.target) for t in field.get_all_transitions(PgaCase)
        }
        tested = {(name, src, dst) for _p, name, src, dst in TRANSITIONS + SWEEP_ONLY}
        self.assertEqual(declared, tested)

    def test_every_transition_succeeds_from_its_source_and_writes_a_status_event(
        self,
    ):
        for path, name, source, target in TRANSITIONS:
            with self.subTest(name=name, source=source):
                case = self.go(path, self.open_referral())
                self.assertEqual(case.status, source)
                events = self.events(case)
                self.run_step(name, case)
                self.assertEqual(self.status(case), target)
                self.assertGreater(self.events(case), events)

    def test_no_other_user_may_run_a_transition(self):
        # At each source with its guard met: a jurist on the team (another
        # role, with write rights), the politie partner on the team as a
        # contributor, a casusregisseur off the team, a partner off the team
        # and the FG are all refused.
        others = (self.jurist, self.politie_user, self.cr2, self.om_user, self.fg)
        for path, name, source, _target in TRANSITIONS:
            case = self.go(path, self.open_referral())
            for user in others:
                with self.subTest(name=name, source=source, user=user.username):
                    self.assert_refused(PermissionDenied, name, case, user)
            # ...and the casusregisseur may, there and then.
            self.run_step(name, case)

    def test_anonymise_is_refused_to_every_user(self):
        everyone = (
            self.cr, self.cr2, self.jurist, self.politie_user, self.om_user,
            self.zorg_user, self.fg,
        )  # fmt: skip
        for path, name, source, _target in SWEEP_ONLY:
            case = self.go(path, self.open_referral())
            self.assertEqual(case.status, source)
            for user in everyone:
                with self.subTest(source=source, user=user.username):
                    self.assert_refused(PermissionDenied, name, case, user)
                    names = {n for n, _label in available_transitions(case, user)}
                    self.assertNotIn("anonymise", names)

    def test_a_transition_from_another_state_is_refused(self):
        case = self.open_referral()
        from_d00 = {"mark_top_x_candidate", "start_screening"}
        for _path, name, _source, _target in TRANSITIONS:
            if name in from_d00:
                continue
            with self.subTest(name=name):
                self.assert_refused(ValidationError, name, case, self.cr)

    def test_terminal_states_offer_no_step(self):
        for path in (D25, D90):
            case = self.go(path, self.open_referral())
            self.assertEqual(available_transitions(case, self.cr), [])
            self.assertIsNotNone(case.closed_at)


class PgaGuardTests(PgaTestCase):
    def test_assign_director_needs_participants(self):
        case = self.go([*D30, director], self.open_referral())
        self.assert_refused(ValidationError, "assign_director", case, self.cr)

    def test_assign_director_needs_a_case_director(self):
        case = self.go([*D30, participants], self.open_referral())
        self.assert_refused(ValidationError, "assign_director", case, self.cr)
        director(self, case)
        self.run_step("assign_director", case)

    def test_plan_conference_needs_a_conference(self):
        case = self.go(D35, self.open_referral())
        self.assert_refused(ValidationError, "plan_conference", case, self.cr)

    def test_adopt_plan_needs_the_conference_held(self):
        case = self.go([*D40, plan], self.open_referral())
        self.assert_refused(ValidationError, "adopt_plan", case, self.cr)
        conference_held(self, case)
        self.run_step("adopt_plan", case)

    def test_adopt_plan_needs_an_intervention(self):
        case = self.go([*D40, conference_held], self.open_referral())
        svc.goal_add(
            case=case, user=self.cr, life_domain=LifeDomain.HOUSING, description="Huis"
        )
        self.assert_refused(ValidationError, "adopt_plan", case, self.cr)

    def test_adopt_plan_needs_owner_legal_basis_and_due_date_on_each_intervention(
        self,
    ):
        for gap in ({"owner": None}, {"legal_basis": ""}, {"due_on": None}):
            with self.subTest(gap=gap):
                case = self.go(D40_READY, self.open_referral())
                police = Intervention.objects.get(case=case, organisation=self.politie)
                Intervention.objects.filter(pk=police.pk).update(**gap)
                self.assert_refused(ValidationError, "adopt_plan", case, self.cr)
                # A stopped intervention no longer counts.
                Intervention.objects.filter(pk=police.pk).update(status="stopped")
                self.run_step("adopt_plan", case)

    def test_finish_review_needs_a_complete_plan(self):
        case = self.go(D65, self.open_referral())
        Intervention.objects.filter(case=case, organisation=self.zorg).update(
            legal_basis=""
        )
        self.assert_refused(ValidationError, "finish_review", case, self.cr)

    def test_accept_from_list_needs_an_open_top_x_entry(self):
        case = self.go(D05, self.open_referral())
        self.assert_refused(ValidationError, "accept_from_list", case, self.cr)
        place(self, case)
        entry = case.top_x_entries.get()
        svc.top_x_remove(entry=entry, user=self.cr, reason="Niet langer nodig.")
        self.assert_refused(ValidationError, "accept_from_list", case, self.cr)


class PgaScenarioTests(PgaTestCase):
    def review_deadlines(self, case):
        return Deadline.objects.filter(case=case, legal_basis=svc.REVIEW_BASIS)

    def test_accepted_planned_reviewed_twice_de_escalated_and_closed(self):
        case = self.open_referral()
        self.go(D30, case)
        self.assertEqual(
            PgaReferral.objects.get(case=case).triage_report,
            STEP_DATA["accept"]["triage_report"],
        )
        self.go([participants, director, "assign_director"], case)
        self.go([conference, "plan_conference", conference_held, plan], case)
        self.go(["adopt_plan", "start_execution"], case)
        day = today()

        # No policy row: the default of six weeks, 42 days from today.
        first = self.review_deadlines(case).get()
        self.assertEqual(first.event_date, day)
        self.assertEqual(first.end_date, day + timedelta(days=42))
        self.assertEqual(first.state, Deadline.State.OPEN)

        # Two review cycles: each closes the running review date and sets the
        # next one, 4 and then 8 weeks from today.
        for weeks, days in ((4, 28), (8, 56)):
            self.go(["start_review"], case)
            self.assertEqual(self.status(case), S.D65)
            running = self.review_deadlines(case).get(state=Deadline.State.OPEN)
            self.run_step("finish_review", case, data={"next_weeks": weeks})
            self.assertEqual(self.status(case), S.D60)
            running.refresh_from_db()
            self.assertEqual((running.state, running.met_on), (Deadline.State.MET, day))
            current = self.review_deadlines(case).get(state=Deadline.State.OPEN)
            self.assertEqual(current.end_date, day + timedelta(days=days))
        self.assertEqual(self.review_deadlines(case).count(), 3)

        self.go(["de_escalate"], case)
        self.run_step("start_aftercare", case, data={"months": 7})
        self.assertFalse(
            self.review_deadlines(case).filter(state=Deadline.State.OPEN).exists()
        )
        aftercare = Deadline.objects.get(case=case, legal_basis=svc.AFTERCARE_BASIS)
        self.assertEqual(aftercare.end_date, months_after(day, 7))

        team = [a.user for a in CaseAccess.objects.filter(case=case)]
        self.assertEqual(
            {u.username for u in team},
            {"regisseur", "jurist", "politie", "zorg"},
        )
        self.go(["close"], case)
        closed = self.fresh(case)
        self.assertEqual(closed.status, S.D90)
        self.assertIsNotNone(closed.closed_at)
        aftercare.refresh_from_db()
        self.assertEqual(aftercare.state, Deadline.State.MET)
        self.assert_shielded(closed, team)

    def assert_shielded(self, case, team):
        """2.31 lid 8: no former team member keeps any access; the FG reads the
        file through `shielded_cases`, and that read is logged."""
        self.assertFalse(CaseAccess.objects.filter(case=case).exists())
        url = reverse("casework:case_detail", args=[case.reference])
        for user in team:
            with self.subTest(user=user.username):
                self.assertFalse(
                    Case.objects.for_user(user).filter(pk=case.pk).exists()
                )
                self.client.force_login(user)
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertFalse(svc.interventions_for(user, case).exists())
                self.assertEqual(svc.health_items_for(user, case), [])
                self.assertFalse(svc.shielded_cases(user).exists())
                with self.assertRaises(PermissionDenied):
                    svc.goal_add(
                        case=self.fresh(case),
                        user=user,
                        life_domain=LifeDomain.HOUSING,
                        description="Na afsluiting",
                    )
        with self.assertRaises(Case.DoesNotExist):
            svc.shielded_case_read(self.cr, case.reference)

        self.assertEqual(list(svc.shielded_cases(self.fg)), [case])
        logged = AccessLog.objects.filter(case_id=case.pk, user_id=self.fg.pk)
        self.assertFalse(logged.exists())
        read = svc.shielded_case_read(self.fg, case.reference)
        self.assertEqual(read, case)
        entry = logged.get()
        self.assertEqual(
            (entry.action, entry.case_reference, entry.role, entry.purpose_code),
            (AccessLog.Action.READ, case.reference, Role.FG, "shielded-review"),
        )

    def test_the_first_review_date_follows_the_policy_row_valid_today(self):
        PgaPolicy.objects.create(valid_from=date(2025, 1, 1), review_weeks=4)
        PgaPolicy.objects.create(valid_from=today() + timedelta(days=1), review_weeks=9)
        case = self.go(D60, self.open_referral())
        deadline = self.review_deadlines(case).get()
        self.assertEqual(deadline.end_date, today() + timedelta(days=28))

    def test_escalation_and_breakthrough_keep_the_review_date(self):
        case = self.go([*D70, "breakthrough"], self.open_referral())
        self.assertEqual(case.status, S.D60)
        self.assertEqual(
            self.review_deadlines(case).filter(state=Deadline.State.OPEN).count(), 1
        )

    def test_closing_directly_from_execution_shields_the_file(self):
        case = self.go(D60_EVALUATED, self.open_referral())
        team = [a.user for a in CaseAccess.objects.filter(case=case)]
        self.go(["close"], case)
        self.assertFalse(
            self.review_deadlines(case).filter(state=Deadline.State.OPEN).exists()
        )
        self.assert_shielded(self.fresh(case), team)

    def test_a_top_x_placement_is_an_accepted_case(self):
        case = self.go([*D05_PLACED, "accept_from_list"], self.open_referral())
        self.assertEqual(case.status, S.D30)
        self.assertTrue(case.top_x_entries.filter(removed_on__isnull=True).exists())
        self.assertEqual(case.case_type, CaseType.PGA)
