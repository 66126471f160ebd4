"""Writes on the case kernel. Every change and its history row share one
transaction; every status change goes through a django-fsm transition whose
permission the service checks itself."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_fsm import can_proceed, has_transition_perm

from permissions.decision import MANAGE_TEAM, decide
from permissions.models import CaseAccess, Organisation
from permissions.policy import (
    CASE_OPENER_ROLES,
    READ,
    TRIAGE_ROLES,
    WRITE,
    actor_for,
    role_actions,
    role_permits,
)
from permissions.services import team_add, user_can

from .assignment import case_step_taken
from .flows import flow_advance, flow_start
from .models import (
    Case,
    CaseEvent,
    CaseLink,
    CaseLocation,
    CaseParty,
    Location,
    Party,
    ReferenceCounter,
    Signal,
)
from .registry import registry

NOT_ALLOWED_TO_OPEN = _("Your role may not open cases.")
NOT_ALLOWED_CLASS = _("Your role may not open a case of data class %(data_class)s.")
NOT_ALLOWED_TO_EDIT = _("You may not change this case.")
NOT_ALLOWED_TO_TRIAGE = _("Your role may not triage signals.")
NOT_ALLOWED_TO_REGISTER = _("Your role may not register signals of this data class.")
TRANSITION_NOT_AVAILABLE = _("This step is not possible in the current status.")
FILE_REASON_REQUIRED = _("Give the reason for filing the signal without action.")
CLOSE_REASON_REQUIRED = _("Give the reason for this step.")
LINK_SELF = _("A case cannot be linked to itself.")
SIGNAL_NOT_OPEN = _("This signal has already been filed.")


def reference_next(*, series: str, year: int) -> str:
    """The next gap-free reference "YYYY-SERIES-NNNN".

    Must run inside the transaction that saves the new record: the counter row
    stays locked until that transaction commits, so concurrent creators queue
    and a rolled-back creation gives its number back.
    """
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(series=series, year=year, last=0)], ignore_conflicts=True
    )
    counter = ReferenceCounter.objects.select_for_update().get(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{year}-{series}-{counter.last:04d}"


def record_event(
    case, actor_user, kind, *, note="", from_status="", to_status=""
) -> CaseEvent:
    """A row of the case's history (`CaseEvent`), for the kernel's services
    and the case types' own."""
    return CaseEvent.objects.create(
        case=case,
        actor=actor_user,
        kind=kind,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )


@transaction.atomic
def case_open(
    *,
    user,
    case_type: str,
    title: str,
    responsible_organisation: Organisation | None = None,
    data_class: str | None = None,
    parent: Case | None = None,
    opened_at=None,
    note: str = "",
) -> Case:
    """Open a case with its reference, initial status, owner and first event."""
    actor = actor_for(user)
    if actor.role not in CASE_OPENER_ROLES:
        raise PermissionDenied(NOT_ALLOWED_TO_OPEN)
    data_class = data_class or registry.case_type(case_type).default_data_class
    if not role_permits(actor.role, WRITE, data_class):
        # The opener must be able to work on the case it opens.
        raise PermissionDenied(NOT_ALLOWED_CLASS % {"data_class": data_class})
    opened_at = opened_at or timezone.now()
    organisation = responsible_organisation or Organisation.objects.get(
        pk=actor.organisation_id
    )
    case = Case(
        reference=reference_next(
            series=case_type, year=timezone.localdate(opened_at).year
        ),
        case_type=case_type,
        title=title,
        data_class=data_class,
        responsible_organisation=organisation,
        parent=parent,
        opened_at=opened_at,
        created_by=user,
    )
    # The status field is protected against assignment; the initial state is
    # set once, here, before the first save.
    case.__dict__["status"] = registry.case_type(case_type).initial_status
    case.full_clean(exclude=["status"])
    case.save()
    team_add(case=case, user=user, team_role=CaseAccess.TeamRole.OWNER)
    record_event(case, user, CaseEvent.Kind.CREATED, to_status=case.status, note=note)
    flow_start(case)
    if parent is not None:
        record_event(
            parent,
            user,
            CaseEvent.Kind.LINK,
            note=str(_("Child case %(ref)s opened") % {"ref": case.reference}),
        )
    return case


def _require_write(user, case) -> None:
    if not user_can(user, WRITE, case):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)


