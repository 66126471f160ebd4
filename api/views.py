"""The partner API's endpoints (docs/api.md). Each fetches through the
decision point as its page does — `Case.objects.for_user`, `Signal.objects.
for_user`, `decide`/`require`, `visible_case_keys` — with the client's
service account as the user, writes the same access-log rows, and calls the
kernel's or the case type's own service for a change, so the law refuses
here as on the pages."""

import base64
import binascii
import hashlib
from datetime import datetime
from functools import cache
from urllib.parse import quote

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import documents, selectors, services
from casework.models import Case, Deadline, Location, Party, Signal
from casework.rules import StepRefused
from casework.selectors import URL_SAFE
from casework.views import case_or_404, log_page_read, signal_or_404
from permissions.decision import READ, TRIAGE, decide
from permissions.models import Organisation
from permissions.policy import actor_for
from permissions.selectors import visible_case_keys
from permissions.services import log_sensitive_read

from . import serializers as s
from .models import SignalAttachment
from .problems import PROBLEM_JSON, problem_response
from .rules import RULE_MATRIX, SOURCES, submission

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


# --- Schema helpers -----------------------------------------------------------


def _problems(*codes):
    return {
        (code, PROBLEM_JSON): OpenApiResponse(s.ProblemSerializer)
        for code in (401, 403, 405, 406, 415, 429, *codes)
    }


def _responses(ok, *codes, status=200):
    return {status: ok, **_problems(*codes)}


LIMIT = OpenApiParameter("limit", int, description="Rows per page (1-100, default 50).")
CURSOR = OpenApiParameter("cursor", str, description="The `next` of the previous page.")
BINARY = OpenApiResponse(OpenApiTypes.BINARY, description="The file.")


class Endpoint(APIView):
    """An endpoint of the API: its scope per method (`required_scopes`)."""

    required_scopes: dict | str = {}


def _id(value: int) -> int:
    """An id from the path; beyond what a column holds nothing is found."""
    if not 0 < value <= s.MAX_ID:
        raise Http404
    return value


def _signal_cursor(text: str) -> int:
    return _id(int(text))


def _limit(request) -> int:
    raw = request.query_params.get("limit", "")
    if not raw:
        return PAGE_SIZE
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_PAGE_SIZE:
        raise drf.ValidationError({"limit": [_("A number from 1 to 100.")]})
    return value


def _refused(exc, rule: str = ""):
    """A refusal of a service (the law, a rule, the decision point) as a
    problem: 403 for a refused write, 422 for the law's refusal, 400 for
    refused input."""
    if isinstance(exc, PermissionDenied):
        detail = str(exc) or _("Not allowed.")
        return problem_response(403, detail, rule=rule or None)
    if isinstance(exc, StepRefused):
        return problem_response(
            422,
            "; ".join(str(r.message) for r in exc.refusals),
            rule="; ".join(r.rule for r in exc.refusals),
        )
    if hasattr(exc, "message_dict"):
        errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    else:
        errors = {"non_field_errors": [str(m) for m in exc.messages]}
    return problem_response(400, _("One or more fields are not valid."), errors=errors)


# --- Organisations --------------------------------------------------------------


class OrganisationList(Endpoint):
    """The organisations a signal may be shared with (names and kinds only)."""

    required_scopes = "signals:write"

    @extend_schema(
        operation_id="organisations_list",
        responses=_responses(s.OrganisationSerializer(many=True)),
    )
    def get(self, request):
        rows = Organisation.objects.order_by("name").values("id", "name", "kind")
        return Response(list(rows))


# --- Signals ----------------------------------------------------------------------


def _signal_url(reference: str) -> str:
    return reverse("api:signal_detail", args=[reference])


def _case_url(reference: str) -> str:
    prefix, suffix = _case_url_parts()
    return prefix + quote(reference, safe=URL_SAFE) + suffix


@cache
def _case_url_parts() -> tuple[str, str]:
    """The case detail's URL around its reference, reversed once (a list
    page names fifty cases)."""
    marker = "REFERENCE"
    prefix, _marker, suffix = reverse("api:case_detail", args=[marker]).partition(
        marker
    )
    return prefix, suffix


