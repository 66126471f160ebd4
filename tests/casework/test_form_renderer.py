"""Every form is drawn by Django's Jinja2 form renderer (`FORM_RENDERER`,
issue 16 item 7): the markup must be what Django's own form templates draw
(the same elements, attributes and text; the two template sets differ only
in blank lines between options) — for every form of the PGA case file (the
page with the most forms: selects, multiple checkboxes, text areas, date and
time inputs), unbound and bound, with and without errors, and for whole
pages of the application drawn by one renderer and by the other."""

import re

from django.forms.renderers import DjangoTemplates, Jinja2, get_default_renderer
from django.http import QueryDict
from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.backends import jinja2 as jinja2_backend
from django.test import SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from casework.idempotency import new_token
from casework.renderers import FormRenderer
from tests.workflows.test_pga_dossier import PgaDossierTestCase
from workflows.pga import services as svc
from workflows.pga import views
from workflows.pga.models import Goal, HealthItem

DJANGO = DjangoTemplates()
DJANGO_TEMPLATES = override_settings(
    FORM_RENDERER="django.forms.renderers.DjangoTemplates"
)


def tokens_out(html: str) -> str:
    """The page with its one-time and CSRF tokens blanked (new each request)."""
    html = re.sub(r'name="form_token" value="[^"]*"', 'name="form_token"', html)
    return re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', html
    )


class FallbackTests(SimpleTestCase):
    def test_django_s_form_templates_are_jinja2_the_admin_s_are_django_s(self):
        renderer = get_default_renderer()
        self.assertIsInstance(renderer, FormRenderer)
        for name in ("django/forms/div.html", "django/forms/widgets/select.html"):
            self.assertIsInstance(renderer.get_template(name), jinja2_backend.Template)
        wrapper = renderer.get_template("admin/widgets/related_widget_wrapper.html")
        self.assertIsInstance(wrapper, django_backend.Template)
        with self.assertRaises(TemplateDoesNotExist):
            renderer.get_template("django/forms/widgets/nothing.html")


class FormMarkupTests(PgaDossierTestCase):
    def pair(self, form_class, data=None, *, rows=None, **kwargs):
        """The same form twice: drawn by the application's renderer (Jinja2)
        and by Django's templates."""
        initial = {"form_token": new_token(), **kwargs.pop("initial", {})}
        forms = []
        for renderer in (None, DJANGO):
            form = form_class(
                data, case=self.pga, user=self.regisseur, initial=initial,
                renderer=renderer, auto_id="id_x_%s", **kwargs,
            )  # fmt: skip
            if rows is not None:
                form.show_members(rows)
            forms.append(form)
        return forms

    def assert_same(self, fast, slow):
        self.assertIsInstance(fast.renderer, Jinja2)
        self.assertIsInstance(slow.renderer, DjangoTemplates)
        self.assertHTMLEqual(str(fast.as_div()), str(slow.as_div()))

    def test_every_form_of_the_case_file(self):
        goal = Goal.objects.create(
            case=self.pga, life_domain="wonen", created_by=self.regisseur,
            description='Woning <houden> & "zo"',
        )  # fmt: skip
        for name, (form_class, _save) in views._actions(self.pga).items():
            if form_class is views.ParticipantOrganisationForm:
                continue  # below: it takes no token
            cases = {
                "unbound": None,
                "empty post": QueryDict(""),
                "post": QueryDict(
                    f"goal={goal.pk}&description=x&status=running&progress=%3Cb%3E"
                    "&held_on=2026-01-01&reason=r&planned_at=2026-01-01T10:00"
                ),
            }
            for label, data in cases.items():
                with self.subTest(form=name, case=label):
                    fast, slow = self.pair(form_class, data)
                    if data is not None:
                        fast.is_valid()
                        slow.is_valid()
                    self.assert_same(fast, slow)

    def test_the_participant_steps(self):
        forms = [
            views.ParticipantOrganisationForm(
                data, case=self.pga, user=self.regisseur, renderer=renderer
            )
            for data in (None, QueryDict("organisation=999999"))
            for renderer in (None, DJANGO)
        ]
        for fast, slow in zip(forms[::2], forms[1::2], strict=True):
            if fast.is_bound:
                self.assertFalse(fast.is_valid())
                slow.is_valid()
            self.assert_same(fast, slow)
        rows = svc.member_candidates(self.pga, self.om)
        self.assertTrue(rows)
        for data in (None, QueryDict("members=1&members=x")):
            with self.subTest(data=data):
                fast, slow = self.pair(views.ParticipantForm, data, rows=rows)
                self.assert_same(fast, slow)

    def test_the_referral_form_with_its_errors(self):
        data = QueryDict("name=&bsn=123&received_on=morgen&informed=on")
        fast, slow = self.pair(views.ReferralForm, data)
        self.assertFalse(fast.is_valid())
        slow.is_valid()
        self.assert_same(fast, slow)

    def test_the_health_form_of_a_supplier(self):
        for data in (None, QueryDict(f"basis={HealthItem.Basis.CONSENT}")):
            fast, slow = self.pair(views.HealthForm, data)
            self.assert_same(fast, slow)


