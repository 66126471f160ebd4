"""The PGA pages (issue 7): the shared case file of one person at
/cases/<ref>/pga/, its network picture, the referral form, the Top X list with
its public criteria, and the FG's view of shielded files and deletions.

Every page fetches the case through `Case.objects.for_user` (404 otherwise)
and every action calls one service in `pga_services`, which checks the
casusregisseur's or the partner's right again; the read of the file (D10) is
logged.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from casework.forms import (
    DATE_WIDGET,
    TEXT_LENGTH,
    DateField,
    DateTimeField,
    ModelMultipleChoiceField,
    TokenForm,
)
from casework.idempotency import run_once
from casework.models import Case, Party
from casework.selectors import case_for_page
from permissions.models import Organisation, Role
from permissions.policy import actor_for
from permissions.services import log_sensitive_read, log_sensitive_reads
from workflows.pga import services as svc
from workflows.pga.machine import CODE, PgaStatus, missing_for_next_steps
from workflows.pga.models import (
    ActionPoint,
    Conference,
    DeletionLog,
    Goal,
    HealthItem,
    Intervention,
    InterventionKind,
    LifeDomain,
    PgaParticipant,
    Relation,
    TopXCriterion,
    TopXEntry,
)

User = get_user_model()
DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)
TEXT = forms.Textarea(attrs={"rows": 3})


def _pga_case(request, reference) -> Case:
    """The PGA case, or 404: read with the user's team role
    (`casework.selectors.case_for_page`), so the decision point answers this
    request's checks without reading grants."""
    case = case_for_page(request.user, reference)
    if case.case_type != CODE:
        raise Http404
    return case


def _users(queryset):
    return queryset.select_related("membership__organisation").order_by("username")


def _team(case):
    """The case's team with their memberships (the director form's choices,
    the intervention owners)."""
    return _users(User.objects.filter(case_access__case=case))


def _label(user) -> str:
    name = user.get_full_name() or user.get_username()
    membership = getattr(user, "membership", None)
    return f"{name} ({membership.organisation})" if membership else name


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _label(obj)


