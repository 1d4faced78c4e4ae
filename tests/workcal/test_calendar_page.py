"""工作日历 page: an admin loads a holiday notice for an unpublished year; others only read."""
import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEntry
from luoshi.workcal.calendar import _package_years
from luoshi.workcal.models import CalendarDay, HolidayNotice
from tests.conftest import PASSWORD

NEXT = _package_years()[1] + 1  # the first year chinese-calendar does not know


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_known_year_lists_make_up_workdays(client, users):
    _login(client, users["fgw"])
    page = client.get("/calendar/?year=2025").content.decode()
    assert "2025-10-11" in page and "上班" in page  # National Day make-up Saturday
    assert "导入节假日安排通知" not in page


def test_admin_loads_notice_for_unpublished_year(client, users):
    _login(client, users["admin"])
    assert "尚未公布" in client.get(f"/calendar/?year={NEXT}").content.decode()
    table = f"日期,状态,说明\n{NEXT}-01-01,放假,元旦\n{NEXT}-02-06,上班,春节调休\n".encode()
    resp = client.post("/calendar/", {"n-year": NEXT, "n-title": "测试通知", "load_notice": "1",
                                      "n-table": SimpleUploadedFile("t.csv", table)})
    assert resp.status_code == 302
    assert HolidayNotice.objects.get(year=NEXT).days.count() == 2
    page = client.get(f"/calendar/?year={NEXT}").content.decode()
    assert "已导入国务院通知" in page and f"{NEXT}-02-06" in page
    assert AuditEntry.objects.filter(action="calendar.load_notice").exists()


def test_bad_table_is_refused_in_chinese_and_writes_nothing(client, users):
    _login(client, users["admin"])
    table = f"{NEXT}-02-30,放假,不存在的日期\n".encode()
    resp = client.post("/calendar/", {"n-year": NEXT, "n-title": "错", "load_notice": "1",
                                      "n-table": SimpleUploadedFile("t.csv", table)})
    assert resp.status_code == 400 and "日期" in resp.content.decode() and "无效" in resp.content.decode()
    assert not HolidayNotice.objects.exists()


def test_liaison_cannot_change_the_calendar(client, users):
    _login(client, users["fgw"])
    resp = client.post("/calendar/", {"d-date": "2025-06-03", "d-status": "off", "set_day": "1"})
    assert resp.status_code == 403
    assert not CalendarDay.objects.exists()


def test_admin_declares_local_day_off(client, users):
    _login(client, users["admin"])
    resp = client.post("/calendar/", {"d-date": "2025-06-03", "d-status": "off", "d-name": "本市防汛", "set_day": "1"})
    assert resp.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2025, 6, 3))
    assert not day.is_workday and day.source == CalendarDay.Source.LOCAL
    assert "本市防汛" in client.get("/calendar/?year=2025").content.decode()


def test_page_lists_whole_holiday_periods_in_chinese(client, users):
    _login(client, users["fgw"])
    page = client.get("/calendar/?year=2026").content.decode()
    assert "Spring Festival" not in page and "National Day" not in page
    assert "国庆节" in page and "2026-10-01 至 2026-10-07" in page and "7天" in page
    page = client.get(f"/calendar/?year={NEXT}").content.decode()
    assert "元旦" in page and "暂定(按法定规则推算)" in page
    # A year with weekend holidays shows their 补假, still 暂定 (the rule, not a notice).
    if 2028 > _package_years()[1]:
        page = client.get("/calendar/?year=2028").content.decode()
        assert "2028-01-03" in page and "元旦(补假)" in page
        assert "国庆节、中秋节" in page and "2028-09-30 至 2028-10-04" in page and "5天" in page