@transaction.atomic
def case_transition(*, case: Case, name: str, user, note: str = "") -> Case:
    """Run transition `name` on the case for `user`.

    Locks the row, checks that the transition is possible now and that the
    user may run it, then records the change and its event together.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    proxy = registry.proxy_for(locked)
    method = getattr(proxy, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    if not can_proceed(method):
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    if not has_transition_perm(method, user):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    source = proxy.status
    method()
    target = proxy.status
    if target in proxy.TERMINAL and proxy.closed_at is None:
        if not note.strip():
            raise ValidationError(CLOSE_REASON_REQUIRED)
        proxy.closed_at = timezone.now()
    proxy.save()
    record_event(
        proxy,
        user,
        CaseEvent.Kind.STATUS,
        from_status=source,
        to_status=target,
        note=note,
    )
    flow_advance(proxy, user)
    # The holder keeps the case when its role takes the next step too; else
    # it goes back to the team (docs/assignment.md).
    case_step_taken(case=proxy, user=user)
    return proxy


@transaction.atomic
def case_add_party(*, case: Case, user, party: Party, role: str) -> CaseParty:
    _require_write(user, case)
    if party.pk is None:
        party.full_clean()
        party.save()
    link, created = CaseParty.objects.get_or_create(case=case, party=party, role=role)
    if created:
        record_event(
            case,
            user,
            CaseEvent.Kind.PARTY,
            note=f"{party} ({link.get_role_display()})",
        )
    return link


@transaction.atomic
def case_add_location(
    *, case: Case, user, location: Location, role: str
) -> CaseLocation:
    _require_write(user, case)
    location = location_get_or_create(location)
    link, created = CaseLocation.objects.get_or_create(
        case=case, location=location, role=role
    )
    if created:
        record_event(
            case,
            user,
            CaseEvent.Kind.LOCATION,
            note=f"{location} ({link.get_role_display()})",
        )
    return link


def location_get_or_create(location: Location) -> Location:
    """Reuse the stored address with the same postcode, number and addition."""
    if location.pk is not None:
        return location
    location.full_clean()
    existing = Location.objects.filter(
        postcode=location.postcode,
        house_number=location.house_number,
        addition=location.addition,
    ).first()
    if existing is not None:
        return existing
    location.save()
    return location


@transaction.atomic
def case_link(*, case: Case, other: Case, user, note: str = "") -> CaseLink:
    """Link two cases as related. The user must be able to change both."""
    if case.pk == other.pk:
        raise ValidationError(LINK_SELF)
    _require_write(user, case)
    _require_write(user, other)
    a, b = sorted([case, other], key=lambda c: c.pk)
    link, created = CaseLink.objects.get_or_create(
        from_case=a, to_case=b, defaults={"note": note}
    )
    if created:
        for this, that in ((case, other), (other, case)):
            record_event(this, user, CaseEvent.Kind.LINK, note=that.reference)
    return link


# Case types whose team is chosen their own way (a PGA case's participants are
# selected per case with their legal basis, WGS 2.31 lid 4, in the case file)
# register a `team_url_name`: `case_team_add` refuses them, and
# `signal_convert` calls the type's `on_open_from_signal` (case, user, signal)
# instead of adding the supplier to the team.
def _own_team(case_type: str) -> bool:
    entry = registry.case_types.get(case_type)
    return entry is not None and bool(entry.team_url_name)


OWN_TEAM_REFUSED = _(
    "Participants of this case are selected in its case file, with their legal basis."
)


@transaction.atomic
def case_team_add(*, case: Case, user, member, team_role: str) -> CaseAccess:
    # Who manages the team is the decision point's MANAGE_TEAM (the roles
    # that open cases, not the inspector).
    if not decide(user, MANAGE_TEAM, "team", case=case):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    if _own_team(case.case_type):
        raise ValidationError(OWN_TEAM_REFUSED)
    access = team_add(case=case, user=member, team_role=team_role)
    record_event(
        case,
        user,
        CaseEvent.Kind.TEAM,
        note=f"{member.get_username()} ({access.get_team_role_display()})",
    )
    return access


# Signals --------------------------------------------------------------------


@transaction.atomic
def case_team_copy(*, source: Case, target: Case, user) -> None:
    """The team of `source` carries on in `target` (a child case): the owner
    joins as member, everyone keeps their role otherwise, and roles that may
    not read the target's data class stay out."""
    for access in source.access.exclude(user=user).select_related("user"):
        if READ not in role_actions(actor_for(access.user).role, target.data_class):
            continue
        team_role = access.team_role
        if team_role == CaseAccess.TeamRole.OWNER:
            team_role = CaseAccess.TeamRole.MEMBER
        case_team_add(case=target, user=user, member=access.user, team_role=team_role)


