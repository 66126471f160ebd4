"""Reads on the case kernel. Every query starts from `for_user()` or from the
user's team rows, so nothing outside the user's cases can leak into a page."""

import re
from datetime import date, datetime
from functools import cached_property, lru_cache
from html import escape
from typing import NamedTuple
from urllib.parse import quote

from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from permissions.selectors import case_access_for_user

from .models import Case, CaseEvent, CaseLocation, CaseParty, CaseType, Signal

# What reverse() leaves unquoted in a path argument (django.urls.resolvers).
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"

PAGE_SIZE = 50

# The case list and Mijn werk count the user's cases up to this number and show
# "1000+" beyond it (docs/decisions/0010-bounded-case-count.md).
COUNT_LIMIT = 1000


class CaseCount(int):
    """The number of cases on the user's list, counted up to a bound.

    As an int it is the number of team rows counted (at most the bound + 1), so
    `page * per_page < total` still says whether there is a next page. As text
    (`str()`, and so `{{ total }}` in a template) it is the exact number, or
    "1000+" when there are more than `limit`.
    """

    def __new__(cls, value: int, limit: int):
        count = super().__new__(cls, value)
        count.limit = limit
        return count

    @property
    def capped(self) -> bool:
        return self > self.limit

    def __str__(self) -> str:
        # Templates print an int through str() while USE_THOUSAND_SEPARATOR is
        # off (Django's default, this project's setting).
        return f"{self.limit}+" if self.capped else int.__repr__(self)


def count_cases(access, *, at_least: int = 0) -> CaseCount:
    """COUNT over at most max(COUNT_LIMIT, at_least) + 1 of the user's team
    rows: an index-only scan that stops early, whoever the user is (counting
    all of a jurist's 20,000 team rows took 3–5 ms at 1M cases, the bounded
    count 0.5 ms). `at_least` is the end of the page being shown, so that on
    deep pages the count still tells whether a next page exists."""
    limit = COUNT_LIMIT
    bound = max(limit, at_least) + 1
    return CaseCount(access.order_by()[:bound].count(), limit)


class CaseRow(NamedTuple):
    """One line of the case table, with its labels and link resolved."""

    reference: str
    title: str
    case_type: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    url: str
    type_label: str
    status_label: str
    opened: str  # opened_at as the `date:"SHORT_DATE_FORMAT"` filter writes it


# The body row of templates/casework/_case_table.html, byte for byte; that
# template writes `cases.html` instead of running its loop (it keeps the loop
# for Case instances, e.g. search results). tests/casework/
# test_list_performance.py checks that both give the same HTML.
ROW_HTML = (
    '\n    <tr>\n      <td><a href="{url}">{reference}</a></td>\n'
    "      <td>{title}</td>\n      <td>{type_label}</td>\n"
    '      <td><span class="status">{status}</span> {status_label}{badge}</td>\n'
    "      <td>{opened}</td>\n    </tr>\n  "
)


# Labels, status codes and dates come from small sets: escape each once.
_escape_label = lru_cache(maxsize=4096)(escape)


class CaseRows(list):
    """The CaseRow list of one page, and its table body rendered once.

    Rendering 50 rows through the template language cost 8–14 ms (about 500
    variable lookups, a `reverse()`, two label lookups and a date filter per
    row); the same markup built here costs well under 1 ms.
    """

    @cached_property
    def html(self) -> SafeString:
        closed = escape(gettext("closed"))
        badge = f' <span class="badge">{closed}</span>'
        return SafeString(
            "".join(
                ROW_HTML.format(
                    url=escape(row.url),
                    reference=escape(row.reference),
                    title=escape(row.title),
                    type_label=_escape_label(row.type_label),
                    status=_escape_label(row.status),
                    status_label=_escape_label(row.status_label),
                    badge=badge if row.closed_at else "",
                    opened=_escape_label(row.opened),
                )
                for row in self
            )
        )


@lru_cache(maxsize=64)
def _labels(language: str | None) -> tuple[dict, dict]:
    """Case type and status labels in one language (what get_case_type_display
    and Case.status_label give)."""
    from workflows.registry import PROXIES

    types = {value: str(label) for value, label in CaseType.choices}
    statuses = {
        (case_type, value): str(label)
        for case_type, proxy in PROXIES.items()
        for value, label in proxy.Status.choices
    }
    return types, statuses


