"""Indicator sources (数据来源): the registry of scoring methods.

A method code maps to a `Source`: `compute(unit_ids, period, indicator) -> {unit_id: Measure(value, rows)}`
reads the value of every unit in one pass (a few grouped queries, whatever the number of units), and
`rows(unit_id, period, indicator, limit) -> [{"label", "url", "detail"}]` lists the records one value came
from, for the score card. Apps above the ledger (cases, petitions, inspections…) add their own methods with
`register()`; nothing here needs to know them.

Values: rates are fractions 0..1, counts are numbers of records, scores are 0..100 (Decimal or None when
the unit has no data for it). `period.as_of` is the day data are read at (exclusive): a deadline before it
has passed.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable

from django.db.models import Count, F, Q
from django.urls import reverse

from luoshi.core.errors import LuoshiError

Q4 = Decimal("0.0001")


@dataclass(frozen=True)
class Period:
    """A 考核周期: `label` 2026 / 2026-H1 / 2026-Q3, first and last day, and the read day `as_of`."""

    label: str
    start: dt.date
    end: dt.date
    as_of: dt.date

    def at(self, as_of: dt.date | None) -> "Period":
        """The same period read on `as_of` (never after the day after its end)."""
        last = self.end + dt.timedelta(days=1)
        return replace(self, as_of=min(as_of, last) if as_of else last)


def parse_period(text: str) -> Period:
    """'2026' (year), '2026-H1'/'2026-H2' (half), '2026-Q1'..'2026-Q4' (quarter); LuoshiError otherwise."""
    raw = (text or "").strip().upper().replace("H", "-H").replace("Q", "-Q").replace("--", "-")
    try:
        year_s, _, part = raw.partition("-")
        year = int(year_s)
        if not 2000 <= year <= 2100:
            raise ValueError
        if not part:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        elif part in ("H1", "H2"):
            start = dt.date(year, 1 if part == "H1" else 7, 1)
            end = dt.date(year, 6, 30) if part == "H1" else dt.date(year, 12, 31)
        elif part in ("Q1", "Q2", "Q3", "Q4"):
            q = int(part[1])
            start = dt.date(year, 3 * q - 2, 1)
            end = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(days=1)
        else:
            raise ValueError
    except ValueError:
        raise LuoshiError(f"period {text!r} is not a year (2026), half (2026-H1) or quarter (2026-Q3)",
                          f"考核周期“{text}”无效,应为年度(2026)、半年(2026-H1)或季度(2026-Q3)",
                          field="period") from None
    label = f"{year}" + (f"-{part}" if part else "")
    return Period(label, start, end, end + dt.timedelta(days=1))


@dataclass(frozen=True)
class Measure:
    value: Decimal | None
    rows: int


@dataclass(frozen=True)
class Source:
    code: str
    label_zh: str
    compute: Callable
    rows: Callable | None = None
    kind: str = "auto"  # auto | reported | expert | survey | manual
    default_params: dict = field(default_factory=dict)
    per_indicator: bool = False  # True: the values depend on the indicator (reported data, ratings…)


SOURCES: dict[str, Source] = {}


def register(code: str, label_zh: str, *, rows=None, kind: str = "auto", default_params=None,
             per_indicator: bool = False):
    """Decorator: register `compute(unit_ids, period, indicator)` as scoring method `code`."""

    def wrap(fn):
        SOURCES[code] = Source(code, label_zh, fn, rows, kind, dict(default_params or {}), per_indicator)
        return fn

    return wrap


def get_source(code: str) -> Source:
    try:
        return SOURCES[code]
    except KeyError:
        raise LuoshiError(f"unknown scoring method {code!r}", f"未知的计分方法“{code}”", field="method") from None


def method_choices() -> list[tuple[str, str]]:
    return [(s.code, f"{s.label_zh}({s.code})") for s in sorted(SOURCES.values(), key=lambda s: s.code)]


def rate(n: int, d: int) -> Decimal | None:
    return (Decimal(n) / Decimal(d)).quantize(Q4) if d else None


# ---------------------------------------------------------------- ledger (台账)

def _task_url(task_id: int) -> str:
    return reverse("task", args=[task_id])


def _due_tasks(unit_ids, period: Period):
    from luoshi.ledger.models import Status, Task

    through = Task.lead_units.through
    return (through.objects.filter(unit_id__in=unit_ids, task__deadline__gte=period.start,
                                   task__deadline__lt=period.as_of)
            .exclude(task__status__in=[Status.DRAFT, Status.SUSPENDED]))


def _on_time_q():
    from luoshi.ledger.models import Status

    return Q(task__status=Status.CLOSED, task__closed_on__lte=F("task__deadline"))


def _task_rows(unit_id, period, indicator, limit, only=None):
    qs = _due_tasks([unit_id], period)
    if only is not None:
        qs = qs.filter(only)
    out = []
    for tid, number, title, deadline, closed_on, status in qs.order_by("task__deadline", "task_id").values_list(
            "task_id", "task__number", "task__title", "task__deadline", "task__closed_on", "task__status")[:limit]:
        state = f"办结于{closed_on}" if closed_on and status == "closed" else "未办结"
        out.append({"label": f"{number} {title}", "url": _task_url(tid), "detail": f"时限{deadline},{state}"})
    return out


def _ledger_on_time_rows(unit_id, period, indicator, limit):
    return _task_rows(unit_id, period, indicator, limit)


@register("ledger.on_time_rate", "按时办结率(台账)", rows=_ledger_on_time_rows,
          default_params={"rule": "rate", "full_at": 1, "zero_at": 0})
def ledger_on_time_rate(unit_ids, period, indicator=None):
    """Tasks the unit leads whose deadline fell in the period (before as_of): share closed by the deadline."""
    out = {}
    for row in (_due_tasks(unit_ids, period).values("unit_id")
                .annotate(n=Count("id"), ok=Count("id", filter=_on_time_q()))):
        out[row["unit_id"]] = Measure(rate(row["ok"], row["n"]), row["n"])
    return out


def _overdue_q():
    return ~_on_time_q()


def _ledger_overdue_rows(unit_id, period, indicator, limit):
    return _task_rows(unit_id, period, indicator, limit, only=_overdue_q())


@register("ledger.overdue_count", "逾期件数(台账)", rows=_ledger_overdue_rows,
          default_params={"rule": "count", "per": 1})
def ledger_overdue_count(unit_ids, period, indicator=None):
    """Tasks the unit leads, due in the period, not closed by their deadline (逾期)."""
    out = {}
    for row in _due_tasks(unit_ids, period).filter(_overdue_q()).values("unit_id").annotate(n=Count("id")):
        out[row["unit_id"]] = Measure(Decimal(row["n"]), row["n"])
    return out


# ---------------------------------------------------------------- supervision (督办单, 限期整改)

def _notices(unit_ids, period, lights):
    from luoshi.supervision.models import SupervisionNotice

    return SupervisionNotice.objects.filter(lead_unit_id__in=unit_ids, issued_on__gte=period.start,
                                            issued_on__lt=period.as_of, light__in=lights)


def _notice_rows(lights):
    def rows(unit_id, period, indicator, limit):
        return [{"label": f"{n.number} {n.title_zh}", "url": reverse("supervision:notice", args=[n.pk]),
                 "detail": f"签发于{n.issued_on}"}
                for n in _notices([unit_id], period, lights).order_by("issued_on", "id")[:limit]]

    return rows


def _count_notices(unit_ids, period, lights):
    return {r["lead_unit_id"]: Measure(Decimal(r["n"]), r["n"])
            for r in _notices(unit_ids, period, lights).values("lead_unit_id").annotate(n=Count("id"))}


@register("supervision.notices", "收到黄/红色督办单件数", rows=_notice_rows(("yellow", "red")),
          default_params={"rule": "count", "per": 1})
def supervision_notices(unit_ids, period, indicator=None):
    return _count_notices(unit_ids, period, ("yellow", "red"))


@register("supervision.red_notices", "收到红色督办单件数", rows=_notice_rows(("red",)),
          default_params={"rule": "count", "per": 1})
def supervision_red_notices(unit_ids, period, indicator=None):
    return _count_notices(unit_ids, period, ("red",))


def _rectifications(unit_ids, period):
    from luoshi.supervision.models import RectificationItem

    return RectificationItem.objects.filter(unit_id__in=unit_ids, due__gte=period.start, due__lt=period.as_of)


def _rect_rows(unit_id, period, indicator, limit):
    out = []
    for r in _rectifications([unit_id], period).select_related("task").order_by("due", "id")[:limit]:
        state = f"销号于{r.closed_on}" if r.state == "closed" else r.get_state_display()
        # an item may come from an inspection finding rather than a task (RectificationItem.subject)
        out.append({"label": f"整改:{r.subject} {r.requirement[:40]}",
                    "url": _task_url(r.task_id) if r.task_id else "/supervision/workspace/",
                    "detail": f"时限{r.due},{state}"})
    return out


@register("supervision.rectification_on_time", "限期整改按时销号率", rows=_rect_rows,
          default_params={"rule": "rate", "full_at": 1, "zero_at": 0})
def supervision_rectification_on_time(unit_ids, period, indicator=None):
    on_time = Q(state="closed", closed_on__lte=F("due"))
    return {r["unit_id"]: Measure(rate(r["ok"], r["n"]), r["n"])
            for r in _rectifications(unit_ids, period).values("unit_id")
            .annotate(n=Count("id"), ok=Count("id", filter=on_time))}


# ---------------------------------------------------------------- assessment's own data

def _figures(indicator, unit_ids):
    from .models import ReportedFigure

    return ReportedFigure.objects.filter(indicator=indicator, unit_id__in=unit_ids, superseded=False,
                                         state=ReportedFigure.State.ACCEPTED)


def _figure_rows(unit_id, period, indicator, limit):
    return [{"label": f"填报值 {f.value.normalize():f}" + (f"(佐证:{f.evidence.name.rsplit('/', 1)[-1]})"
                                                          if f.evidence else ""),
             "url": reverse("assessment:figure", args=[f.pk]),
             "detail": f"{f.submitted_at:%Y-%m-%d} 填报,已认可"}
            for f in _figures(indicator, [unit_id]).order_by("-id")[:limit]]


@register("reported", "单位填报数据(经审核)", rows=_figure_rows, kind="reported", per_indicator=True,
          default_params={"rule": "target", "direction": "ge"})
def reported(unit_ids, period, indicator):
    # filtered by indicator only (selective) and the units in Python: no IN list of thousands of ids
    wanted = set(unit_ids)
    return {uid: Measure(value, 1)
            for uid, value in ReportedFigureQS().filter(indicator=indicator, superseded=False, state="accepted")
            .values_list("unit_id", "value") if uid in wanted}


def ReportedFigureQS():
    from .models import ReportedFigure

    return ReportedFigure.objects


def _counted_expert_scores():
    """Scores that count: entered by the office (no sheet) or on a submitted score sheet."""
    from .models import ExpertScore

    return ExpertScore.objects.filter(Q(sheet__isnull=True) | Q(sheet__state="submitted"))


def _expert_rows(unit_id, period, indicator, limit):
    return [{"label": f"{s.rater}:{s.score.normalize():f}分", "url": "",
             "detail": ("评分表提交" if s.sheet_id else "考核办录入") + (f";{s.note}" if s.note else "")}
            for s in _counted_expert_scores().filter(indicator=indicator, unit_id=unit_id).order_by("rater")[:limit]]


def trimmed_mean(scores: list[Decimal], min_to_trim: int) -> Decimal:
    """Mean of the scores; with at least `min_to_trim` raters the single highest and lowest are dropped."""
    s = sorted(scores)
    if len(s) >= max(min_to_trim, 3):
        s = s[1:-1]
    return (sum(s, Decimal(0)) / len(s)).quantize(Q4)


@register("expert", "专家评分(去掉最高最低分)", rows=_expert_rows, kind="expert", per_indicator=True,
          default_params={"rule": "score100"})
def expert(unit_ids, period, indicator):
    by_unit = defaultdict(list)
    wanted = set(unit_ids)
    for uid, score in _counted_expert_scores().filter(indicator=indicator).values_list("unit_id", "score"):
        if uid in wanted:
            by_unit[uid].append(score)
    n_trim = indicator.plan.min_raters_to_trim
    return {uid: Measure(trimmed_mean(v, n_trim), len(v)) for uid, v in by_unit.items()}


def _survey_rows(unit_id, period, indicator, limit):
    from django.db.models import Avg

    from .models import SurveyLink

    out = []
    for link in SurveyLink.objects.filter(survey__indicator=indicator, unit_id=unit_id).select_related("survey"):
        agg = link.responses.aggregate(n=Count("id"), avg=Avg("score"))
        out.append({"label": f"{link.survey.title}:{agg['n']}份答卷", "url": "",
                    "detail": f"平均{Decimal(agg['avg'] or 0).quantize(Decimal('0.01'))}分(答卷匿名,不显示个人答案)"})
    return out[:limit]


@register("survey", "群众评议(问卷平均分)", rows=_survey_rows, kind="survey", per_indicator=True,
          default_params={"rule": "score100"})
def survey(unit_ids, period, indicator):
    from django.db.models import Sum

    from .models import SurveyResponse

    out = {}
    for r in (SurveyResponse.objects.filter(link__survey__indicator=indicator, link__unit_id__in=unit_ids)
              .values("link__unit_id").annotate(n=Count("id"), s=Sum("score"))):
        out[r["link__unit_id"]] = Measure((Decimal(r["s"]) / r["n"]).quantize(Q4), r["n"])
    return out


def _adjustments(indicator, unit_ids, period):
    from .models import Adjustment

    return Adjustment.objects.filter(indicator=indicator, unit_id__in=unit_ids, revoked=False,
                                     on__gte=period.start, on__lt=period.as_of)


def _adjust_rows(unit_id, period, indicator, limit):
    return [{"label": f"{a.on} {a.reason}", "url": "", "detail": f"计{a.amount.normalize():f}"}
            for a in _adjustments(indicator, [unit_id], period).order_by("on", "id")[:limit]]


@register("manual", "加减分登记(奖项、明查暗访、约谈等)", rows=_adjust_rows, kind="manual", per_indicator=True,
          default_params={"per": 1})
def manual(unit_ids, period, indicator):
    from django.db.models import Sum

    return {r["unit_id"]: Measure(Decimal(r["s"]), r["n"])
            for r in _adjustments(indicator, unit_ids, period).values("unit_id")
            .annotate(n=Count("id"), s=Sum("amount"))}


# ---------------------------------------------------------------- hook for decided measures (问责/处理结果)

MEASURE_PROVIDERS: list[Callable] = []


def register_measures(fn: Callable) -> Callable:
    """Hook for apps above assessment (accountability): `fn(unit_ids, period)` returns
    `{unit_id: [{"points": Decimal ≥ 0 to deduct, "no_excellent": bool (取消评优资格), "label": str,
    "url": str}]}` for measures decided against units in the period. Their points feed the
    `accountability.measures` deduction method; any `no_excellent` entry bars the unit from 优秀 in every
    plan scored for that period."""
    MEASURE_PROVIDERS.append(fn)
    return fn


def measures(unit_ids, period) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = defaultdict(list)
    for fn in MEASURE_PROVIDERS:
        for uid, entries in (fn(unit_ids, period) or {}).items():
            out[uid].extend(entries)
    return out


def _measure_rows(unit_id, period, indicator, limit):
    return [{"label": e.get("label", ""), "url": e.get("url", ""), "detail": f"扣{e.get('points', 0)}分"
             + (",取消评优资格" if e.get("no_excellent") else "")}
            for e in measures([unit_id], period).get(unit_id, [])][:limit]


@register("accountability.measures", "问责处理扣分(已决定的处理措施)", rows=_measure_rows,
          default_params={"per": 1})
def accountability_measures(unit_ids, period, indicator=None):
    return {uid: Measure(sum((Decimal(str(e.get("points", 0))) for e in entries), Decimal(0)), len(entries))
            for uid, entries in measures(unit_ids, period).items()}


# ---------------------------------------------------------------- 12345 / 效能投诉 cases (luoshi.cases)

def _aware(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


def _cases(unit_ids, period, field="responsible_unit_id"):
    from luoshi.cases.models import Case, Status

    return (Case.objects.filter(**{f"{field}__in": unit_ids}, created_at__gte=_aware(period.start),
                                created_at__lt=_aware(period.as_of))
            .exclude(status__in=[Status.VOID, Status.MERGED]))


def _case_rows(only=None, field="responsible_unit_id"):
    def rows(unit_id, period, indicator, limit):
        qs = _cases([unit_id], period, field)
        if only is not None:
            qs = qs.filter(only(period))
        # number, category, dates and outcome only: never who reported it (效能投诉 privacy)
        return [{"label": f"{c.number or '案件#%d' % c.pk} {c.category.name}", "url": reverse("cases:detail", args=[c.pk]),
                 "detail": f"受理{c.created_at:%Y-%m-%d}," + (f"办结{c.replied_at:%Y-%m-%d}" if c.replied_at else "未办结")
                 + (f",评价:{c.get_rating_display()}" if c.rating else "")
                 + (f",退单{c.return_count}次" if c.return_count else "")
                 + (f",认定:{c.get_finding_display()}" if c.finding else "")}
                for c in qs.select_related("category").order_by("created_at", "id")[:limit]]

    return rows


def _case_due_q(period):
    from luoshi.cases.models import UNIT_STATUSES

    cut = _aware(period.as_of)
    return Q(replied_at__isnull=False) | Q(status__in=UNIT_STATUSES, deadline__lt=cut)


@register("cases.on_time_rate", "12345案件按期处置率", rows=_case_rows(_case_due_q),
          default_params={"rule": "rate", "full_at": 1, "zero_at": 0})
def cases_on_time_rate(unit_ids, period, indicator=None):
    """Cases of the responsible unit received in the period: replied by the deadline / (replied + still with the
    unit past the deadline on the reading day) — the cases app's 按期处置率."""
    on_time = Q(replied_at__isnull=False, replied_at__lte=F("deadline"))
    return {r["responsible_unit_id"]: Measure(rate(r["ok"], r["n"]), r["n"])
            for r in _cases(unit_ids, period).filter(_case_due_q(period)).values("responsible_unit_id")
            .annotate(n=Count("id"), ok=Count("id", filter=on_time))}


