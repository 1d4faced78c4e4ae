"""Unit tree (单位) rules: names, aliases, cycles, subtree queries, name matching."""
from __future__ import annotations

import time
from collections import defaultdict

from django.db import transaction

from luoshi.audit.services import record, snapshot
from luoshi.core.errors import LuoshiError, check_plain_text

from .models import Unit, UnitKind

UNIT_FIELDS = ["name", "short_names", "aliases", "kind", "parent", "code", "sort_order", "is_active"]


def _names_clean(values) -> list[str]:
    if isinstance(values, str):
        values = values.replace(",", ",").replace("、", ",").replace(";", ",").split(",")
    out = []
    for v in values or []:
        v = check_plain_text(str(v), "单位简称/别名", "unit alias", max_length=100)
        if v and v not in out:
            out.append(v)
    return out


def name_index(exclude_pk=None) -> dict[str, int]:
    """Every full name, short name and alias → unit id."""
    index = {}
    for pk, name, shorts, aliases in Unit.objects.values_list("id", "name", "short_names", "aliases"):
        if pk == exclude_pk:
            continue
        for n in [name, *(shorts or []), *(aliases or [])]:
            index.setdefault(n, pk)
    return index


def _check_names(unit: Unit, index: dict[str, int] | None = None) -> None:
    if index is None:
        index = name_index(exclude_pk=unit.pk)
    for n in unit.all_names():
        if index.get(n, unit.pk) != unit.pk:
            other = Unit.objects.get(pk=index[n])
            raise LuoshiError(f"unit name {n!r} is already used by {other.name!r}",
                              f"单位名称“{n}”已被“{other.name}”使用", field="name")


def _check_parent(unit: Unit) -> None:
    node, seen = unit.parent, set()
    while node is not None:
        if node.pk == unit.pk or node.pk in seen:
            raise LuoshiError(f"making {unit.parent.name!r} the parent of {unit.name!r} would create a cycle",
                              f"将“{unit.parent.name}”设为“{unit.name}”的上级会形成循环", field="parent")
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def do_save_unit(actor, unit: Unit | None = None, *, index: dict[str, int] | None = None, **fields) -> Unit:
    """Create or change a unit; refuses duplicate names/aliases and cycles.

    A batch caller (the importer) passes the `index` from name_index() and
    gets it kept up to date, so each save need not rescan the whole table.
    """
    creating = unit is None
    unit = unit or Unit()
    before = None if creating else snapshot(Unit.objects.get(pk=unit.pk), UNIT_FIELDS)
    if "name" in fields:
        fields["name"] = check_plain_text(fields["name"], "单位全称", "unit name", max_length=100, required=True)
    for key in ("short_names", "aliases"):
        if key in fields:
            fields[key] = _names_clean(fields[key])
    if "kind" in fields and fields["kind"] not in UnitKind.values:
        raise LuoshiError(f"unknown unit kind {fields['kind']!r}", f"未知的单位类型“{fields['kind']}”", field="kind")
    for k, v in fields.items():
        setattr(unit, k, v)
    if not unit.name:
        raise LuoshiError("unit name is required", "单位全称不能为空", field="name")
    _check_names(unit, index)
    if unit.pk:
        _check_parent(unit)
    unit.save()
    if index is not None:
        for name in [k for k, pk in index.items() if pk == unit.pk]:
            del index[name]
        for name in unit.all_names():
            index.setdefault(name, unit.pk)
    transaction.on_commit(forget_search_index)
    forget_search_index()
    record(actor, "unit.create" if creating else "unit.update", unit,
           before=before, after=snapshot(unit, UNIT_FIELDS))
    return unit


def children_map() -> dict[int | None, list[int]]:
    out: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Unit.objects.values_list("id", "parent_id"):
        out[parent].append(pk)
    return out


def subtree_ids(unit_id: int, cmap=None) -> set[int]:
    """The unit and every unit below it."""
    cmap = cmap if cmap is not None else children_map()
    out, stack = set(), [unit_id]
    while stack:
        pk = stack.pop()
        if pk in out:
            continue
        out.add(pk)
        stack.extend(cmap.get(pk, ()))
    return out


