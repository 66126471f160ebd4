"""Legal protection against one besluit: the R-region of docs/domain.md §2.2.

Every besluit that can be challenged (the last onder dwangsom or bestuursdwang,
the invorderingsbeschikking, the kostenbeschikking; later the Bibob besluiten)
gets its own row, opened in R00 on bekendmaking. Its transitions run through
`workflows.legal_protection.services.legal_protection_transition`, which writes the
history on the case.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_fsm import FSMField, FSMModelMixin, transition

from casework.rules import guard, refuse
from permissions.models import DataClass, Role
from permissions.transitions import allowed_roles, on_case


class LegalProtectionStatus(models.TextChoices):
    R00 = "R00", _("No remedy yet – term running")
    R10 = "R10", _("Objection received")
    R15 = "R15", _("Defect-repair period")
    R20 = "R20", _("Hearing")
    R25 = "R25", _("Committee advice")
    R30 = "R30", _("Decision on objection")
    R40 = "R40", _("Appeal pending")
    R45 = "R45", _("Interim relief requested / decided")
    R50 = "R50", _("Higher appeal pending")
    R90 = "R90", _("Final")


class Outcome(models.TextChoices):
    """What the beslissing op bezwaar or the court decided (Awb 7:11, 8:70)."""

    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    DISMISSED = "dismissed", _("Dismissed")
    INADMISSIBLE = "inadmissible", _("Inadmissible")


class DecisionKind(models.TextChoices):
    """Which besluit of the case the remedy is against: only a revoked order
    ends the order itself (A95); a revoked collection or cost decision does
    not."""

    ORDER = "order", _("Order (last onder dwangsom or bestuursdwang)")
    COLLECTION = "collection", _("Collection decision")
    COSTS = "costs", _("Cost decision")
    OTHER = "other", _("Other decision")


S = LegalProtectionStatus


def committee_heard(protection):
    """Awb 7:13 lid 1 and 7:10 lid 1: an objection handled by an advisory
    committee is decided only after the committee's advice (R25)."""
    if protection.advisory_committee and protection.status != S.R25:
        return refuse(
            "Awb 7:13",
            _(
                "An advisory committee handles this objection: record its advice "
                "before the decision on the objection."
            ),
        )
    return None


def term_lapsed(protection, on=None):
    """Awb 6:7, 6:8 (and 8:1 for the beroepstermijn): a besluit becomes
    onherroepelijk only once the term for bezwaar (from R00) or beroep (from
    R30) has ended unused — not on its last day, when a bezwaarschrift can
    still come in (and Awb 6:9: one posted in time still counts). `on`: the
    day the step records (default today)."""
    from workflows.legal_protection.selectors import (
        APPEAL_TERM_BASIS,
        OBJECTION_TERM_BASIS,
        protection_deadline,
    )

    basis = OBJECTION_TERM_BASIS if protection.status == S.R00 else APPEAL_TERM_BASIS
    term = protection_deadline(protection, basis)
    if term is None or term.end_date is None:
        return None
    if (on or timezone.localdate()) <= term.end_date:
        what = _("objection") if protection.status == S.R00 else _("appeal")
        return refuse(
            "Awb 6:7, 6:8",
            _(
                "The term for %(what)s runs until %(date)s: the decision is not "
                "final before it has ended."
            ),
            on=term.end_date,
            what=what,
        )
    return None


# Steps of the jurist, who records what the objector, the committee and the
# courts do; the beslissing op bezwaar is also the burgemeester's to sign.
# On a Bibob case the coordinator, who alone may work behind the secrecy
# wall, keeps the region (a jurist cannot join a D5 team).
JURIST = on_case(allowed_roles(Role.JURIST, Role.BIBOB))
DECIDER = on_case(
    allowed_roles(Role.JURIST, Role.BIBOB, Role.BURGEMEESTER, writes=DataClass.D2)
)


