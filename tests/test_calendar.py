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
    (2028, 12, {"2028-01-25": "春节", "2028-01-28": "春节", "2028-04-04": "清明节", "2028-10-03": "国庆节、中秋节"}),
])
def test_statutory_holidays_follow_their_rules(year, count, expected):
    days = cal.statutory_holidays(year)
    for day, name in expected.items():
        assert days[D(day)] == name
    # 元旦1 + 春节4 + 清明1 + 劳动节2 + 端午1 + 中秋1 + 国庆3 (国务院令第795号)
    assert len(days) == count
    # The statutory days themselves stop at 10-03 and 05-02; what follows them is 补假 (see below).
    assert D(f"{year}-10-04") not in days and D(f"{year}-05-03") not in days
    # 2027: 劳动节 5-01/02 and 国庆 10-02/03 fall on weekends, so 05-03 and 10-04 are 补假 days off.
    off = cal.provisional_days_off(year)
    if year == 2027:
        assert off[D("2027-05-03")] == "劳动节(补假)" and off[D("2027-10-04")] == "国庆节(补假)"


def test_statutory_days_count_as_days_off_in_deadlines():
    wc = cal.WorkCalendar()
    # 2027-09-14 is a Tuesday; 中秋 (Wed 15 Sep) is off, so one working day later is Thursday.
    assert not wc.is_year_known(2027)
    assert wc.add_working_days(D("2027-09-14"), 1) == D("2027-09-16")
    # 10-01 (Fri) off by rule, 10-02/03 (Sat, Sun) are 国庆 days on a weekend, so Mon 10-04 and
    # Tue 10-05 are 补假 (art. 6); 10-06..08 work: no 调休 is known before the notice.
    assert wc.working_days_between(D("2027-09-30"), D("2027-10-08")) == 3
    assert wc.add_working_days(D("2027-09-30"), 1) == D("2027-10-06")


