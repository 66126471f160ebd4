"""Search (casework.search): every field finds what the user may see, and
nothing the user may not see is ever found — not through a name, an address,
a BSN or a signal's text. A BSN search needs a purpose and is logged with it,
without the BSN. On PostgreSQL also typos and parts of words (the word list
of migration 0007); on SQLite the same interface with icontains."""

import re
from datetime import date
from unittest import mock, skipIf

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from casework import search, services
from casework.models import Case, CaseLocation, CaseParty, Location, Party, Signal
from permissions.models import AccessLog, DataClass, Role
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import CaseFactory, UserFactory, valid_bsn
from tests.indexes import generic_plan, statements
from tests.indexes import plan as explain

PG = connection.vendor == "postgresql"
BSN = valid_bsn(101)
OTHER_BSN = valid_bsn(102)
SECRET_BSN = valid_bsn(103)
KVK = "41236987"


class SearchTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The owner's open case (the base case, with the colleague, the
        # burgemeester and the police as contributor on its team): a person
        # with a BSN, a company with a KvK number, an address in Blerick.
        cls.add(cls.case, cls.owner, person="Jan Verheggen", bsn=BSN,
                street="Vastenavondkampweg", number=31, postcode="5925 AJ",
                city="Blerick")  # fmt: skip
        services.case_add_party(
            case=cls.case, user=cls.owner,
            party=Party(kind=Party.Kind.COMPANY, name="Snackbar Maasboulevard",
                        kvk_number=KVK),
            role=CaseParty.Role.RECHTHEBBENDE,
        )  # fmt: skip
        # The owner's closed case.
        cls.closed = CaseFactory(closed=True, owner=cls.owner, title="Hennepzolder")
        cls.add(cls.closed, cls.owner, person="Fleur Hendrikx", bsn=OTHER_BSN,
                street="Hanssumseweg", number=4, postcode="5935 BA",
                city="Steyl")  # fmt: skip
        # Cases the owner may not see, with the same person, BSN and address:
        # another jurist's open case, another jurist's closed case, and a
        # Bibob case (D5) on whose team the burgemeester sits.
        cls.foreign = services.case_open(user=cls.outsider, case_type=CaseType.LOD,
                                         title="Elders")  # fmt: skip
        cls.add(cls.foreign, cls.outsider, person="Jan Verheggen", bsn=BSN,
                street="Vastenavondkampweg", number=31, postcode="5925 AJ",
                city="Blerick")  # fmt: skip
        cls.foreign_closed = CaseFactory(closed=True, owner=cls.outsider,
                                         title="Gesloten elders")  # fmt: skip
        cls.add(cls.foreign_closed, cls.outsider, person="Bas Geheim",
                bsn=SECRET_BSN, street="Parade", number=9, postcode="5911 CE",
                city="Venlo")  # fmt: skip
        cls.bibob = UserFactory(role=Role.BIBOB, organisation=cls.gemeente)
        cls.bibob_case = CaseFactory(
            bibob=True, owner=cls.bibob, title="Exploitatievergunning Verheggen"
        )
        cls.add(cls.bibob_case, cls.bibob, person="Jan Verheggen", bsn=BSN,
                street="Vastenavondkampweg", number=31, postcode="5925 AJ",
                city="Blerick")  # fmt: skip
        services.case_team_add(case=cls.bibob_case, user=cls.bibob,
                               member=cls.burgemeester, team_role="member")  # fmt: skip
        # Signals: one of the gemeente (visible to its jurists), a police
        # report not shared with the gemeente, and one shared with it.
        cls.signal = services.signal_register(
            user=cls.colleague, source=Signal.Source.BURGER,
            received_on=date(2026, 3, 2), data_class=DataClass.D0,
            summary="Stankoverlast van hennep bij de loods van Verheggen.",
        )  # fmt: skip
        cls.police = UserFactory(role=Role.PARTNER, organisation=cls.politie)
        cls.hidden_signal = cls.police_report("Wietplantage achter de Loodsweg.")
        cls.shared_signal = cls.police_report(
            "Drugsrunners bij de Grensweg.", shared_with=[cls.gemeente]
        )

    @classmethod
    def police_report(cls, summary, shared_with=()):
        return services.signal_register(
            user=cls.police, source=Signal.Source.BESTUURLIJKE_RAPPORTAGE,
            received_on=date(2026, 3, 3), data_class=DataClass.D3,
            legal_basis="Wpg 16 lid 1 b", summary=summary, shared_with=shared_with,
        )  # fmt: skip

    @staticmethod
    def add(case, user, *, person, bsn, street, number, postcode, city):
        services.case_add_party(
            case=case, user=user,
            party=Party(kind=Party.Kind.PERSON, name=person, bsn=bsn),
            role=CaseParty.Role.OVERTREDER,
        )  # fmt: skip
        services.case_add_location(
            case=case, user=user,
            location=Location(street=street, house_number=number,
                              postcode=postcode, city=city),
            role=CaseLocation.Role.PREMISES,
        )  # fmt: skip

    def login(self, user) -> None:
        self.client.force_login(user, "django.contrib.auth.backends.ModelBackend")

    def found(self, user, text) -> set[str]:
        return {hit.reference for hit in search.search(user, text).hits}


