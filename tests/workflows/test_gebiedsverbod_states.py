"""Gebiedsverbod / verblijfsontzegging (workflows/gebiedsverbod, docs/domain.md §10):
the whole transition table with the real permission checks, every guard
refused with the message that names its rule, and a full scenario from the
police report to expiry with dates computed by hand."""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework import services
from casework.models import CaseEvent, Deadline
from permissions.models import CaseAccess, Organisation, Role
from tests.base import BaseTestCase
from tests.factories import OrganisationFactory
from workflows.gebiedsverbod.machine import (
    CODE,
    GebiedsverbodCase,
    refusals,
    transition_names,
)
from workflows.gebiedsverbod.measures import ApvPolicy, Extension, Measure, period_end
from workflows.gebiedsverbod.services import (
    gebiedsverbod_step,
    incident_record,
    violation_report_create,
)
from workflows.legal_protection.machine import LegalProtection
from workflows.legal_protection.selectors import OBJECTION_TERM_BASIS

NOTE = "Met redenen omkleed."

MAP = {"map_id": "KAART-Q4", "map_version": "3", "map_hash": "9f2c1e7a"}
# The hand-computed dates of the main scenario (see test_full_scenario).
SENT = date(2026, 2, 23)  # Monday: voornemen handed over, 7 days for views
VIEWS = date(2026, 2, 26)  # Thursday: oral views
DECIDED = date(2026, 3, 5)  # Thursday: the burgemeester signs
KNOWN = date(2026, 3, 6)  # Friday: handed over (bekendmaking)
START = date(2026, 3, 9)  # Monday
END = date(2026, 6, 8)  # Monday: three months from 9 March, end of day

ORDER = {
    "decided_on": DECIDED,
    "basis": "GEMW_172A_1",
    "ground": "repeated",
    "area_ban": True,
    "group_ban": False,
    "reporting_duty": False,
    "area_description": "Stationsgebied en Q4, zie kaart.",
    "reporting_times": "",
    "conditions": "Uitgezonderd de route naar het werk.",
    "fear_reasons": "Twee incidenten met bedreiging; aangekondigd terug te komen.",
    "lid5_checked": True,
    "start_date": START,
    "end_date": END,
    **MAP,
}
URGENT = {**ORDER, "urgency": "4:11a", "urgency_reasons": "Dreigende rellen."}
EXTENSION_1 = {
    "decided_on": date(2026, 6, 1),
    "new_end_date": date(2026, 9, 8),
    "reasons": "Overtreding op 14 maart; de vrees blijft.",
    "views_on": date(2026, 5, 28),
    "urgency_reasons": "",
}


