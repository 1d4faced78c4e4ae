"""Escalation ladder (督办单 → 催办 → 挂牌督办 → 约谈/问责建议) in order, working-day gaps, answers pause it;
a yellow (滞后) task is not 挂牌 unless a policy says so; a red reason states today's figure."""
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
    # 督办单 with the light change 09-22; 催办 3 working days later 09-25; 挂牌 5 later: 09-26, 09-28
    # (make-up Sunday), 09-29, 09-30, 10-09; 约谈 5 later: 10-10, 10-11 (make-up Saturday), 10-13…10-15.
    assert levels(t) == [("督办单", D(2025, 9, 22)), ("催办", D(2025, 9, 25)), ("挂牌督办", D(2025, 10, 9)),
                         ("约谈/问责建议", D(2025, 10, 15))]
    assert SupervisionState.objects.get(task=t).listed
    # exactly one 督办单, issued in order as the ladder's first rung and linked to it
    notices = list(SupervisionNotice.objects.filter(task=t))
    assert [(n.kind, n.light, n.issued_on) for n in notices] == [("auto", "red", D(2025, 9, 22))]
    assert Escalation.objects.get(task=t, level=1).notice_id == notices[0].pk
    assert TaskEvent.objects.filter(task=t, kind="escalation").count() == 4
    assert Notification.objects.filter(user=users["leader"], kind="escalation.interview").count() == 0  # not fgw's
    assert Notification.objects.filter(user=users["supervisor"], kind="escalation.interview").count() == 1
    # the 约谈 step's message states that day's figure, not the figure of the day the task turned red
    msg = Notification.objects.get(user=users["supervisor"], kind="escalation.interview")
    assert "已逾期14个工作日(完成时限2025-09-19)" in msg.body


def test_yellow_is_not_listed_unless_a_rule_says_so(placed_task, users):
    t = placed_task(D(2025, 3, 3), D(2025, 12, 31), progress=0)   # far behind 序时进度: yellow, never red here
    day = D(2025, 3, 20)
    while day <= D(2025, 6, 30):
        run_sweep(day)
        day += dt.timedelta(days=1)
    st = SupervisionState.objects.get(task=t)
    assert st.light == "yellow" and not st.listed
    assert [x[0] for x in levels(t)] == ["督办单", "催办"]          # waits before the red-only 挂牌督办
    assert SupervisionNotice.objects.filter(task=t).count() == 1
    # a policy may list yellow tasks too
    do_save_policy(users["supervisor"], name="重点项目", tag="重点项目",
                   steps=[{"kind": "notice", "after_days": 0}, {"kind": "listed", "after_days": 2,
                                                                "lights": ["yellow", "red"]}])
    k = placed_task(D(2025, 3, 3), D(2025, 12, 31), progress=0, tags=["重点项目"])
    for d in (D(2025, 7, 1), D(2025, 7, 2), D(2025, 7, 3)):
        run_sweep(d)
    assert [x[0] for x in levels(k)] == ["督办单", "挂牌督办"] and SupervisionState.objects.get(task=k).listed


def test_a_ladder_without_a_notice_rung_issues_no_yellow_red_notice(placed_task, users):
    do_save_policy(users["supervisor"], name="先提醒", tag="先提醒",
                   steps=[{"kind": "remind", "after_days": 0}, {"kind": "notice", "after_days": 2}])
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, tags=["先提醒"])
    run_sweep(D(2025, 3, 17))                       # red: 提醒 only, no 督办单 yet
    assert not SupervisionNotice.objects.filter(task=t).exists()
    run_sweep(D(2025, 3, 19))                       # 2 working days later: the 督办单 rung
    assert [x[0] for x in levels(t)] == ["提醒", "督办单"]
    n = SupervisionNotice.objects.get(task=t)
    assert n.kind == "escalation" and "已逾期3个工作日" in n.reason


def test_red_reason_states_todays_figure(placed_task, users, client_for):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    run_sweep(D(2025, 3, 17))
    st = SupervisionState.objects.get(task=t)
    assert st.reason == "已逾期1个工作日(完成时限2025-03-14)"
    from luoshi.supervision.common import reason_now

    assert reason_now(st, t, D(2025, 3, 28)) == "已逾期10个工作日(完成时限2025-03-14)"
    # pages read today's figure (the deadline is far in the real past: many working days)
    from luoshi.workcal.services import current_calendar
    from django.utils import timezone

    today_n = current_calendar().working_days_between(D(2025, 3, 14), timezone.localdate())
    assert today_n > 100
    for url in ("/supervision/lights/", "/supervision/workspace/", "/supervision/", f"/tasks/{t.pk}/"):
        body = client_for("supervisor").get(url).content.decode()
        assert f"已逾期{today_n}个工作日" in body, url
        if "/tasks/" in url:  # the 督办灯色 line; the timeline keeps the dated 督办单 as issued
            assert f"红灯(逾期):已逾期{today_n}个工作日" in body
        else:
            assert "已逾期1个工作日" not in body, url


def test_answer_pauses_and_rejection_resumes(placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60)
    run_sweep(D(2025, 3, 17))                        # red → 督办单 (the ladder's first rung)
    auto = SupervisionNotice.objects.get(task=t, kind="auto")
    do_answer_notice(users["fgw"], auto, "已安排专人督促,本周内完成。", on=D(2025, 3, 18))
    for day in range(18, 29):
        run_sweep(D(2025, 3, day))
    assert [x[0] for x in levels(t)] == ["督办单"]   # answered after the last step: waits
    do_review_answer(users["supervisor"], auto, accept=False, note="未说明逾期原因")
    run_sweep(D(2025, 3, 31))
    assert [x[0] for x in levels(t)] == ["督办单", "催办"]


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
    assert [x[0] for x in levels(other)] == ["督办单"]
    assert not SupervisionNotice.objects.filter(task=t).exists()  # its ladder has no 督办单 rung
    with pytest.raises(LuoshiError):
        do_save_policy(users["supervisor"], name="bad", steps=[{"kind": "shoot"}])
