"""Decision terms of Bibob applications as policy data, and the art 31
suspension of that term while the LBB advice is pending (docs/domain.md §3.2,
§3.5; docs/architecture.md core idea 6).

Every application type has a `DecisionTermPolicy` with validity dates: the
beslistermijn, its legal basis and how far it may be extended once. On intake
(`beslistermijn_start`) the policy valid on the day of receipt sets the
beslistermijn through the deadline engine; the ledger of that deadline then
carries every suspension and extension with its reason:

- Awb 4:15 lid 1 a: from the day after the invitation to complete the
  application up to and including the day it is completed, or the day the
  repair period ended unused;
- Wet Bibob art 31: from the day the LBB advice is requested up to and
  including the day it is received, never beyond `bibob_art31_cap` (8 weeks
  + the art 15 lid 2 intervals + the one extension of at most 4 weeks). The
  cap is the suspension's `cap_end`; `casework.deadlines.deadlines_sweep`
  ends a suspension at its cap and alerts the owner. When the cap moves (an
  art 15 lid 2 interval closes, the LBB extends), the running suspension is
  split at that day into two adjacent lines, the second carrying the new
  cap: the number of suspended days is the same, and the trail says why.
- Verdaging (Ow 16.64 lid 2; Awb 4:14): once, by at most the policy's
  extension (`beslistermijn_extend`).

The LBB's own advice term (art 15: 8 weeks, suspended under lid 2, extended
once under lid 3) is a deadline of its own; the art 31 cap is computed from
its ledger, so each number in the cap has its line.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import deadlines as deadline_engine
from casework.models import Case, Deadline, DeadlineAdjustment
from casework.terms import NEGATIVE_DAYS

POLICY_OVERLAP = _("Another decision term is valid for this type in the same period.")
NO_POLICY = _("No decision term is set for %(type)s on %(date)s.")
EXTENSION_USED = _("The decision term can be extended only once.")
EXTENSION_NOT_ALLOWED = _("The decision term of %(type)s may not be extended.")
EXTENSION_TOO_LONG = _(
    "The decision term of %(type)s may be extended by at most %(n)s weeks."
)
NO_DECISION_TERM = _("This case has no running decision term.")


class ApplicationType(models.TextChoices):
    OMGEVINGSVERGUNNING = "omgevingsvergunning", _("Omgevingsvergunning")
    EXPLOITATIEVERGUNNING = "exploitatievergunning", _("Exploitatievergunning (APV)")
    ALCOHOLWET = "alcoholwet", _("Alcoholwet licence")
    SUBSIDIE = "subsidie", _("Subsidy")
    VASTGOEDTRANSACTIE = "vastgoedtransactie", _("Real-estate transaction")


class DecisionTermPolicy(models.Model):
    """The beslistermijn of one application type, valid for a period."""

    application_type = models.CharField(
        _("application type"), max_length=30, choices=ApplicationType.choices
    )
    weeks = models.PositiveSmallIntegerField(_("decision term (weeks)"))
    extension_weeks = models.PositiveSmallIntegerField(
        _("extension at most (weeks)"),
        default=0,
        help_text=_("The term may be extended once by at most this; 0: not at all."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    atw_applies = models.BooleanField(
        _("Algemene termijnenwet applies"),
        default=True,
        help_text=_("Yes for a term set by law or AMvB; no for one set in an APV."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("decision term policy")
        verbose_name_plural = _("decision term policies")
        ordering = ["application_type", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="term_policy_valid_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_application_type_display()}: {self.weeks} weeks"

    def clean(self) -> None:
        overlapping = DecisionTermPolicy.objects.filter(
            application_type=self.application_type
        ).exclude(pk=self.pk)
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if overlapping.exists():
            raise ValidationError(POLICY_OVERLAP)


# Legal bases that name the Bibob deadlines (the ledger lines carry them too).
REPAIR_SUSPENSION_BASIS = "Awb 4:15 lid 1 a"
ART31_BASIS = "Wet Bibob art 31"

# Wet Bibob art 31 with art 15 lid 1 and 3.
ART31_BASE_DAYS = 8 * 7
ART31_MAX_EXTENSION_DAYS = 4 * 7
ART31_EXTENSION_TOO_LONG = _(
    "The LBB can extend its advice term once, by at most four weeks (28 days), "
    "not by %(n)s days (Wet Bibob art 15 lid 3)."
)


def bibob_art31_cap(requested: date, lid2_days: int, extension_days: int) -> date:
    """The last day the beslistermijn can stay suspended for an LBB advice
    requested on `requested` (Wet Bibob art 31).

    The suspension starts on the day of the request and lasts at most the
    advice term of art 15 lid 1 (8 weeks), plus the days the LBB term was
    suspended under art 15 lid 2, plus its one extension of at most 4 weeks
    (art 15 lid 3). The request day is the first suspended day, so the cap is
    that day plus the total minus one.
    """
    if lid2_days < 0 or extension_days < 0:
        raise ValueError(str(NEGATIVE_DAYS))
    if extension_days > ART31_MAX_EXTENSION_DAYS:
        raise ValueError(str(ART31_EXTENSION_TOO_LONG) % {"n": extension_days})
    return requested + timedelta(days=ART31_BASE_DAYS + lid2_days + extension_days - 1)


LBB_TERM_BASIS = "Wet Bibob art 15 lid 1"
LBB_LID2_BASIS = "Wet Bibob art 15 lid 2"
LBB_LID3_BASIS = "Wet Bibob art 15 lid 3"
EXTENSION_BASIS = "Awb 4:14; verdaging"

# The example policy (docs/domain.md §3.2). Only the omgevingsvergunning is a
# statutory term checked against the text (Ow 16.64); the others are the
# Awb 4:13 default until the municipality enters its own (APV, verordening).
EXAMPLE_POLICY = [
    (ApplicationType.OMGEVINGSVERGUNNING, 8, 6, "Ow 16.64 lid 1 en 2", True),
    (ApplicationType.EXPLOITATIEVERGUNNING, 8, 8, "APV; Awb 4:13", False),
    (ApplicationType.ALCOHOLWET, 8, 0, "Awb 4:13", True),
    (ApplicationType.SUBSIDIE, 8, 0, "Awb 4:13; subsidieverordening", True),
    (ApplicationType.VASTGOEDTRANSACTIE, 8, 0, "Awb 4:13", True),
]


def seed_example_term_policy(*, valid_from: date = date(2024, 1, 1)) -> int:
    """The example terms of docs/domain.md §3.2, for a fresh installation or the
    demo; skips types that already have a policy. Returns how many it made."""
    made = 0
    for kind, weeks, extension, basis, atw in EXAMPLE_POLICY:
        if DecisionTermPolicy.objects.filter(application_type=kind).exists():
            continue
        DecisionTermPolicy.objects.create(
            application_type=kind,
            weeks=weeks,
            extension_weeks=extension,
            legal_basis=basis,
            atw_applies=atw,
            valid_from=valid_from,
        )
        made += 1
    return made


def term_policy_for(application_type: str, on: date) -> DecisionTermPolicy:
    """The policy valid on `on` for the application type."""
    policy = (
        DecisionTermPolicy.objects.filter(
            application_type=application_type, valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if policy is None:
        raise ValidationError(
            NO_POLICY
            % {
                "type": ApplicationType(application_type).label,
                "date": on.isoformat(),
            }
        )
    return policy


def beslistermijn_title(policy: DecisionTermPolicy) -> str:
    return gettext("Decision term: %(type)s") % {
        "type": policy.get_application_type_display()
    }


def beslistermijn_start(*, case: Case, user, policy: DecisionTermPolicy, received_on):
    """The beslistermijn from the day after receipt (Awb 6:8 convention), set
    by the intake step whose permission was checked."""
    return deadline_engine.deadline_create(
        case=case,
        user=user,
        title=beslistermijn_title(policy),
        legal_basis=policy.legal_basis,
        event_date=received_on,
        length=policy.weeks,
        unit=Deadline.Unit.WEEKS,
        atw_applies=policy.atw_applies,
        obligation=Deadline.Obligation.ORGAN,
        authorised=True,
    )


def beslistermijn(case: Case) -> Deadline | None:
    """The running (or suspended) decision term of the case."""
    from workflows.bibob.models import BibobIntake

    intake = BibobIntake.objects.filter(case=case).select_related("policy").first()
    if intake is None or intake.policy is None:
        return None
    return (
        case.deadlines.filter(
            legal_basis=intake.policy.legal_basis,
            title=beslistermijn_title(intake.policy),
        )
        .order_by("-id")
        .first()
    )


def _running(deadline: Deadline, basis: str) -> DeadlineAdjustment | None:
    return deadline.adjustments.filter(
        kind=DeadlineAdjustment.Kind.SUSPENSION,
        end__isnull=True,
        legal_basis__startswith=basis,
    ).first()


@transaction.atomic
def beslistermijn_extend(*, case: Case, user, weeks: int, reason: str) -> Deadline:
    """Verdaging, once, by at most the policy's extension (Ow 16.64 lid 2)."""
    from workflows.bibob.models import BibobIntake

    deadline = beslistermijn(case)
    if deadline is None:
        raise ValidationError(NO_DECISION_TERM)
    policy = BibobIntake.objects.get(case=case).policy
    label = policy.get_application_type_display()
    if not policy.extension_weeks:
        raise ValidationError(EXTENSION_NOT_ALLOWED % {"type": label})
    if weeks < 1 or weeks > policy.extension_weeks:
        raise ValidationError(
            EXTENSION_TOO_LONG % {"type": label, "n": policy.extension_weeks}
        )
    if deadline.adjustments.filter(kind=DeadlineAdjustment.Kind.EXTENSION).exists():
        raise ValidationError(EXTENSION_USED)
    return deadline_engine.deadline_extend(
        deadline=deadline,
        user=user,
        days=7 * weeks,
        legal_basis=f"{EXTENSION_BASIS} ({policy.legal_basis})",
        reason=reason,
    )


