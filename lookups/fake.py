"""A local stand-in for the BAG, KvK and BRP services (docs/lookups.md).

A small WSGI application that answers the requests `lookups.clients` sends
with the documented response shapes, for fictional data: a handful of Venlo
addresses (the demo's streets), companies and persons with BSNs that pass
the elfproef. It checks the keys and the BRP's log headers as the real
services do and refuses without them, and answers errors in each service's
own shape (problem+json for the BAG and the BRP, the `fout` list for the KvK).

    python -m lookups.fake --port 8001 --api-key demo
    python manage.py lookups_fake_server --port 8001 --api-key demo

Paths, below http://HOST:PORT:

    /lvbag/individuelebevragingen/v2/adressen           BAG (GET)
    /lvbag/individuelebevragingen/v2/verblijfsobjecten/{id}
    /api/v2/zoeken, /api/v1/basisprofielen/{kvkNummer}  KvK (GET)
    /haalcentraal/api/brp/personen                      BRP (POST)

It imports nothing of Django and is never part of a production deployment.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
from collections import deque
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

BAG_PATH = "/lvbag/individuelebevragingen/v2"
KVK_PATH = "/api"
BRP_PATH = "/haalcentraal/api/brp"

# Values that make the fake answer as a broken service would (500/503), so
# the clients' fault handling runs against a real answer.
FAULT_POSTCODE = "9999ZZ"
FAULT_KVK = "99999999"
FAULT_BSN = "987654342"

# --- The fictional registers ------------------------------------------------------

# (postcode, huisnummer, huisletter, toevoeging, street, town, id suffix, x, y)
_ADDRESSES = [
    ("5912AB", 12, "", "", "Vleesstraat", "Venlo", "0101", 209312.0, 376420.0),
    ("5912AB", 12, "A", "", "Vleesstraat", "Venlo", "0102", 209314.0, 376425.0),
    ("5912AB", 14, "", "", "Vleesstraat", "Venlo", "0103", 209318.0, 376431.0),
    ("5912CD", 5, "", "", "Nolensplein", "Venlo", "0104", 209120.0, 376710.0),
    ("5921CD", 45, "", "", "Antoniuslaan", "Venlo", "0105", 207960.0, 375880.0),
    ("5921CD", 45, "", "1", "Antoniuslaan", "Venlo", "0106", 207960.0, 375880.0),
    ("5914EG", 7, "", "", "Hogeweg", "Venlo", "0107", 210650.0, 376960.0),
    ("5931HK", 3, "", "", "Kerkstraat", "Tegelen", "0108", 206110.0, 372940.0),
    ("5931HK", 20, "", "", "Industriestraat", "Tegelen", "0109", 206480.0, 373310.0),
]
GEMEENTE = "0983"  # Venlo; Tegelen is a woonplaats of the same municipality
WOONPLAATS = {"Venlo": "2762", "Tegelen": "2763"}

_COMPANIES = {
    "90000001": {
        "naam": "Shisha Lounge De Maasboulevard",
        "rechtsvorm": "Eenmanszaak",
        "sbi": [("5630", "Cafés", "Ja")],
        "vestigingen": [
            ("000090000011", "hoofdvestiging", "Nolensplein", 5, "", "5912CD", "Venlo"),
        ],
    },
    "90000002": {
        "naam": "Vastgoed Tegelen BV",
        "rechtsvorm": "BeslotenVennootschap",
        "uitgebreideRechtsvorm": "Besloten Vennootschap",
        "sbi": [
            ("6810", "Handel in eigen onroerend goed", "Ja"),
            ("6820", "Verhuur van overig onroerend goed", "Nee"),
        ],
        "vestigingen": [
            (
                "000090000021", "hoofdvestiging", "Kerkstraat", 3, "", "5931HK",
                "Tegelen",
            ),
            (
                "000090000022", "nevenvestiging", "Industriestraat", 20, "", "5931HK",
                "Tegelen",
            ),
        ],
    },
    "90000003": {
        "naam": "Snackbar 't Hoekske",
        "rechtsvorm": "Eenmanszaak",
        "sbi": [("5610", "Restaurants", "Ja")],
        "vestigingen": [
            (
                "000090000031", "hoofdvestiging", "Antoniuslaan", 45, "", "5921CD",
                "Venlo",
            ),
        ],
    },
}  # fmt: skip

# BSN → (voornamen, voorvoegsel, geslachtsnaam, geboortedatum, address index)
_PERSONS = {
    "987654305": ("Jan", "", "Verheggen", "1975-03-14", 0),
    "987654317": ("Fleur", "", "Hermans", "1990-08-02", 5),
    "987654329": ("Mohamed", "El", "Amrani", "1984-11-23", 6),
}
# A valid BSN that the fake BRP does not know: 987654330.

BRP_HEADERS = ("x-doelbinding", "x-verwerking", "x-gebruiker", "x-origin-oin")


# --- Answers ------------------------------------------------------------------------


def _answer(start, status: int, body, content_type="application/json", extra=()):
    reasons = {
        200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
        404: "Not Found", 405: "Method Not Allowed", 412: "Precondition Failed",
        500: "Internal Server Error", 503: "Service Unavailable",
    }  # fmt: skip
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = [("Content-Type", content_type), ("Content-Length", str(len(data)))]
    start(f"{status} {reasons.get(status, '')}", headers + list(extra))
    return [data]


def _problem(start, environ, status, title, code, invalid=None):
    """problem+json as the BAG and the Haal Centraal APIs give it."""
    body = {
        "type": f"https://tools.ietf.org/html/rfc7231#section-6.{status // 100}",
        "title": title,
        "status": status,
        "detail": title,
        "instance": environ.get("PATH_INFO", ""),
        "code": code,
    }
    if invalid:
        body["invalidParams"] = [
            {"type": "", "name": name, "code": c, "reason": reason}
            for name, c, reason in invalid
        ]
    return _answer(start, status, body, "application/problem+json")


def _fout(start, status, code, text):
    """The KvK's error shape."""
    return _answer(start, status, {"fout": [{"code": code, "omschrijving": text}]})


