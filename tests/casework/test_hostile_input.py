"""No bad input ends in a 500 (issue 15 item 5).

Every URL of the urlconf is filled from the demo (the samples of
`tests/permissions/test_url_roles.py`) and opened as a user who may write
there. Every form the page renders (read from its HTML: inputs, selects, text
areas, and the forms of other URLs it posts to, such as the steps on a case
page) and every crafted body of `url_roles.POLICY_OF_URL` is posted with
hostile values — NUL bytes, 100,000 characters, huge and negative numbers,
text in number and date fields, dates in the year 1 and 9999, lists — one
field at a time, the other fields keeping a valid value. Every query
parameter a page reads (its GET forms, its links back to itself, and `page`,
`week` and the like) gets the same values.

Expected: never a 500; a refused POST is a 4xx, the form again with a Dutch
error, or a redirect with an error message; nothing changed in the database;
no NUL byte reaches a query (PostgreSQL refuses them, SQLite does not, so the
queries are inspected). The values are sampled per kind of field, not the
full cross product; every URL and every field is tried at least once.
"""

import logging
import os
import uuid
from html.parser import HTMLParser
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

from django import forms as django_forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.messages import constants as message_levels
from django.core.management import call_command
from django.db import connection, transaction
from django.http import QueryDict
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from casework import forms as casework_forms
from casework import idempotency, letter_forms, pdf
from casework.models import Case, FormSubmission
from tests.permissions import test_url_roles as url_tests
from tests.permissions.url_roles import (
    POLICY_OF_URL,
    USERNAMES,
    Rule,
    anyone,
    walk_urlconf,
)
from tests.writes import Watch

NUL = "a\x00b"
LONG = "x" * 100_000

# Hostile values per kind of field: every value of the kind is sent to
# every field of that kind.
HOSTILE = {
    "text": [NUL, LONG, ["ok", NUL]],
    "number": [NUL, "9" * 40, "-5", "tekst", ["1", "9" * 40]],
    "date": [NUL, "0001-01-01", "9999-12-31", "tekst", ["2026-01-01", "9999-12-31"]],
    "datetime": [NUL, "0001-01-01T00:00", "9999-12-31T23:59", "tekst"],
    "choice": [NUL, LONG, "9" * 40, "-5", ["x", NUL]],
}
QUERY_VALUES = [NUL, LONG, "9" * 40, "-5", "0001-W01", "9999-W52", "9999-12-31"]
# Query parameters the views read besides their forms (`request.GET`).
ALWAYS_QUERIED = ("page", "week", "day", "template", "after", "status", "q")

# English texts of Django's validation errors: a refusal must be in Dutch.
ENGLISH = (
    "This field is required",
    "Enter a valid",
    "Ensure this value",
    "Null characters are not allowed",
    "Select a valid choice",
    "Enter a whole number",
)

# The main tables, counted before and after every request (one query).
MAIN_TABLES = (
    "casework.Case", "casework.CaseEvent", "casework.Party", "casework.CaseParty",
    "casework.Location", "casework.CaseLocation", "casework.Signal",
    "casework.Deadline", "casework.DeadlineAdjustment", "casework.Document",
    "casework.FormSubmission", "casework.CaseLink", "permissions.CaseAccess",
    "legal_protection.LegalProtection", "controle.Visit", "controle.Finding",
    "controle.Dismissal", "controle.Referral", "bibob.BibobSource",
    "pga.Participant", "pga.Intervention", "gebiedsverbod.Violation",
)  # fmt: skip

# The partner API takes bearer tokens, not sessions: its hostile input is
# schemathesis' (tests/api/test_schemathesis.py), against its own schema.
API = "api:"


def _tables() -> list[str]:
    found = []
    for label in MAIN_TABLES:
        try:
            found.append(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return found


def fingerprint() -> tuple:
    """Row counts of the main tables and every case's status, in one query
    each: what a refused request must leave as it was."""
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables)
        )
        counts = cursor.fetchone()
    statuses = tuple(Case.objects.order_by("pk").values_list("pk", "status"))
    return counts, hash(statuses)


# --- Forms from the HTML -----------------------------------------------------------


class FormField:
    def __init__(self, name, kind, value, options=(), required=False):
        self.name, self.kind, self.value = name, kind, value
        self.options, self.required = list(options), required


