"""Issue 4 item 6: the police report (data class D3) never goes into a letter to
the person concerned. `document_generate` refuses a letter whose inputs copy a
run of eight or more words of a D3 signal of the case, stores nothing, and the
letter form never prefills from signals."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied

from casework import documents, pdf, services
from casework.letter_forms import initial_for
from casework.models import CaseEvent, Deadline, Document, Signal
from permissions.models import AccessLog, DataClass, Role
from tests.case_types import (
    LOD_COLLECTION_PROPOSED_ON,
    CaseType,
    bibob_advice_requested,
    lod_collection_proposed,
    lod_order_decided,
    on_day,
)
from tests.casework.test_pdf import INPUTS
from tests.workflows.base import WorkflowTestCase
from workflows.lod.handhavingsmatrix import lod_assessment_record, seed_example_policy
from workflows.lod.ledger import COLLECTION_VIEWS_BASIS

REPORT = (
    "Bij de doorzoeking van de woning aan de Kerkstraat trof de politie in de "
    "keukenkast een zak met 42 gram cocaïne en een weegschaal aan"
)
OWN_WORDS = (
    "Uit informatie van de politie blijkt dat in de woning harddrugs in een "
    "handelshoeveelheid aanwezig waren."
)


class PoliceReportGuardTests(WorkflowTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        seed_example_policy()
        cls.report = cls.signal(REPORT, DataClass.D3)
        cls.report.cases.add(cls.case)
        cls.warn(cls.case)

    @classmethod
    def warn(cls, case):
        """The warning step, after which its letter is offered
        (workflows/lod/letters.py PROCEDURE_LETTERS)."""
        for name in ("start_assessment", "send_warning"):
            services.case_transition(case=case, name=name, user=cls.owner)
        return case

    @classmethod
    def signal(cls, summary, data_class):
        police = data_class == DataClass.D3
        return services.signal_register(
            user=cls.politie_user if police else cls.owner,
            source=Signal.Source.BESTUURLIJKE_RAPPORTAGE
            if police
            else Signal.Source.BURGER,
            received_on=date(2026, 3, 1),
            summary=summary,
            data_class=data_class,
            legal_basis="Wpg 16 lid 1 b" if police else "",
            shared_with=[cls.gemeente] if police else [],
            parties=[],
            locations=[],
        )

    def generate(self, key="waarschuwing_lod", case=None, **overrides):
        case = case or self.case
        inputs = {**INPUTS[key], "reference": case.reference, **overrides}
        return documents.document_generate(
            case=case, user=self.owner, template_key=key, inputs=inputs
        )

    def assert_refused(self, key="waarschuwing_lod", *, fields=("violation",), **kw):
        documents_before = Document.objects.count()
        events_before = CaseEvent.objects.count()
        logs_before = AccessLog.objects.count()
        with self.assertRaises(pdf.LetterValidationError) as caught:
            self.generate(key, **kw)
        self.assertEqual(caught.exception.invalid, list(fields))
        self.assertIn("D3)", str(caught.exception))  # the rule names the class
        self.assertNotIn("keukenkast", str(caught.exception))
        # Nothing stored, nothing logged.
        self.assertEqual(Document.objects.count(), documents_before)
        self.assertEqual(CaseEvent.objects.count(), events_before)
        self.assertEqual(AccessLog.objects.count(), logs_before)
        return caught.exception

    def test_a_letter_quoting_the_police_report_is_refused_and_not_stored(self):
        self.assert_refused(violation=f"Vastgesteld is het volgende. {REPORT}.")

    def test_case_accents_and_punctuation_do_not_hide_a_copy(self):
        retyped = (
            "KEUKENKAST: een zak, met 42 gram COCAINE, en een weegschaal! Dat is "
            "wat er lag."
        )
        self.assert_refused(violation=retyped)

    def test_every_input_is_checked_including_table_rows(self):
        rows = [
            {"date": "2027-01-05", "description": REPORT[60:], "amount": 5000},
            {"date": "2027-02-10", "description": "Opnieuw drugs", "amount": 5000},
        ]
        # No voornemen tot invordering before anything was forfeited and the
        # step was taken (A71): not on the warned case.
        with self.assertRaises(PermissionDenied):
            self.generate("voornemen_invordering", forfeitures=rows)
        # A case whose last onder dwangsom was forfeited twice (5 January and
        # 10 February 2027, € 5,000 each), the police report attached, and the
        # voornemen tot invordering sent on 22 February 2027.
        case = self.new_case()
        self.report.cases.add(case)
        lod_collection_proposed(
            case, jurist=self.owner, burgemeester=self.burgemeester,
            toezicht=self.toezicht,
        )  # fmt: skip
        views = Deadline.objects.get(case=case, legal_basis=COLLECTION_VIEWS_BASIS)
        with on_day(LOD_COLLECTION_PROPOSED_ON):
            self.assert_refused(
                "voornemen_invordering", fields=["forfeitures"], case=case,
                date=LOD_COLLECTION_PROPOSED_ON.isoformat(),
                zienswijze_deadline=views.end_date.isoformat(),
                forfeitures=rows, total_amount="10000.00",
            )  # fmt: skip

    def test_all_copying_inputs_are_named_with_the_missing_ones(self):
        # The closure letter is offered once a closure order is taken: a
        # second violation, for which the policy proposes a closure of three
        # months; the police report attached to the case.
        case = self.new_case()
        self.report.cases.add(case)
        with self.assertRaises(PermissionDenied):
            self.generate("besluit_sluiting", case=case)
        lod_order_decided(
            case, jurist=self.owner, burgemeester=self.burgemeester, violation=2
        )
        error = self.assert_refused(
            "besluit_sluiting",
            case=case,
            fields=["violation", "proportionality"],
            violation=REPORT,
            proportionality=f"Gelet op {REPORT} is sluiting evenredig.",
            beleidsregel="",
        )
        self.assertEqual(error.missing, ["beleidsregel"])
        self.assertIn("(Awb 3:46 en 4:84)", str(error))

    def test_own_words_pass(self):
        document = self.generate(violation=OWN_WORDS)
        self.assertEqual(document.template_key, "waarschuwing_lod")

    def test_seven_words_in_common_are_ordinary_phrasing(self):
        # "een zak met 42 gram cocaïne en" is seven words of the report.
        document = self.generate(
            violation="Er is een zak met 42 gram cocaïne en meer gevonden."
        )
        self.assertEqual(document.version, 1)

    def test_only_police_reports_of_this_case_count(self):
        other_case = self.warn(self.new_case())
        self.generate(case=other_case, violation=REPORT)
        tip = self.signal(
            "Buren melden dat er dagelijks mensen kort bij de woning aan de "
            "Kerkstraat aanbellen",
            DataClass.D0,
        )
        tip.cases.add(self.case)
        self.generate(
            violation="Buren melden dat er dagelijks mensen kort bij de woning aan "
            "de Kerkstraat aanbellen."
        )

    def test_a_request_to_the_lbb_is_not_a_letter_to_the_person_concerned(self):
        # The Bibob coordinator's case, with the police report attached: the
        # request to the LBB may quote it (it is stored as D5).
        bibob = self.make_user("bibob", Role.BIBOB, self.gemeente)
        case = services.case_open(
            user=bibob, case_type=CaseType.BIBOB, title="Aanvraag"
        )
        self.report.cases.add(case)
        inputs = {
            **INPUTS["lbb_adviesaanvraag"],
            "reference": case.reference,
            "findings_summary": f"Politie-infodesk: {REPORT}.",
        }
        # The request is made once the advice is requested (Wet Bibob art 9).
        with self.assertRaises(PermissionDenied):
            documents.document_generate(
                case=case, user=bibob, template_key="lbb_adviesaanvraag",
                inputs=inputs,
            )  # fmt: skip
        bibob_advice_requested(case, bibob)
        document = documents.document_generate(
            case=case, user=bibob, template_key="lbb_adviesaanvraag", inputs=inputs
        )
        self.assertEqual(
            (document.template_key, document.data_class), ("lbb_adviesaanvraag", "D5")
        )

    def test_the_letter_form_never_prefills_from_signals(self):
        lod_assessment_record(
            case=self.case, user=self.owner, found_on=date(2026, 3, 1),
            premises_kind="woning", substance="hard", grams=Decimal("42"),
            violation=1,
        )  # fmt: skip
        for key in pdf.TEMPLATES:
            initial = initial_for(self.case, key)
            with self.subTest(key=key):
                for value in initial.values():
                    self.assertNotIn("keukenkast", str(value))
                    self.assertNotIn("doorzoeking", str(value))
