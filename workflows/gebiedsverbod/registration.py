"""The gebiedsverbod / verblijfsontzegging registers itself with the kernel."""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from casework import registry

from . import letters, prefill, urls
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
registry.add_letters(
    *(
        registry.Letter(template, case_types=(CODE,))
        for template in letters.GEBIEDSVERBOD_TEMPLATES.values()
    )
)
registry.add_demo("workflows.gebiedsverbod.demo.seed", order=50)
