"""Build a fictional municipality with partners, one user per role and about
fifty signals and cases. Every person, company and address is made up."""

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework import deadlines, documents, services
from casework.models import CaseType, Location, Party, Signal
from permissions.models import CaseAccess, DataClass, Membership, Organisation, Role
from workflows import bibob_services, handhavingsmatrix, pga_demo, steps
from workflows.bibob_models import Danger
from workflows.bibob_terms import seed_example_term_policy

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

AREAS = {
    "Blerick": ("5921", ["Antoniuslaan", "Kloosterstraat", "Vastenavondkampweg"]),
    "Vastenavondkamp": ("5924", ["Carnavalsweg", "Prinsenhof", "Elfelflaan"]),
    "Q4": ("5912", ["Nolensplein", "Sint Martinusstraat", "Vleesstraat"]),
    "Venlo-Oost": (
        "5914",
        ["Hogeweg", "Stalberg", "Maasbree­weg".replace("\u00ad", "")],
    ),
    "Tegelen": ("5931", ["Kerkstraat", "Industriestraat", "Grotestraat"]),
}

FIRST = [
    "Jan",
    "Fleur",
    "Ruud",
    "Sanne",
    "Mohamed",
    "Eva",
    "Kevin",
    "Lotte",
    "Yusuf",
    "Anouk",
    "Dennis",
    "Noor",
    "Rik",
    "Iris",
    "Bilal",
    "Maud",
]
LAST = [
    "Verheggen",
    "Hermans",
    "Janssen",
    "Vrĳhoef",
    "Smeets",
    "El Amrani",
    "Peters",
    "Driessen",
    "Kurvers",
    "Wĳnen",
    "Gommans",
    "Reinders",
    "Van Dijk",
    "Ijzerman",
]
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


