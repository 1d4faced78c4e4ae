"""导出Excel exports exactly the filtered rows the user may see."""
from __future__ import annotations

import io

import openpyxl

from luoshi.ledger import services as svc
from luoshi.ledger.exports import LEDGER_HEADERS

from tests.conftest import page_text


def rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[2]] == LEDGER_HEADERS
    return [r for r in ws.iter_rows(min_row=3, values_only=True)]


def test_export_matches_filters(users, units, make_task, client_for):
    a = make_task(title="发改委任务甲", lead=("fgw",), deadline_working_days=10)
    make_task(title="教育局任务", lead=("edu",), deadline_working_days=10)
    c_ = make_task(title="发改委任务乙", lead=("fgw",), deadline_working_days=10)
    svc.do_sign_task(users["fgw"], c_)
    svc.do_report_progress(users["fgw"], c_, text="已启动", percent=30)
    c = client_for("supervisor")
    assert len(rows(c.get("/ledger/export.xlsx"))) == 3
    got = rows(c.get("/ledger/export.xlsx", {"unit": units["fgw"].pk}))
    assert sorted(r[1] for r in got) == ["发改委任务乙", "发改委任务甲"]
    got = rows(c.get("/ledger/export.xlsx", {"unit": units["fgw"].pk, "status": "in_progress"}))
    assert [r[1] for r in got] == ["发改委任务乙"]
    assert got[0][5] == "已启动(进度30%)" and got[0][6] == "办理中"
    got = rows(c.get("/ledger/export.xlsx", {"q": "甲"}))
    assert [r[1] for r in got] == ["发改委任务甲"] and got[0][2] == "市发展改革委"
    assert a.deadline.isoformat() in got[0][4]


def test_export_link_carries_filters(users, units, client_for):
    body = page_text(client_for("supervisor").get("/ledger/", {"unit": units["fgw"].pk, "q": "改造",
                                                               "sort": "deadline"}))
    link = body[body.index('href="/ledger/export.xlsx'):].split('"')[1]
    assert f"unit={units['fgw'].pk}" in link and "q=" in link and "sort" not in link


def test_export_never_exceeds_visibility(users, units, make_task, client_for):
    make_task(title="教育局任务", lead=("edu",))
    make_task(title="发改委任务", lead=("fgw",))
    got = rows(client_for("fgw").get("/ledger/export.xlsx", {"unit": units["edu"].pk}))
    assert got == []
    got = rows(client_for("fgw").get("/ledger/export.xlsx"))
    assert [r[1] for r in got] == ["发改委任务"]
