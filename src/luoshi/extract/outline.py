"""Sentences and the numbering outline of Chinese official writing (层次序号).

Levels are relative to the document: the first marker style met is level 1,
a style first met below it is level 2, and so on (a stack, as in 公文 usage:
一、 (一) 1. (1) ①, or speech style 第一, 一是, 一要, 首先/其次).

Besides markers at the start of a paragraph: enumeration markers inside a
paragraph or after a colon ("…。二是…", "…要求:第一,…"), unnumbered heading
lines ("明确目标,突出重点,深入实施…战略") and, when a document does it at
least three times, paragraphs opened by a short exhortation ("要扎根人民。…").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends in 。！？!?；; (plus closing quotes) or a line break.
# Parenthesised notes are atomic, and a trailing (牵头单位:…) note belongs to its sentence.
_SENT = re.compile(
    # (runs of ordinary characters are taken whole: the same matches, far fewer steps)
    r"(?:[^。!?;\n(]+|\([^()\n]{0,300}\)|\()+(?:[。!?;]+[”’\"』」)]*)?"
    r"(?:[ ]*\((?:牵头|责任|主办|承办|配合|协办|主责|完成时限|时限|(?=[^()\n]{2,40}(?:牵头|负责|配合)[,)]))[^()\n]{0,300}\)[。;]?)?"
    r"|[。!?;]+[”’\"』」)]*"
)

_N = "一二三四五六七八九十"
_MARKERS = [
    ("cn", re.compile(rf"^([{_N}]{{1,3}})\s*[、.]")),
    ("pcn", re.compile(rf"^[(]\s*([{_N}]{{1,3}})\s*[)]")),
    ("num", re.compile(r"^(\d{1,2})\s*(?:[、.](?!\d)|\s)")),
    ("pnum", re.compile(r"^[(]\s*(\d{1,2})\s*[)]")),
    ("circ", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    ("di", re.compile(rf"^第([{_N}]{{1,3}})(?:[,、:]|是|(?=要|个方面|条|部分))")),
    ("shi", re.compile(rf"^([{_N}]{{1,2}})是(?!否)")),
    ("yao", re.compile(rf"^([{_N}]{{1,2}})要(?![求素点闻件])")),
    ("seq", re.compile(r"^(首先|其次|再次|最后|另外)(?=[,:])")),
    ("zhang", re.compile(rf"^第([{_N}\d]{{1,3}})(章|部分|节)")),
]
_ANY_MARKER = re.compile(
    rf"^(?:[{_N}]{{1,3}}\s*[、.]|[(]\s*[{_N}\d]{{1,3}}\s*[)]|\d{{1,2}}\s*(?:[、.](?!\d)|\s)|[①-⑳]|"
    rf"第[{_N}]{{1,3}}(?:[,、:]|是|(?=要|个方面|条|部分))|[{_N}]{{1,2}}是(?!否)|[{_N}]{{1,2}}要(?![求素点闻件])|(?:首先|其次|再次|最后)(?=[,:])|第[{_N}\d]{{1,3}}(?:章|部分|节))"
)
# Title of a heading: up to the first sentence end or a run of spaces (run-in heading).
_TITLE_END = re.compile(r"[。!?;]|\s{2,}|(?<=[\u4e00-\u9fff”])\s(?=[\u4e00-\u9fff“])")


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    para_start: bool  # first sentence of a line/paragraph
    heading: int | None = None  # outline level if this sentence opens a heading
    marker: str | None = None
    title: str | None = None
    section: tuple = ()


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    prev_end = 0
    for m in _SENT.finditer(text):
        s, e = m.span()
        raw = m.group()
        # trim surrounding spaces but keep offsets exact
        ls = len(raw) - len(raw.lstrip())
        rs = len(raw.rstrip())
        if rs <= ls:
            continue
        para = s == 0 or text[s - 1] == "\n" or (prev_end < s and "\n" in text[prev_end:s])
        out.append(Sentence(s + ls, s + rs, raw[ls:rs], para))
        prev_end = e
    return out


# Same-length normalisation for offsets into raw text: full-width ！？；（）：， and
# the ideographic space become their half-width forms, \r a line break, zero-width
# characters a space (so every index still points at the same character).
_SPAN_TABLE = str.maketrans({**{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},
                             "\u3000": " ", "\xa0": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n",
                             "\u200b": " ", "\ufeff": " ", "\u200c": " ", "\u200d": " "})


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets into ``text`` of its sentences (annotation.md rule).

    A sentence ends in 。！？!?；; (closing quotes stay with it) or a line break;
    surrounding spaces are not part of it, and a trailing (牵头单位:…) note
    belongs to the sentence before it, as in the extractor's tasks. Works on
    raw or cleaned text; offsets always index the string passed in."""
    if not text:
        return []
    norm = text.translate(_SPAN_TABLE)
    return [(s.start, s.end) for s in split_sentences(norm)]


