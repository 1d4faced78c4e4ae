"""Quantitative targets (量化目标): metric, op, value, unit (annotation.md §4).

Shapes, each read clause by clause:

- compared figures: 现场办结率要稳定在90%以上 -> 现场办结率 >= 90 %; 不少于 / 至少 /
  达到 / ≥ -> >=; 不超过 / 控制在 / 压缩至 / 以内 / ≤ -> <=; 确保按时办结率100% -> = 100 %;
  增长6%左右 -> = 6 %; 下降10%以上 / 压减15%以上 -> >= (the size of the decrease);
- bare counts: 新建城市书房6个 -> 城市书房 = 6 个; 培训基层干部500人次; 改造管网12公里;
  a count before its object: 完成37处易积水点改造 -> 易积水点改造 = 37 处;
- Chinese numerals: 百分之百 -> 100 %, 至少设置两个便民疏导点 -> >= 2 个;
- ranges: 3—5天 -> >= 3 天 and <= 5 天; 分别达到85%、90% -> one target per metric
  (城区、镇区…率 and A和B share the values in order);
- ranks: 力争进入全省前五 -> 排名 <= 5 名;
- frequencies: 每季度至少开展一次联合检查 -> 联合检查 >= 1 次; 每月召开一次调度会 ->
  调度会 = 1 次 (a one-off 开展一次… is no target).

Past figures (已, 累计, 共有, …了) are not targets, nor times (3个工作日内 is a
deadline; 压缩至3个工作日以内 is a target). The metric names the measured thing,
never a verb phrase or a time.
"""
from __future__ import annotations

import re

from .deadlines import cn_to_int

_UNIT_WORDS = (
    "%|‰|个百分点|个工作日|工作日|人次|批次|户次|车次|架次|课时|学时|小时|分钟|平方公里|平方米|立方米|千瓦时|千瓦|兆瓦|公顷|公里|千米|"
    "亩|吨|米|元|人|户|个|件|名|家|所|项|次|册|本|座|场|期|批|条|部|套|台|辆|张|份|篇|间|处|支|栋|幢|村|镇|倍|床|盏|株|棵|"
    "种|类|门|节|幅|首|届|轮|天|日|周|月|年|字|微克|毫克|千克|公斤|克|升|标段|亿|万"
)
_UNITS = rf"(?:(?:万|亿|千|百)?(?:{_UNIT_WORDS})(?:/(?:立方米|平方米|平方公里|万人|百人|千人|人|户|年|月|日|天|次))?)"
_TIME_UNITS = {"个工作日", "工作日", "小时", "分钟", "天", "日", "周", "月", "年"}
_CN_NUM = "零一二两三四五六七八九十百千"
_NUMV = rf"(?:\d+(?:\.\d+)?|[{_CN_NUM}]+)"
_ANCHOR = re.compile(
    rf"(?P<rank>(?:进入|保持|位居|位列|稳居|居于|跻身|争创|争进)(?:全国|全省|全市|全区|全县|同类城市|[\u4e00-\u9fff]{{0,4}}?)前(?P<rank_n>\d+|[一二三四五六七八九十]+)(?:名|位)?)"
    rf"|(?P<pct>百分之(?P<pct_n>[零一二两三四五六七八九十百点]+))"
    rf"|(?P<num>{_NUMV})\s*(?:(?P<sep>—|–|-|~|～|至|到)\s*(?P<num2>{_NUMV}))?\s*(?P<unit>{_UNITS})"
)
_QUICK = re.compile(rf"[\d%百两二三四五六七八九十≥≤]|前[一二三四五六七八九十]|一(?:次|个|轮)")
_QUICK_SET = re.compile(r"[\d%百两二三四五六七八九十≥≤]")  # one character set: scanned in C
_QUICK_ONE = re.compile(r"前一|一次|一个|一轮")


def _quick(s: str) -> bool:
    """_QUICK.search(s) is not None, cheaply (前二…前十 hold a character of the set)."""
    # without a character of the set, only 前一 and 一次/一个/一轮 are left of _QUICK
    return _QUICK_SET.search(s) is not None or ("一" in s and _QUICK_ONE.search(s) is not None)
_WIDTH_SAME = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
_FULL = re.compile("[\uff01-\uff5e\u3000]")
_CLAUSE = re.compile(r"[^,;:。!?，；：！？]+")
_NOTE = re.compile(r"\((?:牵头|责任|配合|主办|协办)[^()]*\)")