@register("cases.satisfaction", "12345案件满意率", rows=_case_rows(lambda p: ~Q(rating="")),
          default_params={"rule": "rate", "full_at": 1, "zero_at": 0.6})
def cases_satisfaction(unit_ids, period, indicator=None):
    """(满意 + 基本满意) / rated cases of the responsible unit received in the period."""
    good = Q(rating__in=["satisfied", "basic"])
    return {r["responsible_unit_id"]: Measure(rate(r["ok"], r["n"]), r["n"])
            for r in _cases(unit_ids, period).exclude(rating="").values("responsible_unit_id")
            .annotate(n=Count("id"), ok=Count("id", filter=good))}


def _returns(unit_ids, period):
    """退单 events of the units on cases received in the period (a return clears the case's unit, so the
    timeline is where the returning unit is kept)."""
    from luoshi.cases.models import CaseEvent

    return CaseEvent.objects.filter(kind="return", unit_id__in=unit_ids, case__created_at__gte=_aware(period.start),
                                    case__created_at__lt=_aware(period.as_of))


def _return_rows(unit_id, period, indicator, limit):
    out = []
    for e in _returns([unit_id], period).select_related("case__category").order_by("at", "id")[:limit]:
        c = e.case
        out.append({"label": f"{c.number or '案件#%d' % c.pk} {c.category.name}",
                    "url": reverse("cases:detail", args=[c.pk]), "detail": f"{e.at:%Y-%m-%d} 退单"})
    return out


