"""The load benchmark of issue 15: `make serve` on the 1M database under locust.

    python bench/load.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m

1. Starts the production server the way `make serve` does (Makefile): with
   DEBUG off and every setting from the environment, `compilemessages`,
   `check --deploy`, `migrate`, `collectstatic`, then gunicorn with
   deploy/gunicorn.conf.py (from --tree, default this checkout),
   here on --bind (127.0.0.1:8077, so it does not meet a server on 8000).
   SECRET_KEY and ACCESS_LOG_KEY default to "bench" when not set; the static
   files go to bench/out/static unless STATIC_ROOT is set; GUNICORN_WORKERS
   and GUNICORN_THREADS are the configuration's defaults unless set
   (--workers, --threads).
2. Writes the sample bench/locustfile.py reads: per benchmark user of
   bench/generate.py its case references, its LOD cases under monitoring
   (A60/A61, for the transition), search terms from its own cases, filters;
   then signs each benchmark account in once (`first_logins`).
3. Runs bench/locustfile.py headless: --users simulated users (100) with
   1–5 s think time for --time seconds after the ramp, then the saturation
   runs without think time at each of --saturation users, until the
   throughput no longer rises (by 5 %).
4. Counts the PostgreSQL connections to the database before, every second
   during (the peak), with the server idle after the load, and after it
   stopped; the load average, and the CPU time of gunicorn, of the
   database's PostgreSQL backends and of locust, in all and per request
   (from the moment the last simulated user signed in).

Raw output goes to bench/out/load-<label>/ (gitignored): locust's CSV files
(per request type: p50 … p99, requests/s, failures), its log, the server's
logs, and summary.md / summary.json, which is also printed. Only databases
named casework_bench* are used.
"""

import argparse
import csv
import json
import os
import re
import resource
import runpy
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENV_BIN = Path(sys.executable).parent
BENCH_USERS = ["bench_2pct", "bench_03pct", "bench_20"]
BENCH_PASSWORD = "bench"  # noqa: S105 - bench/generate.py's fictional users


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL",
            "postgresql://postgres@127.0.0.1:5432/casework_bench_1m",
        ),
    )
    parser.add_argument("--bind", default="127.0.0.1:8077")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=2.0)
    parser.add_argument(
        "--time", type=int, default=300, help="seconds measured after the ramp"
    )
    parser.add_argument("--think", default="1,5", help="think time, seconds min,max")
    parser.add_argument(
        "--saturation",
        default="4,8,16,32,64",
        help="users of the runs without think time, comma-separated; empty: none",
    )
    parser.add_argument("--step-time", type=int, default=60)
    parser.add_argument("--no-think-run", action="store_true", help="saturation only")
    parser.add_argument(
        "--exclude-tags",
        default="",
        help="leave these tasks out (locust tags: `search`), comma-separated",
    )
    parser.add_argument("--workers", type=int, help="GUNICORN_WORKERS")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS")
    parser.add_argument("--label", default="", help="output folder name part")
    parser.add_argument(
        "--locust",
        default=str(ROOT / "bench" / "out" / "venv-load" / "bin" / "locust"),
        help="the locust command (`make bench-load` installs it there)",
    )
    parser.add_argument(
        "--tree",
        type=Path,
        default=ROOT,
        help="the code tree to serve (default: this one); for a tree others are "
        "editing, serve an export of a commit: git archive HEAD | tar -x -C DIR",
    )
    return parser.parse_args(argv)


# -- the database ----------------------------------------------------------------


def database_name(url: str) -> str:
    return Path(unquote(urlparse(url).path)).name


def admin_connect(url: str):
    import psycopg

    return psycopg.connect(urlparse(url)._replace(path="/postgres").geturl())


def connections(url: str) -> dict:
    """Client connections to the benchmark database, and to the server."""
    with admin_connect(url) as conn:
        mine, total = conn.execute(
            "SELECT count(*) FILTER (WHERE datname = %s), count(*) "
            "FROM pg_stat_activity WHERE backend_type = 'client backend'",
            [database_name(url)],
        ).fetchone()
    return {"database": mine, "server": total}


