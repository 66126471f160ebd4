"""Views: fetch through `for_user`, bind the form, call one service, redirect.

Whatever a user may not see answers 404, never 403, so the answer does not
confirm that the case or signal exists.
"""

from contextvars import ContextVar
from functools import cache, lru_cache
from urllib.parse import urlencode

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.signals import post_init
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from permissions.decision import (
    CHANGE_TERM,
    MANAGE_TEAM,
    READ,
    TRIAGE,
    decide,
    distributes,
    log_refusal,
    require,
)
from permissions.models import SENSITIVE_CLASSES, AccessLog
from permissions.policy import TRIAGE_ROLES, WRITE, actor_for
from permissions.services import log_access, log_sensitive_read, user_can

from . import (
    assignment,
    deadlines,
    documents,
    flows,
    forms,
    listing,
    pdf,
    selectors,
    services,
    signal_import,
    steps,
)
from .idempotency import run_once
from .letter_forms import LetterForm, initial_for
from .models import Case, Deadline, Signal
from .registry import registry
from .steps import available_transitions, transition_choices


def log_denied(request, model, **lookup) -> None:
    """A refused request is logged as denied, whether or not the object
    exists, within the user's budget of denied rows per minute
    (`permissions.decision.log_refusal`): the same work and the same answer
    either way, and no flood of the log. A refused case carries its own id
    and reference, so the FG finds refused attempts when filtering by case."""
    obj = model.objects.filter(**lookup).only("pk", "reference", "data_class").first()
    log_refusal(
        user=request.user,
        object_type=model._meta.model_name,
        key=next(iter(lookup.values()), ""),
        obj=obj,
        case=obj if model is Case else None,
        request=request,
    )


def case_or_404(request, reference: str) -> Case:
    """The case the user may read, or 404 with the refusal logged: for the
    kernel's views and the case types' own pages."""
    try:
        return selectors.case_for_user(request.user, reference)
    except Http404:
        log_denied(request, Case, reference=reference)
        raise


def _signal_or_404(request, reference: str) -> Signal:
    try:
        return selectors.signal_for_user(request.user, reference)
    except Http404:
        log_denied(request, Signal, reference=reference)
        raise


# For the apps above the kernel (the partner API, the lookups, the case
# types' pages): a signal as the pages find it, a refusal logged as the pages
# log it (`log_denied`); a case: `case_or_404`.
signal_or_404 = _signal_or_404


# Reads of sensitive rows on lists and forms -------------------------------------

# The access log's column that names the objects of a page view.
OBJECTS_LENGTH = AccessLog._meta.get_field("object_id").max_length


def compact_references(references, limit: int = OBJECTS_LENGTH) -> str:
    """Case references as one short text: the year and type written once per
    run ("2026-PGA-0001,0002;2026-BIB-0007"). What does not fit in `limit`
    characters is counted at the end ("…;2026-PGA-0009+12": twelve more)."""
    tokens, previous = [], None
    for reference in references:
        prefix, sep, number = reference.rpartition("-")
        if sep and prefix == previous:
            tokens.append("," + number)
        else:
            tokens.append((";" if tokens else "") + reference)
        previous = prefix if sep else None
    text = "".join(tokens)
    if len(text) <= limit:
        return text
    for shown in range(len(tokens) - 1, -1, -1):
        text = "".join(tokens[:shown]) + f"+{len(tokens) - shown}"
        if len(text) <= limit:
            return text
    return f"+{len(tokens)}"[:limit]


def _class_rank(data_class: str) -> int:
    """D10 above D7 above … D3: the class a page's row is filed under."""
    number = data_class[1:]
    return int(number) if number.isdigit() else -1


