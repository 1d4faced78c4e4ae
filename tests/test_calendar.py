"""The working-day clock (工作日计算): official holidays and make-up days (调休),
local overrides, years not yet published, and loading a holiday notice.

Every official fact below was checked against chinese_calendar.get_holiday_detail;
test_official_facts re-checks them, so a wrong fact fails loudly rather than
silently shifting deadlines.
"""
from __future__ import annotations

import datetime as dt

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.audit.models import AuditEntry
from luoshi.workcal import calendar as cal
from luoshi.workcal import services
from luoshi.workcal.models import CalendarDay, HolidayNotice
from luoshi.workcal.services import CalendarImportError, do_load_holiday_notice, do_set_local_day

D = dt.date.fromisoformat
ONE = dt.timedelta(days=1)


def days(first: str, last: str) -> list[dt.date]:
    out, d = [], D(first)
    while d <= D(last):
        out.append(d)
        d += ONE
    return out


# (holiday, days off, make-up working days on a weekend)
OFFICIAL = [
    ("National Day", days("2024-10-01", "2024-10-07"), [D("2024-09-29"), D("2024-10-12")]),  # Sun, Sat
    ("Spring Festival", days("2024-02-10", "2024-02-17"), [D("2024-02-04"), D("2024-02-18")]),  # Sun, Sun
    ("Spring Festival", days("2025-01-28", "2025-02-04"), [D("2025-01-26"), D("2025-02-08")]),  # Sun, Sat
    ("National Day", days("2025-10-01", "2025-10-08"), [D("2025-09-28"), D("2025-10-11")]),  # Sun, Sat
]

# The first year the installed chinese-calendar knows nothing about (2027 at the time of writing).
UNPUBLISHED = cal._package_years()[1] + 1


@pytest.mark.parametrize("name, off, makeup", OFFICIAL, ids=[f"{o[0].year}-{n}" for n, o, _ in OFFICIAL])
def test_official_facts(name, off, makeup):
    wc = cal.WorkCalendar()
    for d in off:
        is_holiday, detail = cc.get_holiday_detail(d)
        assert is_holiday, d
        # 2025-10-06 is the Mid-autumn Festival inside the National Day break.
        assert detail in (name, "Mid-autumn Festival"), (d, detail)
        assert not wc.is_workday(d), d
        assert wc.day(d).provisional is False
    for d in makeup:
        assert d.weekday() >= 5, f"{d} should be a weekend day"
        assert cc.get_holiday_detail(d) == (False, name)
        assert wc.is_workday(d), d
    # The day after the break is an ordinary working day.
    assert wc.is_workday(off[-1] + ONE)


@pytest.mark.parametrize("start, n, expected", [
    # National Day 2024: Oct 1-7 off, Sun Sep 29 and Sat Oct 12 are working days.
    ("2024-09-30", 3, "2024-10-10"),
    ("2024-09-27", 1, "2024-09-29"),  # Friday -> the make-up Sunday
    ("2024-09-27", 3, "2024-10-08"),
    ("2024-10-03", 1, "2024-10-08"),  # counting from inside the holiday
    ("2024-10-10", 2, "2024-10-12"),  # Thu -> Fri -> make-up Saturday
    ("2024-10-12", 1, "2024-10-14"),
    # Spring Festival 2024: Feb 10-17 off, Sun Feb 4 and Sun Feb 18 working.
    ("2024-02-02", 1, "2024-02-04"),
    ("2024-02-08", 3, "2024-02-19"),  # Fri 9 -> Sun 18 -> Mon 19
    ("2024-02-09", 1, "2024-02-18"),
    # Spring Festival 2025: Jan 28-Feb 4 off, Sun Jan 26 and Sat Feb 8 working.
    ("2025-01-24", 3, "2025-02-05"),  # Sun 26 -> Mon 27 -> Wed Feb 5
    ("2025-01-27", 1, "2025-02-05"),
    ("2025-02-05", 3, "2025-02-08"),
    # National Day 2025: Oct 1-8 off, Sun Sep 28 and Sat Oct 11 working.
    ("2025-09-26", 1, "2025-09-28"),
    ("2025-09-30", 3, "2025-10-11"),
    ("2025-09-30", 4, "2025-10-13"),
    # n=0: the first working day on or after the start.
    ("2024-10-01", 0, "2024-10-08"),
    ("2024-09-29", 0, "2024-09-29"),
    ("2025-02-01", 0, "2025-02-05"),
])
def test_add_working_days_across_holidays(start, n, expected):
    assert cal.add_working_days(D(start), n) == D(expected)


