"""The beslissing op bezwaar (workflows/legal_protection/letters.py): offered
only once the decision on the objection is recorded (Awb 7:11, 7:12) and only to
the roles that prepare it, its decisive content bound to the recorded decision,
the dictum per outcome, the committee's advice (Awb 7:13), the hearing or why it
was omitted (7:2, 7:3), the generated beroep clause (8:1, 6:7) and the body that
took the primary besluit — read back from the stored PDF."""

from datetime import date

from django.core.exceptions import PermissionDenied

from casework import documents, pdf
from casework.letter_forms import initial_for
from casework.registry import registry
from tests.case_types import CaseType
from tests.casework.test_pdf import text_of
from workflows.bibob.services import bibob_intake_record
from workflows.legal_protection import services
from workflows.legal_protection.letters import KEY, competent_body
from workflows.legal_protection.machine import DecisionKind, Outcome

from .base import WorkflowTestCase
from .test_bibob_states import BibobTestCase

TITLE = "Besluit last onder dwangsom"
MADE_KNOWN = date(2026, 3, 2)
RECEIVED = date(2026, 3, 20)
HEARD = date(2026, 4, 14)
ADVISED = date(2026, 4, 28)
DECIDED = date(2026, 5, 4)
ADDRESSEE = {
    "recipient_name": "J. de Vries",
    "recipient_address": ["Kloosterstraat 12", "5911 AB Venlo"],
    "date": "2026-05-04",
    "considerations": "De gronden van het bezwaar slagen niet, omdat de last "
    "evenredig is.",
}
DICTUM = {
    Outcome.UPHELD: "Ik verklaar uw bezwaar gegrond.",
    Outcome.PARTLY_UPHELD: "Ik verklaar uw bezwaar gedeeltelijk gegrond.",
    Outcome.DISMISSED: "Ik verklaar uw bezwaar ongegrond.",
    Outcome.INADMISSIBLE: "Ik verklaar uw bezwaar niet-ontvankelijk.",
}


class Walk:
    """Take a protection of `self.case` through the region's steps, dated."""

    def protection(self, *, case=None, title=TITLE, user=None):
        return services.legal_protection_open(
            case=case or self.case,
            user=user or self.owner,
            decision_title=title,
            decision_kind=DecisionKind.ORDER,
            decided_on=MADE_KNOWN,
        )

    def step(self, protection, name, on, *, user=None, **kwargs):
        return services.legal_protection_transition(
            protection=protection, name=name, user=user or self.owner, on=on, **kwargs
        )

    def decided(
        self,
        outcome=Outcome.DISMISSED,
        *,
        hearing=True,
        committee=False,
        case=None,
        title=TITLE,
        user=None,
        decider=None,
    ):
        protection = self.protection(case=case, title=title, user=user)
        who = {"user": user} if user else {}
        protection = self.step(
            protection,
            "receive_objection",
            RECEIVED,
            advisory_committee=committee,
            **who,
        )
        if hearing:
            protection = self.step(protection, "schedule_hearing", HEARD, **who)
        if committee:
            protection = self.step(
                protection, "receive_committee_advice", ADVISED, **who
            )
        return self.step(
            protection,
            "decide_objection",
            DECIDED,
            outcome=outcome,
            user=decider or user or self.owner,
        )

    def make(self, user=None, case=None, **inputs):
        case = case or self.case
        values = {**initial_for(case, KEY), **ADDRESSEE, **inputs}
        return documents.document_generate(
            case=case, user=user or self.owner, template_key=KEY, inputs=values
        )

    def offered(self, user, case=None) -> bool:
        case = case or self.case
        keys = {t.key for t in documents.letters_offered(user, case)}
        return documents.may_make(user, case, KEY) and KEY in keys


