"""What a table's own rules refuse, each a `casework.rules.Refusal` that
names its rule: a meeting has its date and its order (plan, hold, decide,
close), and a closed meeting's agenda is fixed (docs/tafels.md).

These are process rules of the tables, not statute: the rule names say so.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.rules import Refusal, refuse

RULE_DATE = "tafel: datum na de instelling van de tafel"
RULE_HELD = "tafel: eerst vergaderen, dan besluiten"
RULE_OPEN = "tafel: vastgesteld verslag"
RULE_DAY = "tafel: vergaderd op of na de vergaderdatum"
RULE_CLOSE = "tafel: verslag na de vergadering"
RULE_TWICE = "tafel: een onderwerp één keer op de agenda"
RULE_SUBJECT_CASE = "tafel: afspraak over een zaak"


def meeting_date_allowed(table, day) -> Refusal | None:
    """A meeting is not dated before its table was set up."""
    founded = timezone.localdate(table.created_at)
    if day < founded:
        return refuse(
            RULE_DATE,
            _("A meeting of this table cannot be dated before %(date)s."),
            founded,
        )
    return None


def meeting_day_reached(meeting) -> Refusal | None:
    """A meeting is held on or after its date, not before."""
    if meeting.date > timezone.localdate():
        return refuse(
            RULE_DAY,
            _("This meeting is planned for %(date)s: it cannot be held before."),
            meeting.date,
        )
    return None


def agenda_open(meeting) -> Refusal | None:
    """Subjects go on the agenda until the minutes are established."""
    if meeting.status == meeting.Status.CLOSED:
        return refuse(
            RULE_OPEN,
            _("The minutes of this meeting are established: the agenda is closed."),
        )
    return None


def decisions_open(meeting) -> Refusal | None:
    """Decisions and action points are recorded once the meeting was held,
    and until its minutes are established."""
    if meeting.status == meeting.Status.PLANNED:
        return refuse(
            RULE_HELD,
            _(
                "The meeting of %(date)s has not been held yet: decisions and "
                "action points are recorded after it."
            ),
            meeting.date,
        )
    return agenda_open(meeting)


def may_close(meeting) -> Refusal | None:
    """The minutes follow the meeting: a planned meeting is held first."""
    if meeting.status == meeting.Status.PLANNED:
        return refuse(
            RULE_CLOSE,
            _("The meeting has not been held yet: there are no minutes to make."),
        )
    return agenda_open(meeting)
