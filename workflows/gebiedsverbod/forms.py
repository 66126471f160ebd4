"""Forms of the package's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.forms import DATE_WIDGET, TEXT_LENGTH, DateField, TokenForm
from casework.steps import not_future
from permissions.models import Organisation


class IncidentForm(TokenForm):
    occurred_on = DateField(
        label=_("Date"), widget=DATE_WIDGET, validators=[not_future]
    )
    place = forms.CharField(
        label=pgettext_lazy("where an incident happened", "Place"), max_length=200
    )
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words: the police report stays a police document."),
        max_length=TEXT_LENGTH,
    )


class ViolationForm(TokenForm):
    occurred_on = DateField(
        label=_("Date of the violation"), widget=DATE_WIDGET, validators=[not_future]
    )
    occurred_at = forms.TimeField(
        label=pgettext_lazy("time of an incident", "Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    place = forms.CharField(
        label=pgettext_lazy("where an incident happened", "Place"), max_length=200
    )
    description = forms.CharField(
        label=_("What was seen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LENGTH,
    )
    pv_number = forms.CharField(
        label=_("Proces-verbaal number"), required=False, max_length=40
    )
    om = forms.ModelChoiceField(
        label=_("Proces-verbaal sent to"),
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.OM),
    )
    forwarded_to_om_on = DateField(
        label=_("Sent on"), required=False, widget=DATE_WIDGET, validators=[not_future]
    )