def _header(environ, name: str) -> str:
    return environ.get("HTTP_" + name.upper().replace("-", "_"), "")


def _query(environ) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}


# --- BAG ----------------------------------------------------------------------------


def _bag_address(row, base):
    postcode, number, letter, addition, street, town, suffix, _x, _y = row
    address = {
        "openbareRuimteNaam": street,
        "korteNaam": street,
        "huisnummer": number,
        "postcode": postcode,
        "woonplaatsNaam": town,
        "nummeraanduidingIdentificatie": f"{GEMEENTE}20000000{suffix}",
        "openbareRuimteIdentificatie": f"{GEMEENTE}30000000{suffix[:2]}00",
        "woonplaatsIdentificatie": WOONPLAATS[town],
        "adresseerbaarObjectIdentificatie": f"{GEMEENTE}01000000{suffix}",
        "pandIdentificaties": [f"{GEMEENTE}10000000{suffix}"],
        "adresregel5": f"{street} {number}{letter}{' ' + addition if addition else ''}",
        "adresregel6": f"{postcode[:4]} {postcode[4:]}  {town.upper()}",
        "_links": {
            "self": {
                "href": f"{base}/adressen/{GEMEENTE}20000000{suffix}",
            },
            "adresseerbaarObject": {
                "href": f"{base}/verblijfsobjecten/{GEMEENTE}01000000{suffix}",
            },
        },
    }
    if letter:
        address["huisletter"] = letter
    if addition:
        address["huisnummertoevoeging"] = addition
    return address


