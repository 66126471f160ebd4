from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casework", "0009_assignment")]

    operations: list = []