def log_page_read(request, page: str, shown) -> None:
    """One access-log row for a page view that shows rows of a sensitive class
    (D3–D7, D10: a PGA file's title names a person), naming the cases shown
    (`compact_references`); a page with no such row writes nothing, so a
    D0 page's queries do not change. `shown`: (reference, data class) of each
    row, the class read with the row. The row carries the highest of the
    classes shown; the references tell the cases (docs/access.md)."""
    references, classes = [], set()
    for reference, data_class in shown:
        if data_class in SENSITIVE_CLASSES:
            classes.add(data_class)
            if reference not in references:
                references.append(reference)
    if not references:
        return
    log_access(
        user=request.user,
        action=AccessLog.Action.READ,
        object_type=page,
        object_id=compact_references(references),
        data_class=max(classes, key=_class_rank),
        request=request,
    )


def _task_class(task) -> str:
    """The data class of a task's case: as read with the task when the inbox
    gives it, else the class each case of its type gets (the reference names
    the type: YYYY-TYPE-NNNN)."""
    if task.get("data_class"):
        return task["data_class"]
    parts = task["reference"].split("-")
    entry = registry.case_types.get(parts[1]) if len(parts) == 3 else None
    return entry.default_data_class if entry is not None else ""


# The rows with a data class of their own that a letter's prefill loads
# (`_prefill_classes`); None outside a prefill.
_PREFILL_ROWS: ContextVar[list | None] = ContextVar("prefill_rows", default=None)


def _note_prefill_row(sender, instance, **kwargs) -> None:
    rows = _PREFILL_ROWS.get()
    if rows is not None:
        rows.append(instance.__dict__.get("data_class"))


@cache
def _watch_classed_rows() -> None:
    """Note, during a prefill, each instance of a model whose rows carry a
    data class (case, signal, document, a case type's findings, …)."""
    for model in apps.get_models():
        if model._meta.app_label == "permissions":
            continue  # team rows repeat the case's class; they are not content
        if any(f.name == "data_class" for f in model._meta.concrete_fields):
            post_init.connect(
                _note_prefill_row,
                sender=model,
                weak=False,
                dispatch_uid=f"casework.prefill.{model._meta.label}",
            )


def _prefill_classes(case, template_key: str) -> tuple[dict, list[str]]:
    """`initial_for(case, template_key)`, and the sensitive classes it read:
    the case's own (a PGA file D10, a Bibob dossier D5) and those of the rows
    the case type's prefill loaded (controle findings D3/D4/D6), highest
    first. Found from the rows themselves, so the kernel knows no case type's
    prefill and no rule is written twice."""
    _watch_classed_rows()
    rows: list = []
    token = _PREFILL_ROWS.set(rows)
    try:
        initial = initial_for(case, template_key)
    finally:
        _PREFILL_ROWS.reset(token)
    classes = {cls for cls in [case.data_class, *rows] if cls in SENSITIVE_CLASSES}
    return initial, sorted(classes, key=_class_rank, reverse=True)


def letter_initial(request, case, template_key: str) -> dict:
    """The letter form's prefill (`initial_for`). A form shown with it (GET)
    is a read of what the prefill took from the case: one access-log row per
    sensitive class read (`_prefill_classes`), naming the letter and the
    case. A posted form shows what was posted: no row."""
    initial, classes = _prefill_classes(case, template_key)
    if request.method == "GET":
        log_form_read(request, case, "letter_form", template_key, classes)
    return initial


def log_form_read(request, case, form: str, key: str, classes) -> None:
    """One access-log row per sensitive class a prefilled form shows."""
    for data_class in classes:
        if data_class in SENSITIVE_CLASSES:
            log_access(
                user=request.user,
                action=AccessLog.Action.READ,
                object_type=form,
                object_id=key[:OBJECTS_LENGTH],
                data_class=data_class,
                case=case,
                request=request,
            )


def _form_errors_to_messages(request, exc) -> None:
    for message in getattr(exc, "messages", [str(exc)]):
        messages.error(request, message)


