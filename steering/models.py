"""The steering figures, precomputed (issue 18 items 2 and 6, docs/steering.md).

A `Fact` is one number: how many times indicator X of family F happened in
month M in area A among rows of data class D. The indicators page sums facts
and never reads the case tables, so its cost depends on the number of facts
(indicators × months × areas × classes), not on the number of cases.
`steering.facts.refresh` is the only writer.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Fact(models.Model):
    indicator = models.CharField(max_length=50)
    # A case type's code, or "SIG" (permissions.figures.FAMILY_SIGNAL).
    family = models.CharField(max_length=10)
    # The first day of the month (local time, Europe/Amsterdam).
    month = models.DateField()
    # The case's area (`Case.area`), a signal's from its first location; ""
    # when it has none.
    area = models.CharField(max_length=100, blank=True, default="")
    data_class = models.CharField(max_length=3)
    value = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "family", "month", "area", "data_class"],
                name="one_fact",
            )
        ]
        indexes = [
            # The page: a range of months, all areas (INCLUDE: the sum reads
            # the index alone on PostgreSQL).
            models.Index(
                fields=["month", "family", "indicator"],
                name="fact_month",
                include=["data_class", "value"],
            ),
            # The page filtered by an area.
            models.Index(
                fields=["area", "month"],
                name="fact_area",
                include=["family", "indicator", "data_class", "value"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m} {self.area} {self.data_class}"


class Refresh(models.Model):
    """When the facts were last recomputed (one row, id 1): `at` by any
    refresh, `full_at` by a refresh of every month. Refreshes lock it, so two
    never run at once."""

    at = models.DateTimeField(null=True, blank=True)
    full_at = models.DateTimeField(null=True, blank=True)
    since = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("refresh of the figures")
        verbose_name_plural = _("refreshes of the figures")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}" if self.at else "-"
