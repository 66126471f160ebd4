"""PostgreSQL's planner estimates how many team rows a user has from the
column's statistics. With the default target (100 most common values) a user
outside that list is taken to have the average of the rest: at 1M cases and
190 users, 3,228 inspection rows for a user on 7. Queries that join a user's
team rows then hash a whole range of the other table (the controle
dashboard's quarters: every outcome in the system since the oldest quarter
shown) where a probe per team row costs nothing. A target of 1,000 keeps the
count of up to a thousand users exact (docs/performance.md, fourteenth
session). SQLite has no such setting."""

from django.db import migrations

TARGET = 1000


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE permissions_caseaccess "
            f"ALTER COLUMN user_id SET STATISTICS {TARGET}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE permissions_caseaccess ALTER COLUMN user_id SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [("permissions", "0008_caseaccess_user_type_carries_data_class")]

    operations = [migrations.RunPython(forwards, backwards)]
