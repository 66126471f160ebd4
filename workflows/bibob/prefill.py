"""What a Bibob case already knows for its letters (workflows/bibob/letters.py
and the three Bibob letters of casework/letters.py): the application and its
decision term, the repair period, the LBB request and advice, the voornemen
and its views period, and the conclusion in force. `casework.letter_forms
.initial_for` calls `letter_initial` for a Bibob case.

Only a proposal: the coordinator reviews every input before the letter is
made. Prefilled values that are printed are Dutch letter text (decision 0003).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from casework.models import Case, Deadline
from workflows.bibob.acts import body_title, competent_body, is_besluit
from workflows.bibob.machine import (
    REPAIR_BASIS,
    ZIENSWIJZE_BASIS,
    conclusion_of,
    form_refused,
)
from workflows.bibob.models import BibobDecision, BibobIntake, Danger, ThirdParty
from workflows.bibob.terms import beslistermijn, lbb_term

# The cover letter proposes four weeks to return the questionnaire (💡 local
# practice; the Regeling sets no term).
FORM_RETURN_WEEKS = 4
DEGREES = {Danger.ERNSTIG: "ernstig", Danger.MINDERE_MATE: "mindere_mate"}
DEGREE_TEXT = {
    Danger.GEEN: "geen gevaar",
    Danger.MINDERE_MATE: "mindere mate van gevaar",
    Danger.ERNSTIG: "ernstig gevaar",
}


def _latest(case: Case, basis: str) -> Deadline | None:
    return case.deadlines.filter(legal_basis=basis).order_by("-id").first()


def _grounds(conclusion) -> list[str]:
    return [
        g for g, on in (("a", conclusion.ground_a), ("b", conclusion.ground_b)) if on
    ]


def conclusion_text(case: Case) -> str:
    """The conclusion in force as one paragraph (for a share under art 28)."""
    c = conclusion_of(case)
    if c is None:
        return ""
    grounds = _grounds(c)
    text = f"Conclusie van {c.concluded_on:%d-%m-%Y}: {DEGREE_TEXT[c.degree]}"
    if grounds:
        text += f" (grond {' en '.join(grounds)}, artikel 3, eerste lid, Wet Bibob)"
    text += "."
    if c.proportionality:
        text += f" Evenredigheid: {c.proportionality}"
    return text


def _body_name(case: Case) -> str:
    """The competent body as the letters name it (casework/competence.py
    configuration; the acts module's wording when none is configured)."""
    key = competent_body(case)
    try:
        from casework.competence import configured

        return configured().body(key).signer
    except (ImportError, LookupError, AttributeError):
        return body_title(key) or settings.CASEWORK_SIGNER_TITLE


def _applicant(case: Case) -> str:
    link = case.parties.select_related("party").first()
    return link.party.name if link else ""


def _next_third_party(case: Case) -> ThirdParty | None:
    """The first third party named in the voornemen whose copy has not been
    made yet (art 33 lid 1: each gets its own)."""
    made = {
        str(inputs.get("recipient_name", "")).strip()
        for inputs in case.documents.filter(
            template_key="voornemen_bibob_derde"
        ).values_list("inputs", flat=True)
    }
    for party in ThirdParty.objects.filter(case=case):
        if party.name not in made:
            return party
    return None


def letter_initial(case: Case, template_key: str) -> dict:
    today = timezone.localdate()
    initial: dict = {
        "return_deadline": today + timedelta(weeks=FORM_RETURN_WEEKS),
        "requesting_body": _body_name(case),
        "permit": case.title,
    }
    if not is_besluit(case):
        # A vastgoedtransactie: no besluit, no art 31, no bezwaar (art 5a).
        initial["private_law"] = True
    intake = BibobIntake.objects.filter(case=case).first()
    if intake is not None:
        initial["application_type"] = intake.get_application_type_display()
        initial["application_date"] = intake.received_on
        initial["inquiry"] = "aanvraag" if intake.is_application else "intrekking"
    term = beslistermijn(case)
    if term is not None:
        initial["decision_deadline"] = term.end_date
    repair = _latest(case, REPAIR_BASIS)
    if repair is not None:
        initial["herstel_date"] = repair.event_date
        initial["completion_deadline"] = repair.end_date
    advice = lbb_term(case)
    if advice is not None:
        initial["request_date"] = advice.event_date
        if advice.met_on:
            initial["advice_date"] = advice.met_on
    views = _latest(case, ZIENSWIJZE_BASIS)
    if views is not None:
        initial["voornemen_date"] = views.event_date
        initial["zienswijze_deadline"] = views.end_date
    c = conclusion_of(case)
    if c is not None:
        initial["grounds"] = [
            g for g, on in (("a", c.ground_a), ("b", c.ground_b)) if on
        ]
        if c.degree in DEGREES:
            initial["degree_of_danger"] = DEGREES[c.degree]
        initial["proportionality"] = c.proportionality
        if intake is not None and not intake.is_application:
            initial["intended_decision"] = "intrekking"
        elif c.degree == Danger.ERNSTIG:
            initial["intended_decision"] = "weigering"
        elif c.degree == Danger.MINDERE_MATE:
            initial["intended_decision"] = "voorschriften"
    if template_key == "besluit_bibob_weigering" and c is not None:
        # The refusal says what the conclusion says (art 3 lid 1, lid 6).
        # The a- and b-ground carry a refusal only with ernstig gevaar (lid
        # 1); on a lesser degree the refusal rests on lid 6 alone.
        initial["degree_of_danger"] = c.degree
        lid1 = initial.get("grounds", []) if c.degree == Danger.ERNSTIG else []
        initial["grounds"] = [*lid1, *(["6"] if c.ground_6 else [])]
    decision = BibobDecision.objects.filter(case=case).first()
    if decision is not None and template_key.startswith("besluit_bibob_"):
        initial["motivation"] = decision.motivation
        initial["date"] = max(today, decision.decided_on)
    if template_key == "besluit_bibob_intrekking" and form_refused(case):
        initial["form_refused"] = True
    if template_key == "voornemen_bibob_derde":
        party = _next_third_party(case)
        # Never the applicant's name or address: the copy is the third party's.
        initial["recipient_name"] = ""
        initial["recipient_address"] = ""
        initial["betrokkene_name"] = _applicant(case)
        if party is not None:
            initial["recipient_name"] = party.name
            initial["recipient_address"] = "\n".join(party.address_lines)
            initial["voornemen_date"] = party.intention_sent_on
            initial["zienswijze_deadline"] = party.views_until
        initial["own_data"] = ""
    if template_key == "lbb_adviesaanvraag":
        # Addressed to the LBB by the template itself; never the applicant.
        initial.pop("recipient_address", None)
        initial.pop("recipient_name", None)
        initial["findings_summary"] = "\n".join(
            f"{s.get_kind_display()} ({s.consulted_on:%d-%m-%Y}, {s.legal_basis}): "
            f"{s.finding}"
            for s in case.bibob_sources.all()
        )
    if template_key == "verstrekking_bibob":
        initial["shared_data"] = conclusion_text(case)
        initial.pop("recipient_name", None)
    return initial
