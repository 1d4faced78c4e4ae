"""ingest -> clean -> split -> outline -> tasks; returns the luoshi.extract/1 dict."""
from __future__ import annotations

import gc
import re

from .classify import hard_action, label_sentence, strip_marker
from .clean import clean
from .deadlines import find_deadline
from .outline import build_outline, split_sentences
from .split import Document, split_documents
from .targets import find_targets
from .units import find_units, is_label_line, leads_with_unit, split_roles

SCHEMA = "luoshi.extract/1"

# Work plans (工作要点, 实施意见, 任务分解) are written as bare imperatives.
_SPEECH_MARK = re.compile(r"同志们|我们|大家|我讲|我想|讲几点|谢谢")
_MAX_TASK_CHARS = 2000


def _planlike(text: str) -> bool:
    n = len(text)
    if n == 0:
        return False
    speech = len(_SPEECH_MARK.findall(text[:200000]))
    return speech * 1500 < min(n, 200000)


def _container_headings(sentences) -> set[int]:
    """Starts of top-level headings that have numbered sub-headings under them."""
    out: set[int] = set()
    top = None
    for s in sentences:
        if s.heading == 1:
            top = s.start
        elif s.heading is not None and s.heading > 1 and top is not None:
            out.add(top)
    return out


def _attach_labels(task: dict, line: str, year, month) -> None:
    """Give a task the units/deadline of a label line under it (where it has none)."""
    lead, co = split_roles(find_units(line))
    if lead and not task["lead_units"]:
        task["lead_units"] = lead
    for name in co:
        if name not in task["co_units"] and name not in task["lead_units"]:
            task["co_units"].append(name)
    if task["deadline"] is None:
        task["deadline"] = find_deadline(line, year, month)


def extract_document(doc: Document, index: int) -> dict:
    text = doc.text
    sentences = split_sentences(text)
    outline = build_outline(sentences, text)
    plan = _planlike(text)
    year = doc.year
    # the month of the document's date, for 本月底前 (not when the plan's year is another)
    month = int(doc.date[5:7]) if doc.date and int(doc.date[:4]) == year else None
    tasks = []
    first_line = text.split("\n", 1)[0].strip()
    containers = _container_headings(sentences)
    owner = None  # the task that label lines below it belong to
    for s in sentences:
        if len(s.text) > _MAX_TASK_CHARS:
            owner = None
            continue
        if is_label_line(s.text):
            # "牵头单位:A" / "配合单位:B" / "完成时限:C" lines under a task item
            if owner is not None:
                _attach_labels(owner, s.text, year, month)
            continue
        if s.start == 0 and doc.title and s.text == first_line and s.text == doc.title:
            continue  # the document title is not a task
        kind = label_sentence(s.text, heading=s.heading is not None, planlike=plan, subject_unit=leads_with_unit)
        if kind == "none":
            owner = None
            continue
        if kind == "action" and s.start in containers and not hard_action(s.text):
            kind = "principle"  # a top-level theme over numbered work items
        body = strip_marker(s.text)[0]
        mentions = find_units(body)
        lead, co = split_roles(mentions)
        task = {
            "id": f"d{index}-t{len(tasks) + 1}",
            "text": s.text,
            "kind": kind,
            "section": list(s.section),
            "lead_units": lead,
            "co_units": co,
            "deadline": find_deadline(body, year, month),
            "targets": find_targets(body),
            "start": s.start,
            "end": s.end,
        }
        if s.heading is not None:
            task["heading"] = s.heading
        tasks.append(task)
        owner = task
    return {
        "title": doc.title,
        "speaker": doc.speaker,
        "date": doc.date,
        "text": text,
        "outline": outline,
        "tasks": tasks,
    }


def extract_clean_text(text: str, source: str) -> dict:
    # The result is a large tree of small acyclic objects (dicts, lists, str);
    # the cyclic garbage collector would rescan it over and over while it grows,
    # which makes big inputs superlinear. Nothing here creates cycles, so the
    # collector is paused for the call and restored afterwards.
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        cleaned = clean(text)
        docs = split_documents(cleaned) if cleaned.strip() else []
        return {
            "schema": SCHEMA,
            "source": source,
            "documents": [extract_document(d, i + 1) for i, d in enumerate(docs)],
        }
    finally:
        if paused:
            gc.enable()
