"""Did a request write to these tables? (the hostile-input and URL × role walks)

The walks send thousands of requests inside one test transaction, each in a
savepoint rolled back after it, and compare the tables before and after. On
PostgreSQL a full comparison (row counts and hashes of rows) costs about 50 ms
in that long transaction; most requests write nothing. PostgreSQL counts the
rows each table had inserted, updated or deleted in the current transaction,
rolled-back attempts included (`pg_stat_xact_user_tables`): when that count
did not move, nothing was written and the comparison is skipped. When it
moved (a write, perhaps rolled back), the full comparison decides. SQLite has
no such count: there the comparison always runs (it is cheap there).
"""

from django.db import connection


def write_count(tables: list[str]) -> int | None:
    """Rows of `tables` inserted, updated or deleted by the current
    transaction so far, attempts rolled back to a savepoint included; None
    where the database does not count them."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint "
            "FROM pg_stat_xact_user_tables WHERE relid = ANY(%s::regclass[])",
            [list(tables)],
        )
        return cursor.fetchone()[0]


class Watch:
    """`with Watch(tables) as watch: …` then `watch.wrote`: False only when
    the database says no row of `tables` was written inside the block."""

    def __init__(self, tables):
        self.tables = list(tables)

    def __enter__(self):
        self.start = write_count(self.tables)
        return self

    def __exit__(self, *exc):
        end = write_count(self.tables) if self.start is not None else None
        self.wrote = self.start is None or end != self.start
        return False
