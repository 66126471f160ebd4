"""One sign-in as a person makes it, in Chromium: the button on Casework's
login page, the provider's own login form, and back on Mijn werk."""

from django.test import tag

import pytest

from permissions.models import Organisation
from tests.e2e.base import ChromiumTestCase

from .base import ProviderMixin
from .oidc import PASSWORD

pytestmark = pytest.mark.browser


@tag("browser")
class ProviderSignInBrowserTests(ProviderMixin, ChromiumTestCase):
    @property
    def base_url(self):
        return self.live_server_url

    def setUp(self):
        self.make_organisations_and_provider()
        super().setUp()

    def test_the_button_leads_through_the_provider_to_mijn_werk(self):
        from selenium.webdriver.common.by import By

        self.provider.put_user(
            "jdevries",
            {"role": "handhaving", "given_name": "Jan", "family_name": "de Vries"},
        )
        self.browser.delete_all_cookies()
        self.browser.get(self.live_server_url + "/accounts/login/")
        self.click_and_load(By.LINK_TEXT, "Inloggen via Gemeente Venlo")
        self.assertTrue(self.browser.current_url.startswith(self.provider.origin))
        self.browser.find_element(By.ID, "id_username").send_keys("jdevries")
        self.browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
        self.click_and_load(By.ID, "provider-login")
        self.browser.find_element(By.ID, "my-cases")
        self.assertEqual(self.browser.current_url, self.live_server_url + "/")
        self.assertIn("Mijn werk", self.browser.find_element(By.TAG_NAME, "h1").text)
        self.assertIn(
            Organisation.objects.get(name="Gemeente Venlo").name,
            self.browser.find_element(By.TAG_NAME, "header").text,
        )
