"""The case list: filters, sorting, keyset pages and saved views (issue 16,
items 2 and 3; docs/listing.md); the signal list's pages (`signal_page`).

Every list starts from the user's team rows (`permissions.selectors.
case_access_for_user`, the decision point's rule for reading a case), so no
filter, sort, cursor or saved view can reach a case the user may not open: a
saved view is a querystring, evaluated with the access of whoever opens it.

Pages follow a cursor, never an OFFSET: the sort key and the id of the last
row shown (`after`) or of the first (`before`), so the hundredth page costs
what the first does. Ties on the sort key are broken by the case id.
"""

import re
from collections import OrderedDict
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from permissions.models import Membership, Organisation
from permissions.policy import actor_for
from permissions.selectors import case_access_for_user, team_row_lookups

from .models import Case, ListEntry, SavedView, Signal
from .selectors import (
    PAGE_SIZE,
    CaseCount,
    case_rows,
    count_cases,
    rule_key,
    signal_rows,
)

BAD_CURSOR = _("That page position is not valid; the first page is shown.")


class Sort(NamedTuple):
    """An order of a list: the column, its direction, the letter that marks
    its cursors (a cursor of another order is refused) and whether the
    column is a date (else a time)."""

    column: str
    descending: bool
    mark: str
    date: bool = False


SORTS = {
    "opened": Sort("opened_at", True, "o"),
    "due": Sort("next_due", False, "d", date=True),
    "activity": Sort("last_activity_at", True, "a"),
}
# The signal list: newest received first (`signal_page`).
SIGNALS = Sort("received_on", True, "r", date=True)


def sort_of(filters: dict) -> Sort:
    """The order the user chose; unchosen ("Standard"), the list is newest
    first — and, within a period of deadlines, soonest deadline first: that is
    what "my cases due this week" asks, and the due-date index (`list_due`)
    serves it as a range instead of sorting the whole period by opening date
    (docs/listing.md)."""
    chosen = filters.get("sort") or ""
    if chosen:
        return SORTS[chosen]
    if filters.get("due_from") or filters.get("due_to"):
        return SORTS["due"]
    return SORTS["opened"]


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CURSOR = re.compile(r"^([a-z])(-?\d{1,17})_(\d{1,18})$")
MAX_ORDINAL = date.max.toordinal()


class CursorError(ValueError):
    """A cursor this list did not write."""


def encode_cursor(sort: Sort, value, case_id: int) -> str:
    """`<mark><sort key as an integer>_<id>`: microseconds since 1970 for a
    time, the day's ordinal for a date (the id: a case's, or a signal's)."""
    if isinstance(value, datetime):
        number = (value - EPOCH) // timedelta(microseconds=1)
    else:
        number = value.toordinal()
    return f"{sort.mark}{number}_{case_id}"


def decode_cursor(sort: Sort, text: str):
    """(sort key, case id) of a cursor for `sort`; CursorError otherwise."""
    match = CURSOR.match(text)
    if not match or match[1] != sort.mark:
        raise CursorError(text)
    number, case_id = int(match[2]), int(match[3])
    try:
        if sort.date:
            if not 1 <= number <= MAX_ORDINAL:
                raise CursorError(text)
            return date.fromordinal(number), case_id
        return EPOCH + timedelta(microseconds=number), case_id
    except OverflowError as exc:
        raise CursorError(text) from exc


# The list's index and its triggers ----------------------------------------

