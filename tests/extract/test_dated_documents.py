"""Dated work plans, minutes, task tables and notices (issue 14), one test per kind.

Every sentence here is written for these tests (a fictional 青石县 / 临江市)."""
import io
import os

import pytest

from luoshi.extract import extract_bytes, extract_text, find_deadline, find_targets, find_units


def doc_of(text):
    docs = extract_text(text)["documents"]
    assert len(docs) == 1
    return docs[0]


def task_with(doc, needle):
    return next(t for t in doc["tasks"] if needle in t["text"])


# ---------------------------------------------------------------- 1. periods of a dated document
@pytest.mark.parametrize("sentence,expect", [
    ("县住建局要在年底前建成污水处理厂二期。", "2026-12-31"),
    ("年内完成全部危桥加固。", "2026-12-31"),
    ("全年新建乡村学校少年宫4所。", "2026-12-31"),
    ("上半年完成农村供水工程招标。", "2026-06-30"),
    ("下半年要启动二期工程。", "2026-12-31"),
    ("一季度末全县项目开工率达到50%以上。", "2026-03-31"),
    ("第三季度完成竣工验收。", "2026-09-30"),
    ("十月份完成年度考评。", "2026-10-31"),
    ("国庆节前完成步行街改造。", "2026-09-30"),
    ("春节前完成困难职工走访慰问。", "2026-02-16"),  # Spring Festival 2026 is 17 February
    ("4月1日至4月20日集中开展申报辅导。", "2026-04-20"),
    ("到2027年底建成县域医共体。", "2027-12-31"),
    ("二〇二六年十二月底前完成改制。", "2026-12-31"),
    ("下周五前报送自查报告。", "2026-02-20"),  # written on Tuesday 10 February 2026
])
def test_periods_resolve_in_the_documents_year(sentence, expect):
    assert find_deadline(sentence, 2026, None, "2026-02-10")["date"] == expect


def test_next_year_counts_from_the_date_of_writing():
    # a 2027 plan written in December 2026: 明年 is 2027, and so are the plan's periods
    assert find_deadline("明年一季度召开推进会。", 2027, None, "2026-12-20")["date"] == "2027-03-31"
    assert find_deadline("次年6月底前完成验收。", 2026, None, "2026-02-10")["date"] == "2027-06-30"
    assert find_deadline("明年一季度召开推进会。")["date"] is None


def test_spring_festival_is_the_next_one_after_writing():
    assert find_deadline("春节前发放慰问金。", 2026, None, "2026-11-20")["date"] == "2027-02-05"


def test_a_start_is_not_the_deadline_but_a_repeat_inside_it_is():
    assert find_deadline("明年起全面推行联合检查。", 2026, None, "2026-02-10") is None
    d = find_deadline("从2026年起,每季度最后一个月30日前报送统计数据。", 2026)
    assert d["recurrence"] == "quarterly" and d["date"] is None
    assert find_deadline("每个季度第1个月20日前报送上季度进展。", 2026)["recurrence"] == "quarterly"
    assert find_deadline("每半年通报一次。", 2026)["recurrence"] == "half-yearly"
    assert find_deadline("每两年开展一次评估。", 2026)["recurrence"] == "every-2-years"
    assert find_deadline("每周调度一次。", 2026)["recurrence"] == "weekly"


@pytest.mark.parametrize("sentence,text", [("值班人员接警后15分钟内到达现场。", "15分钟内"),
                                           ("险情发生后2小时内上报县防汛办。", "2小时内")])
def test_durations_in_hours_and_minutes(sentence, text):
    d = find_deadline(sentence, 2026)
    assert d["text"] == text and d["date"] is None


def test_undated_speech_keeps_the_words():
    d = find_deadline("今年全县还要新建5个村级养老服务站。")
    assert d["text"] == "今年" and d["date"] is None
    d = find_deadline("要在汛期前完成山塘水库除险加固。", 2026)
    assert d["text"] == "汛期前" and d["date"] is None
    assert find_deadline("今年以来共受理投诉300件。", 2026) is None


def test_a_compression_target_is_not_a_deadline():
    assert find_deadline("不动产登记办理时限压缩至2个工作日以内。", 2026) is None


