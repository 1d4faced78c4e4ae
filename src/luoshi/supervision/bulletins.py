"""通报 (bulletin): the periodic report on how the units carry out their tasks, built from
supervision.stats (ranking, red/yellow cards, overdue tasks) and the overdue items of the other supervised
kinds (supervision.items.overdue_rows, e.g. overdue cases: per unit, then the oldest 200) as data, .docx
or PDF."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from luoshi.core.params import in_range
from luoshi.core.scope import unit_scope
from luoshi.ledger.models import Status, Task
from luoshi.ledger.permissions import visible_tasks
from luoshi.orgs.models import Unit
from luoshi.workcal.services import current_calendar

from .lights import WorkdayIndex
from .pdf import bulletin_docx, bulletin_pdf  # noqa: F401 - part of this module's API
from .stats import _rate, lights_by_unit, unit_stats


def bulletin_data(start: dt.date, end: dt.date, on: dt.date | None = None, user=None) -> dict:
    """The 通报's content. With `user`, only what the scope rule lets that user read
    (luoshi.core.scope: a district 领导 gets the units of the district and the tasks they may read);
    without, the whole city (the daily job and the CLI)."""
    on = on or timezone.localdate()
    units = unit_scope(user, "ledger") if user is not None else None
    cards = []
    for r in lights_by_unit(units=units):
        if r["red"] or r["yellow"]:
            cards.append({"unit": r["unit"], "card": "红牌" if r["red"] else "黄牌", "red": r["red"],
                          "yellow": r["yellow"]})
    overdue = []
    tasks = (Task.objects.filter(status__in=(Status.ASSIGNED, Status.SIGNED, Status.IN_PROGRESS,
                                            Status.COMPLETION_REQUESTED, Status.UNDER_REVIEW),
                                 deadline__lt=on)
             .prefetch_related("lead_units").order_by("deadline", "id"))
    if user is not None:
        tasks = visible_tasks(user, tasks)
    wd = WorkdayIndex(current_calendar())
    for t in tasks:
        if not in_range(t.deadline):  # written behind the app's back: no working-day arithmetic for it
            continue
        # Days late in working days, the one definition the ledger, statistics and 督办单 use.
        overdue.append({"number": t.number, "title": t.title,
                        "units": "、".join(u.name for u in t.lead_units.all()),
                        "deadline": t.deadline.isoformat(), "days_late": wd.between(t.deadline, on)})
    ranking = unit_stats(start, end, on)
    if units is not None:
        ranking = [r for r in ranking if r["unit_id"] in units]
    total = sum(r["tasks"] for r in ranking)
    on_time = sum(r["on_time"] for r in ranking)
    late = sum(r["late"] for r in ranking)
    from .items import overdue_rows

    items = overdue_rows(user=user, limit=200)
    names = dict(Unit.objects.filter(pk__in={u for k in items for u in k["by_unit"]}).values_list("id", "name"))
    for k in items:
        for r in k["items"]:
            r["unit"] = names.get(r["unit_id"], "")
            r["deadline"] = timezone.localtime(r["deadline"]).strftime("%Y-%m-%d %H:%M")
            r["days_late"] = wd.between(r["since"], on) if in_range(r["since"]) and r["since"] <= on else 0
        k["units"] = sorted(({"unit": names.get(u, ""), "n": n} for u, n in k["by_unit"].items()),
                            key=lambda x: (-x["n"], x["unit"]))
    from .items import listed_rows

    listed = {x["kind"]: x for x in listed_rows(user=user, limit=200)}
    for k in items:  # the 挂牌督办 ones among them (same scope), by number and category only
        got = listed.get(k["kind"], {})
        k["listed_total"] = got.get("total", 0)
        k["listed"] = [{"number": r["number"], "title": r["title"], "unit": r["unit"],
                        "listed_on": r["listed_on"].isoformat(), "rung": r["rung"]} for r in got.get("items", [])]
    title = f"关于{start:%Y年%m月%d日}至{end:%Y年%m月%d日}督办事项落实情况的通报"
    summary = (f"　　统计期内到期督办事项{total}项,按时办结{on_time}项,按时办结率"
               f"{_rate(on_time, total) * 100:.1f}%;逾期{late}项,逾期率{_rate(late, total) * 100:.1f}%。"
               f"截至{on:%Y年%m月%d日},逾期未办结事项{len(overdue)}项,亮红牌单位{sum(c['card'] == '红牌' for c in cards)}个、"
               f"黄牌单位{sum(c['card'] == '黄牌' for c in cards)}个" +
               "".join(f";超期未办结{k['label']}{k['total']}件" +
                       (f"(其中挂牌督办{k['listed_total']}件)" if k["listed_total"] else "") for k in items if k["total"]) +
               "。现将有关情况通报如下。")
    from luoshi.audit.anchor import last_checkpoint

    try:  # the chain's latest anchor, printed at the foot: a paper copy the database cannot rewrite
        cp = last_checkpoint()
    except Exception:  # an unreadable key never stops the 通报
        cp = None
    anchor = cp.text_zh() if cp else ""
    from .kinds import scoped_kind_rates

    return {"title": title, "summary": summary, "cards": cards, "overdue": overdue, "ranking": ranking,
            "items": items, "rates": scoped_kind_rates(user, start, end),
            "audit_anchor": anchor,
            "start": start, "end": end, "on": on}
