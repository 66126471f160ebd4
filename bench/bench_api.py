"""Time the partner API's case list: a client's cases over HTTP, by cursor.

    python bench/bench_api.py \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m

On a database of bench/generate.py: an API client for `bench_politie`'s
organisation (the police, a contributor on many cases through its 36 people)
is made if missing (`bench-politie-api`, every scope; its secret is drawn
here and forgotten), a token is fetched from the real token endpoint, and
GET /api/v1/cases/ is requested through Django's test Client with the bearer
token (authentication, middleware, the decision point's keyset query on the
organisation's team rows, serialisation; DEBUG off) for 60 different pages:
the first page and the pages its cursors lead to, then pages filtered by
case type, until 60 distinct URLs are collected. Each URL is requested once
to warm up, then --repeat rounds over all 60 are timed. Prints the median
and p95 (target: median <= 15 ms at 1M cases, issue 17), the queries per
request and the plan of the page's keyset query (bench/out/plans/api/).
"""

import base64
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402
    OUT,
    load_average,
    parse_args,
    percentile,
    setup_django,
)

PAGES = 60
CLIENT_NAME = "bench-politie-api"
SCOPES = [
    "signals:write", "signals:read", "cases:read", "tasks:read", "tasks:write",
    "deadlines:read", "documents:read",
]  # fmt: skip


def migrate_api() -> None:
    """The api app's tables and its index on the team rows (and what they
    depend on: django-oauth-toolkit's tables), nothing else: the generated
    data stays as it was made."""
    from django.core.management import call_command

    for app in ("oauth2_provider", "api"):
        call_command("migrate", app, interactive=False, verbosity=0, skip_checks=True)


def bench_client():
    """The bench's API client of bench_politie's organisation, with a fresh
    secret (made if missing; an existing one gets a new secret)."""
    from django.contrib.auth import get_user_model

    from oauth2_provider.generators import generate_client_secret

    from api.models import ApiClient
    from api.services import client_create
    from permissions.models import Role

    person = (
        get_user_model()
        .objects.select_related("membership")
        .get(username="bench_politie")
    )
    organisation = person.membership.organisation
    client = ApiClient.objects.filter(name=CLIENT_NAME).first()
    if client is None:
        client, secret = client_create(
            name=CLIENT_NAME, organisation=organisation, role=Role.PARTNER,
            scopes=SCOPES,
        )  # fmt: skip
        print(f"made API client {CLIENT_NAME} for {organisation}")
        return client, secret
    secret = generate_client_secret()
    application = client.application
    application.client_secret = secret
    application.save()
    return client, secret


def token(http, client, secret) -> str:
    auth = base64.b64encode(f"{client.application.client_id}:{secret}".encode())
    response = http.post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {auth.decode()}",
    )
    if response.status_code != 200:
        sys.exit(f"no token: {response.status_code} {response.content[:200]!r}")
    return response.json()["access_token"]


def collect_urls(http, headers) -> list[str]:
    """60 different pages: the cursor chain of the whole list, then of each
    case type, each URL once."""
    urls: list[str] = []
    for base in ("/api/v1/cases/?", *(f"/api/v1/cases/?type={t}&" for t in
                                       ("LOD", "IC", "PGA", "BIB"))):  # fmt: skip
        url = base.rstrip("&?")
        while url and len(urls) < PAGES:
            response = http.get(url, **headers)
            if response.status_code != 200:
                sys.exit(f"{url}: {response.status_code} {response.content[:300]!r}")
            urls.append(url)
            following = response.json()["next"]
            url = f"{base}cursor={following}" if following else ""
        if len(urls) >= PAGES:
            break
    return urls


def explain(user) -> str:
    """The plan of the first page's keyset query."""
    from django.db import connection

    from permissions.selectors import visible_case_keys

    query = visible_case_keys(user)[:51]
    sql, params = query.query.sql_with_params()
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else ("EXPLAIN QUERY PLAN ")
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())


def main(argv=None) -> None:
    args = parse_args(argv)
    setup_django(args.database_url, args.client_binding)
    migrate_api()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from permissions.models import CaseAccess

    client, secret = bench_client()
    http = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token(http, client, secret)}"}
    rows = CaseAccess.objects.filter(organisation_id=client.organisation_id).count()
    print(
        f"{connection.settings_dict['NAME']}: {client.organisation} has {rows} team "
        f"rows; load average {load_average()}"
    )
    urls = collect_urls(http, headers)
    print(f"{len(urls)} different pages; {args.repeat} rounds after a warm-up")
    with CaptureQueriesContext(connection) as capture:
        http.get(urls[-1], **headers)
    # Kept now: a capture is a slice of the connection's log, which every
    # later request empties (Django's `reset_queries` on request_started).
    queries = list(capture.captured_queries)
    samples = []
    for _round in range(max(1, args.repeat // 10)):
        for url in urls:
            started = time.perf_counter()
            response = http.get(url, **headers)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    plan = explain(client.user)
    label = args.label or Path(connection.settings_dict["NAME"]).name
    plans = OUT / "plans" / "api"
    plans.mkdir(parents=True, exist_ok=True)
    (plans / f"{label}-case-keys.txt").write_text(plan + "\n")
    print(
        f"GET /api/v1/cases/ as {CLIENT_NAME}: median "
        f"{statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms "
        f"over {len(samples)} requests ({len(urls)} pages); "
        f"{len(queries)} queries per request"
    )
    for query in queries:
        print(f"  {query['time']} s  {query['sql'][:160]}")
    print(f"load average at end: {load_average()}; plan in {plans.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
