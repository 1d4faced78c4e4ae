"""Normalise punctuation and remove template-site boilerplate (清洗).

All rules are general patterns of scraped Chinese template/article sites
(范文站, 文库, news portals), applied as precompiled regexes over the whole
text so cleaning stays linear-time.
"""
from __future__ import annotations

import re

# Full-width ASCII punctuation, digits and letters -> half-width, except the
# Chinese marks that official texts keep (。、“”‘’《》〔〕【】…—).
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x200B: None, 0xFEFF: None, 0x200C: None, 0x200D: None,
               0x2028: 0x0A, 0x2029: 0x0A, 0x0D: None, 0xFE50: 0x2C, 0xFE51: 0x3001})
WIDTH_TABLE = str.maketrans(_WIDTH)


_WIDTH_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _WIDTH) + "]")


def normalize_width(text: str) -> str:
    """，：；（）！？ and full-width letters/digits -> half-width; 。、“” kept."""
    # str.translate walks every character through a dict; replacing only the
    # few distinct characters present is several times faster on CJK text.
    for ch in set(_WIDTH_CHARS.findall(text)):
        to = _WIDTH[ord(ch)]
        text = text.replace(ch, "" if to is None else chr(to))
    return text


# ------------------------------------------------------------------ inline residue
# Each pattern opens with a character class, so `re` skips ahead by first character.
_INLINE = re.compile(
    r"[(\[](?:"
    # (下转第19页) (上接第13页) (转第3版)
    r"\s*(?:下转|上接|转|接|续)(?:第)?\s*[\d一二三四五六七八九十]+\s*(?:页|版|面)\s*[)\]]"
    # (本文权属文秘之音所有,更多文章请登陆查看) / (来源:xx网) / (转载请注明出处)
    r"|[^()\[\]\n]{0,40}?(?:权属|版权|所有权|转载|更多(?:文章|内容|范文|精彩)|请登[陆录]|"
    r"本站|本网|小编|原文(?:链接|地址)|来源\s*[:])[^()\[\]\n]{0,60}[)\]])"
)
# scraper ids such as nlc202309090206 (letters + long digit run)
_SCRAPER_ID = re.compile(r"[a-z](?<![A-Za-z0-9][a-z])[a-z]{1,4}\d{9,14}(?![A-Za-z0-9])")

