"""Report jobs: requested, queued, running with progress, done with the PDF
to download; a failure in Dutch and the same request again; only the
requester sees a job; old jobs pruned."""

from datetime import timedelta
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import ReportJob
from reports.periods import Quarter

from .base import ReportsTestCase


@override_settings(LANGUAGE_CODE="nl")
class JobLifecycleTests(ReportsTestCase):
    def setUp(self):
        self.quarter = str(Quarter.containing(timezone.localdate()))

    def post_request(self, user, **data):
        self.client.force_login(user)
        body = {"form_token": f"t-{user.pk}-{ReportJob.objects.count()}",
                "kind": "quarterly", "quarter": self.quarter, **data}  # fmt: skip
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("reports:request"), body)

    def test_the_request_page_offers_the_form_in_dutch(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("reports:request"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Kwartaalrapportage stuurgroep")
        self.assertContains(response, "Besluitpunten")
        self.assertContains(response, f'value="{self.quarter}"')

    def test_a_request_runs_to_done_and_the_pdf_downloads(self):
        response = self.post_request(self.coordinator, decisions="Budget verhogen")
        job = ReportJob.objects.get()
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(job.status, ReportJob.Status.DONE)
        self.assertEqual(job.progress, 100)
        self.assertEqual(job.requested_by, self.coordinator)
        self.assertEqual(job.organisation, self.gemeente)
        self.assertEqual(job.parameters["decisions"], "Budget verhogen")
        self.assertIsNotNone(job.started_at)
        self.assertIsNotNone(job.finished_at)
        page = self.client.get(job.get_absolute_url())
        self.assertContains(page, "De PDF downloaden")
        self.assertNotContains(page, 'http-equiv="refresh"')
        download = self.client.get(reverse("reports:job_download", args=[job.pk]))
        self.assertEqual(download["Content-Type"], "application/pdf")
        self.assertEqual(
            download["Content-Disposition"],
            f'attachment; filename="stuurgroep-{self.quarter}.pdf"',
        )
        self.assertTrue(download.content.startswith(b"%PDF"))

    def test_a_queued_job_shows_a_progress_bar_and_refreshes(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            job = services.job_request(
                user=self.coordinator, kind="quarterly",
                parameters={"quarter": self.quarter},
            )  # fmt: skip
        self.assertEqual(len(callbacks), 1)  # the task starts after commit
        self.client.force_login(self.coordinator)
        page = self.client.get(job.get_absolute_url())
        self.assertContains(page, '<meta http-equiv="refresh" content="2">')
        self.assertContains(page, '<progress id="job-progress" max="100" value="0">')
        self.assertContains(page, "Wacht op een vrije verwerker")
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.RUNNING, progress=50, step="hotspots"
        )
        page = self.client.get(job.get_absolute_url())
        self.assertContains(page, 'value="50"')
        self.assertContains(page, "Hotspots")
        self.assertContains(page, "Wordt gemaakt")
        # Not downloadable before it is done.
        self.assertEqual(
            self.client.get(reverse("reports:job_download", args=[job.pk])).status_code,
            404,
        )

    def test_the_reader_may_stop_the_refresh(self):
        with self.captureOnCommitCallbacks(execute=False):
            job = services.job_request(
                user=self.coordinator, kind="quarterly",
                parameters={"quarter": self.quarter},
            )  # fmt: skip
        self.client.force_login(self.coordinator)
        page = self.client.get(job.get_absolute_url())
        self.assertContains(page, 'href="?refresh=off"')
        page = self.client.get(job.get_absolute_url(), {"refresh": "off"})
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertContains(page, "De pagina verversen")
        self.assertContains(page, "<progress")

    def test_the_build_reports_progress_at_every_section(self):
        job = ReportJob.objects.create(
            kind="quarterly", parameters={"quarter": self.quarter},
            requested_by=self.coordinator, organisation=self.gemeente,
        )  # fmt: skip
        seen = []
        original = services._progress

        def recording(job_id):
            write = original(job_id)

            def report(step, percent):
                write(step, percent)
                row = ReportJob.objects.get(pk=job_id)
                seen.append((row.status, row.step, row.progress))

            return report

        with mock.patch.object(services, "_progress", recording):
            self.assertEqual(services.job_run(job.pk), "done")
        steps = [step for _status, step, _p in seen]
        self.assertEqual(
            steps,
            ["cover", "indicators", "charts", "hotspots", "projects", "milestones",
             "budget", "decisions", "render"],
        )  # fmt: skip
        self.assertTrue(all(status == "running" for status, _s, _p in seen))
        percents = [p for _s, _st, p in seen]
        self.assertEqual(percents, sorted(percents))
        self.assertLess(percents[-1], 100)
        job.refresh_from_db()
        self.assertEqual((job.status, job.progress, job.step), ("done", 100, "done"))

    def test_a_job_the_broker_refuses_fails_at_once(self):
        with mock.patch(
            "reports.tasks.build_report.delay", side_effect=OSError("no broker")
        ):
            self.post_request(self.coordinator)
        job = ReportJob.objects.get()
        self.assertEqual(job.status, ReportJob.Status.FAILED)
        self.assertEqual(job.error, "OSError: no broker")

    def test_a_job_runs_once(self):
        job = ReportJob.objects.create(
            kind="quarterly", parameters={"quarter": self.quarter},
            requested_by=self.coordinator, organisation=self.gemeente,
        )  # fmt: skip
        self.assertEqual(services.job_run(job.pk), "done")
        self.assertEqual(services.job_run(job.pk), "skipped")

    def test_a_failure_is_shown_in_dutch_and_the_request_can_be_made_again(self):
        with mock.patch(
            "reports.quarterly.build", side_effect=RuntimeError("disk full")
        ):
            self.post_request(self.coordinator, decisions="Punt 1\nPunt 2")
        failed = ReportJob.objects.get()
        self.assertEqual(failed.status, ReportJob.Status.FAILED)
        self.assertEqual(failed.error, "RuntimeError: disk full")
        page = self.client.get(failed.get_absolute_url())
        self.assertContains(page, "De rapportage kon niet worden gemaakt.")
        self.assertContains(page, "Opnieuw proberen")
        self.assertNotContains(page, "disk full")  # the cause is the administrator's
        self.assertNotContains(page, 'http-equiv="refresh"')
        self.assertEqual(
            self.client.get(
                reverse("reports:job_download", args=[failed.pk])
            ).status_code,
            404,
        )
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("reports:job_repeat", args=[failed.pk]))
        again = ReportJob.objects.exclude(pk=failed.pk).get()
        self.assertRedirects(response, again.get_absolute_url())
        self.assertEqual(again.parameters, failed.parameters)
        self.assertEqual(again.status, ReportJob.Status.DONE)

    def test_bad_input_re_renders_the_form_with_dutch_errors(self):
        response = self.post_request(self.coordinator, quarter="K3 van 2026")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Geef een kwartaal op als")
        self.assertContains(response, "K3 van 2026")
        response = self.post_request(self.coordinator, quarter="")
        self.assertContains(
            response, "Voor de kwartaalrapportage is een kwartaal nodig."
        )
        response = self.post_request(self.coordinator, kind="feedback", year="")
        self.assertContains(response, "Voor het terugkoppelingsoverzicht is een jaar")
        self.assertFalse(ReportJob.objects.exists())

    def test_a_double_submit_makes_one_job(self):
        self.client.force_login(self.coordinator)
        body = {"form_token": "same", "kind": "quarterly", "quarter": self.quarter}
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("reports:request"), body)
            self.client.post(reverse("reports:request"), body)
        self.assertEqual(ReportJob.objects.count(), 1)

    def test_the_status_page_costs_a_fixed_number_of_queries(self):
        self.post_request(self.coordinator)
        job = ReportJob.objects.get()
        self.client.get(job.get_absolute_url())
        with self.assertNumQueries(5):
            self.client.get(job.get_absolute_url())


