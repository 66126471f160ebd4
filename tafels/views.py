"""The tables' pages: the list of tables, a table with its meetings, a
meeting with its agenda, and the minutes per reader.

Every page fetches its table through `selectors` (404 for whoever does not
sit at it, partner or not), shows the agenda the decision point lets the
reader see, and logs the read when it shows police, OM, Bibob, fiscal,
health or ZVH data (`casework.views.log_page_read`). Every form carries a
token: a double submit records once.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casework.idempotency import run_once
from casework.models import Location, Party
from casework.views import log_page_read
from permissions.decision import CHAIR, decide
from permissions.models import Organisation
from permissions.policy import actor_for

from . import minutes as minutes_letter
from . import selectors
from . import services as svc
from .forms import (
    ActionPointForm,
    DecisionForm,
    MeetingForm,
    StepForm,
    SubjectForm,
    TableForm,
)
from .models import Meeting


def _run(request, form, action) -> bool:
    """Run one service once per form token; a refusal (the rule named) is
    an error message and the page again."""
    try:
        run_once(
            token=form.cleaned_data["form_token"], user=request.user, action=action
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
        return False
    messages.success(request, _("Saved."))
    return True


@require_http_methods(["GET", "POST"])
def table_list(request):
    user = request.user
    actor = actor_for(user)
    chairs = decide(user, CHAIR, "tafel_chair", organisation_id=actor.organisation_id)
    form = None
    if chairs:
        form = TableForm(request.POST or None)
        form.fields["participants"].queryset = Organisation.objects.exclude(
            pk=actor.organisation_id
        ).order_by("name")
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data

            def create():
                return svc.table_create(
                    user=user,
                    kind=data["kind"],
                    name=data["name"],
                    participants=data["participants"],
                )

            if _run(request, form, create):
                return redirect("tafels:table_list")
    return render(
        request,
        "tafels/table_list.html",
        {"tables": selectors.tables_for(user), "form": form},
    )


@require_http_methods(["GET", "POST"])
def table_detail(request, pk):
    table = selectors.table_for(request.user, pk)
    chairs = selectors.may_chair(request.user, table)
    form = MeetingForm(request.POST or None) if chairs else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data

            def plan():
                return svc.meeting_plan(
                    table=table,
                    user=request.user,
                    day=data["date"],
                    place=data["place"],
                )

            if _run(request, form, plan):
                return redirect("tafels:table_detail", pk=table.pk)
    years, year, closed = selectors.closed_meetings(table, request.GET.get("year"))
    context = {
        "table": table,
        "participants": table.participants.order_by("name"),
        "current": selectors.current_meetings(table),
        "years": years,
        "year": year,
        "closed": closed,
        "form": form,
        "chairs": chairs,
    }
    return render(request, "tafels/table_detail.html", context)


# --- The meeting ------------------------------------------------------------------


def _forms(meeting: Meeting, user, bound=None) -> dict:
    """The forms the reader may use on the meeting page now (none on a
    closed meeting): the agenda's for a partner at the table, the chair's
    rows and steps once it is held."""

    def make(name, form_class, **kwargs):
        if bound and bound[0] == name and not kwargs.get("initial"):
            return bound[1]
        return form_class(auto_id=f"id_{name}_%s", **kwargs)

    table = meeting.table
    found = {}
    if meeting.status != Meeting.Status.CLOSED:
        if selectors.may_contribute(user, table):
            found["subject"] = make("subject", SubjectForm, user=user)
        if selectors.may_chair(user, table):
            step = "hold" if meeting.status == Meeting.Status.PLANNED else "close"
            found[step] = make(step, StepForm)
    return found


def _row_forms(item, partners, bound) -> None:
    """The chair's decision and action-point forms on one agenda item."""
    pk = item.subject.pk
    for name, form_class in (("decision", DecisionForm), ("point", ActionPointForm)):
        form = None
        if bound and bound[0] == name and bound[1].data.get("subject") == str(pk):
            form = bound[1]
        else:
            form = form_class(
                initial={"subject": pk},
                partners=partners,
                auto_id=f"id_{name}_{pk}_%s",
            )
        setattr(item, f"{name}_form", form)


ACTIONS = {
    "subject": SubjectForm,
    "decision": DecisionForm,
    "point": ActionPointForm,
    "hold": StepForm,
    "close": StepForm,
}


