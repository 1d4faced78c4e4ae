"""`luoshi calendar load / set-day / show`: holiday notices and local days change the working-day calendar."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from django.core.management.base import CommandError

from luoshi.audit.models import AuditEntry
from luoshi.workcal.models import CalendarDay, HolidayNotice
from luoshi.workcal.services import current_calendar

from .conftest import run

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "holidays-2027.csv"
TITLE = "国务院办公厅关于2027年部分节假日安排的通知(示例)"


def test_example_file_is_marked_as_example():
    header = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert "EXAMPLE" in header and "并非" in header


def test_load_notice_makes_the_year_known():
    assert not current_calendar().is_year_known(2027)
    out = run("workcal", "load", str(EXAMPLE), "--year", "2027", "--title", TITLE)
    assert "loaded the 2027 holiday notice" in out
    cal = current_calendar()
    assert cal.is_year_known(2027)
    assert not cal.is_workday(dt.date(2027, 2, 8))      # a Monday in the (example) Spring Festival
    assert cal.is_workday(dt.date(2027, 1, 31))         # a Sunday made a working day (调休上班)
    assert not cal.day(dt.date(2027, 3, 1)).provisional
    days = CalendarDay.objects.filter(notice__year=2027).count()
    assert AuditEntry.objects.filter(action="calendar.load_notice").count() == 1

    out = run("workcal", "load", str(EXAMPLE), "--year", "2027", "--title", TITLE)
    assert "replaced" in out
    assert CalendarDay.objects.filter(notice__year=2027).count() == days
    assert HolidayNotice.objects.filter(year=2027).count() == 1

    shown = run("workcal", "show", "2027")
    assert TITLE in shown and "2027-02-08 一 放假 春节(示例)" in shown and "2027-01-31 日 上班" in shown


def test_load_xlsx_and_refusals(tmp_path):
    path = tmp_path / "notice.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["日期", "放假/上班", "说明"])
    wb.active.append([dt.date(2028, 1, 1), "放假", "元旦"])
    wb.active.append([dt.date(2028, 1, 2), "放假", "元旦"])
    wb.save(path)
    run("workcal", "load", str(path), "--year", "2028", "--title", "2028年节假日安排")
    assert not current_calendar().is_workday(dt.date(2028, 1, 1))

    with pytest.raises(CommandError, match="is not in 2029"):
        run("workcal", "load", str(path), "--year", "2029", "--title", "x")
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,放假/上班\n2029-01-01,也许\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 2: status must be 放假 or 上班"):
        run("workcal", "load", str(bad), "--year", "2029", "--title", "x")
    with pytest.raises(CommandError, match="file not found"):
        run("workcal", "load", str(tmp_path / "missing.csv"), "--year", "2029", "--title", "x")
    assert not HolidayNotice.objects.filter(year=2029).exists()


def test_set_day_and_show():
    day = dt.date(2026, 6, 3)  # a Wednesday
    assert current_calendar().is_workday(day)
    out = run("workcal", "set-day", "2026-06-03", "--off", "--name", "市运动会")
    assert "local day off" in out
    assert not current_calendar().is_workday(day)
    assert "2026-06-03 三 放假 市运动会 [本地调整]" in run("workcal", "show", "2026")
    run("workcal", "set-day", "2026-06-03", "--work")
    assert current_calendar().is_workday(day)
    assert CalendarDay.objects.filter(date=day, source="local").count() == 1
    with pytest.raises(CommandError, match="invalid date"):
        run("workcal", "set-day", "2026-13-40", "--off")
    with pytest.raises(CommandError):
        run("workcal", "set-day", "2026-06-03")  # neither --off nor --work
    shown = run("workcal", "show", "2031")
    assert "NOT KNOWN" in shown
    # 2031: 春节 (正月初一) is 23 January, 除夕 the 22nd; 国庆 1-3 Oct; all by rule, provisional.
    assert "春节 2031-01-22 至" in shown and "暂定" in shown
    assert "2031-01-01 三 放假 元旦" in shown
    assert "国庆节 2026-10-01 至 2026-10-07 共7天" in run("workcal", "show", "2026")
    shown = run("workcal", "show", "2028")  # weekend holidays: their 补假, provisional
    assert "2028-01-03 一 放假 元旦(补假)" in shown and "国庆节、中秋节 2028-09-30 至 2028-10-04 共5天 暂定" in shown


@pytest.mark.parametrize("year", ["99999", "0", "-5", "1800"])
def test_show_refuses_a_year_out_of_range_with_a_message(year):
    # `calendar show 99999` ended in a Python traceback (ValueError from the date arithmetic)
    with pytest.raises(CommandError, match=r"year -?\d+ is out of range \(1901-2199\)"):
        run("workcal", "show", year)
