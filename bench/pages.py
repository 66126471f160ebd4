"""Time the pages a user opens most, end to end, against the raw SQL floor.

    python bench/pages.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m

For each benchmark user of bench/generate.py and each page (case list
`/cases/`, "Mijn werk" `/`, the signal list `/signals/`, the detail page of
one of the user's cases) the
full request goes through Django's test Client after force_login: session,
middleware, queries and template rendering, with DEBUG off. After a warm-up
the script reports the median and p95 of --repeat requests, the number of
queries per request, the time of all the page's SELECTs replayed through a
bare cursor, and the floor: the page's main query written by hand and run
through a bare cursor. EXPLAIN ANALYZE of every floor query and of the
slowest query of each page goes to bench/out/.

Detail pages: the newest D0 case of the user (a penalty-order or inspection
case) and, as an extra row, the newest D10 case (PGA), whose reading is
written to the access log. The generator writes no deadlines, documents,
signals, case links or legal protections, so those sections of the case page
are empty, and so are Mijn werk's deadlines and signals. The rows "(full)"
are the newest D0 case and Mijn werk again with rows in every section
(`enrich`: three of each, written through the services; the deadlines fall
due within days, the signals wait for triage), inside a transaction that is
rolled back afterwards.

The workflow pages (`--pages workflow`, part of the default `all`): the Bibob
dossier, the controle selection board, dashboard and follow-up pages, the PGA
dossier and Mijn werk's task inbox, for every benchmark user the generator
makes (a jurist of each size, bibob, coordinator, casusregisseur, politie).
Each is timed over
60 different objects rather than one warm URL: 60 of the user's dossiers
spread over its cases, 60 weeks of the dashboard, 60 filters of the board,
the follow-up pages first to last (at most 60); a
page the role may not open is reported as refused (its 404 is the check).
The task inbox is also timed on its own (`assignment.work_groups`, Mijn werk's
one inbox query), with its plan. The coordinator's distribution page (its
queue: the oldest 50 cases nobody holds) is timed like the others, and the bulk
work it does: 10 and 50 cases of the queue given in one POST, each to a
team member whose role takes the case's step, rolled back after each POST
(`--skip distribution` leaves the POSTs out). Plans in
bench/out/plans/<label>/.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out"
BENCH_USERS = ["bench_2pct", "bench_03pct", "bench_20"]
# Every benchmark user of bench/generate.py, for the workflow pages.
WORKFLOW_USERS = [
    *BENCH_USERS,
    "bench_bibob",
    "bench_coordinator",
    "bench_regisseur",
    "bench_politie",
]
OBJECTS = 60  # different objects per workflow page
DISTRIBUTE = "/work/distribute/"
# The bulk distribution: this many cases of the coordinator's queue, each to a
# team member whose role takes its step, in one POST, rolled back, this often.
DISTRIBUTED = (10, 50)  # the page shows at most 50 (assignment.QUEUE_LIMIT)
DISTRIBUTIONS = 10
TOO_SLOW_MS = 10_000  # a first request slower than this is reported, not timed
# The session a password login makes (force_login would otherwise name the
# first backend in settings, which need not be one that loads users).
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"
PAGE_SIZE = 50

# The page queries written by hand: what the database must do at least.
FLOOR_LIST = """
SELECT c.id, c.reference, c.case_type, c.status, c.title, c.data_class,
       c.opened_at, c.closed_at, o.name
FROM permissions_caseaccess a
JOIN casework_case c ON c.id = a.case_id
JOIN permissions_organisation o ON o.id = c.responsible_organisation_id
WHERE a.user_id = %s AND a.data_class IN ({classes})
ORDER BY a.sort_key DESC, a.case_id DESC
LIMIT {limit}
"""
# The count as the list shows it: up to COUNT_LIMIT, then "1000+"
# (casework.selectors.count_cases, docs/decisions/0010-bounded-case-count.md).
FLOOR_COUNT = """
SELECT COUNT(*) FROM (
  SELECT 1 FROM permissions_caseaccess a
  WHERE a.user_id = %s AND a.data_class IN ({classes})
  LIMIT {limit}) s
