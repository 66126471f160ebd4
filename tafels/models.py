"""The tafels: the ondermijningstafel, the veiligheidstafel and the
handhavingsoverleg of the municipal work plan, as meetings with agendas.

A table is chaired by one organisation and seats others. Its meetings have
an agenda of subjects — a case, a person or an address — that a partner put
on the table (who, when, why); per subject the partners' decisions (what each
organisation decides or undertakes), and action points that become a
deadline on a case or a new case. A closed meeting has minutes, read per
reader (tafels/minutes.py). Who reads what is the decision point's
(`permissions.decision`, kinds "tafel", "tafel_chair", "tafel_subject" and
"tafel_decision"; docs/tafels.md).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_fsm import FSMField, FSMModelMixin, transition

from casework.rules import guard
from permissions.models import DataClass, Organisation

from . import rules


class Table(models.Model):
    class Kind(models.TextChoices):
        ONDERMIJNING = "ondermijningstafel", _("Ondermijningstafel")
        VEILIGHEID = "veiligheidstafel", _("Veiligheidstafel")
        HANDHAVING = "handhavingsoverleg", _("Enforcement consultation")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    chair = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="tables_chaired",
        verbose_name=_("chaired by"),
    )
    participants = models.ManyToManyField(
        Organisation,
        related_name="tables",
        blank=True,
        verbose_name=_("participating organisations"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tafels:table_detail", args=[self.pk])


class Meeting(FSMModelMixin, models.Model):
    """One meeting of a table: planned → held → closed (with its minutes).
    The preconditions are guards on the transitions (tafels/rules.py)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        HELD = "held", _("held")
        CLOSED = "closed", _("closed")

    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = FSMField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PLANNED,
        protected=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.table} {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("tafels:meeting_detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.PLANNED,
        target=Status.HELD,
        conditions=[guard(rules.meeting_day_reached)],
    )
    def hold(self) -> None:
        """planned → held: the meeting took place (not before its date)."""

    @transition(field=status, source=Status.HELD, target=Status.CLOSED)
    def close(self) -> None:
        """held → closed: the minutes are established; nothing changes after."""


class Subject(models.Model):
    """A case, a person or an address put on the agenda by a partner.

    A case is read as the case (whoever may open it); a person or an address
    carries the data class its partner gave it (`data_class`). For a case it
    copies the case's class when it was put, for the decisions on it."""

    class Kind(models.TextChoices):
        CASE = "case", _("case")
        PERSON = "person", _("person")
        ADDRESS = "address", _("address")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="subjects"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    party = models.ForeignKey(
        "casework.Party",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    location = models.ForeignKey(
        "casework.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("address"),
    )
    data_class = models.CharField(
        _("data class"), max_length=3, choices=DataClass.choices
    )
    reason = models.TextField(_("why"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("put on the table by"),
    )
    put_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    put_at = models.DateTimeField(_("put on the table"), default=timezone.now)

    class Meta:
        ordering = ["put_at", "id"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="case",
                        case__isnull=False,
                        party__isnull=True,
                        location__isnull=True,
                    )
                    | models.Q(
                        kind="person",
                        case__isnull=True,
                        party__isnull=False,
                        location__isnull=True,
                    )
                    | models.Q(
                        kind="address",
                        case__isnull=True,
                        party__isnull=True,
                        location__isnull=False,
                    )
                ),
                name="tafel_subject_one_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.kind}"


class Decision(models.Model):
    """What one participating organisation decides or undertakes on a
    subject. It is that organisation's and the chair's to read."""

    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="decisions"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner"),
    )
    text = models.TextField(_("decision"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"


class ActionPoint(models.Model):
    """An agreed action on a subject: a deadline on a case (the subject's
    case) or a new case, made when the point is recorded and linked here."""

    class Outcome(models.TextChoices):
        TASK = "task", _("task (deadline on the case)")
        CASE = "case", _("new case")

    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="action_points"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    description = models.TextField(_("action point"))
    due_on = models.DateField(_("due date"))
    outcome = models.CharField(_("becomes"), max_length=10, choices=Outcome.choices)
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("case"),
    )
    deadline = models.ForeignKey(
        "casework.Deadline",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deadline"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self) -> str:
        return self.description[:40]


class Minutes(models.Model):
    """The minutes of a closed meeting: who established them, when, and with
    which template version. The PDF itself is rendered per reader from the
    meeting's rows, which no longer change (tafels/minutes.py)."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes"
    )
    template_version = models.CharField(_("template version"), max_length=20)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("tafels:minutes", args=[self.meeting_id])
