from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import BadRequest
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


# The period a filter may name: the log began in this century; a far date is
# a typing error (and 9999-12-31 plus a day overflows the calendar).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2200, 12, 31)


class AccessLogFilterForm(forms.Form):
    """The filters of /audit/: their shape only. A NUL byte (refused by
    every CharField) or an over-long value is a malformed request (400); a
    malformed or far date leaves the period unapplied, with a message."""

    user = forms.CharField(required=False, max_length=150)
    case = forms.CharField(
        required=False,
        max_length=AccessLog._meta.get_field("case_reference").max_length,
    )
    # Shown back and parsed by `_day`, so a wrong date is a message, not a 400.
    from_ = forms.CharField(required=False, max_length=32)
    to = forms.CharField(required=False, max_length=32)
    after = forms.RegexField(
        required=False, max_length=40, regex=r"^[0-9]{1,18}\.[0-9]{1,18}$"
    )

    def clean_after(self):
        return (
            _cursor(self.cleaned_data["after"]) if self.cleaned_data["after"] else None
        )


def _day(value: str) -> date | None:
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is None or FIRST_DAY <= day <= LAST_DAY else None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _cursor(value: str) -> tuple[datetime, int] | None:
    """`after` = "<microseconds since the epoch>.<id>" of the last row shown;
    a moment outside the period a filter may name is refused."""
    micros, pk = (int(part) for part in value.split("."))
    moment = datetime.fromtimestamp(0, tz=timezone.get_fixed_timezone(0))
    try:
        moment += timedelta(microseconds=micros)
    except OverflowError:
        raise forms.ValidationError("after", code="invalid") from None
    if moment.date() > LAST_DAY:
        raise forms.ValidationError("after", code="invalid")
    return moment, pk


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
    form = AccessLogFilterForm(
        {**request.GET.dict(), "from_": request.GET.get("from", "")}
    )
    if not form.is_valid():
        raise BadRequest("malformed access log filter")
    username = form.cleaned_data["user"].strip()
    reference = form.cleaned_data["case"].strip()
    raw_from = form.cleaned_data["from_"].strip()
    raw_to = form.cleaned_data["to"].strip()
    date_from, date_to = _day(raw_from), _day(raw_to)
    if username:
        entries = entries.filter(username=username)
    if reference:
        entries = entries.filter(case_reference=reference)
    if date_from:
        entries = entries.filter(timestamp__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(timestamp__lt=_start_of(date_to + timedelta(days=1)))
    after = form.cleaned_data["after"]
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
