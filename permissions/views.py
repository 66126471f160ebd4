from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import AccessLog, AccessLogVerification
from .policy import READ, actor_for, role_actions
from .selectors import access_log_for_user
from .services import log_access

OBJECT_ID_LENGTH = AccessLog._meta.get_field("object_id").max_length

# A bounded page (50 rows), newest first; further pages by keyset (`after`), never by
# OFFSET: every filter is one index range (models.AccessLog.Meta.indexes), so
# a page costs the same at 2M rows as at 2k (docs/access.md).
PAGE = 50


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _cursor(value: str) -> tuple[datetime, int] | None:
    """`after` = "<microseconds since the epoch>.<id>" of the last row shown."""
    try:
        micros, pk = (int(part) for part in value.split("."))
    except ValueError:
        return None
    moment = datetime.fromtimestamp(0, tz=timezone.get_fixed_timezone(0))
    return moment + timedelta(microseconds=micros), pk


def _cursor_of(entry) -> str:
    epoch = datetime.fromtimestamp(0, tz=timezone.get_fixed_timezone(0))
    delta = entry.timestamp - epoch
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{entry.pk}"


@require_GET
def access_log(request):
    """The access log (D9): FG/auditor only; everyone else gets 404."""
    if READ not in role_actions(actor_for(request.user).role, "D9"):
        raise Http404
    entries = access_log_for_user(request.user)
    username = request.GET.get("user", "").strip()
    reference = request.GET.get("case", "").strip()
    raw_from = request.GET.get("from", "").strip()
    raw_to = request.GET.get("to", "").strip()
    date_from, date_to = _day(raw_from), _day(raw_to)
    if username:
        entries = entries.filter(username=username)
    if reference:
        entries = entries.filter(case_reference=reference)
    if date_from:
        entries = entries.filter(timestamp__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(timestamp__lt=_start_of(date_to + timedelta(days=1)))
    after = _cursor(request.GET.get("after", ""))
    if after:
        moment, pk = after
        # The index range stays `timestamp <= moment`; the row itself and
        # its equal-time neighbours already shown are left out.
        entries = entries.filter(timestamp__lte=moment).exclude(
            Q(timestamp=moment, id__gte=pk)
        )
    rows = list(entries.order_by("-timestamp", "-id")[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    # The FG's own reads are logged too (the log is D9): which filter, and
    # how far down the keyset, so the FG's reading can itself be audited.
    log_access(
        user=request.user,
        action=AccessLog.Action.READ,
        object_type="access_log",
        object_id=urlencode(
            [
                (key, value)
                for key, value in (
                    ("user", username),
                    ("case", reference),
                    ("from", raw_from),
                    ("to", raw_to),
                    ("after", request.GET.get("after", "")),
                    ("rows", str(len(rows))),
                )
                if value
            ]
        )[:OBJECT_ID_LENGTH],
        data_class="D9",
        request=request,
    )
    query = request.GET.copy()
    query.pop("after", None)
    if more:
        query["after"] = _cursor_of(rows[-1])
    context = {
        "entries": rows,
        "user_filter": username,
        "case_filter": reference,
        "from_filter": raw_from,
        "to_filter": raw_to,
        "bad_date": bool((raw_from and not date_from) or (raw_to and not date_to)),
        "next_cursor": query["after"] if more else "",
        "next_query": query.urlencode() if more else "",
        "verification": AccessLogVerification.objects.first(),
    }
    return render(request, "permissions/access_log.html", context)
