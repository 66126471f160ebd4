"""The codes of the registered case types, for tests (the kernel keeps no
list of case types: each package registers its code with casework.registry)."""

from datetime import date
from decimal import Decimal

from workflows.bibob.machine import CODE as BIBOB
from workflows.controle.machine import CODE as CONTROLE
from workflows.gebiedsverbod.machine import CODE as GBV
from workflows.lod.machine import CODE as LOD
from workflows.pga.machine import CODE as PGA


class CaseType:
    LOD = LOD
    BIBOB = BIBOB
    CONTROLE = CONTROLE
    PGA = PGA
    GBV = GBV
    values = [LOD, BIBOB, CONTROLE, PGA, GBV]


def lod_intention_sent(case, user):
    """Take an LOD case to A20 through its steps, as the jurist does: the
    assessment started and the voornemen sent today with two weeks for views.
    The voornemen letter is offered from then on (its step exists)."""
    from django.utils import timezone

    from casework.steps import step_run

    step_run(case=case, name="start_assessment", user=user)
    return step_run(
        case=case,
        name="send_intention",
        user=user,
        note="Voornemen verzonden.",
        data={
            "sent_on": timezone.localdate(),
            "term_length": 2,
            "term_unit": "weeks",
            "atw_applies": False,
            "measure": "dwangsom",
        },
    )


# --- Walking a case to the step a letter records ------------------------------
# A letter is offered (and may be made) only once the step it records exists
# (`registry.Letter.offered_when`, `casework.documents.may_make`). These take a
# case there through the real steps (`casework.steps.step_run`) and services,
# each on its own day with the clock set to that day, as the pages would.