@register("cases.return_rate", "12345案件退单率", rows=_return_rows,
          default_params={"rule": "rate", "full_at": 0, "zero_at": 0.2})
def cases_return_rate(unit_ids, period, indicator=None):
    """Cases received in the period that the unit returned (退单, from the case timeline) / (cases dispatched to
    it that it still holds + those it returned) — the cases app's 退单率; lower is better (default: 0 → full
    points, 20 % or more → 0)."""
    held = {r["responsible_unit_id"]: r["n"] for r in _cases(unit_ids, period).filter(dispatched_at__isnull=False)
            .values("responsible_unit_id").annotate(n=Count("id"))}
    ret = {r["unit_id"]: r["n"] for r in _returns(unit_ids, period).values("unit_id")
           .annotate(n=Count("case_id", distinct=True))}
    return {uid: Measure(rate(ret.get(uid, 0), held.get(uid, 0) + ret.get(uid, 0)), held.get(uid, 0) + ret.get(uid, 0))
            for uid in set(held) | set(ret)}


@register("cases.complaints_upheld", "效能投诉属实件数(被投诉单位)",
          rows=_case_rows(lambda p: Q(kind="complaint", finding__in=["true", "partly"]), field="subject_unit_id"),
          default_params={"rule": "count", "per": 1})
