"""Working-day arithmetic on the official Chinese calendar (工作日计算).

The official holidays and make-up working days (调休) come from the
chinese-calendar package. It only knows years already published; for a later
year we apply the statutory holidays of 《全国年节及纪念日放假办法》 (as revised
by 国务院令第795号, in force from 2025-01-01) on top of plain weekends — their
dates follow fixed rules (lunar dates from lunar-python, 清明 from the solar
term) — and their 补假 (art. 6: a holiday on a weekend gives a weekday off after
it), but not the make-up working days (调休), which only the State
Council's yearly notice fixes. Every answer that touched such a year is
*provisional* (暂定) until that notice is loaded (`luoshi calendar load`). Days in a loaded notice and local overrides
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
from lunar_python import Lunar

# chinese-calendar names its holidays in English; the UI speaks Chinese.
HOLIDAY_ZH = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
              "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
              "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日"}


def holiday_name_zh(name: str | None) -> str | None:
    """The Chinese name of a holiday named by chinese-calendar (unknown names pass through)."""
    return HOLIDAY_ZH.get(name, name) if name else name


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """{date: 节日名} of the statutory days off (法定节假日) of `year`, without 补假 or 调休.

    Source: 《全国年节及纪念日放假办法》 art. 2 as revised in 2024 (国务院令第795号,
    from 2025-01-01): 元旦 1月1日; 春节 农历除夕、正月初一至初三 (4 days); 清明节 农历清明当日;
    劳动节 5月1日、2日; 端午节 农历端午当日; 中秋节 农历中秋当日; 国庆节 10月1日至3日.
    Two holidays on one date (中秋 inside 国庆, e.g. 2028-10-03) are one day off, named
    "国庆节、中秋节" as the notices name the shared period.
    Used only for years whose official schedule is unknown; such days are provisional.
    """
    days: dict[dt.date, list[str]] = {}

    def add(day: dt.date, name: str) -> None:
        days.setdefault(day, []).append(name)

    add(dt.date(year, 1, 1), "元旦")
    spring = _solar(Lunar.fromYmd(year, 1, 1))
    for offset in range(-1, 3):  # 除夕, 初一, 初二, 初三
        add(spring + dt.timedelta(days=offset), "春节")
    qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    add(dt.date(qingming.getYear(), qingming.getMonth(), qingming.getDay()), "清明节")
    add(dt.date(year, 5, 1), "劳动节")
    add(dt.date(year, 5, 2), "劳动节")
    add(_solar(Lunar.fromYmd(year, 5, 5)), "端午节")
    for d in (1, 2, 3):  # before 中秋, so a shared day reads 国庆节、中秋节
        add(dt.date(year, 10, d), "国庆节")
    add(_solar(Lunar.fromYmd(year, 8, 15)), "中秋节")
    # 除夕 of a lunar year can fall in the previous solar year only for 春节 on 1 Jan, which never happens.
    return {d: "、".join(n) for d, n in sorted(days.items()) if d.year == year}


BUJIA = "(补假)"  # suffix of a 补假 day's name: 元旦(补假)


@lru_cache(maxsize=256)
def provisional_days_off(year: int) -> dict[dt.date, str]:
    """{date: name}: the statutory days of `year` plus their 补假 (compensatory days off).

    《全国年节及纪念日放假办法》 art. 6: 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假.
    Each statutory day on a Saturday or Sunday gives one 补假: the next Monday–Friday after its holiday
    period (its run of consecutive statutory days) that is not already off, named after the holiday
    ("元旦(补假)"). A date holding two holidays is one day, so one 补假 at most (only if it is a weekend).
    调休 (weekend days made working days) is not derivable: only the State Council's notice fixes it.
    """
    statutory = statutory_holidays(year)
    off = dict(statutory)
    one = dt.timedelta(days=1)
    run: list[dt.date] = []
    for day in sorted(statutory):
        run.append(day)
        if day + one in statutory:
            continue
        owed = sum(1 for d in run if d.weekday() >= 5)
        name = statutory[run[0]].split("、")[0] + BUJIA
        cursor = run[-1]
        while owed:
            cursor += one
            if cursor.weekday() < 5 and cursor not in off:
                off[cursor] = name
                owed -= 1
        run = []
    return {d: n for d, n in sorted(off.items()) if d.year == year}


def _solar(lunar) -> dt.date:
    s = lunar.getSolar()
    return dt.date(s.getYear(), s.getMonth(), s.getDay())


@lru_cache(maxsize=None)
def _package_years() -> tuple[int, int]:
    years = [d.year for d in chinese_calendar.holidays]
    return min(years), max(years)


@lru_cache(maxsize=512)
def _package_exceptions(year: int) -> tuple[dt.date, ...]:
    """The days of `year` that chinese-calendar lists as holidays or make-up working days."""
    return tuple(sorted(d for d in (*chinese_calendar.holidays, *chinese_calendar.workdays) if d.year == year))


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
    return (not is_holiday), holiday_name_zh(name)


# Years for which holidays and 调休 are looked up; outside them a year is plain Monday–Friday. Dates there
# are refused on entry (luoshi.core.params: 2000..2100) and only reach the calendar from bad data, whose
# arithmetic must stay cheap and never overflow.
HOLIDAY_YEARS = (2000, 2100)  # = luoshi.core.params MIN_DATE..MAX_DATE


@dataclass
class DayInfo:
    date: dt.date
    is_workday: bool
    name: str | None
    provisional: bool  # True when the year's official schedule is not known


@dataclass(frozen=True)
class HolidayPeriod:
    """One holiday period (放假): its holiday name(s), first and last day off, inclusive."""

    name: str
    start: dt.date
    end: dt.date
    provisional: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


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
        statutory = provisional_days_off(day.year).get(day) if provisional else None
        if statutory:
            return DayInfo(day, False, statutory, provisional)
        return DayInfo(day, day.weekday() < 5, None, provisional)

    def holiday_periods(self, year: int) -> list[HolidayPeriod]:
        """The holiday periods (放假安排) touching `year`: each run of consecutive days off that holds
        a named holiday, the weekend days joined to it included (国庆节 10月1日至7日, 共7天).
        """
        one = dt.timedelta(days=1)
        periods: list[HolidayPeriod] = []
        day, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        while day <= last:
            info = self.day(day)
            if info.is_workday or not info.name:
                day += one
                continue
            start, stop = day, day
            while not self.is_workday(start - one):
                start -= one
            while not self.is_workday(stop + one):
                stop += one
            days = [self.day(start + one * i) for i in range((stop - start).days + 1)]
            # "国庆节、中秋节" from its days' names; a 补假 day adds no name of its own
            names = list(dict.fromkeys(n.removesuffix(BUJIA) for d in days if d.name for n in d.name.split("、")))
            periods.append(HolidayPeriod("、".join(names), start, stop, any(d.provisional for d in days)))
            day = stop + one
        return periods

    def is_workday(self, day: dt.date) -> bool:
        return self.day(day).is_workday

    # ---- counting: weekday arithmetic plus each year's exceptions (never a walk over the whole span) ----

    def _signature(self) -> tuple:
        return (len(self.official), len(self.local), len(self.published_years))

    def _year(self, year: int) -> tuple[dict[dt.date, bool], int]:
        """({day: is_workday} for the days of `year` that differ from the Monday–Friday rule, the net
        change those make to the year's working-day count). Years outside HOLIDAY_YEARS have none (no
        schedule exists for them: such dates only come from bad data). Cached per calendar."""
        if not HOLIDAY_YEARS[0] <= year <= HOLIDAY_YEARS[1]:
            return {}, 0
        cache = self.__dict__.setdefault("_year_cache", {})
        sig = self._signature()
        if cache.get("sig") != sig:
            cache.clear()
            cache["sig"] = sig
        got = cache.get(year)
        if got is None:
            by_year = cache.get("by_year")
            if by_year is None:
                by_year = cache["by_year"] = {}
                for d in (*self.official, *self.local):
                    by_year.setdefault(d.year, set()).add(d)
            # Only these days can differ from Monday–Friday: the package's holidays and 调休 days, the
            # statutory days of an unpublished year, loaded notices and local overrides.
            candidates = set(_package_exceptions(year)) | by_year.get(year, set())
            if not self.is_year_known(year):
                candidates |= set(provisional_days_off(year))
            exceptions: dict[dt.date, bool] = {}
            for day in sorted(candidates):
                work = self.day(day).is_workday
                if work != (day.weekday() < 5):
                    exceptions[day] = work
            got = cache[year] = (exceptions, sum(1 if w else -1 for w in exceptions.values()))
        return got

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start.

        So add_working_days(s, n) == e implies working_days_between(s, e) == n. Cost: O(years spanned)
        after each year's exceptions are known (a few dozen look-ups per year, the first time it is met), so a
        date like 0001-01-01 or 9999-12-31 written behind the app's back costs milliseconds.
        """
        start, end = _as_date(start), _as_date(end)
        if end == start:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count = _weekdays_upto(end) - _weekdays_upto(start)
        lo_year = max(start.year, HOLIDAY_YEARS[0])
        hi_year = min(end.year, HOLIDAY_YEARS[1])
        for year in range(lo_year, hi_year + 1):
            exceptions, net = self._year(year)
            if start.year < year < end.year:
                count += net
                continue
            for day, work in exceptions.items():
                if start < day <= end:
                    count += 1 if work else -1
        return sign * count

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (start itself not counted).

        "3个工作日内" assigned on a Friday before a holiday ends on the third
        working day after it. n=0 gives the first working day on or after start.
        A result past 9999-12-31 saturates at that day (only bad data gets there).
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        start = _as_date(start)
        if n == 0:
            day = start
            for _ in range(3660):  # a run of days off longer than ten years is not a calendar
                if self.is_workday(day):
                    return day
                if day == dt.date.max:
                    return day
                day += dt.timedelta(days=1)
            return day
        # Smallest e > start with working_days_between(start, e) >= n (a working day by construction).
        lo = 1                                                 # offsets in days from start
        hi = max(14, n * 2 + 60)
        room = (dt.date.max - start).days
        if room <= 0:
            return dt.date.max
        while hi < room and self.working_days_between(start, start + dt.timedelta(days=hi)) < n:
            hi *= 2
        hi = min(hi, room)
        if self.working_days_between(start, start + dt.timedelta(days=hi)) < n:
            return dt.date.max
        while lo < hi:
            mid = (lo + hi) // 2
            if self.working_days_between(start, start + dt.timedelta(days=mid)) >= n:
                hi = mid
            else:
                lo = mid + 1
        return start + dt.timedelta(days=lo)

    def is_provisional(self, start: dt.date, end: dt.date) -> bool:
        """True when any year in [start, end] has no known official schedule."""
        lo, hi = sorted((start, end))
        return any(not self.is_year_known(y) for y in range(lo.year, hi.year + 1))


def _as_date(day) -> dt.date:
    return day.date() if isinstance(day, dt.datetime) else day


def _weekdays_upto(day: dt.date) -> int:
    """Mondays–Fridays in [0001-01-01, day] (0001-01-01 was a Monday): pure arithmetic."""
    o = day.toordinal()
    return 5 * (o // 7) + min(o % 7, 5)


# Plain package calendar (no overrides), for code with no database at hand.
DEFAULT = WorkCalendar()


def add_working_days(start: dt.date, n: int, calendar: WorkCalendar | None = None) -> dt.date:
    return (calendar or DEFAULT).add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date, calendar: WorkCalendar | None = None) -> int:
    return (calendar or DEFAULT).working_days_between(start, end)
