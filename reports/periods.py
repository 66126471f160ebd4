"""Quarters and years as the governance names them: "2026-K3" is the third
quarter of 2026 (1 July to 30 September), "2026" the calendar year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[KkQq]\s*([1-4])\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1-4

    def __str__(self) -> str:
        return f"{self.year}-K{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    def with_previous(self, count: int = 3) -> list[Quarter]:
        """This quarter and the `count` before it, oldest first."""
        quarters = [self]
        for _ in range(count):
            quarters.insert(0, quarters[0].previous())
        return quarters

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(text: str) -> Quarter | None:
    """ "2026-K3" (also "2026 K3", "2026-Q3"); None when it is no quarter."""
    match = _QUARTER.match(text or "")
    if not match:
        return None
    year = int(match.group(1))
    if not 2000 <= year <= 2100:
        return None
    return Quarter(year, int(match.group(2)))


def parse_year(text: str) -> int | None:
    match = _YEAR.match(text or "")
    if not match:
        return None
    year = int(match.group(1))
    return year if 2000 <= year <= 2100 else None
