"""The coordinator's selection board (issue 6 item 1): addresses ranked by
their signals, selected for a visit or dismissed with a reason."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
)

from casework import idempotency
from casework.expressions import Const
from casework.forms import TEXT_LENGTH, DateTimeField, TokenForm
from casework.listing import BAD_CURSOR, SORTS, from_cursor, keyset
from casework.models import Case, ListEntry, Location, Signal
from casework.selectors import reference_url, rule_key, short_date
from casework.views import log_page_read
from permissions.models import Organisation
from permissions.policy import actor_for
from permissions.selectors import (
    team_row_lookups,
    team_row_probe,
)
from permissions.services import log_sensitive_read
from workflows.controle.machine import CODE, COORD, ControleCase
from workflows.controle.models import (
    BOARD_WINDOW_DAYS,
    BRIEFING_STATES,
    PartnerSlot,
    Referral,
    Visit,
    board_areas,
    board_candidates,
    board_dismiss,
    board_select,
    briefing_read,
    briefing_save,
    finding_record,
    findings_for,
    follow_up_open,
    may_record_finding,
    may_use_board,
    referral_record,
    slot_add,
    slot_confirm,
    slot_edit,
    slot_remove,
    visit_happened,
    visit_plan,
)


class BoardFilterForm(forms.Form):
    area = forms.CharField(label=gettext_lazy("Area"), required=False, max_length=100)
    source = forms.ChoiceField(
        label=gettext_lazy("Source"),
        required=False,
        choices=[("", gettext_lazy("All sources")), *Signal.Source.choices],
    )


def _board_user(request):
    if not may_use_board(request.user):
        raise Http404


def _location(request, pk) -> Location:
    """Only an address the user has a visible signal about."""
    visible = Signal.objects.for_user(request.user)
    return get_object_or_404(
        Location.objects.filter(signals__in=visible).distinct(), pk=pk
    )


@require_GET
def board(request):
    _board_user(request)
    form = BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    candidates = board_candidates(
        request.user, area=filters.get("area", ""), source=filters.get("source", "")
    )
    areas = board_areas(request.user)
    context = {
        "candidates": candidates,
        "rows": board_rows(candidates),
        "form": form,
        "area": form["area"].value() or "",
        "areas": areas,
        "window_days": BOARD_WINDOW_DAYS,
        # The two forms of every row print the same hidden CSRF input: made
        # once (what {% csrf_token %} writes), not by the tag 100 times.
        "csrf_input": csrf_input(request),
        "reason_max_length": str(DismissForm.base_fields["reason"].max_length),
    }
    return render(request, "controle/board.html", context)


class BoardRow(dict):
    """One address of the board as the template prints it: text formatted
    but not escaped (the template escapes it), the two actions' URLs and the
    row's form token. A dict: the template's lookup `row.x` finds `row["x"]`
    at once (the pattern of casework.selectors.CaseRow, docs/performance.md
    "Rows first, then templates").

    place: the address (its str) and its wijk, "Markt 12, 5911 AB Venlo · Q4"
    pk, signals, open_cases: the address's id and the counts, as text
        (USE_THOUSAND_SEPARATOR is off, so what the template printed for the
        numbers; a number in a template goes through localize per cell)
    latest: the most recent signal's date as `date:"SHORT_DATE_FORMAT"`
    sources: the sources' labels, sorted, joined with ", "
    form_token: "Select for a visit"'s token (casework.idempotency)
    select_url, dismiss_url: the two forms' actions
    """

    __slots__ = ()


def board_rows(candidates) -> list[BoardRow]:
    """The board's rows (`board_candidates`) with everything the template
    prints prepared once per page: the two URLs reversed once and filled per
    row (50 rows made 100 reverses), each date formatted once per language
    (`casework.selectors.short_date`)."""
    select_url = _row_url("casework:controle_select")
    dismiss_url = _row_url("casework:controle_dismiss")
    language = get_language()
    rows = []
    for location in candidates:
        rows.append(
            BoardRow(
                pk=str(location.pk),
                place=f"{location} · {location.area}"
                if location.area
                else str(location),
                signals=str(location.signal_count),
                latest=short_date(language, location.latest),
                sources=", ".join(location.sources),
                open_cases=str(location.open_cases),
                # A token per address: a double click on "Select for a
                # visit" opens one inspection (casework.idempotency).
                form_token=idempotency.new_token(),
                select_url=select_url(location.pk),
                dismiss_url=dismiss_url(location.pk),
            )
        )
    return rows


def _row_url(name: str):
    """`pk -> reverse(name, args=[pk])`, reversed once."""
    marker = 987654321
    head, _marker, tail = reverse(name, args=[marker]).partition(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


class DismissForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


def _refused(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@require_POST
def board_select_view(request, pk):
    _board_user(request)
    location = _location(request, pk)
    form = TokenForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return redirect("casework:controle_board")
    try:
        url = idempotency.run_once(
            token=form.cleaned_data["form_token"],
            user=request.user,
            action=lambda: board_select(user=request.user, location=location),
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
        return redirect("casework:controle_board")
    messages.success(request, _("Address selected; the integrated inspection is open."))
    return redirect(url)


@require_POST
def board_dismiss_view(request, pk):
    _board_user(request)
    location = _location(request, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return redirect("casework:controle_board")
    try:
        board_dismiss(
            user=request.user, location=location, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Address not selected; the reason is recorded."))
    return redirect("casework:controle_board")


# --- Planning page ----------------------------------------------------------------


class VisitForm(forms.Form):
    planned_at = DateTimeField(
        label=gettext_lazy("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    lead = forms.ChoiceField(label=gettext_lazy("Lead"))


class SlotForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Partner"), choices=PartnerSlot.Kind.choices
    )
    organisation = forms.ChoiceField(label=gettext_lazy("Organisation"), required=False)
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis for taking part"),
        max_length=200,
        help_text=gettext_lazy(
            "Each partner names its own powers, e.g. Awb 5:15 / AWR 49."
        ),
    )


def _planning_case(request, reference):
    from casework.views import case_or_404

    case = case_or_404(request, reference)
    if case.case_type != CODE:
        raise Http404
    return case


def _slot_forms(request, visits, organisation_choices):
    """One edit form per slot of a visit that has not taken place yet, bound
    to the POST when that slot is being edited."""
    editing = request.POST.get("edit") if request.method == "POST" else None
    forms_by_slot = {}
    for visit in visits:
        if visit_happened(visit):
            continue
        for slot in visit.slots.all():
            prefix = f"slot{slot.pk}"
            bound = editing == str(slot.pk)
            form = SlotForm(
                request.POST if bound else None,
                prefix=prefix,
                initial={
                    "kind": slot.kind,
                    "organisation": slot.organisation_id or "",
                    "legal_basis": slot.legal_basis,
                },
            )
            form.fields["organisation"].choices = organisation_choices
            forms_by_slot[slot.pk] = form
    return forms_by_slot


@require_http_methods(["GET", "POST"])
def planning(request, reference):
    """The visits of an inspection with their partner slots. Only the team sees
    the date (docs/domain.md §4.3: not shared outside the participants)."""
    case = _planning_case(request, reference)
    may_plan = COORD(case, request.user)
    team = list(case.access.select_related("user", "organisation"))
    visit_form = VisitForm(request.POST if "plan" in request.POST else None)
    visit_form.fields["lead"].choices = [
        (a.user_id, a.user.get_full_name() or a.user.username)
        for a in team
        if a.organisation.kind == "gemeente"
    ]
    organisation_choices = [("", "—")] + sorted(
        {(a.organisation_id, a.organisation.name) for a in team}, key=lambda c: c[1]
    )
    slot_form = SlotForm(request.POST if "slot" in request.POST else None)
    slot_form.fields["organisation"].choices = organisation_choices
    visits = list(
        case.visits.select_related("lead", "case").prefetch_related(
            "slots__organisation"
        )
    )
    edit_forms = _slot_forms(request, visits, organisation_choices) if may_plan else {}
    changing = "slot" in request.POST or "edit" in request.POST
    if request.method == "POST":
        if not may_plan and ("plan" in request.POST or changing or "remove" in
                             request.POST):  # fmt: skip
            raise Http404
        target = visit_form if "plan" in request.POST else slot_form
        try:
            if "plan" in request.POST and visit_form.is_valid():
                lead = next(
                    a.user
                    for a in team
                    if str(a.user_id) == visit_form.cleaned_data["lead"]
                )
                visit_plan(
                    case=case,
                    user=request.user,
                    planned_at=visit_form.cleaned_data["planned_at"],
                    lead=lead,
                )
                messages.success(request, _("Visit planned."))
                return redirect("casework:controle_planning", reference=reference)
            if "slot" in request.POST and slot_form.is_valid():
                visit = get_object_or_404(case.visits, pk=request.POST.get("visit"))
                slot_add(
                    visit=visit,
                    user=request.user,
                    kind=slot_form.cleaned_data["kind"],
                    legal_basis=slot_form.cleaned_data["legal_basis"],
                    organisation=_organisation(slot_form),
                )
                messages.success(request, _("Partner added to the visit."))
                return redirect("casework:controle_planning", reference=reference)
            if "edit" in request.POST:
                slot = get_object_or_404(
                    PartnerSlot, pk=request.POST.get("edit"), visit__case=case
                )
                target = form = edit_forms.get(slot.pk)
                if form is None:
                    # The visit took place: the service names the rule.
                    slot_edit(slot=slot, user=request.user, kind=slot.kind,
                              legal_basis=slot.legal_basis,
                              organisation=slot.organisation)  # fmt: skip
                elif form.is_valid():
                    slot_edit(
                        slot=slot,
                        user=request.user,
                        kind=form.cleaned_data["kind"],
                        legal_basis=form.cleaned_data["legal_basis"],
                        organisation=_organisation(form),
                    )
                    messages.success(request, _("Partner changed."))
                    return redirect("casework:controle_planning", reference=reference)
            if "remove" in request.POST:
                slot = get_object_or_404(
                    PartnerSlot, pk=request.POST.get("remove"), visit__case=case
                )
                target = edit_forms.get(slot.pk)
                slot_remove(slot=slot, user=request.user)
                messages.success(request, _("Partner removed from the visit."))
                return redirect("casework:controle_planning", reference=reference)
            if "confirm" in request.POST:
                target = None
                slot = get_object_or_404(
                    PartnerSlot, pk=request.POST.get("confirm"), visit__case=case
                )
                slot_confirm(slot=slot, user=request.user)
                messages.success(request, _("Participation confirmed."))
                return redirect("casework:controle_planning", reference=reference)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            for message in exc.messages:
                if target is None:
                    messages.error(request, message)
                else:
                    target.add_error(None, message)
    for visit in visits:
        visit.open = not visit_happened(visit)
        visit.slot_rows = [
            (slot, edit_forms.get(slot.pk)) for slot in visit.slots.all()
        ]
    context = {
        "case": case,
        "visits": visits,
        "may_plan": may_plan,
        "visit_form": visit_form,
        "slot_form": slot_form,
        "my_organisation": actor_for(request.user).organisation_id,
    }
    return render(request, "controle/planning.html", context)


def _organisation(form):
    organisation = form.cleaned_data["organisation"]
    return (
        Organisation.objects.filter(pk=organisation).first() if organisation else None
    )


# --- Findings and follow-up -----------------------------------------------------


class FindingForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Finding"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LENGTH,
    )
    shareable = forms.BooleanField(
        label=gettext_lazy("May go into the consolidated visit report"), required=False
    )
    fiscal = forms.BooleanField(
        label=gettext_lazy("Based on fiscal data (never to private parties)"),
        required=False,
    )


class FollowUpForm(forms.Form):
    case_type = forms.ChoiceField(
        label=gettext_lazy("Track"),
        choices=[
            (
                "LOD",
                gettext_lazy("Administrative: last onder dwangsom / sluiting"),
            ),
            ("BIB", gettext_lazy("Administrative: Bibob (intrekking)")),
        ],
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    handler = forms.ChoiceField(
        label=gettext_lazy("Handler"),
        required=False,
        help_text=gettext_lazy(
            "Who takes the follow-up case (a jurist; for Bibob the Bibob "
            "coordinator). Empty: the one on this inspection's team."
        ),
    )
    partners = forms.MultipleChoiceField(
        label=gettext_lazy("Partners who carry on in the follow-up case"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Partners join only when chosen: the follow-up is a new purpose, and "
            "fiscal data stays need-to-know."
        ),
    )

    def __init__(self, *args, case, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        handlers = get_user_model().objects.filter(
            membership__organisation_id=case.responsible_organisation_id,
            membership__role__in=["jurist", "bibob"],
            is_active=True,
        )
        self.fields["handler"].choices = [("", "—")] + [
            (u.pk, u.get_full_name() or u.username)
            for u in handlers.order_by("username")
        ]
        self.fields["partners"].choices = [
            (a.user_id, f"{a.user.get_full_name() or a.user.username} "
                        f"({a.organisation.name})")
            for a in case.access.exclude(
                organisation_id=case.responsible_organisation_id
            ).select_related("user", "organisation")
        ]  # fmt: skip

    def service_arguments(self) -> dict:
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        data = self.cleaned_data
        return {
            "case_type": data["case_type"],
            "title": data["title"],
            "handler": users.get(pk=data["handler"]) if data["handler"] else None,
            "partners": list(users.filter(pk__in=data["partners"])),
        }


@require_http_methods(["GET", "POST"])
def findings(request, reference):
    """Each partner's findings in its own compartment; the coordinator sees
    them all and starts the follow-up cases."""
    case = _planning_case(request, reference)
    may_coordinate = COORD(case, request.user)
    if request.method == "POST":
        # Who may is asked before the form and the state: a refused user gets
        # 404 and nothing changes (the decision point, issue 13).
        if "finding" in request.POST and not may_record_finding(request.user, case):
            raise Http404
        coordinating = "follow_up" in request.POST or "referral" in request.POST
        if coordinating and not may_coordinate:
            raise Http404
    form = FindingForm(request.POST if "finding" in request.POST else None)
    follow_form = FollowUpForm(
        request.POST if "follow_up" in request.POST else None, case=case
    )
    referral_form = ReferralForm(request.POST if "referral" in request.POST else None)
    if request.method == "POST":
        try:
            if "finding" in request.POST and form.is_valid():
                finding_record(case=case, user=request.user, **form.cleaned_data)
                messages.success(request, _("Finding recorded."))
                return redirect("casework:controle_findings", reference=reference)
            if "referral" in request.POST and referral_form.is_valid():
                referral_record(
                    case=case, user=request.user, **referral_form.cleaned_data
                )
                messages.success(request, _("Referral recorded."))
                return redirect("casework:controle_findings", reference=reference)
            if "follow_up" in request.POST and follow_form.is_valid():
                child = follow_up_open(
                    case=case, user=request.user, **follow_form.service_arguments()
                )
                messages.success(request, _("Follow-up case opened."))
                return redirect(child)
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            target = (
                form
                if "finding" in request.POST
                else referral_form
                if "referral" in request.POST
                else follow_form
            )
            for message in exc.messages:
                target.add_error(None, message)
    rows = list(findings_for(request.user, case))
    for row in rows:
        log_sensitive_read(
            user=request.user, obj=row, data_class=row.data_class, case=case,
            request=request,
        )  # fmt: skip
    context = {
        "case": case,
        "findings": rows,
        "form": form,
        "follow_form": follow_form,
        "referral_form": referral_form,
        "referrals": case.referrals.select_related("recipient"),
        "may_follow_up": case.status == "C60" and may_coordinate,
        # Only the follow-up cases the reader may open (no titles of cases
        # that answer it 404).
        "children": Case.objects.for_user(request.user).filter(parent=case),
    }
    return render(request, "controle/findings.html", context)


# --- Week calendar and dashboard ------------------------------------------------

# The weeks the calendar shows: a far year is a typing error, and the weeks
# before and after year 1 or 9999 are outside the calendar.
WEEK_YEARS = (1900, 2200)


def _monday(value: str):
    """The Monday of an ISO week "2026-W05", or None for anything else."""
    import re
    from datetime import date

    match = re.fullmatch(r"([0-9]{4})-W([0-9]{1,2})", value)
    if match is None or not WEEK_YEARS[0] <= int(match[1]) <= WEEK_YEARS[1]:
        return None
    try:
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:  # week 0, or week 53 of a year with 52
        return None


def _day(value: str):
    """The date of "2026-12-07" within WEEK_YEARS, or None for anything else."""
    from datetime import date

    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None
    if day is None or not WEEK_YEARS[0] <= day.year <= WEEK_YEARS[1]:
        return None
    return day


# A day of the week shows this many visits, the earliest; the rest are
# counted and the day's own page (?day=) shows them all.
DAY_VISITS = 10


@require_GET
def dashboard(request):
    """The coordinator's week: visits per day of the chosen ISO week, open
    follow-up cases, and per quarter the visits carried out and aborted.
    Only the user's teams, under the decision point's rule for reading a
    case; the quarters are the QUARTERS the page shows, up to the current
    one, read from the user's inspections with an outcome in them
    (`dashboard_outcomes`; docs/performance.md, "Workflow pages at scale"). The rows
    are read as plain values and printed as prepared (`week_visits`,
    `dashboard_follow_ups`).

    A day of the week shows its first DAY_VISITS visits and says how many
    more it has; `?day=2026-12-07` shows that one day with all its visits."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    _board_user(request)
    today = timezone.localdate()
    day = _day(request.GET.get("day", ""))
    if day is not None:
        monday = day - timedelta(days=day.weekday())
    else:
        monday = _monday(request.GET.get("week", "")) or today - timedelta(
            days=today.weekday()
        )
    first = day or monday
    start = timezone.make_aware(datetime.combine(first, time.min))
    shown = 1 if day else 7
    days = [
        {"day": first + timedelta(days=n), "visits": [], "url": ""}
        for n in range(shown)
    ]
    visits, beyond = week_visits(
        request.user, start, days=shown, per_day=None if day else DAY_VISITS
    )
    for visit in visits:
        days[visit.pop("weekday") - first.weekday()]["visits"].append(visit)
    for entry in days:
        entry["more"] = beyond.get(entry["day"], 0)
        if entry["more"]:
            entry["url"] = f"?day={entry['day'].isoformat()}"
    follow_ups, more_follow_ups = dashboard_follow_ups(request.user)
    # One access-log row for the visits' inspections and the follow-ups of a
    # sensitive class the page shows (an inspection is D0 unless its team
    # moved it; a follow-up may be of any case type), as the case list.
    log_page_read(
        request,
        "controle_dashboard",
        ((row["reference"], row["data_class"]) for row in [*visits, *follow_ups]),
    )
    outcomes = dashboard_outcomes(request.user, today)
    quarters: dict = {}
    for row in outcomes:
        key = (row["year"], row["quarter"])
        quarters.setdefault(key, {"done": 0, "aborted": 0})
        quarters[key]["done" if row["to_status"] == "C50" else "aborted"] = row["n"]
    previous, following = monday - timedelta(days=7), monday + timedelta(days=7)
    context = {
        "days": days,
        "day": day,
        "monday": monday,
        "week": monday.isocalendar(),
        "this_week": f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}",
        "previous": f"{previous.isocalendar()[0]}-W{previous.isocalendar()[1]:02d}",
        "following": f"{following.isocalendar()[0]}-W{following.isocalendar()[1]:02d}",
        "follow_ups": follow_ups,
        "more_follow_ups": more_follow_ups,
        "quarters": sorted(quarters.items(), reverse=True)[:QUARTERS],
    }
    return render(request, "controle/dashboard.html", context)


