"""Demo data for the gebiedsverbod / verblijfsontzegging, called by
`seed_demo` through the registry: the example APV policy and six cases from
police reports, in several states, reached through the real steps
(`casework.steps.step_run`) and services, so their deadlines, legal
protection and flow tasks are what a user would have made. Every person is
made up."""

from __future__ import annotations

from datetime import date, timedelta

from casework.demo import RAPPORTAGE, Demo, SignalKind
from permissions.models import CaseAccess

from . import services
from .machine import CODE
from .measures import ApvPolicy, period_end

MEMBER, CONTRIBUTOR = CaseAccess.TeamRole.MEMBER, CaseAccess.TeamRole.CONTRIBUTOR
TEAM = [("burgemeester", MEMBER), ("politie", CONTRIBUTOR)]
ADMIN = ["view_apvpolicy", "add_apvpolicy", "change_apvpolicy"]
MAP = {"map_id": "KAART-Q4-STATION", "map_version": "3", "map_hash": "9f2c1e7a"}
# The police's bestuurlijke rapportage of the disturbances (D3, Wpg 16 lid 1 b).
OVERLAST = SignalKind(
    RAPPORTAGE.source,
    RAPPORTAGE.data_class,
    RAPPORTAGE.supplier,
    RAPPORTAGE.registrar,
    RAPPORTAGE.legal_basis,
    "Bestuurlijke rapportage: herhaalde verstoring van de openbare orde in het "
    "stationsgebied (vernielingen, bedreiging).",
)
AREA = "Het stationsgebied en de Q4-wijk, zoals aangegeven op de kaart."


def seed_example_policy() -> ApvPolicy:
    policy, _created = ApvPolicy.objects.get_or_create(
        article="APV art. 2:79",
        version=1,
        defaults={
            "name": "Verblijfsontzegging Venlo",
            "max_days": 14,
            "max_extensions": 0,
            "valid_from": date(2025, 1, 1),
        },
    )
    return policy


def seed(demo: Demo) -> None:
    seed_example_policy()
    demo.grant("beheerder", ADMIN)
    today = demo.today
    scripts = ["assess", "intention", "in_force", "extended", "expired", "not_imposed"]
    for index, script in enumerate(scripts):
        received = today - timedelta(days=200 - index)
        signal = demo.signal(
            OVERLAST,
            received_on=received,
            parties=[demo.person()],
            locations=[demo.address()],
        )
        case = demo.open_case(
            signal,
            case_type=CODE,
            owner="jurist",
            title=f"Overlast {demo.where(signal)}",
            team=TEAM,
        )
        _advance(demo, case, script, received)


def _advance(demo: Demo, case, script: str, received: date) -> None:
    today = demo.today
    jurist = demo.users["jurist"]
    demo.step(case, "start_assessment", "jurist")
    for offset in (20, 10):
        services.incident_record(
            case=case,
            user=jurist,
            occurred_on=received - timedelta(days=offset),
            place="Nolensplein",
            description="Vernielingen en bedreiging van winkelpersoneel; "
            "betrokkene weigerde weg te gaan.",
        )
    if script == "assess":
        return
    if script == "not_imposed":
        demo.step(
            case,
            "not_impose",
            "jurist",
            note="Geen ernstige vrees voor verdere verstoring: betrokkene is verhuisd.",
        )
        return
    if script == "intention":
        demo.step(
            case,
            "send_intention",
            "jurist",
            sent_on=today - timedelta(days=2),
            term_length=7,
            term_unit="days",
            atw_applies=False,
        )
        return
    # An order: decided long enough ago for the script's further steps.
    decided = {
        "in_force": today - timedelta(days=20),
        "extended": today - timedelta(days=85),
        "expired": today - timedelta(days=120),
    }[script]
    demo.step(
        case,
        "send_intention",
        "jurist",
        sent_on=decided - timedelta(days=10),
        term_length=7,
        term_unit="days",
        atw_applies=False,
    )
    demo.step(
        case,
        "receive_views",
        "jurist",
        received_on=decided - timedelta(days=5),
        manner="oral",
        hearing_report="Betrokkene zegt dat hij in het gebied werkt. De route "
        "naar zijn werk wordt als uitzondering opgenomen.",
    )
    start = decided + timedelta(days=2)
    demo.step(
        case,
        "impose_order",
        "burgemeester",
        decided_on=decided,
        basis="GEMW_172A_1",
        ground="repeated",
        area_ban=True,
        group_ban=False,
        reporting_duty=False,
        area_description=AREA,
        conditions="Uitgezonderd: de kortste route naar het werkadres aan de "
        "Vleesstraat, op werkdagen tussen 7.00 en 19.00 uur.",
        fear_reasons="Twee incidenten in een maand, met bedreiging; betrokkene "
        "kondigde aan terug te komen.",
        lid5_checked=True,
        start_date=start,
        end_date=period_end(start, 3),
        **MAP,
    )
    demo.step(
        case,
        "make_known",
        "jurist",
        made_known_on=decided + timedelta(days=1),
        manner="handed",
    )
    if script == "in_force":
        services.violation_report_create(
            case=case,
            user=demo.users["politie"],
            occurred_on=today - timedelta(days=3),
            place="Nolensplein, bij de ingang van het station",
            description="Betrokkene aangetroffen in het verboden gebied.",
            pv_number="PL2300-2026-1001",
        )
        demo.step(case, "register_violation", "jurist")
        return
    if script == "extended":
        measure = case.gebiedsverbod_measure
        demo.step(
            case,
            "extend",
            "burgemeester",
            decided_on=today - timedelta(days=1),
            new_end_date=period_end(measure.end_date + timedelta(days=1), 3),
            reasons="Betrokkene is twee keer in het gebied aangetroffen.",
            urgency_reasons="",
            views_on=today - timedelta(days=3),
        )
        return
    demo.step(case, "expire", "jurist")
