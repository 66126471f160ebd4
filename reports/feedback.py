"""The RIEC's yearly feedback overview (WGS art. 1.7 lid 4; domain.md §4.1).

Recipients of RIEC results report back at least yearly on their
effectiveness and usefulness, and, where nothing was done, why. For one
calendar year this lists, per recipient organisation, the RIEC results it
received and what became of each:

* a RIEC result is a signal supplied by an organisation of kind RIEC, or a
  signal of source RIEC (a participant registering the RIEC's result);
* its recipients are the organisations it was shared with and, when a
  participant registered it, that participant (never the RIEC itself);
* its outcome for a recipient: converted into case(s) of that recipient
  (reference, type, current status, closed or not), filed without action
  (with the filing reason: "waarom niets is gedaan"), converted into cases
  of another recipient only, in triage, or not yet taken up.

Who reads which recipients is `permissions.figures.feedback_organisations`:
its own organisation for a steering viewer, every organisation for a user of
the RIEC. The overview shows references, dates, types, statuses and the
filing reason, never a signal's summary; a page, CSV or PDF that shows
signals of a sensitive class (D3-D7, D10) writes one access-log row naming
them (`log_read`).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.converters import ReferenceConverter
from casework.models import Signal
from casework.registry import registry
from casework.views import compact_references
from permissions.figures import feedback_organisations
from permissions.models import SENSITIVE_CLASSES, AccessLog, Organisation
from permissions.policy import actor_for
from permissions.services import log_access

from . import layout

CONVERTED = "converted"
FILED = "filed"
ELSEWHERE = "elsewhere"
TRIAGE = "triage"
OPEN = "open"

OUTCOMES = {
    CONVERTED: gettext_lazy("Converted into a case"),
    FILED: gettext_lazy("Filed without action"),
    ELSEWHERE: gettext_lazy("Converted by another recipient"),
    TRIAGE: gettext_lazy("In triage"),
    OPEN: gettext_lazy("Not yet taken up"),
}


@dataclass(frozen=True)
class CaseOutcome:
    reference: str
    type_label: str
    status_label: str
    closed_on: date | None

    @property
    def closed(self) -> bool:
        return self.closed_on is not None


@dataclass
class Result:
    """One RIEC result as one recipient received it."""

    reference: str
    received_on: date
    source_label: str
    supplier: str
    data_class: str
    outcome: str
    cases: list[CaseOutcome] = field(default_factory=list)
    filed_reason: str = ""

    @property
    def outcome_label(self) -> str:
        return str(OUTCOMES[self.outcome])


@dataclass
class Recipient:
    organisation_id: int
    name: str
    results: list[Result] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(key, label, count) for every outcome, in the fixed order."""
        found = defaultdict(int)
        for result in self.results:
            found[result.outcome] += 1
        return [(key, str(label), found[key]) for key, label in OUTCOMES.items()]


def _totals(recipients) -> list[tuple[str, str, int]]:
    """(key, label, count) for every outcome over the recipients' counts."""
    found = defaultdict(int)
    for recipient in recipients:
        for key, _label, n in recipient.counts:
            found[key] += n
    return [(key, str(label), found[key]) for key, label in OUTCOMES.items()]


@dataclass
class Overview:
    year: int
    recipients: list[Recipient]

    @property
    def totals(self) -> list[tuple[str, str, int]]:
        return _totals(self.recipients)

    @property
    def total(self) -> int:
        return sum(len(r.results) for r in self.recipients)

    def shown(self) -> list[tuple[str, str]]:
        """(reference, data class) of every signal shown, for the log."""
        return [(s.reference, s.data_class) for r in self.recipients for s in r.results]


def riec_results(year: int):
    """The RIEC results received in `year`."""
    return Signal.objects.filter(
        Q(source=Signal.Source.RIEC)
        | Q(source_organisation__kind=Organisation.Kind.RIEC),
        received_on__gte=date(year, 1, 1),
        received_on__lte=date(year, 12, 31),
    )


