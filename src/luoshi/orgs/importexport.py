"""The unit tree (单位) as an Excel workbook: import, export and the sample tree.

Columns: 单位全称, 简称, 别名, 类型, 上级单位, 编码, 排序, 启用. 简称 and 别名 hold
several names separated by 、 , or ;. 类型 is a label (市直部门, 区县, 乡镇/街道 …)
or its code (city_dept …). 上级单位 names a unit in the same file or already in
the database, by any of its names.

An import is all or nothing: every row is checked first (header, kinds, names
used twice, unknown parents, cycles) and the whole file is refused with a list
of problems (row numbers included) before anything is written. Rows are then
saved through `orgs.services.do_save_unit` in one transaction, parents first.
Re-importing updates units by full name and leaves unchanged units untouched,
so an import is idempotent. Units missing from the file are kept as they are.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from luoshi.core.errors import LuoshiError, check_plain_text, decode_table_text
from luoshi.core.tabular import append_row

from .models import Unit, UnitKind
from .services import do_save_unit, name_index

COLUMNS = ["单位全称", "简称", "别名", "类型", "上级单位", "编码", "排序", "启用"]
REQUIRED_COLUMNS = ["单位全称", "类型", "上级单位"]
MAX_ROWS = 20000
SAMPLE_CSV = Path(__file__).resolve().parent / "data" / "sample_units.csv"
CLI_ACTOR = "命令行"

_KIND_WORDS = {label: value for value, label in UnitKind.choices}
_KIND_WORDS.update({v: v for v in UnitKind.values})
_KIND_WORDS.update({"乡镇": UnitKind.TOWN, "街道": UnitKind.TOWN, "乡镇街道": UnitKind.TOWN, "市": UnitKind.CITY,
                    "区县政府": UnitKind.COUNTY, "县区": UnitKind.COUNTY, "垂管单位": UnitKind.VERTICAL,
                    "垂直管理": UnitKind.VERTICAL, "部门": UnitKind.CITY_DEPT})
_TRUE = {"是", "启用", "1", "true", "yes", "y", "√", "✓"}
_FALSE = {"否", "停用", "0", "false", "no", "n", "×", "✗"}
_SEPARATORS = (",", ",", ";", ";", "、", "\n")


class UnitImportError(LuoshiError):
    """The file was refused; `problems` lists every (row, message_en, message_zh) found."""

    def __init__(self, problems: list[tuple[int | None, str, str]]):
        self.problems = problems
        first_row, first_en, first_zh = problems[0]
        en = (f"row {first_row}: " if first_row else "") + first_en
        zh = (f"第{first_row}行:" if first_row else "") + first_zh
        if len(problems) > 1:
            en += f" (and {len(problems) - 1} more problem(s))"
            zh += f"(另有{len(problems) - 1}处问题)"
        super().__init__(en, zh)

    def all_messages_zh(self) -> list[str]:
        return [(f"第{r}行:" if r else "") + zh for r, _, zh in self.problems]

    def all_messages_en(self) -> list[str]:
        return [(f"row {r}: " if r else "") + en for r, en, _ in self.problems]


@dataclass
class UnitRow:
    row: int  # row number in the sheet (1 = header)
    name: str
    short_names: list[str]
    aliases: list[str]
    kind: str
    parent_name: str
    code: str
    sort_order: int | None
    is_active: bool

    def all_names(self) -> list[str]:
        return [self.name, *self.short_names, *self.aliases]


class Table(list):
    """Rows of cells read from a file, plus `notes`: (row, message_en, message_zh) about what reading
    changed, e.g. a merged cell filled down (合并单元格)."""

    def __init__(self, rows=(), notes=None):
        super().__init__(rows)
        self.notes: list[tuple[int | None, str, str]] = list(notes or [])


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    names: list[str] = field(default_factory=list)
    notes: list[tuple[int | None, str, str]] = field(default_factory=list)  # merged cells filled down
    warnings: list[tuple[int | None, str, str]] = field(default_factory=list)  # kind/parent disagreements

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


# ---- reading -------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value).strip()


def read_table(source) -> list[list[str]]:
    """Rows of cells (as stripped strings) from an .xlsx or .csv path or an uploaded file object."""
    name = str(getattr(source, "name", source))
    if name.lower().endswith(".csv"):
        raw = source.read() if hasattr(source, "read") else _read_bytes(name)
        text = decode_table_text(raw)
        if text is None:
            raise UnitImportError([(None, "cannot decode the CSV file (use UTF-8 or GB18030)",
                                    "无法识别CSV文件编码(请使用UTF-8或GB18030)")])
        return Table([_cell(c) for c in row] for row in csv.reader(io.StringIO(text)))
    import openpyxl

    if not hasattr(source, "read") and not Path(name).is_file():
        raise UnitImportError([(None, f"file not found: {name}", f"找不到文件:{name}")])
    from luoshi.core.safezip import UnsafeArchive, check_ooxml

    try:  # every part inflated once as a stream and counted before openpyxl sees it
        check_ooxml(source, "xlsx")
    except UnsafeArchive as exc:
        raise UnitImportError([(None, f"{Path(name).name}: {exc.message_en}", exc.message_zh)]) from None
    try:
        wb = openpyxl.load_workbook(source, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            rows = Table()
            for row in ws.iter_rows(values_only=True):
                rows.append([_cell(c) for c in row])
                if len(rows) > MAX_ROWS + 1:
                    raise UnitImportError([(None, f"the file has more than {MAX_ROWS} rows",
                                            f"文件超过{MAX_ROWS}行")])
            _fill_merged(rows, _merged_ranges(ws))
        finally:
            wb.close()
    except UnitImportError:
        raise
    except Exception:  # zipfile.BadZipFile, InvalidFileException, KeyError, XML errors …
        raise UnitImportError([(None, f"cannot read {Path(name).name}: not a valid .xlsx workbook "
                                      "(corrupt, encrypted, or another format)",
                                "无法读取该Excel文件:文件损坏、已加密或不是.xlsx格式")]) from None
    return rows


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, of the sheet's merged cells.

    openpyxl's read-only mode (kept for bounded memory) does not report merged cells, so the
    sheet's <mergeCells> element is read with a streaming parser from the same source.
    """
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    try:
        source = ws._get_source()
    except Exception:  # not a plain worksheet (chartsheet …): nothing merged to fill
        return []
    ranges = []
    with source:
        for _event, elem in iterparse(source):
            if elem.tag.endswith("}mergeCell") and elem.get("ref"):
                min_col, min_row, max_col, max_row = range_boundaries(elem.get("ref"))
                ranges.append((min_row, min_col, max_row, max_col))
                if len(ranges) > MAX_ROWS * 8:
                    raise UnitImportError([(None, "the sheet has too many merged cells", "工作表中合并单元格过多")])
            elif not elem.tag.endswith("}mergeCells"):
                elem.clear()
    return ranges