# Awb 4:15 lid 1 a ------------------------------------------------------------


def repair_suspend(*, case: Case, user, invited_on: date) -> None:
    deadline = beslistermijn(case)
    if deadline is None:
        return
    deadline_engine.deadline_suspend(
        deadline=deadline,
        user=user,
        start=invited_on + timedelta(days=1),
        legal_basis=REPAIR_SUSPENSION_BASIS,
        reason=gettext("invited to complete the application on %(date)s")
        % {"date": invited_on.isoformat()},
    )


def repair_resume(*, case: Case, user, last_day: date) -> None:
    deadline = beslistermijn(case)
    if deadline is None or _running(deadline, REPAIR_SUSPENSION_BASIS) is None:
        return
    deadline_engine.deadline_resume(deadline=deadline, user=user, last_day=last_day)


# Art 31 and the LBB advice term ------------------------------------------------


def lbb_term(case: Case) -> Deadline | None:
    return case.deadlines.filter(legal_basis=LBB_TERM_BASIS).order_by("-id").first()


def _lid2_days(term: Deadline, ledger=None) -> int:
    """Days the LBB term was suspended under art 15 lid 2; a running interval
    moves the cap only once it closes. `ledger`: the term's adjustments when
    already read."""
    if ledger is None:
        ledger = term.adjustments.filter(kind=DeadlineAdjustment.Kind.SUSPENSION)
    days = 0
    for adj in ledger:
        if adj.kind == DeadlineAdjustment.Kind.SUSPENSION and adj.end is not None:
            days += (adj.end - adj.start).days + 1
    return days


