"""Generate a fictional municipality at scale for the performance benchmarks.

    python bench/generate.py --cases 1000000 \\
        --database-url postgresql://postgres@127.0.0.1:5432/casework_bench_1m

Organisations, about 200 users with their role, N cases of the four case types
with parties, locations, history and case teams. A case team is written exactly
as `permissions.services.team_add` writes it, in bulk: one `CaseAccess` row per
member (the list index) and the guardian grants `view_case` (+ `change_case`
for owners and members). With each case (class `Extras`): the flow and open
task of an open case, signals, deadlines, documents, logged reads (a valid
hash chain) and the case type's own rows; then the signals awaiting triage
and the municipality's tafels with their meetings (bench/tables.py).
The benchmark users, one of every role whose pages are measured:

    bench_2pct         jurist, on the team of 2 % of all cases
    bench_03pct        jurist, on the team of 0.3 % of all cases
    bench_20           jurist, on the team of exactly 20 cases
    bench_bibob        Bibob coordinator, on 1 % (Bibob cases)
    bench_coordinator  coördinator, on 1 % (integrated inspections)
    bench_regisseur    casusregisseur, on 1 % (PGA)
    bench_politie      politie partner, a contributor on 0.5 % (LOD, IC, PGA)

Every person, company and address is made up. The output is deterministic for
a given --cases and --seed. On PostgreSQL the rows go in with COPY, in chunks,
with foreign-key triggers off for the loading session only (the generator
writes consistent ids itself); the schema, its indexes and its constraints stay
as the migrations made them. VACUUM ANALYZE runs at the end.

The database is created when missing and migrated. A database that already
holds cases is refused unless --reset, which empties the generated tables.
Only databases named casework_bench* or casework_gen* are written to.
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
# Databases this file may write to (the second for the workflow-page runs).
BENCH_PREFIXES = (BENCH_PREFIX, "casework_gen")
BENCH_PASSWORD = "bench"  # noqa: S105 - fictional benchmark users only
CHUNK = 25_000  # cases per COPY round and transaction

JURIST_TYPES = ("LOD", "IC", "PGA")  # D0/D10: a jurist reads them, never D5
# (username, share of all cases or an exact count, organisation key, role,
#  case types whose teams the user joins, team role)
BENCH_USERS = [
    ("bench_2pct", 0.02, "gemeente", "jurist", JURIST_TYPES, "member"),
    ("bench_03pct", 0.003, "gemeente", "jurist", JURIST_TYPES, "member"),
    ("bench_20", 20, "gemeente", "jurist", JURIST_TYPES, "member"),
    ("bench_bibob", 0.01, "gemeente", "bibob", ("BIB",), "member"),
    ("bench_coordinator", 0.01, "gemeente", "coordinator", ("IC",), "member"),
    ("bench_regisseur", 0.01, "gemeente", "casusregisseur", ("PGA",), "member"),
    ("bench_politie", 0.005, "politie", "partner", JURIST_TYPES, "contributor"),
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

# -- what a case has besides its core rows (class Extras) --------------------

# Tables by model label, and the columns written (in the order of the rows).
PROCESS, CASE_PROCESS, TASK = (
    "viewflow.Process",
    "casework.CaseProcess",
    "viewflow.Task",
)
SIGNAL, SIGNAL_SHARED = "casework.Signal", "casework.Signal_shared_with"
SIGNAL_CASES, SIGNAL_LOCATIONS = "casework.Signal_cases", "casework.Signal_locations"
SIGNAL_PARTIES, DEADLINE = "casework.Signal_parties", "casework.Deadline"
DOCUMENT, ACCESS_LOG = "casework.Document", "permissions.AccessLog"
BIBOB_INTAKE, BIBOB_SOURCE = "bibob.BibobIntake", "bibob.BibobSource"
BIBOB_CONCLUSION = "bibob.BibobConclusion"
VISIT, PARTNER_SLOT = "controle.Visit", "controle.PartnerSlot"
PGA_REFERRAL, PGA_PARTICIPANT = "pga.PgaReferral", "pga.PgaParticipant"
GOAL, INTERVENTION = "pga.Goal", "pga.Intervention"
EXTRA_COLUMNS = {
    PROCESS: ["id", "flow_class", "status", "created", "finished", "data"],
    CASE_PROCESS: ["process_ptr_id", "case_id"],
    TASK: ["flow_task", "flow_task_type", "status", "created", "assigned", "started",
           "finished", "token", "process_id", "data", "owner_id"],
    SIGNAL: ["id", "reference", "source", "received_on", "summary", "data_class",
             "legal_basis", "source_organisation_id", "status", "filed_reason",
             "registered_by_id", "registered_at"],
    SIGNAL_SHARED: ["signal_id", "organisation_id"],
    SIGNAL_CASES: ["signal_id", "case_id"],
    SIGNAL_LOCATIONS: ["signal_id", "location_id"],
    SIGNAL_PARTIES: ["signal_id", "party_id"],
    DEADLINE: ["case_id", "title", "legal_basis", "event_date", "length", "unit",
               "atw_applies", "computed_end", "explanation", "override_reason",
               "end_date", "owner_id", "state", "obligation", "met_on",
               "created_at"],
    DOCUMENT: ["case_id", "template_key", "template_version", "title", "version",
               "inputs", "content", "sha256", "data_class", "author_id",
               "created_at"],
    ACCESS_LOG: ["id", "timestamp", "user_id", "username", "role", "organisation",
                 "action", "object_type", "object_id", "data_class", "case_id",
                 "case_reference", "purpose_code", "legal_basis_code", "recipient",
                 "result", "client_ip", "shard", "seq", "hash_chain"],
    BIBOB_INTAKE: ["case_id", "kind", "application_type", "received_on",
                   "competent_body", "policy_id", "recorded_by_id", "recorded_at"],
    BIBOB_SOURCE: ["case_id", "kind", "consulted_on", "legal_basis", "finding",
                   "recorded_by_id", "recorded_at"],
    BIBOB_CONCLUSION: ["case_id", "degree", "ground_a", "ground_b", "ground_6",
                       "advice_needed", "proportionality", "concluded_on",
                       "recorded_by_id", "recorded_at"],
    VISIT: ["id", "case_id", "planned_at", "lead_id", "created_at", "briefing_on",
            "started_on", "finished_on", "aborted_on"],
    PARTNER_SLOT: ["visit_id", "kind", "organisation_id", "legal_basis",
                   "confirmed", "confirmed_by_id"],
    PGA_REFERRAL: ["case_id", "reporter_id", "received_on", "reason", "goal",
                   "partners_involved", "informed", "not_informed_reason",
                   "triage_report", "advice", "retention_hold"],
    PGA_PARTICIPANT: ["case_id", "organisation_id", "legal_basis", "incidental",
                      "selected_by_id", "selected_on"],
    GOAL: ["id", "case_id", "life_domain", "description", "achieved",
           "created_by_id", "created_at"],
    INTERVENTION: ["case_id", "goal_id", "organisation_id", "owner_id", "kind",
                   "description", "legal_basis", "due_on", "status", "progress",
                   "updated_at", "updated_by_id"],
}  # fmt: skip
# Tables whose ids the generator sets (referred to, or in the log's hash).
EXPLICIT_IDS = [PROCESS, SIGNAL, VISIT, GOAL, ACCESS_LOG]
# Reads of these classes are logged (the case page of a Bibob or PGA case).
LOGGED_CLASSES = {"D5", "D10"}
LETTERS = {
    "LOD": ["waarschuwing_lod", "voornemen_lod", "besluit_lod"],
    "IC": ["bezoekrapport", "terugkoppeling_controle"],
    "BIB": ["ontvangstbevestiging_bibob", "lbb_adviesaanvraag", "voornemen_bibob"],
    "PGA": ["aanmeldbevestiging_pga", "plan_van_aanpak"],
}
# (title, legal basis, obligation) of a running term per case type
TERMS = {
    "LOD": [("Zienswijzetermijn", "Awb 4:8", "party"),
            ("Begunstigingstermijn", "Awb 5:32a", "party"),
            ("Beslistermijn", "Awb 4:13", "organ")],
    "IC": [("Rapportage na controle", "Werkafspraak", "organ")],
    "BIB": [("Beslistermijn", "Awb 4:13", "organ"),
            ("Adviestermijn LBB", "Wet Bibob art 15", "organ")],
    "PGA": [("Evaluatie plan van aanpak", "Convenant ZVH", "organ")],
}  # fmt: skip
BIBOB_APPLICATIONS = ["omgevingsvergunning", "exploitatievergunning", "alcoholwet",
                      "subsidie"]  # fmt: skip
BIBOB_SOURCES = [("open", "Wet Bibob art 7a"), ("kvk", "Handelsregisterwet"),
                 ("politie", "Wpg art 18")]  # fmt: skip
PGA_DOMAINS = ["wonen", "financien", "werk", "gezondheid", "middelen", "gezin"]


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
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="the day open deadlines, planned visits and waiting signals are "
        "placed around (default: the day it runs, so the pages show them)",
    )
    parser.add_argument(
        "--tables-only",
        action="store_true",
        help="add the tafels (bench/tables.py) to a database generated before "
        "they were, then ANALYZE; nothing else is written",
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
    if not name.startswith(BENCH_PREFIXES):
        sys.exit(
            f"refusing {url!r}: the database name must start with {BENCH_PREFIXES}"
        )
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
    # The key of the access log's chain: the one bench/pages.py uses, so the
    # chain verifies after a benchmark run appended to it.
    os.environ.setdefault("ACCESS_LOG_KEY", "bench")
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
            # The access log's triggers refuse TRUNCATE; this session only
            # (a generated database, never a real one: see prepare_database).
            cur.execute("SET session_replication_role = replica")
            cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            cur.execute("SET session_replication_role = DEFAULT")
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
        for username, _share, org_key, role, _types, _team in BENCH_USERS:
            specs.append((username, org_key, role))
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
        org_name = {key: name for key, name, _kind in ORGANISATIONS}
        # user id → (username, role, organisation name): the access log's columns
        self.user_info: dict[int, tuple[str, str, str]] = {}
        for user, (username, org, role) in zip(users, specs, strict=True):
            entry = (user.pk, self.org_id[org])
            self.user_info[user.pk] = (username, role, org_name[org])
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
        self.term_policies()
        print(f"people: {len(orgs)} organisations, {len(users)} users")

    def term_policies(self) -> None:
        """The Bibob decision-term policy an intake names (its check constraint
        wants one for an application), valid over the whole period."""
        from workflows.bibob.models import DecisionTermPolicy
        from workflows.bibob.terms import seed_example_term_policy

        seed_example_term_policy(valid_from=date(2016, 1, 1))
        self.policy_id = dict(
            DecisionTermPolicy.objects.values_list("application_type", "pk")
        )

    def id_bases(self, connection) -> None:
        """First free ids, read before the COPY thread takes the connection."""
        from django.apps import apps

        from casework.models import Case, Location, Party
        from permissions.models import ZERO_HASH
        from permissions.services import access_log_shards

        self.party_base = next_id(connection, Party._meta.db_table)
        self.location_base = next_id(connection, Location._meta.db_table)
        self.case_base = next_id(connection, Case._meta.db_table)
        self.extra_base = {
            label: next_id(connection, apps.get_model(label)._meta.db_table)
            for label in EXPLICIT_IDS
        }
        self.shards, self.zero_hash = access_log_shards(), ZERO_HASH

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
        last = {"bsn": "", "kvk": ""}

        def rows(lo, hi):
            nonlocal pid
            for k in range(lo, hi):
                if k < self.n_persons:
                    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                    dob = date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
                    number = bsn(rng) if rng.random() < 0.6 else ""
                    if number and rng.random() < 0.05:
                        # The same person entered twice (another spelling):
                        # art 29 matches on the BSN.
                        number, last["bsn"] = last["bsn"] or number, number
                    elif number:
                        last["bsn"] = number
                    row = (pid, "person", name, dob, number, "", "")
                else:
                    suffix, form = rng.choice(LEGAL_FORMS)
                    name = (
                        f"{rng.choice(COMPANY_KINDS)} {rng.choice(COMPANY_WORDS)}"
                        f" {suffix}"
                    ).strip()
                    kvk = str(rng.randrange(10_000_000, 100_000_000))
                    if last["kvk"] and rng.random() < 0.1:
                        kvk = last["kvk"]  # a company entered twice
                    last["kvk"] = kvk
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
        self.bench_cases: dict[int, list[str]] = {}
        self.bench_team_role: dict[str, str] = {}
        for username, share, _org, _role, case_types, team_role in BENCH_USERS:
            readable = [i for i, t in enumerate(self.types) if t in case_types]
            k = share if isinstance(share, int) else round(self.n * share)
            k = min(k, len(readable))
            for i in rng.sample(readable, k):
                self.bench_cases.setdefault(i, []).append(username)
            self.bench_team_role[username] = team_role
        self.bench_counts = {
            username: sum(username in v for v in self.bench_cases.values())
            for username, *_ in BENCH_USERS
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
        team_roles = self.bench_team_role
        extras = Extras(self, self.seed + 5)

        # Local-year boundaries for "YYYY-TYPE-NNNN" (references number by the
        # Amsterdam calendar year, as casework.services.reference_next does).
        years = {y: datetime(y, 1, 1, tzinfo=TZ).timestamp() for y in range(2016, 2028)}
        self.counters: dict[tuple[str, int], int] = {}
        counters = self.counters
        step = (END - START) / self.n
        case_base = self.case_base
        last_ic = last_bib = None
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
                    if last_bib is not None and rnd() < 0.15:
                        company = last_bib  # a repeat applicant (art 29)
                    last_bib = company
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
                    team.append((*bench[username], team_roles[username]))
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
                extras.case(
                    cid=cid, ctype=ctype, status=status, cls=cls,
                    reference=cases[-1][1], opened=t, closed=closed, status_at=at,
                    owner=owner, team=team, links=links, location=loc_base + loc,
                )  # fmt: skip
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
                    *extras.take(),
                ]
            )
            self.progress("cases", hi, self.n)
        extras.waiting_signals()
        self.submit(extras.take())
        self.extras = extras

    def reference_counters(self) -> None:
        from casework.models import ReferenceCounter

        for year, last in self.extras.signal_numbers.items():
            self.counters["SIG", year] = last
        ReferenceCounter.objects.bulk_create(
            [
                ReferenceCounter(series=series, year=year, last=last)
                for (series, year), last in sorted(self.counters.items())
            ]
        )
        self.rows += len(self.counters)


class Extras:
    """Everything a case has besides its core rows, written in the same chunk:
    the viewflow process and its open task (open cases), signals, deadlines,
    documents, access-log rows with their hash chain, and the case types' own
    rows (Bibob intake, sources and conclusions; inspection visits and partner
    slots; PGA referral, participants, goals and interventions). Signals that
    still wait for triage come last (`waiting_signals`), received in the two
    months before --today."""

    def __init__(self, gen, seed: int):
        import hashlib

        from viewflow.workflow.fields import get_flow_ref, get_task_ref

        from casework.letters import DATA_CLASS_OF
        from casework.pdf import TEMPLATES
        from casework.registry import registry

        self.gen = gen
        self.rng = random.Random(seed)
        self.when = gen.writer.when
        self.today = gen.today
        self.now = datetime.combine(gen.today, datetime.min.time(), TZ).timestamp()
        self.rows: dict = {}
        self.next_id = dict(gen.extra_base)
        self.signal_numbers: dict[int, int] = {}
        self.log_seq = [0] * gen.shards
        self.log_hash = [gen.zero_hash] * gen.shards
        self.log_rows = 0
        # The flow of each case type: its reference, the start node's, and
        # the task reference of the phase each status belongs to.
        self.flow = {}
        for code, _weight in CASE_TYPE_WEIGHTS:
            flow_class = registry.flow(code)
            phase_ref = {
                status: get_task_ref(getattr(flow_class, phase))
                for status, phase in flow_class.phase_of.items()
            }
            start = get_task_ref(flow_class.start)
            self.flow[code] = (get_flow_ref(flow_class), start, phase_ref)
        self.pdf = b"%PDF-1.4\n% bench: one tiny file shared by every document\n"
        self.pdf_sha = hashlib.sha256(self.pdf).hexdigest()
        self.letters = {}
        for code, keys in LETTERS.items():
            self.letters[code] = [
                (key, TEMPLATES[key].version, TEMPLATES[key].title,
                 DATA_CLASS_OF.get(key, "D2"))
                for key in keys
            ]  # fmt: skip
        pool, org = gen.pool, gen.org_id
        self.politie = pool["politie", "partner"]
        self.toezicht = pool["gemeente", "toezicht"]
        self.zvh = pool["zvh", "partner"]
        self.org = org
        self.slot_orgs = [
            ("politie", org["politie"]),
            ("belastingdienst", org["belasting"]),
            ("brandweer", org["brandweer"]),
            ("netbeheerder", org["netbeheer"]),
            ("woningcorporatie", org["woning"]),
            ("arbeidsinspectie", org["inspectie"]),
        ]
        self.hot = max(20, gen.n_locations // 100)  # addresses signalled often
        from django.apps import apps

        for label, columns in EXTRA_COLUMNS.items():
            if label != CASE_PROCESS:  # its parent's columns are the process's
                check_columns(apps.get_model(label), columns)

    # -- plumbing ------------------------------------------------------------

    def add(self, model, row) -> None:
        self.rows.setdefault(model, []).append(row)

    def new_id(self, model) -> int:
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def take(self) -> list:
        """This chunk's rows as (model, columns, rows), emptied."""
        from django.apps import apps

        batch = [
            (apps.get_model(label), EXTRA_COLUMNS[label], rows)
            for label, rows in self.rows.items()
        ]
        self.rows = {}
        return batch

    def day(self, epoch: float) -> date:
        return datetime.fromtimestamp(epoch, TZ).date()

    # -- per case ----------------------------------------------------------

    def case(self, *, cid, ctype, status, cls, reference, opened, closed,
             status_at, owner, team, links, location):  # fmt: skip
        from casework.models import Signal

        rnd = self.rng.random
        is_open = closed is None
        if is_open:
            self.process(cid, ctype, status, opened, status_at, owner)
        if rnd() < 0.45:
            self.converted_signal(cid, ctype, opened, links, location)
        if rnd() < 0.12:
            when = opened - rnd() * 60 * DAY
            loc = self.gen.location_base + self.rng.randrange(self.gen.n_locations)
            self.signal(
                received=when, source=self.rng.choice(["burger", "mma", "camera"]),
                org="gemeente", registrar=self.rng.choice(self.toezicht),
                data_class="D0", status=Signal.Status.FILED, location=loc,
                summary="Melding over overlast en verdachte handel.",
            )  # fmt: skip
        self.deadline(cid, ctype, is_open, opened, status_at, owner)
        if rnd() < (0.5 if is_open else 0.8):
            key, version, title, data_class = self.rng.choice(self.letters[ctype])
            self.add(
                DOCUMENT,
                (cid, key, version, title, 1, "{}", self.pdf, self.pdf_sha,
                 data_class, owner[0], self.when(status_at + rnd() * DAY)),
            )  # fmt: skip
        if cls in LOGGED_CLASSES:
            readers = [owner] + [m[:2] for m in team if rnd() < 0.3][:1]
            for user in readers:
                self.log_read(user[0], cid, reference, cls, opened + rnd() * 30 * DAY)
        getattr(self, f"case_{ctype.lower()}")(
            cid, status, is_open, opened, status_at, owner, team
        )

    def process(self, cid, ctype, status, opened, status_at, owner) -> None:
        """The flow as `flow_start` leaves it, moved on to the status's phase:
        the process, its start task (done) and one open task, unassigned."""
        flow_ref, start_ref, phase_ref = self.flow[ctype]
        pid = self.new_id(PROCESS)
        at = self.when(opened)
        self.add(PROCESS, (pid, flow_ref, "NEW", at, None, "{}"))
        self.add(CASE_PROCESS, (pid, cid))
        self.add(TASK, (start_ref, "START", "DONE", at, at, at, at, "start",
                        pid, "{}", owner[0]))  # fmt: skip
        self.add(TASK, (phase_ref[status], "HUMAN", "NEW", self.when(status_at),
                        None, None, None, "start", pid, "{}", None))  # fmt: skip

    def signal(self, *, received, source, org, registrar, data_class, status,
               location=None, party=None, case=None, shared=None,
               summary="") -> None:  # fmt: skip
        sid = self.new_id(SIGNAL)
        year = datetime.fromtimestamp(received, TZ).year
        number = self.signal_numbers.get(year, 0) + 1
        self.signal_numbers[year] = number
        filed = (
            "Onvoldoende aanwijzingen voor een vervolg." if status == "filed" else ""
        )
        self.add(
            SIGNAL,
            (sid, f"{year}-SIG-{number:04d}", source, self.day(received), summary,
             data_class, "", self.org[org], status, filed, registrar[0],
             self.when(received)),
        )  # fmt: skip
        if shared:
            self.add(SIGNAL_SHARED, (sid, self.org[shared]))
        if case is not None:
            self.add(SIGNAL_CASES, (sid, case))
        if location is not None:
            self.add(SIGNAL_LOCATIONS, (sid, location))
        if party is not None:
            self.add(SIGNAL_PARTIES, (sid, party))

    def converted_signal(self, cid, ctype, opened, links, location) -> None:
        """The signal the case was opened from: a police report for LOD, an
        inspector's finding for an inspection, the veiligheidstafel for PGA."""
        received = opened - self.rng.random() * 20 * DAY
        common = {"received": received, "status": "converted", "case": cid,
                  "location": location, "party": links[0][0]}  # fmt: skip
        if ctype == "LOD" or (ctype == "BIB" and self.rng.random() < 0.5):
            self.signal(
                **common, source="bestuurlijke_rapportage", org="politie",
                registrar=self.rng.choice(self.politie), data_class="D3",
                shared="gemeente", summary="Bestuurlijke rapportage: drugs in pand.",
            )  # fmt: skip
        elif ctype == "PGA":
            self.signal(
                **common, source="veiligheidstafel", org="zvh",
                registrar=self.rng.choice(self.zvh), data_class="D10",
                shared="gemeente", summary="Aangemeld aan de veiligheidstafel.",
            )  # fmt: skip
        else:
            self.signal(
                **common, source=self.rng.choice(["toezicht", "riec"]),
                org="gemeente", registrar=self.rng.choice(self.toezicht),
                data_class="D0", summary="Bevinding toezicht: signalen ondermijning.",
            )  # fmt: skip

    def deadline(self, cid, ctype, is_open, opened, status_at, owner) -> None:
        """Open cases: a running term (a fifth overdue, some missed); closed
        cases: a term met."""
        rnd, randrange = self.rng.random, self.rng.randrange
        if is_open and rnd() < 0.7:
            end = self.today + timedelta(days=randrange(-30, 61))
            state = "missed" if end < self.today and rnd() < 0.3 else "open"
            met = None
        elif not is_open and rnd() < 0.6:
            end = self.day(opened) + timedelta(days=42)
            state, met = "met", self.day(opened) + timedelta(days=randrange(1, 43))
        else:
            return
        title, basis, obligation = self.rng.choice(TERMS[ctype])
        event = end - timedelta(weeks=6)
        self.add(
            DEADLINE,
            (cid, title, basis, event, 6, "weeks", True, end, "[]", "", end,
             owner[0], state, obligation, met, self.when(status_at)),
        )  # fmt: skip

    def log_read(self, user_id, cid, reference, cls, at) -> None:
        """One logged read, chained as `permissions.services.log_access`
        chains it: shard by shard, the id in the hash."""
        from types import SimpleNamespace

        from permissions.models import access_log_digest

        shard = self.log_rows % len(self.log_seq)
        self.log_rows += 1
        self.log_seq[shard] += 1
        username, role, organisation = self.gen.user_info[user_id]
        stamp = datetime.fromtimestamp(at, UTC)
        row = SimpleNamespace(
            pk=self.new_id(ACCESS_LOG), shard=shard, seq=self.log_seq[shard],
            timestamp=stamp, user_id=user_id, username=username, role=role,
            organisation=organisation, action="read", object_type="case",
            object_id=str(cid), data_class=cls, case_id=cid, case_reference=reference,
            purpose_code="", legal_basis_code="", recipient="", result="ok",
            client_ip="127.0.0.1",
        )  # fmt: skip
        digest = access_log_digest(self.log_hash[shard], row)
        self.log_hash[shard] = digest
        self.add(
            ACCESS_LOG,
            (row.pk, self.when(at), user_id, username, role, organisation, "read",
             "case", row.object_id, cls, cid, reference, "", "", "", "ok",
             "127.0.0.1", shard, row.seq, digest),
        )  # fmt: skip

    # -- the case types' own rows ----------------------------------------------

    def case_lod(self, *args) -> None:
        """LOD keeps its steps in the kernel's rows (events, deadlines, letters)."""

    def case_bib(self, cid, status, is_open, opened, status_at, owner, team) -> None:
        rnd, choice = self.rng.random, self.rng.choice
        kind = "application" if rnd() < 0.9 else "revocation"
        app_type = choice(BIBOB_APPLICATIONS)
        self.add(
            BIBOB_INTAKE,
            (cid, kind, app_type, self.day(opened), "burgemeester",
             self.gen.policy_id[app_type], owner[0], self.when(opened)),
        )  # fmt: skip
        for k in range(1 + self.rng.randrange(3)):
            source, basis = BIBOB_SOURCES[k]
            self.add(
                BIBOB_SOURCE,
                (cid, source, self.day(opened + (k + 1) * 3 * DAY), basis,
                 "Geen bijzonderheden gevonden.", owner[0],
                 self.when(opened + (k + 1) * 3 * DAY)),
            )  # fmt: skip
        if rnd() < (0.4 if is_open else 0.9):
            degree = choice(["geen", "geen", "geen", "mindere_mate", "ernstig"])
            grounds = degree != "geen"
            on = min(self.today, self.day(opened + self.rng.randrange(30, 120) * DAY))
            self.add(
                BIBOB_CONCLUSION,
                (cid, degree, grounds, grounds and rnd() < 0.3, False, grounds,
                 "Weigering staat in verhouding tot het gevaar.", on, owner[0],
                 self.when(opened + 30 * DAY)),
            )  # fmt: skip

    def case_ic(self, cid, status, is_open, opened, status_at, owner, team) -> None:
        """A visit two to eight weeks after the inspection opened: still to
        come, or in the weeks around --today, for inspections opened in the
        last three months (the weeks the dashboard shows); carried out for
        older open ones; carried out or aborted, as the status says, for
        closed ones."""
        rnd, randrange = self.rng.random, self.rng.randrange
        if rnd() >= 0.85:
            return
        vid = self.new_id(VISIT)
        lead = next((m for m in team if m[2] == "member"), owner)[0]
        planned = opened + (randrange(14, 57) + 0.375) * DAY
        done = aborted = None
        if is_open:
            if planned < self.now - 14 * DAY:
                done = self.day(planned)
        else:
            planned = status_at - randrange(1, 10) * DAY
            done = self.day(planned) if status == "C50" else None
            aborted = self.day(planned) if status == "C45" else None
        self.add(
            VISIT,
            (vid, cid, self.when(planned), lead, self.when(opened), None,
             done or aborted, done, aborted),
        )  # fmt: skip
        for kind, org_id in self.rng.sample(self.slot_orgs, 1 + randrange(3)):
            self.add(
                PARTNER_SLOT,
                (vid, kind, org_id, "Eigen toezichtsbevoegdheid", rnd() < 0.6, None),
            )

    def case_pga(self, cid, status, is_open, opened, status_at, owner, team) -> None:
        """The referral, the participants of the team's partners, two goals
        and an intervention."""
        rnd, choice = self.rng.random, self.rng.choice
        on = self.day(opened)
        reporter = self.org[choice(["politie", "zvh", "gemeente"])]
        self.add(
            PGA_REFERRAL,
            (cid, reporter, on, "Zorgen over escalerend gedrag.",
             "Stabiliseren en criminaliteit terugdringen.", "", True, "", "", "",
             False),
        )  # fmt: skip
        participants = sorted({m[1] for m in team if m[2] == "contributor"})
        for org_id in participants:
            self.add(
                PGA_PARTICIPANT,
                (cid, org_id, "Wgs, art. 2.17", False, owner[0], on),
            )
        first_goal = None
        for domain in self.rng.sample(PGA_DOMAINS, 2):
            gid = self.new_id(GOAL)
            first_goal = first_goal or gid
            self.add(
                GOAL,
                (gid, cid, domain, "Doel voor dit leefgebied.", rnd() < 0.3,
                 owner[0], self.when(opened + DAY)),
            )  # fmt: skip
        self.add(
            INTERVENTION,
            (cid, first_goal, owner[1], owner[0], choice(["zorg", "drang"]),
             "Begeleiding door het wijkteam.", "Wmo 2015", on + timedelta(days=90),
             "running" if is_open else "done", "", self.when(opened + 2 * DAY),
             owner[0]),
        )  # fmt: skip

    # -- after the cases -------------------------------------------------------

    def waiting_signals(self) -> None:
        """Signals not yet triaged, received in the last two months: what the
        triage list and the coordinator's selection board work from. Half
        point at the 1 % of addresses that are signalled often."""
        gen, rnd = self.gen, self.rng.random
        count = max(30, gen.n // 200)
        for _ in range(count):
            received = self.now - rnd() * 60 * DAY
            hot = rnd() < 0.5
            loc = self.rng.randrange(self.hot if hot else gen.n_locations)
            party = gen.party_base + self.rng.randrange(gen.n_persons)
            status = "new" if rnd() < 0.6 else "triage"
            common = {"received": received, "status": status,
                      "location": gen.location_base + loc,
                      "party": party if rnd() < 0.5 else None}  # fmt: skip
            if rnd() < 0.5:
                self.signal(
                    **common, source="bestuurlijke_rapportage", org="politie",
                    registrar=self.rng.choice(self.politie), data_class="D3",
                    shared="gemeente", summary="Bestuurlijke rapportage.",
                )  # fmt: skip
            else:
                self.signal(
                    **common, source=self.rng.choice(["toezicht", "mma", "burger"]),
                    org="gemeente", registrar=self.rng.choice(self.toezicht),
                    data_class="D0", summary="Melding: verdachte situatie.",
                )  # fmt: skip

    def seal_log(self) -> None:
        """Each shard's head at the chain's end, and a checkpoint of it, as
        `log_access` and `write_checkpoint` leave them."""
        from permissions.models import AccessLogHead
        from permissions.services import write_checkpoint

        AccessLogHead.objects.bulk_create(
            [
                AccessLogHead(shard=k, seq=seq, last_hash=self.log_hash[k])
                for k, seq in enumerate(self.log_seq)
            ]
        )
        for k, seq in enumerate(self.log_seq):
            if seq:
                write_checkpoint(k, seq, self.log_hash[k], "rows")


def transaction_atomic():
    from django.db import transaction

    return transaction.atomic()


def copies_and_list_index(connection) -> None:
    """The case list's copies on the case (and its open step) and its index
    (casework.listing), which triggers keep in a running database: the load
    writes with them off (`session_replication_role = replica`), so they are
    filled here with the migration's own statements."""
    import importlib

    from casework.flows import fill_steps_sql
    from casework.listing import columns, entry_insert_sql, outcome_fill_sql
    from casework.registry import registry

    saved_views = importlib.import_module("casework.migrations.0008_saved_views")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # Statistics first: without them PostgreSQL guessed 3,000 rows
            # per case and read the first address of each case by walking
            # the whole case-location table in id order (the fill ran for
            # over an hour at 1M cases).
            cur.execute(
                "ANALYZE casework_case, casework_caseevent, casework_caselocation, "
                "casework_location, casework_deadline"
            )
        cur.execute(saved_views.FILL)
        # The open step of each case (casework.flows.record_step), from the
        # tasks written above.
        cur.execute(*fill_steps_sql(connection))
        # Each case's latest outcome (`Case.outcome_at`), for the case types
        # that count outcomes; the entries below copy it.
        for entry in registry.case_types.values():
            if entry.proxy.OUTCOMES:
                statuses = sorted(entry.proxy.OUTCOMES)
                cur.execute(*outcome_fill_sql(entry.code, statuses))
        cur.execute("DELETE FROM casework_listentry")
        cur.execute(entry_insert_sql(columns(connection)))


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
            *EXPLICIT_IDS,
        )
    ]
    with connection.cursor() as cur:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cur.execute(statement)
    t = time.perf_counter()
    copies_and_list_index(connection)
    print(f"list copies and index {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    # The selection board's ranks (workflows/controle/ranks.py): the COPY
    # wrote the signals past the model signals that keep them.
    from workflows.controle.ranks import rebuild

    rebuilt = rebuild()
    print(
        f"board ranks {rebuilt.rows:,} of {rebuilt.scopes} scopes "
        f"{time.perf_counter() - t:.1f} s"
    )
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


def tables(seed: int, today: date) -> int:
    """The tafels with their meetings and agendas (bench/tables.py); the rows."""
    from bench import tables as tafels

    t = time.perf_counter()
    counts = tafels.generate(seed, today)
    print(
        "tafels: "
        + ", ".join(f"{what} {n:,}" for what, n in counts.items())
        + f" {time.perf_counter() - t:.1f} s"
    )
    return sum(counts.values())


def add_tables(connection, seed: int, today: date) -> None:
    """--tables-only: the tafels added to a generated database that has none."""
    from casework.models import Case
    from tafels.models import Table

    if not Case.objects.exists():
        sys.exit("the database holds no cases: generate it first")
    if Table.objects.exists():
        sys.exit("the database already holds tables")
    tables(seed, today)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def summary(connection) -> None:
    from django.contrib.auth import get_user_model

    from casework.models import Case
    from permissions.models import CaseAccess, CaseUserObjectPermission

    User = get_user_model()
    print(
        f"cases {Case.objects.count():,}  team rows {CaseAccess.objects.count():,}  "
        f"grants {CaseUserObjectPermission.objects.count():,}"
    )
    for username, *_ in BENCH_USERS:
        user = User.objects.get(username=username)
        rows = CaseAccess.objects.filter(user=user).count()
        print(f"  {username:<17} on {rows:,} case teams")
    from django.apps import apps

    print(
        "  "
        + ", ".join(
            f"{label.split('.')[1]} {apps.get_model(label).objects.count():,}"
            for label in EXTRA_COLUMNS
        )
    )


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
    if args.tables_only:
        add_tables(connection, args.seed, args.today)
        return
    if args.reset:
        reset(connection)
    elif Case.objects.exists():
        sys.exit("the database already holds cases: use --reset to replace them")
    connection.ensure_connection()
    gen = Generator(args.cases, args.seed, args.chunk)
    gen.today = args.today
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
        gen.extras.seal_log()
    gen.rows += tables(args.seed, gen.today)
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