def _save(request, meeting, name, form, agenda) -> bool:
    user, data = request.user, form.cleaned_data
    if name in ("decision", "point"):
        item = next((i for i in agenda.items if i.subject.pk == data["subject"]), None)
        if item is None:
            raise Http404
        subject = item.subject
    if name == "subject":

        def action():
            svc.subject_put(
                meeting=meeting, user=user, reason=data["reason"], **_what(data)
            )
            return meeting

    elif name == "decision":

        def action():
            svc.decision_record(
                subject=subject,
                user=user,
                organisation=data["organisation"],
                text=data["text"],
            )
            return meeting

    elif name == "point":

        def action():
            svc.action_point_add(
                subject=subject,
                user=user,
                organisation=data["organisation"],
                description=data["description"],
                due_on=data["due_on"],
                outcome=data["outcome"],
                case_type=data["case_type"],
            )
            return meeting

    else:
        step = svc.meeting_hold if name == "hold" else svc.meeting_close

        def action():
            return step(meeting=meeting, user=user)

    return _run(request, form, action)


def _what(data) -> dict:
    """The subject the form names, as the service takes it."""
    kind = data["kind"]
    if kind == "case":
        return {"case": data["case"]}
    if kind == "person":
        return {
            "party": Party(
                kind=Party.Kind.PERSON,
                name=data["person_name"],
                bsn=data["person_bsn"],
                date_of_birth=data["person_date_of_birth"],
            ),
            "data_class": data["data_class"],
        }
    return {
        "location": Location(
            street=data["street"],
            house_number=data["house_number"],
            addition=data["addition"],
            postcode=data["postcode"],
            city=data["city"],
        ),
        "data_class": data["data_class"],
    }


@require_http_methods(["GET", "POST"])
def meeting_detail(request, pk):
    user = request.user
    meeting = selectors.meeting_for(user, pk)
    table = meeting.table
    partners = selectors.partners_of(table)
    agenda = selectors.agenda_for(user, meeting)
    chair_rows = agenda.chairs and meeting.status == Meeting.Status.HELD
    chair_rows = chair_rows and selectors.may_chair(user, table)
    bound = None
    if request.method == "POST":
        name = request.POST.get("action", "")
        offered = _forms(meeting, user)
        if name not in ACTIONS or (
            name not in offered and not (chair_rows and name in ("decision", "point"))
        ):
            raise Http404
        kwargs = {"user": user} if name == "subject" else {}
        if name in ("decision", "point"):
            kwargs = {"partners": partners}
        form = ACTIONS[name](request.POST, **kwargs)
        bound = (name, form)
        if form.is_valid():
            if _save(request, meeting, name, form, agenda):
                return redirect("tafels:meeting_detail", pk=meeting.pk)
        else:
            # A subject id that names no row: its form is not on the page.
            for field in form.hidden_fields():
                for error in field.errors:
                    messages.error(request, error)
    log_page_read(request, "tafel_meeting", agenda.shown())
    if chair_rows:
        for item in agenda.items:
            _row_forms(item, partners, bound)
    context = {
        "meeting": meeting,
        "table": table,
        "agenda": agenda,
        "forms": _forms(meeting, user, bound),
        "chair_rows": chair_rows,
    }
    return render(request, "tafels/meeting_detail.html", context)


@require_GET
def minutes(request, pk):
    """The minutes of a closed meeting as this reader may read them."""
    user = request.user
    meeting = selectors.meeting_for(user, pk)
    if meeting.status != Meeting.Status.CLOSED:
        raise Http404
    agenda = selectors.agenda_for(user, meeting)
    log_page_read(request, "tafel_minutes", agenda.shown())
    actor = actor_for(user)
    name = user.get_full_name() or user.get_username()
    now = timezone.localtime()
    content = minutes_letter.render(
        minutes_letter.inputs_for(agenda, reader=f"{name} ({actor.organisation_name})"),
        watermark=(
            f"Vertrouwelijk – opgemaakt voor {user.get_username()} "
            f"op {now:%Y-%m-%d %H:%M}"
        ),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="verslag-tafel-{meeting.pk}-{meeting.date:%Y%m%d}.pdf"'
    )
    return response
