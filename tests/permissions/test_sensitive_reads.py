"""Issue 13 item 5: every read of D3–D7/D10 content is logged, lists too.

A list, the search results or Mijn werk that shows rows of a sensitive class
(a PGA file's title names a person) writes exactly one access-log row per page
view, naming the cases shown; a page with only D0 rows writes nothing and
costs no query more. A letter form prefilled from sensitive content writes a
row per class it read; the Top X page and the permit handler's Bibob outcome
pages write rows too. Real database, real requests."""

from datetime import date
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.views import compact_references
from permissions.models import AccessLog, DataClass, Role
from permissions.services import log_access, verify_chain
from tests.base import BaseTestCase
from tests.case_types import lod_intention_sent, pga_referral_recorded
from tests.factories import CaseFactory, UserFactory


class SensitiveReadTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.regisseur = UserFactory(
            username="regisseur", role=Role.CASUSREGISSEUR, organisation=cls.gemeente
        )
        cls.pga = [
            CaseFactory(pga=True, owner=cls.regisseur, title=f"Jan de Vries {i}")
            for i in range(3)
        ]
        assert {case.data_class for case in cls.pga} == {DataClass.D10}
        assert cls.case.data_class == DataClass.D0

    def new_rows(self, url, user):
        """The log rows one GET of `url` by `user` writes (after a warm-up
        request, so the per-process caches are filled), and the response."""
        self.client.force_login(user)
        self.client.get(url)
        before = AccessLog.objects.order_by("-id").values_list("id", flat=True)[:1]
        last = before[0] if before else 0
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return list(AccessLog.objects.filter(id__gt=last).order_by("id")), response

    def assert_one_row_naming(self, rows, object_type, cases, data_class="D10"):
        self.assertEqual(len(rows), 1, [(r.object_type, r.object_id) for r in rows])
        row = rows[0]
        self.assertEqual(
            (row.object_type, row.action, row.result, row.data_class),
            (object_type, "read", "ok", data_class),
        )
        for case in cases:
            number = case.reference.rpartition("-")[2]
            self.assertIn(number, row.object_id)
        self.assertTrue(verify_chain())


class ListReadTests(SensitiveReadTestCase):
    def test_the_case_list_writes_one_row_naming_the_d10_cases(self):
        rows, response = self.new_rows("/cases/", self.regisseur)
        self.assertContains(response, "Jan de Vries 0")
        self.assert_one_row_naming(rows, "case_list", self.pga)
        self.assertEqual(rows[0].username, "regisseur")
        self.assertTrue(rows[0].object_id.startswith(self.pga[-1].reference))

    def test_the_case_list_of_d0_cases_writes_nothing(self):
        rows, response = self.new_rows("/cases/", self.owner)
        self.assertContains(response, self.case.reference)
        self.assertEqual(rows, [])

    def test_search_writes_one_row_naming_the_d10_results(self):
        url = f"/search/?q={self.pga[1].reference}"
        rows, response = self.new_rows(url, self.regisseur)
        self.assertContains(response, "Jan de Vries 1")
        self.assert_one_row_naming(rows, "search", [self.pga[1]])
        self.assertEqual(rows[0].object_id, self.pga[1].reference)

    def test_search_with_only_d0_results_or_none_writes_nothing(self):
        rows, response = self.new_rows(f"/search/?q={self.case.reference}", self.owner)
        self.assertContains(response, self.case.title)
        self.assertEqual(rows, [])
        rows, _ = self.new_rows("/search/?q=nobody-by-this-name", self.regisseur)
        self.assertEqual(rows, [])
        rows, _ = self.new_rows("/search/", self.regisseur)
        self.assertEqual(rows, [])

    def test_my_work_writes_one_row_naming_the_d10_cases(self):
        rows, response = self.new_rows("/", self.regisseur)
        self.assertContains(response, "Jan de Vries 2")
        self.assert_one_row_naming(rows, "my_work", self.pga)

    def test_my_work_of_d0_cases_writes_nothing(self):
        rows, response = self.new_rows("/", self.owner)
        self.assertContains(response, self.case.reference)
        self.assertEqual(rows, [])

    def test_a_d10_page_costs_exactly_one_log_row_more(self):
        """With D10 rows a page's only extra statements are those of one
        `log_access` (the data class comes with the rows); with D0 rows it
        runs the same statements whether or not logging is there."""
        for _ in range(2):  # the second, once the shards' heads exist
            with CaptureQueriesContext(connection) as one_row:
                log_access(
                    user=self.regisseur, action="read", object_type="probe",
                    object_id="x", data_class=DataClass.D10,
                )  # fmt: skip
        quiet = mock.patch("casework.views.log_access")
        pages = ("/cases/", "/", f"/search/?q={self.pga[0].reference}")
        for user, extra in ((self.regisseur, len(one_row)), (self.owner, 0)):
            self.client.force_login(user)
            for url in pages:
                with self.subTest(user=user.username, url=url):
                    self.client.get(url)
                    with quiet, CaptureQueriesContext(connection) as without:
                        self.client.get(url)
                    with CaptureQueriesContext(connection) as logged:
                        self.client.get(url)
                    self.assertEqual(len(logged), len(without) + extra)

    def test_every_case_shown_is_named_in_one_row(self):
        """A list page of 23 PGA files writes one row that names all 23
        (issue 13: "one row per page, naming the objects shown"): the newest
        first, the year and type written once per run."""
        more = [
            CaseFactory(pga=True, owner=self.regisseur, title=f"Persoon {i}")
            for i in range(20)
        ]
        rows, _ = self.new_rows("/cases/", self.regisseur)
        self.assertEqual(len(rows), 1)
        row = rows[0]
        self.assertNotIn("+", row.object_id)
        self.assertTrue(row.object_id.startswith(more[-1].reference + ","))
        prefix = more[-1].reference.rpartition("-")[0]
        named = {
            token if "-" in token else f"{prefix}-{token}"
            for token in row.object_id.replace(";", ",").split(",")
        }
        shown = {case.reference for case in self.pga + more}
        self.assertEqual(named, shown)

    def test_a_full_page_of_fifty_fits(self):
        """Fifty references of different types and years, the worst case
        for the compaction, fit in the column."""
        references = [
            f"{2000 + n}-{'PGA' if n % 2 else 'BIB'}-{n:04d}" for n in range(50)
        ]
        text = compact_references(references)
        self.assertNotIn("+", text)
        self.assertEqual(text.split(";"), references)


