"""The RIEC results of a year — by their source, and by a RIEC supplier — read
from an index alone (INCLUDE, on PostgreSQL; SQLite builds the same indexes
without it): the feedback page's counts and pages read the year's 6,888 RIEC
results at 1M instead of its 51,087 signals (docs/reports.md, "The page at
scale")."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0022_list_activity_carries_the_filters'),
        ('permissions', '0008_caseaccess_user_type_carries_data_class'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='signal',
            index=models.Index(fields=['source', 'received_on'], include=('id', 'status', 'reference', 'source_organisation'), name='signal_source_received'),
        ),
        migrations.AddIndex(
            model_name='signal',
            index=models.Index(fields=['source_organisation', 'received_on'], include=('id', 'status', 'reference', 'source'), name='signal_supplier_received'),
        ),
    ]
