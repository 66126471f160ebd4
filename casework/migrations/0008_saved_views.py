"""Filters, sorting and saved views of the case list (issue 16, items 2 and 3;
docs/listing.md).

Three copies on the case that the list filters and sorts on, each with one
writer: `next_due` (casework.deadlines), `last_activity_at` (a trigger on the
history, whoever writes it) and `area` (a trigger on the case's locations: the
wijk of its first address). The list's index `ListEntry`: one row per team
row with the case's filter columns, kept by triggers on the team and case
tables. Existing rows are filled here, before the indexes are built. The
triggers are `casework.listing.trigger_sql`, created again after every migrate
(a later migration that rebuilds a table on SQLite drops its triggers).
"""

import django.db.models.deletion
import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ACTIVE_DEADLINES = "('open', 'suspended')"

FILL = f"""
UPDATE casework_case SET
  last_activity_at = COALESCE(
    (SELECT MAX(e.at) FROM casework_caseevent e WHERE e.case_id = casework_case.id),
    opened_at),
  area = COALESCE(
    (SELECT l.area FROM casework_location l
       JOIN casework_caselocation cl ON l.id = cl.location_id
      WHERE cl.case_id = casework_case.id ORDER BY cl.id LIMIT 1),
    ''),
  next_due = (SELECT MIN(d.end_date) FROM casework_deadline d
               WHERE d.case_id = casework_case.id AND d.state IN {ACTIVE_DEADLINES})
"""


def fill_cases(apps, schema_editor):
    schema_editor.execute(FILL)


def fill_entries(apps, schema_editor):
    # The app's own SQL: the same INSERT its trigger runs for one team row.
    from casework.listing import columns, entry_insert_sql

    connection = schema_editor.connection
    schema_editor.execute(entry_insert_sql(columns(connection)))


def triggers(apps, schema_editor):
    from casework.listing import ensure_triggers

    ensure_triggers(schema_editor.connection.alias)


def drop_triggers(apps, schema_editor):
    from casework.listing import drop_trigger_sql

    for sql in drop_trigger_sql(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def entry_index(name, *fields, **kwargs):
    return migrations.AddIndex(
        model_name="listentry",
        index=models.Index(fields=list(fields), name=name, **kwargs),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0007_search"),
        ("permissions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="area",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=100,
                verbose_name="area",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="last_activity_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                default=django.utils.timezone.now,
                verbose_name="last activity",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="next_due",
            field=models.DateField(blank=True, null=True, verbose_name="next deadline"),
        ),
        migrations.RunPython(fill_cases, migrations.RunPython.noop, elidable=False),
        migrations.CreateModel(
            name="SavedView",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "query",
                    models.CharField(
                        blank=True, max_length=1000, verbose_name="filter"
                    ),
                ),
                (
                    "shared",
                    models.BooleanField(
                        default=False, verbose_name="shared with my team"
                    ),
                ),
                ("role", models.CharField(blank=True, max_length=30)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="permissions.organisation",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="saved_views",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
            ],
            options={
                "verbose_name": "saved view",
                "verbose_name_plural": "saved views",
                "indexes": [
                    models.Index(
                        condition=models.Q(("shared", True)),
                        fields=["organisation", "role", "name"],
                        name="savedview_team",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "name"), name="one_view_name"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ListEntry",
            fields=[
                (
                    "access",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="list_entry",
                        serialize=False,
                        to="permissions.caseaccess",
                    ),
                ),
                ("user_id", models.IntegerField()),
                ("case_id", models.IntegerField()),
                ("team_role", models.CharField(max_length=20)),
                ("status", models.CharField(max_length=10)),
                ("organisation_id", models.IntegerField()),
                ("area", models.CharField(max_length=100)),
                ("closed", models.BooleanField()),
                ("next_due", models.DateField(null=True)),
                ("assignee_id", models.IntegerField(null=True)),
                ("opened_at", models.DateTimeField()),
                ("last_activity_at", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(fill_entries, migrations.RunPython.noop, elidable=False),
        entry_index("list_opened", "user_id", "-opened_at", "-case_id"),
        entry_index("list_status", "user_id", "status", "-opened_at", "-case_id"),
        entry_index("list_team_role", "user_id", "team_role", "-opened_at", "-case_id"),
        entry_index(
            "list_organisation", "user_id", "organisation_id", "-opened_at", "-case_id"
        ),
        entry_index("list_area", "user_id", "area", "-opened_at", "-case_id"),
        entry_index("list_closed", "user_id", "closed", "-opened_at", "-case_id"),
        entry_index(
            "list_assignee", "user_id", "assignee_id", "-opened_at", "-case_id"
        ),
        entry_index(
            "list_due",
            "user_id",
            "next_due",
            "case_id",
            condition=models.Q(("next_due__isnull", False)),
        ),
        entry_index("list_activity", "user_id", "-last_activity_at", "-case_id"),
        entry_index("list_case", "case_id"),
        migrations.RunPython(triggers, drop_triggers),
    ]
