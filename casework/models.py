"""The case kernel: cases, parties, locations, incoming signals and history.

Case types add their states and transitions as proxy models in their own
packages under `workflows/` and register with `casework.registry`; the kernel
holds what every case type shares and knows no case type.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower, Now
from django.db.models.signals import post_migrate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_fsm import FSMField, FSMModelMixin, transition
from viewflow.workflow.models import Process

from permissions.models import DataClass

from . import validators


class ReferenceCounter(models.Model):
    """Last number handed out per series and year; locked while a number is
    taken so references stay gap-free under concurrent creation."""

    series = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="one_counter")
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.series}: {self.last}"


class CaseQuerySet(models.QuerySet):
    def for_user(self, user):
        """Cases the user may see: on the team, and the role may read the
        case's data class. Reads the team table first (see permissions.models)."""
        from permissions.selectors import visible_case_filter

        return self.filter(visible_case_filter(user))


# Case columns written only by their own writers, never by `Case.save()`.
DERIVED_FIELDS = frozenset(
    {
        "next_due",
        "last_activity_at",
        "area",
        "step",
        "step_role",
        "step_at",
        "outcome_at",
    }
)


class Case(FSMModelMixin, models.Model):
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    # The code a case type registered (casework.registry); no choices here,
    # so a new case type needs no migration of the kernel.
    case_type = models.CharField(_("case type"), max_length=10)
    # Legal status; each case type's proxy (its machine.py) declares its states
    # and transitions. Never assigned directly (protected).
    status = FSMField(_("status"), max_length=10, protected=True)
    title = models.CharField(_("title"), max_length=200)
    data_class = models.CharField(
        _("data class"), max_length=3, choices=DataClass.choices, default=DataClass.D0
    )
    responsible_organisation = models.ForeignKey(
        "permissions.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("responsible organisation"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent case"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The person who holds the case within its team (issue 16, item 4;
    # docs/assignment.md). Null: the case is the team's, unassigned.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    # Copies the case list filters and sorts on (issue 16 item 2,
    # docs/listing.md), each kept by one writer: `next_due` by
    # casework.deadlines (the end date of the case's first running deadline),
    # `last_activity_at` and `area` by database triggers on the history and
    # on the case's locations (casework.listing.trigger_sql). `save()` never
    # writes them.
    next_due = models.DateField(_("next deadline"), null=True, blank=True)
    last_activity_at = models.DateTimeField(
        _("last activity"), default=timezone.now, db_default=Now()
    )
    area = models.CharField(
        _("area"), max_length=100, blank=True, default="", db_default=""
    )
    # The open step of the case's flow (docs/assignment.md, "Mijn werk at
    # scale"): its phase, the role that takes it and when it opened; "" and
    # null once the flow has ended. Written only by casework.flows
    # (`record_step`, after the flow started or moved), copied to the list
    # entries, so that Mijn werk's groups are a range of the user's entries.
    step = models.CharField(max_length=40, blank=True, default="", db_default="")
    step_role = models.CharField(max_length=30, blank=True, default="", db_default="")
    step_at = models.DateTimeField(null=True, blank=True)
    # When the case last entered one of its type's outcome statuses (the
    # proxy's OUTCOMES: a visit carried out or aborted), null before its
    # first: the time of that status event, kept by a database trigger on the
    # history (`casework.listing.OUTCOME_TRIGGER`, whoever writes the event)
    # and copied to the list entries: a case type's statistics read its
    # outcomes since a date from the user's cases with an outcome since then
    # (index `list_outcome`), not from everyone's.
    outcome_at = models.DateTimeField(null=True, blank=True)

    # Statuses whose entering is an outcome the case type counts (none here;
    # a case type's proxy names its own).
    OUTCOMES: frozenset = frozenset()

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["-opened_at", "-id"], name="case_opened")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        """A full save of a loaded case leaves the copies the list reads
        (`DERIVED_FIELDS`) to their writers: an instance read before a deadline
        or an event was added would otherwise put the old value back."""
        if kwargs.get("update_fields") is None and not self._state.adding:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key
                and f.name not in DERIVED_FIELDS
                and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("casework:case_detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def status_label(self) -> str:
        from casework.registry import registry

        return registry.status_label(self.case_type, self.status)

    @property
    def case_type_label(self) -> str:
        from casework.registry import registry

        return registry.type_label(self.case_type)


class CaseProcess(Process):
    """The viewflow process that carries the work on one case
    (casework/flows.py). A real foreign key, not viewflow's integer artifact
    link, so that the task inbox joins through the case team index."""

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="process", verbose_name=_("case")
    )

    class Meta:
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")


class CaseLink(models.Model):
    """A "related" link between two cases; parent/child is `Case.parent`."""

    from_case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="links_out"
    )
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="one_link"),
            models.CheckConstraint(
                condition=~models.Q(from_case=models.F("to_case")), name="no_self_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} ↔ {self.to_case_id}"


class Party(models.Model):
    """A person or an organisation (company) involved in cases."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        COMPANY = "company", _("Company or organisation")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    bsn = models.CharField(
        _("BSN"), max_length=9, blank=True, validators=[validators.validate_bsn]
    )
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validators.validate_kvk]
    )
    legal_form = models.CharField(_("legal form"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        indexes = [models.Index(fields=["name"], name="party_name")]

    def __str__(self) -> str:
        return self.name


class CaseParty(models.Model):
    class Role(models.TextChoices):
        OVERTREDER = "overtreder", _("offender")
        RECHTHEBBENDE = "rechthebbende", _("holder of rights")
        AANVRAGER = "aanvrager", _("applicant")
        BETROKKENE = "betrokkene", _("person concerned")
        DERDE = "derde", _("third party")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="cases")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "party", "role"], name="one_party_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} ({self.role})"


class Location(models.Model):
    """An address or premises."""

    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, validators=[validators.validate_postcode]
    )
    house_number = models.PositiveIntegerField(_("house number"))
    addition = models.CharField(_("addition"), max_length=10, blank=True)
    city = models.CharField(_("town"), max_length=100)
    area = models.CharField(_("area"), max_length=100, blank=True)
    bag_id = models.CharField(
        _("BAG id"), max_length=16, blank=True, validators=[validators.validate_bag_id]
    )
    # The BAG point of the address in RD New (EPSG:28992, metres), stored from
    # a BAG lookup or a demo; the hotspot map draws it (docs/hotspots.md).
    # The bounds are the RD grid's validity area around the Netherlands.
    x = models.FloatField(
        _("RD x"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-7000), MaxValueValidator(300000)],
    )
    y = models.FloatField(
        _("RD y"),
        null=True,
        blank=True,
        validators=[MinValueValidator(289000), MaxValueValidator(629000)],
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        indexes = [
            models.Index(fields=["postcode", "house_number"], name="location_pc_hn"),
            # A town's addresses, for a search by the town's name alone
            # (casework.search._town).
            models.Index(Lower("city"), name="location_town"),
        ]

    def __str__(self) -> str:
        number = f"{self.house_number}{self.addition}"
        street = f"{self.street} {number}" if self.street else number
        return f"{street}, {self.postcode} {self.city}"


class CaseLocation(models.Model):
    class Role(models.TextChoices):
        PREMISES = "premises", _("premises concerned")
        RESIDENCE = "residence", _("residential address")
        BUSINESS = "business", _("business address")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="locations")
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="cases"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "location", "role"], name="one_location_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} ({self.role})"


class SignalQuerySet(models.QuerySet):
    def for_user(self, user):
        from permissions.selectors import visible_signal_filter

        return self.filter(visible_signal_filter(user))


class Signal(FSMModelMixin, models.Model):
    """An incoming signal: a police report, an anonymous tip, an inspector's
    finding. Triage turns it into cases or files it with a reason."""

    class Source(models.TextChoices):
        BESTUURLIJKE_RAPPORTAGE = (
            "bestuurlijke_rapportage",
            _("Police administrative report"),
        )
        MMA = "mma", _("Meld Misdaad Anoniem")
        TOEZICHT = "toezicht", _("Inspection / BOA")
        CAMERA = "camera", _("Camera surveillance")
        ONDERMIJNINGSTAFEL = "ondermijningstafel", _("Ondermijningstafel")
        VEILIGHEIDSTAFEL = "veiligheidstafel", _("Veiligheidstafel")
        HANDHAVINGSOVERLEG = "handhavingsoverleg", _("Enforcement consultation")
        BURGER = "burger", _("Resident")
        RIEC = "riec", _("RIEC")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGE = "triage", _("In triage")
        CONVERTED = "converted", _("Converted to case")
        FILED = "filed", _("Filed without action")

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    source = models.CharField(_("source"), max_length=30, choices=Source.choices)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"))
    data_class = models.CharField(
        _("data class"), max_length=3, choices=DataClass.choices, default=DataClass.D0
    )
    legal_basis = models.CharField(
        _("received under (legal basis)"), max_length=100, blank=True
    )
    source_organisation = models.ForeignKey(
        "permissions.Organisation",
        on_delete=models.PROTECT,
        related_name="signals_supplied",
        verbose_name=_("supplied by"),
    )
    shared_with = models.ManyToManyField(
        "permissions.Organisation",
        related_name="signals_received",
        blank=True,
        verbose_name=_("shared with"),
    )
    status = FSMField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        protected=True,
    )
    filed_reason = models.TextField(_("reason for filing"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    parties = models.ManyToManyField(Party, blank=True, related_name="signals")
    locations = models.ManyToManyField(Location, blank=True, related_name="signals")
    cases = models.ManyToManyField(Case, blank=True, related_name="signals")

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        indexes = [
            models.Index(fields=["status", "-received_on"], name="signal_status"),
            # The selection board's window (workflows/controle, BOARD_WINDOW_DAYS).
            models.Index(fields=["-received_on"], name="signal_received"),
            # The RIEC results of a year (reports/feedback.py): by their source,
            # and by a RIEC supplier, read from the index alone on PostgreSQL.
            models.Index(
                fields=["source", "received_on"],
                include=["id", "status", "reference", "source_organisation"],
                name="signal_source_received",
            ),
            models.Index(
                fields=["source_organisation", "received_on"],
                include=["id", "status", "reference", "source"],
                name="signal_supplier_received",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("casework:signal_detail", args=[self.reference])

    # Triage, one edge per line: new → triage → converted | filed.

    @transition(field=status, source=Status.NEW, target=Status.TRIAGE)
    def start_triage(self) -> None:
        """Someone of the receiving organisation takes the signal up."""

    @transition(
        field=status, source=[Status.NEW, Status.TRIAGE], target=Status.CONVERTED
    )
    def convert(self) -> None:
        """One or more cases were opened from the signal."""

    @transition(field=status, source=Status.CONVERTED, target=Status.CONVERTED)
    def convert_again(self) -> None:
        """A further case from the same signal (a visit and a Bibob check, say)."""

    @transition(field=status, source=[Status.NEW, Status.TRIAGE], target=Status.FILED)
    def file(self) -> None:
        """Filed without action; the reason is required by the service."""


class CaseEvent(models.Model):
    """History: every status change and significant action on a case, written
    in the same transaction as the change itself."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case opened")
        STATUS = "status", _("Status changed")
        TEAM = "team", _("Team changed")
        PARTY = "party", _("Party added")
        LOCATION = "location", _("Location added")
        LINK = "link", _("Case linked")
        SIGNAL = "signal", _("Signal attached")
        NOTE = "note", _("Note")
        # Who holds the case changed (casework.assignment; the Assignment
        # row has the people).
        HOLDER = "holder", _("Holder changed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [
            models.Index(fields=["case", "-at", "-id"], name="event_case_at"),
            # The steering facts' refresh of recent months (steering.facts):
            # the status events from a date on, without reading the rest.
            models.Index(
                fields=["at"], name="event_status_at", condition=models.Q(kind="status")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d}"


class Assignment(models.Model):
    """History of who holds a case (issue 16 item 4, docs/assignment.md): one
    row per claim, release, hand-over or distribution, and per release that a
    step of another role made, written in the transaction that changed
    `Case.assignee`."""

    class Kind(models.TextChoices):
        CLAIM = "claim", _("Taken up")
        RELEASE = "release", _("Released")
        HAND_OVER = "hand_over", _("Handed over")
        DISTRIBUTE = "distribute", _("Distributed")
        STEP = "step", _("Released by the step")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="holders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("who"),
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["case", "-at", "-id"], name="assignment_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.from_user_id} → {self.to_user_id}"


class EquatedHoliday(models.Model):
    """A day equated to an algemeen erkende feestdag by Royal Decree (Atw art 3
    lid 3), entered by hand from the Staatscourant by a functional administrator."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    source = models.CharField(_("source (Staatscourant)"), max_length=100)

    class Meta:
        ordering = ["day"]
        verbose_name = _("day equated to a public holiday")
        verbose_name_plural = _("days equated to public holidays")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class FormSubmission(models.Model):
    """The one-time token of a rendered form: a second submit of the same form
    finds its token here and goes to the record the first submit made."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    result_url = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.token


class Deadline(models.Model):
    """A legal or policy term on a case, with the trail of "why this date".

    `computed_end` comes from `casework.terms` and the suspension/extension
    ledger; `end_date` is the date in force (a manual override with its reason
    wins) and is what lists sort and filter on.
    """

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        WEEKS = "weeks", _("weeks")
        MONTHS = "months", _("months")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        MET = "met", _("met")
        MISSED = "missed", _("missed")
        SUSPENDED = "suspended", _("suspended")
        # A period for the party (zienswijze, bezwaar, begunstiging, payment)
        # that ended: not a failure of the municipality, but the signal that
        # the next step can be taken.
        LAPSED = "lapsed", _("ended")

    class Obligation(models.TextChoices):
        ORGAN = "organ", _("the municipality must act")
        PARTY = "party", _("period for the party")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    title = models.CharField(_("deadline"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    event_date = models.DateField(_("triggering event"))
    length = models.PositiveIntegerField(_("length"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    atw_applies = models.BooleanField(
        _("Algemene termijnenwet applies"),
        default=False,
        help_text=_(
            "Yes for terms set by law (bezwaar, beslistermijn); no for terms the "
            "organ sets in a letter (zienswijze, begunstigingstermijn)."
        ),
    )
    computed_end = models.DateField(_("computed end"))
    explanation = models.JSONField(_("why this date"), default=list, blank=True)
    manual_override = models.DateField(_("end set by hand"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the manual end"), blank=True)
    end_date = models.DateField(_("end date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("owner"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN
    )
    obligation = models.CharField(
        _("whose period"),
        max_length=10,
        choices=Obligation.choices,
        default=Obligation.ORGAN,
        help_text=_(
            "A decision period binds the municipality; a period for views, "
            "objection, compliance or payment is the party's."
        ),
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            models.Index(fields=["owner", "state", "end_date"], name="deadline_owner"),
            models.Index(fields=["state", "end_date"], name="deadline_sweep"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(manual_override__isnull=True)
                | ~models.Q(override_reason=""),
                name="override_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.end_date:%Y-%m-%d})"


class DeadlineAdjustment(models.Model):
    """One line of a deadline's ledger: a suspension (opschorting: Awb 4:15,
    Wet Bibob art 31, Awb 7:10 lid 2) or an extension (verdaging: Awb 4:14,
    7:10 lid 3). An open suspension has no end yet; `cap_end` is the last day
    it may run (Bibob art 31), after which the sweep ends it."""

    class Kind(models.TextChoices):
        SUSPENSION = "suspension", _("suspension (opschorting)")
        EXTENSION = "extension", _("extension (verdaging)")

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="adjustments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("first day"), null=True, blank=True)
    end = models.DateField(_("last day"), null=True, blank=True)
    cap_end = models.DateField(_("may run until at most"), null=True, blank=True)
    days = models.PositiveIntegerField(_("days of extension"), default=0)
    legal_basis = models.CharField(_("legal basis"), max_length=100)
    reason = models.TextField(_("reason"))
    document = models.ForeignKey(
        "Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("deadline adjustment")
        verbose_name_plural = _("deadline adjustments")

    def __str__(self) -> str:
        return f"{self.kind} {self.legal_basis}"


class Notification(models.Model):
    """A reminder or escalation from the deadline sweep. One per deadline, kind
    and user (unique), so running the sweep twice sends nothing twice."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("deadline approaching")
        MISSED = "missed", _("deadline passed")
        CAP = "cap", _("suspension ended at its legal maximum")
        LAPSED = "lapsed", _("period for the party ended")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "user"], name="one_notification"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user")]

    def __str__(self) -> str:
        return f"{self.kind} {self.deadline_id} → {self.user_id}"


class DocumentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Documents are immutable; make a new version.")


class Document(models.Model):
    """A generated letter, stored once and never changed: its template version,
    inputs and SHA-256 travel with it. A correction is a new version that
    supersedes the old one."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    template_key = models.CharField(_("letter"), max_length=50)
    template_version = models.CharField(_("template version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"))
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("supersedes"),
    )
    inputs = models.JSONField(_("inputs"))
    content = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data_class = models.CharField(
        _("data class"), max_length=3, choices=DataClass.choices, default=DataClass.D2
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "template_key", "version"], name="one_document_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Documents are immutable; make a new version.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "casework:document_download", args=[self.case.reference, self.pk]
        )


class SavedView(models.Model):
    """A case list filter kept under a name (issue 16 item 3, docs/listing.md).

    `query` is the list's querystring in normal form (`casework.listing.
    normalise`). A shared view is shown to the owner's team: the users with the
    owner's organisation and role (`Membership`), copied here when it is shared.
    Whoever opens a view sees the cases of their own access: a view holds a
    filter, never cases."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filter"), max_length=1000, blank=True)
    shared = models.BooleanField(_("shared with my team"), default=False)
    organisation = models.ForeignKey(
        "permissions.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="one_view_name")
        ]
        indexes = [
            models.Index(
                fields=["organisation", "role", "name"],
                name="savedview_team",
                condition=models.Q(shared=True),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{reverse('casework:case_list')}?view={self.pk}"


# What a filter's index of the case list carries besides its key: the data
# class (the decision point's rule) and the column of every other filter but
# the status (whose range is short: sixty values), so that any two filters are
# counted from one index alone, without a heap row per entry (migrations 0016
# and 0019).
FILTERED = (
    "data_class",
    "closed",
    "next_due",
    "case_type",
    "team_role",
    "organisation_id",
    "area",
    "assignee_id",
)


def carried(key: str = "") -> list[str]:
    """The columns an index on `key` carries (INCLUDE): FILTERED but its key."""
    return [column for column in FILTERED if column != key]


class ListEntry(models.Model):
    """The case list's index (issue 16 item 2, docs/listing.md): one row per
    team row (`permissions.CaseAccess`), its user and team role, with copies
    of the case's columns that the list filters and sorts on, so that every
    filter is a range of the user's own entries in one index, whatever the
    number of cases. Written only by database triggers
    (`casework.listing.trigger_sql`): on the team table when a member joins,
    changes role or leaves, and on the case table when a copied column
    changes. Whether the user may read the case stays the team row's
    question: the list joins the two."""

    access = models.OneToOneField(
        "permissions.CaseAccess",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_constraint=False,
        related_name="list_entry",
    )
    user_id = models.IntegerField()
    case_id = models.IntegerField()
    team_role = models.CharField(max_length=20)
    # The team row's copies of the case's type and data class: the decision
    # point's rule (`permissions.selectors.team_row_lookups`) reads them here.
    case_type = models.CharField(max_length=10)
    data_class = models.CharField(max_length=3)
    status = models.CharField(max_length=10)
    organisation_id = models.IntegerField()
    area = models.CharField(max_length=100)
    closed = models.BooleanField()
    next_due = models.DateField(null=True)
    assignee_id = models.IntegerField(null=True)
    opened_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    step_role = models.CharField(max_length=30, default="")
    step_at = models.DateTimeField(null=True)
    # The case's parent (`Case.parent`): a case type's page lists the user's
    # open follow-up cases of its own cases as a range of the user's entries
    # (index `list_children`; the controle dashboard).
    parent_id = models.IntegerField(null=True)
    # The case's latest outcome (`Case.outcome_at`): the controle dashboard's
    # quarters read the user's cases with an outcome since the oldest quarter
    # shown (index `list_outcome`).
    outcome_at = models.DateTimeField(null=True)

    class Meta:
        # Every index carries the data class (PostgreSQL: INCLUDE), so the
        # decision point's rule and a bounded count read the index alone; a
        # filter's index also the other filters' columns (`carried`), so that
        # filter combined with any other — "open", a deadline period, a case
        # type with a team role — is counted from the index alone too
        # (migrations 0016 and 0019).
        indexes = [
            models.Index(
                fields=["user_id", "-opened_at", "-case_id"],
                name="list_opened",
                include=["data_class"],
            ),
            models.Index(
                fields=["user_id", "status", "-opened_at", "-case_id"],
                name="list_status",
                include=carried(),
            ),
            models.Index(
                fields=["user_id", "case_type", "-opened_at", "-case_id"],
                name="list_type",
                include=carried("case_type"),
            ),
            models.Index(
                fields=["user_id", "team_role", "-opened_at", "-case_id"],
                name="list_team_role",
                include=carried("team_role"),
            ),
            models.Index(
                fields=["user_id", "organisation_id", "-opened_at", "-case_id"],
                name="list_organisation",
                include=carried("organisation_id"),
            ),
            models.Index(
                fields=["user_id", "area", "-opened_at", "-case_id"],
                name="list_area",
                include=carried("area"),
            ),
            models.Index(
                fields=["user_id", "closed", "-opened_at", "-case_id"],
                name="list_closed",
                include=carried("closed"),
            ),
            models.Index(
                fields=["user_id", "assignee_id", "-opened_at", "-case_id"],
                name="list_assignee",
                include=carried("assignee_id"),
            ),
            models.Index(
                fields=["user_id", "next_due", "case_id"],
                name="list_due",
                include=carried("next_due"),
                condition=models.Q(next_due__isnull=False),
            ),
            # The sort by last activity carries every filter's column, the
            # status too: a filter is tested on the index as it is read in
            # order, never on a heap row (migration 0022; a rare combination
            # read all of a user's 20,000 entries from the table, 36 ms at 1M).
            models.Index(
                fields=["user_id", "-last_activity_at", "-case_id"],
                name="list_activity",
                include=[*FILTERED, "status"],
            ),
            models.Index(
                fields=["user_id", "step_role", "-step_at", "-case_id"],
                name="list_step",
                include=["assignee_id", "data_class"],
                condition=~models.Q(step_role=""),
            ),
            # Mijn werk's "mine" and "nobody's": one range each (assignee).
            models.Index(
                fields=["user_id", "step_role", "assignee_id", "-step_at", "-case_id"],
                name="list_step_holder",
                include=["data_class"],
                condition=~models.Q(step_role=""),
            ),
            models.Index(
                fields=["user_id", "-opened_at", "-case_id"],
                name="list_children",
                include=["data_class", "parent_id"],
                condition=models.Q(parent_id__isnull=False, closed=False),
            ),
            # The user's cases of a type with an outcome since a date.
            models.Index(
                fields=["user_id", "case_type", "-outcome_at", "-case_id"],
                name="list_outcome",
                include=["data_class"],
                condition=models.Q(outcome_at__isnull=False),
            ),
            models.Index(fields=["case_id"], name="list_case"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id}"


def _list_triggers(sender, using, **kwargs) -> None:
    """After every migrate: the list's triggers exist (a later migration that
    rebuilds a table on SQLite drops that table's triggers)."""
    if sender.label == "casework":
        from .listing import ensure_triggers

        ensure_triggers(using)


post_migrate.connect(_list_triggers, dispatch_uid="casework.listing.triggers")


# The signal import (issue 17 item 6, docs/import.md) --------------------------


class SignalImport(models.Model):
    """A CSV file of a partner's signals, uploaded by its owner, kept between
    its preview and its import: the decoded text and its SHA-256, so that the
    import is exactly what was previewed. Only its owner reads or imports it
    (others get 404); the text is emptied once imported, and an unconfirmed
    upload is deleted after `CASEWORK_IMPORT_KEEP_HOURS`."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        IMPORTED = "imported", _("Imported")

    id = models.UUIDField(primary_key=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "permissions.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=30)  # a Signal.Source
    file_name = models.CharField(max_length=255, blank=True)
    content = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    shared_with = models.ManyToManyField(
        "permissions.Organisation", blank=True, related_name="+"
    )
    row_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "uploaded_at"], name="signalimport_age")
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class ImportedSignal(models.Model):
    """A signal registered by an import, under the supplier's own reference
    (its kenmerk): once per supplier and source, so a file imported twice
    imports nothing the second time (the database refuses it too)."""

    signal_import = models.ForeignKey(
        SignalImport, on_delete=models.PROTECT, related_name="imported"
    )
    signal = models.OneToOneField(
        Signal, on_delete=models.PROTECT, related_name="import_row"
    )
    source_organisation = models.ForeignKey(
        "permissions.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=30)  # a Signal.Source
    external_reference = models.CharField(max_length=50)
    line = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_organisation", "source", "external_reference"],
                name="imported_signal_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_reference} → {self.signal_id}"
