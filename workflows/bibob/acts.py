"""The kind of legal act a Bibob toets is about, and the body competent to
take it (docs/domain.md §3.1 "What triggers a Bibob toets", §3.4 "BO").

The Wet Bibob applies to three kinds of act, and the law around the toets
differs per kind:

- a **beschikking** on application (art 7: APV/verordening permits such as
  the exploitatievergunning; the Alcoholwet; the omgevingsvergunning): the
  Awb decision term (4:13) runs, the LBB request suspends it (art 31),
  herstelverzuim (Awb 4:5) applies and the besluit is open to bezwaar
  (Awb 6:7);
- a **subsidie** (art 6): a beschikking too (Awb 4:21), with the same terms
  and remedies;
- a **vastgoedtransactie** (art 5a): a private-law act of the municipality
  as contracting party. It is not a besluit (Awb 1:3 lid 1: a besluit is a
  publiekrechtelijke rechtshandeling), so there is no Awb decision term, no
  art 31 suspension, no herstelverzuim under Awb 4:5 and no bezwaar clause.

The competent body per application type is policy data fixed by the sector
law: the burgemeester for the exploitatievergunning under the APV and for
the Alcoholwet licence (Alcoholwet art 3); the college for the
omgevingsvergunning (Ow 5.8), for subsidies (Gemw 160 lid 1; the
subsidieverordening) and for private-law acts of the municipality (Gemw 160
lid 1 onder e). The body is recorded on the intake (`BibobIntake
.competent_body`) and drives the bestuursorgaan, the signer and the bezwaar
addressee of the letters (`workflows.bibob.competent_body`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.bibob.terms import ApplicationType


class LegalAct(models.TextChoices):
    BESCHIKKING = "beschikking", _("Decision on an application (beschikking)")
    SUBSIDIE = "subsidie", _("Subsidy (beschikking, Wet Bibob art 6)")
    PRIVATE_LAW = (
        "privaatrechtelijk",
        _("Private-law act: real-estate transaction (Wet Bibob art 5a)"),
    )


class CompetentBody(models.TextChoices):
    BURGEMEESTER = "burgemeester", _("Mayor")
    COLLEGE = "college", _("Board of mayor and aldermen (college)")


LEGAL_ACT = {
    ApplicationType.OMGEVINGSVERGUNNING: LegalAct.BESCHIKKING,
    ApplicationType.EXPLOITATIEVERGUNNING: LegalAct.BESCHIKKING,
    ApplicationType.ALCOHOLWET: LegalAct.BESCHIKKING,
    ApplicationType.SUBSIDIE: LegalAct.SUBSIDIE,
    ApplicationType.VASTGOEDTRANSACTIE: LegalAct.PRIVATE_LAW,
}

# The sector law that makes the body competent, cited in the intake's note.
COMPETENT_BODY = {
    ApplicationType.OMGEVINGSVERGUNNING: (CompetentBody.COLLEGE, "Ow 5.8"),
    ApplicationType.EXPLOITATIEVERGUNNING: (CompetentBody.BURGEMEESTER, "APV"),
    ApplicationType.ALCOHOLWET: (CompetentBody.BURGEMEESTER, "Alcoholwet art 3"),
    ApplicationType.SUBSIDIE: (CompetentBody.COLLEGE, "Gemw 160 lid 1; Awb 4:23"),
    ApplicationType.VASTGOEDTRANSACTIE: (
        CompetentBody.COLLEGE,
        "Gemw 160 lid 1 onder e",
    ),
}


def legal_act_for(application_type: str) -> str:
    return LEGAL_ACT.get(application_type, LegalAct.BESCHIKKING)


def body_for(application_type: str) -> str:
    return COMPETENT_BODY.get(application_type, (CompetentBody.BURGEMEESTER, ""))[0]


def body_basis(application_type: str) -> str:
    return COMPETENT_BODY.get(application_type, ("", ""))[1]


def legal_act(case) -> str:
    """The kind of legal act of the case; before the intake (and for a
    revocation inquiry of a beschikking) a beschikking."""
    from workflows.bibob.models import BibobIntake

    intake = BibobIntake.objects.filter(case=case).first()
    if intake is None:
        return LegalAct.BESCHIKKING
    return legal_act_for(intake.application_type)


def is_besluit(case) -> bool:
    """A publiekrechtelijk act (Awb 1:3): decision term, art 31, bezwaar."""
    return legal_act(case) != LegalAct.PRIVATE_LAW


def competent_body(case) -> str:
    """The body competent for the case's decision as recorded on the intake:
    "burgemeester" or "college". Before the intake: "burgemeester"."""
    from workflows.bibob.models import BibobIntake

    intake = BibobIntake.objects.filter(case=case).first()
    if intake is None or not intake.competent_body:
        return CompetentBody.BURGEMEESTER
    return intake.competent_body


def _place() -> str:
    name = str(getattr(settings, "CASEWORK_MUNICIPALITY", "")).strip()
    return name.removeprefix("Gemeente ").removeprefix("gemeente ").strip()


def body_title(body: str) -> str:
    """The body as a letter names it: "De burgemeester van Venlo", "Het
    college van burgemeester en wethouders van Venlo"."""
    place = _place()
    suffix = f" van {place}" if place else ""
    if body == CompetentBody.COLLEGE:
        return f"Het college van burgemeester en wethouders{suffix}"
    return f"De burgemeester{suffix}"


def body_addressee(body: str) -> str:
    """To whom a bezwaarschrift goes (Awb 6:4 lid 1: the body that took the
    besluit), in a sentence: "het college van burgemeester en wethouders"."""
    if body == CompetentBody.COLLEGE:
        return "het college van burgemeester en wethouders"
    return "de burgemeester"


def remedies_clause(body: str) -> str:
    """The rechtsmiddelenclausule of a Bibob besluit of `body` (Awb 3:45,
    6:4, 6:7, 6:8, 8:81)."""
    address = ", ".join(
        line.strip()
        for line in str(getattr(settings, "CASEWORK_ADDRESS", "")).split("|")
        if line.strip()
    )
    to = body_addressee(body)
    at = f" ({address})" if address else ""
    return (
        "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de "
        "dag waarop dit besluit aan u is bekendgemaakt een bezwaarschrift indienen "
        f"bij {to}{at} (artikel 6:4, 6:7 en 6:8 Algemene wet bestuursrecht). Het "
        "bezwaarschrift moet zijn ondertekend en bevat ten minste uw naam en adres, "
        "de datum, een omschrijving van het besluit en de redenen van uw bezwaar "
        "(artikel 6:5 Algemene wet bestuursrecht). Een bezwaarschrift schorst de "
        "werking van het besluit niet; u kunt de voorzieningenrechter van de "
        "rechtbank om een voorlopige voorziening vragen (artikel 8:81 Algemene wet "
        "bestuursrecht)."
    )