def _fill_merged(rows: Table, ranges) -> None:
    """Give every cell of a merged range the value of its top-left cell (a merged 上级单位 column
    means "the same parent for all these rows"), and note each fill for the operator."""
    header_at = next((i for i, r in enumerate(rows) if any(r)), None)
    header = rows[header_at] if header_at is not None else []
    for r1, c1, r2, c2 in sorted(ranges):
        if r1 > len(rows) or (r1 == r2 and c1 == c2):
            continue
        r2 = min(r2, len(rows))
        top = rows[r1 - 1]
        value = top[c1 - 1] if c1 - 1 < len(top) else ""
        # An empty merged block is empty in every row, as the sheet shows it (a stale value hidden under
        # the merge is not used), and is reported: under 上级单位 it makes its units top-level.
        for r in range(r1, r2 + 1):
            row = rows[r - 1]
            if len(row) < c2:
                row.extend([""] * (c2 - len(row)))
            for c in range(c1, c2 + 1):
                row[c - 1] = value
        if header_at is not None and r1 - 1 <= header_at:
            continue  # a merged header cell: no data row changed
        column = header[c1 - 1] if c1 - 1 < len(header) and header[c1 - 1] else f"column {c1}"
        span = f"{r1}-{r2}" if r2 > r1 else str(r1)
        if not value:
            if column == "上级单位":
                rows.notes.append((r1, f"rows {span}: 上级单位 is a merged cell with no value; these units get no "
                                       "parent (top level): fill the cell if they have one",
                                   f"第{span}行的“上级单位”是空的合并单元格:这些单位将没有上级单位(作为顶级单位),"
                                   "如有上级请填写"))
            else:
                rows.notes.append((r1, f"rows {span}: {column} is a merged cell with no value; left empty",
                                   f"第{span}行的“{column}”是空的合并单元格,按空值处理"))
            continue
        rows.notes.append((r1, f"rows {span}: {column} is a merged cell; filled down with {value!r}",
                           f"第{span}行的“{column}”是合并单元格,已按“{value}”向下填充"))