# The case's columns an entry copies: (entry column, expression on the case row
# `{row}`). `assignee_id` comes with migration 0009, the open step's role and
# time with 0010, the parent case with 0018, the latest outcome with 0024.
COPIED = (
    ("status", "{row}.status"),
    ("organisation_id", "{row}.responsible_organisation_id"),
    ("area", "{row}.area"),
    ("closed", "{row}.closed_at IS NOT NULL"),
    ("next_due", "{row}.next_due"),
    ("assignee_id", "{row}.assignee_id"),
    ("opened_at", "{row}.opened_at"),
    ("last_activity_at", "{row}.last_activity_at"),
    ("step_role", "{row}.step_role"),
    ("step_at", "{row}.step_at"),
    ("parent_id", "{row}.parent_id"),
    ("outcome_at", "{row}.outcome_at"),
)
# The team row's columns an entry copies besides its user and case: the team
# role, and (migration 0010) the case type and data class, so that the
# decision point's rule for reading a case (`permissions.selectors.
# team_row_lookups`: the user's row, of a class the role opens) is asked of
# the entry itself.
TEAM_COPIED = ("team_role", "case_type", "data_class")
# Where a column copies another name: the change that moves an entry.
CHANGED = {"organisation_id": "responsible_organisation_id", "closed": "closed_at"}

# The case's newest event time is its last activity; the first address's wijk
# its area (a case whose area is set keeps it).
ACTIVITY = (
    "UPDATE casework_case SET last_activity_at = NEW.at "
    "WHERE id = NEW.case_id AND last_activity_at < NEW.at"
)
AREA = (
    "UPDATE casework_case SET area = "
    "(SELECT l.area FROM casework_location l WHERE l.id = NEW.location_id) "
    "WHERE id = NEW.case_id AND area = ''"
)


def outcome_fill_sql(case_type: str, statuses) -> tuple[str, list]:
    """The UPDATE that writes `Case.outcome_at` of every case of `case_type`
    from its history — the time of its latest status event into one of
    `statuses`, as the trigger OUTCOME_TRIGGER keeps it — for the migration
    that brings a case type's outcomes (the list's triggers copy it to the
    entries) and for the generator, which loads with the triggers off and
    fills the entries after."""
    marks = ", ".join(["%s"] * len(statuses))
    latest = (
        "SELECT MAX(e.at) FROM casework_caseevent e "
        "WHERE e.case_id = casework_case.id AND e.kind = 'status' "
        f"AND e.to_status IN ({marks})"
    )
    return (
        f"UPDATE casework_case SET outcome_at = ({latest}) "
        f"WHERE case_type = %s AND EXISTS ({latest})",
        [*statuses, case_type, *statuses],
    )


# The trigger that keeps `Case.outcome_at`: on a status event into one of its
# case type's outcome statuses (the proxy's OUTCOMES), the case's latest
# outcome moves to the event's time, never back. Made from the registered
# case types when the case has the column (migration 0024 on).
OUTCOME_TRIGGER = "casework_case_outcome"


def _outcome_trigger() -> tuple[str, str] | None:
    """(condition, body) of OUTCOME_TRIGGER; None when no case type counts
    outcomes. The codes and statuses are the case types' own constants,
    written into the statement as literals."""
    from .registry import registry

    kinds = [
        (entry.code, sorted(str(status) for status in entry.proxy.OUTCOMES))
        for entry in sorted(registry.case_types.values(), key=lambda e: e.code)
        if entry.proxy.OUTCOMES
    ]
    for code, statuses in kinds:
        for literal in (code, *statuses):
            if not literal.isalnum():
                raise ValueError(f"{literal!r} cannot be written into a trigger")
    if not kinds:
        return None

    def quoted(values) -> str:
        return ", ".join(f"'{value}'" for value in values)

    every = sorted({status for _code, statuses in kinds for status in statuses})
    of_type = " OR ".join(
        f"(case_type = '{code}' AND NEW.to_status IN ({quoted(statuses)}))"
        for code, statuses in kinds
    )
    return (
        f"NEW.kind = 'status' AND NEW.to_status IN ({quoted(every)})",
        "UPDATE casework_case SET outcome_at = NEW.at WHERE id = NEW.case_id "
        f"AND (outcome_at IS NULL OR outcome_at < NEW.at) AND ({of_type})",
    )


class Columns(NamedTuple):
    """The copied columns that the database has (an older migration state
    lacks the later ones: the migrations that fill the list run this code)."""

    case: tuple  # (entry column, expression on the case row) of COPIED
    team: tuple  # entry columns of TEAM_COPIED


