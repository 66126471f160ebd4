"""Search by reference, party name, or postcode + house number, only ever
within the cases the user may see."""

from casework import selectors, services
from casework.models import CaseLocation, CaseParty, Location, Party
from permissions.models import Role
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import CaseFactory, UserFactory

NAME = "Shisha Lounge De Maasboulevard"


class SearchTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The owner's cases: self.case at 5911 AB 12 with the company, and a
        # second case at 5911 AB 12 A.
        cls.annex = services.case_open(user=cls.owner, case_type=CaseType.LOD,
                                       title="Bovenwoning")  # fmt: skip
        cls.add(cls.case, cls.owner, addition="", name=NAME)
        cls.add(cls.annex, cls.owner, addition="A", name="Jan Verheggen")
        # Matching cases the owner may not see: the outsider's own case, and a
        # Bibob case (D5) on whose team the burgemeester sits.
        cls.foreign = services.case_open(user=cls.outsider, case_type=CaseType.LOD,
                                         title="Elders")  # fmt: skip
        cls.add(cls.foreign, cls.outsider, addition="", name=NAME)
        cls.bibob = UserFactory(role=Role.BIBOB, organisation=cls.gemeente)
        cls.bibob_case = CaseFactory(bibob=True, owner=cls.bibob)
        cls.add(cls.bibob_case, cls.bibob, addition="A", name=NAME)
        services.case_team_add(case=cls.bibob_case, user=cls.bibob,
                               member=cls.burgemeester, team_role="member")  # fmt: skip

    @staticmethod
    def add(case, user, *, addition, name):
        services.case_add_location(
            case=case,
            user=user,
            location=Location(street="Kloosterstraat", postcode="5911 AB",
                              house_number=12, addition=addition, city="Venlo"),
            role=CaseLocation.Role.PREMISES,
        )  # fmt: skip
        services.case_add_party(
            case=case,
            user=user,
            party=Party(kind=Party.Kind.COMPANY, name=name),
            role=CaseParty.Role.OVERTREDER,
        )

    def search(self, user, query):
        return set(selectors.search_cases(user, query))

    def test_by_reference(self):
        self.assertEqual(self.search(self.owner, self.case.reference), {self.case})
        self.assertEqual(
            self.search(self.owner, self.case.reference.lower()), {self.case}
        )

    def test_by_part_of_a_reference(self):
        number = self.case.reference.rsplit("-", 1)[1]
        self.assertIn(self.case, self.search(self.owner, f"LOD-{number}"))

    def test_someone_elses_reference_finds_nothing(self):
        self.assertEqual(self.search(self.owner, self.foreign.reference), set())
        self.assertEqual(self.search(self.owner, self.bibob_case.reference), set())

    def test_by_party_name_in_any_case(self):
        self.assertEqual(self.search(self.owner, "maasboulevard"), {self.case})
        self.assertEqual(self.search(self.owner, "Verheggen"), {self.annex})

    def test_by_postcode_and_number_finds_every_addition(self):
        for query in ("5911AB 12", "5911 AB 12", " 5911ab12 "):
            with self.subTest(query=query):
                self.assertEqual(
                    self.search(self.owner, query), {self.case, self.annex}
                )

    def test_by_postcode_number_and_addition(self):
        for query in ("5911 ab 12a", "5911AB 12 A", "5911ab12a"):
            with self.subTest(query=query):
                self.assertEqual(self.search(self.owner, query), {self.annex})

    def test_a_different_number_finds_nothing(self):
        self.assertEqual(self.search(self.owner, "5911 AB 13"), set())

    def test_results_never_include_a_case_outside_the_users_cases(self):
        for query in (NAME, "5911AB 12", "5911 ab 12a", "Kloosterstraat", "shisha"):
            with self.subTest(query=query):
                found = self.search(self.owner, query)
                self.assertNotIn(self.foreign, found)
                self.assertNotIn(self.bibob_case, found)

    def test_each_user_finds_only_their_own_cases(self):
        self.assertEqual(self.search(self.outsider, NAME), {self.foreign})
        self.assertEqual(self.search(self.burgemeester, NAME),
                         {self.case, self.bibob_case})  # fmt: skip
        self.assertEqual(self.search(self.belastingdienst_user, NAME), set())
        self.assertEqual(self.search(self.fg, NAME), set())

    def test_an_empty_query_finds_nothing(self):
        self.assertEqual(selectors.search_cases(self.owner, "   "), [])

    def test_the_search_page_shows_only_visible_results(self):
        self.login(self.owner)
        response = self.client.get("/search/", {"q": "5911ab 12"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(set(response.context["results"]), {self.case, self.annex})
        self.assertContains(response, self.case.reference)
        self.assertNotContains(response, self.foreign.reference)
        self.assertNotContains(response, self.bibob_case.reference)

    def test_the_search_page_without_a_query_lists_nothing(self):
        self.login(self.owner)
        response = self.client.get("/search/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["results"], [])
