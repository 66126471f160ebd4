"""Persoonsgerichte aanpak: the services that change a PGA case's rows and
the reads that filter them (docs/domain.md §5, §6; WGS paragraaf 2.4).

Access rules, all checked here and in SQL:
- the casusregisseur on the team (the `CR` transition permission: role plus
  write on the case) keeps the file: referral, participants, plan,
  casusoverleggen, Top X, relations;
- a participant's user sees and updates only its own organisation's
  interventions and action points (`interventions_for`);
- health items follow their consent flags (`health_items_for`), every read
  logged;
- after closure the team loses its access (2.31 lid 8, `shield`); the FG reads
  a shielded file through `shielded_cases`, logged;
- `referral_minimise` on rejection and `retention_sweep` at the latest five
  years after first processing (1.8 lid 7) remove the personal data and write
  a `DeletionLog` row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.compiled import Compiled
from casework.models import (
    Case,
    CaseEvent,
    CaseLocation,
    CaseParty,
    Deadline,
    Document,
    Party,
    Signal,
)
from casework.rules import StepRefused, refuse
from casework.services import case_add_party, case_open, record_event
from permissions.decision import SECTIONS, decide, read_classes
from permissions.models import (
    AccessLog,
    CaseAccess,
    DataClass,
    Membership,
    Organisation,
    Role,
)
from permissions.policy import (
    READ,
    WRITE,
    actor_for,
    people,
    prime_actors,
    role_actions,
    role_permits,
)
from permissions.services import (
    log_access,
    log_sensitive_reads,
    team_add,
    team_remove,
)
from workflows.pga.machine import CODE, CR, PgaCase, PgaStatus
from workflows.pga.models import (
    ActionPoint,
    Conference,
    DeletionLog,
    Goal,
    HealthItem,
    Intervention,
    PgaParticipant,
    PgaReferral,
    Relation,
    TopXCriterion,
    TopXEntry,
    retention_limit,
)

logger = logging.getLogger(__name__)

NOT_ALLOWED = gettext_lazy("You may not change this case.")
NOT_A_PARTICIPANT = gettext_lazy(
    "%(organisation)s is not a participant of the Zorg- en Veiligheidshuis "
    "(WGS art. 2.27); add it as a third party that joins incidentally."
)
NOT_SELECTED = gettext_lazy(
    "%(organisation)s has not been selected as a participant for this case "
    "(WGS art. 2.31 lid 4)."
)
MEMBER_ELSEWHERE = gettext_lazy("%(user)s does not work for %(organisation)s.")
# A partner API client's account reads through its organisation's team rows;
# a team is made of people (WGS art. 2.31 lid 4: the participants' workers).
NOT_A_PERSON = gettext_lazy(
    "%(user)s is the account of a partner API connection, not a person: it "
    "cannot join the team."
)
REASON_NOT_INFORMED = gettext_lazy(
    "Say why the person concerned was not told about the referral."
)
NOT_IN_FUTURE = gettext_lazy("This date cannot lie in the future.")
CONSENT_DATE = gettext_lazy("Give the date the consent was recorded.")
NO_GROUND_NO_SHARING = gettext_lazy(
    "Without consent or another ground only your own organisation reads this "
    "item; do not select other readers."
)
HEALTH_NOT_ALLOWED = gettext_lazy(
    "Only a participant that supplies health data records it (WGS art. 2.29)."
)
NOT_A_CANDIDATE = gettext_lazy(
    "Only a Top X candidate can be placed on the list (WGS art. 2.32)."
)
CRITERIA_REQUIRED = gettext_lazy(
    "Tick the published criteria this person meets (WGS art. 2.32 lid 1)."
)
CRITERION_NOT_PUBLISHED = gettext_lazy(
    "Criterion %(code)s is not published or has been withdrawn."
)
ALREADY_ON_LIST = gettext_lazy("This person is already on the Top X list.")
NOT_A_PARTY = gettext_lazy("The person must be a party of this case.")
SAME_PERSON = gettext_lazy("A person cannot be related to themselves.")
DIRECTOR_NOT_ON_TEAM = gettext_lazy("The case director must be on the case team.")
REASON_REQUIRED = gettext_lazy("Give the reason.")
NOT_YET_ASKED = gettext_lazy(
    "Opened from a signal: ask the reporter whether the person has been told."
)
FILE_CLOSED = gettext_lazy(
    "This case file is closed: nothing can be added or changed any more."
)
HEALTH_SUPPLIERS_ONLY = gettext_lazy(
    "Health data is recorded by the care participants that supply it (WGS art. 2.29)."
)

# Before the public participants found that the case fits the purpose of 2.25
# (triage, D20 → D30, or a Top X placement, 2.32 lid 3), no data is exchanged
# and no participant selected (2.31 lid 2–4).
NOT_YET_ACCEPTED_STATUSES = (PgaStatus.D00, PgaStatus.D05, PgaStatus.D10, PgaStatus.D20)
RULE_ACCEPTED = "WGS art. 2.31 lid 2-4"
RULE_CLOSED = "WGS art. 2.31 lid 8"
RULE_SELECTED = "WGS art. 2.31 lid 4"
RULE_HEALTH = "WGS art. 2.29; AVG art. 9"
RULE_TOP_X = "WGS art. 2.32"
RULE_CRITERIA = "WGS art. 2.32 lid 1"
NOT_YET_ACCEPTED = gettext_lazy(
    "The case has not been accepted yet: participants are selected and data "
    "shared only once the public participants found in triage that it fits "
    "the purpose of WGS art. 2.25 (WGS art. 2.31 lid 2 to 4)."
)
# The interventions are agreed in the casusoverleg and adopted as the plan
# van aanpak before the partners carry them out (2.31 lid 5).
BEFORE_PLAN_STATUSES = (*NOT_YET_ACCEPTED_STATUSES, PgaStatus.D30, PgaStatus.D35,
                        PgaStatus.D40)  # fmt: skip
RULE_PLAN = "WGS art. 2.31 lid 5"
PLAN_NOT_ADOPTED = gettext_lazy(
    "The action plan has not been adopted yet: an intervention starts only "
    "once the case conference adopted the plan (WGS art. 2.31 lid 5)."
)

# WGS 2.27: the kinds of organisation that take part in a ZVH (public lid 1,
# private lid 2). Others join a case only incidentally (2.31 lid 9).
PARTICIPANT_KINDS = frozenset(
    {
        Organisation.Kind.GEMEENTE,
        Organisation.Kind.POLITIE,
        Organisation.Kind.OM,
        Organisation.Kind.ZVH,
        Organisation.Kind.ZORG,
    }
)
# Who supplies health data (2.29): the care participants and the ZVH.
HEALTH_SUPPLIER_KINDS = frozenset({Organisation.Kind.ZORG, Organisation.Kind.ZVH})
RETENTION_BASIS = "WGS art. 1.8 lid 7"
MINIMISE_BASIS = "WGS art. 2.31 lid 2; AVG art. 5 lid 1 c"
REVIEW_BASIS = "WGS art. 2.31 lid 6; beleid PGA"
AFTERCARE_BASIS = "Beleid PGA (nazorg)"
SHIELDED_STATUSES = (PgaStatus.D90, PgaStatus.D95)


def _today() -> date:
    return timezone.localdate()


# A rejected, closed or deleted file takes no new data (2.31 lid 8).
CLOSED_STATUSES = (PgaStatus.D25, PgaStatus.D90, PgaStatus.D95)


def _require_open(case: Case) -> None:
    status = Case.objects.values_list("status", flat=True).get(pk=case.pk)
    if status in CLOSED_STATUSES:
        raise StepRefused([refuse(RULE_CLOSED, FILE_CLOSED)])


def _require_director(case: Case, user) -> None:
    if not CR(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    _require_open(case)


def _status(case: Case) -> str:
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def is_accepted(status: str) -> bool:
    """WGS 2.31 lid 2–4: a case in `status` was accepted, so participants
    may be selected and data shared (the case file offers the selection only
    then)."""
    return status not in NOT_YET_ACCEPTED_STATUSES


def _require_accepted(case: Case) -> None:
    """WGS 2.31 lid 2–4: no participants or shared data before acceptance
    (the status as stored, not as the caller read it)."""
    if not is_accepted(_status(case)):
        raise StepRefused([refuse(RULE_ACCEPTED, NOT_YET_ACCEPTED)])


def _not_future(day: date | None) -> None:
    if day is not None and day > _today():
        raise ValidationError(NOT_IN_FUTURE)


def _membership(user) -> Membership | None:
    return Membership.objects.filter(user=user).select_related("organisation").first()


def is_director(case: Case, user) -> bool:
    """The casusregisseur on the team: sees the whole file."""
    return CR(case, user)


def on_team(case: Case, user) -> bool:
    return CaseAccess.objects.filter(case=case, user=user).exists()


# --- Referral and intake ------------------------------------------------------


@transaction.atomic
def referral_register(
    *,
    user,
    person: Party,
    reporter: Organisation,
    received_on: date,
    reason: str,
    goal: str,
    informed: bool,
    not_informed_reason: str = "",
    partners_involved: str = "",
) -> Case:
    """Register an aanmelding (2.31 lid 1): a PGA case in D00 with the person
    as betrokkene and the referral's form fields."""
    _referral_valid(reporter, informed, not_informed_reason, received_on)
    case = case_open(
        user=user,
        case_type=CODE,
        title=str(_("PGA %(name)s") % {"name": person.name})[:200],
        note=str(_("Referral by %(org)s") % {"org": reporter.name}),
    )
    referral_record(
        case=case,
        user=user,
        person=person,
        reporter=reporter,
        received_on=received_on,
        reason=reason,
        goal=goal,
        informed=informed,
        not_informed_reason=not_informed_reason,
        partners_involved=partners_involved,
    )
    return case


