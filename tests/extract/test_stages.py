"""Unit tests for each extraction stage, on sentences written for these tests."""
import io
import os
import subprocess
import sys
import zipfile

import pytest

from luoshi.extract import (CorruptFileError, ExtractError, UnsupportedTypeError, ZipBombError, extract_bytes,
                            extract_file, extract_text, find_deadline, find_targets, find_units)
from luoshi.extract.clean import clean, normalize_width
from luoshi.extract.outline import build_outline, split_sentences
from luoshi.extract.split import split_documents

DATA = os.path.join(os.path.dirname(__file__), "data")


def roles(sentence):
    return {m.name: m.role for m in find_units(sentence)}


# ---------------------------------------------------------------- clean
def test_width_normalisation_keeps_words():
    assert normalize_width("要求：（一）加强领导，确保１００％。") == "要求:(一)加强领导,确保100%。"


def test_boilerplate_removed_and_sentences_kept():
    raw = ("前言:本站为你精心整理了党建讲话范文,欢迎咨询。\n首页 > 范文 > 讲话稿\n同志们:\n"
           "各部门要按期完成整改(本文权属某某网所有,更多文章请登陆查看)任务。\nabc202401010101\n"
           "全市能耗同比 (下转第9页) (上接第3页) 下降5%。\n12\n上一篇:甲文章下一篇:乙文章\n")
    out = clean(raw)
    for junk in ("本站", "首页", "权属", "abc2024", "下转", "上接", "上一篇"):
        assert junk not in out
    assert "各部门要按期完成整改任务。" in out
    assert "\n12\n" not in out


def test_rejoin_broken_line():
    para = "我们要进一步加强对这项工作的组织领导,把各项任务分解落实到具体部门和具体岗位,没有真正认"
    out = clean(para + "\n识到问题的严重性就不可能抓好落实。\n二、加强督查")
    assert "没有真正认识到" in out
    assert out.endswith("\n二、加强督查")


# ---------------------------------------------------------------- split
def test_split_compilation():
    body = "今天召开会议。\n一、要加强领导。\n" * 20
    text = f"某讲话(精选2篇)\n在全区植树节动员会上的讲话 篇1\n区长 王明\n{body}在全区植树节动员会上的讲话 篇2\n{body}"
    docs = split_documents(clean(text))
    assert len(docs) == 2
    assert docs[0].title == "在全区植树节动员会上的讲话"
    assert docs[0].speaker == "区长 王明"


def test_document_date_from_line():
    res = extract_text("2023年城区绿化工作要点\n(2023年2月1日)\n各街道要在6月底前完成补植工作。\n")
    doc = res["documents"][0]
    assert doc["date"] == "2023-02-01"
    assert doc["tasks"][0]["deadline"]["date"] == "2023-06-30"


# ---------------------------------------------------------------- outline
def test_outline_levels_relative_and_run_in():
    text = ("一、统一思想认识    做好这项工作意义重大。\n第一,要加强领导\n一是建立例会制度。\n"
            "二是建立通报制度。\n二、狠抓工作落实\n一是明确责任。\n")
    sents = split_sentences(text)
    outline = build_outline(sents)
    assert [(o["level"], o["marker"]) for o in outline] == [
        (1, "一、"), (2, "第一,"), (3, "一是"), (3, "二是"), (1, "二、"), (2, "一是")]
    assert outline[0]["title"] == "统一思想认识"
    assert sents[-1].section == ("狠抓工作落实", "明确责任。"[:-1] if False else sents[-1].section[-1])


# ---------------------------------------------------------------- units
def test_units_lead_and_co_from_pattern():
    r = roles("由区教育局牵头,与区财政局、区人社局等部门共同负责校舍改造工作;")
    assert r == {"区教育局": "lead", "区财政局": "co", "区人社局": "co"}


def test_units_subject_sets_and_notes():
    assert roles("各乡镇(街道)、各部门要建立工作台账。") == {"各乡镇(街道)": "lead", "各部门": "lead"}
    assert roles("完成排查。(牵头单位:县住建局;配合单位:县消防救援大队、各乡镇)") == {
        "县住建局": "lead", "县消防救援大队": "co", "各乡镇": "co"}
    assert roles("县水务局要督促县自来水公司尽快完成管网改造。") == {"县水务局": "lead", "县自来水公司": "co"}


def test_no_people_as_units():
    assert roles("各级领导干部要带头学法用法。") == {}
    assert roles("广大文艺工作者要深入生活。") == {}


