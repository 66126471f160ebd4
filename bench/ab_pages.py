"""Compare the headline pages of two code trees, interleaved block by block.

    python bench/ab_pages.py /tmp/casework_head /work/main \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m

On a machine shared with other work the load comes in bursts of seconds to
minutes, longer than one page's run in bench/pages.py, so two whole runs
compared one after the other often measure the bursts, not the code. Here
each tree runs in a worker process of its own (its bench/pages.py sets Django
up from that tree, against the same database); the driver asks the two
workers in turn for --block requests of the same page, --blocks times, so a
burst falls on both. It reports per page the median of all requests of each
tree, the median of the per-block ratios (second/first), and the queries per
request. The pages are those of bench/pages.py without the "(full)" rows
(those need their rows written and rolled back: run bench/pages.py).

Export the "before" tree with `git archive <commit> | tar -x -C DIR`; run
this from a directory outside both trees (an editable install of the project
may otherwise win the import of `workflows`).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PAGES = ("case list", "Mijn werk", "case detail (D0)", "case detail (D10)")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", help="root of the first code tree (before)")
    parser.add_argument("second", help="root of the second code tree (after)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "sqlite:///bench/out/casework_bench_10k.sqlite3"
        ),
    )
    parser.add_argument("--block", type=int, default=10, help="requests per block")
    parser.add_argument("--blocks", type=int, default=20, help="blocks per tree")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--users", default="bench_2pct,bench_03pct,bench_20")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", default="", help="write the results here")
    return parser.parse_args(argv)


def worker(args) -> None:
    """Serve "user|page|n" lines on stdin with a JSON line of n timings."""
    root = Path(args.first).resolve()
    sys.path.insert(0, str(root))
    from bench import pages  # this tree's

    pages.setup_django(args.database_url)
    pages.migrate_if_needed()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from permissions.models import CaseAccess

    clients, urls = {}, {}
    for username in args.users.split(","):
        user = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(user)
        clients[username] = client
        urls[(username, "case list")] = "/cases/"
        urls[(username, "Mijn werk")] = "/"
        for cls in ("D0", "D10"):
            row = (
                CaseAccess.objects.filter(user=user, data_class=cls)
                .order_by("-sort_key", "-case_id")
                .select_related("case")
                .first()
            )
            if row is not None:
                urls[(username, f"case detail ({cls})")] = (
                    f"/cases/{row.case.reference}/"
                )

    def get(username, page):
        response = clients[username].get(urls[(username, page)])
        if response.status_code != 200:
            raise RuntimeError(f"{username} {page}: HTTP {response.status_code}")

    print(json.dumps(sorted(f"{u}|{p}" for u, p in urls)), flush=True)
    for line in sys.stdin:
        username, page, n = line.rstrip("\n").split("|")
        if n == "queries":
            with CaptureQueriesContext(connection) as ctx:
                get(username, page)
            print(json.dumps(len(ctx.captured_queries)), flush=True)
            continue
        wall, cpu = [], []
        for _ in range(int(n)):
            c = time.process_time()
            t = time.perf_counter()
            get(username, page)
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        print(json.dumps([wall, cpu]), flush=True)


class Worker:
    def __init__(self, root: str, args):
        command = [
            sys.executable, os.path.abspath(__file__), root, root, "--worker",
            "--database-url", args.database_url, "--users", args.users,
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.pages = set(json.loads(self.process.stdout.readline()))

    def ask(self, username: str, page: str, n):
        self.process.stdin.write(f"{username}|{page}|{n}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.worker:
        worker(args)
        return
    first, second = Worker(args.first, args), Worker(args.second, args)
    print(f"load average at start: {load_average()}", flush=True)
    results = []
    try:
        for username in args.users.split(","):
            for page in PAGES:
                key = f"{username}|{page}"
                if key not in first.pages or key not in second.pages:
                    continue
                for w in (first, second):
                    w.ask(username, page, args.warmup)
                samples = {0: ([], []), 1: ([], [])}
                ratios = []
                for block in range(args.blocks):
                    # Alternate who goes first, so neither always follows the
                    # other's cache and connection state.
                    order = (0, 1) if block % 2 == 0 else (1, 0)
                    medians = {}
                    for side in order:
                        w = (first, second)[side]
                        wall, cpu = w.ask(username, page, args.block)
                        samples[side][0].extend(wall)
                        samples[side][1].extend(cpu)
                        medians[side] = statistics.median(wall)
                    ratios.append(medians[1] / medians[0])
                row = {
                    "user": username,
                    "page": page,
                    "first_ms": statistics.median(samples[0][0]),
                    "second_ms": statistics.median(samples[1][0]),
                    "first_cpu": statistics.median(samples[0][1]),
                    "second_cpu": statistics.median(samples[1][1]),
                    "ratio": statistics.median(ratios),
                    "first_queries": first.ask(username, page, "queries"),
                    "second_queries": second.ask(username, page, "queries"),
                }
                results.append(row)
                print(
                    f"  {username:<12} {page:<18} {row['first_ms']:6.2f} → "
                    f"{row['second_ms']:6.2f} ms  ×{row['ratio']:.2f}  CPU "
                    f"{row['first_cpu']:5.2f} → {row['second_cpu']:5.2f} ms  "
                    f"queries {row['first_queries']} → {row['second_queries']}",
                    flush=True,
                )
    finally:
        first.close()
        second.close()
    print(f"load average at end: {load_average()}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
