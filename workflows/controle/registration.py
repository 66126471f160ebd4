"""The integrale controle registers itself with the kernel."""

from django.utils.translation import gettext_lazy as _

from casework import registry
from casework.steps import Step, nothing
from permissions.models import Role

from . import letters, prefill, urls
from .flow import ControleFlow
from .machine import CODE, ControleCase

registry.register_case_type(
    registry.CaseTypeEntry(
        code=CODE,
        label=_("Integrated inspection"),
        proxy=ControleCase,
        default_data_class="D0",
        flow=ControleFlow,
        # The feedback step calls for its letter.
        steps={"give_feedback": Step(None, nothing, letter="terugkoppeling_controle")},
        prefill=prefill.prefill,
        order=30,
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
registry.add_letters(
    *(
        registry.Letter(template, case_types=(CODE,))
        for template in letters.CONTROLE_TEMPLATES.values()
    )
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
