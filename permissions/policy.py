"""The one access policy: "may this user do this action on this object".

allow = role permits (action, data class)
        ∧ user is on the case team (for anything inside a case)
        ∧ the item is shareable with the user's organisation

(docs/domain.md §6.4, enforcement rule 1). Lists apply the same rule in SQL through
the `for_user()` querysets, which call `readable_classes` and `team_case_ids`.
"""

from dataclasses import dataclass

from .models import DataClass, Membership, Role

READ = "read"
WRITE = "write"
SHARE = "share"

R = frozenset({READ})
RW = frozenset({READ, WRITE})
RWS = frozenset({READ, WRITE, SHARE})
# "Own items": the role may read and write an item only when its own
# organisation supplied it (the partner portal rows of §6.4).
OWN = frozenset({"own"})

D = DataClass

# Role × data class → actions, from docs/domain.md §6.4 (a proposal there; the FG and
# a municipal lawyer sign it off before production). Missing = no access.
MATRIX: dict[str, dict[str, frozenset]] = {
    Role.BURGEMEESTER: {
        D.D0: R, D.D1: R, D.D2: RW, D.D3: R, D.D4: R, D.D5: R, D.D8: R, D.D10: R,
    },
    Role.JURIST: {
        D.D0: RW, D.D1: RW, D.D2: RW, D.D3: R, D.D4: R, D.D8: R, D.D10: R,
    },
    Role.BIBOB: {
        D.D0: RW, D.D1: RW, D.D2: RW, D.D3: R, D.D4: R, D.D5: RWS, D.D6: R, D.D10: R,
    },
    # The coordinator sees each partner's findings on the visits it runs
    # (integrale controle); partners see only their own.
    Role.COORDINATOR: {
        D.D0: RW, D.D1: RW, D.D2: RW, D.D3: R, D.D4: R, D.D6: R, D.D10: R,
    },
    Role.CASUSREGISSEUR: {
        D.D0: RW, D.D1: RW, D.D2: R, D.D3: R, D.D4: R, D.D7: R, D.D10: RW,
    },
    # Inspectors register their own findings as signals (D0), beyond §6.4's R.
    Role.TOEZICHT: {D.D0: RW, D.D1: R, D.D2: RW},
    Role.INVORDERING: {D.D0: R, D.D1: R, D.D2: R, D.D8: RW},
    Role.PARTNER: {
        D.D0: R, D.D1: R, D.D2: OWN, D.D3: OWN, D.D4: OWN, D.D6: OWN, D.D7: OWN,
        D.D10: R,
    },
    # The permit handler: metadata and identification of the cases it is on
    # (outcome only, below). A Bibob case (D5) it follows through its own
    # page (workflows.bibob.selectors.outcome_for_permit_handler).
    Role.VERGUNNING: {D.D0: R, D.D1: R},
    Role.FG: {D.D9: R},
    Role.BEHEERDER: {},
}  # fmt: skip

# External participants (politie, OM, Belastingdienst) see the outcome of the
# cases they contribute to — status, their own reports — not the legal
# deliberation: no history notes, deadlines, parties or process (issue 4,
# docs/domain.md §6.4 "External participant").
# The permit handler likewise sees where a case stands, not its assessment.
OUTCOME_ONLY_ROLES = frozenset({Role.PARTNER, Role.VERGUNNING})

# Roles that take signals into triage for their organisation.
TRIAGE_ROLES = frozenset(
    {Role.JURIST, Role.BIBOB, Role.COORDINATOR, Role.CASUSREGISSEUR}
)
# Roles that may open cases and manage case teams.
CASE_OPENER_ROLES = TRIAGE_ROLES
# The tafels (issue 16 item 5, docs/tafels.md): the roles that sit at an
# ondermijningstafel, veiligheidstafel or handhavingsoverleg for their
# organisation, and those that chair one for theirs (they open the cases its
# action points become).
TABLE_ROLES = frozenset(
    {
        Role.BURGEMEESTER, Role.JURIST, Role.BIBOB, Role.COORDINATOR,
        Role.CASUSREGISSEUR, Role.TOEZICHT, Role.PARTNER,
    }
)  # fmt: skip
TABLE_CHAIR_ROLES = CASE_OPENER_ROLES
# Besides a case's holder, these roles of the case's responsible organisation
# (on its team) release a case, hand it over and distribute a queue of cases
# over people (issue 16 item 4, docs/assignment.md).
ASSIGNING_ROLES = frozenset({Role.COORDINATOR})


@dataclass(frozen=True)
class Actor:
    """What the policy needs to know about a user, read once per request."""

    user_id: int | None
    username: str
    organisation_id: int | None
    organisation_name: str
    role: str
    organisation_kind: str = ""
    # A service account (a partner API client, docs/api.md): it reads
    # through its organisation's team rows (`decision.ORGANISATION_TEAM`).
    service_account: bool = False

    @property
    def is_known(self) -> bool:
        return self.organisation_id is not None


