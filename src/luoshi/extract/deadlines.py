"""Deadlines (完成时限) normalised relative to the document date.

Shapes (annotation.md §3):

- calendar limits: 2009年年底前 -> 2009-12-31; 二〇二六年十二月底前; 到2027年底;
  6月底前 / 十月份 / 12月8日前 -> in the document's year; 4月1日至4月20日 -> its end;
- periods of a dated document: 年底前, 年内, 全年 -> 12-31; 上半年, 年中 -> 06-30;
  a bare 当年 (当年竣工, 确保当年见效) -> 12-31 of the year of the document's date;
  下半年 -> 12-31; 一季度末 / 第一季度 -> 03-31; 三季度 -> 09-30;
- holidays: 国庆节前 -> 09-30, 元旦前, 五一前, 春节前 (the day before the next
  Spring Festival after the document date), 端午节前, 中秋节前 (lunar dates from
  lunar-python); 本月底前, 本周五前, 下周五前 count from the document date;
- 明年 / 次年 / 后年 count from the date the document was written, not from the
  year of the plan it introduces; 今年 / 明年 / 年底前 in an undated speech keep
  their text with ``date`` null; seasons without a fixed date (汛期前) too;
- repeating times: 每月28日前 -> ``monthly:28``; 每年4月和10月 -> ``yearly:04,10``;
  每季度 (also 每季度最后一个月30日前) -> ``quarterly``; 每半年 -> ``half-yearly``;
  每周 -> ``weekly``; 每日 -> ``daily``; 每两年 -> ``every-2-years``;
- durations: 3个工作日内 (``working_days`` 3), 24小时内, 接警后30分钟内, 限期30日,
  用三年时间: ``date`` null, ``text`` as written;
- a start (从2026年起, 自…开始, 明年起) and a past period (今年以来) are never the
  deadline; vague words (尽快, 及时, 适时, 逐步) are not deadlines.

With several times in a sentence the one that bounds the deliverable wins: an
explicit limit (…前, …底, …内, a range's end) over a bare period (全年, 上半年),
over a repeating time, over a duration; the first of equals.
"""
from __future__ import annotations

import calendar
import datetime as _dt
import functools
import re

_CN = "〇零一二两三四五六七八九十百"
_NUM = rf"(?:\d{{1,4}}|[{_CN}]{{1,4}})"
_Y = r"(?:(?:19|20)\d\d|[〇零一二三四五六七八九○]{4}|今|本|明|次|后|当)"


def cn_to_int(s: str) -> int | None:
    """Arabic or Chinese numeral (一, 十二, 二〇二六, 两百) -> int; None if not a number."""
    if s is None:
        return None
    s = s.strip()
    if s.isdigit():
        return int(s)
    d = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
         "九": 9}
    if not s:
        return None
    if all(c in d for c in s):
        if len(s) == 1:
            return d[s]
        return int("".join(str(d[c]) for c in s))
    total, cur = 0, 0
    for c in s:
        if c in d:
            cur = d[c]
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


# A period inside a year: 年底 / 底 / 年内 / 上半年 / 第三季度末 / 12月 / 12月8日 / 12月中旬 …
_PER = (rf"(?:年底|年末|年内|(?<![一二两三四五六七八九十百0-9每全半多整])年中|底|末|内|全年|上半年|下半年|(?:第)?[一二三四1-4]季度(?:末|底)?|"
        rf"{_NUM}月(?:份)?(?:{_NUM}(?:日|号)|上旬|中旬|下旬|底|末)?)")
_RANGE_SEP = r"(?:至|到|—|–|-|~|～)"
_SUF = r"(?:前|之前|以前|为止|完成|之内|以内|内|起|开始|以来)"

