"""Reads across Bibob cases: earlier conclusions on the same person or company
(Wet Bibob art 29) and the outcome the permit handler may see.

Art 29: the bestuursorgaan may use an advice and the findings of its own
investigation for another decision within five years. On intake the
coordinator sees the conclusions recorded on other Bibob cases about the same
parties in that window: in full where the coordinator may open that dossier,
and otherwise only that one exists and whom to ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.compiled import Compiled
from casework.expressions import Const
from casework.models import Case, CaseParty, Deadline, DeadlineAdjustment, Party
from permissions.models import CaseAccess, DataClass, Role
from permissions.policy import actor_for
from permissions.services import log_sensitive_reads, prime_case_grants
from workflows.bibob.machine import CODE, BibobStatus
from workflows.bibob.models import BibobConclusion

REUSE_YEARS = 5


def reuse_window_start(today: date) -> date:
    """The first day of the art 29 window: the same calendar day five years
    back (29 February falls back to 28 February)."""
    try:
        return today.replace(year=today.year - REUSE_YEARS)
    except ValueError:
        return today.replace(year=today.year - REUSE_YEARS, day=28)


@dataclass(frozen=True)
class EarlierConclusion:
    """One earlier Bibob case about the same party. `conclusion` is None when
    the reader may not open that case's dossier: then only the reference and
    its coordinators are shown, never the content."""

    case: Case
    matched_on: str
    conclusion: BibobConclusion | None
    coordinators: tuple[str, ...] = ()

    @property
    def visible(self) -> bool:
        return self.conclusion is not None


@dataclass(frozen=True)
class _Parties:
    """The parties of a case as the keys another case can match on."""

    ids: frozenset[int]
    bsns: frozenset[str]
    kvks: frozenset[str]

    def matching_party_ids(self) -> set[int]:
        """The party rows that match: the case's own, and every row with one
        of their BSNs or KvK numbers (the same person or company entered
        twice). Two lookups by number, each on its own column, instead of one
        OR across the case-party join: the OR could use no index and read
        every case party of every case type (docs/performance.md, "Workflow
        pages at scale"). Each states the index's condition (a number is
        filled in) as a literal, so that a prepared statement's generic plan
        uses the partial index too (`casework.expressions.Const`)."""
        ids = set(self.ids)
        if self.bsns:
            ids.update(
                Party.objects.filter(bsn__in=self.bsns)
                .exclude(bsn=Const(""))
                .values_list("pk", flat=True)
            )
        if self.kvks:
            ids.update(
                Party.objects.filter(kvk_number__in=self.kvks)
                .exclude(kvk_number=Const(""))
                .values_list("pk", flat=True)
            )
        return ids

    def matched_on(self, party) -> str:
        if party.bsn and party.bsn in self.bsns:
            return "BSN"
        if party.kvk_number and party.kvk_number in self.kvks:
            return "KvK"
        return "party"


@Compiled
def _case_parties(case_id):
    return CaseParty.objects.filter(case_id=case_id).select_related("party")


def _parties_of(case: Case) -> _Parties:
    parties = [cp.party for cp in _case_parties(case.pk)]
    return _Parties(
        ids=frozenset(p.pk for p in parties),
        bsns=frozenset(p.bsn for p in parties if p.bsn),
        kvks=frozenset(p.kvk_number for p in parties if p.kvk_number),
    )


def earlier_conclusions(
    *, user, case: Case, today: date | None = None, request=None, reads=None
) -> list[EarlierConclusion]:
    """Conclusions on other Bibob cases about a party of `case` (same party
    row, BSN or KvK number), concluded within five years before `today`
    (art 29). The newest conclusion of each such case counts. Shown in full
    only where `user` may read that dossier (each read logged, D5); for the
    rest only that a conclusion exists and who coordinates that case.

    The reads are logged together (`log_sensitive_reads`); a caller that logs
    other reads of the same page passes its list as `reads`, and the reads
    found here are added to it for the caller to log with its own."""
    from workflows.bibob.services import may_read_dossier

    today = today or timezone.localdate()
    parties = _parties_of(case)
    if not parties.ids:
        return []
    rows = (
        CaseParty.objects.filter(
            party_id__in=parties.matching_party_ids(), case__case_type=CODE
        )
        .exclude(case=case)
        .select_related("party", "case")
        .order_by("case_id", "id")
    )
    matched: dict[int, tuple[Case, str]] = {}
    for row in rows:
        matched.setdefault(row.case_id, (row.case, parties.matched_on(row.party)))
    if not matched:
        return []
    start = reuse_window_start(today)
    newest: dict[int, BibobConclusion] = {}
    rows = BibobConclusion.objects.filter(case_id__in=matched).annotate(
        reader_team_role=_reader_team_role(user)
    )
    for conclusion in rows.order_by("case_id", "-recorded_at", "-id"):
        newest.setdefault(conclusion.case_id, conclusion)
    found, hidden = [], []
    for case_id, conclusion in newest.items():
        if not start <= conclusion.concluded_on <= today:
            continue
        other, how = matched[case_id]
        if conclusion.reader_team_role is not None:
            # The user's team role read with the visibility: the decision
            # point asks no grants of its own for this case.
            prime_case_grants(user, other, conclusion.reader_team_role)
            if may_read_dossier(user, other):
                found.append(EarlierConclusion(other, how, conclusion))
                continue
        hidden.append((other, how))
    coordinators = _coordinators([other.pk for other, _how in hidden])
    result = found + [
        EarlierConclusion(other, how, None, coordinators.get(other.pk, ()))
        for other, how in hidden
    ]
    result.sort(key=lambda e: e.case.reference)
    own = [(e.conclusion, DataClass.D5, e.case) for e in found]
    if reads is None:
        log_sensitive_reads(user=user, reads=own, request=request)
    else:
        reads.extend(own)
    return result


def _reader_team_role(user):
    """Per conclusion: whether the user may see its case
    (`Case.objects.for_user`) and, if so, the user's own team role on it;
    NULL when the user may not ("" for a service account, whose team role is
    its organisation's)."""
    visible = Case.objects.for_user(user).filter(pk=models.OuterRef("case_id"))
    if actor_for(user).service_account:
        return models.Case(
            models.When(models.Exists(visible), then=models.Value("")),
            default=None,
            output_field=models.CharField(),
        )
    # The join on the user's own team row that `for_user` made.
    return models.Subquery(visible.values("access__team_role")[:1])


def _coordinators(case_ids) -> dict[int, tuple[str, ...]]:
    """Whom to ask, per case: the Bibob coordinators on its team."""
    if not case_ids:
        return {}
    rows = CaseAccess.objects.filter(
        case_id__in=case_ids, user__membership__role=Role.BIBOB
    ).select_related("user")
    names: dict[int, list[str]] = {}
    for row in rows:
        names.setdefault(row.case_id, []).append(
            row.user.get_full_name() or row.user.get_username()
        )
    return {case_id: tuple(sorted(found)) for case_id, found in names.items()}


# The permit handler -----------------------------------------------------------

DECIDED = {
    BibobStatus.B22: "not_processed",
    BibobStatus.B70: "granted",
    BibobStatus.B71: "granted_with_conditions",
    BibobStatus.B72: "refused",
    BibobStatus.B73: "revoked",
}


@dataclass(frozen=True)
class PermitOutcome:
    """What the permit handler sees of a Bibob case: the decision once taken
    and whether the decision term stands still. No status code, no dossier:
    "own conclusion reported to the LBB" would already say too much."""

    case: Case
    decision: str  # a key of DECIDED's values, "withdrawn", or "" (pending)
    decision_label: str
    term_end: date | None
    suspended: bool
    suspended_since: date | None
    suspended_basis: str
    suspended_until: date | None  # art 31: the cap; Awb 4:15: the repair period


def _decision_of(case: Case) -> str:
    """The besluit, also after it was made known (B75) or the case closed."""
    from casework.models import CaseEvent

    if case.status == BibobStatus.B80:
        return "withdrawn"
    if case.status in DECIDED:
        return DECIDED[case.status]
    decided = (
        CaseEvent.objects.filter(
            case=case, kind=CaseEvent.Kind.STATUS, to_status__in=list(DECIDED)
        )
        .order_by("-id")
        .values_list("to_status", flat=True)
        .first()
    )
    return DECIDED.get(decided, "")


def outcome_cases_for(user):
    """The Bibob cases whose permit the user handles (a permit handler only)."""
    if actor_for(user).role != Role.VERGUNNING:
        return Case.objects.none()
    return Case.objects.filter(
        case_type=CODE, bibob_permit_handlers__user=user
    ).order_by("-opened_at")


def outcome_for_permit_handler(user, reference: str) -> PermitOutcome | None:
    """The outcome of one Bibob case for its permit handler; None for anyone
    else (the view answers 404)."""
    from workflows.bibob.terms import (
        ART31_BASIS,
        REPAIR_SUSPENSION_BASIS,
        beslistermijn,
    )
    from workflows.bibob.terms import art31_cap as art31_cap_of

    case = outcome_cases_for(user).filter(reference=reference).first()
    if case is None:
        return None
    decision = _decision_of(case)
    term = beslistermijn(case)
    running = None
    if term is not None and term.state == Deadline.State.SUSPENDED:
        running = term.adjustments.filter(
            kind=DeadlineAdjustment.Kind.SUSPENSION, end__isnull=True
        ).first()
    until = None
    basis = ""
    if running is not None:
        if running.legal_basis.startswith(ART31_BASIS):
            basis = ART31_BASIS
            until = running.cap_end or art31_cap_of(case)
        elif running.legal_basis.startswith(REPAIR_SUSPENSION_BASIS):
            basis = REPAIR_SUSPENSION_BASIS
            until = _repair_period_end(case)
        else:
            basis = running.legal_basis
    return PermitOutcome(
        case=case,
        decision=decision,
        decision_label=str(DECISION_LABELS.get(decision, DECISION_LABELS[""])),
        term_end=term.end_date if term is not None else None,
        suspended=running is not None,
        suspended_since=running.start if running is not None else None,
        suspended_basis=basis,
        suspended_until=until,
    )


def _repair_period_end(case: Case) -> date | None:
    from workflows.bibob.machine import REPAIR_BASIS

    period = case.deadlines.filter(legal_basis=REPAIR_BASIS).order_by("-id").first()
    return period.end_date if period is not None else None


DECISION_LABELS = {
    "": _("No decision yet"),
    "not_processed": _("Not processed (Awb 4:5)"),
    "granted": _("Granted"),
    "granted_with_conditions": _("Granted with conditions"),
    "refused": _("Refused"),
    "revoked": _("Revoked"),
    "withdrawn": _("Application withdrawn"),
}
