from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ControleConfig(AppConfig):
    name = "workflows.controle"
    label = "controle"
    verbose_name = _("Integrale controle")

    def ready(self) -> None:
        # Tells the kernel's registry what this package adds (registration.py).
        from . import registration  # noqa: F401
