"""The decision point: may this user do this action on this object?

Every access question of Casework is answered here, from one declarative
source (docs/access.md, "The decision point"):

* the role × data class matrix (`policy.MATRIX`), and
* the section rules below (`SECTIONS`): per kind of object inside a case —
  the kernel's deadlines, documents, legal protection, signals, team, tasks,
  and the sections a case type declares through the kernel's registry
  (`declare_section`) — whether outcome-only roles see it, which roles and
  team roles read it, and the own-organisation rule for rows that a partner
  supplied; and
* the case actions (`CASE_ACTIONS`): which roles manage the team, change a
  legal deadline, make a letter to the party; and the actions on an object
  beside a case (`OBJECT_ACTIONS`): who triages a signal.

`decide(user, action, kind, case=case, ...)` answers for one object;
`read_classes`, `row_filter` and `case_classes` turn the same rules into the
data classes, ORM filters and SQL parameters that lists and hand-written
queries use, so no rule is written twice.

permissions imports nothing of the kernel: the kernel passes what it knows
about the object as data (its kind, data class, supplier, whether it is
shared), e.g. ``decide(user, READ, "deadline", case=case)``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from .models import (
    AccessLog,
    CaseAccess,
    DataClass,
    Membership,
    Organisation,
    Role,
)
from .policy import (
    ASSIGNING_ROLES,
    CASE_OPENER_ROLES,
    MATRIX,
    OUTCOME_ONLY_ROLES,
    READ,
    SHARE,
    TABLE_CHAIR_ROLES,
    TABLE_ROLES,
    TRIAGE_ROLES,
    WRITE,
    Actor,
    actor_for,
    role_actions,
)

logger = logging.getLogger(__name__)

# --- Actions ------------------------------------------------------------------

READ_OUTCOME = "read_outcome"  # open the case: its outcome page for partners
MANAGE_TEAM = "manage_team"  # add or remove members of the case team
EXPORT = "export"  # download a document
CHANGE_TERM = "change_term"  # set, suspend, resume, extend, override a deadline
MAKE_LETTER = "make_letter"  # make a letter (document) on the case
TRIAGE = "triage"  # take a signal into triage, open a case from it, file it
CHAIR = "chair"  # plan and close a table's meetings, record its decisions
CONTRIBUTE = "contribute"  # put a subject on a table its organisation sits at
HOLD = "hold"  # hold a case and its open task: be the one who does its step
ASSIGN = "assign"  # release a case, hand it over, distribute a queue
LOOKUP_PERSON = "lookup_person"  # consult the BRP for a party of the case

ACTIONS = frozenset(
    {
        READ, READ_OUTCOME, WRITE, MANAGE_TEAM, SHARE, EXPORT, CHANGE_TERM,
        MAKE_LETTER, TRIAGE, HOLD, ASSIGN, CHAIR, CONTRIBUTE, LOOKUP_PERSON,
    }
)  # fmt: skip
READ_ACTIONS = frozenset({READ, READ_OUTCOME, EXPORT})

OWNER = CaseAccess.TeamRole.OWNER
MEMBER = CaseAccess.TeamRole.MEMBER
CONTRIBUTOR = CaseAccess.TeamRole.CONTRIBUTOR
ALL_TEAM_ROLES = frozenset(CaseAccess.TeamRole.values)
NOT_CONTRIBUTORS = frozenset({OWNER, MEMBER})


class UnknownPolicyQuestion(ValueError):
    """An action or object kind the policy does not know."""


# --- The declarative source -----------------------------------------------------


@dataclass(frozen=True)
class SectionRule:
    """Who reads one kind of object inside (or beside) a case.

    - `data_class`: the class of every object of this kind; "" when each row
      carries its own (passed to `decide` as `data_class`), and when none is
      passed the case's own class applies.
    - `outcome_readers`: whether `OUTCOME_ONLY_ROLES` (partners, the permit
      handler) see it at all.
    - `roles`: when set, only these roles read it (the matrix still applies).
    - `class_roles`: per data class, the only roles that read rows of it.
    - `team_roles`: the team roles that read it (owners and members are
      told apart from contributors, not from each other: list both or none).
    - `own_organisation`: rows carry their supplier; a reader sees its own
      organisation's rows when its role reads the class or its own items of
      it, another organisation's rows only when its role reads the class and
      the row is shared with it (or the role is in `all_compartments`).
    - `private_excluded`: rows flagged so (fiscal) are never shown to private
      organisations (WGS 1.5 lid 4, 1.7 lid 6).
    - `on_case`: the object belongs to a case: only its team reads it.
    - `own_items`: a contributor (a partner on the team, who writes nothing
      else on the case) creates rows of this kind that its own organisation
      supplies, when the rule lets its role see the kind and the matrix gives
      its role the "own" write (or W) on the row's class: the police's
      violation reports, each partner's findings in its compartment.
    """

    kind: str
    data_class: str = ""
    outcome_readers: bool = False
    roles: frozenset | None = None
    class_roles: Mapping[str, frozenset] = field(default_factory=dict)
    team_roles: frozenset = ALL_TEAM_ROLES
    own_organisation: bool = False
    all_compartments: frozenset = frozenset()
    private_excluded: bool = False
    on_case: bool = True
    own_items: bool = False


# The kernel's kinds. Case types add theirs through the registry's `Section`.
SECTIONS: dict[str, SectionRule] = {
    rule.kind: rule
    for rule in (
        # The case itself: everyone on the team whose role reads its class;
        # outcome-only roles get the outcome page (READ_OUTCOME), not the file.
        SectionRule("case", outcome_readers=True),
        SectionRule("deadline"),
        SectionRule("document"),
        # A document whose content differs per partner (the plan van aanpak
        # lists every partner's interventions): only the case director.
        SectionRule(
            "document_per_reader",
            roles=frozenset({Role.CASUSREGISSEUR}),
            team_roles=NOT_CONTRIBUTORS,
        ),
        SectionRule("letter"),
        SectionRule("legal_protection", data_class=DataClass.D2),
        SectionRule("team"),
        SectionRule("task"),
        SectionRule("history"),
        SectionRule("process"),
        # Signals: the supplier and the organisations it was shared with;
        # referrals for the persoonsgerichte aanpak (D10) only to the
        # casusregisseur and the ZVH participants (docs/domain.md §6.4).
        SectionRule(
            "signal",
            outcome_readers=True,
            own_organisation=True,
            on_case=False,
            class_roles={
                DataClass.D10: frozenset({Role.CASUSREGISSEUR, Role.PARTNER}),
            },
        ),
        # The access log (D9): the FG only, no case.
        SectionRule("access_log", data_class=DataClass.D9, on_case=False),
        # The tafels (issue 16 item 5, docs/tafels.md). A table: its chair's
        # organisation (`organisation_id`) and the organisations that take
        # part (`shared`), for the roles that sit at tables.
        SectionRule(
            "tafel",
            data_class=DataClass.D0,
            outcome_readers=True,
            roles=TABLE_ROLES,
            own_organisation=True,
            on_case=False,
        ),
        # Its chair: the chair's own organisation only (never `shared`).
        SectionRule(
            "tafel_chair",
            data_class=DataClass.D0,
            roles=TABLE_CHAIR_ROLES,
            own_organisation=True,
            on_case=False,
        ),
        # A person or address on the agenda, in the class the partner who put
        # it (`organisation_id`) gave it; `shared`: the reader's organisation
        # takes part. Fiscal rows (`flagged`) never reach private partners.
        # A case on the agenda is read as the case itself (READ_OUTCOME).
        SectionRule(
            "tafel_subject",
            outcome_readers=True,
            roles=TABLE_ROLES,
            own_organisation=True,
            private_excluded=True,
            on_case=False,
        ),
        # A decision or action point of one partner (`organisation_id`), in
        # its subject's class; `shared`: the reader's organisation chairs the
        # table (the chair keeps the minutes). Other partners do not read it.
        SectionRule(
            "tafel_decision",
            outcome_readers=True,
            roles=TABLE_ROLES,
            own_organisation=True,
            private_excluded=True,
            on_case=False,
        ),
    )
}

# Actions beyond reading: the matrix action each needs on the object's data
# class, and the roles that may take it at all (None: every role the matrix
# lets). All of them need a team role above contributor.
CASE_ACTIONS: dict[str, tuple[str, frozenset | None]] = {
    WRITE: (WRITE, None),
    SHARE: (SHARE, None),
    # Who opens cases manages their teams; the BOA does not (issue 13).
    MANAGE_TEAM: (WRITE, CASE_OPENER_ROLES),
    # Legal deadlines are set, suspended and extended by the case's lawyers,
    # not by the inspector (issue 13).
    CHANGE_TERM: (
        WRITE,
        frozenset({Role.JURIST, Role.BIBOB, Role.COORDINATOR, Role.CASUSREGISSEUR}),
    ),
    MAKE_LETTER: (WRITE, None),
    # Consulting the BRP for a person on the case (docs/lookups.md): the roles
    # that open cases and decide about persons in them, not the inspector,
    # the collection officer or a partner (issue 17 item 5).
    LOOKUP_PERSON: (WRITE, CASE_OPENER_ROLES),
}
# Letters to the party (voornemens, besluiten, correspondence) are made by
# these roles; the inspector writes only its own reports (§6.4 "own reports W").
# The collection officer sends the aanmaning (Awb 4:112); which letter each
# role makes is the letter's own declaration (`registry.Letter.roles`).
CORRESPONDENCE_ROLES = frozenset(
    {
        Role.JURIST,
        Role.BIBOB,
        Role.COORDINATOR,
        Role.CASUSREGISSEUR,
        Role.INVORDERING,
    }
)
# Actions on an object beside a case: the kinds they apply to and the roles
# that take them; each needs the read of the object as well.
OBJECT_ACTIONS: dict[str, tuple[frozenset, frozenset]] = {
    # Triage (start, open a case from the signal, file it) is for the roles
    # that open cases, on a signal they read.
    TRIAGE: (frozenset({"signal"}), TRIAGE_ROLES),
    # A table's chair plans, holds and closes its meetings and records the
    # partners' decisions; every partner at the table puts subjects on it.
    CHAIR: (frozenset({"tafel_chair"}), TABLE_CHAIR_ROLES),
    CONTRIBUTE: (frozenset({"tafel"}), TABLE_ROLES),
}


# Who holds a case (issue 16 item 4, docs/assignment.md): one person at a
# time, the one who does its open step. The rules by name, so that a refusal
# says which one refused (the kernel words them for users).
HOLD_OPEN_STEP = "toewijzing: open stap"
HOLD_TEAM = "toewijzing: lid van het team"
HOLD_STEP_ROLE = "toewijzing: rol van de stap"
ASSIGN_HOLDER = "toewijzing: houder of coördinator"


def holding_refusal(
    user,
    action: str,
    case,
    *,
    step_roles: frozenset[str] | None = frozenset(),
    organisation_id: int | None = None,
    holder_id: int | None = None,
) -> str | None:
    """The rule that keeps `user` from taking `action` (HOLD or ASSIGN) on
    the case, or None when nothing does.

    HOLD: the user is on the team above contributor and its role takes the
    case's open step: `step_roles` are the roles of the open steps (the
    kernel reads them from the case's flow); empty when no step is open (a
    closed case); None when the case type has no flow, and then the roles that
    write the case hold it. ASSIGN (release, hand over, distribute): the user
    reads the case file on its team and is its holder (`holder_id`), or a
    coordinator of the responsible organisation (`organisation_id`)."""
    actor = actor_for(user)
    on_team = (
        actor.is_known
        and READ in role_actions(actor.role, case.data_class)
        and team_role_of(user, case) == MEMBER
    )
    if action == ASSIGN:
        if not on_team:
            return HOLD_TEAM
        if holder_id is not None and holder_id == actor.user_id:
            return None
        if actor.role in ASSIGNING_ROLES and actor.organisation_id == organisation_id:
            return None
        return ASSIGN_HOLDER
    if step_roles is not None and not step_roles:
        return HOLD_OPEN_STEP
    if not on_team:
        return HOLD_TEAM
    if step_roles is None:
        may = WRITE in role_actions(actor.role, case.data_class)
    else:
        may = actor.role in step_roles
    return None if may else HOLD_STEP_ROLE


def distributes(user) -> bool:
    """Whether the user distributes the queue of its organisation's cases over
    people (the distribution page); which cases and people is `holding_refusal`
    per case."""
    return actor_for(user).role in ASSIGNING_ROLES


# Who supplies which signals (issue 17 item 6, docs/import.md): a
# bestuurlijke rapportage comes from the police (Wpg 16 lid 1 b) or the OM
# (Wjsg 39f); an MMA melding reaches the gemeente through the police (Wpg 19;
# docs/domain.md, A00 and C00). A source named here is supplied only by these
# kinds of organisation; any other source by every organisation.
SIGNAL_SUPPLIERS: dict[str, frozenset[str]] = {
    "bestuurlijke_rapportage": frozenset(
        {Organisation.Kind.POLITIE, Organisation.Kind.OM}
    ),
    "mma": frozenset({Organisation.Kind.POLITIE}),
    # A RIEC signal (aanmelding) comes from the RIEC (Wgs 2.31 lid 1).
    "riec": frozenset({Organisation.Kind.RIEC}),
}
# The rule by name, for a refusal (the partner API's problem details).
SIGNAL_SUPPLIER_RULES: dict[str, str] = {
    "bestuurlijke_rapportage": (
        "Wpg 16 lid 1 b; Wjsg 39f: bestuurlijke rapportage door politie of OM"
    ),
    "mma": "Wpg 19: melding Meld Misdaad Anoniem via de politie",
    "riec": "Wgs 2.31 lid 1: aanmelding door het RIEC",
}


def supplies_signals(user, source: str, data_class: str = "") -> bool:
    """Whether the user registers signals of `source` as its own
    organisation's (the import of a partner's file): its organisation's kind
    supplies the source (`SIGNAL_SUPPLIERS`) and its role writes the class,
    or its own items of it (the matrix); without a class, some class."""
    actor = actor_for(user)
    if not actor.is_known:
        return False
    kinds = SIGNAL_SUPPLIERS.get(source)
    if kinds is not None and actor.organisation_kind not in kinds:
        return False
    classes = [data_class] if data_class else list(MATRIX.get(actor.role, {}))
    return any(
        WRITE in role_actions(actor.role, cls) or "own" in role_actions(actor.role, cls)
        for cls in classes
    )


def organisations_informed(
    kind: str,
    *,
    case=None,
    data_class: str = "",
    organisation_id: int | None = None,
    shared_with=(),
) -> frozenset[int]:
    """The organisations that may be told that something of `kind` happened
    (outgoing notifications, docs/notifications.md): the ids of those with a
    role that would read it.

    On a case (`case`, `task`, `deadline`, ...): the organisations with a team
    row on the case (`CaseAccess.organisation`) for which some team member's
    role reads the case's class and the kind (`decide`'s rule, without the
    per-user grants: the team row is the grant). Beside a case (`signal`):
    the supplier (`organisation_id`) and the organisations it was shared with
    (`shared_with`), each when one of its roles reads the row's class
    (`data_class`) as the signal rule says. An organisation none of whose
    roles may read it is not told."""
    rule = _rule(kind)
    if rule is None:
        return frozenset()
    informed: set[int] = set()
    if rule.on_case:
        if case is None:
            _unknown(f"{kind!r} without its case")
            return frozenset()
        cls = rule.data_class or data_class or case.data_class
        rows = (
            CaseAccess.objects.filter(case_id=case.pk)
            .values_list(
                "organisation_id",
                "organisation__kind",
                "user__membership__role",
                "team_role",
            )
            .distinct()
        )
        for org_id, org_kind, role, team_role in rows:
            if org_id in informed or not role:
                continue
            if READ not in role_actions(role, case.data_class):
                continue
            actor = Actor(None, "", org_id, "", role, org_kind)
            if _may_read(actor, rule, cls, team_role, None, False, False):
                informed.add(org_id)
        return frozenset(informed)
    shared = set(shared_with)
    candidates = shared | ({organisation_id} if organisation_id else set())
    rows = (
        Membership.objects.filter(organisation_id__in=candidates)
        .values_list("organisation_id", "organisation__kind", "role")
        .distinct()
    )
    for org_id, org_kind, role in rows:
        if org_id in informed:
            continue
        actor = Actor(None, "", org_id, "", role, org_kind)
        if _may_read(
            actor, rule, data_class, None, organisation_id, org_id in shared, False
        ):
            informed.add(org_id)
    return frozenset(informed)


def declare_section(rule: SectionRule) -> None:
    """A case type's section, declared through the kernel's registry at start
    up. Declaring the same rule twice is harmless; a different rule under a
    known kind is a configuration error."""
    from django.core.exceptions import ImproperlyConfigured

    known = SECTIONS.get(rule.kind)
    if known is not None and known != rule:
        raise ImproperlyConfigured(f"access rule {rule.kind!r} declared twice")
    SECTIONS[rule.kind] = rule


# --- Answers ------------------------------------------------------------------


def _unknown(what: str) -> bool:
    """An unknown question fails loudly in development and tests and is
    refused in production."""
    if settings.DEBUG or getattr(settings, "CASEWORK_STRICT_POLICY", False):
        raise UnknownPolicyQuestion(what)
    logger.error("access policy: unknown question %s, refused", what)
    return False


# A service account (a partner API client, docs/api.md) has no team rows of
# its own to speak of: it reads through its organisation's. The rule by name
# (docs/access.md "Service accounts").
ORGANISATION_TEAM = "service account: the team rows of its organisation"


def organisation_team_role(actor, case) -> str | None:
    """ORGANISATION_TEAM: a service account is on a case's team when a user of
    its organisation is (its own rows included: a signal it supplied that
    became a case), and always as a CONTRIBUTOR: it reads what its role reads
    of the case and writes only its organisation's own items, never the case
    file. Cached on the case instance, as the grants are."""
    known = case.__dict__.setdefault("_casework_grants", {})
    key = ("organisation", actor.organisation_id)
    if key not in known:
        known[key] = CaseAccess.objects.filter(
            case_id=case.pk, organisation_id=actor.organisation_id
        ).exists()
    return CONTRIBUTOR if known[key] else None


def team_role_of(user, case) -> str | None:
    """The user's team role on the case as far as the policy tells them
    apart: MEMBER for owners and members (both hold `change_case`),
    CONTRIBUTOR, or None (not on the team). From the guardian grants
    (`services._case_grants`: cached per case, primed from the team row on
    the case page), so asking again costs nothing. A service account's is
    its organisation's (`organisation_team_role`)."""
    from .services import _case_grants

    actor = actor_for(user)
    if actor.service_account:
        return organisation_team_role(actor, case)
    grants = _case_grants(user, case)
    if "view_case" not in grants:
        return None
    return MEMBER if "change_case" in grants else CONTRIBUTOR


