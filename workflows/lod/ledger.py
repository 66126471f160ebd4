"""The dwangsom ledger: what the case's debtor owes, entry by entry
(docs/dwangsom.md; docs/domain.md §2.4).

Forfeitures (`penalties.Forfeiture`) are booked per period on their own date;
payments (`penalties.Payment`), refunds and costs are booked here. Nothing is
stored as a balance: `ledger_for` computes it from the entries on a day.

- Every forfeiture has its own payment date (Awb 5:33: six weeks after it was
  forfeited, with the Algemene termijnenwet) and its own verjaring (5:35:
  one year, extended under lid 2, interrupted by the invorderingsbeschikking
  (5:37a lid 1) and by an aanmaning or dwangbevel that demanded it (4:105,
  4:106), each time a new year (4:110)).
- A payment goes first to the costs, then to the forfeitures (Awb 4:92 lid 1:
  costs before the principal), oldest forfeiture first among those that
  could still be collected on the day of payment (BW 6:43 lid 2 by analogy:
  the debt that is due, the oldest first). What is left over is a refund
  due, never a negative balance.
- The aanmaningsvergoeding (Awb 4:113 lid 1) is dated policy data: the
  amounts change every 1 January (Awb 11:2 lid 1), so each row is valid from
  a date (`AANMANING_FEES`, overridable by the setting
  `CASEWORK_AANMANING_FEES`).
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

from casework.letters import money
from casework.models import Case
from casework.rules import Refusal, StepRefused, refuse
from permissions.models import DataClass, Role
from permissions.transitions import allowed_roles

MAY_BOOK = allowed_roles(Role.INVORDERING, writes=DataClass.D8)
MAY_BOOK_COSTS = allowed_roles(Role.INVORDERING, Role.JURIST, writes=DataClass.D8)
NOT_ALLOWED = _("You may not change this case.")
CENT = Decimal("0.01")

# Where the bank details of the invorderingsbeschikking come from
# (settings.CASEWORK_BANK_ACCOUNT); the demo's own is used when none is set.
DEMO_BANK_ACCOUNT = "NL00 BNGH 0123 4567 89 t.n.v. Gemeente Venlo (demo)"


def bank_account() -> str:
    return getattr(settings, "CASEWORK_BANK_ACCOUNT", "") or DEMO_BANK_ACCOUNT


# --- The aanmaningsvergoeding (Awb 4:113 lid 1), dated ----------------------

# (valid from, threshold, fee for a debt below it, fee for a debt of the
# threshold or more, source). Awb 11:2 lid 1 indexes the fee every 1 January
# by ministeriële regeling; add the row of each year's regeling (Staatscourant)
# here or in settings.CASEWORK_AANMANING_FEES. The rows below are what the
# sources read for docs/dwangsom.md say; the 2024 row is the consolidated text
# BWBR0005537 @2024-09-01 that docs/domain.md §0 reads. To be verified against
# the regeling of the year in force (docs/domain.md §8).
AANMANING_FEES: tuple[tuple[date, Decimal, Decimal, Decimal, str], ...] = (
    (date(2009, 7, 1), Decimal("454"), Decimal("6"), Decimal("14"),
     "Awb 4:113 lid 1 as enacted (Stb. 2009, 264)"),
    (date(2013, 1, 1), Decimal("454"), Decimal("6"), Decimal("15"),
     "Awb 11:2 lid 1 indexation (annotation handhavingsrecht.nl, art. 4:113)"),
    (date(2014, 1, 1), Decimal("454"), Decimal("7"), Decimal("15"),
     "Awb 11:2 lid 1 indexation (annotation handhavingsrecht.nl, art. 4:113)"),
    (date(2015, 1, 1), Decimal("500"), Decimal("7"), Decimal("15"),
     "Awb 11:2 indexation of the threshold (annotation PG Awb, art. 4:113)"),
    (date(2024, 9, 1), Decimal("500"), Decimal("8"), Decimal("19"),
     "Awb 4:113 lid 1, BWBR0005537 @2024-09-01, threshold per PG Awb annotation"),
)  # fmt: skip


def aanmaning_fee_row(on: date) -> tuple[date, Decimal, Decimal, Decimal, str]:
    rows = getattr(settings, "CASEWORK_AANMANING_FEES", None) or AANMANING_FEES
    valid = [row for row in rows if row[0] <= on]
    if not valid:
        raise ValidationError(
            _("No aanmaning fee is known for %(day)s (Awb 4:113).")
            % {"day": f"{on:%d-%m-%Y}"}
        )
    return max(valid, key=lambda row: row[0])


def aanmaning_fee(amount_due, on: date) -> Decimal:
    """The aanmaningsvergoeding for a debt of `amount_due` on the day `on`
    (Awb 4:113 lid 1, with the amounts valid that day)."""
    _valid_from, threshold, below, at_or_above, _source = aanmaning_fee_row(on)
    return (below if Decimal(str(amount_due)) < threshold else at_or_above).quantize(
        CENT
    )


# --- Entries besides forfeitures and payments --------------------------------


class Charge(models.Model):
    """Costs the debtor owes besides the dwangsom: the aanmaningsvergoeding
    (Awb 4:113), the costs of a dwangbevel (4:119)."""

    class Kind(models.TextChoices):
        AANMANING = "aanmaning", _("reminder fee (Awb 4:113)")
        DWANGBEVEL = "dwangbevel", _("costs of the writ of execution (Awb 4:119)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    charged_on = models.DateField(_("charged on"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source of the amount"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["charged_on", "id"]

    def __str__(self) -> str:
        return f"{self.charged_on}: {self.amount}"


class Refund(models.Model):
    """Money paid back to the debtor: an overpayment (or a payment on a
    claim that could no longer be collected)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="refunds")
    refunded_on = models.DateField(_("refunded on"))
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["refunded_on", "id"]

    def __str__(self) -> str:
        return f"{self.refunded_on}: {self.amount}"


