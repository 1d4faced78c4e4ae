"""Task transitions over the API: the whole life of a task, refusals, extensions,
instructions and break-down — each recorded in the audit trail with the API user as actor."""
import datetime as dt

from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import verify_chain
from luoshi.ledger.models import ExtensionRequest, Instruction, Task


def post(client, url, body=None, code=200):
    response = client.post(url, body or {}, format="json")
    assert response.status_code == code, response.content
    return response.json()


def test_full_life_over_the_api(client_for, users, units):
    sup, fgw = client_for("supervisor"), client_for("fgw")
    task = post(sup, "/api/tasks/", {"title": "全流程任务", "lead_units": [units["fgw"].pk],
                                     "deadline_working_days": 10}, 201)
    base = f"/api/tasks/{task['id']}"
    assert post(sup, f"{base}/assign/")["status"] == "assigned"
    assert post(fgw, f"{base}/sign/")["status"] == "signed"
    post(fgw, f"{base}/reports/", {"text": "完成一半", "percent": 50}, 201)
    assert post(fgw, f"{base}/request-completion/", {"note": "已完成"})["status"] == "completion_requested"
    assert post(sup, f"{base}/start-review/")["status"] == "under_review"
    returned = post(sup, f"{base}/return/", {"reason": "缺少佐证材料"})
    assert returned["status"] == "in_progress"
    post(fgw, f"{base}/request-completion/", {"note": "已完成"})
    closed = post(sup, f"{base}/approve/", {"note": "同意销号"})
    assert closed["status"] == "closed" and closed["progress"] == 100
    assert closed["closed_on"] == timezone.localdate().isoformat()

    timeline = fgw.get(f"{base}/timeline/").json()
    assert [e["kind"] for e in timeline["results"]] == [
        "create", "assign", "sign", "report", "request_completion", "start_review", "return",
        "request_completion", "approve"]
    assert timeline["results"][6]["note"] == "缺少佐证材料"
    assert timeline["results"][6]["actor"]["name"] == "张督查"

    actors = dict(AuditEntry.objects.filter(object_type="ledger.task", object_id=str(task["id"]))
                  .values_list("action", "actor__username").order_by("seq"))
    assert actors["task.sign"] == "fgw_liaison"
    assert actors["task.return"] == "duchayuan"
    assert actors["task.approve"] == "duchayuan"
    assert verify_chain().ok


def test_wrong_state_is_400_wrong_person_is_403(client_for, make_task):
    task = make_task()  # assigned
    base = f"/api/tasks/{task.pk}"
    refused = client_for("supervisor").post(f"{base}/approve/")
    assert refused.status_code == 400
    assert refused.json()["field"] == "status"
    assert "交办" in refused.json()["detail_zh"]
    denied = client_for("supervisor").post(f"{base}/sign/")
    assert denied.status_code == 403
    assert denied.json() == {"detail": "you are not allowed to sign for this task", "detail_zh": "您无权签收此任务",
                             "field": None}
    assert Task.objects.get(pk=task.pk).status == "assigned"


def test_return_and_suspend_need_a_reason(client_for, make_task, users):
    from luoshi.ledger.services import do_request_completion, do_sign_task

    task = make_task()
    do_sign_task(users["fgw"], task)
    do_request_completion(users["fgw"], task, note="已完成")
    sup = client_for("supervisor")
    for action in ("return", "suspend"):
        response = sup.post(f"/api/tasks/{task.pk}/{action}/", {"reason": "  "}, format="json")
        assert response.status_code == 400
        assert response.json()["field"] == "reason"
        assert "不能为空" in response.json()["detail_zh"]
    assert post(sup, f"/api/tasks/{task.pk}/suspend/", {"reason": "上级已取消"})["status"] == "suspended"


