"""讲话稿导入审核 pages. Thin: parse the form, call review.services, show message_zh."""
from __future__ import annotations

import mimetypes
import os
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from luoshi.core.errors import LuoshiError, NotAllowed
from luoshi.core.params import paginate, parse_page
from luoshi.ledger.models import SourceKind
from luoshi.orgs.models import Unit
from luoshi.orgs.services import suggest_units
from luoshi.orgs.widgets import MANY

from . import services as svc
from .models import DraftStatus, ImportDraft

SOURCE_FIELDS = ("kind", "title", "date", "issuer", "speaker", "doc_number")


def reviewer_required(view):
    """督查员/管理员 only; everybody else gets 403 (anonymous users go to the login page)."""
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.sees_everything:
            return render(request, "403.html", {"message": "只有督查员或管理员可以使用讲话稿导入审核。"}, status=403)
        return view(request, *args, **kwargs)
    return wrapper


# ---- list + upload ------------------------------------------------------------

DRAFTS_PER_PAGE = 50     # the /review/ list of drafts
ROWS_PER_PAGE = 50       # candidate tasks on one page of a draft
TEXT_WINDOW = 200_000    # characters of the document text shown beside one page of rows


def _index(request, *, error: str = "", pasted: str = "", status: int = 200):
    drafts = ImportDraft.objects.select_related("uploaded_by", "source").order_by("-created_at", "-id")
    page = paginate(drafts, DRAFTS_PER_PAGE, request.GET.get("page"))
    rows = []
    for d in page.object_list:
        docs = d.documents
        done, total = svc.progress(d)
        rows.append({"draft": d, "docs": len(docs), "tasks": sum(len(x.get("tasks") or []) for x in docs),
                     "partial": f"已导入{done}/{total}篇" if d.status == DraftStatus.DRAFT and done else "",
                     "title": next((x.get("title") for x in docs if x.get("title")), "") or str(d)})
    return render(request, "review/index.html", {
        "rows": rows, "error": error, "pasted": pasted, "page": page,
        "max_mb": f"{settings.LUOSHI_MAX_UPLOAD_BYTES / (1024 * 1024):.0f}",
        "accept": ",".join(sorted(svc.ALLOWED_EXT)),
    }, status=status)


@reviewer_required
def index(request):
    return _index(request)


@reviewer_required
@require_POST
def upload(request):
    f = request.FILES.get("file")
    text = request.POST.get("text", "")
    try:
        if f is not None:
            if f.size > settings.LUOSHI_MAX_UPLOAD_BYTES:  # refuse before reading it into memory
                raise LuoshiError("file too large", f"文件过大,不能超过 {settings.LUOSHI_MAX_UPLOAD_BYTES / (1024 * 1024):.0f} MB")
            draft = svc.do_create_draft(request.user, data=f.read(), filename=f.name)
        else:
            draft = svc.do_create_draft(request.user, text=text)
    except NotAllowed as exc:
        return render(request, "403.html", {"message": exc.message_zh}, status=403)
    except LuoshiError as exc:
        # an oversize paste is not echoed back (a 19 MB text would make a 19 MB page)
        keep = f is None and exc.field != "text"
        return _index(request, error=exc.message_zh, pasted=text if keep else "", status=400)
    n = sum(len(d.get("tasks") or []) for d in draft.documents)
    messages.success(request, f"已识别出{len(draft.documents)}篇文档、{n}条候选任务,请逐条审核。")
    return redirect("review:draft", pk=draft.pk)


# ---- review page ----------------------------------------------------------------

def unit_options_html(suggestions=()) -> str:
    """<option>s of every active unit, grouped by parent (<optgroup>); `suggestions`
    ([(unit, score)], best first) come first in a 相近单位 group. Nothing is preselected. In a large
    organisation (more than orgs.widgets.MANY active units) only the suggestions: other units are found with
    the row's type-ahead, or typed into its 添加单位名称 box without JavaScript."""
    active = Unit.objects.filter(is_active=True)
    many = active.count() > MANY
    units = [] if many else list(active.order_by("sort_order", "id"))
    by_id = {u.pk: u for u in units}
    groups: dict = {}
    for u in units:
        key = u.parent_id if u.parent_id in by_id else None
        groups.setdefault(key, []).append(u)
    parts = ['<option value="">— 从相近单位中选择 —</option>' if many else '<option value="">— 从单位列表选择 —</option>',
             f'<option value="{svc.IGNORE}">(忽略此名称)</option>']
    if suggestions:
        parts.append('<optgroup label="相近单位(按相似度排序)" class="rv-suggest">')
        for u, score in suggestions:
            parts.append(format_html('<option value="{}" data-score="{}">{}</option>', u.pk, f"{score:.0f}",
                                     u.name if u.display_name == u.name else f"{u.name}({u.display_name})"))
        parts.append("</optgroup>")
    order = [None] + [u.pk for u in units if u.pk in groups]
    for key in order:
        members = groups.get(key)
        if not members:
            continue
        label = "顶级单位" if key is None else by_id[key].name
        parts.append(format_html('<optgroup label="{}">', label))
        for u in members:
            parts.append(format_html('<option value="{}">{}</option>', u.pk,
                                     u.name if u.display_name == u.name else f"{u.name}({u.display_name})"))
        parts.append("</optgroup>")
    return mark_safe("".join(parts))


