"""Who decides: the municipality's bodies, the competent court, and the body of
each letter.

A besluit is taken by one bestuursorgaan — the burgemeester, the college van
burgemeester en wethouders, the gemeenteraad — or a letter comes from another
body that signs its own letters (a Zorg- en Veiligheidshuis, the dagelijks
bestuur of a gemeenschappelijke regeling). That body is named above the
signature, signs (or an official signs on its behalf under mandate, Awb 10:10)
and receives the bezwaarschrift (Awb 6:4 lid 1); the competent rechtbank
(Awb 8:7) hears the beroep and the voorzieningenrechter the request for a
voorlopige voorziening (Awb 8:81). Which bodies there are, their names and
addresses, and the court differ per municipality: they come from the settings
(`CASEWORK_BODIES`, `CASEWORK_COURT_*`, see .env.example and docs/letters.md).

Each letter template declares its body (`LetterTemplate.competence`): a key of
`CASEWORK_BODIES`, or a function of the inputs. A body that follows from the
case (the Bibob application type decides between burgemeester and college)
reaches the letter through the registry: `registry.Letter.competence(case)`
is stored in the inputs under `BODY_INPUT` when the document is made, and
`from_case()` reads it back. This module reads settings only when asked, never
at import time, and knows no case type.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

# The input under which the body a letter is made for is recorded (and stored
# with the document), when the body follows from the case.
BODY_INPUT = "bestuursorgaan"

# What a besluit is open to (`LetterTemplate.remedy`): bezwaar at the body that
# took it (Awb 6:4 lid 1, 7:1), or — for a beslissing op bezwaar — beroep at
# the rechtbank (Awb 8:1, 7:1 lid 1 aanhef). "" for a letter that is no besluit.
BEZWAAR = "bezwaar"
BEROEP = "beroep"
REMEDIES = (BEZWAAR, BEROEP)


@dataclass(frozen=True)
class Body:
    """One body of the municipality, as its letters name it.

    name is the body in running text ("de burgemeester van Venlo"), signer
    the line above the signature ("De burgemeester van Venlo"), signature the
    officials who sign for a body that signs itself (the college: "de
    secretaris", "de burgemeester", Gemw 59a; the raad: "de griffier", "de
    voorzitter", Gemw 32a), address the postal address for bezwaarschriften,
    mandate the function of the official who signs under mandate by default
    (the municipality's mandaatbesluit). A collegial body signs "namens dezen".
    authority is False for a body that is no bestuursorgaan (Awb 1:1), such
    as a Zorg- en Veiligheidshuis: its letters are never besluiten.
    """

    key: str
    name: str
    signer: str
    address: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    mandate: str = ""
    collegial: bool = False
    authority: bool = True

    @property
    def on_behalf(self) -> str:
        """The mandate line of Awb 10:10: on behalf of which body."""
        return "namens dezen," if self.collegial else "namens deze,"

    @property
    def voice(self) -> "Voice":
        """How the body's letters speak of it: "ik" or, collegial, "wij"."""
        return Voice(collegial=self.collegial)


@dataclass(frozen=True)
class Voice:
    """The first person a letter speaks in as its body: the burgemeester
    writes "ik" ("Ik weiger uw aanvraag"), a collegial body — the college van
    burgemeester en wethouders, the raad — "wij" with the plural verb ("Wij
    weigeren uw aanvraag"). Dutch verbs take the stem in the first person
    singular and the infinitive in the plural, so a sentence gives both:
    `f"{v.Ik} {v.verb('weiger', 'weigeren')} uw aanvraag"`."""

    collegial: bool = False

    @property
    def ik(self) -> str:
        return "wij" if self.collegial else "ik"

    @property
    def Ik(self) -> str:  # noqa: N802 - the word as it starts a sentence
        return "Wij" if self.collegial else "Ik"

    @property
    def mij(self) -> str:
        return "ons" if self.collegial else "mij"

    @property
    def mijn(self) -> str:
        """Before a het-word ("ons besluit"); see `mijn_de` for a de-word."""
        return "ons" if self.collegial else "mijn"

    @property
    def mijn_de(self) -> str:
        """Before a de-word or a plural ("onze beslissing")."""
        return "onze" if self.collegial else "mijn"

    def verb(self, singular: str, plural: str) -> str:
        return plural if self.collegial else singular


def voice_of(
    inputs: Mapping[str, Any],
    declaration: "BodyDeclaration" = "",
    competence: "Competence | None" = None,
) -> Voice:
    """The voice of a letter from its inputs: the body the template declares
    (`declaration`; by default the one recorded under `BODY_INPUT`, as
    `from_case()` reads it). A body that is not configured speaks in the
    singular: such a letter is refused anyway (`casework.pdf.letter_body`)."""
    key = declared(declaration, inputs) if declaration else inputs.get(BODY_INPUT)
    key = str(key or "").strip()
    if not key:
        return Voice()
    try:
        return (competence or configured()).body(key).voice
    except LookupError:
        return Voice()


@dataclass(frozen=True)
class Court:
    """The rechtbank competent for the municipality's besluiten (Awb 8:7 lid 1:
    the district where the bestuursorgaan has its seat)."""

    name: str  # "rechtbank Limburg"
    address: tuple[str, ...] = ()
    website: str = ""


@dataclass(frozen=True)
class Competence:
    """The configured bodies and the court: what a letter needs to name them."""

    bodies: Mapping[str, Body]
    court: Court

    def body(self, key: str) -> Body:
        try:
            return self.bodies[key]
        except KeyError:
            known = ", ".join(sorted(self.bodies))
            raise LookupError(
                f"no body {key!r} is configured (CASEWORK_BODIES: {known})"
            ) from None


def _lines(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split("|")
    return tuple(str(line).strip() for line in value if str(line).strip())


def body_from_setting(key: str, values: Mapping[str, Any]) -> Body:
    """A body from one entry of `settings.CASEWORK_BODIES`."""
    return Body(
        key=key,
        name=str(values["name"]).strip(),
        signer=str(values["signer"]).strip(),
        address=_lines(values.get("address", ())),
        signature=_lines(values.get("signature", ())),
        mandate=str(values.get("mandate", "")).strip(),
        collegial=bool(values.get("collegial", False)),
        authority=bool(values.get("authority", True)),
    )


def configured() -> Competence:
    """The deployment's bodies and court, from settings (.env.example)."""
    return Competence(
        bodies={
            key: body_from_setting(key, values)
            for key, values in settings.CASEWORK_BODIES.items()
        },
        court=Court(
            name=settings.CASEWORK_COURT_NAME,
            address=_lines(settings.CASEWORK_COURT_ADDRESS),
            website=settings.CASEWORK_COURT_WEBSITE,
        ),
    )


# --- The competence of a letter ------------------------------------------------

BodyDeclaration = str | Callable[[Mapping[str, Any]], str]
RemedyDeclaration = str | Callable[[Mapping[str, Any]], str]


def from_case(default: str = "") -> Callable[[Mapping[str, Any]], str]:
    """A template's competence when it follows from the case: the body the
    registry's `Letter.competence(case)` recorded in the inputs, else
    `default` (empty: the letter cannot be made without it)."""

    def body_of(inputs: Mapping[str, Any]) -> str:
        return str(inputs.get(BODY_INPUT) or default).strip()

    body_of.from_case = True  # type: ignore[attr-defined]
    return body_of


def declared(value: BodyDeclaration | RemedyDeclaration, inputs: Mapping[str, Any]):
    """A fixed declaration, or the value of a declaration that reads the inputs."""
    return value(inputs) if callable(value) else value
