"""The Bibob dossier page (D5): intake and decision term, the own
investigation source by source, and the conclusion. Readers are the Bibob
coordinator and the burgemeester on the case; only the coordinator writes.
Everyone else gets 404, and every read is logged.

Mounted under a case (`workflows/bibob/urls.py`):

    path("<str:reference>/bibob/", include("workflows.bibob.urls"))
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from casework import documents, pdf
from casework.forms import DATE_WIDGET, LINE_LENGTH, TEXT_LENGTH, DateField, TokenForm
from casework.idempotency import run_once
from casework.letter_forms import LetterForm
from casework.models import Case
from casework.selectors import case_for_page
from casework.steps import not_future
from casework.views import letter_initial, log_denied, log_form_read, log_page_read
from permissions.models import SENSITIVE_CLASSES, AccessLog, Role
from permissions.services import log_access
from workflows.bibob import selectors, services
from workflows.bibob import terms as bibob_terms
from workflows.bibob.letters import LETTER_CLASSES
from workflows.bibob.models import SOURCE_BASIS, Danger, ShareRecipient, SourceKind
from workflows.bibob.prefill import conclusion_text
from workflows.bibob.steps import D5_STEP_LETTERS


class SourceForm(TokenForm):
    kind = forms.ChoiceField(label=gettext_lazy("Source"), choices=SourceKind.choices)
    consulted_on = DateField(
        label=gettext_lazy("Consulted on"), widget=DATE_WIDGET, validators=[not_future]
    )
    legal_basis = forms.CharField(
        label=gettext_lazy("Legal basis"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Empty: the usual basis for this source."),
    )
    finding = forms.CharField(
        label=gettext_lazy("Finding"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LENGTH,
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
    ground_6 = forms.BooleanField(
        label=gettext_lazy("offences committed to obtain the decision (art 3 lid 6)"),
        required=False,
    )
    advice_needed = forms.BooleanField(
        label=gettext_lazy("Ask the LBB for advice (art 9)"), required=False
    )
    proportionality = forms.CharField(
        label=gettext_lazy("Proportionality (art 3 lid 5)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LENGTH,
    )
    concluded_on = DateField(
        label=gettext_lazy("Concluded on"), widget=DATE_WIDGET, validators=[not_future]
    )


# The provision letter is made only by the share action, with its log row.
SHARE_LETTER = "verstrekking_bibob"


class ShareForm(TokenForm):
    # A plain field with a select: a value outside art 28 lid 2 reaches the
    # service, which refuses it with its own message and logs the refusal.
    recipient_code = forms.CharField(
        label=gettext_lazy("Recipient (Wet Bibob art 28 lid 2)"),
        widget=forms.Select(choices=[("", "—"), *ShareRecipient.choices]),
        required=False,
        help_text=gettext_lazy(
            "Only these recipients; the letter of lid 2 is the reason code."
        ),
        max_length=LINE_LENGTH,
    )
    recipient_name = forms.CharField(
        label=gettext_lazy("Name of the recipient"), max_length=200
    )
    recipient_address = forms.CharField(
        label=gettext_lazy("Address (one line each)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    purpose = forms.CharField(
        label=gettext_lazy("Purpose: why the recipient needs the data"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    shared_data = forms.CharField(
        label=gettext_lazy("The data provided"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "No more than the recipient needs; a third party only its own data "
            "(art 28 lid 2 b)."
        ),
        max_length=TEXT_LENGTH,
    )

    def clean_recipient_address(self):
        value = self.cleaned_data.get("recipient_address", "")
        return [line.strip() for line in value.splitlines() if line.strip()]


class PermitHandlerForm(TokenForm):
    handler = forms.ModelChoiceField(
        label=gettext_lazy("Permit handler"),
        queryset=get_user_model().objects.filter(membership__role=Role.VERGUNNING),
        help_text=gettext_lazy(
            "Sees the outcome and the suspension of the decision term, nothing "
            "of the dossier."
        ),
    )


class ExtendForm(TokenForm):
    weeks = forms.IntegerField(label=gettext_lazy("Weeks"), min_value=1, max_value=12)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LENGTH,
    )


def _dossier_case(request, reference, *, write=False):
    """The case, or 404 (a refusal logged as the case pages log it), read
    with the user's team role (`casework.selectors.case_for_page`): the
    decision point answers this request's checks without reading grants."""
    try:
        case = case_for_page(request.user, reference)
    except Http404:
        log_denied(request, Case, reference=reference)
        raise
    allowed = (
        services.may_write_dossier(request.user, case)
        if write
        else services.may_read_dossier(request.user, case)
    )
    if not allowed:
        raise Http404
    return case


def _d5_letter_due(case, letters) -> str:
    """The D5 letter the current status calls for, if not made yet."""
    key = D5_STEP_LETTERS.get(case.status, "")
    if not key or any(d.template_key == key for d in letters):
        return ""
    return key


@require_GET
def dossier(request, reference):
    case = _dossier_case(request, reference)
    has = case.sections
    letters = (
        list(documents.documents_for_user(request.user, case))
        if has["has_documents"]
        else []
    )
    can_write = services.may_write_dossier(request.user, case)
    dossier = services.bibob_dossier(
        request.user, case, request=request, with_reuse=has["has_parties"]
    )
    decision_term = lbb_term = art31_cap = None
    if has["has_deadlines"]:
        decision_term, lbb_term, art31_cap = bibob_terms.dossier_terms(
            case, dossier["intake"]
        )
    context = {
        "case": case,
        "dossier": dossier,
        "earlier": dossier["reuse"],
        "shares": services.shares_of(case),
        "permit_handlers": services.permit_handlers_of(case),
        "letters": letters,
        "letter_due": _d5_letter_due(case, letters) if can_write else "",
        "letter_titles": {key: pdf.TEMPLATES[key].title for key in LETTER_CLASSES},
        "can_share": services.may_share_dossier(request.user, case),
        "decision_term": decision_term,
        "lbb_term": lbb_term,
        "art31_cap": art31_cap,
        "can_write": can_write,
        "dossier_open": case.status in services.DOSSIER_OPEN,
    }
    return render(request, "bibob/dossier.html", context)