def _referral_valid(reporter, informed, not_informed_reason, received_on) -> None:
    if reporter.kind not in PARTICIPANT_KINDS:
        raise ValidationError(NOT_A_PARTICIPANT % {"organisation": reporter.name})
    if not informed and not not_informed_reason.strip():
        raise ValidationError(REASON_NOT_INFORMED)
    _not_future(received_on)


@transaction.atomic
def referral_record(
    *,
    case: Case,
    user,
    person: Party,
    reporter: Organisation,
    received_on: date,
    reason: str,
    goal: str,
    informed: bool,
    not_informed_reason: str = "",
    partners_involved: str = "",
) -> PgaReferral:
    """The referral's form fields on a PGA case just opened (the referral
    form, and `manage.py replay`'s facts): the person as betrokkene."""
    _referral_valid(reporter, informed, not_informed_reason, received_on)
    case_add_party(case=case, user=user, party=person, role=CaseParty.Role.BETROKKENE)
    return PgaReferral.objects.create(
        case=case,
        reporter=reporter,
        received_on=received_on,
        reason=reason,
        goal=goal,
        partners_involved=partners_involved,
        informed=informed,
        not_informed_reason="" if informed else not_informed_reason,
        process_director=user,
    )


def referral_from_signal(*, case: Case, user, signal: Signal) -> PgaReferral:
    """A PGA case opened from a signal (`signal_convert`): the referral takes
    the signal's date, supplier and summary; the casusregisseur completes the
    rest in the case file. The supplier does not join the team: participants
    are selected per case (2.31 lid 4)."""
    reporter = signal.source_organisation
    if reporter.kind not in PARTICIPANT_KINDS:
        reporter = Organisation.objects.get(pk=actor_for(user).organisation_id)
    return PgaReferral.objects.create(
        case=case,
        reporter=reporter,
        received_on=signal.received_on,
        reason=signal.summary,
        goal="",
        informed=False,
        not_informed_reason=str(NOT_YET_ASKED),
        process_director=user,
    )


@Compiled
def _referral(case_id):
    return (
        PgaReferral.objects.filter(case_id=case_id)
        .select_related("reporter", "process_director", "case_director")
        .order_by("pk")[:1]
    )


def referral_of(case: Case) -> PgaReferral | None:
    """The referral with its reporter and directors (the case file shows
    them)."""
    return next(iter(_referral(case.pk)), None)