@pytest.mark.parametrize("start, end, expected", [
    ("2024-09-30", "2024-10-10", 3),
    ("2024-10-10", "2024-09-30", -3),
    ("2024-09-30", "2024-10-07", 0),  # the whole break counts nothing
    ("2024-09-28", "2024-09-30", 2),  # make-up Sunday + Monday
    ("2024-02-09", "2024-02-19", 2),
    ("2025-01-25", "2025-02-08", 6),  # Jan 26, 27, Feb 5, 6, 7, 8
    ("2025-09-27", "2025-10-12", 6),  # Sep 28, 29, 30, Oct 9, 10, 11
    ("2024-10-01", "2024-10-01", 0),
    # A whole month: October 2024 has 23 weekdays, 5 of them off, plus Sat Oct 12.
    ("2024-09-30", "2024-10-31", 19),
])
def test_working_days_between(start, end, expected):
    assert cal.working_days_between(D(start), D(end)) == expected


def test_add_working_days_refuses_negative():
    with pytest.raises(ValueError):
        cal.add_working_days(D("2024-10-01"), -1)


@settings(max_examples=300, deadline=None)
@given(start=st.dates(min_value=dt.date(2023, 12, 1), max_value=dt.date(2026, 10, 31)),
       n=st.integers(min_value=1, max_value=40))
def test_inverse_property(start, n):
    end = cal.add_working_days(start, n)
    assert end > start
    assert cal.DEFAULT.is_workday(end)
    assert cal.working_days_between(start, end) == n
    assert cal.working_days_between(end, start) == -n
    # No working day is skipped: the day before `end` is n-1 working days from start.
    assert cal.working_days_between(start, end - ONE) == n - 1


# ---- local overrides ------------------------------------------------------

@pytest.mark.django_db
def test_local_extra_day_off_shifts_deadline(users):
    start = D("2024-09-30")
    assert services.add_working_days(start, 3) == D("2024-10-10")
    do_set_local_day(users["admin"], D("2024-10-09"), False, "本市台风停工")
    assert services.add_working_days(start, 3) == D("2024-10-11")
    assert services.working_days_between(start, D("2024-10-10")) == 2
    info = services.current_calendar().day(D("2024-10-09"))
    assert (info.is_workday, info.name) == (False, "本市台风停工")
    # The package default is untouched.
    assert cal.add_working_days(start, 3) == D("2024-10-10")
    entry = AuditEntry.objects.filter(action="calendar.set_local_day").get()
    assert entry.after["date"] == "2024-10-09" and entry.after["is_workday"] is False


@pytest.mark.django_db
def test_local_working_day_wins_over_official_holiday(users):
    # A city may keep offices open on an official holiday; its own declaration wins.
    do_set_local_day(users["admin"], D("2024-10-07"), True, "本市集中办公")
    assert services.add_working_days(D("2024-09-30"), 1) == D("2024-10-07")
    # Changing the declaration replaces it rather than adding a second one.
    do_set_local_day(users["admin"], D("2024-10-07"), False, "取消集中办公")
    assert CalendarDay.objects.filter(date=D("2024-10-07")).count() == 1
    assert services.add_working_days(D("2024-09-30"), 1) == D("2024-10-08")


# ---- years not yet published ------------------------------------------------

def test_unpublished_year_keeps_statutory_holidays_and_is_provisional():
    assert UNPUBLISHED >= 2027
    wc = cal.WorkCalendar()
    jan1 = dt.date(UNPUBLISHED, 1, 1)
    assert not wc.is_year_known(UNPUBLISHED)
    info = wc.day(jan1)
    # Nobody has published the year yet, but 元旦 is a statutory day off by rule.
    assert info.provisional is True and info.is_workday is False and info.name == "元旦"
    # An ordinary week in March has no statutory holiday: weekends only.
    friday = next(dt.date(UNPUBLISHED, 3, d) for d in range(1, 8) if dt.date(UNPUBLISHED, 3, d).weekday() == 4)
    assert wc.add_working_days(friday, 1) == friday + 3 * ONE  # Monday
    assert wc.working_days_between(friday, friday + 10 * ONE) == 6
    assert wc.is_provisional(friday, friday + ONE)
    assert wc.is_provisional(dt.date(UNPUBLISHED - 1, 12, 1), jan1)  # a span reaching into it
    assert not wc.is_provisional(D("2024-09-30"), D("2024-10-10"))


