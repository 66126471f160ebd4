"""A list page's read row names every case the page showed (50 rows of
references, compacted), not the first fifty characters (docs/access.md).

Widening a varchar is a catalogue change on PostgreSQL (no rewrite, no row
touched, so the append-only triggers do not fire). SQLite rebuilds the table
to change a column, which drops its triggers: they are dropped first and
made again on the rebuilt table, as 0005 made them."""

import importlib

from django.db import migrations, models

triggers = importlib.import_module("permissions.migrations.0005_accesslog_triggers")


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for op in ("update", "delete"):
            schema_editor.execute(
                f"DROP TRIGGER IF EXISTS permissions_accesslog_no_{op}"
            )


def make_sqlite_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        guarded = triggers.sqlite_guarded(connection)
        for statement in triggers.sqlite_statements(
            "permissions_accesslog", guarded=guarded
        ):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("permissions", "0005_accesslog_triggers")]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, make_sqlite_triggers),
        migrations.AlterField(
            model_name="accesslog",
            name="object_id",
            field=models.CharField(max_length=1000, verbose_name="object id"),
        ),
        migrations.RunPython(make_sqlite_triggers, drop_sqlite_triggers),
    ]