def match_units(names) -> dict[str, Unit | None]:
    """Match extracted unit names to the tree by full name, short name or alias."""
    index = name_index()
    units = Unit.objects.in_bulk(set(index.values()))
    out = {}
    for name in names:
        pk = index.get(name)
        if pk is None:
            # 市发展和改革委员会 written with or without brackets/space variants
            key = name.replace(" ", "").replace("(", "(").replace(")", ")")
            pk = index.get(key)
        out[name] = units.get(pk) if pk else None
    return out


def _abbreviates(short: str, full: str) -> bool:
    """True if every character of `short` appears in `full`, in order (市住建局 → 市住房和城乡建设局)."""
    it = iter(full)
    return all(ch in it for ch in short)


def suggest_units(names, limit: int = 5, cutoff: float = 55.0) -> dict[str, list[tuple[Unit, float]]]:
    """Ranked guesses (单位推荐) for unit names that match no unit exactly, best first.

    Each name is compared with every full name, short name and alias of the active units by
    rapidfuzz's WRatio (0–100); a name whose characters all occur, in order, in a unit's name
    (a Chinese abbreviation: 效能办 → 市效能办, 市住建局 → 市住房和城乡建设局) scores at least
    75. Returns {name: [(unit, score), …]} with at most `limit` distinct active units per name
    scoring `cutoff` or more; the person reviewing confirms one, nothing is chosen for them.
    """
    from rapidfuzz import fuzz, utils

    index = name_index()
    active = Unit.objects.filter(is_active=True).in_bulk(set(index.values()))
    choices = [(n, pk) for n, pk in index.items() if pk in active]
    out: dict[str, list[tuple[Unit, float]]] = {}
    for name in names:
        key = (name or "").replace(" ", "").replace("(", "(").replace(")", ")")[:100]
        best: dict[int, float] = {}
        if key:
            for cand, pk in choices:
                score = fuzz.WRatio(key, cand, processor=utils.default_process)
                if len(key) >= 2 and len(key) < len(cand) and _abbreviates(key, cand):
                    score = max(score, 75 + 25 * len(key) / len(cand))
                if score >= cutoff and score > best.get(pk, -1):
                    best[pk] = score
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], len(active[kv[0]].name), kv[0]))[:limit]
        out[name] = [(active[pk], round(score, 1)) for pk, score in ranked]
    return out


SEARCH_LIMIT = 50
SEARCH_INDEX_TTL = 60  # seconds: another process's unit edit shows in the type-ahead within a minute

_search_index: tuple[float, list] | None = None


def forget_search_index() -> None:
    """Drop this process's type-ahead index (do_save_unit calls it on every change)."""
    global _search_index
    _search_index = None


def _index() -> list:
    """[(id, name, display_name, kind label, parent name, [(key, name)])] of the active units in tree order,
    kept per process for SEARCH_INDEX_TTL seconds (units change rarely; a keystroke must not read them all)."""
    global _search_index
    now = time.monotonic()
    if _search_index is not None and now - _search_index[0] < SEARCH_INDEX_TTL:
        return _search_index[1]
    rows = []
    for pk, name, shorts, aliases, kind, parent in (
            Unit.objects.filter(is_active=True).order_by("sort_order", "id")
            .values_list("id", "name", "short_names", "aliases", "kind", "parent__name")):
        keys = [(str(n).replace(" ", "").lower(), n) for n in [name, *(shorts or []), *(aliases or [])]]
        rows.append((pk, name, (shorts or [name])[0],
                     UnitKind(kind).label if kind in UnitKind.values else kind, parent or "", keys))
    _search_index = (now, rows)
    return rows


def search_units(q: str, *, within: set[int] | None = None, limit: int = 20) -> list[dict]:
    """Type-ahead search (单位选择): active units whose full name, short name or alias contains `q`
    (case-insensitive, spaces ignored), best first — a name equal to `q`, then one starting with it, then
    one containing it; ties in tree order (sort_order, id). `within`: only these unit ids (None: every unit).
    Returns at most `limit` (1..50) rows {"id", "name", "display_name", "matched" (the name that matched,
    "" when it is the full name), "kind", "parent"}. An empty `q` lists the first units in tree order.
    Reads a per-process index of the unit table (refreshed every minute and on every change here)."""
    q = (q or "").strip().replace(" ", "").lower()[:50]
    limit = max(1, min(int(limit), SEARCH_LIMIT))
    hits = []
    for pk, name, display, kind, parent, keys in _index():
        if within is not None and pk not in within:
            continue
        best, matched = None, ""
        for key, n in keys:
            rank = 0 if key == q else 1 if key.startswith(q) else 2 if q in key else None
            if rank is not None and (best is None or rank < best):
                best, matched = rank, ("" if n == name else n)
        if best is None:
            continue
        hits.append((best, len(hits), {"id": pk, "name": name, "display_name": display, "matched": matched,
                                       "kind": kind, "parent": parent}))
        if not q and len(hits) >= limit:
            break
    hits.sort(key=lambda h: (h[0], h[1]))
    return [h[2] for h in hits[:limit]]


