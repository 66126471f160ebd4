"""The Bibob dossier page at scale (issue 16 item 7): a fixed number of
queries whatever the number of sources, conclusions and earlier Bibob cases
about the same parties (art 29), every read logged in one transaction of the
access log, and the terms read once (the same dates as `terms`)."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.models import CaseParty
from permissions.models import AccessLog, DataClass
from permissions.services import verify_access_log
from workflows.bibob import terms
from workflows.bibob.models import BibobConclusion, BibobSource, Danger

from .test_bibob_reuse import SECRET, person
from .test_bibob_states import LBB_QUESTIONS_AND_EXTENSION, BibobTestCase

# The access log's statements (it opens no savepoint inside the test's
# transaction): take a shard's head, insert the rows and move the head (one
# statement on PostgreSQL, two on SQLite).
LOG_STATEMENTS = 2 if connection.vendor == "postgresql" else 3
# Session, user and membership (middleware); the case with the team role
# (and which sections have rows: no letters here, so no documents query);
# intake, sources, conclusions; art 29: the case's parties, the party rows
# with their BSNs (no KvK number here), the matching Bibob cases, their
# conclusions with whether the reader sees each case (and its team role
# there), the coordinators of the others; the two deadlines and the LBB ledger; shares;
# permit handlers. The benchmark's dossiers took 36 before issue 16 item 7
# (guardian grants read per case, a log transaction per row, the intake and
# the LBB term read twice, a query per hidden case's coordinators).
PAGE_QUERIES = 16 + LOG_STATEMENTS


class DossierPageQueryTests(BibobTestCase):
    def setUp(self):
        self.go(LBB_QUESTIONS_AND_EXTENSION)
        services.case_add_party(
            case=self.case, user=self.bibob, party=person(),
            role=CaseParty.Role.AANVRAGER,
        )  # fmt: skip
        self.url = f"/cases/{self.case.reference}/bibob/"

    def earlier(self, owner, concluded_on=date(2025, 1, 6)):
        """Another Bibob case of `owner` about the same person, concluded."""
        case = services.case_open(user=owner, case_type="BIB", title="Eerder")
        services.case_add_party(
            case=case, user=owner, party=person(), role=CaseParty.Role.AANVRAGER
        )
        BibobConclusion.objects.create(
            case=case, degree=Danger.ERNSTIG, ground_a=True,
            proportionality=SECRET, concluded_on=concluded_on, recorded_by=owner,
        )  # fmt: skip
        return case

    def more_sources(self, n):
        for k in range(n):
            BibobSource.objects.create(
                case=self.case, kind="kvk", consulted_on=date(2026, 3, 4),
                legal_basis="Handelsregisterwet", finding=f"Bron {k}",
                recorded_by=self.bibob,
            )  # fmt: skip

    def page(self):
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries), response

    def test_a_fixed_number_of_queries(self):
        self.earlier(self.bibob)  # seen in full
        self.earlier(self.bibob2)  # only that it exists, and whom to ask
        self.login(self.bibob)
        self.client.get(self.url)  # the access log's first write makes its heads
        before, _ = self.page()
        self.more_sources(3)
        for _ in range(3):
            self.earlier(self.bibob)
            self.earlier(self.bibob2)
        after, response = self.page()
        self.assertEqual(after, before)
        self.assertEqual(after, PAGE_QUERIES)
        self.assertContains(response, "Bron 2")
        self.assertEqual(len(response.context["earlier"]), 8)
        self.assertEqual(sum(1 for e in response.context["earlier"] if e.visible), 4)

    def test_every_read_is_logged_in_one_transaction_of_the_chain(self):
        seen = self.earlier(self.bibob)
        self.earlier(self.bibob2)
        self.more_sources(2)
        self.login(self.bibob)
        before = AccessLog.objects.count()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        rows = list(AccessLog.objects.order_by("id")[before:])
        sources = BibobSource.objects.filter(case=self.case).order_by("id")
        conclusions = BibobConclusion.objects.filter(case=self.case)
        self.assertEqual(
            [(r.object_type, r.object_id, r.case_reference) for r in rows],
            [("bibobsource", str(s.pk), self.case.reference) for s in sources]
            + [("bibobconclusion", str(c.pk), self.case.reference)
               for c in conclusions.order_by("-recorded_at", "-id")]
            + [("bibobconclusion", str(seen.bibob_conclusions.get().pk),
                seen.reference)],
        )  # fmt: skip
        self.assertEqual({(r.username, r.data_class) for r in rows},
                         {("bibob", DataClass.D5)})  # fmt: skip
        # One take of one shard's head: consecutive rows of one chain.
        self.assertEqual(len({r.shard for r in rows}), 1)
        seqs = [r.seq for r in rows]
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(rows))))
        report = verify_access_log(record=False, checkpoint=False)
        self.assertTrue(report.ok, report.summary())

    def test_the_terms_are_those_of_the_terms_module(self):
        self.login(self.bibob)
        response = self.client.get(self.url)
        context = response.context
        self.assertIsNotNone(context["lbb_term"])
        self.assertEqual(context["decision_term"], terms.beslistermijn(self.case))
        self.assertEqual(context["lbb_term"], terms.lbb_term(self.case))
        # Art 15 lid 2 (12 days) and lid 3 (28 days) moved the cap.
        self.assertEqual(context["art31_cap"], terms.art31_cap(self.case))
        self.assertEqual(context["art31_cap"], date(2026, 6, 12))
        self.assertContains(response, "12 juni 2026")
