"""Every index of the case list's entries carries the data class (INCLUDE, on
PostgreSQL; SQLite builds the same index without it), and Mijn werk's index
also the assignee: the decision point's rule, a bounded count and Mijn werk's
three groups read the index alone, without a heap row per entry
(docs/performance.md, "Issue 16 item 7 at 1M, 2026-12-06": the unassigned
group of a Bibob user at 1M 72 ms → 1.7 ms)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0012_signal_received'),
        ('permissions', '0007_caseaccess_org_sort'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_opened',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_status',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_team_role',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_organisation',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_area',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_closed',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_assignee',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_due',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_activity',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_type',
        ),
        migrations.RemoveIndex(
            model_name='listentry',
            name='list_step',
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', '-opened_at', '-case_id'], include=('data_class',), name='list_opened'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', 'status', '-opened_at', '-case_id'], include=('data_class',), name='list_status'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', 'case_type', '-opened_at', '-case_id'], include=('data_class',), name='list_type'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', 'team_role', '-opened_at', '-case_id'], include=('data_class',), name='list_team_role'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', 'organisation_id', '-opened_at', '-case_id'], include=('data_class',), name='list_organisation'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', 'area', '-opened_at', '-case_id'], include=('data_class',), name='list_area'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', 'closed', '-opened_at', '-case_id'], include=('data_class',), name='list_closed'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', 'assignee_id', '-opened_at', '-case_id'], include=('data_class',), name='list_assignee'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(condition=models.Q(('next_due__isnull', False)), fields=['user_id', 'next_due', 'case_id'], include=('data_class',), name='list_due'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(fields=['user_id', '-last_activity_at', '-case_id'], include=('data_class',), name='list_activity'),
        ),
        migrations.AddIndex(
            model_name='listentry',
            index=models.Index(condition=models.Q(('step_role', ''), _negated=True), fields=['user_id', 'step_role', '-step_at', '-case_id'], include=('assignee_id', 'data_class'), name='list_step'),
        ),
    ]
