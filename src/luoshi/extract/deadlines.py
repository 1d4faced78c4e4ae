"""Deadlines (完成时限) normalised relative to the document date.

2009年年底前 -> 2009-12-31; 6月底前 -> <doc year>-06-30; 本月25日前;
每月28日前 -> recurrence monthly:28; 每年4月和10月 -> yearly:04,10;
三个工作日内 -> duration (date null, working_days 3). Vague words
(尽快, 及时, 适时, 逐步) are not deadlines. Unknown year -> date null.
"""
from __future__ import annotations

import calendar
import re

_CN = "〇零一二两三四五六七八九十百"
_NUM = rf"(?:\d{{1,4}}|[{_CN}]{{1,4}})"


def cn_to_int(s: str) -> int | None:
    if s is None:
        return None
    s = s.strip()
    if s.isdigit():
        return int(s)
    d = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
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


_YEAR = r"(?P<year>(?:19|20)\d\d|今|本|明)年"
_RX = re.compile(
    "|".join([
        # recurrence
        rf"(?P<rec_m>每(?:个)?月(?:的)?(?P<rm_d>{_NUM})(?:日|号)(?:前|之前|以前)?)",
        rf"(?P<rec_y>每年(?:的)?(?P<ry_ms>{_NUM}月(?:(?:和|、|及|至|到){_NUM}月)*)(?:份)?(?:底|末)?(?:前)?)",
        r"(?P<rec_q>每(?:个)?季度(?:末|结束后)?)",
        r"(?P<rec_h>每半年)",
        r"(?P<rec_w>每周|每星期)",
        r"(?P<rec_y2>每年度?(?:年底|年末|底)?)(?!\d)",
        r"(?P<rec_m2>每(?:个)?月)",
        # durations
        rf"(?P<dur>(?:在|于)?(?P<dur_n>{_NUM})个?(?P<dur_u>工作日|日|天|个月|月|周|年)(?:内|之内|以内)|限期(?P<lim_n>{_NUM})(?:个)?(?:工作日|日|天|个月)|用(?P<use_n>{_NUM})(?:个)?(?:年|月|周|天)(?:左右)?(?:的)?时间)",
        # absolute / relative to the document year
        rf"(?P<abs>(?:于|在|到|至|截至|截止)?{_YEAR}(?:(?P<ab_m>{_NUM})月(?:(?P<ab_d>{_NUM})(?:日|号))?(?P<ab_me>底|末|中旬|上旬|下旬)?|(?P<ab_half>上半年|下半年|年底|年末|底|末|年内|内|第(?P<ab_q>[一二三四1-4])季度(?:末)?))?(?:前|之前|以前|完成|为止)?)",
        rf"(?P<md>(?:于|在|到)?(?P<md_m>{_NUM})月(?:(?P<md_d>{_NUM})(?:日|号)|(?P<md_e>底|末|中旬|上旬|下旬))(?:前|之前|以前|为止))",
        rf"(?P<bm>本月(?P<bm_d>{_NUM})(?:日|号)?(?:前|之前|以前)|本月(?:底|末)(?:前)?)",
    ])
)
# Characters a deadline can start with, and characters every deadline contains:
# _matches tries the big pattern only at possible starts of sentences that can hold one.
_RX_FIRST = re.compile(r"[每限用于在到至截今本明0-9〇零一二两三四五六七八九十百]")
_TIME_CHAR = re.compile(r"[年月日天周季星]")
_MONTHS_IN = re.compile(_NUM + "(?=月)")
_DUR_UNIT = re.compile(r"年|个月|月|周|天|日")
_BARE_YEAR_END = re.compile(r"(?:前|之前|以前|完成|为止)$|^(?:[到至]|底|末)")
_BARE_YEAR_NEXT = re.compile(r"(?:要|将|必须|确保|力争|争取|全面完成|基本完成|完成|实现|底前|前)")


_LIMIT_ENDS = ("前", "之前", "以前", "完成", "为止", "底", "末", "内")
_CLAUSE_AFTER = re.compile(r"[^,;:。!?]{0,40}")
_CLAUSE_MODAL = re.compile(r"要|将|须|应|力争|争取|确保|完成")


def _matches(sentence: str):
    """Same matches as _RX.finditer(sentence), trying only candidate positions."""
    if not _TIME_CHAR.search(sentence):
        return
    pos = 0
    match = _RX.match
    for c in _RX_FIRST.finditer(sentence):
        i = c.start()
        if i < pos:
            continue
        m = match(sentence, i)
        if m is not None:
            pos = m.end()
            yield m


_PAST_AFTER = re.compile(r"^(?:以来|来|初以来|年初以来|以前的|[^,。]{0,6}(?:了|已))")


