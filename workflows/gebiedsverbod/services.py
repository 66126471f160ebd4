"""Writes of the gebiedsverbod package: the step entry point that names the
rule behind every refusal, the incidents, and the police's violation reports.

Who may do what is asked of the decision point (`permissions.decision`):
`user_can` for the case, `decide(WRITE, "has_gebiedsverbod_violations")` for
a partner's own violation reports (the section allows own items).
"""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from casework.models import Case
from casework.rules import StepRefused, refuse
from casework.steps import step_run
from permissions.decision import decide
from permissions.models import Organisation, Role
from permissions.policy import WRITE, actor_for
from permissions.services import user_can

from .machine import BURGEMEESTER_ONLY, CODE, S, guard_refusals, measure_of
from .measures import Incident, ViolationReport

ONLY_BURGEMEESTER = _(
    "Only the burgemeester takes this besluit: no police officer can be "
    "authorised to (Gemw 177 lid 2) and it cannot be transferred to a committee "
    "(Gemw 178 lid 2)."
)
NOT_ALLOWED = _("You may not do this on this case.")
NOT_THIS_TYPE = _("This is not a gebiedsverbod case.")
IN_FUTURE = _("This date cannot lie in the future.")
NOT_IN_FORCE = _(
    "A violation can only be reported while the order is made known and in "
    "force (Sr 184; Gemw 172a)."
)
OUTSIDE_TERM = _(
    "The violation of %(day)s lies outside the measure's term, %(start)s to "
    "%(end)s inclusive (Sr 184; Gemw 172a lid 6)."
)
BEFORE_KNOWN = _(
    "The violation of %(day)s lies before the order was made known on "
    "%(known)s: it did not bind the person yet (Awb 3:40)."
)
OM_DATE_REQUIRED = _(
    "Give the date the proces-verbaal was sent to the OM, and to whom."
)
OM_ONLY = _("A proces-verbaal goes to the Openbaar Ministerie (Sr 184).")

IN_FORCE_STATES = (S.E50, S.E60, S.E70)


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def gebiedsverbod_step(
    *, case: Case, name: str, user, note: str = "", data: dict | None = None
) -> Case:
    """Take a step, refusing with the rule's own message: the burgemeester's
    besluiten (Gemw 177 lid 2, 178 lid 2), the machine's guards, then the
    step's own date checks (in `step_run`'s transaction)."""
    if case.case_type != CODE:
        raise ValidationError(NOT_THIS_TYPE)
    current = Case.objects.get(pk=case.pk)
    if name in BURGEMEESTER_ONLY and actor_for(user).role != Role.BURGEMEESTER:
        raise PermissionDenied(ONLY_BURGEMEESTER)
    blocked = guard_refusals(current, name)
    if blocked:
        raise StepRefused(blocked)
    return step_run(case=current, name=name, user=user, note=note, data=data or {})


@transaction.atomic
def incident_record(
    *, case: Case, user, occurred_on: date, place: str, description: str
) -> Incident:
    """A dated incident the ground rests on, in the case handler's words."""
    if case.case_type != CODE or not user_can(user, WRITE, case):
        raise PermissionDenied(NOT_ALLOWED)
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": IN_FUTURE})
    return Incident.objects.create(
        case=case,
        occurred_on=occurred_on,
        place=place.strip(),
        description=description.strip(),
        recorded_by=user,
    )


VIOLATIONS = "has_gebiedsverbod_violations"  # the section's kind (registration)


def may_report_violation(user, case: Case) -> bool:
    """A partner on the case (the police) writes its own organisation's
    violation reports (D3, "own" in the matrix): the decision point's answer
    for the section, whatever the case's state (`violation_problems` tells
    the state)."""
    return case.case_type == CODE and decide(
        user, WRITE, VIOLATIONS, case=case,
        organisation_id=actor_for(user).organisation_id,
    )  # fmt: skip


RULE_IN_FORCE = "Sr 184; Gemw 172a"
RULE_TERM = "Sr 184; Gemw 172a lid 6"
RULE_KNOWN = "Awb 3:40"
RULE_FUTURE = "proces: geen datum in de toekomst"


def violation_problems(case: Case, occurred_on: date) -> list:
    """The refusals of a violation report: the order made known and in force
    (Sr 184), the violation within its term and after its bekendmaking."""
    measure = measure_of(case)
    status = Case.objects.values_list("status", flat=True).get(pk=case.pk)
    if (
        measure is None
        or measure.made_known_on is None
        or measure.withdrawn_on is not None
        or status not in IN_FORCE_STATES
    ):
        return [refuse(RULE_IN_FORCE, NOT_IN_FORCE)]
    if occurred_on > timezone.localdate():
        return [refuse(RULE_FUTURE, IN_FUTURE)]
    if occurred_on < measure.made_known_on:
        return [
            refuse(
                RULE_KNOWN,
                BEFORE_KNOWN,
                on=measure.made_known_on,
                day=occurred_on,
                known=measure.made_known_on,
            )
        ]
    if not measure.start_date <= occurred_on <= measure.end_date:
        return [
            refuse(
                RULE_TERM,
                OUTSIDE_TERM,
                on=measure.end_date
                if occurred_on > measure.end_date
                else measure.start_date,
                day=occurred_on,
                start=measure.start_date,
                end=measure.end_date,
            )
        ]
    return []


@transaction.atomic
def violation_report_create(
    *,
    case: Case,
    user,
    occurred_on: date,
    place: str,
    description: str,
    occurred_at: time | None = None,
    pv_number: str = "",
    forwarded_to_om_on: date | None = None,
    om: Organisation | None = None,
) -> ViolationReport:
    """The police report a violation within the measure's term (docs/domain.md §10.3
    E50 → E60). The report is theirs (D3); naming the OM records that the
    proces-verbaal went there and lets the OM read this report."""
    if not may_report_violation(user, case):
        raise PermissionDenied(NOT_ALLOWED)
    problems = violation_problems(case, occurred_on)
    if problems:
        raise StepRefused(problems)
    if (forwarded_to_om_on is None) != (om is None):
        raise ValidationError(OM_DATE_REQUIRED)
    if om is not None and om.kind != Organisation.Kind.OM:
        raise ValidationError(OM_ONLY)
    report = ViolationReport.objects.create(
        case=case,
        organisation_id=actor_for(user).organisation_id,
        reported_by=user,
        occurred_on=occurred_on,
        occurred_at=occurred_at,
        place=place.strip(),
        description=description.strip(),
        pv_number=pv_number.strip(),
        forwarded_to_om_on=forwarded_to_om_on,
    )
    if om is not None:
        report.shared_with.add(om)
    return report
