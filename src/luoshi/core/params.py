"""Query-parameter and value validation (参数校验): the ONE place where ids, dates and numbers
coming from a request (page, export, document, API) are checked.

Rules (README "Parameters and limits"):

* id      ASCII digits only, 1 ≤ id ≤ 2**63-1 (a 25-digit id or ``²`` is refused, not a 500);
* date    ISO ``YYYY-MM-DD`` between 2000-01-01 and 2100-12-31 (``0001-01-01``/``9999-12-31`` refused);
* number  finite decimal/float with ``|x| ≤ 1e12`` (``1e30``, ``nan``, ``inf`` refused);
* deadline (完成时限) not before 2000-01-01 and at most 10 years after its assignment date;
* page    ASCII digits, 1 ≤ page ≤ the number of pages (``page=0``, ``page=x``, a page past the end refused).

Every refusal raises `BadParameter` (a LuoshiError, so nothing is written): the API answers
400 ``{"detail", "detail_zh", "field"}``, pages answer 400 with the Chinese message
(luoshi.core.middleware.BadRequestMiddleware).
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

from .errors import LuoshiError

MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MAX_ID = 2**63 - 1
MAX_NUMBER = Decimal("999999999999.9999")  # what a 16-digit, 4-decimal column holds
DEADLINE_HORIZON_YEARS = 10


class BadParameter(LuoshiError):
    """A request parameter or value out of its rules (参数无效) → HTTP 400."""


def parse_id(value, name: str, label_zh: str = "编号") -> int:
    """An object id: str/int → int in 1..2**63-1, else BadParameter."""
    s = str(value).strip()
    if not (s.isascii() and s.isdigit()) or len(s) > 19 or not 1 <= int(s) <= MAX_ID:
        raise BadParameter(f"{name} must be an id (a whole number from 1 to {MAX_ID})",
                           f"{label_zh}应为有效的数字编号", field=name)
    return int(s)


def parse_date(value, name: str, label_zh: str = "日期") -> dt.date:
    """An ISO date (YYYY-MM-DD) in 2000-01-01..2100-12-31, else BadParameter."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        s = str(value).strip()
        try:
            if not s.isascii() or len(s) != 10:
                raise ValueError
            day = dt.date.fromisoformat(s)
        except ValueError:
            raise BadParameter(f"{name} must be a date YYYY-MM-DD", f"{label_zh}应为YYYY-MM-DD格式的日期",
                               field=name) from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise BadParameter(f"{name} must be between {MIN_DATE} and {MAX_DATE}",
                           f"{label_zh}应在{MIN_DATE:%Y年%m月%d日}至{MAX_DATE:%Y年%m月%d日}之间", field=name)
    return day


def parse_number(value, name: str, label_zh: str = "数值", *, limit: Decimal = MAX_NUMBER) -> Decimal:
    """A finite number with |x| ≤ limit (default 1e12), as Decimal, else BadParameter."""
    try:
        if isinstance(value, float) and not math.isfinite(value):
            raise InvalidOperation
        num = Decimal(str(value).strip())
        if not num.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise BadParameter(f"{name} must be a number", f"{label_zh}应为数字", field=name) from None
    if abs(num) > limit:
        raise BadParameter(f"{name} must be between -{limit:f} and {limit:f}", f"{label_zh}超出允许范围(绝对值不超过{limit:f})",
                           field=name)
    return num


MAX_PAGE = 1_000_000


def parse_page(value, last: int | None = None, name: str = "page") -> int:
    """A page number: missing/empty → 1; else ASCII digits, 1 ≤ page ≤ `last` (the number of pages,
    when known) and ≤ 1,000,000. Anything else (``0``, ``-1``, ``x``, ``1e9``, a page past the end)
    raises BadParameter → 400."""
    s = str(value if value is not None else "").strip()
    if not s:
        return 1
    if not (s.isascii() and s.isdigit()) or len(s) > 7 or not 1 <= int(s) <= MAX_PAGE:
        raise BadParameter(f"{name} must be a page number (a whole number from 1)", "页码应为从1开始的整数",
                           field=name)
    page = int(s)
    if last is not None and page > max(last, 1):
        raise BadParameter(f"{name} {page} is past the last page ({max(last, 1)})",
                           f"页码超出范围(共{max(last, 1)}页)", field=name)
    return page


def paginate(items, per_page: int, value, name: str = "page"):
    """A django Paginator page of `items` for the request value `value` (see parse_page): strict, so a
    bad or out-of-range page is a 400, never a 500 or a silent other page."""
    from django.core.paginator import Paginator

    paginator = Paginator(items, per_page)
    return paginator.page(parse_page(value, paginator.num_pages, name))


