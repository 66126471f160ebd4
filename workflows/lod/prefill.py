"""What an LOD case already knows for its letters: the decision (or the
policy's proposal), the dates of its deadlines and earlier letters, the
forfeitures. Registered as the case type's prefill
(`casework.letter_forms.initial_for` calls it); only a proposal, the jurist
reviews every input before the letter is made."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

GRACE_DAYS_TEXT = "{days} dagen na de dag waarop het besluit aan u is bekendgemaakt"
NO_GRACE_PERIOD_TEXT = "geen (preventieve last)"
FORFEITURE_TEXT = "Overtreding van de last vastgesteld"


def _latest_inputs(case, *template_keys: str) -> dict:
    """The inputs of the case's latest stored letter of these templates."""
    from casework.models import Document

    inputs = (
        Document.objects.filter(case=case, template_key__in=template_keys)
        .order_by("-created_at", "-version")
        .values_list("inputs", flat=True)
        .first()
    )
    return inputs or {}


def _lod_initial(case, template_key: str, today) -> dict:
    """What an LOD case already knows: the decision (or the policy's proposal),
    the dates of its deadlines and earlier letters, the forfeitures."""
    from casework import terms
    from casework.deadlines import equated_holidays
    from casework.models import Deadline
    from workflows.legal_protection.machine import DecisionKind
    from workflows.lod.handhavingsmatrix import (
        LodDecision,
        Measure,
        latest_assessment,
        proposal_for,
    )
    from workflows.lod.ledger import bank_account
    from workflows.lod.letters import reminder_fee
    from workflows.lod.penalties import dwangsom_account
    from workflows.lod.steps import AANMANING_BASIS, made_known_on

    initial = {}
    assessment = latest_assessment(case)
    if assessment is not None:
        initial["premises_kind"] = assessment.premises_kind
    decision = (
        LodDecision.objects.filter(case=case).select_related("beleidsregel").first()
    )
    source = decision
    if source is None:
        try:
            source = proposal_for(case)
        except ValidationError:
            source = None
    if source is not None:
        initial["beleidsregel"] = str(source.beleidsregel)
        if source.measure == Measure.DWANGSOM:
            initial["amount_per_violation"] = source.amount
            initial["maximum_amount"] = source.maximum
        if source.closure_months:
            initial["closure_months"] = source.closure_months
        if source.grace_days:
            initial["begunstigingstermijn"] = GRACE_DAYS_TEXT.format(
                days=source.grace_days
            )
        elif source.measure == Measure.DWANGSOM:
            initial["begunstigingstermijn"] = NO_GRACE_PERIOD_TEXT
            initial["preventive"] = True
        elif source is decision and source.measure == Measure.SLUITING:
            # The urgent closure step records a closure without grace period.
            initial["spoed"] = True

    views = case.deadlines.filter(legal_basis__startswith="Awb 4:8")
    running = views.filter(
        state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED]
    ).order_by("-event_date")
    if (current := running.first()) is not None:
        initial["zienswijze_deadline"] = current.end_date
    if (latest := views.order_by("-event_date").first()) is not None:
        initial["voornemen_date"] = latest.event_date

    order = _latest_inputs(case, "besluit_lod")
    if order.get("date"):
        initial["besluit_date"] = order["date"]
        initial["besluit_reference"] = order.get("reference", "")
    elif decision is not None and decision.measure == Measure.DWANGSOM:
        # No stored letter: the recorded besluit itself, under the case's
        # reference (the kenmerk its letters carry).
        initial["besluit_date"] = timezone.localdate(decision.decided_at)
        initial["besluit_reference"] = case.reference
    if (known := made_known_on(case)) is not None:
        initial["made_known_on"] = known

    account = dwangsom_account(case)
    if account is not None and account.lines:
        # Only what can still be collected: time-barred forfeitures (Awb 5:35)
        # and what is paid stay out of the collection letters.
        ledger = account.ledger
        collectible = ledger.collectible_entries()
        initial["forfeitures"] = "\n".join(
            f"{entry.forfeiture.forfeited_on.isoformat()} | "
            f"{entry.forfeiture.note or FORFEITURE_TEXT} | "
            f"{entry.open}"
            for entry in collectible
        )
        collected = sum((e.open for e in collectible), Decimal("0"))
        initial["total_amount"] = collected
        initial["amount_due"] = collected
        if collectible:
            latest_due = max(e.payment_due for e in collectible)
            initial["original_due_date"] = latest_due
            # Never before the Awb 5:33 date the case shows.
            initial["payment_deadline"] = max(latest_due, today + timedelta(days=14))
        else:
            initial["payment_deadline"] = today + timedelta(days=14)
        initial["bank_account"] = bank_account()
        if collected > 0:
            charged = case.charges.filter(kind="aanmaning").order_by("-charged_on")
            fee = charged.values_list("amount", flat=True).first()
            initial["reminder_costs"] = (
                fee if fee is not None else reminder_fee(collected, today)
            )

    collection = _latest_inputs(case, "invorderingsbeschikking")
    if collection.get("date"):
        initial["collection_decision_date"] = collection["date"]
        initial["collection_decision_reference"] = collection.get("reference", "")
        if collection.get("payment_deadline"):
            initial["original_due_date"] = collection["payment_deadline"]
    else:
        decided = (
            case.legal_protections.filter(decision_kind=DecisionKind.COLLECTION)
            .order_by("-decided_on")
            .values_list("decided_on", flat=True)
            .first()
        )
        if decided is not None:
            initial["collection_decision_date"] = decided

    if template_key == "aanmaning":
        # Two weeks from the day after dispatch, extended by the Algemene
        # termijnenwet (a term set by law): the deadline the reminder step
        # opened, or the same computation from today.
        reminder = (
            case.deadlines.filter(
                legal_basis=AANMANING_BASIS,
                state__in=[Deadline.State.OPEN, Deadline.State.SUSPENDED],
            )
            .order_by("-event_date")
            .first()
        )
        if reminder is not None:
            initial["date"] = reminder.event_date
            initial["payment_deadline"] = reminder.end_date
        else:
            initial["payment_deadline"] = terms.compute_term(
                today, weeks=2, atw=True, extra_holidays=equated_holidays()
            ).end
    return initial


