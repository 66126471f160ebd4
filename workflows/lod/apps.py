from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LodConfig(AppConfig):
    name = "workflows.lod"
    label = "lod"
    verbose_name = _("Last onder dwangsom / sluiting")

    def ready(self) -> None:
        # Tells the kernel's registry what this package adds (registration.py).
        from . import registration  # noqa: F401
