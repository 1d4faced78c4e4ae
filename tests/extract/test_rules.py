"""General rules, each checked on small documents written for these tests."""
from luoshi.extract import extract_text
from luoshi.extract.classify import label_sentence
from luoshi.extract.clean import clean
from luoshi.extract.outline import build_outline, split_sentences


def outline_of(text):
    sents = split_sentences(text)
    return build_outline(sents, text), sents


def tasks_of(text):
    return [t for d in extract_text(text)["documents"] for t in d["tasks"]]


# ---------------------------------------------------------------- cleaning
def test_prose_line_before_breadcrumb_line_is_kept():
    text = "各街道要在月底前完成排查\n首页 > 新闻 > 正文\n下一篇:其他文章\n"
    out = clean(text)
    assert "各街道要在月底前完成排查" in out
    assert "首页" not in out and "下一篇" not in out


def test_page_numbers_and_nav_lines_removed_line_by_line():
    text = "一、加强领导。\n- 3 -\n第 2 页 共 5 页\n责任编辑:李四\n二、狠抓落实。\n"
    assert clean(text) == "一、加强领导。\n二、狠抓落实。"


# ---------------------------------------------------------------- outline
def test_run_in_enumeration_inside_a_paragraph():
    text = ("一、完善服务体系\n各区县要抓好三项工作。一是要建设便民服务站。二是要培训窗口人员;"
            "三是开展群众满意度测评。\n")
    outline, _ = outline_of(text)
    assert [(o["level"], o["marker"]) for o in outline] == [(1, "一、"), (2, "一是"), (2, "二是"), (2, "三是")]


def test_marker_after_colon_opens_a_heading():
    text = "这里提三点要求:第一,要压实责任。\n第二,要严格考核。\n"
    outline, sents = outline_of(text)
    assert [o["marker"] for o in outline] == ["第一,", "第二,"]
    assert outline[0]["title"] == "要压实责任"
    assert sents[0].heading == 1


def test_yi_yao_er_yao_markers():
    text = "一要强化组织领导。\n各部门要明确分管领导。\n二要营造良好氛围。\n"
    outline, _ = outline_of(text)
    assert [(o["level"], o["marker"]) for o in outline] == [(1, "一要"), (1, "二要")]


def test_yao_qiu_is_not_a_marker():
    outline, _ = outline_of("一要求各单位按时报送。\n")
    assert outline == []


def test_unnumbered_heading_line():
    text = ("2024年农村工作要点\n今年农村工作任务很重。\n"
            "夯实基础,补齐短板,全面推进乡村振兴\n各乡镇要完成道路硬化。\n"
            "强化保障,压实责任,确保各项任务落到实处\n县财政局要足额安排资金。\n")
    outline, _ = outline_of(text)
    assert [o["title"] for o in outline] == ["夯实基础,补齐短板,全面推进乡村振兴", "强化保障,压实责任,确保各项任务落到实处"]
    assert all(o["level"] == 1 for o in outline)


def test_short_lines_that_are_not_headings():
    # table cells, names and dates on their own lines are not headings
    text = "任务分解表\n序号 任务 牵头单位\n县住建局\n2024年6月底前\n各乡镇要完成改厕任务。\n"
    outline, _ = outline_of(text)
    assert outline == []


def test_repeated_lead_exhortations_are_subheadings():
    body = "这是一个需要长期坚持的过程。大家要有耐心。\n"
    text = ("第一,服务群众\n要深入基层一线。" + body + "要倾听群众呼声。" + body + "要解决实际困难。" + body)
    outline, _ = outline_of(text)
    assert [(o["level"], o["title"]) for o in outline] == [
        (1, "服务群众"), (2, "要深入基层一线"), (2, "要倾听群众呼声"), (2, "要解决实际困难")]


def test_single_lead_exhortation_is_not_a_heading():
    text = "要深入基层一线。这是一个需要长期坚持的过程。\n大家要有耐心。\n"
    outline, _ = outline_of(text)
    assert outline == []


# ---------------------------------------------------------------- classification
def test_nominal_construction_is_not_a_deliverable():
    # 作风建设 names a field of work, 建设一个… names something to build
    assert label_sentence("要加强机关作风建设。") == "principle"
    assert label_sentence("要在每个社区建设一个文化活动室。") == "action"


def test_organised_education_and_training_are_work():
    assert label_sentence("要深入开展法治宣传和廉政教育。") == "action"
    assert label_sentence("要加强青年人才培养。") == "action"


def test_weighing_relations_is_a_principle():
    assert label_sentence("要正确处理速度与质量的关系。") == "principle"
    assert label_sentence("要注重发挥基层首创精神。") == "principle"


