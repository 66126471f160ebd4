"""The decision point's `organisations_informed`: which organisations may be
told that something happened on a case or a signal (docs/access.md)."""

from django.utils import timezone

from casework import services
from permissions.decision import organisations_informed
from permissions.models import CaseAccess, DataClass, Organisation, Role
from tests.factories import OrganisationFactory

from .base import NotificationTestCase


class CaseTests(NotificationTestCase):
    def test_the_organisations_with_a_team_row_are_told_of_the_case(self):
        case = self.open_case()
        self.assertEqual(
            organisations_informed("case", case=case),
            {self.gemeente.pk, self.politie.pk},
        )

    def test_partners_are_not_told_of_tasks_or_deadlines(self):
        case = self.open_case()
        for kind in ("task", "deadline", "history"):
            with self.subTest(kind=kind):
                self.assertEqual(
                    organisations_informed(kind, case=case), {self.gemeente.pk}
                )

    def test_an_organisation_none_of_whose_roles_reads_the_class_is_not_told(self):
        case = self.raise_class(self.open_case(), DataClass.D3)
        # Put the police liaison's row back as it was: its role reads no D3.
        CaseAccess.objects.create(
            user=self.politie_user, case=case, organisation=self.politie,
            team_role="contributor", sort_key=case.opened_at, case_type="LOD",
            data_class="D3",
        )  # fmt: skip
        self.assertEqual(organisations_informed("case", case=case), {self.gemeente.pk})
        # A D5 case: the gemeente is told through its burgemeester (reads D5),
        # not through its jurists (do not).
        d5 = self.raise_class(self.open_case(), DataClass.D5)
        self.assertEqual(organisations_informed("case", case=d5), {self.gemeente.pk})
        d5.access.filter(user=self.burgemeester).delete()
        self.assertEqual(organisations_informed("case", case=d5), frozenset())

    def test_a_case_with_no_team_tells_nobody(self):
        case = self.open_case()
        case.access.all().delete()
        self.assertEqual(organisations_informed("case", case=case), frozenset())


class SignalTests(NotificationTestCase):
    def register(self, data_class, shared_with):
        return services.signal_register(
            user=self.politie_user,
            source="bestuurlijke_rapportage",
            received_on=timezone.localdate(),
            summary="Rapportage.",
            data_class=data_class,
            shared_with=shared_with,
        )

    def informed(self, signal):
        return organisations_informed(
            "signal",
            data_class=signal.data_class,
            organisation_id=signal.source_organisation_id,
            shared_with=[o.pk for o in signal.shared_with.all()],
        )

    def test_the_supplier_and_the_organisations_it_was_shared_with(self):
        signal = self.register(DataClass.D3, [self.gemeente])
        self.assertEqual(self.informed(signal), {self.politie.pk, self.gemeente.pk})

    def test_a_shared_organisation_whose_roles_do_not_read_the_class(self):
        inspectie = OrganisationFactory(
            name="Inspectie SZW", kind=Organisation.Kind.INSPECTIE
        )
        self.user("inspecteur", Role.TOEZICHT, inspectie)
        signal = self.register(DataClass.D3, [self.gemeente, inspectie])
        self.assertEqual(self.informed(signal), {self.politie.pk, self.gemeente.pk})

    def test_an_organisation_it_was_not_shared_with_is_not_told(self):
        signal = self.register(DataClass.D3, [])
        self.assertEqual(self.informed(signal), {self.politie.pk})
