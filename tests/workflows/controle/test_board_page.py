"""The selection board's page (docs/controle.md "Selection board"): its rows
are prepared once per page (`views.board_rows`) and printed by the template,
two plain HTML forms per row instead of Django's CSRF tag per form. The
markup is what the rows printed from the Location objects before; the forms
still post (with the CSRF check on) as the coordinator, the dismissal still
needs its reason, a role without the board gets 404; the page's queries are
fixed."""

from html.parser import HTMLParser

from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Case, Location
from tests.case_types import CaseType
from workflows.controle import ranks
from workflows.controle.models import Dismissal

from .test_board_rank import BoardRankTestCase

# The row as the template wrote it from the Location objects that
# board_candidates returns, with {% csrf_token %} in each form.
OLD_ROWS = Template(
    """{% load i18n %}{% translate "Select for a visit" as select_label %}{% translate "Reason" as reason_label %}{% translate "Do not select" as dismiss_label %}{% for loc in candidates %}
    <tr><td>{{ loc }}{% if loc.area %} · {{ loc.area }}{% endif %}</td><td>{{ loc.signal_count }}</td><td>{{ loc.latest|date:"SHORT_DATE_FORMAT" }}</td><td>{{ loc.sources|join:", " }}</td><td>{{ loc.open_cases }}</td>
      <td><form method="post" action="{{ loc.select_url }}">{% csrf_token %}<input type="hidden" name="form_token" value="{{ loc.form_token }}"><button type="submit">{{ select_label }}</button></form>
          <form method="post" action="{{ loc.dismiss_url }}">{% csrf_token %}<label for="reason-{{ loc.pk }}">{{ reason_label }}</label> <input id="reason-{{ loc.pk }}" name="reason" required maxlength="500"> <button type="submit">{{ dismiss_label }}</button></form></td></tr>
  {% endfor %}"""  # noqa: E501
)


