"""The rebuild of the hotspot figures (docs/hotspots.md "Rebuild"): set-based
INSERT … SELECT statements that rewrite `Figure` (counts per address and
per area, each with its family and data class) and `Rank` (each steering
role's score per address), in one transaction, so that a page reads either
the old or the new figures. Run by `manage.py refresh_hotspots`, the Celery
beat task `hotspots.tasks.refresh` every 15 minutes, and the demo.

The score of an address for a role (`Rank`) counts only the cells a viewer
of that role sees: the role's data classes, the families it may see per
address (`FigureScope.per_address`), and a cell under the threshold counts
nothing unless the role sees that family exactly. So a hidden number never
decides the order of the list."""

from __future__ import annotations

import calendar
import time
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from casework.models import CaseLocation, Signal
from permissions.figures import FAMILY_SIGNAL, STEERING_ROLES, scope_for_role

from .models import Figure, Rank, Refresh
from .registers import relink

KADASTER, KVK = "KAD", "KVK"
# The register extracts are identification data (addresses, companies):
# every steering role reads D1.
REGISTER_CLASS = "D1"
# Age bands of signals (months before today): < 3, 3–12, older.
RECENT_MONTHS, YEAR_MONTHS = 3, 12
OWNERSHIP_MONTHS = 36  # ownership changes in the last three years
BRANCH_MONTHS = 24  # branch registrations new in the last two years
# The weight of one counted item in the score, by measure.
WEIGHTS = {"open": 3, "ownership": 2}  # every other measure: 1


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day
    when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def role_scope(role: str):
    """The figures scope of a viewer of `role` (the decision point's
    `scope_for_role`: the scope depends only on the role)."""
    return scope_for_role(role)


def _levels():
    """(location column, group-by columns) per level: addresses, areas."""
    return (
        ("{l}.id", "{l}.id, {l}.area"),
        ("CAST(NULL AS INTEGER)", "{l}.area"),
    )


def _figures(cursor, today: date) -> None:
    figure = Figure._meta.db_table
    signal_locations = Signal.locations.through._meta.db_table
    signal = Signal._meta.db_table
    case_location = CaseLocation._meta.db_table
    case = CaseLocation._meta.get_field("case").related_model._meta.db_table
    location = CaseLocation._meta.get_field("location").related_model._meta.db_table
    from .models import BranchRegistration, OwnershipChange

    ownership = OwnershipChange._meta.db_table
    branch = BranchRegistration._meta.db_table
    insert = (
        f"INSERT INTO {figure} "
        "(location_id, area, family, data_class, measure, key, value) "
    )
    recent = months_before(today, RECENT_MONTHS)
    year = months_before(today, YEAR_MONTHS)
    for loc, group in _levels():
        outer_loc = loc.format(l="t").replace("t.id", "t.lid")
        outer_group = group.format(l="t").replace("t.id", "t.lid")
        # Signals by source.
        cursor.execute(
            insert + f"SELECT {loc.format(l='l')}, l.area, %s, s.data_class, 'source', "
            f"s.source, COUNT(DISTINCT s.id) FROM {signal_locations} sl "
            f"JOIN {signal} s ON s.id = sl.signal_id "
            f"JOIN {location} l ON l.id = sl.location_id "
            f"GROUP BY {group.format(l='l')}, s.data_class, s.source",
            [FAMILY_SIGNAL],
        )
        # Signals by age band.
        cursor.execute(
            insert + f"SELECT {outer_loc}, t.area, %s, t.data_class, 'age', t.band, "
            "COUNT(DISTINCT t.sid) FROM (SELECT l.id AS lid, l.area AS area, "
            "s.id AS sid, s.data_class AS data_class, CASE "
            "WHEN s.received_on >= %s THEN 'recent' "
            "WHEN s.received_on >= %s THEN 'year' ELSE 'older' END AS band "
            f"FROM {signal_locations} sl JOIN {signal} s ON s.id = sl.signal_id "
            f"JOIN {location} l ON l.id = sl.location_id) t "
            f"GROUP BY {outer_group}, t.data_class, t.band",
            [FAMILY_SIGNAL, recent, year],
        )
        # Cases by type, open or closed.
        cursor.execute(
            insert
            + f"SELECT {outer_loc}, t.area, t.case_type, t.data_class, t.state, '', "
            "COUNT(DISTINCT t.cid) FROM (SELECT l.id AS lid, l.area AS area, "
            "c.id AS cid, c.case_type AS case_type, c.data_class AS data_class, "
            "CASE WHEN c.closed_at IS NULL THEN 'open' ELSE 'closed' END AS state "
            f"FROM {case_location} cl JOIN {case} c ON c.id = cl.case_id "
            f"JOIN {location} l ON l.id = cl.location_id) t "
            f"GROUP BY {outer_group}, t.case_type, t.data_class, t.state",
        )
        # Ownership changes in the last three years.
        cursor.execute(
            insert + f"SELECT {loc.format(l='l')}, l.area, %s, %s, 'ownership', '', "
            f"COUNT(*) FROM {ownership} o JOIN {location} l ON l.id = o.location_id "
            f"WHERE o.transferred_on >= %s GROUP BY {group.format(l='l')}",
            [KADASTER, REGISTER_CLASS, months_before(today, OWNERSHIP_MONTHS)],
        )
        # Branch registrations new in the last two years, by SBI code.
        cursor.execute(
            insert
            + f"SELECT {loc.format(l='l')}, l.area, %s, %s, 'branch', b.sbi_code, "
            f"COUNT(*) FROM {branch} b JOIN {location} l ON l.id = b.location_id "
            f"WHERE b.registered_on >= %s GROUP BY {group.format(l='l')}, b.sbi_code",
            [KVK, REGISTER_CLASS, months_before(today, BRANCH_MONTHS)],
        )


