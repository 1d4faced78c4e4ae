"""The scoring engine (计分): a plan's indicator tree + its sources → every unit's points, total, rank, grade.

Rules (stated once, used everywhere):
- Weights: scored top-level (一级) indicators add up to 100; each node's scored children add up to the
  node's weight (a plan whose weights do not add up is refused with the node named).
- Leaf points by the indicator's rule (params["rule"]): `rate` (fraction; linear from zero_at → 0 to
  full_at → full weight), `count` (weight − per × count, not below 0), `target` (direction ge: weight ×
  value/target capped at weight; le: full when value ≤ target, else weight × target/value; a unit with its
  own target in params["unit_targets"] — e.g. a district's 节能目标 — is scored against that), `score100`
  (weight × value/100). Bonus items add min(cap, per × value); deduction items subtract min(cap, per ×
  value); a triggered 一票否决 item takes away every other point (the unit's total is 0, grade 较差).
- No data: an automatic rate with nothing due scores full points (nothing was late); reported data,
  expert and survey items without data follow the plan: `zero` scores 0, `exclude` drops the item and
  scales the unit's other scored items to 100 (each item's weight and points are shown scaled, so the
  total is still the sum of the items' points).
- Ranks: by total, highest first; equal totals share a rank (1, 2, 2, 4); among equals the list order is
  the units' order in the unit tree (sort order, then id).
- Grades: 优秀 needs total ≥ the 优秀 floor AND a place within the quota (⌊n × quota%⌋ units of the
  group); units tied at the quota boundary all drop to 良好, so the quota is never exceeded. Then
  良好/一般 by floors, else 较差.
- 取消评优: a unit with a decided measure barring it (accountability hook, sources.register_measures)
  cannot be 优秀; its place in the quota is not given to another unit.
- Group: a unit is assessed in the group it belongs to on the period's last day (or on the reading day
  while the period runs); its own data over the whole period count.
All arithmetic is Decimal with half-up rounding (points to 0.01): the same data give the same result.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from luoshi.core.errors import LuoshiError
from luoshi.orgs.models import Unit

from .models import KIND_GROUP, GroupMembership, Indicator, Plan
from .sources import Measure, Period, get_source, parse_period
from .sources import measures as decided_measures

D0 = Decimal(0)
D100 = Decimal(100)
Q2 = Decimal("0.01")
DEFAULT_FLOORS = {"优秀": 90, "良好": 80, "一般": 60}
GRADES = ("优秀", "良好", "一般", "较差")
MISSING_KINDS = ("reported", "expert", "survey")


def q2(x: Decimal) -> Decimal:
    return Decimal(x).quantize(Q2, rounding=ROUND_HALF_UP)


def _clamp(x: Decimal, lo=D0, hi=Decimal(1)) -> Decimal:
    return max(lo, min(hi, x))


# ---------------------------------------------------------------- tree validation

def plan_tree(plan: Plan) -> list[Indicator]:
    """Active indicators in tree order (by code segments)."""
    inds = list(plan.indicators.filter(is_active=True))
    return sorted(inds, key=lambda i: ([int(p) if p.isdigit() else p for p in i.code.split(".")], i.id))


def validate_plan(plan: Plan, inds: list[Indicator] | None = None) -> list[Indicator]:
    """The plan's leaves (indicators that are scored), or LuoshiError naming the first problem:
    weights not adding up (一级 → 100, children → their parent), a leaf without method, depth > 3."""
    inds = plan_tree(plan) if inds is None else inds
    if not inds:
        raise LuoshiError(f"plan {plan.code} has no indicators", f"方案“{plan.name}”尚未设置考核指标")
    children = defaultdict(list)
    for i in inds:
        children[i.parent_id].append(i)
    leaves = []
    for i in inds:
        if i.level > 3:
            raise LuoshiError(f"indicator {i.code} is deeper than three levels",
                              f"指标“{i.code} {i.name}”超过三级", field="code")
        if not children.get(i.id):
            if not i.method:
                raise LuoshiError(f"indicator {i.code} {i.name} has no scoring method",
                                  f"末级指标“{i.code} {i.name}”未设置计分方法", field="method")
            get_source(i.method)
            leaves.append(i)
        elif i.kind != Indicator.Kind.SCORED:
            raise LuoshiError(f"indicator {i.code}: bonus, deduction and veto items cannot have sub-items",
                              f"加分、扣分、一票否决项“{i.code} {i.name}”不能有下级指标", field="parent")

    def check(parent: Indicator | None, expected: Decimal, label_en: str, label_zh: str):
        scored = [c for c in children.get(parent.id if parent else None, []) if c.kind == Indicator.Kind.SCORED]
        if not scored:
            return
        total = sum((c.weight for c in scored), D0)
        if total != expected:
            names = "、".join(f"{c.code} {c.name}({c.weight.normalize():f})" for c in scored)
            raise LuoshiError(
                f"weights of {label_en} add up to {total.normalize():f}, not {expected.normalize():f}",
                f"{label_zh}的分值合计为{total.normalize():f},应为{expected.normalize():f}:{names}",
                field="weight")
        for c in scored:
            if children.get(c.id):
                check(c, c.weight, f"the sub-indicators of {c.code}", f"“{c.code} {c.name}”的下级指标")

    check(None, D100, "the top-level indicators", "一级指标")
    return leaves


# ---------------------------------------------------------------- groups

def group_members(group: str, on: dt.date) -> list[Unit]:
    """Active units in `group` on day `on`: an explicit membership row covering the day, else the group of
    the unit's kind (市直部门/区县/乡镇街道) when the unit has no membership row at all."""
    explicit = defaultdict(list)
    for m in GroupMembership.objects.filter(since__lte=on).filter(Q(until__isnull=True) | Q(until__gte=on)):
        explicit[m.unit_id].append(m)
    has_rows = set(GroupMembership.objects.values_list("unit_id", flat=True).distinct())
    out = []
    for u in Unit.objects.filter(is_active=True).order_by("sort_order", "id"):
        if u.id in explicit:
            current = max(explicit[u.id], key=lambda m: (m.since, m.id)).group
        elif u.id in has_rows:
            continue
        else:
            current = KIND_GROUP.get(u.kind)
        if current == group:
            out.append(u)
    return out


