"""The coordinator opens the indicators in a real browser (Debian's
Chromium, Selenium) against a live server, filters an area and downloads
the CSV of what the page shows (issue 18 item 2, docs/steering.md)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import tag
from django.utils import timezone

import pytest

from casework.models import Case, CaseEvent
from permissions.models import Organisation, Role
from steering import facts
from tests.e2e.base import ChromiumTestCase, make_user


@tag("browser")
@pytest.mark.browser
class SteeringWalk(ChromiumTestCase):
    def setUp(self):
        gemeente = Organisation.objects.create(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        user = make_user("coordinator", gemeente, Role.COORDINATOR)
        today = timezone.localdate()
        at = datetime(
            today.year, today.month, 1, 10, tzinfo=ZoneInfo("Europe/Amsterdam")
        )
        for n, area in enumerate(["Blerick"] * 6 + ["Tegelen"] * 2):
            case = Case.objects.create(
                reference=f"2026-LOD-{n + 1:04d}",
                case_type="LOD",
                status="A40",
                title=f"Zaak {n}",
                responsible_organisation=gemeente,
                created_by=user,
            )
            Case.objects.filter(pk=case.pk).update(area=area)
            CaseEvent.objects.create(
                case=case, actor=user, kind="status", to_status="A40", at=at
            )
        facts.refresh()

    def test_the_coordinator_filters_an_area_and_downloads_the_csv(self):
        from selenium.webdriver.common.by import By

        self.log_in("coordinator")
        self.click_and_load(By.XPATH, "//nav//a[normalize-space()='Indicatoren']")
        self.wait_for_text("Stand:")
        self.assertIn("Lasten onder dwangsom opgelegd", self.main_text())
        self.assert_accessible()
        self.select("id_area", "Blerick")
        self.press("Tonen")
        self.wait_for_text("Blerick")
        row = self.browser.find_element(
            By.XPATH, "//tr[th[normalize-space()='Lasten onder dwangsom opgelegd']]"
        )
        self.assertEqual(row.find_elements(By.TAG_NAME, "td")[-1].text, "6")
        link = self.browser.find_element(By.LINK_TEXT, "Downloaden als CSV")
        self.assertIn("area=Blerick", link.get_attribute("href"))
        status, kind, body = self.fetch(link.get_attribute("href"))
        self.assertEqual((status, kind), (200, "text/csv; charset=utf-8"))
        text = body.decode("utf-8")
        self.assertTrue(text.startswith("\ufeffWijk;"))
        line = next(x for x in text.splitlines() if ";LOD.imposed;" in x)
        self.assertTrue(line.startswith("Blerick;") and line.endswith(";6"), line)
