"""Escalation chain (提醒 → 催办 → 督办单 → 挂牌督办 → 约谈/问责建议), working-day gaps, answers pause it."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.core.errors import LuoshiError
from luoshi.ledger.models import TaskEvent
from luoshi.notifications.models import Notification
from luoshi.supervision.models import Escalation, SupervisionNotice, SupervisionState
from luoshi.supervision.escalation import do_save_policy
from luoshi.supervision.notices import do_answer_notice, do_review_answer
from luoshi.supervision.sweep import run_sweep

D = dt.date
pytestmark = pytest.mark.django_db


def levels(task):
    return list(Escalation.objects.filter(task=task).order_by("level").values_list("label", "on"))


def test_default_chain_on_working_days(placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 9, 19), progress=60)   # red from 09-22 (Mon)
    for day in range(22, 31):
        run_sweep(D(2025, 9, day))
    for day in range(1, 32):
        run_sweep(D(2025, 10, day))
    # 提醒 09-22; 催办 3 working days later 09-25; 督办单 3 later: 09-26, 09-28 (make-up Sunday), 09-29;
    # 挂牌 5 later: 09-30, 10-09, 10-10, 10-11 (make-up Saturday), 10-13; 约谈 5 later: 10-14…10-17, 10-20.
    assert levels(t) == [("提醒", D(2025, 9, 22)), ("催办", D(2025, 9, 25)), ("督办单", D(2025, 9, 29)),
                         ("挂牌督办", D(2025, 10, 13)), ("约谈/问责建议", D(2025, 10, 20))]
    assert SupervisionState.objects.get(task=t).listed
    assert SupervisionNotice.objects.filter(task=t, kind="escalation").count() == 1
    assert TaskEvent.objects.filter(task=t, kind="escalation").count() == 5
    assert Notification.objects.filter(user=users["leader"], kind="escalation.interview").count() == 0  # not fgw's
    assert Notification.objects.filter(user=users["supervisor"], kind="escalation.interview").count() == 1


def test_answer_pauses_and_rejection_resumes(placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    run_sweep(D(2025, 3, 17))                        # red → 提醒
    auto = SupervisionNotice.objects.get(task=t, kind="auto")
    do_answer_notice(users["fgw"], auto, "已安排专人督促,本周内完成。", on=D(2025, 3, 18))
    for day in range(18, 29):
        run_sweep(D(2025, 3, day))
    assert [x[0] for x in levels(t)] == ["提醒"]     # answered after the last step: waits
    do_review_answer(users["supervisor"], auto, accept=False, note="未说明逾期原因")
    run_sweep(D(2025, 3, 31))
    assert [x[0] for x in levels(t)] == ["提醒", "催办"]


def test_green_ends_the_episode(placed_task, users):
    t = placed_task(D(2025, 3, 3), D(2025, 3, 28), progress=0)
    run_sweep(D(2025, 3, 14))   # yellow
    assert SupervisionState.objects.get(task=t).episode_since == D(2025, 3, 14)
    from luoshi.ledger.models import Task
    Task.objects.filter(pk=t.pk).update(progress=80)
    run_sweep(D(2025, 3, 17))
    st = SupervisionState.objects.get(task=t)
    assert (st.light, st.episode_since) == ("green", None)
    assert TaskEvent.objects.filter(task=t, kind="light", note__contains="恢复绿灯").exists()


def test_policy_per_tag(placed_task, users):
    do_save_policy(users["supervisor"], name="重点项目", tag="重点项目",
                   steps=[{"kind": "urge", "after_days": 0}, {"kind": "interview", "after_days": 1}])
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, tags=["重点项目"])
    other = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    run_sweep(D(2025, 3, 17))
    run_sweep(D(2025, 3, 18))
    assert [x[0] for x in levels(t)] == ["催办", "约谈/问责建议"]
    assert [x[0] for x in levels(other)] == ["提醒"]
    with pytest.raises(LuoshiError):
        do_save_policy(users["supervisor"], name="bad", steps=[{"kind": "shoot"}])
