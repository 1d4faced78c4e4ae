"""`luoshi units import/export/sample`: the 临江市 sample tree, round trips, and refused files."""
from __future__ import annotations

import openpyxl
import pytest
from django.core.management.base import CommandError

from luoshi.audit.models import AuditEntry
from luoshi.orgs.importexport import COLUMNS, UnitImportError, import_units, load_sample_units
from luoshi.orgs.models import Unit, UnitKind
from luoshi.orgs.services import match_units

from .conftest import luoshi, run

pytestmark = pytest.mark.django_db


def write_xlsx(path, rows, header=COLUMNS):
    wb = openpyxl.Workbook()
    ws = wb.active
    if header:
        ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return str(path)


def test_sample_tree_is_a_realistic_city():
    result = load_sample_units()
    assert result.created == Unit.objects.count() > 150
    kinds = {k: Unit.objects.filter(kind=k).count() for k in UnitKind.values}
    assert kinds["city"] == 1
    assert 55 <= kinds["city_dept"] <= 70
    assert kinds["county"] == 10
    assert kinds["vertical"] >= 5
    assert 90 <= kinds["town"] <= 110
    found = match_units(["市发改委", "市发展改革委", "市发展和改革委员会", "市政务服务管理局", "市委组织部",
                         "市税务局", "滨江街道", "市效能办", "市纪委监委"])
    assert found["市发改委"].name == "临江市发展和改革委员会"
    assert found["市发展改革委"] == found["市发改委"]
    assert found["市政务服务管理局"].name == "临江市政务服务中心"
    assert found["市税务局"].kind == UnitKind.VERTICAL
    assert found["滨江街道"].parent.short_names == ["江城区"]
    assert all(found.values())
    for town in Unit.objects.filter(kind=UnitKind.TOWN):
        assert town.parent.kind == UnitKind.COUNTY


def test_export_then_import_round_trips_and_is_idempotent(tmp_path):
    load_sample_units()
    path = str(tmp_path / "units.xlsx")
    assert "exported" in run("units", "export", path)
    entries = AuditEntry.objects.count()
    out = run("units", "import", path)
    assert "0 created, 0 updated" in out
    assert AuditEntry.objects.count() == entries  # nothing rewritten

    wb = openpyxl.load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == COLUMNS
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "临江市教育局":
            row[2].value = "市教体局、市教委"
            row[7].value = "否"
    ws.append(["临江市新型工业化促进中心", "市工业促进中心", "", "市直部门", "市工信局", "", 999, "是"])
    wb.save(path)
    out = run("units", "import", path)
    assert "1 created, 1 updated" in out
    edu = Unit.objects.get(name="临江市教育局")
    assert edu.aliases == ["市教体局", "市教委"] and edu.is_active is False
    new = Unit.objects.get(name="临江市新型工业化促进中心")
    assert new.parent.name == "临江市工业和信息化局"
    assert "0 created, 0 updated" in run("units", "import", path)

    again = str(tmp_path / "again.xlsx")
    run("units", "export", again)
    rows = list(openpyxl.load_workbook(again).active.iter_rows(values_only=True))
    assert len(rows) == Unit.objects.count() + 1
    assert ("临江市新型工业化促进中心", "市工业促进中心", None, "市直部门", "临江市工业和信息化局", None, 999, "是") in rows
    assert "0 created, 0 updated" in run("units", "import", again)


def test_sample_xlsx_imports_into_empty_database(tmp_path):
    path = str(tmp_path / "sample.xlsx")
    run("units", "sample", path)
    assert Unit.objects.count() == 0
    out = run("units", "import", path)
    assert f"{Unit.objects.count()} created" in out and Unit.objects.count() > 150


BASE = [
    ["临江市人民政府", "市政府", "", "市级", "", "990100", 1, "是"],
    ["临江市发展和改革委员会", "市发展改革委", "市发改委", "市直部门", "临江市人民政府", "", 2, "是"],
]


