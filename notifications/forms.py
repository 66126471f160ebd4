from django import forms
from django.utils.translation import gettext_lazy as _

from . import events
from .models import EmailPreference, Webhook


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = EmailPreference
        fields = ["new_tasks", "deadlines_due"]
        help_texts = {
            "new_tasks": _(
                "An e-mail when a case you are on gets an open step for your role."
            ),
            "deadlines_due": _(
                "An e-mail when a deadline you own comes due (the reminder of "
                "Mijn werk)."
            ),
        }


class WebhookForm(forms.ModelForm):
    """The beheerder's form: the secret is not a field (generated and shown
    once, or named by an environment variable)."""

    url = forms.URLField(
        label=_("address (URL)"), max_length=500, assume_scheme="https"
    )
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=list(events.EVENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Webhook
        fields = ["organisation", "name", "url", "secret_env", "events", "active"]
