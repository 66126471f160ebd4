"""Persoonsgerichte aanpak: what a PGA case holds besides its status
(docs/domain.md §5, WGS paragraaf 2.4; docs/decisions/0011-pga.md).

The referral (2.31 lid 1) with its procesregie and casusregie; the
participants selected for the case (lid 4); the plan of action as goals per
life domain and interventions per partner (lid 5); the casusoverleggen with
their action points; health items with their consent flags (2.29); the Top X
criteria and list (2.32); the person's relations for the network view; and
the deletion log the retention sweep writes (1.8 lid 7). The services that
change these rows, with their access checks, are in `pga_services`.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Case, Party
from permissions.models import Organisation

RETENTION_YEARS = 5  # WGS 1.8 lid 7: at the latest five years after first processing


class LifeDomain(models.TextChoices):
    HOUSING = "wonen", _("Housing")
    FINANCES = "financien", _("Finances and debts")
    WORK = "werk", _("Work, school and daytime activities")
    HEALTH = "gezondheid", _("Physical and mental health")
    ADDICTION = "middelen", _("Substance use")
    FAMILY = "gezin", _("Family and upbringing")
    NETWORK = "netwerk", _("Social network")
    JUSTICE = "justitie", _("Justice and criminal behaviour")
    SAFETY = "veiligheid", _("Safety and nuisance")


class InterventionKind(models.TextChoices):
    ZORG = "zorg", _("Care (zorg)")
    DRANG = "drang", _("Pressure (drang)")
    DWANG_STRAF = "dwang_straf", _("Coercion – criminal law (dwang)")
    DWANG_BESTUUR = "dwang_bestuur", _("Coercion – administrative law (dwang)")


class PgaPolicy(models.Model):
    """Policy data for the review cycle and after-care (§5.4: practice, not
    law). The row valid on a date is the newest with `valid_from` on or
    before it; without one, the defaults below apply."""

    valid_from = models.DateField(_("valid from"), unique=True)
    review_weeks = models.PositiveSmallIntegerField(
        _("review cycle in weeks"), default=6
    )
    aftercare_months = models.PositiveSmallIntegerField(
        _("after-care in months"), default=6
    )
    note = models.CharField(_("decided by / source"), max_length=200, blank=True)

    DEFAULT_REVIEW_WEEKS = 6
    DEFAULT_AFTERCARE_MONTHS = 6

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("PGA policy")
        verbose_name_plural = _("PGA policy")

    def __str__(self) -> str:
        return (
            f"{self.valid_from}: {self.review_weeks} wk / {self.aftercare_months} mnd"
        )

    @classmethod
    def on(cls, day: date) -> "PgaPolicy":
        found = cls.objects.filter(valid_from__lte=day).first()
        return found or cls(
            valid_from=day,
            review_weeks=cls.DEFAULT_REVIEW_WEEKS,
            aftercare_months=cls.DEFAULT_AFTERCARE_MONTHS,
        )


def retention_limit(first_processed: date) -> date:
    """Five years after first processing; 29 February gives 28 February."""
    try:
        return first_processed.replace(year=first_processed.year + RETENTION_YEARS)
    except ValueError:
        return first_processed.replace(
            year=first_processed.year + RETENTION_YEARS, day=28
        )


class PgaReferral(models.Model):
    """The aanmelding (2.31 lid 1; the form fields of [VRNHN]) and who runs
    the case. `received_on` is the first processing that the five-year
    retention limit counts from."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="pga_referral"
    )
    reporter = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reporting participant"),
    )
    received_on = models.DateField(_("received on"))
    reason = models.TextField(_("reason for the referral"))
    goal = models.TextField(_("what the reporter wants to achieve"))
    partners_involved = models.TextField(_("partners already involved"), blank=True)
    informed = models.BooleanField(_("the person concerned has been told"))
    not_informed_reason = models.TextField(
        _("why the person concerned was not told"), blank=True
    )
    triage_report = models.TextField(_("triage report"), blank=True)
    advice = models.TextField(_("advice or referral to the reporter"), blank=True)
    process_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("process director (ZVH)"),
    )
    case_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case director"),
    )
    retention_hold = models.TextField(
        _("legal rule or claim that requires keeping the data longer"), blank=True
    )
    minimised_at = models.DateTimeField(_("minimised"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.case_id} {self.received_on}"

    @property
    def retention_until(self) -> date:
        return retention_limit(self.received_on)


class PgaParticipant(models.Model):
    """A participant selected for this case (2.31 lid 4), or a third party
    joined incidentally (lid 9–10). Only the users added with it gain access."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="pga_participants"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("participant")
    )
    legal_basis = models.CharField(
        _("statutory task or legal basis"),
        max_length=200,
        help_text=_("The participant's own task, e.g. Politiewet art. 3 / Wmo 2015."),
    )
    incidental = models.BooleanField(
        _("joins incidentally (WGS 2.31 lid 9)"), default=False
    )
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    selected_on = models.DateField(_("selected on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"], name="pga_participant_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Goal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pga_goals")
    life_domain = models.CharField(
        _("life domain"), max_length=20, choices=LifeDomain.choices
    )
    description = models.TextField(_("goal"))
    achieved = models.BooleanField(_("achieved"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["life_domain", "id"]

    def __str__(self) -> str:
        return f"{self.get_life_domain_display()}: {self.description[:40]}"


class Intervention(models.Model):
    """One partner's intervention: owner, legal basis, due date and kind
    (§5.5 plan van aanpak). A partner sees and updates only its own."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        STOPPED = "stopped", _("stopped")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="pga_interventions"
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name=_("goal"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("partner")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InterventionKind.choices)
    description = models.TextField(_("intervention"))
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    due_on = models.DateField(_("due date"), null=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.TextField(_("progress"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.description[:40]}"


class Conference(models.Model):
    """A casusoverleg (2.31 lid 5–6): agenda, minutes and decisions."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="pga_conferences"
    )
    planned_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering = ["-planned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.planned_at:%Y-%m-%d}"


class ActionPoint(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="action_points"
    )
    description = models.TextField(_("action point"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("by")
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:40]


class HealthItem(models.Model):
    """Health data (D7) a participant supplies (WGS 2.29, AVG 9(2)(g)).

    Who reads it follows its flag: without consent or another ground, only
    the supplier's own users on the team; with consent, a legal duty or
    "goed hulpverlenerschap" (2.29 lid 2), also the team members of the
    organisations in `shared_with`, if their role reads health data. The
    supplier's conditions on onward sharing (lid 3) travel with the item."""

    class Basis(models.TextChoices):
        NONE = "none", _("No consent (yet): supplier only")
        CONSENT = "consent", _("Explicit consent of the person concerned")
        LEGAL = "legal", _("Required or allowed by law")
        CARE = "care", _("Goed hulpverlenerschap requires it")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="pga_health_items"
    )
    supplier = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    text = models.TextField(_("health information"))
    basis = models.CharField(
        _("ground for sharing"), max_length=10, choices=Basis.choices
    )
    consent_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    shared_with = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("may be read by"),
    )
    conditions = models.TextField(_("conditions on onward sharing"), blank=True)

    class Meta:
        verbose_name = _("health item")
        verbose_name_plural = _("health items")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_basis_display()}"


