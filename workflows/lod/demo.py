"""Demo data for the last onder dwangsom / sluiting, called by `seed_demo`
through the registry: the example policy (Damocles ladder) and twelve cases
from police reports, one in each main state, reached through the real steps
(`casework.steps.step_run`), so their deadlines, legal protection and flow
tasks are what a user would have made. Every person is made up."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from casework import documents
from casework.demo import RAPPORTAGE, Demo
from permissions.models import CaseAccess
from workflows.lod import handhavingsmatrix
from workflows.lod.machine import CODE

CASES = 12
MEMBER, CONTRIBUTOR = CaseAccess.TeamRole.MEMBER, CaseAccess.TeamRole.CONTRIBUTOR
TEAM = [
    ("burgemeester", MEMBER),
    ("toezicht", MEMBER),
    ("invordering", MEMBER),
    ("politie", CONTRIBUTOR),
]
# The beheerder maintains the policy in the admin.
ADMIN = [
    "view_beleidsregel",
    "add_beleidsregel",
    "change_beleidsregel",
    "view_matrixrule",
    "add_matrixrule",
    "change_matrixrule",
    "delete_matrixrule",
]


def seed(demo: Demo) -> None:
    handhavingsmatrix.seed_example_policy()
    demo.grant("beheerder", ADMIN)
    for index in range(CASES):
        received = demo.today - timedelta(days=demo.rng.randint(3, 240))
        if index >= 4:
            # Far enough back for the steps the demo takes on it.
            received = demo.today - timedelta(days=120 + index)
        signal = demo.signal(
            RAPPORTAGE,
            received_on=received,
            parties=[demo.person(), demo.company()],
            locations=[demo.address()],
        )
        case = demo.open_case(
            signal,
            case_type=CODE,
            owner="jurist",
            title=f"Drugshandel {demo.where(signal)}",
            team=TEAM,
        )
        _advance(demo, case, index)


def _advance(demo: Demo, case, index: int) -> None:
    """Case `index` through the steps of its script."""
    today = demo.today
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
        # The voornemen two weeks and its one-week views period before the
        # besluit, which is dated the day it is made known (Awb 4:8, 3:40).
        facts = {"violation": 2} if kind == "impose_closure_order" else {}
        return [
            *intention(made_known_ago + 14, 1, **facts),
            step("views_term_expired", "jurist"),
            step(
                kind,
                "burgemeester",
                decided_on=today - days(made_known_ago),
                **decision,
            ),
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
            step(
                "propose_collection",
                "jurist",
                sent_on=today - days(40),
                term_length=2,
                term_unit="weeks",
                atw_applies=False,
            ),
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
                case=case, user=demo.users[who], **data
            )
            continue
        demo.step(case, name, who, **data)
    if index == 4:
        # The worked example: the intention letter, made from its template.
        deadline = case.deadlines.get(legal_basis="Awb 4:8")
        documents.document_generate(
            case=case,
            user=demo.users["jurist"],
            template_key="voornemen_lod",
            inputs=_voornemen_inputs(case, today, deadline.end_date),
        )


def _voornemen_inputs(case, today: date, views_until: date) -> dict:
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
        "amount_basis": "per_violation",
        "maximum_amount": "15000.00",
        "zienswijze_deadline": views_until.isoformat(),
    }
