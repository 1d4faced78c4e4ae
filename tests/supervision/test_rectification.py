"""限期整改: a finding becomes a rectification item, tracked open → submitted → closed."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.ledger.models import TaskEvent
from luoshi.notifications.models import Notification
from luoshi.supervision.models import Finding
from luoshi.supervision.rectification import (do_create_rectification, do_record_finding, do_submit_rectification,
                                              do_verify_rectification)
from luoshi.supervision.sweep import run_sweep

D = dt.date
pytestmark = pytest.mark.django_db


def test_rectification_lifecycle(placed_task, users, units):
    t = placed_task(D(2025, 9, 1), D(2025, 12, 31), recurrence="monthly:5", progress=50)
    run_sweep(D(2025, 9, 8))
    finding = Finding.objects.get(task=t)
    with pytest.raises(NotAllowed):
        do_create_rectification(users["fgw"], finding)
    item = do_create_rectification(users["supervisor"], finding, on=D(2025, 9, 26))
    # 10 working days from 09-26: 09-28, 09-29, 09-30, 10-09, 10-10, 10-11, 10-13, 10-14, 10-15, 10-16
    assert (item.state, item.unit, item.due) == ("open", units["fgw"], D(2025, 10, 16))
    assert Notification.objects.filter(user=users["fgw"], kind="rectification").exists()
    with pytest.raises(NotAllowed):
        do_submit_rectification(users["edu"], item, "别人的整改")
    with pytest.raises(LuoshiError):
        do_verify_rectification(users["supervisor"], item, accept=True)   # nothing submitted yet
    item = do_submit_rectification(users["fgw"], item, "已建立月报提醒制度,补报9月进展。", on=D(2025, 10, 9))
    assert item.state == "submitted"
    with pytest.raises(LuoshiError):
        do_verify_rectification(users["supervisor"], item, accept=False)   # a refusal needs a reason
    item = do_verify_rectification(users["supervisor"], item, accept=False, note="未附制度文件")
    assert item.state == "open"
    item = do_submit_rectification(users["fgw"], item, "已附制度文件。", on=D(2025, 10, 10))
    item = do_verify_rectification(users["supervisor"], item, accept=True, on=D(2025, 10, 13))
    assert (item.state, item.closed_on) == ("closed", D(2025, 10, 13))
    kinds = list(TaskEvent.objects.filter(task=t, kind__startswith="rectification").values_list("kind", flat=True))
    assert kinds == ["rectification", "rectification_submit", "rectification_verify", "rectification_submit",
                     "rectification_verify"]


def test_manual_finding(placed_task, users):
    t = placed_task(D(2025, 9, 1), D(2025, 12, 31))
    with pytest.raises(NotAllowed):
        do_record_finding(users["fgw"], t, "台账不全")
    f = do_record_finding(users["supervisor"], t, "实地督查发现台账资料不全", on=D(2025, 10, 9))
    item = do_create_rectification(users["supervisor"], f, requirement="补齐台账", due=D(2025, 10, 20),
                                   on=D(2025, 10, 9))
    assert item.requirement == "补齐台账" and item.due == D(2025, 10, 20)
