"""What `manage.py replay` needs of a PGA case beyond its transitions
(docs/replay.md, docs/pga.md "Replay"): the facts of a scenario and the steps
of the case file that are not transitions, each through the same service the
case file's forms call (`workflows/pga/services.py`), so the same rules refuse.

Organisations are named by their name or by their kind (`politie`, `om`,
`zorg`, `gemeente`, `zvh`: the first organisation of that kind); users by
their username. Open a PGA scenario as the casusregisseur
(`"opened_by": "casusregisseur"`): the opener is the process director.

Facts:

- `referral` (required): `{"person": {"name", "date_of_birth", "bsn"},
  "reporter", "received_on", "reason", "goal", "informed",
  "not_informed_reason", "partners_involved"}` (WGS 2.31 lid 1);
- `top_x_criteria`: a list of `{"code", "text", "published_on",
  "withdrawn_on"}` (WGS 2.32 lid 1, policy data);
- `policy`: `{"valid_from", "review_weeks", "aftercare_months"}`
  (`PgaPolicy`).

Actions (name → inputs):

- `select_participant` {organisation, legal_basis, members, incidental};
- `assign_directors` {case_director, process_director};
- `add_goal` {life_domain, description};
- `add_intervention` {organisation, owner, kind, description, legal_basis,
  due_on};
- `update_intervention` {number, status, progress} (number: 1 for the first
  intervention added);
- `schedule_conference` {planned_on, place, agenda};
- `record_conference` {held_on, minutes, decisions} (the last conference not
  yet held);
- `add_health_item` {text, basis, consent_on, shared_with, conditions};
- `place_on_top_x` {criteria, reason}; `remove_from_top_x` {reason}.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.forms import TokenForm
from casework.models import Party
from casework.registry import Action
from permissions.models import Organisation

from . import services as svc
from .models import (
    HealthItem,
    InterventionKind,
    LifeDomain,
    PgaPolicy,
    TopXCriterion,
)
from .models import Intervention as InterventionModel

UNKNOWN = "%(what)s '%(name)s' is not known"


def organisation(name: str) -> Organisation:
    """An organisation by its name, or the first of that kind."""
    found = Organisation.objects.filter(name=name).first()
    if found is None:
        found = Organisation.objects.filter(kind=name).order_by("pk").first()
    if found is None:
        raise ValidationError(UNKNOWN % {"what": "organisation", "name": name})
    return found


def user(name: str):
    found = get_user_model().objects.filter(username=name).first()
    if found is None:
        raise ValidationError(UNKNOWN % {"what": "user", "name": name})
    return found


def _names(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _day(value, key: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{key}: '{value}' is not a date") from None


# --- Facts ------------------------------------------------------------------------


def record_facts(case, opener, facts: dict) -> None:
    """The scenario's policy data, Top X criteria and referral."""
    policy = facts.get("policy")
    if policy:
        PgaPolicy.objects.create(
            valid_from=_day(policy["valid_from"], "policy.valid_from"),
            review_weeks=policy.get("review_weeks", 6),
            aftercare_months=policy.get("aftercare_months", 6),
            note="replay",
        )
    for row in facts.get("top_x_criteria", []):
        TopXCriterion.objects.create(
            code=row["code"],
            text=row.get("text", row["code"]),
            published_on=_day(row["published_on"], "top_x_criteria.published_on"),
            withdrawn_on=(
                _day(row["withdrawn_on"], "top_x_criteria.withdrawn_on")
                if row.get("withdrawn_on")
                else None
            ),
        )
    referral = facts.get("referral")
    if referral is None:
        raise ValidationError("PGA: the facts need a 'referral' (WGS 2.31 lid 1)")
    person = referral.get("person", {})
    svc.referral_record(
        case=case,
        user=opener,
        person=Party(
            kind=Party.Kind.PERSON,
            name=person.get("name", "Betrokkene"),
            bsn=person.get("bsn", ""),
            date_of_birth=(
                _day(person["date_of_birth"], "referral.person.date_of_birth")
                if person.get("date_of_birth")
                else None
            ),
        ),
        reporter=organisation(referral.get("reporter", "politie")),
        received_on=_day(
            referral.get("received_on", facts.get("opened_on", "")),
            "referral.received_on",
        ),
        reason=referral.get("reason", ""),
        goal=referral.get("goal", ""),
        informed=bool(referral.get("informed", False)),
        not_informed_reason=referral.get("not_informed_reason", ""),
        partners_involved=referral.get("partners_involved", ""),
    )


# --- Actions ------------------------------------------------------------------------


class ParticipantForm(TokenForm):
    organisation = forms.CharField()
    legal_basis = forms.CharField(max_length=200)
    members = forms.CharField(required=False, help_text="usernames, comma-separated")
    incidental = forms.BooleanField(required=False)


def _select_participant(case, actor, data):
    return svc.participant_add(
        case=case,
        user=actor,
        organisation=organisation(data["organisation"]),
        legal_basis=data["legal_basis"],
        members=[user(name) for name in _names(data.get("members"))],
        incidental=bool(data.get("incidental")),
    )


class DirectorsForm(TokenForm):
    case_director = forms.CharField()
    process_director = forms.CharField(required=False)