def cases_complaints_upheld(unit_ids, period, indicator=None):
    """效能投诉 against the unit received in the period and found 属实/部分属实 (for 扣分 items)."""
    return {r["subject_unit_id"]: Measure(Decimal(r["n"]), r["n"])
            for r in _cases(unit_ids, period, "subject_unit_id").filter(kind="complaint",
                                                                        finding__in=["true", "partly"])
            .values("subject_unit_id").annotate(n=Count("id"))}


# ---------------------------------------------------------------- 明查暗访 findings (luoshi.inspections)

SEVERITY_WEIGHT = {"minor": 1, "serious": 2, "grave": 3}


def _findings(unit_ids, period):
    """Findings of PUBLISHED inspection plans, published in the period: an unannounced plan stays invisible to
    the inspected (and off their score card) until it is published."""
    from luoshi.inspections.models import Finding

    return Finding.objects.filter(unit_id__in=unit_ids, plan__published=True, plan__published_on__gte=period.start,
                                  plan__published_on__lt=period.as_of)


def _finding_rows(unit_id, period, indicator, limit):
    return [{"label": f"{f.plan.title}:{f.description[:60]}", "url": reverse("inspections:plan", args=[f.plan_id]),
             "detail": f"{f.get_severity_display()},通报于{f.plan.published_on}"}
            for f in _findings([unit_id], period).select_related("plan").order_by("plan__published_on", "id")[:limit]]


