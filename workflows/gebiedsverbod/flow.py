"""The work on a gebiedsverbod case as a viewflow flow (casework.flows): one
human task per phase, the gateways derived from the machine's transitions."""

from django.utils.translation import gettext_lazy as _

from casework.flows import Phase, build_flow
from permissions.models import Role

from .machine import GebiedsverbodCase, GebiedsverbodStatus

S = GebiedsverbodStatus

GebiedsverbodFlow = build_flow(
    "GebiedsverbodFlow",
    GebiedsverbodCase,
    [
        Phase("assess", _("Assess the report"), Role.JURIST, (S.E00, S.E10)),
        Phase("warning", _("Follow up the warning"), Role.JURIST, (S.E20,)),
        Phase("views", _("Views on the intention"), Role.JURIST, (S.E30,)),
        Phase("decide", _("Take the decision"), Role.BURGEMEESTER, (S.E35,)),
        Phase("notify", _("Make the order known"), Role.JURIST, (S.E40, S.E70)),
        Phase("in_force", _("Follow the measure"), Role.JURIST, (S.E50, S.E60)),
        Phase("close", _("Close the case"), Role.JURIST, (S.E80, S.E90, S.E95)),
    ],
    """Gebiedsverbod / verblijfsontzegging

    The burgemeester's order under Gemeentewet art. 172a or the APV, phase by
    phase.""",
    module=__name__,
)