# ---------------------------------------------------------------- points

def item_points(ind: Indicator, value: Decimal | None, weight: Decimal, target=None) -> Decimal:
    """Points of one item (see the module rules); `weight` is the leaf's weight; `target` the unit's own
    target (params["unit_targets"]) when it has one, overriding params["target"]."""
    src = get_source(ind.method)
    p = {**src.default_params, **(ind.params or {})}
    if target is not None:
        p["target"] = target
    cap = ind.cap if ind.cap is not None else (Decimal(str(p["cap"])) if p.get("cap") is not None else None)
    v = value if value is not None else D0
    per = Decimal(str(p.get("per", 1)))
    if ind.kind == Indicator.Kind.BONUS:
        pts = per * v
        return q2(min(pts, cap) if cap is not None else pts)
    if ind.kind == Indicator.Kind.DEDUCT:
        pts = per * v
        return -q2(min(pts, cap) if cap is not None else pts)
    if ind.kind == Indicator.Kind.VETO:
        return D0
    rule = p.get("rule", "rate")
    if rule == "rate":
        if value is None:
            return q2(weight)
        full, zero = Decimal(str(p.get("full_at", 1))), Decimal(str(p.get("zero_at", 0)))
        frac = _clamp((v - zero) / (full - zero)) if full != zero else Decimal(v >= full)
        return q2(weight * frac)
    if rule == "count":
        return q2(max(D0, weight - per * v))
    if rule == "target":
        target = Decimal(str(p.get("target", 0)))
        if p.get("direction", "ge") == "le":
            if v <= target:
                return q2(weight)
            return q2(weight * _clamp(target / v)) if v > 0 else D0
        if target <= 0:
            return q2(weight if v >= target else D0)
        return q2(weight * _clamp(v / target))
    if rule == "score100":
        return q2(weight * _clamp(v / D100))
    raise LuoshiError(f"indicator {ind.code}: unknown rule {rule!r}", f"指标“{ind.code}”的计分规则“{rule}”无效",
                      field="params")


