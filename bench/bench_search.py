"""Time the search page (issue 16 item 1) at scale, over 60 different queries.

    python bench/bench_search.py --add-signals \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_search_1m \\
        --label pg-1m
    python bench/bench_search.py --compare bench/out/search-pg-10k.json \\
        bench/out/search-pg-1m.json

For each benchmark user of bench/generate.py and each kind of search — by
name, by street and house number, by postcode, by BSN (with a purpose, so
each request also writes its access-log row), a typo in a surname, a word
of the case titles and signal texts (drawn from rows, so the common words
come first: the searches whose matches grow with the database), and a word
nobody has — the script takes 60 different values from that user's own
cases (so that a search finds something the user may see; the no-hit words
are made up), requests `/search/?q=…` once per value through Django's test
Client after force_login (session, middleware, queries, template; DEBUG off),
after a warm-up, and reports the median and p95 of the request, the time
spent in SQL, the queries per request and how many results the page showed.
With --sweep it times instead the searches of SWEEP, held back from any
tuning (common words, parts of street names, first names, parts of
references, typos of common words), REPEAT requests each, and writes
bench/out/search-sweep-<label>.json (--compare reads it too).
EXPLAIN (ANALYZE, BUFFERS) of every statement of the first search of each
kind goes to bench/out/search-plans/<label>/. The JSON of a run is
bench/out/search-<label>.json; --compare prints two runs side by side with
the ratio second/first (1M against 10k).

The generator writes no signals; --add-signals adds one per ten cases (a
summary naming a party and an address of the data, 40 % police reports
shared with the gemeente), linked to their party and address, in one COPY,
if the database has none, so that the signal side of the search runs on a
table of realistic size. Only databases named casework_search* or
casework_bench* are accepted.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import explain, load_average, percentile  # noqa: E402

OUT = ROOT / "bench" / "out"
BENCH_USERS = ["bench_2pct", "bench_03pct", "bench_20"]
KINDS = ["name", "street", "postcode", "bsn", "typo", "word", "no hit"]
VALUES = 60
PREFIXES = ("casework_search", "casework_bench")

SIGNAL_SOURCES = ["bestuurlijke_rapportage"] * 3 + [
    "mma", "toezicht", "toezicht", "toezicht", "burger", "camera", "riec",
]  # fmt: skip
SIGNAL_OPENINGS = [
    "Vermoedelijke drugshandel vanuit de woning aan",
    "Stankoverlast van hennep bij het pand",
    "Veel verkeersbewegingen in de nacht bij",
    "Verdachte geldstromen rond de horecazaak aan",
    "Bewoning zonder inschrijving in het pand",
    "Opslag van verdachte goederen in de loods aan",
]
SIGNAL_STATUSES = ["new", "triage", "converted", "converted", "converted", "filed"]


# Searches nobody tuned for (`--sweep`): words of titles and signal texts,
# parts of street names, first names and common surnames, towns, parts of
# references, a year, four digits of a postcode, two letters, typos of common
# words. Each is timed as it is, REPEAT times per user.
SWEEP = [
    "Controle", "horecapand", "ondermijning", "overlast", "Melding", "PGA jongere",
    "B.V.", "Janssen", "Jan", "Venlo", "Blerick", "Tegelseweg", "straat",
    "Linssen Venlo", "2026-LOD", "LOD-0007", "2025", "5911", "Tegelseweg 1",
    "hennep", "woning", "verdachte handel", "Burgemeester", "Transport",
    "Minimarkt", "Yusuf", "Omgevingsvergunning", "Persoonsgerichte aanpak",
    "signalen", "ab", "Contrle", "Jansen", "Bedrijfsverzamelgebouw Parade",
]  # fmt: skip
REPEAT = 5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--label", default="")
    parser.add_argument("--users", default=",".join(BENCH_USERS))
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--add-signals", action="store_true")
    parser.add_argument("--compare", nargs=2, metavar="JSON")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="the searches of SWEEP instead of the user's values (held back)",
    )
    return parser.parse_args(argv)


def setup_django(url: str) -> None:
    from urllib.parse import unquote, urlparse

    name = Path(unquote(urlparse(url).path)).name
    if not name.startswith(PREFIXES):
        sys.exit(f"refusing {url!r}: the database name must start with {PREFIXES}")
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = "bench"
    os.environ.setdefault("ACCESS_LOG_KEY", "bench")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import logging

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


# Signals --------------------------------------------------------------------


def add_signals() -> None:
    """One signal per ten cases, if there are none (see the module doc)."""
    from django.db import connection

    raw = connection.cursor().connection  # psycopg: COPY
    cur = raw.cursor()
    if cur.execute("SELECT EXISTS (SELECT 1 FROM casework_signal)").fetchone()[0]:
        print("signals present: none added")
        return
    n = cur.execute("SELECT count(*) FROM casework_case").fetchone()[0] // 10
    parties = cur.execute("SELECT id, name FROM casework_party ORDER BY id").fetchall()
    locations = cur.execute(
        "SELECT id, street, house_number, addition, city FROM casework_location "
        "ORDER BY id"
    ).fetchall()
    orgs = dict(
        cur.execute(
            "SELECT kind, min(id) FROM permissions_organisation GROUP BY kind"
        ).fetchall()
    )
    users = dict(
        cur.execute(
            "SELECT o.kind, min(m.user_id) FROM permissions_membership m "
            "JOIN permissions_organisation o ON o.id = m.organisation_id "
            "GROUP BY o.kind"
        ).fetchall()
    )
    rng = random.Random(20261205)
    counters: dict[int, int] = {}
    signals, shared, with_party, with_location = [], [], [], []
    first = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM casework_signal")
    sid = first.fetchone()[0]
    for k in range(n):
        received = date(2017, 1, 1) + timedelta(days=k * 3600 // n)
        counters[received.year] = counters.get(received.year, 0) + 1
        party_id, name = parties[rng.randrange(len(parties))]
        location_id, street, house, addition, city = locations[
            rng.randrange(len(locations))
        ]
        source = SIGNAL_SOURCES[k % 10]
        police = source in ("bestuurlijke_rapportage", "mma")
        status = SIGNAL_STATUSES[k % 6]
        signals.append(
            (
                sid,
                f"{received.year}-SIG-{counters[received.year]:04d}",
                source,
                received,
                f"{SIGNAL_OPENINGS[k % 6]} {street} {house}{addition} te {city}. "
                f"Betrokkene: {name}.",
                "D3" if police else "D0",
                "Wpg 16 lid 1 sub b" if police else "",
                status,
                "Geen aanleiding." if status == "filed" else "",
                datetime(received.year, received.month, received.day, 9, tzinfo=UTC),
                users["politie"] if police else users["gemeente"],
                orgs["politie"] if police else orgs["gemeente"],
            )
        )
        if police:
            shared.append((sid, orgs["gemeente"]))
        with_party.append((sid, party_id))
        with_location.append((sid, location_id))
        sid += 1
    t = time.perf_counter()
    columns = (
        "id, reference, source, received_on, summary, data_class, legal_basis, "
        "status, filed_reason, registered_at, registered_by_id, source_organisation_id"
    )
    for table, cols, rows in (
        ("casework_signal", columns, signals),
        ("casework_signal_shared_with", "signal_id, organisation_id", shared),
        ("casework_signal_parties", "signal_id, party_id", with_party),
        ("casework_signal_locations", "signal_id, location_id", with_location),
    ):
        with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    cur.execute(
        "SELECT setval(pg_get_serial_sequence('casework_signal', 'id'), "
        "(SELECT max(id) FROM casework_signal))"
    )
    raw.commit()
    raw.autocommit = True
    cur.execute("VACUUM ANALYZE casework_signal, casework_signal_parties, "
                "casework_signal_locations, casework_signal_shared_with")  # fmt: skip
    raw.autocommit = False
    print(f"added {n:,} signals in {time.perf_counter() - t:.1f} s")


# Query values ---------------------------------------------------------------

MADE_UP = (
    "Brodavink Kwelderman Zoutenbier Plasmeijer Ruigrokker Wolvekamp Tjassens "
    "Oudenallen Hovenkamp Dijkstraat Snijderink Pruimboom Lammertink Kranendonk "
    "Veltkamper Zandvoorter Mulderink Hoogeveld Brinkhorst Wagemaker"
).split()


def values_for(user) -> dict[str, list[dict]]:
    """VALUES query strings per kind, from the user's own cases."""
    from django.db import connection

    def rows(sql):
        with connection.cursor() as cur:
            cur.execute(sql, [user.pk, VALUES])
            return [r[0] for r in cur.fetchall()]

    mine = "FROM permissions_caseaccess a WHERE a.user_id = %s"
    names = rows(
        "SELECT name FROM (SELECT DISTINCT p.name FROM casework_party p "
        "JOIN casework_caseparty cp ON cp.party_id = p.id "
        f"WHERE p.kind = 'person' AND cp.case_id IN (SELECT a.case_id {mine})) s "
        "ORDER BY md5(name) LIMIT %s"
    )
    located = (
        "FROM casework_location l JOIN casework_caselocation cl "
        f"ON cl.location_id = l.id WHERE cl.case_id IN (SELECT a.case_id {mine})"
    )
    streets = rows(
        "SELECT v FROM (SELECT DISTINCT l.street || ' ' || l.house_number || "
        f"l.addition AS v {located}) s ORDER BY md5(v) LIMIT %s"
    )
    postcodes = rows(
        f"SELECT v FROM (SELECT DISTINCT l.postcode AS v {located}) s "
        "ORDER BY md5(v) LIMIT %s"
    )
    bsns = rows(
        "SELECT bsn FROM (SELECT DISTINCT p.bsn FROM casework_party p "
        "JOIN casework_caseparty cp ON cp.party_id = p.id "
        f"WHERE p.bsn <> '' AND cp.case_id IN (SELECT a.case_id {mine})) s "
        "ORDER BY md5(bsn) LIMIT %s"
    )
    # Words of the titles of the user's cases and of the signal texts, drawn
    # from rows (so the common words come first): "controle", "horecapand",
    # "melding" — each found in thousands of rows at 1M.
    words = rows(
        "SELECT w FROM (SELECT DISTINCT w FROM (SELECT regexp_split_to_table("
        "lower(c.title), '[^[:alpha:]]+') AS w FROM casework_case c "
        f"WHERE c.id IN (SELECT a.case_id {mine} LIMIT 200) UNION ALL "
        "SELECT regexp_split_to_table(lower(s.summary), '[^[:alpha:]]+') FROM "
        "(SELECT summary FROM casework_signal ORDER BY md5(id::text) LIMIT 200) s"
        ") x WHERE length(w) >= 5) y ORDER BY md5(w) LIMIT %s"
    )
    rng = random.Random(user.pk)
    typos = []
    for name in names:
        surname = name.split()[-1]
        k = rng.randrange(1, len(surname) - 1)
        typos.append(surname[:k] + surname[k + 1 :])  # one letter left out
    no_hit = [f"{word} {k}" if k else word for k in range(3) for word in MADE_UP]
    plain = {
        "name": names,
        "street": streets,
        "postcode": postcodes,
        "typo": typos,
        "word": words,
        "no hit": no_hit,
    }
    out = {kind: [{"q": v} for v in values] for kind, values in plain.items()}
    out["bsn"] = [{"q": v, "purpose": "zaak"} for v in bsns]
    return {kind: _cycle(values) for kind, values in out.items()}


