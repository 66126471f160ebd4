"""Shared pieces for the case-type state machines."""

from permissions.policy import actor_for
from permissions.services import user_can_write


def allowed_roles(*roles: str):
    """A django-fsm transition permission: the user holds one of these roles
    and may write on this case (team + data class), checked by the policy."""

    def check(instance, user) -> bool:
        return actor_for(user).role in roles and user_can_write(user, instance)

    check.roles = roles  # shown in docs and used by tests
    return check
