"""Responsible units (责任单位) named in a sentence, with role lead/co.

Recognition is morphological: organisation suffixes (委/局/办/厅/中心/部门/政府…)
and set expressions (各区县, 各级各部门, 各乡镇(街道) …), located in subject
position (before 要/应/必须/牵头/负责…), after 由 (lead), after 与/会同/配合
(co), or inside (牵头单位:…)(配合单位:…) notes. People and roles of people
(领导干部, 文艺工作者) are never units.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_SUFFIX = (
    r"(?:委员会|管委会|工委|党委|党组|纪委|县委|市委|区委|省委|政府|人民政府|办事处|办公室|办公厅|领导小组|工作组|小组|指挥部|"
    r"委|局|办|厅|署|中心|分中心|部门|部|院|法院|检察院|机关|单位|公司|集团|协会|学会|联合会|总工会|工会|妇联|团委|团市委|科协|文联|"
    r"社|所|站|队|处|科|股|媒体|高校|学校|学院|大学|企业|医院|银行|机构|组织|系统|行业|街道|乡镇|区县|县区|"
    r"财政|公安|税务|国税|地税|海关|质监|工商|法制办|监察局|宣传部|组织部|统战部|管理部门|主管部门)"
)
# Sets of organisations: 各区县, 各地各部门, 各乡镇(街道), 各县(市、区) …
_SET_CORE = r"(?:地|级|区|县|市|区县|县区|县\(市、区\)|县\(市\)|乡镇|乡|镇|街道|乡镇\(街道\)|村|村\(居\)|社区|部门|单位|地区|系统|行业|委办局|分中心)"
_SET = (
    r"(?:全市|全省|全区|全县|市级|市直|省直|区直|县直|区县|有关|相关)?(?:各级?)?(?:各|每个|每一个)"
    r"(?:有关|相关|级)?" + _SET_CORE + r"(?:[、]?各(?:有关|相关)?" + _SET_CORE + r"){0,3}"
    r"(?:[\u4e00-\u9fff]{0,8}?" + _SUFFIX + r")?"
)
_NAME = r"[\u4e00-\u9fff()]{1,18}?" + _SUFFIX + r"(?:\([\u4e00-\u9fff、]{1,10}\))?"
_UNIT = "(?:" + _SET + "|" + _NAME + "|市里|省里|区里|县里)"
_UNIT_RX = re.compile(_UNIT)
_UNIT_FULL = re.compile("^(?:" + _UNIT + ")$")

_PEOPLE = re.compile(
    r"(?:干部|领导|同志|群众|市民|人员|工作者|党员|职工|员工|书记|市长|主任|部长|局长|县长|区长|人民|农民|学生|家长|"
    r"代表|委员(?!会)|专家|大家|我们|你们|他们|自己|本人|一把手|负责人|人才|艺术家|作家)$"
)
_NOT_UNIT = re.compile(
    r"^(?:[\u4e00-\u9fff]*(?:工作|建设|制度|机制|体系|活动|意识|能力|水平|作用|问题|情况|精神|思想|服务|管理|社会|环境|"
    r"发展|改革|创新|项目|工程|平台|中心工作|重点|任务|目标|要求)|部|处|科|所|社|站|院|委|办|局|队|股|中心|单位|部门|机构|组织|系统|行业|企业)$"
)

_LEAD_NOTE = re.compile(r"[(\[]\s*(?:牵头单位|责任单位|主办单位|承办单位|责任部门|牵头部门|主责单位)\s*[:]\s*([^()\[\]\n]{1,200}?)\s*[)\]]")
_NOTE_PART = re.compile(r"(牵头单位|责任单位|主办单位|承办单位|责任部门|牵头部门|主责单位|配合单位|协办单位|参与单位|配合部门|协助单位)\s*[:]\s*([^;:]+)")
_CO_NOTE = re.compile(r"(?:配合单位|协办单位|参与单位|配合部门|协助单位)")

# Markers after a subject that make it the one who must act.
_AFTER_SUBJ = re.compile(
    r"^(?:等(?:部门|单位|有关部门|相关部门|部门单位))?\s*(?:也|还|都|均|就|仍|要|应|须|必须|务必|一定|要求|将|负责|牵头|主抓|主管|统揽|"
    r"具体|认真|切实|积极|继续|进一步|按照|根据|结合|每年|定期|立即|尽快|抓紧|不断|全面|深入|加强|加快|着力|"
    r"共同|联合|组织|成立|建立|设立|下设|试行|实行|制定|牵|主动|自觉|严格|统一|负|承担|做好|抓好|督促|"
    r"在|对|于|把|将|向|与|会同|从|通过|围绕|以|安排|开展|实施|推进|出台|完成|拨付|提供|落实|配合|协助|参与|协同)"
)
_CO_VERB = re.compile(r"^(?:等(?:部门|单位))?\s*(?:要|也要|积极|主动|全力)?\s*(?:配合|协助|协办|参与|协同)")
_CLAUSE = re.compile(r"[^,;:。!?]+")
_LEAD_PREFIX = re.compile(
    r"^(?:同时|此外|另外|为此|今后|今年|明年|下一步|特别是|其中|尤其是|因此|最后|首先|其次|当前|目前|我们|请|希望|由|并由|"
    r"要求|责成|凡是|对于|而|但|并|和|还要|[一二三四五六七八九十]是|第[一二三四五六七八九十]+)*"
)
_SPLIT_ITEMS = re.compile(r"、|和|及|以及|与")
_DENG = re.compile(r"等(?:部门|单位|有关部门|相关部门|部门单位|单位部门)$")


@dataclass
class UnitMention:
    name: str
    role: str  # "lead" or "co"
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "start": self.start, "end": self.end}


def is_unit(name: str) -> bool:
    """True if the string looks like an organisation or set of organisations."""
    if not name or len(name) > 30:
        return False
    if _PEOPLE.search(name) or _NOT_UNIT.match(name):
        return False
    return bool(_UNIT_FULL.match(name))


def _items(chunk: str) -> list[str]:
    """Split '市委组织部、市委宣传部和市人事局等部门' into unit names."""
    chunk = chunk.strip(" 、")
    core = _DENG.sub("", chunk)
    parts = [p for p in re.split(r"、", core) if p]
    out: list[str] = []
    for p in parts:
        # split on 和/及/与 only where both sides are units (市劳动和社会保障局 stays whole)
        m = re.search(r"(.+?)(?:和|及|以及|与)(.+)$", p)
        if m and is_unit(m.group(1)) and is_unit(m.group(2)):
            out.extend([m.group(1), m.group(2)])
        else:
            out.append(p)
    if out and all(is_unit(x) for x in out):
        return out
    # "各区县国税、地税、公安、质监等部门": the whole list is one set
    if chunk != core and len(chunk) <= 30:
        return [chunk]
    return [x for x in out if is_unit(x)]


def _leading_units(clause: str) -> tuple[str, int] | None:
    """Longest run of units (joined by 、/和) at the start of a clause, and its end."""
    best = None
    for m in re.finditer(r"[、和及与]|等(?:部门|单位|有关部门|相关部门)|(?=[要应须将也还都就在对把向按根结认切积继进负牵主具共联组成建设下试实制督统承做抓拨提落配协参])", clause[:60]):
        end = m.end() if m.group().startswith("等") else m.start()
        cand = clause[:end]
        if not cand:
            continue
        items = _items(cand)
        if items and sum(len(i) for i in items) >= len(_DENG.sub("", cand).replace("、", "").replace("和", "")) - 2:
            rest = clause[end:]
            if _AFTER_SUBJ.match(rest) or _CO_VERB.match(rest):
                best = (cand, end)
    return best


def find_units(sentence: str) -> list[UnitMention]:
    """Unit mentions with roles in one sentence (no inference from context)."""
    found: dict[str, UnitMention] = {}

    def add(name: str, role: str, start: int):
        name = name.strip(" 、,")
        if not name or not is_unit(name) and "等" not in name:
            return
        if name in found:
            if role == "lead":
                found[name].role = "lead"
            return
        found[name] = UnitMention(name, role, start, start + len(name))

    # (牵头单位:A、B;配合单位:C) notes
    for m in re.finditer(r"[(\[]([^()\[\]]{0,200}?(?:牵头|责任|主办|承办|主责|配合|协办|参与|协助)(?:单位|部门)\s*[:][^()\[\]]{1,200}?)[)\]]", sentence):
        for part in _NOTE_PART.finditer(m.group(1)):
            kind, names = part.group(1), part.group(2)
            items = _items(names.strip(" ,。")) or [x for x in re.split(r"[、,]", names) if x.strip()]
            for i, it in enumerate(items):
                it = it.strip()
                role = "co" if _CO_NOTE.match(kind) or i > 0 else "lead"
                if it:
                    found.setdefault(it, UnitMention(it, role, m.start(), m.end()))
    if found:
        return list(found.values())
    # 由A牵头,与B、C共同负责
    for m in re.finditer(r"由([^,。;由]{2,80}?)(?:牵头|负责|主抓|主办|组织|统筹|承担|具体|强化|会同|联合|对|在|按照|根据|,)", sentence):
        for it in _items(m.group(1)):
            add(it, "lead", m.start(1))
    for m in re.finditer(r"(?:与|会同|配合|协助|督促|联合)([^,。;与]{2,80}?)(?:等(?:部门|单位|有关部门|部门单位))?(?:共同|一起|联合|协同|密切|做好|明确|合署|,|。|;|尽快|加强)", sentence):
        if found or re.search(r"牵头|负责|要|将|应", sentence[: m.start()]):
            for it in _items(m.group(1)):
                add(it, "co", m.start(1))
    # subjects of clauses
    pos = 0
    for cm in _CLAUSE.finditer(sentence):
        clause = cm.group()
        off = cm.start()
        pm = _LEAD_PREFIX.match(clause)
        lead_off = pm.end() if pm else 0
        sub = clause[lead_off:]
        res = _leading_units(sub)
        if res:
            cand, end = res
            rest = sub[end:]
            role = "co" if _CO_VERB.match(rest) else "lead"
            for it in _items(cand):
                add(it, role, off + lead_off)
        pos = cm.end()
    return list(found.values())


def split_roles(mentions: list[UnitMention]) -> tuple[list[str], list[str]]:
    lead = [m.name for m in mentions if m.role == "lead"]
    co = [m.name for m in mentions if m.role == "co" and m.name not in lead]
    return lead, co
