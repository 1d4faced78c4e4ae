"""目标责任状 (target letters): the office drafts and signs a unit's yearly letter; the unit reports periodic
figures against its targets; the `letter.completion` scoring method turns them into a 0-100 score."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from luoshi.audit.services import record
from luoshi.core.errors import LuoshiError, check_plain_text, deny
from luoshi.core.scope import unit_scope

from .models import LetterTarget, TargetFigure, TargetLetter
from .services import _decimal, _office
from .sources import Measure, Q4, register


def parse_figure_period(text: str) -> tuple[str, dt.date]:
    """'2026-03' (month) or '2026-Q1' (quarter) or '2026' (year) → (label, last day)."""
    raw = (text or "").strip().upper()
    try:
        if len(raw) == 4:
            y = int(raw)
            return raw, dt.date(y, 12, 31)
        y_s, part = raw.split("-")
        y = int(y_s)
        if part.startswith("Q"):
            q = int(part[1:])
            if not 1 <= q <= 4:
                raise ValueError
            end = (dt.date(y + 1, 1, 1) if q == 4 else dt.date(y, 3 * q + 1, 1)) - dt.timedelta(days=1)
            return f"{y}-Q{q}", end
        m = int(part)
        end = (dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)) - dt.timedelta(days=1)
        return f"{y}-{m:02d}", end
    except (ValueError, IndexError):
        raise LuoshiError(f"period {text!r} is not a month (2026-03), quarter (2026-Q1) or year",
                          f"期间“{text}”无效,应为月份(2026-03)、季度(2026-Q1)或年度", field="period") from None


@transaction.atomic
def do_save_letter(actor, unit, *, year: int, title: str, signatories, targets, letter: TargetLetter | None = None
                   ) -> TargetLetter:
    """Draft (or redraft) a unit's 目标责任状. `targets`: [{"name", "op" ge|le, "target", "measure_unit",
    "weight"}] with weights adding up to 100; `signatories`: at least two {"role", "name"}. A signed letter
    cannot be changed."""
    _office(actor, "draft target letters", "拟定目标责任状")
    if letter is not None:
        letter = TargetLetter.objects.select_for_update().get(pk=letter.pk)
    if letter is not None and letter.state == TargetLetter.State.SIGNED:
        raise LuoshiError("a signed letter cannot be changed", "目标责任状已签订,不能修改", field="state")
    if not 2000 <= int(year) <= 2100:
        raise LuoshiError("year is out of range", "年度无效", field="year")
    title = check_plain_text(title, "标题", "title", max_length=200, required=True)
    signs = []
    for s in signatories or []:
        name = check_plain_text((s or {}).get("name"), "签订人", "signatories", max_length=60)
        if name:
            signs.append({"role": check_plain_text(s.get("role"), "签订方", "signatories", max_length=30),
                          "name": name})
    if len(signs) < 2:
        raise LuoshiError("a target letter needs at least two signatories", "目标责任状至少需要双方签订人",
                          field="signatories")
    clean = []
    for i, t in enumerate(targets or [], 1):
        name = check_plain_text(t.get("name"), "目标", "targets", max_length=200, required=True)
        op = t.get("op") or "ge"
        if op not in LetterTarget.Op.values:
            raise LuoshiError("op is ge or le", "比较方式应为不低于或不高于", field="targets")
        clean.append(LetterTarget(seq=i, name=name, op=op, target=_decimal(t.get("target"), f"第{i}项目标值", "targets"),
                                  measure_unit=check_plain_text(t.get("measure_unit"), "计量单位", "targets",
                                                                max_length=20),
                                  weight=_decimal(t.get("weight"), f"第{i}项权重", "targets", lo=0, hi=100)))
    if not clean:
        raise LuoshiError("a target letter needs targets", "目标责任状至少需要一项目标", field="targets")
    total = sum((t.weight for t in clean), Decimal(0))
    if total != 100:
        raise LuoshiError(f"target weights add up to {total.normalize():f}, not 100",
                          f"各项目标权重合计为{total.normalize():f},应为100", field="targets")
    if letter is None:
        if TargetLetter.objects.filter(unit=unit, year=year).exists():
            raise LuoshiError("the unit already has a letter for this year", f"{unit.name}{year}年度目标责任状已存在",
                              field="year")
        letter = TargetLetter(unit=unit, year=year, created_by=actor)
    else:
        letter.targets.all().delete()  # a draft's targets have no figures yet (figures need a signed letter)
    letter.title, letter.signatories = title, signs
    letter.save()
    for t in clean:
        t.letter = letter
    LetterTarget.objects.bulk_create(clean)
    record(actor, "assessment.letter.save", letter, summary=f"{unit.name} {year}",
           after={"title": title, "signatories": signs,
                  "targets": [{"name": t.name, "op": t.op, "target": t.target, "weight": t.weight} for t in clean]})
    return letter


@transaction.atomic
def do_sign_letter(actor, letter: TargetLetter, signed_on: dt.date) -> TargetLetter:
    _office(actor, "sign target letters", "签订目标责任状")
    letter = TargetLetter.objects.select_for_update().get(pk=letter.pk)
    if letter.state == TargetLetter.State.SIGNED:
        raise LuoshiError("already signed", "目标责任状已签订", field="state")
    letter.state, letter.signed_on = TargetLetter.State.SIGNED, signed_on
    letter.save()
    record(actor, "assessment.letter.sign", letter, after={"signed_on": signed_on})
    return letter


@transaction.atomic
def do_report_target_figure(actor, target: LetterTarget, period: str, value, note: str = "") -> TargetFigure:
    """The unit (or the office) reports a periodic figure of a signed letter's target."""
    letter = TargetLetter.objects.select_related("unit").get(pk=target.letter_id)
    if not (getattr(actor, "sees_everything", False) or (actor.is_liaison and actor.unit_id == letter.unit_id)):
        deny("report figures for this unit", "为该单位报送目标完成情况")
    if letter.state != TargetLetter.State.SIGNED:
        raise LuoshiError("the letter is not signed yet", "目标责任状尚未签订", field="target")
    label, end = parse_figure_period(period)
    if end.year != letter.year:
        raise LuoshiError(f"the period is not in {letter.year}", f"期间不在{letter.year}年度内", field="period")
    value = _decimal(value, "完成值", "value")
    note = check_plain_text(note, "说明", "note", max_length=500)
    old = list(TargetFigure.objects.select_for_update().filter(target=target, period=label, superseded=False))
    TargetFigure.objects.filter(pk__in=[f.pk for f in old]).update(superseded=True)
    fig = TargetFigure.objects.create(target=target, period=label, period_end=end, value=value, note=note,
                                      reported_by=actor)
    record(actor, "assessment.letter.figure", fig, summary=f"{letter.unit.name} {target.name} {label}: {value}",
           after={"value": value, "note": note, "supersedes": [f.pk for f in old]})
    return fig


