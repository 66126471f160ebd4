"""The work of an integrale controle that is not a transition, as
`CaseTypeEntry.actions` (docs/replay.md): planning the visit, its partner
slots, the briefing, the findings, the follow-up and the referrals. Each
action validates its input with a form and calls the same service the
package's pages call (models.py); the law's refusals come back as
`casework.rules.StepRefused`. Also the replay facts of a controle: its
address and the party concerned.

A slot is named by its discipline (`politie`, `belastingdienst`, …): a
visit has one place per discipline. Organisations are named by their name
and users by their username, as in the demo.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework import services
from casework.models import CaseLocation, Location, Party
from casework.registry import Action
from permissions.models import Organisation

from .models import (
    PartnerSlot,
    Referral,
    briefing_save,
    current_visit,
    finding_record,
    follow_up_open,
    referral_record,
    slot_add,
    slot_confirm,
    slot_edit,
    slot_remove,
    visit_plan,
)

NO_VISIT = _("Plan a visit first.")
NO_SLOT = _("The visit has no place for %(slot)s.")
NO_USER = _("There is no user %(name)s.")

FOLLOW_UP_TYPES = [
    ("LOD", _("Administrative: last onder dwangsom / sluiting")),
    ("BIB", _("Administrative: Bibob (intrekking)")),
]


class UsernamesField(forms.Field):
    """Usernames, as a list or separated by commas."""

    def to_python(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = value.split(",")
        return [str(name).strip() for name in value if str(name).strip()]


def _organisations():
    return Organisation.objects.order_by("name")


class PlanVisitForm(forms.Form):
    planned_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    lead = forms.CharField(label=_("Lead"))


class SlotActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Partner"), choices=PartnerSlot.Kind.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=_organisations(),
        to_field_name="name",
        required=False,
    )
    legal_basis = forms.CharField(
        label=_("Legal basis for taking part"), max_length=200
    )


class SlotEditActionForm(SlotActionForm):
    slot = forms.ChoiceField(label=_("Place"), choices=PartnerSlot.Kind.choices)


class SlotNameForm(forms.Form):
    slot = forms.ChoiceField(label=_("Place"), choices=PartnerSlot.Kind.choices)


class BriefingActionForm(forms.Form):
    risk_flags = forms.CharField(label=_("Risk flags"))
    powers = forms.CharField(label=_("Required powers"))
    instructions = forms.CharField(label=_("Instructions"), required=False)


class FindingActionForm(forms.Form):
    text = forms.CharField(label=_("Finding"))
    shareable = forms.BooleanField(required=False)
    fiscal = forms.BooleanField(required=False)


class FollowUpActionForm(forms.Form):
    case_type = forms.ChoiceField(label=_("Track"), choices=FOLLOW_UP_TYPES)
    title = forms.CharField(label=_("Title"), max_length=200)
    handler = forms.CharField(label=_("Handler"), required=False)
    partners = UsernamesField(label=_("Partners to add"), required=False)


class ReferralActionForm(forms.Form):
    track = forms.ChoiceField(label=_("Track"), choices=Referral.Track.choices)
    recipient = forms.ModelChoiceField(
        label=_("Recipient"), queryset=_organisations(), to_field_name="name"
    )
    legal_basis = forms.CharField(label=_("Legal basis for sharing"), max_length=200)
    note = forms.CharField(label=_("What was referred"), required=False)


def _user(name: str):
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise ValidationError(str(NO_USER) % {"name": name})
    return user


def _visit(case):
    visit = current_visit(case)
    if visit is None:
        raise ValidationError(NO_VISIT)
    return visit


def _slot(case, kind: str) -> PartnerSlot:
    slot = _visit(case).slots.filter(kind=kind).first()
    if slot is None:
        label = PartnerSlot.Kind(kind).label
        raise ValidationError(str(NO_SLOT) % {"slot": label})
    return slot


def plan_visit(case, user, data):
    return visit_plan(
        case=case, user=user, planned_at=data["planned_at"], lead=_user(data["lead"])
    )


def add_slot(case, user, data):
    return slot_add(
        visit=_visit(case), user=user, kind=data["kind"],
        legal_basis=data["legal_basis"], organisation=data.get("organisation"),
    )  # fmt: skip


def edit_slot(case, user, data):
    return slot_edit(
        slot=_slot(case, data["slot"]), user=user, kind=data["kind"],
        legal_basis=data["legal_basis"], organisation=data.get("organisation"),
    )  # fmt: skip


def remove_slot(case, user, data):
    slot_remove(slot=_slot(case, data["slot"]), user=user)


def confirm_slot(case, user, data):
    return slot_confirm(slot=_slot(case, data["slot"]), user=user)


def prepare_briefing(case, user, data):
    return briefing_save(case=case, user=user, **data)


def record_finding(case, user, data):
    return finding_record(case=case, user=user, **data)


def open_follow_up(case, user, data):
    handler = _user(data["handler"]) if data.get("handler") else None
    return follow_up_open(
        case=case, user=user, case_type=data["case_type"], title=data["title"],
        handler=handler, partners=[_user(name) for name in data["partners"]],
    )  # fmt: skip


def record_referral(case, user, data):
    return referral_record(case=case, user=user, **data)


CONTROLE_ACTIONS = {
    "plan_visit": Action(PlanVisitForm, plan_visit, _("Plan a visit")),
    "add_slot": Action(SlotActionForm, add_slot, _("Add partner")),
    "edit_slot": Action(SlotEditActionForm, edit_slot, _("Change partner")),
    "remove_slot": Action(SlotNameForm, remove_slot, _("Remove partner")),
    "confirm_slot": Action(SlotNameForm, confirm_slot, _("Confirm participation")),
    "prepare_briefing": Action(
        BriefingActionForm, prepare_briefing, _("Prepare the briefing")
    ),
    "record_finding": Action(FindingActionForm, record_finding, _("Record finding")),
    "open_follow_up": Action(
        FollowUpActionForm, open_follow_up, _("Open a follow-up case")
    ),
    "record_referral": Action(
        ReferralActionForm, record_referral, _("Record referral")
    ),
}


# --- Replay facts ----------------------------------------------------------------


def record_facts(case, user, facts: dict) -> None:
    """A replay scenario's facts of an integrale controle: `address` (the
    premises: street, house_number, addition, postcode, city) and `party`
    (name, kind person/company, the entrepreneur the feedback letter goes
    to), recorded as the intake pages do."""
    address = facts.get("address")
    if address:
        location = Location(
            street=address.get("street", ""),
            house_number=address.get("house_number"),
            addition=address.get("addition", ""),
            postcode=address.get("postcode", ""),
            city=address.get("city", ""),
        )
        services.case_add_location(
            case=case, user=user, location=location, role=CaseLocation.Role.PREMISES
        )
    party = facts.get("party")
    if party:
        services.case_add_party(
            case=case,
            user=user,
            party=Party(
                kind=party.get("kind", Party.Kind.COMPANY), name=party.get("name", "")
            ),
            role=party.get("role", "betrokkene"),
        )
