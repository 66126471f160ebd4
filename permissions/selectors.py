"""Reads for access control: the SQL side of the policy."""

from django.db.models import Q

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
    return Q(access__user_id=actor.user_id, data_class__in=classes)


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
    shared = Q(
        pk__in=_signal_ids_shared_with(actor.organisation_id),
    )
    return (Q(data_class__in=readable) & (mine | shared)) | Q(
        data_class__in=own_only, source_organisation_id=actor.organisation_id
    )


def _signal_ids_shared_with(organisation_id: int):
    # The kernel's models are reached by label through Django's app registry,
    # as the foreign keys do: permissions imports nothing of the kernel.
    from django.apps import apps

    Signal = apps.get_model(SIGNAL_MODEL)  # noqa: N806
    return Signal.shared_with.through.objects.filter(
        organisation_id=organisation_id
    ).values("signal_id")


def case_access_for_user(user):
    """The team rows behind the user's case list, newest first. Counting and
    paging read this table, never a COUNT(*) over cases."""
    actor = actor_for(user)
    if not actor.is_known:
        return CaseAccess.objects.none()
    classes = case_readable_classes(actor.role)
    return CaseAccess.objects.filter(
        user_id=actor.user_id, data_class__in=classes
    ).order_by("-sort_key", "-case_id")


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