def elfproef_bsn(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last <= 9 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


class Command(BaseCommand):
    help = "Load the fictional demo municipality (users, signals, cases)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        User = get_user_model()
        if User.objects.filter(username="jurist").exists():
            self.stdout.write("Demo data already present; nothing changed.")
            return
        with transaction.atomic():
            self.build(random.Random(seed))
        # As the morning sweep would: overdue demo deadlines become "missed".
        deadlines.deadlines_sweep()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def build(self, rng: random.Random) -> None:
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
        self.grant_admin(users["beheerder"])
        handhavingsmatrix.seed_example_policy()
        seed_example_term_policy()
        gemeente = orgs["Gemeente Venlo"]
        politie = orgs["Politie Eenheid Limburg"]
        riec = orgs["RIEC Limburg"]

        def person():
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            born = date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
            return Party(
                kind=Party.Kind.PERSON,
                name=name,
                date_of_birth=born,
                bsn=elfproef_bsn(rng) if rng.random() < 0.6 else "",
            )

        def company():
            return Party(
                kind=Party.Kind.COMPANY,
                name=rng.choice(COMPANIES),
                kvk_number=f"{rng.randint(10000000, 99999999)}",
                legal_form="Eenmanszaak",
            )

        def address():
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

        today = timezone.localdate()
        plan = (
            [(CaseType.LOD, "jurist")] * 12
            + [(CaseType.BIBOB, "bibob")] * 8
            + [(CaseType.CONTROLE, "coordinator")] * 10
        )
        signal_kinds = {
            CaseType.LOD: (
                Signal.Source.BESTUURLIJKE_RAPPORTAGE,
                DataClass.D3,
                politie,
                "Wpg 16 lid 1 b",
                "Bestuurlijke rapportage: handelshoeveelheid "
                "harddrugs aangetroffen bij doorzoeking van de woning.",
            ),
            CaseType.BIBOB: (
                Signal.Source.HANDHAVINGSOVERLEG,
                DataClass.D0,
                gemeente,
                "",
                "Aanvraag exploitatievergunning horeca; indicatoren uit de "
                "Bibob-beleidslijn aanwezig.",
            ),
            CaseType.CONTROLE: (
                Signal.Source.MMA,
                DataClass.D3,
                politie,
                "Wpg 19",
                "Meld Misdaad Anoniem: vermoedelijke hennepkwekerij en "
                "illegale bewoning boven bedrijfspand.",
            ),
            CaseType.PGA: (
                Signal.Source.RIEC,
                DataClass.D10,
                riec,
                "WGS 2.31 lid 1",
                "Aanmelding complexe casus: jongvolwassene in netwerk van "
                "bekende verdachten, problemen op meerdere leefgebieden.",
            ),
        }
        for index, (case_type, owner_name) in enumerate(plan):
            source, data_class, supplier, basis, summary = signal_kinds[case_type]
            registrar = users["politie"] if supplier == politie else users[owner_name]
            if supplier == riec:
                registrar = users["casusregisseur"]
            received = today - timedelta(days=rng.randint(3, 240))
            if case_type == CaseType.BIBOB:
                received = today - timedelta(days=62 + index)
            if case_type == CaseType.LOD and index >= 4:
                # Far enough back for the steps the demo takes on it.
                received = today - timedelta(days=120 + index)
            parties = [person()] + ([company()] if case_type != CaseType.PGA else [])
            signal = services.signal_register(
                user=registrar,
                source=source,
                received_on=received,
                summary=summary,
                data_class=data_class,
                legal_basis=basis,
                shared_with=[gemeente] if supplier != gemeente else [],
                parties=parties,
                locations=[address()],
            )
            owner = users[owner_name]
            street = signal.locations.first()
            where = f"{street.street} {street.house_number}"
            title = {
                CaseType.LOD: f"Drugshandel {where}",
                CaseType.BIBOB: f"Exploitatievergunning {parties[-1].name}",
                CaseType.CONTROLE: f"Integrale controle {where}",
                CaseType.PGA: f"PGA {parties[0].name}",
            }[case_type]
            case = services.signal_convert(
                signal=signal, user=owner, case_type=case_type, title=title
            )
            self.backdate(case, received)
            self.build_team(case, case_type, users)
            if case_type == CaseType.LOD:
                self.advance_lod(case, users, index, today)
            elif case_type == CaseType.BIBOB:
                self.advance_bibob(case, users, index - 12, today)
            elif case_type == CaseType.CONTROLE and 4 <= index - 20 <= 6:
                self.advance_controle(case, users, index - 20, orgs)
            else:
                self.advance(case, case_type, owner, index)

        # Persoonsgerichte aanpak: persons in each main state (workflows/pga_demo).
        pga_demo.seed(users=users, orgs=orgs, person=person, today=today)

        # Signals still waiting for triage, and a few filed ones.
        for index in range(12):
            source, data_class, supplier, basis, summary = signal_kinds[
                [CaseType.LOD, CaseType.CONTROLE, CaseType.LOD, CaseType.PGA][index % 4]
            ]
            registrar = (
                users["politie"] if supplier == politie else users["casusregisseur"]
            )
            signal = services.signal_register(
                user=registrar,
                source=source,
                received_on=today - timedelta(days=rng.randint(0, 20)),
                summary=summary,
                data_class=data_class,
                legal_basis=basis,
                shared_with=[gemeente],
                parties=[person()],
                locations=[address()],
            )
            if index % 4 == 1:
                services.signal_start_triage(signal=signal, user=users["coordinator"])
            if index in (2, 6):
                services.signal_file(
                    signal=signal,
                    user=users["jurist"],
                    reason="Onvoldoende feiten voor een bestuurlijke maatregel; "
                    "teruggelegd bij de politie.",
                )
        for _index in range(2):
            services.signal_register(
                user=users["toezicht"],
                source=Signal.Source.TOEZICHT,
                received_on=today - timedelta(days=rng.randint(0, 10)),
                summary="Constatering BOA: afval en verdachte geur bij loods.",
                data_class=DataClass.D0,
                parties=[],
                locations=[address()],
            )
        # A cluster for the selection board: four signals about one business
        # premises from three sources (issue 6).
        loods = Location(
            street="Industrieweg", postcode="5928 AA", house_number=7,
            city="Venlo", area="Venlo-Oost",
        )  # fmt: skip
        for days_ago, user, source, data_class, basis, summary in (
            (40, "politie", Signal.Source.MMA, DataClass.D3, "Wpg 19",
             "Meld Misdaad Anoniem: komen en gaan van busjes 's nachts."),
            (25, "toezicht", Signal.Source.TOEZICHT, DataClass.D0, "",
             "Constatering BOA: ramen afgeplakt, sterke geur van hennep."),
            (12, "politie", Signal.Source.BESTUURLIJKE_RAPPORTAGE, DataClass.D3,
             "Wpg 16 lid 1 b", "Bestuurlijke rapportage: verhoogd stroomverbruik."),
            (4, "toezicht", Signal.Source.TOEZICHT, DataClass.D0, "",
             "Constatering BOA: bewoning boven de bedrijfsruimte."),
        ):  # fmt: skip
            services.signal_register(
                user=users[user], source=source,
                received_on=today - timedelta(days=days_ago), summary=summary,
                data_class=data_class, legal_basis=basis,
                shared_with=[gemeente] if user == "politie" else [],
                parties=[], locations=[loods],
            )  # fmt: skip

    def advance_lod(self, case, users, index: int, today: date) -> None:
        """One LOD case in each main state, reached through the real steps
        (workflows.steps.step_run), so its deadlines, legal protection and
        flow tasks are what a user would have made."""
        days = timedelta

        def step(name, who, **data):
            return (name, who, data)

        def assess(substance="hard", grams="12.5", violation=1):
            return [
                step("start_assessment", "jurist"),
                step(
                    "@assessment",
                    "jurist",
                    found_on=case.opened_at.date() - days(2),
                    premises_kind="woning",
                    substance=substance,
                    grams=Decimal(grams),
                    violation=violation,
                    facts="Bij de doorzoeking van de woning is een handelshoeveelheid "
                    "aangetroffen; de bewoner is eerder niet met 13b in aanraking "
                    "geweest.",
                ),
            ]

        def intention(sent_ago, weeks, **facts):
            return [
                *assess(**facts),
                step(
                    "send_intention",
                    "jurist",
                    measure="sluiting" if facts else "dwangsom",
                    sent_on=today - days(sent_ago),
                    term_length=weeks,
                    term_unit="weeks",
                    atw_applies=False,
                ),
            ]

        def to_decision(**facts):
            return [*intention(40, 1, **facts), step("views_term_expired", "jurist")]

        penalty = {
            "amount": Decimal("5000"),
            "amount_basis": "per_violation",
            "maximum": Decimal("15000"),
        }

        def order(kind, made_known_ago, **decision):
            facts = {"violation": 2} if kind == "impose_closure_order" else {}
            return [
                *to_decision(**facts),
                step(kind, "burgemeester", **decision),
                step(
                    "notify_decision",
                    "jurist",
                    made_known_on=today - days(made_known_ago),
                    manner="registered",
                ),
            ]

        monitoring = [
            *order("impose_penalty_order", 90, preventive=True, **penalty),
            step("start_monitoring", "jurist"),
        ]

        def breach(ago):
            return [
                *monitoring,
                step("review_new_report", "toezicht"),
                step("establish_breach", "toezicht", forfeited_on=today - days(ago)),
            ]

        scripts = [
            [],
            [step("start_assessment", "jurist")],
            [
                step("start_assessment", "jurist"),
                step("close_without_action", "jurist"),
            ],
            [*assess(substance="soft", grams="20"), step("send_warning", "jurist")],
            intention(12, 2),
            [
                *intention(20, 2),
                step(
                    "receive_views",
                    "jurist",
                    received_on=today - days(9),
                    manner="oral",
                    hearing_report="Betrokkene verklaart dat de aangetroffen drugs "
                    "van een logé waren en dat deze inmiddels is vertrokken. Hij "
                    "vraagt af te zien van een last.",
                ),
            ],
            to_decision(),
            [
                *order(
                    "impose_penalty_order",
                    40,
                    grace_days=28,
                    deviation_reason="De overtreding duurt voort: geen preventieve "
                    "last maar een begunstigingstermijn van vier weken om de "
                    "handel te beëindigen.",
                    **penalty,
                ),
                step("start_grace_period", "jurist", term_length=4, term_unit="weeks"),
            ],
            monitoring,
            breach(12),
            [
                *breach(60),
                step("propose_collection", "jurist"),
                step("decide_collection", "jurist", made_known_on=today - days(20)),
            ],
            [
                *order("impose_closure_order", 30, closure_months=3, grace_days=14),
                step("start_grace_period", "jurist", term_length=2, term_unit="weeks"),
                step("execute_closure", "toezicht"),
                step("start_closure_period", "toezicht", closed_on=today - days(10)),
            ],
        ]
        for name, who, data in scripts[index % len(scripts)]:
            if name == "@assessment":
                handhavingsmatrix.lod_assessment_record(
                    case=case, user=users[who], **data
                )
                continue
            steps.step_run(
                case=case,
                name=name,
                user=users[who],
                note="Demo: stap gezet met redenen in het dossier.",
                data=data,
            )
        if index == 4:
            deadline = case.deadlines.get(legal_basis="Awb 4:8")
            documents.document_generate(
                case=case,
                user=users["jurist"],
                template_key="voornemen_lod",
                inputs=self.voornemen_inputs(case, today, deadline.end_date),
            )

    def voornemen_inputs(self, case, today: date, views_until: date) -> dict:
        party = case.parties.select_related("party").first().party
        location = case.locations.select_related("location").first().location
        number = f"{location.house_number}{location.addition}"
        return {
            "reference": case.reference,
            "date": today.isoformat(),
            "recipient_name": party.name,
            "recipient_address": [
                f"{location.street} {number}",
                f"{location.postcode} {location.city}",
            ],
            "premises_address": str(location),
            "violation": "Bij een doorzoeking van de woning is een handelshoeveelheid "
            "harddrugs (lijst I Opiumwet) aangetroffen.",
            "legal_basis": "artikel 13b, eerste lid, Opiumwet",
            "measure_description": "Het verkopen, afleveren of verstrekken van "
            "drugs in of bij de woning, of het daartoe aanwezig hebben, te "
            "beëindigen en beëindigd te houden.",
            "amount_per_violation": "5000.00",
            "maximum_amount": "15000.00",
            "zienswijze_deadline": views_until.isoformat(),
        }

    def advance_controle(self, case, users, index: int, orgs) -> None:
        """Inspections with a planned visit, with findings per partner, and
        with a follow-up case (issue 6 demo)."""
        from workflows import controle_models as controle

        coordinator, toezicht = users["coordinator"], users["toezicht"]

        def step(name, user):
            return services.case_transition(
                case=case, name=name, user=user, note="Demo: met redenen."
            )

        for name in ("start_triage", "select", "check_entry"):
            case = step(name, coordinator)
        visit = controle.visit_plan(
            case=case,
            user=coordinator,
            planned_at=timezone.now() + timedelta(days=2 + index, hours=2),
            lead=toezicht,
        )
        for kind, org, basis, who in (
            ("politie", "Politie Eenheid Limburg", "Politiewet 3", "politie"),
            ("belastingdienst", "Belastingdienst Zuid", "AWR 49", "belastingdienst"),
        ):
            slot = controle.slot_add(
                visit=visit, user=coordinator, kind=kind, legal_basis=basis,
                organisation=orgs[org],
            )  # fmt: skip
            controle.slot_confirm(slot=slot, user=users[who])
        case = step("fix_plan", coordinator)
        if index == 4:
            return
        controle.briefing_save(
            case=case, user=coordinator,
            risk_flags="Bewoner bekend met geweld tegen hulpverleners; hond aanwezig.",
            powers="Awb 5:15 (bedrijfsruimte, geen woning); Elektriciteitswet.",
        )  # fmt: skip
        for name in ("hold_briefing", "start_visit"):
            case = step(name, toezicht)
        for who, text, shareable in (
            ("politie", "Hennepkwekerij in de achterruimte, circa 300 planten.", False),
            (
                "belastingdienst",
                "Kassa zonder registratie; omzet niet aangegeven.",
                False,
            ),
            ("toezicht", "Illegale bewoning boven de bedrijfsruimte.", True),
        ):
            controle.finding_record(
                case=case, user=users[who], text=text, shareable=shareable
            )
        case = step("finish_visit", toezicht)
        if index == 5:
            return
        case = step("decide_follow_up", coordinator)
        controle.follow_up_open(
            case=case, user=coordinator,
            case_type=CaseType.LOD, title=f"Vervolg: {case.title}",
        )  # fmt: skip

    def advance_bibob(self, case, users, index: int, today: date) -> None:
        """Bibob applications in the main states, through the real steps, with
        a decision term from the example term policy (issue 5 item 7)."""
        days = timedelta

        def step(name, who="bibob", **data):
            return (name, who, data)

        def source(_case):
            bibob_services.bibob_source_add(
                case=_case, user=users["bibob"], kind="kvk",
                consulted_on=today - days(40), legal_basis="Handelsregisterwet 2007",
                finding="Bestuurder sinds 2025; eerder bij drie faillissementen.",
            )  # fmt: skip

        def conclude(degree, advice):
            def record(_case):
                bibob_services.bibob_conclusion_record(
                    case=_case, user=users["bibob"], degree=degree, ground_a=True,
                    ground_b=False, advice_needed=advice,
                    proportionality="Voorschriften volstaan; weigeren gaat te ver.",
                    concluded_on=today - days(35),
                )  # fmt: skip

            return record

        intake = [
            step("start_regular_assessment", kind="application",
                 application_type="exploitatievergunning",
                 received_on=today - days(60)),
            step("start_screening"),
        ]  # fmt: skip
        screened = [*intake, step("apply_bibob")]
        investigated = [
            *screened,
            step("receive_form"),
            source,
            step("conclude_investigation"),
        ]
        advice = [
            *investigated,
            conclude(Danger.MINDERE_MATE, True),
            step("request_advice", on=today - days(30)),
            step("send_art32_notice", on=today - days(29)),
        ]
        scripts = [
            [],
            intake,
            screened,
            [*screened, step("report_incomplete", sent_on=today - days(20),
                             term_length=2, term_unit="weeks")],
            investigated,
            advice,
            [*advice, step("receive_advice", on=today - days(5))],
            [*screened, step("withdraw", on=today - days(10), bibob_related=True)],
        ]  # fmt: skip
        for item in scripts[index % len(scripts)]:
            if callable(item):
                item(case)
                continue
            name, who, data = item
            steps.step_run(
                case=case,
                name=name,
                user=users[who],
                note="Demo: stap gezet met redenen in het dossier.",
                data=data,
            )
        # The permit handler follows every application's outcome (issue 5).
        bibob_services.bibob_permit_handler_add(
            case=case, user=users["bibob"], handler=users["vergunning"]
        )

    def backdate(self, case, received: date) -> None:
        opened = timezone.make_aware(
            datetime.combine(received + timedelta(days=2), datetime.min.time())
            + timedelta(hours=9)
        )
        type(case).objects.filter(pk=case.pk).update(opened_at=opened)
        CaseAccess.objects.filter(case=case).update(sort_key=opened)
        case.opened_at = opened

    def build_team(self, case, case_type, users) -> None:
        member, contributor = (
            CaseAccess.TeamRole.MEMBER,
            CaseAccess.TeamRole.CONTRIBUTOR,
        )
        owner = case.created_by
        teams = {
            CaseType.LOD: [
                ("burgemeester", member),
                ("toezicht", member),
                ("invordering", member),
                ("politie", contributor),
            ],
            CaseType.BIBOB: [("burgemeester", member)],
            CaseType.CONTROLE: [
                ("jurist", member),
                ("politie", contributor),
                ("belastingdienst", contributor),
                ("toezicht", member),
            ],
            CaseType.PGA: [("politie", contributor), ("om", contributor)],
        }
        for username, team_role in teams[case_type]:
            services.case_team_add(
                case=case, user=owner, member=users[username], team_role=team_role
            )

    def advance(self, case, case_type, owner, index) -> None:
        steps = {
            CaseType.CONTROLE: [
                [],
                ["start_triage"],
                ["start_triage", "select"],
                ["start_triage", "dismiss"],
            ],
            CaseType.PGA: [
                [],
                ["start_screening"],
                ["start_screening", "to_triage"],
                ["start_screening", "to_triage", "accept"],
                ["start_screening", "to_triage", "reject"],
            ],
        }[case_type]
        for name in steps[index % len(steps)]:
            services.case_transition(
                case=case,
                name=name,
                user=owner,
                note="Demo: stap gezet met redenen in het dossier.",
            )

    def grant_admin(self, user) -> None:
        codenames = [
            "view_organisation",
            "add_organisation",
            "change_organisation",
            "view_user",
            "add_user",
            "change_user",
            "view_membership",
            "add_membership",
            "change_membership",
            "view_equatedholiday",
            "add_equatedholiday",
            "change_equatedholiday",
            "delete_equatedholiday",
            "view_beleidsregel",
            "add_beleidsregel",
            "change_beleidsregel",
            "view_matrixrule",
            "add_matrixrule",
            "change_matrixrule",
            "delete_matrixrule",
        ]
        user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
