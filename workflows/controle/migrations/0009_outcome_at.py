"""The inspections' latest outcome (`Case.outcome_at`): the time of each
inspection's latest visit aborted (C45) or carried out (C50), from its
history (casework.listing.outcome_fill_sql; the list's triggers copy it to
the entries) — the dashboard's quarters read the user's inspections with an
outcome since the oldest quarter shown (views.dashboard_outcomes)."""

from django.db import migrations

CODE = "IC"
OUTCOMES = ("C45", "C50")


def fill(apps, schema_editor):
    from casework.listing import outcome_fill_sql

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(*outcome_fill_sql(CODE, OUTCOMES))


def empty(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE casework_case SET outcome_at = NULL WHERE case_type = %s", [CODE]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("controle", "0008_outcome_cases"),
        ("casework", "0024_outcome_at"),
    ]

    operations = [migrations.RunPython(fill, empty)]
