"""Issue 14 for the gebiedsverbod (docs/domain.md §10.3; Gemeentewet art.
172a): the refusals name their rule and the date they turn on
(`casework.rules.Refusal`), the new date checks on the warning, the intention
and the order, closing while a remedy is pending, the police's violation
report, and the letters offered only at their step and to their roles.

The cast and the hand-computed dates are those of test_gebiedsverbod_states.py
(intention 23 February 2026, views 26 February, order 5 March, made known 6
March, measure 9 March - 8 June)."""

from datetime import date

from django.core.exceptions import ValidationError

import time_machine

from casework import documents
from casework.rules import StepRefused, why_not
from workflows.gebiedsverbod.machine import GebiedsverbodCase
from workflows.gebiedsverbod.measures import ApvPolicy
from workflows.legal_protection.machine import LegalProtection
from workflows.legal_protection.services import legal_protection_transition

from .test_gebiedsverbod_states import (
    ORDER,
    URGENT,
    GebiedsverbodTestCase,
)


class RefusalRuleTests(GebiedsverbodTestCase):
    def refusal(self, case, name, who, **data):
        with self.assertRaises(StepRefused) as raised:
            self.step(case, name, who, **data)
        return raised.exception.refusals

    def test_warning_before_the_first_incident_gemw_172a_lid_1(self):
        """Incidents 10 and 20 February: a warning dated 9 February documents
        nothing yet (refusal date 10 February); 10 February is accepted."""
        case = self.reach("E10")
        [refusal] = self.refusal(
            case, "give_warning", "owner", given_on=date(2026, 2, 9)
        )
        self.assertEqual(
            (refusal.rule, refusal.on), ("Gemw 172a lid 1", date(2026, 2, 10))
        )
        self.assertIn("10 februari 2026", refusal.message)
        self.assertEqual(self.status(case), "E10")
        self.step(case, "give_warning", "owner", given_on=date(2026, 2, 10))
        self.assertEqual(self.status(case), "E20")

    def test_intention_before_the_first_incident_awb_4_8(self):
        """An intention sent 9 February rests on no incident (first: 10
        February); nothing is recorded, no views term is set."""
        case = self.reach("E10")
        [refusal] = self.refusal(
            case,
            "send_intention",
            "owner",
            sent_on=date(2026, 2, 9),
            term_length=7,
            term_unit="days",
            atw_applies=False,
        )
        self.assertEqual(
            (refusal.rule, refusal.on), ("Gemw 172a lid 1", date(2026, 2, 10))
        )
        self.assertEqual(self.status(case), "E10")
        self.assertFalse(case.deadlines.exists())

    def test_urgent_order_before_the_incident_gemw_172a_lid_1(self):
        """An urgent order signed 9 February, before the first incident of 10
        February, is refused; with the repeated ground the incidents after the
        order do not count either (172a lid 1 "herhaaldelijk")."""
        case = self.reach("E10")
        refusals = self.refusal(
            case,
            "impose_urgent_order",
            "burgemeester",
            **{**URGENT, "decided_on": date(2026, 2, 9), "start_date": date(2026, 2, 9),
               "end_date": date(2026, 5, 8)},
        )  # fmt: skip
        rules = [r.rule for r in refusals]
        self.assertEqual(rules, ["Gemw 172a lid 1", "Gemw 172a lid 1"])
        self.assertEqual(refusals[0].on, date(2026, 2, 10))
        self.assertIn("herhaaldelijk", refusals[1].message)
        # 15 February: one incident before it (10 February), so "repeated"
        # still fails; "serious" is accepted.
        refusals = self.refusal(
            case,
            "impose_urgent_order",
            "burgemeester",
            **{**URGENT, "decided_on": date(2026, 2, 15),
               "start_date": date(2026, 2, 16), "end_date": date(2026, 5, 15)},
        )  # fmt: skip
        self.assertEqual([r.rule for r in refusals], ["Gemw 172a lid 1"])
        self.step(
            case,
            "impose_urgent_order",
            "burgemeester",
            **{**URGENT, "ground": "serious", "decided_on": date(2026, 2, 15),
               "start_date": date(2026, 2, 16), "end_date": date(2026, 5, 15)},
        )  # fmt: skip
        self.assertEqual(self.status(case), "E40")

    def test_expiry_names_the_rule_and_the_end_date_gemw_172a_lid_6(self):
        """On 8 June 2026, the last day of the measure (9 March + 3 months - 1
        day), expiry is refused with 172a lid 6 and the date 8 June; on 9 June
        it is offered."""
        with time_machine.travel(date(2026, 6, 8), tick=False):
            case = self.reach("E50")
            [refusal] = why_not(case, "expire", self.owner)
            self.assertEqual(
                (refusal.rule, refusal.on), ("Gemw 172a lid 6", date(2026, 6, 8))
            )
            self.assertIn("8 juni 2026", refusal.message)
        with time_machine.travel(date(2026, 6, 9), tick=False):
            self.assertEqual(why_not(case, "expire", self.owner), [])

    def test_views_term_names_its_last_day_awb_4_8(self):
        """Sent 23 February with 7 days: on 2 March the term still runs (its
        last day), so "term expired" is refused with that date."""
        with time_machine.travel(date(2026, 3, 2), tick=False):
            case = self.reach("E30")
            [refusal] = why_not(case, "views_term_expired", self.owner)
            self.assertEqual((refusal.rule, refusal.on), ("Awb 4:8", date(2026, 3, 2)))

    def test_extension_refused_when_the_apv_allows_none(self):
        """APV policy with no extension (max_extensions 0): the guard names
        the APV, whatever the dates."""
        ApvPolicy.objects.create(
            name="Verblijfsontzegging",
            article="APV art. 2:79",
            max_days=14,
            valid_from=date(2026, 1, 1),
        )
        case = self.reach("E35")
        self.step(
            case,
            "impose_order",
            "burgemeester",
            **{**ORDER, "basis": "APV", "ground": "apv_act", "area_ban": False,
               "lid5_checked": False, "end_date": date(2026, 3, 22)},
        )  # fmt: skip
        self.step(
            case, "make_known", "owner", made_known_on=date(2026, 3, 6), manner="handed"
        )
        [refusal] = why_not(
            GebiedsverbodCase.objects.get(pk=case.pk), "extend", self.burgemeester
        )
        self.assertEqual(refusal.rule, "APV (gemeentelijk)")
        self.assertIn("0", refusal.message)

    def test_close_refused_while_an_objection_is_pending_awb_7_10(self):
        """Irreversible steps only when no remedy is open: with a bezwaar
        received against the order (R10) the case is not closed; once the
        objection is decided (R30) it is. A term that only runs (R00) does
        not block closing (test_closing_leaves_the_legal_protection_open)."""
        case = self.reach("E90")
        protection = LegalProtection.objects.filter(case=case).order_by("pk").first()
        legal_protection_transition(
            protection=protection,
            name="receive_objection",
            user=self.owner,
            on=date(2026, 3, 20),
        )
        [refusal] = why_not(
            GebiedsverbodCase.objects.get(pk=case.pk), "close", self.owner
        )
        self.assertEqual(refusal.rule, "Awb 6:7, 7:10, 8:1")
        with self.assertRaises(ValidationError):
            self.step(case, "close", "owner")
        self.assertEqual(self.status(case), "E90")
        legal_protection_transition(
            protection=LegalProtection.objects.get(pk=protection.pk),
            name="decide_objection",
            user=self.owner,
            outcome="dismissed",
            on=date(2026, 4, 20),
        )
        self.step(case, "close", "owner")
        self.assertEqual(self.status(case), "E99")

    def test_violation_outside_the_term_names_sr_184(self):
        """Measure 9 March - 8 June, made known 6 March: a violation on 7
        March lies before the start (refusal date 9 March)."""
        case = self.reach("E50")
        with self.assertRaises(StepRefused) as raised:
            self.violation(case, day=date(2026, 3, 7))
        [refusal] = raised.exception.refusals
        self.assertEqual(
            (refusal.rule, refusal.on), ("Sr 184; Gemw 172a lid 6", date(2026, 3, 9))
        )


