"""答复意见书 / 复查意见书 / 复核意见书 in the official layout (GB/T 9704 through luoshi.core.documents).

`opinion_doc(petition, kind, viewer)` → OfficialDocument; kind is "answer", "review" or "recheck". The
petitioner is named as the viewer may see them: the full name for the 信访 office and the 包案领导 (who
deliver the letter), 张* for anyone else (the handling unit prints a masked copy for its files).
Raises LuoshiError when that opinion has not been given yet.
"""
from __future__ import annotations

import os

from luoshi.core.documents import OfficialDocument, cn_date, render_docx, render_pdf
from luoshi.core.errors import LuoshiError

from . import limits
from .privacy import petitioner_view

KINDS = {
    "answer": ("信访事项答复意见书", "信复", "answer", "answered_on"),
    "review": ("信访事项复查意见书", "信查", "review_opinion", "reviewed_on"),
    "recheck": ("信访事项复核意见书", "信核", "recheck_opinion", "rechecked_on"),
}
OFFICE = os.environ.get("LUOSHI_PETITION_OFFICE", "市人民政府信访局")


def opinion_doc(petition, kind: str, viewer) -> OfficialDocument:
    if kind not in KINDS:
        raise LuoshiError("unknown document kind", "文书类型不正确", field="kind")
    title, prefix, text_field, date_field = KINDS[kind]
    text, on = getattr(petition, text_field), getattr(petition, date_field)
    if not text or not on:
        raise LuoshiError("this opinion has not been given yet", "尚未出具该意见书")
    who = petitioner_view(viewer, petition)
    cfg = limits.config()
    unit = petition.handling_unit.name if petition.handling_unit_id else OFFICE
    issuer = unit if kind == "answer" else OFFICE
    intro = (f"你(你们)于{cn_date(petition.received_on)}以{petition.get_channel_display()}形式反映的"
             f"“{petition.title}”问题(信访编号{petition.number}),")
    if kind == "answer":
        intro += "我单位已依法受理并进行了调查核实。现答复如下:"
        tail = (f"如对本答复意见不服,可以自收到本意见书之日起{cfg['review_request_days']}日内,"
                "向本单位的上一级机关请求复查。")
    elif kind == "review":
        intro += f"你对{unit}作出的答复意见不服,于{cn_date(petition.review_requested_on)}请求复查。经复查,意见如下:"
        tail = (f"如对本复查意见不服,可以自收到本意见书之日起{cfg['recheck_request_days']}日内,"
                "向复查机关的上一级机关请求复核。")
    else:
        intro += f"你对复查意见不服,于{cn_date(petition.recheck_requested_on)}请求复核。经复核,意见如下:"
        tail = ("本复核意见为终结意见。信访人对复核意见不服,仍以同一事实和理由提出投诉请求的,"
                "各级机关、单位不再受理。")
    return OfficialDocument(
        title=title, issuer=issuer, number=f"{prefix}〔{on.year}〕{int(petition.number[-6:] or 0)}号",
        addressee=who["name"], body=[intro, *[t for t in text.split("\n") if t.strip()], tail],
        signature=issuer, date=on, copies=[OFFICE] if kind == "answer" else [])


def opinion_file(petition, kind: str, viewer, fmt: str) -> tuple[bytes, str, str]:
    """(bytes, content type, file name) of the document as .docx or PDF."""
    doc = opinion_doc(petition, kind, viewer)
    if fmt == "pdf":
        return render_pdf(doc), "application/pdf", f"{doc.title}-{petition.number}.pdf"
    if fmt == "docx":
        return (render_docx(doc), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                f"{doc.title}-{petition.number}.docx")
    raise LuoshiError("format must be pdf or docx", "格式应为pdf或docx", field="format")
