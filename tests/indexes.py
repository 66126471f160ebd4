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