# ---------------------------------------------------------------- 2. the document's date and title
def test_signature_date_between_notice_and_plan():
    text = ("青石县人民政府关于印发青石县2026年民生实事项目实施方案的通知\n青政发〔2026〕4号\n"
            "各乡镇人民政府,县直各部门:\n现将《青石县2026年民生实事项目实施方案》印发给你们,请认真组织实施。\n"
            "青石县人民政府\n2026年2月3日\n青石县2026年民生实事项目实施方案\n"
            "一、改善农村供水\n1.年底前完成12处农村供水站提标改造。\n")
    doc = doc_of(text)
    assert doc["date"] == "2026-02-03"
    assert doc["title"].endswith("的通知")
    texts = [t["text"] for t in doc["tasks"]]
    assert not any(x.endswith("实施方案") for x in texts)  # the attached plan's title line
    assert not any("〔2026〕" in x for x in texts)
    assert task_with(doc, "供水站")["deadline"]["date"] == "2026-12-31"


def test_year_from_the_doc_number_or_the_title():
    doc = doc_of("青石县农业农村局工作要点\n青农发〔2026〕2号\n一、抓好粮食生产\n1.上半年完成春播备耕检查。\n")
    assert task_with(doc, "春播")["deadline"]["date"] == "2026-06-30"
    doc = doc_of("青石县2027年乡村振兴工作要点\n一、稳定粮食生产\n1.年底前建成高标准农田2万亩。\n")
    assert task_with(doc, "高标准农田")["deadline"]["date"] == "2027-12-31"


def test_page_chrome_date_dates_a_web_page():
    page = ("<html><body><div class='crumb'>首页 > 政务公开</div><p>发布时间:2026-04-08 来源:县政府办</p>"
            "<h1>关于开展汛前安全检查的通知</h1><p>各乡镇要于5月底前完成山塘水库安全检查。</p></body></html>")
    doc = extract_bytes(page.encode("utf-8"), "page.html")["documents"][0]
    assert doc["date"] == "2026-04-08"
    assert "首页" not in doc["text"] and "来源" not in doc["text"]
    assert doc["tasks"][-1]["deadline"]["date"] == "2026-05-31"


# ---------------------------------------------------------------- 3. targets of every shape
def tgt(sentence):
    return [(t["metric"], t["op"], t["value"]) for t in find_targets(sentence)]


@pytest.mark.parametrize("sentence,expect", [
    ("新建乡镇图书分馆9个。", [("乡镇图书分馆", "=", 9)]),
    ("改造供水管网26公里。", [("供水管网", "=", 26)]),
    ("培训村级财会人员800人次。", [("村级财会人员", "=", 800)]),
    ("完成14处危桥的加固改造。", [("危桥", "=", 14)]),
    ("农村自来水普及率达到百分之百。", [("农村自来水普及率", ">=", 100)]),
    ("每个村至少配备两名网格员。", [("网格员", ">=", 2)]),
    ("群众满意率≥96%。", [("群众满意率", ">=", 96)]),
    ("政务服务差评率≤1%。", [("政务服务差评率", "<=", 1)]),
    ("每期集中轮训2—4天。", [("集中轮训", ">=", 2), ("集中轮训", "<=", 4)]),
    ("县城、乡镇污水处理率分别达到95%、80%。", [("县城污水处理率", ">=", 95), ("乡镇污水处理率", ">=", 80)]),
    ("力争进入全省前十。", [("排名", "<=", 10)]),
    ("每季度至少开展一次食品安全联合抽检。", [("食品安全联合抽检", ">=", 1)]),
    ("每月召开一次项目推进会。", [("项目推进会", "=", 1)]),
    ("交通事故死亡人数下降8%以上。", [("交通事故死亡人数", ">=", 8)]),
    ("城镇新增就业1.5万人。", [("城镇新增就业", "=", 1.5)]),
    ("居民消费价格涨幅控制在3%左右。", [("居民消费价格涨幅", "=", 3)]),
    ("企业开办时间压缩至1个工作日。", [("企业开办时间", "<=", 1)]),
])
def test_target_shapes(sentence, expect):
    got = tgt(sentence)
    for metric, op, value in expect:
        assert any(metric in m and o == op and v == value for m, o, v in got), (sentence, got)