def _extension_days(term: Deadline, ledger=None) -> int:
    if ledger is None:
        return sum(
            term.adjustments.filter(kind=DeadlineAdjustment.Kind.EXTENSION).values_list(
                "days", flat=True
            )
        )
    return sum(a.days for a in ledger if a.kind == DeadlineAdjustment.Kind.EXTENSION)


def _cap_of(term: Deadline, ledger=None) -> date:
    return bibob_art31_cap(
        term.event_date, _lid2_days(term, ledger), _extension_days(term, ledger)
    )


def art31_cap(case: Case) -> date | None:
    """The last day the beslistermijn may stay suspended for the pending
    advice: `bibob_art31_cap` from the LBB term's own ledger."""
    term = lbb_term(case)
    if term is None:
        return None
    return _cap_of(term)


def dossier_terms(
    case: Case, intake
) -> tuple[Deadline | None, Deadline | None, date | None]:
    """`beslistermijn`, `lbb_term` and `art31_cap` of the case for the dossier
    page, from the intake it read already: one read of the two kinds of
    deadline (the newest of each counts, as there), and one of the LBB term's
    ledger when there is such a term."""
    policy = intake.policy if intake is not None else None
    wanted = Q(legal_basis=LBB_TERM_BASIS)
    title = ""
    if policy is not None:
        title = beslistermijn_title(policy)
        wanted |= Q(legal_basis=policy.legal_basis, title=title)
    decision = lbb = None
    for deadline in case.deadlines.filter(wanted).order_by("-id"):
        if lbb is None and deadline.legal_basis == LBB_TERM_BASIS:
            lbb = deadline
        if decision is None and policy is not None:
            if (deadline.legal_basis, deadline.title) == (policy.legal_basis, title):
                decision = deadline
    cap = _cap_of(lbb, list(lbb.adjustments.all())) if lbb is not None else None
    return decision, lbb, cap


