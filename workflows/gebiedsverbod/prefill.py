"""What a gebiedsverbod case already knows for its letters: the incidents,
the intention and its views period, the order (with its ground, kinds and
urgency). Registered as the case type's prefill
(`casework.letter_forms.initial_for` calls it); only a proposal, the jurist
reviews every input before the letter is made. The weighing of proportionality
and the response to views are not recorded on the case: the jurist writes
them in the letter form."""

from __future__ import annotations

from django.utils.formats import date_format

LEGAL_BASIS_TEXT = {
    "GEMW_172A_1": "artikel 172a, eerste lid, Gemeentewet",
    "GEMW_172A_2": "artikel 172a, tweede lid, Gemeentewet",
}


# The measure kinds in the words of Gemw 172a lid 1 a–c (and the APV), for
# the measure_description the jurist reviews: what the person may not do.
KIND_TEXT = {
    "area_ban": (
        "U mag zich niet bevinden in het gebied dat hieronder is omschreven en op "
        "de kaart is aangegeven (gebiedsverbod, artikel 172a, eerste lid, onder a, "
        "Gemeentewet)."
    ),
    "group_ban": (
        "U mag zich in het gebied dat hieronder is omschreven niet zonder redelijk "
        "doel met meer dan drie andere personen in groepsverband ophouden op een "
        "voor het publiek toegankelijke plaats (groepsverbod, artikel 172a, eerste "
        "lid, onder b, Gemeentewet)."
    ),
    "reporting_duty": (
        "U moet zich melden op de tijdstippen en de plaats die hieronder zijn "
        "genoemd (meldplicht, artikel 172a, eerste lid, onder c, Gemeentewet)."
    ),
}
APV_TEXT = (
    "U mag zich niet bevinden in het gebied dat hieronder is omschreven en op de "
    "kaart is aangegeven (verblijfsontzegging)."
)
NO_VIEWS = "U heeft geen zienswijze gegeven."


def prefill(case, template_key: str, initial: dict) -> dict:
    from .letters import GROUND_OPTION
    from .machine import ZIENSWIJZE_BASIS, measure_of
    from .measures import Basis, Intention

    besluit = template_key == "besluit_gebiedsverbod"
    values: dict = {}
    incidents = list(case.gebiedsverbod_incidents.all())
    if incidents:
        values["facts"] = "\n".join(
            f"Op {date_format(i.occurred_on, 'j F Y')} ({i.place}): {i.description}"
            for i in incidents
        )
    intention = Intention.objects.filter(case=case).first()
    if intention is not None and besluit:
        values["voornemen_date"] = intention.sent_on
        # Only the plain fact that no views came: received views are summarised
        # and answered by the jurist (Awb 3:46), never prefilled.
        if intention.views_on is None:
            values["zienswijze"] = NO_VIEWS
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
        apv = measure.basis == Basis.APV
        if apv and measure.apv_policy is not None:
            policy = measure.apv_policy
            # The admin may write the article as "APV art. 2:79" or "2:79".
            article = policy.article.strip()
            if "apv" not in article.casefold():
                article = f"artikel {article} APV"
            values["legal_basis"] = f"{article} (versie {policy.version})"
        else:
            values["legal_basis"] = LEGAL_BASIS_TEXT.get(measure.basis, "")
        if apv:
            description = APV_TEXT
        else:
            description = "\n".join(
                text for flag, text in KIND_TEXT.items() if getattr(measure, flag)
            )
        values.update(
            apv=apv,
            ground=GROUND_OPTION.get(measure.ground, ""),
            measure_description=description,
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
            reporting_duty=measure.reporting_duty,
            reporting_times=measure.reporting_times,
            urgent=bool(measure.urgency),
            urgency_reasons=measure.urgency_reasons,
        )
        if measure.urgency:
            values["urgency_ground"] = measure.urgency
        if besluit:
            values["date"] = measure.decided_on
    return values
