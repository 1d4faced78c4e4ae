"""ingest -> clean -> split -> outline -> tasks; returns the luoshi.extract/1 dict."""
from __future__ import annotations

import gc
import re

from .classify import _IMPERATIVE, hard_action, label_sentence, strip_marker
from .clean import clean
from .ingest import text_tables
from .deadlines import find_deadline
from .outline import build_outline, marker_number, opens_sub_items, split_sentences
from .split import Document, parse_date_line, split_documents
from .targets import find_targets
from .units import clear_caches, find_units, is_label_line, leads_with_unit, split_roles

SCHEMA = "luoshi.extract/1"

# Work plans (工作要点, 实施意见, 任务分解) are written as bare imperatives.
_SPEECH_MARK = re.compile(r"同志们|我们|大家|我讲|我想|讲几点|谢谢")
_MAX_TASK_CHARS = 2000


_PAGE_DATE = re.compile(
    r"(?:发布|发文|成文|印发)(?:时间|日期)\s*[:：]\s*((?:19|20)\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")


def page_date(raw: str) -> str | None:
    """The date of a web page's 发布时间/发布日期 line (ISO), or None."""
    m = _PAGE_DATE.search(raw[:5000])
    if not m:
        return None
    y, mo, d = (int(x) for x in m.groups())
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def _planlike(text: str) -> bool:
    n = len(text)
    if n == 0:
        return False
    speech = len(_SPEECH_MARK.findall(text[:200000]))
    return speech * 1500 < min(n, 200000)


def _container_headings(sentences) -> set[int]:
    """Starts of top-level headings that have numbered sub-headings under them (not the next
    lines of a list pasted with mixed numbering, see outline.opens_sub_items)."""
    out: set[int] = set()
    tops = [i for i, s in enumerate(sentences) if s.heading == 1] + [len(sentences)]
    for a, b in zip(tops, tops[1:]):
        child = next((k for k in range(a + 1, b) if sentences[k].heading is not None), None)
        if child is None:
            continue
        first = marker_number(sentences[child].text)
        more = False
        for t in sentences[child + 1:b]:
            if t.heading is None or t.heading > sentences[child].heading:
                more = True  # the sub-heading has text of its own
                break
            if t.heading == sentences[child].heading and first is not None:
                mk = marker_number(t.text)
                if mk is not None and mk[0] == first[0]:
                    more = True
                    break
        if opens_sub_items(sentences[a].text, sentences[child].text, more):
            out.add(sentences[a].start)
    return out


def _attach_labels(task: dict, line: str, year, month, date=None) -> None:
    """Give a task the units/deadline of a label line under it (where it has none)."""
    lead, co = split_roles(find_units(line))
    if lead and not task["lead_units"]:
        task["lead_units"] = lead
    for name in co:
        if name not in task["co_units"] and name not in task["lead_units"]:
            task["co_units"].append(name)
    if task["deadline"] is None:
        task["deadline"] = find_deadline(line, year, month, date)


# Sections that report what was done or found (督查通报: 好做法, 存在的问题): their
# sentences are narrative unless they themselves require something.
_NARRATIVE_SECTION = re.compile(
    r"做法|成效|成绩|经验|亮点|总体情况|基本情况|进展情况|完成情况|工作回顾|存在的(?:主要)?问题|主要问题|问题和不足|不足之处|薄弱环节"
)
_MODAL = re.compile(r"要(?![求点素])|必须|务必|须|应当|应(?![用对])|确保|力争|不得|严禁|请")
# Lines above the body of an official document: 文号, addressee, date, title lines.
_DOC_NO = re.compile(r"^[^\n。]{0,20}[〔\[(]\s*(?:19|20)\d\d\s*[〕\])]\s*(?:第)?\s*\d{1,4}\s*(?:号|期)$")
_TITLE_WORDS = ("纪要", "通报", "通知", "要点", "方案", "意见", "计划", "规划", "办法", "细则", "清单", "报告", "决定", "讲话",
                "发言", "致辞", "安排", "任务分解", "任务分解表")