def write_sample(url: str, path: Path, per_user: int = 2000) -> dict:
    """What each benchmark user works on, read from its own team rows (the
    generator puts these users on member teams of D0/D10 cases, which a
    jurist may read and write). Deterministic: ordered by a hash."""
    import psycopg

    sample = {"accounts": BENCH_USERS, "users": {}}
    with psycopg.connect(url) as conn:
        for username in BENCH_USERS:
            (user_id,) = conn.execute(
                "SELECT id FROM auth_user WHERE username = %s", [username]
            ).fetchone()

            def column(sql, *params, uid=user_id):
                rows = conn.execute(sql, [uid, *params]).fetchall()
                return [row[0] for row in rows]

            cases = column(
                "SELECT c.reference FROM permissions_caseaccess a "
                "JOIN casework_case c ON c.id = a.case_id WHERE a.user_id = %s "
                "ORDER BY md5(c.reference) LIMIT %s",
                per_user,
            )
            toggles = column(
                "SELECT c.reference FROM permissions_caseaccess a "
                "JOIN casework_case c ON c.id = a.case_id WHERE a.user_id = %s "
                "AND a.team_role IN ('owner', 'member') AND c.case_type = 'LOD' "
                "AND c.status IN ('A60', 'A61') ORDER BY c.reference"
            )
            names = column(
                "SELECT DISTINCT ON (md5(p.name)) p.name "
                "FROM permissions_caseaccess a "
                "JOIN casework_caseparty cp ON cp.case_id = a.case_id "
                "JOIN casework_party p ON p.id = cp.party_id WHERE a.user_id = %s "
                "ORDER BY md5(p.name) LIMIT 100"
            )
            addresses = column(
                "SELECT DISTINCT ON (md5(l.postcode || l.house_number)) "
                "l.postcode || ' ' || l.house_number || l.addition "
                "FROM permissions_caseaccess a "
                "JOIN casework_caselocation cl ON cl.case_id = a.case_id "
                "JOIN casework_location l ON l.id = cl.location_id "
                "WHERE a.user_id = %s ORDER BY md5(l.postcode || l.house_number) "
                "LIMIT 100"
            )
            combos = conn.execute(
                "SELECT a.case_type, c.status, count(*) FROM permissions_caseaccess a "
                "JOIN casework_case c ON c.id = a.case_id WHERE a.user_id = %s "
                "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 8",
                [user_id],
            ).fetchall()
            filters = ["team_role=member"]
            for case_type, status, _count in combos:
                filters += [
                    f"case_type={case_type}",
                    f"status={status}",
                    f"case_type={case_type}&status={status}",
                ]
            sample["users"][username] = {
                "cases": cases,
                "toggles": toggles,
                "searches": [["reference", ref] for ref in cases[:100]]
                + [["name", name] for name in names]
                + [["postcode", address] for address in addresses],
                "filters": sorted(set(filters)),
            }
    path.write_text(json.dumps(sample, indent=1))
    return {
        user: {key: len(value) for key, value in data.items()}
        for user, data in sample["users"].items()
    }


def status_events_since(url: str, since: datetime) -> int:
    """Status changes A60 ⇄ A61 written since `since`: the transitions that
    really happened."""
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM casework_caseevent WHERE kind = 'status' "
            "AND from_status IN ('A60', 'A61') AND to_status IN ('A60', 'A61') "
            "AND at >= %s",
            [since],
        ).fetchone()[0]


# -- the server --------------------------------------------------------------------


def server_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        DATABASE_URL=args.database_url,
        GUNICORN_BIND=args.bind,
        DJANGO_SETTINGS_MODULE="casework.settings",
    )
    env.setdefault("SECRET_KEY", "bench")
    env.setdefault("ACCESS_LOG_KEY", "bench")
    env.setdefault("STATIC_ROOT", str(OUT / "static"))
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    return env


