"""The case list's entries copy the case's parent (`Case.parent`), kept by the
list's triggers like the other copies (`casework.listing.COPIED`), with a
partial index of each user's open child entries (`list_children`): a case
type's page finds the user's open follow-up cases of its own cases as a range
of the user's entries, not by merging every open child case in the system
(the controle dashboard, docs/controle.md "Dashboard at scale").

Existing entries are filled from their cases. As in migration 0010 the
triggers are dropped during the change (SQLite rebuilds the table to add a
column) and made again from `casework.listing.trigger_sql`, which copies the
new column."""

from django.db import migrations, models

from casework.listing import drop_triggers, triggers

FILL = """
UPDATE casework_listentry SET parent_id = c.parent_id
FROM casework_case c
WHERE c.id = casework_listentry.case_id AND c.parent_id IS NOT NULL
"""


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0017_list_step_holder"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, triggers),
        migrations.AddField(
            model_name="listentry",
            name="parent_id",
            field=models.IntegerField(null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=False),
        migrations.AddIndex(
            model_name="listentry",
            index=models.Index(
                condition=models.Q(("closed", False), ("parent_id__isnull", False)),
                fields=["user_id", "-opened_at", "-case_id"],
                include=["data_class", "parent_id"],
                name="list_children",
            ),
        ),
        migrations.RunPython(triggers, drop_triggers),
    ]
