"""Label a sentence action / principle / none (工作任务 / 一般要求 / 其他).

Rules follow spec/annotation.md: a directive needs a modal (要, 必须, 确保 …)
or an imperative verb at the head of the sentence; it is an *action* when it
names checkable work (set up, issue, organise, inspect, reach a number …),
else a *principle* (attitude, awareness, style).
"""
from __future__ import annotations

import re

# Imperative verbs that open a work-plan sentence (no 要 needed).
_IMPERATIVE = re.compile(
    r"^(?:[^,。]{0,12}?[,]\s*)?(?:要|必须|应|并|同时|还|也|再|都)?\s*(?:继续|进一步|认真|切实|积极|大力|全面|深入|广泛|努力|着力|不断|逐步|加快|尽快|抓紧|持续|扎实|全力|重点)?"
    r"(?:建立|健全|完善|制定|制订|出台|印发|开展|组织|举办|召开|实施|推进|推动|推行|推广|落实|加强|强化|深化|"
    r"提高|提升|加大|加快|扩大|优化|规范|创新|构建|打造|培育|培养|引导|鼓励|支持|扶持|探索|整合|发挥|"
    r"坚持|树立|增强|弘扬|营造|形成|抓好|做好|办好|搞好|抓紧|突出|注重|围绕|结合|依托|利用|开发|设立|成立|"
    r"设置|配备|建设|创建|选拔|评选|表彰|奖励|考核|检查|督查|督促|清理|梳理|整改|严格|严肃|严厉|实行|试行|"
    r"落实|贯彻|学习|宣传|动员|统筹|协调|指导|部署|确保|保障|保证|防止|杜绝|解决|破解|改进|改革|转变|"
    r"筑牢|夯实|拓展|拓宽|巩固|提速|压缩|简化|精简|减少|降低|控制|坚决|切实|把|将|以|对|按照|根据|"
    r"依法|全面|大力|广泛|深入|积极|进一步|不断|认真|着力|紧紧|紧密|牢牢|牢固|主动|自觉|努力|继续|集中|"
    r"重点|抓住|把握|聚焦|力争|争取|推出|编制|组建|举行|引进|吸引|招募|选派|安排|拨付|投入|鼓励|倡导|"
    r"关心|关注|尊重|重视|提倡|帮助|畅通|发展|繁荣|加强|增加)"
)
_NONE_START = re.compile(
    r"^(?:同志们|各位|女士们|先生们|谢谢|最后,我|下面,我|今天,|刚才|会前|上午|下午|会上|会后,(?=我)|"
    r"[^,。]{0,6}(?:指出|强调|说|讲|认为)[,:]|比如|例如|譬如|如,|据统计|据了解|据悉|其中,|总之,|总的来看|"
    r"实践证明|事实证明|历史证明|实践告诉我们|这说明|这表明|应该看到|可以说)"
)

