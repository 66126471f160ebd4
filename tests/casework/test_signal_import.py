"""The import of MMA reports and police administrative reports from CSV
(issue 17 item 6, docs/import.md): upload, preview with per-row errors,
confirm; all rows or none, through `services.signal_register`."""

from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import selectors, signal_import
from casework.models import (
    ImportedSignal,
    Location,
    Party,
    ReferenceCounter,
    Signal,
    SignalImport,
)
from permissions.decision import supplies_signals
from permissions.models import AccessLog, Organisation, Role
from tests.factories import OrganisationFactory, UserFactory

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
URL = "/signals/import/"
CONFIRM_URL = "/signals/import/confirm/"
HEADER = [
    "kenmerk", "ontvangen_op", "samenvatting", "dataklasse", "straat",
    "huisnummer", "postcode", "plaats", "persoon_naam", "persoon_bsn",
    "bedrijf_naam", "bedrijf_kvk",
]  # fmt: skip


ADDRESS = "Vul voor het adres postcode, huisnummer en plaats in."


def day(days_ago: int, fmt="%d-%m-%Y") -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).strftime(fmt)


def row(reference, **values) -> dict:
    base = {
        "kenmerk": reference,
        "ontvangen_op": day(3),
        "samenvatting": f"Melding {reference}: hennepgeur bij woning.",
        "dataklasse": "D3",
        "straat": "Kloosterstraat",
        "huisnummer": "12",
        "postcode": "5911 AB",
        "plaats": "Venlo",
        "persoon_naam": "",
        "persoon_bsn": "",
        "bedrijf_naam": "",
        "bedrijf_kvk": "",
    }
    base.update(values)
    return base