def advice_requested(*, case: Case, user, requested_on: date) -> None:
    """Open the LBB advice term and suspend the beslistermijn from the
    request day, capped (art 31)."""
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=gettext("Advice term of the LBB"),
        legal_basis=LBB_TERM_BASIS,
        event_date=requested_on,
        length=8,
        unit=Deadline.Unit.WEEKS,
        atw_applies=True,
        obligation=Deadline.Obligation.PARTY,
        authorised=True,
    )
    deadline = beslistermijn(case)
    if deadline is None:  # an intrekking inquiry has no beslistermijn
        return
    deadline_engine.deadline_suspend(
        deadline=deadline,
        user=user,
        start=requested_on,
        cap_end=art31_cap(case),
        legal_basis=ART31_BASIS,
        reason=gettext("LBB advice requested on %(date)s")
        % {"date": requested_on.isoformat()},
    )


def _move_cap(*, case: Case, user, on: date, why: str) -> None:
    """The cap moved: split the running art 31 suspension at `on` so that the
    part from `on` carries the new cap. Adjacent lines, same days."""
    deadline = beslistermijn(case)
    cap = art31_cap(case)
    if deadline is None or cap is None:
        return
    running = _running(deadline, ART31_BASIS)
    if running is not None:
        if running.cap_end == cap:
            return
        last_day = max(on - timedelta(days=1), running.start)
        deadline_engine.deadline_resume(deadline=deadline, user=user, last_day=last_day)
        start = last_day + timedelta(days=1)
    else:
        # The sweep already ended the suspension at its old cap: the days
        # after it up to the new cap are suspended again.
        previous = (
            deadline.adjustments.filter(legal_basis__startswith=ART31_BASIS)
            .exclude(cap_end__isnull=True)
            .order_by("-id")
            .first()
        )
        if previous is None or previous.cap_end >= cap:
            return
        start = previous.cap_end + timedelta(days=1)
    deadline_engine.deadline_suspend(
        deadline=deadline,
        user=user,
        start=start,
        cap_end=cap,
        legal_basis=ART31_BASIS,
        reason=why,
    )


