"""Speech import review (讲话稿导入审核): upload → extraction → reviewed rows → ledger.

Every write goes through a `do_…` function here (views stay thin). The
extraction dict (schema luoshi.extract/1) is stored on the ImportDraft; each of
its tasks gets review keys the reviewer edits:

    include        bool      import this row
    title          str       工作任务 (defaults to the extracted text)
    section_label  str       所属章节
    lead_ids, co_ids            resolved unit ids
    lead_unmatched, co_unmatched  extracted names not (yet) matched to the tree
    deadline_date  "YYYY-MM-DD" or ""
    working_days   int or None
    recurrence     "monthly:28" … or ""
    targets_text   one target per line: "网上可办率 >= 95 %"

A compilation (汇编, several documents in one file) is reviewed and imported one
document at a time: an imported document gets `source_id` and is read-only, the
others stay editable, and the draft counts as 已导入 only when every document
with tasks has been imported.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from luoshi import extract
from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, NotAllowed, check_plain_text
from luoshi.ledger.models import SourceKind, Target
from luoshi.ledger.services import do_create_source, do_create_task
from luoshi.orgs.models import Unit
from luoshi.extract.outline import heading_title, marker_number, marker_of, opens_sub_items
from luoshi.extract.units import is_label_line
from luoshi.orgs.services import match_units

from .models import DraftStatus, ImportDraft

log = logging.getLogger(__name__)

ALLOWED_EXT = {".txt", ".html", ".htm", ".docx", ".pdf"}
KINDS = {"action": "具体任务", "principle": "原则要求"}
ROLES = (("lead", "牵头单位"), ("co", "配合单位"))
IGNORE = "ignore"

_TARGET_LINE = re.compile(r"^(?P<metric>.+?)\s*(?P<op>>=|<=|=|>|<|≥|≤)\s*(?P<value>-?\d+(?:\.\d+)?)\s*(?P<unit>.*)$")
_OPS = {"≥": ">=", "≤": "<="}


class RowErrors(LuoshiError):
    """Some rows cannot be imported; `rows` maps row index (0-based) → Chinese message."""

    def __init__(self, rows: dict[int, str]):
        first = min(rows)
        super().__init__(f"{len(rows)} row(s) cannot be imported (first: row {first + 1})",
                         f"有{len(rows)}条任务无法导入,请修改后重试(第{first + 1}条:{rows[first]})")
        self.rows = rows


def _require_reviewer(actor) -> None:
    if not getattr(actor, "sees_everything", False):
        raise NotAllowed("only supervisors and administrators may import speeches",
                         "只有督查员或管理员可以导入讲话稿")


def sentences(text: str) -> list[str]:
    """The text's sentences, verbatim, by the extractor's own sentence rule (a trailing
    (牵头单位:…) note stays with its sentence), so a split never cuts a task apart."""
    text = text or ""
    return [text[a:b] for a, b in extract.split_sentences(text) if text[a:b].strip()]


# ---- preparing rows ----------------------------------------------------------

def _units_state(names: list[str], matches: dict) -> tuple[list[int], list[str]]:
    ids, unmatched = [], []
    for name in names or []:
        unit = matches.get(name)
        if unit is not None and unit.is_active:
            if unit.pk not in ids:
                ids.append(unit.pk)
        elif name not in unmatched:
            unmatched.append(name)
    return ids, unmatched


def _targets_text(targets) -> str:
    lines = []
    for t in targets or []:
        value = t.get("value")
        if value is None or not t.get("metric"):
            continue
        value = f"{Decimal(str(value)).normalize():f}"
        lines.append(f"{t['metric']} {t.get('op') or '>='} {value}{(' ' + t['unit']) if t.get('unit') else ''}")
    return "\n".join(lines)


def _one_line(s: str) -> str:
    return " ".join(str(s or "").split())


def _own_title(row: dict) -> str:
    """The heading title of a heading row ("(三)推进项目审批提速。" → 推进项目审批提速)."""
    text = (row.get("text") or "").strip()
    m = marker_of(text)
    return _one_line(heading_title(text, m[1])) if m else ""


def _has_sub_items(rows: list[dict], i: int) -> bool:
    """True if the deeper heading rows after heading row i are its own sub-items (see
    luoshi.extract.outline.opens_sub_items): lines pasted with mixed numbering (一是…, (三)…,
    4.…, 第一,…) give each new style a deeper outline level, yet each is the next item."""
    level, child_level = rows[i]["heading"], rows[i + 1]["heading"]
    first = marker_number((rows[i + 1].get("text") or "").strip())
    more = False
    for row in rows[i + 2:]:
        h = row.get("heading")
        if h is not None and h <= level:
            break
        if h is None:
            more = True  # a sentence under the sub-item: a chapter with its sections
            break
        if h == child_level and first is not None:
            mk = marker_number((row.get("text") or "").strip())
            if mk is not None and mk[0] == first[0]:
                more = True
                break
    return opens_sub_items((rows[i].get("text") or "").strip(), (rows[i + 1].get("text") or "").strip(), more)


def is_task_line(rows: list[dict], i: int) -> bool:
    """True if heading row i is a task of its own (编号任务行), not a container of the rows below it.

    A numbered line pasted alone (一是…, (三)…, 4.…, 第一,…) is an outline heading to the
    extractor; it is a task when it states its own deadline or a quantified target, or
    when nothing sits under it (the next row is a heading of the same or a higher level,
    none follows, or the deeper headings after it are not its sub-items, see
    _has_sub_items). A heading with sentences or sub-items under it is a chapter.
    """
    row = rows[i]
    level = row.get("heading")
    if not level:
        return False
    if row.get("deadline") or row.get("targets"):
        return True
    if i + 1 >= len(rows):
        return True
    nxt = rows[i + 1].get("heading")
    if not nxt:
        return False
    return nxt <= level or not _has_sub_items(rows, i)


def _default_include(rows: list[dict], i: int) -> bool:
    row = rows[i]
    return row.get("kind") == "action" and (row.get("heading") is None or is_task_line(rows, i))


def _section_label(row: dict, task_titles: set[str]) -> str:
    """所属章节: the headings the row sits under, one line each; titles of numbered task lines
    (which are tasks, not chapters) are left out."""
    parts = [_one_line(x) for x in row.get("section") or []]
    return " / ".join(x for x in parts if x and x not in task_titles)


def _review_keys(task: dict, matches: dict, include: bool | None = None, section_label: str | None = None) -> dict:
    dl = task.get("deadline") or {}
    if include is None:
        include = task.get("kind") == "action" and task.get("heading") is None
    task.setdefault("include", include)
    task.setdefault("title", task.get("text", ""))
    task.setdefault("section_label", section_label if section_label is not None else _section_label(task, set()))
    for role, _label in ROLES:
        if f"{role}_ids" not in task:
            task[f"{role}_ids"], task[f"{role}_unmatched"] = _units_state(task.get(f"{role}_units"), matches)
    task.setdefault("deadline_date", dl.get("date") or "")
    task.setdefault("working_days", dl.get("working_days") or None)
    task.setdefault("recurrence", dl.get("recurrence") or "")
    task.setdefault("targets_text", _targets_text(task.get("targets")))
    return task


def prepare(extraction: dict) -> dict:
    """Add review keys to every task and match unit names to the tree."""
    names = set()
    for doc in extraction.get("documents") or []:
        for t in doc.get("tasks") or []:
            names.update(t.get("lead_units") or [])
            names.update(t.get("co_units") or [])
    matches = match_units(sorted(names))
    for doc in extraction.get("documents") or []:
        rows = doc.get("tasks") or []
        include = [_default_include(rows, i) for i in range(len(rows))]
        task_titles = {_own_title(r) for r, inc in zip(rows, include) if inc and r.get("heading")} - {""}
        for i, t in enumerate(rows):
            _review_keys(t, matches, include[i], _section_label(t, task_titles))
    return extraction


# ---- creating a draft ----------------------------------------------------------

def _extension(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower()


def _run_extractor(fn, *args) -> dict:
    try:
        return fn(*args)
    except extract.ExtractError as exc:
        raise LuoshiError(exc.message_en, exc.message_zh, field="file") from None
    except (MemoryError, RecursionError):
        raise LuoshiError("the file is too complex to read", "文件内容过于复杂,无法读取", field="file") from None
    except Exception as exc:  # a parser bug must not become a 500 page
        log.exception("extractor failed")
        raise LuoshiError(f"cannot read the file ({type(exc).__name__})",
                          "无法读取该文件,文件可能已损坏", field="file") from None


@transaction.atomic
def do_create_draft(actor, *, data: bytes | None = None, filename: str = "", text: str | None = None) -> ImportDraft:
    """Run the extractor on an uploaded file (data+filename) or pasted text; save a draft.

    Unreadable input raises LuoshiError and saves nothing."""
    _require_reviewer(actor)
    limit = settings.LUOSHI_MAX_UPLOAD_BYTES
    limit_mb = f"{limit / (1024 * 1024):.0f}" if limit >= 1024 * 1024 else f"{limit / (1024 * 1024):.2f}"
    if data is not None:
        filename = os.path.basename(filename or "")[:200]
        if len(data) > limit:
            raise LuoshiError(f"the file is larger than {limit} bytes", f"文件过大,不能超过 {limit_mb} MB", field="file")
        if _extension(filename) not in ALLOWED_EXT:
            raise LuoshiError(f"unsupported file type {_extension(filename) or '(none)'}",
                              "仅支持 .txt、.html、.docx、.pdf 文件", field="file")
        if not data:
            raise LuoshiError("the file is empty", "文件是空的", field="file")
        extraction = _run_extractor(extract.extract_bytes, data, filename)
    else:
        text = (text or "").strip()
        if not text:
            raise LuoshiError("paste the speech text or choose a file", "请选择文件或粘贴讲话稿全文", field="text")
        paste_limit = min(limit, getattr(settings, "LUOSHI_MAX_PASTE_BYTES", 2 * 1024 * 1024))
        if len(text) > paste_limit or len(text.encode("utf-8")) > paste_limit:
            raise LuoshiError(f"the pasted text is longer than {paste_limit} bytes",
                              f"粘贴的文字过多,不能超过 {paste_limit / (1024 * 1024):.0f} MB(约{paste_limit // 3 // 10000}万字);"
                              "更长的讲话稿请分段粘贴或上传文件", field="text")
        extraction = _run_extractor(extract.extract_text, text, "粘贴文本")
    docs = extraction.get("documents") or []
    if not any(d.get("tasks") for d in docs):
        raise LuoshiError("no tasks were found in the text", "未能从中识别出任何工作任务,请检查文件内容", field="file")
    prepare(extraction)
    first = next(i for i, d in enumerate(docs) if d.get("tasks"))
    draft = ImportDraft(uploaded_by=actor, original_name=filename if data is not None else "",
                        extraction=extraction, doc_index=first)
    if data is not None:
        draft.source_file.save(filename or "upload", ContentFile(data), save=False)
    draft.save()
    record(actor, "review.upload", draft,
           summary=f"导入讲话稿:{draft}({len(docs)}篇,{sum(len(d.get('tasks') or []) for d in docs)}条)")
    return draft


# ---- editing --------------------------------------------------------------------

def _locked(draft: ImportDraft) -> ImportDraft:
    draft = ImportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.DRAFT:
        raise LuoshiError("this draft has already been imported or discarded", "该草稿已导入或已放弃,不能再修改")
    return draft


def _doc(draft: ImportDraft, doc_index: int, *, editable: bool = True) -> dict:
    docs = draft.documents
    if not 0 <= doc_index < len(docs):
        raise LuoshiError("no such document", "文档不存在")
    doc = docs[doc_index]
    if editable and doc.get("source_id"):
        raise LuoshiError("this document has already been imported", "该篇文档已导入,不能再修改;请切换到其他文档继续审核")
    return doc


def is_done(doc: dict) -> bool:
    """A document of the draft that has been imported (已导入), or one without any task."""
    return bool(doc.get("source_id")) or not doc.get("tasks")


def progress(draft: ImportDraft) -> tuple[int, int]:
    """(documents imported, documents with tasks) of a draft."""
    docs = [d for d in draft.documents if d.get("tasks")]
    return sum(1 for d in docs if d.get("source_id")), len(docs)


def _check_ids(draft_rows: list[dict], ids: list[str]) -> None:
    if ids is not None and [r.get("id") for r in draft_rows] != list(ids):
        raise LuoshiError("the draft changed since the page was loaded; reload it",
                          "草稿已在其他页面被修改,请刷新页面后重试")


def _clean_ids(values) -> list[int]:
    out = []
    for v in values or []:
        try:
            v = int(v)
        except (TypeError, ValueError):
            continue
        if v not in out:
            out.append(v)
    return out


def _apply_edit(row: dict, edit: dict) -> None:
    if "include" in edit:
        row["include"] = bool(edit["include"])
    for key in ("title", "section_label", "deadline_date", "recurrence", "targets_text"):
        if key in edit:
            row[key] = str(edit[key] or "").strip()
    if edit.get("kind") in KINDS:
        row["kind"] = edit["kind"]
    if "working_days" in edit:
        wd = str(edit["working_days"] or "").strip()
        row["working_days"] = int(wd) if wd.isdigit() else (wd or None)
    added = []
    for role, _label in ROLES:
        if f"{role}_ids" in edit:
            ids = _clean_ids(edit[f"{role}_ids"])
            still = []
            picks = edit.get(f"{role}_picks") or {}
            for name in row.get(f"{role}_unmatched") or []:
                pick = str(picks.get(name) or "").strip()
                if pick == IGNORE:
                    continue
                if pick.isdigit():
                    if int(pick) not in ids:
                        ids.append(int(pick))
                    continue
                still.append(name)
            row[f"{role}_ids"] = ids
            row[f"{role}_unmatched"] = still
        add = [n.strip() for n in re.split(r"[,,、;;\s]+", edit.get(f"{role}_add") or "") if n.strip()]
        added.extend((role, n) for n in add)
    if added:
        matches = match_units([n for _r, n in added])
        for role, name in added:
            unit = matches.get(name)
            if unit is not None and unit.is_active:
                if unit.pk not in row[f"{role}_ids"]:
                    row[f"{role}_ids"].append(unit.pk)
            elif name not in row[f"{role}_unmatched"]:
                row[f"{role}_unmatched"].append(name[:100])


@transaction.atomic
def do_save_rows(actor, draft: ImportDraft, doc_index: int, edits: list[dict], row_ids: list[str] | None = None,
                 source_meta: dict | None = None) -> ImportDraft:
    """Store the reviewer's edits of the rows of one document (edits[i] applies to row i)
    and the Source fields typed so far."""
    _require_reviewer(actor)
    draft = _locked(draft)
    doc = _doc(draft, doc_index)
    rows = doc.get("tasks") or []
    _check_ids(rows, row_ids)
    for row, edit in zip(rows, edits):
        _apply_edit(row, edit)
    if source_meta and any(source_meta.values()):
        doc["source_meta"] = {k: str(v)[:300] for k, v in source_meta.items()}
    draft.save(update_fields=["extraction", "updated_at"])
    return draft


@transaction.atomic
def do_choose_document(actor, draft: ImportDraft, doc_index: int) -> ImportDraft:
    _require_reviewer(actor)
    draft = _locked(draft)
    _doc(draft, doc_index, editable=False)
    draft.doc_index = doc_index
    draft.save(update_fields=["doc_index", "updated_at"])
    return draft


def _union(a: list, b: list) -> list:
    return a + [x for x in b if x not in a]


def _span_ok(doc_text: str, row: dict) -> bool:
    s, e = row.get("start"), row.get("end")
    return isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(doc_text)


@transaction.atomic
def do_merge_rows(actor, draft: ImportDraft, doc_index: int, index: int, row_ids: list[str] | None = None
                  ) -> ImportDraft:
    """Merge row `index` with the row after it (合并)."""
    _require_reviewer(actor)
    draft = _locked(draft)
    doc = _doc(draft, doc_index)
    rows = doc.get("tasks") or []
    _check_ids(rows, row_ids)
    if not 0 <= index < len(rows) - 1:
        raise LuoshiError("there is no next row to merge with", "没有可合并的下一条任务")
    a, b = rows[index], rows[index + 1]
    text_doc = doc.get("text") or ""
    if _span_ok(text_doc, a) and _span_ok(text_doc, b) and a["start"] < b["end"]:
        text = text_doc[a["start"]:b["end"]].replace("\n", "")
        a["end"] = b["end"]
    else:
        text = a.get("text", "") + b.get("text", "")
    a_title_edited = a.get("title") != a.get("text")
    b_title_edited = b.get("title") != b.get("text")
    a["title"] = (a.get("title", "") + b.get("title", "")) if (a_title_edited or b_title_edited) else text
    a["text"] = text
    a["kind"] = "action" if "action" in (a.get("kind"), b.get("kind")) else a.get("kind", "principle")
    a["include"] = bool(a.get("include") or b.get("include"))
    for role, _label in ROLES:
        a[f"{role}_units"] = _union(a.get(f"{role}_units") or [], b.get(f"{role}_units") or [])
        a[f"{role}_ids"] = _union(a.get(f"{role}_ids") or [], b.get(f"{role}_ids") or [])
        a[f"{role}_unmatched"] = _union(a.get(f"{role}_unmatched") or [], b.get(f"{role}_unmatched") or [])
    for key in ("deadline_date", "working_days", "recurrence"):
        a[key] = a.get(key) or b.get(key) or ("" if key != "working_days" else None)
    a["deadline"] = a.get("deadline") or b.get("deadline")
    a["targets"] = (a.get("targets") or []) + (b.get("targets") or [])
    a["targets_text"] = "\n".join(x for x in (a.get("targets_text"), b.get("targets_text")) if x)
    a["id"] = f"{a.get('id')}+{b.get('id')}"
    a.pop("heading", None)
    del rows[index + 1]
    draft.save(update_fields=["extraction", "updated_at"])
    record(actor, "review.merge", draft, summary=f"合并第{index + 1}、{index + 2}条")
    return draft


def _doc_year_month(doc: dict) -> tuple[int | None, int | None]:
    date = doc.get("date") or ""
    if re.match(r"^\d{4}-\d{2}", date):
        return int(date[:4]), int(date[5:7])
    return None, None


def _fresh_row(doc: dict, text: str, template: dict, new_id: str, start, end, section: list[str]) -> dict:
    """One part of a split row, re-read on its own text: its units, deadline and targets.

    What the row had from outside its text (a 责任单位 line under the item, a group note, a
    table's 完成时限 column) is written in neither part, so both parts keep it."""
    year, month = _doc_year_month(doc)
    date = doc.get("date") if re.match(r"^\d{4}-\d{2}-\d{2}$", doc.get("date") or "") else None
    body = text
    m = marker_of(text)
    if m:
        body = text[len(m[1]):]
    lead, co = extract.split_roles(extract.find_units(body))
    row = {
        "id": new_id, "text": text, "kind": template.get("kind", "action"),
        "section": section, "lead_units": lead, "co_units": co,
        "deadline": extract.find_deadline(body, year, month, date), "targets": extract.find_targets(body),
    }
    if m:
        row["heading"] = template.get("heading") or 1
    if start is not None:
        row["start"], row["end"] = start, end
    _review_keys(row, match_units(lead + co), bool(template.get("include", True)),
                 " / ".join(x for x in (_one_line(y) for y in section) if x))
    return row


def _written_in(texts: list[str], names: list[str]) -> bool:
    return any(n and any(n in t for t in texts) for n in names)


@transaction.atomic
def do_split_row(actor, draft: ImportDraft, doc_index: int, index: int, after: int,
                 row_ids: list[str] | None = None) -> ImportDraft:
    """Split row `index` after its `after`-th sentence (拆分) into two tasks.

    Each part is re-read for its own units, deadline and targets. When the first part is
    a heading ("(二)加强学校周边环境整治。"), the second part's 所属章节 is that heading
    (its title, on one line); otherwise both parts stay under the row's headings."""
    _require_reviewer(actor)
    draft = _locked(draft)
    doc = _doc(draft, doc_index)
    rows = doc.get("tasks") or []
    _check_ids(rows, row_ids)
    if not 0 <= index < len(rows):
        raise LuoshiError("no such row", "任务不存在")
    row = rows[index]
    parts = sentences(row.get("text", ""))
    if not 1 <= after < len(parts):
        raise LuoshiError("a row can only be split between two of its sentences", "只能在两句之间拆分")
    first, second = "".join(parts[:after]).strip(), "".join(parts[after:]).strip()
    text_doc = doc.get("text") or ""
    s1 = e1 = s2 = e2 = None
    if _span_ok(text_doc, row):
        span = text_doc[row["start"]:row["end"]]
        cut = span.find(second, len(first) - 1 if first else 0)
        if span.startswith(first) and cut >= 0:
            s1, e1 = row["start"], row["start"] + len(first)
            s2, e2 = row["start"] + cut, row["start"] + cut + len(second)
    section = [_one_line(x) for x in row.get("section") or []]
    own = _own_title(row)  # a heading row (or one merged from a heading): its title is not its chapter
    if own and section and (section[-1] == own or own.startswith(section[-1]) or section[-1].startswith(own)):
        section = section[:-1]  # the row was a heading: its own title is not its chapter
    first_marker = marker_of(first)
    head = _one_line(heading_title(first, first_marker[1])) if first_marker else ""
    base = str(row.get("id"))
    a = _fresh_row(doc, first, row, f"{base}.1", s1, e1, section + ([head] if head else []))
    b = _fresh_row(doc, second, row, f"{base}.2", s2, e2, section + ([head] if head else []))
    if head:
        a["section_label"] = " / ".join(section)  # the heading sits in its parent chapter
    # label lines under the item ("责任单位:…", "完成时限:…") belong to both parts
    tail = []
    for part in reversed(parts[after:]):
        if not is_label_line(part.strip()):
            break
        tail.insert(0, part.strip())
    shared = "\n".join(tail) if len(tail) < len(parts) - after else ""
    if shared:
        lead, co = extract.split_roles(extract.find_units(shared))
        year, month = _doc_year_month(doc)
        date = doc.get("date") if re.match(r"^\d{4}-\d{2}-\d{2}$", doc.get("date") or "") else None
        dl = extract.find_deadline(shared, year, month, date)
        if (lead or co) and not a.get("lead_units") and not a.get("co_units"):
            a["lead_units"], a["co_units"] = lead, co
            matches = match_units(lead + co)
            for role, names in (("lead", lead), ("co", co)):
                a[f"{role}_ids"], a[f"{role}_unmatched"] = _units_state(names, matches)
        if dl and not a.get("deadline"):
            a["deadline"] = dl
            a["deadline_date"], a["working_days"] = dl.get("date") or "", dl.get("working_days") or None
            a["recurrence"] = dl.get("recurrence") or ""
    texts = [first, second]
    unitless = [p for p in (a, b) if not p.get("lead_units") and not p.get("co_units")]
    for role, _label in ROLES:
        names = row.get(f"{role}_units") or []
        if names and not _written_in(texts, names):
            for part in unitless:
                part[f"{role}_units"] = list(names)
                part[f"{role}_ids"] = list(row.get(f"{role}_ids") or [])
                part[f"{role}_unmatched"] = list(row.get(f"{role}_unmatched") or [])
    dl_text = ((row.get("deadline") or {}).get("text") or "").strip()
    if row.get("deadline") and dl_text and not any(dl_text in t for t in texts):
        for part in (a, b):
            if not part.get("deadline"):
                part["deadline"] = row["deadline"]
                for key in ("deadline_date", "working_days", "recurrence"):
                    part[key] = row.get(key)
    rows[index:index + 1] = [a, b]
    draft.save(update_fields=["extraction", "updated_at"])
    record(actor, "review.split", draft, summary=f"拆分第{index + 1}条(第{after}句后)")
    return draft


@transaction.atomic
def do_discard_draft(actor, draft: ImportDraft) -> ImportDraft:
    _require_reviewer(actor)
    draft = _locked(draft)
    draft.status = DraftStatus.DISCARDED
    draft.save(update_fields=["status", "updated_at"])
    record(actor, "review.discard", draft, summary=f"放弃导入:{draft}")
    return draft


# ---- accepting -------------------------------------------------------------------

def parse_targets(text: str, originals=()) -> list[dict]:
    """Parse "指标 >= 95 %" lines; keep the original sentence text of unchanged targets."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        m = _TARGET_LINE.match(line)
        if not m:
            raise LuoshiError(f"target {line!r} is not understood", f"量化目标“{line[:40]}”格式不对,应为“指标 >= 数值 单位”",
                              field="targets")
        op = _OPS.get(m["op"], m["op"])
        if op not in Target.Op.values:
            raise LuoshiError("unknown comparator", "目标比较符无效", field="targets")
        metric, value, unit = m["metric"].strip(), Decimal(m["value"]), m["unit"].strip()
        text_orig = ""
        for o in originals or []:
            try:
                same = (o.get("metric") == metric and (o.get("op") or ">=") == op
                        and Decimal(str(o.get("value"))) == value)
            except (InvalidOperation, TypeError, ValueError):
                same = False
            if same:
                text_orig = o.get("text") or ""
                break
        out.append({"metric": metric, "op": op, "value": value, "unit": unit, "text": text_orig[:300]})
    return out


def _parse_date(value: str, label_zh: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise LuoshiError(f"{value!r} is not a date", f"{label_zh}“{value}”不是有效日期(格式 2025-06-30)") from None


def _row_kwargs(row: dict) -> dict:
    """Check one row without writing; return the keyword arguments of do_create_task.

    Raises LuoshiError naming every problem found in the row (joined with ;)."""
    problems: list[str] = []

    def check(fn, *args, **kw):
        try:
            return fn(*args, **kw)
        except LuoshiError as exc:
            problems.append(exc.message_zh)
            return None

    for role, label in ROLES:
        if row.get(f"{role}_unmatched"):
            names = "、".join(row[f"{role}_unmatched"])
            problems.append(f"{label}“{names}”未匹配到单位,请从单位列表中选择或忽略")
    if not row.get("lead_ids") and not row.get("lead_unmatched"):
        problems.append("至少需要一个牵头单位")
    title = (row.get("title") or "").strip()
    text = (row.get("text") or "").strip()
    requirement = text if text and text != title else ""
    if len(title) > 300:
        requirement = requirement or title
        title = title[:299] + "…"
    check(check_plain_text, title, "工作任务", "title", required=True)
    wd = row.get("working_days")
    if wd in (None, ""):
        wd = None
    elif str(wd).isdigit():
        wd = int(wd)
    else:
        problems.append("办理时限(工作日)应为整数")
    kwargs = {
        "title": title, "requirement": requirement, "section": row.get("section_label") or "",
        "lead_units": row.get("lead_ids") or [], "co_units": row.get("co_ids") or [],
        "deadline": check(_parse_date, row.get("deadline_date"), "完成时限"), "deadline_working_days": wd,
        "recurrence": row.get("recurrence") or "",
        "targets": check(parse_targets, row.get("targets_text"), row.get("targets")) or [],
        "tags": ["讲话稿导入"] if row.get("kind") == "action" else ["讲话稿导入", "原则要求"],
    }
    if problems:
        raise LuoshiError("; ".join(problems), ";".join(problems))
    return kwargs


def source_defaults(doc: dict) -> dict:
    title = (doc.get("title") or "").strip()
    if not title:
        first = next((ln.strip() for ln in (doc.get("text") or "").splitlines() if ln.strip()), "")
        title = first[:100]
    text = doc.get("text") or ""
    kind = SourceKind.WORK_PLAN if re.search(r"工作要点|实施方案|工作方案|实施意见|工作计划|任务分解", title) else SourceKind.SPEECH
    return {"kind": kind, "title": title, "date": doc.get("date") or "", "issuer": "",
            "speaker": (doc.get("speaker") or "").strip(), "text_len": len(text)}


@transaction.atomic
def do_accept_draft(actor, draft: ImportDraft, doc_index: int, *, kind: str, title: str, date=None, issuer: str = "",
                    speaker: str = "", doc_number: str = "") -> tuple:
    """确认导入: create the Source and every included row of document `doc_index` as a 立项 task,
    all or nothing. In a compilation the other documents stay reviewable; the draft is
    已导入 once every document with tasks has been imported.

    Raises RowErrors (row index → reason) if any included row is invalid; then
    nothing at all is created."""
    _require_reviewer(actor)
    draft = _locked(draft)
    doc = _doc(draft, doc_index)
    rows = doc.get("tasks") or []
    chosen = [(i, r) for i, r in enumerate(rows) if r.get("include")]
    if not chosen:
        raise LuoshiError("tick at least one task to import", "请至少勾选一条要导入的任务")
    if isinstance(date, str):
        date = _parse_date(date, "来源日期")
    errors: dict[int, str] = {}
    prepared = []
    for i, row in chosen:
        try:
            prepared.append((i, _row_kwargs(row)))
        except LuoshiError as exc:
            errors[i] = exc.message_zh
    if errors:
        raise RowErrors(errors)
    attachment = None
    if draft.source_file:
        try:
            with draft.source_file.open("rb") as fh:
                attachment = ContentFile(fh.read(), name=draft.original_name or os.path.basename(draft.source_file.name))
        except OSError:
            attachment = None
    source = do_create_source(actor, title=title, kind=kind, date=date, issuer=issuer, speaker=speaker,
                              doc_number=doc_number, text=doc.get("text") or "", attachment=attachment)
    tasks = []
    for i, kwargs in prepared:
        try:
            tasks.append(do_create_task(actor, source=source, **kwargs))
        except LuoshiError as exc:  # do_create_task's own savepoint is rolled back; keep checking the rest
            errors[i] = exc.message_zh
    if errors:
        raise RowErrors(errors)  # leaves the outer atomic block: the source and every task are rolled back
    for (i, _kw), task in zip(prepared, tasks):
        rows[i]["task_id"] = task.pk
        rows[i]["task_number"] = task.number
    doc["source_id"] = source.pk
    doc["source_title"] = source.title
    draft.source = source
    docs = draft.documents
    open_docs = [i for i, d in enumerate(docs) if not is_done(d)]
    if open_docs:  # a compilation: the next document still waiting for review is shown
        draft.doc_index = next((i for i in open_docs if i > doc_index), open_docs[0])
    else:
        draft.status = DraftStatus.ACCEPTED
        draft.doc_index = doc_index
    draft.save()
    done, total = progress(draft)
    more = f"(汇编第{doc_index + 1}篇,已导入{done}/{total}篇)" if len(docs) > 1 else ""
    record(actor, "review.accept", draft, summary=f"确认导入:{source.title},立项{len(tasks)}项{more}")
    return source, tasks



# ---- export -----------------------------------------------------------------------

EXPORT_HEADERS = ["序号", "来源文档", "工作任务", "类型", "导入", "牵头单位", "配合单位", "完成时限", "量化目标",
                  "所属章节", "状态"]


def _deadline_cell(row: dict) -> str:
    if row.get("deadline_date"):
        return str(row["deadline_date"])
    if row.get("working_days"):
        return f"{row['working_days']}个工作日内"
    if row.get("recurrence"):
        return str(row["recurrence"])
    return ((row.get("deadline") or {}).get("text") or "").strip()


def export_rows(draft: ImportDraft):
    """The draft's rows as a 台账 sheet (导出台账): EXPORT_HEADERS, then one list per row of every
    document in order; 序号 is a number counting through the whole file, 来源文档 the title of the
    document the row comes from (so a compilation's rows can be told apart). Unit names
    not yet matched to the tree are given as written, marked (未匹配)."""
    ids = set()
    for doc in draft.documents:
        for r in doc.get("tasks") or []:
            ids.update(r.get("lead_ids") or [])
            ids.update(r.get("co_ids") or [])
    units = Unit.objects.in_bulk(ids)
    n = 0
    for i, doc in enumerate(draft.documents):
        title = (doc.get("title") or "").strip() or f"第{i + 1}篇"
        for r in doc.get("tasks") or []:
            n += 1
            cells = {}
            for role, _label in ROLES:
                names = [units[pk].display_name for pk in r.get(f"{role}_ids") or [] if pk in units]
                names += [f"{x}(未匹配)" for x in r.get(f"{role}_unmatched") or []]
                cells[role] = "、".join(names)
            status = f"已立项 {r['task_number']}" if r.get("task_number") else (
                "已导入" if doc.get("source_id") else "待审核")
            yield [n, title, r.get("title") or r.get("text") or "", KINDS.get(r.get("kind"), r.get("kind") or ""),
                   "是" if r.get("include") else "否", cells["lead"], cells["co"], _deadline_cell(r),
                   (r.get("targets_text") or "").replace("\n", ";"), r.get("section_label") or "", status]
