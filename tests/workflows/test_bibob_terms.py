"""Decision terms as policy data and the art 31 suspension
(workflows/bibob/terms.py), end to end through the steps. Every date is
computed by hand in the comments: the term starts the day after the event
(Awb 6:8), N weeks end on the same weekday, suspended days count inclusively,
the Atw (art 1: no end on a Saturday, Sunday or holiday) applies to the
statutory beslistermijn."""

from datetime import date

from django.core.exceptions import ValidationError

from casework.deadlines import deadlines_sweep
from casework.models import Deadline, DeadlineAdjustment, Notification
from casework.steps import step_run
from workflows.bibob.machine import ART32_BASIS, REPAIR_BASIS
from workflows.bibob.terms import (
    ART31_BASIS,
    LBB_TERM_BASIS,
    ApplicationType,
    DecisionTermPolicy,
    art31_cap,
    beslistermijn,
    beslistermijn_extend,
    term_policy_for,
)

from .test_bibob_states import (
    ADVICE_REQUESTED,
    INTAKE,
    INVESTIGATED,
    SCREENED,
    WITHDRAWN,
    BibobTestCase,
    conclude,
)


class TermPolicyTests(BibobTestCase):
    def test_the_policy_valid_on_the_day_of_receipt_applies(self):
        old = term_policy_for(ApplicationType.ALCOHOLWET, date(2026, 6, 30))
        old.valid_to = date(2026, 6, 30)
        old.save()
        new = DecisionTermPolicy(
            application_type=ApplicationType.ALCOHOLWET,
            weeks=10,
            legal_basis="Awb 4:13; verordening 2026",
            valid_from=date(2026, 7, 1),
        )
        new.full_clean()
        new.save()
        self.assertEqual(term_policy_for("alcoholwet", date(2026, 6, 30)), old)
        self.assertEqual(term_policy_for("alcoholwet", date(2026, 7, 1)), new)

    def test_overlapping_versions_are_refused(self):
        clash = DecisionTermPolicy(
            application_type=ApplicationType.SUBSIDIE,
            weeks=13,
            legal_basis="Subsidieverordening",
            valid_from=date(2026, 1, 1),
        )
        with self.assertRaises(ValidationError):
            clash.full_clean()

    def test_no_policy_no_intake(self):
        DecisionTermPolicy.objects.filter(application_type="subsidie").delete()
        data = {**INTAKE[0][3], "application_type": "subsidie"}
        with self.assertRaises(ValidationError):
            step_run(
                case=self.case, name="start_regular_assessment", user=self.bibob,
                data=data,
            )  # fmt: skip
        self.assertEqual(self.status(), "B00")

    def test_intake_sets_the_beslistermijn_of_the_omgevingsvergunning(self):
        self.go(INTAKE)
        deadline = beslistermijn(self.case)
        # Received Mon 02-02-2026; 8 weeks from Tue 03-02: Mon 30-03-2026.
        self.assertEqual(
            (deadline.event_date, deadline.end_date, deadline.legal_basis),
            (date(2026, 2, 2), date(2026, 3, 30), "Ow 16.64 lid 1 en 2"),
        )
        self.assertEqual(deadline.obligation, Deadline.Obligation.ORGAN)

    def test_a_revocation_inquiry_has_no_beslistermijn(self):
        step_run(
            case=self.case, name="start_regular_assessment", user=self.bibob,
            data={"kind": "revocation", "application_type": "alcoholwet",
                  "received_on": date(2026, 2, 2)},
        )  # fmt: skip
        self.assertIsNone(beslistermijn(self.case))
        self.assertFalse(self.case.deadlines.exists())

    def test_extended_once_by_at_most_six_weeks(self):
        self.go(INTAKE)
        with self.assertRaises(ValidationError):
            beslistermijn_extend(case=self.case, user=self.bibob, weeks=7, reason="x")
        deadline = beslistermijn_extend(
            case=self.case, user=self.bibob, weeks=6, reason="Complexe aanvraag"
        )
        # 30-03-2026 + 42 days = Mon 11-05-2026.
        self.assertEqual(deadline.end_date, date(2026, 5, 11))
        with self.assertRaises(ValidationError):
            beslistermijn_extend(case=self.case, user=self.bibob, weeks=1, reason="x")

    def test_an_alcoholwet_term_cannot_be_extended(self):
        case = self.open_bibob()
        step_run(
            case=case, name="start_regular_assessment", user=self.bibob,
            data={"kind": "application", "application_type": "alcoholwet",
                  "received_on": date(2026, 2, 2)},
        )  # fmt: skip
        with self.assertRaises(ValidationError):
            beslistermijn_extend(case=case, user=self.bibob, weeks=2, reason="x")


