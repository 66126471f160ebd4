"""The further LOD letters (waarschuwing, voornemen and besluit sluiting,
voornemen tot invordering, aanmaning) read back from the PDF, their legal
checks, and the prefill from the case. The police-report guard has its own
module (test_letter_d3_guard)."""

from datetime import date, timedelta
from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import timezone

from casework import documents, pdf, terms
from casework.deadlines import equated_holidays
from casework.letter_forms import LetterForm, initial_for
from casework.models import Deadline, Document
from casework.steps import step_run
from tests.casework.test_pdf import INPUTS, render, text_of
from tests.workflows.base import WorkflowTestCase
from tests.workflows.test_lod_states import PREVENTIVE_ORDER
from workflows.lod.handhavingsmatrix import (
    LodDecision,
    Measure,
    PremisesKind,
    Substance,
    beleidsregel_in_force,
    lod_assessment_record,
    lod_decision_record,
    seed_example_policy,
)
from workflows.lod.letters import LOD_TEMPLATES, reminder_fee

# Every letter of the LOD package (the first three were once in the kernel).
KEYS = ("voornemen_lod", "besluit_lod", "invorderingsbeschikking",
        "waarschuwing_lod", "voornemen_sluiting", "besluit_sluiting",
        "voornemen_invordering", "aanmaning", "afzien_handhaving")  # fmt: skip
URGENT = {
    "spoed": True,
    "begunstigingstermijn": "",
    "spoed_reason": "In de woning werd dagelijks gedeald; omwonenden werden "
    "bedreigd. Een termijn om zelf te sluiten zou dat laten voortduren.",
}


