"""The case list at scale: a bounded count, rows built without model instances
and a table body rendered in Python (docs/performance.md,
docs/decisions/0010-bounded-case-count.md). What the user sees must not change:
the same cases, order, filters, paging, labels and markup as the template loop
over Case instances gives."""

import re
from unittest import mock

from django.template.loader import render_to_string
from django.utils import translation

from casework import listing, selectors, services
from casework.models import Case
from permissions.models import CaseAccess, Role
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import CaseFactory, UserFactory

REFERENCE = re.compile(r'<a href="/cases/([^/"]+)/">')
# The three selects whose options are cached (casework.views.filter_options).
FIXED_SELECTS = re.compile(
    r'<select name="(?:case_type|status|team_role)".*?</select>', re.DOTALL
)


def fixed_selects(response) -> str:
    return "".join(FIXED_SELECTS.findall(response.content.decode()))


class CaseListTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jurist = UserFactory(
            username="lijst", role=Role.JURIST, organisation=cls.gemeente
        )
        cls.lod = [CaseFactory(owner=cls.jurist) for _ in range(50)]
        cls.assessing = [CaseFactory(owner=cls.jurist, assessing=True)]
        cls.closed = [CaseFactory(owner=cls.jurist, closed=True) for _ in range(2)]
        cls.odd = CaseFactory(
            owner=cls.jurist, controle=True, title='Pand "De Kroon" & <Zoo>\'s'
        )
        # A case the jurist joins as a member, not as owner.
        other = UserFactory(role=Role.JURIST, organisation=cls.gemeente)
        cls.member_of = CaseFactory(owner=other)
        services.case_team_add(
            case=cls.member_of,
            user=other,
            member=cls.jurist,
            team_role=CaseAccess.TeamRole.MEMBER,
        )
        cls.total = 55

    def expected(self, **filters):
        """The user's cases as the list showed them before: newest team row
        first, through the same policy filter."""
        access = CaseAccess.objects.filter(
            user=self.jurist, case__in=Case.objects.for_user(self.jurist), **filters
        ).order_by("-sort_key", "-case_id")
        return list(access.values_list("case__reference", flat=True))

    def shown(self, url):
        self.client.force_login(self.jurist)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return REFERENCE.findall(response.content.decode()), response


class CaseListContentTests(CaseListTestCase):
    def test_pages_show_the_users_cases_newest_first(self):
        expected = self.expected()
        self.assertEqual(len(expected), self.total)
        first, response = self.shown("/cases/")
        self.assertEqual(first, expected[:50])
        self.assertContains(response, f'<span class="count">({self.total})</span>')
        self.assertEqual(response.context["previous_url"], "")
        # Pages follow cursors (casework.listing), never a page number.
        next_url = response.context["next_url"]
        self.assertRegex(next_url, r"^\?after=o")
        second, response = self.shown("/cases/" + next_url)
        self.assertEqual(second, expected[50:])
        self.assertEqual(response.context["next_url"], "")
        back, response = self.shown("/cases/" + response.context["previous_url"])
        self.assertEqual(back, expected[:50])
        self.assertEqual(response.context["previous_url"], "")

    def test_filters(self):
        for query, filters in (
            ("case_type=IC", {"case_type": CaseType.CONTROLE}),
            ("team_role=member", {"team_role": "member"}),
            ("status=A10", {"case__status": "A10"}),
            ("status=A99&case_type=LOD", {"case__status": "A99", "case_type": "LOD"}),
            ("case_type=BIB", {"case_type": CaseType.BIBOB}),
        ):
            with self.subTest(query=query):
                expected = self.expected(**filters)
                shown, response = self.shown(f"/cases/?{query}")
                self.assertEqual(shown, expected)
                self.assertContains(
                    response, f'<span class="count">({len(expected)})</span>'
                )
        self.assertEqual(self.expected(case_type=CaseType.BIBOB), [])

    def test_selected_filter_options_stay_selected(self):
        _, response = self.shown("/cases/?case_type=IC&status=A10&team_role=owner")
        for option in ('value="IC" selected', 'value="A10" selected',
                       'value="owner" selected'):  # fmt: skip
            self.assertContains(response, option, count=1)
        _, response = self.shown("/cases/")
        self.assertNotIn(" selected", fixed_selects(response))

    def test_filter_options_are_the_loop_they_replaced_in_both_languages(self):
        """The cached <option>s (casework.views.filter_options) are byte for
        byte what the per-request loop over the field's choices wrote, for no
        selection and a selected value, in Dutch and in English: the cache is
        keyed by language."""
        from django.template import Context, Template

        from casework.forms import CaseFilterForm

        old = Template(
            "{% for value, label, selected in options %}"
            '<option value="{{ value }}"{% if selected %} selected{% endif %}>'
            "{{ label }}</option>{% endfor %}"
        )
        seen = {}
        for language in ("nl", "en"):
            for query in ("", "?case_type=IC&status=A10&team_role=owner"):
                with self.subTest(language=language, query=query):
                    with translation.override(language):
                        _, response = self.shown(f"/cases/{query}")
                        form = CaseFilterForm(response.wsgi_request.GET or None)
                        for field in form:
                            if field.name not in ("case_type", "status", "team_role"):
                                # The other filters' options depend on the
                                # user's cases (casework.listing.options).
                                continue
                            current = field.value()
                            options = [
                                (value, label, value == current)
                                for value, label in field.field.choices
                            ]
                            html = old.render(Context({"options": options}))
                            self.assertContains(response, html, count=1)
                            seen.setdefault(field.name, set()).add(html)
        # Four different renderings of each filter: two languages, two states.
        self.assertEqual({name: len(htmls) for name, htmls in seen.items()},
                         {"case_type": 4, "status": 4, "team_role": 4})  # fmt: skip

    def test_a_filter_value_that_is_no_choice_selects_nothing_and_adds_no_entry(
        self,
    ):
        """Junk in the query string cannot grow the options cache: a value
        that is no choice is rendered (and cached) as no selection."""
        from casework.views import _filter_options_html

        self.shown("/cases/")
        before = _filter_options_html.cache_info().currsize
        for junk in ("A10x", "<b>", "x" * 500, "IC "):
            _, response = self.shown(
                f"/cases/?case_type={junk}&status={junk}&team_role={junk}"
            )
            self.assertNotIn(" selected", fixed_selects(response))
            self.assertNotContains(response, "<b>")
        self.assertEqual(_filter_options_html.cache_info().currsize, before)

    def test_rows_render_exactly_as_the_template_loop_over_cases(self):
        """The CaseRow loop of _case_table.html against the loop over Case
        instances it replaced: labels, closed badge, date, escaping, in both
        languages."""
        from django.template import Context, Template

        old = Template(
            "{% load i18n %}{% for case in cases %}\n    <tr>\n"
            '      <td><a href="{{ case.get_absolute_url }}">{{ case.reference }}'
            "</a></td>\n      <td>{{ case.title }}</td>\n"
            "      <td>{{ case.case_type_label }}</td>\n"
            '      <td><span class="status">{{ case.status }}</span> '
            "{{ case.status_label }}{% if case.closed_at %} "
            '<span class="badge">{% translate "closed" %}</span>{% endif %}</td>\n'
            '      <td>{{ case.opened_at|date:"SHORT_DATE_FORMAT" }}</td>\n'
            "    </tr>\n  {% endfor %}"
        )
        rows = listing.page(self.jurist, {}, per_page=100).rows
        cases = {c.reference: c for c in Case.objects.filter(access__user=self.jurist)}
        as_cases = [cases[row.reference] for row in rows]
        self.assertIn(self.odd.reference, [row.reference for row in rows])
        for language in ("nl", "en"):
            with self.subTest(language=language), translation.override(language):
                rows = listing.page(self.jurist, {}, per_page=100).rows
                fast = render_to_string("casework/_case_table.html", {"cases": rows})
                loop = old.render(Context({"cases": as_cases}))
                self.assertIn(f"<tbody>\n  {loop}\n  </tbody>", fast)
                self.assertIn("&lt;Zoo&gt;&#x27;s", fast)
                self.assertIn('<span class="badge">', fast)

    def test_an_empty_list_says_so(self):
        nobody = UserFactory(role=Role.JURIST, organisation=self.gemeente)
        self.client.force_login(nobody)
        response = self.client.get("/cases/")
        self.assertContains(response, '<span class="count">(0)</span>')
        self.assertContains(response, "Geen zaken.")


