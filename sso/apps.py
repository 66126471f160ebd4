from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "sso"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        from casework import registry

        # The demo beheerder gets the admin pages of the mappings (demo.py).
        registry.add_demo("sso.demo.seed", order=90)