def test_no_targets_from_times_past_figures_or_prose():
    assert tgt("群众来信要在5个工作日内办结。") == []
    assert tgt("去年全县共新建村卫生室12个。") == []
    assert tgt("要坚持两个毫不动摇。") == []
    assert tgt("要开展一次全面检查。") == []  # a one-off, no frequency


def test_main_expected_targets_section_is_action():
    doc = doc_of("青石县2026年政府工作要点\n一、主要预期目标\n地区生产总值增长6.5%左右,城镇调查失业率控制在5%以内。\n")
    t = task_with(doc, "地区生产总值")
    assert t["kind"] == "action" and len(t["targets"]) == 2


# ---------------------------------------------------------------- 4. units bound to the right task
def test_duty_lines_and_group_notes():
    text = ("青石县2026年优化营商环境工作要点\n(2026年3月2日)\n一、提升审批效率\n"
            "(1)推行企业开办一日办结。\n(2)推行工程建设项目联合验收。\n"
            "(责任单位:县行政审批局、县住建局、县市场监管局)\n二、优化执法监管\n"
            "1.制定涉企检查计划,于4月底前报县政府审定。\n责任单位:县司法局、县市场监管局\n"
            "2.对企业的检查原则上每年不超过一次。(县司法局牵头,县直各有关部门按职责分工负责)\n")
    doc = doc_of(text)
    for needle in ("一日办结", "联合验收"):
        t = task_with(doc, needle)
        assert (t["lead_units"], t["co_units"]) == (["县行政审批局"], ["县住建局", "县市场监管局"])
    t = task_with(doc, "涉企检查计划")
    assert (t["lead_units"], t["co_units"]) == (["县司法局"], ["县市场监管局"])
    assert t["deadline"]["date"] == "2026-04-30"
    assert "责任单位:县司法局" in t["text"]  # the duty line belongs to the item's row
    t = task_with(doc, "原则上每年")
    assert (t["lead_units"], t["co_units"]) == (["县司法局"], ["县直各有关部门"])
    assert ("检查", "<=", 1) in [(x["metric"][-2:], x["op"], x["value"]) for x in t["targets"]]
    assert not any(x["text"].startswith(("(责任单位", "责任单位")) for x in doc["tasks"])


@pytest.mark.parametrize("sentence,roles", [
    ("县交通运输局于9月底前完成农村公路安防工程。", {"县交通运输局": "lead"}),
    ("县政府督查室要对重点任务实行清单化管理。", {"县政府督查室": "lead"}),
    ("由县卫健局牵头,县医保局、县财政局配合,推进医共体建设。",
     {"县卫健局": "lead", "县医保局": "co", "县财政局": "co"}),
    ("各县市区要在6月底前完成自查。", {"各县市区": "lead"}),
    ("县教育局全年新建公办幼儿园3所。", {"县教育局": "lead"}),
    ("县水利局要抓紧推进工程建设(配合单位:各乡镇人民政府)。", {"县水利局": "lead", "各乡镇人民政府": "co"}),
])
def test_unit_roles(sentence, roles):
    assert {m.name: m.role for m in find_units(sentence)} == roles


def test_text_table_with_tabs_and_spaces():
    text = ("青石县2026年为民办实事项目清单\n(2026年1月20日)\n"
            "序号\t任务\t牵头单位\t配合单位\t完成时限\n"
            "1\t新建社区食堂8个,服务老年人不少于2000人次。\t县民政局\t各乡镇人民政府\t2026年10月底前\n"
            "2    改造农村公路35公里    县交通运输局    县财政局、各乡镇人民政府    年底前\n")
    doc = doc_of(text)
    t = task_with(doc, "社区食堂")
    assert (t["lead_units"], t["co_units"]) == (["县民政局"], ["各乡镇人民政府"])
    assert t["deadline"]["date"] == "2026-10-31"
    t = task_with(doc, "农村公路")
    assert (t["lead_units"], t["co_units"]) == (["县交通运输局"], ["县财政局", "各乡镇人民政府"])
    assert t["deadline"]["date"] == "2026-12-31"
    assert not any(x["text"].startswith("序号") or x["text"].startswith("任务") for x in doc["tasks"])


