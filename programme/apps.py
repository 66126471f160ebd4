from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "programme"
    label = "programme"
    verbose_name = "Programme"

    def ready(self):
        from . import registration  # noqa: F401
