"""Time the case list's filters, sorts, keyset pages and saved views
(issue 16 items 2, 3 and 7; casework/listing.py, docs/listing.md).

    python bench/bench_list.py --prepare \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_list_1m
    python bench/bench_list.py --database-url … --label pg-1m
    python bench/bench_list.py --compare bench/out/list-pg-10k.json \\
        bench/out/list-pg-1m.json

Each group is a page of the case list (or Mijn werk) as the user opens it,
through Django's test Client after force_login, DEBUG off: every filter
alone, every pair of filters, the three sorts, the last page by cursor, a
saved view opened and Mijn werk with ten saved views and their counts. A
group is timed over up to 60 different values (60 statuses, 60 due-date
windows, 60 colleagues, 60 cursors …), each asked `--rounds` times after a
warm-up round; it reports the median and p95 of all requests and the
queries per request, and its slowest request. EXPLAIN (ANALYZE, BUFFERS) of
the slowest query of each group's first value goes to
bench/out/plans/list-<label>/.

`--sweep` times held-back combinations instead (file
bench/out/list-sweep-<label>.json): 60 drawn at random, seeded — three or four
filters at once with any of the three sorts — and the last page of each that
has more than one page.

`--prepare` gives the generated database what bench/generate.py does not
write: a next deadline on 40 % of the open cases (between 60 days ago and
180 days ahead of 2026-12-05; written to `Case.next_due` directly, as a
deadline's service would, without Deadline rows) and an assignee on 70 % of
the open cases (a gemeente user; the benchmark user holds a third of its own
open cases). Deterministic, by case id. Only databases named casework_list*
or casework_bench* are accepted.
"""

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import load_average, percentile, setup_django  # noqa: E402

OUT = ROOT / "bench" / "out"
VALUES = 60
# force_login names the password backend: the first of the list may be a
# guard that loads no user.
BACKEND = "django.contrib.auth.backends.ModelBackend"
KINDS = (
    "status",
    "case_type",
    "team_role",
    "organisation",
    "area",
    "state",
    "due",
    "assignee",
)

PREPARE = [
    # A next deadline on 40 % of the open cases.
    """UPDATE casework_case SET next_due = DATE '2026-12-05'
         + (((id * 7919) % 240) - 60)::int
       WHERE closed_at IS NULL AND id % 5 IN (0, 1)""",
    # An assignee on 70 % of the open cases: a gemeente user by case id.
    """WITH staff AS (
         SELECT u.id, row_number() OVER (ORDER BY u.id) - 1 AS n,
                count(*) OVER () AS total
         FROM auth_user u JOIN permissions_membership m ON m.user_id = u.id
         JOIN permissions_organisation o ON o.id = m.organisation_id
         WHERE o.kind = 'gemeente' AND m.role IN
           ('jurist', 'bibob', 'coordinator', 'casusregisseur', 'toezicht'))
       UPDATE casework_case c SET assignee_id = staff.id FROM staff
       WHERE c.closed_at IS NULL AND c.id % 10 < 7
         AND staff.n = c.id % staff.total""",
    # The benchmark users hold a third of their own open cases.
    """UPDATE casework_case c SET assignee_id = a.user_id
       FROM permissions_caseaccess a JOIN auth_user u ON u.id = a.user_id
       WHERE a.case_id = c.id AND u.username LIKE 'bench\\_%%'
         AND c.closed_at IS NULL AND c.id % 3 = 0""",
    "ANALYZE casework_case",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--label", default="")
    parser.add_argument("--user", default="bench_2pct")
    parser.add_argument("--rounds", type=int, default=1, help="requests per value")
    parser.add_argument("--groups", default="", help="only groups containing this")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="held-back combinations instead of the groups: three or four "
        "filters with any sort, and their last pages (`sweep_groups`)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="the list's own queries only: server execution time (EXPLAIN ANALYZE)",
    )
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    return parser.parse_args(argv)


# The values each filter takes, from the database -----------------------------


