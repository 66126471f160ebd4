"""What every browser walk shares: Debian's Chromium driven by Selenium against
a live server, a demo-like user, and logging in. `make install` installs
Chromium where it can; without it the walks fail with a clear message."""

import shutil

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
