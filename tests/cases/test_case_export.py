"""Case exports (.xlsx/.csv): scope rule, reporter redacted for the units concerned, no live formula."""
from __future__ import annotations

import csv
import io

from django.test import Client
from openpyxl import load_workbook

from luoshi.cases import services as svc
from tests.conftest import PASSWORD

from .conftest import COMPLAINANT

EVIL = '=HYPERLINK("http://evil.example/","点击查看")'


def login(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def xlsx_rows(resp):
    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb.active
    return ws, [[c.value for c in row] for row in ws.iter_rows()]


def csv_rows(resp):
    text = resp.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_scope_privacy_and_formulas(new_case, office, units, users):
    problem, _ = new_case(description=EVIL, address="+1+1甲区人民路", reporter_name="@SUM(A1)", reporter_phone="13800000001")
    svc.do_dispatch_case(office["dispatcher"], problem, unit=units["dong"])
    complaint, _ = new_case(kind="complaint", description="-窗口推诿")
    svc.do_dispatch_case(office["dispatcher"], complaint, unit=units["yi"])
    # office: both, reporter shown; formula-like text stays text
    ws, rows = xlsx_rows(login(office["dispatcher"]).get("/cases/export.xlsx"))
    assert rows[0][0] == "案件编号" and {r[0] for r in rows[1:]} == {problem.number, complaint.number}
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
    by = {r[0]: r for r in rows[1:]}
    assert by[problem.number][6] == EVIL and by[problem.number][5] == "+1+1甲区人民路"
    assert by[complaint.number][7] == COMPLAINANT["reporter_name"]
    rows = csv_rows(login(office["dispatcher"]).get("/cases/export.csv"))
    by = {r[0]: r for r in rows[1:]}
    assert by[problem.number][6] == "'" + EVIL and by[problem.number][7] == "'@SUM(A1)"
    assert by[complaint.number][6] == "'-窗口推诿"
    # the handling unit (dong): its case only, reporter redacted
    for url, read in (("/cases/export.xlsx", lambda r: xlsx_rows(r)[1]), ("/cases/export.csv", csv_rows)):
        rows = read(login(users["dong"]).get(url))
        assert [r[0] for r in rows[1:]] == [problem.number], url
        assert rows[1][7] == "(已隐去)" and "13800000001" not in str(rows)
        # the unit complained about (fgw): the complaint, never the complainant
        rows = read(login(users["fgw"]).get(url))
        assert [r[0] for r in rows[1:]] == [complaint.number], url
        flat = str(rows)
        assert not any(v in flat for v in COMPLAINANT.values()), url
        # another unit: nothing
        assert read(login(users["edu"]).get(url))[1:] == [], url
    # filters of the list apply
    rows = csv_rows(login(office["dispatcher"]).get("/cases/export.csv", {"kind": "complaint"}))
    assert [r[0] for r in rows[1:]] == [complaint.number]
    assert Client().get("/cases/export.csv").status_code in (302, 403)


def test_a_control_character_in_stored_text_does_not_break_the_workbook(new_case, office):
    # Text stored before check_plain_text refused control characters (\x01 …) is exported without them
    # (openpyxl refuses the whole workbook otherwise: the export was a 500).
    from luoshi.cases.models import Case

    case, _ = new_case()
    Case.objects.filter(pk=case.pk).update(description="旧\x01数据\x1b控制")
    c = Client()
    assert c.login(username=office["dispatcher"].username, password=PASSWORD)
    r = c.get("/cases/export.xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content) if r.streaming else r.content)).active
    assert "旧数据控制" in [cell.value for row in ws.iter_rows() for cell in row]
    r = c.get("/cases/export.csv")
    text = (b"".join(r.streaming_content) if r.streaming else r.content).decode("utf-8-sig")
    assert "旧数据控制" in text and "\x01" not in text


def test_csv_times_are_local_to_the_second(new_case, office):
    import re

    new_case()
    c = Client()
    assert c.login(username=office["dispatcher"].username, password=PASSWORD)
    r = c.get("/cases/export.csv")
    text = (b"".join(r.streaming_content) if r.streaming else r.content).decode("utf-8-sig")
    received = list(csv.reader(io.StringIO(text)))[1][4]                  # 受理时间
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", received), received
