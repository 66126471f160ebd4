"""Integrale controle: the selection board's dismissals and the planned visit
with its partner slots (docs/domain.md §4.2 C10–C30, issue 6 items 1 and 3)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Case, CaseEvent, CaseLocation, Location, Signal
from casework.rules import Refusal, StepRefused, refuse
from permissions.decision import READ_OUTCOME, WRITE, decide, row_filter, team_role_of
from permissions.models import CaseAccess, Organisation, Role
from permissions.policy import actor_for
from permissions.selectors import team_row_probe

from .machine import CODE

BOARD_ROLES = frozenset({Role.COORDINATOR, Role.JURIST})
NOT_ALLOWED = _("You may not change this case.")
REASON_REQUIRED = _("Give the reason for not selecting this address.")


class Dismissal(models.Model):
    """An address the coordinator decided not to visit now, with the reason.
    It leaves the board until a newer signal about it arrives."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="dismissals"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    reason = models.TextField(_("reason"))
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    dismissed_on = models.DateField(_("dismissed on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("address not selected")
        verbose_name_plural = _("addresses not selected")
        indexes = [
            # The board's rule, asked per ranked address (board_candidates).
            models.Index(
                fields=["organisation", "location", "-dismissed_on"],
                name="dismissal_org_location",
            )
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.reason[:40]}"


class BoardRank(models.Model):
    """The selection board's rank of an address for one organisation and one
    board role (`BOARD_ROLES`): how many of the signals that its members may
    see (the decision point's rule, `permissions.selectors.signal_sql_for`)
    are not filed and were received in the window, and the latest of them.
    One row per source and one for every source (`source` ""). Written only
    by `ranks.py` (docs/controle.md, "Selection board")."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    role = models.CharField(max_length=30)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=30, blank=True)
    signals = models.PositiveIntegerField()
    latest = models.DateField()
    # The address's area, copied for the area filter (kept by ranks.py when
    # the address changes).
    area = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role", "location", "source"],
                name="boardrank_once",
            )
        ]
        indexes = [
            # The board's order: a range of one index, read until 50 rows
            # pass the dismissal rule (board_candidates).
            models.Index(
                fields=["organisation", "role", "source", "-signals", "-latest",
                        "location"],
                name="boardrank_order",
            ),
            # The same order within one area, and the board's list of areas.
            models.Index(
                fields=["organisation", "role", "source", "area", "-signals",
                        "-latest", "location"],
                name="boardrank_area_order",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.role}/{self.location_id}: {self.signals}"


class BoardScope(models.Model):
    """An organisation and board role whose ranks `BoardRank` holds, with the
    first day of the window they were counted from (a scope counted on an
    earlier window is counted again, ranks.ensure_scope)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    role = models.CharField(max_length=30)
    window_from = models.DateField()
    built_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "role"], name="boardscope_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.role} from {self.window_from}"


class Visit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    planned_at = models.DateTimeField(_("date and time"), null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The facts of the visit day, recorded by the steps C30 → C35 → C40 →
    # C45/C50 (steps.py); each is set once: a new visit is planned for a
    # re-inspection or after an abort.
    briefing_on = models.DateField(_("briefing held on"), null=True, blank=True)
    started_on = models.DateField(_("visit started on"), null=True, blank=True)
    finished_on = models.DateField(_("visit finished on"), null=True, blank=True)
    aborted_on = models.DateField(_("visit aborted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-planned_at", "-id"]
        indexes = [
            # The dashboard's week: the visits planned in seven days, of every
            # team, before they are narrowed to the user's (views.dashboard).
            models.Index(fields=["planned_at"], name="visit_planned_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.planned_at}"


class PartnerSlot(models.Model):
    class Kind(models.TextChoices):
        POLITIE = "politie", _("Police")
        BELASTINGDIENST = "belastingdienst", _("Tax administration")
        ARBEIDSINSPECTIE = "arbeidsinspectie", _("UWV / Labour inspectorate")
        BRANDWEER = "brandweer", _("Fire service")
        NETBEHEERDER = "netbeheerder", _("Grid operator")
        WONINGCORPORATIE = "woningcorporatie", _("Housing corporation")
        GEMEENTE = "gemeente", _("Municipality (toezicht/BOA)")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="slots")
    kind = models.CharField(_("partner"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True
    )
    legal_basis = models.CharField(
        _("legal basis for taking part"),
        max_length=200,
        help_text=_("Each partner names its own powers, e.g. Awb 5:15 / AWR 49."),
    )
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("partner slot")
        verbose_name_plural = _("partner slots")
        constraints = [
            models.UniqueConstraint(fields=["visit", "kind"], name="slot_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({'✓' if self.confirmed else '…'})"


# --- Selection board ------------------------------------------------------------


def may_use_board(user) -> bool:
    return actor_for(user).role in BOARD_ROLES


# The board ranks addresses by the signals of this many days back (docs/
# controle.md, "Selection board"): what a selection is made on, and a bound on
# the work — at 1M cases, ranking every signal since 2017 did not finish.
BOARD_WINDOW_DAYS = 365


def board_signals(user, *, source: str = ""):
    """The signals the board ranks by: those the user may see, not filed,
    received in the last BOARD_WINDOW_DAYS days (index `signal_received`)."""
    from datetime import timedelta

    since = timezone.localdate() - timedelta(days=BOARD_WINDOW_DAYS)
    visible = (
        Signal.objects.for_user(user)
        .exclude(status=Signal.Status.FILED)
        .filter(received_on__gte=since)
    )
    if source:
        visible = visible.filter(source=source)
    return visible


def board_areas(user) -> list[str]:
    """The wijken of the addresses on the user's board, for its filter: read
    from the ranks of the user's organisation and role (`BoardRank`), one
    step of the index `boardrank_area_order` per area (a loose index scan:
    DISTINCT read every address, 13-17 ms for 35,000)."""
    from django.db import connection

    actor = _board_scope(user)
    if actor is None:
        return []
    rank = connection.ops.quote_name(BoardRank._meta.db_table)
    scope = (
        f"SELECT MIN(b.area) FROM {rank} b WHERE b.organisation_id = %s "
        "AND b.role = %s AND b.source = ''"
    )
    params = [actor.organisation_id, actor.role] * 2
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE a(area) AS (SELECT ({scope} AND b.area > '') "
            f"UNION ALL SELECT ({scope} AND b.area > a.area) FROM a "
            "WHERE a.area IS NOT NULL) SELECT area FROM a WHERE area IS NOT NULL",
            params,
        )
        return sorted(area for (area,) in cursor.fetchall())


def _board_scope(user):
    """The user's actor when the user has a board role, its ranks counted
    on today's window (built on demand, ranks.ensure_scope); else None."""
    from .ranks import ensure_scope

    actor = actor_for(user)
    if not actor.is_known or actor.role not in BOARD_ROLES:
        return None
    ensure_scope(actor.organisation_id, actor.role)
    return actor


def board_candidates(user, *, area: str = "", source: str = "", limit: int = 50):
    """Addresses ranked by the signals the user may see about them (of the
    last BOARD_WINDOW_DAYS days): most signals first, then the most recent.
    Dismissed addresses stay off until a newer signal arrives. The ranks are
    the user's organisation's and role's (`BoardRank`, ranks.py); the
    sources and open cases are read for the rows shown only. A user without
    a board role has no board."""
    from django.db.models import Exists, OuterRef

    actor = _board_scope(user)
    if actor is None:
        return []
    organisation_id = actor.organisation_id
    ranks = BoardRank.objects.filter(
        organisation_id=organisation_id, role=actor.role, source=source
    )
    if area:
        ranks = ranks.filter(area=area)
    dismissed = Dismissal.objects.filter(
        location_id=OuterRef("location_id"),
        organisation_id=organisation_id,
        dismissed_on__gte=OuterRef("latest"),
    )
    ranked = list(
        ranks.exclude(Exists(dismissed))
        .select_related("location")
        .order_by("-signals", "-latest", "location_id")[:limit]
    )
    ids = [rank.location_id for rank in ranked]
    sources: dict[int, set[str]] = {pk: set() for pk in ids}
    labels = dict(Signal.Source.choices)
    per_source = BoardRank.objects.filter(
        organisation_id=organisation_id, role=actor.role, location_id__in=ids
    ).exclude(source="")
    if source:
        per_source = per_source.filter(source=source)
    for pk, code in per_source.values_list("location_id", "source"):
        sources[pk].add(str(labels.get(code, code)))
    # The open cases at each address the user may read: the addresses' case
    # rows, each tested by one probe of the user's team row (the decision
    # point's rule, `team_row_probe`), so the cases of others at a busy
    # address cost an index probe each, not a read of the case.
    visible = team_row_probe(user, "case_id")
    open_cases = (
        dict(
            CaseLocation.objects.filter(
                visible, location_id__in=ids, case__closed_at__isnull=True
            )
            .values_list("location")
            .annotate(n=Count("case", distinct=True))
        )
        if visible is not None
        else {}
    )
    rows = []
    for rank in ranked:
        row = rank.location
        row.signal_count = rank.signals
        row.latest = rank.latest
        row.sources = sorted(sources[row.pk])
        row.open_cases = open_cases.get(row.pk, 0)
        rows.append(row)
    return rows


@transaction.atomic
def board_select(*, user, location: Location) -> Case:
    """Open an integrale controle for the address, with the visible signals
    about it attached, straight into selection (C00 → C10 → C20)."""
    from casework.services import case_open, case_transition

    if not may_use_board(user):
        raise PermissionDenied(NOT_ALLOWED)
    signals = list(
        Signal.objects.for_user(user)
        .filter(locations=location)
        .exclude(status=Signal.Status.FILED)
    )
    title = str(_("Integrated inspection %(address)s") % {"address": location})
    case = case_open(
        user=user,
        case_type=CODE,
        title=title,
        note=str(_("Selected from the board: %(n)s signals")) % {"n": len(signals)},
    )
    CaseLocation.objects.create(
        case=case, location=location, role=CaseLocation.Role.PREMISES
    )
    for signal in signals:
        signal.cases.add(case)
        CaseEvent.objects.create(
            case=case, actor=user, kind=CaseEvent.Kind.SIGNAL, note=signal.reference
        )
    case = case_transition(case=case, name="start_triage", user=user)
    return case_transition(case=case, name="select", user=user)


@transaction.atomic
def board_dismiss(*, user, location: Location, reason: str) -> Dismissal:
    if not may_use_board(user):
        raise PermissionDenied(NOT_ALLOWED)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    return Dismissal.objects.create(
        location=location,
        organisation_id=actor_for(user).organisation_id,
        reason=reason.strip(),
        dismissed_by=user,
    )


# --- Planning -------------------------------------------------------------------

# §4.3 C25 → C30 "partners confirmed; each names its legal basis": a slot is a
# discipline, and only an organisation of that discipline takes it (a police
# slot is never the Belastingdienst's).
ORGANISATION_KIND_OF_SLOT = {
    PartnerSlot.Kind.POLITIE: Organisation.Kind.POLITIE,
    PartnerSlot.Kind.BELASTINGDIENST: Organisation.Kind.BELASTINGDIENST,
    PartnerSlot.Kind.ARBEIDSINSPECTIE: Organisation.Kind.INSPECTIE,
    PartnerSlot.Kind.BRANDWEER: Organisation.Kind.BRANDWEER,
    PartnerSlot.Kind.NETBEHEERDER: Organisation.Kind.NETBEHEERDER,
    PartnerSlot.Kind.WONINGCORPORATIE: Organisation.Kind.WONINGCORPORATIE,
    PartnerSlot.Kind.GEMEENTE: Organisation.Kind.GEMEENTE,
}
RULE_SLOT_DISCIPLINE = "§4.3 C25 → C30: deelnemer past bij de discipline"
RULE_SLOT_ONCE = "§4.3 C25 → C30: één plaats per discipline"
RULE_SLOT_AFTER_VISIT = "§4.3 C40 → C50: deelnemerslijst na het bezoek vast"
RULE_SLOT_PLAN_FIXED = "§4.3 C25 → C30: vastgesteld plan met bevestigde partner"
RULE_VISIT_DATE = "§4.3 C25 → C30: controle gepland in de toekomst"
SLOT_WRONG_ORGANISATION = _(
    "A %(slot)s place can only be taken by an organisation of that kind; "
    "%(organisation)s is a %(kind)s."
)
SLOT_TWICE = _("This visit already has a place for %(slot)s.")
SLOT_VISIT_HAPPENED = _(
    "The visit of %(date)s has taken place: its list of partners can no longer "
    "be changed."
)
SLOT_LAST_CONFIRMED = _(
    "The plan is fixed: at least one confirmed partner must stay on the visit "
    "of %(date)s."
)
VISIT_IN_THE_PAST = _(
    "A visit is planned for a moment still to come; it is now %(date)s."
)
# The states after the visit day began: from C40 the visit has taken place,
# whatever dates were recorded (§4.2).
VISITED_STATES = frozenset({"C40", "C45", "C50", "C60", "C70", "C99"})
# The plan is fixed (C25/C75 → C30) until the visit starts.
PLAN_FIXED_STATES = frozenset({"C30", "C35"})


def current_visit(case) -> Visit | None:
    """The visit the case is about now: the one planned last. A
    re-inspection and a visit after an abort are new visits (C75 → C30)."""
    return Visit.objects.filter(case=case).order_by("-id").first()


def visit_happened(visit: Visit) -> bool:
    """Whether the visit has taken place (or was aborted on site): its start
    is recorded, or it is the case's current visit and the case is past
    C35. An earlier visit of the case is in the past too."""
    if visit.started_on is not None or visit.aborted_on is not None:
        return True
    current = current_visit(visit.case)
    if current is None or current.pk != visit.pk:
        return True
    return _status(visit.case) in VISITED_STATES


def _planned_on(visit: Visit):
    return timezone.localdate(visit.planned_at) if visit.planned_at else None


@transaction.atomic
def visit_plan(*, case: Case, user, planned_at, lead) -> Visit:
    from workflows.controle.machine import COORD

    if not COORD(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if planned_at is not None and planned_at <= timezone.now():
        raise StepRefused(
            [refuse(RULE_VISIT_DATE, VISIT_IN_THE_PAST, on=timezone.localdate())]
        )
    return Visit.objects.create(case=case, planned_at=planned_at, lead=lead)


def _slot_refusals(slot: PartnerSlot, *, exclude_pk=None) -> list[Refusal]:
    """The rules of a slot as it would be saved: its organisation matches
    its discipline, one place per discipline per visit."""
    refusals = []
    organisation = slot.organisation
    expected = ORGANISATION_KIND_OF_SLOT.get(slot.kind)
    if organisation is not None and organisation.kind != expected:
        refusals.append(
            refuse(
                RULE_SLOT_DISCIPLINE,
                SLOT_WRONG_ORGANISATION,
                slot=PartnerSlot.Kind(slot.kind).label,
                organisation=organisation.name,
                kind=Organisation.Kind(organisation.kind).label,
            )
        )
    others = PartnerSlot.objects.filter(visit=slot.visit, kind=slot.kind)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        refusals.append(
            refuse(RULE_SLOT_ONCE, SLOT_TWICE, slot=PartnerSlot.Kind(slot.kind).label)
        )
    return refusals


def _may_change_slots(visit: Visit, user) -> None:
    """Who before when: the coordinator (or the jurist) changes the list of
    partners, and only until the visit takes place."""
    from workflows.controle.machine import COORD

    if not COORD(visit.case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if visit_happened(visit):
        raise StepRefused(
            [
                refuse(
                    RULE_SLOT_AFTER_VISIT,
                    SLOT_VISIT_HAPPENED,
                    on=visit.started_on or _planned_on(visit),
                )
            ]
        )


def _keeps_a_confirmed_partner(visit: Visit, *, losing: PartnerSlot) -> None:
    """Once the plan is fixed (C30, C35) its guard must stay true: a slot
    change may not leave the visit without a confirmed partner."""
    if _status(visit.case) not in PLAN_FIXED_STATES or not losing.confirmed:
        return
    if visit.slots.filter(confirmed=True).exclude(pk=losing.pk).exists():
        return
    raise StepRefused(
        [refuse(RULE_SLOT_PLAN_FIXED, SLOT_LAST_CONFIRMED, on=_planned_on(visit))]
    )


def _slot_event(slot: PartnerSlot, user, text) -> None:
    CaseEvent.objects.create(
        case_id=slot.visit.case_id,
        actor=user,
        kind=CaseEvent.Kind.NOTE,
        note=str(text)
        % {"slot": slot.get_kind_display(), "organisation": slot.organisation or "—",
           "basis": slot.legal_basis},
    )  # fmt: skip


@transaction.atomic
def slot_add(*, visit: Visit, user, kind: str, legal_basis: str, organisation=None):
    """A partner's place on the visit: its discipline, the organisation of
    that discipline and its own legal basis for taking part."""
    _may_change_slots(visit, user)
    slot = PartnerSlot(
        visit=visit, kind=kind, legal_basis=legal_basis.strip(),
        organisation=organisation,
    )  # fmt: skip
    slot.full_clean(exclude=["visit", "organisation"], validate_unique=False)
    refusals = _slot_refusals(slot)
    if refusals:
        raise StepRefused(refusals)
    slot.save()
    _slot_event(slot, user, _("Partner added: %(slot)s, %(organisation)s (%(basis)s)"))
    return slot


@transaction.atomic
def slot_edit(
    *, slot: PartnerSlot, user, kind: str, legal_basis: str, organisation=None
) -> PartnerSlot:
    """Change a partner's place before the visit. A changed place is no
    longer confirmed: the (new) organisation confirms it again."""
    slot = PartnerSlot.objects.select_related("visit__case").get(pk=slot.pk)
    visit = slot.visit
    _may_change_slots(visit, user)
    changed = (
        kind != slot.kind
        or legal_basis.strip() != slot.legal_basis
        or (organisation.pk if organisation else None) != slot.organisation_id
    )
    if changed:
        _keeps_a_confirmed_partner(visit, losing=slot)
    edited = PartnerSlot(
        pk=slot.pk, visit=visit, kind=kind, legal_basis=legal_basis.strip(),
        organisation=organisation,
        confirmed=slot.confirmed and not changed,
        confirmed_by=slot.confirmed_by if not changed else None,
    )  # fmt: skip
    edited.full_clean(exclude=["visit", "organisation", "confirmed_by"],
                      validate_unique=False)  # fmt: skip
    refusals = _slot_refusals(edited, exclude_pk=slot.pk)
    if refusals:
        raise StepRefused(refusals)
    edited.save()
    if changed:
        _slot_event(
            edited, user, _("Partner changed: %(slot)s, %(organisation)s (%(basis)s)")
        )
    return edited


@transaction.atomic
def slot_remove(*, slot: PartnerSlot, user) -> None:
    """Take a partner's place off the visit, before the visit."""
    slot = PartnerSlot.objects.select_related("visit__case").get(pk=slot.pk)
    _may_change_slots(slot.visit, user)
    _keeps_a_confirmed_partner(slot.visit, losing=slot)
    _slot_event(slot, user, _("Partner removed: %(slot)s, %(organisation)s"))
    slot.delete()


@transaction.atomic
def slot_confirm(*, slot: PartnerSlot, user) -> PartnerSlot:
    """A partner confirms its own slot; the coordinator may record a
    confirmation received by phone or mail. Only before the visit."""
    from workflows.controle.machine import COORD

    actor = actor_for(user)
    own = slot.organisation_id is not None and slot.organisation_id == (
        actor.organisation_id
    )
    # On the case's team as the decision point says (a person's own team
    # row; a partner API client's organisation's, docs/access.md).
    on_team = team_role_of(user, slot.visit.case) is not None
    if not ((own and on_team) or COORD(slot.visit.case, user)):
        raise PermissionDenied(NOT_ALLOWED)
    if visit_happened(slot.visit):
        raise StepRefused(
            [
                refuse(
                    RULE_SLOT_AFTER_VISIT,
                    SLOT_VISIT_HAPPENED,
                    on=slot.visit.started_on or _planned_on(slot.visit),
                )
            ]
        )
    slot.confirmed = True
    slot.confirmed_by = user
    slot.save(update_fields=["confirmed", "confirmed_by"])
    return slot


# --- Findings per partner ---------------------------------------------------------

PRIVATE_KINDS = frozenset(
    {Organisation.Kind.WONINGCORPORATIE, Organisation.Kind.NETBEHEERDER}
)
CLASS_OF_ORGANISATION = {
    Organisation.Kind.POLITIE: "D3",
    Organisation.Kind.OM: "D4",
    Organisation.Kind.BELASTINGDIENST: "D6",
}
FINDINGS_STATES = frozenset({"C40", "C50"})
NOT_NOW = _("Findings are recorded during or right after the visit.")


class Finding(models.Model):
    """What one partner found on the visit, in its own compartment (issue 6
    item 5; docs/domain.md §4.3 C40 → C50, §6.4)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="findings")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("finding"))
    data_class = models.CharField(_("data class"), max_length=3)
    shareable = models.BooleanField(
        _("may go into the consolidated visit report"), default=False
    )
    fiscal = models.BooleanField(
        _("based on fiscal data"),
        default=False,
        help_text=_("Never shown to private parties (WGS 1.5 lid 4, 1.7 lid 6)."),
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"


def _status(case) -> str:
    """The case's status as stored (a caller may hold an older instance)."""
    return Case.objects.values_list("status", flat=True).get(pk=case.pk)


def _on_team(case, user) -> bool:
    return case.access.filter(user=user).exists()


def finding_class(user) -> str:
    """The data class of the user's findings: its organisation's (police D3,
    OM D4, Belastingdienst D6), else D0."""
    return CLASS_OF_ORGANISATION.get(actor_for(user).organisation_kind, "D0")


def may_record_finding(user, case: Case) -> bool:
    """The decision point: the user writes a finding of its own organisation
    on this visit (the "finding" section allows own items: a partner on the
    team whose role has "own" on its organisation's class; the municipality's
    team members with W on D0). Whatever the state."""
    actor = actor_for(user)
    return actor.is_known and decide(
        user, WRITE, "finding", case=case, data_class=finding_class(user),
        organisation_id=actor.organisation_id,
    )  # fmt: skip


@transaction.atomic
def finding_record(
    *, case: Case, user, text: str, shareable: bool = False, fiscal: bool = False
) -> Finding:
    """Each partner on the team records its own findings; the data class
    follows the organisation (police D3, OM D4, Belastingdienst D6). Who may
    is asked before the state: a refused user learns nothing of it."""
    if not may_record_finding(user, case):
        raise PermissionDenied(NOT_ALLOWED)
    if _status(case) not in FINDINGS_STATES:
        raise ValidationError(NOT_NOW)
    if not text.strip():
        raise ValidationError({"text": _("Describe the finding.")})
    organisation = Organisation.objects.get(pk=actor_for(user).organisation_id)
    fiscal = fiscal or organisation.kind == Organisation.Kind.BELASTINGDIENST
    return Finding.objects.create(
        case=case,
        organisation=organisation,
        author=user,
        text=text.strip(),
        data_class=finding_class(user),
        shareable=shareable,
        fiscal=fiscal,
    )


def findings_for(user, case: Case):
    """The findings the decision point lets the user read, in SQL: its own
    organisation's; another partner's when its role reads that data class and
    the finding is shareable (the coordinator and the jurist: every
    compartment their classes allow); fiscal findings never to private
    parties. The rule is the "finding" section declared in registration.py
    (docs/access.md)."""
    if not decide(user, READ_OUTCOME, "case", case=case):
        return Finding.objects.none()
    condition = row_filter(
        user,
        "finding",
        organisation_field="organisation_id",
        shared=models.Q(shareable=True),
        flagged=models.Q(fiscal=True),
    )
    return case.findings.filter(condition).select_related("organisation", "author")


RULE_FOLLOW_UP_HANDLER = "§4.3 C60 → C61: behandelaar van het vervolgspoor"
RULE_NEED_TO_KNOW = "WGS 1.5 lid 4, 1.7 lid 6; §6.2 need-to-know"
FOLLOW_UP_STATE = _("Follow-up cases start in the follow-up phase (C60).")
NO_HANDLER = _(
    "Nobody on this inspection's team can take the follow-up case: name a "
    "%(role)s who handles it."
)
NOT_A_HANDLER = _(
    "%(name)s cannot handle the follow-up case: it needs a %(role)s of the "
    "municipality."
)
NOT_ON_TEAM = _(
    "%(name)s is not on this inspection's team; only its partners can be "
    "added to the follow-up case."
)


def handler_role(case_type: str) -> str:
    """The role that takes the first task of a new case of `case_type`: the
    role of the phase of its initial status in its flow (the jurist for a
    last onder dwangsom, the Bibob coordinator for a Bibob toets). Read from
    the registry: the package imports no other case type."""
    from casework.registry import registry

    entry = registry.case_type(case_type)
    flow = entry.flow
    phase_name = flow.phase_of.get(entry.initial_status) if flow else None
    phase = next((p for p in getattr(flow, "phases", ()) if p.name == phase_name), None)
    return phase.role if phase is not None else Role.JURIST


def follow_up_handlers(case: Case, case_type: str):
    """The users of the municipality who may take the follow-up case: the
    handler role of its type, in the organisation responsible for the
    inspection."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            membership__role=handler_role(case_type),
            membership__organisation_id=case.responsible_organisation_id,
            is_active=True,
        )
        .order_by("username")
    )


@transaction.atomic
def follow_up_open(
    *, case: Case, user, case_type: str, title: str, handler=None, partners=()
) -> Case:
    """Start a follow-up track as a child case (C60 → C61/C62…), linked both
    ways, with the inspected address.

    Its team: the municipality's members of the inspection's team, and a
    handler of the type's first task (the jurist of a last onder dwangsom),
    named or the first of the team, so the task is never orphaned. Partners
    (police, Belastingdienst…) join only when chosen in `partners`: a
    follow-up is a new purpose, and fiscal data stays need-to-know (WGS 1.5
    lid 4, 1.7 lid 6; domain.md §6.2)."""
    from casework.services import case_open, case_team_add
    from permissions.policy import READ, role_actions
    from workflows.controle.machine import COORD

    # Who may before when: a refused user learns nothing of the state.
    if not COORD(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if _status(case) != "C60":
        raise ValidationError(FOLLOW_UP_STATE)
    role = handler_role(case_type)
    role_label = Role(role).label
    handlers = follow_up_handlers(case, case_type)
    team = list(case.access.exclude(user=user).select_related("user", "organisation"))
    if handler is None:
        handler = next(
            (a.user for a in team if handlers.filter(pk=a.user_id).exists()), None
        )
        if handler is None:
            raise StepRefused(
                [refuse(RULE_FOLLOW_UP_HANDLER, NO_HANDLER, role=role_label)]
            )
    elif not handlers.filter(pk=handler.pk).exists():
        raise StepRefused(
            [
                refuse(
                    RULE_FOLLOW_UP_HANDLER, NOT_A_HANDLER,
                    name=handler.get_full_name() or handler.username, role=role_label,
                )
            ]
        )  # fmt: skip
    on_team = {a.user_id for a in team}
    for partner in partners:
        if partner.pk not in on_team:
            raise StepRefused(
                [
                    refuse(
                        RULE_NEED_TO_KNOW, NOT_ON_TEAM,
                        name=partner.get_full_name() or partner.username,
                    )
                ]
            )  # fmt: skip
    child = case_open(user=user, case_type=case_type, title=title, parent=case)
    chosen = {p.pk for p in partners}
    own = case.responsible_organisation_id
    joined = set()
    for access in team:
        if access.organisation_id != own and access.user_id not in chosen:
            continue  # a partner only by choice
        if READ not in role_actions(actor_for(access.user).role, child.data_class):
            continue
        team_role = access.team_role
        if team_role == CaseAccess.TeamRole.OWNER:
            team_role = CaseAccess.TeamRole.MEMBER
        case_team_add(case=child, user=user, member=access.user, team_role=team_role)
        joined.add(access.user_id)
    if handler.pk not in joined and handler.pk != user.pk:
        case_team_add(
            case=child, user=user, member=handler,
            team_role=CaseAccess.TeamRole.MEMBER,
        )  # fmt: skip
    for location in case.locations.all():
        CaseLocation.objects.get_or_create(
            case=child, location_id=location.location_id, role=location.role
        )
    return child


# --- Briefing and external referrals ----------------------------------------------


class Briefing(models.Model):
    """The need-to-know excerpt for the visit (docs/domain.md §6.4 †): address,
    risk flags and required powers — never the police report itself."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="briefing")
    risk_flags = models.TextField(_("risk flags"))
    powers = models.TextField(_("required powers"))
    instructions = models.TextField(_("instructions"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self) -> str:
        return f"{self.case_id}"


class Referral(models.Model):
    """A follow-up track outside the municipality, recorded as external
    (C62 criminal → OM, C63 fiscal/social, C64 private)."""

    class Track(models.TextChoices):
        CRIMINAL = "criminal", _("Criminal (OM)")
        FISCAL = "fiscal", _("Tax or social (Belastingdienst, UWV)")
        PRIVATE = "private", _("Private (grid operator, housing corporation)")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    track = models.CharField(_("track"), max_length=10, choices=Track.choices)
    recipient = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("recipient")
    )
    legal_basis = models.CharField(_("legal basis for sharing"), max_length=200)
    note = models.TextField(_("what was referred"), blank=True)
    referred_on = models.DateField(_("referred on"), default=timezone.localdate)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["referred_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_track_display()} → {self.recipient}"


BRIEFING_STATES = frozenset({"C25", "C30", "C75"})


@transaction.atomic
def briefing_save(*, case: Case, user, risk_flags: str, powers: str, instructions=""):
    from workflows.controle.machine import COORD

    if not COORD(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if _status(case) not in BRIEFING_STATES:
        raise ValidationError(_("The briefing is prepared before the visit."))
    briefing, _created = Briefing.objects.update_or_create(
        case=case,
        defaults={
            "risk_flags": risk_flags.strip(),
            "powers": powers.strip(),
            "instructions": instructions.strip(),
            "prepared_by": user,
            "prepared_at": timezone.now(),
        },
    )
    return briefing


def briefing_read(*, case: Case, user, request=None) -> Briefing | None:
    """The briefing for a member of the team; every read is logged (issue 6
    item 4: who saw the briefing)."""
    from permissions.models import AccessLog
    from permissions.services import log_access

    if not _on_team(case, user):
        return None
    briefing = Briefing.objects.filter(case=case).first()
    if briefing is not None:
        log_access(
            user=user, action=AccessLog.Action.READ, object_type="briefing",
            object_id=briefing.pk, data_class="D0", case=case, request=request,
        )  # fmt: skip
    return briefing


@transaction.atomic
def referral_record(
    *, case: Case, user, track: str, recipient, legal_basis: str, note: str = ""
) -> Referral:
    """Record an external track; fiscal results never go to a private party
    (WGS 1.5 lid 4, 1.7 lid 6)."""
    from workflows.controle.machine import COORD

    if not COORD(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if _status(case) != "C60":
        raise ValidationError(_("Follow-up cases start in the follow-up phase (C60)."))
    if track == Referral.Track.PRIVATE and recipient.kind not in PRIVATE_KINDS:
        raise ValidationError(
            {"recipient": _("A private track goes to a private party.")}
        )
    if recipient.kind in PRIVATE_KINDS and track != Referral.Track.PRIVATE:
        raise ValidationError(
            {"recipient": _("Only the private track goes to a private party.")}
        )
    referral = Referral(
        case=case, track=track, recipient=recipient, legal_basis=legal_basis,
        note=note, referred_by=user,
    )  # fmt: skip
    referral.full_clean()
    referral.save()
    CaseEvent.objects.create(
        case=case,
        actor=user,
        kind=CaseEvent.Kind.NOTE,
        note=str(_("Referred: %(track)s to %(recipient)s (%(basis)s)"))
        % {"track": referral.get_track_display(), "recipient": recipient,
           "basis": legal_basis},
    )  # fmt: skip
    return referral


# The case-type proxy (machine.py) is a model of this app too.
from .machine import ControleCase  # noqa: E402, F401
