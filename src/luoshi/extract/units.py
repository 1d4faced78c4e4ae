"""Responsible units (责任单位) named in a sentence, with role lead/co.

Recognition is morphological: organisation suffixes (委/局/办/厅/中心/部门/政府…)
and set expressions (各区县, 各级各部门, 各乡镇(街道) …), located in subject
position (before 要/应/必须/牵头/负责…), after 由 (lead), after 与/会同/配合
(co), or inside (牵头单位:…)(配合单位:…) notes. People and roles of people
(领导干部, 文艺工作者) are never units.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_SUFFIX = (
    r"(?:委员会|管委会|工委|党委|党组织|党组|纪委|县委|市委|区委|省委|政府|人民政府|办事处|办公室|办公厅|领导小组|工作组|小组|指挥部|"
    # one-character suffixes must not be the first half of a common word (社会, 科技, 处理, 格局 …)
    r"委|室(?<![会议动览教验卧]室)|局(?<![格布大全结时残僵变]局)|办(?![理公事法好成结])|厅|署|中心(?![工任环思])|分中心|部门|部(?![分署])|"
    r"院校|院(?![校线])|法院|检察院|机关(?![干作])|单位|公司|集团|协会|学会|联合会|总工会|工会|妇联|团委|团市委|科协|文联|"
    r"社(?![会])|所(?![有以在谓属])|站(?![在稳])|队(?![伍])|处(?![理置罚分])|科(?![技学研普])|股(?![份票东])|"
    r"媒体|高校|学校|学院|大学|企业|医院|银行|机构|组织(?![开实领落学起协])|系统|行业|街道|乡镇|县\(市、区\)|县\(区、市\)|县\(市\)|镇\(街道\)|乡镇\(街道\)|县市区|市县区|区县|县区|县市|"
    r"财政|公安|税务|国税|地税|海关|质监|工商|法制办|监察局|宣传部|组织部|统战部|管理部门|主管部门)"
)
# Sets of organisations: 各区县, 各地各部门, 各乡镇(街道), 各县(市、区) …
_SET_CORE = r"(?:地|级|县市区|市县区|区市县|县\(市、区\)|县市|市县|镇街|镇\(街道\)|乡镇街道|区|县|市|区县|县区|县\(市、区\)|县\(市\)|乡镇|乡|镇|街道|乡镇\(街道\)|村|村\(居\)|社区|部门|单位|地区|系统|行业|委办局|分中心|开发区|园区)"
# characters that never occur inside an organisation name (verbs, adverbs, particles)
_NC = r"[^\s,.;:!?。、“”《》\"\'()要将把被对向从让使给是在了着过也都就还再又很更最不没须必请由于]"
_NAME = "(?:" + _NC + r"|[()和的]){1,18}?" + _SUFFIX + r"(?:\([\u4e00-\u9fff、]{1,10}\))?"
_SET = (
    r"(?:全市|全省|全区|全县|市级|市直|省直|区直|县直|区县|我们)?(?:各级?)?(?:各|每个|每一个)"
    r"(?:有关|相关|级)?" + _SET_CORE + r"(?:[、]?各(?:有关|相关)?" + _SET_CORE + r"){0,3}"
    r"(?:" + _NC + r"{0,8}?" + _SUFFIX + r")?(?:\([\u4e00-\u9fff、]{1,10}\))?"
    r"|(?:有关|相关)(?:部门|单位|方面)|(?:全市|全省)?各级" + _NC + r"{0,6}?" + _SUFFIX
)
_BARE = r"(?:(?:市直|省直|区直|县直|市级|区级|县级)各?(?:有关|相关)?(?:部门|单位|机关)|(?:有关|相关)?(?:牵头|责任|主管)(?:部门|单位)|政府|党委|企业|高校|科研机构|科研院所|学校|医院|新闻媒体|媒体|社会组织|金融机构|行业协会|市里|省里|区里|县里)(?:\([\u4e00-\u9fff、]{1,10}\))?"
_UNIT = "(?:" + _SET + "|" + _NAME + "|" + _BARE + ")"
_UNIT_FULL = re.compile("^(?:" + _UNIT + ")$")
_ADMIN = re.compile(r"^(?:省|市|区|县|乡|镇|区县|县区|乡镇|街道|(?![各每全])[\u4e00-\u9fff]{2,4}[省市])$")

_PEOPLE = re.compile(
    r"(?:干部|领导|同志|群众|市民|人员|工作者|党员|职工|员工|书记|市长|主任|部长|局长|县长|区长|人民|农民|学生|家长|"
    r"代表|委员(?!会)|专家|大家|我们|你们|他们|自己|本人|一把手|负责人|人才|艺术家|作家)$"
)
_NOT_UNIT = re.compile(
    r"^(?:[\u4e00-\u9fff()]*(?:工作|建设|制度|机制|体系|活动|意识|能力|水平|作用|问题|情况|精神|思想|服务|管理|社会|环境|"
    r"发展|改革|创新|项目|工程|平台|中心工作|重点|任务|目标|要求)|部|处|科|所|社|站|院|委|办|局|队|股|中心|单位|部门|机构|组织|系统|行业)$"
)

# What may follow a subject that must act.
_AFTER_SUBJ = re.compile(
    r"^(?:也|还|都|均|就|仍|要|应|须|必须|务必|一定|要求|将|负责|牵头|主抓|主管|统揽|统一领导|具体|认真|切实|积极|继续|进一步|"
    r"按照|根据|结合|每年|每月|定期|立即|尽快|抓紧|及时|不断|全面|深入|加强|加快|着力|共同|联合|组织|成立|建立|设立|下设|"
    r"试行|实行|制定|主动|自觉|严格|统一|承担|做好|抓好|督促|对|把|向|会同|从|通过|围绕|安排|开展|实施|推进|出台|完成|"
    r"拨付|提供|落实|争取|力争|已经|已|决定|引起|高度重视|重视|无论|不论|一如既往|始终|务请|直接|专门|重点|全力|不折不扣|分别|在|"
    r"限期|于(?=\d|[一二三四五六七八九十]|本|年|今|明|春|国|每)|不得|严禁|带头|率先|全年|年内|今年|明年|年底前|上半年|下半年|每季度|每周|"
    r"(?:第)?[一二三四]季度|\d{1,2}月(?:\d{1,2}日)?(?:底)?前)"
)
_CO_AFTER = re.compile(r"^(?:要|也要|应|须|要求)?(?:积极|主动|全力|密切|认真|大力|全力)?(?:配合|协助|协办|参与|协同|共同推进|共同参与|按职责分工负责|按照职责分工负责|按职责负责|分工负责)")
_CLAUSE = re.compile(r"[^,;:。!?]+")
_LEAD_PREFIX = re.compile(
    r"^(?:(?:同时|此外|另外|为此|今后|今年|明年|下一步|特别是|其中|尤其是|因此|所以|最后|首先|其次|当前|目前|我们|请|希望|并由|由|"
    r"要求|而|但|并|还要|会后|会上|[一二三四五六七八九十]是|第[一二三四五六七八九十]+)\s*)*"
)
_OBJ_PREFIX = re.compile(r"^(?:责成|指导|督促|要求|支持|鼓励|引导|帮助|推动)(?!委员会|小组|领导小组|办公室|中心)")
_DENG = re.compile(r"等(?:部门|单位|有关部门|相关部门|部门单位|单位部门)$")
_SUFFIX_END = re.compile("(?:" + _SUFFIX + "|" + _BARE + ")" + r"(?:\([\u4e00-\u9fff、]{1,10}\))?(?:等(?:部门|单位|有关部门|相关部门|部门单位))?")
_AND_SPLIT = re.compile(r"(.+?)(?:以及|和|及|与)(.+)$")
_LIST_STOP = re.compile(r"[,。;要应将]")
_MODAL_SOON = re.compile(r"的?[\u4e00-\u9fff“”]{1,10}?(?:也要|要|应|必须|务必|争取|力争|不少于|不低于|不超过|达到|控制在|稳定在)")
_PEOPLE_IN = re.compile(r"干部|人员|职工|员工|工作者|同志|党员")
_PEOPLE_AFTER = re.compile(r"的?(?:领导干部|干部|人员|职工|员工|工作者|同志|党员|领导班子|主要领导|负责同志|负责人)")
_BY = re.compile(r"由([^,。;由]{2,80}?)(?=牵头|负责|主抓|主办|组织|统筹|承担|具体|强化|会同|联合|对|在|按照|根据|按程序|依法|依规|下发|优先|研究|审核|审定|统一|,)")
_CO_CLAUSE = re.compile(r"\s*(?:与|会同|配合|协助|协同)")
_NEXT_MODAL = re.compile(r"\s*(?:要|应|必须|务必|一定要|都要|也要)")
_OBJ_KW = re.compile(r"督促|责成|会同|与|配合|协助")


@dataclass
class UnitMention:
    name: str
    role: str  # "lead" or "co"
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "start": self.start, "end": self.end}


_TOP_SPLIT = re.compile(r"、(?![^()]*\))")  # 、 outside parentheses
_VERB_START = re.compile(
    r"^(?:建立|健全|完善|做到|做好|形成|充分|认识|加强|推进|开展|组织(?!部)|实施|明确|周密|精心|尽快|确保|提高|强化|促进|推动|"
    r"认真|制定|制订|深入|积极|努力|不断|进一步|加快|加大|抓好|落实|贯彻|坚持|发挥|依托|利用|整合|优化|规范|打造|构建|"
    r"设立|成立|培育|培养|引导|鼓励|支持|探索|创新|研究|部署|指导|督促|协调|统筹|负责|牵头|配合|参与|承担|安排|检查|考核)"
)


# Function words at the start, or verbs/adverbs inside: a clause fragment, not a name.
_GARBAGE = re.compile(
    r"^[的为和与及在对以或从]|等.|尽快|及时|联合(?!会)|进驻|负责(?!人)|牵头(?!单位|部门)|配合(?!单位|部门)|协助|共同|"
    r"建立|设立|制定|制订|实施|完成|推行|报送|落实|开办|纳入|"
    r"开展|推进(?!办)|推广|介绍|集中|结合|能够|一批|提供|认真|广泛|深入|积极|加强|进一步|不断|努力|形成|充分|调动|发挥|强化|参照|"
    r"督促|提高|提升|修订|完善|审定|审查|会同|局面$"
)


# 指导委员会, 协调小组: bodies named after what they do
_BODY_NAME = re.compile(r"(?:指导|协调|统筹|研究|督查|考核)[\u4e00-\u9fff]{0,4}(?:委员会|小组|领导小组|办公室|中心)$")


# A named district, county, city, town or township (翠屏区, 青石县, 临江市, 白沙镇): as the subject
# that must act ("翠屏区要督促…", "青石县于6月底前完成…") or in a 责任单位 list it stands for its
# government (annotation.md §2, a subject who must act); as a location (在江城区建设…,
# 江城区位于…) it is no unit. Generic words (社区, 小区, 城区, 城市, 县城, 开发区) are not names.
_PLACE = re.compile(
    r"^(?![各每全我本该其某这那此外省市区县乡镇])[\u4e00-\u9fff]{1,6}?(?:自治县|自治旗|自治州|新区|区|县|市|旗|镇|乡|街道)$")
_NOT_PLACE = re.compile(
    r"(?:中心|主|老|新|本|该|全|我|广大|受灾)?(?:城区|城市|都市|超市|县城|县市|市县|老区|特区|湾区|营区|防区|战区|禁区|盲区|误区|雷区|"
    r"山区|库区|矿区|林区|牧区|垦区|郊区|灾区|地区|市区|新区)"
    r"|(?:[东西南北中]部|基层|农村|所在|周边|重点|部分|有关|相关|其他|城乡|沿海|边远|偏远|贫困).*")
# generic areas whatever comes before them (老旧小区, 特色小镇, 工业园区, 旅游景区)
_GENERIC_AREA = re.compile(
    r"(?:社区|小区|园区|景区|片区|街区|示范区|开发区|试验区|实验区|功能区|保护区|服务区|集中区|聚集区|集聚区|先行区|核心区|"
    r"风景区|小镇|城镇|集镇|乡镇|城乡|家乡|下乡|老乡|学区|校区|辖区)$")


def is_place(name: str) -> bool:
    """True for the proper name of an administrative area (翠屏区, 青石县), not a generic word."""
    return bool(name) and len(name) <= 9 and _PLACE.match(name) is not None and not _NOT_PLACE.fullmatch(name) \
        and not _GENERIC_AREA.search(name) \
        and not _GARBAGE.search(name) and not _VERB_START.match(name)


def is_unit(name: str) -> bool:
    """True if the string looks like an organisation or set of organisations (or a named
    administrative area standing for its government, see is_place)."""
    return _is_unit(name)


# Unit names recur within a document (市发改委, 各区县 …): the pure tests on them are
# memoised; clear_caches() empties the memos at the start of every extraction.
@functools.lru_cache(maxsize=16384)
def _is_unit(name: str) -> bool:
    if not name or len(name) > 30 or (_VERB_START.match(name) and not _BODY_NAME.match(name)):
        return False
    if _PEOPLE.search(name) or _NOT_UNIT.match(name) or _GARBAGE.search(name):
        return False
    return bool(_UNIT_FULL.match(name)) or is_place(name)


def _clean_name(n: str) -> str:
    n = n.strip(" 、,")
    if n.startswith("我") and len(n) > 3:
        n = n[1:]  # 我市机关… -> 市机关…
    return n


def _items(chunk: str) -> tuple[str, ...]:
    """Split '市委组织部、市委宣传部和市人事局等部门' into unit names (() if not a unit list)."""
    return _items_of(chunk.strip(" 、"))


@functools.lru_cache(maxsize=16384)
def _items_of(chunk: str) -> tuple[str, ...]:
    return tuple(_split_items(chunk))


def clear_caches() -> None:
    _is_unit.cache_clear()
    _items_of.cache_clear()


def _split_items(chunk: str) -> list[str]:
    core = _DENG.sub("", chunk)
    parts = [p for p in _TOP_SPLIT.split(core) if p]
    # '省、清远市垂直部门', '市、区县政务服务中心': bare levels belong to the next name
    merged: list[tuple[str, str]] = []  # (name as written, the part that must look like a unit)
    carry = ""
    for p in parts:
        if _ADMIN.match(p):
            carry += p + "、"
            continue
        merged.append((carry + p, p))
        carry = ""
    if carry:
        if merged:
            name, part = merged[-1]
            merged[-1] = (name + "、" + carry.rstrip("、"), part)
        else:
            return []
    out: list[tuple[str, str]] = []
    for name, part in merged:
        # split on 和/及/与 only where both sides are units (市劳动和社会保障局 stays whole)
        m = _AND_SPLIT.match(name) if ("和" in name or "及" in name or "与" in name) else None
        if m and _is_unit(m.group(1)) and _is_unit(m.group(2)):
            out.extend([(m.group(1), m.group(1)), (m.group(2), m.group(2))])
        else:
            out.append((name, part))
    if out and all(_is_unit(part) for _, part in out):
        return [_clean_name(name) for name, _ in out]
    # "各区县国税、地税、公安、质监等部门": the whole list is one set
    if chunk != core and len(chunk) <= 30 and not _LIST_STOP.search(chunk):
        # "机关工委和组织、人事、监察等部门": a named unit, then the set
        m = _AND_SPLIT.match(chunk)
        if m and _is_unit(m.group(1)) and "、" in m.group(2):
            return [_clean_name(m.group(1)), m.group(2)]
        return [chunk]
    return []


# Characters that can open a unit suffix: _ends tries the suffix pattern only there.
_SUFFIX_FIRST = re.compile("[" + "".join(sorted({w[0] for w in re.findall(r"[\u4e00-\u9fff]+", _SUFFIX + _BARE)})) + "]")

# Every unit name holds a suffix/bare word or a set word (各, 每, 有关, 相关):
# clauses without any of these cannot name a unit and are skipped.
# (有 and 相 open suffix words too, so 有关/相关 need no alternatives of their own: one
# character set, which `re` scans in C.)
_UNIT_CHAR = re.compile(_SUFFIX_FIRST.pattern[:-1] + "各每]")
assert "有" in _SUFFIX_FIRST.pattern and "相" in _SUFFIX_FIRST.pattern


# _SUFFIX_END with every alternative opening on a literal character (the same
# alternatives in the same order, _BARE's optional prefixes spelled out): `re` then
# finds the next candidate position with its first-character set, in C.
_P = r"(?:\([\u4e00-\u9fff、]{1,10}\))?"
_BARE_FLAT = "|".join(
    [w + r"各?(?:有关|相关)?(?:部门|单位|机关)" + _P for w in "市直 省直 区直 县直 市级 区级 县级".split()]
    + [w + r"(?:牵头|责任|主管)(?:部门|单位)" + _P for w in ("有关", "相关")]
    + [w + r"(?:部门|单位)" + _P for w in ("牵头", "责任", "主管")]
    + [w + _P for w in "政府 党委 企业 高校 科研机构 科研院所 学校 医院 新闻媒体 媒体 社会组织 金融机构 行业协会 市里 省里 区里 县里".split()]
)


def _top_alternatives(p: str) -> list[str]:
    """The top-level alternatives of a regular expression source."""
    out, depth, cur, i, in_class = [], 0, "", 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            cur += p[i:i + 2]
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(cur)
            cur = ""
            i += 1
            continue
        cur += c
        i += 1
    out.append(cur)
    return out


def _by_first_char(alternatives: list[str]) -> str:
    """The same alternation grouped by first (literal) character: at a position only the
    group of its character is tried, and within it the alternatives keep their order."""
    groups: dict[str, list[str]] = {}
    for a in alternatives:
        assert a and a[0] not in "\\()[]{}.^$|?*+", a
        groups.setdefault(a[0], []).append(a[1:])
    return "|".join(c + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")") for c, rests in groups.items())


_SUFFIX_END_FLAT = re.compile(
    "(?:" + _by_first_char(_top_alternatives(_SUFFIX[3:-1]) + _top_alternatives(_BARE_FLAT)) + ")"
    + _P + r"(?:等(?:部门|单位|有关部门|相关部门|部门单位))?")


def _ends(head: str) -> list[int]:
    """Every position where a unit suffix ends (overlapping: 宣传部 and 部门)."""
    out = []
    search = _SUFFIX_END_FLAT.search
    m = search(head)
    while m is not None:
        e = m.end()
        if e not in out:
            out.append(e)
        m = search(head, m.start() + 1)
    out.sort()
    return out


def _longest_units(span: str) -> list[str]:
    """The unit list that opens span (the object of 会同/督促/与 …), longest first; a named
    district, county, city or town there stands for its government (会同江城区开展…)."""
    ends = _ends(span[:80])
    for k in range(len(ends) - 1, -1, -1):
        end = ends[k]
        items = _items(span[:end])
        if items:
            if items[-1].endswith("组织"):
                # "会同新区管委会组织招商", "会同甲区、乙县组织演练": 组织 is the work done, and the
                # units are the list before it
                for e in reversed(ends[:k]):
                    if span.startswith("组织", e):
                        shorter = _items(span[:e])
                        if shorter:
                            return shorter
                places = _place_objects(span)
                if places:
                    return places
            return items
    return _place_objects(span)


def _place_objects(span: str) -> list[str]:
    """Named places opening span ("江城区、河口县开展…") when work follows them, else []."""
    if not _PLACE_CHAR.search(span, 0, 60):
        return []
    m = _PLACE_OBJ.match(span)
    if m is None:
        return []
    rest = span[m.end():].lstrip()
    if rest and not (_AFTER_SUBJ.match(rest) or _SUBJ_WORK.match(rest)):
        return []
    names = m.group("p").split("、")
    return names if all(is_place(x) for x in names) else []


# The modal of _MODAL_SOON starts at index 1..11 of rest (的?, then 1-10 characters).
_MODAL_FIRST = re.compile("[也要应必务争力不达控稳]")
assert set(_MODAL_FIRST.pattern[1:-1]) == {w[0] for w in _top_alternatives(_MODAL_SOON.pattern.split("?(?:", 1)[1][:-1])}


def _modal_soon(rest: str) -> bool:
    if _MODAL_FIRST.search(rest, 1, 12) is None:
        return False
    m = _MODAL_SOON.match(rest)
    return m is not None and not _PEOPLE_IN.search(m.group())


# The three predicate tests of _subject in one anchored match at the end of the unit list
# (leading blanks skipped as str.lstrip does: `re`'s \s is the same set); tried in order.
_PREDICATE = re.compile(r"\s*(?:(?P<people>" + _PEOPLE_AFTER.pattern + ")|(?P<co>" + _CO_AFTER.pattern.lstrip("^")
                        + ")|(?P<lead>" + _AFTER_SUBJ.pattern.lstrip("^") + "))")


# Characters a predicate of _PREDICATE can open on (a superset: the first character of every
# word in the three patterns, 第/一二三四 of 第三季度 and decimal digits of 6月底前; a blank is
# skipped by \s*): any other character after a unit list fails _PREDICATE without trying it.
_PRED_CHARS = frozenset(
    {w[0] for w in re.findall(r"[\u4e00-\u9fff]+", _PREDICATE.pattern)} | set("第一二三四"))
assert all(a[0] in _PRED_CHARS for a in _top_alternatives(_AFTER_SUBJ.pattern[4:-1])
           if "\u4e00" <= a[0] <= "\u9fff"), "a predicate word opens on a character not listed"


def _subject(clause: str):
    """Unit list at the start of a clause followed by a predicate: (names, rest) or None."""
    head = clause[:70]
    ends = _ends(head)
    pred = _PREDICATE.match
    for end in reversed(ends):
        # the cheap predicate test first, the unit list parse only where it fits
        ch = clause[end:end + 1]
        m = pred(clause, end) if ch in _PRED_CHARS or ch.isspace() or ch.isdecimal() else None
        if m is None:
            if not _modal_soon(clause[end:].lstrip()):
                continue
            # 市、区县政务服务中心现场办结率要… / 科研机构、高校的产业技术研究也要…
            role = "lead"
        elif m.group("people") is not None:
            continue  # 机关干部都要…, 企业员工要…: the people, not the organisation
        else:
            role = "co" if m.group("co") is not None else "lead"
        items = _items(head[:end])
        if items:
            return items, role, clause[end:].lstrip()
    return None


# ------------------------------------------------------------------ role notes
# A role label: 牵头单位: / 配合部门: / 牵头: / 【牵头单位】 / [责任单位]
_ROLE_WORD = r"(?:牵头|主责|主办|负责|责任|承办|配合|协办|参与|协助|协同|支持)"
_ROLE_LABEL = re.compile(
    r"[【\[]\s*(?P<b>" + _ROLE_WORD + r"(?:单位|部门|处室|科室)?)\s*[】\]]\s*:?"
    r"|(?P<c>" + _ROLE_WORD + r"(?:单位|部门|处室|科室)|(?:牵头|主责|主办|配合|协办|参与|协助|协同))\s*:"
)
_NOTE_HINT = re.compile(_ROLE_WORD + r"(?:单位|部门|处室|科室)?\s*[:】\]]")
_LEAD_LABEL = re.compile(r"牵头|主责|主办|负责")
_CO_LABEL = re.compile(r"配合|协办|参与|协助|协同|支持")
# Other labels that end a value: 完成时限: / 责任领导: / 【时间节点】
_OTHER_LABEL = re.compile(
    r"[【\[][\u4e00-\u9fff]{1,8}[】\]]"
    r"|(?:完成|办结|截止)?(?:时限|时间|时间节点|节点|期限|进度|领导|责任人|联系人|分管领导|备注|目标|任务)\s*:"
)
# A value runs to a closing bracket, a sentence end or a line end; short
# parentheses inside belong to names (各乡镇(街道)).
_NOTE_VALUE = re.compile(r"(?:\([^()\n]{1,12}\)|[^()\[\]【】。!?\n])*")
_VALUE_SPLIT = re.compile(r"[、,;\s]+")


def _is_label_like(x: str) -> bool:
    return bool(_ROLE_LABEL.search(x + ":")) or ":" in x or bool(re.fullmatch(_ROLE_WORD + r"(?:单位|部门)?", x))


def note_units(sentence: str) -> list[tuple[str, str, int]]:
    """(name, role, start) of units named after role labels in the sentence.

    Covers (牵头单位:A;配合单位:B、C), (牵头单位:A,配合单位:B), (牵头:A 配合:B),
    【牵头单位】A【配合单位】B and label lines "牵头单位:A". With a lead label the
    other labels (责任单位, 配合单位) name co-units; a 责任单位 note alone names the
    lead first and co-units after it. A label is never a unit."""
    labels = list(_ROLE_LABEL.finditer(sentence))
    if not labels:
        return []
    kinds = [(m.group("b") or m.group("c")) for m in labels]
    has_lead = any(_LEAD_LABEL.match(k) for k in kinds)
    out: list[tuple[str, str, int]] = []
    for i, (m, kind) in enumerate(zip(labels, kinds)):
        limit = labels[i + 1].start() if i + 1 < len(labels) else len(sentence)
        vm = _NOTE_VALUE.match(sentence, m.end(), limit)
        value = vm.group() if vm else ""
        om = _OTHER_LABEL.search(value)
        if om:
            value = value[: om.start()]
        value = value.strip(" ,;:")
        if not value:
            continue
        bracketed = sentence.rfind("(", 0, m.start()) > sentence.rfind(")", 0, m.start()) or m.group("b") is not None
        items = _items(value)
        if not items:
            raw = [x for x in _VALUE_SPLIT.split(value) if x]
            items = [x for x in raw if not _is_label_like(x)
                     and (_is_unit(x) or (bracketed and len(x) <= 20 and not _GARBAGE.search(x)
                                         and not _VERB_START.match(x)))]
            if len(items) < len(raw) and not bracketed:
                items = []  # prose after a colon, not a list of units
        co_note = _CO_LABEL.match(kind) is not None or (has_lead and not _LEAD_LABEL.match(kind))
        for j, it in enumerate(items):
            if _is_label_like(it):
                continue
            out.append((it, "co" if co_note or j > 0 else "lead", m.end()))
    return out


# A line that is only a label and its value ("牵头单位:市发改委", "【配合单位】各区县",
# "完成时限:6月底前"): the vertical layout of a task breakdown (PDF tables).
_LABEL_LINE = re.compile(
    r"^[【\[]?\s*(?:" + _ROLE_WORD + r"(?:单位|部门|处室|科室)?|(?:完成|办结)?时限|完成时间|时间节点|责任领导|责任人)"
    r"\s*(?:[】\]]\s*:?|:)"
)


def is_label_line(sentence: str) -> bool:
    """True if the sentence is a bare role/time label with its value."""
    m = _LABEL_LINE.match(sentence)
    if m is None:
        return False
    bare = m.group().strip("【[ ")
    # 牵头: / 配合: need their colon or bracket; 负责/责任/支持 need 单位/部门 to be labels
    return not re.match(r"(?:负责|责任|支持)(?![单部处科])", bare)


# "(市发改委牵头,市教育局配合)": the note's clauses are read like the sentence's
_ROLE_PAREN = re.compile(r"\(([^()\n]{2,80}?(?:牵头|负责|主责|配合|协办|参与|协助)[^()\n]{0,80})\)")


def _open_role_notes(sentence: str) -> str:
    """Same-length copy with the brackets of role notes turned into clause breaks."""
    return _ROLE_PAREN.sub(lambda m: "," + m.group(1) + ",", sentence)



_NOTE_PAREN = re.compile(r"\((?:牵头|责任|主责|主办|配合|协办|参与|协助)[^()\n]*\)")


# Full-width punctuation as the cleaner writes it, one character for one (offsets hold).
_WIDTH_SAME = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
_FULL = re.compile("[\uff01-\uff5e\u3000]")


_PLACE_NAME = r"(?:[\u4e00-\u9fff]{1,6}?(?:自治县|自治旗|新区|区|县|市|旗|镇|乡|街道))"
# "翠屏区要…", "青石县于6月底前…", "甲区、乙县要…": place names opening a clause, then a modal or a time
_PLACE_OBJ = re.compile(r"(?P<p>" + _PLACE_NAME + r"(?:、" + _PLACE_NAME + r"){0,5})")
_PLACE_CHAR = re.compile("[区县市旗镇乡道]")
_PLACE_SUBJ = re.compile(
    r"(?P<p>" + _PLACE_NAME + r"(?:、" + _PLACE_NAME + r"){0,5})"
    r"(?=也要|还要|都要|均要|要|应当|应|须|必须|务必|负责|牵头|将于|于\s*(?:\d|[一二三四五六七八九十]|年|今|本|明|当|上|下)"
    r"|在\s*(?:\d|[一二三四五六七八九十]|年底|年内|今年|本月|明年|当年|上半年|下半年))")


def find_units(sentence: str, *, narrow: bool = False) -> list[UnitMention]:
    """Unit mentions with roles in one sentence (no inference from context). ``narrow``: the
    caller knows the text holds no full-width forms (the pipeline checks each document once)."""
    if not narrow and _FULL.search(sentence):
        sentence = sentence.translate(_WIDTH_SAME)
    found: dict[str, UnitMention] = {}

    def add(name: str, role: str, start: int, override: bool = False):
        name = _clean_name(name)
        if not name:
            return
        if name in found:
            if override:
                found[name].role = role
            return
        found[name] = UnitMention(name, role, start, start + len(name))

    # (牵头单位:A、B;配合单位:C) notes, 【牵头单位】A, "牵头:A 配合:B", label lines
    for name, role, start in (note_units(sentence) if _NOTE_HINT.search(sentence) else ()):
        add(name, role, start)
    if found:
        if any(m.role == "lead" for m in found.values()):
            return list(found.values())
        # "A要…(配合单位:B)": the note names only co-units; the lead is the sentence's subject
        bare = _NOTE_PAREN.sub(lambda m: " " * len(m.group()), sentence)
        if bare == sentence or not bare.strip():
            return list(found.values())
        notes = list(found.values())
        found.clear()
        for m in find_units(bare):
            if m.role == "lead":
                add(m.name, "lead", m.start)
        for m in notes:
            add(m.name, m.role, m.start)
        return list(found.values())
    # 由A牵头(,与B、C共同负责)
    for m in (_BY.finditer(sentence) if "由" in sentence else ()):
        for it in _items(m.group(1)):
            add(it, "lead", m.start(1))
    if not found and not _UNIT_CHAR.search(sentence):
        return []
    has_lead_word = bool(found) or "牵头" in sentence
    # clause subjects
    lead_seen = bool(found)
    clauses = list(_CLAUSE.finditer(_open_role_notes(sentence) if "(" in sentence else sentence))
    for ci, cm in enumerate(clauses):
        clause = cm.group().lstrip()
        if not _UNIT_CHAR.search(clause):
            continue
        co_clause = _CO_CLAUSE.match(clause) is not None
        pm = _LEAD_PREFIX.match(clause)
        off = pm.end() if pm else 0
        sub = clause[off:]
        obj = _OBJ_PREFIX.match(sub)
        if obj:
            sub = sub[obj.end():]
            off += obj.end()
        res = None if co_clause else _subject(sub)
        if res is None and not co_clause:
            pm2 = _PLACE_SUBJ.match(sub)
            if pm2:
                names = [x for x in pm2.group("p").split("、") if x]
                if names and all(is_place(x) for x in names):
                    res = (names, "lead", sub[pm2.end():])
        if res is None and not co_clause and ci + 1 < len(clauses) and _NEXT_MODAL.match(clauses[ci + 1].group()):
            items = _items(sub)
            res = (items, "lead", "") if items else None
        swapped = None
        if res and res[1] == "co":
            # "A配合B做X" / "A协助B开展…": B leads the work, A is co (annotation.md §2)
            swapped = _helped(res[2])
        if swapped:
            for it in swapped:
                add(it, "lead", cm.start() + off)
            lead_seen = True
        if res:
            items, role, _rest = res
            if obj and lead_seen:
                role = "co"
            for it in items:
                add(it, role, cm.start() + off)
            lead_seen = lead_seen or role == "lead"
        # objects of 督促/责成/与/会同 inside the clause
        for om in (_OBJ_KW.finditer(clause) if ("与" in clause or "会同" in clause or "配合" in clause or "协助" in clause
                                                 or "督促" in clause or "责成" in clause) else ()):
            if cm.start() + om.start() == 0:
                continue
            kw = om.group()
            # the role first: an object that would get none (…与…, no lead yet) is not parsed
            if kw in ("督促", "责成") and not lead_seen:
                role = "lead"
            elif lead_seen or has_lead_word or kw in ("会同", "配合", "协助"):
                role = "co"
            else:
                continue
            items = _longest_units(clause[om.end():])
            for it in items:
                add(it, role, cm.start() + om.end())
    return list(found.values())
# A unit as subject directly followed by a piece of work (no modal needed):
# "成人高校、社区学院试行…", "效能办就直接处理…".
_SUBJ_WORK = re.compile(
    r"(?:就|将|也|还|均|都|每年|每月|定期|直接|具体|统一|分别|率先)*(?:试行|实行|推行|建立|健全|开展|实施|设立|成立|"
    r"制定|制订|组织(?!部)|完成|建设|建成|配备|开设|开办|举办|召开|编制|出台|印发|报送|上报|负责|牵头|处理|查处|"
    r"下设|承担|会同|督促|责成|对)"
)


_HELP = re.compile(r"(?:要|也要|应|须|要求)?(?:积极|主动|全力|密切|认真|大力)?(?:配合|协助)")


def _helped(rest: str) -> list[str]:
    """The units helped in "配合B做X" / "协助B开展…" (rest of a clause after its subject) when
    a piece of work follows them, else []."""
    m = _HELP.match(rest)
    if m is None:
        return []
    span = rest[m.end():]
    items = _longest_units(span)
    if not items:
        return []
    after = span[span.find(items[-1]) + len(items[-1]):].lstrip() if items[-1] in span else ""
    if after and (_SUBJ_WORK.match(after) or _VERB_START.match(after) or _AFTER_SUBJ.match(after)):
        return items
    return []


def leads_with_unit(sentence: str) -> bool:
    """True if a clause opens with a unit list followed directly by a work verb."""
    if not _UNIT_CHAR.search(sentence):
        return False
    for cm in _CLAUSE.finditer(sentence):
        clause = cm.group().lstrip()
        pm = _LEAD_PREFIX.match(clause)
        sub = clause[pm.end():] if pm else clause
        res = _subject(sub)
        if res is not None:
            items, role, rest = res
            if role == "co":
                return bool(_helped(rest))  # "A配合B做好…": work B leads, A helps
            return role == "lead" and _SUBJ_WORK.match(rest) is not None
    return False


def split_roles(mentions: list[UnitMention]) -> tuple[list[str], list[str]]:
    lead = [m.name for m in mentions if m.role == "lead"]
    co = [m.name for m in mentions if m.role == "co" and m.name not in lead]
    return lead, co
