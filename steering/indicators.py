"""The indicators as a viewer sees them (issue 18 items 2 and 3,
docs/steering.md): per family a table of indicators × periods, summed from
the facts in one query, every number through the figures rule
(`permissions.figures.FigureScope.table`: small numbers hidden, secondary
suppression, families the viewer does not count left out).

This module is the interface the reports app builds on: `indicator_table`,
`areas`, `periods`; `steering.charts` draws them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework.registry import registry
from permissions.figures import Cell, FigureScope

from .facts import families_in_order
from .models import Fact

QUARTER = "quarter"
MONTH = "month"
GRAINS = (QUARTER, MONTH)
# The page shows at most this many periods side by side.
MAX_PERIODS = 8


class Period(NamedTuple):
    label: str
    start: date
    end: date  # the last day, included


@dataclass
class IndicatorRow:
    code: str
    label: Any
    cells: list[Cell]
    total: Cell


@dataclass
class FamilyTable:
    """One family's indicators × periods, as the viewer may see them."""

    rows: list[IndicatorRow]
    column_totals: list[Cell]
    grand_total: Cell

    @property
    def suppressed(self) -> bool:
        cells = [c for row in self.rows for c in (*row.cells, row.total)]
        return any(c.suppressed for c in [*cells, *self.column_totals])


@dataclass
class IndicatorTable:
    periods: list[Period]
    # (family code, label, FamilyTable), in the page's order.
    families: list[tuple[str, Any, FamilyTable]]
    area: str = ""
    grain: str = QUARTER

    @property
    def start(self) -> date:
        return self.periods[0].start

    @property
    def end(self) -> date:
        return self.periods[-1].end


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next(start: date, months: int) -> date:
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def period_start(day: date, grain: str) -> date:
    return _quarter_start(day) if grain == QUARTER else day.replace(day=1)


def shift_period(day: date, grain: str, n: int) -> date:
    """The first day of the period `n` periods after the one holding `day`."""
    return _next(period_start(day, grain), (3 if grain == QUARTER else 1) * n)


def period_label(start: date, grain: str) -> str:
    if grain == QUARTER:
        return _("Q%(quarter)s %(year)s") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    return date_format(start, "M Y")


def periods(start: date, end: date, grain: str = QUARTER) -> list[Period]:
    """The periods of `grain` from the one holding `start` to the one holding
    `end` (at least one)."""
    if grain not in GRAINS:
        raise ValueError(f"unknown grain {grain!r}")
    step = 3 if grain == QUARTER else 1
    first = period_start(start, grain)
    last = period_start(max(start, end), grain)
    found = []
    current = first
    while current <= last:
        following = _next(current, step)
        found.append(
            Period(period_label(current, grain), current, following - timedelta(days=1))
        )
        current = following
    return found


def default_range(today: date, grain: str = QUARTER, count: int = 4) -> list[Period]:
    """The last `count` periods, the current one included."""
    step = 3 if grain == QUARTER else 1
    last = period_start(today, grain)
    return periods(_next(last, -step * (count - 1)), today, grain)


def counted_families(scope: FigureScope) -> list[str]:
    """The families whose figures the viewer sees, in the page's order (a
    family without indicators, such as the register extracts the hotspots
    show, is not this page's)."""
    return [
        code
        for code in families_in_order()
        if scope.counts(code) and registry.indicators_of(code)
    ]


def indicator_table(
    scope: FigureScope,
    *,
    start: date,
    end: date,
    area: str = "",
    grain: str = QUARTER,
) -> IndicatorTable:
    """The viewer's indicators for the periods from `start` to `end`, in one
    area or all (""): one query on the facts, whatever the number of cases."""
    spans = periods(start, end, grain)
    codes = counted_families(scope)
    # (family, indicator, period index) → the sum of its months' facts.
    sums: dict[tuple[str, str, int], int] = defaultdict(int)
    if codes and scope.classes:
        facts = Fact.objects.filter(
            month__gte=spans[0].start,
            month__lte=spans[-1].end,
            family__in=codes,
            data_class__in=sorted(scope.classes),
        )
        if area:
            facts = facts.filter(area=area)
        for family, indicator, month, value in (
            facts.order_by()
            .values_list("family", "indicator", "month")
            .annotate(value=Sum("value"))
        ):
            index = next(n for n, p in enumerate(spans) if p.start <= month <= p.end)
            sums[(family, indicator, index)] += value
    families = []
    for code in codes:
        indicators = registry.indicators_of(code)
        values = [
            [sums.get((code, indicator.code, n), 0) for n in range(len(spans))]
            for indicator in indicators
        ]
        table = scope.table(
            values, [code] * len(values), row_totals=True, column_totals=True
        )
        rows = [
            IndicatorRow(indicator.code, indicator.label, row.cells, row.total)
            for indicator, row in zip(indicators, table.rows, strict=True)
        ]
        families.append(
            (
                code,
                registry.families[code].label,
                FamilyTable(rows, table.column_totals, table.grand_total),
            )
        )
    return IndicatorTable(spans, families, area=area, grain=grain)


def areas(scope: FigureScope) -> list[str]:
    """The areas that have figures the viewer counts (for the filter).

    A loose index scan (index `fact_area`): one probe per area for the next
    area after the last, instead of reading every fact for a DISTINCT; the
    ORM version is `areas_orm`, and a test holds the two equal."""
    codes = counted_families(scope)
    classes = sorted(scope.classes)
    if not codes or not classes:
        return []
    table = connection.ops.quote_name(Fact._meta.db_table)
    condition = (
        f"family IN ({', '.join(['%s'] * len(codes))}) "
        f"AND data_class IN ({', '.join(['%s'] * len(classes))})"
    )
    sql = (
        "WITH RECURSIVE t(area) AS ("
        f"SELECT MIN(area) FROM {table} WHERE area > '' AND {condition} "
        f"UNION ALL SELECT (SELECT MIN(area) FROM {table} "
        f"WHERE area > t.area AND {condition}) "
        "FROM t WHERE t.area IS NOT NULL) "
        "SELECT area FROM t WHERE area IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*codes, *classes, *codes, *classes])
        return [row[0] for row in cursor.fetchall()]


def areas_orm(scope: FigureScope) -> list[str]:
    """`areas` as a DISTINCT over the facts (the reference for the test)."""
    codes = counted_families(scope)
    if not codes or not scope.classes:
        return []
    return list(
        Fact.objects.filter(family__in=codes, data_class__in=sorted(scope.classes))
        .exclude(area="")
        .order_by("area")
        .values_list("area", flat=True)
        .distinct()
    )
