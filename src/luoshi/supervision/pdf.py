"""PDF output in an official-document layout (公文式督办单, 通报) with an embedded Chinese font.

Font search order: an embeddable TrueType CJK font (WenQuanYi Zen Hei, AR PL UMing,
Noto CJK if a TrueType-outline build is installed; LUOSHI_PDF_FONT may name one),
else reportlab's built-in STSong-Light CID font (not embedded; PDF readers substitute
a system font, text still extracts). Debian: `apt-get install fonts-wqy-zenhei`.
"""
from __future__ import annotations

import io
import os
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from xml.sax.saxutils import escape

CANDIDATES = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
]
ISSUER = os.environ.get("LUOSHI_ISSUER", "市人民政府督查室")


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, bool]:
    """(font name, embedded?)"""
    from reportlab.pdfbase.ttfonts import TTFont

    env = os.environ.get("LUOSHI_PDF_FONT")
    for path, index in ([(env, 0)] if env else []) + CANDIDATES:
        if not path or not os.path.exists(path):
            continue
        try:
            pdfmetrics.registerFont(TTFont("LuoshiCJK", path, subfontIndex=index))
            return "LuoshiCJK", True
        except Exception:  # CFF-outline OpenType (e.g. Noto CJK .ttc) is not supported by reportlab
            continue
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light", False


def _styles():
    font, _ = cjk_font()
    red = colors.HexColor("#c00000")
    return {
        "org": ParagraphStyle("org", fontName=font, fontSize=22, leading=30, alignment=TA_CENTER, textColor=red),
        "title": ParagraphStyle("title", fontName=font, fontSize=20, leading=28, alignment=TA_CENTER),
        "num": ParagraphStyle("num", fontName=font, fontSize=12, leading=18, alignment=TA_CENTER),
        "body": ParagraphStyle("body", fontName=font, fontSize=12, leading=20, firstLineIndent=0),
        "head": ParagraphStyle("head", fontName=font, fontSize=13, leading=22, spaceBefore=6),
        "right": ParagraphStyle("right", fontName=font, fontSize=12, leading=20, alignment=TA_RIGHT),
        "small": ParagraphStyle("small", fontName=font, fontSize=9, leading=13),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=9, leading=12),
        "red": red,
    }


def _p(text, style):
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _cn_date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def notice_pdf(notice) -> bytes:
    s = _styles()
    task = notice.task
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=28 * mm, rightMargin=26 * mm, topMargin=30 * mm,
                            bottomMargin=25 * mm, title=f"{notice.title_zh} {notice.number}", author=ISSUER)
    light_color = {"red": colors.HexColor("#c00000"), "yellow": colors.HexColor("#d4a000"),
                   "blue": colors.HexColor("#1f5fbf")}.get(notice.light, colors.black)
    copies = "、".join(u.name for u in notice.copy_units.order_by("sort_order", "id"))
    if notice.copy_leader:
        copies = "、".join(x for x in (copies, f"{notice.copy_leader}同志") if x)
    story = [
        _p(f"{ISSUER}", s["org"]),
        Spacer(1, 2 * mm),
        _p(notice.number, s["num"]),
        HRFlowable(width="100%", thickness=2, color=s["red"], spaceBefore=2 * mm, spaceAfter=6 * mm),
        Paragraph(f'<font color="{light_color.hexval().replace("0x", "#")}">{escape(notice.title_zh)}</font>',
                  s["title"]),
        Spacer(1, 6 * mm),
        _p(f"{notice.lead_unit.name}:", s["body"]),
        _p(f"　　根据督查督办工作安排,现将你单位牵头落实的督办事项有关情况通知如下,请认真研究办理。", s["body"]),
        _p("一、督办事项", s["head"]),
        _p(f"　　{task.number} {task.title}" + (f"(完成时限:{_cn_date(task.deadline)})" if task.deadline else ""),
           s["body"]),
        _p("二、督办事由", s["head"]),
        _p(f"　　{notice.reason}", s["body"]),
        _p("三、办理要求", s["head"]),
        _p(f"　　{notice.required_action}", s["body"]),
        _p(f"　　请于{_cn_date(notice.reply_by)}前在系统中签收并书面回复办理情况。", s["body"]),
        Spacer(1, 12 * mm),
        _p(ISSUER, s["right"]),
        _p(_cn_date(notice.issued_on), s["right"]),
        Spacer(1, 10 * mm),
        HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceAfter=2 * mm),
        _p(f"抄送:{copies or '无'}", s["small"]),
        HRFlowable(width="100%", thickness=0.7, color=colors.black, spaceBefore=2 * mm, spaceAfter=2 * mm),
    ]
    if notice.answer:
        story += [_p("附:单位回复", s["head"]), _p(f"　　{notice.answer}", s["body"]),
                  _p(f"回复日期:{_cn_date(notice.answered_on)}", s["right"])]
    doc.build(story)
    return buf.getvalue()


def bulletin_pdf(bulletin: dict) -> bytes:
    """通报 PDF from stats.bulletin_data()."""
    s = _styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=25 * mm,
                            bottomMargin=20 * mm, title=bulletin["title"], author=ISSUER)
    story = [_p(ISSUER, s["org"]), HRFlowable(width="100%", thickness=2, color=s["red"], spaceBefore=2 * mm,
                                              spaceAfter=5 * mm),
             _p(bulletin["title"], s["title"]), Spacer(1, 4 * mm), _p(bulletin["summary"], s["body"])]

    def table(header, rows, widths):
        data = [[_p(h, s["cell"]) for h in header]] + [[_p(c, s["cell"]) for c in r] for r in rows]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    story += [_p("一、红牌、黄牌单位", s["head"])]
    if bulletin["cards"]:
        story.append(table(["单位", "牌色", "红灯事项", "黄灯事项"],
                           [[c["unit"], c["card"], c["red"], c["yellow"]] for c in bulletin["cards"]],
                           [70 * mm, 25 * mm, 35 * mm, 35 * mm]))
    else:
        story.append(_p("无。", s["body"]))
    story += [_p("二、逾期未办结事项", s["head"])]
    if bulletin["overdue"]:
        story.append(table(["编号", "工作任务", "牵头单位", "完成时限", "逾期天数"],
                           [[o["number"], o["title"], o["units"], o["deadline"], o["days_late"]]
                            for o in bulletin["overdue"]],
                           [28 * mm, 62 * mm, 38 * mm, 24 * mm, 18 * mm]))
    else:
        story.append(_p("无。", s["body"]))
    story += [_p("三、各单位落实情况排名", s["head"]),
              table(["名次", "单位", "事项数", "按时办结率", "逾期率", "平均逾期天数", "督办单", "延期"],
                    [[r["rank"], r["unit"], r["tasks"], r["on_time_rate_pct"], r["overdue_rate_pct"],
                      r["avg_days_late"], r["notices"], r["extensions"]] for r in bulletin["ranking"]],
                    [12 * mm, 45 * mm, 15 * mm, 22 * mm, 18 * mm, 22 * mm, 16 * mm, 14 * mm])]
    doc.build(story)
    return buf.getvalue()