# Checkable work (action) versus attitude/awareness (principle).
_ACTION = re.compile(
    r"建立|健全|制定|制订|出台|印发|下发|开展|组织(?![领保部])|举办|召开|实施|完成|建设(?=[\u4e00-\u9fff“《])(?![的与和及中上工过等者方项])|建成|成立|设立|设置|配备|安装|"
    r"检查(?<![的督]检查)|督查|督办|考核|评比|评选|评估|评议|表彰|奖励|培训|开设|开办|下放|进驻|梳理|清理|报送|上报|报告|"
    r"启动|开发|推行|试行|编制|组建|举行|引进|选拔|选派|安排|拨付|投入|挂钩|问责|处理|查处|追究|整改|"
    r"公开|公示|发布|汇编|清单|台账|方案|办法|细则|规划|计划|制度|机制|体系|平台|系统|工程|项目|活动|机构|"
    r"窗口|大厅|中心(?![任工环思])|网络|队伍|专栏|讲座|考试|测评|普查|调查|统计|验收|监控|执法|审批|办结|登记|备案|"
    r"宣传|推广|纳入|列入|整合|创建|打造|培育|扶持|引导|改革|规范|简化|压缩|取消|减少|降低|提高.{0,8}\d|"
    # organised teaching and training are activities one can check
    r"教育(?![部局厅委])|培养|破解|整治"
)
_PRINCIPLE = re.compile(
    r"认识|意识|思想|观念|理念|重视|理解|领会|把握|坚持|树立|增强|弘扬|精神|作风|自觉|统一到|导向|原则|"
    r"信心|决心|责任感|使命|方向|氛围|修养|情操|境界|态度|觉悟|党性|宗旨|初心|情怀|感情|品德|道德|"
    r"牢记|铭记|发扬|勇于|敢于|善于|做到|形成.{0,6}(?:合力|共识|局面|格局)|站在|高度|全局|大局|"
    r"团结|奉献|担当|务实|求真|清醒|警惕|心里|牢固|紧迫感|危机感|责任心|主动性|积极性|创造性|"
    # how to weigh things: 处理好…关系, 注重/注意…
    r"处理好|正确处理|关系[。;]?$|注重|注意|主体责任|负总责|亲自抓|一把手|第一责任人"
)
_STRONG_ACTION = re.compile(
    r"年底前|月底前|日前|之前|以前|牵头|负责|建立|建设(?=[\u4e00-\u9fff“《])(?![的与和及中上工过等者方项])|制定|制订|出台|印发|"
    r"成立|设立|完成|召开|举办|开展.{0,12}活动|实施.{0,12}工程|清理|梳理|考核|检查(?<![的督]检查)|督查|问责|查处|追究|"
    r"试行|推行|配备|安装|开设|下放|进驻|评选|表彰|报送|上报|编制|组建|选拔|培训"
)
# Emphatic modals (一定要, 必须) mostly carry exhortations about attitude.
_EMPHATIC = re.compile(r"一定要|必须|务必")
_DIGIT = re.compile(r"\d")


# Hot search patterns are written so that every alternative starts with a literal
# character (lookbehinds moved after it): `re` then skips non-candidate positions
# with a first-character set instead of trying the whole alternation everywhere.
_STRONG = re.compile(
    r"要(?<![重主只需纲摘扼首紧提概就是不纪]要)(?![求素害点闻件是然想]|不(?!断|懈|停))(?!.{0,4}看到)|必须(?!.{0,4}看到)|务必|务求|"
    r"应当(?!.{0,4}看到)|应该(?!.{0,4}看到|予以)|应(?<![相适对供响反效回]应)(?![用对急有声邀该])|须(?<![必无]须)(?![知])|"
    r"一定要|确保|力争|争取|严禁|不得|禁止|一律|希望(?<!的希望)|请(?<![^,:]请)|切实|坚决|务请|责成"
)
_COPULA = re.compile(
    r"是(?<![特尤还而但于凡或总不只可要若真像倒硬老光]是)(?![否非])|就是要|在于|关键在|意味着|离不开"
)
_QUESTION = re.compile(r"[?]|吗[。!]?$|呢[。!]?$")
_NONE_START2 = re.compile(r"^(?:有些|有的|有人|还有些|还有的|个别|少数|比如|例如|如,|像|正如|俗话说|古人|历史上|据)")
_PAST2 = re.compile(
    r"了(?<![为除罢]了)(?![解])|已经|已(?<!而已)(?![经])|以来|去年|过去|近年来|这几年|这些年|曾经|先后|共计|累计|同比|分别为|"
    r"取得|获得|荣获|涌现|得到(?:了)?(?:进一步|明显|有效|较大|很大)|有待|稳步推进|全面推开|不断健全|明显(?:提高|提升|增强|改善)|显著|"
    r"进一步(?:优化|强化|规范|完善|提高|提升|健全|加强)[。;]?$"
)
_NOUN_OK = re.compile(r"原则|制度|机制|活动|工程|建设")
_NOUN_LABEL = re.compile(r"^[\u4e00-\u9fff“”]{2,8}[。]?$")
# A plan verb within the first 30 characters (searched with endpos, no lazy prefix).
_PLAN_VERB = re.compile(
    r"(?:开展|组织|建立|健全|完善|制定|制订|实施|推进|推行|推广|建设|创建|构建|设立|成立|举办|办好|"
    r"培养|培育|整合|开发|探索|加强|强化|深化|落实|提高|提升|引导|鼓励|支持|扶持|试行|实行|形成|发挥|利用|集中|宣传|"
    r"研究|部署|指导|督促|协调|负责|牵头|承担|安排|拨付|检查|考核|评选|表彰|学习|培训|坚持)"
)
_MARKER = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}\s*[、.]|[(]\s*[一二三四五六七八九十\d]{1,3}\s*[)]|\d{1,2}\s*(?:[、.](?!\d)|\s)|[①-⑳]|"
    r"第[一二三四五六七八九十]{1,3}(?:[,、:]|是)?|[一二三四五六七八九十]{1,2}是(?!否)|(?:首先|其次|再次|最后)[,:])\s*"
)