def _assign_directors(case, actor, data):
    process = data.get("process_director")
    return svc.directors_assign(
        case=case,
        user=actor,
        case_director=user(data["case_director"]),
        process_director=user(process) if process else None,
    )


class GoalForm(TokenForm):
    life_domain = forms.ChoiceField(choices=LifeDomain.choices)
    description = forms.CharField()


def _add_goal(case, actor, data):
    return svc.goal_add(
        case=case,
        user=actor,
        life_domain=data["life_domain"],
        description=data["description"],
    )


class InterventionForm(TokenForm):
    organisation = forms.CharField()
    owner = forms.CharField()
    kind = forms.ChoiceField(choices=InterventionKind.choices)
    description = forms.CharField()
    legal_basis = forms.CharField(max_length=200)
    due_on = forms.DateField()


def _add_intervention(case, actor, data):
    return svc.intervention_add(
        case=case,
        user=actor,
        organisation=organisation(data["organisation"]),
        owner=user(data["owner"]),
        kind=data["kind"],
        description=data["description"],
        legal_basis=data["legal_basis"],
        due_on=data["due_on"],
    )


class InterventionUpdateForm(TokenForm):
    number = forms.IntegerField(min_value=1)
    status = forms.ChoiceField(choices=InterventionModel.Status.choices)
    progress = forms.CharField()


def _update_intervention(case, actor, data):
    rows = list(InterventionModel.objects.filter(case=case).order_by("pk"))
    if data["number"] > len(rows):
        raise ValidationError(
            UNKNOWN % {"what": "intervention", "name": data["number"]}
        )
    return svc.intervention_update(
        intervention=rows[data["number"] - 1],
        user=actor,
        status=data["status"],
        progress=data["progress"],
    )


class ConferenceForm(TokenForm):
    planned_on = forms.DateField()
    place = forms.CharField(required=False)
    agenda = forms.CharField()


def _schedule_conference(case, actor, data):
    moment = timezone.make_aware(datetime.combine(data["planned_on"], time(10, 0)))
    return svc.conference_plan(
        case=case,
        user=actor,
        planned_at=moment,
        agenda=data["agenda"],
        place=data.get("place", ""),
    )


class ConferenceRecordForm(TokenForm):
    held_on = forms.DateField()
    minutes = forms.CharField()
    decisions = forms.CharField()


def _record_conference(case, actor, data):
    conference = (
        case.pga_conferences.filter(held_on__isnull=True).order_by("-pk").first()
    )
    if conference is None:
        raise ValidationError(str(_("Plan a case conference.")))
    return svc.conference_record(
        conference=conference,
        user=actor,
        held_on=data["held_on"],
        minutes=data["minutes"],
        decisions=data["decisions"],
    )


class HealthForm(TokenForm):
    text = forms.CharField()
    basis = forms.ChoiceField(choices=HealthItem._meta.get_field("basis").choices)
    consent_on = forms.DateField(required=False)
    shared_with = forms.CharField(required=False)
    conditions = forms.CharField(required=False)


def _add_health_item(case, actor, data):
    return svc.health_item_add(
        case=case,
        user=actor,
        text=data["text"],
        basis=data["basis"],
        consent_on=data.get("consent_on"),
        shared_with=[organisation(name) for name in _names(data.get("shared_with"))],
        conditions=data.get("conditions", ""),
    )


class TopXPlaceForm(TokenForm):
    criteria = forms.CharField(help_text="criterion codes, comma-separated")
    reason = forms.CharField()


def _place_on_top_x(case, actor, data):
    codes = _names(data["criteria"])
    criteria = list(TopXCriterion.objects.filter(code__in=codes))
    if len(criteria) != len(codes):
        raise ValidationError(UNKNOWN % {"what": "criterion", "name": data["criteria"]})
    return svc.top_x_place(
        case=case, user=actor, criteria=criteria, reason=data["reason"]
    )


class ReasonForm(TokenForm):
    reason = forms.CharField()


def _remove_from_top_x(case, actor, data):
    entry = case.top_x_entries.filter(removed_on__isnull=True).first()
    if entry is None:
        raise ValidationError(str(_("Place the person on the Top X list.")))
    return svc.top_x_remove(entry=entry, user=actor, reason=data["reason"])


ACTIONS = {
    "select_participant": Action(
        ParticipantForm, _select_participant, _("Select a participant")
    ),
    "assign_directors": Action(
        DirectorsForm, _assign_directors, _("Case director and process director")
    ),
    "add_goal": Action(GoalForm, _add_goal, _("Add a goal")),
    "add_intervention": Action(
        InterventionForm, _add_intervention, _("Add an intervention")
    ),
    "update_intervention": Action(
        InterventionUpdateForm, _update_intervention, _("Report progress")
    ),
    "schedule_conference": Action(
        ConferenceForm, _schedule_conference, _("Plan a case conference")
    ),
    "record_conference": Action(
        ConferenceRecordForm, _record_conference, _("Record the case conference")
    ),
    "add_health_item": Action(
        HealthForm, _add_health_item, _("Record health information")
    ),
    "place_on_top_x": Action(
        TopXPlaceForm, _place_on_top_x, _("Place on the Top X list")
    ),
    "remove_from_top_x": Action(
        ReasonForm, _remove_from_top_x, _("Remove from the Top X list")
    ),
}
