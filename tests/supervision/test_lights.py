"""The clock and lights (A): green / blue (临期) / yellow (behind 序时进度) / red (逾期)."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.models import Status
from luoshi.supervision.lights import compute_light
from luoshi.workcal.calendar import WorkCalendar

D = dt.date
pytestmark = pytest.mark.django_db
CAL = WorkCalendar()


def test_green_on_track(placed_task):
    # 2025-03-03 (Mon) → 2025-03-28 (Fri): 19 working days after assignment.
    t = placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=30)
    light = compute_light(t, D(2025, 3, 10), CAL)
    assert light.color == "green"
    assert light.expected == round(100 * 5 / 19)


def test_red_after_deadline(placed_task):
    t = placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=90)
    assert compute_light(t, D(2025, 3, 28), CAL).color != "red"  # the deadline day itself is not late
    light = compute_light(t, D(2025, 3, 31), CAL)
    assert light.color == "red"
    assert "1个工作日" in light.reason


def test_blue_within_warn_days(placed_task):
    t = placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=95)
    # Mar 25 (Tue): Mar 26, 27, 28 left = 3 working days → blue; Mar 24: 4 → green.
    assert compute_light(t, D(2025, 3, 24), CAL).color == "green"
    assert compute_light(t, D(2025, 3, 25), CAL).color == "blue"
    assert compute_light(t, D(2025, 3, 24), CAL, {"warn_days": 4}).color == "blue"


def test_yellow_when_behind_expected_progress(placed_task):
    t = placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=10)
    # Mar 14: 9 of 19 working days elapsed → expected 47 %; 47 - 10 > 20 → yellow.
    light = compute_light(t, D(2025, 3, 14), CAL)
    assert (light.color, light.expected) == ("yellow", 47)
    assert "落后序时进度47%" in light.reason
    # With a 40-point margin the same task is green.
    assert compute_light(t, D(2025, 3, 14), CAL, {"behind_margin": 40}).color == "green"
    # Exactly at the margin is not behind: expected 47, progress 27.
    t.progress = 27
    assert compute_light(t, D(2025, 3, 14), CAL).color == "green"


def test_yellow_wins_over_blue_red_over_all(placed_task):
    t = placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=0)
    assert compute_light(t, D(2025, 3, 26), CAL).color == "yellow"
    assert compute_light(t, D(2025, 4, 1), CAL).color == "red"


def test_no_light_for_draft_closed_suspended(placed_task):
    for status in (Status.CLOSED, Status.SUSPENDED, Status.DRAFT):
        t = placed_task(D(2025, 3, 3), D(2025, 3, 28), status=status)
        assert compute_light(t, D(2025, 4, 10), CAL) is None


def test_completion_requested_is_green(placed_task):
    t = placed_task(D(2025, 3, 3), D(2025, 3, 28), status=Status.COMPLETION_REQUESTED)
    assert compute_light(t, D(2025, 4, 10), CAL).color == "green"
