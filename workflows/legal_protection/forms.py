"""Forms of the legal-protection pages: shape and normalise the input; the
rules (who, when, which outcome) stay in `workflows.legal_protection.services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import (
    DATE_WIDGET,
    TEXT_LENGTH,
    DateField,
    TokenForm,
    clean_not_future,
)
from workflows.legal_protection.machine import DecisionKind, Outcome

# The step whose form asks whether an advisory committee handles the objection.
COMMITTEE_STEP = "receive_objection"


class LegalProtectionOpenForm(TokenForm):
    decision_title = forms.CharField(
        label=_("Decision"),
        max_length=200,
        help_text=_("Which besluit, e.g. “Besluit last onder dwangsom”."),
    )
    decision_kind = forms.ChoiceField(
        label=_("Kind of decision"),
        choices=DecisionKind.choices,
        initial=DecisionKind.ORDER,
    )
    decided_on = DateField(
        label=_("Made known on"),
        widget=DATE_WIDGET,
        help_text=_(
            "The day of bekendmaking; the objection term starts the day after."
        ),
    )

    def clean_decision_title(self):
        return self.cleaned_data["decision_title"].strip()

    def clean_decided_on(self):
        return clean_not_future(self.cleaned_data.get("decided_on"))


class StepForm(TokenForm):
    """One step of a protection. Built per transition: the outcome only where
    the step records a decision, the committee box only on the objection."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Outcome.choices]
    )
    advisory_committee = forms.BooleanField(
        label=_("An advisory committee handles the objection (Awb 7:13)"),
        required=False,
        help_text=_("The decision period is then 12 weeks instead of 6."),
    )
    on = DateField(
        label=_("Date"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_(
            "The day it happened: the objection received, the repair asked or "
            "received, the decision made known. Empty is today."
        ),
    )
    note = forms.CharField(
        label=_("Note or reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LENGTH,
    )

    def __init__(self, *args, name: str, needs_outcome: bool, **kwargs):
        kwargs.setdefault("auto_id", f"id_{name}_%s")
        super().__init__(*args, **kwargs)
        self.name = name
        if not needs_outcome:
            del self.fields["outcome"]
        if name != COMMITTEE_STEP:
            del self.fields["advisory_committee"]

    def clean_on(self):
        return clean_not_future(self.cleaned_data.get("on"))


class ReplayStepForm(TokenForm):
    """One step of a protection in a `manage.py replay` scenario: the same
    inputs as the step page's `StepForm`, and the decision title that names
    the protection (empty: the newest one that can take the step)."""

    decision_title = forms.CharField(label=_("Decision"), required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False
    )
    advisory_committee = forms.BooleanField(
        label=_("An advisory committee handles the objection (Awb 7:13)"),
        required=False,
    )
    on = forms.DateField(label=_("Date"), required=False)
    note = forms.CharField(label=_("Note or reasons"), required=False)

    def clean_on(self):
        return clean_not_future(self.cleaned_data.get("on"))
