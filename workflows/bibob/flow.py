"""The work on a Wet Bibob toets case as a viewflow flow (casework.flows):
one human task per phase, the gateways derived from the machine's
transitions."""

from django.utils.translation import gettext_lazy as _

from casework.flows import Phase, build_flow
from permissions.models import Role

from .machine import BibobCase, BibobStatus

B = BibobStatus

BibobFlow = build_flow(
    "BibobFlow",
    BibobCase,
    [
        Phase("intake", _("Intake and screening"), Role.BIBOB, (B.B00, B.B05, B.B10)),
        Phase("questionnaire", _("Questionnaire"), Role.BIBOB, (B.B20, B.B21)),
        Phase(
            "investigate",
            _("Own investigation and conclusion"),
            Role.BIBOB,
            (B.B30, B.B35, B.B43),
        ),
        Phase("intend", _("Decide on the intention"), Role.BURGEMEESTER, (B.B36,)),
        Phase("advice", _("Await the LBB advice"), Role.BIBOB, (B.B40, B.B41, B.B42)),
        Phase("verify", _("Verify the advice"), Role.BIBOB, (B.B45, B.B46)),
        Phase("weigh", _("Weigh and decide"), Role.BURGEMEESTER, (B.B50,)),
        Phase("views", _("Views on the intention"), Role.BIBOB, (B.B60,)),
        Phase("decide", _("Take the decision"), Role.BURGEMEESTER, (B.B65,)),
        Phase(
            "notify",
            _("Make the decision known"),
            Role.BIBOB,
            (B.B22, B.B70, B.B71, B.B72, B.B73),
        ),
        Phase("close", _("Close the case"), Role.BIBOB, (B.B75, B.B90)),
    ],
    """Wet Bibob toets

    The screening of an application or beschikking, phase by phase.""",
    module=__name__,
)
