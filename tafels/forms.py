"""The tables' forms: input shape only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework import validators
from casework.forms import (
    HOUSE_NUMBER_MAX,
    DateField,
    ModelMultipleChoiceField,
    TokenForm,
    text_area,
    writable_classes,
)
from casework.models import Case
from casework.registry import registry
from permissions.models import Organisation

from .models import ActionPoint, Subject, Table

SUBJECT_INCOMPLETE = _("Give the case reference, the person's name or the address.")
SUBJECT_NOT_FOUND = _("There is no case with this reference that you may see.")
CLASS_REQUIRED = _("Choose the data class of the person or address.")


class TableForm(TokenForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Table.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    participants = ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class MeetingForm(TokenForm):
    date = DateField(label=_("Date"))
    place = forms.CharField(
        label=pgettext_lazy("location", "Place"), max_length=200, required=False
    )


class SubjectForm(TokenForm):
    """A case by its reference, a person or an address, and why."""

    kind = forms.ChoiceField(label=_("Subject"), choices=Subject.Kind.choices)
    reference = forms.CharField(
        label=_("Case reference"), max_length=30, required=False
    )
    person_name = forms.CharField(
        label=_("Person: name"), max_length=200, required=False
    )
    person_bsn = forms.CharField(
        label=_("Person: BSN"),
        max_length=9,
        required=False,
        validators=[validators.validate_bsn],
    )
    person_date_of_birth = DateField(label=_("Person: date of birth"), required=False)
    street = forms.CharField(label=_("Street"), max_length=200, required=False)
    house_number = forms.IntegerField(
        label=_("House number"),
        min_value=1,
        max_value=HOUSE_NUMBER_MAX,
        required=False,
    )
    addition = forms.CharField(label=_("Addition"), max_length=10, required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        required=False,
        validators=[validators.validate_postcode],
    )
    city = forms.CharField(label=_("Town"), max_length=100, required=False)
    data_class = forms.ChoiceField(
        label=_("Data class (person or address)"), choices=(), required=False
    )
    reason = text_area(label=_("Why on the table"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["data_class"].choices = writable_classes(user)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Subject.Kind.CASE:
            reference = (data.get("reference") or "").strip()
            # Only the cases the user may open: a reference the user may not
            # see reads as one that does not exist.
            data["case"] = (
                Case.objects.for_user(self.user).filter(reference=reference).first()
                if reference
                else None
            )
            if data["case"] is None:
                self.add_error("reference", SUBJECT_NOT_FOUND)
        elif kind == Subject.Kind.PERSON and not data.get("person_name"):
            self.add_error("person_name", SUBJECT_INCOMPLETE)
        elif kind == Subject.Kind.ADDRESS and not (
            data.get("postcode") and data.get("house_number") and data.get("city")
        ):
            self.add_error("postcode", SUBJECT_INCOMPLETE)
        if kind in (Subject.Kind.PERSON, Subject.Kind.ADDRESS) and not data.get(
            "data_class"
        ):
            self.add_error("data_class", CLASS_REQUIRED)
        return data


class PartnerRowForm(TokenForm):
    """A form on one subject of the agenda, for one of the table's partners
    (`partners`: the organisations, read once for every form of the page)."""

    subject = forms.IntegerField(widget=forms.HiddenInput)
    organisation = forms.TypedChoiceField(label=_("Partner"), coerce=int, choices=())

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {o.pk: o for o in partners}
        self.fields["organisation"].choices = [
            (o.pk, o.name) for o in self.partners.values()
        ]

    def clean_organisation(self):
        return self.partners[self.cleaned_data["organisation"]]


class DecisionForm(PartnerRowForm):
    text = text_area(label=_("Decision or undertaking"))


class ActionPointForm(PartnerRowForm):
    description = text_area(label=_("Action point"))
    due_on = DateField(label=_("Due date"))
    outcome = forms.ChoiceField(label=_("Becomes"), choices=ActionPoint.Outcome.choices)
    case_type = forms.ChoiceField(
        label=_("Type of the new case"), choices=(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [("", "—"), *registry.type_choices()]


class StepForm(TokenForm):
    """Hold the meeting, or close it and establish the minutes."""
