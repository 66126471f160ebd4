"""Clients of the base registers (docs/lookups.md): the BAG API Individuele
Bevragingen v2 (addresses), the KvK Zoeken and Basisprofiel APIs (companies)
and Haal Centraal BRP Personen Bevragen v2 (persons).

Each client reads its service's base URL, key and timeout from the settings
(`LOOKUP_<SERVICE>_URL`, `_API_KEY`, `_TIMEOUT`, from the environment) at the
moment of the call, sends one request per question (no retries: a failure is
shown to the user, never hidden) and turns every failure into
`LookupUnavailable` with a Dutch message: the service is not configured,
cannot be reached, does not answer in time, refuses the key, or answers
4xx/5xx. "Not found" is not a failure: an empty list or None.

Nothing here checks who may ask: the views ask the decision point first, and
the BRP consultation is logged by `lookups.services.consult_person`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

import requests

BAG, KVK, BRP = "BAG", "KVK", "BRP"
# The services' names as users read them.
NAMES = {BAG: "de BAG", KVK: "het KvK-register", BRP: "de BRP"}
DEFAULT_TIMEOUT = 5.0


class LookupUnavailable(Exception):
    """The lookup failed; `str(exc)` is the Dutch message for the user."""

    def __init__(self, message: str):
        message = message.strip()
        super().__init__(message[:1].upper() + message[1:])


class NotConfigured(LookupUnavailable):
    """The service's URL or key is not set in this deployment."""


@dataclass(frozen=True)
class Service:
    code: str
    url: str
    key: str
    timeout: float

    @property
    def name(self) -> str:
        return NAMES[self.code]


def configured(code: str) -> bool:
    """Whether the service's URL and key are set (and, for the BRP, the
    organisation's OIN that the BRP gateway logs with each request)."""
    url = getattr(settings, f"LOOKUP_{code}_URL", "")
    key = getattr(settings, f"LOOKUP_{code}_API_KEY", "")
    if code == BRP and not getattr(settings, "LOOKUP_BRP_OIN", ""):
        return False
    return bool(url and key)


def service(code: str) -> Service:
    if not configured(code):
        raise NotConfigured(
            _("Looking up in %(service)s is not configured.") % {"service": NAMES[code]}
        )
    return Service(
        code=code,
        url=getattr(settings, f"LOOKUP_{code}_URL").rstrip("/"),
        key=getattr(settings, f"LOOKUP_{code}_API_KEY"),
        timeout=float(getattr(settings, f"LOOKUP_{code}_TIMEOUT", DEFAULT_TIMEOUT)),
    )


def _send(svc: Service, method: str, path: str, **kwargs) -> requests.Response:
    """One request; a network failure or timeout becomes LookupUnavailable."""
    try:
        return requests.request(
            method, svc.url + path, timeout=svc.timeout, allow_redirects=False, **kwargs
        )
    except requests.Timeout as exc:
        raise LookupUnavailable(
            _("%(service)s did not answer within %(seconds)s seconds; try again later.")
            % {"service": svc.name, "seconds": f"{svc.timeout:g}"}
        ) from exc
    except requests.RequestException as exc:
        raise LookupUnavailable(
            _("%(service)s cannot be reached; try again later.") % {"service": svc.name}
        ) from exc


def _json(svc: Service, response: requests.Response):
    try:
        return response.json()
    except ValueError as exc:
        raise LookupUnavailable(
            _("%(service)s gave an answer that cannot be read.") % {"service": svc.name}
        ) from exc


def _detail(body) -> str:
    """The service's own words about an error: problem+json (BAG, BRP) or
    the KvK's `fout` list."""
    if not isinstance(body, dict):
        return ""
    if isinstance(body.get("fout"), list):
        return "; ".join(
            str(f.get("omschrijving", "")) for f in body["fout"] if isinstance(f, dict)
        )
    parts = [str(body.get("title") or "")]
    for param in body.get("invalidParams") or []:
        if isinstance(param, dict):
            parts.append(f"{param.get('name', '')}: {param.get('reason', '')}")
    return " ".join(p for p in parts if p)


