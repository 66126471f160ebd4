"""Bibob state machine (workflows/bibob/machine.py, docs/domain.md §3.3–3.4) as
scenarios through `casework.steps.step_run` with the real permission checks: the
paths of issue 5 that must succeed, and the steps that must be refused."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError

from casework import services
from casework.models import Case, CaseEvent
from casework.registry import proxy_for
from casework.steps import available_transitions, step_run
from permissions.models import CaseAccess, Role
from tests.case_types import CaseType
from workflows.bibob.machine import BibobCase, BibobStatus
from workflows.bibob.models import Danger
from workflows.bibob.services import bibob_conclusion_record, bibob_source_add
from workflows.bibob.terms import seed_example_term_policy
from workflows.legal_protection.machine import LegalProtection, Outcome

from .base import NOTE, WorkflowTestCase

BIB, BGM = Role.BIBOB, Role.BURGEMEESTER

# Who may run each transition (docs/domain.md §3.4 actors, written out by hand).
ROLES = {
    "start_regular_assessment": {BIB},
    "start_screening": {BIB},
    "grant_without_bibob": {BIB},
    "drop_inquiry": {BIB},
    "apply_bibob": {BIB},
    "report_incomplete": {BIB},
    "receive_completion": {BIB},
    "set_aside": {BIB},
    "receive_form": {BIB},
    "propose_revocation_form_refused": {BIB, BGM},
    "conclude_investigation": {BIB},
    "conclude_no_danger": {BIB, BGM},
    "report_own_conclusion": {BIB},
    "request_advice": {BIB},
    "send_art32_notice": {BIB},
    "lbb_requests_data": {BIB},
    "lbb_data_supplied": {BIB},
    "lbb_extends": {BIB},
    "lbb_declines": {BIB},
    "resume_investigation": {BIB},
    "receive_advice": {BIB},
    "proceed_without_advice": {BIB},
    "request_supplementary_advice": {BGM},
    "receive_supplementary_advice": {BIB},
    "verify_advice": {BIB},
    "grant": {BGM},
    "send_intention": {BGM},
    "receive_views": {BIB},
    "grant_with_conditions": {BGM},
    "refuse": {BGM},
    "revoke": {BGM},
    "notify_decision": {BIB},
    "report_correction": {BIB},
    "close": {BIB},
    "withdraw": {BIB},
}

APPLICATION = {
    "kind": "application",
    "application_type": "omgevingsvergunning",
    "received_on": date(2026, 2, 2),
}
REVOCATION = {
    "kind": "revocation",
    "application_type": "exploitatievergunning",
    "received_on": date(2026, 2, 2),
}


def source(t, case):
    bibob_source_add(
        case=case,
        user=t.bibob,
        kind="kvk",
        consulted_on=date(2026, 3, 2),
        legal_basis="Handelsregisterwet 2007",
        finding="Bestuurder sinds 2025; eerder betrokken bij drie faillissementen.",
    )


def conclude(degree, *, a=False, b=False, advice=False, reasoning=True):
    def record(t, case):
        bibob_conclusion_record(
            case=case,
            user=t.bibob,
            degree=degree,
            ground_a=a,
            ground_b=b,
            advice_needed=advice,
            proportionality="Weigeren is evenredig: ernst en aard van de feiten."
            if reasoning
            else "",
            concluded_on=date(2026, 3, 6),
        )

    return record


# The besluit is taken before it is made known (Awb 3:40, 3:41).
DECIDED = {"decided_on": date(2026, 6, 30)}


def made_known(day=date(2026, 7, 1)):
    return {"made_known_on": day, "manner": "post"}


# (transition, user attribute, status afterwards[, step data]) or a callable
# that records part of the dossier.
INTAKE = [
    ("start_regular_assessment", "bibob", "B05", APPLICATION),
    ("start_screening", "bibob", "B10"),
]
SCREENED = [*INTAKE, ("apply_bibob", "bibob", "B20")]
INVESTIGATED = [
    *SCREENED,
    ("receive_form", "bibob", "B30"),
    source,
    ("conclude_investigation", "bibob", "B35"),
]
NO_DANGER = [
    *INVESTIGATED,
    conclude(Danger.GEEN, reasoning=False),
    ("conclude_no_danger", "bibob", "B70", DECIDED),
    ("notify_decision", "bibob", "B75", made_known()),
    ("close", "bibob", "B99"),
]
ADVICE_REQUESTED = [
    *INVESTIGATED,
    conclude(Danger.MINDERE_MATE, advice=True, reasoning=False),
    ("request_advice", "bibob", "B40", {"on": date(2026, 3, 9)}),
    ("send_art32_notice", "bibob", "B40", {"on": date(2026, 3, 10)}),
]
ADVICE_VERIFIED = [
    *ADVICE_REQUESTED,
    ("receive_advice", "bibob", "B45", {"on": date(2026, 4, 30)}),
    ("verify_advice", "bibob", "B50"),
]
INTENTION = {
    "intended": "voorschriften",
    "sent_on": date(2026, 5, 4),
    "term_length": 2,
    "third_parties": "",
}
VIEWS = {"received_on": date(2026, 5, 15), "manner": "written"}
# Weigeren and intrekken need their motivation (Awb 3:46) and an explicit
# confirmation (issue 14).
NEGATIVE = {**DECIDED, "motivation": "Ernstig gevaar; zie het advies.", "confirm": True}
MINDERE_MATE_WITH_CONDITIONS = [
    *ADVICE_VERIFIED,
    conclude(Danger.MINDERE_MATE, a=True),
    ("send_intention", "burgemeester", "B60", INTENTION),
    ("receive_views", "bibob", "B65", VIEWS),
    ("grant_with_conditions", "burgemeester", "B71", DECIDED),
    ("notify_decision", "bibob", "B75", made_known()),
    ("close", "bibob", "B99"),
]
SERIOUS_DANGER_REFUSED = [
    *ADVICE_VERIFIED,
    conclude(Danger.ERNSTIG, b=True),
    ("send_intention", "burgemeester", "B60", {**INTENTION, "intended": "weigering"}),
    ("receive_views", "bibob", "B65", VIEWS),
    ("refuse", "burgemeester", "B72", NEGATIVE),
    ("notify_decision", "bibob", "B75", made_known()),
    ("close", "bibob", "B99"),
]
INCOMPLETE_SET_ASIDE = [
    *SCREENED,
    (
        "report_incomplete",
        "bibob",
        "B21",
        {"sent_on": date(2026, 2, 16), "term_length": 2, "term_unit": "weeks"},
    ),
    ("set_aside", "bibob", "B22"),
    ("notify_decision", "bibob", "B75", made_known(date(2026, 3, 16))),
    ("close", "bibob", "B99"),
]
LBB_QUESTIONS_AND_EXTENSION = [
    *ADVICE_REQUESTED,
    ("lbb_requests_data", "bibob", "B41", {"on": date(2026, 3, 23)}),
    ("lbb_data_supplied", "bibob", "B40", {"on": date(2026, 4, 3)}),
    ("lbb_extends", "bibob", "B42", {"on": date(2026, 4, 20), "days": 28}),
    ("receive_advice", "bibob", "B45", {"on": date(2026, 6, 10)}),
]
WITHDRAWN = [
    *SCREENED,
    ("receive_form", "bibob", "B30"),
    ("withdraw", "bibob", "B80", {"on": date(2026, 3, 3), "bibob_related": True}),
]
OWN_CONCLUSION_REFUSED = [
    *INVESTIGATED,
    conclude(Danger.ERNSTIG, a=True),
    ("report_own_conclusion", "bibob", "B36", {"on": date(2026, 3, 9)}),
    ("send_intention", "burgemeester", "B60", {**INTENTION, "intended": "weigering"}),
    # No views: the period (sent 04-05, two weeks) is long over.
    ("refuse", "burgemeester", "B72", NEGATIVE),
    ("notify_decision", "bibob", "B75", made_known()),
]
REVOKED_AFTER_FORM_REFUSED = [
    ("start_regular_assessment", "bibob", "B05", REVOCATION),
    ("start_screening", "bibob", "B10"),
    ("apply_bibob", "bibob", "B20"),
    (
        "propose_revocation_form_refused",
        "bibob",
        "B60",
        {**INTENTION, "intended": "intrekking"},
    ),
    ("revoke", "burgemeester", "B73", NEGATIVE),
    ("notify_decision", "bibob", "B75", made_known()),
    ("close", "bibob", "B99"),
]


class BibobTestCase(WorkflowTestCase):
    """The LOD cast plus two Bibob coordinators; `self.case` is a Bibob case
    (D5) of `bibob` with `bibob2` and the burgemeester on the team."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.lod_case = cls.case
        cls.bibob = cls.make_user("bibob", Role.BIBOB, cls.gemeente)
        cls.bibob2 = cls.make_user("bibob2", Role.BIBOB, cls.gemeente)
        seed_example_term_policy()
        cls.case = cls.open_bibob()

    @classmethod
    def open_bibob(cls) -> Case:
        case = services.case_open(
            user=cls.bibob,
            case_type=CaseType.BIBOB,
            title="Exploitatievergunning Café De Kroon",
        )
        for member in (cls.bibob2, cls.burgemeester):
            services.case_team_add(
                case=case,
                user=cls.bibob,
                member=member,
                team_role=CaseAccess.TeamRole.MEMBER,
            )
        return case

    def names(self, user, case=None) -> set[str]:
        """The steps `user` is offered now (what the case page lists)."""
        return {n for n, _label in available_transitions(self.fresh(case), user)}

    def new_case(self, **kwargs) -> Case:
        return self.open_bibob()

    def go(self, scenario, *, case=None) -> Case:
        """Run the scenario: steps through `step_run` (each must succeed and
        write its status event) and the dossier records in between."""
        case = case or self.case
        for item in scenario:
            if callable(item):
                item(self, case)
                continue
            name, who, expected, *data = item
            user = getattr(self, who)
            before = self.status(case)
            step_run(
                case=case,
                name=name,
                user=user,
                note=NOTE,
                data=dict(data[0]) if data else {},
            )
            self.assertEqual(self.status(case), expected, msg=name)
            event = CaseEvent.objects.filter(
                case=case, kind=CaseEvent.Kind.STATUS
            ).latest("id")
            self.assertEqual(
                (event.actor, event.from_status, event.to_status),
                (user, before, expected),
                msg=name,
            )
        return self.fresh(case)