class CollectionAct(models.Model):
    """An aanmaning sent or a dwangbevel issued: each interrupts the
    verjaring of what it demanded (Awb 4:105, 4:106)."""

    class Kind(models.TextChoices):
        AANMANING = "aanmaning", _("reminder (Awb 4:112)")
        DWANGBEVEL = "dwangbevel", _("writ of execution (Awb 4:114)")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="collection_acts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("sent or issued on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("collection act")
        verbose_name_plural = _("collection acts")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on}"


# --- The ledger ----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One forfeiture with its dates and what is paid on it."""

    forfeiture: object
    payment_due: date
    time_barred_after: date
    held_open: bool
    time_barred: bool
    paid: Decimal
    open: Decimal
    why: list[str] = field(default_factory=list)

    @property
    def collectible(self) -> Decimal:
        return Decimal("0") if self.time_barred else self.open


@dataclass(frozen=True)
class Ledger:
    today: date
    entries: list[Entry]
    forfeited: Decimal
    paid: Decimal
    refunded: Decimal
    costs: Decimal
    costs_open: Decimal
    open: Decimal
    time_barred: Decimal
    refund_due: Decimal

    def balance(self) -> dict[str, str]:
        return {
            "forfeited": _str(self.forfeited),
            "paid": _str(self.paid),
            "costs": _str(self.costs),
            "open": _str(self.open),
            "refund_due": _str(self.refund_due),
            "time_barred": _str(self.time_barred),
            "refunded": _str(self.refunded),
        }

    def collectible_entries(self) -> list[Entry]:
        """The forfeitures that can still be collected, with something open."""
        return [e for e in self.entries if not e.time_barred and e.open > 0]

    def due_on(self, day: date) -> Decimal:
        """What was due and unpaid before `day` (payment date passed)."""
        return sum(
            (e.collectible for e in self.entries if e.payment_due < day),
            Decimal("0"),
        )


def _str(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(CENT))


