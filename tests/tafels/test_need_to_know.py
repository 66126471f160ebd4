"""Need-to-know at the tables (issue 16 item 5): each partner sees the
subjects it may see and the decisions addressed to it, by the decision
point's rules (permissions.decision, kinds "tafel", "tafel_chair",
"tafel_subject", "tafel_decision")."""

from permissions.decision import CHAIR, CONTRIBUTE, READ, decide
from permissions.models import AccessLog, DataClass
from tafels import selectors

from .base import TafelTestCase


def labels(user, meeting):
    return {item.label for item in selectors.agenda_for(user, meeting).items}


class SeatTests(TafelTestCase):
    def facts(self, user):
        return {
            "organisation_id": self.table.chair_id,
            "shared": selectors.seated(self.table, user.membership.organisation_id),
        }

    def test_the_chair_and_the_participants_read_the_table_others_do_not(self):
        readers = (self.chair, self.jurist, self.politie_user, self.om_user,
                   self.fiscus, self.zorg_user)  # fmt: skip
        for user in readers:
            with self.subTest(user=user.username):
                self.assertIs(selectors.may_read(user, self.table), True)
        for user in (self.riec_user, self.fg, self.stranger):
            with self.subTest(user=user.username):
                self.assertIs(selectors.may_read(user, self.table), False)
                self.assertIs(decide(user, READ, "tafel", **self.facts(user)), False)

    def test_only_the_chairs_organisation_chairs_and_only_its_case_roles(self):
        self.assertIs(selectors.may_chair(self.chair, self.table), True)
        self.assertIs(selectors.may_chair(self.jurist, self.table), True)
        for user in (self.politie_user, self.om_user, self.riec_user, self.fg,
                     self.stranger):  # fmt: skip
            with self.subTest(user=user.username):
                self.assertIs(selectors.may_chair(user, self.table), False)
                facts = {"organisation_id": self.table.chair_id}
                self.assertIs(decide(user, CHAIR, "tafel_chair", **facts), False)

    def test_participants_contribute_subjects_others_do_not(self):
        self.assertIs(
            decide(
                self.politie_user, CONTRIBUTE, "tafel", **self.facts(self.politie_user)
            ),
            True,
        )
        for user in (self.riec_user, self.fg, self.stranger):
            with self.subTest(user=user.username):
                self.assertIs(selectors.may_contribute(user, self.table), False)

    def test_the_table_list_shows_the_tables_the_organisation_sits_at(self):
        self.assertEqual(selectors.tables_for(self.politie_user), [self.table])
        self.assertEqual(selectors.tables_for(self.chair), [self.table])
        self.assertEqual(selectors.tables_for(self.riec_user), [])
        self.assertEqual(selectors.tables_for(self.fg), [])


