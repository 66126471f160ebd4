"""The cast of the programme tests: the demo's organisations and users (one
per role, `casework.demo.organisations_and_users`), the work plan seeded by
`programme.demo.seed` alone, and a jurist of another municipality with a
programme of its own."""

import random
from datetime import date
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone

from casework.demo import Demo, organisations_and_users
from permissions.models import Organisation, Role
from programme import demo as programme_demo
from programme import services
from programme.models import BudgetLine, Programme
from tests.factories import OrganisationFactory, UserFactory


class ProgrammeTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.orgs, cls.users = organisations_and_users()
        cls.today = timezone.localdate()
        programme_demo.seed(
            Demo(rng=random.Random(1), today=cls.today, users=cls.users, orgs=cls.orgs)
        )
        cls.programme = Programme.objects.get(name=programme_demo.NAME)
        cls.roermond = OrganisationFactory(
            name="Gemeente Roermond", kind=Organisation.Kind.GEMEENTE
        )
        cls.roermond_coordinator = UserFactory(
            username="roermond", role=Role.COORDINATOR, organisation=cls.roermond
        )
        cls.other = services.programme_create(
            name="Veilig Roermond 2021",
            starts_on=date(2021, 1, 1),
            ends_on=date(2021, 12, 31),
            organisation=cls.roermond,
            total_budget=Decimal("1000.00"),
        )

    def line(self, name) -> BudgetLine:
        return BudgetLine.objects.get(programme=self.programme, name=name)
