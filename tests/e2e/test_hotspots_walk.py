"""The beheerder imports area boundaries and the coordinator opens the
hotspot map and an address from it, in a real browser (Debian's Chromium,
Selenium) against a live server (issue 18 item 1, docs/hotspots.md)."""

import json
import tempfile
from datetime import timedelta
from pathlib import Path

from django.test import tag
from django.utils import timezone

import pytest

from casework.models import Location, Signal
from hotspots import rebuild
from permissions.models import Organisation, Role

from .base import ChromiumTestCase, make_user

Q4 = [[209000, 375700], [210200, 375600], [210300, 376900], [209200, 377000],
      [209000, 375700]]  # fmt: skip


@tag("browser")
@pytest.mark.browser
class HotspotsWalk(ChromiumTestCase):
    def setUp(self):
        gemeente = Organisation.objects.create(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        make_user("beheerder", gemeente, Role.BEHEERDER)
        coordinator = make_user("coordinator", gemeente, Role.COORDINATOR)
        self.address = Location.objects.create(
            street="Nolensplein", house_number=5, postcode="5912 CD", city="Venlo",
            area="Q4", x=209600, y=376300,
        )  # fmt: skip
        for n in range(6):
            signal = Signal.objects.create(
                reference=f"2026-SIG-{n + 1:04}", source="burger",
                received_on=timezone.localdate() - timedelta(days=n), summary="Test",
                source_organisation=gemeente, registered_by=coordinator,
            )  # fmt: skip
            signal.locations.add(self.address)
        rebuild.refresh()
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.file = Path(folder.name) / "gebieden.geojson"
        self.file.write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"naam": "Q4"},
                            "geometry": {"type": "Polygon", "coordinates": [Q4]},
                        }
                    ],
                }
            )
        )

    def test_areas_imported_then_the_map_and_an_address(self):
        from selenium.webdriver.common.by import By

        self.log_in("beheerder")
        self.browser.get(self.live_server_url + "/hotspots/areas/import/")
        self.wait_for_text("Gebiedsgrenzen inlezen")
        self.browser.find_element(By.ID, "id_file").send_keys(str(self.file))
        self.press("Uploaden en controleren")
        self.wait_for_text("Voorbeeld van de import")
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, "svg polygon"))
        self.press("Importeren")
        self.wait_for_text("1 regel geïmporteerd")

        self.log_in("coordinator")
        self.browser.get(self.live_server_url + "/hotspots/map/")
        self.wait_for_text("Hotspotkaart")
        self.assertEqual(
            len(self.browser.find_elements(By.CSS_SELECTOR, "svg polygon.area")), 1
        )
        self.browser.find_element(By.CSS_SELECTOR, "#map-rows a").click()
        self.wait_for_text("Signalen per bron")
        self.assertIn("Nolensplein 5", self.main_text())