def permission_of(name):
    field = BibobCase._meta.get_field("status")
    return next(
        t for t in field.get_all_transitions(BibobCase) if t.name == name
    ).permission


class BibobScenarioTests(BibobTestCase):
    def test_no_danger(self):
        case = self.go(NO_DANGER)
        self.assertIsNotNone(case.closed_at)

    def test_mindere_mate_with_conditions(self):
        case = self.go(MINDERE_MATE_WITH_CONDITIONS)
        protection = LegalProtection.objects.get(case=case)
        self.assertEqual(protection.decided_on, date(2026, 7, 1))

    def test_serious_danger_refused_after_views(self):
        self.go(SERIOUS_DANGER_REFUSED)

    def test_incomplete_and_set_aside(self):
        case = self.go(INCOMPLETE_SET_ASIDE)
        self.assertIn("buiten behandeling", LegalProtection.objects.get(case=case)
                      .decision_title)  # fmt: skip

    def test_lbb_extra_questions_and_extension(self):
        self.go(LBB_QUESTIONS_AND_EXTENSION)

    def test_withdrawal(self):
        case = self.go(WITHDRAWN)
        self.assertIsNotNone(case.closed_at)

    def test_own_conclusion_reported_then_refused_without_views(self):
        self.go(OWN_CONCLUSION_REFUSED)

    def test_revocation_after_the_holder_refuses_the_form(self):
        self.go(REVOKED_AFTER_FORM_REFUSED)

    def test_revocation_inquiry_without_bibob_is_closed(self):
        self.go(
            [
                ("start_regular_assessment", "bibob", "B05", REVOCATION),
                ("start_screening", "bibob", "B10"),
                ("drop_inquiry", "bibob", "B99"),
            ]
        )

    def test_no_bibob_needed(self):
        self.go(
            [
                *INTAKE,
                ("grant_without_bibob", "bibob", "B70", DECIDED),
                ("notify_decision", "bibob", "B75", made_known()),
                ("close", "bibob", "B99"),
            ]
        )

    def test_lbb_declines_and_the_investigation_resumes(self):
        self.go(
            [
                *ADVICE_REQUESTED,
                ("lbb_declines", "bibob", "B43", {"on": date(2026, 3, 20)}),
                ("resume_investigation", "bibob", "B30"),
                source,
                ("conclude_investigation", "bibob", "B35"),
            ]
        )

    def test_supplementary_advice_after_the_views(self):
        self.go(
            [
                *ADVICE_VERIFIED,
                conclude(Danger.ERNSTIG, b=True),
                ("send_intention", "burgemeester", "B60", INTENTION),
                ("receive_views", "bibob", "B65", VIEWS),
                ("request_supplementary_advice", "burgemeester", "B46"),
                ("receive_supplementary_advice", "bibob", "B45"),
                ("verify_advice", "bibob", "B50"),
                ("grant", "burgemeester", "B70", DECIDED),
            ]
        )

    def test_correction_report_after_an_upheld_objection(self):
        self.go(OWN_CONCLUSION_REFUSED)
        # The R-region's steps are the jurist's (workflows/legal_protection/machine.py)
        # and no jurist sits on a D5 team: an open point of decision 0009.
        # The outcome of the beslissing op bezwaar is set directly here.
        LegalProtection.objects.filter(case=self.case).update(
            status="R30", outcome=Outcome.UPHELD
        )
        self.assertEqual(self.names(self.bibob), {"report_correction", "close"})
        self.go([("report_correction", "bibob", "B90"), ("close", "bibob", "B99")])


