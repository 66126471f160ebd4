"""Casework settings.

Everything that differs between deployments comes from the environment through
the strict helpers below; `.env.example` lists every variable with its default.
A fresh checkout runs on SQLite; set DATABASE_URL to use PostgreSQL.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envsecret(name: str) -> str:
    """Read NAME, or the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, "")


def database_from_url(url: str) -> dict:
    parsed = urlparse(url)
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "casework",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            # Each thread of a gunicorn worker keeps its connection this long
            # (checked before reuse), so an instance holds at most workers ×
            # threads of them (docs/deploy.md). Not for runserver: it starts a
            # thread per request and never closes the thread's connection.
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "60"),
            "CONN_HEALTH_CHECKS": envbool("DB_CONN_HEALTH_CHECKS", "true"),
            # Parameters bound on the server, and a statement prepared once it
            # has run five times on a connection: PostgreSQL then reuses its
            # plan instead of planning every query of every request (0.2-0.9
            # ms each; together 1.5-2 ms of the case page and Mijn werk at 1M,
            # docs/performance.md). Django turns preparing off by default for
            # connection poolers: behind PgBouncer in transaction mode (before
            # 1.21, or without max_prepared_statements) set OPTIONS to {}.
            # Plans are per connection, so they pay off with CONN_MAX_AGE > 0.
            # A generic plan cannot use a partial index whose condition a
            # parameter would have to prove: such conditions are literals
            # (casework/expressions.py, docs/architecture.md "Queries").
            "OPTIONS": {"server_side_binding": True, "prepare_threshold": 5},
            "TEST": {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_casework")},
        }
    if parsed.scheme == "sqlite":
        name = unquote(parsed.path)
        if name.startswith("//"):
            name = name[1:]
        else:
            name = name.lstrip("/") or "db.sqlite3"
            name = str(BASE_DIR / name)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with postgresql:// or sqlite://, not {url!r}"
    )


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "casework-demo-only-insecure-key"  # noqa: S105 - demo/DEBUG only
# Without DEBUG an empty key is an error: casework.wsgi refuses to start,
# `check --deploy` reports casework.E001, and Django raises wherever the key is
# read (every request). Commands that need no key (`termijn`) still run.
SECRET_KEY_MISSING = not SECRET_KEY

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip()
    for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    # Local accounts: the second factor (TOTP), lock-out after failed logins,
    # and the Content-Security-Policy header (docs/security.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    # The partner API (docs/api.md): REST framework, its OpenAPI schema, and
    # the OAuth2 provider that issues the clients' tokens.
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    "permissions",
    "casework",
    # Single sign-on through each organisation's OpenID Connect provider
    # (docs/sso.md).
    "sso",
    # The shared legal-protection region, then every case-type package: each
    # folder under workflows/ with an apps.py is installed and registers itself
    # with the kernel's registry (casework/registry.py). A new case type is a
    # new folder; nothing here changes (docs/adding-a-case-type.md).
    "workflows.legal_protection",
    *sorted(
        f"workflows.{apps_py.parent.name}"
        for apps_py in (BASE_DIR / "workflows").glob("*/apps.py")
        if apps_py.parent.name != "legal_protection"
    ),
    # The tafels: ondermijningstafel, veiligheidstafel, handhavingsoverleg
    # (docs/tafels.md); beside the case types, on the kernel.
    "tafels",
    # Addresses, companies and persons from the base registers (docs/lookups.md)
    # and the outgoing webhooks and e-mail (docs/notifications.md).
    "lookups",
    "notifications",
    # Information-led work and steering (issue 18): the indicators and their
    # facts (docs/steering.md), the hotspots and their map (docs/hotspots.md),
    # the programme monitor (docs/programme.md) and the governance reports on
    # top of them (docs/reports.md).
    "steering",
    "hotspots",
    "programme",
    "reports",
    # The partner API on top of all (docs/api.md).
    "api",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id (casework/logging.py).
    "casework.logging.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (collectstatic), before anything that
    # needs a session or a login.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The CSP, then Cache-Control: no-store on every response of a view
    # (casework/headers.py, docs/security.md).
    "csp.middleware.CSPMiddleware",
    "casework.headers.ResponseHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "casework.middleware.LoginRequiredMiddleware",
    # Partner, FG and beheerder accounts pass the second factor before any
    # other page (casework/accounts.py); then django-axes' lock-out answer.
    "casework.accounts.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casework.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Forms are drawn by Django's own Jinja2 templates of its forms and widgets
