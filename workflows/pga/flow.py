"""The work on a persoonsgerichte aanpak case as a viewflow flow (casework.flows):
one human task per phase, the gateways derived from the machine's
transitions."""

from django.utils.translation import gettext_lazy as _

from casework.flows import Phase, build_flow
from permissions.models import Role

from .machine import PgaCase, PgaStatus

P = PgaStatus

PgaFlow = build_flow(
    "PgaFlow",
    PgaCase,
    [
        Phase(
            "intake",
            _("Screen the referral"),
            Role.CASUSREGISSEUR,
            (P.D00, P.D05, P.D10),
        ),
        Phase(
            "triage",
            _("Triage with the public participants"),
            Role.CASUSREGISSEUR,
            (P.D20,),
        ),
        Phase(
            "prepare",
            _("Select participants and hold the case conference"),
            Role.CASUSREGISSEUR,
            (P.D30, P.D35, P.D40),
        ),
        Phase(
            "execute",
            _("Carry out and review the plan"),
            Role.CASUSREGISSEUR,
            (P.D50, P.D60, P.D65),
        ),
        Phase(
            "escalated",
            _("Break through the escalation"),
            Role.CASUSREGISSEUR,
            (P.D70,),
        ),
        Phase(
            "aftercare",
            _("After-care and closure"),
            Role.CASUSREGISSEUR,
            (P.D80, P.D85),
        ),
    ],
    """Persoonsgerichte aanpak

    The work of the Zorg- en Veiligheidshuis on one person, phase by phase.""",
    module=__name__,
)
