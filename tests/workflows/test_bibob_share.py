"""Sharing the Bibob dossier under Wet Bibob art 28 lid 2: only the Bibob
coordinator on the case, only the listed recipients with their reason code,
the art 28 lid 3 warning on the document (D5), a SHARE row in the access
log; everything else refused with a Dutch error and logged as denied."""

from django.core.exceptions import PermissionDenied, ValidationError

from casework import documents
from casework.idempotency import new_token
from permissions.models import AccessLog, DataClass
from tests.casework.test_pdf import text_of
from workflows.bibob.models import BibobShare, Danger, ShareRecipient
from workflows.bibob.services import (
    RECIPIENT_NOT_LISTED,
    SHARE_NOT_ALLOWED,
    bibob_share,
)

from .test_bibob_states import INVESTIGATED, BibobTestCase, conclude

SHARE = {
    "recipient_code": "28.2.e",
    "recipient_name": "Bezwaarschriftencommissie gemeente Venlo",
    "purpose": "Behandeling van het bezwaar tegen de weigering.",
    "shared_data": "Conclusie: ernstig gevaar, grond a.",
}


class ShareTests(BibobTestCase):
    def setUp(self):
        self.go(INVESTIGATED)
        conclude(Danger.ERNSTIG, a=True)(self, self.case)

    def url(self):
        return f"/cases/{self.case.reference}/bibob/share/"

    def test_the_recipients_are_exactly_the_fifteen_of_lid_2(self):
        self.assertEqual(
            ShareRecipient.values, [f"28.2.{letter}" for letter in "abcdefghijklmno"]
        )
        self.assertEqual(
            ShareRecipient("28.2.d").legal_basis, "Wet Bibob art 28 lid 2 onder d"
        )

    def test_a_share_makes_the_document_the_dossier_row_and_the_log_row(self):
        share = bibob_share(case=self.case, user=self.bibob, **SHARE)
        self.assertEqual(
            (share.recipient_code, share.recipient_name, share.shared_by),
            ("28.2.e", SHARE["recipient_name"], self.bibob),
        )
        document = share.document
        self.assertEqual(
            (document.template_key, document.data_class),
            ("verstrekking_bibob", DataClass.D5),
        )
        text = text_of(bytes(document.content))
        for expected in (
            "artikel 28, tweede lid, onder e",
            "de bezwaarschriftencommissie",
            "Redencode 28.2.e",
            "Geheimhoudingsplicht (artikel 28 Wet Bibob)",
            "artikel 28, derde lid",
            "artikel 272 van het Wetboek van Strafrecht",
            "Conclusie: ernstig gevaar, grond a.",
        ):
            with self.subTest(expected=expected):
                self.assertIn(expected, text)
        row = AccessLog.objects.filter(action=AccessLog.Action.SHARE).get()
        self.assertEqual(
            (
                row.username, row.object_id, row.data_class, row.case_reference,
                row.recipient, row.legal_basis_code, row.purpose_code, row.result,
            ),
            (
                "bibob", str(document.pk), "D5", self.case.reference,
                SHARE["recipient_name"], "Wet Bibob art 28 lid 2 onder e", "28.2.e",
                "ok",
            ),
        )  # fmt: skip

    def test_the_betrokkene_gets_the_warning_of_lid_3_word_for_word(self):
        share = bibob_share(
            case=self.case, user=self.bibob,
            **{**SHARE, "recipient_code": "28.2.a", "recipient_name": "Jan Jansen"},
        )  # fmt: skip
        text = text_of(bytes(share.document.content))
        self.assertIn("gegevens over anderen dan uzelf geheim te houden", text)

    def test_a_recipient_outside_lid_2_is_refused(self):
        # The message is a gettext string: Dutch once /work/pending_nl/bibob.po
        # is merged into locale/nl.
        for code in ("politie", "woningcorporatie", "28.2.p", "28.3"):
            with self.subTest(code=code):
                with self.assertRaisesMessage(
                    ValidationError, str(RECIPIENT_NOT_LISTED)
                ):
                    bibob_share(
                        case=self.case, user=self.bibob,
                        **{**SHARE, "recipient_code": code},
                    )  # fmt: skip
        self.assertFalse(BibobShare.objects.exists())

    def test_the_reason_code_and_the_purpose_are_mandatory(self):
        for missing in ({"recipient_code": ""}, {"purpose": "  "}):
            with self.subTest(missing=missing):
                with self.assertRaises(ValidationError):
                    bibob_share(case=self.case, user=self.bibob, **{**SHARE, **missing})

    def test_only_the_bibob_coordinator_on_the_case_shares(self):
        outsider_bibob = self.make_user("bibob3", "bibob", self.gemeente)
        for user in (self.burgemeester, outsider_bibob, self.owner, self.fg):
            with self.subTest(user=user.username):
                with self.assertRaisesMessage(PermissionDenied, str(SHARE_NOT_ALLOWED)):
                    bibob_share(case=self.case, user=user, **SHARE)
        bibob_share(case=self.case, user=self.bibob2, **SHARE)

    def test_the_share_page_is_for_the_coordinator_only(self):
        for user, status in (
            (self.bibob, 200), (self.burgemeester, 404), (self.owner, 404),
            (self.fg, 404),
        ):  # fmt: skip
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.url()).status_code, status)

    def test_the_page_shares_and_a_refusal_is_logged_as_denied(self):
        self.login(self.bibob)
        response = self.client.post(
            self.url(),
            {**SHARE, "recipient_code": "politie", "form_token": new_token()},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(RECIPIENT_NOT_LISTED))
        denied = AccessLog.objects.get(action=AccessLog.Action.SHARE)
        self.assertEqual(
            (denied.result, denied.recipient), ("denied", SHARE["recipient_name"])
        )
        response = self.client.post(self.url(), {**SHARE, "form_token": new_token()})
        self.assertRedirects(
            response,
            f"/cases/{self.case.reference}/bibob/",
            fetch_redirect_response=False,
        )
        share = BibobShare.objects.get()
        page = self.client.get(f"/cases/{self.case.reference}/bibob/")
        self.assertContains(page, SHARE["recipient_name"])
        # The shared document stays behind the wall: D5, not for a jurist.
        self.assertNotIn(
            share.document, documents.documents_for_user(self.owner, self.case)
        )
        self.assertIn(
            share.document, documents.documents_for_user(self.bibob, self.case)
        )
