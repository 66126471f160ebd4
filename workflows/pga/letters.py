"""The letters of the persoonsgerichte aanpak (docs/domain.md §5.5, Wgs paragraaf
2.4): the aanmeldbevestiging and the afwijzing with advice to the reporting
participant, the uitnodiging for a casusoverleg, the plan van aanpak and the
afsluitingsverslag. Same engine and conventions as casework/letters.py
(decision 0003: Dutch letter text lives in the template; required fields name
the article that requires them).

All five are ZVH case products and are stored as D10 whichever page makes
them (`DATA_CLASS_OF`): the casusregisseur writes D10, not D2. The three
letters go to a participant organisation, not to the person concerned, so the
police-report guard of casework.documents does not apply (`to_the_party`).

Need-to-know: the afwijzing is made after the referral's personal data has
been minimised (Wgs 2.31 lid 2; AVG art. 5 lid 1 c), so it has no input for
the person at all and names the referral by its date and reference only. The
invitation carries the person's initials, not the name.

`plan_van_aanpak` here replaces the 2026.1 text in casework/letters.py with
the same inputs, so earlier documents and callers keep working.

The afsluitingsverslag is made automatically by the close step
(workflows/pga/steps.py `closure_inputs`) with exactly the inputs reference,
date, person_name, closed_on, closure_report, goals and retention_until.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.letters import (
    LETTER_DATE,
    LETTER_OPTIONAL,
    REFERENCE,
    Block,
    Bullets,
    Facts,
    Field,
    Grid,
    Heading,
    LetterTemplate,
    Notice,
    Para,
    Problem,
    esc,
    format_date,
    is_empty,
    lines,
    parse_date,
)

WGS = "Wet gegevensverwerking door samenwerkingsverbanden"
CONFIDENTIAL = (
    "Vertrouwelijk: gegevens uit een samenwerkingsverband, geheimhoudingsplicht "
    f"(artikel 1.11 {WGS})"
)
SECRECY_TITLE = "Geheimhoudingsplicht (artikel 1.11 Wgs)"
SECRECY_TEXT = (
    "Iedereen die bij de uitvoering van de Wgs gegevens krijgt waarvan hij weet of "
    "moet vermoeden dat ze vertrouwelijk zijn, moet die gegevens geheimhouden "
    "(artikel 1.11 Wgs). Dat geldt ook voor alles wat in het casusoverleg wordt "
    "besproken. U mag de gegevens alleen doorgeven als een wettelijke regel u "
    "daartoe verplicht of als uw taak bij de uitvoering van de Wgs dat nodig maakt. "
    "Geldt voor u al een beroepsgeheim, dan blijft dat gewoon gelden."
)

# Prefilled text printed in a letter is Dutch letter text, never gettext
# (decision 0003): the life domains and kinds of workflows/pga/models.py.
LIFE_DOMAINS = {
    "wonen": "Wonen",
    "financien": "Financiën en schulden",
    "werk": "Werk, school en dagbesteding",
    "gezondheid": "Lichamelijke en psychische gezondheid",
    "middelen": "Middelengebruik",
    "gezin": "Gezin en opvoeding",
    "netwerk": "Sociaal netwerk",
    "justitie": "Justitie en crimineel gedrag",
    "veiligheid": "Veiligheid en overlast",
}
INTERVENTION_KINDS = ("zorg", "drang", "dwang")
# InterventionKind of the model -> the kind printed in the plan; whether dwang
# is criminal or administrative shows in its legal basis.
KIND_OF = {
    "zorg": "zorg",
    "drang": "drang",
    "dwang_straf": "dwang",
    "dwang_bestuur": "dwang",
}

RECEIVED_ON = Field(
    "received_on",
    gettext_lazy("the date of the referral"),
    "Wgs art. 2.31 lid 1",
    kind="date",
)
PARTICIPANT = Field(
    "recipient_name", gettext_lazy("the participant addressed"), "Wgs art. 2.27"
)
# Letters to a participant often go by secure mail: the address is optional.
PARTICIPANT_OPTIONAL = (
    Field(
        "recipient_address",
        gettext_lazy("the address of the addressee"),
        kind="lines",
    ),
    *LETTER_OPTIONAL,
)


def _to_participant(inputs: Mapping[str, Any]) -> list[str]:
    return [
        str(inputs["recipient_name"]).strip(),
        *lines(inputs.get("recipient_address") or ()),
    ]


def initials(name: str) -> str:
    """Each part of the name as its first letter and a dot ("Jan de Vries"
    gives "J.d.V."): enough to recognise the case in the meeting, not enough
    to identify the person outside it."""
    return "".join(f"{word[0]}." for word in name.replace(".", " ").split())


# --- 1. Aanmeldbevestiging ----------------------------------------------------


def _aanmeldbevestiging(i: Mapping[str, Any]) -> list[Block]:
    about = (
        f" over de betrokkene met de initialen {esc(i['person_initials'])}"
        if not is_empty(i.get("person_initials"))
        else ""
    )
    blocks: list[Block] = [
        Para(
            f"Op {format_date(i['received_on'])} heeft u een casus{about} aangemeld "
            "bij het Zorg- en Veiligheidshuis (artikel 2.31, eerste lid, van de "
            f"{WGS}, hierna: Wgs). Met deze brief bevestigen wij dat wij uw aanmelding "
            f"heb ontvangen. De aanmelding heeft het kenmerk {esc(i['reference'])}. "
            "Wilt u dit kenmerk noemen als u contact met ons opneemt?"
        ),
        Heading("Wat gebeurt er nu?"),
        Bullets(
            (
                "<b>Screening.</b> Eerst kijken wij of de aanmelding volledig is. "
                "Ontbreekt er iets, dan nemen wij contact met u op.",
                "<b>Triage.</b> Daarna bespreken wij de aanmelding in het wekelijkse "
                "triageoverleg met de publieke deelnemers, zoals de politie, het "
                "Openbaar Ministerie en de gemeente. Zij beoordelen samen of de "
                "casus past bij het doel van het Zorg- en Veiligheidshuis: de aanpak "
                "van complexe casuïstiek (artikel 2.31, tweede lid, en artikel 2.25 "
                "Wgs).",
                "<b>Uitkomst.</b> Na de triage hoort u van ons of wij de casus in "
                "behandeling nemen en een casusoverleg organiseren. Nemen wij de "
                "casus niet in behandeling, dan geven wij u een advies of verwijzen "
                "wij u door.",
            )
        ),
    ]
    if not is_empty(i.get("triage_date")):
        blocks.append(
            Para(
                "Wij bespreken uw aanmelding naar verwachting in de triage van "
                f"{format_date(i['triage_date'])}."
            )
        )
    blocks += [
        Heading("Informeert u de betrokkene?"),
        Para(
            "Wij gaan ervan uit dat u de betrokkene vertelt dat u hem of haar heeft "
            "aangemeld, en waarom. Dat doet u niet als daar een goede reden voor is, "
            "bijvoorbeeld omdat een strafrechtelijk onderzoek loopt of omdat het de "
            "veiligheid van de betrokkene of van anderen in gevaar brengt. Heeft u "
            "de betrokkene niet geïnformeerd, laat ons dan weten waarom."
        ),
        Para(
            "Deze brief bevat vertrouwelijke gegevens. Deel ze alleen met collega's "
            "die ze voor hun taak nodig hebben (artikel 1.11 Wgs)."
        ),
    ]
    return blocks


AANMELDBEVESTIGING = LetterTemplate(
    key="aanmeldbevestiging_pga",
    version="2026.1",
    title="Bevestiging aanmelding Zorg- en Veiligheidshuis",
    document=gettext_lazy("The acknowledgement of the referral"),
    fields=(REFERENCE, LETTER_DATE, PARTICIPANT, RECEIVED_ON),
    body=_aanmeldbevestiging,
    optional=(
        Field("person_initials", gettext_lazy("the initials of the person concerned")),
        Field("triage_date", gettext_lazy("the date of the triage"), kind="date"),
        *PARTICIPANT_OPTIONAL,
    ),
    subject=lambda i: (
        f"Bevestiging van uw aanmelding van {format_date(i['received_on'])}"
    ),
    competence="zvh",
    recipient=_to_participant,
    to_the_party=False,
    banner=CONFIDENTIAL,
)


# --- 2. Afwijzing met advies of doorverwijzing ----------------------------------


def _afwijzing(i: Mapping[str, Any]) -> list[Block]:
    blocks: list[Block] = [
        Para(
            f"Op {format_date(i['received_on'])} heeft u een casus aangemeld bij het "
            f"Zorg- en Veiligheidshuis (kenmerk {esc(i['reference'])}). De publieke "
            "deelnemers hebben de aanmelding in de triage beoordeeld (artikel 2.31, "
            f"tweede lid, van de {WGS}, hierna: Wgs). Met deze brief laten wij u weten "
            "dat wij de casus <b>niet in behandeling nemen</b>."
        ),
        Heading("Waarom niet?"),
        Para(
            "Het Zorg- en Veiligheidshuis mag alleen gegevens verwerken over "
            "complexe casuïstiek (artikel 2.25 Wgs). Daarvan is sprake als:"
        ),
        Bullets(
            (
                "iemand problemen heeft op meer dan één leefgebied, die leiden of "
                "naar verwachting zullen leiden tot strafbaar gedrag of ernstige "
                "overlast; en",
                "voor de aanpak samenwerking nodig is tussen meerdere ketens, in "
                "ieder geval drang én dwang; en",
                "de problemen gevolgen hebben voor het gezin of de sociale "
                "omgeving, of leiden tot ernstige veiligheidsproblemen in de buurt.",
            )
        ),
        Para("De triage heeft geoordeeld dat de casus niet aan deze criteria voldoet."),
    ]
    if not is_empty(i.get("reasons")):
        blocks.append(Para(esc(i["reasons"])))
    blocks += [
        Heading("Ons advies"),
        Para(esc(i["advice"])),
        Para(
            "Uw organisatie blijft verantwoordelijk voor de hulp of aanpak binnen "
            "uw eigen taak. Verandert de situatie, dan kunt u de casus opnieuw "
            "aanmelden."
        ),
        Heading("Wat gebeurt er met de gegevens?"),
        Para(
            "Omdat wij de casus niet in behandeling nemen, hebben wij de "
            "persoonsgegevens uit de aanmelding verwijderd. Wij bewaren alleen de "
            "datum van de aanmelding, uw organisatie, het kenmerk en dit advies, "
            "zodat wij kunnen verantwoorden wat er met de aanmelding is gebeurd "
            "(artikel 2.31, tweede lid, Wgs en artikel 5, eerste lid, onder c, "
            "AVG). Daarom staat de naam van de betrokkene niet in deze brief."
        ),
    ]
    return blocks


AFWIJZING = LetterTemplate(
    key="afwijzing_pga",
    version="2026.1",
    title="Aanmelding niet in behandeling genomen",
    document=gettext_lazy("The letter declining the referral"),
    # Deliberately no input for the person: see the module docstring.
    fields=(
        REFERENCE,
        LETTER_DATE,
        PARTICIPANT,
        RECEIVED_ON,
        Field(
            "advice",
            gettext_lazy("the advice or referral"),
            "Wgs art. 2.31 lid 2",
        ),
    ),
    body=_afwijzing,
    optional=(
        Field("reasons", gettext_lazy("the reasons of the triage")),
        *PARTICIPANT_OPTIONAL,
    ),
    subject=lambda i: f"Uw aanmelding van {format_date(i['received_on'])}",
    competence="zvh",
    recipient=_to_participant,
    to_the_party=False,
    banner=CONFIDENTIAL,
)


# --- 3. Uitnodiging casusoverleg ------------------------------------------------

_TIME = re.compile(r"([01]?\d|2[0-3])[.:]([0-5]\d)")
# A capital followed by two or more small letters ("Jan", "Vries") is a name,
# not an initial; "J.d.V.", "JJ" or "J. van D." are initials.
_NAME_PART = re.compile(r"[A-ZÀ-Ý][a-zß-ÿ]{2,}")


_CONFERENCE_TIME = Field(
    "conference_time",
    gettext_lazy("the time of the case conference"),
    "Wgs art. 2.31 lid 5",
)


def _uitnodiging(i: Mapping[str, Any]) -> list[Block]:
    hour, minute = _TIME.fullmatch(str(i["conference_time"]).strip()).groups()
    blocks: list[Block] = [
        Para(
            "Hierbij nodigen wij u uit voor het casusoverleg over de casus met kenmerk "
            f"{esc(i['reference'])}. In het casusoverleg maken de deelnemers "
            "afspraken over de aanpak en over wie welke interventie uitvoert "
            f"(artikel 2.31, vijfde lid, van de {WGS}, hierna: Wgs)."
        ),
        Facts(
            (
                ("Datum", format_date(i["conference_date"])),
                ("Tijd", f"{int(hour):02d}.{minute} uur"),
                ("Plaats", esc(i["place"])),
                ("Kenmerk", esc(i["reference"])),
                ("Betrokkene (initialen)", esc(i["person_initials"])),
            )
        ),
        Heading("Agenda"),
        Bullets(tuple(esc(item) for item in lines(i["agenda"]))),
        Heading("Wie nemen deel?"),
        Para(
            "Aan het overleg nemen alleen de deelnemers deel die voor deze casus "
            "zijn geselecteerd (artikel 2.31, vierde lid, Wgs). Wilt u iemand van "
            "buiten deze deelnemers laten aansluiten, overleg dat dan vooraf met ons. "
            "Een derde kan alleen incidenteel deelnemen, en krijgt alleen de "
            "gegevens die hij voor zijn bijdrage nodig heeft (artikel 2.31, negende "
            "en tiende lid, Wgs)."
        ),
    ]
    if not is_empty(i.get("participants")):
        blocks.append(Bullets(tuple(esc(p) for p in lines(i["participants"]))))
    blocks += [
        Heading("Waarom alleen initialen?"),
        Para(
            "In deze uitnodiging staan alleen de initialen van de betrokkene. Zo "
            "komen er niet meer gegevens in omloop dan nodig is. De gegevens die u "
            "voor het overleg nodig heeft, vindt u in het gedeelde casusdossier of "
            "hoort u in het overleg."
        ),
        Heading("Voorbereiding"),
        Para(
            "Wilt u nagaan welke informatie uw organisatie heeft die nodig is voor "
            "de aanpak, en welke interventies uw organisatie binnen haar eigen taak "
            "kan inzetten? Deel alleen wat nodig is voor het doel van de "
            "samenwerking (artikel 2.25 Wgs). Gezondheidsgegevens waarvoor een "
            "beroepsgeheim geldt, deelt u alleen met uitdrukkelijke toestemming van "
            "de betrokkene, tenzij de wet u verplicht of toestaat ze te delen of "
            "goed hulpverlenerschap dat vraagt (artikel 2.29, tweede lid, Wgs)."
        ),
        Notice(SECRECY_TITLE, SECRECY_TEXT),
        Para("Kunt u niet komen? Laat het ons dan zo snel mogelijk weten."),
    ]
    return blocks


def _check_uitnodiging(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = []
    if not _TIME.fullmatch(str(inputs["conference_time"]).strip()):
        text = _("%(label)s is invalid: %(reason)s") % {
            "label": _CONFERENCE_TIME.label,
            "reason": _("expected a time such as 14.00"),
        }
        problems.append(Problem("conference_time", text))
    if _NAME_PART.search(str(inputs["person_initials"])):
        text = _(
            "give only the initials of the person concerned, not the name "
            "(need to know, Wgs art. 2.31 lid 4)"
        )
        problems.append(Problem("person_initials", text))
    return problems


UITNODIGING = LetterTemplate(
    key="uitnodiging_casusoverleg",
    version="2026.1",
    title="Uitnodiging casusoverleg",
    document=gettext_lazy("The invitation to the case conference"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        PARTICIPANT,
        Field(
            "conference_date",
            gettext_lazy("the date of the case conference"),
            "Wgs art. 2.31 lid 5",
            kind="date",
        ),
        _CONFERENCE_TIME,
        Field("place", gettext_lazy("the place of the case conference")),
        Field("agenda", gettext_lazy("the agenda"), kind="lines"),
        Field(
            "person_initials",
            gettext_lazy("the initials of the person concerned"),
        ),
    ),
    body=_uitnodiging,
    optional=(
        Field(
            "participants",
            gettext_lazy("the selected participants"),
            "Wgs art. 2.31 lid 4",
            kind="names",
            plural=True,
        ),
        *PARTICIPANT_OPTIONAL,
    ),
    subject=lambda i: f"Uitnodiging casusoverleg {format_date(i['conference_date'])}",
    competence="zvh",
    recipient=_to_participant,
    check=_check_uitnodiging,
    to_the_party=False,
    banner=CONFIDENTIAL,
)


# --- 4. Plan van aanpak -----------------------------------------------------------


def _plan_van_aanpak(i: Mapping[str, Any]) -> list[Block]:
    facts = [
        ("Kenmerk", esc(i["reference"])),
        ("Betrokkene", esc(i["person_name"])),
        ("Vastgesteld op", format_date(i["date"])),
    ]
    if not is_empty(i.get("case_director")):
        facts.append(("Casusregisseur", esc(i["case_director"])))
    # Per partner, and within a partner by due date: each partner finds its
    # own interventions together.
    interventions = sorted(
        i["interventions"],
        key=lambda v: (str(v["partner"]).strip().casefold(), parse_date(v["due_date"])),
    )
    blocks: list[Block] = [
        Facts(tuple(facts)),
        Para(
            "Dit plan is in het casusoverleg afgesproken (artikel 2.31, vijfde lid, "
            f"van de {WGS}, hierna: Wgs). Iedere interventie heeft een eigenaar en een "
            "eigen wettelijke grondslag; iedere partner voert zijn interventies uit "
            "binnen zijn eigen bevoegdheden en houdt de voortgang bij."
        ),
        Heading("Doelen per leefgebied"),
        Grid(
            ("Leefgebied", "Doel"),
            tuple((esc(g["domain"]), esc(g["goal"])) for g in i["goals"]),
            (0.28, 0.72),
        ),
        Heading("Interventies per partner"),
        Grid(
            ("Partner en eigenaar", "Interventie", "Wettelijke grondslag", "Gereed op"),
            tuple(
                (
                    f"{esc(v['partner'])}<br/>{esc(v['owner'])}",
                    f"{esc(v['description'])}<br/>({esc(v['kind'])})",
                    esc(v["legal_basis"]),
                    format_date(v["due_date"]),
                )
                for v in interventions
            ),
            (0.25, 0.33, 0.25, 0.17),
        ),
        Para(
            "Soort interventie: <b>zorg</b> is hulp die de betrokkene vrijwillig "
            "aanneemt; <b>drang</b> is hulp met een stok achter de deur; <b>dwang</b> "
            "is een maatregel die een partner oplegt op grond van het strafrecht of "
            "het bestuursrecht."
        ),
        Heading("Evaluatie"),
        Para(
            "De partners voeren het plan uit, evalueren het en stellen het zo nodig "
            "bij (artikel 2.31, zesde lid, Wgs)."
        ),
    ]
    if not is_empty(i.get("next_evaluation")):
        blocks.append(Para(f"Volgende evaluatie: {format_date(i['next_evaluation'])}."))
    else:
        blocks.append(
            Para(
                "De datum van de volgende evaluatie wordt in het casusoverleg bepaald."
            )
        )
    return blocks


PLAN_VAN_AANPAK = LetterTemplate(
    key="plan_van_aanpak",
    version="2026.2",
    title="Plan van aanpak",
    document=gettext_lazy("The plan of action"),
    fields=(
        REFERENCE,
        Field("person_name", gettext_lazy("the name of the person concerned")),
        Field("date", gettext_lazy("the date of adoption"), kind="date"),
        Field(
            "goals",
            gettext_lazy("the goals"),
            kind="records",
            plural=True,
            columns=(
                Field("domain", gettext_lazy("the life domain")),
                Field("goal", gettext_lazy("the goal")),
            ),
        ),
        Field(
            "interventions",
            gettext_lazy("the interventions"),
            "Wgs art. 2.31 lid 5",
            kind="records",
            plural=True,
            columns=(
                Field("partner", gettext_lazy("the partner")),
                Field("description", gettext_lazy("the description")),
                Field(
                    "kind",
                    gettext_lazy("the kind"),
                    kind="choice",
                    options=INTERVENTION_KINDS,
                ),
                Field("owner", gettext_lazy("the owner")),
                Field("legal_basis", gettext_lazy("the legal basis")),
                Field("due_date", gettext_lazy("the due date"), kind="date"),
            ),
        ),
    ),
    body=_plan_van_aanpak,
    optional=(
        Field(
            "next_evaluation", gettext_lazy("the date of the evaluation"), kind="date"
        ),
        Field("case_director", gettext_lazy("the case director")),
    ),
    layout="report",
    banner=CONFIDENTIAL,
)


# --- 5. Afsluitingsverslag ----------------------------------------------------------


def _afsluiting(i: Mapping[str, Any]) -> list[Block]:
    goals = lines(i.get("goals") or ())
    closed_on = parse_date(i["closed_on"])
    until = parse_date(i["retention_until"])
    if until > closed_on:
        retention = (
            "De gegevens worden uiterlijk op "
            f"<b>{format_date(until)}</b> verwijderd of geanonimiseerd: vijf jaar "
            "na de eerste verwerking (artikel 1.8, zevende lid, Wgs)."
        )
    else:
        retention = (
            "De termijn van vijf jaar na de eerste verwerking is op "
            f"{format_date(until)} verstreken (artikel 1.8, zevende lid, Wgs). De "
            "gegevens worden daarom zo snel mogelijk verwijderd of geanonimiseerd."
        )
    return [
        Facts(
            (
                ("Kenmerk", esc(i["reference"])),
                ("Betrokkene", esc(i["person_name"])),
                ("Afgesloten op", format_date(closed_on)),
                ("Datum verslag", format_date(i["date"])),
            )
        ),
        Para(
            f"De casus is op {format_date(closed_on)} afgesloten. Het afsluiten is "
            "in het casusoverleg besproken (artikel 2.31, zesde lid, van de "
            f"{WGS}, hierna: Wgs)."
        ),
        Heading("Verslag van de afsluiting"),
        Para(esc(i["closure_report"])),
        Heading("Doelen en resultaat"),
        Bullets(tuple(esc(goal) for goal in goals))
        if goals
        else Para("In deze casus zijn geen doelen vastgelegd."),
        Heading("Wat gebeurt er met de gegevens?"),
        Para(
            "Na de afsluiting zijn de gegevens van deze casus afgeschermd (artikel "
            "2.31, achtste lid, Wgs). De deelnemers kunnen het casusdossier niet "
            "meer inzien. Alleen de functionaris voor gegevensbescherming kan het "
            "nog raadplegen, voor toezicht en verantwoording; elke raadpleging "
            "wordt vastgelegd."
        ),
        Para(
            f"{retention} Langer bewaren mag alleen als een wettelijke regel of een "
            "rechtsvordering dat vereist."
        ),
        Para(
            "Gegevens die een partner in zijn eigen dossier heeft, vallen onder de "
            "bewaarregels van die partner."
        ),
    ]


AFSLUITING = LetterTemplate(
    key="afsluiting_pga",
    version="2026.1",
    title="Afsluitingsverslag persoonsgerichte aanpak",
    document=gettext_lazy("The closure report"),
    fields=(
        REFERENCE,
        Field("date", gettext_lazy("the date of the report"), kind="date"),
        Field("person_name", gettext_lazy("the name of the person concerned")),
        Field(
            "closed_on",
            gettext_lazy("the date of closure"),
            "Wgs art. 2.31 lid 6",
            kind="date",
        ),
        Field(
            "closure_report",
            gettext_lazy("the closure report"),
            "Wgs art. 2.31 lid 6",
        ),
        Field(
            "retention_until",
            gettext_lazy("the date by which the data is deleted"),
            "Wgs art. 1.8 lid 7",
            kind="date",
        ),
    ),
    body=_afsluiting,
    # Optional so that closing a case without recorded goals still works;
    # the report then says there were none.
    optional=(
        Field(
            "goals",
            gettext_lazy("the goals and their outcome"),
            kind="lines",
            plural=True,
        ),
    ),
    layout="report",
    banner=CONFIDENTIAL,
)


PGA_TEMPLATES = {
    template.key: template
    for template in (
        AANMELDBEVESTIGING,
        AFWIJZING,
        UITNODIGING,
        PLAN_VAN_AANPAK,
        AFSLUITING,
    )
}
