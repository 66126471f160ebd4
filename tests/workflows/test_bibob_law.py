"""Issue 14 for the Bibob toets, tested directly: the kind of legal act and
the competent body (workflows/bibob/acts.py), the guards and date checks with
their statute (machine.py, checks.py), weigeren with motivation and
confirmation, the decision-maker joining the team, the third parties of
art 33, and the letters bound to the decision (offers.py, letters.py)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.test import SimpleTestCase, override_settings

from casework import documents, pdf
from casework.letter_forms import initial_for
from casework.models import Deadline
from casework.rules import StepRefused, why_not
from casework.steps import step_run
from permissions.models import CaseAccess
from tests.casework.test_pdf import INPUTS, render, text_of
from tests.workflows.test_bibob_states import (
    ADVICE_REQUESTED,
    INVESTIGATED,
    SCREENED,
    BibobTestCase,
    conclude,
)
from workflows.bibob import competent_body
from workflows.bibob.acts import LegalAct, body_for, is_besluit, legal_act_for
from workflows.bibob.letters import LBB_ADDRESS
from workflows.bibob.machine import THIRD_PARTY_VIEWS_BASIS
from workflows.bibob.models import BibobDecision, BibobIntake, Danger, ThirdParty
from workflows.bibob.services import bibob_conclusion_record
from workflows.bibob.terms import beslistermijn

NEGATIVE = {"motivation": "Ernstig gevaar op de a-grond.", "confirm": True}


def intake(application_type, kind="application"):
    return (
        "start_regular_assessment",
        "bibob",
        "B05",
        {"kind": kind, "application_type": application_type,
         "received_on": date(2026, 2, 2)},
    )  # fmt: skip


class ActsTests(SimpleTestCase):
    def test_the_competent_body_per_application_type(self):
        """Ow 5.8 (college), APV and Alcoholwet art 3 (burgemeester), Gemw 160
        lid 1 (college: subsidie, and private-law acts under lid 1 e)."""
        self.assertEqual(body_for("omgevingsvergunning"), "college")
        self.assertEqual(body_for("subsidie"), "college")
        self.assertEqual(body_for("vastgoedtransactie"), "college")
        self.assertEqual(body_for("exploitatievergunning"), "burgemeester")
        self.assertEqual(body_for("alcoholwet"), "burgemeester")

    def test_a_vastgoedtransactie_is_a_private_law_act_art_5a(self):
        self.assertEqual(legal_act_for("vastgoedtransactie"), LegalAct.PRIVATE_LAW)
        self.assertEqual(legal_act_for("subsidie"), LegalAct.SUBSIDIE)
        self.assertEqual(legal_act_for("omgevingsvergunning"), LegalAct.BESCHIKKING)


class IntakeTests(BibobTestCase):
    def test_the_intake_records_the_college_for_an_omgevingsvergunning(self):
        self.walk_steps([intake("omgevingsvergunning")])
        self.assertEqual(competent_body(self.case), "college")
        self.assertEqual(
            BibobIntake.objects.get(case=self.case).competent_body, "college"
        )

    def test_the_burgemeester_before_the_intake_and_for_horeca(self):
        self.assertEqual(competent_body(self.case), "burgemeester")
        self.walk_steps([intake("exploitatievergunning")])
        self.assertEqual(competent_body(self.case), "burgemeester")

    def test_a_vastgoedtransactie_has_no_awb_decision_term_art_5a(self):
        """Awb 4:13 applies to a beschikking on application; art 5a is a
        private-law act: no term, and therefore no art 31 suspension."""
        self.walk_steps([intake("vastgoedtransactie")])
        self.assertIsNone(beslistermijn(self.case))
        self.assertIs(is_besluit(self.case), False)

    def test_herstelverzuim_is_refused_for_a_vastgoedtransactie_awb_4_5(self):
        self.walk_steps(
            [intake("vastgoedtransactie"), ("start_screening", "bibob", "B10"),
             ("apply_bibob", "bibob", "B20")]
        )  # fmt: skip
        refusals = why_not(self.fresh(), "report_incomplete", self.bibob)
        self.assertEqual([r.rule for r in refusals], ["Awb 4:5; Wet Bibob art 5a"])

    def walk_steps(self, steps):
        for name, who, _expected, *data in steps:
            step_run(case=self.fresh(), name=name, user=getattr(self, who),
                     note="", data=dict(data[0]) if data else {})  # fmt: skip


class StepTests(BibobTestCase):
    """Weigeren, the date checks and the decision-maker on the team."""

    def go_to_intention(self, degree=Danger.ERNSTIG, **grounds):
        self.go(ADVICE_REQUESTED)
        self.go([("receive_advice", "bibob", "B45", {"on": date(2026, 4, 30)}),
                 ("verify_advice", "bibob", "B50")])  # fmt: skip
        bibob_conclusion_record(
            case=self.case, user=self.bibob, degree=degree,
            proportionality="Weigeren is evenredig.", concluded_on=date(2026, 5, 1),
            **grounds,
        )  # fmt: skip
        self.go([("send_intention", "burgemeester", "B60",
                  {"intended": "weigering", "sent_on": date(2026, 5, 4),
                   "term_length": 2, "third_parties": ""})])  # fmt: skip

    def refuse(self, **data):
        return step_run(case=self.fresh(), name="refuse", user=self.burgemeester,
                        note="", data=data)  # fmt: skip

    def test_refusing_without_motivation_or_confirmation_is_refused_awb_3_46(self):
        self.go_to_intention(ground_a=True)
        with self.assertRaises(StepRefused) as caught:
            self.refuse(decided_on=date(2026, 5, 20))
        self.assertEqual(
            [r.rule for r in caught.exception.refusals],
            ["Awb 3:46", "proces: uitdrukkelijke bevestiging van de weigering"],
        )
        with self.assertRaises(StepRefused) as caught:
            self.refuse(decided_on=date(2026, 5, 20), motivation="Gevaar.")
        self.assertEqual(
            [r.rule for r in caught.exception.refusals],
            ["proces: uitdrukkelijke bevestiging van de weigering"],
        )
        self.assertEqual(self.status(), "B60")
        self.assertFalse(BibobDecision.objects.filter(case=self.case).exists())

    def test_a_confirmed_motivated_refusal_is_recorded(self):
        self.go_to_intention(ground_a=True)
        self.refuse(decided_on=date(2026, 5, 20), **NEGATIVE)
        decision = BibobDecision.objects.get(case=self.case)
        self.assertEqual(
            (decision.outcome, decision.decided_on, decision.motivation,
             decision.confirmed),
            ("B72", date(2026, 5, 20), NEGATIVE["motivation"], True),
        )  # fmt: skip

    def test_a_decision_on_the_last_day_of_the_views_period_is_refused_art_33(self):
        """Sent 4 May 2026, two weeks: the views period runs to 18 May
        inclusive; a besluit dated 18 May is refused, 19 May accepted."""
        self.go_to_intention(ground_a=True)
        with self.assertRaises(StepRefused) as caught:
            self.refuse(decided_on=date(2026, 5, 18), **NEGATIVE)
        refusal = caught.exception.refusals[0]
        self.assertEqual((refusal.rule, refusal.on),
                         ("Wet Bibob art 33; Awb 4:8", date(2026, 5, 18)))  # fmt: skip
        self.refuse(decided_on=date(2026, 5, 19), **NEGATIVE)
        self.assertEqual(self.status(), "B72")

    def test_a_refusal_on_a_lesser_degree_is_refused_art_3_lid_1(self):
        self.go_to_intention(Danger.MINDERE_MATE, ground_a=True)
        refusals = why_not(self.fresh(), "refuse", self.burgemeester)
        self.assertEqual([r.rule for r in refusals], ["Wet Bibob art 3 lid 1 en lid 7"])

    def test_art_3_lid_6_carries_a_refusal_on_a_lesser_degree(self):
        self.go_to_intention(Danger.MINDERE_MATE, ground_a=True, ground_6=True)
        self.assertEqual(why_not(self.fresh(), "refuse", self.burgemeester), [])

    def test_the_art_32_notice_cannot_precede_the_request(self):
        """Art 32: requested 9 Mar 2026; a notice dated 8 Mar is refused."""
        self.go(INVESTIGATED)
        conclude(Danger.MINDERE_MATE, advice=True, reasoning=False)(self, self.case)
        self.go([("request_advice", "bibob", "B40", {"on": date(2026, 3, 9)})])
        with self.assertRaises(StepRefused) as caught:
            step_run(case=self.fresh(), name="send_art32_notice", user=self.bibob,
                     note="", data={"on": date(2026, 3, 8)})  # fmt: skip
        refusal = caught.exception.refusals[0]
        self.assertEqual(
            (refusal.rule, refusal.on), ("Wet Bibob art 32", date(2026, 3, 9))
        )

    def test_the_decision_maker_joins_the_team_when_the_decision_nears(self):
        """Issue 14: not by hand. Off the team until the own investigation is
        concluded (B35); then a member."""
        CaseAccess.objects.filter(case=self.case, user=self.burgemeester).delete()
        self.go(SCREENED)
        self.go([("receive_form", "bibob", "B30")])
        self.assertFalse(
            CaseAccess.objects.filter(case=self.case, user=self.burgemeester).exists()
        )
        self.go(INVESTIGATED[len(SCREENED) + 1 :])
        access = CaseAccess.objects.get(case=self.case, user=self.burgemeester)
        self.assertEqual(access.team_role, CaseAccess.TeamRole.MEMBER)


class ThirdPartyTests(BibobTestCase):
    def test_each_third_party_gets_its_own_period_and_letter_art_33(self):
        """Two third parties named in a voornemen sent 4 May 2026 with two
        weeks: two periods ending 18 May; the decision waits for both; the
        letter is proposed to each in turn, never with the applicant's
        address."""
        self.go(ADVICE_REQUESTED)
        self.go([("receive_advice", "bibob", "B45", {"on": date(2026, 4, 30)}),
                 ("verify_advice", "bibob", "B50")])  # fmt: skip
        bibob_conclusion_record(
            case=self.case, user=self.bibob, degree=Danger.MINDERE_MATE,
            ground_a=True, proportionality="Voorschriften volstaan.",
            concluded_on=date(2026, 5, 1),
        )  # fmt: skip
        third = (
            "Vastgoed B.V. | Markt 1 | 5911 AA Venlo\n"
            "J. Jansen | Parade 2 | 5911 CB Venlo"
        )
        self.go([("send_intention", "burgemeester", "B60",
                  {"intended": "voorschriften", "sent_on": date(2026, 5, 4),
                   "term_length": 2, "third_parties": third})])  # fmt: skip
        parties = list(ThirdParty.objects.filter(case=self.case))
        self.assertEqual([p.name for p in parties], ["Vastgoed B.V.", "J. Jansen"])
        self.assertEqual([p.views_until for p in parties], [date(2026, 5, 18)] * 2)
        self.assertEqual(
            Deadline.objects.filter(
                case=self.case, legal_basis=THIRD_PARTY_VIEWS_BASIS
            ).count(),
            2,
        )
        first = initial_for(self.fresh(), "voornemen_bibob_derde")
        self.assertEqual(first["recipient_name"], "Vastgoed B.V.")
        self.assertEqual(first["recipient_address"], "Markt 1\n5911 AA Venlo")
        self.assertEqual(first["zienswijze_deadline"], date(2026, 5, 18))
        documents.document_generate(
            case=self.fresh(), user=self.bibob, template_key="voornemen_bibob_derde",
            inputs={**first, "date": "2026-05-04", "own_data": "U bent verhuurder.",
                    "betrokkene_name": "Café De Kroon B.V.",
                    "recipient_address": first["recipient_address"].splitlines()},
        )  # fmt: skip
        second = initial_for(self.fresh(), "voornemen_bibob_derde")
        self.assertEqual(second["recipient_name"], "J. Jansen")


class LetterBindingTests(BibobTestCase):
    def test_after_a_refusal_no_besluit_verlening_can_be_made_or_stored(self):
        StepTests.go_to_intention(self, ground_a=True)
        step_run(case=self.fresh(), name="refuse", user=self.burgemeester, note="",
                 data={"decided_on": date(2026, 5, 19), **NEGATIVE})  # fmt: skip
        case = self.fresh()
        self.assertIs(
            documents.may_make(self.bibob, case, "besluit_bibob_weigering"), True
        )
        self.assertIs(
            documents.may_make(self.bibob, case, "besluit_bibob_verlening"), False
        )
        with self.assertRaises(PermissionDenied):
            documents.document_generate(
                case=case, user=self.bibob, template_key="besluit_bibob_verlening",
                inputs=INPUTS["besluit_bibob_verlening"],
            )  # fmt: skip

    def test_the_burgemeester_makes_no_bibob_letters(self):
        """Letter.roles: the coordinator types them; the burgemeester signs."""
        self.go(SCREENED)
        self.assertIs(
            documents.may_make(
                self.burgemeester, self.fresh(), "vragenformulier_bibob"
            ),
            False,
        )
        self.assertIs(
            documents.may_make(self.bibob, self.fresh(), "vragenformulier_bibob"), True
        )

    def test_the_voornemen_is_not_offered_before_the_intention(self):
        self.go(SCREENED)
        self.assertIs(
            documents.may_make(self.bibob, self.fresh(), "voornemen_bibob"), False
        )

    def test_the_weigering_prefill_takes_the_degree_from_the_conclusion(self):
        StepTests.go_to_intention(self, Danger.MINDERE_MATE, ground_a=True,
                                  ground_6=True)  # fmt: skip
        step_run(case=self.fresh(), name="refuse", user=self.burgemeester, note="",
                 data={"decided_on": date(2026, 5, 19), **NEGATIVE})  # fmt: skip
        initial = initial_for(self.fresh(), "besluit_bibob_weigering")
        self.assertEqual(initial["degree_of_danger"], "mindere_mate")
        self.assertEqual(initial["grounds"], ["6"])
        self.assertEqual(initial["motivation"], NEGATIVE["motivation"])


class LetterTextTests(SimpleTestCase):
    def test_the_lbb_request_goes_to_the_lbb_never_to_the_applicant(self):
        """Art 9: the request with the findings goes to the LBB; an address
        input cannot redirect it."""
        text = text_of(
            render("lbb_adviesaanvraag", recipient_address=["Kerkstraat 1", "Venlo"])
        )
        self.assertIn("Landelijk Bureau Bibob Postbus 20301 2500 EH Den Haag", text)
        self.assertNotIn("Kerkstraat", text)
        self.assertEqual(LBB_ADDRESS.split("|")[1], "Postbus 20301")

    @override_settings(BIBOB_LBB_ADDRESS="Landelijk Bureau Bibob|Postbus 1|1000 AA X")
    def test_the_lbb_address_is_a_setting(self):
        self.assertIn("Postbus 1 1000 AA X", text_of(render("lbb_adviesaanvraag")))

    def test_a_refusal_on_lid_6_with_a_lesser_degree_does_not_say_ernstig_gevaar(self):
        text = text_of(
            render(
                "besluit_bibob_weigering",
                grounds=["6"],
                degree_of_danger="mindere_mate",
            )
        )
        self.assertIn("artikel 3, zesde lid", text)
        self.assertNotIn("ernstig gevaar", text)
        self.assertIn("mindere mate van gevaar", text)

    def test_a_refusal_on_the_a_ground_needs_ernstig_gevaar_art_3_lid_1(self):
        with self.assertRaises(pdf.LetterValidationError) as caught:
            render(
                "besluit_bibob_weigering",
                grounds=["a"],
                degree_of_danger="mindere_mate",
            )
        self.assertEqual(caught.exception.invalid, ["degree_of_danger"])
        text = text_of(render("besluit_bibob_weigering"))
        self.assertIn("ernstig gevaar", text)

    def test_a_private_law_decision_has_no_bezwaar_clause_art_5a(self):
        text = text_of(render("besluit_bibob_weigering", private_law=True))
        self.assertIn("geen besluit in de zin van de Algemene wet bestuursrecht", text)
        self.assertIn("gaat de vastgoedtransactie niet aan", text)
        self.assertNotIn("bezwaar maken bij", text)
        self.assertNotIn("Ik weiger uw aanvraag", text)

    def test_the_third_party_copy_carries_its_own_term_and_the_warning(self):
        text = text_of(render("voornemen_bibob_derde"))
        self.assertIn("tot en met 14 december 2026", text)
        self.assertIn("artikel 28, tweede lid, onder b", text)
        self.assertIn("Geheimhoudingsplicht", text)