@pytest.mark.parametrize("rows, expect_en, expect_zh", [
    (BASE + [["临江市发展和改革委员会", "", "", "市直部门", "市政府", "", 3, "是"]],
     "appears twice (rows 3 and 4)", "重复出现"),
    (BASE + [["临江市物价局", "", "市发改委", "市直部门", "市政府", "", 3, "是"]],
     "name '市发改委' is also used by '临江市发展和改革委员会'", "重复"),
    (BASE + [["临江市物价局", "", "", "市直部门", "临江省人民政府", "", 3, "是"]],
     "row 4: unknown parent unit '临江省人民政府'", "上级单位“临江省人民政府”不存在"),
    (BASE + [["甲", "", "", "市直部门", "乙", "", 3, "是"], ["乙", "", "", "市直部门", "甲", "", 4, "是"]],
     "forms a cycle", "形成循环"),
    (BASE + [["临江市物价局", "", "", "事业单位", "市政府", "", 3, "是"]],
     "unknown unit kind '事业单位'", "未知的单位类型“事业单位”"),
    (BASE + [["临江市<script>局", "", "", "市直部门", "市政府", "", 3, "是"]],
     "must not contain HTML", "不能包含HTML"),
    (BASE + [["临江市物价局", "", "", "市直部门", "市政府", "", 3, "也许"]],
     "启用 must be 是 or 否", "“启用”应填“是”或“否”"),
])
def test_bad_rows_refuse_the_whole_file(tmp_path, rows, expect_en, expect_zh):
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    with pytest.raises(CommandError) as err:
        run("units", "import", path)
    assert expect_en in str(err.value) and "nothing was imported" in str(err.value)
    assert Unit.objects.count() == 0 and AuditEntry.objects.count() == 0
    with pytest.raises(UnitImportError) as err2:
        import_units(path)
    assert expect_zh in err2.value.message_zh


def test_missing_header_and_corrupt_file(tmp_path):
    no_header = write_xlsx(tmp_path / "nohead.xlsx", BASE, header=None)
    with pytest.raises(CommandError, match="missing column"):
        run("units", "import", no_header)
    wrong = write_xlsx(tmp_path / "wrong.xlsx", BASE, header=["名称", "简称", "别名", "类型"])
    with pytest.raises(UnitImportError) as err:
        import_units(wrong)
    assert "缺少列" in err.value.message_zh and "单位全称" in err.value.message_zh
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(CommandError, match="not a valid .xlsx workbook"):
        run("units", "import", str(corrupt))
    with pytest.raises(CommandError, match="file not found"):
        run("units", "import", str(tmp_path / "nope.xlsx"))
    assert Unit.objects.count() == 0


def test_clash_with_existing_unit_and_cycle_through_database(tmp_path):
    load_sample_units()
    count = Unit.objects.count()
    clash = write_xlsx(tmp_path / "clash.xlsx", [["临江市价格监督局", "", "市发改委", "市直部门", "市政府", "", 1, "是"]])
    with pytest.raises(CommandError, match="already used by the existing unit '临江市发展和改革委员会'"):
        run("units", "import", clash)
    # the city government made a child of one of its own towns
    cycle = write_xlsx(tmp_path / "cycle.xlsx", [["临江市人民政府", "市政府", "", "市级", "滨江街道", "", 1, "是"]])
    with pytest.raises(CommandError, match="forms a cycle"):
        run("units", "import", cycle)
    assert Unit.objects.count() == count
    assert Unit.objects.get(name="临江市人民政府").parent is None


