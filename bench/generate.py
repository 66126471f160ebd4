"""Generate a fictional municipality at scale for the performance benchmarks.

    python bench/generate.py --cases 1000000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m

Organisations, about 200 users with their role, N cases of the four case types
with parties, locations, history and case teams. A case team is written exactly
as `permissions.services.team_add` writes it, in bulk: one `CaseAccess` row per
member (the list index) and the guardian grants `view_case` (+ `change_case`
for owners and members). Three jurists are the benchmark users:

    bench_2pct   on the team of 2 % of all cases
    bench_03pct  on the team of 0.3 % of all cases
    bench_20     on the team of exactly 20 cases

Every person, company and address is made up. The output is deterministic for
a given --cases and --seed. On PostgreSQL the rows go in with COPY, in chunks,
with foreign-key triggers off for the loading session only (the generator
writes consistent ids itself); the schema, its indexes and its constraints stay
as the migrations made them. VACUUM ANALYZE runs at the end.

The database is created when missing and migrated. A database that already
holds cases is refused unless --reset, which empties the generated tables.
Only databases named casework_bench* are written to.
"""

import argparse
import os
import queue
import random
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BENCH_PREFIX = "casework_bench"
BENCH_PASSWORD = "bench"  # noqa: S105 - fictional benchmark users only
CHUNK = 25_000  # cases per COPY round and transaction

# (username, share of all cases or an exact count)
BENCH_USERS = [
    ("bench_2pct", 0.02),
    ("bench_03pct", 0.003),
    ("bench_20", 20),
]

TZ = ZoneInfo("Europe/Amsterdam")
START = datetime(2017, 1, 1, 8, 0, tzinfo=TZ).timestamp()
END = datetime(2026, 11, 1, 8, 0, tzinfo=TZ).timestamp()
DAY = 86_400.0

# key, name, kind
ORGANISATIONS = [
    ("gemeente", "Gemeente Venlo", "gemeente"),
    ("politie", "Politie Eenheid Limburg", "politie"),
    ("om", "Openbaar Ministerie Limburg", "om"),
    ("belasting", "Belastingdienst Zuid", "belastingdienst"),
    ("riec", "RIEC Limburg", "riec"),
    ("zvh", "Zorg- en Veiligheidshuis Noord-Limburg", "zvh"),
    ("brandweer", "Brandweer Limburg-Noord", "brandweer"),
    ("woning", "Woningstichting Maasoever", "woningcorporatie"),
    ("netbeheer", "Netbeheer Zuid", "netbeheerder"),
    ("inspectie", "Nederlandse Arbeidsinspectie", "inspectie"),
]

# organisation key, role, number of users (204 with the benchmark users)
STAFF = [
    ("gemeente", "jurist", 30),
    ("gemeente", "bibob", 8),
    ("gemeente", "coordinator", 10),
    ("gemeente", "casusregisseur", 10),
    ("gemeente", "toezicht", 32),
    ("gemeente", "burgemeester", 2),
    ("gemeente", "invordering", 6),
    ("gemeente", "fg", 2),
    ("gemeente", "beheerder", 2),
    ("politie", "partner", 36),
    ("om", "partner", 12),
    ("belasting", "partner", 12),
    ("riec", "partner", 8),
    ("zvh", "casusregisseur", 10),
    ("zvh", "partner", 8),
    ("brandweer", "partner", 6),
    ("woning", "partner", 3),
    ("netbeheer", "partner", 2),
    ("inspectie", "partner", 2),
]

CASE_TYPE_WEIGHTS = [("LOD", 0.35), ("IC", 0.30), ("BIB", 0.15), ("PGA", 0.20)]

