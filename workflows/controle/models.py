"""Integrale controle: the selection board's dismissals and the planned visit
with its partner slots (docs/domain.md §4.2 C10–C30, issue 6 items 1 and 3)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Case, CaseEvent, CaseLocation, Location, Signal
from permissions.decision import READ_OUTCOME, WRITE, decide, row_filter
from permissions.models import Organisation, Role
from permissions.policy import actor_for

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

    def __str__(self) -> str:
        return f"{self.location}: {self.reason[:40]}"


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

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-planned_at", "-id"]

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


def board_candidates(user, *, area: str = "", source: str = "", limit: int = 50):
    """Addresses ranked by the signals the user may see about them: most
    signals first, then the most recent. Dismissed addresses stay off until a
    newer signal arrives. Open cases and sources are read for the page only."""
    from django.db.models import F, Q

    visible = Signal.objects.for_user(user).exclude(status=Signal.Status.FILED)
    if source:
        visible = visible.filter(source=source)
    locations = Location.objects.filter(signals__in=visible)
    if area:
        locations = locations.filter(area=area)
    organisation_id = actor_for(user).organisation_id
    rows = list(
        locations.annotate(
            signal_count=Count("signals", distinct=True),
            latest=Max("signals__received_on"),
            dismissed_on=Max(
                "dismissals__dismissed_on",
                filter=Q(dismissals__organisation_id=organisation_id),
            ),
        )
        .filter(Q(dismissed_on__isnull=True) | Q(latest__gt=F("dismissed_on")))
        .order_by("-signal_count", "-latest", "id")[:limit]
    )
    ids = [row.pk for row in rows]
    sources: dict[int, set[str]] = {pk: set() for pk in ids}
    labels = dict(Signal.Source.choices)
    for pk, code in visible.filter(locations__in=ids).values_list(
        "locations", "source"
    ):
        if pk in sources:
            sources[pk].add(str(labels.get(code, code)))
    open_cases = dict(
        CaseLocation.objects.filter(
            location__in=ids,
            case__in=Case.objects.for_user(user).filter(closed_at__isnull=True),
        )
        .values_list("location")
        .annotate(n=Count("case", distinct=True))
    )
    for row in rows:
        row.sources = sorted(sources[row.pk])
        row.open_cases = open_cases.get(row.pk, 0)
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


@transaction.atomic
def visit_plan(*, case: Case, user, planned_at, lead) -> Visit:
    from workflows.controle.machine import COORD

    if not COORD(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if planned_at is not None and planned_at <= timezone.now():
        raise ValidationError({"planned_at": _("A visit is planned in the future.")})
    return Visit.objects.create(case=case, planned_at=planned_at, lead=lead)


@transaction.atomic
def slot_add(*, visit: Visit, user, kind: str, legal_basis: str, organisation=None):
    from workflows.controle.machine import COORD

    if not COORD(visit.case, user):
        raise PermissionDenied(NOT_ALLOWED)
    slot = PartnerSlot(
        visit=visit, kind=kind, legal_basis=legal_basis, organisation=organisation
    )
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def slot_confirm(*, slot: PartnerSlot, user) -> PartnerSlot:
    """A partner confirms its own slot; the coordinator may record a
    confirmation received by phone or mail."""
    from workflows.controle.machine import COORD

    actor = actor_for(user)
    own = slot.organisation_id is not None and slot.organisation_id == (
        actor.organisation_id
    )
    on_team = slot.visit.case.access.filter(user=user).exists()
    if not ((own and on_team) or COORD(slot.visit.case, user)):
        raise PermissionDenied(NOT_ALLOWED)
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


@transaction.atomic
def follow_up_open(*, case: Case, user, case_type: str, title: str) -> Case:
    """Start a follow-up track as a child case (C60 → C61/C62…), linked both
    ways, with the inspected address."""
    from casework.services import case_open
    from workflows.controle.machine import COORD

    # Who may before when: a refused user learns nothing of the state.
    if not COORD(case, user):
        raise PermissionDenied(NOT_ALLOWED)
    if _status(case) != "C60":
        raise ValidationError(_("Follow-up cases start in the follow-up phase (C60)."))
    child = case_open(user=user, case_type=case_type, title=title, parent=case)
    # The inspection's team carries on with the track (the jurist takes the
    # last onder dwangsom).
    from casework.services import case_team_copy

    case_team_copy(source=case, target=child, user=user)
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