def marker_of(sentence: str):
    """Return (style, marker text) if the sentence opens with an outline marker."""
    if not _ANY_MARKER.match(sentence):
        return None
    for style, rx in _MARKERS:
        m = rx.match(sentence)
        if m:
            return style, m.group(0)
    return None


_MARKER_NUMBER = re.compile(r"[一二三四五六七八九十]+|\d+")
_SEQ_NUMBER = {"首先": 1, "其次": 2, "再次": 3}
_CN_VALUE = {c: i + 1 for i, c in enumerate(_N)}


def marker_number(sentence: str):
    """(style, number) of the outline marker opening the sentence (一是 → ("shi", 1),
    (三) → ("pcn", 3), 4. → ("num", 4), ② → ("circ", 2), 其次 → ("seq", 2)); the number is
    None where the marker has none (最后, 另外); None without a marker."""
    mk = marker_of(sentence)
    if mk is None:
        return None
    style, marker = mk
    if style == "seq":
        return style, _SEQ_NUMBER.get(marker[:2])
    if style == "circ":
        return style, ord(marker[0]) - ord("①") + 1
    m = _MARKER_NUMBER.search(marker)
    if m is None:
        return style, None
    v = m.group()
    if v.isdigit():
        return style, int(v)
    if len(v) == 1:
        return style, _CN_VALUE[v]
    if v[0] == "十":  # 十一 … 十九
        return style, 10 + _CN_VALUE.get(v[1:], 0)
    tens, _, ones = v.partition("十")  # 二十, 二十三
    return style, _CN_VALUE.get(tens, 0) * 10 + (_CN_VALUE.get(ones, 0) if ones else 0)


# 公文 层次序号: 第一章 > 一、 > (一) > 1. > (1) > ①; a deeper style of this order under a
# heading is its sub-item even when it is the only one.
_STYLE_RANK = {"zhang": 0, "cn": 1, "pcn": 2, "num": 3, "pnum": 4, "circ": 5}


def opens_sub_items(parent: str, first_child: str, more_of_style: bool) -> bool:
    """Whether a heading whose next, deeper heading is first_child has sub-items (a chapter),
    or whether that line is the next item of a list pasted with mixed numbering (一是…,
    (三)…, 4.…, 第一,…: each new style is a deeper outline level). Sub-items open at the
    first number (一/(一)/1./①/第一/首先) and follow the 公文 order of styles (一、 → (一) →
    1. → (1) → ①), or go on as a list or have sentences under them (more_of_style)."""
    first = marker_number(first_child)
    if first is None or first[1] is None:
        return True  # unnumbered or run-in: a sub-heading
    if first[1] != 1:
        return False
    top = marker_number(parent)
    if top is None or (top[0] in _STYLE_RANK and first[0] in _STYLE_RANK
                       and _STYLE_RANK[first[0]] > _STYLE_RANK[top[0]]):
        return True
    return more_of_style


