from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from casework.services import OWN_TEAM_RULES

        from . import pga_services

        OWN_TEAM_RULES["PGA"] = pga_services.referral_from_signal