class DashboardRow(dict):
    """A row of the dashboard as the template prints it: text formatted but
    not escaped (the template escapes it), URLs built from one reverse() per
    page. A dict, so that the template's `row.x` finds `row["x"]` at once
    (casework.selectors.CaseRow; docs/performance.md "Rows first, then
    templates"). The keys are named where the rows are made."""

    __slots__ = ()


def week_visits(
    user, start, *, days: int = 7, per_day: int | None = DAY_VISITS
) -> tuple[list[DashboardRow], dict]:
    """The visits of the user's inspections planned in the `days` days from
    `start`, in order, each a DashboardRow: weekday (0 is Monday), time
    ("H:i" in the current time zone), reference, title, planning_url, lead
    (the full name, else the username), slots (each partner's label, " ✓"
    when confirmed, joined with ", ") and the inspection's data_class (for
    the access log, not printed); and per local date how many of its
    visits are not among the rows. With `per_day`, only the first `per_day`
    visits of each day (in the current time zone) are rows, and only their
    slots are read: a week of a few hundred visits is 70 rows.

    The days' visits (index `visit_planned_at`), each kept when the user's
    team row of its inspection passes the decision point (`team_row_probe`:
    a few hundred visits a week against up to thousands of inspections a
    user is on; 3.5 → 0.3 ms at 1M for one on 7,079). The visits beyond a
    day's first are counted here, not by the database: numbering them per
    day there (a window over the week) cost more than it saved for the
    weeks measured, 1.05 → 1.57 ms at 1M for a week of 5."""
    from datetime import timedelta

    from django.utils import timezone

    probe = team_row_probe(user, "case_id", case_type=CODE)
    if probe is None:
        return [], {}
    tz = timezone.get_current_timezone()
    found = (
        Visit.objects.filter(
            probe,
            planned_at__gte=start,
            planned_at__lt=start + timedelta(days=days),
        )
        .order_by("planned_at", "pk")
        .values_list(
            "pk", "planned_at", "case__reference", "case__title",
            "lead__first_name", "lead__last_name", "lead__username",
            "case__data_class",
        )
    )  # fmt: skip
    visits, of_day = [], {}
    for visit in found:
        local = visit[1].astimezone(tz)
        day = local.date()
        of_day[day] = of_day.get(day, 0) + 1
        if per_day is None or of_day[day] <= per_day:
            visits.append((local, *visit))
    slots: dict[int, list[str]] = {visit[1]: [] for visit in visits}
    if visits:
        labels = dict(PartnerSlot.Kind.choices)
        for visit_id, kind, confirmed in (
            PartnerSlot.objects.filter(visit_id__in=slots)
            .order_by("pk")
            .values_list("visit_id", "kind", "confirmed")
        ):
            label = str(labels.get(kind, kind))
            slots[visit_id].append(f"{label} ✓" if confirmed else label)
    planning_url = reference_url("casework:controle_planning")
    rows = []
    for local, pk, _at, reference, title, first, last, username, data_class in visits:
        rows.append(
            DashboardRow(
                weekday=local.weekday(),
                time=f"{local:%H:%M}",
                reference=reference,
                title=title,
                planning_url=planning_url(reference),
                lead=f"{first} {last}".strip() or username,
                slots=", ".join(slots[pk]),
                data_class=data_class,
            )
        )
    beyond = {
        day: count - per_day
        for day, count in of_day.items()
        if per_day is not None and count > per_day
    }
    return rows, beyond


