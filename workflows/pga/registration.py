"""The persoonsgerichte aanpak registers itself with the kernel."""

from django.utils.translation import gettext_lazy as _

from celery.schedules import crontab

from casework import registry
from permissions.models import Role

from . import letters, prefill, urls
from .flow import PgaFlow
from .machine import CODE, PgaCase
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
registry.add_letters(
    *(
        # ZVH case products (Wgs paragraaf 2.4): D10 whichever page makes them.
        registry.Letter(
            template,
            data_class="D10",
            case_types=(CODE,),
            # The plan lists every partner's interventions: only the
            # casusregisseur reads it whole (docs/access.md).
            per_reader=template.key == "plan_van_aanpak",
        )
        for template in letters.PGA_TEMPLATES.values()
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
