"""The demo context that the case types' demo seeders receive.

`python manage.py seed_demo` (`make demo`) builds a fictional municipality:
the kernel makes the organisations, one user per role and the signals that
belong to no case type, and every case-type package adds its own cases from
`workflows/<type>/demo.py`, registered with `registry.add_demo(seed, order)`.
Each `seed(demo)` gets one `Demo`: the random generator, today's date, the
users and organisations by name and the helpers below. Every person, company
and address it makes up is fictional.

The seeders share one random generator and run in their registered order, so
the same `--seed` gives the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Permission
from django.utils import timezone

from casework import services
from casework.models import Case, Location, Party, Signal
from casework.steps import step_run
from permissions.models import CaseAccess, DataClass, Membership, Organisation, Role

PASSWORD = "demo"

ORGANISATIONS = [
    ("Gemeente Venlo", Organisation.Kind.GEMEENTE),
    ("Politie Eenheid Limburg", Organisation.Kind.POLITIE),
    ("Openbaar Ministerie Limburg", Organisation.Kind.OM),
    ("Belastingdienst Zuid", Organisation.Kind.BELASTINGDIENST),
    ("RIEC Limburg", Organisation.Kind.RIEC),
    ("Zorg- en Veiligheidshuis Noord-Limburg", Organisation.Kind.ZVH),
    ("Woningstichting Maasoever", Organisation.Kind.WONINGCORPORATIE),
    ("Netbeheer Zuid", Organisation.Kind.NETBEHEERDER),
    ("Veilig Thuis Noord-Limburg", Organisation.Kind.ZORG),
]

# username, full name, organisation, role
USERS = [
    ("jurist", "Jolien Jacobs", "Gemeente Venlo", Role.JURIST),
    ("burgemeester", "Bart Beurskens", "Gemeente Venlo", Role.BURGEMEESTER),
    ("bibob", "Bianca Bongers", "Gemeente Venlo", Role.BIBOB),
    ("coordinator", "Coen Craenmehr", "Gemeente Venlo", Role.COORDINATOR),
    ("casusregisseur", "Carla Custers", "Gemeente Venlo", Role.CASUSREGISSEUR),
    ("toezicht", "Tom Theunissen", "Gemeente Venlo", Role.TOEZICHT),
    ("invordering", "Iris Janssen", "Gemeente Venlo", Role.INVORDERING),
    ("vergunning", "Vera Verheijen", "Gemeente Venlo", Role.VERGUNNING),
    ("politie", "Peter Peeters", "Politie Eenheid Limburg", Role.PARTNER),
    ("om", "Olga Op den Kamp", "Openbaar Ministerie Limburg", Role.PARTNER),
    ("belastingdienst", "Bram Bouten", "Belastingdienst Zuid", Role.PARTNER),
    ("zorg", "Zoë Zeegers", "Veilig Thuis Noord-Limburg", Role.PARTNER),
    ("fg", "Fenna Geurts", "Gemeente Venlo", Role.FG),
    ("beheerder", "Ben Hendrix", "Gemeente Venlo", Role.BEHEERDER),
]


def organisations_and_users() -> tuple[dict, dict]:
    """The demo's organisations and its one user per role (password "demo"),
    by name; `seed_demo` and `manage.py replay` (when the database holds no
    demo) make them the same way."""
    from django.contrib.auth import get_user_model

    orgs = {
        name: Organisation.objects.create(name=name, kind=kind)
        for name, kind in ORGANISATIONS
    }
    User = get_user_model()
    users = {}
    for username, full_name, org_name, role in USERS:
        first, _, last = full_name.partition(" ")
        user = User(username=username, first_name=first, last_name=last)
        user.set_password(PASSWORD)
        user.is_staff = role == Role.BEHEERDER
        user.save()
        Membership.objects.create(user=user, organisation=orgs[org_name], role=role)
        users[username] = user
    return orgs, users


# The note with which a demo step is taken.
NOTE = "Demo: stap gezet met redenen in het dossier."

GEMEENTE = "Gemeente Venlo"

AREAS = {
    "Blerick": ("5921", ["Antoniuslaan", "Kloosterstraat", "Vastenavondkampweg"]),
    "Vastenavondkamp": ("5924", ["Carnavalsweg", "Prinsenhof", "Elfelflaan"]),
    "Q4": ("5912", ["Nolensplein", "Sint Martinusstraat", "Vleesstraat"]),
    "Venlo-Oost": ("5914", ["Hogeweg", "Stalberg", "Maasbreeweg"]),
    "Tegelen": ("5931", ["Kerkstraat", "Industriestraat", "Grotestraat"]),
}
FIRST = [
    "Jan", "Fleur", "Ruud", "Sanne", "Mohamed", "Eva", "Kevin", "Lotte",
    "Yusuf", "Anouk", "Dennis", "Noor", "Rik", "Iris", "Bilal", "Maud",
]  # fmt: skip
LAST = [
    "Verheggen", "Hermans", "Janssen", "Vrĳhoef", "Smeets", "El Amrani",
    "Peters", "Driessen", "Kurvers", "Wĳnen", "Gommans", "Reinders",
    "Van Dijk", "Ijzerman",
]  # fmt: skip
COMPANIES = [
    "Shisha Lounge De Maasboulevard",
    "Autobedrijf Blerick-Noord",
    "Snackbar 't Hoekske",
    "Nagelstudio Q4",
    "Belwinkel Centrum",
    "Vastgoed Tegelen BV",
    "Kapsalon Oost",
    "Cafetaria De Kamp",
]


@dataclass(frozen=True)
class SignalKind:
    """What a demo signal of one kind says and who supplies it: `supplier`
    is an organisation's name, `registrar` the username that registers it."""

    source: str
    data_class: str
    supplier: str
    registrar: str
    legal_basis: str
    summary: str


