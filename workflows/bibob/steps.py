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
from casework.forms import DATE_WIDGET, TEXT_LENGTH, DateField
from casework.models import Deadline
from casework.steps import (
    NotificationForm,
    Step,
    StepForm,
    ViewsForm,
    close_deadlines,
    not_future,
)
from workflows.bibob import checks
from workflows.bibob import terms as bibob_terms
from workflows.bibob.acts import LegalAct, is_besluit, legal_act_for
from workflows.bibob.machine import (
    ART32_BASIS,
    NOT_PROCESSED_BASIS,
    REPAIR_BASIS,
    REPORT_BASIS,
    THIRD_PARTY_VIEWS_BASIS,
    WITHDRAWAL_REPORT_BASIS,
    ZIENSWIJZE_BASIS,
    BibobStatus,
)
from workflows.bibob.models import IntakeKind
from workflows.bibob.terms import ART31_MAX_EXTENSION_DAYS, ApplicationType
from workflows.legal_protection.machine import DecisionKind


def _date(label, help_text=""):
    return DateField(
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
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: name | street and number | postcode and place. Each "
            "gets its own copy with the part of the advice about itself and its "
            "own period for views."
        ),
        max_length=TEXT_LENGTH,
    )

    def clean_third_parties(self):
        return parse_third_parties(self.cleaned_data.get("third_parties") or "")


THIRD_PARTY_LINE = _(
    "Give each third party as: name | street and number | postcode and place."
)


def parse_third_parties(text) -> list[dict]:
    """Lines "name | address line | address line" → [{name, address}]. A
    list of such dicts (from a replay scenario) passes unchanged."""
    if isinstance(text, list):
        rows = text
    else:
        rows = []
        for line in str(text).splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            rows.append({"name": parts[0], "address": "\n".join(parts[1:])})
    for row in rows:
        if not str(row.get("name", "")).strip():
            raise forms.ValidationError(THIRD_PARTY_LINE)
    return rows


class DecisionForm(StepForm):
    """A besluit as taken: its date and (optional for a grant) its reasons."""

    decided_on = DateField(
        label=_("Decided on"),
        widget=DATE_WIDGET,
        validators=[not_future],
        required=False,
        help_text=_("Today when left empty."),
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_LENGTH,
    )


