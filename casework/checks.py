from django.conf import settings
from django.core.checks import Error, register


@register(deploy=True)
def secret_key_check(app_configs, **kwargs):
    """A missing SECRET_KEY outside the demo: `check --deploy` reports it and
    casework.wsgi refuses to start. Development commands (makemigrations,
    termijn) run without it."""
    if not getattr(settings, "SECRET_KEY_MISSING", False):
        return []
    return [
        Error(
            "SECRET_KEY is not set.",
            hint="Set SECRET_KEY or SECRET_KEY_FILE (see .env.example), or run the "
            "demo with DEBUG=true.",
            id="casework.E001",
        )
    ]


@register(deploy=True)
def access_log_key_check(app_configs, **kwargs):
    """Without its key the access log can be neither written nor verified
    (docs/access.md): `check --deploy` reports it before the first request
    fails."""
    if settings.DEBUG or getattr(settings, "ACCESS_LOG_KEY", ""):
        return []
    return [
        Error(
            "ACCESS_LOG_KEY is not set.",
            hint="Set ACCESS_LOG_KEY or ACCESS_LOG_KEY_FILE to a long random value "
            "kept outside the database (see .env.example).",
            id="casework.E002",
        )
    ]
