"""When each Bibob letter is offered, and to whom (`registry.Letter
.offered_when`, `.roles`; issue 14 "letters bound to the decision"): a letter
kind only once the step it records exists, so that no "Besluit verlening"
can be made (or stored: `casework.documents.may_make`) after a refusal, and
no voornemen before the intention.

The letters to the betrokkene and the LBB are made by the Bibob coordinator
(`permissions.decision.CORRESPONDENCE_ROLES`); the burgemeester decides and
signs, but does not type letters.
"""

from __future__ import annotations

from casework.models import CaseEvent
from permissions.models import Role
from workflows.bibob.acts import is_besluit
from workflows.bibob.machine import S
from workflows.bibob.models import BibobDecision, BibobIntake, ThirdParty

COORDINATOR = frozenset({Role.BIBOB})


def reached(case, *statuses) -> bool:
    """The case is in one of the statuses or has passed through one."""
    if case.status in statuses:
        return True
    return CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.STATUS, to_status__in=statuses
    ).exists()


def decision_outcome(case) -> str:
    """The outcome of the besluit in force: the newest recorded decision, or
    B22 for a besluit buiten behandeling; "" before any."""
    decision = BibobDecision.objects.filter(case=case).first()
    if decision is not None:
        return decision.outcome
    return S.B22 if reached(case, S.B22) else ""


def _application(case) -> bool:
    """An application for a beschikking: the ontvangstbevestiging names its
    Awb decision term, which a vastgoedtransactie (art 5a) does not have."""
    intake = BibobIntake.objects.filter(case=case).first()
    return intake is not None and intake.is_application and is_besluit(case)


def _outcome(status):
    def offered(case) -> bool:
        return decision_outcome(case) == status

    offered.__name__ = f"outcome_is_{status}"
    return offered


OFFERED_WHEN = {
    "ontvangstbevestiging_bibob": _application,
    "vragenformulier_bibob": lambda case: reached(case, S.B20),
    "herstelverzuim_bibob": lambda case: reached(case, S.B21),
    "buiten_behandeling_bibob": _outcome(S.B22),
    "lbb_adviesaanvraag": lambda case: reached(case, S.B40),
    "kennisgeving_art32": lambda case: reached(case, S.B40),
    "voornemen_bibob": lambda case: reached(case, S.B60),
    "voornemen_bibob_derde": lambda case: (
        reached(case, S.B60) and ThirdParty.objects.filter(case=case).exists()
    ),
    "besluit_bibob_verlening": _outcome(S.B70),
    "besluit_bibob_voorschriften": _outcome(S.B71),
    "besluit_bibob_weigering": _outcome(S.B72),
    "besluit_bibob_intrekking": _outcome(S.B73),
    # The provision under art 28 lid 2 is made by the share page only.
    "verstrekking_bibob": None,
}
