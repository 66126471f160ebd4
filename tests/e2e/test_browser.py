"""A real browser (Debian's Chromium, driven by Selenium) against a live server:
what a new user does on day one. `make install` installs Chromium where it can."""

from datetime import date

from django.contrib.auth import get_user_model
from django.test import tag

from casework.models import Case, Signal
from permissions.models import Organisation, Role

from .base import ChromiumTestCase, make_user


@tag("browser")
class BrowserTests(ChromiumTestCase):
    def setUp(self):
        self.gemeente = Organisation.objects.create(
            name="Gemeente Venlo", kind="gemeente"
        )
        self.politie = Organisation.objects.create(name="Politie", kind="politie")
        self.jurist = make_user("jurist", self.gemeente, Role.JURIST)
        self.agent = make_user("politie", self.politie, Role.PARTNER)

    def wait_for_text(self, text):
        """Wait for the page the last click loads, then check it shows text."""
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.ui import WebDriverWait

        try:
            WebDriverWait(self.browser, 10).until(lambda d: text in d.page_source)
        except TimeoutException:
            self.fail(f"{text!r} did not appear on {self.browser.current_url}")

    def test_police_report_to_case_in_dutch(self):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        # The police liaison registers a bestuurlijke rapportage for the gemeente.
        self.log_in("politie")
        self.assertIn("Mijn werk", self.browser.page_source)
        self.browser.get(self.live_server_url + "/signals/new/")
        Select(self.browser.find_element(By.ID, "id_source")).select_by_value(
            "bestuurlijke_rapportage"
        )
        received = self.browser.find_element(By.ID, "id_received_on")
        self.browser.execute_script(
            "arguments[0].value = arguments[1]", received, date.today().isoformat()
        )
        self.browser.find_element(By.ID, "id_summary").send_keys(
            "Handelshoeveelheid harddrugs aangetroffen."
        )
        Select(self.browser.find_element(By.ID, "id_data_class")).select_by_value("D3")
        self.browser.find_element(By.ID, "id_legal_basis").send_keys("Wpg 16 lid 1 b")
        self.browser.find_element(
            By.CSS_SELECTOR, f"input[name=shared_with][value='{self.gemeente.pk}']"
        ).click()
        self.browser.find_element(By.ID, "id_postcode").send_keys("5911ab")
        self.browser.find_element(By.ID, "id_house_number").send_keys("12")
        self.browser.find_element(By.ID, "id_city").send_keys("Venlo")
        self.browser.find_element(
            By.CSS_SELECTOR, "main form button[type=submit]"
        ).click()
        self.wait_for_text("Signaal geregistreerd")
        signal = Signal.objects.get()
        self.assertEqual(signal.locations.get().postcode, "5911 AB")

        # The jurist converts it into a case and finds it by postcode.
        self.log_in("jurist")
        self.browser.get(self.live_server_url + signal.get_absolute_url())
        Select(self.browser.find_element(By.ID, "id_case_type")).select_by_value("LOD")
        self.browser.find_element(By.ID, "id_title").send_keys("Drugshandel Markt 12")
        self.browser.find_element(
            By.CSS_SELECTOR, "form[action$='/convert/'] button"
        ).click()
        self.wait_for_text("Zaak geopend")
        case = Case.objects.get()
        self.assertIn(case.reference, self.browser.title)
        self.assertIn("Signaal ontvangen", self.browser.page_source)  # status A00
        self.browser.get(self.live_server_url + "/search/?q=5911AB+12")
        self.assertIn(case.reference, self.browser.page_source)

    def test_a_bad_bsn_gives_a_dutch_field_error_and_saves_nothing(self):
        from selenium.webdriver.common.by import By

        self.log_in("jurist")
        self.browser.get(self.live_server_url + "/signals/new/")
        self.browser.find_element(By.ID, "id_person_name").send_keys("Jan Jansen")
        self.browser.find_element(By.ID, "id_person_bsn").send_keys("123456789")
        self.browser.find_element(
            By.CSS_SELECTOR, "main form button[type=submit]"
        ).click()
        self.wait_for_text("elfproef")
        self.assertEqual(Signal.objects.count(), 0)

    def test_lod_walk_as_jurist_burgemeester_and_politie(self):
        from datetime import timedelta

        from selenium.webdriver.common.by import By

        from casework import services
        from permissions.models import CaseAccess
        from workflows.lod.handhavingsmatrix import seed_example_policy

        seed_example_policy()
        burgemeester = make_user("burgemeester", self.gemeente, Role.BURGEMEESTER)
        case = services.case_open(
            user=self.jurist, case_type="LOD", title="Drugshandel Markt 12"
        )
        for member, team_role in (
            (burgemeester, CaseAccess.TeamRole.MEMBER),
            (self.agent, CaseAccess.TeamRole.CONTRIBUTOR),
        ):
            services.case_team_add(
                case=case, user=self.jurist, member=member, team_role=team_role
            )
        url = self.live_server_url + case.get_absolute_url()

        def press(label):
            self.browser.find_element(
                By.XPATH,
                f"//main//*[self::button or self::a][normalize-space()='{label}']",
            ).click()

        # The jurist assesses and sends the intention with a one-week period
        # that has already run out.
        self.log_in("jurist")
        self.browser.get(url)
        self.assertIn("Rapportage beoordelen", self.browser.page_source)
        note = self.browser.find_element(By.ID, "note-start_assessment")
        note.send_keys("Handelshoeveelheid; geen eerdere overtreding.")
        press("Juridische beoordeling starten")
        self.wait_for_text("Status gewijzigd")
        # The facts of the report give the policy rule's proposal.
        press("Beoordeling vastleggen")
        found = self.browser.find_element(By.ID, "id_found_on")
        self.browser.execute_script(
            "arguments[0].value = arguments[1]",
            found,
            (date.today() - timedelta(days=40)).isoformat(),
        )
        self.browser.find_element(By.ID, "id_grams").send_keys("12.5")
        self.browser.find_element(By.CSS_SELECTOR, "main form button").click()
        self.wait_for_text("Voorstel van de beleidsregel")
        self.assertIn("5.000,00", self.browser.page_source)
        press("Voornemen versturen")
        sent = self.browser.find_element(By.ID, "id_sent_on")  # waits for the page
        self.browser.execute_script(
            "arguments[0].value = arguments[1]",
            sent,
            (date.today() - timedelta(days=30)).isoformat(),
        )
        length = self.browser.find_element(By.ID, "id_term_length")
        length.clear()
        length.send_keys("1")
        self.browser.find_element(By.CSS_SELECTOR, "main form button").click()
        self.wait_for_text("Voornemen last onder dwangsom")  # the letter form
        self.browser.get(url)
        self.assertIn("Zienswijzetermijn voornemen", self.browser.page_source)
        press("Zienswijzetermijn verstreken")
        self.wait_for_text("Besluit in voorbereiding")

        # The burgemeester finds the decision among the tasks and takes it.
        self.log_in("burgemeester")
        self.assertIn("Besluit nemen", self.browser.page_source)
        self.browser.find_element(By.LINK_TEXT, case.reference).click()
        self.wait_for_text("Last onder dwangsom opleggen")
        press("Last onder dwangsom opleggen")
        # The decision form carries the proposal; the burgemeester signs it.
        amount = self.browser.find_element(By.ID, "id_amount")
        self.assertEqual(amount.get_attribute("value"), "5000.00")
        self.browser.find_element(By.CSS_SELECTOR, "main form button").click()
        self.wait_for_text("Besluit genomen (last onder dwangsom)")
        case.refresh_from_db()
        self.assertEqual(case.status, "A40")

        # The police see the outcome, not the deliberation.
        self.log_in("politie")
        self.browser.get(url)
        self.wait_for_text("Besluit genomen (last onder dwangsom)")
        self.assertNotIn("geen eerdere overtreding", self.browser.page_source)
        self.assertNotIn("Zienswijzetermijn voornemen", self.browser.page_source)

    def test_pga_walk_as_casusregisseur_politie_and_om(self):
        from datetime import timedelta

        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        from workflows.pga import services as pga_services
        from workflows.pga.models import Intervention, InterventionKind

        om = Organisation.objects.create(name="OM Limburg", kind="om")
        make_user("casusregisseur", self.gemeente, Role.CASUSREGISSEUR)
        officier = make_user("om", om, Role.PARTNER)
        by_id = self.browser.find_element

        # The casusregisseur registers a referral from the police.
        self.log_in("casusregisseur")
        self.browser.find_element(By.LINK_TEXT, "Nieuwe aanmelding").click()
        by_id(By.ID, "id_name").send_keys("Ravi Peeters")
        Select(by_id(By.ID, "id_reporter")).select_by_visible_text("Politie")
        self.browser.execute_script(
            "arguments[0].value = arguments[1]",
            by_id(By.ID, "id_received_on"),
            date.today().isoformat(),
        )
        by_id(By.ID, "id_reason").send_keys("Overlast en handel vanuit de woning")
        by_id(By.ID, "id_goal").send_keys("Samen een plan van zorg en straf")
        by_id(By.ID, "id_informed").click()
        self.browser.find_element(By.CSS_SELECTOR, "main form button").click()
        self.wait_for_text("Aanmelding geregistreerd")
        # Next comes the acknowledgement to the reporter, addressed to it.
        self.assertIn("Bevestiging aanmelding", self.browser.page_source)
        case = Case.objects.get(case_type="PGA")
        self.browser.get(self.live_server_url + case.get_absolute_url())
        self.wait_for_text("Aanmelding ontvangen")

        # In the case file she selects the police as participant, with its user.
        self.browser.find_element(
            By.LINK_TEXT, "Casusdossier (plan, casusoverleggen, netwerk)"
        ).click()
        self.wait_for_text("Alleen de deelnemers die voor deze casus")
        self.browser.find_element(
            By.XPATH, "//summary[normalize-space()='Een deelnemer selecteren']"
        ).click()
        Select(by_id(By.ID, "id_participant_organisation")).select_by_visible_text(
            "Politie"
        )
        by_id(By.ID, "id_participant_legal_basis").send_keys("Politiewet 2012 art. 3")
        self.browser.find_element(
            By.XPATH, "//label[contains(., 'politie')]/input[@name='members']"
        ).click()
        self.browser.find_element(
            By.XPATH, "//input[@value='participant']/../button"
        ).click()
        self.wait_for_text("Opgeslagen")
        self.assertIn("Politiewet 2012 art. 3", self.browser.page_source)

        # The plan gives the police and the OM one intervention each.
        regisseur = get_user_model().objects.get(username="casusregisseur")
        pga_services.participant_add(
            case=case, user=regisseur, organisation=om, legal_basis="Wet RO art. 124",
            members=[officier],
        )  # fmt: skip
        for org, owner, text in (
            (self.politie, self.agent, "Gebiedsverbod controleren"),
            (om, officier, "Taakstraf met reclasseringstoezicht"),
        ):
            pga_services.intervention_add(
                case=case, user=regisseur, organisation=org, owner=owner,
                kind=InterventionKind.DWANG_STRAF, description=text,
                legal_basis="Sv", due_on=date.today() + timedelta(days=30),
            )  # fmt: skip

        # The police open the file from the case and report progress on their
        # own intervention; the OM's is not on their page.
        self.log_in("politie")
        self.browser.get(self.live_server_url + case.get_absolute_url())
        self.browser.find_element(
            By.LINK_TEXT, "Casusdossier: uw interventies en de casusoverleggen"
        ).click()
        self.wait_for_text("Gebiedsverbod controleren")
        self.assertNotIn("Taakstraf", self.browser.page_source)
        self.browser.find_element(
            By.XPATH, "//summary[normalize-space()='Voortgang melden']"
        ).click()
        progress = self.browser.find_element(By.CSS_SELECTOR, "textarea[name=progress]")
        progress.send_keys("Verbod uitgereikt op 1 december")
        self.browser.find_element(
            By.XPATH, "//input[@value='intervention-update']/../button"
        ).click()
        self.wait_for_text("Opgeslagen")
        self.assertEqual(
            Intervention.objects.get(description="Gebiedsverbod controleren").progress,
            "Verbod uitgereikt op 1 december",
        )

        # The OM sees its own intervention only, not the police's progress.
        self.log_in("om")
        self.browser.get(self.live_server_url + f"/cases/{case.reference}/pga/")
        self.wait_for_text("Taakstraf met reclasseringstoezicht")
        self.assertNotIn("Gebiedsverbod", self.browser.page_source)