# (django/forms/jinja2/): the markup of its Django templates, which a page of
# a dozen forms (the PGA case file) spent a third of its time in; the admin's
# widgets keep Django's (casework/renderers.py; tests/casework/
# test_form_renderer.py compares the two).
FORM_RENDERER = "casework.renderers.FormRenderer"

WSGI_APPLICATION = "casework.wsgi.application"

DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses every login attempt of a locked-out account or address.
    "axes.backends.AxesStandaloneBackend",
    # An account made by single sign-on has no password login (sso/backends.py).
    "sso.backends.ProviderAccountGuard",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
    # Single sign-on: only for a provider's callback (sso/views.py).
    "sso.backends.ProviderBackend",
]
# Guardian's anonymous user is not used: every page needs a login.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

_VALIDATORS = "django.contrib.auth.password_validation."
# Applied wherever a user chooses a password (reset, change); the demo users
# get theirs directly ("demo", casework/demo.py), without validation.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _VALIDATORS + "UserAttributeSimilarityValidator"},
    {
        "NAME": _VALIDATORS + "MinimumLengthValidator",
        "OPTIONS": {"min_length": envint("PASSWORD_MIN_LENGTH", "12")},
    },
    {"NAME": _VALIDATORS + "CommonPasswordValidator"},
    {"NAME": _VALIDATORS + "NumericPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Lock-out (django-axes, docs/security.md): after AXES_FAILURE_LIMIT failed
# logins an account, and separately an address, is refused for the cool-off,
# the right password included; a success resets the count of its account and
# address. AXES_PROXY_COUNT: the number of reverse proxies in front of the app
# (0: the address is REMOTE_ADDR; otherwise read from X-Forwarded-For).
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", "30") / 60  # hours
# "username,ip_address": each counted on its own. Where many users share one
# address (an office behind NAT) "username,ip_address+username" keeps the
# per-account lock and drops the per-address one (docs/security.md).
AXES_LOCKOUT_PARAMETERS = [
    part.split("+") if "+" in part else part
    for part in os.environ.get("AXES_LOCKOUT_PARAMETERS", "username,ip_address")
    .replace(" ", "")
    .split(",")
    if part
]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.accounts.locked_out"
AXES_VERBOSE = False
_PROXY_COUNT = envint("AXES_PROXY_COUNT", "0")
if _PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = _PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# The second factor (TOTP, django-otp): the roles that must pass it after the
# password (comma-separated). Off by default only in the demo (DEBUG), which
# says so on its login page; casework.test_settings turns it off too.
CASEWORK_OTP_REQUIRED_ROLES = frozenset(
    role.strip()
    for role in os.environ.get(
        "CASEWORK_OTP_REQUIRED_ROLES", "" if DEBUG else "partner,fg,beheerder"
    ).split(",")
    if role.strip()
)
# The issuer shown in the authenticator app.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Casework")
# A session signed in through an identity provider owes no Casework code: the
# provider asks its own second factor (docs/sso.md "Second factor").
CASEWORK_OTP_EXEMPT_BACKENDS = ["sso.backends.ProviderBackend"]
# mozilla-django-oidc (docs/sso.md): requests to the providers, the ID token
# kept in the session for the provider's logout.
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", "10")
OIDC_VERIFY_SSL = envbool("OIDC_VERIFY_SSL", "true")
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_URL_METHOD = "sso.views.provider_logout_url"

# Mail (password reset, admin notices): SMTP from the environment, the console
# in the demo. A failure to send is an error the user sees, never swallowed.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "10")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "casework@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", str(3600))

# The interface is Dutch for everyone, whatever the browser asks for: no
# LocaleMiddleware. English is the source language of the code.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# `make serve` collects the static files here; WhiteNoise serves them, gzip-
# compressed, cached by browsers for WHITENOISE_MAX_AGE (60 s). No hashed
# names: viewflow's bundled CSS names font files its wheel does not ship,
# which Django's manifest storage refuses to collect (docs/deploy.md).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "casework" / "assets"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Sessions and headers (docs/security.md has the table). A session ends after
# SESSION_COOKIE_AGE seconds, at browser close if asked, and on a password
# change (Django checks the password hash kept in every session).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = envbool("SESSION_EXPIRE_AT_BROWSER_CLOSE", "false")
# SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE, when set and not empty,
# override SECURE_COOKIES one by one.
SESSION_COOKIE_SECURE = envbool(
    "SESSION_COOKIE_SECURE"
    if os.environ.get("SESSION_COOKIE_SECURE")
    else "SECURE_COOKIES",
    "false",
)
CSRF_COOKIE_SECURE = envbool(
    "CSRF_COOKIE_SECURE" if os.environ.get("CSRF_COOKIE_SECURE") else "SECURE_COOKIES",
    "false",
)
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
# HSTS is sent on HTTPS responses only; on by default outside the demo.
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "false")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere: everything comes from our static files.
# CSP_FORM_ACTION_EXTRA: origins a form may post to besides this one (an
# identity provider's logout); CSP_REPORT_ONLY: report, do not block.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": [
            "'self'",
            *os.environ.get("CSP_FORM_ACTION_EXTRA", "").split(),
        ],
    }
}
# The hotspot map's optional online base layer (docs/hotspots.md): a WMTS
# tile template in the RD tile matrix set with {z}, {x} and {y}, such as
# https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:28992/{z}/{x}/{y}.png
# Empty (the default): the map draws its vectors only. Its origin is added
# to the CSP's img-src.
HOTSPOTS_BASE_LAYER_URL = os.environ.get("HOTSPOTS_BASE_LAYER_URL", "")
if HOTSPOTS_BASE_LAYER_URL:
    _tiles = urlparse(HOTSPOTS_BASE_LAYER_URL)
    if _tiles.scheme != "https" or not _tiles.netloc:
        raise ImproperlyConfigured("HOTSPOTS_BASE_LAYER_URL must be an https URL")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles.scheme}://{_tiles.netloc}"
    )
