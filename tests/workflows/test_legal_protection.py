"""The legal-protection region R00–R90 (workflows/legal_protection/machine.py) as
scenarios through `workflows.legal_protection.services`, with the real permission
checks."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

import time_machine

from casework import services as casework_services
from casework.models import CaseEvent
from casework.rules import StepRefused
from workflows.legal_protection import services
from workflows.legal_protection.machine import LegalProtection, Outcome

from .base import WorkflowTestCase

UPHELD, DISMISSED = Outcome.UPHELD, Outcome.DISMISSED

# Every edge, written out by hand: (steps to reach the source as (name,
# outcome), transition, from, to, outcome). A new edge without a row fails
# `test_every_declared_transition_is_in_the_table`.
R10 = [("receive_objection", "")]
R15 = [*R10, ("request_repair", "")]
R20 = [*R10, ("schedule_hearing", "")]
R25 = [*R20, ("receive_committee_advice", "")]
R30 = [*R10, ("decide_objection", DISMISSED)]
R40 = [*R30, ("receive_appeal", "")]
R45 = [*R40, ("request_interim_relief", "")]
R50 = [*R40, ("file_higher_appeal", DISMISSED)]
R50_45 = [*R50, ("request_interim_relief", "")]
TRANSITIONS = [
    ([], "receive_objection", "R00", "R10", ""),
    (R10, "request_repair", "R10", "R15", ""),
    (R15, "repair_received", "R15", "R10", ""),
    (R10, "schedule_hearing", "R10", "R20", ""),
    (R15, "schedule_hearing", "R15", "R20", ""),
    (R20, "receive_committee_advice", "R20", "R25", ""),
    (R10, "decide_objection", "R10", "R30", Outcome.INADMISSIBLE),
    (R20, "decide_objection", "R20", "R30", UPHELD),
    (R25, "decide_objection", "R25", "R30", Outcome.PARTLY_UPHELD),
    (R30, "receive_appeal", "R30", "R40", ""),
    (R40, "request_interim_relief", "R40", "R45", ""),
    (R50, "request_interim_relief", "R50", "R45", ""),
    (R45, "decide_interim_relief", "R45", "R40", ""),
    (R50_45, "decide_interim_relief_in_higher_appeal", "R45", "R50", ""),
    (R40, "file_higher_appeal", "R40", "R50", UPHELD),
    ([], "become_final", "R00", "R90", ""),
    (R30, "become_final", "R30", "R90", ""),
    (R40, "record_final_ruling", "R40", "R90", UPHELD),
    (R50, "record_final_ruling", "R50", "R90", DISMISSED),
]


class LegalProtectionTestCase(WorkflowTestCase):
    def open(self, title=None) -> LegalProtection:
        # The decision title is unique per case; tests that open several
        # protections on the one case number them.
        if title is None:
            count = LegalProtection.objects.filter(case=self.case).count()
            title = "Besluit last onder dwangsom"
            title = f"{title} {count + 1}" if count else title
        return services.legal_protection_open(
            case=self.case,
            user=self.owner,
            decision_title=title,
            decided_on=date(2026, 3, 2),
        )

    def go(self, protection, name, user=None, outcome="", note=""):
        return services.legal_protection_transition(
            protection=protection,
            name=name,
            user=user or self.owner,
            outcome=outcome,
            note=note,
        )

    def reach(self, steps) -> LegalProtection:
        protection = self.open()
        for name, outcome in steps:
            protection = self.go(protection, name, outcome=outcome)
        return protection

    def stored(self, protection) -> LegalProtection:
        return LegalProtection.objects.get(pk=protection.pk)

    def appeal_term_end(self, protection) -> date:
        from workflows.legal_protection.selectors import (
            APPEAL_TERM_BASIS,
            protection_deadline,
        )

        return protection_deadline(self.stored(protection), APPEAL_TERM_BASIS).end_date


class LegalProtectionScenarioTests(LegalProtectionTestCase):
    def test_opening_starts_in_r00_and_notes_it_on_the_case(self):
        protection = self.open()
        self.assertEqual(protection.status, "R00")
        self.assertEqual(protection.case_id, self.case.pk)
        event = CaseEvent.objects.filter(case=self.case).latest("id")
        self.assertEqual(
            (event.kind, event.actor, event.from_status, event.to_status),
            (CaseEvent.Kind.NOTE, self.owner, "", "R00"),
        )
        self.assertIn("Besluit last onder dwangsom", event.note)
        self.assertIn("02-03-2026", event.note)

    def test_no_remedy_and_the_besluit_becomes_final(self):
        protection = self.go(self.open(), "become_final")
        self.assertEqual(self.stored(protection).status, "R90")
        self.assertEqual(self.stored(protection).outcome, "")

    def test_objection_hearing_appeal_higher_appeal_and_interim_relief(self):
        scenario = [
            ("receive_objection", self.owner, "", "R10"),
            ("request_repair", self.owner, "", "R15"),
            ("repair_received", self.colleague, "", "R10"),
            ("schedule_hearing", self.owner, "", "R20"),
            ("receive_committee_advice", self.owner, "", "R25"),
            ("decide_objection", self.burgemeester, DISMISSED, "R30"),
            ("receive_appeal", self.owner, "", "R40"),
            ("request_interim_relief", self.owner, "", "R45"),
            ("decide_interim_relief", self.owner, "", "R40"),
            ("file_higher_appeal", self.owner, DISMISSED, "R50"),
            ("request_interim_relief", self.owner, "", "R45"),
            ("decide_interim_relief_in_higher_appeal", self.owner, "", "R50"),
            ("record_final_ruling", self.owner, UPHELD, "R90"),
        ]
        protection = self.open()
        for name, user, outcome, expected in scenario:
            before = protection.status
            protection = self.go(protection, name, user, outcome, note="Zie dossier.")
            self.assertEqual(self.stored(protection).status, expected, msg=name)
            event = CaseEvent.objects.filter(case=self.case).latest("id")
            self.assertEqual(
                (event.kind, event.actor, event.from_status, event.to_status),
                (CaseEvent.Kind.NOTE, user, before, expected),
                msg=name,
            )
            self.assertIn("Besluit last onder dwangsom", event.note)
            self.assertIn("Zie dossier.", event.note)
        stored = self.stored(protection)
        self.assertEqual(stored.outcome, UPHELD)
        self.assertIs(stored.higher_appeal, True)
        # The case's own status is untouched by the region.
        self.assertEqual(self.status(), "A00")

    def test_objection_decided_without_hearing(self):
        """The beslissing op bezwaar becomes final once its beroepstermijn
        (six weeks from the day after it was made known, Awb 6:7, 6:8) has
        ended: refused on its last day, taken the day after."""
        protection = self.reach(R10)
        protection = self.go(
            protection, "decide_objection", outcome=Outcome.INADMISSIBLE
        )
        end = self.appeal_term_end(protection)
        with time_machine.travel(end, tick=False):
            with self.assertRaises(StepRefused) as refused:
                self.go(protection, "become_final")
        self.assertEqual(refused.exception.refusals[0].rule, "Awb 6:7, 6:8")
        self.assertEqual(refused.exception.refusals[0].on, end)
        self.assertEqual(self.stored(protection).status, "R30")
        with time_machine.travel(end + timedelta(days=1), tick=False):
            protection = self.go(protection, "become_final")
        stored = self.stored(protection)
        self.assertEqual((stored.status, stored.outcome), ("R90", "inadmissible"))

    def test_final_is_refused_while_the_objection_term_runs(self):
        """Awb 6:7, 6:8: bekendmaking Monday 2 March 2026; the bezwaartermijn
        starts on 3 March and ends six weeks later, on Monday 13 April 2026.
        On that day the besluit is not yet final; on 14 April it is."""
        protection = self.open()
        with time_machine.travel(date(2026, 4, 13), tick=False):
            with self.assertRaises(StepRefused) as refused:
                self.go(protection, "become_final")
            self.assertEqual(refused.exception.refusals[0].on, date(2026, 4, 13))
            self.assertIn("13 april 2026", refused.exception.refusals[0].message)
        self.assertEqual(self.stored(protection).status, "R00")
        with time_machine.travel(date(2026, 4, 14), tick=False):
            self.go(protection, "become_final")
        self.assertEqual(self.stored(protection).status, "R90")

    def test_with_a_committee_the_decision_waits_for_its_advice(self):
        """Awb 7:13: an objection recorded as handled by an advisory committee
        is not decided from the hearing (R20) before the advice (R25)."""
        protection = services.legal_protection_transition(
            protection=self.open(),
            name="receive_objection",
            user=self.owner,
            advisory_committee=True,
        )
        protection = self.go(protection, "schedule_hearing")
        with self.assertRaises(StepRefused) as refused:
            self.go(protection, "decide_objection", outcome=Outcome.DISMISSED)
        self.assertEqual(refused.exception.refusals[0].rule, "Awb 7:13")
        self.assertEqual(self.stored(protection).status, "R20")
        protection = self.go(protection, "receive_committee_advice")
        protection = self.go(protection, "decide_objection", outcome=Outcome.DISMISSED)
        self.assertEqual(self.stored(protection).status, "R30")

    def test_each_besluit_has_its_own_protection(self):
        first = self.go(self.open(), "receive_objection")
        second = self.open("Invorderingsbeschikking")
        self.go(second, "become_final")
        self.assertEqual(self.stored(first).status, "R10")
        self.assertEqual(self.stored(second).status, "R90")
        self.assertEqual(self.case.legal_protections.count(), 2)


class LegalProtectionRefusalTests(LegalProtectionTestCase):
    def assert_refused(self, protection, exception, message, **kwargs):
        status, events = self.stored(protection).status, self.events()
        with self.assertRaisesMessage(exception, str(message)):
            self.go(protection, **kwargs)
        self.assertEqual(self.stored(protection).status, status)
        self.assertEqual(self.events(), events)

    def test_a_step_from_a_wrong_state_is_refused_and_writes_no_event(self):
        for steps, name, outcome in (
            ([], "decide_objection", UPHELD),
            ([], "receive_appeal", ""),
            (R10, "receive_objection", ""),
            (R10, "receive_committee_advice", ""),
            (R30, "decide_objection", UPHELD),
            (R30, "record_final_ruling", UPHELD),
            (R40, "become_final", ""),
            (R45, "decide_interim_relief_in_higher_appeal", ""),
            (R50_45, "decide_interim_relief", ""),
            ([("become_final", "")], "receive_objection", ""),
        ):
            with self.subTest(steps=steps, name=name):
                self.assert_refused(
                    self.reach(steps),
                    ValidationError,
                    casework_services.TRANSITION_NOT_AVAILABLE,
                    name=name,
                    outcome=outcome,
                )

    def test_a_name_that_is_not_a_transition_is_refused(self):
        protection = self.open()
        for name in ("save", "delete", "is_in_higher_appeal", "no_such_step"):
            with self.subTest(name=name):
                self.assert_refused(
                    protection,
                    ValidationError,
                    casework_services.TRANSITION_NOT_AVAILABLE,
                    name=name,
                )

    def test_a_decision_needs_a_valid_outcome(self):
        for steps, name in (
            (R10, "decide_objection"),
            (R40, "file_higher_appeal"),
            (R50, "record_final_ruling"),
        ):
            for outcome in ("", "gegrond"):
                with self.subTest(name=name, outcome=outcome):
                    self.assert_refused(
                        self.reach(steps),
                        ValidationError,
                        services.OUTCOME_REQUIRED,
                        name=name,
                        outcome=outcome,
                    )

    def test_a_step_that_decides_nothing_takes_no_outcome(self):
        self.assert_refused(
            self.open(),
            ValidationError,
            services.OUTCOME_NOT_EXPECTED,
            name="receive_objection",
            outcome=UPHELD,
        )

    def test_toezicht_and_invordering_may_not_decide_the_objection(self):
        protection = self.reach(R20)
        for user in (self.toezicht, self.invordering):
            with self.subTest(user=user.username):
                self.assert_refused(
                    protection,
                    PermissionDenied,
                    casework_services.NOT_ALLOWED_TO_EDIT,
                    name="decide_objection",
                    user=user,
                    outcome=UPHELD,
                )

    def test_the_burgemeester_decides_the_objection_and_nothing_else(self):
        for steps, name, outcome in (
            ([], "receive_objection", ""),
            (R30, "receive_appeal", ""),
            ([], "become_final", ""),
        ):
            with self.subTest(name=name):
                self.assert_refused(
                    self.reach(steps),
                    PermissionDenied,
                    casework_services.NOT_ALLOWED_TO_EDIT,
                    name=name,
                    user=self.burgemeester,
                    outcome=outcome,
                )
        protection = self.go(
            self.reach(R10), "decide_objection", self.burgemeester, UPHELD
        )
        self.assertEqual(self.stored(protection).status, "R30")

    def test_partners_and_outsiders_may_run_no_step(self):
        for steps, name, _source, _target, outcome in TRANSITIONS:
            protection = self.reach(steps)
            for user in (
                self.politie_user,
                self.belastingdienst_user,
                self.outsider,
                self.fg,
            ):
                with self.subTest(name=name, user=user.username):
                    self.assert_refused(
                        protection,
                        PermissionDenied,
                        casework_services.NOT_ALLOWED_TO_EDIT,
                        name=name,
                        user=user,
                        outcome=outcome,
                    )

    def test_only_a_jurist_on_the_team_opens_a_protection(self):
        for user in (
            self.burgemeester,
            self.toezicht,
            self.invordering,
            self.politie_user,
            self.outsider,
        ):
            with self.subTest(user=user.username):
                with self.assertRaisesMessage(
                    PermissionDenied, str(casework_services.NOT_ALLOWED_TO_EDIT)
                ):
                    services.legal_protection_open(
                        case=self.case,
                        user=user,
                        decision_title="Besluit",
                        decided_on=date(2026, 3, 2),
                    )
        self.assertFalse(LegalProtection.objects.exists())

    def test_a_decision_title_is_required(self):
        with self.assertRaises(ValidationError):
            services.legal_protection_open(
                case=self.case,
                user=self.owner,
                decision_title="  ",
                decided_on=date(2026, 3, 2),
            )
        self.assertFalse(LegalProtection.objects.exists())

    def test_the_database_refuses_an_outcome_before_a_decision(self):
        protection = self.reach(R10)
        with self.assertRaises(IntegrityError), transaction.atomic():
            LegalProtection.objects.filter(pk=protection.pk).update(outcome=UPHELD)


class LegalProtectionTableTests(LegalProtectionTestCase):
    def test_every_declared_transition_is_in_the_table(self):
        field = LegalProtection._meta.get_field("status")
        declared = {
            (t.name, t.source, t.target)
            for t in field.get_all_transitions(LegalProtection)
        }
        self.assertEqual(declared, {(r[1], r[2], r[3]) for r in TRANSITIONS})

    def test_every_transition_succeeds_from_its_source(self):
        for steps, name, source, target, outcome in TRANSITIONS:
            with self.subTest(name=name, source=source):
                protection = self.reach(steps)
                self.assertEqual(protection.status, source)
                if name == "become_final" and source == "R30":
                    # Final once the beroepstermijn has ended (Awb 6:7).
                    with time_machine.travel(
                        self.appeal_term_end(protection) + timedelta(days=1)
                    ):
                        result = self.go(protection, name, outcome=outcome)
                else:
                    result = self.go(protection, name, outcome=outcome)
                self.assertEqual(self.stored(result).status, target)
                if outcome:
                    self.assertEqual(self.stored(result).outcome, outcome)

    def test_every_transition_has_a_label_a_docstring_and_the_jurist(self):
        field = LegalProtection._meta.get_field("status")
        for t in field.get_all_transitions(LegalProtection):
            with self.subTest(name=t.name):
                self.assertTrue(str(t.custom["label"]))
                self.assertTrue(t.method.__doc__)
                self.assertIn("jurist", t.permission.roles)
