"""Stored letters: validation before storage, immutability, versions, access."""

import hashlib
import io
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import TestCase

from pypdf import PdfReader

from casework import documents, pdf, services
from casework.models import Document
from permissions.models import AccessLog, Membership, Organisation, Role
from tests.case_types import (
    CaseType,
    bibob_intention_sent,
    lod_intention_sent,
    lod_penalty_order_decided,
)
from workflows.lod.handhavingsmatrix import seed_example_policy


def make_user(username, org, role):
    user = get_user_model().objects.create_user(username=username, password="x")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


VOORNEMEN = {
    "reference": "",
    "date": "2026-11-02",
    "recipient_name": "Bilal Vrĳhoef",
    "recipient_address": ["Maasbreeweg 88", "5914 BC Venlo"],
    "premises_address": "Maasbreeweg 88, 5914 BC Venlo",
    "violation": "In de woning is een handelshoeveelheid harddrugs aangetroffen.",
    "legal_basis": "artikel 13b, eerste lid, Opiumwet",
    "measure_description": "Geen drugs meer verkopen of aanwezig hebben in de woning.",
    "amount_per_violation": "5000.00",
    "maximum_amount": "15000.00",
    # What the amount is per, as the recorded order says (Awb 5:32b lid 1).
    "amount_basis": "per_violation",
    "zienswijze_deadline": "2026-11-16",
}


def text_of(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )


class DocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        gemeente = Organisation.objects.create(name="Gemeente", kind="gemeente")
        politie = Organisation.objects.create(name="Politie", kind="politie")
        cls.jurist = make_user("jurist", gemeente, Role.JURIST)
        cls.partner = make_user("partner", politie, Role.PARTNER)
        cls.outsider = make_user("outsider", gemeente, Role.JURIST)
        cls.fg = make_user("fg", gemeente, Role.FG)
        cls.case = services.case_open(
            user=cls.jurist, case_type=CaseType.LOD, title="Drugshandel"
        )
        services.case_team_add(
            case=cls.case, user=cls.jurist, member=cls.partner, team_role="contributor"
        )
        # The voornemen letter is offered once the voornemen step exists.
        cls.case = lod_intention_sent(cls.case, cls.jurist)
        cls.inputs = dict(VOORNEMEN, reference=cls.case.reference)

    def generate(self, **overrides):
        return documents.document_generate(
            case=self.case,
            user=self.jurist,
            template_key="voornemen_lod",
            inputs=dict(self.inputs, **overrides),
        )

    def test_generated_letter_is_stored_with_version_inputs_and_hash(self):
        document = self.generate()
        content = bytes(document.content)
        self.assertEqual(document.version, 1)
        self.assertEqual(
            document.template_version, pdf.get_template("voornemen_lod").version
        )
        self.assertEqual(document.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual(document.inputs["maximum_amount"], "15000.00")
        text = text_of(content)
        self.assertIn(self.case.reference, text)
        self.assertIn("Vrĳhoef", text)
        self.assertIn("15.000,00", text)

    def test_correction_is_a_new_version_that_supersedes_the_old(self):
        first = self.generate()
        second = self.generate(maximum_amount="20000.00")
        self.assertEqual(second.version, 2)
        self.assertEqual(second.supersedes_id, first.pk)
        first.refresh_from_db()
        self.assertIn("15.000,00", text_of(bytes(first.content)))

    def test_documents_cannot_be_changed(self):
        document = self.generate()
        document.title = "Anders"
        with self.assertRaises(PermissionError):
            document.save()
        with self.assertRaises(PermissionError):
            Document.objects.filter(pk=document.pk).update(title="Anders")

    def test_missing_maximum_blocks_the_besluit_and_stores_nothing(self):
        inputs = dict(
            self.inputs,
            herstelmaatregel="x",
            begunstigingstermijn="2 weken",
            beleidsregel="Damoclesbeleid 2026",
        )
        inputs.pop("maximum_amount")
        # No besluit letter before the besluit (Awb: the letter records it).
        with self.assertRaises(PermissionDenied):
            documents.document_generate(
                case=self.case, user=self.jurist, template_key="besluit_lod",
                inputs=dict(self.inputs, herstelmaatregel="x",
                            begunstigingstermijn="2 weken",
                            beleidsregel="Damoclesbeleid 2026"),
            )  # fmt: skip
        # The burgemeester takes the besluit: a last onder dwangsom with a
        # begunstigingstermijn of two weeks and a maximum of € 15,000.
        seed_example_policy()
        burgemeester = make_user(
            "burgemeester", Organisation.objects.get(name="Gemeente"),
            Role.BURGEMEESTER,
        )  # fmt: skip
        services.case_team_add(
            case=self.case, user=self.jurist, member=burgemeester, team_role="member"
        )
        lod_penalty_order_decided(
            self.case, jurist=self.jurist, burgemeester=burgemeester,
            preventive=False, grace_days=14,
        )  # fmt: skip
        with self.assertRaises(pdf.LetterValidationError) as caught:
            documents.document_generate(
                case=self.case,
                user=self.jurist,
                template_key="besluit_lod",
                inputs=inputs,
            )
        self.assertIn("maximum_amount", caught.exception.missing)
        self.assertIn("Awb 5:32b lid 2", str(caught.exception))
        # The bezwaar clause is generated from the competence, never missing.
        self.assertNotIn("rechtsmiddelenclausule", caught.exception.missing)
        self.assertFalse(Document.objects.exists())

    def test_read_only_partner_cannot_make_letters(self):
        with self.assertRaises(PermissionDenied):
            documents.document_generate(
                case=self.case, user=self.partner, template_key="voornemen_lod",
                inputs=self.inputs,
            )  # fmt: skip

    def test_download_respects_access(self):
        document = self.generate()
        url = document.get_absolute_url()
        self.client.force_login(self.jurist)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertEqual(hashlib.sha256(response.content).hexdigest(), document.sha256)
        for user in (self.outsider, self.fg):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 404, user.username)

    def test_download_of_a_bibob_document_is_logged_and_walled(self):
        gemeente = Organisation.objects.get(name="Gemeente")
        bibob = make_user("bibob", gemeente, Role.BIBOB)
        burgemeester = make_user("burgemeester", gemeente, Role.BURGEMEESTER)
        case = services.case_open(user=bibob, case_type=CaseType.BIBOB, title="Horeca")
        services.case_team_add(
            case=case, user=bibob, member=burgemeester, team_role="member"
        )
        inputs = {
            "reference": case.reference, "date": "2026-11-02",
            "recipient_name": "Snackbar De Kamp",
            "recipient_address": ["Prinsenhof 4", "5924 AB Venlo"],
            "intended_decision": "weigering", "grounds": ["a"],
            "degree_of_danger": "ernstig", "zienswijze_deadline": "2026-11-16",
        }  # fmt: skip
        # No voornemen letter before the voornemen (Wet Bibob art 33).
        with self.assertRaises(PermissionDenied):
            documents.document_generate(
                case=case, user=bibob, template_key="voornemen_bibob",
                data_class="D5", inputs=inputs,
            )  # fmt: skip
        # Serious danger on ground a, and the burgemeester's voornemen tot
        # weigering sent on 2 November 2026 with two weeks for views.
        case = bibob_intention_sent(
            case, bibob, burgemeester, sent_on=date(2026, 11, 2)
        )
        document = documents.document_generate(
            case=case, user=bibob, template_key="voornemen_bibob", data_class="D5",
            inputs=inputs,
        )  # fmt: skip
        self.assertIn("272", text_of(bytes(document.content)))
        self.client.force_login(burgemeester)
        self.assertEqual(self.client.get(document.get_absolute_url()).status_code, 200)
        entry = AccessLog.objects.get()
        self.assertEqual(
            (entry.username, entry.action, entry.data_class, entry.case_reference),
            ("burgemeester", "export", "D5", case.reference),
        )
        for user in (self.jurist, self.partner):
            self.client.force_login(user)
            self.assertEqual(
                self.client.get(document.get_absolute_url()).status_code, 404
            )


class LetterFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        gemeente = Organisation.objects.create(name="Gemeente", kind="gemeente")
        cls.jurist = make_user("jurist", gemeente, Role.JURIST)
        cls.case = services.case_open(
            user=cls.jurist, case_type=CaseType.LOD, title="Drugshandel"
        )

    def test_letter_made_through_the_form_once_per_submit(self):
        self.client.force_login(self.jurist)
        url = f"/cases/{self.case.reference}/documents/new/"
        # No voornemen form before the voornemen step (A10 → A20).
        page = self.client.get(url, {"template": "voornemen_lod"})
        self.assertEqual(page.status_code, 404)
        self.case = lod_intention_sent(self.case, self.jurist)
        page = self.client.get(url, {"template": "voornemen_lod"})
        self.assertEqual(page.status_code, 200)
        token = page.context["form"].initial["form_token"]
        data = {
            "template": "voornemen_lod", "form_token": token,
            "reference": self.case.reference, "date": "2026-11-02",
            "recipient_name": "Bilal Vrĳhoef",
            "recipient_address": "Maasbreeweg 88\n5914 BC Venlo",
            "premises_address": "Maasbreeweg 88, 5914 BC Venlo",
            "violation": "Handelshoeveelheid harddrugs.",
            "legal_basis": "artikel 13b, eerste lid, Opiumwet",
            "measure_description": "Geen drugs in de woning.",
            "amount_per_violation": "5000", "maximum_amount": "15000",
            "amount_basis": "per_violation",
            "zienswijze_deadline": "2026-11-16",
        }  # fmt: skip
        first = self.client.post(url, data)
        second = self.client.post(url, data)
        self.assertRedirects(first, self.case.get_absolute_url())
        self.assertRedirects(second, self.case.get_absolute_url())
        document = Document.objects.get()
        self.assertEqual(
            document.inputs["recipient_address"], ["Maasbreeweg 88", "5914 BC Venlo"]
        )

    def test_a_refusal_is_shown_once_and_the_input_is_kept(self):
        self.case = lod_intention_sent(self.case, self.jurist)
        self.client.force_login(self.jurist)
        url = f"/cases/{self.case.reference}/documents/new/"
        page = self.client.get(url, {"template": "voornemen_lod"})
        data = {
            "template": "voornemen_lod",
            "form_token": page.context["form"].initial["form_token"],
            "reference": self.case.reference, "date": "2026-11-02",
            "recipient_name": "Bilal Vrĳhoef",
            "recipient_address": "Maasbreeweg 88\n5914 BC Venlo",
            "premises_address": "Maasbreeweg 88, 5914 BC Venlo",
            "violation": "Handelshoeveelheid harddrugs.",
            "legal_basis": "artikel 13b, eerste lid, Opiumwet",
            "measure_description": "Geen drugs in de woning.",
            # The maximum below the amount per violation (Awb 5:32b lid 2).
            "amount_per_violation": "5000", "maximum_amount": "1000",
            "amount_basis": "per_violation",
            "zienswijze_deadline": "2026-11-16",
        }  # fmt: skip
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].non_field_errors()
        self.assertEqual(len(errors), 1)
        html = response.content.decode()
        self.assertEqual(html.count(str(errors[0]).replace("'", "&#x27;")), 1)
        self.assertIn("Bilal Vrĳhoef", html)
        self.assertFalse(Document.objects.exists())

    def test_form_shows_the_legal_reason_when_generation_is_blocked(self):
        self.client.force_login(self.jurist)
        url = f"/cases/{self.case.reference}/documents/new/"
        # No besluit form before the besluit: not on a fresh case, not after
        # the voornemen.
        self.assertEqual(
            self.client.get(url, {"template": "besluit_lod"}).status_code, 404
        )
        self.case = lod_intention_sent(self.case, self.jurist)
        self.assertEqual(
            self.client.get(url, {"template": "besluit_lod"}).status_code, 404
        )
        # The burgemeester takes the besluit (A40): the form is offered.
        seed_example_policy()
        burgemeester = make_user(
            "burgemeester", Organisation.objects.get(name="Gemeente"),
            Role.BURGEMEESTER,
        )  # fmt: skip
        services.case_team_add(
            case=self.case, user=self.jurist, member=burgemeester, team_role="member"
        )
        lod_penalty_order_decided(
            self.case, jurist=self.jurist, burgemeester=burgemeester
        )
        page = self.client.get(url, {"template": "besluit_lod"})
        self.assertEqual(page.status_code, 200)
        form = page.context["form"]
        # The bezwaar clause follows from the competence (casework/competence.py):
        # nothing to type.
        self.assertNotIn("rechtsmiddelenclausule", form.fields)
