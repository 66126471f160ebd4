"""Headers and error pages (issue 15 items 4 and 6, docs/security.md)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.template.loader import get_template
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import path
from django.views import defaults

from casework import documents
from casework import urls as project_urls
from tests.base import BaseTestCase
from tests.case_types import lod_intention_sent
from tests.casework.test_documents import VOORNEMEN

BASE_DIR = Path(settings.BASE_DIR)


def refuse(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("tampered")


def broken(request):
    raise RuntimeError("boom")


# The project's urlconf and three pages that fail, to reach its error views.
urlpatterns = [
    path("forbidden/", refuse),
    path("bad/", bad),
    path("broken/", broken),
    *project_urls.urlpatterns,
]


class HeaderTests(BaseTestCase):
    def assertNoStore(self, response):
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])

    def assertPolicy(self, response):
        policy = response["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertIn("style-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)

    def test_a_case_page_is_not_stored_and_has_the_policy(self):
        self.login(self.owner)
        response = self.client.get(self.case.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNoStore(response)
        self.assertPolicy(response)
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")
        self.assertEqual(response["X-Frame-Options"], "DENY")

    def test_a_download_is_not_stored(self):
        case = lod_intention_sent(self.case, self.owner)
        document = documents.document_generate(
            case=case,
            user=self.owner,
            template_key="voornemen_lod",
            inputs=dict(VOORNEMEN, reference=case.reference),
        )
        self.login(self.owner)
        response = self.client.get(document.get_absolute_url())
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertNoStore(response)

    def test_every_page_of_a_view_is_not_stored(self):
        self.login(self.fg)
        for url in ("/", "/signals/", "/search/", "/audit/", "/cases/"):
            response = self.client.get(url)
            self.assertLess(response.status_code, 500, url)
            self.assertNoStore(response)
        self.assertNoStore(Client().get("/accounts/login/"))

    def test_the_process_picture_gets_a_policy_for_its_own_style(self):
        self.login(self.owner)
        response = self.client.get(f"/cases/{self.case.reference}/process.svg")
        self.assertEqual(response["Content-Type"], "image/svg+xml")
        self.assertEqual(
            response["Content-Security-Policy"],
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        self.assertNoStore(response)

    @override_settings(SECURE_HSTS_SECONDS=3600, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
    def test_hsts_is_sent_over_https(self):
        response = self.client.get("/accounts/login/", secure=True)
        self.assertEqual(
            response["Strict-Transport-Security"], "max-age=3600; includeSubDomains"
        )
        self.assertNotIn(
            "Strict-Transport-Security", self.client.get("/accounts/login/")
        )

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_plain_http_is_redirected_when_asked(self):
        response = self.client.get("/accounts/login/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "https://testserver/accounts/login/")


class NoInlineCodeTests(TestCase):
    """The policy forbids inline script and style: no template may have them.
    Only an SVG served as an image of its own (it gets its own policy) may
    carry a <style> element."""

    INLINE = re.compile(
        r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=|javascript:", re.I
    )
    STANDALONE_IMAGES = {"casework/process.svg"}

    def test_no_template_has_inline_script_or_style(self):
        folders = [BASE_DIR / "templates", *BASE_DIR.glob("workflows/*/templates")]
        checked, offenders = 0, []
        for folder in folders:
            for file in folder.rglob("*"):
                if file.suffix not in {".html", ".svg", ".txt"}:
                    continue
                name = str(file.relative_to(folder))
                checked += 1
                if name not in self.STANDALONE_IMAGES and self.INLINE.search(
                    file.read_text()
                ):
                    offenders.append(str(file.relative_to(BASE_DIR)))
        self.assertGreater(checked, 50)
        self.assertEqual(offenders, [])

    def test_the_check_finds_inline_code(self):
        for snippet in (
            "<script>alert(1)</script>",
            '<a onclick="x()">',
            '<p style="color:red">',
            "<style>p{}</style>",
        ):
            self.assertIsNotNone(self.INLINE.search(snippet), snippet)
        self.assertIsNone(self.INLINE.search('<script src="/static/x.js"></script>'))


def deploy_check(**overrides) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` with the production settings and the
    environment a deployer sets (.env.example, docs/security.md)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "SECURE_", "DEBUG"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="casework.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ACCESS_LOG_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS="casework.gemeente.example",
        CSRF_TRUSTED_ORIGINS="https://casework.gemeente.example",
        SECURE_SSL_REDIRECT="true",
        SECURE_COOKIES="true",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


class DeployCheckTests(TestCase):
    def test_production_settings_pass_the_deploy_checks(self):
        result = deploy_check()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("System check identified no issues", result.stdout)

    def test_a_missing_https_setting_is_reported(self):
        result = deploy_check(SECURE_SSL_REDIRECT="false", SECURE_COOKIES="false")
        self.assertNotEqual(result.returncode, 0)
        output = result.stdout + result.stderr
        for check in ("security.W008", "security.W012", "security.W016"):
            self.assertIn(check, output)


@override_settings(ROOT_URLCONF="casework.urls", DEBUG=False)
class ErrorPageTests(BaseTestCase):
    """The project's Dutch pages, not viewflow's (which come later in the
    template search: the project's templates/ folder is searched first)."""

    def test_the_project_templates_win(self):
        for code in ("400", "403", "404", "500"):
            origin = get_template(f"{code}.html").origin.name
            self.assertEqual(
                Path(origin), BASE_DIR / "templates" / f"{code}.html", origin
            )

    def test_404(self):
        self.login(self.owner)
        response = self.client.get("/cases/2099-LOD-9999/")
        self.assertContains(response, "Pagina niet gevonden", status_code=404)
        self.assertContains(response, "Naar Mijn werk", status_code=404)
        self.assertNotContains(response, "administrator", status_code=404)

    @override_settings(ROOT_URLCONF=__name__)
    def test_403(self):
        self.login(self.owner)
        response = self.client.get("/forbidden/")
        self.assertContains(response, "Geen toegang", status_code=403)

    @override_settings(ROOT_URLCONF=__name__)
    def test_400(self):
        self.login(self.owner)
        response = self.client.get("/bad/")
        self.assertContains(response, "Ongeldig verzoek", status_code=400)

    @override_settings(ROOT_URLCONF=__name__)
    def test_500(self):
        self.login(self.owner)
        self.client.raise_request_exception = False
        with self.assertLogs("django.request", "ERROR"):
            response = self.client.get("/broken/")
        self.assertContains(response, "Er ging iets mis", status_code=500)
        self.assertNotContains(response, "boom", status_code=500)
        self.assertNotContains(response, "e-mail", status_code=500)

    def test_500_needs_no_user_and_no_database(self):
        request = RequestFactory().get("/")
        with self.assertNumQueries(0):
            response = defaults.server_error(request)
        self.assertContains(response, "Er ging iets mis", status_code=500)
        self.assertContains(response, 'lang="nl"', status_code=500)

    def test_an_expired_form_gets_the_dutch_csrf_page(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/accounts/login/", {"username": "x", "password": "y"})
        self.assertContains(response, "Formulier verlopen", status_code=403)
