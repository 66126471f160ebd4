"""The searched text of addresses, cases and signals as a stored
`tsvector` each (`search_vector`, PostgreSQL only), so that a search for a
common word reads the newest rows in order and tests each in a fraction of a
microsecond, instead of first building from the full-text index the set of
every row that holds the word (168,000 signals for "ondermijning" at 1M
cases, 15 ms; docs/search.md, "Common words"). Each column is generated from
the row's own text, with the expression of its full-text index (migration
0007, `casework.search`): it changes with the text, an erasure included.
Django's models do not know the columns; only the search reads them. The
full-text indexes stay, for the rarer words. Until the tables are analysed
again (autovacuum does it; or `ANALYZE` by hand after the migration) the
planner has no statistics of the columns and no word counts as common: the
search then reads the full-text indexes, as before.

On a database of 1M cases this rewrites the three tables (a few minutes,
holding their locks): plan it in a maintenance window."""

from django.db import migrations

COLUMNS = {
    "casework_location": (
        "street || ' ' || house_number::text || addition || ' ' || city"
    ),
    "casework_case": "title",
    "casework_signal": "summary",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, text in COLUMNS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED "
            f"ALWAYS AS (to_tsvector('dutch'::regconfig, {text})) STORED",
            None,
        )
        # The search reads the column's most common lexemes on every text
        # search (casework.search._probe): about a hundred of them, not a
        # thousand, is enough to know the common words and cheap to read.
        schema_editor.execute(
            f"ALTER TABLE {table} ALTER COLUMN search_vector SET STATISTICS 10",
            None,
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector", None
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0020_location_town")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
