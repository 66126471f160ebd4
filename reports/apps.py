from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        from . import registration  # noqa: F401