_TARGET_HINT = re.compile(
    "|".join(w + r"\s*\d" for w in "达到 不低于 不少于 不超过 不高于 控制在 提高到 提升到 降低到 降至 稳定在".split())
    + r"|年(?:底|末)?(?:前|之前)(?:全面|基本)?完成|月(?:底|末)?(?:前|之前)(?:全面|基本)?完成|\((?:牵头|责任)(?:单位|部门)\s*:"
)
_PCT_BOUND = re.compile(r"\d\s*%\s*(?:以上|以下|以内)")


def _plan_verb(body: str) -> bool:
    m = _PLAN_VERB.search(body, 0, 32)
    return m is not None and m.start() <= 30


def _target_hint(body: str) -> bool:
    return _TARGET_HINT.search(body) is not None or ("%" in body and _PCT_BOUND.search(body) is not None)


def _strong_action(body: str) -> bool:
    return _STRONG_ACTION.search(body) is not None or _DIGIT.search(body) is not None


_NUM_ITEM = re.compile(r"\d{1,2}\s*[、.](?!\d)|[(]\s*\d{1,2}\s*[)]|[①-⑳]")
# Statements of a problem (差距较大, 力量薄弱 …) are analysis, not directives.
_PROBLEM = re.compile(r"差距(?:较大|很大|明显)|(?:仍然|还|依然|比较|较为)?(?:薄弱|滞后|不足|欠缺|不到位|不够(?:高|强|好|完善|健全))[。;]?$")
_TOPIC = re.compile(r"关于")
_HARD_ACTION = re.compile(r"\d|牵头|负责|年底前|月底前|日前")


def hard_action(text: str) -> bool:
    """A number, a time limit or a responsible party: checkable whatever the wording."""
    return _HARD_ACTION.search(text) is not None or _target_hint(text)


def strip_marker(text: str) -> tuple[str, bool]:
    m = _MARKER.match(text)
    if m:
        return text[m.end():], True
    return text, False


# Minutes (会议纪要) state the meeting's decisions as "会议强调/议定/要求,…": the
# clause after it is the directive. Anyone else who 指出/强调 is being quoted.
_MEETING = re.compile(r"^(?:会议|会议还|会议同时|会议最后)(?:强调|指出|要求|议定|明确|决定|同意|提出|部署)\s*[,:]?\s*")
# Headings that name a piece of work in a plan (壮大先进制造业, 稳定和扩大就业): a plan's
# numbered heading is a work item unless it names a topic to know (指导思想, 重要意义).
_KNOW_HEADING = re.compile(r"(?:思想|原则|意义|背景|形势|做法|经验|体会|成效|成绩|情况|问题|不足|差距)[。]?$")
# A plan sentence that carries a date/recurrence limit or a figure and a work verb is a task.
_WORK_VERB = re.compile(
    r"完成|建成|实现|开展|组织|召开|举办|报送|上报|发放|通报|拨付|下达|开工|启动|出台|印发|制定|建立|新增|新建|改造|"
    r"培育|认定|供应|实施|达到|不少于|不低于|不超过|控制在|下降|压减|保持|进入|提高|提升|增长|排查|检查|督查|评估|清理|整治"
)
_PAST_FACT = re.compile(r"主持(?:召开)?|召开了|取得|同比(?:增长|下降)\d+(?:\.\d+)?%(?!以上|以下|左右)|去年|上年度?|前年|过去|[全总]?共(?:有|清理|办理|完成|计)|已经|已(?!于)|了(?<![为除罢]了)|共计|累计|同比(?!下降|增长|减少|提高)|比上半年|较上年|较去年|较第|以来|尚未|仍有|未按|仅为")
# The same test (is there a match?) with every branch opening on a literal, so `re` scans
# for first characters in C: [全总]? before 共 changes nothing about whether one exists.
_PAST_FACT_ANY = re.compile(_PAST_FACT.pattern.replace("[全总]?共(", "共("))
assert _PAST_FACT_ANY.pattern != _PAST_FACT.pattern


