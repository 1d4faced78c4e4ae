"""Render extraction results as JSON, Markdown or an Excel 台账."""
from __future__ import annotations

import json

LEDGER_HEADERS = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "目标", "所属章节", "来源文档"]


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=1)


def _deadline_text(d: dict | None) -> str:
    if not d:
        return ""
    if d.get("date"):
        return f"{d['date']}({d['text']})"
    if d.get("recurrence"):
        return f"{d['text']}({d['recurrence']})"
    return d.get("text") or ""


def _targets_text(ts: list) -> str:
    return ";".join(f"{t['metric']} {t['op']} {t['value']}{t['unit'] or ''}" for t in ts or [])


def source_document(res: dict, i: int, doc: dict) -> str:
    """来源文档 of a row: the document's title; an untitled one is "<file> 第i篇"."""
    title = " ".join((doc.get("title") or "").split())
    if title:
        return title
    name = res.get("source") or ""
    return f"{name} 第{i + 1}篇".strip() if len(res.get("documents") or []) > 1 else name


def ledger_rows(results: list[dict]):
    """Rows of the 台账 (LEDGER_HEADERS): 序号 is an int counting through every file, 来源文档 names
    the document of a compilation each row comes from."""
    n = 0
    for res in results:
        for i, doc in enumerate(res.get("documents", [])):
            src = source_document(res, i, doc)
            for t in doc.get("tasks", []):
                if t.get("kind") != "action":
                    continue
                n += 1
                yield [n, t["text"], "、".join(t.get("lead_units") or []), "、".join(t.get("co_units") or []),
                       _deadline_text(t.get("deadline")), _targets_text(t.get("targets")),
                       " / ".join(" ".join(x.split()) for x in t.get("section") or []), src]


def to_markdown(results: list[dict]) -> str:
    lines = []
    for res in results:
        lines.append(f"# {res.get('source')}")
        for doc in res.get("documents", []):
            lines.append(f"\n## {doc.get('title') or '(untitled)'}")
            meta = [x for x in (doc.get("speaker"), doc.get("date")) if x]
            if meta:
                lines.append(" · ".join(meta))
            lines.append("")
            lines.append("| " + " | ".join(LEDGER_HEADERS) + " |")
            lines.append("|" + "---|" * len(LEDGER_HEADERS))
            for row in ledger_rows([{"source": res.get("source"), "documents": [doc]}]):
                cells = [str(c).replace("|", "\\|").replace("\n", " ") for c in row]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def to_xlsx(results: list[dict], path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from luoshi.core.tabular import append_row  # pure Python (openpyxl only), allowed by .importlinter

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    append_row(ws, LEDGER_HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in ledger_rows(results):
        append_row(ws, row)  # the one safe writer: speech text starting with "=" stays text
    widths = [6, 70, 24, 24, 18, 30, 30, 30]
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    wb.save(path)