def entry_insert_sql(columns: Columns, *, where: str = "") -> str:
    """INSERT of the entries of the team rows `a` (all, or `where`)."""
    names = ", ".join([*columns.team, *(c for c, _e in columns.case)])
    team = [f"a.{c}" for c in columns.team]
    values = ", ".join([*team, *(e.format(row="c") for _c, e in columns.case)])
    return (
        "INSERT INTO casework_listentry "
        f"(access_id, user_id, case_id, {names}) "
        f"SELECT a.id, a.user_id, a.case_id, {values} "
        "FROM permissions_caseaccess a JOIN casework_case c ON c.id = a.case_id"
        + (f" WHERE {where}" if where else "")
    )


def _triggers(columns: Columns) -> dict[str, tuple[str, str, str]]:
    """name → (timing and table, condition or "", body) of every trigger."""
    sets = ", ".join(f"{c} = {e.format(row='NEW')}" for c, e in columns.case)
    moved = " OR ".join(
        f"OLD.{CHANGED.get(c, c)} IS NOT NEW.{CHANGED.get(c, c)}"
        for c, _e in columns.case
    )
    team = ", ".join(f"{c} = NEW.{c}" for c in ("user_id", "case_id", *columns.team))
    outcome = (
        _outcome_trigger() if any(c == "outcome_at" for c, _e in columns.case) else None
    )
    return {
        **(
            {OUTCOME_TRIGGER: ("AFTER INSERT ON casework_caseevent", *outcome)}
            if outcome
            else {}
        ),
        "casework_case_activity": ("AFTER INSERT ON casework_caseevent", "", ACTIVITY),
        "casework_case_area": ("AFTER INSERT ON casework_caselocation", "", AREA),
        "casework_list_add": (
            "AFTER INSERT ON permissions_caseaccess",
            "",
            entry_insert_sql(columns, where="a.id = NEW.id"),
        ),
        "casework_list_remove": (
            "AFTER DELETE ON permissions_caseaccess",
            "",
            "DELETE FROM casework_listentry WHERE access_id = OLD.id",
        ),
        "casework_list_team": (
            "AFTER UPDATE ON permissions_caseaccess",
            "",
            f"UPDATE casework_listentry SET {team} WHERE access_id = NEW.id",
        ),
        "casework_list_case": (
            "AFTER UPDATE ON casework_case",
            moved,
            f"UPDATE casework_listentry SET {sets} WHERE case_id = NEW.id",
        ),
        # The team rows copy the case's type and class (the decision point's
        # rule reads the copy, permissions.selectors.team_row_lookups): a
        # case whose class changes moves its team rows, and through
        # casework_list_team its entries.
        "casework_case_class": (
            "AFTER UPDATE ON casework_case",
            "OLD.data_class IS NOT NEW.data_class "
            "OR OLD.case_type IS NOT NEW.case_type",
            "UPDATE permissions_caseaccess SET data_class = NEW.data_class, "
            "case_type = NEW.case_type WHERE case_id = NEW.id",
        ),
    }


def trigger_sql(vendor: str, columns: Columns) -> list[str]:
    """The statements that (re)create every trigger of the list."""
    statements = []
    for name, (event, condition, body) in _triggers(columns).items():
        table = event.rsplit(" ", 1)[1]
        if vendor == "postgresql":
            when = f" WHEN ({condition.replace(' IS NOT ', ' IS DISTINCT FROM ')})"
            statements += [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
                f"BEGIN {body}; RETURN NULL; END $$ LANGUAGE plpgsql",
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} {event} FOR EACH ROW"
                + (when if condition else "")
                + f" EXECUTE FUNCTION {name}()",
            ]
        else:
            when = f" WHEN {condition}" if condition else ""
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} {event} FOR EACH ROW{when} BEGIN {body}; END",
            ]
    return statements