_FURNITURE = re.compile(r"^(?:附件|附表|附:|请假|列席|出席|参加人员|参会人员|记录|抄送|主送|印发|联系人|联系电话|分送)\s*[:\d]")
_PREAMBLE = re.compile(r"^[^。,]{0,10}(?:纪要|通报|报告|汇报|部署|安排)如下[。:]?$|(?:现|特)(?:制定|制订|提出)本?(?:方案|要点|意见|办法|计划|细则)|(?:制定|制订)本(?:方案|要点|意见|办法|计划)[。]?$|"
                       r"^现将[^。]{0,30}(?:如下|通报如下|纪要如下)[。:]?$")
_INTRO = re.compile(r"(?:以下|如下)(?:[一二三四五六七八九十几]+)?(?:个)?(?:方面|几点|要求|工作|事项)[^。]{0,6}[。:]?$")
_MEETING_NARRATIVE = re.compile(r"主持召开|主持会议|召开了|举行了|出席会议|列席会议")
# Tests asked together in label_sentence, each as one pattern (a match exists iff one of the
# parts has one): 不是指令 = copula, past, problem or meeting narrative; none-openers.
_PROBLEM_ANY = (r"差距(?:较大|很大|明显)|薄弱[。;]?$|滞后[。;]?$|不足[。;]?$|欠缺[。;]?$|不到位[。;]?$"
                r"|不够(?:高|强|好|完善|健全)[。;]?$")  # _PROBLEM without its optional opening words
_NOT_DIRECTIVE = re.compile("|".join([_COPULA.pattern, _PAST2.pattern, _PROBLEM_ANY, _MEETING_NARRATIVE.pattern]))
_NONE_OPEN = re.compile("^(?:" + _NONE_START.pattern[4:-1] + "|" + _NONE_START2.pattern[4:-1] + ")")
_DUTY_HEADING = re.compile(r"^(?:工作要求|保障措施|组织保障|实施保障|工作保障|(?:加强|强化)组织(?:领导|保障)|(?:强化|压实|落实)(?:领导|工作|主体)?责任(?:落实)?|提高思想认识)[。]?$")
_FORWARD = re.compile(r"印发给你们|现予印发|现印发给|请(?:结合实际)?认真(?:抓好)?(?:贯彻(?:落实|执行)|组织实施)")


# Cheap literal pre-checks: each pattern below can only match where one of these
# substrings occurs, so the regular expression runs only on the sentences that have one.
def _preamble(body: str) -> bool:
    return ("如下" in body or "制定" in body or "制订" in body or "提出" in body) and _PREAMBLE.search(body) is not None


def _forward(body: str) -> bool:
    return ("印发" in body or "认真" in body) and _FORWARD.search(body) is not None


def _question(body: str) -> bool:
    return ("?" in body or "吗" in body or "呢" in body) and _QUESTION.search(body) is not None


def _problem(body: str) -> bool:
    return ("不" in body or "差距" in body or "薄弱" in body or "滞后" in body or "欠缺" in body) \
        and _PROBLEM.search(body) is not None