class _DossierPage:
    """What `run_once` remembers for a dossier form: the dossier page."""

    def __init__(self, case):
        self.url = reverse("casework:bibob_dossier", args=[case.reference])

    def get_absolute_url(self) -> str:
        return self.url


def _dossier_form(request, reference, form_class, heading, save):
    """GET shows the form; POST runs `save` once per token and returns to
    the dossier."""
    from casework.views import case_form

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
    return case_form(request, case, form, heading)


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


@require_http_methods(["GET", "POST"])
def share(request, reference):
    """Share dossier data under art 28 lid 2: only the coordinator, only the
    listed recipients, with the reason code and the purpose; a refusal is
    logged as denied."""
    case = _dossier_case(request, reference, write=True)
    if not services.may_share_dossier(request.user, case):
        raise Http404
    form = ShareForm(
        request.POST or None, initial={"shared_data": conclusion_text(case)}
    )
    if request.method == "GET":
        # The form shows the conclusion (D5): a read.
        log_form_read(
            request, case, "bibob_share_form", case.reference, [case.data_class]
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("form_token")
        try:
            services.bibob_share_check(
                case=case, user=request.user,
                recipient_code=data["recipient_code"], purpose=data["purpose"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            services.bibob_share_refused(
                case=case, user=request.user, recipient_code=data["recipient_code"],
                recipient_name=data["recipient_name"], request=request,
            )  # fmt: skip
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:

            def action():
                services.bibob_share(
                    case=case, user=request.user, request=request, **data
                )
                return _DossierPage(case)

            try:
                url = run_once(token=token, user=request.user, action=action)
            except (
                ValidationError,
                PermissionDenied,
                pdf.LetterValidationError,
            ) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Shared; the document is in the dossier."))
                return redirect(url)
    from casework.views import case_form

    return case_form(request, case, form, _("Share under Wet Bibob art 28 lid 2"))


@require_http_methods(["GET", "POST"])
def letter_new(request, reference):
    """A Bibob letter, stored under its data class (`LETTER_CLASSES`): the
    letters with advice data or findings as D5."""
    case = _dossier_case(request, reference, write=True)
    key = request.GET.get("template") or request.POST.get("template", "")
    if key not in LETTER_CLASSES or key == SHARE_LETTER:
        templates = [
            pdf.TEMPLATES[k] for k in LETTER_CLASSES if k != "verstrekking_bibob"
        ]
        context = {"case": case, "templates": templates}
        return render(request, "casework/document_choose.html", context)
    form = LetterForm(
        request.POST or None,
        template_key=key,
        initial=letter_initial(request, case, key),
    )
    if request.method == "POST" and form.is_valid():

        def action():
            documents.document_generate(
                case=case, user=request.user, template_key=key,
                inputs=form.inputs(), data_class=LETTER_CLASSES[key],
            )  # fmt: skip
            return _DossierPage(case)

        try:
            url = run_once(
                token=form.cleaned_data["form_token"], user=request.user, action=action
            )
        except (pdf.LetterValidationError, PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Letter made and stored."))
            return redirect(url)
    context = {"case": case, "form": form, "template": form.template}
    return render(request, "casework/document_form.html", context)


@require_http_methods(["GET", "POST"])
def permit_handler_add(request, reference):
    from casework.views import case_form

    case = _dossier_case(request, reference, write=True)
    form = PermitHandlerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def action():
            services.bibob_permit_handler_add(
                case=case, user=request.user, handler=form.cleaned_data["handler"]
            )
            return _DossierPage(case)

        try:
            url = run_once(
                token=form.cleaned_data["form_token"], user=request.user, action=action
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", [str(exc)]):
                form.add_error(None, message)
        else:
            messages.success(request, _("Saved."))
            return redirect(url)
    return case_form(request, case, form, _("Name the permit handler"))


@require_GET
def outcome(request, reference):
    """The permit handler's view of a Bibob case: the decision once taken
    and whether the decision term stands still; 404 for everyone else."""
    found = selectors.outcome_for_permit_handler(request.user, reference)
    if found is None:
        raise Http404
    # The decision on a Bibob screening is D5 content: each read is logged.
    if found.case.data_class in SENSITIVE_CLASSES:
        log_access(
            user=request.user,
            action=AccessLog.Action.READ,
            object_type="bibob_outcome",
            object_id=found.case.pk,
            data_class=found.case.data_class,
            case=found.case,
            request=request,
        )
    context = {"case": found.case, "bibob_outcome": found}
    return render(request, "bibob/outcome.html", context)


@require_GET
def outcomes(request):
    """The Bibob cases whose permit the user handles."""
    cases = selectors.outcome_cases_for(request.user)
    rows = [
        selectors.outcome_for_permit_handler(request.user, c.reference) for c in cases
    ]
    # Titles and decisions of D5 screenings: one row naming the cases shown.
    log_page_read(
        request, "bibob_outcomes", ((o.case.reference, o.case.data_class) for o in rows)
    )
    return render(request, "bibob/outcomes.html", {"rows": rows})
