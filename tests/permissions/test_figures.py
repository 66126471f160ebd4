"""The figures rule (permissions/figures.py, docs/access.md "Figures"): who
sees steering figures, what they count, and which small numbers are hidden,
including secondary suppression worked out by hand."""

from django.test import TestCase, override_settings

from permissions import figures
from permissions.figures import Family, declare_family, figure_scope
from permissions.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory


class FigureScopeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
        cls.other_gemeente = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
        cls.politie = OrganisationFactory(kind=Organisation.Kind.POLITIE)
        cls.riec = OrganisationFactory(kind=Organisation.Kind.RIEC)
        cls.corporatie = OrganisationFactory(kind=Organisation.Kind.WONINGCORPORATIE)
        cls.users = {
            role: UserFactory(username=role, role=role, organisation=cls.gemeente)
            for role in Role.values
        }
        cls.politie_user = UserFactory(
            username="p", role=Role.PARTNER, organisation=cls.politie
        )
        cls.riec_user = UserFactory(
            username="r", role=Role.PARTNER, organisation=cls.riec
        )
        cls.corporatie_user = UserFactory(
            username="w", role=Role.PARTNER, organisation=cls.corporatie
        )

    def setUp(self):
        saved = dict(figures.FAMILIES)
        self.addCleanup(
            lambda: figures.FAMILIES.clear() or figures.FAMILIES.update(saved)
        )
        declare_family(Family("XL", exact_roles=frozenset({Role.JURIST})))
        declare_family(
            Family(
                "XB",
                exact_roles=frozenset({Role.BIBOB}),
                aggregate_only=True,
                classes=frozenset({"D5"}),
            )
        )

    def test_who_sees_figures(self):
        seen = {
            role for role, user in self.users.items() if figure_scope(user) is not None
        }
        self.assertEqual(
            seen,
            {
                Role.BURGEMEESTER,
                Role.JURIST,
                Role.BIBOB,
                Role.COORDINATOR,
                Role.CASUSREGISSEUR,
                Role.PARTNER,
            },
        )
        self.assertIsNotNone(figure_scope(self.politie_user))
        # A private organisation (WGS 2.19) sees none, whatever its role.
        self.assertIsNone(figure_scope(self.corporatie_user))

    def test_classes_are_the_matrix_reads_without_own_items(self):
        partner = figure_scope(self.politie_user)
        # The partner reads D0, D1 and D10; D2–D4 only its own items.
        self.assertEqual(partner.classes, frozenset({"D0", "D1", "D10"}))
        self.assertIn("D5", figure_scope(self.users[Role.BIBOB]).classes)

    def test_family_with_classes_is_not_counted_without_them(self):
        jurist = figure_scope(self.users[Role.JURIST])
        self.assertFalse(jurist.counts("XB"))  # the jurist reads no D5
        self.assertTrue(figure_scope(self.users[Role.BURGEMEESTER]).counts("XB"))
        self.assertTrue(jurist.counts("XL"))

    def test_cells(self):
        jurist = figure_scope(self.users[Role.JURIST])
        coordinator = figure_scope(self.users[Role.COORDINATOR])
        self.assertEqual(jurist.cell(3, "XL").text, "3")
        hidden = coordinator.cell(3, "XL")
        self.assertEqual(
            (hidden.text, hidden.value, hidden.suppressed), ("< 5", None, True)
        )
        self.assertEqual(coordinator.cell(0, "XL").text, "0")
        self.assertEqual(coordinator.cell(5, "XL").text, "5")
        self.assertEqual(coordinator.cell(12345, "XL").text, "12.345")
        # Several families: exact only when exact for all of them.
        self.assertTrue(jurist.cell(2, ["XL", "XB"]).suppressed)

    @override_settings(FIGURES_THRESHOLD=10)
    def test_threshold_is_a_setting(self):
        coordinator = figure_scope(self.users[Role.COORDINATOR])
        self.assertEqual(coordinator.cell(7, "XL").text, "< 10")

    def test_per_address(self):
        bibob = figure_scope(self.users[Role.BIBOB])
        burgemeester = figure_scope(self.users[Role.BURGEMEESTER])
        self.assertTrue(bibob.per_address("XB"))
        self.assertFalse(burgemeester.per_address("XB"))  # aggregate only
        self.assertTrue(burgemeester.per_address("XL"))
        self.assertFalse(burgemeester.per_address("unknown"))


