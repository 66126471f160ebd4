"""Who holds a case: claim, release, hand over, distribute (issue 16, item 4).

A case is held by one person at a time, `Case.assignee`: the one who does its
open step. Who may hold it, and who may give it to someone else, is the
decision point's (`permissions.decision.holding_refusal`: HOLD and ASSIGN);
this module passes it the facts it needs — the roles that take the case's open
step, read from the case type's flow — and words its refusals for users
(`casework.rules.Refusal`, with the rule's name).

The open task of the case's flow has the same holder as its `owner` (viewflow's
assign, unassign and reassign), so the flow and the case never disagree. A
step that passes the case to another role gives it back to the team
(`case_step_taken`, called by `services.case_transition`). Every change of
holder writes an `Assignment` row in the same transaction (docs/assignment.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from viewflow.workflow.status import STATUS

from permissions.decision import (
    ASSIGN,
    ASSIGN_HOLDER,
    HOLD,
    HOLD_OPEN_STEP,
    HOLD_TEAM,
    decide,
    distributes,
    holding_refusal,
)
from permissions.models import CaseAccess, Membership, Role
from permissions.policy import actor_for, prime_actors
from permissions.selectors import team_row_lookups
from permissions.services import prime_case_grants, prime_team_grants

from .expressions import Const
from .flows import flow_for, open_tasks, phase_named, phases_of_role
from .models import Assignment, Case, CaseEvent, ListEntry
from .rules import Refusal, StepRefused
from .selectors import (
    URL_SAFE,
    CaseCount,
    _case_url_parts,
    count_cases,
    rule_key,
    short_date,
)

# The case's own state, beside the decision point's rules.
RULE_HELD = "toewijzing: al in handen"
RULE_NOT_HELD = "toewijzing: niet in handen"

NOTE_REQUIRED = gettext_lazy("Say in a note why you hand the case over.")
# Mijn werk shows this many rows per group, and counts a group up to
# WORK_COUNT_LIMIT, then "100+" (docs/decisions/0010-bounded-case-count.md,
# "Mijn werk's groups"): a work queue of more than a hundred steps reads the
# same whatever its size, and counting it then costs what a small one costs.
# The case list, the saved views and the distribution queue count to
# COUNT_LIMIT (1000).
GROUP_ROWS = 10
WORK_COUNT_LIMIT = 100
# The distribution page lists at most this many cases of the queue, the
# oldest: a page of the case list's size (docs/assignment.md, "The queue at
# scale"); what is given leaves the queue and the next oldest take its place.
QUEUE_LIMIT = 50


# --- The facts for the decision point ---------------------------------------


@dataclass(frozen=True)
class Step:
    """The open step of a case: its phase label and role (from the flow)."""

    label: str
    role: str

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def open_step(case) -> Step | None:
    """The case's open step, from its status and its type's flow (no query):
    None for a closed case, a case type without a flow, or a status past the
    flow's end."""
    flow_class = flow_for(case)
    if flow_class is None or case.closed_at is not None:
        return None
    name = flow_class.phase_of.get(case.status)
    phase = next((p for p in flow_class.phases if p.name == name), None)
    return None if phase is None else Step(str(phase.label), phase.role)


def step_roles(case) -> frozenset[str] | None:
    """The roles that take the case's open step, as the decision point asks
    them: None when the case type has no flow (the roles that write the case
    hold it), empty when no step is open."""
    if flow_for(case) is None and case.closed_at is None:
        return None
    step = open_step(case)
    return frozenset() if step is None else frozenset({step.role})


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


