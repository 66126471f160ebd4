"""Forms validate and normalise input; business rules stay in services."""

from datetime import date
from functools import lru_cache

from django import forms
from django.contrib.auth import get_user_model
from django.forms.utils import flatatt
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from permissions.models import CaseAccess, DataClass, Organisation
from permissions.policy import MATRIX, WRITE, actor_for

from . import idempotency, terms, validators
from .models import CaseLocation, CaseParty, Location, Party, Signal
from .registry import registry

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FUTURE_DATE = _("The date cannot be in the future.")
PERSON_NEEDS_NAME = _("Give the name of the person.")
COMPANY_NEEDS_NAME = _("Give the name of the company.")
ADDRESS_INCOMPLETE = _("Give postcode, house number and town for the address.")

# Input bounds: every text field of a form has a maximum length (a text area
# TEXT_LENGTH, a one-line field LINE_LENGTH or its column's), and every date
# lies in DATE_RANGE. The models' TextFields keep no limit; the forms do, so a
# pasted book or a year 9999 is refused with a message instead of reaching a
# letter or the term engine (issue 15 item 5).
TEXT_LENGTH = 20_000
LINE_LENGTH = 500
DATE_RANGE = (date(1900, 1, 1), date(2200, 12, 31))
# The BAG's house numbers have at most five digits.
HOUSE_NUMBER_MAX = 99999
DATE_OUT_OF_RANGE = _("Give a date between %(first)s and %(last)s.")


def validate_date_in_range(value: date) -> None:
    """A date the term engine and the letters can work with (DATE_RANGE)."""
    first, last = DATE_RANGE
    if value is not None and not first <= value <= last:
        raise forms.ValidationError(
            DATE_OUT_OF_RANGE,
            code="date_range",
            params={"first": first.isoformat(), "last": last.isoformat()},
        )


class DateField(forms.DateField):
    """A date field in DATE_RANGE, with the date picker."""

    default_validators = [validate_date_in_range]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DATE_WIDGET)
        super().__init__(**kwargs)


class DateTimeField(forms.DateTimeField):
    """A moment on a day in DATE_RANGE."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            validate_date_in_range(value.date())


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Rows chosen by id. An id no integer column holds (40 nines) is refused
    before the query: Django bounds only `=` lookups, and SQLite raises
    OverflowError on such a number in `IN (...)`."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # Django's own check refuses it
                if not -(2**63) <= number < 2**63:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


class SharedOptions:
    """The options of many selects with the same choices, written once: each
    select of a form that lists the same people for every row
    (`SharedOptionsSelect`) prints the same string, made once per chosen value.
    Shared, not copied, when Django deep-copies a field's widget."""

    def __init__(self, choices):
        self.choices = [
            (str(value), conditional_escape(label)) for value, label in choices
        ]
        self._html: dict[tuple, str] = {}

    def html(self, chosen) -> str:
        key = tuple(chosen)
        if key not in self._html:
            self._html[key] = "".join(
                f'\n  <option value="{conditional_escape(value)}"'
                f"{' selected' if value in key else ''}>{label}</option>"
                for value, label in self.choices
            )
        return self._html[key]

    def __deepcopy__(self, memo):
        return self


class SharedOptionsSelect(forms.Select):
    """`forms.Select` whose options come from a `SharedOptions`, as one string,
    instead of through a template per option: the distribution page has a
    select of every person for each case of its queue (200 × 40 options took
    most of the page; docs/performance.md, "The distribution queue"). The same
    HTML as `forms.Select` gives for choices without groups."""

    def __init__(self, options: SharedOptions, attrs=None):
        super().__init__(attrs, choices=options.choices)
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        # The labels and values were escaped by SharedOptions.
        options = mark_safe(self.options.html(self.format_value(value)))
        return format_html(
            '<select name="{}"{}>{}\n</select>', name, flatatt(final), options
        )


