"""Issue 9, "The office can correct its ledger": completion below 100 % needs an explanation, every
quantitative target records its achieved value (目标完成值) at 申请办结 — shown on the task page, the ledger
page and the 台账 export —, progress going backwards needs a reason, and a co-unit's report is its own
contribution (配合单位报送), never the task's progress."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from luoshi.audit.models import AuditEntry
from luoshi.core.errors import LuoshiError
from luoshi.ledger import services as svc
from luoshi.ledger.exports import LEDGER_HEADERS
from luoshi.ledger.models import ProgressReport, Status, Task
from tests.conftest import page_text

pytestmark = pytest.mark.django_db

TARGETS = [{"metric": "网办率", "op": ">=", "value": "95", "unit": "%"},
           {"metric": "平均办理时长", "op": "<=", "value": "3", "unit": "天"}]


@pytest.fixture
def task(make_task, users):
    t = make_task(title="推进政务服务一网通办", co=("edu",), targets=TARGETS)
    svc.do_sign_task(users["fgw"], t)
    return Task.objects.get(pk=t.pk)


def act(client, task, action, data):
    return client.post(f"/tasks/{task.pk}/do/{action}/", data, follow=True)


def test_completion_below_100_needs_an_explanation(task, users):
    svc.do_report_progress(users["fgw"], task, text="大部分事项已上线", percent=80)
    targets = {t.metric: t.pk for t in task.targets.all()}
    with pytest.raises(LuoshiError) as e:
        svc.do_request_completion(users["fgw"], task, achieved={targets["网办率"]: "96", targets["平均办理时长"]: 2})
    assert e.value.field == "note" and "80%" in e.value.message_zh
    assert Task.objects.get(pk=task.pk).status == Status.IN_PROGRESS
    svc.do_request_completion(users["fgw"], task, note="剩余2项需省级系统对接,已纳入常态化工作",
                              achieved={targets["网办率"]: "96", targets["平均办理时长"]: 2})
    task.refresh_from_db()
    assert task.status == Status.COMPLETION_REQUESTED
    ev = task.events.get(kind="request_completion")
    assert "完成进度80%" in ev.note and "剩余2项" in ev.note and "网办率:96%" in ev.note


def test_every_target_needs_its_achieved_value_and_is_stored(task, users):
    svc.do_report_progress(users["fgw"], task, text="全部完成", percent=100)
    ids = [t.pk for t in task.targets.order_by("id")]
    with pytest.raises(LuoshiError) as e:
        svc.do_request_completion(users["fgw"], task, achieved={ids[0]: "96"})
    assert e.value.field == "achieved" and "平均办理时长" in e.value.message_zh
    with pytest.raises(LuoshiError) as e:
        svc.do_request_completion(users["fgw"], task, achieved={ids[0]: "96", ids[1]: "三天"})
    assert "不是数字" in e.value.message_zh
    assert all(t.achieved is None for t in task.targets.all())  # nothing half-written
    svc.do_request_completion(users["fgw"], task, note="办理时长受省级系统影响未达标",
                              achieved={ids[0]: "96.5", str(ids[1]): "3.5"})
    got = {t.metric: (t.achieved, t.met) for t in task.targets.all()}
    assert got == {"网办率": (Decimal("96.5"), True), "平均办理时长": (Decimal("3.5"), False)}
    entry = AuditEntry.objects.filter(action="task.request_completion").latest("seq")
    assert any("完成值 96.5%" in t for t in entry.after["targets"])


def test_achieved_values_on_task_page_ledger_page_and_export(task, users, client_for):
    svc.do_report_progress(users["fgw"], task, text="全部完成", percent=100)
    fgw = client_for("fgw")
    page = page_text(fgw.get(f"/tasks/{task.pk}/"))
    # the 申请办结 form asks for each target's achieved value
    for tg in task.targets.all():
        assert f'name="achieved_{tg.pk}"' in page
    ids = [t.pk for t in task.targets.order_by("id")]
    r = act(fgw, task, "request_completion", {"note": "", f"achieved_{ids[0]}": "97.2", f"achieved_{ids[1]}": "2"})
    assert "申请办结成功" in page_text(r)
    page = page_text(client_for("supervisor").get(f"/tasks/{task.pk}/"))
    assert "目标完成值" in page and "97.2%" in page and "达标" in page
    ledger = page_text(client_for("supervisor").get("/ledger/"))
    assert "目标完成值:网办率 97.2%(达标)" in ledger
    data = client_for("supervisor").get("/ledger/export.xlsx").content
    ws = load_workbook(io.BytesIO(data)).active
    assert LEDGER_HEADERS[-1] == "目标完成值" and ws.cell(2, len(LEDGER_HEADERS)).value == "目标完成值"
    row = [c.value for c in ws[3]]
    assert row[-1] == "网办率:97.2%(达标)\n平均办理时长:2天(达标)"


def test_completion_form_refuses_below_100_without_note(task, users, client_for):
    svc.do_report_progress(users["fgw"], task, text="推进中", percent=60)
    ids = [t.pk for t in task.targets.order_by("id")]
    r = act(client_for("fgw"), task, "request_completion", {"note": "", f"achieved_{ids[0]}": "90",
                                                            f"achieved_{ids[1]}": "4"})
    text = page_text(r)
    assert "申请办结未成功" in text and "未达100%" in text
    assert Task.objects.get(pk=task.pk).status == Status.IN_PROGRESS


def test_progress_going_backwards_needs_a_reason(task, users, client_for):
    svc.do_report_progress(users["fgw"], task, text="完成大半", percent=70)
    with pytest.raises(LuoshiError) as e:
        svc.do_report_progress(users["fgw"], task, text="重新核定", percent=50)
    assert e.value.field == "regress_reason" and "70%回退到50%" in e.value.message_zh
    # the page keeps what was typed and says why
    r = act(client_for("fgw"), task, "report", {"text": "重新核定工作量", "percent": "50"})
    text = page_text(r)
    assert "进度回退原因" in text and "重新核定工作量" in text
    assert Task.objects.get(pk=task.pk).progress == 70
    r = act(client_for("fgw"), task, "report", {"text": "重新核定工作量", "percent": "50",
                                                "regress_reason": "新增3项省定事项,分母变大"})
    assert "报送进展成功" in page_text(r)
    t = Task.objects.get(pk=task.pk)
    assert t.progress == 50
    rep = t.reports.first()
    assert rep.regress_reason == "新增3项省定事项,分母变大"
    assert "进度回退原因" in page_text(client_for("supervisor").get(f"/tasks/{task.pk}/"))
    # going forward needs none, and a reason given anyway is not stored
    svc.do_report_progress(users["fgw"], task, text="继续推进", percent=60, regress_reason="无")
    assert t.reports.first().regress_reason == ""


def test_api_report_backwards_and_completion(task, users, client_for):
    from rest_framework.test import APIClient

    c = APIClient()
    c.force_authenticate(users["fgw"])
    assert c.post(f"/api/tasks/{task.pk}/reports/", {"text": "推进", "percent": 80}, format="json").status_code == 201
    r = c.post(f"/api/tasks/{task.pk}/reports/", {"text": "核减", "percent": 40}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "regress_reason" and r.json()["detail_zh"]
    r = c.post(f"/api/tasks/{task.pk}/request-completion/", {"note": ""}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "note"
    ids = [t.pk for t in task.targets.order_by("id")]
    r = c.post(f"/api/tasks/{task.pk}/request-completion/",
               {"note": "未完成部分转入常态化", "achieved": {str(ids[0]): "95", str(ids[1]): "3"}}, format="json")
    assert r.status_code == 200, r.json()
    assert [t["achieved"] for t in r.json()["targets"]] == ["95.0000", "3.0000"]


def test_co_unit_report_is_its_contribution_not_the_task_progress(task, users, client_for):
    svc.do_report_progress(users["fgw"], task, text="牵头推进", percent=40)
    rep = svc.do_report_progress(users["edu"], task, text="已完成教育类事项梳理", percent=100)
    t = Task.objects.get(pk=task.pk)
    assert rep.by_co_unit and t.progress == 40
    assert "配合单位报送:本单位承担部分完成100%" in t.events.filter(kind="report").last().note
    page = page_text(client_for("supervisor").get(f"/tasks/{task.pk}/"))
    assert "配合单位报送" in page and "本单位承担部分 100%" in page and "任务进度 40%" in page
    assert "任务进度 100%" not in page
    # the co-unit's form starts from its own figure and says what it reports
    edu_page = page_text(client_for("edu").get(f"/tasks/{task.pk}/"))
    assert "本单位承担部分完成进度" in edu_page and 'value="100"' in edu_page
    # the export's 进展情况 is the lead's report; the co-unit's is marked as its contribution
    ws = load_workbook(io.BytesIO(client_for("supervisor").get("/ledger/export.xlsx").content)).active
    progress = ws.cell(3, LEDGER_HEADERS.index("进展情况") + 1).value
    assert progress.startswith("牵头推进(进度40%)")
    assert "【配合单位报送·市教育局】已完成教育类事项梳理(本单位承担部分100%)" in progress
    # a co-unit going backwards on its own figure needs a reason too
    with pytest.raises(LuoshiError):
        svc.do_report_progress(users["edu"], task, text="返工", percent=80)
    assert ProgressReport.objects.filter(task=task, by_co_unit=True).count() == 1