class TopXCriterion(models.Model):
    """The objective, public criteria for the list (2.32 lid 1)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    text = models.TextField(_("criterion"))
    published_on = models.DateField(_("published on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("Top X criterion")
        verbose_name_plural = _("Top X criteria")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


class TopXEntry(models.Model):
    """A placement on the Top X list (2.32 lid 3) and its removal, which must
    follow without delay once it is no longer necessary (lid 4)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="top_x_entries"
    )
    placed_on = models.DateField(_("placed on"), default=timezone.localdate)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    criteria = models.ManyToManyField(TopXCriterion, verbose_name=_("criteria met"))
    reason = models.TextField(_("why placement is necessary"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.TextField(_("reason for removal"), blank=True)

    class Meta:
        verbose_name = _("Top X placement")
        verbose_name_plural = _("Top X list")
        ordering = ["-placed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(removed_on__isnull=True),
                name="top_x_one_open_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.placed_on}"


class Relation(models.Model):
    """A relation of the person concerned (family, friends, co-suspects): the
    "directe kring" of 2.30 and the network view's edges."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("family member")
        PARTNER = "partner", _("partner")
        FRIEND = "friend", _("friend")
        HOUSEMATE = "housemate", _("housemate")
        CO_SUSPECT = "co_suspect", _("co-suspect")
        OTHER = "other", _("other")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="pga_relations"
    )
    subject = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    other = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="pga_related_to",
        verbose_name=_("related person"),
    )
    kind = models.CharField(_("relation"), max_length=12, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "subject", "other"], name="pga_relation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} – {self.other} ({self.kind})"


class DeletionLog(models.Model):
    """What was minimised or deleted, when and on what ground (WGS 1.8 lid 7,
    Wpg 32a "destroying"). Holds no personal data: the reference and the
    counts only. Read by the FG."""

    class Action(models.TextChoices):
        MINIMISED = "minimised", _("minimised after rejection")
        ANONYMISED = "anonymised", _("deleted / anonymised")

    at = models.DateTimeField(_("when"), default=timezone.now)
    case_id_kept = models.IntegerField(_("case id"))
    case_reference = models.CharField(_("case"), max_length=30)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    basis = models.CharField(_("ground"), max_length=200)
    performed_by = models.CharField(_("by"), max_length=150)
    removed = models.JSONField(_("removed"), default=dict)

    class Meta:
        verbose_name = _("deletion log entry")
        verbose_name_plural = _("deletion log")
        ordering = ["-at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.case_reference} {self.action}"

    REMOVED_LABELS = {
        "relations": _("relations"),
        "health_items": _("health items"),
        "interventions": _("interventions"),
        "goals": _("goals"),
        "conferences": _("case conferences"),
        "documents": _("documents"),
        "case_parties": _("persons on the case"),
        "case_locations": _("addresses on the case"),
        "event_notes": _("notes in the history"),
        "persons": _("persons deleted"),
        "top_x_entries": _("Top X placements"),
    }

    def removed_display(self) -> str:
        """What was removed, in the reader's language: "goals: 3, …"."""
        return ", ".join(
            f"{self.REMOVED_LABELS.get(key, key)}: {count}"
            for key, count in sorted(self.removed.items())
        )


# The case-type proxy (machine.py) is a model of this app too.
from .machine import PgaCase  # noqa: E402, F401