def bag(environ, start, path):
    if _header(environ, "X-Api-Key") != environ["fake.api_key"]:
        return _problem(
            start, environ, 401, "Niet correct geauthenticeerd.", "authentication"
        )
    if environ["REQUEST_METHOD"] != "GET":
        return _problem(
            start, environ, 405, "Deze methode is niet toegestaan", "methodNotAllowed"
        )
    base = environ["fake.base"] + BAG_PATH
    if path == "/adressen":
        query = _query(environ)
        postcode, number = query.get("postcode", ""), query.get("huisnummer", "")
        if not postcode or not number:
            return _problem(
                start, environ, 400,
                "Minimale combinatie van parameters moet worden opgegeven.",
                "paramsCombination",
            )  # fmt: skip
        invalid = []
        if not re.fullmatch(r"[1-9][0-9]{3}[A-Z]{2}", postcode):
            invalid.append(
                ("postcode", "pattern",
                 "Waarde voldoet niet aan patroon ^[1-9]{1}[0-9]{3}[A-Z]{2}$.")
            )  # fmt: skip
        if not number.isdigit() or not 1 <= int(number) <= 99999:
            invalid.append(("huisnummer", "integer", "Waarde is geen geldige integer."))
        if invalid:
            return _problem(
                start, environ, 400, "Een of meerdere parameters zijn niet correct.",
                "paramsValidation", invalid,
            )  # fmt: skip
        if postcode == FAULT_POSTCODE:
            return _problem(
                start, environ, 503, "Bronservice is niet beschikbaar.",
                "sourceUnavailable",
            )  # fmt: skip
        exact = query.get("exacteMatch") == "true"
        letter = query.get("huisletter", "")
        addition = query.get("huisnummertoevoeging", "")
        rows = [
            r
            for r in _ADDRESSES
            if r[0] == postcode
            and r[1] == int(number)
            and (r[2] == letter if (letter or exact) else True)
            and (r[3] == addition if (addition or exact) else True)
        ]
        body = {"_links": {"self": {"href": f"{base}/adressen"}}}
        if rows:
            body["_embedded"] = {"adressen": [_bag_address(r, base) for r in rows]}
        return _answer(start, 200, body, "application/hal+json")
    if match := re.fullmatch(r"/verblijfsobjecten/([^/]+)", path):
        object_id = match[1]
        if not re.fullmatch(r"[0-9]{16}", object_id):
            return _problem(
                start, environ, 400, "Een of meerdere parameters zijn niet correct.",
                "paramsValidation",
                [("identificatie", "pattern", "Waarde voldoet niet aan patroon.")],
            )  # fmt: skip
        if not _header(environ, "Accept-Crs"):
            return _problem(
                start, environ, 412,
                "Gewenste coördinatenstelsel voor geometrie moet worden opgegeven.",
                "acceptCrsMissing",
            )  # fmt: skip
        if _header(environ, "Accept-Crs").lower() != "epsg:28992":
            return _problem(
                start, environ, 406, "CRS niet ondersteund.", "crsNotAcceptable"
            )
        for row in _ADDRESSES:
            if f"{GEMEENTE}01000000{row[6]}" == object_id:
                body = {
                    "verblijfsobject": {
                        "identificatie": object_id,
                        "domein": "NL.IMBAG.Verblijfsobject",
                        "geometrie": {
                            "punt": {
                                "type": "Point",
                                "coordinates": [row[7], row[8], 0.0],
                            }
                        },
                        "gebruiksdoelen": ["woonfunctie"],
                        "oppervlakte": 85,
                        "status": "Verblijfsobject in gebruik",
                        "geconstateerd": "N",
                        "heeftAlsHoofdAdres": f"{GEMEENTE}20000000{row[6]}",
                        "maaktDeelUitVan": [f"{GEMEENTE}10000000{row[6]}"],
                    },
                    "_links": {
                        "self": {"href": f"{base}/verblijfsobjecten/{object_id}"}
                    },
                }
                return _answer(
                    start, 200, body, "application/hal+json",
                    [("Content-Crs", "epsg:28992")],
                )  # fmt: skip
        return _problem(
            start, environ, 404, "Opgevraagde resource bestaat niet.", "notFound"
        )
    return _problem(
        start, environ, 404, "Opgevraagde resource bestaat niet.", "notFound"
    )