class LetterOfferTests(GebiedsverbodTestCase):
    """A letter kind is offered only once its step exists, and only to the
    jurist and the burgemeester (Gemw 172a: the burgemeester's besluit)."""

    def offered(self, case, who):
        return {
            t.key
            for t in documents.letters_offered(
                getattr(self, who), GebiedsverbodCase.objects.get(pk=case.pk)
            )
        }

    def test_voornemen_after_the_intention_besluit_after_the_order(self):
        case = self.reach("E10")
        self.assertEqual(self.offered(case, "owner"), set())
        case = self.reach("E30")
        self.assertEqual(self.offered(case, "owner"), {"voornemen_gebiedsverbod"})
        self.assertFalse(documents.may_make(self.owner, case, "besluit_gebiedsverbod"))
        case = self.reach("E40")
        self.assertEqual(
            self.offered(case, "owner"),
            {"voornemen_gebiedsverbod", "besluit_gebiedsverbod"},
        )

    def test_never_to_the_police_or_the_om(self):
        case = self.reach("E50")
        for who in ("politie_user", "om_user", "kmar_user"):
            with self.subTest(who=who):
                self.assertEqual(self.offered(case, who), set())
                self.assertFalse(
                    documents.may_make(
                        getattr(self, who), case, "besluit_gebiedsverbod"
                    )
                )

    def test_an_urgent_order_has_no_voornemen_letter(self):
        case = self.reach("E10")
        self.step(case, "impose_urgent_order", "burgemeester", **URGENT)
        self.assertEqual(self.offered(case, "owner"), {"besluit_gebiedsverbod"})
