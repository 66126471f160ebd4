"""The persoonsgerichte aanpak registers itself with the kernel."""

from django.utils.translation import gettext_lazy as _

from celery.schedules import crontab

from casework import registry
from permissions.decision import SectionRule, declare_section
from permissions.figures import Family
from permissions.models import Role

from . import letters, prefill, replay, urls
from .flow import PgaFlow
from .machine import CODE, PgaCase, PgaStatus
from .services import referral_from_signal
from .steps import PGA_STEPS

registry.register_case_type(
    registry.CaseTypeEntry(
        code=CODE,
        label=_("Person-oriented approach"),
        proxy=PgaCase,
        # A ZVH case product.
        default_data_class="D10",
        flow=PgaFlow,
        steps=PGA_STEPS,
        prefill=prefill.prefill,
        # A PGA case takes its referral from the signal it is opened from, and
        # its participants are selected in the case file (WGS 2.31 lid 4).
        on_open_from_signal=referral_from_signal,
        team_url_name="casework:pga_dossier",
        team_url_fragment="participants",
        team_url_label=_("Select participants in the case file"),
        # The case file's steps that are not transitions, and the facts of a
        # scenario, for `manage.py replay` (docs/pga.md "Replay").
        actions=replay.ACTIONS,
        facts=replay.record_facts,
        order=40,
    )
)
registry.add_case_urls(urls.case_urlpatterns)
registry.add_urls(urls.urlpatterns)
registry.add_case_links(
    CODE,
    registry.CaseLink(
        _("Case file (plan, case conferences, network)"),
        "casework:pga_dossier",
        full_page=True,
    ),
    registry.CaseLink(
        _("Case file: your interventions and the case conferences"),
        "casework:pga_dossier",
        outcome_page=True,
        full_page=False,
    ),
)
registry.add_menu(
    registry.MenuEntry(
        _("New referral"),
        "casework:pga_referral_new",
        frozenset({Role.CASUSREGISSEUR}),
    ),
    registry.MenuEntry(
        _("Top X list"), "casework:pga_top_x", frozenset({Role.CASUSREGISSEUR})
    ),
    registry.MenuEntry(
        _("Shielded files"), "casework:pga_shielded", frozenset({Role.FG})
    ),
)
S = PgaStatus
PLAN_ADOPTED = frozenset({S.D50, S.D60, S.D65, S.D70, S.D80, S.D85, S.D90})
OPEN_FILE = frozenset(
    {S.D00, S.D05, S.D10, S.D20, S.D30, S.D35, S.D40, *PLAN_ADOPTED} - {S.D90}
)


def _referral_kept(case) -> bool:
    """The confirmation of a referral that was not rejected or closed."""
    return case.status in OPEN_FILE and hasattr(case, "pga_referral")


def _rejected(case) -> bool:
    """The advice or referral letter records the rejection (D20 → D25)."""
    return case.status == S.D25


def _conference_planned(case) -> bool:
    """The invitation records a planned casusoverleg (2.31 lid 5)."""
    return case.status in OPEN_FILE and case.pga_conferences.exists()


def _plan_adopted(case) -> bool:
    """The plan van aanpak records the plan adopted (D40 → D50)."""
    return case.status in PLAN_ADOPTED - {S.D90}


def _closed(case) -> bool:
    """The afsluitingsverslag records the closure (→ D90), made by `close`."""
    return case.status == S.D90


# A letter is offered once the step it records exists, and only to the
# casusregisseur who keeps the file. The ZVH sends them, not the burgemeester:
# each template declares its body (`competence="zvh"`, casework/competence.py).
OFFERED_WHEN = {
    "aanmeldbevestiging_pga": _referral_kept,
    "afwijzing_pga": _rejected,
    "uitnodiging_casusoverleg": _conference_planned,
    "plan_van_aanpak": _plan_adopted,
    "afsluiting_pga": _closed,
}
registry.add_letters(
    *(
        # ZVH case products (Wgs paragraaf 2.4): D10 whichever page makes them.
        registry.Letter(
            template,
            data_class="D10",
            case_types=(CODE,),
            roles=frozenset({Role.CASUSREGISSEUR}),
            offered_when=OFFERED_WHEN[template.key],
            # The plan lists every partner's interventions: only the
            # casusregisseur reads it whole (docs/access.md).
            per_reader=template.key == "plan_van_aanpak",
        )
        for template in letters.PGA_TEMPLATES.values()
    )
)
# The plan's items per partner (interventions, action points): each
# participant reads its own organisation's, the casusregisseur every one
# (issue 7 item 2). Health items (D7, WGS 2.29): the supplier's own, and
# another's only when shared with the reader on a ground. Declared to the
# decision point without a case-page flag (the case file shows them). The
# partners, who see only the outcome of other case types, are the PGA's
# participants: they read their own (`outcome_readers`).
declare_section(
    SectionRule(
        "pga_plan_item",
        data_class="D10",
        outcome_readers=True,
        own_organisation=True,
        all_compartments=frozenset({Role.CASUSREGISSEUR}),
    )
)
declare_section(
    SectionRule(
        "health_item", data_class="D7", outcome_readers=True, own_organisation=True
    )
)
# Top X placements (WGS 2.32): the casusregisseur of the case only.
registry.add_sections(
    registry.Section(
        "has_top_x",
        "pga.TopXEntry",
        data_class="D10",
        label=_("Top X"),
        kind="top_x",
        roles=frozenset({Role.CASUSREGISSEUR}),
        team_roles=frozenset({"owner", "member"}),
    )
)
registry.add_demo("workflows.pga.demo.seed", order=40)
registry.add_periodic_task(
    registry.PeriodicTask(
        "pga-retention-sweep",
        "workflows.pga.tasks.retention_sweep",
        # Once a night: WGS 1.8 lid 7 counts in days.
        crontab(minute=30, hour=2),
    )
)

# The steering figures of this case type (issue 18, docs/steering.md): who
# sees its small numbers as they are, and the status events it counts.
registry.add_figures(
    family=Family(
        CODE,
        _("Person-oriented approach"),
        exact_roles=frozenset({Role.CASUSREGISSEUR}),
        aggregate_only=True,
    ),
    indicators=[
        registry.Indicator(
            "PGA.in",
            _("Persons taken into the approach"),
            CODE,
            statuses=("D30",),
            order=10,
        ),
        registry.Indicator(
            "PGA.not_accepted",
            _("Referrals not accepted"),
            CODE,
            statuses=("D25",),
            order=20,
        ),
        registry.Indicator(
            "PGA.out",
            _("Persons who left the approach"),
            CODE,
            statuses=("D90",),
            order=30,
        ),
    ],
)