def hold_refusal(person, case) -> Refusal | None:
    """Why `person` may not hold the case, worded; None when it may."""
    rule = holding_refusal(person, HOLD, case, step_roles=step_roles(case))
    if rule is None:
        return None
    step = open_step(case)
    values = {"person": person_name(person)}
    if rule == HOLD_OPEN_STEP:
        message = _("This case has no open step, so nobody holds it.")
    elif rule == HOLD_TEAM:
        message = _("%(person)s is not on the team of this case as a member.")
    elif step is None:
        message = _("The role of %(person)s may not work on this case.")
    else:
        message = _(
            "%(person)s may not hold this case: its open step “%(step)s” is "
            "for the role %(role)s."
        )
        values.update(step=step.label, role=step.role_label)
    return Refusal(rule=rule, message=message % values)


def assign_refusal(user, case) -> Refusal | None:
    """Why `user` may not release the case or hand it over; None when it may."""
    rule = holding_refusal(
        user,
        ASSIGN,
        case,
        organisation_id=case.responsible_organisation_id,
        holder_id=case.assignee_id,
    )
    if rule is None:
        return None
    if rule == ASSIGN_HOLDER:
        message = _(
            "Only the person who holds this case, or a coordinator of its "
            "organisation, may release it or hand it over."
        )
    else:
        message = _("You are not on the team of this case as a member.")
    return Refusal(rule=rule, message=message)


def may_hold(user, case) -> bool:
    return decide(user, HOLD, case, step_roles=step_roles(case))


def may_assign(user, case) -> bool:
    return decide(
        user,
        ASSIGN,
        case,
        organisation_id=case.responsible_organisation_id,
        holder_id=case.assignee_id,
    )


# --- Writes -------------------------------------------------------------------


def _locked(case) -> Case:
    """The case row, locked until the transaction ends: two hand-overs of one
    case queue, and the second sees the first's holder."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _refuse(*refusals: Refusal | None) -> None:
    found = [r for r in refusals if r is not None]
    if found:
        raise StepRefused(found)


def _held_by(case, person) -> Refusal | None:
    if case.assignee_id == person.pk:
        return Refusal(
            rule=RULE_HELD,
            message=_("%(person)s already holds this case.")
            % {"person": person_name(person)},
        )
    return None


def _hand(case, *, actor, to, kind: str, note: str = "") -> Assignment:
    """Give the case to `to` (None: back to the team), with its open task,
    and record it. The caller holds the case row lock."""
    return _hand_all([(case, to)], actor=actor, kind=kind, note=note)[0]


def _hand_all(pairs, *, actor, kind: str, note: str = "") -> list[Assignment]:
    """Give each case of `pairs` ((case, person or None)) to its person, with
    its open task, and record each: one UPDATE per person, and the Assignment
    rows and history lines each in one INSERT, whatever the number of cases;
    the tasks go through viewflow one by one (`_sync_tasks`). The caller
    holds the case row locks."""
    previous = {case.pk: case.assignee_id for case, _to in pairs}
    given: dict[int | None, list[int]] = {}
    for case, to in pairs:
        given.setdefault(None if to is None else to.pk, []).append(case.pk)
    for holder_id, ids in given.items():
        Case.objects.filter(pk__in=ids).update(assignee_id=holder_id)
    for case, to in pairs:
        case.assignee_id = None if to is None else to.pk
        _sync_tasks(case, to)
    rows = Assignment.objects.bulk_create(
        Assignment(
            case=case,
            kind=kind,
            actor=actor,
            from_user_id=previous[case.pk],
            to_user=to,
            note=note,
        )
        for case, to in pairs
    )
    # The line on each case's history, which the case page shows with the
    # rest (the Assignment row keeps the people). Written without save(): no
    # receiver listens to a holder line (notifications.receivers reads
    # opened and status lines only).
    earlier = get_user_model().objects.in_bulk(
        {pk for pk in previous.values() if pk is not None}
    )
    team = _("the team")
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            actor=actor,
            kind=CaseEvent.Kind.HOLDER,
            note=f"{row.get_kind_display()}: "
            + _("%(from)s → %(to)s")
            % {
                "from": person_name(earlier[row.from_user_id])
                if row.from_user_id
                else team,
                "to": person_name(to) if to is not None else team,
            }
            + (f" — {note}" if note else ""),
        )
        for row, (case, to) in zip(rows, pairs, strict=True)
    )
    return rows


def _sync_tasks(case, holder) -> None:
    """The open task of the case's flow gets the case's holder as its owner
    (viewflow's assign, reassign and unassign, under the flow's lock), when
    the holder's role takes it."""
    flow_class = flow_for(case)
    if flow_class is None:
        return
    role = None if holder is None else actor_for(holder).role
    for task in open_tasks(case).select_related("process"):
        node = task.flow_task
        phase = next((p for p in flow_class.phases if p.name == node.name), None)
        owner = holder if phase is not None and phase.role == role else None
        if task.owner_id == (owner.pk if owner else None):
            continue
        with flow_class.lock(task.process_id):
            activation = node.activation_class(task)
            if owner is None:
                activation.unassign()
            elif task.status == STATUS.NEW:
                activation.assign(owner)
            else:
                activation.reassign(owner)


