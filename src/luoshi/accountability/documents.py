"""典型问题通报 documents (.docx and PDF) in the official layout of GB/T 9704-2012 《党政机关公文格式》,
rendered by luoshi.core.documents (A4, 版心 156 × 225 mm, red 版头 and separator, 发文字号, 22 pt title,
16 pt body at 22 lines a page, signature and date, 版记, "— N —" page numbers). People's names are
masked (张某) unless `masked=False` (officers only: the views check `permissions.is_officer`).
"""
from __future__ import annotations

from luoshi.core.documents import OfficialDocument, render_docx, render_pdf

from .models import Bulletin, Person

COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                     "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "万俟", "闻人", "赫连")


def mask_name(name: str) -> str:
    """张三 → 张某, 王小明 → 王某某, 欧阳明 → 欧阳某; anything else (foreign names …) → 某某."""
    name = (name or "").strip()
    surname = next((s for s in COMPOUND_SURNAMES if name.startswith(s) and len(name) > len(s)), name[:1])
    rest = len(name) - len(surname)
    if not surname or rest <= 0 or not all("\u4e00" <= ch <= "\u9fff" for ch in name):
        return "某某"
    return surname + "某" * min(rest, 2)


def mask_text(text: str, names) -> str:
    for n in sorted({n for n in names if n}, key=len, reverse=True):
        text = text.replace(n, mask_name(n))
    return text


def case_paragraphs(bulletin: Bulletin, *, masked: bool = True) -> list[tuple[str, str]]:
    """[(heading, body)] per case: the unit and task, the facts, the measures decided."""
    out = []
    for i, p in enumerate(bulletin.proposals.select_related("unit", "task").order_by("decided_on", "id"), start=1):
        people = list(p.people.filter(state__in=(Person.State.DECIDED, Person.State.REFERRED))
                      .select_related("unit", "measure").order_by("id"))
        names = [x.name for x in p.people.all()]

        def who(x):
            return f"{x.unit.name}{x.post}{mask_name(x.name) if masked else x.name}"

        facts = mask_text(p.facts, names) if masked else p.facts
        measures = ";".join(
            f"{who(x)}负有{x.get_responsibility_display()},"
            + ("移送纪检监察机关依规依纪处理" if x.state == Person.State.REFERRED else f"给予{x.measure.name}")
            for x in people)
        heading = f"{_num(i)}、{p.unit.name}" + (f"落实“{p.task.title}”不力问题" if p.task_id else "问题")
        body = (f"{facts or p.cause_label}" + ("" if (facts or p.cause_label).endswith("。") else "。")
                + (f"经研究,决定对{measures}。" if measures else "")
                + (f"(决定文号:{p.decision_number})" if p.decision_number else ""))
        out.append((heading, body))
    return out


def _num(i: int) -> str:
    digits = "零一二三四五六七八九"
    if i <= 10:
        return "十" if i == 10 else digits[i]
    if i < 20:
        return "十" + digits[i - 10]
    return (digits[i // 10] + "十" + (digits[i % 10] if i % 10 else "")) if i < 100 else str(i)


def bulletin_document(bulletin: Bulletin, *, masked: bool = True) -> OfficialDocument:
    """The 通报 as a core.documents.OfficialDocument (GB/T 9704: 版头, 发文字号, title, 主送, body,
    signature and date, 版记)."""
    body = [bulletin.intro] if bulletin.intro else []
    for heading, text in case_paragraphs(bulletin, masked=masked):
        body += [("h1", heading), text]
    if bulletin.closing:
        body.append(bulletin.closing)
    return OfficialDocument(title=bulletin.title, number=bulletin.number, body=body,
                            addressee="各区县人民政府,市直各单位", date=bulletin.issued_on,
                            printed_on=bulletin.issued_on)


def bulletin_docx(bulletin: Bulletin, *, masked: bool = True) -> bytes:
    return render_docx(bulletin_document(bulletin, masked=masked))


def bulletin_pdf(bulletin: Bulletin, *, masked: bool = True) -> bytes:
    return render_pdf(bulletin_document(bulletin, masked=masked))
