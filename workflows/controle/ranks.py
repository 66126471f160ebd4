"""The selection board's ranks (`BoardRank`, docs/controle.md "Selection
board"): per organisation and board role (`BOARD_ROLES`), per address, per
source and for every source, how many signals its members may see are not
filed and were received in the last BOARD_WINDOW_DAYS days, and the latest.

Which signals a scope sees is the decision point's rule for an organisation
and a role (`permissions.selectors.signal_sql_for`, the rule of
`Signal.objects.for_user`). Everything is written set-based, INSERT … SELECT:

- `refresh_locations`: the rows of some addresses in every scope built,
  after a signal about them changed (handlers.py, after commit);
- `ensure_scope`: a scope's rows when the page finds none, or finds them
  counted on an earlier window (the window moves each day);
- `rebuild`: every scope of the organisations' board roles (the nightly task
  `workflows.controle.tasks.refresh_board`, `manage.py refresh_board`, and
  after bulk writes that bypass the model signals).

Writers take the table's lock (PostgreSQL: SHARE ROW EXCLUSIVE, which blocks
no reader and orders the writers), so two refreshes never interleave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from casework.models import Location, Signal
from permissions.models import Membership
from permissions.selectors import signal_sql_for

from .models import BOARD_ROLES, BOARD_WINDOW_DAYS, BoardRank, BoardScope

# Addresses per statement of an incremental refresh (SQLite's parameters).
CHUNK = 500


def window_from(today: date | None = None) -> date:
    """The first day of the board's window (as `board_signals`)."""
    return (today or timezone.localdate()) - timedelta(days=BOARD_WINDOW_DAYS)


def member_scopes() -> list[tuple[int, str]]:
    """The (organisation, role) pairs that have a member with a board role."""
    return sorted(
        Membership.objects.filter(role__in=BOARD_ROLES)
        .values_list("organisation_id", "role")
        .distinct()
    )


def _lock(cursor) -> None:
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(BoardRank._meta.db_table)
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def _in(column: str, ids) -> tuple[str, list]:
    if ids is None:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _insert_sources(cursor, scopes, since: date, location_ids=None) -> None:
    """The rows per source of `scopes`, for `location_ids` (None: all)."""
    qn = connection.ops.quote_name
    rank = qn(BoardRank._meta.db_table)
    links = qn(Signal.locations.through._meta.db_table)
    signal = qn(Signal._meta.db_table)
    location = qn(Location._meta.db_table)
    where_ids, id_params = _in("sl.location_id", location_ids)
    parts, params = [], []
    for organisation_id, role in scopes:
        visible, visible_params = signal_sql_for(organisation_id, role, signal="s")
        if not visible:
            continue  # the role reads no signal
        parts.append(
            "SELECT %s, %s, sl.location_id, s.source, COUNT(*), "
            f"MAX(s.received_on), l.area FROM {links} sl "
            f"JOIN {signal} s ON s.id = sl.signal_id "
            f"JOIN {location} l ON l.id = sl.location_id "
            f"WHERE s.status <> %s AND s.received_on >= %s AND ({visible})"
            f"{where_ids} GROUP BY sl.location_id, l.area, s.source"
        )
        params += [organisation_id, role, Signal.Status.FILED.value, since]
        params += [*visible_params, *id_params]
    if not parts:
        return
    cursor.execute(
        f"INSERT INTO {rank} (organisation_id, role, location_id, source, "
        "signals, latest, area) " + " UNION ALL ".join(parts),
        params,
    )


def _insert_totals(cursor, *, scope=None, location_ids=None) -> None:
    """The every-source row of each address from its rows per source (a
    signal has one source, so the counts add up)."""
    rank = connection.ops.quote_name(BoardRank._meta.db_table)
    where_ids, params = _in("location_id", location_ids)
    if scope is not None:
        where_ids += " AND organisation_id = %s AND role = %s"
        params += list(scope)
    cursor.execute(
        f"INSERT INTO {rank} (organisation_id, role, location_id, source, "
        "signals, latest, area) SELECT organisation_id, role, location_id, '', "
        f"SUM(signals), MAX(latest), area FROM {rank} WHERE source <> ''"
        f"{where_ids} GROUP BY organisation_id, role, location_id, area",
        params,
    )


def refresh_locations(location_ids) -> None:
    """Count the rows of these addresses again, in every scope built."""
    ids = sorted({int(pk) for pk in location_ids if pk is not None})
    if not ids:
        return
    since = window_from()
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        scopes = list(BoardScope.objects.values_list("organisation_id", "role"))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            BoardRank.objects.filter(location_id__in=chunk).delete()
            _insert_sources(cursor, scopes, since, chunk)
            _insert_totals(cursor, location_ids=chunk)


def ensure_scope(organisation_id: int, role: str) -> None:
    """Build the scope's rows when they are missing or were counted on an
    earlier window (the nightly rebuild did not run yet): once, the first
    page that needs them. One query when they are there."""
    since = window_from()
    if BoardScope.objects.filter(
        organisation_id=organisation_id, role=role, window_from__gte=since
    ).exists():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        # Another request may have built it while this one waited.
        if BoardScope.objects.filter(
            organisation_id=organisation_id, role=role, window_from__gte=since
        ).exists():
            return
        _build(cursor, [(organisation_id, role)], since)


def _build(cursor, scopes, since: date) -> None:
    for organisation_id, role in scopes:
        BoardRank.objects.filter(organisation_id=organisation_id, role=role).delete()
    _insert_sources(cursor, scopes, since)
    for scope in scopes:
        _insert_totals(cursor, scope=scope)
        BoardScope.objects.update_or_create(
            organisation_id=scope[0],
            role=scope[1],
            defaults={"window_from": since, "built_at": timezone.now()},
        )


@dataclass(frozen=True)
class Rebuilt:
    scopes: int
    rows: int


def rebuild(today: date | None = None) -> Rebuilt:
    """Count every scope again: those of the board roles' members (a scope
    whose members left is dropped; a new one is also built on demand)."""
    since = window_from(today)
    with transaction.atomic(), connection.cursor() as cursor:
        _lock(cursor)
        scopes = member_scopes()
        BoardRank.objects.all().delete()
        BoardScope.objects.all().delete()
        _build(cursor, scopes, since)
        rows = BoardRank.objects.count()
    return Rebuilt(len(scopes), rows)