def test_holiday_periods_join_weekends_and_use_chinese_names():
    wc = cal.WorkCalendar()
    known = {p.name: p for p in wc.holiday_periods(2025)}
    assert set(known) >= {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"}
    national = known["国庆节、中秋节"]
    assert (national.start, national.end, national.days, national.provisional) == (
        D("2025-10-01"), D("2025-10-08"), 8, False)
    provisional = {p.name: p for p in wc.holiday_periods(2027)}
    spring = provisional["春节"]
    # 除夕 Fri 5 Feb to 初三 Mon 8 Feb, the weekend between them included; 初一 and 初二 are on that
    # weekend, so Tue 9 and Wed 10 Feb are 补假 and belong to the period.
    assert (spring.start, spring.end, spring.days, spring.provisional) == (D("2027-02-05"), D("2027-02-10"), 6, True)
    qingming = provisional["清明节"]  # Monday 5 April joins the weekend before it
    assert (qingming.start, qingming.end) == (D("2027-04-03"), D("2027-04-05"))


# ---- 补假: a statutory day on a weekend gives a weekday off after the period (art. 6) ----------

def test_new_year_on_saturday_gives_monday_off():
    # 1 Jan 2028 is a Saturday: the law owes a weekday, the first one after it is Monday 3 Jan.
    wc = cal.WorkCalendar()
    assert not wc.is_year_known(2028) and D("2028-01-01").weekday() == 5
    monday = wc.day(D("2028-01-03"))
    assert (monday.is_workday, monday.name, monday.provisional) == (False, "元旦(补假)", True)
    assert wc.is_workday(D("2028-01-04"))  # one day owed, one given
    # Friday 31 Dec 2027 + 1 working day is Tuesday 4 Jan, not Monday.
    assert wc.add_working_days(D("2027-12-31"), 1) == D("2028-01-04")
    assert wc.working_days_between(D("2027-12-31"), D("2028-01-04")) == 1
    new_year = next(p for p in wc.holiday_periods(2028) if p.start.month == 1 and p.name == "元旦")
    assert (new_year.start, new_year.end, new_year.days, new_year.provisional) == (
        D("2028-01-01"), D("2028-01-03"), 3, True)


def test_national_day_sunday_and_mid_autumn_inside_it_2028():
    # 2028: 1 Oct is a Sunday, 2 Oct Monday, 3 Oct Tuesday is also 中秋 (八月十五).
    wc = cal.WorkCalendar()
    assert D("2028-10-01").weekday() == 6
    statutory = cal.statutory_holidays(2028)
    assert statutory[D("2028-10-03")] == "国庆节、中秋节"  # one date, two holidays, one day off
    assert [d for d in statutory if d.month in (9, 10)] == days("2028-10-01", "2028-10-03")
    # Only the Sunday is owed (art. 6 speaks of 星期六、星期日, not of two holidays on one date):
    # one 补假, Wednesday 4 Oct; Thursday 5 Oct works.
    assert wc.day(D("2028-10-04")).name == "国庆节(补假)" and not wc.is_workday(D("2028-10-04"))
    assert wc.is_workday(D("2028-10-05"))
    assert wc.working_days_between(D("2028-09-29"), D("2028-10-06")) == 2  # Thu 5, Fri 6
    period = next(p for p in wc.holiday_periods(2028) if p.start.month in (9, 10))
    # Saturday 30 Sep joins it; both holidays named once each, the 补假 adds no name.
    assert (period.name, period.start, period.end, period.days, period.provisional) == (
        "国庆节、中秋节", D("2028-09-30"), D("2028-10-04"), 5, True)
    assert [p.name for p in wc.holiday_periods(2028)].count("国庆节、中秋节") == 1


def test_compensation_skips_days_already_off_and_counts_each_weekend_day():
    # 2027 春节: 除夕 Fri 5 Feb, 初一 Sat, 初二 Sun, 初三 Mon 8 Feb: two weekend days, two 补假, which
    # start after 初三 (a day already off), on Tue 9 and Wed 10 Feb.
    off = cal.provisional_days_off(2027)
    assert {d: n for d, n in off.items() if "补假" in n and d.month == 2} == {
        D("2027-02-09"): "春节(补假)", D("2027-02-10"): "春节(补假)"}
    # Every 补假 is a Monday–Friday that is not a statutory day; none in a year with no weekend holiday.
    for year in range(2027, 2061):
        statutory = cal.statutory_holidays(year)
        extra = {d for d in cal.provisional_days_off(year) if d not in statutory}
        assert all(d.weekday() < 5 for d in extra), year
        assert len(extra) == sum(1 for d in statutory if d.weekday() >= 5), year


def test_package_years_get_no_rule_made_days():
    # The published years come from chinese-calendar only: no 补假 is added on top of them.
    wc = cal.WorkCalendar()
    for year in range(2004, cal._package_years()[1] + 1):
        for d in cal.provisional_days_off(year):
            info = wc.day(d)
            assert info.provisional is False and "补假" not in (info.name or ""), d


@pytest.mark.django_db
def test_loaded_notice_replaces_the_rule_made_days(users):
    # A (made-up) notice for 2028 that gives 国庆 1–7 Oct and nothing in January: once loaded, the
    # rule's 补假 days (Mon 3 Jan, Wed 4 Oct) are what the notice says, not 补假.
    assert not services.current_calendar().is_workday(D("2028-01-03"))
    rows = [(D(f"2028-10-0{d}"), False, "国庆节、中秋节") for d in range(1, 8)]
    do_load_holiday_notice(users["admin"], 2028, "测试通知", rows)
    wc = services.current_calendar()
    jan3 = wc.day(D("2028-01-03"))
    assert (jan3.is_workday, jan3.name, jan3.provisional) == (True, None, False)
    assert wc.day(D("2028-10-04")).name == "国庆节、中秋节"
    assert all("补假" not in (p.name) for p in wc.holiday_periods(2028))
    assert wc.working_days_between(D("2027-12-31"), D("2028-01-04")) == 2


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
