"""Python instructions per request, counted by valgrind: the same for the same
code and data whatever else the machine is doing.

Milliseconds on this machine kind move by tens of percent between runs (a
shared host); the instructions one process executes do not (the same total
twice, once with the other core loaded). This counts them for requests of one
page as one benchmark user: valgrind's callgrind runs the process with its
instrumentation off through start-up and `--warmup` requests, is switched on
for `--requests` requests (spread over the URLs given, as bench/pages.py
spreads them) and off again. The database's own work runs in PostgreSQL and
is not counted; what a change in this project's Python saves is.

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \\
        .venv/bin/python bench/instructions.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m \\
        --user bench_regisseur --case-type PGA --url '/cases/{}/pga/'
    # prints nothing itself; valgrind's last line is the count:
    # ==123== I   refs:      755,050,627     (20 requests)

Run it before and after a change (`git stash`), same arguments: the ratio of
the two counts is the change's share of the page's Python work.
`callgrind_annotate /tmp/cg.out` shows where, by C function.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--user", required=True, help="a benchmark user")
    parser.add_argument(
        "--url",
        action="append",
        required=True,
        help="a page (repeatable); with --case-type, '{}' is the case's reference",
    )
    parser.add_argument(
        "--case-type",
        default="",
        help="fill '{}' of --url with the user's cases of this type, spread "
        "over its list as bench/pages.py spreads them",
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=10)
    return parser.parse_args(argv)


def urls_for(user, args) -> list[str]:
    from bench.pages import case_spread

    if not args.case_type:
        return list(args.url)
    spread = case_spread(user, args.case_type)
    if not spread:
        sys.exit(f"{args.user} is on no {args.case_type} case")
    return [url.format(ref) for ref in spread for url in args.url]


def callgrind(on: bool) -> None:
    """Switch valgrind's instrumentation of this process on or off (nothing
    when not run under valgrind)."""
    subprocess.run(
        ["callgrind_control", "-i", "on" if on else "off", str(os.getpid())],
        capture_output=True,
        check=False,
    )


def main(argv=None) -> None:
    args = parse_args(argv)
    if not args.database_url:
        sys.exit("--database-url or DATABASE_URL is needed")
    from bench.pages import PASSWORD_BACKEND, setup_django

    setup_django(args.database_url)
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username=args.user)
    client = Client()
    client.force_login(user, backend=PASSWORD_BACKEND)
    urls = urls_for(user, args)
    for n in range(args.warmup):
        response = client.get(urls[n % len(urls)])
        if response.status_code != 200:
            sys.exit(f"HTTP {response.status_code} on {urls[n % len(urls)]}")
    callgrind(True)
    for n in range(args.requests):
        client.get(urls[n % len(urls)])
    callgrind(False)


if __name__ == "__main__":
    main()
