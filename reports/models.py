"""A report job: one request for a governance report, built by a Celery task
(`reports.tasks.build_report`) while its requester watches the status page.

The job keeps the request (kind and parameters) apart from its result, so a
failed build loses nothing: the same request can be made again from the job
(`services.job_repeat`). Only the requester reads the job (`selectors.job_for`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly steering group report")
        FEEDBACK = "feedback", _("RIEC yearly feedback overview (WGS 1.7 lid 4)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("report"), max_length=20, choices=Kind.choices)
    parameters = models.JSONField(_("parameters"), default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("requested by"),
    )
    organisation = models.ForeignKey(
        "permissions.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # The key of the step being built (`reports.steps.STEPS`), shown in Dutch.
    step = models.CharField(_("step"), max_length=30, blank=True)
    result = models.BinaryField(_("result"), null=True, blank=True, editable=False)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    # The technical cause, for the administrator; the requester reads a Dutch
    # sentence (templates/reports/job_detail.html).
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="reportjob_user"),
            models.Index(fields=["created_at"], name="reportjob_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="reportjob_progress_max"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
