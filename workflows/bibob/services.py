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
from casework.compiled import Compiled
from casework.models import Case, CaseEvent, Deadline
from permissions.decision import decide
from permissions.models import AccessLog, DataClass, Membership, Role
from permissions.policy import (
    READ,
    SHARE,
    WRITE,
)
from permissions.services import log_access, log_sensitive_reads
from workflows.bibob.acts import LegalAct, body_basis, body_for, legal_act_for
from workflows.bibob.machine import CODE, REPORT_BASIS, BibobStatus
from workflows.bibob.models import (
    BibobConclusion,
    BibobIntake,
    BibobPermitHandler,
    BibobShare,
    BibobSource,
    Danger,
    IntakeKind,
    ShareRecipient,
)
from workflows.bibob.terms import beslistermijn_start, term_policy_for

NOT_ALLOWED = _("Only the Bibob coordinator on this case may change its dossier.")
NOT_NOW = _("The own investigation cannot be changed in the current status.")
FUTURE_DATE = _("This date cannot lie in the future.")
GROUND_REQUIRED = _("Name the ground of the danger: a, b or both (art 3 lid 1).")
NO_GROUND_WITHOUT_DANGER = _("Without danger there is no a- or b-ground.")
PROPORTIONALITY_REQUIRED = _(
    "Give the proportionality reasoning (art 3 lid 5) for a conclusion of danger."
)
INTAKE_RECORDED = _("The intake of this case has already been recorded.")
SHARE_NOT_ALLOWED = _("Only the Bibob coordinator on this case may share its dossier.")
RECIPIENT_NOT_LISTED = _(
    "Bibob data may only go to the recipients listed in Wet Bibob art 28 lid 2; "
    "this recipient is not one of them."
)
REASON_REQUIRED = _("Give the reason code of art 28 lid 2 and the purpose.")
NOT_A_PERMIT_HANDLER = _("%(user)s is not a permit handler.")

# Statuses in which sources are added and a conclusion recorded: the own
# investigation, its conclusion, and the weighing after the LBB advice.
DOSSIER_OPEN = frozenset(
    {BibobStatus.B30, BibobStatus.B35, BibobStatus.B45, BibobStatus.B50}
)


def may_read_dossier(user, case: Case) -> bool:
    """The Bibob coordinator and the decision-maker on the case team: roles
    that may read D5 (docs/domain.md §6.3), with the team grant on the case."""
    return case.case_type == CODE and decide(user, READ, "bibob_dossier", case=case)


