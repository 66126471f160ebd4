"""What the hotspots app registers with the kernel: the menu entries, the
register families of the figures rule, the demo's coordinates, areas and
extracts, and the beat entry that rebuilds the figures."""

from django.utils.translation import gettext_lazy as _

from celery.schedules import crontab

from casework import registry
from permissions.figures import REGISTER_IMPORT_ROLES, STEERING_ROLES, Family
from permissions.models import Role

from .rebuild import KADASTER, KVK, REGISTER_CLASS

# The register extracts are families of their own, counted by every steering
# viewer (identification data, D1); their small numbers are exact for the
# roles that import and work with them.
registry.add_figures(
    family=Family(
        KADASTER,
        _("Ownership changes"),
        exact_roles=REGISTER_IMPORT_ROLES,
        classes=frozenset({REGISTER_CLASS}),
    )
)
registry.add_figures(
    family=Family(
        KVK,
        _("Branch registrations"),
        exact_roles=REGISTER_IMPORT_ROLES,
        classes=frozenset({REGISTER_CLASS}),
    )
)

registry.add_menu(
    registry.MenuEntry(_("Hotspots"), "hotspots:list", STEERING_ROLES, order=62),
    registry.MenuEntry(
        _("Register extracts"),
        "hotspots:register_import",
        REGISTER_IMPORT_ROLES,
        order=63,
    ),
    registry.MenuEntry(
        _("Area boundaries"),
        "hotspots:area_import",
        frozenset({Role.BEHEERDER}),
        order=64,
    ),
)
registry.add_demo("hotspots.demo.seed", order=990)
registry.add_periodic_task(
    registry.PeriodicTask(
        "hotspots-refresh",
        "hotspots.tasks.refresh",
        # Every quarter of an hour: the figures are at most 15 minutes old.
        crontab(minute="*/15"),
    )
)