# ------------------------------------------------------------------ whole noise lines
_SITE = r"(?:本站|本网|我站|小编|网友|笔侠|文库|范文|文秘|VIP|扫码|二维码|www\.|https?:|\.com\b|客服)"
_NOISE_LINE = re.compile(
    r"^(?:"
    # 前言:本站为你精心整理了…  / 导读: 下面是小编…
    r"(?:前言|导读|导语|摘要|提示|温馨提示|声明)?\s*[:]?\s*[^\n]{0,30}" + _SITE + r"[^\n]*"
    r"(?:整理|提供|收集|推荐|分享|欢迎|参考|希望|下载|阅读|查看|登[陆录]|关注|咨询|复制|收藏|发布|转载)[^\n]*"
    r"|[^\n]*(?:下面是|以下是|下文是|这是)[^\n]{0,12}(?:小编|本站|我们|网友)[^\n]*"
    # navigation: 上一篇/下一篇, related lists, 返回首页, 打印本页 …
    r"|\s*(?:上一篇|下一篇|上一页|下一页|上一条|下一条|相关(?:文章|推荐|阅读|范文|内容)|热门(?:文章|推荐)|"
    r"猜你喜欢|推荐阅读|延伸阅读|返回(?:首页|列表|顶部)|打印本页|关闭窗口|【?打印】?|分享到|收藏本文|"
    r"责任编辑|编辑|作者|来源|稿源|发布(?:时间|日期|者)?|更新时间|浏览(?:次数)?|阅读(?:次数|量)|点击(?:数|量|次数)?|"
    r"字号|本文(?:地址|链接|网址)|标签|关键词|TAG)\s*[::][^\n]*"
    # breadcrumbs:  首页 > 范文 > 讲话稿   当前位置: …
    r"|\s*(?:当前位置|您的位置|你的位置|所在位置)\s*[:][^\n]*"
    r"|[^\n]{0,20}首页\s*(?:>|»|›|/|>|→)[^\n]*"
    r"|[^\n>»›]{0,30}(?:\s?[>»›]\s?[^\n>»›]{1,30}){2,}"
    # lone page numbers / page marks: 12   - 3 -   第3页   3/12   第 3 页 共 9 页
    r"|\s*(?:[-—]\s*)?\d{1,4}\s*(?:[-—]\s*)?"
    r"|\s*第\s*\d{1,4}\s*页(?:\s*[,/]?\s*共\s*\d{1,4}\s*页)?\s*"
    r"|\s*\d{1,4}\s*/\s*\d{1,4}\s*"
    # compilation headline: …(精选7篇) / …范文(通用5篇) / 共5篇
    r"|[^\n]{0,80}[(\[]\s*(?:精选|通用|优选|推荐|热门|最新|合集|汇编|集锦)?\s*[\d一二三四五六七八九十]+\s*篇\s*[)\]]\s*"
    r"|\s*(?:Copyright|版权所有|Powered by|ICP备)[^\n]*"
    # publication marks: (此件公开发布) (此页无正文) 公开方式:主动公开
    r"|\s*[(\[【]?\s*(?:此件|本件)(?:公开发布|主动公开|依申请公开|不予公开|不公开|发至[^\n]{0,12})\s*[)\]】]?\s*"
    r"|\s*[(\[【]?\s*此页无正文\s*[)\]】]?\s*"
    r"|\s*[(\[【]?\s*(?:信息)?公开(?:方式|属性|选项|类型)\s*[:]\s*[^\n]{0,12}[)\]】]?\s*"
    # page metadata / law-database headers: 索引号: 主题分类: 发文机关: 成文日期: 【效力级别】…
    r"|\s*[【\[]?\s*(?:索引号|主题分类|主题词|发文机关|发布机关|发布部门|发文字号|成文日期|发布日期|公布日期|实施日期|"
    r"施行日期|效力级别|时效性|有效性|法规类别|信息分类|内容分类|体裁分类|组配分类|服务对象|文号|所属机构|信息来源)"
    r"\s*(?:[】\]]\s*:?|:)[^\n]{0,80}"
    # captions of photos: 图为… / 图1:… / ▲…
    r"|\s*(?:图为|图片|图\s*[\d一二三四五六七八九十]+\s*[:]|▲|△)[^\n。]{0,60}[。]?"
    r")$",
    re.M,
)
# Every noise line is short or holds one of these; only such lines are tested
# against _NOISE_LINE (line by line, so the pattern never runs over prose).
# (Written as one flat alternation whose every branch opens on a literal character, so
# `re` scans for the first characters in C instead of trying each branch at every position.)
_NOISE_TRIGGER = re.compile(
    _SITE[3:-1] + r"|下面是|以下是|下文是|这是|:|首页|>|»|›|/|页|篇|Copyright|版权所有|Powered by|ICP备|此件|本件|公开|【|图为|▲"
)
_SHORT_LINE = 30


def _drop_noise_lines(text: str) -> str:
    lines = text.split("\n")
    full = _NOISE_LINE.fullmatch
    trig = _NOISE_TRIGGER.search
    keep = [l for l in lines if not ((len(l) <= _SHORT_LINE or trig(l)) and full(l))]
    return "\n".join(keep) if len(keep) != len(lines) else text


# Sentences inside lines that are site teasers (下面是小编为大家整理的…).
_TEASER_WORD = re.compile(r"小编|本站|本网站")
_SENT_END = re.compile(r"[。!?\n]")


def _drop_teasers(text: str) -> str:
    # Expand each hit to its sentence with find/rfind: linear, no backtracking.
    parts: list[str] = []
    pos = 0
    for m in _TEASER_WORD.finditer(text):
        if m.start() < pos:
            continue
        start = max(text.rfind(c, pos, m.start()) for c in "。!?\n") + 1
        start = max(start, pos)
        e = _SENT_END.search(text, m.end())
        end = len(text) if e is None else (e.end() if e.group() != "\n" else e.start())
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)

_TERMINAL = "。!?;:”’》)…"
_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.]|[(][一二三四五六七八九十\d]+[)]|\d{1,2}[.、](?!\d)|[①-⑳]|"
    r"第[一二三四五六七八九十]+[,、:是条章节部分]|[一二三四五六七八九十]是|首先|其次|再次|最后|附件|附:)"
)
_MULTI_BLANK = re.compile(r"\n\n+")  # (opens on a literal: `re` scans for it in C)


