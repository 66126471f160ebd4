"""A gebiedsverbod (Gemeentewet 172a) walked in a real browser (Debian's
Chromium, driven by Selenium) against a live server, as each role it touches:
the jurist assesses and sends the voornemen, the burgemeester signs the
besluit, the jurist makes it known and makes the letter, the police report a
violation, another police unit does not see the case, and the jurist
registers the report. Each step in the order the law allows: what it still
refuses is refused with its rule, and listed under "Nog niet mogelijk". Like
`test_browser.py`: `make install` installs Chromium where it can."""

import io
from datetime import timedelta

from django.test import tag
from django.utils import timezone, translation
from django.utils.formats import date_format

from casework.models import Document
from casework.terms import is_rest_day
from permissions.models import CaseAccess, Organisation, Role

from .base import ChromiumTestCase, make_user

# Texts of each layer, to see who reads what: the municipality's assessment
# (note, incident, fear) stays with the municipality; the police read the
# measure and their own violation report.
ASSESSMENT_NOTE = "Eerdere aanhoudingen wegen zwaar"
INCIDENT = "Bedreigde reizigers met een mes"
FEAR = "Betrokkene keert dagelijks terug en zoekt de confrontatie op"
AREA = "Stationsplein en Keulsepoort, Venlo"
MAP_ID = "KAART-STATION-2026"
PROPORTIONALITY = "Een lichter middel, een waarschuwing, hielp niet"
VIOLATION = "Betrokkene aangetroffen bij de fietsenstalling"


def _ends_on_a_working_day(today, days: int) -> int:
    """`days` or the next larger number of days ago whose 14-day term ends
    on a working day (no Saturday, Sunday or Atw holiday)."""
    while is_rest_day(today - timedelta(days=days) + timedelta(days=14)):
        days += 1
    return days


