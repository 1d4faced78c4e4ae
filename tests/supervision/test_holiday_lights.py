"""Holidays and make-up workdays (调休) change WHEN a light turns: 2025 National Day.

2025: 10-01…10-08 off; Sunday 09-28 and Saturday 10-11 are working days.
"""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.supervision.lights import compute_light
from luoshi.supervision.sweep import run_sweep
from luoshi.supervision.models import SupervisionState
from luoshi.workcal.calendar import WorkCalendar
from luoshi.workcal.services import do_set_local_day

D = dt.date
pytestmark = pytest.mark.django_db


class WeekendsOnly(WorkCalendar):
    def is_workday(self, day):
        return day.weekday() < 5


def test_blue_turns_later_because_of_national_day(placed_task):
    t = placed_task(D(2025, 9, 1), D(2025, 10, 10), progress=90)
    cal = WorkCalendar()
    # Working days left after 09-26 (Fri): 09-28 (make-up Sunday), 09-29, 09-30, 10-09, 10-10 = 5.
    assert compute_light(t, D(2025, 9, 26), cal).days_left == 5
    assert compute_light(t, D(2025, 9, 28), cal).color == "green"   # 4 left
    assert compute_light(t, D(2025, 9, 29), cal).color == "blue"    # 3 left: 09-30, 10-09, 10-10
    # On a plain weekend calendar 09-29 would still be green (10-01…10-10 are 8 working days).
    assert compute_light(t, D(2025, 9, 29), WeekendsOnly()).color == "green"
    assert compute_light(t, D(2025, 10, 7), WeekendsOnly()).color == "blue"


def test_make_up_workday_counts_for_expected_progress(placed_task):
    t = placed_task(D(2025, 9, 26), D(2025, 10, 10), progress=0)
    cal = WorkCalendar()
    # Total (09-26, 10-10] = 5 working days; by 09-28 (make-up Sunday) 1 has elapsed.
    assert compute_light(t, D(2025, 9, 28), cal).expected == 20
    assert compute_light(t, D(2025, 9, 27), cal).expected == 0
    # 10-08 is a holiday: still 2 of 5 elapsed (09-28, 09-29, 09-30 → 3).
    assert compute_light(t, D(2025, 10, 8), cal).expected == 60


def test_local_day_off_moves_the_sweep(placed_task, users):
    t = placed_task(D(2025, 9, 1), D(2025, 10, 10), progress=90)
    run_sweep(D(2025, 9, 28))
    assert SupervisionState.objects.get(task=t).light == "green"
    # The city declares 09-30 a day off: on 09-28 only 09-29, 10-09, 10-10 are left → blue.
    do_set_local_day(users["admin"], D(2025, 9, 30), False, "本地调休")
    run_sweep(D(2025, 9, 28))
    state = SupervisionState.objects.get(task=t)
    assert (state.light, state.since) == ("blue", D(2025, 9, 28))
