"""The letters of the gebiedsverbod / verblijfsontzegging (docs/domain.md §10.5):
the voornemen and the besluit. Same engine and conventions as
casework/letters.py (decision 0003: Dutch letter text lives in the template;
required fields name the article that requires them).

The legal framework the text follows: Gemeentewet art. 172a (the bevel: ground
in lid 1 or 2, kinds a–c, duration lid 6 a, change lid 7, exemption lid 8,
withdrawal lid 9) and 177 lid 2 (only the burgemeester); Awb 4:8, 4:9 and 4:11
(views before the besluit, or why not), 3:4 lid 2 and 3:46 (weighing and
reasons), 3:45, 6:4, 6:7, 6:8, 6:16 and 8:81 (bezwaar, no suspension,
voorlopige voorziening); Sr 184 (wilfully not complying with the bevel).

Version 2026.2 (both letters): the ground of 172a lid 1/2 or the APV, the
reasons for the fear (now also in the voornemen), the weighing of
proportionality and subsidiarity, the meldplicht times, the Awb 4:11 ground,
the views or the statement that none came, and the checks on the procedure
and the rechtsmiddelenclausule. Version 2026.3 (besluit): the bezwaar
clause is generated from the burgemeester's competence
(casework/competence.py) instead of typed.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    deadline_after_letter,
    esc,
    format_date,
    is_empty,
    parse_date,
    recipient,
)

from .measures import Ground, period_end

# --- Inputs -------------------------------------------------------------------

# The ground of the bevel, as the jurist chooses it (the Measure's `ground`, see
# prefill.GROUND_OPTION). Lid 1 demands a serious or a repeated disturbance,
# lid 2 a private sanction; an APV verblijfsontzegging rests on the act the APV
# names in a designated area.
SERIOUS = "ernstige verstoring"
REPEATED = "herhaaldelijke verstoring"
PRIVATE_SANCTION = "sanctie private organisatie"
APV_ACT = "gedraging in aangewezen gebied (APV)"
GROUNDS = (SERIOUS, REPEATED, PRIVATE_SANCTION, APV_ACT)
GROUND_OPTION = {
    Ground.SERIOUS: SERIOUS,
    Ground.REPEATED: REPEATED,
    Ground.PRIVATE_SANCTION: PRIVATE_SANCTION,
    Ground.APV_ACT: APV_ACT,
}

# Awb 4:11: the grounds on which the views may be skipped (Measure.urgency).
URGENCY = {
    "4:11a": ("a", "de vereiste spoed zich daartegen verzette"),
    "4:11b": (
        "b",
        "u al eerder in de gelegenheid bent gesteld uw zienswijze naar voren te "
        "brengen en zich sindsdien geen nieuwe feiten of omstandigheden hebben "
        "voorgedaan",
    ),
    "4:11c": (
        "c",
        "het doel van dit besluit alleen kon worden bereikt als u daarvan niet "
        "vooraf op de hoogte was",
    ),
}

LEGAL_BASIS = Field(
    "legal_basis",
    gettext_lazy("the legal basis (article and lid, or APV article and version)"),
    "Awb 3:46",
)
GROUND = Field(
    "ground",
    gettext_lazy("the ground of the order"),
    "Gemw 172a lid 1 en 2",
    kind="choice",
    options=GROUNDS,
)
FACTS = Field(
    "facts",
    gettext_lazy("the dated incidents or the private sanction"),
    "Gemw 172a lid 1",
    long=True,
)
FEAR = Field(
    "fear_reasons",
    gettext_lazy("the reasons for the serious fear of further disturbance"),
    "Gemw 172a lid 1",
    long=True,
)
MEASURE = Field(
    "measure_description",
    gettext_lazy("the description of the measure"),
    "Gemw 172a lid 1",
    long=True,
)
CONDITIONS = Field(
    "conditions",
    gettext_lazy("the conditions and exceptions"),
    "Awb 3:46",
    plural=True,
    long=True,
)
PROPORTIONALITY = Field(
    "proportionality",
    gettext_lazy("the weighing of proportionality"),
    "Awb 3:4 lid 2",
    long=True,
)
AREA_BAN = Field(
    "area_ban", gettext_lazy("the choice of an area or group ban"), kind="bool"
)
AREA = Field(
    "area_description",
    gettext_lazy("the description of the area"),
    "Gemw 172a lid 1 a/b",
    required_by="area_ban",
    long=True,
)
AREA_MAP = Field(
    "area_map",
    gettext_lazy("the map reference (id, version, hash)"),
    "Gemw 172a lid 1 a/b",
    required_by="area_ban",
)
REPORTING_DUTY = Field(
    "reporting_duty", gettext_lazy("the choice of a reporting duty"), kind="bool"
)
REPORTING_TIMES = Field(
    "reporting_times",
    gettext_lazy("the reporting times and place"),
    "Gemw 172a lid 1 c",
    plural=True,
    required_by="reporting_duty",
    long=True,
)
APV = Field("apv", gettext_lazy("the choice of the APV basis"), kind="bool")
URGENT = Field(
    "urgent",
    gettext_lazy("the choice of an order without prior views"),
    kind="bool",
)
URGENCY_GROUND = Field(
    "urgency_ground",
    gettext_lazy("the ground for skipping the views"),
    "Awb 4:11",
    kind="choice",
    options=tuple(URGENCY),
    required_by="urgent",
)
URGENCY_REASONS = Field(
    "urgency_reasons",
    gettext_lazy("the reasons for skipping the views"),
    "Awb 4:11; Awb 3:46",
    plural=True,
    required_by="urgent",
    long=True,
)
KIND_FIELDS = (AREA_BAN, AREA, AREA_MAP, REPORTING_DUTY, REPORTING_TIMES, APV)


def _is(inputs: Mapping[str, Any], key: str) -> bool:
    return inputs.get(key) is True


# --- Text shared by both letters ----------------------------------------------


@dataclass(frozen=True)
class Words:
    """The noun of the measure with its article and verb: "het bevel geven"
    (Gemw 172a), "de verblijfsontzegging opleggen" (APV)."""

    noun: str
    the: str  # het / de
    this: str  # dit / deze
    which: str  # welk / welke
    verb: str  # geef / leg (first person, the verb of the main clause)
    particle: str  # "" / " op"
    infinitive: str  # geven / opleggen
    to_infinitive: str  # te geven / op te leggen


ORDER = Words("bevel", "het", "dit", "welk", "geef", "", "geven", "te geven")
EXCLUSION = Words(
    "verblijfsontzegging",
    "de",
    "deze",
    "welke",
    "leg",
    " op",
    "opleggen",
    "op te leggen",
)


def _words(i: Mapping[str, Any]) -> Words:
    return EXCLUSION if _is(i, "apv") else ORDER


def _subject(document: str) -> Any:
    def subject(i: Mapping[str, Any]) -> str:
        if _is(i, "apv"):
            return f"{document} verblijfsontzegging"
        return f"{document} bevel artikel 172a Gemeentewet"

    return subject


def _ground(i: Mapping[str, Any], *, intended: bool) -> Para:
    """The statutory ground, in the voornemen as my view, in the besluit as found."""
    lead = "Naar mijn oordeel heeft u" if intended else "Met deze gedragingen heeft u"
    ground = i["ground"]
    if ground == SERIOUS:
        text = (
            f"{lead} de openbare orde ernstig verstoord (artikel 172a, eerste lid, "
            "Gemeentewet)."
        )
    elif ground == REPEATED:
        text = (
            f"{lead} de openbare orde herhaaldelijk verstoord (artikel 172a, "
            "eerste lid, Gemeentewet)."
        )
    elif ground == PRIVATE_SANCTION:
        text = (
            "Een private organisatie heeft u een sanctie opgelegd voor gedrag dat "
            "bij mij de ernstige vrees doet ontstaan dat u de openbare orde zult "
            "verstoren (artikel 172a, tweede lid, Gemeentewet)."
        )
    else:
        text = (
            "Dit zijn gedragingen in een aangewezen gebied waarvoor ik op grond van "
            f"{esc(i['legal_basis'])} een verblijfsontzegging kan geven."
        )
    return Para(text)


def _fear(i: Mapping[str, Any]) -> list[Block]:
    w = _words(i)
    if i["ground"] == PRIVATE_SANCTION:
        rule = (
            "als het gedrag waarvoor de sanctie is opgelegd bij mij de ernstige "
            "vrees doet ontstaan dat u de openbare orde zult verstoren (artikel "
            "172a, tweede lid, Gemeentewet)"
        )
    elif i["ground"] == APV_ACT:
        rule = "als ik vrees dat u de openbare orde opnieuw zult verstoren"
    else:
        rule = (
            "als er ernstige vrees bestaat voor verdere verstoring van de openbare "
            "orde (artikel 172a, eerste lid, Gemeentewet)"
        )
    return [
        Heading("Vrees voor verdere verstoring van de openbare orde"),
        Para(
            f"Ik kan u {w.this} {w.noun} alleen {w.infinitive} {rule}. Die vrees "
            "heb ik om de volgende redenen."
        ),
        Para(esc(i["fear_reasons"])),
    ]


def _content(i: Mapping[str, Any], *, annex: str) -> list[Block]:
    """The measure itself: what, where (area and map), when to report."""
    blocks: list[Block] = [Para(esc(i["measure_description"]))]
    if not is_empty(i.get("area_description")):
        blocks += [Heading("Het gebied"), Para(esc(i["area_description"]))]
        if not is_empty(i.get("area_map")):
            blocks.append(
                Para(
                    f"Het gebied is aangegeven op de kaart {annex} "
                    f"({esc(i['area_map'])})."
                )
            )
    if _is(i, "reporting_duty") and not is_empty(i.get("reporting_times")):
        blocks += [
            Heading("Tijdstippen en plaats van melding"),
            Para(esc(i["reporting_times"])),
        ]
    return blocks


def _check_kind(inputs: Mapping[str, Any]) -> list[Problem]:
    """The ground, the basis and the kind of measure must fit together."""
    problems = []
    apv, ground = _is(inputs, "apv"), inputs["ground"]
    if apv != (ground == APV_ACT):
        problems.append(
            Problem(
                "ground",
                _(
                    "the ground does not fit the legal basis: an APV "
                    "verblijfsontzegging rests on an act in a designated area, an "
                    "order under Gemw 172a on lid 1 or lid 2"
                ),
            )
        )
    if apv and _is(inputs, "reporting_duty"):
        problems.append(
            Problem(
                "reporting_duty",
                _("a reporting duty can only be imposed under Gemw 172a lid 1 c"),
            )
        )
    if apv and (
        is_empty(inputs.get("area_description")) or is_empty(inputs.get("area_map"))
    ):
        problems.append(
            Problem(
                "area_map",
                _(
                    "a verblijfsontzegging needs the description of the area and "
                    "the map reference (APV)"
                ),
                missing=True,
            )
        )
    return problems


# --- 1. Voornemen ---------------------------------------------------------------


def _voornemen(i: Mapping[str, Any]) -> list[Block]:
    w = _words(i)
    return [
        Para(
            f"Ik ben van plan u op grond van {esc(i['legal_basis'])} een {w.noun} "
            f"{w.to_infinitive} om verdere verstoring van de openbare orde te "
            "voorkomen. In deze "
            "brief leg ik uit wat ik van plan ben en waarom. Voordat ik daarover een "
            "besluit neem, krijgt u de gelegenheid uw zienswijze te geven (artikel "
            "4:8 van de Algemene wet bestuursrecht, hierna: Awb)."
        ),
        Heading("Wat is er gebeurd?"),
        Para(esc(i["facts"])),
        _ground(i, intended=True),
        *_fear(i),
        Heading(f"{w.which.capitalize()} {w.noun} wil ik u {w.infinitive}?"),
        *_content(i, annex="bij deze brief"),
        Heading("Hoe lang?"),
        Para(
            f"Ik ben van plan {w.the} {w.noun} te laten gelden voor "
            f"{esc(i['proposed_period'])}, te rekenen vanaf de ingangsdatum die ik "
            "in het besluit vermeld."
            + (
                ""
                if _is(i, "apv")
                else " Een bevel op grond van artikel 172a Gemeentewet geldt ten "
                "hoogste drie maanden (artikel 172a, zesde lid, onder a, "
                "Gemeentewet)."
            )
        ),
        Heading("Voorwaarden en uitzonderingen"),
        Para(esc(i["conditions"])),
        Heading("Uw zienswijze"),
        Para(
            "U kunt tot en met "
            f"{format_date(i['zienswijze_deadline'])} uw zienswijze geven, "
            "schriftelijk of mondeling (artikel 4:9 Awb). Vermeld daarbij het "
            f"kenmerk {esc(i['reference'])}. Wilt u uw zienswijze mondeling geven, "
            "neem dan vóór die datum contact met ons op voor een afspraak. Van een "
            "mondelinge zienswijze wordt een verslag gemaakt. U mag zich laten "
            "bijstaan door een advocaat of een andere gemachtigde."
        ),
        Para(
            "Ik betrek uw zienswijze bij mijn besluit. Geeft u geen zienswijze, dan "
            "neem ik na deze datum een besluit op basis van de gegevens die ik nu heb."
        ),
        Para(
            "Dit voornemen is nog geen besluit. U kunt er daarom geen bezwaar tegen "
            "maken."
        ),
    ]


def _check_voornemen(inputs: Mapping[str, Any]) -> list[Problem]:
    return _check_kind(inputs) + deadline_after_letter(
        inputs,
        "zienswijze_deadline",
        gettext_lazy(
            "the period for views must end after the date of the letter (Awb 4:8)"
        ),
    )


VOORNEMEN = LetterTemplate(
    key="voornemen_gebiedsverbod",
    version="2026.2",
    title="Voornemen gebiedsverbod / verblijfsontzegging",
    document=gettext_lazy("The intention"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 4:8"),
        LEGAL_BASIS,
        GROUND,
        FACTS,
        FEAR,
        MEASURE,
        Field(
            "proposed_period",
            gettext_lazy("the proposed duration"),
            "Gemw 172a lid 6",
        ),
        CONDITIONS,
        Field(
            "zienswijze_deadline",
            gettext_lazy("the period for views"),
            "Awb 4:8",
            kind="date",
            addressee_day=True,
        ),
    ),
    body=_voornemen,
    optional=(*KIND_FIELDS, *LETTER_OPTIONAL),
    subject=_subject("Voornemen"),
    competence="burgemeester",
    check=_check_voornemen,
)


# --- 2. Besluit -----------------------------------------------------------------


def _procedure(i: Mapping[str, Any]) -> list[Block]:
    """How the views were asked (Awb 4:8), or why not (Awb 4:11)."""
    w = _words(i)
    blocks: list[Block] = []
    awb = "artikel 4:8 van de Algemene wet bestuursrecht, hierna: Awb"
    if not is_empty(i.get("voornemen_date")):
        blocks.append(
            Para(
                f"Bij brief van {format_date(i['voornemen_date'])} heb ik u laten "
                f"weten dat ik van plan was u {w.this} {w.noun} {w.to_infinitive}, "
                "en heb ik u de gelegenheid gegeven uw zienswijze te geven "
                f"({awb})."
            )
        )
        awb = "artikel 4:8 Awb"
    if _is(i, "urgent"):
        letter, reason = URGENCY[i["urgency_ground"]]
        blocks += [
            Para(
                "Ik heb u niet eerst in de gelegenheid gesteld uw zienswijze te "
                f"geven ({awb}), omdat {reason} (artikel 4:11, aanhef en onder "
                f"{letter}, Awb). Dat licht ik als volgt toe."
            ),
            Para(esc(i["urgency_reasons"])),
            Para(
                "U kunt uw standpunt alsnog naar voren brengen in een "
                "bezwaarschrift (zie hieronder onder ‘Bezwaar maken’)."
            ),
        ]
    if not is_empty(i.get("zienswijze")):
        blocks += [Heading("Uw zienswijze en mijn reactie"), Para(esc(i["zienswijze"]))]
    return blocks


def _period(i: Mapping[str, Any]) -> Para:
    w = _words(i)
    text = (
        f"{w.the.capitalize()} {w.noun} geldt van "
        f"<b>{format_date(i['start_date'])}</b> tot en met "
        f"<b>{format_date(i['end_date'])}</b>."
    )
    if not _is(i, "apv"):
        text += (
            " Dat is niet langer dan drie maanden (artikel 172a, zesde lid, onder a, "
            "Gemeentewet)."
        )
    return Para(text)


def _besluit(i: Mapping[str, Any]) -> list[Block]:
    w = _words(i)
    apv = _is(i, "apv")
    blocks: list[Block] = [
        Para(
            f"Met dit besluit {w.verb} ik u een {w.noun}{w.particle} om verdere "
            "verstoring van de openbare orde te voorkomen. Hieronder leest u wat dit "
            "besluit inhoudt, waarom ik het neem en wat u kunt doen als u het er niet "
            "mee eens bent."
        ),
        *_procedure(i),
        Heading("Besluit"),
        Para(
            f"Ik {w.verb} u op grond van {esc(i['legal_basis'])} {w.the} volgende "
            f"{w.noun}{w.particle}:"
        ),
        *_content(
            i,
            annex="die als bijlage bij dit besluit is gevoegd en daarvan deel uitmaakt",
        ),
        Heading("Duur"),
        _period(i),
        Heading("Voorwaarden en uitzonderingen"),
        Para(esc(i["conditions"])),
        Heading(f"Waarom {w.verb} ik u {w.this} {w.noun}{w.particle}?"),
        Para(esc(i["facts"])),
        _ground(i, intended=False),
        *_fear(i),
        Heading("Evenredigheid en subsidiariteit"),
        Para(
            f"{w.this.capitalize()} {w.noun} beperkt uw vrijheid om te gaan en te "
            "staan waar u wilt. Ik heb daarom afgewogen of het nodig is, of een "
            "minder ingrijpend middel volstaat, en of de gevolgen voor u in "
            "verhouding staan tot het doel: verdere verstoring van de openbare orde "
            "voorkomen (artikel 3:4, tweede lid, Awb). Mijn afweging is als volgt."
        ),
        Para(esc(i["proportionality"])),
        Heading(f"Wat gebeurt er als u zich niet aan {w.this} {w.noun} houdt?"),
        Para(
            f"Houdt u zich opzettelijk niet aan {w.this} {w.noun}, dan pleegt u een "
            "strafbaar feit (artikel 184 van het Wetboek van Strafrecht). De politie "
            "ziet toe op de naleving. Stelt zij een overtreding vast, dan maakt zij "
            "proces-verbaal op en stuurt zij dat naar het Openbaar Ministerie, dat "
            "beslist over vervolging."
        ),
        Para(
            "Ik kan een overtreding betrekken bij de beslissing of u opnieuw een "
            "maatregel krijgt."
            if apv
            else "Een overtreding kan voor mij ook een reden zijn het bevel te "
            "verlengen (artikel 172a, zesde lid, onder a, Gemeentewet) of het in uw "
            "nadeel te wijzigen (artikel 172a, zevende lid, Gemeentewet)."
        ),
    ]
    if not apv:
        blocks += [
            Heading("Ontheffing, wijziging en intrekking"),
            Para(
                "Heeft u een dringende reden om tijdelijk van dit bevel af te wijken, "
                "dan kunt u mij vragen u daarvoor ontheffing te verlenen. Aan een "
                "ontheffing kan ik voorschriften verbinden (artikel 172a, achtste "
                "lid, Gemeentewet)."
            ),
            Para(
                "Geven nieuwe feiten of omstandigheden daartoe aanleiding, dan wijzig "
                "ik het bevel in uw voordeel. Ik trek het bevel in zodra het niet "
                "langer nodig is om verdere verstoring van de openbare orde te "
                "voorkomen (artikel 172a, negende lid, Gemeentewet)."
            ),
        ]
    return blocks


def _check_procedure(inputs: Mapping[str, Any]) -> list[Problem]:
    """Views asked (Awb 4:8) before the besluit, or skipped on a 4:11 ground."""
    problems = []
    letter_date = parse_date(inputs["date"])
    urgent = _is(inputs, "urgent")
    has_intention = not is_empty(inputs.get("voornemen_date"))
    if not has_intention and not urgent:
        problems.append(
            Problem(
                "voornemen_date",
                _(
                    "the date of the intention is missing; without an intention, "
                    "choose an order without prior views and give the ground and "
                    "the reasons (Awb 4:8, 4:11)"
                ),
                missing=True,
            )
        )
    if has_intention:
        if parse_date(inputs["voornemen_date"]) >= letter_date:
            problems.append(
                Problem(
                    "voornemen_date",
                    _(
                        "the intention must be dated before the besluit: the person "
                        "must have had time to give views (Awb 4:8)"
                    ),
                )
            )
        if urgent:
            # The machine offers the urgent order only without an intention
            # (E10 → E40); a letter that says both is self-contradictory.
            problems.append(
                Problem(
                    "urgent",
                    _(
                        "an order without prior views (Awb 4:11) cannot also refer "
                        "to an intention that asked for views (Awb 4:8)"
                    ),
                )
            )
        if is_empty(inputs.get("zienswijze")):
            problems.append(
                Problem(
                    "zienswijze",
                    _(
                        "the views and the response to them, or the statement that "
                        "no views were given, are missing (Awb 4:8, 3:46)"
                    ),
                    missing=True,
                )
            )
    return problems


def _check_besluit(inputs: Mapping[str, Any]) -> list[Problem]:
    problems = _check_procedure(inputs) + _check_kind(inputs)
    start, end = parse_date(inputs["start_date"]), parse_date(inputs["end_date"])
    if start < parse_date(inputs["date"]):
        problems.append(
            Problem(
                "start_date",
                _("the measure cannot start before the date of the besluit (Awb 3:40)"),
            )
        )
    if end < start:
        problems.append(Problem("end_date", _("the end lies before the start")))
    elif not _is(inputs, "apv") and end > period_end(start, 3):
        problems.append(
            Problem(
                "end_date",
                _("the measure lasts longer than three months (Gemw 172a lid 6 a)"),
            )
        )
    return problems


BESLUIT = LetterTemplate(
    key="besluit_gebiedsverbod",
    version="2026.3",
    title="Besluit gebiedsverbod / verblijfsontzegging",
    document=gettext_lazy("The decision"),
    fields=(
        REFERENCE,
        LETTER_DATE,
        *recipient("Awb 3:41"),
        LEGAL_BASIS,
        GROUND,
        FACTS,
        FEAR,
        PROPORTIONALITY,
        MEASURE,
        Field(
            "start_date", gettext_lazy("the start date"), "Gemw 172a lid 6", kind="date"
        ),
        Field("end_date", gettext_lazy("the end date"), "Gemw 172a lid 6", kind="date"),
        CONDITIONS,
    ),
    body=_besluit,
    optional=(
        *KIND_FIELDS,
        Field(
            "voornemen_date",
            gettext_lazy("the date of the intention"),
            "Awb 4:8",
            kind="date",
        ),
        Field(
            "zienswijze",
            gettext_lazy("the views and the response to them"),
            "Awb 4:8; Awb 3:46",
        ),
        URGENT,
        URGENCY_GROUND,
        URGENCY_REASONS,
        *LETTER_OPTIONAL,
    ),
    subject=_subject("Besluit"),
    competence="burgemeester",
    remedy="bezwaar",
    check=_check_besluit,
)

GEBIEDSVERBOD_TEMPLATES = {t.key: t for t in (VOORNEMEN, BESLUIT)}