@tag("browser")
class GebiedsverbodBrowserTests(ChromiumTestCase):
    def setUp(self):
        from casework import services

        self.gemeente = Organisation.objects.create(
            name="Gemeente Venlo", kind="gemeente"
        )
        self.politie = Organisation.objects.create(name="Politie", kind="politie")
        kmar = Organisation.objects.create(
            name="Koninklijke Marechaussee", kind="politie"
        )
        self.jurist = make_user("jurist", self.gemeente, Role.JURIST)
        burgemeester = make_user("burgemeester", self.gemeente, Role.BURGEMEESTER)
        self.agent = make_user("politie", self.politie, Role.PARTNER)
        make_user("marechaussee", kmar, Role.PARTNER)
        self.case = services.case_open(
            user=self.jurist, case_type="GBV", title="Overlast stationsgebied"
        )
        for member, team_role in (
            (burgemeester, CaseAccess.TeamRole.MEMBER),
            (self.agent, CaseAccess.TeamRole.CONTRIBUTOR),
        ):
            services.case_team_add(
                case=self.case, user=self.jurist, member=member, team_role=team_role
            )
        self.url = self.live_server_url + self.case.get_absolute_url()

    # Helpers (the gestures are the base class's) -----------------------------

    def open_task(self, task):
        """Mijn werk: the task row of the case, and its link."""
        from selenium.webdriver.common.by import By

        self.click_and_load(
            By.XPATH,
            "//section[@aria-labelledby='my-tasks']//tr"
            f"[td[normalize-space()='{task}']]//a[text()='{self.case.reference}']",
        )

    def status(self):
        self.case.refresh_from_db()
        return self.case.status

    # The walk -----------------------------------------------------------------

    def test_gebiedsverbod_walk_as_jurist_burgemeester_and_politie(self):
        from pypdf import PdfReader
        from selenium.webdriver.common.by import By

        from casework.models import Deadline
        from workflows.gebiedsverbod.measures import (
            Incident,
            Measure,
            ViolationReport,
            period_end,
        )

        today = timezone.localdate()
        case = self.case

        # 1. The jurist starts the assessment. The voornemen waits for a
        # recorded incident, and the panel says why.
        self.log_in("jurist")
        self.browser.get(self.url)
        self.wait_for_text("Signaal / politierapport ontvangen")
        self.browser.find_element(By.ID, "note-start_assessment").send_keys(
            ASSESSMENT_NOTE
        )
        self.press("Beoordeling starten")
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(self.status(), "E10")
        self.assertIn(
            "Voornemen versturen: Leg eerst ten minste één gedateerd incident vast",
            self.main_text(),
        )
        # The case page lists it under "Nog niet mogelijk", with the article.
        self.assertIn(
            "Voornemen versturen: Leg eerst ten minste één gedateerd incident vast: "
            "het bevel berust op een ernstige of herhaaldelijke verstoring van de "
            "openbare orde (Gemw 172a lid 1).",
            self.not_yet(),
        )

        # An incident dated tomorrow is refused in Dutch and nothing is stored.
        self.press("Incident vastleggen")
        self.set_value("id_occurred_on", today + timedelta(days=1))
        self.fill("id_place", "Stationsplein Venlo")
        self.fill("id_description", INCIDENT)
        self.submit()
        self.wait_for_text("Deze datum kan niet in de toekomst liggen.")
        self.assertFalse(Incident.objects.exists())
        self.set_value("id_occurred_on", today - timedelta(days=45))
        self.submit()
        self.wait_for_text("Incident vastgelegd.")
        self.assertEqual(Incident.objects.get(case=case).description, INCIDENT)
        # Back on the case page, whose panel lists the incident.
        self.wait_for_text(INCIDENT)
        self.assertEqual(self.browser.current_url, self.url)

        # The voornemen went out a month ago with two weeks for views; the
        # step then opens the voornemen letter with that term filled in. A
        # voornemen dated before the incident it rests on is refused first,
        # with the rule and both dates, and the form keeps what was typed.
        # Sent on days whose 14-day term ends on a working day: a term
        # ending on a rest day is refused by the form first (Atw art. 1),
        # whatever the date of the run.
        early = _ends_on_a_working_day(today, 50)
        sent = _ends_on_a_working_day(today, 30)
        self.press("Voornemen versturen")
        self.set_value("id_sent_on", today - timedelta(days=early))
        self.fill("id_term_length", "14")
        self.select("id_term_unit", "days")
        self.submit()
        with translation.override("nl"):
            too_early, incident_day = (
                date_format(day, "j F Y")
                for day in (today - timedelta(days=early), today - timedelta(days=45))
            )
        self.wait_for_text(
            f"Het voornemen kan niet gedateerd zijn op {too_early}, vóór het eerste "
            f"incident waarop het rust, van {incident_day} (Awb 4:8; Gemw 172a lid 1)."
        )
        self.assertEqual(self.status(), "E10")
        self.assertFalse(Deadline.objects.filter(case=case).exists())
        self.assertEqual(
            self.browser.find_element(By.ID, "id_term_length").get_attribute("value"),
            "14",
        )
        self.set_value("id_sent_on", today - timedelta(days=sent))
        self.submit()
        self.wait_for_text("Voornemen gebiedsverbod / verblijfsontzegging")
        self.assertEqual(self.status(), "E30")
        views_term = Deadline.objects.get(case=case, legal_basis="Awb 4:8")
        self.assertEqual(views_term.end_date, today - timedelta(days=sent - 14))
        self.assertEqual(
            self.browser.find_element(By.ID, "id_zienswijze_deadline").get_attribute(
                "value"
            ),
            views_term.end_date.isoformat(),
        )
        self.browser.get(self.url)
        self.assertIn("Zienswijzetermijn voornemen", self.main_text())
        self.press("Zienswijzetermijn verstreken")
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(self.status(), "E35")
        self.assertIn("Zienswijze ontvangen / termijn verstreken", self.main_text())
        # Letters follow their steps: the voornemen is offered, the besluit
        # not before the burgemeester signed it.
        self.press("Brief maken")
        self.wait_for_text("Voornemen gebiedsverbod / verblijfsontzegging")
        self.assertNotIn(
            "Besluit gebiedsverbod / verblijfsontzegging", self.main_text()
        )

        # 2. The burgemeester finds the besluit among the tasks.
        self.log_in("burgemeester")
        self.open_task("Besluit nemen")
        self.press("Besluit ondertekenen")
        self.set_value("id_decided_on", today)
        self.select("id_basis", "GEMW_172A_1")
        self.select("id_ground", "serious")
        self.browser.find_element(By.ID, "id_area_ban").click()
        self.fill("id_area_description", AREA)
        self.fill("id_map_id", MAP_ID)
        self.fill("id_map_version", "2")
        self.fill("id_map_hash", "9f2c1e7a")
        self.fill("id_conditions", "De doorgaande route naar het werk is toegestaan.")
        self.fill("id_fear_reasons", FEAR)
        self.browser.find_element(By.ID, "id_lid5_checked").click()
        self.set_value("id_start_date", today)
        # One day over three months: refused with the article, nothing changes.
        self.set_value("id_end_date", period_end(today, 3) + timedelta(days=1))
        self.submit()
        self.wait_for_text("duurt ten hoogste drie maanden")
        self.assertIn("(Gemw 172a lid 6 a)", self.main_text())
        self.assertEqual(self.status(), "E35")
        self.assertFalse(Measure.objects.exists())
        # The form kept what was typed; three months to the day is accepted.
        self.assertEqual(
            self.browser.find_element(By.ID, "id_fear_reasons").get_attribute("value"),
            FEAR,
        )
        self.set_value("id_end_date", period_end(today, 3))
        self.submit()
        self.wait_for_text("Status gewijzigd")
        self.assertIn("De eigenaar van de zaak maakt nu de brief", self.main_text())
        self.assertEqual(self.status(), "E40")
        measure = Measure.objects.get(case=case)
        self.assertEqual(measure.end_date, period_end(today, 3))
        self.assertEqual(measure.map_id, MAP_ID)

        # 3. The jurist makes the besluit known: the measure is in force, the
        # bezwaar term runs.
        self.log_in("jurist")
        self.open_task("Besluit bekendmaken")
        self.press("Bekendmaking vastleggen")
        self.set_value("id_made_known_on", today)
        self.select("id_manner", "handed")
        self.submit()
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(self.status(), "E50")
        page = self.main_text()
        self.assertIn("Bekendgemaakt – maatregel van kracht", page)
        bezwaar = Deadline.objects.get(case=case, legal_basis="Awb 6:7, 6:8")
        self.assertGreaterEqual(bezwaar.end_date, today + timedelta(weeks=6))
        protection = self.browser.find_element(
            By.CSS_SELECTOR, "section[aria-labelledby=legal-protection]"
        ).text
        self.assertIn("Bezwaar en beroep", protection)
        self.assertIn("Geen rechtsmiddel ingesteld – termijn loopt", protection)
        with translation.override("nl"):
            end = date_format(bezwaar.end_date, "SHORT_DATE_FORMAT")
        self.assertIn(f"{end} Bezwaartermijn", protection)
        panel = self.browser.find_element(
            By.CSS_SELECTOR, "section[aria-labelledby=gebiedsverbod-panel]"
        ).text
        self.assertIn("Maatregel (Gemw 172a / APV)", panel)
        self.assertIn("gebiedsverbod — Gemeentewet art. 172a lid 1", panel)
        self.assertIn(f"Kaart {MAP_ID}, versie 2, hash 9f2c1e7a", panel)
        self.assertIn(FEAR, panel)
        # The measure runs: its expiry is not yet possible, and says until when;
        # no violation waits to be registered.
        with translation.override("nl"):
            last_day = date_format(measure.end_date, "j F Y")
        not_yet = self.not_yet()
        self.assertIn(
            f"Afloop vastleggen: De maatregel loopt tot en met {last_day}; hij "
            "verloopt pas na die dag (Gemw 172a lid 6).",
            not_yet,
        )
        self.assertIn(
            "Melding overtreding registreren: Er is geen nieuwe melding van een "
            "overtreding door de politie om te registreren (Sr 184).",
            not_yet,
        )

        # The besluit letter, now offered, filled from the case; only the
        # addressee is typed.
        self.press("Brief maken")
        self.press("Besluit gebiedsverbod / verblijfsontzegging")
        self.wait_for_text("Besluit gebiedsverbod / verblijfsontzegging")
        self.fill("id_recipient_name", "J. Jansen")
        self.fill("id_recipient_address", "Markt 1\n5911 AB Venlo")
        # The weighing is not recorded on the case: the jurist writes it here
        # (template version 2026.2 asks for it).
        for field in self.browser.find_elements(By.ID, "id_proportionality"):
            field.send_keys(PROPORTIONALITY)
        self.submit()
        self.wait_for_text("Brief gemaakt en opgeslagen.")
        document = Document.objects.get(case=case)
        self.assertEqual(document.template_key, "besluit_gebiedsverbod")
        link = self.browser.find_element(
            By.CSS_SELECTOR, "section[aria-labelledby=documents] li a"
        )
        status, content_type, body = self.fetch(link.get_attribute("href"))
        self.assertEqual((status, content_type), (200, "application/pdf"))
        text = " ".join(
            " ".join(page.extract_text().split())
            for page in PdfReader(io.BytesIO(body)).pages
        )
        self.assertIn(f"kaart {MAP_ID}, versie 2, hash 9f2c1e7a", text)
        self.assertIn(AREA, text)
        self.assertIn("binnen zes weken", text)
        # Bezwaar goes to the burgemeester who took the besluit, at his address.
        self.assertIn("Dan kunt u bezwaar maken bij de burgemeester van Venlo", text)
        self.assertIn("Stuur uw bezwaarschrift naar: De burgemeester van Venlo", text)

        # 4. The police read the outcome, not the assessment, and report a
        # violation on the measure page.
        self.log_in("politie")
        self.browser.get(self.url)
        self.wait_for_text("Bekendgemaakt – maatregel van kracht")
        for secret in (ASSESSMENT_NOTE, INCIDENT, FEAR):
            self.assertNotIn(secret, self.browser.page_source)
        self.press("Maatregel en meldingen van overtredingen")
        self.assertIn(AREA, self.main_text())
        self.assertIn(f"Kaart {MAP_ID}, versie 2, hash 9f2c1e7a", self.main_text())
        for secret in (ASSESSMENT_NOTE, INCIDENT, FEAR):
            self.assertNotIn(secret, self.browser.page_source)
        self.press("Overtreding van de maatregel melden")
        self.set_value("id_occurred_on", today)
        self.set_value("id_occurred_at", "00:05")
        self.fill("id_place", "Stationsplein Venlo")
        self.fill("id_description", VIOLATION)
        self.fill("id_pv_number", "PL2300-2026-1234")
        self.submit()
        self.wait_for_text("Overtreding gemeld.")
        reports = self.browser.find_element(
            By.CSS_SELECTOR, "section[aria-labelledby=violations]"
        ).text
        self.assertIn(VIOLATION, reports)
        self.assertIn("(PV PL2300-2026-1234)", reports)
        report = ViolationReport.objects.get(case=case)
        self.assertEqual(report.organisation, self.politie)
        self.assertEqual(report.reported_by, self.agent)

        # Another police unit, not on the team: 404 on every page of the case.
        self.log_in("marechaussee")
        for path in ("", "gebiedsverbod/", "gebiedsverbod/violation/"):
            status, _type, body = self.fetch(self.url + path)
            self.assertEqual(status, 404, path)
            self.assertNotIn(VIOLATION.encode(), body)
        self.browser.get(self.url + "gebiedsverbod/")
        self.assertNotIn(VIOLATION, self.browser.page_source)
        self.assertNotIn(AREA, self.browser.page_source)

        # 5. The police report makes the jurist's registration possible: it is
        # no longer under "Nog niet mogelijk" but a step.
        self.log_in("jurist")
        self.browser.get(self.url)
        self.wait_for_text("Bekendgemaakt – maatregel van kracht")
        self.assertIn(
            "Stationsplein Venlo — Politie nog niet geregistreerd", self.main_text()
        )
        self.assertNotIn("Melding overtreding registreren", self.not_yet())
        self.press("Melding overtreding registreren")
        self.wait_for_text("Status gewijzigd")
        self.assertEqual(self.status(), "E60")
        self.assertNotIn("nog niet geregistreerd", self.main_text())
        report.refresh_from_db()
        self.assertIsNotNone(report.registered_at)
