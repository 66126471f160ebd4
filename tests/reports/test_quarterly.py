"""The quarterly steering group report as a PDF: Dutch headings, the
requester's figures (exact for the coordinator, "< 5" for a partner), the
programme's projects, milestones and budget (the budget only inside the
owning organisation), the decisions asked for and those added by the rules;
the build reads a fixed number of queries."""

import io
from datetime import timedelta

from django.db import connection
from django.test import SimpleTestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pypdf

from casework import services as case_services
from casework.models import Location, Signal
from reports import quarterly
from reports.periods import Quarter
from steering import facts

from .base import ReportsTestCase, make_programme


def text_of(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def figures_after(text: str, label: str) -> list[str]:
    """The numbers of a table row: the lines after its label (pypdf puts
    each cell on its own line) up to the next label."""
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == label)
    found = []
    for line in lines[start + 1 :]:
        value = line.strip()
        if not (value[:1].isdigit() or value.startswith(("<", "×"))):
            break
        found.append(value)
    return found


@override_settings(LANGUAGE_CODE="nl")
class QuarterlyReportTests(ReportsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.quarter = Quarter.containing(cls.today)
        # Three inspectors' signals (D0) in Blerick this quarter: the
        # coordinator works signals and sees 3, a partner sees "< 5".
        for n in range(3):
            case_services.signal_register(
                user=cls.toezicht, source=Signal.Source.TOEZICHT,
                received_on=cls.quarter.start + timedelta(days=n),
                summary="Constatering", data_class="D0",
                locations=[Location(street="Antoniusstraat", house_number=n + 1,
                                    postcode="5912 AB", city="Venlo",
                                    area="Blerick")],
            )  # fmt: skip
        facts.refresh()
        cls.programme = make_programme(
            cls.coordinator, organisation=cls.gemeente, partners=[cls.politie],
            today=cls.today,
        )  # fmt: skip

    def build(self, user, **parameters):
        steps = []
        content, filename = quarterly.build(
            user,
            {"quarter": str(self.quarter), "programme": self.programme.pk,
             "decisions": "Extra inzet BOA in Q4\nBesluit over cameratoezicht",
             **parameters},
            lambda step, percent: steps.append(step),
        )  # fmt: skip
        self.assertEqual(filename, f"stuurgroep-{self.quarter}.pdf")
        return text_of(content), steps

    def test_the_coordinator_report_has_every_section_in_dutch(self):
        text, steps = self.build(self.coordinator)
        for heading in (
            "Stuurgroeprapportage", "Stand van de cijfers", "Focus op Urgentie",
            str(self.quarter), "Indicatoren", "Signalen", "Grafieken", "Hotspots",
            "Projecten en doelen", "Jonge Helden", "Mijlpalen", "Begroting",
            "Besluitpunten",
        ):  # fmt: skip
            with self.subTest(heading=heading):
                self.assertIn(heading, text)
        self.assertIn("Voornaam", text)  # the requester on the cover
        self.assertEqual(steps[0], "cover")
        self.assertEqual(steps[-1], "render")

    def test_the_coordinator_sees_the_exact_figure(self):
        text, _steps = self.build(self.coordinator)
        # Three quarters before, this quarter, the total.
        self.assertEqual(
            figures_after(text, "Ontvangen: Toezicht / BOA"), ["0", "0", "0", "3", "3"]
        )

    def test_a_partner_sees_the_small_number_hidden(self):
        text, _steps = self.build(self.politie_user)
        self.assertEqual(
            figures_after(text, "Ontvangen: Toezicht / BOA"),
            ["0", "0", "0", "< 5", "< 5"],
        )
        self.assertNotIn("3\n", text.split("Ontvangen: Toezicht / BOA")[1][:40])

    def test_goals_target_against_measured(self):
        text, _steps = self.build(self.coordinator)
        self.assertIn("Sessies Jonge Helden", text)
        self.assertRegex(text, r"5 sessies\s*3\s*60%")

    def test_budget_with_committed_spent_and_remaining_for_the_owner(self):
        text, _steps = self.build(self.coordinator)
        self.assertIn("Sociale herovering", text)
        self.assertRegex(text, r"€ 10\.000,00\s*€ 0,00\s*€ 9\.500,00\s*€ 500,00")
        self.assertRegex(text, r"€ 50\.000,00\s*€ 20\.000,00\s*€ 0,00\s*€ 30\.000,00")
        self.assertIn("€ 335.500,00", text)

    def test_no_budget_for_a_partner(self):
        text, _steps = self.build(self.politie_user)
        self.assertIn("Projecten en doelen", text)
        self.assertNotIn("Begroting", text)
        self.assertNotIn("€", text)
        self.assertNotIn("Sociale herovering", text)

    def test_decisions_asked_for_and_added_by_the_rules(self):
        text, _steps = self.build(self.coordinator)
        decisions = text.split("Besluitpunten", 1)[1]
        self.assertIn("1. Extra inzet BOA in Q4", decisions)
        self.assertIn("2. Besluit over cameratoezicht", decisions)
        self.assertIn('Verlopen mijlpaal "Werving scholen"', decisions)
        self.assertIn(
            'Begrotingspost "Sociale herovering" is voor 95% besteed', decisions
        )
        self.assertNotIn("Procesmanager", decisions)

    def test_a_partner_gets_no_budget_decision_point(self):
        text, _steps = self.build(self.politie_user)
        decisions = text.split("Besluitpunten", 1)[1]
        self.assertIn('Verlopen mijlpaal "Werving scholen"', decisions)
        self.assertNotIn("Begrotingspost", decisions)

    def test_a_programme_the_requester_does_not_read_is_left_out(self):
        text, _steps = self.build(self.fiscus_user)
        self.assertNotIn("Focus op Urgentie", text)
        self.assertIn("Geen programma gekozen.", text)
        self.assertNotIn("Jonge Helden", text)

    def test_an_area_narrows_the_figures(self):
        text, _steps = self.build(self.coordinator, area="Tegelen")
        self.assertIn("Tegelen", text)
        self.assertEqual(
            figures_after(text, "Ontvangen: Toezicht / BOA"), ["0", "0", "0", "0", "0"]
        )
        text, _steps = self.build(self.coordinator, area="Blerick")
        self.assertEqual(
            figures_after(text, "Ontvangen: Toezicht / BOA"), ["0", "0", "0", "3", "3"]
        )

    def test_the_build_reads_a_fixed_number_of_queries(self):
        self.build(self.coordinator)  # warm: the first build reads the fonts' cache
        with CaptureQueriesContext(connection) as first:
            self.build(self.coordinator)
        for _n in range(20):
            case_services.signal_register(
                user=self.toezicht, source=Signal.Source.TOEZICHT,
                received_on=self.quarter.start, summary="Meer", data_class="D0",
            )  # fmt: skip
        facts.refresh()
        with CaptureQueriesContext(connection) as second:
            self.build(self.coordinator)
        self.assertEqual(len(first), len(second))
        self.assertLess(len(second), 40)

    def test_long_decisions_are_set_in_full(self):
        long_point = "Besluit " + "over de inzet van toezicht " * 2000
        with CaptureQueriesContext(connection):
            text, _steps = self.build(self.coordinator, decisions=long_point)
        self.assertIn("1. Besluit over de inzet", text)
        self.assertGreater(text.count("inzet van toezicht"), 1500)


class LayoutTests(SimpleTestCase):
    def test_a_drawing_higher_than_a_page_is_scaled_to_fit(self):
        from reportlab.graphics.shapes import Drawing, Rect

        from reports import layout

        tall = Drawing(467, 735)
        tall.add(Rect(0, 0, 467, 735))
        layout.ready()
        layout.fit(tall)
        self.assertLessEqual(tall.width, layout.FRAME_WIDTH)
        self.assertLessEqual(tall.height, layout.FRAME_HEIGHT)
        content = layout.render(
            [layout.heading("Kaart"), tall], title="t", author="a", footer="f",
            watermark="w",
        )  # fmt: skip
        self.assertTrue(content.startswith(b"%PDF"))
        small = Drawing(100, 50)
        layout.fit(small)
        self.assertEqual((small.width, small.height), (100, 50))
