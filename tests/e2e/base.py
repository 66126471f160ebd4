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

# WCAG 2.1 level A and AA, as axe-core tags its rules (docs/accessibility.md).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
SMALL_SCREEN_WIDTH = 375
DESKTOP_SIZE = (1280, 1600)
# The innermost elements that reach past the window's right edge, named by
# tag, id and classes: where a sideways scroll comes from.
WIDEST_ELEMENTS = """
const w = window.innerWidth;
const past = e => e.getBoundingClientRect().right > w + 0.5;
return [...document.body.querySelectorAll("*")]
  .filter(e => past(e) && ![...e.children].some(past))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (typeof e.className === "string" && e.className.trim()
       ? "." + e.className.trim().split(/\\s+/).join(".") : ""));
"""


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
            "--disable-sync", "--window-size={},{}".format(*DESKTOP_SIZE), "--lang=nl",
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

    # Accessibility (docs/accessibility.md) ------------------------------------

    def axe_violations(self) -> list[dict]:
        """axe-core's WCAG 2.1 A/AA violations on the current page whose
        impact is serious or critical. The script is injected through the
        driver, which the page's CSP (no inline script) does not govern."""
        from selenium_axe_python import Axe

        Axe(self.browser).inject()
        results = self.browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, arguments[0])"
            ".then(done, error => done({error: String(error)}));",
            {
                "runOnly": {"type": "tag", "values": WCAG_21_AA},
                "resultTypes": ["violations"],
            },
        )
        if "error" in results:
            self.fail(
                f"axe-core failed on {self.browser.current_url}: {results['error']}"
            )
        return [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]

    def assert_accessible(self):
        """No serious or critical WCAG 2.1 A/AA violation on the current page;
        the failure names each rule, its impact and the elements' selectors."""
        violations = self.axe_violations()
        if violations:
            self.fail(
                f"{len(violations)} accessibility violation(s) on "
                f"{self.browser.current_url}:\n" + format_violations(violations)
            )

    def sideways_overflow(self) -> int:
        """How many CSS pixels the page is wider than a 375 px window (0: no
        sideways scrolling, WCAG 1.4.10 Reflow). A data table may scroll
        inside its own region; the page itself may not."""
        self.browser.set_window_size(SMALL_SCREEN_WIDTH, 800)
        try:
            inner = self.browser.execute_script("return window.innerWidth")
            self.assertEqual(inner, SMALL_SCREEN_WIDTH, "the window did not narrow")
            return self.browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
        finally:
            self.browser.set_window_size(*DESKTOP_SIZE)

    def assert_fits_small_screen(self):
        overflow = self.sideways_overflow()
        if overflow > 0:
            self.fail(
                f"{self.browser.current_url} scrolls sideways by {overflow}px "
                f"at {SMALL_SCREEN_WIDTH}px wide: widest elements "
                f"{self.widest_elements()}"
            )

    def widest_elements(self) -> list[str]:
        """The innermost elements reaching past the window's right edge, for
        the failure message (measured at the small width)."""
        self.browser.set_window_size(SMALL_SCREEN_WIDTH, 800)
        try:
            return self.browser.execute_script(WIDEST_ELEMENTS)
        finally:
            self.browser.set_window_size(*DESKTOP_SIZE)

    # The keyboard (docs/accessibility.md) ------------------------------------

    def press_keys(self, *keys):
        """Keys typed into whatever has the focus, as a person types them."""
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.browser).send_keys(*keys).perform()

    def shift_tab(self):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        chain = ActionChains(self.browser).key_down(Keys.SHIFT)
        chain.send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()

    def focused(self):
        return self.browser.switch_to.active_element

    def wait_for_focus(self, element_id: str):
        """Wait until the element with this id has the focus: the browser
        applies `autofocus` after the page has loaded, later on a busy
        machine (a CI run once found the focus still on the body)."""
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            WebDriverWait(self.browser, 10).until(
                lambda d: d.switch_to.active_element.get_attribute("id") == element_id
            )
        except TimeoutException:
            self.fail(
                f"the focus is on {self.focused().get_attribute('id')!r}, "
                f"not {element_id!r}"
            )

    def tab_to(self, matches, backwards=False, limit=150):
        """Press Tab (or Shift-Tab) until the focused element matches, and
        check on the way that every element the focus lands on shows it."""
        from selenium.webdriver.common.keys import Keys

        for _ in range(limit):
            if backwards:
                self.shift_tab()
            else:
                self.press_keys(Keys.TAB)
            element = self.focused()
            self.assert_focus_visible(element)
            if matches(element):
                return element
        self.fail(f"Tab did not reach the element on {self.browser.current_url}")

    def assert_focus_visible(self, element):
        """The focused element draws a ring (outline or box shadow) at least
        2 px wide and lies inside the window."""
        style = self.browser.execute_script(
            "const s = getComputedStyle(arguments[0]);"
            "const r = arguments[0].getBoundingClientRect();"
            "return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth),"
            " shadow: s.boxShadow, left: r.left, right: r.right,"
            " width_px: window.innerWidth};",
            element,
        )
        ring = (style["outline"] != "none" and style["width"] >= 2) or (
            style["shadow"] != "none"
        )
        label = element.get_attribute("outerHTML")[:120]
        self.assertTrue(ring, f"no visible focus on {label}")
        self.assertTrue(
            0 <= style["left"] and style["right"] <= style["width_px"],
            f"focused element outside the window: {label}",
        )


def format_violations(violations: list[dict]) -> str:
    """One block per rule: id, impact, what it checks, and each element's
    selector with axe's summary of what to fix."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
        )
        for node in violation["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)
