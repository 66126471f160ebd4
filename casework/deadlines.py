"""Deadline tracking: create, suspend, extend, override, meet, and sweep.

The arithmetic lives in `casework.terms`; this module keeps each case deadline
and its ledger in the database and recomputes the end date from the ledger
whenever the ledger changes. The sweep is one idempotent service function,
run by `manage.py deadlines_sweep` and by Celery beat where Celery runs.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from permissions.decision import CHANGE_TERM, decide

from .models import (
    Case,
    CaseEvent,
    Deadline,
    DeadlineAdjustment,
    EquatedHoliday,
    Notification,
)


def reminder_working_days() -> int:
    """How many working days ahead "Mijn werk" and the sweep look
    (CASEWORK_REMINDER_WORKING_DAYS, default 5)."""
    return settings.CASEWORK_REMINDER_WORKING_DAYS


SUSPENSION_OPEN = gettext_lazy("This deadline already has a running suspension.")
NO_OPEN_SUSPENSION = gettext_lazy("This deadline has no running suspension.")
OVERRIDE_NEEDS_REASON = gettext_lazy("Give the reason for setting the end by hand.")
NOT_ALLOWED = gettext_lazy("You may not change the deadlines of this case.")
BAD_PERIOD = gettext_lazy(
    "The last day of a suspension cannot lie before its first day."
)


def equated_holidays() -> dict[date, str]:
    return dict(EquatedHoliday.objects.values_list("day", "name"))


def _terms():
    # Imported on use so the pure term module loads only where terms are computed.
    from . import terms

    return terms


def _ledger(deadline: Deadline, today: date):
    terms = _terms()
    suspensions, extension_days, extension_reasons = [], 0, []
    for adj in deadline.adjustments.all():
        if adj.kind == DeadlineAdjustment.Kind.EXTENSION:
            extension_days += adj.days
            extension_reasons.append(f"{adj.legal_basis}: {adj.reason}")
            continue
        end = adj.end or today
        if adj.cap_end is not None:
            end = min(end, adj.cap_end)
        if end >= adj.start:
            suspensions.append(
                terms.Suspension(
                    start=adj.start, end=end, reason=f"{adj.legal_basis}: {adj.reason}"
                )
            )
    return suspensions, extension_days, "; ".join(extension_reasons)


def _recompute(deadline: Deadline, *, today: date | None = None) -> Deadline:
    today = today or timezone.localdate()
    suspensions, extension_days, extension_reason = _ledger(deadline, today)
    result = _terms().compute_term(
        deadline.event_date,
        **{deadline.unit: deadline.length},
        atw=deadline.atw_applies,
        suspensions=suspensions,
        extension_days=extension_days,
        extension_reason=extension_reason,
        extra_holidays=equated_holidays(),
    )
    deadline.computed_end = result.end
    lines = list(result.lines)
    if deadline.manual_override:
        lines.append(
            _("End set by hand to %(date)s: %(reason)s")
            % {
                "date": deadline.manual_override.isoformat(),
                "reason": deadline.override_reason,
            }
        )
    deadline.explanation = lines
    deadline.end_date = deadline.manual_override or deadline.computed_end
    running = _running_suspension(deadline).exists()
    if deadline.state in (Deadline.State.OPEN, Deadline.State.SUSPENDED):
        deadline.state = Deadline.State.SUSPENDED if running else Deadline.State.OPEN
    return deadline


# Legal bases of periods given to the party rather than terms the municipality
# must meet: views (Awb 4:8), objection and appeal (6:7), compliance
# (5:32a), payment (5:33, 4:112).
PARTY_BASES = ("Awb 4:8", "Awb 5:32a", "Awb 5:33", "Awb 4:112", "Awb 6:7")


def obligation_for(legal_basis: str) -> str:
    basis = " ".join(legal_basis.split())
    if basis.startswith(PARTY_BASES):
        return Deadline.Obligation.PARTY
    return Deadline.Obligation.ORGAN


def _require(user, case) -> None:
    """Setting, suspending, extending or overriding a legal deadline is the
    decision point's CHANGE_TERM (not the inspector's)."""
    if not decide(user, CHANGE_TERM, "deadline", case=case):
        raise PermissionDenied(NOT_ALLOWED)


# Deadlines that still run: the case list's due date is the first of their ends.
RUNNING = (Deadline.State.OPEN, Deadline.State.SUSPENDED)


def _refresh_next_due(case_id: int) -> None:
    """`Case.next_due`, the end date of the case's first running deadline,
    which the case list filters and sorts on (docs/listing.md). This module
    is the one place deadlines change, so every change here ends with this
    one UPDATE."""
    first = (
        Deadline.objects.filter(case_id=OuterRef("pk"), state__in=RUNNING)
        .order_by("end_date")
        .values("end_date")[:1]
    )
    Case.objects.filter(pk=case_id).update(next_due=Subquery(first))


def _note(deadline: Deadline, user, text: str) -> None:
    CaseEvent.objects.create(
        case=deadline.case, actor=user, kind=CaseEvent.Kind.NOTE, note=text
    )


@transaction.atomic
def deadline_create(
    *,
    case,
    user,
    title: str,
    legal_basis: str,
    event_date: date,
    length: int,
    unit: str,
    atw_applies: bool,
    owner=None,
    authorised: bool = False,
    obligation: str | None = None,
) -> Deadline:
    """A new deadline on the case, computed from the triggering event.

    `authorised`: the caller is a step whose own permission it has checked
    (the burgemeester signing a besluit sets its terms without the right to
    edit the case file). `obligation`: whose period it is; by default derived
    from the legal basis (`PARTY_BASES`)."""
    if not authorised:
        _require(user, case)
    deadline = Deadline(
        case=case,
        title=title,
        legal_basis=legal_basis,
        event_date=event_date,
        length=length,
        unit=unit,
        atw_applies=atw_applies,
        owner=owner or user,
        obligation=obligation or obligation_for(legal_basis),
        computed_end=event_date,
        end_date=event_date,
    )
    deadline.full_clean(exclude=["computed_end", "end_date"])
    deadline.save()
    _recompute(deadline)
    deadline.save()
    _refresh_next_due(deadline.case_id)
    _note(
        deadline,
        user,
        _("Deadline %(title)s set (%(basis)s): ends %(date)s")
        % {"title": title, "basis": legal_basis, "date": deadline.end_date.isoformat()},
    )
    return deadline


def _running_suspension(deadline: Deadline):
    return deadline.adjustments.filter(
        kind=DeadlineAdjustment.Kind.SUSPENSION, end__isnull=True
    )


def _save_changed(deadline: Deadline, user, note: str) -> Deadline:
    """Recompute from the ledger, save, and record the change on the case."""
    _recompute(deadline)
    deadline.save()
    _refresh_next_due(deadline.case_id)
    _note(deadline, user, note)
    return deadline


def _locked(deadline: Deadline) -> Deadline:
    return (
        Deadline.objects.select_for_update().select_related("case").get(pk=deadline.pk)
    )


@transaction.atomic
def deadline_suspend(
    *,
    deadline: Deadline,
    user,
    start: date,
    legal_basis: str,
    reason: str,
    end: date | None = None,
    cap_end: date | None = None,
    document=None,
) -> Deadline:
    """Record a suspension; without `end` it runs until `deadline_resume`."""
    deadline = _locked(deadline)
    _require(user, deadline.case)
    if end is not None and end < start:
        raise ValidationError(BAD_PERIOD)
    if end is None and _running_suspension(deadline).exists():
        raise ValidationError(SUSPENSION_OPEN)
    DeadlineAdjustment.objects.create(
        deadline=deadline,
        kind=DeadlineAdjustment.Kind.SUSPENSION,
        start=start,
        end=end,
        cap_end=cap_end,
        legal_basis=legal_basis,
        reason=reason,
        document=document,
        created_by=user,
    )
    return _save_changed(
        deadline,
        user,
        _("Deadline %(title)s suspended from %(date)s (%(basis)s)")
        % {"title": deadline.title, "date": start.isoformat(), "basis": legal_basis},
    )


@transaction.atomic
def deadline_resume(*, deadline: Deadline, user, last_day: date) -> Deadline:
    """End the running suspension; `last_day` is its last suspended day."""
    deadline = _locked(deadline)
    _require(user, deadline.case)
    running = _running_suspension(deadline).first()
    if running is None:
        raise ValidationError(NO_OPEN_SUSPENSION)
    if last_day < running.start:
        raise ValidationError(BAD_PERIOD)
    running.end = min(last_day, running.cap_end) if running.cap_end else last_day
    running.save(update_fields=["end"])
    return _save_changed(
        deadline,
        user,
        _("Suspension of %(title)s ended on %(date)s")
        % {"title": deadline.title, "date": running.end.isoformat()},
    )


@transaction.atomic
def deadline_extend(
    *, deadline: Deadline, user, days: int, legal_basis: str, reason: str, document=None
) -> Deadline:
    """Verdaging (Awb 4:14, 7:10 lid 3): add `days` to the term."""
    deadline = _locked(deadline)
    _require(user, deadline.case)
    DeadlineAdjustment.objects.create(
        deadline=deadline,
        kind=DeadlineAdjustment.Kind.EXTENSION,
        days=days,
        legal_basis=legal_basis,
        reason=reason,
        document=document,
        created_by=user,
    )
    return _save_changed(
        deadline,
        user,
        _("Deadline %(title)s extended by %(days)s days (%(basis)s)")
        % {"title": deadline.title, "days": days, "basis": legal_basis},
    )


@transaction.atomic
def deadline_override(
    *, deadline: Deadline, user, end: date | None, reason: str
) -> Deadline:
    """Set the end by hand (with a reason), or clear the override with None."""
    deadline = _locked(deadline)
    _require(user, deadline.case)
    if end is not None and not reason.strip():
        raise ValidationError(OVERRIDE_NEEDS_REASON)
    deadline.manual_override = end
    deadline.override_reason = reason.strip() if end else ""
    _recompute(deadline)
    deadline.save()
    _refresh_next_due(deadline.case_id)
    return deadline


@transaction.atomic
def deadline_mark_met(
    *, deadline: Deadline, user, on: date | None = None, authorised: bool = False
) -> Deadline:
    deadline = _locked(deadline)
    if not authorised:
        _require(user, deadline.case)
    deadline.state = Deadline.State.MET
    deadline.met_on = on or timezone.localdate()
    deadline.save(update_fields=["state", "met_on"])
    _refresh_next_due(deadline.case_id)
    _note(deadline, user, _("Deadline %(title)s met") % {"title": deadline.title})
    return deadline


def working_days_ahead(start: date, count: int, extra: dict[date, str]) -> date:
    """The date `count` working days after `start` (Atw rest days skipped)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if not _terms().is_rest_day(day, extra):
            count -= 1
    return day