# comparison words right before the figure (longest first), with their op
_PRE_OPS = [
    (">=", "不低于 不少于 不小于 至少 最少 达到 提高到 提升到 提高至 提升至 增加到 增至 ≥ >= 达"),
    ("<=", "不超过 不高于 不大于 不多于 控制在 降低到 降到 降至 下降到 压缩到 压缩至 缩短到 缩短至 减少到 减至 ≤ <="),
    (">", "超过 高于 大于 多于 突破 >"),
    ("<", "低于 少于 小于 <"),
    ("~", "稳定在 保持在 维持在 在 为 是 占 实现 完成 增长 提高 提升 下降 降低 减少 压减 压降 缩短 增加 新增 新建 确保 力争"),
]
_PRE = sorted(((w, op) for op, ws in _PRE_OPS for w in ws.split()), key=lambda x: -len(x[0]))
# the same search as a lookup: word lengths, longest first, and for each the first word in _PRE order
_PRE_LENS = sorted({len(w) for w, _ in _PRE}, reverse=True)
_PRE_BY_WORD: dict[str, str] = {}
for _w, _op in _PRE:
    _PRE_BY_WORD.setdefault(_w, _op)
_POST = re.compile(r"^(?:\s*)(以上|以下|以内|之内|左右|内|及以上|及以下)")
_VERB_BEFORE = re.compile(
    r"(?:完成|实现|组建|新建|建成|建设|设置|设立|建立|培育|认定|打造|配备|改造|修复|新增|引进|举办|开展|召开|组织|安排|"
    r"培训|供应|拆除|整治|创建|招引|走访|帮扶|推动|推进|刊发|发放|落实|建|办)(?:不少于|至少|不低于)?"
    r"(?:全区|全市|全县|全省|全镇|中心城区|城区|主城区|辖区|全部|各类|剩余|其余)?$"
)
_OBJ = re.compile(r"[\u4e00-\u9fffA-Za-z0-9“”\"《》+\-]{2,24}")
_OBJ_STOP = re.compile(r"的|要|须|应|将|并|全部|以上|以下|以内|左右|及以上|按时|和(?=[\u4e00-\u9fff]{0,3}(?:改造|建设))")
_TRAIL = re.compile(
    r"(?:的|要|应|须|必须|要求|确保|力争|争取|务必|均|都|将|平均|总体|一般|原则上|在去年基础上|在上年基础上|比上年|较上年|"
    r"(?:比|较)(?:去年|上年)同期|(?:比|较)去年|同期|"
    r"同比|分别|每年|每月|全年|年均|累计)+$"
)
_CUT = re.compile(r".*(?:使|让|把|将|要|确保|力争|争取|务必|保证|其中|的|[、:;。，：；])")
_LEAD_TIME = re.compile(
    r"^(?:(?:于|在|到)?(?:(?:19|20)\d\d年(?:度)?|今年|明年|全年|年内|年底前|上半年|下半年|[一二三四]季度末?(?:前)?|第[一二三四]季度|"
    r"\d{1,2}月(?:\d{1,2}日)?(?:底)?前|届时|到期|同步|同时|力争|实现|对)(?:完成)?\s*)+"
)
_PAST = re.compile(r"未(?:完成|按|达到|开工|整改)|尚未|仍有|已经|已(?!于)|了$|了[,。]|累计|共有|现有|先后|曾经|"
                   # (?<![较比])(?:去年|上年), written so that every branch opens on a literal
                   r"去年(?<![较比]去年)(?!基础|同期)|上年(?<![较比]上年)(?!基础|同期)")
_FREQ = re.compile(
    r"每(?:个|一个)?(?P<per>月|季度|周|星期|年|半年|日|天|两年|学期|次)"
    r"(?P<mid>[^,;。]{0,16}?)"
    r"(?P<op>至少|不少于|最少|不超过|最多)?(?P<verb>开展|召开|组织|进行|通报|举办|检查|排查|调度|巡查|督查|会商|研判|听取|分析)?"
    r"(?P<n>[一二两三四五六七八九十\d]+)(?:次|轮)(?P<obj>[\u4e00-\u9fff“”\"]{0,16})"
)
_EACH = re.compile(r"每(?:个|一个)?([\u4e00-\u9fff()]{1,10}?)(?:都|要|均|至少)?(?:建立|建成|建设|设立|设置|配备|培育|打造|组建|创建|开设|有)"
                   r"(?P<num>[一二两三四五六七八九十\d]+)(?P<unit>个|所|支|名|家|处|座|间|套)(?P<obj>[\u4e00-\u9fff“”\"]{1,12})")
