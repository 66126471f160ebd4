"""Demo data for the persoonsgerichte aanpak (issue 7 item 9), called by
`seed_demo` through the registry: persons in each main state, built through
the same services and steps a casusregisseur uses, plus two aged files that
the retention sweep will delete when run (`python manage.py
pga_retention_sweep`). Every person is made up."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from casework.demo import Demo
from casework.models import Case
from workflows.pga import services as svc
from workflows.pga.models import (
    HealthItem,
    InterventionKind,
    LifeDomain,
    PgaPolicy,
    PgaReferral,
    Relation,
    TopXCriterion,
)

NOTE = "Demo: besproken in het casusoverleg."
NOT_INFORMED = "Lopend strafrechtelijk onderzoek; informeren na afstemming met het OM."

CRITERIA = [
    ("TX1", "Drie of meer antecedenten voor high impact crimes (overval, straatroof, "
     "woninginbraak) in de afgelopen vijf jaar, waarvan één in het laatste jaar."),
    ("TX2", "Een antecedent voor een high impact crime en een rol als spil in een "
     "netwerk van jongvolwassenen dat betrokken is bij drugshandel."),
    ("TX3", "Minderjarige broers of zussen van een persoon op de lijst met ten minste "
     "één politiecontact (nieuwe aanwas)."),
]  # fmt: skip


def seed(demo: Demo) -> None:
    """Build the PGA demo: the policy, the Top X criteria and the persons'
    cases (labelled below by the state they stand in)."""
    users, orgs, person, today = demo.users, demo.orgs, demo.person, demo.today
    regisseur = users["casusregisseur"]
    gemeente = orgs["Gemeente Venlo"]
    politie = orgs["Politie Eenheid Limburg"]
    om = orgs["Openbaar Ministerie Limburg"]
    zorg = orgs["Veilig Thuis Noord-Limburg"]
    PgaPolicy.objects.get_or_create(
        valid_from=date(2025, 3, 1),
        defaults={
            "review_weeks": 6,
            "aftercare_months": 6,
            "note": "Werkafspraken ZVH Noord-Limburg (demo)",
        },
    )
    criteria = [
        TopXCriterion.objects.get_or_create(
            code=code, defaults={"text": text, "published_on": date(2025, 3, 1)}
        )[0]
        for code, text in CRITERIA
    ]

    def refer(days_ago, reporter=politie, who=None, informed=True):
        received = today - timedelta(days=days_ago)
        case = svc.referral_register(
            user=regisseur,
            person=who or person(),
            reporter=reporter,
            received_on=received,
            reason=(
                "Meervoudige problematiek: schulden, geen vaste woonplek, "
                "middelengebruik en herhaald contact met de politie wegens "
                "overlast en handel in de wijk."
            ),
            goal="Een gezamenlijk plan van zorg en repressie om verdere "
            "criminaliteit en overlast te voorkomen.",
            partners_involved="Wijkagent, sociaal wijkteam",
            informed=informed,
            not_informed_reason="" if informed else NOT_INFORMED,
        )
        # A referral's case opens the day it is received.
        demo.backdate(case, received, hour=11)
        return case

    def step(case, name, note=NOTE, **data):
        return demo.step(case, name, "casusregisseur", note=note, **data)

    def accept(case):
        step(case, "start_screening")
        step(case, "to_triage")
        step(
            case,
            "accept",
            triage_report="Past bij art. 2.25 WGS: problemen op meer leefgebieden, "
            "zowel drang als dwang nodig, impact op het gezin.",
        )

    def select(case):
        for org, basis, members in (
            (gemeente, "Gemeentewet art. 172; Wmo 2015", []),
            (politie, "Politiewet 2012 art. 3", [users["politie"]]),
            (om, "Wet RO art. 124", [users["om"]]),
            (zorg, "Wmo 2015 art. 4.1.1 (Veilig Thuis)", [users["zorg"]]),
        ):
            svc.participant_add(
                case=case, user=regisseur, organisation=org, legal_basis=basis,
                members=members,
            )  # fmt: skip
        svc.directors_assign(case=case, user=regisseur, case_director=regisseur)
        step(case, "assign_director")

    def conference(case, held_days_ago=None):
        planned = timezone.make_aware(
            datetime.combine(today - timedelta(days=held_days_ago or -7),
                             datetime.min.time()) + timedelta(hours=10)
        )  # fmt: skip
        meeting = svc.conference_plan(
            case=case, user=regisseur, planned_at=planned, place="ZVH, Venlo",
            agenda="1. Stand van zaken per partner\n2. Doelen per leefgebied\n"
            "3. Afspraken en actiepunten",
        )  # fmt: skip
        step(case, "plan_conference")
        if held_days_ago is not None:
            svc.conference_record(
                conference=meeting, user=regisseur,
                held_on=today - timedelta(days=held_days_ago),
                minutes="Alle partners aanwezig. Betrokkene heeft schulden en "
                "verblijft wisselend bij familie.",
                decisions="Plan van aanpak vastgesteld; evaluatie over zes weken.",
            )  # fmt: skip
            svc.action_point_add(
                conference=meeting, user=regisseur,
                description="Huisbezoek met de wijkagent plannen",
                organisation=politie, due_on=today + timedelta(days=14),
            )  # fmt: skip
            svc.action_point_add(
                conference=meeting, user=regisseur,
                description="Intake schuldhulpverlening regelen",
                organisation=gemeente, due_on=today + timedelta(days=21),
            )  # fmt: skip
        return meeting

    def plan(case):
        housing = svc.goal_add(
            case=case, user=regisseur, life_domain=LifeDomain.HOUSING,
            description="Een vaste woonplek binnen drie maanden",
        )  # fmt: skip
        justice = svc.goal_add(
            case=case, user=regisseur, life_domain=LifeDomain.JUSTICE,
            description="Geen nieuwe feiten; gebiedsverbod wordt nageleefd",
        )  # fmt: skip
        svc.goal_add(
            case=case, user=regisseur, life_domain=LifeDomain.FINANCES,
            description="Schulden in beeld en een stabiel inkomen",
        )  # fmt: skip
        for goal, org, owner, kind, text, basis, days in (
            (housing, gemeente, regisseur, InterventionKind.ZORG,
             "Urgentieaanvraag en begeleid wonen", "Wmo 2015 art. 2.3.5", 60),
            (justice, politie, users["politie"], InterventionKind.DWANG_BESTUUR,
             "Naleving gebiedsverbod controleren", "Gemeentewet art. 172a", 30),
            (justice, om, users["om"], InterventionKind.DWANG_STRAF,
             "Strafzaak met bijzondere voorwaarden (reclasseringstoezicht)",
             "Sr art. 14c", 90),
            (None, zorg, users["zorg"], InterventionKind.DRANG,
             "Gezinsgesprekken en veiligheidsplan", "Wmo 2015 art. 4.1.1", 45),
        ):  # fmt: skip
            svc.intervention_add(
                case=case, user=regisseur, goal=goal, organisation=org, owner=owner,
                kind=kind, description=text, legal_basis=basis,
                due_on=today + timedelta(days=days),
            )  # fmt: skip
        step(case, "adopt_plan")

    cases: dict[str, Case] = {}
    cases["D00"] = refer(2, reporter=gemeente)
    cases["D10"] = refer(5)
    step(cases["D10"], "start_screening")
    cases["D20"] = refer(8, reporter=zorg, informed=False)
    step(cases["D20"], "start_screening")
    step(cases["D20"], "to_triage")

    cases["D25"] = refer(20)
    step(cases["D25"], "start_screening")
    step(cases["D25"], "to_triage")
    step(
        cases["D25"],
        "reject",
        advice="Geen complexe casus in de zin van art. 2.25 WGS: alleen "
        "financiële problemen. Advies: aanmelden bij het sociaal wijkteam.",
    )

    cases["D35"] = refer(15)
    accept(cases["D35"])
    select(cases["D35"])

    cases["D40"] = refer(25)
    accept(cases["D40"])
    select(cases["D40"])
    conference(cases["D40"])

    # The worked example: a plan in execution with health data and a network.
    sibling = person()
    cases["D60"] = refer(70)
    accept(cases["D60"])
    select(cases["D60"])
    conference(cases["D60"], held_days_ago=20)
    plan(cases["D60"])
    step(cases["D60"], "start_execution")
    _health(cases["D60"], users, gemeente, today)
    _network(cases["D60"], regisseur, sibling, person, refer)

    cases["D65"] = refer(110)
    accept(cases["D65"])
    select(cases["D65"])
    conference(cases["D65"], held_days_ago=50)
    plan(cases["D65"])
    step(cases["D65"], "start_execution")
    step(cases["D65"], "start_review")

    cases["D70"] = refer(130)
    accept(cases["D70"])
    select(cases["D70"])
    conference(cases["D70"], held_days_ago=90)
    plan(cases["D70"])
    step(cases["D70"], "start_execution")
    step(
        cases["D70"],
        "escalate",
        note="Betrokkene weigert elke hulp en de overlast neemt toe; opschalen "
        "naar het bestuurlijk overleg.",
    )

    cases["D85"] = refer(220)
    accept(cases["D85"])
    select(cases["D85"])
    conference(cases["D85"], held_days_ago=180)
    plan(cases["D85"])
    step(cases["D85"], "start_execution")
    step(cases["D85"], "de_escalate", note="Doelen bereikt; regulier sociaal wijkteam.")
    step(cases["D85"], "start_aftercare", months=6)

    cases["D05"] = refer(4)
    step(cases["D05"], "mark_top_x_candidate")
    placed = refer(40)
    step(placed, "mark_top_x_candidate")
    svc.top_x_place(
        case=placed, user=regisseur, criteria=criteria[:2],
        reason="Spil in een netwerk van jongvolwassenen; drie HIC-feiten.",
    )  # fmt: skip
    step(placed, "accept_from_list")
    cases["TopX"] = placed

    cases["D90"] = refer(300)
    accept(cases["D90"])
    select(cases["D90"])
    conference(cases["D90"], held_days_ago=250)
    plan(cases["D90"])
    step(cases["D90"], "start_execution")
    # Closing directly from execution follows an evaluation (WGS 2.31 lid 6).
    step(cases["D90"], "start_review")
    step(cases["D90"], "finish_review", next_weeks=6)
    step(cases["D90"], "close", closure_report="Doelen bereikt; geen nieuwe feiten.")

    # Aged files: the retention sweep deletes these when it runs (the first
    # referral was more than five years ago).
    aged_closed = refer(365 * 5 + 40)
    accept(aged_closed)
    select(aged_closed)
    conference(aged_closed, held_days_ago=365 * 5)
    plan(aged_closed)
    step(aged_closed, "start_execution")
    step(aged_closed, "start_review")
    step(aged_closed, "finish_review", next_weeks=6)
    step(aged_closed, "close", closure_report="Afgesloten na nazorg.")
    cases["aged_closed"] = aged_closed
    aged_rejected = refer(365 * 5 + 10)
    step(aged_rejected, "start_screening")
    step(aged_rejected, "to_triage")
    step(aged_rejected, "reject", advice="Doorverwezen naar de huisarts.")
    cases["aged_rejected"] = aged_rejected


def _health(case, users, gemeente, today: date) -> None:
    zorg = users["zorg"]
    svc.health_item_add(
        case=case, user=zorg, text="Betrokkene is in behandeling bij de "
        "verslavingszorg; afspraken worden wisselend nagekomen.",
        basis=HealthItem.Basis.CONSENT, consent_on=today,
        shared_with=[gemeente], conditions="Niet verder verstrekken zonder "
        "overleg met Veilig Thuis.",
    )  # fmt: skip
    svc.health_item_add(
        case=case, user=zorg, text="Vermoeden van psychische problematiek; "
        "diagnose volgt.", basis=HealthItem.Basis.NONE,
    )  # fmt: skip


def _network(case, regisseur, sibling, person, refer) -> None:
    """A brother with his own PGA file (visible to the casusregisseur) and a
    co-suspect known only from a police matter (no case she may see)."""
    svc.relation_add(
        case=case, user=regisseur, other=sibling, kind=Relation.Kind.FAMILY,
        note="Broer, 16 jaar",
    )  # fmt: skip
    refer(12, who=sibling)
    svc.relation_add(
        case=case, user=regisseur, other=person(), kind=Relation.Kind.CO_SUSPECT,
        note="Samen aangehouden bij een straatroof",
    )  # fmt: skip
    svc.relation_add(
        case=case, user=regisseur, other=person(), kind=Relation.Kind.PARTNER,
    )  # fmt: skip
    PgaReferral.objects.filter(case=case).update(
        partners_involved="Wijkagent, Veilig Thuis, reclassering"
    )
