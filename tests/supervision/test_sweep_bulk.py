"""The set-based sweep: colours computed in SQL agree with the rule (light_for) task by task, the bulk
notice/escalation path numbers, audits and announces every change, and the audit chain still verifies."""
from __future__ import annotations

import datetime as dt
import random

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import verify_chain
from luoshi.ledger.models import Task, TaskEvent
from luoshi.supervision import stats
from luoshi.notifications.models import Notification
from luoshi.supervision.models import Escalation, SupervisionNotice, SupervisionState
from luoshi.supervision.lights import WorkdayIndex, compute_light
from luoshi.supervision.sweep import run_sweep
from luoshi.workcal.services import current_calendar

D = dt.date
pytestmark = pytest.mark.django_db


def test_sql_colours_match_the_rule(placed_task):
    rnd = random.Random(7)
    on = D(2025, 10, 9)  # the day after the National Day holiday: make-up days and holidays nearby
    tasks = []
    for i in range(80):
        assigned = on - dt.timedelta(days=rnd.randint(-5, 200))
        deadline = None if i % 17 == 0 else on + dt.timedelta(days=rnd.randint(-20, 40))
        status = rnd.choice([None, "signed", "in_progress", "completion_requested", "under_review"])
        tasks.append(placed_task(assigned, deadline, progress=rnd.randint(0, 100), status=status,
                                 title=f"任务{i}"))
    # Out of the SQL path's ordinal window: decided in Python.
    tasks.append(placed_task(on - dt.timedelta(days=30), on + dt.timedelta(days=6000), progress=0,
                             title="远期任务"))
    # Exactly on the deadline, and assigned on the sweep day.
    tasks.append(placed_task(on, on, progress=0, title="当天到期"))
    run_sweep(on)
    wd = WorkdayIndex(current_calendar())
    states = dict(SupervisionState.objects.values_list("task_id", "light"))
    expected_progress = dict(SupervisionState.objects.values_list("task_id", "expected_progress"))
    for t in Task.objects.filter(pk__in=[t.pk for t in tasks]):
        light = compute_light(t, on, wd=wd)
        assert states[t.pk] == light.color, (t.title, t.assigned_on, t.deadline, t.progress, t.status)
        assert expected_progress[t.pk] == light.expected, t.title
    colours = set(states.values())
    assert colours == {"green", "blue", "yellow", "red"}
    # Nothing left to do the same day.
    again = run_sweep(on)
    assert (again.notices_issued, again.escalations, len(again.changes)) == (0, 0, 0)


def test_bulk_changes_are_numbered_audited_and_announced(placed_task, users, units):
    late = [placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, lead=("fgw",), co=("edu",),
                        title=f"逾期{i}") for i in range(5)]
    lagging = [placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=0, lead=("jia",), title=f"滞后{i}")
               for i in range(3)]
    result = run_sweep(D(2025, 3, 18))
    assert result.notices_issued == 8 and result.escalations == 8
    notices = list(SupervisionNotice.objects.order_by("seq"))
    assert [n.number for n in notices] == [f"督办〔2025〕第{i:04d}号" for i in range(1, 9)]
    assert {n.task_id for n in notices} == {t.pk for t in late + lagging}
    for n in notices:
        if n.task_id in {t.pk for t in late}:
            assert n.lead_unit == units["fgw"] and list(n.copy_units.all()) == [units["edu"]]
            assert n.light == "red"
    # Every notice and escalation step is in the chained audit trail, and the chain verifies.
    assert AuditEntry.objects.filter(action="notice.issue").count() == 8
    assert AuditEntry.objects.filter(action="escalation.step").count() == 8
    assert set(AuditEntry.objects.filter(action="notice.issue").values_list("object_id", flat=True)) == \
        {str(n.pk) for n in notices}
    assert verify_chain().ok
    # Timeline and in-app messages.
    assert TaskEvent.objects.filter(kind="notice").count() == 8
    assert TaskEvent.objects.filter(kind="escalation").count() == 8
    assert Notification.objects.filter(user=users["fgw"], kind="notice.issued").count() == 5
    assert Notification.objects.filter(user=users["edu"], kind="notice.issued").count() == 5
    # the ladder's first rung is the 督办单 itself: linked to the colour notice, no second message
    assert not Notification.objects.filter(kind__startswith="escalation.").exists()
    assert Escalation.objects.filter(label="督办单", notice__isnull=False).count() == 8
    # The dashboard summaries follow the sweep.
    assert stats.light_totals() == {"green": 0, "blue": 0, "yellow": 3, "red": 5}
    by_unit = {r["unit"]: r for r in stats.lights_by_unit()}
    assert by_unit[units["fgw"].name]["red"] == 5 and by_unit[units["jia"].name]["yellow"] == 3
    # Closing a task: the next sweep drops its light and the summaries with it.
    Task.objects.filter(pk=late[0].pk).update(status="closed")
    run_sweep(D(2025, 3, 19))
    assert stats.light_totals()["red"] == 4
    assert verify_chain().ok
