"""Quantitative targets (量化目标): metric, op, value, unit.

现场办结率要稳定在90%以上 -> 现场办结率 >= 90 %; 藏书量达到200册以上 -> >= 200 册;
控制在5%以内 -> <= 5 %; 确保按时办结率100% -> = 100 %.
Past figures (同比增长, 已经…, 了) are not targets.
"""
from __future__ import annotations

import re

from .deadlines import cn_to_int

_UNITS = (
    r"(?:%|‰|个百分点|万人次|人次|万人|万户|万元|亿元|千元|元|万吨|吨|公里|千米|平方公里|平方米|米|万亩|亩|"
    r"个|件|人|名|家|所|项|次|册|本|户|座|场|期|批|条|部|套|台|辆|张|份|篇|间|处|支|村|镇|倍|课时|学时|小时|分钟|"
    r"千瓦|兆瓦|立方米|床|盏|株|棵|公顷|种|类|门|节|幅|首|部|届|轮|天)"
)
_NUMTXT = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)"
_PRE_OP = (r"(?P<pre>不低于|不少于|不小于|至少|最少|达到|达|超过|高于|大于|多于|突破|提高到|提升到|提高至|提升至|增加到|增至|"
           r"不超过|不高于|不大于|不多于|低于|少于|小于|控制在|降低到|降到|降至|下降到|压缩到|压缩至|缩短到|缩短至|减少到|"
           r"稳定在|保持在|维持在|在|为|是|占|达成|实现|完成|建立|建成|建设|设立|配备|培育|打造|培训|新建|新增|增加|提高|提升|下降|降低|减少|增长|缩短|压缩)?")
_TARGET = re.compile(
    r"(?P<metric>[\u4e00-\u9fff“”\"()]{1,30}?)(?:的|要|应|须|必须|要求|确保|力争|争取|务必|均|都|将|平均|总数|总量|比例|总体)?\s*"
    + _PRE_OP + r"\s*(?P<num>" + _NUMTXT + r")\s*(?P<unit>" + _UNITS + r")"
    r"(?P<obj>[\u4e00-\u9fff“”\"]{0,12}?)?"
    r"(?P<post>以上|以下|以内|之内|左右|内)?"
)
_PAST_CTX = re.compile(r"同比|比上年|比去年|已经|已(?!经)|了$|共有|现有|累计|先后|分别|去年|上年|近年来|以来")
_TIME_UNIT_AFTER = re.compile(r"^(?:个)?(?:工作日|日|天|周|月|年|季度)")
_METRIC_CUT = re.compile(r".*(?:的|使|让|把|将|要|确保|力争|争取|务必|保证|实现|全面|其中|[,、:;。])")
# A metric without an explicit comparison must look like a measure (…率, …量, …数).
_MEASURE = re.compile(r"(?:率|量|数|额|比重|比例|指数|面积|人次|总值|收入|产值|规模|覆盖面|时间|时限|天数|个数|件数)$")
_STRONG_PRE = {"不低于", "不少于", "不小于", "至少", "最少", "达到", "达", "超过", "高于", "大于", "多于", "突破",
               "提高到", "提升到", "提高至", "提升至", "增加到", "增至", "不超过", "不高于", "不大于", "不多于", "低于",
               "少于", "小于", "控制在", "降低到", "降到", "降至", "下降到", "压缩到", "压缩至", "缩短到", "缩短至", "减少到",
               "稳定在", "保持在", "维持在"}
_EACH = re.compile(r"每(?:个|一个)?([\u4e00-\u9fff()]{1,10}?)(?:都|要|均)?(?:建立|建成|建设|设立|配备|培育|打造|组建|创建|开设|有)"
                   r"(?P<num>[一二两三四五六七八九十\d]+)(?P<unit>个|所|支|名|家|处|座|间|套)(?P<obj>[\u4e00-\u9fff“”\"]{1,12})")