class ParseTests(SearchTestCase):
    def test_each_kind_of_query(self):
        self.assertEqual(search.parse(BSN).kind, search.BSN)
        self.assertEqual(search.parse(f" {BSN[:4]}.{BSN[4:6]}.{BSN[6:]} ").value, BSN)
        self.assertEqual(search.parse(KVK).kind, search.KVK)
        postcode = search.parse("5925aj 31a")
        self.assertEqual((postcode.kind, postcode.value), (search.POSTCODE, "5925 AJ"))
        self.assertEqual((postcode.house_number, postcode.addition), (31, "A"))
        self.assertEqual(search.parse("2026-lod-7").value, "2026-LOD-0007")
        self.assertEqual(search.parse("LOD-0007").kind, search.PART_OF_REFERENCE)
        street = search.parse("Vastenavondkampweg 31")
        self.assertEqual((street.kind, street.house_number), (search.TEXT, 31))

    def test_nine_digits_failing_the_elfproef_are_no_bsn(self):
        self.assertNotEqual(search.parse("123456789").kind, search.BSN)

    def test_too_short(self):
        for text in ("", "  ", "ab", " a b "):
            with self.subTest(text=text):
                self.assertIsNone(search.parse(text))


class FieldTests(SearchTestCase):
    def test_each_field_finds_the_owners_case(self):
        queries = {
            "reference": self.case.reference,
            "reference in lower case": self.case.reference.lower(),
            "person": "Jan Verheggen",
            "surname": "verheggen",
            "company": "Snackbar Maasboulevard",
            "BSN": BSN,
            "KvK number": KVK,
            "street and house number": "Vastenavondkampweg 31",
            "street": "Vastenavondkampweg",
            "postcode": "5925 AJ",
            "postcode and house number": "5925AJ 31",
            "town": "Blerick",
            "title": "Drugshandel",
        }
        for field, text in queries.items():
            with self.subTest(field=field):
                self.assertIn(self.case.reference, self.found(self.owner, text))

    def test_closed_cases_are_found(self):
        for text in (
            "Hendrikx",
            OTHER_BSN,
            "Hanssumseweg 4",
            "5935 BA",
            "Hennepzolder",
        ):
            with self.subTest(text=text):
                self.assertEqual(self.found(self.owner, text), {self.closed.reference})
        [hit] = search.search(self.owner, "Hendrikx").hits
        self.assertFalse(hit.is_open)

    def test_signals_by_text_and_reference(self):
        self.assertIn(self.signal.reference, self.found(self.owner, "stankoverlast"))
        self.assertEqual(
            self.found(self.owner, self.signal.reference), {self.signal.reference}
        )
        [hit] = search.search(self.owner, "stankoverlast").hits
        self.assertEqual((hit.kind, hit.is_open), ("signal", True))

    def test_a_part_of_a_reference(self):
        number = self.case.reference.split("-", 1)[1]
        self.assertIn(self.case.reference, self.found(self.owner, number))

    def test_the_snippet_marks_what_matched_and_escapes_the_rest(self):
        [hit] = [
            h for h in search.search(self.owner, "Vastenavondkampweg 31").hits
            if h.reference == self.case.reference
        ]  # fmt: skip
        self.assertIn("<mark>Vastenavondkampweg</mark>", hit.snippet)
        self.assertIn("<mark>31</mark>", hit.snippet)
        self.assertEqual(
            search.highlight("<b>Jan</b> & Verheggen", ("verheggen",)),
            "&lt;b&gt;Jan&lt;/b&gt; &amp; <mark>Verheggen</mark>",
        )

    def test_a_different_house_number_finds_nothing(self):
        self.assertEqual(self.found(self.owner, "5925 AJ 32"), set())


