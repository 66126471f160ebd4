"""Art 29 at scale (docs/performance.md, "Workflow pages at scale"): the
reuse check finds the matching party rows by their own columns (party row,
BSN, KvK number) and then their Bibob cases, instead of one OR across the
case-party join that could use no index. Same results; a fixed number of
queries however many other cases, parties and case types there are."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import services
from casework.models import CaseParty, Party
from workflows.bibob.models import BibobConclusion, Danger
from workflows.bibob.selectors import earlier_conclusions

from ..test_bibob_reuse import BSN, KVK, TODAY, company, person
from ..test_bibob_states import BibobTestCase


class ReuseLookupTests(BibobTestCase):
    def earlier(self, party, concluded_on=date(2024, 1, 5), case_type="BIB"):
        case = services.case_open(user=self.bibob, case_type=case_type, title="Eerder")
        role = (
            CaseParty.Role.AANVRAGER
            if case_type == "BIB"
            else CaseParty.Role.OVERTREDER
        )
        services.case_add_party(case=case, user=self.bibob, party=party, role=role)
        if case_type == "BIB":
            BibobConclusion.objects.create(
                case=case, degree=Danger.GEEN, concluded_on=concluded_on,
                recorded_by=self.bibob,
            )  # fmt: skip
        return case

    def found(self):
        return earlier_conclusions(user=self.bibob, case=self.case, today=TODAY)

    def add_parties(self):
        for party in (person(), company()):
            services.case_add_party(
                case=self.case, user=self.bibob, party=party,
                role=CaseParty.Role.AANVRAGER,
            )  # fmt: skip

    def queries(self) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            self.found()
        return [q["sql"] for q in ctx.captured_queries]

    def test_the_case_lookup_filters_on_party_ids_only(self):
        """No query ORs a BSN or KvK number across the case-party join: the
        numbers are looked up on the party table, each on its own column."""
        self.add_parties()
        self.earlier(person(name="Jan J."))
        for sql in self.queries():
            if '"casework_caseparty"' in sql and "bsn" in sql.lower():
                self.assertNotIn(" OR ", sql)
        party_lookups = [
            sql for sql in self.queries()
            if sql.lstrip().startswith('SELECT "casework_party"."id"')
        ]  # fmt: skip
        self.assertEqual(len(party_lookups), 2)  # one by BSN, one by KvK

    def test_the_number_of_queries_does_not_grow_with_other_cases(self):
        self.add_parties()
        self.earlier(person(name="Jan J."))
        self.found()  # the access log's first write makes its shard heads
        before = len(self.queries())
        for k in range(6):
            # Other applicants, the same person in a penalty case, and an old
            # conclusion outside the window: none is shown.
            self.earlier(person(bsn="123456782", name=f"Piet {k}"))
            self.earlier(person(), case_type="LOD")
            self.earlier(company(kvk=f"8765432{k}"))
        self.earlier(person(), concluded_on=date(2019, 1, 1))
        with self.assertNumQueries(before):
            found = self.found()
        self.assertEqual(len(found), 1)
        self.assertEqual(found[0].matched_on, "BSN")

    def test_same_results_for_every_key(self):
        """By the party row, by a BSN on another row, by a KvK number on
        another row; none for a party without numbers on another row."""
        self.add_parties()
        bare = Party(kind=Party.Kind.PERSON, name="Zonder nummer")
        services.case_add_party(
            case=self.case, user=self.bibob, party=bare, role=CaseParty.Role.BETROKKENE
        )
        by_bsn = self.earlier(person(name="J. Jansen"))
        by_kvk = self.earlier(company(name="De Kroon Horeca"))
        by_row = self.earlier(bare)
        self.earlier(Party(kind=Party.Kind.PERSON, name="Zonder nummer"))
        found = {e.case: e.matched_on for e in self.found()}
        self.assertEqual(found, {by_bsn: "BSN", by_kvk: "KvK", by_row: "party"})
        self.assertEqual(
            set(Party.objects.filter(bsn=BSN).values_list("bsn", flat=True)), {BSN}
        )
        self.assertTrue(Party.objects.filter(kvk_number=KVK).count() >= 2)
