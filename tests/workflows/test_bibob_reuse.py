"""Art 29 Wet Bibob: earlier conclusions on the same person or company within
five years, on the dossier page of a new case (workflows/bibob/selectors.py).
Matches by party row, BSN and KvK number; 4 years 11 months back is reused,
5 years 1 month is not; a case the reader cannot open shows only that a
conclusion exists and whom to ask."""

from datetime import date

from casework import services
from casework.models import CaseParty, Party
from permissions.models import AccessLog, CaseAccess, DataClass
from workflows.bibob.models import BibobConclusion, Danger
from workflows.bibob.selectors import earlier_conclusions, reuse_window_start

from .test_bibob_states import BibobTestCase

TODAY = date(2026, 6, 15)
BSN = "111222333"
KVK = "12345678"
SECRET = "Weigeren is evenredig: witwassen via de horecazaak."


def person(bsn=BSN, name="Jan Jansen"):
    return Party(kind=Party.Kind.PERSON, name=name, bsn=bsn)


def company(kvk=KVK, name="Café De Kroon B.V."):
    return Party(kind=Party.Kind.COMPANY, name=name, kvk_number=kvk)


class ReuseTests(BibobTestCase):
    def earlier(self, owner, party, concluded_on, *, degree=Danger.ERNSTIG):
        """Another Bibob case of `owner` about `party`, with a conclusion
        recorded by hand on `concluded_on` (the dates are the test)."""
        case = services.case_open(user=owner, case_type="BIB", title="Eerdere aanvraag")
        services.case_add_party(
            case=case, user=owner, party=party, role=CaseParty.Role.AANVRAGER
        )
        BibobConclusion.objects.create(
            case=case, degree=degree, ground_a=degree != Danger.GEEN,
            proportionality=SECRET, concluded_on=concluded_on, recorded_by=owner,
        )  # fmt: skip
        return case

    def add_party(self, party):
        services.case_add_party(
            case=self.case, user=self.bibob, party=party,
            role=CaseParty.Role.AANVRAGER,
        )  # fmt: skip

    def found(self, user=None):
        return earlier_conclusions(user=user or self.bibob, case=self.case, today=TODAY)

    def test_the_window_is_five_years_to_the_day(self):
        self.assertEqual(reuse_window_start(TODAY), date(2021, 6, 15))
        self.assertEqual(reuse_window_start(date(2028, 2, 29)), date(2023, 2, 28))

    def test_four_years_eleven_months_is_reused_five_years_one_month_is_not(self):
        self.add_party(person())
        inside = self.earlier(self.bibob, person(), date(2021, 7, 15))  # 4y11m
        self.earlier(self.bibob, person(), date(2021, 5, 15))  # 5y1m
        found = self.found()
        self.assertEqual([e.case for e in found], [inside])
        self.assertEqual(found[0].conclusion.concluded_on, date(2021, 7, 15))
        self.assertEqual(found[0].matched_on, "BSN")

    def test_the_last_day_of_the_window_counts_the_day_before_does_not(self):
        self.add_party(person())
        edge = self.earlier(self.bibob, person(), date(2021, 6, 15))
        self.earlier(self.bibob, person(), date(2021, 6, 14))
        self.assertEqual([e.case for e in self.found()], [edge])

    def test_matched_by_kvk_number_and_by_the_same_party_row(self):
        kroon = company()
        self.add_party(kroon)
        by_kvk = self.earlier(
            self.bibob, company(name="Kroon Horeca"), date(2024, 1, 5)
        )
        other = services.case_open(user=self.bibob, case_type="BIB", title="Terras")
        services.case_add_party(
            case=other, user=self.bibob, party=kroon, role=CaseParty.Role.AANVRAGER
        )
        BibobConclusion.objects.create(
            case=other, degree=Danger.GEEN, concluded_on=date(2025, 3, 1),
            recorded_by=self.bibob,
        )  # fmt: skip
        found = {e.case: e.matched_on for e in self.found()}
        self.assertEqual(found, {by_kvk: "KvK", other: "KvK"})

    def test_a_party_without_bsn_or_kvk_matches_by_its_own_row(self):
        anonymous = Party(kind=Party.Kind.PERSON, name="J. Jansen")
        self.add_party(anonymous)
        same = self.earlier(self.bibob, anonymous, date(2024, 1, 5))
        self.earlier(self.bibob, Party(kind=Party.Kind.PERSON, name="J. Jansen"),
                     date(2024, 1, 5))  # fmt: skip
        self.assertEqual([(e.case, e.matched_on) for e in self.found()],
                         [(same, "party")])  # fmt: skip

    def test_other_people_and_other_case_types_do_not_match(self):
        self.add_party(person())
        self.earlier(self.bibob, person(bsn="123456782", name="Piet"), date(2024, 1, 1))
        lod = services.case_open(user=self.owner, case_type="LOD", title="Drugs")
        services.case_add_party(
            case=lod, user=self.owner, party=person(), role=CaseParty.Role.OVERTREDER
        )
        self.assertEqual(self.found(), [])

    def test_the_newest_conclusion_of_a_case_counts(self):
        self.add_party(person())
        case = self.earlier(self.bibob, person(), date(2022, 1, 1))
        BibobConclusion.objects.create(
            case=case, degree=Danger.MINDERE_MATE, ground_b=True,
            concluded_on=date(2023, 1, 1), recorded_by=self.bibob,
        )  # fmt: skip
        (found,) = self.found()
        self.assertEqual(found.conclusion.degree, Danger.MINDERE_MATE)

    def test_a_case_the_reader_cannot_open_shows_only_that_it_exists(self):
        self.add_party(person())
        # Another coordinator's case; `bibob` is not on its team.
        hidden = self.earlier(self.bibob2, person(), date(2024, 1, 1))
        self.assertFalse(CaseAccess.objects.filter(case=hidden, user=self.bibob))
        (found,) = self.found()
        self.assertIs(found.visible, False)
        self.assertIsNone(found.conclusion)
        self.assertEqual(found.coordinators, (self.bibob2.get_full_name(),))
        # The burgemeester on this case's team is not on that one either.
        (found,) = self.found(self.burgemeester)
        self.assertIs(found.visible, False)

    def test_reading_a_visible_earlier_conclusion_is_logged(self):
        self.add_party(person())
        other = self.earlier(self.bibob, person(), date(2024, 1, 1))
        before = AccessLog.objects.count()
        self.found()
        row = AccessLog.objects.order_by("id")[before:].get()
        self.assertEqual(
            (row.object_type, row.data_class, row.case_reference, row.username),
            ("bibobconclusion", DataClass.D5, other.reference, "bibob"),
        )

    def test_the_dossier_page_shows_visible_ones_and_hides_the_content_of_others(self):
        self.add_party(person())
        seen = self.earlier(self.bibob, person(), date(2024, 1, 1))
        hidden = self.earlier(self.bibob2, person(), date(2024, 2, 1))
        self.login(self.bibob)
        response = self.client.get(f"/cases/{self.case.reference}/bibob/")
        self.assertContains(response, f"/cases/{seen.reference}/bibob/")
        self.assertContains(response, hidden.reference)
        self.assertNotContains(response, f"/cases/{hidden.reference}/bibob/")
        # The hidden one shows no degree or reasoning; SECRET is never shown
        # (the visible one's reasoning stays in its own dossier).
        self.assertNotContains(response, SECRET)
        self.assertEqual(response.content.decode().count(str(Danger.ERNSTIG.label)), 1)
