"""Case list exports (案件清单导出): .xlsx and .csv through luoshi.core.tabular (a cell is never a live
formula, whoever wrote the text), of the cases the reader may read (cases.permissions.visible_cases, the
scope rule), the reporter shown exactly as on screen (cases.permissions.reporter_view: redacted for the
units concerned, "匿名" for anonymous cases). At most MAX_ROWS rows, newest first; the last row says when
more were left out."""
from __future__ import annotations

import csv
import io

from django.utils import timezone
from openpyxl import Workbook

from luoshi.core.tabular import append_row, csv_row

from . import permissions as perm

MAX_ROWS = 50_000
HEADERS = ["案件编号", "类型", "类别", "来源渠道", "受理时间", "事发地址", "诉求内容", "反映人", "联系电话",
           "被投诉单位", "责任单位", "状态", "办理时限", "办结时间", "是否超期", "评价"]


def _local(v):
    return timezone.localtime(v).replace(tzinfo=None, microsecond=0) if v else None


def rows(user, qs):
    """The header, then one list per case (what both formats write)."""
    yield HEADERS
    now = timezone.now()
    qs = perm.visible_cases(user, qs).select_related("category", "responsible_unit", "subject_unit")
    n = 0
    for c in qs.order_by("-created_at", "-id")[:MAX_ROWS + 1].iterator(chunk_size=2000):
        n += 1
        if n > MAX_ROWS:
            yield [f"(仅导出最新的{MAX_ROWS}件,请缩小筛选范围)"]
            return
        who = perm.reporter_view(user, c)
        end = c.replied_at or now
        late = bool(c.deadline and end > c.deadline and c.status not in ("void", "merged"))
        yield [c.number, c.get_kind_display(), c.category.name, c.get_channel_display(), _local(c.created_at),
               c.address, c.description, who["name"], who["phone"],
               c.subject_unit.name if c.subject_unit_id else "",
               c.responsible_unit.name if c.responsible_unit_id else "", c.get_status_display(),
               _local(c.deadline), _local(c.replied_at), "是" if late else "", c.get_rating_display()]


def cases_xlsx(user, qs) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "诉求案件"
    for r in rows(user, qs):
        append_row(ws, r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cases_csv(user, qs) -> bytes:
    """UTF-8 with BOM (Excel/WPS open it as UTF-8)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    for r in rows(user, qs):
        w.writerow(csv_row(r))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