def _last_day(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def _iso(y, m, d) -> str | None:
    try:
        if not (1 <= m <= 12 and 1 <= d <= _last_day(y, m)):
            return None
    except (TypeError, ValueError):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _year_of(tok: str | None, doc_year: int | None) -> int | None:
    if tok is None:
        return doc_year
    if tok.isdigit():
        return int(tok)
    if tok in ("今", "本", "当"):
        return doc_year
    if tok in ("明", "次"):
        return doc_year + 1 if doc_year else None
    return None


def find_deadline(sentence: str, doc_year: int | None = None, doc_month: int | None = None) -> dict | None:
    """First explicit time limit in the sentence, or None."""
    best = None
    for m in _matches(sentence):
        g = m.groupdict()
        text = m.group(0)
        res = None
        if g["rec_m"]:
            d = cn_to_int(g["rm_d"])
            res = {"text": text, "date": None, "recurrence": f"monthly:{d:02d}" if d else "monthly"}
        elif g["rec_y"]:
            months = [cn_to_int(x) for x in _MONTHS_IN.findall(g["ry_ms"])]
            months = [x for x in months if x and 1 <= x <= 12]
            res = {"text": text, "date": None,
                   "recurrence": "yearly:" + ",".join(f"{x:02d}" for x in months) if months else "yearly"}
        elif g["rec_q"]:
            res = {"text": text, "date": None, "recurrence": "quarterly"}
        elif g["rec_h"]:
            res = {"text": text, "date": None, "recurrence": "semiannual"}
        elif g["rec_w"]:
            res = {"text": text, "date": None, "recurrence": "weekly"}
        elif g["rec_y2"]:
            res = {"text": text, "date": None, "recurrence": "yearly"}
        elif g["rec_m2"]:
            res = {"text": text, "date": None, "recurrence": "monthly"}
        elif g["dur"]:
            n = cn_to_int(g["dur_n"] or g["lim_n"] or g["use_n"] or "")
            res = {"text": text.lstrip("在于"), "date": None, "recurrence": None}
            if "工作日" in text and n:
                res["working_days"] = n
            elif n:
                unit = g["dur_u"] or _DUR_UNIT.search(text[text.find(str(g["dur_n"] or g["lim_n"] or g["use_n"])):]).group()
                days = {"日": 1, "天": 1, "周": 7, "个月": 30, "月": 30, "年": 365}.get(unit)
                if days:
                    res["duration_days"] = n * days
        elif g["abs"]:
            after = sentence[m.end():m.end() + 8]
            if g["year"] in ("今", "本", "当") and not (g["ab_m"] or g["ab_half"]) and _PAST_AFTER.match(after):
                continue
            if g["year"] in ("今", "本", "明") and not (g["ab_m"] or g["ab_half"]) and not text.endswith(_LIMIT_ENDS):
                # bare 今年/明年 limits the work only when its own clause says what is to be done
                clause = _CLAUSE_AFTER.match(sentence, m.end()).group()
                if not _CLAUSE_MODAL.search(clause):
                    continue
            if g["year"].isdigit() and not (g["ab_m"] or g["ab_half"]) and not _BARE_YEAR_END.search(text[-2:] + after[:1]) and not text.startswith(("到", "至", "于", "在")):
                # a bare year ("2009年全面推进…", "今年,我们要…") is a label, not a limit
                if not _BARE_YEAR_NEXT.match(after):
                    continue
            y = _year_of(g["year"], doc_year)
            date = None
            if y:
                if g["ab_m"]:
                    mo = cn_to_int(g["ab_m"])
                    if g["ab_d"]:
                        date = _iso(y, mo, cn_to_int(g["ab_d"]))
                    elif mo and 1 <= mo <= 12:
                        if g["ab_me"] in ("上旬",):
                            date = _iso(y, mo, 10)
                        elif g["ab_me"] in ("中旬",):
                            date = _iso(y, mo, 20)
                        else:
                            date = _iso(y, mo, _last_day(y, mo))
                elif g["ab_half"] == "上半年":
                    date = _iso(y, 6, 30)
                elif g["ab_q"]:
                    q = cn_to_int(g["ab_q"]) or int(g["ab_q"])
                    date = _iso(y, q * 3, _last_day(y, q * 3))
                else:
                    date = _iso(y, 12, 31)
            res = {"text": text.lstrip("于在到至截止截至") or text, "date": date, "recurrence": None}
        elif g["md"]:
            mo = cn_to_int(g["md_m"])
            date = None
            if doc_year and mo and 1 <= mo <= 12:
                if g["md_d"]:
                    date = _iso(doc_year, mo, cn_to_int(g["md_d"]))
                elif g["md_e"] == "上旬":
                    date = _iso(doc_year, mo, 10)
                elif g["md_e"] == "中旬":
                    date = _iso(doc_year, mo, 20)
                else:
                    date = _iso(doc_year, mo, _last_day(doc_year, mo))
            res = {"text": text.lstrip("于在到"), "date": date, "recurrence": None}
        elif g["bm"]:
            date = None
            if doc_year and doc_month:
                d = cn_to_int(g["bm_d"]) if g["bm_d"] else _last_day(doc_year, doc_month)
                date = _iso(doc_year, doc_month, d)
            res = {"text": text, "date": date, "recurrence": None}
        if res:
            # prefer a dated limit over a bare recurrence/duration met first
            if best is None or (best.get("date") is None and res.get("date")):
                best = res
            if best.get("date"):
                break
    return best
