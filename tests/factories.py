"""factory_boy factories for the whole suite.

Deterministic on purpose: values come from sequences and fixed dates, never
from Faker or random branches, so a failing test fails the same way twice.

Cases and signals are made through the services (`case_open`,
`case_transition`, `signal_register`), so a factory-made case has its
reference, team row, guardian grants and history exactly like one opened in
the app. Parties and locations are plain rows.
"""

from datetime import date

from django.contrib.auth import get_user_model

import factory
from factory.django import DjangoModelFactory

from casework import services
from casework.models import Case, Location, Party, Signal
from permissions.models import DataClass, Membership, Organisation, Role
from tests.case_types import CaseType

# The role that runs the intake transitions of each case type
# (workflows/*.py `allowed_roles`).
OWNER_ROLE = {
    CaseType.LOD: Role.JURIST,
    CaseType.BIBOB: Role.BIBOB,
    CaseType.CONTROLE: Role.COORDINATOR,
    CaseType.PGA: Role.CASUSREGISSEUR,
}

CLOSING_NOTE = "Geen grondslag voor een bestuurlijke maatregel."


def valid_bsn(n: int) -> str:
    """A BSN that passes the elfproef, derived from `n` (same n, same BSN).

    The ninth digit is chosen so that 9a+8b+…+2h − i is divisible by 11;
    prefixes whose check digit would be 10 are skipped.
    """
    prefix = 10_000_000 + n * 7
    while True:
        digits = [int(d) for d in str(prefix)]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            return f"{prefix}{check}"
        prefix += 1


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    kind = Organisation.Kind.GEMEENTE


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = None
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.JURIST


class UserFactory(DjangoModelFactory):
    """A user with one membership: `UserFactory(role=Role.BIBOB,
    organisation=gemeente)`. `membership=None` gives a user without one."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    class Params:
        role = Role.JURIST
        organisation = factory.SubFactory(OrganisationFactory)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Janssen"
    password = factory.django.Password("x")
    membership = factory.RelatedFactory(
        MembershipFactory,
        factory_related_name="user",
        role=factory.SelfAttribute("..role"),
        organisation=factory.SelfAttribute("..organisation"),
    )


class CaseFactory(factory.Factory):
    """A case opened by `owner` through `services.case_open`, then moved along
    `steps` (transition names) through `services.case_transition`.

    Traits: `bibob`, `controle`, `pga` pick the case type; `assessing` (LOD
    A10) and `closed` (LOD A99, with closed_at) pick an LOD state.
    """

    class Meta:
        model = Case

    class Params:
        bibob = factory.Trait(case_type=CaseType.BIBOB)
        controle = factory.Trait(case_type=CaseType.CONTROLE)
        pga = factory.Trait(case_type=CaseType.PGA)
        assessing = factory.Trait(case_type=CaseType.LOD, steps=("start_assessment",))
        closed = factory.Trait(
            case_type=CaseType.LOD,
            steps=("start_assessment", "close_without_action"),
        )

    case_type = CaseType.LOD
    title = factory.Sequence(lambda n: f"Drugshandel Kloosterstraat {n}")
    owner = factory.SubFactory(
        UserFactory,
        role=factory.LazyAttribute(lambda o: OWNER_ROLE[o.factory_parent.case_type]),
    )
    data_class = None
    steps = ()
    note = CLOSING_NOTE

    @classmethod
    def _build(cls, model_class, *, owner, steps, note, **kwargs):
        if kwargs.get("data_class") is None:
            kwargs.pop("data_class", None)
        return model_class(created_by=owner, **kwargs)

    @classmethod
    def _create(cls, model_class, *, owner, steps, note, **kwargs):
        case = services.case_open(user=owner, **kwargs)
        for name in steps:
            case = services.case_transition(case=case, name=name, user=owner, note=note)
        return Case.objects.get(pk=case.pk)


class PartyFactory(DjangoModelFactory):
    """A person; the `company` trait gives a company with a KvK number and
    `with_bsn` a person with a valid BSN."""

    class Meta:
        model = Party

    class Params:
        with_bsn = factory.Trait(bsn=factory.Sequence(valid_bsn))
        company = factory.Trait(
            kind=Party.Kind.COMPANY,
            name=factory.Sequence(lambda n: f"Snackbar 't Hoekske {n} BV"),
            kvk_number=factory.Sequence(lambda n: f"{60000000 + n:08d}"),
            legal_form="Besloten vennootschap",
        )

    kind = Party.Kind.PERSON
    name = factory.Sequence(lambda n: f"Jan Verheggen {n}")
    date_of_birth = date(1985, 4, 12)
    bsn = ""
    kvk_number = ""
    legal_form = ""


class LocationFactory(DjangoModelFactory):
    class Meta:
        model = Location

    street = "Kloosterstraat"
    postcode = "5911 AB"
    house_number = factory.Sequence(lambda n: n + 1)
    addition = ""
    city = "Venlo"
    area = "Q4"
    bag_id = ""


class SignalFactory(factory.Factory):
    """A signal registered by `registered_by` through `services.signal_register`;
    its organisation is the registrar's."""

    class Meta:
        model = Signal

    class Params:
        police_report = factory.Trait(
            source=Signal.Source.BESTUURLIJKE_RAPPORTAGE,
            data_class=DataClass.D3,
            legal_basis="Wpg 16 lid 1 b",
            registered_by=factory.SubFactory(
                UserFactory,
                role=Role.PARTNER,
                organisation=factory.SubFactory(
                    OrganisationFactory,
                    name="Politie Eenheid Limburg",
                    kind=Organisation.Kind.POLITIE,
                ),
            ),
        )

    registered_by = factory.SubFactory(UserFactory, role=Role.JURIST)
    source = Signal.Source.BURGER
    received_on = date(2026, 3, 2)
    summary = factory.Sequence(lambda n: f"Melding {n}: verdachte geur bij loods.")
    data_class = DataClass.D0
    legal_basis = ""
    shared_with = ()
    parties = ()
    locations = ()

    @classmethod
    def _build(cls, model_class, *, registered_by, **kwargs):
        # Many-to-many values need a saved row; a built signal goes without.
        for name in ("shared_with", "parties", "locations"):
            kwargs.pop(name)
        return model_class(registered_by=registered_by, **kwargs)

    @classmethod
    def _create(cls, model_class, *, registered_by, **kwargs):
        return services.signal_register(user=registered_by, **kwargs)
