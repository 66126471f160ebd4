"""What a PGA case knows for its five letters (workflows/pga/letters.py):
registered as the case type's prefill."""

from datetime import timedelta

from django.utils import timezone

from casework.letter_forms import one_line


def _pga_initial(case, template_key: str) -> dict:
    """What a PGA case knows for its five letters (casework/letters_pga.py).

    The letters go to the reporting participant or a selected participant,
    never to the person: the person's name and address from the general
    prefill are dropped as addressee. A rejected referral has been minimised
    (no person, no goals); a signal-made case may still lack its referral."""
    from casework.models import Deadline
    from workflows.pga.letters import KIND_OF, LIFE_DOMAINS, initials
    from workflows.pga.models import PgaPolicy
    from workflows.pga.services import REVIEW_BASIS, person_of

    today = timezone.localdate()
    person = person_of(case)
    initial = {
        "recipient_name": "",
        "recipient_address": "",
        "person_name": person.name if person else "",
        "person_initials": initials(person.name) if person else "",
    }
    referral = getattr(case, "pga_referral", None)
    if referral is not None:
        initial["recipient_name"] = referral.reporter.name
        initial["received_on"] = referral.received_on
        initial["advice"] = referral.advice
        initial["retention_until"] = referral.retention_until
        if referral.case_director is not None:
            director = referral.case_director
            initial["case_director"] = director.get_full_name() or director.username
    initial["participants"] = "\n".join(
        p.organisation.name
        for p in case.pga_participants.select_related("organisation")
    )
    goals = [
        (LIFE_DOMAINS.get(g.life_domain, g.life_domain), g)
        for g in case.pga_goals.order_by("life_domain", "id")
    ]
    if template_key == "afsluiting_pga":
        # Each goal with its outcome, one per line, as the close step writes
        # them (workflows/pga_steps.py `closure_inputs`).
        initial["goals"] = "\n".join(
            f"{domain}: {one_line(g.description)} "
            + ("(bereikt)" if g.achieved else "(niet bereikt)")
            for domain, g in goals
        )
    else:
        initial["goals"] = "\n".join(
            f"{domain} | {one_line(g.description)}" for domain, g in goals
        )
    initial["interventions"] = "\n".join(
        " | ".join(
            (
                v.organisation.name,
                one_line(v.description),
                KIND_OF.get(v.kind, v.kind),
                (v.owner.get_full_name() or v.owner.username) if v.owner else "",
                one_line(v.legal_basis),
                v.due_on.isoformat() if v.due_on else "",
            )
        )
        for v in case.pga_interventions.select_related("organisation", "owner")
    )
    review = (
        case.deadlines.filter(legal_basis=REVIEW_BASIS, state=Deadline.State.OPEN)
        .order_by("end_date")
        .first()
    )
    initial["next_evaluation"] = (
        review.end_date
        if review is not None
        else today + timedelta(weeks=PgaPolicy.on(today).review_weeks)
    )
    conference = case.pga_conferences.first()  # the newest (Meta.ordering)
    if conference is not None:
        planned = timezone.localtime(conference.planned_at)
        initial.update(
            conference_date=planned.date(),
            conference_time=f"{planned:%H.%M}",
            place=conference.place,
            agenda=conference.agenda,
        )
    closed = case.closed_at
    initial["closed_on"] = timezone.localdate(closed) if closed else today
    return initial


# Prefilled values that are printed in the letter are Dutch letter text
# (decision 0003), not interface strings: never gettext.


def prefill(case, template_key: str, initial: dict) -> dict:
    return _pga_initial(case, template_key)
