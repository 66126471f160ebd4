"""Shared pieces for the case-type state machines."""

from permissions.models import CaseAccess
from permissions.policy import READ, WRITE, actor_for, role_permits
from permissions.services import user_can, user_can_write


def allowed_roles(*roles: str, writes: str | None = None):
    """A django-fsm transition permission: the user holds one of these roles
    and may write on this case (team + data class), checked by the policy.

    `writes` names the data class the step produces when a role acts through
    that class rather than through the case's own: the burgemeester reads case
    metadata (D0) but signs besluiten (D2 "R/W(sign)", docs/domain.md §6.4), the
    collection officer writes D8. Such a role passes when it may write
    `writes` and sits on the case team with more than contributor rights.
    """

    def check(instance, user) -> bool:
        actor = actor_for(user)
        if actor.role not in roles:
            return False
        if user_can_write(user, instance):
            return True
        return writes is not None and _may_write_class(user, instance, writes)

    check.roles = roles  # shown in docs and used by tests
    check.writes = writes
    return check


def _may_write_class(user, case, data_class: str) -> bool:
    # TODO(permissions): belongs in permissions.services as a data-class
    # argument to user_can; composed here from its public pieces meanwhile.
    actor = actor_for(user)
    return (
        role_permits(actor.role, WRITE, data_class)
        and user_can(user, READ, case)
        and CaseAccess.objects.filter(case=case, user=user)
        .exclude(team_role=CaseAccess.TeamRole.CONTRIBUTOR)
        .exists()
    )


def on_case(check):
    """Run a case permission (`allowed_roles`) for a row that belongs to a case,
    such as a `LegalProtection`: the rights are those on `instance.case`."""

    def wrapped(instance, user) -> bool:
        return check(instance.case, user)

    wrapped.roles = check.roles
    wrapped.writes = check.writes
    return wrapped