def _class_open(actor, rule: SectionRule, cls: str) -> bool:
    """The rule's role conditions for rows of class `cls` (the matrix aside)."""
    if not rule.outcome_readers and actor.role in OUTCOME_ONLY_ROLES:
        return False
    if rule.roles is not None and actor.role not in rule.roles:
        return False
    roles = rule.class_roles.get(cls)
    return roles is None or actor.role in roles


def read_classes(actor, kind: str) -> tuple[list[str], list[str]]:
    """The data classes of `kind` the actor reads whoever supplied the row
    (if shared with it, for own-organisation kinds), and those it reads only
    when its own organisation supplied them. The lists and the SQL of every
    selector come from here."""
    rule = _rule(kind)
    if rule is None or not actor.is_known:
        return [], []
    full, own = [], []
    classes = [rule.data_class] if rule.data_class else DataClass.values
    for cls in classes:
        if not _class_open(actor, rule, cls):
            continue
        actions = role_actions(actor.role, cls)
        if READ in actions:
            full.append(cls)
        elif "own" in actions and rule.own_organisation:
            own.append(cls)
    return full, own


def read_classes_on_case(user, kind: str, case) -> list[str]:
    """The data classes of `kind` the user reads on this case (whoever
    supplied the row): [] off the team, for a team role the rule excludes, or
    for a role the rule keeps out. For the queries of one case's rows."""
    actor = actor_for(user)
    rule = _rule(kind)
    if rule is None or not actor.is_known:
        return []
    if rule.on_case:
        if READ not in role_actions(actor.role, case.data_class):
            return []
        team_role = team_role_of(user, case)
        if team_role is None or team_role not in rule.team_roles:
            return []
    return read_classes(actor, kind)[0]