@register("inspections.findings", "明查暗访发现问题(一般1、较重2、严重3)", rows=_finding_rows,
          default_params={"per": 1})
def inspections_findings(unit_ids, period, indicator=None):
    """Severity-weighted count of the unit's findings in inspection plans published in the period (for 扣分 items)."""
    out: dict[int, list] = defaultdict(lambda: [Decimal(0), 0])
    for uid, sev in _findings(unit_ids, period).values_list("unit_id", "severity"):
        out[uid][0] += SEVERITY_WEIGHT.get(sev, 1)
        out[uid][1] += 1
    return {uid: Measure(v, n) for uid, (v, n) in out.items()}


# ---------------------------------------------------------------- 信访 petitions (luoshi.petitions)
#
# The same definitions as the petitions app's statistics (luoshi.petitions.stats.unit_stats), read for a
# period: petitions the unit handles (handling_unit) received in the period, a decision or answer counting
# only when it was made before the reading day (so an as_of in the past gives the result of that day).

def _petitions(unit_ids, period):
    from luoshi.petitions.models import Petition

    return Petition.objects.filter(handling_unit_id__in=unit_ids, received_on__gte=period.start,
                                   received_on__lt=period.as_of)


def _pt_accept_due_q(period):
    return Q(accepted_on__lt=period.as_of) | Q(accept_by__lt=period.as_of)


