"""The dashboard's page (docs/controle.md "Pages"): the week's visits and the
open follow-ups are read as plain values and printed as prepared rows
(`views.week_visits`, `views.dashboard_follow_ups`); the markup is what the
loops over Visit and Case objects printed before, markup in a title is
escaped once, and the page's queries are fixed."""

from datetime import timedelta
from unittest import mock

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import services
from casework.models import Case
from permissions.models import AccessLog, CaseAccess
from tests.case_types import CaseType
from workflows.controle import views
from workflows.controle.models import PartnerSlot, Visit
from workflows.controle.views import DAY_VISITS, FOLLOW_UPS_SHOWN

from ..test_controle import ControleTestCase

# The two loops as the template wrote them from the model objects.
OLD_WEEK = Template(
    """{% load i18n %}{% for day in days %}
      <tr><td>{{ day.day|date:"l j F" }}</td><td>{% for visit in day.visits %}<p>{{ visit.planned_at|time:"H:i" }} <a href="{% url 'casework:controle_planning' visit.case.reference %}">{{ visit.case.reference }}</a> {{ visit.case.title }} — {% translate "lead" %} {{ visit.lead.get_full_name|default:visit.lead.username }}; {% for slot in visit.slots.all %}{{ slot.get_kind_display }}{% if slot.confirmed %} ✓{% endif %}{% if not forloop.last %}, {% endif %}{% endfor %}</p>{% empty %}—{% endfor %}</td></tr>
    {% endfor %}"""  # noqa: E501
)
OLD_FOLLOW_UPS = Template(
    """{% load i18n %}<ul>{% for case in follow_ups %}<li><a href="{{ case.get_absolute_url }}">{{ case.reference }}</a> {{ case.title }} — {% translate "from" %} <a href="{{ case.parent.get_absolute_url }}">{{ case.parent.reference }}</a></li>{% empty %}<li>{% translate "No open follow-up cases." %}</li>{% endfor %}</ul>"""  # noqa: E501
)
WEEK = "2027-W01"


