"""Reads on the case kernel. Every query starts from `for_user()` or from the
user's team rows, so nothing outside the user's cases can leak into a page."""

from datetime import date
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import quote

from django.db import connection
from django.db.models import DEFERRED, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language, gettext

from permissions.models import CaseAccess, Organisation
from permissions.policy import actor_for
from permissions.selectors import (
    visible_case_sql,
    visible_signal_sql,
)
from permissions.services import prime_case_grants

from .models import (
    Case,
    CaseEvent,
    CaseLink,
    CaseLocation,
    CaseParty,
    Deadline,
    Location,
    Party,
    Signal,
)
from .registry import registry

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


class Row(dict):
    """A row a template prints: a dict whose keys read as attributes too
    (`row.reference`). Django's template lookup tries `row["url"]` first and
    only then getattr, so a dict is found at once (see CaseRow)."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def rule_key(rule: dict) -> tuple:
    """The decision point's lookups (`team_row_lookups`) as a cache key:
    lists as tuples, in name order."""
    return tuple(
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in sorted(rule.items())
    )


class CaseRow(Row):
    """One line of the case table, with its labels and link resolved.

    Like every row below: plain text, not escaped; the template escapes it
    (autoescape) and only prints. A dict whose keys read as attributes too
    (`row.reference`): Django's template lookup tries `row["url"]` first and
    only then getattr, so a dict is found at once where a NamedTuple costs a
    failed subscript per cell (50 rows × 8 cells: 0.25 ms of 1.25 ms,
    docs/performance.md). The keys:

    reference, title, case_type, status: the case's columns
    opened_at, closed_at: datetimes
    url: the case page
    type_label, status_label: in the request's language
    opened: opened_at as the `date:"SHORT_DATE_FORMAT"` filter writes it
    data_class: the case's class; a page that shows a D3+ row (a PGA title
        names a person) writes one access-log row
        (`casework.views.log_page_read`)
    """

    __slots__ = ()


@lru_cache(maxsize=64)
def _labels(language: str | None) -> tuple[dict, dict]:
    """Case type and status labels in one language (what get_case_type_display
    and Case.status_label give)."""
    types = {code: str(label) for code, label in registry.type_choices()}
    statuses = {
        (code, value): str(label)
        for code, entry in registry.case_types.items()
        for value, label in entry.status_choices()
    }
    return types, statuses


@lru_cache(maxsize=8192)
def short_date(language: str | None, day: date) -> str:
    """A date as the lists print it (SHORT_DATE_FORMAT of the active
    language)."""
    return date_format(day, "SHORT_DATE_FORMAT")


def url_parts(name: str) -> tuple[str, str]:
    """The URL `name` around its one reference argument, from one reverse()
    (the script prefix may differ per request)."""
    marker = "REFERENCE"
    prefix, _, suffix = reverse(name, args=[marker]).partition(marker)
    return prefix, suffix


def reference_url(name: str):
    """`reference -> reverse(name, args=[reference])`, reversed once: for a
    page that links many rows."""
    prefix, suffix = url_parts(name)
    return lambda reference: prefix + quote(reference, safe=URL_SAFE) + suffix


def _case_url_parts() -> tuple[str, str]:
    """The case page's URL around its reference."""
    return url_parts("casework:case_detail")


def case_rows(values) -> list[CaseRow]:
    """CaseRow for each (reference, title, case_type, status, opened_at,
    closed_at, data_class) tuple: labels, URL and date resolved once per row,
    so that templates/casework/_case_table.html only prints them."""
    language = get_language()
    types, statuses = _labels(language)
    prefix, suffix = _case_url_parts()
    tz = timezone.get_current_timezone()
    rows = []
    for reference, title, case_type, status, opened_at, closed_at, cls in values:
        rows.append(
            CaseRow(
                reference=reference,
                title=title,
                case_type=case_type,
                status=status,
                opened_at=opened_at,
                closed_at=closed_at,
                url=prefix + quote(reference, safe=URL_SAFE) + suffix,
                type_label=types.get(case_type, case_type),
                status_label=statuses.get((case_type, status), status),
                opened=short_date(language, opened_at.astimezone(tz).date()),
                data_class=cls,
            )
        )
    return rows


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