_MEASURE = re.compile(r"(?:率|量|数|额|比重|比例|指数|面积|人次|总值|收入|产值|规模|覆盖面|时间|时限|天数|个数|件数|强度|总额|增加值|长度)$")
_TIMEISH_METRIC = re.compile(r"(?:时间|时限|天数|时长|周期|用时|工作日)$")
_GENERIC_VERB = {"开展", "召开", "组织", "进行", "举办"}


def _value(num: str):
    if num is None:
        return None
    if num[0].isdigit():
        v = float(num)
        return int(v) if v.is_integer() else v
    if "点" in num:  # 百分之九十五点五
        a, _, b = num.partition("点")
        ia = cn_to_int(a)
        digits = "".join(str(cn_to_int(c)) for c in b if cn_to_int(c) is not None)
        return float(f"{ia}.{digits}") if ia is not None and digits else ia
    if num.startswith("千") or num.startswith("百"):
        num = "一" + num
    if "千" in num:
        a, _, b = num.partition("千")
        ia, ib = cn_to_int(a or "一"), cn_to_int(b) if b else 0
        return ia * 1000 + (ib or 0) if ia is not None and ib is not None else None
    return cn_to_int(num)


_OP_BEFORE_OF = re.compile(r"(达到|不低于|不少于|控制在|保持在|稳定在|提高到|在)[\u4e00-\u9fff]{1,8}的$")
_YEAR4 = re.compile(r"\d{4}$")
_PER_UNIT = re.compile(r"每(平方米|立方米|公里|千米|人|户|万人|百人|千人|亩|吨)$")


def _pre_op(before: str):
    """(op, word) of the comparison word that ends ``before`` (fillers such as 年度计划的 skipped)."""
    b = before.rstrip()
    for n in _PRE_LENS:
        op = _PRE_BY_WORD.get(b[-n:])
        if op is not None and len(b) >= n:
            return op, b[-n:], len(b) - n
    # 达到年度计划的75%: the comparison word a few characters before 的
    m = _OP_BEFORE_OF.search(b) if b.endswith("的") else None
    if m:
        w = m.group(1)
        return dict(_PRE)[w], w, m.start()
    return None, "", len(b)


# "市教育局于9月底前新建幼儿园": the subject and its time are not the metric
_SUBJ_TIME = re.compile(r"^[^,;。]{1,20}?(?:于|在)(?=(?:19|20)\d\d年|\d{1,2}月|[一二三四五六七八九十]{1,2}月|年底|年内|今年|明年|"
                        r"上半年|下半年|[一二三四]季度|第[一二三四]季度)")
# "市级层面发文较上年压减10%": the level (市级层面) is not the measured thing
_SCOPE = re.compile(r"^(?:全市|全县|全区|全省|全镇|市级|县级|区级|省级|镇级|各级)层面")


def _clean_metric(raw: str) -> str:
    m = raw.strip(" “”\"()")
    m = _NOTE.sub("", m)
    for _ in range(2):
        m = _TRAIL.sub("", m)
        cut = _CUT.match(m)
        if cut and cut.end() < len(m):
            m = m[cut.end():]
        st = _SUBJ_TIME.match(m)
        if st and st.end() < len(m):
            m = m[st.end():]
        m = _LEAD_TIME.sub("", m)
        sc = _SCOPE.match(m)
        if sc and len(m) - sc.end() >= 2:
            m = m[sc.end():]
    return m.strip(" “”\"()")


def _split_metrics(raw: str, n: int) -> list[str] | None:
    """'城区、镇区生活垃圾回收利用率' / 'A和B' -> n metrics sharing their values in order."""
    if n < 2:
        return None
    parts = re.split(r"、|和|及|与", raw)
    parts = [p for p in parts if p]
    if len(parts) != n:
        return None
    last = parts[-1]
    if all(len(p) <= 4 for p in parts[:-1]) and len(last) > len(parts[0]) + 1 and len(set(len(p) for p in parts[:-1])) == 1:
        tail = last[len(parts[0]):]
        return [p + tail for p in parts[:-1]] + [last]
    return parts