def lbb_data_requested(*, case: Case, user, asked_on: date) -> None:
    """Art 15 lid 2: the LBB term stands still while the data is missing."""
    deadline_engine.deadline_suspend(
        deadline=lbb_term(case),
        user=user,
        start=asked_on,
        legal_basis=LBB_LID2_BASIS,
        reason=gettext("the LBB asked for more data on %(date)s")
        % {"date": asked_on.isoformat()},
    )


def lbb_data_supplied(*, case: Case, user, supplied_on: date) -> None:
    """The lid 2 interval closes on the day the data is supplied; the art 31
    cap moves by its days."""
    term = lbb_term(case)
    deadline_engine.deadline_resume(deadline=term, user=user, last_day=supplied_on)
    _move_cap(
        case=case,
        user=user,
        on=supplied_on,
        why=gettext("LBB advice pending; cap moved by the art 15 lid 2 interval"),
    )


def lbb_extension_used(case: Case) -> bool:
    term = lbb_term(case)
    return (
        term is not None
        and term.adjustments.filter(kind=DeadlineAdjustment.Kind.EXTENSION).exists()
    )


def lbb_extended(*, case: Case, user, notified_on: date, days: int) -> None:
    """Art 15 lid 3: once, at most four weeks; the art 31 cap moves with it
    (`bibob_art31_cap` refuses more than 28 days)."""
    term = lbb_term(case)
    try:
        bibob_art31_cap(term.event_date, 0, days)  # checks the length
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    deadline_engine.deadline_extend(
        deadline=term,
        user=user,
        days=days,
        legal_basis=LBB_LID3_BASIS,
        reason=gettext("extension notified on %(date)s")
        % {"date": notified_on.isoformat()},
    )
    _move_cap(
        case=case,
        user=user,
        on=notified_on,
        why=gettext("LBB advice pending; cap moved by the LBB's extension"),
    )


def advice_ended(*, case: Case, user, on: date) -> None:
    """The advice was received (or the LBB declined): the art 31 suspension
    ends on that day and the LBB term is met."""
    term = lbb_term(case)
    if term is not None and term.state in (
        Deadline.State.OPEN,
        Deadline.State.SUSPENDED,
        Deadline.State.LAPSED,
    ):
        running = term.adjustments.filter(
            kind=DeadlineAdjustment.Kind.SUSPENSION, end__isnull=True
        ).first()
        if running is not None:
            deadline_engine.deadline_resume(deadline=term, user=user, last_day=on)
        deadline_engine.deadline_mark_met(
            deadline=term, user=user, on=on, authorised=True
        )
    deadline = beslistermijn(case)
    if deadline is None or _running(deadline, ART31_BASIS) is None:
        return  # none, or already ended at its cap by the sweep
    deadline_engine.deadline_resume(deadline=deadline, user=user, last_day=on)


def art31_suspension_end(*, case: Case, user) -> None:
    """End a running art 31 suspension at its cap (`deadline_resume` caps
    the last day); nothing when none runs."""
    deadline = beslistermijn(case)
    cap = art31_cap(case)
    if deadline is None or cap is None or _running(deadline, ART31_BASIS) is None:
        return
    deadline_engine.deadline_resume(deadline=deadline, user=user, last_day=cap)


def beslistermijn_close(*, case: Case, user, on: date) -> None:
    """The decision was made known (or the application withdrawn): the term
    is met; a running suspension ends the day before."""
    deadline = beslistermijn(case)
    if deadline is None or deadline.state == Deadline.State.MET:
        return
    running = deadline.adjustments.filter(
        kind=DeadlineAdjustment.Kind.SUSPENSION, end__isnull=True
    ).first()
    if running is not None:
        deadline_engine.deadline_resume(
            deadline=deadline, user=user, last_day=max(on, running.start)
        )
    deadline_engine.deadline_mark_met(
        deadline=deadline, user=user, on=on, authorised=True
    )