class SecondarySuppressionTests(TestCase):
    """Tables worked out by hand; the viewer is exact for nothing."""

    @classmethod
    def setUpTestData(cls):
        org = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
        cls.user = UserFactory(username="c", role=Role.COORDINATOR, organisation=org)
        cls.jurist = UserFactory(username="j", role=Role.JURIST, organisation=org)

    def setUp(self):
        saved = dict(figures.FAMILIES)
        self.addCleanup(
            lambda: figures.FAMILIES.clear() or figures.FAMILIES.update(saved)
        )
        declare_family(Family("XL", exact_roles=frozenset({Role.JURIST})))
        self.scope = figure_scope(self.user)

    @staticmethod
    def texts(table):
        return [[c.text for c in row.cells] + [row.total.text] for row in table.rows]

    def test_one_hidden_cell_hides_the_smallest_other(self):
        # 3 alone would be 20 - 10 - 7 = 3: the 7 goes too.
        table = self.scope.table([[10, 3, 7]], ["XL"])
        self.assertEqual(self.texts(table), [["10", "< 5", "×", "20"]])
        self.assertTrue(table.suppressed)

    def test_two_hidden_cells_need_nothing_more(self):
        table = self.scope.table([[10, 3, 2, 7]], ["XL"])
        self.assertEqual(self.texts(table), [["10", "< 5", "< 5", "7", "22"]])

    def test_only_zeros_beside_it_hide_the_total(self):
        # 0 + 3 + 0 = 3: the total is under the threshold and hidden itself.
        table = self.scope.table([[0, 3, 0]], ["XL"])
        self.assertEqual(self.texts(table), [["0", "< 5", "0", "< 5"]])
        # 0 + 3 + 0 + 6 = 9: hiding a zero would not help; the 6 goes, and
        # the total 9 stays (two hidden cells in the line).
        table = self.scope.table([[0, 3, 0, 6]], ["XL"])
        self.assertEqual(self.texts(table), [["0", "< 5", "0", "×", "9"]])

    def test_columns_and_the_grand_total(self):
        rows = [[8, 2], [6, 9]]
        table = self.scope.table(rows, ["XL", "XL"], column_totals=True)
        # Row 1: 2 hidden → 8 hidden too (its only other cell); the row total
        # 10 stays. Column 2: 2 hidden, 9 shown, total 11 → 9 hidden.
        # Column 1: 8 hidden, 6 shown, total 14 → 6 hidden; row 2 then has two
        # hidden cells. No single hidden number can be recomputed.
        self.assertEqual(self.texts(table), [["×", "< 5", "10"], ["×", "×", "15"]])
        self.assertEqual([c.text for c in table.column_totals], ["14", "11"])
        self.assertEqual(table.grand_total.text, "25")

    def test_no_line_with_exactly_one_hidden_cell_and_a_shown_total(self):
        rows = [[1, 12, 30, 4], [0, 0, 7, 2], [15, 3, 0, 0], [6, 6, 6, 6]]
        table = self.scope.table(rows, ["XL"] * 4, column_totals=True)
        grid = [row.cells for row in table.rows]
        for i, row in enumerate(table.rows):
            if not row.total.suppressed:
                self.assertNotEqual(sum(c.suppressed for c in row.cells), 1, i)
        for j, total in enumerate(table.column_totals):
            if not total.suppressed:
                self.assertNotEqual(sum(grid[i][j].suppressed for i in range(4)), 1, j)
        # Every shown number is the true one.
        for i, row in enumerate(rows):
            for j, n in enumerate(row):
                if not grid[i][j].suppressed:
                    self.assertEqual(grid[i][j].value, n)

    def test_exact_viewer_sees_everything(self):
        table = figure_scope(self.jurist).table([[10, 3, 7]], ["XL"])
        self.assertEqual(self.texts(table), [["10", "3", "7", "20"]])
        self.assertFalse(table.suppressed)


class OtherRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(kind=Organisation.Kind.GEMEENTE)
        cls.politie = OrganisationFactory(kind=Organisation.Kind.POLITIE)
        cls.om = OrganisationFactory(kind=Organisation.Kind.OM)
        cls.riec = OrganisationFactory(kind=Organisation.Kind.RIEC)

        def user(name, role, org):
            return UserFactory(username=name, role=role, organisation=org)

        cls.coordinator = user("coordinator", Role.COORDINATOR, cls.gemeente)
        cls.jurist = user("jurist", Role.JURIST, cls.gemeente)
        cls.bibob = user("bibob", Role.BIBOB, cls.gemeente)
        cls.beheerder = user("beheerder", Role.BEHEERDER, cls.gemeente)
        cls.toezicht = user("toezicht", Role.TOEZICHT, cls.gemeente)
        cls.politie_user = user("politie", Role.PARTNER, cls.politie)
        cls.om_user = user("om", Role.PARTNER, cls.om)
        cls.riec_user = user("riec", Role.PARTNER, cls.riec)

    def test_register_imports_and_areas(self):
        self.assertTrue(figures.may_import_registers(self.coordinator))
        self.assertTrue(figures.may_import_registers(self.bibob))
        self.assertFalse(figures.may_import_registers(self.jurist))
        self.assertFalse(figures.may_import_registers(self.politie_user))
        self.assertTrue(figures.may_manage_areas(self.beheerder))
        self.assertFalse(figures.may_manage_areas(self.coordinator))

    def test_programme_access(self):
        def access(user):
            return figures.programme_access(
                user, organisation_id=self.gemeente.pk, partner_ids={self.politie.pk}
            )

        P = figures.ProgrammeAccess
        self.assertEqual(access(self.coordinator), P(True, True, True))
        self.assertEqual(access(self.jurist), P(True, False, True))
        self.assertEqual(access(self.politie_user), P(True, False, False))
        self.assertEqual(access(self.om_user), P())  # not a partner of it
        self.assertEqual(access(self.toezicht), P())
        self.assertEqual(access(self.beheerder), P())

    def test_reports_and_feedback(self):
        self.assertTrue(figures.may_request_report(self.politie_user))
        self.assertFalse(figures.may_request_report(self.beheerder))
        self.assertEqual(
            figures.feedback_organisations(self.coordinator), {self.gemeente.pk}
        )
        self.assertEqual(
            figures.feedback_organisations(self.riec_user),
            set(Organisation.objects.values_list("pk", flat=True)),
        )
        self.assertIsNone(figures.feedback_organisations(self.toezicht))
