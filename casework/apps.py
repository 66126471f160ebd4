from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Case kernel")

    def ready(self) -> None:
        from permissions.policy import membership_statement, register_membership_reader

        from . import (
            checks,  # noqa: F401 - registers the system checks
            converters,  # noqa: F401 - the "ref" path converter (urls)
        )
        from .compiled import Compiled

        # The membership every request reads, compiled once (casework.compiled).
        register_membership_reader(Compiled(membership_statement))
