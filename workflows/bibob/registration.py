"""The Wet Bibob toets registers itself with the kernel."""

from django.utils.translation import gettext_lazy as _

from casework import registry
from permissions.decision import SectionRule, declare_section
from permissions.figures import Family
from permissions.models import Role

from . import competent_body, letters, offers, prefill, replay, urls
from .flow import BibobFlow
from .machine import CODE, BibobCase
from .steps import BIBOB_STEPS

registry.register_case_type(
    registry.CaseTypeEntry(
        code=CODE,
        label=_("Bibob screening"),
        proxy=BibobCase,
        # Behind the art 28 secrecy wall.
        default_data_class="D5",
        flow=BibobFlow,
        steps=BIBOB_STEPS,
        prefill=lambda case, key, initial: prefill.letter_initial(case, key),
        order=20,
        # manage.py replay: the scenario's facts and the dossier steps that
        # are not transitions (workflows/bibob/replay.py).
        facts=replay.record_facts,
        actions=replay.ACTIONS,
        # The body of the application type (burgemeester or college).
        competence=competent_body,
    )
)
registry.add_case_urls(urls.case_urlpatterns)
registry.add_urls(urls.urlpatterns)
registry.add_case_links(
    CODE, registry.CaseLink(_("Bibob dossier"), "casework:bibob_dossier")
)
registry.add_menu(
    registry.MenuEntry(
        _("Bibob outcomes"), "casework:bibob_outcomes", frozenset({Role.VERGUNNING})
    )
)
registry.add_letters(
    *(
        registry.Letter(
            template,
            data_class=letters.LETTER_CLASSES.get(key, "D2"),
            case_types=(CODE,),
            competence=competent_body,
            # Offered only at its step and to the coordinator (offers.py).
            roles=offers.COORDINATOR,
            offered_when=offers.OFFERED_WHEN[key],
        )
        for key, template in letters.BIBOB_TEMPLATES.items()
    )
)
registry.add_demo("workflows.bibob.demo.seed", order=20)

# The Bibob dossier (D5, behind the secrecy wall, Wet Bibob art 28): read by
# the roles that read D5 on the case team (the coordinator and the deciding
# burgemeester), written and shared only by the role with W and S on D5.
declare_section(SectionRule("bibob_dossier", data_class="D5"))

# The steering figures of this case type (issue 18, docs/steering.md): who
# sees its small numbers as they are, and the status events it counts.
registry.add_figures(
    family=Family(
        CODE,
        _("Bibob screening"),
        exact_roles=frozenset({Role.BIBOB, Role.BURGEMEESTER}),
        aggregate_only=True,
        classes=frozenset({"D5"}),
    ),
    indicators=[
        registry.Indicator(
            "BIB.refused",
            _("Bibob: permits refused"),
            CODE,
            statuses=("B72",),
            order=10,
        ),
        registry.Indicator(
            "BIB.revoked",
            _("Bibob: permits revoked"),
            CODE,
            statuses=("B73",),
            order=20,
        ),
        registry.Indicator(
            "BIB.conditions",
            _("Bibob: granted with conditions"),
            CODE,
            statuses=("B71",),
            order=30,
        ),
        registry.Indicator(
            "BIB.granted",
            _("Bibob: granted without conditions"),
            CODE,
            statuses=("B70",),
            order=40,
        ),
        registry.Indicator(
            "BIB.not_processed",
            _("Bibob: applications not processed"),
            CODE,
            statuses=("B22",),
            order=50,
        ),
        registry.Indicator(
            "BIB.withdrawn",
            _("Bibob: applications withdrawn"),
            CODE,
            statuses=("B80",),
            order=60,
        ),
    ],
)
