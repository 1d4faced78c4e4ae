"""Issue 14, the review screen as an office uses it: compilations imported one document at a
time, numbered task lines pasted alone, splitting with units, unit suggestions, the .xlsx export."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from luoshi.ledger.models import Source, SourceKind, Task
from luoshi.orgs.models import UnitKind
from luoshi.orgs.services import do_save_unit, suggest_units
from luoshi.review import services as svc
from luoshi.review.models import DraftStatus, ImportDraft

from .conftest import YEAR, form_data, row_of

pytestmark = pytest.mark.django_db


def _compilation() -> str:
    return f"""第一篇:{YEAR}年城区绿化提升工作方案
{YEAR}年3月2日
一、重点任务
（一）增绿补绿。市教育局要于6月底前完成校园绿化改造20处（牵头单位：市教育局）。
（二）养护管理。甲区要在9月底前建立绿地养护台账（牵头单位：甲区，配合单位：市发改委）。
第二篇:{YEAR}年农村饮水安全工作方案
{YEAR}年3月9日
一、重点任务
（一）水源保护。乙县要于10月底前完成水源地规范化建设3处（牵头单位：乙县）。
（二）水质监测。市发改委要每季度开展一次水质抽检（牵头单位：市发改委）。
"""


def _accept_post(client, draft, units, title):
    url = reverse("review:draft", args=[draft.pk])
    post = form_data(client, url)
    doc = ImportDraft.objects.get(pk=draft.pk).document()
    for i, row in enumerate(doc["tasks"]):
        for role in ("lead", "co"):
            for j, _name in enumerate(row[f"{role}_unmatched"]):
                post[f"t{i}-{role}pick-{j}"] = svc.IGNORE
        if f"t{i}-include" in post and not post.get(f"t{i}-lead"):
            post[f"t{i}-lead"] = [str(units["jia"].pk)]
    post.update({"op": "accept", "src_kind": SourceKind.WORK_PLAN, "src_title": title, "src_date": f"{YEAR}-03-02"})
    return client.post(url, post)


def test_compilation_stays_reviewable_after_one_document_is_imported(sup_client, users, units):
    draft = svc.do_create_draft(users["supervisor"], text=_compilation())
    assert [d["title"] for d in draft.documents] == [f"{YEAR}年城区绿化提升工作方案", f"{YEAR}年农村饮水安全工作方案"]
    assert draft.doc_index == 0

    resp = _accept_post(sup_client, draft, units, "城区绿化提升工作方案")
    # the reviewer comes back to the draft, now on the second document; nothing is locked
    assert resp.status_code == 302 and resp["Location"] == reverse("review:draft", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT and draft.doc_index == 1
    assert svc.progress(draft) == (1, 2)
    first = Source.objects.get()
    assert draft.documents[0]["source_id"] == first.pk
    assert Task.objects.filter(source=first).count() >= 2

    page = sup_client.get(reverse("review:draft", args=[draft.pk])).content.decode()
    switcher = page[page.index('id="rv-docs"'):page.index("</div>", page.index('id="rv-docs"'))]
    assert "已导入 <b id=\"rv-done\">1</b>/2 篇" in switcher
    assert re.search(r'<option value="0">✔ 已导入 1\. ' + str(YEAR) + "年城区绿化提升工作方案", switcher)
    assert re.search(r'<option value="1" selected>○ 待审核 2\. ', switcher)
    assert 'name="op" value="doc"' in switcher
    assert '<fieldset class="rv-fieldset">' in page  # the second document is editable
    index = sup_client.get(reverse("review:index")).content.decode()
    assert "待审核</span> <span class=\"muted small\">已导入1/2篇</span>" in index
    # the imported document can be looked at, read-only; editing it is refused
    resp = sup_client.post(reverse("review:draft", args=[draft.pk]), {"op": "doc", "doc": "0", "doc_index": "1",
                                                                      **_ids(draft, 1)})
    assert resp.status_code == 302
    page = sup_client.get(reverse("review:draft", args=[draft.pk])).content.decode()
    assert 'id="rv-doc-done"' in page and '<fieldset class="rv-fieldset" disabled>' in page
    assert 'name="op" value="doc"' in page  # the switcher stays usable on a finished document
    with pytest.raises(svc.LuoshiError) as exc:
        svc.do_save_rows(users["supervisor"], ImportDraft.objects.get(pk=draft.pk), 0, [{"title": "改"}])
    assert "已导入" in exc.value.message_zh
    sup_client.post(reverse("review:draft", args=[draft.pk]), {"op": "doc", "doc": "1", "doc_index": "0"})

    resp = _accept_post(sup_client, ImportDraft.objects.get(pk=draft.pk), units, "农村饮水安全工作方案")
    second = Source.objects.exclude(pk=first.pk).get()
    assert resp.status_code == 302 and resp["Location"] == reverse("ledger") + f"?source={second.pk}"
    draft.refresh_from_db()
    assert draft.status == DraftStatus.ACCEPTED and svc.progress(draft) == (2, 2)
    assert {t.source_id for t in Task.objects.all()} == {first.pk, second.pk}


def _ids(draft, doc_index):
    return {"row_id": [r["id"] for r in draft.document(doc_index)["tasks"]]}


@pytest.mark.parametrize("lines", [
    ["一是市教育局要于5月底前完成校舍安全排查。", "二是甲区发改局要在8月底前新建社区食堂4个。"],
    ["（三）市发改委要于7月底前出台停车设施建设方案。", "（四）市教育局要在年底前改造农村公路30公里。"],
    ["4.市教育局于9月底前新建幼儿园3所。", "5.甲区发改局要在11月底前完成老旧小区改造12个。"],
    ["第一，市发改委要于6月底前上线企业服务平台。", "第二，市教育局要在10月底前建成冷链物流中心1个。"],
])
def test_numbered_lines_pasted_alone_are_ticked_with_their_details(sup_client, users, units, lines):
    narrative = "去年以来，我们共走访企业300余家，收集意见建议80多条。"
    draft = svc.do_create_draft(users["supervisor"], text=f"{YEAR}年3月1日\n" + "\n".join(lines + [narrative]))
    rows = draft.document()["tasks"]
    for line in lines:
        _i, row = row_of(draft, line[3:12])
        assert row["include"] is True, line
        assert row["lead_ids"] or row["lead_unmatched"], line
        assert row["deadline_date"].startswith(str(YEAR)), line
        assert row["targets_text"] or "排查" in line or "方案" in line or "平台" in line, line
        assert "/" not in row["section_label"] and not any(x[3:10] in row["section_label"] for x in lines)
    assert not any(r["include"] for r in rows if "走访企业" in r["text"])
    page = sup_client.get(reverse("review:draft", args=[draft.pk])).content.decode()
    assert page.count('-include" value="1" checked') == len(lines)


@pytest.mark.parametrize("narrative", [
    "（五）去年以来，我们共走访企业300余家，收集意见建议80多条。",  # a speech's "we": read as a speech
    "（五）去年全区共走访企业300余家，收集意见建议80多条。",  # read as a plan
])
def test_a_pasted_list_with_mixed_numbering_is_ticked_without_deadlines_or_targets(sup_client, users, units,
                                                                                      narrative):
    """一是…, (三)…, 4.…, 第一,… pasted together: each new numbering style is a deeper outline
    level to the extractor, yet every line is a work item of its own (no deadline or target
    needed); the narrative line is not ticked, and a heading whose 1./2. items follow stays a
    chapter."""
    lines = ["一是建立重点项目调度会商制度。", "（三）组织开展燃气安全隐患排查整治。", "4.完善城市书房运营管理办法。",
             "第一，推动老旧小区加装电梯工作。"]
    chapter = ["（六）强化食品安全监管。", "1.开展校园食堂专项检查。", "2.建立农贸市场快检制度。"]
    draft = svc.do_create_draft(users["supervisor"], text=f"{YEAR}年3月1日\n" + "\n".join(lines + [narrative] + chapter))
    rows = draft.document()["tasks"]
    for line in lines:
        _i, row = row_of(draft, line[3:10])
        assert row["heading"] and not row["deadline_date"] and not row["targets_text"], line
        assert row["include"] is True, line
    assert not any(r["include"] for r in rows if "走访企业" in r["text"])
    assert row_of(draft, "强化食品安全监管")[1]["include"] is False
    assert row_of(draft, "校园食堂专项检查")[1]["include"] is True
    assert row_of(draft, "农贸市场快检制度")[1]["include"] is True
    page = sup_client.get(reverse("review:draft", args=[draft.pk])).content.decode()
    assert page.count('-include" value="1" checked') == len(lines) + 2


def test_headings_with_items_under_them_are_not_ticked(users, units):
    text = f"""{YEAR}年节水工作要点
{YEAR}年2月1日
一、节水型机关建设
（一）市教育局要于6月底前完成校园节水器具改造（牵头单位：市教育局）。
二、节水宣传
要营造节约用水的良好氛围。
"""
    draft = svc.do_create_draft(users["supervisor"], text=text)
    _i, top = row_of(draft, "一、节水型机关建设")
    assert top["include"] is False
    _i, item = row_of(draft, "校园节水器具改造")
    assert item["include"] is True and item["section_label"] == "节水型机关建设"


def test_split_gives_each_part_its_own_units_deadline_and_heading(users, units):
    text = f"""{YEAR}年校园安全工作方案
{YEAR}年1月10日
一、主要任务
（一）加强校园周边治理。
市教育局要于4月底前完成校园周边隐患排查（牵头单位：市教育局）。
甲区发改局要在9月底前建成护学岗20个。
"""
    actor = users["supervisor"]
    draft = svc.do_create_draft(actor, text=text)
    rows = draft.document()["tasks"]
    h, heading = row_of(draft, "加强校园周边治理")
    assert heading["heading"] and rows[h + 1]["text"].startswith("市教育局")
    # the reviewer merges the heading with both items, then splits them apart again
    draft = svc.do_merge_rows(actor, draft, 0, h)
    draft = svc.do_merge_rows(actor, draft, 0, h)
    merged = draft.document()["tasks"][h]
    assert len(svc.sentences(merged["text"])) == 3
    draft = svc.do_split_row(actor, draft, 0, h, 1)
    head, rest = draft.document()["tasks"][h:h + 2]
    assert head["text"].startswith("（一）") or head["text"].startswith("(一)")
    assert head["section_label"] == "主要任务"
    assert rest["section_label"] == "主要任务 / 加强校园周边治理"  # the heading, not a piece of a line
    draft = svc.do_split_row(actor, draft, 0, h + 1, 1)
    a, b = draft.document()["tasks"][h + 1:h + 3]
    assert a["lead_ids"] == [units["edu"].pk] and a["deadline_date"] == f"{YEAR}-04-30"
    assert b["lead_ids"] == [units["jia_fg"].pk] and b["deadline_date"] == f"{YEAR}-09-30"
    assert "护学岗 = 20 个" in b["targets_text"]
    assert a["section_label"] == b["section_label"] == "主要任务 / 加强校园周边治理"
    assert "\n" not in a["section_label"]


def test_split_keeps_units_and_deadline_given_from_outside_the_text(users, units):
    text = f"""{YEAR}年文明创建工作要点
{YEAR}年1月10日
开展文明单位复查。
组织志愿服务进社区活动。
责任单位：市教育局、甲区发改局
完成时限：{YEAR}年11月底前
"""
    actor = users["supervisor"]
    draft = svc.do_create_draft(actor, text=text)
    i, row = row_of(draft, "开展文明单位复查")
    draft = svc.do_merge_rows(actor, draft, 0, i)  # one row of two sentences with its label lines
    row = draft.document()["tasks"][i]
    assert row["lead_ids"] == [units["edu"].pk] and row["deadline_date"] == f"{YEAR}-11-30"
    draft = svc.do_split_row(actor, draft, 0, i, 1)
    a, b = draft.document()["tasks"][i:i + 2]
    assert a["text"] == "开展文明单位复查。" and b["text"].startswith("组织志愿服务进社区活动。")
    for part in (a, b):  # the 责任单位 and 完成时限 lines belong to both halves
        assert part["lead_ids"] == [units["edu"].pk] and part["co_ids"] == [units["jia_fg"].pk]
        assert part["deadline_date"] == f"{YEAR}-11-30"


def test_unmatched_unit_names_get_ranked_suggestions(sup_client, users, units):
    xny = do_save_unit(users["admin"], name="市机关效能建设办公室", kind=UnitKind.CITY_DEPT, parent=units["city"],
                       short_names=["市效能办"])
    do_save_unit(users["admin"], name="市卫生健康委员会", kind=UnitKind.CITY_DEPT, parent=units["city"],
                 short_names=["市卫健委"])
    got = suggest_units(["效能办", "发改委", "市公安局", "甲区发改"])
    assert got["效能办"][0][0] == xny
    assert got["发改委"][0][0] == units["fgw"]
    assert got["甲区发改"][0][0] == units["jia_fg"]
    assert all(u != units["edu"] for u, _s in got["市公安局"])  # a different bureau is no guess
    scores = [s for _u, s in got["效能办"]]
    assert scores == sorted(scores, reverse=True)

    draft = svc.do_create_draft(users["supervisor"],
                                text=f"{YEAR}年2月1日\n效能办要于5月底前完成窗口作风专项检查（牵头单位：效能办）。")
    i, row = row_of(draft, "窗口作风专项检查")
    assert row["lead_unmatched"] == ["效能办"] and row["lead_ids"] == []
    page = sup_client.get(reverse("review:draft", args=[draft.pk])).content.decode()
    select = re.search(rf'<select name="t{i}-leadpick-0"[^>]*>(.*?)</select>', page, re.S).group(1)
    group = re.search(r'<optgroup label="相近单位[^"]*" class="rv-suggest">(.*?)</optgroup>', select, re.S).group(1)
    assert re.match(rf'<option value="{xny.pk}" data-score="\d+">市机关效能建设办公室', group)
    assert " selected" not in select  # nothing is chosen for the reviewer
    assert "相近:市效能办" in page
    # the reviewer confirms the suggestion
    post = form_data(sup_client, reverse("review:draft", args=[draft.pk]))
    post[f"t{i}-leadpick-0"] = str(xny.pk)
    post["op"] = "save"
    sup_client.post(reverse("review:draft", args=[draft.pk]), post)
    row = ImportDraft.objects.get(pk=draft.pk).document()["tasks"][i]
    assert row["lead_ids"] == [xny.pk] and row["lead_unmatched"] == []


def test_xlsx_export_has_source_document_and_numeric_number(sup_client, client_for, users, units):
    draft = svc.do_create_draft(users["supervisor"], text=_compilation())
    resp = sup_client.get(reverse("review:export", args=[draft.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content))).active
    assert [c.value for c in ws[1]][:3] == ["序号", "来源文档", "工作任务"]
    n = sum(len(d["tasks"]) for d in draft.documents)
    assert ws.max_row == n + 1
    assert [ws.cell(row=r, column=1).value for r in range(2, n + 2)] == list(range(1, n + 1))
    assert all(ws.cell(row=r, column=1).data_type == "n" for r in range(2, n + 2))
    sources = [ws.cell(row=r, column=2).value for r in range(2, n + 2)]
    assert set(sources) == {d["title"] for d in draft.documents}
    by_task = {ws.cell(row=r, column=3).value: r for r in range(2, n + 2)}
    r = next(v for k, v in by_task.items() if "水源地规范化建设" in k)
    assert ws.cell(row=r, column=2).value == f"{YEAR}年农村饮水安全工作方案"
    assert ws.cell(row=r, column=6).value == "乙县"
    # the same permission as the review pages: a unit liaison may not export drafts
    assert client_for("fgw").get(reverse("review:export", args=[draft.pk])).status_code == 403
