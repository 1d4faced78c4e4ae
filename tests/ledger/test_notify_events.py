"""Issue 9 «Nobody misses a thing»: 交办, 退回, 领导批示, extension decisions reach the units' inboxes;
a task cannot be 交办 without a deadline; the navigation shows the unread count."""
from __future__ import annotations

import datetime as dt

import pytest

from luoshi.core.errors import LuoshiError
from luoshi.ledger import services as s
from luoshi.ledger.models import Status
from luoshi.notifications.models import Notification

pytestmark = pytest.mark.django_db


def kinds(user):
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def test_assignment_reaches_lead_and_co_units(users, make_task):
    task = make_task(co=("edu",))
    for key in ("fgw", "edu"):
        n = Notification.objects.get(user=users[key], kind="task.assigned")
        assert task.number in n.title and n.url == f"/tasks/{task.pk}/"
    assert kinds(users["jia"]) == []


def test_return_reaches_the_lead_unit_with_the_reason(users, make_task):
    task = make_task(co=("edu",))
    s.do_sign_task(users["fgw"], task)
    s.do_report_progress(users["fgw"], task, text="已完成", percent=100)
    s.do_request_completion(users["fgw"], task, note="已完成")
    s.do_return_task(users["supervisor"], task, "佐证材料不全,请补充验收报告")
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS
    n = Notification.objects.get(user=users["fgw"], kind="task.returned")
    assert "退回" in n.title and "佐证材料不全" in n.body
    assert "task.returned" not in kinds(users["edu"])  # the co-unit did not ask for completion


def test_leader_instruction_is_pushed_to_the_units(users, make_task):
    task = make_task(lead=("jia",), co=("dong",))
    s.do_add_instruction(users["jia_leader"], task, "务必本月底前完成,每周报送进展")
    for key in ("jia", "dong"):
        n = Notification.objects.get(user=users[key], kind="task.instruction")
        assert "领导批示" in n.title and "吴区长" in n.body and "每周报送" in n.body


@pytest.mark.parametrize("approve,kind,word", [(True, "task.extension_approved", "同意延期"),
                                                (False, "task.extension_refused", "不同意延期")])
def test_extension_decision_reaches_the_requesting_unit(users, make_task, approve, kind, word):
    task = make_task(deadline=s.today() + dt.timedelta(days=10), co=("edu",))
    s.do_sign_task(users["fgw"], task)
    req = s.do_request_extension(users["fgw"], task, new_deadline=s.today() + dt.timedelta(days=40),
                                 reason="施工受雨季影响")
    s.do_decide_extension(users["supervisor"], req, approve=approve, note="按期报送")
    n = Notification.objects.get(user=users["fgw"], kind=kind)
    assert word in n.title
    assert kind not in kinds(users["edu"])


def test_no_assignment_without_a_deadline(users, make_task, client_for):
    task = make_task(assign=False)
    with pytest.raises(LuoshiError) as exc:
        s.do_assign_task(users["supervisor"], task)
    assert "完成时限" in exc.value.message_zh
    task.refresh_from_db()
    assert task.status == Status.DRAFT and kinds(users["fgw"]) == []
    r = client_for("supervisor").post(f"/api/tasks/{task.pk}/assign/")
    assert r.status_code == 400 and "完成时限" in r.json()["detail_zh"] and r.json()["field"] == "deadline"
    s.do_update_task(users["supervisor"], task, deadline_working_days=5)
    assert s.do_assign_task(users["supervisor"], task).status == Status.ASSIGNED


def test_nav_shows_the_unread_count(users, make_task, client_for):
    make_task()
    make_task(title="第二项任务")
    c = client_for("fgw")
    html = c.get("/workspace/").content.decode()
    assert 'class="badge nav-unread" title="未读消息">2</span>' in html
    Notification.objects.filter(user=users["fgw"]).update(read_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert "nav-unread" not in c.get("/workspace/").content.decode()


def test_page_refuses_assignment_without_a_deadline(users, make_task, client_for):
    task = make_task(assign=False)
    r = client_for("supervisor").post(f"/tasks/{task.pk}/do/assign/", {}, follow=True)
    assert "交办前请填写完成时限" in r.content.decode()
    task.refresh_from_db()
    assert task.status == Status.DRAFT
    r = client_for("supervisor").post("/tasks/new/", {
        "title": "没有时限的任务", "lead_units": [users["fgw"].unit_id], "priority": 2, "assign": "on",
        "targets-TOTAL_FORMS": 0, "targets-INITIAL_FORMS": 0}, follow=True)
    assert "完成时限" in r.content.decode()
    assert not type(task).objects.filter(title="没有时限的任务").exists()
