"""Time the programme monitor's pages (issue 18 items 4 and 6; programme/,
docs/programme.md).

    python bench/bench_programme.py --prepare \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m
    python bench/bench_programme.py --database-url … --label pg-1m
    python bench/bench_programme.py --compare bench/out/programme-pg-10k.json \\
        bench/out/programme-pg-1m.json

`--prepare` creates the programme tables (`migrate programme`) and writes 60
programmes, each the demo's work plan "Focus op Urgentie april 2020 – april
2021" (`programme.demo`: ten projects, ten budget lines, goals, readings,
milestones, commitments and spending, governance), owned by Gemeente Venlo
with the police and the OM as partners, through the same services as the
demo; it is idempotent (programmes already there are kept). Only databases
named casework_bench* or casework_gen* are accepted (bench/common.py).

Each group is one user opening 60 different pages through Django's test
Client after force_login, DEBUG off: the 60 programme pages, and one project
page of each programme (a different project each time), each asked
`--rounds` times after a warm-up; median, p95, CPU and SQL time and the
queries per request. A coordinator of the gemeente sees the budget and the
forms; a police partner sees projects, goals and milestones without money.

The programme data does not grow with the cases: no query of these pages
touches a case, a signal or the access log, so the ratio 1M/10k should be
near 1 (the target is 50 ms at 1M).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    load_average,
    main_of,
    print_row,
    time_urls,
    write_results,
)

OUT = ROOT / "bench" / "out"
VALUES = 60
BACKEND = "django.contrib.auth.backends.ModelBackend"
GEMEENTE = "Gemeente Venlo"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--label", default="")
    parser.add_argument("--rounds", type=int, default=3, help="requests per page")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "LARGE"))
    return parser.parse_args(argv)


def _member(role: str, organisation: str):
    """The first person (not an API client's service account) of the role
    and organisation who sees steering figures."""
    from permissions.figures import figure_scope
    from permissions.models import Membership

    for membership in (
        Membership.objects.select_related("user")
        .filter(role=role, organisation__name=organisation, user__is_active=True)
        .order_by("user__username")
    ):
        if figure_scope(membership.user) is not None:
            return membership.user
    sys.exit(f"no active {role} of {organisation} who sees figures")


def prepare() -> None:
    """60 copies of the demo's work plan; every user the seeder names is the
    gemeente's coordinator (owners of projects, the one who books)."""
    import random
    from collections import defaultdict
    from datetime import date

    from django.core.management import call_command
    from django.db import transaction

    from casework.demo import Demo
    from permissions.models import Organisation
    from programme import demo as work_plan
    from programme.models import Programme

    call_command("migrate", "programme", verbosity=0)
    coordinator = _member("coordinator", GEMEENTE)
    orgs = {o.name: o for o in Organisation.objects.all()}
    missing = {GEMEENTE, *work_plan.PARTNERS} - set(orgs)
    if missing:
        sys.exit(f"missing organisations: {sorted(missing)}")
    users = defaultdict(lambda: coordinator)
    base = work_plan.NAME
    t = time.perf_counter()
    made = 0
    for n in range(VALUES):
        name = base if n == 0 else f"{base} #{n + 1}"
        if Programme.objects.filter(name=name).exists():
            continue
        work_plan.NAME = name
        try:
            with transaction.atomic():
                work_plan.seed(
                    Demo(
                        rng=random.Random(n),
                        today=date.today(),
                        users=users,
                        orgs=orgs,
                    )
                )
        finally:
            work_plan.NAME = base
        made += 1
    print(
        f"{made} programmes written in {time.perf_counter() - t:.1f} s; "
        f"{Programme.objects.count()} in the database"
    )


def urls() -> dict[str, list[str]]:
    from programme.models import Programme, Project

    programmes = list(Programme.objects.order_by("pk").values_list("pk", flat=True))
    if len(programmes) < VALUES:
        sys.exit(f"{len(programmes)} programmes: run --prepare first")
    programmes = programmes[:VALUES]
    projects = []
    for n, pk in enumerate(programmes):
        ids = list(
            Project.objects.filter(programme_id=pk)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        projects.append(ids[n % len(ids)])
    return {
        "programme page": [f"/programme/{pk}/" for pk in programmes],
        "project page": [f"/programme/projects/{pk}/" for pk in projects],
    }


def run(args) -> None:
    from django.test import Client

    from casework.models import Case

    cases = Case.objects.count()
    print(f"{cases} cases; load {load_average()}")
    results = {}
    pages = urls()
    for who, role, organisation in (
        ("coordinator", "coordinator", GEMEENTE),
        ("police", "partner", "Politie Eenheid Limburg"),
    ):
        user = _member(role, organisation)
        client = Client()
        client.force_login(user, backend=BACKEND)
        for page, group in pages.items():
            name = f"{page} as {who}"
            row = results[name] = time_urls(client, group, args.rounds)
            print_row(name, row)
    write_results(OUT, "programme", args.label, results, cases=cases)


def main(argv=None) -> None:
    main_of(parse_args, prepare, run, argv)


if __name__ == "__main__":
    main()
