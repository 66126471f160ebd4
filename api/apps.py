from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The partner API: REST endpoints for signals, cases and tasks, for
    clients of the partner organisations (docs/api.md)."""

    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from permissions.policy import register_service_accounts

        from . import schema  # noqa: F401  (the security scheme)
        from .models import ApiClient

        # The decision point reads a client's service account through its
        # organisation's team rows (docs/access.md "Service accounts").
        register_service_accounts(lambda: ApiClient.objects.values("user_id"))
        # A client per partner organisation in the demo (api/demo.py).
        from casework.registry import registry

        registry.add_demo("api.demo.seed", order=99)
