"""An index on the signal's date of receipt, for the selection board's window
(workflows/controle, `BOARD_WINDOW_DAYS`; docs/controle.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casework", "0011_signal_import")]

    operations = [
        migrations.AddIndex(
            model_name="signal",
            index=models.Index(fields=["-received_on"], name="signal_received"),
        ),
    ]
