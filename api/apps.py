from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The partner API: REST endpoints for signals, cases and tasks, for
    clients of the partner organisations (docs/api.md)."""

    name = "api"
    verbose_name = "API"