class RenderTests(SimpleTestCase):
    def assert_text(self, key, *expected, **overrides):
        text = text_of(render(key, **overrides))
        for sentence in expected:
            with self.subTest(key=key, expected=sentence):
                self.assertIn(sentence, text)
        return text

    def test_the_keys_are_stable(self):
        self.assertEqual(tuple(LOD_TEMPLATES), KEYS)
        for key in KEYS:
            self.assertIn(key, pdf.TEMPLATES)

    def test_waarschuwing_is_not_a_besluit_and_names_the_next_measure(self):
        text = self.assert_text(
            "waarschuwing_lod",
            "Onderwerp Waarschuwing, Kerkstraat 1",
            "Volgens de beleidsregel Damoclesbeleid Venlo 2025, versie 2 volsta ik "
            "deze keer met een waarschuwing",
            "Volgens de beleidsregel is de maatregel bij een volgende overtreding: "
            "een last onder dwangsom van € 5.000 per overtreding",
            "zonder u eerst nog eens te waarschuwen",
            "Deze brief is geen besluit",
        )
        self.assertNotIn("bezwaarschrift", text)
        self.assertNotIn("zes weken", text)

    def test_voornemen_sluiting(self):
        self.assert_text(
            "voornemen_sluiting",
            "Ik ben van plan de woning op het adres Kerkstraat 1, 5911 AB Venlo voor "
            "de duur van 3 maanden te sluiten",
            "artikel 13b, eerste lid, van de Opiumwet",
            "lijst I of II",
            "Begunstigingstermijn twee weken na de dag van bekendmaking",
            "gaat in op de dag waarop het pand wordt gesloten",
            "komen volledig voor uw rekening (artikel 5:25, eerste en tweede lid, Awb)",
            "tot en met 14 december 2026",
            "artikel 3:4, tweede lid",
            "Dit voornemen is nog geen besluit",
        )

    def test_a_lokaal_is_named_as_such(self):
        self.assert_text(
            "voornemen_sluiting", "het lokaal op het adres", premises_kind="lokaal"
        )

    def test_besluit_sluiting_with_grace_period(self):
        text = self.assert_text(
            "besluit_sluiting",
            "Ik leg u een last onder bestuursdwang op: de woning op het adres "
            "Kerkstraat 1, 5911 AB Venlo wordt gesloten voor de duur van 3 maanden",
            "beleidsregel Damoclesbeleid Venlo 2025, versie 2",
            "Evenredigheid",
            "artikel 3:4, tweede lid, Awb",
            "een lichtere maatregel volstaat niet",
            "Begunstigingstermijn (artikel 5:24, tweede lid, Awb): twee weken na de "
            "dag van bekendmaking",
            "De sluiting duurt 3 maanden, gerekend vanaf de dag waarop het pand is "
            "gesloten",
            "kosten van de voorbereiding die ik maak na afloop van de "
            "begunstigingstermijn",
            "artikel 5:25, zesde lid",
            "binnen zes weken",
            "schorst de werking van dit besluit niet (artikel 6:16 Awb)",
            "de voorzieningenrechter van de rechtbank Limburg vragen een voorlopige "
            "voorziening te treffen (artikel 8:81 Awb)",
        )
        self.assertNotIn("5:31", text)

    def test_urgent_besluit_sluiting_has_no_grace_period_but_its_reasons(self):
        text = self.assert_text(
            "besluit_sluiting",
            "Ik besluit de woning op het adres Kerkstraat 1, 5911 AB Venlo te sluiten",
            "zonder u eerst een last met een termijn op te leggen (artikel 5:31, "
            "eerste lid",
            "Vanwege de vereiste spoed heb ik u niet eerst in de gelegenheid gesteld "
            "uw zienswijze te geven (artikel 4:11, aanhef en onder a",
            "Waarom spoed?",
            "omwonenden werden bedreigd",
            "artikel 6:16 Awb",
            **URGENT,
        )
        self.assertNotIn("Begunstigingstermijn", text)
        self.assertNotIn("kosten van de voorbereiding", text)

    def test_besluit_sluiting_is_made_known_to_the_holders_of_rights(self):
        self.assert_text(
            "besluit_sluiting",
            "ook bekend aan de rechthebbenden op het gebruik van het pand: "
            "Woonstichting Venlo (artikel 5:24, derde lid, Awb)",
            copy_to=["Woonstichting Venlo"],
        )

    def test_voornemen_invordering_lists_the_forfeitures_and_the_total(self):
        self.assert_text(
            "voornemen_invordering",
            "5 januari 2027 Drugs aangetroffen € 5.000,00",
            "10 februari 2027 Opnieuw drugs € 2.500,50",
            "Totaal € 7.500,50",
            "in totaal € 7.500,50",
            "ECLI:NL:RVS:2018:2956",
            "tot en met 8 maart 2027",
            "afzien van invordering",
            "Dit voornemen is nog geen besluit",
        )

    def test_voornemen_invordering_names_the_order(self):
        self.assert_text(
            "voornemen_invordering",
            "Bij besluit van 1 december 2026 (kenmerk 2026-LOD-0001), aan u "
            "bekendgemaakt op 3 december 2026, heb ik u een last onder dwangsom "
            "opgelegd",
            "Het maximumbedrag van de last is € 15.000,00",
            besluit_date="2026-12-01",
            besluit_reference="2026-LOD-0001",
            made_known_on="2026-12-03",
            maximum_amount="15000",
        )

    def test_aanmaning(self):
        text = self.assert_text(
            "aanmaning",
            "Bij invorderingsbeschikking van 1 maart 2027 (kenmerk 2026-LOD-0001)",
            "uiterlijk op 12 april 2027 moeten betalen",
            "in verzuim (artikel 4:97",
            "Openstaand bedrag € 7.500,50",
            "Aanmaningsvergoeding (artikel 4:113 Awb) € 19,00",
            "Totaal te betalen € 7.519,50",
            "binnen twee weken, gerekend vanaf de dag na die waarop deze aanmaning "
            "is verzonden, dus uiterlijk op 4 mei 2027 (artikel 4:112, eerste lid",
            "invorderingsmaatregelen op uw kosten (artikel 4:112, derde lid",
            "dwangbevel uitvaardigen (artikel 4:114",
            "geen besluit",
        )
        self.assertNotIn("bezwaarschrift", text)

    def test_an_aanmaning_without_fee_has_no_fee_line(self):
        text = self.assert_text("aanmaning", "€ 7.500,50", reminder_costs="")
        self.assertNotIn("Aanmaningsvergoeding", text)