# --- Participants and directors ---------------------------------------------


@transaction.atomic
def participant_add(
    *,
    case: Case,
    user,
    organisation: Organisation,
    legal_basis: str,
    members=(),
    incidental: bool = False,
) -> PgaParticipant:
    """Select a participant for the case (2.31 lid 4); its named users join
    the team, and only they. A third party joins only incidentally (lid 9)."""
    _require_director(case, user)
    _require_accepted(case)
    if organisation.kind not in PARTICIPANT_KINDS and not incidental:
        raise ValidationError(NOT_A_PARTICIPANT % {"organisation": organisation.name})
    if not legal_basis.strip():
        raise ValidationError(REASON_REQUIRED)
    members = list(members)
    prime_actors(members)  # their memberships in one query
    for member in members:
        actor = actor_for(member)
        if actor.organisation_id is None or actor.organisation_id != organisation.pk:
            raise ValidationError(
                MEMBER_ELSEWHERE
                % {"user": member.get_username(), "organisation": organisation.name}
            )
        if actor.service_account:
            raise ValidationError(NOT_A_PERSON % {"user": member.get_username()})
    participant, _created = PgaParticipant.objects.update_or_create(
        case=case,
        organisation=organisation,
        defaults={
            "legal_basis": legal_basis,
            "incidental": incidental,
            "selected_by": user,
        },
    )
    for member in members:
        role = actor_for(member).role
        team_role = (
            CaseAccess.TeamRole.MEMBER
            if role == Role.CASUSREGISSEUR
            else CaseAccess.TeamRole.CONTRIBUTOR
        )
        if not CaseAccess.objects.filter(case=case, user=member).exists():
            team_add(case=case, user=member, team_role=team_role)
    record_event(
        case,
        user,
        CaseEvent.Kind.TEAM,
        note=str(
            _("Participant selected: %(org)s (%(basis)s)%(incidental)s; %(users)s")
            % {
                "org": organisation.name,
                "basis": legal_basis,
                "incidental": str(_(", incidentally")) if incidental else "",
                "users": ", ".join(m.get_username() for m in members) or "–",
            }
        ),
    )
    return participant


@transaction.atomic
def participant_remove(*, participant: PgaParticipant, user) -> None:
    """The participant leaves the case; its users lose access."""
    case = participant.case
    _require_director(case, user)
    leaving = CaseAccess.objects.filter(
        case=case, organisation=participant.organisation
    ).exclude(team_role=CaseAccess.TeamRole.OWNER)
    for access in leaving.select_related("user"):
        team_remove(case=case, user=access.user)
    name = participant.organisation.name
    participant.delete()
    record_event(
        case,
        user,
        CaseEvent.Kind.TEAM,
        note=str(_("Participant removed: %(org)s") % {"org": name}),
    )