def csv_bytes(rows, *, sep=";", bom=False, header=HEADER) -> bytes:
    def cell(value):
        value = str(value)
        if sep in value or '"' in value or "\n" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = [sep.join(header)]
    lines += [sep.join(cell(r.get(c, "")) for c in header) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return (b"\xef\xbb\xbf" if bom else b"") + data


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        cls.riec = OrganisationFactory(name="RIEC Limburg", kind=Organisation.Kind.RIEC)
        cls.om = OrganisationFactory(
            name="Openbaar Ministerie Limburg", kind=Organisation.Kind.OM
        )
        cls.belastingdienst = OrganisationFactory(
            name="Belastingdienst Zuid", kind=Organisation.Kind.BELASTINGDIENST
        )

        def user(name, role, org):
            return UserFactory(username=name, role=role, organisation=org)

        cls.agent = user("agent", Role.PARTNER, cls.politie)
        cls.colleague = user("agent2", Role.PARTNER, cls.politie)
        cls.riec_user = user("riec", Role.PARTNER, cls.riec)
        cls.om_user = user("om", Role.PARTNER, cls.om)
        cls.fiscus = user("fiscus", Role.PARTNER, cls.belastingdienst)
        cls.jurist = user("jurist", Role.JURIST, cls.gemeente)
        cls.coordinator = user("coordinator", Role.COORDINATOR, cls.gemeente)
        cls.toezicht = user("toezicht", Role.TOEZICHT, cls.gemeente)
        cls.fg = user("fg", Role.FG, cls.gemeente)

    # Helpers ---------------------------------------------------------------

    def upload(self, data: bytes, *, user=None, kind="mma", name="meldingen.csv"):
        self.client.force_login(user or self.agent)
        return self.client.post(
            URL,
            {
                "kind": kind,
                "file": SimpleUploadedFile(name, data, content_type="text/csv"),
                "shared_with": [self.gemeente.pk],
            },
        )

    def preview(self, data: bytes, **kwargs):
        """Upload and follow to the preview: (response, the upload)."""
        response = self.upload(data, **kwargs)
        self.assertEqual(response.status_code, 302, self.errors_of(response))
        kept = SignalImport.objects.latest("uploaded_at")
        self.assertEqual(response["Location"], f"{URL}?upload={kept.pk}")
        return self.client.get(response["Location"]), kept

    def confirm(self, kept, *, user=None, content_hash=None):
        if user is not None:
            self.client.force_login(user)
        return self.client.post(
            CONFIRM_URL,
            {
                "upload": str(kept.pk),
                "content_hash": content_hash or kept.content_hash,
            },
        )

    @staticmethod
    def errors_of(response) -> str:
        form = response.context and response.context.get("form")
        return str(form.errors) if form else ""

    def file_error(self, response) -> str:
        self.assertEqual(response.status_code, 200)
        return " ".join(response.context["form"].errors.get("file", []))

    def counts(self) -> dict:
        return {
            model.__name__: model.objects.count()
            for model in (Signal, Party, Location, ImportedSignal, ReferenceCounter)
        }

    def row_errors(self, response) -> dict[int, dict[str, list[str]]]:
        return {r["line"]: r["errors"] for r in response.context["rows"]}


class HappyPathTests(ImportTestCase):
    def test_the_mma_example_semicolons_and_bom_imports_every_row(self):
        data = (EXAMPLES / "mma-meldingen.csv").read_bytes()
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        response, kept = self.preview(data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["total"], 3)
        self.assertEqual(response.context["error_rows"], 0)
        self.assertContains(response, "Importeren</button>")
        # Parsed values: the postcode as 1234 AB, the ISO date as dd-mm-jjjj.
        cells = {
            (r["line"], c["column"]): c["value"]
            for r in response.context["rows"]
            for c in r["cells"]
        }
        self.assertEqual(cells[(3, "postcode")], "5928 AA")
        self.assertEqual(cells[(4, "ontvangen_op")], "04-11-2025")

        response = self.confirm(kept)
        self.assertRedirects(
            response, f"{URL}?upload={kept.pk}", fetch_redirect_response=False
        )
        signals = list(Signal.objects.order_by("pk"))
        self.assertEqual(len(signals), 3)
        for signal in signals:
            self.assertEqual(signal.source, Signal.Source.MMA)
            self.assertEqual(signal.source_organisation, self.politie)
            self.assertEqual(signal.registered_by, self.agent)
            self.assertEqual(signal.legal_basis, "Wpg 19")
            self.assertEqual(signal.data_class, "D3")
            self.assertEqual(list(signal.shared_with.all()), [self.gemeente])
            self.assertRegex(signal.reference, r"^2025-SIG-000[123]$")
        second, third = signals[1], signals[2]
        company = second.parties.get()
        self.assertEqual((company.kind, company.kvk_number), ("company", "12345678"))
        self.assertEqual(second.locations.get().postcode, "5928 AA")
        self.assertEqual(second.locations.get().addition, "A")
        person = third.parties.get()
        self.assertEqual((person.name, person.bsn), ("J. de Vries", "111222333"))
        self.assertEqual(str(person.date_of_birth), "1985-03-14")
        self.assertEqual(
            sorted(ImportedSignal.objects.values_list("external_reference", "line")),
            [("MMA-2025-0141", 2), ("MMA-2025-0142", 3), ("MMA-2025-0143", 4)],
        )
        kept.refresh_from_db()
        self.assertEqual(kept.status, SignalImport.Status.IMPORTED)
        self.assertEqual(kept.content, "")  # the signals hold the data now
        result = self.client.get(f"{URL}?upload={kept.pk}")
        self.assertContains(result, "3 signalen geïmporteerd.")
        for signal in signals:
            self.assertContains(result, signal.reference)

    def test_the_police_example_with_commas_imports_under_its_legal_basis(self):
        data = (EXAMPLES / "bestuurlijke-rapportages.csv").read_bytes()
        _response, kept = self.preview(data, kind="bestuurlijke_rapportage")
        self.assertRedirects(self.confirm(kept), f"{URL}?upload={kept.pk}")
        signals = Signal.objects.order_by("pk")
        self.assertEqual(
            [(s.source, s.legal_basis) for s in signals],
            [
                ("bestuurlijke_rapportage", "Wpg 16 lid 1 b"),
                ("bestuurlijke_rapportage", "Wpg 16 lid 1 b"),
            ],
        )
        self.assertEqual(signals[0].parties.get().bsn, "123456782")

    def test_both_separators_with_and_without_bom(self):
        for number, (sep, bom) in enumerate(
            [(";", False), (";", True), (",", False), (",", True)]
        ):
            with self.subTest(sep=sep, bom=bom):
                rows = [
                    row(f"S{number}-1", samenvatting="Komma, en; puntkomma"),
                    row(f"S{number}-2", ontvangen_op=day(2, "%Y-%m-%d")),
                ]
                response, kept = self.preview(csv_bytes(rows, sep=sep, bom=bom))
                self.assertEqual(response.context["error_rows"], 0)
                self.confirm(kept)
                signal = ImportedSignal.objects.get(
                    external_reference=f"S{number}-1"
                ).signal
                self.assertEqual(signal.summary, "Komma, en; puntkomma")

    def test_the_om_imports_administrative_reports_only(self):
        self.client.force_login(self.om_user)
        page = self.client.get(URL)
        self.assertEqual(
            [value for value, _label in page.context["form"].fields["kind"].choices],
            ["bestuurlijke_rapportage"],
        )
        response = self.upload(csv_bytes([row("OM-1")]), user=self.om_user)
        self.assertEqual(response.status_code, 200)
        self.assertIn("kind", response.context["form"].errors)
        self.assertFalse(SignalImport.objects.exists())
        # The OM's reports are D4 (its own items), under Wjsg 39f.
        response, kept = self.preview(
            csv_bytes([row("OM-1", dataklasse="D4"), row("OM-2", dataklasse="D0")]),
            user=self.om_user,
            kind="bestuurlijke_rapportage",
        )
        self.assertEqual(list(self.row_errors(response)[3]), ["dataklasse"])
        _r, kept = self.preview(
            csv_bytes([row("OM-1", dataklasse="d4")]),
            user=self.om_user,
            kind="bestuurlijke_rapportage",
        )
        self.confirm(kept)
        signal = Signal.objects.get()
        self.assertEqual(
            (signal.source_organisation, signal.data_class, signal.legal_basis),
            (self.om, "D4", "Wjsg 39f"),
        )


class RowErrorTests(ImportTestCase):
    def test_every_row_error_is_shown_by_line_and_column_and_nothing_is_offered(self):
        rows = [
            row("OK-1"),  # line 2
            row("E-DATE", ontvangen_op="31-02-2025"),  # 3
            row("E-FUTURE", ontvangen_op=day(-5)),  # 4
            row("E-BSN", persoon_naam="A. Bakker", persoon_bsn="123456789"),  # 5
            row("E-KVK", bedrijf_naam="Bakker B.V.", bedrijf_kvk="1234567"),  # 6
            row("E-POSTCODE", postcode="0123 AB"),  # 7
            row("E-SUMMARY", samenvatting=""),  # 8
            row("E-CLASS", dataklasse="D12"),  # 9
            row("OK-1"),  # 10: twice in the file
            row("E-NOTMINE", dataklasse="D0"),  # 11: a partner supplies no D0
            row("E-ADDRESS", plaats=""),  # 12
            row("", samenvatting="zonder kenmerk"),  # 13
            row("E-NUMBER", huisnummer="12a"),  # 14
        ]
        response, _kept = self.preview(csv_bytes(rows))
        self.assertEqual(response.status_code, 200)
        errors = self.row_errors(response)
        expected = {
            2: {},
            3: {"ontvangen_op": ["Geef de datum als dd-mm-jjjj of jjjj-mm-dd."]},
            4: {"ontvangen_op": ["De datum kan niet in de toekomst liggen."]},
            5: {"persoon_bsn": [
                "Vul een geldig BSN in: negen cijfers die voldoen aan de elfproef."
            ]},
            6: {"bedrijf_kvk": ["Vul een KvK-nummer van precies acht cijfers in."]},
            7: {"postcode": ["Vul een Nederlandse postcode in, zoals 5911 AB."]},
            8: {"samenvatting": ["Dit veld is vereist."]},
            9: {"dataklasse": [
                "Onbekende gegevensklasse D12: gebruik D0 tot en met D10."
            ]},
            10: {"kenmerk": ["Dit kenmerk staat ook op regel 2 van het bestand."]},
            11: {"dataklasse": [
                "Uw organisatie en rol mogen geen signalen van gegevensklasse D0 "
                "aanleveren."
            ]},
            12: {"postcode": [ADDRESS]},
            13: {"kenmerk": ["Dit veld is vereist."]},
            14: {"huisnummer": ["Voer een geheel getal in."], "postcode": [ADDRESS]},
        }  # fmt: skip
        self.maxDiff = None
        self.assertEqual(errors, expected)
        self.assertEqual(response.context["error_rows"], 12)
        self.assertEqual(response.context["total"], 13)
        self.assertFalse(response.context["can_confirm"])
        self.assertNotContains(response, "Importeren</button>")
        self.assertContains(response, "12 regels bevatten fouten.")
        self.assertEqual(self.counts()["Signal"], 0)

    def test_a_confirm_of_a_file_with_errors_imports_nothing(self):
        _response, kept = self.preview(csv_bytes([row("A"), row("B", postcode="x")]))
        response = self.confirm(kept)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Er is niets geïmporteerd")
        self.assertEqual(Signal.objects.count(), 0)

    def test_a_row_with_more_fields_than_the_header_is_an_error(self):
        data = (
            csv_bytes([row("A")]) + b"B;" + day(1).encode() + b";x;D3;;;;;;;;;extra\r\n"
        )
        response, _kept = self.preview(data)
        self.assertEqual(
            self.row_errors(response)[3][""],
            ["Deze regel heeft 13 velden; de kopregel heeft er 12."],
        )

    def test_a_reference_imported_before_is_an_error_and_imports_nothing(self):
        _response, first = self.preview(csv_bytes([row("MMA-1"), row("MMA-2")]))
        self.confirm(first)
        reference = ImportedSignal.objects.get(external_reference="MMA-1").signal
        response, second = self.preview(csv_bytes([row("MMA-3"), row("MMA-1")]))
        self.assertEqual(
            self.row_errors(response)[3],
            {
                "kenmerk": [
                    f"Dit kenmerk is al geïmporteerd (signaal {reference.reference})."
                ]
            },
        )
        self.assertFalse(response.context["can_confirm"])
        self.confirm(second)
        self.assertEqual(Signal.objects.count(), 2)
        # Another organisation's references are its own: the OM may use MMA-1.
        response, _kept = self.preview(
            csv_bytes([row("MMA-1", dataklasse="D4")]),
            user=self.om_user,
            kind="bestuurlijke_rapportage",
        )
        self.assertEqual(response.context["error_rows"], 0)

    def test_the_confirm_checks_again_a_file_imported_meanwhile(self):
        """Two uploads with the same reference, both previewed without error:
        the second confirm finds the first's import and imports nothing."""
        _r, first = self.preview(csv_bytes([row("X-1")]))
        response, second = self.preview(csv_bytes([row("X-2"), row("X-1")]))
        self.assertTrue(response.context["can_confirm"])
        self.confirm(first)
        response = self.confirm(second)
        self.assertEqual(response.status_code, 200)
        self.assertIn("al geïmporteerd", str(self.row_errors(response)[3]))
        self.assertEqual(Signal.objects.count(), 1)
        second.refresh_from_db()
        self.assertEqual(second.status, SignalImport.Status.PREVIEW)


class FileLimitTests(ImportTestCase):
    def assert_refused(self, data: bytes, message: str, **kwargs):
        before = SignalImport.objects.count()
        response = self.upload(data, **kwargs)
        self.assertIn(message, self.file_error(response))
        self.assertEqual(SignalImport.objects.count(), before)

    def test_a_file_in_another_encoding_is_refused(self):
        data = csv_bytes([row("A", samenvatting="Café")]).decode().encode("latin-1")
        self.assert_refused(
            data,
            "Het bestand is geen UTF-8-tekst (regel 2). Sla het op als CSV UTF-8",
        )

    def test_an_empty_file_and_a_header_without_rows_are_refused(self):
        self.assert_refused(b"", "Het bestand is leeg.")
        self.assert_refused(b"\xef\xbb\xbf\r\n \r\n", "Het bestand is leeg.")
        self.assert_refused(
            csv_bytes([]), "Het bestand heeft een kopregel maar geen regels."
        )

    def test_missing_unknown_and_double_columns_are_refused(self):
        header = [c for c in HEADER if c not in ("samenvatting", "dataklasse")]
        self.assert_refused(
            csv_bytes([row("A")], header=header),
            "Verplichte kolommen ontbreken: samenvatting, dataklasse.",
        )
        self.assert_refused(
            csv_bytes([row("A")], header=[*HEADER, "postcod"]),
            "Onbekende kolommen: postcod.",
        )
        self.assert_refused(
            csv_bytes([row("A")], header=[*HEADER, "Postcode"]),
            "Een kolom staat twee keer in de kopregel: postcode.",
        )

    def test_a_quote_left_open_is_refused(self):
        data = csv_bytes([row("A")]) + b'B;"open\r\n'
        self.assert_refused(data, "Het bestand is geen geldige CSV op regel")

    @override_settings(CASEWORK_IMPORT_MAX_ROWS=3)
    def test_too_many_rows_are_refused(self):
        rows = [row(f"R-{n}") for n in range(5)]
        self.assert_refused(
            csv_bytes(rows),
            "Het bestand heeft 5 regels; er kunnen er hoogstens 3 tegelijk",
        )
        response, _kept = self.preview(csv_bytes(rows[:3]))
        self.assertEqual(response.context["total"], 3)

    @override_settings(CASEWORK_IMPORT_MAX_BYTES=200)
    def test_a_file_too_large_is_refused(self):
        rows = [row(f"R-{n}") for n in range(5)]
        self.assert_refused(csv_bytes(rows), "Het bestand is groter dan 200 bytes.")

    def test_the_limits_are_settings(self):
        from django.conf import settings

        self.assertEqual(settings.CASEWORK_IMPORT_MAX_ROWS, 1000)
        self.assertEqual(settings.CASEWORK_IMPORT_MAX_BYTES, 2_000_000)


class AllOrNothingTests(ImportTestCase):
    def test_nothing_is_written_at_preview(self):
        before = self.counts()
        response, kept = self.preview(
            csv_bytes(
                [
                    row("P-1", persoon_naam="A. Bakker", persoon_bsn="111222333"),
                    row("P-2", bedrijf_naam="B B.V.", bedrijf_kvk="12345678"),
                ]
            )
        )
        self.assertTrue(response.context["can_confirm"])
        # The preview again, and the upload form: still nothing.
        self.client.get(f"{URL}?upload={kept.pk}")
        self.client.get(URL)
        self.assertEqual(self.counts(), before)
        self.assertEqual(SignalImport.objects.count(), 1)

    def refuse_in_the_database(self, marker: str) -> None:
        """The database itself refuses a signal whose summary holds `marker`:
        a trigger on SQLite, a CHECK constraint on PostgreSQL (undone with the
        test's transaction). Nothing in Python knows of it."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "CREATE TRIGGER probe_refuse BEFORE INSERT ON casework_signal "
                    f"WHEN NEW.summary LIKE '%{marker}%' "
                    "BEGIN SELECT RAISE(ABORT, 'probe_refuse'); END"
                )
                self.addCleanup(self._drop_trigger)
            else:
                cursor.execute(
                    "ALTER TABLE casework_signal ADD CONSTRAINT probe_refuse "
                    f"CHECK (summary NOT LIKE '%%{marker}%%')"
                )

    @staticmethod
    def _drop_trigger():
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS probe_refuse")

    def test_a_row_the_database_refuses_imports_nothing_and_names_its_line(self):
        rows = [
            row("F-1", persoon_naam="A. Bakker", persoon_bsn="111222333"),
            row("F-2", postcode="5928 AA", plaats="Venlo", huisnummer="7"),
            row("F-3", samenvatting="WEIGERMIJ bij de database"),
            row("F-4"),
        ]
        response, kept = self.preview(csv_bytes(rows))
        self.assertTrue(response.context["can_confirm"])
        self.refuse_in_the_database("WEIGERMIJ")
        before = self.counts()
        response = self.confirm(kept)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Er is niets geïmporteerd: regel 4:")
        self.assertIn("probe_refuse", str(self.row_errors(response)[4]))
        self.assertFalse(response.context["can_confirm"])
        # Nothing of rows 2 and 3 remains, and their numbers are given back.
        self.assertEqual(self.counts(), before)
        kept.refresh_from_db()
        self.assertEqual(kept.status, SignalImport.Status.PREVIEW)
        self.assertNotEqual(kept.content, "")

    def test_a_second_confirm_imports_nothing_more(self):
        _r, kept = self.preview(csv_bytes([row("D-1"), row("D-2")]))
        self.confirm(kept)
        response = self.confirm(kept)
        self.assertRedirects(
            response, f"{URL}?upload={kept.pk}", fetch_redirect_response=False
        )
        self.assertEqual(Signal.objects.count(), 2)
        self.assertContains(
            self.client.get(response["Location"]),
            "Dit bestand is al geïmporteerd.",
        )

    def test_a_confirm_of_another_text_than_previewed_imports_nothing(self):
        _r, kept = self.preview(csv_bytes([row("H-1")]))
        response = self.confirm(kept, content_hash="0" * 64)
        self.assertRedirects(response, URL)
        self.assertEqual(Signal.objects.count(), 0)
        # The kept text changed behind the preview's back: refused too.
        SignalImport.objects.filter(pk=kept.pk).update(
            content=kept.content.replace("H-1", "H-9")
        )
        self.confirm(kept)
        self.assertEqual(Signal.objects.count(), 0)


class AccessTests(ImportTestCase):
    def test_another_user_cannot_read_or_confirm_an_upload(self):
        _r, kept = self.preview(csv_bytes([row("A-1")]))
        denied = AccessLog.objects.filter(result=AccessLog.Result.DENIED).count()
        self.client.force_login(self.colleague)  # same organisation and role
        self.assertEqual(self.client.get(f"{URL}?upload={kept.pk}").status_code, 404)
        self.assertEqual(self.confirm(kept).status_code, 404)
        self.assertEqual(Signal.objects.count(), 0)
        self.assertEqual(
            AccessLog.objects.filter(result=AccessLog.Result.DENIED).count(),
            denied + 2,
        )
        # A made-up or malformed id: the same answer.
        self.assertEqual(
            self.client.get(
                f"{URL}?upload=00000000-0000-0000-0000-000000000000"
            ).status_code,
            404,
        )
        self.assertEqual(self.client.get(f"{URL}?upload=abc").status_code, 404)
        self.assertEqual(
            self.client.post(CONFIRM_URL, {"upload": "abc"}).status_code, 404
        )

    def test_who_may_not_supply_these_signals_gets_404(self):
        _r, kept = self.preview(csv_bytes([row("A-1")]))
        for user in (
            self.jurist, self.coordinator, self.toezicht, self.riec_user,
            self.fiscus, self.fg,
        ):  # fmt: skip
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(URL).status_code, 404)
                response = self.upload(csv_bytes([row("Z-1")]), user=user)
                self.assertEqual(response.status_code, 404)
                self.assertEqual(self.confirm(kept).status_code, 404)
                listing = self.client.get(reverse("casework:signal_list"))
                self.assertNotContains(listing, URL)
        self.assertEqual(SignalImport.objects.count(), 1)
        self.assertEqual(Signal.objects.count(), 0)
        self.client.force_login(self.agent)
        self.assertContains(self.client.get(reverse("casework:signal_list")), URL)

    def test_an_upload_is_kept_for_a_limited_time(self):
        _r, kept = self.preview(csv_bytes([row("T-1")]))
        SignalImport.objects.filter(pk=kept.pk).update(
            uploaded_at=timezone.now() - timedelta(hours=25)
        )
        self.assertEqual(self.client.get(f"{URL}?upload={kept.pk}").status_code, 404)
        self.assertEqual(self.confirm(kept).status_code, 404)
        # The next upload deletes it.
        self.preview(csv_bytes([row("T-2")]))
        self.assertFalse(SignalImport.objects.filter(pk=kept.pk).exists())

    def test_the_preview_is_a_logged_read_of_police_data(self):
        _r, kept = self.preview(csv_bytes([row("L-1")]))
        entry = AccessLog.objects.filter(object_type="signalimport").latest("id")
        self.assertEqual(
            (entry.action, entry.object_id, entry.data_class, entry.username),
            ("read", str(kept.pk), "D3", "agent"),
        )

    def test_the_decision_point_says_who_supplies_which_source(self):
        self.assertTrue(supplies_signals(self.agent, "bestuurlijke_rapportage"))
        self.assertTrue(supplies_signals(self.agent, "mma", "D3"))
        self.assertFalse(supplies_signals(self.agent, "mma", "D0"))
        om = self.om_user
        self.assertTrue(supplies_signals(om, "bestuurlijke_rapportage"))
        self.assertTrue(supplies_signals(om, "bestuurlijke_rapportage", "D4"))
        self.assertFalse(supplies_signals(om, "bestuurlijke_rapportage", "D0"))
        self.assertFalse(supplies_signals(om, "mma"))
        for user in (self.riec_user, self.fiscus, self.jurist, self.coordinator):
            self.assertFalse(supplies_signals(user, "mma"), user.username)
            self.assertFalse(
                supplies_signals(user, "bestuurlijke_rapportage"), user.username
            )
        # Sources no table names: every organisation whose role writes the class.
        self.assertTrue(supplies_signals(self.toezicht, "toezicht", "D0"))
        self.assertFalse(supplies_signals(self.fg, "toezicht"))
        self.assertEqual(
            [k.source for k in signal_import.import_kinds(self.agent)],
            ["mma", "bestuurlijke_rapportage"],
        )

    def test_the_imported_signals_reach_triage_for_the_gemeente_only(self):
        _r, kept = self.preview(csv_bytes([row("G-1"), row("G-2")]))
        self.confirm(kept)
        imported = set(Signal.objects.values_list("reference", flat=True))
        self.assertEqual(len(imported), 2)
        for user, sees in (
            (self.coordinator, True), (self.jurist, True), (self.agent, True),
            (self.colleague, True), (self.toezicht, False), (self.fiscus, False),
            (self.om_user, False), (self.riec_user, False),
        ):  # fmt: skip
            with self.subTest(user=user.username):
                triage = {s.reference for s in selectors.signals_for_triage(user)}
                self.assertEqual(triage == imported, sees)
                self.assertEqual(triage & imported == set(), not sees)
                self.client.force_login(user)
                reference = sorted(imported)[0]
                status = self.client.get(f"/signals/{reference}/").status_code
                self.assertEqual(status, 200 if sees else 404)


class QueryTests(ImportTestCase):
    def test_the_preview_does_not_query_per_row(self):
        queries = []
        for size in (5, 40):
            _r, kept = self.preview(
                csv_bytes([row(f"Q{size}-{n}") for n in range(size)])
            )
            with CaptureQueriesContext(connection) as captured:
                response = self.client.get(f"{URL}?upload={kept.pk}")
            self.assertEqual(response.context["total"], size)
            queries.append(len(captured))
        self.assertEqual(queries[0], queries[1])
