"""政务服务 window records: import from the service system (.csv/.xlsx), metrics per centre and window
(现场办结率, 按时办结率, 满意率), scoring methods on them, and 电子监察 cards for items past their promised time.

Import columns (header row, any order; 窗口 optional): 窗口, 事项, 受理时间, 办结时间, 承诺时限, 是否现场办结, 评价.
- 受理时间/办结时间: `2026-03-02 09:30` (or an Excel date-time); 办结时间 empty while unfinished;
- 承诺时限: working days (`5`, `5个工作日`), `即办`/`0` = the same day; the promised time is the end of the
  last working day (luoshi's working calendar, holidays included);
- 是否现场办结: 是/否; 评价: 满意/基本满意/不满意 or empty.
All or nothing: any bad row refuses the file with the row numbers; re-importing the same rows adds nothing.
At most 100,000 rows and 20 MB per file.

Rates (records accepted in the period): 现场办结率 = 现场办结 / all; 按时办结率 = finished by the promised time /
(finished + unfinished past it on the reading day); 满意率 = (满意 + 基本满意) / rated.
电子监察: an unfinished record past its promised time raises a yellow card to the centre; more than 3 working
days past it, a red card (one card per record and colour; the centre's liaisons get an in-app message).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, decode_table_text

from .models import ServiceCard, WindowRecord
from .services import _office
from .sources import Measure, rate, register

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
COLUMNS = {"窗口": "window", "事项": "item", "受理时间": "accepted", "办结时间": "finished", "承诺时限": "promised",
           "是否现场办结": "onsite", "评价": "rating"}
REQUIRED = ("item", "accepted", "promised", "onsite")
RATINGS = {"满意": "满意", "基本满意": "基本满意", "不满意": "不满意", "": "", "未评价": ""}
RED_AFTER_WORKING_DAYS = 3


def _rows_of(name: str, data: bytes):
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        from luoshi.core.safezip import UnsafeArchive, check_ooxml

        try:  # every part inflated once as a stream and counted before openpyxl sees it
            check_ooxml(data, "xlsx")
        except UnsafeArchive as exc:
            raise LuoshiError(exc.message_en, exc.message_zh, field="file") from None
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise LuoshiError("the file is not a readable .xlsx workbook", "无法读取该Excel文件", field="file") from None
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    if name.lower().endswith(".csv"):
        text = decode_table_text(data)
        if text is None:
            raise LuoshiError("the CSV is neither UTF-8 nor GB18030", "CSV文件编码无法识别(应为UTF-8或GB18030)",
                              field="file")
        return list(csv.reader(io.StringIO(text)))
    raise LuoshiError("only .csv and .xlsx files can be imported", "只能导入.csv或.xlsx文件", field="file")


def _when(value, tz):
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=tz)
    text = str(value or "").strip().replace("/", "-")
    if not text:
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=tz)
        except ValueError:
            continue
    raise ValueError(f"not a time: {text}")


def _days(value) -> int:
    text = str(value if value is not None else "").strip().replace("个工作日", "").replace("工作日", "").replace("天", "")
    if text in ("即办", "0", ""):
        if text == "":
            raise ValueError("empty")
        return 0
    n = int(float(text))
    if not 0 <= n <= 365:
        raise ValueError("out of range")
    return n


def _yes(value) -> bool:
    text = str(value if value is not None else "").strip()
    if text in ("是", "Y", "y", "1", "True", "true"):
        return True
    if text in ("否", "N", "n", "0", "False", "false", ""):
        return False
    raise ValueError(text)


@transaction.atomic
def do_import_window_records(actor, centre, name: str, data: bytes) -> dict:
    """Import a window-record file for `centre` (a 政务服务中心 unit). Returns {"rows", "created",
    "unchanged"}; LuoshiError (nothing written) listing up to 20 bad rows."""
    _office(actor, "import window records", "导入政务服务办件")
    if len(data) > MAX_BYTES:
        raise LuoshiError("the file is larger than 20 MB", "文件不能超过20 MB", field="file")
    rows = _rows_of(name, data)
    if not rows:
        raise LuoshiError("the file is empty", "文件为空", field="file")
    header = [str(h or "").strip() for h in rows[0]]
    cols = {COLUMNS[h]: i for i, h in enumerate(header) if h in COLUMNS}
    missing = [zh for zh, key in COLUMNS.items() if key in REQUIRED and key not in cols]
    if missing:
        raise LuoshiError(f"missing columns: {', '.join(missing)}", f"缺少列:{'、'.join(missing)}", field="file")
    body = [r for r in rows[1:] if any(str(c or "").strip() for c in r)]
    if len(body) > MAX_ROWS:
        raise LuoshiError(f"more than {MAX_ROWS} rows", f"一次最多导入{MAX_ROWS}行", field="file")
    from luoshi.workcal.services import current_calendar

    cal = current_calendar()
    tz = timezone.get_current_timezone()
    errors, records = [], []
    get = lambda r, k: r[cols[k]] if k in cols and cols[k] < len(r) else None  # noqa: E731
    for n, r in enumerate(body, 2):
        try:
            item = str(get(r, "item") or "").strip()
            if not item or len(item) > 200 or "<" in item:
                raise ValueError("事项为空、过长或含有标签")
            window = str(get(r, "window") or "").strip()[:100]
            accepted = _when(get(r, "accepted"), tz)
            if accepted is None:
                raise ValueError("受理时间为空")
            finished = _when(get(r, "finished"), tz)
            if finished is not None and finished < accepted:
                raise ValueError("办结时间早于受理时间")
            days = _days(get(r, "promised"))
            onsite = _yes(get(r, "onsite"))
            rating = str(get(r, "rating") or "").strip()
            if rating not in RATINGS:
                raise ValueError(f"评价“{rating}”无效")
        except (ValueError, TypeError) as e:
            errors.append(f"第{n}行:{e}")
            continue
        last = cal.add_working_days(accepted.astimezone(tz).date(), days) if days else accepted.astimezone(tz).date()
        due = dt.datetime.combine(last, dt.time(23, 59, 59), tzinfo=tz)
        key = hashlib.sha256(f"{centre.pk}|{window}|{item}|{accepted.isoformat()}".encode()).hexdigest()
        records.append(WindowRecord(centre=centre, window=window, item=item, accepted_at=accepted, finished_at=finished,
                                    promised_days=days, due_at=due, onsite=onsite, rating=RATINGS[rating], key=key))
    if errors:
        more = f"等{len(errors)}处" if len(errors) > 20 else ""
        raise LuoshiError(f"{len(errors)} bad rows: " + "; ".join(errors[:20]),
                          f"有{len(errors)}行数据有误{more},未导入任何数据:" + ";".join(errors[:20]), field="file")
    existing = set(WindowRecord.objects.filter(key__in=[r.key for r in records]).values_list("key", flat=True))
    seen, new = set(), []
    for r in records:
        if r.key not in existing and r.key not in seen:
            seen.add(r.key)
            new.append(r)
    WindowRecord.objects.bulk_create(new, batch_size=5000)
    record(actor, "assessment.window.import", centre, summary=f"{name}:{len(records)}行,新增{len(new)}",
           after={"file": name, "rows": len(records), "created": len(new)})
    return {"rows": len(records), "created": len(new), "unchanged": len(records) - len(new)}


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


def _records(centre_ids, start: dt.date, end_excl: dt.date):
    return WindowRecord.objects.filter(centre_id__in=centre_ids, accepted_at__gte=_aware(start),
                                       accepted_at__lt=_aware(end_excl))


def metrics(centre_ids, start: dt.date, end_excl: dt.date, by_window: bool = False) -> list[dict]:
    """Rates per centre (and window) for records accepted in [start, end_excl), read on end_excl."""
    cut = _aware(end_excl)
    keys = ["centre_id", "centre__name"] + (["window"] if by_window else [])
    out = []
    for r in (_records(centre_ids, start, end_excl).values(*keys).annotate(
            n=Count("id"), onsite_n=Count("id", filter=Q(onsite=True)),
            due=Count("id", filter=Q(finished_at__isnull=False) | Q(due_at__lt=cut)),
            on_time=Count("id", filter=Q(finished_at__isnull=False, finished_at__lte=F("due_at"))),
            rated=Count("id", filter=~Q(rating="")), good=Count("id", filter=Q(rating__in=["满意", "基本满意"])))
            .order_by(*keys)):
        out.append({"centre_id": r["centre_id"], "centre": r["centre__name"], "window": r.get("window", ""),
                    "records": r["n"], "onsite_rate": rate(r["onsite_n"], r["n"]),
                    "on_time_rate": rate(r["on_time"], r["due"]), "satisfaction": rate(r["good"], r["rated"]),
                    "due": r["due"], "rated": r["rated"]})
    return out


def _metric_source(field: str, denominator: str):
    def compute(unit_ids, period, indicator=None):
        return {m["centre_id"]: Measure(m[field], m[denominator])
                for m in metrics(unit_ids, period.start, period.as_of)}

    def rows(unit_id, period, indicator, limit):
        return [{"label": f"窗口:{m['window'] or '(未填)'}", "url": "",
                 "detail": f"办件{m['records']},现场办结率{_pct(m['onsite_rate'])},按时办结率{_pct(m['on_time_rate'])},"
                           f"满意率{_pct(m['satisfaction'])}"}
                for m in metrics([unit_id], period.start, period.as_of, by_window=True)][:limit]

    return compute, rows


def _pct(x) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


for code, label, field, den, params in (
        ("govservice.onsite_rate", "政务服务现场办结率", "onsite_rate", "records", {"rule": "rate", "full_at": 0.9, "zero_at": 0.5}),
        ("govservice.on_time_rate", "政务服务按时办结率", "on_time_rate", "due", {"rule": "rate", "full_at": 1, "zero_at": 0.8}),
        ("govservice.satisfaction", "政务服务满意率", "satisfaction", "rated", {"rule": "rate", "full_at": 0.95, "zero_at": 0.6})):
    _c, _r = _metric_source(field, den)
    register(code, label, rows=_r, default_params=params)(_c)


def card_color(record: WindowRecord, now: dt.datetime, cal) -> str | None:
    """None, 'yellow' (unfinished past the promised time) or 'red' (more than 3 working days past it)."""
    if record.finished_at is not None or now <= record.due_at:
        return None
    tz = timezone.get_current_timezone()
    late = cal.working_days_between(record.due_at.astimezone(tz).date(), now.astimezone(tz).date())
    return "red" if late > RED_AFTER_WORKING_DAYS else "yellow"


@transaction.atomic
def run_service_cards(now: dt.datetime | None = None) -> dict:
    """电子监察 sweep: raise the cards due now (idempotent); returns {"yellow": n, "red": n}."""
    from luoshi.notifications.services import notify_units
    from luoshi.workcal.services import current_calendar

    now = now or timezone.now()
    cal = current_calendar()
    have = set(ServiceCard.objects.values_list("record_id", "color"))
    new = []
    for r in WindowRecord.objects.filter(finished_at__isnull=True, due_at__lt=now).select_related("centre"):
        color = card_color(r, now, cal)
        colors = ["yellow"] + (["red"] if color == "red" else [])
        for c in colors:
            if (r.id, c) not in have:
                new.append(ServiceCard(record=r, color=c, on=timezone.localdate(now)))
    ServiceCard.objects.bulk_create(new)
    by_centre = defaultdict(list)
    for card in new:
        by_centre[card.record.centre].append(card)
    for centre, cards in by_centre.items():
        reds = sum(c.color == "red" for c in cards)
        title = f"电子监察:{len(cards) - reds}张黄牌、{reds}张红牌({centre.name})"
        body = ";".join(f"{c.record.window or ''}{c.record.item}(受理{c.record.accepted_at:%m-%d},"
                        f"承诺{c.record.due_at:%m-%d}前办结)" for c in cards[:20])
        notify_units([centre], kind="assessment.service_card", title=title, body=body, url="/assessment/govservice/")
        record("电子监察", "assessment.window.cards", centre, summary=title,
               after={"cards": [{"record": c.record_id, "color": c.color} for c in cards]})
    return {"yellow": sum(c.color == "yellow" for c in new), "red": sum(c.color == "red" for c in new)}
