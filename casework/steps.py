"""Steps that carry data: the form a step asks for and what it sets in motion.

Most transitions need only a note. A case type registers, with its
`CaseTypeEntry.steps`, the steps that ask for a date or a term and, in the
same transaction as the status change, set deadlines through the deadline
engine, close the ones the step answers and open the legal protection against
a besluit on its bekendmaking. `step_run` is the one entry point; the case
page sends these steps to their own page (`casework.views.case_step`).

This module holds what every case type shares: the `Step` record, the base
form, the forms of the Awb steps every besluit goes through (views on an
intention, Awb 4:8/4:9; bekendmaking, Awb 3:41) and `step_run`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import deadlines as deadline_engine
from casework.forms import DATE_WIDGET, TEXT_LENGTH, DateField, TokenForm
from casework.models import Case, Deadline
from casework.registry import registry
from casework.rules import StepRefused, refusal_of, run_checks

NOT_IN_FUTURE = _("This date cannot lie in the future.")
HEARING_REPORT_REQUIRED = _(
    "Views given orally need a report of the hearing (Awb 4:9)."
)


def not_future(value: date) -> date:
    if value > timezone.localdate():
        raise ValidationError(NOT_IN_FUTURE)
    return value


class StepForm(TokenForm):
    note = forms.CharField(
        label=_("Note or reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LENGTH,
    )


class IntentionTermForm(StepForm):
    """A voornemen sent with a period for views (Awb 4:8): the day it was sent
    and the period, which the step sets as a deadline. A case type adds what
    its voornemen intends and may set other bounds on the period."""

    sent_on = DateField(
        label=_("Intention sent on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_("The views period starts the day after."),
    )
    term_length = forms.IntegerField(
        label=_("Period for views"), min_value=1, max_value=90, initial=2
    )
    term_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[
            (Deadline.Unit.WEEKS, Deadline.Unit.WEEKS.label),
            (Deadline.Unit.DAYS, Deadline.Unit.DAYS.label),
        ],
        initial=Deadline.Unit.WEEKS,
    )
    atw_applies = forms.BooleanField(
        label=_("Extend by the Algemene termijnenwet as good practice"),
        required=False,
        help_text=_(
            "A period set in a letter is not extended by the Atw by law; "
            "many municipalities extend it anyway."
        ),
    )

    def clean(self):
        """The last day the letter gives the addressee is never a Saturday,
        Sunday or holiday (Atw art 1, 3): a period that would end on one is
        extended by the Atw or given another length."""
        from casework.deadlines import equated_holidays
        from casework.letters import format_date
        from casework.terms import compute_term, is_rest_day

        data = super().clean()
        sent_on, length = data.get("sent_on"), data.get("term_length")
        unit = data.get("term_unit")
        if sent_on is None or not length or data.get("atw_applies"):
            return data
        extra = equated_holidays()
        unit_key = {Deadline.Unit.WEEKS: "weeks", Deadline.Unit.DAYS: "days"}.get(unit)
        if unit_key is None:
            return data
        end = compute_term(sent_on, atw=False, **{unit_key: length}).end
        if is_rest_day(end, extra):
            self.add_error(
                "atw_applies",
                _(
                    "The period would end on %(day)s, a Saturday, Sunday or "
                    "holiday: extend it by the Algemene termijnenwet or give "
                    "another length (Atw art 1)."
                )
                % {"day": format_date(end)},
            )
        return data


def views_term_create(case: Case, user, data: dict, *, title, basis: str) -> Deadline:
    """The period for views an `IntentionTermForm` sets (Awb 4:8): from the
    day the voornemen was sent, of the length and unit entered, extended by
    the Atw when the form says so."""
    return deadline_engine.deadline_create(
        case=case,
        user=user,
        title=str(title),
        legal_basis=basis,
        event_date=data["sent_on"],
        length=data["term_length"],
        unit=data["term_unit"],
        atw_applies=bool(data.get("atw_applies")),
        authorised=True,
    )


class ViewsForm(StepForm):
    ORAL = "oral"
    WRITTEN = "written"
    received_on = DateField(
        label=_("Views received or heard on"),
        widget=DATE_WIDGET,
        validators=[not_future],
    )
    manner = forms.ChoiceField(
        label=_("How"),
        choices=[(WRITTEN, _("In writing")), (ORAL, _("Orally, at a hearing"))],
        widget=forms.RadioSelect,
    )
    hearing_report = forms.CharField(
        label=_("Report of the hearing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_LENGTH,
    )

    def clean(self):
        data = super().clean()
        report = data.get("hearing_report", "").strip()
        if data.get("manner") == self.ORAL and not report:
            self.add_error("hearing_report", HEARING_REPORT_REQUIRED)
        return data


class NotificationForm(StepForm):
    made_known_on = DateField(
        label=_("Made known on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=_(
            "The day the besluit was sent or handed over (Awb 3:41); the "
            "objection period starts the day after."
        ),
    )
    manner = forms.ChoiceField(
        label=_("How"),
        choices=[
            ("post", _("Sent by post")),
            ("registered", _("Sent by registered post")),
            ("handed", _("Handed over in person")),
        ],
    )


def open_deadlines(case: Case, basis: str):
    return case.deadlines.filter(
        legal_basis=basis,
        state__in=[
            Deadline.State.OPEN,
            Deadline.State.SUSPENDED,
            Deadline.State.LAPSED,
        ],
    )


def close_deadlines(case: Case, user, basis: str, on: date) -> None:
    for deadline in open_deadlines(case, basis):
        deadline_engine.deadline_mark_met(
            deadline=deadline, user=user, on=on, authorised=True
        )


@dataclass(frozen=True)
class Step:
    form: type[StepForm] | None
    after: Callable[..., None]
    # The letter template this step calls for, or a function of the step's
    # form data that names it.
    letter: str | Callable[[dict], str] = ""
    # Initial form values besides today's dates: initial(name, case) -> dict.
    initial: Callable[[str, Case], dict] | None = None
    # The law's preconditions on the step's inputs: check(case, data) ->
    # casework.rules.Refusal | None, run by `step_run` before the transition
    # (a bekendmaking dated before the besluit, an aanmaning before payment
    # was due). Preconditions of the case alone are guards on the transition.
    checks: tuple[Callable[[Case, dict], object], ...] = ()

    def letter_for(self, data: dict) -> str:
        return self.letter(data) if callable(self.letter) else self.letter


def nothing(case, user, data, *, source: str = "") -> None:
    """A step that only calls for its letter."""


def transition_choices(case: Case, user) -> tuple[list, list]:
    """The transitions from the case's status that the user's role may take:
    those possible now as (name, label), and those the law still refuses as
    (name, label, refusals) — a term still running, a besluit not yet taken
    (`casework.rules.guard`). Both in the order the machine declares them.
    Each condition is asked once."""
    proxy = registry.proxy_for(case)
    field = proxy._meta.get_field("status")
    state = proxy.status
    available, blocked = [], []
    transitions = [
        transition
        for method in field.transitions[proxy.__class__].values()
        if (transition := method._django_fsm.get_transition(state)) is not None
        and transition.has_perm(proxy, user)
    ]
    for transition in sorted(
        transitions, key=lambda t: t.method.__code__.co_firstlineno
    ):
        label = transition.custom.get("label", transition.name)
        refusals = [
            refusal
            for condition in transition.conditions
            if (refusal := refusal_of(condition, proxy)) is not None
        ]
        if refusals:
            blocked.append((transition.name, label, refusals))
        else:
            available.append((transition.name, label))
    return available, blocked


def available_transitions(case: Case, user) -> list[tuple[str, str]]:
    """Transitions the user may run now, as (name, label) pairs, in the order
    the case type's machine declares them (not alphabetically)."""
    return transition_choices(case, user)[0]