"""
# The signal list's page as the organisation's own signals, newest first.
FLOOR_SIGNALS = """
SELECT s.id, s.reference, s.source, s.received_on, s.status, o.name, s.data_class
FROM casework_signal s
JOIN permissions_organisation o ON o.id = s.source_organisation_id
WHERE s.source_organisation_id = %s
ORDER BY s.received_on DESC, s.id DESC
LIMIT {limit}
"""
FLOOR_DETAIL = """
SELECT c.*, o.name
FROM casework_case c
JOIN permissions_caseaccess a ON a.case_id = c.id AND a.user_id = %s
JOIN permissions_organisation o ON o.id = c.responsible_organisation_id
WHERE c.reference = %s AND c.data_class IN ({classes})
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "sqlite:///bench/out/casework_bench_10k.sqlite3"
        ),
    )
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--label", default="", help="name of this run in the output (default: db)"
    )
    parser.add_argument(
        "--client-binding",
        action="store_true",
        help="interpolate parameters on the client and prepare nothing (Django's "
        "default, this project's until 2026-11-29) instead of the settings' "
        "server-side binding with prepared statements",
    )
    parser.add_argument(
        "--pages",
        choices=["all", "core", "workflow"],
        default="all",
        help="core: case list, Mijn werk, signal list, case page; workflow: the "
        "case types' "
        "pages and the task inbox",
    )
    parser.add_argument(
        "--users",
        default="",
        help="comma-separated benchmark users for the workflow pages "
        "(default: all of them)",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated workflow pages not to time, e.g. 'controle board'",
    )
    parser.add_argument(
        "--sql-only",
        action="store_true",
        help="only the SQL floor and plans (no requests through the views)",
    )
    return parser.parse_args(argv)


def setup_django(url: str, client_binding: bool = False) -> None:
    from urllib.parse import unquote, urlparse

    name = Path(unquote(urlparse(url).path)).name
    if not name.startswith(("casework_bench", "casework_gen")):
        sys.exit(
            f"refusing {url!r}: benchmark databases are named casework_bench* "
            "or casework_gen*"
        )
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = "bench"
    os.environ.setdefault("ACCESS_LOG_KEY", "bench")  # DEBUG is off: the log needs it
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    # force_login stands for a finished sign-in: the partner's second factor
    # is not part of the pages timed (as after an identity provider's login).
    os.environ["CASEWORK_OTP_REQUIRED_ROLES"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import logging

    import django

    django.setup()
    if client_binding:
        from django.db import connections

        # Before the first connection is made: it reads these options.
        connections["default"].settings_dict["OPTIONS"] = {}
    # A failing page is reported in the table; its traceback is not needed.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)


class PageError(Exception):
    pass


class Rollback(Exception):
    pass


def enrich(case, user, n: int = 3) -> None:
    """n parties, locations, deadlines, documents, signals, related cases
    (both ways), child cases and legal protections on `case`, written as the
    user (a member of its team) through the services."""
    from datetime import date

    from django.utils import timezone

    from casework import deadlines, services
    from casework.models import (
        Case,
        CaseLocation,
        CaseParty,
        Document,
        Location,
        Party,
    )
    from permissions.models import DataClass
    from workflows.legal_protection.services import legal_protection_open

    today = timezone.localdate()
    for i in range(n):
        services.case_add_party(
            case=case,
            user=user,
            party=Party(kind=Party.Kind.PERSON, name=f"Bench Persoon {i}"),
            role=CaseParty.Role.BETROKKENE,
        )
        services.case_add_location(
            case=case,
            user=user,
            location=Location(
                postcode="5911 ZZ", house_number=900 + i, street="Benchweg",
                city="Venlo",
            ),
            role=CaseLocation.Role.PREMISES,
        )  # fmt: skip
        deadlines.deadline_create(
            case=case, user=user, title=f"Bench termijn {i}", legal_basis="Awb 4:13",
            event_date=today, length=i + 1, unit="days", atw_applies=False,
        )  # fmt: skip
        Document.objects.create(
            case=case, template_key="voornemen_lod", template_version="1",
            title=f"Bench brief {i}", version=1000 + i, inputs={}, content=b"%PDF",
            sha256="0" * 64, data_class=DataClass.D2, author=user,
        )  # fmt: skip
        signal = services.signal_register(
            user=user, source="burger", received_on=today,
            summary=f"Bench signaal {i}", data_class=DataClass.D0,
        )  # fmt: skip
        signal.cases.add(case)
        other = services.case_open(user=user, case_type="LOD", title="Bench")
        services.case_link(case=case, other=other, user=user)
        other = services.case_open(user=user, case_type="LOD", title="Bench")
        services.case_link(case=other, other=case, user=user)
        child = services.case_open(user=user, case_type="LOD", title="Bench")
        Case.objects.filter(pk=child.pk).update(parent=case)
        legal_protection_open(
            case=case, user=user, decision_title=f"Bench besluit {i}",
            decided_on=date(2026, 1, 5), authorised=True,
        )  # fmt: skip


def migrate_if_needed() -> None:
    """Apply migrations the app gained since the data was generated (new
    tables start empty)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        print(f"applying {len(plan)} new migration(s)")
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def timed(fn, repeat: int, warmup: int, cpu: list | None = None) -> list[float]:
    """Wall-clock ms per call; with `cpu`, also this process's CPU ms per call
    (the Python share: it excludes waiting for the database)."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        c = time.process_time()
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - c) * 1000)
    return samples