def visible_letters(user, qs: QuerySet | None = None) -> QuerySet:
    qs = TargetLetter.objects.all() if qs is None else qs
    scope = unit_scope(user, "assessment")
    if scope is None:
        return qs
    return qs.filter(unit_id__in=scope) if scope else qs.none()


def achievement(op: str, target: Decimal, value: Decimal | None) -> Decimal:
    """0..1: ge → value/target (capped at 1); le → 1 when value ≤ target, else target/value."""
    if value is None:
        return Decimal(0)
    if op == "le":
        if value <= target:
            return Decimal(1)
        return max(Decimal(0), min(Decimal(1), target / value)) if value > 0 else Decimal(0)
    if target <= 0:
        return Decimal(1) if value >= target else Decimal(0)
    return max(Decimal(0), min(Decimal(1), value / target))


def _latest(unit_ids, period):
    """{unit_id: [(target, latest figure or None)]} for the signed letters of the period's year."""
    letters = TargetLetter.objects.filter(unit_id__in=unit_ids, year=period.start.year,
                                          state=TargetLetter.State.SIGNED)
    targets = list(LetterTarget.objects.filter(letter__in=letters).select_related("letter").order_by("letter_id", "seq"))
    latest = {}
    for f in (TargetFigure.objects.filter(target__in=targets, superseded=False, period_end__lt=period.as_of)
              .order_by("target_id", "period_end", "id")):
        latest[f.target_id] = f
    out = {}
    for t in targets:
        out.setdefault(t.letter.unit_id, []).append((t, latest.get(t.id)))
    return out


def _letter_rows(unit_id, period, indicator, limit):
    rows = []
    for t, f in _latest([unit_id], period).get(unit_id, []):
        got = f"{f.period} 完成{f.value.normalize():f}{t.measure_unit}" if f else "未报送"
        rows.append({"label": f"{t.name}({t.get_op_display()}{t.target.normalize():f}{t.measure_unit},权重{t.weight.normalize():f})",
                     "url": reverse("assessment:letter", args=[t.letter_id]),
                     "detail": f"{got},完成度{achievement(t.op, t.target, f.value if f else None) * 100:.0f}%"})
    return rows[:limit]


@register("letter.completion", "目标责任状完成度(加权,百分制)", rows=_letter_rows, kind="reported",
          default_params={"rule": "score100"})
def letter_completion(unit_ids, period, indicator=None):
    """Weighted achievement of the unit's signed letter for the period's year, 0-100, from each target's latest
    figure before the reading day (a target without figures counts 0). No signed letter: no data."""
    out = {}
    for uid, pairs in _latest(unit_ids, period).items():
        score = sum((t.weight * achievement(t.op, t.target, f.value if f else None) for t, f in pairs), Decimal(0))
        out[uid] = Measure(score.quantize(Q4), sum(1 for _, f in pairs if f))
    return out
