"""Official documents (公文) in the layout of GB/T 9704-2012《党政机关公文格式》, as PDF and .docx.

Every document luoshi sends out (督办单, 通报, 答复意见书, 考核结果通报, 典型问题通报 …) is described
once as an `OfficialDocument` and rendered by `render_pdf` or `render_docx`, so all of them share
one page setup:

- A4 (210 mm × 297 mm); 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm (§5.2.1, §5.2.2);
- body 3号 (16 pt) 仿宋-style face, 22 lines of 28 characters per page, so a line pitch of
  225 mm / 22 ≈ 28.95 pt (§5.2.3, §7.3.3); first lines indented two characters;
- 版头: the issuing body's name (发文机关标志) in red 小标宋-style, centred, 35 mm below the top of
  the 版心 (§7.2.1); 发文字号 two lines below it (§7.2.3), and a red rule of the 版心's width 4 mm
  below that (§7.2.6);
- title in 2号 (22 pt) 小标宋-style, centred, one blank line below the red rule (§7.3.1);
- 主送机关 flush left (§7.3.2); headings 一、 in 黑体, (一) in 楷体 (§7.3.3);
- 发文机关署名 and 成文日期 (dates in Arabic numerals) below the body, the date two characters from
  the right edge and its first character two characters right of the signature's (§7.3.5.2);
- 版记 (抄送, 印发机关 and 印发日期) at the foot of the last page between a thick first and last
  rule and thin rules between (§7.4);
- page numbers "— 1 —" in 4号 (14 pt), 7 mm below the 版心, right on odd pages and left on even
  pages, one character in from the edge (§7.5).

Fonts: GB/T 9704 names 方正小标宋 and 仿宋_GB2312, which are not free. The free stand-ins from
Debian packages are embedded: AR PL SungtiL GB (fonts-arphic-gbsn00lp) for 小标宋/宋体, AR PL KaitiM
GB (fonts-arphic-gkai00mp) for 仿宋 and 楷体, WenQuanYi Zen Hei (fonts-wqy-zenhei) for 黑体. An
office with licensed faces points LUOSHI_FONT_SONG, LUOSHI_FONT_FANGSONG, LUOSHI_FONT_HEI and
LUOSHI_FONT_KAI at their TrueType files. The .docx names the standard faces (方正小标宋简体,
仿宋_GB2312, 黑体, 楷体_GB2312), which Word on an office machine has.

The issuing body comes from the setting LUOSHI_ISSUER (e.g. 临江市人民政府督查室).
"""
from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

MM = 72 / 25.4  # points per millimetre
PAGE_W, PAGE_H = 210 * MM, 297 * MM
TOP, LEFT = 37 * MM, 28 * MM
TEXT_W, TEXT_H = 156 * MM, 225 * MM
RIGHT, BOTTOM = PAGE_W - LEFT - TEXT_W, PAGE_H - TOP - TEXT_H
BODY_PT = 16            # 3号
TITLE_PT = 22           # 2号
NOTE_PT = 14            # 4号 (版记, page numbers)
LINE = TEXT_H / 22      # 22 lines per page
RED = (0.8, 0.0, 0.0)   # #CC0000

