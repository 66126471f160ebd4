"""The imports of register extracts (Kadaster, KvK) and area boundaries:
a good file, every kind of bad row or feature with its Dutch message,
duplicates (in the file, imported before, and by the unique constraint),
nothing stored on any error, files that cannot be read at all, and who may
import (404 for the rest)."""

import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from hotspots.models import Area, BranchRegistration, OwnershipChange, RegisterUpload
from tests.hotspots.base import HotspotWorld

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
FAR = [[[9e6, 0], [9e6, 1], [9e6 + 1, 1], [9e6, 0]]]
TEXT = [[["a", 1], [2, 2], [3, 3], ["a", 1]]]
PARIS = [[[2.3, 48.8], [2.4, 48.8], [2.4, 48.9], [2.3, 48.8]]]
KADASTER_HEADER = (
    "postcode;huisnummer;toevoeging;datum_overdracht;koper_soort;koper_kvk\n"
)


class ImportCase(HotspotWorld):
    page = "hotspots:register_import"
    confirm_page = "hotspots:register_import_confirm"

    def upload(self, content, *, kind="kadaster", user="coordinator", name="f.csv"):
        self.client.force_login(self.users[user])
        if isinstance(content, str):
            content = content.encode("utf-8")
        return self.client.post(
            reverse(self.page),
            {"kind": kind, "file": SimpleUploadedFile(name, content)},
        )

    def preview(self, content, **kwargs):
        response = self.upload(content, **kwargs)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        kept = RegisterUpload.objects.order_by("-uploaded_at").first()
        return kept, self.client.get(response["Location"])

    def confirm(self, kept, content_hash=None):
        return self.client.post(
            reverse(self.confirm_page),
            {"upload": str(kept.pk), "content_hash": content_hash or kept.content_hash},
        )