@Compiled
def _participants(case_id):
    return (
        PgaParticipant.objects.filter(case_id=case_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def participants_for(case: Case) -> list[PgaParticipant]:
    """The case's participants with their organisation, by name (a list:
    the dossier reads them on every request, `casework.compiled`)."""
    return _participants(case.pk)


# The users of one organisation shown at once when selecting a participant;
# a name filter narrows a larger organisation (issue 16 item 7).
MEMBER_PAGE = 50
MEMBER_QUERY_WORDS = 5


def participant_candidates():
    """The organisations the casusregisseur may select, by name. Those of a
    WGS 2.27 kind (`PARTICIPANT_KINDS`) take part as participants; any other
    only incidentally (2.31 lid 9): `participant_add` refuses it otherwise."""
    return Organisation.objects.order_by("name")


def joins_only_incidentally(organisation: Organisation) -> bool:
    return organisation.kind not in PARTICIPANT_KINDS


def member_candidates(case: Case, organisation: Organisation, *, query: str = "",
                      pks=None, limit: int = MEMBER_PAGE):  # fmt: skip
    """The active users of one organisation whom `participant_add` may bring
    onto the team, by name, each with `on_team`: at most `limit` + 1 rows
    (one more than shown says that more exist). `query` keeps those whose
    username, first or last name holds every word of it; `pks` only these
    users (the ones a returned form had ticked)."""
    from django.contrib.auth import get_user_model

    rows = people(
        get_user_model().objects.filter(
            membership__organisation=organisation, is_active=True
        )
    )
    for word in query.split()[:MEMBER_QUERY_WORDS]:
        rows = rows.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    if pks is not None:
        rows = rows.filter(pk__in=list(pks)[:limit])
    on_team = CaseAccess.objects.filter(case=case, user=OuterRef("pk"))
    return list(
        rows.annotate(on_team=Exists(on_team))
        .select_related("membership__organisation")
        .order_by("last_name", "first_name", "username", "pk")[: limit + 1]
    )


def intervention_owner_candidates(case: Case):
    """Who may own an intervention: a team member of one of the case's
    participants (`intervention_add` checks that the owner works for the
    intervention's partner); only the team reads the file."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        is_active=True,
        case_access__case=case,
        membership__organisation__pgaparticipant__case=case,
    )


def intervention_owners_among(team, participants) -> list:
    """`intervention_owner_candidates` picked from rows the case file read
    already: its team (users with their membership) and its participants."""
    partners = {p.organisation_id for p in participants}
    return [
        user
        for user in team
        if user.is_active
        and getattr(user, "membership", None) is not None
        and user.membership.organisation_id in partners
    ]


@transaction.atomic
def directors_assign(*, case: Case, user, case_director, process_director=None):
    """Procesregie (ZVH) and casusregie (a chain professional) — §5.1."""
    _require_director(case, user)
    for person in (case_director, process_director):
        if person is not None and not on_team(case, person):
            raise ValidationError(DIRECTOR_NOT_ON_TEAM)
    referral = PgaReferral.objects.select_for_update().get(case=case)
    referral.case_director = case_director
    if process_director is not None:
        referral.process_director = process_director
    referral.save(update_fields=["case_director", "process_director"])
    record_event(
        case,
        user,
        CaseEvent.Kind.NOTE,
        note=str(
            _("Case director: %(cd)s; process director: %(pd)s")
            % {
                "cd": case_director.get_full_name() or case_director.get_username(),
                "pd": referral.process_director.get_full_name()
                if referral.process_director
                else "–",
            }
        ),
    )
    return referral


# --- Plan van aanpak ----------------------------------------------------------


def _require_participant(case: Case, organisation: Organisation) -> None:
    if not case.pga_participants.filter(organisation=organisation).exists():
        raise StepRefused(
            [refuse(RULE_SELECTED, NOT_SELECTED, organisation=organisation.name)]
        )


@transaction.atomic
def goal_add(*, case: Case, user, life_domain: str, description: str) -> Goal:
    _require_director(case, user)
    goal = Goal(
        case=case, life_domain=life_domain, description=description, created_by=user
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_achieved(*, goal: Goal, user, achieved: bool = True) -> Goal:
    _require_director(goal.case, user)
    goal.achieved = achieved
    goal.save(update_fields=["achieved"])
    record_event(
        goal.case,
        user,
        CaseEvent.Kind.NOTE,
        note=str(
            (_("Goal achieved: %(goal)s") if achieved else _("Goal reopened: %(goal)s"))
            % {"goal": goal.description[:80]}
        ),
    )
    return goal


@transaction.atomic
def intervention_add(
    *,
    case: Case,
    user,
    organisation: Organisation,
    owner,
    kind: str,
    description: str,
    legal_basis: str,
    due_on: date,
    goal: Goal | None = None,
) -> Intervention:
    """One partner's intervention (§5.3 D40 → D50: each has an owner and its
    own legal basis). The owner works for that partner."""
    _require_director(case, user)
    _require_participant(case, organisation)
    membership = _membership(owner)
    if membership is None or membership.organisation_id != organisation.pk:
        raise ValidationError(
            MEMBER_ELSEWHERE
            % {"user": owner.get_username(), "organisation": organisation.name}
        )
    if goal is not None and goal.case_id != case.pk:
        raise ValidationError(NOT_ALLOWED)
    intervention = Intervention(
        case=case,
        goal=goal,
        organisation=organisation,
        owner=owner,
        kind=kind,
        description=description,
        legal_basis=legal_basis,
        due_on=due_on,
        updated_by=user,
    )
    intervention.full_clean()
    intervention.save()
    record_event(
        case,
        user,
        CaseEvent.Kind.NOTE,
        note=str(
            _("Intervention for %(org)s: %(text)s")
            % {"org": organisation.name, "text": description[:80]}
        ),
    )
    return intervention


def _intervention_rows(case_id):
    return Intervention.objects.filter(case_id=case_id).select_related(
        "organisation", "owner", "goal"
    )


def interventions_for(user, case: Case):
    """The casusregisseur sees all; every other team member only its own
    organisation's interventions (issue 7 item 2) — filtered in SQL."""
    return _own_rows(user, case, _intervention_rows(case.pk))


@Compiled
def _interventions(case_id, organisation_id=None, *, scope):
    return _in_scope(_intervention_rows(case_id), scope, organisation_id)


def interventions_shown(user, case: Case) -> list[Intervention]:
    """`interventions_for` as the dossier reads it on every request: the same
    rule and statement, compiled once (`casework.compiled`)."""
    return _read_in_scope(_interventions, user, case, PLAN_ITEM)


# The decision point's kind of an intervention or action point: one
# organisation's part of the plan (registration).
PLAN_ITEM = "pga_plan_item"

# An organisation id that is not the reader's: asks the decision point about
# another partner's rows of a kind (`_readable_rows`).
ANOTHER_ORGANISATION = 0


class Scope(NamedTuple):
    """Which rows of a per-partner kind a reader may read (`_scope`): every
    partner's (`every`), its own organisation's (`own`), those shared with
    it (`shared`). Flags only, not the organisation: the shape of a compiled
    statement (`casework.compiled`), the same for every reader alike."""

    every: bool
    own: bool
    shared: bool


def _scope(user, case: Case, kind: str, *, shared: bool = False) -> Scope | None:
    """What the decision point lets the user read of a per-partner kind
    ("pga_plan_item", "health_item") on `case`: its own organisation's rows,
    and another's when the role reads every compartment (the casusregisseur)
    or, where the kind has sharing (`shared`), the row is shared with it.
    None for anyone off the team."""
    actor = actor_for(user)
    if not actor.is_known:
        return None

    def may(organisation_id, is_shared=False) -> bool:
        return decide(
            user, READ, kind, case=case, organisation_id=organisation_id,
            shared=is_shared,
        )  # fmt: skip

    if may(ANOTHER_ORGANISATION):
        return Scope(every=True, own=False, shared=False)
    return Scope(
        every=False,
        own=may(actor.organisation_id),
        shared=shared and may(ANOTHER_ORGANISATION, is_shared=True),
    )


def _in_scope(rows, scope: Scope | None, organisation_id, *,
              shared: Callable[[int], Q] | None = None,
              organisation_field: str = "organisation_id"):  # fmt: skip
    """`rows` narrowed to `scope`, the reader's organisation being
    `organisation_id` (a value of its own, so that a compiled statement
    takes it as a parameter: `casework.compiled`). `shared(organisation_id)`:
    the kind's condition for a row shared with that organisation."""
    if scope is None:
        return rows.none()
    if scope.every:
        return rows
    visible = Q(pk__in=[])
    if scope.own:
        visible |= Q(**{organisation_field: organisation_id})
    if scope.shared and shared is not None:
        visible |= shared(organisation_id)
    return rows.filter(visible)


def _read_in_scope(
    read: Compiled, user, case: Case, kind: str, *, shared: bool = False
) -> list:
    """A compiled read (`read(case_id[, organisation_id], scope=…)`) of the
    rows of a per-partner kind the user may read: the scope is its shape,
    the case and, where the statement names it, the reader's organisation
    its values."""
    scope = _scope(user, case, kind, shared=shared)
    if scope is None or scope.every or not (scope.own or scope.shared):
        return read(case.pk, scope=scope)
    return read(case.pk, actor_for(user).organisation_id, scope=scope)


def _readable_rows(user, case: Case, rows, kind: str, *,
                   shared: Callable[[int], Q] | None = None,
                   organisation_field: str = "organisation_id"):  # fmt: skip
    """The rows of a per-partner kind the decision point lets the user read,
    as one filter (`_scope`, `_in_scope`)."""
    scope = _scope(user, case, kind, shared=shared is not None)
    return _in_scope(
        rows, scope, actor_for(user).organisation_id, shared=shared,
        organisation_field=organisation_field,
    )  # fmt: skip


def _own_rows(user, case: Case, rows):
    """All rows for the casusregisseur; for every other team member only its
    own organisation's; none for anyone off the team (the decision point's
    "pga_plan_item", declared in registration)."""
    return _readable_rows(user, case, rows, PLAN_ITEM)


@transaction.atomic
def intervention_update(
    *, intervention: Intervention, user, status: str, progress: str
) -> Intervention:
    """The owner's organisation (or the casusregisseur) reports progress."""
    allowed = interventions_for(user, intervention.case).filter(pk=intervention.pk)
    if not allowed.exists():
        raise PermissionDenied(NOT_ALLOWED)
    _require_open(intervention.case)
    if status in (Intervention.Status.RUNNING, Intervention.Status.DONE) and (
        _status(intervention.case) in BEFORE_PLAN_STATUSES
    ):
        raise StepRefused([refuse(RULE_PLAN, PLAN_NOT_ADOPTED)])
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    intervention.status = status
    intervention.progress = progress
    intervention.updated_by = user
    intervention.updated_at = timezone.now()
    intervention.full_clean()
    intervention.save()
    record_event(
        intervention.case,
        user,
        CaseEvent.Kind.NOTE,
        note=str(
            _("Intervention of %(org)s: %(status)s")
            % {
                "org": intervention.organisation.name,
                "status": intervention.get_status_display(),
            }
        ),
    )
    return intervention


# --- Casusoverleg -------------------------------------------------------------


@transaction.atomic
def conference_plan(
    *, case: Case, user, planned_at, agenda: str, place: str = ""
) -> Conference:
    _require_director(case, user)
    conference = Conference(
        case=case, planned_at=planned_at, place=place, agenda=agenda, created_by=user
    )
    conference.full_clean()
    conference.save()
    record_event(
        case,
        user,
        CaseEvent.Kind.NOTE,
        note=str(
            _("Case conference planned for %(when)s")
            % {"when": timezone.localtime(planned_at).strftime("%d-%m-%Y %H:%M")}
        ),
    )
    return conference


@transaction.atomic
def conference_record(
    *, conference: Conference, user, held_on: date, minutes: str, decisions: str
) -> Conference:
    _require_director(conference.case, user)
    _not_future(held_on)
    conference.held_on = held_on
    conference.minutes = minutes
    conference.decisions = decisions
    conference.full_clean()
    conference.save()
    record_event(
        conference.case,
        user,
        CaseEvent.Kind.NOTE,
        note=str(_("Case conference held on %(day)s") % {"day": f"{held_on:%d-%m-%Y}"}),
    )
    return conference


@transaction.atomic
def action_point_add(
    *,
    conference: Conference,
    user,
    description: str,
    organisation: Organisation,
    due_on: date,
) -> ActionPoint:
    _require_director(conference.case, user)
    _require_participant(conference.case, organisation)
    point = ActionPoint(
        conference=conference,
        description=description,
        organisation=organisation,
        due_on=due_on,
    )
    point.full_clean()
    point.save()
    return point


def _action_point_rows(case_id):
    return ActionPoint.objects.filter(conference__case_id=case_id).select_related(
        "organisation", "conference"
    )


def action_points_for(user, case: Case):
    return _own_rows(user, case, _action_point_rows(case.pk))


@Compiled
def _action_points(case_id, organisation_id=None, *, scope):
    return _in_scope(_action_point_rows(case_id), scope, organisation_id)


def action_points_shown(user, case: Case) -> list[ActionPoint]:
    """`action_points_for` as the dossier reads it (`interventions_shown`)."""
    return _read_in_scope(_action_points, user, case, PLAN_ITEM)


@transaction.atomic
def action_point_done(*, point: ActionPoint, user, done_on: date) -> ActionPoint:
    if not action_points_for(user, point.conference.case).filter(pk=point.pk).exists():
        raise PermissionDenied(NOT_ALLOWED)
    _require_open(point.conference.case)
    _not_future(done_on)
    point.done_on = done_on
    point.save(update_fields=["done_on"])
    return point


# --- Health data and consent (WGS 2.29) ---------------------------------------


def _health_actions(user) -> frozenset:
    return role_actions(actor_for(user).role, DataClass.D7)


@transaction.atomic
def health_item_add(
    *,
    case: Case,
    user,
    text: str,
    basis: str,
    consent_on: date | None = None,
    shared_with=(),
    conditions: str = "",
) -> HealthItem:
    """A participant records health data it supplies, with its ground for
    sharing and the organisations that may read it."""
    actor = actor_for(user)
    if not on_team(case, user) or not (
        role_permits(actor.role, WRITE, DataClass.D7, own_item=True)
    ):
        raise PermissionDenied(HEALTH_NOT_ALLOWED)
    _require_accepted(case)
    supplier = Organisation.objects.get(pk=actor.organisation_id)
    if supplier.kind not in HEALTH_SUPPLIER_KINDS:
        raise PermissionDenied(HEALTH_SUPPLIERS_ONLY)
    _require_open(case)
    if basis == HealthItem.Basis.CONSENT and consent_on is None:
        raise StepRefused([refuse(RULE_HEALTH, CONSENT_DATE)])
    _not_future(consent_on)
    shared_with = list(shared_with)
    if basis == HealthItem.Basis.NONE and shared_with:
        raise StepRefused([refuse(RULE_HEALTH, NO_GROUND_NO_SHARING)])
    for organisation in shared_with:
        _require_participant(case, organisation)
    item = HealthItem(
        case=case,
        supplier_id=actor.organisation_id,
        recorded_by=user,
        text=text,
        basis=basis,
        consent_on=consent_on,
        conditions=conditions,
    )
    item.full_clean()
    item.save()
    item.shared_with.set(shared_with)
    log_access(
        user=user,
        action=AccessLog.Action.CREATE,
        object_type="healthitem",
        object_id=item.pk,
        data_class=DataClass.D7,
        case=case,
        legal_basis_code="WGS 2.29",
    )
    return item


def may_supply_health_data(user) -> bool:
    actor = actor_for(user)
    return (
        actor.is_known
        and role_permits(actor.role, WRITE, DataClass.D7, own_item=True)
        # The organisation's kind, read with the user's membership.
        and actor.organisation_kind in HEALTH_SUPPLIER_KINDS
    )


def _shared_health_item(organisation_id) -> Q:
    """The decision point's "health_item" shared with an organisation: on a
    ground (WGS 2.29), never without one."""
    return Q(shared_with__id=organisation_id) & ~Q(basis=HealthItem.Basis.NONE)


@Compiled
def _health_items(case_id, organisation_id=None, *, scope):
    return (
        _in_scope(
            HealthItem.objects.filter(case_id=case_id),
            scope,
            organisation_id,
            shared=_shared_health_item,
            organisation_field="supplier_id",
        )  # fmt: skip
        .distinct()
        .select_related("supplier", "recorded_by")
        .prefetch_related("shared_with")
    )


def health_items_for(user, case: Case, *, request=None, reads=None) -> list[HealthItem]:
    """The health items this user may read, by their flags, in SQL; each read
    is logged (D7), all of them together (`log_sensitive_reads`). A caller
    that logs other reads of the same page passes its list as `reads`: the
    items are added to it, for the caller to log with its own."""
    items = _read_in_scope(_health_items, user, case, "health_item", shared=True)
    own = [(item, DataClass.D7, case) for item in items]
    if reads is None:
        log_sensitive_reads(user=user, reads=own, request=request)
    else:
        reads.extend(own)
    return items


# --- Top X (WGS 2.32) ---------------------------------------------------------


def published_criteria(on: date | None = None):
    on = on or _today()
    return TopXCriterion.objects.filter(published_on__lte=on).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on)
    )