@require_GET
def home(request):
    """Mijn werk: my newest cases, signals waiting for triage, my tasks."""
    actor = actor_for(request.user)
    newest = listing.page(request.user, {}, per_page=10)
    cases, total = newest.rows, newest.total
    can_triage = actor.role in TRIAGE_ROLES
    due = selectors.my_deadlines(request.user, limit=20)
    # The open steps of the user's role: mine, a colleague's, nobody's
    # (docs/assignment.md); `tasks` is all of them, as the inbox was.
    groups = assignment.work_groups(request.user)
    tasks = [task for rows, _count in groups.values() for task in rows]
    # Case titles (and a D10 case's deadlines) of a sensitive class: one row.
    log_page_read(
        request,
        "my_work",
        [
            *((row.reference, row.data_class) for row in cases),
            *((task["reference"], _task_class(task)) for task in tasks),
            *((d.case.reference, d.case.data_class) for d in due),
        ],
    )
    context = {
        "deadlines": due,
        "within": deadlines.reminder_working_days(),
        "today": timezone.localdate(),
        "cases": cases,
        "case_total": total,
        "tasks": tasks,
        "work_groups": groups,
        # Saved views with their counts, bounded as the list's (listing.py).
        "saved_views": listing.saved_view_counts(request.user),
        "can_distribute": distributes(request.user),
        "signals": selectors.my_triage_signals(request.user, limit=10)
        if can_triage
        else [],
        "can_triage": can_triage,
    }
    return render(request, "casework/home.html", context)


def filter_options(name: str, current) -> str:
    """The <option>s of the case list's filter `name` with `current` selected,
    as templates/casework/_filter_options.html renders them. The choices are
    fixed once the registry is filled (at start-up), so the HTML is cached per
    language and selected value; a value that is no choice selects nothing,
    like None, so the cache holds at most one entry per choice and language."""
    if current not in _choice_values(name):
        current = None
    return _filter_options_html(get_language(), name, current)


@cache
def _choice_values(name: str) -> frozenset:
    choices = forms.CaseFilterForm.base_fields[name].choices
    return frozenset(value for value, label in choices)


@lru_cache(maxsize=1024)
def _filter_options_html(language: str | None, name: str, current) -> str:
    options = [
        (value, label, value == current)
        for value, label in forms.CaseFilterForm.base_fields[name].choices
    ]
    html = render_to_string("casework/_filter_options.html", {"options": options})
    return mark_safe(html.rstrip("\n"))  # noqa: S308 - rendered with autoescape


@require_GET
def case_list(request):
    """The user's cases, filtered and sorted by `casework.listing`, a page at
    a time by cursor. `?view=` opens a saved view (the user's own or the
    team's, else 404): its filters, evaluated with this user's access."""
    saved = None
    query = request.GET
    if "view" in request.GET:
        number = forms.SavedViewDeleteForm({"view": request.GET["view"]})
        if number.is_valid():
            saved = listing.saved_view_for(request.user, number.cleaned_data["view"])
        if saved is None:
            raise Http404
        query = QueryDict(saved.query)
    form = forms.CaseFilterForm(query)
    form.is_valid()
    filters = form.cleaned_data
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.warning(
            request,
            _("Filter not applied: %(field)s. %(error)s")
            % {"field": label, "error": " ".join(errors)},
        )
    result = listing.page(
        request.user,
        filters,
        after=request.GET.get("after", "")[:60],
        before=request.GET.get("before", "")[:60],
    )
    if result.refused_cursor:
        messages.warning(request, listing.BAD_CURSOR)
    log_page_read(
        request, "case_list", ((c.reference, c.data_class) for c in result.rows)
    )
    normal = listing.normalise(query)
    base = f"view={saved.pk}" if saved else normal
    # The ~100 <option>s of the three fixed selects, rendered once per
    # language and selected value (`filter_options`), not per request: the
    # loop cost about 1 ms, the widget templates 2–4 ms (docs/performance.md).
    fixed = [
        (form[name], filter_options(name, form[name].value()))
        for name in ("case_type", "status", "team_role")
    ]
    context = {
        "form": form,
        "fields": fixed,
        "changing": [
            (form[name], options)
            for name, options in listing.options(request.user, query).items()
        ],
        "cases": result.rows,
        "total": result.total,
        "next_url": _page_url(base, "after", result.next),
        "previous_url": _page_url(base, "before", result.previous),
        "saved_view": saved,
        "save_form": forms.SavedViewForm(initial={"query": normal}),
        "filtered": bool(normal),
    }
    return render(request, "casework/case_list.html", context)