class AccessTests(SearchTestCase):
    """A user never finds what the decision point does not let them see."""

    HIDDEN_TEXTS = ("Verheggen", "Jan Verheggen", BSN, SECRET_BSN, "Geheim",
                    "Vastenavondkampweg 31", "5925 AJ", "5911 CE", "Parade",
                    "Elders", "Exploitatievergunning", "Wietplantage")  # fmt: skip

    def test_the_owner_never_finds_others_cases_or_unshared_signals(self):
        hidden = {self.foreign.reference, self.foreign_closed.reference,
                  self.bibob_case.reference, self.hidden_signal.reference}  # fmt: skip
        for text in (*self.HIDDEN_TEXTS, *hidden):
            with self.subTest(text=text):
                self.assertEqual(self.found(self.owner, text) & hidden, set())

    def test_an_outsider_finds_only_its_own_case(self):
        self.assertEqual(self.found(self.outsider, BSN), {self.foreign.reference})
        self.assertEqual(self.found(self.outsider, "5925 AJ 31"),
                         {self.foreign.reference})  # fmt: skip
        self.assertEqual(
            self.found(self.outsider, SECRET_BSN), {self.foreign_closed.reference}
        )

    def test_the_burgemeester_sees_the_bibob_case_the_owner_does_not(self):
        self.assertEqual(self.found(self.burgemeester, BSN),
                         {self.case.reference, self.bibob_case.reference})  # fmt: skip
        self.assertNotIn(self.bibob_case.reference, self.found(self.owner, BSN))

    def test_a_partner_finds_its_case_by_reference_not_by_its_content(self):
        """The police sit on the case as contributor and see its outcome page:
        the reference and title find it, the parties and address (the file)
        do not."""
        user = self.politie_user
        self.assertEqual(self.found(user, self.case.reference), {self.case.reference})
        self.assertIn(self.case.reference, self.found(user, "Drugshandel"))
        for text in ("Verheggen", BSN, KVK, "5925 AJ", "Vastenavondkampweg 31"):
            with self.subTest(text=text):
                self.assertNotIn(self.case.reference, self.found(user, text))

    def test_signals_follow_their_supplier_and_sharing(self):
        self.assertEqual(self.found(self.owner, "Grensweg"),
                         {self.shared_signal.reference})  # fmt: skip
        self.assertEqual(self.found(self.owner, "Wietplantage"), set())
        self.assertEqual(self.found(self.police, "Wietplantage"),
                         {self.hidden_signal.reference})  # fmt: skip
        # Another organisation's gemeente signal is not the police's.
        self.assertEqual(self.found(self.police, "stankoverlast"), set())

    def test_users_without_case_roles_find_nothing(self):
        for text in ("Verheggen", BSN, self.case.reference):
            with self.subTest(text=text):
                self.assertEqual(self.found(self.fg, text), set())
                self.assertEqual(self.found(self.belastingdienst_user, text), set())

    def test_the_page_never_shows_a_hidden_reference(self):
        self.login(self.owner)
        for text in ("Verheggen", "5925 AJ 31", BSN):
            with self.subTest(text=text):
                response = self.client.get("/search/", {"q": text, "purpose": "zaak"})
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, self.case.reference)
                self.assertNotContains(response, self.foreign.reference)
                self.assertNotContains(response, self.bibob_case.reference)
        # The form echoes a reference typed; the results stay empty.
        response = self.client.get("/search/", {"q": self.foreign.reference})
        self.assertEqual(list(response.context["results"]), [])