class CompactReferenceTests(BaseTestCase):
    def test_runs_of_one_type_share_their_prefix(self):
        self.assertEqual(
            compact_references(["2026-PGA-0003", "2026-PGA-0002", "2026-BIB-0001"]),
            "2026-PGA-0003,0002;2026-BIB-0001",
        )
        self.assertEqual(compact_references([]), "")

    def test_what_does_not_fit_is_counted(self):
        references = [f"2026-PGA-{n:04d}" for n in range(30, 0, -1)]
        text = compact_references(references, limit=30)
        self.assertLessEqual(len(text), 30)
        self.assertEqual(text, "2026-PGA-0030,0029,0028+27")


class LetterFormReadTests(SensitiveReadTestCase):
    def test_a_letter_form_prefilled_from_a_pga_file_writes_a_d10_row(self):
        case = self.pga[0]
        url = f"/cases/{case.reference}/documents/new/?template=aanmeldbevestiging_pga"
        # The confirmation is offered once the referral is recorded (Wgs 2.31
        # lid 1): not on a file without one.
        self.client.force_login(self.regisseur)
        self.assertEqual(self.client.get(url).status_code, 404)
        pga_referral_recorded(
            case, self.regisseur, person_name="Jan de Vries", reporter=self.politie,
            received_on=date(2026, 11, 23),
        )  # fmt: skip
        rows, _ = self.new_rows(url, self.regisseur)
        self.assertEqual(
            [(r.object_type, r.object_id, r.data_class, r.case_id) for r in rows],
            [("letter_form", "aanmeldbevestiging_pga", "D10", case.pk)],
        )
        self.assertEqual(rows[0].case_reference, case.reference)

    def test_a_letter_form_of_a_d0_case_writes_nothing(self):
        # The voornemen letter is offered once the voornemen step was taken.
        lod_intention_sent(self.case, self.owner)
        rows, _ = self.new_rows(
            f"/cases/{self.case.reference}/documents/new/?template=voornemen_lod",
            self.owner,
        )
        self.assertEqual(rows, [])
        rows, _ = self.new_rows(
            f"/cases/{self.case.reference}/documents/new/", self.owner
        )
        self.assertEqual(rows, [])

    def test_the_template_choice_of_a_d10_case_names_it(self):
        # The page shows the case's title, which names the person.
        case = self.pga[0]
        rows, response = self.new_rows(
            f"/cases/{case.reference}/documents/new/", self.regisseur
        )
        self.assertContains(response, case.title)
        self.assertEqual(
            [(r.object_type, r.data_class, r.case_id) for r in rows],
            [("letter_choice", "D10", case.pk)],
        )

    def _visit(self, case, coordinator):
        """Walk the inspection to C50 (visit carried out) through its steps."""
        from datetime import timedelta

        from django.utils import timezone

        import time_machine

        from casework.steps import step_run
        from workflows.controle import models as controle

        visit = controle.visit_plan(
            case=case, user=coordinator, lead=coordinator,
            planned_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip
        slot = controle.slot_add(
            visit=visit, user=coordinator, kind="politie",
            legal_basis="Politiewet 3", organisation=self.politie,
        )  # fmt: skip
        controle.slot_confirm(slot=slot, user=coordinator)
        for name in ("start_triage", "select", "check_entry", "fix_plan"):
            case = step_run(case=case, name=name, user=coordinator)
        controle.briefing_save(case=case, user=coordinator, risk_flags="-",
                               powers="Awb 5:15")  # fmt: skip
        with time_machine.travel(visit.planned_at + timedelta(hours=1)):
            for name, key in (("hold_briefing", "held_on"),
                              ("start_visit", "started_on"),
                              ("finish_visit", "finished_on")):  # fmt: skip
                case = step_run(case=case, name=name, user=coordinator,
                                data={key: timezone.localdate()})  # fmt: skip

    def test_a_letter_form_prefilled_from_findings_names_their_classes(self):
        from workflows.controle.models import Finding

        coordinator = UserFactory(role=Role.COORDINATOR, organisation=self.gemeente)
        case = CaseFactory(controle=True, owner=coordinator)
        self.assertEqual(case.data_class, DataClass.D0)
        self._visit(case, coordinator)  # the report is offered after the visit
        url = f"/cases/{case.reference}/documents/new/?template=bezoekrapport"
        rows, _ = self.new_rows(url, coordinator)
        self.assertEqual(rows, [])  # no findings yet: nothing sensitive read
        Finding.objects.create(
            case=case, organisation=self.politie, author=self.politie_user,
            text="Hennepkwekerij op zolder.", data_class=DataClass.D3,
            shareable=True,
        )  # fmt: skip
        rows, response = self.new_rows(url, coordinator)
        self.assertContains(response, "Hennepkwekerij op zolder.")
        self.assertEqual(
            [(r.object_type, r.data_class, r.case_id) for r in rows],
            [("letter_form", "D3", case.pk)],
        )

    def test_posting_the_form_logs_no_read(self):
        case = self.pga[0]
        self.client.force_login(self.regisseur)
        url = f"/cases/{case.reference}/documents/new/"
        before = AccessLog.objects.filter(object_type="letter_form").count()
        self.client.post(url, {"template": "aanmeldbevestiging_pga"})
        self.assertEqual(
            AccessLog.objects.filter(object_type="letter_form").count(), before
        )


class TopXReadTests(SensitiveReadTestCase):
    def test_the_top_x_page_logs_each_placement_shown(self):
        from workflows.pga.models import TopXEntry

        rows, _ = self.new_rows("/pga/top-x/", self.regisseur)
        self.assertEqual(rows, [])  # no placements: nothing read
        entries = [
            TopXEntry.objects.create(
                case=case, placed_by=self.regisseur, reason="Veelpleger"
            )
            for case in self.pga[:2]
        ]
        rows, response = self.new_rows("/pga/top-x/", self.regisseur)
        self.assertContains(response, "Jan de Vries 0")
        self.assertEqual(
            sorted((r.object_type, r.object_id, r.data_class, r.case_id) for r in rows),
            sorted(("topxentry", str(e.pk), "D10", e.case_id) for e in entries),
        )


class BibobOutcomeReadTests(SensitiveReadTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from workflows.bibob.services import bibob_permit_handler_add

        cls.bibob = UserFactory(role=Role.BIBOB, organisation=cls.gemeente)
        cls.vergunning = UserFactory(
            username="vergunning", role=Role.VERGUNNING, organisation=cls.gemeente
        )
        cls.screening = CaseFactory(
            bibob=True, owner=cls.bibob, title="Exploitatievergunning De Kroon"
        )
        assert cls.screening.data_class == DataClass.D5
        bibob_permit_handler_add(
            case=cls.screening, user=cls.bibob, handler=cls.vergunning
        )

    def test_the_outcome_page_writes_a_d5_row(self):
        url = f"/cases/{self.screening.reference}/bibob/outcome/"
        rows, response = self.new_rows(url, self.vergunning)
        self.assertContains(response, "Exploitatievergunning De Kroon")
        self.assertEqual(
            [(r.object_type, r.data_class, r.case_id, r.username) for r in rows],
            [("bibob_outcome", "D5", self.screening.pk, "vergunning")],
        )

    def test_the_outcome_list_writes_one_row_naming_the_cases(self):
        rows, response = self.new_rows("/bibob/outcomes/", self.vergunning)
        self.assertContains(response, "Exploitatievergunning De Kroon")
        self.assert_one_row_naming(
            rows, "bibob_outcomes", [self.screening], data_class="D5"
        )

    def test_the_bibob_letter_and_share_forms_write_d5_rows(self):
        case = self.screening
        for url, kind, key in (
            (
                f"/cases/{case.reference}/bibob/letters/new/"
                "?template=lbb_adviesaanvraag",
                "letter_form",
                "lbb_adviesaanvraag",
            ),
            (f"/cases/{case.reference}/bibob/share/", "bibob_share_form", None),
        ):
            with self.subTest(kind=kind):
                rows, _ = self.new_rows(url, self.bibob)
                self.assertEqual(
                    [(r.object_type, r.object_id, r.data_class, r.case_id)
                     for r in rows],
                    [(kind, key or case.reference, "D5", case.pk)],
                )  # fmt: skip

    def test_an_empty_outcome_list_writes_nothing(self):
        other = UserFactory(role=Role.VERGUNNING, organisation=self.gemeente)
        rows, _ = self.new_rows("/bibob/outcomes/", other)
        self.assertEqual(rows, [])
