"""The access log and its checkpoints refuse UPDATE and DELETE in the database
itself, on SQLite as on PostgreSQL, and TRUNCATE on PostgreSQL (a statement
trigger: row triggers do not fire on TRUNCATE). WGS 1.8 lid 4, Wpg 32a.

The application's database role can still drop or disable a trigger on a
table it owns: the keyed chain and the checkpoints catch what happens then
(docs/access.md "The access log")."""

from django.db import migrations

TABLES = ("permissions_accesslog", "permissions_accesslogcheckpoint")

PG_CREATE = """
CREATE OR REPLACE FUNCTION permissions_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    {test_escape}
    RAISE EXCEPTION USING MESSAGE =
        'the access log is append-only (' || TG_OP || ' on ' || TG_TABLE_NAME || ')';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_change
    BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION permissions_accesslog_append_only();
CREATE TRIGGER {table}_no_truncate
    BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION permissions_accesslog_append_only();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS {table}_no_change ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""
SQLITE_CREATE = """
CREATE TRIGGER {table}_no_{op}
    BEFORE {OP} ON {table}{when}
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
"""
# Only in an in-memory test database on SQLite: Django empties the tables with
# DELETE after every TransactionTestCase (the live-server browser tests), so
# there DELETE is refused only while a test sets the guard row to 1 (as
# casework.refuse_truncate does on PostgreSQL). Production has no guard.
SQLITE_TEST_GUARD = "permissions_logtestguard"
SQLITE_TEST_WHEN = f"\n    WHEN (SELECT refuse FROM {SQLITE_TEST_GUARD}) = 1"


# Only in the test database (this migration run while Django builds it): its
# tables are emptied with TRUNCATE after every TransactionTestCase. A test
# sets casework.refuse_truncate to see the production refusal.
TEST_ESCAPE = """
    IF TG_OP = 'TRUNCATE'
       AND current_setting('casework.refuse_truncate', true) IS DISTINCT FROM 'on'
    THEN RETURN NULL; END IF;
"""


def building_test_database(connection) -> bool:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return connection.creation.is_in_memory_db(settings_dict["NAME"])
    return settings_dict["NAME"] == (settings_dict.get("TEST") or {}).get("NAME")


def sqlite_guarded(connection) -> bool:
    """Whether this SQLite database has the test guard (see SQLITE_TEST_GUARD)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s",
            [SQLITE_TEST_GUARD],
        )
        return cursor.fetchone() is not None


def sqlite_statements(table, *, guarded=False):
    return [
        SQLITE_CREATE.format(
            table=table,
            op=op.lower(),
            OP=op,
            when=SQLITE_TEST_WHEN if guarded and op == "DELETE" else "",
        )
        for op in ("UPDATE", "DELETE")
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            escape = TEST_ESCAPE if building_test_database(schema_editor.connection) else ""
            schema_editor.execute(PG_CREATE.format(table=table, test_escape=escape))
        elif vendor == "sqlite":
            guarded = building_test_database(schema_editor.connection)
            if guarded and not sqlite_guarded(schema_editor.connection):
                schema_editor.execute(
                    f"CREATE TABLE {SQLITE_TEST_GUARD} (refuse integer NOT NULL)"
                )
                schema_editor.execute(f"INSERT INTO {SQLITE_TEST_GUARD} VALUES (0)")
            for statement in sqlite_statements(table, guarded=guarded):
                schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(PG_DROP.format(table=table))
        elif vendor == "sqlite":
            for op in ("update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")


class Migration(migrations.Migration):
    dependencies = [("permissions", "0004_accesslog_keyed_shards")]

    operations = [migrations.RunPython(forwards, backwards)]
