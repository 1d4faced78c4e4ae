"""The working-day calendar as configured in this installation."""
from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import transaction

from luoshi.audit.services import record
from luoshi.core.errors import decode_table_text

from . import calendar as cal
from .models import CalendarDay, HolidayNotice


class CalendarImportError(ValueError):
    def __init__(self, message_en: str, message_zh: str):
        super().__init__(message_en)
        self.message_en, self.message_zh = message_en, message_zh


def current_calendar() -> cal.WorkCalendar:
    """A WorkCalendar with the loaded notices and local overrides from the database."""
    official, local = {}, {}
    for day in CalendarDay.objects.all().only("date", "is_workday", "name", "source"):
        target = local if day.source == CalendarDay.Source.LOCAL else official
        target[day.date] = (day.is_workday, day.name)
    years = set(HolidayNotice.objects.values_list("year", flat=True))
    return cal.WorkCalendar(official=official, local=local, published_years=years)


def add_working_days(start: dt.date, n: int) -> dt.date:
    return current_calendar().add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    return current_calendar().working_days_between(start, end)


_WORK_WORDS = {"上班", "工作日", "调休上班", "补班", "workday", "work", "1", "true"}
_OFF_WORDS = {"放假", "休息", "假日", "节假日", "holiday", "off", "0", "false"}


def parse_notice_rows(rows) -> list[tuple[dt.date, bool, str]]:
    """Rows of (日期, 放假/上班, 说明) → [(date, is_workday, name)]."""
    out = []
    for lineno, row in enumerate(rows, start=1):
        cells = [str(c).strip() if c is not None else "" for c in row]
        if not any(cells):
            continue
        if lineno == 1 and not cells[0][:1].isdigit():
            continue  # header
        if len(cells) < 2:
            raise CalendarImportError(f"line {lineno}: expected date and status",
                                      f"第{lineno}行:应包含日期和放假/上班")
        try:
            day = dt.date.fromisoformat(cells[0].replace("/", "-")[:10])
        except ValueError:
            raise CalendarImportError(f"line {lineno}: invalid date {cells[0]!r}",
                                      f"第{lineno}行:日期“{cells[0]}”无效") from None
        status = cells[1].lower()
        if status in _WORK_WORDS:
            is_work = True
        elif status in _OFF_WORDS:
            is_work = False
        else:
            raise CalendarImportError(f"line {lineno}: status must be 放假 or 上班, got {cells[1]!r}",
                                      f"第{lineno}行:状态应为“放假”或“上班”")
        out.append((day, is_work, cells[2] if len(cells) > 2 else ""))
    if not out:
        raise CalendarImportError("the table has no days", "表格中没有日期")
    return out


def read_notice_file(path: str) -> list[tuple[dt.date, bool, str]]:
    if str(path).lower().endswith(".xlsx"):
        import openpyxl

        from luoshi.core.safezip import UnsafeArchive, check_ooxml

        try:  # every part inflated once as a stream and counted before openpyxl sees it
            check_ooxml(path, "xlsx")
        except UnsafeArchive as exc:
            raise CalendarImportError(exc.message_en, exc.message_zh) from None
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise CalendarImportError(f"cannot read {path}: {exc}", "无法读取该Excel文件") from None
        rows = [[c.isoformat()[:10] if isinstance(c, (dt.date, dt.datetime)) else c for c in r]
                for r in wb.active.iter_rows(values_only=True)]
        return parse_notice_rows(rows)
    with open(path, "rb") as fh:
        raw = fh.read()
    text = decode_table_text(raw)
    if text is None:
        raise CalendarImportError("cannot decode the file", "无法识别文件编码")
    return parse_notice_rows(csv.reader(io.StringIO(text)))


@transaction.atomic
def do_load_holiday_notice(actor, year: int, title: str, days) -> HolidayNotice:
    """Load (or replace) the official holiday schedule of `year`."""
    days = list(days)
    wrong = [d for d, _, _ in days if d.year != year]
    if wrong:
        raise CalendarImportError(f"{wrong[0]} is not in {year}", f"{wrong[0]}不在{year}年")
    previous = HolidayNotice.objects.filter(year=year).first()
    before = previous and {"year": year, "title": previous.title,
                           "days": [[d.date, d.is_workday, d.name] for d in previous.days.order_by("date")]}
    notice, _ = HolidayNotice.objects.update_or_create(year=year, defaults={"title": title})
    CalendarDay.objects.filter(notice=notice).delete()  # replaced wholesale; the audit entry keeps them
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d, is_workday=w, name=n, source=CalendarDay.Source.OFFICIAL, notice=notice)
        for d, w, n in days
    )
    record(actor, "calendar.load_notice", notice, before=before,
           summary=f"导入{year}年节假日安排({len(days)}天)",
           after={"year": year, "title": title, "days": [[d, w, n] for d, w, n in days]})
    return notice


@transaction.atomic
def do_set_local_day(actor, day: dt.date, is_workday: bool, name: str = "") -> CalendarDay:
    """Declare a local extra day off or working day (本地调整)."""
    before = CalendarDay.objects.filter(date=day, source=CalendarDay.Source.LOCAL).first()
    obj, _ = CalendarDay.objects.update_or_create(
        date=day, source=CalendarDay.Source.LOCAL, defaults={"is_workday": is_workday, "name": name},
    )
    record(actor, "calendar.set_local_day", obj,
           before=before and {"is_workday": before.is_workday, "name": before.name},
           after={"date": day, "is_workday": is_workday, "name": name})
    return obj
