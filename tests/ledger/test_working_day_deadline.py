"""A deadline given in working days ("3个工作日内") is counted from 交办 on the official calendar."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger import services as s
from luoshi.ledger.models import Status, Task
from luoshi.workcal import calendar as cal
from luoshi.workcal.services import do_load_holiday_notice, do_set_local_day

D = dt.date.fromisoformat
UNPUBLISHED = cal._package_years()[1] + 1  # 2027 with chinese-calendar 1.11


@pytest.mark.parametrize("assigned_on, expected", [
    ("2024-09-30", "2024-10-10"),  # Mon before National Day: Oct 1-7 off -> Oct 8, 9, 10
    ("2024-09-27", "2024-10-08"),  # Fri: Sun Sep 29 (调休) and Mon Sep 30 count
    ("2024-10-10", "2024-10-14"),  # Thu: Fri Oct 11, Sat Oct 12 (调休), Mon Oct 14
])
def test_three_working_days_across_national_day(users, make_task, assigned_on, expected):
    task = make_task(assign=False, deadline_working_days=3)
    assert task.status == Status.DRAFT and task.deadline is None
    task = s.do_assign_task(users["supervisor"], task, on=D(assigned_on))
    task = Task.objects.get(pk=task.pk)
    assert task.status == Status.ASSIGNED
    assert task.assigned_on == D(assigned_on)
    assert task.deadline == D(expected)
    assert task.original_deadline == D(expected)
    assert task.deadline_working_days == 3
    assert task.deadline_provisional is False


def test_local_day_off_moves_the_deadline(users, make_task):
    do_set_local_day(users["admin"], D("2024-10-09"), False, "本市台风停工")
    task = s.do_assign_task(users["supervisor"], make_task(assign=False, deadline_working_days=3),
                            on=D("2024-09-30"))
    assert task.deadline == D("2024-10-11")


def test_deadline_in_unpublished_year_is_provisional(users, make_task):
    start = dt.date(UNPUBLISHED, 9, 27)
    task = s.do_assign_task(users["supervisor"], make_task(assign=False, deadline_working_days=3), on=start)
    task = Task.objects.get(pk=task.pk)
    assert task.deadline_provisional is True
    # Weekends only until the year's notice is loaded.
    expected = cal.WorkCalendar().add_working_days(start, 3)
    assert task.deadline == expected and expected.weekday() < 5

    # A span reaching from a published year into the unpublished one is provisional too.
    late = s.do_assign_task(users["supervisor"], make_task(assign=False, deadline_working_days=5),
                            on=dt.date(UNPUBLISHED - 1, 12, 28))
    assert late.deadline.year == UNPUBLISHED and late.deadline_provisional is True

    # A fixed date in that year, set at 立项, is provisional as well.
    fixed = make_task(assign=False, deadline=dt.date(UNPUBLISHED, 10, 8))
    assert Task.objects.get(pk=fixed.pk).deadline_provisional is True


def test_deadline_after_notice_is_loaded_is_official(users, make_task):
    year = UNPUBLISHED
    days = [(dt.date(year, 10, d), False, "国庆节") for d in range(1, 8)]
    do_load_holiday_notice(users["admin"], year, f"{year}年节假日安排", days)
    start = dt.date(year, 9, 30)
    task = s.do_assign_task(users["supervisor"], make_task(assign=False, deadline_working_days=1), on=start)
    task = Task.objects.get(pk=task.pk)
    assert task.deadline_provisional is False
    assert task.deadline > dt.date(year, 10, 7)  # the loaded break is skipped
    assert task.deadline.weekday() < 5
