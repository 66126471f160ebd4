"""The figures rule: who sees which steering figures, and which small numbers
are hidden (issue 18 item 3, docs/access.md "Figures").

Steering pages (indicators, hotspots, the programme monitor, the governance
reports) show counts, never the rows behind them. The rule has three parts,
all decided here and nowhere else:

* **who** sees figures at all (`figure_scope` is None for everyone else:
  their pages answer 404): the roles of `STEERING_ROLES` of a public
  organisation; never the inspector, the collection officer, the permit
  handler, the FG, the functional administrator, or a private organisation
  (WGS 2.19: housing corporations, grid operators and care providers are not
  partners of the RIEC and get only what their own task on site needs);
* **what** a figure counts: rows whose data class the viewer's role reads
  (`FigureScope.classes`, the matrix's R; an "own items" class is not read in
  general and is not counted), of the families the viewer counts;
* **how** it is shown: a count under the threshold (`FIGURES_THRESHOLD`,
  default 5) is shown as "< 5" to a viewer whose role does not work the cases
  of that family (`Family.exact_roles`); tables get secondary suppression, so
  that a hidden cell cannot be recomputed from a total; the PGA and Bibob
  families (`Family.aggregate_only`) appear outside their roles only per area
  and period, never per address.

The families are declared by the case types through the kernel's registry
(`declare_family`); permissions imports nothing of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings

from .models import Organisation, Role
from .policy import MATRIX, READ, Actor, actor_for

FAMILY_SIGNAL = "SIG"

# The roles that see steering figures (for their organisation's kind, below).
STEERING_ROLES = frozenset(
    {
        Role.BURGEMEESTER,
        Role.JURIST,
        Role.BIBOB,
        Role.COORDINATOR,
        Role.CASUSREGISSEUR,
        Role.PARTNER,
    }
)
# Kadaster and KvK extracts: the roles that build the municipality's
# information position (work plan §4, "Informatiegestuurd").
REGISTER_IMPORT_ROLES = frozenset({Role.COORDINATOR, Role.BIBOB})
# The programme monitor is edited by the mayor and the coordinator of the
# organisation that owns the programme (its procesmanager works as one).
PROGRAMME_EDIT_ROLES = frozenset({Role.BURGEMEESTER, Role.COORDINATOR})

SUPPRESSED = "< {threshold}"
# A cell hidden only so that another one cannot be recomputed (secondary
# suppression); docs/access.md explains the sign.
SECONDARY = "×"


@dataclass(frozen=True)
class Family:
    """A family of figures: signals, or the cases of one case type.

    - `exact_roles`: the roles that work these cases; they see small numbers
      as they are. Everyone else sees a count under the threshold as "< 5".
    - `aggregate_only`: outside `exact_roles`, only per area and period,
      never per address (the PGA's persons, the Bibob's applicants: an
      address is as good as a name).
    - `classes`: when set, the only data classes of the family (the Bibob's
      D5): a viewer whose role reads none of them does not count the family.
    """

    code: str
    label: object = ""
    exact_roles: frozenset = frozenset()
    aggregate_only: bool = False
    classes: frozenset = frozenset()


FAMILIES: dict[str, Family] = {}


def declare_family(family: Family) -> None:
    """Called by the kernel's registry for each case type (and for signals
    and the register extracts), once at start-up; a second declaration of the
    same code replaces the first (tests declare their own)."""
    FAMILIES[family.code] = family


def threshold() -> int:
    return int(getattr(settings, "FIGURES_THRESHOLD", 5))


@dataclass(frozen=True)
class Cell:
    """One figure as a viewer sees it: `value` None when hidden."""

    value: int | None
    text: str
    suppressed: bool = False
    secondary: bool = False

    def __str__(self) -> str:
        return self.text


@dataclass
class Row:
    cells: list[Cell]
    total: Cell | None = None


@dataclass
class Table:
    rows: list[Row]
    column_totals: list[Cell] = field(default_factory=list)
    grand_total: Cell | None = None

    @property
    def suppressed(self) -> bool:
        cells = [c for row in self.rows for c in (*row.cells, row.total) if c]
        cells += [*self.column_totals, self.grand_total]
        return any(c is not None and c.suppressed for c in cells)


@dataclass(frozen=True)
class FigureScope:
    actor: Actor
    threshold: int
    classes: frozenset

    # -- which families ---------------------------------------------------------

    def counts(self, family: str) -> bool:
        """Whether the viewer sees figures of this family at all."""
        declared = FAMILIES.get(family)
        if declared is None or not declared.classes:
            return True
        return bool(declared.classes & self.classes)

    def exact(self, family: str) -> bool:
        declared = FAMILIES.get(family)
        return declared is not None and self.actor.role in declared.exact_roles

    def per_address(self, family: str) -> bool:
        declared = FAMILIES.get(family)
        if declared is None:
            return False
        return self.counts(family) and (
            not declared.aggregate_only or self.exact(family)
        )

    def counted_families(self, families: Iterable[str] | None = None) -> list[str]:
        codes = FAMILIES if families is None else families
        return [code for code in codes if self.counts(code)]

    # -- how a number is shown ----------------------------------------------------

    def _all_exact(self, families) -> bool:
        if isinstance(families, str):
            families = (families,)
        families = tuple(families)
        return bool(families) and all(self.exact(f) for f in families)

    def cell(self, n: int, families) -> Cell:
        """A single figure of one or more families."""
        n = int(n or 0)
        if 0 < n < self.threshold and not self._all_exact(families):
            return self._hidden()
        return Cell(n, _number(n))

    def _hidden(self) -> Cell:
        return Cell(None, SUPPRESSED.format(threshold=self.threshold), True)

    def table(
        self,
        rows: Sequence[Sequence[int]],
        families_per_row: Sequence,
        *,
        row_totals: bool = True,
        column_totals: bool = False,
    ) -> Table:
        """A whole table, with totals and secondary suppression: in every row
        and column whose total is shown, no single hidden cell can be
        recomputed (its total minus the shown cells); where one would be, the
        smallest other non-zero cell of that line is hidden too, or, when there
        is none, the line's total. The grand total guards the row totals the
        same way."""
        values = [[int(v or 0) for v in row] for row in rows]
        width = max((len(r) for r in values), default=0)
        for row in values:
            row.extend([0] * (width - len(row)))
        exact = [self._all_exact(f) for f in families_per_row]
        all_exact = bool(exact) and all(exact)

        def slot(n: int, is_exact: bool) -> _Slot:
            return _Slot(n, 0 < n < self.threshold and not is_exact)

        grid = [[slot(v, exact[i]) for v in row] for i, row in enumerate(values)]
        row_total = [slot(sum(row), exact[i]) for i, row in enumerate(values)]
        col_total = [
            slot(sum(row[j] for row in values), all_exact) for j in range(width)
        ]
        grand = slot(sum(sum(row) for row in values), all_exact)
        lines: list[tuple[list[_Slot], _Slot]] = []
        if row_totals:
            lines += [(grid[i], row_total[i]) for i in range(len(values))]
        if column_totals:
            lines += [([row[j] for row in grid], col_total[j]) for j in range(width)]
        if row_totals and column_totals:
            lines += [(row_total, grand), (col_total, grand)]
        changed = True
        while changed:
            changed = False
            for cells, total in lines:
                if total.hidden or not any(c.hidden for c in cells):
                    continue
                if sum(c.hidden for c in cells) != 1:
                    continue
                candidates = [c for c in cells if not c.hidden and c.n]
                target = min(candidates, key=lambda c: c.n) if candidates else total
                target.secondary = True
                changed = True

        table = Table(
            [
                Row(
                    [self._shown(c) for c in grid[i]],
                    self._shown(row_total[i]) if row_totals else None,
                )
                for i in range(len(values))
            ]
        )
        if column_totals:
            table.column_totals = [self._shown(c) for c in col_total]
            if row_totals:
                table.grand_total = self._shown(grand)
        return table

    def _shown(self, slot: _Slot) -> Cell:
        if slot.primary:
            return self._hidden()
        if slot.secondary:
            return Cell(None, SECONDARY, True, True)
        return Cell(slot.n, _number(slot.n))


@dataclass
class _Slot:
    """A number of a table while its suppression is worked out."""

    n: int
    primary: bool
    secondary: bool = False

    @property
    def hidden(self) -> bool:
        return self.primary or self.secondary


def _number(n: int) -> str:
    """Dutch thousands separator: 12.345."""
    return f"{n:,}".replace(",", ".")


def _public(actor: Actor) -> bool:
    return actor.is_known and actor.organisation_kind not in Organisation.PRIVATE_KINDS


def figure_scope(user) -> FigureScope | None:
    """The viewer's figures, or None: no steering figures (404)."""
    actor = actor_for(user)
    if not _public(actor) or actor.service_account:
        return None
    return scope_for_role(actor.role, actor=actor)


