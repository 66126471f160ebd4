from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BibobConfig(AppConfig):
    name = "workflows.bibob"
    label = "bibob"
    verbose_name = _("Wet Bibob")

    def ready(self) -> None:
        # Tells the kernel's registry what this package adds (registration.py).
        from . import registration  # noqa: F401