class KadasterImportTests(ImportCase):
    def test_example_file_imports_and_links_known_addresses(self):
        before = OwnershipChange.objects.count()
        kept, preview = self.preview(
            (EXAMPLES / "kadaster-eigendomsoverdrachten.csv").read_bytes()
        )
        self.assertContains(preview, "Het bestand heeft geen fouten")
        self.assertContains(preview, "rechtspersoon")
        response = self.confirm(kept)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(OwnershipChange.objects.count(), before + 4)
        kept.refresh_from_db()
        self.assertEqual(
            (kept.status, kept.text, kept.imported_count), ("imported", "", 4)
        )
        linked = OwnershipChange.objects.filter(upload=kept, location=self.a)
        self.assertEqual(linked.count(), 3)
        self.assertContains(
            self.client.get(response["Location"]), "4 regels geïmporteerd"
        )
        # A second confirmation imports nothing more.
        self.confirm(kept)
        self.assertEqual(OwnershipChange.objects.count(), before + 4)

    def test_every_bad_row_named_and_nothing_stored(self):
        before = OwnershipChange.objects.count()
        text = KADASTER_HEADER + (
            "5912 CD;5;;01-02-2026;np;\n"  # 2 good
            "59XX;5;;01-02-2026;np;\n"  # 3 postcode
            "5912 CD;vijf;;01-02-2026;np;\n"  # 4 house number
            "5912 CD;6;;31-02-2026;np;\n"  # 5 date
            "5912 CD;7;;01-01-2099;np;\n"  # 6 future
            "5912 CD;8;;01-02-2026;eigenaar;\n"  # 7 buyer kind
            "5912 CD;9;;01-02-2026;np;90000001\n"  # 8 natural person with KvK
            "5912 CD;10;;01-02-2026;rp;123\n"  # 9 KvK number
            "5912 CD;5;;01-02-2026;rp;\n"  # 10 twice in the file
            "5912 CD;5;;01-06-2026;rp;\n"  # 11 imported before (base)
            "5912 CD;11;;01-02-2026;np;;extra\n"  # 12 too many fields
        )
        kept, preview = self.preview(text)
        body = preview.content.decode()
        self.assertIn("10 regels bevatten fouten", body)
        for message in (
            "Vul een Nederlandse postcode in",
            "Voer een geheel getal in",
            "Geef de datum als",
            "toekomst",
            "Geef natuurlijk persoon (np) of rechtspersoon (rp).",
            "Het KvK-nummer van een natuurlijk persoon wordt niet opgeslagen",
            "precies acht cijfers in",
            "Deze regel staat ook op regel 2 van het bestand.",
            "Deze regel is al eerder ingelezen.",
            "Deze regel heeft 7 velden",
        ):
            with self.subTest(message=message):
                self.assertIn(message, body)
        self.assertNotIn("Importeren</button>", body)
        self.confirm(kept)
        self.assertEqual(OwnershipChange.objects.count(), before)

    def test_unreadable_files_are_refused_whole(self):
        for content, message in (
            (b"", "Het bestand is leeg."),
            (KADASTER_HEADER.encode(), "geen regels"),
            (b"postcode;huisnummer\n5912 CD;5\n", "ontbreken"),
            (b"postcode;huisnummer;datum_overdracht;koper_soort\n"
             b"5912 CD;5;\xff;np\n", "UTF-8"),
            (b"postcode;huisnummer;datum_overdracht;koper_soort;koper_naam\n",
             "koper_naam bevat persoonsgegevens"),
            (b"postcode;huisnummer;datum_overdracht;koper_soort;kleur\n",
             "Onbekende kolommen"),
        ):  # fmt: skip
            with self.subTest(message=message):
                before = RegisterUpload.objects.count()
                response = self.upload(content)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
                self.assertEqual(RegisterUpload.objects.count(), before)

    @override_settings(CASEWORK_IMPORT_MAX_BYTES=200, CASEWORK_IMPORT_MAX_ROWS=3)
    def test_huge_files_are_refused(self):
        response = self.upload(KADASTER_HEADER + "5912 CD;5;;01-02-2026;np;\n" * 20)
        self.assertContains(response, "groter dan 200 bytes")
        rows = "".join(f"5912 CD;{n};;01-02-2026;np;\n" for n in range(1, 5))
        response = self.upload(KADASTER_HEADER + rows)
        self.assertContains(response, "4 regels")

    def test_the_unique_constraint_refuses_a_duplicate(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            OwnershipChange.objects.create(
                postcode=self.a.postcode, house_number=self.a.house_number,
                transferred_on="2026-06-01", buyer_kind="natural",
            )  # fmt: skip
        with self.assertRaises(IntegrityError), transaction.atomic():
            OwnershipChange.objects.create(
                postcode="5912 AB", house_number=1, transferred_on="2026-06-01",
                buyer_kind="natural", buyer_kvk="90000001",
            )  # fmt: skip

    def test_a_row_imported_meanwhile_rolls_everything_back(self):
        text = (
            KADASTER_HEADER + "5912 AB;1;;01-02-2026;np;\n5912 AB;2;;01-02-2026;np;\n"
        )
        kept, _preview = self.preview(text)
        OwnershipChange.objects.create(
            postcode="5912 AB", house_number=2, transferred_on="2026-02-01",
            buyer_kind="natural",
        )  # fmt: skip
        self.confirm(kept)
        self.assertFalse(OwnershipChange.objects.filter(house_number=1).exists())
        kept.refresh_from_db()
        self.assertEqual(kept.status, "preview")

    def test_a_changed_hash_imports_nothing(self):
        kept, _preview = self.preview(KADASTER_HEADER + "5912 AB;1;;01-02-2026;np;\n")
        response = self.confirm(kept, content_hash="0" * 64)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(OwnershipChange.objects.filter(house_number=1).exists())

    def test_who_may_import(self):
        for username in (
            "burgemeester",
            "jurist",
            "casusregisseur",
            "politie",
            "beheerder",
            "toezicht",
        ):
            with self.subTest(username=username):
                self.client.force_login(self.users[username])
                self.assertEqual(self.client.get(reverse(self.page)).status_code, 404)
                response = self.upload(KADASTER_HEADER, user=username)
                self.assertEqual(response.status_code, 404)
        for username in ("coordinator", "bibob"):
            self.client.force_login(self.users[username])
            self.assertEqual(self.client.get(reverse(self.page)).status_code, 200)

    def test_another_users_upload_is_404(self):
        kept, _preview = self.preview(KADASTER_HEADER + "5912 AB;1;;01-02-2026;np;\n")
        self.client.force_login(self.users["bibob"])
        response = self.client.get(reverse(self.page), {"upload": str(kept.pk)})
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.confirm(kept).status_code, 404)
        self.assertFalse(OwnershipChange.objects.filter(house_number=1).exists())


class KvkImportTests(ImportCase):
    def test_example_file_imports(self):
        kept, preview = self.preview(
            (EXAMPLES / "kvk-vestigingen.csv").read_bytes(), kind="kvk"
        )
        self.assertContains(preview, "Het bestand heeft geen fouten")
        before = BranchRegistration.objects.count()
        self.confirm(kept)
        self.assertEqual(BranchRegistration.objects.count(), before + 3)
        self.assertEqual(
            BranchRegistration.objects.get(
                establishment_number="000012345678"
            ).location,
            self.a,
        )

    def test_bad_rows(self):
        text = (
            "kvk_nummer;vestigingsnummer;sbi_code;branche;datum_inschrijving;"
            "datum_uitschrijving;postcode;huisnummer\n"
            "90000001;12345;56302;Shisha;01-01-2025;;5912 AB;1\n"
            "90000001;000000000099;5X;Shisha;01-01-2025;;5912 AB;1\n"
            "90000001;000000000098;56302;;01-01-2025;;5912 AB;1\n"
            "90000001;000000000097;56302;Shisha;01-01-2025;01-01-2024;5912 AB;1\n"
            "90000001;000000000000;56302;Shisha;01-06-2025;;5912 AB;1\n"
        )
        kept, preview = self.preview(text, kind="kvk")
        for message in (
            "Een vestigingsnummer heeft twaalf cijfers.",
            "Een SBI-code heeft vier of vijf cijfers.",
            "Dit veld is vereist.",
            "De datum van uitschrijving ligt voor de datum van inschrijving.",
            "Deze regel is al eerder ingelezen.",
        ):
            with self.subTest(message=message):
                self.assertContains(preview, message)
        self.assertContains(preview, "5 regels bevatten fouten")