def _signal_values(signals):
    """The columns of a RIEC result that `_result` reads."""
    return signals.values(
        "pk",
        "reference",
        "received_on",
        "source",
        "status",
        "filed_reason",
        "data_class",
        "source_organisation_id",
        "source_organisation__kind",
        "source_organisation__name",
    )  # fmt: skip


def _case_rows(ids) -> dict[int, list[dict]]:
    """Per signal id the cases opened from it, by reference."""
    cases = defaultdict(list)
    for row in (
        Signal.cases.through.objects.filter(signal_id__in=ids)
        .order_by("case__reference")
        .values(
            "signal_id",
            "case__reference",
            "case__case_type",
            "case__status",
            "case__closed_at",
            "case__responsible_organisation_id",
        )  # fmt: skip
    ):
        cases[row["signal_id"]].append(row)
    return cases


def overview(user, year: int, *, organisation_id: int | None = None) -> Overview:
    """The feedback overview of `year` for the recipients the user may read
    (optionally one of them). Four queries, whatever the number of results:
    the signals, their recipients, their cases, the recipients' names."""
    allowed = feedback_organisations(user)
    if allowed is None:
        return Overview(year, [])
    if organisation_id is not None:
        allowed = allowed & {organisation_id}
    signals = list(
        _signal_values(riec_results(year).order_by("received_on", "reference"))
    )
    ids = [s["pk"] for s in signals]
    shared = defaultdict(set)
    for signal_id, org_id in Signal.shared_with.through.objects.filter(
        signal_id__in=ids
    ).values_list("signal_id", "organisation_id"):
        shared[signal_id].add(org_id)
    cases = _case_rows(ids)
    riec_kind = Organisation.Kind.RIEC
    per_recipient: dict[int, list[Result]] = defaultdict(list)
    for signal in signals:
        recipients = set(shared[signal["pk"]])
        if signal["source_organisation__kind"] != riec_kind:
            recipients.add(signal["source_organisation_id"])
        for org_id in recipients & allowed:
            per_recipient[org_id].append(_result(signal, org_id, cases[signal["pk"]]))
    names = dict(
        Organisation.objects.filter(pk__in=per_recipient)
        .exclude(kind=riec_kind)
        .values_list("pk", "name")
    )
    return Overview(
        year,
        [
            Recipient(org_id, names[org_id], per_recipient[org_id])
            for org_id in sorted(names, key=lambda pk: names[pk])
        ],
    )


# --- The page: counts first, then one recipient's results a page at a time --

PAGE_SIZE = 50  # results of one recipient per page


@dataclass
class RecipientCounts:
    """A recipient's line of the counts table."""

    organisation_id: int
    name: str
    counts: list[tuple[str, str, int]]

    @property
    def total(self) -> int:
        return sum(n for _key, _label, n in self.counts)


@dataclass
class Summary:
    """The counts per recipient and outcome of a year, without the results."""

    year: int
    recipients: list[RecipientCounts]

    @property
    def totals(self) -> list[tuple[str, str, int]]:
        return _totals(self.recipients)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.recipients)


@dataclass
class ResultsPage:
    """A page of one recipient's results, oldest first, with the keys of the
    pages before and after it ("<received on>|<reference>", None at an end)."""

    recipient: RecipientCounts
    results: list[Result]
    previous: str | None
    next: str | None

    def shown(self) -> list[tuple[str, str]]:
        """(reference, data class) of every signal shown, for the log."""
        return [(s.reference, s.data_class) for s in self.results]


