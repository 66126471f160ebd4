"""The case page and Mijn werk at scale (docs/performance.md): a fixed number
of queries whatever the number of rows, no query for a section without rows,
and the same answers as the querysets and policy they replace.

Query counts only; timings belong in bench/, never in tests."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.http import Http404
from django.test import TransactionTestCase, skipUnlessDBFeature
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from guardian.core import ObjectPermissionChecker

from casework import deadlines, selectors, services
from casework.models import (
    Case,
    CaseLocation,
    CaseParty,
    Document,
    Location,
    Party,
    Signal,
)
from permissions.models import AccessLog, DataClass, Role
from permissions.selectors import team_for_case
from permissions.services import _case_grants, team_remove, verify_chain
from tests.base import BaseTestCase
from tests.case_types import CaseType
from tests.factories import CaseFactory, SignalFactory, UserFactory
from workflows.legal_protection import services as workflow_services
from workflows.lod.handhavingsmatrix import LodDecision


def fresh(user):
    """The user as a new request sees it: no cached actor or membership."""
    return get_user_model().objects.get(pk=user.pk)


def short_date(day) -> str:
    """A date as the `date:"SHORT_DATE_FORMAT"` filter writes it."""
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


def page_queries(test, user, case):
    """The queries of one request for the case page, after a first request
    has warmed the per-process caches (content types, templates)."""
    test.client.force_login(user)
    url = case.get_absolute_url()
    test.client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = test.client.get(url)
    test.assertEqual(response.status_code, 200)
    return ctx.captured_queries, response


class CasePageTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bare = services.case_open(
            user=cls.owner, case_type=CaseType.LOD, title="Zonder gegevens"
        )
        # One case with one row in every section, one with six of each.
        cls.one = cls.enrich(
            services.case_open(user=cls.owner, case_type=CaseType.LOD, title="Een"), 1
        )
        cls.six = cls.enrich(
            services.case_open(user=cls.owner, case_type=CaseType.LOD, title="Zes"), 6
        )
        # A case linked to `six` that the owner may not see (not on its team).
        stranger = UserFactory(role=Role.JURIST, organisation=cls.gemeente)
        cls.hidden = services.case_open(
            user=stranger, case_type=CaseType.LOD, title="Niet zichtbaar"
        )
        services.case_team_add(
            case=cls.hidden, user=stranger, member=cls.owner, team_role="member"
        )
        services.case_link(case=cls.six, other=cls.hidden, user=cls.owner)
        team_remove(case=cls.hidden, user=cls.owner)

    @classmethod
    def enrich(cls, case, n):
        """n parties, locations, team members, related cases both ways, child
        cases, deadlines, documents, signals and legal protections."""
        owner = cls.owner
        for i in range(n):
            services.case_add_party(
                case=case,
                user=owner,
                party=Party(kind=Party.Kind.PERSON, name=f"Persoon {case.pk}-{i}",
                            date_of_birth=date(1980, 1, 1 + i)),
                role=CaseParty.Role.BETROKKENE,
            )  # fmt: skip
            services.case_add_location(
                case=case,
                user=owner,
                location=Location(postcode="5911 AB", house_number=100 + i,
                                  street="Kloosterstraat", city="Venlo", area="Q4"),
                role=CaseLocation.Role.PREMISES,
            )  # fmt: skip
            member = UserFactory(role=Role.JURIST, organisation=cls.gemeente)
            services.case_team_add(
                case=case, user=owner, member=member, team_role="member"
            )
            out = services.case_open(user=owner, case_type=CaseType.LOD, title="uit")
            services.case_link(case=case, other=out, user=owner)
            back = services.case_open(user=owner, case_type=CaseType.LOD, title="in")
            services.case_link(case=back, other=case, user=owner)
            child = services.case_open(user=owner, case_type=CaseType.LOD, title="kind")
            Case.objects.filter(pk=child.pk).update(parent=case)
            deadlines.deadline_create(
                case=case,
                user=owner,
                title=f"Termijn {i}",
                legal_basis="Awb 4:13",
                event_date=date(2026, 3, 2),
                length=8,
                unit="weeks",
                atw_applies=True,
            )
            Document.objects.create(
                case=case,
                template_key="voornemen_lod",
                template_version="1",
                title=f"Brief {i}",
                version=i + 1,
                inputs={},
                content=b"%PDF",
                sha256="0" * 64,
                data_class=DataClass.D2,
                author=owner,
            )
            signal = SignalFactory(registered_by=owner)
            signal.cases.add(case)
            workflow_services.legal_protection_open(
                case=case,
                user=owner,
                decision_title=f"Besluit {i}",
                decided_on=date(2026, 3, 2),
            )
        return case


class CasePageQueryTests(CasePageTestCase):
    def test_the_number_of_queries_does_not_grow_with_the_rows(self):
        # Session, user, membership, the case with its section flags; parties,
        # locations, linked cases, deadlines, documents, signals, the legal
        # protections and their deadlines, the current task, team, timeline.
        # No LOD assessment or decision: the flags say there is none.
        one, _ = page_queries(self, self.owner, self.one)
        six, _ = page_queries(self, self.owner, self.six)
        self.assertEqual(len(one), 15, "\n".join(q["sql"][:90] for q in one))
        self.assertEqual(len(six), len(one))

    def test_sections_without_rows_are_not_read(self):
        bare, response = page_queries(self, self.owner, self.bare)
        full, _ = page_queries(self, self.owner, self.one)
        # Parties, locations, linked cases, deadlines, documents, signals and
        # the two queries of the legal protections.
        self.assertEqual(len(full) - len(bare), 8)
        self.assertContains(response, "Nog geen betrokkenen.")
        self.assertContains(response, "Geen gekoppelde zaken.")
        self.assertContains(response, "Geen termijnen.")
        self.assertContains(response, "Geen documenten.")

    def test_no_guardian_queries_for_the_write_checks(self):
        queries, response = page_queries(self, self.owner, self.six)
        self.assertContains(response, "Betrokkene toevoegen")  # may write
        sql = " ".join(q["sql"] for q in queries)
        self.assertNotIn("objectpermission", sql)
        # A contributor reads the same page without the write links.
        queries, response = page_queries(self, self.politie_user, self.case)
        self.assertNotContains(response, "Betrokkene toevoegen")

    def test_the_page_shows_every_row_and_only_visible_links(self):
        _, response = page_queries(self, self.owner, self.six)
        html = response.content.decode()
        for party in CaseParty.objects.filter(case=self.six).select_related("party"):
            self.assertIn(party.party.name, html)
        for link in CaseLocation.objects.filter(case=self.six):
            self.assertIn(str(link.location), html)
        for deadline in self.six.deadlines.all():
            self.assertIn(deadline.title, html)
        for document in self.six.documents.all():
            self.assertIn(document.title, html)
        for signal in self.six.signals.all():
            self.assertIn(signal.reference, html)
        for member in team_for_case(self.six).select_related("user"):
            self.assertIn(member.user.get_full_name(), html)
        linked = selectors.linked_cases(self.owner, self.six)
        self.assertEqual(len(linked), 18)  # 6 out, 6 in, 6 children
        for case in linked:
            self.assertIn(f'<a href="/cases/{case.reference}/">', html)
        # The history names the link; the list of linked cases does not.
        self.assertNotIn(f'<a href="/cases/{self.hidden.reference}/">', html)
        self.assertEqual(html.count("(deelzaak)"), 6)


class CasePageAnswersTests(CasePageTestCase):
    """The hand-written reads give what the querysets and guardian gave."""

    def test_grants_from_the_team_row_are_guardians(self):
        for user in (self.owner, self.colleague, self.burgemeester, self.politie_user):
            with self.subTest(user=user.username):
                case = selectors.case_for_page(fresh(user), self.case.reference)
                primed = _case_grants(user, case)
                self.assertEqual(
                    primed, set(ObjectPermissionChecker(user).get_perms(case))
                )
        self.assertEqual(_case_grants(self.politie_user, case), {"view_case"})

    def test_a_superuser_keeps_guardians_answer(self):
        user = fresh(self.politie_user)
        user.is_superuser = True
        case = selectors.case_for_page(user, self.case.reference)
        self.assertNotIn(user.pk, case.__dict__.get("_casework_grants", {}))

    def test_the_same_cases_as_for_user(self):
        bibob = UserFactory(role=Role.BIBOB, organisation=self.gemeente)
        screening = CaseFactory(bibob=True, owner=bibob)
        nobody = UserFactory(membership=None)
        users = [
            self.owner,
            self.colleague,
            self.burgemeester,
            self.politie_user,
            self.belastingdienst_user,
            self.outsider,
            self.fg,
            bibob,
            nobody,
        ]
        for user in users:
            for case in (self.case, self.six, self.hidden, screening):
                with self.subTest(user=user.username, case=case.reference):
                    visible = Case.objects.for_user(user).filter(pk=case.pk).exists()
                    try:
                        found = selectors.case_for_page(fresh(user), case.reference)
                    except Http404:
                        found = None
                    self.assertEqual(found is not None, visible)
                    if found is not None:
                        self.assertEqual(found.pk, case.pk)
                        self.assertEqual(
                            found.responsible_organisation.name,
                            case.responsible_organisation.name,
                        )

    def test_section_flags(self):
        case = selectors.case_for_page(self.owner, self.bare.reference)
        self.assertEqual(
            [flag for flag, has in case.sections.items() if has], ["has_process"]
        )
        case = selectors.case_for_page(self.owner, self.one.reference)
        # Every kernel section has rows; the LOD panel's (and other case
        # types' sections) have none.
        self.assertEqual(
            [flag for flag in selectors.PAGE_SECTIONS if not case.sections[flag]], []
        )
        self.assertFalse(case.sections["has_assessment"])
        self.assertFalse(case.sections["has_decision"])
        child = Case.objects.filter(parent=self.one).get()
        case = selectors.case_for_page(self.owner, child.reference)
        self.assertTrue(case.sections["has_links"])  # its parent

    def test_linked_cases_as_the_queryset(self):
        child = Case.objects.filter(parent=self.six).first()
        for user in (self.owner, self.colleague, self.politie_user, self.outsider):
            for case in (self.six, self.bare, child):
                with self.subTest(user=user.username, case=case.reference):
                    self.assertEqual(
                        [c.pk for c in selectors.page_linked(fresh(user), case)],
                        [c.pk for c in selectors.linked_cases(user, case)],
                    )

    def test_the_history_as_the_template_loop_wrote_it(self):
        """The page's history (EventRow printed by case_detail.html) as the
        loop over CaseEvent instances wrote it, in both languages, with text
        that needs escaping and every combination of status and note."""
        from django.template import Context, Template
        from django.utils import translation

        loop = Template(
            "{% for event in timeline %}\n"
            "    <li><time datetime=\"{{ event.at|date:'c' }}\">"
            '{{ event.at|date:"DATETIME_FORMAT" }}</time> · '
            "{{ event.actor.get_full_name|default:event.actor.username }} · "
            "{{ event.get_kind_display }}"
            "{% if event.from_status or event.to_status %}: "
            '{{ event.from_status|default:"–" }} → {{ event.to_status }}{% endif %}'
            "{% if event.note %} — {{ event.note }}{% endif %}</li>\n"
            "  {% endfor %}"
        )
        nameless = UserFactory(
            first_name="", last_name="", role=Role.JURIST, organisation=self.gemeente
        )
        from casework.models import CaseEvent

        for kind, actor, before, after, note in (
            ("note", self.owner, "", "", 'Pand "De Kroon" & <Zoo>\'s'),
            ("status", nameless, "A00", "A10", ""),
            ("status", self.owner, "", "R00", "x < y"),
            ("team", nameless, "A10", "", ""),
        ):
            CaseEvent.objects.create(
                case=self.bare, actor=actor, kind=kind, from_status=before,
                to_status=after, note=note,
            )  # fmt: skip
        for language in ("nl", "en"):
            with self.subTest(language=language), translation.override(language):
                self.assertEqual(len(selectors.page_timeline(self.bare)), 5)
                events = list(selectors.case_timeline(self.bare))
                expected = loop.render(Context({"timeline": events}))
                _, response = page_queries(self, self.owner, self.bare)
                html = response.content.decode()
                self.assertIn(f'<ol class="timeline">{expected}</ol>', html)
                self.assertIn("&lt;Zoo&gt;&#x27;s", expected)

    def test_panel_rows_as_the_template_loops_wrote_them(self):
        """The panels' rows (selectors.DeadlineRow and the others, printed by
        case_detail.html) as the loops over model instances wrote them, in
        both languages, with text that needs escaping, a parent, children and
        related cases."""
        from django.template import Context, Template
        from django.utils import translation

        from casework.documents import documents_for_user

        loops = {
            "deadlines": Template(
                "{% for deadline in deadlines %}\n"
                "      <tr><td><a href=\"{% url 'casework:deadline_detail' "
                'case.reference deadline.pk %}">{{ deadline.title }}</a></td>'
                "<td>{{ deadline.legal_basis }}</td>\n"
                '          <td>{{ deadline.end_date|date:"SHORT_DATE_FORMAT" }}'
                "</td><td>{{ deadline.get_state_display }}</td></tr>\n"
                "    {% endfor %}"
            ),
            "documents": Template(
                "{% load i18n %}{% for doc in documents %}\n"
                '    <li><a href="{{ doc.get_absolute_url }}">{{ doc.title }}</a>'
                ' — {% translate "version" %} {{ doc.version }}, '
                '{{ doc.created_at|date:"SHORT_DATETIME_FORMAT" }}, '
                '{{ doc.author.username }} <span class="count">SHA-256 '
                "{{ doc.sha256|truncatechars:17 }}</span></li>\n"
                "  {% endfor %}"
            ),
            "linked": Template(
                "{% load i18n %}{% for other in linked %}\n"
                '    <li><a href="{{ other.get_absolute_url }}">'
                "{{ other.reference }}</a> {{ other.title }}"
                "{% if other.pk == case.parent_id %} "
                '({% translate "parent case" %})'
                "{% elif other.parent_id == case.pk %} "
                '({% translate "child case" %}){% endif %}</li>\n'
                "  {% endfor %}"
            ),
            "parties": Template(
                "{% load i18n %}{% for cp in parties %}\n"
                "    <li>{{ cp.party.name }} — {{ cp.get_role_display }}"
                "{% if cp.party.kvk_number %} · KvK {{ cp.party.kvk_number }}"
                "{% endif %}"
                '{% if cp.party.date_of_birth %} · {% translate "born" %} '
                '{{ cp.party.date_of_birth|date:"SHORT_DATE_FORMAT" }}{% endif %}'
                "</li>\n"
                "  {% endfor %}"
            ),
            "locations": Template(
                "{% for cl in locations %}\n"
                "    <li>{{ cl.location }} — {{ cl.get_role_display }}"
                "{% if cl.location.area %} · {{ cl.location.area }}{% endif %}</li>\n"
                "  {% endfor %}"
            ),
            "signals": Template(
                "{% for signal in signals %}\n"
                '    <li><a href="{{ signal.get_absolute_url }}">'
                "{{ signal.reference }}</a> {{ signal.get_source_display }}, "
                '{{ signal.received_on|date:"SHORT_DATE_FORMAT" }}</li>\n'
                "  {% endfor %}"
            ),
        }
        # The element around each panel's rows on the page.
        around = {"deadlines": ("<tbody>", "</tbody>")}
        odd = 'Pand "De Kroon" & <Zoo>\'s'
        services.case_add_party(
            case=self.six, user=self.owner,
            party=Party(kind=Party.Kind.COMPANY, name=odd, kvk_number="12345678"),
            role=CaseParty.Role.OVERTREDER,
        )  # fmt: skip
        services.case_add_location(
            case=self.six, user=self.owner,
            location=Location(postcode="5911 AB", house_number=7, addition="A",
                              street=odd, city="Venlo"),
            role=CaseLocation.Role.PREMISES,
        )  # fmt: skip
        deadlines.deadline_create(
            case=self.six, user=self.owner, title=odd, legal_basis="Awb <4:13>",
            event_date=date(2026, 3, 2), length=2, unit="days", atw_applies=False,
        )  # fmt: skip
        Document.objects.create(
            case=self.six, template_key="voornemen_lod", template_version="1",
            title=odd, version=12345, inputs={}, content=b"%PDF",
            sha256="ab" * 32, data_class=DataClass.D2, author=self.owner,
        )  # fmt: skip
        Case.objects.filter(pk=self.six.pk).update(
            parent=self.one, title=odd
        )  # a parent too
        Case.objects.filter(parent=self.six).update(title=odd)
        case = Case.objects.get(pk=self.six.pk)
        instances = {
            "deadlines": list(case.deadlines.order_by("end_date", "id")),
            "documents": list(documents_for_user(self.owner, case)),
            "linked": selectors.linked_cases(self.owner, case),
            "parties": list(selectors.case_parties(case)),
            "locations": list(selectors.case_locations(case)),
            "signals": list(selectors.case_signals(self.owner, case)),
        }
        self.assertEqual(len(instances["linked"]), 19)  # 6 + 6 + 6 + parent
        for language in ("nl", "en"):
            with self.subTest(language=language), translation.override(language):
                _, response = page_queries(self, self.owner, case)
                html = response.content.decode()
                for name, loop in loops.items():
                    with self.subTest(panel=name):
                        self.assertGreaterEqual(len(instances[name]), 6)
                        context = Context({"case": case, name: instances[name]})
                        expected = loop.render(context)
                        start, end = around.get(name, ("<ul>", "</ul>"))
                        self.assertIn(f"{start}{expected}{end}", html)
                        if name != "signals":
                            self.assertIn("&lt;Zoo&gt;&#x27;s", expected)

    def test_markup_is_escaped_exactly_once(self):
        """Text with markup and an ampersand, in every place a user writes it,
        is escaped once (never raw, never twice) on the case page, the case
        list, Mijn werk and the search results."""
        nasty = '<script>alert("x")</script> & Zn'
        once = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Zn"
        case = services.case_open(user=self.owner, case_type=CaseType.LOD, title=nasty)
        services.case_add_party(
            case=case, user=self.owner,
            party=Party(kind=Party.Kind.COMPANY, name=nasty, kvk_number="87654321"),
            role=CaseParty.Role.OVERTREDER,
        )  # fmt: skip
        services.case_add_location(
            case=case, user=self.owner,
            location=Location(postcode="5911 AB", house_number=9, street=nasty,
                              city="Venlo", area=nasty),
            role=CaseLocation.Role.PREMISES,
        )  # fmt: skip
        deadlines.deadline_create(
            case=case, user=self.owner, title=nasty, legal_basis=nasty,
            event_date=date(2026, 3, 2), length=2, unit="days", atw_applies=False,
        )  # fmt: skip
        Document.objects.create(
            case=case, template_key="voornemen_lod", template_version="1",
            title=nasty, version=1, inputs={}, content=b"%PDF",
            sha256="ab" * 32, data_class=DataClass.D2, author=self.owner,
        )  # fmt: skip
        services.case_link(case=case, other=self.one, user=self.owner, note=nasty)
        services.case_link(case=self.bare, other=case, user=self.owner)

        def check(url, times):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            html = response.content.decode()
            self.assertNotIn("<script>", html)
            self.assertNotIn("&amp;lt;", html)
            self.assertNotIn("&amp;amp;", html)
            self.assertGreaterEqual(html.count(once), times, url)

        self.client.force_login(self.owner)
        # Case page: title, party, location (street and area), deadline (title
        # and basis), document; the linked case's page lists it by its title.
        check(case.get_absolute_url(), 8)
        check(self.bare.get_absolute_url(), 1)
        check("/cases/", 1)
        check("/", 1)
        check("/search/?q=" + case.reference, 1)

    def test_signals_deadlines_and_documents_as_the_querysets(self):
        from casework.documents import documents_for_user

        police = SignalFactory(police_report=True)
        police.cases.add(self.six)  # D3, not shared with the gemeente
        Document.objects.create(
            case=self.six, template_key="rapport", template_version="1",
            title="Politierapport", version=1, inputs={}, content=b"%PDF",
            sha256="1" * 64, data_class=DataClass.D3, author=self.owner,
        )  # fmt: skip
        for user in (self.owner, self.politie_user, self.burgemeester, self.fg):
            with self.subTest(user=user.username):
                self.assertEqual(
                    [(x.pk, x.url, x.reference, x.source, x.received)
                     for x in selectors.page_signals(fresh(user), self.six)],
                    [(x.pk, x.get_absolute_url(), x.reference,
                      x.get_source_display(), short_date(x.received_on))
                     for x in selectors.case_signals(user, self.six)],
                )  # fmt: skip
                self.assertEqual(
                    [(x.pk, x.title, x.version, x.created, x.author, x.url)
                     for x in selectors.page_documents(fresh(user), self.six)],
                    [(x.pk, x.title, x.version,
                      date_format(localtime(x.created_at), "SHORT_DATETIME_FORMAT"),
                      x.author.username, x.get_absolute_url())
                     for x in documents_for_user(user, self.six)],
                )  # fmt: skip
        self.assertEqual(
            [(x.pk, x.title, x.legal_basis, x.end, x.state)
             for x in selectors.page_deadlines(self.six)],
            [(x.pk, x.title, x.legal_basis, short_date(x.end_date),
              x.get_state_display())
             for x in self.six.deadlines.order_by("end_date", "id")],
        )  # fmt: skip

    def test_panels_as_the_querysets(self):
        case = self.six
        self.assertEqual(
            [(x.pk, x.role, x.name, x.born) for x in selectors.page_parties(case)],
            [(x.pk, x.get_role_display(), x.party.name,
              short_date(x.party.date_of_birth))
             for x in selectors.case_parties(case)],
        )  # fmt: skip
        self.assertEqual(
            [(x.pk, x.role, x.location, x.area)
             for x in selectors.page_locations(case)],
            [(x.pk, x.get_role_display(), str(x.location), x.location.area)
             for x in selectors.case_locations(case)],
        )  # fmt: skip
        self.assertEqual(
            [(e.pk, e.iso, e.kind_label, e.note, e.actor)
             for e in selectors.page_timeline(case)],
            [(e.pk, localtime(e.at).isoformat(), e.get_kind_display(), e.note,
              e.actor.get_full_name() or e.actor.username)
             for e in selectors.case_timeline(case)],
        )  # fmt: skip
        self.assertEqual(
            [(m.pk, m.team_role, m.user.get_full_name(), str(m.organisation))
             for m in selectors.page_team(case)],
            [(m.pk, m.team_role, m.user.get_full_name(), str(m.organisation))
             for m in team_for_case(case)],
        )  # fmt: skip

    def test_the_lod_panel_with_and_without_the_flags(self):
        """lod_context with the case page's flags gives what it gives when it
        reads the assessment and decision itself; with both present the page
        reads them (two queries more than without) and shows them."""
        from workflows.lod.handhavingsmatrix import (
            Measure,
            lod_assessment_record,
            lod_decision_record,
            seed_example_policy,
        )
        from workflows.lod.views import lod_context

        seed_example_policy()
        decided = services.case_open(
            user=self.owner, case_type=CaseType.LOD, title="Besloten"
        )
        services.case_team_add(
            case=decided, user=self.owner, member=self.burgemeester,
            team_role="member",
        )  # fmt: skip
        lod_assessment_record(
            case=decided, user=self.owner, found_on=date(2026, 4, 2),
            premises_kind="woning", substance="hard", grams=Decimal("12.5"),
            violation=1,
        )  # fmt: skip
        assessed = services.case_open(
            user=self.owner, case_type=CaseType.LOD, title="Beoordeeld"
        )
        lod_assessment_record(
            case=assessed, user=self.owner, found_on=date(2026, 4, 2),
            premises_kind="woning", substance="hard", grams=Decimal("3"),
            violation=1,
        )  # fmt: skip
        lod_decision_record(
            case=decided, user=self.burgemeester, measure=Measure.DWANGSOM,
            amount=Decimal("5000"), amount_basis="per_violation",
            maximum=Decimal("15000"), preventive=True, on=date(2026, 4, 3),
        )  # fmt: skip
        for case in (self.bare, self.one, assessed, decided):
            with self.subTest(case=case.title):
                flagged = selectors.case_for_page(self.owner, case.reference)
                plain = Case.objects.get(pk=case.pk)
                self.assertEqual(
                    flagged.sections["has_assessment"], case.assessments.exists()
                )
                self.assertEqual(
                    flagged.sections["has_decision"],
                    LodDecision.objects.filter(case=case).exists(),
                )
                got = lod_context(flagged, self.owner)["lod"]
                want = lod_context(plain, self.owner)["lod"]
                self.assertEqual(
                    {k: v for k, v in got.items() if k != "account"},
                    {k: v for k, v in want.items() if k != "account"},
                )
                self.assertEqual(got["account"] is None, want["account"] is None)
        bare, _ = page_queries(self, self.owner, self.bare)
        sql = " ".join(q["sql"] for q in bare)
        self.assertNotIn("lod_lodassessment", sql.split("EXISTS", 1)[0])
        self.assertEqual(sql.count("lod_lodassessment"), 1)  # the flag
        self.assertEqual(sql.count("lod_loddecision"), 1)
        queries, response = page_queries(self, self.owner, assessed)
        self.assertGreater(
            " ".join(q["sql"] for q in queries).count("lod_lodassessment"), 1
        )
        self.assertContains(response, "Voorstel van de beleidsregel")
        _, response = page_queries(self, self.owner, decided)
        self.assertContains(response, "Dwangsomadministratie")

    def test_legal_protections_as_the_querysets(self):
        from workflows.legal_protection.machine import LegalProtection
        from workflows.legal_protection.selectors import (
            legal_protections_for_case,
            next_deadline,
            protection_deadlines,
        )

        for case in (self.bare, self.one, self.six):
            with self.subTest(case=case.title):
                want = list(
                    LegalProtection.objects.filter(case=case).order_by(
                        "-opened_at", "-id"
                    )
                )
                got = legal_protections_for_case(case)
                self.assertEqual(
                    [(p.pk, p.decision_title, p.status, p.get_status_display())
                     for p in got],
                    [(p.pk, p.decision_title, p.status, p.get_status_display())
                     for p in want],
                )  # fmt: skip
                for protection, reference in zip(got, want, strict=True):
                    own = protection_deadlines(reference)
                    self.assertTrue(own)
                    self.assertEqual(
                        [(d.pk, d.title, d.end_date, d.state)
                         for d in protection.region_deadlines],
                        [(d.pk, d.title, d.end_date, d.state) for d in own],
                    )  # fmt: skip
                    self.assertEqual(protection.next_deadline, next_deadline(own))


class SensitiveCasePageTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.regisseur = UserFactory(role=Role.CASUSREGISSEUR, organisation=cls.gemeente)
        cls.pga = CaseFactory(pga=True, owner=cls.regisseur)
        assert cls.pga.data_class == DataClass.D10

    def test_each_read_is_logged_at_a_fixed_cost(self):
        first, _ = page_queries(self, self.regisseur, self.pga)
        second, _ = page_queries(self, self.regisseur, self.pga)
        self.assertEqual(len(first), len(second))
        reads = AccessLog.objects.filter(case_id=self.pga.pk, action="read")
        self.assertEqual(reads.count(), 4)  # the warm-up requests count too
        self.assertTrue(verify_chain())

    def test_an_outsider_gets_404_and_the_attempt_is_logged(self):
        self.client.force_login(self.outsider)
        response = self.client.get(self.pga.get_absolute_url())
        self.assertEqual(response.status_code, 404)
        denied = AccessLog.objects.filter(case_id=self.pga.pk, result="denied")
        self.assertEqual(denied.count(), 1)


class MyWorkQueryTests(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        today = timezone.localdate()
        cls.few = UserFactory(role=Role.JURIST, organisation=cls.gemeente)
        cls.many = UserFactory(role=Role.JURIST, organisation=cls.gemeente)
        for user, n in ((cls.few, 1), (cls.many, 12)):
            for i in range(n):
                case = CaseFactory(owner=user)
                deadlines.deadline_create(
                    case=case,
                    user=user,
                    title=f"Beslistermijn {user.username} {i}",
                    legal_basis="Awb 4:13",
                    event_date=today - timedelta(days=i),
                    length=1,
                    unit="days",
                    atw_applies=False,
                )
                SignalFactory(registered_by=user)

    def test_the_number_of_queries_does_not_grow_with_the_rows(self):
        # Session, user, membership, count and page of the cases, holidays,
        # deadlines, task inbox (three groups, one query), signals to triage,
        # saved views (none: one query).
        for user in (self.few, self.many):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.client.get("/")
                with self.assertNumQueries(10):
                    response = self.client.get("/")
                self.assertContains(response, f"Beslistermijn {user.username} 0")

    def test_deadlines_as_deadlines_for_user(self):
        today = timezone.localdate()
        case = CaseFactory(owner=self.few)
        later = deadlines.deadline_create(
            case=case, user=self.few, title="Later", legal_basis="Awb 4:13",
            event_date=today, length=8, unit="weeks", atw_applies=False,
        )  # fmt: skip
        met = deadlines.deadline_create(
            case=case, user=self.few, title="Gehaald", legal_basis="Awb 4:13",
            event_date=today, length=1, unit="days", atw_applies=False,
        )  # fmt: skip
        deadlines.deadline_mark_met(deadline=met, user=self.few)
        # A case the user left: its deadline drops off the list.
        gone = CaseFactory(owner=self.colleague)
        services.case_team_add(
            case=gone, user=self.colleague, member=self.few, team_role="member"
        )
        deadlines.deadline_create(
            case=gone, user=self.few, title="Weg", legal_basis="Awb 4:13",
            event_date=today, length=1, unit="days", atw_applies=False,
        )  # fmt: skip
        team_remove(case=gone, user=self.few)
        for user in (self.few, self.many, self.colleague, self.fg):
            for day in (today, today + timedelta(days=60)):
                with self.subTest(user=user.username, day=day):
                    expected = list(deadlines.deadlines_for_user(user, today=day)[:20])
                    shown = selectors.my_deadlines(fresh(user), limit=20, today=day)
                    self.assertEqual(
                        [(d.pk, d.title, d.end_date, d.state, d.case.reference)
                         for d in shown],
                        [(d.pk, d.title, d.end_date, d.state, d.case.reference)
                         for d in expected],
                    )  # fmt: skip
        self.assertNotIn(later, selectors.my_deadlines(self.few, limit=20))

    def test_signals_as_signals_for_triage(self):
        shared = SignalFactory(police_report=True)
        shared_with_us = services.signal_register(
            user=shared.registered_by,
            source=Signal.Source.BESTUURLIJKE_RAPPORTAGE,
            received_on=date(2026, 3, 3),
            summary="Gedeeld met de gemeente.",
            data_class=DataClass.D3,
            legal_basis="Wpg 16 lid 1 b",
            shared_with=[self.gemeente],
        )
        filed = SignalFactory(registered_by=self.owner)
        services.signal_file(signal=filed, user=self.owner, reason="Geen grond.")
        bibob = UserFactory(role=Role.BIBOB, organisation=self.gemeente)
        users = [self.owner, self.politie_user, self.belastingdienst_user, bibob,
                 self.fg, UserFactory(membership=None)]  # fmt: skip
        for user in users:
            with self.subTest(user=user.username):
                expected = list(selectors.signals_for_triage(user, limit=10))
                shown = selectors.my_triage_signals(fresh(user), limit=10)
                self.assertEqual(
                    [(s.pk, s.reference, str(s.source_organisation)) for s in shown],
                    [(s.pk, s.reference, str(s.source_organisation))
                     for s in expected],
                )  # fmt: skip
        self.assertIn(
            shared_with_us.pk,
            [s.pk for s in selectors.my_triage_signals(self.owner, limit=50)],
        )
        self.assertNotIn(
            shared.pk, [s.pk for s in selectors.my_triage_signals(self.owner, limit=50)]
        )

    def test_task_inbox_as_the_queryset(self):
        """The task inbox (Mijn werk's three groups together,
        casework.assignment.inbox) against the ORM query it replaced."""
        from viewflow.workflow.fields import get_task_ref
        from viewflow.workflow.models import Task

        from casework import assignment, flows
        from casework.registry import registry
        from permissions.models import CaseAccess
        from permissions.policy import actor_for

        for i in range(3):
            services.case_open(user=self.few, case_type=CaseType.LOD, title=f"T{i}")
        services.case_open(user=self.owner, case_type=CaseType.LOD, title="Ander")

        def reference(user, limit):
            role = actor_for(user).role
            phases = {
                get_task_ref(getattr(flow_class, p.name)): p
                for flow_class in registry.flows()
                for p in flow_class.phases
                if p.role == role
            }
            if not phases:
                return []
            rows = (
                Task.objects.filter(
                    status__in=flows.OPEN,
                    flow_task__in=list(phases),
                    process__caseprocess__case_id__in=CaseAccess.objects.filter(
                        user=user
                    ).values("case_id"),
                )
                .order_by("-created", "-id")
                .values_list(
                    "flow_task",
                    "created",
                    "process__caseprocess__case__reference",
                    "process__caseprocess__case__title",
                )[:limit]
            )
            return [
                (phases[get_task_ref(node)], created, ref, title)
                for node, created, ref, title in rows
            ]

        users = (self.few, self.many, self.owner, self.colleague,
                 self.burgemeester, self.politie_user, self.outsider)  # fmt: skip
        for user in users:
            for limit in (2, 20):
                with self.subTest(user=user.username, limit=limit):
                    got = [
                        (t["phase"], t["created"], t["reference"], t["title"])
                        for t in assignment.inbox(fresh(user), limit=limit)
                    ]
                    self.assertEqual(got, reference(user, limit))
        self.assertGreaterEqual(len(assignment.inbox(fresh(self.few))), 3)


class ConcurrentAccessLogTests(TransactionTestCase):
    """Sensitive reads from several connections at once keep one unbroken
    chain: the head row is locked before each row is added."""

    @skipUnlessDBFeature("has_select_for_update")
    def test_concurrent_reads_keep_the_chain(self):
        import threading

        from django.db import connections

        from permissions.services import log_access

        reader = UserFactory(role=Role.CASUSREGISSEUR)
        errors = []

        def read(n):
            try:
                for i in range(5):
                    log_access(
                        user=reader, action="read", object_type="case",
                        object_id=f"{n}-{i}", data_class=DataClass.D10,
                    )  # fmt: skip
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=read, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(AccessLog.objects.count(), 20)
        self.assertTrue(verify_chain())