QUARTERS = 8  # on the dashboard, the current quarter and the seven before it
# The outcomes the dashboard counts: aborted (C45) and carried out (C50), the
# case type's OUTCOMES. The partial indexes `controle_outcome_events` and
# `controle_outcome_cases` (migrations 0004, 0008) are over exactly these, in
# this order: a query with another list would not use them.
OUTCOME_STATUSES = tuple(sorted(str(status) for status in ControleCase.OUTCOMES))


# The dashboard shows the newest FOLLOW_UPS_SHOWN open follow-up cases and
# links to their own page when there are more; that page shows them all,
# FOLLOW_UPS_PAGE at a time by cursor, newest opened first.
FOLLOW_UPS_SHOWN = 10
FOLLOW_UPS_PAGE = 50
FOLLOW_UP_ORDER = SORTS["opened"]


def follow_up_entries(user):
    """The user's entries of the open follow-up cases of the user's
    inspections that the user may see, unordered: the user's own open child
    entries of the case list (`casework.ListEntry`, index `list_children`,
    under the decision point's rule for reading a case, `team_row_lookups`),
    each kept when the user's team row of its parent is an inspection that
    passes the decision point (`team_row_probe`). Read in order, a range of
    the user's entries, whatever the number of open child cases in the
    system (until casework migration 0018 they were all merged with the
    user's inspections: 6.5–11.6 ms at 1M), and a probe per entry rather
    than a read of all the user's inspections (4.2 → 0.8 ms at 1M for a user
    on 7,079 inspections and 388 open child cases)."""
    rule = team_row_lookups(user)
    if rule is None:
        return ListEntry.objects.none()
    return ListEntry.objects.filter(
        team_row_probe(user, "parent_id", case_type=CODE),
        **rule,
        parent_id__isnull=False,
        closed=False,
    )