def samples(user) -> dict[str, list[dict]]:
    """Up to VALUES querystring parts per kind of filter."""
    from django.db import connection

    from casework import listing
    from casework.registry import registry
    from permissions.models import CaseAccess, Organisation

    rng = random.Random(20261205)
    statuses = [code for code, _label in registry.all_status_choices()]
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT status FROM casework_case")
        present = {row[0] for row in cur.fetchall()}
    statuses = [s for s in statuses if s in present]
    rng.shuffle(statuses)
    options = listing.choices(user)
    colleagues = [v for v, _l in options["assignee"]]
    # Sixty windows of a week, between 60 days ago and 180 days ahead.
    windows = [(start, start + 6) for start in range(-60, 180, 4)]
    base = date(2026, 12, 5)
    return {
        "status": [{"status": s} for s in statuses[:VALUES]],
        "case_type": [{"case_type": code} for code in registry.case_types],
        "team_role": [{"team_role": r} for r, _l in CaseAccess.TeamRole.choices],
        "organisation": [
            {"organisation": pk}
            for pk in Organisation.objects.values_list("pk", flat=True)
        ],
        "area": [{"area": a} for a, _l in options["area"]],
        "state": [{"state": "open"}, {"state": "closed"}],
        "due": [
            {
                "due_from": (base + timedelta(days=a)).isoformat(),
                "due_to": (base + timedelta(days=b)).isoformat(),
            }
            for a, b in windows[:VALUES]
        ],
        "assignee": [{"assignee": v} for v in colleagues[:VALUES]],
    }


def cycle(values: list, n: int = VALUES) -> list:
    return list(itertools.islice(itertools.cycle(values), n)) if values else []


def groups(user) -> dict[str, list[str]]:
    """Group name → up to VALUES URLs."""
    found = samples(user)
    result = {"list, no filter": ["/cases/"]}
    for kind in KINDS:
        result[f"filter {kind}"] = [
            "/cases/?" + urlencode(v) for v in cycle(found[kind])
        ]
    rng = random.Random(7)
    for a, b in itertools.combinations(KINDS, 2):
        urls = []
        for _i in range(VALUES):
            left = found[a][rng.randrange(len(found[a]))]
            right = found[b][rng.randrange(len(found[b]))]
            urls.append("/cases/?" + urlencode({**left, **right}))
        result[f"pair {a} + {b}"] = urls
    for sort in ("due", "activity"):
        result[f"sort {sort}"] = [f"/cases/?sort={sort}"]
    result["sort due + status"] = [
        "/cases/?" + urlencode({**v, "sort": "due"}) for v in cycle(found["status"])
    ]
    result["sort activity + area"] = [
        "/cases/?" + urlencode({**v, "sort": "activity"}) for v in cycle(found["area"])
    ]
    # The last page, and deep pages, by cursor.
    for sort in ("", "due", "activity"):
        cursors = tail_cursors(user, sort)
        if not cursors:  # the user's cases fit on one page (bench_20)
            continue
        label = sort or "opened"
        base = f"sort={sort}&" if sort else ""
        result[f"last page ({label})"] = [f"/cases/?{base}after={cursors[0]}"]
        result[f"deep pages ({label})"] = [
            f"/cases/?{base}after={c}" for c in cursors[1:]
        ]
    result["last page, filter status"] = []
    for v in found["status"][:VALUES]:
        cursor = tail_cursors(user, "", v, count=1)
        if cursor:
            result["last page, filter status"].append(
                "/cases/?" + urlencode({**v, "after": cursor[0]})
            )
    views = saved_views(user, found)
    result["saved view opened"] = [f"/cases/?view={pk}" for pk in cycle(views)]
    result["Mijn werk (10 saved views)"] = ["/"]
    return result


# Held-back combinations: what the groups above do not ask, drawn at random
# (seeded, so two runs ask the same) — three or four filters at once, with
# any of the three sorts, and the last page of each.
SWEEP_SEED = 20261207