def _interruptions(case: Case, forfeited_on: date, payment_due: date) -> list:
    """The acts that interrupt this forfeiture's verjaring, with their reason:
    every invorderingsbeschikking made known on or after the forfeiture
    (5:37a lid 1), and every aanmaning or dwangbevel made after its payment
    date, so that it could demand it (4:105, 4:106; 4:112, 4:117)."""
    from workflows.legal_protection.machine import DecisionKind, LegalProtection

    acts = [
        (day, "5:37a")
        for day in LegalProtection.objects.filter(
            case=case, decision_kind=DecisionKind.COLLECTION
        ).values_list("decided_on", flat=True)
        if day >= forfeited_on
    ]
    for act in case.collection_acts.all():
        if act.on > payment_due:
            acts.append((act.on, act.kind))
    return sorted(acts)


def ledger_for(case: Case, *, today: date | None = None) -> Ledger:
    """The ledger of the case on `today`: every forfeiture with its payment
    date and verjaring, payments allocated to costs and then to the oldest
    collectible forfeiture, the surplus a refund due."""
    from casework import terms
    from casework.deadlines import equated_holidays
    from workflows.lod.penalties import _order_remedy_windows, time_barred_after

    today = today or timezone.localdate()
    windows = _order_remedy_windows(case, today)
    extra = equated_holidays()
    rows = []
    for forfeiture in case.forfeitures.all():
        due = terms.compute_term(
            forfeiture.forfeited_on, weeks=6, atw=True, extra_holidays=extra
        ).end
        end, held_open, why = time_barred_after(
            forfeiture.forfeited_on,
            windows=windows,
            interruptions=_interruptions(case, forfeiture.forfeited_on, due),
        )
        rows.append([forfeiture, due, end, held_open, why, Decimal("0")])
    charges = list(case.charges.all())
    charge_paid = [Decimal("0")] * len(charges)
    surplus = Decimal("0")
    paid_total = Decimal("0")
    for payment in case.payments.all():
        left = payment.amount
        paid_total += payment.amount
        # Awb 4:92 lid 1: first the costs.
        for i, charge in enumerate(charges):
            if charge.charged_on <= payment.paid_on and left > 0:
                take = min(left, charge.amount - charge_paid[i])
                charge_paid[i] += take
                left -= take
        # Then the oldest forfeiture that could be collected that day.
        for row in rows:
            forfeiture, _due, end, held_open, _why, paid = row
            if left <= 0:
                break
            if forfeiture.forfeited_on > payment.paid_on:
                continue
            if payment.paid_on > end and not held_open:
                continue
            take = min(left, forfeiture.amount - paid)
            row[5] += take
            left -= take
        surplus += left
    refunded = sum((r.amount for r in case.refunds.all()), Decimal("0"))
    entries = []
    for forfeiture, due, end, held_open, why, paid in rows:
        barred = today > end and not held_open
        entries.append(
            Entry(
                forfeiture=forfeiture,
                payment_due=due,
                time_barred_after=end,
                held_open=held_open,
                time_barred=barred,
                paid=paid,
                open=forfeiture.amount - paid,
                why=why,
            )
        )
    costs = sum((c.amount for c in charges), Decimal("0"))
    costs_open = costs - sum(charge_paid, Decimal("0"))
    return Ledger(
        today=today,
        entries=entries,
        forfeited=sum((e.forfeiture.amount for e in entries), Decimal("0")),
        paid=paid_total,
        refunded=refunded,
        costs=costs,
        costs_open=costs_open,
        open=sum((e.collectible for e in entries), Decimal("0")) + costs_open,
        time_barred=sum((e.open for e in entries if e.time_barred), Decimal("0")),
        refund_due=max(surplus - refunded, Decimal("0")),
    )


def balance(case) -> dict | None:
    """`CaseTypeEntry.balance`: the ledger as strings, for a penalty order."""
    from workflows.lod.handhavingsmatrix import LodDecision, Measure

    decision = LodDecision.objects.filter(case=case).first()
    if decision is None or decision.measure != Measure.DWANGSOM:
        return None
    return ledger_for(case).balance()