def test_extension_request_and_decision(client_for, make_task):
    task = make_task(deadline_working_days=5)
    fgw, sup = client_for("fgw"), client_for("supervisor")
    new = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    req = post(fgw, f"/api/tasks/{task.pk}/extensions/", {"new_deadline": new, "reason": "资金未到位"}, 201)
    assert req["decision"] == "pending"
    again = fgw.post(f"/api/tasks/{task.pk}/extensions/", {"new_deadline": new, "reason": "再次申请"}, format="json")
    assert again.status_code == 400 and "待审批" in again.json()["detail_zh"]
    assert [r["id"] for r in sup.get("/api/extensions/?decision=pending").json()["results"]] == [req["id"]]
    assert fgw.post(f"/api/extensions/{req['id']}/decide/", {"approve": True}, format="json").status_code == 403
    decided = post(sup, f"/api/extensions/{req['id']}/decide/", {"approve": True, "note": "同意"})
    assert decided["decision"] == "approved" and decided["decided_by"]["name"] == "张督查"
    after = sup.get(f"/api/tasks/{task.pk}/").json()
    assert after["deadline"] == new
    assert after["original_deadline"] == task.deadline.isoformat()
    twice = sup.post(f"/api/extensions/{req['id']}/decide/", {"approve": False}, format="json")
    assert twice.status_code == 400 and "已审批" in twice.json()["detail_zh"]
    assert ExtensionRequest.objects.get(pk=req["id"]).decision == "approved"
    missing = sup.post(f"/api/extensions/{req['id']}/decide/", {}, format="json")
    assert missing.status_code == 400 and missing.json()["field"] == "approve"


def test_leader_instruction(client_for, make_task):
    task = make_task(lead=("jia",))
    ins = post(client_for("jia_leader"), f"/api/tasks/{task.pk}/instructions/", {"text": "要高度重视,按期办结"}, 201)
    assert ins["author"]["name"] == "吴区长"
    listed = client_for("jia").get(f"/api/tasks/{task.pk}/instructions/").json()
    assert [i["text"] for i in listed["results"]] == ["要高度重视,按期办结"]
    assert client_for("jia").post(f"/api/tasks/{task.pk}/instructions/", {"text": "x"},
                                  format="json").status_code == 403
    empty = client_for("leader").post(f"/api/tasks/{task.pk}/instructions/", {"text": ""}, format="json")
    assert empty.status_code == 400 and empty.json()["field"] == "instruction"
    assert Instruction.objects.count() == 1
    assert AuditEntry.objects.get(action="instruction.create").actor_name == "吴区长"


def test_break_down_into_subtasks(client_for, make_task, units):
    parent = make_task(title="区级总任务", lead=("jia",))
    jia = client_for("jia")
    sub = post(jia, f"/api/tasks/{parent.pk}/subtasks/", {"title": "东街道负责部分", "lead_units": [units["dong"].pk],
                                                          "assign": True}, 201)
    assert sub["parent"] == parent.pk and sub["status"] == "assigned"
    outside = jia.post(f"/api/tasks/{parent.pk}/subtasks/", {"title": "越级分解", "lead_units": [units["nan"].pk]},
                       format="json")
    assert outside.status_code == 400 and outside.json()["field"] == "lead_units"
    assert "下级单位" in outside.json()["detail_zh"]
    # The 东街道 liaison sees the sub-task, not the parent.
    dong = client_for("dong")
    assert dong.get(f"/api/tasks/{sub['id']}/").status_code == 200
    assert dong.get(f"/api/tasks/{parent.pk}/").status_code == 404
    assert [t["id"] for t in jia.get(f"/api/tasks/{parent.pk}/subtasks/").json()["results"]] == [sub["id"]]
    # The lead unit of the parent supervises the sub-task.
    post(dong, f"/api/tasks/{sub['id']}/sign/")
    post(dong, f"/api/tasks/{sub['id']}/request-completion/", {"note": "已完成"})
    assert post(jia, f"/api/tasks/{sub['id']}/approve/")["status"] == "closed"
    assert client_for("supervisor").get(f"/api/tasks/{parent.pk}/").json()["progress"] == 100