FIRST = (
    "Jan Fleur Ruud Sanne Mohamed Eva Kevin Lotte Yusuf Anouk Dennis Noor Rik Iris "
    "Bilal Maud Sem Lieke Thijs Fatima Bas Roos Luuk Esra Niels Jasmijn Stijn Ilse "
    "Koen Merel Hakan Femke Joep Demi Twan Nadia Gijs Wendy Pim Amber"
).split()
LAST = [
    "Verheggen", "Hermans", "Janssen", "Vrijhoef", "Smeets", "El Amrani", "Peeters",
    "Hendrikx", "Willems", "Jacobs", "Gommans", "Steeghs", "Van den Beuken",
    "Kurvers", "Linssen", "Yilmaz", "Coenen", "Driessen", "Bouten", "Van Rens",
    "Seelen", "Thijssen", "Cuppen", "Nelissen", "Rutten", "Van Dijk", "Bakker",
    "Aydin", "Derix", "Kessels",
]  # fmt: skip
COMPANY_WORDS = (
    "Maas Venlo Blerick Tegelen Limburg Noord Zuid Grens Euregio Kasteel Molen "
    "Brug Haven Markt Park Groen Zon Ster Kroon Lounge"
).split()
COMPANY_KINDS = (
    "Shisha Lounge|Autohandel|Nagelstudio|Snackbar|Kapsalon|Belwinkel|Opslag|"
    "Transport|Coffeeshop|Wasstraat|Café|Bouwbedrijf|Vastgoed|Minimarkt|Barbershop"
).split("|")
LEGAL_FORMS = [
    ("B.V.", "Besloten vennootschap"),
    ("", "Eenmanszaak"),
    ("V.O.F.", "Vennootschap onder firma"),
    ("Stichting", "Stichting"),
]
STREETS = [
    "Antoniuslaan", "Kloosterstraat", "Vastenavondkampweg", "Carnavalsweg",
    "Prinsenhof", "Nolensplein", "Sint Martinusstraat", "Vleesstraat", "Hogeweg",
    "Stalberg", "Maasbreeseweg", "Kerkstraat", "Industriestraat", "Grotestraat",
    "Kaldenkerkerweg", "Eindhovenseweg", "Straelseweg", "Hagerhofweg", "Parade",
    "Lomstraat", "Gasthuisstraat", "Tegelseweg", "Hanssumseweg", "Burgemeester "
    "Bloemartsstraat", "Pastoor Kuijpersstraat", "Deken van Oppensingel",
]  # fmt: skip
# postcode area → (town, neighbourhood)
AREAS = {
    **{pc: ("Venlo", "Venlo-Centrum") for pc in range(5911, 5913)},
    **{pc: ("Venlo", "Venlo-Oost") for pc in range(5913, 5917)},
    **{pc: ("Venlo", "Venlo-Zuid") for pc in range(5917, 5921)},
    **{pc: ("Blerick", "Blerick") for pc in range(5921, 5925)},
    **{pc: ("Blerick", "Vastenavondkamp") for pc in range(5925, 5929)},
    **{pc: ("Tegelen", "Tegelen") for pc in range(5930, 5933)},
    5935: ("Steyl", "Steyl"),
    5941: ("Velden", "Velden"),
    5944: ("Arcen", "Arcen"),
    5951: ("Belfeld", "Belfeld"),
}
LETTER_PAIRS = [
    a + b
    for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if a + b not in {"SA", "SD", "SS"}
]

LOD_TITLES = [
    "Drugshandel vanuit woning",
    "Hennepkwekerij",
    "Drugsopslag in bedrijfspand",
    "Synthetisch drugslab",
    "Handel in harddrugs vanuit lokaal",
]
IC_TITLES = [
    "Integrale controle",
    "Controle bedrijfsverzamelgebouw",
    "Controle horecapand",
    "Controle bewoning en inschrijving",
]
BIB_TITLES = [
    "Exploitatievergunning",
    "Drank- en horecavergunning",
    "Omgevingsvergunning bouwen",
    "Speelautomatenvergunning",
]
PGA_TITLES = ["Persoonsgerichte aanpak", "PGA Top X", "PGA jongere"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, required=True, help="number of cases")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="postgresql://…/casework_bench_… or sqlite:///bench/out/"
        "casework_bench_….sqlite3 (default: DATABASE_URL, else a SQLite file "
        "under bench/out/ named after --cases)",
    )
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument(
        "--reset", action="store_true", help="empty the generated tables first"
    )
    parser.add_argument("--chunk", type=int, default=CHUNK, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def database_name(url: str) -> str:
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(url).path)).name


