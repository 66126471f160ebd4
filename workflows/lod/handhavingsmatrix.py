"""The handhavingsmatrix as policy data: a beleidsregel with validity dates
whose rows turn the facts of a police report into the proposed measure
(docs/domain.md §2.1, "Typical practice values"; docs/architecture.md core idea 6).

A functional administrator enters the municipality's Damoclesbeleid in the
admin; the jurist records the facts (`LodAssessment`), sees the proposal, and
the burgemeester's decision (`LodDecision`) records the beleidsregel version
it applied and, when it departs from the proposal, why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Case
from permissions.models import DataClass, Role
from permissions.transitions import allowed_roles


class PremisesKind(models.TextChoices):
    WONING = "woning", _("Dwelling (woning)")
    LOKAAL = "lokaal", _("Premises open to the public or business (lokaal)")


class Substance(models.TextChoices):
    HARD = "hard", _("List I (hard drugs)")
    SOFT = "soft", _("List II (soft drugs)")
    PREPARATION = "preparation", _("Preparatory acts (art. 13b lid 1 b)")


class Measure(models.TextChoices):
    NONE = "none", _("No measure")
    WARNING = "warning", _("Administrative warning")
    DWANGSOM = "dwangsom", _("Last onder dwangsom")
    SLUITING = "sluiting", _("Closure (last onder bestuursdwang)")


class AmountBasis(models.TextChoices):
    PER_VIOLATION = "per_violation", _("per violation")
    PER_WEEK = "per_week", _("per week the violation continues")
    LUMP_SUM = "lump_sum", _("lump sum")


class Beleidsregel(models.Model):
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=50)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(
        _("publication"),
        max_length=300,
        blank=True,
        help_text=_("Where it was published, e.g. the CVDR link."),
    )

    class Meta:
        verbose_name = _("policy rule (beleidsregel)")
        verbose_name_plural = _("policy rules (beleidsregels)")
        ordering = ["name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "version"], name="beleidsregel_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ends before it starts.")})
        overlapping = Beleidsregel.objects.filter(name=self.name).exclude(pk=self.pk)
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if overlapping.exists():
            raise ValidationError(
                _("Another version of this policy rule is valid in the same period.")
            )


class MatrixRule(models.Model):
    """One row of the matrix: facts → measure."""

    beleidsregel = models.ForeignKey(
        Beleidsregel, on_delete=models.CASCADE, related_name="rules"
    )
    premises_kind = models.CharField(
        _("premises"), max_length=10, choices=PremisesKind.choices
    )
    substance = models.CharField(
        _("substance"), max_length=15, choices=Substance.choices
    )
    min_grams = models.DecimalField(
        _("from (grams)"), max_digits=10, decimal_places=2, default=Decimal("0")
    )
    max_grams = models.DecimalField(
        _("up to (grams)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: no upper limit. The upper limit is included."),
    )
    violation = models.PositiveSmallIntegerField(
        _("violation number"),
        default=1,
        help_text=_("1 = first violation, 2 = second, 3 = third or later."),
    )
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_basis = models.CharField(
        _("amount basis"), max_length=15, choices=AmountBasis.choices, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    grace_days = models.PositiveIntegerField(
        _("grace period (days)"),
        default=0,
        help_text=_("0: a preventive order without grace period."),
    )
    closure_months = models.PositiveSmallIntegerField(
        _("closure (months)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("matrix rule")
        verbose_name_plural = _("matrix rules")
        ordering = ["premises_kind", "substance", "violation", "min_grams"]

    def __str__(self) -> str:
        return f"{self.premises_kind}/{self.substance}/{self.violation}: {self.measure}"

    def clean(self) -> None:
        errors = _rule_errors(
            measure=self.measure,
            amount=self.amount,
            maximum=self.maximum,
            closure_months=self.closure_months,
        )
        if errors:
            raise ValidationError(errors)

    def matches(self, *, premises_kind, substance, grams, violation) -> bool:
        return (
            self.premises_kind == premises_kind
            and self.substance == substance
            and self.violation == min(violation, 3)
            and grams >= self.min_grams
            and (self.max_grams is None or grams <= self.max_grams)
        )


def _rule_errors(*, measure, amount, maximum, closure_months) -> dict:
    errors = {}
    if measure == Measure.DWANGSOM:
        if not amount:
            errors["amount"] = _("A penalty order needs an amount (Awb 5:32b lid 1).")
        if not maximum:
            errors["maximum"] = _("A penalty order needs a maximum (Awb 5:32b lid 2).")
        elif amount and maximum < amount:
            errors["maximum"] = _("The maximum cannot be lower than the amount.")
    if measure == Measure.SLUITING and not closure_months:
        errors["closure_months"] = _("A closure needs its duration.")
    return errors


class LodAssessment(models.Model):
    """The facts of the report as the jurist assessed them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    found_on = models.DateField(_("date of the finding"))
    premises_kind = models.CharField(
        _("premises"), max_length=10, choices=PremisesKind.choices
    )
    substance = models.CharField(
        _("substance"), max_length=15, choices=Substance.choices
    )
    grams = models.DecimalField(_("quantity (grams)"), max_digits=10, decimal_places=2)
    violation = models.PositiveSmallIntegerField(_("violation number"), default=1)
    facts = models.TextField(_("facts"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.substance} {self.grams} g ({self.found_on})"


class LodDecision(models.Model):
    """The besluit of a case: one per case (Awb 5:6, no second herstelsanctie
    for the same violation), with the policy version it applied."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="decision")
    beleidsregel = models.ForeignKey(
        Beleidsregel, on_delete=models.PROTECT, related_name="decisions"
    )
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_basis = models.CharField(
        _("amount basis"), max_length=15, choices=AmountBasis.choices, blank=True
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    grace_days = models.PositiveIntegerField(_("grace period (days)"), default=0)
    closure_months = models.PositiveSmallIntegerField(
        _("closure (months)"), null=True, blank=True
    )
    deviation_reason = models.TextField(
        _("reason for departing from the policy"), blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_measure_display()}"


@dataclass(frozen=True)
class Proposal:
    beleidsregel: Beleidsregel
    rule: MatrixRule | None
    measure: str
    amount: Decimal | None
    amount_basis: str
    maximum: Decimal | None
    grace_days: int
    closure_months: int | None

    @property
    def measure_label(self) -> str:
        return str(Measure(self.measure).label)

    @property
    def preventive(self) -> bool:
        return self.measure == Measure.DWANGSOM and self.grace_days == 0


NO_POLICY = _("No policy rule for art. 13b Opiumwet is valid on %(date)s.")
MAY_ASSESS = allowed_roles(Role.JURIST)
MAY_DECIDE = allowed_roles(Role.BURGEMEESTER, writes=DataClass.D2)
DEVIATION_REASON = _(
    "The decision departs from the policy rule's proposal: give the reason."
)
ONE_DECISION = _("This case already has its decision (Awb 5:6).")


def beleidsregel_in_force(on: date) -> Beleidsregel:
    """The newest version in force on `on`, preferring one that holds a
    matrix: a policy without matrix rules (an APV horeca beleidsregel recorded
    for reference) does not replace the art. 13b matrix."""
    in_force = Beleidsregel.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    found = (
        in_force.filter(rules__isnull=False).distinct().order_by("-valid_from").first()
    ) or in_force.order_by("-valid_from").first()
    if found is None:
        raise ValidationError(NO_POLICY % {"date": f"{on:%d-%m-%Y}"})
    return found


def measure_propose(
    *, premises_kind: str, substance: str, grams: Decimal, violation: int, on: date
) -> Proposal:
    """The matrix row that matches the facts, under the beleidsregel valid on
    the date of the finding. No row: no measure (below the thresholds)."""
    policy = beleidsregel_in_force(on)
    for rule in policy.rules.all():
        if rule.matches(
            premises_kind=premises_kind,
            substance=substance,
            grams=Decimal(grams),
            violation=violation,
        ):
            return Proposal(
                beleidsregel=policy,
                rule=rule,
                measure=rule.measure,
                amount=rule.amount,
                amount_basis=rule.amount_basis,
                maximum=rule.maximum,
                grace_days=rule.grace_days,
                closure_months=rule.closure_months,
            )
    return Proposal(policy, None, Measure.NONE, None, "", None, 0, None)


def latest_assessment(case: Case) -> LodAssessment | None:
    return case.assessments.first()


def proposal_for(case: Case) -> Proposal | None:
    assessment = latest_assessment(case)
    if assessment is None:
        return None
    return measure_propose(
        premises_kind=assessment.premises_kind,
        substance=assessment.substance,
        grams=assessment.grams,
        violation=assessment.violation,
        on=assessment.found_on,
    )


@transaction.atomic
def lod_assessment_record(*, case: Case, user, **facts) -> LodAssessment:
    """Record the facts; refuses when no policy rule is valid on their date."""
    if not MAY_ASSESS(case, user):
        raise PermissionDenied(_("You may not change this case."))
    assessment = LodAssessment(case=case, recorded_by=user, **facts)
    assessment.full_clean()
    errors = {}
    if assessment.grams < 0:
        errors["grams"] = _("The quantity cannot be negative.")
    if assessment.violation < 1:
        errors["violation"] = _("The first violation is number 1.")
    if errors:
        raise ValidationError(errors)
    beleidsregel_in_force(assessment.found_on)
    assessment.save()
    return assessment


@transaction.atomic
def lod_decision_record(
    *,
    case: Case,
    user,
    measure: str,
    amount=None,
    amount_basis: str = "",
    maximum=None,
    grace_days: int = 0,
    closure_months=None,
    deviation_reason: str = "",
    preventive: bool = False,
    urgent: bool = False,
    on: date | None = None,
    authorised: bool = False,
) -> LodDecision:
    """Record the besluit with the content the Awb requires and the policy
    version that applied (the one in force on the finding, else on `on`)."""
    if not authorised and not MAY_DECIDE(case, user):
        raise PermissionDenied(_("You may not change this case."))
    if LodDecision.objects.filter(case=case).exists():
        raise ValidationError(ONE_DECISION)
    if measure not in Measure.values:
        raise ValidationError({"measure": _("Choose a measure from the list.")})
    errors = _rule_errors(
        measure=measure, amount=amount, maximum=maximum, closure_months=closure_months
    )
    for name, value in (("amount", amount), ("maximum", maximum)):
        if value is not None and Decimal(value) < 0:
            errors[name] = _("An amount cannot be negative.")
    if measure == Measure.DWANGSOM and not amount_basis:
        errors["amount_basis"] = _("Say what the amount is per (Awb 5:32b lid 1).")
    if measure in (Measure.DWANGSOM, Measure.SLUITING) and not grace_days:
        # Spoed (Awb 5:31) needs no grace period, nor does a preventive order.
        if not (measure == Measure.DWANGSOM and preventive) and not (
            measure == Measure.SLUITING and urgent
        ):
            errors["grace_days"] = _(
                "Only a preventive order can do without a grace period "
                "(Awb 5:32a lid 2)."
            )
    if errors:
        raise ValidationError(errors)
    proposal = proposal_for(case)
    if proposal is not None:
        policy = proposal.beleidsregel
        departs = proposal.measure != measure
        if measure == Measure.DWANGSOM:
            departs = departs or (proposal.amount, proposal.maximum) != (
                Decimal(amount),
                Decimal(maximum),
            )
        if measure == Measure.SLUITING:
            departs = departs or proposal.closure_months != closure_months
        if measure in (Measure.DWANGSOM, Measure.SLUITING) and not urgent:
            # The begunstigingstermijn is part of the policy's proposal too.
            departs = departs or (proposal.grace_days or 0) != (grace_days or 0)
        if departs and not deviation_reason.strip():
            raise ValidationError({"deviation_reason": DEVIATION_REASON})
    else:
        policy = beleidsregel_in_force(on or timezone.localdate())
    return LodDecision.objects.create(
        case=case,
        beleidsregel=policy,
        measure=measure,
        amount=amount,
        amount_basis=amount_basis,
        maximum=maximum,
        grace_days=grace_days,
        closure_months=closure_months,
        deviation_reason=deviation_reason.strip(),
        decided_by=user,
        # The date of the besluit when the caller gives it (a decision taken
        # on paper and entered later), else now.
        decided_at=timezone.make_aware(datetime.combine(on, time(12)))
        if on
        else timezone.now(),
    )


EXAMPLE_NAME = "Beleidsregel artikel 13b Opiumwet (voorbeeld)"


def seed_example_policy() -> Beleidsregel:
    """An example Damocles ladder (docs/domain.md §2.1 practice values; 🧠 there:
    every municipality enters its own). Idempotent."""
    policy, created = Beleidsregel.objects.get_or_create(
        name=EXAMPLE_NAME,
        version="2026.1",
        defaults={
            "valid_from": date(2026, 1, 1),
            "source": "Voorbeeld; vervang door de eigen beleidsregel (CVDR).",
        },
    )
    if not created:
        return policy
    W, L = PremisesKind.WONING, PremisesKind.LOKAAL
    H, S, P = Substance.HARD, Substance.SOFT, Substance.PREPARATION
    D = Decimal
    rows = [
        # woning, harddrugs: small quantity → warning; trade quantity → LOD
        (W, H, D("0"), D("0.5"), 1, Measure.NONE, None, "", None, 0, None),
        (W, H, D("0.5"), None, 1, Measure.DWANGSOM, D("5000"), "per_violation",
         D("15000"), 0, None),
        (W, H, D("0.5"), None, 2, Measure.SLUITING, None, "", None, 14, 3),
        (W, H, D("0.5"), None, 3, Measure.SLUITING, None, "", None, 14, 12),
        # woning, softdrugs: up to 5 g no measure; above a warning, then LOD
        (W, S, D("0"), D("5"), 1, Measure.NONE, None, "", None, 0, None),
        (W, S, D("5"), D("500"), 1, Measure.WARNING, None, "", None, 0, None),
        (W, S, D("500"), None, 1, Measure.DWANGSOM, D("5000"), "per_violation",
         D("15000"), 0, None),
        (W, S, D("5"), None, 2, Measure.DWANGSOM, D("10000"), "per_violation",
         D("30000"), 0, None),
        (W, S, D("5"), None, 3, Measure.SLUITING, None, "", None, 14, 6),
        (W, P, D("0"), None, 1, Measure.DWANGSOM, D("5000"), "per_violation",
         D("15000"), 0, None),
        (W, P, D("0"), None, 2, Measure.SLUITING, None, "", None, 14, 6),
        (W, P, D("0"), None, 3, Measure.SLUITING, None, "", None, 14, 12),
        # lokaal: closure on the first violation
        (L, H, D("0.5"), None, 1, Measure.SLUITING, None, "", None, 7, 3),
        (L, H, D("0.5"), None, 2, Measure.SLUITING, None, "", None, 7, 6),
        (L, H, D("0.5"), None, 3, Measure.SLUITING, None, "", None, 7, 12),
        (L, S, D("5"), None, 1, Measure.SLUITING, None, "", None, 7, 3),
        (L, S, D("5"), None, 2, Measure.SLUITING, None, "", None, 7, 6),
        (L, S, D("5"), None, 3, Measure.SLUITING, None, "", None, 7, 12),
        (L, P, D("0"), None, 1, Measure.SLUITING, None, "", None, 7, 3),
        (L, P, D("0"), None, 2, Measure.SLUITING, None, "", None, 7, 6),
        (L, P, D("0"), None, 3, Measure.SLUITING, None, "", None, 7, 12),
    ]  # fmt: skip
    for (
        kind,
        substance,
        lo,
        hi,
        nth,
        measure,
        amount,
        basis,
        maximum,
        grace,
        months,
    ) in rows:
        MatrixRule.objects.create(
            beleidsregel=policy, premises_kind=kind, substance=substance,
            min_grams=lo, max_grams=hi, violation=nth, measure=measure,
            amount=amount, amount_basis=basis, maximum=maximum, grace_days=grace,
            closure_months=months,
        )  # fmt: skip
    return policy