_TITLE_LINE = re.compile(
    r"^[^。!?;,]{4,80}(?:纪要|通报|通知|要点|方案|意见|计划|规划|办法|细则|清单|报告|决定|讲话|发言|致辞|安排|任务分解表?)$"
)


def _title_line(text: str) -> bool:
    return text.endswith(_TITLE_WORDS) and _TITLE_LINE.match(text) is not None


def _doc_no(text: str) -> bool:
    return ("〔" in text or "[" in text or "(" in text) and _DOC_NO.match(text) is not None
# "由A牵头,B配合。" / "A牵头,B、C按职责分工负责": a line that only names who does the item above
_ROLE_ONLY_REST = re.compile(r"^[由和与及、,;:。()\s等]*(?:(?:牵头|负责|主责|配合|协助|协办|参与|按职责分工负责|共同负责|分工负责|具体负责|落实)[由和与及、,;:。()\s等]*)+$")
_GROUP_NOTE = re.compile(r"^\((?:牵头|责任|主责|主办|配合|协办)[^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)[。;]?$")


_TIME_COLUMN = re.compile(r"[(;]\s*(?:完成时限|完成时间|时限)\s*:\s*([^;()\n]{2,40})\)")


_ROLE_WORDS = re.compile(r"牵头|负责|配合|协助|协办|参与")
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")  # the forms units/deadlines/targets normalise


def _role_only(text: str, mentions) -> bool:
    if not mentions:
        return False
    rest = text
    for m in sorted(mentions, key=lambda m: -len(m.name)):
        rest = rest.replace(m.name, "")
    return _ROLE_ONLY_REST.match(rest) is not None


_YEAR_OPEN = re.compile(r"^((?:19|20)\d\d)年(?:以来|来|上半年|前三季度|全年)?[,,]")


def _past_year_opening(body: str, year) -> bool:
    """"2025年,全县新建…" in a 2026 plan: what was done last year."""
    m = _YEAR_OPEN.match(body)
    return bool(m and year and int(m.group(1)) < year)


def _narrative_section(section, _memo: dict = {}) -> bool:
    # consecutive sentences share their section: the answer is kept per section (bounded)
    try:
        return _memo[section]
    except KeyError:
        pass
    except TypeError:  # pragma: no cover - sections are tuples of strings
        return any(_NARRATIVE_SECTION.search(t or "") for t in section)
    if len(_memo) > 4096:
        _memo.clear()
    got = _memo[section] = any(_NARRATIVE_SECTION.search(t or "") for t in section)
    return got


def _give_units(task: dict, line: str, year, month, date, override: bool = False) -> bool:
    """Give a task the units (and deadline) of a role line; True if any unit was found."""
    lead, co = split_roles(find_units(line))
    if task["deadline"] is None:
        task["deadline"] = find_deadline(line, year, month, date)
    if not lead and not co:
        return False
    if override or not task["lead_units"]:
        if lead:
            task["lead_units"] = list(lead)
    for name in co:
        if name not in task["co_units"] and name not in task["lead_units"]:
            task["co_units"].append(name)
    return True


def _extend(task: dict, text: str, end: int) -> None:
    task["text"] = text[task["start"]:end]
    task["end"] = end


def _adjacent(text: str, task: dict | None, start: int) -> bool:
    return task is not None and not text[task["end"]:start].strip()