def text_area(rows: int = 3, **kwargs) -> forms.CharField:
    """A text area of at most TEXT_LENGTH characters."""
    kwargs.setdefault("max_length", TEXT_LENGTH)
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class TokenForm(forms.Form):
    """A form that carries a one-time token against double submits."""

    form_token = forms.CharField(
        widget=forms.HiddenInput, max_length=idempotency.MAX_LENGTH
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(idempotency.FIELD, idempotency.new_token())


def writable_classes(user) -> list[tuple[str, str]]:
    """Data classes the user's role may create items in."""
    role = actor_for(user).role
    allowed = {
        cls
        for cls, actions in MATRIX.get(role, {}).items()
        if WRITE in actions or "own" in actions
    }
    return [(value, label) for value, label in DataClass.choices if value in allowed]


def clean_not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(FUTURE_DATE)
    return value


class PartyFields(forms.Form):
    """Optional person and company fields, shared by signal intake."""

    person_name = forms.CharField(
        label=_("Person: name"), required=False, max_length=200
    )
    person_date_of_birth = DateField(
        label=_("Person: date of birth"), required=False, widget=DATE_WIDGET
    )
    person_bsn = forms.CharField(
        label=_("Person: BSN"),
        required=False,
        max_length=9,
        validators=[validators.validate_bsn],
    )
    company_name = forms.CharField(
        label=_("Company: name"), required=False, max_length=200
    )
    company_kvk = forms.CharField(
        label=_("Company: KvK number"),
        required=False,
        max_length=8,
        validators=[validators.validate_kvk],
    )
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    house_number = forms.IntegerField(
        label=_("House number"), required=False, min_value=1, max_value=HOUSE_NUMBER_MAX
    )
    addition = forms.CharField(label=_("Addition"), required=False, max_length=10)
    street = forms.CharField(label=_("Street"), required=False, max_length=200)
    city = forms.CharField(label=_("Town"), required=False, max_length=100)

    def clean_person_date_of_birth(self):
        return clean_not_future(self.cleaned_data.get("person_date_of_birth"))

    def clean_postcode(self):
        value = self.cleaned_data.get("postcode", "")
        if not value:
            return ""
        value = validators.normalise_postcode(value)
        validators.validate_postcode(value)
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("person_bsn") or data.get("person_date_of_birth")
        ) and not data.get("person_name"):
            self.add_error("person_name", PERSON_NEEDS_NAME)
        if data.get("company_kvk") and not data.get("company_name"):
            self.add_error("company_name", COMPANY_NEEDS_NAME)
        address = [data.get("postcode"), data.get("house_number"), data.get("city")]
        if any(address) and not all(address) and not self.errors.get("postcode"):
            self.add_error("postcode", ADDRESS_INCOMPLETE)
        return data

    def parties(self) -> list[Party]:
        data = self.cleaned_data
        found = []
        if data.get("person_name"):
            found.append(
                Party(
                    kind=Party.Kind.PERSON,
                    name=data["person_name"],
                    date_of_birth=data.get("person_date_of_birth"),
                    bsn=data.get("person_bsn", ""),
                )
            )
        if data.get("company_name"):
            found.append(
                Party(
                    kind=Party.Kind.COMPANY,
                    name=data["company_name"],
                    kvk_number=data.get("company_kvk", ""),
                )
            )
        return found

    def locations(self) -> list[Location]:
        data = self.cleaned_data
        if not data.get("postcode"):
            return []
        return [
            Location(
                postcode=data["postcode"],
                house_number=data["house_number"],
                addition=data.get("addition", "").upper(),
                street=data.get("street", ""),
                city=data["city"],
            )
        ]