@transaction.atomic
def case_claim(*, case: Case, user) -> Assignment:
    """`user` takes up an unassigned case ("Oppakken")."""
    case = _locked(case)
    if case.assignee_id is not None:
        holder = get_user_model().objects.get(pk=case.assignee_id)
        _refuse(
            _held_by(case, holder)
            if holder.pk == user.pk
            else Refusal(
                rule=RULE_HELD,
                message=_(
                    "%(person)s already holds this case; ask them or a "
                    "coordinator to hand it over."
                )
                % {"person": person_name(holder)},
            )
        )
    _refuse(hold_refusal(user, case))
    return _hand(case, actor=user, to=user, kind=Assignment.Kind.CLAIM)


@transaction.atomic
def case_release(*, case: Case, user, note: str = "") -> Assignment:
    """The holder (or a coordinator) gives the case back to its team
    ("Vrijgeven")."""
    case = _locked(case)
    _refuse(assign_refusal(user, case))
    if case.assignee_id is None:
        _refuse(Refusal(rule=RULE_NOT_HELD, message=_("Nobody holds this case.")))
    return _hand(
        case, actor=user, to=None, kind=Assignment.Kind.RELEASE, note=note.strip()
    )


@transaction.atomic
def case_hand_over(*, case: Case, user, to, note: str) -> Assignment:
    """The holder (or a coordinator) hands the case to `to`, who must be able
    to hold it, with a note saying why ("Overdragen aan …")."""
    if not note.strip():
        raise ValidationError(NOTE_REQUIRED)
    case = _locked(case)
    _refuse(assign_refusal(user, case))
    _refuse(_held_by(case, to) or hold_refusal(to, case))
    return _hand(
        case, actor=user, to=to, kind=Assignment.Kind.HAND_OVER, note=note.strip()
    )


def round_robin(cases, people) -> list[tuple[Case, object]]:
    """Each case to the next of `people`, in turn per role, who may hold it
    (the decision point's HOLD, `hold_refusal`: the role takes the case's open
    step and the person is on its team as a member). One who may not hold a
    case is passed over for it and keeps the turn for the next. A case that
    none of them may hold goes to the first of its step's role (or the first
    of all), so that the decision point refuses the plan by name. The people's
    roles and team rows are read once for all the pairs."""
    people = list(people)
    prime_actors(people)
    prime_team_grants(people, list(cases))
    turns: dict[str, list] = {}
    for person in people:
        turns.setdefault(actor_for(person).role, []).append(person)
    after = dict.fromkeys(turns, 0)  # the index of whose turn it is, per role
    plan = []
    for case in cases:
        step = open_step(case)
        group = turns.get(step.role) if step else None
        if not group:
            plan.append((case, people[0]))
            continue
        start = after[step.role]
        order = [group[(start + k) % len(group)] for k in range(len(group))]
        chosen = next((p for p in order if hold_refusal(p, case) is None), None)
        if chosen is None:
            plan.append((case, order[0]))
            continue
        after[step.role] = (group.index(chosen) + 1) % len(group)
        plan.append((case, chosen))
    return plan