class DashboardPageTests(ControleTestCase):
    def setUp(self):
        # Monday 4 January 2027, 09:00 and 14:30; Wednesday 10:15.
        monday = timezone.make_aware(timezone.datetime(2027, 1, 4, 9, 0))
        self.first = self.new_case()
        self.second = self.new_case()
        self.second.title = "<i>Loods</i> & Co"
        self.second.save(update_fields=["title"])
        nameless = self.make_user("nameless", "toezicht", self.gemeente)
        nameless.first_name = nameless.last_name = ""
        nameless.save()
        visit = Visit.objects.create(
            case=self.first, planned_at=monday, lead=self.toezicht
        )
        PartnerSlot.objects.create(
            visit=visit, kind=PartnerSlot.Kind.POLITIE, legal_basis="Politiewet 3",
            confirmed=True,
        )  # fmt: skip
        PartnerSlot.objects.create(
            visit=visit, kind=PartnerSlot.Kind.BRANDWEER, legal_basis="Wvr"
        )
        Visit.objects.create(
            case=self.second, lead=nameless,
            planned_at=monday + timedelta(hours=5, minutes=30),
        )  # fmt: skip
        Visit.objects.create(
            case=self.first, lead=self.toezicht,
            planned_at=monday + timedelta(days=2, hours=1, minutes=15),
        )  # fmt: skip
        # A follow-up the coordinator is on, one it is not on, a closed one.
        self.children = []
        for title, member in (("Vervolg <b>LOD</b>", True), ("Geheim", False),
                              ("Dicht", True)):  # fmt: skip
            child = services.case_open(
                user=self.owner, case_type=CaseType.LOD, title=title,
                parent=self.second,
            )  # fmt: skip
            if member:
                services.case_team_add(
                    case=child, user=self.owner, member=self.coordinator,
                    team_role=CaseAccess.TeamRole.MEMBER,
                )  # fmt: skip
            self.children.append(child)
        Case.objects.filter(pk=self.children[2].pk).update(closed_at=timezone.now())
        self.login(self.coordinator)

    def page(self):
        response = self.client.get(f"/controle/?week={WEEK}")
        self.assertEqual(response.status_code, 200)
        return response

    def test_the_page_prints_what_the_object_loops_printed(self):
        response = self.page()
        html = response.content.decode()
        days = [
            {"day": day["day"], "visits": list(
                Visit.objects.filter(
                    case__in=[self.first, self.second],
                    planned_at__date=day["day"],
                ).order_by("planned_at"))}
            for day in response.context["days"]
        ]  # fmt: skip
        self.assertEqual(sum(len(d["visits"]) for d in days), 3)
        self.assertIn(OLD_WEEK.render(Context({"days": days})), html)
        follow_ups = [self.children[0]]
        self.assertIn(OLD_FOLLOW_UPS.render(Context({"follow_ups": follow_ups})), html)
        self.assertIn("09:00", html)
        self.assertIn("Politie ✓, Brandweer", html)
        self.assertIn("— leider nameless;", html)

    def test_markup_in_a_title_is_escaped_once(self):
        response = self.page()
        self.assertContains(response, "&lt;i&gt;Loods&lt;/i&gt; &amp; Co")
        self.assertContains(response, "Vervolg &lt;b&gt;LOD&lt;/b&gt;")
        self.assertNotContains(response, "<i>Loods</i>")
        self.assertNotContains(response, "&amp;amp;")
        self.assertNotContains(response, "Geheim")

    def test_a_visit_to_an_inspection_of_a_sensitive_class_is_a_logged_read(self):
        """An inspection is D0 unless its team moves it: the dashboard then
        writes one access-log row naming it; a week of D0 visits none."""
        self.page()
        self.assertFalse(AccessLog.objects.filter(object_type="controle_dashboard"))
        Case.objects.filter(pk=self.first.pk).update(data_class="D3")
        self.assertContains(self.page(), self.first.reference)
        row = AccessLog.objects.get(object_type="controle_dashboard")
        self.assertEqual(
            (row.user_id, row.data_class, row.object_id),
            (self.coordinator.pk, "D3", self.first.reference),
        )

    def test_seven_queries_with_visits_and_follow_ups(self):
        self.page()
        # The session, the user, the membership, the week's visits, their
        # slots, the follow-ups (their cases by the ids of the user's
        # entries, one statement), the outcomes.
        with CaptureQueriesContext(connection) as queries:
            response = self.page()
        self.assertEqual(len(queries), 7)
        self.assertEqual(len(response.context["follow_ups"]), 1)
        [follow_ups] = [q["sql"] for q in queries if "casework_listentry" in q["sql"]
                        and "parent_id" in q["sql"]]  # fmt: skip
        self.assertIn('FROM "casework_case"', follow_ups)
        # An empty week and no follow-ups: not the slots.
        Case.objects.filter(pk=self.children[0].pk).update(closed_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/controle/?week=2027-W10")
        self.assertEqual(len(queries), 6)


class BusyDayTests(ControleTestCase):
    """A day of the week shows its first DAY_VISITS visits and says how many
    more it has; its own page (`?day=`) shows them all (`views.week_visits`).
    The days are the current time zone's (Europe/Amsterdam)."""

    def setUp(self):
        self.inspection = self.new_case()
        self.monday = timezone.make_aware(timezone.datetime(2027, 1, 4, 8, 0))
        # Monday: DAY_VISITS + 3 visits, every ten minutes from 08:00, and
        # 23:30 (22:30 UTC), still Monday here. Tuesday: exactly DAY_VISITS.
        self.busy = [
            Visit.objects.create(
                case=self.inspection,
                lead=self.toezicht,
                planned_at=self.monday + timedelta(minutes=10 * n),
            )  # fmt: skip
            for n in range(DAY_VISITS + 2)
        ]
        self.busy.append(
            Visit.objects.create(
                case=self.inspection,
                lead=self.toezicht,
                planned_at=self.monday + timedelta(hours=15, minutes=30),
            )  # fmt: skip
        )
        for n in range(DAY_VISITS):
            Visit.objects.create(
                case=self.inspection, lead=self.toezicht,
                planned_at=self.monday + timedelta(days=1, minutes=n),
            )  # fmt: skip
        # Monday visits of another coordinator's inspection: not counted.
        other = self.make_user("coordinator2", "coordinator", self.gemeente)
        hidden = services.case_open(
            user=other, case_type=CaseType.CONTROLE, title="Elders"
        )
        for n in range(3):
            Visit.objects.create(
                case=hidden, lead=other, planned_at=self.monday + timedelta(minutes=n)
            )
        self.login(self.coordinator)

    def times(self, day):
        return [visit["time"] for visit in day["visits"]]

    def test_a_busy_day_shows_its_first_visits_and_counts_the_rest(self):
        response = self.client.get(f"/controle/?week={WEEK}")
        monday, tuesday, *rest = response.context["days"]
        first = [f"{8 + n // 6:02d}:{n % 6 * 10:02d}" for n in range(DAY_VISITS)]
        self.assertEqual(self.times(monday), first)
        self.assertEqual(monday["more"], 3)
        self.assertEqual(monday["url"], "?day=2027-01-04")
        self.assertEqual(len(tuesday["visits"]), DAY_VISITS)
        self.assertEqual((tuesday["more"], tuesday["url"]), (0, ""))
        self.assertEqual([day["visits"] for day in rest], [[]] * 5)
        self.assertContains(
            response, '<a href="?day=2027-01-04">nog 3 bezoeken op deze dag</a>',
            html=True,
        )  # fmt: skip
        self.assertContains(response, "op deze dag", count=1)

    def test_the_days_own_page_shows_all_its_visits(self):
        response = self.client.get("/controle/?day=2027-01-04")
        self.assertEqual(len(response.context["days"]), 1)
        (monday,) = response.context["days"]
        self.assertEqual(monday["day"].isoformat(), "2027-01-04")
        self.assertEqual(len(monday["visits"]), DAY_VISITS + 3)
        self.assertEqual(self.times(monday)[-1], "23:30")
        self.assertEqual(monday["more"], 0)
        self.assertContains(response, '<h2 id="week">maandag 4 januari 2027</h2>')
        self.assertContains(
            response, '<a href="?week=2027-W01">Terug naar week 1, 2027</a>', html=True
        )
        self.assertNotContains(response, "Vorige week")
        # Tuesday has its own page too, and a day of another week its week.
        response = self.client.get("/controle/?day=2027-01-05")
        self.assertEqual(len(response.context["days"][0]["visits"]), DAY_VISITS)
        response = self.client.get("/controle/?day=2027-01-10")
        self.assertEqual(response.context["days"][0]["visits"], [])
        self.assertContains(response, "?week=2027-W01")

    def test_a_day_that_is_no_date_shows_the_week(self):
        for value in ("2027-1-4", "2027-01-32", "04-01-2027", "x" * 10, "9999-12-31",
                      "1899-12-31", "2027-01-04\x00", ""):  # fmt: skip
            with self.subTest(value=value):
                response = self.client.get("/controle/", {"day": value, "week": WEEK})
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(response.context["day"])
                self.assertEqual(len(response.context["days"]), 7)
                self.assertEqual(response.context["days"][0]["more"], 3)

    def test_the_count_leaves_out_visits_the_user_may_not_see(self):
        other = Visit.objects.filter(case__title="Elders")
        # Three more of the hidden inspection on Tuesday: still no link.
        for visit in other:
            Visit.objects.create(
                case=visit.case, lead=visit.lead,
                planned_at=visit.planned_at + timedelta(days=1),
            )  # fmt: skip
        response = self.client.get(f"/controle/?week={WEEK}")
        monday, tuesday = response.context["days"][:2]
        self.assertEqual((len(monday["visits"]), monday["more"]), (DAY_VISITS, 3))
        self.assertEqual((len(tuesday["visits"]), tuesday["more"]), (DAY_VISITS, 0))
        references = {v["reference"] for d in response.context["days"]
                      for v in d["visits"]}  # fmt: skip
        self.assertEqual(references, {self.inspection.reference})

    def test_the_queries_are_those_of_a_quiet_week(self):
        self.client.get(f"/controle/?week={WEEK}")
        # The session, the user, the membership, the visits, their slots
        # (none here, still asked), the follow-ups' ids (none: no rows), the
        # outcomes: a week of 23 visits costs what a week of three does.
        for url in (f"/controle/?week={WEEK}", "/controle/?day=2027-01-04"):
            with self.subTest(url), CaptureQueriesContext(connection) as queries:
                self.client.get(url)
            self.assertEqual(len(queries), 7)


class FollowUpTests(ControleTestCase):
    """The dashboard shows the newest FOLLOW_UPS_SHOWN open follow-up cases
    of the user's inspections and links to their own page when there are
    more; that page shows every one, FOLLOW_UPS_PAGE at a time by cursor
    (`views.follow_ups`). Until now the dashboard stopped at 50 without a
    word."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        inspection = cls.new_case(cls)  # uses only the class's users
        start = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))
        # Twelve open follow-ups the coordinator is on, opened a day apart
        # (the newest last); each opened_at set, as the list sorts by it.
        cls.shown = []
        for n in range(FOLLOW_UPS_SHOWN + 2):
            cls.shown.append(cls.child(inspection, f"Vervolg {n}", start, n))
        cls.shown.reverse()  # newest first
        # Not shown: one the coordinator is not on, a closed one, and a
        # child of a case that is no inspection (an LOD case it is on).
        cls.child(inspection, "Geheim", start, 30, member=False)
        closed = cls.child(inspection, "Dicht", start, 31)
        Case.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
        lod = services.case_open(
            user=cls.owner, case_type=CaseType.LOD, title="Geen controle"
        )
        services.case_team_add(
            case=lod, user=cls.owner, member=cls.coordinator,
            team_role=CaseAccess.TeamRole.MEMBER,
        )  # fmt: skip
        cls.child(lod, "Kind van LOD", start, 32)

    def setUp(self):
        self.login(self.coordinator)

    @classmethod
    def child(cls, parent, title, start, days, *, member=True):
        case = services.case_open(
            user=cls.owner, case_type=CaseType.LOD, title=title, parent=parent
        )
        Case.objects.filter(pk=case.pk).update(opened_at=start + timedelta(days=days))
        if member:
            services.case_team_add(
                case=case, user=cls.owner, member=cls.coordinator,
                team_role=CaseAccess.TeamRole.MEMBER,
            )  # fmt: skip
        return case

    def open(self, link):
        """A link of the page ("?after=…") followed from the page."""
        return self.client.get(f"/controle/follow-ups/{link}")

    def references(self, response):
        return [row["reference"] for row in response.context["follow_ups"]]

    def test_the_dashboard_shows_the_newest_and_links_to_the_rest(self):
        response = self.client.get(f"/controle/?week={WEEK}")
        expected = [case.reference for case in self.shown[:FOLLOW_UPS_SHOWN]]
        self.assertEqual(self.references(response), expected)
        self.assertTrue(response.context["more_follow_ups"])
        self.assertContains(
            response,
            '<a href="/controle/follow-ups/">Alle lopende vervolgzaken</a>',
            html=True,
        )
        # Exactly FOLLOW_UPS_SHOWN open: all on the dashboard, no link.
        Case.objects.filter(pk__in=[c.pk for c in self.shown[-2:]]).update(
            closed_at=timezone.now()
        )
        response = self.client.get(f"/controle/?week={WEEK}")
        self.assertEqual(self.references(response), expected)
        self.assertFalse(response.context["more_follow_ups"])
        self.assertNotContains(response, "/controle/follow-ups/")

    def test_the_page_shows_every_follow_up_a_page_at_a_time(self):
        expected = [case.reference for case in self.shown]
        with mock.patch.object(views, "FOLLOW_UPS_PAGE", 5):
            first = self.client.get("/controle/follow-ups/")
            self.assertContains(first, "<h1>Lopende vervolgzaken</h1>", html=True)
            self.assertEqual(self.references(first), expected[:5])
            self.assertEqual(first.context["previous_url"], "")
            second = self.open(first.context["next_url"])
            self.assertEqual(self.references(second), expected[5:10])
            third = self.open(second.context["next_url"])
            self.assertEqual(self.references(third), expected[10:])
            self.assertEqual(third.context["next_url"], "")
            self.assertContains(third, 'rel="prev"')
            self.assertNotContains(third, 'rel="next"')
            back = self.open(third.context["previous_url"])
            self.assertEqual(self.references(back), expected[5:10])
            # Back from the second page: the first, in full.
            top = self.open(second.context["previous_url"])
            self.assertEqual(self.references(top), expected[:5])
        for response in (first, second, third):
            for hidden in ("Geheim", "Dicht", "Kind van LOD"):
                self.assertNotContains(response, hidden)
        # One page of 50: all twelve, no pager.
        response = self.client.get("/controle/follow-ups/")
        self.assertEqual(self.references(response), expected)
        self.assertNotContains(response, 'rel="next"')
        self.assertNotContains(response, 'rel="prev"')

    def test_a_cursor_the_page_did_not_write_shows_the_first_page(self):
        with mock.patch.object(views, "FOLLOW_UPS_PAGE", 5):
            good = self.client.get("/controle/follow-ups/").context["next_url"]
            refused = ("x", "d738000_1", "o12_", "o1_x", "o1_1\x00", "o-1_" + "9" * 19)
            for value in (*refused, good[len("?after=") :] + "0" * 60):
                with self.subTest(value=value):
                    response = self.client.get(
                        "/controle/follow-ups/", {"after": value}
                    )
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(
                        self.references(response),
                        [case.reference for case in self.shown[:5]],
                    )
                    self.assertContains(response, "de eerste pagina")

    def test_partners_get_no_page_and_a_jurist_off_the_teams_no_rows(self):
        for user in (self.politie_user, self.belastingdienst_user):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.get("/controle/follow-ups/")
                self.assertEqual(response.status_code, 404)
        # A jurist (a board role) on none of these cases: the page, empty.
        self.login(self.outsider)
        response = self.client.get("/controle/follow-ups/")
        self.assertEqual(self.references(response), [])
        self.assertContains(response, "Geen lopende vervolgzaken.")
        for case in self.shown:
            self.assertNotContains(response, case.reference)

    def test_a_follow_up_of_a_sensitive_class_is_a_logged_read(self):
        """As the case list: a page that shows a row of a sensitive class
        writes one access-log row naming it; a page of D0 rows none."""
        self.client.get("/controle/follow-ups/")
        self.client.get(f"/controle/?week={WEEK}")
        self.assertFalse(AccessLog.objects.filter(object_type__startswith="controle"))
        police = self.shown[3]
        Case.objects.filter(pk=police.pk).update(data_class="D3")
        pages = (
            ("/controle/follow-ups/", "controle_follow_ups"),
            (f"/controle/?week={WEEK}", "controle_dashboard"),
        )
        for url, page in pages:
            with self.subTest(page):
                self.assertContains(self.client.get(url), police.reference)
                row = AccessLog.objects.get(object_type=page)
                self.assertEqual(
                    (row.user_id, row.action, row.data_class, row.object_id),
                    (self.coordinator.pk, "read", "D3", police.reference),
                )

    def test_the_dashboards_statement_is_built_once_per_rule(self):
        """The dashboard's follow-ups: one statement, built by the ORM once
        per database, rule and size and kept (`_dashboard_follow_ups_sql`);
        its rows are those the ids and then their cases give, and a user
        with another rule (another user, or the same user in a role that
        opens other classes) gets a statement of its own."""
        from permissions.models import Membership, Role
        from permissions.selectors import team_row_lookups

        views._FOLLOW_UPS_SQL.clear()
        expected = views.follow_up_rows(
            list(views.follow_up_ids(self.coordinator, FOLLOW_UPS_SHOWN))
        )
        first, more = views.dashboard_follow_ups(self.coordinator)
        self.assertEqual(first, expected)
        self.assertTrue(more)
        self.assertEqual(len(views._FOLLOW_UPS_SQL), 1)
        with mock.patch.object(views, "follow_up_ids") as ids:
            again, _more = views.dashboard_follow_ups(self.coordinator)
        ids.assert_not_called()  # kept, not built again
        self.assertEqual(again, first)
        # Another user: its own statement, its own (no) follow-ups.
        self.assertEqual(views.dashboard_follow_ups(self.outsider), ([], False))
        self.assertEqual(len(views._FOLLOW_UPS_SQL), 2)
        # The same user in a role that opens other classes: another rule.
        before = team_row_lookups(self.coordinator)
        Membership.objects.filter(user=self.coordinator).update(role=Role.JURIST)
        coordinator = type(self.coordinator).objects.get(pk=self.coordinator.pk)
        self.assertNotEqual(team_row_lookups(coordinator), before)
        views.dashboard_follow_ups(coordinator)
        self.assertEqual(len(views._FOLLOW_UPS_SQL), 3)

    def test_five_queries_however_many_follow_ups(self):
        # The session, the user, the membership, the page's entries, their
        # cases; and the same for a page of two.
        for size in (50, 2):
            with mock.patch.object(views, "FOLLOW_UPS_PAGE", size):
                self.client.get("/controle/follow-ups/")
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get("/controle/follow-ups/")
            self.assertEqual(len(response.context["follow_ups"]), min(size, 12))
            self.assertEqual(len(queries), 5, [q["sql"][:80] for q in queries])
