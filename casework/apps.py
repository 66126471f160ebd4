from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case kernel")

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the system checks
            converters,  # noqa: F401 - the "ref" path converter (urls)
        )
