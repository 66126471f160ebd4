"""Persoonsgerichte aanpak: domain.md §5. The foundation declares the states
of §5.2 and the intake edges; plan and review cycles follow in their own issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.models import Case
from permissions.models import Role

from .base import allowed_roles


class PgaStatus(models.TextChoices):
    D00 = "D00", _("Referral received")
    D05 = "D05", _("Top X candidate")
    D10 = "D10", _("Screening")
    D20 = "D20", _("Triage")
    D25 = "D25", _("Not accepted – advice/referral")
    D30 = "D30", _("Accepted – information enrichment")
    D35 = "D35", _("Case director assigned")
    D40 = "D40", _("Case conference")
    D50 = "D50", _("Action plan adopted")
    D60 = "D60", _("Execution & monitoring")
    D65 = "D65", _("Evaluation / adjustment")
    D70 = "D70", _("Escalated")
    D80 = "D80", _("De-escalation")
    D85 = "D85", _("After-care monitoring")
    D90 = "D90", _("Closed – data shielded")
    D95 = "D95", _("Deleted / anonymised")


class PgaCase(Case):
    INITIAL = PgaStatus.D00
    TERMINAL = frozenset({PgaStatus.D25, PgaStatus.D90, PgaStatus.D95})
    Status = PgaStatus

    class Meta:
        proxy = True

    @transition(
        field="status",
        source=PgaStatus.D00,
        target=PgaStatus.D10,
        permission=allowed_roles(Role.CASUSREGISSEUR),
        custom={"label": _("Start screening")},
    )
    def start_screening(self) -> None:
        """D00 → D10: check completeness and the referral criteria."""

    @transition(
        field="status",
        source=PgaStatus.D10,
        target=PgaStatus.D20,
        permission=allowed_roles(Role.CASUSREGISSEUR),
        custom={"label": _("Send to triage")},
    )
    def to_triage(self) -> None:
        """D10 → D20: the public participants assess fit with WGS 2.25."""

    @transition(
        field="status",
        source=PgaStatus.D20,
        target=PgaStatus.D25,
        permission=allowed_roles(Role.CASUSREGISSEUR),
        custom={"label": _("Reject referral")},
    )
    def reject(self) -> None:
        """D20 → D25: criteria not met; advice or referral to the reporter."""

    @transition(
        field="status",
        source=PgaStatus.D20,
        target=PgaStatus.D30,
        permission=allowed_roles(Role.CASUSREGISSEUR),
        custom={"label": _("Accept referral")},
    )
    def accept(self) -> None:
        """D20 → D30: accepted; participants are selected per case (2.31 lid 4)."""
