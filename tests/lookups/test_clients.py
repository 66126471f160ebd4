"""Each client against the fake server as a real HTTP server: found, not
found, a wrong key refused, a fault, the service down, a timeout — and what
the BRP client sends (docs/lookups.md)."""

import json

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from lookups import clients

from .server import API_KEY, OIN, FakeServerMixin, SilentServer, free_port, settings_for


class BagClientTests(FakeServerMixin, SimpleTestCase):
    def test_one_address_with_its_point(self):
        [address] = clients.bag_addresses("5912 ab", 12, "a")
        self.assertEqual(address.street, "Vleesstraat")
        self.assertEqual(address.number_text, "12A")
        self.assertEqual(address.postcode, "5912 AB")
        self.assertEqual(address.city, "Venlo")
        self.assertEqual(address.nummeraanduiding_id, "0983200000000102")
        self.assertEqual(address.object_id, "0983010000000102")
        self.assertEqual((address.x, address.y), (209314.0, 376425.0))
        first, second = self.journal()
        self.assertEqual(first["path"], "/lvbag/individuelebevragingen/v2/adressen")
        self.assertIn("postcode=5912AB", first["query"])
        self.assertIn("exacteMatch=true", first["query"])
        self.assertEqual(first["headers"]["x-api-key"], API_KEY)
        self.assertEqual(
            second["path"],
            "/lvbag/individuelebevragingen/v2/verblijfsobjecten/0983010000000102",
        )
        self.assertEqual(second["headers"]["accept-crs"], "epsg:28992")

    def test_an_addition_is_written_with_a_dash(self):
        [address] = clients.bag_addresses("5921CD", 45, "", "1")
        self.assertEqual(address.addition, "1")
        self.assertEqual(address.number_text, "45-1")

    def test_several_addresses_without_coordinates(self):
        found = clients.bag_addresses("5912AB", 12)
        self.assertEqual([a.number_text for a in found], ["12", "12A"])
        self.assertEqual({a.x for a in found}, {None})
        self.assertEqual(len(self.journal()), 1)  # no point asked for a list

    def test_not_found_is_an_empty_list(self):
        self.assertEqual(clients.bag_addresses("5921CD", 46), [])

    def test_a_wrong_key_is_refused_in_dutch(self):
        with override_settings(LOOKUP_BAG_API_KEY="wrong"), translation.override("nl"):
            with self.assertRaisesMessage(
                clients.LookupUnavailable, "De BAG weigerde het verzoek (401)"
            ):
                clients.bag_addresses("5912AB", 12)

    def test_a_fault_of_the_service(self):
        with translation.override("nl"):
            with self.assertRaisesMessage(
                clients.LookupUnavailable, "De BAG heeft een storing (503)"
            ):
                clients.bag_addresses("9999ZZ", 1)


class KvkClientTests(FakeServerMixin, SimpleTestCase):
    def test_profile_with_activities_and_vestigingen(self):
        company = clients.kvk_profile("90000002")
        self.assertEqual(company.name, "Vastgoed Tegelen BV")
        self.assertEqual(company.legal_form, "Besloten Vennootschap")
        self.assertEqual(
            company.activities,
            [
                ("6810", "Handel in eigen onroerend goed", True),
                ("6820", "Verhuur van overig onroerend goed", False),
            ],
        )
        self.assertEqual(
            [(v.kind, v.address) for v in company.vestigingen],
            [
                ("hoofdvestiging", "Kerkstraat 3, 5931 HK Tegelen"),
                ("nevenvestiging", "Industriestraat 20, 5931 HK Tegelen"),
            ],
        )
        paths = [r["path"] for r in self.journal()]
        self.assertEqual(paths, ["/api/v1/basisprofielen/90000002", "/api/v2/zoeken"])
        self.assertEqual({r["headers"]["apikey"] for r in self.journal()}, {API_KEY})

    def test_search_by_name(self):
        [company] = clients.kvk_search(name="hoekske")
        self.assertEqual(company.kvk_number, "90000003")
        self.assertEqual(
            company.vestigingen[0].address, "Antoniuslaan 45, 5921 CD Venlo"
        )

    def test_not_found(self):
        self.assertIsNone(clients.kvk_profile("12345678"))
        self.assertEqual(clients.kvk_search(name="bestaat niet"), [])

    def test_a_wrong_key_is_refused(self):
        with override_settings(LOOKUP_KVK_API_KEY="wrong"), translation.override("nl"):
            with self.assertRaisesMessage(
                clients.LookupUnavailable, "Het KvK-register weigerde het verzoek (401)"
            ):
                clients.kvk_profile("90000001")

    def test_a_fault_of_the_service(self):
        with translation.override("nl"):
            with self.assertRaisesMessage(
                clients.LookupUnavailable, "Het KvK-register heeft een storing (500)"
            ):
                clients.kvk_search(kvk_number="99999999")