def follow_up_ids(user, limit: int = FOLLOW_UPS_SHOWN + 1):
    """The ids of the newest `limit` open follow-up cases of the user's
    inspections (`follow_up_entries`), newest first: a queryset."""
    return from_cursor(
        follow_up_entries(user), "opened_at", "case_id", None, descending=True
    ).values_list("case_id", flat=True)[:limit]


def follow_up_keys(user, cursor, *, forward: bool, limit: int) -> list[tuple]:
    """(opened_at, case_id) of up to `limit` of the user's open follow-up
    cases (`follow_up_entries`) from `cursor` on: newest first when
    `forward`, else backwards (`casework.listing.keyset`)."""
    entries = from_cursor(
        follow_up_entries(user),
        "opened_at",
        "case_id",
        cursor,
        descending=FOLLOW_UP_ORDER.descending == forward,
    )
    return list(entries.values_list("opened_at", "case_id")[:limit])


# What a follow-up row reads of its case.
FOLLOW_UP_COLUMNS = ("reference", "title", "parent__reference", "data_class")


def _follow_up_cases(ids):
    """The cases `ids` (a list, or a queryset of ids read as a subquery),
    newest opened first, as FOLLOW_UP_COLUMNS."""
    return (
        Case.objects.filter(pk__in=ids)
        .order_by("-opened_at", "-id")
        .values_list(*FOLLOW_UP_COLUMNS)
    )