def extract_document(doc: Document, index: int) -> dict:
    text = doc.text
    sentences = split_sentences(text)
    outline = build_outline(sentences, text)
    plan = _planlike(text)
    # the cleaner writes full-width punctuation half-width: when the document holds none, the
    # per-sentence parsers need not look for it again
    narrow = _FULL_WIDTH.search(text) is None
    year = doc.year
    # the month of the document's date, for 本月底前 (not when the plan's year is another)
    month = int(doc.date[5:7]) if doc.date and int(doc.date[:4]) == year else None
    tasks = []
    first_line = text.split("\n", 1)[0].strip()
    containers = _container_headings(sentences) if not plan else set()
    owner = None  # the task that label lines below it belong to
    group: list[dict] = []  # items without units since the last note/heading (a group note closes them)
    head_zone = True  # before the first sentence of the body (title, 文号, addressee, date lines)
    for s in sentences:
        if len(s.text) > _MAX_TASK_CHARS:
            owner = None
            continue
        line_alone = s.para_start and (s.end >= len(text) or text[s.end] == "\n")
        if line_alone and (_doc_no(s.text) or parse_date_line(s.text) or (
                s.heading is None and _title_line(s.text)
                and (head_zone or s.text == doc.title or not (_MODAL.search(s.text) or _IMPERATIVE.match(s.text))))):
            continue  # the title of the document (or of the plan a notice carries), its 文号
        if s.start == 0 and doc.title and s.text == first_line and s.text == doc.title:
            continue  # the document title is not a task
        if is_label_line(s.text) or (line_alone and _GROUP_NOTE.match(s.text)):
            # "牵头单位:A" / "配合单位:B" / "完成时限:C" lines under a task item, or a
            # "(责任单位:…)" note closing a group of items
            if owner is not None:
                if _GROUP_NOTE.match(s.text) and group:
                    for t in group:
                        _give_units(t, s.text, year, month, doc.date)
                else:
                    _give_units(owner, s.text, year, month, doc.date)
                if _adjacent(text, owner, s.start):
                    _extend(owner, text, s.end)
                group = []
            continue
        stripped = strip_marker(s.text)  # (s.text has no surrounding blanks)
        body = stripped[0]
        mentions = None
        if owner is not None and s.heading is None and line_alone and _ROLE_WORDS.search(body) \
                and _adjacent(text, owner, s.start):
            mentions = find_units(body, narrow=narrow)
            if _role_only(body, mentions):
                _give_units(owner, body, year, month, doc.date, override=not owner["lead_units"])
                _extend(owner, text, s.end)
                group = []
                continue
        found: dict = {}

        def deadline_of(body=body, found=found):
            if "d" not in found:
                d = None
                cm = _TIME_COLUMN.search(body)
                if cm:  # a task table's 完成时限 column bounds the task
                    d = find_deadline(cm.group(1), year, month, doc.date, narrow=narrow)
                found["d"] = d if d is not None else find_deadline(body, year, month, doc.date, narrow=narrow)
            return found["d"]

        def targets_of(body=body, found=found):
            if "t" not in found:
                found["t"] = find_targets(body, narrow=narrow)
            return found["t"]

        narrative = (_narrative_section(s.section) or _past_year_opening(body, year)) and not _MODAL.search(body)
        if narrative:
            kind = "none"
        else:
            kind = label_sentence(s.text, heading=s.heading is not None, planlike=plan, subject_unit=leads_with_unit,
                                  stripped=stripped,
                                  timed=lambda: deadline_of() is not None, counted=lambda: bool(targets_of()))
        if s.heading is not None:
            head_zone = False
        if kind == "none":
            if not line_alone or s.heading is not None:
                owner = None
            if s.heading is not None:
                group = []
            continue
        head_zone = False
        if kind == "action" and s.start in containers and not hard_action(s.text):
            kind = "principle"  # a top-level theme over numbered work items
        lead, co = split_roles(mentions if mentions is not None else find_units(body, narrow=narrow))
        deadline, targets = deadline_of(), targets_of()
        task = {
            "id": f"d{index}-t{len(tasks) + 1}",
            "text": s.text,
            "kind": kind,
            "section": list(s.section),
            "lead_units": lead,
            "co_units": co,
            "deadline": deadline,
            "targets": targets,
            "start": s.start,
            "end": s.end,
        }
        if s.heading is not None:
            task["heading"] = s.heading
            group = [task] if s.heading == (group[0].get("heading") if group else None) and False else group
        tasks.append(task)
        if s.para_start:
            if s.heading is not None and group and group[-1].get("heading") != s.heading:
                group = []
            if lead or co:
                group = []
            else:
                group.append(task)
        owner = task
    return {
        "title": doc.title,
        "speaker": doc.speaker,
        "date": doc.date,
        "text": text,
        "outline": outline,
        "tasks": tasks,
    }


