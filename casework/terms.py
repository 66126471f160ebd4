"""Term calculation: Awb conventions and the Algemene termijnenwet (Atw).

Pure functions, no database: the callers pass the days equated to holidays by
Royal Decree (`EquatedHoliday`) as `extra`. See docs/deadlines.md.

Conventions (domain.md §1):
- the term starts the day after the triggering event (Awb 6:8);
- N days end on event + N days; N weeks on the same weekday N weeks later;
  N months on the same day of the month, or the month's last day;
- suspended days (each counted once) and extension days are added;
- then, when the Atw applies and art 4 does not exclude the term, art 1
  (no end on a Saturday, Sunday or holiday) and art 2 (at least two days that
  are none of these) move the end forward.
"""

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Suspension:
    start: date  # first suspended day (inclusive)
    end: date  # last suspended day (inclusive)
    reason: str


@dataclass(frozen=True)
class TermResult:
    end: date
    base_end: date
    lines: list[str] = field(default_factory=list)
    atw_applied: bool = False


def easter(year: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=256)
def _statutory_holidays(year: int) -> dict[date, str]:
    """Atw art 3 lid 1 and 2. 5 May counts every year: the Atw sets no
    lustrum condition (the `holidays` package's Dutch calendar does)."""
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:  # 27 April on a Sunday: celebrated on the 26th
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        sunday - timedelta(days=2): "Goede Vrijdag",
        sunday + timedelta(days=1): "tweede Paasdag",
        kings_day: "Koningsdag",
        date(year, 5, 5): "5 mei",
        sunday + timedelta(days=39): "Hemelvaartsdag",
        sunday + timedelta(days=50): "tweede Pinksterdag",
        date(year, 12, 25): "eerste Kerstdag",
        date(year, 12, 26): "tweede Kerstdag",
    }


def atw_holidays(year: int, extra: Mapping[date, str] | None = None) -> dict[date, str]:
    """The algemeen erkende feestdagen of `year`, plus days equated by KB."""
    days = dict(_statutory_holidays(year))
    if extra:
        days.update({day: name for day, name in extra.items() if day.year == year})
    return days


def holiday_name(day: date, extra: Mapping[date, str] | None = None) -> str | None:
    if extra and day in extra:
        return extra[day]
    return _statutory_holidays(day.year).get(day)


def is_rest_day(day: date, extra: Mapping[date, str] | None = None) -> bool:
    """Saturday, Sunday, or an Atw holiday."""
    return day.weekday() >= 5 or holiday_name(day, extra) is not None


def _why_rest(day: date, extra) -> str:
    name = holiday_name(day, extra)
    if name:
        return name
    return _("a Saturday") if day.weekday() == 5 else _("a Sunday")


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _atw_excluded(days: int, weeks: int, months: int) -> bool:
    """Atw art 4 lid 1 a: no extension for terms of more than 90 days, 12 weeks
    or 3 months."""
    return days > 90 or weeks > 12 or months > 3


def _suspended_days(suspensions: Sequence[Suspension]) -> int:
    """Days covered by the suspensions, each day counted once."""
    covered: set[int] = set()
    for s in suspensions:
        covered.update(range(s.start.toordinal(), s.end.toordinal() + 1))
    return len(covered)


