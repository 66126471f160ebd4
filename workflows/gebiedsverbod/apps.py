from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GebiedsverbodConfig(AppConfig):
    name = "workflows.gebiedsverbod"
    label = "gebiedsverbod"
    verbose_name = _("Area ban / exclusion order")

    def ready(self) -> None:
        # Tells the kernel's registry what this package adds (registration.py).
        from . import registration  # noqa: F401
