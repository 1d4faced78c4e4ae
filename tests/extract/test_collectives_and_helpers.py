"""Two kinds of unit reading (issue 14, session 4), on sentences of our own.

1. A generic collective (各级党组织, 各有关部门, 各乡镇(街道)) is read whole, never cut at a
   shorter suffix inside it (各级党组 of 各级党组织).
2. "A配合B做X" / "A协助B开展…": B leads the work and A is co (annotation.md §2: co are
   those said to 配合/协助); such a sentence is a task even without a modal. "A会同B…" keeps
   A as lead and B as co.
"""
import pytest

from luoshi.extract import extract_text, find_units


def _roles(sentence):
    return [(m.name, m.role) for m in find_units(sentence)]


def _rows(sentence):
    doc = extract_text("2026年工作要点\n" + sentence)["documents"][0]
    return [(t["kind"], t["lead_units"], t["co_units"]) for t in doc["tasks"]]


@pytest.mark.parametrize("sentence, name", [
    ("市民政局会同各级党组织开展走访慰问。", "各级党组织"),
    ("区司法局督促各级党组织落实普法责任制。", "各级党组织"),
    ("县委组织部会同各基层党组织实施换届。", "各基层党组织"),
    ("市应急局会同各有关部门开展汛前检查。", "各有关部门"),
    ("区人社局会同各乡镇(街道)组织招聘会。", "各乡镇(街道)"),
])
def test_a_collective_is_read_whole(sentence, name):
    names = [n for n, _ in _roles(sentence)]
    assert name in names
    assert not any(n != name and name.startswith(n) for n in names), names


def test_a_collective_as_subject():
    assert _roles("各级党组织要开展谈心谈话。") == [("各级党组织", "lead")]
    assert _roles("各级党组要认真学习。") == [("各级党组", "lead")]  # a 党组 stays a 党组


@pytest.mark.parametrize("sentence, lead, co", [
    ("市农业农村局配合青石县完成高标准农田建设验收。", ["青石县"], ["市农业农村局"]),
    ("市交通局配合市公安局开展超限治理。", ["市公安局"], ["市交通局"]),
    ("市文旅局要配合市委宣传部组织开展读书月活动。", ["市委宣传部"], ["市文旅局"]),
    ("区税务局协助各乡镇(街道)完成清欠工作。", ["各乡镇(街道)"], ["区税务局"]),
    ("市水利局积极协助临河县建设应急水源工程。", ["临河县"], ["市水利局"]),
])
def test_a_helps_b_do_work_b_leads(sentence, lead, co):
    rows = _rows(sentence)
    assert len(rows) == 1 and rows[0][0] in ("action", "principle"), rows
    assert rows[0][1:] == (lead, co)


def test_a_helps_b_is_a_task_without_a_modal():
    assert _rows("市交通局配合市公安局开展超限治理。")[0][0] == "action"
    assert _rows("区住建局协助翠屏区做好老旧小区改造。")  # a row, not dropped


def test_jointly_with_keeps_the_subject_leading():
    assert _rows("市卫健委会同各乡镇开展义诊。") == [("action", ["市卫健委"], ["各乡镇"])]


def test_helping_without_a_named_unit_is_only_co():
    assert _roles("市交通局要积极配合。") == [("市交通局", "co")]
    # 配合 followed by work, no unit helped: nobody is promoted to lead
    assert ("市统计局", "co") in _roles("市统计局配合做好数据核查。")
