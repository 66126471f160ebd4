"""A coordinator distributes a queue of cases over two people in a real
browser (Debian's Chromium, driven by Selenium) against a live server; each
of them then finds their cases under "Van mij" on Mijn werk, and the other's
under "Van mijn team" (issue 16 item 4, docs/assignment.md). Like
`test_browser.py`: `make install` installs Chromium where it can."""

from django.test import tag

from permissions.models import CaseAccess, Organisation, Role

from .base import ChromiumTestCase, make_user


@tag("browser")
class DistributionBrowserTests(ChromiumTestCase):
    def setUp(self):
        from casework import services

        gemeente = Organisation.objects.create(name="Gemeente Venlo", kind="gemeente")
        self.coordinator = make_user("coordinator", gemeente, Role.COORDINATOR)
        self.anna = make_user("anna", gemeente, Role.JURIST)
        self.bram = make_user("bram", gemeente, Role.JURIST)
        self.cases = []
        for street in ("Kloosterstraat 12", "Parade 4", "Lomstraat 9", "Markt 1"):
            case = services.case_open(
                user=self.coordinator, case_type="LOD", title=f"Drugshandel {street}"
            )
            for member in (self.anna, self.bram):
                services.case_team_add(
                    case=case,
                    user=self.coordinator,
                    member=member,
                    team_role=CaseAccess.TeamRole.MEMBER,
                )
            self.cases.append(case)

    def section(self, group):
        """The rows of one of Mijn werk's groups, as text."""
        from selenium.webdriver.common.by import By

        return self.browser.find_element(
            By.CSS_SELECTOR, f"table[aria-labelledby=work-{group}]"
        ).text

    def test_a_coordinator_distributes_a_queue_over_two_people(self):
        from selenium.webdriver.common.by import By

        self.log_in("coordinator")
        self.press("Werk verdelen")
        self.wait_for_text("De werkvoorraad")
        self.assert_accessible()
        for case in self.cases:
            self.browser.find_element(
                By.CSS_SELECTOR, f"input[name=cases][value='{case.reference}']"
            ).click()
        for person in (self.anna, self.bram):
            self.browser.find_element(
                By.CSS_SELECTOR, f"input[name=people][value='{person.pk}']"
            ).click()
        # In turn is the default way.
        self.assertTrue(
            self.browser.find_element(
                By.CSS_SELECTOR, "input[name=mode][value=round_robin]"
            ).is_selected()
        )
        self.press("Verdelen")
        self.wait_for_text("De zaken zijn verdeeld.")
        self.assertIn("Niets te verdelen.", self.main_text())

        # Oldest first, in turn: Anna the first and third, Bram the others.
        for user, mine, theirs in (
            ("anna", self.cases[0::2], self.cases[1::2]),
            ("bram", self.cases[1::2], self.cases[0::2]),
        ):
            with self.subTest(user=user):
                self.log_in(user)
                self.assert_accessible()
                own = self.section("mine")
                team = self.section("team")
                for case in mine:
                    self.assertIn(case.reference, own)
                    self.assertNotIn(case.reference, team)
                for case in theirs:
                    self.assertIn(case.reference, team)
                    self.assertNotIn(case.reference, own)
                self.assertIn("Geen.", self.section("unassigned"))

        # The case page names the holder and the distribution in its history
        # (Bram is logged in).
        self.browser.get(self.live_server_url + self.cases[1].get_absolute_url())
        self.wait_for_text("Behandeld door bram")
        self.assertIn("Verdeeld: het team → bram", self.main_text())
        self.assert_accessible()
        # Bram hands it over to Anna, with a note.
        self.press("Overdragen aan …")
        self.wait_for_text("Alleen teamleden met die rol")
        self.assert_accessible()
        self.select("id_to", str(self.anna.pk))
        self.fill("id_note", "Ik ben twee weken met verlof.")
        self.press("Overdragen")
        self.wait_for_text("Zaak overgedragen.")
        self.assertIn("Behandeld door anna", self.main_text())
        self.assertIn("Overgedragen: bram → anna — Ik ben twee weken met verlof.",
                      self.main_text())  # fmt: skip
