"""The access log under load, and the FG's /audit/ page at 2M rows.

    python bench/bench_access_log.py throughput \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_log
    python bench/bench_access_log.py audit --rows 2000000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_log_2m

`throughput` runs `permissions.services.log_access` in 1 and then 8 processes
at once (each its own connection, as gunicorn workers would), each in a loop
for --seconds, and prints logged reads per second; then verifies the log.

`audit` fills the log with --rows rows through COPY (a valid chain, spread
over users, cases and two years), then times the FG's /audit/ page through
Django's test Client with each filter: none, user, case, period, user+period,
case+period, and the next page (keyset). Median and p95 of --repeat requests.

Only databases named casework_bench* are touched; they are created and
migrated when missing. The script runs against the tree it sits in, so the
"before" figures come from an export of the previous commit
(`git archive HEAD | tar -x -C /tmp/before`).
"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_PREFIX = "casework_bench"


def prepare_database(url: str) -> None:
    from urllib.parse import unquote, urlparse

    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = Path(unquote(parsed.path)).name
    if not name.startswith(BENCH_PREFIX):
        sys.exit(f"refusing {url!r}: the database name must start with {BENCH_PREFIX}")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = "bench"
    os.environ.setdefault("ACCESS_LOG_KEY", "bench-access-log-key")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0, skip_checks=True)


def bench_user(username="bench_reader", role="casusregisseur"):
    from django.contrib.auth import get_user_model

    from permissions.models import Membership, Organisation

    org, _ = Organisation.objects.get_or_create(
        name="Bench gemeente", defaults={"kind": "gemeente"}
    )
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


# --------------------------------------------------------------------------
# Throughput


def _reader(user_pk: int, seconds: float, start_at: float, out) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from permissions.services import log_access

    user = (
        get_user_model()
        .objects.select_related("membership__organisation")
        .get(pk=user_pk)
    )
    log_access(
        user=user, action="read", object_type="case", object_id=0, data_class="D10"
    )  # fmt: skip - warm the connection
    while time.time() < start_at:
        time.sleep(0.001)
    n = 0
    end = start_at + seconds
    while time.time() < end:
        log_access(user=user, action="read", object_type="case", object_id=n,
                   data_class="D10")  # fmt: skip
        n += 1
    connection.close()
    out.put(n)


def throughput(args) -> None:
    from django.db import connections

    from permissions import services

    user = bench_user()
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    results = {}
    for readers in args.readers:
        out = ctx.Queue()
        start_at = time.time() + 1.5
        procs = [
            ctx.Process(target=_reader, args=(user.pk, args.seconds, start_at, out))
            for _ in range(readers)
        ]
        for p in procs:
            p.start()
        counts = [out.get() for _ in procs]
        for p in procs:
            p.join()
        rate = sum(counts) / args.seconds
        results[readers] = rate
        print(f"{readers} reader(s): {rate:8.0f} logged reads/s "
              f"({sum(counts)} in {args.seconds:.0f} s)")  # fmt: skip
    if 1 in results:
        for readers, rate in results.items():
            if readers != 1:
                print(f"ratio {readers}:1 = {rate / results[1]:.2f}")
    verify = getattr(services, "verify_access_log", None)
    t = time.perf_counter()
    if verify is not None:
        report = verify(record=False, checkpoint=False)
        ok, rows = report.ok, report.rows_checked
    else:
        ok, rows = services.verify_chain(), None
    print(f"chain intact: {ok} (rows {rows}, {time.perf_counter() - t:.1f} s)")


# --------------------------------------------------------------------------
# /audit/ at 2M rows


def fill(rows: int, seed: int = 13) -> None:
    """COPY `rows` rows with a valid chain (per shard where the log has
    shards), then set the heads to match."""
    from django.db import connection

    from permissions.models import AccessLog, AccessLogHead

    fields = {f.name for f in AccessLog._meta.concrete_fields}
    sharded = "seq" in fields
    rng = random.Random(seed)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM permissions_accesslog")
        if cur.fetchone()[0] >= rows:
            print("log already filled")
            return
    # Triggers (append-only) would not fire on COPY INSERTs anyway; FK none.
    users = [f"user{u:04d}" for u in range(5000)]
    orgs = ["Gemeente Venlo", "Politie Eenheid Limburg", "Belastingdienst Zuid"]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    span = 2 * 365 * 86400
    step = span / rows
    shards = 16 if sharded else 1
    last = {s: "0" * 64 for s in range(shards)}
    seqs = {s: 0 for s in range(shards)}
    columns = [f.column for f in AccessLog._meta.concrete_fields]
    raw = connection.connection
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM permissions_accesslog")
        next_id = cur.fetchone()[0] + 1
    t = time.perf_counter()
    chunk = 100_000
    done = 0
    while done < rows:
        n = min(chunk, rows - done)
        batch = []
        for i in range(n):
            k = done + i
            u = rng.randrange(len(users))
            case = rng.randrange(200_000)
            entry = AccessLog(
                id=next_id,
                timestamp=start + timedelta(seconds=k * step),
                user_id=u + 1000,
                username=users[u],
                role="jurist",
                organisation=orgs[u % 3],
                action="read",
                object_type="case",
                object_id=str(case),
                data_class="D5",
                case_id=case,
                case_reference=f"2025-LOD-{case:06d}",
                result="ok" if rng.random() > 0.02 else "denied",
                client_ip="10.0.0.1",
            )
            shard = k % shards
            if sharded:
                seqs[shard] += 1
                entry.shard, entry.seq = shard, seqs[shard]
            entry.hash_chain = entry.content_digest(last[shard])
            last[shard] = entry.hash_chain
            batch.append(
                [getattr(entry, f.attname) for f in AccessLog._meta.concrete_fields]
            )
            next_id += 1
        with raw.cursor() as cur, raw.transaction():
            with cur.copy(
                f"COPY permissions_accesslog ({', '.join(columns)}) FROM STDIN"
            ) as copy:
                for row in batch:
                    copy.write_row(row)
        done += n
        print(f"\r{done}/{rows} rows, {time.perf_counter() - t:.0f} s", end="")
    print()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('permissions_accesslog', 'id'), %s)",
            [next_id - 1],
        )
        if sharded:
            for s in range(shards):
                cur.execute(
                    "INSERT INTO permissions_accessloghead (shard, seq, last_hash)"
                    " VALUES (%s, %s, %s) ON CONFLICT (shard) DO UPDATE"
                    " SET seq = EXCLUDED.seq, last_hash = EXCLUDED.last_hash",
                    [s, seqs[s], last[s]],
                )
        else:
            AccessLogHead.objects.update_or_create(
                pk=1, defaults={"last_hash": last[0]}
            )
        cur.execute("ANALYZE permissions_accesslog")


def audit(args) -> None:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # response.context, as in the tests
    fill(args.rows)
    fg = bench_user("bench_fg", "fg")
    client = Client()
    client.force_login(fg)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT username, case_reference, timestamp, id FROM permissions_accesslog"
            " WHERE id = (SELECT MAX(id) / 2 FROM permissions_accesslog)"
        )
        username, reference, when, mid = cur.fetchone()
    month_from = (when - timedelta(days=30)).date().isoformat()
    month_to = when.date().isoformat()
    old_from, old_to = "2024-02-01", "2024-02-29"
    pages = {
        "no filter": "/audit/",
        "user": f"/audit/?user={username}",
        "case": f"/audit/?case={reference}",
        "period (30 days, middle)": f"/audit/?from={month_from}&to={month_to}",
        "period (oldest month)": f"/audit/?from={old_from}&to={old_to}",
        "user + period": f"/audit/?user={username}&from={month_from}&to={month_to}",
        "case + period": f"/audit/?case={reference}&from={old_from}&to={month_to}",
        "user, unknown": "/audit/?user=nobody",
    }
    response = client.get("/audit/")
    nxt = response.context.get("next_cursor") if response.context else None
    if nxt:
        pages["no filter, next page"] = f"/audit/?after={nxt}"
    print(f"{'page':28} {'median ms':>10} {'p95 ms':>8} {'rows':>5} {'queries':>7}")
    for label, url in pages.items():
        times = []
        for _ in range(3):
            client.get(url)
        for _ in range(args.repeat):
            reset_queries()
            t = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        rows = len(response.context["entries"])
        print(f"{label:28} {statistics.median(times):10.1f} {p95:8.1f} "
              f"{rows:5d} {len(ctx.captured_queries):7d}")  # fmt: skip
    if args.verify:
        from permissions import services

        t = time.perf_counter()
        verify = getattr(services, "verify_access_log", None)
        ok = (
            verify(record=False, checkpoint=False).ok
            if verify
            else (services.verify_chain())
        )
        print(f"verify: {ok} in {time.perf_counter() - t:.1f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["throughput", "audit"])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument(
        "--readers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8]
    )
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args(argv)
    prepare_database(args.database_url)
    setup_django(args.database_url)
    {"throughput": throughput, "audit": audit}[args.what](args)


if __name__ == "__main__":
    main()
