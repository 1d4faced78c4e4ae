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


def _by_rule(now) -> dict:
    """The lights per unit, case by case in Python (cases.sweep.case_light): the reference."""
    from luoshi.cases.models import UNIT_STATUSES, Case
    from luoshi.cases.sweep import case_light

    out: dict = {}
    for c in Case.objects.filter(status__in=UNIT_STATUSES, deadline__isnull=False):
        d = out.setdefault(c.responsible_unit_id, {"red": 0, "yellow": 0, "green": 0})
        d[case_light(c.deadline, c.dispatched_at, now)] += 1
    return out


def test_case_lights_in_counts_the_same_in_the_database_and_scopes(new_case, office, units):
    """case_lights_in (one GROUP BY, what the supervision overview/dashboard and the sweep count) = the rule
    applied case by case in Python (case_light) for red, yellow and green, and restricted to the units asked."""
    from luoshi.cases.sweep import case_lights_in

    now = timezone.now()
    for unit, at in (("dong", now - dt.timedelta(days=40)), ("dong", now - dt.timedelta(days=1)),
                     ("xi", now - dt.timedelta(days=40)), ("xi", now), ("jia", now - dt.timedelta(days=12))):
        c, _ = new_case()
        svc.do_dispatch_case(office["dispatcher"], c, unit=units[unit], at=at)
    soon, _ = new_case(cat="urgent")
    svc.do_dispatch_case(office["dispatcher"], soon, unit=units["xi"], at=now - dt.timedelta(minutes=110))
    streamed = _by_rule(now)
    assert sum(v["red"] for v in streamed.values()) >= 2
    assert case_lights_in(now) == streamed == case_lights(now)
    later = now + dt.timedelta(days=9)  # more of them 临期/超期 then
    assert case_lights_in(later) == _by_rule(later)
    assert case_lights_in(now, {units["dong"].pk}) == {units["dong"].pk: streamed[units["dong"].pk]}
    assert case_lights_in(now, set()) == {}


def test_case_lights_counted_in_sql_match_the_rule(new_case, office, units):
    """case_lights counts in the database what case_light says for each case, around both boundaries."""
    from luoshi.cases.models import Case
    from luoshi.cases.sweep import case_light

    now = timezone.now()
    made = []
    for i, (unit, ago_h, limit_h) in enumerate([("dong", 30, 24), ("dong", 20, 24), ("dong", 19, 24),
                                                 ("xi", 1, 24), ("xi", 23, 24), ("xi", 100, 24),
                                                 ("jia", 0, 24), ("jia", 45, 50), ("jia", 39, 50)]):
        case, _ = new_case()
        case = svc.do_dispatch_case(office["dispatcher"], case, unit=units[unit], at=now - dt.timedelta(hours=ago_h))
        # exact times: deadline = dispatch + limit (minus a second where the boundary must fall inside)
        Case.objects.filter(pk=case.pk).update(dispatched_at=now - dt.timedelta(hours=ago_h),
                                               deadline=now - dt.timedelta(hours=ago_h) + dt.timedelta(hours=limit_h))
        made.append(case.pk)
    want: dict = {}
    for c in Case.objects.filter(pk__in=made):
        d = want.setdefault(c.responsible_unit_id, {"red": 0, "yellow": 0, "green": 0})
        d[case_light(c.deadline, c.dispatched_at, now)] += 1
    assert want[units["dong"].pk] == {"red": 1, "yellow": 1, "green": 1}
    assert want[units["xi"].pk] == {"red": 1, "yellow": 1, "green": 1}
    assert want[units["jia"].pk] == {"red": 0, "yellow": 1, "green": 2}
    assert case_lights(now) == want
    # a closed case no longer counts
    Case.objects.filter(pk=made[0]).update(status="closed")
    assert case_lights(now)[units["dong"].pk] == {"red": 0, "yellow": 1, "green": 1}
