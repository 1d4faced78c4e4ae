"""Supervised kinds (督办对象类型): a registry that higher layers fill so their overdue items light up in
the supervision sweep without supervision importing them.

A higher app registers in its AppConfig.ready()::

    from luoshi.supervision.kinds import register_kind
    register_kind("cases", "诉求案件", lights=case_lights)

`lights(now)` returns {unit_id: {"red": n, "yellow": n, "green": n}} for the kind's open items (red = past
its deadline, yellow = close to it). Every sweep calls each registered kind once and reports the totals
and the units with red items in SweepResult.kinds (and `luoshi sweep --json`); `kind_lights()` gives the
same per unit for pages and 通报.

A kind that also gives `overdue(now)` — an iterable of OverdueItem, oldest deadline first — enters the rest
of the engine (supervision.items, run by every sweep): a red 督办单 when an item turns overdue, then the
escalation ladder (policy tagged with the kind's name, else the default), and the 通报's list of overdue
items. `on_event(source_id, kind, text, actor)` (optional) puts the notice's steps (issued, acknowledged,
answered, reviewed, escalated) on the item's own timeline.

For scale (a million cases), a kind may also give the sweep a lighter path (all three optional):
`overdue_keys(now)` — (source_id, unit_id, since) tuples, oldest deadline first, the same items as
`overdue(now)` without building their labels; `describe(source_ids, now=None)` — {source_id: OverdueItem} for
those of the given items still overdue (the few the sweep acts on, the 挂牌督办 lists); `on_events([(source_id, kind, text)])` — on_event for many at once (system actor). OverdueItem.label is what the addressed unit,
the 通报 and the audit page show: it must never identify a complainant.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SupervisedKind:
    name: str
    label: str
    lights: Callable
    overdue: Callable | None = None
    on_event: Callable | None = None
    domain: str = ""   # the luoshi.core.scope domain its notices and 通报 rows are read under (default: name)
    lights_in: Callable | None = None  # lights_in(now, units): `lights` for the unit ids `units` (None = all)
    links: dict | None = None  # {"red"|"yellow"|"green"|"all": url} of the kind's own list, filtered
    overdue_keys: Callable | None = None
    describe: Callable | None = None
    on_events: Callable | None = None
    rates: Callable | None = None  # rates(user, start, end) → {"title", "columns", "rows"} (see register_kind)

    @property
    def scope_domain(self) -> str:
        return self.domain or self.name


@dataclass(frozen=True)
class OverdueItem:
    """One overdue item of a supervised kind.

    source_id: the item's pk; number: its public number; label: "number title" as the unit may read it
    (≤ 200 characters, no complainant); unit_id: the unit responsible; deadline: aware datetime;
    since: the date it turned red (the escalation episode); url: its page; reason: 督办事由."""

    source_id: int
    number: str
    label: str
    unit_id: int
    deadline: object
    since: object
    url: str = ""
    reason: str = ""


_KINDS: dict[str, SupervisedKind] = {}


def register_kind(name: str, label: str, *, lights: Callable, overdue: Callable | None = None,
                  on_event: Callable | None = None, domain: str = "", lights_in: Callable | None = None,
                  links: dict | None = None, overdue_keys: Callable | None = None,
                  describe: Callable | None = None, on_events: Callable | None = None,
                  rates: Callable | None = None) -> None:
    """Register (or replace) a supervised kind (see the module docstring for the callables). `domain`: the
    luoshi.core.scope domain that decides who reads its notices, 通报 rows and lights (default: the kind's
    name). `lights_in(now, units)`: the same counts as `lights(now)` restricted in the database to the unit
    ids `units` (None = every unit) — what the pages use (scoped_kind_lights); without it the pages filter
    `lights(now)`. `links`: the kind's own list per light ({"red": url, "yellow": url, "all": url}).
    `overdue_keys`/`describe`/`on_events`: the sweep's light path (module docstring); the first two go together.
    `rates(user, start, end)`: the kind's rates per unit for the 通报 and the dashboard over the dates
    [start, end] (inclusive), read by `user` under the one scope rule (None = the whole city, for the daily
    job): {"title": "诉求案件办理情况", "columns": [(key, "按期处置率"), …], "rows": [{"unit_id", "unit",
    "total", key: percent with one decimal or None}]}. Units only, never a person."""
    if (overdue_keys is None) != (describe is None):
        raise ValueError("overdue_keys and describe go together")
    _KINDS[name] = SupervisedKind(name, label, lights, overdue, on_event, domain, lights_in, links, overdue_keys,
                                  describe, on_events, rates)


def kinds() -> list[SupervisedKind]:
    return list(_KINDS.values())


def get_kind(name: str) -> SupervisedKind | None:
    return _KINDS.get(name)


def kind_lights(now=None) -> dict[str, dict]:
    """{name: {"label", "by_unit": {unit_id: {red, yellow, green}}, "totals": {red, yellow, green}}}."""
    now = now or timezone.now()
    out = {}
    for k in kinds():
        by_unit = k.lights(now)
        totals = {c: sum(v.get(c, 0) for v in by_unit.values()) for c in ("red", "yellow", "green")}
        out[k.name] = {"label": k.label, "by_unit": by_unit, "totals": totals}
    return out


def scoped_kind_lights(user, now=None, *, top: int = 10) -> list[dict]:
    """The lights of every supervised kind (信访事项, 诉求案件 …) that `user` may read, for the overview and the
    dashboard: the one scope rule (luoshi.core.scope.unit_scope in the kind's domain) decides which units
    count; a kind whose scope is empty for the user is left out. Counts and unit names only — never a
    complainant or petitioner.

    Returns [{"name", "label", "totals": {red, yellow, green}, "units": [{"unit_id", "unit", red, yellow,
    green}] (≤ `top`, most red then yellow first), "unit_count": n, "links": {...}}] in registration order;
    a kind whose counting fails is logged and given as {"name", "label", "error": True}."""
    from luoshi.core.scope import unit_scope
    from luoshi.orgs.models import Unit

    now = now or timezone.now()
    out = []
    for k in kinds():
        units = unit_scope(user, k.scope_domain)
        if units is not None and not units:
            continue
        try:
            if k.lights_in is not None:
                by_unit = k.lights_in(now, units)
            else:
                by_unit = k.lights(now)
                if units is not None:
                    by_unit = {u: v for u, v in by_unit.items() if u in units}
        except Exception:  # noqa: BLE001 - another app's bug must not take the page down
            log.exception("lights of supervised kind %s failed", k.name)
            out.append({"name": k.name, "label": k.label, "error": True})
            continue
        by_unit = {u: v for u, v in by_unit.items() if u is not None and any(v.get(c) for c in ("red", "yellow", "green"))}
        totals = {c: sum(v.get(c, 0) for v in by_unit.values()) for c in ("red", "yellow", "green")}
        worst = sorted(by_unit.items(), key=lambda kv: (-kv[1].get("red", 0), -kv[1].get("yellow", 0), kv[0]))[:top]
        names = dict(Unit.objects.filter(pk__in=[u for u, _ in worst]).values_list("id", "name"))
        rows = [{"unit_id": u, "unit": names.get(u, ""), **{c: v.get(c, 0) for c in ("red", "yellow", "green")}}
                for u, v in worst]
        out.append({"name": k.name, "label": k.label, "totals": totals, "units": rows, "unit_count": len(by_unit),
                    "links": dict(k.links or {})})
    return out


def scoped_kind_rates(user, start, end) -> list[dict]:
    """The rates per unit of every kind that gives `rates` (诉求案件 按期处置率…, 信访事项 及时受理率…) for
    the dates [start, end], as `user` may read them (None = the whole city). A kind whose scope is empty for
    the user is left out; rows of units outside the user's scope are dropped (the one scope rule); a kind
    whose counting fails is logged and given with "error": True. Returns [{"name", "label", "title",
    "columns": [{"key", "label"}], "rows": [{"unit_id", "unit", "total", key: pct|None, "cells": [str]}]}]."""
    from luoshi.core.scope import unit_scope

    out = []
    for k in kinds():
        if k.rates is None:
            continue
        units = unit_scope(user, k.scope_domain) if user is not None else None
        if units is not None and not units:
            continue
        try:
            got = k.rates(user, start, end)
        except Exception:  # noqa: BLE001 - another app's bug must not take the 通报 down
            log.exception("rates of supervised kind %s failed", k.name)
            out.append({"name": k.name, "label": k.label, "title": f"{k.label}办理情况", "error": True,
                        "columns": [], "rows": []})
            continue
        cols = [{"key": c, "label": lab} for c, lab in got["columns"]]
        rows = [r for r in got["rows"] if units is None or r.get("unit_id") in units]
        for r in rows:
            r["cells"] = ["—" if r.get(c["key"]) is None else f"{r[c['key']]:.1f}%" for c in cols]
        out.append({"name": k.name, "label": k.label, "title": got.get("title") or f"{k.label}办理情况",
                    "columns": cols, "rows": rows})
    return out


def sweep_kinds(now=None) -> dict[str, dict]:
    """What the sweep reports per kind: {"label", "totals", "red_units"} (a failing kind is logged and
    reported as {"label", "error"}; it never undoes the task sweep)."""
    out = {}
    now = now or timezone.now()
    for k in kinds():
        try:
            by_unit = k.lights(now)
        except Exception as exc:  # noqa: BLE001 - another app's bug must not stop the sweep
            log.exception("supervised kind %s failed", k.name)
            out[k.name] = {"label": k.label, "error": str(exc)}
            continue
        totals = {c: sum(v.get(c, 0) for v in by_unit.values()) for c in ("red", "yellow", "green")}
        red_units = sorted(u for u, v in by_unit.items() if v.get("red"))
        out[k.name] = {"label": k.label, "totals": totals, "red_units": red_units[:1000]}
    return out


def item_notice_event(notice, event: str, text: str, actor=None) -> None:
    """A notice on an item of a kind was acknowledged/answered/reviewed: tell the kind (its timeline)."""
    k = get_kind(notice.source_type)
    if k is not None and k.on_event is not None and notice.source_id:
        k.on_event(notice.source_id, event, text, actor)
