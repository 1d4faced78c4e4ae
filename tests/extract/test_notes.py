"""Role notes of work plans: every written form names lead and co units, never the label."""
import pytest

from luoshi.extract import extract_text, find_units, split_roles
from luoshi.extract.clean import clean


def roles(sentence):
    return split_roles(find_units(clean(sentence)))


@pytest.mark.parametrize("sentence, lead, co", [
    # comma between the labels (full-width and half-width)
    ("网上可办率达到95%以上(牵头单位:市发改委,配合单位:市教育局)。", ["市发改委"], ["市教育局"]),
    ("网上可办率达到95%以上（牵头单位：市发改委，配合单位：市教育局）。", ["市发改委"], ["市教育局"]),
    ("建立企业服务专员制度(牵头单位:市发改委,配合单位:市教育局、市财政局,完成时限:2026年6月底前)。",
     ["市发改委"], ["市教育局", "市财政局"]),
    ("建立企业服务专员制度(牵头单位:市发改委;配合单位:市教育局、市财政局)。", ["市发改委"], ["市教育局", "市财政局"]),
    ("建立企业服务专员制度(牵头单位:市发改委 配合单位:市教育局)。", ["市发改委"], ["市教育局"]),
    ("建立企业服务专员制度(责任单位:市发改委、市教育局)。", ["市发改委"], ["市教育局"]),
    # bare role words as labels
    ("建立企业服务专员制度(牵头:市发改委 配合:市教育局)。", ["市发改委"], ["市教育局"]),
    ("建立企业服务专员制度(牵头:市发改委;配合:市教育局、市财政局)。", ["市发改委"], ["市教育局", "市财政局"]),
    # bracketed labels
    ("【牵头单位】市政务服务中心【配合单位】各区县、市大数据局", ["市政务服务中心"], ["各区县", "市大数据局"]),
    ("【牵头单位】市政务服务中心", ["市政务服务中心"], []),
    # label lines
    ("牵头单位:市发改委", ["市发改委"], []),
    ("配合单位:市教育局、市财政局", [], ["市教育局", "市财政局"]),
    # unit + role verb inside a note, or in the sentence
    ("开展营商环境评价(市发改委牵头,市统计局配合)。", ["市发改委"], ["市统计局"]),
    ("由市发改委牵头,市教育局、市财政局配合。", ["市发改委"], ["市教育局", "市财政局"]),
    ("由市发改委牵头,市教育局、市财政局配合,建立企业服务专员制度。", ["市发改委"], ["市教育局", "市财政局"]),
])
def test_note_forms(sentence, lead, co):
    got_lead, got_co = roles(sentence)
    assert (got_lead, got_co) == (lead, co)
    for label in ("牵头单位", "配合单位", "责任单位", "牵头", "配合"):
        assert label not in got_lead + got_co


def test_prose_after_a_colon_is_not_a_unit_list():
    lead, co = roles("配合:各部门要加强协作,形成工作合力。")
    assert "加强协作" not in " ".join(lead + co)


def test_label_lines_under_a_task_item_belong_to_it():
    text = ("2026年全市营商环境工作要点\n一、提升政务服务效能\n"
            "1.建立企业服务专员制度。\n牵头单位:市发改委\n配合单位:市教育局、市财政局\n完成时限:2026年6月底前\n"
            "2.推行帮办代办服务。\n【牵头单位】市政务服务中心\n【配合单位】各区县\n"
            "3.网上可办率达到95%以上(牵头单位:市发改委,配合单位:市教育局)。\n")
    tasks = extract_text(text)["documents"][0]["tasks"]
    by = {t["text"][:2]: t for t in tasks}
    assert all(not t["text"].startswith(("牵头", "配合", "完成时限", "【")) for t in tasks)
    assert (by["1."]["lead_units"], by["1."]["co_units"]) == (["市发改委"], ["市教育局", "市财政局"])
    assert by["1."]["deadline"]["date"] == "2026-06-30"
    assert (by["2."]["lead_units"], by["2."]["co_units"]) == (["市政务服务中心"], ["各区县"])
    assert (by["3."]["lead_units"], by["3."]["co_units"]) == (["市发改委"], ["市教育局"])
