"""考核结果通报 (.docx / PDF) in the official layout of GB/T 9704-2012: A4, margins 37/35/28/26 mm, red
issuing-office mark over a red rule, 发文字号, title in 2号 (22 pt), body in 3号仿宋 (16 pt), ranking
table per grade, issuing office and date at the right, page numbers "— n —". Built from a run's stored
(frozen) results only; the caller has already checked the reader may see the run."""
from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from luoshi.supervision.pdf import ISSUER, _cn_date, _p, cjk_font

from .models import Group, ScoreRun


def bulletin_data(run: ScoreRun) -> dict:
    plan = run.plan
    urs = list(run.units.order_by("position"))
    grades = {}
    for u in urs:
        grades.setdefault(u.grade, []).append(u.unit_name)
    day = (run.published_at or run.created_at).date()
    group = Group(plan.group).label
    draft = run.state != ScoreRun.State.PUBLISHED
    counts = ",".join(f"{g}{len(grades.get(g, []))}个" for g in ("优秀", "良好", "一般", "较差") if grades.get(g))
    return {
        "title": f"关于{plan.name}结果的通报" + ("(试算稿)" if draft else ""),
        "number": f"考核〔{day.year}〕{run.pk}号",
        "addressee": f"各{group}:" if group != "市直部门" else "市直各部门:",
        "intro": (f"根据《{plan.name}》,市政府督查室依据督办台账、督办单、限期整改、单位填报数据、专家评分和群众评议"
                  f"等情况,对{len(urs)}个{group}单位{run.period}年度工作进行了考核(数据截至{_cn_date(run.as_of)}前)。"
                  f"经计分、审核,评定{counts}。现将结果通报如下。"),
        "grades": [(g, grades.get(g, [])) for g in ("优秀", "良好", "一般", "较差") if grades.get(g)],
        "ranking": [(u.rank, u.unit_name, f"{u.total:.2f}", u.grade + ("(一票否决)" if u.vetoed else "")) for u in urs],
        "closing": (f"请各单位对照考核结果认真查找差距,抓好整改落实。对考核结果有异议的,请于{_cn_date(run.appeal_until)}前"
                    f"通过系统提出申诉。" if run.appeal_until else "本通报为试算结果,未经发布,不得对外提供。"),
        "issuer": ISSUER, "date": _cn_date(day), "draft": draft,
    }


def _page_number(canvas, doc):
    font, _ = cjk_font()
    canvas.saveState()
    canvas.setFont(font, 14)
    x = A4[0] - 26 * mm - 10 * mm if doc.page % 2 else 28 * mm + 10 * mm
    canvas.drawCentredString(x, 20 * mm, f"— {doc.page} —")
    canvas.restoreState()


def bulletin_pdf(data: dict) -> bytes:
    font, _ = cjk_font()
    red = colors.HexColor("#c00000")
    st = {
        "org": ParagraphStyle("org", fontName=font, fontSize=30, leading=38, alignment=TA_CENTER, textColor=red),
        "num": ParagraphStyle("num", fontName=font, fontSize=16, leading=28, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=font, fontSize=22, leading=33, alignment=TA_CENTER),
        "body": ParagraphStyle("body", fontName=font, fontSize=16, leading=28.9, alignment=TA_JUSTIFY, firstLineIndent=32),
        "plain": ParagraphStyle("plain", fontName=font, fontSize=16, leading=28.9),
        "head": ParagraphStyle("head", fontName=font, fontSize=16, leading=28.9, firstLineIndent=32),
        "right": ParagraphStyle("right", fontName=font, fontSize=16, leading=28.9, alignment=TA_RIGHT,
                                rightIndent=4 * 16),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=12, leading=16),
    }
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=37 * mm,
                            bottomMargin=35 * mm, title=data["title"], author=data["issuer"])
    story = [_p(f"{data['issuer']}文件", st["org"]), Spacer(1, 8 * mm), _p(data["number"], st["num"]),
             HRFlowable(width="100%", thickness=1.5, color=red, spaceBefore=1 * mm, spaceAfter=10 * mm),
             _p(data["title"], st["title"]), Spacer(1, 8 * mm), _p(data["addressee"], st["plain"]),
             _p(data["intro"], st["body"])]
    nums = "一二三四"
    for i, (grade, names) in enumerate(data["grades"]):
        story.append(_p(f"{nums[i]}、{grade}等次({len(names)}个)", st["head"]))
        story.append(_p("、".join(names) + "。", st["body"]))
    story.append(_p(f"{nums[len(data['grades'])]}、得分及排名", st["head"]))
    rows = [[_p(h, st["cell"]) for h in ("名次", "单位", "总分", "等次")]]
    rows += [[_p(c, st["cell"]) for c in r] for r in data["ranking"]]
    t = Table(rows, colWidths=[18 * mm, 86 * mm, 24 * mm, 28 * mm], repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [t, Spacer(1, 4 * mm), KeepTogether([_p(data["closing"], st["body"]), Spacer(1, 14 * mm),
                                                  _p(data["issuer"], st["right"]), _p(data["date"], st["right"])])]
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buf.getvalue()


def bulletin_docx(data: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = "FangSong_GB2312"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    normal.font.size = Pt(16)
    normal.paragraph_format.line_spacing = Pt(28.9)
    normal.paragraph_format.space_after = Pt(0)

    def para(text, *, size=16, align=None, bold=False, color=None, font=None, indent=False):
        p = doc.add_paragraph()
        if align:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        r = p.add_run(text)
        r.font.size, r.bold = Pt(size), bold
        if color:
            r.font.color.rgb = color
        if font:
            r.font.name = font
            r._element.rPr.rFonts.set(qn("w:eastAsia"), font)
        return p

    C = WD_ALIGN_PARAGRAPH.CENTER
    para(f"{data['issuer']}文件", size=30, align=C, color=RGBColor(0xC0, 0, 0), font="方正小标宋简体")
    para(data["number"], align=C)
    rule = para("", align=C)
    p_pr = rule._p.get_or_add_pPr()
    from docx.oxml import OxmlElement

    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    p_pr.append(bdr)
    para(data["title"], size=22, align=C, font="方正小标宋简体")
    para(data["addressee"])
    para(data["intro"], indent=True)
    nums = "一二三四"
    for i, (grade, names) in enumerate(data["grades"]):
        para(f"{nums[i]}、{grade}等次({len(names)}个)", indent=True, font="黑体")
        para("、".join(names) + "。", indent=True)
    para(f"{nums[len(data['grades'])]}、得分及排名", indent=True, font="黑体")
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, ("名次", "单位", "总分", "等次")):
        cell.text = h
    for row in data["ranking"]:
        for cell, v in zip(t.add_row().cells, row):
            cell.text = str(v)
    para(data["closing"], indent=True)
    para("")
    R = WD_ALIGN_PARAGRAPH.RIGHT
    para(data["issuer"], align=R)
    para(data["date"], align=R)
    # page number "— n —" in the footer
    fp = sec.footer.paragraphs[0]
    fp.alignment = C
    fp.add_run("— ")
    run = fp.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)
    fp.add_run(" —")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