def _docx_with_two_row_header() -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("青石县2026年文旅重点任务分解表")
    table = d.add_table(rows=4, cols=5)
    head = ["序号", "工作任务", "责任单位", "责任单位", "完成时限"]
    for i, h in enumerate(head):
        table.rows[0].cells[i].text = h
    table.cell(0, 2).merge(table.cell(0, 3))
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(0, 1).merge(table.cell(1, 1))
    table.cell(0, 4).merge(table.cell(1, 4))
    table.cell(1, 2).text = "牵头单位"
    table.cell(1, 3).text = "配合单位"
    rows = [["1", "新建城市书房5个。", "县文旅局", "县财政局、各乡镇人民政府", "2026年11月底前"],
            ["2", "每季度开展一次文化市场执法检查。", "县文化执法大队", "县公安局", "每季度"]]
    for r, row in enumerate(rows, start=2):
        for i, v in enumerate(row):
            table.cell(r, i).text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_table_with_a_merged_two_row_header():
    doc = extract_bytes(_docx_with_two_row_header(), "表.docx")["documents"][0]
    assert len(doc["tasks"]) == 2
    t = task_with(doc, "城市书房")
    assert (t["lead_units"], t["co_units"]) == (["县文旅局"], ["县财政局", "各乡镇人民政府"])
    assert t["deadline"]["date"] == "2026-11-30"
    assert [(x["op"], x["value"]) for x in t["targets"]] == [("=", 5)]
    t = task_with(doc, "执法检查")
    assert t["deadline"]["recurrence"] == "quarterly" and t["lead_units"] == ["县文化执法大队"]


def _pdf_with_ruled_table() -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    st = ParagraphStyle("z", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    P = lambda t: Paragraph(t, st)  # noqa: E731
    data = [[P("序号"), P("工作任务"), P("责任单位"), "", P("完成时限")],
            ["", "", P("牵头单位"), P("配合单位"), ""],
            [P("1"), P("建成县级智慧停车平台,新增公共停车泊位不少于600个,实现城区停车信息实时发布。"),
             P("县城管局"), P("县交警大队、县发展改革局"), P("2026年9月底前")],
            [P("2"), P("每季度开展一次电动自行车充电安全专项检查。"), P("县消防救援大队"), P("各乡镇人民政府"),
             P("每季度")]]
    t = Table(data, colWidths=[30, 200, 80, 100, 70])
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("SPAN", (2, 0), (3, 0)),
                           ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)), ("SPAN", (4, 0), (4, 1))]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([P("青石县2026年城市管理重点任务分解表"), P("(2026年3月2日)"), t])
    return buf.getvalue()


def test_pdf_ruled_table_rows_are_rebuilt():
    doc = extract_bytes(_pdf_with_ruled_table(), "表.pdf")["documents"][0]
    t = task_with(doc, "停车平台")
    # the cell's wrapped lines are one task, not cut at the line breaks
    assert "实现城区停车信息实时发布" in t["text"]
    assert (t["lead_units"], t["co_units"]) == (["县城管局"], ["县交警大队", "县发展改革局"])
    assert t["deadline"]["date"] == "2026-09-30"
    assert ("新增公共停车泊位", ">=", 600) in [(x["metric"], x["op"], x["value"]) for x in t["targets"]]
    t = task_with(doc, "充电安全")
    assert t["lead_units"] == ["县消防救援大队"] and t["deadline"]["recurrence"] == "quarterly"


def test_traditional_copy_is_recognised_and_kept_verbatim():
    text = ("青石縣2026年農村公路建設工作要點\n(2026年2月10日)\n一、加快農村公路提檔升級\n"
            "1.各鄉鎮要於年底前完成農村公路改造120公里,優良路率達到85%以上。\n"
            "2.縣交通運輸局牽頭,縣財政局配合,每季度開展一次工程質量檢查。\n")
    doc = doc_of(text)
    assert doc["date"] == "2026-02-10"
    t = task_with(doc, "農村公路改造")
    assert t["text"] in doc["text"] and "於年底前" in t["text"]
    assert t["lead_units"] == ["各鄉鎮"] and t["deadline"]["date"] == "2026-12-31"
    assert ("優良路率", ">=", 85) in [(x["metric"], x["op"], x["value"]) for x in t["targets"]]
    t = task_with(doc, "工程質量檢查")
    assert (t["lead_units"], t["co_units"]) == (["縣交通運輸局"], ["縣財政局"])