class BoundedCountTests(CaseListTestCase):
    def test_beyond_the_limit_the_count_reads_limit_plus(self):
        with mock.patch.object(selectors, "COUNT_LIMIT", 20):
            _, response = self.shown("/cases/")
            self.assertContains(response, '<span class="count">(20+)</span>')
            self.assertRegex(response.context["next_url"], r"^\?after=")
            _, response = self.shown("/")
            self.assertContains(response, '<span class="count">(20+)</span>')
            # Under the limit the number is exact.
            _, response = self.shown("/cases/?case_type=IC")
            self.assertContains(response, '<span class="count">(1)</span>')

    def test_next_page_is_known_beyond_the_limit(self):
        # 55 cases, pages of 3, counting stops at 5: every page but the last
        # has a next one.
        with mock.patch.object(selectors, "COUNT_LIMIT", 5):
            pages, after = [], ""
            for number in range(1, 20):
                result = listing.page(self.jurist, {}, after=after, per_page=3)
                pages.append([row.reference for row in result.rows])
                self.assertTrue(result.total.capped)
                self.assertEqual(str(result.total), "5+")
                # 55 cases in pages of 3: the 19th is the last.
                self.assertEqual(bool(result.next), number < 19, number)
                after = result.next
        self.assertEqual(sum(pages, []), self.expected())

    def test_count_is_exact_up_to_the_limit(self):
        total = listing.page(self.jurist, {}).total
        self.assertEqual(total, self.total)
        self.assertFalse(total.capped)
        self.assertEqual(str(total), "55")


class CaseListQueryTests(CaseListTestCase):
    """Session, user, membership, the bounded count, the page and the filter
    choices that depend on the user's cases (wijken, organisations,
    colleagues: casework.listing.choices): six queries whatever the page or
    the number of cases; a filter on a column copied to the list index (team
    role, status, open or closed, wijk, due date) reads the user's list
    entries and then their cases, one more."""

    def test_query_count(self):
        self.client.force_login(self.jurist)
        second = "/cases/" + self.client.get("/cases/").context["next_url"]
        for url, queries in (
            ("/cases/", 6),
            (second, 6),
            ("/cases/?case_type=LOD", 6),
            ("/cases/?team_role=owner", 7),
            ("/cases/?state=open", 7),
            ("/cases/?status=A10&team_role=owner", 7),
        ):
            with self.subTest(url=url), self.assertNumQueries(queries):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_page_builds_no_model_instances(self):
        refuse = mock.patch.object(
            Case, "from_db", side_effect=AssertionError("built a Case")
        )
        with refuse, self.assertNumQueries(2):
            rows = listing.page(self.jurist, {}).rows
            html = render_to_string("casework/_case_table.html", {"cases": rows})
        self.assertEqual(len(rows), 50)
        self.assertEqual(html.count("<tr>"), 51)  # and the head row