def _signal_row(signal) -> dict:
    return {
        "reference": signal.reference,
        "kind": signal.source,
        "received_on": signal.received_on,
        "registered_at": signal.registered_at,
        "status": signal.status,
        "status_label": str(signal.get_status_display()),
        "url": _signal_url(signal.reference),
    }


def _signal_detail(user, signal) -> dict:
    """The signal as its reader sees it: the cases it became as far as the
    decision point lets the reader open them (`signal_for_user` prefetches
    them through `Case.objects.for_user`); the reason it was filed only for a
    reader who triages it (`decide(TRIAGE)`), else only that it was filed."""
    actor = actor_for(user)
    shared = [o for o in signal.shared_with.all()]
    triages = decide(
        user, TRIAGE, "signal", data_class=signal.data_class,
        organisation_id=signal.source_organisation_id,
        shared=any(o.pk == actor.organisation_id for o in shared),
    )  # fmt: skip
    attachments = SignalAttachment.objects.filter(signal=signal).defer("content")
    return {
        **_signal_row(signal),
        "summary": signal.summary,
        "data_class": signal.data_class,
        "legal_basis": signal.legal_basis,
        "shared_with": [{"id": o.pk, "name": o.name, "kind": o.kind} for o in shared],
        "filed": signal.status == Signal.Status.FILED,
        "filed_reason": signal.filed_reason
        if triages and signal.filed_reason
        else None,
        "cases": [
            {
                "reference": case.reference,
                "case_type": case.case_type,
                "status": case.status,
                "status_label": str(case.status_label()),
                "closed": case.closed_at is not None,
                "url": _case_url(case.reference),
            }
            for case in signal.cases.all()
        ],
        "attachments": [
            {
                "id": a.pk,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "url": reverse("api:signal_attachment", args=[signal.reference, a.pk]),
            }
            for a in attachments
        ],
    }


def _signal_or_404(request, reference: str) -> Signal:
    """The signal as its page finds it (`selectors.signal_for_user`); a
    refusal is one denied row, whether or not it exists (as the pages)."""
    return signal_or_404(request, reference)


def _decode_cursor(raw: str, parse):
    try:
        text = base64.urlsafe_b64decode(raw.encode() + b"==").decode()
        return parse(text)
    except (ValueError, binascii.Error, UnicodeDecodeError, Http404) as exc:
        raise drf.ValidationError(
            {"cursor": [_("Not a cursor of this list.")]}
        ) from exc


def _encode_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


SIGNAL_STATUS = OpenApiParameter(
    "status", str, enum=list(Signal.Status.values), description="Only this status."
)


