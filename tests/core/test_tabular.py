"""Exports never carry a live formula from user text (CSV/formula injection)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl

from luoshi.core.tabular import append_row, csv_row, is_formula_like

HOSTILE = ['=HYPERLINK("http://evil.example/","点击查看")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def test_formula_like_text_is_written_as_text_in_xlsx():
    wb = openpyxl.Workbook()
    ws = wb.active
    append_row(ws, ["序号", "进展情况"])
    for i, text in enumerate(HOSTILE, start=1):
        append_row(ws, [i, text])
    append_row(ws, [99, "正常文字=不是公式", -5, 3.5, dt.date(2026, 11, 30), None])
    buf = io.BytesIO()
    wb.save(buf)
    assert "<f>" not in _sheet_xml(buf.getvalue())  # not one formula in the file
    back = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    got = [r[1] for r in back.iter_rows(min_row=2, max_row=len(HOSTILE) + 1, values_only=True)]
    assert got == HOSTILE
    last = [c.value for c in back[len(HOSTILE) + 2]]
    assert last[:4] == [99, "正常文字=不是公式", -5, 3.5]  # numbers stay numbers, negative ones too
    assert last[4].date() == dt.date(2026, 11, 30)


def test_formula_like_text_is_quoted_in_csv():
    buf = io.StringIO()
    writer = csv.writer(buf)
    for text in HOSTILE:
        writer.writerow(csv_row([text, 7]))
    rows = list(csv.reader(io.StringIO(buf.getvalue())))
    assert [r[0] for r in rows] == ["'" + t for t in HOSTILE]
    assert all(r[1] == "7" for r in rows)
    assert not is_formula_like("正常") and not is_formula_like(-3) and is_formula_like("=1")
