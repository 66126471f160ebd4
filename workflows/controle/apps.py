from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControleConfig(AppConfig):
    name = "workflows.controle"
    label = "controle"
    verbose_name = _("Integrale controle")

    def ready(self) -> None:
        # Tells the kernel's registry what this package adds (registration.py).
        from . import handlers, registration  # noqa: F401

        # The board's ranks follow the signals (handlers.py, ranks.py).
        handlers.connect()