def _pt_accept_ok_q(period):
    return Q(accepted_on__lt=period.as_of, accepted_on__lte=F("accept_by"))


def _pt_handle_due_q(period):
    return Q(due__isnull=False) & (Q(answered_on__lt=period.as_of) | Q(due__lt=period.as_of))


def _pt_handle_ok_q(period):
    return Q(due__isnull=False, answered_on__lt=period.as_of, answered_on__lte=F("due"))


def _pt_backlog(unit_ids, period):
    """积案 of the units listed before the reading day and not resolved before the period began."""
    from luoshi.petitions.models import Petition

    return (Petition.objects.filter(handling_unit_id__in=unit_ids, backlog=True, backlog_since__lt=period.as_of)
            .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gte=period.start)))


def _pt_resolved_q(period):
    return Q(resolved_on__gte=period.start, resolved_on__lt=period.as_of)


def _petition_row(p, detail: str) -> dict:
    # number, channel and dates only: never the petitioner (信访工作条例: particulars stay with the 信访 office)
    return {"label": f"{p.number} {p.get_channel_display()}", "url": reverse("petitions:detail", args=[p.pk]),
            "detail": detail}


def _pt_rate(qs_for, due_q, ok_q):
    """compute() of a petitions rate: ok / due among `qs_for(unit_ids, period)`."""

    def compute(unit_ids, period, indicator=None):
        return {r["handling_unit_id"]: Measure(rate(r["ok"], r["n"]), r["n"])
                for r in qs_for(unit_ids, period).filter(due_q(period)).values("handling_unit_id")
                .annotate(n=Count("id"), ok=Count("id", filter=ok_q(period)))}

    return compute


