"""The pages of the signal import (docs/import.md): upload a CSV file, see its
preview with every row's errors, confirm it. The page is for the users the
decision point lets supply signals of some kind of file
(`signal_import.import_kinds`, `permissions.decision.supplies_signals`);
everyone else gets 404. An upload is its owner's: another user asking for it,
or confirming it, gets 404 and a denied row in the access log."""

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from permissions.decision import log_refusal
from permissions.models import SENSITIVE_CLASSES, DataClass, Organisation
from permissions.policy import actor_for
from permissions.services import log_sensitive_read

from . import signal_import
from .forms import ModelMultipleChoiceField
from .models import ImportedSignal, SignalImport
from .views import _class_rank, log_page_read

UPLOAD_ID = re.compile(r"[0-9a-fA-F-]{1,36}")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of file"), widget=forms.RadioSelect
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        allow_empty_file=True,  # refused by the import, in its words
        help_text=gettext_lazy(
            "UTF-8, separated by semicolons or commas, with a header row."
        ),
    )
    shared_with = ModelMultipleChoiceField(
        label=gettext_lazy("Share the signals with"),
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "The organisations that receive the signals for triage, such as the "
            "gemeente under Wpg 16 lid 1 b."
        ),
    )

    def __init__(self, *args, kinds, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.source, k.label) for k in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].source
        self.fields["shared_with"].queryset = Organisation.objects.exclude(
            pk=actor_for(user).organisation_id
        )


class ConfirmForm(forms.Form):
    upload = forms.UUIDField(widget=forms.HiddenInput)
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _kinds_or_404(request):
    kinds = signal_import.import_kinds(request.user)
    if not kinds:
        raise Http404
    return kinds


def _url(kept: SignalImport) -> str:
    return f"{reverse('casework:signal_import')}?upload={kept.pk}"


def _refused(request, upload_id) -> None:
    """A denied access-log row naming the upload asked for: its id when it
    looks like one, else "?" (no NUL byte or long text reaches the log)."""
    key = str(upload_id)
    if not UPLOAD_ID.fullmatch(key):
        key = "?"
    log_refusal(user=request.user, object_type="signalimport", key=key, request=request)


def _own_upload_or_404(request, upload_id) -> SignalImport:
    try:
        return signal_import.upload_for(request.user, upload_id)
    except Http404:
        _refused(request, upload_id)
        raise


@require_http_methods(["GET", "POST"])
def signal_import_page(request):
    """The upload form (GET, POST) and, with `?upload=`, an upload's preview
    or, once imported, what it imported."""
    kinds = _kinds_or_404(request)
    if request.method == "GET" and "upload" in request.GET:
        kept = _own_upload_or_404(request, request.GET["upload"])
        if kept.status == SignalImport.Status.IMPORTED:
            return _result(request, kept)
        return _preview(request, kept)
    form = UploadForm(
        request.POST or None, request.FILES or None, kinds=kinds, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kept = signal_import.upload(
                user=request.user,
                source=data["kind"],
                uploaded_file=data["file"],
                shared_with=list(data["shared_with"]),
            )
        except signal_import.FileError as exc:
            form.add_error("file", exc.message)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            return redirect(_url(kept))
    context = {
        "form": form,
        "columns": signal_import.COLUMNS,
        "required": signal_import.REQUIRED_COLUMNS,
        "max_rows": settings.CASEWORK_IMPORT_MAX_ROWS,
        "max_bytes": settings.CASEWORK_IMPORT_MAX_BYTES,
    }
    return render(request, "casework/signal_import.html", context)


def _preview(request, kept, *, parsed=None, failed=None, status=200):
    """The preview: every row with its values read and its errors; the
    confirm button only when no row has an error. Showing the kept file is a
    read of what it holds: one access-log row in its highest class."""
    file_error = None
    if parsed is None:
        try:
            parsed = signal_import.preview(kept, user=request.user)
        except signal_import.FileError as exc:
            file_error = exc.message
    if failed is not None and parsed is not None:
        for row in parsed.rows:
            if row.line == failed.line:
                row.add_error("", failed.message)
    classes = {
        row.form.cleaned_data.get("data_class")
        for row in (parsed.rows if parsed else [])
        if row.form is not None
    }
    classes = [c for c in classes if c in SENSITIVE_CLASSES] or [DataClass.D3]
    log_sensitive_read(
        user=request.user,
        obj=kept,
        data_class=max(classes, key=_class_rank),
        request=request,
    )
    columns = [c for c in signal_import.COLUMNS if parsed and c in parsed.columns]
    rows = []
    for row in parsed.rows if parsed else []:
        cells = [
            {
                "column": column,
                "value": row.shown(column),
                "errors": row.errors.get(column, []),
            }
            for column in columns
        ]
        rows.append({"line": row.line, "cells": cells, "errors": row.errors})
    context = {
        "upload": kept,
        "kind": signal_import.KINDS.get(kept.source),
        "file_error": file_error,
        "columns": columns,
        "rows": rows,
        "total": len(rows),
        "error_rows": parsed.error_rows if parsed else 0,
        "failed": failed,
        "can_confirm": bool(parsed and parsed.ok and failed is None),
        "estimate": signal_import.estimate_seconds(len(rows)),
        "confirm_form": ConfirmForm(
            initial={"upload": kept.pk, "content_hash": kept.content_hash}
        ),
        "shared_with": list(kept.shared_with.all()),
    }
    return render(
        request, "casework/signal_import_preview.html", context, status=status
    )


def _result(request, kept):
    imported = list(
        ImportedSignal.objects.filter(signal_import=kept)
        .select_related("signal")
        .order_by("line")
    )
    log_page_read(
        request,
        "signal_import",
        [(row.signal.reference, row.signal.data_class) for row in imported],
    )
    context = {"upload": kept, "imported": imported}
    return render(request, "casework/signal_import_result.html", context)


@require_POST
def signal_import_confirm(request):
    """Import the previewed file: every row or none (`signal_import.confirm`)."""
    _kinds_or_404(request)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        _refused(request, request.POST.get("upload", ""))
        raise Http404
    upload_id = form.cleaned_data["upload"]
    try:
        outcome = signal_import.confirm(
            user=request.user,
            upload_id=upload_id,
            previewed_hash=form.cleaned_data["content_hash"],
        )
    except Http404:
        _refused(request, upload_id)
        raise
    except signal_import.ImportFailed as exc:
        kept = signal_import.upload_for(request.user, upload_id)
        messages.error(
            request,
            _("Nothing has been imported: line %(line)s: %(message)s")
            % {"line": exc.line, "message": exc.message},
        )
        return _preview(request, kept, failed=exc)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("casework:signal_import"))
    except PermissionDenied as exc:
        raise Http404 from exc
    kept = outcome.upload
    if outcome.done:
        count = len(outcome.imported)
        messages.success(
            request,
            ngettext("%(count)s signal imported.", "%(count)s signals imported.", count)
            % {"count": count},
        )
        return redirect(_url(kept))
    if outcome.parsed is None:
        messages.info(request, _("This file has already been imported."))
        return redirect(_url(kept))
    messages.error(
        request,
        _(
            "Nothing has been imported: the file has errors. Correct them and "
            "upload it again."
        ),
    )
    return _preview(request, kept, parsed=outcome.parsed)
