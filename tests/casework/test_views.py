"""Case and signal pages: every URL walked by the fixed cast, bad input,
double submits, and query counts that do not grow with the number of rows."""

from datetime import timedelta

from django.utils import timezone, translation
from django.utils.html import escape

from casework import services
from casework.models import (
    Case,
    CaseEvent,
    CaseLink,
    CaseLocation,
    CaseParty,
    FormSubmission,
    Location,
    Party,
    Signal,
)
from permissions.models import CaseAccess, DataClass, Role
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import CaseFactory, PartyFactory, SignalFactory, UserFactory

WRITE_PAGES = ["parties/add/", "locations/add/", "team/add/", "links/add/"]


class CaseViewTestCase(BaseTestCase):
    def url(self, suffix="", case=None):
        return f"/cases/{(case or self.case).reference}/{suffix}"

    def status_of(self, user, method, url, data=None):
        self.client.logout()
        if user is not None:
            self.login(user)
        return getattr(self.client, method)(url, data or {}).status_code

    def dutch(self, message) -> str:
        """The Dutch text users see for an English source message."""
        with translation.override("nl"):
            return (
                translation.gettext(message)
                if isinstance(message, str)
                else str(message)
            )


class CaseDetailTests(CaseViewTestCase):
    def test_detail_walks_the_cast(self):
        expected = {
            self.owner: 200,
            self.colleague: 200,
            self.burgemeester: 200,  # D0 R
            self.politie_user: 200,  # contributor, D0 R
            self.belastingdienst_user: 404,  # partner, not on the team
            self.outsider: 404,  # jurist of the same gemeente, not on the team
            self.fg: 404,  # no case content at all
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(self.status_of(user, "get", self.url()), status)

    def test_an_unknown_reference_is_404(self):
        self.login(self.owner)
        self.assertEqual(self.client.get("/cases/2026-LOD-9999/").status_code, 404)

    def test_writers_see_the_next_steps_and_readers_do_not(self):
        self.login(self.owner)
        response = self.client.get(self.url())
        self.assertEqual(
            [name for name, _label, _form in response.context["transitions"]],
            ["start_assessment"],
        )
        self.assertIs(response.context["can_write"], True)
        self.login(self.burgemeester)
        response = self.client.get(self.url())
        self.assertEqual(response.context["transitions"], [])
        self.assertIs(response.context["can_write"], False)
        self.assertNotContains(response, self.url("parties/add/"))

    def test_the_detail_shows_parties_team_and_history(self):
        services.case_add_party(
            case=self.case,
            user=self.owner,
            party=PartyFactory(name="Bilal Vrĳhoef"),
            role=CaseParty.Role.OVERTREDER,
        )
        self.login(self.colleague)
        response = self.client.get(self.url())
        self.assertContains(response, "Bilal Vrĳhoef")
        self.assertContains(response, "Politie Eenheid Limburg")
        self.assertEqual(
            {m.user for m in response.context["team"]},
            {self.owner, self.colleague, self.burgemeester, self.politie_user},
        )
        self.assertEqual(response.context["timeline"][0].kind, CaseEvent.Kind.PARTY)


class WritePageTests(CaseViewTestCase):
    def test_write_pages_walk_the_cast(self):
        expected = {
            self.owner: 200,
            self.colleague: 200,
            self.burgemeester: 404,  # D0 is read-only for the burgemeester
            self.politie_user: 404,  # contributor, read-only
            self.belastingdienst_user: 404,
            self.outsider: 404,
            self.fg: 404,
        }
        for page in WRITE_PAGES:
            for user, status in expected.items():
                with self.subTest(page=page, user=user.username):
                    self.assertEqual(
                        self.status_of(user, "get", self.url(page)), status
                    )

    def test_readers_and_strangers_cannot_post_to_write_pages(self):
        party = {"form_token": "t1", "kind": "person", "role": "derde", "name": "X"}
        location = {"form_token": "t2", "role": "premises", "house_number": 1,
                    "postcode": "5911 AB", "city": "Venlo"}  # fmt: skip
        team = {"member": self.belastingdienst_user.pk, "team_role": "contributor"}
        other = services.case_open(user=self.owner, case_type=CaseType.LOD, title="B")
        link = {"reference": other.reference}
        posts = {"parties/add/": party, "locations/add/": location,
                 "team/add/": team, "links/add/": link}  # fmt: skip
        for user in (self.burgemeester, self.politie_user, self.belastingdienst_user,
                     self.outsider, self.fg):  # fmt: skip
            for page, data in posts.items():
                with self.subTest(page=page, user=user.username):
                    self.assertEqual(
                        self.status_of(user, "post", self.url(page), data), 404
                    )
        self.assertFalse(CaseParty.objects.exists())
        self.assertFalse(CaseLocation.objects.exists())
        self.assertFalse(CaseLink.objects.exists())
        self.assertFalse(CaseAccess.objects.filter(user=self.belastingdienst_user))

    def test_owner_adds_a_party(self):
        self.login(self.owner)
        response = self.client.post(
            self.url("parties/add/"),
            {"form_token": "t1", "kind": "person", "role": "overtreder",
             "name": "Jan Verheggen", "bsn": "111222333",
             "date_of_birth": "1985-04-12"},
        )  # fmt: skip
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        link = CaseParty.objects.get(case=self.case)
        self.assertEqual(
            (link.party.name, link.party.bsn, link.role),
            ("Jan Verheggen", "111222333", "overtreder"),
        )

    def test_colleague_adds_a_normalised_location(self):
        self.login(self.colleague)
        response = self.client.post(
            self.url("locations/add/"),
            {"form_token": "t1", "role": "premises", "street": "Kloosterstraat",
             "house_number": 12, "addition": "a", "postcode": "5911ab",
             "city": "Venlo", "bag_id": "0983010000012345"},
        )  # fmt: skip
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        location = CaseLocation.objects.get(case=self.case).location
        self.assertEqual((location.postcode, location.addition), ("5911 AB", "A"))

    def test_owner_adds_a_team_member(self):
        self.login(self.owner)
        response = self.client.post(
            self.url("team/add/"),
            {"member": self.outsider.pk, "team_role": "member"},
        )
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        self.assertEqual(
            CaseAccess.objects.get(case=self.case, user=self.outsider).team_role,
            "member",
        )
        self.assertEqual(self.status_of(self.outsider, "get", self.url()), 200)

    def test_a_member_whose_role_cannot_read_the_case_is_a_field_error(self):
        bibob = UserFactory(role=Role.BIBOB, organisation=self.gemeente)
        case = CaseFactory(bibob=True, owner=bibob)
        self.login(bibob)
        response = self.client.post(
            self.url("team/add/", case),
            {"member": self.politie_user.pk, "team_role": "contributor"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].has_error("member"))
        self.assertFalse(CaseAccess.objects.filter(case=case, user=self.politie_user))

    def test_owner_links_a_case(self):
        other = services.case_open(user=self.owner, case_type=CaseType.LOD, title="B")
        self.login(self.owner)
        response = self.client.post(
            self.url("links/add/"), {"reference": other.reference.lower()}
        )
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        self.assertTrue(CaseLink.objects.exists())

    def test_linking_an_invisible_or_the_same_case_is_a_field_error(self):
        foreign = services.case_open(
            user=self.outsider, case_type=CaseType.LOD, title="F"
        )
        self.login(self.owner)
        for reference, message in (
            (foreign.reference, self.dutch("No case of yours has this reference.")),
            (self.case.reference, self.dutch(services.LINK_SELF)),
        ):
            with self.subTest(reference=reference):
                response = self.client.post(
                    self.url("links/add/"),
                    {"reference": reference},
                )
                self.assertEqual(response.status_code, 200)
                self.assertFormError(response.context["form"], "reference", message)
        self.assertFalse(CaseLink.objects.exists())


class TransitionViewTests(CaseViewTestCase):
    def post_transition(self, user, name="start_assessment", note=""):
        self.client.logout()
        self.login(user)
        return self.client.post(
            self.url("transition/"),
            {"name": name, "note": note},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def test_owner_runs_a_transition(self):
        response = self.post_transition(self.owner, note="Start.")
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "A10")

    def test_colleague_runs_a_transition(self):
        response = self.post_transition(self.colleague)
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        event = CaseEvent.objects.filter(case=self.case).latest("id")
        self.assertEqual((event.actor, event.to_status), (self.colleague, "A10"))

    def test_readers_and_strangers_get_404_and_nothing_changes(self):
        for user in (self.burgemeester, self.politie_user, self.belastingdienst_user,
                     self.outsider, self.fg):  # fmt: skip
            with self.subTest(user=user.username):
                self.assertEqual(self.post_transition(user).status_code, 404)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "A00")
        self.assertFalse(
            CaseEvent.objects.filter(case=self.case, kind=CaseEvent.Kind.STATUS)
        )

    def test_a_step_not_possible_now_is_a_message(self):
        response = self.post_transition(
            self.owner, name="close_without_action", note="Geen grondslag."
        )
        self.assertRedirects(response, self.url(), fetch_redirect_response=False)
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertEqual(messages, [self.dutch(services.TRANSITION_NOT_AVAILABLE)])
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "A00")

    def test_closing_without_a_note_is_a_message(self):
        self.post_transition(self.owner)
        response = self.post_transition(self.owner, name="close_without_action")
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertIn(self.dutch(services.CLOSE_REASON_REQUIRED), messages)
        case = Case.objects.get(pk=self.case.pk)
        self.assertEqual((case.status, case.closed_at), ("A10", None))

    def test_a_team_member_without_an_available_step_gets_404(self):
        # Toezicht has no step from A00; the transition page does not exist
        # for them, and nothing changes.
        toezicht = UserFactory(role=Role.TOEZICHT, organisation=self.gemeente)
        services.case_team_add(
            case=self.case, user=self.owner, member=toezicht, team_role="member"
        )
        response = self.post_transition(toezicht)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Case.objects.get(pk=self.case.pk).status, "A00")


