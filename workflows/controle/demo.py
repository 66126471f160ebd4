"""Demo data for the integrale controle, called by `seed_demo` through the
registry: ten inspections from anonymous tips, most in the early states, and
three worked examples (issue 6): one with a planned visit and confirmed
partner slots, one visited with findings per partner, and one that went on
to a follow-up LOD case. Every person and address is made up."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from casework.demo import MMA, Demo
from permissions.models import CaseAccess
from workflows.controle import models as controle
from workflows.controle.machine import CODE

CASES = 10
MEMBER, CONTRIBUTOR = CaseAccess.TeamRole.MEMBER, CaseAccess.TeamRole.CONTRIBUTOR
TEAM = [
    ("jurist", MEMBER),
    ("politie", CONTRIBUTOR),
    ("belastingdienst", CONTRIBUTOR),
    ("toezicht", MEMBER),
]
# The early states, one script per case in turn.
SCRIPTS = [
    [],
    ["start_triage"],
    ["start_triage", "select"],
    ["start_triage", "dismiss"],
]
WORKED = range(4, 7)
# The case type a follow-up track opens (by its code: the kernel opens it).
FOLLOW_UP_TYPE = "LOD"


def seed(demo: Demo) -> None:
    for index in range(CASES):
        received = demo.today - timedelta(days=demo.rng.randint(3, 240))
        signal = demo.signal(
            MMA,
            received_on=received,
            parties=[demo.person(), demo.company()],
            locations=[demo.address()],
        )
        case = demo.open_case(
            signal,
            case_type=CODE,
            owner="coordinator",
            title=f"Integrale controle {demo.where(signal)}",
            team=TEAM,
        )
        if index in WORKED:
            _worked_example(demo, case, index)
        else:
            for name in SCRIPTS[index % len(SCRIPTS)]:
                demo.step(case, name, "coordinator")


def _worked_example(demo: Demo, case, index: int) -> None:
    """Inspection 4 stops at the fixed plan (C30), 5 after the visit with its
    findings (C50), 6 in the follow-up phase with an LOD child case (C60)."""
    users, orgs = demo.users, demo.orgs
    coordinator, toezicht = users["coordinator"], users["toezicht"]

    def step(name, who):
        return demo.step(case, name, who, note="Demo: met redenen.")

    for name in ("start_triage", "select", "check_entry"):
        case = step(name, "coordinator")
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
    case = step("fix_plan", "coordinator")
    if index == 4:
        return
    controle.briefing_save(
        case=case, user=coordinator,
        risk_flags="Bewoner bekend met geweld tegen hulpverleners; hond aanwezig.",
        powers="Awb 5:15 (bedrijfsruimte, geen woning); Elektriciteitswet.",
    )  # fmt: skip
    for name in ("hold_briefing", "start_visit"):
        case = step(name, "toezicht")
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
    case = step("finish_visit", "toezicht")
    if index == 5:
        return
    case = step("decide_follow_up", "coordinator")
    # The child case is opened by the kernel (`casework.services.case_open`,
    # called by `follow_up_open`), which takes the type's code.
    controle.follow_up_open(
        case=case, user=coordinator,
        case_type=FOLLOW_UP_TYPE, title=f"Vervolg: {case.title}",
    )  # fmt: skip
