"""The last onder dwangsom / sluiting registers itself with the kernel."""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from casework import registry
from permissions.figures import Family
from permissions.models import Role

from . import ledger, letters, prefill, urls
from .flow import LodFlow
from .machine import CODE, LodCase
from .steps import LOD_STEPS, procedure_actions, scenario_facts, step_initial
from .views import lod_context

registry.register_case_type(
    registry.CaseTypeEntry(
        code=CODE,
        label=_("Penalty order / closure (art. 13b Opiumwet)"),
        proxy=LodCase,
        default_data_class="D0",
        flow=LodFlow,
        steps={
            name: replace(step, initial=step_initial)
            for name, step in LOD_STEPS.items()
        },
        prefill=prefill.prefill,
        # The dwangsom ledger (A70–A76): its balance and the money steps that
        # are not transitions.
        balance=ledger.balance,
        actions={**ledger.actions(), **procedure_actions()},
        facts=scenario_facts,
        # The burgemeester takes the besluiten (Opiumwet 13b, Gemw 174).
        competence=lambda case: "burgemeester",
        order=10,
    )
)
registry.add_case_urls(urls.case_urlpatterns)
registry.add_urls(urls.urlpatterns)
registry.add_sections(
    registry.Section(
        "has_assessment", "lod.LodAssessment", data_class="D2", label=_("Assessment")
    ),
    registry.Section(
        "has_decision", "lod.LodDecision", data_class="D2", label=_("Decision")
    ),
)
registry.add_panel(
    registry.Panel("lod/_panel.html", lod_context, order=50, case_types=(CODE,))
)
registry.add_letters(
    *(
        registry.Letter(
            template, case_types=(CODE,), **letters.procedure_offer(template.key)
        )
        for template in letters.LOD_TEMPLATES.values()
        if template.key not in ledger.COLLECTION_LETTER_KEYS
    )
)
# The collection letters: only at their step, only to the roles that send them.
registry.add_letters(*ledger.collection_letters(CODE))
registry.add_demo("workflows.lod.demo.seed", order=10)

# The steering figures of this case type (issue 18, docs/steering.md): who
# sees its small numbers as they are, and the status events it counts.
registry.add_figures(
    family=Family(
        CODE,
        _("Penalty order / closure (art. 13b Opiumwet)"),
        exact_roles=frozenset({Role.BURGEMEESTER, Role.JURIST, Role.COORDINATOR}),
    ),
    indicators=[
        registry.Indicator(
            "LOD.imposed",
            _("Penalty orders imposed"),
            CODE,
            statuses=("A40",),
            order=10,
        ),
        registry.Indicator(
            "LOD.closure",
            _("Closure orders imposed"),
            CODE,
            statuses=("A41",),
            order=20,
        ),
        registry.Indicator(
            "LOD.closed",
            _("Premises closed by order"),
            CODE,
            statuses=("A82",),
            order=30,
        ),
        registry.Indicator(
            "LOD.forfeited", _("Penalties forfeited"), CODE, statuses=("A70",), order=40
        ),
    ],
)