def _follow_up_row(case_url, reference, title, parent, data_class) -> DashboardRow:
    return DashboardRow(
        reference=reference,
        title=title,
        url=case_url(reference),
        parent_reference=parent,
        parent_url=case_url(parent),
        data_class=data_class,
    )


def follow_up_rows(ids) -> list[DashboardRow]:
    """The cases `ids` (open follow-up cases), newest first, each a
    DashboardRow: reference, title, url, its inspection's parent_reference
    and parent_url, and its data_class (for the access log, not printed)."""
    if not ids:
        return []
    case_url = reference_url("casework:case_detail")
    return [_follow_up_row(case_url, *values) for values in _follow_up_cases(ids)]


# The dashboard's follow-ups statement per database, rule and size
# (`_dashboard_follow_ups_sql`); cleared when it holds this many.
_FOLLOW_UPS_SQL: dict = {}
_FOLLOW_UPS_SQL_SIZE = 1024


def _dashboard_follow_ups_sql(user, rule: dict, limit: int) -> tuple[str, tuple]:
    """The statement of the dashboard's follow-ups, built by the ORM once per
    database, rule (`team_row_lookups`: the user and the classes the role
    opens) and size, and kept: the cases by primary key of the ids the range
    of the user's entries gives (`follow_up_ids`, a subquery with its LIMIT),
    with their parents. The rule is read on every request, so a user whose
    role changes gets another statement. One statement, as the ORM would
    send it, where the page built two on every request (the ids, then their
    cases): building the one nested statement cost more than the two
    (docs/controle.md, "Dashboard at scale")."""
    key = (connection.vendor, rule_key(rule), limit)
    statement = _FOLLOW_UPS_SQL.get(key)
    if statement is None:
        if len(_FOLLOW_UPS_SQL) >= _FOLLOW_UPS_SQL_SIZE:
            _FOLLOW_UPS_SQL.clear()
        cases = _follow_up_cases(follow_up_ids(user, limit))
        statement = _FOLLOW_UPS_SQL[key] = cases.query.sql_with_params()
    return statement