def heading_title(sentence: str, marker: str) -> str:
    rest = sentence[len(marker):].lstrip(" ,、:")
    m = _TITLE_END.search(rest)
    title = rest[: m.start()] if m else rest
    return title.strip()[:80]


# Enumeration styles that also open a heading inside a paragraph ("…。二是…",
# "…如下要求:第一,…"); 一、/首先 mid-paragraph are too often plain prose.
_RUN_IN = {"pcn", "num", "pnum", "circ", "di", "shi", "yao"}
# An unnumbered heading line: short, no final punctuation, two or more
# comma-separated imperative phrases ("明确目标,突出重点,深入实施…战略").
_LINE_HEADING = re.compile(r"[\u4e00-\u9fff“”《》、]{2,16}(?:,[\u4e00-\u9fff“”《》、]{2,20}){1,3}")
_LINE_VERB = re.compile(
    r"(?:明确|突出|加强|强化|深化|深入|坚持|围绕|推进|推动|加快|健全|完善|建立|提高|提升|狠抓|抓好|做好|落实|"
    r"统一|凝聚|创新|优化|规范|夯实|筑牢|聚焦|打造|构建|实施|开展|严格|全面|扎实|切实|着力|努力|大力|积极|认真|"
    r"充分|准确|科学|正视|总结|改进|转变|营造|拓展|完善|发挥|注重|把握|树立|增强|严明|强化)"
)


def _line_heading(s: Sentence, text: str) -> bool:
    if not s.para_start or s.end < len(text) and text[s.end] != "\n":
        return False
    t = s.text
    return (8 <= len(t) <= 40 and _LINE_HEADING.fullmatch(t) is not None
            and _LINE_VERB.match(t) is not None)


def _run_in(s: Sentence):
    """(style, marker, title text) of a heading opening inside a paragraph, or None."""
    mk = marker_of(s.text)
    if mk and mk[0] in _RUN_IN:
        return mk[0], mk[1], s.text
    i = s.text.find(":")
    if 0 < i < len(s.text) - 2:
        rest = s.text[i + 1:].lstrip()
        mk = marker_of(rest)
        if mk and mk[0] in _RUN_IN:
            return mk[0], mk[1], rest
    return None


# Speeches often open paragraphs with a short exhortation that works as an
# unnumbered sub-heading ("要扎根人民、扎根生活。" + the paragraph's body).
_LEAD_SENT = re.compile(r"要[^,:;。!?]{2,14}。")
_MIN_LEADS = 3  # only when the document does it repeatedly


def _lead_headings(sentences: list[Sentence]) -> set[int]:
    idx = [i for i, s in enumerate(sentences[:-1])
           if s.para_start and not sentences[i + 1].para_start and _LEAD_SENT.fullmatch(s.text)]
    return set(idx) if len(idx) >= _MIN_LEADS else set()


def build_outline(sentences: list[Sentence], text: str | None = None) -> list[dict]:
    """Mark heading sentences with levels and give every sentence its section path.

    ``text`` (the document text the sentences come from) enables unnumbered
    heading lines."""
    stack: list[tuple[str, str]] = []  # (style, title)
    section: tuple = ()  # the titles on the stack, rebuilt only when the stack changes
    outline: list[dict] = []
    leads = _lead_headings(sentences)
    for i, s in enumerate(sentences):
        found = None
        if s.para_start:
            mk = marker_of(s.text)
            if mk:
                found = mk[0], mk[1], s.text
            elif text is not None and _line_heading(s, text):
                found = "line", "", s.text
            elif i in leads:
                found = "lead", "", s.text
        if found is None and (not s.para_start or ":" in s.text):
            found = _run_in(s)
        if found:
            style, marker, htext = found
            title = heading_title(htext, marker)
            styles = [st for st, _ in stack]
            if style in styles:
                del stack[styles.index(style):]
            stack.append((style, title))
            section = tuple(t for _, t in stack)
            s.heading = len(stack)
            s.marker = marker
            s.title = title
            outline.append({"level": s.heading, "marker": marker, "title": title})
        s.section = section
    return outline