def _spans(doc_text: str, rows: list[dict]) -> list[tuple[int, int, int]]:
    spans, search_from = [], 0
    for i, row in enumerate(rows):
        if svc._span_ok(doc_text, row):
            s, e = row["start"], row["end"]
        else:
            text = (row.get("text") or "").strip()
            s = doc_text.find(text, search_from) if text else -1
            if s < 0:
                s = doc_text.find(text) if text else -1
            if s < 0:
                continue
            e = s + len(text)
        search_from = e
        spans.append((s, e, i))
    return sorted(spans)


def marked_text(doc_text: str, rows: list[dict], errors: dict, window: tuple[int, int] | None = None,
                spans=None) -> str:
    """The document text (or its `window` [start, end)) with each row's sentences wrapped in a link to
    the row."""
    lo, hi = window or (0, len(doc_text))
    out, cur = [], lo
    for s, e, i in (spans if spans is not None else _spans(doc_text, rows)):
        if e <= lo or s >= hi:
            continue
        e = min(e, hi)
        s = max(s, cur)
        if e <= s:
            continue
        row = rows[i]
        cls = f"mk mk-{row.get('kind', 'action')}"
        if not row.get("include"):
            cls += " mk-off"
        if i in errors:
            cls += " mk-err"
        out.append(escape(doc_text[cur:s]))
        out.append(format_html('<a class="{}" id="m-{}" href="#row-{}" data-row="{}" title="第{}条">{}</a>',
                               cls, i, i, i, i + 1, doc_text[s:e]))
        cur = e
    out.append(escape(doc_text[cur:hi]))
    return mark_safe("".join(out))


def _row_views(rows: list[dict], errors: dict, first: int = 0, stop: int | None = None,
               with_suggestions: bool = True) -> list[dict]:
    """Views of rows[first:stop] (indices stay those of the whole document)."""
    stop = len(rows) if stop is None else stop
    ids, unmatched = set(), set()
    for r in rows[first:stop]:
        ids.update(r.get("lead_ids") or [])
        ids.update(r.get("co_ids") or [])
        for role, _label in svc.ROLES:
            unmatched.update(r.get(f"{role}_unmatched") or [])
    units = Unit.objects.in_bulk(ids)
    suggested = suggest_units(sorted(unmatched)) if unmatched and with_suggestions else {}
    plain = unit_options_html() if unmatched else ""  # one rendering shared by every name without suggestions
    options = {name: (unit_options_html(suggested[name]) if suggested.get(name) else plain) for name in unmatched}
    out = []
    for i, r in enumerate(rows[first:stop], first):
        n_sent = len(svc.sentences(r.get("text", "")))
        out.append({
            "i": i, "n": i + 1, "row": r, "error": errors.get(i, ""),
            "kind_label": svc.KINDS.get(r.get("kind"), r.get("kind")),
            "roles": [
                {"key": role, "label": label,
                 "units": [units[pk] for pk in r.get(f"{role}_ids") or [] if pk in units],
                 "unmatched": [{"j": j, "name": name, "options": options.get(name, ""),
                                "best": [u.display_name for u, _s in suggested.get(name, [])[:3]]}
                               for j, name in enumerate(r.get(f"{role}_unmatched") or [])]}
                for role, label in svc.ROLES
            ],
            "split_points": list(range(1, n_sent)),
            "is_last": i == len(rows) - 1,
            "deadline_text": (r.get("deadline") or {}).get("text") or "",
        })
    return out


def _text_window(text: str, spans, first: int, stop: int, n_rows: int) -> tuple[int, int, bool]:
    """[start, end) of the document text beside rows[first:stop]: from the first of them (the text's
    start on the first page) to the first row of the next page (the text's end on the last page),
    at most TEXT_WINDOW characters; and whether it was cut."""
    starts = {i: s for s, _e, i in spans}
    lo = 0 if first == 0 else min((s for i, s in starts.items() if first <= i < stop), default=0)
    hi = len(text) if stop >= n_rows else min((s for i, s in starts.items() if i >= stop), default=len(text))
    hi = max(hi, max((e for _s, e, i in spans if first <= i < stop), default=hi))
    cut = hi - lo > TEXT_WINDOW
    return lo, (lo + TEXT_WINDOW if cut else hi), cut


