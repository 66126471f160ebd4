"""Saved views of the case list (issue 16 item 3; casework/listing.py,
docs/listing.md): made from the list's filters once per form token, renamed
and deleted by their owner, shared with the owner's team (same organisation
and role), shown in Mijn werk with bounded counts, and always evaluated with
the access of whoever opens them."""

import re
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework import idempotency, listing
from casework.models import SavedView
from permissions.models import Role
from tests.base import BaseTestCase
from tests.factories import CaseFactory, UserFactory

REFERENCE = re.compile(r'<a href="/cases/([^/"]+)/">')


class SavedViewTestCase(BaseTestCase):
    """`owner` (a jurist, from BaseTestCase) keeps views; `colleague` is a
    jurist of the same gemeente (the owner's team); `bibob` is of the same
    gemeente with another role; `politie_user` is another organisation."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bibob = UserFactory(
            username="bibobber", role=Role.BIBOB, organisation=cls.gemeente
        )
        # The owner's assessing cases; the colleague has one of its own.
        cls.owner_cases = [
            CaseFactory(owner=cls.owner, assessing=True) for _ in range(3)
        ]
        cls.colleague_case = CaseFactory(owner=cls.colleague, assessing=True)
        cls.shared = listing.saved_view_create(
            user=cls.owner, name="In beoordeling", query="status=A10", shared=True
        )
        cls.private = listing.saved_view_create(
            user=cls.owner,
            name="Mijn gesloten zaken",
            query="state=closed",
            shared=False,
        )

    def post(self, user, data):
        self.client.force_login(user)
        return self.client.post("/views/", data)

    def create(self, user, name, query, *, shared=False, token=None):
        data = {
            "action": "create",
            "name": name,
            "query": query,
            "form_token": token or idempotency.new_token(),
        }
        if shared:
            data["shared"] = "on"
        return self.post(user, data)

    def opened(self, user, view):
        self.client.force_login(user)
        return self.client.get(f"/cases/?view={view.pk}")


class CreateTests(SavedViewTestCase):
    def test_the_case_list_offers_its_filters_to_save(self):
        self.client.force_login(self.owner)
        response = self.client.get("/cases/?sort=due&status=A10&after=junk&x=1")
        self.assertContains(response, "Bewaar deze weergave")
        self.assertContains(
            response, 'name="query" value="status=A10&amp;sort=due"', html=False
        )

    def test_create_normalises_the_query_and_opens_the_view(self):
        response = self.create(
            self.owner,
            "Termijnen",
            "sort=due&status=A10&case_type=NOPE&after=o1_2&page=3",
        )
        view = SavedView.objects.get(owner=self.owner, name="Termijnen")
        self.assertEqual(view.query, "status=A10&sort=due")
        self.assertFalse(view.shared)
        self.assertRedirects(response, f"/cases/?view={view.pk}")

    def test_a_double_submit_makes_one_view(self):
        token = idempotency.new_token()
        first = self.create(self.owner, "Dubbel", "state=open", token=token)
        second = self.create(self.owner, "Dubbel", "state=open", token=token)
        self.assertEqual(SavedView.objects.filter(name="Dubbel").count(), 1)
        self.assertEqual(first["Location"], second["Location"])

    def test_a_shared_view_records_the_owners_team(self):
        self.create(self.owner, "Team", "state=open", shared=True)
        view = SavedView.objects.get(name="Team")
        self.assertTrue(view.shared)
        self.assertEqual(
            (view.organisation_id, view.role), (self.gemeente.pk, Role.JURIST)
        )

    def test_refusals_are_dutch_and_change_nothing(self):
        before = SavedView.objects.count()
        response = self.create(self.owner, "In beoordeling", "state=open")
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.owner)
        page = self.client.get(response["Location"])
        self.assertContains(page, "U hebt al een weergave met deze naam.")
        for name in ("", "x" * 101, "   "):
            with self.subTest(name=name):
                response = self.create(self.owner, name, "state=open")
                self.assertEqual(response.status_code, 302)
        response = self.post(self.owner, {"action": "create", "name": "Zonder token"})
        self.assertEqual(response.status_code, 302)
        response = self.post(self.owner, {"action": "ontploffen"})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(SavedView.objects.count(), before)

    def test_another_users_token_is_refused(self):
        token = idempotency.new_token()
        self.create(self.owner, "Eerste", "state=open", token=token)
        response = self.create(self.colleague, "Tweede", "state=open", token=token)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(SavedView.objects.filter(name="Tweede").exists())


class WhoSeesWhatTests(SavedViewTestCase):
    def test_the_owner_and_the_team_see_a_shared_view(self):
        for user in (self.owner, self.colleague):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                response = self.client.get("/views/")
                self.assertContains(response, "In beoordeling")
                self.assertEqual(self.opened(user, self.shared).status_code, 200)

    def test_a_private_view_is_the_owners_only(self):
        self.assertEqual(self.opened(self.owner, self.private).status_code, 200)
        for user in (self.colleague, self.bibob, self.politie_user, self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.opened(user, self.private).status_code, 404)
                self.client.force_login(user)
                self.assertNotContains(self.client.get("/views/"), "Mijn gesloten")

    def test_other_roles_and_organisations_do_not_see_a_shared_view(self):
        for user in (self.bibob, self.politie_user, self.fg):
            with self.subTest(user=user.username):
                self.assertEqual(self.opened(user, self.shared).status_code, 404)
                self.client.force_login(user)
                self.assertNotContains(self.client.get("/views/"), "In beoordeling")
                self.assertNotContains(self.client.get("/"), "In beoordeling")

    def test_unknown_and_hostile_view_ids_are_404(self):
        self.client.force_login(self.owner)
        for value in ("0", "-1", "abc", "9" * 40, "\x00", str(self.private.pk + 999)):
            with self.subTest(value=value):
                response = self.client.get("/cases/", {"view": value})
                self.assertEqual(response.status_code, 404)

    def test_a_shared_view_shows_each_user_only_their_own_cases(self):
        response = self.opened(self.owner, self.shared)
        owners = {c.reference for c in self.owner_cases}
        self.assertEqual(set(REFERENCE.findall(response.content.decode())), owners)
        response = self.opened(self.colleague, self.shared)
        shown = REFERENCE.findall(response.content.decode())
        self.assertEqual(shown, [self.colleague_case.reference])
        self.assertEqual(response.context["total"], 1)
        # A view of another partner's filters, saved by a politie user and
        # opened by the politie team, never shows a gemeente case.
        politie_view = listing.saved_view_create(
            user=self.politie_user, name="Alles", query="", shared=True
        )
        team = UserFactory(role=Role.PARTNER, organisation=self.politie)
        response = self.opened(team, politie_view)
        self.assertEqual(REFERENCE.findall(response.content.decode()), [])
        response = self.opened(self.politie_user, politie_view)
        self.assertEqual(
            REFERENCE.findall(response.content.decode()), [self.case.reference]
        )

    def test_the_pager_of_a_view_keeps_the_view(self):
        self.client.force_login(self.owner)
        with mock.patch.object(listing, "PAGE_SIZE", 2):
            result = listing.page(self.owner, {"status": "A10"}, per_page=2)
        self.assertTrue(result.next)
        response = self.client.get(f"/cases/?view={self.shared.pk}&after={result.next}")
        self.assertEqual(response.status_code, 200)
        shown = REFERENCE.findall(response.content.decode())
        self.assertEqual(len(shown), 1)
        self.assertContains(response, "In beoordeling")


class ChangeTests(SavedViewTestCase):
    def test_the_owner_renames_and_deletes(self):
        response = self.post(
            self.owner, {"action": "rename", "view": self.shared.pk, "name": "Nieuw"}
        )
        self.assertRedirects(response, "/views/")
        self.shared.refresh_from_db()
        self.assertEqual(self.shared.name, "Nieuw")
        response = self.post(self.owner, {"action": "delete", "view": self.shared.pk})
        self.assertRedirects(response, "/views/")
        self.assertFalse(SavedView.objects.filter(pk=self.shared.pk).exists())

    def test_only_the_owner_changes_a_view(self):
        for user in (self.colleague, self.bibob, self.politie_user, self.outsider):
            for data in (
                {"action": "rename", "view": self.shared.pk, "name": "Gekaapt"},
                {"action": "delete", "view": self.shared.pk},
            ):
                with self.subTest(user=user.username, action=data["action"]):
                    self.assertEqual(self.post(user, data).status_code, 404)
        self.shared.refresh_from_db()
        self.assertEqual(self.shared.name, "In beoordeling")

    def test_a_rename_to_a_taken_or_bad_name_changes_nothing(self):
        for name in ("Mijn gesloten zaken", "", "y" * 101):
            with self.subTest(name=name):
                response = self.post(
                    self.owner,
                    {"action": "rename", "view": self.shared.pk, "name": name},
                )
                self.assertRedirects(response, "/views/", fetch_redirect_response=False)
        self.shared.refresh_from_db()
        self.assertEqual(self.shared.name, "In beoordeling")
        for view in ("abc", "9" * 40, "", "\x00"):
            with self.subTest(view=view):
                response = self.post(self.owner, {"action": "delete", "view": view})
                self.assertEqual(response.status_code, 404)

    def test_the_list_shows_change_forms_for_own_views_only(self):
        self.client.force_login(self.colleague)
        response = self.client.get("/views/")
        self.assertNotContains(response, 'value="rename"')
        self.client.force_login(self.owner)
        response = self.client.get("/views/")
        self.assertContains(response, 'value="rename"', count=2)


class MijnWerkTests(SavedViewTestCase):
    def test_views_are_shown_with_their_counts(self):
        self.client.force_login(self.owner)
        response = self.client.get("/")
        self.assertContains(response, f'href="/cases/?view={self.shared.pk}"')
        self.assertContains(
            response, 'In beoordeling</a> <span class="count">(3)</span>'
        )
        self.assertContains(
            response, 'Mijn gesloten zaken</a> <span class="count">(0)</span>'
        )
        self.client.force_login(self.colleague)
        response = self.client.get("/")
        self.assertContains(
            response, 'In beoordeling</a> <span class="count">(1)</span>'
        )
        self.assertNotContains(response, "Mijn gesloten zaken")

    def test_counts_are_bounded_as_the_case_lists(self):
        with mock.patch("casework.selectors.COUNT_LIMIT", 2):
            self.client.force_login(self.owner)
            response = self.client.get("/")
        self.assertContains(
            response, 'In beoordeling</a> <span class="count">(2+)</span>'
        )

    def test_the_counts_of_all_views_are_one_query_and_at_most_ten_views(self):
        self.client.force_login(self.owner)
        self.client.get("/")
        with CaptureQueriesContext(connection) as two:
            self.client.get("/")
        for i in range(12):
            listing.saved_view_create(
                user=self.owner,
                name=f"Weergave {i:02d}",
                query="state=open",
                shared=False,
            )
        with CaptureQueriesContext(connection) as many:
            response = self.client.get("/")
        self.assertEqual(len(many), len(two))
        self.assertEqual(len(response.context["saved_views"]), listing.HOME_VIEWS)
        # Each count is the case list's for the view's filters.
        for row in response.context["saved_views"]:
            self.assertEqual(
                int(row.total),
                int(listing.count(self.owner, listing.filters_of(row.view.query))),
                row.view.name,
            )
        self.assertContains(response, "Alle bewaarde weergaven")


class CountsTests(SavedViewTestCase):
    """`listing.counts`: several bounded counts in one statement, each equal
    to the case list's own count of its filters."""

    FILTERS = [
        {},
        {"status": "A10"},
        {"state": "closed"},
        {"state": "open", "case_type": "LOD"},
        {"status": "A80"},
    ]

    def test_each_count_is_the_case_lists(self):
        for user in (self.owner, self.colleague, self.outsider, self.bibob):
            # (The user's membership is read once, by the first.)
            expected = [int(listing.count(user, f)) for f in self.FILTERS]
            with self.assertNumQueries(1):
                found = listing.counts(user, self.FILTERS)
            self.assertEqual([int(n) for n in found], expected, user.username)
        # The owner's three assessing cases (the colleague's is not on the
        # owner's team; the base case is still a report, A00).
        self.assertEqual(int(listing.counts(self.owner, [{"status": "A10"}])[0]), 3)

    def test_a_new_role_is_counted_under_its_own_rule(self):
        """Each view's statement is built once per user and rule
        (`listing._count_sql`): a changed role is counted afresh."""
        from django.contrib.auth import get_user_model

        from permissions.models import Membership
        from permissions.selectors import team_row_lookups

        before = [int(n) for n in listing.counts(self.owner, self.FILTERS)]
        self.assertTrue(any(before))
        Membership.objects.filter(user=self.owner).update(role=Role.FG)
        owner = get_user_model().objects.get(pk=self.owner.pk)
        self.assertNotEqual(team_row_lookups(owner), team_row_lookups(self.owner))
        after = [int(n) for n in listing.counts(owner, self.FILTERS)]
        self.assertEqual(after, [int(listing.count(owner, f)) for f in self.FILTERS])
        self.assertNotEqual(after, before)

    def test_counts_are_bounded_and_a_user_without_a_role_counts_nothing(self):
        with mock.patch("casework.selectors.COUNT_LIMIT", 2):
            (total,) = listing.counts(self.owner, [{"status": "A10"}])
        self.assertEqual(str(total), "2+")
        nobody = UserFactory(username="zonder-rol")
        self.assertEqual([int(n) for n in listing.counts(nobody, [{}, {}])], [0, 0])
        with self.assertNumQueries(0):
            self.assertEqual(listing.counts(self.owner, []), [])