class PageForms(HTMLParser):
    """The <form>s of a page with their fields, and its links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links = [], []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self._form = {
                "action": a.get("action") or "",
                "method": (a.get("method") or "get").lower(),
                "fields": {},
            }
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        required = "required" in a
        if tag == "button" or (tag == "input" and a.get("type") == "submit"):
            # The button a page dispatches on ("plan", "slot", …): the
            # form's first named one is pressed.
            if name and "submit" not in self._form:
                self._form["submit"] = (name, a.get("value", ""))
            return
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("reset", "file", "image"):
                return
            if kind in ("checkbox", "radio"):
                field = fields.setdefault(name, FormField(name, kind, None))
                field.options.append(a.get("value", "on"))
                if "checked" in a and field.value is None:
                    field.value = a.get("value", "on")
                return
            mapped = {
                "number": "number",
                "date": "date",
                "datetime-local": "datetime",
            }.get(kind, "hidden" if kind == "hidden" else "text")
            fields[name] = FormField(name, mapped, a.get("value", ""), (), required)
        elif tag == "select" and name:
            self._select = FormField(name, "choice", None, (), required)
            self._select.multiple = "multiple" in a
            fields[name] = self._select
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a or self._select.value is None:
                self._select.value = value
        elif tag == "textarea" and name:
            self._textarea = FormField(name, "text", "", (), required)
            fields[name] = self._textarea

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def baseline(fields: dict) -> dict:
    """A body that fills every field with a plausible value."""
    today = timezone.localdate().isoformat()
    body = {}
    for field in fields.values():
        if field.name == idempotency.FIELD:
            continue
        if field.kind in ("checkbox", "radio"):
            if field.value is not None:
                body[field.name] = field.value
            elif field.kind == "radio" and field.options:
                body[field.name] = field.options[0]
            continue
        value = field.value or ""
        if field.kind == "submit":
            body[field.name] = value
            continue
        if not value:
            value = {
                "number": "1",
                "date": today,
                "datetime": f"{today}T10:00",
                "choice": next((o for o in field.options if o), ""),
            }.get(field.kind, "Proef" if field.kind == "text" else "")
        body[field.name] = value
    return body


def kind_of(field) -> str | None:
    if field.kind == "submit":
        return None
    if field.kind == "hidden":
        return "text"
    if field.kind in ("checkbox", "radio"):
        # A box carries "on" or a choice: only a choice can be wrong.
        return "choice" if field.options and field.options != ["on"] else None
    return field.kind


# --- The test -----------------------------------------------------------------------


@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies")
class HostileInputTests(TestCase):
    """One demo, every URL and every field with hostile values."""

    # The demo objects of the URL × role test fill the parameters.
    _pick_cases = url_tests.UrlRoleTests.__dict__["_pick_cases"]
    _add_documents = url_tests.UrlRoleTests.__dict__["_add_documents"]
    samples = url_tests.UrlRoleTests.samples
    by_state = url_tests.UrlRoleTests.by_state

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", verbosity=0)
        User = get_user_model()
        cls.users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
        cls.cases = cls._pick_cases()
        cls._add_documents()
        # A closed meeting and identity providers: the URL × role test's.
        url_tests.add_what_the_demo_lacks(cls.users)

    def setUp(self):
        patcher = mock.patch.dict(os.environ, url_tests.SSO_SECRET)
        patcher.start()
        self.addCleanup(patcher.stop)
        logger = logging.getLogger("django.request")
        level = logger.level
        logger.setLevel(logging.CRITICAL)
        self.addCleanup(logger.setLevel, level)
        self.failures = []
        self.queried = set()
        self.state = None  # the fingerprint before the next request
        self.skipped = 0  # query parameters no code of their page reads

    # --- Requests -------------------------------------------------------------

    def send(self, method, url, data=None, *, expect_refusal):
        """One request inside a savepoint rolled back after it; a finding for
        a 500, a NUL byte in a query, an accepted or a not-Dutch refusal, or
        a change in the database."""
        # Messages left by an earlier request are not this one's.
        self.client.cookies.pop("messages", None)
        sid = transaction.savepoint()
        with Watch(_tables()) as watch, CaptureQueriesContext(connection) as queries:
            try:
                if method == "GET":
                    response = self.client.get(url, data or {})
                else:
                    response = self.client.post(url, data or {})
            except Exception as exc:  # a crash is what this test looks for
                response = None
                crash = f"{type(exc).__name__}: {str(exc)[:120]}"
        after = fingerprint() if watch.wrote else None
        transaction.savepoint_rollback(sid)
        # Every request is rolled back: the state before one is the state
        # after the rollback, read again only after a request outside `send`
        # (the pages' discovery GETs). Nothing written: nothing changed
        # (tests/writes.py).
        if after is not None:
            before = self.state = self.state or fingerprint()
        else:
            before = None
        what = f"{method} {url[:120]} {_short(data)}"
        if response is None:
            self.failures.append(f"{what}: raised {crash}")
            return None
        if any("\x00" in q["sql"] for q in queries.captured_queries):
            self.failures.append(f"{what}: a NUL byte reached the database")
        status = response.status_code
        if status >= 500:
            self.failures.append(f"{what}: {status}")
            return response
        if method == "GET":
            if status not in (200, 301, 302, 400, 404) or before != after:
                self.failures.append(f"{what}: GET answered {status} or changed data")
            return response
        refused, text = _refusal(response)
        if expect_refusal and not refused:
            self.failures.append(f"{what}: accepted ({status})")
        elif refused and before != after:
            self.failures.append(f"{what}: refused ({status}) but data changed")
        elif refused and any(english in text for english in ENGLISH):
            self.failures.append(f"{what}: refused in English: {text[:120]}")
        return response

    # --- Discovery ------------------------------------------------------------

    def targets(self):
        """(URL name, sample, url, username) for every URL and sample that
        some demo user may open or post to: the first such user."""
        for entry in walk_urlconf():
            if entry.name in ("admin:*", "logout") or entry.name.startswith(API):
                continue
            # A URL new to the urlconf has no entry yet (test_url_roles
            # asks for one); without parameters it is opened by everyone.
            rule = POLICY_OF_URL.get(entry.name) or Rule("none", anyone)
            if entry.params and entry.name not in POLICY_OF_URL:
                continue
            for sample in self.samples(rule.sample):
                url = reverse(entry.name, kwargs=sample.kwargs)
                writer = reader = None
                for username in USERNAMES:
                    user = self.users[username]
                    if writer is None and rule.write and rule.write(user, sample):
                        writer = username
                    if reader is None and rule.read and rule.read(user, sample):
                        reader = username
                username = writer or reader
                if username is not None:
                    yield entry.name, rule, sample, url, username

    def test_every_form_field_and_query_parameter_of_every_url(self):
        seen_forms = set()
        urls = set()
        fields_tried = 0
        for name, rule, sample, url, username in self.targets():
            self.client.force_login(self.users[username])
            urls.add(name)
            found = []  # (action url, fields)
            if rule.read is not None:
                response = self.client.get(url)
                self.state = None
                if response.status_code == 200 and "html" in response.get(
                    "Content-Type", ""
                ):
                    page = PageForms()
                    page.feed(response.content.decode())
                    for form in page.forms:
                        action = urlsplit(form["action"] or url).path or url
                        if form["method"] == "get":
                            self.query(action, form["fields"].keys())
                        else:
                            if "submit" in form:
                                name, value = form["submit"]
                                form["fields"].setdefault(
                                    name, FormField(name, "submit", value)
                                )
                            found.append((action, form["fields"], True))
                    self.query(url, _own_params(url, page.links))
                else:
                    self.query(url, ())
            if rule.body is not None:
                crafted = rule.body(sample, self.users)
                # The crafted body names fields of several forms: probed for
                # crashes, not for refusals.
                found.append((url, _fields_of(crafted), False))
            for action, fields, strict in found:
                try:
                    target = resolve(action).url_name
                except Resolver404:
                    continue
                signature = (target, tuple(sorted(fields)))
                if signature in seen_forms:
                    continue
                seen_forms.add(signature)
                fields_tried += self.post_hostile(action, fields, strict=strict)
        self.assertEqual(
            sorted(
                e.name
                for e in walk_urlconf()
                if e.name not in ("admin:*", "logout")
                and not e.name.startswith(API)
                and e.name not in urls
                and not (e.params and e.name not in POLICY_OF_URL)
            ),
            [],
            "URLs no demo user may open",
        )
        self.assertFalse(self.failures, "\n" + "\n".join(sorted(self.failures)[:80]))
        self.assertGreater(fields_tried, 250)
        self.assertGreater(len(self.queried), 150)

    def query(self, url, names):
        """Hostile values for each query parameter the page reads, once per
        URL name. A parameter no code of the request reads cannot change
        its answer: it is skipped (`params_read`)."""
        try:
            url_name = resolve(url).url_name
        except Resolver404:
            return
        candidates = {*names, *ALWAYS_QUERIED} - {"csrfmiddlewaretoken"}
        candidates = {n for n in candidates if (url_name, n) not in self.queried}
        if not candidates:
            return
        read = self.params_read(url, candidates)
        self.skipped += len(candidates - read)
        for number, name in enumerate(sorted(read)):
            if (url_name, name) in self.queried:
                continue
            self.queried.add((url_name, name))
            # Every parameter gets one value, rotating; NUL and the long value
            # go to every one.
            values = {NUL, QUERY_VALUES[number % len(QUERY_VALUES)]}
            if name in ALWAYS_QUERIED:
                values = set(QUERY_VALUES)
            for value in values:
                self.send("GET", url, {name: value}, expect_refusal=False)

    def params_read(self, url, names) -> set:
        """The query parameters among `names` that the request's code reads
        (a lookup, `in`, or a walk over all of them), seen on the page
        without parameters and with each of them set to "1"."""
        read: set = set()

        def keyed(method):
            def wrapper(self_, key, *args, **kwargs):
                read.add(key)
                return method(self_, key, *args, **kwargs)

            return wrapper

        def whole(method):
            def wrapper(self_, *args, **kwargs):
                if self_:
                    read.update(names)
                return method(self_, *args, **kwargs)

            return wrapper

        keys = ("__getitem__", "get", "getlist", "__contains__")
        walks = ("__iter__", "keys", "items", "lists", "values", "dict", "__copy__",
                 "copy", "__deepcopy__")  # fmt: skip
        patches = [
            mock.patch.object(owner, name, wrap(getattr(owner, name)))
            for owner, names_, wrap in (
                (MultiValueDict, keys, keyed),
                (MultiValueDict, walks, whole),
                (QueryDict, ("urlencode",), whole),
            )
            for name in names_
        ]
        for patch in patches:
            patch.start()
        try:
            for data in ({}, dict.fromkeys(names, "1")):
                self.send("GET", url, data, expect_refusal=False)
        finally:
            for patch in reversed(patches):
                patch.stop()
        return read & set(names)

    def post_hostile(self, action, fields, *, strict) -> int:
        body = baseline(fields)
        tried = 0
        for field in fields.values():
            if field.name in ("csrfmiddlewaretoken",):
                continue
            kind = kind_of(field)
            if kind is None:
                continue
            tried += 1
            for value in HOSTILE[kind]:
                data = {**body, field.name: value}
                if field.name != idempotency.FIELD:
                    data[idempotency.FIELD] = uuid.uuid4().hex
                self.send("POST", action, data, expect_refusal=strict)
        return tried

    # --- The causes the issue found, one by one ---------------------------------

    def login(self, username):
        self.client.force_login(self.users[username])

    def test_a_nul_byte_in_the_path_matches_no_url(self):
        self.login("jurist")
        case = Case.objects.filter(case_type="LOD").first()
        for url in (
            f"/cases/{case.reference}%00/",
            f"/cases/{case.reference}%00/deadlines/add/",
            "/signals/2026-SIG-0001%00/",
        ):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertFalse(any("\x00" in q["sql"] for q in queries))
        self.assertEqual(self.client.get(f"/cases/{case.reference}/").status_code, 200)

    def test_the_audit_filters_refuse_nul_bytes_and_far_cursors(self):
        self.login("fg")
        self.assertEqual(self.client.get("/audit/", {"user": NUL}).status_code, 400)
        self.assertEqual(self.client.get("/audit/", {"case": NUL}).status_code, 400)
        self.assertEqual(
            self.client.get("/audit/", {"after": "9" * 18 + ".1"}).status_code, 400
        )
        response = self.client.get("/audit/", {"from": "0001-01-01", "to": NUL})
        self.assertEqual(response.status_code, 400)
        response = self.client.get("/audit/", {"from": "0001-01-01"})
        self.assertContains(response, "de periode is niet toegepast")
        self.assertEqual(
            self.client.get("/audit/", {"user": "jurist"}).status_code, 200
        )

    def test_a_cursor_the_list_did_not_write_is_the_first_page(self):
        """Pages follow a cursor (casework.listing): huge numbers, another
        sort's cursor, NUL bytes and `?page=` are the first page, said in
        Dutch, never a 500."""
        self.login("jurist")
        first = self.client.get("/cases/")
        ids = [c.reference for c in first.context["cases"]]
        for bad in ("o" + "9" * 40 + "_1", "d1_1", "x", NUL, "o1_" + "9" * 40):
            for param in ("after", "before"):
                with self.subTest(param=param, bad=bad):
                    response = self.client.get("/cases/", {param: bad})
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(
                        [c.reference for c in response.context["cases"]], ids
                    )
                    self.assertContains(response, "eerste pagina")
        response = self.client.get("/cases/", {"page": "9" * 40})
        self.assertEqual([c.reference for c in response.context["cases"]], ids)

    def test_far_weeks_show_the_current_week(self):
        self.login("coordinator")
        today = timezone.localdate()
        for week in ("9999-W52", "0001-W01", "2026-W54", "2026-W00", NUL):
            response = self.client.get("/controle/", {"week": week})
            self.assertEqual(response.status_code, 200, week)
            self.assertEqual(response.context["monday"].isocalendar()[:2],
                             today.isocalendar()[:2], week)  # fmt: skip
        response = self.client.get("/controle/", {"week": "2026-W05"})
        self.assertEqual(str(response.context["monday"]), "2026-01-26")

    def deadline_url(self, suffix=""):
        case = self.cases[next(k for k in self.cases if k.startswith("LOD/"))]
        deadline = case.deadlines.order_by("pk").first()
        base = f"/cases/{case.reference}/deadlines/"
        return case, deadline, base + (f"{deadline.pk}/{suffix}/" if suffix else "add/")

    def test_a_deadline_with_extreme_dates_or_lengths_is_refused_in_dutch(self):
        self.login("jurist")
        case, _deadline, url = self.deadline_url()
        body = {"title": "Proef", "legal_basis": "Awb 4:13", "unit": "weeks"}
        before = case.deadlines.count()
        extremes = (
            ("9999-12-31", "2"),
            ("0001-01-01", "2"),
            ("2026-01-01", "9" * 12),
            ("2026-01-01", "266"),
        )
        for event, length in extremes:
            response = self.client.post(
                url, {**body, "event_date": event, "length": length}
            )
            self.assertEqual(response.status_code, 200, (event, length))
            self.assertTrue(response.context["form"].errors)
        self.assertContains(response, "ten hoogste 265 weken")
        self.assertEqual(case.deadlines.count(), before)
        response = self.client.post(
            url, {**body, "event_date": "2026-01-01", "length": "261"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(case.deadlines.count(), before + 1)

    def test_a_suspension_ending_in_9999_is_refused(self):
        self.login("jurist")
        _case, deadline, url = self.deadline_url("suspend")
        response = self.client.post(
            url,
            {"start": "2026-01-01", "end": "9999-12-31", "legal_basis": "Awb 4:15",
             "reason": "proef"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        self.assertFalse(deadline.adjustments.exists())
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertTrue(any("2200-12-31" in m for m in messages), messages)

    def test_a_token_longer_than_the_column_is_a_form_error(self):
        self.login("jurist")
        case = self.cases[next(k for k in self.cases if k.startswith("LOD/"))]
        url = f"/cases/{case.reference}/parties/add/"
        body = {"kind": "person", "name": "Proef", "role": "betrokkene"}
        response = self.client.post(url, {**body, "form_token": "t" * 65})
        self.assertEqual(response.status_code, 200)
        self.assertIn("form_token", response.context["form"].errors)
        self.assertFalse(FormSubmission.objects.filter(token="t" * 65).exists())

    def test_a_token_used_by_another_user_is_refused_and_runs_nothing(self):
        case = self.cases[next(k for k in self.cases if k.startswith("LOD/"))]
        url = f"/cases/{case.reference}/parties/add/"
        body = {"kind": "person", "role": "betrokkene", "form_token": "gedeeld-1"}
        self.login("jurist")
        self.assertEqual(
            self.client.post(url, {**body, "name": "Eerste"}).status_code, 302
        )
        other = next(
            name
            for name in USERNAMES
            if name != "jurist"
            and POLICY_OF_URL["casework:case_add_party"].write(
                self.users[name], url_tests.Sample("", {}, case=case)
            )
        )
        self.login(other)
        parties = case.parties.count()
        response = self.client.post(url, {**body, "name": "Tweede"})
        self.assertIn(response.status_code, (200, 403))
        self.assertEqual(case.parties.count(), parties)
        self.assertEqual(
            FormSubmission.objects.get(token="gedeeld-1").user, self.users["jurist"]
        )

    def test_selecting_an_address_twice_opens_one_inspection(self):
        self.login("coordinator")
        page = self.client.get("/controle/selection/")
        forms = PageForms()
        forms.feed(page.content.decode())
        select = next(f for f in forms.forms if f["action"].endswith("/select/"))
        token = select["fields"]["form_token"].value
        self.assertTrue(token)
        cases = Case.objects.filter(case_type="IC").count()
        first = self.client.post(select["action"], {"form_token": token})
        second = self.client.post(select["action"], {"form_token": token})
        self.assertEqual(first.status_code, 302)
        self.assertEqual(second["Location"], first["Location"])
        self.assertEqual(Case.objects.filter(case_type="IC").count(), cases + 1)
        # Without a token: refused, nothing opened.
        third = self.client.post(select["action"], {})
        self.assertEqual(third.status_code, 302)
        self.assertEqual(Case.objects.filter(case_type="IC").count(), cases + 1)


class FormBoundsTests(TestCase):
    """Every text field of the application's forms has a maximum length and
    every date field a range (the forms of `manage.py replay` excepted: they
    read a scenario file, not a request)."""

    def forms(self):
        import importlib
        import pkgutil

        for package in ("casework", "permissions", "workflows"):
            root = importlib.import_module(package)
            for module in pkgutil.walk_packages(root.__path__, package + "."):
                if any(
                    part in module.name
                    for part in (".migrations", ".management", "settings", "wsgi")
                ):
                    continue
                importlib.import_module(module.name)
        found = []
        stack = [django_forms.BaseForm]
        while stack:
            cls = stack.pop()
            stack.extend(cls.__subclasses__())
            module = cls.__module__
            if module.startswith(("casework", "permissions", "workflows")) and not (
                module.endswith((".replay", ".actions")) or "Replay" in cls.__name__
            ):
                found.append(cls)
        return found

    def test_every_text_field_has_a_maximum_length(self):
        missing = [
            f"{cls.__module__}.{cls.__name__}.{name}"
            for cls in self.forms()
            for name, field in cls.base_fields.items()
            if isinstance(field, django_forms.CharField)
            and field.max_length is None
            # A UUID field takes nothing but a UUID: bounded by its format
            # (a maximum length would be checked against the UUID object).
            and not isinstance(field, django_forms.UUIDField)
        ]
        self.assertGreater(len(self.forms()), 50)
        self.assertEqual(sorted(set(missing)), [])

    def test_every_date_field_lies_in_the_range(self):
        unbounded = [
            f"{cls.__module__}.{cls.__name__}.{name}"
            for cls in self.forms()
            for name, field in cls.base_fields.items()
            if isinstance(field, django_forms.DateField | django_forms.DateTimeField)
            and not isinstance(
                field, casework_forms.DateField | casework_forms.DateTimeField
            )
        ]
        self.assertEqual(sorted(set(unbounded)), [])

    def test_the_letter_form_bounds_every_field(self):
        for key in pdf.TEMPLATES:
            form = letter_forms.LetterForm(template_key=key)
            for name, field in form.fields.items():
                if isinstance(field, django_forms.CharField):
                    self.assertIsNotNone(field.max_length, (key, name))
                if isinstance(field, django_forms.DateField):
                    self.assertIsInstance(field, casework_forms.DateField)

    def test_a_date_outside_the_range_is_refused_in_dutch(self):
        form = casework_forms.MetForm({"on": "9999-12-31"})
        self.assertFalse(form.is_valid())
        self.assertIn("2200-12-31", form.errors["on"][0])
        self.assertTrue(casework_forms.MetForm({"on": "2200-12-31"}).is_valid())
        self.assertFalse(casework_forms.MetForm({"on": "1899-12-31"}).is_valid())


def _fields_of(body: dict) -> dict:
    fields = {}
    for name, value in body.items():
        kind = "text"
        if isinstance(value, list):
            kind, value = "choice", value[0]
        elif str(value).isdigit() and name != idempotency.FIELD:
            kind = "number"
        elif len(str(value)) == 10 and str(value)[4:5] == "-":
            kind = "date"
        fields[name] = FormField(name, kind, str(value))
    return fields


def _own_params(url: str, links) -> set:
    """The query parameters of the page's links back to itself."""
    names = set()
    for link in links:
        parts = urlsplit(link)
        if parts.query and parts.path in ("", url):
            names |= {name for name, _value in parse_qsl(parts.query)}
    return names