class MethodAndLoginTests(CaseViewTestCase):
    def test_anonymous_is_sent_to_the_login_page_everywhere(self):
        urls = ["/", "/cases/", "/signals/", "/signals/new/", "/search/",
                self.url(), self.url("transition/")]  # fmt: skip
        urls += [self.url(page) for page in WRITE_PAGES]
        for url in urls:
            for method in ("get", "post"):
                with self.subTest(url=url, method=method):
                    response = getattr(self.client, method)(url)
                    self.assertRedirects(
                        response,
                        f"/accounts/login/?next={url}",
                        fetch_redirect_response=False,
                    )

    def test_wrong_methods_are_405(self):
        cases = [
            ("post", self.url()),
            ("put", self.url()),
            ("delete", self.url()),
            ("get", self.url("transition/")),
            ("put", self.url("transition/")),
            ("post", "/cases/"),
            ("post", "/"),
            ("post", "/search/"),
            ("post", "/signals/"),
        ]
        cases += [
            (m, self.url(page)) for page in WRITE_PAGES for m in ("put", "delete")
        ]
        # The method check comes before the lookup: an outsider learns nothing.
        for user in (self.owner, self.outsider):
            for method, url in cases:
                with self.subTest(user=user.username, method=method, url=url):
                    self.assertEqual(self.status_of(user, method, url), 405)


