"""luoshi calendar load FILE --year Y --title T | set-day DATE --off|--work [--name N] | show YEAR"""
from __future__ import annotations

import calendar as pycal
import datetime as dt

from django.core.management.base import CommandError

from luoshi.core.management.base import LuoshiCommand
from luoshi.workcal.models import CalendarDay, HolidayNotice
from luoshi.workcal.services import current_calendar, do_load_holiday_notice, do_set_local_day, read_notice_file

ACTOR = "命令行"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise CommandError(f"invalid date {value!r} (use YYYY-MM-DD)") from None


class Command(LuoshiCommand):
    help = "Working-day calendar (工作日): holiday notices and local days off/on."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,set-day,show}")
        p = sub.add_parser("load", help="load the State Council holiday notice table (日期, 放假/上班, 说明) of a year")
        p.add_argument("file", help=".csv or .xlsx")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--title", required=True, help="title of the notice (通知名称)")
        p = sub.add_parser("set-day", help="declare a local day off or working day (本地调整)")
        p.add_argument("date", help="YYYY-MM-DD")
        g = p.add_mutually_exclusive_group(required=True)
        g.add_argument("--off", action="store_true", help="the day is a day off")
        g.add_argument("--work", action="store_true", help="the day is a working day")
        p.add_argument("--name", default="", help="reason, e.g. 市运动会")
        p = sub.add_parser("show", help="list holidays, make-up working days and local days of YEAR")
        p.add_argument("year", type=int)

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_load(self, file, year, title, **_):
        if not 1900 < year < 2200:
            raise CommandError(f"year {year} is out of range")
        days = read_notice_file(file) if _exists(file) else None
        if days is None:
            raise CommandError(f"file not found: {file}")
        replacing = HolidayNotice.objects.filter(year=year).exists()
        do_load_holiday_notice(ACTOR, year, title.strip(), days)
        off = sum(1 for _, w, _ in days if not w)
        self.stdout.write(f"{'replaced' if replacing else 'loaded'} the {year} holiday notice {title!r}: "
                          f"{off} days off, {len(days) - off} make-up working days")

    def do_set_day(self, date, off, work, name="", **_):
        day = _date(date)
        do_set_local_day(ACTOR, day, is_workday=bool(work), name=name.strip())
        self.stdout.write(f"{day} is now a local {'working day' if work else 'day off'}"
                          + (f" ({name})" if name else ""))

    def do_show(self, year, **_):
        if not 1900 < year < 2200:  # as for load; a year past 9999 made the date arithmetic crash
            raise CommandError(f"year {year} is out of range (1901-2199)")
        cal = current_calendar()
        notice = HolidayNotice.objects.filter(year=year).first()
        if notice:
            source = f"loaded notice: {notice.title}"
        elif cal.is_year_known(year):
            source = "official schedule from the chinese-calendar package"
        else:
            source = ("NOT KNOWN: statutory holidays and their 补假 by rule (暂定), weekends, no 调休 working days; deadlines in this year are provisional "
                      f"(load the notice with `luoshi calendar load FILE --year {year} --title ...`)")
        self.stdout.write(f"{year}: {source}")
        for period in cal.holiday_periods(year):
            mark = " 暂定" if period.provisional else ""
            self.stdout.write(f"  {period.name} {period.start} 至 {period.end} 共{period.days}天{mark}")
        local = {d.date for d in CalendarDay.objects.filter(source=CalendarDay.Source.LOCAL, date__year=year)}
        working = 0
        for month in range(1, 13):
            for d in range(1, pycal.monthrange(year, month)[1] + 1):
                day = dt.date(year, month, d)
                info = cal.day(day)
                working += info.is_workday
                weekend = day.weekday() >= 5
                if day in local or info.is_workday == weekend:
                    kind = ("上班" if info.is_workday else "放假")
                    tag = " [本地调整]" if day in local else ""
                    self.stdout.write(f"  {day} {'一二三四五六日'[day.weekday()]} {kind} {info.name or ''}{tag}")
        self.stdout.write(f"{working} working days in {year}")


def _exists(path: str) -> bool:
    from pathlib import Path

    return Path(path).is_file()
