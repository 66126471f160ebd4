"""Reads of the hotspot figures, for the pages, the map and the reports
engineer (docs/hotspots.md "Interface"). Every function takes the viewer's
`permissions.figures.FigureScope` and returns only what it may see, each
number already a `Cell` (suppressed as the scope says).

- `top_addresses(scope, *, area="", limit=10)` → `list[HotspotRow]`
- `area_rows(scope)` → `list[AreaRow]`
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.urls import reverse

from casework.models import Location, Signal
from permissions.figures import FAMILIES, FAMILY_SIGNAL, Cell

from . import rebuild
from .models import Area, BranchRegistration, Figure, Rank, Refresh

PAGE_SIZE = 25
MAX_LIMIT = 500


@dataclass
class HotspotRow:
    """One ranked address: its text, area, score (for the viewer's role)
    and a cell per family the viewer sees at an address."""

    location_id: int
    address: str
    area: str
    score: int
    cells: dict[str, Cell] = field(default_factory=dict)
    x: float | None = None
    y: float | None = None

    @property
    def url(self) -> str:
        return reverse("hotspots:address", args=[self.location_id])


@dataclass
class AreaRow:
    """One area: a cell per family the viewer counts (aggregates are shown
    for every counted family, the PGA's and Bibob's included), and whether a
    boundary is known."""

    area: str
    cells: dict[str, Cell] = field(default_factory=dict)
    has_boundary: bool = False


def family_label(code: str) -> str:
    family = FAMILIES.get(code)
    return str(family.label) if family and family.label else code


def address_families(scope) -> list[str]:
    """The families the viewer sees per address, in a fixed order: signals,
    the case types, the registers."""
    return _ordered([f for f in FAMILIES if scope.per_address(f)])


def area_families(scope) -> list[str]:
    return _ordered([f for f in FAMILIES if scope.counts(f)])


def _ordered(codes: list[str]) -> list[str]:
    registers = (rebuild.KADASTER, rebuild.KVK)
    first = [c for c in codes if c == FAMILY_SIGNAL]
    last = [c for c in registers if c in codes]
    middle = sorted(c for c in codes if c not in first and c not in registers)
    return first + middle + last


def _address_text(street, number, addition, postcode, city) -> str:
    return str(
        Location(
            street=street or "",
            house_number=number,
            addition=addition or "",
            postcode=postcode,
            city=city,
        )
    )


def ranked(
    scope,
    *,
    area: str = "",
    family: str = "",
    source: str = "",
    min_score: int = 0,
    limit: int = PAGE_SIZE,
    after: tuple[int, int] | None = None,
) -> list[HotspotRow]:
    """The addresses by the viewer's score, highest first (ties by id), at
    most `limit`, after the keyset `after` = (score, location id). A family
    or source filter ranks by that family's or source's part of the score."""
    facet = ""
    if family:
        facet = f"F:{family}"
    elif source:
        facet = f"S:{source}"
    ranks = Rank.objects.filter(role=scope.actor.role, facet=facet)
    if area:
        ranks = ranks.filter(area=area)
    if min_score:
        ranks = ranks.filter(score__gte=min_score)
    if after is not None:
        score, location_id = after
        ranks = ranks.filter(score__lte=score).exclude(
            score=score, location_id__lte=location_id
        )
    values = ranks.order_by("-score", "location_id").values_list(
        "location_id", "area", "score",
        "location__street", "location__house_number", "location__addition",
        "location__postcode", "location__city", "location__x", "location__y",
    )[: max(1, min(limit, MAX_LIMIT))]  # fmt: skip
    rows = [
        HotspotRow(pk, _address_text(*address), area_, score, x=x, y=y)
        for pk, area_, score, *address, x, y in values
    ]
    _fill_cells(scope, rows)
    return rows


def _fill_cells(scope, rows: list[HotspotRow]) -> None:
    """A cell per family the viewer sees at an address (one query)."""
    families = address_families(scope)
    if not rows or not families:
        return
    totals: dict = defaultdict(int)
    for location_id, family, value in (
        Figure.objects.filter(
            location_id__in=[r.location_id for r in rows],
            family__in=families,
            data_class__in=scope.classes,
        )
        .exclude(measure="age")
        .values("location_id", "family")
        .annotate(n=Sum("value"))
        .values_list("location_id", "family", "n")
    ):
        totals[location_id, family] = value
    for row in rows:
        row.cells = {
            f: scope.cell(totals.get((row.location_id, f), 0), f) for f in families
        }


def top_addresses(scope, *, area: str = "", limit: int = 10) -> list[HotspotRow]:
    """The viewer's highest-scoring addresses (for the reports)."""
    return ranked(scope, area=area, limit=limit)


def area_rows(scope) -> list[AreaRow]:
    """Every area with figures or a boundary, a cell per counted family, with
    secondary suppression over each family's row of areas (a hidden cell
    cannot be recomputed from the family's total)."""
    table, families, areas = area_table(scope)
    boundaries = set(Area.objects.values_list("name", flat=True))
    rows = []
    for j, name in enumerate(areas):
        cells = {f: table.rows[i].cells[j] for i, f in enumerate(families)}
        rows.append(AreaRow(name, cells, name in boundaries))
    return rows


def area_table(scope):
    """(table, families, areas): rows the families, columns the areas, each
    row with its total (`FigureScope.table`)."""
    families = area_families(scope)
    values: dict = defaultdict(int)
    for area, family, n in (
        Figure.objects.filter(
            location__isnull=True, family__in=families, data_class__in=scope.classes
        )
        .exclude(measure="age")
        .values("area", "family")
        .annotate(n=Sum("value"))
        .values_list("area", "family", "n")
    ):
        values[area, family] = n
    # Every area with a boundary or an address, whether or not the viewer
    # counts anything there: the list of areas does not depend on the role.
    areas = sorted(
        {a for a, _f in values} | set(area_names()), key=lambda a: (a == "", a)
    )
    matrix = [[values.get((a, f), 0) for a in areas] for f in families]
    table = scope.table(matrix, [[f] for f in families], row_totals=True)
    return table, families, areas


@dataclass
class Section:
    """A table of the address page: a heading, row labels, column labels,
    and the `FigureScope.table` result."""

    title: str
    labels: list[str]
    columns: list[str]
    table: object

    @property
    def lines(self) -> list:
        return list(zip(self.labels, self.table.rows, strict=True))


def address_sections(scope, location_id: int) -> tuple[list[Section], set[str]]:
    """The figures of one address the viewer may see (`per_address`), as
    tables with secondary suppression, and the data classes of the numbers
    shown above zero (for the access log). One query for the figures, one
    for the branch labels."""
    from django.utils.translation import gettext as _

    families = address_families(scope)
    facts = list(
        Figure.objects.filter(
            location_id=location_id, family__in=families, data_class__in=scope.classes
        ).values_list("family", "data_class", "measure", "key", "value")
    )
    classes = {dc for _f, dc, _m, _k, v in facts if v}
    sums: dict = defaultdict(int)
    for family, _dc, measure, key, value in facts:
        sums[family, measure, key] += value
    sections = []
    if FAMILY_SIGNAL in families:
        source_labels = dict(Signal.Source.choices)
        keys = sorted(k for f, m, k in sums if f == FAMILY_SIGNAL and m == "source")
        pairs = [
            (str(source_labels.get(k, k)), sums[FAMILY_SIGNAL, "source", k])
            for k in keys
        ]
        sections.append(_single(scope, _("Signals by source"), FAMILY_SIGNAL, pairs))
        bands = (
            ("recent", _("less than 3 months ago")),
            ("year", _("3 to 12 months ago")),
            ("older", _("more than 12 months ago")),
        )
        sections.append(
            _single(
                scope, _("Signals by age"), FAMILY_SIGNAL,
                [(str(label), sums[FAMILY_SIGNAL, "age", k]) for k, label in bands],
            )
        )  # fmt: skip
    case_families = [
        f for f in families if f not in (FAMILY_SIGNAL, rebuild.KADASTER, rebuild.KVK)
    ]
    if case_families:
        matrix = [[sums[f, "open", ""], sums[f, "closed", ""]] for f in case_families]
        sections.append(
            Section(
                _("Cases by type"),
                [family_label(f) for f in case_families],
                [_("open"), _("closed")],
                scope.table(matrix, [[f] for f in case_families], column_totals=True),
            )
        )
    if rebuild.KADASTER in families:
        sections.append(
            _single(
                scope, _("Ownership changes (Kadaster)"), rebuild.KADASTER,
                [(_("in the last 3 years"), sums[rebuild.KADASTER, "ownership", ""])],
            )
        )  # fmt: skip
    if rebuild.KVK in families:
        codes = sorted(k for f, m, k in sums if f == rebuild.KVK and m == "branch")
        labels = dict(
            BranchRegistration.objects.filter(sbi_code__in=codes)
            .order_by("sbi_code", "-registered_on")
            .values_list("sbi_code", "branch_label")
        )
        pairs = [
            (f"{labels.get(k, '')} ({k})", sums[rebuild.KVK, "branch", k])
            for k in codes
        ]
        title = _("New branch registrations in the last 2 years (KvK)")
        sections.append(_single(scope, title, rebuild.KVK, pairs))
    return sections, classes


def _single(scope, title, family, pairs) -> Section:
    """A one-column table of one family with its total."""
    matrix = [[n] for _label, n in pairs]
    table = scope.table(
        matrix, [[family]] * len(pairs), row_totals=False, column_totals=True
    )
    from django.utils.translation import gettext as _

    return Section(title, [label for label, _n in pairs], [_("count")], table)


def visible_location(scope, location_id: int):
    """The address when the viewer's role has a score there (something it
    may see), else None: an address page answers 404 for the rest."""
    if not Rank.objects.filter(
        role=scope.actor.role, facet="", location_id=location_id
    ).exists():
        return None
    return Location.objects.filter(pk=location_id).first()


def last_refresh():
    return Refresh.objects.order_by("-finished_at").first()


def area_names() -> list[str]:
    """The areas to filter by: those with a boundary or an address."""
    names = set(Area.objects.values_list("name", flat=True))
    names |= set(
        Figure.objects.filter(location__isnull=True)
        .exclude(area="")
        .values_list("area", flat=True)
        .distinct()
    )
    return sorted(names)