_RX = re.compile(
    "|".join([
        # ---- repeating times
        rf"(?P<rec_q>每(?:个|一个)?季度(?:的)?(?:(?:最后|第[一二三123])一?个月)?(?:的)?(?:{_NUM}(?:日|号))?(?:末|结束后|前|之前|以前)?)",
        rf"(?P<rec_m>每(?:个)?月(?:的)?(?:(?P<rm_d>{_NUM})(?:日|号)(?:前|之前|以前)?|底|末)?)",
        r"(?P<rec_h>每半年(?:度)?)",
        rf"(?P<rec_y>每(?:一)?年(?:度)?(?:的)?(?:(?P<ry_ms>{_NUM}月(?:份)?(?:(?:和|、|及|至|到){_NUM}月(?:份)?)*)"
        rf"(?:{_NUM}(?:日|号))?(?:底|末)?(?:前|之前)?|年底|年末|底|末)?)",
        r"(?P<rec_n>每(?P<rn>两|2|三|3|五|5)年)",
        r"(?P<rec_w>每(?:个)?(?:周|星期)(?:[一二三四五六日天1-7](?:前)?)?)",
        r"(?P<rec_d>每(?:日|天))",
        r"(?P<rec_s>每(?:个)?学期)",
        # ---- calendar limits and periods (with or without a year)
        rf"(?P<abs>(?=(?:于|在|到|至|截至|截止)?(?:{_Y}年|{_PER}))(?P<pre>于|在|到|至|截至|截止)?(?:(?P<y>{_Y})年(?:度)?)?(?P<per>{_PER})?"
        rf"(?:(?P<sep>{_RANGE_SEP})(?:(?P<y2>{_Y})年(?:度)?)?(?P<per2>{_PER}))?(?P<suf>{_SUF})?)",
        # ---- durations
        rf"(?P<dur>(?:在|于)?(?P<dur_n>{_NUM}|半)个?(?P<dur_u>工作日|小时|分钟|日|天|周|星期|个月|月|年)(?:之内|以内|内)"
        rf"|限期(?P<lim_n>{_NUM})(?:个)?(?P<lim_u>工作日|日|天|个月|月)"
        rf"|用(?P<use_n>{_NUM}|半)(?:个)?(?P<use_u>年|月|周|天)(?:左右)?(?:的)?时间)",
        # ---- this/next month, week; holidays; seasons without a fixed date
        r"(?P<bq>本季度(?:末|底)?(?:前|之前|以前|内)?)",
        rf"(?P<bm>(?P<bm_w>本|下)月(?:(?P<bm_d>{_NUM})(?:日|号)|底|末)(?:前|之前|以前)?)",
        r"(?P<wk>(?P<wk_w>本|这|下)(?:周|星期|个星期)(?P<wk_d>[一二三四五六日天1-7])(?:前|之前|以前))",
        r"(?P<hol>(?P<hol_n>春节|元旦|国庆节?|五一|劳动节|端午节?|中秋节?|清明节?)(?:假期)?(?:前|之前|以前))",
        r"(?P<season>(?:主汛期|汛期|入汛|雨季|冬季|夏季|秋季|春季|秋季开学|开学|供暖季|采暖季|冬春季)(?:前|之前|以前))",
    ])
)
# Characters a deadline can start with: _matches tries the big pattern only there.
_RX_FIRST = re.compile(rf"[每限用于在到至截今本明次后当下这年底末全上第春元国五劳端中清主汛入雨冬夏秋开供采0-9○{_CN}]")
_TIME_CHAR = re.compile(r"[年月日天周季星时钟节前期底末]")
_MONTHS_IN = re.compile(_NUM + "(?=月)")

_START_BEFORE = re.compile(r"(?:从|自|自从|由)$")
_PAST_AFTER = re.compile(r"^(?:以来|来|初以来|年初以来|以前的|的|[^,。]{0,6}(?:了|已))")
# 全年 / 今年 used as an attribute (全年工作总结, 今年工作的重点), not as a limit
_ATTR_AFTER = re.compile(r"^(?:的|是|工作|目标|任务|经济|总|平均|各项|以来|来|共|累计|已|内外)")
_BARE_YEAR_NEXT = re.compile(r"^(?:要|将|必须|确保|力争|争取|全面完成|基本完成|完成|实现)")
# A bare 今年/明年 limits the work when the rest of the sentence has something checkable.
_CHECKABLE = re.compile(r"\d|完成|新增|新建|实现|达到|力争|建成|建立|开展|组织|启动|出台|压减|下降|提高|不少于|不低于|[一二两三四五六七八九十百]+(?:个|项|所|家|次|场)")
# 当年开工、当年竣工 / 当年见效 / 当年投产: the bare 当年 bounds the work named right after it
_SAME_YEAR_WORK = re.compile(r"^(?:内|就|即|要|必须|确保|力争)?(?:开工|竣工|完工|投产|达产|见效|建成|完成|落地|开业|运营|销号|清零|到位|兑现|使用|入住|交付)")
_DUR_DAYS = {"日": 1, "天": 1, "周": 7, "星期": 7, "个月": 30, "月": 30, "年": 365}
_TARGET_OP_BEFORE = re.compile(r"(?:压缩|缩短|减少|降低|控制|不超过|不多于|不高于|提速|提高|办理时限|时间)(?:至|到|在|为)?$")