class BrpClientTests(FakeServerMixin, SimpleTestCase):
    def test_a_person_by_bsn_with_the_log_headers(self):
        person = clients.brp_person("987654329", purpose="zaak", username="jurist")
        self.assertEqual(person.name, "Mohamed El Amrani")
        self.assertEqual(person.date_of_birth.isoformat(), "1984-11-23")
        self.assertEqual(person.address, "Hogeweg 7, 5914 EG Venlo")
        [sent] = self.journal()
        self.assertEqual(sent["method"], "POST")
        self.assertEqual(sent["path"], "/haalcentraal/api/brp/personen")
        self.assertEqual(sent["query"], "")  # the BSN only in the body
        self.assertEqual(
            json.loads(sent["body"]),
            {
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": ["987654329"],
                "fields": clients.BRP_FIELDS,
            },
        )
        headers = sent["headers"]
        self.assertEqual(headers["x-api-key"], API_KEY)
        self.assertEqual(headers["x-origin-oin"], OIN)
        self.assertEqual(headers["x-doelbinding"], "BRPACT-Ondermijning")
        self.assertEqual(headers["x-verwerking"], "Casework@zaak")
        self.assertEqual(headers["x-gebruiker"], "jurist")

    def test_not_found_is_none(self):
        self.assertIsNone(
            clients.brp_person("987654330", purpose="zaak", username="jurist")
        )

    def test_a_wrong_key_is_refused(self):
        with override_settings(LOOKUP_BRP_API_KEY="wrong"), translation.override("nl"):
            with self.assertRaisesMessage(
                clients.LookupUnavailable, "De BRP weigerde het verzoek (401)"
            ):
                clients.brp_person("987654329", purpose="zaak", username="jurist")

    def test_a_fault_of_the_service(self):
        with translation.override("nl"):
            with self.assertRaisesMessage(
                clients.LookupUnavailable, "De BRP heeft een storing (500)"
            ):
                clients.brp_person("987654342", purpose="zaak", username="jurist")


class UnreachableTests(SimpleTestCase):
    """No fake needed: nothing listens, or something listens and never answers."""

    def test_the_service_down(self):
        base = f"http://127.0.0.1:{free_port()}"
        with override_settings(**settings_for(base)), translation.override("nl"):
            for call, name in (
                (lambda: clients.bag_addresses("5912AB", 12), "De BAG"),
                (lambda: clients.kvk_profile("90000001"), "Het KvK-register"),
                (
                    lambda: clients.brp_person(
                        "987654329", purpose="zaak", username="j"
                    ),
                    "De BRP",
                ),
            ):
                with (
                    self.subTest(name),
                    self.assertRaisesMessage(
                        clients.LookupUnavailable,
                        f"{name} is niet bereikbaar; probeer het later opnieuw.",
                    ),
                ):
                    call()

    def test_a_timeout(self):
        with SilentServer() as base:
            timeouts = {f"LOOKUP_{c}_TIMEOUT": 0.3 for c in ("BAG", "KVK", "BRP")}
            with override_settings(**settings_for(base, **timeouts)):
                with (
                    translation.override("nl"),
                    self.assertRaisesMessage(
                        clients.LookupUnavailable,
                        "De BRP gaf binnen 0.3 seconden geen antwoord",
                    ),
                ):
                    clients.brp_person("987654329", purpose="zaak", username="j")
                with (
                    translation.override("nl"),
                    self.assertRaisesMessage(
                        clients.LookupUnavailable, "De BAG gaf binnen 0.3 seconden"
                    ),
                ):
                    clients.bag_addresses("5912AB", 12)

    def test_not_configured(self):
        with override_settings(LOOKUP_BAG_URL="", LOOKUP_BRP_OIN=""):
            self.assertFalse(clients.configured(clients.BAG))
            self.assertFalse(clients.configured(clients.BRP))
            with (
                translation.override("nl"),
                self.assertRaisesMessage(
                    clients.NotConfigured, "Opzoeken in de BAG is niet ingesteld."
                ),
            ):
                clients.bag_addresses("5912AB", 12)