@transaction.atomic
def top_x_place(*, case: Case, user, criteria, reason: str) -> TopXEntry:
    """Place a Top X candidate on the list (2.32 lid 3), against the
    published criteria (lid 1)."""
    _require_director(case, user)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != PgaStatus.D05:
        raise StepRefused([refuse(RULE_TOP_X, NOT_A_CANDIDATE)])
    criteria = list(criteria)
    if not criteria:
        raise StepRefused([refuse(RULE_CRITERIA, CRITERIA_REQUIRED)])
    published = set(published_criteria().values_list("pk", flat=True))
    for criterion in criteria:
        if criterion.pk not in published:
            raise StepRefused(
                [refuse(RULE_CRITERIA, CRITERION_NOT_PUBLISHED, code=criterion.code)]
            )
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    if TopXEntry.objects.filter(case=case, removed_on__isnull=True).exists():
        raise ValidationError(ALREADY_ON_LIST)
    entry = TopXEntry.objects.create(case=case, placed_by=user, reason=reason)
    entry.criteria.set(criteria)
    record_event(
        case,
        user,
        CaseEvent.Kind.NOTE,
        note=str(
            _("Placed on the Top X list (%(codes)s)")
            % {"codes": ", ".join(c.code for c in criteria)}
        ),
    )
    return entry