class SubjectVisibilityTests(TafelTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.put_case(cls.lod, user=cls.jurist)
        cls.put_case(cls.inspection)
        cls.put_person("Ricardo Vossen", DataClass.D3, cls.politie_user)
        cls.put_person("Fiscale Fons", DataClass.D6, cls.fiscus)
        cls.put_address(12)

    LOD = "Drugshandel Maasboulevard"
    IC = "Controle Q4"
    ADDRESS = "Kaldenkerkerweg 12, 5913 AG Venlo"

    def seen(self, user) -> set[str]:
        return {
            label.split(" ", 1)[1] if label.startswith("20") else label
            for label in labels(user, self.meeting)
        }

    def test_each_reader_sees_what_it_may(self):
        expected = {
            # The chair: its inspection, the police's D3 person and the
            # fiscal one (the coordinator reads D3 and D6), the address; not
            # the LOD case it is not on the team of.
            "coordinator": {self.IC, "Ricardo Vossen", "Fiscale Fons", self.ADDRESS},
            # The jurist: its own LOD case, D3 (no D6), the address.
            "jurist": {self.LOD, "Ricardo Vossen", self.ADDRESS},
            # The police: both cases (on both teams), its own D3 person, the
            # address; not the fiscal subject (partners read only their own).
            "politie": {self.LOD, self.IC, "Ricardo Vossen", self.ADDRESS},
            # The OM: no case, no police or fiscal data; the address (D1).
            "om": {self.ADDRESS},
            "belastingdienst": {"Fiscale Fons", self.ADDRESS},
            "zorg": {self.ADDRESS},
        }
        users = {u.username: u for u in (
            self.chair, self.jurist, self.politie_user, self.om_user, self.fiscus,
            self.zorg_user,
        )}  # fmt: skip
        for username, subjects in expected.items():
            with self.subTest(user=username):
                self.assertEqual(self.seen(users[username]), subjects)

    def test_a_case_subject_follows_the_case_team(self):
        from casework import services as case_services
        from permissions.models import CaseAccess

        self.assertNotIn(self.LOD, self.seen(self.om_user))
        case_services.case_team_add(
            case=self.lod, user=self.jurist, member=self.om_user,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )  # fmt: skip
        self.lod.__dict__.pop("_casework_grants", None)
        self.assertIn(self.LOD, self.seen(self.om_user))

    def test_a_fiscal_subject_never_reaches_a_private_partner(self):
        subject = self.meeting.subjects.get(party__name="Fiscale Fons")
        facts = {
            "data_class": DataClass.D6,
            "organisation_id": subject.organisation_id,
            "shared": True,
        }
        self.assertIs(decide(self.chair, READ, "tafel_subject", **facts), True)
        self.assertIs(
            decide(self.zorg_user, READ, "tafel_subject", flagged=True, **facts), False
        )


class DecisionVisibilityTests(TafelTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.address = cls.put_address(12)
        cls.person = cls.put_person("Ricardo Vossen", DataClass.D3, cls.politie_user)
        cls.hold()
        cls.decide_for(cls.address, cls.politie, "Politie: extra surveillance.")
        cls.decide_for(cls.address, cls.om, "OM: onderzoek naar witwassen.")
        cls.decide_for(cls.person, cls.politie, "Politie: rapportage opstellen.")

    def decisions(self, user) -> set[str]:
        agenda = selectors.agenda_for(user, self.meeting)
        return {d.text for item in agenda.items for d in item.decisions}

    def test_a_decision_is_for_its_partner_and_the_chair(self):
        everything = {
            "Politie: extra surveillance.",
            "OM: onderzoek naar witwassen.",
            "Politie: rapportage opstellen.",
        }
        self.assertEqual(self.decisions(self.chair), everything)
        self.assertEqual(
            self.decisions(self.politie_user),
            {"Politie: extra surveillance.", "Politie: rapportage opstellen."},
        )
        self.assertEqual(
            self.decisions(self.om_user), {"OM: onderzoek naar witwassen."}
        )
        self.assertEqual(self.decisions(self.fiscus), set())
        self.assertEqual(self.decisions(self.zorg_user), set())

    def test_no_decision_on_a_subject_the_reader_does_not_see(self):
        # Addressed to the OM, on the police's D3 subject the OM cannot read.
        self.decide_for(self.person, self.om, "OM: vervolging overwegen.")
        self.assertNotIn("OM: vervolging overwegen.", self.decisions(self.om_user))
        self.assertIn("OM: vervolging overwegen.", self.decisions(self.chair))


class AccessLogTests(TafelTestCase):
    def test_a_page_with_police_data_is_one_logged_read_naming_the_subject(self):
        subject = self.put_person("Ricardo Vossen", DataClass.D3, self.politie_user)
        self.put_address(12)
        self.client.force_login(self.politie_user)
        before = AccessLog.objects.count()
        self.client.get(f"/tafels/meetings/{self.meeting.pk}/")
        row = AccessLog.objects.order_by("-id").first()
        self.assertEqual(AccessLog.objects.count(), before + 1)
        self.assertEqual(
            (row.object_type, row.data_class, row.username),
            ("tafel_meeting", "D3", "politie"),
        )
        self.assertEqual(row.object_id, f"TAFEL-{self.meeting.pk}-{subject.pk}")

    def test_a_page_without_sensitive_rows_writes_nothing(self):
        self.put_person("Ricardo Vossen", DataClass.D3, self.politie_user)
        self.put_address(12)
        self.client.force_login(self.om_user)
        before = AccessLog.objects.count()
        response = self.client.get(f"/tafels/meetings/{self.meeting.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Ricardo Vossen")
        self.assertEqual(AccessLog.objects.count(), before)