_WIDTH_SAME = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
_FULL = re.compile("[\uff01-\uff5e\u3000]")


def _matches(sentence: str):
    """Leftmost non-overlapping matches of _RX, tried only at candidate characters."""
    if not _TIME_CHAR.search(sentence):
        return
    pos = 0
    match = _RX.match
    for c in _RX_FIRST.finditer(sentence):
        i = c.start()
        if i < pos:
            continue
        m = match(sentence, i)
        if m is not None and m.end() > i:
            pos = m.end()
            yield m


_MONTH_PER = re.compile(rf"({_NUM})月(?:份)?(?:({_NUM})(?:日|号)|(上旬|中旬|下旬|底|末))?")
_BARE_MONTH = re.compile(rf"{_NUM}月(?:份)?")
_EXPLICIT_END = re.compile(r"底|末|日|号|旬")


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _iso(y, m, d) -> str | None:
    try:
        if not (1 <= m <= 12 and 1 <= d <= _last_day(y, m)):
            return None
    except (TypeError, ValueError):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


@functools.lru_cache(maxsize=64)
def _parse_iso(s: str | None):
    try:
        return _dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


@functools.lru_cache(maxsize=256)
def _holiday(name: str, year: int | None, written: _dt.date | None) -> str | None:
    """The day before the holiday: the first one after the writing date, else the plan year's."""
    name = name.rstrip("节")
    fixed = {"元旦": (1, 1), "国庆": (10, 1), "五一": (5, 1), "劳动": (5, 1)}
    lunar = {"春": (1, 1), "端午": (5, 5), "中秋": (8, 15)}

    def day_of(y: int) -> _dt.date | None:
        if name in fixed:
            mo, d = fixed[name]
            return _dt.date(y, mo, d)
        try:
            from lunar_python import Lunar, Solar
        except ImportError:  # pragma: no cover - a declared dependency
            return None
        if name == "清明":
            solar = Lunar.fromYmd(y, 1, 1).getJieQiTable().get("清明")
            if solar is None:  # pragma: no cover
                return None
            return _dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
        key = "春" if name == "春" else name
        lm, ld = lunar[key]
        s: Solar = Lunar.fromYmd(y, lm, ld).getSolar()
        return _dt.date(s.getYear(), s.getMonth(), s.getDay())

    if written is not None:
        for y in (written.year, written.year + 1):
            d = day_of(y)
            if d is not None and d > written:
                return (d - _dt.timedelta(days=1)).isoformat()
        return None
    if year:
        d = day_of(year)
        return (d - _dt.timedelta(days=1)).isoformat() if d else None
    return None


def _year_of(tok: str | None, plan_year: int | None, written_year: int | None) -> int | None:
    if tok == "当":  # 当年: the year of the document's date (of the plan's year if undated)
        return written_year or plan_year
    if tok is None or tok in ("今", "本"):
        return plan_year
    if tok.isdigit():
        return int(tok)
    if tok in ("明", "次"):
        base = written_year or None
        return base + 1 if base else None
    if tok == "后":
        return written_year + 2 if written_year else None
    return cn_to_int(tok)


