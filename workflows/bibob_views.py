"""The Bibob dossier page (D5): intake and decision term, the own
investigation source by source, and the conclusion. Readers are the Bibob
coordinator and the burgemeester on the case; only the coordinator writes.
Everyone else gets 404, and every read is logged.

Mounted under a case (`workflows/bibob_urls.py`):

    path("<str:reference>/bibob/", include("workflows.bibob_urls"))
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from casework.forms import DATE_WIDGET, TokenForm
from casework.idempotency import run_once

from . import bibob_services as services
from . import bibob_terms
from .bibob_models import SOURCE_BASIS, Danger, SourceKind
from .steps import _not_future


class SourceForm(TokenForm):
    kind = forms.ChoiceField(label=gettext_lazy("Source"), choices=SourceKind.choices)
    consulted_on = forms.DateField(
        label=gettext_lazy("Consulted on"), widget=DATE_WIDGET, validators=[_not_future]
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Empty: the usual basis for this source."),
    )
    finding = forms.CharField(
        label=gettext_lazy("Finding"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        if not data.get("legal_basis", "").strip() and data.get("kind"):
            data["legal_basis"] = SOURCE_BASIS[data["kind"]]
            if not data["legal_basis"]:
                self.add_error(
                    "legal_basis", gettext_lazy("Give the legal basis of this source.")
                )
        return data


class ConclusionForm(TokenForm):
    degree = forms.ChoiceField(
        label=gettext_lazy("Degree of danger"),
        choices=Danger.choices,
        widget=forms.RadioSelect,
    )
    ground_a = forms.BooleanField(
        label=gettext_lazy("a-ground: benefiting from criminal offences"),
        required=False,
    )
    ground_b = forms.BooleanField(
        label=gettext_lazy("b-ground: committing criminal offences"), required=False
    )
    advice_needed = forms.BooleanField(
        label=gettext_lazy("Ask the LBB for advice (art 9)"), required=False
    )
    proportionality = forms.CharField(
        label=gettext_lazy("Proportionality (art 3 lid 5)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    concluded_on = forms.DateField(
        label=gettext_lazy("Concluded on"), widget=DATE_WIDGET, validators=[_not_future]
    )


class ExtendForm(TokenForm):
    weeks = forms.IntegerField(label=gettext_lazy("Weeks"), min_value=1, max_value=12)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


def _dossier_case(request, reference, *, write=False):
    from casework.views import _case_or_404

    case = _case_or_404(request, reference)
    allowed = (
        services.may_write_dossier(request.user, case)
        if write
        else services.may_read_dossier(request.user, case)
    )
    if not allowed:
        raise Http404
    return case


@require_GET
def dossier(request, reference):
    case = _dossier_case(request, reference)
    context = {
        "case": case,
        "dossier": services.bibob_dossier(request.user, case, request=request),
        "decision_term": bibob_terms.beslistermijn(case),
        "lbb_term": bibob_terms.lbb_term(case),
        "art31_cap": bibob_terms.art31_cap(case),
        "can_write": services.may_write_dossier(request.user, case),
        "dossier_open": case.status in services.DOSSIER_OPEN,
    }
    return render(request, "workflows/bibob/dossier.html", context)


class _DossierPage:
    """What `run_once` remembers for a dossier form: the dossier page."""

    def __init__(self, case):
        self.url = reverse("casework:bibob_dossier", args=[case.reference])

    def get_absolute_url(self) -> str:
        return self.url


def _dossier_form(request, reference, form_class, heading, save):
    """GET shows the form; POST runs `save` once per token and returns to
    the dossier."""
    from casework.views import _case_form

    case = _dossier_case(request, reference, write=True)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("form_token")

        def action():
            save(case, data)
            return _DossierPage(case)

        try:
            url = run_once(token=token, user=request.user, action=action)
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect(url)
    return _case_form(request, case, form, heading)


@require_http_methods(["GET", "POST"])
def source_add(request, reference):
    return _dossier_form(
        request,
        reference,
        SourceForm,
        _("Log a consulted source"),
        lambda case, data: services.bibob_source_add(
            case=case, user=request.user, **data
        ),
    )


@require_http_methods(["GET", "POST"])
def conclusion_record(request, reference):
    return _dossier_form(
        request,
        reference,
        ConclusionForm,
        _("Record the conclusion"),
        lambda case, data: services.bibob_conclusion_record(
            case=case, user=request.user, **data
        ),
    )


@require_http_methods(["GET", "POST"])
def term_extend(request, reference):
    return _dossier_form(
        request,
        reference,
        ExtendForm,
        _("Extend the decision term"),
        lambda case, data: bibob_terms.beslistermijn_extend(
            case=case, user=request.user, **data
        ),
    )