def test_numbered_plan_item_without_other_evidence_is_work():
    assert label_sentence("2、学习法律法规知识。", heading=True) == "action"
    # the same words in running prose stay a general requirement
    assert label_sentence("要学习法律法规知识。") == "principle"


def test_top_level_theme_over_numbered_items_is_a_principle():
    text = ("关于加强社区治理的讲话\n同志们:\n"
            "一、建立健全社区治理机制\n(一)建立网格员制度。各街道要在每个网格配备1名专职网格员。\n"
            "(二)建立议事协商制度。\n二、完成年度改造任务(牵头单位:区住建局)\n"
            "(一)完成老旧小区改造。\n")
    tasks = {t["text"]: t["kind"] for t in tasks_of(text)}
    assert tasks["一、建立健全社区治理机制"] == "principle"
    assert tasks["(一)建立网格员制度。"] == "action"
    # a top-level heading with a responsible unit stays checkable work
    assert tasks["二、完成年度改造任务(牵头单位:区住建局)"] == "action"


# ---------------------------------------------------------------- units
def roles(sentence):
    from luoshi.extract import find_units
    return {m.name: m.role for m in find_units(sentence)}


def test_level_prefix_shared_by_a_unit_list():
    assert roles("市、县两级政务服务中心群众满意率要达到95%以上。") == {"市、县两级政务服务中心": "lead"}
    assert roles("省、市垂直管理部门要主动接受属地监督。") == {"省、市垂直管理部门": "lead"}


def test_named_unit_then_coordinated_departments():
    assert roles("区纪委和组织、人事、财政等部门要加强协作。") == {"区纪委": "lead", "组织、人事、财政等部门": "lead"}


def test_long_co_list_with_deng():
    r = roles("由县卫健局牵头,与县教育局、县民政局、县财政局、县医保局、县市场监管局、县总工会、团县委、县妇联等部门共同负责此项工作;")
    assert r["县卫健局"] == "lead"
    assert {k for k, v in r.items() if v == "co"} == {"县教育局", "县民政局", "县财政局", "县医保局", "县市场监管局",
                                                   "县总工会", "团县委", "县妇联"}


def test_words_that_only_look_like_suffixes():
    # 社会, 科技, 处理, 格局, 办公: not the end of a unit name
    assert roles("全县科技工作要进一步深化体制改革。") == {}
    assert roles("要及时处理群众来信,形成齐抓共管的工作格局。") == {}
    assert roles("结合开展创建学习型社会活动,集中宣传典型经验。") == {}


def test_people_of_an_organisation_are_not_the_organisation():
    assert roles("所有机关干部都要从我做起。") == {}
    assert roles("企业员工要学习专业技能。") == {}
    assert roles("各级党委和相关部门的领导干部要带头学习。") == {}


def test_bodies_named_after_their_work():
    assert roles("协调小组下设办公室,具体承担日常工作。") == {"协调小组": "lead"}
    assert roles("各牵头单位要建立工作台账。") == {"各牵头单位": "lead"}


def test_subject_unit_with_a_comparison():
    assert roles("要完善监测机制,各乡镇水质抽检不少于4次。") == {"各乡镇": "lead"}


def test_unit_subject_without_modal_is_a_task():
    text = "关于推进社区教育的讲话\n同志们:\n职业院校、社区学院试行学分互认,让居民就近学习。\n去年全区新建社区学校12所。\n"
    kinds = {t["text"]: t for t in tasks_of(text)}
    t = kinds["职业院校、社区学院试行学分互认,让居民就近学习。"]
    assert t["kind"] == "action" and t["lead_units"] == ["职业院校", "社区学院"]
    assert not any("去年" in k for k in kinds)


# ---------------------------------------------------------------- a dated task breakdown
def test_task_breakdown_with_notes():
    import os

    from luoshi.extract import extract_file

    doc = extract_file(os.path.join(os.path.dirname(__file__), "data", "task_breakdown.txt"))["documents"][0]
    assert doc["date"] == "2024-03-15"
    by = {t["text"][:2]: t for t in doc["tasks"]}
    # (牵头单位:A;责任单位:B、C): A leads, B and C take part
    assert (by["1."]["lead_units"], by["1."]["co_units"]) == (["县行政审批局"], ["县数据局", "各乡镇人民政府"])
    assert by["1."]["targets"][0]["op"] == ">=" and by["1."]["targets"][0]["value"] == 98
    assert by["2."]["deadline"]["date"] == "2024-06-30"
    assert by["3."]["deadline"]["recurrence"] == "monthly:25"
    assert (by["5."]["lead_units"], by["5."]["co_units"]) == (["县财政局"], ["县金融办"])
    assert by["6."]["deadline"]["recurrence"] == "quarterly"
    # a plan's numbered heading names a piece of work (annotation.md §1, sharpened)
    assert [by[k]["kind"] for k in ("一、", "二、")] == ["action"] * 2
    last = doc["tasks"][-1]
    assert last["lead_units"] == ["县委督查室", "县政府督查室"] and last["kind"] == "action"


