from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .indicators import (
    GRAINS,
    MAX_PERIODS,
    MONTH,
    QUARTER,
    default_range,
    periods,
    shift_period,
)

# Without dates: the last four quarters, or the last six months.
DEFAULT_PERIODS = {QUARTER: 4, MONTH: 6}
MONTH_RE = re.compile(r"(\d{4})-(\d{2})")


class MonthField(forms.CharField):
    """A month as YYYY-MM (`<input type="month">`), cleaned to its first day."""

    widget = forms.TextInput(
        attrs={"type": "month", "placeholder": "2026-01", "maxlength": 7}
    )

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH_RE.fullmatch(value)
        year, month = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(
                _("Enter a month as year and month, e.g. 2026-03."), code="month"
            )
        return date(year, month, 1)


class IndicatorFilter(forms.Form):
    """The page's filter: an area (or all), the grain and the first and last
    month; at most `MAX_PERIODS` periods."""

    area = forms.ChoiceField(label=_("Area"), required=False)
    grain = forms.ChoiceField(
        label=_("Per"),
        choices=[(QUARTER, _("quarter")), (MONTH, _("month"))],
        required=False,
    )
    start = MonthField(label=_("From"), required=False)
    end = MonthField(label=_("Up to and including"), required=False)

    def __init__(self, *args, areas=(), today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas"))] + [
            (area, area) for area in areas
        ]
        self.today = today

    def clean(self):
        data = super().clean()
        grain = data.get("grain") or QUARTER
        if grain not in GRAINS:
            grain = QUARTER
        data["grain"] = grain
        count = DEFAULT_PERIODS[grain]
        start, end = data.get("start"), data.get("end")
        if start is None and end is None:
            start, end = default_range(self.today, grain, count)[0].start, self.today
        elif start is None:
            start = default_range(end, grain, count)[0].start
        elif end is None:
            end = shift_period(start, grain, count - 1)
        if "start" in self.errors or "end" in self.errors:
            return data
        if end < start:
            raise forms.ValidationError(
                _("The last month lies before the first."), code="order"
            )
        if len(periods(start, end, grain)) > MAX_PERIODS:
            raise forms.ValidationError(
                _("Choose at most %(count)s periods."),
                code="too_many",
                params={"count": MAX_PERIODS},
            )
        data["start"], data["end"] = start, end
        return data
