"""Views: fetch through `for_user`, bind the form, call one service, redirect.

Whatever a user may not see answers 404, never 403, so the answer does not
confirm that the case or signal exists.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from permissions.models import SENSITIVE_CLASSES, AccessLog
from permissions.policy import OUTCOME_ONLY_ROLES, TRIAGE_ROLES, WRITE, actor_for
from permissions.services import log_access, log_sensitive_read, user_can

from . import deadlines, documents, flows, forms, pdf, selectors, services, steps
from .idempotency import run_once
from .letter_forms import LetterForm, initial_for
from .models import Case, Deadline, Signal
from .registry import registry
from .steps import available_transitions


def _log_denied(request, model, **lookup) -> None:
    """A refused request for an existing sensitive item is logged as denied.
    A refused case carries its own id and reference, so the FG finds refused
    attempts when filtering the log by case."""
    obj = model.objects.filter(**lookup).only("pk", "reference", "data_class").first()
    if obj is not None and obj.data_class in SENSITIVE_CLASSES:
        log_access(
            user=request.user,
            action=AccessLog.Action.READ,
            object_type=model._meta.model_name,
            object_id=obj.pk,
            data_class=obj.data_class,
            case=obj if model is Case else None,
            result=AccessLog.Result.DENIED,
            request=request,
        )


def _case_or_404(request, reference: str) -> Case:
    try:
        return selectors.case_for_user(request.user, reference)
    except Http404:
        _log_denied(request, Case, reference=reference)
        raise


def _signal_or_404(request, reference: str) -> Signal:
    try:
        return selectors.signal_for_user(request.user, reference)
    except Http404:
        _log_denied(request, Signal, reference=reference)
        raise


def _form_errors_to_messages(request, exc) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


@require_GET
def home(request):
    """Mijn werk: my newest cases, signals waiting for triage, my tasks."""
    actor = actor_for(request.user)
    cases, total = selectors.case_page(request.user, per_page=10)
    can_triage = actor.role in TRIAGE_ROLES
    context = {
        "deadlines": selectors.my_deadlines(request.user, limit=20),
        "within": deadlines.reminder_working_days(),
        "today": timezone.localdate(),
        "cases": cases,
        "case_total": total,
        "tasks": flows.tasks_for_user(request.user),
        "signals": selectors.my_triage_signals(request.user, limit=10)
        if can_triage
        else [],
        "can_triage": can_triage,
    }
    return render(request, "casework/home.html", context)


@require_GET
def case_list(request):
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    cases, total = selectors.case_page(
        request.user,
        case_type=filters.get("case_type", ""),
        status=filters.get("status", ""),
        team_role=filters.get("team_role", ""),
        page=page,
    )
    query = request.GET.copy()
    query.pop("page", None)
    # The ~100 <option>s of the three selects as (value, label, selected)
    # rows for the template's loop, not the widget templates (2–4 ms,
    # docs/performance.md).
    fields = []
    for field in form:
        current = field.value()
        options = [
            (value, label, value == current) for value, label in field.field.choices
        ]
        fields.append((field, options))
    context = {
        "form": form,
        "fields": fields,
        "cases": cases,
        "total": total,
        "page": page,
        "has_previous": page > 1,
        "has_next": page * selectors.PAGE_SIZE < total,
        "query": query.urlencode(),
    }
    return render(request, "casework/case_list.html", context)


@require_GET
def case_detail(request, reference):
    """The case page. The case query also says which sections have rows
    (`selectors.case_for_page`); an empty section is not queried, and the
    write checks of the page come from the user's team row read with the case
    (docs/performance.md)."""
    try:
        case = selectors.case_for_page(request.user, reference)
    except Http404:
        _log_denied(request, Case, reference=reference)
        raise
    log_sensitive_read(
        user=request.user,
        obj=case,
        data_class=case.data_class,
        case=case,
        request=request,
    )
    has = case.sections
    if actor_for(request.user).role in OUTCOME_ONLY_ROLES:
        # A partner sees where the case stands and its own reports only.
        context = {
            "case": case,
            "signals": selectors.case_signals(request.user, case)
            if has["has_signals"]
            else [],
        }
        context["case_links"] = registry.links_for(case, outcome_page=True)
        return render(request, "casework/case_outcome.html", context)
    can_write = user_can(request.user, WRITE, case)
    context = {
        "case": case,
        "parties": selectors.page_parties(case) if has["has_parties"] else [],
        "locations": selectors.page_locations(case) if has["has_locations"] else [],
        "timeline": selectors.page_timeline(case),
        "linked": selectors.page_linked(request.user, case) if has["has_links"] else [],
        "signals": selectors.page_signals(request.user, case)
        if has["has_signals"]
        else [],
        "team": selectors.page_team(case),
        "deadlines": selectors.page_deadlines(case) if has["has_deadlines"] else [],
        "documents": selectors.page_documents(request.user, case)
        if has["has_documents"]
        else [],
        "transitions": [
            (name, label, steps.step_form(case, name) is not None)
            for name, label in available_transitions(case, request.user)
        ],
        "current_task": flows.current_task(case) if has["has_process"] else None,
        "can_write": can_write,
        "transition_form": forms.TransitionForm(),
        "case_links": registry.links_for(case),
        "team_url": _team_url(case),
        "team_url_label": _team_url_label(case),
    }
    # The case type's panels (and the shared legal-protection panel), each
    # with the context it asks for (casework.registry.Panel).
    panels = registry.panels_for(case)
    for panel in panels:
        context.update(panel.context(case, request.user))
    context["panels"] = [panel.template for panel in panels]
    return render(request, "casework/case_detail.html", context)


def _team_url(case) -> str:
    """Where the case team is chosen: the kernel's team form, or the page the
    case type registered (a PGA case's participants, in its case file)."""
    entry = registry.case_types.get(case.case_type)
    if entry is not None and entry.team_url_name:
        url = reverse(entry.team_url_name, args=[case.reference])
        return f"{url}#{entry.team_url_fragment}" if entry.team_url_fragment else url
    return reverse("casework:case_add_team", args=[case.reference])


def _team_url_label(case) -> str:
    entry = registry.case_types.get(case.case_type)
    return entry.team_url_label if entry is not None else ""


@require_GET
def case_process(request, reference):
    """The flow's picture with the current phase marked (viewflow's chart)."""
    case = _case_or_404(request, reference)
    if actor_for(request.user).role in OUTCOME_ONLY_ROLES:
        raise Http404
    log_sensitive_read(
        user=request.user, obj=case, data_class=case.data_class, case=case,
        request=request,
    )  # fmt: skip
    svg = flows.process_chart(case)
    if svg is None:
        raise Http404
    return HttpResponse(svg, content_type="image/svg+xml")


@require_POST
def case_transition(request, reference):
    """Run one step. Who may run it is the transition's own permission (a
    burgemeester signs a besluit without writing the case file); a user for
    whom no step is available gets 404, like every other write page."""
    case = _case_or_404(request, reference)
    if not available_transitions(case, request.user):
        raise Http404
    form = forms.TransitionForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["name"]
        if steps.step_form(case, name) is not None:
            # This step asks for more than a note: its own page.
            return redirect("casework:case_step", reference=case.reference, name=name)
        try:
            steps.step_run(
                case=case,
                name=name,
                user=request.user,
                note=form.cleaned_data["note"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Status changed."))
            letter = _letter_after(request, case, name)
            if letter:
                return letter
    return redirect(case)


def _letter_after(request, case, name, data=None):
    """After a step that calls for a letter, open that letter's form, for a
    user who makes letters on this case (the burgemeester signs; the jurist
    makes the letter)."""
    step = steps.step_for(case, name)
    letter = step.letter_for(data or {}) if step else ""
    if not letter or letter not in pdf.TEMPLATES:
        return None
    if not user_can(request.user, WRITE, case):
        messages.info(
            request, _("The case owner now makes the letter for this decision.")
        )
        return None
    messages.info(request, _("Next: make the letter for this step."))
    url = reverse("casework:document_create", args=[case.reference])
    return redirect(f"{url}?template={letter}")


@require_http_methods(["GET", "POST"])
def case_step(request, reference, name):
    """A step with its own form (a date, a term): the transition and the
    deadlines and legal protection it sets run in one transaction."""
    case = _case_or_404(request, reference)
    available = dict(available_transitions(case, request.user))
    form_class = steps.step_form(case, name)
    if name not in available or form_class is None:
        raise Http404
    form = form_class(request.POST or None, initial=steps.initial_for(name, case))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            url = run_once(
                token=data.pop("form_token"),
                user=request.user,
                action=lambda: steps.step_run(
                    case=case,
                    name=name,
                    user=request.user,
                    note=data.pop("note", ""),
                    data=data,
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("Status changed."))
            if not Case.objects.for_user(request.user).filter(pk=case.pk).exists():
                # The step ended the user's access (a PGA file is shielded
                # on closure, WGS 2.31 lid 8).
                messages.info(request, _("The case is closed and shielded."))
                return redirect("casework:home")
            return _letter_after(request, case, name, form.cleaned_data) or redirect(
                url
            )
    return _case_form(request, case, form, available[name])


def _case_form(request, case, form, heading):
    """One page for every small form on a case (party, location, team, ...)."""
    context = {"case": case, "form": form, "heading": heading}
    return render(request, "casework/case_form.html", context)


def _case_subform(request, reference, form_class, heading, save):
    """GET shows the form, POST validates it and runs `save` once per token."""
    case = _case_or_404(request, reference)
    if not user_can(request.user, WRITE, case):
        raise Http404
    form = form_class(request.POST or None)

    def action():
        save(case, form)
        return case

    if request.method == "POST" and form.is_valid():
        try:
            url = run_once(
                token=form.cleaned_data["form_token"], user=request.user, action=action
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(url)
    return _case_form(request, case, form, heading)


@require_http_methods(["GET", "POST"])
def case_add_party(request, reference):
    return _case_subform(
        request,
        reference,
        forms.PartyForm,
        _("Add a party"),
        lambda case, form: services.case_add_party(
            case=case,
            user=request.user,
            party=form.party(),
            role=form.cleaned_data["role"],
        ),
    )


@require_http_methods(["GET", "POST"])
def case_add_location(request, reference):
    return _case_subform(
        request,
        reference,
        forms.LocationForm,
        _("Add a location"),
        lambda case, form: services.case_add_location(
            case=case,
            user=request.user,
            location=form.location(),
            role=form.cleaned_data["role"],
        ),
    )


@require_http_methods(["GET", "POST"])
def case_add_team_member(request, reference):
    case = _case_or_404(request, reference)
    if not user_can(request.user, WRITE, case):
        raise Http404
    form = forms.TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_team_add(
                case=case,
                user=request.user,
                member=form.cleaned_data["member"],
                team_role=form.cleaned_data["team_role"],
            )
        except ValidationError as exc:
            form.add_error("member", exc)
        else:
            messages.success(request, _("Team member added."))
            return redirect(case)
    return _case_form(request, case, form, _("Add a team member"))


@require_http_methods(["GET", "POST"])
def case_add_link(request, reference):
    case = _case_or_404(request, reference)
    if not user_can(request.user, WRITE, case):
        raise Http404
    form = forms.LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        other = (
            Case.objects.for_user(request.user)
            .filter(reference=form.cleaned_data["reference"])
            .first()
        )
        if other is None:
            form.add_error("reference", _("No case of yours has this reference."))
        else:
            try:
                services.case_link(
                    case=case,
                    other=other,
                    user=request.user,
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(
                    "reference",
                    exc.messages[0] if hasattr(exc, "messages") else str(exc),
                )
            else:
                messages.success(request, _("Cases linked."))
                return redirect(case)
    return _case_form(request, case, form, _("Link a case"))


# Signals ---------------------------------------------------------------------


@require_GET
def signal_list(request):
    status = request.GET.get("status", "")
    if status not in Signal.Status.values:
        status = ""
    context = {
        "signals": selectors.signal_list(request.user, status=status),
        "status": status,
        "statuses": Signal.Status.choices,
    }
    return render(request, "casework/signal_list.html", context)


@require_http_methods(["GET", "POST"])
def signal_create(request):
    if not forms.writable_classes(request.user):
        raise Http404
    form = forms.SignalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            url = run_once(
                token=data["form_token"],
                user=request.user,
                action=lambda: services.signal_register(
                    user=request.user,
                    source=data["source"],
                    received_on=data["received_on"],
                    summary=data["summary"],
                    data_class=data["data_class"],
                    legal_basis=data["legal_basis"],
                    shared_with=list(data["shared_with"]),
                    parties=form.parties(),
                    locations=form.locations(),
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Signal registered."))
            return redirect(url)
    return render(request, "casework/signal_form.html", {"form": form})


@require_GET
def signal_detail(request, reference):
    signal = _signal_or_404(request, reference)
    log_sensitive_read(
        user=request.user, obj=signal, data_class=signal.data_class, request=request
    )
    actor = actor_for(request.user)
    can_triage = actor.role in TRIAGE_ROLES and signal.status in (
        Signal.Status.NEW,
        Signal.Status.TRIAGE,
        Signal.Status.CONVERTED,
    )
    context = {
        "signal": signal,
        "can_triage": can_triage,
        "convert_form": forms.ConvertForm(),
        "file_form": forms.FileSignalForm(),
    }
    return render(request, "casework/signal_detail.html", context)


@require_POST
def signal_start_triage(request, reference):
    signal = _signal_or_404(request, reference)
    try:
        services.signal_start_triage(signal=signal, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _form_errors_to_messages(request, exc)
    return redirect(signal)


@require_POST
def signal_convert(request, reference):
    signal = _signal_or_404(request, reference)
    form = forms.ConvertForm(request.POST)
    if form.is_valid():
        try:
            url = run_once(
                token=form.cleaned_data["form_token"],
                user=request.user,
                action=lambda: services.signal_convert(
                    signal=signal,
                    user=request.user,
                    case_type=form.cleaned_data["case_type"],
                    title=form.cleaned_data["title"],
                ),
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Case opened from the signal."))
            return redirect(url)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(signal)


@require_POST
def signal_file(request, reference):
    signal = _signal_or_404(request, reference)
    form = forms.FileSignalForm(request.POST)
    if form.is_valid():
        try:
            services.signal_file(
                signal=signal, user=request.user, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Signal filed without action."))
    else:
        messages.error(
            request, _("Give the reason for filing the signal without action.")
        )
    return redirect(signal)


# Search and audit -------------------------------------------------------------


@require_GET
def search(request):
    form = forms.SearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = selectors.search_cases(request.user, form.cleaned_data["q"])
    return render(
        request,
        "casework/search.html",
        {
            "form": form,
            "results": results,
            "rows": selectors.case_rows_of(results),
            "searched": form.is_bound,
        },
    )


# Deadlines and documents --------------------------------------------------------


def _writable_case_or_404(request, reference: str) -> Case:
    case = _case_or_404(request, reference)
    if not user_can(request.user, WRITE, case):
        raise Http404
    return case


def _deadline_or_404(case, pk) -> Deadline:
    deadline = Deadline.objects.filter(case=case, pk=pk).first()
    if deadline is None:
        raise Http404
    return deadline


@require_http_methods(["GET", "POST"])
def deadline_create(request, reference):
    case = _writable_case_or_404(request, reference)
    form = forms.DeadlineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            deadline = deadlines.deadline_create(
                case=case,
                user=request.user,
                title=data["title"],
                legal_basis=data["legal_basis"],
                event_date=data["event_date"],
                length=data["length"],
                unit=data["unit"],
                atw_applies=data["atw_applies"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Deadline set."))
            return redirect("casework:deadline_detail", case.reference, deadline.pk)
    return _case_form(request, case, form, _("Set a deadline"))


@require_GET
def deadline_detail(request, reference, pk):
    case = _case_or_404(request, reference)
    deadline = _deadline_or_404(case, pk)
    log_sensitive_read(
        user=request.user, obj=case, data_class=case.data_class, case=case,
        request=request,
    )  # fmt: skip
    context = {
        "case": case,
        "deadline": deadline,
        "adjustments": deadline.adjustments.select_related("created_by"),
        "can_write": user_can(request.user, WRITE, case),
        "suspend_form": forms.SuspendForm(),
        "resume_form": forms.ResumeForm(),
        "extend_form": forms.ExtendForm(),
        "met_form": forms.MetForm(),
    }
    return render(request, "casework/deadline_detail.html", context)


DEADLINE_ACTIONS = {
    "suspend": (
        forms.SuspendForm,
        lambda d, u, data: deadlines.deadline_suspend(deadline=d, user=u, **data),
    ),
    "resume": (
        forms.ResumeForm,
        lambda d, u, data: deadlines.deadline_resume(deadline=d, user=u, **data),
    ),
    "extend": (
        forms.ExtendForm,
        lambda d, u, data: deadlines.deadline_extend(deadline=d, user=u, **data),
    ),
    "met": (
        forms.MetForm,
        lambda d, u, data: deadlines.deadline_mark_met(deadline=d, user=u, **data),
    ),
}


@require_POST
def deadline_action(request, reference, pk, action):
    case = _writable_case_or_404(request, reference)
    deadline = _deadline_or_404(case, pk)
    if action not in DEADLINE_ACTIONS:
        raise Http404
    form_class, run = DEADLINE_ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(deadline, request.user, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _form_errors_to_messages(request, exc)
        else:
            messages.success(request, _("Deadline updated."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect("casework:deadline_detail", case.reference, deadline.pk)


@require_GET
def document_download(request, reference, pk):
    case = _case_or_404(request, reference)
    document = documents.document_for_download(
        user=request.user, case=case, pk=pk, request=request
    )
    if document is None:
        raise Http404
    filename = f"{case.reference}-{document.template_key}-v{document.version}.pdf"
    response = HttpResponse(bytes(document.content), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-SHA256"] = document.sha256
    return response


@require_http_methods(["GET", "POST"])
def document_create(request, reference):
    """Pick a letter template, fill its inputs, and store the generated PDF."""
    case = _writable_case_or_404(request, reference)
    template_key = request.GET.get("template") or request.POST.get("template", "")
    if template_key not in pdf.TEMPLATES:
        return render(
            request,
            "casework/document_choose.html",
            {"case": case, "templates": pdf.TEMPLATES.values()},
        )
    form = LetterForm(
        request.POST or None,
        template_key=template_key,
        initial=initial_for(case, template_key),
    )
    if request.method == "POST" and form.is_valid():
        try:
            url = run_once(
                token=form.cleaned_data["form_token"],
                user=request.user,
                action=lambda: (
                    documents.document_generate(
                        case=case,
                        user=request.user,
                        template_key=template_key,
                        inputs=form.inputs(),
                    ).case
                ),
            )
        except pdf.LetterValidationError as exc:
            form.add_error(None, str(exc))
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Letter made and stored."))
            return redirect(url)
    context = {"case": case, "form": form, "template": form.template}
    return render(request, "casework/document_form.html", context)