def scope_for_role(role: str, *, actor: Actor | None = None) -> FigureScope | None:
    """The figures of a viewer of `role` in a public organisation: the rule
    depends on the role alone, so precomputed rankings (docs/hotspots.md)
    are kept per role with the scope asked here."""
    if role not in STEERING_ROLES:
        return None
    classes = frozenset(
        cls for cls, actions in MATRIX.get(role, {}).items() if READ in actions
    )
    actor = actor or Actor(None, "", None, "", role)
    return FigureScope(actor, threshold(), classes)


def may_import_registers(user) -> bool:
    """Kadaster and KvK extracts (docs/hotspots.md): the coordinator and the
    Bibob coordinator of a municipality."""
    actor = actor_for(user)
    return (
        actor.organisation_kind == Organisation.Kind.GEMEENTE
        and actor.role in REGISTER_IMPORT_ROLES
    )


def may_manage_areas(user) -> bool:
    """The area boundaries the map draws: the functional administrator (no
    case data is involved)."""
    actor = actor_for(user)
    return actor.is_known and actor.role == Role.BEHEERDER


@dataclass(frozen=True)
class ProgrammeAccess:
    read: bool = False
    edit: bool = False
    budget: bool = False


def programme_access(
    user, *, organisation_id: int, partner_ids: Iterable[int] = ()
) -> ProgrammeAccess:
    """A programme (docs/programme.md): read by the steering viewers of the
    organisation that owns it and of the partners that take part; edited by
    the mayor and the coordinator of the owner; its budget read only inside
    the owner."""
    actor = actor_for(user)
    if figure_scope(user) is None:
        return ProgrammeAccess()
    own = actor.organisation_id == organisation_id
    if not own and actor.organisation_id not in set(partner_ids):
        return ProgrammeAccess()
    return ProgrammeAccess(
        read=True, edit=own and actor.role in PROGRAMME_EDIT_ROLES, budget=own
    )


def may_request_report(user) -> bool:
    """Every steering viewer: a report holds only what its requester sees."""
    return figure_scope(user) is not None


def feedback_organisations(user) -> frozenset | None:
    """The recipients whose WGS 1.7 lid 4 feedback the user reads: every
    organisation for a user of the RIEC, its own for a steering viewer,
    None for the rest (404)."""
    actor = actor_for(user)
    if not _public(actor) or actor.service_account:
        return None
    if actor.organisation_kind == Organisation.Kind.RIEC:
        return frozenset(Organisation.objects.values_list("pk", flat=True))
    if figure_scope(user) is None:
        return None
    return frozenset({actor.organisation_id})
