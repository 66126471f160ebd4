"""Term calculation: Awb conventions and the Algemene termijnenwet (Atw).

Pure functions without database access: callers pass the days equated to a
holiday by Royal Decree (Atw art 3 lid 3, `EquatedHoliday`) as a mapping.
The rules and their sources are in docs/deadlines.md.

Conventions (docs/domain.md §1.2):
- the term starts on the day after the triggering event (Awb 6:8);
- N days end on event + N days; N weeks on the same weekday N weeks later;
  N months on the same day of the month, or the last day of a shorter month;
- suspended days (each day counted once) and extension days are added;
- then, when the Atw applies and art 4 does not exclude the term, art 1 (no
  end on a Saturday, Sunday or holiday) and art 2 (at least two days that are
  none of these) move the end forward.
"""

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.core.signals import setting_changed
from django.utils.translation import get_language, gettext, gettext_lazy, ngettext

ONE_DAY = timedelta(days=1)

# Atw art 4 lid 1 a: the Atw does not apply to longer terms.
ATW_MAX_DAYS = 90
ATW_MAX_WEEKS = 12
ATW_MAX_MONTHS = 3

NEGATIVE_LENGTH = gettext_lazy("The length of a term cannot be negative.")
ONE_LENGTH = gettext_lazy(
    "Give exactly one length greater than zero: days, weeks or months."
)
NEGATIVE_EXTENSION = gettext_lazy("An extension cannot be negative.")
SUSPENSION_REVERSED = gettext_lazy(
    "A suspension cannot end (%(end)s) before it starts (%(start)s)."
)
NEGATIVE_DAYS = gettext_lazy("A number of days cannot be negative.")

# The longest term the engine computes: five years, the longest term of the
# case types (Awb 4:104 lid 1, the limitation period of an administrative debt
# such as a forfeited penalty; WGS 1.8 lid 7, the longest retention of a PGA
# file). A longer length is a typing error, and a far one would overflow the
# calendar (`date` ends in 9999).
MAX_LENGTH = {"days": 5 * 366, "weeks": 5 * 53, "months": 5 * 12}
TOO_LONG = gettext_lazy(
    "A term of at most %(max)s %(unit)s: the longest term of the law this "
    "application covers is five years (Awb 4:104)."
)


@dataclass(frozen=True, slots=True)
class Suspension:
    start: date  # first suspended day (inclusive)
    end: date  # last suspended day (inclusive)
    reason: str  # e.g. "Awb 4:15 lid 1 a: aanvulling gevraagd"


@dataclass(frozen=True, slots=True)
class TermResult:
    end: date  # final end date (last day of the term)
    base_end: date  # end before suspensions, extensions and Atw
    lines: list[str]  # "why this date": one line per rule applied, in order
    atw_applied: bool  # the Atw applies (atw=True and not excluded by art 4)


# --- Holidays ---------------------------------------------------------------


def easter(year: int) -> date:
    """Easter Sunday of `year` (anonymous Gregorian algorithm)."""
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
    """Atw art 3 lid 1 and lid 2. Callers must not change the cached dict."""
    sunday = easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        # Celebrated on Saturday the 26th when the 27th is a Sunday (docs/domain.md
        # §1.1; the Atw only says "the day the King's birthday is celebrated").
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1): "Nieuwjaarsdag",
        sunday - timedelta(days=2): "Goede Vrijdag",
        sunday + ONE_DAY: "tweede Paasdag",
        kings_day: "Koningsdag",
        # Every year: the Atw sets no lustrum condition (the Dutch calendar of
        # the `holidays` package does, which is why it is not used here).
        date(year, 5, 5): "5 mei (Bevrijdingsdag)",
        sunday + timedelta(days=39): "Hemelvaartsdag",
        sunday + timedelta(days=50): "tweede Pinksterdag",
        date(year, 12, 25): "eerste Kerstdag",
        date(year, 12, 26): "tweede Kerstdag",
    }


def atw_holidays(year: int, extra: Mapping[date, str] | None = None) -> dict[date, str]:
    """The algemeen erkende feestdagen of `year` (Atw art 3 lid 1 and 2), plus
    the days of that year in `extra`, equated by Royal Decree (art 3 lid 3).
    A statutory holiday keeps its own name when `extra` repeats it."""
    days = dict(_statutory_holidays(year))
    if extra:
        for day, name in extra.items():
            if day.year == year:
                days.setdefault(day, name)
    return days


def is_rest_day(day: date, extra: Mapping[date, str] | None = None) -> bool:
    """Saturday, Sunday, an Atw holiday, or a day in `extra`."""
    return (
        day.weekday() > 4
        or day in _statutory_holidays(day.year)
        or (extra is not None and day in extra)
    )


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# --- Explanation lines -------------------------------------------------------
#
# django's gettext looks the active language up on every call (an asgiref
# Local, 1.5-5 µs), as much as the rest of a computation. So each
# computation asks for the language once and takes its templates from a cache
# keyed by language. Each template sits in a literal gettext/ngettext call
# below, so makemessages still finds it.