def dashboard_follow_ups(
    user, limit: int = FOLLOW_UPS_SHOWN
) -> tuple[list[DashboardRow], bool]:
    """The newest `limit` open follow-up cases of the user's inspections,
    and whether there are more: one statement compiled once per rule
    (`_dashboard_follow_ups_sql`) reads one more than are shown."""
    rule = team_row_lookups(user)
    if rule is None:
        return [], False
    sql, params = _dashboard_follow_ups_sql(user, rule, limit + 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    case_url = reference_url("casework:case_detail")
    rows = [_follow_up_row(case_url, *values) for values in found[:limit]]
    return rows, len(found) > limit


@require_GET
def follow_ups(request):
    """Every open follow-up case of the user's inspections, newest opened
    first, FOLLOW_UPS_PAGE at a time by cursor (`casework.listing.keyset`):
    the dashboard shows the newest FOLLOW_UPS_SHOWN. A cursor this page did
    not write shows the first page."""
    _board_user(request)
    found = keyset(
        lambda cursor, forward, limit: follow_up_keys(
            request.user, cursor, forward=forward, limit=limit
        ),
        FOLLOW_UP_ORDER,
        after=request.GET.get("after", "")[:60],
        before=request.GET.get("before", "")[:60],
        per_page=FOLLOW_UPS_PAGE,
    )
    if found.refused_cursor:
        messages.warning(request, BAD_CURSOR)
    rows = follow_up_rows([case_id for _at, case_id in found.values])
    log_page_read(
        request,
        "controle_follow_ups",
        ((row["reference"], row["data_class"]) for row in rows),
    )
    context = {
        "follow_ups": rows,
        "next_url": f"?after={found.next}" if found.next else "",
        "previous_url": f"?before={found.previous}" if found.previous else "",
        "first_url": "?",
    }
    return render(request, "controle/follow_ups.html", context)


def dashboard_outcomes(user, today):
    """Per year, quarter and outcome the number of the visits carried out or
    aborted since the oldest quarter shown, on the inspections the user may
    read: those of the user's own list entries with an outcome since then
    (index `list_outcome`: `Case.outcome_at`, the case's latest outcome,
    copied to its entries), under the decision point's rule for reading a
    case (`team_row_lookups`). An outcome since a date is on a case whose
    latest outcome is since then too, so nothing is missed. The planner
    joins those few entries (192 of a user's 10,000 inspections at 1M) to
    the outcomes since the oldest quarter, index-only either way: each
    case's own (`controle_outcome_cases`, migration 0008) or the range of
    all of them (`controle_outcome_events`, 0004), hashing the entries.
    Before, all of the user's team rows of the type were hashed against that
    range: 2.7-3.4 ms at 1M, now about 1 ms (docs/controle.md, "Dashboard
    at scale")."""
    from django.db.models.functions import ExtractQuarter, ExtractYear

    from casework.models import CaseEvent

    start = _quarters_start(today)
    rule = team_row_lookups(user)
    if rule is None:
        return CaseEvent.objects.none()
    cases = ListEntry.objects.filter(
        **rule, case_type=CODE, outcome_at__gte=start
    ).values("case_id")
    return (
        CaseEvent.objects.filter(
            case__in=cases,
            # Literals, as the index's condition: a prepared statement's
            # generic plan uses it too (`casework.expressions.Const`).
            kind=Const(CaseEvent.Kind.STATUS),
            to_status__in=[Const(status) for status in OUTCOME_STATUSES],
            at__gte=start,
        )
        .annotate(year=ExtractYear("at"), quarter=ExtractQuarter("at"))
        .values("year", "quarter", "to_status")
        # COUNT(*), not of the id: the id is not in the index, and counting
        # it read every event from the table (35 ms at 1M, 3.7 ms now).
        .annotate(n=models.Count("*"))
        .order_by("-year", "-quarter")
    )


def _quarters_start(today):
    """The first moment of the oldest quarter the dashboard shows."""
    from datetime import date, datetime, time

    from django.utils import timezone

    index = today.year * 4 + (today.month - 1) // 3 - (QUARTERS - 1)
    first = date(index // 4, index % 4 * 3 + 1, 1)
    return timezone.make_aware(datetime.combine(first, time.min))


class BriefingForm(forms.Form):
    risk_flags = forms.CharField(
        label=gettext_lazy("Risk flags"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "What the team must know for its safety; not the police report itself."
        ),
        max_length=TEXT_LENGTH,
    )
    powers = forms.CharField(
        label=gettext_lazy("Required powers"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("E.g. Awb 5:15 entry (not a woning), Alcoholwet 42."),
        max_length=TEXT_LENGTH,
    )
    instructions = forms.CharField(
        label=gettext_lazy("Instructions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_LENGTH,
    )


@require_http_methods(["GET", "POST"])
def briefing(request, reference):
    """The need-to-know excerpt; each read is logged with the reader."""
    case = _planning_case(request, reference)
    may_prepare = COORD(case, request.user)
    form = BriefingForm(request.POST or None)
    if request.method == "POST":
        if not may_prepare:
            raise Http404
        if form.is_valid():
            try:
                briefing_save(case=case, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Briefing saved."))
                return redirect("casework:controle_briefing", reference=reference)
    current = briefing_read(case=case, user=request.user, request=request)
    if current is not None and not form.is_bound:
        form = BriefingForm(
            initial={
                "risk_flags": current.risk_flags,
                "powers": current.powers,
                "instructions": current.instructions,
            }
        )
    context = {
        "case": case,
        "briefing": current,
        "form": form,
        "may_prepare": may_prepare and case.status in BRIEFING_STATES,
        "addresses": [str(cl.location) for cl in case.locations.all()],
    }
    return render(request, "controle/briefing.html", context)


class ReferralForm(forms.Form):
    track = forms.ChoiceField(
        label=gettext_lazy("Track"), choices=Referral.Track.choices
    )
    recipient = forms.ModelChoiceField(
        label=gettext_lazy("Recipient"), queryset=Organisation.objects.order_by("name")
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis for sharing"), max_length=200
    )
    note = forms.CharField(
        label=gettext_lazy("What was referred"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LENGTH,
    )
