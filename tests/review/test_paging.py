"""§3: review drafts are paged. The /review/ list of drafts and the rows of one draft come a page at a
time (bounded page size, bounded text beside them), edits survive paging, and a bad page parameter is a
400 with a Chinese message, never a 500."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from luoshi.review import services as svc
from luoshi.review.models import ImportDraft
from luoshi.review.views import DRAFTS_PER_PAGE, ROWS_PER_PAGE, TEXT_WINDOW

pytestmark = pytest.mark.django_db

BAD_PAGES = ["0", "-1", "x", "1.5", "²", "99999999999999999999", "1e3"]


def _big_draft(user, n_rows: int, filler: int = 0) -> ImportDraft:
    """A draft of n_rows candidate tasks (hand-made extraction); `filler` characters between rows."""
    lines, tasks, pos = [], [], 0
    for i in range(n_rows):
        pad = "各部门要提高认识。" * (filler // 9) if filler else ""
        sentence = f"第{i + 1}项:市发改委牵头完成第{i + 1}批政务服务事项梳理。"
        line = pad + sentence
        s = pos + len(pad)
        tasks.append({"id": f"d1-t{i + 1}", "text": sentence, "kind": "action", "section": [],
                      "lead_units": ["市发改委"], "co_units": [],
                      "deadline": {"text": "", "date": None, "recurrence": None}, "targets": [],
                      "start": s, "end": s + len(sentence)})
        lines.append(line)
        pos += len(line) + 1
    text = "\n".join(lines) + "\n"
    extraction = {"schema": "luoshi.extract/1", "source": "t", "documents": [{
        "title": "方案", "speaker": None, "date": None, "text": text, "outline": [], "tasks": tasks}]}
    return ImportDraft.objects.create(uploaded_by=user, extraction=svc.prepare(extraction))


def _rows_on(page: str) -> list[int]:
    return [int(x) for x in re.findall(r'class="card rv-row[^"]*" id="row-(\d+)"', page)]


def test_draft_rows_come_a_page_at_a_time(sup_client, users, units):
    n = ROWS_PER_PAGE * 2 + 7
    draft = _big_draft(users["supervisor"], n)
    url = reverse("review:draft", args=[draft.pk])
    first = sup_client.get(url).content.decode()
    assert _rows_on(first) == list(range(ROWS_PER_PAGE))
    assert f"共 {n} 条候选任务" in first
    # every row id is still posted (the stale-form check covers the whole draft)
    assert first.count('name="row_id"') == n
    last = sup_client.get(url + "?page=3").content.decode()
    assert _rows_on(last) == list(range(2 * ROWS_PER_PAGE, n))
    # the text beside page 3 starts at its first row, not at the top of the document
    assert 'id="m-0"' not in last and f'id="m-{2 * ROWS_PER_PAGE}"' in last


def test_edits_survive_paging_and_accept_sees_every_page(sup_client, users, units):
    n = ROWS_PER_PAGE + 3
    draft = _big_draft(users["supervisor"], n)
    url = reverse("review:draft", args=[draft.pk])
    page2 = sup_client.get(url + "?page=2").content.decode()
    i = ROWS_PER_PAGE + 1
    post = {"doc_index": "0", "page": "2", "row_id": [r["id"] for r in draft.document()["tasks"]],
            "op": "page:1", f"t{i}-title": "改过的标题", f"t{i}-include": "1", f"t{i}-kind": "action",
            f"t{i}-lead": [str(units["fgw"].pk)]}
    r = sup_client.post(url, post)
    assert r.status_code == 302 and r["Location"] == url
    draft.refresh_from_db()
    assert draft.document()["tasks"][i]["title"] == "改过的标题"
    assert draft.document()["tasks"][0]["title"]  # rows of page 1 untouched by a page-2 post
    assert "改过的标题" not in page2
    assert "改过的标题" in sup_client.get(url + "?page=2").content.decode()


def test_long_text_beside_a_page_is_bounded(sup_client, users, units):
    draft = _big_draft(users["supervisor"], 3, filler=TEXT_WINDOW)  # each row preceded by >200k chars
    r = sup_client.get(reverse("review:draft", args=[draft.pk]))
    assert r.status_code == 200
    whole = len(draft.document()["text"].encode())
    assert whole > 3 * TEXT_WINDOW * 3 - 100  # 600k+ characters of Chinese: 1.8 MB
    assert len(r.content) < whole * 0.6  # the page carries a bounded window of it
    assert "原文过长" in r.content.decode()


def test_draft_list_is_paged(sup_client, users):
    for _ in range(DRAFTS_PER_PAGE + 2):
        ImportDraft.objects.create(uploaded_by=users["supervisor"], extraction=svc.prepare(
            {"schema": "luoshi.extract/1", "source": "t", "documents": []}))
    first = sup_client.get(reverse("review:index")).content.decode()
    assert first.count("继续审核") == DRAFTS_PER_PAGE
    second = sup_client.get(reverse("review:index") + "?page=2").content.decode()
    assert second.count("继续审核") == 2


@pytest.mark.parametrize("bad", BAD_PAGES + ["3"])
def test_bad_page_is_400_in_chinese(sup_client, users, units, bad):
    draft = _big_draft(users["supervisor"], 3)
    for url in (reverse("review:index"), reverse("review:draft", args=[draft.pk])):
        r = sup_client.get(url, {"page": bad})
        assert r.status_code == 400, (url, bad, r.status_code)
        assert "页码" in r.content.decode()
