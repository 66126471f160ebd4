"""Wet Bibob toets: domain.md §3. The foundation declares the states of §3.3
and the intake edges; the full process follows in its own issue."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.models import Case
from permissions.models import Role

from .base import allowed_roles


class BibobStatus(models.TextChoices):
    B00 = "B00", _("Application / signal received")
    B05 = "B05", _("Regular assessment")
    B10 = "B10", _("Bibob screening decision")
    B20 = "B20", _("Questionnaire issued")
    B21 = "B21", _("Incomplete – repair period")
    B22 = "B22", _("Not processed")
    B30 = "B30", _("Own investigation")
    B35 = "B35", _("Own-investigation conclusion")
    B36 = "B36", _("Own conclusion reported to LBB")
    B40 = "B40", _("LBB advice requested")
    B41 = "B41", _("LBB extra questions")
    B42 = "B42", _("LBB extension notified")
    B43 = "B43", _("LBB declines")
    B45 = "B45", _("Advice received – verify")
    B46 = "B46", _("Supplementary advice requested")
    B50 = "B50", _("Decision-making (proportionality)")
    B60 = "B60", _("Intention sent – views period")
    B65 = "B65", _("Views received")
    B70 = "B70", _("Granted")
    B71 = "B71", _("Granted with conditions")
    B72 = "B72", _("Refused")
    B73 = "B73", _("Revoked")
    B75 = "B75", _("Notified")
    B80 = "B80", _("Application withdrawn")
    B90 = "B90", _("Correction report to LBB")
    B99 = "B99", _("Closed – archived (5-year reuse)")


class BibobCase(Case):
    INITIAL = BibobStatus.B00
    TERMINAL = frozenset({BibobStatus.B99, BibobStatus.B80})
    Status = BibobStatus

    class Meta:
        proxy = True

    @transition(
        field="status",
        source=BibobStatus.B00,
        target=BibobStatus.B05,
        permission=allowed_roles(Role.BIBOB),
        custom={"label": _("Start regular assessment")},
    )
    def start_regular_assessment(self) -> None:
        """B00 → B05: intake; the ordinary grounds for refusal come first."""

    @transition(
        field="status",
        source=BibobStatus.B05,
        target=BibobStatus.B10,
        permission=allowed_roles(Role.BIBOB),
        custom={"label": _("Start screening")},
    )
    def start_screening(self) -> None:
        """B05 → B10: decide whether the Wet Bibob is applied."""

    @transition(
        field="status",
        source=[BibobStatus.B00, BibobStatus.B05, BibobStatus.B10],
        target=BibobStatus.B80,
        permission=allowed_roles(Role.BIBOB),
        custom={"label": _("Register withdrawal")},
    )
    def withdraw(self) -> None:
        """any → B80: the applicant withdraws (7a lid 8 report when Bibob-related)."""
