"""A form for any letter template, built from the template's fields.

Each `casework.letters.Field` has a kind: text, date, amount, lines and names
(one item per line), choice/choices (from its options) and records (one record
per line, the columns separated by "|").
"""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import pdf
from .forms import LINE_LENGTH, TEXT_LENGTH, DateField, TokenForm
from .registry import registry

LONG_TEXT = {
    "violation", "measure_description", "herstelmaatregel",
    "findings_summary", "grounds", "intended_decision", "subject",
    "proportionality", "spoed_reason", "zienswijze", "next_measure",
    "payment_instructions", "motivation", "purpose", "shared_data",
    "advice", "reasons", "closure_report",
}  # fmt: skip

LABELS = {
    "reference": _("Case reference"), "date": _("Letter date"),
    "recipient_name": _("Addressee"), "recipient_address": _("Address (one line each)"),
    "premises_address": _("Premises"), "violation": _("Facts and violation"),
    "legal_basis": _("Legal basis"), "measure_description": _("Measure"),
    "amount_per_violation": _("Amount per violation (EUR)"),
    "maximum_amount": _("Maximum amount (EUR)"),
    "zienswijze_deadline": _("Views to be given before"),
    "herstelmaatregel": _("Remedial measure"),
    "begunstigingstermijn": _("Grace period"),
    "beleidsregel": _("Policy rule applied (name and version)"),
    "total_amount": _("Total amount (EUR)"), "payment_deadline": _("Pay before"),
    "forfeitures": _("Forfeitures: date | description | amount, one per line"),
    "applicant_name": _("Applicant"), "application_type": _("Kind of application"),
    "application_date": _("Date of application"),
    "findings_summary": _("Summary of the own investigation"),
    "requesting_body": _("Requesting body"),
    "intended_decision": _("Intended decision"),
    "grounds": _("Grounds (Wet Bibob art 3)"),
    "degree_of_danger": _("Degree of danger"),
    "visit_date": _("Date of the visit"), "addresses": _("Addresses, one per line"),
    "partners": _("Partners, one per line"),
    "findings": _("Findings: partner | text, one per line"),
    "person_name": _("Person"), "goals": _("Goals: life domain | goal, one per line"),
    "interventions": _(
        "Interventions: partner | description | kind | owner | legal basis | "
        "due date, one per line"
    ),
    "subject": _("Subject"), "preventive": _("Preventive order (no grace period)"),
    "premises_kind": _("Premises: woning or lokaal (art. 13b Opiumwet)"),
    "closure_months": _("Closure (months)"),
    "proportionality": _("Proportionality: the weighing (Awb 3:4 lid 2)"),
    "spoed": _("Urgent closure without prior order (Awb 5:31): no grace period"),
    "spoed_reason": _("Why it is urgent (Awb 5:31 lid 1)"),
    "copy_to": _("Also made known to the holders of a right to use, one per line"),
    "amount_due": _("Amount due (EUR)"),
    "reminder_costs": _("Reminder fee (EUR, Awb 4:113)"),
}  # fmt: skip

RECORD_FORMAT = _("Line %(line)s: give %(count)s fields separated by |.")
LINE_TOO_LONG = _("Line %(line)s has more than %(max)s characters.")
TOO_MANY_LINES = _("Give at most %(max)s lines.")
MAX_LINES = 200

# Counts (months of a closure, …) and amounts in euro: far beyond any letter,
# short of what a PDF table or the database column cannot hold.
COUNT_MAX = 1000
AMOUNT_DIGITS = 12


def validate_line_lengths(value: str) -> None:
    """Each line of a lines or names field (an address line, a partner) is one
    line of the letter: at most LINE_LENGTH characters, MAX_LINES lines."""
    lines = value.splitlines()
    if len([line for line in lines if line.strip()]) > MAX_LINES:
        raise forms.ValidationError(TOO_MANY_LINES, params={"max": MAX_LINES})
    for number, line in enumerate(lines, start=1):
        if len(line.strip()) > LINE_LENGTH:
            raise forms.ValidationError(
                LINE_TOO_LONG, params={"line": number, "max": LINE_LENGTH}
            )


def field_for(field, *, required: bool = True) -> forms.Field:
    """The form field for one template field."""
    form_field = _field_for(field)
    # A field another input can waive (the grace period of an urgent closure)
    # or demand is left to the template's validation, which knows both.
    form_field.required = required and field.kind != "bool" and not field.waived_by
    return form_field


