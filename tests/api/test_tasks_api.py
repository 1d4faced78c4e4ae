"""/api/tasks/: list with filters and paging, create (立项/交办), partial update, no PUT/DELETE."""
import datetime as dt

import pytest
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.ledger.models import Status, Task


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_list_is_paged_50_newest_first(client_for, users):
    # Written directly (fast): paging is about the list, not about how tasks are made.
    Task.objects.bulk_create([Task(number=f"T{i:03d}", title=f"任务{i:02d}") for i in range(52)])
    client = client_for("supervisor")
    first = client.get("/api/tasks/").json()
    assert first["count"] == 52
    assert len(first["results"]) == 50
    assert first["results"][0]["title"] == "任务51"
    assert first["next"].endswith("/api/tasks/?page=2")
    second = client.get("/api/tasks/?page=2").json()
    assert [r["title"] for r in second["results"]] == ["任务01", "任务00"]
    past = client.get("/api/tasks/?page=3")  # like core.params.paginate: 400, not DRF's 404
    assert past.status_code == 400 and past.json()["field"] == "page" and "共2页" in past.json()["detail_zh"]


def test_filters_status_unit_overdue_q(client_for, make_task, units, users):
    from luoshi.ledger.services import do_sign_task

    a = make_task(title="推进数字政府建设", lead=("fgw",), co=("edu",), deadline_working_days=5)
    b = make_task(title="学校食堂专项整治", lead=("edu",))
    make_task(title="未交办的草稿", lead=("jia",), assign=False)
    do_sign_task(users["fgw"], a)
    # An open task past its deadline (written directly: the services refuse past deadlines).
    Task.objects.filter(pk=b.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    client = client_for("supervisor")
    assert titles(client.get("/api/tasks/?status=signed")) == ["推进数字政府建设"]
    assert titles(client.get("/api/tasks/?status=draft,assigned")) == ["未交办的草稿", "学校食堂专项整治"]
    assert titles(client.get(f"/api/tasks/?unit={units['edu'].pk}")) == ["学校食堂专项整治", "推进数字政府建设"]
    assert titles(client.get(f"/api/tasks/?unit={units['jia'].pk}")) == ["未交办的草稿"]
    bad = client.get("/api/tasks/?unit=abc")  # a malformed id is a clear 400 (luoshi.core.params)
    assert bad.status_code == 400 and bad.json()["field"] == "unit"
    assert titles(client.get("/api/tasks/?overdue=1")) == ["学校食堂专项整治"]
    assert titles(client.get("/api/tasks/?q=食堂")) == ["学校食堂专项整治"]
    assert titles(client.get(f"/api/tasks/?q={a.number}")) == ["推进数字政府建设"]
    one = client.get(f"/api/tasks/{b.pk}/").json()
    assert one["deadline_state"] == "overdue"


def test_create_with_units_targets_and_assign(client_for, units):
    client = client_for("supervisor")
    response = client.post("/api/tasks/", {
        "title": "优化营商环境", "lead_units": [units["fgw"].pk], "co_units": [units["edu"].pk, units["jia"].pk],
        "deadline_working_days": 15, "priority": 3, "tags": ["营商环境"], "requirement": "按月报送进展",
        "targets": [{"metric": "网办率", "op": ">=", "value": "95", "unit": "%"}], "assign": True,
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "assigned"
    assert body["number"].startswith("DB")
    assert [u["id"] for u in body["lead_units"]] == [units["fgw"].pk]
    assert {u["id"] for u in body["co_units"]} == {units["edu"].pk, units["jia"].pk}
    assert body["assigned_on"] == timezone.localdate().isoformat()
    assert body["deadline"] > body["assigned_on"]
    assert [{k: v for k, v in t.items() if k != "id"} for t in body["targets"]] == [
        {"metric": "网办率", "op": ">=", "value": "95.0000", "unit": "%", "text": "", "achieved": None,
         "achieved_on": None}]
    task = Task.objects.get(pk=body["id"])
    assert task.created_by.username == "duchayuan"
    assert AuditEntry.objects.filter(action="task.assign", object_id=str(task.pk), actor__username="duchayuan").exists()


def test_create_without_assign_stays_draft_with_date_deadline(client_for, units):
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client_for("admin").post("/api/tasks/", {"title": "草稿任务", "lead_units": [units["edu"].pk],
                                                        "deadline": deadline}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert response.json()["deadline"] == deadline


@pytest.mark.parametrize("body,field,zh", [
    ({"title": "没有牵头单位", "lead_units": []}, "lead_units", "至少需要一个牵头单位"),
    ({"title": "", "lead_units": ["LEAD"]}, "title", "工作任务不能为空"),
    ({"title": "<script>x</script>", "lead_units": ["LEAD"]}, "title", "不能包含HTML"),
    ({"title": "单位不存在", "lead_units": [999999]}, "lead units", "单位不存在"),
    ({"title": "同时有两种时限", "lead_units": ["LEAD"], "deadline": "2099-01-01", "deadline_working_days": 5},
     "deadline", "二者选一"),
    ({"title": "目标值不是数字", "lead_units": ["LEAD"], "targets": [{"metric": "率", "value": "NaN"}]},
     "targets", "不是数字"),
])
def test_create_refused_is_400_with_both_messages(client_for, units, body, field, zh):
    body = {**body, "lead_units": [units["fgw"].pk if u == "LEAD" else u for u in body["lead_units"]]}
    response = client_for("supervisor").post("/api/tasks/", body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["field"] == field
    assert zh in data["detail_zh"]
    assert data["detail"]
    assert not Task.objects.exists()


def test_bad_types_are_400_in_the_same_shape(client_for):
    response = client_for("supervisor").post("/api/tasks/", {"title": "x", "lead_units": "abc",
                                                             "deadline": "not-a-date"}, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["field"] in {"lead_units", "deadline"}
    assert set(data["errors"]) == {"lead_units", "deadline"}
    assert data["detail_zh"]


def test_partial_update_goes_through_the_service(client_for, make_task, units):
    task = make_task(title="原标题", assign=False)
    client = client_for("supervisor")
    response = client.patch(f"/api/tasks/{task.pk}/", {"title": "新标题", "co_units": [units["edu"].pk],
                                                       "deadline_working_days": 20}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "新标题"
    assert [u["id"] for u in response.json()["co_units"]] == [units["edu"].pk]
    entry = AuditEntry.objects.filter(action="task.update", object_id=str(task.pk)).get()
    assert entry.actor.username == "duchayuan"
    assert entry.before["title"] == "原标题" and entry.after["title"] == "新标题"
    client.post(f"/api/tasks/{task.pk}/assign/")
    refused = client.patch(f"/api/tasks/{task.pk}/", {"deadline": "2099-12-31"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["field"] == "deadline"
    assert "延期" in refused.json()["detail_zh"]


def test_no_put_and_no_delete(client_for, make_task):
    task = make_task()
    client = client_for("supervisor")
    assert client.put(f"/api/tasks/{task.pk}/", {"title": "x", "lead_units": [1]}, format="json").status_code == 405
    assert client.delete(f"/api/tasks/{task.pk}/").status_code == 405
    assert Task.objects.filter(pk=task.pk, status=Status.ASSIGNED).exists()


def test_sources_create_and_link(client_for, units):
    client = client_for("supervisor")
    created = client.post("/api/sources/", {"title": "全市重点工作推进会讲话", "kind": "speech",
                                            "date": "2026-03-01", "speaker": "周市长"}, format="json")
    assert created.status_code == 201, created.content
    src = created.json()
    assert src["created_by"]["name"] == "张督查"
    bad = client.post("/api/sources/", {"title": "x", "kind": "nonsense"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "kind"
    task = client.post("/api/tasks/", {"title": "来源任务", "lead_units": [units["fgw"].pk], "source": src["id"]},
                       format="json").json()
    assert task["source"] == src["id"]
    assert [t for t in client.get(f"/api/tasks/?source={src['id']}").json()["results"]] != []
    # The liaison of the lead unit sees the source through the task; another liaison does not.
    assert client_for("fgw").get(f"/api/sources/{src['id']}/").status_code == 200
    assert client_for("edu").get(f"/api/sources/{src['id']}/").status_code == 404


def test_tags_are_kept_once_each_and_bounded(client_for, make_task):
    # PATCH {"tags": ["t", "t", … 5000 times]} was stored as 5000 tags; now each tag is kept once and
    # more than 20 distinct tags are refused with nothing written
    task = make_task(title="标签任务", assign=False)
    client = client_for("supervisor")
    response = client.patch(f"/api/tasks/{task.pk}/", {"tags": ["民生", " 民生 ", "重点"] * 2000}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["民生", "重点"]
    audits = AuditEntry.objects.count()
    refused = client.patch(f"/api/tasks/{task.pk}/", {"tags": [f"标签{i}" for i in range(21)]}, format="json")
    assert refused.status_code == 400
    assert refused.json()["detail_zh"] == "标签最多20个" and refused.json()["field"] == "tags"
    assert Task.objects.get(pk=task.pk).tags == ["民生", "重点"] and AuditEntry.objects.count() == audits
    created = client.post("/api/tasks/", {"title": "新任务", "lead_units": [task.lead_units.first().pk],
                                          "tags": [f"标签{i}" for i in range(21)]}, format="json")
    assert created.status_code == 400 and created.json()["detail_zh"] == "标签最多20个"
    assert not Task.objects.filter(title="新任务").exists()