def _pairs_sql(year: int, allowed, recipient: int | None = None):
    """The RIEC results of `year` (`riec_results`) with each of their
    recipients in `allowed` (`overview`'s rule: the organisations a result
    was shared with and its supplier unless that is a RIEC; never a RIEC),
    and each pair's outcome (`_result`'s rule, as SQL), as a CTE `pairs`
    (id, received_on, reference, recipient, outcome)."""
    from casework.models import Case

    table = connection.ops.quote_name
    signal = table(Signal._meta.db_table)
    org = table(Organisation._meta.db_table)
    shared = table(Signal.shared_with.through._meta.db_table)
    links = table(Signal.cases.through._meta.db_table)
    case = table(Case._meta.db_table)
    ids = sorted(allowed if recipient is None else set(allowed) & {recipient})
    if not ids:
        ids = [0]  # no organisation has id 0: no pairs
    marks = ", ".join(["%s"] * len(ids))
    riec, status = Organisation.Kind.RIEC, Signal.Status
    days = (date(year, 1, 1), date(year, 12, 31))
    sql = f"""
        WITH results AS (
            SELECT s.id, s.status, s.received_on, s.reference,
                   s.source_organisation_id AS supplier, o.kind AS supplier_kind
            FROM {signal} s JOIN {org} o ON o.id = s.source_organisation_id
            WHERE s.source = %s AND s.received_on >= %s AND s.received_on <= %s
            UNION ALL
            SELECT s.id, s.status, s.received_on, s.reference,
                   s.source_organisation_id, o.kind
            FROM {org} o JOIN {signal} s ON s.source_organisation_id = o.id
            WHERE o.kind = %s AND s.source <> %s
              AND s.received_on >= %s AND s.received_on <= %s
        ), recipients AS (
            SELECT r.id, r.status, r.received_on, r.reference,
                   w.organisation_id AS recipient
            FROM results r JOIN {shared} w ON w.signal_id = r.id
            UNION
            SELECT r.id, r.status, r.received_on, r.reference, r.supplier
            FROM results r WHERE r.supplier_kind <> %s
        ), own AS (
            SELECT DISTINCT l.signal_id,
                   c.responsible_organisation_id AS organisation_id
            FROM {links} l JOIN {case} c ON c.id = l.case_id
            WHERE l.signal_id IN (SELECT id FROM results)
        ), pairs AS (
            SELECT p.id, p.received_on, p.reference, p.recipient,
                   CASE WHEN own.signal_id IS NOT NULL THEN %s
                        WHEN p.status = %s THEN %s
                        WHEN p.status = %s THEN %s WHEN p.status = %s THEN %s
                        ELSE %s END AS outcome
            FROM recipients p JOIN {org} ro ON ro.id = p.recipient
            LEFT JOIN own
              ON own.signal_id = p.id AND own.organisation_id = p.recipient
            WHERE ro.kind <> %s AND p.recipient IN ({marks})
        )"""
    params = [
        Signal.Source.RIEC, *days, riec, Signal.Source.RIEC, *days, riec,
        CONVERTED, status.FILED, FILED, status.CONVERTED, ELSEWHERE,
        status.TRIAGE, TRIAGE, OPEN, riec, *ids,
    ]  # fmt: skip
    return sql, params


def summary(user, year: int, *, organisation_id: int | None = None) -> Summary:
    """The counts per recipient and outcome that `overview` gives, counted
    by the database without reading the results into Python: three queries
    whatever the number of results (the access question, the counts, the
    recipients' names)."""
    allowed = feedback_organisations(user)
    if allowed is None:
        return Summary(year, [])
    sql, params = _pairs_sql(year, allowed, organisation_id)
    found: dict[int, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} SELECT recipient, outcome, COUNT(*) FROM pairs "
            "GROUP BY recipient, outcome",
            params,
        )
        for recipient, outcome, n in cursor.fetchall():
            found[recipient][outcome] = n
    names = dict(Organisation.objects.filter(pk__in=found).values_list("pk", "name"))
    return Summary(
        year,
        [
            RecipientCounts(
                pk,
                names[pk],
                [
                    (key, str(label), found[pk].get(key, 0))
                    for key, label in OUTCOMES.items()
                ],
            )
            for pk in sorted(names, key=lambda pk: names[pk])
        ],
    )


def _key(value: str | None) -> tuple[date, str] | None:
    """A page key "<received on>|<reference>", or None for anything else (a
    reference has the shape of the URLs' references: no NUL byte, which
    PostgreSQL refuses in a query, and no more than the column holds)."""
    day, bar, reference = (value or "").partition("|")
    if not bar or not re.fullmatch(ReferenceConverter.regex, reference):
        return None
    try:
        return date.fromisoformat(day), reference
    except ValueError:
        return None


