"""The beslissing op bezwaar: the letter of the legal-protection region.

Offered on every case type once a protection of the case has a recorded
decision on the objection (R30, or later with that decision kept), only to the
roles that prepare it (the jurist; the Bibob coordinator on a Bibob case) —
the competent body signs. Its decisive content is bound to the row
(`recorded`): which besluit and when it was made known, the day the
bezwaarschrift came in, the outcome (Awb 7:11), whether an advisory committee
advised (7:13) and when, and whether the objector was heard (7:2) and when.
What a lawyer must still write is asked for and required: the considerations
(7:12 lid 1), what replaces a revoked besluit (7:11 lid 2), the committee's
advice and the reasons for departing from it (7:13 lid 7), why the hearing was
omitted (7:3).

The body is the one that took the primary besluit (Awb 7:11 lid 1: the
bestuursorgaan reconsiders its own besluit): the case type's
`registry.CaseTypeEntry.competence`, recorded when the document is made. The
letter speaks as that body ("ik" or "wij", `casework.competence.Voice`) and
ends with the generated beroep clause (Awb 8:1, 6:7; docs/letters.md).
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import competence
from casework.letters import (
    LETTER_DATE,
    LETTER_OPTIONAL,
    REFERENCE,
    Block,
    Field,
    Heading,
    LetterTemplate,
    Para,
    Problem,
    esc,
    format_date,
    parse_date,
    recipient,
)
from casework.pdf import LetterValidationError
from casework.registry import registry
from permissions.models import Role
from workflows.legal_protection.machine import LegalProtection, Outcome

KEY = "beslissing_op_bezwaar"

# The dictum per outcome (Awb 7:11; "gedeeltelijk gegrond" when the besluit
# is revoked only in part).
VERDICT = {
    Outcome.UPHELD: "gegrond",
    Outcome.PARTLY_UPHELD: "gedeeltelijk gegrond",
    Outcome.DISMISSED: "ongegrond",
    Outcome.INADMISSIBLE: "niet-ontvankelijk",
}

# Awb 7:3: when the bestuursorgaan may decide without hearing the objector,
# with the sub-paragraph the letter cites and, for a, b and e, the outcome
# the ground presupposes.
HEARING_OMITTED = {
    "kennelijk_niet_ontvankelijk": (
        "a",
        "het bezwaar kennelijk niet-ontvankelijk is",
        Outcome.INADMISSIBLE,
    ),
    "kennelijk_ongegrond": (
        "b",
        "het bezwaar kennelijk ongegrond is",
        Outcome.DISMISSED,
    ),
    "afstand": (
        "c",
        "u heeft verklaard geen gebruik te willen maken van het recht te worden "
        "gehoord",
        None,
    ),
    "geen_reactie": (
        "d",
        "u niet binnen de gestelde redelijke termijn heeft verklaard gebruik te "
        "willen maken van het recht te worden gehoord",
        None,
    ),
    "volledig_tegemoet": (
        "e",
        "aan uw bezwaar volledig tegemoet wordt gekomen en andere belanghebbenden "
        "daardoor niet in hun belangen kunnen worden geschaad",
        Outcome.UPHELD,
    ),
}

OUTCOMES = tuple(Outcome.values)

FIELDS = (
    REFERENCE,
    LETTER_DATE,
    *recipient("Awb 3:41"),
    Field(
        "decision_title",
        _("the decision objected to"),
        "Awb 7:11 lid 1",
    ),
    Field(
        "decision_date",
        _("the date the decision was made known"),
        "Awb 3:40, 6:8",
        kind="date",
    ),
    Field(
        "objection_date",
        _("the date the notice of objection was received"),
        "Awb 6:4, 6:9",
        kind="date",
    ),
    Field(
        "outcome",
        _("the outcome of the decision on the objection"),
        "Awb 7:11",
        kind="choice",
        options=OUTCOMES,
    ),
    Field(
        "hearing_omitted_ground",
        _("the ground for not hearing the objector"),
        "Awb 7:2, 7:3",
        kind="choice",
        options=tuple(HEARING_OMITTED),
        waived_by="heard",
    ),
    Field(
        "considerations",
        _("the considerations (reasons) of the decision"),
        "Awb 7:12 lid 1",
        plural=True,
        long=True,
    ),
)

OPTIONAL = (
    *LETTER_OPTIONAL,
    Field("heard", _("whether the objector was heard"), "Awb 7:2", kind="bool"),
    Field(
        "hearing_date",
        _("the date of the hearing"),
        "Awb 7:2",
        kind="date",
        required_by="heard",
    ),
    Field(
        "advisory_committee",
        _("whether an advisory committee advised"),
        "Awb 7:13",
        kind="bool",
    ),
    Field(
        "advice_date",
        _("the date of the committee's advice"),
        "Awb 7:13 lid 7",
        kind="date",
        required_by="advisory_committee",
    ),
    Field(
        "advice_outcome",
        _("the outcome the committee advised"),
        "Awb 7:13 lid 7",
        kind="choice",
        options=OUTCOMES,
        required_by="advisory_committee",
    ),
    Field(
        "departs_from_advice",
        _("whether the decision departs from the advice"),
        "Awb 7:13 lid 7",
        kind="bool",
    ),
    Field(
        "departure_reasons",
        _("the reasons for departing from the committee's advice"),
        "Awb 7:13 lid 7",
        plural=True,
        long=True,
        required_by="departs_from_advice",
    ),
    Field(
        "revoked_part",
        _("the part of the decision that is revoked"),
        "Awb 7:11 lid 2",
        long=True,
    ),
    Field(
        "replacement",
        _("the decision that replaces the revoked decision"),
        "Awb 7:11 lid 2",
        long=True,
    ),
    Field(
        "inadmissibility_ground",
        _("the reason the objection is inadmissible"),
        "Awb 6:6, 6:11, 7:11",
        long=True,
    ),
)


def _required(key: str, label, basis: str) -> Problem:
    text = gettext("%(label)s is missing") % {"label": label}
    text = gettext("%(problem)s (%(basis)s)") % {"problem": text, "basis": basis}
    return Problem(key, text, missing=True)


def _given(inputs: Mapping[str, Any], key: str) -> bool:
    return bool(str(inputs.get(key) or "").strip())


def check(inputs: Mapping[str, Any]) -> list[Problem]:
    """What the outcome asks and the order of the recorded days."""
    problems: list[Problem] = []
    outcome = inputs["outcome"]
    optional = {field.key: field for field in OPTIONAL}
    if outcome in (Outcome.UPHELD, Outcome.PARTLY_UPHELD) and not _given(
        inputs, "replacement"
    ):
        field = optional["replacement"]
        problems.append(_required(field.key, field.label, field.basis))
    if outcome == Outcome.PARTLY_UPHELD and not _given(inputs, "revoked_part"):
        field = optional["revoked_part"]
        problems.append(_required(field.key, field.label, field.basis))
    if outcome == Outcome.INADMISSIBLE and not _given(inputs, "inadmissibility_ground"):
        field = optional["inadmissibility_ground"]
        problems.append(_required(field.key, field.label, field.basis))
    if (
        inputs.get("advisory_committee") is True
        and inputs.get("advice_outcome") != outcome
        and not _given(inputs, "departure_reasons")
    ):
        # A dictum other than the advice departs from it (Awb 7:13 lid 7).
        problems.append(
            Problem(
                "departure_reasons",
                gettext(
                    "the decision departs from the committee's advice: give the "
                    "reasons for departing from it (Awb 7:13 lid 7)"
                ),
                missing=True,
            )
        )
    if inputs.get("heard") is not True:
        _sub, _text, presupposes = HEARING_OMITTED[inputs["hearing_omitted_ground"]]
        if presupposes is not None and presupposes != outcome:
            problems.append(
                Problem(
                    "hearing_omitted_ground",
                    gettext(
                        "the ground for not hearing the objector does not fit the "
                        "outcome (Awb 7:3)"
                    ),
                )
            )
    days = [
        ("decision_date", inputs.get("decision_date")),
        ("objection_date", inputs.get("objection_date")),
        ("hearing_date", inputs.get("hearing_date") if inputs.get("heard") else None),
        (
            "advice_date",
            inputs.get("advice_date") if inputs.get("advisory_committee") else None,
        ),
        ("date", inputs.get("date")),
    ]
    days = [(key, parse_date(value)) for key, value in days if value]
    for (_before, first), (key, day) in zip(days, days[1:], strict=False):
        if day < first:
            problems.append(
                Problem(
                    key,
                    gettext("%(day)s lies before %(earlier)s")
                    % {"day": format_date(day), "earlier": format_date(first)},
                )
            )
    return problems


def _dictum(i: Mapping[str, Any], v: competence.Voice) -> list[Block]:
    outcome = i["outcome"]
    besluit = (
        f"het besluit van {format_date(i['decision_date'])} "
        f"({esc(i['decision_title'])})"
    )
    verklaar = f"{v.Ik} {v.verb('verklaar', 'verklaren')} uw bezwaar"
    if outcome == Outcome.UPHELD:
        return [
            Para(f"{verklaar} gegrond."),
            Para(
                f"{v.Ik} {v.verb('herroep', 'herroepen')} {besluit} en "
                f"{v.verb('neem', 'nemen')} daarvoor in de plaats het volgende "
                f"besluit (artikel 7:11, tweede lid, Awb): {esc(i['replacement'])}"
            ),
        ]
    if outcome == Outcome.PARTLY_UPHELD:
        return [
            Para(f"{verklaar} gedeeltelijk gegrond."),
            Para(
                f"{v.Ik} {v.verb('herroep', 'herroepen')} {besluit} voor zover het "
                f"gaat om: {esc(i['revoked_part'])}"
            ),
            Para(
                f"Daarvoor in de plaats {v.verb('neem ik', 'nemen wij')} het "
                "volgende besluit (artikel 7:11, tweede lid, Awb): "
                f"{esc(i['replacement'])}"
            ),
            Para("Voor het overige blijft het besluit in stand."),
        ]
    if outcome == Outcome.DISMISSED:
        return [
            Para(f"{verklaar} ongegrond."),
            Para(f"Dat betekent dat {besluit} in stand blijft."),
        ]
    return [
        Para(f"{verklaar} niet-ontvankelijk."),
        Para(
            f"{v.Ik} {v.verb('beoordeel', 'beoordelen')} uw bezwaar daarom niet "
            f"inhoudelijk. De reden is: {esc(i['inadmissibility_ground'])}"
        ),
    ]


def _procedure(i: Mapping[str, Any], v: competence.Voice) -> list[Block]:
    blocks: list[Block] = [Heading("Hoe is uw bezwaar behandeld?")]
    if i.get("advisory_committee") is True:
        advised = VERDICT[Outcome(i["advice_outcome"])]
        blocks.append(
            Para(
                f"{v.Ik} {v.verb('heb', 'hebben')} uw bezwaar voorgelegd aan de "
                "adviescommissie voor de bezwaarschriften (artikel 7:13 Awb)."
            )
        )
    if i.get("heard") is True:
        by = "door de commissie " if i.get("advisory_committee") is True else ""
        blocks.append(
            Para(
                f"Op {format_date(i['hearing_date'])} bent u {by}gehoord over uw "
                "bezwaar (artikel 7:2 Awb). Van het horen is een verslag gemaakt "
                "(artikel 7:7 Awb)."
            )
        )
    else:
        sub, text, _outcome = HEARING_OMITTED[i["hearing_omitted_ground"]]
        blocks.append(
            Para(
                f"{v.Ik} {v.verb('heb', 'hebben')} u niet gehoord, omdat {text} "
                f"(artikel 7:3, aanhef en onder {sub}, Awb)."
            )
        )
    if i.get("advisory_committee") is True:
        blocks.append(
            Para(
                f"De commissie heeft op {format_date(i['advice_date'])} geadviseerd "
                f"uw bezwaar {advised} te verklaren. Het advies is bij deze brief "
                "gevoegd."
            )
        )
        departs = i.get("departs_from_advice") is True or (
            i["advice_outcome"] != i["outcome"]
        )
        if departs:
            blocks.append(
                Para(
                    f"{v.Ik} {v.verb('wijk', 'wijken')} af van het advies van de "
                    "commissie. De reden daarvoor is (artikel 7:13, zevende lid, "
                    f"Awb): {esc(i['departure_reasons'])}"
                )
            )
        else:
            blocks.append(
                Para(
                    f"{v.Ik} {v.verb('volg', 'volgen')} het advies van de "
                    f"commissie en {v.verb('neem', 'nemen')} het over als "
                    "motivering van deze beslissing, met wat hieronder staat."
                )
            )
    return blocks


def _body(i: Mapping[str, Any]) -> list[Block]:
    v = competence.voice_of(i)
    return [
        Para(
            f"Op {format_date(i['objection_date'])} {v.verb('heb ik', 'hebben wij')} "
            "uw bezwaarschrift ontvangen tegen het besluit van "
            f"{format_date(i['decision_date'])}: {esc(i['decision_title'])}. Met "
            f"deze brief {v.verb('beslis ik', 'beslissen wij')} op uw bezwaar "
            "(artikel 7:11 van de Algemene wet bestuursrecht, Awb)."
        ),
        Heading("Beslissing"),
        *_dictum(i, v),
        *_procedure(i, v),
        Heading("Overwegingen"),
        Para(esc(i["considerations"])),
    ]


def _subject(i: Mapping[str, Any]) -> str:
    return f"Beslissing op uw bezwaar tegen {i['decision_title']}"


BESLISSING_OP_BEZWAAR = LetterTemplate(
    key=KEY,
    version="2026.1",
    title="Beslissing op bezwaar",
    document="De beslissing op bezwaar",
    fields=FIELDS,
    optional=OPTIONAL,
    body=_body,
    subject=_subject,
    check=check,
    # The body that took the primary besluit (the case type's competence).
    competence=competence.from_case(),
    remedy=competence.BEROEP,
)


# --- Bound to the recorded decision ---------------------------------------------

# Who prepares it: the jurist, on a Bibob case the coordinator (a jurist cannot
# join a D5 team); the competent body signs but does not type letters.
ROLES = frozenset({Role.JURIST, Role.BIBOB})

NOT_DECIDED = _(
    "no decision on an objection against %(title)s is recorded on this case (Awb 7:11)"
)


def decided_protections(case):
    """The case's protections with a recorded beslissing op bezwaar (R30, or
    later with it kept), the newest beslissing first."""
    return (
        LegalProtection.objects.filter(case=case)
        .exclude(objection_outcome="")
        .order_by("-objection_decided_on", "-id")
    )


def competent_body(case) -> str:
    """The body that took the case's besluiten (Awb 7:11 lid 1: it decides
    the objection too): the case type's registered competence; "" when the
    type declares none, which the letter refuses (Awb 3:45, 10:10)."""
    entry = registry.case_types.get(case.case_type)
    if entry is None or entry.competence is None:
        return ""
    return entry.competence(case)


def offered(case) -> bool:
    """Only once a decision on an objection is recorded (Awb 7:11, 7:12), on a
    case type whose besluiten have a competent body."""
    entry = registry.case_types.get(case.case_type)
    if entry is None or entry.competence is None:
        return False
    return decided_protections(case).exists()


def recorded(case, inputs: Mapping[str, Any]) -> dict:
    """The inputs the recorded beslissing gives, for the protection whose
    decision title the inputs name (the newest beslissing when none is named).
    A day the row does not hold (a protection decided before the days were
    recorded) is left to the letter's inputs."""
    title = str(inputs.get("decision_title") or "").strip()
    rows = decided_protections(case)
    protection = rows.filter(decision_title__iexact=title).first() if title else None
    if protection is None and title:
        raise LetterValidationError(
            BESLISSING_OP_BEZWAAR,
            [Problem("decision_title", str(NOT_DECIDED) % {"title": title})],
        )
    protection = protection or rows.first()
    if protection is None:
        return {}
    values: dict[str, Any] = {
        "decision_title": protection.decision_title,
        "decision_date": protection.decided_on,
        "outcome": protection.objection_outcome,
        "advisory_committee": protection.advisory_committee,
        "heard": protection.hearing_on is not None,
    }
    for key, day in (
        ("objection_date", protection.objection_on),
        ("hearing_date", protection.hearing_on),
        ("advice_date", protection.advice_on),
    ):
        if day is not None:
            values[key] = day
    return values
