"""The dashboard's follow-ups as an index-only scan (views.follow_up_ids): the
partial index of open child cases by parent also holds the child's id, data
class and opening date (PostgreSQL's INCLUDE), so merging it with the user's
inspections reads no case row. At 1M cases the old index made PostgreSQL
fetch every open child case in the system (16,772 rows, 47 ms); now 9 ms.
SQLite has no INCLUDE: there the index is the same as before."""

from django.db import migrations

WHERE = "WHERE closed_at IS NULL AND parent_id IS NOT NULL"
OLD = f"CREATE INDEX controle_open_children ON casework_case (parent_id) {WHERE}"
NEW = (
    "CREATE INDEX controle_open_children ON casework_case (parent_id) "
    f"INCLUDE (id, data_class, opened_at) {WHERE}"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX controle_open_children")
        schema_editor.execute(NEW)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX controle_open_children")
        schema_editor.execute(OLD)


class Migration(migrations.Migration):
    dependencies = [("controle", "0005_board_ranks")]

    operations = [migrations.RunPython(forwards, backwards)]