# ---------------------------------------------------------------- ranking

@dataclass
class Ranked:
    unit_id: int
    total: Decimal
    vetoed: bool
    order: tuple
    no_excellent: bool = False
    rank: int = 0
    position: int = 0
    grade: str = ""


def rank_and_grade(entries: list[Ranked], plan: Plan) -> list[Ranked]:
    """Order, rank and grade one group's results in place (rules in the module docstring)."""
    entries.sort(key=lambda e: (-e.total, e.order))
    floors = {**DEFAULT_FLOORS, **(plan.grade_floors or {})}
    quota = len(entries) * plan.excellent_quota // 100
    at_least = defaultdict(int)  # total -> number of units with that total or more
    for e in entries:
        at_least[e.total] += 1
    running = 0
    for t in sorted(at_least, reverse=True):
        running += at_least[t]
        at_least[t] = running
    prev = None
    for pos, e in enumerate(entries, 1):
        e.position = pos
        e.rank = pos if prev is None or e.total != prev.total else prev.rank
        prev = e
        if e.vetoed:
            e.grade = "较差"
        elif (e.total >= Decimal(str(floors["优秀"])) and at_least[e.total] <= quota
              and not e.no_excellent):
            e.grade = "优秀"
        elif e.total >= Decimal(str(floors["良好"])):
            e.grade = "良好"
        elif e.total >= Decimal(str(floors["一般"])):
            e.grade = "一般"
        else:
            e.grade = "较差"
    return entries


# ---------------------------------------------------------------- computing

@dataclass
class ItemScore:
    indicator: Indicator
    value: Decimal | None
    points: Decimal
    weight: Decimal
    rows: int
    note: str = ""


@dataclass
class UnitScore:
    unit: Unit
    items: list[ItemScore] = field(default_factory=list)
    total: Decimal = D0
    vetoed: bool = False
    no_excellent: bool = False
    rank: int = 0
    position: int = 0
    grade: str = ""


@dataclass
class Computed:
    plan: Plan
    period: Period
    units: list[UnitScore]
    leaves: list[Indicator]
    timings: dict = field(default_factory=dict)  # method → seconds spent reading its values


def resolve_period(plan: Plan, period: str | None = None, as_of: dt.date | None = None) -> Period:
    """The plan's period (or `period`, which must lie within it), read on `as_of` (default: the day after
    the period ends, or today while it runs)."""
    base = parse_period(plan.period)
    p = parse_period(period) if period else base
    if p.start < base.start or p.end > base.end:
        raise LuoshiError(f"period {p.label} is outside the plan's period {base.label}",
                          f"考核周期{p.label}不在方案周期{base.label}之内", field="period")
    return p.at(as_of or dt.date.today() + dt.timedelta(days=1))


