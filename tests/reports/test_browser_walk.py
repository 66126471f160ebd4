"""The coordinator requests the quarterly report in a real browser (Debian's
Chromium, Selenium) against a live server: the status page shows the
progress bar and refreshes itself while the job waits for a worker; once a
worker has built it (here: the test, as the Celery worker would), the page
offers the PDF, which downloads as an attachment (docs/reports.md)."""

from unittest import mock

from django.test import tag
from django.utils import timezone

import pytest

from permissions.models import Organisation, Role
from reports import services
from reports.models import ReportJob
from reports.periods import Quarter
from tests.e2e.base import ChromiumTestCase, make_user


@tag("browser")
@pytest.mark.browser
class QuarterlyReportWalk(ChromiumTestCase):
    def setUp(self):
        gemeente = Organisation.objects.create(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        make_user("coordinator", gemeente, Role.COORDINATOR)

    def test_request_watch_the_progress_and_download(self):
        from selenium.webdriver.common.by import By

        quarter = str(Quarter.containing(timezone.localdate()))
        self.log_in("coordinator")
        self.browser.get(self.live_server_url + "/reports/")
        self.wait_for_text("Kwartaalrapportage stuurgroep")
        self.assert_accessible()
        self.fill("id_quarter", quarter)
        self.fill("id_decisions", "Extra inzet BOA")
        # No worker yet: the job waits in the queue.
        with mock.patch.object(services, "_start"):
            self.press("Rapportage maken")
        self.wait_for_text("Wacht op een vrije verwerker")
        progress = self.browser.find_element(By.ID, "job-progress")
        self.assertEqual(progress.get_attribute("value"), "0")
        # axe counts any timed refresh as a violation (WCAG 2.2.1); the
        # brief asks for one, and the page offers to stop it ("Stop
        # verversen"): every other rule must hold.
        others = [v for v in self.axe_violations() if v["id"] != "meta-refresh"]
        self.assertEqual(others, [])
        self.press("Stop verversen")
        self.wait_for_text("De pagina verversen")
        self.assert_accessible()
        self.browser.back()
        job = ReportJob.objects.get()
        self.assertEqual(job.status, ReportJob.Status.QUEUED)

        # The worker builds it; the page refreshes itself and offers the PDF.
        self.assertEqual(services.job_run(job.pk), "done")
        self.wait_for_text("De PDF downloaden")
        link = self.browser.find_element(By.LINK_TEXT, "De PDF downloaden")
        status, content_type, body = self.fetch(link.get_attribute("href"))
        self.assertEqual((status, content_type), (200, "application/pdf"))
        self.assertTrue(body.startswith(b"%PDF"))
        self.assertIn(f"stuurgroep-{quarter}.pdf", self.main_text())