def sweep_groups(user) -> dict[str, list[str]]:
    found = samples(user)
    kinds = [kind for kind in KINDS if found[kind]]
    rng = random.Random(SWEEP_SEED)
    first, last = [], []
    for _i in range(VALUES):
        chosen = {}
        for kind in rng.sample(kinds, rng.choice((3, 3, 4))):
            chosen.update(found[kind][rng.randrange(len(found[kind]))])
        sort = rng.choice(("", "due", "activity"))
        query = {**chosen, "sort": sort} if sort else chosen
        first.append("/cases/?" + urlencode(query))
        cursor = tail_cursors(user, sort, chosen, count=1)
        if cursor:
            last.append("/cases/?" + urlencode({**query, "after": cursor[0]}))
    return {
        "held back: three or four filters, any sort": first,
        "held back: their last pages": last,
    }


def tail_cursors(user, sort: str, filters=None, count: int = VALUES) -> list[str]:
    """The cursor of the last page (first) and of `count - 1` random deep
    pages of the user's list."""
    from casework import listing

    filters = dict(filters or {}, sort=sort)
    found = listing.filtered(user, filters)
    access, key, ident = found.rows, found.key, found.ident
    spec = listing.sort_of(filters)
    up = "" if spec.descending else "-"
    tail = list(
        access.order_by(up + key, up + ident).values_list(key, ident)[
            : listing.PAGE_SIZE + 1
        ]
    )
    if len(tail) <= listing.PAGE_SIZE:
        return []
    last = [listing.encode_cursor(spec, *tail[listing.PAGE_SIZE])]
    if count == 1:
        return last
    down = "-" if spec.descending else ""
    keys = list(access.order_by(down + key, down + ident).values_list(key, ident))
    rng = random.Random(11)
    picks = [keys[rng.randrange(len(keys))] for _ in range(count - 1)]
    return last + [listing.encode_cursor(spec, *k) for k in picks]


def saved_views(user, found) -> list[int]:
    """Ten saved views of the user, made once (the same on every run)."""
    from casework import listing
    from casework.models import SavedView

    queries = [
        {"assignee": "me", "sort": "due"},
        {"state": "open", "sort": "due", **found["due"][10]},
        found["status"][0],
        found["status"][1],
        {**found["area"][0], "state": "open"},
        {**found["organisation"][0], **found["case_type"][0]},
        {"team_role": "owner"},
        {"assignee": "none", "state": "open"},
        {"sort": "activity"},
        {**found["status"][2], "assignee": "me"},
    ]
    views = []
    for i, query in enumerate(queries):
        name = f"bench {i:02d}"
        view = SavedView.objects.filter(owner=user, name=name).first()
        if view is None:
            view = listing.saved_view_create(
                user=user, name=name, query=urlencode(query), shared=False
            )
        views.append(view.pk)
    return views


# Timing -------------------------------------------------------------------


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(username=args.user)
    client = Client()
    client.force_login(user, backend=BACKEND)
    plans = OUT / "plans" / f"list-{args.label}"
    plans.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, urls in (sweep_groups(user) if args.sweep else groups(user)).items():
        if args.groups and args.groups not in name:
            continue
        if not urls:
            continue
        for url in urls[:5]:  # warm-up
            client.get(url)
        samples, cpu, sql, queries = [], [], [], set()
        slowest = (0.0, "")
        for _round in range(args.rounds):
            for url in urls:
                with CaptureQueriesContext(connection) as captured:
                    c = time.process_time()
                    t = time.perf_counter()
                    response = client.get(url)
                    samples.append((time.perf_counter() - t) * 1000)
                    cpu.append((time.process_time() - c) * 1000)
                sql.append(sum(float(q["time"]) for q in captured) * 1000)
                slowest = max(slowest, (samples[-1], url))
                if response.status_code != 200:
                    sys.exit(f"{url}: {response.status_code}")
                queries.add(len(captured))
        results[name] = {
            "median": statistics.median(samples),
            "p95": percentile(samples, 0.95),
            "cpu": statistics.median(cpu),
            "sql": statistics.median(sql),
            "values": len(urls),
            "requests": len(samples),
            "queries": sorted(queries),
            "example": urls[0],
            "slowest": {"ms": slowest[0], "url": slowest[1]},
        }
        write_plan(client, urls[0], plans / (slug(name) + ".txt"))
        row = results[name]
        print(
            f"{name:40} {row['median']:7.1f} {row['p95']:7.1f}"
            f" cpu {row['cpu']:6.1f} sql {row['sql']:6.1f}"
            f"  n={len(samples):4} q={sorted(queries)}",
            flush=True,
        )
    out = OUT / f"list-{'sweep-' if args.sweep else ''}{args.label}.json"
    out.write_text(
        json.dumps(
            {"label": args.label, "load": load_average(), "groups": results}, indent=1
        )
    )
    print(f"wrote {out}")


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-")