def compute_term(
    event: date,
    *,
    days: int = 0,
    weeks: int = 0,
    months: int = 0,
    atw: bool = True,
    suspensions: Sequence[Suspension] = (),
    extension_days: int = 0,
    extension_reason: str = "",
    extra_holidays: Mapping[date, str] | None = None,
) -> TermResult:
    """The last day of a term triggered by `event`, with the reasons."""
    given = [n for n in (days, weeks, months) if n]
    if any(n < 0 for n in (days, weeks, months)) or len(given) != 1:
        raise ValueError(
            _("Give exactly one positive length: days, weeks or months.")
        )
    if extension_days < 0:
        raise ValueError(_("An extension cannot be negative."))
    for s in suspensions:
        if s.end < s.start:
            raise ValueError(_("A suspension cannot end before it starts."))

    start = event + timedelta(days=1)
    if days:
        base_end = event + timedelta(days=days)
        length = _("%(n)s days") % {"n": days}
    elif weeks:
        base_end = event + timedelta(weeks=weeks)
        length = _("%(n)s weeks") % {"n": weeks}
    else:
        base_end = add_months(event, months)
        length = _("%(n)s months") % {"n": months}
    lines = [
        _(
            "The term of %(length)s starts on %(start)s, the day after the event "
            "of %(event)s (Awb 6:8), and runs to %(end)s."
        )
        % {
            "length": length,
            "start": start.isoformat(),
            "event": event.isoformat(),
            "end": base_end.isoformat(),
        }
    ]
    end = base_end
    if suspensions:
        suspended = _suspended_days(suspensions)
        end += timedelta(days=suspended)
        for s in suspensions:
            lines.append(
                _("Suspended from %(start)s to %(end)s (%(reason)s).")
                % {"start": s.start.isoformat(), "end": s.end.isoformat(),
                   "reason": s.reason}  # fmt: skip
            )
        lines.append(
            _("%(n)s suspended days added: the term runs to %(end)s.")
            % {"n": suspended, "end": end.isoformat()}
        )
    if extension_days:
        end += timedelta(days=extension_days)
        lines.append(
            _("Extended by %(n)s days (%(reason)s): the term runs to %(end)s.")
            % {"n": extension_days, "reason": extension_reason or "-",
               "end": end.isoformat()}  # fmt: skip
        )

    if not atw:
        lines.append(
            _(
                "The Algemene termijnenwet is not applied: the term is set by the "
                "organ, not by law."
            )
        )
        return TermResult(end=end, base_end=base_end, lines=lines, atw_applied=False)
    if _atw_excluded(days, weeks, months):
        lines.append(
            _(
                "Atw art 4 lid 1 a: a term of more than 90 days, 12 weeks or 3 months "
                "is not extended."
            )
        )
        return TermResult(end=end, base_end=base_end, lines=lines, atw_applied=False)

    extra = extra_holidays
    # Art 1: the term runs on to the next day that is no rest day.
    if is_rest_day(end, extra):
        first = end
        while is_rest_day(end, extra):
            end += timedelta(days=1)
        lines.append(
            _(
                "Atw art 1: %(day)s is %(why)s; the term runs to and including "
                "%(end)s."
            )
            % {"day": first.isoformat(), "why": _why_rest(first, extra),
               "end": end.isoformat()}  # fmt: skip
        )
    # Art 2: a term of at least three days contains two working days.
    if (base_end - start).days + 1 >= 3:
        working = sum(
            1
            for n in range((end - start).days + 1)
            if not is_rest_day(start + timedelta(days=n), extra)
        )
        if working < 2:
            while working < 2:
                end += timedelta(days=1)
                if not is_rest_day(end, extra):
                    working += 1
            lines.append(
                _(
                    "Atw art 2: the term must contain at least two days that are no "
                    "Saturday, Sunday or holiday; it runs to %(end)s."
                )
                % {"end": end.isoformat()}
            )
    lines.append(_("End of the term: %(end)s.") % {"end": end.isoformat()})
    return TermResult(end=end, base_end=base_end, lines=lines, atw_applied=True)


ART31_BASE_DAYS = 8 * 7
ART31_MAX_EXTENSION_DAYS = 4 * 7


def bibob_art31_cap(requested: date, lid2_days: int, extension_days: int) -> date:
    """Wet Bibob art 31: the last day the beslistermijn can stay suspended for an
    LBB advice requested on `requested`: 8 weeks, plus the days of art 15 lid 2
    suspensions, plus one extension of at most 4 weeks (art 15 lid 3).

    The suspension runs from the day of the request (art 31 lid 1).
    """
    if extension_days > ART31_MAX_EXTENSION_DAYS:
        raise ValueError(
            _("The LBB may extend its advice term once by at most four weeks.")
        )
    if lid2_days < 0 or extension_days < 0:
        raise ValueError(_("Days cannot be negative."))
    return requested + timedelta(days=ART31_BASE_DAYS + lid2_days + extension_days - 1)