# Characters that exist only in traditional writing (這, 會, 區, 縣, 發, 關 …): a copy
# in traditional characters is read through OpenCC's t2s conversion.
_TRADITIONAL = re.compile("[這會們來說國時為對經與發區縣機關學進現當條辦員務應證報類點實總長開門問題間體項設議變讓級義際並將從傳單屬與導"
                          "團圍園場壓處備複製規範衛農醫療稅財貿"
                          "勞動環護鎮達歲數據網絡視聽圖書廣電遊戲]")


def _traditional(text: str) -> bool:
    sample = text[:20000]
    return len(_TRADITIONAL.findall(sample)) >= max(3, len(sample) // 400)


_T2S = None


def _t2s(text: str) -> str | None:
    """Simplified-character copy of the same length, or None (OpenCC missing / lengths differ)."""
    global _T2S
    if _T2S is None:
        try:
            import opencc

            _T2S = opencc.OpenCC("t2s").convert
        except Exception:  # pragma: no cover - a declared dependency
            _T2S = False
    if not _T2S:
        return None
    out = _T2S(text)
    return out if len(out) == len(text) else None


def _restore(value, conv: str, orig: str, lo: int = 0, hi: int | None = None):
    """The verbatim (traditional) form of a string found in the simplified copy (searched
    in conv[lo:hi], the task's own stretch, so restoring stays linear)."""
    if not isinstance(value, str) or not value:
        return value
    i = conv.find(value, lo, hi)
    return orig[i:i + len(value)] if i >= 0 else value


def _restore_doc(res: dict, conv: str, orig: str) -> dict:
    """Put the verbatim text back into a result computed on the simplified copy."""
    head = min(len(conv), 2000)
    for key in ("title", "speaker"):
        res[key] = _restore(res.get(key), conv, orig, 0, head)
    res["text"] = orig
    # outline entries come in text order: one forward scan restores them all
    titles: dict = {}
    pos = 0
    for o in res["outline"]:
        t = o["title"]
        i = conv.find(t, pos) if t else -1
        if i >= 0:
            o["title"] = titles[t] = orig[i:i + len(t)]
            pos = i + len(t)
    for t in res["tasks"]:
        a, b = t["start"], t["end"]
        t["text"] = orig[a:b]
        t["section"] = [titles.get(x, x) for x in t["section"]]
        t["lead_units"] = [_restore(x, conv, orig, a, b) for x in t["lead_units"]]
        t["co_units"] = [_restore(x, conv, orig, a, b) for x in t["co_units"]]
        if t["deadline"]:
            t["deadline"]["text"] = _restore(t["deadline"]["text"], conv, orig, a, b)
        for g in t["targets"]:
            g["text"] = _restore(g["text"], conv, orig, a, b)
            g["metric"] = _restore(g["metric"], conv, orig, a, b)
    return res


def _verbatim(res: dict, conv: str | None, orig: str) -> dict:
    if conv is None:
        return res
    i = conv.find(res["text"])
    if i < 0:  # pragma: no cover - documents are slices of the text
        return res
    return _restore_doc(res, res["text"], orig[i:i + len(res["text"])])


def extract_clean_text(text: str, source: str) -> dict:
    # The result is a large tree of small acyclic objects (dicts, lists, str);
    # the cyclic garbage collector would rescan it over and over while it grows,
    # which makes big inputs superlinear. Nothing here creates cycles, so the
    # collector is paused for the call and restored afterwards.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        clear_caches()  # memos live for one extraction (bounded, and no state between calls)
        cleaned = clean(text_tables(text))
        conv = _t2s(cleaned) if cleaned.strip() and _traditional(cleaned) else None
        docs = split_documents(conv if conv is not None else cleaned) if cleaned.strip() else []
        if len(docs) == 1 and docs[0].date is None:
            # a web page's 发布时间 line (removed as page chrome) dates a single document
            page = page_date(text)
            if page:
                docs[0].date = page
                if docs[0].year is None:
                    docs[0].year = int(page[:4])
        return {
            "schema": SCHEMA,
            "source": source,
            "documents": [_verbatim(extract_document(d, i + 1), conv, cleaned) for i, d in enumerate(docs)],
        }
    finally:
        if paused:
            gc.enable()
