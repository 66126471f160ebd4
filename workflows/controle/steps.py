"""The steps of the visit day (docs/domain.md §4.3 C30 → C35 → C40 →
C45/C50): each records its date on the current visit, and each date is
checked against what it depends on before the transition runs
(`casework.steps.Step.checks`): the briefing and the start not before the
planned date, the start not before the briefing, the end or the abort not
before the start. Every date records a fact, so none lies in the future.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms import DATE_WIDGET, DateField
from casework.rules import Refusal, refuse
from casework.steps import Step, StepForm, not_future, nothing

from .models import Visit, current_visit

RULE_VISIT_DAY = "§4.3 C30 → C40: niet vóór de geplande datum"
RULE_VISIT_ORDER = "§4.3 C35 → C50: briefing, begin en einde in volgorde"

BRIEFING_BEFORE_PLAN = _(
    "The briefing is held on the day of the visit: not before the planned "
    "date, %(date)s."
)
START_BEFORE_PLAN = _("The visit cannot start before its planned date, %(date)s.")
START_BEFORE_BRIEFING = _(
    "The visit cannot start before the briefing, which was held on %(date)s."
)
FINISH_BEFORE_START = _("The visit cannot finish before it started, on %(date)s.")
ABORT_BEFORE_START = _("The visit cannot be aborted before it started, on %(date)s.")
ABORT_REASON_REQUIRED = _("Give the reason for aborting the visit.")


class BriefingHeldForm(StepForm):
    held_on = DateField(
        label=_("Briefing held on"), widget=DATE_WIDGET, validators=[not_future]
    )


class VisitStartForm(StepForm):
    started_on = DateField(
        label=_("Visit started on"), widget=DATE_WIDGET, validators=[not_future]
    )


class VisitFinishForm(StepForm):
    finished_on = DateField(
        label=_("Visit finished on"), widget=DATE_WIDGET, validators=[not_future]
    )


class VisitAbortForm(StepForm):
    aborted_on = DateField(
        label=_("Visit aborted on"), widget=DATE_WIDGET, validators=[not_future]
    )

    def clean_note(self):
        note = self.cleaned_data.get("note", "").strip()
        if not note:
            # §4.3 C40 → C45: the aborted record says why (premises closed,
            # safety, no access).
            raise forms.ValidationError(ABORT_REASON_REQUIRED)
        return note


def _planned_on(visit: Visit | None):
    if visit is None or visit.planned_at is None:
        return None
    return timezone.localdate(visit.planned_at)


# --- Checks: check(case, data) -> Refusal | None --------------------------------


def briefing_not_before_plan(case, data) -> Refusal | None:
    """§4.3 C30 → C35: the briefing shares need-to-know data on the day of
    the visit, not days before it."""
    planned_on = _planned_on(current_visit(case))
    held_on = data.get("held_on")
    if planned_on and held_on and held_on < planned_on:
        return refuse(RULE_VISIT_DAY, BRIEFING_BEFORE_PLAN, on=planned_on)
    return None


def start_not_before_plan(case, data) -> Refusal | None:
    """§4.3 C35 → C40: the visit starts on its planned date or later."""
    planned_on = _planned_on(current_visit(case))
    started_on = data.get("started_on")
    if planned_on and started_on and started_on < planned_on:
        return refuse(RULE_VISIT_DAY, START_BEFORE_PLAN, on=planned_on)
    return None


def start_not_before_briefing(case, data) -> Refusal | None:
    """§4.3 C30 → C35 → C40: the briefing comes before the start."""
    visit = current_visit(case)
    started_on = data.get("started_on")
    if visit and visit.briefing_on and started_on and started_on < visit.briefing_on:
        return refuse(RULE_VISIT_ORDER, START_BEFORE_BRIEFING, on=visit.briefing_on)
    return None


def _started_on(case):
    """The recorded start of the current visit, else its planned date."""
    visit = current_visit(case)
    if visit is None:
        return None
    return visit.started_on or _planned_on(visit)


def finish_not_before_start(case, data) -> Refusal | None:
    """§4.3 C40 → C50: the visit finishes on or after the day it started (and
    so never before its planned date)."""
    started_on = _started_on(case)
    finished_on = data.get("finished_on")
    if started_on and finished_on and finished_on < started_on:
        return refuse(RULE_VISIT_ORDER, FINISH_BEFORE_START, on=started_on)
    return None


def abort_not_before_start(case, data) -> Refusal | None:
    """§4.3 C40 → C45: a visit is aborted on site, after it started."""
    started_on = _started_on(case)
    aborted_on = data.get("aborted_on")
    if started_on and aborted_on and aborted_on < started_on:
        return refuse(RULE_VISIT_ORDER, ABORT_BEFORE_START, on=started_on)
    return None


# --- After-hooks: the date on the current visit ----------------------------------


def _recorder(field: str, key: str):
    def record(case, user, data, *, source: str = "") -> None:
        visit = current_visit(case)
        if visit is not None and data.get(key):
            Visit.objects.filter(pk=visit.pk).update(**{field: data[key]})

    record.__name__ = f"record_{field}"
    record.__doc__ = f"Record the step's date as the current visit's {field}."
    return record


def _today(key: str):
    def initial(name, case) -> dict:
        return {key: timezone.localdate()}

    return initial


CONTROLE_STEPS = {
    "hold_briefing": Step(
        BriefingHeldForm,
        _recorder("briefing_on", "held_on"),
        initial=_today("held_on"),
        checks=(briefing_not_before_plan,),
    ),
    "start_visit": Step(
        VisitStartForm,
        _recorder("started_on", "started_on"),
        initial=_today("started_on"),
        checks=(start_not_before_plan, start_not_before_briefing),
    ),
    "finish_visit": Step(
        VisitFinishForm,
        _recorder("finished_on", "finished_on"),
        initial=_today("finished_on"),
        checks=(finish_not_before_start,),
    ),
    "abort": Step(
        VisitAbortForm,
        _recorder("aborted_on", "aborted_on"),
        initial=_today("aborted_on"),
        checks=(abort_not_before_start,),
    ),
    # The feedback step calls for its letter.
    "give_feedback": Step(None, nothing, letter="terugkoppeling_controle"),
}
