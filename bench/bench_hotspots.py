"""Time the hotspot pages (issue 18 items 1 and 6; hotspots/, docs/hotspots.md).

    python bench/bench_hotspots.py --prepare \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m
    python bench/bench_hotspots.py --database-url … --label pg-1m
    python bench/bench_hotspots.py --compare bench/out/hotspots-pg-10k.json \\
        bench/out/hotspots-pg-1m.json

`--prepare` migrates `casework` (the locations' RD coordinates) and
`hotspots`, gives the generated addresses of the demo's areas a point inside
their area and the areas their boundaries (`hotspots.demo`), and rebuilds the
figures and ranks with `hotspots.rebuild.refresh()`, timed (the beat task's
work every 15 minutes). Only databases named casework_bench* or
casework_gen* are accepted.

Each group is one benchmark user (bench/generate.py) through Django's test
Client after force_login, DEBUG off: the ranked list over 60 filter
combinations (all areas and each area; no filter, each family, each signal
source; minimum scores 0 and 5; a second page by keyset), the map over the
areas, 60 different address pages (the user's top addresses), and the areas
page; median, p95, CPU and SQL time and the queries per request. The pages
read only the precomputed `Figure` and `Rank` rows, so the ratio 1M/10k
should be near 1; the target is 50 ms at 1M.
"""

import argparse
import itertools
import os
import sys
import time
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

    from hotspots import demo, rebuild
    from hotspots.models import Area

    call_command("migrate", "casework", verbosity=0)
    call_command("migrate", "hotspots", verbosity=0)
    for name, ring in demo.AREAS.items():
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        Area.objects.update_or_create(
            name=name,
            defaults={
                "boundary": [[ring]], "min_x": min(xs), "min_y": min(ys),
                "max_x": max(xs), "max_y": max(ys),
            },
        )  # fmt: skip
    t = time.perf_counter()
    placed = demo.place_addresses()
    placing = time.perf_counter() - t
    record = rebuild.refresh()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE hotspots_figure")
            cursor.execute("ANALYZE hotspots_rank")
    print(
        f"placed {placed} addresses in {placing:.1f} s; refresh {record.seconds:.1f} s"
        f" ({record.figures} figures, {record.ranks} ranks)"
    )


def urls_for(user) -> dict[str, list[str]]:
    """VALUES URLs per page."""
    from casework.models import Signal
    from hotspots import selectors
    from permissions.figures import figure_scope

    scope = figure_scope(user)
    if scope is None:
        sys.exit(f"{user.username} sees no figures")
    areas = ["", *selectors.area_names()]
    facets = [
        {},
        *({"family": f} for f in selectors.address_families(scope)),
        *({"source": s} for s in Signal.Source.values[:4]),
    ]
    combos = itertools.cycle(itertools.product(areas, facets, (0, 5)))
    lists = []
    for area, facet, minimum in itertools.islice(combos, VALUES):
        query = {"area": area, **facet}
        if minimum:
            query["min_score"] = minimum
        lists.append("/hotspots/?" + urlencode(query))
    top = selectors.ranked(scope, limit=VALUES + 1)
    if len(top) > 26:
        # The second page of the unfiltered list, by keyset.
        lists[-1] = "/hotspots/?" + urlencode(
            {"after": f"{top[24].score}:{top[24].location_id}"}
        )
    addresses = [row.url for row in top[:VALUES]] or ["/hotspots/"]
    maps = [
        "/hotspots/map/?" + urlencode({"area": area})
        for area in itertools.islice(itertools.cycle(areas), VALUES)
    ]
    return {
        "list": lists,
        "map": maps,
        "address": addresses,
        "areas": ["/hotspots/areas/"] * 10,
    }


def run(args) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    results = {}
    for username in args.users.split(","):
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user, backend=BACKEND)
        for page, urls in urls_for(user).items():
            name = f"{page} as {username}"
            row = results[name] = time_urls(client, urls, args.rounds)
            print_row(name, row)
    write_results(OUT, "hotspots", args.label, results)


def main(argv=None) -> None:
    main_of(parse_args, prepare, run, argv)


if __name__ == "__main__":
    main()
