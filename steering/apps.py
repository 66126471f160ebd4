from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "steering"
    label = "steering"
    verbose_name = "Steering"

    def ready(self):
        from . import registration  # noqa: F401