def _page_url(base: str, name: str, cursor: str) -> str:
    if not cursor:
        return ""
    return f"?{base}&{name}={cursor}" if base else f"?{name}={cursor}"


@require_http_methods(["GET", "POST"])
def saved_views(request):
    """The user's saved views and the team's. POST `action`: `create` (from
    the case list's filters, once per form token), `rename` or `delete` (the
    owner's own views only; any other id is 404)."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            return _saved_view_create(request)
        if action in ("rename", "delete"):
            return _saved_view_change(request, action)
        raise Http404
    context = {"views": listing.saved_views_for(request.user)}
    return render(request, "casework/saved_views.html", context)


def _list_url(query: str) -> str:
    """The case list with these filters (in normal form)."""
    return f"{reverse('casework:case_list')}?{listing.normalise(query)}"


def _saved_view_create(request):
    form = forms.SavedViewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_list_url(request.POST.get("query", "")[:1000]))
    data = form.cleaned_data
    try:
        url = run_once(
            token=data["form_token"],
            user=request.user,
            action=lambda: listing.saved_view_create(
                user=request.user,
                name=data["name"],
                query=data["query"],
                shared=data["shared"],
            ),
        )
    except ValidationError as exc:
        _form_errors_to_messages(request, exc)
        return redirect(_list_url(data["query"]))
    messages.success(request, _("View saved."))
    return redirect(url)


def _saved_view_change(request, action: str):
    form_class = (
        forms.SavedViewRenameForm if action == "rename" else forms.SavedViewDeleteForm
    )
    form = form_class(request.POST)
    valid = form.is_valid()
    pk = form.cleaned_data.get("view")
    view = listing.own_saved_view(request.user, pk) if pk else None
    if view is None:
        raise Http404
    if not valid:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("casework:saved_views")
    try:
        if action == "rename":
            listing.saved_view_rename(view, form.cleaned_data["name"])
            messages.success(request, _("View renamed."))
        else:
            view.delete()
            messages.success(request, _("View deleted."))
    except ValidationError as exc:
        _form_errors_to_messages(request, exc)
    return redirect("casework:saved_views")


@require_GET
def case_detail(request, reference):
    """The case page. The case query also says which sections have rows
    (`selectors.case_for_page`); an empty section is not queried, and the
    write checks of the page come from the user's team row read with the case
    (docs/performance.md)."""
    try:
        case = selectors.case_for_page(request.user, reference)
    except Http404:
        log_denied(request, Case, reference=reference)
        raise
    log_sensitive_read(
        user=request.user,
        obj=case,
        data_class=case.data_class,
        case=case,
        request=request,
    )
    has = case.sections
    if not decide(request.user, READ, case):
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
    available, blocked = transition_choices(case, request.user)
    current = flows.current_task(case) if has["has_process"] else None
    context = {
        "can_manage_team": decide(request.user, MANAGE_TEAM, "team", case=case),
        "can_change_term": decide(request.user, CHANGE_TERM, "deadline", case=case),
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
            for name, label in available
        ],
        # Steps the user's role takes that the law still refuses, with the
        # rule and the date (casework.rules): "not before 3 February".
        "blocked": blocked,
        "current_task": current,
        **assignment.case_page_context(request.user, case, current),
        "can_write": can_write,
        "transition_form": forms.TransitionForm(),
        "case_links": registry.links_for(case),
        **_team_page(case),
    }
    # The case type's panels (and the shared legal-protection panel), each
    # with the context it asks for (casework.registry.Panel).
    panels = registry.panels_for(case)
    for panel in panels:
        context.update(panel.context(case, request.user))
    context["panels"] = [panel.template for panel in panels]
    return render(request, "casework/case_detail.html", context)


def _team_page(case) -> dict:
    """Where the case team is chosen, and the link's text: the kernel's team
    form, or the page the case type registered (a PGA case's participants,
    in its case file)."""
    entry = registry.case_types.get(case.case_type)
    if entry is None or not entry.team_url_name:
        url = reverse("casework:case_add_team", args=[case.reference])
        return {"team_url": url, "team_url_label": ""}
    url = reverse(entry.team_url_name, args=[case.reference])
    if entry.team_url_fragment:
        url = f"{url}#{entry.team_url_fragment}"
    return {"team_url": url, "team_url_label": entry.team_url_label}


@require_GET
def case_process(request, reference):
    """The flow's picture with the current phase marked (viewflow's chart)."""
    case = case_or_404(request, reference)
    require(request.user, READ, "process", case=case)
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
    case = case_or_404(request, reference)
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
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(case)


def _letter_after(request, case, name, data=None):
    """After a step that calls for a letter, open that letter's form, for a
    user who makes letters on this case (the burgemeester signs; the jurist
    makes the letter)."""
    # The case as the step left it: whether its letter is offered turns on
    # the new status (a letter is offered once its step exists).
    case = Case.objects.get(pk=case.pk)
    step = steps.step_for(case, name)
    letter = step.letter_for(data or {}) if step else ""
    if not letter or letter not in pdf.TEMPLATES:
        return None
    if not documents.may_make(request.user, case, letter):
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
    case = case_or_404(request, reference)
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
    return case_form(request, case, form, available[name])


def case_form(request, case, form, heading):
    """One page for every small form on a case (party, location, team, ...;
    also the case types' own small forms)."""
    context = {"case": case, "form": form, "heading": heading}
    return render(request, "casework/case_form.html", context)


def _case_subform(request, reference, form_class, heading, save):
    """GET shows the form, POST validates it and runs `save` once per token."""
    case = case_or_404(request, reference)
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
    return case_form(request, case, form, heading)


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
    case = case_or_404(request, reference)
    if not decide(request.user, MANAGE_TEAM, "team", case=case):
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
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            form.add_error("member", exc)
        else:
            messages.success(request, _("Team member added."))
            return redirect(case)
    return case_form(request, case, form, _("Add a team member"))


@require_http_methods(["GET", "POST"])
def case_add_link(request, reference):
    case = case_or_404(request, reference)
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
    return case_form(request, case, form, _("Link a case"))


# Signals ---------------------------------------------------------------------


@require_GET
def signal_list(request):
    """The signals the user may see, newest received first, a page at a time
    by cursor (`listing.signal_page`), filtered by status."""
    status = request.GET.get("status", "")
    if status not in Signal.Status.values:
        status = ""
    result = listing.signal_page(
        request.user,
        status=status,
        after=request.GET.get("after", "")[:60],
        before=request.GET.get("before", "")[:60],
    )
    if result.refused_cursor:
        messages.warning(request, listing.BAD_CURSOR)
    base = urlencode({"status": status}) if status else ""
    context = {
        "signals": result.rows,
        "next_url": _page_url(base, "after", result.next),
        "previous_url": _page_url(base, "before", result.previous),
        "first_url": f"?{base}",
        "status": status,
        "statuses": Signal.Status.choices,
        # The import link: the decision point's `supplies_signals`.
        "may_import": signal_import.may_import(request.user),
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


def _triage_signal_or_404(request, reference: str) -> Signal:
    """The signal, for a user the decision point lets triage it (`TRIAGE`:
    the roles that open cases, on a signal they read). Anyone else gets 404
    and a denied row, whether or not it reads the signal, and nothing
    changes."""
    signal = _signal_or_404(request, reference)
    organisation_id = actor_for(request.user).organisation_id
    shared = any(o.pk == organisation_id for o in signal.shared_with.all())
    if not decide(
        request.user, TRIAGE, "signal", data_class=signal.data_class,
        organisation_id=signal.source_organisation_id, shared=shared,
    ):  # fmt: skip
        log_refusal(
            user=request.user, action=AccessLog.Action.UPDATE,
            object_type="signal", key=reference, obj=signal, request=request,
        )  # fmt: skip
        raise Http404
    return signal


@require_POST
def signal_start_triage(request, reference):
    signal = _triage_signal_or_404(request, reference)
    try:
        services.signal_start_triage(signal=signal, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _form_errors_to_messages(request, exc)
    return redirect(signal)


@require_POST
def signal_convert(request, reference):
    signal = _triage_signal_or_404(request, reference)
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
    signal = _triage_signal_or_404(request, reference)
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
    """Cases and signals the user may see (`casework.search`). A search by
    BSN needs a purpose and is one access-log row with it, naming what was
    shown and never the BSN; any other search that shows sensitive rows
    writes the page's row (`log_page_read`)."""
    from permissions.models import DataClass

    from .search import search as find

    form = forms.SearchForm(request.GET or None)
    result = None
    if form.is_valid() and form.cleaned_data["query"] is not None:
        result = find(request.user, form.cleaned_data["q"])
        shown = [(hit.reference, hit.data_class) for hit in result.hits]
        if result.query.is_bsn:
            log_access(
                user=request.user,
                action=AccessLog.Action.READ,
                object_type="search_bsn",
                object_id=compact_references(ref for ref, _cls in shown) or "-",
                data_class=max(
                    [DataClass.D1, *(cls for _ref, cls in shown)], key=_class_rank
                ),
                purpose_code=form.cleaned_data["purpose"],
                request=request,
            )
        else:
            log_page_read(request, "search", shown)
    return render(
        request,
        "casework/search.html",
        {
            "form": form,
            "result": result,
            "results": result.hits if result else [],
            "searched": form.is_bound,
            "too_short": form.is_valid()
            and form.cleaned_data["q"].strip()
            and form.cleaned_data["query"] is None,
        },
    )


# Deadlines and documents --------------------------------------------------------


def _writable_case_or_404(request, reference: str) -> Case:
    case = case_or_404(request, reference)
    if not user_can(request.user, WRITE, case):
        raise Http404
    return case


def _term_case_or_404(request, reference: str) -> Case:
    """The case, for a user who may change its legal deadlines (CHANGE_TERM)."""
    case = case_or_404(request, reference)
    if not decide(request.user, CHANGE_TERM, "deadline", case=case):
        raise Http404
    return case


def _deadline_or_404(request, case, pk) -> Deadline:
    """The deadline, for a reader the decision point lets read the case's
    deadlines (not the outcome-only roles): 404 otherwise, after the same
    query whether or not the deadline exists."""
    deadline = Deadline.objects.filter(case=case, pk=pk).first()
    if deadline is None or not decide(request.user, READ, "deadline", case=case):
        raise Http404
    return deadline


@require_http_methods(["GET", "POST"])
def deadline_create(request, reference):
    case = _term_case_or_404(request, reference)
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
    return case_form(request, case, form, _("Set a deadline"))


@require_GET
def deadline_detail(request, reference, pk):
    case = case_or_404(request, reference)
    deadline = _deadline_or_404(request, case, pk)
    log_sensitive_read(
        user=request.user, obj=case, data_class=case.data_class, case=case,
        request=request,
    )  # fmt: skip
    context = {
        "case": case,
        "deadline": deadline,
        "adjustments": deadline.adjustments.select_related("created_by"),
        "can_write": decide(request.user, CHANGE_TERM, "deadline", case=case),
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
    case = _term_case_or_404(request, reference)
    deadline = _deadline_or_404(request, case, pk)
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
    case = case_or_404(request, reference)
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
    offered = documents.letters_offered(request.user, case)
    template_key = request.GET.get("template") or request.POST.get("template", "")
    if not template_key:
        # The page names the case (a PGA title names a person).
        log_form_read(request, case, "letter_choice", case.reference, [case.data_class])
        return render(
            request,
            "casework/document_choose.html",
            {"case": case, "templates": offered},
        )
    if template_key not in {template.key for template in offered}:
        # Another type's letter, or one this role may not make: refused,
        # whether or not the key exists (a crafted POST changes nothing).
        raise Http404
    form = LetterForm(
        request.POST or None,
        template_key=template_key,
        initial=letter_initial(request, case, template_key),
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
