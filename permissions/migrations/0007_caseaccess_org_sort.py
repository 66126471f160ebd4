"""The index behind a partner API client's case list (docs/api.md,
docs/access.md "Service accounts"): the team rows of one organisation, newest
first, so a client's page of cases is one index range at a million cases
(`permissions.selectors.visible_case_keys`)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("permissions", "0006_accesslog_object_id_names_every_row")]

    operations = [
        migrations.AddIndex(
            model_name="caseaccess",
            index=models.Index(
                fields=["organisation", "-sort_key", "-case"],
                include=["data_class"],
                name="caseaccess_org_sort",
            ),
        ),
    ]