# (name, candidates (path, subfont index)); the first that reportlab can embed wins.
_FACES = {
    "song": ("LUOSHI_FONT_SONG", [("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0),
                                  ("/usr/share/fonts/truetype/arphic/uming.ttc", 0)]),
    "fangsong": ("LUOSHI_FONT_FANGSONG", [("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0),
                                          ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
                                          ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0)]),
    "hei": ("LUOSHI_FONT_HEI", [("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
                                ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0)]),
    "kai": ("LUOSHI_FONT_KAI", [("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0),
                                ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0)]),
}
_ANY_CJK = [("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0), ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
            ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0)]
DOCX_FACES = {"song": "方正小标宋简体", "fangsong": "仿宋_GB2312", "hei": "黑体", "kai": "楷体_GB2312"}


def issuer() -> str:
    """The issuing body (发文机关) from settings/env LUOSHI_ISSUER."""
    try:
        from django.conf import settings

        value = getattr(settings, "LUOSHI_ISSUER", None)
    except Exception:  # settings not configured: a plain library call
        value = None
    return value or os.environ.get("LUOSHI_ISSUER") or "市人民政府督查室"


@lru_cache(maxsize=None)
def font(face: str) -> str:
    """The reportlab font name registered for `face` (song, fangsong, hei, kai), embedded TrueType."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    env, candidates = _FACES[face]
    given = os.environ.get(env)
    for path, index in ([(given, 0)] if given else []) + candidates + _ANY_CJK:
        if not path or not os.path.exists(path):
            continue
        name = f"Luoshi-{face}"
        try:
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
        except Exception:  # CFF-outline OpenType cannot be embedded by reportlab
            continue
        return name
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


_BREAK_AFTER = ("关于", "的", "、", ")", "）", "》", "”", "〕")
_BREAK_BEFORE = ("情况", "工作", "的通报", "的通知", "的意见", "的报告", "的决定", "意见书", "通报", "实施")
_OPEN, _CLOSE = "(（《“〔[【", ")）》”〕]】"


def title_lines(title: str, width: float | None = None, size: float = TITLE_PT, face: str = "song") -> str:
    """The title with line breaks ("\n") where it needs more than one line: GB/T 9704-2012 7.3.3 (标题回行时,
    要做到词意完整,排列对称,长短适宜,排列成梯形或菱形) — lines of near-equal width, the longer first, broken at
    a natural point where there is one (after 关于/的/、/a closing bracket, before 情况/工作/的通报 …), never
    inside brackets, a number or a Latin word, never leaving a character or two alone on a line (as plain
    wrapping did: “…情况的通\n报”). A title that fits on one line is returned unchanged."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    title = " ".join(str(title).split())
    width = TEXT_W if width is None else width
    fname = font(face)

    def w(t: str) -> float:
        return stringWidth(t, fname, size)

    if not title or w(title) <= width:
        return title
    depth, allowed, inside = 0, [], set()
    for i, ch in enumerate(title[:-1]):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        nxt = title[i + 1]
        if ch in _OPEN or nxt in _CLOSE + "、,，。;；:：" or (ch.isascii() and ch.isalnum() and nxt.isascii()
                                                          and nxt.isalnum()):
            continue
        allowed.append(i + 1)
        if depth:
            inside.add(i + 1)

    def split(text: str, lines: int, start: int) -> list[str] | None:
        if lines == 1:
            return [text] if w(text) <= width else None
        target = w(text) / lines
        best, best_cost = None, None
        for cut in (c - start for c in allowed if start < c < start + len(text)):
            head = text[:cut]
            if w(head) > width or len(head) < 3 or len(text) - cut < 3:
                continue
            rest = split(text[cut:], lines - 1, start + cut)
            if rest is None:
                continue
            natural = head.endswith(_BREAK_AFTER) or text[cut:].startswith(_BREAK_BEFORE)
            cost = (abs(w(head) - target) + (0 if natural else 8 * size) + (2 * size if start + cut in inside else 0)
                    + (0 if w(head) >= w(rest[0]) else size / 2))
            if best_cost is None or cost < best_cost:
                best, best_cost = [head] + rest, cost
        return best

    for lines in range(2, 6):
        got = split(title, lines, 0)
        if got:
            return "\n".join(got)
    return title


def cn_date(day: dt.date) -> str:
    """成文日期 in Arabic numerals, no leading zeros (GB/T 9704 §7.3.5.1): 2026年11月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Table:
    """A table inside the body: header cells, rows of cells, relative column widths."""

    header: list[str]
    rows: list[list]
    widths: list[float] | None = None


@dataclass
class Figure:
    """A picture inside the body (e.g. an inspection photo): JPEG/PNG bytes and a caption below it,
    scaled to the 版心's width and at most 80 mm high, centred."""

    data: bytes
    caption: str = ""


@dataclass
class OfficialDocument:
    """One 公文. `body` holds paragraphs (str), headings (("h1", text) 一、…, ("h2", text) (一)…)
    , `Table`s and `Figure`s. Text is plain: markup is escaped, never interpreted."""

    title: str
    body: list = field(default_factory=list)
    number: str = ""                 # 发文字号, e.g. 临督办〔2026〕12号
    addressee: str = ""              # 主送机关
    signature: str = ""              # 发文机关署名 (default: the issuer)
    date: dt.date | None = None      # 成文日期
    copies: list[str] = field(default_factory=list)  # 抄送
    printed_by: str = ""             # 印发机关 (default: the issuer)
    printed_on: dt.date | None = None
    issuer: str = ""                 # 发文机关标志 (default: LUOSHI_ISSUER)
    title_color: tuple | None = None  # e.g. the colour of a 三色督办单; default black
    annex: list = field(default_factory=list)  # content after the signature (e.g. 附:单位回复)

    def resolved_issuer(self) -> str:
        return self.issuer or issuer()


# ---- PDF -----------------------------------------------------------------

def _styles():
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    fs, song, hei, kai = font("fangsong"), font("song"), font("hei"), font("kai")
    return {
        "body": ParagraphStyle("body", fontName=fs, fontSize=BODY_PT, leading=LINE, firstLineIndent=2 * BODY_PT,
                               alignment=TA_LEFT, wordWrap="CJK"),
        "flush": ParagraphStyle("flush", fontName=fs, fontSize=BODY_PT, leading=LINE, wordWrap="CJK"),
        # headings keep with what follows: never alone at the foot of a page
        "h1": ParagraphStyle("h1", fontName=hei, fontSize=BODY_PT, leading=LINE, firstLineIndent=2 * BODY_PT,
                             wordWrap="CJK", keepWithNext=1),
        "h2": ParagraphStyle("h2", fontName=kai, fontSize=BODY_PT, leading=LINE, firstLineIndent=2 * BODY_PT,
                             wordWrap="CJK", keepWithNext=1),
        "title": ParagraphStyle("title", fontName=song, fontSize=TITLE_PT, leading=TITLE_PT * 1.5,
                                alignment=TA_CENTER, wordWrap="CJK"),
        "number": ParagraphStyle("number", fontName=fs, fontSize=BODY_PT, leading=LINE, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", fontName=fs, fontSize=10.5, leading=14, wordWrap="CJK"),
        "head_cell": ParagraphStyle("head_cell", fontName=hei, fontSize=10.5, leading=14, wordWrap="CJK",
                                    alignment=TA_CENTER),
        "caption": ParagraphStyle("caption", fontName=kai, fontSize=NOTE_PT, leading=NOTE_PT * 1.6,
                                  alignment=TA_CENTER, wordWrap="CJK"),
        "note": ParagraphStyle("note", fontName=fs, fontSize=NOTE_PT, leading=NOTE_PT * 1.6, leftIndent=NOTE_PT,
                               rightIndent=NOTE_PT, wordWrap="CJK"),
    }


def _para(text, style, color=None):
    from reportlab.platypus import Paragraph

    markup = escape(str(text)).replace("\n", "<br/>")
    if color is not None:
        markup = '<font color="#%02x%02x%02x">%s</font>' % (*(int(c * 255) for c in color), markup)
    return Paragraph(markup, style)


def _masthead(name: str):
    """发文机关标志: red, 小标宋-style, as large as fits the 版心's width (at most 36 pt)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Flowable

    song = font("song")

    class Masthead(Flowable):
        def wrap(self, aw, ah):
            self.size = min(36.0, TEXT_W / max(1.0, stringWidth(name, song, 1.0)))
            return TEXT_W, self.size * 1.25

        def draw(self):
            c = self.canv
            c.setFillColorRGB(*RED)
            c.setFont(song, self.size)
            c.drawCentredString(TEXT_W / 2, self.size * 0.2, name)

    return Masthead()


def _rule(color, width_mm: float, space_before=0.0, space_after=0.0):
    from reportlab.lib import colors
    from reportlab.platypus import HRFlowable

    return HRFlowable(width="100%", thickness=width_mm * MM, color=colors.Color(*color),
                      spaceBefore=space_before, spaceAfter=space_after)


def _table(t: Table, s):
    from reportlab.lib import colors
    from reportlab.platypus import Table as RLTable, TableStyle

    weights = t.widths or [1] * len(t.header)
    total = sum(weights)
    widths = [TEXT_W * w / total for w in weights]
    data = [[_para(h, s["head_cell"]) for h in t.header]]
    data += [[_para("" if c is None else c, s["cell"]) for c in row] for row in t.rows]
    table = RLTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def _body(items, s):
    from reportlab.platypus import Spacer

    out = []
    for item in items:
        if isinstance(item, Table):
            out += [_table(item, s), Spacer(1, LINE * 0.4)]
        elif isinstance(item, Figure):
            from reportlab.platypus import Image as RLImage

            img = RLImage(io.BytesIO(item.data))
            scale = min(TEXT_W / img.imageWidth, 80 * MM / img.imageHeight)
            img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
            out += [Spacer(1, LINE * 0.2), img]
            if item.caption:
                out.append(_para(item.caption, s["caption"]))
        elif isinstance(item, tuple):
            kind, text = item
            out.append(_para(text, s.get(kind, s["body"])))
        else:
            out.append(_para(item, s["body"]))
    return out


def _signature_block(doc: OfficialDocument, s):
    """署名 and 成文日期 (§7.3.5.2): the date two characters from the right, its first character two
    characters right of the signature's first; a longer signature pushes the date right."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    sig = doc.signature or doc.resolved_issuer()
    date = cn_date(doc.date) if doc.date else ""
    fs = font("fangsong")
    w_sig, w_date = stringWidth(sig, fs, BODY_PT), stringWidth(date, fs, BODY_PT)
    char = BODY_PT
    date_x = TEXT_W - 2 * char - w_date
    sig_x = date_x - 2 * char
    if sig_x + w_sig > TEXT_W - 2 * char:  # signature longer than the date allows
        sig_x = TEXT_W - 2 * char - w_sig
        date_x = sig_x + 2 * char
    out = [_para("", s["flush"])]
    out.append(_para(sig, ParagraphStyle("sig", parent=s["flush"], leftIndent=max(0.0, sig_x))))
    if date:
        out.append(_para(date, ParagraphStyle("date", parent=s["flush"], leftIndent=max(0.0, date_x))))
    return out


def _colophon(doc: OfficialDocument, s):
    """版记 at the foot of the last page (§7.4): 抄送 then 印发机关/印发日期 between rules."""
    from reportlab.platypus import Flowable, Table as RLTable, TableStyle

    rows = []
    if doc.copies:
        rows.append(_para("抄送:" + "、".join(doc.copies) + "。", s["note"]))
    printed_by = doc.printed_by or doc.resolved_issuer()
    printed_on = doc.printed_on or doc.date
    left = _para(printed_by, s["note"])
    right = _para((cn_date(printed_on) + "印发") if printed_on else "", s["note"])
    right.style = right.style.clone("note_right", alignment=2)
    parts = rows + [RLTable([[left, right]], colWidths=[TEXT_W * 0.6, TEXT_W * 0.4],
                            style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                              ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))]

    class Colophon(Flowable):
        """Takes the rest of the page and draws the 版记 at its bottom (moves to a new page if
        the rest is too short)."""

        def wrap(self, aw, ah):
            self.heights = [p.wrap(aw, ah)[1] for p in parts]
            need = sum(self.heights) + 8 * len(parts) + 6
            self.need = need
            return aw, max(need, ah - 1)

        def draw(self):
            c = self.canv
            y = 0.0
            c.setStrokeColorRGB(0, 0, 0)
            c.setLineWidth(0.35 * MM)
            c.line(0, y, TEXT_W, y)  # last rule, thick
            for i, (part, h) in enumerate(reversed(list(zip(parts, self.heights)))):
                y += 4
                part.drawOn(c, 0, y)
                y += h + 4
                last = i == len(parts) - 1
                c.setLineWidth((0.35 if last else 0.25) * MM)
                c.line(0, y, TEXT_W, y)

    return Colophon()


def _page_number(canvas, doc):
    """"— N —" 7 mm below the 版心; odd pages right, even pages left, one character in (§7.5)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    n = canvas.getPageNumber()
    text = f"— {n} —"
    face = font("song")
    canvas.saveState()
    canvas.setFont(face, NOTE_PT)
    y = BOTTOM - 7 * MM - NOTE_PT * 0.8
    width = stringWidth(text, face, NOTE_PT)
    x = LEFT + TEXT_W - NOTE_PT - width if n % 2 else LEFT + NOTE_PT
    canvas.drawString(x, y, text)
    canvas.restoreState()


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as an A4 PDF with embedded fonts (bytes)."""
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

    s = _styles()
    buf = io.BytesIO()
    template = BaseDocTemplate(buf, pagesize=(PAGE_W, PAGE_H), leftMargin=LEFT, rightMargin=RIGHT,
                               topMargin=TOP, bottomMargin=BOTTOM, title=doc.title,
                               author=doc.resolved_issuer(), creator="luoshi")
    frame = Frame(LEFT, BOTTOM, TEXT_W, TEXT_H, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                  id="text")
    template.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_number)])
    story = [Spacer(1, 35 * MM - 36), _masthead(doc.resolved_issuer())]
    if doc.number:
        story += [Spacer(1, LINE), _para(doc.number, s["number"])]
    story += [Spacer(1, 4 * MM), _rule(RED, 0.5), Spacer(1, LINE)]
    story.append(_para(title_lines(doc.title), s["title"], doc.title_color))
    story.append(Spacer(1, LINE * 0.5))
    if doc.addressee:
        story.append(_para(doc.addressee + ":", s["flush"]))
    story += _body(doc.body, s)
    # 署名 and 成文日期 never part, and the signature page carries body text (§7.3.5.1): the last body
    # paragraph moves over with them rather than leaving the date alone at the top of a page
    from reportlab.platypus import KeepTogether

    last = [story.pop()] if doc.body else []
    story.append(KeepTogether(last + _signature_block(doc, s)))
    if doc.annex:
        story += [Spacer(1, LINE * 0.5)] + _body(doc.annex, s)
    if doc.copies or doc.printed_by or doc.printed_on or doc.date:
        story.append(_colophon(doc, s))
    template.build(story)
    return buf.getvalue()