def drop_trigger_sql(vendor: str) -> list[str]:
    statements = []
    named = {
        OUTCOME_TRIGGER: ("AFTER INSERT ON casework_caseevent", "", ""),
        **_triggers(Columns((), ())),
    }
    for name, (event, _condition, _body) in named.items():
        if vendor == "postgresql":
            table = event.rsplit(" ", 1)[1]
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"DROP FUNCTION IF EXISTS {name}()",
            ]
        else:
            statements.append(f"DROP TRIGGER IF EXISTS {name}")
    return statements


def columns(connection) -> Columns:
    """The copied columns present in this database's tables."""
    with connection.cursor() as cursor:
        describe = connection.introspection.get_table_description
        entry = {c.name for c in describe(cursor, "casework_listentry")}
        case = {c.name for c in describe(cursor, "casework_case")}
    return Columns(
        case=tuple(
            (c, e) for c, e in COPIED if c in entry and CHANGED.get(c, c) in case
        ),
        team=tuple(c for c in TEAM_COPIED if c in entry),
    )


def ensure_triggers(using: str = "default") -> None:
    """(Re)create the list's triggers, when its table exists (post_migrate)."""
    from django.db import connections

    conn = connections[using]
    if "casework_listentry" not in conn.introspection.table_names():
        return
    with conn.cursor() as cursor:
        for sql in trigger_sql(conn.vendor, columns(conn)):
            cursor.execute(sql)


# The pair a migration that changes the list's columns runs around its change
# (`RunPython(drop_triggers, triggers)` first, the reverse last): SQLite
# rebuilds a table to add a column and refuses to drop one a trigger names.
def drop_triggers(apps, schema_editor) -> None:
    for sql in drop_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def triggers(apps, schema_editor) -> None:
    ensure_triggers(schema_editor.connection.alias)


# The filters ----------------------------------------------------------------


def _entry_conditions(user, filters: dict) -> dict:
    """The filters that read the case's columns, as lookups on the user's
    list entries (the team role is copied there too, with an index of its
    own). The case type is read from the team row."""
    lookups = {}
    if filters.get("team_role"):
        lookups["team_role"] = filters["team_role"]
    if filters.get("status"):
        lookups["status"] = filters["status"]
    if filters.get("organisation"):
        lookups["organisation_id"] = filters["organisation"]
    if filters.get("area"):
        lookups["area"] = filters["area"]
    if filters.get("state"):
        lookups["closed"] = filters["state"] == "closed"
    if filters.get("due_from"):
        lookups["next_due__gte"] = filters["due_from"]
    if filters.get("due_to"):
        lookups["next_due__lte"] = filters["due_to"]
    assignee = filters.get("assignee")
    if assignee == "me":
        lookups["assignee_id"] = user.pk
    elif assignee == "none":
        lookups["assignee_id__isnull"] = True
    elif assignee:
        lookups["assignee_id"] = int(assignee)
    if sort_of(filters).column == "next_due":
        # Sorted by due date: the cases with a running deadline.
        lookups["next_due__isnull"] = False
    return lookups


class Listing(NamedTuple):
    """The rows of a filtered list, unordered, and how to order and read them:
    `rows` is a queryset of team rows (`entries` False) or of list entries
    (True); `key` and `ident` are its sort key and case id fields."""

    rows: object
    key: str
    ident: str
    entries: bool


def filtered(user, filters: dict) -> Listing:
    """The user's cases that pass `filters` (the cleaned data of
    `casework.forms.CaseFilterForm`).

    Sorted by opening date with no filter but the case type, the list reads
    the team rows alone (`sort_key`, indexes `caseaccess_user_sort` and
    `caseaccess_user_type_sort`). Otherwise it reads the user's list entries
    (`ListEntry`) in the index of a filter or of the sort. Either way the rows
    are those the decision point lets the user read: its rule as lookups on a
    team row (`permissions.selectors.team_row_lookups`: the user's own row, of
    a data class the role opens), which an entry copies (user, case type,
    data class) and keeps by trigger in the team row's transaction."""
    rule = team_row_lookups(user)
    lookups = _entry_conditions(user, filters)
    sort = sort_of(filters)
    if rule is None:
        return Listing(ListEntry.objects.none(), sort.column, "case_id", True)
    if sort.column == "opened_at" and not lookups:
        access = case_access_for_user(user).order_by()
        if filters.get("case_type"):
            access = access.filter(case_type=filters["case_type"])
        return Listing(access, "sort_key", "case_id", entries=False)
    if filters.get("case_type"):
        lookups["case_type"] = filters["case_type"]
    entries = ListEntry.objects.filter(**rule, **lookups)
    return Listing(entries, sort.column, "case_id", entries=True)


