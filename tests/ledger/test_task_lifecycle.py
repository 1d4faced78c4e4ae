"""The full life of a task through the services: 立项 → 交办 → 签收 → 办理中 → 申请办结 → 审核 → 办结."""
import datetime as dt

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.ledger import services as s
from luoshi.ledger.models import Status, TaskEvent


def test_full_lifecycle_records_every_step(users, make_task):
    task = make_task(assign=False, deadline_working_days=5)
    assert task.status == Status.DRAFT and task.number.startswith("DB")
    task = s.do_assign_task(users["supervisor"], task, on=dt.date(2025, 3, 3))
    assert task.status == Status.ASSIGNED
    assert task.deadline == dt.date(2025, 3, 10)  # Mon + 5 working days
    assert task.original_deadline == task.deadline
    task = s.do_sign_task(users["fgw"], task)
    assert task.status == Status.SIGNED
    s.do_report_progress(users["fgw"], task, text="已完成方案起草", percent=40, problems="无", next_steps="征求意见")
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS and task.progress == 40
    task = s.do_request_completion(users["fgw"], task, note="已全部完成")
    task = s.do_start_review(users["supervisor"], task)
    assert task.status == Status.UNDER_REVIEW
    task = s.do_approve_completion(users["supervisor"], task)
    assert task.status == Status.CLOSED and task.progress == 100 and task.closed_on

    kinds = list(TaskEvent.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds == ["create", "assign", "sign", "report", "request_completion", "start_review", "approve"]
    actions = list(AuditEntry.objects.filter(object_type="ledger.task", object_id=str(task.pk))
                   .values_list("action", "actor_name"))
    assert ("task.sign", "李联络") in actions and ("task.approve", "张督查") in actions
    assert [a for a, _ in actions][0] == "task.create"


def test_return_sends_task_back_with_reason(users, make_task):
    task = make_task()
    s.do_sign_task(users["fgw"], task)
    s.do_request_completion(users["fgw"], task, note="已完成")
    with pytest.raises(LuoshiError):
        s.do_return_task(users["supervisor"], task, reason="  ")
    task = s.do_return_task(users["supervisor"], task, reason="佐证材料不全")
    assert task.status == Status.IN_PROGRESS
    assert task.events.last().note == "佐证材料不全"


@pytest.mark.parametrize("step", ["sign", "request", "approve"])
def test_transition_not_allowed_from_current_state_changes_nothing(users, make_task, step):
    task = make_task(assign=False)
    before = AuditEntry.objects.count()
    with pytest.raises(LuoshiError) as err:
        if step == "sign":
            s.do_sign_task(users["fgw"], task)
        elif step == "request":
            s.do_request_completion(users["fgw"], task, note="已完成")
        else:
            s.do_approve_completion(users["supervisor"], task)
    assert "立项" in err.value.message_zh
    task.refresh_from_db()
    assert task.status == Status.DRAFT
    assert AuditEntry.objects.count() == before


def test_only_the_lead_unit_signs_and_only_supervisors_approve(users, make_task):
    task = make_task(co=("edu",))
    for who in ("edu", "jia", "leader"):
        with pytest.raises(NotAllowed):
            s.do_sign_task(users[who], task)
    s.do_sign_task(users["fgw"], task)
    s.do_request_completion(users["fgw"], task, note="已完成")
    with pytest.raises(NotAllowed):
        s.do_approve_completion(users["fgw"], task)
    with pytest.raises(NotAllowed):
        s.do_approve_completion(users["leader"], task)


def test_co_unit_reports_to_the_lead_units_task_without_moving_its_progress(users, make_task):
    task = make_task(co=("edu",))
    s.do_sign_task(users["fgw"], task)
    s.do_report_progress(users["edu"], task, text="配合完成数据报送", percent=90)
    task.refresh_from_db()
    assert task.progress == 0 and task.status == Status.SIGNED
    assert task.reports.get().unit.name == "市教育局"
    with pytest.raises(NotAllowed):
        s.do_report_progress(users["jia"], task, text="x", percent=10)


def test_progress_history_is_kept(users, make_task):
    task = make_task()
    s.do_sign_task(users["fgw"], task)
    for p in (10, 30, 60):
        s.do_report_progress(users["fgw"], task, text=f"进度{p}", percent=p)
    assert list(task.reports.order_by("id").values_list("percent", flat=True)) == [10, 30, 60]


def test_extension_keeps_original_deadline(users, make_task):
    task = make_task(deadline=s.today() + dt.timedelta(days=10))
    original = task.deadline
    req = s.do_request_extension(users["fgw"], task, new_deadline=original + dt.timedelta(days=20),
                                 reason="需等待省级批复")
    with pytest.raises(LuoshiError):
        s.do_request_extension(users["fgw"], task, new_deadline=original + dt.timedelta(days=30), reason="再次")
    s.do_decide_extension(users["supervisor"], req, approve=True, note="同意")
    task.refresh_from_db()
    assert task.deadline == original + dt.timedelta(days=20)
    assert task.original_deadline == original
    with pytest.raises(LuoshiError):
        s.do_decide_extension(users["supervisor"], req, approve=False)


def test_suspend_keeps_the_task(users, make_task):
    task = make_task()
    task = s.do_suspend_task(users["supervisor"], task, reason="任务已调整")
    assert task.status == Status.SUSPENDED
    with pytest.raises(LuoshiError):
        s.do_sign_task(users["fgw"], task)


def test_leader_writes_instruction_liaison_cannot(users, make_task):
    task = make_task()
    s.do_add_instruction(users["leader"], task, "请加快进度,月底前见成效")
    assert task.instructions.get().author == users["leader"]
    with pytest.raises(NotAllowed):
        s.do_add_instruction(users["fgw"], task, "x")


def test_replaced_targets_stay_in_the_audit_trail(users, make_task):
    task = make_task(assign=False, targets=[{"metric": "现场办结率", "op": ">=", "value": 90, "unit": "%"}])
    s.do_update_task(users["supervisor"], task, targets=[{"metric": "现场办结率", "op": ">=", "value": 95, "unit": "%"}])
    entry = AuditEntry.objects.filter(action="task.update").get()
    assert entry.before["targets"] == ["现场办结率 >= 90%"]
    assert entry.after["targets"] == ["现场办结率 >= 95%"]