def prepare_database(url: str) -> None:
    """Refuse anything but a casework_bench* database; create it when missing."""
    from urllib.parse import urlparse

    name = database_name(url)
    if not name.startswith(BENCH_PREFIX):
        sys.exit(f"refusing {url!r}: the database name must start with {BENCH_PREFIX}")
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # The same reading as casework.settings: sqlite:///relative/to/repo,
        # sqlite:////absolute/path.
        if parsed.path.startswith("//"):
            path = Path(parsed.path[1:])
        else:
            path = ROOT / parsed.path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    # System checks import the URLconf, which may be mid-edit; the schema does
    # not depend on it.
    call_command("migrate", interactive=False, verbosity=0, skip_checks=True)


# --------------------------------------------------------------------------
# Writers: COPY on PostgreSQL, executemany on SQLite.


class PgWriter:
    """COPY in a worker thread: while PostgreSQL takes chunk k, the main thread
    builds chunk k+1 (the two cores are the client and the server)."""

    def __init__(self, connection):
        self.raw = connection.connection
        with self.raw.cursor() as cur:
            # Foreign keys are consistent by construction; their per-row
            # triggers would double the load time. Session-only.
            cur.execute("SET session_replication_role = replica")
            cur.execute("SET synchronous_commit = off")
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.seconds: dict[str, tuple[float, int]] = {}
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue
            try:
                with self.raw.transaction():
                    for table, columns, rows in batch:
                        self._copy(table, columns, rows)
            except BaseException as exc:  # noqa: BLE001 - re-raised in submit
                self.error = exc

    def _copy(self, table: str, columns: list[str], rows) -> None:
        cols = ", ".join(columns)
        t = time.perf_counter()
        with self.raw.cursor() as cur:
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        spent, count = self.seconds.get(table, (0.0, 0))
        self.seconds[table] = (spent + time.perf_counter() - t, count + len(rows))

    def submit(self, batch) -> None:
        """Queue one transaction's worth of (table, columns, rows)."""
        self._raise()
        self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        self._raise()
        for table, (spent, count) in self.seconds.items():
            print(f"  COPY {table:<40} {count:>11,} rows {spent:7.1f} s")

    def _raise(self) -> None:
        if self.error is not None:
            raise RuntimeError("COPY failed") from self.error

    @staticmethod
    def when(epoch: float) -> datetime:
        return datetime.fromtimestamp(epoch, UTC)


class SqliteWriter:
    def __init__(self, connection):
        self.raw = connection.connection

    def submit(self, batch) -> None:
        with transaction_atomic():
            for table, columns, rows in batch:
                marks = ", ".join("?" for _ in columns)
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                self.raw.executemany(sql, rows)

    def close(self) -> None:
        pass

    @staticmethod
    def when(epoch: float) -> datetime:
        # Django stores naive UTC on SQLite.
        return datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------


