"""Accessibility and small screens (issue 15 item 7, docs/accessibility.md):
every kind of page, as a user who may open it, has no serious or critical
WCAG 2.1 A/AA violation that axe-core finds, and at 375 px wide the page does
not scroll sideways; one workflow is walked by keyboard alone.

The walks of every case type and role run on the demo (`seed_demo`): every
case type with cases in several states, deadlines, objections, signals and a
shielded PGA file. The case pages are found the way a user finds them, by
following the links of each case type's case page and menu, so a page a case
type adds is checked without being named here. The other tests make the one
or two users they need."""

import re
from unittest import skipIf
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings, tag
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from casework import services
from casework.models import Case, Deadline, Signal
from casework.registry import registry
from permissions.models import CaseAccess, Organisation, Role

from .base import (
    DESKTOP_SIZE,
    SMALL_SCREEN_WIDTH,
    ChromiumTestCase,
    format_violations,
    make_user,
)

# Links of a case page that are no page: the process picture, downloads.
NOT_A_PAGE = re.compile(r"process\.svg$|/documents/\d+/$")


# The audit reads the markup, which does not depend on the database: it runs
# once, in the SQLite run of CI (the browser walks that drive the workflows
# run on both). On PostgreSQL it doubled the longest run's browser time.
@skipIf(
    connection.vendor == "postgresql",
    "the markup audit runs once, on SQLite (docs/accessibility.md)",
)
@tag("browser")
class AccessibilityTests(ChromiumTestCase):
    def setUp(self):
        self.problems = []
        self.checked = []

    def seed_demo(self):
        """The demo, for the tests that walk every case type and role; the
        others make the one or two users they need (loading the demo takes
        the better part of a minute on a busy machine)."""
        call_command("seed_demo", verbosity=0)

    def user(self, username, role, kind="gemeente"):
        organisation, _ = Organisation.objects.get_or_create(
            name=f"{kind.title()} Venlo", kind=kind
        )
        return make_user(username, organisation, role)

    # The check of one page -------------------------------------------------

    def check(self, path, status=200):
        """Open path, make sure it is the page meant (its HTTP status, no
        redirect), and note its axe violations and sideways overflow."""
        url = self.live_server_url + path
        self.browser.get(url)
        self.assertEqual(
            urlsplit(self.browser.current_url).path,
            urlsplit(url).path,
            f"{path} redirected",
        )
        if self.browser.get_cookie("sessionid"):
            self.assertEqual(self.fetch(url)[0], status, path)
        self.check_current(path)

    def check_current(self, label):
        """The page the browser shows now (also one reached by a POST)."""
        self.checked.append(label)
        violations = self.axe_violations()
        if violations:
            self.problems.append(f"{label}:\n{format_violations(violations)}")
        overflow = self.sideways_overflow()
        if overflow > 0:
            self.problems.append(
                f"{label}: scrolls sideways by {overflow}px at 375px "
                f"({', '.join(self.widest_elements())})"
            )

    def assert_no_problems(self):
        self.assertGreater(len(self.checked), 0)
        self.assertEqual(
            self.problems,
            [],
            f"{len(self.problems)} of {len(self.checked)} pages fail:\n"
            + "\n".join(self.problems),
        )

    def accessibility_roles_at_small_width(self):
        """The names of the nodes of the current page's accessibility tree by
        role, at 375 px wide."""
        self.browser.set_window_size(SMALL_SCREEN_WIDTH, 800)
        try:
            tree = self.browser.execute_cdp_cmd("Accessibility.getFullAXTree", {})
        finally:
            self.browser.set_window_size(*DESKTOP_SIZE)
        roles = {}
        for node in tree["nodes"]:
            if not node.get("ignored"):
                role = node.get("role", {}).get("value")
                roles.setdefault(role, []).append(node.get("name", {}).get("value"))
        return roles

    def links_in(self, selector, prefix=""):
        """The distinct same-site page links inside selector, by URL name."""
        from selenium.webdriver.common.by import By

        found = {}
        for link in self.browser.find_elements(By.CSS_SELECTOR, f"{selector} a[href]"):
            href = link.get_attribute("href")
            if not href.startswith(self.live_server_url + prefix):
                continue
            path = href[len(self.live_server_url) :].split("#")[0]
            if NOT_A_PAGE.search(urlsplit(path).path):
                continue
            try:
                name = resolve(urlsplit(path).path).url_name
            except Resolver404:
                continue
            found.setdefault(name, path)
        return found

    # Pages without a login ---------------------------------------------------

    def test_pages_before_login(self):
        from selenium.webdriver.common.by import By

        self.user("jurist", Role.JURIST)
        self.browser.delete_all_cookies()
        self.check("/accounts/login/")
        # A wrong password: the page with its error.
        self.fill("id_username", "jurist")
        self.fill("id_password", "wrong")
        self.submit()
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        self.check_current("login with an error")
        self.check("/accounts/password_reset/")
        self.fill("id_email", "jurist@example.org")
        self.submit()
        self.check_current("password reset sent")
        self.check("/accounts/reset/MQ/wrong-token/")
        self.check("/accounts/reset/done/")
        # The lock-out page, once this address has given as many wrong
        # passwords as the limit (the one above counts too).
        self.browser.get(self.live_server_url + "/accounts/login/")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            if not self.browser.find_elements(By.ID, "id_username"):
                break
            self.fill("id_username", "jurist")
            self.fill("id_password", "wrong")
            self.submit()
        self.wait_for_text("Inloggen tijdelijk geblokkeerd")
        self.check_current("login locked out")
        self.assert_no_problems()

    # The kernel's pages ------------------------------------------------------

    def test_kernel_pages_as_jurist(self):
        from selenium.webdriver.common.by import By

        self.seed_demo()
        self.log_in("jurist")
        menu = self.links_in("header nav")
        for name in ("home", "case_list", "signal_list", "search"):
            self.assertIn(name, menu)
        for path in menu.values():
            self.check(path)
        # On a small screen each cell of a row is shown with its column's
        # name, and stays a table cell, named by its content alone, for a
        # screen reader (the accessibility tree Chromium gives it).
        self.browser.get(self.live_server_url + "/cases/")
        first = self.browser.find_element(By.CSS_SELECTOR, "tbody td[data-label]")
        roles = self.accessibility_roles_at_small_width()
        for role in ("table", "columnheader", "cell"):
            self.assertIn(role, roles)
        self.assertIn(first.text, roles["cell"])
        self.check("/cases/?case_type=LOD&team_role=owner")
        self.check("/cases/?page=2")
        case = Case.objects.filter(case_type="LOD").order_by("reference").first()
        self.check(f"/search/?q={case.reference}")
        self.check("/search/?q=Grotestraat")
        signal = Signal.objects.order_by("reference").first()
        self.check(signal.get_absolute_url())
        self.check(reverse("casework:signal_create"))
        # A form with errors: a BSN that fails the elfproef.
        self.fill("id_person_name", "Jan Jansen")
        self.fill("id_person_bsn", "123456789")
        self.submit()
        self.wait_for_text("elfproef")
        self.check_current("signal form with errors")
        # A deadline form sent empty.
        self.check(reverse("casework:deadline_create", args=[case.reference]))
        self.browser.execute_script(
            "document.querySelector('main form').noValidate = true"
        )
        self.submit()
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, ".errorlist"))
        self.check_current("deadline form with errors")
        deadline = Deadline.objects.filter(case__access__user__username="jurist")
        deadline = deadline.order_by("pk").first()
        self.check(
            reverse(
                "casework:deadline_detail", args=[deadline.case.reference, deadline.pk]
            )
        )
        self.check(reverse("password_change"))
        self.check("/cases/2099-LOD-9999/", status=404)
        self.check("/no-such-page/", status=404)
        self.assert_no_problems()

    def test_error_pages(self):
        """403 (a form whose CSRF token is gone), 400 (a malformed access-log
        filter) and 404 as the FG, whose access log is checked too."""
        self.user("fg", Role.FG)
        self.log_in("fg")
        menu = self.links_in("header nav")
        self.assertIn("access_log", menu)
        for path in menu.values():
            self.check(path)
        self.check(reverse("permissions:access_log") + "?after=nonsense", status=400)
        self.check(reverse("password_change"))
        self.browser.delete_cookie("csrftoken")
        self.fill("id_old_password", "demo")
        self.submit()
        self.wait_for_text("<h1")
        self.check_current("403 CSRF failure")
        self.assert_no_problems()

    # The case types' pages -----------------------------------------------------

    def test_case_pages_of_every_case_type(self):
        """Per case type the open case with the most in it, as its owner:
        the case page and every page it links to under the case (steps,
        deadlines, documents, objections, the type's own pages), then the
        owner's menu (the type's boards and overviews)."""
        self.seed_demo()
        seen = set()
        for code in sorted(registry.case_types):
            case = self.richest_open_case(code)
            owner = case.access.get(team_role=CaseAccess.TeamRole.OWNER).user
            self.log_in(owner.username)
            self.check(case.get_absolute_url())
            pages = self.links_in("main", prefix=case.get_absolute_url())
            for name, path in pages.items():
                if name != "case_detail":
                    self.check(path)
            seen |= set(pages)
            for path in self.links_in("header nav").values():
                if path not in self.checked:
                    self.check(path)
        # The LOD assessment is linked from a report not yet assessed.
        fresh = Case.objects.filter(case_type="LOD", status="A00").first()
        self.log_in(fresh.access.get(team_role=CaseAccess.TeamRole.OWNER).user.username)
        self.browser.get(self.live_server_url + fresh.get_absolute_url())
        assessment = self.links_in("main", prefix=fresh.get_absolute_url())
        self.check(assessment["lod_assessment"])
        # Step 2 of choosing a PGA participant is reached by step 1's post:
        # the members of one organisation, with the name filter.
        pga = self.richest_open_case("PGA")
        self.log_in(pga.access.get(team_role=CaseAccess.TeamRole.OWNER).user.username)
        police = Organisation.objects.filter(kind=Organisation.Kind.POLITIE).first()
        step = reverse("casework:pga_participant_add", args=[pga.reference])
        self.check(f"{step}?organisation={police.pk}")
        # The case file's folded forms, each opened by its link.
        dossier = reverse("casework:pga_dossier", args=[pga.reference])
        for fold in ("director", "goal", "intervention", "conference"):
            self.check(f"{dossier}?form={fold}")
        for name in (
            "case_step", "deadline_create", "deadline_detail", "document_create",
            "legal_protection_detail", "bibob_dossier",
            "controle_planning", "pga_dossier", "gebiedsverbod_measure",
        ):  # fmt: skip
            self.assertIn(name, seen)
        self.assert_no_problems()

    def richest_open_case(self, code):
        cases = Case.objects.filter(case_type=code, closed_at__isnull=True)
        return max(
            cases.order_by("reference"),
            key=lambda c: (c.deadlines.count(), c.access.count()),
        )

    def test_pages_of_other_readers(self):
        """Pages that only other roles open: the permit handler's Bibob
        outcome, the shielded PGA files of the FG, a partner's case page and
        signal form; and Mijn werk of every demo role, whose sections differ
        by role."""
        from workflows.pga.services import SHIELDED_STATUSES

        self.seed_demo()
        self.log_in("vergunning")
        for path in self.links_in("header nav").values():
            self.check(path)
        self.check(reverse("casework:bibob_outcomes"))
        self.check(self.links_in("main", prefix="/cases/")["bibob_outcome"])
        shielded = Case.objects.filter(case_type="PGA", status__in=SHIELDED_STATUSES)
        self.log_in("fg")
        self.check(reverse("casework:pga_shielded"))
        self.check(
            reverse("casework:pga_shielded_case", args=[shielded.first().reference])
        )
        self.log_in("politie")
        contributed = CaseAccess.objects.filter(
            user__username="politie", team_role=CaseAccess.TeamRole.CONTRIBUTOR
        ).first()
        self.check(contributed.case.get_absolute_url())
        self.check(reverse("casework:signal_create"))
        for username in (
            "burgemeester", "casusregisseur", "toezicht", "invordering",
            "om", "belastingdienst", "zorg", "beheerder",
        ):  # fmt: skip
            self.log_in(username)
            self.check_current(f"Mijn werk of {username}")
        self.assert_no_problems()

    # One workflow by keyboard alone ------------------------------------------

    def test_keyboard_only_login_filter_and_transition(self):
        """The jurist logs in, skips to the content, reaches the case list
        through the menu, filters it on the case type, opens a fresh LOD case
        and starts the legal assessment with a note: Tab, Shift-Tab, typing,
        Enter and Space only, every stop showing its focus."""
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import Select

        jurist = self.user("jurist", Role.JURIST)
        case = services.case_open(
            user=jurist, case_type="LOD", title="Drugshandel Markt 12"
        )
        self.assertEqual(case.status, "A00")
        self.browser.delete_all_cookies()
        self.browser.get(self.live_server_url + "/accounts/login/")
        self.wait_for_focus("id_username")
        self.press_keys("jurist", Keys.TAB)
        self.assertEqual(self.focused().get_attribute("id"), "id_password")
        self.press_keys("demo")
        self.tab_to(lambda e: e.get_attribute("type") == "submit")
        self.press_keys(Keys.ENTER)
        self.wait_for_element("my-cases")

        # The first Tab reaches the skip link, shown; Enter moves the focus to
        # the main content.
        skip = self.tab_to(lambda e: True, limit=1)
        self.assertEqual(skip.get_attribute("class"), "skip-link")
        self.assertTrue(skip.is_displayed())
        self.press_keys(Keys.ENTER)
        self.assertEqual(self.focused().get_attribute("id"), "main")
        self.assertEqual(  # the content itself draws no ring
            self.focused().value_of_css_property("box-shadow"), "none"
        )

        # Back into the menu with Shift-Tab, to the case list.
        self.tab_to(
            lambda e: (e.get_attribute("href") or "").endswith("/cases/"),
            backwards=True,
        )
        self.press_keys(Keys.ENTER)
        self.wait_for_element("id_case_type")
        field = self.tab_to(lambda e: e.get_attribute("id") == "id_case_type")
        with translation.override("nl"):  # type-ahead on the Dutch option
            self.press_keys(str(registry.type_label("LOD"))[:4])
        self.assertEqual(
            Select(field).first_selected_option.get_attribute("value"), "LOD"
        )
        self.tab_to(lambda e: e.get_attribute("type") == "submit")
        self.press_keys(Keys.ENTER)
        self.wait_for_text("case_type=LOD")
        self.tab_to(lambda e: e.text == case.reference)
        self.press_keys(Keys.ENTER)
        self.wait_for_element("note-start_assessment")

        # The note, then the transition's button, pressed with Space.
        self.tab_to(lambda e: e.get_attribute("id") == "note-start_assessment")
        self.press_keys("Handelshoeveelheid; geen eerdere overtreding.")
        button = self.tab_to(lambda e: e.tag_name == "button")
        self.assertEqual(
            button.find_element("xpath", "ancestor::form//textarea").get_attribute(
                "id"
            ),
            "note-start_assessment",
        )
        self.press_keys(Keys.SPACE)
        self.wait_for_text("Status gewijzigd")
        case.refresh_from_db()
        self.assertNotEqual(case.status, "A00")
        self.assertTrue(
            case.events.filter(
                from_status="A00",
                to_status=case.status,
                note="Handelshoeveelheid; geen eerdere overtreding.",
                actor__username="jurist",
            ).exists()
        )

    def wait_for_element(self, element_id):
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.browser, 10).until(
            lambda d: d.execute_script(
                "return document.readyState === 'complete'"
                " && !!document.getElementById(arguments[0])",
                element_id,
            )
        )

    @override_settings(CASEWORK_OTP_REQUIRED_ROLES=frozenset({"partner"}))
    def test_second_factor_enrolment(self):
        from selenium.webdriver.common.by import By

        self.user("politie", Role.PARTNER, kind="politie")
        self.browser.delete_all_cookies()
        self.browser.get(self.live_server_url + "/accounts/login/")
        self.fill("id_username", "politie")
        self.fill("id_password", "demo")
        self.submit()
        self.assertEqual(urlsplit(self.browser.current_url).path, reverse("otp_setup"))
        self.assertTrue(self.browser.find_elements(By.CSS_SELECTOR, ".otp-qr svg"))
        self.check_current("second factor enrolment")
        self.fill("id_otp_token", "000000")
        self.submit()
        self.check_current("second factor enrolment with an error")
        self.assert_no_problems()


@tag("browser")
class AccessibilityCheckTests(ChromiumTestCase):
    """The checks themselves, on a page spoilt on purpose: no demo needed."""

    def test_the_checks_find_what_they_look_for(self):
        """A page spoilt on purpose (through the driver: the CSP refuses
        inline script) fails both checks, each named."""
        self.browser.get(self.live_server_url + "/accounts/login/")
        self.browser.execute_script(
            "document.getElementById('id_username').removeAttribute('id');"
            "const wide = document.createElement('div');"
            "wide.className = 'too-wide'; wide.style.width = '600px';"
            "wide.textContent = 'x'; document.querySelector('main').append(wide);"
        )
        rules = {v["id"] for v in self.axe_violations()}
        self.assertIn("label", rules)
        self.assertGreater(self.sideways_overflow(), 0)
        self.assertIn("div.too-wide", self.widest_elements())
        with self.assertRaisesRegex(AssertionError, r"label \(critical\)"):
            self.assert_accessible()
        with self.assertRaisesRegex(AssertionError, r"div\.too-wide"):
            self.assert_fits_small_screen()
