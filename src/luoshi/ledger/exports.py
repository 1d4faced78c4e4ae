"""The ledger (台账) as an Excel workbook, in the layout offices exchange.

The first seven columns are the classic 台账 (序号, 工作任务, 牵头单位, 配合单位, 完成时限, 进展情况,
状态); 编号, 来源, 逾期情况 and 目标完成值 follow so that sheets built on the classic layout keep working.
进展情况 is the lead unit's latest report (the task's progress); co-units' latest reports follow, marked
【配合单位报送】 (their own contribution, never the task's progress). 目标完成值 lists each quantitative
target's achieved value as recorded at 申请办结 (met or not).
Overdue rows are filled light red and say how many working days they are late (已逾期N个工作日,
the same working-day count as the supervision engine). The sheet prints on A4 landscape, fitted
to the page width, with the header row repeated on every page.
"""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from luoshi.core.tabular import append_row

from django.db.models import Prefetch

from .models import OPEN_STATUSES, ProgressReport, Status, Target, Task

LEDGER_HEADERS = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "进展情况", "状态", "编号", "来源", "逾期情况",
                  "目标完成值"]
_WIDTHS = [6, 46, 20, 20, 14, 46, 9, 14, 24, 14, 30]
_OVERDUE_FILL = PatternFill("solid", fgColor="FDE2E1")


def _deadline_text(task: Task) -> str:
    if task.deadline:
        text = task.deadline.isoformat()
        if task.deadline_provisional:
            text += "(暂定)"
        return text
    if task.deadline_working_days:
        return f"交办后{task.deadline_working_days}个工作日内"
    return ""


def days_overdue(task: Task, on: dt.date, calendar) -> int:
    """Working days `task` is past its deadline on `on` (0 when not overdue or closed)."""
    if not task.deadline or task.deadline >= on or task.status not in OPEN_STATUSES:
        return 0
    return calendar.working_days_between(task.deadline, on)


def ledger_rows(tasks, on: dt.date | None = None):
    """(row, late): one row per task in LEDGER_HEADERS order, and the working days overdue (0 if not)."""
    from luoshi.workcal.services import current_calendar

    on = on or dt.date.today()
    cal = current_calendar()
    tasks = tasks.select_related("source").prefetch_related(
        "lead_units", "co_units", Prefetch("reports", queryset=ProgressReport.objects.select_related("unit")),
        Prefetch("targets", queryset=Target.objects.order_by("id"))).order_by("id")
    for i, task in enumerate(tasks.iterator(chunk_size=500), start=1):
        reports = list(task.reports.all())  # ordered newest first
        latest = next((r for r in reports if not r.by_co_unit), None)
        parts = [f"{latest.text}(进度{latest.percent}%)"] if latest else []
        seen = set()
        for r in reports:
            if r.by_co_unit and r.unit_id not in seen:
                seen.add(r.unit_id)
                parts.append(f"【配合单位报送·{r.unit.display_name}】{r.text}(本单位承担部分{r.percent}%)")
        progress = "\n".join(parts)
        achieved = "\n".join(f"{tg.metric}:{tg.achieved_text}({'达标' if tg.met else '未达标'})"
                             for tg in task.targets.all() if tg.achieved is not None)
        late = days_overdue(task, on, cal)
        yield [i, task.title, "、".join(u.display_name for u in task.lead_units.all()),
               "、".join(u.display_name for u in task.co_units.all()), _deadline_text(task), progress,
               Status(task.status).label, task.number, task.source.title if task.source_id else "",
               f"已逾期{late}个工作日" if late else "", achieved], late


def write_ledger_xlsx(tasks, out=None, title: str = "督办事项台账") -> bytes | None:
    """Write `tasks` (a queryset the caller has already limited to what the user may see)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    append_row(ws, [title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(LEDGER_HEADERS))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    append_row(ws, LEDGER_HEADERS)
    thin = Side(style="thin")
    for col, width in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
        cell = ws.cell(row=2, column=col)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    overdue_rows = set()
    for row, late in ledger_rows(tasks):
        r = append_row(ws, row)
        if late:
            overdue_rows.add(r)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row > 2:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.row in overdue_rows:
                cell.fill = _OVERDUE_FILL
    ws.freeze_panes = "A3"
    # Print setup: A4 landscape, fit to the page width, header rows repeated on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:2"
    ws.print_options.horizontalCentered = True
    if out is None:
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    wb.save(out)
    return None