@transaction.atomic
def top_x_remove(*, entry: TopXEntry, user, reason: str) -> TopXEntry:
    """Remove without delay once the placement is no longer necessary
    (2.32 lid 4)."""
    _require_director(entry.case, user)
    return _top_x_end(entry, user, reason)


def _top_x_end(entry: TopXEntry, user, reason: str) -> TopXEntry:
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    if entry.removed_on is None:
        entry.removed_on = _today()
        entry.removed_by = user
        entry.removal_reason = reason
        entry.save(update_fields=["removed_on", "removed_by", "removal_reason"])
        record_event(
            entry.case,
            user,
            CaseEvent.Kind.NOTE,
            note=str(_("Removed from the Top X list: %(reason)s") % {"reason": reason}),
        )
    return entry


def top_x_list(user):
    """The placements the decision point lets this user read (open ones
    first): on PGA cases where its team row and role pass the "top_x" rule
    (the casusregisseur, not a contributor) — from the team rows, as
    `Case.objects.for_user`."""
    actor = actor_for(user)
    classes, _own = read_classes(actor, "top_x")
    if not classes:
        return TopXEntry.objects.none()
    visible = CaseAccess.objects.filter(
        user_id=actor.user_id,
        case_type=CODE,
        data_class__in=classes,
        team_role__in=SECTIONS["top_x"].team_roles,
    ).values("case_id")
    return (
        TopXEntry.objects.filter(case__in=visible)
        .select_related("case", "placed_by")
        .prefetch_related("criteria")
        .order_by("removed_on", "-placed_on", "-id")
    )


# --- The case file's rows, as the dossier reads them --------------------------
# Each compiled once per process (`casework.compiled`): the dossier reads them
# all on every request.


@Compiled
def _goals(case_id):
    return Goal.objects.filter(case_id=case_id)


def goals_of(case: Case) -> list[Goal]:
    return _goals(case.pk)


@Compiled
def _conferences(case_id):
    return Conference.objects.filter(case_id=case_id).order_by("-planned_at")


def conferences_of(case: Case) -> list[Conference]:
    """Newest planned first."""
    return _conferences(case.pk)


@Compiled
def _top_x(case_id):
    return TopXEntry.objects.filter(case_id=case_id).prefetch_related("criteria")


def top_x_of(case: Case) -> list[TopXEntry]:
    """The case's Top X placements with their criteria (the casusregisseur's)."""
    return _top_x(case.pk)


@Compiled
def _relations(case_id):
    return Relation.objects.filter(case_id=case_id).select_related("other")


def relations_of(case: Case) -> list[Relation]:
    """The person's relations recorded on the case (the casusregisseur's)."""
    return _relations(case.pk)