class SignalList(Endpoint):
    """GET: the signals the client reads (its organisation's, and those
    shared with it), newest first, by cursor. POST: submit a signal."""

    required_scopes = {"GET": "signals:read", "POST": "signals:write"}

    @extend_schema(
        operation_id="signals_list",
        parameters=[SIGNAL_STATUS, LIMIT, CURSOR],
        responses=_responses(s.SignalPageSerializer, 400),
    )
    def get(self, request):
        size = _limit(request)
        status = request.query_params.get("status", "")
        if status and status not in Signal.Status.values:
            raise drf.ValidationError({"status": [_("Not a status of a signal.")]})
        rows = Signal.objects.for_user(request.user)
        if status:
            rows = rows.filter(status=status)
        cursor = request.query_params.get("cursor", "")
        if cursor:
            rows = rows.filter(pk__lt=_decode_cursor(cursor, _signal_cursor))
        page = list(rows.order_by("-pk")[: size + 1])
        more = len(page) > size
        page = page[:size]
        return Response(
            {
                "results": [_signal_row(signal) for signal in page],
                "next": _encode_cursor(str(page[-1].pk)) if more else None,
            }
        )

    @extend_schema(
        operation_id="signals_create",
        request=s.SignalInSerializer,
        responses=_responses(s.SignalDetailSerializer, 400, 422, status=201),
    )
    def post(self, request):
        form = s.SignalInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        rule, allowed = submission(data["kind"], request.user)
        if allowed is None:
            return problem_response(
                403,
                _("Your organisation may not submit a signal of this kind."),
                rule=rule,
            )
        data_class, basis = allowed
        ids = set(data["shared_with"])
        organisations = list(Organisation.objects.filter(pk__in=ids))
        if len(organisations) != len(ids):
            raise drf.ValidationError(
                {"shared_with": [_("An organisation in this list does not exist.")]}
            )
        try:
            with transaction.atomic():
                signal = services.signal_register(
                    user=request.user,
                    source=SOURCES[data["kind"]],
                    received_on=data["received_on"],
                    summary=data["summary"].strip(),
                    data_class=data_class,
                    legal_basis=data["legal_basis"].strip() or basis,
                    shared_with=organisations,
                    parties=[Party(**party) for party in data["parties"]],
                    locations=[Location(**place) for place in data["locations"]],
                )
                for item in data["attachments"]:
                    content = item["content"]
                    SignalAttachment.objects.create(
                        signal=signal,
                        filename=item["filename"],
                        content_type=item["content_type"],
                        size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(),
                        content=content,
                        uploaded_by=request.user,
                    )
        except PermissionDenied as exc:
            return _refused(exc, RULE_MATRIX)
        except ValidationError as exc:
            return _refused(exc)
        signal = selectors.signal_for_user(request.user, signal.reference)
        return Response(
            _signal_detail(request.user, signal),
            status=201,
            headers={"Location": _signal_url(signal.reference)},
        )


class SignalDetail(Endpoint):
    """One signal the client reads, with its status and outcome."""

    required_scopes = "signals:read"

    @extend_schema(
        operation_id="signals_detail",
        responses=_responses(s.SignalDetailSerializer, 404),
    )
    def get(self, request, reference):
        signal = _signal_or_404(request, reference)
        log_sensitive_read(
            user=request.user, obj=signal, data_class=signal.data_class,
            request=request,
        )  # fmt: skip
        return Response(_signal_detail(request.user, signal))


