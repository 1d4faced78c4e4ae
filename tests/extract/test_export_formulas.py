"""The extractor's 台账 .xlsx goes through the one safe writer: text that looks like a formula stays text."""
from __future__ import annotations

import zipfile

import openpyxl

from luoshi.extract.export import to_xlsx


def test_formula_like_task_text_is_written_as_text(tmp_path):
    task = {"kind": "action", "text": '=HYPERLINK("http://evil.example/","点击")各单位要按时报送', "lead_units": ["@市发改委"],
            "co_units": [], "deadline": None, "targets": [], "section": ["-一、总体要求"]}
    out = tmp_path / "t.xlsx"
    to_xlsx([{"documents": [{"tasks": [task]}]}], out)
    with zipfile.ZipFile(out) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    row = [c.value for c in openpyxl.load_workbook(out).active[2]]
    assert row[1] == task["text"] and row[2] == "@市发改委" and row[6] == "-一、总体要求"