def _render_draft(request, draft: ImportDraft, *, errors=None, source_error: str = "", source=None, status=200):
    errors = errors or {}
    doc_index = draft.doc_index if 0 <= draft.doc_index < len(draft.documents) else 0
    doc = draft.document(doc_index)
    rows = doc.get("tasks") or []
    if errors:  # show the page holding the first row in error
        number = min(errors) // ROWS_PER_PAGE + 1
    else:
        number = parse_page(request.GET.get("page"), max(1, -(-len(rows) // ROWS_PER_PAGE)))
    page = paginate(range(len(rows)), ROWS_PER_PAGE, str(number))
    first, stop = page.start_index() - 1 if rows else 0, page.end_index() if rows else 0
    text = doc.get("text") or ""
    spans = _spans(text, rows)
    lo, hi, cut = _text_window(text, spans, first, stop, len(rows))
    meta = dict(svc.source_defaults(doc))
    meta.update(doc.get("source_meta") or {})
    if source:
        meta.update(source)
    doc_done = bool(doc.get("source_id"))
    locked = draft.status != DraftStatus.DRAFT or doc_done
    done, total = svc.progress(draft)
    ctx = {
        "draft": draft, "doc": doc, "doc_index": doc_index, "locked": locked, "doc_done": doc_done,
        "draft_open": draft.status == DraftStatus.DRAFT, "done": done, "total": total,
        "docs": [{"i": i, "title": d.get("title") or f"第{i + 1}篇", "tasks": len(d.get("tasks") or []),
                  "speaker": d.get("speaker") or "", "date": d.get("date") or "",
                  "imported": bool(d.get("source_id")), "source_id": d.get("source_id"),
                  "source_title": d.get("source_title") or ""}
                 for i, d in enumerate(draft.documents)],
        "marked": marked_text(text, rows, errors, (lo, hi), spans), "text_window": (lo, hi, cut, len(text)),
        "rows": _row_views(rows, errors, first, stop, with_suggestions=not locked),
        "all_row_ids": [r.get("id") for r in rows],
        "page": page, "page_links": list(page.paginator.get_elided_page_range(page.number, on_each_side=3, on_ends=1)),
        "rows_total": len(rows), "errors": errors, "source_error": source_error, "kinds": list(svc.KINDS.items()),
        "source_kinds": SourceKind.choices, "meta": meta,
        "included": sum(1 for r in rows if r.get("include")),
        "included_elsewhere": sum(1 for i, r in enumerate(rows) if r.get("include") and not first <= i < stop),
    }
    return render(request, "review/draft.html", ctx, status=status)


def _edits_from_post(post, rows: list[dict]) -> list[dict]:
    edits = []
    for i, row in enumerate(rows):
        p = f"t{i}-"
        if p + "title" not in post:
            edits.append({})
            continue
        e = {"include": post.get(p + "include") == "1", "title": post.get(p + "title", ""),
             "kind": post.get(p + "kind", ""), "section_label": post.get(p + "section", ""),
             "deadline_date": post.get(p + "deadline", ""), "working_days": post.get(p + "wdays", ""),
             "recurrence": post.get(p + "recurrence", ""), "targets_text": post.get(p + "targets", "")}
        for role, _label in svc.ROLES:
            e[f"{role}_ids"] = post.getlist(p + role)
            e[f"{role}_picks"] = {name: post.get(f"{p}{role}pick-{j}", "")
                                  for j, name in enumerate(row.get(f"{role}_unmatched") or [])}
            e[f"{role}_add"] = post.get(f"{p}{role}_add", "")
        edits.append(e)
    return edits


def _source_from_post(post) -> dict:
    return {k: post.get(f"src_{k}", "").strip() for k in SOURCE_FIELDS}


@reviewer_required
def draft_page(request, pk):
    draft = get_object_or_404(ImportDraft, pk=pk)
    if request.method != "POST":
        return _render_draft(request, draft)
    if draft.status != DraftStatus.DRAFT:
        messages.error(request, "该草稿已导入或已放弃,不能再修改。")
        return redirect("review:draft", pk=draft.pk)
    post = request.POST
    op, _, arg = post.get("op", "save").partition(":")
    try:
        doc_index = int(post.get("doc_index", draft.doc_index))
    except ValueError:
        doc_index = draft.doc_index
    current = draft.document(doc_index)
    rows = current.get("tasks") or []
    row_ids = post.getlist("row_id")
    source = _source_from_post(post)
    anchor = ""
    try:
        if not (op == "doc" and current.get("source_id")):  # an imported document is read-only
            draft = svc.do_save_rows(request.user, draft, doc_index, _edits_from_post(post, rows), row_ids,
                                     source_meta=source)
        if op == "merge":
            draft = svc.do_merge_rows(request.user, draft, doc_index, int(arg), row_ids)
            messages.success(request, f"已将第{int(arg) + 1}条与第{int(arg) + 2}条合并。")
            anchor = f"#row-{int(arg)}"
        elif op == "split":
            after = int(post.get(f"t{int(arg)}-split_at") or 1)
            draft = svc.do_split_row(request.user, draft, doc_index, int(arg), after, row_ids)
            messages.success(request, f"已将第{int(arg) + 1}条拆分为两条。")
            anchor = f"#row-{int(arg)}"
        elif op == "page":  # saved above; go to the page asked for
            number = parse_page(arg, max(1, -(-len(draft.document(doc_index).get("tasks") or []) // ROWS_PER_PAGE)))
            return redirect(reverse("review:draft", args=[draft.pk]) + (f"?page={number}" if number > 1 else ""))
        elif op == "doc":
            draft = svc.do_choose_document(request.user, draft, int(post.get("doc", 0)))
        elif op == "accept":
            try:
                src, tasks = svc.do_accept_draft(request.user, draft, doc_index, **source)
            except svc.RowErrors as exc:
                draft.refresh_from_db()
                messages.error(request, exc.message_zh)
                return _render_draft(request, draft, errors=exc.rows, source=source, status=400)
            except LuoshiError as exc:
                draft.refresh_from_db()
                messages.error(request, exc.message_zh)
                return _render_draft(request, draft, source_error=exc.message_zh, source=source, status=400)
            messages.success(request, f"已导入“{src.title}”,立项{len(tasks)}项督办事项(待交办)。")
            draft.refresh_from_db()
            if draft.status == DraftStatus.DRAFT:  # a compilation: carry on with the next document
                done, total = svc.progress(draft)
                messages.info(request, f"本文件共{total}篇文档,已导入{done}篇;请继续审核下一篇。")
                return redirect("review:draft", pk=draft.pk)
            return redirect(reverse("ledger") + f"?source={src.pk}")
        else:
            messages.success(request, "已保存审核修改。")
    except (ValueError, IndexError):
        messages.error(request, "请求无效,请刷新页面后重试。")
    except NotAllowed as exc:
        return render(request, "403.html", {"message": exc.message_zh}, status=403)
    except LuoshiError as exc:
        messages.error(request, exc.message_zh)
    try:  # back to the page the reviewer was on (another document starts at its first page)
        back = 1 if op == "doc" else parse_page(post.get("page"))
    except LuoshiError:
        back = 1
    query = f"?page={back}" if back > 1 else ""
    return redirect(reverse("review:draft", args=[draft.pk]) + query + anchor)


@reviewer_required
@require_POST
def discard(request, pk):
    draft = get_object_or_404(ImportDraft, pk=pk)
    try:
        svc.do_discard_draft(request.user, draft)
    except LuoshiError as exc:
        messages.error(request, exc.message_zh)
        return redirect("review:draft", pk=draft.pk)
    messages.success(request, f"已放弃导入:{draft}")
    return redirect("review:index")


@reviewer_required
def export_xlsx(request, pk):
    """导出台账: every row of every document of the draft as .xlsx (through the safe writer)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from luoshi.core.tabular import append_row

    draft = get_object_or_404(ImportDraft, pk=pk)
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    append_row(ws, svc.EXPORT_HEADERS)
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in svc.export_rows(draft):
        append_row(ws, row)
    for col, width in zip("ABCDEFGHIJK", (6, 28, 60, 10, 6, 20, 24, 14, 28, 28, 16)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    name = os.path.splitext(draft.original_name or f"粘贴文本{draft.pk}")[0] + "-台账.xlsx"
    return FileResponse(buf, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@reviewer_required
def original_file(request, pk):
    draft = get_object_or_404(ImportDraft, pk=pk)
    if not draft.source_file:
        raise Http404
    try:
        fh = draft.source_file.open("rb")
    except OSError:
        raise Http404 from None
    name = draft.original_name or os.path.basename(draft.source_file.name)
    return FileResponse(fh, as_attachment=True, filename=name,
                        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
