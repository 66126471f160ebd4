"""The dashboard's follow-ups are read from the case list's entries (casework
migration 0018: each entry copies its case's parent, index `list_children`),
a range of the user's own open child entries (views.follow_up_ids). The
partial index of every open child case by parent (migrations 0004 and 0006)
is no longer read: dropped, so a case write no longer keeps it."""

from django.db import migrations

NEW = (
    "CREATE INDEX controle_open_children ON casework_case (parent_id) "
    "INCLUDE (id, data_class, opened_at) "
    "WHERE closed_at IS NULL AND parent_id IS NOT NULL"
)
SQLITE = (
    "CREATE INDEX controle_open_children ON casework_case (parent_id) "
    "WHERE closed_at IS NULL AND parent_id IS NOT NULL"
)


def forwards(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS controle_open_children")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(NEW if vendor == "postgresql" else SQLITE)


class Migration(migrations.Migration):
    dependencies = [
        ("controle", "0006_open_children_include"),
        ("casework", "0018_list_parent"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
