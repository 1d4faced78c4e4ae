"""Fixtures for the speech import review screen (讲话稿导入审核).

The speech is dated next year so "6月底前" is never in the past whatever today is.
"""
from __future__ import annotations

import datetime as dt
import io

import pytest

YEAR = dt.date.today().year + 1


def speech_text(year: int = YEAR) -> str:
    return f"""{year}年全市营商环境优化提升工作方案
{year}年1月15日

一、主要任务
（一）深化“一网通办”改革。全面推行政务服务事项网上办理，网上可办率达到95%以上（牵头单位：市发改委，配合单位：市教育局）。6月底前完成全市政务服务事项梳理（牵头单位：市发改委）。
（二）加强学校周边环境整治。建立校园周边安全隐患排查机制，每月28日前报送整治进展（牵头单位：市教育局，配合单位：市城管局）。
（三）推进项目审批提速。甲区要在10个工作日内完成重点项目审批流程再造（牵头单位：甲区，配合单位：市发改委）。
二、保障措施
各部门要坚持以人民为中心的发展思想，牢固树立服务意识。
"""


@pytest.fixture
def speech():
    return speech_text()


def docx_bytes(paragraphs) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture
def sup_client(client, users):
    client.force_login(users["supervisor"])
    return client


def row_of(draft, needle: str, doc_index: int = 0):
    """(index, row) of the first row whose text contains `needle`."""
    for i, row in enumerate(draft.document(doc_index)["tasks"]):
        if needle in row["text"]:
            return i, row
    raise AssertionError(f"no row contains {needle!r}")
