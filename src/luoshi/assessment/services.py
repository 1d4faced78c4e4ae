"""Assessment writes (every one audited, all-or-nothing) and the reads every page, API call, export and
document goes through.

Who may do what:
- 督查员/管理员 (the 考核办): plans, indicators, groups, reviews, expert scores, adjustments, runs,
  publication, appeal decisions.
- 单位联络员: report figures (with evidence) for their own unit; appeal their own unit's published items.
- Results: before publication only the office sees them; after publication everyone signed in sees the
  ranking, and a unit's score card (its items and rows) is seen by that unit, leaders whose scope covers
  it (the ledger's unit_scope rule) and the office.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from luoshi.audit.services import record, snapshot
from luoshi.core.errors import LuoshiError, NotAllowed, check_plain_text, deny
from luoshi.core.scope import unit_scope
from luoshi.orgs.models import Unit

from . import scoring
from .models import (Adjustment, Appeal, ExpertScore, Group, GroupMembership, Indicator, ItemResult, Plan,
                     ReportedFigure, ScoreRun, ScoreSheet, Survey, SurveyCode, SurveyLink, SurveyResponse, UnitResult)
from .sources import get_source, parse_period

EVIDENCE_EXT = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".zip", ".txt"}
MAX_EVIDENCE = 20 * 1024 * 1024
PLAN_FIELDS = ["code", "name", "period", "group", "state", "missing_policy", "excellent_quota", "grade_floors",
               "min_raters_to_trim", "appeal_days"]
IND_FIELDS = ["code", "name", "kind", "weight", "method", "params", "cap", "description", "is_active"]


def _office(actor, what_en="manage assessment", what_zh="管理绩效考核"):
    if not getattr(actor, "sees_everything", False):
        deny(what_en, what_zh)


def _decimal(value, label_zh: str, field: str, *, lo=None, hi=None) -> Decimal:
    try:
        d = Decimal(str(value).strip())
        if not d.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise LuoshiError(f"{field} must be a number", f"{label_zh}必须是数字", field=field) from None
    if (lo is not None and d < lo) or (hi is not None and d > hi):
        raise LuoshiError(f"{field} must be between {lo} and {hi}", f"{label_zh}应在{lo}到{hi}之间", field=field)
    if abs(d) >= Decimal("1e12"):
        raise LuoshiError(f"{field} is too large", f"{label_zh}数值过大", field=field)
    return d


def _check_file(f, label_zh="佐证材料"):
    if not f:
        return
    ext = PurePath(f.name).suffix.lower()
    if ext not in EVIDENCE_EXT:
        raise LuoshiError(f"evidence files must be one of {', '.join(sorted(EVIDENCE_EXT))}",
                          f"{label_zh}只能是PDF、图片、Word、Excel、OFD、压缩包或文本文件", field="evidence")
    if f.size > MAX_EVIDENCE:
        raise LuoshiError("the evidence file is larger than 20 MB", f"{label_zh}不能超过20 MB", field="evidence")


# ---------------------------------------------------------------- plans and indicators

@transaction.atomic
def do_save_plan(actor, plan: Plan | None = None, **fields) -> Plan:
    """Create or change a plan (考核方案). Fields: code, name, period (2026 / 2026-H1 / 2026-Q3), group,
    missing_policy (zero|exclude), excellent_quota (0-100), grade_floors, min_raters_to_trim, appeal_days."""
    _office(actor)
    creating = plan is None
    before = None if creating else snapshot(plan, PLAN_FIELDS)
    plan = plan or Plan(created_by=actor)
    if "code" in fields:
        code = check_plain_text(fields["code"], "方案编号", "code", max_length=40, required=True)
        if not all(c.isalnum() or c in "-_" for c in code):
            raise LuoshiError("code may contain letters, digits, - and _ only", "方案编号只能包含字母、数字、-和_",
                              field="code")
        if Plan.objects.filter(code=code).exclude(pk=plan.pk).exists():
            raise LuoshiError(f"plan code {code} is already used", f"方案编号“{code}”已被使用", field="code")
        fields["code"] = code
    if "name" in fields:
        fields["name"] = check_plain_text(fields["name"], "方案名称", "name", max_length=200, required=True)
    if "period" in fields:
        fields["period"] = parse_period(fields["period"]).label
    if "group" in fields and fields["group"] not in Group.values:
        raise LuoshiError(f"group must be one of {', '.join(Group.values)}", "考核类别无效", field="group")
    if "missing_policy" in fields and fields["missing_policy"] not in Plan.Missing.values:
        raise LuoshiError("missing_policy must be zero or exclude", "缺报数据处理方式无效", field="missing_policy")
    if "excellent_quota" in fields:
        fields["excellent_quota"] = int(_decimal(fields["excellent_quota"], "优秀比例", "excellent_quota", lo=0, hi=100))
    if "appeal_days" in fields:
        fields["appeal_days"] = int(_decimal(fields["appeal_days"], "申诉期", "appeal_days", lo=1, hi=90))
    if "grade_floors" in fields:
        floors = fields["grade_floors"] or {}
        if not isinstance(floors, dict) or set(floors) - set(scoring.DEFAULT_FLOORS):
            raise LuoshiError("grade_floors takes 优秀, 良好 and 一般", "等次分数线只能设置优秀、良好、一般",
                              field="grade_floors")
        fields["grade_floors"] = {k: float(_decimal(v, f"{k}分数线", "grade_floors", lo=0, hi=200))
                                  for k, v in floors.items()}
    for k, v in fields.items():
        if k not in PLAN_FIELDS:
            raise LuoshiError(f"unknown plan field {k}", f"未知的方案字段“{k}”", field=k)
        setattr(plan, k, v)
    for req in ("code", "name", "period", "group"):
        if not getattr(plan, req):
            raise LuoshiError(f"{req} is required", "方案编号、名称、周期和类别不能为空", field=req)
    plan.save()
    record(actor, "assessment.plan.create" if creating else "assessment.plan.update", plan,
           before=before, after=snapshot(plan, PLAN_FIELDS))
    return plan


def _clean_params(params, method: str) -> dict:
    if params in (None, ""):
        return {}
    if not isinstance(params, dict):
        raise LuoshiError("params must be an object", "计分参数格式无效", field="params")
    out = {}
    for k, v in params.items():
        if k in ("rule", "direction"):
            allowed = {"rule": ("rate", "count", "target", "score100"), "direction": ("ge", "le")}[k]
            if v not in allowed:
                raise LuoshiError(f"{k} must be one of {', '.join(allowed)}", f"计分参数{k}无效", field="params")
            out[k] = v
        elif k in ("full_at", "zero_at", "per", "target", "cap"):
            out[k] = float(_decimal(v, f"计分参数{k}", "params"))
        elif k == "unit_targets":
            out[k] = _clean_unit_targets(v)
        else:
            raise LuoshiError(f"unknown parameter {k}", f"未知的计分参数“{k}”", field="params")
    return out


def _clean_unit_targets(targets) -> dict:
    """{unit id (as text): target} — every id an existing unit, every target a finite number."""
    if not isinstance(targets, dict) or len(targets) > 20000:
        raise LuoshiError("unit_targets must map unit ids to numbers", "单位目标值格式无效", field="params")
    ids = {}
    for k, v in targets.items():
        try:
            ids[int(k)] = float(_decimal(v, "单位目标值", "params"))
        except (TypeError, ValueError):
            raise LuoshiError("unit_targets must map unit ids to numbers", "单位目标值格式无效", field="params") from None
    missing = set(ids) - set(Unit.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))
    if missing:
        raise LuoshiError(f"unknown units {sorted(missing)}", "单位目标值中有不存在的单位", field="params")
    return {str(k): v for k, v in sorted(ids.items())}


@transaction.atomic
def do_set_unit_targets(actor, indicator: Indicator, targets: dict) -> Indicator:
    """Give units their own target on a `target`-rule indicator (e.g. each district's 节能目标 for
    单位GDP能耗下降率): `targets` maps Unit → number (None removes the unit's own target). A unit without
    one is scored against the indicator's `target`. Audited with the targets before and after."""
    _office(actor, "set unit targets", "设置单位目标值")
    ind = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _editable(ind.plan)
    src = get_source(ind.method) if ind.method else None
    rule = {**(src.default_params if src else {}), **(ind.params or {})}.get("rule")
    if rule != "target":
        raise LuoshiError("only indicators scored against a target take unit targets",
                          "只有“对照目标值”计分的指标可以设置单位目标值", field="indicator")
    params = dict(ind.params or {})
    before = dict(params.get("unit_targets") or {})
    merged = dict(before)
    for unit, value in targets.items():
        if value in (None, ""):
            merged.pop(str(unit.pk), None)
        else:
            merged[str(unit.pk)] = value
    params["unit_targets"] = _clean_unit_targets(merged)
    if not params["unit_targets"]:
        params.pop("unit_targets")
    ind.params = params
    ind.save(update_fields=["params"])
    names = dict(Unit.objects.filter(pk__in=[int(k) for k in {**before, **merged}]).values_list("pk", "name"))
    record(actor, "assessment.indicator.targets", ind, summary=f"{ind.plan.code} {ind.code} {ind.name}:单位目标值",
           before={names[int(k)]: v for k, v in before.items()},
           after={names[int(k)]: v for k, v in (params.get("unit_targets") or {}).items()})
    return ind


def unit_target(indicator: Indicator, unit_id: int):
    """The target `unit_id` is scored against on `indicator` (its own, else the indicator's), or None."""
    own = (indicator.params or {}).get("unit_targets", {}).get(str(unit_id))
    if own is not None:
        return own
    src = get_source(indicator.method) if indicator.method else None
    return {**(src.default_params if src else {}), **(indicator.params or {})}.get("target")


@transaction.atomic
def do_save_indicator(actor, plan: Plan, indicator: Indicator | None = None, *, parent: Indicator | None = None,
                      **fields) -> Indicator:
    """Add or change one indicator. `code` is its place in the tree (1, 1.2, 1.2.3) and must extend its
    parent's code; weight ≥ 0; method a registered source (leaves); params per scoring.item_points.
    Whether weights add up is checked by validate_plan (the editor shows it; scoring refuses until fixed)."""
    _office(actor)
    creating = indicator is None
    if not creating:  # the row as it is now (a move may have renumbered it since the caller read it)
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = None if creating else snapshot(indicator, IND_FIELDS)
    ind = indicator or Indicator(plan=plan, parent=parent)
    if parent is not None and parent.plan_id != plan.id:
        raise LuoshiError("the parent indicator belongs to another plan", "上级指标不属于本方案", field="parent")
    if "code" in fields:
        code = check_plain_text(fields["code"], "指标序号", "code", max_length=20, required=True)
        parts = code.split(".")
        if not all(p.isdigit() for p in parts) or len(parts) > 3:
            raise LuoshiError("code is 1, 1.2 or 1.2.3", "指标序号应为1、1.2或1.2.3的形式", field="code")
        want_parent = ind.parent.code if ind.parent else None
        if (".".join(parts[:-1]) or None) != want_parent:
            raise LuoshiError(f"code {code} does not sit under {want_parent or 'the top level'}",
                              f"序号“{code}”与上级指标“{want_parent or '一级'}”不符", field="code")
        if plan.indicators.filter(code=code).exclude(pk=ind.pk).exists():
            raise LuoshiError(f"indicator {code} already exists", f"序号“{code}”已存在", field="code")
        fields["code"] = code
    if "name" in fields:
        fields["name"] = check_plain_text(fields["name"], "指标名称", "name", max_length=200, required=True)
    if "description" in fields:
        fields["description"] = check_plain_text(fields["description"], "评分标准", "description", max_length=2000)
    if "kind" in fields and fields["kind"] not in Indicator.Kind.values:
        raise LuoshiError("unknown indicator kind", "指标类型无效", field="kind")
    if "weight" in fields:
        fields["weight"] = _decimal(fields["weight"] or 0, "分值", "weight", lo=0, hi=100)
    if "cap" in fields:
        fields["cap"] = None if fields["cap"] in (None, "") else _decimal(fields["cap"], "封顶分值", "cap", lo=0, hi=100)
    if fields.get("method"):
        get_source(fields["method"])
    if "params" in fields:
        fields["params"] = _clean_params(fields["params"], fields.get("method") or ind.method)
    if "is_active" in fields:
        raise LuoshiError("use do_set_indicator_active to deactivate or reactivate an indicator",
                          "停用或启用指标请使用“停用/启用”操作", field="is_active")
    for k, v in fields.items():
        if k not in IND_FIELDS:
            raise LuoshiError(f"unknown indicator field {k}", f"未知的指标字段“{k}”", field=k)
        setattr(ind, k, v)
    if not ind.code or not ind.name:
        raise LuoshiError("code and name are required", "指标序号和名称不能为空", field="code")
    if ind.kind != Indicator.Kind.SCORED and ind.parent and ind.parent.kind != Indicator.Kind.SCORED:
        raise LuoshiError("bonus/deduction items cannot be nested", "加扣分项不能作为下级指标", field="parent")
    ind.sort_order = ind.sort_order or plan.indicators.count() + 1
    ind.save()
    record(actor, "assessment.indicator.create" if creating else "assessment.indicator.update", ind,
           summary=f"{plan.code} {ind.code}", before=before, after=snapshot(ind, IND_FIELDS))
    return ind


def _code_key(code: str) -> list:
    return [int(p) if p.isdigit() else p for p in code.split(".")]


def _children(plan: Plan, parent: Indicator | None, exclude: Indicator | None = None) -> list[Indicator]:
    """Every child (active or not) of `parent` (None: the top level), in code order."""
    qs = plan.indicators.filter(parent=parent)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return sorted(qs, key=lambda i: _code_key(i.code))


def _subtree(ind: Indicator) -> list[Indicator]:
    """`ind` and every indicator below it (active or not), parents first."""
    out, todo = [], [ind]
    while todo:
        node = todo.pop(0)
        out.append(node)
        todo += sorted(node.children.all(), key=lambda i: _code_key(i.code))
    return out


def _height(ind: Indicator) -> int:
    """Levels in `ind`'s subtree (1 for a leaf)."""
    kids = list(ind.children.all())
    return 1 + max((_height(k) for k in kids), default=0)


def _plan_problem(plan: Plan) -> str | None:
    try:
        scoring.validate_plan(plan)
    except LuoshiError as e:
        return e.message_zh
    return None


def _editable(plan: Plan):
    if plan.state == Plan.State.CLOSED:
        raise LuoshiError("the plan is closed", "该考核方案已归档,不能再修改指标体系", field="plan")


@transaction.atomic
def do_set_indicator_active(actor, indicator: Indicator, active: bool, *, reason: str,
                            balance_with: Indicator | None = None) -> Indicator:
    """停用 (active=False) or 启用 (active=True) an indicator with everything below it; nothing is deleted and
    stored runs keep their items. `reason` is required (audited).

    Weights: a scored indicator's weight leaves its level when it is deactivated and comes back when it is
    reactivated. `balance_with` — an active scored sibling without sub-indicators — takes that weight
    (deactivation) or gives it (reactivation), so a plan whose weights added up still does. Without it the
    plan shows which level no longer adds up and scoring is refused until the weights are fixed.
    Errors (LuoshiError, nothing written): closed plan, reactivating under an inactive parent, a
    `balance_with` that is not such a sibling or has less weight than it must give."""
    _office(actor, "change the indicator tree", "修改考核指标体系")
    ind = Indicator.objects.select_for_update().get(pk=indicator.pk)
    plan = ind.plan
    _editable(plan)
    reason = check_plain_text(reason, "停用/启用理由", "reason", max_length=300, required=True)
    if bool(active) == ind.is_active:
        raise LuoshiError("the indicator is already " + ("active" if active else "inactive"),
                          "该指标已是" + ("启用" if active else "停用") + "状态", field="is_active")
    if active and ind.parent_id and not ind.parent.is_active:
        raise LuoshiError("reactivate its parent first", f"请先启用上级指标“{ind.parent.code} {ind.parent.name}”",
                          field="is_active")
    changes = {}
    if balance_with is not None:
        bw = Indicator.objects.select_for_update().get(pk=balance_with.pk)
        if (bw.plan_id != plan.id or bw.parent_id != ind.parent_id or bw.pk == ind.pk or not bw.is_active
                or bw.kind != Indicator.Kind.SCORED or ind.kind != Indicator.Kind.SCORED
                or bw.children.filter(is_active=True).exists()):
            raise LuoshiError("balance_with must be an active scored sibling without sub-indicators",
                              "接收或让出分值的应为同一上级下已启用、无下级指标的计分指标", field="balance_with")
        new_weight = bw.weight + (-ind.weight if active else ind.weight)
        if new_weight < 0 or new_weight > 100:
            raise LuoshiError(f"{bw.code} has only {bw.weight} to give", f"“{bw.code} {bw.name}”的分值不足以让出",
                              field="balance_with")
        changes[bw.code] = {"from": bw.weight, "to": new_weight}
        bw.weight = new_weight
        bw.save(update_fields=["weight"])
    nodes = _subtree(ind)
    Indicator.objects.filter(pk__in=[n.pk for n in nodes]).update(is_active=bool(active))
    ind.refresh_from_db()
    record(actor, "assessment.indicator.activate" if active else "assessment.indicator.deactivate", ind,
           summary=f"{plan.code} {ind.code} {ind.name}:{reason}",
           before={"is_active": not active}, after={"is_active": bool(active), "reason": reason,
                                                    "indicators": [n.code for n in nodes], "weights": changes,
                                                    "problem": _plan_problem(plan) or ""})
    return ind


@transaction.atomic
def do_move_indicator(actor, indicator: Indicator, *, parent: Indicator | None, position: int) -> Indicator:
    """Move an indicator (with everything below it) under `parent` (None: the top level) at `position`
    (1 = first; past the end = last) — re-parenting or reordering (移动/调整顺序).

    Codes follow the tree: the moved indicator and its new siblings are renumbered 1, 2, 3 … in their new
    order, the siblings it left close the gap, and every sub-indicator's code follows its parent's. Stored
    runs keep the codes and names they were computed with.

    Weights stay valid: a scored indicator's weight travels with it — each parent it leaves (up to the
    common ancestor) loses that weight and each parent it joins gains it — so levels that added up still
    do. Refused (LuoshiError, nothing written): a closed plan; a parent in another plan, inactive, not
    scored, or inside the moved subtree; more than three levels; a move that leaves the plan invalid when it
    was valid (e.g. a parent left without sub-indicators and without a scoring method)."""
    _office(actor, "change the indicator tree", "修改考核指标体系")
    ind = Indicator.objects.select_for_update().get(pk=indicator.pk)
    plan = ind.plan
    _editable(plan)
    try:
        position = int(position)
    except (TypeError, ValueError):
        raise LuoshiError("position must be a whole number", "位置应为整数", field="position") from None
    if parent is not None:
        parent = Indicator.objects.get(pk=parent.pk)
        if parent.plan_id != plan.id:
            raise LuoshiError("the parent indicator belongs to another plan", "上级指标不属于本方案", field="parent")
        if not parent.is_active or parent.kind != Indicator.Kind.SCORED:
            raise LuoshiError("the parent must be an active scored indicator", "上级指标应为已启用的计分指标",
                              field="parent")
        if parent.pk in {n.pk for n in _subtree(ind)}:
            raise LuoshiError("an indicator cannot move under itself", "指标不能移到其自身或其下级之下", field="parent")
        if parent.level + _height(ind) > 3:
            raise LuoshiError("the indicator tree has at most three levels", "移动后指标体系将超过三级", field="parent")
    was_valid = _plan_problem(plan) is None
    old_parent = ind.parent
    before = {"code": ind.code, "parent": old_parent.code if old_parent else ""}
    # the new order of the two sibling lists
    target = _children(plan, parent, exclude=ind)
    position = max(1, min(position, len(target) + 1))
    target.insert(position - 1, ind)
    lists = [(parent, target)]
    if (old_parent.pk if old_parent else None) != (parent.pk if parent else None):
        lists.append((old_parent, _children(plan, old_parent, exclude=ind)))
    # new codes: siblings numbered in order, sub-indicators following their parent
    new_code: dict[int, str] = {}
    nodes: dict[int, Indicator] = {}

    def assign(node: Indicator, code: str):
        nodes[node.pk] = node
        new_code[node.pk] = code
        for n, child in enumerate(sorted(node.children.exclude(pk=ind.pk), key=lambda i: _code_key(i.code)), 1):
            assign(child, f"{code}.{n}")

    for par, kids in lists:
        prefix = new_code.get(par.pk, par.code) + "." if par is not None else ""
        for n, node in enumerate(kids, 1):
            assign(node, f"{prefix}{n}")
    if parent is not None and parent.pk in new_code:  # the new parent itself was renumbered (old siblings)
        for n, node in enumerate(target, 1):
            assign(node, f"{new_code[parent.pk]}.{n}")
    recoded = {nodes[pk].code: code for pk, code in new_code.items() if nodes[pk].code != code}
    # weights travel with a scored active indicator
    weights = {}
    if ind.kind == Indicator.Kind.SCORED and ind.is_active and lists[1:]:
        def chain(node):
            out = []
            while node is not None:
                out.append(node)
                node = node.parent
            return out

        old_chain, new_chain = chain(old_parent), chain(parent)
        common = {n.pk for n in old_chain} & {n.pk for n in new_chain}
        for node, sign in [(n, -1) for n in old_chain if n.pk not in common] + \
                          [(n, 1) for n in new_chain if n.pk not in common]:
            w = node.weight + sign * ind.weight
            if not Decimal(0) <= w <= Decimal(100):
                raise LuoshiError(f"moving would give {node.code} a weight of {w}",
                                  f"移动后“{node.code} {node.name}”的分值将为{w},超出0至100", field="parent")
            weights[node.code] = {"from": node.weight, "to": w}
            Indicator.objects.filter(pk=node.pk).update(weight=w)
    # two steps, so no code is ever held twice (unique per plan)
    Indicator.objects.filter(pk__in=list(new_code)).update(code=models_concat_tmp())
    for pk, code in new_code.items():
        Indicator.objects.filter(pk=pk).update(code=code)
    Indicator.objects.filter(pk=ind.pk).update(parent=parent)
    ind.refresh_from_db()
    problem = _plan_problem(plan)
    if was_valid and problem:
        raise LuoshiError(f"the move would leave the plan invalid: {problem}", f"移动后指标体系不再有效:{problem}",
                          field="parent")
    record(actor, "assessment.indicator.move", ind, summary=f"{plan.code} {before['code']} → {ind.code} {ind.name}",
           before=before, after={"code": ind.code, "parent": parent.code if parent else "", "position": position,
                                 "recoded": recoded, "weights": weights})
    return ind


def models_concat_tmp():
    """A temporary code unique per row (“~<id>”), for renumbering without clashes."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    return Concat(Value("~"), Cast("id", CharField()))


@transaction.atomic
def do_move_unit_group(actor, unit: Unit, group: str, since: dt.date) -> GroupMembership:
    """Put `unit` into assessment group `group` from `since` (ends its current membership the day before;
    a unit without rows so far first gets its kind's group up to then)."""
    _office(actor)
    if group not in Group.values:
        raise LuoshiError("unknown group", "考核类别无效", field="group")
    from .models import KIND_GROUP

    rows = GroupMembership.objects.filter(unit=unit)
    if not rows.exists() and KIND_GROUP.get(unit.kind) and KIND_GROUP[unit.kind] != group:
        GroupMembership.objects.create(unit=unit, group=KIND_GROUP[unit.kind], since=dt.date(2000, 1, 1),
                                       until=since - dt.timedelta(days=1))
    for m in rows.filter(Q(until__isnull=True) | Q(until__gte=since)).filter(since__lt=since):
        m.until = since - dt.timedelta(days=1)
        m.save(update_fields=["until"])
    m = GroupMembership.objects.create(unit=unit, group=group, since=since)
    record(actor, "assessment.group.move", unit, summary=f"{unit.name} → {Group(group).label} 自{since}",
           after={"group": group, "since": since})
    return m


# ---------------------------------------------------------------- reported data

def reported_indicators(plan: Plan) -> list[Indicator]:
    return [i for i in scoring.plan_tree(plan) if i.method == "reported" and not i.children.exists()]


@transaction.atomic
def do_submit_figure(actor, indicator: Indicator, value, *, note: str = "", evidence=None,
                     unit: Unit | None = None) -> ReportedFigure:
    """A unit reports a figure (填报) for a `reported` indicator, with an optional evidence file
    (PDF/image/Office/OFD/zip, ≤ 20 MB). 单位联络员 report for their own unit; the office may report for any.
    The previous figure of the same unit and indicator is kept but superseded."""
    unit = unit or getattr(actor, "unit", None)
    if unit is None:
        raise LuoshiError("no unit to report for", "未指定填报单位", field="unit")
    if not (getattr(actor, "sees_everything", False) or (actor.is_liaison and actor.unit_id == unit.id)):
        deny("report figures for this unit", "为该单位填报数据")
    if indicator.method != "reported":
        raise LuoshiError("this indicator does not take reported figures", "该指标不需要单位填报", field="indicator")
    if indicator.plan.state == Plan.State.CLOSED:
        raise LuoshiError("the plan is closed", "该考核方案已归档,不能再填报", field="indicator")
    value = _decimal(value, "填报值", "value")
    note = check_plain_text(note, "说明", "note", max_length=2000)
    _check_file(evidence)
    old = list(ReportedFigure.objects.select_for_update().filter(indicator=indicator, unit=unit, superseded=False))
    ReportedFigure.objects.filter(pk__in=[f.pk for f in old]).update(superseded=True)
    fig = ReportedFigure(indicator=indicator, unit=unit, value=value, note=note, submitted_by=actor)
    if evidence:
        fig.evidence = evidence
    fig.save()
    record(actor, "assessment.figure.submit", fig, summary=f"{unit.name} {indicator.code} {value}",
           after={"indicator": indicator.code, "unit": unit.name, "value": value, "note": note,
                  "evidence": fig.evidence.name if fig.evidence else "", "supersedes": [f.pk for f in old]})
    return fig


@transaction.atomic
def do_review_figure(actor, figure: ReportedFigure, *, accept: bool, note: str = "") -> ReportedFigure:
    """The office accepts (认可) or returns (退回, note required) a submitted figure."""
    _office(actor, "review reported figures", "审核填报数据")
    figure = ReportedFigure.objects.select_for_update().get(pk=figure.pk)
    if figure.state != ReportedFigure.State.SUBMITTED or figure.superseded:
        raise LuoshiError("only a current submitted figure can be reviewed", "只能审核待审核的最新填报", field="state")
    note = check_plain_text(note, "审核意见", "note", max_length=1000, required=not accept)
    figure.state = ReportedFigure.State.ACCEPTED if accept else ReportedFigure.State.RETURNED
    figure.reviewed_by, figure.reviewed_at, figure.review_note = actor, timezone.now(), note
    figure.save()
    record(actor, "assessment.figure.accept" if accept else "assessment.figure.return", figure,
           summary=f"{figure.unit.name} {figure.indicator.code}", after={"state": figure.state, "note": note})
    return figure


def visible_figures(user, qs: QuerySet | None = None) -> QuerySet:
    """Reported figures `user` may read: the office all; others those of units in their scope."""
    qs = ReportedFigure.objects.all() if qs is None else qs
    scope = unit_scope(user, "assessment")
    if scope is None:
        return qs
    return qs.filter(unit_id__in=scope) if scope else qs.none()


# ---------------------------------------------------------------- expert scores, adjustments

@transaction.atomic
def do_record_expert_score(actor, indicator: Indicator, unit: Unit, rater: str, score, note: str = "") -> ExpertScore:
    """Record (or correct) named rater `rater`'s 0-100 score of `unit` on an `expert` indicator."""
    _office(actor, "record expert scores", "录入专家评分")
    if indicator.method != "expert":
        raise LuoshiError("this indicator is not scored by experts", "该指标不是专家评分指标", field="indicator")
    rater = check_plain_text(rater, "评分人", "rater", max_length=60, required=True)
    if ScoreSheet.objects.filter(plan_id=indicator.plan_id, rater_name=rater).exists():
        raise LuoshiError(f"{rater} enters their scores on their own score sheet",
                          f"“{rater}”有自己的专家评分表,其评分只能由本人在评分表中填写", field="rater")
    score = _decimal(score, "评分", "score", lo=0, hi=100)
    note = check_plain_text(note, "评语", "note", max_length=300)
    obj, created = ExpertScore.objects.get_or_create(indicator=indicator, unit=unit, rater=rater,
                                                     defaults={"score": score, "note": note, "entered_by": actor})
    before = None if created else {"score": obj.score, "note": obj.note}
    obj.score, obj.note, obj.entered_by = score, note, actor
    obj.save()
    record(actor, "assessment.expert.score", obj, summary=f"{rater} → {unit.name} {indicator.code}: {score}",
           before=before, after={"score": score, "note": note})
    return obj


# ---------------------------------------------------------------- expert score sheets (专家评分表)

def expert_indicators(plan: Plan) -> list[Indicator]:
    """The plan's active `expert` leaves, in tree order: the columns of every score sheet of the plan."""
    inds = scoring.plan_tree(plan)
    parents = {i.parent_id for i in inds}
    return [i for i in inds if i.method == "expert" and i.id not in parents]


def _plan_members(plan: Plan) -> list[Unit]:
    per = parse_period(plan.period)
    return scoring.group_members(plan.group, min(per.end, timezone.localdate()))


@transaction.atomic
def do_assign_sheet(actor, plan: Plan, rater, units, *, rater_name: str = "") -> ScoreSheet:
    """The office gives a 考核专家 login (accounts.Role.EXPERT) a score sheet for `plan` (or changes the units
    on it): the rater scores those units on every expert indicator of the plan. `rater_name` (default: the
    login's name) is the name the scores carry and must be unique in the plan. Errors (LuoshiError): not an
    active expert login, a plan without expert indicators or closed, no units or units outside the plan's
    group, taking a unit the rater already scored off the sheet."""
    _office(actor, "assign expert score sheets", "分配专家评分表")
    _editable(plan)
    if rater is None or not getattr(rater, "is_expert", False):
        raise LuoshiError("the rater must be an active expert login", "评分人应为在用的考核专家账号", field="rater")
    if not expert_indicators(plan):
        raise LuoshiError("the plan has no expert-scored indicator", "该方案没有专家评分指标", field="plan")
    units = list({u.pk: u for u in units}.values())
    if not units:
        raise LuoshiError("assign at least one unit", "请至少分配一个被评单位", field="units")
    members = {u.pk for u in _plan_members(plan)}
    outside = [u.name for u in units if u.pk not in members]
    if outside:
        raise LuoshiError("units outside the plan's group: " + ", ".join(outside),
                          "以下单位不是本方案的参评单位:" + "、".join(outside), field="units")
    name = check_plain_text(rater_name or rater.get_full_name(), "评分人", "rater_name", max_length=60, required=True)
    sheet = ScoreSheet.objects.select_for_update().filter(plan=plan, rater=rater).first()
    if ScoreSheet.objects.filter(plan=plan, rater_name=name).exclude(pk=getattr(sheet, "pk", None)).exists() or \
            ExpertScore.objects.filter(indicator__plan=plan, rater=name, sheet__isnull=True).exists():
        raise LuoshiError(f"another rater of this plan is already called {name}",
                          f"本方案已有名为“{name}”的评分人,请另取一个可区分的名称", field="rater_name")
    before = None
    if sheet is None:
        sheet = ScoreSheet.objects.create(plan=plan, rater=rater, rater_name=name, created_by=actor)
    else:
        before = {"units": sorted(sheet.units.values_list("name", flat=True)), "rater_name": sheet.rater_name}
        scored = set(sheet.scores.values_list("unit_id", flat=True)) - {u.pk for u in units}
        if scored:
            raise LuoshiError("units already scored cannot leave the sheet",
                              "已评分的单位不能移出评分表:" + "、".join(Unit.objects.filter(pk__in=scored)
                                                                      .values_list("name", flat=True)), field="units")
        if name != sheet.rater_name:
            sheet.scores.update(rater=name)
            sheet.rater_name = name
            sheet.save(update_fields=["rater_name"])
    sheet.units.set(units)
    record(actor, "assessment.sheet.assign", sheet, summary=f"{plan.code} {name}:{len(units)}个单位",
           before=before, after={"rater": rater.get_username(), "rater_name": name,
                                 "units": sorted(u.name for u in units)})
    from django.urls import reverse

    from luoshi.notifications.services import notify

    notify([rater], kind="assessment.sheet", title=f"请填写{plan.name}专家评分表", obj=sheet,
           url=reverse("assessment:sheet", args=[sheet.pk]), body=f"需评分单位{len(units)}个。")
    return sheet


def sheet_grid(sheet: ScoreSheet) -> tuple[list[Indicator], list[Unit], dict]:
    """(columns: expert indicators, rows: units in unit-tree order, {(indicator_id, unit_id): ExpertScore})."""
    inds = expert_indicators(sheet.plan)
    units = list(sheet.units.order_by("sort_order", "id"))
    scores = {(e.indicator_id, e.unit_id): e for e in sheet.scores.all()}
    return inds, units, scores


@transaction.atomic
def do_save_sheet(actor, sheet: ScoreSheet, scores, *, submit: bool = False) -> ScoreSheet:
    """The rater fills their own sheet: `scores` is a list of {"indicator": id, "unit": id, "score": 0-100
    (blank: not scored yet), "note": ≤ 300 characters}. Only the sheet's own rater may write it, only
    while it is open and the plan not closed, only for the sheet's units and the plan's expert
    indicators. `submit=True` also submits it (提交): every cell must then have a score; from then on
    the scores count in the plan's `expert` items and the sheet is locked until the office reopens it.
    All or nothing; audited with every changed score (before/after)."""
    sheet = ScoreSheet.objects.select_for_update().select_related("plan").get(pk=sheet.pk)
    if not (getattr(actor, "is_expert", False) and actor.pk == sheet.rater_id):
        deny("fill this score sheet", "填写该评分表")
    _editable(sheet.plan)
    if sheet.state != ScoreSheet.State.OPEN:
        raise LuoshiError("the sheet is submitted; ask the office to reopen it",
                          "评分表已提交,如需修改请联系考核办退回", field="state")
    inds, units, existing = sheet_grid(sheet)
    ind_by, unit_by = {i.pk: i for i in inds}, {u.pk: u for u in units}
    if not isinstance(scores, (list, tuple)) or len(scores) > 10000:
        raise LuoshiError("scores must be a list", "评分数据格式无效", field="scores")
    changed = {}
    for entry in scores:
        try:
            ind, unit = ind_by[int(entry["indicator"])], unit_by[int(entry["unit"])]
        except (KeyError, TypeError, ValueError):
            raise LuoshiError("a score is for an indicator or unit not on this sheet",
                              "有评分不属于本评分表的指标或单位", field="scores") from None
        raw = str(entry.get("score") if entry.get("score") is not None else "").strip()
        note = check_plain_text(entry.get("note", ""), "评语", "note", max_length=300)
        if raw == "":
            continue
        value = _decimal(raw, f"“{unit.name}”的{ind.name}评分", "score", lo=0, hi=100)
        old = existing.get((ind.pk, unit.pk))
        if old is not None and old.score == value and old.note == note:
            continue
        changed[f"{ind.code} {unit.name}"] = {"from": old.score if old else None, "to": value}
        if old is None:
            existing[(ind.pk, unit.pk)] = ExpertScore.objects.create(indicator=ind, unit=unit, sheet=sheet,
                                                                     rater=sheet.rater_name, score=value, note=note,
                                                                     entered_by=actor)
        else:
            old.score, old.note, old.entered_by = value, note, actor
            old.save(update_fields=["score", "note", "entered_by"])
    if submit:
        missing = [(i, u) for i in inds for u in units if (i.pk, u.pk) not in existing]
        if missing:
            raise LuoshiError(f"{len(missing)} cells have no score yet",
                              f"还有{len(missing)}项未评分(如“{missing[0][1].name} · {missing[0][0].name}”),"
                              "全部评分后才能提交", field="scores")
        sheet.state, sheet.submitted_at = ScoreSheet.State.SUBMITTED, timezone.now()
        sheet.save(update_fields=["state", "submitted_at"])
    record(actor, "assessment.sheet.submit" if submit else "assessment.sheet.save", sheet,
           summary=f"{sheet.plan.code} {sheet.rater_name}:{len(changed)}项评分" + (",已提交" if submit else ""),
           after={"scores": changed, "state": sheet.state})
    return sheet


@transaction.atomic
def do_reopen_sheet(actor, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """The office reopens (退回) a submitted sheet so the rater can correct it; its scores stop counting
    until it is submitted again. `reason` is required and goes to the rater's inbox."""
    _office(actor, "reopen score sheets", "退回专家评分表")
    sheet = ScoreSheet.objects.select_for_update().select_related("plan").get(pk=sheet.pk)
    _editable(sheet.plan)
    reason = check_plain_text(reason, "退回理由", "reason", max_length=300, required=True)
    if sheet.state != ScoreSheet.State.SUBMITTED:
        raise LuoshiError("only a submitted sheet can be reopened", "只能退回已提交的评分表", field="state")
    sheet.state, sheet.submitted_at = ScoreSheet.State.OPEN, None
    sheet.save(update_fields=["state", "submitted_at"])
    record(actor, "assessment.sheet.reopen", sheet, summary=f"{sheet.plan.code} {sheet.rater_name}:{reason}",
           before={"state": "submitted"}, after={"state": "open", "reason": reason})
    from django.urls import reverse

    from luoshi.notifications.services import notify

    notify([sheet.rater], kind="assessment.sheet", title=f"{sheet.plan.name}专家评分表已退回", body=reason, obj=sheet,
           url=reverse("assessment:sheet", args=[sheet.pk]))
    return sheet


def visible_sheets(user, qs: QuerySet | None = None) -> QuerySet:
    """Score sheets `user` may read: the office every sheet; a 考核专家 only their own; anyone else none."""
    qs = ScoreSheet.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.sees_everything:
        return qs
    if getattr(user, "is_expert", False):
        return qs.filter(rater=user)
    return qs.none()


@transaction.atomic
def do_add_adjustment(actor, indicator: Indicator, unit: Unit, *, reason: str, on: dt.date, amount=1) -> Adjustment:
    """Record a 加分/扣分/一票否决 entry (award, 明查暗访 finding, …) against an indicator of that kind."""
    _office(actor, "record bonus or deduction entries", "登记加减分")
    if indicator.kind == Indicator.Kind.SCORED or indicator.method != "manual":
        raise LuoshiError("entries go to bonus, deduction or veto items scored by manual entries",
                          "只能在按登记计分的加分、扣分或一票否决项下登记", field="indicator")
    reason = check_plain_text(reason, "事由", "reason", max_length=300, required=True)
    amount = _decimal(amount, "数量/分值", "amount", lo=0, hi=1000)
    adj = Adjustment.objects.create(indicator=indicator, unit=unit, amount=amount, reason=reason, on=on,
                                    created_by=actor)
    record(actor, "assessment.adjustment.add", adj, summary=f"{unit.name} {indicator.name}: {reason}",
           after={"amount": amount, "reason": reason, "on": on})
    return adj


@transaction.atomic
def do_revoke_adjustment(actor, adj: Adjustment, reason: str) -> Adjustment:
    _office(actor)
    reason = check_plain_text(reason, "撤销理由", "reason", max_length=300, required=True)
    adj.revoked = True
    adj.save(update_fields=["revoked"])
    record(actor, "assessment.adjustment.revoke", adj, summary=reason, after={"revoked": True})
    return adj


# ---------------------------------------------------------------- 群众评议

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def clean_questions(questions) -> list[dict]:
    if not isinstance(questions, list) or not 1 <= len(questions) <= 30:
        raise LuoshiError("a survey has 1 to 30 questions", "问卷应有1至30道题", field="questions")
    out = []
    for q in questions:
        text = check_plain_text((q or {}).get("text"), "题目", "questions", max_length=200, required=True)
        choices = q.get("choices") or [["满意", 100], ["基本满意", 60], ["不满意", 0]]
        clean = [[check_plain_text(c[0], "选项", "questions", max_length=40, required=True),
                  float(_decimal(c[1], "选项分值", "questions", lo=0, hi=100))] for c in choices]
        out.append({"text": text, "choices": clean})
    return out


@transaction.atomic
def do_create_survey(actor, indicator: Indicator, *, title: str, questions, opens_on: dt.date, closes_on: dt.date,
                     mode: str = Survey.Mode.OPEN, units=None, codes_per_unit: int = 0) -> Survey:
    """A 群众评议 questionnaire for a `survey` indicator: one public link per unit of the plan's group
    (or `units`), and `codes_per_unit` one-time codes each when mode is codes."""
    _office(actor, "create surveys", "创建评议问卷")
    if indicator.method != "survey":
        raise LuoshiError("this indicator is not scored by a survey", "该指标不是群众评议指标", field="indicator")
    if mode not in Survey.Mode.values:
        raise LuoshiError("unknown survey mode", "评议方式无效", field="mode")
    if closes_on < opens_on:
        raise LuoshiError("the survey closes before it opens", "截止日期早于开始日期", field="closes_on")
    if not 0 <= int(codes_per_unit) <= 5000:
        raise LuoshiError("codes_per_unit is 0 to 5000", "每单位评议码数量应为0至5000", field="codes_per_unit")
    s = Survey.objects.create(indicator=indicator, title=check_plain_text(title, "问卷标题", "title", max_length=200,
                                                                          required=True),
                              mode=mode, questions=clean_questions(questions), opens_on=opens_on, closes_on=closes_on)
    plan = indicator.plan
    if units is None:
        per = parse_period(plan.period)
        units = scoring.group_members(plan.group, min(per.end, dt.date.today()))
    codes = []
    for u in units:
        link = SurveyLink.objects.create(survey=s, unit=u, token=secrets.token_urlsafe(12))
        for _ in range(int(codes_per_unit) if mode == Survey.Mode.CODES else 0):
            codes.append(SurveyCode(link=link, code="".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))))
    SurveyCode.objects.bulk_create(codes, batch_size=2000)
    record(actor, "assessment.survey.create", s, summary=f"{s.title}:{len(units)}个单位,{len(codes)}个评议码")
    return s


def client_hash(link: SurveyLink, address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}|{link.token}|{address}".encode()).hexdigest()


SURVEY_PER_CLIENT_DAY = 3
SURVEY_PER_LINK_HOUR = 300


@transaction.atomic
def do_answer_survey(link: SurveyLink, answers, *, address: str, code: str = "", comment: str = "",
                     now: dt.datetime | None = None) -> SurveyResponse:
    """A citizen answers a unit's questionnaire (anonymous). `answers`: one choice index per question.
    Code mode: a valid unused code is required and is used up. Open mode: at most 3 answers per client
    address per day and 300 per link per hour (群众评议防刷)."""
    now = now or timezone.now()
    s = link.survey
    today = timezone.localdate(now)
    if not s.opens_on <= today <= s.closes_on:
        raise LuoshiError("the survey is not open", "该评议不在开放时间内", field="survey")
    qs = s.questions
    if not isinstance(answers, list) or len(answers) != len(qs):
        raise LuoshiError("answer every question", "请回答全部题目", field="answers")
    picked = []
    for q, a in zip(qs, answers):
        try:
            a = int(a)
            if not 0 <= a < len(q["choices"]):
                raise ValueError
        except (TypeError, ValueError):
            raise LuoshiError("an answer is not one of the choices", "有题目的选项无效", field="answers") from None
        picked.append(a)
    comment = check_plain_text(comment, "意见建议", "comment", max_length=500)
    h = client_hash(link, address)
    if s.mode == Survey.Mode.CODES:
        c = SurveyCode.objects.select_for_update().filter(link=link, code=(code or "").strip().upper()).first()
        if c is None or c.used_at:
            raise LuoshiError("the code is wrong or already used", "评议码无效或已使用", field="code")
        c.used_at = now
        c.save(update_fields=["used_at"])
    else:
        if SurveyResponse.objects.filter(link=link, client_hash=h, created_at__gte=now - dt.timedelta(days=1)
                                         ).count() >= SURVEY_PER_CLIENT_DAY:
            raise LuoshiError("too many answers from this address today", "您今天已提交过评议,请明天再来",
                              field="rate")
        if SurveyResponse.objects.filter(link=link, created_at__gte=now - dt.timedelta(hours=1)
                                         ).count() >= SURVEY_PER_LINK_HOUR:
            raise LuoshiError("too many answers for this survey right now", "提交过于频繁,请稍后再试", field="rate")
    score = sum((Decimal(str(q["choices"][a][1])) for q, a in zip(qs, picked)), Decimal(0)) / len(qs)
    r = SurveyResponse.objects.create(link=link, answers=picked, score=scoring.q2(score), comment=comment,
                                      client_hash=h)
    record("群众评议", "assessment.survey.answer", object_type="assessment.surveyresponse", object_id=r.pk,
           summary=f"{s.title} · {link.unit.name}", after={"score": r.score})
    return r


# ---------------------------------------------------------------- runs, publication

@transaction.atomic
def do_run_scores(actor, plan: Plan, period: str | None = None, as_of: dt.date | None = None) -> ScoreRun:
    """Compute the plan for the period and store it as a draft run (试算). Refuses a plan whose weights do
    not add up."""
    _office(actor, "run scoring", "计算考核得分")
    c = scoring.compute(plan, period, as_of)
    run = ScoreRun.objects.create(plan=plan, period=c.period.label, as_of=c.period.as_of, created_by=actor,
                                  units_count=len(c.units))
    store_units(run, c)
    record(actor, "assessment.run", run, summary=f"{plan.code} {c.period.label}:{len(c.units)}个单位",
           after={"as_of": c.period.as_of, "units": len(c.units)})
    return run


def store_units(run: ScoreRun, c: scoring.Computed, batch: int = 5000) -> None:
    urs = [UnitResult(run=run, unit_id=s.unit.id, unit_name=s.unit.name, total=s.total, rank=s.rank,
                      position=s.position, grade=s.grade, vetoed=s.vetoed, no_excellent=s.no_excellent)
           for s in c.units]
    UnitResult.objects.bulk_create(urs, batch_size=batch)
    if not urs[:1] or urs[0].pk is None:  # backends without RETURNING
        ids = dict(UnitResult.objects.filter(run=run).values_list("unit_id", "id"))
        for ur in urs:
            ur.pk = ur.id = ids[ur.unit_id]
    from django.db import connection

    if connection.vendor == "postgresql":  # 40 rows per unit: COPY instead of INSERTs (5,000 units: 200,000 rows)
        table = connection.ops.quote_name(ItemResult._meta.db_table)
        with connection.cursor() as cur:
            with cur.cursor.copy(f"COPY {table} (result_id, indicator_id, method, value, points, weight, rows, note, "
                                 "code, name) FROM STDIN") as cp:
                for ur, s in zip(urs, c.units):
                    for it in s.items:
                        cp.write_row((ur.pk, it.indicator.id, it.indicator.method, it.value, it.points, it.weight,
                                      it.rows, it.note, it.indicator.code, it.indicator.name))
            # fresh statistics, so score cards use the result_id index right away (not a stale "empty table" plan)
            cur.execute(f"ANALYZE {table}")
            cur.execute(f"ANALYZE {connection.ops.quote_name(UnitResult._meta.db_table)}")
        return
    items = []
    for ur, s in zip(urs, c.units):
        for it in s.items:
            items.append(ItemResult(result_id=ur.pk, indicator_id=it.indicator.id, method=it.indicator.method,
                                    value=it.value, points=it.points, weight=it.weight, rows=it.rows,
                                    note=it.note, code=it.indicator.code, name=it.indicator.name))
            if len(items) >= batch:
                ItemResult.objects.bulk_create(items)
                items = []
    ItemResult.objects.bulk_create(items)


@transaction.atomic
def do_publish_run(actor, run: ScoreRun, on: dt.date | None = None) -> ScoreRun:
    """Publish (发布) a run: it becomes the frozen result of its plan and period (a previously published
    run for them is withdrawn), units see it, and the appeal window of plan.appeal_days days opens.
    `signals.run_published` is sent in the same transaction (accountability raises 一票否决 proposals)."""
    _office(actor, "publish results", "发布考核结果")
    run = ScoreRun.objects.select_for_update().get(pk=run.pk)
    if run.state != ScoreRun.State.DRAFT:
        raise LuoshiError("only a draft run can be published", "只能发布试算结果", field="state")
    on = on or timezone.localdate()
    for old in ScoreRun.objects.filter(plan=run.plan, period=run.period, state=ScoreRun.State.PUBLISHED):
        old.state = ScoreRun.State.WITHDRAWN
        old.save(update_fields=["state"])
        record(actor, "assessment.run.withdraw", old, summary=f"由#{run.pk}替代")
    run.state = ScoreRun.State.PUBLISHED
    run.published_at, run.published_by = timezone.now(), actor
    run.appeal_until = on + dt.timedelta(days=run.plan.appeal_days)
    run.save()
    record(actor, "assessment.run.publish", run, summary=f"{run.plan.code} {run.period}",
           after={"appeal_until": run.appeal_until})
    from .signals import run_published

    run_published.send(sender=ScoreRun, run=run, actor=actor)  # e.g. 一票否决 → 问责建议 (accountability)
    from django.urls import reverse

    _notify_units(run.units.values_list("unit_id", flat=True), kind="assessment.published",
                  title=f"{run.plan.name}结果已发布", url=reverse("assessment:run", args=[run.pk]),
                  body=f"请查看本单位得分卡;如有异议,请于{run.appeal_until:%Y年%m月%d日}前提出申诉。")
    return run


def published_run(plan: Plan, period: str | None = None) -> ScoreRun | None:
    label = parse_period(period).label if period else plan.period
    return plan.runs.filter(period=label, state=ScoreRun.State.PUBLISHED).order_by("-id").first()


def _notify_units(unit_ids, *, kind: str, title: str, body: str = "", url: str = "") -> int:
    """In-app messages to the liaisons of `unit_ids` (站内消息)."""
    from luoshi.notifications.services import notify_units

    return notify_units(Unit.objects.filter(id__in=list(unit_ids)), kind=kind, title=title, body=body, url=url)


# ---------------------------------------------------------------- appeals

@transaction.atomic
def do_submit_appeal(actor, item: ItemResult, reason: str, evidence=None, on: dt.date | None = None) -> Appeal:
    """A unit appeals (申诉) one item of its published result, before run.appeal_until (inclusive)."""
    ur = item.result
    run = ur.run
    if not (actor.is_liaison and actor.unit_id == ur.unit_id):
        deny("appeal for this unit", "代表该单位申诉")
    if run.state != ScoreRun.State.PUBLISHED:
        raise LuoshiError("only published results can be appealed", "只能对已发布的结果申诉", field="item")
    on = on or timezone.localdate()
    if on > run.appeal_until:
        raise LuoshiError(f"the appeal window closed on {run.appeal_until}", f"申诉期已于{run.appeal_until}截止",
                          field="item")
    if Appeal.objects.filter(item=item, state=Appeal.State.PENDING).exists():
        raise LuoshiError("this item already has a pending appeal", "该指标已有待处理的申诉", field="item")
    reason = check_plain_text(reason, "申诉理由", "reason", max_length=3000, required=True)
    _check_file(evidence)
    a = Appeal(run=run, unit_id=ur.unit_id, item=item, reason=reason, submitted_by=actor)
    if evidence:
        a.evidence = evidence
    a.save()
    record(actor, "assessment.appeal.submit", a, summary=f"{ur.unit_name} {item.label_code}",
           after={"reason": reason, "points": item.points})
    return a


@transaction.atomic
def do_decide_appeal(actor, appeal: Appeal, *, uphold: bool, note: str, new_points=None) -> Appeal:
    """The office decides an appeal. Upheld: the item's points become `new_points` (within the item's
    range), the unit's total is recomputed and the whole run re-ranked and re-graded; audited with the
    before/after points, total, rank and grade."""
    _office(actor, "decide appeals", "处理申诉")
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.state != Appeal.State.PENDING:
        raise LuoshiError("the appeal is already decided", "该申诉已处理", field="state")
    note = check_plain_text(note, "处理意见", "note", max_length=2000, required=True)
    item = ItemResult.objects.select_for_update().select_related("indicator", "result").get(pk=appeal.item_id)
    ur = item.result
    before = {"points": item.points, "total": ur.total, "rank": ur.rank, "grade": ur.grade}
    if uphold:
        ind = item.indicator
        if new_points in (None, ""):
            raise LuoshiError("new_points is required when upholding", "申诉成立时须核定分值", field="new_points")
        if ind.kind == Indicator.Kind.DEDUCT:
            lo, hi = -(ind.cap if ind.cap is not None else Decimal(100)), Decimal(0)
        elif ind.kind == Indicator.Kind.BONUS:
            lo, hi = Decimal(0), ind.cap if ind.cap is not None else Decimal(100)
        else:
            lo, hi = Decimal(0), item.weight
        pts = scoring.q2(_decimal(new_points, "核定分值", "new_points", lo=lo, hi=hi))
        if item.points_before_appeal is None:
            item.points_before_appeal = item.points
        item.points = pts
        item.note = (item.note + ";" if item.note else "") + "申诉改分"
        item.save()
        rerank(appeal.run)
        ur.refresh_from_db()
        appeal.new_points = pts
    appeal.state = Appeal.State.UPHELD if uphold else Appeal.State.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision_note = actor, timezone.now(), note
    appeal.save()
    from django.urls import reverse

    _notify_units([appeal.unit_id], kind="assessment.appeal", url=reverse("assessment:card", args=[appeal.run_id,
                                                                                                  appeal.unit_id]),
                  title=f"考核申诉{'成立' if uphold else '不成立'}:{item.label_code} {item.label_name}",
                  body=note)
    record(actor, "assessment.appeal.uphold" if uphold else "assessment.appeal.reject", appeal,
           summary=f"{ur.unit_name} {item.label_code}", before=before,
           after={"points": item.points, "total": ur.total, "rank": ur.rank, "grade": ur.grade, "note": note})
    return appeal


def rerank(run: ScoreRun) -> None:
    """Recompute every unit's total (sum of its items) and the run's ranks and grades."""
    from django.db.models import Sum

    totals = dict(ItemResult.objects.filter(result__run=run).values("result_id").annotate(t=Sum("points"))
                  .values_list("result_id", "t"))
    urs = list(UnitResult.objects.filter(run=run).select_related("unit"))
    entries = []
    for ur in urs:
        ur.total = scoring.q2(totals.get(ur.pk) or 0)
        entries.append(scoring.Ranked(ur.pk, ur.total, ur.vetoed, (ur.unit.sort_order, ur.unit_id), ur.no_excellent))
    by = {e.unit_id: e for e in scoring.rank_and_grade(entries, run.plan)}
    for ur in urs:
        e = by[ur.pk]
        ur.rank, ur.position, ur.grade = e.rank, e.position, e.grade
    UnitResult.objects.bulk_update(urs, ["total", "rank", "position", "grade"], batch_size=2000)


# ---------------------------------------------------------------- scope (who reads results)

def visible_runs(user, qs: QuerySet | None = None) -> QuerySet:
    """Runs `user` may read: the office every run; users with an assessment grant in core.scope (领导, 单位联络员)
    only published runs; roles without one nothing."""
    qs = ScoreRun.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.sees_everything:
        return qs
    if unit_scope(user, "assessment") == set():  # roles without an assessment grant (话务员, 检查员…) read nothing
        return qs.none()
    return qs.filter(state=ScoreRun.State.PUBLISHED)


def can_see_card(user, run: ScoreRun, unit_id: int) -> bool:
    """A unit's score card (items and rows): the office always; otherwise only in a published run, for
    the unit's own people and leaders whose unit_scope covers the unit."""
    if not visible_runs(user, ScoreRun.objects.filter(pk=run.pk)).exists():
        return False
    scope = unit_scope(user, "assessment")
    return scope is None or unit_id in scope


def visible_appeals(user, qs: QuerySet | None = None) -> QuerySet:
    qs = Appeal.objects.all() if qs is None else qs
    scope = unit_scope(user, "assessment")
    if scope is None:
        return qs
    return qs.filter(unit_id__in=scope, run__state=ScoreRun.State.PUBLISHED) if scope else qs.none()


def run_json(run: ScoreRun, unit_ids=None) -> dict:
    """A stored run in the `luoshi assess score --json` shape (`unit_ids` limits the units listed)."""
    urs = run.units.order_by("position")
    if unit_ids is not None:
        urs = urs.filter(unit_id__in=unit_ids)
    items = {}
    for it in (ItemResult.objects.filter(result__in=urs).select_related("indicator").order_by("result_id", "id")):
        items.setdefault(it.result_id, []).append(it)
    num = scoring._num
    return {
        "plan": run.plan.code, "period": run.period, "as_of": run.as_of.isoformat(), "run": run.pk,
        "published": run.state == ScoreRun.State.PUBLISHED,
        "appeal_until": run.appeal_until.isoformat() if run.appeal_until else None,
        "units": [{
            "unit": ur.unit_name, "unit_id": ur.unit_id, "total": num(ur.total), "rank": ur.rank, "grade": ur.grade,
            "vetoed": ur.vetoed, "no_excellent": ur.no_excellent,
            "items": [{"indicator": it.label_code, "name": it.label_name, "kind": it.indicator.kind,
                       "method": it.method, "value": num(it.value), "points": num(it.points),
                       "weight": num(it.weight), "rows": it.rows, "note": it.note}
                      for it in items.get(ur.pk, [])],
        } for ur in urs],
    }


def card_rows(item: ItemResult, run: ScoreRun, limit: int = 200) -> list[dict]:
    """The records an item came from (tasks, notices, figures, ratings…), read again for the card."""
    src = get_source(item.method)
    if src.rows is None:
        return []
    per = parse_period(run.period).at(run.as_of)
    return src.rows(item.result.unit_id, per, item.indicator, limit)


def visible_plans(user) -> QuerySet:
    if getattr(user, "sees_everything", False):
        return Plan.objects.all()
    return Plan.objects.filter(runs__in=visible_runs(user)).distinct()


def refuse_unless(cond: bool, what_en: str, what_zh: str):
    if not cond:
        raise NotAllowed(f"you are not allowed to {what_en}", f"您无权{what_zh}")