@lru_cache(maxsize=8192)
def _short_date(language: str | None, day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _case_url_parts() -> tuple[str, str]:
    """The case page's URL around its reference, from one reverse() (the
    script prefix may differ per request)."""
    marker = "REFERENCE"
    prefix, _, suffix = reverse("casework:case_detail", args=[marker]).partition(marker)
    return prefix, suffix


def case_rows(values) -> CaseRows:
    """CaseRows from (reference, title, case_type, status, opened_at,
    closed_at) tuples."""
    language = get_language()
    types, statuses = _labels(language)
    prefix, suffix = _case_url_parts()
    tz = timezone.get_current_timezone()
    rows = CaseRows()
    for reference, title, case_type, status, opened_at, closed_at in values:
        rows.append(
            CaseRow(
                reference,
                title,
                case_type,
                status,
                opened_at,
                closed_at,
                prefix + quote(reference, safe=URL_SAFE) + suffix,
                types.get(case_type, case_type),
                statuses.get((case_type, status), status),
                _short_date(language, opened_at.astimezone(tz).date()),
            )
        )
    return rows


def case_page(
    user, *, case_type="", status="", team_role="", page=1, per_page=PAGE_SIZE
):
    """One page of the user's cases, newest first, and how many there are.

    Paging and counting read the user's team rows (index user, sort key, case);
    the count is never a COUNT(*) over the case table, and it stops at
    COUNT_LIMIT (see CaseCount). The page is CaseRows: six columns of the case,
    no model instances.
    """
    access = case_access_for_user(user)
    if case_type:
        access = access.filter(case_type=case_type)
    if team_role:
        access = access.filter(team_role=team_role)
    if status:
        access = access.filter(case__status=status)
    offset = (page - 1) * per_page
    total = count_cases(access, at_least=offset + per_page)
    values = access.values_list(
        "case__reference",
        "case__title",
        "case__case_type",
        "case__status",
        "case__opened_at",
        "case__closed_at",
    )[offset : offset + per_page]
    return case_rows(values), total


def case_for_user(user, reference: str) -> Case:
    """The case, or 404 when it does not exist or the user may not see it."""
    try:
        return (
            Case.objects.for_user(user)
            .select_related("responsible_organisation", "parent", "created_by")
            .get(reference=reference)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def case_parties(case):
    return CaseParty.objects.filter(case=case).select_related("party").order_by("role")


def case_locations(case):
    return (
        CaseLocation.objects.filter(case=case)
        .select_related("location")
        .order_by("role")
    )


def case_timeline(case, limit=200):
    return (
        CaseEvent.objects.filter(case=case)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def linked_cases(user, case):
    """Parent, children and related cases, only those the user may see."""
    ids = set(case.children.values_list("pk", flat=True))
    if case.parent_id:
        ids.add(case.parent_id)
    ids.update(case.links_out.values_list("to_case_id", flat=True))
    ids.update(case.links_in.values_list("from_case_id", flat=True))
    if not ids:
        return []
    return list(Case.objects.for_user(user).filter(pk__in=ids).order_by("-opened_at"))


def case_signals(user, case):
    return Signal.objects.for_user(user).filter(cases=case).order_by("-received_on")


def signals_for_triage(user, limit=50):
    return (
        Signal.objects.for_user(user)
        .filter(status__in=[Signal.Status.NEW, Signal.Status.TRIAGE])
        .select_related("source_organisation")
        .order_by("-received_on", "-id")[:limit]
    )


def signal_list(user, *, status="", limit=200):
    qs = Signal.objects.for_user(user).select_related("source_organisation")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-received_on", "-id")[:limit]


def signal_for_user(user, reference: str) -> Signal:
    try:
        return (
            Signal.objects.for_user(user)
            .select_related("source_organisation", "registered_by")
            .prefetch_related(
                "shared_with",
                "parties",
                "locations",
                Prefetch("cases", queryset=Case.objects.for_user(user)),
            )
            .get(reference=reference)
        )
    except Signal.DoesNotExist as exc:
        raise Http404 from exc


POSTCODE_NUMBER = re.compile(
    r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})\s*(\d+)\s*([A-Za-z]?)\s*$"
)
REFERENCE = re.compile(r"^\d{4}-[A-Z]{2,4}-\d{1,6}$")


def search_cases(user, query: str, limit=50):
    """Search the user's cases by reference, party name, or postcode + number."""
    query = (query or "").strip()
    if not query:
        return []
    visible = Case.objects.for_user(user)
    match = POSTCODE_NUMBER.match(query)
    if match:
        postcode = f"{match[1]} {match[2].upper()}"
        condition = Q(
            locations__location__postcode=postcode,
            locations__location__house_number=int(match[3]),
        )
        if match[4]:
            condition &= Q(locations__location__addition=match[4].upper())
    elif REFERENCE.match(query.upper()):
        condition = Q(reference=query.upper())
    else:
        condition = Q(parties__party__name__icontains=query) | Q(
            reference__icontains=query
        )
    return list(
        visible.filter(condition)
        .select_related("responsible_organisation")
        .distinct()
        .order_by("-opened_at")[:limit]
    )
