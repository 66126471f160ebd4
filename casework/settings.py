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
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", "60"),
            # Parameters bound on the server, and a statement prepared once it
            # has run five times on a connection: PostgreSQL then reuses its
            # plan instead of planning every query of every request (0.2-0.9
            # ms each; together 1.5-2 ms of the case page and Mijn werk at 1M,
            # docs/performance.md). Django turns preparing off by default for
            # connection poolers: behind PgBouncer in transaction mode (before
            # 1.21, or without max_prepared_statements) set OPTIONS to {}.
            # Plans are per connection, so they pay off with CONN_MAX_AGE > 0.
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
    "permissions",
    "casework",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "casework.middleware.LoginRequiredMiddleware",
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

WSGI_APPLICATION = "casework.wsgi.application"

DATABASES = {
    "default": database_from_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Guardian's anonymous user is not used: every page needs a login.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

_VALIDATORS = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _VALIDATORS + "UserAttributeSimilarityValidator"},
    {"NAME": _VALIDATORS + "MinimumLengthValidator"},
    {"NAME": _VALIDATORS + "CommonPasswordValidator"},
]

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# The interface is Dutch for everyone, whatever the browser asks for: no
# LocaleMiddleware. English is the source language of the code.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "casework" / "assets"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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

# Celery: used only when CELERY_BROKER_URL is set; every job also runs as a
# management command, so the embedded default needs no broker.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The list index's covering columns (INCLUDE) exist on PostgreSQL only; SQLite
# builds the same index without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