@pytest.mark.postgres
@skipIf(not PG, "the word list and its trigram index are PostgreSQL's")
class TyposTests(SearchTestCase):
    def test_a_typo_finds_the_case(self):
        for text in ("Verhegen", "Jan Verhegen", "Vastenavondkampwg", "Hendriks"):
            with self.subTest(text=text):
                found = self.found(self.owner, text)
                self.assertTrue(
                    found & {self.case.reference, self.closed.reference}, text
                )

    def test_the_start_or_a_part_of_a_word_finds_the_case(self):
        for text in ("Verhegg", "heggen", "Vastenavond", "Maasboule"):
            with self.subTest(text=text):
                self.assertIn(self.case.reference, self.found(self.owner, text))

    def test_a_typo_never_finds_what_the_user_may_not_see(self):
        self.assertNotIn(self.foreign.reference, self.found(self.owner, "Verhegen"))
        self.assertEqual(self.found(self.owner, "Wietplantag"), set())

    def test_new_words_enter_the_word_list(self):
        services.case_add_party(
            case=self.case, user=self.owner,
            party=Party(kind=Party.Kind.PERSON, name="Quirijn Zwanenburg"),
            role=CaseParty.Role.BETROKKENE,
        )  # fmt: skip
        self.assertIn(self.case.reference, self.found(self.owner, "Zwanenbrug"))


@skipIf(PG, "the demo's fallback")
class SqliteFallbackTests(SearchTestCase):
    def test_icontains_through_the_orm(self):
        result = search.search(self.owner, "ERHEGG")
        self.assertEqual({h.reference for h in result.hits},
                         {self.case.reference, self.signal.reference})  # fmt: skip
        self.assertFalse(result.capped)


