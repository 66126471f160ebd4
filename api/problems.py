"""Errors as RFC 9457 problem details (`application/problem+json`): type,
title, status, detail, and for a refused input `errors` per field; a refusal
of the law or of a rule also names the rule (`rule`). Every 4xx of the API
comes through here, 401, 403, 404, 405, 406, 415 and 429 included
(docs/api.md "Errors")."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:casework:problem:"

TYPES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    415: "unsupported-media-type",
    422: "refused",
    429: "too-many-requests",
}


def problem(status_code: int, detail: str, *, title: str = "", kind: str = "", **more):
    """The problem document (a dict) for one error."""
    body = {
        "type": TYPE_PREFIX + (kind or TYPES.get(status_code, "error")),
        "title": title or _title(status_code),
        "status": status_code,
        "detail": str(detail),
    }
    body.update({key: value for key, value in more.items() if value is not None})
    return body


def _title(status_code: int) -> str:
    titles = {
        400: _("The request is not valid"),
        401: _("Authentication required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        415: _("Unsupported media type"),
        422: _("Refused by a rule"),
        429: _("Too many requests"),
    }
    return titles.get(status_code, _("Error"))


def problem_response(status_code: int, detail: str, *, headers=None, **more):
    return Response(
        problem(status_code, detail, **more),
        status=status_code,
        content_type=PROBLEM_JSON,
        headers=headers,
    )


def _field_errors(detail) -> dict:
    """DRF's validation detail as {field: [messages]} ("non_field_errors"
    for the request as a whole)."""
    if isinstance(detail, dict):
        out = {}
        for field, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _field_errors(value).items():
                    out[f"{field}.{sub}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub, messages in _field_errors(item).items():
                        out[f"{field}[{index}].{sub}"] = messages
            else:
                values = value if isinstance(value, list) else [value]
                out[field] = [str(v) for v in values]
        return out
    values = detail if isinstance(detail, list) else [detail]
    return {"non_field_errors": [str(v) for v in values]}


def exception_handler(exc, context):
    """REST framework's exception handler, answering problem details."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's 500
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    request = context.get("request")
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        authenticator = request and request.authenticators and request.authenticators[0]
        if authenticator:
            headers["WWW-Authenticate"] = authenticator.authenticate_header(request)
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            status.HTTP_400_BAD_REQUEST,
            _("One or more fields are not valid."),
            errors=_field_errors(exc.detail),
            headers=headers,
        )
    detail = exc.detail
    if isinstance(detail, list | dict):
        detail = "; ".join(str(v) for v in _field_errors(detail).values())
    return problem_response(exc.status_code, str(detail), headers=headers)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any URL under /api/ that names no endpoint."""
    return JsonResponse(
        problem(404, _("No endpoint at this address.")),
        status=404,
        content_type=PROBLEM_JSON,
    )
