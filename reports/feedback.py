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
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@dataclass
class Overview:
    year: int
    recipients: list[Recipient]

    @property
    def totals(self) -> list[tuple[str, str, int]]:
        found = defaultdict(int)
        for recipient in self.recipients:
            for key, _label, n in recipient.counts:
                found[key] += n
        return [(key, str(label), found[key]) for key, label in OUTCOMES.items()]

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
        riec_results(year)
        .order_by("received_on", "reference")
        .values(
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
    )
    ids = [s["pk"] for s in signals]
    shared = defaultdict(set)
    for signal_id, org_id in Signal.shared_with.through.objects.filter(
        signal_id__in=ids
    ).values_list("signal_id", "organisation_id"):
        shared[signal_id].add(org_id)
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


def log_read(user, data: Overview, *, page: str, request=None) -> None:
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