def compute(plan: Plan, period: str | None = None, as_of: dt.date | None = None) -> Computed:
    """Score every unit of the plan's group for the period. Read-only; deterministic."""
    per = resolve_period(plan, period, as_of)
    leaves = validate_plan(plan)
    member_day = min(per.end, per.as_of - dt.timedelta(days=1))
    units = group_members(plan.group, member_day)
    unit_ids = [u.id for u in units]
    cache: dict[str, dict[int, Measure]] = {}
    measures: dict[int, dict[int, Measure]] = {}
    timings: dict[str, float] = defaultdict(float)
    for leaf in leaves:
        src = get_source(leaf.method)
        t0 = time.perf_counter()
        if src.per_indicator:
            measures[leaf.id] = src.compute(unit_ids, per, leaf)
        else:
            if leaf.method not in cache:
                cache[leaf.method] = src.compute(unit_ids, per, leaf)
            measures[leaf.id] = cache[leaf.method]
        timings[leaf.method] += time.perf_counter() - t0
    exclude = plan.missing_policy == Plan.Missing.EXCLUDE
    barred = {uid for uid, entries in decided_measures(unit_ids, per).items() if any(e.get("no_excellent") for e in entries)}
    scored_units = []
    empty = Measure(None, 0)
    kinds = {leaf.id: get_source(leaf.method).kind for leaf in leaves}
    memo: dict[tuple, Decimal] = {}  # (leaf, value) → points: many units share a value

    def points_of(leaf, value, target=None):
        key = (leaf.id, value, target)
        if key not in memo:
            memo[key] = item_points(leaf, value, leaf.weight, target)
        return memo[key]

    unit_targets = {leaf.id: (leaf.params or {}).get("unit_targets") or {} for leaf in leaves}

    for u in units:
        us = UnitScore(u, no_excellent=u.id in barred)
        excluded = D0
        for leaf in leaves:
            m = measures[leaf.id].get(u.id, empty)
            src_kind = kinds[leaf.id]
            value = m.value
            if leaf.kind == Indicator.Kind.SCORED and value is None and src_kind in MISSING_KINDS:
                if exclude:
                    excluded += leaf.weight
                    us.items.append(ItemScore(leaf, None, D0, D0, 0, "缺报,不计入"))
                    continue
                us.items.append(ItemScore(leaf, None, D0, leaf.weight, 0, "缺报,按零分计"))
                continue
            if value is None and leaf.kind != Indicator.Kind.SCORED:
                value = D0
            note = "无应考核事项,按满分计" if value is None else ""
            own = unit_targets[leaf.id].get(str(u.id))
            if own is not None:
                note = f"本单位目标值{Decimal(str(own)).normalize():f}"
            weight = leaf.weight if leaf.kind == Indicator.Kind.SCORED else D0
            us.items.append(ItemScore(leaf, value, points_of(leaf, value, own), weight, m.rows, note))
        if excluded:
            scale = D100 / (D100 - excluded) if excluded < D100 else D0
            kept = [it for it in us.items if it.indicator.kind == Indicator.Kind.SCORED and it.weight]
            want_points = q2(sum((it.points for it in kept), D0) * scale)
            for it in kept:
                it.weight, it.points = q2(it.weight * scale), q2(it.points * scale)
            if kept:  # rounding remainders go to the heaviest item, so weights add to 100 again
                big = max(kept, key=lambda it: (it.weight, -it.indicator.id))
                big.weight += (D100 if scale else D0) - sum((it.weight for it in kept), D0)
                big.points += want_points - sum((it.points for it in kept), D0)
        vetoes = [it for it in us.items if it.indicator.kind == Indicator.Kind.VETO and it.value and it.value > 0]
        if vetoes:
            others = sum((it.points for it in us.items if it is not vetoes[0]), D0)
            vetoes[0].points = -others
            vetoes[0].note = "一票否决"
            us.vetoed = True
        us.total = sum((it.points for it in us.items), D0)
        scored_units.append(us)
    ranked = rank_and_grade([Ranked(s.unit.id, s.total, s.vetoed, (s.unit.sort_order, s.unit.id), s.no_excellent)
                             for s in scored_units], plan)
    by_id = {s.unit.id: s for s in scored_units}
    out = []
    for r in ranked:
        s = by_id[r.unit_id]
        s.rank, s.position, s.grade = r.rank, r.position, r.grade
        out.append(s)
    return Computed(plan, per, out, leaves, {k: round(v, 2) for k, v in timings.items()})


def _num(x):
    return None if x is None else float(x)


def computed_json(c: Computed) -> dict:
    """The `luoshi assess score --json` shape (live computation)."""
    return {
        "plan": c.plan.code, "period": c.period.label, "as_of": c.period.as_of.isoformat(),
        "published": False,
        "units": [{
            "unit": s.unit.name, "unit_id": s.unit.id, "total": _num(s.total), "rank": s.rank, "grade": s.grade,
            "vetoed": s.vetoed, "no_excellent": s.no_excellent,
            "items": [{"indicator": it.indicator.code, "name": it.indicator.name, "kind": it.indicator.kind,
                       "method": it.indicator.method, "value": _num(it.value), "points": _num(it.points),
                       "weight": _num(it.weight), "rows": it.rows, "note": it.note} for it in s.items],
        } for s in c.units],
    }