@transaction.atomic
def queue_distribute(*, user, plan, note: str = "") -> list[Assignment]:
    """A coordinator gives each case of `plan` ((case, person) pairs) to its
    person: all or nothing. Every pair is checked first, the cases locked in
    id order; one refusal (a person who may not hold a case, a case the user
    may not distribute) refuses the whole plan, each refusal naming its case."""
    locked = {
        case.pk: case
        for case in Case.objects.select_for_update()
        .filter(pk__in=[case.pk for case, _person in plan])
        .order_by("pk")
    }
    # The decision point's facts for every pair at once: the roles of the
    # people and their team rows on the cases (two queries, not four a pair).
    people = [user, *{person.pk: person for _case, person in plan}.values()]
    prime_actors(people)
    prime_team_grants(people, list(locked.values()))
    refusals = []
    for case, person in plan:
        case = locked[case.pk]
        refusal = (
            assign_refusal(user, case)
            or _held_by(case, person)
            or hold_refusal(person, case)
        )
        if refusal is not None:
            refusals.append(
                Refusal(refusal.rule, f"{case.reference}: {refusal.message}")
            )
    _refuse(*refusals)
    return _hand_all(
        [(locked[case.pk], person) for case, person in plan],
        actor=user,
        kind=Assignment.Kind.DISTRIBUTE,
        note=note.strip(),
    )


def case_step_taken(*, case: Case, user) -> None:
    """After a transition, under the case row lock (`services.case_transition`):
    the holder keeps the case, with its new task, when the holder may still
    hold it; otherwise (the step is another role's, or the case closed) the
    case goes back to its team, recorded with the step as the reason."""
    if case.assignee_id is None:
        return
    holder = get_user_model().objects.get(pk=case.assignee_id)
    refusal = hold_refusal(holder, case)
    if refusal is None:
        _sync_tasks(case, holder)
        return
    _hand(
        case,
        actor=user,
        to=None,
        kind=Assignment.Kind.STEP,
        note=str(refusal),
    )


# --- Reads --------------------------------------------------------------------


class Distributed:
    """What `idempotency.run_once` stores for a distribution: the page to
    return to."""

    def get_absolute_url(self) -> str:
        return reverse("casework:distribute")


def case_page_context(user, case, current_task=None) -> dict:
    """The case page's holder and what the user may do about it. The holder's
    name comes with the open task (`flows.current_task`, whose owner it is);
    only a case without one reads it."""
    holder = ""
    if case.assignee_id is not None:
        task = current_task["task"] if current_task else None
        if task is not None and task.owner_id == case.assignee_id:
            holder = person_name(task.owner)
        else:
            holder = person_name(get_user_model().objects.get(pk=case.assignee_id))
    assign = may_assign(user, case)
    return {
        "holder": holder,
        "open_step": open_step(case),
        "can_claim": case.assignee_id is None and may_hold(user, case),
        "can_release": case.assignee_id is not None and assign,
        "can_hand_over": assign,
    }


