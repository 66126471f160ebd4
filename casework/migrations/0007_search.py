"""Search: full-text and trigram indexes (issue 16, item 1; casework/search.py). Placeholder: operations added by the search work."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casework", "0006_case_type_from_registry")]

    operations = []