def _period_end(per: str, y: int | None) -> str | None:
    """Last day of a period string (年底, 上半年, 三季度, 12月, 12月8日, 12月中旬) in year y."""
    if y is None:
        return None
    if per in ("年底", "年末", "年内", "底", "末", "内", "全年", "下半年"):
        return _iso(y, 12, 31)
    if per in ("上半年", "年中"):
        return _iso(y, 6, 30)
    if "季度" in per:
        q = cn_to_int(per.lstrip("第")[0])
        return _iso(y, q * 3, _last_day(y, q * 3)) if q and 1 <= q <= 4 else None
    m = _MONTH_PER.match(per)
    if not m:
        return None
    mo = cn_to_int(m.group(1))
    if not mo or not 1 <= mo <= 12:
        return None
    if m.group(2):
        return _iso(y, mo, cn_to_int(m.group(2)))
    if m.group(3) == "上旬":
        return _iso(y, mo, 10)
    if m.group(3) == "中旬":
        return _iso(y, mo, 20)
    return _iso(y, mo, _last_day(y, mo))


def _abs(m, sentence: str, plan_year, written):
    """(result, priority) of a calendar limit / period match, or None if it is no limit."""
    g = m.groupdict()
    per, per2, y_tok, suf = g["per"], g["per2"], g["y"], g["suf"] or ""
    if not y_tok and not per:
        return None
    if suf in ("起", "开始", "以来") or _START_BEFORE.search(sentence[max(0, m.start() - 2):m.start()]):
        return None  # a start (从2026年起, 明年起) or a past period (今年以来)
    after = sentence[m.end():m.end() + 8]
    text = m.group(0)
    if g["pre"]:
        text = text[len(g["pre"]):]
    if not per:
        # a bare year: 2026年 / 今年 / 明年
        if y_tok.isdigit() or len(y_tok) == 4:
            if not (suf or g["pre"] in ("到", "至", "截至", "截止") or _BARE_YEAR_NEXT.match(after)):
                return None  # "2009年全面推进…": a label, not a limit
        else:
            if _ATTR_AFTER.match(after) or _PAST_AFTER.match(after) or sentence[m.start() - 1:m.start()] in ("比", "较"):
                return None
            if not suf and not _CHECKABLE.search(sentence, m.end()) \
                    and not (y_tok == "当" and _SAME_YEAR_WORK.match(after)):
                return None  # "今年,我们要把…作为主线": no checkable work
    elif per in ("底", "末", "内") and not y_tok:
        return None
    elif per == "全年" and (_ATTR_AFTER.match(after) or sentence[m.start() - 1:m.start()] in ("比", "较", "的")):
        return None
    elif not y_tok and _BARE_MONTH.fullmatch(per) and "份" not in per and not suf and not per2:
        return None  # a bare month name ("3月") without 底/末/份/前
    elif not y_tok and per in ("上半年", "下半年", "年内", "年中", "年底", "年末") and _PAST_AFTER.match(after):
        return None
    if not per and suf == "完成" and not y_tok:
        return None
    written_year = written.year if written else None
    y = _year_of(y_tok, plan_year, written_year)
    end_per, end_y_tok = (per2, g["y2"] or y_tok) if per2 else (per, y_tok)
    if per2:
        y = _year_of(end_y_tok, plan_year, written_year)
    date = _period_end(end_per or "全年", y) if (end_per or y_tok) else None
    if suf == "完成":
        text = text[:-2]
    explicit = bool(suf and suf != "完成") or bool(per2) or bool(end_per and _EXPLICIT_END.search(end_per)) \
        or g["pre"] in ("到", "至", "截至", "截止")
    return {"text": text, "date": date, "recurrence": None}, (3 if explicit else 2)