def label_sentence(text: str, heading: bool = False, planlike: bool = False, subject_unit=None,
                   timed: bool = False, counted: bool = False, stripped: tuple | None = None) -> str:
    """Return 'action', 'principle' or 'none' for one sentence.

    ``subject_unit(body) -> bool`` (optional) says whether the sentence opens
    with a responsible unit doing some work; it is asked only when nothing
    else marks the sentence as a directive. ``timed`` / ``counted``: the
    sentence has a deadline / a quantitative target; in a plan such a sentence
    with a work verb is a task even without a modal. ``stripped``: strip_marker(text.strip())
    when the caller has it already."""
    s = text.strip()
    body, marked = stripped if stripped is not None else strip_marker(s)
    body = body.strip()
    if _FURNITURE.match(body) or _preamble(body) or (len(body) <= 30 and _INTRO.search(body)):
        return "none"  # 附件:…, 现将…如下, 特制定本方案, 今年要在以下四个方面…
    if _forward(body):
        return "principle"  # 现印发给你们,请认真贯彻落实: the notice that carries a plan
    mm = _MEETING.match(body)
    if mm and len(body) > mm.end() + 4:
        said = mm.group(0)
        body = body[mm.end():]
        body2, marked2 = strip_marker(body)
        body, marked = body2.strip(), marked or marked2
        if ("指出" in said or "认为" in said) and not _STRONG.search(body):
            return "principle" if re.search(r"不能|决不|绝不|不得", body) else "none"
    if planlike and not heading and _WORK_VERB.search(body) and not _question(body) \
            and not _PAST_FACT_ANY.search(body) and not _NONE_START.match(body) \
            and ((timed() if callable(timed) else timed) or (counted() if callable(counted) else counted)):
        return "action"
    if (heading or marked) and len(body) <= 20 and _DUTY_HEADING.search(body):
        return "principle"  # 工作要求, 保障措施, 加强组织领导, 压实领导责任: how, not what
    if planlike and (heading or marked) and len(body) <= 40 and not _KNOW_HEADING.search(body) \
            and not _question(body) and not _PAST_FACT_ANY.search(body) and not s.endswith(":"):
        head_plan = True
    else:
        head_plan = False
    if len(body) < 2:
        return "none"
    if s.endswith(":") and len(s) < 60 and not _STRONG.search(s):
        return "none"  # addressee lines, "现就…提出如下意见:"
    if _question(body) or _NONE_OPEN.match(body):
        return "none"
    strong = _STRONG.search(body)
    if not strong and _NOT_DIRECTIVE.search(body):
        return "none"
    head = marked or heading
    if head and _TOPIC.match(body) and not planlike:
        return "none"  # "(三)关于…的几项工作": a topic, not a task
    if head_plan:
        strong = strong or True
        if not (_PRINCIPLE.search(body) and not _ACTION.search(body)):
            return "action"  # a plan's numbered heading names a work item
    if _target_hint(body) and (strong or head or planlike):
        return "action"  # in a speech, a bare figure without a modal is a statement
    if strong:
        directive = True
    elif head:
        directive = not (_NOUN_LABEL.match(body) and not _IMPERATIVE.match(body) and not _plan_verb(body)
                         and not _NOUN_OK.search(body))
    elif planlike:
        directive = bool(_IMPERATIVE.match(body)) or _plan_verb(body)
    else:
        directive = bool(_IMPERATIVE.match(body)) and bool(_ACTION.search(body))
    if not directive and subject_unit is not None and subject_unit(body):
        directive = True  # a unit as subject, doing a piece of work: a directive without a modal
    if not directive:
        return "none"
    a = len(_ACTION.findall(body))
    p = len(_PRINCIPLE.findall(body))
    strong_a = _strong_action(body)
    score = a - 1.2 * p + (1.5 if strong_a else 0) - (1.0 if _EMPHATIC.search(body) else 0)
    if a == p == 0 and not strong_a and marked and (_NUM_ITEM.match(s) or _IMPERATIVE.match(body)):
        return "action"  # "1、学习政治理论知识。": a numbered item of a plan names a piece of work
    return "action" if score >= 1.0 else "principle"