def get_id(params, name: str, label_zh: str = "编号", default=None):
    """params[name] as an id, or `default` when missing/empty."""
    raw = (params.get(name) or "").strip()
    return parse_id(raw, name, label_zh) if raw else default


def get_date(params, name: str, label_zh: str = "日期", default=None):
    """params[name] as a date, or `default` when missing/empty."""
    raw = (params.get(name) or "").strip()
    return parse_date(raw, name, label_zh) if raw else default


def get_number(params, name: str, label_zh: str = "数值", default=None):
    raw = (params.get(name) or "").strip()
    return parse_number(raw, name, label_zh) if raw else default


def _choice_values(choices) -> list[str]:
    """The accepted values of `choices`: a TextChoices class, a dict, or an iterable of values or
    (value, label) pairs."""
    if hasattr(choices, "values") and not isinstance(choices, dict):
        values = choices.values
        return [str(v) for v in (values() if callable(values) else values)]
    return [str(c[0] if isinstance(c, (tuple, list)) else c) for c in choices]


def get_choice(params, name: str, choices, label_zh: str, default: str = "", *, many: bool = False):
    """params[name] as one of `choices` (unknown filter values are a 400, never "nothing" or "everything");
    `default` when missing/empty. many=True: a comma-separated list, each one of the choices (a list back)."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return [] if many and not default else default
    allowed = _choice_values(choices)
    wanted = [v.strip() for v in raw.split(",") if v.strip()] if many else [raw]
    for value in wanted:
        if value not in allowed:
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise BadParameter(f"{name} must be one of: {', '.join(allowed)} (got {shown!r})",
                               f"{label_zh}“{shown}”无效,可选值:{'、'.join(allowed)}", field=name)
    return wanted if many else wanted[0]


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def get_bool(params, name: str, label_zh: str, default: bool = False) -> bool:
    """params[name] as a yes/no switch: 1/true/yes/on or 0/false/no/off (any case); missing/empty → default;
    anything else (``maybe``) → BadParameter."""
    raw = (params.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise BadParameter(f"{name} must be 1/true/yes or 0/false/no", f"{label_zh}应为1(是)或0(否)", field=name)


def get_int(params, name: str, label_zh: str, default=None, *, lo: int | None = None, hi: int | None = None):
    """params[name] as a whole number in lo..hi (either bound optional); missing/empty → default."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    s = raw[1:] if raw[:1] == "-" else raw
    if not (s.isascii() and s.isdigit()) or len(s) > 12:
        raise BadParameter(f"{name} must be a whole number", f"{label_zh}应为整数", field=name)
    value = int(raw)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        low, high = "" if lo is None else lo, "" if hi is None else hi
        raise BadParameter(f"{name} must be between {low} and {high}", f"{label_zh}应在{low}至{high}之间",
                           field=name)
    return value


def get_year(params, name: str = "year", label_zh: str = "年份", default=None):
    """A calendar year 2000..2100 (the dates the calendar arithmetic handles)."""
    return get_int(params, name, label_zh, default, lo=MIN_DATE.year, hi=MAX_DATE.year)


def get_month(params, name: str = "month", label_zh: str = "月份", default=None):
    return get_int(params, name, label_zh, default, lo=1, hi=12)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_deadline(deadline, start: dt.date | None, name: str = "deadline", label_zh: str = "完成时限"):
    """A deadline (完成时限) is refused before 2000-01-01 or more than 10 years after `start`
    (the assignment date, or today before assignment). None passes."""
    if deadline is None:
        return None
    if not isinstance(deadline, dt.date):
        deadline = parse_date(deadline, name, label_zh)
    if deadline < MIN_DATE:
        raise BadParameter(f"{name} {deadline} is before {MIN_DATE}", f"{label_zh}({deadline})早于2000年",
                           field=name)
    if start is not None and deadline > _add_years(start, DEADLINE_HORIZON_YEARS):
        raise BadParameter(f"{name} {deadline} is more than {DEADLINE_HORIZON_YEARS} years after {start}",
                           f"{label_zh}({deadline})超过交办日期后{DEADLINE_HORIZON_YEARS}年,请核实", field=name)
    return deadline


def in_range(day: dt.date | None) -> bool:
    """True when `day` is a date the calendar arithmetic can handle (2000..2100)."""
    return day is not None and MIN_DATE <= day <= MAX_DATE
