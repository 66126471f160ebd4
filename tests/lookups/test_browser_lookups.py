"""Adding a location by postcode lookup, in a real browser (Debian's Chromium
through Selenium) against a live server and the fake BAG as a real server:
the jurist looks the address up, the form is filled, the jurist saves it."""

from django.test import override_settings, tag

import pytest

from casework import services
from permissions.models import Organisation, Role
from tests.e2e.base import ChromiumTestCase, make_user

from .server import API_KEY, settings_for


@tag("browser")
@pytest.mark.browser
class LocationLookupBrowserTests(ChromiumTestCase):
    @classmethod
    def setUpClass(cls):
        from lookups import fake

        cls.fake = fake.start_in_thread(API_KEY)
        base = f"http://127.0.0.1:{cls.fake.server_port}"
        cls._lookup_settings = override_settings(**settings_for(base))
        cls._lookup_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._lookup_settings.disable()
        cls.fake.shutdown()
        cls.fake.server_close()

    def test_add_a_location_by_postcode(self):
        from selenium.webdriver.common.by import By

        gemeente = Organisation.objects.create(name="Gemeente Venlo", kind="gemeente")
        jurist = make_user("jurist", gemeente, Role.JURIST)
        case = services.case_open(user=jurist, case_type="LOD", title="Overlast Q4")
        self.log_in("jurist")
        self.browser.get(f"{self.live_server_url}/cases/{case.reference}/")
        self.browser.get(
            self.live_server_url + f"/cases/{case.reference}/locations/add/"
        )
        self.fill("lookup_postcode", "5912ab")
        self.fill("lookup_huisnummer", "12")
        self.fill("lookup_huisletter", "a")
        self.press("Zoek adres")
        self.wait_for_text("Het adres is ingevuld uit de BAG")
        fields = ("street", "house_number", "addition", "postcode", "city", "bag_id")
        values = [
            self.browser.find_element(By.ID, f"id_{f}").get_attribute("value")
            for f in fields
        ]
        self.assertEqual(
            values, ["Vleesstraat", "12", "A", "5912 AB", "Venlo", "0983010000000102"]
        )
        self.assertIn("Coördinaten (RD): 209314.00, 376425.00", self.main_text())
        self.select("id_role", "premises")
        self.press("Opslaan")
        self.wait_for_text("Vleesstraat 12")
        location = case.locations.get().location
        self.assertEqual(
            (
                location.street,
                location.house_number,
                location.addition,
                location.bag_id,
            ),
            ("Vleesstraat", 12, "A", "0983010000000102"),
        )
