"""A letter is stored under its own data class whichever page makes it: a
Bibob letter with advice data is D5 also when made through the general letter
page, so only the Bibob team reads it (Wet Bibob art 28)."""

from django.core.exceptions import PermissionDenied

from casework import documents
from casework.letters import DATA_CLASS_OF
from permissions.models import Role
from tests.base import BaseTestCase
from tests.case_types import bibob_advice_requested
from tests.casework.test_pdf import INPUTS
from tests.factories import CaseFactory


class LetterClassTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bibob = cls.make_user("bibob", Role.BIBOB, cls.gemeente)
        cls.bibob_case = CaseFactory(bibob=True, owner=cls.bibob)

    def test_the_registry_names_the_d5_letters(self):
        self.assertEqual(DATA_CLASS_OF["lbb_adviesaanvraag"], "D5")
        self.assertEqual(DATA_CLASS_OF["voornemen_bibob"], "D5")
        self.assertNotIn("besluit_lod", DATA_CLASS_OF)

    def test_a_d5_letter_made_without_naming_its_class_is_d5(self):
        def make():
            return documents.document_generate(
                case=self.bibob_case,
                user=self.bibob,
                template_key="lbb_adviesaanvraag",
                inputs=INPUTS["lbb_adviesaanvraag"],
            )

        # The request goes out once the advice is requested (Wet Bibob art 9).
        with self.assertRaises(PermissionDenied):
            make()
        bibob_advice_requested(self.bibob_case, self.bibob)
        document = make()
        self.assertEqual(document.data_class, "D5")