class BibobRefusalTests(BibobTestCase):
    def assert_refused(self, exception, name, user, *, case=None, data=None):
        case = case or self.case
        status, events = self.status(case), self.events(case)
        with self.assertRaises(exception):
            step_run(case=case, name=name, user=user, note=NOTE, data=data or {})
        self.assertEqual(self.status(case), status)
        self.assertEqual(self.events(case), events)

    def test_a_step_from_a_wrong_state_is_refused(self):
        cases = [
            ([], "apply_bibob", self.bibob),
            ([], "refuse", self.burgemeester),
            (INTAKE, "request_advice", self.bibob),
            (SCREENED, "conclude_investigation", self.bibob),
            (ADVICE_VERIFIED, "receive_advice", self.bibob),
            (NO_DANGER, "withdraw", self.bibob),
        ]
        for steps, name, user in cases:
            with self.subTest(name=name):
                case = self.open_bibob()
                self.go(steps, case=case)
                self.assert_refused(ValidationError, name, user, case=case)

    def test_no_conclusion_without_a_logged_source(self):
        self.go([*SCREENED, ("receive_form", "bibob", "B30")])
        self.assert_refused(ValidationError, "conclude_investigation", self.bibob)

    def test_the_conclusion_picks_the_way_out_of_b35(self):
        self.go(INVESTIGATED)
        self.assertEqual(self.names(self.bibob), {"withdraw"})
        conclude(Danger.GEEN, reasoning=False)(self, self.case)
        self.assertEqual(self.names(self.bibob), {"conclude_no_danger", "withdraw"})
        conclude(Danger.ERNSTIG, a=True)(self, self.case)
        self.assertEqual(self.names(self.bibob), {"report_own_conclusion", "withdraw"})
        conclude(Danger.ERNSTIG, advice=True, reasoning=False)(self, self.case)
        self.assertEqual(self.names(self.bibob), {"request_advice", "withdraw"})

    def test_no_decision_while_the_views_period_runs(self):
        today = date.today()
        self.go(
            [
                *ADVICE_VERIFIED,
                conclude(Danger.ERNSTIG, b=True),
                ("send_intention", "burgemeester", "B60",
                 {**INTENTION, "sent_on": today}),
            ]
        )  # fmt: skip
        for name in ("refuse", "grant_with_conditions", "grant"):
            with self.subTest(name=name):
                self.assert_refused(ValidationError, name, self.burgemeester)

    def test_refusal_needs_serious_danger(self):
        self.go(MINDERE_MATE_WITH_CONDITIONS[:-3])  # up to the views
        self.assertEqual(self.status(), "B65")
        self.assert_refused(ValidationError, "refuse", self.burgemeester)
        self.assertNotIn("refuse", self.names(self.burgemeester))

    def test_the_lbb_extends_only_once(self):
        self.go(
            [
                *ADVICE_REQUESTED,
                ("lbb_extends", "bibob", "B42", {"on": date(2026, 4, 20), "days": 14}),
                ("lbb_requests_data", "bibob", "B41", {"on": date(2026, 4, 21)}),
                ("lbb_data_supplied", "bibob", "B40", {"on": date(2026, 4, 22)}),
            ]
        )
        self.assert_refused(
            ValidationError, "lbb_extends", self.bibob,
            data={"on": date(2026, 4, 23), "days": 14},
        )  # fmt: skip

    def test_the_art32_notice_is_recorded_once(self):
        self.go(ADVICE_REQUESTED)
        self.assert_refused(
            ValidationError, "send_art32_notice", self.bibob,
            data={"on": date(2026, 3, 11)},
        )  # fmt: skip

    def test_a_revocation_inquiry_cannot_be_withdrawn_or_set_aside(self):
        self.go(
            [
                ("start_regular_assessment", "bibob", "B05", REVOCATION),
                ("start_screening", "bibob", "B10"),
                ("apply_bibob", "bibob", "B20"),
            ]
        )
        self.assertEqual(
            self.names(self.bibob),
            {"receive_form", "propose_revocation_form_refused"},
        )
        self.assert_refused(ValidationError, "withdraw", self.bibob)

    def test_the_burgemeester_decides_but_does_not_run_the_case(self):
        for name in ("start_regular_assessment",):
            self.assert_refused(
                PermissionDenied, name, self.burgemeester, data=APPLICATION
            )
        self.go(ADVICE_VERIFIED)
        self.assertEqual(self.names(self.burgemeester), {"grant"})
        self.assertEqual(self.names(self.bibob), {"withdraw"})

    def test_no_other_role_may_run_a_step(self):
        # At every state of two scenarios, every step possible there is
        # refused to every role but the Bibob coordinator and the burgemeester.
        others = (
            self.owner, self.colleague, self.toezicht, self.invordering,
            self.politie_user, self.belastingdienst_user, self.outsider, self.fg,
        )  # fmt: skip
        for scenario in (SERIOUS_DANGER_REFUSED, INCOMPLETE_SET_ASIDE):
            case = self.open_bibob()
            for item in scenario:
                proxy = proxy_for(Case.objects.get(pk=case.pk))
                for t in proxy.get_available_status_transitions():
                    for user in others:
                        with self.subTest(status=proxy.status, name=t.name, user=user):
                            with self.assertRaises(PermissionDenied):
                                services.case_transition(
                                    case=case, name=t.name, user=user, note=NOTE
                                )
                self.go([item], case=case)

    def test_only_the_declared_roles_may_run_each_step(self):
        case = proxy_for(Case.objects.get(pk=self.case.pk))
        cast = {
            self.bibob: BIB,
            self.bibob2: BIB,
            self.burgemeester: BGM,
            self.owner: None,  # a jurist: may not read D5
            self.toezicht: None,
            self.politie_user: None,
            self.fg: None,
        }
        field = BibobCase._meta.get_field("status")
        declared = {t.name: t for t in field.get_all_transitions(BibobCase)}
        self.assertEqual(set(declared), set(ROLES))
        for name, t in declared.items():
            self.assertEqual(set(t.permission.roles), ROLES[name], msg=name)
            for user, role in cast.items():
                with self.subTest(name=name, user=user.username):
                    self.assertIs(t.has_perm(case, user), role in ROLES[name])

    def test_a_bibob_coordinator_off_the_team_may_run_nothing(self):
        stranger = self.make_user("bibob3", Role.BIBOB, self.gemeente)
        case = proxy_for(self.fresh())
        self.assertIs(permission_of("start_regular_assessment")(case, stranger), False)


class BibobTableTests(BibobTestCase):
    def transitions(self):
        return list(BibobCase._meta.get_field("status").get_all_transitions(BibobCase))

    def test_every_state_is_reachable_and_only_b80_and_b99_end_the_case(self):
        edges = {}
        for t in self.transitions():
            edges.setdefault(t.source, set()).add(t.target)
        seen, todo = {BibobStatus.B00}, [BibobStatus.B00]
        while todo:
            for target in edges.get(todo.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        self.assertEqual(seen, set(BibobStatus.values))
        self.assertEqual(set(BibobStatus.values) - set(edges), {"B80", "B99"})
        self.assertEqual(BibobCase.TERMINAL, {"B80", "B99"})

    def test_every_transition_has_a_label_a_docstring_and_a_role(self):
        for t in self.transitions():
            with self.subTest(name=t.name, source=t.source):
                self.assertTrue(str(t.custom["label"]))
                self.assertTrue(t.method.__doc__)
                self.assertTrue(t.permission.roles)
