"""Search: full-text and trigram indexes (issue 16, item 1; casework/search.py,
docs/search.md). PostgreSQL only; on SQLite (the demo) this migration does
nothing and the search falls back to icontains.

- One GIN full-text index (Dutch configuration) per searched text: party
  names, addresses (street, house number and addition, town), case titles and
  signal texts. The expressions are those `casework.search` writes, letter for
  letter: PostgreSQL uses an expression index only for the same expression.
- Trigram indexes (pg_trgm) on case and signal references, for a part of a
  reference ("LOD-0012"), and on the word list below.
- Partial btree indexes on BSN and KvK number (equality lookups); postcode
  and house number already have one (`location_pc_hn`).
- The word list `casework_search_word`: every word (letters only, three or
  more) of those texts, once. Typos and partial words are matched against
  this list with trigram similarity, and the words found are then looked up
  in the full-text indexes: a trigram scan over the rows themselves reads
  posting lists as long as the table for every common trigram (70–110 ms at
  1M parties), over the word list it reads a few thousand entries. This is
  the approach of the pg_trgm manual ("Text Search Integration"). Statement
  triggers add the words of new and changed rows; they are ENABLE ALWAYS so
  that bulk loads with `session_replication_role = replica` (bench/generate.py)
  fill the list too. Words are never removed by the triggers;
  `casework_search_words_rebuild()` rebuilds the list from the rows that
  remain (after an erasure).

`CREATE EXTENSION pg_trgm` needs a superuser or, since PostgreSQL 13, a
database owner (pg_trgm is a trusted extension). When the deploy user has
neither right, an administrator runs `CREATE EXTENSION IF NOT EXISTS pg_trgm;`
in the database first (docs/search.md).
"""

from django.db import migrations

# (table, expression whose words go into the word list)
WORD_SOURCES = [
    ("casework_party", "name"),
    ("casework_location", "street || ' ' || city"),
    ("casework_case", "title"),
    ("casework_signal", "summary"),
]

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX IF NOT EXISTS search_party_fts ON casework_party
    USING gin (to_tsvector('dutch'::regconfig, name));
CREATE INDEX IF NOT EXISTS search_location_fts ON casework_location
    USING gin (to_tsvector('dutch'::regconfig,
        street || ' ' || house_number::text || addition || ' ' || city));
CREATE INDEX IF NOT EXISTS search_case_fts ON casework_case
    USING gin (to_tsvector('dutch'::regconfig, title));
CREATE INDEX IF NOT EXISTS search_signal_fts ON casework_signal
    USING gin (to_tsvector('dutch'::regconfig, summary));
CREATE INDEX IF NOT EXISTS search_case_reference_trgm ON casework_case
    USING gin (reference gin_trgm_ops);
CREATE INDEX IF NOT EXISTS search_signal_reference_trgm ON casework_signal
    USING gin (reference gin_trgm_ops);
CREATE INDEX IF NOT EXISTS search_party_bsn ON casework_party (bsn)
    WHERE bsn <> '';
CREATE INDEX IF NOT EXISTS search_party_kvk ON casework_party (kvk_number)
    WHERE kvk_number <> '';

CREATE TABLE IF NOT EXISTS casework_search_word (word text PRIMARY KEY);
CREATE INDEX IF NOT EXISTS search_word_trgm ON casework_search_word
    USING gin (word gin_trgm_ops);

-- The words of a text: lower case, letters only, three letters or more (no
-- digits: a BSN, KvK number or date never enters the list).
CREATE OR REPLACE FUNCTION casework_search_words(text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT DISTINCT w FROM regexp_split_to_table(lower($1), '[^[:alpha:]]+') w
    WHERE length(w) >= 3
$$;

-- Statement trigger: the words of the new rows (TG_ARGV[0] is the text
-- expression), in sorted order so that concurrent writers take the same
-- order and cannot deadlock on the primary key.
CREATE OR REPLACE FUNCTION casework_search_words_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'INSERT INTO casework_search_word (word) '
        'SELECT DISTINCT w FROM new_rows, casework_search_words(%s) w '
        'ORDER BY w ON CONFLICT DO NOTHING',
        TG_ARGV[0]);
    RETURN NULL;
END
$$;
"""

REBUILD = """
CREATE OR REPLACE FUNCTION casework_search_words_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM casework_search_word;
    INSERT INTO casework_search_word (word)
    SELECT DISTINCT w FROM ({sources}) s ON CONFLICT DO NOTHING;
END
$$;
SELECT casework_search_words_rebuild();
"""

TRIGGERS = """
CREATE TRIGGER search_words_{table}_{event} AFTER {event} ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION casework_search_words_add('{expression}');
ALTER TABLE {table} ENABLE ALWAYS TRIGGER search_words_{table}_{event};
"""

DROP = """
DROP FUNCTION IF EXISTS casework_search_words_rebuild();
DROP TABLE IF EXISTS casework_search_word;
DROP INDEX IF EXISTS search_party_fts, search_location_fts, search_case_fts,
    search_signal_fts, search_case_reference_trgm, search_signal_reference_trgm,
    search_party_bsn, search_party_kvk;
"""


def _triggers() -> str:
    return "".join(
        TRIGGERS.format(
            table=table, event=event, expression=expression.replace("'", "''")
        )
        for table, expression in WORD_SOURCES
        for event in ("insert", "update")
    )


def _rebuild() -> str:
    sources = " UNION ALL ".join(
        f"SELECT casework_search_words({expression}) AS w FROM {table}"
        for table, expression in WORD_SOURCES
    )
    return REBUILD.format(sources=sources)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE + _rebuild() + _triggers(), None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    drops = "".join(
        f"DROP TRIGGER IF EXISTS search_words_{table}_{event} ON {table};"
        for table, _expression in WORD_SOURCES
        for event in ("insert", "update")
    )
    schema_editor.execute(
        drops
        + DROP
        + "DROP FUNCTION IF EXISTS casework_search_words_add();"
        + "DROP FUNCTION IF EXISTS casework_search_words(text);",
        None,
    )


class Migration(migrations.Migration):
    dependencies = [("casework", "0006_case_type_from_registry")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
