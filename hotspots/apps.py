from django.apps import AppConfig


class HotspotsConfig(AppConfig):
    name = "hotspots"
    label = "hotspots"
    verbose_name = "Hotspots"

    def ready(self):
        from . import registration  # noqa: F401