def may_write_dossier(user, case: Case) -> bool:
    """The Bibob coordinator (the one role that writes D5) on the team."""
    return case.case_type == CODE and decide(user, WRITE, "bibob_dossier", case=case)


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
    policy valid on the day of receipt; a revocation inquiry has none, nor
    has a vastgoedtransactie (a private-law act, Wet Bibob art 5a: no Awb
    4:13 term). The competent body follows from the application type
    (`workflows.bibob.acts`).

    `authorised`: called by the intake step, whose permission was checked."""
    if not authorised:
        _require_write(user, case)
    _not_future(received_on, "received_on")
    if BibobIntake.objects.filter(case=case).exists():
        raise ValidationError(INTAKE_RECORDED)
    policy = None
    private_law = legal_act_for(application_type) == LegalAct.PRIVATE_LAW
    if kind == IntakeKind.APPLICATION and not private_law:
        policy = term_policy_for(application_type, received_on)
    intake = BibobIntake(
        case=case,
        kind=kind,
        application_type=application_type,
        received_on=received_on,
        competent_body=body_for(application_type),
        policy=policy,
        recorded_by=user,
    )
    intake.full_clean()
    intake.save()
    _note(
        case,
        user,
        gettext("Competent body: %(body)s (%(basis)s)")
        % {
            "body": intake.get_competent_body_display(),
            "basis": body_basis(application_type),
        },
    )
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
    ground_6: bool = False,
    advice_needed: bool = False,
    proportionality: str = "",
    concluded_on: date,
) -> BibobConclusion:
    """Record the conclusion on the degree of danger (art 3). A danger needs
    its ground and, unless the LBB is asked first, the proportionality
    reasoning. An own conclusion of danger without advice must be reported to
    the LBB without delay (7a lid 7): a deadline of one week (💡 internal SLA
    of five working days, docs/domain.md §3.5) until `report_own_conclusion`."""
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
        ground_6=ground_6,
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


# The dossier's rows, read on every request of its page: each statement
# compiled once per process (`casework.compiled`).
@Compiled
def _intake(case_id):
    return (
        BibobIntake.objects.filter(case_id=case_id)
        .select_related("policy")
        .order_by("pk")[:1]
    )


@Compiled
def _sources(case_id):
    return BibobSource.objects.filter(case_id=case_id).select_related("recorded_by")


@Compiled
def _conclusions(case_id):
    return BibobConclusion.objects.filter(case_id=case_id).select_related("recorded_by")


@Compiled
def _shares(case_id):
    return BibobShare.objects.filter(case_id=case_id).select_related("shared_by")


@Compiled
def _permit_handlers(case_id):
    return BibobPermitHandler.objects.filter(case_id=case_id).select_related("user")


def bibob_dossier(
    user, case: Case, *, request=None, with_reuse: bool = False
) -> dict | None:
    """The dossier for a reader who may see it, every row read logged (D5);
    None for anyone else. With `with_reuse`, also the art 29 conclusions on
    other cases about the same parties (`selectors.earlier_conclusions`) as
    "reuse". All rows read are logged together, one transaction
    (`log_sensitive_reads`)."""
    from workflows.bibob.selectors import earlier_conclusions

    if not may_read_dossier(user, case):
        return None
    intake = next(iter(_intake(case.pk)), None)
    sources = _sources(case.pk)
    conclusions = _conclusions(case.pk)
    reads = [(obj, DataClass.D5, case) for obj in [*sources, *conclusions]]
    reuse = []
    if with_reuse:
        reuse = earlier_conclusions(user=user, case=case, reads=reads)
    log_sensitive_reads(user=user, reads=reads, request=request)
    return {
        "intake": intake,
        "sources": sources,
        "conclusion": conclusions[0] if conclusions else None,
        "earlier_conclusions": conclusions[1:],
        "reuse": reuse,
    }


def may_share_dossier(user, case: Case) -> bool:
    """Only the Bibob coordinator on the case shares (docs/domain.md §6.4 "S")."""
    return case.case_type == CODE and decide(user, SHARE, "bibob_dossier", case=case)


def _share_log(*, user, case, recipient_code, recipient, result, object_id="",
               request=None):  # fmt: skip
    try:
        basis = ShareRecipient(recipient_code).legal_basis
    except ValueError:
        basis = ""
    return log_access(
        user=user, action=AccessLog.Action.SHARE, object_type="document",
        object_id=object_id, data_class=DataClass.D5, case=case,
        purpose_code=recipient_code[:50], legal_basis_code=basis,
        recipient=recipient[:200], result=result, request=request,
    )  # fmt: skip


def bibob_share_check(*, case: Case, user, recipient_code: str, purpose: str) -> None:
    """Refuse a share before anything is made: the sharer, the recipient of
    art 28 lid 2, the reason. Raises PermissionDenied or ValidationError."""
    if not may_share_dossier(user, case):
        raise PermissionDenied(SHARE_NOT_ALLOWED)
    if not recipient_code or not purpose.strip():
        raise ValidationError(REASON_REQUIRED)
    if recipient_code not in ShareRecipient.values:
        raise ValidationError(RECIPIENT_NOT_LISTED)


def bibob_share_refused(
    *, case: Case, user, recipient_code: str, recipient_name: str, request=None
) -> None:
    """Log a refused share as denied (docs/domain.md §6.5 "result"). Called outside
    the refused transaction, so the row stays."""
    _share_log(
        user=user, case=case, recipient_code=recipient_code,
        recipient=recipient_name, result=AccessLog.Result.DENIED, request=request,
    )  # fmt: skip


@transaction.atomic
def bibob_share(
    *,
    case: Case,
    user,
    recipient_code: str,
    recipient_name: str,
    purpose: str,
    shared_data: str,
    recipient_address: list[str] | None = None,
    request=None,
) -> BibobShare:
    """Share dossier data with a recipient of Wet Bibob art 28 lid 2: the
    document (D5) printed with the art 28 lid 3 warning, a dossier row, and a
    SHARE row in the access log with the recipient and the legal basis.
    Anyone but the coordinator, and any recipient not in lid 2, is refused."""
    from casework import documents

    bibob_share_check(
        case=case, user=user, recipient_code=recipient_code, purpose=purpose
    )
    inputs = {
        "reference": case.reference,
        "date": timezone.localdate().isoformat(),
        "recipient_name": recipient_name.strip(),
        "recipient_code": recipient_code,
        "purpose": purpose.strip(),
        "shared_data": shared_data.strip(),
    }
    if recipient_address:
        inputs["recipient_address"] = list(recipient_address)
    document = documents.document_generate(
        case=case, user=user, template_key="verstrekking_bibob", inputs=inputs,
        data_class=DataClass.D5,
    )  # fmt: skip
    share = BibobShare(
        case=case,
        recipient_code=recipient_code,
        recipient_name=recipient_name.strip(),
        purpose=purpose.strip(),
        document=document,
        shared_by=user,
    )
    share.full_clean()
    share.save()
    _share_log(
        user=user, case=case, recipient_code=recipient_code,
        recipient=share.recipient_name, result=AccessLog.Result.OK,
        object_id=document.pk, request=request,
    )  # fmt: skip
    _note(
        case,
        user,
        gettext("Bibob data shared under %(basis)s with %(recipient)s")
        % {
            "basis": ShareRecipient(recipient_code).legal_basis,
            "recipient": share.recipient_name,
        },
    )
    return share


def shares_of(case: Case) -> list[BibobShare]:
    """The shares with their sharer; the document is linked by its id (its
    row holds the PDF, which the dossier does not show)."""
    return _shares(case.pk)


@transaction.atomic
def bibob_permit_handler_add(*, case: Case, user, handler) -> BibobPermitHandler:
    """Name the user who handles the permit: it then sees the outcome and the
    suspension of the decision term (`workflows.bibob.selectors`), never the
    dossier, and it does not join the case team."""
    _require_write(user, case)
    membership = Membership.objects.filter(user=handler).first()
    if membership is None or membership.role != Role.VERGUNNING:
        raise ValidationError(NOT_A_PERMIT_HANDLER % {"user": handler.get_username()})
    row, _created = BibobPermitHandler.objects.get_or_create(
        case=case, user=handler, defaults={"added_by": user}
    )
    _note(
        case,
        user,
        gettext("Permit handler named: %(user)s") % {"user": handler.get_username()},
    )
    return row


def permit_handlers_of(case: Case) -> list[BibobPermitHandler]:
    return _permit_handlers(case.pk)