def count(user, filters: dict, limit: int | None = None) -> CaseCount:
    """How many cases pass the filters, counted up to a bound as the case
    list counts (`selectors.count_cases`)."""
    rows = filtered(user, filters).rows
    if limit is None:
        return count_cases(rows)
    return CaseCount(rows[: limit + 1].count(), limit)


# A page -------------------------------------------------------------------


class ListPage(NamedTuple):
    rows: list  # casework.selectors.CaseRow, with `due` and `activity`
    total: CaseCount
    next: str  # the cursor of the next page, "" on the last
    previous: str  # the cursor of the previous page, "" on the first
    refused_cursor: bool  # a cursor was given that this list did not write


# The columns of a row: CaseRow's seven, the next deadline, the last activity.
CASE_COLUMNS = (
    "reference",
    "title",
    "case_type",
    "status",
    "opened_at",
    "closed_at",
    "data_class",
    "next_due",
    "last_activity_at",
)


def _after(key: str, ident: str, value, case_id: int, descending: bool) -> Q:
    """Rows after (value, case_id) in the list's order. Written with a
    leading range on the key (`key <= value`) that the index can seek to,
    since the row comparison `(key, id) < (v, i)` is not portable."""
    if descending:
        return Q(**{f"{key}__lte": value}) & (
            Q(**{f"{key}__lt": value}) | Q(**{f"{ident}__lt": case_id})
        )
    return Q(**{f"{key}__gte": value}) & (
        Q(**{f"{key}__gt": value}) | Q(**{f"{ident}__gt": case_id})
    )


def from_cursor(rows, key: str, ident: str, cursor, descending: bool):
    """`rows` in a list's order (`key`, then `ident`, both descending or
    both ascending) from `cursor` — a (key value, id) pair or None for the
    top — on: what each read of `keyset` runs."""
    if cursor is not None:
        rows = rows.filter(_after(key, ident, *cursor, descending))
    sign = "-" if descending else ""
    return rows.order_by(sign + key, sign + ident)


def _read(listing: Listing, sort: Sort, cursor, *, forward: bool, limit: int):
    """(case columns…, sort key, case id) of up to `limit` rows from the
    cursor on. One query; two on list entries (the entries, then their
    cases by primary key)."""
    key, ident = listing.key, listing.ident
    rows = from_cursor(listing.rows, key, ident, cursor, sort.descending == forward)
    if not listing.entries:
        columns = [f"case__{name}" for name in CASE_COLUMNS]
        return list(rows.values_list(*columns, key, ident)[:limit])
    keys = list(rows.values_list(key, ident)[:limit])
    cases = {
        values[0]: values[1:]
        for values in Case.objects.filter(pk__in=[i for _k, i in keys]).values_list(
            "pk", *CASE_COLUMNS
        )
    }
    return [(*cases[i], k, i) for k, i in keys if i in cases]


class Keyset(NamedTuple):
    """The rows of one page and the cursors around it (`keyset`)."""

    values: list  # the rows read, in the list's order; each ends (key, id)
    next: str  # the cursor of the next page, "" on the last
    previous: str  # the cursor of the previous page, "" on the first
    refused_cursor: bool  # a cursor was given that this list did not write


