"""The cast of the reports tests.

The gemeente (coordinator, burgemeester, jurist; a toezichthouder and the FG
who see no figures), the police and the Belastingdienst (partners), the RIEC
(a partner liaison) and a private care provider. RIEC results of this year:
one converted by the gemeente's jurist into an LOD case, one filed with a
reason, one not taken up, one shared with the police only; and, not counted,
a RIEC result of last year and a police report that is no RIEC result.
"""

from datetime import date

from django.test import TestCase
from django.utils import timezone

from casework import services as case_services
from casework.models import Signal
from permissions.models import DataClass, Organisation, Role
from tests.factories import OrganisationFactory, UserFactory

FILED_REASON = "Onvoldoende aanknopingspunten voor een bestuurlijke maatregel."


class ReportsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        Kind = Organisation.Kind
        org = OrganisationFactory
        cls.gemeente = org(name="Gemeente Venlo", kind=Kind.GEMEENTE)
        cls.politie = org(name="Politie Eenheid Limburg", kind=Kind.POLITIE)
        cls.fiscus = org(name="Belastingdienst Zuid", kind=Kind.BELASTINGDIENST)
        cls.riec = org(name="RIEC Limburg", kind=Kind.RIEC)
        cls.zorg = org(name="Veilig Thuis Noord-Limburg", kind=Kind.ZORG)

        user = UserFactory
        cls.coordinator = user(username="coordinator", role=Role.COORDINATOR,
                               organisation=cls.gemeente)  # fmt: skip
        cls.burgemeester = user(username="burgemeester", role=Role.BURGEMEESTER,
                                organisation=cls.gemeente)  # fmt: skip
        cls.jurist = user(
            username="jurist", role=Role.JURIST, organisation=cls.gemeente
        )
        cls.toezicht = user(username="toezicht", role=Role.TOEZICHT,
                            organisation=cls.gemeente)  # fmt: skip
        cls.fg = user(username="fg", role=Role.FG, organisation=cls.gemeente)
        cls.politie_user = user(username="politie", role=Role.PARTNER,
                                organisation=cls.politie)  # fmt: skip
        cls.fiscus_user = user(username="belastingdienst", role=Role.PARTNER,
                               organisation=cls.fiscus)  # fmt: skip
        cls.riec_user = user(username="riec", role=Role.PARTNER, organisation=cls.riec)
        cls.zorg_user = user(username="zorg", role=Role.PARTNER, organisation=cls.zorg)
        cls.year = timezone.localdate().year

    @classmethod
    def riec_signal(cls, *, received_on=None, shared_with=None, data_class="D3"):
        return case_services.signal_register(
            user=cls.riec_user,
            source=Signal.Source.RIEC,
            received_on=received_on or date(cls.year, 1, 15),
            summary="Interventieadvies: GEHEIME SAMENVATTING",
            data_class=data_class,
            legal_basis="WGS 1.7",
            shared_with=(
                [cls.gemeente, cls.politie] if shared_with is None else shared_with
            ),
        )

    @classmethod
    def make_riec_results(cls):
        """The hand-built RIEC results of the module docstring."""
        cls.converted = cls.riec_signal(received_on=date(cls.year, 1, 10))
        cls.case = case_services.signal_convert(
            signal=cls.converted, user=cls.jurist, case_type="LOD",
            title="Hennepkwekerij Industrieweg",
        )  # fmt: skip
        cls.filed = cls.riec_signal(received_on=date(cls.year, 1, 20))
        case_services.signal_file(
            signal=cls.filed, user=cls.jurist, reason=FILED_REASON
        )
        cls.untouched = cls.riec_signal(received_on=date(cls.year, 1, 30))
        cls.police_only = cls.riec_signal(
            received_on=date(cls.year, 1, 5), shared_with=[cls.politie],
            data_class=DataClass.D2,
        )  # fmt: skip
        cls.last_year = cls.riec_signal(received_on=date(cls.year - 1, 12, 31))
        cls.not_riec = case_services.signal_register(
            user=cls.politie_user, source=Signal.Source.MMA,
            received_on=date(cls.year, 1, 12), summary="MMA-melding",
            data_class="D3", legal_basis="Wpg 19", shared_with=[cls.gemeente],
        )  # fmt: skip


def make_programme(owner, *, organisation, partners=(), today):
    """A programme of the gemeente with one project, two goals (one measured),
    a milestone due this quarter, one overdue, and two budget lines: one 95%
    spent, one 40% committed."""
    from decimal import Decimal

    from programme.models import (
        BudgetEntry,
        BudgetLine,
        Goal,
        GoalMeasurement,
        Milestone,
        Programme,
        Project,
    )

    programme = Programme.objects.create(
        name="Focus op Urgentie",
        starts_on=date(today.year - 1, 4, 1),
        ends_on=date(today.year + 1, 3, 31),
        organisation=organisation,
        total_budget=Decimal("335500.00"),
    )
    programme.partners.set(partners)
    project = Project.objects.create(
        programme=programme, name="Jonge Helden", area="Vastenavondkamp/Blerick",
        owner=owner, position=1,
    )  # fmt: skip
    sessions = Goal.objects.create(
        project=project, description="Sessies Jonge Helden", unit="sessies",
        target_value=Decimal("5"), target_date=date(today.year, 12, 31),
    )  # fmt: skip
    GoalMeasurement.objects.create(
        goal=sessions, measured_on=today, value=Decimal("3"), recorded_by=owner
    )
    Goal.objects.create(
        project=project, description="Kinderen per sessie", unit="kinderen",
        target_value=Decimal("15"), target_date=date(today.year, 12, 31),
    )  # fmt: skip
    from reports.periods import Quarter

    quarter = Quarter.containing(today)
    Milestone.objects.create(project=project, title="Tweede sessie", due_on=quarter.end)
    Milestone.objects.create(
        project=project, title="Werving scholen",
        due_on=quarter.start.replace(year=quarter.start.year - 1),
    )  # fmt: skip
    spent = BudgetLine.objects.create(
        programme=programme, name="Sociale herovering", amount=Decimal("10000.00"),
        position=1,
    )  # fmt: skip
    BudgetEntry.objects.create(
        line=spent, kind=BudgetEntry.Kind.SPENDING, amount=Decimal("9500.00"),
        booked_on=today, description="Facturen", recorded_by=owner,
    )  # fmt: skip
    committed = BudgetLine.objects.create(
        programme=programme, name="Procesmanager", amount=Decimal("50000.00"),
        position=2,
    )  # fmt: skip
    BudgetEntry.objects.create(
        line=committed, kind=BudgetEntry.Kind.COMMITMENT, amount=Decimal("20000.00"),
        booked_on=today, description="Opdracht", recorded_by=owner,
    )  # fmt: skip
    return programme
