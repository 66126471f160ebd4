"""A cast for the steering tests: a gemeente with every role, the police, and
helpers that write cases, events, signals and deadlines straight into the
tables the facts are counted from (the figures are checked against counts
worked out by hand from these rows)."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import TestCase

from casework.models import Case, CaseEvent, Deadline, Location, Signal
from permissions.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory

AMS = ZoneInfo("Europe/Amsterdam")
_numbers = itertools.count(1)


def local(year, month, day, hour=12, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


class SteeringTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.gemeente = OrganisationFactory(
            name="Gemeente Venlo", kind=Organisation.Kind.GEMEENTE
        )
        cls.politie = OrganisationFactory(
            name="Politie Eenheid Limburg", kind=Organisation.Kind.POLITIE
        )
        cls.corporatie = OrganisationFactory(
            name="Woonwenz", kind=Organisation.Kind.WONINGCORPORATIE
        )
        cls.users = {}
        for role in (
            Role.BURGEMEESTER,
            Role.JURIST,
            Role.BIBOB,
            Role.COORDINATOR,
            Role.CASUSREGISSEUR,
            Role.TOEZICHT,
            Role.FG,
            Role.BEHEERDER,
            Role.INVORDERING,
            Role.VERGUNNING,
        ):
            cls.users[str(role)] = UserFactory(
                username=str(role), role=role, organisation=cls.gemeente
            )
        cls.users["politie"] = UserFactory(
            username="politie", role=Role.PARTNER, organisation=cls.politie
        )
        cls.users["corporatie"] = UserFactory(
            username="corporatie", role=Role.PARTNER, organisation=cls.corporatie
        )
        cls.actor = cls.users["jurist"]

    @classmethod
    def case(cls, case_type="LOD", *, area="", data_class="D0", status="A00"):
        n = next(_numbers)
        case = Case.objects.create(
            reference=f"2026-{case_type}-{n:05d}",
            case_type=case_type,
            status=status,
            title=f"Zaak {n}",
            data_class=data_class,
            responsible_organisation=cls.gemeente,
            created_by=cls.actor,
        )
        if area:
            Case.objects.filter(pk=case.pk).update(area=area)
            case.area = area
        return case

    @classmethod
    def event(cls, case, to_status, at, *, kind=CaseEvent.Kind.STATUS, source=""):
        return CaseEvent.objects.create(
            case=case,
            actor=cls.actor,
            kind=kind,
            from_status=source,
            to_status=to_status,
            at=at,
        )

    @classmethod
    def signal(cls, source, received_on, *, areas=(), status="new", data_class="D0"):
        n = next(_numbers)
        signal = Signal.objects.create(
            reference=f"2026-SIG-{n:05d}",
            source=source,
            received_on=received_on,
            summary="melding",
            data_class=data_class,
            source_organisation=cls.gemeente,
            registered_by=cls.actor,
        )
        Signal.objects.filter(pk=signal.pk).update(status=status)
        for area in areas:
            location = Location.objects.create(
                postcode="5911AA",
                house_number=next(_numbers),
                city="Venlo",
                area=area,
            )
            signal.locations.add(location)
        return signal

    @classmethod
    def deadline(cls, case, *, end, state, met_on=None, obligation="organ"):
        return Deadline.objects.create(
            case=case,
            title="Beslistermijn",
            legal_basis="Awb 4:13",
            event_date=date(2026, 1, 1),
            length=8,
            unit=Deadline.Unit.WEEKS,
            computed_end=end,
            end_date=end,
            owner=cls.actor,
            state=state,
            met_on=met_on,
            obligation=obligation,
        )
