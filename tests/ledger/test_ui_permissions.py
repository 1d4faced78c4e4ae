"""A liaison never reads another unit's task: not on the ledger, search,
export, task page, attachments or actions. Menus are not the only guard."""
from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.ledger import services as svc
from luoshi.ledger.models import Task

from tests.conftest import page_text


def _export_titles(response) -> list[str]:
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [r[1] for r in ws.iter_rows(min_row=3, values_only=True)]


def test_liaison_sees_only_own_unit(users, make_task, client_for):
    mine = make_task(title="发改委牵头任务", lead=("fgw",))
    co = make_task(title="发改委配合任务", lead=("edu",), co=("fgw",))
    other = make_task(title="教育局独有任务", lead=("edu",))
    c = client_for("fgw")
    body = page_text(c.get("/ledger/"))
    assert "发改委牵头任务" in body and "发改委配合任务" in body
    assert "教育局独有任务" not in body and other.number not in body
    assert "教育局独有任务" not in page_text(c.get("/ledger/", {"q": "教育局独有"}))
    assert "教育局独有任务" not in page_text(c.get("/ledger/", {"q": other.number}))
    assert c.get(f"/tasks/{other.pk}/").status_code == 404
    assert c.get(f"/tasks/{mine.pk}/").status_code == 200 and c.get(f"/tasks/{co.pk}/").status_code == 200
    titles = _export_titles(c.get("/ledger/export.xlsx"))
    assert sorted(titles) == sorted(["发改委牵头任务", "发改委配合任务"])
    assert "教育局独有任务" not in page_text(c.get("/workspace/"))


def test_liaison_cannot_act_on_other_units_task(users, make_task, client_for):
    other = make_task(title="教育局任务", lead=("edu",))
    c = client_for("fgw")
    for action in ("sign", "report", "request_completion", "approve", "suspend", "instruction"):
        r = c.post(f"/tasks/{other.pk}/do/{action}/", {"text": "x", "percent": 10, "reason": "x"})
        assert r.status_code == 404, action
    other.refresh_from_db()
    assert other.status == "assigned" and other.events.count() == 2


def test_visible_but_not_allowed_gives_chinese_403(users, make_task, client_for):
    task = make_task(title="配合任务", lead=("edu",), co=("fgw",))
    c = client_for("fgw")  # co-unit: may read, may not sign or approve
    r = c.post(f"/tasks/{task.pk}/do/sign/")
    assert r.status_code == 403 and "您无权签收此任务" in page_text(r)
    r = c.post(f"/tasks/{task.pk}/do/suspend/", {"reason": "不想办"})
    assert r.status_code == 403 and "您无权" in page_text(r)
    task.refresh_from_db()
    assert task.status == "assigned"


def test_supervisor_only_pages(users, client_for):
    for key in ("fgw", "leader"):
        c = client_for(key)
        for url in ("/tasks/new/", "/sources/", "/sources/new/", "/audit/"):
            r = c.get(url)
            assert r.status_code == 403, (key, url)
            assert "无权" in page_text(r)
    r = client_for("fgw").post("/tasks/new/", {"title": "偷偷立项"})
    assert r.status_code == 403
    assert not Task.objects.filter(title="偷偷立项").exists()


def test_attachments_follow_task_visibility(users, make_task, client_for):
    task = make_task(title="有附件的任务", lead=("edu",))
    svc.do_sign_task(users["edu"], task)
    rep = svc.do_report_progress(users["edu"], task, text="见附件", percent=10,
                                 attachment=SimpleUploadedFile("材料.txt", "内部材料".encode()))
    src = svc.do_create_source(users["supervisor"], title="会议纪要",
                               attachment=SimpleUploadedFile("纪要.txt", "纪要内容".encode()))
    r = client_for("edu").get(f"/reports/{rep.pk}/attachment/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == "内部材料".encode()
    assert client_for("fgw").get(f"/reports/{rep.pk}/attachment/").status_code == 404
    assert client_for("fgw").get(f"/sources/{src.pk}/attachment/").status_code == 404
    assert client_for("supervisor").get(f"/sources/{src.pk}/attachment/").status_code == 200


def test_leader_sees_subtree_only(users, make_task, client_for):
    make_task(title="甲区任务", lead=("dong",))
    make_task(title="乙县任务", lead=("nan",))
    body = page_text(client_for("jia_leader").get("/ledger/"))
    assert "甲区任务" in body and "乙县任务" not in body
    # the source filter does not leak titles of sources of invisible tasks
    src = svc.do_create_source(users["supervisor"], title="乙县专题会议")
    make_task(title="乙县任务二", lead=("nan",), source=src)
    assert "乙县专题会议" not in page_text(client_for("jia_leader").get("/ledger/"))


def test_leader_ledger_sorts_and_export(users, make_task, client_for):
    # visible_tasks is a DISTINCT query for leaders: every sort and the export must still work
    make_task(title="东街道任务", lead=("dong",), co=("xi",))
    make_task(title="西镇任务", lead=("xi",))
    make_task(title="南乡任务", lead=("nan",))
    c = client_for("jia_leader")
    for sort in ("", "deadline", "-deadline", "number", "-number", "status", "progress", "-progress"):
        body = page_text(c.get("/ledger/", {"sort": sort}))
        assert body.count("东街道任务") == 1 and "西镇任务" in body and "南乡任务" not in body, sort
    assert sorted(_export_titles(c.get("/ledger/export.xlsx"))) == ["东街道任务", "西镇任务"]
