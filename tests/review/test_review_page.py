"""Review page: text with colour-marked tasks linked to editable rows; units matched or flagged red."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from luoshi.review import services as svc
from luoshi.review.models import ImportDraft

from .conftest import row_of, speech_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users, speech):
    return svc.do_create_draft(users["supervisor"], text=speech)


def _page(client, draft) -> str:
    resp = client.get(reverse("review:draft", args=[draft.pk]))
    assert resp.status_code == 200
    return resp.content.decode()


def _row_html(page: str, i: int) -> str:
    start = page.index(f'id="row-{i}"')
    nxt = page.find('id="row-', start + 5)
    return page[start: nxt if nxt > 0 else len(page)]


def test_tasks_are_marked_in_text_and_linked_to_rows(sup_client, draft):
    page = _page(sup_client, draft)
    i, row = row_of(draft, "网上可办率达到95%以上")
    mark = re.search(rf'<a class="mk mk-(\w+)[^"]*" id="m-{i}" href="#row-{i}"[^>]*>(.*?)</a>', page)
    assert mark, "the task is highlighted in the text"
    assert mark.group(1) == row["kind"] == "action"
    assert "网上可办率达到95%以上" in mark.group(2)
    # the row links back to the mark and carries the editable fields
    html = _row_html(page, i)
    assert f'href="#m-{i}"' in html
    for field in ("include", "title", "kind", "section", "deadline", "wdays", "recurrence", "targets"):
        assert f'name="t{i}-{field}"' in html
    assert "网上可办率 &gt;= 95 %" in html
    # a heading is marked as well, untinted for import (mk-off)
    j, heading = row_of(draft, "二、保障措施")
    assert re.search(rf'class="mk mk-{heading["kind"]} mk-off" id="m-{j}"', page)


def test_every_row_has_a_mark(sup_client, draft):
    page = _page(sup_client, draft)
    n = len(draft.document()["tasks"])
    assert n >= 6
    assert sorted(int(x) for x in re.findall(r'class="mk [^"]*" id="m-(\d+)"', page)) == list(range(n))


def _handmade_draft(user):
    """A draft whose extraction is written by hand, so unit matching is tested whatever the extractor finds."""
    text = "一、重点工作\n市发改委牵头、市教育局和市城管局配合,6月底前完成梳理。\n"
    s = text.index("市发改委")
    extraction = {"schema": "luoshi.extract/1", "source": "t", "documents": [{
        "title": "方案", "speaker": None, "date": None, "text": text, "outline": [],
        "tasks": [{"id": "d1-t1", "text": text[s:].strip(), "kind": "action", "section": ["重点工作"],
                   "lead_units": ["市发改委"], "co_units": ["市教育局", "市城管局", "甲区发改局"],
                   "deadline": {"text": "6月底前", "date": None, "recurrence": None}, "targets": [],
                   "start": s, "end": len(text) - 1}]}]}
    return ImportDraft.objects.create(uploaded_by=user, extraction=svc.prepare(extraction))


def test_matched_units_ticked_and_unmatched_flagged_with_picker(sup_client, users, units):
    draft = _handmade_draft(users["supervisor"])
    html = _row_html(_page(sup_client, draft), 0)
    # matched by alias (市发改委), full name (市教育局) and short name (甲区发改局): ticked chips
    assert 'name="t0-lead" value="%d" checked' % units["fgw"].pk in html
    assert 'name="t0-co" value="%d" checked' % units["edu"].pk in html
    assert 'name="t0-co" value="%d" checked' % units["jia_fg"].pk in html
    # 市城管局 is not in the unit tree: shown in red with a picker of the tree grouped by parent
    assert re.search(r'class="rv-unit bad"[^>]*>市城管局', html)
    pick = re.search(r'<select name="t0-copick-0"[^>]*>(.*?)</select>', html, re.S)
    assert pick
    assert '<optgroup label="某市人民政府">' in pick.group(1)
    assert f'<option value="{units["edu"].pk}">市教育局</option>' in pick.group(1)
    jia_group = pick.group(1).split('<optgroup label="甲区人民政府">')[1].split("</optgroup>")[0]
    assert f'<option value="{units["dong"].pk}">' in jia_group
    assert html.count("rv-unit bad") == 1


def test_real_extraction_rows_show_their_units(sup_client, draft, units):
    page = _page(sup_client, draft)
    k, row = row_of(draft, "6月底前完成全市政务服务事项梳理")
    assert row["lead_units"] == ["市发改委"]
    assert f'name="t{k}-lead" value="{units["fgw"].pk}" checked' in _row_html(page, k)
    for i, r in enumerate(draft.document()["tasks"]):
        html = _row_html(page, i)
        for name in r["lead_unmatched"] + r["co_unmatched"]:
            assert re.search(rf'class="rv-unit bad"[^>]*>{re.escape(name)}', html)


def test_picking_a_unit_resolves_the_name(sup_client, users, units):
    draft = _handmade_draft(users["supervisor"])
    post = {"row_id": ["d1-t1"], "doc_index": "0", "op": "save", "t0-title": "完成梳理", "t0-include": "1",
            "t0-kind": "action", "t0-lead": [str(units["fgw"].pk)], "t0-co": [str(units["edu"].pk)],
            "t0-copick-0": str(units["jia"].pk), "t0-co_add": "乙县, 某某办"}
    resp = sup_client.post(reverse("review:draft", args=[draft.pk]), post)
    assert resp.status_code == 302
    draft.refresh_from_db()
    row = draft.document()["tasks"][0]
    assert row["title"] == "完成梳理"
    # 甲区发改局 unticked → dropped; 市城管局 → 甲区 by the picker; 乙县 typed → matched; 某某办 → flagged
    assert row["co_ids"] == [units["edu"].pk, units["jia"].pk, units["yi"].pk]
    assert row["co_unmatched"] == ["某某办"]
    html = _row_html(_page(sup_client, draft), 0)
    assert re.search(r'class="rv-unit bad"[^>]*>某某办', html) and "市城管局" not in html.split("t0-title")[1]
    post.update({"t0-co": [str(u) for u in row["co_ids"]], "t0-copick-0": svc.IGNORE, "t0-co_add": ""})
    sup_client.post(reverse("review:draft", args=[draft.pk]), post)
    draft.refresh_from_db()
    assert draft.document()["tasks"][0]["co_unmatched"] == []


def test_merge_and_split(sup_client, draft):
    rows = draft.document()["tasks"]
    i, first = row_of(draft, "网上可办率达到95%以上")
    second = rows[i + 1]
    ids = [r["id"] for r in rows]
    resp = sup_client.post(reverse("review:draft", args=[draft.pk]),
                           {"row_id": ids, "doc_index": "0", "op": f"merge:{i}"})
    assert resp.status_code == 302
    draft.refresh_from_db()
    merged = draft.document()["tasks"][i]
    assert len(draft.document()["tasks"]) == len(rows) - 1
    assert first["text"] in merged["text"] and second["text"] in merged["text"]
    assert set(merged["lead_ids"]) == set(first["lead_ids"]) | set(second["lead_ids"])
    assert merged["deadline_date"] == second["deadline_date"] != ""
    assert "网上可办率 >= 95 %" in merged["targets_text"]
    page = _page(sup_client, draft)
    assert f'name="t{i}-split_at"' in page  # two sentences now: may be split again
    ids = [r["id"] for r in draft.document()["tasks"]]
    resp = sup_client.post(reverse("review:draft", args=[draft.pk]),
                           {"row_id": ids, "doc_index": "0", "op": f"split:{i}", f"t{i}-split_at": "1"})
    assert resp.status_code == 302
    draft.refresh_from_db()
    a, b = draft.document()["tasks"][i:i + 2]
    assert a["text"] == first["text"] and b["text"] == second["text"]
    assert b["deadline_date"] == second["deadline_date"]
    assert a["targets_text"] == "网上可办率 >= 95 %"
    page = _page(sup_client, draft)
    assert re.search(rf'id="m-{i + 1}" href="#row-{i + 1}"[^>]*>6月底前完成', page)


def test_stale_form_is_refused(sup_client, draft):
    resp = sup_client.post(reverse("review:draft", args=[draft.pk]),
                           {"row_id": ["nope"], "doc_index": "0", "op": "merge:0"}, follow=True)
    assert "请刷新页面后重试" in resp.content.decode()
    draft.refresh_from_db()
    assert draft.document()["tasks"][0]["id"] == "d1-t1"


def test_compilation_choose_document(sup_client, users):
    text = ("第一篇:营商环境优化提升工作方案\n" + speech_text() + "\n第二篇:安全生产工作方案\n"
            + speech_text().replace("营商环境优化提升工作方案", "安全生产工作方案"))
    draft = svc.do_create_draft(users["supervisor"], text=text)
    assert len(draft.documents) == 2
    page = _page(sup_client, draft)
    assert 'name="doc"' in page and "安全生产工作方案" in page
    ids = [r["id"] for r in draft.document()["tasks"]]
    resp = sup_client.post(reverse("review:draft", args=[draft.pk]),
                           {"row_id": ids, "doc_index": "0", "op": "doc", "doc": "1"})
    assert resp.status_code == 302
    assert ImportDraft.objects.get(pk=draft.pk).doc_index == 1
    page = _page(sup_client, draft)
    assert re.search(r'<option value="1" selected>', page)
    assert 'name="src_title" value="' + draft.documents[1]["title"] in page
