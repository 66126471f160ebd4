"""One walk in a real browser (Debian's Chromium, Selenium): the coordinator
opens the work plan from the menu, records a spending on "Uitbreiding Jonge
Helden" and sees the line's remainder and the programme's free budget go
down by it. Like tests/e2e: `make install` installs Chromium where it can."""

import random

from django.test import tag
from django.utils import timezone

from casework.demo import Demo, organisations_and_users
from programme import demo as programme_demo
from tests.e2e.base import ChromiumTestCase


@tag("browser")
class ProgrammeBrowserTests(ChromiumTestCase):
    def setUp(self):
        orgs, users = organisations_and_users()
        programme_demo.seed(
            Demo(
                rng=random.Random(1), today=timezone.localdate(), users=users, orgs=orgs
            )
        )

    def line_row(self):
        from selenium.webdriver.common.by import By

        for row in self.browser.find_elements(By.CSS_SELECTOR, "table.budget tbody tr"):
            if row.text.startswith("Uitbreiding Jonge Helden"):
                return row.text
        self.fail("no budget line Uitbreiding Jonge Helden")

    def test_the_coordinator_records_a_spending_and_sees_the_remainder(self):
        from selenium.webdriver.common.by import By

        self.log_in("coordinator")
        self.click_and_load(By.XPATH, "//nav//a[normalize-space()='Programma']")
        self.wait_for_text("Focus op Urgentie")
        self.press("Focus op Urgentie april 2020 – april 2021")
        self.wait_for_text("€ 335.500,00")
        # Line € 12.500, € 7.500 spent: € 5.000 free; the programme € 123.100.
        self.assertTrue(self.line_row().endswith("€ 5.000,00"), self.line_row())
        self.assertIn("is € 123.100,00 nog niet verplicht of besteed", self.main_text())
        self.assert_accessible()

        self.browser.find_element(By.CSS_SELECTOR, "#budget details summary").click()
        line = self.browser.find_element(
            By.XPATH, "//select[@id='id_line']/option[.='Uitbreiding Jonge Helden']"
        )
        self.select("id_line", line.get_attribute("value"))
        self.select("id_kind", "spending")
        self.fill("id_amount", "1.250,50")
        self.set_value("id_booked_on", "2021-02-01")
        self.fill("id_description", "Vierde sessie Jonge Helden")
        self.click_and_load(By.XPATH, "//main//button[normalize-space()='Vastleggen']")
        self.wait_for_text("Opgeslagen.")
        # 12.500 - 7.500 - 1.250,50 = 3.749,50; 123.100 - 1.250,50 = 121.849,50
        self.assertTrue(self.line_row().endswith("€ 3.749,50"), self.line_row())
        self.assertIn("is € 121.849,50 nog niet verplicht of besteed", self.main_text())
