"""What happens to a PGA case's personal data (issue 7 item 7; docs/domain.md §5.2
D25, §6.6; WGS 1.8 lid 7, 2.31 lid 8): a rejected referral is minimised at
once, and the retention sweep anonymises closed and rejected cases on the day
five years after first processing — with the clock moved forward by passing
`today` to the sweep."""

import json
from datetime import date

from django.utils.translation import gettext

from casework.models import Case, CaseEvent, CaseParty, Deadline, Party
from permissions.models import CaseAccess
from tests.factories import SignalFactory
from workflows.pga import services as svc
from workflows.pga.models import (
    DeletionLog,
    Goal,
    HealthItem,
    Intervention,
    PgaReferral,
    Relation,
    TopXEntry,
)

from .test_pga_states import (
    D05_PLACED,
    D20,
    D25,
    D60,
    D90,
    STEP_DATA,
    PgaTestCase,
    S,
    today,
)

NAME, BSN_N = "Jan Peters", 1


def relation(t, case) -> None:
    svc.relation_add(
        case=case,
        user=t.cr,
        other=t.person("Piet Peters", 2),
        kind="family",
    )


def health_item(t, case) -> None:
    svc.health_item_add(
        case=case,
        user=t.zorg_user,
        text="Opname in 2025 wegens psychose.",
        basis="consent",
        consent_on=today(),
        shared_with=[t.gemeente],
    )


class PgaPrivacyTestCase(PgaTestCase):
    def assert_no_personal_data(self, log: DeletionLog, case) -> None:
        text = json.dumps(
            {
                "reference": log.case_reference,
                "basis": log.basis,
                "by": log.performed_by,
                "removed": log.removed,
            }
        )
        for secret in (NAME, "Peters", self.person().bsn, "Kloosterstraat"):
            self.assertNotIn(secret, text)
        self.assertEqual(log.case_id_kept, case.pk)
        self.assertEqual(log.case_reference, case.reference)

    def assert_no_name_left(self, case) -> None:
        case = Case.objects.get(pk=case.pk)
        self.assertNotIn("Peters", case.title)
        notes = CaseEvent.objects.filter(case=case).values_list("note", flat=True)
        self.assertFalse([n for n in notes if "Peters" in n], msg=list(notes))
        self.assertFalse(CaseParty.objects.filter(case=case).exists())


class MinimisationTests(PgaPrivacyTestCase):
    def test_a_rejected_referral_is_minimised(self):
        case = self.open_referral()
        person = svc.person_of(case)
        self.go(D25, case)
        self.assertEqual(self.status(case), S.D25)

        referral = PgaReferral.objects.get(case=case)
        self.assertEqual((referral.reason, referral.goal), ("", ""))
        self.assertEqual(referral.advice, STEP_DATA["reject"]["advice"])
        self.assertIsNotNone(referral.minimised_at)
        self.assertEqual(referral.reporter, self.politie)
        self.assertFalse(Party.objects.filter(pk=person.pk).exists())
        self.assert_no_name_left(case)
        self.assertEqual(
            Case.objects.get(pk=case.pk).title,
            gettext("Referral of %(day)s (minimised)")
            % {"day": f"{referral.received_on:%d-%m-%Y}"},
        )

        log = DeletionLog.objects.get(case_id_kept=case.pk)
        self.assertEqual(log.action, DeletionLog.Action.MINIMISED)
        self.assertEqual(log.performed_by, self.cr.username)
        self.assertEqual(log.removed["persons"], 1)
        self.assertEqual(log.removed["case_parties"], 1)
        self.assert_no_personal_data(log, case)

    def test_a_person_another_case_refers_to_is_kept(self):
        case = self.open_referral()
        person = svc.person_of(case)
        other = self.open_referral(person=person)
        self.go(D25, case)
        self.assertTrue(Party.objects.filter(pk=person.pk).exists())
        self.assertEqual(svc.person_of(other), person)
        self.assertFalse(CaseParty.objects.filter(case=case).exists())
        self.assertNotIn(
            "persons", DeletionLog.objects.get(case_id_kept=case.pk).removed
        )

    def test_a_person_a_signal_refers_to_is_kept(self):
        case = self.open_referral()
        person = svc.person_of(case)
        SignalFactory(registered_by=self.cr, parties=[person])
        self.go(D25, case)
        self.assertTrue(Party.objects.filter(pk=person.pk).exists())

    def test_a_related_person_without_other_cases_goes_with_the_referral(self):
        case = self.open_referral()
        relation(self, case)
        self.go(D25, case)
        self.assertFalse(Party.objects.filter(name__in=[NAME, "Piet Peters"]).exists())
        self.assertFalse(Relation.objects.filter(case=case).exists())

    def test_a_rejected_top_x_candidate_leaves_the_list(self):
        # D05 → D25 with an open placement: the list may not keep a person
        # whose referral was rejected and minimised (WGS 2.32 lid 4).
        case = self.go([*D05_PLACED, "reject"], self.open_referral())
        self.assertEqual(case.status, S.D25)
        entry = TopXEntry.objects.get(case=case)
        self.assertEqual(entry.removed_on, today())
        self.assertFalse(svc.top_x_list(self.cr).filter(removed_on__isnull=True))


