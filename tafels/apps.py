from django.apps import AppConfig


class TafelsConfig(AppConfig):
    name = "tafels"
    label = "tafels"
    verbose_name = "Tafels"

    def ready(self):
        from . import registration  # noqa: F401