class RequiredFieldTests(SimpleTestCase):
    """Every required input, left out, stops the letter with its reason."""

    def test_every_required_field_missing_refuses_the_letter(self):
        for key in KEYS:
            template = pdf.get_template(key)
            for field in template.fields:
                inputs = {**INPUTS[key]}
                del inputs[field.key]
                with self.subTest(key=key, field=field.key):
                    with self.assertRaises(pdf.LetterValidationError) as caught:
                        pdf.render_letter(key, inputs, letterhead=pdf.Letterhead("G"))
                    self.assertEqual(caught.exception.missing, [field.key])
                    self.assertIn(str(field.label), str(caught.exception))
                    if field.basis:
                        self.assertIn(f"({field.basis})", str(caught.exception))

    def test_the_message_names_the_article(self):
        inputs = {**INPUTS["besluit_sluiting"], "proportionality": ""}
        with self.assertRaisesMessage(
            pdf.LetterValidationError,
            "Het besluit kan niet worden gemaakt: de afweging van de evenredigheid "
            "ontbreekt (Awb 3:4 lid 2).",
        ):
            pdf.validate("besluit_sluiting", inputs)

    def test_a_closure_needs_its_grace_period_unless_urgent(self):
        inputs = {**INPUTS["besluit_sluiting"], "begunstigingstermijn": ""}
        with self.assertRaises(pdf.LetterValidationError) as caught:
            pdf.validate("besluit_sluiting", inputs)
        self.assertEqual(caught.exception.missing, ["begunstigingstermijn"])
        self.assertIn("(Awb 5:24 lid 2)", str(caught.exception))
        pdf.validate("besluit_sluiting", {**INPUTS["besluit_sluiting"], **URGENT})

    def test_an_urgent_closure_needs_its_reasons(self):
        inputs = {**INPUTS["besluit_sluiting"], **URGENT, "spoed_reason": ""}
        with self.assertRaises(pdf.LetterValidationError) as caught:
            pdf.validate("besluit_sluiting", inputs)
        self.assertEqual(caught.exception.missing, ["spoed_reason"])
        self.assertIn("(Awb 5:31 lid 1)", str(caught.exception))


class LegalCheckTests(SimpleTestCase):
    def refused(self, key, **overrides):
        with self.assertRaises(pdf.LetterValidationError) as caught:
            pdf.validate(key, {**INPUTS[key], **overrides})
        return caught.exception

    def test_the_closure_lasts_whole_months(self):
        for months in ("2.5", 0, -1, "drie"):
            with self.subTest(months=months):
                error = self.refused("besluit_sluiting", closure_months=months)
                self.assertEqual(error.invalid, ["closure_months"])

    def test_premises_are_a_woning_or_a_lokaal(self):
        error = self.refused("voornemen_sluiting", premises_kind="bedrijfspand")
        self.assertEqual(error.invalid, ["premises_kind"])
        self.assertIn("woning, lokaal", str(error))

    def test_the_views_period_ends_after_the_letter(self):
        for key in ("voornemen_sluiting", "voornemen_invordering"):
            with self.subTest(key=key):
                error = self.refused(key, zienswijze_deadline=INPUTS[key]["date"])
                self.assertEqual(error.invalid, ["zienswijze_deadline"])
                self.assertIn("(Awb 4:8)", str(error))

    def test_a_total_that_is_not_the_sum_is_refused(self):
        error = self.refused("voornemen_invordering", total_amount="7000")
        self.assertEqual(error.invalid, ["total_amount"])
        self.assertIn("(Awb 5:37 lid 1)", str(error))

    def test_no_more_is_collected_than_the_maximum(self):
        error = self.refused("voornemen_invordering", maximum_amount="7000")
        self.assertEqual(error.invalid, ["total_amount"])
        self.assertIn("(Awb 5:32b lid 2)", str(error))

    def test_the_aanmaning_period_is_at_least_two_weeks_after_dispatch(self):
        # Dated Tue 20-04-2027: two weeks later is Tue 04-05-2027; 03-05 is short.
        error = self.refused("aanmaning", payment_deadline="2027-05-03")
        self.assertEqual(error.invalid, ["payment_deadline"])
        self.assertIn("(Awb 4:112)", str(error))

    def test_only_a_debtor_in_default_is_reminded(self):
        error = self.refused("aanmaning", original_due_date="2027-04-20")
        self.assertEqual(error.invalid, ["original_due_date"])
        self.assertIn("Awb 4:97", str(error))

    def test_the_reminder_fee_is_the_statutory_one(self):
        error = self.refused("aanmaning", reminder_costs="16.00")
        self.assertEqual(error.invalid, ["reminder_costs"])
        self.assertIn("€ 19,00 (Awb 4:113 lid 1)", str(error))
        # Awb 4:113 lid 1, threshold € 500 since 1 January 2015 (Awb 11:2;
        # workflows/lod/ledger.py AANMANING_FEES): € 8 below it, € 19 from it.
        self.assertEqual(reminder_fee("499.99", "2026-01-05"), Decimal("8.00"))
        self.assertEqual(reminder_fee("500", "2026-01-05"), Decimal("19.00"))
        pdf.validate(
            "aanmaning", {**INPUTS["aanmaning"], "amount_due": 400, "reminder_costs": 8}
        )


