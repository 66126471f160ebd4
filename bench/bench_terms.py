"""Benchmark: time 100,000 term computations with `casework.terms.compute_term`.

Run from the repository root:

    .venv/bin/python bench/bench_terms.py [--n 100000] [--repeat 5] [--strict]

Needs no database. The workload is fixed (seeded): a mix of terms in days,
weeks and months over 2024-2031, three in four with the Atw, one in four with
one or two suspensions, one in ten with an extension, and a few days equated
by Royal Decree. The explanation lines are built in the active language, as
in a request or the `termijn` command. Prints the median seconds per run of
N computations and the computations per second. The target is a median of at
most 1 second for 100,000; --strict exits with status 1 when it is missed.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

TARGET_SECONDS_PER_100K = 1.0

# Days as entered from a Staatscourant Royal Decree (made up for the benchmark).
EQUATED = {
    date(2026, 5, 15): "vrijdag na Hemelvaartsdag (KB)",
    date(2027, 5, 7): "vrijdag na Hemelvaartsdag (KB)",
    date(2028, 5, 26): "vrijdag na Hemelvaartsdag (KB)",
}


def workload(n: int, seed: int = 2026) -> list[tuple[date, dict]]:
    from casework.terms import Suspension

    rng = random.Random(seed)
    first = date(2024, 1, 1).toordinal()
    last = date(2031, 12, 31).toordinal()
    cases = []
    for _ in range(n):
        event = date.fromordinal(rng.randint(first, last))
        unit = rng.random()
        if unit < 0.4:
            kwargs = {"days": rng.randint(1, 120)}
        elif unit < 0.8:
            kwargs = {"weeks": rng.randint(1, 16)}
        else:
            kwargs = {"months": rng.randint(1, 6)}
        kwargs["atw"] = rng.random() < 0.75
        kwargs["extra_holidays"] = EQUATED
        if rng.random() < 0.25:
            suspensions = []
            for _ in range(rng.randint(1, 2)):
                start = event + timedelta(days=rng.randint(1, 20))
                end = start + timedelta(days=rng.randint(0, 30))
                suspensions.append(
                    Suspension(start, end, "Awb 4:15 lid 1 a: aanvulling gevraagd")
                )
            kwargs["suspensions"] = suspensions
        if rng.random() < 0.1:
            kwargs["extension_days"] = rng.randint(1, 42)
            kwargs["extension_reason"] = "Awb 7:10 lid 3: verdaging"
        cases.append((event, kwargs))
    return cases


def run(cases: list[tuple[date, dict]]) -> float:
    from casework.terms import compute_term

    began = time.perf_counter()
    for event, kwargs in cases:
        compute_term(event, **kwargs)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    # terms.py only needs settings for gettext; test_settings supplies a key.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.test_settings")
    import django
    from django.conf import settings
    from django.utils import translation

    django.setup()
    cases = workload(args.n)
    with translation.override(settings.LANGUAGE_CODE):
        run(cases[:1000])  # warm the holiday and template caches
        timings = [run(cases) for _ in range(args.repeat)]

    median = statistics.median(timings)
    target = TARGET_SECONDS_PER_100K * args.n / 100_000
    print(f"compute_term: {args.n} computations x {args.repeat} runs")
    print("runs (s): " + ", ".join(f"{t:.3f}" for t in timings))
    print(f"median: {median:.3f} s ({args.n / median:,.0f} computations/s)")
    print(f"target: <= {target:.3f} s: {'met' if median <= target else 'MISSED'}")
    return 1 if args.strict and median > target else 0


if __name__ == "__main__":
    sys.exit(main())
