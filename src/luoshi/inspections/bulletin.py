"""The inspection 通报 (.docx / PDF, GB/T 9704 through luoshi.core.documents): typical problems with
photos, units named, people masked (王*). Only for a published plan (the office may preview before)."""
from __future__ import annotations

from luoshi.core.documents import Figure, OfficialDocument, cn_date, render_docx, render_pdf
from luoshi.core.errors import LuoshiError

from .evidence import thumbnail_jpeg
from .models import Plan

MAX_PHOTOS_PER_FINDING = 2
NUMERALS = "一二三四五六七八九十"


def mask_person(name: str) -> str:
    name = (name or "").strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def bulletin_doc(plan: Plan, findings) -> OfficialDocument:
    findings = list(findings)
    units = list(plan.units.order_by("sort_order", "id"))
    records = plan.records.count()
    body = [plan.bulletin_summary] if plan.bulletin_summary else []
    body += [("h1", "一、基本情况"),
             f"{cn_date(plan.start_on)}至{cn_date(plan.end_on)},按照工作安排,采取{plan.get_mode_display()}方式,"
             f"对{'、'.join(u.name for u in units)}等{len(units)}个单位的作风效能情况进行了检查,"
             f"形成现场检查记录{records}份,发现问题{len(findings)}个。",
             ("h1", "二、发现的主要问题")]
    if not findings:
        body.append("本次检查未发现明显问题。")
    by_unit: dict = {}
    for f in findings:
        by_unit.setdefault(f.unit, []).append(f)
    n = fig = 0
    for k, (unit, items) in enumerate(by_unit.items()):
        body.append(("h2", f"({NUMERALS[k] if k < 10 else k + 1}){unit.name}"))
        for f in items:
            n += 1
            who = f"涉及工作人员{mask_person(f.staff_name)}。" if f.staff_name else ""
            item = f"【{f.item.title}】" if f.item_id else ""
            text = f.description.strip().rstrip("。;,，；.")  # no bracket to strand at a line end: “…无人值守(”
            body.append(f"{n}. {item}{text},问题程度{f.get_severity_display()}。{who}")
            for e in [e for e in f.evidence.all() if e.kind == "photo"][:MAX_PHOTOS_PER_FINDING]:
                fig += 1  # each photo its own figure number (two photos of one problem are 图3 and 图4)
                with e.file.open("rb") as fh:
                    body.append(Figure(thumbnail_jpeg(fh.read()), f"图{fig} {unit.name}现场照片(问题{n})"))
    body += [("h1", "三、整改要求"),
             "请被通报单位高度重视,对照问题清单逐项整改,在规定时限内通过系统报送整改情况,"
             "督查室将组织验收,整改不到位的将予以通报问责。"]
    due = sorted({f.rectification.due for f in findings if f.rectification_id})
    if due:
        body.append(f"整改时限:{cn_date(due[0])}前。")
    return OfficialDocument(title=f"关于{plan.title}情况的通报",
                            number=f"督查通报〔{(plan.published_on or plan.start_on).year}〕{plan.pk}号",
                            addressee="各有关单位", body=body, date=plan.published_on or plan.end_on,
                            copies=[u.name for u in units])


def bulletin_file(plan: Plan, findings, fmt: str) -> tuple[bytes, str, str]:
    doc = bulletin_doc(plan, findings)
    if fmt == "pdf":
        return render_pdf(doc), "application/pdf", f"{doc.title}.pdf"
    if fmt == "docx":
        return (render_docx(doc), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                f"{doc.title}.docx")
    raise LuoshiError("format must be pdf or docx", "格式应为pdf或docx", field="format")
