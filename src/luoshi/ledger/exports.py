"""The ledger (台账) as an Excel workbook, in the layout offices exchange."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .models import Status, Task

LEDGER_HEADERS = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况", "状态"]
_WIDTHS = [6, 50, 22, 22, 14, 50, 10]


def _deadline_text(task: Task) -> str:
    if task.deadline:
        text = task.deadline.isoformat()
        if task.deadline_provisional:
            text += "(暂定)"
        return text
    if task.deadline_working_days:
        return f"交办后{task.deadline_working_days}个工作日内"
    return ""


def ledger_rows(tasks):
    """One row per task: 序号, 工作任务, 牵头单位, 配合单位, 完成时限, 进展情况, 状态."""
    tasks = tasks.prefetch_related("lead_units", "co_units", "reports").order_by("id")
    for i, task in enumerate(tasks.iterator(chunk_size=500), start=1):
        reports = list(task.reports.all())  # ordered newest first
        latest = reports[0] if reports else None
        progress = f"{latest.text}(进度{latest.percent}%)" if latest else ""
        yield [i, task.title, "、".join(u.display_name for u in task.lead_units.all()),
               "、".join(u.display_name for u in task.co_units.all()), _deadline_text(task), progress,
               Status(task.status).label]


def write_ledger_xlsx(tasks, out=None, title: str = "督办事项台账") -> bytes | None:
    """Write `tasks` (a queryset the caller has already limited to what the user may see)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEDGER_HEADERS))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(LEDGER_HEADERS)
    thin = Side(style="thin")
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        cell = ws.cell(row=2, column=col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in ledger_rows(tasks):
        ws.append(row)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row > 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    if out is None:
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    wb.save(out)
    return None
