"""Benchmark: render every letter template N times and report the time per letter.

Run from the repository root:

    .venv/bin/python bench/bench_letters.py [--n 200] [--strict]

Needs no database. Every template the case types register is rendered: the
inputs below are the longer, realistic ones written for the benchmark; every
other template takes the inputs the letter tests validate against
(`tests/casework/test_pdf.py`, one set per template, kept complete by its
registry test), so a new template is covered without an edit here. Prints the
median and p95 milliseconds per letter for each template and the overall
letters per second. The target is a median of at most
50 ms per letter; --strict exits with status 1 when a template misses it.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MEDIAN_MS = 50.0

CLAUSE = (
    "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de dag "
    "waarop dit besluit is bekendgemaakt bezwaar maken. Stuur uw bezwaarschrift aan "
    "de burgemeester van Venlo, Postbus 3434, 5902 RK Venlo. Vermeld daarin uw naam "
    "en adres, de datum, het besluit waartegen u bezwaar maakt en waarom u het niet "
    "eens bent met het besluit, en onderteken het (artikelen 6:5, 6:7 en 6:8 Awb). "
    "Bezwaar schorst de werking van het besluit niet. Bij spoed kunt u de "
    "voorzieningenrechter om een voorlopige voorziening vragen (artikel 8:81 Awb)."
)
FACTS = (
    "Op 3 november 2026 heeft de politie bij een doorzoeking van de woning 42 gram "
    "cocaïne, 310 gram hennep en een weegschaal met residu aangetroffen. De "
    "hoeveelheden gaan ruim boven de hoeveelheid voor eigen gebruik uit. Dit blijkt "
    "uit de bestuurlijke rapportage van 10 november 2026."
)
ADDRESSED = {
    "reference": "2026-LOD-0001",
    "date": "2026-11-28",
    "recipient_name": "Pietje IJsselmuiden-Vrĳdag",
    "recipient_address": ["Kerkstraat 1", "5911 AB Venlo"],
    "contact": "mr. A. de Vries, telefoon 14 077",
    "signatory": "mr. A. de Vries, handhavingsjurist",
}
LOD = {
    **ADDRESSED,
    "premises_address": "Kerkstraat 1, 5911 AB Venlo",
    "violation": FACTS,
    "violated_provision": "artikel 2, onder C, en artikel 3, onder C, Opiumwet",
    "legal_basis": "artikel 13b, eerste lid, aanhef en onder a, Opiumwet",
    "measure_description": (
        "De last houdt in dat in de woning geen middelen als bedoeld in lijst I of "
        "II van de Opiumwet worden verkocht, afgeleverd of verstrekt of daartoe "
        "aanwezig zijn."
    ),
    "amount_per_violation": 5000,
    "maximum_amount": "15000.00",
}
INPUTS = {
    "voornemen_lod": {**LOD, "zienswijze_deadline": "2026-12-14"},
    "besluit_lod": {
        **LOD,
        "voornemen_date": "2026-11-01",
        "zienswijze": "U heeft mondeling een zienswijze gegeven. " * 6,
        "herstelmaatregel": "Zorg dat er geen drugs in de woning aanwezig zijn.",
        "begunstigingstermijn": "geen (preventieve last)",
        "preventive": True,
        "beleidsregel": "Damoclesbeleid Venlo 2025, versie 2",
        "rechtsmiddelenclausule": CLAUSE,
    },
    "invorderingsbeschikking": {
        **ADDRESSED,
        "date": "2027-03-01",
        "besluit_date": "2026-12-01",
        "besluit_reference": "2026-LOD-0001",
        "forfeitures": [
            {"date": f"2027-01-{day:02d}", "description": FACTS[:80], "amount": 5000}
            for day in (5, 12, 19)
        ],
        "total_amount": 15000,
        "payment_deadline": "2027-04-12",
        "rechtsmiddelenclausule": CLAUSE,
    },
    "lbb_adviesaanvraag": {
        "reference": "2026-BIB-0007",
        "date": "2026-11-28",
        "applicant_name": "Café De Kroon B.V.",
        "application_type": "exploitatievergunning horeca",
        "application_date": "2026-10-01",
        "findings_summary": "Onverklaarde financiering van € 250.000. " * 10,
        "requesting_body": "De burgemeester van Venlo",
    },
    "kennisgeving_art32": {
        **ADDRESSED,
        "reference": "2026-BIB-0007",
        "application_type": "exploitatievergunning horeca",
        "application_date": "2026-10-01",
        "request_date": "2026-11-28",
    },
    "voornemen_bibob": {
        **ADDRESSED,
        "reference": "2026-BIB-0007",
        "permit": "de exploitatievergunning voor Café De Kroon",
        "intended_decision": "weigering",
        "grounds": ["a", "b"],
        "degree_of_danger": "ernstig",
        "motivation": "Uit het advies blijkt een relatie met strafbare feiten. " * 8,
        "advice_date": "2026-11-20",
        "zienswijze_deadline": "2026-12-14",
    },
    "bezoekrapport": {
        "reference": "2026-IC-0003",
        "visit_date": "2026-11-20",
        "addresses": ["Industrieweg 5, 5928 AA Venlo", "Industrieweg 7, 5928 AA Venlo"],
        "partners": ["Gemeente Venlo", "Politie Limburg", "Enexis", "Belastingdienst"],
        "findings": [
            {"partner": partner, "text": "Bevinding ter plaatse. " * 6}
            for partner in ("Gemeente Venlo", "Politie Limburg", "Enexis")
        ],
        "author": "BOA M. Janssen",
    },
    "plan_van_aanpak": {
        "reference": "2026-PGA-0002",
        "person_name": "Jan Jansen",
        "date": "2026-11-28",
        "goals": [
            {"domain": "Wonen", "goal": "Stabiele huisvesting binnen drie maanden."},
            {"domain": "Financiën", "goal": "Schulden in beeld en in een regeling."},
        ],
        "interventions": [
            {
                "partner": partner,
                "description": "Afgesproken interventie van deze partner.",
                "kind": kind,
                "owner": "Casusregisseur",
                "legal_basis": basis,
                "due_date": "2027-01-31",
            }
            for partner, kind, basis in (
                ("Gemeente Venlo", "zorg", "Wet gemeentelijke schuldhulpverlening"),
                ("Reclassering", "drang", "Bijzondere voorwaarde, art. 14c Sr"),
                ("Politie", "dwang", "Wet politiegegevens"),
            )
        ],
        "next_evaluation": "2027-01-15",
    },
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="renders per template")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if a median exceeds the target"
    )
    args = parser.parse_args()

    # The case types register their templates while Django starts; the test
    # settings need no secrets and no database.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casework.test_settings")
    import django

    django.setup()

    from casework.pdf import TEMPLATES, Letterhead, render_letter
    from tests.casework.test_pdf import INPUTS as TEST_INPUTS

    # The benchmark's inputs lengthen the texts; what they do not name (an
    # input added to a template later) comes from the tests' set.
    inputs = {
        key: {**TEST_INPUTS.get(key, {}), **INPUTS.get(key, {})}
        for key in {*TEST_INPUTS, *INPUTS}
    }
    missing = sorted(set(TEMPLATES) - set(inputs))
    if missing:
        print(f"No benchmark inputs for: {', '.join(missing)}", file=sys.stderr)
        return 2
    own = sum(key in INPUTS for key in TEMPLATES)
    print(
        f"{len(TEMPLATES)} templates: {own} with the benchmark's inputs, "
        f"{len(TEMPLATES) - own} with the letter tests' inputs"
    )
    letterhead = Letterhead(
        organisation="Gemeente Venlo",
        department="Openbare Orde en Veiligheid",
        address_lines=("Postbus 3434", "5902 RK Venlo"),
    )
    watermark = "Vertrouwelijk – afgedrukt door jurist op 2026-11-28"

    started = time.perf_counter()
    render_letter("voornemen_lod", inputs["voornemen_lod"], letterhead=letterhead)
    first_ms = (time.perf_counter() - started) * 1000
    print(f"first render (registers fonts): {first_ms:.0f} ms")

    print(f"{'template':26} {'median ms':>10} {'p95 ms':>8} {'KiB':>6}")
    total_time, total_count, slow = 0.0, 0, []
    for key in TEMPLATES:
        timings = []
        for _ in range(args.n):
            start = time.perf_counter()
            pdf = render_letter(
                key, inputs[key], letterhead=letterhead, watermark=watermark
            )
            timings.append((time.perf_counter() - start) * 1000)
        median = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20, method="inclusive")[-1]
        total_time += sum(timings) / 1000
        total_count += len(timings)
        if median > TARGET_MEDIAN_MS:
            slow.append(key)
        print(f"{key:26} {median:10.1f} {p95:8.1f} {len(pdf) / 1024:6.0f}")
    print(
        f"{total_count} letters in {total_time:.1f} s: "
        f"{total_count / total_time:.0f} letters/second "
        f"(target: median ≤ {TARGET_MEDIAN_MS:.0f} ms per letter)"
    )
    if slow:
        print(f"Over target: {', '.join(slow)}")
    return 1 if slow and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