def gunicorn_sizing(tree: Path, env: dict) -> tuple[int, int]:
    """Workers and threads as deploy/gunicorn.conf.py reads them from `env`."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        config = runpy.run_path(str(tree / "deploy" / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return config["workers"], config["threads"]


def start_server(args, env: dict, out: Path) -> subprocess.Popen:
    """The steps of `make serve` (with its prerequisite `messages`), then
    gunicorn in the background."""
    manage = [sys.executable, "manage.py"]
    for step in (
        [
            "compilemessages",
            "--ignore=.venv",
            "--verbosity=0",
            "--settings=casework.test_settings",
        ],
        ["check", "--deploy", "--fail-level", "ERROR"],
        ["migrate", "--no-input"],
        ["collectstatic", "--no-input", "--verbosity=0"],
    ):
        with open(out / "serve-steps.log", "a") as log:
            subprocess.run(
                manage + step,
                cwd=args.tree,
                env=env,
                check=True,
                stdout=log,
                stderr=log,
            )
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "--config",
            "deploy/gunicorn.conf.py",
            "casework.wsgi:application",
        ],
        cwd=args.tree,
        env=env,
        stdout=open(out / "server.stdout.jsonl", "w"),  # noqa: SIM115 - lives on
        stderr=open(out / "server.stderr.jsonl", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn ended with {server.returncode}: see {out}")
        try:
            with urllib.request.urlopen(  # noqa: S310 - loopback only
                f"http://{args.bind}/health/ready", timeout=5
            ) as response:
                if response.status == 200:
                    return server
        except OSError:
            pass
        time.sleep(1)
    stop_server(server)
    sys.exit(f"the server did not become ready: see {out}")


def first_logins(bind: str) -> None:
    """Sign each benchmark account in once, through the login form, before
    the simulated users do. The generator's password hashes have a short
    fixed salt, so Django re-hashes the password at an account's first login
    (PBKDF2's `must_update`); concurrent first logins of one account would
    each save another hash and so end each other's sessions."""
    import http.cookiejar

    for username in BENCH_USERS:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        url = f"http://{bind}/accounts/login/"
        page = opener.open(url, timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        form = {
            "csrfmiddlewaretoken": token[1] if token else "",
            "username": username,
            "password": BENCH_PASSWORD,
            "next": "/",
        }
        with opener.open(url, urlencode(form).encode(), timeout=60) as response:
            if urlparse(response.url).path != "/":
                sys.exit(f"{username} could not sign in (ended on {response.url})")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def process_cpu() -> dict[int, tuple[int, float]]:
    """(parent pid, CPU seconds) of every process, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        table[int(stat.parent.name)] = (
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / tick,
        )
    return table


def tree_cpu(root: int, table: dict) -> dict[int, float]:
    """CPU seconds of `root` and its descendants, per pid."""
    pids, found = {root}, {}
    while True:
        more = {pid for pid, (ppid, _) in table.items() if ppid in pids} - pids
        if not more:
            break
        pids |= more
    for pid in pids:
        if pid in table:
            found[pid] = table[pid][1]
    return found


class Monitor(threading.Thread):
    """Every second: the database's connections, the load average, and the
    CPU seconds so far of gunicorn (master and workers, which may be
    recycled) and of the PostgreSQL backends serving the database (only
    increases are added up)."""

    def __init__(self, url: str, server_pid: int):
        super().__init__(daemon=True)
        self.url, self.server_pid = url, server_pid
        self.stop = threading.Event()
        self.connections: list[int] = []
        self.loads: list[float] = []
        # (unix time, gunicorn CPU s, PostgreSQL CPU s), cumulative
        self.samples: list[tuple[float, float, float]] = []

    def run(self) -> None:
        table = process_cpu()
        seen_server = tree_cpu(self.server_pid, table)
        seen_db: dict[int, float] = {}
        server_cpu = db_cpu = 0.0
        with admin_connect(self.url) as conn:
            conn.autocommit = True
            while not self.stop.wait(1.0):
                backends = [
                    pid
                    for (pid,) in conn.execute(
                        "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                        "AND backend_type = 'client backend'",
                        [database_name(self.url)],
                    ).fetchall()
                ]
                self.connections.append(len(backends))
                self.loads.append(os.getloadavg()[0])
                table = process_cpu()
                for pid, now in tree_cpu(self.server_pid, table).items():
                    server_cpu += max(0.0, now - seen_server.get(pid, 0.0))
                    seen_server[pid] = now
                for pid in backends:
                    if pid in table:
                        now = table[pid][1]
                        # A backend first seen now counts from its start.
                        db_cpu += max(0.0, now - seen_db.get(pid, 0.0))
                        seen_db[pid] = now
                self.samples.append((time.time(), server_cpu, db_cpu))

    def cpu_since(self, moment: float) -> tuple[float, float, float]:
        """Seconds, gunicorn CPU and PostgreSQL CPU from `moment` to the end."""
        if not self.samples:
            return 0.0, 0.0, 0.0
        first = next((s for s in self.samples if s[0] >= moment), self.samples[-1])
        last = self.samples[-1]
        return last[0] - first[0], last[1] - first[1], last[2] - first[2]


# -- locust ------------------------------------------------------------------------


def run_locust(args, out: Path, name: str, users: int, think: str, seconds: int):
    """One headless locust run; the locustfile resets the statistics once
    every user has signed in, so the ramp (and its password hashing) is not
    measured."""
    rate = args.spawn_rate if think != "0" else max(args.spawn_rate, users / 10)
    ramp = int(users / rate + 0.999)
    prefix = out / name
    env = dict(os.environ)
    env.update(
        CASEWORK_LOAD_THINK=think,
        CASEWORK_LOAD_SAMPLE=str(out / "sample.json"),
        CASEWORK_LOAD_SECONDS=str(seconds),
    )
    command = [
        args.locust,
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://{args.bind}",
        "--users",
        str(users),
        "--spawn-rate",
        str(rate),
        "--run-time",
        # An upper bound: the locustfile stops `seconds` after the last
        # user signed in, which on a busy machine takes minutes.
        f"{ramp + 600 + seconds}s",
        "--csv",
        str(prefix),
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    if args.exclude_tags:
        command += ["--exclude-tags", *args.exclude_tags.split(",")]
    started = datetime.now(UTC)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(f"{prefix}.log", "w") as log:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        t0 = time.monotonic()
        locust.wait()
        wall = time.monotonic() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    stats = read_stats(prefix)
    stats.update(
        users=users, think=think, started=started.isoformat(), wall_s=round(wall, 1)
    )
    stats["locust_cores_used"] = round(cpu / wall, 2)
    return stats


def reset_time(log: Path) -> float | None:
    """When the locustfile reset the statistics (all users signed in)."""
    found = re.search(r"statistics reset at ([0-9.]+)", log.read_text())
    return float(found[1]) if found else None


def read_stats(prefix: Path) -> dict:
    rows = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = {
                "type": row["Type"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": _num(row["50%"]),
                "p95": _num(row["95%"]),
                "p99": _num(row["99%"]),
                "max": _num(row["Max Response Time"]),
                "rps": float(row["Requests/s"]),
            }
    failures = []
    with open(f"{prefix}_failures.csv", newline="") as f:
        for row in csv.DictReader(f):
            failures.append(
                {
                    "name": row["Name"],
                    "error": row["Error"][:200],
                    "count": int(row["Occurrences"]),
                }
            )
    return {"rows": rows, "failures": failures}


def _num(value: str):
    try:
        return round(float(value))
    except ValueError:
        return None


# -- the report ---------------------------------------------------------------------


def table(stats: dict) -> list[str]:
    lines = [
        "| request | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = stats["rows"]
    names = sorted(n for n in rows if n != "Aggregated")
    for name in [*names, "Aggregated"]:
        if name not in rows or not rows[name]["requests"]:
            continue
        r = rows[name]
        label = "**all**" if name == "Aggregated" else name
        lines.append(
            f"| {label} | {r['requests']:,} | {r['failures']} | {r['p50']} | "
            f"{r['p95']} | {r['p99']} | {r['max']} | {r['rps']:.1f} |"
        )
    return lines


def git_state(tree: Path) -> str:
    if tree.resolve() != ROOT:
        return f"the tree {tree}"
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--short", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    changed = [line[3:] for line in dirty if line.strip()]
    return f"{head}" + (f" + {len(changed)} changed files" if changed else "")


def main(argv=None) -> None:
    args = parse_args(argv)
    if not database_name(args.database_url).startswith("casework_bench"):
        sys.exit("refusing: the benchmark database must be named casework_bench*")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    out = OUT / f"load-{args.label or stamp}"
    out.mkdir(parents=True, exist_ok=True)
    env = server_env(args)
    workers, threads = gunicorn_sizing(args.tree, env)
    report: dict = {
        "started": datetime.now(UTC).isoformat(),
        "code": git_state(args.tree),
        "cores": os.cpu_count(),
        "gunicorn": {"workers": workers, "threads": threads},
        "database": database_name(args.database_url),
        "excluded": args.exclude_tags,
        "connections_before": connections(args.database_url),
        "runs": {},
    }
    print(f"{out}: {workers} workers × {threads} threads, code {report['code']}")
    server = start_server(args, env, out)
    try:
        report["connections_server_started"] = connections(args.database_url)
        report["sample"] = write_sample(args.database_url, out / "sample.json")
        first_logins(args.bind)
        plan = []
        if not args.no_think_run:
            plan.append(("think", args.users, args.think, args.time))
        for users in filter(None, args.saturation.split(",")):
            plan.append((f"sat-{int(users):03d}", int(users), "0", args.step_time))
        best = 0.0
        for name, users, think, seconds in plan:
            monitor = Monitor(args.database_url, server.pid)
            monitor.start()
            since = datetime.now(UTC)
            stats = run_locust(args, out, name, users, think, seconds)
            monitor.stop.set()
            monitor.join()
            stats["transitions_in_db"] = status_events_since(args.database_url, since)
            stats["connections_peak"] = max(monitor.connections, default=0)
            stats["load_average"] = [
                round(min(monitor.loads, default=0), 2),
                round(max(monitor.loads, default=0), 2),
            ]
            measured = reset_time(out / f"{name}.log") or since.timestamp()
            seconds_, server_cpu, db_cpu = monitor.cpu_since(measured)
            requests = stats["rows"].get("Aggregated", {}).get("requests", 0)
            stats["measured_s"] = round(seconds_)
            stats["server_cores_used"] = round(server_cpu / max(seconds_, 1), 2)
            stats["db_cores_used"] = round(db_cpu / max(seconds_, 1), 2)
            stats["server_cpu_ms_per_request"] = round(
                1000 * server_cpu / max(requests, 1), 1
            )
            stats["db_cpu_ms_per_request"] = round(1000 * db_cpu / max(requests, 1), 1)
            report["runs"][name] = stats
            agg = stats["rows"].get("Aggregated", {})
            print(
                f"{name}: {users} users, {agg.get('rps', 0):.1f} req/s, "
                f"p95 {agg.get('p95')} ms, errors {agg.get('failures')}, "
                f"load {stats['load_average']}, peak connections "
                f"{stats['connections_peak']}"
            )
            if think == "0":
                rps = agg.get("rps", 0.0)
                if best and rps < best * 1.05:
                    break
                best = max(best, rps)
        report["connections_after_load"] = connections(args.database_url)
    finally:
        stop_server(server)
    time.sleep(2)
    report["connections_after_stop"] = connections(args.database_url)
    (out / "summary.json").write_text(json.dumps(report, indent=1))
    summary = summarize(report)
    (out / "summary.md").write_text(summary)
    print(summary)


def summarize(report: dict) -> str:
    g = report["gunicorn"]
    lines = [
        f"Load test of {report['started'][:16]} UTC, code {report['code']}, "
        f"{report['cores']} cores, gunicorn {g['workers']} workers × "
        f"{g['threads']} threads, database {report['database']}"
        + (f", without the tasks {report['excluded']}." if report["excluded"] else "."),
        "",
        "PostgreSQL client connections to the database: before "
        f"{report['connections_before']['database']}, server started "
        f"{report['connections_server_started']['database']}, after the load "
        f"(server idle) {report['connections_after_load']['database']}, after "
        f"the server stopped {report['connections_after_stop']['database']}.",
        "",
    ]
    saturation = []
    for name, stats in report["runs"].items():
        agg = stats["rows"].get("Aggregated", {})
        head = (
            f"### {name}: {stats['users']} users, think time {stats['think']} s"
            if stats["think"] != "0"
            else f"### {name}: {stats['users']} users, no think time"
        )
        lines += [
            head,
            "",
            f"Load average {stats['load_average'][0]}–{stats['load_average'][1]}; "
            f"measured {stats['measured_s']} s; gunicorn used "
            f"{stats['server_cores_used']} cores "
            f"({stats['server_cpu_ms_per_request']} ms CPU per request), the "
            f"database's PostgreSQL backends {stats['db_cores_used']} "
            f"({stats['db_cpu_ms_per_request']} ms), locust (whole run) "
            f"{stats['locust_cores_used']}; peak connections "
            f"{stats['connections_peak']}; status changes A60⇄A61 written "
            f"{stats['transitions_in_db']}.",
            "",
            *table(stats),
            "",
        ]
        for failure in stats["failures"]:
            lines.append(
                f"- error {failure['name']}: {failure['error']} × {failure['count']}"
            )
        if stats["failures"]:
            lines.append("")
        if stats["think"] == "0":
            saturation.append((stats["users"], agg.get("rps", 0.0), agg.get("p95")))
    if saturation:
        lines += [
            "Saturation (no think time): "
            + ", ".join(
                f"{u} users {r:.1f} req/s (p95 {p} ms)" for u, r, p in saturation
            )
            + f"; best {max(r for _u, r, _p in saturation):.1f} req/s.",
            "",
        ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