class PageMarkupTests(PgaDossierTestCase):
    def both(self, user, url):
        """The page with its forms drawn by Jinja2, and by Django's templates."""
        self.login(user)
        fast = self.client.get(url)
        with DJANGO_TEMPLATES:
            self.assertIsInstance(get_default_renderer(), DjangoTemplates)
            slow = self.client.get(url)
        self.assertIsInstance(get_default_renderer(), Jinja2)
        self.assertEqual(fast.status_code, 200)
        return tokens_out(fast.content.decode()), tokens_out(slow.content.decode())

    def test_the_case_file_is_the_same_page(self):
        svc.conference_plan(
            case=self.pga, user=self.regisseur, planned_at=timezone.now(),
            place="Stadhuis", agenda="Tweede <overleg>",
        )  # fmt: skip
        for user in (self.regisseur, self.politie_user, self.zorg_user):
            with self.subTest(user=user.username):
                fast, slow = self.both(user, self.dossier_url())
                self.assertIn("<form", fast)
                self.assertHTMLEqual(fast, slow)

    def test_step_two_is_the_same_page(self):
        fast, slow = self.both(self.regisseur, self.step_url(organisation=self.om.pk))
        self.assertIn('type="checkbox"', fast)
        self.assertHTMLEqual(fast, slow)

    def test_a_post_with_errors_is_the_same_page(self):
        self.login(self.regisseur)
        data = {"action": "goal", "form_token": new_token(), "life_domain": "x"}
        fast = self.client.post(self.dossier_url(), data)
        with DJANGO_TEMPLATES:
            slow = self.client.post(self.dossier_url(), data)
        self.assertContains(fast, "errorlist")
        self.assertHTMLEqual(
            tokens_out(fast.content.decode()), tokens_out(slow.content.decode())
        )

    def test_the_pages_with_forms_are_the_same(self):
        """The case list (filters, saving a view), the case page, a new
        signal, the saved views and the search, as the
        case's owner."""
        urls = [
            reverse("casework:case_list") + "?state=open&sort=due&due_from=2026-01-01",
            self.case.get_absolute_url(),
            reverse("casework:signal_create"),
            reverse("casework:saved_views"),
            reverse("casework:search") + "?q=" + self.case.reference,
        ]
        for url in urls:
            with self.subTest(url=url):
                fast, slow = self.both(self.owner, url)
                self.assertIn("<form", fast)
                self.assertHTMLEqual(fast, slow)


