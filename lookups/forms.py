"""The lookup forms beside the kernel's party and location forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import validators
from casework.search import Purpose


class LookupForm(forms.Form):
    """A lookup form sits on the page beside the kernel's form, whose fields
    have the same names: its ids differ."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "lookup_%s")
        super().__init__(*args, **kwargs)


class AddressLookupForm(LookupForm):
    """Postcode and house number (and letter or addition) to look up in the BAG."""

    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    huisnummer = forms.IntegerField(
        label=_("House number"), min_value=1, max_value=99999
    )
    huisletter = forms.CharField(label=_("House letter"), max_length=1, required=False)
    toevoeging = forms.CharField(
        label=_("Addition to the house number"), max_length=4, required=False
    )

    def clean_postcode(self):
        value = validators.normalise_postcode(self.cleaned_data["postcode"])
        validators.validate_postcode(value)
        return value

    def clean_huisletter(self):
        value = self.cleaned_data["huisletter"].strip().upper()
        if value and not value.isalpha():
            raise forms.ValidationError(_("A house letter is one letter."))
        return value

    def clean_toevoeging(self):
        value = self.cleaned_data["toevoeging"].strip().upper()
        if value and not value.isalnum():
            raise forms.ValidationError(_("An addition has letters and digits only."))
        return value


class CompanyLookupForm(LookupForm):
    """A KvK number, or a name to search the register for."""

    kvk_number = forms.CharField(
        label=_("KvK number"),
        max_length=8,
        required=False,
        validators=[validators.validate_kvk],
    )
    naam = forms.CharField(
        label=_("Name in the register"), max_length=100, required=False
    )

    def clean(self):
        data = super().clean()
        if not data.get("kvk_number") and not (data.get("naam") or "").strip():
            raise forms.ValidationError(_("Give a KvK number or a name."))
        return data


class PersonLookupForm(LookupForm):
    """A BSN to consult the BRP for, and why (written to the access log and
    sent to the BRP gateway)."""

    bsn = forms.CharField(
        label=_("BSN"), max_length=9, validators=[validators.validate_bsn]
    )
    purpose = forms.ChoiceField(
        label=_("Purpose of the lookup"),
        choices=[("", "---------"), *Purpose.choices],
    )