class SignalForm(TokenForm, PartyFields):
    source = forms.ChoiceField(label=_("Source"), choices=Signal.Source.choices)
    received_on = DateField(label=_("Received on"), widget=DATE_WIDGET)
    summary = text_area(4, label=_("Summary"))
    data_class = forms.ChoiceField(label=_("Data class"))
    legal_basis = forms.CharField(
        label=_("Received under (legal basis)"),
        required=False,
        max_length=100,
        help_text=_("For example Wpg 16 lid 1 b for a police administrative report."),
    )
    shared_with = ModelMultipleChoiceField(
        label=_("Share with"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["source", "received_on", "summary", "data_class", "legal_basis",
                   "shared_with"]  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["data_class"].choices = writable_classes(user)
        actor = actor_for(user)
        self.fields["shared_with"].queryset = Organisation.objects.exclude(
            pk=actor.organisation_id
        )

    def clean_received_on(self):
        return clean_not_future(self.cleaned_data.get("received_on"))


def case_type_choices():
    """The registered case types (a function: forms copy their choices)."""
    return registry.type_choices()


class ConvertForm(TokenForm):
    case_type = forms.ChoiceField(label=_("Case type"), choices=case_type_choices)
    title = forms.CharField(label=_("Title"), max_length=200)


class FileSignalForm(forms.Form):
    reason = text_area(3, label=_("Reason for filing without action"))


class TransitionForm(forms.Form):
    name = forms.CharField(widget=forms.HiddenInput, max_length=100)
    note = text_area(2, label=_("Note or reasons"), required=False)


class PartyForm(TokenForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Party.Kind.choices)
    role = forms.ChoiceField(
        label=_("Role in this case"), choices=CaseParty.Role.choices
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    date_of_birth = DateField(
        label=_("Date of birth"), required=False, widget=DATE_WIDGET
    )
    bsn = forms.CharField(
        label=_("BSN"),
        required=False,
        max_length=9,
        validators=[validators.validate_bsn],
    )
    kvk_number = forms.CharField(
        label=_("KvK number"),
        required=False,
        max_length=8,
        validators=[validators.validate_kvk],
    )
    legal_form = forms.CharField(label=_("Legal form"), required=False, max_length=100)

    def clean_date_of_birth(self):
        return clean_not_future(self.cleaned_data.get("date_of_birth"))

    def party(self) -> Party:
        data = self.cleaned_data
        return Party(
            kind=data["kind"],
            name=data["name"],
            date_of_birth=data.get("date_of_birth"),
            bsn=data.get("bsn", ""),
            kvk_number=data.get("kvk_number", ""),
            legal_form=data.get("legal_form", ""),
        )


class LocationForm(TokenForm):
    role = forms.ChoiceField(
        label=_("Role in this case"), choices=CaseLocation.Role.choices
    )
    street = forms.CharField(label=_("Street"), required=False, max_length=200)
    house_number = forms.IntegerField(
        label=_("House number"), min_value=1, max_value=HOUSE_NUMBER_MAX
    )
    addition = forms.CharField(label=_("Addition"), required=False, max_length=10)
    postcode = forms.CharField(label=_("Postcode"), max_length=7)
    city = forms.CharField(label=_("Town"), max_length=100)
    area = forms.CharField(label=_("Area"), required=False, max_length=100)
    bag_id = forms.CharField(
        label=_("BAG id"),
        required=False,
        max_length=16,
        validators=[validators.validate_bag_id],
    )

    def clean_postcode(self):
        value = validators.normalise_postcode(self.cleaned_data["postcode"])
        validators.validate_postcode(value)
        return value

    def location(self) -> Location:
        data = self.cleaned_data
        return Location(
            street=data.get("street", ""),
            house_number=data["house_number"],
            addition=data.get("addition", "").upper(),
            postcode=data["postcode"],
            city=data["city"],
            area=data.get("area", ""),
            bag_id=data.get("bag_id", ""),
        )


class TeamForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("User"),
        queryset=get_user_model()
        .objects.filter(membership__isnull=False, is_active=True)
        .select_related("membership__organisation")
        .order_by("username"),
    )
    team_role = forms.ChoiceField(
        label=_("Team role"),
        choices=[
            (CaseAccess.TeamRole.MEMBER, CaseAccess.TeamRole.MEMBER.label),
            (CaseAccess.TeamRole.CONTRIBUTOR, CaseAccess.TeamRole.CONTRIBUTOR.label),
        ],
    )


class LinkForm(forms.Form):
    reference = forms.CharField(label=_("Reference of the other case"), max_length=30)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class SearchForm(forms.Form):
    """The search text, and for a BSN the purpose of the search: a BSN
    search is a sensitive read, logged with its purpose (casework.search)."""

    q = forms.CharField(
        label=_("Reference, name, BSN, KvK number, address or text"),
        max_length=100,
        required=False,
    )
    purpose = forms.ChoiceField(
        label=_("Purpose (required when searching by BSN)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from .search import Purpose

        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [("", "—"), *Purpose.choices]

    def clean(self):
        from .search import parse

        cleaned = super().clean()
        query = parse(cleaned.get("q", ""))
        cleaned["query"] = query
        if query is not None and query.is_bsn and not cleaned.get("purpose"):
            self.add_error(
                "purpose",
                _("Give the purpose of this search: a search by BSN is logged."),
            )
        return cleaned


def status_filter_choices():
    return [("", _("All statuses"))] + _status_options(translation.get_language())


@lru_cache(maxsize=8)
def _status_options(language: str) -> list[tuple[str, str]]:
    """The ~90 status options, built once per language: the case list renders
    them on every request."""
    return [
        (code, f"{code} – {label}") for code, label in registry.all_status_choices()
    ]


class CaseFilterForm(forms.Form):
    case_type = forms.ChoiceField(
        label=_("Case type"),
        required=False,
        choices=lambda: [("", _("All types")), *case_type_choices()],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=status_filter_choices
    )
    team_role = forms.ChoiceField(
        label=_("My role in the team"),
        required=False,
        choices=[("", _("Any"))] + CaseAccess.TeamRole.choices,
    )
    # The filters and sorts of casework.listing (issue 16 item 2). The three
    # selects above have fixed choices and cached options
    # (casework.views.filter_options); these are rendered per request.
    # Fields whose options change (organisations, wijken, colleagues) take
    # any value of their kind; the view renders their options
    # (casework.listing.options), and a value no case has finds no case.
    organisation = forms.IntegerField(
        label=_("Responsible organisation"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,
    )
    area = forms.CharField(label=_("Area"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("Open or closed"),
        required=False,
        choices=[
            ("", _("Open and closed")),
            ("open", _("Open")),
            ("closed", _("Closed")),
        ],
    )
    due_from = DateField(label=_("Next deadline from"), required=False)
    due_to = DateField(label=_("Next deadline until"), required=False)
    assignee = forms.RegexField(
        label=_("Assigned to"),
        required=False,
        regex=r"^(me|none|[1-9][0-9]{0,17})$",
        max_length=18,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Standard: newest first; in a deadline period, soonest first")),
            ("opened", _("Opening date, newest first")),
            ("due", _("Next deadline, soonest first")),
            ("activity", _("Last activity, newest first")),
        ],
    )

    # The fields of casework.listing, in the order of a saved view's query.
    FILTERS = (
        "case_type",
        "status",
        "team_role",
        "organisation",
        "area",
        "state",
        "due_from",
        "due_to",
        "assignee",
        "sort",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and start > end:
            self.add_error("due_to", DUE_RANGE)
        return data


DUE_RANGE = _("The end of the period lies before its start.")


class SavedViewForm(TokenForm):
    """Keep the case list's current filters under a name (casework.listing)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    shared = forms.BooleanField(label=_("Share with my team"), required=False)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)


class SavedViewRenameForm(forms.Form):
    view = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )
    name = forms.CharField(label=_("New name"), max_length=100)


class SavedViewDeleteForm(forms.Form):
    view = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )


# Deadlines --------------------------------------------------------------------

# (title, legal basis, length, unit, Atw applies): the common terms of the
# four case types (docs/domain.md §1.2, §2.4, §3.5).
DEADLINE_PRESETS = {
    "bezwaar": (_("Objection period"), "Awb 6:7, 6:8", 6, "weeks", True),
    "beslistermijn": (_("Decision period on an application"), "Awb 4:13", 8, "weeks",
                      True),
    "beslissing_bezwaar": (_("Decision on objection"), "Awb 7:10 lid 1", 6, "weeks",
                           True),
    "beslissing_bezwaar_commissie": (_("Decision on objection (advisory committee)"),
                                     "Awb 7:10 lid 1", 12, "weeks", True),
    "zienswijze": (_("Period for views on the intention"), "Awb 4:8", 2, "weeks",
                   False),
    "begunstiging": (_("Grace period"), "Awb 5:32a lid 2", 2, "weeks", False),
    "aanmaning": (_("Payment period after reminder"), "Awb 4:112", 2, "weeks", True),
    "betaling_dwangsom": (_("Payment of forfeited penalty"), "Awb 5:33", 6, "weeks",
                          True),
    "lbb_advies": (_("LBB advice period"), "Wet Bibob art 15 lid 1", 8, "weeks",
                   True),
}  # fmt: skip


class DeadlineForm(forms.Form):
    preset = forms.ChoiceField(
        label=_("Kind of deadline"),
        choices=[("", _("Other (fill in below)"))]
        + [(key, value[0]) for key, value in DEADLINE_PRESETS.items()],
        required=False,
    )
    event_date = DateField(
        label=_("Date of the triggering event"),
        widget=DATE_WIDGET,
        help_text=_(
            "For example the day of notification; the term starts the day after."
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=100, required=False
    )
    length = forms.IntegerField(label=_("Length"), min_value=1, required=False)
    # The term engine's bounds (casework.terms.MAX_LENGTH) are checked in
    # clean(), per unit.
    unit = forms.ChoiceField(label=_("Unit"), required=False, choices=[])
    atw_applies = forms.BooleanField(
        label=_("Algemene termijnenwet applies"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Deadline

        self.fields["unit"].choices = [("", "—")] + Deadline.Unit.choices

    def clean(self):
        data = super().clean()
        preset = data.get("preset")
        if preset:
            title, basis, length, unit, atw = DEADLINE_PRESETS[preset]
            data["title"] = data.get("title") or str(title)
            data["legal_basis"] = data.get("legal_basis") or basis
            data["length"] = data.get("length") or length
            data["unit"] = data.get("unit") or unit
            # The preset's Atw flag holds unless the user ticked the box.
            data["atw_applies"] = data.get("atw_applies") or atw
        for name in ("title", "legal_basis", "length", "unit"):
            if not data.get(name):
                self.add_error(name, _("Choose a kind of deadline or fill this in."))
        length, unit = data.get("length"), data.get("unit")
        if length and unit in terms.MAX_LENGTH and length > terms.MAX_LENGTH[unit]:
            self.add_error(
                "length",
                terms.TOO_LONG % {"max": terms.MAX_LENGTH[unit], "unit": _(unit)},
            )
        return data


class SuspendForm(forms.Form):
    start = DateField(label=_("First suspended day"), widget=DATE_WIDGET)
    end = DateField(
        label=_("Last suspended day"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("Leave empty while the suspension is still running."),
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=100, initial="Awb 4:15 lid 1 a"
    )
    reason = text_area(2, label=_("Reason"))


class ResumeForm(forms.Form):
    last_day = DateField(label=_("Last suspended day"), widget=DATE_WIDGET)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Days of extension"), min_value=1, max_value=366)
    legal_basis = forms.CharField(
        label=_("Legal basis"), max_length=100, initial="Awb 7:10 lid 3"
    )
    reason = text_area(2, label=_("Reason"))


class MetForm(forms.Form):
    on = DateField(label=_("Met on"), widget=DATE_WIDGET)