def find_deadline(sentence: str, doc_year: int | None = None, doc_month: int | None = None,
                  doc_date: str | None = None, *, narrow: bool = False) -> dict | None:
    """The time limit of a task sentence, or None.

    ``doc_year`` is the year the document's periods fall in (a plan's year);
    ``doc_date`` (ISO) the date it was written, from which 明年/次年, holidays,
    本月/下周 count. Returns ``{"text", "date" (ISO or None), "recurrence"}``,
    plus ``working_days`` / ``duration_days`` for durations."""
    written = _parse_iso(doc_date)
    if not narrow and _FULL.search(sentence):  # narrow: known to hold no full-width forms
        sentence = sentence.translate(_WIDTH_SAME)
    best, best_p = None, -1
    for m in _matches(sentence):
        g = m.groupdict()
        text = m.group(0)
        res, prio = None, 0
        if g["rec_q"]:
            res, prio = {"text": text, "date": None, "recurrence": "quarterly"}, 1
        elif g["rec_m"]:
            d = cn_to_int(g["rm_d"]) if g["rm_d"] else None
            res, prio = {"text": text, "date": None, "recurrence": f"monthly:{d}" if d else "monthly"}, 1
        elif g["rec_h"]:
            res, prio = {"text": text, "date": None, "recurrence": "half-yearly"}, 1
        elif g["rec_y"]:
            months = [cn_to_int(x) for x in _MONTHS_IN.findall(g["ry_ms"] or "")]
            months = [x for x in months if x and 1 <= x <= 12]
            rec = "yearly:" + ",".join(f"{x:02d}" for x in months) if months else "yearly"
            res, prio = {"text": text, "date": None, "recurrence": rec}, 1
        elif g["rec_n"]:
            res, prio = {"text": text, "date": None, "recurrence": f"every-{cn_to_int(g['rn'])}-years"}, 1
        elif g["rec_w"]:
            res, prio = {"text": text, "date": None, "recurrence": "weekly"}, 1
        elif g["rec_d"]:
            res, prio = {"text": text, "date": None, "recurrence": "daily"}, 1
        elif g["rec_s"]:
            res, prio = {"text": text, "date": None, "recurrence": "per-semester"}, 1
        elif g["abs"]:
            got = _abs(m, sentence, doc_year, written)
            if got is None:
                continue
            res, prio = got
        elif g["dur"]:
            if _TARGET_OP_BEFORE.search(sentence[max(0, m.start() - 6):m.start()]):
                continue  # 压缩至3个工作日以内: a target, not a deadline
            n_tok = g["dur_n"] or g["lim_n"] or g["use_n"]
            n = 0.5 if n_tok == "半" else cn_to_int(n_tok)
            unit = g["dur_u"] or g["lim_u"] or g["use_u"]
            res, prio = {"text": text.lstrip("在于"), "date": None, "recurrence": None}, 0
            if unit == "工作日" and n:
                res["working_days"] = int(n)
            elif n and unit in _DUR_DAYS:
                res["duration_days"] = int(n * _DUR_DAYS[unit])
        elif g["bq"]:
            date = None
            if written:
                q_end = ((written.month - 1) // 3 + 1) * 3
                date = _iso(written.year, q_end, _last_day(written.year, q_end))
            res, prio = {"text": text, "date": date, "recurrence": None}, 3
        elif g["bm"]:
            date = None
            if written:
                y, mo = written.year, written.month
                if g["bm_w"] == "下":
                    y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
                d = cn_to_int(g["bm_d"]) if g["bm_d"] else _last_day(y, mo)
                date = _iso(y, mo, d)
            elif doc_year and doc_month and g["bm_w"] == "本":
                d = cn_to_int(g["bm_d"]) if g["bm_d"] else _last_day(doc_year, doc_month)
                date = _iso(doc_year, doc_month, d)
            res, prio = {"text": text, "date": date, "recurrence": None}, 3
        elif g["wk"]:
            date = None
            if written:
                wd = "一二三四五六日".find(g["wk_d"]) if g["wk_d"] not in "天1234567" else None
                if wd is None:
                    wd = 6 if g["wk_d"] == "天" else int(g["wk_d"]) - 1
                monday = written - _dt.timedelta(days=written.weekday())
                if g["wk_w"] == "下":
                    monday += _dt.timedelta(days=7)
                date = (monday + _dt.timedelta(days=wd)).isoformat()
            res, prio = {"text": text, "date": date, "recurrence": None}, 3
        elif g["hol"]:
            res, prio = {"text": text, "date": _holiday(g["hol_n"], doc_year, written), "recurrence": None}, 3
        elif g["season"]:
            res, prio = {"text": text, "date": None, "recurrence": None}, 2
        if res is not None and prio > best_p:
            best, best_p = res, prio
    return best