class RepairSuspensionTests(BibobTestCase):
    def test_completion_suspends_from_the_day_after_the_invitation(self):
        self.go(
            [
                *SCREENED,
                ("report_incomplete", "bibob", "B21",
                 {"sent_on": date(2026, 2, 16), "term_length": 2,
                  "term_unit": "weeks"}),
                ("receive_completion", "bibob", "B30",
                 {"received_on": date(2026, 3, 2)}),
            ]
        )  # fmt: skip
        deadline = beslistermijn(self.case)
        # Suspended Tue 17-02 up to and including Mon 02-03-2026 (4:15 lid 1 a):
        # 12 days in February (17–28) + 2 in March = 14 days.
        # 30-03-2026 + 14 = Mon 13-04-2026.
        self.assertEqual(deadline.end_date, date(2026, 4, 13))
        repair = Deadline.objects.get(case=self.case, legal_basis=REPAIR_BASIS)
        self.assertEqual(repair.state, Deadline.State.MET)

    def test_set_aside_ends_the_suspension_with_the_repair_period(self):
        self.go(
            [
                *SCREENED,
                ("report_incomplete", "bibob", "B21",
                 {"sent_on": date(2026, 2, 16), "term_length": 2,
                  "term_unit": "weeks"}),
                ("set_aside", "bibob", "B22"),
            ]
        )  # fmt: skip
        # Repair period: from Tue 17-02 two weeks, ends Mon 02-03-2026; the
        # suspension runs up to and including that day: 14 days again.
        self.assertEqual(beslistermijn(self.case).end_date, date(2026, 4, 13))
        notice = Deadline.objects.get(case=self.case, legal_basis="Awb 4:5 lid 4")
        # Four weeks after Mon 02-03-2026: Mon 30-03-2026 (Atw: a working day).
        self.assertEqual(notice.end_date, date(2026, 3, 30))


class Art31Tests(BibobTestCase):
    def advice_requested(self):
        self.go(ADVICE_REQUESTED)  # requested Mon 09-03-2026

    def art31_lines(self):
        return list(
            beslistermijn(self.case)
            .adjustments.filter(legal_basis__startswith=ART31_BASIS)
            .values_list("start", "end", "cap_end")
        )

    def test_the_request_suspends_from_that_day_with_the_cap(self):
        self.advice_requested()
        # Cap: 09-03 + 8 weeks − 1 day = Sun 03-05-2026 (the request day is the
        # first suspended day).
        self.assertEqual(art31_cap(self.case), date(2026, 5, 3))
        self.assertEqual(self.art31_lines(), [(date(2026, 3, 9), None,
                                               date(2026, 5, 3))])  # fmt: skip
        self.assertEqual(beslistermijn(self.case).state, Deadline.State.SUSPENDED)
        lbb = Deadline.objects.get(case=self.case, legal_basis=LBB_TERM_BASIS)
        # LBB term: 09-03 + 8 weeks = Mon 04-05-2026 (5 May is the holiday).
        self.assertEqual(lbb.end_date, date(2026, 5, 4))

    def test_the_art32_notice_is_a_tracked_step(self):
        self.go(INVESTIGATED)
        conclude("mindere_mate", advice=True, reasoning=False)(self, self.case)
        step_run(case=self.case, name="request_advice", user=self.bibob,
                 data={"on": date(2026, 3, 9)})  # fmt: skip
        notice = Deadline.objects.get(case=self.case, legal_basis=ART32_BASIS)
        # One week (internal SLA for "onverwijld"): Mon 16-03-2026.
        self.assertEqual((notice.state, notice.end_date),
                         (Deadline.State.OPEN, date(2026, 3, 16)))  # fmt: skip
        step_run(case=self.case, name="send_art32_notice", user=self.bibob,
                 data={"on": date(2026, 3, 10)})  # fmt: skip
        notice.refresh_from_db()
        self.assertEqual((notice.state, notice.met_on),
                         (Deadline.State.MET, date(2026, 3, 10)))  # fmt: skip

    def test_questions_extension_and_advice_end_to_end(self):
        self.go(
            [
                *SCREENED,
                ("report_incomplete", "bibob", "B21",
                 {"sent_on": date(2026, 2, 16), "term_length": 2,
                  "term_unit": "weeks"}),
                ("receive_completion", "bibob", "B30",
                 {"received_on": date(2026, 3, 2)}),
                *INVESTIGATED[-2:],
                conclude("mindere_mate", advice=True, reasoning=False),
                ("request_advice", "bibob", "B40", {"on": date(2026, 3, 9)}),
                ("lbb_requests_data", "bibob", "B41", {"on": date(2026, 3, 23)}),
                ("lbb_data_supplied", "bibob", "B40", {"on": date(2026, 4, 3)}),
            ]
        )  # fmt: skip
        # Art 15 lid 2: Mon 23-03 up to and including Fri 03-04 = 9 + 3 = 12
        # days; the cap moves from 03-05 to Fri 15-05-2026.
        self.assertEqual(art31_cap(self.case), date(2026, 5, 15))
        self.go([("lbb_extends", "bibob", "B42",
                  {"on": date(2026, 4, 20), "days": 28})])  # fmt: skip
        # Art 15 lid 3: + 28 days → Fri 12-06-2026.
        self.assertEqual(art31_cap(self.case), date(2026, 6, 12))
        self.go([("receive_advice", "bibob", "B45", {"on": date(2026, 6, 10)})])
        # The running suspension was split where the cap moved; the lines are
        # adjacent: 09-03..02-04, 03-04..19-04, 20-04..10-06.
        self.assertEqual(
            self.art31_lines(),
            [
                (date(2026, 3, 9), date(2026, 4, 2), date(2026, 5, 3)),
                (date(2026, 4, 3), date(2026, 4, 19), date(2026, 5, 15)),
                (date(2026, 4, 20), date(2026, 6, 10), date(2026, 6, 12)),
            ],
        )
        deadline = beslistermijn(self.case)
        # Base end Mon 30-03-2026; + 14 repair days (17-02..02-03) = 13-04;
        # + art 31 09-03..10-06 = 23 (March) + 30 + 31 + 10 = 94 days:
        # 13-04 + 94 = Thu 16-07-2026, a working day.
        self.assertEqual(deadline.end_date, date(2026, 7, 16))
        self.assertEqual(deadline.state, Deadline.State.OPEN)
        lbb = Deadline.objects.get(case=self.case, legal_basis=LBB_TERM_BASIS)
        self.assertEqual(lbb.state, Deadline.State.MET)

    def test_the_cap_ends_the_suspension_itself_with_an_alert(self):
        self.advice_requested()
        deadline = beslistermijn(self.case)
        counts = deadlines_sweep(today=date(2026, 5, 10))
        self.assertEqual(counts["capped"], 1)
        deadline.refresh_from_db()
        # Suspended 09-03..03-05 = 23 + 30 + 3 = 56 days; 30-03 + 56 = Mon
        # 25-05-2026, tweede Pinksterdag → Tue 26-05-2026 (Atw art 1).
        self.assertEqual(deadline.end_date, date(2026, 5, 26))
        self.assertEqual(deadline.state, Deadline.State.OPEN)
        self.assertTrue(
            Notification.objects.filter(
                deadline=deadline, kind=Notification.Kind.CAP, user=self.bibob
            ).exists()
        )
        # The advice arrives after the cap: nothing more is suspended.
        self.go([("receive_advice", "bibob", "B45", {"on": date(2026, 5, 20)})])
        deadline.refresh_from_db()
        self.assertEqual(deadline.end_date, date(2026, 5, 26))

    def test_an_extension_after_the_cap_suspends_the_days_up_to_the_new_cap(self):
        self.advice_requested()
        deadlines_sweep(today=date(2026, 5, 4))  # ended at Sun 03-05
        self.go([("lbb_extends", "bibob", "B42",
                  {"on": date(2026, 4, 30), "days": 14})])  # fmt: skip
        # New cap 03-05 + 14 = Sun 17-05; the days 04-05..17-05 are suspended
        # again (the sweep had ended the suspension before the notice was
        # recorded).
        self.assertEqual(
            self.art31_lines()[-1],
            (date(2026, 5, 4), None, date(2026, 5, 17)),
        )

    def test_declining_ends_the_suspension(self):
        self.advice_requested()
        self.go([("lbb_declines", "bibob", "B43", {"on": date(2026, 3, 20)})])
        # 09-03..20-03 = 12 days: 30-03 + 12 = Sat 11-04 → Mon 13-04-2026.
        self.assertEqual(beslistermijn(self.case).end_date, date(2026, 4, 13))

    def test_an_lbb_extension_over_four_weeks_is_refused(self):
        self.advice_requested()
        with self.assertRaises(ValidationError):
            step_run(case=self.case, name="lbb_extends", user=self.bibob,
                     data={"on": date(2026, 4, 20), "days": 29})  # fmt: skip
        self.assertEqual(self.status(), "B40")
        self.assertFalse(
            DeadlineAdjustment.objects.filter(
                kind=DeadlineAdjustment.Kind.EXTENSION
            ).exists()
        )


