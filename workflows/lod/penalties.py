"""Dwangsom accounting: what was forfeited, what is paid, when payment is due
and when each claim is time-barred (Awb 5:33, 5:35, 5:37a; docs/domain.md §2.4).

Each forfeiture is recorded with its amount, capped by what is left under the
order's maximum. The account is computed, never stored: payment is due six
weeks after forfeiture (5:33, with the Algemene termijnenwet); a claim is
time-barred one year after the day of forfeiture (5:35 lid 1, years: no Atw),
extended by the days a bezwaar or beroep against the order was pending
(lid 2), and interrupted by the invorderingsbeschikking (5:37a), after which a
new year runs from the day after its bekendmaking — an assumption a lawyer
must confirm (docs/domain.md §8 point 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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
from permissions.transitions import allowed_roles
from workflows.legal_protection.machine import DecisionKind, LegalProtection
from workflows.lod.handhavingsmatrix import AmountBasis, LodDecision, Measure

MAY_RECORD_FORFEITURE = allowed_roles(Role.TOEZICHT, Role.JURIST)
MAY_RECORD_PAYMENT = allowed_roles(Role.INVORDERING, writes=DataClass.D8)
NO_PENALTY_ORDER = _("This case has no penalty order to forfeit.")
MAXIMUM_REACHED = _("The maximum of the penalty order has been reached.")
FORFEITED_BEFORE_ORDER = _(
    "A penalty cannot be forfeited before the order took effect (%(date)s, Awb 3:40)."
)
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


def _order_in_force_on(case: Case, decision: LodDecision) -> date:
    """A besluit takes effect once it is made known (Awb 3:40): the
    bekendmaking recorded with the order's legal protection, else the date
    of the besluit itself."""
    from workflows.legal_protection.machine import DecisionKind, LegalProtection

    made_known = (
        LegalProtection.objects.filter(case=case, decision_kind=DecisionKind.ORDER)
        .order_by("decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    return made_known or timezone.localdate(decision.decided_at)


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
    in_force = _order_in_force_on(case, decision)
    if forfeited_on < in_force:
        raise ValidationError(
            {"forfeited_on": FORFEITED_BEFORE_ORDER % {"date": f"{in_force:%d-%m-%Y}"}}
        )
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


def _order_remedy_windows(case: Case, today: date) -> list[tuple[date, date | None]]:
    """For each remedy against the order itself: from its bekendmaking (the
    bezwaar term opens) to the day it became final, or None while bezwaar,
    beroep or hoger beroep is still open or pending (5:35 lid 2: "openstaat of
    aanhangig")."""
    from workflows.legal_protection.selectors import (
        APPEAL_TERM_BASIS,
        OBJECTION_TERM_BASIS,
        protection_deadline,
        protection_deadlines,
    )

    windows = []
    for protection in LegalProtection.objects.filter(
        case=case, decision_kind=DecisionKind.ORDER
    ):
        final = None
        if protection.status == "R90":
            # The day recorded on the step that made it final: the latest
            # day a term of the region was closed.
            days = [d.met_on for d in protection_deadlines(protection) if d.met_on]
            final = max(days) if days else protection.decided_on
        elif protection.status in ("R00", "R30"):
            basis = (
                OBJECTION_TERM_BASIS
                if protection.status == "R00"
                else (APPEAL_TERM_BASIS)
            )
            term = protection_deadline(protection, basis)
            if term is not None and term.met_on is None and term.end_date < today:
                final = term.end_date  # the term passed unused
        windows.append((protection.decided_on, final))
    return windows


def _interruptions(case: Case) -> list[date]:
    """The bekendmaking of every invorderingsbeschikking (5:37a lid 1)."""
    return sorted(
        LegalProtection.objects.filter(
            case=case, decision_kind=DecisionKind.COLLECTION
        ).values_list("decided_on", flat=True)
    )


def time_barred_after(
    forfeited_on: date,
    *,
    windows: list[tuple[date, date | None]] = (),
    interruptions: list[date] = (),
) -> tuple[date, bool, list[str]]:
    """The last day of the verjaring term, whether a remedy still holds it
    open, and the reasons.

    Awb 5:35 lid 1: one year after the day of forfeiture (years: no Atw).
    5:35 lid 2: if on that day a bezwaar, beroep or hoger beroep against the
    order is open or pending, the term runs on until it is finally decided.
    5:37a lid 1 with 4:110: an invorderingsbeschikking made known within the
    (extended) term interrupts it; a new year runs from the next day.
    """
    end = terms.add_months(forfeited_on, 12)
    lines = [
        gettext("Forfeited on %(day)s: time-barred one year later, after %(end)s "
                "(Awb 5:35 lid 1; a term in years: no Algemene termijnenwet).")
        % {"day": f"{forfeited_on:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"}
    ]  # fmt: skip
    held_open = False
    used: set[date] = set()
    changed = True
    while changed:
        changed = False
        held_open = False
        for start, final in windows:
            if start > end or (final is not None and final < end):
                continue
            if final is None:
                held_open = True
            elif final > end:
                end = final
                changed = True
                lines.append(
                    gettext("A remedy against the order was open or pending on the "
                            "last day: extended until it became final, %(end)s "
                            "(Awb 5:35 lid 2).")
                    % {"end": f"{end:%d-%m-%Y}"}
                )  # fmt: skip
        for day in interruptions:
            if day in used or day < forfeited_on or (day > end and not held_open):
                continue
            used.add(day)
            fresh = terms.add_months(day, 12)
            if fresh > end or held_open:
                end = max(end, fresh)
                changed = True
                lines.append(
                    gettext("Interrupted by the collection decision made known on "
                            "%(day)s: a new year runs, to %(end)s (Awb 5:37a, 4:110).")
                    % {"day": f"{day:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"}
                )  # fmt: skip
    if held_open:
        lines.append(
            gettext("A remedy against the order is open or pending on the last "
                    "day: the term runs on until it is finally decided (Awb "
                    "5:35 lid 2).")
        )  # fmt: skip
    return end, held_open, lines


def dwangsom_account(case: Case, *, today: date | None = None) -> Account | None:
    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        return None
    today = today or timezone.localdate()
    windows = _order_remedy_windows(case, today)
    interruptions = _interruptions(case)
    extra = equated_holidays()
    lines, total = [], Decimal("0")
    for forfeiture in case.forfeitures.all():
        total += forfeiture.amount
        due = terms.compute_term(
            forfeiture.forfeited_on, weeks=6, atw=True, extra_holidays=extra
        ).end
        barred_after, held_open, why = time_barred_after(
            forfeiture.forfeited_on, windows=windows, interruptions=interruptions
        )
        barred = today > barred_after and not held_open
        lines.append(ForfeitureLine(forfeiture, due, barred_after, barred, why))
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
