"""Which of a table's indexes hold every column a query reads (PostgreSQL):
the indexes that can answer it alone, as an index-only scan."""

import re

from django.db import connection


def covering(table: str, sql: str) -> list[str]:
    """The indexes of `table` that hold, as key or INCLUDE column, every
    column of `table` named in the conditions of `sql` (after its first
    WHERE; the select list of a count's subquery is dropped by PostgreSQL)."""
    where = sql.split(" WHERE ", 1)[1]
    read = set(re.findall(rf'"{table}"\."(\w+)"', where))
    assert read, f"no column of {table} in {sql!r}"
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.relname, array_agg(a.attname::text)
               FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
               JOIN pg_attribute a
                 ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)
               WHERE x.indrelid = %s::regclass
               GROUP BY i.relname""",
            [table],
        )
        indexes = dict(cursor.fetchall())
    return sorted(name for name, held in indexes.items() if read <= set(held))


def statements(action) -> list[tuple[str, tuple]]:
    """The statements `action()` sends, as Django passes them to the driver:
    the SQL with its `%s` placeholders and the parameters apart."""
    sent = []

    def record(execute, sql, params, many, context):
        sent.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    return sent


def _index_scans_only(cursor) -> None:
    """Sequential and bitmap scans off for the rest of the transaction (the
    test's): on tiny test tables the planner then uses an index the
    statement can use at all, and a partial index whose condition the
    statement does not prove stays out."""
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute("SET LOCAL enable_bitmapscan = off")


def plan(sql: str, params=(), *, index_scans_only: bool = False) -> str:
    """EXPLAIN of `sql` as PostgreSQL plans it for these `params` (a custom
    plan); with `index_scans_only`, as `_index_scans_only` says."""
    with connection.cursor() as cursor:
        if index_scans_only:
            _index_scans_only(cursor)
        cursor.execute("EXPLAIN " + sql, params or None)
        return "\n".join(row[0] for row in cursor.fetchall())


def generic_plan(sql: str, params) -> str:
    """EXPLAIN of the plan PostgreSQL makes for `sql` once for any parameter
    values — a prepared statement's generic plan (`plan_cache_mode =
    force_generic_plan`), as psycopg's prepared statements may get after
    five runs on a connection. Index scans only (`_index_scans_only`)."""
    from psycopg.sql import Literal

    numbers = iter(range(1, len(params) + 1))
    prepared = re.sub(r"%s", lambda _m: f"${next(numbers)}", sql)
    raw = connection.connection
    values = ", ".join(Literal(value).as_string(raw) for value in params)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        _index_scans_only(cursor)
        cursor.execute(f"PREPARE generic_plan_test AS {prepared}")
        try:
            explain = "EXPLAIN EXECUTE generic_plan_test"
            cursor.execute(f"{explain}({values})" if params else explain)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("DEALLOCATE generic_plan_test")
