"""Working-day arithmetic on the official Chinese calendar (工作日计算).

The official holidays and make-up working days (调休) come from the
chinese-calendar package. It only knows years already published; for a later
year we fall back to plain weekends, and every answer that touched such a
year is *provisional* until the State Council's notice is loaded
(`luoshi calendar load`). Days in a loaded notice and local overrides
(a city's own extra days) are applied on top, local ones winning.

This module has no Django import: `WorkCalendar` takes the overrides as a
mapping, so it is usable and testable on its own. `luoshi.workcal.services`
builds one from the database.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=None)
def _package_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


@lru_cache(maxsize=8192)
def _package_day(day: dt.date) -> tuple[bool, str | None] | None:
    """(is_workday, name) per chinese-calendar, or None when the year is unpublished."""
    lo, hi = _package_years()
    if not lo <= day.year <= hi:
        return None
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return (not is_holiday), name


@dataclass
class DayInfo:
    date: dt.date
    is_workday: bool
    name: str | None
    provisional: bool  # True when the year's official schedule is not known


@dataclass
class WorkCalendar:
    """Official calendar + loaded notices (`official`) + local overrides (`local`)."""

    official: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)
    local: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)
    published_years: set[int] = field(default_factory=set)  # years loaded from a notice

    def is_year_known(self, year: int) -> bool:
        lo, hi = _package_years()
        return lo <= year <= hi or year in self.published_years

    def day(self, day: dt.date) -> DayInfo:
        if isinstance(day, dt.datetime):
            day = day.date()
        provisional = not self.is_year_known(day.year)
        if day in self.local:
            is_work, name = self.local[day]
            return DayInfo(day, is_work, name, provisional)
        if day in self.official:
            is_work, name = self.official[day]
            return DayInfo(day, is_work, name, False)
        pkg = _package_day(day)
        if pkg is not None:
            return DayInfo(day, pkg[0], pkg[1], False)
        return DayInfo(day, day.weekday() < 5, None, provisional)

    def is_workday(self, day: dt.date) -> bool:
        return self.day(day).is_workday

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (start itself not counted).

        "3个工作日内" assigned on a Friday before a holiday ends on the third
        working day after it. n=0 gives the first working day on or after start.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        day = start
        if n == 0:
            while not self.is_workday(day):
                day += dt.timedelta(days=1)
            return day
        count = 0
        while count < n:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start.

        So add_working_days(s, n) == e implies working_days_between(s, e) == n.
        """
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = 0
        day = start
        # Whole weeks could be skipped, but holidays make that error-prone; spans are short.
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return sign * count

    def is_provisional(self, start: dt.date, end: dt.date) -> bool:
        """True when any year in [start, end] has no known official schedule."""
        lo, hi = sorted((start, end))
        return any(not self.is_year_known(y) for y in range(lo.year, hi.year + 1))


# Plain package calendar (no overrides), for code with no database at hand.
DEFAULT = WorkCalendar()


def add_working_days(start: dt.date, n: int, calendar: WorkCalendar | None = None) -> dt.date:
    return (calendar or DEFAULT).add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date, calendar: WorkCalendar | None = None) -> int:
    return (calendar or DEFAULT).working_days_between(start, end)
