"""The dashboard's page (docs/controle.md "Pages"): the week's visits and the
open follow-ups are read as plain values and printed as prepared rows
(`views.week_visits`, `views.dashboard_follow_ups`); the markup is what the
loops over Visit and Case objects printed before, markup in a title is
escaped once, and the page's queries are fixed."""

from datetime import timedelta

from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework import services
from casework.models import Case
from permissions.models import CaseAccess
from tests.case_types import CaseType
from workflows.controle.models import PartnerSlot, Visit

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

    def test_eight_queries_with_visits_and_follow_ups(self):
        self.page()
        # The session, the user, the membership, the week's visits, their
        # slots, the follow-ups' ids, their rows, the outcomes.
        with CaptureQueriesContext(connection) as queries:
            response = self.page()
        self.assertEqual(len(queries), 8)
        self.assertEqual(len(response.context["follow_ups"]), 1)
        # An empty week and no follow-ups: neither the slots nor the rows.
        Case.objects.filter(pk=self.children[0].pk).update(closed_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/controle/?week=2027-W10")
        self.assertEqual(len(queries), 6)