class NegativeDecisionForm(DecisionForm):
    """Weigeren or intrekken: the motivation is required (Awb 3:46) and the
    decision-maker confirms it explicitly — not one click."""

    motivation = forms.CharField(
        label=_("Motivation (Awb 3:46)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "The grounds of the decision; use data from the Bibob inquiry only "
            "as far as needed (Wet Bibob art 28 lid 2 a)."
        ),
        max_length=TEXT_LENGTH,
    )
    confirm = forms.BooleanField(
        label=_("I confirm this negative decision, with the motivation above"),
        required=False,
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
        # A date the letter sets for the addressee never falls on a day the
        # Atw excludes (issue 14, Deliver 1), though the Atw does not bind a
        # term set in a letter by law (docs/domain.md §1.1).
        atw_applies=True,
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


def _after_conclusion(case, user, data, *, source: str = "") -> None:
    decision_makers_join(case, user)


def _after_report_and_join(case, user, data, *, source: str = "") -> None:
    _after_report(case, user, data, source=source)
    decision_makers_join(case, user)


def _after_advice_and_join(case, user, data, *, source: str = "") -> None:
    _after_advice(case, user, data, source=source)
    decision_makers_join(case, user)


def _after_cap(case, user, data, *, source: str = "") -> None:
    """The art 31 cap passed without an advice: a suspension still running
    (the sweep had not ended it yet) ends at its cap."""
    bibob_terms.art31_suspension_end(case=case, user=user)
    decision_makers_join(case, user)


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


def decision_makers_join(case, user) -> list:
    """The decision is near: the users who take it for the competent body
    (role burgemeester — the mayor, or the official mandated by the mayor or
    the college — of the case's organisation) join the team as members, so
    nobody has to add them by hand (issue 14)."""
    from django.contrib.auth import get_user_model

    from casework.models import CaseEvent
    from permissions.models import CaseAccess, Membership, Role
    from permissions.services import team_add

    organisation_id = case.responsible_organisation_id
    if organisation_id is None:
        own = Membership.objects.filter(user=user).first()
        organisation_id = own.organisation_id if own else None
    users = get_user_model().objects.filter(
        membership__role=Role.BURGEMEESTER,
        membership__organisation_id=organisation_id,
        is_active=True,
    )
    joined = []
    for member in users:
        if CaseAccess.objects.filter(case=case, user=member).exists():
            continue
        team_add(
            case=case, user=member, team_role=CaseAccess.TeamRole.MEMBER, actor=user
        )
        joined.append(member)
        CaseEvent.objects.create(
            case=case,
            actor=user,
            kind=CaseEvent.Kind.NOTE,
            note=gettext("Decision-maker added to the team: %(user)s")
            % {"user": member.get_username()},
        )
    return joined


def _decision_near(case, user, data, *, source: str = "") -> None:
    decision_makers_join(case, user)


def _after_intention(case, user, data, *, source: str = "") -> None:
    from workflows.bibob.models import ThirdParty

    # The voornemen leads to the decision (the revocation path of art 4 lid 1
    # reaches it straight from the questionnaire).
    decision_makers_join(case, user)

    for row in parse_third_parties(data.get("third_parties") or []):
        deadline = deadline_engine.deadline_create(
            case=case,
            user=user,
            title=gettext("Period for views of %(name)s (art 33)")
            % {"name": row["name"]},
            legal_basis=THIRD_PARTY_VIEWS_BASIS,
            event_date=data["sent_on"],
            length=data["term_length"],
            unit=Deadline.Unit.WEEKS,
            atw_applies=True,  # printed in the third party's letter
            obligation=Deadline.Obligation.PARTY,
            authorised=True,
        )
        party = ThirdParty(
            case=case,
            name=row["name"].strip(),
            address=str(row.get("address") or "").strip(),
            intention_sent_on=data["sent_on"],
            views_until=deadline.end_date,
            recorded_by=user,
        )
        party.full_clean()
        party.save()
    deadline_engine.deadline_create(
        case=case,
        user=user,
        title=gettext("Period for views on the intention"),
        legal_basis=ZIENSWIJZE_BASIS,
        event_date=data["sent_on"],
        length=data["term_length"],
        unit=Deadline.Unit.WEEKS,
        # Printed in the voornemen: never on a day the Atw excludes.
        atw_applies=True,
        obligation=Deadline.Obligation.PARTY,
        authorised=True,
    )


def _after_views(case, user, data, *, source: str = "") -> None:
    close_deadlines(case, user, ZIENSWIJZE_BASIS, data["received_on"])


def _third_party_views(case, user, data) -> None:
    """The views of one third party (art 33 lid 1) came in: its period is
    met. An action, not a transition (`registration.ACTIONS`)."""
    from casework.rules import StepRefused, refuse
    from workflows.bibob.models import ThirdParty

    name = str(data.get("name") or "").strip()
    party = ThirdParty.objects.filter(case=case, name=name).first()
    if party is None:
        raise StepRefused(
            [
                refuse(
                    "Wet Bibob art 33 lid 1",
                    gettext("%(name)s is not named in the intention.") % {"name": name},
                )
            ]
        )
    day = data["received_on"]
    if day < party.intention_sent_on:
        raise StepRefused(
            [
                refuse(
                    "Wet Bibob art 33 lid 3; Awb 4:8",
                    gettext(
                        "Views cannot be received before the intention was sent "
                        "on %(date)s."
                    ),
                    on=party.intention_sent_on,
                )
            ]
        )
    title = gettext("Period for views of %(name)s (art 33)") % {"name": party.name}
    for deadline in case.deadlines.filter(
        legal_basis=THIRD_PARTY_VIEWS_BASIS, title=title
    ).exclude(state=Deadline.State.MET):
        deadline_engine.deadline_mark_met(
            deadline=deadline, user=user, on=day, authorised=True
        )


def _after_decision(case, user, data, *, source: str = "") -> None:
    """Record the besluit as taken: outcome, date, motivation. The letters
    take their decisive content from it (`prefill`, `registration`)."""
    from workflows.bibob.models import BibobDecision

    decision = BibobDecision(
        case=case,
        outcome=case.status,
        decided_on=data.get("decided_on") or timezone.localdate(),
        motivation=str(data.get("motivation") or "").strip(),
        confirmed=data.get("confirm") is True,
        decided_by=user,
    )
    decision.full_clean()
    decision.save()


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
    if not is_besluit(case):
        # A vastgoedtransactie is a private-law act (Wet Bibob art 5a): no
        # bezwaar or beroep under the Awb; disputes go to the civil court.
        return
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
    """An application gets an ontvangstbevestiging with its decision term; a
    revocation inquiry, or a vastgoedtransactie (no Awb term), starts without
    a letter."""
    private_law = legal_act_for(data.get("application_type", "")) == (
        LegalAct.PRIVATE_LAW
    )
    if data.get("kind") == IntakeKind.APPLICATION and not private_law:
        return "ontvangstbevestiging_bibob"
    return ""


# Letters of class D5 (advice data, findings of the own investigation) are
# made on the Bibob letter page, which stores them as D5; the general letter
# page after a step stores D2. The dossier page offers these in their status.
D5_STEP_LETTERS: dict[str, str] = {
    BibobStatus.B40: "lbb_adviesaanvraag",
    BibobStatus.B60: "voornemen_bibob",
}

_ADVICE_RULE = "Wet Bibob art 15"
_AFTER_REQUEST = _("This date lies before the advice was requested on %(date)s.")
_DECISION_CHECKS = (
    checks.decision_after_receipt,
    checks.decision_after_advice,
    checks.decision_after_views,
)
_NEGATIVE_CHECKS = (
    checks.motivation_given,
    checks.refusal_confirmed,
    *_DECISION_CHECKS,
)


def _decision(form, letter, extra=()):
    return Step(form, _after_decision, letter=letter, checks=(*extra,))


BIBOB_STEPS: dict[str, Step] = {
    "start_regular_assessment": Step(IntakeForm, _after_intake, letter=_intake_letter),
    "apply_bibob": Step(None, nothing, letter="vragenformulier_bibob"),
    "report_incomplete": Step(
        RepairForm,
        _after_incomplete,
        letter="herstelverzuim_bibob",
        checks=(checks.not_before_receipt("sent_on", "Awb 4:5 lid 1"),),
    ),
    "receive_completion": Step(
        CompletionForm, _after_completion, checks=(checks.completion_after_invitation,)
    ),
    "set_aside": Step(None, _after_set_aside, letter="buiten_behandeling_bibob"),
    "conclude_investigation": Step(None, _after_conclusion),
    "report_own_conclusion": Step(
        ReportForm, _after_report_and_join, checks=(checks.report_after_conclusion,)
    ),
    "request_advice": Step(
        AdviceRequestForm,
        _after_advice_request,
        checks=(
            checks.not_before_receipt("on", "Wet Bibob art 9"),
            checks.request_after_conclusion,
        ),
    ),
    "send_art32_notice": Step(
        Art32Form,
        _after_art32,
        letter="kennisgeving_art32",
        checks=(checks.after_request("Wet Bibob art 32", _AFTER_REQUEST),),
    ),
    "lbb_requests_data": Step(
        LbbQuestionsForm,
        _after_lbb_questions,
        checks=(checks.after_request("Wet Bibob art 15 lid 2", _AFTER_REQUEST),),
    ),
    "lbb_data_supplied": Step(
        LbbDataForm, _after_lbb_data, checks=(checks.data_after_question,)
    ),
    "lbb_extends": Step(
        LbbExtensionForm,
        _after_lbb_extension,
        checks=(checks.after_request("Wet Bibob art 15 lid 3", _AFTER_REQUEST),),
    ),
    "lbb_declines": Step(
        DateForm,
        _after_advice,
        checks=(checks.after_request("Wet Bibob art 9 lid 5", _AFTER_REQUEST),),
    ),
    "receive_advice": Step(
        AdviceReceivedForm,
        _after_advice_and_join,
        checks=(checks.after_request(_ADVICE_RULE, _AFTER_REQUEST),),
    ),
    "receive_supplementary_advice": Step(None, _decision_near),
    "proceed_without_advice": Step(None, _after_cap),
    "verify_advice": Step(None, _decision_near),
    "send_intention": Step(
        BibobIntentionForm, _after_intention, checks=(checks.intention_after_advice,)
    ),
    "propose_revocation_form_refused": Step(BibobIntentionForm, _after_intention),
    "receive_views": Step(
        ViewsForm, _after_views, checks=(checks.views_after_intention,)
    ),
    "grant_without_bibob": _decision(
        DecisionForm, "besluit_bibob_verlening", (checks.decision_after_receipt,)
    ),
    "conclude_no_danger": _decision(DecisionForm, "besluit_bibob_verlening"),
    "grant": _decision(DecisionForm, "besluit_bibob_verlening", _DECISION_CHECKS),
    "grant_with_conditions": _decision(
        DecisionForm, "besluit_bibob_voorschriften", _DECISION_CHECKS
    ),
    "refuse": _decision(
        NegativeDecisionForm, "besluit_bibob_weigering", _NEGATIVE_CHECKS
    ),
    "revoke": _decision(
        NegativeDecisionForm, "besluit_bibob_intrekking", _NEGATIVE_CHECKS
    ),
    "notify_decision": Step(
        NotificationForm,
        _after_notification,
        checks=(checks.notification_after_decision,),
    ),
    "withdraw": Step(
        WithdrawalForm,
        _after_withdrawal,
        checks=(checks.not_before_receipt("on", "Awb 4:1"),),
    ),
}