# --- Relations and the network view -------------------------------------------


@Compiled
def _person_link(case_id):
    return (
        CaseParty.objects.filter(case_id=case_id, role=CaseParty.Role.BETROKKENE)
        .select_related("party")
        .order_by("id")[:1]
    )


def person_of(case: Case) -> Party | None:
    """The person the case is about: its first party as betrokkene."""
    link = next(iter(_person_link(case.pk)), None)
    return link.party if link else None


@transaction.atomic
def relation_add(
    *, case: Case, user, other: Party, kind: str, note: str = ""
) -> Relation:
    _require_director(case, user)
    subject = person_of(case)
    if subject is None:
        raise ValidationError(NOT_A_PARTY)
    if other.pk is None:
        other.full_clean()
        other.save()
    if other.pk == subject.pk:
        raise ValidationError(SAME_PERSON)
    relation = Relation(
        case=case, subject=subject, other=other, kind=kind, note=note, recorded_by=user
    )
    relation.full_clean()
    relation.save()
    record_event(
        case,
        user,
        CaseEvent.Kind.NOTE,
        note=str(
            _("Relation recorded: %(name)s (%(kind)s)")
            % {"name": other.name, "kind": relation.get_kind_display()}
        ),
    )
    return relation


@dataclass
class NetworkNode:
    party: Party
    kind: str  # relation label; "" for the person concerned
    note: str = ""
    cases: list = field(default_factory=list)


def network_for(user, case: Case) -> tuple[NetworkNode | None, list[NetworkNode]]:
    """The person concerned and their relations, each with the cases the user
    may see (`Case.objects.for_user`): a case the user cannot open is not
    shown, not even as a count. Two queries for the cases, whatever the size
    of the network."""
    subject = person_of(case)
    if subject is None:
        return None, []
    relations = list(
        Relation.objects.filter(case=case).select_related("other").order_by("id")
    )
    people = [subject.pk] + [r.other_id for r in relations]
    links = (
        CaseParty.objects.filter(
            party_id__in=people, case__in=Case.objects.for_user(user)
        )
        .select_related("case")
        .order_by("-case__opened_at")
    )
    by_person: dict[int, list[Case]] = {}
    for link in links:
        cases = by_person.setdefault(link.party_id, [])
        if link.case not in cases and link.case_id != case.pk:
            cases.append(link.case)
    centre = NetworkNode(subject, "", cases=by_person.get(subject.pk, []))
    nodes = [
        NetworkNode(
            r.other, r.get_kind_display(), r.note, by_person.get(r.other_id, [])
        )
        for r in relations
    ]
    return centre, nodes


# --- Closure, minimisation, shielding and retention ---------------------------


def _delete(rows) -> int:
    """How many rows of the queryset's own model were deleted: `delete()[0]`
    also counts the cascaded and many-to-many rows (a health item's readers,
    a conference's action points), which would overstate the deletion log."""
    return rows.delete()[1].get(rows.model._meta.label, 0)


def _erase(case: Case) -> dict[str, int]:
    """Delete the personal data of a PGA case; keep the case row, its status
    history (without notes) and its deadlines. Persons no other case, signal or
    relation refers to are deleted too. Returns what was removed."""
    removed: dict[str, int] = {}
    people = list(
        CaseParty.objects.filter(case=case).values_list("party_id", flat=True)
    )
    related = list(
        Relation.objects.filter(case=case).values_list("other_id", flat=True)
    )
    removed["relations"] = _delete(Relation.objects.filter(case=case))
    removed["health_items"] = _delete(HealthItem.objects.filter(case=case))
    removed["interventions"] = _delete(Intervention.objects.filter(case=case))
    removed["goals"] = _delete(Goal.objects.filter(case=case))
    removed["conferences"] = _delete(Conference.objects.filter(case=case))
    removed["documents"] = _delete(Document.objects.filter(case=case))
    removed["case_parties"] = _delete(CaseParty.objects.filter(case=case))
    removed["case_locations"] = _delete(CaseLocation.objects.filter(case=case))
    removed["event_notes"] = (
        CaseEvent.objects.filter(case=case).exclude(note="").update(note="")
    )
    orphans = (
        Party.objects.filter(pk__in=set(people) | set(related))
        .exclude(cases__isnull=False)
        .exclude(signals__isnull=False)
        .exclude(pga_related_to__isnull=False)
        .exclude(pk__in=Relation.objects.values("subject_id"))
    )
    removed["persons"] = _delete(
        Party.objects.filter(pk__in=list(orphans.values_list("pk", flat=True)))
    )
    PgaReferral.objects.filter(case=case).update(
        reason="",
        goal="",
        partners_involved="",
        not_informed_reason="",
        triage_report="",
    )
    return {key: value for key, value in removed.items() if value}


@transaction.atomic
def referral_minimise(*, case: Case, user, advice: str) -> DeletionLog:
    """A rejected referral (D25): keep only what the advice to the reporter
    and the minimal log need (docs/domain.md §5.2 D25). A Top X candidate
    rejected after placement leaves the list with it (2.32 lid 4)."""
    referral = PgaReferral.objects.select_for_update().get(case=case)
    for entry in TopXEntry.objects.filter(case=case, removed_on__isnull=True):
        _top_x_end(entry, user, str(PgaStatus.D25.label))
    removed = _erase(case)
    referral.refresh_from_db()
    referral.advice = advice
    referral.minimised_at = timezone.now()
    referral.save(update_fields=["advice", "minimised_at"])
    Case.objects.filter(pk=case.pk).update(
        title=str(
            _("Referral of %(day)s (minimised)")
            % {"day": f"{referral.received_on:%d-%m-%Y}"}
        )[:200]
    )
    return DeletionLog.objects.create(
        case_id_kept=case.pk,
        case_reference=case.reference,
        action=DeletionLog.Action.MINIMISED,
        basis=MINIMISE_BASIS,
        performed_by=user.get_username(),
        removed=removed,
    )


