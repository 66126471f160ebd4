"""A small world whose hotspot figures are worked out by hand
(tests/hotspots/test_rebuild.py states them): three addresses, signals of
three ages and classes, cases of four types, ownership changes and branch
registrations, and one user per demo role."""

from datetime import UTC, date, datetime

from django.test import TestCase

from casework.models import Case, CaseLocation, Location, Signal
from hotspots import rebuild
from hotspots.models import BranchRegistration, OwnershipChange
from permissions.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory

TODAY = date(2026, 12, 6)
ROLES = (
    "coordinator", "burgemeester", "bibob", "casusregisseur", "jurist", "toezicht",
    "fg", "beheerder", "invordering", "vergunning",
)  # fmt: skip


class HotspotWorld(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie_org = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        cls.users = {
            role: UserFactory(username=role, role=role, organisation=cls.gemeente)
            for role in ROLES
        }
        cls.users["politie"] = UserFactory(
            username="politie", role=Role.PARTNER, organisation=cls.politie_org
        )
        cls.a = cls.location("Nolensplein", 5, "5912 CD", "Q4", x=209600, y=376300)
        cls.b = cls.location("Vleesstraat", 12, "5912 AB", "Q4", x=209700, y=376400)
        cls.c = cls.location(
            "Antoniuslaan", 45, "5921 CD", "Blerick", x=207000, y=377000
        )
        a, b, c = cls.a, cls.b, cls.c
        for source, data_class, received, where in (
            ("mma", "D3", date(2026, 11, 1), a),
            ("mma", "D3", date(2026, 11, 2), a),
            ("mma", "D3", date(2026, 11, 3), a),
            ("toezicht", "D0", date(2026, 5, 1), a),
            ("toezicht", "D0", date(2026, 5, 2), a),
            ("burger", "D0", date(2025, 1, 1), a),
            ("burger", "D0", date(2026, 12, 1), b),
            ("burger", "D0", date(2026, 12, 2), b),
            ("mma", "D3", date(2026, 11, 20), c),
        ):
            cls.signal(source, data_class, received, where)
        cls.case("LOD", "D2", a)
        cls.case("LOD", "D2", a, closed=True)
        cls.case("BIB", "D5", a)
        cls.case("PGA", "D10", a)
        for day in (
            date(2024, 12, 1),
            date(2025, 6, 1),
            date(2026, 6, 1),
            date(2020, 1, 1),
        ):
            OwnershipChange.objects.create(
                postcode=a.postcode, house_number=a.house_number, location=a,
                transferred_on=day, buyer_kind="legal", buyer_kvk="90000002",
            )  # fmt: skip
        for n, day in enumerate((date(2025, 6, 1), date(2026, 1, 1), date(2023, 1, 1))):
            BranchRegistration.objects.create(
                kvk_number="90000001", establishment_number=f"00000000000{n}",
                sbi_code="56302", branch_label="Shishalounge", registered_on=day,
                postcode=b.postcode, house_number=b.house_number, location=b,
            )  # fmt: skip
        rebuild.refresh(today=TODAY)

    _n = 0

    @classmethod
    def location(cls, street, number, postcode, area, *, x=None, y=None):
        return Location.objects.create(
            street=street, house_number=number, postcode=postcode, city="Venlo",
            area=area, x=x, y=y,
        )  # fmt: skip

    @classmethod
    def signal(cls, source, data_class, received, where):
        HotspotWorld._n += 1
        signal = Signal.objects.create(
            reference=f"2026-SIG-{9000 + HotspotWorld._n}", source=source,
            received_on=received, summary="Test", data_class=data_class,
            source_organisation=cls.gemeente, registered_by=cls.users["jurist"],
        )  # fmt: skip
        signal.locations.add(where)
        return signal

    @classmethod
    def case(cls, case_type, data_class, where, *, closed=False):
        HotspotWorld._n += 1
        case = Case.objects.create(
            reference=f"2026-{case_type}-{9000 + HotspotWorld._n}", case_type=case_type,
            status="X", title="Test", data_class=data_class,
            responsible_organisation=cls.gemeente, created_by=cls.users["jurist"],
            closed_at=datetime(2026, 1, 1, tzinfo=UTC) if closed else None,
        )  # fmt: skip
        CaseLocation.objects.create(case=case, location=where, role="premises")
        return case