def keyset(read, sort: Sort, *, after: str, before: str, per_page: int) -> Keyset:
    """One page by cursor: after the cursor `after`, before `before`, or the
    first. `read(cursor, forward, limit)` returns up to `limit` rows from the
    cursor on (forward: in the list's order; else backwards), each ending
    with its sort key and id. A cursor this list did not write shows the
    first page (`refused_cursor`); `before` that reaches the top shows the
    first page in full (one read more)."""
    refused = False
    cursor, forward = None, True
    try:
        if after:
            cursor = decode_cursor(sort, after)
        elif before:
            cursor, forward = decode_cursor(sort, before), False
    except CursorError:
        refused = True
    values = read(cursor, forward, per_page + 1)
    if not forward and len(values) <= per_page:
        # Nothing before this page but these rows: the first page, in full.
        cursor, forward = None, True
        values = read(None, True, per_page + 1)
    more = len(values) > per_page
    values = values[:per_page]
    if not forward:
        values.reverse()
    first, last = values[:1], values[-1:]
    return Keyset(
        values=values,
        next=_cursor(sort, last) if (more or not forward) else "",
        previous=_cursor(sort, first) if cursor is not None else "",
        refused_cursor=refused,
    )


def page(
    user, filters: dict, *, after: str = "", before: str = "", per_page=PAGE_SIZE
) -> ListPage:
    """One page of the filtered list (`keyset`). The bounded count and the
    page: two queries, three on list entries (one more when `before` reaches
    the top: the first page then)."""
    listing = filtered(user, filters)
    sort = sort_of(filters)
    total = count_cases(listing.rows)
    found = keyset(
        lambda cursor, forward, limit: _read(
            listing, sort, cursor, forward=forward, limit=limit
        ),
        sort,
        after=after,
        before=before,
        per_page=per_page,
    )
    return ListPage(
        rows=_rows(found.values),
        total=total,
        next=found.next,
        previous=found.previous,
        refused_cursor=found.refused_cursor,
    )


def _cursor(sort: Sort, values) -> str:
    if not values:
        return ""
    *_columns, key, case_id = values[0]
    return encode_cursor(sort, key, case_id)


# The signal list ------------------------------------------------------------


class SignalPage(NamedTuple):
    rows: list  # casework.selectors.signal_rows
    next: str
    previous: str
    refused_cursor: bool


# What a row of the signal list shows, then its sort key and id.
SIGNAL_COLUMNS = (
    "id",
    "reference",
    "source",
    "received_on",
    "status",
    "source_organisation__name",
    "data_class",
)


def signal_page(
    user, *, status: str = "", after: str = "", before: str = "", per_page=PAGE_SIZE
) -> SignalPage:
    """A page of the signals the user may see (`Signal.objects.for_user`, the
    decision point's rule), newest received first, by cursor (`keyset`):
    every signal can be reached, and the hundredth page costs what the first
    does (index `signal_received` on the date; a day's signals, a few hundred
    at most, sorted by id as read). One query; two when `before` reaches the
    top."""
    signals = Signal.objects.for_user(user)
    if status:
        signals = signals.filter(status=status)

    def read(cursor, forward, limit):
        descending = SIGNALS.descending == forward
        rows = from_cursor(signals, "received_on", "id", cursor, descending)
        return [
            (*values, values[3], values[0])
            for values in rows.values_list(*SIGNAL_COLUMNS)[:limit]
        ]

    found = keyset(read, SIGNALS, after=after, before=before, per_page=per_page)
    return SignalPage(
        rows=signal_rows(values[:7] for values in found.values),
        next=found.next,
        previous=found.previous,
        refused_cursor=found.refused_cursor,
    )


def _rows(values) -> list:
    """CaseRow per row, with the next deadline and the last activity as the
    list shows them."""
    rows = case_rows(v[:7] for v in values)
    for row, v in zip(rows, values, strict=True):
        row["due"] = date_format(v[7], "SHORT_DATE_FORMAT") if v[7] else ""
        row["activity"] = date_format(v[8], "SHORT_DATE_FORMAT")
    return rows