def run_sql(sql: str, params) -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(sql, params)
        cur.fetchall()


def explain(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        else:
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(" ".join(str(col) for col in row) for row in cur.fetchall())


def placeholders(sql: str) -> str:
    from django.db import connection

    return sql if connection.vendor == "postgresql" else sql.replace("%s", "?")


def replayable(sql: str) -> bool:
    """SELECTs only: no writes, no locks, no savepoints."""
    head = sql.lstrip().upper()
    return head.startswith("SELECT") and "FOR UPDATE" not in head


def follow_up_pages(client) -> list[str]:
    """The pages of the user's open follow-up cases (`/controle/follow-ups/`),
    first to last by their "next" links, at most OBJECTS: the last page is
    timed with the first. A role without the page gets its first URL (404)."""
    import re

    base = "/controle/follow-ups/"
    urls, url = [], base
    while url and len(urls) < OBJECTS:
        urls.append(url)
        response = client.get(url)
        found = re.search(rb'href="(\?after=[^"]+)" rel="next"', response.content)
        url = base + found[1].decode() if response.status_code == 200 and found else ""
    # Fewer pages than OBJECTS: each timed in turn until there are OBJECTS.
    return (urls * OBJECTS)[:OBJECTS]


def case_spread(user, case_type: str) -> list[str]:
    """References of OBJECTS of the user's cases of a type, spread evenly over
    its list, newest first: the objects a case type's page is timed on."""
    from permissions.models import CaseAccess

    refs = list(
        CaseAccess.objects.filter(user=user, case_type=case_type)
        .order_by("-sort_key", "-case_id")
        .values_list("case__reference", flat=True)
    )
    step = max(1, len(refs) // OBJECTS)
    return refs[::step][:OBJECTS]


def tafel_pages(user) -> list[tuple[str, list[str]]]:
    """The tables the user sits at (bench/tables.py): the list, each table
    with its meetings, and 60 of their meetings and minutes spread over the
    years, the newest (held and planned) included."""
    from tafels.models import Meeting
    from tafels.selectors import tables_for

    tables = tables_for(user)
    meetings = list(
        Meeting.objects.filter(table__in=tables)
        .order_by("date", "id")
        .values_list("pk", "status")
    )
    step = max(1, len(meetings) // OBJECTS)
    spread = meetings[::-step][:OBJECTS]
    closed = [pk for pk, status in meetings if status == Meeting.Status.CLOSED]
    closed = closed[:: -max(1, len(closed) // OBJECTS)][:OBJECTS]
    return [
        ("tafels", ["/tafels/"] * OBJECTS if tables else []),
        ("tafel", ([f"/tafels/{t.pk}/" for t in tables] * OBJECTS)[:OBJECTS]),
        ("tafel meeting", [f"/tafels/meetings/{pk}/" for pk, _s in spread]),
        (
            "tafel minutes (PDF)",
            [f"/tafels/meetings/{pk}/minutes.pdf" for pk in closed],
        ),
    ]


class Bench:
    def __init__(self, args):
        from django.db import connection

        self.args = args
        self.vendor = connection.vendor
        self.db = connection.settings_dict["NAME"]
        self.label = args.label or f"{Path(str(self.db)).stem}-{self.vendor}"
        self.results: list[dict] = []
        self.results_workflow: list[dict] = []
        self.plans = OUT / "plans" / self.label
        self.plans.mkdir(parents=True, exist_ok=True)

    def save_plan(self, name: str, sql: str, params) -> str:
        plan = explain(sql, params)
        text = (
            f"-- {self.label} {name}\n{sql.strip()}\n-- params {params!r}\n\n{plan}\n"
        )
        (self.plans / f"{name}.txt").write_text(text)
        return plan

    def floor(self, key: str, sql: str, params) -> float:
        sql = placeholders(sql)
        samples = timed(lambda: run_sql(sql, params), self.args.repeat, 5)
        self.save_plan(key, sql, params)
        return statistics.median(samples)

    def request(self, client, url: str, key: str) -> dict:
        """Median/p95 of the full request, its queries, and the replay of its
        SELECTs through a bare cursor."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise PageError(f"HTTP {response.status_code}")
            return response

        cpu: list[float] = []
        samples = timed(get, self.args.repeat, self.args.warmup, cpu)
        with CaptureQueriesContext(connection) as ctx:
            get()
        queries = [q["sql"] for q in ctx.captured_queries]
        selects = [q for q in queries if replayable(q)]
        replay_times = []
        for _ in range(3):
            per_query = []
            for sql in selects:
                t = time.perf_counter()
                with connection.cursor() as cur:
                    cur.execute(sql)
                    cur.fetchall()
                per_query.append((time.perf_counter() - t) * 1000)
            replay_times.append(per_query)
        # Best of three per query: the database's share, without noise.
        best = [min(col) for col in zip(*replay_times, strict=True)] if selects else []
        slowest = max(range(len(best)), key=best.__getitem__) if best else None
        if slowest is not None:
            self.save_plan(f"{key}-slowest", selects[slowest], None)
        return {
            "median": statistics.median(samples),
            "p95": percentile(samples, 0.95),
            "python_cpu": statistics.median(cpu),
            "queries": len(queries),
            "sql_replay": sum(best),
            "slowest_query_ms": best[slowest] if slowest is not None else 0.0,
            "all_queries": queries,
            "select_ms": [round(ms, 3) for ms in best],
        }

    def user(self, username: str) -> None:
        from django.contrib.auth import get_user_model
        from django.test import Client

        from casework.selectors import COUNT_LIMIT
        from permissions.models import CaseAccess
        from permissions.selectors import case_readable_classes

        user = get_user_model().objects.get(username=username)
        role = user.membership.role
        classes = [str(c) for c in case_readable_classes(role)]
        visible = CaseAccess.objects.filter(user=user, data_class__in=classes)
        total = visible.count()
        newest = {}
        for cls in ("D0", "D10"):
            row = (
                visible.filter(data_class=cls)
                .order_by("-sort_key", "-case_id")
                .select_related("case")
                .first()
            )
            if row is not None:
                newest[cls] = row.case.reference
        marks = ", ".join(["%s"] * len(classes))
        list_sql = FLOOR_LIST.format(classes=marks, limit=PAGE_SIZE)
        count_sql = FLOOR_COUNT.format(classes=marks, limit=COUNT_LIMIT + 1)
        detail_sql = FLOOR_DETAIL.format(classes=marks)
        floors = {
            "list": self.floor(f"{username}-list", list_sql, [user.pk, *classes]),
            "count": self.floor(f"{username}-count", count_sql, [user.pk, *classes]),
            "signals": self.floor(
                f"{username}-signals",
                FLOOR_SIGNALS.format(limit=PAGE_SIZE + 1),
                [user.membership.organisation_id],
            ),
        }
        for cls, reference in newest.items():
            floors[f"detail-{cls}"] = self.floor(
                f"{username}-detail-{cls}", detail_sql, [user.pk, reference, *classes]
            )
        pages = [
            ("/cases/", "case list", "list"),
            ("/", "Mijn werk", "list"),
            ("/signals/", "signal list", "signals"),
        ]
        for cls, reference in newest.items():
            pages.append(
                (f"/cases/{reference}/", f"case detail ({cls})", f"detail-{cls}")
            )
        client = None
        if not self.args.sql_only:
            client = Client()
            client.force_login(user, backend=PASSWORD_BACKEND)
        for url, page, floor_key in pages:
            self.page(client, username, total, floors, url, page, floor_key)
        if client is not None and "D0" in newest:
            self.full_case(client, user, total, floors, newest["D0"])

    def full_case(self, client, user, total, floors, reference) -> None:
        """Mijn werk and the D0 case page with rows in every section, rolled
        back after."""
        from django.db import transaction

        from casework.models import Case

        try:
            with transaction.atomic():
                enrich(Case.objects.get(reference=reference), user)
                for url, page, floor_key in (
                    ("/", "Mijn werk (full)", "list"),
                    (f"/cases/{reference}/", "case detail (full)", "detail-D0"),
                ):
                    self.page(
                        client, user.username, total, floors, url, page, floor_key
                    )
                raise Rollback
        except Rollback:
            pass

    def page(self, client, username, total, floors, url, page, floor_key) -> None:
        row = {
            "db": self.label,
            "vendor": self.vendor,
            "user": username,
            "visible": total,
            "page": page,
            "url": url,
            "floor": floors[floor_key],
            "floor_count": floors["count"],
        }
        if client is not None:
            key = f"{username}-{page.split()[0].lower()}-{floor_key}"
            if "full" in page:
                key += "-full"
            try:
                row.update(self.request(client, url, key))
                row["ratio"] = row["median"] / row["floor"]
            except Exception as exc:  # noqa: BLE001 - report and go on
                row["error"] = f"{type(exc).__name__}: {exc}"[:200]
        self.results.append(row)
        print(self.line(row), flush=True)

    # -- the workflow pages ------------------------------------------------

    def workflow_user(self, username: str) -> None:
        from django.contrib.auth import get_user_model
        from django.test import Client

        from permissions.models import CaseAccess

        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user, backend=PASSWORD_BACKEND)
        seen = CaseAccess.objects.filter(user=user).count()

        def spread(case_type: str) -> list[str]:
            return case_spread(user, case_type)

        weeks = []
        monday = date.today() - timedelta(days=date.today().weekday())
        for k in range(OBJECTS):
            year, week, _ = (monday - timedelta(weeks=k)).isocalendar()
            weeks.append(f"/controle/?week={year}-W{week:02d}")
        from bench.generate import AREAS

        areas = sorted({area for _town, area in AREAS.values()})
        sources = ["", "bestuurlijke_rapportage", "toezicht", "mma", "burger", "riec"]
        boards = [
            "/controle/selection/?" + urlencode({"area": area, "source": source})
            for area in ["", *areas]
            for source in sources
        ][:OBJECTS]
        pages = [
            ("Bibob dossier", [f"/cases/{r}/bibob/" for r in spread("BIB")]),
            *tafel_pages(user),
            ("controle board", boards),
            ("controle dashboard", weeks),
            ("controle follow-ups", follow_up_pages(client)),
            ("PGA dossier", [f"/cases/{r}/pga/" for r in spread("PGA")]),
            ("Mijn werk (tasks)", ["/"] * OBJECTS),
            ("distribution queue", [DISTRIBUTE] * OBJECTS),
        ]
        skip = {name.strip() for name in self.args.skip.split(",")}
        for page, urls in pages:
            if page not in skip:
                self.workflow_page(client, username, seen, page, urls)
        self.task_inbox(user, username, seen)
        if "distribution" not in skip:
            self.distribution(client, user, username, seen)

    def workflow_page(self, client, username, seen, page, urls) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        row = {"db": self.label, "user": username, "visible": seen, "page": page,
               "objects": len(set(urls))}  # fmt: skip
        self.results_workflow.append(row)
        if not urls:
            row["skipped"] = "no such case on the user's teams"
            print(f"  {username:<17} {page:<20} {row['skipped']}", flush=True)
            return
        t = time.perf_counter()
        first = client.get(urls[0])
        first_ms = (time.perf_counter() - t) * 1000
        if first_ms > TOO_SLOW_MS:
            row["skipped"] = (
                f"first request {first_ms / 1000:.0f} s: not timed further "
                f"(HTTP {first.status_code})"
            )
            print(f"  {username:<17} {page:<20} {row['skipped']}", flush=True)
            return
        if first.status_code != 200:
            row["skipped"] = f"HTTP {first.status_code} (not for this role)"
            print(f"  {username:<17} {page:<20} {row['skipped']}", flush=True)
            return
        for url in urls[-self.args.warmup :]:
            client.get(url)
        samples, queries = [], []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - t) * 1000)
            if response.status_code != 200:
                row["error"] = f"HTTP {response.status_code} on {url}"
                break
            queries.append(ctx.captured_queries)
        slowest_url = urls[samples.index(max(samples))]
        with CaptureQueriesContext(connection) as ctx:
            client.get(slowest_url)
        selects = [q["sql"] for q in ctx.captured_queries if replayable(q["sql"])]
        best = []
        for sql in selects:
            t = time.perf_counter()
            run_sql(sql, None)
            best.append((time.perf_counter() - t) * 1000)
        key = f"{username}-{page.replace(' ', '_').replace('(', '').replace(')', '')}"
        if best:
            k = best.index(max(best))
            self.save_plan(f"workflow-{key}-slowest", selects[k], None)
        row.update(
            median=statistics.median(samples),
            p95=percentile(samples, 0.95),
            max=max(samples),
            queries=max(len(q) for q in queries),
            slowest_query_ms=max(best) if best else 0.0,
            slowest_url=slowest_url,
        )
        print(
            f"  {username:<17} {page:<20} median {row['median']:7.2f} ms "
            f"p95 {row['p95']:7.2f} ms  {row['queries']:>3} queries  "
            f"slowest query {row['slowest_query_ms']:6.2f} ms",
            flush=True,
        )

    def distribution(self, client, user, username, seen) -> None:
        """A coordinator's bulk work: DISTRIBUTED cases of its queue given in
        one POST of the distribution page (a person per case: a team member
        whose role takes the case's open step), each POST inside a
        transaction rolled back afterwards, so that every round distributes
        the same queue. Reported per size: median ms and queries."""
        import uuid

        from django.db import connection, reset_queries, transaction
        from django.test.utils import CaptureQueriesContext

        from casework import assignment

        queue = assignment.distribution_queue(user)
        if not queue:
            return
        people = assignment.distribution_people(user, {c.step.role for c in queue})
        pickable = {person.pk for person in people}
        plan = []
        for case in queue:
            fits = [
                person.pk
                for person in assignment.hand_over_candidates(case)
                if person.pk in pickable
            ]
            if fits:
                plan.append((case.reference, fits[0]))

        class Rollback(Exception):
            pass

        for size in DISTRIBUTED:
            if len(plan) < size:
                continue
            body = {"mode": "per_case", "note": "bench", "cases": []}
            for reference, person in plan[:size]:
                body["cases"].append(reference)
                body[f"person_{reference}"] = person
            samples, queries = [], 0
            for n in range(self.args.warmup + DISTRIBUTIONS):
                body["form_token"] = str(uuid.uuid4())
                reset_queries()  # the log keeps 9,000: this POST's must fit
                try:
                    with transaction.atomic():
                        with CaptureQueriesContext(connection) as ctx:
                            t = time.perf_counter()
                            response = client.post(DISTRIBUTE, body)
                            ms = (time.perf_counter() - t) * 1000
                        if response.status_code != 302:
                            raise RuntimeError(
                                f"distribution of {size} refused "
                                f"(HTTP {response.status_code})"
                            )
                        raise Rollback
                except Rollback:
                    pass
                if n >= self.args.warmup:
                    samples.append(ms)
                    queries = len(ctx.captured_queries)
            row = {"db": self.label, "user": username, "visible": seen,
                   "page": f"distribute {size} cases (POST)", "objects": size,
                   "median": statistics.median(samples),
                   "p95": percentile(samples, 0.95), "max": max(samples),
                   "queries": queries, "slowest_query_ms": 0.0}  # fmt: skip
            self.results_workflow.append(row)
            print(
                f"  {username:<17} {row['page']:<20} median "
                f"{row['median']:7.2f} ms p95 {row['p95']:7.2f} ms "
                f"{queries:>5} queries",
                flush=True,
            )

    def task_inbox(self, user, username, seen) -> None:
        """Mijn werk's inbox query alone, and its plan."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from casework import assignment

        def run():
            assignment.work_groups(type(user).objects.get(pk=user.pk))

        samples = timed(run, OBJECTS, self.args.warmup)
        with CaptureQueriesContext(connection) as ctx:
            run()
        sql = max(
            (q["sql"] for q in ctx.captured_queries if replayable(q["sql"])),
            key=len,
        )
        self.save_plan(f"workflow-{username}-task_inbox", sql, None)
        row = {"db": self.label, "user": username, "visible": seen,
               "page": "task inbox query", "objects": 1,
               "median": statistics.median(samples),
               "p95": percentile(samples, 0.95), "max": max(samples),
               "queries": len(ctx.captured_queries),
               "slowest_query_ms": 0.0}  # fmt: skip
        self.results_workflow.append(row)
        print(
            f"  {username:<17} {'task inbox query':<20} median "
            f"{row['median']:7.2f} ms p95 {row['p95']:7.2f} ms",
            flush=True,
        )

    def workflow_table(self) -> str:
        head = (
            "| DB | user (cases seen) | page | objects | median ms | p95 ms "
            "| max ms | queries | slowest query ms |\n"
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        )
        lines = []
        for r in self.results_workflow:
            who = f"{r['user']} ({r['visible']:,})"
            if "skipped" in r or "error" in r:
                why = r.get("error") or r["skipped"]
                lines.append(f"| {r['db']} | {who} | {r['page']} | {why} |")
                continue
            lines.append(
                f"| {r['db']} | {who} | {r['page']} | {r['objects']} "
                f"| {r['median']:.1f} | {r['p95']:.1f} | {r['max']:.1f} "
                f"| {r['queries']} | {r['slowest_query_ms']:.2f} |"
            )
        return head + "\n".join(lines) + "\n"

    @staticmethod
    def line(r: dict) -> str:
        if "error" in r:
            return f"  {r['user']:<12} {r['page']:<20} FAILED {r['error']}"
        if "median" not in r:
            return (
                f"  {r['user']:<12} {r['page']:<20} floor {r['floor']:6.2f} ms"
                f"  count floor {r['floor_count']:6.2f} ms"
            )
        return (
            f"  {r['user']:<12} {r['page']:<20} median {r['median']:7.2f} ms "
            f"p95 {r['p95']:7.2f} ms  CPU {r['python_cpu']:6.2f} ms  "
            f"{r['queries']:>3} queries  "
            f"SQL {r['sql_replay']:6.2f} ms  floor {r['floor']:5.2f} ms  "
            f"×{r['ratio']:.0f}"
        )

    def table(self) -> str:
        requests = not self.args.sql_only
        if requests:
            head = (
                "| DB | user (cases seen) | page | median ms | p95 ms "
                "| Python CPU ms | queries | all SELECTs replayed ms | floor ms "
                "| page/floor |\n"
                "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
            )
        else:
            head = (
                "| DB | user (cases seen) | page | floor ms | count floor ms |\n"
                "| --- | --- | --- | ---: | ---: |\n"
            )
        lines = []
        for r in self.results:
            who = f"{r['user']} ({r['visible']:,})"
            if "error" in r:
                lines.append(f"| {r['db']} | {who} | {r['page']} | {r['error']} |")
            elif requests:
                lines.append(
                    f"| {r['db']} | {who} | {r['page']} | {r['median']:.1f} "
                    f"| {r['p95']:.1f} | {r['python_cpu']:.1f} | {r['queries']} "
                    f"| {r['sql_replay']:.2f} "
                    f"| {r['floor']:.2f} | {r['ratio']:.0f} |"
                )
            else:
                lines.append(
                    f"| {r['db']} | {who} | {r['page']} | {r['floor']:.2f} "
                    f"| {r['floor_count']:.2f} |"
                )
        return head + "\n".join(lines) + "\n"


def main(argv=None) -> None:
    args = parse_args(argv)
    setup_django(args.database_url, args.client_binding)
    migrate_if_needed()
    bench = Bench(args)
    from django.db import connection

    binding = (
        "server-side binding, prepared statements"
        if getattr(connection.features, "uses_server_side_binding", False)
        else "client-side binding"
    )
    print(
        f"{bench.label} ({bench.vendor}, {binding}), "
        f"{args.repeat} requests after warm-up"
    )
    print(f"load average at start: {load_average()}")
    if args.pages in ("all", "core"):
        for username in BENCH_USERS:
            bench.user(username)
    table = bench.table() if bench.results else ""
    if args.pages in ("all", "workflow") and not args.sql_only:
        chosen = [u for u in args.users.split(",") if u] or WORKFLOW_USERS
        for username in chosen:
            bench.workflow_user(username)
        table += "\n" + bench.workflow_table()
    print(f"load average at end: {load_average()} (2 shared vCPUs: compare ratios)")
    print()
    print(table)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"pages-{bench.label}.md").write_text(table)
    (OUT / f"pages-{bench.label}.json").write_text(
        json.dumps(bench.results, indent=2, default=str)
    )
    (OUT / f"pages-{bench.label}-workflow.json").write_text(
        json.dumps(bench.results_workflow, indent=2, default=str)
    )
    print(f"plans in {bench.plans.relative_to(ROOT)}/, results in bench/out/")


if __name__ == "__main__":
    main()