NOBODY = Actor(None, "", None, "", "")

# The users that are service accounts, named by an upper app (the partner
# API registers its clients' accounts, api/apps.py): a callable that returns
# a queryset with a `user_id` column. permissions imports nothing of it; the
# membership query asks EXISTS on it, so the actor costs no further query.
SERVICE_ACCOUNTS: list = []


def register_service_accounts(user_ids) -> None:
    """Name the service accounts: `user_ids()` is a queryset of their ids
    (as `user_id`). Called once at start-up."""
    SERVICE_ACCOUNTS[:] = [user_ids]


def people(users):
    """`users` without the service accounts (partner API clients): those who
    may be picked as a person — a participant's member on a team, an
    assignee. A service account reads through its organisation's team rows
    (`decision.team_role_of`), never as a member of a team."""
    if SERVICE_ACCOUNTS:
        return users.exclude(pk__in=SERVICE_ACCOUNTS[0]())
    return users


# Every request reads its user's membership (`actor_for`). An upper layer may
# register a reader that runs the same statement compiled once (the kernel
# does, `casework.compiled`); permissions imports nothing of it.
MEMBERSHIP_READER: list = []


def register_membership_reader(read) -> None:
    """`read(user_id, service_accounts=…)`: the list `membership_statement`
    reads. Called once at start-up."""
    MEMBERSHIP_READER[:] = [read]


def membership_statement(user_id, *, service_accounts: bool):
    """`actor_for`'s read of one user's membership (at most one row), with
    its organisation and whether the user is a service account.
    `service_accounts`: whether any are registered, which adds that column
    (the statement's shape for a compiled reader)."""
    return _memberships().filter(user_id=user_id)[:1]


def actor_for(user) -> Actor:
    """The user's organisation and role; cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return NOBODY
    cached = getattr(user, "_casework_actor", None)
    if cached is not None:
        return cached
    compiled = MEMBERSHIP_READER and type(user.pk) is int
    read = MEMBERSHIP_READER[0] if compiled else _read_membership
    found = read(user.pk, service_accounts=bool(SERVICE_ACCOUNTS))
    return _cache_actor(user, found[0] if found else None)


def _read_membership(user_id, *, service_accounts: bool) -> list:
    return list(membership_statement(user_id, service_accounts=service_accounts))


def prime_actors(users) -> None:
    """`actor_for` of every user in `users` at once: one query for all their
    memberships instead of one each (the people of a distribution, whose
    every pair with a case the decision point is asked about)."""
    waiting = {
        user.pk: user
        for user in users
        if getattr(user, "is_authenticated", False)
        and getattr(user, "_casework_actor", None) is None
    }
    if not waiting:
        return
    found = {m.user_id: m for m in _memberships().filter(user_id__in=waiting)}
    for pk, user in waiting.items():
        _cache_actor(user, found.get(pk))


def _memberships():
    """Memberships with their organisation and whether the user is a
    service account, in one query."""
    memberships = Membership.objects.select_related("organisation")
    if SERVICE_ACCOUNTS:
        from django.db.models import Exists, OuterRef

        memberships = memberships.annotate(
            service_account=Exists(
                SERVICE_ACCOUNTS[0]().filter(user_id=OuterRef("user_id"))
            )
        )
    return memberships


def _cache_actor(user, membership) -> Actor:
    if membership is None:
        actor = Actor(user.pk, user.get_username(), None, "", "")
    else:
        actor = Actor(
            user.pk,
            user.get_username(),
            membership.organisation_id,
            membership.organisation.name,
            membership.role,
            membership.organisation.kind,
            bool(getattr(membership, "service_account", False)),
        )
        # base.html shows user.membership.organisation on every page; keep the
        # row just read so the header costs no further queries.
        user.membership = membership
    user._casework_actor = actor
    return actor


def role_actions(role: str, data_class: str) -> frozenset:
    return MATRIX.get(role, {}).get(data_class, frozenset())


def role_permits(
    role: str, action: str, data_class: str, *, own_item: bool = False
) -> bool:
    actions = role_actions(role, data_class)
    if action in actions:
        return True
    return "own" in actions and own_item and action in (READ, WRITE)


def readable_classes(role: str) -> list[str]:
    """Data classes this role may read in general (own-item classes included;
    the item check narrows them)."""
    return [cls for cls, actions in MATRIX.get(role, {}).items() if actions]


def item_shareable_with(
    *, source_organisation_id: int | None, shared_with_ids, organisation_id: int
) -> bool:
    """An item inside a case is visible to the organisation that supplied it and
    to the organisations it was shared with under a legal basis."""
    if source_organisation_id is None or source_organisation_id == organisation_id:
        return True
    return organisation_id in set(shared_with_ids)
