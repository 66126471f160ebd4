"""Search over what the user may see: cases (open and closed) and signals, by
reference, party name, BSN, KvK number, address (street and house number,
postcode, town), case title and signal text (issue 16 item 1, docs/search.md).

Access is the decision point's, never a rule of this module: every case row
is joined to the user's own team row with the condition of
`permissions.selectors.visible_case_sql` (or, on SQLite,
`Case.objects.for_user`), every signal passes `visible_signal_sql`
(`Signal.objects.for_user`), and a case found through its content (a party,
an address) is shown only when `decide(user, READ, case)` lets the user read
the case file — a partner sees the outcome of its cases, not who is in them.

On PostgreSQL: exact identifiers (BSN with the elfproef, KvK number,
postcode, reference) are equality lookups on btree indexes; any other text is
looked up in Dutch full-text indexes, after each word was widened with the
words of the word list that are like it (pg_trgm: typos, partial words).
The work is bounded whoever the user is: each source yields at most
CANDIDATES rows before the visibility join, so a common word costs the same
at 10k and at 1M cases and the page says that there may be more
("verfijn uw zoekopdracht"). A user on no more than OWN_CASES cases is
searched in those cases row by row instead of the indexes' case side
(docs/search.md, "Bounded work"). On SQLite (the demo) the same interface runs
icontains through the ORM.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db import models as django_models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from psycopg.sql import Literal

from permissions.decision import READ, decide
from permissions.models import CaseAccess
from permissions.selectors import (
    case_access_for_user,
    visible_case_sql,
    visible_signal_sql,
)
from permissions.services import prime_case_grants

from .models import Case, CaseLocation, CaseParty, Location, Party, Signal
from .selectors import (
    URL_SAFE,
    Row,
    _case_url_parts,
    _choice_labels,
    _labels,
    _table,
    short_date,
    url_parts,
)
from .validators import bsn_is_valid

MIN_LENGTH = 3
# Results shown; one more is read to know that there are more.
LIMIT = 50
# Rows each source (parties, addresses, titles, signal texts and the links
# from parties and addresses to cases and signals) yields before the
# visibility join: the bound on the work of one search.
CANDIDATES = 200
# Words of the word list each query word is widened with.
EXPANSIONS = 5


class Purpose(django_models.TextChoices):
    """Why a user searches by BSN: written to the access log with the search
    (docs/domain.md §6.5 `purpose_code`)."""

    CASE = "zaak", gettext_lazy("Handling a case (enforcement, Bibob, PGA)")
    SIGNAL = "signaal", gettext_lazy("Assessing an incoming signal")
    OBJECTION = "bezwaar", gettext_lazy("Objection or appeal")
    DATA_SUBJECT = "inzage", gettext_lazy("Request of the person concerned (GDPR)")
    DUPLICATE = "dubbel", gettext_lazy("Checking for a person registered twice")


# Kinds of query.
BSN, KVK, POSTCODE, REFERENCE, PART_OF_REFERENCE, TEXT = (
    "bsn",
    "kvk",
    "postcode",
    "reference",
    "part_of_reference",
    "text",
)

_POSTCODE = re.compile(
    r"^([1-9][0-9]{3})\s?([A-Za-z]{2})(?:\s*(\d{1,5})\s*([A-Za-z]{0,4}))?$"
)
_REFERENCE = re.compile(r"^(\d{4})-([A-Za-z]{2,4})-(\d{1,6})$")
_PART_OF_REFERENCE = re.compile(
    r"^(\d{4}-[A-Za-z]{2,4}-?\d*|[A-Za-z]{2,4}-\d{1,6})$", re.ASCII
)
_STREET_NUMBER = re.compile(r"^(.*?[^\W\d_].*?)\s+(\d{1,5})\s*([A-Za-z]?)$")
_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"^[^\W\d_]+$")


@dataclass(frozen=True)
class Query:
    """A search text, read: its kind and the values the lookups need."""

    text: str
    kind: str
    value: str = ""  # BSN, KvK, postcode ("5911 AB") or reference
    house_number: int | None = None
    addition: str = ""
    words: tuple[str, ...] = ()  # the text's words, lower case

    @property
    def is_bsn(self) -> bool:
        return self.kind == BSN


def parse(text: str) -> Query | None:
    """The kind of the search text, or None when it is too short to search."""
    text = " ".join((text or "").split())
    compact = re.sub(r"[\s.]", "", text)
    if compact.isdigit() and len(compact) == 9 and bsn_is_valid(compact):
        return Query(text, BSN, value=compact)
    if compact.isdigit() and len(compact) == 8:
        return Query(text, KVK, value=compact)
    if match := _POSTCODE.match(text):
        number = int(match[3]) if match[3] else None
        return Query(
            text,
            POSTCODE,
            value=f"{match[1]} {match[2].upper()}",
            house_number=number,
            addition=match[4].upper() if number is not None else "",
        )
    if match := _REFERENCE.match(text):
        reference = f"{match[1]}-{match[2].upper()}-{int(match[3]):04d}"
        return Query(text, REFERENCE, value=reference)
    if _PART_OF_REFERENCE.match(text):
        return Query(text, PART_OF_REFERENCE, value=text.upper())
    if len(text.replace(" ", "")) < MIN_LENGTH:
        return None
    words = tuple(w.lower() for w in _WORD.findall(text))
    if not words:
        return None
    house_number, addition = None, ""
    if match := _STREET_NUMBER.match(text):
        house_number, addition = int(match[2]), match[3].upper()
    return Query(text, TEXT, words=words, house_number=house_number, addition=addition)


class Hit(Row):
    """One line of the results: a case or a signal, and why it was found.

    Keys (read as attributes too, like `casework.selectors.CaseRow`: the
    template's lookup finds a dict key at once):
    kind ("case" or "signal"), pk, reference, title, url, type_label,
    status_label, is_open, data_class, field (the label of what matched),
    snippet (escaped, what matched in <mark>), score, day; and, resolved once
    per page so the template only prints, kind_label, open_label ("open" or
    "closed") and date (`day` as the date:"SHORT_DATE_FORMAT" filter writes
    it)."""

    __slots__ = ()


@dataclass
class Result:
    query: Query | None
    hits: list[Hit] = field(default_factory=list)
    # More may match than shown: more than LIMIT visible hits, or a source
    # gave CANDIDATES rows before the visibility join.
    capped: bool = False


def search(user, text: str) -> Result:
    """The hits for `text` among what `user` may see, best first."""
    query = parse(text)
    if query is None:
        return Result(None)
    alternatives = {w: [w] for w in query.words}
    if connection.vendor == "postgresql":
        if query.kind == TEXT:
            alternatives = expand(query.words)
        rows, capped = _pg_rows(user, query, alternatives)
    else:
        rows, capped = _orm_rows(user, query)
    # Cases and signals come as two lists, each in order: one order for both.
    rows.sort(key=lambda row: (-row["score"], _sort_day(row["day"])))
    # LIMIT + 1 hits at most: the one more tells that there are more.
    hits = _hits(user, rows, _terms(query, alternatives), LIMIT + 1)
    return Result(query, hits[:LIMIT], capped or len(hits) > LIMIT)


# Field labels and weights: an exact identifier above a name above an address
# above a title above a signal text.
FIELDS = {
    "reference": (gettext_lazy("Reference"), 4.0),
    "bsn": (gettext_lazy("BSN of"), 4.0),
    "kvk": (gettext_lazy("KvK number of"), 4.0),
    "party": (gettext_lazy("Party"), 2.0),
    "address": (gettext_lazy("Address"), 1.8),
    "title": (gettext_lazy("Title"), 1.5),
    "text": (gettext_lazy("Signal text"), 1.2),
}
# Fields inside the case file: shown only to who may read the file.
CONTENT_FIELDS = frozenset({"bsn", "kvk", "party", "address"})


# PostgreSQL ---------------------------------------------------------------------

# The indexed expressions of migration 0007, letter for letter.
PARTY_VECTOR = "to_tsvector('dutch'::regconfig, {t}.name)"
LOCATION_VECTOR = (
    "to_tsvector('dutch'::regconfig, {t}.street || ' ' || {t}.house_number::text"
    " || {t}.addition || ' ' || {t}.city)"
)
CASE_VECTOR = "to_tsvector('dutch'::regconfig, {t}.title)"
SIGNAL_VECTOR = "to_tsvector('dutch'::regconfig, {t}.summary)"
# An address as the results show it.
LOCATION_LABEL = (
    "{t}.street || ' ' || {t}.house_number::text || {t}.addition || ', '"
    " || {t}.postcode || ' ' || {t}.city"
)


def expand(words) -> dict[str, list[str]]:
    """Each word, or when the word list does not hold it (a typo, the start or
    a part of a word) the words of the list like it (pg_trgm: similarity for a
    typo, word similarity for the start or a part of a word), best first. A
    word the list holds is taken as typed, so "Jan" does not also find
    "Janssen"."""
    letters = [w for w in dict.fromkeys(words) if _LETTERS.match(w) and len(w) >= 3]
    found: dict[str, list[str]] = {w: [w] for w in words}
    if not letters:
        return found
    sql = (
        "SELECT q.w, x.word FROM unnest(%s::text[]) AS q(w) CROSS JOIN LATERAL ("
        "SELECT word FROM casework_search_word WHERE word %% q.w OR q.w <%% word "
        "ORDER BY word = q.w DESC, "
        "greatest(similarity(q.w, word), word_similarity(q.w, word)) DESC, word "
        f"LIMIT {EXPANSIONS}) x"
    )
    like: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [letters])
        for word, similar in cursor.fetchall():
            like.setdefault(word, []).append(similar)
    for word, similar in like.items():
        if word not in similar:
            found[word] = similar
    return found


def _tsquery(alternatives: list[list[str]]) -> str:
    """A to_tsquery text: every word (or one of its alternatives) must occur.
    The words are letters and digits only (`_WORD`), quoted as lexemes."""
    return " & ".join(
        "(" + " | ".join(f"'{w}'" for w in words) + ")" for words in alternatives
    )


def _pg_rows(user, query: Query, alternatives: dict) -> tuple[list[dict], bool]:
    """The candidate rows of each source, joined to what the user may see, in
    one statement (plus the word list's for a text)."""
    params: list = []
    ctes: list[str] = []
    case_sources: list[str] = []
    signal_sources: list[str] = []
    party = f"{_table(Party)} p"
    location = f"{_table(Location)} l"
    label = LOCATION_LABEL.format(t="l")

    def cte(name: str, sql: str, *values) -> None:
        ctes.append(f"{name} AS MATERIALIZED ({sql} LIMIT {CANDIDATES + 1})")
        params.extend(values)

    many = ""  # SQL: the user is on more than OWN_CASES cases (`_mine_all`)
    if query.kind in (BSN, KVK):
        column = "bsn" if query.kind == BSN else "kvk_number"
        cte(
            "party",
            f"SELECT p.id, p.name AS text, '{query.kind}' AS field FROM {party} "
            f"WHERE p.{column} = %s AND p.{column} <> ''",
            query.value,
        )
    elif query.kind == POSTCODE:
        condition, values = "l.postcode = %s", [query.value]
        if query.house_number is not None:
            condition += " AND l.house_number = %s"
            values.append(query.house_number)
            if query.addition:
                condition += " AND l.addition = %s"
                values.append(query.addition)
        cte(
            "location",
            f"SELECT l.id, {label} AS text FROM {location} WHERE {condition}",
            *values,
        )
    elif query.kind == REFERENCE:
        for name, model, t in (
            ("case_direct", Case, "c"),
            ("signal_direct", Signal, "s"),
        ):
            cte(
                name,
                f"SELECT {t}.id, {t}.reference AS text, 'reference' AS field "
                f"FROM {_table(model)} {t} WHERE {t}.reference = %s",
                query.value,
            )
    elif query.kind == PART_OF_REFERENCE:
        many = _mine_all(user, ctes, params)
        pattern, order = _reference_pattern(query.value)
        # The pattern a literal: the planner takes the index range from a
        # LIKE's constant prefix only, so a prepared statement's generic
        # plan of `LIKE %s` read the table (87 ms at 1M, 2 ms so).
        like = _literal(pattern)
        for name, model, t, gate in (
            ("case_direct", Case, "c", f"{many} AND "),
            ("signal_direct", Signal, "s", ""),
        ):
            cte(
                name,
                f"SELECT {t}.id, {t}.reference AS text, 'reference' AS field "
                f"FROM {_table(model)} {t} WHERE {gate}{t}.reference LIKE {like}"
                + order.format(t=t),
            )
    else:
        tsquery = _tsquery([alternatives[w] for w in query.words])
        ctes.append("t AS (SELECT to_tsquery('dutch', %s) AS q)")
        params.append(tsquery)
        many = _mine_all(user, ctes, params)
        town, common = _probe(query, tsquery)
        # Parties always through the full-text index (TEXT_SOURCES).
        cte(
            "party",
            f"SELECT p.id, p.name AS text, 'party' AS field FROM {party}, t "
            f"WHERE {PARTY_VECTOR.format(t='p')} @@ t.q",
        )
        if town:
            # A town's name alone: its addresses by the town (index
            # `location_town`, a range that stops at the bound), not by the
            # word index, which builds the set of every address of the town
            # first (180,000 at 1M, 6 ms). The name is a literal, as in
            # `_town`: a statement per town, each planned for it.
            cte(
                "location",
                f"SELECT l.id, {label} AS text FROM {location} "
                f"WHERE lower(l.city) = {town}",
            )
        else:
            _text_source(
                ctes, "location", f"SELECT l.id, {label} AS text",
                Location, "l", LOCATION_VECTOR, "", common,
            )  # fmt: skip
        _text_source(
            ctes, "case_direct", "SELECT c.id, c.title AS text, 'title' AS field",
            Case, "c", CASE_VECTOR, f"{many} AND ", common,
        )  # fmt: skip
        _text_source(
            ctes, "signal_direct", "SELECT s.id, s.summary AS text, 'text' AS field",
            Signal, "s", SIGNAL_VECTOR, "", common,
        )  # fmt: skip
    names = {c.split(" ", 1)[0] for c in ctes} - {"t", "mine_all"}
    names = {n for n in names if not n.endswith("_newest")}
    links = {
        "party": [
            (case_sources, _table(CaseParty), "case_id", "party_id"),
            (signal_sources, _table(Signal.parties.through), "signal_id", "party_id"),
        ],
        "location": [
            (case_sources, _table(CaseLocation), "case_id", "location_id"),
            (
                signal_sources,
                _table(Signal.locations.through),
                "signal_id",
                "location_id",
            ),
        ],
    }
    for source, targets in links.items():
        if source not in names:
            continue
        what = "x.field" if source == "party" else "'address'"
        for into, table, target, key in targets:
            name = f"{source}_{target}"
            # Cases through a party or address only for a user on more cases
            # than the row-by-row pass reads (a one-time filter).
            gate = f" WHERE {many}" if many and target == "case_id" else ""
            # LATERAL: one index probe per candidate (a hash join would read
            # the whole link table).
            cte(
                name,
                f"SELECT k.{target} AS id, x.text, {what} AS field FROM {source} x "
                f"CROSS JOIN LATERAL (SELECT {target} FROM {table} "
                f"WHERE {key} = x.id) k{gate}",
            )
            into.append(name)
    if "case_direct" in names:
        case_sources.append("case_direct")
    if "signal_direct" in names:
        signal_sources.append("signal_direct")
    signals_capped, cases_capped = _capped(names, signal_sources)
    if query.kind == TEXT:
        cases_capped = _own_cases(ctes, case_sources, cases_capped, many)
    elif query.kind == PART_OF_REFERENCE:
        cases_capped = _own_references(
            ctes, params, case_sources, cases_capped, many, pattern
        )
    capped = f"({signals_capped}) OR ({cases_capped})"
    parts, part_params = [], []
    visible = visible_case_sql(user, case="x", team="a")
    if visible is not None and case_sources:
        parts.append(_pg_cases(case_sources, visible))
        part_params += [*visible.join_params, *visible.where_params]
    condition, signal_params = visible_signal_sql(user, signal="x")
    if condition and signal_sources:
        parts.append(_pg_signals(signal_sources, condition))
        part_params += signal_params
    parts.append(
        "SELECT '' AS kind, 0 AS id, '' AS reference, '' AS title, '' AS type, "
        "'' AS status, NULL::timestamptz AS day, false AS closed, '' AS data_class, "
        f"'' AS team_role, '' AS field, '' AS text, 0 AS score, ({capped}) AS capped"
    )
    sql = (
        "WITH "
        + ", ".join(ctes)
        + " "
        + " UNION ALL ".join(f"({part})" for part in parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *part_params])
        columns = [col[0] for col in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    meta = rows.pop()
    return rows, bool(meta["capped"])


# A common word (docs/search.md, "Common words"): when the column statistics
# say that the NEWEST newest rows of a source hold twice the bound, they are read
# down its primary key and their stored vectors (`search_vector`, migration
# 0021) tested, stopping at CANDIDATES + 1; only when they hold fewer does the
# full-text index run, which builds the set of every matching row first
# (168,000 signals for "ondermijning" at 1M cases, 15 ms).
NEWEST = 10_000
COMMON_SHARE = 2 * (CANDIDATES + 1) / NEWEST
# The sources of a text search that read their newest rows first for a
# common word, and their tables. Not the parties: a name is seldom common in
# a municipality's register (the bench's few surnames are, and its persons
# all come before its companies, so the newest parties never held one).
TEXT_SOURCES = {
    "location": Location,
    "case_direct": Case,
    "signal_direct": Signal,
}


def _common(stemmed: str, sizes: dict, statistics: dict) -> frozenset[str]:
    """The sources in which at least COMMON_SHARE of the rows are estimated
    to match `stemmed` (a tsquery as PostgreSQL writes it: lexemes in quotes,
    `&`, `|` and parentheses): the share of each lexeme among the rows from
    the statistics of the stored vectors (`pg_stats.most_common_elems`; a
    lexeme not among them is rare), `|` the chance of either, as PostgreSQL's
    `tsquerysel` takes it, and `&` the share of its rarer side — not the
    planner's product: the words of a title or a signal text come together
    ("PGA jongere": 6.7 % of the cases hold both, the product says 0.45 %),
    and a word taken for common wrongly costs the NEWEST rows (a few ms),
    one taken for rare wrongly the index's whole set (12 ms there). Only
    sources whose table has rows (`sizes`, `pg_class.reltuples`, -1 before
    the first ANALYZE) count."""
    tokens = re.findall(r"'(?:[^']|'')*'|[&|()!]", stemmed)
    common = set()
    for name, model in TEXT_SOURCES.items():
        table = model._meta.db_table
        elements, shares = statistics.get(table) or [None, None]
        share = dict(zip(elements or (), shares or (), strict=False))
        if sizes.get(table, -1) > 0 and _share(tokens, share) >= COMMON_SHARE:
            common.add(name)
    return frozenset(common)


def _share(tokens: list[str], share: dict[str, float]) -> float:
    """The estimated share of rows matching the tokens of a tsquery."""
    position = 0

    def either() -> float:
        nonlocal position
        value = both()
        while position < len(tokens) and tokens[position] == "|":
            position += 1
            other = both()
            value = 1 - (1 - value) * (1 - other)
        return value

    def both() -> float:
        nonlocal position
        value = one()
        while position < len(tokens) and tokens[position] == "&":
            position += 1
            value = min(value, one())
        return value

    def one() -> float:
        nonlocal position
        token = tokens[position] if position < len(tokens) else ""
        position += 1
        if token == "(":
            value = either()
            position += 1  # ")"
            return value
        if token == "!":
            return 1 - one()
        return share.get(token[1:-1].replace("''", "'"), 0.0)

    return either() if tokens else 0.0


def _text_source(ctes, name, select, model, t, vector, gate, common) -> None:
    """Add the candidates of one source of a text search: `select` (its
    columns) from `model`'s rows, as `t`, that match `t.q`, behind `gate`.
    A rare word through the full-text index; a common one (`common`) in the
    NEWEST newest rows first, and through the index only when those held
    fewer than the bound — so a word common in old rows and absent from the
    newest is still found."""
    table = _table(model)
    index = f"{select} FROM {table} {t}, t WHERE {gate}{vector.format(t=t)} @@ t.q"
    limit = f"LIMIT {CANDIDATES + 1}"
    if name not in common:
        ctes.append(f"{name} AS MATERIALIZED ({index} {limit})")
        return
    newest = f"{name}_newest"
    ctes.append(
        f"{newest} AS MATERIALIZED ({select} FROM (SELECT * FROM {table} "
        f"ORDER BY id DESC LIMIT {NEWEST}) {t}, t "
        f"WHERE {gate}{t}.search_vector @@ t.q {limit})"
    )
    found = f"(SELECT count(*) FROM {newest})"
    ctes.append(
        f"{name} AS MATERIALIZED ((SELECT * FROM {newest} WHERE {found} > "
        f"{CANDIDATES}) UNION ALL ({index} AND {found} <= {CANDIDATES} {limit}))"
    )


# The user's newest team rows searched row by row besides the indexes: a
# user on this many cases or fewer finds every case of theirs that matches,
# however common the word (the index side stops at CANDIDATES rows).
OWN_CASES = 100


def _full(names) -> str:
    """SQL: one of these candidate sources reached its bound."""
    checks = [f"(SELECT count(*) FROM {n}) > {CANDIDATES}" for n in sorted(names)]
    return " OR ".join(checks) or "false"


def _capped(names: set[str], signal_sources: list[str]) -> tuple[str, str]:
    """SQL: the candidates may have left out signals, or cases. The parties
    and addresses feed both."""
    shared = names & {"party", "location"}
    return _full(shared | set(signal_sources)), _full(names)


def _literal(value: str) -> str:
    """`value` as an SQL literal (psycopg's quoting) for a statement that is
    run with parameters: its `%` doubled, as psycopg reads `%s`. For a value
    whose plan must be its own (docs/architecture.md, "Queries")."""
    with connection.cursor() as cursor:
        return Literal(value).as_string(cursor.connection).replace("%", "%%")


def _probe(query: Query, tsquery: str) -> tuple[str, frozenset[str]]:
    """One statement before the search: whether the text is a town's name,
    and the sources in which the words of `tsquery` are common (`_common`).

    The town: when the text is a town's name and nothing else ("Venlo",
    "'s-Hertogenbosch") as an address holds it, that name in lower case as an
    SQL literal (psycopg's quoting); else "". One probe of the index
    `location_town`. A literal, not a parameter: a prepared statement's
    generic plan cannot know how rare the name is, and read the table until
    it found one (every address, 70 ms at 1M, for a text that is no town's
    name)."""
    name = ""
    town = "false"
    if query.house_number is None:
        name = _literal(" ".join(query.text.split()).lower())
        town = f"EXISTS (SELECT 1 FROM {_table(Location)} WHERE lower(city) = {name})"
    tables = ", ".join(_literal(m._meta.db_table) for m in TEXT_SOURCES.values())
    with connection.cursor() as cursor:
        # No parameters, but as a list: psycopg reads `%%` as in the search's
        # statement, where the literal goes too.
        cursor.execute(
            f"SELECT {town}, to_tsquery('dutch', {_literal(tsquery)})::text, "
            "(SELECT json_object_agg(relname, reltuples) FROM pg_class "
            f"WHERE relnamespace = current_schema()::regnamespace "
            f"AND relname IN ({tables})), "
            "(SELECT json_object_agg(tablename, json_build_array("
            "most_common_elems::text::text[], most_common_elem_freqs)) "
            "FROM pg_stats WHERE schemaname = current_schema() "
            f"AND tablename IN ({tables}) AND attname = 'search_vector')",
            [],
        )
        is_town, stemmed, sizes, statistics = cursor.fetchone()
    common = _common(stemmed, sizes or {}, statistics or {})
    return (name if is_town else ""), common


def _mine_all(user, ctes: list[str], params: list) -> str:
    """Add `mine_all`, the user's newest team rows (OWN_CASES + 1 of them,
    as `permissions.selectors.case_access_for_user` reads them). For a user
    on no more than OWN_CASES cases they are all of the cases the user may
    see, searched row by row (`_own_cases`, `_own_references`), and the
    indexes' case side does not run at all. Returns the SQL condition "the
    user is on more cases than that"."""
    mine, mine_params = (
        case_access_for_user(user)
        .values("case_id")[: OWN_CASES + 1]
        .query.sql_with_params()
    )
    ctes.append(f"mine_all AS MATERIALIZED ({mine})")
    params.extend(mine_params)
    return f"(SELECT count(*) FROM mine_all) > {OWN_CASES}"


def _reference_pattern(value: str) -> tuple[str, str]:
    """The LIKE pattern of a part of a reference and the order its candidates
    are read in. A part that starts with the year ("2026-LOD", "2026-LOD-")
    is the start of every reference it names: a range of the reference's
    pattern index (`varchar_pattern_ops`, whose order is the bytes', whatever
    the database's collation), highest first — without an order the planner
    read the table until it had CANDIDATES of a common prefix (33 ms at 1M).
    Any other part ("LOD-12") is looked up in the trigram index. The regular
    expression of PART_OF_REFERENCE leaves no % or _ in `value`."""
    if value[:1].isdigit():
        return f"{value}%", " ORDER BY {t}.reference USING ~>~"
    return f"%{value}%", ""


def _mine(ctes: list[str], cases_capped: str, many: str) -> str:
    """Add `mine`: `mine_all` when the user is on no more than OWN_CASES
    cases or when the indexes' case side was capped (a one-time filter, so a
    rare word costs a large user no row-by-row reading). Returns the
    condition for the case side being capped: never for the first, as before
    for the second."""
    ctes.append(
        f"mine AS MATERIALIZED (SELECT * FROM mine_all WHERE NOT {many} "
        f"OR ({cases_capped}))"
    )
    return f"(SELECT count(*) FROM mine) > {OWN_CASES} AND ({cases_capped})"


def _own_references(ctes, params, case_sources, cases_capped, many, pattern):
    """Add the user's own cases (`mine`) whose reference matches `pattern`:
    a user on 20 cases who types "2026-LOD" finds those of theirs, however
    many other cases start so. Returns as `_mine`."""
    capped = _mine(ctes, cases_capped, many)
    ctes.append(
        "own_reference AS MATERIALIZED (SELECT c.id, c.reference AS text, "
        f"'reference' AS field FROM mine m JOIN {_table(Case)} c "
        "ON c.id = m.case_id WHERE c.reference LIKE %s)"
    )
    params.append(pattern)
    case_sources.append("own_reference")
    return capped


def _own_cases(ctes, case_sources, cases_capped: str, many: str) -> str:
    """Add the matches among the user's OWN_CASES newest cases (`mine_all`:
    their team rows, as `permissions.selectors.case_access_for_user` reads
    them; the visibility join still decides). For a user on no more cases
    than that they are every case the user may see, and the indexes' case
    side did not run; for any other user they are read when the index side
    was capped. Returns the condition for the case side being capped: never
    for the first, as before for the second."""
    capped = _mine(ctes, cases_capped, many)
    ctes.append(
        "own_party AS MATERIALIZED (SELECT cp.case_id AS id, p.name AS text, "
        f"'party' AS field FROM mine m JOIN {_table(CaseParty)} cp "
        f"ON cp.case_id = m.case_id JOIN {_table(Party)} p ON p.id = cp.party_id "
        f"CROSS JOIN t WHERE {PARTY_VECTOR.format(t='p')} @@ t.q)"
    )
    ctes.append(
        "own_location AS MATERIALIZED (SELECT cl.case_id AS id, "
        f"{LOCATION_LABEL.format(t='l')} AS text, 'address' AS field "
        f"FROM mine m JOIN {_table(CaseLocation)} cl ON cl.case_id = m.case_id "
        f"JOIN {_table(Location)} l ON l.id = cl.location_id CROSS JOIN t "
        f"WHERE {LOCATION_VECTOR.format(t='l')} @@ t.q)"
    )
    ctes.append(
        "own_title AS MATERIALIZED (SELECT c.id, c.title AS text, 'title' AS field "
        f"FROM mine m JOIN {_table(Case)} c ON c.id = m.case_id CROSS JOIN t "
        f"WHERE {CASE_VECTOR.format(t='c')} @@ t.q)"
    )
    case_sources += ["own_party", "own_location", "own_title"]
    return capped


def _weights() -> str:
    """The weight of each field as SQL: CASE h.field WHEN … END."""
    whens = " ".join(
        f"WHEN '{name}' THEN {weight}" for name, (_label, weight) in FIELDS.items()
    )
    return f"CASE h0.field {whens} END"


def _found(sources: list[str], select: str, join: str, where: str) -> str:
    """The visible rows among the candidates of `sources`, one per case or
    signal (its best match), best first: by the weight of the field that
    matched, then newest. LIMIT + 1 of them."""
    union = " UNION ALL ".join(f"SELECT id, text, field FROM {s}" for s in sources)
    return (
        f"SELECT * FROM (SELECT DISTINCT ON (x.id) {select}, h.field, h.text, "
        "h.score, false AS capped "
        f"FROM (SELECT h0.*, {_weights()} AS score FROM ({union}) h0) h "
        f"{join} WHERE {where} ORDER BY x.id, h.score DESC) found "
        f"ORDER BY score DESC, day DESC, id DESC LIMIT {LIMIT + 1}"
    )


def _pg_cases(sources: list[str], visible) -> str:
    select = (
        "'case' AS kind, x.id, x.reference, x.title, x.case_type AS type, x.status, "
        "x.opened_at AS day, x.closed_at IS NOT NULL AS closed, x.data_class, "
        "a.team_role"
    )
    join = f"JOIN {_table(Case)} x ON x.id = h.id {visible.join}"
    return _found(sources, select, join, visible.where)


def _pg_signals(sources: list[str], condition: str) -> str:
    """As `_found` for signals. Each candidate is read by primary key (OFFSET
    0 keeps the planner from flattening the probe into a hash join over the
    whole signal table), and the decision point's condition is applied to
    those rows: its subquery on the sharing table then runs once."""
    union = " UNION ALL ".join(f"SELECT id, text, field FROM {s}" for s in sources)
    closed = "', '".join(SIGNAL_CLOSED)
    return (
        "SELECT 'signal' AS kind, x.id, x.reference, x.source AS title, "
        "x.source AS type, x.status, x.received_on::timestamptz AS day, "
        f"x.status IN ('{closed}') AS closed, x.data_class, '' AS team_role, "
        "x.field, x.text, x.score, false AS capped FROM ("
        "SELECT DISTINCT ON (s.id) s.*, h.field, h.text, h.score "
        f"FROM (SELECT h0.*, {_weights()} AS score FROM ({union}) h0) h "
        f"CROSS JOIN LATERAL (SELECT * FROM {_table(Signal)} s1 "
        "WHERE s1.id = h.id OFFSET 0) s ORDER BY s.id, h.score DESC) x "
        f"WHERE ({condition}) ORDER BY x.score DESC, x.received_on DESC, x.id DESC "
        f"LIMIT {LIMIT + 1}"
    )


# A signal that was converted into a case or filed is done with.
SIGNAL_CLOSED = (Signal.Status.CONVERTED.value, Signal.Status.FILED.value)


# SQLite: the demo's fallback ------------------------------------------------


def _orm_rows(user, query: Query) -> tuple[list[dict], bool]:
    """The same rows through the ORM and the decision point's ORM filters
    (`for_user`), matching with icontains; for the demo's few hundred rows."""
    case_matches: list[tuple[Q, str, str]] = []  # (condition, field, text path)
    signal_matches: list[tuple[Q, str, str]] = []
    if query.kind in (BSN, KVK):
        column = "bsn" if query.kind == BSN else "kvk_number"
        case_matches.append(
            (Q(**{f"parties__party__{column}": query.value}), query.kind,
             "parties__party__name")
        )  # fmt: skip
        signal_matches.append(
            (Q(**{f"parties__{column}": query.value}), query.kind, "parties__name")
        )
    elif query.kind == POSTCODE:
        condition = {"postcode": query.value}
        if query.house_number is not None:
            condition["house_number"] = query.house_number
            if query.addition:
                condition["addition"] = query.addition
        case_matches.append(
            (Q(**{f"locations__location__{k}": v for k, v in condition.items()}),
             "address", "locations__location")
        )  # fmt: skip
        signal_matches.append(
            (Q(**{f"locations__{k}": v for k, v in condition.items()}), "address",
             "locations")
        )  # fmt: skip
    elif query.kind in (REFERENCE, PART_OF_REFERENCE):
        lookup = "reference" if query.kind == REFERENCE else "reference__icontains"
        case_matches.append((Q(**{lookup: query.value}), "reference", "reference"))
        signal_matches.append((Q(**{lookup: query.value}), "reference", "reference"))
    else:
        text = query.text
        street = _STREET_NUMBER.match(text)
        address = (
            Q(street__icontains=street[1], house_number=int(street[2]))
            if street
            else Q(street__icontains=text) | Q(city__icontains=text)
        )
        case_address = Q(
            locations__location__in=Location.objects.filter(address).values("pk")
        )
        signal_address = Q(locations__in=Location.objects.filter(address).values("pk"))
        case_matches += [
            (Q(parties__party__name__icontains=text), "party", "parties__party__name"),
            (case_address, "address", "locations__location"),
            (Q(title__icontains=text), "title", "title"),
            (Q(reference__icontains=text), "reference", "reference"),
        ]
        signal_matches += [
            (Q(parties__name__icontains=text), "party", "parties__name"),
            (signal_address, "address", "locations"),
            (Q(summary__icontains=text), "text", "summary"),
        ]
    rows: dict[tuple[str, int], dict] = {}
    capped = False
    cases = Case.objects.for_user(user)
    for condition, name, path in case_matches:
        found = list(
            cases.filter(condition)
            .values(
                "pk",
                "reference",
                "title",
                "case_type",
                "status",
                "opened_at",
                "closed_at",
                "data_class",
                *_paths(path),
            )  # fmt: skip
            .order_by("-opened_at", "-pk")[: CANDIDATES + 1]
        )
        capped |= len(found) > CANDIDATES
        for row in found:
            _keep(rows, "case", row, name, _text(row, path))
    signals = Signal.objects.for_user(user)
    for condition, name, path in signal_matches:
        found = list(
            signals.filter(condition)
            .values(
                "pk",
                "reference",
                "source",
                "status",
                "received_on",
                "data_class",
                *_paths(path),
            )  # fmt: skip
            .order_by("-received_on", "-pk")[: CANDIDATES + 1]
        )
        capped |= len(found) > CANDIDATES
        for row in found:
            _keep(rows, "signal", row, name, _text(row, path))
    _team_roles(user, rows)
    return list(rows.values()), capped


ADDRESS = ("street", "house_number", "addition", "postcode", "city")


def _paths(path: str) -> list[str]:
    """The value paths a match's text is read from: an address is five."""
    if path.endswith("location") or path == "locations":
        return [f"{path}__{name}" for name in ADDRESS]
    return [path]


def _text(row: dict, path: str) -> str:
    if len(paths := _paths(path)) == 1:
        return row[path]
    street, number, addition, postcode, city = (row[p] for p in paths)
    return f"{street} {number}{addition}, {postcode} {city}"


def _keep(rows: dict, kind: str, row: dict, name: str, text: str) -> None:
    """Add a row found by `name`, or keep the better of two matches."""
    score = FIELDS[name][1]
    key = (kind, row["pk"])
    if key in rows and rows[key]["score"] >= score:
        return
    is_case = kind == "case"
    rows[key] = {
        "kind": kind,
        "id": row["pk"],
        "reference": row["reference"],
        "title": row["title"] if is_case else row["source"],
        "type": row["case_type"] if is_case else row["source"],
        "status": row["status"],
        "day": row["opened_at"] if is_case else row["received_on"],
        "closed": row["closed_at"] is not None if is_case
        else row["status"] in SIGNAL_CLOSED,
        "data_class": row["data_class"],
        "team_role": "",
        "field": name,
        "text": text,
        "score": score,
    }  # fmt: skip


def _team_roles(user, rows: dict) -> None:
    """The user's team role on each case found through its content: the
    decision point answers READ from it (`prime_case_grants`)."""
    ids = [pk for (kind, pk), row in rows.items() if kind == "case"]
    if not ids:
        return
    roles = dict(
        CaseAccess.objects.filter(user_id=user.pk, case_id__in=ids).values_list(
            "case_id", "team_role"
        )
    )
    for (kind, pk), row in rows.items():
        if kind == "case":
            row["team_role"] = roles.get(pk, "")


def _sort_day(day):
    return -(day.toordinal() if hasattr(day, "toordinal") else 0)


# Results ---------------------------------------------------------------------


def _hits(user, rows: list[dict], terms: tuple[str, ...], limit: int) -> list[Hit]:
    """Hit for each row that passes the decision point, with its labels, link
    and highlighted snippet, in order, until there are `limit` of them: the
    rows are cases and signals, up to LIMIT + 1 of each, and a row past the
    limit is neither checked nor highlighted."""
    language = get_language()
    types, statuses = _labels(language)
    sources = _choice_labels(Signal, "source", language)
    signal_statuses = _choice_labels(Signal, "status", language)
    case_prefix, case_suffix = _case_url_parts()
    signal_prefix, signal_suffix = url_parts("casework:signal_detail")
    kind_labels = {"case": _("Case"), "signal": _("Signal")}
    open_labels = {True: _("open"), False: _("closed")}
    field_labels = {name: str(label) for name, (label, _weight) in FIELDS.items()}
    tz = timezone.get_current_timezone()
    hits = []
    for row in rows:
        if len(hits) == limit:
            break
        if row["kind"] == "case":
            if row["field"] in CONTENT_FIELDS and not _reads_file(user, row):
                continue
            url = case_prefix + _quote(row["reference"]) + case_suffix
            type_label = types.get(row["type"], row["type"])
            status_label = statuses.get((row["type"], row["status"]), row["status"])
            title = row["title"]
        else:
            url = signal_prefix + _quote(row["reference"]) + signal_suffix
            type_label = sources.get(row["type"], row["type"])
            status_label = signal_statuses.get(row["status"], row["status"])
            title = type_label
        day = row["day"]
        if isinstance(day, datetime):
            day = day.astimezone(tz).date()
        hits.append(
            Hit(
                kind=row["kind"],
                pk=row["id"],
                reference=row["reference"],
                title=title,
                url=url,
                type_label=type_label,
                status_label=status_label,
                is_open=not row["closed"],
                data_class=row["data_class"],
                field=field_labels[row["field"]],
                snippet=highlight(row["text"], terms),
                score=float(row["score"]),
                day=row["day"],
                kind_label=kind_labels[row["kind"]],
                open_label=open_labels[not row["closed"]],
                date=short_date(language, day) if day else "",
            )
        )
    return hits


def _quote(reference: str) -> str:
    from urllib.parse import quote

    return quote(reference, safe=URL_SAFE)


def _reads_file(user, row: dict) -> bool:
    """The decision point's READ on the case file (not only its outcome),
    answered from the team role read with the row: no query."""
    case = Case(pk=row["id"], reference=row["reference"], data_class=row["data_class"])
    prime_case_grants(user, case, row["team_role"])
    return bool(row["team_role"]) and decide(user, READ, case)


def _terms(query: Query, alternatives: dict) -> tuple[str, ...]:
    """What a snippet marks: the query's words and what the word list widened
    them to; an identifier as a whole."""
    if query.kind in (BSN, KVK):
        return ()
    if query.kind == POSTCODE:
        words = query.value.lower().split()
        if query.house_number is not None:
            words.append(f"{query.house_number}{query.addition}".lower())
        return tuple(words)
    if query.kind in (REFERENCE, PART_OF_REFERENCE):
        return (query.value.lower(),)
    return tuple(w for words in alternatives.values() for w in words)


SNIPPET_LENGTH = 160


def highlight(text: str, terms) -> SafeString:
    """`text` escaped, each word that starts with one of `terms` (or a whole
    term, for identifiers with a hyphen) in <mark>, cut to about
    SNIPPET_LENGTH characters around the first mark."""
    text = text or ""
    spans = []
    lowered = text.lower()
    for term in terms:
        if "-" in term or " " in term:
            start = lowered.find(term)
            if start >= 0:
                spans.append((start, start + len(term)))
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if any(word.startswith(term) for term in terms if term):
            spans.append(match.span())
    spans = _merged(spans)
    start = 0
    if len(text) > SNIPPET_LENGTH and spans:
        start = max(0, spans[0][0] - SNIPPET_LENGTH // 3)
    end = start + SNIPPET_LENGTH
    pieces, at = [], start
    for lo, hi in spans:
        if lo < at or hi > end:
            continue
        pieces += [escape(text[at:lo]), f"<mark>{escape(text[lo:hi])}</mark>"]
        at = hi
    pieces.append(escape(text[at:end]))
    prefix = "…" if start else ""
    suffix = "…" if len(text) > end else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - escaped above


def _merged(spans):
    merged = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