class OfferTests(Walk, WorkflowTestCase):
    def test_not_offered_before_the_decision_on_the_objection(self):
        """Awb 7:11, 7:12: no beslissing letter before the beslissing exists
        (R00, R10, R20 refused), also not through the page's service."""
        protection = self.protection()
        self.assertIs(self.offered(self.owner), False)
        protection = self.step(protection, "receive_objection", RECEIVED)
        self.assertIs(self.offered(self.owner), False)
        protection = self.step(protection, "schedule_hearing", HEARD)
        self.assertIs(self.offered(self.owner), False)
        with self.assertRaises(PermissionDenied):
            self.make(outcome=Outcome.DISMISSED, decision_title=TITLE)
        self.step(protection, "decide_objection", DECIDED, outcome=Outcome.DISMISSED)
        self.assertIs(self.offered(self.owner), True)

    def test_offered_only_to_the_roles_that_prepare_it(self):
        """The jurist prepares it; the burgemeester decides and signs but types
        no letter; toezicht, invordering and the police partner never."""
        self.decided()
        self.assertIs(self.offered(self.owner), True)
        self.assertIs(self.offered(self.colleague), True)
        for user in (
            self.burgemeester,
            self.toezicht,
            self.invordering,
            self.politie_user,
            self.outsider,
        ):
            with self.subTest(user=user.username):
                self.assertIs(self.offered(user), False)
                with self.assertRaises(PermissionDenied):
                    self.make(user=user)

    def test_still_offered_after_the_appeal_is_lodged(self):
        """R40 keeps the beslissing on record: the letter can be made again (a
        new version) for the file."""
        protection = self.decided()
        self.step(protection, "receive_appeal", date(2026, 5, 20))
        self.assertIs(self.offered(self.owner), True)

    def test_a_besluit_final_without_objection_offers_no_beslissing(self):
        """R00 → R90 (term lapsed unused, Awb 6:7): no objection, no beslissing."""
        protection = self.protection()
        self.step(protection, "become_final", date(2026, 5, 1))
        self.assertIs(self.offered(self.owner), False)

    def test_only_case_types_with_a_competent_body_offer_it(self):
        """The body that took the besluit decides the objection (Awb 7:11): LOD
        and gebiedsverbod the burgemeester; controle and PGA take no besluit
        open to bezwaar and register none."""
        self.assertEqual(competent_body(self.case), "burgemeester")
        self.assertIsNone(registry.case_type(CaseType.CONTROLE).competence)
        self.assertIsNone(registry.case_type(CaseType.PGA).competence)
        self.assertEqual(
            registry.case_type(CaseType.GBV).competence(self.case), "burgemeester"
        )