# --- Services -------------------------------------------------------------------


@transaction.atomic
def refund_record(
    *, case: Case, user, refunded_on: date, amount: Decimal, note: str = ""
) -> Refund:
    """Pay back what was paid too much; never more than the refund due."""
    if not MAY_BOOK(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be positive.")})
    due = ledger_for(case, today=refunded_on).refund_due
    if amount > due:
        raise StepRefused(
            [
                refuse(
                    "grootboek: terugbetaling",
                    gettext(
                        "Only what was paid too much is refunded: %(due)s is due "
                        "on %(date)s, not %(amount)s."
                    ),
                    on=refunded_on,
                    due=money(due),
                    amount=money(amount),
                )
            ]
        )
    return Refund.objects.create(
        case=case, refunded_on=refunded_on, amount=amount, note=note, created_by=user
    )


@transaction.atomic
def charge_record(
    *, case: Case, user, kind: str, charged_on: date, amount: Decimal,
    source: str = "", authorised: bool = False,
) -> Charge:  # fmt: skip
    if not authorised and not MAY_BOOK_COSTS(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be positive.")})
    return Charge.objects.create(
        case=case, kind=kind, charged_on=charged_on, amount=amount, source=source,
        created_by=user,
    )  # fmt: skip


def collection_act_record(*, case: Case, user, kind: str, on: date) -> CollectionAct:
    return CollectionAct.objects.create(case=case, kind=kind, on=on, created_by=user)


# --- Rules of the collection steps (guards in machine.py, checks in steps.py) ---

RULE_AANMANING = "Awb 4:112 lid 1"
RULE_DWANGBEVEL = "Awb 4:117 lid 1; 4:114"
RULE_PAID = "Awb 4:92; grootboek: saldo nul"
RULE_VIEWS = "Awb 4:8"
RULE_GRACE = "Awb 5:32a lid 2"
RULE_IN_FORCE = "Awb 3:40"
RULE_FUTURE = "Awb 5:33: verbeurd van rechtswege"
AANMANING_BASIS = "Awb 4:112"
COLLECTION_VIEWS_BASIS = "Awb 4:8 (invordering)"


def _running(case, basis: str):
    from casework.models import Deadline

    return (
        Deadline.objects.filter(
            case=case,
            legal_basis=basis,
            state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED],
        )
        .order_by("-end_date")
        .first()
    )


def _latest(case, basis: str):
    from casework.models import Deadline

    return (
        Deadline.objects.filter(case=case, legal_basis=basis)
        .order_by("-event_date", "-pk")
        .first()
    )


def collection_views_refusal(case, day: date) -> Refusal | None:
    """Awb 4:8: no invorderingsbeschikking while the period for views on the
    voornemen tot invordering runs (on `day` or later)."""
    term = _latest(case, COLLECTION_VIEWS_BASIS)
    if term is None or term.end_date is None or day > term.end_date:
        return None
    return refuse(
        RULE_VIEWS,
        gettext(
            "The period for views on the intention to collect runs until "
            "%(date)s: no collection decision before it has passed."
        ),
        on=term.end_date,
    )


def payment_due_refusal(case, day: date) -> Refusal | None:
    """Awb 4:112 lid 1: only a debtor in default is reminded: something
    collectible must have been due (its payment date passed) before `day`."""
    if not _has_ledger(case):
        return None  # a kostenbeschikking (A84) is not booked here
    ledger = ledger_for(case, today=day)
    if ledger.due_on(day) > 0:
        return None
    open_entries = [e for e in ledger.collectible_entries()]
    first_due = min((e.payment_due for e in open_entries), default=None)
    collection = _collection_payment_date(case)
    if first_due is None:
        return refuse(
            RULE_AANMANING,
            gettext("Nothing collectible is open: there is nothing to remind of."),
        )
    due = max(first_due, collection) if collection else first_due
    return refuse(
        RULE_AANMANING,
        gettext(
            "Payment is due until %(date)s (Awb 5:33): a reminder can only be "
            "sent after that day, to a debtor in default."
        ),
        on=due,
    )


def _collection_payment_date(case) -> date | None:
    """The payment date the stored invorderingsbeschikking set, if any."""
    from casework.models import Document

    inputs = (
        Document.objects.filter(case=case, template_key="invorderingsbeschikking")
        .order_by("-created_at", "-version")
        .values_list("inputs", flat=True)
        .first()
    ) or {}
    value = inputs.get("payment_deadline")
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def reminder_refusal(case, day: date) -> Refusal | None:
    """The aanmaning: after the payment date of what it demands (Awb 4:112
    lid 1 with 5:33), and after the invorderingsbeschikking's own payment
    date when it set a later one."""
    refusal = payment_due_refusal(case, day)
    if refusal is not None:
        return refusal
    collection = _collection_payment_date(case)
    if collection is not None and day <= collection:
        return refuse(
            RULE_AANMANING,
            gettext(
                "The collection decision gave until %(date)s to pay: a reminder "
                "can only be sent after that day."
            ),
            on=collection,
        )
    return None


def _has_ledger(case) -> bool:
    """Something was forfeited: the collection rules read the ledger. A
    kostenbeschikking (A84) is not booked here; its steps keep their terms."""
    from workflows.lod.penalties import Forfeiture

    return Forfeiture.objects.filter(case=case).exists()


def _writ_too_early(term) -> Refusal:
    return refuse(
        RULE_DWANGBEVEL,
        gettext(
            "The payment period of the reminder runs until %(date)s: a writ "
            "of execution only after that day."
        ),
        on=term.end_date,
    )


def writ_refusal(case, day: date) -> Refusal | None:
    """Awb 4:117 lid 1 (4:114): a dwangbevel only when the aanmaning's two
    weeks passed without full payment."""
    term = _latest(case, AANMANING_BASIS)
    if not _has_ledger(case):
        return None if term is None or day > term.end_date else _writ_too_early(term)
    if term is None:
        return refuse(
            RULE_DWANGBEVEL,
            gettext("No reminder was sent: a writ of execution needs one first."),
        )
    if day <= term.end_date:
        return _writ_too_early(term)
    if ledger_for(case, today=day).open <= 0:
        return refuse(
            RULE_DWANGBEVEL,
            gettext("Everything is paid: there is nothing to collect by writ."),
        )
    return None


def settled_refusal(case, paid_on: date, amount: Decimal) -> Refusal | None:
    """Paid (A75) only when the ledger's open balance is zero after this
    payment: € 1.000 of € 5.000 is not paid."""
    open_amount = ledger_for(case, today=paid_on).open
    rest = open_amount - (amount or Decimal("0"))
    if rest <= 0:
        return None
    return refuse(
        RULE_PAID,
        gettext(
            "%(rest)s stays open after this payment (of %(open)s open): the "
            "case is paid only when nothing is open. Book a partial payment "
            "instead."
        ),
        on=paid_on,
        rest=money(rest),
        open=money(open_amount),
    )


# --- Actions (CaseTypeEntry.actions): money steps that are not transitions -----


# The states in which a further forfeiture is booked without a transition:
# after the breach step, while the last stays in force (machine.py A70–A74).
FORFEIT_STATES = ("A70", "A71", "A72", "A73", "A74")


def _forfeit(case, user, data) -> None:
    from casework.rules import RULE_ORDER
    from workflows.lod.penalties import forfeiture_book

    if case.status not in FORFEIT_STATES:
        raise StepRefused(
            [
                Refusal(
                    RULE_ORDER,
                    gettext(
                        "A first forfeiture is recorded with the step “Establish "
                        "breach”; further ones from status A70 on."
                    ),
                )
            ]
        )
    forfeiture_book(
        case=case, user=user, forfeited_on=data["forfeited_on"],
        units=data.get("units") or 1,
    )  # fmt: skip


def _pay(case, user, data) -> None:
    from workflows.lod.penalties import payment_record

    payment_record(
        case=case, user=user, paid_on=data["paid_on"], amount=data["amount"],
        note=data.get("note", "")[:200],
    )  # fmt: skip


def _refund(case, user, data) -> None:
    refund_record(
        case=case, user=user, refunded_on=data["refunded_on"], amount=data["amount"],
        note=data.get("note", "")[:200],
    )  # fmt: skip


def _costs(case, user, data) -> None:
    charge_record(
        case=case, user=user, kind=Charge.Kind.DWANGBEVEL,
        charged_on=data["charged_on"], amount=data["amount"],
        source=data.get("note", "")[:200],
    )  # fmt: skip


def _forms() -> dict:
    """The action forms, made once the apps are ready (casework.forms reads
    the database's models at import)."""
    from django import forms

    from casework.forms import DATE_WIDGET, DateField
    from casework.steps import StepForm, not_future

    class PayForm(StepForm):
        paid_on = DateField(
            label=_("Paid on"), widget=DATE_WIDGET, validators=[not_future]
        )
        amount = forms.DecimalField(
            label=_("Amount"), min_value=0, max_digits=12, decimal_places=2
        )

    class RefundForm(StepForm):
        refunded_on = DateField(
            label=_("Refunded on"), widget=DATE_WIDGET, validators=[not_future]
        )
        amount = forms.DecimalField(
            label=_("Amount"), min_value=0, max_digits=12, decimal_places=2
        )

    class ForfeitForm(StepForm):
        forfeited_on = DateField(
            label=_("Violation established on"),
            widget=DATE_WIDGET,
            validators=[not_future],
            help_text=_(
                "Per week: the day the first week was forfeited; each further week "
                "is forfeited seven days later (Awb 5:33)."
            ),
        )
        units = forms.IntegerField(
            label=_("Violations (or weeks)"), min_value=1, max_value=520, initial=1
        )

    class CostsForm(StepForm):
        charged_on = DateField(
            label=_("Charged on"), widget=DATE_WIDGET, validators=[not_future]
        )
        amount = forms.DecimalField(
            label=_("Amount"), min_value=0, max_digits=12, decimal_places=2
        )

    return {
        "pay": PayForm,
        "refund": RefundForm,
        "forfeit": ForfeitForm,
        "costs": CostsForm,
    }


def actions() -> dict:
    from casework.registry import Action

    f = _forms()
    return {
        "forfeit": Action(f["forfeit"], _forfeit, _("Record a further forfeiture")),
        "pay": Action(f["pay"], _pay, _("Book a (partial) payment")),
        "refund": Action(f["refund"], _refund, _("Book a refund")),
        "charge_writ_costs": Action(
            f["costs"], _costs, _("Book the costs of the writ (Awb 4:119)")
        ),
    }


# --- Letters bound to the collection steps --------------------------------------


def _status_in(*codes):
    def offered(case) -> bool:
        # The stored status: a page may hold the case from before the step.
        status = Case.objects.filter(pk=case.pk).values_list("status", flat=True)
        return status.first() in codes

    return offered


def collection_letters(code: str) -> list:
    """The voornemen tot invordering (jurist, at A71), the
    invorderingsbeschikking (jurist, once decided: A72–A74) and the aanmaning
    (invordering or jurist, once sent: A73–A74)."""
    from casework.registry import Letter
    from workflows.lod.letters import LOD_TEMPLATES

    spec = {
        "voornemen_invordering": ({Role.JURIST}, ("A71",)),
        "invorderingsbeschikking": ({Role.JURIST}, ("A72", "A73", "A74")),
        "aanmaning": ({Role.INVORDERING, Role.JURIST}, ("A73", "A74")),
    }
    return [
        Letter(
            LOD_TEMPLATES[key],
            case_types=(code,),
            roles=frozenset(str(r) for r in roles),
            offered_when=_status_in(*states),
        )
        for key, (roles, states) in spec.items()
    ]


COLLECTION_LETTER_KEYS = (
    "voornemen_invordering",
    "invorderingsbeschikking",
    "aanmaning",
)
