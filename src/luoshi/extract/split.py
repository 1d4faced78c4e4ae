"""Split compilations (精选N篇, 篇1…篇7, repeated 讲话稿 headers) into documents.

Each document gets title, speaker and date where its text has them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .outline import marker_of

_CN_DIGITS = "零一二三四五六七八九十"

# Piece markers of compilations, on their own line or after/before the piece's title:
# "在全市…的讲话 篇1", "篇1", "篇一:", "【篇3】", "第二篇", "第2篇:标题", "【第三篇】", "范文2:".
# Never across a line break: the line before a marker is the previous piece's last line.
_PN = r"[0-9一二三四五六七八九十]{1,3}"
_PIECE = re.compile(
    r"^[ \t]*(?:(?P<title>[^\n]{2,80}?)[ \t]*[(【\[]?篇[ \t]*" + _PN + r"[)】\]]?"
    r"|[【\[]?[ \t]*篇[ \t]*" + _PN + r"[ \t]*[】\]]?[ \t]*:?[ \t]*(?P<title2>[^\n]{0,80}?)"
    r"|[【\[][ \t]*(?:范文|第)[ \t]*" + _PN + r"[ \t]*篇?[ \t]*[】\]][ \t]*:?[ \t]*(?P<title4>[^\n]{0,80}?)"
    r"|(?:范文[ \t]*" + _PN + r"|第[ \t]*" + _PN + r"[ \t]*篇)[ \t]*(?::[ \t]*|[ \t]+|(?=[ \t]*$))(?P<title3>[^\n]{0,80}?))"
    r"[ \t]*$",
    re.M,
)
# A piece whose marker stands alone: its first line is the title when it reads like one.
_TITLE_LIKE = re.compile(r"[^\n。!?;:]{2,60}")
# Title lines of speeches and work documents.
_TITLE = re.compile(
    r"^(?:在[^\n。]{2,50}(?:上|中|时)的(?:讲话|发言|致辞|报告|总结讲话|动员讲话|主持词)(?:稿|提纲)?"
    r"|[^\n。,]{2,50}(?:讲话稿|讲话|发言稿|致辞|工作要点|实施意见|实施方案|工作方案|工作计划|任务分解(?:表|方案)?|"
    r"责任分工方案|通知|意见|决定|办法|规划|会议纪要|纪要|督查通报|通报|任务清单|清单|台账))$",
    re.M,
)
_ROLE = r"(?:书记|副书记|市长|副市长|省长|副省长|区长|县长|镇长|乡长|主任|副主任|部长|局长|厅长|主席|常委|委员|秘书长|党组书记|署长|行长|校长|院长|理事长|总经理|董事长|负责人|同志)"
_SPEAKER = re.compile(
    r"^[(]?\s*(?:[^\n。,;:]{0,40}" + _ROLE + r")\s*[ ]?[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3}\s*[)]?$"
)
_DATE_LINE = re.compile(
    r"^[(\[]?\s*(?P<y>(?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?:(?P<d>\d{1,2})\s*日?)?\s*[)\]]?$"
)
_CN_DATE_LINE = re.compile(
    r"^[(\[]?\s*(?P<y>[〇零一二三四五六七八九○]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?:(?P<d>[一二三四五六七八九十]{1,3})日)?\s*[)\]]?$"
)
# _PIECE and _TITLE match within one line, from its start to its end; a line can only match
# if it holds one of these (篇/范文/第, or ends in a title word), so only such lines are tried.
_PIECE_HINT = re.compile(r"篇|范文|第")
_TITLE_HINT = re.compile(
    r"(?:讲话|发言|致辞|报告|主持词|稿|提纲|讲话稿|发言稿|工作要点|实施意见|实施方案|工作方案|工作计划|任务分解|表|方案|"
    r"责任分工方案|通知|意见|决定|办法|规划|会议纪要|纪要|督查通报|通报|任务清单|清单|台账)$", re.M)


def _line_matches(rx: re.Pattern, hint: re.Pattern, text: str) -> list:
    """The matches of rx.finditer(text) for a line-bound, ^…$-anchored multi-line rx:
    rx is tried at the start of each line where hint finds something."""
    out = []
    nxt = 0  # first position of the next line not tried yet
    for h in hint.finditer(text):
        if h.start() < nxt:
            continue
        line_start = text.rfind("\n", 0, h.start()) + 1
        if line_start < nxt:
            line_start = nxt
        m = rx.match(text, line_start)
        if m is not None:
            out.append(m)
        line_end = text.find("\n", h.start())
        if line_end < 0:
            break
        nxt = line_end + 1
    return out


_PLAN_TITLE = re.compile(r"要点|计划|方案|安排|任务|清单|台账|意见|规划")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d\d)\s*年")


_OPENING_DATE = re.compile(r"^((?:19|20)\d\d年\d{1,2}月\d{1,2}日)(?:上午|下午|晚上|晚|[,,])")
# 文号: 江南政办发〔2025〕11号 / 〔2026〕第6期
_DOC_NO_YEAR = re.compile(r"^[\u4e00-\u9fff]{0,12}[〔\[]\s*((?:19|20)\d\d)\s*[〕\]]\s*(?:第)?\s*\d{1,4}\s*[号期]")


@dataclass
class Document:
    text: str
    title: str | None = None
    speaker: str | None = None
    date: str | None = None
    year: int | None = None
    extra: dict = field(default_factory=dict)


def _cn_num(s: str) -> int:
    digits = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
    if all(c in digits for c in s):
        return int("".join(str(digits[c]) for c in s))
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + digits.get(s[1:], 0)
    if "十" in s:
        a, _, b = s.partition("十")
        return digits.get(a, 1) * 10 + (digits.get(b, 0) if b else 0)
    return 0


# A dated line with an issuer before the date or an act after it:
# "中共XX市委办公室 2026年1月15日", "2026年1月15日印发", "(2026年1月15日市政府第5次常务会议通过)".
_DATE_DECOR = re.compile(
    r"^(?P<open>[(\[]?)\s*(?:(?P<by>[\u4e00-\u9fffA-Za-z()、]{2,30})\s+)?"
    r"(?P<date>(?:(?:19|20)\d\d|[〇零一二三四五六七八九○]{4})\s*年\s*[\d一二三四五六七八九十]{1,2}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日)"
    r"\s*(?P<act>[^\n()\[\]。]{0,30}?(?:印发|发布|通过|讲话|修订|施行|公布|下发|制定|审议通过))?\s*(?P<close>[)\]]?)$"
)
_ISSUER = re.compile(r"(?:委员会|办公室|办公厅|人民政府|政府|党委|党组|委|局|厅|办|部|中心|领导小组|指挥部|研究室)$")


def parse_date_line(line: str) -> str | None:
    if "年" not in line and "19" not in line and "20" not in line:
        return None  # every shape below holds 年 or a year 19xx/20xx
    line = line.strip()
    m = _DATE_DECOR.match(line)
    if m and (m["by"] or m["act"]) and bool(m["open"]) == bool(m["close"]) \
            and (not m["by"] or _ISSUER.search(m["by"])):
        line = m["date"]
    m = _DATE_LINE.match(line)
    if m:
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"] or 0)
    else:
        m = _CN_DATE_LINE.match(line)
        if not m:
            return None
        y, mo, d = _cn_num(m["y"]), _cn_num(m["m"]), _cn_num(m["d"] or "")
    if not 1 <= mo <= 12 or not 0 <= d <= 31:
        return None
    if d == 0:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _meta(text: str, piece_title: str | None) -> Document:
    lines = text.split("\n")
    doc = Document(text=text, title=piece_title)
    head = lines[:6]
    tail = lines[-4:]
    for i, line in enumerate(head):
        s = line.strip()
        if not s:
            continue
        if doc.title is None and i <= 2 and len(s) <= 60 and _TITLE.match(s):
            doc.title = s
            continue
        if doc.speaker is None and len(s) <= 40 and _SPEAKER.match(s) and "要" not in s:
            doc.speaker = re.sub(r"^[(]|[)]$", "", s).strip()
            continue
        if doc.date is None:
            d = parse_date_line(s)
            if d:
                doc.date = d
    if doc.date is None:
        # a signature/印发 date line between a notice and the plan it carries
        for s in lines[6:20]:
            d = parse_date_line(s.strip())
            if d:
                doc.date = d
                break
    if doc.date is None:
        for s in tail:
            d = parse_date_line(s.strip())
            if d:
                doc.date = d
    if doc.date is None:
        # minutes open with the meeting's date: "2026年4月8日,县长主持召开…"
        for s in lines[:4]:
            m = _OPENING_DATE.match(s.strip())
            if m:
                doc.date = parse_date_line(m.group(1))
                if doc.date:
                    break
    doc_no_year = None
    for s in lines[:8]:
        m = _DOC_NO_YEAR.search(s)
        if m:
            doc_no_year = int(m.group(1))
            break
    title_year = None
    if doc.title:
        m = _YEAR_IN_TITLE.search(doc.title)
        if m:
            title_year = int(m.group(1))
    if doc.date:
        doc.year = int(doc.date[:4])
        # a plan for next year issued late in the year before: its deadlines fall in the plan's year
        if title_year == doc.year + 1 and _PLAN_TITLE.search(doc.title):
            doc.year = title_year
    else:
        doc.year = title_year or doc_no_year
    if doc.title:
        doc.title = re.sub(r"\s+篇\s*[0-9一二三四五六七八九十]+$", "", doc.title)
    return doc


def split_documents(text: str) -> list[Document]:
    """Split cleaned text into documents; a plain speech gives one document."""
    pieces = _line_matches(_PIECE, _PIECE_HINT, text)
    if len(pieces) >= 2 or (len(pieces) == 1 and pieces[0].start() < 400):
        docs = []
        for i, m in enumerate(pieces):
            end = pieces[i + 1].start() if i + 1 < len(pieces) else len(text)
            body = text[m.end():end].strip("\n")
            if not body.strip():
                continue
            title = (m.group("title") or m.group("title2") or m.group("title3") or m.group("title4")
                     or "").strip() or None
            if title is None:
                first = body.lstrip("\n").split("\n", 1)[0].strip()
                if _TITLE_LIKE.fullmatch(first) and marker_of(first) is None and not _SPEAKER.match(first) \
                        and parse_date_line(first) is None:
                    title = first
            docs.append(_meta(body, title))
        if docs:
            # speeches or plans pasted before the first numbered piece are kept, not
            # dropped; only a bare header (the compilation's own title) is left out
            pre = text[: pieces[0].start()].strip("\n")
            if pre.strip() and not _header_only(pre):
                docs = _split_titles(pre) + docs
            return docs
    return _split_titles(text)


def _header_only(text: str) -> bool:
    """True if the text is only short title lines (关于…讲话稿精选3篇), no sentences."""
    lines = [x.strip() for x in text.split("\n") if x.strip()]
    return len(lines) <= 2 and all(_TITLE_LIKE.fullmatch(x) for x in lines)


def _split_titles(text: str) -> list[Document]:
    """Split on repeated title lines (several speeches pasted one after another)."""
    titles = [m for m in _line_matches(_TITLE, _TITLE_HINT, text) if len(m.group()) <= 50]
    if len(titles) >= 2:
        starts = []
        last = -10**9
        for m in titles:
            # a new document needs substantial text since the previous title
            if m.start() - last >= 300 or not starts:
                starts.append(m.start())
                last = m.start()
        if len(starts) >= 2:
            bounds = starts + [len(text)]
            docs = []
            pre = text[: starts[0]].strip("\n")
            for a, b in zip(bounds, bounds[1:]):
                body = text[a:b].strip("\n")
                if body:
                    docs.append(_meta(body, None))
            if pre and len(pre) >= 200:
                docs.insert(0, _meta(pre, None))
            elif pre and docs:
                docs[0] = _meta(pre + "\n" + docs[0].text, None)
            return docs
    return [_meta(text, None)]
