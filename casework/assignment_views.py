"""The pages of assignment (docs/assignment.md): take up, release and hand over
a case from its page, and a coordinator's distribution of a queue.

The views only ask: who may hold a case and who may give it away is the
decision point's (`casework.assignment` passes it the facts). A case the user
may not read as a file answers 404 (outsiders, other partners, the partners on
its team); a refusal of the rules is a message naming the rule.
"""

import copy

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from permissions.decision import READ, decide, distributes

from . import assignment, idempotency
from .forms import SharedOptions, SharedOptionsSelect, TokenForm
from .idempotency import run_once
from .models import FormSubmission
from .selectors import reference_url
from .views import _form_errors_to_messages, case_or_404

NOTE_LENGTH = 1000


def _file_or_404(request, reference: str):
    """The case, for a user who reads its file; 404 for everyone else."""
    case = case_or_404(request, reference)
    if not decide(request.user, READ, case):
        raise Http404
    return case


@require_POST
def assign_claim(request, reference):
    """Oppakken: the user takes up a case nobody holds."""
    case = _file_or_404(request, reference)
    try:
        assignment.case_claim(case=case, user=request.user)
    except ValidationError as exc:
        _form_errors_to_messages(request, exc)
    else:
        messages.success(request, _("You hold this case now."))
    return redirect(case)


class ReleaseForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=NOTE_LENGTH
    )


