"""What a gebiedsverbod case already knows for its letters: the incidents,
the intention and its views period, the order. Registered as the case type's
prefill (`casework.letter_forms.initial_for` calls it); only a proposal, the
jurist reviews every input before the letter is made."""

from __future__ import annotations

from django.utils.formats import date_format

LEGAL_BASIS_TEXT = {
    "GEMW_172A_1": "artikel 172a, eerste lid, Gemeentewet",
    "GEMW_172A_2": "artikel 172a, tweede lid, Gemeentewet",
}


def prefill(case, template_key: str, initial: dict) -> dict:
    from .machine import ZIENSWIJZE_BASIS, measure_of
    from .measures import Basis, Intention

    values: dict = {}
    incidents = list(case.gebiedsverbod_incidents.all())
    if incidents:
        values["facts"] = "\n".join(
            f"Op {date_format(i.occurred_on, 'j F Y')} ({i.place}): {i.description}"
            for i in incidents
        )
    intention = Intention.objects.filter(case=case).first()
    if intention is not None:
        values["voornemen_date"] = intention.sent_on
    views = (
        case.deadlines.filter(legal_basis=ZIENSWIJZE_BASIS)
        .order_by("-event_date")
        .first()
    )
    if views is not None:
        values["zienswijze_deadline"] = views.end_date
    values.setdefault("proposed_period", "drie maanden")
    measure = measure_of(case)
    if measure is not None:
        if measure.basis == Basis.APV and measure.apv_policy is not None:
            policy = measure.apv_policy
            values["legal_basis"] = f"{policy.article} APV (versie {policy.version})"
            values["apv"] = True
        else:
            values["legal_basis"] = LEGAL_BASIS_TEXT.get(measure.basis, "")
        values.update(
            measure_description=(f"Ik leg u een {measure.kinds_label()} op."),
            fear_reasons=measure.fear_reasons,
            start_date=measure.start_date,
            end_date=measure.end_date,
            conditions=measure.conditions,
            area_ban=measure.area_ban or measure.group_ban,
            area_description=measure.area_description,
            area_map=(
                f"kaart {measure.map_id}, versie {measure.map_version}, "
                f"hash {measure.map_hash}"
                if measure.map_id
                else ""
            ),
            urgency_reasons=measure.urgency_reasons,
            date=measure.decided_on,
        )
    return values
