"""Sentences and the numbering outline of Chinese official writing (层次序号).

Levels are relative to the document: the first marker style met is level 1,
a style first met below it is level 2, and so on (a stack, as in 公文 usage:
一、 (一) 1. (1) ①, or speech style 第一, 一是, 首先/其次).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends in 。！？!?；; (plus closing quotes) or a line break.
# Parenthesised notes are atomic, and a trailing (牵头单位:…) note belongs to its sentence.
_SENT = re.compile(
    r"(?:\([^()\n]{0,300}\)|[^。!?;\n(]|\()+(?:[。!?;]+[”’\"』」)]*)?"
    r"(?:[ ]*\((?:牵头|责任|主办|承办|配合|协办|主责|完成时限|时限)[^()\n]{0,300}\)[。;]?)?"
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
    ("seq", re.compile(r"^(首先|其次|再次|最后|另外)(?=[,:])")),
    ("zhang", re.compile(rf"^第([{_N}\d]{{1,3}})(章|部分|节)")),
]
_ANY_MARKER = re.compile(
    rf"^(?:[{_N}]{{1,3}}\s*[、.]|[(]\s*[{_N}\d]{{1,3}}\s*[)]|\d{{1,2}}\s*(?:[、.](?!\d)|\s)|[①-⑳]|"
    rf"第[{_N}]{{1,3}}(?:[,、:]|是|(?=要|个方面|条|部分))|[{_N}]{{1,2}}是(?!否)|(?:首先|其次|再次|最后)(?=[,:])|第[{_N}\d]{{1,3}}(?:章|部分|节))"
)
# Title of a heading: up to the first sentence end or a run of spaces (run-in heading).
_TITLE_END = re.compile(r"[。!?;]|\s{2,}|(?<=[\u4e00-\u9fff”])\s(?=[\u4e00-\u9fff“])")


@dataclass
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


def marker_of(sentence: str):
    """Return (style, marker text) if the sentence opens with an outline marker."""
    if not _ANY_MARKER.match(sentence):
        return None
    for style, rx in _MARKERS:
        m = rx.match(sentence)
        if m:
            return style, m.group(0)
    return None


def heading_title(sentence: str, marker: str) -> str:
    rest = sentence[len(marker):].lstrip(" ,、:")
    m = _TITLE_END.search(rest)
    title = rest[: m.start()] if m else rest
    return title.strip()[:80]


def build_outline(sentences: list[Sentence]) -> list[dict]:
    """Mark heading sentences with levels and give every sentence its section path."""
    stack: list[tuple[str, str]] = []  # (style, title)
    outline: list[dict] = []
    for s in sentences:
        if s.para_start:
            mk = marker_of(s.text)
            if mk:
                style, marker = mk
                if style == "seq" and not stack:
                    # 首先/其次 only counts under an existing outline or as top level
                    pass
                title = heading_title(s.text, marker)
                styles = [st for st, _ in stack]
                if style in styles:
                    del stack[styles.index(style):]
                stack.append((style, title))
                s.heading = len(stack)
                s.marker = marker
                s.title = title
                outline.append({"level": s.heading, "marker": marker, "title": title})
        s.section = tuple(t for _, t in stack)
    return outline