def hand_over_candidates(case, *, exclude=None) -> list:
    """The team members who may hold the case, by name: their team rows
    answer the decision point's team question, so each costs one query (the
    membership) and no guardian read."""
    rows = (
        CaseAccess.objects.filter(case=case)
        .exclude(team_role=CaseAccess.TeamRole.CONTRIBUTOR)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    people = []
    for row in rows:
        person = row.user
        if not person.is_active or (exclude is not None and person.pk == exclude):
            continue
        prime_case_grants(person, case, row.team_role)
        if hold_refusal(person, case) is None:
            people.append(person)
    return people


def queue_entries(user):
    """The coordinator's own entries of the case list (`ListEntry`, under the
    decision point's rule for reading a case, `team_row_lookups`) of open
    cases of its organisation that nobody holds: the queue, unordered."""
    rule = team_row_lookups(user)
    if rule is None:
        return ListEntry.objects.none()
    return ListEntry.objects.filter(
        **rule,
        assignee_id__isnull=True,
        closed=False,
        organisation_id=actor_for(user).organisation_id,
    )


def queue_ids(user, *, limit: int | None = None):
    """The ids of the coordinator's queue (`queue_entries`), oldest first —
    one range of the user's entries in an index ordered by opening that
    carries the holder, "closed" and the organisation (the planner takes
    `list_organisation` or `list_assignee`), read from the oldest end and
    from the index alone, stopping at `limit`. Until this read the queue
    joined every case on the user's teams and sorted them (38 ms at 1M for a
    coordinator on 10,000 cases; docs/performance.md). `limit`: QUEUE_LIMIT
    unless given."""
    return (
        queue_entries(user)
        .order_by("opened_at", "case_id")
        .values_list("case_id", flat=True)[: QUEUE_LIMIT if limit is None else limit]
    )


def queue_size(user) -> CaseCount:
    """How many cases the queue holds, counted up to COUNT_LIMIT as the case
    list counts (`selectors.count_cases`: "1000+" beyond it)."""
    return count_cases(queue_entries(user))


def distribution_queue(user, *, limit: int | None = None) -> list[Case]:
    """The coordinator's queue: open cases nobody holds, of the coordinator's
    organisation, that the coordinator may distribute (on its team:
    `queue_ids`), oldest first, at most `limit` (QUEUE_LIMIT), each with its
    open step."""
    if not distributes(user):
        return []
    ids = list(queue_ids(user, limit=limit))
    queue = []
    for case in Case.objects.filter(pk__in=ids).order_by("opened_at", "id"):
        case.step = open_step(case)
        if case.step is not None:
            queue.append(case)
    return queue


def distribution_people(user, roles) -> list:
    """The people of the coordinator's organisation whose role takes one of
    the queue's steps: whom the coordinator may pick. Whether each may hold
    each case is asked when the plan is posted."""
    actor = actor_for(user)
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=actor.organisation_id,
            role__in=sorted(roles),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("role", "user__last_name", "user__username")
    ]


# --- Mijn werk ------------------------------------------------------------------

GROUPS = ("mine", "team", "unassigned")


def work_groups(user, *, rows: int = GROUP_ROWS) -> dict:
    """Mijn werk's three groups of the open steps the user's role takes on
    cases the user may read: the cases the user holds, those a colleague
    holds and those nobody holds. Each group: its newest `rows` rows and its
    number, counted up to WORK_COUNT_LIMIT (`selectors.CaseCount`).

    One query, whatever the number of cases. Each group is read from the
    user's list entries whose open step is the role's (`ListEntry.step_role`)
    under the decision point's rule for reading a case
    (`permissions.selectors.team_row_lookups`), twice: its newest `rows`
    entries, and a bounded count (LIMIT WORK_COUNT_LIMIT + 1). Mine and nobody's
    are ranges of index `list_step_holder` (user, role, holder, newest step
    first), a colleague's of `list_step`; the three are joined by UNION ALL,
    and only the shown rows join their case and holder. The case's open step
    is copied from the flow by `flows.record_step` (docs/assignment.md, "Mijn
    werk at scale")."""
    empty = {group: ([], CaseCount(0, WORK_COUNT_LIMIT)) for group in GROUPS}
    actor = actor_for(user)
    rule = team_row_lookups(user)
    if rule is None or not phases_of_role(actor.role):
        return empty
    sql, params = _groups_sql(
        connection.vendor,
        rule_key(rule),
        actor.user_id,
        actor.role,
        rows,
        WORK_COUNT_LIMIT,
    )
    groups: dict = {group: ([], 0) for group in GROUPS}
    # The link and the date as the template would make them, once per row.
    prefix, suffix = _case_url_parts()
    language, tz = get_language(), timezone.get_current_timezone()
    # A raw queryset of the case model, so that `step_at` comes back as the
    # model field converts it (text on SQLite otherwise).
    for row in Case.objects.raw(sql, list(params)):
        shown, _count = groups[row.grp]
        full = f"{row.holder_first or ''} {row.holder_last or ''}".strip()
        shown.append(
            {
                "phase": phase_named(row.case_type, row.step),
                "created": row.step_at,
                "since": short_date(language, row.step_at.astimezone(tz).date())
                if row.step_at
                else "",
                "url": prefix + quote(row.reference, safe=URL_SAFE) + suffix,
                "reference": row.reference,
                "title": row.title,
                "data_class": row.data_class,
                "holder": full or row.holder_username or "",
            }
        )
        groups[row.grp] = (shown, row.n)
    return {
        group: (shown, CaseCount(count, WORK_COUNT_LIMIT))
        for group, (shown, count) in groups.items()
    }


