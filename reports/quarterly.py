"""The quarterly steering group report (issue 18 item 5; work plan §7,
"Governance"): a PDF of the figures of one quarter as its requester sees
them.

Sections, in order: the cover; the indicators of the quarter and the three
before it, one table per family (`steering.indicators.indicator_table`, its
small-number suppression as the requester sees it); charts; hotspots (the top
ten addresses and the figures per area, only what the requester may see);
the projects with their goals (target against measured); the milestones due
in the quarter and overdue; the budget (only with budget access to the
programme); and the "Besluitpunten": the decisions the form asks for, plus
every overdue milestone and every budget line with more than 90% spent.

Everything is read from precomputed facts and the programme's own small
tables, never from the case rows, so the build time does not grow with the
number of cases (bench/bench_reports.py). A source that is not installed
leaves its section with "niet beschikbaar".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.letters import format_amount
from permissions.figures import figure_scope
from permissions.policy import actor_for

from . import layout, sources
from .periods import Quarter, parse_quarter

# A budget line is put to the steering group when more than this share of it
# is spent.
SPENT_ALERT = Decimal("0.9")


@dataclass
class Context:
    user: object
    scope: object
    quarter: Quarter
    area: str
    decisions: list[str]
    programme: object | None  # a programme.selectors.ProgrammeSummary
    now: object
    indicators: object = None  # a steering.indicators.IndicatorTable


def not_available() -> object:
    return layout.note(_("Not available."))


def build(user, parameters: dict, progress) -> tuple[bytes, str]:
    quarter = parse_quarter(parameters.get("quarter", ""))
    if quarter is None:
        raise ValueError(f"no quarter: {parameters.get('quarter')!r}")
    scope = figure_scope(user)
    if scope is None:
        raise Http404
    layout.ready()
    ctx = Context(
        user=user,
        scope=scope,
        quarter=quarter,
        area=parameters.get("area") or "",
        decisions=[
            line.strip()
            for line in (parameters.get("decisions") or "").splitlines()
            if line.strip()
        ],
        programme=sources.programme_summary(user, parameters.get("programme"), quarter),
        now=timezone.localtime(),
    )
    story: list = []
    steps = (
        ("cover", 5, _cover),
        ("indicators", 15, _indicators),
        ("charts", 35, _charts),
        ("hotspots", 50, _hotspots),
        ("projects", 65, _projects),
        ("milestones", 72, _milestones),
        ("budget", 78, _budget),
        ("decisions", 84, _decisions),
    )
    for key, percent, section in steps:
        progress(key, percent)
        story += section(ctx)
    progress("render", 90)
    actor = actor_for(user)
    title = _("Steering group report %(quarter)s") % {"quarter": quarter}
    content = layout.render(
        story,
        title=title,
        author=actor.organisation_name,
        footer=f"{actor.organisation_name} · {title}",
        watermark=_("Confidential - made for %(user)s on %(when)s")
        % {"user": user.get_username(), "when": ctx.now.strftime("%Y-%m-%d %H:%M")},
    )
    return content, f"stuurgroep-{quarter}.pdf"


# --- Sections ----------------------------------------------------------------------


def _cover(ctx: Context) -> list:
    actor = actor_for(ctx.user)
    name = ctx.user.get_full_name() or ctx.user.get_username()
    refreshed = sources.refreshed_at()
    facts = [
        (_("Programme"), ctx.programme.name if ctx.programme else "—"),
        (_("Quarter"), str(ctx.quarter)),
        (_("Area"), ctx.area or _("Whole municipality")),
        (_("Requested by"), f"{name} ({actor.organisation_name})"),
        (_("Date"), ctx.now.strftime("%d-%m-%Y")),
        (
            _("State of the figures"),
            timezone.localtime(refreshed).strftime("%d-%m-%Y %H:%M")
            if refreshed
            else _("Not available."),
        ),
    ]
    return layout.cover(
        _("Steering group report"),
        _("%(quarter)s · %(start)s to %(end)s")
        % {
            "quarter": ctx.quarter,
            "start": ctx.quarter.start.strftime("%d-%m-%Y"),
            "end": ctx.quarter.end.strftime("%d-%m-%Y"),
        },
        facts,
    ) + [
        layout.note(
            _(
                "This report holds only the figures its requester may see. "
                'Numbers under %(threshold)s are shown as "< %(threshold)s" '
                "where the requester has no access to the cases behind them; "
                '"×" hides a number that would otherwise reveal one of them.'
            )
            % {"threshold": ctx.scope.threshold}
        )
    ]


def _block(block) -> list:
    out = [layout.subheading(block.title)] if block.title else []
    if not block.rows:
        return [*out, layout.paragraph(block.empty)]
    return [
        *out,
        layout.grid(
            block.header,
            block.rows,
            widths=block.widths,
            right=block.right,
            total=block.total,
        ),
    ]


def _indicators(ctx: Context) -> list:
    out = [layout.heading(_("Indicators"))]
    ctx.indicators = sources.indicator_data(ctx.scope, ctx.quarter, ctx.area)
    tables = sources.indicator_tables(ctx.indicators)
    if tables is None:
        return [*out, not_available()]
    if not tables:
        return [*out, layout.paragraph(_("No figures for this period."))]
    for table in tables:
        out += _block(table)
    return out


def _charts(ctx: Context) -> list:
    out = [layout.heading(_("Charts"))]
    drawings = sources.charts(ctx.indicators)
    if drawings is None:
        return [*out, not_available()]
    if not drawings:
        return [*out, layout.paragraph(_("No figures for this period."))]
    return out + [layout.fit(d) for d in drawings]


def _hotspots(ctx: Context) -> list:
    out = [layout.heading(_("Hotspots"))]
    found = sources.hotspots(ctx.scope, ctx.area)
    if found is None:
        return [*out, not_available()]
    top, per_area, drawing = found
    out += _block(top)
    if drawing is not None:
        out.append(layout.fit(drawing))
    for block in per_area:
        out += _block(block)
    return out


def _projects(ctx: Context) -> list:
    out = [layout.heading(_("Projects and goals"))]
    summary = ctx.programme
    if summary is None:
        return [*out, _no_programme()]
    if not summary.projects:
        return [*out, layout.paragraph(_("The programme has no projects."))]
    for project in summary.projects:
        out.append(
            layout.subheading(
                f"{project.name} · {project.area} · {project.status_label}"
            )
        )
        if not project.goals:
            out.append(layout.note(_("No goals set.")))
            continue
        out.append(
            layout.grid(
                [
                    _("Goal"),
                    _("Target"),
                    _("Measured"),
                    _("Percentage"),
                    _("Target date"),
                ],
                [
                    [
                        g.description,
                        f"{_number(g.target)} {g.unit}",
                        _number(g.measured) if g.measured is not None else "—",
                        f"{g.percent}%",
                        g.target_date.strftime("%d-%m-%Y"),
                    ]
                    for g in project.goals
                ],
                widths=(0.4, 0.17, 0.13, 0.13, 0.17),
                right=(1, 2, 3),
            )
        )
    return out


def _milestones(ctx: Context) -> list:
    out = [layout.heading(_("Milestones"))]
    summary = ctx.programme
    if summary is None:
        return [*out, _no_programme()]
    header = [_("Milestone"), _("Project"), _("Due"), _("Done")]

    def rows(milestones):
        return [
            [
                m.title,
                m.project_name,
                m.due_on.strftime("%d-%m-%Y"),
                m.done_on.strftime("%d-%m-%Y") if m.done_on else "—",
            ]
            for m in milestones
        ]

    widths = (0.4, 0.3, 0.15, 0.15)
    out.append(layout.subheading(_("Due in the quarter")))
    due = summary.milestones_due(ctx.quarter.year, ctx.quarter.number)
    out.append(
        layout.grid(header, rows(due), widths=widths)
        if due
        else layout.paragraph(_("No milestones due in this quarter."))
    )
    out.append(layout.subheading(_("Overdue")))
    overdue = summary.milestones_overdue
    out.append(
        layout.grid(header, rows(overdue), widths=widths)
        if overdue
        else layout.paragraph(_("No milestones are overdue."))
    )
    return out


def _budget(ctx: Context) -> list:
    summary = ctx.programme
    if summary is None or not summary.budget_visible or summary.budget is None:
        # No budget access: the section is left out altogether.
        return []
    budget = summary.budget
    out = [layout.heading(_("Budget"))]
    out.append(
        layout.grid(
            [_("Budget line"), _("Amount"), _("Committed"), _("Spent"), _("Remaining")],
            [
                [
                    line.name,
                    _euro(line.amount),
                    _euro(line.committed),
                    _euro(line.spent),
                    _euro(line.remaining),
                ]
                for line in budget.lines
            ],
            widths=(0.36, 0.16, 0.16, 0.16, 0.16),
            right=(1, 2, 3, 4),
            total=[
                _("Total of the lines"),
                _euro(budget.allocated),
                _euro(budget.committed),
                _euro(budget.spent),
                _euro(budget.remaining),
            ],
        )
    )
    out.append(
        layout.paragraph(
            _(
                "Total budget of the programme: %(total)s; not allocated to a "
                "line: %(unallocated)s; not yet committed or spent: %(free)s."
            )
            % {
                "total": _euro(budget.total),
                "unallocated": _euro(budget.unallocated),
                "free": _euro(budget.free),
            }
        )
    )
    return out


def over_spent(summary) -> list:
    """The budget lines with more than SPENT_ALERT of their amount spent."""
    if summary is None or summary.budget is None:
        return []
    return [
        line
        for line in summary.budget.lines
        if line.amount > 0 and line.spent > line.amount * SPENT_ALERT
    ]


def _decisions(ctx: Context) -> list:
    out = [layout.heading(_("Decisions needed"))]
    points = list(ctx.decisions)
    summary = ctx.programme
    if summary is not None:
        for m in summary.milestones_overdue:
            points.append(
                _("Overdue milestone \"%(title)s\" (%(project)s, due %(due)s): "
                  "set a new date or decide otherwise.")
                % {
                    "title": m.title,
                    "project": m.project_name,
                    "due": m.due_on.strftime("%d-%m-%Y"),
                }
            )  # fmt: skip
        for line in over_spent(summary):
            points.append(
                _("Budget line \"%(line)s\" is %(percent)s%% spent (%(spent)s of "
                  "%(amount)s).")
                % {
                    "line": line.name,
                    "percent": int(line.spent * 100 / line.amount),
                    "spent": _euro(line.spent),
                    "amount": _euro(line.amount),
                }
            )  # fmt: skip
    if not points:
        return [*out, layout.paragraph(_("No decisions are asked for."))]
    return out + [
        flowable
        for n, point in enumerate(points, start=1)
        for flowable in layout.paragraphs(f"{n}. {point}")
    ]


def _no_programme():
    return layout.note(_("No programme chosen."))


def _number(value) -> str:
    """12.50 -> "12,5"; 1250 -> "1.250" (the monitor's own notation)."""
    return sources.number(value)


def _euro(value) -> str:
    """ "€ 1.234,50" as the letters write money."""
    return format_amount(value)
