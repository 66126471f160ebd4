"""The cast of the tafels tests.

An ondermijningstafel chaired by the gemeente (its coordinator chairs, its
jurist sits for the gemeente too), with the police, the OM, the
Belastingdienst and a care provider (a private organisation) at the table.
The RIEC's liaison is a partner who does not take part; the FG and a jurist
of another gemeente are outsiders. One meeting yesterday, not yet held.

Cases: an inspection (IC) the coordinator owns, with the police on its team,
and an LOD case of the jurist with the police on its team, which the chair
does not see.
"""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from casework import services as case_services
from casework.models import Location, Party
from permissions.models import CaseAccess, DataClass, Organisation, Role
from tafels import services
from tafels.models import Table
from tests.case_types import CaseType
from tests.factories import OrganisationFactory, UserFactory


class TafelTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        org = OrganisationFactory
        Kind = Organisation.Kind
        cls.gemeente = org(name="Gemeente Venlo", kind=Kind.GEMEENTE)
        cls.politie = org(name="Politie Eenheid Limburg", kind=Kind.POLITIE)
        cls.om = org(name="Openbaar Ministerie Limburg", kind=Kind.OM)
        cls.belastingdienst = org(
            name="Belastingdienst Zuid", kind=Kind.BELASTINGDIENST
        )
        cls.zorg = org(name="Veilig Thuis Noord-Limburg", kind=Kind.ZORG)
        cls.riec = org(name="RIEC Limburg", kind=Kind.RIEC)
        cls.roermond = org(name="Gemeente Roermond", kind=Kind.GEMEENTE)

        user = UserFactory
        cls.chair = user(username="coordinator", role=Role.COORDINATOR,
                         organisation=cls.gemeente)  # fmt: skip
        cls.jurist = user(
            username="jurist", role=Role.JURIST, organisation=cls.gemeente
        )
        cls.politie_user = user(username="politie", role=Role.PARTNER,
                                organisation=cls.politie)  # fmt: skip
        cls.om_user = user(username="om", role=Role.PARTNER, organisation=cls.om)
        cls.fiscus = user(username="belastingdienst", role=Role.PARTNER,
                          organisation=cls.belastingdienst)  # fmt: skip
        cls.zorg_user = user(username="zorg", role=Role.PARTNER, organisation=cls.zorg)
        cls.riec_user = user(username="riec", role=Role.PARTNER, organisation=cls.riec)
        cls.fg = user(username="fg", role=Role.FG, organisation=cls.gemeente)
        cls.stranger = user(username="roermond", role=Role.JURIST,
                            organisation=cls.roermond)  # fmt: skip

        cls.today = timezone.localdate()
        cls.table = services.table_create(
            user=cls.chair,
            kind=Table.Kind.ONDERMIJNING,
            name="Ondermijningstafel Venlo",
            participants=[cls.politie, cls.om, cls.belastingdienst, cls.zorg],
            created_at=timezone.now() - timedelta(days=30),
        )
        cls.meeting = services.meeting_plan(
            table=cls.table,
            user=cls.chair,
            day=cls.today - timedelta(days=1),
            place="Stadskantoor",
        )
        cls.inspection = case_services.case_open(
            user=cls.chair, case_type=CaseType.CONTROLE, title="Controle Q4"
        )
        cls.lod = case_services.case_open(
            user=cls.jurist, case_type=CaseType.LOD, title="Drugshandel Maasboulevard"
        )
        for case, owner in ((cls.inspection, cls.chair), (cls.lod, cls.jurist)):
            case_services.case_team_add(
                case=case, user=owner, member=cls.politie_user,
                team_role=CaseAccess.TeamRole.CONTRIBUTOR,
            )  # fmt: skip

    # Subjects, as the partners put them ---------------------------------------

    @classmethod
    def put_case(cls, case, user=None, meeting=None):
        return services.subject_put(
            meeting=meeting or cls.meeting,
            user=user or cls.chair,
            case=case,
            reason="Bevindingen bespreken.",
        )

    @classmethod
    def put_person(cls, name, data_class, user, meeting=None):
        return services.subject_put(
            meeting=meeting or cls.meeting,
            user=user,
            party=Party(kind=Party.Kind.PERSON, name=name),
            data_class=data_class,
            reason=f"Over {name}.",
        )

    @classmethod
    def put_address(cls, number, user=None, data_class=DataClass.D1, meeting=None):
        return services.subject_put(
            meeting=meeting or cls.meeting,
            user=user or cls.chair,
            location=Location(
                street="Kaldenkerkerweg",
                house_number=number,
                postcode="5913 AG",
                city="Venlo",
            ),
            data_class=data_class,
            reason="Pand wisselde van eigenaar.",
        )

    @classmethod
    def hold(cls, meeting=None):
        return services.meeting_hold(meeting=meeting or cls.meeting, user=cls.chair)

    @classmethod
    def decide_for(cls, subject, organisation, text):
        return services.decision_record(
            subject=subject, user=cls.chair, organisation=organisation, text=text
        )