def unit_ids_matching(q: str, limit: int = 500) -> list[int]:
    """Ids of the active units whose full name, short name or alias contains `q` (spaces ignored), in tree
    order, at most `limit` (the ledger's unit filter of a large organisation)."""
    q = _norm(q)[:50]
    if not q:
        return []
    out = []
    for pk, _name, _display, _kind, _parent, keys in _index():
        if any(q in key for key, _n in keys):
            out.append(pk)
            if len(out) >= limit:
                break
    return out


# ---- typed unit names (the unit chooser without JavaScript) -------------------------------------------

NAME_SEPARATORS = r"[,,、;;\n]+"


def _norm(text: str) -> str:
    return (text or "").strip().replace(" ", "").replace("\u3000", "").lower()


def resolve_unit_text(text: str, within: set[int] | None = None, *, label: str = "单位") -> Unit:
    """The one active unit (among `within`; None: every unit) whose full name, short name or alias is `text`,
    or whose names are the only ones containing it. Otherwise LuoshiError with a Chinese message naming the
    ranked candidates (the type-ahead's order; rapidfuzz's suggest_units when nothing contains the text);
    the error's `suggestions` holds them as [(id, name)]."""
    text = (text or "").strip()[:100]
    key = _norm(text)
    if not key:
        raise LuoshiError("empty unit name", f"请填写{label}名称", field="unit")
    hits = search_units(key, within=within, limit=SEARCH_LIMIT)
    exact = [h for h in hits if _norm(h["matched"] or h["name"]) == key]
    if len(exact) == 1 or len(hits) == 1:
        return Unit.objects.get(pk=(exact or hits)[0]["id"])
    if hits:
        shown = hits[:8]
        names = "、".join(h["name"] for h in shown) + ("等" if len(hits) > len(shown) else "")
        more = f"{len(hits)}个以上" if len(hits) >= SEARCH_LIMIT else f"{len(hits)}个"
        err = LuoshiError(f"{text!r} matches {len(hits)} units; type the full name",
                          f"“{text}”对应{more}{label}:{names}。请输入完整名称、简称或别名,或从候选中选择",
                          field="unit")
        err.suggestions = [(h["id"], h["name"]) for h in shown]
        raise err
    guesses = [(u.pk, u.name) for u, _score in suggest_units([text], limit=8).get(text, [])
               if within is None or u.pk in within][:5]
    if guesses:
        msg = f"没有名称、简称或别名为“{text}”的可选{label}。相近的{label}:{'、'.join(n for _i, n in guesses)}"
    else:
        msg = f"没有名称、简称或别名为“{text}”的可选{label},请检查输入"
    err = LuoshiError(f"no unit you may choose is named {text!r}", msg, field="unit")
    err.suggestions = guesses
    raise err


def resolve_unit_texts(text: str, within: set[int] | None = None, *, multiple: bool = False,
                       label: str = "单位") -> list[Unit]:
    """resolve_unit_text for each name of `text` (several separated by , 、 ; or new lines when `multiple`).
    The first name that does not resolve raises its LuoshiError."""
    import re

    parts = [p for p in re.split(NAME_SEPARATORS, text or "") if p.strip()] if multiple else [text]
    out: list[Unit] = []
    for part in parts[:50]:
        unit = resolve_unit_text(part, within, label=label)
        if unit not in out:
            out.append(unit)
    return out


# Named sets of units the type-ahead may be restricted to (GET /api/units/search/?members_of=…): a higher
# app registers a function (user, raw value) -> set of unit ids (raising LuoshiError/NotAllowed on bad input).
UNIT_SETS: dict[str, object] = {}


def register_unit_set(param: str, resolve) -> None:
    UNIT_SETS[param] = resolve