def _op_of(pre_op: str | None, post: str, word: str) -> str:
    if post in ("以上", "及以上"):
        return ">="
    if post in ("以下", "以内", "之内", "内", "及以下"):
        return "<="
    if post == "左右":
        return "="
    if pre_op in (">=", "<=", ">", "<"):
        return pre_op
    return "="


def find_targets(sentence: str, *, narrow: bool = False) -> list[dict]:
    """Every quantitative goal of one sentence: [{text, metric, op, value, unit}]."""
    if not narrow and _FULL.search(sentence):  # narrow: known to hold no full-width forms
        sentence = sentence.translate(_WIDTH_SAME)
    if not _quick(sentence):
        return []
    out: list[dict] = []
    seen: set = set()

    def add(text, metric, op, value, unit):
        metric = (metric or "").strip(" “”\"()")
        if value is None or not metric or len(metric) < 2:
            return
        key = (metric, op, value)
        if key in seen:
            return
        seen.add(key)
        out.append({"text": text, "metric": metric, "op": op, "value": value, "unit": unit})

    for cm in _CLAUSE.finditer(sentence):
        clause = cm.group()
        if not _quick(clause):
            continue
        used: list[tuple[int, int]] = []
        # 每个街道建成两个示范小区
        if "每" in clause:
            for m in _EACH.finditer(clause):
                v = _value(m["num"])
                obj = m["obj"].strip("“”\"")
                add(m.group(0), obj, ">=" if "至少" in m.group(0) else "=", v, m["unit"])
                used.append(m.span())
            for m in _FREQ.finditer(clause):
                if any(a <= m.start("n") < b for a, b in used):
                    continue
                v = _value(m["n"])
                mid = (m["mid"] or "").strip()
                op = ">=" if m["op"] in ("至少", "不少于", "最少") else "<=" if m["op"] in ("不超过", "最多") else "="
                if not m["op"] and re.search(r"(至少|不少于|最少)$", mid):
                    op, mid = ">=", re.sub(r"(至少|不少于|最少)$", "", mid)
                if not m["op"] and re.search(r"(不超过|最多)$", mid):
                    op, mid = "<=", re.sub(r"(不超过|最多)$", "", mid)
                obj = re.split(r"的|,|并|及时", m["obj"] or "")[0].strip("“”\"")
                verb = m["verb"] or ""
                target_of = ""
                tm = re.match(r"^(?:对|就|围绕)(.+?)(?:开展|进行)?$", mid)
                if tm:
                    target_of = tm.group(1)
                elif mid and not verb:
                    vm = re.search(r"(开展|召开|组织|进行|通报|举办|检查|排查|调度|巡查|督查)$", mid)
                    if vm:
                        verb = vm.group(1)
                        rest = mid[:vm.start()]
                        tm2 = re.match(r"^(?:对|就)(.+)$", rest)
                        target_of = tm2.group(1) if tm2 else ""
                if obj:
                    metric = (target_of + obj) if target_of and len(obj) <= 3 else \
                        (verb + obj if verb and verb not in _GENERIC_VERB else obj)
                else:
                    metric = _clean_metric(clause[:m.start()])
                    if verb and verb not in _GENERIC_VERB:
                        metric = (metric or "") + verb
                add(m.group(0), metric, op, v, "次")
                used.append(m.span())
        anchors = [a for a in _ANCHOR.finditer(clause) if not any(x <= a.start() < y for x, y in used)] if used \
            else list(_ANCHOR.finditer(clause))
        if not anchors:
            continue
        # group values listed together (40%、30%以上) for 分别
        groups: list[list] = []
        for a in anchors:
            if groups and clause[groups[-1][-1].end():a.start()] == "、" and a["num"] and groups[-1][-1]["num"]:
                groups[-1].append(a)
            else:
                groups.append([a])
        for grp in groups:
            a0, alast = grp[0], grp[-1]
            if a0["rank"]:
                raw = clause[:a0.start()]
                metric = _clean_metric(raw) or "排名"
                if not metric.endswith(("排名", "名次", "位次")):
                    metric = metric + "排名" if metric else "排名"
                add(a0.group(0), metric, "<=", _value(a0["rank_n"]), "名")
                continue
            unit = alast["unit"] if alast["num"] else "%"
            after = clause[alast.end():]
            if a0["num"] and unit in ("月", "日", "年") or (a0["num"] and after[:1] in ("月", "日", "号", "年")):
                continue  # a date (6月30日), a year (2026年)
            if a0["num"] and _YEAR4.match(a0["num"]) and unit in ("年",):
                continue
            pm = _POST.match(after)
            post = pm.group(1) if pm else ""
            before = clause[:a0.start()]
            # "每平方米5克": the per-unit belongs to the figure
            per = _PER_UNIT.search(before) if "每" in before else None
            if per:
                before = before[:per.start()]
                unit = f"{unit}/{per.group(1)}"
            pre_op, word, op_at = _pre_op(before)
            is_range = bool(a0["num"] and a0["sep"])
            cn = bool(a0["num"] and not a0["num"][0].isdigit())
            if _PAST.search(clause[:a0.start()]) and not post and pre_op in (None, "~"):
                continue
            if unit.split("/")[0] in _TIME_UNITS and not is_range:
                # 3个工作日内 is a deadline; 压缩至3个工作日 / 办理时间不超过1天 is a target
                if pre_op not in (">=", "<=", ">", "<") and not _TIMEISH_METRIC.search(_clean_metric(before[:op_at])):
                    continue
                if post in ("内", "之内") and pre_op not in ("<=",):
                    continue
            if cn and not (pre_op in (">=", "<=", ">", "<") or post in ("以上", "以下", "以内") or a0["pct"]
                           or _VERB_BEFORE.search(before)):
                continue  # 三项制度, 两个确保: prose
            if cn and a0["num"] in ("一",) and not pre_op:
                continue
            op = _op_of(pre_op, post, word)
            # the measured thing: the object after the figure, or the noun phrase before it
            obj = ""
            verb_zone = before[:op_at] if pre_op in (">=", "<=", ">", "<") else before
            if not post and not is_range and len(grp) == 1 and (_VERB_BEFORE.search(verb_zone) or not before.strip()):
                om = _OBJ.match(after)
                if om:
                    obj = om.group()
                    sm = _OBJ_STOP.search(obj)
                    if sm:
                        obj = obj[:sm.start()]
                    obj = obj.strip("“”\"")
            if len(obj) >= 2:
                metric = obj
                text = clause[max(0, op_at - 4 if not pre_op else op_at):a0.end() + len(obj)].lstrip("，,")
                # text from the verb: take the verb just before the figure
                vb = _VERB_BEFORE.search(verb_zone)
                text = clause[vb.start() if vb else a0.start():alast.end() + len(obj)].strip()
                add(text, metric, op, _value(a0["num"]), unit)
                continue
            raw = before[:op_at]
            tail_end = alast.end() + len(post)
            if len(grp) > 1 or "分别" in raw[-4:]:
                raw_m = _clean_metric(re.sub(r"分别$", "", raw.rstrip()))
                # keep the list intact for splitting: clean only the outer ends
                raw_list = _TRAIL.sub("", _LEAD_TIME.sub("", raw.strip()))
                raw_list = re.sub(r"^.*(?:使|让|把|将|要|确保|力争|争取|其中|[:;。])", "", raw_list)
                names = _split_metrics(raw_list, len(grp)) if len(grp) > 1 else None
                if names is None:
                    names2 = _split_metrics(raw_list, 2) if len(grp) == 1 and "分别" in raw else None
                    if names2:
                        for nm in names2:
                            add(clause[:tail_end].lstrip(), _clean_metric(nm), op, _value(a0["num"]), unit)
                        continue
                    names = [raw_m] * len(grp)
                for nm, a in zip(names, grp):
                    add(clause[:tail_end].lstrip(), _clean_metric(nm), op, _value(a["num"]), a["unit"] or unit)
                continue
            metric = _clean_metric(raw)
            if not metric and obj == "" and _VERB_BEFORE.search(raw):
                metric = ""
            text_start = len(clause) - len(clause.lstrip())
            mstart = clause.rfind(metric, 0, op_at) if metric else -1
            text = clause[mstart if mstart >= 0 else text_start:tail_end]
            if a0["pct"]:
                add(text, metric, op, _value(a0["pct_n"]), "%")
                continue
            if is_range:
                add(text, metric, ">=", _value(a0["num"]), unit)
                add(text, metric, "<=", _value(a0["num2"]), unit)
                continue
            if not _MEASURE.search(metric) and pre_op is None and not post and unit in ("%", "‰") and len(metric) < 2:
                continue
            add(text, metric, op, _value(a0["num"]), unit)
    return out
