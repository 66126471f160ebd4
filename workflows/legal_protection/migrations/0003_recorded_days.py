from django.db import migrations, models


def keep_objection_outcome(apps, schema_editor):
    """A protection decided before this migration: the outcome it holds in
    R30, R40 and R45 (first instance) is still that of the beslissing op
    bezwaar; later rulings replaced it elsewhere and are left alone."""
    LegalProtection = apps.get_model("legal_protection", "LegalProtection")
    LegalProtection.objects.filter(
        status__in=["R30", "R40", "R45"], higher_appeal=False
    ).exclude(outcome="").update(objection_outcome=models.F("outcome"))


class Migration(migrations.Migration):
    dependencies = [
        ("legal_protection", "0002_advisory_committee"),
    ]

    operations = [
        migrations.AddField(
            model_name="legalprotection",
            name="objection_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="objection received on"
            ),
        ),
        migrations.AddField(
            model_name="legalprotection",
            name="hearing_on",
            field=models.DateField(blank=True, null=True, verbose_name="hearing on"),
        ),
        migrations.AddField(
            model_name="legalprotection",
            name="advice_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="committee advice on"
            ),
        ),
        migrations.AddField(
            model_name="legalprotection",
            name="objection_decided_on",
            field=models.DateField(
                blank=True,
                null=True,
                verbose_name="decision on objection made known on",
            ),
        ),
        migrations.AddField(
            model_name="legalprotection",
            name="objection_outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("upheld", "Upheld"),
                    ("partly_upheld", "Partly upheld"),
                    ("dismissed", "Dismissed"),
                    ("inadmissible", "Inadmissible"),
                ],
                max_length=20,
                verbose_name="outcome of the objection",
            ),
        ),
        migrations.RunPython(keep_objection_outcome, migrations.RunPython.noop),
    ]
