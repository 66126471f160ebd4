"""The OpenID Connect provider the single sign-on tests run against: the
Django project in `tests/sso/provider` (django-oauth-toolkit's OIDC mode)
under gunicorn on a free port of 127.0.0.1, with an RSA key made for this
run and its own SQLite file. Started once per test run, on first use, and
stopped when the run ends. Tokens are real: the tests drive the code flow
over HTTP, the provider signs, Casework fetches its keys.
"""

import atexit
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

from django.conf import settings

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

PASSWORD = "wachtwoord-bij-de-provider"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rsa_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class Provider:
    def __init__(self):
        self.folder = tempfile.TemporaryDirectory(prefix="casework-oidc-")
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.issuer = self.origin + "/o"
        self.testing_token = secrets.token_urlsafe(32)
        self.env = {
            **_environment(),
            "DJANGO_SETTINGS_MODULE": "tests.sso.provider.settings",
            "PROVIDER_SECRET_KEY": secrets.token_urlsafe(50),
            "PROVIDER_DATABASE": str(Path(self.folder.name) / "provider.sqlite3"),
            "PROVIDER_RSA_KEY": rsa_pem(),
            "PROVIDER_ISSUER": self.issuer,
            "PROVIDER_TESTING_TOKEN": self.testing_token,
        }
        self.process = None

    def start(self) -> None:
        run = {"cwd": settings.BASE_DIR, "env": self.env}
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--run-syncdb", "-v0"],
            check=True,
            timeout=START_SECONDS,
            **run,
        )
        self.log = open(Path(self.folder.name) / "provider.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.sso.provider.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],  # fmt: skip
            stdout=self.log,
            stderr=subprocess.STDOUT,
            **run,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                requests.get(self.discovery_url, timeout=2).raise_for_status()
                return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"The test OpenID Connect provider did not start:\n{self.logs()}"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.folder.cleanup()

    def logs(self) -> str:
        path = Path(self.folder.name) / "provider.log"
        return path.read_text() if path.exists() else ""

    @property
    def discovery_url(self) -> str:
        return self.issuer + "/.well-known/openid-configuration"

    # The tests' hand on the provider ------------------------------------------

    def _post(self, path: str, data: dict) -> None:
        response = requests.post(
            self.origin + path,
            data=json.dumps(data),
            headers={"X-Testing-Token": self.testing_token},
            timeout=10,
        )
        response.raise_for_status()

    def put_user(self, username: str, claims: dict, tamper: dict | None = None) -> None:
        """A user of the provider with these claims (set anew on each call)."""
        self._post(
            "/testing/user/",
            {
                "username": username,
                "password": PASSWORD,
                "claims": claims,
                "tamper": tamper or {},
            },
        )

    def put_client(self, client_id: str, secret: str, redirect_uris, logout_uris=()):
        self._post(
            "/testing/client/",
            {
                "client_id": client_id,
                "client_secret": secret,
                "redirect_uris": list(redirect_uris),
                "post_logout_redirect_uris": list(logout_uris),
            },
        )

    def authorize(self, authorize_url: str, username: str) -> str:
        """A person at the provider: opens the authorization URL, logs in,
        and is sent back; the URL it is sent back to (with code and state)."""
        browser = requests.Session()
        url = authorize_url
        for _hop in range(10):
            response = browser.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and 'name="password"' in response.text:
                response = browser.post(
                    url,
                    data={
                        "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
                        "username": username,
                        "password": PASSWORD,
                        "next": _query_value(url, "next"),
                    },
                    allow_redirects=False,
                    timeout=10,
                )
            if response.status_code != 302:
                raise AssertionError(
                    f"The provider answered {response.status_code} at {url}:\n"
                    f"{response.text[:2000]}"
                )
            url = urljoin(url, response.headers["Location"])
            if not url.startswith(self.origin):
                return url
        raise AssertionError("The provider kept redirecting.")


def _query_value(url: str, name: str) -> str:
    return parse_qs(urlsplit(url).query).get(name, [""])[0]


def _environment() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}


_PROVIDER: Provider | None = None


def provider() -> Provider:
    """The run's provider, started on first use and stopped at exit."""
    global _PROVIDER
    if _PROVIDER is None:
        started = Provider()
        started.start()
        atexit.register(started.stop)
        _PROVIDER = started
    return _PROVIDER