class SignalViewTests(CaseViewTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.toezicht = UserFactory(
            username="toezicht", role=Role.TOEZICHT, organisation=cls.gemeente
        )
        # A police report (D3) shared with the gemeente.
        cls.report = SignalFactory(
            police_report=True,
            registered_by=cls.politie_user,
            shared_with=[cls.gemeente],
        )
        # A gemeente finding (D0), not shared.
        cls.finding = SignalFactory(registered_by=cls.owner)

    def test_a_shared_police_report_is_visible_to_supplier_and_recipient(self):
        expected = {
            self.politie_user: 200,  # supplier (own D3 item)
            self.owner: 200,  # gemeente jurist, D3 R
            self.outsider: 200,  # signals follow the organisation, not the team
            self.burgemeester: 200,
            self.toezicht: 404,  # gemeente, but the role lacks D3
            self.belastingdienst_user: 404,  # not shared with
            self.fg: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(
                    self.status_of(user, "get", self.report.get_absolute_url()), status
                )

    def test_an_unshared_signal_stays_in_its_organisation(self):
        expected = {
            self.owner: 200,
            self.toezicht: 200,  # D0 R
            self.burgemeester: 200,
            self.politie_user: 404,
            self.belastingdienst_user: 404,
        }
        for user, status in expected.items():
            with self.subTest(user=user.username):
                self.assertEqual(
                    self.status_of(user, "get", self.finding.get_absolute_url()), status
                )

    def test_sharing_opens_the_signal_to_the_receiving_organisation(self):
        url = self.finding.get_absolute_url()
        self.assertEqual(self.status_of(self.politie_user, "get", url), 404)
        self.finding.shared_with.add(self.politie)
        self.assertEqual(self.status_of(self.politie_user, "get", url), 200)

    def test_the_signal_list_shows_only_visible_signals(self):
        for user, visible in (
            (self.owner, {self.report, self.finding}),
            (self.toezicht, {self.finding}),
            (self.politie_user, {self.report}),
            (self.belastingdienst_user, set()),
        ):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get("/signals/")
                self.assertEqual(
                    {row.reference for row in response.context["signals"]},
                    {signal.reference for signal in visible},
                )

    def test_the_register_page_is_404_for_a_role_that_writes_no_class(self):
        self.assertEqual(self.status_of(self.fg, "get", "/signals/new/"), 404)
        self.assertEqual(self.status_of(self.owner, "get", "/signals/new/"), 200)

    def test_triage_views_convert_and_file(self):
        self.login(self.owner)
        self.client.post(f"{self.report.get_absolute_url()}triage/")
        self.assertEqual(
            Signal.objects.get(pk=self.report.pk).status, Signal.Status.TRIAGE
        )
        response = self.client.post(
            f"{self.report.get_absolute_url()}convert/",
            {"form_token": "c1", "case_type": "LOD", "title": "Drugshandel"},
        )
        case = Signal.objects.get(pk=self.report.pk).cases.get()
        self.assertRedirects(
            response, case.get_absolute_url(), fetch_redirect_response=False
        )
        response = self.client.post(
            f"{self.finding.get_absolute_url()}file/", {"reason": "Geen actie."}
        )
        self.assertEqual(
            Signal.objects.get(pk=self.finding.pk).status, Signal.Status.FILED
        )

    def test_a_second_convert_submit_opens_one_case(self):
        self.login(self.owner)
        url = f"{self.report.get_absolute_url()}convert/"
        data = {"form_token": "c1", "case_type": "LOD", "title": "Drugshandel"}
        first = self.client.post(url, data)
        second = self.client.post(url, data)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(Signal.objects.get(pk=self.report.pk).cases.count(), 1)

    def test_triage_posts_by_strangers_are_404(self):
        for suffix, data in (("triage/", {}), ("file/", {"reason": "x"}),
                             ("convert/", {"form_token": "c", "case_type": "LOD",
                                           "title": "x"})):  # fmt: skip
            with self.subTest(suffix=suffix):
                url = f"{self.report.get_absolute_url()}{suffix}"
                self.assertEqual(
                    self.status_of(self.belastingdienst_user, "post", url, data), 404
                )
        self.assertEqual(
            Signal.objects.get(pk=self.report.pk).status, Signal.Status.NEW
        )


class SignalFormInputTests(CaseViewTestCase):
    def data(self, **overrides):
        data = {
            "form_token": "signal-1",
            "source": Signal.Source.BURGER,
            "received_on": "2026-03-02",
            "summary": "Verdachte geur bij loods.",
            "data_class": DataClass.D0,
            "legal_basis": "",
            "shared_with": [self.politie.pk],
            "person_name": "Jan Verheggen",
            "person_bsn": "111222333",
            "company_name": "Snackbar 't Hoekske",
            "company_kvk": "12345678",
            "postcode": "5911ab",
            "house_number": "12",
            "addition": "a",
            "street": "Kloosterstraat",
            "city": "Venlo",
        }
        data.update(overrides)
        return data

    def post(self, data):
        self.login(self.owner)
        return self.client.post("/signals/new/", data)

    def counts(self):
        return [m.objects.count() for m in (Signal, Party, Location, FormSubmission)]

    def test_a_valid_signal_is_registered_with_its_party_and_address(self):
        response = self.post(self.data())
        signal = Signal.objects.get()
        self.assertRedirects(
            response, signal.get_absolute_url(), fetch_redirect_response=False
        )
        self.assertEqual(signal.source_organisation, self.gemeente)
        self.assertEqual(list(signal.shared_with.all()), [self.politie])
        self.assertEqual(
            sorted(signal.parties.values_list("name", flat=True)),
            ["Jan Verheggen", "Snackbar 't Hoekske"],
        )
        location = signal.locations.get()
        self.assertEqual((location.postcode, location.addition), ("5911 AB", "A"))

    def test_bad_input_is_a_field_error_and_saves_nothing(self):
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        cases = [
            ("person_bsn", "111222334", "BSN"),
            ("person_bsn", "12345678", "BSN"),
            ("company_kvk", "1234567", "KvK"),
            ("postcode", "0123 AB", "postcode"),
            ("postcode", "1234 SA", "postcode"),
            ("received_on", tomorrow, "future"),
            ("person_date_of_birth", tomorrow, "future"),
        ]
        messages = {
            "BSN": "Vul een geldig BSN in: negen cijfers die voldoen aan de elfproef.",
            "KvK": "Vul een KvK-nummer van precies acht cijfers in.",
            "postcode": "Vul een Nederlandse postcode in, zoals 5911 AB.",
            "future": "De datum kan niet in de toekomst liggen.",
        }
        before = self.counts()
        for field, value, kind in cases:
            with self.subTest(field=field, value=value):
                response = self.post(self.data(**{field: value}))
                self.assertEqual(response.status_code, 200)
                self.assertFormError(response.context["form"], field, messages[kind])
                self.assertContains(response, escape(messages[kind]))
        self.assertEqual(self.counts(), before)

    def test_a_data_class_the_role_may_not_write_is_refused(self):
        before = self.counts()
        response = self.post(self.data(data_class=DataClass.D5))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].has_error("data_class"))
        self.assertEqual(self.counts(), before)

    def test_a_double_submit_registers_one_signal(self):
        first = self.post(self.data())
        second = self.post(self.data())
        self.assertEqual(first.status_code, 302)
        self.assertEqual(second.status_code, 302)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(Signal.objects.count(), 1)
        self.assertEqual(Party.objects.count(), 2)
        self.assertEqual(Location.objects.count(), 1)

    def test_a_new_form_gets_a_new_token(self):
        self.login(self.owner)
        first = self.client.get("/signals/new/").context["form"]["form_token"].value()
        second = self.client.get("/signals/new/").context["form"]["form_token"].value()
        self.assertTrue(first)
        self.assertNotEqual(first, second)


