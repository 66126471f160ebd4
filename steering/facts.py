"""Recompute the steering facts (issue 18 item 2, docs/steering.md).

Every indicator is declared in the registry (`casework.registry.Indicator`):
by its case type's `registration.py` (status events), or by the steering app
(`steering/registration.py`: signals, bezwaar and beroep, terms). Here each
kind of count (`counter`) is one GROUP BY query over its table, by month,
area and data class; no Python loop walks cases. `refresh` replaces the facts
of the months it recomputes in one transaction, so a page reads either the
old facts or the new ones, never half.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Count,
    DateField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from casework.models import CaseEvent, Deadline, Signal
from casework.registry import STATUS_EVENTS, Indicator, registry
from permissions.figures import FAMILY_SIGNAL
from workflows.legal_protection.machine import LegalProtection, Outcome

from .models import Fact, Refresh

# The kernel's counts (the `counter` of an indicator besides status events).
SIGNALS_IN = "signals_in"
SIGNALS_CONVERTED = "signals_converted"
SIGNALS_FILED = "signals_filed"
OBJECTIONS_UPHELD = "objections_upheld"
OBJECTIONS_REJECTED = "objections_rejected"
APPEALS_UPHELD = "appeals_upheld"
APPEALS_REJECTED = "appeals_rejected"
TERMS_MET = "terms_met"
TERMS_EXCEEDED = "terms_exceeded"

UPHELD = (Outcome.UPHELD, Outcome.PARTLY_UPHELD)
REJECTED = (Outcome.DISMISSED, Outcome.INADMISSIBLE)

# One fact's key: (indicator, family, month, area, data class).
Key = tuple[str, str, date, str, str]


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_start(day: date) -> date:
    return day.replace(day=1)


def _month_of(field: str, *, moment: bool = False) -> TruncMonth:
    """The first day of the month of a date, or of a moment in local time
    (a transition at 23:30 on 31 March in Amsterdam is March's)."""
    if moment:
        return TruncMonth(field, output_field=DateField(), tzinfo=local_zone())
    return TruncMonth(field, output_field=DateField())


def _since_moment(since: date) -> datetime:
    return datetime(since.year, since.month, 1, tzinfo=local_zone())


def _grouped(qs: QuerySet, *fields, **dimensions) -> QuerySet:
    """`qs` counted per month, area and data class (and the extra
    `dimensions`): one GROUP BY."""
    return qs.order_by().values(*fields, **dimensions).annotate(value=Count("pk"))


def _case_families() -> list[str]:
    """The case types that declared a family of figures."""
    return [code for code in registry.families if code in registry.case_types]


# --- The counts ---------------------------------------------------------------


def status_events(indicators: list[Indicator], since: date | None) -> Iterator:
    """Status events into one of an indicator's statuses, on cases of its
    family (the case type), in the month of the event: one query for every
    such indicator."""
    wanted = {s for i in indicators for s in i.statuses}
    families = {i.family for i in indicators}
    qs = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.STATUS,
        to_status__in=sorted(wanted),
        case__case_type__in=sorted(families),
    )
    if since:
        qs = qs.filter(at__gte=_since_moment(since))
    rows = _grouped(
        qs,
        family=F("case__case_type"),
        status=F("to_status"),
        month=_month_of("at", moment=True),
        area=F("case__area"),
        data_class=F("case__data_class"),
    )
    for row in rows:
        for indicator in indicators:
            if indicator.family == row["family"] and row["status"] in (
                indicator.statuses
            ):
                yield indicator.code, row


def _signal_area():
    """A signal's area: that of its first location ("" when it has none)."""
    through = Signal.locations.through
    first = (
        through.objects.filter(signal_id=OuterRef("pk"))
        .order_by("pk")
        .values("location__area")[:1]
    )
    return Coalesce(Subquery(first), Value(""))