# --- KvK ----------------------------------------------------------------------------


def _kvk_rows(number, company, base):
    rows = []
    if company["rechtsvorm"] != "Eenmanszaak":
        rows.append(
            {
                "kvkNummer": number,
                "naam": company["naam"],
                "type": "rechtspersoon",
                "links": [
                    {
                        "rel": "basisprofiel",
                        "href": f"{base}/v1/basisprofielen/{number}",
                    }
                ],
            }
        )
    for vnr, kind, street, house, letter, postcode, town in company["vestigingen"]:
        address = {
            "type": "bezoekadres",
            "straatnaam": street,
            "huisnummer": house,
            "postcode": postcode,
            "plaats": town,
        }
        if letter:
            address["huisletter"] = letter
        rows.append(
            {
                "kvkNummer": number,
                "vestigingsnummer": vnr,
                "naam": company["naam"],
                "adres": {"binnenlandsAdres": address},
                "type": kind,
                "links": [
                    {"rel": "basisprofiel",
                     "href": f"{base}/v1/basisprofielen/{number}"},
                    {"rel": "vestigingsprofiel",
                     "href": f"{base}/v1/vestigingsprofielen/{vnr}"},
                ],
            }
        )  # fmt: skip
    return rows


def kvk(environ, start, path):
    if _header(environ, "apikey") != environ["fake.api_key"]:
        return _fout(start, 401, "IPD0001", "De API-key ontbreekt of is ongeldig.")
    if environ["REQUEST_METHOD"] != "GET":
        return _fout(start, 405, "IPD1998", "Methode niet toegestaan.")
    base = environ["fake.base"] + KVK_PATH
    query = _query(environ)
    if path == "/v2/zoeken":
        number, name = query.get("kvkNummer", ""), query.get("naam", "")
        if number and not re.fullmatch(r"[0-9]{8}", number):
            return _fout(start, 400, "IPD0004", "Het KVK-nummer is niet valide.")
        if not number and not name:
            return _fout(start, 400, "IPD1999", "Geef ten minste één zoekparameter op.")
        if number == FAULT_KVK:
            return _fout(start, 500, "IPD9999", "Algemene technische fout.")
        rows = []
        for nr, company in _COMPANIES.items():
            if (number and nr == number) or (
                name and name.lower() in company["naam"].lower()
            ):
                rows += _kvk_rows(nr, company, base)
        if not rows:
            return _fout(
                start, 404, "IPD5200",
                "Er zijn geen gegevens gevonden die voldoen aan de opgegeven "
                "zoekparameters.",
            )  # fmt: skip
        body = {
            "pagina": 1,
            "resultatenPerPagina": int(query.get("resultatenPerPagina", "10")),
            "totaal": len(rows),
            "resultaten": rows,
            "links": [{"rel": "self", "href": f"{base}/v2/zoeken"}],
        }
        return _answer(start, 200, body)
    if match := re.fullmatch(r"/v1/basisprofielen/([^/]+)", path):
        number = match[1]
        if not re.fullmatch(r"[0-9]{8}", number):
            return _fout(start, 400, "IPD0004", "Het KVK-nummer is niet valide.")
        if number == FAULT_KVK:
            return _fout(start, 500, "IPD9999", "Algemene technische fout.")
        company = _COMPANIES.get(number)
        if company is None:
            return _fout(
                start,
                404,
                "IPD0005",
                "Het product is niet leverbaar voor dit KVK-nummer.",
            )
        main = company["vestigingen"][0]
        owner = {"rechtsvorm": company["rechtsvorm"]}
        if "uitgebreideRechtsvorm" in company:
            owner["uitgebreideRechtsvorm"] = company["uitgebreideRechtsvorm"]
        body = {
            "kvkNummer": number,
            "indNonMailing": "Ja",
            "naam": company["naam"],
            "formeleRegistratiedatum": "20150101",
            "materieleRegistratie": {"datumAanvang": "20150101"},
            "totaalWerkzamePersonen": 3,
            "handelsnamen": [{"naam": company["naam"], "volgorde": 0}],
            "sbiActiviteiten": [
                {"sbiCode": code, "sbiOmschrijving": text, "indHoofdactiviteit": main_}
                for code, text, main_ in company["sbi"]
            ],
            "links": [{"rel": "self", "href": f"{base}/v1/basisprofielen/{number}"}],
            "_embedded": {
                "hoofdvestiging": {
                    "vestigingsnummer": main[0],
                    "kvkNummer": number,
                    "eersteHandelsnaam": company["naam"],
                    "indHoofdvestiging": "Ja",
                    "adressen": [
                        {
                            "type": "bezoekadres",
                            "volledigAdres": f"{main[2]} {main[3]} {main[5]} {main[6]}",
                            "straatnaam": main[2],
                            "huisnummer": main[3],
                            "postcode": main[5],
                            "plaats": main[6],
                            "land": "Nederland",
                        }
                    ],
                },
                "eigenaar": owner,
            },
        }
        return _answer(start, 200, body)
    return _fout(start, 404, "IPD1998", "Onbekende resource.")