class SignalAttachmentDownload(Endpoint):
    """A file of a signal the client reads."""

    required_scopes = "signals:read"

    @extend_schema(
        operation_id="signals_attachment", responses={200: BINARY, **_problems(404)}
    )
    def get(self, request, reference, pk):
        signal = _signal_or_404(request, reference)
        attachment = SignalAttachment.objects.filter(signal=signal, pk=_id(pk)).first()
        if attachment is None:
            raise Http404
        log_sensitive_read(
            user=request.user, obj=attachment, data_class=signal.data_class,
            request=request,
        )  # fmt: skip
        response = HttpResponse(
            bytes(attachment.content), content_type=attachment.content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{attachment.pk}"'
        response["X-Content-SHA256"] = attachment.sha256
        return response


# --- Cases ------------------------------------------------------------------------


def _case_row(case) -> dict:
    """A case's row as the list gives it (`_case_list_row`)."""
    (row,) = selectors.case_rows([tuple(getattr(case, c) for c in CASE_COLUMNS)])
    return _case_list_row(row, case.responsible_organisation.name)


def _case_or_404(request, reference: str) -> Case:
    """The case as its page finds it (`selectors.case_for_user`: the decision
    point's filter); a refusal is one denied row, as on the pages."""
    return case_or_404(request, reference)


def _parse_case_cursor(text: str):
    stamp, _sep, case_id = text.rpartition("|")
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        raise ValueError("naive")
    return moment, _id(int(case_id))


def case_page(user, *, size=PAGE_SIZE, cursor=None, status="", case_type=""):
    """One page of the cases the user reads, newest first: (cases, next
    cursor). Keyset on the team rows (`visible_case_keys`), never OFFSET:
    one index range, then the page's cases by id."""
    keys = visible_case_keys(user)
    if case_type:
        keys = keys.filter(case_type=case_type)
    if status:
        keys = keys.filter(case__status=status)
    if cursor is not None:
        sort_key, case_id = cursor
        keys = keys.filter(
            Q(sort_key__lt=sort_key) | Q(sort_key=sort_key, case_id__lt=case_id)
        )
    found = list(keys[: size + 1])
    more = len(found) > size
    found = found[:size]
    # The page's cases by id as plain rows (no model instances), their labels
    # resolved as the case list's (`selectors.case_rows`).
    columns = {
        values[0]: values[1:]
        for values in Case.objects.filter(
            pk__in=[case_id for _key, case_id in found]
        ).values_list("pk", *CASE_COLUMNS, "responsible_organisation__name")
    }
    ordered = [columns[case_id] for _key, case_id in found if case_id in columns]
    rows = [
        _case_list_row(row, values[-1])
        for row, values in zip(
            selectors.case_rows(v[:-1] for v in ordered), ordered, strict=True
        )
    ]
    following = None
    if more and found:
        sort_key, case_id = found[-1]
        following = _encode_cursor(f"{sort_key.isoformat()}|{case_id}")
    return rows, following


# The case columns of a list row, in `selectors.case_rows`' order.
CASE_COLUMNS = (
    "reference", "title", "case_type", "status", "opened_at", "closed_at",
    "data_class",
)  # fmt: skip


def _case_list_row(row, organisation_name: str) -> dict:
    """`_case_row` of a list page, from a `selectors.CaseRow`."""
    return {
        "reference": row.reference,
        "case_type": row.case_type,
        "type_label": str(row.type_label),
        "title": row.title,
        "status": row.status,
        "status_label": str(row.status_label),
        "data_class": row.data_class,
        "opened_at": row.opened_at,
        "closed_at": row.closed_at,
        "responsible_organisation": organisation_name,
        "url": _case_url(row.reference),
    }


CASE_FILTERS = [
    OpenApiParameter("status", str, description="Only cases in this status."),
    OpenApiParameter("type", str, description="Only cases of this type (LOD, IC…)."),
    LIMIT,
    CURSOR,
]


class CaseList(Endpoint):
    """The cases the client reads, newest first, by cursor."""

    required_scopes = "cases:read"

    @extend_schema(
        operation_id="cases_list",
        parameters=CASE_FILTERS,
        responses=_responses(s.CasePageSerializer, 400),
    )
    def get(self, request):
        size = _limit(request)
        raw = request.query_params.get("cursor", "")
        cursor = _decode_cursor(raw, _parse_case_cursor) if raw else None
        rows, following = case_page(
            request.user,
            size=size,
            cursor=cursor,
            status=request.query_params.get("status", "")[:10],
            case_type=request.query_params.get("type", "")[:10],
        )
        # As the case list page: one row naming the sensitive cases shown.
        log_page_read(
            request, "api_case_list", [(r["reference"], r["data_class"]) for r in rows]
        )
        return Response({"results": rows, "next": following})


class CaseDetail(Endpoint):
    """A case as the client may see it: its outcome (status) for the
    outcome-only roles, with links to its deadlines and documents where the
    decision point lets the client read them."""

    required_scopes = "cases:read"

    @extend_schema(
        operation_id="cases_detail", responses=_responses(s.CaseDetailSerializer, 404)
    )
    def get(self, request, reference):
        user = request.user
        case = _case_or_404(request, reference)
        log_sensitive_read(
            user=user, obj=case, data_class=case.data_class, case=case,
            request=request,
        )  # fmt: skip
        deadlines = decide(user, READ, "deadline", case=case)
        readable = documents.readable_documents(user, case)[0]
        return Response(
            {
                **_case_row(case),
                "outcome_only": not decide(user, READ, case),
                "signals": [
                    signal.reference
                    for signal in selectors.case_signals(user, case).only("reference")
                ],
                "deadlines_url": reverse("api:case_deadlines", args=[reference])
                if deadlines
                else None,
                "documents_url": reverse("api:case_documents", args=[reference])
                if readable
                else None,
            }
        )


class CaseDeadlines(Endpoint):
    """The deadlines of a case, where the decision point lets the client
    read them (`decide(READ, "deadline")`; never for outcome-only roles)."""

    required_scopes = "deadlines:read"

    @extend_schema(
        operation_id="cases_deadlines",
        responses=_responses(s.DeadlineSerializer(many=True), 404),
    )
    def get(self, request, reference):
        case = _case_or_404(request, reference)
        if not decide(request.user, READ, "deadline", case=case):
            raise Http404
        log_sensitive_read(
            user=request.user, obj=case, data_class=case.data_class, case=case,
            request=request,
        )  # fmt: skip
        rows = Deadline.objects.filter(case=case).order_by("end_date", "id")
        return Response(
            [
                {
                    "id": d.pk,
                    "title": d.title,
                    "legal_basis": d.legal_basis,
                    "end_date": d.end_date,
                    "state": d.state,
                    "obligation": d.obligation,
                }  # fmt: skip
                for d in rows
            ]
        )


class CaseDocuments(Endpoint):
    """The documents of a case the client reads (metadata)."""

    required_scopes = "documents:read"

    @extend_schema(
        operation_id="cases_documents",
        responses=_responses(s.DocumentSerializer(many=True), 404),
    )
    def get(self, request, reference):
        case = _case_or_404(request, reference)
        if not documents.readable_documents(request.user, case)[0]:
            raise Http404
        rows = documents.documents_for_user(request.user, case)
        return Response(
            [
                {
                    "id": d.pk,
                    "title": d.title,
                    "template_key": d.template_key,
                    "version": d.version,
                    "data_class": d.data_class,
                    "sha256": d.sha256,
                    "created_at": d.created_at,
                    "url": reverse("api:case_document", args=[reference, d.pk]),
                }  # fmt: skip
                for d in rows
            ]
        )


class CaseDocument(Endpoint):
    """Download one document (the decision point's EXPORT, logged as the
    page's download is: `documents.document_for_download`)."""

    required_scopes = "documents:read"

    @extend_schema(
        operation_id="cases_document_download",
        responses={200: BINARY, **_problems(404)},
    )
    def get(self, request, reference, pk):
        case = _case_or_404(request, reference)
        document = documents.document_for_download(
            user=request.user, case=case, pk=_id(pk), request=request
        )
        if document is None:
            raise Http404
        response = HttpResponse(bytes(document.content), content_type="application/pdf")
        filename = f"{case.reference}-{document.template_key}-v{document.version}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-SHA256"] = document.sha256
        return response


