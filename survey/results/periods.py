"""The periods a publication can be filtered to: whole months and quarters, never chosen days.

Days are each organisation's own (``survey.organisations.zones``): the counts
are kept by the day an interview took place in its organisation's time zone. A free range of days
would let two overlapping filters differ by one woman's day; fixed periods
leave only a few tables that contain any one person (all time, her quarter,
her month).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from ..i18n import N_
from .scope import ScopeError

_MONTH = re.compile(r"^(19\d\d|2\d\d\d)-(\d{2})$")
_QUARTER = re.compile(r"^(19\d\d|2\d\d\d)-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month (``months`` 1) or quarter (``months`` 3), by its first month."""

    year: int
    month: int
    months: int

    @property
    def code(self) -> str:
        if self.months == 3:
            return f"{self.year}-Q{(self.month - 1) // 3 + 1}"
        return f"{self.year}-{self.month:02d}"

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        following = _add_months(self.first, self.months)
        return following - datetime.timedelta(days=1)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def parse_period(text: str | None) -> Period | None:
    """``2026-03`` (a month) or ``2026-Q1`` (a quarter); None for all time."""
    if not text:
        return None
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if 1 <= month <= 12:
            return Period(year, month, 1)
    if match := _QUARTER.match(text):
        return Period(int(match[1]), 3 * int(match[2]) - 2, 3)
    raise ScopeError(N_("Choose a month like 2024-03 or a quarter like 2024-Q1."))


def refuse_days(since: str | None, until: str | None) -> None:
    """Free date ranges are not offered: a clear message instead of a silent change."""
    if since or until:
        raise ScopeError(N_("Results are shown for a whole month or quarter only, not for chosen "
                            "days: choose a period."))


def offered(first_day: datetime.date | None, today: datetime.date) -> list[Period]:
    """Every quarter and month from the one of ``first_day`` to today's, newest first.

    All of them, with or without submissions, so that the list says nothing
    about when anyone took part.
    """
    if first_day is None:
        return []
    found: list[Period] = []
    month = datetime.date(first_day.year, first_day.month, 1)
    while month <= today:
        if month.month % 3 == 1:
            found.append(Period(month.year, month.month, 3))
        found.append(Period(month.year, month.month, 1))
        month = _add_months(month, 1)
    if first_day.month % 3 != 1:
        start = first_day.month - (first_day.month - 1) % 3
        found.insert(0, Period(first_day.year, start, 3))
    return sorted(found, key=lambda p: (p.first, -p.months), reverse=True)