def _refuse(svc: Service, response: requests.Response):
    """The Dutch error for an answer that is not a result."""
    try:
        body = response.json()
    except ValueError:
        body = None
    status = response.status_code
    values = {"service": svc.name, "status": status, "detail": _detail(body)}
    if status in (401, 403):
        message = _(
            "%(service)s refused the request (%(status)s): the key or the "
            "authorisation of this application is missing or wrong. %(detail)s"
        )
    elif 400 <= status < 500:
        message = _("%(service)s refused the request (%(status)s). %(detail)s")
    else:
        message = _("%(service)s has a fault (%(status)s); try again later. %(detail)s")
    return LookupUnavailable(message % values)


def _fout_codes(response: requests.Response) -> set[str]:
    try:
        body = response.json()
    except ValueError:
        return set()
    fout = body.get("fout") if isinstance(body, dict) else None
    return {str(f.get("code")) for f in fout or [] if isinstance(f, dict)}


# --- BAG ----------------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    """One current address of the BAG, with the coordinates (RD, EPSG:28992)
    of its verblijfsobject where the BAG gives them."""

    street: str
    house_number: int
    huisletter: str
    toevoeging: str
    postcode: str  # "5912 AB"
    city: str
    nummeraanduiding_id: str
    object_id: str  # adresseerbaarObjectIdentificatie
    x: float | None = None
    y: float | None = None

    @property
    def addition(self) -> str:
        """Casework's one addition field: the letter, the addition, or both
        as "A-2"."""
        return "-".join(p for p in (self.huisletter, self.toevoeging) if p)

    @property
    def number_text(self) -> str:
        """The house number as written: 12A, 45-1, 12A-2."""
        suffix = f"-{self.toevoeging}" if self.toevoeging else ""
        return f"{self.house_number}{self.huisletter}{suffix}"

    @property
    def is_verblijfsobject(self) -> bool:
        # BAG identifications: 4 digits municipality, 2 digits object type
        # (01 verblijfsobject, 02 ligplaats, 03 standplaats), 10 digits.
        return len(self.object_id) == 16 and self.object_id[4:6] == "01"


def compact_postcode(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def _spaced(postcode: str) -> str:
    postcode = compact_postcode(postcode)
    return f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode


def bag_addresses(
    postcode: str, house_number: int, huisletter: str = "", toevoeging: str = ""
) -> list[Address]:
    """The current addresses at a postcode and house number (GET /adressen),
    narrowed to the letter and addition when given (exacteMatch); for a
    single verblijfsobject also its point (GET /verblijfsobjecten/{id})."""
    svc = service(BAG)
    params = {"postcode": compact_postcode(postcode), "huisnummer": house_number}
    if huisletter:
        params["huisletter"] = huisletter.upper()
    if toevoeging:
        params["huisnummertoevoeging"] = toevoeging
    if huisletter or toevoeging:
        params["exacteMatch"] = "true"
    headers = {"X-Api-Key": svc.key, "Accept": "application/hal+json"}
    response = _send(svc, "GET", "/adressen", params=params, headers=headers)
    if response.status_code == 404:
        return []
    if response.status_code != 200:
        raise _refuse(svc, response)
    body = _json(svc, response)
    rows = ((body or {}).get("_embedded") or {}).get("adressen") or []
    found = [
        Address(
            street=row.get("openbareRuimteNaam", ""),
            house_number=int(row.get("huisnummer")),
            huisletter=row.get("huisletter") or "",
            toevoeging=row.get("huisnummertoevoeging") or "",
            postcode=_spaced(row.get("postcode", "")),
            city=row.get("woonplaatsNaam", ""),
            nummeraanduiding_id=row.get("nummeraanduidingIdentificatie", ""),
            object_id=row.get("adresseerbaarObjectIdentificatie", ""),
        )
        for row in rows
        if isinstance(row, dict) and row.get("huisnummer") is not None
    ]
    if len(found) == 1 and found[0].is_verblijfsobject:
        x, y = _bag_point(svc, found[0].object_id)
        found = [replace(found[0], x=x, y=y)]
    return found


def _bag_point(svc: Service, object_id: str) -> tuple[float | None, float | None]:
    """The verblijfsobject's point in RD coordinates (Accept-Crs epsg:28992);
    None when its geometry is a surface only."""
    headers = {
        "X-Api-Key": svc.key,
        "Accept": "application/hal+json",
        "Accept-Crs": "epsg:28992",
    }
    response = _send(svc, "GET", f"/verblijfsobjecten/{object_id}", headers=headers)
    if response.status_code == 404:
        return None, None
    if response.status_code != 200:
        raise _refuse(svc, response)
    body = _json(svc, response) or {}
    geometry = (body.get("verblijfsobject") or {}).get("geometrie") or {}
    coordinates = (geometry.get("punt") or {}).get("coordinates") or []
    if len(coordinates) < 2:
        return None, None
    return float(coordinates[0]), float(coordinates[1])


# --- KvK ----------------------------------------------------------------------


@dataclass(frozen=True)
class Vestiging:
    number: str  # vestigingsnummer; "" for the legal entity's own row
    name: str
    kind: str  # hoofdvestiging, nevenvestiging, rechtspersoon
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""

    @property
    def address(self) -> str:
        street = " ".join(p for p in (self.street, self.house_number) if p)
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (street, place) if p)


@dataclass(frozen=True)
class Company:
    kvk_number: str
    name: str
    legal_form: str = ""
    activities: list[tuple[str, str, bool]] = field(default_factory=list)
    vestigingen: list[Vestiging] = field(default_factory=list)


def _kvk_headers(svc: Service) -> dict:
    return {"apikey": svc.key, "Accept": "application/json"}


def kvk_search(*, kvk_number: str = "", name: str = "") -> list[Company]:
    """Zoeken API v2 (GET /v2/zoeken?kvkNummer= or naam=): the rows (one per
    vestiging and legal entity) grouped into companies: number, name (the
    legal entity's where it has a row) and vestigingen with their addresses."""
    svc = service(KVK)
    params = {"resultatenPerPagina": 10}
    if kvk_number:
        params["kvkNummer"] = kvk_number
    else:
        params["naam"] = name
    response = _send(svc, "GET", "/v2/zoeken", params=params, headers=_kvk_headers(svc))
    if response.status_code == 404 and "IPD5200" in _fout_codes(response):
        return []  # "geen gegevens gevonden"
    if response.status_code != 200:
        raise _refuse(svc, response)
    body = _json(svc, response) or {}
    companies: dict[str, Company] = {}
    for row in body.get("resultaten") or []:
        if not isinstance(row, dict):
            continue
        number = str(row.get("kvkNummer", ""))
        address = ((row.get("adres") or {}).get("binnenlandsAdres")) or {}
        vestiging = Vestiging(
            number=str(row.get("vestigingsnummer") or ""),
            name=row.get("naam", ""),
            kind=row.get("type", ""),
            street=address.get("straatnaam", ""),
            house_number=" ".join(
                str(p)
                for p in (address.get("huisnummer"), address.get("huisletter"))
                if p
            ),
            postcode=_spaced(address.get("postcode", "")),
            city=address.get("plaats", ""),
        )
        company = companies.setdefault(number, Company(number, vestiging.name))
        if vestiging.kind == "rechtspersoon" and vestiging.name:
            company = Company(number, vestiging.name, vestigingen=company.vestigingen)
            companies[number] = company
        if vestiging.number:
            company.vestigingen.append(vestiging)
    return list(companies.values())


def kvk_profile(kvk_number: str) -> Company | None:
    """Basisprofiel API v1 (GET /v1/basisprofielen/{kvkNummer}): the
    registered name, legal form and SBI activities; with the vestigingen of
    the Zoeken API. None when the number is not registered."""
    svc = service(KVK)
    response = _send(
        svc, "GET", f"/v1/basisprofielen/{kvk_number}", headers=_kvk_headers(svc)
    )
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise _refuse(svc, response)
    body = _json(svc, response) or {}
    owner = (body.get("_embedded") or {}).get("eigenaar") or {}
    activities = [
        (
            str(a.get("sbiCode", "")),
            a.get("sbiOmschrijving", ""),
            a.get("indHoofdactiviteit") == "Ja",
        )
        for a in body.get("sbiActiviteiten") or []
        if isinstance(a, dict)
    ]
    found = kvk_search(kvk_number=kvk_number)
    vestigingen = found[0].vestigingen if found else []
    return Company(
        kvk_number=str(body.get("kvkNummer", kvk_number)),
        name=body.get("naam", ""),
        legal_form=owner.get("uitgebreideRechtsvorm") or owner.get("rechtsvorm") or "",
        activities=activities,
        vestigingen=vestigingen,
    )


# --- BRP ----------------------------------------------------------------------

# What Casework asks of a person (data minimisation: no more than the party
# form takes, and the address to tell namesakes apart).
BRP_FIELDS = ["burgerservicenummer", "naam", "geboorte.datum", "verblijfplaats"]


@dataclass(frozen=True)
class Person:
    bsn: str
    name: str
    date_of_birth: date | None
    address: str = ""


def brp_headers(svc: Service, *, purpose: str, username: str) -> dict:
    """The headers of the municipal BRP gateway's request log (VNG
    verwerkingenlogging, docs/lookups.md): who asks (`x-origin-oin`, the
    organisation; `x-gebruiker`, the user), under which authorisation
    (`x-doelbinding`) and for which processing (`x-verwerking`: activity and
    the user's purpose)."""
    return {
        "X-API-KEY": svc.key,
        "Accept": "application/json",
        "Content-Type": "application/json",
        "x-origin-oin": settings.LOOKUP_BRP_OIN,
        "x-doelbinding": settings.LOOKUP_BRP_DOELBINDING,
        "x-verwerking": f"{settings.LOOKUP_BRP_VERWERKING}@{purpose}",
        "x-gebruiker": username,
    }


def brp_person(bsn: str, *, purpose: str, username: str) -> Person | None:
    """RaadpleegMetBurgerservicenummer (POST /personen, the BSN in the body,
    never in the URL). None when the BRP has no such person."""
    svc = service(BRP)
    body = {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [bsn],
        "fields": BRP_FIELDS,
    }
    headers = brp_headers(svc, purpose=purpose, username=username)
    response = _send(svc, "POST", "/personen", json=body, headers=headers)
    if response.status_code != 200:
        raise _refuse(svc, response)
    persons = (_json(svc, response) or {}).get("personen") or []
    if not persons or not isinstance(persons[0], dict):
        return None
    return _person(persons[0], bsn)


def _person(row: dict, bsn: str) -> Person:
    naam = row.get("naam") or {}
    name = naam.get("volledigeNaam") or " ".join(
        p
        for p in (
            naam.get("voornamen"),
            naam.get("voorvoegsel"),
            naam.get("geslachtsnaam"),
        )
        if p
    )
    born = ((row.get("geboorte") or {}).get("datum")) or {}
    date_of_birth = None
    if born.get("type") == "Datum" and born.get("datum"):
        try:
            date_of_birth = date.fromisoformat(born["datum"])
        except ValueError:
            date_of_birth = None
    place = (row.get("verblijfplaats") or {}).get("verblijfadres") or {}
    number = "".join(
        str(p)
        for p in (
            place.get("huisnummer"),
            place.get("huisletter"),
            f"-{place['huisnummertoevoeging']}"
            if place.get("huisnummertoevoeging")
            else "",
        )
        if p
    )
    street = " ".join(p for p in (place.get("officieleStraatnaam"), number) if p)
    town = " ".join(
        p for p in (_spaced(place.get("postcode", "")), place.get("woonplaats")) if p
    )
    return Person(
        bsn=str(row.get("burgerservicenummer") or bsn),
        name=name,
        date_of_birth=date_of_birth,
        address=", ".join(p for p in (street, town) if p),
    )