def results_page(
    user,
    year: int,
    recipient: RecipientCounts,
    *,
    after: str | None = None,
    before: str | None = None,
    size: int | None = None,
) -> ResultsPage:
    """`size` (PAGE_SIZE) results of one recipient of the user's `summary`,
    oldest first (received on, reference), from the first, after the key
    `after` or before the key `before` (a key that does not parse is the first
    page): the pairs of that recipient read by a range of their order, then
    the page's signals and cases as `overview` reads them. The recipient is
    asked of the decision point again: a crafted one gives an empty page."""
    size = size or PAGE_SIZE
    allowed = feedback_organisations(user) or set()
    sql, params = _pairs_sql(year, allowed, recipient.organisation_id)
    where, order, bound = "", "ASC", _key(after)
    if bound is None:
        bound = _key(before)
        order = "ASC" if bound is None else "DESC"
    if bound is not None:
        op = ">" if order == "ASC" else "<"
        where = f"WHERE received_on {op} %s OR (received_on = %s AND reference {op} %s)"
        params = [*params, bound[0], bound[0], bound[1]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} SELECT id, received_on, reference FROM pairs {where} "
            f"ORDER BY received_on {order}, reference {order} LIMIT %s",
            [*params, size + 1],
        )
        rows = cursor.fetchall()
    more = len(rows) > size
    rows = rows[:size]
    if order == "DESC":
        rows.reverse()
    ids = [row[0] for row in rows]
    signals = {s["pk"]: s for s in _signal_values(Signal.objects.filter(pk__in=ids))}
    cases = _case_rows(ids)
    results = [_result(signals[pk], recipient.organisation_id, cases[pk]) for pk in ids]
    first = f"{rows[0][1]}|{rows[0][2]}" if rows else None
    last = f"{rows[-1][1]}|{rows[-1][2]}" if rows else None
    if order == "ASC":
        previous = first if bound is not None else None
        following = last if more else None
    else:
        previous = first if more else None
        following = last
    return ResultsPage(recipient, results, previous, following)


def _result(signal: dict, org_id: int, case_rows: list[dict]) -> Result:
    own = [c for c in case_rows if c["case__responsible_organisation_id"] == org_id]
    status = signal["status"]
    if own:
        outcome = CONVERTED
    elif status == Signal.Status.FILED:
        outcome = FILED
    elif status == Signal.Status.CONVERTED:
        outcome = ELSEWHERE
    elif status == Signal.Status.TRIAGE:
        outcome = TRIAGE
    else:
        outcome = OPEN
    return Result(
        reference=signal["reference"],
        received_on=signal["received_on"],
        source_label=str(Signal.Source(signal["source"]).label),
        supplier=signal["source_organisation__name"],
        data_class=signal["data_class"],
        outcome=outcome,
        cases=[
            CaseOutcome(
                reference=c["case__reference"],
                type_label=str(registry.type_label(c["case__case_type"])),
                status_label=registry.status_label(
                    c["case__case_type"], c["case__status"]
                ),
                closed_on=(
                    timezone.localdate(c["case__closed_at"])
                    if c["case__closed_at"]
                    else None
                ),
            )
            for c in own
        ],
        filed_reason=signal["filed_reason"] if outcome == FILED else "",
    )


def log_read(user, data: Overview | ResultsPage, *, page: str, request=None) -> None:
    """One access-log row naming the sensitive signals shown (their filing
    reasons are content), as `casework.views.log_page_read` does for pages;
    nothing when none is sensitive."""
    references, classes = [], set()
    for reference, data_class in data.shown():
        if data_class in SENSITIVE_CLASSES:
            classes.add(data_class)
            if reference not in references:
                references.append(reference)
    if not references:
        return
    log_access(
        user=user,
        action=AccessLog.Action.READ,
        object_type=page,
        object_id=compact_references(references),
        data_class=max(classes, key=lambda c: int(c[1:])),
        request=request,
    )


# --- CSV and PDF -----------------------------------------------------------------


def csv_header() -> list[str]:
    return [
        _("Recipient"), _("Signal"), _("Received on"), _("Source"),
        _("Supplied by"), _("Outcome"), _("Case"), _("Case type"), _("Status"),
        _("Closed on"), _("Reason nothing was done"),
    ]  # fmt: skip


