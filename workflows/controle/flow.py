"""The work on a integrale controle case as a viewflow flow (casework.flows):
one human task per phase, the gateways derived from the machine's
transitions."""

from django.utils.translation import gettext_lazy as _

from casework.flows import Phase, build_flow
from permissions.models import Role

from .machine import ControleCase, ControleStatus

C = ControleStatus

ControleFlow = build_flow(
    "ControleFlow",
    ControleCase,
    [
        Phase("triage", _("Weigh the signals"), Role.COORDINATOR, (C.C00, C.C10)),
        Phase(
            "prepare",
            _("Prepare and plan the visit"),
            Role.COORDINATOR,
            (C.C20, C.C25, C.C75),
        ),
        Phase("visit", _("Carry out the visit"), Role.TOEZICHT, (C.C30, C.C35, C.C40)),
        Phase(
            "aborted", _("Decide after the aborted visit"), Role.COORDINATOR, (C.C45,)
        ),
        Phase("findings", _("Decide the follow-up"), Role.COORDINATOR, (C.C50,)),
        Phase(
            "follow_up",
            _("Follow up and give feedback"),
            Role.COORDINATOR,
            (C.C60, C.C70),
        ),
    ],
    """Integrale controle

    The work of the bestuurlijk interventieteam on one address, phase by phase.""",
    module=__name__,
)