# ---------------------------------------------------------------- 5. compilations and furniture
def test_a_piece_ending_mid_word_does_not_swallow_the_next_piece():
    body = "要进一步提高办事效率,切实解决群众反映强烈的突出问题,把各项措施落到实处,可是有的单位的承诺内容却很含" * 2
    text = ("在全县作风建设大会上的讲话(精选2篇)\n在全县作风建设大会上的讲话 篇1\n" + body + "\n"
            "在全县作风建设大会上的讲话 篇2\n同志们:\n各乡镇要在年底前完成作风问题整改。\n")
    docs = extract_text(text)["documents"]
    assert len(docs) == 2
    assert docs[1]["tasks"][0]["text"].startswith("各乡镇")


def test_publication_marks_captions_and_page_metadata_are_not_tasks():
    text = ("索引号:11350100MB0000000A/2026-00012\n主题分类:城乡建设\n成文日期:2026-02-03\n"
            "关于做好2026年老旧小区改造工作的通知\n各乡镇人民政府:\n一、各乡镇要于6月底前完成改造计划申报。\n"
            "图为老旧小区改造现场。\n(此件公开发布)\n")
    doc = doc_of(text)
    assert doc["date"] == "2026-02-03"
    for junk in ("索引号", "主题分类", "此件公开发布", "图为"):
        assert junk not in doc["text"]
    assert [t["deadline"]["date"] for t in doc["tasks"]] == ["2026-06-30"]


# ---------------------------------------------------------------- 6. action vs principle
def test_minutes_decisions_and_plan_headings():
    text = ("青石县人民政府常务会议纪要\n〔2026〕第3期\n青石县人民政府办公室\n2026年3月5日\n"
            "3月4日上午,县长主持召开县政府常务会议,研究农村供水等事项。\n现将会议议定事项纪要如下。\n"
            "一、关于农村供水保障工作\n会议指出,部分供水站仍存在设施老化等问题。\n"
            "会议议定,由县水利局牵头,各乡镇人民政府配合,6月30日前完成8处供水站改造。\n"
            "二、壮大县域特色产业\n请假:副县长(外出学习)。\n")
    doc = doc_of(text)
    kinds = {t["text"][:8]: t["kind"] for t in doc["tasks"]}
    assert kinds.get("一、关于农村供水") == "action"
    assert kinds.get("二、壮大县域特色") == "action"
    t = task_with(doc, "供水站改造")
    assert t["kind"] == "action" and t["lead_units"] == ["县水利局"] and t["deadline"]["date"] == "2026-06-30"
    assert not any("主持召开" in t["text"] or "如下" in t["text"] or "请假" in t["text"] or "仍存在" in t["text"]
                   for t in doc["tasks"])


def test_report_sections_of_findings_are_narrative():
    text = ("青石县人民政府督查室关于一季度重点任务落实情况的督查通报\n(2026年4月20日)\n"
            "一、工作推进中的好做法\n县住建局推行拿地即开工模式,一季度审批时间压缩至15个工作日。\n"
            "二、存在的主要问题\n县农业农村局牵头的污水治理任务完成率仅为40%。\n"
            "三、整改要求\n相关责任单位要在5月31日前完成整改,整改完成率达到100%。\n")
    doc = doc_of(text)
    texts = [t["text"] for t in doc["tasks"]]
    assert not any("拿地即开工" in x or "仅为40%" in x for x in texts)
    t = task_with(doc, "完成整改")
    assert t["kind"] == "action" and t["deadline"]["date"] == "2026-05-31"


def test_shared_inputs_if_present():
    # the small real-world inputs of ../shared/inputs, where this checkout has them
    base = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "inputs")
    path = os.path.join(base, "task-table-merged-header.docx")
    if not os.path.exists(path):
        pytest.skip("shared inputs not present")
    from luoshi.extract import extract_file

    tasks = extract_file(path)["documents"][0]["tasks"]
    assert len(tasks) == 3
    assert tasks[0]["lead_units"] == ["市市场监管局"] and tasks[0]["deadline"]["date"] == "2026-06-30"