def clean_lines(text: str) -> str:
    """Remove residue and boilerplate lines; keep one paragraph per line."""
    text = normalize_width(text)
    if "(" in text or "[" in text:
        text = _INLINE.sub("", text)
    text = _SCRAPER_ID.sub("", text)
    text = "\n".join(line.strip(" \t\f\v") for line in text.split("\n"))
    text = _drop_noise_lines(text)
    if "小编" in text or "本站" in text or "本网站" in text:  # _TEASER_WORD, by substring search
        text = _drop_teasers(text)
    text = _MULTI_BLANK.sub("\n", text)
    return text.strip("\n")


# A title line (…的通知, …实施方案, …会议纪要) or a 文号 (江南政办发〔2025〕11号) ends a line even
# without punctuation; a 文号 line is never the rest of the line above it.
_TITLE_END = re.compile(r"(?:通知|方案|要点|纪要|通报|意见|决定|办法|细则|规划|计划|报告|讲话|发言|清单|〔\d{4}〕\s*\d{1,4}号|\d{4}\]\s*\d{1,4}号)$")
_DOC_NO_START = re.compile(r"^[\u4e00-\u9fff]{0,12}[〔\[]\s*(?:19|20)\d\d\s*[〕\]]\s*(?:第)?\s*\d{1,4}\s*[号期]")


# The heading of the next piece of a compilation ("…讲话 篇2", "【篇3】", "第4篇:…"): a
# piece that ends mid-word must not swallow it.
_PIECE_LINE = re.compile(r"(?:^|[ \t])[【\[(]?篇\s*[0-9一二三四五六七八九十]{1,3}\s*[】\])]?\s*:?|^[【\[]?(?:第|范文)\s*[0-9一二三四五六七八九十]{1,3}\s*篇?[】\]]")


def _wrap_width(lines: list[str]) -> int:
    """Typical width of hard-wrapped lines (PDF/email); 0 if the text is not wrapped."""
    lens = sorted(len(l) for l in lines if len(l) >= 15)
    if len(lens) < 8:
        return 0
    hi = lens[int(len(lens) * 0.9)]
    near = sum(1 for n in lens if n >= hi * 0.9)
    # wrapped text: a large share of lines has (nearly) the same maximal width
    return hi if near >= len(lens) * 0.4 and hi <= 120 else 0


_TAIL = 64  # _TITLE_END is anchored at the end and matches at most ~20 characters: look only there
# (searching the whole growing line made rejoining many unpunctuated lines quadratic)


def rejoin(text: str) -> str:
    """Rejoin lines broken mid-sentence (没有真正认\\n识到). Linear in the text: the line being built
    is kept as parts, with its length and its last _TAIL characters."""
    lines = text.split("\n")
    if len(lines) < 2:
        return text
    width = _wrap_width(lines)
    out: list[str] = []
    parts, n, tail = [lines[0]], len(lines[0]), lines[0][-_TAIL:]
    for nxt in lines[1:]:
        if not nxt:
            continue
        last = tail[-1:]
        join = False
        if n and last not in _TERMINAL and not _HEADING_START.match(nxt) and not _TITLE_END.search(tail) \
                and not _DOC_NO_START.match(nxt) and not _PIECE_LINE.search(nxt):
            if width and n >= width * 0.85:
                join = True
            elif n >= 40 and not _HEADING_START.match(parts[0] if len(parts[0]) >= 16 else "".join(parts)[:16]):
                join = True
            elif n >= 40 and last not in "0123456789" and len(nxt) >= 2 and _starts_lower(nxt):
                join = True
        if join:
            parts.append(nxt)
            n += len(nxt)
            tail = (tail + nxt)[-_TAIL:]
        else:
            out.append("".join(parts))
            parts, n, tail = [nxt], len(nxt), nxt[-_TAIL:]
    out.append("".join(parts))
    return "\n".join(out)


_CONT = re.compile(r"^[的地得了着过和与及或并而但之其所于以为在是就也都还要又]")


def _starts_lower(s: str) -> bool:
    return bool(_CONT.match(s))


def clean(text: str) -> str:
    return rejoin(clean_lines(text))