def _signals(indicators, since, *, statuses=()) -> Iterator:
    qs = Signal.objects.all()
    if statuses:
        qs = qs.filter(status__in=statuses)
    if since:
        qs = qs.filter(received_on__gte=since)
    rows = _grouped(
        qs,
        "data_class",
        source_=F("source"),
        month=_month_of("received_on"),
        area=_signal_area(),
    )
    for row in rows:
        row["family"] = FAMILY_SIGNAL
        for indicator in indicators:
            if not indicator.sources or row["source_"] in indicator.sources:
                yield indicator.code, row


def signals_in(indicators, since) -> Iterator:
    """Signals received, in the month they came in (`received_on`)."""
    return _signals(indicators, since)


def signals_converted(indicators, since) -> Iterator:
    """Signals that became cases, in the month they came in: a signal records
    no date of its triage, so the month shows how much of what came in then
    has been handled by now."""
    return _signals(indicators, since, statuses=[Signal.Status.CONVERTED])


def signals_filed(indicators, since) -> Iterator:
    """Signals filed without action, in the month they came in."""
    return _signals(indicators, since, statuses=[Signal.Status.FILED])


def _per_case_type(indicators, qs, case: str, **dimensions) -> Iterator:
    """Rows of `qs` (which reach the case through `case`) in the family of
    their case's type."""
    qs = qs.filter(**{f"{case}case_type__in": _case_families()})
    rows = _grouped(
        qs,
        family=F(f"{case}case_type"),
        area=F(f"{case}area"),
        data_class=F(f"{case}data_class"),
        **dimensions,
    )
    for row in rows:
        for indicator in indicators:
            yield indicator.code, row


def _objections(indicators, since, outcomes) -> Iterator:
    qs = LegalProtection.objects.filter(
        objection_outcome__in=outcomes, objection_decided_on__isnull=False
    )
    if since:
        qs = qs.filter(objection_decided_on__gte=since)
    return _per_case_type(
        indicators, qs, "case__", month=_month_of("objection_decided_on")
    )


def objections_upheld(indicators, since) -> Iterator:
    """Beslissingen op bezwaar that uphold it (wholly or in part), in the
    month they were made known."""
    return _objections(indicators, since, UPHELD)


def objections_rejected(indicators, since) -> Iterator:
    """Beslissingen op bezwaar that dismiss it or find it inadmissible."""
    return _objections(indicators, since, REJECTED)


def _appeals(indicators, since, outcomes) -> Iterator:
    """Final court rulings (rechtbank or Raad van State): the history event
    of the step from R40 or R50 to R90, in its month, with the ruling the
    case's final legal protection records (`LegalProtection.outcome`; a case
    with two remedies ended in court counts the newest's ruling twice)."""
    ruling = (
        LegalProtection.objects.filter(case_id=OuterRef("case_id"), status="R90")
        .exclude(outcome="")
        .order_by("-pk")
        .values("outcome")[:1]
    )
    qs = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.NOTE, from_status__in=["R40", "R50"], to_status="R90"
    ).annotate(ruling=Subquery(ruling))
    qs = qs.filter(ruling__in=outcomes)
    if since:
        qs = qs.filter(at__gte=_since_moment(since))
    return _per_case_type(indicators, qs, "case__", month=_month_of("at", moment=True))


def appeals_upheld(indicators, since) -> Iterator:
    return _appeals(indicators, since, UPHELD)


def appeals_rejected(indicators, since) -> Iterator:
    return _appeals(indicators, since, REJECTED)


def _organ_terms():
    """The municipality's own terms (a period for the party that ends is no
    failure of the municipality)."""
    return Deadline.objects.filter(obligation=Deadline.Obligation.ORGAN)


def terms_met(indicators, since) -> Iterator:
    """The municipality's terms met on or before their end, in the month they
    were met."""
    qs = _organ_terms().filter(state=Deadline.State.MET, met_on__lte=F("end_date"))
    if since:
        qs = qs.filter(met_on__gte=since)
    return _per_case_type(indicators, qs, "case__", month=_month_of("met_on"))


