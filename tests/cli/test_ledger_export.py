"""`luoshi ledger export --xlsx FILE [--unit NAME] [--status S]`."""
from __future__ import annotations

import openpyxl
import pytest
from django.core.management.base import CommandError

from luoshi.ledger.exports import LEDGER_HEADERS
from luoshi.ledger.services import do_sign_task

from .conftest import run

pytestmark = pytest.mark.django_db


def titles(path):
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[1]) == LEDGER_HEADERS
    return [r[1] for r in rows[2:]]


@pytest.fixture
def ledger(make_task, users):
    a = make_task(title="市发改委牵头:清理行政审批中介服务", lead=("fgw",))
    do_sign_task(users["fgw"], a)
    make_task(title="教育局牵头:社区学校建设", lead=("edu",), co=("fgw",))
    make_task(title="东街道:便民服务圈建设", lead=("dong",))
    make_task(title="乙县:乡镇便民服务中心标准化", lead=("yi",), assign=False)


def test_export_everything(ledger, tmp_path):
    path = tmp_path / "ledger.xlsx"
    assert "exported 4 tasks" in run("ledger", "export", "--xlsx", str(path))
    assert sorted(titles(path)) == sorted(["市发改委牵头:清理行政审批中介服务", "教育局牵头:社区学校建设",
                                           "东街道:便民服务圈建设", "乙县:乡镇便民服务中心标准化"])


def test_filter_by_unit_alias_subtree_and_status(ledger, tmp_path):
    path = str(tmp_path / "l.xlsx")
    run("ledger", "export", "--xlsx", path, "--unit", "市发改委")  # alias; lead or co-unit
    assert sorted(titles(path)) == sorted(["市发改委牵头:清理行政审批中介服务", "教育局牵头:社区学校建设"])
    run("ledger", "export", "--xlsx", path, "--unit", "甲区")  # the district and the units under it
    assert titles(path) == ["东街道:便民服务圈建设"]
    run("ledger", "export", "--xlsx", path, "--status", "已签收")
    assert titles(path) == ["市发改委牵头:清理行政审批中介服务"]
    run("ledger", "export", "--xlsx", path, "--status", "assigned", "--status", "draft")
    assert len(titles(path)) == 3
    run("ledger", "export", "--xlsx", path, "--unit", "市发改委", "--status", "assigned")
    assert titles(path) == ["教育局牵头:社区学校建设"]


def test_refusals(ledger, tmp_path):
    with pytest.raises(CommandError, match="unknown unit '市外星局'"):
        run("ledger", "export", "--xlsx", str(tmp_path / "x.xlsx"), "--unit", "市外星局")
    with pytest.raises(CommandError, match="unknown status 'finished'"):
        run("ledger", "export", "--xlsx", str(tmp_path / "x.xlsx"), "--status", "finished")
    with pytest.raises(CommandError, match="must end in .xlsx"):
        run("ledger", "export", "--xlsx", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="cannot write"):
        run("ledger", "export", "--xlsx", str(tmp_path / "no" / "such" / "dir" / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()
