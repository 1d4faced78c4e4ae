"""Findings as .xlsx (already scoped by the caller; staff names masked; no live formulas: luoshi.core.tabular)."""
from __future__ import annotations

import io

from openpyxl import Workbook

from luoshi.core.tabular import append_row

from .bulletin import mask_person

HEADERS = ["检查计划", "方式", "单位", "检查项", "问题描述", "严重程度", "涉及人员", "整改状态", "整改时限"]


def findings_xlsx(qs) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "明查暗访问题"
    append_row(ws, HEADERS)
    for f in qs:
        r = f.rectification
        append_row(ws, (f.plan.title, f.plan.get_mode_display(), f.unit.name, f.item.title if f.item_id else "",
                        f.description, f.get_severity_display(), mask_person(f.staff_name),
                        r.get_state_display() if r else "", r.due if r else None))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