# The case page ---------------------------------------------------------------

# Sections of the case page that have a query of their own, each read only
# when the case has rows there. flag → (model label, column that points at the
# case); several entries under one flag are OR-ed.
PAGE_SECTIONS = {
    "has_links": (
        ("casework.Case", "parent_id"),
        ("casework.CaseLink", "from_case_id"),
        ("casework.CaseLink", "to_case_id"),
    ),
    "has_parties": (("casework.CaseParty", "case_id"),),
    "has_locations": (("casework.CaseLocation", "case_id"),),
    "has_deadlines": (("casework.Deadline", "case_id"),),
    "has_documents": (("casework.Document", "case_id"),),
    "has_signals": (("casework.Signal_cases", "case_id"),),
    "has_process": (("casework.CaseProcess", "case_id"),),
}


def page_sections() -> dict[str, tuple[tuple[str, str], ...]]:
    """The kernel's sections and those the case types registered (their
    panels read `case.sections[flag]` to skip an empty section's query)."""
    sections = dict(PAGE_SECTIONS)
    for section in registry.sections:
        sections[section.flag] = ((section.model, section.case_column),)
    return sections


@lru_cache(maxsize=32)
def _case_page_sql(vendor: str, join: str, where: str) -> str:
    """The case by reference, joined to the user's own team row (the policy's
    object check: on the team, and the role may read the case's data class),
    with the user's team role, the responsible organisation and one EXISTS
    per section. Written out by hand: as an ORM query with these ten EXISTS
    it cost 2.5 ms to build and run, as SQL 0.7 ms (docs/performance.md)."""
    from django.apps import apps
    from django.db import connection

    qn = connection.ops.quote_name
    columns = ", ".join(f"c.{qn(field.column)}" for field in Case._meta.concrete_fields)
    flags = []
    for flag, sources in page_sections().items():
        probes = " OR ".join(
            f"EXISTS (SELECT 1 FROM {qn(apps.get_model(label)._meta.db_table)} x "
            f"WHERE x.{qn(column)} = c.{qn('id')})"
            for label, column in sources
        )
        flags.append(f"({probes}) AS {flag}")
    return (
        f"SELECT {columns}, a.team_role AS my_team_role, "
        f"o.name AS organisation_name, o.kind AS organisation_kind, "
        + ", ".join(flags)
        + f" FROM {qn(Case._meta.db_table)} c {join}"
        f" JOIN {qn(Organisation._meta.db_table)} o"
        f" ON o.id = c.responsible_organisation_id"
        f" WHERE c.reference = %s AND {where}"
    )


def case_for_page(user, reference: str) -> Case:
    """The case for its own page, or 404 as `case_for_user`: the same policy
    (the user's team row, and a data class the role may read) in one query
    that also brings the user's team role and which sections have rows
    (`case.sections`). The team role answers the grant checks of this request
    (`permissions.services.prime_case_grants`), so the page reads no guardian
    rows."""
    from django.db import connection

    visible = visible_case_sql(user)
    if visible is None:
        raise Http404
    sql = _case_page_sql(connection.vendor, visible.join, visible.where)
    params = [*visible.join_params, reference, *visible.where_params]
    rows = list(Case.objects.raw(sql, params))
    if not rows:
        raise Http404
    case = rows[0]
    case.responsible_organisation = _loaded(
        Organisation,
        case._state.db,
        id=case.responsible_organisation_id,
        name=case.organisation_name,
        kind=case.organisation_kind,
    )
    case.sections = {flag: bool(getattr(case, flag)) for flag in page_sections()}
    case.sections["has_links"] |= case.parent_id is not None
    prime_case_grants(user, case, case.my_team_role)
    return case


# Ties are broken by the order rows were added (the id), as the case page's
# hand-written reads below do.


