"""What the programme app registers with the kernel: the menu entry
"Programma" for the steering viewers (each page then asks
`permissions.figures.programme_access`), and the demo's work plan."""

from django.utils.translation import gettext_lazy as _

from casework import registry
from permissions.figures import STEERING_ROLES

registry.add_menu(
    registry.MenuEntry(
        _("Programme"), "programme:programme_list", STEERING_ROLES, order=86
    )
)
registry.add_demo("programme.demo.seed", order=96)