def write_plan(client, url: str, path: Path) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the slowest SELECT of one request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    selects = [
        q
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and "django_session" not in q["sql"]
    ]
    if not selects or connection.vendor != "postgresql":
        return
    slowest = max(selects, key=lambda q: float(q["time"]))
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cur.fetchall())
    path.write_text(f"-- {url}\n-- {slowest['time']} s\n{slowest['sql']}\n\n{plan}\n")


def explain_run(args) -> None:
    """Per group and value: the list's queries (`listing.page`: the bounded
    count and the page) run under EXPLAIN ANALYZE; the sum of their server
    execution times. What depends on the number of cases, measured inside
    the database, apart from Python, the round trips and the machine's load
    on them."""
    from urllib.parse import parse_qsl

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import QueryDict
    from django.test.utils import CaptureQueriesContext

    from casework import listing
    from casework.forms import CaseFilterForm
    from casework.models import SavedView

    user = get_user_model().objects.get(username=args.user)
    results = {}
    for name, urls in groups(user).items():
        if args.groups and args.groups not in name or name.startswith("Mijn werk"):
            continue
        times = []
        for url in urls:
            query = dict(parse_qsl(url.partition("?")[2]))
            if "view" in query:
                query = dict(parse_qsl(SavedView.objects.get(pk=query["view"]).query))
            form = CaseFilterForm(QueryDict(urlencode(query)))
            form.is_valid()
            with CaptureQueriesContext(connection) as captured:
                listing.page(
                    user,
                    form.cleaned_data,
                    after=query.get("after", ""),
                    before=query.get("before", ""),
                )
            total = 0.0
            with connection.cursor() as cur:
                for q in captured.captured_queries:
                    cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + q["sql"])
                    plan = cur.fetchone()[0]
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                    total += plan[0]["Execution Time"]
            times.append(total)
        if not times:
            continue
        results[name] = {
            "median": statistics.median(times),
            "p95": percentile(times, 0.95),
            "max": max(times),
            "values": len(times),
        }
        row = results[name]
        print(
            f"{name:40} {row['median']:7.2f} {row['p95']:7.2f} {row['max']:7.2f}",
            flush=True,
        )
    out = OUT / f"list-{args.label}-explain.json"
    OUT.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"label": args.label, "groups": results}, indent=1))
    print(f"wrote {out}")


def prepare() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        for sql in PREPARE:
            t = time.perf_counter()
            cur.execute(sql)
            print(f"{time.perf_counter() - t:6.1f} s  {sql.split()[0:3]}", flush=True)


def compare(small: str, large: str) -> None:
    """The two runs side by side: medians, p95, ratio, SQL time per request."""
    a = json.loads(Path(small).read_text())
    b = json.loads(Path(large).read_text())
    la, lb = a["label"], b["label"]
    print(
        f"| page | {la} ms | {lb} ms | {lb} p95 ms | ratio | "
        f"SQL ms {la} / {lb} | queries |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in b["groups"].items():
        base = a["groups"].get(name)
        if base is None:
            continue
        queries = "/".join(str(q) for q in row["queries"])
        print(
            f"| {name} | {base['median']:.1f} | {row['median']:.1f} "
            f"| {row['p95']:.1f} | {row['median'] / base['median']:.2f} "
            f"| {base['sql']:.1f} / {row['sql']:.1f} | {queries} |"
        )


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.compare:
        compare(*args.compare)
        return
    setup_django(args.database_url)
    if args.prepare:
        prepare()
        return
    args.label = args.label or Path(urlparse(args.database_url).path).name
    if args.explain:
        explain_run(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
