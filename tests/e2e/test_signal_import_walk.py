"""A police liaison imports a file of MMA reports in a real browser (Debian's
Chromium, driven by Selenium) against a live server: the first file has
errors, the preview shows them per line and offers no import; the corrected
file is previewed and imported, and the gemeente's coordinator finds the
signals for triage (issue 17 item 6, docs/import.md). Like `test_browser.py`:
`make install` installs Chromium where it can."""

import tempfile
from datetime import timedelta
from pathlib import Path

from django.test import tag
from django.utils import timezone

import pytest

from permissions.models import Organisation, Role

from .base import ChromiumTestCase, make_user

HEADER = (
    "kenmerk;ontvangen_op;samenvatting;dataklasse;postcode;huisnummer;plaats;"
    "persoon_naam;persoon_bsn"
)
PERSON = "Hennepgeur bij woning;D3;5911 AB;12;Venlo;J. de Vries"


@tag("browser")
@pytest.mark.browser
class SignalImportWalk(ChromiumTestCase):
    def setUp(self):
        self.gemeente = Organisation.objects.create(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        politie = Organisation.objects.create(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        make_user("politie", politie, Role.PARTNER)
        make_user("coordinator", self.gemeente, Role.COORDINATOR)
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)

    def write(self, name, rows) -> str:
        path = self.folder / name
        path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8-sig")
        return str(path)

    def upload(self, path):
        from selenium.webdriver.common.by import By

        self.browser.find_element(
            By.CSS_SELECTOR, "input[name=kind][value=mma]"
        ).click()
        self.browser.find_element(By.ID, "id_file").send_keys(path)
        self.browser.find_element(
            By.CSS_SELECTOR, f"input[name=shared_with][value='{self.gemeente.pk}']"
        ).click()
        self.press("Voorbeeld bekijken")
        self.wait_for_text("Voorbeeld van de import")

    def test_a_file_with_errors_is_shown_corrected_and_imported(self):
        from selenium.webdriver.common.by import By

        day = (timezone.localdate() - timedelta(days=2)).strftime("%d-%m-%Y")
        self.log_in("politie")
        self.browser.get(self.live_server_url + "/signals/")
        self.press("Importeren")
        self.wait_for_text("Signalen importeren")
        self.assert_accessible()

        wrong = self.write(
            "fout.csv",
            [
                f"MMA-1;{day};{PERSON};123456789",
                "MMA-2;31-02-2025;Busjes bij loods;D3;5928AA;7;Venlo;;",
            ],
        )
        self.upload(wrong)
        self.assert_accessible()
        text = self.main_text()
        self.assertIn("2 regels bevatten fouten.", text)
        self.assertIn("persoon_bsn: Vul een geldig BSN in", text)
        self.assertIn("ontvangen_op: Geef de datum als dd-mm-jjjj of jjjj-mm-dd.", text)
        self.assertFalse(
            self.browser.find_elements(
                By.XPATH, "//main//button[normalize-space()='Importeren']"
            )
        )

        self.press("Een ander bestand uploaden")
        self.wait_for_text("Signalen importeren")
        right = self.write(
            "goed.csv",
            [
                f"MMA-1;{day};{PERSON};111222333",
                f"MMA-2;{day};Busjes bij loods;D3;5928AA;7;Venlo;;",
            ],
        )
        self.upload(right)
        self.assertIn("Het bestand bevat geen fouten.", self.main_text())
        self.assertIn("5928 AA", self.main_text())
        self.press("Importeren")
        self.wait_for_text("2 signalen geïmporteerd.")
        self.assert_accessible()
        references = [
            link.text
            for link in self.browser.find_elements(By.CSS_SELECTOR, "#import-signals a")
        ]
        self.assertEqual(len(references), 2)

        self.log_in("coordinator")
        self.browser.get(self.live_server_url + "/signals/")
        self.wait_for_text(references[0])
        text = self.main_text()
        for reference in references:
            self.assertIn(reference, text)
        self.assertIn("Politie Eenheid Limburg", text)
        # The gemeente supplies no MMA reports: no import for it.
        self.assertFalse(
            self.browser.find_elements(
                By.XPATH, "//main//a[normalize-space()='Importeren']"
            )
        )