@pytest.mark.parametrize("year, count, expected", [
    # Lunar dates checked against published almanacs: 春节 2027-02-06, 2028-01-26; 端午 2027-06-09;
    # 中秋 2027-09-15; 清明 2027-04-05, 2028-04-04.
    (2027, 13, {"2027-02-05": "春节", "2027-02-06": "春节", "2027-02-08": "春节", "2027-04-05": "清明节",
            "2027-05-01": "劳动节", "2027-05-02": "劳动节", "2027-06-09": "端午节", "2027-09-15": "中秋节",
            "2027-10-01": "国庆节", "2027-10-03": "国庆节"}),
    # 2028: 中秋 falls on 3 October, inside 国庆, so one day fewer.
    (2028, 12, {"2028-01-25": "春节", "2028-01-28": "春节", "2028-04-04": "清明节", "2028-10-03": "国庆节"}),
])
def test_statutory_holidays_follow_their_rules(year, count, expected):
    days = cal.statutory_holidays(year)
    for day, name in expected.items():
        assert days[D(day)] == name
    # 元旦1 + 春节4 + 清明1 + 劳动节2 + 端午1 + 中秋1 + 国庆3 (国务院令第795号)
    assert len(days) == count
    assert D(f"{year}-10-04") not in days and D(f"{year}-05-03") not in days


def test_statutory_days_count_as_days_off_in_deadlines():
    wc = cal.WorkCalendar()
    # 2027-09-14 is a Tuesday; 中秋 (Wed 15 Sep) is off, so one working day later is Thursday.
    assert not wc.is_year_known(2027)
    assert wc.add_working_days(D("2027-09-14"), 1) == D("2027-09-16")
    # 10-01 (Fri) off by rule, the weekend, then 10-04..08 work: no 调休 is known before the notice.
    assert wc.working_days_between(D("2027-09-30"), D("2027-10-08")) == 5