def test_cli_error_is_one_english_line(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    proc = luoshi("units", "import", str(bad), data_dir=tmp_path / "data")
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "not a valid .xlsx workbook" in lines[0]
    assert "Traceback" not in proc.stderr


# ---- merged cells, kind/parent disagreements, --check plans ------------------

def _merged_parent_book(path):
    """A 区县 block whose 上级单位 is one cell merged down three rows, as offices lay it out."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位全称", "简称", "类型", "上级单位"])
    ws.append(["东湖市人民政府", "东湖市政府", "市", None])
    ws.append(["东湖市北岸区人民政府", "北岸区", "区县", "东湖市人民政府"])
    ws.append(["东湖市南山县人民政府", "南山县", "区县", None])
    ws.append(["东湖市西坡区人民政府", "西坡区", "区县", None])
    ws.append(["北岸区临湖街道办事处", "临湖街道", "乡镇/街道", "东湖市北岸区人民政府"])
    ws.merge_cells("D3:D5")
    wb.save(path)
    return str(path)


def test_merged_parent_cell_is_filled_down_never_a_root(tmp_path):
    path = _merged_parent_book(tmp_path / "merged.xlsx")
    out = run("units", "import", path, "--check")
    assert "rows 3-5: 上级单位 is a merged cell; filled down with '东湖市人民政府'" in out
    assert "would create 东湖市南山县人民政府" in out
    assert "would create 5, update 0" in out
    assert not Unit.objects.exists()  # --check writes nothing
    out = run("units", "import", path)
    assert "filled down" in out and "5 created" in out
    city = Unit.objects.get(name="东湖市人民政府")
    for name in ("东湖市北岸区人民政府", "东湖市南山县人民政府", "东湖市西坡区人民政府"):
        assert Unit.objects.get(name=name).parent == city
    assert list(Unit.objects.filter(parent=None)) == [city]


def test_empty_merged_parent_block_is_reported_by_check_and_import(tmp_path):
    # Two 市 rows share an empty merged 上级单位 (the block was merged before anyone typed the parent):
    # they become top-level units, and both --check and the import say so with the rows.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位全称", "简称", "类型", "上级单位"])
    ws.append(["东湖市人民政府", "东湖市政府", "市", None])
    ws.append(["东湖市北岸区人民政府", "北岸区", "区县", None])
    ws.append(["东湖市南山县人民政府", "南山县", "区县", None])
    ws.append(["北岸区临湖街道办事处", "临湖街道", "乡镇/街道", "东湖市北岸区人民政府"])
    ws.merge_cells("D3:D4")
    path = str(tmp_path / "empty-merge.xlsx")
    wb.save(path)
    said = "rows 3-4: 上级单位 is a merged cell with no value; these units get no parent (top level)"
    out = run("units", "import", path, "--check")
    assert said in out and "would create 4" in out
    assert not Unit.objects.exists()
    out = run("units", "import", path)
    assert said in out and "4 created" in out
    roots = set(Unit.objects.filter(parent=None).values_list("name", flat=True))
    assert roots == {"东湖市人民政府", "东湖市北岸区人民政府", "东湖市南山县人民政府"}
    # The library call (here a re-import, nothing changed) carries the same note, in Chinese too.
    result = import_units(path)
    assert result.unchanged == 4
    assert [(row, zh) for row, _en, zh in result.notes] == [
        (3, "第3-4行的“上级单位”是空的合并单元格:这些单位将没有上级单位(作为顶级单位),如有上级请填写")]


def test_shared_input_with_merged_parent(tmp_path):
    import shutil
    from pathlib import Path

    shared = Path(__file__).resolve().parents[2].parent / "shared" / "inputs" / "units-merged-parent.xlsx"
    if not shared.exists():
        pytest.skip("../shared/inputs is not beside the checkout")
    path = shutil.copy(shared, tmp_path / "u.xlsx")
    import_units(str(path))
    city = Unit.objects.get(name="临江市人民政府")
    assert {u.name for u in Unit.objects.filter(parent=city)} >= {
        "临江市江城区人民政府", "临江市青石县人民政府", "临江市白沙区人民政府"}


def test_kind_and_parent_that_disagree_are_flagged(tmp_path):
    path = write_xlsx(tmp_path / "odd.xlsx", [
        ["某市人民政府", "", "", "市", "", "", "", ""],
        ["某市财政局", "", "", "市直部门", "某市人民政府", "", "", ""],
        ["某镇人民政府", "", "", "乡镇/街道", "某市财政局", "", "", ""],
    ])
    out = run("units", "import", path, "--check")
    assert "warning: row 4: '某镇人民政府' is a town under '某市财政局', a city_dept" in out
    result = import_units(path)
    assert result.created == 3
    assert [zh for _, _, zh in result.warnings] == [
        "“某镇人民政府”类型为乡镇/街道,其上级单位“某市财政局”却是市直部门,请核对类型或上级单位"]


def test_check_reports_what_a_reimport_would_change(tmp_path):
    load_sample_units()
    out_path = tmp_path / "all.xlsx"
    run("units", "export", str(out_path))
    wb = openpyxl.load_workbook(out_path)
    ws = wb.active
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "临江市发展和改革委员会":
            row[2].value = (row[2].value or "") + "、发改"
    wb.save(out_path)
    out = run("units", "import", str(out_path), "--check")
    assert "would update 临江市发展和改革委员会: 别名" in out
    assert "would create 0, update 1" in out
    assert "发改" not in Unit.objects.get(name="临江市发展和改革委员会").aliases


def test_long_alias_lists_are_handled_in_linear_time(tmp_path):
    import time

    from luoshi.orgs.importexport import parse_rows

    def timed(n):
        aliases = "、".join(f"别名{i}" for i in range(n))
        rows = [COLUMNS, ["某单位", "", aliases, "市直部门", "", "", "", ""]]
        best = None
        for _ in range(3):  # best of three: the machine may be busy
            t = time.perf_counter()
            parsed = parse_rows(rows)
            best = min(best or 1e9, time.perf_counter() - t)
        assert len(parsed[0].aliases) == n
        return best

    small, large = timed(10_000), timed(100_000)
    assert large < small * 40  # linear is ~10×; the old quadratic handling was ~100×