# The kinds of signal the demo receives from partners.
RAPPORTAGE = SignalKind(
    Signal.Source.BESTUURLIJKE_RAPPORTAGE,
    DataClass.D3,
    "Politie Eenheid Limburg",
    "politie",
    "Wpg 16 lid 1 b",
    "Bestuurlijke rapportage: handelshoeveelheid "
    "harddrugs aangetroffen bij doorzoeking van de woning.",
)
MMA = SignalKind(
    Signal.Source.MMA,
    DataClass.D3,
    "Politie Eenheid Limburg",
    "politie",
    "Wpg 19",
    "Meld Misdaad Anoniem: vermoedelijke hennepkwekerij en "
    "illegale bewoning boven bedrijfspand.",
)
RIEC_AANMELDING = SignalKind(
    Signal.Source.RIEC,
    DataClass.D10,
    "RIEC Limburg",
    "casusregisseur",
    "WGS 2.31 lid 1",
    "Aanmelding complexe casus: jongvolwassene in netwerk van "
    "bekende verdachten, problemen op meerdere leefgebieden.",
)


def elfproef_bsn(rng: random.Random) -> str:
    """A made-up number that passes the BSN eleven test."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last <= 9 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


class Demo:
    """What a demo seeder works with.

    - `rng`: the one `random.Random` of the run; draw from it only through
      the helpers or in a fixed order, so the same seed gives the same data.
    - `today`: the local date the demo is built on.
    - `users`: username → user (the README lists them; password `demo`).
    - `orgs`: organisation name → `permissions.Organisation`.
    """

    def __init__(self, *, rng: random.Random, today: date, users: dict, orgs: dict):
        self.rng = rng
        self.today = today
        self.users = users
        self.orgs = orgs

    # Made-up people, companies and addresses (unsaved) -------------------

    def person(self) -> Party:
        rng = self.rng
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        born = date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
        return Party(
            kind=Party.Kind.PERSON,
            name=name,
            date_of_birth=born,
            bsn=elfproef_bsn(rng) if rng.random() < 0.6 else "",
        )

    def company(self) -> Party:
        return Party(
            kind=Party.Kind.COMPANY,
            name=self.rng.choice(COMPANIES),
            kvk_number=f"{self.rng.randint(10000000, 99999999)}",
            legal_form="Eenmanszaak",
        )

    def address(self) -> Location:
        rng = self.rng
        area = rng.choice(list(AREAS))
        prefix, streets = AREAS[area]
        letters = rng.choice(["AB", "BC", "CD", "EG", "HK", "LN", "PR", "TV"])
        return Location(
            street=rng.choice(streets),
            house_number=rng.randint(1, 180),
            addition=rng.choice(["", "", "", "A", "B"]),
            postcode=f"{prefix} {letters}",
            city="Tegelen" if area == "Tegelen" else "Venlo",
            area=area,
        )

    # Signals and cases ----------------------------------------------------

    def signal(
        self,
        kind: SignalKind,
        *,
        received_on: date,
        parties: list[Party],
        locations: list[Location],
        registrar: str = "",
    ) -> Signal:
        """Register a signal of `kind` (by `registrar`, else the kind's own);
        a partner's signal is shared with the gemeente."""
        supplied_by_gemeente = kind.supplier == GEMEENTE
        return services.signal_register(
            user=self.users[registrar or kind.registrar],
            source=kind.source,
            received_on=received_on,
            summary=kind.summary,
            data_class=kind.data_class,
            legal_basis=kind.legal_basis,
            shared_with=[] if supplied_by_gemeente else [self.orgs[GEMEENTE]],
            parties=parties,
            locations=locations,
        )

    @staticmethod
    def where(signal: Signal) -> str:
        """The street and house number of the signal's first address (for a title)."""
        location = signal.locations.first()
        return f"{location.street} {location.house_number}"

    def open_case(
        self, signal: Signal, *, case_type: str, owner: str, title: str, team=()
    ) -> Case:
        """Open a case of `case_type` from the signal (its parties and
        locations come along) with `owner` as owner, date it two days after
        the signal was received and add the team: (username, team role)
        pairs, e.g. `("politie", CaseAccess.TeamRole.CONTRIBUTOR)`."""
        case = services.signal_convert(
            signal=signal, user=self.users[owner], case_type=case_type, title=title
        )
        self.backdate(case, signal.received_on + timedelta(days=2))
        self.team(case, team)
        return case

    def backdate(self, case: Case, opened_on: date, *, hour: int = 9) -> None:
        """The case was opened on `opened_on` at `hour` o'clock (also its
        place in the case lists). The instance is updated too."""
        opened = timezone.make_aware(
            datetime.combine(opened_on, datetime.min.time()) + timedelta(hours=hour)
        )
        Case.objects.filter(pk=case.pk).update(opened_at=opened)
        CaseAccess.objects.filter(case=case).update(sort_key=opened)
        case.opened_at = opened

    def team(self, case: Case, members) -> None:
        """Add (username, team role) pairs to the team, as the case owner."""
        for username, team_role in members:
            services.case_team_add(
                case=case,
                user=case.created_by,
                member=self.users[username],
                team_role=team_role,
            )

    def step(self, case: Case, name: str, username: str, *, note=NOTE, **data):
        """Take step `name` as `username` through `casework.steps.step_run`,
        with the step's data as keyword arguments; returns the case."""
        return step_run(
            case=case, name=name, user=self.users[username], note=note, data=data
        )

    # Administration ---------------------------------------------------------

    def grant(self, username: str, codenames) -> None:
        """Give the user these model permissions (by codename) on top of the
        ones it has, e.g. the beheerder's on a package's policy tables."""
        self.users[username].user_permissions.add(
            *Permission.objects.filter(codename__in=codenames)
        )
