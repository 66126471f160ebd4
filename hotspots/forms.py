"""The hotspots' forms: the list's filters and the imports' upload and
confirmation."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.models import Signal

from .models import RegisterUpload

AFTER = re.compile(r"^([0-9]{1,9}):([0-9]{1,12})$")


class FilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False)
    family = forms.ChoiceField(label=_("Kind of figure"), required=False)
    source = forms.ChoiceField(
        label=_("Signal source"),
        required=False,
        choices=[("", _("all sources")), *Signal.Source.choices],
    )
    min_score = forms.IntegerField(
        label=_("Minimum score"), required=False, min_value=0, max_value=10**9
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=30)

    def __init__(self, *args, areas, families, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("all areas"))] + [(a, a) for a in areas]
        self.fields["family"].choices = [("", _("all kinds"))] + families

    def clean_after(self):
        value = self.cleaned_data.get("after") or ""
        if not value:
            return None
        match = AFTER.match(value)
        if not match:
            raise forms.ValidationError(_("Invalid page."))
        return int(match.group(1)), int(match.group(2))

    def clean(self):
        data = super().clean()
        if data.get("family") and data.get("source"):
            raise forms.ValidationError(
                _("Filter by a kind of figure or by a signal source, not both.")
            )
        return data


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), widget=forms.RadioSelect)
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, RegisterUpload.Kind(k).label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
            self.fields["kind"].widget = forms.HiddenInput()


class ConfirmForm(forms.Form):
    upload = forms.UUIDField(widget=forms.HiddenInput)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
