"""The access log becomes keyed shards (issue 13 item 6 and 8).

Existing rows were chained with plain SHA-256 over some of their columns. They
are checked against that old chain first (the migration stops if it is broken:
that is evidence, not something to seal over), then resealed as shard 0 with
the keyed hash over every column, and a checkpoint of the result is written.
The old trigger is dropped here; 0005 adds the new ones.
"""

import hashlib
import json
from datetime import UTC

import django.utils.timezone
from django.db import migrations, models


OLD_ZERO = "0" * 64


def drop_old_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS permissions_accesslog_no_change"
            " ON permissions_accesslog"
        )


def old_digest(previous, row):
    payload = json.dumps(
        [previous, row.timestamp.isoformat(), row.user_id, row.username, row.role,
         row.organisation, row.action, row.object_type, row.object_id,
         row.data_class, row.case_id, row.purpose_code, row.legal_basis_code,
         row.recipient, row.result, row.client_ip],
        separators=(",", ":"),
    )  # fmt: skip
    return hashlib.sha256(payload.encode()).hexdigest()


def reseal(apps, schema_editor):
    from django.utils import timezone

    from permissions.models import ZERO_HASH, access_log_digest, access_log_mac

    AccessLog = apps.get_model("permissions", "AccessLog")
    Head = apps.get_model("permissions", "AccessLogHead")
    Checkpoint = apps.get_model("permissions", "AccessLogCheckpoint")
    db = schema_editor.connection.alias
    rows = AccessLog.objects.using(db).order_by("id")
    if not rows.exists():
        Head.objects.using(db).all().delete()
        return
    previous = OLD_ZERO
    for row in rows.iterator(chunk_size=5000):
        if old_digest(previous, row) != row.hash_chain:
            raise RuntimeError(
                f"access log row {row.pk} does not match the old hash chain: the "
                "log was changed. Not resealing it; keep this database as evidence."
            )
        previous = row.hash_chain
    head = Head.objects.using(db).filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        raise RuntimeError("the access log head does not match its last row")
    previous, seq, batch = ZERO_HASH, 0, []

    def flush():
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE permissions_accesslog SET shard = 0, seq = %s,"
                " hash_chain = %s WHERE id = %s",
                batch,
            )
        batch.clear()

    for row in rows.iterator(chunk_size=5000):
        seq += 1
        row.shard, row.seq = 0, seq
        previous = access_log_digest(previous, row)
        batch.append((seq, previous, row.pk))
        if len(batch) >= 5000:
            flush()
    flush()
    Head.objects.using(db).all().delete()
    Head.objects.using(db).create(shard=0, seq=seq, last_hash=previous)
    # The other shards' heads, so writers spread at once (verify_access_log
    # adds any missing after ACCESS_LOG_SHARDS grows).
    from django.conf import settings

    Head.objects.using(db).bulk_create(
        [Head(shard=k) for k in range(1, int(getattr(settings, "ACCESS_LOG_SHARDS", 16)))]
    )
    now = timezone.now()
    Checkpoint.objects.using(db).create(
        created_at=now, shard=0, seq=seq, last_hash=previous, reason="migrate",
        signature=access_log_mac(
            "checkpoint", 0, seq, previous, now.astimezone(UTC).isoformat(),
            "migrate",
        ),
    )  # fmt: skip


class Migration(migrations.Migration):

    dependencies = [
        ('permissions', '0003_role_vergunning'),
    ]

    operations = [
        migrations.RunPython(drop_old_trigger, migrations.RunPython.noop),
        migrations.CreateModel(
            name='AccessLogCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('shard', models.PositiveSmallIntegerField()),
                ('seq', models.BigIntegerField()),
                ('last_hash', models.CharField(max_length=64)),
                ('reason', models.CharField(choices=[('rows', 'every N rows'), ('verify', 'verification'), ('migrate', 'migration')], max_length=10)),
                ('signature', models.CharField(max_length=64)),
            ],
            options={
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='AccessLogVerification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('checked_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('ok', models.BooleanField()),
                ('rows_checked', models.BigIntegerField(default=0)),
                ('shards', models.PositiveIntegerField(default=0)),
                ('first_problem', models.TextField(blank=True)),
                ('problems', models.PositiveIntegerField(default=0)),
            ],
            options={
                'ordering': ['-checked_at', '-id'],
                'default_permissions': (),
            },
        ),
        migrations.AddField(
            model_name='accesslog',
            name='seq',
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='accesslog',
            name='shard',
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='accessloghead',
            name='seq',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='accessloghead',
            name='shard',
            field=models.PositiveSmallIntegerField(default=0, unique=True),
        ),
        migrations.AlterField(
            model_name='accesslog',
            name='timestamp',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='time'),
        ),
        migrations.AddIndex(
            model_name='accesslog',
            index=models.Index(fields=['timestamp', 'id'], name='accesslog_time'),
        ),
        migrations.AddIndex(
            model_name='accesslog',
            index=models.Index(fields=['username', 'timestamp', 'id'], name='accesslog_user_time'),
        ),
        migrations.AddIndex(
            model_name='accesslog',
            index=models.Index(fields=['case_reference', 'timestamp', 'id'], name='accesslog_case_time'),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='accesslog',
            constraint=models.UniqueConstraint(fields=('shard', 'seq'), name='accesslog_shard_seq'),
        ),
        migrations.AddIndex(
            model_name='accesslogcheckpoint',
            index=models.Index(fields=['shard', 'seq'], name='accesslog_ckpt_shard'),
        ),
    ]