class AreaImportTests(ImportCase):
    page = "hotspots:area_import"
    confirm_page = "hotspots:area_import_confirm"

    def area_upload(self, collection, user="beheerder"):
        content = (
            collection if isinstance(collection, bytes) else json.dumps(collection)
        )
        return self.upload(content, kind="areas", user=user, name="g.geojson")

    def test_rd_and_wgs84_examples(self):
        for name, areas in (("gebieden-rd.geojson", {"Q4", "Venlo-Oost"}),
                            ("gebieden-wgs84.geojson", {"Tegelen"})):  # fmt: skip
            self.client.force_login(self.users["beheerder"])
            kept, preview = self.preview(
                (EXAMPLES / name).read_bytes(), kind="areas", user="beheerder"
            )
            self.assertContains(preview, "<polygon")
            self.confirm(kept)
            self.assertTrue(areas <= set(Area.objects.values_list("name", flat=True)))
        tegelen = Area.objects.get(name="Tegelen")
        # 6.120 E 51.340 N is about RD (206061, 372565).
        self.assertAlmostEqual(tegelen.boundary[0][0][0][0], 206061.2, delta=1)
        self.assertAlmostEqual(tegelen.boundary[0][0][0][1], 372564.7, delta=1)
        self.assertEqual(Area.objects.get(name="Q4").max_y, 377000)

    def test_bad_features_and_nothing_stored(self):
        square = [
            [[209000, 375000], [209100, 375000], [209100, 375100], [209000, 375000]]
        ]
        collection = {
            "type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "EPSG:28992"}},
            "features": [
                {"type": "Feature", "properties": {"naam": "Q4"},
                 "geometry": {"type": "Polygon", "coordinates": square}},
                {"type": "Feature", "properties": {},
                 "geometry": {"type": "Polygon", "coordinates": square}},
                {"type": "Feature", "properties": {"naam": "Punt"},
                 "geometry": {"type": "Point", "coordinates": [209000, 375000]}},
                {"type": "Feature", "properties": {"naam": "Open"},
                 "geometry": {"type": "Polygon", "coordinates": [square[0][:3]]}},
                {"type": "Feature", "properties": {"naam": "Ver"},
                 "geometry": {"type": "Polygon", "coordinates": FAR}},
                {"type": "Feature", "properties": {"naam": "Q4"},
                 "geometry": {"type": "Polygon", "coordinates": square}},
                {"type": "Feature", "properties": {"naam": "Tekst"},
                 "geometry": {"type": "Polygon", "coordinates": TEXT}},
                "geen feature",
            ],
        }  # fmt: skip
        kept, preview = self.preview(
            json.dumps(collection), kind="areas", user="beheerder"
        )
        for message in (
            "De feature heeft geen naam",
            "De geometrie is een Point",
            "Ring 1 is geen gesloten reeks",
            "ligt buiten Nederland",
            "Deze naam wordt ook gebruikt door feature 1.",
            "Punt 1 van ring 1 is geen paar getallen.",
            "Dit is geen GeoJSON Feature.",
        ):
            with self.subTest(message=message):
                self.assertContains(preview, message)
        self.confirm(kept)
        self.assertFalse(Area.objects.exists())

    def test_unreadable_geojson(self):
        for content, message in (
            (b"{", "geen geldige JSON"),
            (b'{"type": "Feature"}', "geen GeoJSON FeatureCollection"),
            (b'{"type": "FeatureCollection", "features": []}', "geen features"),
            (b'{"type": "FeatureCollection", "crs": {"properties": '
             b'{"name": "EPSG:3857"}}, "features": [{}]}',
             "Onbekend coördinatenstelsel"),
        ):  # fmt: skip
            with self.subTest(message=message):
                response = self.area_upload(content)
                self.assertContains(response, message)
        self.assertFalse(RegisterUpload.objects.exists())

    def test_wgs84_outside_the_netherlands(self):
        collection = {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"naam": "Parijs"},
             "geometry": {"type": "Polygon", "coordinates": PARIS}}]}  # fmt: skip
        _kept, preview = self.preview(
            json.dumps(collection), kind="areas", user="beheerder"
        )
        self.assertContains(preview, "geen WGS84-positie in Nederland")

    def test_only_the_beheerder(self):
        for username in ("coordinator", "bibob", "burgemeester", "fg", "politie"):
            self.client.force_login(self.users[username])
            self.assertEqual(self.client.get(reverse(self.page)).status_code, 404)
        self.client.force_login(self.users["beheerder"])
        self.assertEqual(self.client.get(reverse(self.page)).status_code, 200)