def case_classes(role: str) -> list[str]:
    """The data classes of whole cases this role opens (on its team)."""
    return [cls for cls, actions in MATRIX.get(role, {}).items() if READ in actions]


def _rule(kind: str) -> SectionRule | None:
    rule = SECTIONS.get(kind)
    if rule is None:
        _unknown(f"object kind {kind!r}")
    return rule


def _kind_of(obj) -> tuple[str, dict]:
    """A model instance as (kind, data) for `decide`. A proxy instance (a
    case type's proxy of the case, as `registry.proxy_for` makes it) is its
    concrete model's row."""
    meta = obj._meta.concrete_model._meta
    if meta.label == "casework.Case":
        return "case", {"case": obj}
    data = {"case": getattr(obj, "case", None)}
    if hasattr(obj, "data_class"):
        data["data_class"] = obj.data_class
    return meta.model_name, data


def decide(
    user,
    action: str,
    obj_or_kind,
    *,
    case=None,
    data_class: str = "",
    organisation_id: int | None = None,
    shared: bool = False,
    flagged: bool = False,
    addressed_to_party: bool = False,
    letter_roles: frozenset[str] = frozenset(),
    step_roles: frozenset[str] | None = frozenset(),
    holder_id: int | None = None,
) -> bool:
    """May `user` take `action` on the object?

    `obj_or_kind` is a kind of `SECTIONS` ("deadline", "document", "finding",
    …) with the object's facts as keywords, or a model instance (a case).
    `organisation_id`: the organisation that supplied the row (for
    own-organisation kinds); `shared`: the row is shared with the reader's
    organisation (or marked shareable); `flagged`: the row is withheld from
    private organisations; `addressed_to_party`: a letter to the party;
    `letter_roles`: the roles the letter's case type lets make it (the
    registry's `Letter.roles`; empty: every role that writes letters).
    HOLD and ASSIGN on a case: `holding_refusal`, with `step_roles`,
    `holder_id` and the responsible organisation as `organisation_id`.
    """
    if action not in ACTIONS:
        return _unknown(f"action {action!r}")
    if action in (HOLD, ASSIGN):
        if not isinstance(obj_or_kind, str):
            case = case if case is not None else obj_or_kind
        if case is None:
            return _unknown(f"action {action!r} without its case")
        refusal = holding_refusal(
            user, action, case, step_roles=step_roles,
            organisation_id=organisation_id, holder_id=holder_id,
        )  # fmt: skip
        return refusal is None
    if isinstance(obj_or_kind, str):
        kind = obj_or_kind
    else:
        kind, data = _kind_of(obj_or_kind)
        case = case if case is not None else data.get("case")
        data_class = data_class or data.get("data_class", "")
    rule = _rule(kind)
    if rule is None:
        return False
    actor = actor_for(user)
    if not actor.is_known:
        return False
    team_role = None
    if rule.on_case:
        if case is None:
            return _unknown(f"{kind!r} without its case")
        if READ not in role_actions(actor.role, case.data_class):
            return False
        team_role = team_role_of(user, case)
        if team_role is None:
            return False
    cls = rule.data_class or data_class or (case.data_class if case else "")
    if action in READ_ACTIONS:
        if kind == "case" and action == READ and actor.role in OUTCOME_ONLY_ROLES:
            return False  # the case file; READ_OUTCOME opens the outcome page
        return _may_read(actor, rule, cls, team_role, organisation_id, shared, flagged)
    if action in OBJECT_ACTIONS:
        kinds, roles = OBJECT_ACTIONS[action]
        if kind not in kinds:
            return _unknown(f"action {action!r} on {kind!r}")
        if actor.role not in roles:
            return False
        return _may_read(actor, rule, cls, team_role, organisation_id, shared, flagged)
    own = organisation_id is not None and organisation_id == actor.organisation_id
    if team_role == CONTRIBUTOR:
        # A contributor writes nothing on the case but its own organisation's
        # items of a kind that allows them.
        return (
            action == WRITE
            and rule.own_items
            and own
            and team_role in rule.team_roles
            and _class_open(actor, rule, cls)
            and bool({WRITE, "own"} & role_actions(actor.role, cls))
        )
    needed, roles = CASE_ACTIONS[action]
    if rule.on_case is False and action != SHARE:
        return False
    if roles is not None and actor.role not in roles:
        return False
    if action == MAKE_LETTER and addressed_to_party:
        if actor.role not in CORRESPONDENCE_ROLES:
            return False
    if action == MAKE_LETTER and letter_roles and actor.role not in letter_roles:
        return False
    if case is not None and WRITE not in role_actions(actor.role, case.data_class):
        return False
    actions = role_actions(actor.role, cls)
    return needed in actions or ("own" in actions and own and needed == WRITE)