class RetentionSweepTests(PgaPrivacyTestCase):
    def closed(self, received_on, path=D90) -> Case:
        """A case that went the whole way with relations, health data, a plan
        and a Top X history, then `path`."""
        case = self.open_referral(received_on=received_on)
        self.go(D20, case)
        if path is D25:
            return self.go(["reject"], case)
        self.go(["accept"], case)
        relation(self, case)
        rest = path[len([*D20, "accept"]) :]
        self.go(rest[:2], case)  # participants, director
        health_item(self, case)
        return self.go(rest[2:], case)

    def test_anonymised_on_the_day_five_years_after_receipt_not_the_day_before(self):
        case = self.closed(date(2026, 1, 15))
        person = svc.person_of(case)
        self.assertEqual(case.status, S.D90)

        result = svc.retention_sweep(today=date(2031, 1, 14))
        self.assertEqual(result.anonymised, [])
        self.assertEqual(self.status(case), S.D90)
        self.assertTrue(Party.objects.filter(pk=person.pk).exists())
        self.assertFalse(DeletionLog.objects.filter(case_id_kept=case.pk).exists())

        result = svc.retention_sweep(today=date(2031, 1, 15))
        self.assertEqual(result.anonymised, [case.reference])
        self.assert_anonymised(case, source=S.D90)

    def test_a_referral_of_29_february_is_deleted_on_28_february(self):
        case = self.closed(date(2024, 2, 29))
        self.assertEqual(
            PgaReferral.objects.get(case=case).retention_until, date(2029, 2, 28)
        )
        self.assertEqual(svc.retention_sweep(today=date(2029, 2, 27)).anonymised, [])
        self.assertEqual(self.status(case), S.D90)
        result = svc.retention_sweep(today=date(2029, 2, 28))
        self.assertEqual(result.anonymised, [case.reference])
        self.assert_anonymised(case, source=S.D90)

    def assert_anonymised(self, case, *, source):
        stored = Case.objects.get(pk=case.pk)
        self.assertEqual(stored.status, S.D95)
        self.assertEqual(stored.title, gettext("Anonymised"))
        event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS).latest(
            "id"
        )
        self.assertEqual(
            (event.actor.username, event.from_status, event.to_status),
            (svc.SWEEP_USERNAME, source, S.D95),
        )
        self.assertIs(event.actor.is_active, False)
        self.assert_no_name_left(case)
        self.assertFalse(Party.objects.filter(name__contains="Peters").exists())
        for model in (Relation, HealthItem, Intervention, Goal, TopXEntry):
            with self.subTest(model=model.__name__):
                self.assertFalse(model.objects.filter(case=case).exists())
        self.assertFalse(CaseAccess.objects.filter(case=case).exists())
        referral = PgaReferral.objects.get(case=case)
        self.assertEqual(
            (referral.reason, referral.goal, referral.advice, referral.case_director),
            ("", "", "", None),
        )
        log = DeletionLog.objects.get(
            case_id_kept=case.pk, action=DeletionLog.Action.ANONYMISED
        )
        self.assertEqual(log.performed_by, "retention sweep")
        self.assertEqual(log.basis, "WGS art. 1.8 lid 7")
        self.assert_no_personal_data(log, case)
        # The shielded list still names the case, for the FG, without content.
        self.assertIn(stored, svc.shielded_cases(self.fg))

    def test_a_full_case_loses_its_plan_network_and_health_data(self):
        case = self.closed(date(2021, 6, 1))
        self.assertTrue(Relation.objects.filter(case=case).exists())
        self.assertTrue(HealthItem.objects.filter(case=case).exists())
        result = svc.retention_sweep(today=date(2026, 6, 1))
        self.assertEqual(result.anonymised, [case.reference])
        log = DeletionLog.objects.get(case_id_kept=case.pk)
        self.assertEqual(log.removed["persons"], 2)
        self.assertEqual(log.removed["relations"], 1)
        self.assertEqual(log.removed["health_items"], 1)
        self.assertEqual(log.removed["interventions"], 2)
        # The deadlines stay as the case's metadata (D0).
        self.assertTrue(Deadline.objects.filter(case=case).exists())

    def test_a_rejected_referral_is_anonymised_too(self):
        case = self.closed(date(2021, 3, 15), path=D25)
        result = svc.retention_sweep(today=date(2026, 3, 15))
        self.assertEqual(result.anonymised, [case.reference])
        self.assertEqual(self.status(case), S.D95)
        self.assertEqual(
            set(
                DeletionLog.objects.filter(case_id_kept=case.pk).values_list(
                    "action", flat=True
                )
            ),
            {DeletionLog.Action.MINIMISED, DeletionLog.Action.ANONYMISED},
        )

    def test_a_case_on_hold_is_kept_and_reported(self):
        case = self.closed(date(2021, 3, 15))
        PgaReferral.objects.filter(case=case).update(
            retention_hold="Civiele procedure loopt (Rb Limburg C/03/123456)."
        )
        result = svc.retention_sweep(today=date(2026, 3, 16))
        self.assertEqual((result.held, result.anonymised), ([case.reference], []))
        self.assertEqual(self.status(case), S.D90)
        self.assertEqual(svc.person_of(case).name, NAME)
        self.assertFalse(DeletionLog.objects.filter(case_id_kept=case.pk).exists())

    def test_an_open_case_past_the_limit_is_reported_overdue_and_kept(self):
        case = self.closed(date(2021, 3, 15), path=D60)
        self.assertEqual(case.status, S.D60)
        result = svc.retention_sweep(today=date(2026, 3, 15))
        self.assertEqual((result.overdue, result.anonymised), ([case.reference], []))
        self.assertEqual(self.status(case), S.D60)
        self.assertEqual(svc.person_of(case).name, NAME)
        self.assertTrue(Intervention.objects.filter(case=case).exists())
        self.assertFalse(DeletionLog.objects.exists())
        # Not yet past the limit: not reported at all.
        self.assertEqual(svc.retention_sweep(today=date(2026, 3, 14)).overdue, [])

    def test_a_dry_run_reports_and_changes_nothing(self):
        case = self.closed(date(2021, 3, 15))
        events = self.events(case)
        result = svc.retention_sweep(today=date(2026, 3, 15), dry_run=True)
        self.assertEqual(result.anonymised, [case.reference])
        self.assertEqual(self.status(case), S.D90)
        self.assertEqual(self.events(case), events)
        self.assertEqual(svc.person_of(case).name, NAME)
        self.assertFalse(DeletionLog.objects.exists())

    def test_the_sweep_runs_once_per_case(self):
        case = self.closed(date(2021, 3, 15))
        svc.retention_sweep(today=date(2026, 3, 15))
        again = svc.retention_sweep(today=date(2027, 1, 1))
        self.assertEqual((again.anonymised, again.overdue, again.held), ([], [], []))
        self.assertEqual(DeletionLog.objects.filter(case_id_kept=case.pk).count(), 1)

    def test_a_person_on_another_open_case_survives_the_sweep(self):
        case = self.closed(date(2021, 3, 15))
        person = svc.person_of(case)
        later = self.open_referral(person=person, received_on=date(2025, 1, 6))
        svc.retention_sweep(today=date(2026, 3, 15))
        self.assertEqual(self.status(case), S.D95)
        self.assertEqual(svc.person_of(later), person)
        self.assertEqual(self.status(later), S.D00)
