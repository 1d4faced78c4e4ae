"""Compilations (精选N篇) whose piece markers stand on their own line or beside the title."""
import pytest

from luoshi.extract import extract_text

REPRO = """关于做好效能建设的讲话稿精选3篇

篇1

在全市效能建设会上的讲话

同志们:
要强化担当。
市政务服务中心要在3个工作日内完成排查。

篇2

在全县作风建设会上的讲话

县委办要于6月底前制定方案。

篇3

第三篇标题讲话
各乡镇要建立台账。
"""
TITLES = ["在全市效能建设会上的讲话", "在全县作风建设会上的讲话", "第三篇标题讲话"]
SENTENCES = [["要强化担当。", "市政务服务中心要在3个工作日内完成排查。"], ["县委办要于6月底前制定方案。"], ["各乡镇要建立台账。"]]


def _check(text):
    docs = extract_text(text)["documents"]
    assert [d["title"] for d in docs] == TITLES
    for d, sents in zip(docs, SENTENCES):
        for s in sents:
            assert s in d["text"]  # every sentence stays in its own document
        task_texts = [t["text"] for t in d["tasks"]]
        assert d["title"] not in task_texts  # a title line is not a task
        assert all(s in task_texts for s in sents if s != "要强化担当。")
    # no sentence of one piece leaks into another
    assert "完成排查" not in docs[1]["text"] and "制定方案" not in docs[2]["text"]


def test_marker_on_its_own_line():
    _check(REPRO)


@pytest.mark.parametrize("marks", [("第一篇", "第二篇", "第三篇"), ("第1篇", "第2篇", "第3篇"),
                                   ("【篇一】", "【篇二】", "【篇三】"), ("篇一:", "篇二:", "篇三:"),
                                   ("篇一：", "篇二：", "篇三："), ("【第1篇】", "【第2篇】", "【第3篇】")])
def test_marker_variants(marks):
    text = REPRO
    for i, mk in enumerate(marks, 1):
        text = text.replace(f"\n篇{i}\n", f"\n{mk}\n")
    _check(text)


def test_title_and_marker_on_one_line():
    text = ("在全市作风建设会上的讲话 篇1\n同志们:\n各部门要在6月底前完成自查。\n"
            "在全县作风建设会上的讲话 篇2\n县纪委要加强督查。\n")
    docs = extract_text(text)["documents"]
    assert [d["title"] for d in docs] == ["在全市作风建设会上的讲话", "在全县作风建设会上的讲话"]
    assert "完成自查" in docs[0]["text"] and "加强督查" in docs[1]["text"]


def test_preamble_before_the_first_piece_is_kept():
    text = ("2026年全市营商环境工作要点\n1.市发改委要于3月底前出台实施方案。\n2.各区县要建立问题台账。\n"
            "篇1\n在全市作风建设会上的讲话\n各部门要在6月底前完成自查。\n"
            "篇2\n在全县作风建设会上的讲话\n县纪委要加强督查。\n")
    docs = extract_text(text)["documents"]
    assert [d["title"] for d in docs] == ["2026年全市营商环境工作要点", "在全市作风建设会上的讲话", "在全县作风建设会上的讲话"]
    plan = docs[0]["tasks"]
    assert [t["text"] for t in plan] == ["1.市发改委要于3月底前出台实施方案。", "2.各区县要建立问题台账。"]
    assert plan[0]["deadline"]["date"] == "2026-03-31"


def test_prose_opening_with_di_yi_pian_is_not_a_marker():
    text = "在全县宣传工作会上的讲话\n第一篇文章要写好,各乡镇要在月底前报送稿件。\n县委宣传部要做好审核。\n"
    docs = extract_text(text)["documents"]
    assert len(docs) == 1 and docs[0]["title"] == "在全县宣传工作会上的讲话"