_TEMPLATES: dict[str, Callable[[int], str]] = {
    "start_days": lambda n: ngettext(
        "The term of %(n)s day starts on %(start)s, the day after the event of "
        "%(event)s (Awb 6:8), and ends on %(end)s.",
        "The term of %(n)s days starts on %(start)s, the day after the event of "
        "%(event)s (Awb 6:8), and ends %(n)s days after the event, on %(end)s.",
        n,
    ),
    "start_weeks": lambda n: ngettext(
        "The term of %(n)s week starts on %(start)s, the day after the event of "
        "%(event)s (Awb 6:8), and ends on the same weekday one week after the "
        "event, on %(end)s.",
        "The term of %(n)s weeks starts on %(start)s, the day after the event of "
        "%(event)s (Awb 6:8), and ends on the same weekday %(n)s weeks after the "
        "event, on %(end)s.",
        n,
    ),
    "start_months": lambda n: ngettext(
        "The term of %(n)s month starts on %(start)s, the day after the event of "
        "%(event)s (Awb 6:8), and ends on the same day of the month one month "
        "after the event, on %(end)s.",
        "The term of %(n)s months starts on %(start)s, the day after the event of "
        "%(event)s (Awb 6:8), and ends on the same day of the month %(n)s months "
        "after the event, on %(end)s.",
        n,
    ),
    "month_short": lambda n: gettext(
        "%(month)s has no day %(day)s, so the term ends on the last day of that month."
    ),
    "suspension": lambda n: gettext(
        "Suspended from %(start)s up to and including %(end)s: %(reason)s."
    ),
    "suspension_no_reason": lambda n: gettext(
        "Suspended from %(start)s up to and including %(end)s."
    ),
    "suspended_total": lambda n: ngettext(
        "%(n)s suspended day added (a day in more than one suspension counts "
        "once); the term now ends on %(end)s.",
        "%(n)s suspended days added (a day in more than one suspension counts "
        "once); the term now ends on %(end)s.",
        n,
    ),
    "extension": lambda n: ngettext(
        "Extended by %(n)s day (%(reason)s); the term now ends on %(end)s.",
        "Extended by %(n)s days (%(reason)s); the term now ends on %(end)s.",
        n,
    ),
    "extension_no_reason": lambda n: ngettext(
        "Extended by %(n)s day; the term now ends on %(end)s.",
        "Extended by %(n)s days; the term now ends on %(end)s.",
        n,
    ),
    "no_atw": lambda n: gettext(
        "The Algemene termijnenwet is not applied: the term is set by the organ, "
        "not by law."
    ),
    "art4": lambda n: gettext(
        "Atw art 4 lid 1 a: the Algemene termijnenwet does not apply to a term of "
        "more than 90 days, 12 weeks or 3 months, so this term is not extended."
    ),
    "saturday": lambda n: gettext("a Saturday"),
    "sunday": lambda n: gettext("a Sunday"),
    "rest_day": lambda n: gettext("%(day)s is %(why)s"),
    "art1": lambda n: gettext(
        "Atw art 1: %(days)s; the term runs on to and including %(end)s."
    ),
    "art2": lambda n: gettext(
        "Atw art 2: a term of at least three days must contain two days that are "
        "not a Saturday, Sunday or holiday, and from %(start)s to %(end)s there "
        "is only one (%(days)s); the term runs on to and including %(new_end)s."
    ),
    "atw_ok": lambda n: gettext(
        "Atw art 1: %(end)s is not a Saturday, Sunday or holiday; the term is not "
        "extended."
    ),
    "atw_ok_art2": lambda n: gettext(
        "Atw art 1 and 2: %(end)s is not a Saturday, Sunday or holiday and the "
        "term contains at least two such days; the term is not extended."
    ),
}

_translated: dict[tuple[str | None, str, int], str] = {}


class _IsoDates(dict):
    """date -> "YYYY-MM-DD", remembered: a lookup costs a tenth of formatting."""

    def __missing__(self, day: date) -> str:
        if len(self) > 100_000:
            self.clear()
        text = self[day] = day.isoformat()
        return text


_iso = _IsoDates()


def _text(language: str | None, key: str, n: int = 0) -> str:
    cache_key = (language, key, n)
    text = _translated.get(cache_key)
    if text is None:
        if len(_translated) > 4096:  # plural keys carry n: stay bounded
            _translated.clear()
        text = _translated[cache_key] = _TEMPLATES[key](n)
    return text


def _forget_translations(*, setting: str, **kwargs) -> None:
    if setting in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "USE_I18N"}:
        _translated.clear()


setting_changed.connect(_forget_translations)


def _rest_day_text(language, day: date, extra: Mapping[date, str] | None) -> str:
    """'2026-04-06 is tweede Paasdag'; `day` is a rest day."""
    why = _statutory_holidays(day.year).get(day)
    if why is None and extra is not None:
        why = extra.get(day)
    if why is None:
        why = _text(language, "saturday" if day.weekday() == 5 else "sunday")
    return _text(language, "rest_day") % {"day": _iso[day], "why": why}


# --- Terms ---------------------------------------------------------------------