# ---------------------------------------------------------------- more shapes met while probing
def test_minutes_dated_in_their_first_sentence():
    text = ("县长办公会议纪要\n2026年4月8日,县长主持召开县长办公会议,专题研究城区停车问题。纪要如下:\n"
            "一、会议议定:\n(一)请县住建局牵头,会同县城管局,于5月15日前拿出停车设施建设计划。\n")
    doc = doc_of(text)
    assert doc["date"] == "2026-04-08"
    t = task_with(doc, "停车设施建设计划")
    assert t["deadline"]["date"] == "2026-05-15"
    assert (t["lead_units"], t["co_units"]) == (["县住建局"], ["县城管局"])
    assert not any("纪要如下" in x["text"] for x in doc["tasks"])


def test_last_years_figures_in_a_plan_are_narrative():
    doc = doc_of("青石县2026年教育工作要点\n(2026年2月5日)\n"
                 "2025年,全县新建幼儿园4所,完成校舍改造3.2万平方米。\n1.全年新建幼儿园3所。\n")
    assert [t["text"][:4] for t in doc["tasks"]] == ["1.全年"]


def test_full_width_input_to_the_parts():
    assert {m.name: m.role for m in find_units("县应急管理局会同县消防救援大队开展检查。")} == \
        {"县应急管理局": "lead", "县消防救援大队": "co"}
    assert {m.name: m.role for m in find_units("县政府办公室负责统筹协调，各成员单位要密切配合。")} == \
        {"县政府办公室": "lead", "各成员单位": "co"}
    got = tgt("建成区绿地率不低于38%，人均公园绿地面积达到14平方米。")
    assert ("人均公园绿地面积", ">=", 14) in got and ("建成区绿地率", ">=", 38) in got
    assert tgt("PM2.5平均浓度控制在30微克/立方米以下。") == [("PM2.5平均浓度", "<=", 30)]
    assert tgt("比去年同期增长15%。") == []
    assert find_deadline("本季度末完成验收。", 2026, None, "2026-02-10")["date"] == "2026-03-31"
    assert find_deadline("每学期组织一次演练。", 2026)["recurrence"] == "per-semester"


def test_html_table_with_colspan_and_rowspan():
    page = ("<html><body><p>青石县2026年重点任务分解表</p><p>(2026年3月1日)</p><table>"
            "<tr><th rowspan=2>序号</th><th rowspan=2>工作任务</th><th colspan=2>责任单位</th><th rowspan=2>完成时限</th></tr>"
            "<tr><th>牵头单位</th><th>配合单位</th></tr>"
            "<tr><td>1</td><td>新建城市书房6个。</td><td rowspan=2>县文旅局</td><td>县财政局</td><td>2026年10月底前</td></tr>"
            "<tr><td>2</td><td>每季度开展一次文化市场检查。</td><td>县公安局</td><td>每季度</td></tr>"
            "</table></body></html>")
    doc = extract_bytes(page.encode("utf-8"), "表.html")["documents"][0]
    assert len(doc["tasks"]) == 2
    t = task_with(doc, "城市书房")
    assert (t["lead_units"], t["co_units"]) == (["县文旅局"], ["县财政局"]) and t["deadline"]["date"] == "2026-10-31"
    t = task_with(doc, "文化市场检查")  # the lead unit cell merged down two rows
    assert (t["lead_units"], t["co_units"]) == (["县文旅局"], ["县公安局"])


def test_duty_headings_of_a_plan_are_principles_work_headings_actions():
    doc = doc_of("青石县2026年城乡环境整治实施方案\n(2026年3月1日)\n一、重点任务\n(一)开展农村垃圾治理\n"
                 "1.年底前实现农村生活垃圾收运处置体系全覆盖。\n二、保障措施\n(一)加强组织领导。\n(二)强化资金保障。\n"
                 "县财政局要安排专项资金500万元。\n")
    kinds = {t["text"]: t["kind"] for t in doc["tasks"]}
    assert kinds["(一)开展农村垃圾治理"] == "action"
    assert kinds["二、保障措施"] == "principle" and kinds["(一)加强组织领导。"] == "principle"
    assert kinds["(二)强化资金保障。"] == "action"