class LegalProtection(FSMModelMixin, models.Model):
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        related_name="legal_protections",
        verbose_name=_("case"),
    )
    decision_title = models.CharField(
        _("decision"),
        max_length=200,
        help_text=_("Which besluit, e.g. “Besluit last onder dwangsom”."),
    )
    decision_kind = models.CharField(
        _("kind of decision"),
        max_length=20,
        choices=DecisionKind.choices,
        default=DecisionKind.ORDER,
    )
    decided_on = models.DateField(
        _("made known on"),
        help_text=_(
            "The day of bekendmaking; the objection term starts the day after."
        ),
    )
    status = FSMField(
        _("status"),
        max_length=10,
        choices=LegalProtectionStatus.choices,
        default=LegalProtectionStatus.R00,
        protected=True,
    )
    # The latest decision on the remedy: set by the beslissing op bezwaar and
    # again by each court ruling the jurist records.
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True
    )
    # Set when hoger beroep is lodged, so that interim relief returns to the
    # instance it was asked in (R45 → R40 or R50).
    higher_appeal = models.BooleanField(_("higher appeal lodged"), default=False)
    # Set when the objection is recorded as handled by an advisory committee
    # (Awb 7:13): the beslistermijn is 12 weeks and the decision waits for
    # the committee's advice (`committee_heard`).
    advisory_committee = models.BooleanField(_("advisory committee"), default=False)
    # The days the steps recorded (their `on`), and the beslissing op bezwaar
    # itself: the letter of that beslissing is bound to them
    # (`workflows.legal_protection.letters`). `objection_outcome` keeps the
    # dictum of the beslissing op bezwaar when a court ruling later replaces
    # `outcome`.
    objection_on = models.DateField(_("objection received on"), null=True, blank=True)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    advice_on = models.DateField(_("committee advice on"), null=True, blank=True)
    objection_decided_on = models.DateField(
        _("decision on objection made known on"), null=True, blank=True
    )
    objection_outcome = models.CharField(
        _("outcome of the objection"),
        max_length=20,
        choices=Outcome.choices,
        blank=True,
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        verbose_name = _("legal protection")
        verbose_name_plural = _("legal protections")
        constraints = [
            # No outcome before a beslissing op bezwaar or a ruling exists.
            models.CheckConstraint(
                condition=~models.Q(status__in=["R00", "R10", "R15", "R20", "R25"])
                | models.Q(outcome=""),
                name="legal_protection_no_early_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision_title} ({self.status})"

    def is_in_higher_appeal(self) -> bool:
        return self.higher_appeal

    def is_in_first_instance(self) -> bool:
        return not self.higher_appeal

    # One transition per edge. `custom["outcome"]` marks the steps that record what
    # was decided; the service requires it there and refuses it elsewhere.

    @transition(
        field=status,
        source=S.R00,
        target=S.R10,
        permission=JURIST,
        custom={"label": _("Record objection")},
    )
    def receive_objection(self) -> None:
        """R00 → R10: bezwaar received (Awb 6:4); acknowledge receipt (6:14)."""

    @transition(
        field=status,
        source=S.R10,
        target=S.R15,
        permission=JURIST,
        custom={"label": _("Ask to repair a defect")},
    )
    def request_repair(self) -> None:
        """R10 → R15: verzuimherstel (Awb 6:6); the beslistermijn is suspended
        (7:10 lid 2)."""

    @transition(
        field=status,
        source=S.R15,
        target=S.R10,
        permission=JURIST,
        custom={"label": _("Record repaired defect")},
    )
    def repair_received(self) -> None:
        """R15 → R10: the objector repaired the defect (or the term lapsed; an
        unrepaired objection is then declared inadmissible at R30)."""

    @transition(
        field=status,
        source=[S.R10, S.R15],
        target=S.R20,
        permission=JURIST,
        custom={"label": _("Schedule hearing")},
    )
    def schedule_hearing(self) -> None:
        """R10/R15 → R20: hearing (Awb 7:2); documents open for inspection one
        week before (7:4); report of the hearing (7:7)."""

    @transition(
        field=status,
        source=S.R20,
        target=S.R25,
        permission=JURIST,
        custom={"label": _("Record committee advice")},
    )
    def receive_committee_advice(self) -> None:
        """R20 → R25: advice of the bezwaarschriftencommissie (Awb 7:13 lid 6)."""

    @transition(
        field=status,
        source=[S.R10, S.R20, S.R25],
        target=S.R30,
        permission=DECIDER,
        conditions=[guard(committee_heard)],
        custom={"label": _("Decide on objection"), "outcome": True},
    )
    def decide_objection(self, outcome: str) -> None:
        """R10/R20/R25 → R30: beslissing op bezwaar (Awb 7:11, 7:12). From R10
        when the hearing is skipped (7:3, e.g. manifestly inadmissible)."""
        self.outcome = outcome
        self.objection_outcome = outcome

    @transition(
        field=status,
        source=S.R30,
        target=S.R40,
        permission=JURIST,
        custom={"label": _("Record appeal")},
    )
    def receive_appeal(self) -> None:
        """R30 → R40: beroep at the rechtbank (Awb 8:1, 6:7)."""

    @transition(
        field=status,
        source=[S.R40, S.R50],
        target=S.R45,
        permission=JURIST,
        custom={"label": _("Record interim relief request")},
    )
    def request_interim_relief(self) -> None:
        """R40/R50 → R45: voorlopige voorziening (Awb 8:81); bezwaar and beroep
        do not suspend the besluit (6:16)."""

    @transition(
        field=status,
        source=S.R45,
        target=S.R40,
        permission=JURIST,
        conditions=[is_in_first_instance],
        custom={"label": _("Record interim relief decision")},
    )
    def decide_interim_relief(self) -> None:
        """R45 → R40: the voorzieningenrechter decided; the appeal goes on."""

    # Not in docs/domain.md §2.2/§2.3, which only returns to R40: interim relief
    # asked during hoger beroep (8:104 ff.) returns to the higher appeal.
    @transition(
        field=status,
        source=S.R45,
        target=S.R50,
        permission=JURIST,
        conditions=[is_in_higher_appeal],
        custom={"label": _("Record interim relief decision")},
    )
    def decide_interim_relief_in_higher_appeal(self) -> None:
        """R45 → R50: the voorzieningenrechter of the ABRvS decided."""

    @transition(
        field=status,
        source=S.R40,
        target=S.R50,
        permission=JURIST,
        custom={"label": _("Record higher appeal"), "outcome": True},
    )
    def file_higher_appeal(self, outcome: str) -> None:
        """R40 → R50: hoger beroep at the ABRvS (Awb 8:104); records the
        rechtbank's ruling that is appealed."""
        self.outcome = outcome
        self.higher_appeal = True

    @transition(
        field=status,
        source=[S.R00, S.R30],
        target=S.R90,
        permission=JURIST,
        conditions=[guard(term_lapsed)],
        custom={"label": _("Mark final: term lapsed")},
    )
    def become_final(self) -> None:
        """R00/R30 → R90: the bezwaar- or beroepstermijn (Awb 6:7) lapsed
        unused; the besluit (or the beslissing op bezwaar) is onherroepelijk."""

    @transition(
        field=status,
        source=[S.R40, S.R50],
        target=S.R90,
        permission=JURIST,
        custom={"label": _("Record final ruling"), "outcome": True},
    )
    def record_final_ruling(self, outcome: str) -> None:
        """R40/R50 → R90: a ruling that is no longer open to appeal (the
        rechtbank's after the hoger-beroepstermijn, or the ABRvS's)."""
        self.outcome = outcome