# --- Tasks (the integrale controle's partner tasks) -------------------------------


def _controle():
    from workflows.controle import models as controle

    return controle


def open_tasks(user, *, limit=200) -> list[dict]:
    """The client's open partner tasks on the cases it reads: its
    organisation's slots on a planned visit still to confirm, and the visits
    whose findings its organisation may record now (`may_record_finding`,
    the decision point's "finding" rule)."""
    controle = _controle()
    actor = actor_for(user)
    cases = Case.objects.for_user(user).filter(
        case_type=controle.CODE, closed_at__isnull=True
    )
    tasks = []
    slots = (
        controle.PartnerSlot.objects.filter(
            visit__case__in=cases,
            organisation_id=actor.organisation_id,
            confirmed=False,
        )  # fmt: skip
        .select_related("visit__case")
        .order_by("visit__planned_at", "pk")[:limit]
    )
    for slot in slots:
        if controle.visit_happened(slot.visit):
            continue
        case = slot.visit.case
        tasks.append(
            {
                "id": f"slot-{slot.pk}",
                "kind": "confirm_slot",
                "case": case.reference,
                "title": _("Confirm taking part in the visit"),
                "planned_at": slot.visit.planned_at,
                "url": reverse("api:slot_confirm", args=[case.reference, slot.pk]),
            }
        )
    for case in cases.filter(status__in=controle.FINDINGS_STATES)[:limit]:
        if controle.may_record_finding(user, case):
            visit = controle.current_visit(case)
            tasks.append(
                {
                    "id": f"findings-{case.reference}",
                    "kind": "record_findings",
                    "case": case.reference,
                    "title": _("Record your organisation's findings"),
                    "planned_at": visit.planned_at if visit else None,
                    "url": reverse("api:case_findings", args=[case.reference]),
                }
            )
    return tasks


