"""The lookups in the pages: the location form filled from the BAG, the party
form from the KvK and the BRP, each as roles that may and may not (the
decision point: 404 for who may not write or read the case, 403 for a reader
whom LOOKUP_PERSON refuses), and the BRP read in the access log without the
BSN (docs/lookups.md)."""

from django.test import override_settings
from django.urls import reverse

from casework import idempotency
from casework import services as case_services
from casework.models import CaseLocation
from permissions.models import AccessLog, CaseAccess, Role
from tests.base import BaseTestCase

from .server import FakeServerMixin, free_port, settings_for

BSN = "987654305"  # Jan Verheggen in the fake BRP


class LookupPagesTests(FakeServerMixin, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.boa = cls.make_user("boa", Role.TOEZICHT, cls.gemeente)
        case_services.case_team_add(
            case=cls.case, user=cls.owner, member=cls.boa,
            team_role=CaseAccess.TeamRole.MEMBER,
        )  # fmt: skip

    def url(self, name):
        return reverse(f"lookups:{name}", args=[self.case.reference])

    def brp_rows(self):
        return AccessLog.objects.filter(object_type="brp_person")

    # --- BAG -------------------------------------------------------------------

    def test_the_location_form_offers_the_bag(self):
        self.login(self.owner)
        page = self.client.get(
            reverse("casework:case_add_location", args=[self.case.reference])
        )
        self.assertContains(page, 'action="' + self.url("case_address") + '"')
        self.assertContains(page, "Zoek adres")

    def test_the_location_form_filled_from_the_bag_and_saved(self):
        self.login(self.owner)
        page = self.client.get(
            self.url("case_address"),
            {"postcode": "5912ab", "huisnummer": "12", "huisletter": "a"},
        )
        self.assertEqual(page.status_code, 200)
        form = page.context["form"]
        self.assertEqual(
            {k: form.initial[k] for k in ("street", "house_number", "addition",
                                          "postcode", "city", "bag_id")},
            {"street": "Vleesstraat", "house_number": 12, "addition": "A",
             "postcode": "5912 AB", "city": "Venlo", "bag_id": "0983010000000102"},
        )  # fmt: skip
        save_url = reverse("casework:case_add_location", args=[self.case.reference])
        self.assertContains(page, f'action="{save_url}"')
        self.assertContains(page, 'value="Vleesstraat"')
        self.assertContains(page, "209314.00, 376425.00")  # the RD point, shown
        data = {**form.initial, "role": CaseLocation.Role.PREMISES}
        data[idempotency.FIELD] = idempotency.new_token()
        saved = self.client.post(save_url, data)
        self.assertEqual(saved.status_code, 302)
        location = self.case.locations.get().location
        self.assertEqual(
            (location.street, location.house_number, location.addition,
             location.postcode, location.bag_id),
            ("Vleesstraat", 12, "A", "5912 AB", "0983010000000102"),
        )  # fmt: skip

    def test_several_addresses_to_choose_from(self):
        self.login(self.owner)
        page = self.client.get(
            self.url("case_address"), {"postcode": "5912 AB", "huisnummer": "12"}
        )
        self.assertContains(page, "Meerdere adressen; kies er een:")
        self.assertContains(page, "Vleesstraat 12A, 5912 AB Venlo")
        self.assertNotIn("street", page.context["form"].initial)

    def test_nothing_found(self):
        self.login(self.owner)
        page = self.client.get(
            self.url("case_address"), {"postcode": "5921 CD", "huisnummer": "46"}
        )
        self.assertContains(page, "Niets gevonden in het register.")

    def test_the_bag_down_is_said_in_dutch(self):
        self.login(self.owner)
        down = f"http://127.0.0.1:{free_port()}"
        with override_settings(**settings_for(down)):
            page = self.client.get(
                self.url("case_address"), {"postcode": "5912AB", "huisnummer": "12"}
            )
        self.assertContains(
            page, "De BAG is niet bereikbaar; probeer het later opnieuw."
        )

    def test_not_configured_says_so_and_offers_no_button(self):
        self.login(self.owner)
        with override_settings(LOOKUP_BAG_URL="", LOOKUP_KVK_URL="", LOOKUP_BRP_URL=""):
            location = self.client.get(
                reverse("casework:case_add_location", args=[self.case.reference])
            )
            party = self.client.get(
                reverse("casework:case_add_party", args=[self.case.reference])
            )
        self.assertContains(location, "Opzoeken niet ingesteld")
        self.assertNotContains(location, "Zoek adres")
        self.assertContains(party, "Opzoeken niet ingesteld", count=2)
        self.assertNotContains(party, "Zoek persoon")

    def test_who_may_look_up_an_address(self):
        for user, status in (
            (self.owner, 200), (self.colleague, 200), (self.boa, 200),
            (self.burgemeester, 404),  # reads the case, does not write it
            (self.politie_user, 404), (self.outsider, 404),
            (self.belastingdienst_user, 404), (self.fg, 404),
        ):  # fmt: skip
            with self.subTest(user.username):
                self.login(user)
                page = self.client.get(
                    self.url("case_address"), {"postcode": "5912AB", "huisnummer": "14"}
                )
                self.assertEqual(page.status_code, status)
        # Only the three who may asked: each an address and its point.
        self.assertEqual(len(self.journal()), 6)
        self.client.logout()
        page = self.client.get(self.url("case_address"))
        self.assertEqual(page.status_code, 302)
        self.assertIn("/accounts/login/", page["Location"])

    # --- KvK -------------------------------------------------------------------

    def test_the_party_form_filled_from_the_kvk(self):
        self.login(self.owner)
        page = self.client.get(self.url("case_company"), {"kvk_number": "90000002"})
        initial = page.context["form"].initial
        self.assertEqual(
            (
                initial["kind"],
                initial["name"],
                initial["kvk_number"],
                initial["legal_form"],
            ),
            ("company", "Vastgoed Tegelen BV", "90000002", "Besloten Vennootschap"),
        )
        self.assertContains(page, "6810 Handel in eigen onroerend goed")
        self.assertContains(page, "Industriestraat 20, 5931 HK Tegelen")
        self.assertContains(
            page,
            'action="'
            + reverse("casework:case_add_party", args=[self.case.reference])
            + '"',
        )

    def test_a_company_by_name(self):
        self.login(self.owner)
        page = self.client.get(self.url("case_company"), {"naam": "Shisha"})
        self.assertContains(page, "Gevonden bedrijven; kies er een:")
        self.assertContains(page, "?kvk_number=90000001")

    def test_who_may_look_up_a_company(self):
        for user, status in (
            (self.owner, 200), (self.boa, 200), (self.burgemeester, 404),
            (self.politie_user, 404), (self.outsider, 404),
        ):  # fmt: skip
            with self.subTest(user.username):
                self.login(user)
                page = self.client.get(
                    self.url("case_company"), {"kvk_number": "90000001"}
                )
                self.assertEqual(page.status_code, status)

    # --- BRP -------------------------------------------------------------------

    def test_the_party_form_filled_from_the_brp_and_logged_without_the_bsn(self):
        self.login(self.owner)
        before = AccessLog.objects.count()
        page = self.client.post(
            self.url("case_person"), {"bsn": BSN, "purpose": "zaak"}
        )
        self.assertEqual(page.status_code, 200)
        initial = page.context["form"].initial
        self.assertEqual(
            (initial["kind"], initial["name"], initial["bsn"]),
            ("person", "Jan Verheggen", BSN),
        )
        self.assertEqual(initial["date_of_birth"].isoformat(), "1975-03-14")
        self.assertEqual(AccessLog.objects.count(), before + 1)
        row = self.brp_rows().get()
        self.assertEqual(
            (row.action, row.username, row.data_class, row.case_reference,
             row.purpose_code, row.legal_basis_code, row.object_id, row.result),
            ("consult-external", "owner", "D1", self.case.reference, "zaak",
             "BRPACT-Ondermijning", "gevonden", "ok"),
        )  # fmt: skip
        values = [str(getattr(row, f.attname)) for f in AccessLog._meta.fields]
        self.assertFalse([v for v in values if BSN in v], values)
        [sent] = self.journal()
        self.assertEqual(sent["headers"]["x-gebruiker"], "owner")
        self.assertEqual(sent["headers"]["x-verwerking"], "Casework@zaak")

    def test_not_found_and_fault_are_logged_too(self):
        self.login(self.owner)
        page = self.client.post(
            self.url("case_person"), {"bsn": "987654330", "purpose": "signaal"}
        )
        self.assertContains(page, "Niets gevonden in het register.")
        page = self.client.post(
            self.url("case_person"), {"bsn": "987654342", "purpose": "signaal"}
        )
        self.assertContains(page, "De BRP heeft een storing (500)")
        self.assertEqual(
            list(self.brp_rows().order_by("id").values_list("object_id", flat=True)),
            ["niet gevonden", "mislukt"],
        )

    def test_without_a_purpose_nothing_is_asked_or_logged(self):
        self.login(self.owner)
        page = self.client.post(self.url("case_person"), {"bsn": BSN})
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.context["lookup"]["query"].errors["purpose"])
        bad = self.client.post(
            self.url("case_person"), {"bsn": "123456789", "purpose": "zaak"}
        )
        self.assertTrue(bad.context["lookup"]["query"].errors["bsn"])
        self.assertEqual(self.journal(), [])
        self.assertFalse(self.brp_rows().exists())

    def test_who_may_consult_the_brp(self):
        for user, status in (
            (self.owner, 200), (self.colleague, 200),
            (self.boa, 403),  # writes the case, not a role that consults the BRP
            (self.burgemeester, 403), (self.politie_user, 403),  # read, no more
            (self.outsider, 404), (self.belastingdienst_user, 404), (self.fg, 404),
        ):  # fmt: skip
            with self.subTest(user.username):
                self.login(user)
                page = self.client.post(
                    self.url("case_person"), {"bsn": BSN, "purpose": "zaak"}
                )
                self.assertEqual(page.status_code, status)
        self.assertEqual(len(self.journal()), 2)
        self.assertEqual(
            sorted(self.brp_rows().values_list("username", flat=True)),
            ["colleague", "owner"],
        )
        self.login(self.owner)
        self.assertEqual(self.client.get(self.url("case_person")).status_code, 405)

    def test_the_brp_form_only_for_who_may(self):
        party = reverse("casework:case_add_party", args=[self.case.reference])
        self.login(self.owner)
        self.assertContains(self.client.get(party), "Zoek persoon")
        self.login(self.boa)
        page = self.client.get(party)
        self.assertContains(page, "Zoek bedrijf")
        self.assertNotContains(page, "Zoek persoon")

    def test_csrf_is_required(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.owner)
        page = client.post(self.url("case_person"), {"bsn": BSN, "purpose": "zaak"})
        self.assertEqual(page.status_code, 403)
        self.assertEqual(self.journal(), [])