class PartyFormInputTests(CaseViewTestCase):
    def data(self, **overrides):
        data = {
            "form_token": "party-1",
            "kind": "person",
            "role": "overtreder",
            "name": "Jan Verheggen",
            "date_of_birth": "1985-04-12",
            "bsn": "123456782",
            "kvk_number": "",
        }
        data.update(overrides)
        return data

    def post(self, data):
        self.login(self.owner)
        return self.client.post(self.url("parties/add/"), data)

    def test_bad_input_is_a_field_error_and_saves_nothing(self):
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        bsn = "Vul een geldig BSN in: negen cijfers die voldoen aan de elfproef."
        kvk = "Vul een KvK-nummer van precies acht cijfers in."
        future = "De datum kan niet in de toekomst liggen."
        cases = [
            ("bsn", "123456781", bsn),
            ("bsn", "12345678a", bsn),
            ("kvk_number", "abcdefgh", kvk),
            ("date_of_birth", tomorrow, future),
        ]
        before = (Party.objects.count(), CaseParty.objects.count())
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                response = self.post(self.data(**{field: value}))
                self.assertEqual(response.status_code, 200)
                self.assertFormError(response.context["form"], field, message)
                self.assertContains(response, escape(message))
        self.assertEqual((Party.objects.count(), CaseParty.objects.count()), before)
        self.assertFalse(FormSubmission.objects.exists())

    def test_a_double_submit_adds_one_party(self):
        first = self.post(self.data())
        second = self.post(self.data())
        self.assertEqual(first.status_code, 302)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(first["Location"], self.url())
        self.assertEqual(Party.objects.count(), 1)
        self.assertEqual(CaseParty.objects.filter(case=self.case).count(), 1)
        self.assertEqual(
            CaseEvent.objects.filter(case=self.case, kind=CaseEvent.Kind.PARTY).count(),
            1,
        )

    def test_location_form_refuses_a_bad_postcode_and_bag_id(self):
        self.login(self.owner)
        base = {"form_token": "loc-1", "role": "premises", "house_number": 12,
                "postcode": "5911 AB", "city": "Venlo"}  # fmt: skip
        for field, value, message in (
            ("postcode", "0123 AB", "Vul een Nederlandse postcode in, zoals 5911 AB."),
            ("postcode", "1234 sa", "Vul een Nederlandse postcode in, zoals 5911 AB."),
            ("bag_id", "12345", "Een BAG-id heeft zestien cijfers."),
        ):
            with self.subTest(field=field, value=value):
                response = self.client.post(
                    self.url("locations/add/"),
                    {**base, field: value},
                )
                self.assertFormError(response.context["form"], field, message)
        self.assertFalse(Location.objects.exists())


