"""Last onder dwangsom / sluiting (art. 13b Opiumwet, APV): domain.md §2.

The foundation declares every state of §2.2 and the intake edges; the full
process (voornemen, besluit, monitoring, invordering) follows in its own issue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from django_fsm import transition

from casework.models import Case
from permissions.models import Role

from .base import allowed_roles


class LodStatus(models.TextChoices):
    A00 = "A00", _("Signal received")
    A10 = "A10", _("Legal assessment")
    A15 = "A15", _("Administrative warning sent")
    A20 = "A20", _("Intention sent – views period open")
    A25 = "A25", _("Views received / heard")
    A30 = "A30", _("Decision being drafted")
    A40 = "A40", _("Penalty order adopted")
    A41 = "A41", _("Closure order adopted")
    A45 = "A45", _("Notified")
    A50 = "A50", _("Grace period running")
    A60 = "A60", _("Order in force – monitoring")
    A61 = "A61", _("Re-inspection / new report under review")
    A70 = "A70", _("Breach established – penalty forfeited")
    A71 = "A71", _("Intention to collect – views")
    A72 = "A72", _("Collection decision taken")
    A73 = "A73", _("Reminder sent")
    A74 = "A74", _("Writ of execution issued")
    A75 = "A75", _("Collected / paid")
    A76 = "A76", _("Time-barred / collection waived")
    A80 = "A80", _("Maximum reached – escalation")
    A81 = "A81", _("Closure executed")
    A82 = "A82", _("Premises closed")
    A83 = "A83", _("Re-opened")
    A84 = "A84", _("Cost recovery")
    A90 = "A90", _("Request to lift/change under review")
    A95 = "A95", _("Lifted / revoked / lapsed")
    A99 = "A99", _("Closed")


class LodCase(Case):
    INITIAL = LodStatus.A00
    TERMINAL = frozenset({LodStatus.A99})
    Status = LodStatus

    class Meta:
        proxy = True

    @transition(
        field="status",
        source=LodStatus.A00,
        target=LodStatus.A10,
        permission=allowed_roles(Role.JURIST),
        custom={"label": _("Start legal assessment")},
    )
    def start_assessment(self) -> None:
        """A00 → A10: the jurist starts the legal assessment."""

    @transition(
        field="status",
        source=LodStatus.A10,
        target=LodStatus.A99,
        permission=allowed_roles(Role.JURIST),
        custom={"label": _("Close without action")},
    )
    def close_without_action(self) -> None:
        """A10 → A99: no basis or no action (policy "geen actie"); reasons required."""