def _pt_rows(qs_for, due_q, describe):
    def rows(unit_id, period, indicator, limit):
        qs = qs_for([unit_id], period).filter(due_q(period)).order_by("received_on", "id")[:limit]
        return [_petition_row(p, describe(p, period)) for p in qs]

    return rows


def _when(day, period, what):
    return f"{what}{day}" if day and day < period.as_of else f"未{what}"


def _describe_accept(p, period):
    return f"收到{p.received_on},受理告知期限{p.accept_by}," + _when(p.accepted_on, period, "告知于")


def _describe_handle(p, period):
    return f"收到{p.received_on},办理期限{p.due}," + _when(p.answered_on, period, "答复于")


def _describe_rating(p, period):
    return f"收到{p.received_on},评价:{p.get_satisfaction_display()}"


def _describe_backlog(p, period):
    return f"列入积案{p.backlog_since}," + (f"化解于{p.resolved_on}" if p.resolved_on and p.resolved_on < period.as_of
                                        else "未化解")


register("petitions.acceptance_rate", "信访按期受理率",
         rows=_pt_rows(_petitions, _pt_accept_due_q, _describe_accept),
         default_params={"rule": "rate", "full_at": 1, "zero_at": 0})(
    _pt_rate(_petitions, _pt_accept_due_q, _pt_accept_ok_q))
register("petitions.on_time_rate", "信访按期办结率",
         rows=_pt_rows(_petitions, _pt_handle_due_q, _describe_handle),
         default_params={"rule": "rate", "full_at": 1, "zero_at": 0})(
    _pt_rate(_petitions, _pt_handle_due_q, _pt_handle_ok_q))


def _pt_rated_q(period):
    return ~Q(satisfaction="")


def _pt_satisfied_q(period):
    return Q(satisfaction__in=["satisfied", "basic"])


register("petitions.satisfaction", "信访群众满意率",
         rows=_pt_rows(_petitions, _pt_rated_q, _describe_rating),
         default_params={"rule": "rate", "full_at": 1, "zero_at": 0.6})(
    _pt_rate(_petitions, _pt_rated_q, _pt_satisfied_q))


def _pt_all(period):
    return Q()


register("petitions.backlog_resolution_rate", "信访积案化解率",
         rows=_pt_rows(_pt_backlog, _pt_all, _describe_backlog),
         default_params={"rule": "rate", "full_at": 1, "zero_at": 0})(
    _pt_rate(_pt_backlog, _pt_all, _pt_resolved_q))