class JobAccessTests(ReportsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.job = ReportJob.objects.create(
            kind="quarterly", parameters={"quarter": "2026-K3"},
            requested_by=cls.coordinator, organisation=cls.gemeente,
            status=ReportJob.Status.DONE, progress=100, result=b"%PDF-1.4 x",
            filename="stuurgroep-2026-K3.pdf",
        )  # fmt: skip

    def urls(self):
        return [
            reverse("reports:job_detail", args=[self.job.pk]),
            reverse("reports:job_download", args=[self.job.pk]),
        ]

    def test_the_requester_reads_its_job(self):
        self.client.force_login(self.coordinator)
        for url in self.urls():
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_everyone_else_gets_404_even_of_the_same_organisation(self):
        others = (self.burgemeester, self.jurist, self.politie_user, self.riec_user,
                  self.toezicht, self.fg, self.zorg_user)  # fmt: skip
        for user in others:
            self.client.force_login(user)
            for url in self.urls():
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
            response = self.client.post(
                reverse("reports:job_repeat", args=[self.job.pk])
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(ReportJob.objects.count(), 1)

    def test_a_missing_job_is_the_same_404(self):
        self.client.force_login(self.coordinator)
        url = reverse("reports:job_detail", args=[self.job.pk + 1000])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_roles_without_figures_may_not_request(self):
        for user in (self.toezicht, self.fg, self.zorg_user):
            self.client.force_login(user)
            with self.subTest(user=user.username):
                url = reverse("reports:request")
                self.assertEqual(self.client.get(url).status_code, 404)
                response = self.client.post(
                    url, {"form_token": "x", "kind": "quarterly", "quarter": "2026-K3"}
                )
                self.assertEqual(response.status_code, 404)
        self.assertEqual(ReportJob.objects.count(), 1)

    def test_a_user_who_may_not_request_a_kind_cannot_post_it(self):
        # The form offers only the kinds the user may request; the service
        # refuses the rest as well.
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            services.job_request(user=self.toezicht, kind="quarterly", parameters={})
        with self.assertRaises(PermissionDenied):
            services.job_request(user=self.zorg_user, kind="feedback", parameters={})

    def test_the_list_shows_only_own_jobs(self):
        self.client.force_login(self.burgemeester)
        response = self.client.get(reverse("reports:request"))
        self.assertNotContains(response, "stuurgroep-2026-K3.pdf")
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("reports:request"))
        self.assertContains(response, "stuurgroep-2026-K3.pdf")


class PruneTests(ReportsTestCase):
    def make(self, user, n, *, days_ago=0, status=ReportJob.Status.DONE):
        created = timezone.now() - timedelta(days=days_ago)
        return [
            ReportJob.objects.create(
                kind="quarterly",
                requested_by=user,
                organisation=self.gemeente,
                status=status,
                created_at=created - timedelta(seconds=i),
            )  # fmt: skip
            for i in range(n)
        ]

    def test_old_jobs_and_those_beyond_the_last_twenty_go(self):
        kept = self.make(self.coordinator, 20)
        surplus = self.make(self.coordinator, 3, days_ago=1)
        old = self.make(self.burgemeester, 2, days_ago=31)
        recent = self.make(self.burgemeester, 1, days_ago=29)
        running = self.make(self.jurist, 1, days_ago=40, status="running")
        self.assertEqual(services.jobs_prune(), 5)
        left = set(ReportJob.objects.values_list("pk", flat=True))
        self.assertEqual(left, {j.pk for j in kept + recent + running})
        del surplus, old
