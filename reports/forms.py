"""The request form of a report and the filter of the feedback overview."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms import TokenForm, text_area

from . import sources
from .models import ReportJob
from .periods import Quarter, parse_quarter, parse_year
from .services import may_request

QUARTER_INVALID = _('Give a quarter as "2026-K3".')
YEAR_INVALID = _('Give a year as "2026".')
QUARTER_NEEDED = _("The quarterly report needs a quarter.")
YEAR_NEEDED = _("The feedback overview needs a year.")


class RequestForm(TokenForm):
    kind = forms.ChoiceField(label=_("Report"))
    quarter = forms.CharField(
        label=_("Quarter"),
        required=False,
        max_length=20,
        help_text=_('For the quarterly report, as "2026-K3".'),
    )
    year = forms.CharField(
        label=_("Year"),
        required=False,
        max_length=20,
        help_text=_("For the RIEC feedback overview."),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    decisions = text_area(
        rows=5,
        label=_("Decisions needed"),
        required=False,
        help_text=_(
            "What the steering group is asked to decide, one point per line. "
            "Overdue milestones and budget lines more than 90 per cent spent "
            "are added by themselves."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [
            (value, label)
            for value, label in ReportJob.Kind.choices
            if may_request(user, value)
        ]
        self.fields["area"].choices = [("", _("Whole municipality"))] + [
            (a, a) for a in sources.areas(user)
        ]
        programmes = sources.programmes(user)
        self.fields["programme"].choices = [("", "—")] + [
            (str(pk), name) for pk, name in programmes
        ]
        if not self.is_bound:
            if programmes:
                self.initial.setdefault("programme", str(programmes[0][0]))
            today = timezone.localdate()
            self.initial.setdefault("quarter", str(Quarter.containing(today)))
            self.initial.setdefault("year", str(today.year))

    def clean_quarter(self):
        value = self.cleaned_data["quarter"].strip()
        if value and parse_quarter(value) is None:
            raise forms.ValidationError(QUARTER_INVALID)
        return str(parse_quarter(value)) if value else ""

    def clean_year(self):
        value = self.cleaned_data["year"].strip()
        if value and parse_year(value) is None:
            raise forms.ValidationError(YEAR_INVALID)
        return value

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ReportJob.Kind.QUARTERLY and not data.get("quarter"):
            if "quarter" not in self.errors:
                self.add_error("quarter", QUARTER_NEEDED)
        if kind == ReportJob.Kind.FEEDBACK and not data.get("year"):
            if "year" not in self.errors:
                self.add_error("year", YEAR_NEEDED)
        return data

    def parameters(self) -> dict:
        data = self.cleaned_data
        if data["kind"] == ReportJob.Kind.FEEDBACK:
            return {"year": int(data["year"])}
        return {
            "quarter": data["quarter"],
            "area": data.get("area") or "",
            "programme": int(data["programme"]) if data.get("programme") else None,
            "decisions": data.get("decisions", "").strip(),
        }


class FeedbackFilter(forms.Form):
    year = forms.CharField(label=_("Year"), max_length=20, required=False)
    organisation = forms.TypedChoiceField(
        label=_("Recipient"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("All recipients"))] + [
            (str(pk), name) for pk, name in organisations
        ]

    def clean_year(self):
        value = (self.cleaned_data.get("year") or "").strip()
        if not value:
            return timezone.localdate().year
        year = parse_year(value)
        if year is None:
            raise forms.ValidationError(YEAR_INVALID)
        return year