def generated_tables(connection) -> list[str]:
    """Every table the generator (or a benchmark run) writes to, and the tables
    that refer to them: everything but content types, permissions, groups and
    the migration record."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    keep = {
        Permission._meta.db_table,
        Group._meta.db_table,
        Group.permissions.through._meta.db_table,
    }
    existing = set(connection.introspection.table_names())
    tables = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if (
            model._meta.app_label != "contenttypes"
            and not model._meta.proxy
            and model._meta.managed
            and table not in keep
            and table in existing
            and table not in tables
        ):
            tables.append(table)
    return tables


def reset(connection) -> None:
    tables = generated_tables(connection)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        else:
            cur.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cur.execute(f'DELETE FROM "{table}"')
            cur.execute("DELETE FROM sqlite_sequence")
            cur.execute("PRAGMA foreign_keys = ON")
    print(f"reset: emptied {len(tables)} tables")


def check_columns(model, columns: list[str]) -> None:
    """Fail loudly when the model gained a required column this file does not
    fill (the schema belongs to the app, not to the generator)."""
    for field in model._meta.concrete_fields:
        if field.column in columns or field.primary_key:
            continue
        has_default = getattr(field, "db_default", None) is not None and (
            type(field.db_default).__name__ != "NOT_PROVIDED"
        )
        if not field.null and not has_default:
            sys.exit(
                f"{model._meta.db_table}.{field.column} is required but "
                "bench/generate.py does not fill it: update the generator"
            )


def next_id(connection, table: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cur.fetchone()[0] + 1


def bsn(rng: random.Random) -> str:
    """A random nine-digit number that passes the elfproef."""
    while True:
        digits = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


class Generator:
    def __init__(self, n: int, seed: int, chunk: int):
        self.n = n
        self.seed = seed
        self.writer = None
        self.chunk = chunk
        self.rows = 0
        self.t0 = time.perf_counter()

    def progress(self, what: str, done: int, total: int) -> None:
        elapsed = time.perf_counter() - self.t0
        rate = self.rows / elapsed if elapsed else 0
        print(
            f"  {what:<10} {done:>9,}/{total:<9,} rows {self.rows:>12,} "
            f"{rate:>9,.0f} rows/s  {elapsed:7.1f} s",
            flush=True,
        )

    def submit(self, batch) -> None:
        """Hand one transaction of (model, columns, rows) to the writer."""
        tables = []
        for model, columns, rows in batch:
            rows = list(rows)
            self.rows += len(rows)
            tables.append((model._meta.db_table, columns, rows))
        self.writer.submit(tables)

    # -- people ------------------------------------------------------------

    def people(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.hashers import make_password
        from django.contrib.auth.models import Permission

        from permissions.models import Membership, Organisation

        User = get_user_model()
        wanted = [name for name, *_ in ORGANISATIONS]
        if (
            Organisation.objects.filter(
                name__in=[n for _k, n, _ in ORGANISATIONS]
            ).exists()
            or User.objects.filter(username__startswith="bench_").exists()
        ):
            sys.exit("the database already holds generated people: use --reset")
        orgs = Organisation.objects.bulk_create(
            [Organisation(name=name, kind=kind) for _key, name, kind in ORGANISATIONS]
        )
        self.org_id = {key: org.pk for key, org in zip(wanted, orgs, strict=True)}
        password = make_password(BENCH_PASSWORD, salt="caseworkbench")
        rng = random.Random(self.seed)
        specs = []
        for org_key, role, count in STAFF:
            for k in range(1, count + 1):
                specs.append((f"{org_key}.{role}{k:02d}", org_key, role))
        for username, _share in BENCH_USERS:
            specs.append((username, "gemeente", "jurist"))
        users = User.objects.bulk_create(
            [
                User(
                    username=username,
                    first_name=rng.choice(FIRST),
                    last_name=rng.choice(LAST),
                    password=password,
                    date_joined=datetime(2016, 12, 1, tzinfo=UTC),
                )
                for username, _org, _role in specs
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=user, organisation_id=self.org_id[org], role=role)
                for user, (_u, org, role) in zip(users, specs, strict=True)
            ]
        )
        # (user id, organisation id) per (organisation key, role)
        self.pool: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self.bench: dict[str, tuple[int, int]] = {}
        for user, (username, org, role) in zip(users, specs, strict=True):
            entry = (user.pk, self.org_id[org])
            if username.startswith("bench_"):
                self.bench[username] = entry
            else:
                self.pool.setdefault((org, role), []).append(entry)
        self.rows += len(orgs) + 2 * len(users)
        perms = Permission.objects.filter(
            content_type__app_label="casework",
            codename__in=["view_case", "change_case"],
        )
        codes = {p.codename: p.pk for p in perms}
        self.view_perm, self.change_perm = codes["view_case"], codes["change_case"]
        print(f"people: {len(orgs)} organisations, {len(users)} users")

    def id_bases(self, connection) -> None:
        """First free ids, read before the COPY thread takes the connection."""
        from casework.models import Case, Location, Party

        self.party_base = next_id(connection, Party._meta.db_table)
        self.location_base = next_id(connection, Location._meta.db_table)
        self.case_base = next_id(connection, Case._meta.db_table)

    # -- parties and locations ----------------------------------------------

    def parties(self) -> None:
        from casework.models import Party

        rng = random.Random(self.seed + 1)
        self.n_persons = max(60, self.n * 35 // 100)
        self.n_companies = max(30, self.n * 15 // 100)
        self.party_names: list[str] = []
        cols = ["id", "kind", "name", "date_of_birth", "bsn", "kvk_number"]
        cols.append("legal_form")
        check_columns(Party, cols)
        total = self.n_persons + self.n_companies
        pid = self.party_base

        def rows(lo, hi):
            nonlocal pid
            for k in range(lo, hi):
                if k < self.n_persons:
                    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                    dob = date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
                    number = bsn(rng) if rng.random() < 0.6 else ""
                    row = (pid, "person", name, dob, number, "", "")
                else:
                    suffix, form = rng.choice(LEGAL_FORMS)
                    name = (
                        f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_WORDS)}"
                        f" {suffix}"
                    ).strip()
                    kvk = str(rng.randrange(10_000_000, 100_000_000))
                    row = (pid, "company", name, None, "", kvk, form)
                self.party_names.append(name)
                pid += 1
                yield row

        for lo in range(0, total, self.chunk * 2):
            hi = min(total, lo + self.chunk * 2)
            self.submit([(Party, cols, rows(lo, hi))])
            self.progress("parties", hi, total)

    def locations(self) -> None:
        from casework.models import Location

        rng = random.Random(self.seed + 2)
        self.n_locations = max(60, self.n * 45 // 100)
        cols = ["id", "street", "postcode", "house_number", "addition", "city"]
        cols += ["area", "bag_id"]
        check_columns(Location, cols)
        postcodes = [(pc, pair) for pc in AREAS for pair in LETTER_PAIRS]
        rng.shuffle(postcodes)
        self.location_labels: list[str] = []
        total = self.n_locations
        n_streets = len(STREETS)

        def rows(lo, hi):
            for k in range(lo, hi):
                p = k % len(postcodes)
                number, pair = postcodes[p]
                house = 1 + k // len(postcodes)
                town, area = AREAS[number]
                street = STREETS[p % n_streets]
                addition = "A" if rng.random() < 0.05 else ""
                self.location_labels.append(f"{street} {house}{addition}")
                yield (
                    self.location_base + k,
                    street,
                    f"{number} {pair}",
                    house,
                    addition,
                    town,
                    area,
                    f"0983010{k:09d}",
                )

        for lo in range(0, total, self.chunk * 2):
            hi = min(total, lo + self.chunk * 2)
            self.submit([(Location, cols, rows(lo, hi))])
            self.progress("locations", hi, total)

    # -- cases -------------------------------------------------------------

    def plan(self) -> None:
        """Case types for all cases, and which cases the benchmark users join."""
        rng = random.Random(self.seed + 3)
        types, weights = zip(*CASE_TYPE_WEIGHTS, strict=True)
        self.types = rng.choices(types, weights=weights, k=self.n)
        readable = [i for i, t in enumerate(self.types) if t != "BIB"]
        self.bench_cases: dict[int, list[str]] = {}
        for username, share in BENCH_USERS:
            k = share if isinstance(share, int) else round(self.n * share)
            k = min(k, len(readable))
            for i in rng.sample(readable, k):
                self.bench_cases.setdefault(i, []).append(username)
        self.bench_counts = {
            username: sum(username in v for v in self.bench_cases.values())
            for username, _ in BENCH_USERS
        }

    def cases(self) -> None:
        from casework.models import Case, CaseEvent, CaseLocation, CaseParty
        from casework.registry import registry
        from permissions.models import CaseAccess, CaseUserObjectPermission

        PROXIES = {code: e.proxy for code, e in registry.case_types.items()}
        DEFAULT_DATA_CLASS = {
            code: e.default_data_class for code, e in registry.case_types.items()
        }

        rng = random.Random(self.seed + 4)
        when = self.writer.when
        case_cols = ["id", "reference", "case_type", "status", "title", "data_class"]
        case_cols += ["responsible_organisation_id", "parent_id", "opened_at"]
        case_cols += ["closed_at", "created_by_id"]
        party_cols = ["case_id", "party_id", "role"]
        location_cols = ["case_id", "location_id", "role"]
        event_cols = ["case_id", "at", "actor_id", "kind", "from_status"]
        event_cols += ["to_status", "note"]
        access_cols = ["user_id", "case_id", "organisation_id", "team_role"]
        access_cols += ["sort_key", "case_type", "data_class", "added_at"]
        perm_cols = ["permission_id", "user_id", "content_object_id"]
        for model, cols in [
            (Case, case_cols),
            (CaseParty, party_cols),
            (CaseLocation, location_cols),
            (CaseEvent, event_cols),
            (CaseAccess, access_cols),
            (CaseUserObjectPermission, perm_cols),
        ]:
            check_columns(model, cols)

        statuses = {t: [c for c, _ in PROXIES[t].Status.choices] for t in PROXIES}
        initial = {t: str(PROXIES[t].INITIAL) for t in PROXIES}
        terminal = {t: {str(s) for s in PROXIES[t].TERMINAL} for t in PROXIES}
        data_class = {str(t): c for t, c in DEFAULT_DATA_CLASS.items()}
        pool = self.pool
        jurists = pool["gemeente", "jurist"]
        toezicht = pool["gemeente", "toezicht"]
        bibob = pool["gemeente", "bibob"]
        coordinators = pool["gemeente", "coordinator"]
        regisseurs = pool["gemeente", "casusregisseur"] + pool["zvh", "casusregisseur"]
        mayors = pool["gemeente", "burgemeester"]
        politie = pool["politie", "partner"]
        om = pool["om", "partner"]
        zvh = pool["zvh", "partner"]
        ic_partners = [
            (0.5, politie),
            (0.3, pool["belasting", "partner"]),
            (0.2, pool["brandweer", "partner"]),
            (0.1, pool["woning", "partner"]),
            (0.05, pool["netbeheer", "partner"]),
            (0.05, pool["inspectie", "partner"]),
        ]
        gemeente, zvh_org = self.org_id["gemeente"], self.org_id["zvh"]
        view, change = self.view_perm, self.change_perm
        persons = (self.party_base, self.party_base + self.n_persons)
        companies = (persons[1], persons[1] + self.n_companies)
        names, labels = self.party_names, self.location_labels
        loc_base, n_loc = self.location_base, self.n_locations
        bench, bench_cases = self.bench, self.bench_cases

        # Local-year boundaries for "YYYY-TYPE-NNNN" (references number by the
        # Amsterdam calendar year, as casework.services.reference_next does).
        years = {y: datetime(y, 1, 1, tzinfo=TZ).timestamp() for y in range(2016, 2028)}
        self.counters: dict[tuple[str, int], int] = {}
        counters = self.counters
        step = (END - START) / self.n
        case_base = self.case_base
        last_ic = None
        year = 2016
        rnd, choice, randrange = rng.random, rng.choice, rng.randrange

        for lo in range(0, self.n, self.chunk):
            hi = min(self.n, lo + self.chunk)
            cases, parties, locations, events, access, perms = [], [], [], [], [], []
            for i in range(lo, hi):
                cid = case_base + i
                ctype = self.types[i]
                t = START + step * i + rnd() * step * 0.9
                while year + 1 in years and t >= years[year + 1]:
                    year += 1
                number = counters.get((ctype, year), 0) + 1
                counters[ctype, year] = number
                opened = when(t)
                cls = data_class[ctype]
                status = initial[ctype] if rnd() < 0.25 else choice(statuses[ctype])
                closed = (
                    when(min(END, t + DAY * randrange(20, 400)))
                    if status in terminal[ctype]
                    else None
                )
                loc = randrange(n_loc)
                person = randrange(*persons)
                company = randrange(*companies)
                parent = None
                org = gemeente
                team = []  # (user id, organisation id, team role)
                if ctype == "LOD":
                    owner = choice(jurists)
                    if rnd() < 0.5:
                        team.append((*choice(toezicht), "member"))
                    if rnd() < 0.6:
                        team.append((*choice(politie), "contributor"))
                    if rnd() < 0.05:
                        team.append((*choice(mayors), "member"))
                    if last_ic is not None and rnd() < 0.05:
                        parent = last_ic
                    title = f"{choice(LOD_TITLES)} {labels[loc]}"
                    links = [(person, "overtreder")]
                    if rnd() < 0.4:
                        links.append((company, "rechthebbende"))
                    loc_role = "premises"
                elif ctype == "IC":
                    owner = choice(coordinators)
                    team.append((*choice(toezicht), "member"))
                    for share, members in ic_partners:
                        if rnd() < share:
                            team.append((*choice(members), "contributor"))
                    title = f"{choice(IC_TITLES)} {labels[loc]}"
                    links = [(company, "betrokkene")]
                    loc_role = "premises"
                elif ctype == "BIB":
                    owner = choice(bibob)
                    if rnd() < 0.4:
                        team.append((*choice(bibob), "member"))
                    if rnd() < 0.1:
                        team.append((*choice(mayors), "member"))
                    title = f"{choice(BIB_TITLES)} {names[company - persons[0]]}"
                    links = [(company, "aanvrager")]
                    if rnd() < 0.5:
                        links.append((person, "betrokkene"))
                    loc_role = "business"
                else:  # PGA
                    owner = choice(regisseurs)
                    org = owner[1]
                    if rnd() < 0.5:
                        team.append((*choice(politie), "contributor"))
                    if rnd() < 0.3:
                        team.append((*choice(om), "contributor"))
                    if rnd() < 0.3:
                        team.append((*choice(zvh), "contributor"))
                    if rnd() < 0.2:
                        team.append((*choice(jurists), "member"))
                    title = f"{choice(PGA_TITLES)} {names[person - persons[0]]}"
                    links = [(person, "betrokkene")]
                    loc_role = "residence"
                if org == zvh_org and ctype != "PGA":
                    org = gemeente
                for username in bench_cases.get(i, ()):
                    team.append((*bench[username], "member"))
                cases.append(
                    (
                        cid,
                        f"{year}-{ctype}-{number:04d}",
                        ctype,
                        status,
                        title,
                        cls,
                        org,
                        parent,
                        opened,
                        closed,
                        owner[0],
                    )
                )
                if ctype == "IC":
                    last_ic = cid
                seen = {owner[0]}
                for user_id, org_id, role in [(*owner, "owner"), *team]:
                    if role != "owner" and user_id in seen:
                        continue
                    seen.add(user_id)
                    access.append(
                        (user_id, cid, org_id, role, opened, ctype, cls, opened)
                    )
                    perms.append((view, user_id, cid))
                    if role != "contributor":
                        perms.append((change, user_id, cid))
                for party_id, role in links:
                    parties.append((cid, party_id, role))
                locations.append((cid, loc_base + loc, loc_role))
                # History: opened, parties and address, then the status reached.
                actor = owner[0]
                at = t
                events.append((cid, opened, actor, "created", "", initial[ctype], ""))
                for party_id, role in links[:1]:
                    at += rnd() * DAY
                    note = f"{names[party_id - persons[0]]} ({role})"
                    events.append((cid, when(at), actor, "party", "", "", note))
                at += rnd() * DAY
                note = f"{labels[loc]} ({loc_role})"
                events.append((cid, when(at), actor, "location", "", "", note))
                if status != initial[ctype]:
                    at += rnd() * 20 * DAY
                    events.append(
                        (cid, when(at), actor, "status", initial[ctype], status, "")
                    )
                if rnd() < 0.5:
                    at += rnd() * 5 * DAY
                    events.append(
                        (cid, when(at), actor, "note", "", "", "Overleg gevoerd.")
                    )
            self.submit(
                [
                    (Case, case_cols, cases),
                    (CaseParty, party_cols, parties),
                    (CaseLocation, location_cols, locations),
                    (CaseEvent, event_cols, events),
                    (CaseAccess, access_cols, access),
                    (CaseUserObjectPermission, perm_cols, perms),
                ]
            )
            self.progress("cases", hi, self.n)

    def reference_counters(self) -> None:
        from casework.models import ReferenceCounter

        ReferenceCounter.objects.bulk_create(
            [
                ReferenceCounter(series=series, year=year, last=last)
                for (series, year), last in sorted(self.counters.items())
            ]
        )
        self.rows += len(self.counters)


def transaction_atomic():
    from django.db import transaction

    return transaction.atomic()


def finish(connection) -> None:
    """Point the id sequences past the ids written, then refresh statistics."""
    from django.apps import apps
    from django.core.management.color import no_style

    models = [
        apps.get_model(label)
        for label in (
            "casework.Case",
            "casework.Party",
            "casework.Location",
            "permissions.Organisation",
            "auth.User",
        )
    ]
    with connection.cursor() as cur:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cur.execute(statement)
    t = time.perf_counter()
    if connection.vendor == "postgresql":
        # VACUUM sets the visibility map, so counts over the list index are
        # index-only scans from the start, as they are in a settled database.
        connection.ensure_connection()
        raw = connection.connection
        autocommit = raw.autocommit
        raw.autocommit = True
        raw.execute("SET maintenance_work_mem = '256MB'")
        raw.execute("VACUUM (ANALYZE)")
        for attempt in range(3):
            # A transaction open elsewhere (or a commit not yet flushed) keeps
            # VACUUM from marking pages all-visible; the plans would then
            # fetch heap pages that a settled database does not.
            pages, visible = raw.execute(
                "SELECT sum(relpages), sum(relallvisible) FROM pg_class "
                "WHERE relname IN ('permissions_caseaccess', 'casework_case')"
            ).fetchone()
            if visible >= 0.99 * pages:
                break
            print(f"  only {visible}/{pages} pages all-visible; VACUUM again")
            time.sleep(2 + 5 * attempt)
            raw.execute("VACUUM permissions_caseaccess, casework_case")
        else:
            print("  WARNING: pages still not all-visible; an old transaction?")
        raw.autocommit = autocommit
        print(f"VACUUM ANALYZE {time.perf_counter() - t:.1f} s")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"ANALYZE {time.perf_counter() - t:.1f} s")


def summary(connection) -> None:
    from django.contrib.auth import get_user_model

    from casework.models import Case
    from permissions.models import CaseAccess, CaseUserObjectPermission

    User = get_user_model()
    print(
        f"cases {Case.objects.count():,}  team rows {CaseAccess.objects.count():,}  "
        f"grants {CaseUserObjectPermission.objects.count():,}"
    )
    for username, _share in BENCH_USERS:
        user = User.objects.get(username=username)
        rows = CaseAccess.objects.filter(user=user).count()
        print(f"  {username:<12} on {rows:,} case teams")


def main(argv=None) -> None:
    args = parse_args(argv)
    url = args.database_url or (
        f"sqlite:///bench/out/{BENCH_PREFIX}_{size_label(args.cases)}.sqlite3"
    )
    prepare_database(url)
    setup_django(url)
    from django.db import connection

    from casework.models import Case

    t0 = time.perf_counter()
    migrate()
    print(f"database {connection.settings_dict['NAME']} ({connection.vendor})")
    if args.reset:
        reset(connection)
    elif Case.objects.exists():
        sys.exit("the database already holds cases: use --reset to replace them")
    connection.ensure_connection()
    gen = Generator(args.cases, args.seed, args.chunk)
    with transaction_atomic():
        gen.people()
    gen.id_bases(connection)
    # From here until writer.close() the connection belongs to the writer.
    gen.writer = writer = (
        PgWriter(connection)
        if connection.vendor == "postgresql"
        else SqliteWriter(connection)
    )
    gen.parties()
    gen.locations()
    gen.plan()
    gen.cases()
    writer.close()
    with transaction_atomic():
        gen.reference_counters()
    load = time.perf_counter() - gen.t0
    finish(connection)
    total = time.perf_counter() - t0
    print(
        f"generated {args.cases:,} cases, {gen.rows:,} rows: load {load:.1f} s "
        f"({gen.rows / load:,.0f} rows/s), total with migrate and vacuum "
        f"{total:.1f} s"
    )
    summary(connection)


if __name__ == "__main__":
    main()
