"""Writes for access control: case teams, grants, and the access log.

The only module (with models.py) that imports django-guardian.
"""

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import assign_perm, remove_perm

from .models import SENSITIVE_CLASSES, AccessLog, AccessLogHead, CaseAccess, Membership
from .policy import READ, WRITE, actor_for, role_actions, role_permits

TEAM_ROLE_NOT_ALLOWED = _(
    "%(user)s cannot join this case: the role may not read %(data_class)s data."
)
NO_MEMBERSHIP = _("%(user)s has no organisation and role yet.")

VIEW_CASE = "casework.view_case"
CHANGE_CASE = "casework.change_case"


@transaction.atomic
def team_add(*, case, user, team_role: str, actor=None) -> CaseAccess:
    """Put a user on a case team: the guardian grant and the list row together.

    Refuses a user whose role may not read the case's data class, so the team
    table never lists a case its member could not open.
    """
    try:
        membership = Membership.objects.get(user=user)
    except Membership.DoesNotExist as exc:
        raise ValidationError(NO_MEMBERSHIP % {"user": user.get_username()}) from exc
    if READ not in role_actions(membership.role, case.data_class):
        raise ValidationError(
            TEAM_ROLE_NOT_ALLOWED
            % {"user": user.get_username(), "data_class": case.data_class}
        )
    access, created = CaseAccess.objects.get_or_create(
        user=user,
        case=case,
        defaults={
            "organisation_id": membership.organisation_id,
            "team_role": team_role,
            "sort_key": case.opened_at,
            "case_type": case.case_type,
            "data_class": case.data_class,
        },
    )
    if not created and access.team_role != team_role:
        access.team_role = team_role
        access.save(update_fields=["team_role"])
    case.__dict__.pop("_casework_grants", None)
    assign_perm(VIEW_CASE, user, case)
    if team_role == CaseAccess.TeamRole.CONTRIBUTOR:
        remove_perm(CHANGE_CASE, user, case)
    else:
        assign_perm(CHANGE_CASE, user, case)
    return access


@transaction.atomic
def team_remove(*, case, user) -> None:
    CaseAccess.objects.filter(case=case, user=user).delete()
    remove_perm(VIEW_CASE, user, case)
    remove_perm(CHANGE_CASE, user, case)
    case.__dict__.pop("_casework_grants", None)


def user_can(user, action: str, case) -> bool:
    """May this user do `action` (read/write) on this case? Role × data class,
    then the guardian grant on the case itself (team membership)."""
    actor = actor_for(user)
    if not actor.is_known or not role_permits(actor.role, action, case.data_class):
        return False
    return _case_grants(user, case) >= {
        (VIEW_CASE if action == READ else CHANGE_CASE).split(".")[1]
    }


def _case_grants(user, case) -> set[str]:
    """The user's guardian grants on this case, read once per case instance
    (a page asks several times: view, transitions, write links). Team changes
    through `team_add`/`team_remove` clear the cache on the instance they get."""
    cache = case.__dict__.setdefault("_casework_grants", {})
    if user.pk not in cache:
        cache[user.pk] = set(ObjectPermissionChecker(user).get_perms(case))
    return cache[user.pk]


def prime_case_grants(user, case, team_role: str) -> None:
    """Answer `_case_grants` for this case instance from the user's team role,
    read with the case (`casework.selectors.case_for_page`), instead of two
    guardian queries (user and group grants).

    The same answer: `team_add` and `team_remove` are the only writers of case
    grants and write them with the team row, in one transaction — `view_case`
    for every team role, `change_case` for all but contributors — and nothing
    writes group grants on cases (decision 0001; tests/permissions check that
    the two stores agree). Guardian answers differently only for inactive
    users (nothing) and superusers (everything): those keep guardian's answer.
    """
    if not user.is_active or user.is_superuser or not team_role:
        return
    grants = {VIEW_CASE.split(".")[1]}
    if team_role != CaseAccess.TeamRole.CONTRIBUTOR:
        grants.add(CHANGE_CASE.split(".")[1])
    case.__dict__.setdefault("_casework_grants", {})[user.pk] = grants


def user_can_write(user, case) -> bool:
    return user_can(user, WRITE, case)


def client_ip(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")[:64]


@transaction.atomic
def log_access(
    *,
    user,
    action: str,
    object_type: str,
    object_id,
    data_class: str,
    case=None,
    result: str = AccessLog.Result.OK,
    purpose_code: str = "",
    legal_basis_code: str = "",
    recipient: str = "",
    request=None,
) -> AccessLog:
    """Append one row to the access log, extending the hash chain.

    The head row is locked so that concurrent writers chain one after another.
    """
    actor = actor_for(user)
    last_hash = _lock_head()
    entry = AccessLog(
        user_id=actor.user_id,
        username=actor.username,
        role=actor.role,
        organisation=actor.organisation_name,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        data_class=data_class,
        case_id=getattr(case, "pk", None),
        case_reference=getattr(case, "reference", ""),
        purpose_code=purpose_code,
        legal_basis_code=legal_basis_code,
        recipient=recipient,
        result=result,
        client_ip=client_ip(request),
    )
    entry.hash_chain = entry.content_digest(last_hash)
    entry.save()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_head_table()} SET last_hash = %s WHERE id = 1",
            [entry.hash_chain],
        )
    return entry


def _head_table() -> str:
    return connection.ops.quote_name(AccessLogHead._meta.db_table)


def _lock_head() -> str:
    """Lock the head row (the caller is in a transaction) and return the last
    hash of the chain; the first writer ever makes the row. The lock and the
    update of the head are written out rather than through the ORM: every
    sensitive read pays for them (1.0 ms → 0.5 ms, docs/performance.md)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = f"SELECT last_hash FROM {_head_table()} WHERE id = 1{lock}"
    with connection.cursor() as cursor:
        cursor.execute(select)
        row = cursor.fetchone()
        if row is None:
            AccessLogHead.objects.bulk_create(
                [AccessLogHead(pk=1)], ignore_conflicts=True
            )
            cursor.execute(select)
            row = cursor.fetchone()
    return row[0]


def log_sensitive_read(
    *, user, obj, data_class: str, case=None, request=None, result=AccessLog.Result.OK
):
    """Log a read when the data class is sensitive (D3-D7, D10); no-op otherwise."""
    if data_class not in SENSITIVE_CLASSES:
        return None
    return log_access(
        user=user,
        action=AccessLog.Action.READ,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        data_class=data_class,
        case=case,
        result=result,
        request=request,
    )


def verify_chain() -> bool:
    """Recompute the hash chain from the first row; False if any row was
    changed or removed."""
    previous = "0" * 64
    for entry in AccessLog.objects.order_by("id").iterator():
        if entry.content_digest(previous) != entry.hash_chain:
            return False
        previous = entry.hash_chain
    head = AccessLogHead.objects.filter(pk=1).first()
    return head is None or head.last_hash == previous
