"""Dwangsom accounting: what was forfeited, what is paid, when payment is due
and when each claim is time-barred (Awb 5:33, 5:35, 5:37a; docs/domain.md §2.4).

Each forfeiture is recorded with its amount, capped by what is left under the
order's maximum; a dwangsom per week is booked week by week, each on its own
date. The account is computed, never stored (workflows/lod/ledger.py): payment
is due six weeks after forfeiture (5:33, with the Algemene termijnenwet); a
claim is time-barred one year after the day of forfeiture (5:35 lid 1, years:
no Atw), extended when a bezwaar or beroep against the order is open or
pending on that day until it is finally decided (lid 2), and interrupted by
the invorderingsbeschikking (5:37a) and by an aanmaning or dwangbevel (4:105,
4:106), after each of which a new year runs (4:110).
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


def forfeiture_refusal(case: Case, first: date, last: date | None = None):
    """The dates a forfeiture may carry (a `casework.rules.Refusal`, or None):
    not before the order took effect (its bekendmaking, Awb 3:40), not inside
    the begunstigingstermijn (Awb 5:32a lid 2: the last may be complied with
    until it has passed), and not in the future (a dwangsom is forfeited by
    operation of law when the violation happens, 5:33)."""
    from casework.models import Deadline
    from casework.rules import refuse
    from workflows.lod.machine import BEGUNSTIGING_BASIS

    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        return refuse("Awb 5:31d", str(NO_PENALTY_ORDER))
    decided = timezone.localdate(decision.decided_at)
    in_force = _order_in_force_on(case, decision)
    if first < max(in_force, decided):
        return refuse(
            "Awb 3:40",
            gettext("A penalty cannot be forfeited before the order took effect "
                    "(%(date)s)."),
            on=max(in_force, decided),
        )  # fmt: skip
    grace = (
        Deadline.objects.filter(case=case, legal_basis=BEGUNSTIGING_BASIS)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if grace is None and decision.grace_days:
        grace = in_force + timedelta(days=decision.grace_days)
    if grace is not None and first <= grace:
        return refuse(
            "Awb 5:32a lid 2",
            gettext("The grace period runs until %(date)s: nothing is forfeited "
                    "before it has passed."),
            on=grace,
        )  # fmt: skip
    today = timezone.localdate()
    if (last or first) > today:
        return refuse(
            "Awb 5:33",
            gettext("A period that has not begun cannot be forfeited: the last "
                    "one would fall on %(date)s."),
            on=last or first,
        )  # fmt: skip
    return None


def forfeiture_dates(decision: LodDecision, first: date, units: int) -> list[date]:
    """The day each period is forfeited: per week one entry every seven days
    from the first; per violation all on the day found; a lump sum once."""
    if decision.amount_basis == AmountBasis.PER_WEEK:
        return [first + timedelta(days=7 * n) for n in range(units)]
    return [first]


@transaction.atomic
def forfeiture_book(
    *,
    case: Case,
    user,
    forfeited_on: date,
    units: int = 1,
    note: str = "",
    authorised: bool = False,
) -> list[Forfeiture]:
    """Book forfeitures, one per period on its own date (per week: the first
    on `forfeited_on`, each next one seven days later; per violation: `units`
    violations on that day; a lump sum once), each capped by what is left
    under the maximum (Awb 5:32b lid 2). Refused with the statute when the
    dates are not lawful (`forfeiture_refusal`)."""
    from casework.rules import StepRefused

    if not authorised and not MAY_RECORD_FORFEITURE(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    decision = _penalty_order(case)
    days = forfeiture_dates(decision, forfeited_on, units)
    refusal = forfeiture_refusal(case, days[0], days[-1])
    if refusal is not None:
        raise StepRefused([refusal])
    total = sum((f.amount for f in case.forfeitures.all()), Decimal("0"))
    left = decision.maximum - total
    if left <= 0:
        raise ValidationError(MAXIMUM_REACHED)
    if decision.amount_basis == AmountBasis.LUMP_SUM:
        per_entry, count = decision.amount, 1
    elif decision.amount_basis == AmountBasis.PER_WEEK:
        per_entry, count = decision.amount, 1
    else:
        per_entry, count = decision.amount * units, units
    booked = []
    for day in days:
        if left <= 0:
            break
        booked.append(
            Forfeiture.objects.create(
                case=case,
                forfeited_on=day,
                units=count,
                amount=min(per_entry, left),
                capped=per_entry > left,
                note=note,
                created_by=user,
            )
        )
        left -= booked[-1].amount
    if booked and len(booked) < len(days) and not booked[-1].capped:
        # The maximum stopped the periods after this one (Awb 5:32b lid 2).
        Forfeiture.objects.filter(pk=booked[-1].pk).update(capped=True)
        booked[-1].capped = True
    return booked


def forfeiture_record(**kwargs) -> Forfeiture:
    """`forfeiture_book` for one entry (per violation or lump sum); for a
    dwangsom per week the first of the weeks booked."""
    return forfeiture_book(**kwargs)[0]


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
    # What can still be collected (costs included); never negative.
    outstanding: Decimal
    ledger: object = None


def _order_remedy_windows(case: Case, today: date) -> list[tuple[date, date | None]]:
    """For each remedy against the order itself: from its bekendmaking (the
    bezwaar term opens) to the day it became final, or None while bezwaar,
    beroep or hoger beroep is still open or pending (5:35 lid 2: "openstaat of
    aanhangig").

    The day it became final: the last day of a term that passed unused, or
    the day the final ruling was recorded (the legal-protection region
    stores no date of its own for `record_final_ruling`; its event's day is
    the day the case learnt of it, never earlier than the ruling). A final
    ruling thus ends the extension on that day; it never undoes it."""
    from casework.models import CaseEvent
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
            days = [d.met_on for d in protection_deadlines(protection) if d.met_on]
            lapsed = [
                d.end_date
                for d in protection_deadlines(protection)
                if d.legal_basis in (OBJECTION_TERM_BASIS, APPEAL_TERM_BASIS)
                and d.met_on is None
                and d.end_date is not None
            ]
            recorded = [
                timezone.localdate(at)
                for at in CaseEvent.objects.filter(
                    case=case,
                    to_status="R90",
                    note__contains=protection.decision_title,
                ).values_list("at", flat=True)
            ]
            final = max(days + lapsed + recorded, default=protection.decided_on)
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


INTERRUPTION_TEXT = {
    "5:37a": _("Interrupted by the collection decision made known on %(day)s: a "
               "new year runs, to %(end)s (Awb 5:37a, 4:110)."),
    "aanmaning": _("Interrupted by the reminder sent on %(day)s: a new year "
                   "runs, to %(end)s (Awb 4:105, 4:106, 4:110)."),
    "dwangbevel": _("Interrupted by the writ of execution issued on %(day)s: a "
                    "new year runs, to %(end)s (Awb 4:106, 4:110)."),
}  # fmt: skip


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
    (extended) term interrupts it; a new year runs from the next day. So does
    an aanmaning or a dwangbevel (4:105, 4:106): `interruptions` holds days,
    or (day, kind) pairs with kind "5:37a", "aanmaning" or "dwangbevel".
    """
    end = terms.add_months(forfeited_on, 12)
    lines = [
        gettext("Forfeited on %(day)s: time-barred one year later, after %(end)s "
                "(Awb 5:35 lid 1; a term in years: no Algemene termijnenwet).")
        % {"day": f"{forfeited_on:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"}
    ]  # fmt: skip
    held_open = False
    used: set = set()
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
        for item in interruptions:
            day, kind = item if isinstance(item, tuple) else (item, "5:37a")
            if (day, kind) in used or day < forfeited_on:
                continue
            if day > end and not held_open:
                continue
            used.add((day, kind))
            fresh = terms.add_months(day, 12)
            if fresh > end or held_open:
                end = max(end, fresh)
                changed = True
                lines.append(
                    str(INTERRUPTION_TEXT[kind])
                    % {"day": f"{day:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"}
                )
    if held_open:
        lines.append(
            gettext("A remedy against the order is open or pending on the last "
                    "day: the term runs on until it is finally decided (Awb "
                    "5:35 lid 2).")
        )  # fmt: skip
    return end, held_open, lines


def dwangsom_account(case: Case, *, today: date | None = None) -> Account | None:
    """The account of a penalty order on `today`, from the ledger
    (workflows/lod/ledger.py): what is outstanding is what can still be
    collected, never negative; an overpayment is a refund due."""
    from workflows.lod.ledger import ledger_for

    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        return None
    ledger = ledger_for(case, today=today)
    lines = [
        ForfeitureLine(
            e.forfeiture, e.payment_due, e.time_barred_after, e.time_barred, e.why
        )
        for e in ledger.entries
    ]
    total = ledger.forfeited
    return Account(
        decision=decision,
        lines=lines,
        total=total,
        maximum=decision.maximum,
        remaining=decision.maximum - total,
        maximum_reached=total >= decision.maximum,
        paid=ledger.paid,
        outstanding=ledger.open,
        ledger=ledger,
    )