def _notify(deadline: Deadline, kind: str) -> bool:
    """Create the notification once; False when it already existed."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                user=deadline.owner, deadline=deadline, kind=kind
            )
    except IntegrityError:
        return False
    return True


def deadlines_sweep(*, today: date | None = None) -> dict[str, int]:
    """Mark passed deadlines missed (the municipality's) or ended (the
    party's), end suspensions at their legal cap, and
    notify owners of deadlines due within `reminder_working_days()` working days.

    Idempotent: every notification is unique per (deadline, kind, user), so a
    second run the same day creates nothing.
    """
    today = today or timezone.localdate()
    extra = equated_holidays()
    counts = {"missed": 0, "lapsed": 0, "reminders": 0, "capped": 0}

    capped = DeadlineAdjustment.objects.filter(
        kind=DeadlineAdjustment.Kind.SUSPENSION, end__isnull=True, cap_end__lt=today
    ).select_related("deadline")
    for adj in capped:
        with transaction.atomic():
            deadline = _locked(adj.deadline)
            DeadlineAdjustment.objects.filter(pk=adj.pk).update(end=adj.cap_end)
            _recompute(deadline, today=today)
            deadline.save()
            _refresh_next_due(deadline.case_id)
            counts["capped"] += _notify(deadline, Notification.Kind.CAP)

    active = [Deadline.State.OPEN, Deadline.State.SUSPENDED]
    for deadline in Deadline.objects.filter(
        state=Deadline.State.OPEN, end_date__lt=today
    ):
        party = deadline.obligation == Deadline.Obligation.PARTY
        with transaction.atomic():
            Deadline.objects.filter(pk=deadline.pk, state=Deadline.State.OPEN).update(
                state=Deadline.State.LAPSED if party else Deadline.State.MISSED
            )
            _refresh_next_due(deadline.case_id)
            if party:
                counts["lapsed"] += _notify(deadline, Notification.Kind.LAPSED)
            else:
                counts["missed"] += _notify(deadline, Notification.Kind.MISSED)

    horizon = working_days_ahead(today, reminder_working_days(), extra)
    soon = Deadline.objects.filter(
        state__in=active, end_date__gte=today, end_date__lte=horizon
    )
    for deadline in soon:
        counts["reminders"] += _notify(deadline, Notification.Kind.REMINDER)
    return counts


def deadlines_for_user(user, *, today: date | None = None, within_working_days=None):
    """Open deadlines the user owns on cases the user may still see, overdue
    first: those past their end and those ending within N working days."""
    from .models import Case

    today = today or timezone.localdate()
    days = (
        reminder_working_days() if within_working_days is None else within_working_days
    )
    horizon = working_days_ahead(today, days, equated_holidays())
    return (
        Deadline.objects.filter(
            owner=user,
            state__in=[
                Deadline.State.OPEN,
                Deadline.State.SUSPENDED,
                Deadline.State.MISSED,
                Deadline.State.LAPSED,
            ],
            end_date__lte=horizon,
            case__in=Case.objects.for_user(user).values("pk"),
        )
        .select_related("case")
        .order_by("end_date", "id")
    )