@require_POST
def assign_release(request, reference):
    """Vrijgeven: the holder (or a coordinator) gives the case back to the
    team."""
    case = _file_or_404(request, reference)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, ValidationError(form.errors["note"]))
        return redirect(case)
    try:
        assignment.case_release(
            case=case, user=request.user, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        _form_errors_to_messages(request, exc)
    else:
        messages.success(request, _("The case is back with the team."))
    return redirect(case)


def _once(request, form, action) -> str:
    """`action` once per form token (`idempotency.run_once`): the URL of its
    record, or "" with its refusals as the form's errors."""
    try:
        return run_once(
            token=form.cleaned_data["form_token"], user=request.user, action=action
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            form.add_error(None, message)
        return ""


def _submitted(request) -> str:
    """Where the user's earlier submit of this form (its token) led, or ""."""
    if request.method != "POST":
        return ""
    token = TokenForm(request.POST)
    if not token.is_valid():  # the form itself refuses it, in Dutch
        return ""
    earlier = FormSubmission.objects.filter(
        token=token.cleaned_data[idempotency.FIELD], user=request.user
    ).first()
    return earlier.result_url if earlier is not None else ""


class HandOverForm(TokenForm):
    to = forms.TypedChoiceField(label=gettext_lazy("Hand over to"), coerce=int)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why you hand the case over, for the next holder."),
        error_messages={"required": assignment.NOTE_REQUIRED},
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["to"].choices = [
            (person.pk, assignment.person_name(person)) for person in people
        ]


@require_http_methods(["GET", "POST"])
def assign_hand_over(request, reference):
    """Overdragen aan …: the holder (or a coordinator) picks a team member who
    may hold the case and says why."""
    case = _file_or_404(request, reference)
    done = _submitted(request)
    if done:
        # The same form again: the first submit handed the case over, so the
        # user may no longer; the token leads to where the first one went.
        return redirect(done)
    context = {"case": case, "open_step": assignment.open_step(case)}
    refusal = assignment.assign_refusal(request.user, case)
    if refusal is not None:
        # A reader of the file whom the rule refuses reads why, and nothing
        # changes (a POST included).
        context["refusal"] = refusal
        return render(request, "casework/assign_hand_over.html", context)
    people = assignment.hand_over_candidates(case, exclude=case.assignee_id)
    form = HandOverForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        url = _once(
            request,
            form,
            lambda: (
                assignment.case_hand_over(
                    case=case,
                    user=request.user,
                    to=form.people[data["to"]],
                    note=data["note"],
                ).case
            ),
        )
        if url:
            messages.success(request, _("Case handed over."))
            return redirect(url)
    context["form"] = form
    return render(request, "casework/assign_hand_over.html", context)


class DistributeForm(TokenForm):
    """Cases of the queue and the people to give them to: in turn, or one
    person per case (the `person_<reference>` fields)."""

    ROUND_ROBIN = "round_robin"
    PER_CASE = "per_case"

    cases = forms.MultipleChoiceField(
        label=gettext_lazy("Cases"), widget=forms.CheckboxSelectMultiple
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("How"),
        choices=[
            (ROUND_ROBIN, gettext_lazy("In turn over the people chosen")),
            (PER_CASE, gettext_lazy("The person chosen per case")),
        ],
        initial=ROUND_ROBIN,
        widget=forms.RadioSelect,
    )
    people = forms.TypedMultipleChoiceField(
        label=gettext_lazy("People"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=NOTE_LENGTH
    )

    def __init__(self, *args, queue=(), people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.queue = {case.reference: case for case in queue}
        self.people_by_id = {person.pk: person for person in people}
        choices = [(person.pk, assignment.person_name(person)) for person in people]
        self.fields["cases"].choices = [(ref, ref) for ref in self.queue]
        self.fields["people"].choices = choices
        # One field for a person per case, copied for each case: the same
        # people, their choices checked once and their options written once
        # (`SharedOptionsSelect`), not once per case (docs/performance.md, "The
        # distribution queue").
        per_case = [("", "—"), *choices]
        person = forms.TypedChoiceField(
            choices=per_case,
            widget=SharedOptionsSelect(SharedOptions(per_case)),
            coerce=int,
            empty_value=None,
            required=False,
        )
        for reference in self.queue:
            field = copy.copy(person)
            field.label = reference
            self.fields[f"person_{reference}"] = field

    def plan(self) -> list:
        """The (case, person) pairs the form asks for, in queue order."""
        data = self.cleaned_data
        chosen = [case for ref, case in self.queue.items() if ref in data["cases"]]
        if data["mode"] == self.ROUND_ROBIN:
            people = [self.people_by_id[pk] for pk in data["people"]]
            return assignment.round_robin(chosen, people)
        return [
            (case, self.people_by_id[data[f"person_{case.reference}"]])
            for case in chosen
        ]

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.ROUND_ROBIN and not data.get("people"):
            self.add_error("people", _("Choose the people to distribute over."))
        if data.get("mode") == self.PER_CASE:
            for reference in data.get("cases", []):
                if data.get(f"person_{reference}") is None:
                    self.add_error(
                        f"person_{reference}",
                        _("Choose a person for %(reference)s.")
                        % {"reference": reference},
                    )
        return data

    def rows(self) -> list[str]:
        """Each case of the queue as one table row, drawn here so that the
        template only prints it: reference, title and link, the open step and
        its role, the case's checkbox and its person field with their labels
        and errors (`QUEUE_ROW`). Rows of form fields printed through the
        template's lookups cost most of the page (docs/performance.md, "The
        distribution queue"); `format_html` escapes what is not markup."""
        url = reference_url("casework:case_detail")
        # The checkboxes and selects drawn as their widgets draw them, without
        # a BoundField per case: the same names, ids, values and checks.
        chosen = set(self["cases"].value() or ())
        cases_name = self.add_prefix("cases")
        rows = []
        for n, case in enumerate(self.queue.values()):
            box_id = self.auto_id % f"{cases_name}_{n}"
            name = self.add_prefix(f"person_{case.reference}")
            field = self.fields[f"person_{case.reference}"]
            person_id = self.auto_id % name
            value = self.data.get(name) if self.is_bound else None
            errors = self.is_bound and self.errors.get(f"person_{case.reference}")
            # As BoundField.as_widget writes them.
            attrs = {"id": person_id}
            if errors:
                attrs = {
                    "aria-describedby": f"{person_id}_error",
                    "aria-invalid": "true",
                    **attrs,
                }
            rows.append(
                format_html(
                    QUEUE_ROW,
                    box=format_html(
                        '<input type="checkbox" name="{}" value="{}" id="{}"{}>',
                        cases_name,
                        case.reference,
                        box_id,
                        " checked" if case.reference in chosen else "",
                    ),
                    box_id=box_id,
                    url=url(case.reference),
                    reference=case.reference,
                    title=case.title,
                    step=case.step.label,
                    role=case.step.role_label,
                    person_id=person_id,
                    person_label=_("Person for %(reference)s")
                    % {"reference": case.reference},
                    person=field.widget.render(name, value, attrs),
                    # An empty error list would still render its template.
                    person_errors=errors or "",
                )
            )
        return rows


# A row of the distribution queue (`DistributeForm.rows`): the columns of
# templates/casework/distribute.html's table head.
QUEUE_ROW = (
    "<tr><td>{box}</td>\n"
    '          <td><label for="{box_id}"><a href="{url}">{reference}</a> {title}'
    "</label></td>\n"
    "          <td>{step} ({role})</td>\n"
    '          <td><label class="visually-hidden" for="{person_id}">'
    "{person_label}</label>{person}{person_errors}</td></tr>"
)


@require_http_methods(["GET", "POST"])
def distribute(request):
    """A coordinator's queue: open cases of its organisation that nobody
    holds, given to people in one all-or-nothing POST."""
    if not distributes(request.user):
        raise Http404
    queue = assignment.distribution_queue(request.user)
    roles = {case.step.role for case in queue}
    people = assignment.distribution_people(request.user, roles)
    form = DistributeForm(request.POST or None, queue=queue, people=people)
    done = _submitted(request)
    if done:
        # The same form again (a double click): its cases left the queue with
        # the first submit, which the second finds by its token.
        return redirect(done)
    if request.method == "POST" and form.is_valid():
        url = _once(
            request,
            form,
            lambda: (
                assignment.queue_distribute(
                    user=request.user, plan=form.plan(), note=form.cleaned_data["note"]
                )
                and assignment.Distributed()
            ),
        )
        if url:
            messages.success(request, _("The cases are distributed."))
            return redirect(url)
    context = {"form": form, "shown": len(queue), "total": None}
    if len(queue) >= assignment.QUEUE_LIMIT:
        # More may wait than the page shows: say how many (bounded count).
        context["total"] = assignment.queue_size(request.user)
    return render(request, "casework/distribute.html", context)