def _refusal(response) -> tuple[bool, str]:
    """Whether the response refuses, and the text of its errors."""
    status = response.status_code
    if 400 <= status < 500:
        return True, ""
    storage = getattr(response.wsgi_request, "_messages", None)
    messages = [
        str(m)
        for m in getattr(storage, "_queued_messages", [])
        if m.level >= message_levels.ERROR
    ]
    if status in (301, 302):
        return bool(messages), " ".join(messages)
    content = response.content.decode(errors="replace")
    errors = []
    for marker in ('class="errorlist', 'class="message error', 'role="alert"'):
        start = content.find(marker)
        while start != -1:
            errors.append(content[start : start + 300])
            start = content.find(marker, start + 1)
    return bool(errors or messages), " ".join(errors + messages)


def _short(data) -> str:
    if not data:
        return ""
    return str(
        {k: (v[:12] + "…" if isinstance(v, str) and len(v) > 12 else v)
         for k, v in data.items() if k != idempotency.FIELD}
    )[:160]  # fmt: skip


class LetterRenderingTests(TestCase):
    """The longest input the letter form allows renders, and the work grows
    linearly with the length (issue 15: a 120,000-character address took
    12 s, growing with the square of the length)."""

    def setUp(self):
        from tests.casework.test_pdf import INPUTS, LETTERHEAD

        self.inputs, self.letterhead = INPUTS, LETTERHEAD

    def render(self, key, **overrides):
        return pdf.render_letter(
            key, {**self.inputs[key], **overrides}, letterhead=self.letterhead
        )

    def widths(self, key, **overrides) -> int:
        """How many times reportlab measures a string: its line breaking."""
        from reportlab.platypus import paragraph

        with mock.patch.object(
            paragraph, "stringWidth", wraps=paragraph.stringWidth
        ) as measured:
            self.render(key, **overrides)
        return measured.call_count

    def test_doubling_the_text_less_than_triples_the_work(self):
        for make in (
            lambda n: ["woord " * (n // 6)],  # many words
            lambda n: ["x" * n],  # one unbroken word
        ):
            counts = [
                self.widths("voornemen_lod", recipient_address=make(n))
                for n in (20_000, 40_000, 80_000)
            ]
            self.assertLess(counts[1], 3 * counts[0], counts)
            self.assertLess(counts[2], 3 * counts[1], counts)
        counts = [
            self.widths("voornemen_lod", violation="woord " * (n // 6))
            for n in (20_000, 40_000)
        ]
        self.assertLess(counts[1], 3 * counts[0], counts)

    def test_the_longest_allowed_inputs_render(self):
        """Every letter with each text input at the form's maximum: a text
        area TEXT_LENGTH, a line LINE_LENGTH, a list of lines MAX_LINES lines
        (tables whose rows are taller than a page continue on the next)."""
        line = ("regel " * 100)[: casework_forms.LINE_LENGTH]
        rendered = 0
        for key, template in pdf.TEMPLATES.items():
            if key not in self.inputs:
                continue
            inputs = dict(self.inputs[key])
            form = letter_forms.LetterForm(template_key=key)
            for field in (*template.fields, *template.optional):
                if field.key not in inputs or field.key in ("reference",):
                    continue
                form_field = form.fields[field.key]
                if field.kind == "text" and not field.options:
                    limit = form_field.max_length
                    inputs[field.key] = ("woord " * limit)[:limit]
                elif field.kind in ("lines", "names"):
                    inputs[field.key] = [line] * letter_forms.MAX_LINES
            try:
                pdf_bytes = pdf.render_letter(key, inputs, letterhead=self.letterhead)
            except pdf.LetterValidationError:
                continue  # the template's own checks refuse the text: fine
            self.assertTrue(pdf_bytes.startswith(b"%PDF"), key)
            rendered += 1
        self.assertGreater(rendered, 20)
