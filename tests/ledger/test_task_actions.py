"""POST actions on the task page call the do_ services: the full life cycle,
return, suspend, extensions, instructions, and Chinese refusals."""
from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEntry
from luoshi.ledger import services as svc
from luoshi.ledger.models import ExtensionRequest, Status, Task

from tests.conftest import page_text


def act(client, task, action, data=None):
    return client.post(f"/tasks/{task.pk}/do/{action}/", data or {}, follow=True)


def test_full_lifecycle_through_pages(users, make_task, client_for):
    task = make_task(title="生命周期任务", assign=False, deadline_working_days=5)
    sup, fgw = client_for("supervisor"), client_for("fgw")
    r = act(sup, task, "assign")
    assert "交办成功" in page_text(r)
    task.refresh_from_db()
    assert task.status == Status.ASSIGNED and task.deadline is not None
    assert "签收成功" in page_text(act(fgw, task, "sign"))
    r = act(fgw, task, "report", {"text": "已完成方案起草", "percent": 60, "problems": "资金缺口",
                                  "next_steps": "争取专项资金",
                                  "attachment": SimpleUploadedFile("方案.txt", "方案".encode())})
    assert "报送进展成功" in page_text(r)
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS and task.progress == 60
    rep = task.reports.get()
    assert rep.problems == "资金缺口" and rep.attachment.name.endswith(".txt")
    assert "申请办结成功" in page_text(act(fgw, task, "request_completion", {"note": "已全部完成"}))
    assert "开始审核成功" in page_text(act(sup, task, "start_review"))
    assert "审核办结成功" in page_text(act(sup, task, "approve", {"note": "同意销号"}))
    task.refresh_from_db()
    assert task.status == Status.CLOSED and task.progress == 100 and task.closed_on == svc.today()
    kinds = list(task.events.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["create", "assign", "sign", "report", "request_completion", "start_review", "approve"]
    actions = list(AuditEntry.objects.filter(object_type="ledger.task", object_id=str(task.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["task.create", "task.assign", "task.sign", "task.report", "task.request_completion",
                       "task.start_review", "task.approve"]


def test_return_needs_reason_and_goes_back_to_in_progress(users, make_task, client_for):
    task = make_task()
    svc.do_sign_task(users["fgw"], task)
    svc.do_request_completion(users["fgw"], task, note="已完成")
    sup = client_for("supervisor")
    r = act(sup, task, "return", {"reason": ""})
    assert "退回未成功" in page_text(r) and "此项为必填项" in page_text(r)
    task.refresh_from_db()
    assert task.status == Status.COMPLETION_REQUESTED
    r = act(sup, task, "return", {"reason": "佐证材料不全"})
    assert "退回成功" in page_text(r) and "佐证材料不全" in page_text(r)
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS


def test_suspend(users, make_task, client_for):
    task = make_task()
    r = act(client_for("supervisor"), task, "suspend", {"reason": "任务已由其他事项覆盖"})
    assert "中止成功" in page_text(r)
    task.refresh_from_db()
    assert task.status == Status.SUSPENDED


def test_wrong_state_shows_service_message(users, make_task, client_for):
    task = make_task()
    r = act(client_for("fgw"), task, "request_completion")  # not signed yet
    assert "申请办结未成功" in page_text(r) and "当前状态为“交办”" in page_text(r)
    task.refresh_from_db()
    assert task.status == Status.ASSIGNED
    r = act(client_for("fgw"), task, "report", {"text": "提前报送", "percent": 5})
    assert "签收后才能报送进展" in page_text(r)
    assert task.reports.count() == 0


def test_extension_request_and_decision(users, make_task, client_for):
    task = make_task(deadline_working_days=5)
    old = task.deadline
    new = old + dt.timedelta(days=20)
    r = act(client_for("fgw"), task, "request_extension", {"new_deadline": new.isoformat(), "reason": "需要招标"})
    assert "申请延期成功" in page_text(r)
    ext = ExtensionRequest.objects.get(task=task)
    body = page_text(client_for("supervisor").get(f"/tasks/{task.pk}/"))
    assert "审批延期" in body and "需要招标" in body
    r = act(client_for("supervisor"), task, "decide_extension",
            {"extension": ext.pk, "decision": "approve", "note": "同意"})
    assert "延期审批成功" in page_text(r)
    task.refresh_from_db()
    assert task.deadline == new and task.original_deadline == old
    ext.refresh_from_db()
    assert ext.decision == ExtensionRequest.Decision.APPROVED
    # deciding twice is refused
    r = act(client_for("supervisor"), task, "decide_extension", {"extension": ext.pk, "decision": "refuse"})
    assert "该延期申请已审批" in page_text(r)


def test_leader_instruction(users, make_task, client_for):
    task = make_task()
    r = act(client_for("leader"), task, "instruction", {"text": "请加快进度"})
    assert "批示成功" in page_text(r) and "请加快进度" in page_text(r)
    assert task.instructions.get().author == users["leader"]
    # a liaison may not write instructions
    r = client_for("fgw").post(f"/tasks/{task.pk}/do/instruction/", {"text": "自批"})
    assert r.status_code == 403
    assert task.instructions.count() == 1


def test_breakdown_into_subtasks(users, units, make_task, client_for):
    parent = make_task(title="全区统筹任务", lead=("jia",), deadline_working_days=20)
    svc.do_sign_task(users["jia"], parent)
    c = client_for("jia")
    r = c.get(f"/tasks/{parent.pk}/subtasks/new/")
    body = page_text(r)
    assert r.status_code == 200 and "甲区东街道办事处" in body and "市教育局" not in body
    r = c.post(f"/tasks/{parent.pk}/subtasks/new/", {
        "title": "东街道摸底排查", "lead_units": [units["dong"].pk], "deadline_mode": "workdays",
        "deadline_working_days": 3, "priority": 2, "assign": "on", "targets-TOTAL_FORMS": 0,
        "targets-INITIAL_FORMS": 0})
    sub = Task.objects.get(title="东街道摸底排查")
    assert r.status_code == 302 and r["Location"] == f"/tasks/{sub.pk}/"
    assert sub.parent == parent and sub.status == Status.ASSIGNED
    # a unit outside the lead unit's subtree is not even offered, and refused if posted
    r = c.post(f"/tasks/{parent.pk}/subtasks/new/", {
        "title": "越权分解", "lead_units": [units["edu"].pk], "deadline_mode": "none", "priority": 2,
        "targets-TOTAL_FORMS": 0, "targets-INITIAL_FORMS": 0})
    assert r.status_code == 200 and "所选单位不存在或不可选" in page_text(r)
    assert not Task.objects.filter(title="越权分解").exists()
    # liaisons of other units (even the sub-task's own unit) cannot reach the parent's breakdown page
    assert client_for("fgw").get(f"/tasks/{parent.pk}/subtasks/new/").status_code == 404
    assert client_for("dong").get(f"/tasks/{parent.pk}/subtasks/new/").status_code == 404


def test_get_on_action_is_refused(users, make_task, client_for):
    task = make_task()
    assert client_for("fgw").get(f"/tasks/{task.pk}/do/sign/").status_code == 405
    task.refresh_from_db()
    assert task.status == Status.ASSIGNED
