"""Reads on the legal-protection region: the protections of a case with their
deadlines, and the history of one protection.

`casework.Deadline` and `casework.CaseEvent` point at the case, not at the
protection. A region deadline carries the protection's decision title after
`TITLE_SEPARATOR` and one of the region's legal bases; a history row carries an
R-code and the decision title. The decision title is unique per case
(`workflows.legal_protection.services.legal_protection_open`), which keeps the match
exact.
"""

from django.db.models import Q

from casework.models import Case, CaseEvent, Deadline
from permissions.decision import decide
from permissions.policy import READ
from workflows.legal_protection.machine import LegalProtection, LegalProtectionStatus

# Legal bases of the deadlines the region keeps (workflows.legal_protection.services).
# Plain citations, not translated: they also tell the three kinds apart.
OBJECTION_TERM_BASIS = "Awb 6:7, 6:8"
DECISION_TERM_BASIS = "Awb 7:10 lid 1"
APPEAL_TERM_BASIS = "Awb 6:7, 6:8 (beroep)"
REGION_BASES = (OBJECTION_TERM_BASIS, DECISION_TERM_BASIS, APPEAL_TERM_BASIS)

TITLE_SEPARATOR = ": "
TITLE_MAX = Deadline._meta.get_field("title").max_length

ACTIVE = (Deadline.State.OPEN, Deadline.State.SUSPENDED)


def may_read_legal_protection(user, case) -> bool:
    """The file of a besluit and its legal protection is D2: a partner's
    contributor on the team (D2 only for its own items) does not read it
    (the decision point's "legal_protection")."""
    return decide(user, READ, "legal_protection", case=case)


def deadline_title(label, decision_title: str) -> str:
    """The title of a region deadline: its kind, then the decision title (cut
    to the column's length)."""
    return f"{label}{TITLE_SEPARATOR}{decision_title}"[:TITLE_MAX]


def belongs_to(deadline: Deadline, protection: LegalProtection) -> bool:
    """True when a deadline of the case is one the region keeps for this
    protection. The kind label before the separator is in the language that
    was active when the deadline was made, so only the part after it counts."""
    if deadline.legal_basis not in REGION_BASES:
        return False
    _label, separator, rest = deadline.title.partition(TITLE_SEPARATOR)
    if not separator:
        return False
    if rest == protection.decision_title:
        return True
    # A title cut at the column's length keeps a prefix of the decision.
    return len(deadline.title) == TITLE_MAX and protection.decision_title.startswith(
        rest
    )


def _region_deadlines(case: Case):
    return Deadline.objects.filter(case=case, legal_basis__in=REGION_BASES).order_by(
        "event_date", "id"
    )


def protection_deadlines(protection: LegalProtection) -> list[Deadline]:
    """The region's deadlines for one protection, oldest trigger first."""
    return [
        d for d in _region_deadlines(protection.case_id) if belongs_to(d, protection)
    ]


def protection_deadline(
    protection: LegalProtection, basis: str, *, active_only: bool = False
) -> Deadline | None:
    """The newest region deadline of this kind for the protection."""
    found = [
        d
        for d in protection_deadlines(protection)
        if d.legal_basis == basis and (not active_only or d.state in ACTIVE)
    ]
    return found[-1] if found else None


def next_deadline(deadlines) -> Deadline | None:
    """The running deadline that ends first, if any."""
    running = [d for d in deadlines if d.state in ACTIVE]
    return min(running, key=lambda d: (d.end_date, d.pk)) if running else None


def legal_protections_for_case(
    case: Case, *, has_deadlines: bool = True
) -> list[LegalProtection]:
    """The case's protections, newest first, each with `region_deadlines` and
    `next_deadline` set. Two queries, whatever the number of rows; one when
    the caller knows the case has no deadlines at all (`has_deadlines`, the
    case page's section flag), since then no protection has any.

    Hand-written SQL with every column, as the querysets `LegalProtection.
    objects.filter(case=case).order_by("-opened_at", "-id")` and
    `_region_deadlines(case)` give (1.4 ms as those, about 0.6 ms so;
    docs/performance.md)."""
    protections = list(
        LegalProtection.objects.raw(
            _all_columns_sql(LegalProtection, "case_id = %s")
            + " ORDER BY opened_at DESC, id DESC",
            [case.pk],
        )
    )
    if not protections:
        return protections
    deadlines = []
    if has_deadlines:
        marks = ", ".join(["%s"] * len(REGION_BASES))
        deadlines = list(
            Deadline.objects.raw(
                _all_columns_sql(Deadline, f"case_id = %s AND legal_basis IN ({marks})")
                + " ORDER BY event_date, id",
                [case.pk, *REGION_BASES],
            )
        )
    for protection in protections:
        protection.case = case
        own = [d for d in deadlines if belongs_to(d, protection)]
        protection.region_deadlines = own
        protection.next_deadline = next_deadline(own)
    return protections


def _all_columns_sql(model, where: str) -> str:
    """SELECT every concrete column of `model` WHERE `where`."""
    from django.db import connection

    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in model._meta.concrete_fields)
    return f"SELECT {columns} FROM {qn(model._meta.db_table)} WHERE {where}"


def protection_for_case(case: Case, pk: int) -> LegalProtection | None:
    protection = LegalProtection.objects.filter(case=case, pk=pk).first()
    if protection is not None:
        protection.case = case
    return protection


def protection_history(protection: LegalProtection, limit: int = 200) -> list:
    """The steps of this protection from the case history, newest first: rows
    with an R-code that name the decision. A row naming a longer decision title
    that contains this one belongs to that other protection."""
    codes = LegalProtectionStatus.values
    longer = [
        title
        for title in LegalProtection.objects.filter(
            case_id=protection.case_id,
            decision_title__contains=protection.decision_title,
        )
        .exclude(pk=protection.pk)
        .values_list("decision_title", flat=True)
    ]
    rows = (
        CaseEvent.objects.filter(
            Q(to_status__in=codes) | Q(from_status__in=codes),
            case_id=protection.case_id,
            note__contains=protection.decision_title,
        )
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    return [row for row in rows if not any(title in row.note for title in longer)]
