"""The signal import (issue 17 item 6, docs/import.md): an uploaded file
between its preview and its import, and the signals it registered under the
supplier's own reference (once per supplier and source)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0010_list_case_type"),
        ("permissions", "0006_accesslog_object_id_names_every_row"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SignalImport",
            fields=[
                (
                    "id",
                    models.UUIDField(editable=False, primary_key=True, serialize=False),
                ),
                ("source", models.CharField(max_length=30)),
                ("file_name", models.CharField(blank=True, max_length=255)),
                ("content", models.TextField(blank=True)),
                ("content_hash", models.CharField(max_length=64)),
                ("row_count", models.PositiveIntegerField(default=0)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("preview", "Awaiting confirmation"),
                            ("imported", "Imported"),
                        ],
                        default="preview",
                        max_length=10,
                    ),
                ),
                (
                    "uploaded_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
                ("imported_at", models.DateTimeField(blank=True, null=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permissions.organisation",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "shared_with",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="permissions.organisation"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["status", "uploaded_at"], name="signalimport_age"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ImportedSignal",
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
                ("source", models.CharField(max_length=30)),
                ("external_reference", models.CharField(max_length=50)),
                ("line", models.PositiveIntegerField()),
                (
                    "signal",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="import_row",
                        to="casework.signal",
                    ),
                ),
                (
                    "source_organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="permissions.organisation",
                    ),
                ),
                (
                    "signal_import",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="imported",
                        to="casework.signalimport",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source_organisation", "source", "external_reference"),
                        name="imported_signal_once",
                    )
                ],
            },
        ),
    ]