def step_for(case: Case, name: str) -> Step | None:
    return registry.step(case.case_type, name)


def step_form(case: Case, name: str):
    step = step_for(case, name)
    return step.form if step else None


def initial_for(name: str, case: Case) -> dict:
    """Today's date for every date a step asks, and what the step itself
    proposes (a policy rule's amounts, an outstanding amount)."""
    today = timezone.localdate()
    initial = {
        "sent_on": today,
        "received_on": today,
        "made_known_on": today,
        "forfeited_on": today,
        "paid_on": today,
        "closed_on": today,
    }
    step = step_for(case, name)
    if step is not None and step.initial is not None:
        initial.update(step.initial(name, case))
    return initial


@transaction.atomic
def step_run(*, case: Case, name: str, user, note: str = "", data=None) -> Case:
    """Run the transition and what the step sets in motion, all or nothing."""
    from casework.services import case_transition

    data = data or {}
    step = step_for(case, name)
    if step is not None and step.checks:
        refusals = run_checks(step.checks, registry.proxy_for(case), data)
        if refusals:
            raise StepRefused(refusals)
    source = Case.objects.values_list("status", flat=True).get(pk=case.pk)
    text = note
    if data.get("hearing_report"):
        text = f"{note}\n\n{_('Report of the hearing')}:\n{data['hearing_report']}"
    case = case_transition(case=case, name=name, user=user, note=text.strip())
    if step is not None:
        step.after(case, user, data, source=source)
    return case
