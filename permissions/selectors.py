"""Reads for access control: the SQL side of the policy."""

from typing import NamedTuple

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import IsNull

from .decision import case_classes, read_classes
from .models import AccessLog, CaseAccess
from .policy import READ, Actor, actor_for, role_actions

NOTHING = Q(pk__in=[])
# The kernel models this module filters on (by label; see docs/architecture.md).
SIGNAL_MODEL = "casework.Signal"


def case_readable_classes(role: str) -> list[str]:
    """Data classes of whole cases that the role may open (own-item rules apply
    to items inside a case, not to the case itself): the decision point's."""
    return case_classes(role)


def visible_case_filter(user) -> Q:
    actor = actor_for(user)
    if not actor.is_known:
        return NOTHING
    classes = case_readable_classes(actor.role)
    if not classes:
        return NOTHING
    if actor.service_account:
        # ORGANISATION_TEAM (decision.organisation_team_role): a team row of
        # its organisation, one EXISTS, so a case is listed once.
        rows = CaseAccess.objects.filter(
            case_id=OuterRef("pk"), organisation_id=actor.organisation_id
        )
        return Q(Exists(rows), data_class__in=classes)
    return Q(access__user_id=actor.user_id, data_class__in=classes)


class CaseSql(NamedTuple):
    """`visible_case_filter` as SQL for hand-written queries: a JOIN on the
    user's own team row and a condition on the case's data class, each with
    its parameters (the JOIN's come first in the statement)."""

    join: str
    join_params: list
    where: str
    where_params: list


def visible_case_sql(user, *, case: str = "c", team: str = "a") -> CaseSql | None:
    """The decision point's rule for reading a case (on the team, and a data
    class the role opens) as SQL on the case alias `case`, joining the team
    table as `team` (whose `team_role` the query may read). None when the
    user reads no case: the caller returns nothing without a query."""
    from django.db import connection

    actor = actor_for(user)
    classes = case_readable_classes(actor.role) if actor.is_known else []
    if not classes:
        return None
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(classes))
    if actor.service_account:
        # ORGANISATION_TEAM: one team row of its organisation per case (a
        # contributor's first; the decision point answers the service
        # account's team role itself, `decision.organisation_team_role`).
        table = qn(CaseAccess._meta.db_table)
        return CaseSql(
            join=f"JOIN {table} {team} ON {team}.id = (SELECT o.id FROM {table} o "
            f"WHERE o.case_id = {case}.id AND o.organisation_id = %s "
            "ORDER BY o.team_role, o.id LIMIT 1)",
            join_params=[actor.organisation_id],
            where=f"{case}.data_class IN ({marks})",
            where_params=list(classes),
        )
    return CaseSql(
        join=f"JOIN {qn(CaseAccess._meta.db_table)} {team} "
        f"ON {team}.case_id = {case}.id AND {team}.user_id = %s",
        join_params=[actor.user_id],
        where=f"{case}.data_class IN ({marks})",
        where_params=list(classes),
    )


def signal_classes(role: str) -> tuple[list[str], list[str]]:
    """The data classes of signals the role may read whoever supplied them
    (if supplied by or shared with its organisation), and those it may read
    only when its own organisation supplied them: the decision point's rule
    for the kind "signal" (so D10 referrals only for the casusregisseur and
    the ZVH participants)."""
    return read_classes(Actor(None, "", 0, "", role), "signal")


def visible_signal_filter(user) -> Q:
    """A signal is visible to users of the organisation that supplied it and of
    the organisations it was shared with, if their role may read its class."""
    actor = actor_for(user)
    if not actor.is_known:
        return NOTHING
    readable, own_only = signal_classes(actor.role)
    mine = Q(source_organisation_id=actor.organisation_id)
    shared = Q(Exists(_shares_with(actor.organisation_id)))
    return (Q(data_class__in=readable) & (mine | shared)) | Q(
        data_class__in=own_only, source_organisation_id=actor.organisation_id
    )


def visible_signal_sql(user, *, signal: str = "s") -> tuple[str, list]:
    """`visible_signal_filter` as an SQL condition on the signal alias
    `signal`, with its parameters ("" when the user reads no signal)."""
    actor = actor_for(user)
    if not actor.is_known:
        return "", []
    return signal_sql_for(actor.organisation_id, actor.role, signal=signal)


