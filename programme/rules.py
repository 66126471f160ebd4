"""What a programme's own rules refuse, each a `casework.rules.Refusal` that
names its rule (docs/programme.md "Rules"). These are the programme's
process rules, not statute: the rule names say so.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.letters import format_amount
from casework.rules import Refusal, refuse

RULE_PERIOD = "programma: einde niet voor het begin"
RULE_LINES_WITHIN_TOTAL = "programma: begrotingsregels binnen het totaal"
RULE_AMOUNT_POSITIVE = "programma: bedrag groter dan nul"
RULE_DATE_IN_PERIOD = "programma: boeking binnen de looptijd"
RULE_WITHIN_LINE = "programma: niet meer dan de begrotingsregel"
RULE_VALUE_NOT_NEGATIVE = "programma: meetwaarde niet negatief"
RULE_MEASUREMENT_AFTER_START = "programma: meting niet voor de start"
RULE_DONE_NOT_FUTURE = "programma: mijlpaal niet in de toekomst gereed"


def period_ordered(starts_on: date, ends_on: date) -> Refusal | None:
    if ends_on < starts_on:
        return refuse(
            RULE_PERIOD,
            _("A programme cannot end (%(end)s) before it starts (%(date)s)."),
            starts_on,
            end=ends_on,
        )
    return None


def lines_within_total(programme, allocated: Decimal, amount: Decimal):
    """The lines of a programme add up to at most its total budget."""
    if allocated + amount > programme.total_budget:
        return refuse(
            RULE_LINES_WITHIN_TOTAL,
            _(
                "The budget lines would add up to %(sum)s, more than the "
                "programme's total of %(total)s."
            ),
            sum=format_amount(allocated + amount),
            total=format_amount(programme.total_budget),
        )
    return None


def amount_positive(amount: Decimal) -> Refusal | None:
    if not amount > 0:
        return refuse(RULE_AMOUNT_POSITIVE, _("The amount must be more than € 0,00."))
    return None


def date_in_period(programme, day: date) -> Refusal | None:
    """An entry is dated within the programme's period."""
    if day < programme.starts_on or day > programme.ends_on:
        return refuse(
            RULE_DATE_IN_PERIOD,
            _(
                "The date %(date)s lies outside the programme's period "
                "(%(start)s to %(end)s)."
            ),
            day,
            start=programme.starts_on,
            end=programme.ends_on,
        )
    return None


def within_line(line, kind: str, total: Decimal, amount: Decimal):
    """The commitments of a line, and its spending, each add up to at most
    the line's amount (no override: docs/programme.md)."""
    if total + amount > line.amount:
        if kind == "spending":
            message = _(
                "This spending would bring the spending on “%(line)s” to "
                "%(sum)s, more than the line's %(amount)s (%(left)s left)."
            )
        else:
            message = _(
                "This commitment would bring the commitments on “%(line)s” to "
                "%(sum)s, more than the line's %(amount)s (%(left)s left)."
            )
        return refuse(
            RULE_WITHIN_LINE,
            message,
            line=line.name,
            sum=format_amount(total + amount),
            amount=format_amount(line.amount),
            left=format_amount(max(line.amount - total, Decimal(0))),
        )
    return None


def value_not_negative(value: Decimal) -> Refusal | None:
    if value < 0:
        return refuse(
            RULE_VALUE_NOT_NEGATIVE, _("A measured value cannot be negative.")
        )
    return None


def measured_after_start(programme, day: date) -> Refusal | None:
    """A measurement is not dated before its programme starts."""
    if day < programme.starts_on:
        return refuse(
            RULE_MEASUREMENT_AFTER_START,
            _("A measurement cannot be dated before the programme starts on %(date)s."),
            programme.starts_on,
        )
    return None


def done_not_in_future(day: date) -> Refusal | None:
    """A milestone is marked done on a day that has come."""
    today = timezone.localdate()
    if day > today:
        return refuse(
            RULE_DONE_NOT_FUTURE,
            _(
                "A milestone cannot be marked done on a future date "
                "(today is %(date)s)."
            ),
            today,
        )
    return None
