"""The task page shows every field, targets, sub-tasks, reports, extensions,
instructions and the timeline with audit entries; buttons follow the role."""
from __future__ import annotations

import datetime as dt

from luoshi.ledger import services as svc

from tests.conftest import page_text


def test_task_page_shows_all_parts(users, units, make_task, client_for):
    src = svc.do_create_source(users["supervisor"], title="全市经济工作会议讲话", date=dt.date(2025, 1, 10))
    task = make_task(title="推进政务服务一网通办", lead=("fgw",), co=("edu",), requirement="年底前实现90%事项网上可办",
                     source=src, section="三、优化营商环境", responsible_leader="周市长",
                     deadline_working_days=10, tags=["营商环境", "数字政府"],
                     targets=[{"metric": "网上可办率", "op": ">=", "value": "90", "unit": "%"}])
    svc.do_sign_task(users["fgw"], task)
    svc.do_report_progress(users["fgw"], task, text="已完成系统对接", percent=40, problems="数据共享慢",
                           next_steps="协调数据局")
    svc.do_add_instruction(users["leader"], task, "抓紧推进,确保年底完成")
    svc.do_request_extension(users["fgw"], task, new_deadline=task.deadline + dt.timedelta(days=30),
                             reason="系统改造周期长")
    svc.do_create_task(users["supervisor"], title="甲区完成事项梳理", lead_units=[units["jia"]], parent=task,
                       deadline_working_days=5, assign=True)

    body = page_text(client_for("supervisor").get(f"/tasks/{task.pk}/"))
    for text in ("推进政务服务一网通办", task.number, "年底前实现90%事项网上可办", "全市经济工作会议讲话",
                 "三、优化营商环境", "市发展改革委", "市教育局", "周市长", "交办后10个工作日", "营商环境",
                 "网上可办率", "不低于", "90%", "已完成系统对接", "数据共享慢", "协调数据局", "40%",
                 "抓紧推进,确保年底完成", "系统改造周期长", "待审批", "甲区完成事项梳理", "甲区"):
        assert text in body, text
    # timeline: one entry per step, with who did it
    timeline = body[body.index('id="timeline"'):body.index('id="audit"')]
    for text in ("立项", "交办", "签收", "报送进展", "领导批示", "申请延期", "张督查", "李联络", "周市长"):
        assert text in timeline, text
    audit = body[body.index('id="audit"'):]
    for text in ("立项", "交办", "签收", "新增进展报告", "领导批示", "申请延期"):
        assert text in audit, text


def test_buttons_follow_role_and_state(users, make_task, client_for):
    task = make_task(deadline_working_days=5)
    sup = page_text(client_for("supervisor").get(f"/tasks/{task.pk}/"))
    assert f"/tasks/{task.pk}/do/suspend/" in sup
    assert f"/tasks/{task.pk}/do/sign/" not in sup
    assert f"/tasks/{task.pk}/do/approve/" not in sup
    liaison = page_text(client_for("fgw").get(f"/tasks/{task.pk}/"))
    assert f"/tasks/{task.pk}/do/sign/" in liaison
    assert f"/tasks/{task.pk}/do/report/" not in liaison  # not signed yet
    assert f"/tasks/{task.pk}/do/suspend/" not in liaison
    svc.do_sign_task(users["fgw"], task)
    liaison = page_text(client_for("fgw").get(f"/tasks/{task.pk}/"))
    assert f"/tasks/{task.pk}/do/report/" in liaison
    assert f"/tasks/{task.pk}/do/request_completion/" in liaison
    assert f"/tasks/{task.pk}/do/sign/" not in liaison
    leader = page_text(client_for("leader").get(f"/tasks/{task.pk}/"))
    assert f"/tasks/{task.pk}/do/instruction/" in leader
    assert f"/tasks/{task.pk}/do/report/" not in leader


def test_subtask_rollup_shown_on_parent(users, units, make_task, client_for):
    parent = make_task(title="上级任务", lead=("jia",), deadline_working_days=20)
    svc.do_sign_task(users["jia"], parent)
    a = svc.do_create_task(users["jia"], title="东街道子任务", lead_units=[units["dong"]], parent=parent,
                           deadline_working_days=5, assign=True)
    svc.do_create_task(users["jia"], title="西镇子任务", lead_units=[units["xi"]], parent=parent,
                       deadline_working_days=5, assign=True)
    svc.do_sign_task(users["dong"], a)
    svc.do_report_progress(users["dong"], a, text="过半", percent=60)
    body = page_text(client_for("jia").get(f"/tasks/{parent.pk}/"))
    assert "东街道子任务" in body and "西镇子任务" in body
    assert "30%" in body  # (60 + 0) / 2
    assert "进度汇总" in body


def test_page_escapes_user_text(users, units, make_task, client_for):
    # Text cannot contain tags (the service refuses them), but quotes and ampersands must be escaped.
    task = make_task(title='名称含"引号"&符号')
    body = page_text(client_for("supervisor").get(f"/tasks/{task.pk}/"))
    assert "名称含&quot;引号&quot;&amp;符号" in body
    assert "<title>" in body and '名称含"引号"' not in body