def terms_exceeded(indicators, since) -> Iterator:
    """The municipality's terms exceeded: missed (in the month of their end)
    or met late (in the month they were met)."""
    missed = _organ_terms().filter(state=Deadline.State.MISSED)
    late = _organ_terms().filter(state=Deadline.State.MET, met_on__gt=F("end_date"))
    if since:
        missed = missed.filter(end_date__gte=since)
        late = late.filter(met_on__gte=since)
    yield from _per_case_type(indicators, missed, "case__", month=_month_of("end_date"))
    yield from _per_case_type(indicators, late, "case__", month=_month_of("met_on"))


COUNTERS: dict[str, Callable[[list[Indicator], date | None], Iterable]] = {
    STATUS_EVENTS: status_events,
    SIGNALS_IN: signals_in,
    SIGNALS_CONVERTED: signals_converted,
    SIGNALS_FILED: signals_filed,
    OBJECTIONS_UPHELD: objections_upheld,
    OBJECTIONS_REJECTED: objections_rejected,
    APPEALS_UPHELD: appeals_upheld,
    APPEALS_REJECTED: appeals_rejected,
    TERMS_MET: terms_met,
    TERMS_EXCEEDED: terms_exceeded,
}


# --- Refresh --------------------------------------------------------------------


def compute(since: date | None = None) -> dict[Key, int]:
    """Every declared indicator counted from `since`'s month on (None: all
    months): one query per kind of count."""
    by_counter: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in registry.indicators:
        by_counter[indicator.counter].append(indicator)
    facts: dict[Key, int] = defaultdict(int)
    for counter, indicators in by_counter.items():
        for code, row in COUNTERS[counter](indicators, since):
            if row["month"] is None:
                continue
            family = row["family"]
            key = (code, family, row["month"], row["area"] or "", row["data_class"])
            facts[key] += row["value"]
    return facts


def refresh(since: date | None = None) -> int:
    """Recompute the facts of the months from `since`'s month on (None:
    every month) and record when; returns the number of facts written.

    The months are replaced in one transaction, under a lock on the refresh
    row, so two refreshes never interleave and a page reads the old facts
    until the new ones are committed."""
    start = month_start(since) if since else None
    with transaction.atomic():
        Refresh.objects.get_or_create(pk=1)
        state = Refresh.objects.select_for_update().get(pk=1)
        facts = compute(start)
        stale = Fact.objects.all()
        if start:
            stale = stale.filter(month__gte=start)
        stale.delete()
        Fact.objects.bulk_create(
            [
                Fact(
                    indicator=code,
                    family=family,
                    month=month,
                    area=area,
                    data_class=data_class,
                    value=value,
                )
                for (code, family, month, area, data_class), value in facts.items()
                if value
            ],
            batch_size=1000,
        )
        now = timezone.now()
        state.at = now
        state.since = start
        if start is None:
            state.full_at = now
        state.save()
    return len(facts)


def refresh_recent(today: date | None = None) -> int:
    """The current and the previous month (the beat task every 15 minutes)."""
    today = today or timezone.localdate()
    previous = (month_start(today) - timedelta(days=1)).replace(day=1)
    return refresh(previous)


def refreshed_at() -> datetime | None:
    """When the facts were last recomputed (any refresh), or None: never."""
    return Refresh.objects.filter(pk=1).values_list("at", flat=True).first()


def last_refresh() -> Refresh | None:
    """The refresh row: `at` (any refresh) and `full_at` (every month)."""
    return Refresh.objects.filter(pk=1).first()


def families_in_order() -> list[str]:
    """Signals first, then the case types in their menu order."""
    types = [code for code, _label in registry.type_choices()]
    codes = [c for c in registry.families if c not in types]
    codes += [c for c in types if c in registry.families]
    return codes