class QueryCountTests(BaseTestCase):
    """List pages and the case page read a fixed number of queries, however
    many rows there are (healthchecks test_get_events: assertNumQueries)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.few = UserFactory(
            username="few", role=Role.JURIST, organisation=cls.gemeente
        )
        cls.many = UserFactory(username="many", role=Role.JURIST,
                               organisation=cls.gemeente)  # fmt: skip
        cls.few_cases = [CaseFactory(owner=cls.few) for _ in range(3)]
        cls.many_cases = [CaseFactory(owner=cls.many) for _ in range(30)]
        for cases, owner in ((cls.few_cases, cls.few), (cls.many_cases, cls.many)):
            for case in cases[:3]:
                services.case_transition(case=case, name="start_assessment", user=owner)

    def assert_queries(self, user, url, expected):
        self.client.force_login(user)
        self.client.get(url)  # warm the content-type cache guardian reads
        with self.assertNumQueries(expected):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)

    def assert_constant(self, url_for, expected):
        # The number observed for the user with 3 cases; the user with 30 must
        # need exactly as many.
        for user, cases in ((self.few, self.few_cases), (self.many, self.many_cases)):
            with self.subTest(user=user.username):
                self.assert_queries(user, url_for(cases[0]), expected)

    def test_case_list_is_constant_in_the_number_of_cases(self):
        # The sixth: the filter choices of the user's cases (wijken,
        # organisations, colleagues; casework.listing.choices).
        self.assert_constant(lambda case: "/cases/", 6)

    def test_my_work_is_constant_in_the_number_of_cases(self):
        # The eighth query is the task inbox, in its three groups (mine, my
        # team's, nobody's: casework.assignment.work_groups); the tenth the
        # saved views (casework.listing.saved_view_counts).
        self.assert_constant(lambda case: "/", 10)

    def test_case_detail_is_constant_in_the_number_of_cases(self):
        # Includes the current task of the case's flow; sections without rows
        # are not read, nor the LOD assessment and decision when there are
        # none (their EXISTS is part of the case query,
        # tests/casework/test_page_queries.py).
        self.assert_constant(lambda case: case.get_absolute_url(), 8)

    def test_case_detail_is_constant_in_the_number_of_items_on_the_case(self):
        small = self.enrich(self.few_cases[0], self.few, 3)
        large = self.enrich(self.many_cases[0], self.many, 30)
        # Four more than a bare case: parties, locations, linked cases and
        # signals are read once there are any.
        self.assert_queries(self.few, small.get_absolute_url(), 12)
        self.assert_queries(self.many, large.get_absolute_url(), 12)

    def enrich(self, case, owner, n):
        """n parties, locations, team members, linked cases and signals."""
        for i in range(n):
            services.case_add_party(
                case=case,
                user=owner,
                party=Party(kind=Party.Kind.PERSON, name=f"Persoon {i}"),
                role=CaseParty.Role.BETROKKENE,
            )
            services.case_add_location(
                case=case,
                user=owner,
                location=Location(
                    postcode="5911 AB", house_number=100 + i, city="Venlo"
                ),  # fmt: skip
                role=CaseLocation.Role.PREMISES,
            )
            member = UserFactory(role=Role.JURIST, organisation=self.gemeente)
            services.case_team_add(
                case=case, user=owner, member=member, team_role="member"
            )
            other = services.case_open(user=owner, case_type=CaseType.LOD, title="x")
            services.case_link(case=case, other=other, user=owner)
            signal = SignalFactory(registered_by=owner)
            signal.cases.add(case)
        return case
