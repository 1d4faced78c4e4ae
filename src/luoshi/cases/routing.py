"""Routing (派遣规则): which unit should handle a case.

Area: the first Area whose GeoJSON boundary contains the point (shapely), else the
first whose name (or its unit's names) appears in the address. Rule: the active
RoutingRule matching category and area, most specific first (both > category only >
area only > catch-all), then by priority. A complaint is never routed to the unit
complained about nor inside it: such rules are skipped."""
from __future__ import annotations

import json
import time
from functools import lru_cache

from shapely.geometry import Point, shape
from shapely.prepared import prep

from luoshi.orgs.services import subtree_ids

from .refcache import areas_fingerprint

from .models import Area, RoutingRule


@lru_cache(maxsize=256)
def _shape(area_id: int, boundary_text: str):
    return prep(shape(json.loads(boundary_text)))


AREA_CACHE_SECONDS = 10.0
_cache: dict = {"at": -1e9, "rows": None, "key": None}


def forget_areas(*_args, **_kwargs) -> None:
    """Drop this process's area cache (connected to Area saves/deletes; other processes refresh within
    AREA_CACHE_SECONDS)."""
    _cache["rows"] = None


def _areas() -> list[tuple[Area, object, list[str]]]:
    """[(area, prepared shape or None, names)]: every intake calls find_area, and boundaries are large and
    change rarely, so they are parsed once and kept per process; re-read when an Area is saved or deleted
    here, when the areas' count or highest id changed (refcache.fingerprint, one query shared with the key
    and category checks), and every AREA_CACHE_SECONDS."""
    now = time.monotonic()
    key = areas_fingerprint()
    if _cache["rows"] is None or _cache["key"] != key or now - _cache["at"] > AREA_CACHE_SECONDS:
        rows = []
        for a in Area.objects.select_related("unit").order_by("name"):
            geom = None
            if a.boundary:
                try:
                    geom = _shape(a.pk, json.dumps(a.boundary, sort_keys=True))
                except (ValueError, TypeError, AttributeError, KeyError):
                    geom = None
            rows.append((a, geom, [a.name] + (a.unit.all_names() if a.unit else [])))
        _cache["rows"], _cache["at"], _cache["key"] = rows, now, key
    return _cache["rows"]


def find_area(address: str = "", lat=None, long=None) -> Area | None:
    """The area of a point (first boundary containing it) or else of an address (longest name found in it)."""
    areas = _areas()
    if lat is not None and long is not None:
        pt = Point(long, lat)
        for a, geom, _ in areas:
            if geom is not None and geom.contains(pt):
                return a
    if address:
        best = None
        for a, _, names in areas:
            hit = max((len(n) for n in names if n and n in address), default=0)
            if hit and (best is None or hit > best[0]):
                best = (hit, a)
        if best:
            return best[1]
    return None


def route(category, area, subject_unit=None):
    """The suggested responsible unit, or None."""
    banned = subtree_ids(subject_unit.pk) if subject_unit is not None else set()
    rules = RoutingRule.objects.filter(is_active=True, unit__is_active=True).select_related("unit")
    best = None
    for r in rules:
        if r.category_id and r.category_id != getattr(category, "pk", None):
            continue
        if r.area_id and r.area_id != getattr(area, "pk", None):
            continue
        if r.unit_id in banned:
            continue
        key = (-(2 * bool(r.category_id) + bool(r.area_id)), r.priority, r.pk)
        if best is None or key < best[0]:
            best = (key, r)
    if best:
        return best[1].unit
    if area is not None and area.unit_id and area.unit_id not in banned:
        return area.unit
    return None
