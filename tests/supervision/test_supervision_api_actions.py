"""Supervision API writes: each action changes state through the service, is audited with the
API user as actor, and refusals come back as 400 {"detail", "detail_zh", "field"}."""
from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from luoshi.audit.models import AuditEntry
from luoshi.ledger.models import Status, TaskEvent
from luoshi.supervision.notices import do_acknowledge_notice, do_issue_notice
from luoshi.supervision.rectification import do_create_rectification, do_record_finding
from luoshi.supervision.sweep import run_sweep
from luoshi.supervision.models import SupervisionNotice

pytestmark = pytest.mark.django_db


def client(user):
    c = APIClient()
    c.force_authenticate(user=user)
    return c


def audited(action, obj, user):
    return AuditEntry.objects.filter(action=action, object_id=str(obj.pk), actor=user).count()


def test_issue_acknowledge_answer_review_through_the_api(users, units, make_task):
    task = make_task("推进政务服务一网通办", lead=("fgw",), co=("jia",), deadline_working_days=20)
    sup, fgw = client(users["supervisor"]), client(users["fgw"])

    r = sup.post("/api/notices/", {"task": task.pk, "light": "red", "reason": "逾期未办结",
                                   "reply_days": 3}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    notice = SupervisionNotice.objects.get(pk=body["id"])
    assert (body["kind"], body["light"], body["state"], body["title"]) == ("manual", "red", "issued", "红色督办单")
    assert body["task"]["id"] == task.pk and body["lead_unit"]["id"] == units["fgw"].pk
    assert [u["id"] for u in body["copy_units"]] == [units["jia"].pk]
    assert body["issued_by"] == {"id": users["supervisor"].pk, "name": users["supervisor"].get_full_name()}
    assert body["required_action"]  # the standard text for the colour
    assert audited("notice.issue", notice, users["supervisor"]) == 1

    r = fgw.post(f"/api/notices/{notice.pk}/acknowledge/")
    assert r.status_code == 200 and r.json()["state"] == "acknowledged"
    assert r.json()["acknowledged_by"]["id"] == users["fgw"].pk
    assert audited("notice.acknowledge", notice, users["fgw"]) == 1
    # Twice is refused, and nothing is written.
    r = fgw.post(f"/api/notices/{notice.pk}/acknowledge/")
    assert r.status_code == 400
    assert r.json() == {"detail": "this notice has already been acknowledged", "detail_zh": "该督办单已签收",
                        "field": None}
    assert audited("notice.acknowledge", notice, users["fgw"]) == 1

    r = fgw.post(f"/api/notices/{notice.pk}/answer/", {"text": "已制定整改方案,月底前完成"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "answered"
    assert r.json()["answer"] == "已制定整改方案,月底前完成"
    assert audited("notice.answer", notice, users["fgw"]) == 1
    assert TaskEvent.objects.filter(task=task, kind="notice_answer", actor=users["fgw"]).exists()

    # Sending the answer back needs a note.
    r = sup.post(f"/api/notices/{notice.pk}/review/", {"accept": False}, format="json")
    assert r.status_code == 400
    assert r.json()["field"] == "note" and r.json()["detail_zh"] == "审核意见不能为空"
    r = sup.post(f"/api/notices/{notice.pk}/review/", {"accept": False, "note": "措施不具体"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "rejected" and r.json()["review_note"] == "措施不具体"
    r = fgw.post(f"/api/notices/{notice.pk}/answer/", {"text": "已明确责任人和完成时间"}, format="json")
    assert r.status_code == 200
    r = client(users["admin"]).post(f"/api/notices/{notice.pk}/review/", {"accept": True}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    assert audited("notice.review", notice, users["supervisor"]) == 1
    assert audited("notice.review", notice, users["admin"]) == 1


def test_answer_input_errors(users, make_task):
    task = make_task(lead=("fgw",), deadline_working_days=20)
    notice = do_issue_notice(users["supervisor"], task, light="yellow", reason="进度滞后")
    fgw = client(users["fgw"])
    r = fgw.post(f"/api/notices/{notice.pk}/answer/", {}, format="json")  # DRF: the field is missing
    assert r.status_code == 400 and r.json()["field"] == "text" and r.json()["detail_zh"]
    r = fgw.post(f"/api/notices/{notice.pk}/answer/", {"text": "  "}, format="json")  # the service: blank
    assert r.status_code == 400
    assert r.json() == {"detail": "answer is required", "detail_zh": "回复内容不能为空", "field": "answer"}
    r = fgw.post(f"/api/notices/{notice.pk}/answer/", {"text": "<script>x</script>"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "answer"
    assert SupervisionNotice.objects.get(pk=notice.pk).state == "issued"


def test_issue_refusals(users, units, make_task):
    sup = client(users["supervisor"])
    open_task = make_task(lead=("fgw",), deadline_working_days=20)
    draft = make_task(lead=("fgw",), assign=False, deadline_working_days=20)
    cases = [
        ({"task": draft.pk, "light": "red", "reason": "x"}, None, "只能对办理中的任务签发督办单"),
        ({"task": open_task.pk, "light": "green", "reason": "x"}, "light", "督办单颜色应为蓝、黄、红之一"),
        ({"task": open_task.pk, "light": "red", "reason": ""}, "reason", "督办事由不能为空"),
        ({"task": open_task.pk, "light": "red", "reason": "x", "reply_days": 99}, "reply_days",
         "回复期限应为1到60个工作日"),
        ({"task": 987654, "light": "red", "reason": "x"}, "task", "任务不存在"),
    ]
    for data, field, zh in cases:
        r = sup.post("/api/notices/", data, format="json")
        assert r.status_code == 400, (data, r.content)
        assert (r.json()["field"], r.json()["detail_zh"]) == (field, zh)
        assert r.json()["detail"]
    assert SupervisionNotice.objects.count() == 0
    # A liaison is refused whether or not the task exists or is theirs: 403 either way.
    for task_id in (open_task.pk, 987654):
        r = client(users["edu"]).post("/api/notices/", {"task": task_id, "light": "red", "reason": "x"},
                                      format="json")
        assert r.status_code == 403 and r.json()["detail_zh"] == "您无权签发督办单"


def test_notice_filters(users, make_task):
    a = make_task(lead=("fgw",), deadline_working_days=20)
    b = make_task(lead=("fgw",), deadline_working_days=20)
    sup = users["supervisor"]
    red = do_issue_notice(sup, a, light="red", reason="逾期")
    blue = do_issue_notice(sup, b, light="blue", reason="临期")
    do_acknowledge_notice(users["fgw"], blue)
    c = client(users["fgw"])

    def ids(q):
        r = c.get("/api/notices/" + q)
        assert r.status_code == 200
        return [row["id"] for row in r.json()["results"]]

    assert ids("") == [blue.pk, red.pk]  # same day: newest first
    assert ids("?light=red") == [red.pk]
    assert ids("?status=acknowledged") == [blue.pk]
    assert ids("?status=issued&light=red") == [red.pk]
    assert ids(f"?task={b.pk}") == [blue.pk]
    for bad in ("?light=purple", "?status=done", "?task=abc"):
        r = c.get("/api/notices/" + bad)
        assert r.status_code == 400 and r.json()["detail_zh"] and r.json()["field"] in bad


def test_notice_pdf(users, make_task):
    task = make_task(lead=("fgw",), deadline_working_days=20)
    notice = do_issue_notice(users["supervisor"], task, light="yellow", reason="进度滞后")
    r = client(users["fgw"]).get(f"/api/notices/{notice.pk}/pdf/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and len(r.content) > 1000
    assert "attachment" in r["Content-Disposition"]


def test_rectification_submit_and_verify(users, units, make_task):
    task = make_task(lead=("fgw",), deadline_working_days=20)
    finding = do_record_finding(users["supervisor"], task, "台账资料不全")
    item = do_create_rectification(users["supervisor"], finding, requirement="补齐台账")
    fgw, sup = client(users["fgw"]), client(users["supervisor"])

    r = fgw.get(f"/api/rectifications/{item.pk}/")
    assert r.status_code == 200
    assert (r.json()["state"], r.json()["unit"]["id"], r.json()["requirement"]) == \
        ("open", units["fgw"].pk, "补齐台账")
    r = sup.post(f"/api/rectifications/{item.pk}/verify/", {"accept": True}, format="json")
    assert r.status_code == 400 and r.json()["detail_zh"] == "只有已提交的整改事项可以验收"
    r = fgw.post(f"/api/rectifications/{item.pk}/submit/", {"report": ""}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "report"
    r = fgw.post(f"/api/rectifications/{item.pk}/submit/", {"report": "已补齐台账并建立制度"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "submitted" and r.json()["submitted_on"]
    assert audited("rectification.submit", item, users["fgw"]) == 1
    r = sup.post(f"/api/rectifications/{item.pk}/verify/", {"accept": False, "note": "缺制度文件"},
                 format="json")
    assert r.status_code == 200 and r.json()["state"] == "open" and r.json()["verify_note"] == "缺制度文件"
    fgw.post(f"/api/rectifications/{item.pk}/submit/", {"report": "已附制度文件"}, format="json")
    r = sup.post(f"/api/rectifications/{item.pk}/verify/", {"accept": True}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "closed" and r.json()["closed_on"]
    assert audited("rectification.verify", item, users["supervisor"]) == 2
    assert [row["id"] for row in sup.get("/api/rectifications/?status=closed").json()["results"]] == [item.pk]
    assert sup.get("/api/rectifications/?status=open").json()["results"] == []
    assert sup.get("/api/rectifications/?status=nope").status_code == 400


D = dt.date


def test_lights(users, placed_task):
    late = placed_task(D(2025, 9, 1), D(2025, 9, 30), lead=("fgw",))
    soon = placed_task(D(2025, 9, 1), D(2025, 10, 10), progress=90, lead=("edu",))
    fine = placed_task(D(2025, 9, 1), D(2026, 6, 30), progress=10, lead=("edu",))
    closed = placed_task(D(2025, 9, 1), D(2025, 9, 20), lead=("edu",))
    run_sweep(D(2025, 10, 9))
    closed.__class__.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    c = client(users["supervisor"])
    rows = c.get("/api/lights/").json()["results"]
    by_task = {r["task"]["id"]: r for r in rows}
    assert closed.pk not in by_task  # open tasks only
    assert by_task[late.pk]["light"] == "red" and by_task[late.pk]["reason"]
    assert by_task[late.pk]["lead_units"][0]["name"] == "市发展和改革委员会"
    assert by_task[soon.pk]["light"] == "blue"
    assert by_task[fine.pk]["light"] == "green"
    order = {"red": 3, "yellow": 2, "blue": 1, "green": 0}
    ranks = [order[r["light"]] for r in rows]
    assert ranks == sorted(ranks, reverse=True)  # red first
    red = c.get("/api/lights/?light=red").json()["results"]
    assert [r["task"]["id"] for r in red] == [late.pk]
    assert c.get("/api/lights/?light=pink").status_code == 400
    # a 领导 reads the lights of their own scope: the city's leader sees 市发改委's red task, 甲区's none
    city = client(users["leader"]).get("/api/lights/?light=red")
    assert city.status_code == 200 and [r["task"]["id"] for r in city.json()["results"]] == [late.pk]
    assert client(users["jia_leader"]).get("/api/lights/").json()["results"] == []
    assert client(users["fgw"]).get("/api/lights/").status_code == 403


def test_unit_stats(users, units, placed_task):
    from luoshi.ledger.models import Task

    fgw_late = placed_task(D(2025, 9, 1), D(2025, 9, 30), lead=("fgw",))
    edu_done = placed_task(D(2025, 9, 1), D(2025, 9, 15), lead=("edu",))
    Task.objects.filter(pk=edu_done.pk).update(status=Status.CLOSED, closed_on=D(2025, 9, 12))
    placed_task(D(2025, 9, 1), D(2025, 9, 25), lead=("dong",))
    outside = placed_task(D(2025, 9, 1), D(2025, 11, 30), lead=("fgw",))
    assert fgw_late and outside
    q = "/api/stats/units/?start=2025-09-01&end=2025-09-30"
    r = client(users["supervisor"]).get(q)
    assert r.status_code == 200
    rows = r.json()["results"]
    assert r.json()["count"] == 3
    assert [(x["rank"], x["unit_id"], x["tasks"], x["on_time"], x["late"]) for x in rows] == [
        (1, units["edu"].pk, 1, 1, 0), (2, units["fgw"].pk, 1, 0, 1), (3, units["dong"].pk, 1, 0, 1)]
    assert rows[0]["on_time_rate"] == 1.0 and rows[0]["on_time_rate_pct"] == "100.0%"
    assert rows[1]["overdue_rate"] == 1.0 and rows[1]["avg_days_late"] > 0
    # 甲区's leader sees the units of 甲区's subtree only; the rank is still the city-wide one.
    rows = client(users["jia_leader"]).get(q).json()["results"]
    assert [(x["rank"], x["unit_id"]) for x in rows] == [(3, units["dong"].pk)]
    assert client(users["leader"]).get(q).json()["count"] == 3


@pytest.mark.parametrize("query,field", [("?start=2025-13-01", "start"), ("?start=yesterday", "start"),
                                         ("?start=2025-09-01&end=2025/09/30", "end"),
                                         ("?start=2025-09-30&end=2025-09-01", "end")])
def test_unit_stats_bad_dates(users, query, field):
    r = client(users["supervisor"]).get("/api/stats/units/" + query)
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == field and body["detail"].isascii() and body["detail_zh"]