# The facts a besluit repeats from the voornemen it follows (Awb 5:9: the
# violation and the rule violated; 4:8: the besluit rests on the facts the
# party could give views on).
CARRIED_FROM_INTENTION = (
    "recipient_name",
    "recipient_address",
    "premises_address",
    "premises_kind",
    "violation",
    "violated_provision",
    "legal_basis",
    "measure_description",
)
PROCEDURE_TEMPLATES = (
    "voornemen_lod",
    "voornemen_sluiting",
    "besluit_lod",
    "besluit_sluiting",
    "waarschuwing_lod",
    "afzien_handhaving",
)


def _procedure_initial(case, template_key: str, known: dict) -> dict:
    """The procedure's letters (A00–A61): what the amount is per, from the
    recorded order (or the policy's proposal); the facts of the assessment;
    in a besluit the facts of its voornemen and the date of the besluit."""
    from django.utils import timezone

    from workflows.lod.handhavingsmatrix import (
        LodDecision,
        Measure,
        latest_assessment,
        proposal_for,
    )

    if template_key not in PROCEDURE_TEMPLATES:
        return {}
    initial: dict = {}
    decision = LodDecision.objects.filter(case=case).first()
    source = decision
    if source is None:
        try:
            source = proposal_for(case)
        except ValidationError:
            source = None
    if source is not None and source.measure == Measure.DWANGSOM:
        initial["amount_basis"] = source.amount_basis
    assessment = latest_assessment(case)
    if assessment is not None and assessment.facts and not known.get("violation"):
        initial["violation"] = assessment.facts
    if template_key.startswith("besluit_") or template_key == "afzien_handhaving":
        intention = _latest_inputs(case, "voornemen_lod", "voornemen_sluiting")
        for key in CARRIED_FROM_INTENTION:
            if intention.get(key) not in (None, "", []):
                initial[key] = intention[key]
    if template_key.startswith("besluit_"):
        if decision is not None:
            initial["date"] = timezone.localdate(decision.decided_at)
    return initial


def prefill(case, template_key: str, initial: dict) -> dict:
    values = _lod_initial(case, template_key, initial["date"])
    values.update(_procedure_initial(case, template_key, {**initial, **values}))
    return values
