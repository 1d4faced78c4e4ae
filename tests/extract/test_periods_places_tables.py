"""Issue 14 leftovers, each kind with sentences of our own: 年中, a bare 当年, place names as the
subject that must act (and as mere locations), task tables printed without ruling lines, metrics
without their subject, time or scope; and the small inputs offices sent (shared/inputs)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from luoshi.extract import extract_bytes, extract_file, extract_text, find_deadline, find_targets, find_units, split_roles

INPUTS = Path(os.environ.get("LUOSHI_SHARED_INPUTS", "/work/shared/inputs"))


def roles(sentence):
    return split_roles(find_units(sentence))


def dl(sentence, year=2026, month=4, date="2026-04-08"):
    return find_deadline(sentence, year, month, date)


# ---- 年中 ----------------------------------------------------------------------

@pytest.mark.parametrize("sentence,text", [
    ("年中前完成全部老旧电梯的安全评估。", "年中前"),
    ("力争年中建成区级应急物资储备库。", "年中"),
    ("到年中,完成农贸市场提升改造。", "年中"),
    ("2026年年中完成河道清淤。", "2026年年中"),
])
def test_mid_year_is_the_end_of_june(sentence, text):
    d = dl(sentence)
    assert d["date"] == "2026-06-30" and d["text"] == text
    assert find_deadline(sentence)["date"] is None or "2026" in text  # undated: text kept, no date


def test_mid_year_of_next_year_and_not_a_deadline():
    assert dl("明年年中前完成二期工程。")["date"] == "2027-06-30"
    assert dl("年中以来,我们完成了三批项目验收。") is None  # a past period
    assert dl("一年中至少组织两次应急演练。") is None  # "in a year", not mid-year


# ---- a bare 当年 ---------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "新开工保障性住房项目当年竣工交付。",
    "招引项目确保当年落地见效。",
    "当年完成全部危桥改造任务。",
])
def test_bare_same_year_counts_from_the_document_date(sentence):
    # a plan for next year written in December: 当年 is the year of the document's date
    d = find_deadline(sentence, 2027, None, "2026-12-18")
    assert d["text"] == "当年" and d["date"] == "2026-12-31"
    assert find_deadline(sentence)["date"] is None  # undated: the text with a null date


def test_same_year_as_an_attribute_is_no_deadline():
    assert dl("当年的招商引资任务已经超额完成。") is None


# ---- place names as subjects ------------------------------------------------------

@pytest.mark.parametrize("sentence,lead,co", [
    ("青山区要在9月底前建成区级智慧养老服务平台。", ["青山区"], []),
    ("河口县于年底前完成农村供水管网改造80公里。", ["河口县"], []),
    ("青山区、河口县要于10月底前完成地质灾害隐患点搬迁。", ["青山区", "河口县"], []),
    ("青山区要督促区卫健局尽快建立家庭医生签约台账。", ["青山区"], ["区卫健局"]),
])
def test_a_place_name_that_must_act_is_a_unit(sentence, lead, co):
    assert roles(sentence) == (lead, co)


@pytest.mark.parametrize("sentence", [
    "在青山区建设一批口袋公园和街心花园。",
    "青山区位于城市东北部,交通便利。",
    "中心城区要于年底前完成雨污分流改造。",
    "社区要建立困难群众帮扶台账。",
])
def test_a_place_as_location_or_a_generic_area_is_no_unit(sentence):
    assert roles(sentence) == ([], [])


# ---- place names as the object of 会同 / 配合 / 督促 ----------------------------------------

@pytest.mark.parametrize("sentence,lead,co", [
    ("市水利局要会同江城区开展河道清淤疏浚。", ["市水利局"], ["江城区"]),
    ("市应急局会同江城区、河口县组织防汛应急演练。", ["市应急局"], ["江城区", "河口县"]),
    ("由市住建局牵头,会同青山区做好雨污管网改造。", ["市住建局"], ["青山区"]),
    ("市生态环境局要会同白沙镇于9月底前完成整改销号。", ["市生态环境局"], ["白沙镇"]),
    # a unit of the place is still the unit named, and 组织 after a body is the work it does
    ("市卫健委会同江城区政府建设发热门诊。", ["市卫健委"], ["江城区政府"]),
    ("市商务局会同新区管委会组织招商推介活动。", ["市商务局"], ["新区管委会"]),
])
def test_a_place_name_as_the_object_of_huitong_is_a_co_unit(sentence, lead, co):
    assert roles(sentence) == (lead, co)


@pytest.mark.parametrize("sentence", [
    "市交通局要会同城区开展交通秩序整治。",          # 城区 is a generic area, no name
    "市文旅局会同江城区景点负责人开展安全检查。",    # the place only qualifies the people named after it
])
def test_a_place_object_needs_a_proper_name_and_work_after_it(sentence):
    assert roles(sentence)[1] == []


def test_a_place_name_in_a_duty_line():
    text = "2026年农房安全工作要点\n(2026年3月1日)\n1.开展农村自建房安全隐患排查。\n责任单位:市住建局、青山区、河口县\n"
    task = next(t for t in extract_text(text)["documents"][0]["tasks"] if "自建房" in t["text"])
    assert (task["lead_units"], task["co_units"]) == (["市住建局"], ["青山区", "河口县"])


# ---- a list pasted with mixed numbering ------------------------------------------------

MIXED = ["一是建立重点项目调度会商制度。", "(三)组织开展燃气安全隐患排查整治。", "4.完善城市书房运营管理办法。",
         "第一,推动老旧小区加装电梯工作。"]


@pytest.mark.parametrize("closing", ["我们要把这几件事办好办实。", "以上工作请各单位抓好落实。"])
def test_a_list_with_mixed_numbering_is_a_list_of_work_items(closing):
    """Each new numbering style is a deeper outline level, but no line is the chapter of the
    next: in a speech too, every line stays a work item (action)."""
    tasks = extract_text("\n".join(MIXED + [closing]))["documents"][0]["tasks"]
    kinds = {t["text"]: t["kind"] for t in tasks}
    assert [kinds.get(x) for x in MIXED] == ["action"] * 4


def test_a_chapter_over_its_sub_items_stays_a_theme_in_a_speech():
    text = ("同志们,我讲三点意见。\n一、提高政治站位\n(一)开展理论学习。\n(二)组织专题研讨。\n"
            "二、狠抓工作落实\n1.建立周调度制度。\n2.开展季度督查。\n")
    kinds = {t["text"]: t["kind"] for t in extract_text(text)["documents"][0]["tasks"]}
    assert kinds.get("一、提高政治站位") != "action"
    assert kinds.get("二、狠抓工作落实") != "action"
    assert kinds.get("(一)开展理论学习。") == "action" and kinds.get("1.建立周调度制度。") == "action"


# ---- metrics: the measured thing ----------------------------------------------------

@pytest.mark.parametrize("sentence,metric,op,value", [
    ("市卫健委于8月底前新建社区卫生服务站5个。", "新建社区卫生服务站", "=", 5),
    ("市级层面召开会议数量较上年压减15%以上。", "召开会议数量", ">=", 15),
    ("县级层面督查检查事项压减30%以上。", "督查检查事项", ">=", 30),
])
def test_metric_without_subject_time_or_scope(sentence, metric, op, value):
    got = [(t["metric"], t["op"], t["value"]) for t in find_targets(sentence)]
    assert (metric, op, value) in got


# ---- PDF task tables without ruling lines -------------------------------------------

def _pdf_table(rows, *, two_row_header=False, padding=3, valign="MIDDLE") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    st = ParagraphStyle("z", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    P = lambda t: Paragraph(t, st)  # noqa: E731
    if two_row_header:
        head = [[P("序号"), P("重点任务"), P("责任单位"), "", P("完成时限")],
                ["", "", P("牵头单位"), P("配合单位"), ""]]
    else:
        head = [[P("序号"), P("重点任务"), P("牵头单位"), P("配合单位"), P("完成时限")]]
    data = head + [[P(str(i + 1))] + [P(c) for c in r] for i, r in enumerate(rows)]
    t = Table(data, colWidths=[30, 210, 80, 100, 70])  # no GRID, no lines at all
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), valign), ("TOPPADDING", (0, 0), (-1, -1), padding),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), padding)]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([
        P("河口县2026年民生实事任务清单"), P("(2026年3月9日)"), t,
        P("各责任单位要于每月5日前将进展情况报县政府督查室。")])
    return buf.getvalue()


ROWS = [["新建城乡公交候车亭40个,同步完善站牌和夜间照明,方便群众出行。", "县交通运输局", "县财政局、各乡镇人民政府", "2026年10月底前"],
        ["每季度开展一次校外培训机构安全检查。", "县教育局", "县市场监管局", "每季度"]]


@pytest.mark.parametrize("kw", [{}, {"two_row_header": True}, {"padding": 0, "valign": "TOP"}])
def test_pdf_task_table_without_ruling_lines(kw):
    doc = extract_bytes(_pdf_table(ROWS, **kw), "清单.pdf")["documents"][0]
    assert doc["date"] == "2026-03-09"
    bus = next(t for t in doc["tasks"] if "候车亭" in t["text"])
    assert "方便群众出行" in bus["text"]  # the wrapped cell is one task
    assert (bus["lead_units"], bus["co_units"]) == (["县交通运输局"], ["县财政局", "各乡镇人民政府"])
    assert bus["deadline"]["date"] == "2026-10-31"
    assert ("=", 40) in [(x["op"], x["value"]) for x in bus["targets"]]
    school = next(t for t in doc["tasks"] if "校外培训机构" in t["text"])
    assert (school["lead_units"], school["co_units"]) == (["县教育局"], ["县市场监管局"])
    assert school["deadline"]["recurrence"] == "quarterly"
    assert "候车亭" not in school["text"] and "校外培训" not in bus["text"]
    # the header is no task; the sentence after the table stays a sentence of its own
    assert not any(t["text"].startswith(("序号", "重点任务", "牵头单位")) for t in doc["tasks"])
    report = next(t for t in doc["tasks"] if "每月5日前" in t["text"])
    assert "校外培训" not in report["text"] and report["deadline"]["recurrence"] == "monthly:5"


# ---- the inputs offices sent (shared/inputs): the right values ---------------------

needs_inputs = pytest.mark.skipif(not INPUTS.is_dir(), reason="shared/inputs not present")


def _tasks(path):
    return [t for d in extract_file(path)["documents"] for t in d["tasks"]]


def _targets(t):
    return [(x["metric"], x["op"], x["value"], x["unit"]) for x in t["targets"]]


def _has_target(t, metric, op, value, unit):
    return any((metric in m or m in metric) and o == op and v == value and u == unit for m, o, v, u in _targets(t))


@needs_inputs
def test_input_task_table_with_merged_header():
    tasks = _tasks(INPUTS / "task-table-merged-header.docx")
    assert len(tasks) == 3 and not any("牵头单位" == t["text"][:4] or "序号" in t["text"][:3] for t in tasks)
    a, b, c = tasks
    assert (a["lead_units"], a["co_units"]) == (["市市场监管局"], ["市数据局", "市税务局"])
    assert a["deadline"]["date"] == "2026-06-30" and _has_target(a, "企业开办时间", "<=", 1, "个工作日")
    assert (b["lead_units"], b["co_units"]) == (["市文化广电旅游局"], ["各区人民政府"])
    assert b["deadline"]["date"] == "2026-12-31" and _has_target(b, "城市书房", "=", 6, "个")
    assert (c["lead_units"], c["co_units"]) == (["市发展改革委"], ["市财政局"])
    assert c["deadline"]["recurrence"] == "quarterly" and _has_target(c, "涉企收费专项检查", "=", 1, "次")


@needs_inputs
def test_input_group_note_and_duty_lines():
    text = (INPUTS / "group-note-and-duty-lines.txt").read_text(encoding="utf-8")
    text = text.split("\n# ")[0]  # the file's closing comments are for the reader
    doc = extract_text(text)["documents"][0]
    assert doc["date"] == "2026-02-10"
    tasks = doc["tasks"]

    def task(needle):
        return next(t for t in tasks if needle in t["text"])

    for needle in ("发文数量", "短实新", "合并召开"):
        t = task(needle)
        assert (t["lead_units"], t["co_units"]) == (["市委办公室"], ["市政府办公室", "市级各部门"]), needle
    assert _has_target(task("发文数量"), "发文数量", ">=", 10, "%")
    assert _has_target(task("短实新"), "政策性文件字数", "<=", 5000, "字")
    t = task("督查检查考核计划")
    assert (t["lead_units"], t["co_units"]) == (["市委督查室"], ["市政府督查室", "市纪委监委"])
    assert t["deadline"]["date"] == "2026-03-31"
    t = task("综合查一次")
    assert (t["lead_units"], t["co_units"]) == (["市政府督查室"], ["市级各有关部门"])
    assert _has_target(t, "对基层的检查", "<=", 1, "次")
    assert not (t["deadline"] or {}).get("date")  # 明年起 is a start, not a deadline


@needs_inputs
def test_input_unit_tree_with_merged_parent_cell(tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, LUOSHI_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    (tmp_path / "static").mkdir()
    run = lambda *a: subprocess.run([sys.executable, "-m", "luoshi.cli", *a], capture_output=True, text=True,  # noqa: E731
                                    env=env, timeout=300)
    assert run("manage", "migrate", "-v0").returncode == 0
    p = run("units", "import", str(INPUTS / "units-merged-parent.xlsx"), "--check")
    assert p.returncode == 0, p.stderr
    assert "rows 3-5" in p.stdout and "merged" in p.stdout and "临江市人民政府" in p.stdout
    assert run("units", "import", str(INPUTS / "units-merged-parent.xlsx")).returncode == 0
    p = run("manage", "shell", "-c", "from luoshi.orgs.models import Unit; "
            "print(sorted(u.name for u in Unit.objects.filter(parent__name='临江市人民政府')))")
    assert p.stdout.strip().splitlines()[-1] == str(sorted(["临江市江城区人民政府", "临江市青石县人民政府", "临江市白沙区人民政府"]))
