"""JSON logs with a request id (docs/deploy.md, "Logs").

Every request gets an id: the `X-Request-ID` header a proxy in front set, when
it is well-formed and TRUST_REQUEST_ID is on, else a new random one. It is
answered in the response's `X-Request-ID` header (so gunicorn's access log
line carries it too) and added to every log record written while the request
runs, so the lines of one request can be found together.

Nothing here imports Django at module level: gunicorn's master process loads
the formatter and filters (deploy/gunicorn.conf.py) before any app is set up.
"""

import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# What a proxy's id may look like: a UUID, a hex string, Heroku- or
# nginx-style ids. Anything else (newlines, NUL bytes, megabytes) is replaced,
# never copied into a log line or a response header.
VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")
NO_REQUEST = "-"

_request_id: ContextVar[str] = ContextVar("casework_request_id", default=NO_REQUEST)


def current_request_id() -> str:
    """The id of the request this code runs in ("-" outside a request)."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Sets the request id for the request's logs and answers it in the
    response. First in MIDDLEWARE, so every line of the request has it."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.trust_header = getattr(settings, "TRUST_REQUEST_ID", True)

    def __call__(self, request):
        incoming = request.META.get(META_KEY, "")
        if self.trust_header and VALID_ID.fullmatch(incoming):
            request_id = incoming
        else:
            request_id = new_request_id()
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (used by the formatters)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id()
        return True


class GunicornAccessFilter(logging.Filter):
    """Turns gunicorn's access-log atoms into fields of the JSON line.

    gunicorn logs each request as `access_log_format % atoms`, with the atoms
    as the record's args. The query string is left out on purpose: search
    terms (names, BSNs) must not end up in the logs.
    """

    FIELDS = {
        "method": "m",
        "path": "U",
        "status": "s",
        "bytes": "B",
        "duration_ms": "M",
        "remote_addr": "h",
        "user_agent": "a",
    }

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if isinstance(atoms, dict):
            for name, atom in self.FIELDS.items():
                setattr(record, name, atoms.get(atom))
            request_id = atoms.get("{x-request-id}o")
            record.request_id = request_id or NO_REQUEST
        return True


class JsonFormatter(_JsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id and
    any `extra` fields. Django's `request` extra (the request object, whose
    text includes the query string) is left out."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s"
        )
        kwargs.setdefault(
            "rename_fields",
            {"asctime": "time", "levelname": "level", "name": "logger"},
        )
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def formatTime(self, record, datefmt=None):  # noqa: N802 - logging's name
        """ISO 8601 in UTC, whatever TIME_ZONE the process runs in."""
        moment = datetime.fromtimestamp(record.created, tz=UTC)
        return moment.isoformat(timespec="milliseconds")
