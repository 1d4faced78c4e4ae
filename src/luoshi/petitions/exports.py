"""信访事项 as an .xlsx: the petitioner masked exactly as on screen for the reader; no cell is ever a live
formula (luoshi.core.tabular writes formula-like text as text)."""
from __future__ import annotations

import io

from openpyxl import Workbook

from luoshi.core.tabular import append_row

from .privacy import petitioner_view

HEADERS = ["信访编号", "信访形式", "收到日期", "信访人", "联系电话", "身份证号", "人数", "信访事由", "责任单位",
           "包案领导", "办理状态", "当前期限", "积案"]



def petitions_xlsx(user, qs) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "信访事项"
    append_row(ws, HEADERS)
    for p in qs.select_related("petitioner", "handling_unit", "owner_leader"):
        who = petitioner_view(user, p)
        row = [p.number, p.get_channel_display(), p.received_on, who["name"], who["phone"], who["id_number"],
               p.people, p.title, p.handling_unit.name if p.handling_unit_id else "",
               p.owner_leader.get_full_name() if p.owner_leader_id else "", p.get_status_display(),
               p.deadline, "是" if p.backlog else ""]
        append_row(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
