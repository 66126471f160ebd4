"""What every browser walk shares: Debian's Chromium driven by Selenium against
a live server, a demo-like user, logging in, and the few gestures a walk is
made of (press a step, fill a field, submit, read the case page's "Nog niet
mogelijk"). `make install` installs Chromium where it can; without it the
walks fail with a clear message."""

import shutil
import urllib.error
import urllib.request

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from permissions.models import Membership

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


def make_user(username, org, role):
    user = get_user_model().objects.create_user(username=username, password="demo")
    Membership.objects.create(user=user, organisation=org, role=role)
    return user


class ChromiumTestCase(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        if not (CHROMIUM and CHROMEDRIVER):
            raise RuntimeError(
                "Chromium and chromedriver are needed for the browser tests: "
                "run `make install` as root, or install Debian's chromium and "
                "chromium-driver."
            )
        super().setUpClass()
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        for arg in (
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--window-size=1280,1600", "--lang=nl",
        ):  # fmt: skip
            options.add_argument(arg)
        options.binary_location = CHROMIUM
        cls.browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        cls.browser.implicitly_wait(5)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        super().tearDownClass()

    def log_in(self, username):
        from selenium.webdriver.common.by import By

        self.browser.delete_all_cookies()
        self.browser.get(self.live_server_url + "/accounts/login/")
        self.browser.find_element(By.ID, "id_username").send_keys(username)
        self.browser.find_element(By.ID, "id_password").send_keys("demo")
        self.browser.find_element(By.CSS_SELECTOR, "main form button").click()
        self.browser.find_element(By.ID, "my-cases")

    # Gestures ---------------------------------------------------------------

    def wait_for_text(self, text):
        """Wait for the page the last click loads, then check it shows text."""
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            WebDriverWait(self.browser, 10).until(lambda d: text in d.page_source)
        except TimeoutException:
            self.fail(
                f"{text!r} did not appear on {self.browser.current_url}:\n"
                f"{self.main_text()[:2000]}"
            )

    def click_and_load(self, *locator):
        """Find the element when the page has finished loading, click it, and
        wait until the browser has left the page: a form page shown again with
        its errors looks like the one before. A page still being replaced when
        the element was found (the browser answers "stale" or "node does not
        belong to the document") is waited for and the element found again."""
        from selenium.common.exceptions import (
            StaleElementReferenceException,
            WebDriverException,
        )
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        for attempt in range(3):
            WebDriverWait(self.browser, 10).until(
                lambda d: d.execute_script("return document.readyState") == "complete"
            )
            try:
                page = self.browser.find_element(By.TAG_NAME, "html")
                self.browser.find_element(*locator).click()
            except (StaleElementReferenceException, WebDriverException):
                if attempt == 2:
                    raise
                continue
            WebDriverWait(self.browser, 10).until(lambda d, page=page: self.gone(page))
            return

    @staticmethod
    def gone(element) -> bool:
        """Whether the element's page has been replaced. Chromium answers a
        question about an element of a replaced page either "stale" or "node
        does not belong to the document" (Selenium's staleness_of knows
        only the first)."""
        from selenium.common.exceptions import (
            StaleElementReferenceException,
            WebDriverException,
        )

        try:
            element.is_enabled()
        except (StaleElementReferenceException, WebDriverException):
            return True
        return False

    def press(self, label):
        """The button or link in the page's main part labelled so."""
        from selenium.webdriver.common.by import By

        self.click_and_load(
            By.XPATH,
            f"//main//*[self::button or self::a][normalize-space()='{label}']",
        )

    def submit(self):
        """The page's (first) form: a step's, a letter's, a small form's."""
        from selenium.webdriver.common.by import By

        self.click_and_load(By.CSS_SELECTOR, "main form button")

    def fill(self, field_id, value):
        from selenium.webdriver.common.by import By

        element = self.browser.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)

    def set_value(self, field_id, value):
        """Date and time inputs: set as the LOD walk does, locale-free."""
        from selenium.webdriver.common.by import By

        self.browser.execute_script(
            "arguments[0].value = arguments[1]",
            self.browser.find_element(By.ID, field_id),
            value.isoformat() if hasattr(value, "isoformat") else value,
        )

    def select(self, field_id, value):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        Select(self.browser.find_element(By.ID, field_id)).select_by_value(value)

    def main_text(self):
        from selenium.common.exceptions import NoSuchElementException
        from selenium.webdriver.common.by import By

        try:
            return self.browser.find_element(By.TAG_NAME, "main").text
        except NoSuchElementException:
            return self.browser.page_source

    def not_yet(self) -> str:
        """The case page's "Nog niet mogelijk": the steps the user's role
        takes that the law still refuses, each with its rule, one a line."""
        from selenium.webdriver.common.by import By

        section = self.browser.find_element(
            By.CSS_SELECTOR, "section[aria-labelledby=next-steps]"
        )
        self.assertIn("Nog niet mogelijk", section.text)
        return section.find_element(By.CSS_SELECTOR, "ul.blocked-steps").text

    def fetch(self, url):
        """GET with the browser's session: (status, content type, body)."""
        session = self.browser.get_cookie("sessionid")["value"]
        request = urllib.request.Request(
            url, headers={"Cookie": f"sessionid={session}"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return (
                    response.status,
                    response.headers["Content-Type"],
                    response.read(),
                )
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers["Content-Type"], exc.read()