def _field_for(field) -> forms.Field:
    label = LABELS.get(field.key) or str(field.label)[:1].upper() + str(field.label)[1:]
    kind = field.kind
    if kind == "bool":
        return forms.BooleanField(label=label, required=False)
    if kind == "records":
        columns = " | ".join(str(column.label) for column in field.columns)
        return forms.CharField(
            label=label,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("One per line: %(columns)s") % {"columns": columns},
            max_length=TEXT_LENGTH,
        )
    if kind in ("lines", "names"):
        return forms.CharField(
            label=label,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("One per line."),
            max_length=TEXT_LENGTH,
            validators=[validate_line_lengths],
        )
    if kind == "date":
        return DateField(label=label)
    if kind == "count":
        return forms.IntegerField(label=label, min_value=1, max_value=COUNT_MAX)
    if kind == "amount":
        return forms.DecimalField(
            label=label,
            min_value=Decimal("0.01"),
            max_digits=AMOUNT_DIGITS,
            decimal_places=2,
        )
    if kind == "choice":
        return forms.ChoiceField(label=label, choices=[(o, o) for o in field.options])
    if kind == "choices":
        return forms.MultipleChoiceField(
            label=label,
            choices=[(o, o) for o in field.options],
            widget=forms.CheckboxSelectMultiple,
        )
    if field.long or field.key in LONG_TEXT:
        return forms.CharField(
            label=label,
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=TEXT_LENGTH,
        )
    return forms.CharField(label=label, max_length=LINE_LENGTH)


class LetterForm(TokenForm):
    def __init__(self, *args, template_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = pdf.get_template(template_key)
        self.template_fields = {
            field.key: field
            for field in (*self.template.fields, *self.template.optional)
        }
        for field in self.template.fields:
            self.fields[field.key] = field_for(field)
        for field in self.template.optional:
            self.fields[field.key] = field_for(field, required=False)

    def clean(self):
        data = super().clean()
        for key, field in self.template_fields.items():
            value = data.get(key)
            if not isinstance(value, str):
                continue
            if field.kind in ("lines", "names"):
                data[key] = [ln.strip() for ln in value.splitlines() if ln.strip()]
            elif field.kind == "records":
                data[key] = self._records(key, field, value)
        return data

    def _records(self, key, field, value):
        records = []
        for number, line in enumerate(value.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != len(field.columns):
                self.add_error(
                    key, RECORD_FORMAT % {"line": number, "count": len(field.columns)}
                )
                return []
            records.append(
                {
                    column.key: part
                    for column, part in zip(field.columns, parts, strict=True)
                }
            )
        return records

    def inputs(self) -> dict:
        values = {}
        for key in self.template_fields:
            value = self.cleaned_data.get(key)
            if value in (None, "", []) and key not in self.template.required:
                continue
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = str(value)
            values[key] = value
        return values


def initial_for(case, template_key: str) -> dict:
    """Prefill from the case: reference, date, first party and premises, and
    what the case type's own prefill adds. Never anything from signals: a
    police report (D3) stays out of letters
    (`casework.documents.police_text_problems`)."""
    parties = list(case.parties.select_related("party")[:1])
    locations = list(case.locations.select_related("location")[:1])
    initial = {
        "reference": case.reference,
        "date": timezone.localdate(),
    }
    if parties:
        name = parties[0].party.name
        initial.update(recipient_name=name, applicant_name=name, person_name=name)
    if locations:
        location = locations[0].location
        initial["premises_address"] = str(location)
        number = f"{location.house_number}{location.addition}"
        initial["recipient_address"] = (
            f"{location.street} {number}\n{location.postcode} {location.city}"
        )
        initial["addresses"] = str(location)
    # What the case type knows besides (its decision, deadlines, earlier
    # letters): the prefill it registered.
    entry = registry.case_types.get(case.case_type)
    if entry is not None and entry.prefill is not None:
        initial.update(entry.prefill(case, template_key, initial))
    # What the recorded decision gives the letter (`registry.Letter.recorded`),
    # also written over the inputs when the document is made.
    letter = registry.letters.get(template_key)
    if letter is not None and letter.recorded is not None:
        initial.update(letter.recorded(registry.proxy_for(case), initial))
    return initial


def one_line(text: str) -> str:
    """A finding as one record line: no line breaks, no column separator."""
    return " ".join(text.replace("|", "/").split())