def _suspended_days(suspensions: Sequence[Suspension]) -> int:
    """Days covered by the suspensions, a day in several of them once."""
    if len(suspensions) == 1:
        return (suspensions[0].end - suspensions[0].start).days + 1
    total = 0
    first = last = None
    for s in sorted(suspensions, key=lambda s: s.start):
        if last is None or s.start > last:
            if last is not None:
                total += (last - first).days + 1
            first, last = s.start, s.end
        elif s.end > last:
            last = s.end
    return total + (last - first).days + 1


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
    """The last day of the term of `days`, `weeks` or `months` (exactly one)
    triggered by `event`, with one explanation line per rule applied.

    `atw=False` is for terms the organ sets itself (zienswijze,
    begunstigingstermijn): the Atw only covers terms set by law or AMvB.
    """
    if days < 0 or weeks < 0 or months < 0:
        raise ValueError(str(NEGATIVE_LENGTH))
    if (days > 0) + (weeks > 0) + (months > 0) != 1:
        raise ValueError(str(ONE_LENGTH))
    if extension_days < 0:
        raise ValueError(str(NEGATIVE_EXTENSION))
    for unit, n in (("days", days), ("weeks", weeks), ("months", months)):
        if n > MAX_LENGTH[unit]:
            raise ValueError(str(TOO_LONG % {"max": MAX_LENGTH[unit], "unit": unit}))
    for s in suspensions:
        if s.end < s.start:
            raise ValueError(
                str(SUSPENSION_REVERSED)
                % {"start": s.start.isoformat(), "end": s.end.isoformat()}
            )

    language = get_language()
    start = event + ONE_DAY
    start_text = _iso[start]
    params = {"start": start_text, "event": _iso[event]}
    if days:
        base_end = event + timedelta(days=days)
        params["n"] = days
        key = "start_days"
    elif weeks:
        base_end = event + timedelta(days=7 * weeks)
        params["n"] = weeks
        key = "start_weeks"
    else:
        base_end = add_months(event, months)
        params["n"] = months
        key = "start_months"
    params["end"] = _iso[base_end]
    lines = [_text(language, key, params["n"]) % params]
    if months and base_end.day != event.day:
        lines.append(
            _text(language, "month_short")
            % {"month": base_end.strftime("%Y-%m"), "day": event.day}
        )

    end = base_end
    if suspensions:
        for s in suspensions:
            params = {"start": _iso[s.start], "end": _iso[s.end]}
            if s.reason:
                params["reason"] = s.reason
                lines.append(_text(language, "suspension") % params)
            else:
                lines.append(_text(language, "suspension_no_reason") % params)
        suspended = _suspended_days(suspensions)
        end += timedelta(days=suspended)
        lines.append(
            _text(language, "suspended_total", suspended)
            % {"n": suspended, "end": _iso[end]}
        )
    if extension_days:
        end += timedelta(days=extension_days)
        params = {"n": extension_days, "end": _iso[end]}
        if extension_reason:
            params["reason"] = extension_reason
            lines.append(_text(language, "extension", extension_days) % params)
        else:
            lines.append(
                _text(language, "extension_no_reason", extension_days) % params
            )

    if not atw:
        lines.append(_text(language, "no_atw"))
        return TermResult(end, base_end, lines, False)
    if days > ATW_MAX_DAYS or weeks > ATW_MAX_WEEKS or months > ATW_MAX_MONTHS:
        lines.append(_text(language, "art4"))
        return TermResult(end, base_end, lines, False)

    extra = extra_holidays or None
    # Art 2 covers terms of at least three days, counted with the suspended
    # and extension days. Weeks and months always qualify.
    art2 = (end - start).days >= 2

    # Art 1: a term ending on a rest day runs on to the next working day.
    if is_rest_day(end, extra):
        skipped = []
        while is_rest_day(end, extra):
            skipped.append(_rest_day_text(language, end, extra))
            end += ONE_DAY
        lines.append(
            _text(language, "art1") % {"days": ", ".join(skipped), "end": _iso[end]}
        )
        moved = True
    else:
        moved = False

    # Art 2: at least two working days in the term. After art 1 the end is a
    # working day, so at most one more working day is needed.
    if art2:
        working = 0
        day = start
        while day <= end:
            if not is_rest_day(day, extra):
                working += 1
                if working == 2:
                    break
            day += ONE_DAY
        if working < 2:
            rest = []
            day = start
            while day < end:
                if is_rest_day(day, extra):
                    rest.append(_rest_day_text(language, day, extra))
                day += ONE_DAY
            new_end = end + ONE_DAY
            while is_rest_day(new_end, extra):
                new_end += ONE_DAY
            lines.append(
                _text(language, "art2")
                % {
                    "start": start_text,
                    "end": _iso[end],
                    "days": ", ".join(rest),
                    "new_end": _iso[new_end],
                }
            )
            end = new_end
            moved = True

    if not moved:
        lines.append(
            _text(language, "atw_ok_art2" if art2 else "atw_ok") % {"end": _iso[end]}
        )
    return TermResult(end, base_end, lines, True)
