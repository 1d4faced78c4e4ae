"""通报 (bulletin): the periodic report on how the units carry out their tasks, built from
supervision.stats (ranking, red/yellow cards, overdue tasks) as data, .docx or PDF."""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from luoshi.ledger.models import Status, Task

from .pdf import ISSUER, bulletin_pdf  # noqa: F401 - bulletin_pdf is part of this module's API
from .stats import _rate, lights_by_unit, unit_stats


def bulletin_data(start: dt.date, end: dt.date, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    cards = []
    for r in lights_by_unit():
        if r["red"] or r["yellow"]:
            cards.append({"unit": r["unit"], "card": "红牌" if r["red"] else "黄牌", "red": r["red"],
                          "yellow": r["yellow"]})
    overdue = []
    tasks = (Task.objects.filter(status__in=(Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS,
                                            Status.COMPLETION_REQUESTED, Status.UNDER_REVIEW),
                                 deadline__lt=on)
             .prefetch_related("lead_units").order_by("deadline", "id"))
    for t in tasks:
        overdue.append({"number": t.number, "title": t.title,
                        "units": "、".join(u.name for u in t.lead_units.all()),
                        "deadline": t.deadline.isoformat(), "days_late": (on - t.deadline).days})
    ranking = unit_stats(start, end, on)
    total = sum(r["tasks"] for r in ranking)
    on_time = sum(r["on_time"] for r in ranking)
    late = sum(r["late"] for r in ranking)
    title = f"关于{start:%Y年%m月%d日}至{end:%Y年%m月%d日}督办事项落实情况的通报"
    summary = (f"　　统计期内到期督办事项{total}项,按时办结{on_time}项,按时办结率"
               f"{_rate(on_time, total) * 100:.1f}%;逾期{late}项,逾期率{_rate(late, total) * 100:.1f}%。"
               f"截至{on:%Y年%m月%d日},逾期未办结事项{len(overdue)}项,亮红牌单位{sum(c['card'] == '红牌' for c in cards)}个、"
               f"黄牌单位{sum(c['card'] == '黄牌' for c in cards)}个。现将有关情况通报如下。")
    return {"title": title, "summary": summary, "cards": cards, "overdue": overdue, "ranking": ranking,
            "start": start, "end": end, "on": on}


def bulletin_docx(data: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "FangSong"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    style.font.size = Pt(12)
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(ISSUER)
    r.font.size, r.font.color.rgb, r.bold = Pt(22), RGBColor(0xC0, 0, 0), True
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(data["title"])
    r.font.size, r.bold = Pt(16), True
    doc.add_paragraph(data["summary"])

    def table(header, rows):
        t = doc.add_table(rows=1, cols=len(header))
        t.style = "Table Grid"
        for cell, h in zip(t.rows[0].cells, header):
            cell.text = str(h)
        for row in rows:
            cells = t.add_row().cells
            for cell, v in zip(cells, row):
                cell.text = str(v)

    doc.add_heading("一、红牌、黄牌单位", level=2)
    if data["cards"]:
        table(["单位", "牌色", "红灯事项", "黄灯事项"], [[c["unit"], c["card"], c["red"], c["yellow"]]
                                                 for c in data["cards"]])
    else:
        doc.add_paragraph("无。")
    doc.add_heading("二、逾期未办结事项", level=2)
    if data["overdue"]:
        table(["编号", "工作任务", "牵头单位", "完成时限", "逾期天数"],
              [[o["number"], o["title"], o["units"], o["deadline"], o["days_late"]] for o in data["overdue"]])
    else:
        doc.add_paragraph("无。")
    doc.add_heading("三、各单位落实情况排名", level=2)
    table(["名次", "单位", "事项数", "按时办结率", "逾期率", "平均逾期天数", "督办单", "延期"],
          [[r["rank"], r["unit"], r["tasks"], r["on_time_rate_pct"], r["overdue_rate_pct"], r["avg_days_late"],
            r["notices"], r["extensions"]] for r in data["ranking"]])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
