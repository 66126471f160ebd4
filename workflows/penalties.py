"""Dwangsom accounting: what was forfeited, what is paid, when payment is due
and when each claim is time-barred (Awb 5:33, 5:35, 5:37a; domain.md §2.4).

Each forfeiture is recorded with its amount, capped by what is left under the
order's maximum. The account is computed, never stored: payment is due six
weeks after forfeiture (5:33, with the Algemene termijnenwet); a claim is
time-barred one year after the day of forfeiture (5:35 lid 1, years: no Atw),
extended by the days a bezwaar or beroep against the order was pending
(lid 2), and interrupted by the invorderingsbeschikking (5:37a), after which a
new year runs from the day after its bekendmaking — an assumption a lawyer
must confirm (domain.md §8 point 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import terms
from casework.deadlines import equated_holidays
from casework.models import Case
from permissions.models import DataClass, Role

from .base import allowed_roles
from .handhavingsmatrix import AmountBasis, LodDecision, Measure
from .legal_protection import DecisionKind, LegalProtection

MAY_RECORD_FORFEITURE = allowed_roles(Role.TOEZICHT, Role.JURIST)
MAY_RECORD_PAYMENT = allowed_roles(Role.INVORDERING, writes=DataClass.D8)
NO_PENALTY_ORDER = _("This case has no penalty order to forfeit.")
MAXIMUM_REACHED = _("The maximum of the penalty order has been reached.")
NOT_ALLOWED = _("You may not change this case.")


class Forfeiture(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="forfeitures")
    forfeited_on = models.DateField(_("forfeited on"))
    units = models.PositiveIntegerField(
        _("violations or weeks"),
        default=1,
        help_text=_("Violations (per violation) or weeks (per week)."),
    )
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    capped = models.BooleanField(_("capped at the maximum"), default=False)
    note = models.TextField(_("finding"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("forfeiture")
        verbose_name_plural = _("forfeitures")
        ordering = ["forfeited_on", "id"]

    def __str__(self) -> str:
        return f"{self.forfeited_on}: {self.amount}"


class Payment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.paid_on}: {self.amount}"


def _penalty_order(case: Case) -> LodDecision:
    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        raise ValidationError(NO_PENALTY_ORDER)
    return decision


@transaction.atomic
def forfeiture_record(
    *,
    case: Case,
    user,
    forfeited_on: date,
    units: int = 1,
    note: str = "",
    authorised: bool = False,
) -> Forfeiture:
    """Record a forfeiture: the amount per violation or week times `units`
    (a lump sum once), never more than what is left under the maximum."""
    if not authorised and not MAY_RECORD_FORFEITURE(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    decision = _penalty_order(case)
    total = sum((f.amount for f in case.forfeitures.all()), Decimal("0"))
    left = decision.maximum - total
    if left <= 0:
        raise ValidationError(MAXIMUM_REACHED)
    if decision.amount_basis == AmountBasis.LUMP_SUM:
        units = 1
    amount = decision.amount * units
    return Forfeiture.objects.create(
        case=case,
        forfeited_on=forfeited_on,
        units=units,
        amount=min(amount, left),
        capped=amount > left,
        note=note,
        created_by=user,
    )


@transaction.atomic
def payment_record(
    *, case: Case, user, paid_on: date, amount: Decimal, note: str = "",
    authorised: bool = False,
) -> Payment:  # fmt: skip
    if not authorised and not MAY_RECORD_PAYMENT(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be positive.")})
    return Payment.objects.create(
        case=case, paid_on=paid_on, amount=amount, note=note, created_by=user
    )


@dataclass(frozen=True)
class ForfeitureLine:
    forfeiture: Forfeiture
    payment_due: date
    time_barred_after: date
    time_barred: bool
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Account:
    decision: LodDecision
    lines: list[ForfeitureLine]
    total: Decimal
    maximum: Decimal
    remaining: Decimal
    maximum_reached: bool
    paid: Decimal
    outstanding: Decimal


def _order_remedy_intervals(case: Case, today: date) -> list[tuple[date, date]]:
    """The periods a bezwaar or beroep against the order itself was pending
    (5:35 lid 2): from the objection's receipt to the decision on it, and from
    the appeal to the final ruling (or today)."""
    from .selectors import (
        APPEAL_TERM_BASIS,
        DECISION_TERM_BASIS,
        OBJECTION_TERM_BASIS,
        protection_deadline,
    )

    intervals = []
    for protection in LegalProtection.objects.filter(
        case=case, decision_kind=DecisionKind.ORDER
    ):
        objection = protection_deadline(protection, OBJECTION_TERM_BASIS)
        decision = protection_deadline(protection, DECISION_TERM_BASIS)
        appeal = protection_deadline(protection, APPEAL_TERM_BASIS)
        if objection is not None and decision is not None and objection.met_on:
            # The objection was lodged on the day its term was marked met.
            end = decision.met_on or today
            intervals.append((objection.met_on, end))
        if appeal is not None and appeal.met_on and protection.status != "R00":
            end = today if protection.status != "R90" else (appeal.met_on)
            if protection.status == "R90":
                final = (
                    case.events.filter(
                        to_status="R90", note__contains=protection.decision_title
                    )
                    .order_by("-at")
                    .values_list("at", flat=True)
                    .first()
                )
                end = timezone.localdate(final) if final else today
            intervals.append((appeal.met_on, end))
    return intervals


def _interruption(case: Case) -> date | None:
    """The bekendmaking of the (first) invorderingsbeschikking (5:37a)."""
    return (
        LegalProtection.objects.filter(case=case, decision_kind=DecisionKind.COLLECTION)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )


def time_barred_after(
    forfeited_on: date,
    *,
    pending: list[tuple[date, date]] = (),
    interrupted_on: date | None = None,
) -> tuple[date, list[str]]:
    """The last day a forfeited penalty can be collected, with the reasons."""
    end = terms.add_months(forfeited_on, 12)
    lines = [
        gettext("Forfeited on %(day)s: time-barred one year later, after %(end)s "
           "(Awb 5:35 lid 1; a term in years: no Algemene termijnenwet).")
        % {"day": f"{forfeited_on:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"}
    ]  # fmt: skip
    if interrupted_on is not None and forfeited_on <= interrupted_on <= end:
        end = terms.add_months(interrupted_on, 12)
        lines.append(
            gettext("Interrupted by the collection decision made known on "
                    "%(day)s: a new year runs, to %(end)s (Awb 5:37a).")
            % {"day": f"{interrupted_on:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"}
        )  # fmt: skip
    days = 0
    start_counting = forfeited_on + timedelta(days=1)
    for start, stop in pending:
        first, last = max(start, start_counting), stop
        if last >= first:
            days += (last - first).days + 1
    if days:
        end += timedelta(days=days)
        lines.append(
            gettext("Extended by %(days)s days while objection or appeal against the "
               "order was pending: %(end)s (Awb 5:35 lid 2).")
            % {"days": days, "end": f"{end:%d-%m-%Y}"}
        )  # fmt: skip
    return end, lines


def dwangsom_account(case: Case, *, today: date | None = None) -> Account | None:
    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        return None
    today = today or timezone.localdate()
    pending = _order_remedy_intervals(case, today)
    interrupted_on = _interruption(case)
    extra = equated_holidays()
    lines, total = [], Decimal("0")
    for forfeiture in case.forfeitures.all():
        total += forfeiture.amount
        due = terms.compute_term(
            forfeiture.forfeited_on, weeks=6, atw=True, extra_holidays=extra
        ).end
        barred_after, why = time_barred_after(
            forfeiture.forfeited_on, pending=pending, interrupted_on=interrupted_on
        )
        lines.append(
            ForfeitureLine(forfeiture, due, barred_after, today > barred_after, why)
        )
    paid = sum((p.amount for p in case.payments.all()), Decimal("0"))
    return Account(
        decision=decision,
        lines=lines,
        total=total,
        maximum=decision.maximum,
        remaining=decision.maximum - total,
        maximum_reached=total >= decision.maximum,
        paid=paid,
        outstanding=total - paid,
    )
