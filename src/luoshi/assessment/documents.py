"""考核结果通报 (.docx / PDF): described once as a `luoshi.core.documents.OfficialDocument` and rendered in the
GB/T 9704-2012 layout shared by every luoshi document (A4, 版心 156 × 225 mm, red 发文机关标志 and rule,
发文字号, 2号 title, 3号 body, 署名 and 成文日期, 版记, page numbers "— n —"). Built from a run's stored
(frozen) results only; the caller has already checked the reader may see the run."""
from __future__ import annotations

from luoshi.core.documents import OfficialDocument, Table, cn_date, render_docx, render_pdf

from .models import Group, ScoreRun

GRADES = ("优秀", "良好", "一般", "较差")
NUMS = "一二三四五"


def bulletin_data(run: ScoreRun) -> dict:
    """The 通报's content from the stored run: title, 发文字号, 主送, intro, units per grade, ranking rows
    (名次, 单位, 总分, 等次), closing, date, and whether it is an unpublished draft (试算稿)."""
    plan = run.plan
    urs = list(run.units.order_by("position"))
    grades: dict[str, list[str]] = {}
    for u in urs:
        grades.setdefault(u.grade, []).append(u.unit_name)
    day = (run.published_at or run.created_at).date()
    group = Group(plan.group).label
    draft = run.state != ScoreRun.State.PUBLISHED
    counts = ",".join(f"{g}{len(grades[g])}个" for g in GRADES if grades.get(g))
    return {
        "title": f"关于{plan.name}结果的通报" + ("(试算稿)" if draft else ""),
        "number": f"考核〔{day.year}〕{run.pk}号",
        "addressee": f"各{group}" if group != "市直部门" else "市直各部门",
        "intro": (f"根据《{plan.name}》,市政府督查室依据督办台账、督办单、限期整改、单位填报数据、专家评分和群众评议"
                  f"等情况,对{len(urs)}个{group}单位{run.period}年度工作进行了考核(数据截至{cn_date(run.as_of)}前)。"
                  f"经计分、审核,评定{counts}。现将结果通报如下。"),
        "grades": [(g, grades[g]) for g in GRADES if grades.get(g)],
        "ranking": [(u.rank, u.unit_name, f"{u.total:.2f}", u.grade + ("(一票否决)" if u.vetoed else "")) for u in urs],
        "closing": (f"请各单位对照考核结果认真查找差距,抓好整改落实。对考核结果有异议的,请于{cn_date(run.appeal_until)}前"
                    f"通过系统提出申诉。" if run.appeal_until else "本通报为试算结果,未经发布,不得对外提供。"),
        "date": day, "draft": draft,
    }


def bulletin_document(data: dict) -> OfficialDocument:
    """The 通报 as an OfficialDocument: one heading per grade with its units, then the ranking table."""
    body: list = [data["intro"]]
    for i, (grade, names) in enumerate(data["grades"]):
        body += [("h1", f"{NUMS[i]}、{grade}等次({len(names)}个)"), "、".join(names) + "。"]
    body += [("h1", f"{NUMS[len(data['grades'])]}、得分及排名"),
             Table(["名次", "单位", "总分", "等次"], [list(r) for r in data["ranking"]], [1.2, 5.5, 1.6, 2]),
             data["closing"]]
    return OfficialDocument(title=data["title"], number=data["number"], addressee=data["addressee"], body=body,
                            date=data["date"])


def bulletin_pdf(data: dict) -> bytes:
    return render_pdf(bulletin_document(data))


def bulletin_docx(data: dict) -> bytes:
    return render_docx(bulletin_document(data))