# ---- .docx -----------------------------------------------------------------

def _docx_font(run, face: str, size: float, bold=False, color=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    name = DOCX_FACES[face]
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = RGBColor(*(int(c * 255) for c in color))


def _docx_par(document, text, face="fangsong", size=BODY_PT, align=None, indent_chars=0.0, color=None,
              left_pt=0.0):
    from docx.shared import Pt

    p = document.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(LINE)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent_chars:
        fmt.first_line_indent = Pt(indent_chars * size)
    if left_pt:
        fmt.left_indent = Pt(left_pt)
    if align is not None:
        p.alignment = align
    if text:
        _docx_font(p.add_run(str(text)), face, size, color=color)
    return p


def _docx_rule(paragraph, color="CC0000", size_eighths=12):
    """A bottom border on a paragraph: the red rule under the 版头 / the 版记 rules."""
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): str(size_eighths),
                                                  qn("w:space"): "1", qn("w:color"): color})
    borders.append(bottom)
    ppr.append(borders)


def _docx_page_number(paragraph):
    """"— PAGE —" as a field, so Word numbers every page."""
    from docx.oxml.ns import qn

    def field(code):
        run = paragraph.add_run()
        for kind, text in (("begin", None), (None, code), ("end", None)):
            if kind:
                el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
            else:
                el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
                el.text = text
            run._r.append(el)
        return run

    _docx_font(paragraph.add_run("— "), "song", NOTE_PT)
    _docx_font(field(" PAGE "), "song", NOTE_PT)
    _docx_font(paragraph.add_run(" —"), "song", NOTE_PT)


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx with the same page setup (A4, GB/T 9704 margins and grid, odd/even page
    numbers) and faces named as the standard requires."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    d = Document()
    section = d.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = Mm(37), Mm(28)
    section.right_margin, section.bottom_margin = Mm(26), Mm(35)
    section.footer_distance = Mm(35 - 7 - 5)
    d.settings.odd_and_even_pages_header_footer = True
    normal = d.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.line_spacing = Pt(LINE)
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                       WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(NOTE_PT)
        _docx_page_number(p)

    for _ in range(3):  # 35 mm from the top of the 版心 to the 发文机关标志, in body lines
        _docx_par(d, "")
    _docx_par(d, doc.resolved_issuer(), "song", 36 if len(doc.resolved_issuer()) <= 12 else 26,
              WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _docx_par(d, "")
    number = _docx_par(d, doc.number, "fangsong", BODY_PT, WD_ALIGN_PARAGRAPH.CENTER)
    _docx_rule(number)
    _docx_par(d, "")
    title = _docx_par(d, title_lines(doc.title), "song", TITLE_PT, WD_ALIGN_PARAGRAPH.CENTER, color=doc.title_color)
    title.paragraph_format.line_spacing = Pt(TITLE_PT * 1.5)
    _docx_par(d, "")
    if doc.addressee:
        _docx_par(d, doc.addressee + ":")

    def body(items):
        for item in items:
            if isinstance(item, Table):
                t = d.add_table(rows=1, cols=len(item.header))
                t.style = "Table Grid"
                for cell, h in zip(t.rows[0].cells, item.header):
                    cell.text = ""
                    _docx_font(cell.paragraphs[0].add_run(str(h)), "hei", 10.5)
                for row in item.rows:
                    for cell, v in zip(t.add_row().cells, row):
                        cell.text = ""
                        _docx_font(cell.paragraphs[0].add_run("" if v is None else str(v)), "fangsong", 10.5)
            elif isinstance(item, Figure):
                from PIL import Image as PILImage

                with PILImage.open(io.BytesIO(item.data)) as im:
                    w, h = im.size
                p = d.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                p.add_run().add_picture(io.BytesIO(item.data), width=Mm(min(156.0, 80.0 * w / h if h else 156.0)))
                if item.caption:
                    _docx_par(d, item.caption, "kai", NOTE_PT, WD_ALIGN_PARAGRAPH.CENTER)
            elif isinstance(item, tuple):
                kind, text = item
                _docx_par(d, text, {"h1": "hei", "h2": "kai"}.get(kind, "fangsong"), BODY_PT,
                          indent_chars=0 if kind == "flush" else 2)
            else:
                _docx_par(d, item, indent_chars=2)

    body(doc.body)
    if doc.body and not isinstance(doc.body[-1], (Table, Figure)):  # as in the PDF: the last body
        d.paragraphs[-1].paragraph_format.keep_with_next = True     # paragraph, 署名 and 成文日期 stay together
    _docx_par(d, "").paragraph_format.keep_with_next = True
    sig = doc.signature or doc.resolved_issuer()
    sig_par = _docx_par(d, sig, align=WD_ALIGN_PARAGRAPH.RIGHT)
    sig_par.paragraph_format.right_indent = Pt(4 * BODY_PT)
    sig_par.paragraph_format.keep_with_next = bool(doc.date)
    if doc.date:
        _docx_par(d, cn_date(doc.date), align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = \
            Pt(2 * BODY_PT)
    if doc.annex:
        _docx_par(d, "")
        body(doc.annex)
    if doc.copies or doc.date or doc.printed_on:
        _docx_par(d, "")
        first = _docx_par(d, "")
        _docx_rule(first, "000000", 8)
        if doc.copies:
            p = _docx_par(d, "抄送:" + "、".join(doc.copies) + "。", size=NOTE_PT, left_pt=NOTE_PT)
            _docx_rule(p, "000000", 4)
        printed_on = doc.printed_on or doc.date
        p = _docx_par(d, (doc.printed_by or doc.resolved_issuer()) + "　　"
                      + (cn_date(printed_on) + "印发" if printed_on else ""), size=NOTE_PT, left_pt=NOTE_PT)
        _docx_rule(p, "000000", 8)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
