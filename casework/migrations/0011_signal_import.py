from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casework", "0010_list_case_type")]

    operations: list = []
