"""The tables' pages as chair, participant partner, non-participant partner
and outsider; the forms with their tokens; the minutes per reader; query
counts that do not grow with the agenda."""

from datetime import timedelta
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pypdf import PdfReader

from casework.models import FormSubmission
from permissions.models import DataClass
from tafels import rules, services
from tafels.models import ActionPoint, Decision, Meeting, Subject, Table

from .base import TafelTestCase


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


class PageAccessTests(TafelTestCase):
    def urls(self):
        return (
            "/tafels/",
            f"/tafels/{self.table.pk}/",
            f"/tafels/meetings/{self.meeting.pk}/",
        )

    def test_the_chair_and_a_participant_open_every_page(self):
        for user in (self.chair, self.politie_user):
            self.client.force_login(user)
            for url in self.urls():
                with self.subTest(user=user.username, url=url):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertContains(response, "Ondermijningstafel Venlo")

    def test_a_partner_not_at_the_table_and_outsiders_get_404(self):
        for user in (self.riec_user, self.fg, self.stranger):
            self.client.force_login(user)
            for url in self.urls()[1:]:
                with self.subTest(user=user.username, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
            listing = self.client.get("/tafels/")
            self.assertEqual(listing.status_code, 200)
            self.assertNotContains(listing, "Ondermijningstafel Venlo")

    def test_a_missing_table_or_meeting_is_the_same_404(self):
        self.client.force_login(self.chair)
        for url in ("/tafels/999999/", "/tafels/meetings/999999/"):
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_anonymous_users_go_to_the_login_page(self):
        response = self.client.get(f"/tafels/meetings/{self.meeting.pk}/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])

    def test_the_menu_offers_the_tables_to_the_roles_at_tables(self):
        self.client.force_login(self.politie_user)
        self.assertContains(self.client.get("/tafels/"), 'href="/tafels/"')
        self.client.force_login(self.fg)
        self.assertNotContains(self.client.get("/audit/"), 'href="/tafels/"')

    def test_a_participant_sees_no_chair_forms_and_may_not_post_them(self):
        self.client.force_login(self.politie_user)
        url = f"/tafels/meetings/{self.meeting.pk}/"
        response = self.client.get(url)
        self.assertContains(response, 'value="subject"')
        self.assertNotContains(response, 'value="hold"')
        response = self.client.post(url, {"action": "hold", "form_token": "t-1"})
        self.assertEqual(response.status_code, 404)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.status, Meeting.Status.PLANNED)
        response = self.client.post(
            f"/tafels/{self.table.pk}/", {"date": str(self.today), "form_token": "t"}
        )
        self.assertEqual(response.status_code, 404)


class FormTests(TafelTestCase):
    def url(self):
        return f"/tafels/meetings/{self.meeting.pk}/"

    def test_a_chair_sets_up_a_table_plans_and_holds_a_meeting(self):
        self.client.force_login(self.chair)
        response = self.client.post(
            "/tafels/",
            {"kind": "veiligheidstafel", "name": "Veiligheidstafel Blerick",
             "participants": [self.politie.pk, self.om.pk], "form_token": "a-1"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        table = Table.objects.get(name="Veiligheidstafel Blerick")
        self.assertEqual(table.chair, self.gemeente)
        self.assertEqual(
            set(table.participants.values_list("name", flat=True)),
            {"Politie Eenheid Limburg", "Openbaar Ministerie Limburg"},
        )
        response = self.client.post(
            f"/tafels/{table.pk}/",
            {"date": str(self.today), "place": "Blerick", "form_token": "a-2"},
        )
        self.assertEqual(response.status_code, 302)
        meeting = table.meetings.get()
        response = self.client.post(
            f"/tafels/meetings/{meeting.pk}/", {"action": "hold", "form_token": "a-3"}
        )
        self.assertEqual(response.status_code, 302)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.HELD)

    def test_a_partner_puts_a_subject_once_however_often_it_submits(self):
        self.client.force_login(self.politie_user)
        body = {
            "action": "subject", "kind": "person", "person_name": "Ricardo Vossen",
            "data_class": "D3", "reason": "Drie meldingen.", "form_token": "p-1",
        }  # fmt: skip
        first = self.client.post(self.url(), body)
        second = self.client.post(self.url(), body)
        self.assertEqual(first.status_code, 302)
        self.assertEqual(second["Location"], first["Location"])
        subject = Subject.objects.get()
        self.assertEqual(
            (subject.kind, subject.party.name, subject.data_class, subject.put_by),
            ("person", "Ricardo Vossen", "D3", self.politie_user),
        )
        self.assertEqual(subject.organisation, self.politie)
        self.assertEqual(FormSubmission.objects.filter(token="p-1").count(), 1)

    def test_a_case_reference_the_partner_may_not_see_is_a_dutch_form_error(self):
        self.client.force_login(self.om_user)
        response = self.client.post(
            self.url(),
            {"action": "subject", "kind": "case", "reference": self.lod.reference,
             "reason": "Bespreken.", "form_token": "o-1"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Er is geen zaak met dit kenmerk die u mag zien")
        self.assertFalse(Subject.objects.exists())

    def test_over_long_text_is_refused_and_nothing_is_stored(self):
        self.client.force_login(self.chair)
        response = self.client.post(
            self.url(),
            {"action": "subject", "kind": "address", "postcode": "5913 AG",
             "house_number": "12", "city": "Venlo", "data_class": "D1",
             "reason": "x" * 100_000, "form_token": "c-1"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertFalse(Subject.objects.exists())

    def test_a_refusal_names_its_rule(self):
        later = services.meeting_plan(
            table=self.table, user=self.chair, day=self.today + timedelta(days=3)
        )
        self.client.force_login(self.chair)
        response = self.client.post(
            f"/tafels/meetings/{later.pk}/",
            {"action": "hold", "form_token": "h-1"},
            follow=True,
        )
        self.assertContains(response, rules.RULE_DAY)
        later.refresh_from_db()
        self.assertEqual(later.status, Meeting.Status.PLANNED)

    def test_the_chair_records_decisions_and_action_points_after_the_meeting(self):
        subject = self.put_case(self.inspection)
        self.client.force_login(self.chair)
        decision = {
            "action": "decision", "subject": subject.pk,
            "organisation": self.politie.pk, "text": "Surveillance.",
            "form_token": "d-1",
        }  # fmt: skip
        # Not yet held: the forms are not offered.
        self.assertNotContains(self.client.get(self.url()), 'value="decision"')
        self.assertEqual(self.client.post(self.url(), decision).status_code, 404)
        self.hold()
        self.assertContains(self.client.get(self.url()), 'value="decision"')
        self.assertEqual(self.client.post(self.url(), decision).status_code, 302)
        point = {
            "action": "point", "subject": subject.pk,
            "organisation": self.gemeente.pk, "description": "Hercontrole.",
            "due_on": str(self.today + timedelta(days=10)), "outcome": "task",
            "case_type": "", "form_token": "d-2",
        }  # fmt: skip
        self.assertEqual(self.client.post(self.url(), point).status_code, 302)
        self.assertEqual(Decision.objects.get().text, "Surveillance.")
        self.assertEqual(ActionPoint.objects.get().deadline.case, self.inspection)

    def test_a_subject_the_chair_does_not_see_takes_no_decision(self):
        hidden = self.put_case(self.lod, user=self.jurist)
        self.hold()
        self.client.force_login(self.chair)
        response = self.client.post(
            self.url(),
            {"action": "decision", "subject": hidden.pk,
             "organisation": self.politie.pk, "text": "X", "form_token": "d-9"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Decision.objects.exists())


class MinutesTests(TafelTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.address = cls.put_address(12)
        cls.person = cls.put_person("Ricardo Vossen", DataClass.D3, cls.politie_user)
        cls.lod_subject = cls.put_case(cls.lod, user=cls.jurist)
        cls.hold()
        cls.decide_for(cls.address, cls.politie, "Politie houdt het pand in de gaten.")
        cls.decide_for(cls.address, cls.om, "Het OM start een financieel onderzoek.")
        cls.decide_for(cls.person, cls.politie, "Politie stelt een rapportage op.")

    def minutes(self, user):
        self.client.force_login(user)
        return self.client.get(f"/tafels/meetings/{self.meeting.pk}/minutes.pdf")

    def test_no_minutes_before_the_meeting_is_closed(self):
        self.assertEqual(self.minutes(self.chair).status_code, 404)

    def test_each_reader_gets_only_what_it_may_see(self):
        services.meeting_close(meeting=self.meeting, user=self.chair)
        texts = {}
        for user in (self.chair, self.politie_user, self.om_user):
            response = self.minutes(user)
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "application/pdf")
            texts[user.username] = pdf_text(response.content)
        for text in texts.values():
            self.assertIn("Verslag", text)
            self.assertIn("Kaldenkerkerweg 12", text)
        chair = texts["coordinator"]
        self.assertIn("Opgemaakt voor", chair)
        self.assertIn("Ricardo Vossen", chair)
        self.assertIn("Politie houdt het pand in de gaten.", chair)
        self.assertIn("Het OM start een financieel onderzoek.", chair)
        self.assertNotIn(self.lod.reference, chair)  # not on its team
        politie = texts["politie"]
        self.assertIn(self.lod.reference, politie)
        self.assertIn("Politie stelt een rapportage op.", politie)
        self.assertNotIn("Het OM start een financieel onderzoek.", politie)
        om = texts["om"]
        self.assertIn("Het OM start een financieel onderzoek.", om)
        for hidden in ("Ricardo Vossen", self.lod.reference, "Politie houdt"):
            self.assertNotIn(hidden, om)
        self.assertIn("opgemaakt voor om", om)

    def test_outsiders_get_no_minutes(self):
        services.meeting_close(meeting=self.meeting, user=self.chair)
        for user in (self.riec_user, self.fg, self.stranger):
            with self.subTest(user=user.username):
                self.assertEqual(self.minutes(user).status_code, 404)

    def test_a_closed_meeting_offers_no_form(self):
        services.meeting_close(meeting=self.meeting, user=self.chair)
        self.client.force_login(self.chair)
        url = f"/tafels/meetings/{self.meeting.pk}/"
        response = self.client.get(url)
        self.assertNotContains(response, '<form method="post" novalidate>')
        self.assertContains(response, "minutes.pdf")
        body = {"action": "subject", "kind": "address", "postcode": "5913 AG",
                "house_number": "3", "city": "Venlo", "data_class": "D1",
                "reason": "Te laat.", "form_token": "z-1"}  # fmt: skip
        self.assertEqual(self.client.post(url, body).status_code, 404)
        self.assertEqual(Subject.objects.count(), 3)


class TableMeetingsTests(TafelTestCase):
    """A table's page: the meetings it works on now, and its closed meetings
    one year at a time, newest first."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A table set up three years ago that meets every four weeks.
        cls.old = services.table_create(
            user=cls.chair,
            kind=Table.Kind.HANDHAVING,
            name="Handhavingsoverleg Blerick",
            participants=[cls.politie],
            created_at=timezone.now() - timedelta(days=3 * 365),
        )
        cls.closed = {}
        day = timezone.localdate(cls.old.created_at)
        while day < cls.today - timedelta(days=30):
            meeting = services.meeting_plan(table=cls.old, user=cls.chair, day=day)
            services.meeting_hold(meeting=meeting, user=cls.chair)
            services.meeting_close(meeting=meeting, user=cls.chair)
            cls.closed.setdefault(day.year, []).append(meeting)
            day += timedelta(days=28)
        cls.held = services.meeting_plan(
            table=cls.old, user=cls.chair, day=cls.today - timedelta(days=2)
        )
        services.meeting_hold(meeting=cls.held, user=cls.chair)
        cls.planned = services.meeting_plan(
            table=cls.old, user=cls.chair, day=cls.today + timedelta(days=26)
        )

    def page(self, query=""):
        self.client.force_login(self.politie_user)
        response = self.client.get(f"/tafels/{self.old.pk}/{query}")
        self.assertEqual(response.status_code, 200)
        return response

    @staticmethod
    def link(meeting) -> str:
        return f'href="/tafels/meetings/{meeting.pk}/"'

    def test_the_current_meetings_and_the_newest_year_of_closed_ones(self):
        response = self.page()
        newest = max(self.closed)
        self.assertEqual(response.context["year"], newest)
        self.assertEqual(response.context["years"], sorted(self.closed, reverse=True))
        self.assertEqual(response.context["current"], [self.held, self.planned])
        self.assertEqual(
            response.context["closed"],
            sorted(self.closed[newest], key=lambda m: m.date, reverse=True),
        )
        for meeting in (self.held, self.planned, *self.closed[newest]):
            self.assertContains(response, self.link(meeting))
        for year, meetings in self.closed.items():
            if year != newest:
                for meeting in meetings:
                    self.assertNotContains(response, self.link(meeting))
        self.assertContains(response, f"Vastgestelde vergaderingen in {newest}")
        self.assertContains(
            response, f'<a href="?year={newest}#closed" aria-current="page">'
        )

    def test_another_year_is_chosen_by_its_link(self):
        oldest = min(self.closed)
        response = self.page(f"?year={oldest}")
        self.assertEqual(response.context["year"], oldest)
        for meeting in self.closed[oldest]:
            self.assertContains(response, self.link(meeting))
            self.assertContains(response, f"/tafels/meetings/{meeting.pk}/minutes.pdf")
        # What the table works on now is shown whatever the year.
        self.assertContains(response, self.link(self.planned))

    def test_a_year_without_meetings_says_so_and_bad_input_shows_the_newest(self):
        response = self.page("?year=2001")
        self.assertEqual(response.context["closed"], [])
        self.assertContains(response, "Geen vastgestelde vergadering in 2001.")
        for bad in (
            "?year=abc",
            "?year=-3",
            "?year=0",
            "?year=%D9%A3",
            "?year=" + "9" * 40,
        ):
            with self.subTest(bad):
                response = self.page(bad)
                self.assertEqual(response.context["year"], max(self.closed))

    def test_a_table_without_closed_meetings_shows_no_year(self):
        self.client.force_login(self.chair)
        response = self.client.get(f"/tafels/{self.table.pk}/")
        self.assertEqual(response.context["years"], [])
        self.assertEqual(response.context["current"], [self.meeting])
        self.assertNotContains(response, "Vastgestelde vergaderingen")

    def test_the_page_costs_the_same_for_three_years_as_for_one_meeting(self):
        services.meeting_hold(meeting=self.meeting, user=self.chair)
        services.meeting_close(meeting=self.meeting, user=self.chair)

        def count(table) -> int:
            self.client.force_login(self.chair)
            url = f"/tafels/{table.pk}/"
            self.client.get(url)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(queries)

        self.assertEqual(count(self.old), count(self.table))


class QueryCountTests(TafelTestCase):
    def count(self, user) -> int:
        self.client.force_login(user)
        url = f"/tafels/meetings/{self.meeting.pk}/"
        self.client.get(url)  # warm the session and the caches alike
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def fill(self, first: int, last: int):
        for number in range(first, last):
            subject = self.put_address(number)
            self.decide_for(subject, self.politie, f"Besluit {number}.")
            self.decide_for(subject, self.om, f"OM {number}.")

    def test_the_meeting_page_costs_the_same_for_a_long_agenda(self):
        self.put_case(self.inspection)
        self.put_person("Ricardo Vossen", DataClass.D3, self.politie_user)
        self.hold()
        self.fill(1, 3)
        few = {u.username: self.count(u) for u in (self.chair, self.politie_user)}
        self.fill(3, 15)
        many = {u.username: self.count(u) for u in (self.chair, self.politie_user)}
        self.assertEqual(many, few)
        # The partners are the table's participants read for the decision
        # point, with the chair read with the meeting: no query of their own
        # (13 before).
        self.assertLessEqual(max(many.values()), 12)
