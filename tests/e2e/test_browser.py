"""A real browser (Debian's Chromium, driven by Selenium) against a live server:
what a new user does on day one. `make install` installs Chromium where it can."""

from datetime import date

from django.test import tag
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from casework.models import Case, Signal
from casework.terms import is_rest_day
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
        # Sent about a month ago, on a day whose one-week term does not end on
        # a Saturday, Sunday or holiday: such an end the form refuses (Atw
        # art. 1), and this walk is not about that refusal.
        sent_on = date.today() - timedelta(days=30)
        while is_rest_day(sent_on + timedelta(weeks=1)):
            sent_on -= timedelta(days=1)
        self.browser.execute_script(
            "arguments[0].value = arguments[1]", sent, sent_on.isoformat()
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
        """The casusregisseur takes a referral through triage, selects the
        participants, prepares and records the casusoverleg and adopts the
        plan, each letter at its step; the police and the OM each see their
        own intervention; after an evaluation the file is closed. What the
        law does not allow yet is refused with its rule (WGS art. 2.31)."""
        from datetime import timedelta

        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select

        from casework.models import Document
        from workflows.pga import services as pga_services
        from workflows.pga.models import (
            Intervention,
            InterventionKind,
            PgaParticipant,
        )

        om = Organisation.objects.create(name="OM Limburg", kind="om")
        regisseur = make_user("casusregisseur", self.gemeente, Role.CASUSREGISSEUR)
        officier = make_user("om", om, Role.PARTNER)
        by_id = self.browser.find_element
        today = timezone.localdate()

        def status():
            case.refresh_from_db()
            return case.status

        def open_fold(summary):
            """A folded form of the case file: the link in its place opens
            the page again with the form (`?form=…`)."""
            self.click_and_load(By.LINK_TEXT, summary)
            self.browser.find_element(
                By.XPATH, f"//details[@open]/summary[normalize-space()='{summary}']"
            )

        def save(action):
            """The case file's form for this action."""
            self.click_and_load(
                By.XPATH, f"//input[@name='action'][@value='{action}']/../button"
            )

        def police_users():
            """Step 2 of selecting a participant: the police's users, on a
            page of their own."""
            self.wait_for_text("Stap 2 van 2")
            by_id(By.ID, "id_participant_legal_basis").send_keys(
                "Politiewet 2012 art. 3"
            )
            self.browser.find_element(
                By.XPATH, "//label[contains(., 'politie')]/input[@name='members']"
            ).click()
            self.click_and_load(By.XPATH, "//main//form[@method='post']//button")

        def select_police():
            """In two steps: the organisation on the case file, then its
            users."""
            open_fold("Een deelnemer selecteren")
            Select(by_id(By.ID, "id_participant_organisation")).select_by_visible_text(
                "Politie"
            )
            save("participant")
            police_users()

        # The casusregisseur registers a referral from the police.
        self.log_in("casusregisseur")
        self.browser.find_element(By.LINK_TEXT, "Nieuwe aanmelding").click()
        by_id(By.ID, "id_name").send_keys("Ravi Peeters")
        Select(by_id(By.ID, "id_reporter")).select_by_visible_text("Politie")
        self.browser.execute_script(
            "arguments[0].value = arguments[1]",
            by_id(By.ID, "id_received_on"),
            today.isoformat(),
        )
        by_id(By.ID, "id_reason").send_keys("Overlast en handel vanuit de woning")
        by_id(By.ID, "id_goal").send_keys("Samen een plan van zorg en straf")
        by_id(By.ID, "id_informed").click()
        self.browser.find_element(By.CSS_SELECTOR, "main form button").click()
        self.wait_for_text("Aanmelding geregistreerd")
        # Next comes the acknowledgement to the reporter, addressed to it; she
        # makes it at once.
        self.assertIn("Bevestiging aanmelding", self.browser.page_source)
        case = Case.objects.get(case_type="PGA")
        self.assertEqual(
            by_id(By.ID, "id_recipient_name").get_attribute("value"), "Politie"
        )
        self.submit()
        self.wait_for_text("Brief gemaakt en opgeslagen.")
        self.assertTrue(
            Document.objects.filter(
                case=case, template_key="aanmeldbevestiging_pga"
            ).exists()
        )
        url = self.live_server_url + case.get_absolute_url()
        self.browser.get(url)
        self.wait_for_text("Aanmelding ontvangen")

        # Before triage accepted the case, the file does not offer the
        # selection of a participant: it names the rule (WGS 2.31 lid 2-4).
        self.browser.find_element(
            By.LINK_TEXT, "Casusdossier (plan, casusoverleggen, netwerk)"
        ).click()
        self.wait_for_text("Alleen de deelnemers die voor deze casus")
        rule = "(art. 2.31, tweede tot en met vierde lid, Wgs)"
        self.assertIn("De casus is nog niet in behandeling genomen", self.main_text())
        self.assertIn(rule, self.main_text())
        self.assertNotIn("Een deelnemer selecteren", self.main_text())
        # Step 2 opened by its address refuses it the same; nothing is stored.
        police = Organisation.objects.get(name="Politie")
        step_two = reverse("casework:pga_participant_add", args=[case.reference])
        self.browser.get(f"{self.live_server_url}{step_two}?organisation={police.pk}")
        police_users()
        self.wait_for_text("De casus is nog niet in behandeling genomen")
        self.assertIn(rule, self.main_text())
        self.assertFalse(PgaParticipant.objects.exists())
        self.assertEqual(
            by_id(By.ID, "id_participant_legal_basis").get_attribute("value"),
            "Politiewet 2012 art. 3",
        )

        # Screening, triage, and acceptance with the triage report.
        self.browser.get(url)
        self.press("Screening starten")
        self.wait_for_text("Status gewijzigd")
        self.press("Doorzetten naar triage")
        self.wait_for_text("Status gewijzigd")
        self.press("Aanmelding in behandeling nemen")
        self.fill("id_triage_report", "Complexe casus: zorg en straf (Wgs 2.25).")
        self.submit()
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(status(), "D30")
        # The regie waits for the participants and the case director.
        self.assertIn(
            "Proces- en casusregie bevestigen: Selecteer ten minste één deelnemer. "
            "(WGS art. 2.31 lid 4); Wijs de casusregisseur toe. (WGS art. 2.31 lid 4)",
            self.not_yet(),
        )

        # In the case file she selects the police as participant, with its user.
        self.press("Casusdossier (plan, casusoverleggen, netwerk)")
        self.wait_for_text("Alleen de deelnemers die voor deze casus")
        select_police()
        self.wait_for_text("Opgeslagen")
        self.assertIn("Politiewet 2012 art. 3", self.browser.page_source)
        pga_services.participant_add(
            case=case, user=regisseur, organisation=om, legal_basis="Wet RO art. 124",
            members=[officier],
        )  # fmt: skip
        # She keeps the casusregie herself, and plans the casusoverleg.
        open_fold("Procesregisseur en casusregisseur toewijzen")
        self.select("id_director_case_director", str(regisseur.pk))
        save("director")
        self.wait_for_text("Opgeslagen")
        open_fold("Een casusoverleg plannen")
        self.set_value("id_conference_planned_at", f"{today.isoformat()}T09:00")
        self.fill("id_conference_place", "Zorg- en Veiligheidshuis Venlo")
        self.fill("id_conference_agenda", "Afspraken over zorg en straf")
        save("conference")
        self.wait_for_text("Opgeslagen")
        self.browser.get(url)
        self.press("Proces- en casusregie bevestigen")
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(status(), "D35")
        # Confirming the planned casusoverleg opens its invitation.
        self.press("Casusoverleg gepland")
        self.wait_for_text("Uitnodiging casusoverleg")
        self.submit()
        self.wait_for_text("Brief gemaakt en opgeslagen.")
        self.assertEqual(status(), "D40")
        # The plan waits for the minutes and the interventions.
        not_yet = self.not_yet()
        self.assertIn(
            "Plan van aanpak vaststellen: Leg het verslag van het casusoverleg vast.",
            not_yet,
        )
        self.assertIn("(WGS art. 2.31 lid 5)", not_yet)

        # The casusoverleg gives the police and the OM one intervention each.
        for org, owner, text in (
            (self.politie, self.agent, "Gebiedsverbod controleren"),
            (om, officier, "Taakstraf met reclasseringstoezicht"),
        ):
            pga_services.intervention_add(
                case=case, user=regisseur, organisation=org, owner=owner,
                kind=InterventionKind.DWANG_STRAF, description=text,
                legal_basis="Sv", due_on=today + timedelta(days=30),
            )  # fmt: skip
        self.press("Casusdossier (plan, casusoverleggen, netwerk)")
        self.wait_for_text("Gebiedsverbod controleren")
        open_fold("Een doel toevoegen")
        self.select("id_goal_life_domain", "veiligheid")
        self.fill("id_goal_description", "Geen overlast en handel meer")
        save("goal")
        self.wait_for_text("Opgeslagen")
        conference = case.pga_conferences.get()
        open_fold("Verslag en besluiten vastleggen")
        prefix = f"id_conference_record_{conference.pk}"
        self.assertEqual(
            by_id(By.ID, f"{prefix}_held_on").get_attribute("value"),
            today.isoformat(),
        )
        self.fill(f"{prefix}_minutes", "Politie en OM lichtten hun aanpak toe.")
        # (Minutes every participant reads: they name no one's intervention.)
        self.fill(f"{prefix}_decisions", "Elke partner zet één interventie in.")
        save("conference-record")
        self.wait_for_text("Opgeslagen")
        # The plan van aanpak is a letter of the adopted plan: not offered yet.
        self.browser.get(url)
        self.press("Brief maken")
        self.wait_for_text("Uitnodiging casusoverleg")
        self.assertFalse(self.browser.find_elements(By.LINK_TEXT, "Plan van aanpak"))
        # Adopting the plan makes it; then execution starts.
        self.browser.get(url)
        self.press("Plan van aanpak vaststellen")
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(status(), "D50")
        self.browser.get(url)
        self.press("Brief maken")
        self.press("Plan van aanpak")
        self.wait_for_text("Plan van aanpak")
        self.submit()
        self.wait_for_text("Brief gemaakt en opgeslagen.")
        self.assertTrue(
            Document.objects.filter(case=case, template_key="plan_van_aanpak").exists()
        )
        self.press("Uitvoering starten")
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(status(), "D60")

        # The police open the file from the case and report progress on their
        # own intervention; the OM's is not on their page.
        self.log_in("politie")
        self.browser.get(url)
        self.browser.find_element(
            By.LINK_TEXT, "Casusdossier: uw interventies en de casusoverleggen"
        ).click()
        self.wait_for_text("Gebiedsverbod controleren")
        self.assertNotIn("Taakstraf", self.browser.page_source)
        police_own = Intervention.objects.get(description="Gebiedsverbod controleren")
        self.click_and_load(By.LINK_TEXT, "Voortgang melden")
        self.select(f"id_intervention_update_{police_own.pk}_status", "running")
        progress = self.browser.find_element(By.CSS_SELECTOR, "textarea[name=progress]")
        progress.send_keys("Verbod uitgereikt op 1 december")
        self.browser.find_element(
            By.XPATH, "//input[@value='intervention-update']/../button"
        ).click()
        self.wait_for_text("Opgeslagen")
        police_own.refresh_from_db()
        self.assertEqual(police_own.progress, "Verbod uitgereikt op 1 december")
        self.assertEqual(police_own.status, Intervention.Status.RUNNING)

        # The OM sees its own intervention only, not the police's progress.
        self.log_in("om")
        self.browser.get(self.live_server_url + f"/cases/{case.reference}/pga/")
        self.wait_for_text("Taakstraf met reclasseringstoezicht")
        self.assertNotIn("Gebiedsverbod", self.browser.page_source)

        # Closing waits for an evaluation (WGS 2.31 lid 6). An evaluation dated
        # before the execution started is refused, and the report is kept.
        self.log_in("casusregisseur")
        self.browser.get(url)
        not_yet = self.not_yet()
        self.assertIn(
            "Afsluiten en afschermen: Evalueer het plan van aanpak ten minste één "
            "keer voordat het dossier wordt afgesloten",
            not_yet,
        )
        self.assertIn("(art. 2.31, zesde lid, Wgs)", not_yet)
        self.press("Evaluatie starten")
        self.wait_for_text("Status gewijzigd")
        self.press("Evaluatie afronden")
        self.fill("id_note", "Verbod uitgereikt; taakstraf loopt.")
        self.set_value("id_evaluated_on", today - timedelta(days=1))
        self.submit()
        with translation.override("nl"):
            yesterday, started = (
                date_format(day, "j F Y") for day in (today - timedelta(days=1), today)
            )
        self.wait_for_text(
            f"De evaluatie kan niet gedateerd zijn op {yesterday}, vóór de "
            f"uitvoering van het plan begon op {started}"
        )
        self.assertIn("(art. 2.31, zesde lid, Wgs)", self.main_text())
        self.assertEqual(status(), "D65")
        self.assertEqual(
            by_id(By.ID, "id_note").get_attribute("value"),
            "Verbod uitgereikt; taakstraf loopt.",
        )
        self.set_value("id_evaluated_on", today)
        self.submit()
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(status(), "D60")
        # Now the file may be closed, on the day the participants decided it;
        # the afsluitingsverslag is made and the file shielded.
        next_steps = self.browser.find_element(
            By.CSS_SELECTOR, "section[aria-labelledby=next-steps]"
        ).text
        self.assertNotIn("Nog niet mogelijk", next_steps)
        self.assertIn("Afsluiten en afschermen", next_steps)
        self.press("Afsluiten en afschermen")
        self.assertEqual(
            by_id(By.ID, "id_closed_on").get_attribute("value"), today.isoformat()
        )
        self.fill("id_closure_report", "Doelen bereikt; geen overlast meer.")
        self.submit()
        self.wait_for_text("De zaak is afgesloten en afgeschermd.")
        self.assertEqual(status(), "D90")
        self.assertTrue(
            Document.objects.filter(case=case, template_key="afsluiting_pga").exists()
        )
