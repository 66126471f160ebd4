"""The gebiedsverbod / verblijfsontzegging registers itself with the kernel."""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from casework import registry
from permissions.figures import Family
from permissions.models import Role

from . import letters, prefill, replay, urls
from .flow import GebiedsverbodFlow
from .machine import CODE, GebiedsverbodCase
from .panels import panel_context
from .steps import GEBIEDSVERBOD_STEPS, step_initial

registry.register_case_type(
    registry.CaseTypeEntry(
        code=CODE,
        label=_("Area ban / exclusion order (Gemw 172a, APV)"),
        proxy=GebiedsverbodCase,
        # D0, not D2: the police (a partner, D2 only for its own items) must
        # sit on the team to see the outcome. The besluit itself is held in
        # D2 sections, the violation reports in D3 (docs/domain.md §10.6).
        default_data_class="D0",
        flow=GebiedsverbodFlow,
        steps={
            name: replace(step, initial=step_initial)
            for name, step in GEBIEDSVERBOD_STEPS.items()
        },
        prefill=prefill.prefill,
        # The steps that are not transitions, and the facts of a scenario,
        # for `manage.py replay` (docs/gebiedsverbod.md "Replay").
        actions=replay.ACTIONS,
        facts=replay.record_facts,
        # The burgemeester takes the besluiten (Gemw 172a lid 1; APV).
        competence=lambda case: "burgemeester",
        order=50,
    )
)
registry.add_case_urls(urls.case_urlpatterns)
registry.add_urls(urls.urlpatterns)
registry.add_sections(
    registry.Section(
        "has_gebiedsverbod_measure",
        "gebiedsverbod.Measure",
        data_class="D2",
        label=_("Order"),
    ),
    registry.Section(
        "has_gebiedsverbod_incidents",
        "gebiedsverbod.Incident",
        data_class="D2",
        label=_("Incidents"),
    ),
    registry.Section(
        "has_gebiedsverbod_violations",
        "gebiedsverbod.ViolationReport",
        data_class="D3",
        label=_("Violation reports"),
        # The police (a partner on the team, "own" on D3) report violations:
        # `decide(user, WRITE, "has_gebiedsverbod_violations", ...)`.
        outcome_readers=True,
        own_items=True,
    ),
)
registry.add_case_links(
    CODE,
    registry.CaseLink(
        _("Measure and violation reports"),
        "casework:gebiedsverbod_measure",
        outcome_page=True,
        full_page=False,
    ),
)
registry.add_panel(
    registry.Panel(
        "gebiedsverbod/_panel.html", panel_context, order=50, case_types=(CODE,)
    )
)


def intention_sent(case) -> bool:
    """The voornemen records the intention sent (E10 → E30)."""
    from .measures import Intention

    return Intention.objects.filter(case=case).exists()


def order_signed(case) -> bool:
    """The besluit records the order the burgemeester signed (→ E40)."""
    from .measures import Measure

    return Measure.objects.filter(case=case).exists()


# When each letter is offered (`registry.Letter.offered_when`).
OFFERED_WHEN = {
    "voornemen_gebiedsverbod": intention_sent,
    "besluit_gebiedsverbod": order_signed,
}
# A letter is offered once the step it records exists (the voornemen once the
# intention is sent, the besluit once the burgemeester signed it), and only
# to the jurist who prepares it and the burgemeester who sends it (Gemw 172a:
# the burgemeester's besluit; no police machtiging, 177 lid 2).
LETTER_ROLES = frozenset({Role.JURIST, Role.BURGEMEESTER})
registry.add_letters(
    *(
        registry.Letter(
            template,
            case_types=(CODE,),
            roles=LETTER_ROLES,
            offered_when=OFFERED_WHEN[template.key],
        )
        for template in letters.GEBIEDSVERBOD_TEMPLATES.values()
    )
)
registry.add_demo("workflows.gebiedsverbod.demo.seed", order=50)

# The steering figures of this case type (issue 18, docs/steering.md): who
# sees its small numbers as they are, and the status events it counts.
registry.add_figures(
    family=Family(
        CODE,
        _("Area ban / exclusion order (Gemw 172a, APV)"),
        exact_roles=frozenset({Role.BURGEMEESTER, Role.JURIST}),
    ),
    indicators=[
        registry.Indicator(
            "GBV.imposed", _("Area bans imposed"), CODE, statuses=("E40",), order=10
        ),
        registry.Indicator(
            "GBV.extended", _("Area bans extended"), CODE, statuses=("E70",), order=20
        ),
        registry.Indicator(
            "GBV.violations",
            _("Violations of an area ban reported"),
            CODE,
            statuses=("E60",),
            order=30,
        ),
    ],
)
