"""The indicators page and its CSV export (issue 18 items 2 and 3).

Both read only the facts (`steering.indicators`), never the case tables, and
show what the figures rule lets the viewer see (`permissions.figures`): a
user without a figure scope gets 404.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from permissions.figures import figure_scope

from . import charts
from .facts import last_refresh
from .forms import IndicatorFilter
from .indicators import IndicatorTable, areas, indicator_table

# A chart drawn once is kept this long (its key is its content).
CHART_CACHE_SECONDS = 3600
# Characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _scope_or_404(request):
    scope = figure_scope(request.user)
    if scope is None:
        raise Http404
    return scope


def _filtered(request, scope):
    """The filter form and the table it asks for (None when the form has
    errors)."""
    form = IndicatorFilter(request.GET, areas=areas(scope), today=timezone.localdate())
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    table = indicator_table(
        scope,
        start=data["start"],
        end=data["end"],
        area=data.get("area") or "",
        grain=data["grain"],
    )
    return form, table


def _chart(label, family, table: IndicatorTable) -> str:
    """The family's bar chart as SVG markup. Drawing it is most of a
    request's work, so a drawing is kept in the cache under a digest of what
    it shows (labels and visible values): the same chart for every viewer
    who sees the same numbers, nothing else."""
    labels = [p.label for p in table.periods]
    # Rows that are zero in every period get no bar and no legend line; the
    # table beside the chart lists them.
    series = [
        (str(row.label), [c.value for c in row.cells])
        for row in family.rows
        if any(c.value != 0 for c in row.cells)
    ]
    title = str(label)
    digest = hashlib.sha256(
        json.dumps([labels, series, title]).encode("utf-8")
    ).hexdigest()
    key = f"steering:chart:{digest}"
    markup = cache.get(key)
    if markup is None:
        markup = charts.svg(charts.bar_chart(labels, series, title=title), title=title)
        cache.set(key, markup, CHART_CACHE_SECONDS)
    return markup


@require_GET
def indicators(request):
    scope = _scope_or_404(request)
    form, table = _filtered(request, scope)
    families = []
    if table is not None:
        query = request.GET.dict()
        families = [
            {
                "code": code,
                "label": label,
                "table": family,
                "chart_url": reverse("steering:chart")
                + "?"
                + urlencode({**query, "family": code}),
            }
            for code, label, family in table.families
        ]
    return render(
        request,
        "steering/indicators.html",
        {
            "form": form,
            "table": table,
            "families": families,
            "refresh": last_refresh(),
            "threshold": scope.threshold,
            "query": request.GET.urlencode(),
        },
    )


def _cell(text: str) -> str:
    text = str(text)
    return f"'{text}" if text.startswith(FORMULA_START) else text


@require_GET
def chart(request):
    """One family's chart (`?family=`, else the first the viewer counts) for
    the page's filter, as an SVG image: the page loads it with `<img>`, and
    its numbers stand in the table beside it."""
    scope = _scope_or_404(request)
    form, table = _filtered(request, scope)
    if table is None or not table.families:
        raise Http404
    code = request.GET.get("family") or table.families[0][0]
    found = next((f for f in table.families if f[0] == code), None)
    if found is None:
        raise Http404
    _code, label, family = found
    return HttpResponse(
        _chart(label, family, table), content_type="image/svg+xml; charset=utf-8"
    )


@require_GET
def indicators_csv(request):
    """Exactly the page's numbers: a hidden small number as "< 5", a cell
    hidden to protect another as "×"; `;`-separated, UTF-8 with a BOM so that
    Excel reads the accents."""
    scope = _scope_or_404(request)
    form, table = _filtered(request, scope)
    if table is None:
        errors = "; ".join(m for messages in form.errors.values() for m in messages)
        return HttpResponse(errors, status=400, content_type="text/plain")
    refresh = last_refresh()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Area"),
            _("Family"),
            _("Code"),
            _("Indicator"),
            *(p.label for p in table.periods),
            _("Total"),
        ]
    )
    area = table.area or _("All areas")
    for _code, label, family in table.families:
        for row in family.rows:
            writer.writerow(
                [
                    _cell(area),
                    _cell(label),
                    row.code,
                    _cell(row.label),
                    *(c.text for c in row.cells),
                    row.total.text,
                ]
            )
        writer.writerow(
            [
                _cell(area),
                _cell(label),
                "",
                _("Sum of the rows"),
                *(c.text for c in family.column_totals),
                family.grand_total.text if family.grand_total else "",
            ]
        )
    if refresh and refresh.at:
        writer.writerow([])
        writer.writerow(
            [_("As of"), date_format(timezone.localtime(refresh.at), "j F Y H:i")]
        )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="indicatoren-{stamp}.csv"'
    return response
