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


class _FormParser:
    """Collect what a browser would submit for <form id=form_id> (no button value)."""

    def __init__(self, html: str, form_id: str):
        from html.parser import HTMLParser

        fields: list[tuple[str, str]] = []
        state = {"in_form": False, "select": None, "selected": None, "first": None, "textarea": None, "text": ""}

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "form":
                    state["in_form"] = a.get("id") == form_id
                if not state["in_form"]:
                    return
                if tag == "input" and a.get("name"):
                    t = a.get("type", "text")
                    if t in ("submit", "button", "file"):
                        return
                    if t == "checkbox" and "checked" not in a:
                        return
                    fields.append((a["name"], a.get("value", "")))
                elif tag == "select":
                    state.update(select=a.get("name"), selected=None, first=None)
                elif tag == "option" and state["select"]:
                    if state["first"] is None:
                        state["first"] = a.get("value", "")
                    if "selected" in a:
                        state["selected"] = a.get("value", "")
                elif tag == "textarea":
                    state.update(textarea=a.get("name"), text="")

            def handle_endtag(self, tag):
                if tag == "form":
                    state["in_form"] = False
                elif tag == "select" and state["select"]:
                    fields.append((state["select"], state["selected"] if state["selected"] is not None
                                   else (state["first"] or "")))
                    state["select"] = None
                elif tag == "textarea" and state["textarea"]:
                    fields.append((state["textarea"], state["text"]))
                    state["textarea"] = None

            def handle_data(self, data):
                if state["textarea"]:
                    state["text"] += data

        P(convert_charrefs=True).feed(html)
        self.fields = fields


def form_data(client, url: str, form_id: str = "rv-form", **overrides) -> dict:
    """The review form as the page renders it (like an unchanged browser submit), with overrides."""
    from django.utils.datastructures import MultiValueDict

    resp = client.get(url)
    assert resp.status_code == 200
    data = MultiValueDict()
    for name, value in _FormParser(resp.content.decode(), form_id).fields:
        data.appendlist(name, value)
    out = {k: data.getlist(k) for k in data}
    for k, v in overrides.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out
