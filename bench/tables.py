"""The municipality's tables for the benchmark database (issue 16 items 5–7):
the ondermijningstafel, the veiligheidstafel and a handhavingsoverleg per
town, their meetings since 2019 and the agenda of each — subjects, the
partners' decisions, action points and the minutes of closed meetings.

    python bench/generate.py --cases N …            (part of every generation)
    python bench/generate.py --tables-only --database-url …   (an older database)

The number of tables and meetings is a municipality's, whatever the number of
cases: 9 tables and about 1,950 meetings, 17,000 subjects on them. A table's
pages then cost what one municipality's tables cost, at 10k and at 1M cases,
and the cases on the agendas are drawn from the whole database (recent cases
of the kind the table discusses). Rows are written as the services write them
(`tafels.services`: a case's subject carries the case's class, a decision
and an action point their partner, a closed meeting its `Minutes`), in bulk.
Deterministic for a given seed and --today.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, datetime, time, timedelta

from bench.generate import AREAS, TZ

FOUNDED = date(2019, 1, 7)  # a Monday: the tables were set up that week
# The generator's towns, in its order (a handhavingsoverleg each).
TOWNS = tuple(dict.fromkeys(town for town, _area in AREAS.values()))
SAMPLE = 60_000  # cases read to draw the agendas' cases from

# kind, name, chair (organisation kind), participants, days between meetings,
# subjects per meeting (min, max), the case types it discusses
TABLES = [
    ("ondermijningstafel", "Ondermijningstafel Venlo", "gemeente",
     ("politie", "om", "belastingdienst", "riec"), 28, (8, 14), ("BIB", "LOD", "IC")),
    ("veiligheidstafel", "Veiligheidstafel Noord-Limburg", "zvh",
     ("gemeente", "politie", "om", "woningcorporatie"), 7, (6, 10), ("PGA",)),
    *[
        ("handhavingsoverleg", f"Handhavingsoverleg {town}", "gemeente",
         ("politie", "brandweer", "inspectie"), 14, (5, 10), ("LOD", "IC"))
        for town in TOWNS
    ],
]  # fmt: skip
PLACES = {
    "gemeente": "Stadskantoor, kamer 3.12",
    "zvh": "Zorg- en Veiligheidshuis, Venlo",
}
REASONS = {
    "case": "Stand van zaken en de vervolgstappen bespreken.",
    "person": "Genoemd in meerdere meldingen; informatie van de partners bundelen.",
    "address": "Signalen over het pand; gezamenlijke aanpak afstemmen.",
}
DECISIONS = (
    "Deelt de beschikbare informatie binnen de kaders van het convenant.",
    "Onderzoekt de mogelijkheden binnen de eigen bevoegdheden.",
    "Neemt contact op met de betrokkene en koppelt terug.",
    "Sluit aan bij de integrale controle.",
)


def generate(seed: int, today: date) -> dict[str, int]:
    """Write the tables and their meetings; the number of rows per model."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from casework.models import Case, Location, Party
    from permissions.models import DataClass, Membership, Organisation
    from permissions.policy import TABLE_CHAIR_ROLES, TABLE_ROLES
    from tafels.minutes import MINUTES
    from tafels.models import ActionPoint, Decision, Meeting, Minutes, Subject, Table

    rng = random.Random(seed + 16)
    orgs = {o.kind: o.pk for o in Organisation.objects.order_by("pk")}
    # (user id) per organisation id, of the roles that sit at / chair tables
    sitting: dict[int, list[int]] = {}
    chairing: dict[int, list[int]] = {}
    for user_id, org_id, role in (
        Membership.objects.exclude(user__username__startswith="bench_")
        .order_by("user_id")
        .values_list("user_id", "organisation_id", "role")
    ):
        if role in TABLE_ROLES:
            sitting.setdefault(org_id, []).append(user_id)
        if role in TABLE_CHAIR_ROLES:
            chairing.setdefault(org_id, []).append(user_id)
    # A spread of cases to draw the agendas' cases from, oldest first per type.
    step = max(1, Case.objects.count() // SAMPLE)
    pool: dict[str, tuple[list[date], list[tuple[int, str]]]] = {}
    from django.db.models.functions import Mod

    spread = (
        Case.objects.annotate(m=Mod("id", step))
        .filter(m=0)
        .order_by("opened_at", "id")
        .values_list("id", "case_type", "data_class", "opened_at")
    )
    for cid, ctype, cls, opened in spread:
        days, cases = pool.setdefault(ctype, ([], []))
        days.append(opened.astimezone(TZ).date())
        cases.append((cid, cls))
    persons = list(
        Party.objects.filter(kind=Party.Kind.PERSON)
        .order_by("pk")
        .values_list("pk", flat=True)[:SAMPLE]
    )
    locations = list(
        Location.objects.order_by("pk").values_list("pk", flat=True)[:SAMPLE]
    )
    User = get_user_model()
    first_user = User.objects.order_by("pk").values_list("pk", flat=True).first()

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour), TZ)

    def recent_case(types, day):
        """A case of one of `types` opened in the half year before `day`."""
        ctype = rng.choice(types)
        days, cases = pool.get(ctype, ([], []))
        end = bisect.bisect_right(days, day)
        start = bisect.bisect_left(days, day - timedelta(days=182))
        if end == 0:
            return None
        return cases[rng.randrange(start if start < end else 0, end)]

    counts = dict.fromkeys(["tables", "meetings", "subjects", "decisions",
                            "action points", "minutes"], 0)  # fmt: skip
    with transaction.atomic():
        for kind, name, chair_kind, partner_kinds, every, per, types in TABLES:
            chair = orgs[chair_kind]
            partners = [orgs[k] for k in partner_kinds if k in orgs]
            chair_users = chairing.get(chair) or [first_user]
            table = Table.objects.create(
                kind=kind,
                name=name,
                chair_id=chair,
                created_at=at(FOUNDED, 9),
                created_by_id=rng.choice(chair_users),
            )
            table.participants.set(partners)
            counts["tables"] += 1
            seats = [chair, *partners]
            meetings, day = [], FOUNDED + timedelta(days=rng.randrange(every))
            while day <= today + timedelta(weeks=6):
                if day < today - timedelta(days=7):
                    status = Meeting.Status.CLOSED
                elif day <= today:
                    status = Meeting.Status.HELD
                else:
                    status = Meeting.Status.PLANNED
                closed = status == Meeting.Status.CLOSED
                meetings.append(
                    Meeting(
                        table=table,
                        date=day,
                        place=PLACES[chair_kind],
                        status=status,
                        created_by_id=rng.choice(chair_users),
                        closed_at=at(day + timedelta(days=3), 10) if closed else None,
                        closed_by_id=rng.choice(chair_users) if closed else None,
                    )
                )
                day += timedelta(days=every)
            Meeting.objects.bulk_create(meetings)
            counts["meetings"] += len(meetings)
            minutes = Minutes.objects.bulk_create(
                [
                    Minutes(
                        meeting=m,
                        template_version=MINUTES.version,
                        made_by_id=m.closed_by_id,
                        made_at=m.closed_at,
                    )
                    for m in meetings
                    if m.status == Meeting.Status.CLOSED
                ]
            )
            counts["minutes"] += len(minutes)
            subjects = []
            for m in meetings:
                put = at(m.date - timedelta(days=7), 11)
                for k in range(rng.randint(*per)):
                    org = rng.choice(seats)
                    row = Subject(
                        meeting=m,
                        organisation_id=org,
                        put_by_id=rng.choice(sitting.get(org) or chair_users),
                        put_at=put + timedelta(minutes=k),
                    )
                    draw = rng.random()
                    case = recent_case(types, m.date) if draw < 0.6 else None
                    if case is not None:
                        row.kind, row.case_id, row.data_class = "case", *case
                    elif draw < 0.8 and persons:
                        row.kind, row.party_id = "person", rng.choice(persons)
                        police = org == orgs.get("politie")
                        row.data_class = DataClass.D3 if police else DataClass.D1
                    else:
                        row.kind, row.location_id = "address", rng.choice(locations)
                        row.data_class = DataClass.D1
                    row.reason = REASONS[row.kind]
                    subjects.append(row)
            Subject.objects.bulk_create(subjects, batch_size=2_000)
            counts["subjects"] += len(subjects)
            decisions, points = [], []
            for s in subjects:
                if s.meeting.status == Meeting.Status.PLANNED:
                    continue
                recorded = at(s.meeting.date, 15)
                for org in rng.sample(seats, rng.choice((0, 1, 1, 2))):
                    decisions.append(
                        Decision(
                            subject=s,
                            organisation_id=org,
                            text=rng.choice(DECISIONS),
                            recorded_by_id=rng.choice(chair_users),
                            recorded_at=recorded,
                        )
                    )
                if s.case_id is not None and rng.random() < 0.25:
                    points.append(
                        ActionPoint(
                            subject=s,
                            organisation_id=chair,
                            description="Vervolgactie plannen met de partners.",
                            due_on=s.meeting.date + timedelta(days=21),
                            outcome=ActionPoint.Outcome.TASK,
                            case_id=s.case_id,
                            created_by_id=rng.choice(chair_users),
                            created_at=recorded,
                        )
                    )
            Decision.objects.bulk_create(decisions, batch_size=2_000)
            ActionPoint.objects.bulk_create(points, batch_size=2_000)
            counts["decisions"] += len(decisions)
            counts["action points"] += len(points)
    return counts
