"""The monitor's forms: input shape only; the services decide."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import DateField, TokenForm

from .models import BudgetEntry

NOT_A_NUMBER = _("Give a number, such as 2500 or 2500,50.")
AMBIGUOUS = _("Write %(value)s without a thousands point: 2500 or 2500,00.")
TOO_PRECISE = _("Give at most two decimals.")
TOO_LARGE = _("This number is too large.")

_GROUPED = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?")
_PLAIN = re.compile(r"\d+([.,]\d+)?")


def parse_number(text: str) -> Decimal:
    """A number as Dutch users type it: "2500", "2500,50", "2.500,50",
    "€ 2.500"; a point with three digits after it and no comma ("2.500") is
    ambiguous and refused."""
    value = text.strip().replace("€", "").replace("\u00a0", "").replace(" ", "")
    negative = value.startswith("-")
    value = value.removeprefix("-")
    if _GROUPED.fullmatch(value) and "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif _PLAIN.fullmatch(value):
        if "." in value and len(value.rsplit(".", 1)[1]) == 3:
            raise forms.ValidationError(
                AMBIGUOUS, code="ambiguous", params={"value": text.strip()}
            )
        value = value.replace(",", ".")
    else:
        raise forms.ValidationError(NOT_A_NUMBER, code="invalid")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise forms.ValidationError(NOT_A_NUMBER, code="invalid") from None
    return -number if negative else number


class NumberField(forms.Field):
    """A Decimal with at most two decimals, typed the Dutch way."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "maxlength": "30"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value)
        if len(value) > 30:
            raise forms.ValidationError(TOO_LARGE, code="max_length")
        number = parse_number(value)
        if number.as_tuple().exponent < -2:
            raise forms.ValidationError(TOO_PRECISE, code="precision")
        if abs(number) >= Decimal("1e10"):
            raise forms.ValidationError(TOO_LARGE, code="max_value")
        return number


class BudgetEntryForm(TokenForm):
    line = forms.TypedChoiceField(label=_("Budget line"), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=BudgetEntry.Kind.choices)
    amount = NumberField(label=_("Amount (€)"))
    booked_on = DateField(label=_("Date"))
    description = forms.CharField(label=_("Description"), max_length=300)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [(line.id, line.name) for line in lines]


class MeasurementForm(TokenForm):
    action = forms.CharField(widget=forms.HiddenInput, initial="measurement")
    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int)
    measured_on = DateField(label=_("Date"))
    value = NumberField(label=_("Measured value"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [
            (g.id, f"{g.description} ({g.unit})") for g in goals
        ]


class MilestoneDoneForm(TokenForm):
    action = forms.CharField(widget=forms.HiddenInput, initial="milestone")
    milestone = forms.TypedChoiceField(label=_("Milestone"), coerce=int)
    done_on = DateField(label=_("Done on"))

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [(m.id, m.title) for m in milestones]
