"""通报 (bulletin): the periodic report on how the units carry out their tasks, built from
supervision.stats (ranking, red/yellow cards, overdue tasks) as data, .docx or PDF."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from luoshi.ledger.models import Status, Task
from luoshi.workcal.services import current_calendar

from .lights import WorkdayIndex
from .pdf import ISSUER, bulletin_docx, bulletin_pdf  # noqa: F401 - part of this module's API
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
    wd = WorkdayIndex(current_calendar())
    for t in tasks:
        # Days late in working days, the one definition the ledger, statistics and 督办单 use.
        overdue.append({"number": t.number, "title": t.title,
                        "units": "、".join(u.name for u in t.lead_units.all()),
                        "deadline": t.deadline.isoformat(), "days_late": wd.between(t.deadline, on)})
    ranking = unit_stats(start, end, on)
    total = sum(r["tasks"] for r in ranking)
    on_time = sum(r["on_time"] for r in ranking)
    late = sum(r["late"] for r in ranking)
    title = f"关于{start:%Y年%m月%d日}至{end:%Y年%m月%d日}督办事项落实情况的通报"
    summary = (f"　　统计期内到期督办事项{total}项,按时办结{on_time}项,按时办结率"
               f"{_rate(on_time, total) * 100:.1f}%;逾期{late}项,逾期率{_rate(late, total) * 100:.1f}%。"
               f"截至{on:%Y年%m月%d日},逾期未办结事项{len(overdue)}项,亮红牌单位{sum(c['card'] == '红牌' for c in cards)}个、"
               f"黄牌单位{sum(c['card'] == '黄牌' for c in cards)}个。现将有关情况通报如下。")
    from luoshi.audit.anchor import last_checkpoint

    try:  # the chain's latest anchor, printed at the foot: a paper copy the database cannot rewrite
        cp = last_checkpoint()
    except Exception:  # an unreadable key never stops the 通报
        cp = None
    anchor = cp.text_zh() if cp else ""
    return {"title": title, "summary": summary, "cards": cards, "overdue": overdue, "ranking": ranking,
            "audit_anchor": anchor,
            "start": start, "end": end, "on": on}
