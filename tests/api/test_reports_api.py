"""Progress reports (进展反馈) over the API: POST appends, GET is the history, newest first."""
import pytest

from luoshi.audit.models import AuditEntry
from luoshi.ledger.models import ProgressReport, Task
from luoshi.ledger.services import do_sign_task


@pytest.fixture
def signed(make_task, users):
    task = make_task(lead=("fgw",), co=("edu",))
    do_sign_task(users["fgw"], task)
    return task


def test_reports_append_to_history(client_for, signed):
    fgw = client_for("fgw")
    url = f"/api/tasks/{signed.pk}/reports/"
    for text, pct in [("完成方案起草", 20), ("征求意见", 45)]:
        response = fgw.post(url, {"text": text, "percent": pct, "problems": "资金缺口", "next_steps": "报批"},
                            format="json")
        assert response.status_code == 201, response.content
        assert response.json()["unit"]["name"] == "市发展和改革委员会"
        assert response.json()["author"]["name"] == "李联络"
    history = client_for("supervisor").get(url).json()
    assert history["count"] == 2
    assert [(r["text"], r["percent"]) for r in history["results"]] == [("征求意见", 45), ("完成方案起草", 20)]
    task = Task.objects.get(pk=signed.pk)
    assert (task.status, task.progress) == ("in_progress", 45)
    entry = AuditEntry.objects.filter(action="report.create").order_by("-seq").first()
    assert entry.actor.username == "fgw_liaison"
    assert entry.after["text"] == "征求意见"


def test_co_unit_reports_without_changing_progress(client_for, signed):
    response = client_for("edu").post(f"/api/tasks/{signed.pk}/reports/", {"text": "配合完成数据报送", "percent": 80},
                                      format="json")
    assert response.status_code == 201
    task = Task.objects.get(pk=signed.pk)
    assert (task.status, task.progress) == ("signed", 0)
    assert client_for("fgw").get(f"/api/tasks/{signed.pk}/reports/").json()["results"][0]["unit"]["name"] == "市教育局"


@pytest.mark.parametrize("body,field", [
    ({"text": "进展", "percent": 101}, "percent"),
    ({"text": "进展", "percent": -1}, "percent"),
    ({"text": "", "percent": 10}, "progress text"),
    ({"text": "<img src=x onerror=alert(1)>", "percent": 10}, "progress text"),
    ({"text": "进展"}, "percent"),
    ({"text": "进展", "percent": "很多"}, "percent"),
])
def test_bad_reports_are_400_and_not_saved(client_for, signed, body, field):
    response = client_for("fgw").post(f"/api/tasks/{signed.pk}/reports/", body, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["detail_zh"]
    assert not ProgressReport.objects.exists()


def test_report_before_signing_is_refused(client_for, make_task):
    task = make_task()
    response = client_for("fgw").post(f"/api/tasks/{task.pk}/reports/", {"text": "进展", "percent": 5}, format="json")
    assert response.status_code == 400
    assert "签收后才能报送进展" in response.json()["detail_zh"]


def test_other_units_cannot_read_or_write_reports(client_for, signed):
    client_for("fgw").post(f"/api/tasks/{signed.pk}/reports/", {"text": "内部进展", "percent": 10}, format="json")
    jia = client_for("jia")
    assert jia.get(f"/api/tasks/{signed.pk}/reports/").status_code == 404
    assert jia.post(f"/api/tasks/{signed.pk}/reports/", {"text": "x", "percent": 1}, format="json").status_code == 404
    assert ProgressReport.objects.count() == 1