def _may_read(actor, rule, cls, team_role, organisation_id, shared, flagged) -> bool:
    if team_role is not None and team_role not in rule.team_roles:
        return False
    full, own_only = read_classes(actor, rule.kind)
    if not rule.own_organisation or organisation_id is None:
        return cls in full
    if organisation_id == actor.organisation_id:
        return cls in full or cls in own_only
    if cls not in full:
        return False
    if flagged and rule.private_excluded and _is_private(actor):
        return False
    return shared or actor.role in rule.all_compartments


def _is_private(actor) -> bool:
    return actor.organisation_kind in Organisation.PRIVATE_KINDS


def require(user, action: str, obj_or_kind, **facts) -> None:
    """`decide`, or refuse: a read (and every question about an object the
    user may not see) answers 404, never 403; a write the user may read but
    not take raises PermissionDenied (the views answer it as the codebase
    does: 404 or a message)."""
    if decide(user, action, obj_or_kind, **facts):
        return
    if action in READ_ACTIONS:
        raise Http404
    raise PermissionDenied


def row_filter(
    user,
    kind: str,
    *,
    class_field: str = "data_class",
    organisation_field: str = "",
    shared: Q | None = None,
    flagged: Q | None = None,
) -> Q:
    """`decide(user, READ, kind, ...)` for every row of a queryset whose case
    the user reads, as one ORM condition (the team condition is the caller's
    queryset: the rows of one case, or `Case.objects.for_user`)."""
    actor = actor_for(user)
    full, own_only = read_classes(actor, kind)
    if not full and not own_only:
        return Q(pk__in=[])
    rule = SECTIONS[kind]
    if not rule.own_organisation:
        return Q(**{f"{class_field}__in": full})
    mine = Q(**{organisation_field: actor.organisation_id})
    others = Q(**{f"{class_field}__in": full}) & ~mine
    if actor.role not in rule.all_compartments:
        others &= shared if shared is not None else Q(pk__in=[])
    if rule.private_excluded and flagged is not None and _is_private(actor):
        others &= ~flagged
    return (mine & Q(**{f"{class_field}__in": full + own_only})) | others


# --- Refusals -----------------------------------------------------------------


def denied_budget(user) -> bool:
    """Whether one more denied-row may be written for this user this minute
    (`CASEWORK_DENIED_LOG_PER_MINUTE`, counted in the cache), so refused
    requests cannot flood the access log."""
    limit = getattr(settings, "CASEWORK_DENIED_LOG_PER_MINUTE", 30)
    minute = timezone.now().strftime("%Y%m%d%H%M")
    key = f"casework:denied:{getattr(user, 'pk', None)}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= limit


def log_refusal(
    *,
    user,
    action: str = AccessLog.Action.READ,
    object_type: str,
    key,
    obj=None,
    case=None,
    request=None,
) -> None:
    """One denied row for a refused request, whether or not the object exists
    (the same work either way, so timing tells nothing), within the user's
    budget of denied rows per minute. `key` is what the request asked for (a
    reference or id); `obj` the object when it exists."""
    from .services import log_access

    if not denied_budget(user):
        return
    log_access(
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(obj.pk if obj is not None else key)[:50],
        data_class=getattr(obj, "data_class", "") or "",
        case=case,
        result=AccessLog.Result.DENIED,
        request=request,
    )