def _cycle(values: list) -> list:
    """VALUES items: a user on 20 cases has fewer than 60 of some kinds."""
    if not values:
        return []
    return [values[k % len(values)] for k in range(VALUES)]


# Timing ---------------------------------------------------------------------


class Statements:
    """Every statement of a request with its parameters and time."""

    def __init__(self):
        self.calls: list[tuple[str, object, float]] = []

    def __call__(self, execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, (time.perf_counter() - t) * 1000))


def run_user(client, user, label: str, plans: Path) -> list[dict]:
    """VALUES searches of each kind from the user's own cases."""
    values = values_for(user)
    warm = [v for kind in KINDS for v in values[kind][:2]]
    series = {kind: values[kind] for kind in KINDS if values[kind]}
    return timed(client, user, label, plans, series, warm)


def run_sweep(client, user, label: str, plans: Path) -> list[dict]:
    """The SWEEP searches as `user`, REPEAT requests each: one row per text
    (its `kind`)."""
    series = {text: [{"q": text}] * REPEAT for text in SWEEP}
    return timed(client, user, label, plans, series, [{"q": t} for t in SWEEP[:3]])


def timed(client, user, label, plans, series: dict, warm: list) -> list[dict]:
    """Request `/search/` with each parameter set of each series as `user`
    after the `warm` ones; one row per series: the median and p95 of the
    request, the time in SQL, the queries and the hits shown, and the plans
    of its first request."""
    from django.db import connection

    client.force_login(user, "django.contrib.auth.backends.ModelBackend")
    for params in warm:
        client.get("/search/", params)
    results = []
    for kind, values in series.items():
        wall, sql, queries, shown = [], [], [], []
        for n, params in enumerate(values):
            statements = Statements()
            with connection.execute_wrapper(statements):
                t = time.perf_counter()
                response = client.get("/search/", params)
                wall.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                sys.exit(f"{user.username} {kind} {params}: {response.status_code}")
            sql.append(sum(ms for _s, _p, ms in statements.calls))
            queries.append(len(statements.calls))
            shown.append(response.content.count(b'<tr class="hit">'))
            if n == 0:
                write_plans(plans / f"{user.username}-{kind.replace(' ', '_')}.txt",
                            params, statements.calls)  # fmt: skip
        row = {
            "user": user.username,
            "kind": kind,
            "values": len({p["q"] for p in values}),
            "median": statistics.median(wall),
            "p95": percentile(wall, 0.95),
            "sql_median": statistics.median(sql),
            "queries": max(queries),
            "shown_median": statistics.median(shown),
            "example": values[0]["q"] if kind != "bsn" else "(a BSN)",
        }
        print(
            f"{label:<8} {user.username:<12} {kind:<9} median {row['median']:6.1f} ms "
            f"p95 {row['p95']:6.1f}  sql {row['sql_median']:5.1f}  "
            f"queries {row['queries']:>2}  shown {row['shown_median']:>4}",
            flush=True,
        )
        results.append(row)
    return results


