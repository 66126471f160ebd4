"""The controle dashboard's two reads at scale (docs/controle.md, "Dashboard";
docs/performance.md): the visits carried out (C50) and aborted (C45) per
quarter, and the open follow-up cases of the user's inspections.

Both indexes are on kernel tables but serve only this case type's page, so
they live here: partial indexes over the rows the dashboard asks for. The
status events of C45/C50 by date, with the case and status in the index (an
index-only range from the first day of the oldest quarter shown, joined to
the user's own team rows); the open child cases by parent (the follow-ups).
"""

from django.db import migrations

OUTCOMES = (
    "CREATE INDEX controle_outcome_events ON casework_caseevent "
    "(at, case_id, to_status) "
    "WHERE kind = 'status' AND to_status IN ('C45', 'C50')"
)
FOLLOW_UPS = (
    "CREATE INDEX controle_open_children ON casework_case (parent_id) "
    "WHERE closed_at IS NULL AND parent_id IS NOT NULL"
)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0013_list_index_include_class"),
        ("controle", "0003_visit_planned_at"),
    ]

    operations = [
        migrations.RunSQL(OUTCOMES, "DROP INDEX controle_outcome_events"),
        migrations.RunSQL(FOLLOW_UPS, "DROP INDEX controle_open_children"),
    ]
