"""Public sentence splitter: offsets per the annotation.md sentence rule."""
from luoshi.extract import extract_text, split_sentences


def texts(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_sentence_ends_and_line_breaks():
    text = "一、加强领导\n各部门要建立台账!市发改委要在6月底前完成;县委办要督查。大家清楚吗?\n尾句"
    assert texts(text) == ["一、加强领导", "各部门要建立台账!", "市发改委要在6月底前完成;", "县委办要督查。",
                           "大家清楚吗?", "尾句"]


def test_offsets_index_raw_text_with_full_width_marks_and_crlf():
    text = "  各部门要建立台账！市发改委要完成；\r\n\r\n“要落实。”他说\u3000\n完成排查。（牵头单位：市发改委）"
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["各部门要建立台账！", "市发改委要完成；", "“要落实。”", "他说",
                                             "完成排查。（牵头单位：市发改委）"]
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))


def test_empty_and_blank_text():
    assert split_sentences("") == [] and split_sentences("\n \n") == []


def test_spans_match_the_extractors_task_offsets():
    text = "2026年全市营商环境工作要点\n各区县要建立台账。市发改委要于6月底前出台方案(牵头单位:市发改委)。\n要提高认识。\n"
    doc = extract_text(text)["documents"][0]
    spans = set(split_sentences(doc["text"]))
    for t in doc["tasks"]:
        assert (t["start"], t["end"]) in spans
        assert doc["text"][t["start"]:t["end"]] == t["text"]
