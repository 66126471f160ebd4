from django.conf import settings
from django.core.checks import Error, register


@register()
def secret_key_check(app_configs, **kwargs):
    """A missing SECRET_KEY outside the demo stops the server from starting."""
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