@lru_cache(maxsize=1024)
def _groups_sql(vendor, rule: tuple, user_id: int, role: str, rows: int, limit: int):
    """`work_groups`' statement and parameters for one user, role, rule and
    bound: the same for the same arguments, so the ORM builds its six
    subqueries once per process and user, not on every Mijn werk."""
    lookups = {name: list(v) if isinstance(v, tuple) else v for name, v in rule}
    holders = {
        "mine": Q(assignee_id=user_id),
        "team": Q(assignee_id__isnull=False) & ~Q(assignee_id=user_id),
        "unassigned": Q(assignee_id__isnull=True),
    }
    parts, params = [], []
    for n, group in enumerate(GROUPS):
        # The role as a literal: it proves the condition of the partial
        # indexes `list_step_holder` and `list_step` (step_role <> '') for a
        # prepared statement's generic plan too (`expressions.Const`).
        entries = ListEntry.objects.filter(
            holders[group], **lookups, step_role=Const(role)
        ).order_by()
        shown, shown_values = (
            entries.order_by("-step_at", "-case_id")
            .values_list("case_id", "step_at")[:rows]
            .query.sql_with_params()
        )
        counted, counted_values = entries.values_list("pk")[
            : limit + 1
        ].query.sql_with_params()
        # The group's newest `rows` entries, numbered, each with the group's
        # bounded count: two ranges of one index (`list_step_holder` for mine
        # and nobody's, `list_step` for a colleague's), nothing sorted.
        parts.append(
            f"SELECT %s AS grp, g{n}.*, ROW_NUMBER() OVER ("
            f"ORDER BY g{n}.step_at DESC, g{n}.case_id DESC) AS rn, "
            f"(SELECT COUNT(*) FROM ({counted}) n{n}) AS n FROM ({shown}) g{n}"
        )
        params += [group, *counted_values, *shown_values]
    qn = connection.ops.quote_name
    users = qn(get_user_model()._meta.db_table)
    sql = (
        "SELECT c.id, c.reference, c.title, c.data_class, c.case_type, c.step, "
        "c.step_at, w.grp, w.n, h.username AS holder_username, "
        "h.first_name AS holder_first, h.last_name AS holder_last FROM ("
        + " UNION ALL ".join(parts)
        + f") w JOIN {qn(Case._meta.db_table)} c ON c.id = w.case_id "
        f"LEFT JOIN {users} h ON h.id = c.assignee_id "
        "ORDER BY w.grp, w.rn"
    )
    return sql, tuple(params)


def inbox(user, *, limit: int = GROUP_ROWS) -> list[dict]:
    """The open steps of the user's role on cases the user may read, all
    three groups together, newest first (at most `limit`)."""
    groups = work_groups(user, rows=limit).values()
    tasks = [task for rows, _count in groups for task in rows]
    return sorted(tasks, key=lambda task: task["created"], reverse=True)[:limit]
