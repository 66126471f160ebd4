"""Writes and reads on the Bibob dossier (class D5, Wet Bibob art 28).

Only the Bibob coordinator on the case writes the dossier; the coordinator
and the burgemeester on the case (the decision-maker) read it. Everyone else
gets nothing, and the views answer 404. Every read of the dossier is logged
(`permissions.services.log_sensitive_read`).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import deadlines as deadline_engine
from casework.models import Case, CaseEvent, CaseType, Deadline
from permissions.models import DataClass, Role
from permissions.policy import READ, WRITE, actor_for, role_permits
from permissions.services import log_sensitive_read, user_can

from .bibob import REPORT_BASIS, BibobStatus
from .bibob_models import (
    BibobConclusion,
    BibobIntake,
    BibobSource,
    Danger,
    IntakeKind,
)
from .bibob_terms import beslistermijn_start, term_policy_for

NOT_ALLOWED = _("Only the Bibob coordinator on this case may change its dossier.")
NOT_NOW = _("The own investigation cannot be changed in the current status.")
FUTURE_DATE = _("This date cannot lie in the future.")
GROUND_REQUIRED = _("Name the ground of the danger: a, b or both (art 3 lid 1).")
NO_GROUND_WITHOUT_DANGER = _("Without danger there is no a- or b-ground.")
PROPORTIONALITY_REQUIRED = _(
    "Give the proportionality reasoning (art 3 lid 5) for a conclusion of danger."
)
INTAKE_RECORDED = _("The intake of this case has already been recorded.")

# Statuses in which sources are added and a conclusion recorded: the own
# investigation, its conclusion, and the weighing after the LBB advice.
DOSSIER_OPEN = frozenset(
    {BibobStatus.B30, BibobStatus.B35, BibobStatus.B45, BibobStatus.B50}
)


def may_read_dossier(user, case: Case) -> bool:
    """The Bibob coordinator and the decision-maker on the case team: roles
    that may read D5 (domain.md §6.3), with the team grant on the case."""
    if case.case_type != CaseType.BIBOB:
        return False
    role = actor_for(user).role
    return role_permits(role, READ, DataClass.D5) and user_can(user, READ, case)


def may_write_dossier(user, case: Case) -> bool:
    role = actor_for(user).role
    return (
        case.case_type == CaseType.BIBOB
        and role == Role.BIBOB
        and role_permits(role, WRITE, DataClass.D5)
        and user_can(user, WRITE, case)
    )


def _require_write(user, case: Case) -> None:
    if not may_write_dossier(user, case):
        raise PermissionDenied(NOT_ALLOWED)


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: FUTURE_DATE})


def _note(case: Case, user, text: str) -> None:
    # The history row says what happened, not what was found: the finding
    # stays in the dossier.
    CaseEvent.objects.create(case=case, actor=user, kind=CaseEvent.Kind.NOTE, note=text)


@transaction.atomic
def bibob_intake_record(
    *,
    case: Case,
    user,
    kind: str,
    application_type: str,
    received_on: date,
    authorised: bool = False,
) -> BibobIntake:
    """Record what came in. An application gets its decision term from the
    policy valid on the day of receipt; a revocation inquiry has none.

    `authorised`: called by the intake step, whose permission was checked."""
    if not authorised:
        _require_write(user, case)
    _not_future(received_on, "received_on")
    if BibobIntake.objects.filter(case=case).exists():
        raise ValidationError(INTAKE_RECORDED)
    policy = None
    if kind == IntakeKind.APPLICATION:
        policy = term_policy_for(application_type, received_on)
    intake = BibobIntake(
        case=case,
        kind=kind,
        application_type=application_type,
        received_on=received_on,
        policy=policy,
        recorded_by=user,
    )
    intake.full_clean()
    intake.save()
    if policy is not None:
        beslistermijn_start(
            case=case, user=user, policy=policy, received_on=received_on
        )
    return intake


@transaction.atomic
def bibob_source_add(
    *,
    case: Case,
    user,
    kind: str,
    consulted_on: date,
    legal_basis: str,
    finding: str,
) -> BibobSource:
    """Log one consulted source of the own investigation (art 7a–7c, 11a)."""
    _require_write(user, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in DOSSIER_OPEN:
        raise ValidationError(NOT_NOW)
    _not_future(consulted_on, "consulted_on")
    source = BibobSource(
        case=case,
        kind=kind,
        consulted_on=consulted_on,
        legal_basis=legal_basis.strip(),
        finding=finding.strip(),
        recorded_by=user,
    )
    source.full_clean()
    source.save()
    _note(
        case,
        user,
        gettext("Bibob source logged: %(kind)s, %(date)s (%(basis)s)")
        % {
            "kind": source.get_kind_display(),
            "date": consulted_on.isoformat(),
            "basis": source.legal_basis,
        },
    )
    return source


@transaction.atomic
def bibob_conclusion_record(
    *,
    case: Case,
    user,
    degree: str,
    ground_a: bool = False,
    ground_b: bool = False,
    advice_needed: bool = False,
    proportionality: str = "",
    concluded_on: date,
) -> BibobConclusion:
    """Record the conclusion on the degree of danger (art 3). A danger needs
    its ground and, unless the LBB is asked first, the proportionality
    reasoning. An own conclusion of danger without advice must be reported to
    the LBB without delay (7a lid 7): a deadline of one week (💡 internal SLA
    of five working days, domain.md §3.5) until `report_own_conclusion`."""
    _require_write(user, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in DOSSIER_OPEN:
        raise ValidationError(NOT_NOW)
    _not_future(concluded_on, "concluded_on")
    danger = degree in (Danger.MINDERE_MATE, Danger.ERNSTIG)
    if not danger and (ground_a or ground_b):
        raise ValidationError(NO_GROUND_WITHOUT_DANGER)
    if danger and not advice_needed:
        if not (ground_a or ground_b):
            raise ValidationError(GROUND_REQUIRED)
        if not proportionality.strip():
            raise ValidationError(PROPORTIONALITY_REQUIRED)
    conclusion = BibobConclusion(
        case=case,
        degree=degree,
        ground_a=ground_a,
        ground_b=ground_b,
        advice_needed=advice_needed,
        proportionality=proportionality.strip(),
        concluded_on=concluded_on,
        recorded_by=user,
    )
    conclusion.full_clean()
    conclusion.save()
    _note(case, user, gettext("Bibob conclusion recorded"))
    own = case.status in (BibobStatus.B30, BibobStatus.B35)
    if danger and not advice_needed and own and not _report_open(case):
        deadline_engine.deadline_create(
            case=case,
            user=user,
            title=gettext("Report the own conclusion to the LBB"),
            legal_basis=REPORT_BASIS,
            event_date=concluded_on,
            length=7,
            unit=Deadline.Unit.DAYS,
            atw_applies=False,
        )
    return conclusion


def _report_open(case: Case) -> bool:
    return case.deadlines.filter(
        legal_basis=REPORT_BASIS,
        state__in=[Deadline.State.OPEN, Deadline.State.MISSED],
    ).exists()


def bibob_dossier(user, case: Case, *, request=None) -> dict | None:
    """The dossier for a reader who may see it, every row read logged (D5);
    None for anyone else."""
    if not may_read_dossier(user, case):
        return None
    intake = BibobIntake.objects.filter(case=case).select_related("policy").first()
    sources = list(case.bibob_sources.select_related("recorded_by"))
    conclusions = list(case.bibob_conclusions.select_related("recorded_by"))
    for obj in [*sources, *conclusions]:
        log_sensitive_read(
            user=user, obj=obj, data_class=DataClass.D5, case=case, request=request
        )
    return {
        "intake": intake,
        "sources": sources,
        "conclusion": conclusions[0] if conclusions else None,
        "earlier_conclusions": conclusions[1:],
    }
