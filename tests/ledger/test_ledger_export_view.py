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


def test_progress_text_cannot_become_a_formula_in_the_ledger(users, make_task, client_for):
    import zipfile

    task = make_task(title="=cmd|' /C calc'!A0", lead=("fgw",), deadline_working_days=10)
    svc.do_sign_task(users["fgw"], task)
    svc.do_report_progress(users["fgw"], task, text='=HYPERLINK("http://evil.example/","点此")', percent=20)
    for url in ("/ledger/export.xlsx", "/api/ledger.xlsx"):
        response = client_for("supervisor").get(url)
        with zipfile.ZipFile(io.BytesIO(response.content)) as z:
            assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
        got = rows(response)
        assert got[0][1] == "=cmd|' /C calc'!A0"
        assert got[0][5].startswith('=HYPERLINK("http://evil.example/"')


def test_ledger_export_marks_overdue_rows_and_prints_on_a4_landscape(users, units, make_task, client_for):
    import datetime as dt

    from luoshi.ledger.models import Source, Task
    from luoshi.workcal.services import working_days_between

    source = Source.objects.create(title="市政府第12次常务会议纪要")
    late = make_task(title="逾期任务", lead=("fgw",), deadline=dt.date.today() + dt.timedelta(days=30))
    Task.objects.filter(pk=late.pk).update(deadline=dt.date.today() - dt.timedelta(days=14), source=source)
    make_task(title="正常任务", lead=("edu",), deadline=dt.date.today() + dt.timedelta(days=30))
    response = client_for("supervisor").get("/ledger/export.xlsx")
    got = {r[1]: r for r in rows(response)}
    days = working_days_between(dt.date.today() - dt.timedelta(days=14), dt.date.today())
    assert got["逾期任务"][7] == late.number and got["逾期任务"][8] == "市政府第12次常务会议纪要"
    assert got["逾期任务"][9] == f"已逾期{days}个工作日" and days >= 8
    assert got["正常任务"][9] in (None, "")
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    fills = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=2).fill.fgColor.rgb for r in (3, 4)}
    assert fills["逾期任务"].endswith("FDE2E1") and not str(fills["正常任务"]).endswith("FDE2E1")
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert ws.print_title_rows.replace("$", "") == "1:2"
