from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalProtectionConfig(AppConfig):
    name = "workflows.legal_protection"
    label = "legal_protection"
    verbose_name = _("Legal protection")

    def ready(self) -> None:
        # Tells the kernel's registry what this package adds (registration.py).
        from . import registration  # noqa: F401