class DecisionAndWithdrawalTermTests(BibobTestCase):
    def test_notification_meets_the_beslistermijn(self):
        from .test_bibob_states import NO_DANGER

        self.go(NO_DANGER)
        deadline = beslistermijn(self.case)
        self.assertEqual((deadline.state, deadline.met_on),
                         (Deadline.State.MET, date(2026, 7, 1)))  # fmt: skip

    def test_a_bibob_related_withdrawal_is_reported_to_the_lbb(self):
        self.go(WITHDRAWN)
        self.assertEqual(beslistermijn(self.case).state, Deadline.State.MET)
        report = Deadline.objects.get(
            case=self.case, legal_basis="Wet Bibob art 7a lid 8"
        )
        # Withdrawn Tue 03-03-2026; one week: Tue 10-03-2026.
        self.assertEqual(report.end_date, date(2026, 3, 10))

    def test_an_own_conclusion_of_danger_is_a_report_task(self):
        self.go(INVESTIGATED)
        conclude("ernstig", a=True)(self, self.case)  # concluded Fri 06-03-2026
        report = Deadline.objects.get(
            case=self.case, legal_basis="Wet Bibob art 7a lid 7"
        )
        self.assertEqual(report.end_date, date(2026, 3, 13))
        self.go([("report_own_conclusion", "bibob", "B36",
                  {"on": date(2026, 3, 9)})])  # fmt: skip
        report.refresh_from_db()
        self.assertEqual(report.state, Deadline.State.MET)