class Forms(HTMLParser):
    """The page's POST forms: action, inputs by name (with their attributes),
    and the labels with the id they are for; and every element's id."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms, self.ids = [], set()
        self._form = self._label = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "form" and a.get("method") == "post":
            self._form = {"action": a["action"], "inputs": {}, "labels": []}
            self.forms.append(self._form)
        elif self._form is not None and tag == "input":
            self._form["inputs"][a["name"]] = a
        elif self._form is not None and tag == "label":
            self._label = [a.get("for"), ""]
            self._form["labels"].append(self._label)

    def handle_data(self, data):
        if self._label is not None:
            self._label[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "label":
            self._label = None

    def form(self, action: str) -> dict:
        return next(f for f in self.forms if f["action"] == action)


class BoardPageTestCase(BoardRankTestCase):
    def setUp(self):
        # The ranks are counted when the scope is first read; the page's
        # queries are compared after that.
        ranks.rebuild()

    def board(self, client=None, query=""):
        client = client or self.client
        response = client.get(f"/controle/selection/{query}")
        self.assertEqual(response.status_code, 200)
        return response, Forms(response.content.decode())


class BoardMarkupTests(BoardPageTestCase):
    def test_the_rows_print_what_the_location_rows_printed(self):
        self.login(self.coordinator)
        for query in ("", "?area=Centrum", "?source=mma"):
            with self.subTest(query=query):
                response, forms = self.board(query=query)
                candidates = response.context["candidates"]
                self.assertTrue(candidates)
                rows = response.context["rows"]
                # The rows' CSRF input (each get_token() masks the secret
                # anew: the header's logout form prints another mask).
                first = reverse("casework:controle_select", args=[candidates[0].pk])
                csrf = forms.form(first)["inputs"]["csrfmiddlewaretoken"]["value"]
                for location, row in zip(candidates, rows, strict=True):
                    location.form_token = row["form_token"]
                    location.select_url = reverse(
                        "casework:controle_select", args=[location.pk]
                    )
                    location.dismiss_url = reverse(
                        "casework:controle_dismiss", args=[location.pk]
                    )
                old = OLD_ROWS.render(
                    Context({"candidates": candidates, "csrf_token": csrf})
                )
                self.assertIn(old, response.content.decode())

    def test_each_row_has_its_two_forms_with_bound_labels(self):
        self.login(self.coordinator)
        response, forms = self.board()
        candidates = response.context["candidates"]
        tokens, ids = set(), []
        for location in candidates:
            select = forms.form(reverse("casework:controle_select", args=[location.pk]))
            dismiss = forms.form(
                reverse("casework:controle_dismiss", args=[location.pk])
            )
            self.assertEqual(
                set(select["inputs"]), {"csrfmiddlewaretoken", "form_token"}
            )
            tokens.add(select["inputs"]["form_token"]["value"])
            self.assertEqual(set(dismiss["inputs"]), {"csrfmiddlewaretoken", "reason"})
            reason = dismiss["inputs"]["reason"]
            self.assertIn("required", reason)
            self.assertEqual(reason["maxlength"], "500")
            # The label is bound to the input.
            self.assertEqual(dismiss["labels"], [[reason["id"], "Reden"]])
            ids.append(reason["id"])
        self.assertEqual(len(set(ids)), len(candidates))  # one id per input
        self.assertEqual(len(tokens), len(candidates))  # a token per row
        # With the header's logout form.
        self.assertEqual(len(forms.forms), 2 * len(candidates) + 1)

    def test_markup_in_an_address_is_escaped_once(self):
        place = self.places["Markt"]
        Location.objects.filter(pk=place.pk).update(
            street="<b>Markt</b> & co", area="Q&A"
        )
        place.refresh_from_db()
        place.save()  # the area reaches the ranks (handlers.py)
        self.login(self.coordinator)
        response, _forms = self.board()
        self.assertContains(response, "&lt;b&gt;Markt&lt;/b&gt; &amp; co")
        self.assertContains(response, " · Q&amp;A</td>")
        self.assertNotContains(response, "<b>Markt</b>")
        self.assertNotContains(response, "&amp;amp;")


class BoardPostTests(BoardPageTestCase):
    def client_with_csrf(self, user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    def test_select_and_dismiss_through_the_pages_forms_as_coordinator(self):
        client = self.client_with_csrf(self.coordinator)
        _response, forms = self.board(client)
        markt, hoek = self.places["Markt"], self.places["Hoek"]

        select = forms.form(reverse("casework:controle_select", args=[markt.pk]))
        data = {name: a.get("value", "") for name, a in select["inputs"].items()}
        response = client.post(select["action"], data)
        case = Case.objects.get(case_type=CaseType.CONTROLE)
        self.assertRedirects(response, case.get_absolute_url(),
                             fetch_redirect_response=False)  # fmt: skip
        self.assertEqual(case.locations.get().location, markt)
        # The same form again (a double click): the same inspection.
        self.assertRedirects(client.post(select["action"], data),
                             case.get_absolute_url(),
                             fetch_redirect_response=False)  # fmt: skip
        self.assertEqual(Case.objects.filter(case_type=CaseType.CONTROLE).count(), 1)

        dismiss = forms.form(reverse("casework:controle_dismiss", args=[hoek.pk]))
        csrf = dismiss["inputs"]["csrfmiddlewaretoken"]["value"]
        for reason in ("", "   "):
            with self.subTest(reason=reason):
                response = client.post(
                    dismiss["action"],
                    {"csrfmiddlewaretoken": csrf, "reason": reason},
                    follow=True,
                )
                self.assertRedirects(response, "/controle/selection/")
                self.assertFalse(Dismissal.objects.exists())
                self.assertEqual(
                    [m.level_tag for m in response.context["messages"]][-1], "error"
                )
                self.assertIn(hoek.pk, [r.pk for r in response.context["candidates"]])
        response = client.post(
            dismiss["action"],
            {"csrfmiddlewaretoken": csrf, "reason": "Reguliere handhaving"},
            follow=True,
        )
        self.assertRedirects(response, "/controle/selection/")
        dismissal = Dismissal.objects.get()
        self.assertEqual(
            (dismissal.location, dismissal.reason, dismissal.dismissed_by),
            (hoek, "Reguliere handhaving", self.coordinator),
        )
        self.assertNotIn(hoek.pk, [r.pk for r in response.context["candidates"]])
        # Markt's row now counts its open inspection.
        row = next(r for r in response.context["rows"] if r["pk"] == str(markt.pk))
        self.assertEqual(row["open_cases"], "1")

    def test_without_the_csrf_token_nothing_happens(self):
        client = self.client_with_csrf(self.coordinator)
        _response, forms = self.board(client)
        markt = self.places["Markt"]
        select = forms.form(reverse("casework:controle_select", args=[markt.pk]))
        token = select["inputs"]["form_token"]["value"]
        response = client.post(select["action"], {"form_token": token})
        self.assertEqual(response.status_code, 403)
        response = client.post(
            reverse("casework:controle_dismiss", args=[markt.pk]), {"reason": "x"}
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Case.objects.filter(case_type=CaseType.CONTROLE).exists())
        self.assertFalse(Dismissal.objects.exists())

    def test_a_role_without_the_board_gets_404_for_both_posts(self):
        # The coordinator's page gives the forms; a toezichthouder of the
        # same organisation (no board role) posts them.
        _response, forms = self.board(self.client_with_csrf(self.coordinator))
        markt = self.places["Markt"]
        select = forms.form(reverse("casework:controle_select", args=[markt.pk]))
        dismiss = forms.form(reverse("casework:controle_dismiss", args=[markt.pk]))
        for user in (self.toezicht, self.politie_user, self.burgemeester):
            with self.subTest(user=user.username):
                # The test client skips the CSRF check: only the role decides.
                client = Client()
                client.force_login(user)
                self.assertEqual(client.get("/controle/selection/").status_code, 404)
                token = select["inputs"]["form_token"]["value"]
                self.assertEqual(
                    client.post(select["action"], {"form_token": token}).status_code,
                    404,
                )
                self.assertEqual(
                    client.post(dismiss["action"], {"reason": "x"}).status_code, 404
                )
        self.assertFalse(Case.objects.filter(case_type=CaseType.CONTROLE).exists())
        self.assertFalse(Dismissal.objects.exists())


class BoardQueryTests(BoardPageTestCase):
    def queries(self, query=""):
        with CaptureQueriesContext(connection) as queries:
            response, _forms = self.board(query=query)
        return len(queries), response

    def test_nine_queries_however_many_rows(self):
        self.login(self.coordinator)
        few, response = self.queries()
        self.assertLess(len(response.context["rows"]), 10)
        for number in range(60):
            place = Location.objects.create(
                street="Breed", postcode="5912 AB", house_number=100 + number,
                city="Venlo", area="Centrum",
            )  # fmt: skip
            self.signal(self.gemeente, "D0", 1, [place])
        ranks.rebuild()
        many, response = self.queries()
        self.assertEqual(len(response.context["rows"]), 50)
        few_area, _ = self.queries("?area=Centrum&source=mma")
        # The session, the user, the membership, the scope, the ranks, the
        # areas, the sources and the open cases of the rows shown.
        self.assertEqual((few, many, few_area), (9, 9, 9))
