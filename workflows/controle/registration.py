"""The integrale controle registers itself with the kernel."""

from django.utils.translation import gettext_lazy as _

from celery.schedules import crontab

from casework import registry
from casework.models import CaseEvent
from permissions.figures import Family
from permissions.models import Role

from . import letters, prefill, urls
from .actions import CONTROLE_ACTIONS, record_facts
from .flow import ControleFlow
from .machine import CODE, ControleCase
from .steps import CONTROLE_STEPS

registry.register_case_type(
    registry.CaseTypeEntry(
        code=CODE,
        label=_("Integrated inspection"),
        proxy=ControleCase,
        default_data_class="D0",
        flow=ControleFlow,
        # The visit day's dated steps and the feedback step with its letter.
        steps=CONTROLE_STEPS,
        prefill=prefill.prefill,
        order=30,
        # Planning, slots, briefing, findings, follow-up and referrals.
        actions=CONTROLE_ACTIONS,
        facts=record_facts,
    )
)
registry.add_case_urls(urls.case_urlpatterns)
registry.add_urls(urls.urlpatterns)
for label, url_name in (
    (_("Planning"), "casework:controle_planning"),
    (_("Briefing"), "casework:controle_briefing"),
    (_("Findings"), "casework:controle_findings"),
):
    # Partners see their own slot, the briefing and their own findings there.
    registry.add_case_links(CODE, registry.CaseLink(label, url_name, outcome_page=True))
coordinator = frozenset({Role.COORDINATOR})
registry.add_menu(
    registry.MenuEntry(_("Selection board"), "casework:controle_board", coordinator),
    registry.MenuEntry(
        _("Intervention team"), "casework:controle_dashboard", coordinator
    ),
)


def _reached(status: str):
    """Whether the case ever entered `status` (its history says so)."""

    def reached(case) -> bool:
        return CaseEvent.objects.filter(
            case_id=case.pk, kind=CaseEvent.Kind.STATUS, to_status=status
        ).exists()

    reached.__name__ = f"reached_{status}"
    return reached


# §4.5: the bezoekrapport records the visit, so it exists once the visit was
# carried out (C40 → C50); the municipality that led the visit writes it. The
# terugkoppelingsbrief records the feedback step (C60 → C70) and is the
# coordinator's or the jurist's.
registry.add_letters(
    registry.Letter(
        letters.BEZOEKRAPPORT,
        case_types=(CODE,),
        roles=frozenset({Role.COORDINATOR, Role.JURIST, Role.TOEZICHT}),
        offered_when=_reached("C50"),
    ),
    registry.Letter(
        letters.TERUGKOPPELING,
        case_types=(CODE,),
        roles=frozenset({Role.COORDINATOR, Role.JURIST}),
        offered_when=_reached("C70"),
    ),
)
# Each partner's findings in its own compartment (docs/access.md): a reader
# sees its own organisation's, and another's when its role reads the class and
# the finding is shareable; the coordinator and the jurist read every
# compartment their role's classes allow; fiscal findings never reach private
# parties (WGS 1.5 lid 4, 1.7 lid 6). A partner records its own organisation's
# findings when the matrix gives it "own" on their class.
registry.add_sections(
    registry.Section(
        "has_findings",
        "controle.Finding",
        data_class="",
        label=_("Findings"),
        kind="finding",
        outcome_readers=True,
        own_organisation=True,
        all_compartments=frozenset({Role.COORDINATOR, Role.JURIST}),
        private_excluded=True,
        # Each partner records its own findings (police D3, OM D4, fiscal D6).
        own_items=True,
    )
)
registry.add_demo("workflows.controle.demo.seed", order=30)
registry.add_periodic_task(
    registry.PeriodicTask(
        "controle-refresh-board",
        "workflows.controle.tasks.refresh_board",
        # Just after midnight: the board's window moves by a day (ranks.py).
        crontab(minute=5, hour=0),
    )
)

# The steering figures of this case type (issue 18, docs/steering.md): who
# sees its small numbers as they are, and the status events it counts.
registry.add_figures(
    family=Family(
        CODE,
        _("Integrated inspection"),
        exact_roles=frozenset({Role.COORDINATOR, Role.BURGEMEESTER, Role.JURIST}),
    ),
    indicators=[
        registry.Indicator(
            "IC.carried_out",
            _("Inspections carried out"),
            CODE,
            statuses=("C50",),
            order=10,
        ),
        registry.Indicator(
            "IC.aborted", _("Inspections aborted"), CODE, statuses=("C45",), order=20
        ),
    ],
)
