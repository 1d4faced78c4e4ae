"""督办单 and 通报 as official documents (GB/T 9704-2012 layout, see luoshi.core.documents)."""
from __future__ import annotations

from luoshi.core.documents import OfficialDocument, Table, cn_date, render_docx, render_pdf

_LIGHT_COLOR = {"red": (0.8, 0.0, 0.0), "yellow": (0.72, 0.53, 0.0), "blue": (0.12, 0.37, 0.75)}


def notice_document(notice) -> OfficialDocument:
    """The 三色督办单 as a 公文: addressed to the lead unit, copies to co-units and the leader."""
    task = notice.task
    copies = [u.name for u in notice.copy_units.order_by("sort_order", "id")]
    if notice.copy_leader:
        copies.append(f"{notice.copy_leader}同志")
    if task is not None:
        deadline = f"(完成时限:{cn_date(task.deadline)})" if task.deadline else ""
        subject = f"{task.number} {task.title}{deadline}"
        opening = "根据督查督办工作安排,现将你单位牵头落实的督办事项有关情况通知如下,请认真研究办理。"
    else:  # an item of another supervised kind (e.g. an overdue case): its label only, never a complainant
        subject = notice.source_label
        opening = "根据督查督办工作安排,现将你单位承办的超期事项有关情况通知如下,请认真研究办理。"
    body = [
        opening,
        ("h1", "一、督办事项"), subject,
        ("h1", "二、督办事由"), notice.reason,
        ("h1", "三、办理要求"), notice.required_action or "请按要求抓紧办理。",
        f"请于{cn_date(notice.reply_by)}前在系统中签收并书面回复办理情况。",
    ]
    annex = []
    if notice.answer:
        annex = [("h1", "附:单位回复"), notice.answer,
                 *( [f"回复日期:{cn_date(notice.answered_on)}"] if notice.answered_on else [])]
    return OfficialDocument(title=notice.title_zh, number=notice.number, addressee=notice.lead_unit.name,
                            body=body, date=notice.issued_on, copies=copies or ["无"],
                            title_color=_LIGHT_COLOR.get(notice.light), annex=annex)


def notice_pdf(notice) -> bytes:
    return render_pdf(notice_document(notice))


def notice_docx(notice) -> bytes:
    """The same 督办单 as an editable .docx (same page setup and styles as the PDF)."""
    return render_docx(notice_document(notice))


def bulletin_document(bulletin: dict) -> OfficialDocument:
    """通报 from bulletins.bulletin_data(): cards, overdue tasks (working days late), ranking."""
    body = [bulletin["summary"].strip(), ("h1", "一、红牌、黄牌单位")]
    if bulletin["cards"]:
        body.append(Table(["单位", "牌色", "红灯事项", "黄灯事项"],
                          [[c["unit"], c["card"], c["red"], c["yellow"]] for c in bulletin["cards"]], [5, 2, 2, 2]))
    else:
        body.append("无。")
    body.append(("h1", "二、逾期未办结事项"))
    if bulletin["overdue"]:
        body.append(Table(["编号", "工作任务", "牵头单位", "完成时限", "逾期工作日"],
                          [[o["number"], o["title"], o["units"], o["deadline"], o["days_late"]]
                           for o in bulletin["overdue"]], [3, 6, 4, 3, 2]))
    else:
        body.append("无。")
    body += [("h1", "三、各单位落实情况排名"),
             Table(["名次", "单位", "事项数", "按时办结率", "逾期率", "平均逾期工作日", "督办单", "延期"],
                   [[r["rank"], r["unit"], r["tasks"], r["on_time_rate_pct"], r["overdue_rate_pct"],
                     r["avg_days_late"], r["notices"], r["extensions"]] for r in bulletin["ranking"]],
                   [1.2, 5, 1.5, 2, 1.8, 2, 1.5, 1.3])]
    numerals = "四五六七八九"
    for i, k in enumerate(x for x in bulletin.get("items", []) if x["total"]):
        body.append(("h1", f"{numerals[min(i, 5)]}、超期未办结的{k['label']}(共{k['total']}件)"))
        body.append(Table(["单位", "超期件数"], [[u["unit"], u["n"]] for u in k["units"][:50]], [8, 3]))
        shown = k["items"]
        more = f"(以下列出最早到期的{len(shown)}件)" if k["total"] > len(shown) else ""
        body.append(f"超期事项明细{more}:")
        body.append(Table(["编号", "事项", "承办单位", "办理时限", "逾期工作日"],
                          [[r["number"], r["title"], r["unit"], r["deadline"], r["days_late"]] for r in shown],
                          [4.4, 3.8, 4.2, 3.4, 1.7]))
        if k.get("listed"):
            more = f",以下列出挂牌最早的{len(k['listed'])}件" if k.get("listed_total", 0) > len(k["listed"]) else ""
            body.append(f"其中挂牌督办的{k['label']}(共{k.get('listed_total', len(k['listed']))}件{more}):")
            body.append(Table(["编号", "事项", "承办单位", "挂牌日期", "当前督办层级"],
                              [[r["number"], r["title"], r["unit"], r["listed_on"], r["rung"]]
                               for r in k["listed"]], [4.4, 3.8, 4.2, 2.6, 2.5]))
    n = 3 + sum(1 for x in bulletin.get("items", []) if x["total"])
    for k in bulletin.get("rates", []):  # 诉求案件/信访事项办理情况: the kinds' rates per unit over the period
        num = "一二三四五六七八九十"[n] if n < 10 else str(n + 1)
        n += 1
        body.append(("h1", f"{num}、{k['title']}({bulletin['start']:%Y年%m月%d日}至{bulletin['end']:%Y年%m月%d日})"))
        if k.get("error"):
            body.append("统计暂不可用。")
        elif k["rows"]:
            body.append(Table(["单位", "件数"] + [c["label"] for c in k["columns"]],
                              [[r["unit"], r["total"], *r["cells"]] for r in k["rows"]],
                              [4.5, 1.4] + [2.0] * len(k["columns"])))
        else:
            body.append("统计期内无。")
    return OfficialDocument(title=bulletin["title"], number=bulletin.get("number", ""), body=body,
                            addressee=bulletin.get("addressee", "各区县人民政府,市直各单位"), date=bulletin["on"],
                            annex=[bulletin["audit_anchor"]] if bulletin.get("audit_anchor") else [])


def bulletin_pdf(bulletin: dict) -> bytes:
    return render_pdf(bulletin_document(bulletin))


def bulletin_docx(bulletin: dict) -> bytes:
    return render_docx(bulletin_document(bulletin))
