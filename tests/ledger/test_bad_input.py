"""Bad input gives a clear Chinese message and changes nothing."""
from __future__ import annotations

import datetime as dt

from luoshi.audit.models import AuditEntry
from luoshi.ledger import services as svc
from luoshi.ledger.models import ProgressReport, Source, Task

from tests.conftest import page_text
from .test_create_task import form_data


def unchanged(before_tasks, before_audit):
    assert Task.objects.count() == before_tasks
    assert AuditEntry.objects.count() == before_audit


def test_impossible_date(users, units, client_for):
    r = client_for("supervisor").post("/tasks/new/", form_data(units, deadline_mode="date",
                                                                deadline="2025-02-30"))
    body = page_text(r)
    assert r.status_code == 200 and "日期无效" in body
    assert 'value="推进老旧小区改造"' in body  # the form keeps what was typed
    unchanged(0, 0)


def test_script_in_title(users, units, client_for):
    r = client_for("supervisor").post("/tasks/new/", form_data(units, title="<script>alert(1)</script>改造"))
    body = page_text(r)
    assert r.status_code == 200 and "不能包含HTML或脚本标签" in body
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body
    unchanged(0, 0)


def test_deadline_before_assignment(users, units, client_for):
    past = (svc.today() - dt.timedelta(days=3)).isoformat()
    r = client_for("supervisor").post("/tasks/new/", form_data(units, deadline_mode="date", deadline=past))
    assert r.status_code == 200 and "早于交办日期" in page_text(r)
    r = client_for("supervisor").post("/tasks/new/", form_data(units, deadline_mode="date", deadline=past,
                                                                assign=""))
    assert r.status_code == 200 and "早于今天" in page_text(r)
    unchanged(0, 0)


def test_missing_and_out_of_range_values(users, units, client_for):
    c = client_for("supervisor")
    r = c.post("/tasks/new/", form_data(units, title="", lead_units=[]))
    assert "此项为必填项" in page_text(r) and "至少需要一个牵头单位" in page_text(r)
    r = c.post("/tasks/new/", form_data(units, deadline_working_days="0"))
    assert "不能小于1" in page_text(r)
    r = c.post("/tasks/new/", form_data(units, deadline_working_days="abc"))
    assert "请输入整数" in page_text(r)
    r = c.post("/tasks/new/", form_data(units, **{"targets-0-value": "九十"}))
    assert "目标值应为数字" in page_text(r)
    r = c.post("/tasks/new/", form_data(units, lead_units=["999999"]))
    assert "所选单位不存在或不可选" in page_text(r)
    unchanged(0, 0)


def test_bad_progress_report(users, make_task, client_for):
    task = make_task()
    svc.do_sign_task(users["fgw"], task)
    before = AuditEntry.objects.count()
    c = client_for("fgw")
    for data, msg in (({"text": "进展", "percent": 150}, "不能大于100"),
                      ({"text": "进展", "percent": "abc"}, "请输入整数"),
                      ({"text": "", "percent": 10}, "此项为必填项"),
                      ({"text": "<img src=x onerror=alert(1)>", "percent": 10}, "不能包含HTML或脚本标签")):
        body = page_text(c.post(f"/tasks/{task.pk}/do/report/", data, follow=True))
        assert "报送进展未成功" in body and msg in body, data
    assert ProgressReport.objects.count() == 0 and AuditEntry.objects.count() == before
    # what was typed is kept (escaped) so a long report is not lost
    body = page_text(c.post(f"/tasks/{task.pk}/do/report/",
                            {"text": "本月完成<b>三项</b>工作", "percent": 30, "problems": "经费不足"}))
    assert "不能包含HTML或脚本标签" in body
    assert "本月完成&lt;b&gt;三项&lt;/b&gt;工作</textarea>" in body and ">经费不足</textarea>" in body
    assert ProgressReport.objects.count() == 0
    task.refresh_from_db()
    assert task.progress == 0


def test_bad_extension_date(users, make_task, client_for):
    task = make_task(deadline_working_days=5)
    c = client_for("fgw")
    body = page_text(c.post(f"/tasks/{task.pk}/do/request_extension/",
                            {"new_deadline": "2025-02-30", "reason": "理由"}, follow=True))
    assert "日期无效" in body
    earlier = (task.deadline - dt.timedelta(days=1)).isoformat()
    body = page_text(c.post(f"/tasks/{task.pk}/do/request_extension/",
                            {"new_deadline": earlier, "reason": "理由"}, follow=True))
    assert "申请延至的日期应晚于当前完成时限" in body
    assert task.extensions.count() == 0


def test_bad_source(users, client_for):
    c = client_for("supervisor")
    r = c.post("/sources/new/", {"kind": "meeting", "title": "会议<script>", "date": "2025-13-01"})
    body = page_text(r)
    assert r.status_code == 200 and "日期无效" in body
    r = c.post("/sources/new/", {"kind": "meeting", "title": "会议<script>x</script>", "date": ""})
    assert "不能包含HTML或脚本标签" in page_text(r)
    r = c.post("/sources/new/", {"kind": "nonsense", "title": "会议"})
    assert r.status_code == 200
    assert Source.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_bad_audit_filter_date(users, client_for):
    r = client_for("supervisor").get("/audit/", {"since": "2025-02-30"})
    assert r.status_code == 400 and "YYYY-MM-DD" in page_text(r)
