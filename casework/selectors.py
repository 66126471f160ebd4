"""Reads on the case kernel. Every query starts from `for_user()` or from the
user's team rows, so nothing outside the user's cases can leak into a page."""

import re

from django.db.models import Prefetch, Q
from django.http import Http404

from permissions.selectors import case_access_for_user

from .models import Case, CaseEvent, CaseLocation, CaseParty, Signal

PAGE_SIZE = 50


def case_page(
    user, *, case_type="", status="", team_role="", page=1, per_page=PAGE_SIZE
):
    """One page of the user's cases, newest first, and the number of cases.

    Paging and counting read the user's team rows (index user, sort key, case);
    the count is never a COUNT(*) over the case table.
    """
    access = case_access_for_user(user)
    if case_type:
        access = access.filter(case_type=case_type)
    if team_role:
        access = access.filter(team_role=team_role)
    if status:
        access = access.filter(case__status=status)
    total = access.count()
    offset = (page - 1) * per_page
    rows = list(
        access.select_related("case", "case__responsible_organisation")[
            offset : offset + per_page
        ]
    )
    return [row.case for row in rows], total


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