# Every target contains a number followed by a unit; the full pattern (with its
# lazy metric) is only tried in a short window before each such anchor, so the
# cost is linear in the sentence and nil for sentences without numbers.
_ANCHOR = re.compile(r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)\s*" + _UNITS)
_NUM_CHARS = re.compile(r"[\d一二两三四五六七八九十百千]")
_WINDOW = 40  # metric (<=30) + filler (<=2) + comparison word (<=3) + spaces


def _target_matches(sentence: str):
    pos = 0
    for a in _ANCHOR.finditer(sentence):
        if a.start() < pos:
            continue
        m = _TARGET.search(sentence, max(pos, a.start() - _WINDOW), a.end() + 2)
        if m is not None:
            pos = m.end()
            yield m


def _value(num: str):
    if re.match(r"^\d", num):
        v = float(num)
        return int(v) if v.is_integer() else v
    return cn_to_int(num)


def find_targets(sentence: str) -> list[dict]:
    if not _NUM_CHARS.search(sentence):
        return []
    out: list[dict] = []
    used: list[tuple[int, int]] = []
    for m in (_EACH.finditer(sentence) if "每" in sentence else ()):
        v = _value(m["num"])
        if v is None:
            continue
        obj = m["obj"].strip("“”\"")
        out.append({"text": m.group(0), "metric": (m.group(1) + obj).strip(), "op": "=", "value": v, "unit": m["unit"]})
        used.append(m.span())
    for m in _target_matches(sentence):
        if any(a <= m.start("num") < b for a, b in used):
            continue
        num, unit = m["num"], m["unit"]
        pre0, post0 = m["pre"] or "", m["post"] or ""
        if not re.match(r"^\d", num):
            # Chinese numerals are usually prose (一批, 三项, 四条原则) unless compared
            if pre0 not in _STRONG_PRE and post0 not in ("以上", "以下", "以内"):
                continue
        after = sentence[m.end("num"):m.end("num") + 6]
        if _TIME_UNIT_AFTER.match(after):
            continue
        before = sentence[max(0, m.start() - 12):m.start("num")]
        if _PAST_CTX.search(before):
            continue
        v = _value(num)
        if v is None:
            continue
        pre, post = m["pre"] or "", m["post"] or ""
        if post in ("以上",) or pre in ("不低于", "不少于", "不小于", "至少", "最少", "达到", "达", "提高到", "提升到", "提高至", "提升至", "增加到", "增至", "突破"):
            op = ">="
        elif post in ("以下", "以内", "之内", "内") or pre in ("不超过", "不高于", "不大于", "不多于", "控制在", "降低到", "降到", "降至", "下降到", "压缩到", "压缩至", "缩短到", "缩短至", "减少到"):
            op = "<="
        elif pre in ("超过", "高于", "大于", "多于"):
            op = ">"
        elif pre in ("低于", "少于", "小于"):
            op = "<"
        else:
            op = "="
        if post in ("以上",) and pre in ("超过", "高于"):
            op = ">="
        metric = m["metric"] or ""
        cut = _METRIC_CUT.match(metric)
        if cut and cut.end() < len(metric):
            metric = metric[cut.end():]
        metric = metric.strip("“”\"() ")
        if pre in ("提高", "提升", "下降", "降低", "减少", "增长", "缩短", "压缩", "增加", "新增", "新建", "培训", "建立", "建成", "建设", "设立", "配备", "培育", "打造", "完成"):
            metric = (metric + pre) if metric else pre
        obj = (m["obj"] or "").strip("“”\"")
        if obj and not metric:
            metric = obj
        elif obj and pre in ("建立", "建成", "建设", "设立", "配备", "培育", "打造", "新建", "新增", "培训", "完成"):
            metric = metric + obj
        if not metric or len(metric) < 2:
            continue
        if pre not in _STRONG_PRE and not post and unit not in ("%", "‰", "个百分点") and not _MEASURE.search(metric):
            continue
        text = sentence[m.start("metric") + (len(m["metric"]) - len(m["metric"].lstrip("“”\"() "))):m.end()]
        out.append({"text": text, "metric": metric, "op": op, "value": v, "unit": unit})
    return out
