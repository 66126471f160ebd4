"""Demo data for the Bibob toets, called by `seed_demo` through the registry:
the example decision terms (domain.md §3.2) and eight applications for an
exploitatievergunning in the main states, through the real steps, each with
a decision term from the example term policy and the permit handler following
its outcome (issue 5). Every person and company is made up."""

from __future__ import annotations

from datetime import timedelta

from casework.demo import Demo, SignalKind
from casework.models import Signal
from permissions.models import CaseAccess, DataClass
from workflows.bibob import services
from workflows.bibob.machine import CODE
from workflows.bibob.models import Danger
from workflows.bibob.terms import seed_example_term_policy

CASES = 8
AANVRAAG = SignalKind(
    Signal.Source.HANDHAVINGSOVERLEG,
    DataClass.D0,
    "Gemeente Venlo",
    "bibob",
    "",
    "Aanvraag exploitatievergunning horeca; indicatoren uit de "
    "Bibob-beleidslijn aanwezig.",
)
TEAM = [("burgemeester", CaseAccess.TeamRole.MEMBER)]


def seed(demo: Demo) -> None:
    seed_example_term_policy()
    for index in range(CASES):
        # Drawn for the same sequence as the other case types; the
        # applications were received two months ago, a day apart.
        demo.rng.randint(3, 240)
        received = demo.today - timedelta(days=74 + index)
        parties = [demo.person(), demo.company()]
        signal = demo.signal(
            AANVRAAG,
            received_on=received,
            parties=parties,
            locations=[demo.address()],
        )
        case = demo.open_case(
            signal,
            case_type=CODE,
            owner="bibob",
            title=f"Exploitatievergunning {parties[-1].name}",
            team=TEAM,
        )
        _advance(demo, case, index)


def _advance(demo: Demo, case, index: int) -> None:
    """Application `index` through the steps of its script."""
    users, today = demo.users, demo.today
    days = timedelta

    def step(name, who="bibob", **data):
        return (name, who, data)

    def source(_case):
        services.bibob_source_add(
            case=_case, user=users["bibob"], kind="kvk",
            consulted_on=today - days(40), legal_basis="Handelsregisterwet 2007",
            finding="Bestuurder sinds 2025; eerder bij drie faillissementen.",
        )  # fmt: skip

    def conclude(degree, advice):
        def record(_case):
            services.bibob_conclusion_record(
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
        demo.step(case, name, who, **data)
    # The permit handler follows every application's outcome (issue 5).
    services.bibob_permit_handler_add(
        case=case, user=users["bibob"], handler=users["vergunning"]
    )
