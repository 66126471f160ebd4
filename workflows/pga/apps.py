from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PgaConfig(AppConfig):
    name = "workflows.pga"
    label = "pga"
    verbose_name = _("Persoonsgerichte aanpak")

    def ready(self) -> None:
        # Tells the kernel's registry what this package adds (registration.py).
        from . import registration  # noqa: F401
