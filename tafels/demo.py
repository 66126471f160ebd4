"""The demo's ondermijningstafel: chaired by the gemeente (the coordinator),
with the police, the OM, the Belastingdienst and the RIEC at the table; one
meeting held last week with three subjects, the partners' decisions and an
action point on an inspection, and one planned in two weeks.

Everything goes through the services, as the pages do. No draw from the
demo's random generator: the seeders after this one get the same numbers.
Every person and address is made up.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from casework.models import Case, Location, Party
from permissions.models import DataClass

from . import services
from .models import ActionPoint, Table

GEMEENTE = "Gemeente Venlo"
PARTNERS = (
    "Politie Eenheid Limburg",
    "Openbaar Ministerie Limburg",
    "Belastingdienst Zuid",
    "RIEC Limburg",
)


def seed(demo) -> None:
    users, orgs, today = demo.users, demo.orgs, demo.today
    chair = users["coordinator"]
    founded = timezone.make_aware(datetime.combine(today - timedelta(days=90), time(9)))
    table = services.table_create(
        user=chair,
        kind=Table.Kind.ONDERMIJNING,
        name="Ondermijningstafel Venlo",
        participants=[orgs[name] for name in PARTNERS],
        created_at=founded,
    )
    held = services.meeting_plan(
        table=table,
        user=chair,
        day=today - timedelta(days=7),
        place="Stadskantoor, kamer 3.12",
    )
    person = services.subject_put(
        meeting=held,
        user=users["politie"],
        party=Party(
            kind=Party.Kind.PERSON,
            name="Ricardo Vossen",
            date_of_birth=date(1991, 4, 2),
        ),
        data_class=DataClass.D3,
        reason="Genoemd in drie meldingen over drugshandel in Blerick; "
        "mogelijk stroman voor een shishalounge.",
    )
    address = services.subject_put(
        meeting=held,
        user=chair,
        location=Location(
            street="Kaldenkerkerweg",
            house_number=212,
            postcode="5913 AG",
            city="Venlo",
            area="Q4",
        ),
        data_class=DataClass.D1,
        reason="Pand wisselde twee keer van eigenaar in een jaar; "
        "klachten van omwonenden.",
    )
    inspection = (
        Case.objects.for_user(chair)
        .filter(case_type="IC", closed_at__isnull=True)
        .order_by("opened_at", "pk")
        .first()
    )
    if inspection is not None:
        case_subject = services.subject_put(
            meeting=held,
            user=chair,
            case=inspection,
            reason="Bevindingen van de integrale controle bespreken.",
        )
    services.meeting_hold(meeting=held, user=chair)
    for subject, organisation, text in (
        (person, "Politie Eenheid Limburg",
         "De politie actualiseert de informatie en levert een bestuurlijke "
         "rapportage aan als de feiten dat dragen."),
        (person, GEMEENTE,
         "De gemeente laat het Bibob-team de exploitatievergunning van de "
         "lounge toetsen."),
        (address, "Belastingdienst Zuid",
         "De Belastingdienst kijkt naar de financiering van de laatste "
         "aankoop."),
    ):  # fmt: skip
        services.decision_record(
            subject=subject, user=chair, organisation=orgs[organisation], text=text
        )
    if inspection is not None:
        services.action_point_add(
            subject=case_subject,
            user=chair,
            organisation=orgs[GEMEENTE],
            description="Hercontrole plannen met politie en brandweer.",
            due_on=today + timedelta(days=21),
            outcome=ActionPoint.Outcome.TASK,
        )
    services.meeting_plan(
        table=table,
        user=chair,
        day=today + timedelta(days=14),
        place="Stadskantoor, kamer 3.12",
    )
