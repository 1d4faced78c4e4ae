"""Overdue cases light up in the supervision sweep through supervision's registry of supervised kinds
(supervision never imports cases)."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from luoshi.cases import services as svc
from luoshi.cases.sweep import case_lights


def test_overdue_case_lights_red_in_the_sweep(new_case, office, units):
    from luoshi.supervision.kinds import kinds
    from luoshi.supervision.sweep import run_sweep

    assert "cases" in {k.name for k in kinds()}
    now = timezone.now()
    late, _ = new_case()
    svc.do_dispatch_case(office["dispatcher"], late, unit=units["dong"], at=now - dt.timedelta(days=10))
    soon, _ = new_case(cat="urgent")
    svc.do_dispatch_case(office["dispatcher"], soon, unit=units["xi"], at=now - dt.timedelta(minutes=110))
    fresh, _ = new_case()
    svc.do_dispatch_case(office["dispatcher"], fresh, unit=units["xi"], at=now)
    lights = case_lights(now)
    assert lights[units["dong"].pk] == {"red": 1, "yellow": 0, "green": 0}
    # the 2-hour case dispatched 110 min ago on a working day is 临期; check only if today is a working day
    from luoshi.workcal.services import current_calendar

    if current_calendar().is_workday(timezone.localdate(now)) and timezone.localtime(now).hour >= 2:
        assert lights[units["xi"].pk]["yellow"] == 1
    result = run_sweep()
    got = result.kinds["cases"]
    assert got["label"] == "诉求案件" and got["totals"]["red"] == 1 and units["dong"].pk in got["red_units"]
    assert "cases" in result.as_dict()["kinds"]


def test_case_lights_in_counts_the_same_in_the_database_and_scopes(new_case, office, units):
    """case_lights_in (one GROUP BY, what the supervision overview/dashboard show) = case_lights (streamed)
    for red, yellow and green, and restricted to the units asked for."""
    from luoshi.cases.sweep import case_lights_in

    now = timezone.now()
    for unit, at in (("dong", now - dt.timedelta(days=40)), ("dong", now - dt.timedelta(days=1)),
                     ("xi", now - dt.timedelta(days=40)), ("xi", now), ("jia", now - dt.timedelta(days=12))):
        c, _ = new_case()
        svc.do_dispatch_case(office["dispatcher"], c, unit=units[unit], at=at)
    soon, _ = new_case(cat="urgent")
    svc.do_dispatch_case(office["dispatcher"], soon, unit=units["xi"], at=now - dt.timedelta(minutes=110))
    streamed = case_lights(now)
    assert sum(v["red"] for v in streamed.values()) >= 2
    assert case_lights_in(now) == streamed
    later = now + dt.timedelta(days=9)  # more of them 临期/超期 then
    assert case_lights_in(later) == case_lights(later)
    assert case_lights_in(now, {units["dong"].pk}) == {units["dong"].pk: streamed[units["dong"].pk]}
    assert case_lights_in(now, set()) == {}
