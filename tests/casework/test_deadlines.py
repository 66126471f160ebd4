"""Deadline tracking: ledger arithmetic, states, the sweep and the pages.

Every expected date is computed by hand in the comment beside it."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import TestCase

from casework import deadlines, services
from casework.models import (
    Deadline,
    DeadlineAdjustment,
    EquatedHoliday,
    Notification,
)
from permissions.models import Membership, Organisation, Role
from tests.case_types import CaseType


def make_user(username, org, role):
    user = get_user_model().objects.create_user(username=username, password="x")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


class DeadlineTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = Organisation.objects.create(name="Gemeente", kind="gemeente")
        cls.politie = Organisation.objects.create(name="Politie", kind="politie")
        cls.jurist = make_user("jurist", cls.gemeente, Role.JURIST)
        cls.outsider = make_user("outsider", cls.gemeente, Role.JURIST)
        cls.partner = make_user("partner", cls.politie, Role.PARTNER)
        cls.case = services.case_open(
            user=cls.jurist, case_type=CaseType.LOD, title="Drugshandel"
        )
        services.case_team_add(
            case=cls.case, user=cls.jurist, member=cls.partner, team_role="contributor"
        )

    def create(self, **kwargs):
        values = {
            "case": self.case,
            "user": self.jurist,
            "title": "Bezwaartermijn",
            "legal_basis": "Awb 6:7",
            "event_date": date(2026, 1, 5),
            "length": 8,
            "unit": "weeks",
            "atw_applies": True,
        }
        values.update(kwargs)
        return deadlines.deadline_create(**values)


class DeadlineLedgerTests(DeadlineTestCase):
    def test_six_weeks_ending_on_goede_vrijdag_runs_to_the_tuesday_after_easter(self):
        # Fri 2026-03-20 + 2 weeks = Fri 2026-04-03 (Goede Vrijdag); Sat, Sun,
        # Mon 04-06 (tweede Paasdag) are rest days → Tue 2026-04-07.
        deadline = self.create(event_date=date(2026, 3, 20), length=2)
        self.assertEqual(deadline.end_date, date(2026, 4, 7))
        self.assertEqual(deadline.computed_end, date(2026, 4, 7))
        self.assertEqual(deadline.state, Deadline.State.OPEN)
        self.assertTrue(any("2026-04-07" in line for line in deadline.explanation))

    def test_organ_set_term_is_not_extended_without_atw(self):
        # Same term, Atw not applied: ends on Goede Vrijdag itself.
        deadline = self.create(
            event_date=date(2026, 3, 20), length=2, atw_applies=False
        )
        self.assertEqual(deadline.end_date, date(2026, 4, 3))

    def test_a_closed_suspension_adds_its_days(self):
        # Mon 2026-01-05 + 8 weeks = Mon 2026-03-02; suspended 01-10..01-19
        # (10 days) → Thu 2026-03-12, a working day.
        deadline = self.create()
        self.assertEqual(deadline.end_date, date(2026, 3, 2))
        deadline = deadlines.deadline_suspend(
            deadline=deadline,
            user=self.jurist,
            start=date(2026, 1, 10),
            end=date(2026, 1, 19),
            legal_basis="Awb 4:15 lid 1 a",
            reason="Aanvulling gevraagd",
        )
        self.assertEqual(deadline.end_date, date(2026, 3, 12))
        self.assertEqual(deadline.state, Deadline.State.OPEN)

    def test_a_running_suspension_suspends_the_deadline_until_resumed(self):
        deadline = self.create()
        deadline = deadlines.deadline_suspend(
            deadline=deadline,
            user=self.jurist,
            start=date(2026, 1, 10),
            legal_basis="Wet Bibob art 31",
            reason="Advies LBB gevraagd",
        )
        self.assertEqual(deadline.state, Deadline.State.SUSPENDED)
        with self.assertRaises(ValidationError):
            deadlines.deadline_suspend(
                deadline=deadline, user=self.jurist, start=date(2026, 1, 12),
                legal_basis="x", reason="second running suspension",
            )  # fmt: skip
        # Resumed with 2026-01-14 as the last suspended day: 5 days
        # (10..14) → Mon 2026-03-02 + 5 = Sat 03-07 → Atw art 1 → Mon 03-09.
        deadline = deadlines.deadline_resume(
            deadline=deadline, user=self.jurist, last_day=date(2026, 1, 14)
        )
        self.assertEqual(deadline.state, Deadline.State.OPEN)
        self.assertEqual(deadline.end_date, date(2026, 3, 9))

    def test_extension_adds_days_and_is_in_the_ledger(self):
        # Mon 2026-03-02 + 14 days = Mon 2026-03-16.
        deadline = self.create()
        deadline = deadlines.deadline_extend(
            deadline=deadline, user=self.jurist, days=14,
            legal_basis="Awb 7:10 lid 3", reason="Verdaging",
        )  # fmt: skip
        self.assertEqual(deadline.end_date, date(2026, 3, 16))
        self.assertEqual(
            deadline.adjustments.get().kind, DeadlineAdjustment.Kind.EXTENSION
        )

    def test_an_equated_holiday_moves_the_end(self):
        # Mon 2026-03-02 declared equal to a holiday → Tue 2026-03-03.
        EquatedHoliday.objects.create(
            day=date(2026, 3, 2), name="Gelijkgestelde dag", source="Stcrt. 2025, 1"
        )
        self.assertEqual(self.create().end_date, date(2026, 3, 3))

    def test_manual_override_needs_a_reason_and_wins(self):
        deadline = self.create()
        with self.assertRaises(ValidationError):
            deadlines.deadline_override(
                deadline=deadline, user=self.jurist, end=date(2026, 3, 5), reason=" "
            )
        deadline = deadlines.deadline_override(
            deadline=deadline, user=self.jurist, end=date(2026, 3, 5),
            reason="Termijn in de brief ruimer gesteld",
        )  # fmt: skip
        self.assertEqual(deadline.end_date, date(2026, 3, 5))
        self.assertEqual(deadline.computed_end, date(2026, 3, 2))

    def test_a_suspension_ending_before_it_starts_is_refused(self):
        deadline = self.create()
        with self.assertRaises(ValidationError):
            deadlines.deadline_suspend(
                deadline=deadline, user=self.jurist, start=date(2026, 1, 10),
                end=date(2026, 1, 9), legal_basis="x", reason="y",
            )  # fmt: skip
        self.assertFalse(deadline.adjustments.exists())

    def test_only_team_members_who_may_write_change_deadlines(self):
        deadline = self.create()
        for user in (self.outsider, self.partner):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                deadlines.deadline_extend(
                    deadline=deadline, user=user, days=1, legal_basis="x", reason="y"
                )
        self.assertFalse(deadline.adjustments.exists())

    def test_every_change_is_in_the_case_history(self):
        before = self.case.events.count()
        deadline = self.create()
        deadlines.deadline_mark_met(
            deadline=deadline, user=self.jurist, on=date(2026, 2, 1)
        )
        self.assertEqual(self.case.events.count(), before + 2)
        deadline.refresh_from_db()
        self.assertEqual(deadline.state, Deadline.State.MET)


class SweepTests(DeadlineTestCase):
    def test_reminder_is_sent_once_within_five_working_days(self):
        deadline = self.create()  # ends Mon 2026-03-02
        # Wed 02-25: working days Thu 26, Fri 27, Mon 2, Tue 3, Wed 4 → horizon 03-04.
        first = deadlines.deadlines_sweep(today=date(2026, 2, 25))
        second = deadlines.deadlines_sweep(today=date(2026, 2, 25))
        self.assertEqual(first["reminders"], 1)
        self.assertEqual(second["reminders"], 0)
        self.assertEqual(
            Notification.objects.filter(deadline=deadline, kind="reminder").count(), 1
        )

    def test_no_reminder_more_than_five_working_days_ahead(self):
        self.create()  # ends Mon 2026-03-02
        # Fri 02-20: horizon Mon 23..Fri 27 → 02-27, before the end.
        self.assertEqual(
            deadlines.deadlines_sweep(today=date(2026, 2, 20))["reminders"], 0
        )

    def decision_term(self):
        # The municipality's own term (Awb 4:13): passing it is a failure.
        return self.create(title="Beslistermijn", legal_basis="Awb 4:13")

    def test_passed_deadline_is_marked_missed_once(self):
        deadline = self.decision_term()
        self.assertEqual(deadline.obligation, Deadline.Obligation.ORGAN)
        counts = deadlines.deadlines_sweep(today=date(2026, 3, 3))
        again = deadlines.deadlines_sweep(today=date(2026, 3, 3))
        deadline.refresh_from_db()
        self.assertEqual(deadline.state, Deadline.State.MISSED)
        self.assertEqual((counts["missed"], again["missed"]), (1, 0))
        self.assertEqual(Notification.objects.filter(kind="missed").count(), 1)

    def test_a_period_for_the_party_ends_instead_of_being_missed(self):
        deadline = self.create()  # bezwaartermijn (Awb 6:7): the party's
        self.assertEqual(deadline.obligation, Deadline.Obligation.PARTY)
        counts = deadlines.deadlines_sweep(today=date(2026, 3, 3))
        again = deadlines.deadlines_sweep(today=date(2026, 3, 3))
        deadline.refresh_from_db()
        self.assertEqual(deadline.state, Deadline.State.LAPSED)
        self.assertEqual((counts["lapsed"], counts["missed"]), (1, 0))
        self.assertEqual(again["lapsed"], 0)
        self.assertEqual(Notification.objects.filter(kind="lapsed").count(), 1)
        self.assertFalse(Notification.objects.filter(kind="missed").exists())
        # Mijn termijnen keeps it, as the signal that the next step can follow.
        self.assertEqual(
            list(deadlines.deadlines_for_user(self.jurist, today=date(2026, 3, 3))),
            [deadline],
        )

    def test_whose_period_follows_the_legal_basis(self):
        party = ["Awb 4:8", "Awb 5:32a lid 2", "Awb 5:33", "Awb 4:112", "Awb 6:7, 6:8"]
        organ = ["Awb 4:13", "Awb 7:10 lid 1", "Wet Bibob art 15 lid 1", "Awb 5:25"]
        for basis in party:
            self.assertEqual(deadlines.obligation_for(basis), "party", basis)
        for basis in organ:
            self.assertEqual(deadlines.obligation_for(basis), "organ", basis)

    def test_met_deadline_is_left_alone(self):
        deadline = self.create()
        deadlines.deadline_mark_met(deadline=deadline, user=self.jurist)
        deadlines.deadlines_sweep(today=date(2026, 3, 10))
        deadline.refresh_from_db()
        self.assertEqual(deadline.state, Deadline.State.MET)
        self.assertFalse(Notification.objects.exists())

    def test_running_suspension_ends_itself_at_its_cap(self):
        deadline = self.create()
        deadline = deadlines.deadline_suspend(
            deadline=deadline, user=self.jurist, start=date(2026, 1, 10),
            cap_end=date(2026, 1, 19), legal_basis="Wet Bibob art 31",
            reason="Advies LBB",
        )  # fmt: skip
        counts = deadlines.deadlines_sweep(today=date(2026, 1, 25))
        deadline.refresh_from_db()
        self.assertEqual(counts["capped"], 1)
        self.assertEqual(deadline.adjustments.get().end, date(2026, 1, 19))
        self.assertEqual(deadline.state, Deadline.State.OPEN)
        # 10 suspended days: Mon 03-02 + 10 = Thu 2026-03-12.
        self.assertEqual(deadline.end_date, date(2026, 3, 12))
        self.assertEqual(
            deadlines.deadlines_sweep(today=date(2026, 1, 25))["capped"], 0
        )

    def test_the_command_runs_the_sweep(self):
        self.decision_term()
        call_command("deadlines_sweep", "--today", "2026-03-03", verbosity=0)
        self.assertEqual(Deadline.objects.get().state, Deadline.State.MISSED)


class DeadlineViewTests(DeadlineTestCase):
    def test_preset_fills_legal_basis_length_and_atw(self):
        self.client.force_login(self.jurist)
        url = f"/cases/{self.case.reference}/deadlines/add/"
        response = self.client.post(
            url, {"preset": "bezwaar", "event_date": "2026-03-20"}
        )
        deadline = Deadline.objects.get()
        self.assertRedirects(
            response, f"/cases/{self.case.reference}/deadlines/{deadline.pk}/"
        )
        # Fri 03-20 + 6 weeks = Fri 2026-05-01, a working day (Atw applies).
        self.assertEqual(
            (deadline.legal_basis, deadline.length, deadline.atw_applies),
            ("Awb 6:7, 6:8", 6, True),
        )
        self.assertEqual(deadline.end_date, date(2026, 5, 1))

    def test_detail_shows_why_this_date(self):
        deadline = self.create(event_date=date(2026, 3, 20), length=2)
        self.client.force_login(self.jurist)
        response = self.client.get(
            f"/cases/{self.case.reference}/deadlines/{deadline.pk}/"
        )
        for line in deadline.explanation:
            self.assertContains(response, line)

    def test_deadline_pages_are_404_outside_the_team(self):
        deadline = self.create()
        self.client.force_login(self.outsider)
        base = f"/cases/{self.case.reference}/deadlines"
        self.assertEqual(self.client.get(f"{base}/{deadline.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"{base}/add/").status_code, 404)
        response = self.client.post(f"{base}/{deadline.pk}/extend/", {"days": 3})
        self.assertEqual(response.status_code, 404)

    def test_read_only_member_sees_but_cannot_change(self):
        # A read-only member who reads the case file (a burgemeester: D0 R)
        # sees the deadline; the outcome-only partner does not (issue 13:
        # this test used to let the partner read it).
        deadline = self.create()
        burgemeester = make_user("bgm", self.gemeente, Role.BURGEMEESTER)
        services.case_team_add(
            case=self.case, user=self.jurist, member=burgemeester, team_role="member"
        )
        base = f"/cases/{self.case.reference}/deadlines"
        self.client.force_login(burgemeester)
        self.assertEqual(self.client.get(f"{base}/{deadline.pk}/").status_code, 200)
        response = self.client.post(
            f"{base}/{deadline.pk}/extend/",
            {"days": 3, "legal_basis": "x", "reason": "y"},
        )
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.partner)
        self.assertEqual(self.client.get(f"{base}/{deadline.pk}/").status_code, 404)
        response = self.client.post(
            f"{base}/{deadline.pk}/extend/",
            {"days": 3, "legal_basis": "x", "reason": "y"},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(deadline.adjustments.exists())

    def test_my_work_lists_overdue_and_due_deadlines_of_the_owner(self):
        from django.utils import timezone

        today = timezone.localdate()
        due = self.create(title="Binnenkort", event_date=today, length=1, unit="days",
                          atw_applies=False)  # fmt: skip
        later = self.create(title="Later", event_date=today, length=8)
        self.client.force_login(self.jurist)
        response = self.client.get("/")
        self.assertContains(response, due.title)
        self.assertNotContains(response, later.title)
