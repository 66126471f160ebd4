"""Writes on the workflow rows that sit next to a case: legal protection.

Mirrors `casework.services.case_transition`: lock, check, transition, and the
history row on the case, all in one transaction.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from django_fsm import can_proceed, has_transition_perm

from casework.models import Case, CaseEvent
from casework.services import NOT_ALLOWED_TO_EDIT, TRANSITION_NOT_AVAILABLE
from permissions.models import Role

from .base import allowed_roles
from .legal_protection import DecisionKind, LegalProtection, Outcome

# The jurist registers the besluit that can be challenged, as it records the
# steps of the region.
MAY_OPEN = allowed_roles(Role.JURIST)

OUTCOME_REQUIRED = _("Give the outcome of this decision.")
OUTCOME_NOT_EXPECTED = _("This step records no outcome.")
PROTECTION_OPENED = _("Legal protection opened: %(decision)s (made known %(date)s)")
PROTECTION_STEP = _("Legal protection, %(decision)s: %(step)s")


def _event(*, case, user, note, from_status="", to_status="") -> CaseEvent:
    # Kind NOTE, not STATUS: STATUS events trace the case's own status; the
    # R-codes in from/to tell the two apart in the history.
    return CaseEvent.objects.create(
        case=case,
        actor=user,
        kind=CaseEvent.Kind.NOTE,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


@transaction.atomic
def legal_protection_open(
    *,
    case: Case,
    user,
    decision_title: str,
    decided_on: date,
    decision_kind: str = DecisionKind.ORDER,
) -> LegalProtection:
    """Start the legal protection against one besluit of the case, in R00 (the
    bezwaar term runs from the day after `decided_on`)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not MAY_OPEN(case, user):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    protection = LegalProtection(
        case=case,
        decision_title=decision_title.strip(),
        decision_kind=decision_kind,
        decided_on=decided_on,
    )
    protection.full_clean(exclude=["status"])
    protection.save()
    _event(
        case=case,
        user=user,
        to_status=protection.status,
        note=gettext(PROTECTION_OPENED)
        % {"decision": protection.decision_title, "date": f"{decided_on:%d-%m-%Y}"},
    )
    return protection


@transaction.atomic
def legal_protection_transition(
    *, protection: LegalProtection, name: str, user, note: str = "", outcome: str = ""
) -> LegalProtection:
    """Run transition `name` on the legal protection for `user`.

    Locks the row, checks that the step is possible now and that the user may
    run it, then records the change and its event on the case together. Steps
    that record a decision (`custom["outcome"]`) need an `Outcome`.
    """
    locked = LegalProtection.objects.select_for_update().get(pk=protection.pk)
    method = getattr(locked, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    if not can_proceed(method):
        raise ValidationError(TRANSITION_NOT_AVAILABLE)
    if not has_transition_perm(method, user):
        raise PermissionDenied(NOT_ALLOWED_TO_EDIT)
    step = method._django_fsm.get_transition(locked.status)
    kwargs = {}
    if step.custom.get("outcome"):
        if outcome not in Outcome.values:
            raise ValidationError(OUTCOME_REQUIRED)
        kwargs["outcome"] = outcome
    elif outcome:
        raise ValidationError(OUTCOME_NOT_EXPECTED)
    source = locked.status
    method(**kwargs)
    locked.full_clean(exclude=["status"])
    locked.save()
    text = gettext(PROTECTION_STEP) % {
        "decision": locked.decision_title,
        "step": step.custom.get("label", name),
    }
    if outcome:
        text = f"{text} ({Outcome(outcome).label})"
    if note.strip():
        text = f"{text}. {note.strip()}"
    _event(
        case=locked.case,
        user=user,
        from_status=source,
        to_status=locked.status,
        note=text,
    )
    return locked