class SharedOptionsSelectTests(SimpleTestCase):
    """The distribution page's per-case select (`SharedOptionsSelect`) writes
    its options as one string: the markup must be the select Django draws —
    unbound, with a person chosen, with an error, with a name that needs
    escaping — and the options must be made once for all the selects."""

    CHOICES = [("", "—"), (3, 'Anna <b>"&'), (12, "Bram")]

    def forms(self):
        from django import forms

        from casework.forms import SharedOptions, SharedOptionsSelect

        options = SharedOptions(self.CHOICES)
        fields = {
            "plain": forms.TypedChoiceField(
                choices=self.CHOICES, coerce=int, empty_value=None, required=False
            ),
            **{
                f"shared_{n}": forms.TypedChoiceField(
                    choices=self.CHOICES,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=SharedOptionsSelect(options),
                )
                for n in range(2)
            },
        }
        return type("PersonForm", (forms.Form,), fields), options

    def test_the_markup_is_djangos(self):
        form_class, _options = self.forms()
        for data in (None, {"plain": "12", "shared_0": "12"},
                     {"plain": "3", "shared_0": "3"},
                     {"plain": "99", "shared_0": "99"}):  # fmt: skip
            with self.subTest(data=data):
                form = form_class(data)
                if data:
                    form.is_valid()
                plain = str(form["plain"])
                shared = str(form["shared_0"]).replace("shared_0", "plain")
                self.assertHTMLEqual(shared, plain)
        self.assertIn('aria-invalid="true"', shared)
        self.assertIn("Anna &lt;b&gt;", shared)
        self.assertNotIn("<b>", shared)

    def test_the_options_are_made_once_for_every_select(self):
        form_class, options = self.forms()
        form = form_class()
        first, second = str(form["shared_0"]), str(form["shared_1"])
        self.assertEqual(first.replace("shared_0", "shared_1"), second)
        # Django deep-copies each field's widget into the form: the options
        # stay one object, with one string per chosen value.
        widgets = [form.fields[f"shared_{n}"].widget for n in range(2)]
        self.assertIs(widgets[0].options, options)
        self.assertIs(widgets[1].options, options)
        self.assertEqual(list(options._html), [("",)])


class DistributeRowsTests(SimpleTestCase):
    """The distribution page draws each row of its queue without a bound
    field per case (`DistributeForm.rows`): its checkbox and its person
    select must be what Django's bound fields draw — unbound, ticked, with a
    person chosen, with an error on the select — and a title is escaped."""

    def form(self, data=None):
        from types import SimpleNamespace

        from django.contrib.auth import get_user_model

        from casework.assignment_views import DistributeForm

        step = SimpleNamespace(label="Controle uitvoeren", role_label="Toezicht")
        queue = [
            SimpleNamespace(reference=f"2026-IC-000{n}", title=title, step=step)
            for n, title in ((1, "Markt 1"), (2, 'Kerk <b>"&'), (3, "Hof 3"))
        ]
        User = get_user_model()
        people = [
            User(pk=4, username="anna", first_name="Anna", last_name="<Ant>"),
            User(pk=9, username="bram"),
        ]
        form = DistributeForm(data, queue=queue, people=people)
        if data is not None:
            form.is_valid()
        return form

    def django_row(self, form, n: int) -> tuple[str, str]:
        """The row's checkbox and person select as the bound fields draw them."""
        box = list(form["cases"])[n]
        reference = box.data["value"]
        person = form[f"person_{reference}"]
        return box.tag(), f"{person.as_widget()}{person.errors or ''}"

    def test_the_rows_are_what_django_draws(self):
        for data in (
            None,
            {"mode": "round_robin", "cases": ["2026-IC-0002"], "people": ["9"]},
            {"mode": "per_case", "cases": ["2026-IC-0001", "2026-IC-0003"],
             "person_2026-IC-0001": "4", "note": ""},
        ):  # fmt: skip
            with self.subTest(data=data):
                form = self.form(data)
                rows = form.rows()
                self.assertEqual(len(rows), 3)
                for n, row in enumerate(rows):
                    box, person = self.django_row(form, n)
                    self.assertIn(box, row)
                    self.assertIn(person, row)
        # The per-case mode without a person for 2026-IC-0003: its select is
        # marked invalid and its error follows it.
        row = rows[2]
        self.assertIn('aria-invalid="true"', row)
        self.assertIn("Kies een persoon voor 2026-IC-0003", row)
        self.assertIn(" checked", rows[0])
        self.assertNotIn(" checked", rows[1])

    def test_a_title_is_escaped_and_the_labels_point_at_the_fields(self):
        row = self.form().rows()[1]
        self.assertIn("Kerk &lt;b&gt;&quot;&amp;", row)
        self.assertNotIn("<b>", row)
        self.assertIn('<label for="id_cases_1">', row)
        self.assertIn(
            '<label class="visually-hidden" for="id_person_2026-IC-0002">', row
        )
        self.assertIn('<a href="/cases/2026-IC-0002/">2026-IC-0002</a>', row)
        self.assertIn("Controle uitvoeren (Toezicht)", row)
