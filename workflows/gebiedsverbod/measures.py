"""The tables of the gebiedsverbod / verblijfsontzegging (docs/domain.md §10): the
APV policy (configuration), the incidents the ground rests on, the measure as
decided (one besluit per case), its extensions and the police's violation
reports.

Data classes (docs/domain.md §10.6): incidents, the measure and its extensions are
the municipality's own record of the besluit (D2); a violation report is
politiegegevens (D3), an own item of the reporting police unit.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def period_end(start: date, months: int) -> date:
    """The last day of a period of `months` months that starts on `start`
    (docs/domain.md §10.4): the day before the same date `months` later; where that
    date does not exist, the last day of that month (start 10 March, three
    months: 9 June; start 30 November: 28 or 29 February). The Algemene
    termijnenwet never moves the end of a measure (a duration, not a term)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


class Basis(models.TextChoices):
    GEMW_172A_1 = "GEMW_172A_1", _("Gemeentewet art. 172a lid 1")
    GEMW_172A_2 = "GEMW_172A_2", _("Gemeentewet art. 172a lid 2 (private sanction)")
    APV = "APV", _("APV verblijfsontzegging")


class Ground(models.TextChoices):
    SERIOUS = "serious", _("Serious disturbance of public order")
    REPEATED = "repeated", _("Repeated disturbance of public order")
    PRIVATE_SANCTION = "private_sanction", _("Sanction of a private organisation")
    APV_ACT = "apv_act", _("Act in a designated area (APV)")


class Urgency(models.TextChoices):
    """Awb 4:11: why the person was not asked for views first."""

    A = "4:11a", _("Awb 4:11 a: the required urgency")
    B = "4:11b", _("Awb 4:11 b: heard before, no new facts")
    C = "4:11c", _("Awb 4:11 c: purpose requires no advance notice")