def test_holiday_periods_join_weekends_and_use_chinese_names():
    wc = cal.WorkCalendar()
    known = {p.name: p for p in wc.holiday_periods(2025)}
    assert set(known) >= {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"}
    national = known["国庆节、中秋节"]
    assert (national.start, national.end, national.days, national.provisional) == (
        D("2025-10-01"), D("2025-10-08"), 8, False)
    provisional = {p.name: p for p in wc.holiday_periods(2027)}
    spring = provisional["春节"]
    # 除夕 Fri 5 Feb to 初三 Mon 8 Feb, the weekend between them included.
    assert (spring.start, spring.end, spring.days, spring.provisional) == (D("2027-02-05"), D("2027-02-08"), 4, True)
    qingming = provisional["清明节"]  # Monday 5 April joins the weekend before it
    assert (qingming.start, qingming.end) == (D("2027-04-03"), D("2027-04-05"))


def _notice_rows(year: int):
    """A National Day break Oct 1-7 and a make-up working day on the Sunday before it."""
    makeup = dt.date(year, 10, 1) - ONE
    while makeup.weekday() != 6:
        makeup -= ONE
    rows = [["日期", "放假/上班", "说明"]]
    rows += [[f"{year}-10-{d:02d}", "放假", "国庆节"] for d in range(1, 8)]
    rows.append([makeup.isoformat(), "上班", "国庆节调休"])
    return rows, makeup


@pytest.mark.django_db
def test_loading_notice_makes_year_official(users):
    year = UNPUBLISHED
    rows, makeup = _notice_rows(year)
    span = (dt.date(year, 9, 15), dt.date(year, 10, 20))
    assert not services.current_calendar().is_workday(dt.date(year, 10, 1))  # statutory by rule
    assert services.current_calendar().is_provisional(*span)
    assert not services.current_calendar().is_workday(makeup)

    parsed = services.parse_notice_rows(rows)
    assert len(parsed) == 8
    notice = do_load_holiday_notice(users["admin"], year, f"国务院办公厅关于{year}年部分节假日安排的通知", parsed)

    wc = services.current_calendar()
    assert wc.is_year_known(year)
    assert not wc.is_provisional(*span)
    assert wc.day(makeup).is_workday and wc.day(makeup).provisional is False
    assert wc.day(makeup).name == "国庆节调休"
    for d in range(1, 8):
        info = wc.day(dt.date(year, 10, d))
        assert (info.is_workday, info.name, info.provisional) == (False, "国庆节", False)
    # Before: weekends and the statutory days by rule were off. After: exactly the notice decides
    # (its 7 days off, its make-up Sunday), every other weekday works — 中秋 included, as this
    # test notice does not list it.
    off = {dt.date(year, 10, d) for d in range(1, 8)}
    expected = sum(1 for i in range(1, (span[1] - span[0]).days + 1)
                   if (d := span[0] + i * ONE) == makeup or (d.weekday() < 5 and d not in off))
    assert services.working_days_between(*span) == expected
    # Days not in the notice are ordinary weekdays / weekends, and no longer provisional.
    nov1 = dt.date(year, 11, 1)
    assert wc.day(nov1).is_workday is (nov1.weekday() < 5)
    assert wc.day(nov1).provisional is False
    assert HolidayNotice.objects.get().pk == notice.pk
    entry = AuditEntry.objects.filter(action="calendar.load_notice").get()
    assert entry.after["year"] == year and len(entry.after["days"]) == 8


@pytest.mark.django_db
def test_reloading_notice_replaces_its_days(users):
    year = UNPUBLISHED
    rows, makeup = _notice_rows(year)
    do_load_holiday_notice(users["admin"], year, "第一版", services.parse_notice_rows(rows))
    corrected = [(dt.date(year, 10, d), False, "国庆节") for d in range(1, 4)]
    do_load_holiday_notice(users["admin"], year, "更正版", corrected)
    assert HolidayNotice.objects.get().title == "更正版"
    assert list(CalendarDay.objects.order_by("date").values_list("date", flat=True)) == [d for d, _, _ in corrected]
    wc = services.current_calendar()
    assert not wc.is_workday(makeup)  # the make-up day of the first version is gone
    oct4 = dt.date(year, 10, 4)
    assert wc.is_workday(oct4) is (oct4.weekday() < 5)


@pytest.mark.django_db
def test_notice_file_in_gb18030_csv(users, tmp_path):
    year = UNPUBLISHED
    rows, makeup = _notice_rows(year)
    path = tmp_path / "notice.csv"
    path.write_bytes("\r\n".join(",".join(r) for r in rows).encode("gb18030"))
    parsed = services.read_notice_file(str(path))
    assert parsed[0] == (dt.date(year, 10, 1), False, "国庆节")
    assert parsed[-1] == (makeup, True, "国庆节调休")


@pytest.mark.parametrize("rows, en, zh", [
    ([["日期", "状态"], ["2027-02-30", "放假"]], "line 2: invalid date", "第2行"),
    ([["2027-10-01", "半天"]], "line 1: status must be 放假 or 上班", "第1行"),
    ([["日期", "状态"], ["2027-10-01", "放假"], ["2027-10-02"]], "line 3: expected date and status", "第3行"),
    ([["日期", "状态"]], "the table has no days", "表格中没有日期"),
    ([], "the table has no days", "表格中没有日期"),
])
def test_bad_notice_rows_are_refused(rows, en, zh):
    with pytest.raises(CalendarImportError) as exc:
        services.parse_notice_rows(rows)
    assert en in exc.value.message_en
    assert zh in exc.value.message_zh


@pytest.mark.django_db
def test_notice_with_day_of_another_year_writes_nothing(users):
    year = UNPUBLISHED
    days_ = [(dt.date(year, 10, 1), False, "国庆节"), (dt.date(year + 1, 1, 1), False, "元旦")]
    with pytest.raises(CalendarImportError) as exc:
        do_load_holiday_notice(users["admin"], year, "有误的通知", days_)
    assert f"{year + 1}-01-01 is not in {year}" in exc.value.message_en
    assert f"不在{year}年" in exc.value.message_zh
    assert not HolidayNotice.objects.exists()
    assert not CalendarDay.objects.exists()
    assert not AuditEntry.objects.filter(action="calendar.load_notice").exists()
    assert services.current_calendar().is_provisional(dt.date(year, 10, 1), dt.date(year, 10, 1))