def _in(values) -> tuple[str, list]:
    """An IN list and its parameters; an empty list matches nothing."""
    values = sorted(values)
    if not values:
        return "IN (NULL)", []
    return "IN (" + ", ".join(["%s"] * len(values)) + ")", values


def _ranks(cursor, role: str, families: set[str]) -> None:
    scope = role_scope(role)
    if scope is None:
        return
    shown = {f for f in families if scope.per_address(f)}
    exact = {f for f in shown if scope.exact(f)}
    figure, rank = Figure._meta.db_table, Rank._meta.db_table
    in_families, p_families = _in(shown)
    in_classes, p_classes = _in(scope.classes)
    in_exact, p_exact = _in(exact)
    weight = (
        "CASE "
        + " ".join(f"WHEN measure = '{m}' THEN {w}" for m, w in WEIGHTS.items())
        + " ELSE 1 END"
    )
    cells = (
        "SELECT location_id, area, family, "
        f"CASE WHEN SUM(value) >= %s OR family {in_exact} THEN SUM(value) ELSE 0 END "
        f"* {weight} AS points FROM {figure} WHERE location_id IS NOT NULL "
        f"AND measure <> 'age' AND family {in_families} AND data_class {in_classes} "
        "GROUP BY location_id, area, family, measure"
    )
    cell_params = [scope.threshold, *p_exact, *p_families, *p_classes]
    sources = (
        "SELECT location_id, area, family, key, "
        f"CASE WHEN SUM(value) >= %s OR family {in_exact} THEN SUM(value) ELSE 0 END "
        f"AS points FROM {figure} WHERE location_id IS NOT NULL "
        f"AND family = %s AND measure = 'source' AND family {in_families} "
        f"AND data_class {in_classes} GROUP BY location_id, area, family, key"
    )
    source_params = [scope.threshold, *p_exact, FAMILY_SIGNAL, *p_families, *p_classes]
    cursor.execute(
        f"INSERT INTO {rank} (role, facet, area, location_id, score) "
        "SELECT %s, t.facet, t.area, t.location_id, SUM(t.points) FROM ("
        f"SELECT location_id, area, '' AS facet, points FROM ({cells}) a "
        f"UNION ALL SELECT location_id, area, 'F:' || family, points FROM ({cells}) b "
        f"UNION ALL SELECT location_id, area, 'S:' || key, points FROM ({sources}) c"
        ") t GROUP BY t.facet, t.area, t.location_id HAVING SUM(t.points) > 0",
        [role, *cell_params, *cell_params, *source_params],
    )


def refresh(*, today: date | None = None) -> Refresh:
    """Rewrite every figure and rank; returns the refresh's record."""
    started = time.monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        relink()
        Rank.objects.all().delete()
        Figure.objects.all().delete()
        with connection.cursor() as cursor:
            _figures(cursor, today)
            families = set(Figure.objects.values_list("family", flat=True).distinct())
            for role in sorted(STEERING_ROLES):
                _ranks(cursor, role, families)
        record = Refresh.objects.order_by("pk").first() or Refresh()
        record.finished_at = timezone.now()
        record.seconds = round(time.monotonic() - started, 3)
        record.figures = Figure.objects.count()
        record.ranks = Rank.objects.count()
        record.save()
    return record