class ContentTests(Walk, WorkflowTestCase):
    def test_the_dictum_follows_each_recorded_outcome(self):
        """Awb 7:11: gegrond (herroeping and what replaces it), gedeeltelijk
        gegrond (what is revoked), ongegrond (the besluit stands),
        niet-ontvankelijk (with the reason)."""
        extra = {
            Outcome.UPHELD: {"replacement": "Er komt geen nieuwe last."},
            Outcome.PARTLY_UPHELD: {
                "revoked_part": "de hoogte van de dwangsom",
                "replacement": "Een dwangsom van € 2.500 per overtreding.",
            },
            Outcome.DISMISSED: {},
            Outcome.INADMISSIBLE: {
                "inadmissibility_ground": "Het bezwaarschrift kwam te laat."
            },
        }
        expected = {
            Outcome.UPHELD: (
                "Ik herroep het besluit van 2 maart 2026 (Besluit last onder "
                "dwangsom 1) en neem daarvoor in de plaats het volgende besluit "
                "(artikel 7:11, tweede lid, Awb): Er komt geen nieuwe last."
            ),
            Outcome.PARTLY_UPHELD: (
                "voor zover het gaat om: de hoogte van de dwangsom"
            ),
            Outcome.DISMISSED: (
                "Dat betekent dat het besluit van 2 maart 2026 (Besluit last onder "
                "dwangsom 3) in stand blijft."
            ),
            Outcome.INADMISSIBLE: "De reden is: Het bezwaarschrift kwam te laat.",
        }
        for number, outcome in enumerate(Outcome.values, start=1):
            title = f"{TITLE} {number}"
            with self.subTest(outcome=outcome):
                self.decided(outcome, title=title)
                document = self.make(decision_title=title, **extra[outcome])
                text = text_of(bytes(document.content))
                self.assertIn(DICTUM[outcome], text)
                self.assertIn(expected[outcome], text)
                others = set(DICTUM.values()) - {DICTUM[outcome]}
                for other in others:
                    self.assertNotIn(other, text)

    def test_the_outcome_and_days_come_from_the_record_not_the_typing(self):
        """A typed outcome, title or date is replaced by the recorded one."""
        self.decided(Outcome.DISMISSED)
        document = self.make(
            outcome=Outcome.UPHELD,
            decision_date="2026-01-01",
            objection_date="2026-01-02",
            heard=False,
            replacement="Niets.",
        )
        inputs = document.inputs
        self.assertEqual(inputs["outcome"], "dismissed")
        self.assertEqual(inputs["decision_title"], TITLE)
        self.assertEqual(inputs["decision_date"], "2026-03-02")
        self.assertEqual(inputs["objection_date"], "2026-03-20")
        self.assertEqual(
            (inputs["heard"], inputs["hearing_date"]), (True, "2026-04-14")
        )
        text = text_of(bytes(document.content))
        self.assertIn(
            "Op 20 maart 2026 heb ik uw bezwaarschrift ontvangen tegen het besluit "
            "van 2 maart 2026: Besluit last onder dwangsom.",
            text,
        )
        self.assertIn("Op 14 april 2026 bent u gehoord over uw bezwaar", text)
        self.assertIn(DICTUM[Outcome.DISMISSED], text)

    def test_the_prefill_names_the_newest_beslissing(self):
        self.decided(Outcome.DISMISSED, title="Invorderingsbeschikking 01-03-2026")
        self.decided(Outcome.UPHELD, title=TITLE)
        initial = initial_for(self.case, KEY)
        self.assertEqual(initial["outcome"], "upheld")
        self.assertEqual(initial["decision_title"], TITLE)
        self.assertEqual(initial["objection_date"], RECEIVED)

    def test_a_besluit_without_a_recorded_beslissing_is_refused(self):
        self.decided()
        other = self.protection(title="Kostenbeschikking 01-03-2026")
        self.step(other, "receive_objection", RECEIVED)
        with self.assertRaises(pdf.LetterValidationError) as caught:
            self.make(decision_title="Kostenbeschikking 01-03-2026")
        self.assertEqual(caught.exception.invalid, ["decision_title"])
        self.assertIn("Awb 7:11", str(caught.exception))

    def test_what_the_lawyer_must_write_is_required(self):
        """The considerations (Awb 7:12 lid 1) and, for a gegrond bezwaar,
        what replaces the revoked besluit (7:11 lid 2)."""
        self.decided(Outcome.UPHELD)
        with self.assertRaises(pdf.LetterValidationError) as caught:
            self.make(considerations="")
        self.assertEqual(caught.exception.missing, ["considerations"])
        self.assertIn("Awb 7:12 lid 1", str(caught.exception))
        with self.assertRaises(pdf.LetterValidationError) as caught:
            self.make()
        self.assertEqual(caught.exception.missing, ["replacement"])
        self.assertIn("Awb 7:11 lid 2", str(caught.exception))

    def test_without_a_hearing_the_letter_gives_the_7_3_ground(self):
        """Decided from R10 (no hearing): the ground of Awb 7:3 is required and
        must fit the outcome (b: kennelijk ongegrond only with ongegrond)."""
        self.decided(Outcome.DISMISSED, hearing=False)
        with self.assertRaises(pdf.LetterValidationError) as caught:
            self.make()
        self.assertEqual(caught.exception.missing, ["hearing_omitted_ground"])
        with self.assertRaises(pdf.LetterValidationError) as caught:
            self.make(hearing_omitted_ground="kennelijk_niet_ontvankelijk")
        self.assertEqual(caught.exception.invalid, ["hearing_omitted_ground"])
        document = self.make(hearing_omitted_ground="kennelijk_ongegrond")
        text = text_of(bytes(document.content))
        self.assertIn(
            "Ik heb u niet gehoord, omdat het bezwaar kennelijk ongegrond is "
            "(artikel 7:3, aanhef en onder b, Awb).",
            text,
        )
        self.assertNotIn("bent u gehoord", text)

    def test_the_beroep_clause_and_the_burgemeester_sign(self):
        """The remedy is beroep at the rechtbank within six weeks (Awb 8:1,
        6:7), never a second bezwaar; the burgemeester took the last (Opiumwet
        13b) and so signs the beslissing; a typed body is discarded."""
        self.decided()
        document = self.make(bestuursorgaan="college")
        self.assertEqual(document.inputs["bestuursorgaan"], "burgemeester")
        text = text_of(bytes(document.content))
        self.assertIn(
            "Dan kunt u beroep instellen bij de rechtbank Limburg (artikel 8:1 en 8:7",
            text,
        )
        self.assertIn("Dat moet binnen zes weken.", text)
        self.assertIn("(artikel 6:7 en 6:8 Awb)", text)
        self.assertIn("voorlopige voorziening", text)
        self.assertNotIn("bezwaar maken bij", text)
        self.assertIn("Hoogachtend, De burgemeester van Venlo,", text)
        self.assertEqual(document.template_key, KEY)


