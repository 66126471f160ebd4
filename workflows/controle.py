"""Integrale controle: domain.md §4. The foundation declares the states of
§4.2 and the triage edges; planning and visits follow in their own issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.models import Case
from permissions.models import Role

from .base import allowed_roles


class ControleStatus(models.TextChoices):
    C00 = "C00", _("Signal received")
    C10 = "C10", _("Triage & prioritisation")
    C15 = "C15", _("Not selected / referred")
    C20 = "C20", _("Selected – preparation")
    C25 = "C25", _("Entry legal check")
    C30 = "C30", _("Scheduled")
    C35 = "C35", _("Briefing held")
    C40 = "C40", _("On-site execution")
    C45 = "C45", _("Aborted")
    C50 = "C50", _("Findings recorded")
    C60 = "C60", _("Follow-up")
    C70 = "C70", _("Feedback")
    C75 = "C75", _("Re-inspection scheduled")
    C99 = "C99", _("Closed")


class ControleCase(Case):
    INITIAL = ControleStatus.C00
    TERMINAL = frozenset({ControleStatus.C15, ControleStatus.C99})
    Status = ControleStatus

    class Meta:
        proxy = True

    @transition(
        field="status",
        source=ControleStatus.C00,
        target=ControleStatus.C10,
        permission=allowed_roles(Role.COORDINATOR, Role.JURIST),
        custom={"label": _("Start triage")},
    )
    def start_triage(self) -> None:
        """C00 → C10: weigh the signals (WGS 2.23 lid 3 criteria) and capacity."""

    @transition(
        field="status",
        source=ControleStatus.C10,
        target=ControleStatus.C15,
        permission=allowed_roles(Role.COORDINATOR, Role.JURIST),
        custom={"label": _("Do not select")},
    )
    def dismiss(self) -> None:
        """C10 → C15: not selected or referred; reason required."""

    @transition(
        field="status",
        source=ControleStatus.C10,
        target=ControleStatus.C20,
        permission=allowed_roles(Role.COORDINATOR, Role.JURIST),
        custom={"label": _("Select for a visit")},
    )
    def select(self) -> None:
        """C10 → C20: selected for a visit; preparation starts."""
