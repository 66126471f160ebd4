"""Saved views per user and team (issue 16, item 3). Placeholder: operations added by the listing work."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casework", "0007_search")]

    operations = []