def signal_sql_for(
    organisation_id: int, role: str, *, signal: str = "s"
) -> tuple[str, list]:
    """The rule of `visible_signal_sql` for an organisation and a role rather
    than a user: what any member of `organisation_id` with `role` reads (a
    table kept per organisation and role, the selection board's ranks,
    workflows/controle/ranks.py). "" when the role reads no signal."""
    from django.apps import apps
    from django.db import connection

    readable, own_only = signal_classes(role)
    shared = connection.ops.quote_name(
        apps.get_model(SIGNAL_MODEL).shared_with.through._meta.db_table
    )
    visible, params = [], []
    if readable:
        marks = ", ".join(["%s"] * len(readable))
        visible.append(
            f"({signal}.data_class IN ({marks}) AND "
            f"({signal}.source_organisation_id = %s OR EXISTS "
            f"(SELECT 1 FROM {shared} w WHERE w.signal_id = {signal}.id "
            f"AND w.organisation_id = %s)))"
        )
        params += [*readable, organisation_id, organisation_id]
    if own_only:
        marks = ", ".join(["%s"] * len(own_only))
        visible.append(
            f"({signal}.data_class IN ({marks}) "
            f"AND {signal}.source_organisation_id = %s)"
        )
        params += [*own_only, organisation_id]
    return " OR ".join(visible), params


def _shares_with(organisation_id: int):
    """The signal's share with the organisation, correlated to the outer
    signal: EXISTS, not `id IN (...)`. At 1M cases an organisation holds
    0.28M shares; the IN list no longer fits `work_mem` as a hash and became
    a subplan rescanned per signal (47-62 s for Mijn werk,
    docs/performance.md "Workflow pages at scale")."""
    # The kernel's models are reached by label through Django's app registry,
    # as the foreign keys do: permissions imports nothing of the kernel.
    from django.apps import apps

    Signal = apps.get_model(SIGNAL_MODEL)  # noqa: N806
    return Signal.shared_with.through.objects.filter(
        signal_id=OuterRef("pk"), organisation_id=organisation_id
    )


def team_row_lookups(user) -> dict | None:
    """The decision point's rule for reading a case, as lookups on a team row
    (`CaseAccess`) or on a copy of one that keeps its user and data class
    (the case list's `casework.ListEntry`): the user's own row, of a data
    class the user's role opens. None when the user reads no case."""
    actor = actor_for(user)
    if not actor.is_known:
        return None
    classes = case_readable_classes(actor.role)
    if not classes:
        return None
    return {"user_id": actor.user_id, "data_class__in": list(classes)}


def team_row_probe(user, case_field: str, **lookups):
    """The decision point's rule for reading a case (`team_row_lookups`) as a
    test of each row of an outer query: the user has a team row, of a class
    the role opens (and matching `lookups`, e.g. the case type), on the case
    the outer row's `case_field` names. None when the user reads no case.

    For a query whose own rows are few while the user's team rows are many
    (the week's visits of the system against a coordinator's 7,000
    inspections): one probe of the unique (user, case) key per outer row,
    instead of reading all the user's rows of the type to join them. Written
    as a scalar subquery with LIMIT 1, which PostgreSQL keeps a probe per
    row; an IN or EXISTS it would turn into a join over all of them."""
    rule = team_row_lookups(user)
    if rule is None:
        return None
    probe = CaseAccess.objects.filter(
        **rule, **lookups, case_id=OuterRef(case_field)
    ).values("case_id")[:1]
    return IsNull(Subquery(probe), False)


def case_access_for_user(user):
    """The team rows behind the user's case list, newest first. Counting and
    paging read this table, never a COUNT(*) over cases."""
    lookups = team_row_lookups(user)
    if lookups is None:
        return CaseAccess.objects.none()
    return CaseAccess.objects.filter(**lookups).order_by("-sort_key", "-case_id")


def visible_case_keys(user):
    """The cases the user reads as (sort_key, case_id) pairs, newest first,
    each case once: the user's own team rows, and for a service account its
    organisation's (ORGANISATION_TEAM; several people of one organisation may
    be on a case). For keyset pages (the partner API's case list): a range
    of one index, `caseaccess_user_sort` or, for a service account,
    `caseaccess_org_sort` (permissions/migrations/0007)."""
    actor = actor_for(user)
    classes = case_readable_classes(actor.role) if actor.is_known else []
    if not classes:
        return CaseAccess.objects.none().values_list("sort_key", "case_id")
    if actor.service_account:
        rows = CaseAccess.objects.filter(organisation_id=actor.organisation_id)
    else:
        rows = CaseAccess.objects.filter(user_id=actor.user_id)
    return (
        rows.filter(data_class__in=classes)
        .values_list("sort_key", "case_id")
        .distinct()
        .order_by("-sort_key", "-case_id")
    )


def team_for_case(case):
    return (
        CaseAccess.objects.filter(case=case)
        .select_related("user", "organisation")
        .order_by("team_role", "user__username")
    )


def access_log_for_user(user):
    """Only the FG/auditor role reads the access log (data class D9)."""
    actor = actor_for(user)
    if READ not in role_actions(actor.role, "D9"):
        return AccessLog.objects.none()
    return AccessLog.objects.all()
