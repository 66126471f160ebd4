"""The programme monitor (issue 18 item 4): a programme such as the work plan
"Focus op Urgentie april 2020 – april 2021" with its projects per area and
method, their goals and measurements, milestones, the budget in lines with
commitments and spending, and the governance bodies that need its reports.

Money is `Decimal` with two decimals (`MONEY`), never float. Who reads and
edits a programme is the decision point's (`permissions.figures.
programme_access`); the rules that refuse a write are in `services.py`
(docs/programme.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from permissions.models import Organisation

# Money: up to 9,999,999,999.99 — a municipal programme fits many times.
MONEY = {"max_digits": 12, "decimal_places": 2}
# Goal values: counts, FTE (0,5), percentages.
QUANTITY = {"max_digits": 12, "decimal_places": 2}


class Method(models.TextChoices):
    """The work plan's werkwijzen (section 4)."""

    INFORMATION = "informatiegestuurd", _("Information-led")
    SYSTEM = "systeemgericht", _("System-oriented")
    ADMINISTRATIVE = "bestuurlijk", _("Administrative approach")
    CO_CREATION = "samen_creeren", _("Co-creation")
    COMMUNICATION = "communicatie", _("Communication")
    SOCIAL = "sociale_herovering", _("Social reclamation")


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("owning organisation"),
    )
    partners = models.ManyToManyField(
        Organisation,
        related_name="programmes_taken_part",
        blank=True,
        verbose_name=_("partner organisations"),
    )
    funding_source = models.CharField(_("funding source"), max_length=300, blank=True)
    total_budget = models.DecimalField(_("total budget"), **MONEY)

    class Meta:
        ordering = ["-starts_on", "name", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_period_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(total_budget__gte=0),
                name="programme_total_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:programme_detail", kwargs={"pk": self.pk})


class Project(models.Model):
    class Status(models.TextChoices):
        PLANNED = "gepland", _("Planned")
        RUNNING = "lopend", _("Running")
        DONE = "afgerond", _("Completed")
        STOPPED = "gestopt", _("Stopped")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="projects"
    )
    name = models.CharField(_("name"), max_length=200)
    # Free text, as the work plan and the cases name areas:
    # "Vastenavondkamp/Blerick", "Q4", "Gehele gemeente".
    area = models.CharField(_("area"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="programme_projects",
        verbose_name=_("owner"),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    # The order of the work plan's table.
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="project_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:project_detail", kwargs={"pk": self.pk})


class ProjectMethod(models.Model):
    """One of a project's methods: a project may follow several
    ("Systeemgericht werken/ sociale herovering")."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="methods"
    )
    method = models.CharField(_("method"), max_length=30, choices=Method.choices)

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "method"], name="project_method_once"
            )
        ]

    def __str__(self) -> str:
        return self.get_method_display()


class Goal(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(_("description"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    target_value = models.DecimalField(_("target"), **QUANTITY)
    target_date = models.DateField(_("target date"))

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_value__gt=0), name="goal_target_positive"
            )
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class GoalMeasurement(models.Model):
    """The value a goal stands at on a date (a reading, not an increment):
    the newest reading is the goal's measured value."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="measurements"
    )
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), **QUANTITY)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["goal", "-measured_on", "-id"]
        indexes = [
            models.Index(fields=["goal", "-measured_on", "-id"], name="measure_latest")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="measurement_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} ({self.measured_on})"

    def get_absolute_url(self) -> str:
        return reverse("programme:project_detail", kwargs={"pk": self.goal.project_id})


class BudgetLine(models.Model):
    """A line of the programme's budget; `project` is empty where the line
    funds no project row of the plan (a process manager, a specialist)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="budget_lines"
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("project"),
    )
    name = models.CharField(_("name"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    period_note = models.CharField(_("period"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_line_not_negative"
            ),
            models.UniqueConstraint(
                fields=["programme", "name"], name="budget_line_name_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetEntry(models.Model):
    """Money on a line: a commitment (an obligation entered into) or
    spending (money paid). Spending settles commitments first, so a line's
    free remainder is its amount minus the larger of the two totals
    (docs/programme.md, "Budget")."""

    class Kind(models.TextChoices):
        COMMITMENT = "commitment", _("Commitment")
        SPENDING = "spending", _("Spending")

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    booked_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["line", "booked_on", "id"]
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="budget_entry_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.get_kind_display()} {self.amount}"

    def get_absolute_url(self) -> str:
        return reverse(
            "programme:programme_detail", kwargs={"pk": self.line.programme_id}
        )


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:project_detail", kwargs={"pk": self.project_id})


class GovernanceBody(models.Model):
    """A body of the programme's governance (work plan section 7) that its
    reports are for."""

    class Kind(models.TextChoices):
        STUURGROEP = "stuurgroep", _("Steering group")
        REGIEGROEP = "regiegroep", _("Direction group")
        KWALITEITSKRING = "kwaliteitskring", _("Quality circle")
        ONDERMIJNINGSTAFEL = "ondermijningstafel", _("Ondermijningstafel")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="governance_bodies"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    area = models.CharField(_("area"), max_length=100, blank=True)
    members = models.TextField(_("members"), blank=True)
    # Empty where the plan sets none.
    meeting_frequency = models.CharField(
        _("meeting frequency"), max_length=100, blank=True
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")

    def __str__(self) -> str:
        return self.name