class ApvPolicy(models.Model):
    """The municipality's APV article on the verblijfsontzegging, one version
    per validity period (docs/domain.md §10.1 "Configuration"): maximum length and
    whether and how often it may be extended. A measure records the version
    it applied, so a version in use cannot be deleted."""

    name = models.CharField(_("name"), max_length=120)
    article = models.CharField(_("APV article"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    max_days = models.PositiveSmallIntegerField(
        _("maximum length (days)"),
        help_text=_("The longest verblijfsontzegging the APV allows."),
    )
    max_extensions = models.PositiveSmallIntegerField(
        _("extensions allowed"),
        default=0,
        help_text=_("0 when the APV allows no extension."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("APV exclusion-order policy")
        verbose_name_plural = _("APV exclusion-order policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_days__gte=1), name="apv_policy_max_days"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.article} (versie {self.version})"

    @classmethod
    def in_force(cls, on: date) -> ApvPolicy | None:
        return (
            cls.objects.filter(valid_from__lte=on)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=on))
            .order_by("-valid_from")
            .first()
        )


class Incident(models.Model):
    """One dated disturbance the ground rests on (172a lid 1: serious or
    repeated), in the jurist's own words: the police report stays a police
    document (D3)."""

    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.CASCADE,
        related_name="gebiedsverbod_incidents",
        verbose_name=_("case"),
    )
    occurred_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.occurred_on:%d-%m-%Y} {self.place}"


class Warning(models.Model):
    """The optional warning (E20), not a besluit: the day it was given is what
    a new incident is compared with (E20 → E10)."""

    case = models.OneToOneField(
        "casework.Case",
        on_delete=models.CASCADE,
        related_name="gebiedsverbod_warning",
        verbose_name=_("case"),
    )
    given_on = models.DateField(_("warning given on"))

    class Meta:
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")

    def __str__(self) -> str:
        return f"{self.given_on:%d-%m-%Y}"


class Intention(models.Model):
    """The voornemen (Awb 4:8) and the views on it (4:9): the dates the besluit
    is compared with."""

    case = models.OneToOneField(
        "casework.Case",
        on_delete=models.CASCADE,
        related_name="gebiedsverbod_intention",
        verbose_name=_("case"),
    )
    sent_on = models.DateField(_("intention sent on"))
    views_on = models.DateField(_("views received on"), null=True, blank=True)
    views_oral = models.BooleanField(_("views given orally"), default=False)

    class Meta:
        verbose_name = _("intention")
        verbose_name_plural = _("intentions")

    def __str__(self) -> str:
        return f"{self.sent_on:%d-%m-%Y}"


class Measure(models.Model):
    """The besluit: one per case (a new order is a new case)."""

    case = models.OneToOneField(
        "casework.Case",
        on_delete=models.CASCADE,
        related_name="gebiedsverbod_measure",
        verbose_name=_("case"),
    )
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    area_ban = models.BooleanField(_("area ban (gebiedsverbod)"), default=False)
    group_ban = models.BooleanField(_("group ban (groepsverbod)"), default=False)
    reporting_duty = models.BooleanField(
        _("reporting duty (meldplicht)"), default=False
    )
    area_description = models.TextField(_("area"), blank=True)
    map_id = models.CharField(_("map id"), max_length=60, blank=True)
    map_version = models.CharField(_("map version"), max_length=20, blank=True)
    map_hash = models.CharField(_("map hash"), max_length=128, blank=True)
    reporting_times = models.TextField(_("reporting times and place"), blank=True)
    conditions = models.TextField(_("conditions and exceptions"), blank=True)
    fear_reasons = models.TextField(_("serious fear of further disturbance"))
    apv_policy = models.ForeignKey(
        ApvPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("APV policy applied"),
    )
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    urgency = models.CharField(
        _("urgency"), max_length=6, choices=Urgency.choices, blank=True
    )
    urgency_reasons = models.TextField(_("reasons for skipping the views"), blank=True)
    start_date = models.DateField(_("start"))
    original_end_date = models.DateField(_("end in the order"))
    end_date = models.DateField(
        _("end"), help_text=_("The current end, after extensions made known.")
    )
    made_known_on = models.DateField(_("made known on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="gebiedsverbod_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        start, end = f"{self.start_date:%d-%m-%Y}", f"{self.end_date:%d-%m-%Y}"
        return f"{self.kinds_label()} {start} – {end}"

    def kinds(self) -> list[str]:
        return [
            str(label)
            for flag, label in (
                (self.area_ban, _("gebiedsverbod")),
                (self.group_ban, _("groepsverbod")),
                (self.reporting_duty, _("meldplicht")),
            )
            if flag
        ]

    def kinds_label(self) -> str:
        if self.basis == Basis.APV:
            return str(_("verblijfsontzegging"))
        return ", ".join(self.kinds())

    def in_force_on(self, day: date) -> bool:
        return (
            self.made_known_on is not None
            and self.withdrawn_on is None
            and self.start_date <= day <= self.end_date
        )


class Extension(models.Model):
    """A besluit verlenging (172a lid 6 a): at most three, each at most three
    months, running from the day after the current end."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="extensions"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    previous_end_date = models.DateField(_("previous end"))
    new_end_date = models.DateField(_("new end"))
    reasons = models.TextField(_("continuing serious fear"))
    urgency_reasons = models.TextField(_("reasons for skipping the views"), blank=True)
    views_on = models.DateField(_("views received on"), null=True, blank=True)
    made_known_on = models.DateField(_("made known on"), null=True, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "number"], name="gebiedsverbod_extension_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.new_end_date:%d-%m-%Y}"


class ViolationReport(models.Model):
    """A police report of a violation of the measure (Sr 184), an own item of
    the reporting organisation (D3). The police send the proces-verbaal to the
    OM; `shared_with` and `forwarded_to_om_on` record that."""

    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.CASCADE,
        related_name="gebiedsverbod_violations",
        verbose_name=_("case"),
    )
    organisation = models.ForeignKey(
        "permissions.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by (organisation)"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("date of the violation"))
    occurred_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what was seen"))
    pv_number = models.CharField(_("proces-verbaal number"), max_length=40, blank=True)
    forwarded_to_om_on = models.DateField(
        _("proces-verbaal sent to the OM on"), null=True, blank=True
    )
    shared_with = models.ManyToManyField(
        "permissions.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("shared with"),
    )
    registered_at = models.DateTimeField(_("registered on the case"), null=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    data_class = "D3"

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = _("violation report")
        verbose_name_plural = _("violation reports")

    def __str__(self) -> str:
        return f"{self.occurred_on:%d-%m-%Y} {self.place}"