class TaskList(Endpoint):
    """The organisation's open partner tasks on cases the client reads."""

    required_scopes = "tasks:read"

    @extend_schema(
        operation_id="tasks_list", responses=_responses(s.TaskSerializer(many=True))
    )
    def get(self, request):
        return Response(open_tasks(request.user))


class SlotConfirm(Endpoint):
    """Confirm the organisation's place on a planned visit
    (`controle.slot_confirm`: its own rules refuse)."""

    required_scopes = "tasks:write"

    @extend_schema(
        operation_id="tasks_slot_confirm",
        request=None,
        responses=_responses(s.SlotSerializer, 404, 422),
    )
    def post(self, request, reference, pk):
        controle = _controle()
        case = _case_or_404(request, reference)
        slot = (
            controle.PartnerSlot.objects.filter(visit__case=case, pk=_id(pk))
            .select_related("visit__case")
            .first()
        )
        if slot is None:
            raise Http404
        try:
            slot = controle.slot_confirm(slot=slot, user=request.user)
        except (PermissionDenied, ValidationError) as exc:
            return _refused(exc)
        return Response(
            {
                "id": slot.pk,
                "kind": slot.kind,
                "confirmed": slot.confirmed,
                "legal_basis": slot.legal_basis,
            }  # fmt: skip
        )


class CaseFindings(Endpoint):
    """Record the organisation's findings on a visit
    (`controle.finding_record`: its compartment, its data class; refused
    outside C40/C50)."""

    required_scopes = "tasks:write"

    @extend_schema(
        operation_id="tasks_findings_create",
        request=s.FindingInSerializer,
        responses=_responses(s.FindingSerializer, 400, 404, 422, status=201),
    )
    def post(self, request, reference):
        controle = _controle()
        case = _case_or_404(request, reference)
        if case.case_type != controle.CODE:
            raise Http404
        form = s.FindingInSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            finding = controle.finding_record(
                case=case, user=request.user, text=form.validated_data["text"],
                shareable=form.validated_data["shareable"],
            )  # fmt: skip
        except PermissionDenied as exc:
            return _refused(exc)
        except ValidationError as exc:
            if getattr(exc, "message", None) and not hasattr(exc, "message_dict"):
                return problem_response(422, " ".join(exc.messages))
            return _refused(exc)
        return Response(
            {
                "id": finding.pk,
                "case": case.reference,
                "data_class": finding.data_class,
                "shareable": finding.shareable,
                "recorded_at": finding.recorded_at,
            },  # fmt: skip
            status=201,
        )


# --- The documentation page --------------------------------------------------------


class ApiDocs(APIView):
    """The endpoints of the schema as one page, rendered here: no script
    and nothing fetched from elsewhere (the content security policy allows
    neither; drf-spectacular's Swagger and Redoc pages load theirs from a
    CDN). The schema itself is at /api/schema/."""

    authentication_classes: list = []
    permission_classes: list = []
    throttle_classes: list = []
    renderer_classes = [TemplateHTMLRenderer]

    @extend_schema(exclude=True)
    def get(self, request):
        from drf_spectacular.generators import SchemaGenerator

        schema = SchemaGenerator().get_schema(request=None, public=True)
        operations = []
        for route, methods in schema["paths"].items():
            for method, operation in methods.items():
                operations.append(
                    {
                        "method": method.upper(),
                        "path": route,
                        "description": operation.get("description", ""),
                        "scopes": ", ".join(
                            scope
                            for item in operation.get("security", [])
                            for scope in item.get("oauth2", [])
                        ),
                        "parameters": [
                            p["name"] for p in operation.get("parameters", [])
                        ],
                        "responses": sorted(operation.get("responses", {})),
                    }
                )
        return Response(
            {"info": schema["info"], "operations": operations},
            template_name="api/docs.html",
        )