def on_day(day):
    """The clock at 10:00 (Amsterdam) on `day`, standing still."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    import time_machine

    return time_machine.travel(
        datetime.combine(day, time(10), tzinfo=ZoneInfo("Europe/Amsterdam")),
        tick=False,
    )


def _run(case, name, user, day, **data):
    """Run the step `name` on `day` with its form data."""
    from casework.models import Case
    from casework.steps import step_run

    case = Case.objects.get(pk=case.pk)
    with on_day(day):
        return step_run(case=case, name=name, user=user, note="Met redenen.", data=data)


# The besluit of the example Damocles policy for a first finding of hard drugs
# in a dwelling (workflows/lod/handhavingsmatrix.py seed_example_policy): a
# preventive last onder dwangsom of € 5,000 per violation, at most € 15,000.
PREVENTIVE_PENALTY_ORDER = {
    "amount": Decimal("5000"),
    "amount_basis": "per_violation",
    "maximum": Decimal("15000"),
    "preventive": True,
    "grace_days": 0,
}


def lod_penalty_order_decided(case, *, jurist, burgemeester, on=None, **decision):
    """From A20 (`lod_intention_sent`) to A40: the views received in writing
    and weighed, then the burgemeester's besluit last onder dwangsom, all on
    `on` (today when None; views received allow a besluit before the views
    period ends, Awb 4:8). The besluit is `PREVENTIVE_PENALTY_ORDER` with
    `decision` over it; without an assessment it follows no policy row, so a
    beleidsregel must be in force (`seed_example_policy`)."""
    from django.utils import timezone

    on = on or timezone.localdate()
    _run(case, "receive_views", jurist, on, received_on=on, manner="written")
    _run(case, "process_views", jurist, on)
    return _run(
        case,
        "impose_penalty_order",
        burgemeester,
        on,
        decided_on=on,
        **{**PREVENTIVE_PENALTY_ORDER, **decision},
    )


# The calendar of the LOD walks below: the finding of Mon 2 Nov 2026 assessed
# on Tue 3 Nov; the voornemen on Wed 4 Nov with two weeks for views (Thu 5 –
# Wed 18 Nov); the besluit on Thu 19 Nov; its bekendmaking on Mon 23 Nov;
# forfeited on Tue 5 Jan and Wed 10 Feb 2027; the voornemen tot invordering on
# Mon 22 Feb 2027 with two weeks for views (to Mon 8 Mar 2027).
LOD_FOUND_ON = date(2026, 11, 2)
LOD_INTENTION_ON = date(2026, 11, 4)
LOD_DECIDED_ON = date(2026, 11, 19)
LOD_MADE_KNOWN_ON = date(2026, 11, 23)
LOD_FORFEITED_ON = (date(2027, 1, 5), date(2027, 2, 10))
LOD_COLLECTION_PROPOSED_ON = date(2027, 2, 22)


def lod_order_decided(case, *, jurist, burgemeester, violation=1):
    """Take a fresh LOD case to its besluit the way the law allows, each step
    on its own day: the finding assessed (42 g cocaine in a dwelling), the
    voornemen with two weeks for views, and after that period the besluit the
    example policy proposes (`seed_example_policy`) for the `violation`: for
    the first a preventive last onder dwangsom of € 5,000 per violation, at
    most € 15,000 (A40); for the second a closure of three months with a
    begunstigingstermijn of 14 days (A41). The burgemeester must be on the
    team."""
    from workflows.lod.handhavingsmatrix import lod_assessment_record

    closure = violation > 1
    with on_day(date(2026, 11, 3)):
        lod_assessment_record(
            case=case, user=jurist, found_on=LOD_FOUND_ON, premises_kind="woning",
            substance="hard", grams=Decimal("42"), violation=violation,
            facts="In de woning is 42 gram cocaïne aangetroffen.",
        )  # fmt: skip
    _run(case, "start_assessment", jurist, date(2026, 11, 3))
    day = LOD_INTENTION_ON
    _run(
        case, "send_intention", jurist, day, sent_on=day, term_length=2,
        term_unit="weeks", atw_applies=False,
        measure="sluiting" if closure else "dwangsom",
    )  # fmt: skip
    day = LOD_DECIDED_ON
    _run(case, "views_term_expired", jurist, day)
    if closure:
        return _run(
            case, "impose_closure_order", burgemeester, day, decided_on=day,
            closure_months=3, grace_days=14,
        )  # fmt: skip
    return _run(
        case, "impose_penalty_order", burgemeester, day, decided_on=day,
        **PREVENTIVE_PENALTY_ORDER,
    )  # fmt: skip


def lod_collection_proposed(case, *, jurist, burgemeester, toezicht):
    """Take a fresh LOD case to A71 (voornemen tot invordering sent): the
    preventive last onder dwangsom of `lod_order_decided`, made known and
    monitored; two breaches established by toezicht, each forfeiting € 5,000
    by operation of law (Awb 5:33); then the voornemen tot invordering with
    two weeks for views (Awb 4:8, ECLI:NL:RVS:2018:2956) on
    `LOD_COLLECTION_PROPOSED_ON`. The burgemeester and toezicht must be on
    the team."""
    lod_order_decided(case, jurist=jurist, burgemeester=burgemeester)
    day = LOD_MADE_KNOWN_ON
    _run(case, "notify_decision", jurist, day, made_known_on=day, manner="post")
    _run(case, "start_monitoring", jurist, day)
    first, second = LOD_FORFEITED_ON
    _run(case, "review_new_report", toezicht, first)
    _run(case, "establish_breach", toezicht, first, forfeited_on=first, units=1)
    _run(case, "continue_monitoring", jurist, first)
    _run(case, "review_new_report", toezicht, second)
    _run(case, "establish_breach", toezicht, second, forfeited_on=second, units=1)
    day = LOD_COLLECTION_PROPOSED_ON
    return _run(
        case, "propose_collection", jurist, day, sent_on=day, term_length=2,
        term_unit="weeks", atw_applies=True,
    )  # fmt: skip


# The calendar of the Bibob walks: an exploitatievergunning (the burgemeester's,
# Gemeentewet 174) applied for on Mon 2 Feb 2026, a source consulted on 2 Mar,
# the own investigation concluded on Fri 6 Mar and the LBB asked on Mon 9 Mar.
BIBOB_RECEIVED_ON = date(2026, 2, 2)
BIBOB_CONCLUDED_ON = date(2026, 3, 6)
BIBOB_ADVICE_REQUESTED_ON = date(2026, 3, 9)


def bibob_investigated(case, coordinator, *, degree, ground_a=False,
                       advice_needed=False, proportionality=""):  # fmt: skip
    """Take a fresh Bibob case to B35: the application received, the toets
    applied (questionnaire sent and returned), one source logged with its
    legal basis (art 7a) and the conclusion on the degree of danger (art 3)."""
    from workflows.bibob.services import bibob_conclusion_record, bibob_source_add
    from workflows.bibob.terms import seed_example_term_policy

    seed_example_term_policy()
    _run(
        case, "start_regular_assessment", coordinator, BIBOB_RECEIVED_ON,
        kind="application", application_type="exploitatievergunning",
        received_on=BIBOB_RECEIVED_ON,
    )  # fmt: skip
    for name in ("start_screening", "apply_bibob", "receive_form"):
        _run(case, name, coordinator, BIBOB_RECEIVED_ON)
    with on_day(BIBOB_CONCLUDED_ON):
        bibob_source_add(
            case=case, user=coordinator, kind="kvk", consulted_on=date(2026, 3, 2),
            legal_basis="Handelsregisterwet 2007",
            finding="Bestuurder sinds 2025; eerder betrokken bij drie faillissementen.",
        )  # fmt: skip
    _run(case, "conclude_investigation", coordinator, BIBOB_CONCLUDED_ON)
    with on_day(BIBOB_CONCLUDED_ON):
        bibob_conclusion_record(
            case=case, user=coordinator, degree=degree, ground_a=ground_a,
            advice_needed=advice_needed, proportionality=proportionality,
            concluded_on=BIBOB_CONCLUDED_ON,
        )  # fmt: skip
    return case


def bibob_advice_requested(case, coordinator):
    """Take a fresh Bibob case to B40: investigated, a lesser degree of danger
    concluded on which the LBB's advice is needed (art 9), and the advice
    requested on `BIBOB_ADVICE_REQUESTED_ON`. The adviesaanvraag is offered
    from then on."""
    bibob_investigated(case, coordinator, degree="mindere_mate", advice_needed=True)
    day = BIBOB_ADVICE_REQUESTED_ON
    return _run(case, "request_advice", coordinator, day, on=day)


def bibob_intention_sent(case, coordinator, burgemeester, *, sent_on, weeks=2):
    """Take a fresh Bibob case to B60: investigated, serious danger concluded
    on ground a (art 3 lid 1 a) with the proportionality weighed, no LBB advice
    asked, the own conclusion reported to the LBB (art 7a lid 7), and the
    burgemeester's voornemen tot weigering sent on `sent_on` with `weeks` for
    views (art 33). The voornemen letter is offered from then on."""
    bibob_investigated(
        case, coordinator, degree="ernstig", ground_a=True,
        proportionality="Weigeren is evenredig: ernst en aard van de feiten.",
    )  # fmt: skip
    day = BIBOB_ADVICE_REQUESTED_ON
    _run(case, "report_own_conclusion", coordinator, day, on=day)
    return _run(
        case, "send_intention", burgemeester, sent_on, intended="weigering",
        sent_on=sent_on, term_length=weeks, third_parties="",
    )  # fmt: skip


def pga_referral_recorded(case, casusregisseur, *, person_name, reporter,
                          received_on):  # fmt: skip
    """The aanmelding's form fields on a PGA case just opened (Wgs 2.31 lid 1;
    `workflows.pga.services.referral_record`, as the referral form does): the
    person as betrokkene, the reporting participant and the day it came in.
    The aanmeldbevestiging is offered from then on."""
    from casework.models import Party
    from workflows.pga.services import referral_record

    person = Party(kind=Party.Kind.PERSON, name=person_name)
    with on_day(received_on):
        return referral_record(
            case=case, user=casusregisseur, person=person,
            reporter=reporter, received_on=received_on,
            reason="Overlast en drugshandel vanuit de woning.",
            goal="Stabiele woonsituatie zonder overlast.", informed=True,
        )  # fmt: skip