# Options of the filter form ----------------------------------------------


def _areas_sql(table: str) -> str:
    """The wijken of a user's list entries (index `list_area`), one index
    probe per wijk (a loose index scan): ten probes, not a scan of the
    user's twenty thousand entries."""
    return (
        "WITH RECURSIVE t(area) AS ("
        f"SELECT MIN(area) FROM {table} WHERE user_id = %s AND area > '' "
        f"UNION ALL SELECT (SELECT MIN(area) FROM {table} "
        "WHERE user_id = %s AND area > t.area) "
        "FROM t WHERE t.area IS NOT NULL) "
    )


def choices(user) -> dict[str, list[tuple[str, str]]]:
    """The options of the filters whose choices change, in one query: the
    organisations, the wijken of the user's cases, and me, no one and the
    active colleagues of the user's own organisation."""
    qn = connection.ops.quote_name
    actor = actor_for(user)
    sql = (
        _areas_sql(qn(ListEntry._meta.db_table))
        + "SELECT 'area', area, area FROM t WHERE area IS NOT NULL "
        f"UNION ALL SELECT 'organisation', CAST(o.id AS TEXT), o.name "
        f"FROM {qn(Organisation._meta.db_table)} o "
        "UNION ALL SELECT 'assignee', CAST(u.id AS TEXT), u.username "
        f"FROM {qn(Membership._meta.db_table)} m "
        f"JOIN {qn(get_user_model()._meta.db_table)} u ON u.id = m.user_id "
        "WHERE m.organisation_id = %s AND u.is_active AND u.id <> %s"
    )
    params = [user.pk, user.pk, actor.organisation_id or 0, user.pk]
    found = {"organisation": [], "area": [], "assignee": []}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, value, label in cursor.fetchall():
            found[kind].append((value, label))
    for kind in found:
        found[kind].sort(key=lambda choice: (choice[1].casefold(), choice[0]))
    found["assignee"][:0] = [("me", str(_("Me"))), ("none", str(_("No one")))]
    return found


class Option(NamedTuple):
    value: str
    label: str
    selected: bool


BLANK = {
    "organisation": _("All organisations"),
    "area": _("All areas"),
    "assignee": _("Anyone or no one"),
}


def options(user, data) -> dict[str, list[Option]]:
    """The options of the filters whose choices change, with the value of
    `data` (the request's, as given) selected."""
    return {
        name: [
            Option("", str(BLANK[name]), False),
            *(Option(v, label, v == data.get(name)) for v, label in found),
        ]
        for name, found in choices(user).items()
    }


# Saved views --------------------------------------------------------------


def normalise(query) -> str:
    """The list's querystring in normal form: the valid filters only, in the
    form's order, without cursors or paging."""
    from .forms import CaseFilterForm

    if isinstance(query, str):
        query = QueryDict(query)
    form = CaseFilterForm(query)
    form.is_valid()
    pairs = []
    for name in CaseFilterForm.FILTERS:
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if isinstance(value, date):
            value = value.isoformat()
        pairs.append((name, value))
    return urlencode(pairs)


def filters_of(query: str) -> dict:
    """The cleaned filters of a stored querystring (a copy: the caller may
    change it)."""
    return dict(_cleaned(query))


@lru_cache(maxsize=4096)
def _cleaned(query: str) -> dict:
    """The form's cleaned data of `query`: the same for the same text (its
    choices are fixed once the registry is filled), so Mijn werk's saved views
    are validated once per process, not once per view and request."""
    from .forms import CaseFilterForm

    form = CaseFilterForm(QueryDict(query))
    form.is_valid()
    return form.cleaned_data


def saved_views_for(user):
    """The user's own views and those shared with the user's team (the users
    with the owner's organisation and role), by name."""
    actor = actor_for(user)
    if not actor.is_known:
        return SavedView.objects.none()
    team = Q(shared=True, organisation_id=actor.organisation_id, role=actor.role)
    return SavedView.objects.filter(Q(owner_id=actor.user_id) | team).order_by(
        "name", "id"
    )