# --- BRP ----------------------------------------------------------------------------


def _brp_person(bsn, fields):
    first, prefix, surname, born, where = _PERSONS[bsn]
    postcode, number, letter, addition, street, town, *_ = _ADDRESSES[where]
    full = " ".join(p for p in (first, prefix, surname) if p)
    person = {
        "burgerservicenummer": bsn,
        "naam": {
            "voornamen": first,
            "geslachtsnaam": surname,
            "voorletters": f"{first[0]}.",
            "volledigeNaam": full,
        },
        "geboorte": {
            "datum": {"type": "Datum", "datum": born, "langFormaat": born},
        },
        "verblijfplaats": {
            "type": "Adres",
            "verblijfadres": {
                "officieleStraatnaam": street,
                "korteStraatnaam": street,
                "huisnummer": number,
                "postcode": postcode,
                "woonplaats": town,
            },
        },
    }
    if prefix:
        person["naam"]["voorvoegsel"] = prefix
    if letter:
        person["verblijfplaats"]["verblijfadres"]["huisletter"] = letter
    if addition:
        person["verblijfplaats"]["verblijfadres"]["huisnummertoevoeging"] = addition
    # Only what `fields` asks for (its first segment), as the API does.
    wanted = {f.split(".")[0] for f in fields}
    return {k: v for k, v in person.items() if k in wanted}


def brp(environ, start, path):
    if _header(environ, "X-API-KEY") != environ["fake.api_key"]:
        return _problem(
            start, environ, 401, "Niet correct geauthenticeerd.", "authentication"
        )
    if path != "/personen":
        return _problem(
            start, environ, 404, "Opgevraagde resource bestaat niet.", "notFound"
        )
    if environ["REQUEST_METHOD"] != "POST":
        return _problem(
            start, environ, 405, "Gevraagde method is niet toegestaan.",
            "methodNotAllowed",
        )  # fmt: skip
    # The municipal gateway logs every request with these headers; without
    # them it refuses.
    missing = [h for h in BRP_HEADERS if not _header(environ, h)]
    if missing:
        return _problem(
            start, environ, 400, "Een of meerdere headers zijn niet correct.",
            "paramsValidation",
            [(h, "required", "Header is verplicht.") for h in missing],
        )  # fmt: skip
    try:
        body = json.loads(environ["fake.body"] or b"null")
    except ValueError:
        body = None
    if (
        not isinstance(body, dict)
        or body.get("type") != "RaadpleegMetBurgerservicenummer"
    ):
        return _problem(
            start, environ, 400, "Een of meerdere parameters zijn niet correct.",
            "paramsValidation",
            [("type", "value", "Waarde is geen geldige zoek type.")],
        )  # fmt: skip
    numbers = body.get("burgerservicenummer")
    fields = body.get("fields")
    invalid = []
    if not isinstance(numbers, list) or not 1 <= len(numbers) <= 20:
        invalid.append(("burgerservicenummer", "required", "Parameter is verplicht."))
    else:
        for i, number in enumerate(numbers):
            if not isinstance(number, str) or not re.fullmatch(r"[0-9]{9}", number):
                invalid.append(
                    (f"burgerservicenummer[{i}]", "pattern",
                     "Waarde voldoet niet aan patroon ^[0-9]{9}$.")
                )  # fmt: skip
    if not isinstance(fields, list) or not fields:
        invalid.append(("fields", "required", "Parameter is verplicht."))
    if invalid:
        return _problem(
            start, environ, 400, "Een of meerdere parameters zijn niet correct.",
            "paramsValidation", invalid,
        )  # fmt: skip
    if FAULT_BSN in numbers:
        return _problem(start, environ, 500, "Interne server fout.", "serverError")
    persons = [_brp_person(n, fields) for n in numbers if n in _PERSONS]
    return _answer(
        start, 200, {"type": "RaadpleegMetBurgerservicenummer", "personen": persons}
    )


