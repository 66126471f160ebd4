"""Demo data for the integrale controle, called by `seed_demo` through the
registry: ten inspections from anonymous tips, most in the early states, and
three worked examples (issue 6): one with a planned visit and confirmed
partner slots, one visited with findings per partner, and one that went on
to a follow-up LOD case. Every person and address is made up."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import datetime, time, timedelta

from django.utils import timezone

import time_machine

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
WORKED = (4, 5, 6)
# The case type a follow-up track opens (by its code: the kernel opens it).
FOLLOW_UP_TYPE = "LOD"


# The worked examples that were visited lie this far back at least, so their
# planning, visit day and follow-up all fall after the signal and before today.
VISITED_AGO = 30


def seed(demo: Demo) -> None:
    for index in range(CASES):
        received = demo.today - timedelta(days=demo.rng.randint(3, 240))
        if index in WORKED and index != WORKED[0]:
            received = min(received, demo.today - timedelta(days=VISITED_AGO))
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
            _worked_example(demo, case, index, opened_on=received + timedelta(days=2))
        else:
            for name in SCRIPTS[index % len(SCRIPTS)]:
                demo.step(case, name, "coordinator")


def _at(day, hour: int = 10):
    """The clock on `day` at `hour` o'clock: the worked examples are walked on
    the dates they happened, so every dated rule holds as it did then."""
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    return time_machine.travel(moment, tick=False)


def _worked_example(demo: Demo, case, index: int, *, opened_on) -> None:
    """Inspection 4 stops at the fixed plan (C30) of a visit still to come; 5
    after the visit with its findings (C50), 6 in the follow-up phase with an
    LOD child case (C60): these two were planned the day after they were
    opened, visited a week later and followed up three days after that."""
    users, orgs = demo.users, demo.orgs
    coordinator, toezicht = users["coordinator"], users["toezicht"]

    def step(name, who, **data):
        return demo.step(case, name, who, note="Demo: met redenen.", **data)

    if index == WORKED[0]:
        planning = nullcontext()  # today
        visit_day = demo.today + timedelta(days=2 + index)
    else:
        plan_day = opened_on + timedelta(days=1)
        planning = _at(plan_day)
        visit_day = plan_day + timedelta(days=7)
    with planning:
        for name in ("start_triage", "select", "check_entry"):
            case = step(name, "coordinator")
        visit = controle.visit_plan(
            case=case,
            user=coordinator,
            planned_at=timezone.make_aware(datetime.combine(visit_day, time(9))),
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
        if index == WORKED[0]:
            return
        controle.briefing_save(
            case=case, user=coordinator,
            risk_flags="Bewoner bekend met geweld tegen hulpverleners; hond aanwezig.",
            powers="Awb 5:15 (bedrijfsruimte, geen woning); Elektriciteitswet.",
        )  # fmt: skip
    with _at(visit_day, hour=11):
        case = step("hold_briefing", "toezicht", held_on=visit_day)
        case = step("start_visit", "toezicht", started_on=visit_day)
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
        case = step("finish_visit", "toezicht", finished_on=visit_day)
    if index == 5:
        return
    with _at(visit_day + timedelta(days=3)):
        case = step("decide_follow_up", "coordinator")
        # The child case is opened by the kernel (`casework.services.case_open`,
        # called by `follow_up_open`), which takes the type's code. The jurist
        # on the team handles it; of the partners only the police, who found
        # the hennepkwekerij, carry on in it (the Belastingdienst does not:
        # fiscal data stays need-to-know).
        controle.follow_up_open(
            case=case, user=coordinator,
            case_type=FOLLOW_UP_TYPE, title=f"Vervolg: {case.title}",
            handler=users["jurist"], partners=[users["politie"]],
        )  # fmt: skip
