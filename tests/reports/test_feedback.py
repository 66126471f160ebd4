"""The RIEC's yearly feedback overview (WGS 1.7 lid 4) against hand-built
RIEC results: per recipient, what became of each; own organisation only,
the RIEC all; the page, the CSV and the access log."""

import io
from datetime import date
from unittest import mock

from django.test import override_settings
from django.urls import reverse

import pypdf

from casework import services as case_services
from casework.models import Signal
from casework.registry import registry
from permissions.models import AccessLog
from reports import feedback
from reports.models import ReportJob

from .base import FILED_REASON, ReportsTestCase


class OverviewTests(ReportsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_riec_results()

    def outcomes(self, user, **kwargs):
        data = feedback.overview(user, self.year, **kwargs)
        return {
            r.name: [(s.reference, s.outcome) for s in r.results]
            for r in data.recipients
        }

    def test_the_gemeente_sees_its_own_results_and_what_became_of_each(self):
        found = self.outcomes(self.coordinator)
        self.assertEqual(
            found,
            {
                "Gemeente Venlo": [
                    (self.converted.reference, feedback.CONVERTED),
                    (self.filed.reference, feedback.FILED),
                    (self.untouched.reference, feedback.OPEN),
                ]
            },
        )

    def test_a_converted_result_names_its_case_type_and_status(self):
        data = feedback.overview(self.coordinator, self.year)
        result = data.recipients[0].results[0]
        self.assertEqual(len(result.cases), 1)
        case = result.cases[0]
        self.assertEqual(case.reference, self.case.reference)
        self.assertEqual(case.type_label, registry.type_label("LOD"))
        self.assertEqual(
            case.status_label, registry.status_label("LOD", self.case.status)
        )
        self.assertFalse(case.closed)
        self.assertEqual(result.filed_reason, "")

    def test_a_filed_result_carries_the_reason_nothing_was_done(self):
        data = feedback.overview(self.coordinator, self.year)
        filed = data.recipients[0].results[1]
        self.assertEqual(filed.filed_reason, FILED_REASON)
        self.assertEqual(filed.cases, [])

    def test_counts_per_outcome(self):
        data = feedback.overview(self.coordinator, self.year)
        counts = {key: n for key, _label, n in data.recipients[0].counts}
        self.assertEqual(
            counts,
            {"converted": 1, "filed": 1, "elsewhere": 0, "triage": 0, "open": 1},
        )
        self.assertEqual(data.total, 3)

    def test_the_police_see_theirs_the_gemeente_case_as_converted_elsewhere(self):
        found = self.outcomes(self.politie_user)
        self.assertEqual(
            found,
            {
                "Politie Eenheid Limburg": [
                    (self.police_only.reference, feedback.OPEN),
                    (self.converted.reference, feedback.ELSEWHERE),
                    (self.filed.reference, feedback.FILED),
                    (self.untouched.reference, feedback.OPEN),
                ]
            },
        )
        data = feedback.overview(self.politie_user, self.year)
        elsewhere = data.recipients[0].results[1]
        # The gemeente's case is not named to the police.
        self.assertEqual(elsewhere.cases, [])

    def test_the_riec_sees_every_recipient(self):
        found = self.outcomes(self.riec_user)
        self.assertEqual(list(found), ["Gemeente Venlo", "Politie Eenheid Limburg"])
        only = self.outcomes(self.riec_user, organisation_id=self.politie.pk)
        self.assertEqual(list(only), ["Politie Eenheid Limburg"])

    def test_a_recipient_that_received_nothing_has_no_rows(self):
        self.assertEqual(self.outcomes(self.fiscus_user), {})

    def test_another_year_and_other_signals_are_not_counted(self):
        data = feedback.overview(self.riec_user, self.year - 1)
        self.assertEqual(
            [s.reference for r in data.recipients for s in r.results],
            [self.last_year.reference, self.last_year.reference],
        )
        shown = {s.reference for r in feedback.overview(
            self.riec_user, self.year).recipients for s in r.results}  # fmt: skip
        self.assertNotIn(self.not_riec.reference, shown)
        self.assertNotIn(self.last_year.reference, shown)

    def test_no_feedback_for_users_outside_the_rule(self):
        for user in (self.toezicht, self.fg, self.zorg_user):
            self.assertEqual(feedback.overview(user, self.year).recipients, [])

    def test_queries_do_not_grow_with_the_results(self):
        with self.assertNumQueries(5):
            feedback.overview(self.riec_user, self.year)
        for _n in range(5):
            self.riec_signal()
        with self.assertNumQueries(5):
            data = feedback.overview(self.riec_user, self.year)
        self.assertEqual(data.total, 4 + 5 * 2 + 3)


class SummaryAndPagesTests(ReportsTestCase):
    """The page's counts (`feedback.summary`, counted by the database) are
    `overview`'s counts, for every reader and filter; its results come a
    page at a time (`feedback.results_page`), in `overview`'s order."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_riec_results()
        # A RIEC result the gemeente registered itself (its supplier is a
        # recipient) and one shared with the RIEC itself (never a recipient).
        cls.own = case_services.signal_register(
            user=cls.jurist, source=Signal.Source.RIEC,
            received_on=date(cls.year, 2, 1), summary="Eigen registratie",
            data_class="D2", legal_basis="WGS 1.7", shared_with=[],
        )  # fmt: skip
        cls.to_riec = cls.riec_signal(
            received_on=date(cls.year, 2, 2), shared_with=[cls.riec, cls.fiscus]
        )

    def counts_of(self, data):
        return {r.name: r.counts for r in data.recipients}

    def test_the_counts_are_the_overviews(self):
        readers = [self.coordinator, self.politie_user, self.riec_user,
                   self.fiscus_user, self.toezicht, self.fg,
                   self.zorg_user]  # fmt: skip
        for user in readers:
            for year in (self.year, self.year - 1, self.year + 1):
                for organisation in (None, self.gemeente.pk, self.politie.pk):
                    with self.subTest(user=user.username, year=year, org=organisation):
                        full = feedback.overview(
                            user, year, organisation_id=organisation
                        )
                        counted = feedback.summary(
                            user, year, organisation_id=organisation
                        )
                        self.assertEqual(self.counts_of(counted), self.counts_of(full))
                        self.assertEqual(counted.total, full.total)
                        self.assertEqual(counted.totals, full.totals)
        # The case the fixtures promise: every outcome but triage is there.
        riec = feedback.summary(self.riec_user, self.year)
        self.assertEqual(
            [r.name for r in riec.recipients],
            ["Belastingdienst Zuid", "Gemeente Venlo", "Politie Eenheid Limburg"],
        )
        gemeente = dict((k, n) for k, _l, n in riec.recipients[1].counts)
        self.assertEqual(
            gemeente,
            {"converted": 1, "filed": 1, "elsewhere": 0, "triage": 0, "open": 2},
        )

    def test_the_counts_take_three_queries_whatever_the_results(self):
        # The access question (for the RIEC: every organisation), the counts,
        # the recipients' names.
        feedback.summary(self.riec_user, self.year)  # the membership, cached
        user = self.riec_user
        with self.assertNumQueries(3):
            feedback.summary(user, self.year)
        for _n in range(4):
            self.riec_signal()
        with self.assertNumQueries(3):
            data = feedback.summary(user, self.year)
        self.assertEqual(data.total, feedback.overview(user, self.year).total)

    def test_the_results_come_a_page_at_a_time_in_the_overviews_order(self):
        user = self.riec_user
        whole = {
            r.organisation_id: [s.reference for s in r.results]
            for r in feedback.overview(user, self.year).recipients
        }
        for recipient in feedback.summary(user, self.year).recipients:
            with self.subTest(recipient=recipient.name):
                seen, after, pages = [], None, 0
                while True:
                    page = feedback.results_page(
                        user, self.year, recipient, after=after, size=2
                    )
                    pages += 1
                    self.assertLessEqual(len(page.results), 2)
                    seen += [s.reference for s in page.results]
                    self.assertEqual(page.previous is None, after is None)
                    if page.next is None:
                        break
                    after = page.next
                self.assertEqual(seen, whole[recipient.organisation_id])
                self.assertEqual(pages, max(1, -(-len(seen) // 2)))
                # Back from the last page: the page before it.
                if page.previous is not None:
                    back = feedback.results_page(
                        user, self.year, recipient, before=page.previous, size=2
                    )
                    self.assertEqual(
                        [s.reference for s in back.results],
                        seen[-len(page.results) - 2 : -len(page.results)],
                    )
                    again = feedback.results_page(
                        user, self.year, recipient, after=back.next, size=2
                    )
                    self.assertEqual(again.results, page.results)

    def test_a_page_shows_the_outcome_cases_and_reason_as_the_overview(self):
        gemeente = next(
            r for r in feedback.summary(self.coordinator, self.year).recipients
        )
        page = feedback.results_page(self.coordinator, self.year, gemeente)
        whole = feedback.overview(self.coordinator, self.year).recipients[0].results
        self.assertEqual(page.results, whole)
        self.assertEqual(page.results[0].cases[0].reference, self.case.reference)
        self.assertEqual(page.results[1].filed_reason, FILED_REASON)

    def test_a_key_that_does_not_parse_is_the_first_page(self):
        gemeente = feedback.summary(self.coordinator, self.year).recipients[0]
        first = feedback.results_page(self.coordinator, self.year, gemeente, size=2)
        for bad in ("", "x", "2026-13-40|X", "|", "2026-01-01", "2026-01-01|",
                    "2026-01-01|2026-SIG\x000001", "2026-01-01|" + "9" * 31,
                    "2026-01-01|a b", "\x00|\x00"):  # fmt: skip
            with self.subTest(key=bad):
                page = feedback.results_page(
                    self.coordinator, self.year, gemeente, after=bad, before=bad, size=2
                )
                self.assertEqual(page.results, first.results)
                self.assertIsNone(page.previous)

    def test_another_recipients_page_is_empty_for_a_partner(self):
        # The police may read their own recipient only: asked for the
        # gemeente's line (as a crafted request would), no result comes back.
        gemeente = feedback.summary(self.riec_user, self.year).recipients[1]
        page = feedback.results_page(self.politie_user, self.year, gemeente)
        self.assertEqual(page.results, [])
        self.assertIsNone(page.next)


@override_settings(LANGUAGE_CODE="nl")
class FeedbackPageTests(ReportsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_riec_results()

    def get(self, user, name="reports:feedback", **params):
        self.client.force_login(user)
        return self.client.get(reverse(name), params)

    def test_the_page_shows_outcomes_in_dutch_without_summaries(self):
        response = self.get(self.coordinator, year=self.year)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Terugkoppeling op RIEC-resultaten")
        self.assertContains(response, self.case.reference)
        self.assertContains(response, FILED_REASON)
        self.assertContains(response, "Nog niet opgepakt")
        self.assertNotContains(response, "GEHEIME SAMENVATTING")
        self.assertNotContains(response, "Politie Eenheid Limburg</h2>")

    def test_the_page_read_is_logged_naming_the_sensitive_signals(self):
        before = AccessLog.objects.count()
        self.get(self.coordinator, year=self.year)
        self.assertEqual(AccessLog.objects.count(), before + 1)
        row = AccessLog.objects.order_by("-id").first()
        self.assertEqual(row.object_type, "riec_feedback")
        self.assertEqual(row.data_class, "D3")
        self.assertIn(self.filed.reference.rpartition("-")[2], row.object_id)

    def test_partner_sees_only_its_own_organisation(self):
        response = self.get(self.politie_user, year=self.year)
        self.assertContains(response, "Politie Eenheid Limburg")
        self.assertNotContains(response, "Gemeente Venlo</h2>")
        # Asking for another recipient gives nothing of it.
        response = self.get(
            self.politie_user, year=self.year, organisation=self.gemeente.pk
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.case.reference)

    def test_the_riec_chooses_a_recipient_to_see_its_results(self):
        response = self.get(self.riec_user, year=self.year)
        self.assertContains(response, "Kies een ontvanger om de resultaten te zien")
        self.assertContains(
            response,
            f'<a href="?year={self.year}&amp;organisation={self.politie.pk}">'
            "Politie Eenheid Limburg</a>",
        )
        self.assertNotContains(response, self.police_only.reference)
        # Nothing shown, nothing logged.
        before = AccessLog.objects.count()
        response = self.get(
            self.riec_user, year=self.year, organisation=self.politie.pk
        )
        self.assertContains(response, self.police_only.reference)
        self.assertContains(response, "4 resultaten, oudste eerst")
        self.assertEqual(AccessLog.objects.count(), before + 1)

    def test_the_results_are_paged_with_next_and_previous(self):
        query = {"year": self.year, "organisation": self.politie.pk}
        with mock.patch.object(feedback, "PAGE_SIZE", 3):
            first = self.get(self.riec_user, **query)
            self.assertContains(first, 'rel="next"')
            self.assertNotContains(first, 'rel="prev"')
            self.assertNotContains(first, self.untouched.reference)
            after = first.context["page"].next
            second = self.get(self.riec_user, **query, after=after)
        self.assertContains(second, self.untouched.reference)
        self.assertNotContains(second, self.police_only.reference)
        self.assertContains(second, 'rel="prev"')
        self.assertNotContains(second, 'rel="next"')
        # The log names what each page showed: the last one its one result.
        row = AccessLog.objects.order_by("-id").first()
        self.assertEqual(row.object_id, self.untouched.reference)

    def test_a_page_key_with_a_nul_byte_is_the_first_page(self):
        # PostgreSQL refuses a NUL byte in a query: the key is refused first.
        response = self.get(
            self.coordinator, year=self.year, after="2026-01-01|SIG\x00", before="\x00"
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.converted.reference)

    def test_outsiders_get_404(self):
        for user in (self.toezicht, self.fg, self.zorg_user):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user).status_code, 404)
                self.assertEqual(
                    self.get(user, "reports:feedback_csv").status_code, 404
                )

    def test_a_bad_year_is_a_dutch_error(self):
        response = self.get(self.coordinator, year="20x6")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Geef een jaar op als")
        response = self.get(self.coordinator, "reports:feedback_csv", year="x")
        self.assertEqual(response.status_code, 302)

    def test_csv_lists_one_line_per_result_and_case(self):
        response = self.get(self.coordinator, "reports:feedback_csv", year=self.year)
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        text = response.content.decode("utf-8-sig")
        lines = text.strip().split("\r\n")
        self.assertEqual(
            lines[0],
            "Ontvanger;Signaal;Ontvangen op;Bron;Aangeleverd door;Uitkomst;Zaak;"
            "Zaaktype;Status;Afgesloten op;Reden dat niets is gedaan",
        )
        self.assertEqual(len(lines), 4)
        converted = lines[1].split(";")
        self.assertEqual(converted[0], "Gemeente Venlo")
        self.assertEqual(converted[1], self.converted.reference)
        self.assertEqual(converted[5], "Omgezet in een zaak")
        self.assertEqual(converted[6], self.case.reference)
        filed = lines[2].split(";")
        self.assertEqual(filed[5], "Afgelegd zonder actie")
        self.assertEqual(filed[10], FILED_REASON)
        self.assertNotIn("GEHEIME", text)


@override_settings(LANGUAGE_CODE="nl")
class FeedbackJobTests(ReportsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.make_riec_results()

    def request_pdf(self, user):
        self.client.force_login(user)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("reports:request"),
                {"form_token": f"f-{user.pk}", "kind": "feedback", "year": self.year},
            )
        job = ReportJob.objects.get(requested_by=user)
        self.assertRedirects(response, job.get_absolute_url())
        self.assertEqual(job.status, ReportJob.Status.DONE, job.error)
        download = self.client.get(reverse("reports:job_download", args=[job.pk]))
        self.assertEqual(
            download["Content-Disposition"],
            f'attachment; filename="terugkoppeling-riec-{self.year}.pdf"',
        )
        reader = pypdf.PdfReader(io.BytesIO(download.content))
        # Table cells wrap: compare the words.
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())

    def test_the_pdf_lists_the_recipient_outcomes_without_summaries(self):
        before = AccessLog.objects.count()
        text = self.request_pdf(self.coordinator)
        self.assertIn(f"Terugkoppeling op RIEC-resultaten {self.year}", text)
        self.assertIn("artikel 1.7, vierde lid, WGS", text)
        self.assertIn("Gemeente Venlo", text)
        self.assertNotIn("Politie Eenheid Limburg", text)
        self.assertIn(self.case.reference, text)
        self.assertIn("Onvoldoende aanknopingspunten", text)
        self.assertNotIn("GEHEIME", text)
        self.assertEqual(AccessLog.objects.count(), before + 1)
        self.assertEqual(
            AccessLog.objects.order_by("-id").first().object_type, "riec_feedback"
        )

    def test_the_riec_pdf_has_every_recipient(self):
        text = self.request_pdf(self.riec_user)
        self.assertIn("Gemeente Venlo", text)
        self.assertIn("Politie Eenheid Limburg", text)
        self.assertIn("Omgezet door een andere ontvanger", text)

    def test_a_partner_of_a_private_organisation_may_not_request_it(self):
        self.client.force_login(self.zorg_user)
        response = self.client.post(
            reverse("reports:request"),
            {"form_token": "z", "kind": "feedback", "year": self.year},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(ReportJob.objects.exists())