# --- The application and its server ---------------------------------------------------


def make_app(api_key: str, journal=None):
    """The WSGI application; every service accepts `api_key`. Each request
    is appended to `journal` when given (method, path, query, headers, body):
    the tests read what the clients sent."""

    def app(environ, start):
        environ["fake.api_key"] = api_key
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        environ["fake.body"] = environ["wsgi.input"].read(length) if length else b""
        if journal is not None:
            journal.append(
                {
                    "method": environ["REQUEST_METHOD"],
                    "path": environ.get("PATH_INFO", ""),
                    "query": environ.get("QUERY_STRING", ""),
                    "headers": {
                        k[5:].replace("_", "-").lower(): v
                        for k, v in environ.items()
                        if k.startswith("HTTP_")
                    },
                    "body": environ["fake.body"],
                }
            )
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        environ["fake.base"] = f"http://{host}"
        path = environ.get("PATH_INFO", "")
        for prefix, handler in ((BAG_PATH, bag), (KVK_PATH, kvk), (BRP_PATH, brp)):
            if path.startswith(prefix + "/"):
                return handler(environ, start, path[len(prefix) :])
        return _answer(start, 404, {"title": "Niet gevonden", "status": 404})

    return app


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base's name
        pass


def make(host: str = "127.0.0.1", port: int = 0, api_key: str = "fake", quiet=True):
    """A threaded server (not yet serving); port 0 takes a free port. Its
    `journal` lists the last 200 requests it received."""
    handler = _QuietHandler if quiet else WSGIRequestHandler
    journal: deque = deque(maxlen=200)
    server = make_server(
        host, port, make_app(api_key, journal), server_class=_Server,
        handler_class=handler,
    )  # fmt: skip
    server.journal = journal
    return server


def start_in_thread(api_key: str = "fake", host: str = "127.0.0.1"):
    """A running server on a free port in a daemon thread, for tests; stop
    it with `server.shutdown(); server.server_close()`."""
    server = make(host, 0, api_key)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def urls(base: str) -> dict[str, str]:
    """The settings' base URLs for a fake server at `base` (http://host:port)."""
    return {
        "LOOKUP_BAG_URL": base + BAG_PATH,
        "LOOKUP_KVK_URL": base + KVK_PATH,
        "LOOKUP_BRP_URL": base + BRP_PATH,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument(
        "--api-key", default="fake", help="the key every service accepts"
    )
    args = parser.parse_args(argv)
    server = make(args.host, args.port, args.api_key, quiet=False)
    base = f"http://{args.host}:{server.server_port}"
    print(f"Fake BAG/KvK/BRP at {base}")
    for name, url in urls(base).items():
        print(f"  {name}={url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