class PageTests(SearchTestCase):
    def get(self, user, **params):
        self.login(user)
        response = self.client.get("/search/", params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_results_show_kind_status_and_snippet_in_dutch(self):
        response = self.get(self.owner, q="Verheggen")
        self.assertContains(response, self.case.reference)
        self.assertContains(response, self.signal.reference)
        self.assertContains(response, "Zaak")
        self.assertContains(response, "Signaal")
        self.assertContains(response, "<mark>Verheggen</mark>", html=False)

    def test_too_short_and_nothing_found(self):
        self.assertContains(self.get(self.owner, q="ab"), "minstens drie tekens")
        response = self.get(self.owner, q="Xylofoonzaak")
        self.assertContains(response, "Niets gevonden")
        self.assertEqual(list(response.context["results"]), [])

    def test_without_a_query_nothing_is_listed(self):
        response = self.get(self.owner)
        self.assertIsNone(response.context["result"])

    def test_capped_results_ask_to_refine(self):
        with mock.patch.object(search, "LIMIT", 1):
            response = self.get(self.owner, q="Verheggen")
        self.assertEqual(len(response.context["results"]), 1)
        self.assertContains(response, "verfijn uw zoekopdracht")

    def test_rows_past_the_limit_are_not_highlighted(self):
        # The case and the signal both match; with room for one hit, the
        # second is only needed to tell that there is more: the rows after
        # it are not made into hits.
        self.assertEqual(len(search.search(self.owner, "Verheggen").hits), 2)
        marked = []

        def counted(text, terms):
            marked.append(text)
            return search_highlight(text, terms)

        search_highlight = search.highlight
        with (
            mock.patch.object(search, "LIMIT", 0),
            mock.patch.object(search, "highlight", counted),
        ):
            result = search.search(self.owner, "Verheggen")
        self.assertEqual((result.hits, result.capped), ([], True))
        self.assertEqual(len(marked), 1)


class BsnLogTests(SearchTestCase):
    def log_rows(self):
        return list(AccessLog.objects.filter(object_type="search_bsn"))

    def test_a_bsn_search_without_purpose_is_refused_in_dutch(self):
        response = PageTests.get(self, self.owner, q=BSN)
        self.assertContains(response, "Geef het doel van deze zoekopdracht op")
        self.assertIsNone(response.context["result"])
        self.assertEqual(self.log_rows(), [])

    def test_a_bsn_search_is_logged_with_its_purpose_and_without_the_bsn(self):
        response = PageTests.get(self, self.owner, q=BSN, purpose="zaak")
        self.assertContains(response, self.case.reference)
        [row] = self.log_rows()
        self.assertEqual(row.purpose_code, "zaak")
        self.assertEqual(row.username, self.owner.username)
        self.assertEqual(row.object_id, self.case.reference)
        self.assertEqual(row.data_class, DataClass.D1)
        for column in [f.attname for f in AccessLog._meta.concrete_fields]:
            self.assertNotIn(BSN, str(getattr(row, column)), column)

    def test_a_bsn_search_that_finds_nothing_is_logged_too(self):
        PageTests.get(self, self.outsider, q=OTHER_BSN, purpose="inzage")
        [row] = self.log_rows()
        self.assertEqual((row.object_id, row.purpose_code), ("-", "inzage"))

    def test_other_searches_need_no_purpose(self):
        response = PageTests.get(self, self.owner, q=KVK)
        self.assertContains(response, self.case.reference)
        self.assertEqual(self.log_rows(), [])

    def test_an_unknown_purpose_is_refused(self):
        response = PageTests.get(self, self.owner, q=BSN, purpose="nieuwsgierig")
        self.assertIsNone(response.context["result"])
        self.assertEqual(self.log_rows(), [])


class QueryCountTests(SearchTestCase):
    """The number of queries does not depend on how much matches."""

    def queries(self, user, text) -> int:
        with CaptureQueriesContext(connection) as captured:
            search.search(user, text)
        return len(captured)

    def test_more_matches_cost_no_more_queries(self):
        texts = ("Verheggen", BSN, "5925 AJ 31", self.case.reference)
        before = {text: self.queries(self.owner, text) for text in texts}
        for n in range(12):
            case = services.case_open(user=self.owner, case_type=CaseType.LOD,
                                      title=f"Verheggen {n}")  # fmt: skip
            self.add(case, self.owner, person="Jan Verheggen", bsn=BSN,
                     street="Vastenavondkampweg", number=31, postcode="5925 AJ",
                     city="Blerick")  # fmt: skip
        for text in texts:
            with self.subTest(text=text):
                # PostgreSQL: the word list, the probe (a town? common
                # words?), the statement.
                self.assertLessEqual(before[text], 9 if not PG else 3)
                with self.assertNumQueries(before[text]):
                    search.search(self.owner, text)
        self.assertGreaterEqual(len(search.search(self.owner, "Verheggen").hits), 13)

    def test_the_page_in_a_bounded_number_of_queries(self):
        self.login(self.owner)
        self.client.get("/search/", {"q": "Verheggen"})
        with CaptureQueriesContext(connection) as page:
            self.client.get("/search/", {"q": "Verheggen"})
        self.assertLessEqual(len(page), 14)


class LargeUserMixin:
    """The same tests for a user on more cases than the row-by-row pass
    reads (`search.OWN_CASES`): the indexes' case side decides."""

    def setUp(self):
        super().setUp()
        patch = mock.patch.object(search, "OWN_CASES", 0)
        patch.start()
        self.addCleanup(patch.stop)


@skipIf(not PG, "the indexes' case side is PostgreSQL's")
class LargeUserFieldTests(LargeUserMixin, FieldTests):
    pass


@skipIf(not PG, "the indexes' case side is PostgreSQL's")
class LargeUserAccessTests(LargeUserMixin, AccessTests):
    pass


@skipIf(not PG, "the indexes' case side is PostgreSQL's")
class LargeUserTyposTests(LargeUserMixin, TyposTests):
    pass


@skipIf(not PG, "plans are PostgreSQL's")
class SmallUserPlanTests(SearchTestCase):
    """A user on no more than OWN_CASES cases is searched in those cases row
    by row; the full-text index over every case title is not read at all.
    A larger user's search reads it (and is capped by CANDIDATES)."""

    def case_index_loops(self, user, text) -> int:
        with CaptureQueriesContext(connection) as captured:
            search.search(user, text)
        [statement] = [q["sql"] for q in captured if "mine_all" in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            import json

            plan = json.loads(plan)
        loops = []

        def walk(node):
            if node.get("Index Name") == "search_case_fts":
                loops.append(node["Actual Loops"])
            for child in node.get("Plans", []):
                walk(child)

        walk(plan[0]["Plan"])
        self.assertTrue(loops, "the statement names the case title index")
        return sum(loops)

    def test_a_small_user_reads_no_case_index(self):
        self.assertEqual(self.case_index_loops(self.owner, "Hennepzolder"), 0)
        self.assertIn(self.closed.reference, self.found(self.owner, "Hennepzolder"))

    def test_a_large_user_reads_it(self):
        with mock.patch.object(search, "OWN_CASES", 0):
            self.assertEqual(self.case_index_loops(self.owner, "Hennepzolder"), 1)
            self.assertIn(self.closed.reference, self.found(self.owner, "Hennepzolder"))


@skipIf(not PG, "the candidates and the row-by-row pass are PostgreSQL's")
class PartOfReferenceTests(SearchTestCase):
    """A part of a reference that starts with the year ("2026-LOD") is the
    start of every reference it names: its candidates are a range of the
    reference's pattern index, highest first; a user on no more than
    OWN_CASES cases also finds every case of theirs that starts so, however
    many others do."""

    def setUp(self):
        # Two more penalty cases of another jurist, numbered after the
        # owner's: with CANDIDATES at 1 the owner's is not among the two
        # highest references.
        for title in ("Elders twee", "Elders drie"):
            services.case_open(user=self.outsider, case_type=CaseType.LOD, title=title)
        self.prefix = self.case.reference.rsplit("-", 1)[0]
        self.assertRegex(self.prefix, r"^\d{4}-[A-Z]+$")
        self.assertEqual(search.parse(self.prefix).kind, search.PART_OF_REFERENCE)

    def test_a_small_user_finds_its_own_case_beyond_the_candidates(self):
        with mock.patch.object(search, "CANDIDATES", 1):
            result = search.search(self.owner, self.prefix)
        references = {hit.reference for hit in result.hits}
        self.assertIn(self.case.reference, references)
        self.assertNotIn(self.foreign.reference, references)
        self.assertFalse(result.capped)

    def test_a_large_user_is_told_that_more_may_match(self):
        with (
            mock.patch.object(search, "CANDIDATES", 1),
            mock.patch.object(search, "OWN_CASES", 0),
        ):
            result = search.search(self.owner, self.prefix)
        self.assertTrue(result.capped)
        self.assertNotIn(self.foreign.reference, {h.reference for h in result.hits})
        with mock.patch.object(search, "OWN_CASES", 0):
            self.assertIn(self.case.reference, self.found(self.owner, self.prefix))

    def test_other_parts_of_a_reference(self):
        """The start with its hyphen, and type and number ("LOD-0001", found
        anywhere in a reference through the trigram index)."""
        for text in (f"{self.prefix}-", self.case.reference[5:]):
            with self.subTest(text=text):
                self.assertEqual(search.parse(text).kind, search.PART_OF_REFERENCE)
                self.assertIn(self.case.reference, self.found(self.owner, text))

    def test_the_candidates_are_read_from_the_pattern_index_highest_first(self):
        with (
            mock.patch.object(search, "OWN_CASES", 0),
            CaptureQueriesContext(connection) as captured,
        ):
            search.search(self.owner, self.prefix)
        [statement] = [q["sql"] for q in captured if "case_direct" in q["sql"]]
        plan = explain(statement, index_scans_only=True)
        self.assertRegex(
            plan, r"Index Scan Backward using casework_case_reference_\w+_like"
        )
        self.assertIn(f"~>=~ '{self.prefix}'", plan)

    def test_a_generic_plan_reads_the_pattern_index_too(self):
        """The pattern is a literal: a prepared statement's generic plan of
        `LIKE %s` cannot take an index range from it (87 ms at 1M)."""
        with mock.patch.object(search, "OWN_CASES", 0):
            sent = statements(lambda: search.search(self.owner, self.prefix))
        [(sql, params)] = [s for s in sent if "case_direct" in s[0]]
        plan = generic_plan(sql, params)
        self.assertRegex(
            plan, r"Index Scan Backward using casework_case_reference_\w+_like"
        )
        self.assertRegex(plan, r"signal_reference_\w+_like")
        # A range of each index, not a walk of it in order with a filter.
        self.assertEqual(plan.count(f"~>=~ '{self.prefix}'"), 2)
        # The hits are those of the parameter form.
        self.assertIn(self.case.reference, self.found(self.owner, self.prefix))


@skipIf(not PG, "the town index and the word index are PostgreSQL's")
class TownTests(SearchTestCase):
    """A town's name alone is read through the town (`location_town`), a
    range that stops at the bound, not through the word index, which builds
    the set of every address of the town first; the same cases are found."""

    def statement_plan(self, text) -> str:
        with CaptureQueriesContext(connection) as captured:
            search.search(self.owner, text)
        [statement] = [q["sql"] for q in captured if "mine_all" in q["sql"]]
        return explain(statement)

    def test_a_town_finds_the_cases_at_its_addresses_and_no_others(self):
        for text in ("Blerick", "blerick", " BLERICK "):
            with self.subTest(text=text):
                found = self.found(self.owner, text)
                self.assertIn(self.case.reference, found)
                self.assertNotIn(self.foreign.reference, found)
                self.assertNotIn(self.bibob_case.reference, found)
        self.assertIn(self.closed.reference, self.found(self.owner, "Steyl"))

    # In these small tables every street is a common word (CommonWordTests):
    # here no word is, as in a municipality's tables.
    @mock.patch.object(search, "COMMON_SHARE", 2.0)
    def test_a_town_is_read_by_the_town_any_other_text_by_the_word_index(self):
        town = self.statement_plan("Blerick")
        self.assertIn("lower((city)::text) = 'blerick'::text", town)
        self.assertNotIn("search_location_fts", town)
        street = self.statement_plan("Vastenavondkampweg")
        self.assertIn("search_location_fts", street)
        self.assertNotIn("lower((city)", street)
        # A street with its number, or a town with a word more, is no town.
        self.assertNotIn("lower((city)", self.statement_plan("Blerick 31"))
        self.assertNotIn("lower((city)", self.statement_plan("Blerick Verheggen"))

    def test_a_name_with_quotes_is_a_literal_not_sql(self):
        case = services.case_open(user=self.owner, case_type=CaseType.LOD,
                                  title="Den Bosch")  # fmt: skip
        self.add(case, self.owner, person="Piet de Vries", bsn=valid_bsn(104),
                 street="Markt", number=1, postcode="5211 JX",
                 city="'s-Hertogenbosch")  # fmt: skip
        self.assertIn(case.reference, self.found(self.owner, "'s-Hertogenbosch"))
        for text in ("x' OR '1'='1", "Blerick'; DROP TABLE casework_case; --"):
            with self.subTest(text=text):
                self.assertEqual(search.search(self.owner, text).hits, [])
        self.assertTrue(Case.objects.filter(pk=case.pk).exists())


@skipIf(not PG, "the stored vectors and the planner's estimate are PostgreSQL's")
class CommonWordTests(SearchTestCase):
    """A word the planner estimates common in a source is read in the newest
    rows first (their stored vectors, migration 0021), and through the
    full-text index only when those hold fewer than the bound
    (docs/search.md, "Common words"). Here the bound is 3 (4 candidates) and
    the newest window 10 rows."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.old, cls.new = [], []
        for number in range(12):
            cls.old.append(
                cls.register(f"Overlast in de Kerkstraat, melding {number}.")
            )
        for number in range(12):
            cls.new.append(cls.register(f"Overlast bij de Markt, melding {number}."))

    @classmethod
    def register(cls, summary):
        return services.signal_register(
            user=cls.colleague, source=Signal.Source.BURGER,
            received_on=date(2026, 3, 4), data_class=DataClass.D0, summary=summary,
        )  # fmt: skip

    def setUp(self):
        super().setUp()
        for name, value in (("CANDIDATES", 3), ("NEWEST", 10), ("COMMON_SHARE", 0.2)):
            patcher = mock.patch.object(search, name, value)
            patcher.start()
            self.addCleanup(patcher.stop)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE casework_signal")

    def statement(self, text) -> str:
        with CaptureQueriesContext(connection) as captured:
            search.search(self.owner, text)
        [statement] = [q["sql"] for q in captured if "mine_all" in q["sql"]]
        return statement

    def signals(self, text) -> list[str]:
        return [h.reference for h in search.search(self.owner, text).hits
                if h.kind == "signal"]  # fmt: skip

    def common(self, text) -> frozenset:
        query = search.parse(text)
        tsquery = search._tsquery([[word] for word in query.words])
        return search._probe(query, tsquery)[1]

    def test_the_share_of_a_query_is_the_planners(self):
        share = {"overlast": 0.5, "kerkstrat": 0.2, "markt": 0.1}
        tokens = re.findall(r"'(?:[^']|'')*'|[&|()!]", "'overlast' & 'kerkstrat'")
        # Both words: the share of the rarer (words of a text come together).
        self.assertAlmostEqual(search._share(tokens, share), 0.2)
        tokens = re.findall(r"'(?:[^']|'')*'|[&|()!]",
                            "( 'kerkstrat' | 'markt' ) & 'overlast'")  # fmt: skip
        # Either word: 1 - 0.8 * 0.9 = 0.28, below the 0.5 of "overlast".
        self.assertAlmostEqual(search._share(tokens, share), 1 - 0.8 * 0.9)
        self.assertEqual(search._share(["'onbekend'"], share), 0.0)

    def test_the_planner_names_the_sources_where_the_word_is_common(self):
        self.assertEqual(self.common("overlast"), {"signal_direct"})
        self.assertEqual(self.common("Wietplantage"), frozenset())
        self.assertIn("signal_direct_newest", self.statement("overlast"))
        self.assertNotIn("_newest", self.statement("Wietplantage"))

    def test_a_common_word_finds_the_newest_rows(self):
        # The four candidates are the four newest signals that hold the word,
        # not the first four the index gives (the oldest, in table order).
        newest = [s.reference for s in self.new[-4:]]
        self.assertEqual(sorted(self.signals("overlast")), sorted(newest))

    def test_a_word_common_only_in_old_rows_is_found_through_the_index(self):
        # "Kerkstraat" is in half of the signals, none of the ten newest.
        self.assertEqual(self.common("Kerkstraat"), {"signal_direct"})
        found = self.signals("Kerkstraat")
        self.assertEqual(len(found), 4)
        self.assertLessEqual(set(found), {s.reference for s in self.old})

    def test_the_stored_vector_follows_the_text(self):
        signal = self.new[-1]
        Signal.objects.filter(pk=signal.pk).update(summary="Geanonimiseerd.")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT search_vector @@ to_tsquery('dutch', 'overlast') "
                "FROM casework_signal WHERE id = %s",
                [signal.pk],
            )
            self.assertFalse(cursor.fetchone()[0])
        self.assertNotIn(signal.reference, self.signals("overlast"))