# A unit of this kind normally sits under one of these kinds (a 乡镇 under a 市直部门 is a typo).
_USUAL_PARENTS = {
    UnitKind.TOWN: {UnitKind.COUNTY, UnitKind.CITY},
    UnitKind.COUNTY: {UnitKind.CITY},
    UnitKind.COUNTY_DEPT: {UnitKind.COUNTY},
    UnitKind.CITY_DEPT: {UnitKind.CITY, UnitKind.CITY_DEPT},
}


def _read_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        raise UnitImportError([(None, f"file not found: {path}", f"找不到文件:{path}")]) from None


def _split_names(value: str) -> list[str]:
    for sep in _SEPARATORS:
        value = value.replace(sep, ",")
    # dict keeps the first occurrence in order: linear even for very long alias lists
    return list(dict.fromkeys(v for v in (part.strip() for part in value.split(",")) if v))


def parse_rows(rows: list[list[str]]) -> list[UnitRow]:
    """Check the header and every cell; raise UnitImportError listing all problems."""
    problems: list[tuple[int | None, str, str]] = []
    rows = list(rows)
    start = next((i for i, r in enumerate(rows) if any(r)), None)
    if start is None:
        raise UnitImportError([(None, "the file is empty", "文件为空")])
    header = [c.strip() for c in rows[start]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise UnitImportError([(start + 1, f"missing column(s) {', '.join(missing)}; the header row must be: "
                                           f"{', '.join(COLUMNS)}",
                                f"缺少列“{'、'.join(missing)}”;表头应为:{'、'.join(COLUMNS)}")])
    col = {name: header.index(name) for name in COLUMNS if name in header}

    def get(r, key):
        i = col.get(key)
        return r[i].strip() if i is not None and i < len(r) else ""

    out: list[UnitRow] = []
    for i, r in enumerate(rows[start + 1:], start=start + 2):
        if not any(c.strip() for c in r):
            continue
        if len(out) >= MAX_ROWS:
            raise UnitImportError([(None, f"the file has more than {MAX_ROWS} units", f"文件超过{MAX_ROWS}个单位")])
        try:
            name = check_plain_text(get(r, "单位全称"), "单位全称", "full name", max_length=100, required=True)
            shorts = [check_plain_text(n, "简称", "short name", max_length=100) for n in _split_names(get(r, "简称"))]
            aliases = [check_plain_text(n, "别名", "alias", max_length=100) for n in _split_names(get(r, "别名"))]
            parent = check_plain_text(get(r, "上级单位"), "上级单位", "parent", max_length=100)
            code = check_plain_text(get(r, "编码"), "编码", "code", max_length=32)
        except LuoshiError as exc:
            problems.append((i, exc.message_en, exc.message_zh))
            continue
        kind_text = get(r, "类型")
        kind = _KIND_WORDS.get(kind_text.replace(" ", "")) if kind_text else UnitKind.CITY_DEPT
        if kind is None:
            labels = "、".join(label for _, label in UnitKind.choices)
            problems.append((i, f"unknown unit kind {kind_text!r} (use one of: {', '.join(UnitKind.labels)})",
                             f"未知的单位类型“{kind_text}”(可用:{labels})"))
        order_text = get(r, "排序")
        sort_order = None
        if order_text:
            try:
                sort_order = int(float(order_text))
            except ValueError:
                problems.append((i, f"排序 must be a whole number, got {order_text!r}", f"排序应为整数,而不是“{order_text}”"))
        active_text = get(r, "启用").lower()
        if not active_text or active_text in _TRUE:
            active = True
        elif active_text in _FALSE:
            active = False
        else:
            problems.append((i, f"启用 must be 是 or 否, got {active_text!r}", f"“启用”应填“是”或“否”,而不是“{active_text}”"))
            active = True
        short_set = set(shorts)
        out.append(UnitRow(i, name, [n for n in shorts if n != name],
                           [n for n in aliases if n != name and n not in short_set],
                           kind or "", parent, code, sort_order, active))
    if not out and not problems:
        problems.append((None, "the file has a header but no units", "文件只有表头,没有单位"))
    problems.extend(_check_tree(out))
    if problems:
        problems.sort(key=lambda p: (p[0] or 0))
        raise UnitImportError(problems)
    return out


def _check_tree(rows: list[UnitRow]) -> list[tuple[int | None, str, str]]:
    """Duplicate names (in the file and against units not in it), unknown parents, cycles."""
    problems = []
    by_name: dict[str, UnitRow] = {}
    for row in rows:
        if row.name in by_name:
            first = by_name[row.name]
            problems.append((row.row, f"unit {row.name!r} appears twice (rows {first.row} and {row.row})",
                             f"单位“{row.name}”重复出现(第{first.row}行和第{row.row}行)"))
        else:
            by_name[row.name] = row
    # every name, short name and alias must point to one unit only
    file_names: dict[str, UnitRow] = {}
    for row in rows:
        for n in row.all_names():
            other = file_names.get(n)
            if other is not None and other.name != row.name:
                problems.append((row.row, f"name {n!r} is also used by {other.name!r} (row {other.row})",
                                 f"名称“{n}”与第{other.row}行“{other.name}”重复"))
            else:
                file_names.setdefault(n, row)
    db_units = {u.pk: u for u in Unit.objects.all().only("id", "name", "short_names", "aliases", "parent_id")}
    db_names: dict[str, Unit] = {}  # names of units the file does not touch
    for u in db_units.values():
        if u.name in by_name:
            continue
        for n in u.all_names():
            db_names.setdefault(n, u)
    for row in rows:
        for n in row.all_names():
            if n in db_names:
                u = db_names[n]
                problems.append((row.row, f"name {n!r} is already used by the existing unit {u.name!r}",
                                 f"名称“{n}”已被现有单位“{u.name}”使用"))
    # resolve parents to full names
    all_names: dict[str, str] = {}
    for n, u in db_names.items():
        all_names[n] = u.name
    for n, r in file_names.items():
        all_names.setdefault(n, r.name)
    parent_of: dict[str, str | None] = {}
    for u in db_units.values():
        if u.name not in by_name:
            parent_of[u.name] = db_units[u.parent_id].name if u.parent_id in db_units else None
    for row in by_name.values():
        if not row.parent_name:
            parent_of[row.name] = None
            continue
        full = all_names.get(row.parent_name)
        if full is None:
            problems.append((row.row, f"unknown parent unit {row.parent_name!r} (not in the file nor in the database)",
                             f"上级单位“{row.parent_name}”不存在(文件和系统中都没有)"))
            parent_of[row.name] = None
        else:
            parent_of[row.name] = full
    reported: set[str] = set()
    for row in by_name.values():
        chain, node = [row.name], parent_of.get(row.name)
        while node is not None:
            if node in chain:
                loop = chain[chain.index(node):] + [node]
                if not reported & set(loop):
                    reported |= set(loop)
                    problems.append((row.row, f"the parent chain {' → '.join(loop)} forms a cycle",
                                     f"上级关系“{' → '.join(loop)}”形成循环"))
                break
            chain.append(node)
            node = parent_of.get(node)
    return problems


def _parents(parsed: list[UnitRow]) -> dict[str, tuple[str, str] | None]:
    """Each row's parent as (full name, kind), from the file first, then the database."""
    by_any = {n: r for r in parsed for n in r.all_names()}
    out: dict[str, tuple[str, str] | None] = {}
    for r in parsed:
        if not r.parent_name:
            out[r.name] = None
        elif r.parent_name in by_any:
            parent = by_any[r.parent_name]
            out[r.name] = (parent.name, parent.kind)
        else:
            unit = _find_unit(r.parent_name)
            out[r.name] = (unit.name, unit.kind) if unit else None
    return out


def kind_warnings(parsed: list[UnitRow]) -> list[tuple[int | None, str, str]]:
    """Rows whose 类型 and 上级单位 disagree (a 乡镇/街道 under a 市直部门 …): flagged, not refused,
    since real trees have exceptions; the operator checks them."""
    warnings = []
    parents = _parents(parsed)
    for r in parsed:
        usual = _USUAL_PARENTS.get(r.kind)
        parent = parents.get(r.name)
        if not usual or parent is None or parent[1] in usual:
            continue
        kind, pkind = UnitKind(r.kind).label, UnitKind(parent[1]).label
        warnings.append((r.row, f"{r.name!r} is a {r.kind} under {parent[0]!r}, a {parent[1]}: check 类型 or 上级单位",
                         f"“{r.name}”类型为{kind},其上级单位“{parent[0]}”却是{pkind},请核对类型或上级单位"))
    return warnings


@dataclass
class ImportPlan:
    """What an import would do, without writing (`luoshi units import --check`)."""

    create: list[str] = field(default_factory=list)
    update: list[tuple[str, list[str]]] = field(default_factory=list)  # (name, changed columns)
    unchanged: int = 0
    notes: list[tuple[int | None, str, str]] = field(default_factory=list)
    warnings: list[tuple[int | None, str, str]] = field(default_factory=list)


_FIELD_COLUMNS = {"short_names": "简称", "aliases": "别名", "kind": "类型", "parent": "上级单位", "code": "编码",
                  "sort_order": "排序", "is_active": "启用"}


def plan_import(rows) -> ImportPlan:
    """Check `rows` (as read_table gives them) and say what importing them would change."""
    parsed = parse_rows(rows)
    plan = ImportPlan(notes=list(getattr(rows, "notes", [])), warnings=kind_warnings(parsed))
    parents = _parents(parsed)
    existing = {u.name: u for u in Unit.objects.filter(name__in=[r.name for r in parsed]).select_related("parent")}
    for r in parsed:
        unit = existing.get(r.name)
        if unit is None:
            plan.create.append(r.name)
            continue
        parent = parents.get(r.name)
        now = {"short_names": unit.short_names, "aliases": unit.aliases, "kind": unit.kind,
               "parent": unit.parent.name if unit.parent_id else None, "code": unit.code,
               "sort_order": unit.sort_order, "is_active": unit.is_active}
        new = {"short_names": r.short_names, "aliases": r.aliases, "kind": r.kind,
               "parent": parent[0] if parent else None, "code": r.code,
               "sort_order": unit.sort_order if r.sort_order is None else r.sort_order, "is_active": r.is_active}
        changed = [col for key, col in _FIELD_COLUMNS.items() if now[key] != new[key]]
        if changed:
            plan.update.append((r.name, changed))
        else:
            plan.unchanged += 1
    return plan


# ---- importing -----------------------------------------------------------

def import_units(source, actor=CLI_ACTOR, progress=None) -> ImportResult:
    """Import a unit table (path, file object, or list of rows); all or nothing.

    `progress(n)` is called as rows are checked and saved (for a progress bar).
    """
    rows = source if isinstance(source, list) else read_table(source)
    parsed = parse_rows(rows)
    warnings = kind_warnings(parsed)
    by_name = {r.name: r for r in parsed}
    order: list[UnitRow] = []
    placed: set[str] = set()
    name_to_full = {n: r.name for r in parsed for n in r.all_names()}

    def place(row: UnitRow):
        # iterative DFS: parents in the file go first (the tree is known to be acyclic)
        stack = [row]
        while stack:
            r = stack[-1]
            parent = by_name.get(name_to_full.get(r.parent_name, "")) if r.parent_name else None
            if parent is not None and parent.name not in placed:
                stack.append(parent)
                continue
            stack.pop()
            if r.name not in placed:
                placed.add(r.name)
                order.append(r)

    for r in parsed:
        place(r)

    result = ImportResult(notes=list(getattr(rows, "notes", [])), warnings=warnings)
    with transaction.atomic():
        existing = {u.name: u for u in Unit.objects.filter(name__in=list(by_name))}
        index = name_index()
        saved: dict[str, Unit] = {}
        next_order = (Unit.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0)
        for r in order:
            parent = None
            if r.parent_name:
                full = name_to_full.get(r.parent_name)
                parent = saved.get(full) if full else None
                if parent is None:
                    parent = _find_unit(r.parent_name)
            unit = existing.get(r.name)
            fields = {"name": r.name, "short_names": r.short_names, "aliases": r.aliases, "kind": r.kind,
                      "parent": parent, "code": r.code, "is_active": r.is_active}
            if r.sort_order is not None:
                fields["sort_order"] = r.sort_order
            elif unit is None:
                next_order += 1
                fields["sort_order"] = next_order
            if unit is not None and _same(unit, fields):
                result.unchanged += 1
                saved[r.name] = unit
            else:
                try:
                    saved[r.name] = do_save_unit(actor, unit, index=index, **fields)
                except LuoshiError as exc:
                    raise UnitImportError([(r.row, exc.message_en, exc.message_zh)]) from None
                if unit is None:
                    result.created += 1
                else:
                    result.updated += 1
            result.names.append(r.name)
            if progress:
                progress(1)
    return result


def _find_unit(name: str) -> Unit | None:
    unit = Unit.objects.filter(name=name).first()
    if unit is None:
        for u in Unit.objects.all():
            if name in u.all_names():
                return u
    return unit


def _same(unit: Unit, fields: dict) -> bool:
    for k, v in fields.items():
        if k == "parent":
            if unit.parent_id != (v.pk if v else None):
                return False
        elif getattr(unit, k) != v:
            return False
    return True


def count_rows(source) -> int:
    return len(parse_rows(read_table(source)))


# ---- exporting -----------------------------------------------------------

def tree_order(units=None) -> list[Unit]:
    """Units depth-first from the roots, siblings by 排序 then id."""
    units = list(units if units is not None else Unit.objects.select_related("parent").all())
    ids = {u.pk for u in units}
    kids: dict[int | None, list[Unit]] = {}
    for u in units:
        kids.setdefault(u.parent_id if u.parent_id in ids else None, []).append(u)
    for v in kids.values():
        v.sort(key=lambda u: (u.sort_order, u.pk))
    out, seen = [], set()
    stack = list(reversed(kids.get(None, [])))
    while stack:
        u = stack.pop()
        if u.pk in seen:
            continue
        seen.add(u.pk)
        out.append(u)
        stack.extend(reversed(kids.get(u.pk, [])))
    out.extend(u for u in units if u.pk not in seen)  # defensive: a cycle written behind our back
    return out


def unit_rows(units=None):
    for u in tree_order(units):
        yield [u.name, "、".join(u.short_names or []), "、".join(u.aliases or []), UnitKind(u.kind).label,
               u.parent.name if u.parent_id else "", u.code, u.sort_order, "是" if u.is_active else "否"]


def _write_xlsx(rows, out, title="单位"):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title
    append_row(ws, COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGH", [40, 24, 36, 14, 30, 14, 8, 8]):
        ws.column_dimensions[letter].width = width
    n = 0
    for row in rows:
        append_row(ws, row)
        n += 1
    ws.freeze_panes = "A2"
    wb.save(out)
    return n


def export_units_xlsx(out, units=None) -> int:
    """Write the unit tree (all units, or `units`) to `out` (path or file); returns the row count."""
    return _write_xlsx(unit_rows(units), out)


# ---- sample data ---------------------------------------------------------

def sample_rows() -> list[list[str]]:
    return read_table(str(SAMPLE_CSV))


def write_sample_xlsx(out) -> int:
    """The bundled sample tree (临江市) as an .xlsx, for trying the import."""
    rows = sample_rows()
    return _write_xlsx(([int(c) if j == 6 and c.isdigit() else c for j, c in enumerate(r)] for r in rows[1:]), out)


def load_sample_units(actor=None, progress=None) -> ImportResult:
    """Load the fictional 临江市 tree: ~60 市直部门, 垂直管理单位, 10 区县 and ~100 乡镇/街道."""
    return import_units(sample_rows(), actor=actor, progress=progress)
