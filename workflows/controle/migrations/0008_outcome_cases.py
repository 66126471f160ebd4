"""The dashboard's quarters (views.dashboard_outcomes) for a user on a few
inspections: the outcomes of each of the user's inspections, read by case
from this partial index (a probe per team row), instead of every outcome in
the system since the oldest quarter shown hashed against the user's team
rows (`controle_outcome_events`, migration 0004: 1.3–1.6 ms at 1M for a user
on 7 inspections, 0.05 ms now). A user on thousands of inspections still
reads the range of `controle_outcome_events`: the planner picks the cheaper
(docs/controle.md, "Dashboard at scale"). The condition is that of 0004,
over exactly views.OUTCOME_STATUSES."""

from django.db import migrations

OUTCOME_CASES = (
    "CREATE INDEX controle_outcome_cases ON casework_caseevent "
    "(case_id, at, to_status) "
    "WHERE kind = 'status' AND to_status IN ('C45', 'C50')"
)


class Migration(migrations.Migration):
    dependencies = [
        ("controle", "0007_drop_open_children"),
        ("casework", "0018_list_parent"),
    ]

    operations = [
        migrations.RunSQL(OUTCOME_CASES, "DROP INDEX controle_outcome_cases"),
    ]
