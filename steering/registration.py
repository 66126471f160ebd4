"""What the steering app registers with the kernel: the signals' family of
figures and the indicators every case type has (bezwaar, beroep, terms), the
menu entry "Indicatoren", the refresh of the facts (Celery beat) and the
demo's refresh after all other demo data (docs/steering.md)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from celery.schedules import crontab

from casework import registry
from casework.models import Signal
from permissions.figures import FAMILY_SIGNAL, STEERING_ROLES, Family
from permissions.models import Role

from . import facts

# The signals: worked by every role that triages them and by the mayor.
registry.add_figures(
    family=Family(
        FAMILY_SIGNAL,
        _("Signals"),
        exact_roles=frozenset(
            {
                Role.JURIST,
                Role.BIBOB,
                Role.COORDINATOR,
                Role.CASUSREGISSEUR,
                Role.BURGEMEESTER,
            }
        ),
    ),
    indicators=[
        *(
            registry.Indicator(
                f"SIG.in.{source}",
                format_lazy(_("Received: {source}"), source=label),
                FAMILY_SIGNAL,
                counter=facts.SIGNALS_IN,
                sources=(source,),
                order=10 + n,
            )
            for n, (source, label) in enumerate(Signal.Source.choices)
        ),
        registry.Indicator(
            "SIG.converted",
            _("Handled: converted into a case"),
            FAMILY_SIGNAL,
            counter=facts.SIGNALS_CONVERTED,
            order=80,
        ),
        registry.Indicator(
            "SIG.filed",
            _("Handled: filed without action"),
            FAMILY_SIGNAL,
            counter=facts.SIGNALS_FILED,
            order=90,
        ),
    ],
)

# Every case type's: counted in the family of the case's own type.
registry.add_indicators(
    registry.Indicator(
        "objection.upheld",
        _("Objections upheld (wholly or in part)"),
        registry.EVERY_CASE_TYPE,
        counter=facts.OBJECTIONS_UPHELD,
        order=910,
    ),
    registry.Indicator(
        "objection.rejected",
        _("Objections dismissed or inadmissible"),
        registry.EVERY_CASE_TYPE,
        counter=facts.OBJECTIONS_REJECTED,
        order=920,
    ),
    registry.Indicator(
        "appeal.upheld",
        _("Appeals upheld by the court"),
        registry.EVERY_CASE_TYPE,
        counter=facts.APPEALS_UPHELD,
        order=930,
    ),
    registry.Indicator(
        "appeal.rejected",
        _("Appeals dismissed or inadmissible"),
        registry.EVERY_CASE_TYPE,
        counter=facts.APPEALS_REJECTED,
        order=940,
    ),
    registry.Indicator(
        "term.met",
        _("Terms met"),
        registry.EVERY_CASE_TYPE,
        counter=facts.TERMS_MET,
        order=950,
    ),
    registry.Indicator(
        "term.exceeded",
        _("Terms exceeded"),
        registry.EVERY_CASE_TYPE,
        counter=facts.TERMS_EXCEEDED,
        order=960,
    ),
)

registry.add_menu(
    registry.MenuEntry(_("Indicators"), "steering:indicators", STEERING_ROLES, order=85)
)
registry.add_periodic_task(
    registry.PeriodicTask(
        "steering-refresh-recent",
        "steering.tasks.refresh_recent",
        # The current and the previous month: the page's "Stand" is at most
        # a quarter of an hour old.
        crontab(minute="*/15"),
    )
)
registry.add_periodic_task(
    registry.PeriodicTask(
        "steering-refresh-full",
        "steering.tasks.refresh_full",
        # Every month once a night: late entries and signals handled months
        # after they came in.
        crontab(minute=15, hour=3),
    )
)
# After every other package's demo data.
registry.add_demo("steering.demo.seed", order=1000)
