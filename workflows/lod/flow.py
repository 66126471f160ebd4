"""The work on a last onder dwangsom / sluiting case as a viewflow flow
(casework.flows): one human task per phase, the gateways derived from the
machine's transitions."""

from django.utils.translation import gettext_lazy as _

from casework.flows import Phase, build_flow
from permissions.models import Role

from .machine import LodCase, LodStatus

S = LodStatus

LodFlow = build_flow(
    "LodFlow",
    LodCase,
    [
        Phase("assess", _("Assess the report"), Role.JURIST, (S.A00, S.A10)),
        Phase("warning", _("Finish the warning"), Role.JURIST, (S.A15,)),
        Phase("views", _("Views on the intention"), Role.JURIST, (S.A20, S.A25)),
        Phase("decide", _("Take the decision"), Role.BURGEMEESTER, (S.A30,)),
        Phase(
            "notify", _("Make the decision known"), Role.JURIST, (S.A40, S.A41, S.A45)
        ),
        Phase("grace", _("Re-inspect after the grace period"), Role.TOEZICHT, (S.A50,)),
        Phase("monitor", _("Monitor the order"), Role.TOEZICHT, (S.A60, S.A61)),
        Phase("forfeited", _("Handle the forfeiture"), Role.JURIST, (S.A70, S.A80)),
        Phase("collect_decision", _("Decide on collection"), Role.JURIST, (S.A71,)),
        Phase("collect", _("Collect"), Role.INVORDERING, (S.A72, S.A73, S.A74, S.A84)),
        Phase("closure", _("Carry out the closure"), Role.TOEZICHT, (S.A81, S.A82)),
        Phase("lift", _("Decide on the request to lift"), Role.BURGEMEESTER, (S.A90,)),
        Phase("close", _("Close the case"), Role.JURIST, (S.A75, S.A76, S.A83, S.A95)),
    ],
    """Last onder dwangsom / sluiting

    The work on a case under art. 13b Opiumwet or the APV, phase by phase.""",
    module=__name__,
)