def saved_view_for(user, pk) -> SavedView | None:
    """One view the user may open (own or the team's), or None."""
    return saved_views_for(user).filter(pk=pk).first()


def own_saved_view(user, pk) -> SavedView | None:
    """One view the user may rename or delete: the user's own, or None."""
    return SavedView.objects.filter(owner_id=user.pk, pk=pk).first()


NAME_TAKEN = _("You already have a view with this name.")


def _save_named(view: SavedView) -> SavedView:
    """Save, refusing a second view of the owner's with the same name."""
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError as exc:
        raise ValidationError(NAME_TAKEN) from exc
    return view


def saved_view_create(*, user, name: str, query: str, shared: bool) -> SavedView:
    """A view of the list's filters under `name`; a shared one records the
    owner's organisation and role as its team."""
    actor = actor_for(user)
    team = {}
    if shared and actor.is_known:
        team = {"organisation_id": actor.organisation_id, "role": actor.role}
    view = SavedView(
        owner=user,
        name=name,
        query=normalise(query),
        shared=bool(team),
        **team,
    )
    return _save_named(view)


def saved_view_rename(view: SavedView, name: str) -> SavedView:
    view.name = name
    return _save_named(view)


# Mijn werk shows this many views, each with its bounded count.
HOME_VIEWS = 10


class ViewCount(NamedTuple):
    view: SavedView
    url: str
    total: CaseCount


def saved_view_counts(user, limit: int = HOME_VIEWS) -> list[ViewCount]:
    """The first `limit` views for Mijn werk with their counts, each bounded
    as the case list's (one query for the views, one for all their counts)."""
    views = list(saved_views_for(user)[:limit])
    totals = counts(user, [filters_of(view.query) for view in views])
    return [
        ViewCount(view, view.get_absolute_url(), total)
        for view, total in zip(views, totals, strict=True)
    ]


def counts(user, filter_sets: list[dict]) -> list[CaseCount]:
    """`count` of each set of filters, in one statement: a scalar subquery
    per set, each the bounded count the case list makes (up to
    COUNT_LIMIT + 1 rows of its index). Ten views cost one round trip, not
    ten, and each view's subquery is built by the ORM once per process and
    user (`_count_sql`)."""
    from . import selectors

    rule = team_row_lookups(user)
    key = None if rule is None else rule_key(rule)
    parts, params, empty = [], [], set()
    for number, filters in enumerate(filter_sets):
        found = _count_sql(user, key, filters)
        if found is None:
            empty.add(number)
            continue
        sql, values = found
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) bounded_{number})")
        params.extend(values)
    found = []
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            found = list(cursor.fetchone())
    return [
        CaseCount(0 if number in empty else found.pop(0), selectors.COUNT_LIMIT)
        for number in range(len(filter_sets))
    ]


# (vendor, rule, user, filters, bound) → the bounded count's SQL and
# parameters, or None when no row can pass. The SQL is a function of exactly
# these: the decision point's rule (`team_row_lookups`), the user's id
# ("assigned to me"), the cleaned filters (`filtered`) and the bound.
_COUNT_SQL: OrderedDict = OrderedDict()
COUNT_SQL_CACHE = 4096


def _count_sql(user, rule: tuple | None, filters: dict):
    from . import selectors

    bound = selectors.COUNT_LIMIT + 1
    filters_key = tuple(sorted(filters.items()))
    key = (connection.vendor, rule, user.pk, filters_key, bound)
    if key in _COUNT_SQL:
        _COUNT_SQL.move_to_end(key)
        return _COUNT_SQL[key]
    rows = filtered(user, filters).rows.order_by().values_list("pk")
    try:
        found = rows[:bound].query.sql_with_params()
    except EmptyResultSet:
        found = None
    _COUNT_SQL[key] = found
    if len(_COUNT_SQL) > COUNT_SQL_CACHE:
        _COUNT_SQL.popitem(last=False)
    return found