def write_plans(path: Path, params: dict, calls) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each SELECT of one search; a BSN is
    written as its first two digits only."""
    shown = params["q"] if not params.get("purpose") else params["q"][:2] + "…"
    parts = [f"-- /search/?q={shown}"]
    for sql, values, ms in calls:
        head = sql.lstrip().upper()
        writes = ("INSERT", "UPDATE", "DELETE")
        if not head.startswith(("SELECT", "WITH")) or any(w in head for w in writes):
            continue
        plan = explain(sql, values)
        if params.get("purpose"):
            plan = plan.replace(params["q"], params["q"][:2] + "…")
        parts.append(f"-- {ms:.2f} ms in the request\n{plan}")
    path.write_text("\n\n".join(parts) + "\n")


def compare(first: str, second: str) -> None:
    a, b = (json.loads(Path(p).read_text()) for p in (first, second))
    index = {(r["user"], r["kind"]): r for r in a["rows"]}
    # The hits shown (medians) beside the times: a search that finds more of
    # what the user may see on the larger database draws more lines.
    print(f"| user | search | {a['label']} median ms | {b['label']} median ms | "
          f"{b['label']} p95 ms | {a['label']} / {b['label']} SQL ms | "
          f"hits shown | queries | ratio |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in b["rows"]:
        base = index.get((row["user"], row["kind"]))
        if base is None:
            continue
        print(
            f"| {row['user']} | {row['kind']} | {base['median']:.1f} | "
            f"{row['median']:.1f} | {row['p95']:.1f} | "
            f"{base['sql_median']:.1f} / {row['sql_median']:.1f} | "
            f"{base['shown_median']:g} / {row['shown_median']:g} | "
            f"{row['queries']} | {row['median'] / base['median']:.2f} |"
        )


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.compare:
        compare(*args.compare)
        return
    setup_django(args.database_url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT to_regclass('casework_search_word') IS NOT NULL")
            if not cur.fetchone()[0]:
                sys.exit("no search word list: migrate (casework 0007) first")
    if args.add_signals:
        add_signals()
    label = args.label or connection.settings_dict["NAME"]
    plans = OUT / "search-plans" / label
    plans.mkdir(parents=True, exist_ok=True)
    client = Client()
    users = get_user_model().objects.filter(username__in=args.users.split(","))
    print(f"load average {load_average()}")
    started = datetime.now(UTC).isoformat(timespec="seconds")
    rows = []
    for user in sorted(users, key=lambda u: args.users.split(",").index(u.username)):
        if args.sweep:
            rows += run_sweep(client, user, label, plans)
        else:
            rows += run_user(client, user, label, plans)
    out = OUT / f"search-{'sweep-' if args.sweep else ''}{label}.json"
    run = {"label": label, "started": started, "load": load_average(), "rows": rows}
    out.write_text(json.dumps(run, indent=1))
    print(f"load average {load_average()}; wrote {out} and {plans}/")


if __name__ == "__main__":
    main()
