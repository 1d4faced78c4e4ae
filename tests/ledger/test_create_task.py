"""立项 on /tasks/new/ and 登记来源 on /sources/new/ (督查员)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.audit.models import AuditEntry
from luoshi.ledger import services as svc
from luoshi.ledger.models import Source, Status, Task
from luoshi.workcal.services import current_calendar

from tests.conftest import page_text


def form_data(units, **over):
    data = {"title": "推进老旧小区改造", "requirement": "年内完成20个小区改造", "source": "", "section": "民生实事",
            "lead_units": [units["fgw"].pk], "co_units": [units["edu"].pk], "responsible_leader": "周市长",
            "deadline_mode": "workdays", "deadline": "", "deadline_working_days": "5",
            "recurrence_mode": "monthly", "recurrence_day": "25", "priority": "3", "tags": "民生,城建、改造",
            "assign": "on", "targets-TOTAL_FORMS": "3", "targets-INITIAL_FORMS": "0",
            "targets-0-metric": "改造小区数", "targets-0-op": ">=", "targets-0-value": "20", "targets-0-unit": "个",
            "targets-1-metric": "", "targets-1-op": ">=", "targets-1-value": "", "targets-1-unit": "",
            "targets-2-metric": "", "targets-2-op": ">=", "targets-2-value": "", "targets-2-unit": ""}
    data.update(over)
    return data


def test_form_renders(users, client_for):
    body = page_text(client_for("supervisor").get("/tasks/new/"))
    for text in ("立项交办", "工作任务", "牵头单位", "配合单位", "交办后N个工作日", "每月N日前报送", "每季度报送",
                 "量化目标", "立即交办", "市发展和改革委员会"):
        assert text in body, text


def test_create_with_working_day_deadline_and_assign(users, units, client_for):
    src = svc.do_create_source(users["supervisor"], title="市委常委会会议")
    r = client_for("supervisor").post("/tasks/new/", form_data(units, source=src.pk))
    task = Task.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/tasks/{task.pk}/"
    assert task.status == Status.ASSIGNED and task.assigned_on == svc.today()
    assert task.deadline == current_calendar().add_working_days(svc.today(), 5)
    assert task.deadline_working_days == 5
    assert list(task.lead_units.all()) == [units["fgw"]] and list(task.co_units.all()) == [units["edu"]]
    assert task.source == src and task.section == "民生实事" and task.responsible_leader == "周市长"
    assert task.recurrence == "monthly:25" and task.priority == 3
    assert task.tags == ["民生", "城建", "改造"]
    t = task.targets.get()
    assert (t.metric, t.op, t.value, t.unit) == ("改造小区数", ">=", Decimal("20"), "个")
    assert AuditEntry.objects.filter(action="task.assign", object_id=str(task.pk)).exists()


def test_create_with_date_quarterly_without_assign(users, units, client_for):
    deadline = svc.today() + dt.timedelta(days=60)
    r = client_for("supervisor").post("/tasks/new/", form_data(
        units, deadline_mode="date", deadline=deadline.isoformat(), deadline_working_days="",
        recurrence_mode="quarterly", assign=""))
    assert r.status_code == 302
    task = Task.objects.get()
    assert task.status == Status.DRAFT and task.deadline == deadline and task.deadline_working_days is None
    assert task.recurrence == "quarterly"


def test_lead_and_co_unit_overlap_refused(users, units, client_for):
    r = client_for("supervisor").post("/tasks/new/", form_data(units, co_units=[units["fgw"].pk]))
    assert r.status_code == 200 and "同一单位不能既是牵头单位又是配合单位" in page_text(r)
    assert Task.objects.count() == 0 and AuditEntry.objects.filter(action="task.create").count() == 0


def test_sources_register_and_list(users, client_for):
    c = client_for("supervisor")
    r = c.post("/sources/new/", {"kind": "meeting", "title": "全市优化营商环境大会", "date": "2025-03-05",
                                 "issuer": "市政府办公室", "speaker": "周市长", "doc_number": "市政办〔2025〕3号",
                                 "text": "会议要求……",
                                 "attachment": SimpleUploadedFile("讲话.txt", "讲话全文".encode())})
    assert r.status_code == 302 and r["Location"] == "/sources/"
    src = Source.objects.get()
    assert src.date == dt.date(2025, 3, 5) and src.created_by == users["supervisor"] and src.attachment
    body = page_text(c.get("/sources/"))
    assert "全市优化营商环境大会" in body and "会议" in body and "市政办〔2025〕3号" in body
    assert AuditEntry.objects.filter(action="source.create").count() == 1
    # the new source is offered on the task form
    assert "全市优化营商环境大会" in page_text(c.get("/tasks/new/"))
