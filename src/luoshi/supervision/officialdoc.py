"""Official documents (公文) in the GB/T 9704-2012 layout, as .docx (python-docx) and PDF (reportlab),
from one neutral description, for any app that issues letters or 通报 (信访意见书, 明查暗访通报 …).

    doc = OfficialDoc(issuer="某市人民政府信访局", number="信复〔2026〕12号", title="信访事项答复意见书",
                      addressee="张*:", blocks=["正文段落…", Head("一、基本情况"), Image(jpeg_bytes, "图1 …")],
                      signature="某市发展和改革委员会", date=dt.date(2026, 3, 2), cc="市信访局")
    docx_bytes(doc) -> bytes;  pdf_bytes(doc) -> bytes

Layout (GB/T 9704-2012 党政机关公文格式): A4; 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so right 26 mm,
bottom 35 mm); 发文机关标志 centred in red 小标宋; 发文字号 centred, 红色分隔线 below it; 标题 2号小标宋
(22 pt) centred; 主送机关 顶格; 正文 3号仿宋 (16 pt), 22 lines a page (fixed line pitch 28.9 pt),
first line indented two characters; first-level heads 3号黑体; 署名 and 成文日期 right, the date 右空四字;
版记 (抄送) in 4号仿宋 (14 pt) between thin lines; page numbers 4号 "— 1 —", odd pages right and even
pages left (空一字). In the PDF every style uses the one embedded CJK font (supervision.pdf.cjk_font);
the .docx names the standard fonts (方正小标宋简体, 仿宋_GB2312, 黑体) and Word substitutes if missing.
Images (evidence photos) are scaled to the text width, at most 80 mm high.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

RED = "C00000"
MM = 72 / 25.4  # points per millimetre


@dataclass
class Head:
    text: str


@dataclass
class Image:
    data: bytes
    caption: str = ""


@dataclass
class OfficialDoc:
    issuer: str
    title: str
    blocks: list = field(default_factory=list)  # str paragraphs, Head, Image
    number: str = ""
    addressee: str = ""
    signature: str = ""
    date: dt.date | None = None
    cc: str = ""
    printer: str = ""


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# ---- .docx ----------------------------------------------------------------------------

def _font(run, name: str, size_pt: float, *, bold=False, color: str | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def _para(d, text: str, *, font="仿宋_GB2312", size=16, align=None, indent=True, bold=False, color=None,
          space_after=0, right_chars=0):
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    p = d.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28.9)
    fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if right_chars:
        fmt.right_indent = Pt(size * right_chars)
    if align is not None:
        p.alignment = align
    _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _rule(p, color: str, size_eighths: int, where: str = "bottom"):
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    bdr = ppr.makeelement(qn("w:pBdr"), {})
    line = bdr.makeelement(qn(f"w:{where}"), {qn("w:val"): "single", qn("w:sz"): str(size_eighths),
                                                qn("w:space"): "1", qn("w:color"): color})
    bdr.append(line)
    ppr.append(bdr)


def _page_field(paragraph, side_text=("— ", " —")):
    from docx.oxml.ns import qn

    def run_xml(el):
        r = paragraph.add_run()
        r._r.append(el)
        _font(r, "宋体", 14)

    _font(paragraph.add_run(side_text[0]), "宋体", 14)
    begin = paragraph._p.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "begin"})
    instr = paragraph._p.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
    instr.text = " PAGE "
    end = paragraph._p.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"})
    for el in (begin, instr, end):
        run_xml(el)
    _font(paragraph.add_run(side_text[1]), "宋体", 14)


def docx_bytes(doc: OfficialDoc) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    sec.footer_distance = Mm(28 - 7)
    d.settings.odd_and_even_pages_header_footer = True
    odd = sec.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_field(odd)
    even = sec.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_field(even)

    _para(d, doc.issuer, font="方正小标宋简体", size=26, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
          color=RED, space_after=12)
    num = _para(d, doc.number or " ", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=18)
    _rule(num, RED, 12)
    _para(d, " ", indent=False)
    _para(d, doc.title, font="方正小标宋简体", size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
          space_after=14)
    if doc.addressee:
        _para(d, doc.addressee, indent=False)
    for block in doc.blocks:
        if isinstance(block, Head):
            _para(d, block.text, font="黑体", size=16)
        elif isinstance(block, Image):
            from PIL import Image as PILImage

            with PILImage.open(io.BytesIO(block.data)) as im:
                w, h = im.size
            width_mm = min(156.0, 80.0 * w / h if h else 156.0)
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(io.BytesIO(block.data), width=Mm(width_mm))
            if block.caption:
                _para(d, block.caption, font="楷体_GB2312", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        else:
            for line in str(block).split("\n"):
                _para(d, line)
    if doc.signature or doc.date:
        _para(d, " ", indent=False)
        _para(d, " ", indent=False)
        if doc.signature:
            _para(d, doc.signature, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_chars=2)
        if doc.date:
            _para(d, cn_date(doc.date), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, right_chars=4)
    if doc.cc or doc.printer:
        _para(d, " ", indent=False)
        first = None
        if doc.cc:
            first = _para(d, f"抄送:{doc.cc}。", size=14, indent=False)
            first.paragraph_format.left_indent = Pt(14)
        last = _para(d, f"{doc.printer or doc.issuer}        {cn_date(doc.date or dt.date.today())}印发", size=14,
                     indent=False)
        last.paragraph_format.left_indent = Pt(14)
        _rule(first or last, "000000", 8, "top")
        _rule(last, "000000", 8, "bottom")
    out = io.BytesIO()
    d.core_properties.title = doc.title
    d.core_properties.author = doc.issuer
    d.save(out)
    return out.getvalue()


# ---- PDF ------------------------------------------------------------------------------

def pdf_bytes(doc: OfficialDoc) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Image as RLImage
    from xml.sax.saxutils import escape

    from .pdf import cjk_font

    font, _ = cjk_font()
    red = colors.HexColor("#" + RED)
    pitch = 28.9
    st = {
        "org": ParagraphStyle("org", fontName=font, fontSize=26, leading=36, alignment=TA_CENTER, textColor=red),
        "num": ParagraphStyle("num", fontName=font, fontSize=16, leading=pitch, alignment=TA_CENTER),
        "title": ParagraphStyle("title", fontName=font, fontSize=22, leading=34, alignment=TA_CENTER),
        "to": ParagraphStyle("to", fontName=font, fontSize=16, leading=pitch),
        "body": ParagraphStyle("body", fontName=font, fontSize=16, leading=pitch, firstLineIndent=32,
                               wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName=font, fontSize=16, leading=pitch, firstLineIndent=32),
        "caption": ParagraphStyle("cap", fontName=font, fontSize=14, leading=22, alignment=TA_CENTER),
        "sig": ParagraphStyle("sig", fontName=font, fontSize=16, leading=pitch, alignment=TA_RIGHT, rightIndent=32),
        "date": ParagraphStyle("date", fontName=font, fontSize=16, leading=pitch, alignment=TA_RIGHT,
                               rightIndent=64),
        "cc": ParagraphStyle("cc", fontName=font, fontSize=14, leading=22, leftIndent=14),
    }

    def p(text, style):
        return Paragraph(escape(str(text)), style)

    def page_number(canvas, document):
        n = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(font, 14)
        y = 35 * MM - 7 * MM - 14
        text = f"— {n} —"
        if n % 2:
            canvas.drawRightString(A4[0] - 26 * MM - 14, y, text)
        else:
            canvas.drawString(28 * MM + 14, y, text)
        canvas.restoreState()

    buf = io.BytesIO()
    frame_w = A4[0] - 54 * MM
    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * MM, rightMargin=26 * MM, topMargin=37 * MM,
                            bottomMargin=35 * MM, title=doc.title, author=doc.issuer)
    story = [p(doc.issuer, st["org"]), Spacer(1, 8), p(doc.number or " ", st["num"]),
             HRFlowable(width="100%", thickness=1.5, color=red, spaceBefore=4 * MM, spaceAfter=2 * pitch * 0.5),
             Spacer(1, pitch), p(doc.title, st["title"]), Spacer(1, pitch * 0.5)]
    if doc.addressee:
        story.append(p(doc.addressee, st["to"]))
    for block in doc.blocks:
        if isinstance(block, Head):
            story.append(p(block.text, st["head"]))
        elif isinstance(block, Image):
            img = RLImage(io.BytesIO(block.data))
            scale = min(frame_w / img.imageWidth, 80 * MM / img.imageHeight, 1.0 if img.imageWidth > 400 else 3.0)
            img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
            story += [Spacer(1, 4), img]
            if block.caption:
                story.append(p(block.caption, st["caption"]))
        else:
            story += [p(line, st["body"]) for line in str(block).split("\n")]
    if doc.signature or doc.date:
        story.append(Spacer(1, pitch * 2))
        if doc.signature:
            story.append(p(doc.signature, st["sig"]))
        if doc.date:
            story.append(p(cn_date(doc.date), st["date"]))
    if doc.cc or doc.printer:
        story += [Spacer(1, pitch), HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceAfter=3)]
        if doc.cc:
            story.append(p(f"抄送:{doc.cc}。", st["cc"]))
        story += [p(f"{doc.printer or doc.issuer}    {cn_date(doc.date or dt.date.today())}印发", st["cc"]),
                  HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceBefore=3)]
    pdf.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()
