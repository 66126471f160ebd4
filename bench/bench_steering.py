"""Time the indicators page (issue 18 items 2 and 6; steering/, docs/steering.md).

    python bench/bench_steering.py --prepare \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m
    python bench/bench_steering.py --database-url … --label pg-1m
    python bench/bench_steering.py --compare bench/out/steering-pg-10k.json \\
        bench/out/steering-pg-1m.json

`--prepare` creates the steering tables (`migrate steering`) and computes the
facts from the generated cases, events, signals, legal protections and
deadlines with `steering.facts.refresh()` — a full refresh, timed, and a
refresh of the last two months, timed (the beat task's work). Only databases
named casework_bench* or casework_gen* are accepted.

Each group is one benchmark user (bench/generate.py: jurist, Bibob
coordinator, coordinator, casusregisseur, police partner) opening
`/steering/` through Django's test Client after force_login, DEBUG off, over
60 different area × period combinations (all areas and each area the user's
facts have; four quarters, eight quarters, six months, eight months, at
different starts), each asked `--rounds` times after a warm-up; median, p95,
CPU and SQL time and the queries per request. The chart images (one per
family on the page, `steering:chart`) are timed drawn and from the cache,
and the CSV export, for the first user. The page reads only the facts,
so the ratio 1M/10k should be near 1; the target is 50 ms at 1M.
"""

import argparse
import itertools
import os
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    main_of,
    print_row,
    time_urls,
    write_results,
)

OUT = ROOT / "bench" / "out"
VALUES = 60
BACKEND = "django.contrib.auth.backends.ModelBackend"
USERS = (
    "bench_2pct",
    "bench_bibob",
    "bench_coordinator",
    "bench_regisseur",
    "bench_politie",
)
# (grain, first month, last month): 4 and 8 quarters, 6 and 8 months.
RANGES = [
    ("quarter", "2026-01", "2026-12"),
    ("quarter", "2025-01", "2026-12"),
    ("quarter", "2025-04", "2026-03"),
    ("month", "2026-07", "2026-12"),
    ("month", "2026-05", "2026-12"),
    ("month", "2025-11", "2026-04"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--label", default="")
    parser.add_argument("--rounds", type=int, default=1, help="requests per value")
    parser.add_argument("--users", default=",".join(USERS))
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    return parser.parse_args(argv)


def prepare() -> None:
    from django.core.management import call_command
    from django.db import connection

    from steering import facts
    from steering.models import Fact

    call_command("migrate", "steering", verbosity=0)
    t = time.perf_counter()
    written = facts.refresh()
    full = time.perf_counter() - t
    t = time.perf_counter()
    facts.refresh_recent(today=date(2026, 12, 5))
    recent = time.perf_counter() - t
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE steering_fact")
    print(
        f"full refresh {full:.1f} s ({written} facts, {Fact.objects.count()} rows); "
        f"last two months {recent:.1f} s"
    )


def urls_for(user) -> list[str]:
    """VALUES querystrings: each range in all areas and in each area."""
    from permissions.figures import figure_scope
    from steering.indicators import areas

    scope = figure_scope(user)
    if scope is None:
        sys.exit(f"{user.username} sees no figures")
    places = ["", *areas(scope)]
    combos = itertools.cycle(itertools.product(RANGES, places))
    found = []
    for (grain, start, end), area in itertools.islice(combos, VALUES):
        found.append(
            "/steering/?"
            + urlencode({"grain": grain, "start": start, "end": end, "area": area})
        )
    return found


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    results = {}
    for n, username in enumerate(args.users.split(",")):
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user, backend=BACKEND)
        urls = urls_for(user)
        groups = {f"indicators as {username}": urls}
        if n == 0:
            groups[f"CSV as {username}"] = [
                u.replace("/steering/?", "/steering/indicators.csv?") for u in urls
            ]
            # A chart image (the page loads one per family); every URL once
            # unseen (drawn) and once again (from the cache).
            families = itertools.cycle(("SIG", "LOD", "IC", "PGA", "GBV"))
            charts = [
                u.replace("/steering/?", "/steering/chart.svg?")
                + f"&family={next(families)}"
                for u in urls
            ]
            groups[f"chart (drawn) as {username}"] = charts
            groups[f"chart (cached) as {username}"] = charts
        for name, group in groups.items():
            warm = "drawn" not in name
            row = results[name] = time_urls(client, group, args.rounds, warm=warm)
            print_row(name, row)
    write_results(OUT, "steering", args.label, results)


def main(argv=None) -> None:
    main_of(parse_args, prepare, run, argv)


if __name__ == "__main__":
    main()
