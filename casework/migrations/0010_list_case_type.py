"""The case list's entries ask the decision point's rule themselves, and Mijn
werk reads its groups from them (docs/listing.md, docs/assignment.md).

- Each entry copies its team row's case type and data class, so that the rule
  for reading a case (`permissions.selectors.team_row_lookups`) and the type
  filter are asked of the entry rather than of its team row, one probe per
  entry read.
- The case keeps its open step — phase, role, since when — (`Case.step`,
  `step_role`, `step_at`, written by `casework.flows.record_step`), and the
  entries copy the role and the time, indexed per user (`list_step`).

Existing rows are filled: the steps from the open tasks
(`flows.fill_steps_sql`), the entries from their team rows and cases. The
list's triggers are dropped during the change (SQLite rebuilds a table to add
a column, and a trigger naming it would refuse the rename that ends the
rebuild) and made again from `casework.listing.trigger_sql`, which copies the
new columns.
"""

from django.db import migrations, models

from casework.listing import drop_triggers, triggers

FILL_ENTRIES = """
UPDATE casework_listentry SET
  case_type = a.case_type, data_class = a.data_class,
  step_role = c.step_role, step_at = c.step_at
FROM permissions_caseaccess a, casework_case c
WHERE a.id = casework_listentry.access_id AND c.id = casework_listentry.case_id
"""


def fill(apps, schema_editor):
    from casework.flows import fill_steps_sql

    schema_editor.execute(*fill_steps_sql(schema_editor.connection))
    schema_editor.execute(FILL_ENTRIES)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0009_assignment"),
        ("viewflow", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, triggers),
        migrations.AddField(
            model_name="case",
            name="step",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=40
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="step_role",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=30
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="step_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="listentry",
            name="case_type",
            field=models.CharField(default="", max_length=10),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="listentry",
            name="data_class",
            field=models.CharField(default="", max_length=3),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="listentry",
            name="step_role",
            field=models.CharField(default="", max_length=30),
        ),
        migrations.AddField(
            model_name="listentry",
            name="step_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.AddIndex(
            model_name="listentry",
            index=models.Index(
                fields=["user_id", "case_type", "-opened_at", "-case_id"],
                name="list_type",
            ),
        ),
        migrations.AddIndex(
            model_name="listentry",
            index=models.Index(
                condition=models.Q(("step_role", ""), _negated=True),
                fields=["user_id", "step_role", "-step_at", "-case_id"],
                name="list_step",
            ),
        ),
        migrations.RunPython(triggers, drop_triggers),
    ]
