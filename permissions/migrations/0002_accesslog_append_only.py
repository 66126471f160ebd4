"""On PostgreSQL, refuse UPDATE and DELETE on the access log in the database
itself, so not even a raw SQL slip can rewrite it (WGS 1.8 lid 4, Wpg 32a)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION permissions_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER permissions_accesslog_no_change
    BEFORE UPDATE OR DELETE ON permissions_accesslog
    FOR EACH ROW EXECUTE FUNCTION permissions_accesslog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS permissions_accesslog_no_change ON permissions_accesslog;
DROP FUNCTION IF EXISTS permissions_accesslog_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("permissions", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
