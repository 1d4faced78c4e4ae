"""Issue 9 «The office can correct its ledger»: 督查员 edit a task on its page through do_update_task;
the task page shows who changed what; units cannot edit."""
from __future__ import annotations

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.ledger.models import Task

from tests.conftest import page_text

pytestmark = pytest.mark.django_db


def form_data(task, units, **over):
    data = {"title": task.title, "requirement": "按季度报送", "section": "", "lead_units": [units["edu"].pk],
            "co_units": [units["jia"].pk], "responsible_leader": "刘副市长", "priority": 3,
            "deadline_mode": "workdays", "deadline_working_days": 10, "recurrence_mode": "none",
            "tags": "民生、重点", "targets-TOTAL_FORMS": 1, "targets-INITIAL_FORMS": 0,
            "targets-0-metric": "开工率", "targets-0-op": ">=", "targets-0-value": "90", "targets-0-unit": "%"}
    data.update(over)
    return data


def test_supervisor_edits_an_assigned_task_and_the_page_shows_who_changed_what(users, units, make_task, client_for):
    task = make_task(title="原标题的任务")
    sup = client_for("supervisor")
    page = sup.get(f"/tasks/{task.pk}/").content.decode()
    assert f'href="/tasks/{task.pk}/edit/"' in page
    form = sup.get(f"/tasks/{task.pk}/edit/").content.decode()
    assert "编辑任务" in form and "原标题的任务" in form and "延期申请" in form
    r = sup.post(f"/tasks/{task.pk}/edit/", form_data(task, units, title="更正后的标题"), follow=True)
    assert r.status_code == 200, r.content.decode()[:500]
    task = Task.objects.get(pk=task.pk)
    assert task.title == "更正后的标题" and task.responsible_leader == "刘副市长" and task.priority == 3
    assert [u.pk for u in task.lead_units.all()] == [units["edu"].pk]
    assert [u.pk for u in task.co_units.all()] == [units["jia"].pk]
    assert task.tags == ["民生", "重点"] and [t.metric for t in task.targets.all()] == ["开工率"]
    assert task.deadline_working_days == 20  # the deadline of an assigned task moves only by 延期
    entry = AuditEntry.objects.filter(action="task.update", object_id=str(task.pk)).get()
    assert entry.actor_id == users["supervisor"].pk
    assert "工作任务" in entry.summary and "牵头单位" in entry.summary and "量化目标" in entry.summary
    text = page_text(sup.get(f"/tasks/{task.pk}/"))
    assert "张督查" in text and "修改:工作任务" in text


def test_draft_deadline_can_be_corrected_and_units_cannot_edit(users, units, make_task, client_for):
    task = make_task(assign=False)
    sup = client_for("supervisor")
    sup.post(f"/tasks/{task.pk}/edit/", form_data(task, units, deadline_working_days=7))
    assert Task.objects.get(pk=task.pk).deadline_working_days == 7
    fgw = client_for("fgw")
    assert fgw.get(f"/tasks/{task.pk}/edit/").status_code in (403, 404)
    r = fgw.post(f"/tasks/{task.pk}/edit/", form_data(task, units, title="联络员改的"))
    assert r.status_code in (403, 404) and Task.objects.get(pk=task.pk).title != "联络员改的"


@pytest.mark.parametrize("over, says", [
    ({"targets-TOTAL_FORMS": 100000}, "最多填写20项量化目标"),
    ({"targets-TOTAL_FORMS": "abc"}, "表单数据不完整,请刷新页面后重新填写"),
])
def test_a_tampered_or_oversized_target_list_is_refused_with_a_reason(units, make_task, client_for, over, says):
    # the rows of 量化目标 are a formset: when its counters are tampered with, the edit (and the 立项
    # form) is refused with a reason in Chinese, not "量化目标有误:" with nothing after it or Django's
    # "ManagementForm…" text; nothing is saved
    task = make_task(title="原标题的任务")
    sup = client_for("supervisor")
    r = sup.post(f"/tasks/{task.pk}/edit/", form_data(task, units, title="不应保存", **over))
    text = page_text(r)
    assert r.status_code == 200 and says in text and "ManagementForm" not in text
    assert Task.objects.get(pk=task.pk).title == "原标题的任务"
    new = {k: v for k, v in form_data(task, units, title="不应立项", deadline_mode="date", deadline="2027-03-01",
                                      **over).items() if k != "deadline_working_days"}
    r = sup.post("/tasks/new/", new)
    assert r.status_code == 200 and says in page_text(r) and not Task.objects.filter(title="不应立项").exists()