def case_parties(case):
    return (
        CaseParty.objects.filter(case=case)
        .select_related("party")
        .order_by("role", "id")
    )


def case_locations(case):
    return (
        CaseLocation.objects.filter(case=case)
        .select_related("location")
        .order_by("role", "id")
    )


def case_timeline(case, limit=200):
    return (
        CaseEvent.objects.filter(case=case)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


# The case page's panels, read by hand-written SQL (as `case_for_page`): the
# same rows, order and model instances as the querysets above, which each cost
# 0.5–0.8 ms to build and run at every size; the fields a panel does not show
# are deferred, so a template that reads one more still gets it.


def _loaded(model, db: str, **values):
    """A `model` instance as if read from `db`, with only these fields."""
    return model.from_db(
        db,
        list(values),
        [values.get(f.attname, DEFERRED) for f in model._meta.concrete_fields],
    )


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _table(model) -> str:
    from django.db import connection

    return connection.ops.quote_name(model._meta.db_table)


class PartyRow(NamedTuple):
    """One party of the case page, with its role's label."""

    pk: int  # the CaseParty
    name: str
    role: str
    kvk_number: str
    born: str  # date of birth in SHORT_DATE_FORMAT, or ""


class LocationRow(NamedTuple):
    """One location of the case page, with its role's label."""

    pk: int  # the CaseLocation
    location: str  # str(Location)
    role: str
    area: str


@lru_cache(maxsize=64)
def _choice_labels(model, field: str, language: str | None) -> dict:
    """model.get_<field>_display for every choice, in one language."""
    return {
        value: str(label) for value, label in model._meta.get_field(field).flatchoices
    }


def page_parties(case) -> list[PartyRow]:
    """`case_parties(case)`, ordered by role and then as added, as
    PartyRow."""
    sql = (
        "SELECT p.id, p.kind, p.name, p.date_of_birth, p.kvk_number, "
        "cp.id AS link_id, cp.role AS link_role "
        f"FROM {_table(CaseParty)} cp JOIN {_table(Party)} p ON p.id = cp.party_id "
        "WHERE cp.case_id = %s ORDER BY cp.role, cp.id"
    )
    roles = _choice_labels(CaseParty, "role", get_language())
    return [
        PartyRow(
            party.link_id,
            party.name,
            roles.get(party.link_role, party.link_role),
            party.kvk_number,
            date_format(party.date_of_birth, "SHORT_DATE_FORMAT")
            if party.date_of_birth
            else "",
        )
        for party in Party.objects.raw(sql, [case.pk])
    ]


def page_locations(case) -> list[LocationRow]:
    """`case_locations(case)`, ordered by role and then as added, as
    LocationRow."""
    sql = (
        "SELECT l.id, l.street, l.postcode, l.house_number, l.addition, l.city, "
        "l.area, cl.id AS link_id, cl.role AS link_role "
        f"FROM {_table(CaseLocation)} cl "
        f"JOIN {_table(Location)} l ON l.id = cl.location_id "
        "WHERE cl.case_id = %s ORDER BY cl.role, cl.id"
    )
    roles = _choice_labels(CaseLocation, "role", get_language())
    return [
        LocationRow(
            location.link_id,
            str(location),
            roles.get(location.link_role, location.link_role),
            location.area,
        )
        for location in Location.objects.raw(sql, [case.pk])
    ]


# The case page's panels as rows: each value resolved here (URL, label in the
# request's language, date as the template's `date` filter would write it) and
# printed by the loops of templates/casework/case_detail.html, autoescaped
# there. Resolving per row what the template loops looked up per row
# (`{% url %}`, `get_absolute_url`, `get_..._display`, the `date` filter, a
# related instance) is what made those loops slow (0.02-0.12 ms per row); a
# loop that only prints plain fields costs a few microseconds per value
# (docs/performance.md, "Rows first, then templates").


class EventRow(NamedTuple):
    """One entry of the case page's history."""

    pk: int
    iso: str  # the local time as the `date:'c'` filter writes it
    at: str  # the local time in the language's DATETIME_FORMAT
    actor: str  # full name, else username
    kind: str  # CaseEvent.Kind
    kind_label: str
    change: str  # "from → to" ("–" for no from status), or ""
    note: str


@lru_cache(maxsize=16)
def _event_kinds(language: str | None) -> dict:
    """CaseEvent.get_kind_display for every kind, in one language."""
    return {value: str(label) for value, label in CaseEvent.Kind.choices}


def page_timeline(case, limit=200) -> list[EventRow]:
    """`case_timeline(case)`: the newest `limit` events with their actor, as
    EventRow."""
    from django.contrib.auth import get_user_model
    from django.utils.dateformat import format as format_date
    from django.utils.formats import get_format

    user_model = get_user_model()
    sql = (
        "SELECT e.id, e.case_id, e.at, e.actor_id, e.kind, e.from_status, "
        "e.to_status, e.note, u.username AS actor_username, "
        "u.first_name AS actor_first_name, u.last_name AS actor_last_name "
        f"FROM {_table(CaseEvent)} e JOIN {_table(user_model)} u ON u.id = e.actor_id "
        f"WHERE e.case_id = %s ORDER BY e.at DESC, e.id DESC LIMIT {int(limit)}"
    )
    # What the `date` filter does: the local time, then "c" (isoformat) and
    # the language's DATETIME_FORMAT.
    shown = get_format("DATETIME_FORMAT")
    kinds = _event_kinds(get_language())
    rows = []
    for event in CaseEvent.objects.raw(sql, [case.pk]):
        at = timezone.template_localtime(event.at)
        full_name = f"{event.actor_first_name} {event.actor_last_name}".strip()
        rows.append(
            EventRow(
                event.pk,
                at.isoformat(),
                format_date(at, shown),
                full_name or event.actor_username,
                event.kind,
                kinds.get(event.kind, event.kind),
                f"{event.from_status or '–'} → {event.to_status}"
                if event.from_status or event.to_status
                else "",
                event.note,
            )
        )
    return rows


def page_team(case) -> list:
    """`permissions.selectors.team_for_case(case)`: team rows with user and
    organisation, by team role and username."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    sql = (
        "SELECT a.id, a.user_id, a.case_id, a.organisation_id, a.team_role, "
        "u.username AS user_username, u.first_name AS user_first_name, "
        "u.last_name AS user_last_name, o.name AS organisation_name, "
        "o.kind AS organisation_kind "
        f"FROM {_table(CaseAccess)} a JOIN {_table(user_model)} u ON u.id = a.user_id "
        f"JOIN {_table(Organisation)} o ON o.id = a.organisation_id "
        "WHERE a.case_id = %s ORDER BY a.team_role, u.username"
    )
    members = list(CaseAccess.objects.raw(sql, [case.pk]))
    for member in members:
        db = member._state.db
        member.user = _loaded(
            user_model,
            db,
            id=member.user_id,
            username=member.user_username,
            first_name=member.user_first_name,
            last_name=member.user_last_name,
        )
        member.organisation = _loaded(
            Organisation,
            db,
            id=member.organisation_id,
            name=member.organisation_name,
            kind=member.organisation_kind,
        )
    return members


def linked_cases(user, case):
    """Parent, children and related cases, only those the user may see: one
    query, the ids of the four kinds of link as one UNION ALL subquery."""
    ids = [
        Case.objects.filter(parent_id=case.pk).values("pk"),
        CaseLink.objects.filter(from_case_id=case.pk).values("to_case_id"),
        CaseLink.objects.filter(to_case_id=case.pk).values("from_case_id"),
    ]
    if case.parent_id:
        ids.append(Case.objects.filter(pk=case.parent_id).values("pk"))
    return list(
        Case.objects.for_user(user)
        .filter(pk__in=ids[0].union(*ids[1:], all=True))
        .order_by("-opened_at")
    )


class LinkedRow(NamedTuple):
    """One linked case of the case page."""

    pk: int
    url: str
    reference: str
    title: str
    relation: str  # "parent case", "child case" (translated) or ""


def page_linked(user, case) -> list[LinkedRow]:
    """`linked_cases(user, case)` for the case page, by hand-written SQL with
    the policy of `Case.for_user` (2 ms as the ORM query, 0.4 ms so): the
    linked case's id, reference, title and parent. As LinkedRow."""
    visible = visible_case_sql(user)
    if visible is None:
        return []
    links = _table(CaseLink)
    sql = (
        "SELECT c.id, c.reference, c.title, c.parent_id, c.opened_at "
        f"FROM {_table(Case)} c {visible.join} "
        f"WHERE {visible.where} AND c.id IN ("
        f"SELECT k.id FROM {_table(Case)} k WHERE k.parent_id = %s "
        f"UNION ALL SELECT l.to_case_id FROM {links} l WHERE l.from_case_id = %s "
        f"UNION ALL SELECT l.from_case_id FROM {links} l WHERE l.to_case_id = %s "
        f"UNION ALL SELECT p.id FROM {_table(Case)} p WHERE p.id = %s"
        ") ORDER BY c.opened_at DESC, c.id DESC"
    )
    params = [
        *visible.join_params,
        *visible.where_params,
        case.pk,
        case.pk,
        case.pk,
        case.parent_id,
    ]
    # Plain calls, not inside an expression: makemessages must see them.
    parent = gettext("parent case")
    child = gettext("child case")
    prefix, suffix = _case_url_parts()
    return [
        LinkedRow(
            other.pk,
            prefix + quote(other.reference, safe=URL_SAFE) + suffix,
            other.reference,
            other.title,
            parent
            if other.pk == case.parent_id
            else child
            if other.parent_id == case.pk
            else "",
        )
        for other in Case.objects.raw(sql, params)
    ]


def my_deadlines(user, *, limit=20, today: date | None = None) -> list:
    """Mijn werk's deadlines: the first `limit` rows of
    `casework.deadlines.deadlines_for_user(user)` (open deadlines the user owns
    on cases the user may still see, past their end or ending within the
    reminder horizon, by end date), with each deadline's case reference and
    what the table prints: `url`, `case_url`, `end` (SHORT_DATE_FORMAT),
    `past` (ended before `today`) and `state_label`.

    The same policy and filter as hand-written SQL: the case joined to the
    user's team row and a data class the role may read, as `Case.for_user`.
    The ORM form (a `case__in` subquery of `for_user` and `select_related`)
    cost 1.5 ms to build and run, this 0.5 ms (docs/performance.md).
    """
    from . import deadlines

    actor = actor_for(user)
    visible = visible_case_sql(user)
    if visible is None:
        return []
    today = today or timezone.localdate()
    horizon = deadlines.working_days_ahead(
        today, deadlines.reminder_working_days(), deadlines.equated_holidays()
    )
    states = [
        Deadline.State.OPEN,
        Deadline.State.SUSPENDED,
        Deadline.State.MISSED,
        Deadline.State.LAPSED,
    ]
    sql = (
        "SELECT d.id, d.case_id, d.title, d.end_date, d.state, d.obligation, "
        "c.reference AS case_reference, c.data_class AS case_data_class "
        f"FROM {_table(Deadline)} d JOIN {_table(Case)} c ON c.id = d.case_id "
        f"{visible.join} "
        f"WHERE d.owner_id = %s AND d.state IN ({_marks(states)}) "
        f"AND d.end_date <= %s AND {visible.where} "
        # The bound a literal (`LIMITS`).
        f"ORDER BY d.end_date, d.id LIMIT {int(limit)}"
    )
    params = [
        *visible.join_params,
        actor.user_id,
        *states,
        horizon,
        *visible.where_params,
    ]
    rows = list(Deadline.objects.raw(sql, params))
    # What the table prints, resolved once per row: both links, the end date,
    # whether it has passed, the state's label.
    language = get_language()
    case_prefix, case_suffix = _case_url_parts()
    head, _m, rest = reverse(
        "casework:deadline_detail", args=["REFERENCE", 999999999]
    ).partition("REFERENCE")
    middle, _m, tail = rest.partition("999999999")
    state_labels = _choice_labels(Deadline, "state", language)
    for row in rows:
        row.case = _loaded(
            Case,
            row._state.db,
            id=row.case_id,
            reference=row.case_reference,
            data_class=row.case_data_class,
        )
        reference = quote(row.case_reference, safe=URL_SAFE)
        row.url = head + reference + middle + str(row.pk) + tail
        row.case_url = case_prefix + reference + case_suffix
        row.end = short_date(language, row.end_date)
        row.past = row.end_date < today
        row.state_label = state_labels.get(row.state, row.state)
    return rows


def case_signals(user, case):
    return (
        Signal.objects.for_user(user).filter(cases=case).order_by("-received_on", "id")
    )


# LIMITS: the bound of a hand-written statement is an SQL literal, not a
# parameter. For a prepared statement's generic plan PostgreSQL cannot know a
# parameter's bound and estimates a tenth of the rows: a cost high enough to
# JIT-compile the query on every run (Mijn werk's signals: 0.6 ms of work,
# 7 ms with the compilation, at 1M). The ORM writes its limits as literals
# too. See also `casework.expressions.Const`.


def my_triage_signals(user, *, limit=10) -> list[Row]:
    """Mijn werk's signals to triage: `signals_for_triage(user, limit)`, the
    policy of `permissions.selectors.visible_signal_filter` written as SQL
    by the decision point (`visible_signal_sql`; 1.0 ms as the ORM query,
    0.4 ms so; docs/performance.md). As `signal_rows`."""
    visible, params = visible_signal_sql(user)
    if not visible:
        return []
    sql = (
        "SELECT s.id, s.reference, s.source, s.received_on, s.status, "
        "o.name, s.data_class "
        f"FROM {_table(Signal)} s "
        f"JOIN {_table(Organisation)} o ON o.id = s.source_organisation_id "
        f"WHERE s.status IN ('{Signal.Status.NEW}', '{Signal.Status.TRIAGE}') "
        f"AND ({visible}) "
        # The bound a literal (`LIMITS`).
        f"ORDER BY s.received_on DESC, s.id DESC LIMIT {int(limit)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return signal_rows(cursor.fetchall())


def signal_rows(values) -> list[Row]:
    """The rows of a signal table (the signal list, Mijn werk) from (id,
    reference, source, received_on, status, supplier's name, data class):
    pk, url, reference, source (its label), received (SHORT_DATE_FORMAT),
    source_organisation (the supplier's name), status (its label),
    data_class. Labels and the URL resolved once per page."""
    language = get_language()
    sources = _choice_labels(Signal, "source", language)
    statuses = _choice_labels(Signal, "status", language)
    url = reference_url("casework:signal_detail")
    rows = []
    for pk, reference, source, received_on, status, organisation, data_class in values:
        rows.append(
            Row(
                pk=pk,
                url=url(reference),
                reference=reference,
                source=sources.get(source, source),
                received=short_date(language, received_on),
                source_organisation=organisation,
                status=statuses.get(status, status),
                data_class=data_class,
            )
        )
    return rows


def page_signals(user, case) -> list[Row]:
    """`case_signals(user, case)` for the case page, as SQL (see
    `permissions.selectors.visible_signal_sql`), as `signal_rows`."""
    visible, params = visible_signal_sql(user)
    if not visible:
        return []
    sql = (
        "SELECT s.id, s.reference, s.source, s.received_on, s.status, o.name, "
        "s.data_class "
        f"FROM {_table(Signal)} s "
        f"JOIN {_table(Signal.cases.through)} sc ON sc.signal_id = s.id "
        f"JOIN {_table(Organisation)} o ON o.id = s.source_organisation_id "
        f"WHERE sc.case_id = %s AND ({visible}) "
        "ORDER BY s.received_on DESC, s.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [case.pk, *params])
        return signal_rows(cursor.fetchall())


class DeadlineRow(NamedTuple):
    """One deadline of the case page."""

    pk: int
    url: str
    title: str
    legal_basis: str
    end: str  # end_date in SHORT_DATE_FORMAT
    state: str  # the state's label


class DocumentRow(NamedTuple):
    """One document of the case page."""

    pk: int
    url: str
    title: str
    version: int
    created: str  # created_at, local time, in SHORT_DATETIME_FORMAT
    author: str  # username
    sha: str  # the SHA-256 as `truncatechars:17` writes it


def _url_with_pk(name: str, reference: str) -> tuple[str, str]:
    """The URL of `name` for (reference, pk) around the pk, from one
    reverse()."""
    marker = "918273645"
    prefix, _, suffix = reverse(name, args=[reference, int(marker)]).rpartition(marker)
    return prefix, suffix


def page_deadlines(case) -> list[DeadlineRow]:
    """The case's deadlines by end date, as `case.deadlines.order_by("end_date",
    "id")`, with the columns the page shows, as DeadlineRow."""
    sql = (
        "SELECT d.id, d.case_id, d.title, d.legal_basis, d.end_date, d.state "
        f"FROM {_table(Deadline)} d WHERE d.case_id = %s ORDER BY d.end_date, d.id"
    )
    states = _choice_labels(Deadline, "state", get_language())
    prefix, suffix = _url_with_pk("casework:deadline_detail", case.reference)
    return [
        DeadlineRow(
            d.pk,
            f"{prefix}{d.pk}{suffix}",
            d.title,
            d.legal_basis,
            date_format(d.end_date, "SHORT_DATE_FORMAT"),
            states.get(d.state, d.state),
        )
        for d in Deadline.objects.raw(sql, [case.pk])
    ]


def page_documents(user, case) -> list[DocumentRow]:
    """`casework.documents.documents_for_user(user, case)`: the documents of a
    data class the role may read, with their author, without the PDF, as
    DocumentRow."""
    from django.contrib.auth import get_user_model
    from django.utils.text import Truncator

    from .documents import readable_documents
    from .models import Document

    readable, keys, per_reader = readable_documents(user, case)
    if not readable:
        return []
    params = [case.pk, *readable]
    per_reader_condition = ""
    if keys:
        # Documents whose content differs per partner: only where the
        # decision point lets the reader see them (`documents_for_user`).
        per_reader_condition = f" AND (d.template_key NOT IN ({_marks(keys)})" + (
            f" OR d.data_class IN ({_marks(per_reader)}))" if per_reader else ")"
        )
        params += [*keys, *per_reader]
    user_model = get_user_model()
    sql = (
        "SELECT d.id, d.case_id, d.template_key, d.title, d.version, d.sha256, "
        "d.data_class, d.author_id, d.created_at, u.username AS author_username "
        f"FROM {_table(Document)} d JOIN {_table(user_model)} u ON u.id = d.author_id "
        f"WHERE d.case_id = %s AND d.data_class IN ({_marks(readable)})"
        f"{per_reader_condition} ORDER BY d.template_key, d.version DESC"
    )
    prefix, suffix = _url_with_pk("casework:document_download", case.reference)
    return [
        DocumentRow(
            doc.pk,
            f"{prefix}{doc.pk}{suffix}",
            doc.title,
            doc.version,
            date_format(
                timezone.template_localtime(doc.created_at), "SHORT_DATETIME_FORMAT"
            ),
            doc.author_username,
            Truncator(doc.sha256).chars(17),
        )
        for doc in Document.objects.raw(sql, params)
    ]


def signals_for_triage(user, limit=50):
    return (
        Signal.objects.for_user(user)
        .filter(status__in=[Signal.Status.NEW, Signal.Status.TRIAGE])
        .select_related("source_organisation")
        .order_by("-received_on", "-id")[:limit]
    )


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