class PrefillTests(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_example_policy()

    def decide_penalty_order(self):
        self.walk([*PREVENTIVE_ORDER, ("review_new_report", "toezicht", "A61")])
        lod_decision_record(
            case=self.case, user=self.burgemeester, measure=Measure.DWANGSOM,
            amount=Decimal("5000"), amount_basis="per_violation",
            maximum=Decimal("15000"), preventive=True, on=date(2026, 3, 1),
        )  # fmt: skip
        step_run(case=self.case, name="establish_breach", user=self.toezicht,
                 data={"forfeited_on": date(2026, 3, 24), "units": 1})  # fmt: skip

    def test_the_form_starts_from_the_decision_and_the_forfeitures(self):
        self.decide_penalty_order()
        initial = initial_for(self.case, "aanmaning")
        self.assertEqual(initial["amount_per_violation"], Decimal("5000"))
        self.assertEqual(initial["maximum_amount"], Decimal("15000"))
        self.assertEqual(initial["total_amount"], Decimal("5000"))
        self.assertEqual(initial["amount_due"], Decimal("5000"))
        self.assertEqual(initial["reminder_costs"], Decimal("19.00"))
        self.assertIn("2026-03-24 |", initial["forfeitures"])
        # Payment due: Tue 24-03-2026 + 6 weeks = 05-05 (Bevrijdingsdag) → 06-05.
        self.assertEqual(initial["original_due_date"], date(2026, 5, 6))
        self.assertEqual(initial["begunstigingstermijn"], "geen (preventieve last)")
        self.assertIn("voorbeeld", initial["beleidsregel"])

    def test_the_aanmaning_period_follows_the_termijnenwet(self):
        self.decide_penalty_order()
        today = timezone.localdate()
        expected = terms.compute_term(
            today, weeks=2, atw=True, extra_holidays=equated_holidays()
        ).end
        initial = initial_for(self.case, "aanmaning")
        self.assertEqual(initial["payment_deadline"], expected)
        self.assertGreaterEqual(initial["payment_deadline"], today + timedelta(14))
        self.assertLess(initial["payment_deadline"].weekday(), 5)

    def test_the_aanmaning_follows_the_reminder_step_and_the_collection_decision(self):
        self.decide_penalty_order()
        Document.objects.create(
            case=self.case, template_key="invorderingsbeschikking",
            template_version="2026.1", title="Invorderingsbeschikking", version=1,
            inputs={"date": "2026-05-20", "reference": self.case.reference,
                    "payment_deadline": "2026-06-03"},
            content=b"%PDF", sha256="0" * 64, author=self.owner,
        )  # fmt: skip
        sent = date(2026, 6, 12)  # Friday; two weeks later Friday 26-06
        Deadline.objects.create(
            case=self.case, title="Aanmaning", legal_basis="Awb 4:112",
            event_date=sent, length=2, unit=Deadline.Unit.WEEKS, atw_applies=True,
            computed_end=date(2026, 6, 26), end_date=date(2026, 6, 26),
            owner=self.invordering,
        )  # fmt: skip
        initial = initial_for(self.case, "aanmaning")
        self.assertEqual(initial["collection_decision_date"], "2026-05-20")
        self.assertEqual(initial["collection_decision_reference"], self.case.reference)
        self.assertEqual(initial["original_due_date"], "2026-06-03")
        self.assertEqual(initial["date"], sent)
        self.assertEqual(initial["payment_deadline"], date(2026, 6, 26))

    def test_the_prefilled_aanmaning_can_be_made(self):
        self.test_the_aanmaning_follows_the_reminder_step_and_the_collection_decision()
        # The aanmaning is offered once it was sent (A73; workflows/lod/ledger.py
        # collection_letters).
        self.walk([("propose_collection", "owner", "A71"),
                   ("decide_collection", "owner", "A72"),
                   ("send_reminder", "invordering", "A73")])  # fmt: skip
        initial = initial_for(self.case, "aanmaning")
        initial.update(recipient_name="B. Vrĳhoef", recipient_address="Kerkstraat 1")
        form = LetterForm(
            {**{k: v for k, v in initial.items() if v is not None},
             "form_token": "t"},
            template_key="aanmaning",
        )  # fmt: skip
        self.assertTrue(form.is_valid(), form.errors)
        document = documents.document_generate(
            case=self.case, user=self.owner, template_key="aanmaning",
            inputs=form.inputs(),
        )  # fmt: skip
        text = text_of(bytes(document.content))
        self.assertIn("Aanmaningsvergoeding (artikel 4:113 Awb) € 19,00", text)
        self.assertIn("uiterlijk op 26 juni 2026", text)

    def test_the_views_deadline_comes_from_the_open_awb_4_8_deadline(self):
        self.walk([("start_assessment", "owner", "A10")])
        step_run(
            case=self.case, name="send_intention", user=self.owner,
            data={"sent_on": date(2026, 11, 2), "term_length": 2,
                  "term_unit": "weeks", "atw_applies": False,
                  "measure": "sluiting"},
        )  # fmt: skip
        deadline = self.case.deadlines.get(legal_basis__startswith="Awb 4:8")
        initial = initial_for(self.case, "voornemen_sluiting")
        self.assertEqual(initial["zienswijze_deadline"], deadline.end_date)
        self.assertEqual(initial["voornemen_date"], date(2026, 11, 2))
        deadline.state = Deadline.State.MET
        deadline.save()
        initial = initial_for(self.case, "besluit_sluiting")
        self.assertNotIn("zienswijze_deadline", initial)
        self.assertEqual(initial["voornemen_date"], date(2026, 11, 2))

    def test_a_closure_decision_prefills_months_grace_period_and_premises(self):
        lod_assessment_record(
            case=self.case, user=self.owner, found_on=date(2026, 3, 1),
            premises_kind=PremisesKind.LOKAAL, substance=Substance.HARD,
            grams=Decimal("20"), violation=1,
        )  # fmt: skip
        initial = initial_for(self.case, "besluit_sluiting")
        self.assertEqual(initial["premises_kind"], "lokaal")
        self.assertEqual(initial["closure_months"], 3)
        self.assertEqual(
            initial["begunstigingstermijn"],
            "7 dagen na de dag waarop het besluit aan u is bekendgemaakt",
        )
        self.assertNotIn("spoed", initial)

    def test_an_urgent_closure_decision_prefills_spoed(self):
        # Recorded directly: the decision of an urgent closure has no grace period.
        LodDecision.objects.create(
            case=self.case, beleidsregel=beleidsregel_in_force(date(2026, 3, 1)),
            measure=Measure.SLUITING, closure_months=6, grace_days=0,
            decided_by=self.burgemeester,
        )  # fmt: skip
        initial = initial_for(self.case, "besluit_sluiting")
        self.assertIs(initial["spoed"], True)
        self.assertEqual(initial["closure_months"], 6)
        self.assertNotIn("begunstigingstermijn", initial)

    def test_the_order_is_named_from_its_stored_letter(self):
        Document.objects.create(
            case=self.case, template_key="besluit_lod", template_version="2026.1",
            title="Besluit last onder dwangsom", version=1,
            inputs={"date": "2026-03-01", "reference": self.case.reference},
            content=b"%PDF", sha256="0" * 64, author=self.owner,
        )  # fmt: skip
        initial = initial_for(self.case, "voornemen_invordering")
        self.assertEqual(initial["besluit_date"], "2026-03-01")
        self.assertEqual(initial["besluit_reference"], self.case.reference)


class TerugkoppelingTests(SimpleTestCase):
    def test_the_feedback_letter_names_the_visit_and_is_not_a_besluit(self):
        text = text_of(render("terugkoppeling_controle"))
        for sentence in (
            "Op 12 november 2026 heeft het bestuurlijk interventieteam",
            "Industrieweg 7, 5928 AA Venlo",
            "brandveiligheid",
            "De brandweer neemt contact met u op.",
            "geen besluit",
        ):
            self.assertIn(sentence, text)

    def test_without_outcome_it_is_refused(self):
        with self.assertRaises(pdf.LetterValidationError) as ctx:
            render("terugkoppeling_controle", outcome="")
        self.assertEqual(ctx.exception.missing, ["outcome"])