def test_statements_of_figures_and_problems_in_a_speech():
    # a figure without a modal in a speech reports a result
    assert label_sentence("一季度,全区网上办件率稳定在95%以上。") == "none"
    assert label_sentence("全区网上办件率要稳定在95%以上。") == "action"
    # the same line in a work plan is a target
    assert label_sentence("全区网上办件率稳定在95%以上。", planlike=True) == "action"
    assert label_sentence("三是基层服务站点建设差距较大。", heading=True) == "none"
    assert label_sentence("四是专业人才力量仍然薄弱。", heading=True) == "none"


def test_topic_heading_is_not_a_task():
    assert label_sentence("(三)关于当前需要注意的几个问题。", heading=True) == "none"


# ---------------------------------------------------------------- task breakdown tables
def _docx_with_table(rows):
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("2024年全区安全生产重点任务分解表")
    d.add_paragraph("(2024年2月20日)")
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            t.cell(r, c).text = v
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_task_table_columns_become_units_and_deadlines():
    from luoshi.extract import extract_bytes

    data = _docx_with_table([
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
        ["1", "开展燃气安全专项整治,排查整改隐患", "区应急管理局", "区住建局、各街道办事处", "2024年6月底前"],
        ["2", "建立危化品企业安全风险分级管控制度", "区应急管理局", "", "2024年9月"],
    ])
    doc = extract_bytes(data, "plan.docx")["documents"][0]
    tasks = [t for t in doc["tasks"] if t["text"].startswith(("开展燃气", "建立危化品"))]
    assert len(tasks) == 2
    a, b = tasks
    assert a["kind"] == "action" and a["lead_units"] == ["区应急管理局"]
    assert a["co_units"] == ["区住建局", "各街道办事处"]
    assert a["deadline"]["date"] == "2024-06-30"
    assert b["lead_units"] == ["区应急管理局"] and b["deadline"]["date"] == "2024-09-30"


def test_other_docx_tables_keep_their_cells():
    from luoshi.extract.ingest import table_lines

    assert table_lines([["姓名", "职务"], ["张三", "局长"]]) == ["姓名 职务", "张三 局长"]


def test_html_task_table_and_layout_tables():
    from luoshi.extract import extract_bytes

    html = ("<html><head><meta charset='utf-8'><title>任务分解</title></head><body>"
            "<table><tr><td><p>2024年城区绿化工作任务分解表</p><p>(2024年3月1日)</p>"
            "<table border=1><tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>"
            "<tr><td>1</td><td>完成主干道补植<br>补种行道树</td><td>区园林局</td><td>各街道</td><td>2024年5月底前</td></tr>"
            "</table></td></tr></table></body></html>").encode("utf-8")
    doc = extract_bytes(html, "page.html")["documents"][0]
    t = next(t for t in doc["tasks"] if "补植" in t["text"])
    assert t["lead_units"] == ["区园林局"] and t["co_units"] == ["各街道"]
    assert t["deadline"]["date"] == "2024-05-31"


def test_supervision_as_a_function_versus_an_inspection():
    assert label_sentence("要强化对干部作风的监督检查。") == "principle"
    assert label_sentence("要在国庆前组织开展一次安全生产大检查。") == "action"
    # "一个多月", "五个方面": counting words are rhetoric, not a deliverable
    assert label_sentence("每一个党员都要摆正位置,积极参与。") == "principle"


def test_text_before_the_first_numbered_piece_is_kept():
    from luoshi.extract.split import split_documents

    first = "在全县春耕生产会议上的讲话\n" + "".join(f"第{i}片区要在4月底前完成春播任务{'。' * (i % 3 + 1)}\n" for i in range(1, 16))
    body = "今天召开会议。\n一、要加强领导。\n" * 20
    text = clean(first + f"在全区植树节动员会上的讲话 篇1\n{body}在全区植树节动员会上的讲话 篇2\n{body}")
    docs = split_documents(text)
    assert len(docs) == 3
    assert "春播任务" in docs[0].text
    assert sum(len(d.text) for d in docs) >= len(text) - 100


# ---------------------------------------------------------------- deadlines
def test_bare_this_year_is_a_limit_only_with_work_in_its_clause():
    from luoshi.extract import find_deadline

    assert find_deadline("今年全县还要新建三所幼儿园。", 2023)["text"] == "今年"
    assert find_deadline("今年,我们要把乡村振兴作为主线。", 2023) is None
    assert find_deadline("这是全县今年工作的重点,各乡镇要抓好落实。", 2023) is None
    assert find_deadline("今年年底前完成改造。", 2023)["date"] == "2023-12-31"
