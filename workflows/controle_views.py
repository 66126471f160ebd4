"""The coordinator's selection board (issue 6 item 1): addresses ranked by
their signals, selected for a visit or dismissed with a reason."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from casework.models import Location, Signal

from .controle_models import (
    board_candidates,
    board_dismiss,
    board_select,
    may_use_board,
)


class BoardFilterForm(forms.Form):
    area = forms.CharField(label=gettext_lazy("Area"), required=False)
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
    areas = sorted(
        set(
            Location.objects.filter(signals__in=Signal.objects.for_user(request.user))
            .exclude(area="")
            .values_list("area", flat=True)
        )
    )
    context = {"candidates": candidates, "form": form, "areas": areas}
    return render(request, "workflows/controle_board.html", context)


@require_POST
def board_select_view(request, pk):
    _board_user(request)
    location = _location(request, pk)
    try:
        case = board_select(user=request.user, location=location)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
        return redirect("casework:controle_board")
    messages.success(request, _("Address selected; the integrated inspection is open."))
    return redirect(case)


@require_POST
def board_dismiss_view(request, pk):
    _board_user(request)
    location = _location(request, pk)
    try:
        board_dismiss(
            user=request.user, location=location, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Address not selected; the reason is recorded."))
    return redirect("casework:controle_board")