# ---------------------------------------------------------------- deadlines
@pytest.mark.parametrize("sentence,year,expect", [
    ("确保2019年年底前全面完成改造任务。", None, ("2019-12-31", None)),
    ("各单位要于6月底前报送总结。", 2021, ("2021-06-30", None)),
    ("各单位要于6月底前报送总结。", None, (None, None)),
    ("各牵头单位要于每月28日前报送进展情况。", 2021, (None, "monthly:28")),
    ("每年3月和9月开展集中检查。", None, (None, "yearly:03,09")),
])
def test_deadlines(sentence, year, expect):
    d = find_deadline(sentence, year)
    assert (d["date"], d["recurrence"]) == expect


def test_working_days_and_vague_words():
    d = find_deadline("对投诉事项要在五个工作日内办结。")
    assert d["date"] is None and d["working_days"] == 5
    assert find_deadline("要尽快研究,及时处理,适时推广。") is None


# ---------------------------------------------------------------- targets
def test_targets():
    t = find_targets("全县农村自来水普及率要稳定在95%以上,确保水质达标率100%。")
    assert [(x["metric"], x["op"], x["value"], x["unit"]) for x in t] == [
        ("全县农村自来水普及率", ">=", 95, "%"), ("水质达标率", "=", 100, "%")]
    t = find_targets("每个社区图书室藏书量达到3000册以上。")
    assert (t[0]["op"], t[0]["value"], t[0]["unit"]) == (">=", 3000, "册")
    assert find_targets("去年全县农村自来水普及率同比增长5%。") == []


# ---------------------------------------------------------------- ingest
def test_gbk_workplan_with_notes():
    res = extract_file(os.path.join(DATA, "workplan_gbk.txt"))
    doc = res["documents"][0]
    assert doc["date"] == "2024-03-05"
    by = {t["text"][:6]: t for t in doc["tasks"]}
    t = next(t for t in doc["tasks"] if "问题清单" in t["text"])
    assert t["lead_units"] == ["区城管局"] and t["co_units"] == ["区住建局", "各街道办事处"]
    t = next(t for t in doc["tasks"] if "30条" in t["text"])
    assert t["deadline"]["date"] == "2024-06-30"
    assert not any("去年" in t["text"] for t in doc["tasks"])
    assert by


def test_html_page():
    res = extract_file(os.path.join(DATA, "speech.html"))
    doc = res["documents"][0]
    assert "首页" not in doc["text"] and "上一篇" not in doc["text"] and "要建立档案" not in doc["text"]
    t = next(t for t in doc["tasks"] if "危险化学品" in t["text"])
    assert t["lead_units"] == ["县应急管理局"]


def _docx_bytes(paragraphs):
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx():
    data = _docx_bytes(["关于开展节水行动的通知", "一、各单位要在7月底前完成节水器具更换。"])
    res = extract_bytes(data, "plan.docx")
    assert any("节水器具" in t["text"] for t in res["documents"][0]["tasks"])


def test_pdf_text_layer():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "各街道要建立垃圾分类工作台账。")
    c.save()
    res = extract_bytes(buf.getvalue(), "a.pdf")
    assert "台账" in res["documents"][0]["text"]


def test_corrupt_and_bomb_refused():
    with pytest.raises(CorruptFileError) as e:
        extract_bytes(b"PK\x03\x04 this is not a zip", "x.docx")
    assert e.value.message_zh and e.value.message_en
    with pytest.raises(CorruptFileError):
        extract_bytes(b"%PDF-1.4 garbage", "x.pdf")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ZipBombError):
        extract_bytes(buf.getvalue(), "bomb.docx")
    with pytest.raises(UnsupportedTypeError):
        extract_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.doc")


def test_cli_errors_and_formats(tmp_path):
    from luoshi.extract.cli import main

    assert main([str(tmp_path / "missing.txt")]) == 1
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    assert main([str(bad)]) == 1
    out = tmp_path / "t.xlsx"
    assert main([os.path.join(DATA, "workplan_gbk.txt"), "--format", "xlsx", "-o", str(out)]) == 0
    import openpyxl

    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[1]] == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "目标", "所属章节",
                                        "来源文档"]
    assert ws.max_row > 3
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == list(range(1, ws.max_row))
    assert all(ws.cell(row=r, column=1).data_type == "n" for r in range(2, ws.max_row + 1))
    assert all(ws.cell(row=r, column=8).value for r in range(2, ws.max_row + 1))
    assert main([DATA, "--format", "md", "-o", str(tmp_path / "a.md")]) == 0


def test_error_message_one_line_via_console():
    p = subprocess.run([sys.executable, "-c", "import sys; from luoshi.extract.cli import main; sys.exit(main(sys.argv[1:]))",
                        "/nonexistent/file.txt"], capture_output=True, text=True)
    assert p.returncode == 1
    assert p.stderr.strip().count("\n") == 0 and "no such file" in p.stderr


def test_no_django_import():
    code = "import sys, luoshi.extract; extract = luoshi.extract.extract_text('要加强领导。'); print('django' in sys.modules)"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": "src"})
    assert p.stdout.strip() == "False", p.stderr