class CommitteeTests(Walk, WorkflowTestCase):
    def test_departing_from_the_advice_requires_the_reasons(self):
        """Awb 7:13 lid 7: a beslissing that departs from the committee's advice
        gives the reasons for it, and the letter says so."""
        self.decided(Outcome.DISMISSED, committee=True)
        with self.assertRaises(pdf.LetterValidationError) as caught:
            self.make()
        self.assertEqual(
            sorted(caught.exception.missing), ["advice_outcome"], caught.exception
        )
        with self.assertRaises(pdf.LetterValidationError) as caught:
            self.make(advice_outcome=Outcome.UPHELD)
        self.assertEqual(caught.exception.missing, ["departure_reasons"])
        self.assertIn("Awb 7:13 lid 7", str(caught.exception))
        document = self.make(
            advice_outcome=Outcome.UPHELD,
            departure_reasons="De commissie ging uit van een verkeerd adres.",
        )
        text = text_of(bytes(document.content))
        self.assertIn(
            "Ik heb uw bezwaar voorgelegd aan de adviescommissie voor de "
            "bezwaarschriften (artikel 7:13 Awb).",
            text,
        )
        self.assertIn("Op 14 april 2026 bent u door de commissie gehoord", text)
        self.assertIn(
            "De commissie heeft op 28 april 2026 geadviseerd uw bezwaar gegrond te "
            "verklaren.",
            text,
        )
        self.assertIn(
            "Ik wijk af van het advies van de commissie. De reden daarvoor is "
            "(artikel 7:13, zevende lid, Awb): De commissie ging uit van een "
            "verkeerd adres.",
            text,
        )

    def test_following_the_advice_needs_no_reasons(self):
        self.decided(Outcome.DISMISSED, committee=True)
        document = self.make(advice_outcome=Outcome.DISMISSED)
        self.assertEqual(document.inputs["advice_date"], "2026-04-28")
        text = text_of(bytes(document.content))
        self.assertIn("Ik volg het advies van de commissie", text)
        self.assertNotIn("wijk af", text)


class BibobBeslissingTests(Walk, BibobTestCase):
    def intake(self, application_type):
        bibob_intake_record(
            case=self.case,
            user=self.bibob,
            kind="application",
            application_type=application_type,
            received_on=date(2026, 1, 5),
        )

    def test_an_omgevingsvergunning_beslissing_is_the_colleges_and_says_wij(self):
        """The college took the besluit on an omgevingsvergunning, so it decides
        the objection (Awb 7:11), signs and speaks as "wij"; the Bibob
        coordinator prepares it, the jurist (off the D5 team) and the
        burgemeester do not."""
        self.intake("omgevingsvergunning")
        self.decided(
            Outcome.DISMISSED,
            user=self.bibob,
            decider=self.burgemeester,
            title="Besluit weigering",
        )
        self.assertIs(self.offered(self.bibob2), True)
        self.assertIs(self.offered(self.owner), False)
        self.assertIs(self.offered(self.burgemeester), False)
        document = self.make(user=self.bibob2)
        self.assertEqual(document.inputs["bestuursorgaan"], "college")
        text = text_of(bytes(document.content))
        self.assertIn("Wij verklaren uw bezwaar ongegrond.", text)
        self.assertIn("Op 20 maart 2026 hebben wij uw bezwaarschrift ontvangen", text)
        self.assertIn(
            "Hoogachtend, Burgemeester en wethouders van Venlo, de secretaris, de "
            "burgemeester,",
            text,
        )
        self.assertIn("beroep instellen bij de rechtbank Limburg", text)
        self.assertNotIn("Ik verklaar", text)

    def test_an_exploitatievergunning_beslissing_is_the_burgemeesters(self):
        self.intake("exploitatievergunning")
        self.decided(Outcome.DISMISSED, user=self.bibob, title="Besluit weigering")
        document = self.make(user=self.bibob)
        self.assertEqual(document.inputs["bestuursorgaan"], "burgemeester")
        text = text_of(bytes(document.content))
        self.assertIn("Ik verklaar uw bezwaar ongegrond.", text)
        self.assertIn("Hoogachtend, De burgemeester van Venlo,", text)


class PageTests(Walk, WorkflowTestCase):
    def url(self):
        from django.urls import reverse

        return (
            reverse("casework:document_create", args=[self.case.reference])
            + f"?template={KEY}"
        )

    def test_the_letter_page_opens_only_after_the_decision_prefilled_from_it(self):
        protection = self.protection()
        self.step(protection, "receive_objection", RECEIVED)
        self.login(self.owner)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.step(protection, "decide_objection", DECIDED, outcome=Outcome.DISMISSED)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        form = response.context["form"]
        self.assertEqual(form.initial["outcome"], "dismissed")
        self.assertEqual(form.initial["objection_date"], RECEIVED)
        self.login(self.toezicht)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
