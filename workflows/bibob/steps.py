"""The Bibob steps that carry data (workflows/lod/steps.py does the same for the
LOD): the intake that starts the decision term, the repair period and its
suspension, the LBB advice with the art 31 suspension and the art 32 notice,
the voornemen with its views period, the bekendmaking that opens the legal
protection, and the withdrawal. Each runs in the transaction of its
transition (`casework.steps.step_run`).

Registered for `CODE` at import; `workflows/lod/steps.py` imports this
module once at its end.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import deadlines as deadline_engine
from casework.forms import DATE_WIDGET
from casework.models import Deadline
from casework.steps import (
    NotificationForm,
    Step,
    StepForm,
    ViewsForm,
    close_deadlines,
    not_future,
)
from workflows.bibob import terms as bibob_terms
from workflows.bibob.machine import (
    ART32_BASIS,
    NOT_PROCESSED_BASIS,
    REPAIR_BASIS,
    REPORT_BASIS,
    WITHDRAWAL_REPORT_BASIS,
    ZIENSWIJZE_BASIS,
    BibobStatus,
)
from workflows.bibob.models import IntakeKind
from workflows.bibob.terms import ART31_MAX_EXTENSION_DAYS, ApplicationType
from workflows.legal_protection.machine import DecisionKind


def _date(label, help_text=""):
    return forms.DateField(
        label=label, widget=DATE_WIDGET, validators=[not_future], help_text=help_text
    )


class IntakeForm(StepForm):
    kind = forms.ChoiceField(label=_("What came in"), choices=IntakeKind.choices)
    application_type = forms.ChoiceField(
        label=_("Decision concerned"), choices=ApplicationType.choices
    )
    received_on = _date(
        _("Received on"),
        _("For an application the decision term starts the day after."),
    )


class RepairForm(StepForm):
    sent_on = _date(
        _("Invitation to complete sent on"),
        _("The decision term is suspended from the day after (Awb 4:15 lid 1 a)."),
    )
    term_length = forms.IntegerField(
        label=_("Repair period"), min_value=1, max_value=90, initial=2
    )
    term_unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[
            (Deadline.Unit.WEEKS, Deadline.Unit.WEEKS.label),
            (Deadline.Unit.DAYS, Deadline.Unit.DAYS.label),
        ],
        initial=Deadline.Unit.WEEKS,
    )


class CompletionForm(StepForm):
    received_on = _date(_("Completed on"))


class DateForm(StepForm):
    """One date: when the step happened."""

    on = _date(_("Date"))


class ReportForm(StepForm):
    on = _date(_("Reported to the LBB on"))


class AdviceRequestForm(StepForm):
    on = _date(
        _("Advice requested on"),
        _("The decision term is suspended from this day (Wet Bibob art 31)."),
    )


class Art32Form(StepForm):
    on = _date(_("Notice sent to the betrokkene on"))


class LbbQuestionsForm(StepForm):
    on = _date(_("The LBB asked for more data on"))


class LbbDataForm(StepForm):
    on = _date(_("Data supplied to the LBB on"))


class LbbExtensionForm(StepForm):
    on = _date(_("Extension notified on"))
    days = forms.IntegerField(
        label=_("Extension (days)"),
        min_value=1,
        max_value=ART31_MAX_EXTENSION_DAYS,
        initial=ART31_MAX_EXTENSION_DAYS,
        help_text=_("Once, at most four weeks (Wet Bibob art 15 lid 3)."),
    )


class AdviceReceivedForm(StepForm):
    on = _date(
        _("Advice received on"),
        _("The suspension of the decision term ends on this day (art 31)."),
    )


class BibobIntentionForm(StepForm):
    intended = forms.ChoiceField(
        label=_("Intended decision"),
        choices=[
            ("weigering", _("Refusal")),
            ("intrekking", _("Revocation")),
            ("voorschriften", _("Conditions (art 3 lid 7)")),
        ],
    )
    sent_on = _date(_("Intention sent on"), _("The views period starts the day after."))
    term_length = forms.IntegerField(
        label=_("Period for views (weeks)"), min_value=1, max_value=12, initial=2
    )
    third_parties = forms.CharField(
        label=_("Third parties named in the intention (art 33)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Each gets the part of the advice about itself."),
    )


class WithdrawalForm(StepForm):
    on = _date(_("Withdrawn on"))
    bibob_related = forms.BooleanField(
        label=_("The withdrawal is related to the Bibob toets"),
        required=False,
        help_text=_("Then it must be reported to the LBB (Wet Bibob art 7a lid 8)."),
    )


def _task(case, user, *, title, basis, on, days=7) -> Deadline:
    """A report or notice the municipality owes "onverwijld": one week
    (💡 internal SLA of five working days, docs/domain.md §3.5)."""
    return deadline_engine.deadline_create(
        case=case,
        user=user,
        title=title,
        legal_basis=basis,
        event_date=on,
        length=days,
        unit=Deadline.Unit.DAYS,
        atw_applies=False,
        obligation=Deadline.Obligation.ORGAN,
        authorised=True,
    )


def _after_intake(case, user, data, *, source: str = "") -> None:
    from workflows.bibob.services import bibob_intake_record

    bibob_intake_record(
        case=case,
        user=user,
        kind=data["kind"],
        application_type=data["application_type"],
        received_on=data["received_on"],
        authorised=True,
    )


def _after_incomplete(case, user, data, *, source: str = "") -> None:
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=gettext("Period to complete the application"),
        legal_basis=REPAIR_BASIS,
        event_date=data["sent_on"],
        length=data["term_length"],
        unit=data["term_unit"],
        atw_applies=False,
        obligation=Deadline.Obligation.PARTY,
        authorised=True,
    )
    bibob_terms.repair_suspend(case=case, user=user, invited_on=data["sent_on"])


def _after_completion(case, user, data, *, source: str = "") -> None:
    day = data["received_on"]
    close_deadlines(case, user, REPAIR_BASIS, day)
    bibob_terms.repair_resume(case=case, user=user, last_day=day)


def _after_set_aside(case, user, data, *, source: str = "") -> None:
    """The repair period lapsed unused: the suspension ran up to and including
    its last day (4:15 lid 1 a); the besluit buiten behandeling must be made
    known within four weeks after it (4:5 lid 4, Atw applies)."""
    period = case.deadlines.filter(legal_basis=REPAIR_BASIS).order_by("-id").first()
    lapsed_on = period.end_date if period else timezone.localdate()
    close_deadlines(case, user, REPAIR_BASIS, lapsed_on)
    bibob_terms.repair_resume(case=case, user=user, last_day=lapsed_on)
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=gettext("Make the decision not to process known"),
        legal_basis=NOT_PROCESSED_BASIS,
        event_date=lapsed_on,
        length=4,
        unit=Deadline.Unit.WEEKS,
        atw_applies=True,
        obligation=Deadline.Obligation.ORGAN,
        authorised=True,
    )


def _after_report(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, REPORT_BASIS, data["on"])


def _after_advice_request(case, user, data, *, source: str = "") -> None:
    day = data["on"]
    bibob_terms.advice_requested(case=case, user=user, requested_on=day)
    _task(
        case,
        user,
        title=gettext("Tell the betrokkene that advice was requested (art 32)"),
        basis=ART32_BASIS,
        on=day,
    )


def _after_art32(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, ART32_BASIS, data["on"])


def _after_lbb_questions(case, user, data, *, source: str = "") -> None:
    bibob_terms.lbb_data_requested(case=case, user=user, asked_on=data["on"])


def _after_lbb_data(case, user, data, *, source: str = "") -> None:
    bibob_terms.lbb_data_supplied(case=case, user=user, supplied_on=data["on"])


def _after_lbb_extension(case, user, data, *, source: str = "") -> None:
    bibob_terms.lbb_extended(
        case=case, user=user, notified_on=data["on"], days=data["days"]
    )


def _after_advice(case, user, data, *, source: str = "") -> None:
    bibob_terms.advice_ended(case=case, user=user, on=data["on"])


def _after_intention(case, user, data, *, source: str = "") -> None:
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=gettext("Period for views on the intention"),
        legal_basis=ZIENSWIJZE_BASIS,
        event_date=data["sent_on"],
        length=data["term_length"],
        unit=Deadline.Unit.WEEKS,
        atw_applies=False,
        obligation=Deadline.Obligation.PARTY,
        authorised=True,
    )


def _after_views(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, ZIENSWIJZE_BASIS, data["received_on"])


DECISION_TITLES = {
    "B22": _("Besluit buiten behandeling (Awb 4:5)"),
    "B70": _("Besluit verlening"),
    "B71": _("Besluit verlening met voorschriften (Wet Bibob art 3 lid 7)"),
    "B72": _("Besluit weigering (Wet Bibob art 3)"),
    "B73": _("Besluit intrekking (Wet Bibob art 3)"),
}


def _after_notification(case, user, data, *, source: str = "") -> None:
    """Made known: the decision term is met and bezwaar can be made (R00)."""
    from workflows.legal_protection.services import legal_protection_open

    day = data["made_known_on"]
    bibob_terms.beslistermijn_close(case=case, user=user, on=day)
    close_deadlines(case, user, NOT_PROCESSED_BASIS, day)
    legal_protection_open(
        case=case,
        user=user,
        decision_title=str(DECISION_TITLES[source]),
        decision_kind=DecisionKind.OTHER,
        decided_on=day,
        authorised=True,
    )


def _after_withdrawal(case, user, data, *, source: str = "") -> None:
    day = data.get("on") or timezone.localdate()
    bibob_terms.beslistermijn_close(case=case, user=user, on=day)
    if data.get("bibob_related"):
        _task(
            case,
            user,
            title=gettext("Report the withdrawal to the LBB (art 7a lid 8)"),
            basis=WITHDRAWAL_REPORT_BASIS,
            on=day,
        )


def nothing(case, user, data, *, source: str = "") -> None:
    """A step that only calls for its letter."""


def _intake_letter(data: dict) -> str:
    """An application gets an ontvangstbevestiging; a revocation inquiry
    starts without a letter."""
    if data.get("kind") == IntakeKind.APPLICATION:
        return "ontvangstbevestiging_bibob"
    return ""


# Letters of class D5 (advice data, findings of the own investigation) are
# made on the Bibob letter page, which stores them as D5; the general letter
# page after a step stores D2. The dossier page offers these in their status.
D5_STEP_LETTERS: dict[str, str] = {
    BibobStatus.B40: "lbb_adviesaanvraag",
    BibobStatus.B60: "voornemen_bibob",
}

BIBOB_STEPS: dict[str, Step] = {
    "start_regular_assessment": Step(IntakeForm, _after_intake, letter=_intake_letter),
    "apply_bibob": Step(None, nothing, letter="vragenformulier_bibob"),
    "report_incomplete": Step(
        RepairForm, _after_incomplete, letter="herstelverzuim_bibob"
    ),
    "receive_completion": Step(CompletionForm, _after_completion),
    "set_aside": Step(None, _after_set_aside, letter="buiten_behandeling_bibob"),
    "report_own_conclusion": Step(ReportForm, _after_report),
    "request_advice": Step(AdviceRequestForm, _after_advice_request),
    "send_art32_notice": Step(Art32Form, _after_art32, letter="kennisgeving_art32"),
    "lbb_requests_data": Step(LbbQuestionsForm, _after_lbb_questions),
    "lbb_data_supplied": Step(LbbDataForm, _after_lbb_data),
    "lbb_extends": Step(LbbExtensionForm, _after_lbb_extension),
    "lbb_declines": Step(DateForm, _after_advice),
    "receive_advice": Step(AdviceReceivedForm, _after_advice),
    "send_intention": Step(BibobIntentionForm, _after_intention),
    "propose_revocation_form_refused": Step(BibobIntentionForm, _after_intention),
    "receive_views": Step(ViewsForm, _after_views),
    "grant_without_bibob": Step(None, nothing, letter="besluit_bibob_verlening"),
    "grant": Step(None, nothing, letter="besluit_bibob_verlening"),
    "grant_with_conditions": Step(None, nothing, letter="besluit_bibob_voorschriften"),
    "refuse": Step(None, nothing, letter="besluit_bibob_weigering"),
    "revoke": Step(None, nothing, letter="besluit_bibob_intrekking"),
    "notify_decision": Step(NotificationForm, _after_notification),
    "withdraw": Step(WithdrawalForm, _after_withdrawal),
}