if envbool("CSP_REPORT_ONLY", "false"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY
    CONTENT_SECURITY_POLICY = None

# Letterhead for generated letters (overridable per deployment).
CASEWORK_MUNICIPALITY = os.environ.get("CASEWORK_MUNICIPALITY", "Gemeente Venlo")
CASEWORK_DEPARTMENT = os.environ.get(
    "CASEWORK_DEPARTMENT", "Openbare Orde en Veiligheid"
)
# Address lines separated by "|".
CASEWORK_ADDRESS = os.environ.get("CASEWORK_ADDRESS", "Postbus 3434|5902 RK Venlo")
CASEWORK_SIGNER_TITLE = os.environ.get(
    "CASEWORK_SIGNER_TITLE", "De burgemeester van Venlo"
)


def envbody(key: str, **defaults: str) -> dict:
    """One body that takes besluiten or signs letters (casework/competence.py,
    docs/letters.md), from CASEWORK_BODY_<KEY>_<PART> with the demo defaults:
    NAME (in running text), SIGNER (above the signature), SIGNATURE (officials
    who sign for the body itself, "|"-separated), ADDRESS (postal address for
    bezwaarschriften, "|"-separated), MANDATE (function of the official who
    signs under mandate), COLLEGIAL and AUTHORITY (true/false)."""
    prefix = f"CASEWORK_BODY_{key.upper()}_"

    def part(name: str) -> str:
        return os.environ.get(prefix + name, defaults.get(name.lower(), "")).strip()

    body = {
        "name": part("NAME"),
        "signer": part("SIGNER"),
        "signature": part("SIGNATURE"),
        "address": part("ADDRESS"),
        "mandate": part("MANDATE"),
        "collegial": envbool(prefix + "COLLEGIAL", defaults.get("collegial", "false")),
        "authority": envbool(prefix + "AUTHORITY", defaults.get("authority", "true")),
    }
    for required in ("name", "signer", "address"):
        if not body[required]:
            raise ImproperlyConfigured(
                f"{prefix}{required.upper()} must be set for the body {key!r}"
            )
    return body


# The bodies of the municipality. burgemeester, college and raad always exist;
# CASEWORK_OTHER_BODIES names the others (comma-separated keys), each
# configured with its own CASEWORK_BODY_<KEY>_* variables.
_OTHER_BODY_DEFAULTS = {
    "zvh": {
        "name": "het Zorg- en Veiligheidshuis Limburg-Noord",
        "signer": "Zorg- en Veiligheidshuis Limburg-Noord",
        "signature": "de procesregisseur",
        "address": "Postbus 3434|5902 RK Venlo",
        "authority": "false",
    },
}
CASEWORK_OTHER_BODIES = [
    key.strip().lower()
    for key in os.environ.get("CASEWORK_OTHER_BODIES", "zvh").split(",")
    if key.strip()
]
CASEWORK_BODIES = {
    "burgemeester": envbody(
        "burgemeester",
        name="de burgemeester van Venlo",
        signer="De burgemeester van Venlo",
        address="Postbus 3434|5902 RK Venlo",
        mandate="teamleider Openbare Orde en Veiligheid",
    ),
    "college": envbody(
        "college",
        name="het college van burgemeester en wethouders van Venlo",
        signer="Burgemeester en wethouders van Venlo",
        signature="de secretaris|de burgemeester",
        address="Postbus 3434|5902 RK Venlo",
        mandate="teamleider Vergunningen, Toezicht en Handhaving",
        collegial="true",
    ),
    "raad": envbody(
        "raad",
        name="de raad van de gemeente Venlo",
        signer="De raad van de gemeente Venlo",
        signature="de griffier|de voorzitter",
        address="Postbus 3434|5902 RK Venlo",
        collegial="true",
    ),
    **{
        key: envbody(key, **_OTHER_BODY_DEFAULTS.get(key, {}))
        for key in CASEWORK_OTHER_BODIES
    },
}
# The rechtbank competent for the municipality's besluiten (Awb 8:7): named in
# the bezwaar clause (voorlopige voorziening, Awb 8:81) and the beroep clause.
CASEWORK_COURT_NAME = os.environ.get("CASEWORK_COURT_NAME", "rechtbank Limburg")
CASEWORK_COURT_ADDRESS = os.environ.get(
    "CASEWORK_COURT_ADDRESS", "Postbus 950|6040 AZ Roermond"
)
CASEWORK_COURT_WEBSITE = os.environ.get("CASEWORK_COURT_WEBSITE", "www.rechtspraak.nl")

# "Mijn werk" and the deadline sweep look this many working days ahead.
# The municipality's account for dwangsom payments, printed on the
# invorderingsbeschikking (Awb 4:89); empty: the demo's (workflows/lod/ledger.py).
CASEWORK_BANK_ACCOUNT = os.environ.get("CASEWORK_BANK_ACCOUNT", "")
CASEWORK_REMINDER_WORKING_DAYS = envint("CASEWORK_REMINDER_WORKING_DAYS", "5")
# Denied requests write at most this many access-log rows per user and minute
# (counted in the cache), so refusals cannot flood the log (docs/access.md).
CASEWORK_DENIED_LOG_PER_MINUTE = envint("CASEWORK_DENIED_LOG_PER_MINUTE", "30")
# The signal import (docs/import.md): the largest CSV file in bytes, the most
# rows of one file, and how many hours an unconfirmed upload is kept.
CASEWORK_IMPORT_MAX_BYTES = envint("CASEWORK_IMPORT_MAX_BYTES", "2000000")
CASEWORK_IMPORT_MAX_ROWS = envint("CASEWORK_IMPORT_MAX_ROWS", "1000")
CASEWORK_IMPORT_KEEP_HOURS = envint("CASEWORK_IMPORT_KEEP_HOURS", "24")
# An unknown action or object kind asked of the decision point raises instead
# of being refused (on in DEBUG and in the tests).
CASEWORK_STRICT_POLICY = DEBUG
# The key of the access log's HMAC chain (docs/access.md): required when DEBUG
# is off, never stored in the database. ACCESS_LOG_KEY_FILE works too.
ACCESS_LOG_KEY = envsecret("ACCESS_LOG_KEY")
# Parallel chains of the log (writers wait only when all are busy), and a
# signed checkpoint every N rows of a chain, also appended to the file if set.
ACCESS_LOG_SHARDS = envint("ACCESS_LOG_SHARDS", "16")
ACCESS_LOG_CHECKPOINT_EVERY = envint("ACCESS_LOG_CHECKPOINT_EVERY", "1000")
ACCESS_LOG_CHECKPOINT_FILE = os.environ.get("ACCESS_LOG_CHECKPOINT_FILE", "")

# Lookups in the base registers (docs/lookups.md): the BAG, the KvK and the
# BRP. A service is offered only when its URL and key are set (the BRP also
# needs the organisation's OIN); keys from the environment or *_FILE, never
# from the repository. Timeouts in seconds.
LOOKUP_BAG_URL = os.environ.get("LOOKUP_BAG_URL", "")
LOOKUP_BAG_API_KEY = envsecret("LOOKUP_BAG_API_KEY")
LOOKUP_BAG_TIMEOUT = float(os.environ.get("LOOKUP_BAG_TIMEOUT", "5"))
LOOKUP_KVK_URL = os.environ.get("LOOKUP_KVK_URL", "")
LOOKUP_KVK_API_KEY = envsecret("LOOKUP_KVK_API_KEY")
LOOKUP_KVK_TIMEOUT = float(os.environ.get("LOOKUP_KVK_TIMEOUT", "5"))
LOOKUP_BRP_URL = os.environ.get("LOOKUP_BRP_URL", "")
LOOKUP_BRP_API_KEY = envsecret("LOOKUP_BRP_API_KEY")
LOOKUP_BRP_TIMEOUT = float(os.environ.get("LOOKUP_BRP_TIMEOUT", "5"))
LOOKUP_BRP_OIN = os.environ.get("LOOKUP_BRP_OIN", "")
LOOKUP_BRP_DOELBINDING = os.environ.get("LOOKUP_BRP_DOELBINDING", "BRPACT-Ondermijning")
LOOKUP_BRP_VERWERKING = os.environ.get("LOOKUP_BRP_VERWERKING", "Casework")

# Celery: used only when CELERY_BROKER_URL is set; every job also runs as a
# management command, so the embedded default needs no broker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE

# Outgoing notifications (docs/notifications.md): a webhook delivery's HTTP
# timeouts (connect, read; seconds), and its retries: base x 2^(n-1) seconds
# after failed attempt n, at most MAX_DELAY, +/- JITTER of it at random, up to
# MAX_ATTEMPTS attempts (defaults: 5, 10, 20 ... 640, 1200, 1200 s: about an
# hour). Links in e-mail start with NOTIFICATIONS_SITE_URL.
NOTIFICATIONS_CONNECT_TIMEOUT = envint("NOTIFICATIONS_CONNECT_TIMEOUT", "5")
NOTIFICATIONS_READ_TIMEOUT = envint("NOTIFICATIONS_READ_TIMEOUT", "10")
NOTIFICATIONS_RETRY_BASE_SECONDS = envint("NOTIFICATIONS_RETRY_BASE_SECONDS", "5")
NOTIFICATIONS_RETRY_MAX_DELAY_SECONDS = envint(
    "NOTIFICATIONS_RETRY_MAX_DELAY_SECONDS", "1200"
)
NOTIFICATIONS_RETRY_MAX_ATTEMPTS = envint("NOTIFICATIONS_RETRY_MAX_ATTEMPTS", "11")
NOTIFICATIONS_RETRY_JITTER = float(os.environ.get("NOTIFICATIONS_RETRY_JITTER", "0.1"))
NOTIFICATIONS_SITE_URL = os.environ.get("NOTIFICATIONS_SITE_URL", "")

# Logs go to stderr, one JSON object per line with the request id
# (casework/logging.py); LOG_FORMAT=text for people reading a terminal (the
# default with DEBUG). gunicorn's access log is configured in
# deploy/gunicorn.conf.py.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json").strip().lower()
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
# Take a well-formed X-Request-ID from the proxy in front; false: always a new id.
TRUST_REQUEST_ID = envbool("TRUST_REQUEST_ID", "true")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "casework.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "casework.logging.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
# Load balancers probe the health checks over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]

# The list index's covering columns (INCLUDE) exist on PostgreSQL only; SQLite
# builds the same index without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# The partner API (docs/api.md): OAuth2 client credentials only (bearer
# tokens, never a session), problem details for every error, keyset pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.ClientAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.ClientThrottle"],
    "DEFAULT_THROTTLE_RATES": {"client": os.environ.get("API_RATE", "6000/minute")},
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casework partner API",
    "DESCRIPTION": "Signals, cases, tasks, deadlines and documents for the "
    "partner organisations (docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
# Named, so that the api app's migration can point at the application model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "signals:write": "Submit signals",
        "signals:read": "Read the status of the organisation's signals",
        "cases:read": "Read cases",
        "tasks:read": "Read the organisation's open tasks",
        "tasks:write": "Complete partner tasks",
        "deadlines:read": "Read deadlines",
        "documents:read": "Read and download documents",
    },
    "ACCESS_TOKEN_EXPIRE_SECONDS": envint("API_TOKEN_SECONDS", "3600"),
    # Client secrets are stored hashed (django-oauth-toolkit's default); a
    # client is granted at most the scopes its beheerder gave it.
    "SCOPES_BACKEND_CLASS": "api.auth.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "api.auth.ClientValidator",
    "PKCE_REQUIRED": True,
    # RFC 9700 (OAuth 2.0 Security BCP), ahead of django-oauth-toolkit 4.0's
    # defaults (`manage.py check --deploy` warns otherwise): no implicit or
    # password grant, no plain PKCE, tokens only in the Authorization header,
    # stored hashed, refresh tokens revoked on replay, https redirects only.
    # The API uses client credentials alone; the rest guards against a grant
    # being switched on later.
    **{
        f"COMPLIANT_BCP_RFC9700_{gate}": True
        for gate in (
            "IMPLICIT_GRANT",
            "PASSWORD_GRANT",
            "PKCE_METHOD",
            "ACCESS_TOKEN_TRANSPORT",
            "AUTHZ_RESPONSE_ISS",
            "TOKEN_STORAGE",
            "REFRESH_TOKEN",
            "REDIRECT_URI_SCHEME",
            "REDIRECT_URI_MATCHING",
            "PKCE_REQUIRED",
        )
    },  # fmt: skip
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