class GebiedsverbodTestCase(BaseTestCase):
    """The cast of tests/base.py, with a gebiedsverbod case: owner (jurist),
    colleague (jurist), burgemeester, the politie and the OM as contributors,
    and a second police unit on the team."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.om_user = cls.make_user("om", Role.PARTNER, cls.om)
        cls.kmar = OrganisationFactory(
            name="Koninklijke Marechaussee", kind=Organisation.Kind.POLITIE
        )
        cls.kmar_user = cls.make_user("kmar", Role.PARTNER, cls.kmar)

    def new_case(self):
        case = services.case_open(
            user=self.owner, case_type=CODE, title="Overlast Nolensplein"
        )
        for member, team_role in (
            (self.colleague, CaseAccess.TeamRole.MEMBER),
            (self.burgemeester, CaseAccess.TeamRole.MEMBER),
            (self.politie_user, CaseAccess.TeamRole.CONTRIBUTOR),
            (self.om_user, CaseAccess.TeamRole.CONTRIBUTOR),
            (self.kmar_user, CaseAccess.TeamRole.CONTRIBUTOR),
        ):
            services.case_team_add(
                case=case, user=self.owner, member=member, team_role=team_role
            )
        return case

    def incidents(self, case, *days):
        for day in days or (date(2026, 2, 10), date(2026, 2, 20)):
            incident_record(
                case=case,
                user=self.owner,
                occurred_on=day,
                place="Nolensplein",
                description="Vernieling en bedreiging.",
            )

    def step(self, case, name, who, note=NOTE, **data):
        return gebiedsverbod_step(
            case=case, name=name, user=getattr(self, who), note=note, data=data
        )

    def status(self, case):
        return GebiedsverbodCase.objects.get(pk=case.pk).status

    # The happy path to each state, with the scenario's dates.
    PATH = {
        "E10": [("start_assessment", "owner", {})],
        "E20": [("@E10",), ("give_warning", "burgemeester", {"given_on": SENT})],
        "E30": [
            ("@E10",),
            (
                "send_intention",
                "owner",
                {
                    "sent_on": SENT,
                    "term_length": 7,
                    "term_unit": "days",
                    "atw_applies": False,
                },
            ),
        ],
        "E35": [
            ("@E30",),
            (
                "receive_views",
                "owner",
                {"received_on": VIEWS, "manner": "written", "hearing_report": ""},
            ),
        ],
        "E40": [("@E35",), ("impose_order", "burgemeester", ORDER)],
        "E50": [
            ("@E40",),
            ("make_known", "owner", {"made_known_on": KNOWN, "manner": "handed"}),
        ],
        "E60": [("@E50",), ("@violation",), ("register_violation", "owner", {})],
        "E70": [("@E50",), ("extend", "burgemeester", EXTENSION_1)],
        "E80": [("@E50",), ("expire", "owner", {})],
        "E90": [
            ("@E50",),
            (
                "withdraw",
                "burgemeester",
                {
                    "withdrawn_on": date(2026, 4, 1),
                    "ground": "lid9",
                    "reasons": "Niet meer nodig.",
                },
            ),
        ],
        "E95": [("@E10",), ("not_impose", "owner", {})],
    }

    def reach(self, state, case=None):
        case = case or self.new_case()
        if state == "E00":
            return case
        for item in self.PATH[state]:
            if item[0] == "@violation":
                self.violation(case)
            elif item[0].startswith("@"):
                self.reach(item[0][1:], case)
            else:
                name, who, data = item
                self.step(case, name, who, **data)
                if name == "start_assessment":
                    self.incidents(case)
        self.assertEqual(self.status(case), state)
        return GebiedsverbodCase.objects.get(pk=case.pk)

    def violation(self, case, user=None, day=date(2026, 3, 14), **extra):
        values = {
            "place": "Nolensplein",
            "description": "Betrokkene in het gebied aangetroffen.",
            **extra,
        }
        return violation_report_create(
            case=case, user=user or self.politie_user, occurred_on=day, **values
        )

    def assert_refused(self, messages, *fragments, exc=ValidationError):
        with self.assertRaises(exc) as raised:
            messages()
        text = " ".join(getattr(raised.exception, "messages", [str(raised.exception)]))
        for fragment in fragments:
            self.assertIn(fragment, text)
        return text


J, BGM = Role.JURIST, Role.BURGEMEESTER
# (transition, source, who takes it, data, target); who may: by role.
TABLE = [
    ("start_assessment", "E00", "owner", {}, "E10", {J}),
    ("not_impose", "E10", "owner", {}, "E95", {J, BGM}),
    ("not_impose", "E30", "burgemeester", {}, "E95", {J, BGM}),
    ("not_impose", "E35", "colleague", {}, "E95", {J, BGM}),
    ("give_warning", "E10", "owner", {"given_on": SENT}, "E20", {J, BGM}),
    ("close_after_warning", "E20", "owner", {}, "E99", {J}),
    (
        "send_intention",
        "E10",
        "owner",
        GebiedsverbodTestCase.PATH["E30"][1][2],
        "E30",
        {J},
    ),
    (
        "receive_views",
        "E30",
        "colleague",
        GebiedsverbodTestCase.PATH["E35"][1][2],
        "E35",
        {J},
    ),
    ("views_term_expired", "E30", "owner", {}, "E35", {J}),
    ("impose_order", "E35", "burgemeester", ORDER, "E40", {BGM}),
    ("impose_urgent_order", "E10", "burgemeester", URGENT, "E40", {BGM}),
    (
        "make_known",
        "E40",
        "owner",
        {"made_known_on": KNOWN, "manner": "handed"},
        "E50",
        {J},
    ),
    ("continue_measure", "E60", "owner", {}, "E50", {J}),
    ("extend", "E50", "burgemeester", EXTENSION_1, "E70", {BGM}),
    ("extend", "E60", "burgemeester", EXTENSION_1, "E70", {BGM}),
    (
        "make_extension_known",
        "E70",
        "owner",
        {"made_known_on": date(2026, 6, 2), "manner": "handed"},
        "E50",
        {J},
    ),
    ("expire", "E50", "owner", {}, "E80", {J}),
    ("expire", "E70", "owner", {}, "E80", {J}),
    (
        "withdraw",
        "E40",
        "burgemeester",
        {"withdrawn_on": KNOWN, "ground": "lid9", "reasons": "Niet nodig."},
        "E90",
        {BGM},
    ),
    (
        "withdraw",
        "E60",
        "burgemeester",
        {"withdrawn_on": date(2026, 4, 1), "ground": "lid9", "reasons": "Klaar."},
        "E90",
        {BGM},
    ),
    (
        "withdraw",
        "E70",
        "burgemeester",
        {"withdrawn_on": date(2026, 6, 3), "ground": "lid9", "reasons": "Klaar."},
        "E90",
        {BGM},
    ),
    ("close", "E80", "owner", {}, "E99", {J}),
    ("close", "E90", "colleague", {}, "E99", {J}),
    ("close", "E95", "owner", {}, "E99", {J}),
]
# register_violation (E50 → E60) needs a police report first: its own test.
EVERYONE = (
    "owner",
    "colleague",
    "burgemeester",
    "politie_user",
    "om_user",
    "kmar_user",
    "belastingdienst_user",
    "outsider",
    "fg",
)


class TransitionTableTests(GebiedsverbodTestCase):
    def test_every_declared_transition_is_in_the_table(self):
        tested = {row[0] for row in TABLE} | {"register_violation", "reassess"}
        self.assertEqual(tested, set(transition_names()))

    def test_each_transition_succeeds_from_its_source_and_writes_a_status_event(self):
        for name, source, who, data, target, _roles in TABLE:
            with self.subTest(name=name, source=source):
                case = self.reach(source)
                self.step(case, name, who, **data)
                self.assertEqual(self.status(case), target)
                event = CaseEvent.objects.filter(
                    case=case, kind=CaseEvent.Kind.STATUS
                ).latest("id")
                self.assertEqual(
                    (event.kind, event.actor, event.from_status, event.to_status),
                    (CaseEvent.Kind.STATUS, getattr(self, who), source, target),
                )

    def test_every_other_user_is_refused(self):
        for name, source, _who, _data, _target, roles in TABLE:
            case = self.reach(source)
            for username in EVERYONE:
                user = getattr(self, username)
                if user.membership.role in roles and username not in (
                    "outsider",
                    "fg",
                ):
                    continue
                with self.subTest(name=name, source=source, user=username):
                    with self.assertRaises((PermissionDenied, ValidationError)):
                        services.case_transition(
                            case=case, name=name, user=user, note=NOTE
                        )
                    self.assertEqual(self.status(case), source)

    def test_register_violation_needs_a_police_report(self):
        case = self.reach("E50")
        self.assert_refused(
            lambda: self.step(case, "register_violation", "owner"),
            "Sr 184",
        )
        self.violation(case)
        self.step(case, "register_violation", "owner")
        self.assertEqual(self.status(case), "E60")
        self.assertIsNotNone(case.gebiedsverbod_violations.get().registered_at)

    def test_reassess_after_a_new_incident_after_the_warning(self):
        case = self.reach("E20")
        self.assert_refused(
            lambda: self.step(case, "reassess", "owner"), "23 februari 2026"
        )
        self.incidents(case, date(2026, 2, 25))
        self.step(case, "reassess", "owner")
        self.assertEqual(self.status(case), "E10")

    def test_steps_that_are_not_declared_from_a_state_are_refused(self):
        case = self.reach("E10")
        for name in ("make_known", "extend", "expire", "close", "impose_order"):
            with (
                self.subTest(name=name),
                self.assertRaises((ValidationError, PermissionDenied)),
            ):
                services.case_transition(
                    case=case, name=name, user=self.burgemeester, note=NOTE
                )


class GuardTests(GebiedsverbodTestCase):
    def test_only_the_burgemeester_signs(self):
        case = self.reach("E35")
        text = self.assert_refused(
            lambda: self.step(case, "impose_order", "owner", **ORDER),
            "177",
            exc=PermissionDenied,
        )
        self.assertIn("178", text)
        case = self.reach("E50")
        self.assert_refused(
            lambda: self.step(case, "extend", "colleague", **EXTENSION_1),
            "177",
            exc=PermissionDenied,
        )

    def test_no_order_without_a_recorded_incident(self):
        case = self.new_case()
        self.step(case, "start_assessment", "owner")
        self.assertEqual(
            len(refusals(GebiedsverbodCase.objects.get(pk=case.pk), "send_intention")),
            1,
        )
        self.assert_refused(
            lambda: self.step(case, "impose_urgent_order", "burgemeester", **URGENT),
            "172a lid 1",
        )

    def test_besluit_before_the_views_were_received(self):
        case = self.reach("E35")
        self.assert_refused(
            lambda: self.step(
                case,
                "impose_order",
                "burgemeester",
                **{**ORDER, "decided_on": date(2026, 2, 25)},
            ),
            "Awb 4:8",
            "26 februari 2026",
        )
        self.assertEqual(self.status(case), "E35")
        self.assertFalse(Measure.objects.filter(case=case).exists())

    def test_besluit_before_the_views_term_ended(self):
        case = self.reach("E30")
        self.step(case, "views_term_expired", "owner")
        # Sent Monday 23 February, seven days: the term ends Monday 2 March.
        self.assert_refused(
            lambda: self.step(
                case,
                "impose_order",
                "burgemeester",
                **{**ORDER, "decided_on": date(2026, 3, 2)},
            ),
            "2 maart 2026",
            "Awb 4:8",
        )
        self.step(
            case,
            "impose_order",
            "burgemeester",
            **{**ORDER, "decided_on": date(2026, 3, 3)},
        )
        self.assertEqual(self.status(case), "E40")

    def test_views_term_still_running(self):
        case = self.reach("E10")
        today = timezone.localdate()
        self.step(
            case,
            "send_intention",
            "owner",
            sent_on=today,
            term_length=7,
            term_unit="days",
            atw_applies=False,
        )
        self.assert_refused(
            lambda: self.step(case, "views_term_expired", "owner"), "Awb 4:8"
        )

    def test_views_before_the_intention(self):
        case = self.reach("E30")
        self.assert_refused(
            lambda: self.step(
                case,
                "receive_views",
                "owner",
                received_on=date(2026, 2, 20),
                manner="written",
                hearing_report="",
            ),
            "Awb 4:8",
            "23 februari 2026",
        )

    def test_urgent_order_needs_the_ground_and_reasons(self):
        case = self.reach("E10")
        self.assert_refused(
            lambda: self.step(
                case,
                "impose_urgent_order",
                "burgemeester",
                **{**URGENT, "urgency_reasons": " "},
            ),
            "Awb 4:11",
        )
        self.step(case, "impose_urgent_order", "burgemeester", **URGENT)
        self.assertEqual(Measure.objects.get(case=case).urgency, "4:11a")

    def test_duration_over_three_months(self):
        case = self.reach("E35")
        self.assert_refused(
            lambda: self.step(
                case,
                "impose_order",
                "burgemeester",
                **{**ORDER, "end_date": date(2026, 6, 9)},
            ),
            "172a lid 6 a",
            "8 juni 2026",
        )

    def test_start_before_the_besluit_and_content(self):
        case = self.reach("E35")
        text = self.assert_refused(
            lambda: self.step(
                case,
                "impose_order",
                "burgemeester",
                **{
                    **ORDER,
                    "start_date": date(2026, 3, 4),
                    "map_hash": "",
                    "lid5_checked": False,
                    "fear_reasons": "",
                },
            ),
            "Awb 3:40",
            "172a lid 5",
            "kaart",
        )
        self.assertIn("ernstige vrees", text)

    def test_repeated_needs_two_incidents(self):
        case = self.new_case()
        self.step(case, "start_assessment", "owner")
        self.incidents(case, date(2026, 2, 10))
        self.assert_refused(
            lambda: self.step(case, "impose_urgent_order", "burgemeester", **URGENT),
            "herhaaldelijk",
        )

    def test_bekendmaking_before_the_besluit(self):
        case = self.reach("E40")
        self.assert_refused(
            lambda: self.step(
                case,
                "make_known",
                "owner",
                made_known_on=date(2026, 3, 4),
                manner="handed",
            ),
            "Awb 3:40, 3:41",
        )
        self.assertEqual(self.status(case), "E40")
        self.assertFalse(LegalProtection.objects.filter(case=case).exists())

    def test_start_before_bekendmaking(self):
        case = self.reach("E40")
        self.assert_refused(
            lambda: self.step(
                case,
                "make_known",
                "owner",
                made_known_on=date(2026, 3, 10),
                manner="post",
            ),
            "9 maart 2026",
            "Awb 3:40",
        )

    def test_extension_after_the_measure_ended(self):
        case = self.reach("E50")
        self.assert_refused(
            lambda: self.step(
                case,
                "extend",
                "burgemeester",
                **{**EXTENSION_1, "decided_on": date(2026, 6, 9)},
            ),
            "8 juni 2026",
            "172a lid 6 a",
        )

    def test_extension_longer_than_three_months(self):
        case = self.reach("E50")
        # From Tuesday 9 June: at most until Tuesday 8 September.
        self.assert_refused(
            lambda: self.step(
                case,
                "extend",
                "burgemeester",
                **{**EXTENSION_1, "new_end_date": date(2026, 9, 9)},
            ),
            "8 september 2026",
            "172a lid 6 a",
        )

    def test_extension_needs_views_or_urgency(self):
        case = self.reach("E50")
        self.assert_refused(
            lambda: self.step(
                case, "extend", "burgemeester", **{**EXTENSION_1, "views_on": None}
            ),
            "Awb 4:8, 4:11",
        )

    def test_extension_made_known_after_the_end(self):
        case = self.reach("E70")
        self.assert_refused(
            lambda: self.step(
                case,
                "make_extension_known",
                "owner",
                made_known_on=date(2026, 6, 9),
                manner="post",
            ),
            "172a lid 6 a",
        )
        self.assert_refused(
            lambda: self.step(
                case,
                "make_extension_known",
                "owner",
                made_known_on=date(2026, 5, 31),
                manner="post",
            ),
            "Awb 3:40, 3:41",
        )

    def test_three_extensions_then_the_fourth_is_refused(self):
        case = self.reach("E50")
        # Each from the day after the current end, at most three months.
        extensions = [
            (date(2026, 6, 1), date(2026, 9, 8), date(2026, 6, 2)),
            (date(2026, 9, 1), date(2026, 12, 8), date(2026, 9, 2)),
            (date(2026, 12, 1), date(2027, 3, 8), date(2026, 12, 2)),
        ]
        for decided, new_end, known in extensions:
            self.step(
                case,
                "extend",
                "burgemeester",
                **{**EXTENSION_1, "decided_on": decided, "new_end_date": new_end},
            )
            self.step(
                case,
                "make_extension_known",
                "owner",
                made_known_on=known,
                manner="handed",
            )
        measure = Measure.objects.get(case=case)
        self.assertEqual(measure.end_date, date(2027, 3, 8))
        self.assertEqual(Extension.objects.filter(measure=measure).count(), 3)
        self.assert_refused(
            lambda: self.step(
                case,
                "extend",
                "burgemeester",
                **{
                    **EXTENSION_1,
                    "decided_on": date(2027, 3, 1),
                    "new_end_date": date(2027, 6, 8),
                },
            ),
            "drie keer",
            "172a lid 6 a",
        )
        self.assertEqual(self.status(case), "E50")

    def test_not_expired_while_the_measure_runs(self):
        case = self.reach("E40")
        today = timezone.localdate()
        Measure.objects.filter(case=case).update(
            start_date=today, end_date=today + timedelta(days=10)
        )
        self.step(case, "make_known", "owner", made_known_on=today, manner="handed")
        self.assert_refused(lambda: self.step(case, "expire", "owner"), "172a lid 6")

    def test_violation_outside_the_term_or_before_it(self):
        case = self.reach("E50")
        self.assert_refused(
            lambda: self.violation(case, day=date(2026, 6, 9)), "Sr 184", "8 juni 2026"
        )
        self.assert_refused(
            lambda: self.violation(case, day=date(2026, 3, 7)), "9 maart 2026"
        )
        self.assert_refused(
            lambda: self.violation(case, day=date(2026, 3, 5)), "Awb 3:40"
        )
        before = self.reach("E40")
        self.assert_refused(lambda: self.violation(before), "Sr 184")

    def test_withdrawal_in_bezwaar_needs_an_upheld_objection(self):
        case = self.reach("E50")
        self.assert_refused(
            lambda: self.step(
                case,
                "withdraw",
                "burgemeester",
                withdrawn_on=date(2026, 4, 1),
                ground="revoked",
                reasons="Bezwaar.",
            ),
            "172a lid 9",
        )

    def test_closing_leaves_the_legal_protection_open(self):
        case = self.reach("E90")
        self.step(case, "close", "owner")
        self.assertEqual(self.status(case), "E99")
        protections = LegalProtection.objects.filter(case=case)
        self.assertEqual(protections.count(), 2)  # the order and the withdrawal
        self.assertTrue(all(p.status == "R00" for p in protections))
        self.assertTrue(
            Deadline.objects.filter(
                case=case,
                legal_basis=OBJECTION_TERM_BASIS,
                state=Deadline.State.OPEN,
            ).exists()
        )

    def test_apv_maximum_is_configuration(self):
        ApvPolicy.objects.create(
            name="Verblijfsontzegging",
            article="APV art. 2:79",
            max_days=14,
            valid_from=date(2026, 1, 1),
        )
        case = self.reach("E35")
        apv = {
            **ORDER,
            "basis": "APV",
            "ground": "apv_act",
            "start_date": START,
            "end_date": date(2026, 3, 23),
        }
        self.assert_refused(
            lambda: self.step(case, "impose_order", "burgemeester", **apv),
            "14",
            "22 maart 2026",
        )
        self.step(
            case,
            "impose_order",
            "burgemeester",
            **{**apv, "end_date": date(2026, 3, 22)},
        )
        measure = Measure.objects.get(case=case)
        self.assertEqual(measure.apv_policy.article, "APV art. 2:79")

    def test_apv_without_a_policy_in_force(self):
        case = self.reach("E35")
        self.assert_refused(
            lambda: self.step(
                case,
                "impose_order",
                "burgemeester",
                **{**ORDER, "basis": "APV", "ground": "apv_act"},
            ),
            "APV",
        )


class PeriodEndTests(GebiedsverbodTestCase):
    def test_period_end(self):
        self.assertEqual(period_end(date(2026, 3, 9), 3), date(2026, 6, 8))
        self.assertEqual(period_end(date(2026, 3, 10), 3), date(2026, 6, 9))
        self.assertEqual(period_end(date(2026, 11, 30), 3), date(2027, 2, 28))
        self.assertEqual(period_end(date(2027, 11, 30), 3), date(2028, 2, 29))
        self.assertEqual(period_end(date(2026, 3, 1), 3), date(2026, 5, 31))


class ScenarioTests(GebiedsverbodTestCase):
    def test_full_scenario_from_police_report_to_expiry(self):
        """Police report → assessment → voornemen → views → besluit →
        bekendmaking → violation → extension → expiry → closed.

        Hand computation:
        - Voornemen handed over Monday 23 February 2026 with seven days for
          views: the term starts Tuesday 24 February and ends Monday 2 March
          (a term set in a letter: no Atw).
        - Besluit Thursday 5 March; bekendmaking Friday 6 March 2026.
        - Measure of three months from Monday 9 March 2026: the same date
          three months later is Tuesday 9 June, so it ends the day before,
          Monday 8 June 2026, end of day (docs/domain.md §10.4; the Atw never
          moves the end of a duration).
        - Bezwaartermijn (Awb 6:7, 6:8): six weeks from the day after the
          bekendmaking, Saturday 7 March; six weeks after Friday 6 March is
          Friday 17 April 2026. Not a Saturday, Sunday or Atw holiday (Goede
          Vrijdag is 3 April, tweede Paasdag 6 April 2026), and the term holds
          far more than two working days (Atw art. 1, 2): Friday 17 April.
        - Extension decided Monday 1 June, made known Tuesday 2 June: it runs
          from Tuesday 9 June for three months, until the day before Wednesday
          9 September, Tuesday 8 September 2026. Its bezwaartermijn: from
          Wednesday 3 June, six weeks after Tuesday 2 June is Tuesday 14 July
          2026, a working day.
        """
        case = self.reach("E60")
        deadline = Deadline.objects.get(case=case, legal_basis="Awb 4:8")
        self.assertEqual(deadline.end_date, date(2026, 3, 2))
        self.assertEqual(deadline.state, Deadline.State.MET)
        measure = Measure.objects.get(case=case)
        self.assertEqual((measure.start_date, measure.end_date), (START, END))
        order_protection = LegalProtection.objects.get(case=case)
        self.assertEqual(order_protection.decided_on, KNOWN)
        objection = Deadline.objects.get(
            case=case, legal_basis=OBJECTION_TERM_BASIS, event_date=KNOWN
        )
        self.assertEqual(objection.end_date, date(2026, 4, 17))
        end = Deadline.objects.get(
            case=case, legal_basis="Gemw 172a lid 6", state=Deadline.State.OPEN
        )
        self.assertEqual(end.end_date, END)

        self.step(case, "continue_measure", "owner")
        self.step(case, "extend", "burgemeester", **EXTENSION_1)
        self.step(
            case,
            "make_extension_known",
            "owner",
            made_known_on=date(2026, 6, 2),
            manner="handed",
        )
        measure.refresh_from_db()
        self.assertEqual(measure.end_date, date(2026, 9, 8))
        self.assertEqual(measure.original_end_date, END)
        extension_objection = Deadline.objects.get(
            case=case, legal_basis=OBJECTION_TERM_BASIS, event_date=date(2026, 6, 2)
        )
        self.assertEqual(extension_objection.end_date, date(2026, 7, 14))
        end = Deadline.objects.get(
            case=case, legal_basis="Gemw 172a lid 6", state=Deadline.State.OPEN
        )
        self.assertEqual(end.end_date, date(2026, 9, 8))

        self.step(case, "expire", "owner")
        self.assertFalse(
            Deadline.objects.filter(
                case=case, legal_basis="Gemw 172a lid 6", state=Deadline.State.OPEN
            ).exists()
        )
        self.step(case, "close", "owner")
        case = GebiedsverbodCase.objects.get(pk=case.pk)
        self.assertEqual(case.status, "E99")
        self.assertIsNotNone(case.closed_at)
        statuses = list(
            CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATUS)
            .exclude(to_status__startswith="R")
            .order_by("id")
            .values_list("to_status", flat=True)
        )
        self.assertEqual(
            [s for s in statuses if s],
            ["E10", "E30", "E35", "E40", "E50", "E60", "E50", "E70", "E50",
             "E80", "E99"],
        )  # fmt: skip