@transaction.atomic
def signal_register(
    *,
    user,
    source: str,
    received_on: date,
    summary: str,
    data_class: str,
    legal_basis: str = "",
    shared_with: list[Organisation] | tuple = (),
    parties: list[Party] | tuple = (),
    locations: list[Location] | tuple = (),
) -> Signal:
    """Register an incoming signal supplied by the user's organisation."""
    actor = actor_for(user)
    if actor.organisation_id is None or not role_permits(
        actor.role, WRITE, data_class, own_item=True
    ):
        raise PermissionDenied(NOT_ALLOWED_TO_REGISTER)
    signal = Signal(
        reference=reference_next(series="SIG", year=received_on.year),
        source=source,
        received_on=received_on,
        summary=summary,
        data_class=data_class,
        legal_basis=legal_basis,
        source_organisation_id=actor.organisation_id,
        registered_by=user,
    )
    signal.full_clean(exclude=["status"])
    signal.save()
    signal.shared_with.set(shared_with)
    stored_parties = []
    for party in parties:
        if party.pk is None:
            party.full_clean()
            party.save()
        stored_parties.append(party)
    signal.parties.set(stored_parties)
    signal.locations.set([location_get_or_create(loc) for loc in locations])
    return signal


def _require_triage(user, signal: Signal) -> None:
    actor = actor_for(user)
    if actor.role not in TRIAGE_ROLES:
        raise PermissionDenied(NOT_ALLOWED_TO_TRIAGE)
    if not Signal.objects.for_user(user).filter(pk=signal.pk).exists():
        raise PermissionDenied(NOT_ALLOWED_TO_TRIAGE)


@transaction.atomic
def signal_start_triage(*, signal: Signal, user) -> Signal:
    _require_triage(user, signal)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if not can_proceed(signal.start_triage):
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    signal.start_triage()
    signal.save()
    return signal


@transaction.atomic
def signal_convert(
    *, signal: Signal, user, case_type: str, title: str, team=()
) -> Case:
    """Open a case from the signal: parties, locations and the signal itself are
    attached, and whoever registered the signal joins the team as contributor
    when their role may read the case (the police see the outcome of their
    reports)."""
    _require_triage(user, signal)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status == Signal.Status.FILED:
        raise ValidationError(SIGNAL_NOT_OPEN)
    case = case_open(
        user=user,
        case_type=case_type,
        title=title,
        note=str(_("Opened from signal %(ref)s") % {"ref": signal.reference}),
    )
    if signal.status == Signal.Status.CONVERTED:
        signal.convert_again()
    else:
        signal.convert()
    signal.save()
    signal.cases.add(case)
    record_event(case, user, CaseEvent.Kind.SIGNAL, note=signal.reference)
    for party in signal.parties.all():
        CaseParty.objects.get_or_create(
            case=case, party=party, role=CaseParty.Role.BETROKKENE
        )
    for location in signal.locations.all():
        CaseLocation.objects.get_or_create(
            case=case, location=location, role=CaseLocation.Role.PREMISES
        )
    opener = registry.case_type(case_type).on_open_from_signal
    if opener is not None:
        opener(case=case, user=user, signal=signal)
        return case
    supplier = signal.registered_by
    if supplier.pk != user.pk and READ in role_actions(
        actor_for(supplier).role, case.data_class
    ):
        # The partner who supplied the signal follows the case it led to.
        case_team_add(
            case=case,
            user=user,
            member=supplier,
            team_role=CaseAccess.TeamRole.CONTRIBUTOR,
        )
    for member in team:
        case_team_add(
            case=case, user=user, member=member, team_role=CaseAccess.TeamRole.MEMBER
        )
    return case


@transaction.atomic
def signal_file(*, signal: Signal, user, reason: str) -> Signal:
    _require_triage(user, signal)
    if not reason.strip():
        raise ValidationError(FILE_REASON_REQUIRED)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if not can_proceed(signal.file):
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    signal.file()
    signal.filed_reason = reason.strip()
    signal.save()
    return signal
