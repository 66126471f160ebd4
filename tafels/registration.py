"""What the tafels add to the kernel: a menu entry for the roles that sit at
tables, and the demo's table with a meeting."""

from django.utils.translation import gettext_lazy as _

from casework import registry
from permissions.policy import TABLE_ROLES

registry.add_menu(
    registry.MenuEntry(_("Tables"), "tafels:table_list", TABLE_ROLES, order=80)
)
registry.add_demo("tafels.demo.seed", order=90)