def csv_rows(data: Overview) -> list[list[str]]:
    rows = []
    for recipient in data.recipients:
        for result in recipient.results:
            base = [
                recipient.name,
                result.reference,
                result.received_on.isoformat(),
                result.source_label,
                result.supplier,
                result.outcome_label,
            ]
            if result.cases:
                for case in result.cases:
                    rows.append(
                        [
                            *base,
                            case.reference,
                            case.type_label,
                            case.status_label,
                            case.closed_on.isoformat() if case.closed_on else "",
                            "",
                        ]
                    )
            else:
                rows.append([*base, "", "", "", "", result.filed_reason])
    return rows


def csv_text(data: Overview) -> str:
    """Semicolon-separated, as Dutch spreadsheet programs read it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_header())
    writer.writerows(_defuse(row) for row in csv_rows(data))
    return out.getvalue()


def _defuse(row: list[str]) -> list[str]:
    """A cell that a spreadsheet would run as a formula starts with a quote."""
    return ["'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in row]


def render(data: Overview, *, user, now=None) -> bytes:
    layout.ready()
    now = timezone.localtime(now)
    actor = actor_for(user)
    title = _("Feedback on RIEC results %(year)s") % {"year": data.year}
    story = layout.cover(
        title,
        _("Report back under WGS article 1.7 paragraph 4"),
        [
            (_("Year"), str(data.year)),
            (_("Requested by"), f"{user.get_full_name() or user.get_username()}"
                                f" ({actor.organisation_name})"),
            (_("Date"), now.strftime("%d-%m-%Y")),
        ],
    )  # fmt: skip
    story.append(
        layout.paragraph(
            _(
                "Recipients of results of the RIEC report back at least once a "
                "year on their effectiveness and usefulness and, where nothing "
                "was done with a result, why (WGS article 1.7 paragraph 4)."
            )
        )
    )
    story.append(layout.heading(_("Outcomes per recipient")))
    header = [_("Recipient"), *(label for _k, label, _n in data.totals), _("Total")]
    rows = [
        [r.name, *(str(n) for _k, _l, n in r.counts), str(len(r.results))]
        for r in data.recipients
    ]
    width = len(OUTCOMES) + 1
    story.append(
        layout.grid(
            header,
            rows,
            widths=[0.22] + [0.78 / width] * width,
            right=range(1, width + 1),
            total=[_("Total"), *(str(n) for _k, _l, n in data.totals), str(data.total)],
        )
    )
    if not data.recipients:
        story.append(layout.paragraph(_("No RIEC results were received this year.")))
    for recipient in data.recipients:
        story.append(layout.heading(recipient.name))
        story.append(
            layout.grid(
                [_("Signal"), _("Received on"), _("Outcome"), _("Case or reason")],
                [
                    [
                        r.reference,
                        r.received_on.strftime("%d-%m-%Y"),
                        r.outcome_label,
                        "; ".join(
                            f"{c.reference} ({c.type_label}, {c.status_label}"
                            + (
                                f", {_('closed')} {c.closed_on:%d-%m-%Y}"
                                if c.closed_on
                                else ""
                            )
                            + ")"
                            for c in r.cases
                        )
                        or r.filed_reason,
                    ]
                    for r in recipient.results
                ],
                widths=(0.18, 0.14, 0.22, 0.46),
            )
        )
    return layout.render(
        story,
        title=title,
        author=actor.organisation_name,
        footer=f"{actor.organisation_name} · {title}",
        watermark=_("Confidential - made for %(user)s on %(when)s")
        % {"user": user.get_username(), "when": now.strftime("%Y-%m-%d %H:%M")},
    )


def build(user, parameters: dict, progress) -> tuple[bytes, str]:
    """The report job's build: the overview as the requester reads it."""
    year = int(parameters["year"])
    organisation_id = parameters.get("organisation") or None
    progress("feedback", 10)
    data = overview(user, year, organisation_id=organisation_id)
    log_read(user, data, page="riec_feedback")
    progress("render", 60)
    return render(data, user=user), f"terugkoppeling-riec-{year}.pdf"
