"""Time the governance reports (issue 18 items 5 and 6; reports/, docs/reports.md).

    python bench/bench_reports.py --database-url \\
        postgresql://postgres@127.0.0.1:5432/casework_bench_1m --label pg-1m
    python bench/bench_reports.py --compare bench/out/reports-pg-10k.json \\
        bench/out/reports-pg-1m.json

The database must be prepared for the steering and hotspot pages first
(`bench/bench_steering.py --prepare`, and the hotspots' own preparation):
the quarterly report reads only their precomputed facts, never the case rows.
Only databases named casework_bench* are accepted; nothing is written to
them (the report is built in memory, as the Celery task does, without a job
row; the feedback overview's access-log row is not written either).

Groups:

- **quarterly as <user>**: `reports.quarterly.build` — every section, the
  PDF rendered — for 60 different (quarter, area) combinations: the four
  quarters of 2026 and of 2025 in all areas and in each area the user's
  facts have, with the first programme the user reads (if any). Target:
  5 s at 1M (issue 18 item 6); the ratio 1M/10k should be near 1.
- **feedback as <user>**: `reports.feedback.overview` for the years
  2020-2026 (all recipients the user reads) and the PDF of the overview.
- **feedback page as <user>**: what the feedback page reads for the same
  years: the counts per recipient (`feedback.summary`) and, when the user
  reads one recipient, its first page of results (`feedback.results_page`).

Each value is built `--rounds` times after a warm-up; median, p95, CPU and
SQL time and the queries per build.
"""

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import load_average, main_of, percentile  # noqa: E402

OUT = ROOT / "bench" / "out"
VALUES = 60
USERS = ("bench_coordinator", "bench_politie")
QUARTERS = [f"{year}-K{n}" for year in (2026, 2025) for n in (1, 2, 3, 4)]
TARGET_MS = 5000.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--label", default="")
    parser.add_argument("--rounds", type=int, default=1, help="builds per value")
    parser.add_argument("--values", type=int, default=VALUES)
    parser.add_argument("--users", default=",".join(USERS))
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    return parser.parse_args(argv)


def quarterly_values(user, count: int) -> list[dict]:
    from permissions.figures import figure_scope
    from reports import sources

    if figure_scope(user) is None:
        sys.exit(f"{user.username} sees no figures")
    places = ["", *sources.areas(user)]
    programmes = sources.programmes(user)
    programme = programmes[0][0] if programmes else None
    combos = itertools.cycle(itertools.product(QUARTERS, places))
    return [
        {"quarter": quarter, "area": area, "programme": programme,
         "decisions": "Besluit over de inzet in het volgende kwartaal"}
        for quarter, area in itertools.islice(combos, count)
    ]  # fmt: skip


def timed(builds, rounds: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for build in builds[:3]:
        build()
    samples, cpu, sql, queries = [], [], [], set()
    for _round in range(rounds):
        for build in builds:
            with CaptureQueriesContext(connection) as captured:
                c = time.process_time()
                t = time.perf_counter()
                build()
                samples.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            sql.append(sum(float(q["time"]) for q in captured) * 1000)
            queries.add(len(captured))
    return {
        "median": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "max": max(samples),
        "cpu": statistics.median(cpu),
        "sql": statistics.median(sql),
        "values": len(builds),
        "builds": len(samples),
        "queries": sorted(queries),
    }


def feedback_page(feedback, user, year):
    """What the feedback page reads (reports.views.feedback_page): the counts
    of every recipient, and the first page of results of the only one."""
    data = feedback.summary(user, year)
    if len(data.recipients) == 1:
        feedback.results_page(user, year, data.recipients[0])
    return data


def run(args) -> None:
    from django.contrib.auth import get_user_model

    from reports import feedback, quarterly

    def quiet(step, percent):
        return None

    results = {}
    for username in args.users.split(","):
        user = get_user_model().objects.get(username=username)
        values = quarterly_values(user, args.values)
        groups = {
            f"quarterly as {username}": [
                (lambda p=p, u=user: quarterly.build(u, p, quiet)) for p in values
            ],
            f"feedback as {username}": [
                (lambda y=y, u=user: feedback.render(feedback.overview(u, y), user=u))
                for y in range(2020, 2027)
            ],
            f"feedback page as {username}": [
                (lambda y=y, u=user: feedback_page(feedback, u, y))
                for y in range(2020, 2027)
            ],
        }
        for name, builds in groups.items():
            row = results[name] = timed(builds, args.rounds)
            flag = (
                " over 5 s!" if "quarterly" in name and row["p95"] > TARGET_MS else ""
            )
            print(
                f"{name:36} {row['median']:8.1f} {row['p95']:8.1f}"
                f" cpu {row['cpu']:7.1f} sql {row['sql']:7.1f}"
                f"  n={row['builds']:4} q={row['queries']}{flag}",
                flush=True,
            )
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"reports-{args.label}.json"
    out.write_text(
        json.dumps(
            {"label": args.label, "load": load_average(), "groups": results}, indent=1
        )
    )
    print(f"wrote {out}")


def main(argv=None) -> None:
    main_of(parse_args, None, run, argv)


if __name__ == "__main__":
    main()
