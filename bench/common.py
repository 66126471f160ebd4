"""What the benchmarks share (bench_steering, bench_hotspots, bench_list,
bench_programme, bench_reports): Django on a benchmark database, the load
average printed beside every run, percentiles, and the 10k/1M comparison of
two result files."""

import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

# Databases the benchmarks may write to (bench/generate.py's, and the
# workflow-page runs').
BENCH_PREFIXES = ("casework_bench", "casework_gen", "casework_list")


def setup_django(url: str) -> None:
    """Django on `url`, refused unless it names a benchmark database; DEBUG
    off, no second factor, the test client's host allowed."""
    name = Path(unquote(urlparse(url).path)).name
    if not name.startswith(BENCH_PREFIXES):
        sys.exit(f"refusing {url!r}: use a casework_bench* database")
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = "bench"
    os.environ.setdefault("ACCESS_LOG_KEY", "bench")
    os.environ["DEBUG"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["CASEWORK_OTP_REQUIRED_ROLES"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q * len(ordered)) - 1))]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def compare(small_path: str, large_path: str, *, width: int = 40) -> None:
    """The medians of two runs side by side and their ratio (large/small)."""
    small = json.loads(Path(small_path).read_text())
    large = json.loads(Path(large_path).read_text())
    print(f"{'group':{width}} {small['label']:>10} {large['label']:>10}  ratio")
    for name, row in small["groups"].items():
        other = large["groups"].get(name)
        if other is None:
            continue
        ratio = other["median"] / row["median"] if row["median"] else float("nan")
        medians = f"{row['median']:10.1f} {other['median']:10.1f}"
        print(f"{name:{width}} {medians}  {ratio:5.2f}")


def time_urls(client, urls, rounds, *, warm=True) -> dict:
    """Each URL `rounds` times through the test client (after a warm-up of
    the first five): wall-clock median and p95, the request's CPU and SQL
    medians, the query counts seen. Stops on a status other than 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if warm:
        for url in urls[:5]:
            client.get(url)
    samples, cpu, sql, queries = [], [], [], set()
    for _round in range(rounds):
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                c = time.process_time()
                t = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            if response.status_code != 200:
                sys.exit(f"{url}: {response.status_code}")
            sql.append(sum(float(q["time"]) for q in captured) * 1000)
            queries.add(len(captured))
    return {
        "median": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "cpu": statistics.median(cpu),
        "sql": statistics.median(sql),
        "values": len(urls),
        "requests": len(samples),
        "queries": sorted(queries),
        "example": urls[0],
    }


def print_row(name: str, row: dict) -> None:
    """One group's line as every steering benchmark prints it."""
    print(
        f"{name:40} {row['median']:7.1f} {row['p95']:7.1f}"
        f" cpu {row['cpu']:6.1f} sql {row['sql']:6.1f}"
        f"  n={row['requests']:4} q={row['queries']}",
        flush=True,
    )


def write_results(out_dir: Path, kind: str, label: str, results: dict, **extra):
    """bench/out/<kind>-<label>.json: the groups, the load average, `extra`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{kind}-{label}.json"
    body = {"label": label, **extra, "load": load_average(), "groups": results}
    out.write_text(json.dumps(body, indent=1))
    print(f"wrote {out}")


def main_of(parse_args, prepare, run, argv=None) -> None:
    """The benchmarks' command line: --compare A B, or --database-url with
    --prepare (fill what the generator does not write; `prepare` None: the
    benchmark has none) or a run."""
    args = parse_args(argv)
    if args.compare:
        compare(*args.compare)
        return
    if not args.database_url:
        sys.exit("give --database-url (a casework_bench* database)")
    setup_django(args.database_url)
    if prepare is not None and args.prepare:
        prepare()
        return
    run(args)
