"""三色督办单: automatic and manual issue, numbering per year, 签收 and 回复, who sees what."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.ledger.models import TaskEvent
from luoshi.notifications.models import Notification
from luoshi.supervision.models import SupervisionNotice
from luoshi.supervision.notices import (do_acknowledge_notice, do_answer_notice, do_issue_notice, do_review_answer,
                                        visible_notices)
from luoshi.supervision.sweep import run_sweep

D = dt.date
pytestmark = pytest.mark.django_db


def test_auto_notice_addressed_to_lead_unit_with_copies(placed_task, users, units):
    t = placed_task(D(2025, 2, 3), D(2025, 3, 14), progress=60, lead=("fgw",), co=("edu",),
                    responsible_leader="周市长")
    run_sweep(D(2025, 3, 18))
    n = SupervisionNotice.objects.get(task=t)
    assert (n.light, n.kind, n.number, n.title_zh) == ("red", "auto", "督办〔2025〕第0001号", "红色督办单")
    assert n.lead_unit == units["fgw"]
    assert list(n.copy_units.all()) == [units["edu"]]
    assert n.copy_leader == "周市长"
    # reply within 5 working days: 03-18 (Tue) → 03-25 (Tue)
    assert n.reply_by == D(2025, 3, 25)
    assert TaskEvent.objects.filter(task=t, kind="notice", note__contains=n.number).exists()
    # in-app: the lead and copied liaisons get it; other units do not
    who = set(Notification.objects.filter(object_type="supervision.supervisionnotice", object_id=n.pk).values_list("user__username", flat=True))
    assert {"fgw_liaison", "edu_liaison"} <= who
    assert "jia_liaison" not in who


def test_numbers_restart_each_year(placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 12, 31))
    a = do_issue_notice(users["supervisor"], t, light="yellow", reason="进度滞后", on=D(2025, 12, 30))
    b = do_issue_notice(users["supervisor"], t, light="red", reason="逾期", on=D(2026, 1, 5))
    c = do_issue_notice(users["supervisor"], t, light="red", reason="逾期", on=D(2026, 1, 6))
    assert [a.number, b.number, c.number] == ["督办〔2025〕第0001号", "督办〔2026〕第0001号", "督办〔2026〕第0002号"]


def test_only_supervisors_issue_by_hand(placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 12, 31))
    with pytest.raises(NotAllowed):
        do_issue_notice(users["fgw"], t, light="red", reason="x")
    with pytest.raises(LuoshiError):
        do_issue_notice(users["supervisor"], t, light="green", reason="x")
    with pytest.raises(LuoshiError):
        do_issue_notice(users["supervisor"], t, light="red", reason="<script>alert(1)</script>")
    assert SupervisionNotice.objects.count() == 0


def test_acknowledge_and_answer(placed_task, users):
    t = placed_task(D(2025, 2, 3), D(2025, 12, 31), lead=("fgw",), co=("edu",))
    n = do_issue_notice(users["supervisor"], t, light="yellow", reason="进度滞后", on=D(2025, 6, 2))
    for wrong in ("edu", "jia", "leader"):  # copied unit, other unit, leader: may not sign
        with pytest.raises(NotAllowed):
            do_acknowledge_notice(users[wrong], n)
    n = do_acknowledge_notice(users["fgw"], n)
    assert n.state == "acknowledged" and n.acknowledged_by == users["fgw"]
    with pytest.raises(LuoshiError):
        do_acknowledge_notice(users["fgw"], n)
    with pytest.raises(LuoshiError):
        do_answer_notice(users["fgw"], n, "   ")
    n = do_answer_notice(users["fgw"], n, "已制定赶进度计划,6月底前完成。", on=D(2025, 6, 4))
    assert (n.state, n.answered_on) == ("answered", D(2025, 6, 4))
    assert TaskEvent.objects.filter(task=t, kind="notice_answer", note__contains="赶进度计划").exists()
    assert Notification.objects.filter(user=users["supervisor"], kind="notice.answered").exists()
    n = do_review_answer(users["supervisor"], n, accept=False, note="措施不具体")
    assert n.state == "rejected"
    n = do_answer_notice(users["fgw"], n, "细化措施:每周调度。", on=D(2025, 6, 6))
    n = do_review_answer(users["supervisor"], n, accept=True)
    assert n.state == "accepted"


def test_a_unit_sees_only_its_own_notices(placed_task, users):
    t1 = placed_task(D(2025, 2, 3), D(2025, 12, 31), lead=("fgw",), co=("edu",))
    t2 = placed_task(D(2025, 2, 3), D(2025, 12, 31), lead=("yi",))
    n1 = do_issue_notice(users["supervisor"], t1, light="red", reason="a", on=D(2025, 6, 2))
    n2 = do_issue_notice(users["supervisor"], t2, light="red", reason="b", on=D(2025, 6, 2))
    assert set(visible_notices(users["fgw"])) == {n1}
    assert set(visible_notices(users["edu"])) == {n1}   # copied
    assert set(visible_notices(users["yi"])) == {n2}
    assert set(visible_notices(users["jia"])) == set()
    assert set(visible_notices(users["supervisor"])) == {n1, n2}
    assert set(visible_notices(users["leader"])) == {n1, n2}   # city leader: whole subtree
    assert set(visible_notices(users["jia_leader"])) == set()
