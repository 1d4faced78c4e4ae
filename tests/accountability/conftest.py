"""Accountability fixtures: an officer (纪检/组织), a proposal with people."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_user


@pytest.fixture
def officer(users, units):
    return make_user("jijian", "discipline", units["city"], display_name="纪检员")


@pytest.fixture
def proposal(officer, users, units, make_task):
    from luoshi.accountability.services import do_propose

    task = make_task(title="推进重点项目审批提速", lead=("fgw",))
    return do_propose(users["supervisor"], cause_type="manual", unit=units["fgw"], task=task,
                      facts="项目审批超时限三个月未办结,经督办仍未整改。", on=dt.date.today())


@pytest.fixture
def decided(proposal, officer, units):
    """A decided proposal: 张三 (直接责任, 通报批评) and 李四 (主要领导责任, 诫勉教育)."""
    from luoshi.accountability.services import do_add_person, do_decide

    a = do_add_person(officer, proposal, name="张三", post="项目科科长", unit=units["fgw"], responsibility="direct",
                      measure="criticism")
    b = do_add_person(officer, proposal, name="李四", post="副主任", unit=units["fgw"],
                      responsibility="main_leader", measure="admonition")
    do_decide(officer, proposal, decision_number="市纪〔2026〕12号", on=dt.date.today(),
              measures={a.pk: "criticism", b.pk: "admonition"})
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def placed_task(make_task, users):
    """A task assigned on `assigned` with deadline `deadline` (simulated past dates)."""
    from luoshi.ledger.models import Task
    from luoshi.ledger.services import do_assign_task

    def _make(assigned, deadline, *, progress=0, **kw):
        kw.setdefault("deadline_working_days", 20)  # 交办 needs a deadline; the real one is set below
        task = do_assign_task(users["supervisor"], make_task(assign=False, **kw), on=assigned)
        Task.objects.filter(pk=task.pk).update(deadline=deadline, original_deadline=deadline, progress=progress)
        task.refresh_from_db()
        return task

    return _make