class UsersChoice(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _label(obj)


# --- Forms ------------------------------------------------------------------------


class PgaForm(TokenForm):
    """A form on a case file: `setup` narrows its choices to the case."""

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.user = user
        self.setup(case)

    def setup(self, case) -> None:
        pass


class ReferralForm(PgaForm):
    name = forms.CharField(label=gettext_lazy("Name of the person"), max_length=200)
    date_of_birth = DateField(
        label=gettext_lazy("Date of birth"), widget=DATE_WIDGET, required=False
    )
    bsn = forms.CharField(label=gettext_lazy("BSN"), max_length=9, required=False)
    reporter = forms.ModelChoiceField(
        label=gettext_lazy("Reporting participant"),
        queryset=Organisation.objects.filter(kind__in=svc.PARTICIPANT_KINDS).order_by(
            "name"
        ),
    )
    received_on = DateField(label=gettext_lazy("Received on"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the referral"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )
    goal = forms.CharField(
        label=gettext_lazy("What the reporter wants to achieve"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )
    partners_involved = forms.CharField(
        label=gettext_lazy("Partners already involved"),
        widget=TEXT,
        required=False,
        max_length=TEXT_LENGTH,
    )
    informed = forms.BooleanField(
        label=gettext_lazy("The person concerned has been told about the referral"),
        required=False,
    )
    not_informed_reason = forms.CharField(
        label=gettext_lazy("If not: why not"),
        widget=TEXT,
        required=False,
        help_text=gettext_lazy(
            "For example a running criminal investigation or a safety risk."
        ),
        max_length=TEXT_LENGTH,
    )

    def clean(self):
        data = super().clean()
        person = Party(
            kind=Party.Kind.PERSON,
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth"),
            bsn=data.get("bsn", ""),
        )
        try:
            person.full_clean()
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                target = field if field in self.fields else None
                for error in errors:
                    self.add_error(target, error)
        data["person"] = person
        return data


def _fixed_choices(field, choices) -> None:
    """Render the field from a list already read (validation still asks the
    field's queryset, for the posted ids only)."""
    empty = [("", field.empty_label)] if getattr(field, "empty_label", None) else []
    field.widget.choices = [*empty, *choices]


class ParticipantOrganisationForm(forms.Form):
    """Selecting a participant, step 1: the organisation (the case file's
    "participant" action, which sends on to step 2, `participant_add`)."""

    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Participant"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, case=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = svc.participant_candidates()
        groups = {False: [], True: []}
        for organisation in field.queryset:
            groups[svc.joins_only_incidentally(organisation)].append(
                (organisation.pk, organisation.name)
            )
        labels = {
            False: _("Participants of the ZVH (WGS art. 2.27)"),
            True: _("Third parties, incidentally only (WGS art. 2.31 lid 9)"),
        }
        _fixed_choices(
            field, [(labels[key], rows) for key, rows in groups.items() if rows]
        )


class MembersChoice(UsersChoice):
    """The users a participant brings onto the team: at most one page of
    them per submit. Whether each works for the organisation is
    `participant_add`'s rule."""

    def clean(self, value):
        if value and not isinstance(value, (list, tuple)):
            value = [value]
        if value and len(value) > svc.MEMBER_PAGE:
            raise ValidationError(
                _("Select at most %(limit)s users at a time.")
                % {"limit": svc.MEMBER_PAGE},
                code="too_many",
            )
        return super().clean(value)

    def label_from_instance(self, obj):
        return _member_label(obj)


def _member_label(user) -> str:
    name = user.get_full_name()
    label = f"{name} ({user.get_username()})" if name else user.get_username()
    if getattr(user, "on_team", False):
        label = _("%(user)s — already on the team") % {"user": label}
    return label


class MemberSearchForm(forms.Form):
    """Step 2's name filter (a GET form)."""

    q = forms.CharField(
        label=gettext_lazy("Name or username"), max_length=100, required=False
    )


class ParticipantForm(PgaForm):
    """Selecting a participant, step 2: the organisation chosen in step 1
    and the users of that one organisation who gain access."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), widget=forms.HiddenInput
    )
    q = forms.CharField(max_length=100, required=False, widget=forms.HiddenInput)
    legal_basis = forms.CharField(
        label=gettext_lazy("Statutory task or legal basis"), max_length=200
    )
    members = MembersChoice(
        label=gettext_lazy("Users who gain access"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    incidental = forms.BooleanField(
        label=gettext_lazy("Joins incidentally (WGS 2.31 lid 9)"), required=False
    )

    def setup(self, case) -> None:
        self.fields["organisation"].queryset = svc.participant_candidates()
        self.fields["members"].queryset = User.objects.filter(
            membership__isnull=False, is_active=True
        )

    def show_members(self, rows) -> None:
        """The checkboxes: the users read for this page only."""
        _fixed_choices(self.fields["members"], [(u.pk, _member_label(u)) for u in rows])


class DirectorForm(PgaForm):
    case_director = UserChoice(
        label=gettext_lazy("Case director"), queryset=User.objects.none()
    )
    process_director = UserChoice(
        label=gettext_lazy("Process director (ZVH)"),
        queryset=User.objects.none(),
        required=False,
    )

    def setup(self, case) -> None:
        team = _team(case)
        self.fields["case_director"].queryset = team
        self.fields["process_director"].queryset = team
        # The team read once for both lists.
        choices = [(u.pk, _label(u)) for u in team]
        _fixed_choices(self.fields["case_director"], choices)
        _fixed_choices(self.fields["process_director"], choices)


class GoalForm(PgaForm):
    life_domain = forms.ChoiceField(
        label=gettext_lazy("Life domain"), choices=LifeDomain.choices
    )
    description = forms.CharField(
        label=gettext_lazy("Goal"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )


class InterventionForm(PgaForm):
    goal = forms.ModelChoiceField(
        label=gettext_lazy("Goal"), queryset=Goal.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Partner"), queryset=Organisation.objects.none()
    )
    owner = UserChoice(label=gettext_lazy("Owner"), queryset=User.objects.none())
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=InterventionKind.choices
    )
    description = forms.CharField(
        label=gettext_lazy("Intervention"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=200)
    due_on = DateField(label=gettext_lazy("Due date"), widget=DATE_WIDGET)

    def setup(self, case) -> None:
        self.fields["goal"].queryset = Goal.objects.filter(case=case)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pgaparticipant__case=case
        ).order_by("name")
        # The team members of the participants, not every user of theirs.
        self.fields["owner"].queryset = _users(svc.intervention_owner_candidates(case))


class InterventionUpdateForm(PgaForm):
    intervention = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=Intervention.Status.choices
    )
    progress = forms.CharField(
        label=gettext_lazy("Progress"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )


class ConferenceForm(PgaForm):
    planned_at = DateTimeField(
        label=gettext_lazy("Date and time"), widget=DATETIME_WIDGET
    )
    place = forms.CharField(
        label=pgettext_lazy("location", "Place"), max_length=200, required=False
    )
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )


class ConferenceRecordForm(PgaForm):
    conference = forms.IntegerField(widget=forms.HiddenInput)
    held_on = DateField(label=gettext_lazy("Held on"), widget=DATE_WIDGET)
    minutes = forms.CharField(
        label=gettext_lazy("Minutes"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )
    decisions = forms.CharField(
        label=gettext_lazy("Decisions"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )


class ActionPointForm(PgaForm):
    conference = forms.IntegerField(widget=forms.HiddenInput)
    description = forms.CharField(
        label=gettext_lazy("Action point"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("By"), queryset=Organisation.objects.none()
    )
    due_on = DateField(label=gettext_lazy("Due date"), widget=DATE_WIDGET)

    def setup(self, case) -> None:
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pgaparticipant__case=case
        ).order_by("name")


class ActionPointDoneForm(PgaForm):
    point = forms.IntegerField(widget=forms.HiddenInput)
    done_on = DateField(label=gettext_lazy("Done on"), widget=DATE_WIDGET)


class HealthForm(PgaForm):
    text = forms.CharField(
        label=gettext_lazy("Health information"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Ground for sharing (WGS 2.29)"),
        choices=HealthItem.Basis.choices,
    )
    consent_on = DateField(
        label=gettext_lazy("Consent recorded on"), widget=DATE_WIDGET, required=False
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=gettext_lazy("May be read by"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions on onward sharing"),
        widget=TEXT,
        required=False,
        max_length=TEXT_LENGTH,
    )

    def setup(self, case) -> None:
        # Partners read only the health items they supplied themselves
        # (docs/domain.md §6.4 "own items"); sharing reaches the ZVH and the
        # gemeente's casusregisseur.
        self.fields["shared_with"].queryset = Organisation.objects.filter(
            pgaparticipant__case=case,
            kind__in=[Organisation.Kind.GEMEENTE, Organisation.Kind.ZVH],
        ).order_by("name")


class RelationForm(PgaForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    date_of_birth = DateField(
        label=gettext_lazy("Date of birth"), widget=DATE_WIDGET, required=False
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Relation"), choices=Relation.Kind.choices
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


class TopXPlaceForm(PgaForm):
    criteria = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Criteria met"),
        queryset=TopXCriterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why placement is necessary"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )

    def setup(self, case) -> None:
        self.fields["criteria"].queryset = svc.published_criteria()


class ParticipantRemoveForm(PgaForm):
    participant = forms.IntegerField(widget=forms.HiddenInput)


class GoalAchievedForm(PgaForm):
    goal = forms.IntegerField(widget=forms.HiddenInput)


class TopXRemoveForm(PgaForm):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason for removal"),
        widget=TEXT,
        max_length=TEXT_LENGTH,
    )


# --- The case file ------------------------------------------------------------------


def _run(case, form, save):
    """Run one service once per form token (a double submit saves once)."""

    def action():
        save(form.cleaned_data)
        return case

    return run_once(
        token=form.cleaned_data["form_token"], user=form.user, action=action
    )


def _row(model, pk, **filters):
    row = model.objects.filter(pk=pk, **filters).first()
    if row is None:
        raise Http404
    return row


def _actions(case):
    """Action name → (form class, service call taking (user, data))."""

    def director(user, d):
        svc.directors_assign(
            case=case,
            user=user,
            case_director=d["case_director"],
            process_director=d["process_director"],
        )

    def goal(user, d):
        svc.goal_add(
            case=case,
            user=user,
            life_domain=d["life_domain"],
            description=d["description"],
        )

    def intervention(user, d):
        svc.intervention_add(
            case=case,
            user=user,
            goal=d["goal"],
            organisation=d["organisation"],
            owner=d["owner"],
            kind=d["kind"],
            description=d["description"],
            legal_basis=d["legal_basis"],
            due_on=d["due_on"],
        )

    def intervention_update(user, d):
        svc.intervention_update(
            intervention=_row(Intervention, d["intervention"], case=case),
            user=user,
            status=d["status"],
            progress=d["progress"],
        )

    def conference(user, d):
        svc.conference_plan(
            case=case,
            user=user,
            planned_at=d["planned_at"],
            place=d["place"],
            agenda=d["agenda"],
        )

    def conference_record(user, d):
        svc.conference_record(
            conference=_row(Conference, d["conference"], case=case),
            user=user,
            held_on=d["held_on"],
            minutes=d["minutes"],
            decisions=d["decisions"],
        )

    def action_point(user, d):
        svc.action_point_add(
            conference=_row(Conference, d["conference"], case=case),
            user=user,
            description=d["description"],
            organisation=d["organisation"],
            due_on=d["due_on"],
        )

    def action_point_done(user, d):
        svc.action_point_done(
            point=_row(ActionPoint, d["point"], conference__case=case),
            user=user,
            done_on=d["done_on"],
        )

    def health(user, d):
        svc.health_item_add(
            case=case,
            user=user,
            text=d["text"],
            basis=d["basis"],
            consent_on=d["consent_on"],
            shared_with=list(d["shared_with"]),
            conditions=d["conditions"],
        )

    def relation(user, d):
        other = Party(
            kind=Party.Kind.PERSON, name=d["name"], date_of_birth=d["date_of_birth"]
        )
        svc.relation_add(
            case=case, user=user, other=other, kind=d["kind"], note=d["note"]
        )

    def top_x_place(user, d):
        svc.top_x_place(
            case=case, user=user, criteria=d["criteria"], reason=d["reason"]
        )

    def participant_remove(user, d):
        svc.participant_remove(
            participant=_row(PgaParticipant, d["participant"], case=case), user=user
        )

    def goal_achieved(user, d):
        svc.goal_achieved(goal=_row(Goal, d["goal"], case=case), user=user)

    def top_x_remove(user, d):
        svc.top_x_remove(
            entry=_row(TopXEntry, d["entry"], case=case),
            user=user,
            reason=d["reason"],
        )

    return {
        # Step 1 of selecting a participant: saves nothing, sends the
        # casusregisseur on to step 2 (`participant_add`).
        "participant": (ParticipantOrganisationForm, None),
        "director": (DirectorForm, director),
        "goal": (GoalForm, goal),
        "intervention": (InterventionForm, intervention),
        "intervention-update": (InterventionUpdateForm, intervention_update),
        "conference": (ConferenceForm, conference),
        "conference-record": (ConferenceRecordForm, conference_record),
        "action-point": (ActionPointForm, action_point),
        "action-point-done": (ActionPointDoneForm, action_point_done),
        "health": (HealthForm, health),
        "relation": (RelationForm, relation),
        "top-x-place": (TopXPlaceForm, top_x_place),
        "top-x-remove": (TopXRemoveForm, top_x_remove),
        "participant-remove": (ParticipantRemoveForm, participant_remove),
        "goal-achieved": (GoalAchievedForm, goal_achieved),
    }


# Forms only the casusregisseur sees; the others every team member whose
# rights the service checks (a partner's own interventions, action points,
# health items).
DIRECTOR_FORMS = (
    "participant",
    "director",
    "goal",
    "intervention",
    "conference",
    "conference-record",
    "action-point",
    "relation",
    "top-x-place",
    "top-x-remove",
    "participant-remove",
    "goal-achieved",
)


# Forms that act on one row carry its id in this field.
ROW_FIELDS = {
    "intervention-update": "intervention",
    "conference-record": "conference",
    "action-point": "conference",
    "action-point-done": "point",
    "top-x-remove": "entry",
    "participant-remove": "participant",
    "goal-achieved": "goal",
}
PAGE_FORMS = (
    "participant",
    "director",
    "goal",
    "intervention",
    "conference",
    "health",
    "relation",
    "top-x-place",
)


def _form(name, form_class, case, user, data=None):
    # One page holds many forms: ids per form keep every label unique.
    return form_class(
        data, case=case, user=user, auto_id=f"id_{name.replace('-', '_')}_%s"
    )


@require_http_methods(["GET", "POST"])
def dossier(request, reference):
    case = _pga_case(request, reference)
    user = request.user
    director = svc.is_director(case, user)
    actions = _actions(case)
    bound = None
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in actions or (name in DIRECTOR_FORMS and not director):
            raise Http404
        form_class, save = actions[name]
        bound = (name, _form(name, form_class, case, user, request.POST))
        form = bound[1]
        if form.is_valid() and save is None:
            return redirect(
                _participant_url(case, form.cleaned_data["organisation"].pk)
            )
        if form.is_valid():
            try:
                _run(case, form, lambda data, save=save: save(user, data))
            except (ValidationError, PermissionDenied) as exc:
                # Shown at the top of the page: the form it came from may
                # be folded away or belong to a row the user cannot see.
                for message in getattr(exc, "messages", [str(exc)]):
                    messages.error(request, message)
            else:
                messages.success(request, _("Saved."))
                return redirect("casework:pga_dossier", reference=case.reference)
        else:
            # A row id that names no row: its form is not on the page.
            for field in form.hidden_fields():
                for error in field.errors:
                    messages.error(request, error)
    # Every sensitive row the page shows, logged together at the end.
    reads = [(case, case.data_class, case)]
    # The page's folded forms are made only when asked for (`?form=goal`,
    # the link in their place) or sent back with errors: a case file of a
    # dozen forms costs their building and drawing on every read (7 ms of
    # the regisseur's page, docs/performance.md), and reading is what the
    # page is opened for most.
    opened = request.GET.get("form", "")

    def wanted(key, name, field=None, pk=None) -> bool:
        if bound and bound[0] == name:
            return bound[1].data.get(field) == str(pk) if field else True
        return opened == key

    def page_form(name):
        if bound and bound[0] == name and not bound[1].data.get(ROW_FIELDS.get(name)):
            return bound[1]
        return _form(name, actions[name][0], case, user)

    def row_form(name, pk, initial=None):
        """A form for one row (an intervention, a conference, ...)."""
        field = ROW_FIELDS[name]
        if bound and bound[0] == name and bound[1].data.get(field) == str(pk):
            return bound[1]
        return actions[name][0](
            initial={field: pk, **(initial or {})},
            case=case,
            user=user,
            auto_id=f"id_{name.replace('-', '_')}_{pk}_%s",
        )

    def fold(name, pk, initial=None):
        """A row's folded form: its key (for the link) and the form when it
        is open, else None."""
        key = f"{name}-{pk}"
        if wanted(key, name, ROW_FIELDS[name], pk):
            return key, row_form(name, pk, initial)
        return key, None

    # Only the forms the page offers: health data only for its suppliers,
    # the Top X placement only for a candidate (D05).
    hidden = set()
    if not svc.may_supply_health_data(user):
        hidden.add("health")
    if case.status != PgaStatus.D05:
        hidden.add("top-x-place")
    # Participants are selected once the case was accepted (WGS 2.31 lid
    # 2-4, `participant_add` refuses before): the page says so instead.
    accepted = svc.is_accepted(case.status)
    if not accepted:
        hidden.add("participant")
    closed = case.status in svc.CLOSED_STATUSES
    offered = {
        name
        for name in PAGE_FORMS
        if (director or name not in DIRECTOR_FORMS)
        and not closed
        and name not in hidden
    }
    page_forms = {
        name.replace("-", "_"): page_form(name)
        for name in offered
        if wanted(name, name)
    }
    participants = svc.participants_for(case)
    goals = svc.goals_of(case)
    # The page's lists of goals and partners come from the rows read here,
    # not once more per form (validation still asks each field's queryset).
    partner_choices = [(p.organisation_id, p.organisation.name) for p in participants]
    if "intervention" in page_forms:
        fields = page_forms["intervention"].fields
        _fixed_choices(fields["goal"], [(g.pk, str(g)) for g in goals])
        _fixed_choices(fields["organisation"], partner_choices)
        owners = svc.intervention_owners_among(list(_team(case)), participants)
        _fixed_choices(fields["owner"], [(u.pk, _label(u)) for u in owners])
    if director and not closed:
        for row in participants:
            row.remove_form = row_form("participant-remove", row.pk)
        for goal in goals:
            if not goal.achieved:
                goal.form = row_form("goal-achieved", goal.pk)
    interventions = svc.interventions_shown(user, case)
    if not closed:
        for row in interventions:
            row.fold, row.form = fold(
                "intervention-update",
                row.pk,
                {"status": row.status, "progress": row.progress},
            )
    conferences = svc.conferences_of(case)
    points = svc.action_points_shown(user, case)
    for conference in conferences:
        conference.visible_points = [
            p for p in points if p.conference_id == conference.pk
        ]
        for point in conference.visible_points:
            if point.done_on is None:
                point.form = row_form(
                    "action-point-done", point.pk, {"done_on": timezone.localdate()}
                )
        if director and not closed:
            conference.point_fold, conference.point_form = fold(
                "action-point", conference.pk
            )
            if conference.point_form:
                _fixed_choices(
                    conference.point_form.fields["organisation"], partner_choices
                )
            if conference.held_on is None:
                conference.record_fold, conference.record_form = fold(
                    "conference-record",
                    conference.pk,
                    {"held_on": timezone.localdate()},
                )
    top_x = []
    if director:
        top_x = svc.top_x_of(case)
        for entry in top_x:
            if entry.removed_on is None and not closed:
                entry.fold, entry.form = fold("top-x-remove", entry.pk)
    actor = actor_for(user)
    context = {
        "case": case,
        "referral": svc.referral_of(case),
        "person": svc.person_of(case),
        "director": director,
        "blocked_steps": missing_for_next_steps(case) if director else [],
        "participants": participants,
        "goals": goals,
        "closed": closed,
        "interventions": interventions,
        "conferences": conferences,
        "health_items": svc.health_items_for(user, case, reads=reads),
        "relations": svc.relations_of(case) if director else [],
        "top_x": top_x,
        "is_candidate": case.status == PgaStatus.D05,
        "my_organisation": actor.organisation_id,
        "forms": page_forms,
        # The folded forms the page offers: a link where one is not open.
        "offered": {name.replace("-", "_") for name in offered},
        # What the casusregisseur reads where the selection will be.
        "not_yet_accepted": svc.NOT_YET_ACCEPTED
        if director and not accepted and not closed
        else "",
    }
    log_sensitive_reads(user=user, reads=reads, request=request)
    return render(request, "pga/dossier.html", context)


# --- Selecting a participant, step 2 ---------------------------------------------


def _participant_url(case, organisation_pk) -> str:
    url = reverse("casework:pga_participant_add", args=[case.reference])
    return f"{url}?{urlencode({'organisation': organisation_pk})}"


@require_http_methods(["GET", "POST"])
def participant_add(request, reference):
    """Step 2 of selecting a participant (2.31 lid 4): the users of the one
    organisation chosen in step 1, a page at a time with a name filter, its
    legal basis and whether it joins incidentally. Without a valid
    organisation the page asks for one (step 1, a GET form). The
    casusregisseur on the team only (404 otherwise); `participant_add`
    checks the right and every rule again."""
    case = _pga_case(request, reference)
    user = request.user
    if not svc.is_director(case, user):
        raise Http404
    if request.method == "POST":
        form = ParticipantForm(
            request.POST, case=case, user=user, auto_id="id_participant_%s"
        )
        if form.is_valid():
            try:
                _run(
                    case,
                    form,
                    lambda d: svc.participant_add(
                        case=case,
                        user=user,
                        organisation=d["organisation"],
                        legal_basis=d["legal_basis"],
                        members=list(d["members"]),
                        incidental=d["incidental"],
                    ),
                )
            except (ValidationError, PermissionDenied) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Saved."))
                return redirect("casework:pga_dossier", reference=case.reference)
        organisation = form.cleaned_data.get("organisation")
        search = MemberSearchForm({"q": form.cleaned_data.get("q", "")})
        if organisation is None:
            choose = ParticipantOrganisationForm(
                request.POST, case=case, user=user, auto_id="id_participant_%s"
            )
            return _participant_page(request, case, choose=choose)
    else:
        choose = ParticipantOrganisationForm(
            request.GET if "organisation" in request.GET else None,
            case=case,
            user=user,
            auto_id="id_participant_%s",
        )
        if not choose.is_valid():
            return _participant_page(request, case, choose=choose)
        organisation = choose.cleaned_data["organisation"]
        search = MemberSearchForm(request.GET)
        form = None
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    if form is None:
        form = ParticipantForm(
            initial={"organisation": organisation.pk, "q": query},
            case=case,
            user=user,
            auto_id="id_participant_%s",
        )
    rows = svc.member_candidates(case, organisation, query=query)
    more = len(rows) > svc.MEMBER_PAGE
    rows = rows[: svc.MEMBER_PAGE]
    if form.is_bound:
        # What a returned form had ticked stays ticked, also off this page.
        ticked = {str(pk) for pk in form.data.getlist("members")}
        shown = {str(u.pk) for u in rows}
        missing = [pk for pk in ticked - shown if pk.isdigit() and len(pk) < 19]
        if missing:
            rows += svc.member_candidates(case, organisation, pks=missing)
    form.show_members(rows)
    return _participant_page(
        request,
        case,
        form=form,
        search=search,
        organisation=organisation,
        more=more,
        shown=len(rows),
        query=query,
    )


def _participant_page(request, case, **context):
    context.update(
        case=case,
        closed=case.status in svc.CLOSED_STATUSES,
        limit=svc.MEMBER_PAGE,
    )
    return render(request, "pga/participant_form.html", context)


# --- Network view -------------------------------------------------------------------


def network_svg(centre, nodes) -> str:
    """The person in the middle, relations on a circle, each with the number
    of cases the reader may see. Drawn in Python: no script, no external
    asset; coordinates are written as plain numbers (never localised)."""
    width, height, radius = 760, 520, 190
    cx, cy = width / 2, height / 2

    def point(node, x, y):
        node.count_label = ngettext(
            "%(n)s case you may see", "%(n)s cases you may see", len(node.cases)
        ) % {"n": len(node.cases)}
        return {
            "node": node,
            "x": f"{x:.1f}",
            "y": f"{y:.1f}",
            "name_y": f"{y - 6:.1f}",
            "kind_y": f"{y + 10:.1f}",
            "count_y": f"{y + 24:.1f}",
        }

    placed = []
    for index, node in enumerate(nodes):
        angle = 2 * math.pi * index / max(len(nodes), 1) - math.pi / 2
        placed.append(
            point(node, cx + radius * math.cos(angle), cy + radius * math.sin(angle))
        )
    return render_to_string(
        "pga/network.svg",
        {
            "title": _("Network of %(name)s") % {"name": centre.party.name},
            "width": width,
            "height": height,
            "centre": point(centre, cx, cy),
            "placed": placed,
        },
    )


@require_GET
def network(request, reference):
    case = _pga_case(request, reference)
    if not svc.is_director(case, request.user):
        raise Http404
    log_sensitive_read(
        user=request.user,
        obj=case,
        data_class=case.data_class,
        case=case,
        request=request,
    )
    centre, nodes = svc.network_for(request.user, case)
    context = {
        "case": case,
        "centre": centre,
        "nodes": nodes,
        "svg": network_svg(centre, nodes) if centre else "",
    }
    return render(request, "pga/network.html", context)


# --- Referral, Top X list and the FG's pages -----------------------------------------


def _may_refer(user) -> bool:
    return actor_for(user).role == Role.CASUSREGISSEUR


@require_http_methods(["GET", "POST"])
def referral_new(request):
    if not _may_refer(request.user):
        raise Http404
    form = ReferralForm(
        request.POST or None, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            url = run_once(
                token=data["form_token"],
                user=request.user,
                action=lambda: svc.referral_register(
                    user=request.user,
                    person=data["person"],
                    reporter=data["reporter"],
                    received_on=data["received_on"],
                    reason=data["reason"],
                    goal=data["goal"],
                    partners_involved=data["partners_involved"],
                    informed=data["informed"],
                    not_informed_reason=data["not_informed_reason"],
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("Referral registered."))
            messages.info(request, _("Next: confirm the referral to the reporter."))
            reference = url.rstrip("/").rsplit("/", 1)[-1]
            letter = reverse("casework:document_create", args=[reference])
            return redirect(f"{letter}?template=aanmeldbevestiging_pga")
    return render(request, "pga/referral_form.html", {"form": form})


@require_GET
def top_x(request):
    """The list (cases the user may see) and the published criteria."""
    entries = list(svc.top_x_list(request.user))
    # Each placement shown is a read of a ZVH case product (D10): logged.
    for entry in entries:
        log_sensitive_read(
            user=request.user, obj=entry, data_class="D10", case=entry.case,
            request=request,
        )  # fmt: skip
    context = {
        "entries": entries,
        "criteria": svc.published_criteria(),
    }
    return render(request, "pga/top_x.html", context)


@require_GET
def shielded(request):
    if not svc.may_read_shielded(request.user):
        raise Http404
    context = {
        "cases": svc.shielded_cases(request.user)[:200],
        "deletions": DeletionLog.objects.all()[:200],
    }
    return render(request, "pga/shielded.html", context)


class RetentionHoldForm(forms.Form):
    retention_hold = forms.CharField(
        label=gettext_lazy("Legal rule or claim that requires keeping the data longer"),
        widget=TEXT,
        required=False,
        help_text=gettext_lazy(
            "Leave empty to let the retention sweep delete the file at the limit."
        ),
        max_length=TEXT_LENGTH,
    )


@require_http_methods(["GET", "POST"])
def shielded_case(request, reference):
    try:
        case = svc.shielded_case_read(request.user, reference, request=request)
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    referral = svc.referral_of(case)
    form = RetentionHoldForm(
        request.POST or None,
        initial={"retention_hold": referral.retention_hold if referral else ""},
    )
    if request.method == "POST" and referral is not None and form.is_valid():
        svc.retention_hold_set(
            case=case, user=request.user, reason=form.cleaned_data["retention_hold"]
        )
        messages.success(request, _("Saved."))
        return redirect("casework:pga_shielded_case", reference=case.reference)
    context = {
        "hold_form": form if referral is not None else None,
        "case": case,
        "referral": svc.referral_of(case),
        "person": svc.person_of(case),
        "participants": PgaParticipant.objects.filter(case=case).select_related(
            "organisation"
        ),
        "goals": case.pga_goals.all(),
        "interventions": case.pga_interventions.select_related("organisation"),
        "conferences": case.pga_conferences.all(),
        "timeline": case.events.select_related("actor").order_by("at", "id"),
        "documents": case.documents.defer("content").order_by("created_at", "id"),
    }
    return render(request, "pga/shielded_case.html", context)