@transaction.atomic
def shield(*, case: Case, user) -> list[str]:
    """After closure the data is shielded (2.31 lid 8): nobody on the team
    keeps access; the FG reads it through `shielded_cases` until deletion.
    Open Top X placements end with the case (2.32 lid 4)."""
    for entry in TopXEntry.objects.filter(case=case, removed_on__isnull=True):
        _top_x_end(entry, user, str(_("Case closed")))
    team = list(
        CaseAccess.objects.filter(case=case).select_related("user").order_by("id")
    )
    for access in team:
        team_remove(case=case, user=access.user)
    names = [access.user.get_username() for access in team]
    record_event(
        case,
        user,
        CaseEvent.Kind.TEAM,
        note=str(
            _("Data shielded (WGS art. 2.31 lid 8); access ended for: %(names)s")
            % {"names": ", ".join(names)}
        ),
    )
    return names


def may_read_shielded(user) -> bool:
    return actor_for(user).role == Role.FG


def shielded_cases(user):
    """Closed PGA cases for the FG (the archivist's task in §6.4 rule 5)."""
    if not may_read_shielded(user):
        return Case.objects.none()
    return (
        Case.objects.filter(case_type=CODE, status__in=SHIELDED_STATUSES)
        .select_related("pga_referral")
        .order_by("-opened_at")
    )


def shielded_case_read(user, reference: str, *, request=None) -> Case:
    """One shielded case for the FG; the read is logged."""
    case = shielded_cases(user).filter(reference=reference).first()
    if case is None:
        raise Case.DoesNotExist
    log_access(
        user=user,
        action=AccessLog.Action.READ,
        object_type="case",
        object_id=case.pk,
        data_class=case.data_class,
        case=case,
        purpose_code="shielded-review",
        legal_basis_code="WGS 2.31 lid 8",
        request=request,
    )
    return case


@transaction.atomic
def retention_hold_set(*, case: Case, user, reason: str) -> PgaReferral:
    """The FG records the legal rule or claim that keeps a shielded file past
    the five-year limit (WGS 1.8 lid 7 "tenzij"); an empty reason lifts the
    hold. Logged like every other processing of the file."""
    if not may_read_shielded(user) or case.status not in SHIELDED_STATUSES:
        raise PermissionDenied(NOT_ALLOWED)
    referral = PgaReferral.objects.select_for_update().get(case=case)
    referral.retention_hold = reason.strip()
    referral.save(update_fields=["retention_hold"])
    log_access(
        user=user,
        action=AccessLog.Action.UPDATE,
        object_type="pgareferral",
        object_id=referral.pk,
        data_class=case.data_class,
        case=case,
        purpose_code="retention-hold",
        legal_basis_code="WGS 1.8 lid 7",
    )
    return referral


@dataclass
class SweepResult:
    anonymised: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def retention_sweep(*, today: date | None = None, dry_run: bool = False) -> SweepResult:
    """WGS 1.8 lid 7: at the latest five years after first processing the data
    is deleted or anonymised, unless a legal rule or claim requires otherwise.

    Closed (D90) and rejected (D25) cases past the limit are anonymised and
    move to D95, each with a `DeletionLog` row. A case still open past the
    limit is reported as overdue: the casusregisseur and the FG must decide,
    the sweep does not delete data that is still being processed. A case with
    a recorded hold is reported and kept. `dry_run` reports what would be
    anonymised and changes nothing."""
    today = today or _today()
    result = SweepResult()
    referrals = (
        PgaReferral.objects.filter(received_on__lte=today - timedelta(days=365 * 5 - 2))
        .exclude(case__status=PgaStatus.D95)
        .select_related("case")
        .order_by("received_on", "id")
    )
    for referral in referrals:
        if retention_limit(referral.received_on) > today:
            continue
        case = referral.case
        if referral.retention_hold.strip():
            result.held.append(case.reference)
        elif case.status in (PgaStatus.D90, PgaStatus.D25):
            if not dry_run:
                try:
                    _anonymise(case)
                except Exception:  # one file must not stop the others
                    logger.exception("Retention sweep failed for %s", case.reference)
                    result.failed.append(case.reference)
                    continue
            result.anonymised.append(case.reference)
        else:
            result.overdue.append(case.reference)
    return result


SWEEP_USERNAME = "casework-system"


def sweep_user():
    """The history names the retention sweep as its actor: an account that
    cannot log in (inactive, no password, no membership)."""
    from django.contrib.auth import get_user_model

    user, created = get_user_model().objects.get_or_create(
        username=SWEEP_USERNAME,
        defaults={
            "is_active": False,
            "first_name": "Casework",
            "last_name": "(system)",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def _anonymise(case: Case) -> None:
    """One file at a time, each in its own transaction: a file that fails
    does not undo the others."""
    case = PgaCase.objects.select_for_update().get(pk=case.pk)
    source = case.status
    removed = _erase(case)
    PgaReferral.objects.filter(case=case).update(
        advice="", case_director=None, process_director=None
    )
    removed["top_x_entries"] = _delete(TopXEntry.objects.filter(case=case))
    Signal.cases.through.objects.filter(case_id=case.pk).delete()
    case.anonymise()  # the transition; its permission admits no user
    case.title = str(_("Anonymised"))
    case.closed_at = case.closed_at or timezone.now()
    case.save()
    CaseEvent.objects.create(
        case=case,
        actor=sweep_user(),
        kind=CaseEvent.Kind.STATUS,
        from_status=source,
        to_status=case.status,
        note=str(_("Retention sweep (%(basis)s)") % {"basis": RETENTION_BASIS}),
    )
    for access in CaseAccess.objects.filter(case=case).select_related("user"):
        team_remove(case=case, user=access.user)
    DeletionLog.objects.create(
        case_id_kept=case.pk,
        case_reference=case.reference,
        action=DeletionLog.Action.ANONYMISED,
        basis=RETENTION_BASIS,
        performed_by="retention sweep",
        removed={key: value for key, value in removed.items() if value},
    )


def open_review_deadlines(case: Case):
    return Deadline.objects.filter(
        case=case,
        legal_basis__in=[REVIEW_BASIS, AFTERCARE_BASIS],
        state__in=[Deadline.State.OPEN, Deadline.State.MISSED],
    )
